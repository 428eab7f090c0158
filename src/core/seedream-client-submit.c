/* seedream-client-submit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Submitting a generation: the request's multipart body, sent from a
 * thread of its own. Never retried: a second one could cost twice.
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
 * see seedream_client_new_session()); the session has the client's timeout (an inactivity
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
  /* The thread's I/O runs with this one, cancelled by the caller's
   * cancellable or by the answer's deadline. */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  guint         timeout;
  guint         answer_timeout;
  /* Started as the body's last byte goes out (on the main context). */
  GSource      *answer_deadline;
  gint          answer_deadline_passed;  /* atomic */
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

  if (seedream_client_task_is_cancelled (task))
    g_task_return_error (task, seedream_client_new_cancelled_error ());
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
  if (s->caller_handler != 0)
    g_cancellable_disconnect (s->caller_cancellable, s->caller_handler);
  g_clear_object (&s->caller_cancellable);
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

/* On the thread: what seedream_client_exchange_async() does, with blocking calls. Returns
 * the answer's stream, for the caller to close once the results are
 * handed over: closing reads whatever was left unread (an error page, or
 * what lies past the cap), which the result need not wait for. */
static GInputStream *
sender_exchange (Sender      *s,
                 SoupSession *session)
{
  SoupMessageHeaders *headers;
  GInputStream *stream;
  gsize cap;
  gssize n;

  stream = soup_session_send (session, s->msg, s->cancellable, &s->error);
  if (stream == NULL)
    return NULL;

  headers = soup_message_get_response_headers (s->msg);
  s->status = soup_message_get_status (s->msg);
  s->reason = g_strdup (soup_message_get_reason_phrase (s->msg));
  s->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  /* A refusal's body is the envelope too, and says more than its status;
   * it is read with a smaller cap. */
  cap = SOUP_STATUS_IS_SUCCESSFUL (s->status) ? SEEDREAM_RESPONSE_MAX_SIZE
                                              : SEEDREAM_RESPONSE_ERROR_BODY_MAX;

  s->answer = g_byte_array_new ();
  do
    {
      gsize want = MIN (ANSWER_CHUNK, cap + 1 - s->answer->len);
      guint len = s->answer->len;

      g_byte_array_set_size (s->answer, len + want);
      n = g_input_stream_read (stream, s->answer->data + len, want, s->cancellable, &s->error);
      g_byte_array_set_size (s->answer, len + MAX (n, 0));
    }
  while (n > 0 && s->answer->len <= cap);

  /* At the end, or one byte past the cap: enough to know it is too big,
   * which the parser reports. The rest is never read. */
  s->at_cap = n > 0;
  if (n < 0)
    {
      g_clear_pointer (&s->answer, g_byte_array_unref);
      /* The status arrived: it, not the cut body, is the answer. */
      if (!SOUP_STATUS_IS_SUCCESSFUL (s->status))
        g_clear_error (&s->error);
    }

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

  if (s->answer_deadline != NULL)
    {
      g_source_destroy (s->answer_deadline);
      g_clear_pointer (&s->answer_deadline, g_source_unref);
    }

  if (s->error != NULL && g_atomic_int_get (&s->answer_deadline_passed))
    {
      g_debug ("%s %s: no whole answer %u s after the body", s->method, s->path, s->answer_timeout);
      error = seedream_error_new_full (SEEDREAM_ERROR_TIMEOUT, 0, 0, NULL,
                                       g_dngettext (GETTEXT_PACKAGE,
                                                    "The service did not answer in time: no whole answer %u second after it received the whole request.",
                                                    "The service did not answer in time: no whole answer %u seconds after it received the whole request.",
                                                    s->answer_timeout),
                                       s->answer_timeout);
    }
  else if (s->error != NULL)
    {
      g_debug ("%s %s failed: %s", s->method, s->path, s->error->message);
      error = seedream_error_new_for_transport (s->error, s->host);
    }
  else if (!SOUP_STATUS_IS_SUCCESSFUL (s->status))
    {
      g_autoptr(GBytes) refusal = NULL;

      g_debug ("%s %s: %u %s, %" G_GOFFSET_FORMAT " bytes sent, %u bytes read%s",
               s->method, s->path, s->status, s->reason, s->total,
               s->answer != NULL ? s->answer->len : 0, s->at_cap ? " (stopped at the cap)" : "");
      if (s->answer != NULL)
        refusal = g_byte_array_free_to_bytes (g_steal_pointer (&s->answer));
      error = seedream_response_error_for_status (s->status, s->retry_after, refusal, TRUE);
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

/* On the main context: the answer took longer in all than the provider's
 * request timeout, however steadily its bytes came. */
static gboolean
sender_answer_deadline_cb (gpointer data)
{
  Sender *s = data;

  g_atomic_int_set (&s->answer_deadline_passed, TRUE);
  g_cancellable_cancel (s->cancellable);

  return G_SOURCE_REMOVE;
}

static void
sender_wrote_body_cb (SoupMessage *msg,
                      gpointer     user_data)
{
  Sender *s = user_data;

  if (s->corked)
    sender_set_cork (s, FALSE);

  /* The body is out: the service may now take its request timeout to
   * answer (a generation is started before it answers). The socket's
   * timeout is what bounds the blocking read of the answer; what goes
   * past it is reported as a timeout, which after the whole body means
   * "outcome unknown", never a resend. */
  if (s->socket != NULL)
    g_socket_set_timeout (s->socket, s->answer_timeout);

  /* And a trickle of bytes does not stretch it: the same limit in all. */
  if (s->answer_deadline == NULL)
    {
      s->answer_deadline = g_timeout_source_new_seconds (s->answer_timeout);
      g_source_set_callback (s->answer_deadline, sender_answer_deadline_cb, sender_ref (s), sender_unref);
      g_source_attach (s->answer_deadline, s->context);
    }
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
  session = seedream_client_new_session (s->timeout);
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

  if (seedream_client_task_is_cancelled (task))
    {
      g_task_return_error (task, seedream_client_new_cancelled_error ());
      g_object_unref (task);
      return;
    }

  sd->msg = seedream_client_new_api_message (self, model->endpoint, &error);
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
  s->cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    {
      s->caller_cancellable = g_object_ref (g_task_get_cancellable (task));
      s->caller_handler = seedream_client_chain_cancellable (s->caller_cancellable, s->cancellable);
    }
  /* The provider's scripts give a submission 60 s. A large upload can take
   * longer than that, so the limit is the session's I/O timeout: 60 s in
   * which no byte moves (see the "timeout" property), not 60 s in all. */
  s->timeout = self->timeout;
  s->answer_timeout = self->answer_timeout;
  s->total = sd->total;
  s->report_progress = sd->progress != NULL;
  s->posted_at = g_get_monotonic_time ();
  s->method = g_strdup (soup_message_get_method (sd->msg));
  s->path = g_strdup (seedream_client_message_path (sd->msg));
  s->host = g_strdup (seedream_client_message_host (sd->msg));

  g_debug ("%s %s: sending %" G_GOFFSET_FORMAT " bytes",
           soup_message_get_method (sd->msg), seedream_client_message_path (sd->msg), sd->total);

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
      if (seedream_client_task_is_cancelled (task) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, seedream_client_new_cancelled_error ());
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
