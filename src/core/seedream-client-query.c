/* seedream-client-query.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asking the service where a task stands (infobytaskid), retried with
 * backoff on temporary failures.
 */

#define G_LOG_DOMAIN "seedream-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "seedream-api-url.h"
#include "seedream-client.h"
#include "seedream-client-private.h"
#include "seedream-error.h"
#include "seedream-image-info.h"
#include "seedream-response.h"

/* Query {{{1 */

typedef struct
{
  char         *task_id;
  GBytes       *request_body;
  guint         attempt;
  GCancellable *attempt_cancellable;
  gulong        cancelled_id;
  GSource      *deadline;
  GSource      *wait;
  GSource      *wait_cancelled;
  gboolean      timed_out;
} QueryData;

static void
query_data_free (gpointer data)
{
  QueryData *qd = data;

  seedream_client_clear_source (&qd->deadline);
  seedream_client_clear_source (&qd->wait);
  seedream_client_clear_source (&qd->wait_cancelled);
  g_clear_object (&qd->attempt_cancellable);
  g_clear_pointer (&qd->request_body, g_bytes_unref);
  g_clear_pointer (&qd->task_id, g_free);
  g_free (qd);
}

static void query_start_attempt (GTask *task);

static void
query_cancel_attempt_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
query_deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  QueryData *qd = g_task_get_task_data (task);

  g_debug ("Query for task %s: no answer in time", qd->task_id);
  qd->timed_out = TRUE;
  g_cancellable_cancel (qd->attempt_cancellable);
  g_clear_pointer (&qd->deadline, g_source_unref);

  return G_SOURCE_REMOVE;
}

static gboolean
query_wait_done_cb (gpointer user_data)
{
  g_autoptr(GTask) task = g_object_ref (G_TASK (user_data));
  QueryData *qd = g_task_get_task_data (task);

  g_clear_pointer (&qd->wait, g_source_unref);
  seedream_client_clear_source (&qd->wait_cancelled);
  query_start_attempt (g_steal_pointer (&task));

  return G_SOURCE_REMOVE;
}

static gboolean
query_wait_cancelled_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (G_TASK (user_data));
  QueryData *qd = g_task_get_task_data (task);

  g_clear_pointer (&qd->wait_cancelled, g_source_unref);
  seedream_client_clear_source (&qd->wait);
  g_task_return_error (task, seedream_client_new_cancelled_error ());

  return G_SOURCE_REMOVE;
}

static void
query_attempt_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SeedreamClient *self = SEEDREAM_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  QueryData *qd = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint delay;
  guint retry_after;

  seedream_client_clear_source (&qd->deadline);
  if (qd->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, qd->cancelled_id);
      qd->cancelled_id = 0;
    }

  body = seedream_client_exchange_finish (self, result, &error);

  if (seedream_client_task_is_cancelled (task))
    {
      g_task_return_error (task, seedream_client_new_cancelled_error ());
      return;
    }

  if (body == NULL && qd->timed_out)
    {
      g_autoptr(GError) timed_out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "");

      g_clear_error (&error);
      error = seedream_error_new_for_transport (timed_out, self->host);
    }

  if (body != NULL)
    info = seedream_response_parse_task_info (body, &error);

  /* An answer about another task says nothing about ours, which exists and
   * is paid for: a bad answer, so temporary like any other (a cache or a
   * balancer that mixed answers up may well get it right next time). Its
   * images are never taken for ours. */
  if (info != NULL && g_strcmp0 (seedream_task_info_get_task_id (info), qd->task_id) != 0)
    {
      g_clear_object (&info);
      error = seedream_error_new_bad_response (_("the answer was about another task"));
    }

  if (info != NULL)
    {
      g_debug ("Task %s is %s (image_status %" G_GINT64_FORMAT ", %u URLs)",
               qd->task_id,
               seedream_task_state_to_string (seedream_task_info_get_state (info)),
               seedream_task_info_get_image_status (info),
               seedream_task_info_get_n_urls (info));
      g_task_return_pointer (task, g_steal_pointer (&info), g_object_unref);
      return;
    }

  if (!seedream_error_is_temporary_while_following (error) || qd->attempt > self->max_query_retries)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* 1 s, 2 s, 4 s, …; a longer Retry-After wins. */
  delay = 1u << MIN (qd->attempt - 1, 6);
  retry_after = seedream_error_get_retry_after (error);
  if (retry_after > delay)
    delay = MIN (retry_after, MAX_RETRY_WAIT);

  g_debug ("Query for task %s failed (%s); trying again in %u s",
           qd->task_id, error->message, delay);

  qd->wait = seedream_client_attach_task_source (task, g_timeout_source_new_seconds (delay), query_wait_done_cb);
  if (cancellable != NULL)
    qd->wait_cancelled = seedream_client_attach_task_source (task, g_cancellable_source_new (cancellable),
                                                             (GSourceFunc) query_wait_cancelled_cb);
}

static void
query_start_attempt (GTask *task)
{
  SeedreamClient *self = g_task_get_source_object (task);
  QueryData *qd = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  qd->attempt++;
  qd->timed_out = FALSE;
  g_clear_object (&qd->attempt_cancellable);
  qd->attempt_cancellable = g_cancellable_new ();

  msg = seedream_client_new_api_message (self, QUERY_ENDPOINT, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* Asking is harmless: a kept-alive connection may be reused. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_set_request_body_from_bytes (msg, "application/json", qd->request_body);

  if (cancellable != NULL)
    qd->cancelled_id = g_cancellable_connect (cancellable,
                                              G_CALLBACK (query_cancel_attempt_cb),
                                              g_object_ref (qd->attempt_cancellable),
                                              g_object_unref);

  /* The provider's scripts give a query 30 s in all. */
  qd->deadline = seedream_client_attach_task_source (task, g_timeout_source_new_seconds (self->query_timeout),
                                                     query_deadline_cb);

  seedream_client_exchange_async (self, msg, g_bytes_get_size (qd->request_body), qd->attempt_cancellable,
                                  query_attempt_cb, task);
}

static GBytes *
query_body_new (const char *task_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "taskid");
  json_builder_add_string_value (builder, task_id);
  json_builder_end_object (builder);

  return seedream_client_json_bytes (builder);
}

/**
 * seedream_client_query_task_async:
 * @self: a #SeedreamClient
 * @task_id: the id seedream_client_submit_finish() returned
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with what the service said
 * @user_data: data for @callback
 *
 * Asks infobytaskid about a task. Temporary failures (network, timeout,
 * 5xx, 429, any envelope code other than 1000, an answer that does not
 * parse or lacks fields: see seedream_error_is_temporary_while_following())
 * are retried after 1, 2 and 4 s (a longer Retry-After wins) before the
 * last error is reported.
 * Each attempt gets #SeedreamClient:query-timeout seconds.
 */
void
seedream_client_query_task_async (SeedreamClient      *self,
                                  const char          *task_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QueryData *qd;

  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_client_query_task_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!seedream_response_is_valid_task_id (task_id))
    {
      g_task_return_new_error (task, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                               _("“%s” is not a task id."), task_id ? task_id : "");
      return;
    }

  qd = g_new0 (QueryData, 1);
  qd->task_id = g_strdup (task_id);
  qd->request_body = query_body_new (task_id);
  g_task_set_task_data (task, qd, query_data_free);

  query_start_attempt (g_steal_pointer (&task));
}

/**
 * seedream_client_query_task_finish:
 * @self: a #SeedreamClient
 * @result: the result given to the callback
 * @error: return location for a #SEEDREAM_ERROR
 *
 * A task that failed on the service is not an error here: it comes back
 * in %SEEDREAM_TASK_STATE_FAILED.
 *
 * Returns: (transfer full): what the service said, or %NULL with @error set
 */
SeedreamTaskInfo *
seedream_client_query_task_finish (SeedreamClient  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_client_query_task_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
