/* seedream-submission.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One submission as the task list shows it: it owns a snapshot of the
 * request (so later edits of the form do not change what was sent), sends
 * it through a SeedreamClient, and reports progress, the task id or the
 * failure through properties. It never resends by itself: a retry is the
 * person's decision, because a duplicate generation costs credits twice.
 */

#define G_LOG_DOMAIN "seedream-submission"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-error.h"
#include "seedream-submission.h"

struct _SeedreamSubmission
{
  GObject                  parent_instance;

  SeedreamRequest         *request;
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
 * Returns: %TRUE when the submission failed or was cancelled, so sending it
 *   again is the person's explicit choice
 */
gboolean
seedream_submission_can_retry (SeedreamSubmission *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION (self), FALSE);

  return self->state == SEEDREAM_SUBMISSION_STATE_FAILED ||
         self->state == SEEDREAM_SUBMISSION_STATE_CANCELLED;
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
      gboolean cancelled = g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);

      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      seedream_submission_set_state (self, cancelled ? SEEDREAM_SUBMISSION_STATE_CANCELLED
                                                     : SEEDREAM_SUBMISSION_STATE_FAILED);
      return;
    }

  g_debug ("Submission accepted as task %s", task_id);
  self->task_id = g_steal_pointer (&task_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK_ID]);
  seedream_submission_set_state (self, SEEDREAM_SUBMISSION_STATE_SUBMITTED);
}

/**
 * seedream_submission_start:
 * @client: the client to send through
 *
 * Sends the request. Calling it again after a failure or a cancellation is
 * a retry; calling it while uploading or once submitted does nothing.
 */
void
seedream_submission_start (SeedreamSubmission *self,
                           SeedreamClient     *client)
{
  g_return_if_fail (SEEDREAM_IS_SUBMISSION (self));
  g_return_if_fail (SEEDREAM_IS_CLIENT (client));

  if (self->cancellable != NULL || self->state == SEEDREAM_SUBMISSION_STATE_SUBMITTED)
    return;

  g_clear_error (&self->error);
  self->bytes_sent = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
  self->state = SEEDREAM_SUBMISSION_STATE_UPLOADING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

  self->cancellable = g_cancellable_new ();
  seedream_client_submit_async (client,
                                self->request,
                                seedream_submission_progress_cb,
                                g_object_ref (self),
                                g_object_unref,
                                self->cancellable,
                                seedream_submission_submit_cb,
                                g_object_ref (self));
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

  G_OBJECT_CLASS (seedream_submission_parent_class)->dispose (object);
}

static void
seedream_submission_finalize (GObject *object)
{
  SeedreamSubmission *self = SEEDREAM_SUBMISSION (object);

  g_clear_object (&self->request);
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

  /* An int rather than an enum type: the enum has no GType of its own. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      SEEDREAM_SUBMISSION_STATE_UPLOADING, SEEDREAM_SUBMISSION_STATE_CANCELLED,
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
