/* seedream-task-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One submission in the task list: what was asked, where it stands, and
 * what can be done about it (cancel the upload, copy the task id, retry).
 */

#define G_LOG_DOMAIN "seedream-task-row"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-error.h"
#include "seedream-task-row.h"

#define PROMPT_EXCERPT_CHARS 140

struct _SeedreamTaskRow
{
  GtkListBoxRow       parent_instance;

  SeedreamSubmission *submission;

  GtkLabel           *prompt_label;
  GtkLabel           *state_label;
  GtkLabel           *parameters_label;
  GtkWidget          *progress_box;
  GtkProgressBar     *progress_bar;
  GtkLabel           *progress_label;
  GtkWidget          *task_id_box;
  GtkLabel           *task_id_label;
  GtkWidget          *error_box;
  GtkLabel           *error_label;
};

G_DEFINE_FINAL_TYPE (SeedreamTaskRow, seedream_task_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_progress (SeedreamTaskRow *self)
{
  goffset sent = seedream_submission_get_bytes_sent (self->submission);
  goffset total = seedream_submission_get_bytes_total (self->submission);
  g_autofree char *sent_text = g_format_size (sent);
  g_autofree char *total_text = g_format_size (total);
  g_autofree char *text = NULL;
  double fraction = total > 0 ? (double) sent / (double) total : 0.0;

  if (total > 0)
    {
      /* Translators: upload progress, e.g. “1.2 MB of 4.0 MB (30 %)” */
      text = g_strdup_printf (_("%s of %s (%d %%)"), sent_text, total_text, (int) (fraction * 100.0));
      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
    }
  else
    {
      text = g_strdup (_("Preparing upload…"));
      gtk_progress_bar_pulse (self->progress_bar);
    }

  gtk_label_set_label (self->progress_label, text);
}

static void
update_state (SeedreamTaskRow *self)
{
  SeedreamSubmissionState state = seedream_submission_get_state (self->submission);
  const GError *error = seedream_submission_get_error (self->submission);
  const char *task_id = seedream_submission_get_task_id (self->submission);
  const char *state_text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "accent");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "success");

  switch (state)
    {
    case SEEDREAM_SUBMISSION_STATE_UPLOADING:
      state_text = _("Sending");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "accent");
      break;

    case SEEDREAM_SUBMISSION_STATE_SUBMITTED:
      state_text = _("Submitted");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "success");
      break;

    case SEEDREAM_SUBMISSION_STATE_FAILED:
      state_text = _("Failed");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
      break;

    case SEEDREAM_SUBMISSION_STATE_CANCELLED:
      state_text = _("Cancelled");
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (self->state_label, state_text);
  gtk_widget_set_visible (self->progress_box, state == SEEDREAM_SUBMISSION_STATE_UPLOADING);
  gtk_widget_set_visible (self->task_id_box, task_id != NULL);
  gtk_label_set_label (self->task_id_label, task_id);
  gtk_widget_set_visible (self->error_box, seedream_submission_can_retry (self->submission));

  if (state == SEEDREAM_SUBMISSION_STATE_CANCELLED)
    gtk_label_set_label (self->error_label,
                         _("The upload was stopped. If the service had already received everything, "
                           "the task may still appear in your TensorsLab account."));
  else if (error != NULL)
    gtk_label_set_label (self->error_label, error->message);

  if (state == SEEDREAM_SUBMISSION_STATE_UPLOADING)
    update_progress (self);
}

static void
cancel_clicked_cb (SeedreamTaskRow *self)
{
  seedream_submission_cancel (self->submission);
}

static void
retry_clicked_cb (SeedreamTaskRow *self)
{
  g_signal_emit (self, signals[RETRY], 0);
}

static void
copy_clicked_cb (SeedreamTaskRow *self)
{
  const char *task_id = seedream_submission_get_task_id (self->submission);
  GtkWidget *toast_overlay;

  if (task_id == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), task_id);

  toast_overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (toast_overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (toast_overlay), adw_toast_new (_("Task ID copied")));
}

GtkWidget *
seedream_task_row_new (SeedreamSubmission *submission)
{
  SeedreamTaskRow *self;
  g_autofree char *prompt = NULL;
  g_autofree char *parameters = NULL;
  g_autofree char *excerpt = NULL;

  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (submission), NULL);

  self = g_object_new (SEEDREAM_TYPE_TASK_ROW, NULL);
  self->submission = g_object_ref (submission);

  g_object_get (seedream_submission_get_request (submission), "prompt", &prompt, NULL);
  if (prompt != NULL && g_utf8_strlen (prompt, -1) > PROMPT_EXCERPT_CHARS)
    {
      g_autofree char *start = g_utf8_substring (prompt, 0, PROMPT_EXCERPT_CHARS);

      excerpt = g_strconcat (start, "…", NULL);
    }
  else
    excerpt = g_strdup (prompt);

  gtk_label_set_label (self->prompt_label, excerpt);
  parameters = seedream_submission_describe (submission);
  gtk_label_set_label (self->parameters_label, parameters);

  g_signal_connect_object (submission, "notify::state", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::task-id", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::bytes-sent", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  update_state (self);

  return GTK_WIDGET (self);
}

SeedreamSubmission *
seedream_task_row_get_submission (SeedreamTaskRow *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_ROW (self), NULL);

  return self->submission;
}

static void
seedream_task_row_dispose (GObject *object)
{
  SeedreamTaskRow *self = SEEDREAM_TASK_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_TASK_ROW);
  g_clear_object (&self->submission);

  G_OBJECT_CLASS (seedream_task_row_parent_class)->dispose (object);
}

static void
seedream_task_row_class_init (SeedreamTaskRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_task_row_dispose;

  /**
   * SeedreamTaskRow::retry:
   *
   * The person asked to send this submission again.
   */
  signals[RETRY] = g_signal_new ("retry",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-task-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, parameters_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, task_id_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, task_id_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, error_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, error_label);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
}

static void
seedream_task_row_init (SeedreamTaskRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
