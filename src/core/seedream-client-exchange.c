/* seedream-client-exchange.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sending one API message and reading its answer, capped at
 * SEEDREAM_RESPONSE_MAX_SIZE: what a query (and the submit thread, with
 * blocking calls) is built on.
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

/* Exchange: send an API message, read its answer with a cap {{{1 */

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  char         *host;
  goffset       sent;
  gint64        started;
  /* How much of the answer is read: less for a refusal (not 2xx), whose
   * body only matters if it is the envelope. */
  gsize         cap;
  gboolean      refused;
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *ex = data;

  seedream_client_close_stream_quietly (ex->stream);
  g_clear_object (&ex->stream);
  g_clear_object (&ex->msg);
  g_clear_pointer (&ex->buffer, g_byte_array_unref);
  g_clear_pointer (&ex->host, g_free);
  g_free (ex);
}

static void exchange_read_more (GTask *task);

static void
exchange_return_transport_error (GTask  *task,
                                 GError *error)
{
  Exchange *ex = g_task_get_task_data (task);

  g_debug ("%s %s failed: %s",
           soup_message_get_method (ex->msg), seedream_client_message_path (ex->msg), error->message);
  g_task_return_error (task, seedream_error_new_for_transport (error, ex->host));
}

static void
exchange_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL && !ex->refused)
    {
      exchange_return_transport_error (task, error);
      return;
    }

  size = bytes != NULL ? g_bytes_get_size (bytes) : 0;
  if (size > 0)
    g_byte_array_append (ex->buffer, g_bytes_get_data (bytes, NULL), size);

  /* A refusal's status arrived: what came of its body (if it broke off,
   * what came before) is only a way to say more than the status. */
  if (ex->refused && (bytes == NULL || size == 0 || ex->buffer->len > ex->cap))
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (ex->msg);
      g_autoptr(GBytes) body = NULL;

      g_debug ("%s %s: %u %s, %" G_GOFFSET_FORMAT " bytes sent, %u bytes read%s",
               soup_message_get_method (ex->msg), seedream_client_message_path (ex->msg),
               soup_message_get_status (ex->msg), soup_message_get_reason_phrase (ex->msg),
               ex->sent, ex->buffer->len, size == 0 ? "" : " (stopped at the cap)");
      body = g_byte_array_free_to_bytes (g_steal_pointer (&ex->buffer));
      g_task_return_error (task,
                           seedream_response_error_for_status (soup_message_get_status (ex->msg),
                                                               soup_message_headers_get_one (headers, "Retry-After"),
                                                               body, FALSE));
      return;
    }

  /* At the end, or one byte past the cap: enough to know it is too big,
   * which the parser reports. The rest is never read. */
  if (size == 0 || ex->buffer->len > ex->cap)
    {
      g_debug ("%s %s: %u %s, %" G_GOFFSET_FORMAT " bytes sent, %u bytes read%s in %" G_GINT64_FORMAT " ms",
               soup_message_get_method (ex->msg), seedream_client_message_path (ex->msg),
               soup_message_get_status (ex->msg), soup_message_get_reason_phrase (ex->msg),
               ex->sent, ex->buffer->len, size == 0 ? "" : " (stopped at the cap)",
               (g_get_monotonic_time () - ex->started) / 1000);
      g_task_return_pointer (task,
                             g_byte_array_free_to_bytes (g_steal_pointer (&ex->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  exchange_read_more (g_steal_pointer (&task));
}

static void
exchange_read_more (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);
  gsize want = MIN (ANSWER_CHUNK, ex->cap + 1 - ex->buffer->len);

  g_input_stream_read_bytes_async (ex->stream, want, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   exchange_read_cb, task);
}

static void
exchange_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;

  ex->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (ex->stream == NULL)
    {
      exchange_return_transport_error (task, error);
      return;
    }

  status = soup_message_get_status (ex->msg);
  ex->refused = !SOUP_STATUS_IS_SUCCESSFUL (status);
  ex->cap = ex->refused ? SEEDREAM_RESPONSE_ERROR_BODY_MAX : SEEDREAM_RESPONSE_MAX_SIZE;
  ex->buffer = g_byte_array_new ();
  exchange_read_more (g_steal_pointer (&task));
}

void
seedream_client_exchange_async (SeedreamClient      *self,
                                                SoupMessage         *msg,
                                                goffset              sent,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *ex;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_client_exchange_async);
  g_task_set_check_cancellable (task, FALSE);

  ex = g_new0 (Exchange, 1);
  ex->msg = g_object_ref (msg);
  ex->host = g_strdup (seedream_client_message_host (msg));
  ex->sent = sent;
  ex->started = g_get_monotonic_time ();
  g_task_set_task_data (task, ex, exchange_free);

  g_debug ("%s %s: sending %" G_GOFFSET_FORMAT " bytes",
           soup_message_get_method (msg), seedream_client_message_path (msg), sent);

  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                           exchange_sent_cb, g_steal_pointer (&task));
}

GBytes *
seedream_client_exchange_finish (SeedreamClient  *self,
                                                 GAsyncResult    *result,
                                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_client_exchange_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
