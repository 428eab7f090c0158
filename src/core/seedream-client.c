/* seedream-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TensorsLab Images API: submit a generation, query a task, download a
 * result. Queries and downloads go through one SoupSession on the main
 * context; a submission's body is sent from a thread of its own (see
 * "Submit" below for why and how).
 *
 * Rules this file keeps:
 * - The key goes only to the configured API base URL (checked by
 *   seedream_api_url_normalize(): HTTPS, or plain HTTP to loopback), in
 *   `Authorization: Bearer <key>`. API requests never follow redirects, so
 *   the header cannot travel elsewhere; downloads of results (on a file
 *   host) are separate messages that never carry it. No session has a
 *   SoupAuthManager, so nothing else adds credentials.
 * - Nothing logs the key: the debug lines name the method, the URL path,
 *   the status and byte counts, never headers. No SoupLogger.
 * - A submission is never retried: once its body may have reached the
 *   server, a second one could cost the credits twice. A POST also never
 *   reuses a kept-alive connection in libsoup, so libsoup itself does not
 *   resend it either.
 * - Queries are retried on transient failures with backoff.
 * - API answers are read only up to SEEDREAM_RESPONSE_MAX_SIZE (+1 byte to
 *   see that it is too big); results are streamed to disk.
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
#include "seedream-error.h"
#include "seedream-image-info.h"
#include "seedream-response.h"

#define QUERY_ENDPOINT "/v1/images/infobytaskid"

/* Bytes asked for per read of an API answer and of a download. */
#define ANSWER_CHUNK   (16 * 1024)
#define DOWNLOAD_CHUNK (64 * 1024)

/* A download is checked to be an image once this much has arrived. */
#define SNIFF_BYTES 64

/* A Retry-After longer than this is not honoured by the query retries
 * (the error still carries the full value). */
#define MAX_RETRY_WAIT 60

struct _SeedreamClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *host;
  char        *api_key;
  guint        timeout;
  guint        query_timeout;
  guint        max_query_retries;
};

static void seedream_client_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SeedreamClient, seedream_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      seedream_client_initable_iface_init))

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_KEY,
  PROP_TIMEOUT,
  PROP_QUERY_TIMEOUT,
  PROP_MAX_QUERY_RETRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers {{{1 */

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Like g_task_attach_source(), but the source keeps the task alive. */
static GSource *
attach_task_source (GTask       *task,
                    GSource     *source,
                    GSourceFunc  func)
{
  g_source_set_callback (source, func, g_object_ref (task), g_object_unref);
  g_source_set_priority (source, g_task_get_priority (task));
  g_source_attach (source, g_task_get_context (task));

  return source;
}

static GError *
new_cancelled_error (void)
{
  return seedream_error_new_full (SEEDREAM_ERROR_CANCELLED, 0, 0, NULL, _("Cancelled."));
}

static gboolean
task_is_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static const char *
message_path (SoupMessage *msg)
{
  GUri *uri = soup_message_get_uri (msg);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;

  return path != NULL && *path != '\0' ? path : "/";
}

static const char *
message_host (SoupMessage *msg)
{
  GUri *uri = soup_message_get_uri (msg);

  return uri != NULL ? g_uri_get_host (uri) : NULL;
}

static void
close_stream_quietly (GInputStream *stream)
{
  if (stream != NULL && !g_input_stream_is_closed (stream) && !g_input_stream_has_pending (stream))
    g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/* Every session of the client, the one on the main context and those
 * that send submissions (see Sender below), is made here. */
static SoupSession *
new_session (guint timeout)
{
  SoupSession *session;

  session = soup_session_new_with_options ("timeout", timeout,
                                           "user-agent", "Seedream-Studio/" PACKAGE_VERSION,
                                           NULL);
  /* The key is added by hand to API messages only; no feature may add
   * credentials (or resend a request to answer a challenge). */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);

  return session;
}

/* A message to the API: only ever built from the configured base URL,
 * never redirected, carrying the key. */
static SoupMessage *
new_api_message (SeedreamClient  *self,
                 const char      *endpoint,
                 GError         **error)
{
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *msg;

  if (endpoint == NULL || endpoint[0] != '/')
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("The model has no valid endpoint (“%s”)."), endpoint ? endpoint : "");
      return NULL;
    }

  url = g_strconcat (self->base_url, endpoint, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_host (uri), self->host) != 0)
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("The model has no valid endpoint (“%s”)."), endpoint);
      return NULL;
    }

  msg = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", self->api_key, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");

  return msg;
}

/* Exchange: send an API message, read its answer with a cap {{{1 */

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  char         *host;
  goffset       sent;
  gint64        started;
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *ex = data;

  close_stream_quietly (ex->stream);
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
           soup_message_get_method (ex->msg), message_path (ex->msg), error->message);
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
  if (bytes == NULL)
    {
      exchange_return_transport_error (task, error);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size > 0)
    g_byte_array_append (ex->buffer, g_bytes_get_data (bytes, NULL), size);

  /* At the end, or one byte past the cap: enough to know it is too big,
   * which the parser reports. The rest is never read. */
  if (size == 0 || ex->buffer->len > SEEDREAM_RESPONSE_MAX_SIZE)
    {
      g_debug ("%s %s: %u %s, %" G_GOFFSET_FORMAT " bytes sent, %u bytes read%s in %" G_GINT64_FORMAT " ms",
               soup_message_get_method (ex->msg), message_path (ex->msg),
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
  gsize want = MIN (ANSWER_CHUNK, SEEDREAM_RESPONSE_MAX_SIZE + 1 - ex->buffer->len);

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
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (ex->msg);

      g_debug ("%s %s: %u %s, %" G_GOFFSET_FORMAT " bytes sent",
               soup_message_get_method (ex->msg), message_path (ex->msg),
               status, soup_message_get_reason_phrase (ex->msg), ex->sent);
      g_task_return_error (task,
                           seedream_error_new_for_status (status,
                                                          soup_message_headers_get_one (headers, "Retry-After")));
      return;
    }

  ex->buffer = g_byte_array_new ();
  exchange_read_more (g_steal_pointer (&task));
}

static void
exchange_async (SeedreamClient      *self,
                SoupMessage         *msg,
                goffset              sent,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *ex;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exchange_async);
  g_task_set_check_cancellable (task, FALSE);

  ex = g_new0 (Exchange, 1);
  ex->msg = g_object_ref (msg);
  ex->host = g_strdup (message_host (msg));
  ex->sent = sent;
  ex->started = g_get_monotonic_time ();
  g_task_set_task_data (task, ex, exchange_free);

  g_debug ("%s %s: sending %" G_GOFFSET_FORMAT " bytes",
           soup_message_get_method (msg), message_path (msg), sent);

  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                           exchange_sent_cb, g_steal_pointer (&task));
}

static GBytes *
exchange_finish (SeedreamClient  *self,
                 GAsyncResult    *result,
                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exchange_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Submit {{{1 */

/* A submission's body is sent by a thread of its own, with libsoup's
 * blocking API and a session made (and dropped) on that thread.
 *
 * Why: libsoup sends a request body by splicing it 8 KiB at a time. On
 * the main context each of those pieces costs a read and a write that
 * complete in idle callbacks (two GTasks, two passes of the main loop and
 * a signal emission through libffi), which made our client use five to
 * six times the CPU of `curl -F` for the same upload. A blocking splice
 * on a thread is the same reads and writes without any of that, and
 * leaves the main context free while the body goes out.
 *
 * What stays as it was: the message is built on the main context from
 * the configured base URL, never redirected, never retried, and the key
 * goes only into it (the thread's session has no auth manager either,
 * see new_session()); the session has the client's timeout (an inactivity
 * limit, enforced by the socket); the caller's cancellable stops the
 * thread's socket operations; the answer is read up to
 * SEEDREAM_RESPONSE_MAX_SIZE (+1 byte); and every result, error and
 * progress report reaches the caller on the main context that started the
 * submission, in the same forms as the other requests.
 *
 * Why a session per submission: libsoup (>= 3.2) lets messages be sent
 * from several threads through one session, but only if the session is
 * no longer configured once requests are made, and the client's timeout
 * can change at any time. A session made on the thread, used by one
 * message (which asks for a new connection anyway) and dropped on that
 * thread avoids sharing anything. The thread pushes a main context of its
 * own, so nothing of that session is ever attached to the caller's.
 *
 * Threads: the Sender below is shared by the thread and the main context.
 * Before the thread starts, everything in it is set; the thread then
 * uses only the message, the cancellable and its own session, writes the
 * results, and hands its reference over to the main context; only the
 * progress goes through the mutex. The task and the Sender are only ever
 * dropped on the main context (the message may end on the thread, which
 * closes the answer's stream after the hand-over). */

/* Progress goes to the main context after at least this many bytes or
 * this much time (and once at the end), never for every 8 KiB piece. */
#define PROGRESS_STEP_BYTES (256 * 1024)
#define PROGRESS_STEP_USEC  (100 * G_TIME_SPAN_MILLISECOND)

/* libsoup asks the body for 8 KiB at a time; the files are read in
 * pieces of this size, a system call for eight of its requests. */
#define BODY_READ_SIZE (64 * 1024)

typedef struct
{
  SeedreamRequest         *request;
  SoupMessage             *msg;
  goffset                  total;
  goffset                  done;
  SeedreamProgressFunc     progress;
  gpointer                 progress_data;
  GDestroyNotify           progress_destroy;
} SubmitData;

typedef struct
{
  /* Set before the thread starts; the task only on the main context. */
  GTask        *task;
  GMainContext *context;
  SoupMessage  *msg;
  GCancellable *cancellable;
  guint         timeout;
  goffset       total;
  gboolean      report_progress;

  /* The thread's own. */
  GSocket      *socket;
  gboolean      corked;
  goffset       wrote;
  goffset       posted;
  gint64        posted_at;

  /* Between the two, under the mutex. */
  GMutex        mutex;
  goffset       progress;
  gboolean      progress_queued;

  /* Written by the thread before it hands the Sender back. */
  GError       *error;
  guint         status;
  char         *reason;
  char         *retry_after;
  GByteArray   *answer;
  gboolean      at_cap;

  /* For the debug lines, on the main context. */
  char         *method;
  char         *path;
  char         *host;
} Sender;

static void
submit_data_free (gpointer data)
{
  SubmitData *sd = data;

  g_clear_object (&sd->msg);
  g_clear_object (&sd->request);
  if (sd->progress_destroy != NULL)
    sd->progress_destroy (sd->progress_data);
  g_free (sd);
}

static GTask *
submit_task_new (SeedreamClient       *self,
                 gpointer              source_tag,
                 SeedreamProgressFunc  progress,
                 gpointer              progress_data,
                 GDestroyNotify        progress_destroy,
                 GCancellable         *cancellable,
                 GAsyncReadyCallback   callback,
                 gpointer              user_data)
{
  GTask *task;
  SubmitData *sd;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported as SEEDREAM_ERROR_CANCELLED, and a task id
   * that arrived is never thrown away (see submit_return()). */
  g_task_set_check_cancellable (task, FALSE);

  sd = g_new0 (SubmitData, 1);
  sd->progress = progress;
  sd->progress_data = progress_data;
  sd->progress_destroy = progress_destroy;
  g_task_set_task_data (task, sd, submit_data_free);

  return task;
}

/* On the main context; never backwards, never twice the same. */
static void
submit_report_progress (GTask   *task,
                        goffset  done)
{
  SubmitData *sd = g_task_get_task_data (task);

  if (sd->progress == NULL || done <= sd->done)
    return;

  sd->done = done;
  sd->progress (sd->done, sd->total, sd->progress_data);
}

/* The service's answer (or the error that stopped the exchange) becomes
 * the submission's result. */
static void
submit_return (GTask  *task,
               GBytes *body,
               GError *error)
{
  g_autoptr(GError) local_error = error;
  g_autofree char *task_id = NULL;

  if (body != NULL)
    task_id = seedream_response_parse_submit (body, &local_error);

  /* Once the service has answered with a task id, the task exists and its
   * credits are spent: hand the id back even if the person cancelled in
   * the meantime, so the result is not lost. */
  if (task_id != NULL)
    {
      g_debug ("Submitted task %s", task_id);
      g_task_return_pointer (task, g_steal_pointer (&task_id), g_free);
      return;
    }

  if (task_is_cancelled (task))
    g_task_return_error (task, new_cancelled_error ());
  else
    g_task_return_error (task, g_steal_pointer (&local_error));
}

static void
sender_clear (gpointer data)
{
  Sender *s = data;

  g_clear_object (&s->task);
  g_clear_pointer (&s->context, g_main_context_unref);
  g_clear_object (&s->msg);
  g_clear_object (&s->cancellable);
  g_mutex_clear (&s->mutex);
  g_clear_error (&s->error);
  g_clear_pointer (&s->reason, g_free);
  g_clear_pointer (&s->retry_after, g_free);
  g_clear_pointer (&s->answer, g_byte_array_unref);
  g_clear_pointer (&s->method, g_free);
  g_clear_pointer (&s->path, g_free);
  g_clear_pointer (&s->host, g_free);
}

static Sender *
sender_ref (Sender *s)
{
  return g_atomic_rc_box_acquire (s);
}

static void
sender_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, sender_clear);
}

static goffset
sender_take_progress (Sender *s)
{
  goffset progress;

  g_mutex_lock (&s->mutex);
  progress = s->progress;
  s->progress_queued = FALSE;
  g_mutex_unlock (&s->mutex);

  return progress;
}

/* On the main context. */
static gboolean
sender_progress_cb (gpointer data)
{
  Sender *s = data;
  goffset progress = sender_take_progress (s);

  /* Not once the submission has returned. */
  if (s->task != NULL)
    submit_report_progress (s->task, progress);

  return G_SOURCE_REMOVE;
}

/* On the thread, for every piece libsoup wrote. */
static void
sender_wrote_body_data_cb (SoupMessage *msg,
                           guint        chunk_size,
                           gpointer     user_data)
{
  Sender *s = user_data;
  gint64 now;
  gboolean queue;

  s->wrote += chunk_size;
  now = g_get_monotonic_time ();
  if (s->wrote < s->total &&
      s->wrote - s->posted < PROGRESS_STEP_BYTES &&
      now - s->posted_at < PROGRESS_STEP_USEC)
    return;

  s->posted = s->wrote;
  s->posted_at = now;

  g_mutex_lock (&s->mutex);
  s->progress = s->wrote;
  queue = !s->progress_queued;
  s->progress_queued = TRUE;
  g_mutex_unlock (&s->mutex);

  /* One report in flight at most: a busy main context gets the latest
   * figure, not a backlog. */
  if (queue)
    g_main_context_invoke_full (s->context, G_PRIORITY_DEFAULT,
                                sender_progress_cb, sender_ref (s), sender_unref);
}

/* On the thread: what exchange_async() does, with blocking calls. Returns
 * the answer's stream, for the caller to close once the results are
 * handed over: closing reads whatever was left unread (an error page, or
 * what lies past the cap), which the result need not wait for. */
static GInputStream *
sender_exchange (Sender      *s,
                 SoupSession *session)
{
  SoupMessageHeaders *headers;
  GInputStream *stream;
  gssize n;

  stream = soup_session_send (session, s->msg, s->cancellable, &s->error);
  if (stream == NULL)
    return NULL;

  headers = soup_message_get_response_headers (s->msg);
  s->status = soup_message_get_status (s->msg);
  s->reason = g_strdup (soup_message_get_reason_phrase (s->msg));
  s->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  if (!SOUP_STATUS_IS_SUCCESSFUL (s->status))
    return stream;

  s->answer = g_byte_array_new ();
  do
    {
      gsize want = MIN (ANSWER_CHUNK, SEEDREAM_RESPONSE_MAX_SIZE + 1 - s->answer->len);
      guint len = s->answer->len;

      g_byte_array_set_size (s->answer, len + want);
      n = g_input_stream_read (stream, s->answer->data + len, want, s->cancellable, &s->error);
      g_byte_array_set_size (s->answer, len + MAX (n, 0));
    }
  while (n > 0 && s->answer->len <= SEEDREAM_RESPONSE_MAX_SIZE);

  /* At the end, or one byte past the cap: enough to know it is too big,
   * which the parser reports. The rest is never read. */
  s->at_cap = n > 0;
  if (n < 0)
    g_clear_pointer (&s->answer, g_byte_array_unref);

  return stream;
}

/* On the main context, once the thread is done. */
static gboolean
sender_done_cb (gpointer data)
{
  Sender *s = data;
  g_autoptr(GTask) task = g_steal_pointer (&s->task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  /* The last figure the thread saw, if its report is still on the way. */
  submit_report_progress (task, sender_take_progress (s));

  if (s->error != NULL)
    {
      g_debug ("%s %s failed: %s", s->method, s->path, s->error->message);
      error = seedream_error_new_for_transport (s->error, s->host);
    }
  else if (!SOUP_STATUS_IS_SUCCESSFUL (s->status))
    {
      g_debug ("%s %s: %u %s, %" G_GOFFSET_FORMAT " bytes sent",
               s->method, s->path, s->status, s->reason, s->total);
      error = seedream_error_new_for_status (s->status, s->retry_after);
    }
  else
    {
      g_debug ("%s %s: %u %s, %" G_GOFFSET_FORMAT " bytes sent, %u bytes read%s",
               s->method, s->path, s->status, s->reason, s->total,
               s->answer->len, s->at_cap ? " (stopped at the cap)" : "");
      body = g_byte_array_free_to_bytes (g_steal_pointer (&s->answer));
    }

  submit_return (task, body, error);

  return G_SOURCE_REMOVE;
}

/* The body goes out with the socket corked: libsoup writes it 8 KiB at a
 * time, and without the cork each write is pushed through TCP as a
 * segment of its own (on loopback, all the way into the receiver) before
 * the next one is even asked for. Corked, the kernel sends full segments;
 * uncorking pushes out whatever is left once the body is written. Only
 * the body: during the TLS handshake or the headers, a cork would hold a
 * short message back for up to 200 ms. And only over HTTP/1, where the
 * body goes out in one stream without waiting for the peer: HTTP/2 waits
 * for window updates between bursts, and the tail of each burst would be
 * held back just as long. */
static void
sender_set_cork (Sender   *s,
                 gboolean  cork)
{
#ifdef TCP_CORK
  if (s->socket != NULL)
    s->corked = g_socket_set_option (s->socket, IPPROTO_TCP, TCP_CORK, cork, NULL) && cork;
#endif
}

static void
sender_network_event_cb (SoupMessage        *msg,
                         GSocketClientEvent  event,
                         GIOStream          *connection,
                         gpointer            user_data)
{
  Sender *s = user_data;

  /* The TCP connection itself (under TLS, if any, and any proxy's). */
  if (event != G_SOCKET_CLIENT_CONNECTED || !G_IS_SOCKET_CONNECTION (connection))
    return;

  g_set_object (&s->socket, g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)));

  /* No Nagle (as curl does): what the cork leaves over at the end of the
   * body goes out when it is uncorked, instead of waiting for the
   * server's delayed ACK of the segment before it (some 40 ms). */
  g_socket_set_option (s->socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
}

static void
sender_wrote_headers_cb (SoupMessage *msg,
                         gpointer     user_data)
{
  if (soup_message_get_http_version (msg) != SOUP_HTTP_2_0)
    sender_set_cork (user_data, TRUE);
}

static void
sender_wrote_body_cb (SoupMessage *msg,
                      gpointer     user_data)
{
  Sender *s = user_data;

  if (s->corked)
    sender_set_cork (s, FALSE);
}

static gpointer
sender_thread (gpointer data)
{
  Sender *s = data;
  GMainContext *context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = NULL;
  SoupSession *session;
  GInputStream *stream;
  gulong wrote_id = 0;
  gulong handler_ids[3];

  g_main_context_push_thread_default (context);

  if (s->cancellable != NULL)
    cancellable = g_object_ref (s->cancellable);
  session = new_session (s->timeout);
  if (s->report_progress)
    wrote_id = g_signal_connect (s->msg, "wrote-body-data",
                                 G_CALLBACK (sender_wrote_body_data_cb), s);
  handler_ids[0] = g_signal_connect (s->msg, "network-event",
                                     G_CALLBACK (sender_network_event_cb), s);
  handler_ids[1] = g_signal_connect (s->msg, "wrote-headers",
                                     G_CALLBACK (sender_wrote_headers_cb), s);
  handler_ids[2] = g_signal_connect (s->msg, "wrote-body",
                                     G_CALLBACK (sender_wrote_body_cb), s);

  stream = sender_exchange (s, session);

  g_clear_signal_handler (&wrote_id, s->msg);
  for (guint i = 0; i < G_N_ELEMENTS (handler_ids); i++)
    g_clear_signal_handler (&handler_ids[i], s->msg);
  g_clear_object (&s->socket);

  /* From here on, the thread touches nothing of the Sender: it and
   * whatever it holds are the main context's. The session and the stream
   * (which hold the message) are the thread's, and end here. */
  g_main_context_invoke_full (s->context, G_PRIORITY_DEFAULT,
                              sender_done_cb, s, sender_unref);

  if (stream != NULL)
    {
      g_input_stream_close (stream, cancellable, NULL);
      g_object_unref (stream);
    }
  g_object_unref (session);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);

  return NULL;
}

static void
submit_send_body (GTask                   *task,
                  const SeedreamModel     *model,
                  SeedreamMultipartStream *body)
{
  SeedreamClient *self = g_task_get_source_object (task);
  SubmitData *sd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  Sender *s;

  if (task_is_cancelled (task))
    {
      g_task_return_error (task, new_cancelled_error ());
      g_object_unref (task);
      return;
    }

  sd->msg = new_api_message (self, model->endpoint, &error);
  if (sd->msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  sd->total = seedream_multipart_stream_get_length (body);
  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (body), BODY_READ_SIZE);
  soup_message_set_request_body (sd->msg,
                                 seedream_multipart_stream_get_content_type (body),
                                 buffered,
                                 sd->total);
  /* Never over a kept-alive connection (the default for POST already):
   * libsoup resends a message whose reused connection turned out closed. */
  soup_message_add_flags (sd->msg, SOUP_MESSAGE_NEW_CONNECTION);

  if (sd->progress != NULL)
    sd->progress (0, sd->total, sd->progress_data);

  s = g_atomic_rc_box_new0 (Sender);
  g_mutex_init (&s->mutex);
  s->task = task;
  s->context = g_main_context_ref (g_task_get_context (task));
  s->msg = g_object_ref (sd->msg);
  s->cancellable = g_task_get_cancellable (task) ? g_object_ref (g_task_get_cancellable (task)) : NULL;
  /* The provider's scripts give a submission 60 s. A large upload can take
   * longer than that, so the limit is the session's I/O timeout: 60 s in
   * which no byte moves (see the "timeout" property), not 60 s in all. */
  s->timeout = self->timeout;
  s->total = sd->total;
  s->report_progress = sd->progress != NULL;
  s->posted_at = g_get_monotonic_time ();
  s->method = g_strdup (soup_message_get_method (sd->msg));
  s->path = g_strdup (message_path (sd->msg));
  s->host = g_strdup (message_host (sd->msg));

  g_debug ("%s %s: sending %" G_GOFFSET_FORMAT " bytes",
           soup_message_get_method (sd->msg), message_path (sd->msg), sd->total);

  thread = g_thread_try_new ("seedream-submit", sender_thread, s, &error);
  if (thread == NULL)
    {
      g_task_return_error (task,
                           seedream_error_new_full (SEEDREAM_ERROR_NETWORK, 0, 0, NULL,
                                                    _("Could not start sending: %s"),
                                                    error->message));
      sender_unref (s);
    }
}

static void
submit_body_built_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SeedreamRequest *request = SEEDREAM_REQUEST (object);
  GTask *task = user_data;
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GError) error = NULL;

  body = seedream_request_build_body_finish (request, result, &error);
  if (body == NULL)
    {
      if (task_is_cancelled (task) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, new_cancelled_error ());
      else if (error->domain == SEEDREAM_ERROR)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task,
                             seedream_error_new_full (SEEDREAM_ERROR_INVALID_INPUT, 0, 0, NULL,
                                                      _("Could not read the source images: %s"),
                                                      error->message));
      g_object_unref (task);
      return;
    }

  submit_send_body (task, seedream_request_get_model (request), body);
}

/**
 * seedream_client_submit_async:
 * @self: a #SeedreamClient
 * @request: what to generate
 * @progress: (nullable) (scope notified): called as the body is uploaded
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the operation ends
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the service answered
 * @user_data: data for @callback
 *
 * Validates @request (errors come back before any network traffic), then
 * streams its multipart body to the model's endpoint. The submission is
 * never retried automatically.
 *
 * Cancelling stops the upload; note that a body that already reached the
 * service may still have created a task.
 */
void
seedream_client_submit_async (SeedreamClient       *self,
                              SeedreamRequest      *request,
                              SeedreamProgressFunc  progress,
                              gpointer              progress_data,
                              GDestroyNotify        progress_destroy,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SubmitData *sd;

  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (SEEDREAM_IS_REQUEST (request));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = submit_task_new (self, seedream_client_submit_async,
                          progress, progress_data, progress_destroy,
                          cancellable, callback, user_data);
  sd = g_task_get_task_data (task);
  sd->request = g_object_ref (request);

  if (!seedream_request_validate (request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  seedream_request_build_body_async (request, cancellable,
                                     submit_body_built_cb, g_steal_pointer (&task));
}

/**
 * seedream_client_submit_finish:
 * @self: a #SeedreamClient
 * @result: the result given to the callback
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: (transfer full): the id of the new task, or %NULL with @error set
 */
char *
seedream_client_submit_finish (SeedreamClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_client_submit_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * seedream_client_submit_body_async:
 * @self: a #SeedreamClient
 * @model: the model whose endpoint receives @body
 * @body: a multipart body, already built and checked
 * @progress: (nullable) (scope notified): called as the body is uploaded
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the operation ends
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the service answered
 * @user_data: data for @callback
 *
 * What seedream_client_submit_async() does after it built the body, for
 * callers that build their own. No validation happens here.
 */
void
seedream_client_submit_body_async (SeedreamClient          *self,
                                   const SeedreamModel     *model,
                                   SeedreamMultipartStream *body,
                                   SeedreamProgressFunc     progress,
                                   gpointer                 progress_data,
                                   GDestroyNotify           progress_destroy,
                                   GCancellable            *cancellable,
                                   GAsyncReadyCallback      callback,
                                   gpointer                 user_data)
{
  GTask *task;

  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (SEEDREAM_IS_MULTIPART_STREAM (body));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = submit_task_new (self, seedream_client_submit_body_async,
                          progress, progress_data, progress_destroy,
                          cancellable, callback, user_data);

  submit_send_body (task, model, body);
}

/**
 * seedream_client_submit_body_finish:
 * @self: a #SeedreamClient
 * @result: the result given to the callback
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: (transfer full): the id of the new task, or %NULL with @error set
 */
char *
seedream_client_submit_body_finish (SeedreamClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_client_submit_body_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

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

  clear_source (&qd->deadline);
  clear_source (&qd->wait);
  clear_source (&qd->wait_cancelled);
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
  clear_source (&qd->wait_cancelled);
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
  clear_source (&qd->wait);
  g_task_return_error (task, new_cancelled_error ());

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

  clear_source (&qd->deadline);
  if (qd->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, qd->cancelled_id);
      qd->cancelled_id = 0;
    }

  body = exchange_finish (self, result, &error);

  if (task_is_cancelled (task))
    {
      g_task_return_error (task, new_cancelled_error ());
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

  if (!seedream_error_is_transient (error) || qd->attempt > self->max_query_retries)
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

  qd->wait = attach_task_source (task, g_timeout_source_new_seconds (delay), query_wait_done_cb);
  if (cancellable != NULL)
    qd->wait_cancelled = attach_task_source (task, g_cancellable_source_new (cancellable),
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

  msg = new_api_message (self, QUERY_ENDPOINT, &error);
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
  qd->deadline = attach_task_source (task, g_timeout_source_new_seconds (self->query_timeout),
                                     query_deadline_cb);

  exchange_async (self, msg, g_bytes_get_size (qd->request_body), qd->attempt_cancellable,
                  query_attempt_cb, task);
}

static GBytes *
query_body_new (const char *task_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "taskid");
  json_builder_add_string_value (builder, task_id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}

/**
 * seedream_client_query_task_async:
 * @self: a #SeedreamClient
 * @task_id: the id seedream_client_submit_finish() returned
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with what the service said
 * @user_data: data for @callback
 *
 * Asks infobytaskid about a task. Transient failures (network, timeout,
 * 5xx, 429, an envelope code other than 1000) are retried after 1, 2 and
 * 4 s (a longer Retry-After wins) before the last error is reported.
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

/* Download {{{1 */

typedef struct
{
  SoupMessage          *msg;
  GInputStream         *in;
  GOutputStream        *out;
  GFile                *destination;
  GFile                *part;
  char                 *host;
  GByteArray           *head;
  GBytes               *writing;
  GError               *error;
  goffset               received;
  goffset               total;
  gboolean              at_end;
  gint64                started;
  SeedreamProgressFunc  progress;
  gpointer              progress_data;
  GDestroyNotify        progress_destroy;
} DownloadData;

static void
download_data_free (gpointer data)
{
  DownloadData *dd = data;

  close_stream_quietly (dd->in);
  g_clear_object (&dd->in);
  g_clear_object (&dd->out);
  g_clear_object (&dd->msg);
  g_clear_object (&dd->destination);
  g_clear_object (&dd->part);
  g_clear_pointer (&dd->host, g_free);
  g_clear_pointer (&dd->head, g_byte_array_unref);
  g_clear_pointer (&dd->writing, g_bytes_unref);
  g_clear_error (&dd->error);
  if (dd->progress_destroy != NULL)
    dd->progress_destroy (dd->progress_data);
  g_free (dd);
}

static GError *
new_save_error (GFile        *file,
                const GError *error)
{
  g_autofree char *name = g_file_get_parse_name (file);

  return seedream_error_new_full (SEEDREAM_ERROR_SAVE_FAILED, 0, 0, NULL,
                                  _("Could not save the image as %s: %s. Check that the folder exists, is writable and has free space."),
                                  name, error->message);
}

static void download_read_next (GTask *task);

static void
download_part_deleted_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_debug ("Could not remove the partial download: %s", error->message);

  g_task_return_error (task, g_steal_pointer (&dd->error));
}

static void
download_failed_closed_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DownloadData *dd = g_task_get_task_data (task);

  /* Closing may fail too; the file goes either way. */
  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, NULL);
  g_file_delete_async (dd->part, G_PRIORITY_DEFAULT, NULL,
                       download_part_deleted_cb, g_steal_pointer (&task));
}

/* Takes over @task and @error: removes what was written, then reports. */
static void
download_fail (GTask  *task,
               GError *error)
{
  DownloadData *dd = g_task_get_task_data (task);

  if (task_is_cancelled (task))
    {
      g_error_free (error);
      error = new_cancelled_error ();
    }

  g_debug ("GET %s from %s failed: %s", message_path (dd->msg), dd->host, error->message);

  g_clear_error (&dd->error);
  dd->error = error;

  if (dd->out != NULL && !g_output_stream_is_closed (dd->out))
    g_output_stream_close_async (dd->out, G_PRIORITY_DEFAULT, NULL,
                                 download_failed_closed_cb, task);
  else if (dd->out != NULL)
    g_file_delete_async (dd->part, G_PRIORITY_DEFAULT, NULL,
                         download_part_deleted_cb, task);
  else
    {
      g_task_return_error (task, g_steal_pointer (&dd->error));
      g_object_unref (task);
    }
}

static void
download_moved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_move_finish (G_FILE (object), result, &error))
    {
      download_fail (task, new_save_error (dd->destination, error));
      return;
    }

  g_debug ("GET %s from %s: %" G_GOFFSET_FORMAT " bytes saved in %" G_GINT64_FORMAT " ms",
           message_path (dd->msg), dd->host, dd->received,
           (g_get_monotonic_time () - dd->started) / 1000);

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
download_closed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      download_fail (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                             ? new_cancelled_error ()
                             : new_save_error (dd->destination, error));
      return;
    }

  if (task_is_cancelled (task))
    {
      download_fail (task, new_cancelled_error ());
      return;
    }

  /* The whole image is in the .part file: put it in place at once. */
  g_file_move_async (dd->part, dd->destination, G_FILE_COPY_OVERWRITE,
                     G_PRIORITY_DEFAULT, NULL, NULL, NULL,
                     download_moved_cb, task);
}

static void
download_finish_file (GTask *task)
{
  DownloadData *dd = g_task_get_task_data (task);

  g_output_stream_close_async (dd->out, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                               download_closed_cb, task);
}

static void
download_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&dd->writing, g_bytes_unref);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      download_fail (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                             ? new_cancelled_error ()
                             : new_save_error (dd->destination, error));
      return;
    }

  if (dd->progress != NULL)
    dd->progress (dd->received, dd->total, dd->progress_data);

  if (dd->at_end)
    download_finish_file (task);
  else
    download_read_next (task);
}

static void
download_write (GTask  *task,
                GBytes *bytes)
{
  DownloadData *dd = g_task_get_task_data (task);
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  dd->writing = g_bytes_ref (bytes);
  g_output_stream_write_all_async (dd->out, data, size, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   download_written_cb, task);
}

/* Writes what was held back for sniffing, once it is known to be an
 * image. Returns FALSE (and fails the task) if it is not. */
static gboolean
download_check_head (GTask *task)
{
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GBytes) head = NULL;
  const char *mime_type;

  mime_type = seedream_image_sniff_mime_type (dd->head->data, dd->head->len);
  if (mime_type == NULL)
    {
      download_fail (task, seedream_error_new_bad_response (_("the result was not an image")));
      return FALSE;
    }

  g_debug ("GET %s from %s: %s", message_path (dd->msg), dd->host, mime_type);

  head = g_byte_array_free_to_bytes (g_steal_pointer (&dd->head));
  download_write (task, head);

  return TRUE;
}

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      download_fail (task, seedream_error_new_for_transport (error, dd->host));
      return;
    }

  size = g_bytes_get_size (bytes);
  dd->received += size;

  if (size == 0)
    dd->at_end = TRUE;

  if (dd->received > SEEDREAM_CLIENT_MAX_DOWNLOAD_SIZE)
    {
      download_fail (task, seedream_error_new_bad_response (_("the result image was far too large")));
      return;
    }

  if (dd->head != NULL)
    {
      g_byte_array_append (dd->head, g_bytes_get_data (bytes, NULL), size);
      if (dd->head->len >= SNIFF_BYTES || dd->at_end)
        download_check_head (task);
      else
        download_read_next (task);
      return;
    }

  if (dd->at_end)
    download_finish_file (task);
  else
    download_write (task, bytes);
}

static void
download_read_next (GTask *task)
{
  DownloadData *dd = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (dd->in, DOWNLOAD_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   download_read_cb, task);
}

static void
download_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  dd->out = (GOutputStream *) g_file_replace_finish (G_FILE (object), result, &error);
  if (dd->out == NULL)
    {
      download_fail (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                             ? new_cancelled_error ()
                             : new_save_error (dd->destination, error));
      return;
    }

  if (dd->progress != NULL)
    dd->progress (0, dd->total, dd->progress_data);

  download_read_next (task);
}

static void
download_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  dd->in = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (dd->in == NULL)
    {
      download_fail (task, seedream_error_new_for_transport (error, dd->host));
      return;
    }

  status = soup_message_get_status (dd->msg);
  g_debug ("GET %s from %s: %u %s", message_path (dd->msg), dd->host,
           status, soup_message_get_reason_phrase (dd->msg));

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      download_fail (task, seedream_error_new_for_download_status (status));
      return;
    }

  headers = soup_message_get_response_headers (dd->msg);
  dd->total = -1;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    dd->total = soup_message_headers_get_content_length (headers);

  if (dd->total > SEEDREAM_CLIENT_MAX_DOWNLOAD_SIZE)
    {
      download_fail (task, seedream_error_new_bad_response (_("the result image was far too large")));
      return;
    }

  dd->head = g_byte_array_new ();
  g_file_replace_async (dd->part, NULL, FALSE, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT,
                        g_task_get_cancellable (task), download_opened_cb, task);
}

static GFile *
part_file_for (GFile *destination)
{
  g_autoptr(GFile) parent = g_file_get_parent (destination);
  g_autofree char *basename = g_file_get_basename (destination);
  g_autofree char *part_name = NULL;

  if (parent == NULL || basename == NULL)
    return NULL;

  part_name = g_strconcat (basename, ".part", NULL);

  return g_file_get_child (parent, part_name);
}

/**
 * seedream_client_download_async:
 * @self: a #SeedreamClient
 * @url: a result URL from a #SeedreamTaskInfo
 * @destination: where the image goes
 * @progress: (nullable) (scope notified): called as bytes arrive; the
 *   total is -1 when the file host does not say
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the operation ends
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the image is in place, or on failure
 * @user_data: data for @callback
 *
 * Downloads a result image. The request goes to a file host, so it never
 * carries the API key. The bytes go to "<destination>.part", which is moved
 * over @destination at the end; a body that is not an image (by its first
 * bytes) is refused as %SEEDREAM_ERROR_BAD_RESPONSE. On any failure,
 * nothing is left at @destination (an existing file there is untouched).
 */
void
seedream_client_download_async (SeedreamClient       *self,
                                const char           *url,
                                GFile                *destination,
                                SeedreamProgressFunc  progress,
                                gpointer              progress_data,
                                GDestroyNotify        progress_destroy,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  DownloadData *dd;
  const char *scheme = NULL;

  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_client_download_async);
  g_task_set_check_cancellable (task, FALSE);

  dd = g_new0 (DownloadData, 1);
  dd->progress = progress;
  dd->progress_data = progress_data;
  dd->progress_destroy = progress_destroy;
  dd->destination = g_object_ref (destination);
  dd->part = part_file_for (destination);
  dd->started = g_get_monotonic_time ();
  g_task_set_task_data (task, dd, download_data_free);

  if (url != NULL)
    uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL)
    scheme = g_uri_get_scheme (uri);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_task_return_error (task, seedream_error_new_bad_response (_("the result address was not a web address")));
      return;
    }

  if (dd->part == NULL)
    {
      g_task_return_new_error (task, SEEDREAM_ERROR, SEEDREAM_ERROR_SAVE_FAILED,
                               _("Could not save the image there. Choose a file in a folder."));
      return;
    }

  dd->host = g_strdup (g_uri_get_host (uri));

  /* No Authorization here, ever: this goes to the file host. Redirects may
   * be followed, since there is nothing secret to carry along. */
  dd->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_headers_replace (soup_message_get_request_headers (dd->msg), "Accept", "image/*");

  g_debug ("GET %s from %s", message_path (dd->msg), dd->host);

  soup_session_send_async (self->session, dd->msg, G_PRIORITY_DEFAULT, cancellable,
                           download_sent_cb, g_steal_pointer (&task));
}

/**
 * seedream_client_download_finish:
 * @self: a #SeedreamClient
 * @result: the result given to the callback
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: %TRUE if the image is at the destination
 */
gboolean
seedream_client_download_finish (SeedreamClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_client_download_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject {{{1 */

static gboolean
is_sendable_key (const char *key)
{
  for (const char *p = key; *p != '\0'; p++)
    {
      /* Printable ASCII without spaces: anything else would not survive
       * (or would break) an HTTP header. */
      if (*p < 0x21 || *p > 0x7e)
        return FALSE;
    }

  return TRUE;
}

static gboolean
seedream_client_initable_init (GInitable     *initable,
                               GCancellable  *cancellable,
                               GError       **error)
{
  SeedreamClient *self = SEEDREAM_CLIENT (initable);
  g_autofree char *normalized = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GUri) uri = NULL;

  normalized = seedream_api_url_normalize (self->base_url, error);
  if (normalized == NULL)
    return FALSE;

  uri = g_uri_parse (normalized, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("“%s” is not a web address. Enter one like https://api.tensorslab.com"),
                   normalized);
      return FALSE;
    }

  key = g_strstrip (g_strdup (self->api_key != NULL ? self->api_key : ""));
  if (*key == '\0')
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION,
                           _("No API key is set. Add yours in Preferences."));
      return FALSE;
    }

  if (!is_sendable_key (key))
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION,
                           _("The API key contains characters that cannot be sent. Copy it again from the TensorsLab console into Preferences."));
      return FALSE;
    }

  g_free (self->base_url);
  self->base_url = g_steal_pointer (&normalized);
  self->host = g_strdup (g_uri_get_host (uri));
  g_free (self->api_key);
  self->api_key = g_steal_pointer (&key);

  self->session = new_session (self->timeout);

  return TRUE;
}

static void
seedream_client_initable_iface_init (GInitableIface *iface)
{
  iface->init = seedream_client_initable_init;
}

static void
seedream_client_dispose (GObject *object)
{
  SeedreamClient *self = (SeedreamClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (seedream_client_parent_class)->dispose (object);
}

static void
seedream_client_finalize (GObject *object)
{
  SeedreamClient *self = (SeedreamClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);

  G_OBJECT_CLASS (seedream_client_parent_class)->finalize (object);
}

static void
seedream_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SeedreamClient *self = SEEDREAM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_QUERY_TIMEOUT:
      g_value_set_uint (value, self->query_timeout);
      break;

    case PROP_MAX_QUERY_RETRIES:
      g_value_set_uint (value, self->max_query_retries);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SeedreamClient *self = SEEDREAM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_free (self->base_url);
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_API_KEY:
      g_free (self->api_key);
      self->api_key = g_value_dup_string (value);
      break;

    case PROP_TIMEOUT:
      seedream_client_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_QUERY_TIMEOUT:
      seedream_client_set_query_timeout (self, g_value_get_uint (value));
      break;

    case PROP_MAX_QUERY_RETRIES:
      seedream_client_set_max_query_retries (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_client_class_init (SeedreamClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_client_dispose;
  object_class->finalize = seedream_client_finalize;
  object_class->get_property = seedream_client_get_property;
  object_class->set_property = seedream_client_set_property;

  /**
   * SeedreamClient:base-url:
   *
   * The API base URL, e.g. https://api.tensorslab.com; normalized when the
   * client is made.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         SEEDREAM_DEFAULT_API_URL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:api-key:
   *
   * The key; it can be set, never read back.
   */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:timeout:
   *
   * Seconds without any byte moving after which a request fails with
   * %SEEDREAM_ERROR_TIMEOUT. An inactivity limit, not a total: a large
   * upload may take longer as long as it moves.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 3600, SEEDREAM_CLIENT_DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:query-timeout:
   *
   * Seconds one query attempt may take in all.
   */
  properties[PROP_QUERY_TIMEOUT] =
    g_param_spec_uint ("query-timeout", NULL, NULL,
                       1, 3600, SEEDREAM_CLIENT_DEFAULT_QUERY_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:max-query-retries:
   *
   * How many times a query is asked again after a transient failure.
   */
  properties[PROP_MAX_QUERY_RETRIES] =
    g_param_spec_uint ("max-query-retries", NULL, NULL,
                       0, 10, SEEDREAM_CLIENT_DEFAULT_MAX_QUERY_RETRIES,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_client_init (SeedreamClient *self)
{
  self->timeout = SEEDREAM_CLIENT_DEFAULT_TIMEOUT;
  self->query_timeout = SEEDREAM_CLIENT_DEFAULT_QUERY_TIMEOUT;
  self->max_query_retries = SEEDREAM_CLIENT_DEFAULT_MAX_QUERY_RETRIES;
}

/**
 * seedream_client_new:
 * @base_url: the API base URL
 * @api_key: the key
 * @error: return location for a #SEEDREAM_ERROR
 *
 * The key goes only to @base_url's host, and only over HTTPS (plain HTTP
 * only to a loopback address, for tests).
 *
 * Returns: (transfer full): a new client, or %NULL with @error set
 *   (%SEEDREAM_ERROR_INSECURE_URL, %SEEDREAM_ERROR_INVALID_INPUT or
 *   %SEEDREAM_ERROR_AUTHENTICATION for a missing key)
 */
SeedreamClient *
seedream_client_new (const char  *base_url,
                     const char  *api_key,
                     GError     **error)
{
  return g_initable_new (SEEDREAM_TYPE_CLIENT, NULL, error,
                         "base-url", base_url,
                         "api-key", api_key,
                         NULL);
}

const char *
seedream_client_get_base_url (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), NULL);

  return self->base_url;
}

guint
seedream_client_get_timeout (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), 0);

  return self->timeout;
}

void
seedream_client_set_timeout (SeedreamClient *self,
                             guint           seconds)
{
  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  if (self->session != NULL)
    soup_session_set_timeout (self->session, seconds);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
seedream_client_get_query_timeout (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), 0);

  return self->query_timeout;
}

void
seedream_client_set_query_timeout (SeedreamClient *self,
                                   guint           seconds)
{
  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->query_timeout == seconds)
    return;

  self->query_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY_TIMEOUT]);
}

guint
seedream_client_get_max_query_retries (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), 0);

  return self->max_query_retries;
}

void
seedream_client_set_max_query_retries (SeedreamClient *self,
                                       guint           retries)
{
  g_return_if_fail (SEEDREAM_IS_CLIENT (self));

  if (self->max_query_retries == retries)
    return;

  self->max_query_retries = retries;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_QUERY_RETRIES]);
}
