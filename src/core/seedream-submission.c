/* seedream-submission.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One submission as the task list shows it: it owns a snapshot of the
 * request (so later edits of the form do not change what was sent), sends
 * it through a SeedreamClient, and reports progress, the task id or the
 * failure through properties. It never resends by itself: a retry is the
 * person's decision, because a duplicate generation costs credits twice.
 *
 * With a SeedreamHistory it writes the row before anything is sent and
 * updates it on every answer, so a crash leaves "sending" behind rather
 * than nothing. Once the service gives a task id it follows the task with a
 * SeedreamTaskFollower and records each downloaded image.
 */

#define G_LOG_DOMAIN "seedream-submission"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-submission.h"

struct _SeedreamSubmission
{
  GObject                  parent_instance;

  SeedreamRequest         *request;
  SeedreamHistory         *history;
  gint64                   entry_id;
  SeedreamClient          *client;
  SeedreamTaskFollower    *follower;
  SeedreamSubmissionState  state;
  char                    *task_id;
  GError                  *error;
  goffset                  bytes_sent;
  goffset                  bytes_total;
  GDateTime               *created;
  GCancellable            *cancellable;
};

G_DEFINE_FINAL_TYPE (SeedreamSubmission, seedream_submission, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REQUEST,
  PROP_HISTORY,
  PROP_ENTRY_ID,
  PROP_FOLLOWER,
  PROP_STATE,
  PROP_TASK_ID,
  PROP_BYTES_SENT,
  PROP_BYTES_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * seedream_submission_new:
 * @request: the request to send; the submission keeps it as it is now
 */
SeedreamSubmission *
seedream_submission_new (SeedreamRequest *request)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (request), NULL);

  return g_object_new (SEEDREAM_TYPE_SUBMISSION,
                       "request", request,
                       NULL);
}

/**
 * seedream_submission_new_with_history:
 * @request: the request to send; the submission keeps it as it is now
 * @history: (nullable): where the submission and its results are recorded
 */
SeedreamSubmission *
seedream_submission_new_with_history (SeedreamRequest *request,
                                      SeedreamHistory *history)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (request), NULL);
  g_return_val_if_fail (history == NULL || SEEDREAM_IS_HISTORY (history), NULL);

  return g_object_new (SEEDREAM_TYPE_SUBMISSION,
                       "request", request,
                       "history", history,
                       NULL);
}

/**
 * seedream_submission_new_from_entry:
 * @entry: a row that recover() handed back at start
 * @history: the history @entry came from
 *
 * A submission for a row left over from an earlier run: a SUBMITTED one
 * whose task start() follows again, or an OUTCOME_UNKNOWN one that only a
 * person may resend.
 */
SeedreamSubmission *
seedream_submission_new_from_entry (SeedreamHistoryEntry *entry,
                                    SeedreamHistory      *history)
{
  g_autoptr(SeedreamRequest) request = NULL;
  SeedreamSubmission *self;
  GDateTime *created;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (entry), NULL);
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (history), NULL);

  request = seedream_history_entry_to_request (entry);
  self = seedream_submission_new_with_history (request, history);
  self->entry_id = seedream_history_entry_get_id (entry);

  created = seedream_history_entry_get_created (entry);
  if (created != NULL)
    {
      g_clear_pointer (&self->created, g_date_time_unref);
      self->created = g_date_time_to_local (created);
    }

  switch (seedream_history_entry_get_state (entry))
    {
    case SEEDREAM_HISTORY_STATE_SUBMITTED:
    case SEEDREAM_HISTORY_STATE_DONE:
    case SEEDREAM_HISTORY_STATE_TASK_FAILED:
      self->state = SEEDREAM_SUBMISSION_STATE_SUBMITTED;
      self->task_id = g_strdup (seedream_history_entry_get_task_id (entry));
      break;

    case SEEDREAM_HISTORY_STATE_SENDING:
    case SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN:
      self->state = SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN;
      break;

    case SEEDREAM_HISTORY_STATE_CANCELLED:
      self->state = SEEDREAM_SUBMISSION_STATE_CANCELLED;
      break;

    case SEEDREAM_HISTORY_STATE_SEND_FAILED:
    default:
      self->state = SEEDREAM_SUBMISSION_STATE_FAILED;
      break;
    }

  if (self->state != SEEDREAM_SUBMISSION_STATE_SUBMITTED)
    {
      const char *message = seedream_history_entry_get_error_message (entry);

      self->error = g_error_new_literal (SEEDREAM_ERROR,
                                         self->state == SEEDREAM_SUBMISSION_STATE_CANCELLED
                                           ? SEEDREAM_ERROR_CANCELLED
                                           : SEEDREAM_ERROR_NETWORK,
                                         message != NULL && *message != '\0'
                                           ? message
                                           : _("This request was interrupted."));
    }

  return self;
}

/**
 * seedream_submission_get_history:
 *
 * Returns: (nullable) (transfer none): where the submission is recorded
 */
SeedreamHistory *
seedream_submission_get_history (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  return self->history;
}

/**
 * seedream_submission_get_entry_id:
 *
 * Returns: the history row's id, or 0 before it is written
 */
gint64
seedream_submission_get_entry_id (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), 0);

  return self->entry_id;
}

/**
 * seedream_submission_get_follower:
 *
 * Returns: (nullable) (transfer none): what follows the task once the
 *   service has given its id, or %NULL before
 */
SeedreamTaskFollower *
seedream_submission_get_follower (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  return self->follower;
}

SeedreamRequest *
seedream_submission_get_request (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  return self->request;
}

SeedreamSubmissionState
seedream_submission_get_state (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), SEEDREAM_SUBMISSION_STATE_FAILED);

  return self->state;
}

const char *
seedream_submission_get_task_id (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  return self->task_id;
}

/**
 * seedream_submission_get_error:
 *
 * Returns: (nullable): why the submission failed, or %NULL
 */
const GError *
seedream_submission_get_error (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  return self->error;
}

goffset
seedream_submission_get_bytes_sent (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), 0);

  return self->bytes_sent;
}

goffset
seedream_submission_get_bytes_total (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), 0);

  return self->bytes_total;
}

GDateTime *
seedream_submission_get_created (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  return self->created;
}

/**
 * seedream_submission_describe:
 *
 * Returns: (transfer full): the parameters in words, e.g.
 *   “2K · 4 images · 2 source images”
 */
char *
seedream_submission_describe (SeedreamSubmission *self)
{
  g_autofree char *resolution = NULL;
  g_autofree char *image_url = NULL;
  GString *text;
  guint batch_size = 1;
  guint n_sources;

  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  g_object_get (self->request,
                "resolution", &resolution,
                "batch-size", &batch_size,
                "image-url", &image_url,
                NULL);
  n_sources = g_list_model_get_n_items (seedream_request_get_source_files (self->request));

  text = g_string_new (resolution);
  g_string_append (text, " · ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", batch_size), batch_size);
  if (n_sources > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "%u source image", "%u source images", n_sources),
                              n_sources);
    }
  if (image_url != NULL && *image_url != '\0')
    {
      g_string_append (text, " · ");
      g_string_append (text, _("source URL"));
    }

  return g_string_free (text, FALSE);
}

/**
 * seedream_submission_can_retry:
 *
 * Returns: %TRUE when the submission failed, was cancelled or was
 *   interrupted, so sending it again is the person's explicit choice
 */
gboolean
seedream_submission_can_retry (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), FALSE);

  return self->state == SEEDREAM_SUBMISSION_STATE_FAILED ||
         self->state == SEEDREAM_SUBMISSION_STATE_CANCELLED ||
         self->state == SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN;
}

static void
seedream_submission_set_state (SeedreamSubmission      *self,
                               SeedreamSubmissionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
seedream_submission_progress_cb (goffset  done,
                                 goffset  total,
                                 gpointer user_data)
{
  SeedreamSubmission *self = user_data;

  if (self->bytes_total != total)
    {
      self->bytes_total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_TOTAL]);
    }
  if (self->bytes_sent != done)
    {
      self->bytes_sent = done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
    }
}

/* Failures are recorded as they are; the one exception is an answer that
 * never came after the whole body went out, where the task may well exist. */
static SeedreamHistoryState
history_state_for_error (SeedreamSubmission *self,
                         const GError       *error)
{
  gboolean body_sent = self->bytes_total > 0 && self->bytes_sent >= self->bytes_total;

  if (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED))
    return SEEDREAM_HISTORY_STATE_CANCELLED;

  if (body_sent &&
      (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TIMEOUT) ||
       g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NETWORK) ||
       g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE)))
    return SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN;

  return SEEDREAM_HISTORY_STATE_SEND_FAILED;
}

/* The history is a record, not a gate: once the row exists, a failed
 * update must not hide the answer from the person, so it is only logged. */
static void
seedream_submission_record_state (SeedreamSubmission   *self,
                                  SeedreamHistoryState  state,
                                  const GError         *reason)
{
  g_autoptr(GError) error = NULL;

  if (self->history == NULL || self->entry_id == 0)
    return;

  if (!seedream_history_set_state (self->history, self->entry_id, state,
                                   reason != NULL ? reason->message : NULL,
                                   reason != NULL ? seedream_error_get_server_message (reason) : NULL,
                                   &error))
    g_warning ("Could not record submission %" G_GINT64_FORMAT ": %s", self->entry_id, error->message);
}

static GFile *
seedream_submission_dup_results_dir (SeedreamSubmission *self)
{
  g_autoptr(GFile) parent = NULL;

  if (self->history != NULL)
    parent = g_object_ref (seedream_history_get_results_dir (self->history));
  else
    parent = g_file_new_build_filename (g_get_user_cache_dir (), "seedream-studio", "results", NULL);

  return g_file_get_child (parent, self->task_id);
}

static void
follower_result_ready_cb (SeedreamSubmission   *self,
                          guint                 index,
                          GFile                *file,
                          guint                 width,
                          guint                 height,
                          SeedreamTaskFollower *follower)
{
  SeedreamTaskInfo *info = seedream_task_follower_get_task_info (follower);
  const char *url = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;

  if (self->history == NULL || self->entry_id == 0)
    return;

  if (info != NULL && index < seedream_task_info_get_n_urls (info))
    url = seedream_task_info_get_urls (info)[index];

  if (!seedream_history_set_result (self->history, self->entry_id, index, url, path, width, height, &error))
    g_warning ("Could not record result %u of task %s: %s", index, self->task_id, error->message);
}

static void
follower_state_cb (SeedreamSubmission   *self,
                   GParamSpec           *pspec,
                   SeedreamTaskFollower *follower)
{
  const GError *error = seedream_task_follower_get_error (follower);

  switch (seedream_task_follower_get_state (follower))
    {
    case SEEDREAM_FOLLOW_STATE_DONE:
      seedream_submission_record_state (self, SEEDREAM_HISTORY_STATE_DONE, NULL);
      break;

    case SEEDREAM_FOLLOW_STATE_FAILED:
      /* Only the service's own verdict ends the task; a refused query
       * (say, a key removed meanwhile) leaves it to be followed again. */
      if (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED))
        seedream_submission_record_state (self, SEEDREAM_HISTORY_STATE_TASK_FAILED, error);
      break;

    case SEEDREAM_FOLLOW_STATE_IDLE:
    case SEEDREAM_FOLLOW_STATE_QUEUED:
    case SEEDREAM_FOLLOW_STATE_RUNNING:
    case SEEDREAM_FOLLOW_STATE_DOWNLOADING:
    case SEEDREAM_FOLLOW_STATE_STOPPED:
    default:
      break;
    }
}

static void
seedream_submission_follow (SeedreamSubmission *self)
{
  g_autoptr(GFile) results_dir = NULL;

  if (self->follower != NULL || self->client == NULL || self->task_id == NULL)
    return;

  results_dir = seedream_submission_dup_results_dir (self);
  self->follower = seedream_task_follower_new (self->client, self->task_id, results_dir);
  g_signal_connect_object (self->follower, "result-ready",
                           G_CALLBACK (follower_result_ready_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->follower, "notify::state",
                           G_CALLBACK (follower_state_cb), self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWER]);

  seedream_task_follower_start (self->follower);
}

/* When the whole body went out and no usable answer came back, the task
 * may exist: the submission says so (as a restored one does), so that a
 * retry is the person's informed choice, not a silent second charge. */
static void
seedream_submission_fail (SeedreamSubmission *self,
                          GError             *error)
{
  SeedreamHistoryState recorded = history_state_for_error (self, error);
  SeedreamSubmissionState state;

  if (recorded == SEEDREAM_HISTORY_STATE_CANCELLED)
    state = SEEDREAM_SUBMISSION_STATE_CANCELLED;
  else if (recorded == SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN)
    {
      gsize len = strlen (error->message);
      char *message;

      state = SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN;
      /* What it means for the person's credits belongs in the row itself,
       * not only in the dialog before a resend. */
      message = g_strdup_printf ("%s%s %s", error->message,
                                 len > 0 && error->message[len - 1] == '.' ? "" : ".",
                                 _("The request may still have reached the service and created the "
                                   "task: check your task list on the TensorsLab site before sending "
                                   "it again."));
      g_free (error->message);
      error->message = message;
    }
  else
    state = SEEDREAM_SUBMISSION_STATE_FAILED;

  seedream_submission_record_state (self, recorded, error);

  g_clear_error (&self->error);
  self->error = error;
  seedream_submission_set_state (self, state);
}

static void
seedream_submission_submit_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(SeedreamSubmission) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  task_id = seedream_client_submit_finish (SEEDREAM_CLIENT (object), result, &error);
  g_clear_object (&self->cancellable);

  if (task_id == NULL)
    {
      /* The client reports every cancellation in its own domain. */
      seedream_submission_fail (self, g_steal_pointer (&error));
      return;
    }

  g_debug ("Submission accepted as task %s", task_id);
  self->task_id = g_steal_pointer (&task_id);

  if (self->history != NULL && self->entry_id != 0 &&
      !seedream_history_set_submitted (self->history, self->entry_id, self->task_id, &error))
    g_warning ("Could not record task %s: %s", self->task_id, error->message);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK_ID]);
  seedream_submission_set_state (self, SEEDREAM_SUBMISSION_STATE_SUBMITTED);
  seedream_submission_follow (self);
}

static void
seedream_submission_send (SeedreamSubmission *self)
{
  seedream_client_submit_async (self->client,
                                self->request,
                                seedream_submission_progress_cb,
                                g_object_ref (self),
                                g_object_unref,
                                self->cancellable,
                                seedream_submission_submit_cb,
                                g_object_ref (self));
}

static void
seedream_submission_recorded_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(SeedreamSubmission) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = seedream_history_add_submission_finish (SEEDREAM_HISTORY (object), result, &error);
  if (id == 0)
    {
      g_clear_object (&self->cancellable);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          seedream_submission_fail (self, g_error_new_literal (SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED,
                                                               _("The request was cancelled before it was sent.")));
          return;
        }

      /* Sending without a record would lose track of a paid task if the
       * app stopped now, so nothing is sent. */
      seedream_submission_fail (self, g_error_new (SEEDREAM_ERROR, SEEDREAM_ERROR_SAVE_FAILED,
                                                   _("The request was not sent, because Seedream Studio "
                                                     "could not keep a record of it: %s"),
                                                   error->message));
      return;
    }

  self->entry_id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY_ID]);
  seedream_submission_send (self);
}

/**
 * seedream_submission_start:
 * @client: the client to send through
 *
 * Sends the request. Calling it again after a failure or a cancellation is
 * a retry; calling it while uploading does nothing. On a submission that
 * already has a task id (one restored at start), it follows the task.
 */
void
seedream_submission_start (SeedreamSubmission *self,
                           SeedreamClient     *client)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SEEDREAM_IS_SUBMISSION (self));
  g_return_if_fail (SEEDREAM_IS_CLIENT (client));

  if (self->cancellable != NULL)
    return;

  g_set_object (&self->client, client);

  if (self->state == SEEDREAM_SUBMISSION_STATE_SUBMITTED)
    {
      seedream_submission_follow (self);
      return;
    }

  g_clear_error (&self->error);
  self->bytes_sent = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
  self->state = SEEDREAM_SUBMISSION_STATE_UPLOADING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

  self->cancellable = g_cancellable_new ();

  if (self->history == NULL)
    {
      seedream_submission_send (self);
      return;
    }

  if (self->entry_id == 0)
    {
      seedream_history_add_submission_async (self->history, self->request, self->cancellable,
                                             seedream_submission_recorded_cb, g_object_ref (self));
      return;
    }

  /* A retry: the row is the same request, sent again. */
  if (!seedream_history_set_state (self->history, self->entry_id, SEEDREAM_HISTORY_STATE_SENDING,
                                   NULL, NULL, &error))
    {
      g_clear_object (&self->cancellable);
      seedream_submission_fail (self, g_error_new (SEEDREAM_ERROR, SEEDREAM_ERROR_SAVE_FAILED,
                                                   _("The request was not sent, because Seedream Studio "
                                                     "could not keep a record of it: %s"),
                                                   error->message));
      return;
    }

  seedream_submission_send (self);
}

/**
 * seedream_submission_set_client:
 * @client: the client with the current API key
 *
 * What the submission sends or asks through from now on, its task's
 * follower included: after the person replaces a revoked key, Check Again
 * and Retry must not go on using the old one.
 */
void
seedream_submission_set_client (SeedreamSubmission *self,
                                SeedreamClient     *client)
{
  g_return_if_fail (SEEDREAM_IS_SUBMISSION (self));
  g_return_if_fail (SEEDREAM_IS_CLIENT (client));

  g_set_object (&self->client, client);
  if (self->follower != NULL)
    seedream_task_follower_set_client (self->follower, client);
}

/**
 * seedream_submission_cancel:
 *
 * Stops the upload. If the service had already received the whole body,
 * the task may still have been created (and charged): the UI says so.
 */
void
seedream_submission_cancel (SeedreamSubmission *self)
{
  g_return_if_fail (SEEDREAM_IS_SUBMISSION (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
seedream_submission_dispose (GObject *object)
{
  SeedreamSubmission *self = SEEDREAM_SUBMISSION (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->follower != NULL)
    seedream_task_follower_cancel (self->follower);
  g_clear_object (&self->follower);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (seedream_submission_parent_class)->dispose (object);
}

static void
seedream_submission_finalize (GObject *object)
{
  SeedreamSubmission *self = SEEDREAM_SUBMISSION (object);

  g_clear_object (&self->request);
  g_clear_object (&self->history);
  g_clear_pointer (&self->task_id, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (seedream_submission_parent_class)->finalize (object);
}

static void
seedream_submission_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SeedreamSubmission *self = SEEDREAM_SUBMISSION (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;

    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_ENTRY_ID:
      g_value_set_int64 (value, self->entry_id);
      break;

    case PROP_FOLLOWER:
      g_value_set_object (value, self->follower);
      break;

    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;

    case PROP_BYTES_SENT:
      g_value_set_int64 (value, self->bytes_sent);
      break;

    case PROP_BYTES_TOTAL:
      g_value_set_int64 (value, self->bytes_total);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_submission_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SeedreamSubmission *self = SEEDREAM_SUBMISSION (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      self->request = g_value_dup_object (value);
      break;

    case PROP_HISTORY:
      self->history = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_submission_class_init (SeedreamSubmissionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_submission_dispose;
  object_class->finalize = seedream_submission_finalize;
  object_class->get_property = seedream_submission_get_property;
  object_class->set_property = seedream_submission_set_property;

  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL,
                         SEEDREAM_TYPE_REQUEST,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         SEEDREAM_TYPE_HISTORY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENTRY_ID] =
    g_param_spec_int64 ("entry-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FOLLOWER] =
    g_param_spec_object ("follower", NULL, NULL,
                         SEEDREAM_TYPE_TASK_FOLLOWER,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* An int rather than an enum type: the enum has no GType of its own. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      SEEDREAM_SUBMISSION_STATE_UPLOADING, SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN,
                      SEEDREAM_SUBMISSION_STATE_UPLOADING,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TASK_ID] =
    g_param_spec_string ("task-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BYTES_SENT] =
    g_param_spec_int64 ("bytes-sent", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BYTES_TOTAL] =
    g_param_spec_int64 ("bytes-total", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_submission_init (SeedreamSubmission *self)
{
  self->created = g_date_time_new_now_local ();
}
