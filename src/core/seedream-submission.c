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
 *
 * What the task list shows comes from here alone: one status made of the
 * submission's state and its follower's, whether Retry and Refresh make
 * sense, and the results with the errors of those that failed.
 */

#define G_LOG_DOMAIN "seedream-submission"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-submission.h"

struct _SeedreamSubmission
{
  GObject                  parent_instance;

  SeedreamRequest         *request;
  SeedreamHistory         *history;
  gint64                   entry_id;
  gboolean                 favourite;
  /* The submission this one was made from, as its history row says. */
  gint64                   parent_id;
  char                    *parent_prompt;
  SeedreamClient          *client;
  SeedreamTaskFollower    *follower;
  SeedreamSubmissionState  state;
  SeedreamSubmissionStatus status;
  gboolean                 can_retry;
  gboolean                 can_refresh;
  /* (element-type SeedreamSubmissionResult), ordered by index */
  GListStore              *results;
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
  PROP_STATUS,
  PROP_ERROR,
  PROP_CAN_RETRY,
  PROP_CAN_REFRESH,
  PROP_DOWNLOAD_FRACTION,
  PROP_RESULTS,
  PROP_TASK_ID,
  PROP_BYTES_SENT,
  PROP_BYTES_TOTAL,
  PROP_FAVOURITE,
  PROP_PARENT_PROMPT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void seedream_submission_update_status (SeedreamSubmission *self);

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
/* Each image's star is its history result's. */
static void
update_result_favourites (SeedreamSubmission   *self,
                          SeedreamHistoryEntry *entry)
{
  GPtrArray *stored = seedream_history_entry_get_results (entry);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->results));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (G_LIST_MODEL (self->results), i);
      guint index = seedream_submission_result_get_index (result);
      gboolean favourite = FALSE;

      for (guint k = 0; k < stored->len; k++)
        if (seedream_history_result_get_index (g_ptr_array_index (stored, k)) == index)
          favourite = seedream_history_result_get_favourite (g_ptr_array_index (stored, k));

      seedream_submission_result_set_favourite (result, favourite);
    }
}

/* "From: <the parent's prompt>" is the history row's: read with the
 * row, so it also follows the parent's prompt going away. */
static void
update_lineage (SeedreamSubmission   *self,
                SeedreamHistoryEntry *entry)
{
  const char *prompt = seedream_history_entry_get_parent_prompt (entry);
  gint64 parent_id = 0;

  seedream_history_entry_get_parent (entry, &parent_id, NULL);
  if (parent_id == self->parent_id && g_strcmp0 (prompt, self->parent_prompt) == 0)
    return;

  self->parent_id = parent_id;
  g_set_str (&self->parent_prompt, prompt);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARENT_PROMPT]);
}

/* The stars are the history row's (set from History, the task row or the
 * preview): read again when that row changes, which it also does when a
 * result is recorded, so an image restored at start gets its star. */
static void
entry_changed_cb (SeedreamSubmission *self,
                  gint64              id,
                  SeedreamHistory    *history)
{
  g_autoptr(SeedreamHistoryEntry) entry = NULL;

  if (id == 0 || id != self->entry_id)
    return;

  entry = seedream_history_lookup (history, id, NULL);
  if (entry == NULL)
    return;

  update_result_favourites (self, entry);
  update_lineage (self, entry);
  if (seedream_history_entry_get_favourite (entry) == self->favourite)
    return;

  self->favourite = seedream_history_entry_get_favourite (entry);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAVOURITE]);
}

SeedreamSubmission *
seedream_submission_new_with_history (SeedreamRequest *request,
                                      SeedreamHistory *history)
{
  SeedreamSubmission *self;

  g_return_val_if_fail (SEEDREAM_IS_REQUEST (request), NULL);
  g_return_val_if_fail (history == NULL || SEEDREAM_IS_HISTORY (history), NULL);

  self = g_object_new (SEEDREAM_TYPE_SUBMISSION,
                       "request", request,
                       "history", history,
                       NULL);
  if (history != NULL)
    g_signal_connect_object (history, "entry-changed", G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

gboolean
seedream_submission_get_favourite (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), FALSE);

  return self->favourite;
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
  self->favourite = seedream_history_entry_get_favourite (entry);
  update_lineage (self, entry);

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
    case SEEDREAM_HISTORY_STATE_NO_IMAGES:
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

  seedream_submission_update_status (self);

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
/**
 * seedream_submission_get_parent:
 * @self: a submission
 * @parent_id: (out) (optional): the parent's history row
 *
 * Returns: (nullable): the prompt of the submission this one was made from
 *   (:parent-prompt), or %NULL
 */
const char *
seedream_submission_get_parent (SeedreamSubmission *self,
                                gint64             *parent_id)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  if (parent_id != NULL)
    *parent_id = self->parent_id;

  return self->parent_prompt;
}

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
 * seedream_submission_get_status:
 *
 * Returns: where the submission stands, its task's progress included
 */
SeedreamSubmissionStatus
seedream_submission_get_status (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), SEEDREAM_SUBMISSION_STATUS_FAILED);

  return self->status;
}

/**
 * seedream_submission_get_error:
 *
 * Returns: (nullable): why the submission failed (or why following its
 *   task did), or %NULL
 */
const GError *
seedream_submission_get_error (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  if (self->error == NULL && self->follower != NULL &&
      (seedream_task_follower_get_state (self->follower) == SEEDREAM_FOLLOW_STATE_FAILED ||
       seedream_task_follower_get_state (self->follower) == SEEDREAM_FOLLOW_STATE_NO_IMAGES))
    return seedream_task_follower_get_error (self->follower);

  return self->error;
}

/**
 * seedream_submission_get_elapsed_seconds:
 *
 * Returns: how long the service has been at the task (see
 *   seedream_task_follower_get_elapsed_seconds()), or 0 before it is followed
 */
gint64
seedream_submission_get_elapsed_seconds (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), 0);

  return self->follower != NULL ? seedream_task_follower_get_elapsed_seconds (self->follower) : 0;
}

/**
 * seedream_submission_get_download_fraction:
 *
 * Returns: how much of the task's images is here, 0..1
 */
double
seedream_submission_get_download_fraction (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), 0.0);

  return self->follower != NULL ? seedream_task_follower_get_download_fraction (self->follower) : 0.0;
}

/**
 * seedream_submission_get_n_expected_results:
 *
 * Returns: how many images the task makes: as many as the service listed
 *   once it finished (fewer than asked, or none, may come; more are not
 *   fetched), the batch size (an upper bound) before
 */
guint
seedream_submission_get_n_expected_results (SeedreamSubmission *self)
{
  SeedreamTaskInfo *info;

  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), 0);

  info = self->follower != NULL ? seedream_task_follower_get_task_info (self->follower) : NULL;
  /* Never more than were asked: the follower fetches no more. */
  if (info != NULL && seedream_task_info_get_state (info) == SEEDREAM_TASK_STATE_DONE)
    return MIN (seedream_task_info_get_n_urls (info), seedream_request_get_batch_size (self->request));

  return seedream_request_get_batch_size (self->request);
}

/* Whether the service has said how many images came. */
static gboolean
seedream_submission_knows_n_results (SeedreamSubmission *self)
{
  SeedreamTaskInfo *info = self->follower != NULL ? seedream_task_follower_get_task_info (self->follower) : NULL;

  return info != NULL && seedream_task_info_get_state (info) == SEEDREAM_TASK_STATE_DONE;
}

/**
 * seedream_submission_get_results:
 *
 * Returns: (transfer none): the task's images so far, one
 *   SeedreamSubmissionResult each, ordered by index; a failed one carries
 *   its error and no file
 */
GListModel *
seedream_submission_get_results (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  return G_LIST_MODEL (self->results);
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
 * The count is an upper bound until the service has answered (it may
 * make fewer): “up to 4 images”; then it is what came: “2 images”.
 *
 * Returns: (transfer full): the parameters in words, the model first, e.g.
 *   “Seedream 4.5 · 2K · up to 4 images · 2 source images”
 */
char *
seedream_submission_describe (SeedreamSubmission *self)
{
  g_autofree char *resolution = NULL;
  g_autofree char *image_url = NULL;
  GString *text;
  guint batch_size = 1;
  guint n_sources;
  guint n_results;

  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), NULL);

  g_object_get (self->request,
                "resolution", &resolution,
                "batch-size", &batch_size,
                "image-url", &image_url,
                NULL);
  n_sources = g_list_model_get_n_items (seedream_request_get_source_files (self->request));

  text = g_string_new (seedream_request_get_model (self->request)->display_name);
  g_string_append_printf (text, " · %s · ", resolution);
  n_results = seedream_submission_get_n_expected_results (self);
  if (!seedream_submission_knows_n_results (self))
    /* Translators: the number of images asked for; fewer may come */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "up to %u image", "up to %u images", batch_size),
                            batch_size);
  else if (n_results == 0)
    g_string_append (text, _("no images"));
  else
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", n_results), n_results);
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

  return self->can_retry;
}

/**
 * seedream_submission_can_refresh:
 *
 * Returns: %TRUE when asking the service about the task again may help:
 *   the deadline passed, a refused query stopped the following, or some
 *   images could not be fetched. Never a resend: that would charge twice.
 */
gboolean
seedream_submission_can_refresh (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), FALSE);

  return self->can_refresh;
}

static gboolean
seedream_submission_has_failed_results (SeedreamSubmission *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->results));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (G_LIST_MODEL (self->results), i);

      if (seedream_submission_result_get_error (result) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* The one place the submission's state and its follower's meet. */
static SeedreamSubmissionStatus
seedream_submission_compute_status (SeedreamSubmission *self)
{
  switch (self->state)
    {
    case SEEDREAM_SUBMISSION_STATE_UPLOADING:
      return SEEDREAM_SUBMISSION_STATUS_UPLOADING;

    case SEEDREAM_SUBMISSION_STATE_FAILED:
      return SEEDREAM_SUBMISSION_STATUS_FAILED;

    case SEEDREAM_SUBMISSION_STATE_CANCELLED:
      return SEEDREAM_SUBMISSION_STATUS_CANCELLED;

    case SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN:
      return SEEDREAM_SUBMISSION_STATUS_OUTCOME_UNKNOWN;

    case SEEDREAM_SUBMISSION_STATE_SUBMITTED:
    default:
      break;
    }

  if (self->follower == NULL)
    return SEEDREAM_SUBMISSION_STATUS_SUBMITTED;

  switch (seedream_task_follower_get_state (self->follower))
    {
    case SEEDREAM_FOLLOW_STATE_IDLE:
    case SEEDREAM_FOLLOW_STATE_QUEUED:
      return SEEDREAM_SUBMISSION_STATUS_QUEUED;

    case SEEDREAM_FOLLOW_STATE_RUNNING:
      return SEEDREAM_SUBMISSION_STATUS_RUNNING;

    case SEEDREAM_FOLLOW_STATE_DOWNLOADING:
      return SEEDREAM_SUBMISSION_STATUS_DOWNLOADING;

    case SEEDREAM_FOLLOW_STATE_DONE:
      return SEEDREAM_SUBMISSION_STATUS_DONE;

    case SEEDREAM_FOLLOW_STATE_FAILED:
      return SEEDREAM_SUBMISSION_STATUS_FAILED;

    case SEEDREAM_FOLLOW_STATE_STOPPED:
      return SEEDREAM_SUBMISSION_STATUS_STILL_RUNNING;

    case SEEDREAM_FOLLOW_STATE_NO_IMAGES:
      return SEEDREAM_SUBMISSION_STATUS_NO_IMAGES;

    default:
      g_assert_not_reached ();
    }
}

static void
seedream_submission_update_status (SeedreamSubmission *self)
{
  SeedreamSubmissionStatus status = seedream_submission_compute_status (self);
  gboolean can_retry;
  gboolean can_refresh = FALSE;

  can_retry = self->state == SEEDREAM_SUBMISSION_STATE_FAILED ||
              self->state == SEEDREAM_SUBMISSION_STATE_CANCELLED ||
              self->state == SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN;

  /* A task the service itself failed is over; anything else that stopped
   * the following (a refused query, the deadline) is worth asking again. */
  if (self->follower != NULL)
    can_refresh = status == SEEDREAM_SUBMISSION_STATUS_STILL_RUNNING ||
                  (status == SEEDREAM_SUBMISSION_STATUS_FAILED &&
                   !g_error_matches (seedream_task_follower_get_error (self->follower),
                                     SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED)) ||
                  (status == SEEDREAM_SUBMISSION_STATUS_DONE && seedream_submission_has_failed_results (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (self->can_retry != can_retry)
    {
      self->can_retry = can_retry;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RETRY]);
    }
  if (self->can_refresh != can_refresh)
    {
      self->can_refresh = can_refresh;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REFRESH]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
seedream_submission_set_state (SeedreamSubmission      *self,
                               SeedreamSubmissionState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  seedream_submission_update_status (self);
}

/* Where the result with @index is, or where it would go. */
static gboolean
seedream_submission_find_result (SeedreamSubmission        *self,
                                 guint                      index,
                                 guint                     *position,
                                 SeedreamSubmissionResult **found)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  guint i;

  for (i = 0; i < n_items; i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (G_LIST_MODEL (self->results), i);
      guint result_index = seedream_submission_result_get_index (result);

      if (result_index == index)
        {
          *position = i;
          if (found != NULL)
            *found = g_steal_pointer (&result);
          return TRUE;
        }
      if (result_index > index)
        break;
    }

  *position = i;
  return FALSE;
}

/* A refresh reports the images already here again: each is kept once, and
 * a failure never replaces an image that did arrive. */
static void
seedream_submission_add_result (SeedreamSubmission       *self,
                                SeedreamSubmissionResult *result)
{
  g_autoptr(SeedreamSubmissionResult) existing = NULL;
  guint position;

  if (seedream_submission_find_result (self, seedream_submission_result_get_index (result), &position, &existing))
    {
      if (seedream_submission_result_get_file (existing) != NULL)
        return;
      g_list_store_splice (self->results, position, 1, (gpointer *) &result, 1);
    }
  else
    g_list_store_insert (self->results, position, result);

  seedream_submission_update_status (self);
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

/* Whether the service itself said no to the request: it answered, and its
 * answer is a refusal (a 4xx other than 408, or an envelope with a code
 * other than 1000 on a 2xx). Then no task was made and nothing is billed. */
static gboolean
is_clear_refusal (const GError *error)
{
  guint status = seedream_error_get_http_status (error);

  if (error->domain != SEEDREAM_ERROR)
    return FALSE;

  /* A gateway's 5xx or 408 says nothing about what the service did. */
  if (status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT)
    return FALSE;

  switch ((SeedreamError) error->code)
    {
    case SEEDREAM_ERROR_INVALID_INPUT:
    case SEEDREAM_ERROR_AUTHENTICATION:
    case SEEDREAM_ERROR_INSUFFICIENT_CREDITS:
    case SEEDREAM_ERROR_RATE_LIMITED:
    case SEEDREAM_ERROR_SERVER_FAILURE:
      return TRUE;

    case SEEDREAM_ERROR_HTTP:
      return status >= 400 && status < 500;

    case SEEDREAM_ERROR_NETWORK:
    case SEEDREAM_ERROR_TIMEOUT:
    case SEEDREAM_ERROR_BAD_RESPONSE:
    case SEEDREAM_ERROR_CANCELLED:
    case SEEDREAM_ERROR_INSECURE_URL:
    case SEEDREAM_ERROR_TASK_FAILED:
    case SEEDREAM_ERROR_SAVE_FAILED:
    case SEEDREAM_ERROR_NO_IMAGES:
    case SEEDREAM_ERROR_RESULT_TOO_LARGE:
    default:
      return FALSE;
    }
}

/* Before the last byte went out, a failure is what it says (nothing
 * reached the service whole). After it, only a clear refusal is: anything
 * else, a cancel included, may have left a task the service makes and
 * bills, so it is "outcome unknown" and a resend is the person's choice. */
static SeedreamHistoryState
history_state_for_error (SeedreamSubmission *self,
                         const GError       *error)
{
  gboolean body_sent = self->bytes_total > 0 && self->bytes_sent >= self->bytes_total;

  if (body_sent && !is_clear_refusal (error))
    return SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN;

  if (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED))
    return SEEDREAM_HISTORY_STATE_CANCELLED;

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
  g_autoptr(SeedreamSubmissionResult) result = seedream_submission_result_new (index, file, width, height, NULL);

  seedream_submission_add_result (self, result);

  if (self->history == NULL || self->entry_id == 0)
    return;

  if (info != NULL && index < seedream_task_info_get_n_urls (info))
    url = seedream_task_info_get_urls (info)[index];

  if (!seedream_history_set_result (self->history, self->entry_id, index, url, path, width, height, &error))
    g_warning ("Could not record result %u of task %s: %s", index, self->task_id, error->message);
}

static void
follower_result_failed_cb (SeedreamSubmission   *self,
                           guint                 index,
                           GError               *error,
                           SeedreamTaskFollower *follower)
{
  g_autoptr(SeedreamSubmissionResult) result = seedream_submission_result_new (index, NULL, 0, 0, error);

  seedream_submission_add_result (self, result);
}

static void
follower_error_cb (SeedreamSubmission *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  seedream_submission_update_status (self);
}

static void
follower_download_fraction_cb (SeedreamSubmission *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_FRACTION]);
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

    case SEEDREAM_FOLLOW_STATE_NO_IMAGES:
      /* Its own outcome, with the likely reason in words. */
      seedream_submission_record_state (self, SEEDREAM_HISTORY_STATE_NO_IMAGES, error);
      break;

    case SEEDREAM_FOLLOW_STATE_IDLE:
    case SEEDREAM_FOLLOW_STATE_QUEUED:
    case SEEDREAM_FOLLOW_STATE_RUNNING:
    case SEEDREAM_FOLLOW_STATE_DOWNLOADING:
    case SEEDREAM_FOLLOW_STATE_STOPPED:
    default:
      break;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  seedream_submission_update_status (self);
}

static void
seedream_submission_follow (SeedreamSubmission *self)
{
  g_autoptr(GFile) results_dir = NULL;

  if (self->follower != NULL || self->client == NULL || self->task_id == NULL)
    return;

  results_dir = seedream_submission_dup_results_dir (self);
  self->follower = seedream_task_follower_new (self->client, self->task_id, results_dir);
  seedream_task_follower_set_max_results (self->follower, seedream_request_get_batch_size (self->request));
  /* The row is written before anything is sent: the task cannot be older. */
  if (self->created != NULL)
    seedream_task_follower_set_submitted_time (self->follower,
                                               g_date_time_to_unix (self->created) * G_USEC_PER_SEC +
                                               g_date_time_get_microsecond (self->created));
  /* Each result gets the prompt and the AI-made mark written into it. */
  seedream_task_follower_set_request (self->follower, self->request);
  g_signal_connect_object (self->follower, "result-ready",
                           G_CALLBACK (follower_result_ready_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->follower, "result-failed",
                           G_CALLBACK (follower_result_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->follower, "notify::state",
                           G_CALLBACK (follower_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->follower, "notify::error",
                           G_CALLBACK (follower_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->follower, "notify::download-fraction",
                           G_CALLBACK (follower_download_fraction_cb), self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWER]);
  seedream_submission_update_status (self);

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
      if (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED))
        message = g_strdup_printf ("%s %s",
                                   _("Cancelled after the whole request had been sent: the service may "
                                     "still make the images, and bill them."),
                                   _("Check your task list on the TensorsLab site before sending it "
                                     "again."));
      else if (seedream_error_get_http_status (error) >= 500 ||
               seedream_error_get_http_status (error) == SOUP_STATUS_REQUEST_TIMEOUT)
        {
          /* The status's own message says "Try again", which is the
           * wrong first advice once the request may have been billed. */
          guint status = seedream_error_get_http_status (error);
          /* Translators: %u %s is an HTTP status, e.g. "502 Bad Gateway" */
          g_autofree char *answered = g_strdup_printf (_("The service answered %u %s after the whole request had been sent."),
                                                       status, soup_status_get_phrase (status));

          message = g_strdup_printf ("%s %s", answered,
                                     _("The request may still have reached the service and created the "
                                       "task: check your task list on the TensorsLab site before sending "
                                       "it again."));
        }
      else
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
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
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
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
  /* The row now holds the lineage; the task row shows it while sending. */
  entry = seedream_history_lookup (self->history, id, NULL);
  if (entry != NULL)
    update_lineage (self, entry);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  self->bytes_sent = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
  self->state = SEEDREAM_SUBMISSION_STATE_UPLOADING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  seedream_submission_update_status (self);

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
 * seedream_submission_retry:
 * @error: return location for an error
 *
 * Sends a failed, cancelled or interrupted submission again, through the
 * client it was last given (seedream_submission_start() or
 * seedream_submission_set_client()). Whether the person knows the first
 * attempt may have created the task is the caller's to make sure of.
 *
 * Returns: %TRUE if it is being sent again, or %FALSE with @error set
 */
gboolean
seedream_submission_retry (SeedreamSubmission  *self,
                           GError             **error)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->can_retry)
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                           _("This request is not waiting to be sent again."));
      return FALSE;
    }

  if (self->client == NULL)
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION,
                           _("There is no API key to send this request with. "
                             "Add your key in Preferences, then try again."));
      return FALSE;
    }

  seedream_submission_start (self, self->client);
  return TRUE;
}

/**
 * seedream_submission_refresh:
 *
 * Asks the service about the task again (see seedream_task_follower_refresh()),
 * forgetting the images that could not be fetched so that they are tried
 * again. Does nothing before the task is followed.
 */
void
seedream_submission_refresh (SeedreamSubmission *self)
{
  guint n_items;

  g_return_if_fail (SEEDREAM_IS_SUBMISSION (self));

  if (self->follower == NULL)
    return;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  for (guint i = n_items; i > 0; i--)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (G_LIST_MODEL (self->results), i - 1);

      if (seedream_submission_result_get_error (result) != NULL)
        g_list_store_remove (self->results, i - 1);
    }

  seedream_task_follower_refresh (self->follower);
  seedream_submission_update_status (self);
}

/**
 * seedream_submission_delete_result:
 * @index: the result's index in the task
 * @error: return location for an error
 *
 * Deletes the image's file (through the history when there is one, which
 * also forgets it there) and removes it from the results. An image already
 * gone is not an error.
 *
 * Returns: %TRUE, or %FALSE with @error set (the result is kept then)
 */
gboolean
seedream_submission_delete_result (SeedreamSubmission  *self,
                                   guint                index,
                                   GError             **error)
{
  g_autoptr(SeedreamSubmissionResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  GFile *file;
  guint position;

  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!seedream_submission_find_result (self, index, &position, &result))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The image %u of this submission is not here."), index + 1);
      return FALSE;
    }

  file = seedream_submission_result_get_file (result);
  if (self->history != NULL && self->entry_id != 0)
    seedream_history_delete_result (self->history, self->entry_id, index, &local_error);
  else if (file != NULL)
    g_file_delete (file, NULL, &local_error);

  if (local_error != NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_list_store_remove (self->results, position);
  seedream_submission_update_status (self);
  return TRUE;
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
  g_clear_pointer (&self->parent_prompt, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_object (&self->results);

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

    case PROP_FAVOURITE:
      g_value_set_boolean (value, self->favourite);
      break;

    case PROP_PARENT_PROMPT:
      g_value_set_string (value, self->parent_prompt);
      break;

    case PROP_FOLLOWER:
      g_value_set_object (value, self->follower);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, seedream_submission_get_error (self));
      break;

    case PROP_CAN_RETRY:
      g_value_set_boolean (value, self->can_retry);
      break;

    case PROP_CAN_REFRESH:
      g_value_set_boolean (value, self->can_refresh);
      break;

    case PROP_DOWNLOAD_FRACTION:
      g_value_set_double (value, seedream_submission_get_download_fraction (self));
      break;

    case PROP_RESULTS:
      g_value_set_object (value, self->results);
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

  /* Starred: the history row's favourite, followed. */
  properties[PROP_FAVOURITE] =
    g_param_spec_boolean ("favourite", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The prompt of the submission one of its sources came from (NULL:
   * none, or not in the history); seedream_submission_get_parent(). */
  properties[PROP_PARENT_PROMPT] =
    g_param_spec_string ("parent-prompt", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FOLLOWER] =
    g_param_spec_object ("follower", NULL, NULL,
                         SEEDREAM_TYPE_TASK_FOLLOWER,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SEEDREAM_TYPE_SUBMISSION_STATE,
                       SEEDREAM_SUBMISSION_STATE_UPLOADING,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       SEEDREAM_TYPE_SUBMISSION_STATUS,
                       SEEDREAM_SUBMISSION_STATUS_UPLOADING,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_RETRY] =
    g_param_spec_boolean ("can-retry", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_REFRESH] =
    g_param_spec_boolean ("can-refresh", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DOWNLOAD_FRACTION] =
    g_param_spec_double ("download-fraction", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RESULTS] =
    g_param_spec_object ("results", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

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
  self->results = g_list_store_new (SEEDREAM_TYPE_SUBMISSION_RESULT);
}
