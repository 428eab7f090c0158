/* seedream-task-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One submission in the task list: what was asked, where it stands, and
 * what can be done about it (cancel the upload, copy the task id, retry),
 * then the task's progress on the service and its images as they arrive.
 * All of it comes from the submission: its status, its error, whether
 * Retry and Refresh apply, and its results.
 */

#define G_LOG_DOMAIN "seedream-task-row"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-account-links.h"
#include "seedream-error.h"
#include "seedream-excerpt.h"
#include "seedream-favourite-button.h"
#include "seedream-lineage-link.h"
#include "seedream-result-thumbnail.h"
#include "seedream-save-all.h"
#include "seedream-task-row.h"
#include "seedream-toast.h"

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
  GtkWidget          *top_up_button;
  GtkWidget          *retry_button;
  GtkWidget          *save_all_button;
  GtkWidget          *delete_button;
  GtkToggleButton    *favourite_button;
  SeedreamLineageLink *from_link;

  /* The submission's results that have a file: one thumbnail each. */
  GtkFilterListModel *images;
  guint               tick_id;
};

G_DEFINE_FINAL_TYPE (SeedreamTaskRow, seedream_task_row, GTK_TYPE_LIST_BOX_ROW)

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
update_ticking (SeedreamTaskRow          *self,
                SeedreamSubmissionStatus  status)
{
  gboolean waiting = status == SEEDREAM_SUBMISSION_STATUS_QUEUED || status == SEEDREAM_SUBMISSION_STATUS_RUNNING;

  if (waiting && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (!waiting)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* The state pill and, once the task is followed, the line under the task id. */
static void
describe_status (SeedreamTaskRow           *self,
                 SeedreamSubmissionStatus   status,
                 const char               **state_text,
                 const char               **state_class,
                 char                     **line)
{
  g_autofree char *elapsed = format_elapsed (seedream_submission_get_elapsed_seconds (self->submission));

  *state_class = NULL;
  *line = NULL;

  switch (status)
    {
    case SEEDREAM_SUBMISSION_STATUS_UPLOADING:
      *state_text = _("Sending");
      *state_class = "accent";
      break;

    case SEEDREAM_SUBMISSION_STATUS_SUBMITTED:
      *state_text = _("Submitted");
      *state_class = "success";
      break;

    case SEEDREAM_SUBMISSION_STATUS_QUEUED:
      *state_text = _("Queued");
      *state_class = "accent";
      /* Translators: %s is a duration such as 0:42 */
      *line = g_strdup_printf (_("Waiting for the service · %s"), elapsed);
      break;

    case SEEDREAM_SUBMISSION_STATUS_RUNNING:
      *state_text = _("Generating");
      *state_class = "accent";
      /* Translators: %s is a duration such as 0:42 */
      *line = g_strdup_printf (_("Generating · %s"), elapsed);
      break;

    case SEEDREAM_SUBMISSION_STATUS_DOWNLOADING:
      *state_text = _("Downloading");
      *state_class = "accent";
      /* Translators: download progress of the generated images */
      *line = g_strdup_printf (_("Downloading images · %d %%"),
                               (int) (seedream_submission_get_download_fraction (self->submission) * 100.0));
      break;

    case SEEDREAM_SUBMISSION_STATUS_DONE:
      *state_text = _("Done");
      *state_class = "success";
      break;

    case SEEDREAM_SUBMISSION_STATUS_FAILED:
      *state_text = _("Failed");
      *state_class = "error";
      break;

    case SEEDREAM_SUBMISSION_STATUS_CANCELLED:
      *state_text = _("Cancelled");
      break;

    case SEEDREAM_SUBMISSION_STATUS_OUTCOME_UNKNOWN:
      *state_text = _("Outcome unknown");
      *state_class = "error";
      break;

    case SEEDREAM_SUBMISSION_STATUS_NO_IMAGES:
      /* Not a failure: the service finished and sent nothing (the error
       * line says the likely reason). */
      *state_text = _("No images");
      *state_class = "warning";
      break;

    case SEEDREAM_SUBMISSION_STATUS_STILL_RUNNING:
      *state_text = _("Still running");
      *line = g_strdup_printf (_("The service has not finished after %s. The task may still complete: "
                                 "check again later."), elapsed);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
update_state (SeedreamTaskRow *self)
{
  SeedreamSubmissionStatus status = seedream_submission_get_status (self->submission);
  const GError *error = seedream_submission_get_error (self->submission);
  const char *task_id = seedream_submission_get_task_id (self->submission);
  GListModel *results = seedream_submission_get_results (self->submission);
  guint n_results = g_list_model_get_n_items (results);
  const char *state_text = NULL;
  const char *state_class = NULL;
  g_autofree char *follow_line = NULL;
  g_autoptr(GString) error_text = g_string_new (NULL);
  gboolean can_retry = seedream_submission_can_retry (self->submission);
  gboolean can_refresh = seedream_submission_can_refresh (self->submission);

  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "accent");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "warning");

  describe_status (self, status, &state_text, &state_class, &follow_line);
  update_ticking (self, status);

  gtk_label_set_label (self->state_label, state_text);
  if (state_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_class);

  gtk_widget_set_visible (self->progress_box, status == SEEDREAM_SUBMISSION_STATUS_UPLOADING);
  gtk_widget_set_visible (self->task_id_box, task_id != NULL);
  gtk_label_set_label (self->task_id_label, task_id);

  /* "up to 4 images" until the service says how many came. */
  {
    g_autofree char *parameters = seedream_submission_describe (self->submission);

    gtk_label_set_label (self->parameters_label, parameters);
  }

  if (status == SEEDREAM_SUBMISSION_STATUS_CANCELLED)
    g_string_append (error_text,
                     _("The upload was stopped. If the service had already received everything, "
                       "the task may still appear in your TensorsLab account."));
  else if (error != NULL)
    g_string_append (error_text, error->message);

  /* Why single images could not be fetched, in words, one per line. */
  for (guint i = 0; i < n_results; i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (results, i);
      const GError *result_error = seedream_submission_result_get_error (result);

      if (result_error == NULL)
        continue;
      if (error_text->len > 0)
        g_string_append_c (error_text, '\n');
      g_string_append (error_text, result_error->message);
    }

  gtk_widget_set_visible (self->follow_box, follow_line != NULL || can_refresh);
  gtk_label_set_label (self->follow_label, follow_line);
  gtk_widget_set_visible (self->refresh_button, can_refresh);

  gtk_widget_set_visible (self->error_box, error_text->len > 0);
  gtk_widget_set_visible (self->retry_button, can_retry);
  /* Out of credits: the way out is the console, one click away. */
  gtk_widget_set_visible (self->top_up_button,
                          g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INSUFFICIENT_CREDITS));
  gtk_label_set_label (self->error_label, error_text->str);
  /* Finished without images is said, not shown as an error. */
  if (status == SEEDREAM_SUBMISSION_STATUS_NO_IMAGES)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->error_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->error_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->results_box),
                          g_list_model_get_n_items (G_LIST_MODEL (self->images)) > 0);

  if (status == SEEDREAM_SUBMISSION_STATUS_UPLOADING)
    update_progress (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  SeedreamTaskRow *self = user_data;

  update_state (self);
  return G_SOURCE_CONTINUE;
}

static void
delete_response_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SeedreamResultThumbnail) thumbnail = user_data;
  SeedreamTaskRow *self;
  const char *response = adw_alert_dialog_choose_finish (ADW_ALERT_DIALOG (object), result);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0)
    return;

  self = SEEDREAM_TASK_ROW (gtk_widget_get_ancestor (GTK_WIDGET (thumbnail), SEEDREAM_TYPE_TASK_ROW));
  if (self == NULL)
    return;

  /* The thumbnail goes with the result: the results box shows the model. */
  if (!seedream_submission_delete_result (self->submission, seedream_result_thumbnail_get_index (thumbnail), &error))
    {
      g_autofree char *message = g_strdup_printf (_("The image could not be deleted: %s"), error->message);

      seedream_toast_show (GTK_WIDGET (self), message, FALSE);
    }
}

/* A question with Cancel (the default) and one other answer, @response.
 * @callback gets @parent, referenced, as its user data. */
static void
choose_alert (GtkWidget             *parent,
              const char            *heading,
              const char            *body,
              const char            *response,
              const char            *label,
              AdwResponseAppearance  appearance,
              GAsyncReadyCallback    callback)
{
  AdwDialog *dialog = adw_alert_dialog_new (heading, body);

  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  response, label,
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), response, appearance);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_choose (ADW_ALERT_DIALOG (dialog), parent, NULL, callback, g_object_ref (parent));
}

static void
result_delete_requested_cb (SeedreamResultThumbnail *thumbnail)
{
  choose_alert (GTK_WIDGET (thumbnail),
                _("Delete Image?"),
                _("The image is removed from Seedream Studio. "
                  "Copies you saved elsewhere are kept."),
                "delete", _("_Delete"), ADW_RESPONSE_DESTRUCTIVE,
                delete_response_cb);
}

static GtkWidget *
create_thumbnail_cb (gpointer item,
                     gpointer user_data)
{
  SeedreamTaskRow *self = user_data;
  SeedreamSubmissionResult *result = item;
  guint index = seedream_submission_result_get_index (result);
  GtkWidget *thumbnail;
  const char *prompt = seedream_request_get_prompt (seedream_submission_get_request (self->submission));

  thumbnail = seedream_result_thumbnail_new (seedream_submission_result_get_file (result), index,
                                             seedream_submission_get_n_expected_results (self->submission));
  seedream_result_thumbnail_set_size (SEEDREAM_RESULT_THUMBNAIL (thumbnail),
                                      seedream_submission_result_get_width (result),
                                      seedream_submission_result_get_height (result));
  seedream_result_thumbnail_set_prompt (SEEDREAM_RESULT_THUMBNAIL (thumbnail), prompt);
  seedream_result_thumbnail_set_task_id (SEEDREAM_RESULT_THUMBNAIL (thumbnail),
                                         seedream_submission_get_task_id (self->submission));
  g_signal_connect (thumbnail, "delete-requested", G_CALLBACK (result_delete_requested_cb), NULL);
  /* The star is the history's; the result follows it there. */
  seedream_result_thumbnail_set_history_id (SEEDREAM_RESULT_THUMBNAIL (thumbnail),
                                            seedream_submission_get_entry_id (self->submission));
  g_object_bind_property (result, "favourite", thumbnail, "favourite", G_BINDING_SYNC_CREATE);

  return thumbnail;
}

static void
refresh_clicked_cb (SeedreamTaskRow *self)
{
  seedream_submission_refresh (self->submission);
}

static void
cancel_clicked_cb (SeedreamTaskRow *self)
{
  seedream_submission_cancel (self->submission);
}

static void
seedream_task_row_retry (SeedreamTaskRow *self)
{
  g_autoptr(GError) error = NULL;

  if (!seedream_submission_retry (self->submission, &error))
    seedream_toast_show (GTK_WIDGET (self), error->message, FALSE);
}

static void
resend_response_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SeedreamTaskRow) self = user_data;
  const char *response = adw_alert_dialog_choose_finish (ADW_ALERT_DIALOG (object), result);

  if (g_strcmp0 (response, "send") == 0)
    seedream_task_row_retry (self);
}

static void
retry_clicked_cb (SeedreamTaskRow *self)
{
  if (seedream_submission_get_status (self->submission) != SEEDREAM_SUBMISSION_STATUS_OUTCOME_UNKNOWN)
    {
      seedream_task_row_retry (self);
      return;
    }

  /* The first attempt may have created a task: sending again could be
   * charged twice, so it is the person's informed choice. */
  choose_alert (GTK_WIDGET (self),
                _("Send Again?"),
                _("The first attempt may already have created this task and used "
                  "credits. Check your task list on the TensorsLab site first if you "
                  "want to avoid paying twice."),
                "send", _("_Send Again"), ADW_RESPONSE_SUGGESTED,
                resend_response_cb);
}

/* Save All: seedream-save-all.c */
static void
save_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SeedreamTaskRow *self = SEEDREAM_TASK_ROW (widget);

  seedream_save_all (widget, G_LIST_MODEL (self->images),
                     seedream_request_get_prompt (seedream_submission_get_request (self->submission)));
}

static void
top_up_clicked_cb (SeedreamTaskRow *self)
{
  seedream_account_links_open (GTK_WIDGET (self), SEEDREAM_ACCOUNT_CONSOLE_URL);
}

static void
copy_clicked_cb (SeedreamTaskRow *self)
{
  const char *task_id = seedream_submission_get_task_id (self->submission);

  if (task_id == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), task_id);
  seedream_toast_show (GTK_WIDGET (self), _("Task ID copied"), FALSE);
}

static gboolean
result_has_file (gpointer item,
                 gpointer user_data)
{
  return seedream_submission_result_get_file (item) != NULL;
}

/* Deleting and the star go by the history row: only once there is one. */
static void
update_history_buttons (SeedreamTaskRow *self)
{
  gint64 id = seedream_submission_get_entry_id (self->submission);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "x", id);
  gtk_widget_set_visible (self->delete_button, id != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->favourite_button), id != 0);
  gtk_toggle_button_set_active (self->favourite_button, seedream_submission_get_favourite (self->submission));
}

static void
update_lineage (SeedreamTaskRow *self)
{
  gint64 parent_id;
  const char *parent_prompt = seedream_submission_get_parent (self->submission, &parent_id);

  seedream_lineage_link_set_parent (self->from_link, parent_id, parent_prompt);
}

/* The click has toggled the star; the window stores it in the history,
 * whose change the submission follows. */
static void
favourite_clicked_cb (SeedreamTaskRow *self)
{
  gint64 id = seedream_submission_get_entry_id (self->submission);

  if (id != 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.set-favourite", "(xb)", id,
                                gtk_toggle_button_get_active (self->favourite_button));
}

GtkWidget *
seedream_task_row_new (SeedreamSubmission *submission)
{
  SeedreamTaskRow *self;
  g_autofree char *prompt = NULL;
  g_autofree char *excerpt = NULL;

  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (submission), NULL);

  self = g_object_new (SEEDREAM_TYPE_TASK_ROW, NULL);
  self->submission = g_object_ref (submission);

  g_object_get (seedream_submission_get_request (submission), "prompt", &prompt, NULL);
  excerpt = seedream_excerpt (prompt, PROMPT_EXCERPT_CHARS);
  gtk_label_set_label (self->prompt_label, excerpt);

  self->images = gtk_filter_list_model_new (g_object_ref (seedream_submission_get_results (submission)),
                                            GTK_FILTER (gtk_custom_filter_new (result_has_file, NULL, NULL)));
  gtk_flow_box_bind_model (self->results_box, G_LIST_MODEL (self->images), create_thumbnail_cb, self, NULL);
  g_object_bind_property (self->images, "n-items", self->save_all_button, "visible", G_BINDING_SYNC_CREATE);

  g_signal_connect_object (submission, "notify::status", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::error", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::can-retry", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::can-refresh", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::download-fraction",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::task-id", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::bytes-sent", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (seedream_submission_get_results (submission), "items-changed",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::entry-id", G_CALLBACK (update_history_buttons), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::favourite", G_CALLBACK (update_history_buttons), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (submission, "notify::parent-prompt", G_CALLBACK (update_lineage), self,
                           G_CONNECT_SWAPPED);
  update_state (self);
  update_history_buttons (self);
  update_lineage (self);

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
  if (self->results_box != NULL)
    gtk_flow_box_bind_model (self->results_box, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_TASK_ROW);
  g_clear_object (&self->images);
  g_clear_object (&self->submission);

  G_OBJECT_CLASS (seedream_task_row_parent_class)->dispose (object);
}

static void
seedream_task_row_class_init (SeedreamTaskRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_task_row_dispose;

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
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, top_up_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, follow_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, follow_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, results_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, save_all_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, favourite_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamTaskRow, from_link);
  gtk_widget_class_bind_template_callback (widget_class, favourite_clicked_cb);
  g_type_ensure (SEEDREAM_TYPE_FAVOURITE_BUTTON);
  g_type_ensure (SEEDREAM_TYPE_LINEAGE_LINK);
  gtk_widget_class_install_action (widget_class, "task.save-all", NULL, save_all_action);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, top_up_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
}

static void
seedream_task_row_init (SeedreamTaskRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_visible (GTK_WIDGET (self->results_box), FALSE);
}
