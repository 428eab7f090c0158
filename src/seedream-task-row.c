/* seedream-task-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One submission in the task list: what was asked, where it stands, and
 * what can be done about it (cancel the upload, copy the task id, retry),
 * then the task's progress on the service and its images as they arrive.
 */

#define G_LOG_DOMAIN "seedream-task-row"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-error.h"
#include "seedream-result-thumbnail.h"
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
  GtkWidget          *follow_box;
  GtkLabel           *follow_label;
  GtkWidget          *refresh_button;
  GtkFlowBox         *results_box;
  GtkWidget          *error_box;
  GtkLabel           *error_label;
  GtkWidget          *retry_button;

  SeedreamTaskFollower *follower;
  /* Why single images could not be fetched, in words, one per line. */
  GString            *result_errors;
  guint               tick_id;
};

G_DEFINE_FINAL_TYPE (SeedreamTaskRow, seedream_task_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  RETRY,
  USE_AS_SOURCE,
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

/* “0:42”, “12:05”, “1:02:10” */
static char *
format_elapsed (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static gboolean
tick_cb (gpointer user_data);

/* The elapsed time moves once a second, but only while there is
 * something to wait for. */
static void
update_ticking (SeedreamTaskRow     *self,
                SeedreamFollowState  state)
{
  gboolean waiting = state == SEEDREAM_FOLLOW_STATE_QUEUED || state == SEEDREAM_FOLLOW_STATE_RUNNING;

  if (waiting && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (!waiting)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* Where the task stands on the service, for the state pill and the line
 * under the task id; FALSE when there is no follower yet. */
static gboolean
describe_follow (SeedreamTaskRow  *self,
                 const char      **state_text,
                 const char      **state_class,
                 char            **line)
{
  SeedreamFollowState state;
  g_autofree char *elapsed = NULL;

  if (self->follower == NULL)
    return FALSE;

  state = seedream_task_follower_get_state (self->follower);
  elapsed = format_elapsed (seedream_task_follower_get_elapsed_seconds (self->follower));
  update_ticking (self, state);

  switch (state)
    {
    case SEEDREAM_FOLLOW_STATE_IDLE:
    case SEEDREAM_FOLLOW_STATE_QUEUED:
      *state_text = _("Queued");
      *state_class = "accent";
      /* Translators: %s is a duration such as 0:42 */
      *line = g_strdup_printf (_("Waiting for the service · %s"), elapsed);
      break;

    case SEEDREAM_FOLLOW_STATE_RUNNING:
      *state_text = _("Generating");
      *state_class = "accent";
      /* Translators: %s is a duration such as 0:42 */
      *line = g_strdup_printf (_("Generating · %s"), elapsed);
      break;

    case SEEDREAM_FOLLOW_STATE_DOWNLOADING:
      *state_text = _("Downloading");
      *state_class = "accent";
      /* Translators: download progress of the generated images */
      *line = g_strdup_printf (_("Downloading images · %d %%"),
                               (int) (seedream_task_follower_get_download_fraction (self->follower) * 100.0));
      break;

    case SEEDREAM_FOLLOW_STATE_DONE:
      *state_text = _("Done");
      *state_class = "success";
      *line = NULL;
      break;

    case SEEDREAM_FOLLOW_STATE_FAILED:
      *state_text = _("Failed");
      *state_class = "error";
      *line = NULL;
      break;

    case SEEDREAM_FOLLOW_STATE_STOPPED:
      *state_text = _("Still running");
      *state_class = NULL;
      *line = g_strdup_printf (_("The service has not finished after %s. The task may still complete: "
                                 "check again later."), elapsed);
      break;

    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static void
update_state (SeedreamTaskRow *self)
{
  SeedreamSubmissionState state = seedream_submission_get_state (self->submission);
  const GError *error = seedream_submission_get_error (self->submission);
  const char *task_id = seedream_submission_get_task_id (self->submission);
  const char *state_text = NULL;
  const char *state_class = NULL;
  g_autofree char *follow_line = NULL;
  g_autoptr(GString) error_text = g_string_new (NULL);
  gboolean can_retry = seedream_submission_can_retry (self->submission);
  gboolean can_refresh = FALSE;

  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "accent");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "success");

  switch (state)
    {
    case SEEDREAM_SUBMISSION_STATE_UPLOADING:
      state_text = _("Sending");
      state_class = "accent";
      break;

    case SEEDREAM_SUBMISSION_STATE_SUBMITTED:
      if (!describe_follow (self, &state_text, &state_class, &follow_line))
        {
          state_text = _("Submitted");
          state_class = "success";
        }
      break;

    case SEEDREAM_SUBMISSION_STATE_FAILED:
      state_text = _("Failed");
      state_class = "error";
      break;

    case SEEDREAM_SUBMISSION_STATE_CANCELLED:
      state_text = _("Cancelled");
      break;

    case SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN:
      state_text = _("Outcome unknown");
      state_class = "error";
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (self->state_label, state_text);
  if (state_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_class);

  gtk_widget_set_visible (self->progress_box, state == SEEDREAM_SUBMISSION_STATE_UPLOADING);
  gtk_widget_set_visible (self->task_id_box, task_id != NULL);
  gtk_label_set_label (self->task_id_label, task_id);

  if (state == SEEDREAM_SUBMISSION_STATE_CANCELLED)
    g_string_append (error_text,
                     _("The upload was stopped. If the service had already received everything, "
                       "the task may still appear in your TensorsLab account."));
  else if (can_retry && error != NULL)
    g_string_append (error_text, error->message);

  if (self->follower != NULL)
    {
      SeedreamFollowState follow_state = seedream_task_follower_get_state (self->follower);
      const GError *follow_error = seedream_task_follower_get_error (self->follower);

      /* A task the service itself failed is over; anything else that
       * stopped the following (a refused query, the deadline) is worth
       * asking again. Never a resend: that would charge twice. */
      can_refresh = follow_state == SEEDREAM_FOLLOW_STATE_STOPPED ||
                    (follow_state == SEEDREAM_FOLLOW_STATE_FAILED &&
                     !g_error_matches (follow_error, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED)) ||
                    (follow_state == SEEDREAM_FOLLOW_STATE_DONE && self->result_errors->len > 0);
      if (follow_state == SEEDREAM_FOLLOW_STATE_FAILED && follow_error != NULL)
        g_string_append (error_text, follow_error->message);
    }

  if (self->result_errors->len > 0)
    {
      if (error_text->len > 0)
        g_string_append_c (error_text, '\n');
      g_string_append (error_text, self->result_errors->str);
    }

  gtk_widget_set_visible (self->follow_box, follow_line != NULL || can_refresh);
  gtk_label_set_label (self->follow_label, follow_line);
  gtk_widget_set_visible (self->refresh_button, can_refresh);

  gtk_widget_set_visible (self->error_box, error_text->len > 0);
  gtk_widget_set_visible (self->retry_button, can_retry);
  gtk_label_set_label (self->error_label, error_text->str);

  if (state == SEEDREAM_SUBMISSION_STATE_UPLOADING)
    update_progress (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  SeedreamTaskRow *self = user_data;

  update_state (self);
  return G_SOURCE_CONTINUE;
}

static int
sort_results_cb (GtkFlowBoxChild *child1,
                 GtkFlowBoxChild *child2,
                 gpointer         user_data)
{
  guint index1 = seedream_result_thumbnail_get_index (SEEDREAM_RESULT_THUMBNAIL (gtk_flow_box_child_get_child (child1)));
  guint index2 = seedream_result_thumbnail_get_index (SEEDREAM_RESULT_THUMBNAIL (gtk_flow_box_child_get_child (child2)));

  return (index1 > index2) - (index1 < index2);
}

static guint
expected_result_count (SeedreamTaskRow *self)
{
  SeedreamTaskInfo *info = self->follower != NULL ? seedream_task_follower_get_task_info (self->follower) : NULL;

  if (info != NULL && seedream_task_info_get_n_urls (info) > 0)
    return seedream_task_info_get_n_urls (info);

  return seedream_request_get_batch_size (seedream_submission_get_request (self->submission));
}

static void
result_use_as_source_cb (SeedreamTaskRow *self,
                         GFile           *file)
{
  g_signal_emit (self, signals[USE_AS_SOURCE], 0, file);
}

static void
delete_response_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SeedreamResultThumbnail) thumbnail = user_data;
  SeedreamTaskRow *self;
  const char *response = adw_alert_dialog_choose_finish (ADW_ALERT_DIALOG (object), result);
  SeedreamHistory *history;
  gint64 entry_id;
  GtkWidget *child;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0)
    return;

  self = SEEDREAM_TASK_ROW (gtk_widget_get_ancestor (GTK_WIDGET (thumbnail), SEEDREAM_TYPE_TASK_ROW));
  if (self == NULL)
    return;

  history = seedream_submission_get_history (self->submission);
  entry_id = seedream_submission_get_entry_id (self->submission);
  if (history != NULL && entry_id != 0)
    seedream_history_delete_result (history, entry_id, seedream_result_thumbnail_get_index (thumbnail), &error);
  else
    g_file_delete (seedream_result_thumbnail_get_file (thumbnail), NULL, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      GtkWidget *toast_overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
      g_autofree char *message = g_strdup_printf (_("The image could not be deleted: %s"), error->message);

      if (toast_overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (toast_overlay), adw_toast_new (message));
      return;
    }

  child = gtk_widget_get_parent (GTK_WIDGET (thumbnail));
  gtk_flow_box_remove (self->results_box, child);
}

static void
result_delete_requested_cb (SeedreamResultThumbnail *thumbnail)
{
  AdwDialog *dialog = adw_alert_dialog_new (_("Delete Image?"),
                                            _("The image is removed from Seedream Studio. "
                                              "Copies you saved elsewhere are kept."));

  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "delete", _("_Delete"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_choose (ADW_ALERT_DIALOG (dialog), GTK_WIDGET (thumbnail), NULL,
                           delete_response_cb, g_object_ref (thumbnail));
}

static void
follower_result_ready_cb (SeedreamTaskRow *self,
                          guint            index,
                          GFile           *file,
                          guint            width,
                          guint            height)
{
  GtkWidget *thumbnail;
  const char *prompt = seedream_request_get_prompt (seedream_submission_get_request (self->submission));

  /* A refresh reports the images already here again: show each once. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->results_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *shown = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (shown != NULL && seedream_result_thumbnail_get_index (SEEDREAM_RESULT_THUMBNAIL (shown)) == index)
        return;
    }

  thumbnail = seedream_result_thumbnail_new (file, index, expected_result_count (self));
  seedream_result_thumbnail_set_size (SEEDREAM_RESULT_THUMBNAIL (thumbnail), width, height);
  seedream_result_thumbnail_set_prompt (SEEDREAM_RESULT_THUMBNAIL (thumbnail), prompt);
  seedream_result_thumbnail_set_task_id (SEEDREAM_RESULT_THUMBNAIL (thumbnail),
                                         seedream_submission_get_task_id (self->submission));
  g_signal_connect_object (thumbnail, "use-as-source",
                           G_CALLBACK (result_use_as_source_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (thumbnail, "delete-requested", G_CALLBACK (result_delete_requested_cb), NULL);

  gtk_flow_box_append (self->results_box, thumbnail);
  gtk_widget_set_visible (GTK_WIDGET (self->results_box), TRUE);
}

static void
follower_result_failed_cb (SeedreamTaskRow *self,
                           guint            index,
                           GError          *error)
{
  if (self->result_errors->len > 0)
    g_string_append_c (self->result_errors, '\n');
  g_string_append (self->result_errors, error->message);
  update_state (self);
}

static void
follower_changed_cb (SeedreamTaskRow *self)
{
  SeedreamTaskFollower *follower = seedream_submission_get_follower (self->submission);

  if (follower == self->follower)
    return;

  if (self->follower != NULL)
    g_signal_handlers_disconnect_by_data (self->follower, self);
  g_set_object (&self->follower, follower);

  if (follower != NULL)
    {
      g_signal_connect_object (follower, "notify::state", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (follower, "notify::error", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (follower, "notify::download-fraction",
                               G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (follower, "result-ready",
                               G_CALLBACK (follower_result_ready_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (follower, "result-failed",
                               G_CALLBACK (follower_result_failed_cb), self, G_CONNECT_SWAPPED);
    }

  update_state (self);
}

static void
refresh_clicked_cb (SeedreamTaskRow *self)
{
  if (self->follower == NULL)
    return;

  g_string_truncate (self->result_errors, 0);
  seedream_task_follower_refresh (self->follower);
  update_state (self);
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
  g_signal_connect_object (submission, "notify::follower", G_CALLBACK (follower_changed_cb), self, G_CONNECT_SWAPPED);
  follower_changed_cb (self);
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

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_TASK_ROW);
  g_clear_object (&self->follower);
  g_clear_object (&self->submission);

  G_OBJECT_CLASS (seedream_task_row_parent_class)->dispose (object);
}

static void
seedream_task_row_finalize (GObject *object)
{
  SeedreamTaskRow *self = SEEDREAM_TASK_ROW (object);

  g_string_free (self->result_errors, TRUE);

  G_OBJECT_CLASS (seedream_task_row_parent_class)->finalize (object);
}

static void
seedream_task_row_class_init (SeedreamTaskRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_task_row_dispose;
  object_class->finalize = seedream_task_row_finalize;

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

  /**
   * SeedreamTaskRow::use-as-source:
   * @file: a generated image
   *
   * The person wants @file in the compose form as a source image.
   */
  signals[USE_AS_SOURCE] = g_signal_new ("use-as-source",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_FILE);

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
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, follow_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, follow_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, results_box);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
}

static void
seedream_task_row_init (SeedreamTaskRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->result_errors = g_string_new (NULL);
  gtk_flow_box_set_sort_func (self->results_box, sort_results_cb, NULL, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->results_box), FALSE);
}
