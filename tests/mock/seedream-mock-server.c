/* seedream-mock-server.c: a stand-in for the TensorsLab Images API, on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real API cannot be reached from the test machines, so every test and
 * the app's demo mode talk to this server instead. It follows the contract
 * in /work/shared/api (README.md and seedream-v45-openapi.md) and can play
 * the ways a real service fails. Its own test is tests/test-mock-server.py.
 *
 * COMMAND LINE
 *
 *   seedream-mock-server --port 0 --key KEY [--task-seconds N] [--log FILE]
 *                        [--fault NAME] [--max-body-mib N] [--exit-on-stdin-eof]
 *                        [--slow-upload-ms MS] [--slow-answer-seconds N]
 *                        [--realistic] [--answer-delay-seconds N] [--credits N]
 *
 *   --port N             listen on 127.0.0.1:N only; 0 picks a free port
 *   --key KEY            the API key to accept (required), sent either as
 *                        "Authorization: Bearer KEY" or "Authorization: KEY"
 *   --task-seconds N     a task is queued (image_status 1) for the first
 *                        quarter of N seconds after its submission,
 *                        processing (2) until N seconds, then completed (3);
 *                        default 3, fractions allowed
 *   --log FILE           write the request log there (see LOG), replacing it
 *   --fault NAME         apply fault NAME to every API request (for the
 *                        demo; tests use the per-request mechanisms below)
 *   --max-body-mib N     answer 413 to a request body over N MiB without
 *                        reading it; default 300
 *   --exit-on-stdin-eof  also exit when stdin reaches end of file, so a
 *                        test harness that dies cannot leave it running
 *   --slow-upload-ms MS  read the body of an API request slowly: after each
 *                        chunk that arrives, wait MS milliseconds before
 *                        reading on (so a test can stop a client in the
 *                        middle of an upload); default 0
 *   --slow-answer-seconds N  how long the slow-answer fault holds its
 *                        answer back; default 90, fractions allowed
 *   --realistic          behave the way the live service does beyond the
 *                        docs, all at once (see REALISTIC MODE)
 *   --answer-delay-seconds N  answer every submission (success or refusal)
 *                        N seconds after its whole body arrived; other
 *                        requests are served meanwhile; default 0, and 3
 *                        with --realistic; fractions allowed (a test may
 *                        ask for 90, what the live service can take). The
 *                        task is made (and paid for) when the body has
 *                        arrived: a client that gives up while it waits
 *                        has still made a task
 *   --credits N          a budget: each submission costs one credit per
 *                        image asked for (batchsize), taken when its task
 *                        is created (refusals cost nothing); one that costs
 *                        more than what is left gets HTTP 402
 *                        {"code":9000,"msg":"Insufficient credits"} (no
 *                        data) and creates no task; default: no limit
 *
 * The first line on stdout is the base URL, e.g. "http://127.0.0.1:41234",
 * flushed at once. The server runs until SIGTERM or SIGINT, then exits 0.
 * The key's value is never printed or logged anywhere.
 *
 * API (as the contract says; every answer is {"code", "msg", "data"})
 *
 *   POST /v1/images/seedreamv45      multipart/form-data: prompt, batchsize,
 *   POST /v1/images/seedreamv5       resolution, category, sourceImage (files),
 *   POST /v1/images/seedreamv4       imageUrl; each endpoint takes only its
 *        own category and sizes (5.0 Lite: 2K, 3K, WxH up to 10,404,496
 *        pixels; 4.0: only 9:16 16:9 3:4 4:3 1:1). A refused
 *        field answers HTTP 200 (400 in realistic mode) with code 9999
 *        and a msg naming the field.
 *        The rules and limits are in mock-submission.c. Success: code 1000,
 *        data {"taskid": "mock_" + 16 hex digits}.
 *   POST /v1/images/infobytaskid     {"taskid": ID}: data {taskid, starttime,
 *        image_status, url (with 3), error_message (with 4), width, height,
 *        category, prompt}. starttime is the service's local time, UTC+8,
 *        as "2026-01-30 12:00:00" with no zone (as the service sends it).
 *        Unknown id: code 9999 "task not found". Malformed body: HTTP 400.
 *   POST /v1/images/deleteimagestask {"taskids": [ID, ...]}: data
 *        {"status": "Success"}; the tasks are forgotten. Bad body, no
 *        ids, or an id it does not know: HTTP 400, and none is deleted.
 *   GET  /files/ID/N.png             result N (1 .. batchsize) of a completed
 *        task: a real PNG of the task's size, a pattern that differs per N.
 *        No key needed, none wanted (the log shows whether one came).
 *   GET  /files/ID/N.jpeg?X-Tos-...  the same under result-jpeg-presigned: a
 *        real baseline JPEG of the task's size, on a pre-signed-looking URL
 *        (X-Tos-Credential with %2F in it, X-Tos-Signature); 403 unless the
 *        query arrives exactly as issued.
 *   A missing or wrong key on /v1/... answers HTTP 401, code 9999.
 *
 * CONTROL (for tests; no key needed; not logged)
 *
 *   POST   /mock/faults  {"fault": NAME, "count": N, "path": PATH}
 *          queues NAME for the next N matching requests (count default 1).
 *          Without "path" any API request (/v1/...) matches; a path ending
 *          in "/" matches every path under it (e.g. "/files/"); else the
 *          path must be equal. Task faults wait for the next submission.
 *   DELETE /mock/faults  clears the queue.
 *   GET    /mock/log     the log so far, as one JSON array.
 *   POST   /mock/tasks/ID/fail  {"error_message": TEXT}: the task fails now
 *          (image_status 4 with that error_message).
 *   POST   /mock/tasks/ID/heal  the task loses its fault (any task
 *          fault, or a /fail): from now on it completes and its
 *          result URLs serve real PNGs (realistic mode: its JPEGs).
 *   A request header "X-Mock-Fault: NAME" applies NAME to that request
 *   alone; it goes before the queue, which goes before --fault.
 *
 * FAULTS (the table is in mock-faults.c)
 *
 *   http-500, http-502, http-503, http-401, http-403, http-404, http-408,
 *   http-413           that HTTP status; 502/503/404/408/413 with an HTML page
 *   http-429           429 with "Retry-After: 2"
 *   code-9999          HTTP 200, code 9999, msg "internal error: model overloaded"
 *   code-9000          HTTP 200, code 9000, msg "insufficient credits"
 *   malformed-json     HTTP 200, body {"code":1000,"msg":
 *   html-page          HTTP 200, an HTML error page
 *   empty-body         HTTP 200, no bytes at all
 *   huge-body          HTTP 200, 50 MiB of JSON-like text, streamed
 *   missing-taskid     code 1000 with data {}
 *   empty-data         code 1000 with data {}, msg "Successfully": what
 *                      infobytaskid may say while a task starts (queue it
 *                      with path /v1/images/infobytaskid)
 *   missing-status     for infobytaskid only: code 1000, data with the
 *                      task's taskid and starttime but no image_status
 *                      (other requests that take it are answered as usual)
 *   other-taskid       code 1000, a completed task with one url, but its
 *                      taskid is mock_0000000000000000, not the one asked
 *                      about (its url points at a closed port)
 *   A code other than 1000 while a task is followed: queue code-9999 or
 *   code-9000 with path /v1/images/infobytaskid.
 *   A task fault combines with realistic mode's rules: it changes only
 *   what it is about (the ending, the kind of results, or their number).
 *   stall              read the request, then send nothing for 120 s (or
 *                      until the client goes away) and close
 *   close-during-upload close the connection as the request body arrives
 *   task-fails         the submission succeeds; the task ends with
 *                      image_status 4, "content refused by moderation"
 *   result-404         the task completes; its result URLs answer 404
 *   result-not-image   the task completes; its result URLs answer 200
 *                      text/plain "not an image"
 *   no-images          the task completes (image_status 3) with url []
 *   fewer-images       the task completes with half its batch size of
 *                      urls, rounded up (at least 1); /files/ID/N.png
 *                      beyond those answer 404
 *   fails-bare         the task ends with image_status 4, and the answer's
 *                      data holds only taskid, image_status and
 *                      error_message "source image rejected by the safety
 *                      check" (no url, starttime, width or height)
 *   refused-prompt     HTTP 400, code 9999, msg "The prompt was refused: ..."
 *   bad-size           HTTP 400, code 9999, msg "Invalid size: ..."
 *   code-9000-bare     HTTP 200, {"code":9000,"msg":"Insufficient credits"}
 *                      (no data at all, as the live service sends it)
 *   http-402-credits   HTTP 402 with that same body
 *   slow-answer        read the whole request, then answer it as usual only
 *                      --slow-answer-seconds later; other requests are
 *                      served meanwhile
 *   result-trickle     the task completes; its result URLs answer 200 with a
 *                      PNG header, then one byte every half second, never
 *                      ending while the client stays
 *   answer-trickle     read the whole request, then answer 200 with "{" and
 *                      one space every half second, never ending while the
 *                      client stays
 *   taskid-dotdot      code 1000 with data {"taskid": ".."}
 *   taskid-long        code 1000 with a task id of 256 bytes
 *   many-urls          the task completes with MOCK_FAULT_MANY_URLS result
 *                      URLs whatever its batch size, each a real PNG
 *   result-huge        the task completes; its result URLs answer 200 with
 *                      a PNG header of 4096 × 4096 and 80 MiB in all,
 *                      chunked (no Content-Length)
 *   result-jpeg-presigned  the task completes; its results are JPEGs on
 *                      pre-signed URLs (see GET /files/ID/N.jpeg above)
 *
 * REALISTIC MODE (--realistic; the rules are in mock-realistic.c)
 *
 *   Every rule is fixed, so tests can count on it:
 *   - Submissions are answered --answer-delay-seconds (default 3) after
 *     their body.
 *   - Refusals come as HTTP 400 with the envelope (code 9999, the reason in
 *     msg) instead of HTTP 200: the mock's own rules (prompt, batchsize,
 *     resolution, sources...), a body that is not multipart, and a prompt
 *     holding "mock-policy" (the refused-prompt answer).
 *   - Each task's infobytaskid answers follow a script, counted per task
 *     (answers that took a request fault do not count): the 1st is code
 *     1000 with data {}; the 2nd code 9999 "the task is not ready yet"
 *     with data {}; the 3rd code 1000 with taskid and starttime but no
 *     image_status; the 4th image_status 1 or 2 by the clock (2 if the
 *     task has ended by then); from the 5th the clock's status, except
 *     that the first answer that would say 3 or 4 says 5 (an unknown
 *     state) instead. So a task ends at the 6th answer at the earliest.
 *   - A completed task's results are JPEGs on pre-signed URLs (as under
 *     result-jpeg-presigned: 403 unless the query comes back byte for
 *     byte), one fewer than batchsize when batchsize is over 1.
 *   - Outcomes by the prompt (case does not matter): "mock-refuse"
 *     completes with image_status 3 and url [] (what a moderation refusal
 *     gives); "mock-fail" fails with image_status 4 and only taskid,
 *     image_status and error_message "prompt rejected by the safety
 *     check"; "mock-policy" is refused at once (see above).
 *   - starttime is UTC+8 without a zone, as always.
 *   Faults still apply on top: an X-Mock-Fault or queued fault answers
 *   the request it takes as usual, and a task fault changes only what it
 *   is about (e.g. result-404 on a realistic task: its URLs answer 404).
 *   /mock/tasks/ID/heal gives a realistic task realistic mode's results.
 *
 * LOG (--log FILE and GET /mock/log): one JSON object per request, faulted
 * or not, written and flushed as its answer starts (so a client holding
 * the status line finds it there) or, if it gets none, as it ends:
 *
 *   {"time": ISO 8601, "method": "POST", "path": "/v1/images/seedreamv45",
 *    "headers": [names only, lowercase], "authorized": true (the request
 *    carried the accepted key), "authorization_sent": true (it had an
 *    Authorization header at all), "fields": {text fields: values; a
 *    repeated field gives an array; for a JSON body its top-level members},
 *    "files": [{"field", "filename", "content_type", "size", "sha256"}],
 *    "status": 200 (null when no answer was sent), "fault": null or NAME,
 *    "task_id": the task created or asked about, or null,
 *    "key_in_request": true if the key turned up outside the Authorization
 *    header (it is then replaced by "[API key]" in the entry)}
 *
 * "fields" and "files" stay empty for a request answered before its body
 * was read: a wrong key (401), a body over --max-body-mib (413), an
 * unknown X-Mock-Fault (400), close-during-upload.
 */

#define G_LOG_DOMAIN "seedream-mock-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mock-faults.h"
#include "mock-jpeg.h"
#include "mock-log.h"
#include "mock-png.h"
#include "mock-realistic.h"
#include "mock-submission.h"
#include "mock-tasks.h"

#define QUERY_PATH "/v1/images/infobytaskid"
#define DELETE_PATH "/v1/images/deleteimagestask"
#define API_PREFIX "/v1/"
#define FILES_PREFIX "/files/"
#define CONTROL_PREFIX "/mock/"
#define FAULT_HEADER "X-Mock-Fault"
#define KEY_PLACEHOLDER "[API key]"

#define CODE_SUCCESS 1000
#define CODE_FAILURE 9999

#define PNG_CACHE_MAX 8
#define HUGE_BODY_CHUNK (64 * 1024)
#define CLOSE_DRAIN_SECONDS 30

typedef enum
{
  ROUTE_SUBMIT,
  ROUTE_QUERY,
  ROUTE_DELETE,
  ROUTE_OTHER_API,
  ROUTE_FILES,
  ROUTE_CONTROL,
  ROUTE_UNKNOWN,
} Route;

typedef struct
{
  SoupServer      *server;
  GMainLoop       *loop;
  char            *base_url;
  char            *key;
  guint64          max_body_bytes;
  guint            slow_upload_ms;
  double           slow_answer_seconds;
  /* --realistic, and how long a submission's answer takes. */
  gboolean         realistic;
  double           answer_delay_seconds;
  /* --credits: what is left, or -1 for no limit. */
  gint64           credits;
  const MockFault *global_fault;
  MockFaultQueue  *faults;
  MockTaskTable   *tasks;
  MockLog         *log;
  /* "WIDTHxHEIGHT/N" → GBytes of the PNG */
  GHashTable      *png_cache;
  /* Stall and CloseJob: requests still holding a connection. */
  GList           *stalls;
  GList           *close_jobs;
  /* SlowAnswer: answers waiting on a timeout. */
  GList           *held;
  /* PNGs being rendered in a thread. */
  guint            n_renders;
  gboolean         shutting_down;
} MockServer;

/* What the server knows about one request; attached to its message. */
typedef struct
{
  GDateTime       *time;
  char            *method;
  /* The path as sent, and as logged (without the key). */
  char            *path;
  char            *logged_path;
  Route            route;
  JsonArray       *header_names;
  gboolean         authorization_sent;
  gboolean         authorized;
  gboolean         key_in_request;
  const MockFault *fault;
  JsonObject      *fields;
  JsonArray       *files;
  GPtrArray       *parts;
  JsonNode        *json_body;
  char            *task_id;
  gboolean         close_scheduled;
  gboolean         logged;
  /* Its answer waits on a timeout: until then nothing was sent. */
  gboolean         answer_held;
} MockRequest;

static void request_log     (MockServer        *self,
                             SoupServerMessage *msg,
                             guint              status);
static void steal_and_close (MockServer        *self,
                             SoupServerMessage *msg,
                             char              *raw_response,
                             guint64            drain_bytes,
                             guint              logged_status);

/* Requests */

static void
mock_request_free (MockRequest *req)
{
  g_clear_pointer (&req->time, g_date_time_unref);
  g_free (req->method);
  g_free (req->path);
  g_free (req->logged_path);
  g_clear_pointer (&req->header_names, json_array_unref);
  g_clear_pointer (&req->fields, json_object_unref);
  g_clear_pointer (&req->files, json_array_unref);
  g_clear_pointer (&req->parts, g_ptr_array_unref);
  g_clear_pointer (&req->json_body, json_node_unref);
  g_free (req->task_id);
  g_free (req);
}

static Route
route_for_path (const char *path)
{
  if (mock_endpoint_lookup (path) != NULL)
    return ROUTE_SUBMIT;
  if (strcmp (path, QUERY_PATH) == 0)
    return ROUTE_QUERY;
  if (strcmp (path, DELETE_PATH) == 0)
    return ROUTE_DELETE;
  if (g_str_has_prefix (path, API_PREFIX))
    return ROUTE_OTHER_API;
  if (g_str_has_prefix (path, FILES_PREFIX))
    return ROUTE_FILES;
  if (g_str_has_prefix (path, CONTROL_PREFIX))
    return ROUTE_CONTROL;
  return ROUTE_UNKNOWN;
}

static gboolean
route_is_api (Route route)
{
  switch (route)
    {
    case ROUTE_SUBMIT:
    case ROUTE_QUERY:
    case ROUTE_DELETE:
    case ROUTE_OTHER_API:
      return TRUE;
    case ROUTE_FILES:
    case ROUTE_CONTROL:
    case ROUTE_UNKNOWN:
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

/* Replaces the key wherever it appears in @text, so that no log entry can
 * hold it, and notes that it appeared. */
static char *
redact (MockServer  *self,
        MockRequest *req,
        const char  *text)
{
  g_autoptr(GString) copy = NULL;

  if (text == NULL)
    return NULL;

  if (strstr (text, self->key) == NULL)
    return g_strdup (text);

  req->key_in_request = TRUE;
  copy = g_string_new (text);
  g_string_replace (copy, self->key, KEY_PLACEHOLDER, 0);

  return g_string_free (g_steal_pointer (&copy), FALSE);
}

static gboolean
authorization_accepts (const char *value,
                       const char *key)
{
  if (value == NULL)
    return FALSE;

  if (strcmp (value, key) == 0)
    return TRUE;

  if (g_ascii_strncasecmp (value, "Bearer ", 7) == 0)
    {
      const char *token = value + 7;

      while (*token == ' ')
        token++;
      return strcmp (token, key) == 0;
    }

  return FALSE;
}

static void
wrote_headers_cb (MockServer        *self,
                  SoupServerMessage *msg)
{
  request_log (self, msg, soup_server_message_get_status (msg));
}

/* The request record of @msg, made on first use. */
static MockRequest *
request_get (MockServer        *self,
             SoupServerMessage *msg)
{
  MockRequest *req = g_object_get_data (G_OBJECT (msg), "mock-request");
  SoupMessageHeaders *headers;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  GUri *uri;
  g_autoptr(GHashTable) seen = NULL;

  if (req != NULL)
    return req;

  req = g_new0 (MockRequest, 1);
  req->time = g_date_time_new_now_local ();
  req->method = g_strdup (soup_server_message_get_method (msg));
  uri = soup_server_message_get_uri (msg);
  req->path = g_strdup (uri != NULL ? g_uri_get_path (uri) : "");
  req->logged_path = redact (self, req, req->path);
  req->route = route_for_path (req->path);
  req->header_names = json_array_new ();
  req->fields = json_object_new ();
  req->files = json_array_new ();

  headers = soup_server_message_get_request_headers (msg);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      char *lower = g_ascii_strdown (name, -1);

      if (g_hash_table_add (seen, lower))
        json_array_add_string_element (req->header_names, lower);
    }

  value = soup_message_headers_get_one (headers, "Authorization");
  req->authorization_sent = value != NULL;
  req->authorized = authorization_accepts (value, self->key);

  g_object_set_data_full (G_OBJECT (msg), "mock-request", req,
                          (GDestroyNotify) mock_request_free);

  /* Logged as soon as the answer starts: a client that has the status
   * line can rely on finding the request in the log, even if it then
   * drops a long body. */
  g_signal_connect_swapped (msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), self);

  return req;
}

/* Writes the log entry of @msg, once. @status 0 means nothing was sent. */
static void
request_log (MockServer        *self,
             SoupServerMessage *msg,
             guint              status)
{
  MockRequest *req = request_get (self, msg);
  g_autoptr(JsonObject) entry = NULL;
  g_autofree char *time = NULL;

  if (req->logged || req->route == ROUTE_CONTROL)
    return;
  req->logged = TRUE;

  /* A held answer may be set already, but it never went out. */
  if (req->answer_held)
    status = 0;

  time = g_date_time_format_iso8601 (req->time);

  entry = json_object_new ();
  json_object_set_string_member (entry, "time", time);
  json_object_set_string_member (entry, "method", req->method != NULL ? req->method : "");
  json_object_set_string_member (entry, "path", req->logged_path);
  json_object_set_array_member (entry, "headers", json_array_ref (req->header_names));
  json_object_set_boolean_member (entry, "authorized", req->authorized);
  json_object_set_boolean_member (entry, "authorization_sent", req->authorization_sent);
  json_object_set_object_member (entry, "fields", json_object_ref (req->fields));
  json_object_set_array_member (entry, "files", json_array_ref (req->files));
  if (status != 0)
    json_object_set_int_member (entry, "status", status);
  else
    json_object_set_null_member (entry, "status");
  if (req->fault != NULL)
    json_object_set_string_member (entry, "fault", req->fault->name);
  else
    json_object_set_null_member (entry, "fault");
  if (req->task_id != NULL)
    json_object_set_string_member (entry, "task_id", req->task_id);
  else
    json_object_set_null_member (entry, "task_id");
  json_object_set_boolean_member (entry, "key_in_request", req->key_in_request);

  mock_log_append (self->log, entry);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     MockServer        *self)
{
  request_log (self, msg, soup_server_message_get_status (msg));
}

/* Answers */

static void
respond_json (SoupServerMessage *msg,
              guint              http_status,
              JsonNode          *node)
{
  char *text = json_to_string (node, FALSE);

  soup_server_message_set_status (msg, http_status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    text, strlen (text));
}

/* The provider's envelope: {"code": @code, "msg": @message, "data": @data or {}}. */
static void
respond_envelope (SoupServerMessage *msg,
                  guint              http_status,
                  int                code,
                  const char        *message,
                  JsonObject        *data)
{
  g_autoptr(JsonObject) envelope = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (envelope, "code", code);
  json_object_set_string_member (envelope, "msg", message);
  json_object_set_object_member (envelope, "data", data != NULL ? data : json_object_new ());
  json_node_set_object (node, envelope);

  respond_json (msg, http_status, node);
}

static void
respond_text (SoupServerMessage *msg,
              guint              http_status,
              const char        *text)
{
  soup_server_message_set_status (msg, http_status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
respond_method_not_allowed (SoupServerMessage *msg,
                            const char        *allowed)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed);
  respond_envelope (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, CODE_FAILURE,
                    "method not allowed", NULL);
}

static gboolean
method_is (SoupServerMessage *msg,
           const char        *method)
{
  return g_strcmp0 (soup_server_message_get_method (msg), method) == 0;
}

/* Request bodies */

static void
add_field (JsonObject *fields,
           const char *name,
           const char *value)
{
  JsonNode *existing = json_object_get_member (fields, name);

  if (existing == NULL)
    {
      json_object_set_string_member (fields, name, value);
    }
  else if (JSON_NODE_HOLDS_ARRAY (existing))
    {
      json_array_add_string_element (json_node_get_array (existing), value);
    }
  else
    {
      JsonArray *values = json_array_new ();

      json_array_add_string_element (values, json_node_get_string (existing));
      json_array_add_string_element (values, value);
      json_object_set_array_member (fields, name, values);
    }
}

/* Splits a multipart/form-data body into parts, recording its fields and
 * files for the log. Returns FALSE if the body is not one. */
static gboolean
read_form (MockServer        *self,
           MockRequest       *req,
           SoupServerMessage *msg,
           GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(SoupMultipart) multipart = NULL;
  const char *content_type;

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "multipart/form-data") != 0)
    return FALSE;

  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    return FALSE;

  req->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_part_free);

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;
      const char *name = NULL;
      const char *filename = NULL;
      MockPart *part;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body))
        continue;

      if (soup_message_headers_get_content_disposition (part_headers, &disposition, &params))
        {
          name = g_hash_table_lookup (params, "name");
          filename = g_hash_table_lookup (params, "filename");
          /* A file part with an empty file name is still a file part. */
          if (filename == NULL && g_hash_table_contains (params, "filename"))
            filename = "";
        }

      part = mock_part_new (name, filename,
                            soup_message_headers_get_content_type (part_headers, NULL),
                            part_body);
      g_ptr_array_add (req->parts, part);

      if (part->filename == NULL)
        {
          g_autofree char *field = redact (self, req, part->name);
          g_autofree char *value = NULL;

          if (part->text != NULL)
            value = redact (self, req, part->text);
          else
            value = g_strdup_printf ("<%" G_GSIZE_FORMAT " bytes, not text>",
                                     g_bytes_get_size (part->body));
          add_field (req->fields, field, value);
        }
      else
        {
          JsonObject *file = json_object_new ();
          g_autofree char *field = redact (self, req, part->name);
          g_autofree char *file_name = redact (self, req, part->filename);
          g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, part->body);

          json_object_set_string_member (file, "field", field);
          json_object_set_string_member (file, "filename", file_name);
          if (part->content_type != NULL)
            json_object_set_string_member (file, "content_type", part->content_type);
          else
            json_object_set_null_member (file, "content_type");
          json_object_set_int_member (file, "size", g_bytes_get_size (part->body));
          json_object_set_string_member (file, "sha256", sha256);
          json_array_add_object_element (req->files, file);
        }
    }

  return TRUE;
}

/* Parses a JSON body, recording its top-level members for the log. */
static void
read_json (MockServer  *self,
           MockRequest *req,
           GBytes      *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return;

  root = json_parser_get_root (parser);
  if (root == NULL)
    return;
  req->json_body = json_node_copy (root);

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);
          g_autofree char *field = redact (self, req, l->data);
          g_autofree char *text = NULL;
          g_autofree char *value = NULL;

          if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (member));
          else
            text = json_to_string (member, FALSE);

          value = redact (self, req, text);
          add_field (req->fields, field, value);
        }
    }
}

static void
read_request_body (MockServer        *self,
                   MockRequest       *req,
                   SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  if (g_bytes_get_size (body) == 0)
    return;

  if (!read_form (self, req, msg, body))
    read_json (self, req, body);
}

/* Faults */

static void
respond_fault (SoupServerMessage *msg,
               const MockFault   *fault)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* libsoup has no reason phrase for 429. */
  soup_server_message_set_status (msg, fault->status,
                                  fault->status == 429 ? "Too Many Requests" : NULL);
  if (fault->header_name != NULL)
    soup_message_headers_replace (headers, fault->header_name, fault->header_value);

  if (fault->body != NULL && *fault->body != '\0')
    {
      soup_server_message_set_response (msg, fault->content_type, SOUP_MEMORY_STATIC,
                                        fault->body, strlen (fault->body));
    }
  else
    {
      soup_message_headers_replace (headers, "Content-Type", fault->content_type);
      soup_message_headers_set_content_length (headers, 0);
    }
}

typedef struct
{
  gsize       written;
  gsize       total;
  const char *head;
  gsize       head_len;
  const char *tail;
  gsize       tail_len;
} HugeBody;

static const char huge_body_head[] = "{\"code\":1000,\"msg\":\"";
static const char huge_body_tail[] = "\",\"data\":{}}";

static const char *
huge_body_filler (void)
{
  static char *filler = NULL;

  if (g_once_init_enter_pointer (&filler))
    {
      char *block = g_malloc (HUGE_BODY_CHUNK);

      memset (block, 'x', HUGE_BODY_CHUNK);
      g_once_init_leave_pointer (&filler, block);
    }

  return filler;
}

/* Appends the next piece of the huge body, never more than one chunk
 * ahead of the socket: libsoup drops written chunks (accumulate is off). */
static void
huge_body_append_next (SoupServerMessage *msg,
                       HugeBody          *state)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  const gsize total = state->total;
  const gsize tail = state->tail_len;
  gsize len;

  if (state->written >= total)
    {
      soup_message_body_complete (body);
      return;
    }

  if (state->written == 0)
    {
      len = state->head_len;
      soup_message_body_append (body, SOUP_MEMORY_STATIC, state->head, len);
    }
  else if (total - state->written > tail)
    {
      len = MIN (HUGE_BODY_CHUNK, total - state->written - tail);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, huge_body_filler (), len);
    }
  else
    {
      len = tail;
      soup_message_body_append (body, SOUP_MEMORY_STATIC, state->tail, len);
    }

  state->written += len;
}

static void
huge_body_wrote_chunk_cb (SoupServerMessage *msg,
                          HugeBody          *state)
{
  huge_body_append_next (msg, state);
}

static void
respond_huge_body (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  HugeBody *state = g_new0 (HugeBody, 1);

  state->total = MOCK_FAULT_HUGE_BODY_SIZE;
  state->head = huge_body_head;
  state->head_len = sizeof huge_body_head - 1;
  state->tail = huge_body_tail;
  state->tail_len = sizeof huge_body_tail - 1;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", "application/json");
  soup_message_headers_set_content_length (headers, MOCK_FAULT_HUGE_BODY_SIZE);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  g_signal_connect_data (msg, "wrote-chunk", G_CALLBACK (huge_body_wrote_chunk_cb),
                         state, (GClosureNotify) g_free, 0);
  huge_body_append_next (msg, state);
}

/* result-huge: a PNG of the largest size the service makes by its header,
 * followed by far more bytes than any such PNG holds, without a
 * Content-Length (so the client must count as the bytes come). */
static const char huge_png_head[] =
  "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x10\0\0\0\x10\0\x08\x06\0\0\0";

static void
respond_huge_result (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  HugeBody *state = g_new0 (HugeBody, 1);

  state->total = MOCK_FAULT_HUGE_RESULT_SIZE;
  state->head = huge_png_head;
  state->head_len = sizeof huge_png_head - 1;
  state->tail = "";
  state->tail_len = 0;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", "image/png");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  g_signal_connect_data (msg, "wrote-chunk", G_CALLBACK (huge_body_wrote_chunk_cb),
                         state, (GClosureNotify) g_free, 0);
  huge_body_append_next (msg, state);
}

/* result-trickle: a PNG header, then one byte every half second for as
 * long as the client stays (a host that keeps a download alive without
 * ever finishing it). */
typedef struct
{
  SoupServerMessage *msg;
  guint              timeout_id;
} Trickle;

static void
trickle_free (gpointer data)
{
  Trickle *trickle = data;

  g_clear_handle_id (&trickle->timeout_id, g_source_remove);
  g_free (trickle);
}

static gboolean
trickle_cb (gpointer user_data)
{
  Trickle *trickle = user_data;

  soup_message_body_append (soup_server_message_get_response_body (trickle->msg),
                            SOUP_MEMORY_STATIC, " ", 1);
  soup_server_message_unpause (trickle->msg);
  return G_SOURCE_CONTINUE;
}

static void
trickle_finished_cb (SoupServerMessage *msg,
                     Trickle           *trickle)
{
  g_clear_handle_id (&trickle->timeout_id, g_source_remove);
}

static void
respond_trickle (SoupServerMessage *msg,
                 const char        *content_type,
                 const char        *head,
                 gsize              head_len)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Trickle *trickle = g_new0 (Trickle, 1);

  trickle->msg = msg;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            head, head_len);
  g_signal_connect_data (msg, "finished", G_CALLBACK (trickle_finished_cb),
                         trickle, (GClosureNotify) trickle_free, 0);
  trickle->timeout_id = g_timeout_add (500, trickle_cb, trickle);
}

/* Stalls: the request was read; nothing is sent until the client leaves
 * or MOCK_FAULT_STALL_SECONDS pass, then the connection is closed. */

typedef struct
{
  MockServer        *self;
  SoupServerMessage *msg;
  guint              timeout_id;
  GSource           *watch;
} Stall;

static void
stall_free (Stall *stall)
{
  g_clear_handle_id (&stall->timeout_id, g_source_remove);
  if (stall->watch != NULL)
    {
      g_source_destroy (stall->watch);
      g_clear_pointer (&stall->watch, g_source_unref);
    }
  g_clear_object (&stall->msg);
  g_free (stall);
}

static void
stall_end (Stall *stall)
{
  MockServer *self = stall->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (stall->msg);

  self->stalls = g_list_remove (self->stalls, stall);
  stall_free (stall);

  steal_and_close (self, msg, NULL, 0, 0);
}

static gboolean
stall_timeout_cb (gpointer user_data)
{
  Stall *stall = user_data;

  stall->timeout_id = 0;
  stall_end (stall);

  return G_SOURCE_REMOVE;
}

/* The socket is readable: either the client closed it (end the stall) or
 * it sent more (stop watching; the timeout still ends the stall). */
static gboolean
stall_socket_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  Stall *stall = user_data;
  g_autoptr(GError) error = NULL;
  char byte;
  GInputVector vector = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;
  gssize n;

  n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&stall->watch, g_source_unref);

  if (n <= 0)
    stall_end (stall);

  return G_SOURCE_REMOVE;
}

static void
start_stall (MockServer        *self,
             SoupServerMessage *msg)
{
  Stall *stall = g_new0 (Stall, 1);
  GSocket *socket = soup_server_message_get_socket (msg);

  stall->self = self;
  stall->msg = g_object_ref (msg);
  soup_server_message_pause (msg);

  stall->timeout_id = g_timeout_add_seconds (MOCK_FAULT_STALL_SECONDS, stall_timeout_cb, stall);
  if (socket != NULL)
    {
      stall->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (stall->watch, G_SOURCE_FUNC (stall_socket_cb), stall, NULL);
      g_source_attach (stall->watch, NULL);
    }

  self->stalls = g_list_prepend (self->stalls, stall);
}

/* Stolen connections: an answer written by hand (or none), then close. */

typedef struct
{
  MockServer   *self;
  GIOStream    *stream;
  GCancellable *cancellable;
  char         *response;
  guint64       drain_left;
  guint         timeout_id;
} CloseJob;

static void close_job_drain (CloseJob *job);

static void
close_job_finish (CloseJob *job)
{
  MockServer *self = job->self;

  g_io_stream_close (job->stream, NULL, NULL);

  self->close_jobs = g_list_remove (self->close_jobs, job);
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  g_clear_object (&job->stream);
  g_clear_object (&job->cancellable);
  g_free (job->response);
  g_free (job);
}

static gboolean
close_job_timeout_cb (gpointer user_data)
{
  CloseJob *job = user_data;

  job->timeout_id = 0;
  g_cancellable_cancel (job->cancellable);

  return G_SOURCE_REMOVE;
}

static void
close_job_drained_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CloseJob *job = user_data;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0 ||
      g_bytes_get_size (bytes) >= job->drain_left)
    {
      close_job_finish (job);
      return;
    }

  job->drain_left -= g_bytes_get_size (bytes);
  close_job_drain (job);
}

/* Reads and drops the rest of the request body, so that the client, still
 * writing it, gets to read the answer instead of a reset connection. */
static void
close_job_drain (CloseJob *job)
{
  if (job->drain_left == 0)
    {
      close_job_finish (job);
      return;
    }

  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (job->stream),
                                   MIN (job->drain_left, 64 * 1024), G_PRIORITY_DEFAULT,
                                   job->cancellable, close_job_drained_cb, job);
}

static void
close_job_wrote_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CloseJob *job = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    close_job_finish (job);
  else
    close_job_drain (job);
}

/* Takes @msg's connection away from libsoup, writes @raw_response (if
 * any), reads up to @drain_bytes of what the client still sends, and
 * closes. Logs @msg with @logged_status (0: nothing sent). */
static void
steal_and_close (MockServer        *self,
                 SoupServerMessage *msg,
                 char              *raw_response,
                 guint64            drain_bytes,
                 guint              logged_status)
{
  g_autoptr(SoupServerMessage) keep = g_object_ref (msg);
  g_autoptr(GIOStream) stream = NULL;
  CloseJob *job;

  request_log (self, msg, logged_status);

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      g_free (raw_response);
      return;
    }

  if (raw_response == NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      return;
    }

  job = g_new0 (CloseJob, 1);
  job->self = self;
  job->stream = g_steal_pointer (&stream);
  job->cancellable = g_cancellable_new ();
  job->response = raw_response;
  job->drain_left = drain_bytes;
  job->timeout_id = g_timeout_add_seconds (CLOSE_DRAIN_SECONDS, close_job_timeout_cb, job);
  self->close_jobs = g_list_prepend (self->close_jobs, job);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (job->stream),
                                   job->response, strlen (job->response), G_PRIORITY_DEFAULT,
                                   job->cancellable, close_job_wrote_cb, job);
}

typedef struct
{
  MockServer        *self;
  SoupServerMessage *msg;
  char              *raw_response;
  guint64            drain_bytes;
  guint              logged_status;
} PendingSteal;

static gboolean
pending_steal_cb (gpointer user_data)
{
  PendingSteal *pending = user_data;

  /* Once the server is gone the connection is not libsoup's to give. */
  if (pending->self->shutting_down)
    g_free (pending->raw_response);
  else
    steal_and_close (pending->self, pending->msg, g_steal_pointer (&pending->raw_response),
                     pending->drain_bytes, pending->logged_status);

  g_object_unref (pending->msg);
  g_free (pending);

  return G_SOURCE_REMOVE;
}

/* libsoup cannot give a connection away from inside its own I/O, so pause
 * the message and steal it from an idle callback. */
static void
schedule_steal_and_close (MockServer        *self,
                          SoupServerMessage *msg,
                          char              *raw_response,
                          guint64            drain_bytes,
                          guint              logged_status)
{
  PendingSteal *pending = g_new0 (PendingSteal, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->raw_response = raw_response;
  pending->drain_bytes = drain_bytes;
  pending->logged_status = logged_status;

  soup_server_message_pause (msg);
  g_idle_add (pending_steal_cb, pending);
}

static void
close_during_upload_got_chunk_cb (SoupServerMessage *msg,
                                  GBytes            *chunk,
                                  MockServer        *self)
{
  MockRequest *req = request_get (self, msg);

  if (req->close_scheduled)
    return;

  req->close_scheduled = TRUE;
  schedule_steal_and_close (self, msg, NULL, 0, 0);
}

static gboolean
request_has_body (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      return soup_message_headers_get_content_length (headers) > 0;
    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_BYTERANGES:
      return TRUE;
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_NONE:
      return FALSE;
    default:
      return FALSE;
    }
}

static void
reject_too_large (MockServer        *self,
                  SoupServerMessage *msg,
                  goffset            length)
{
  g_autofree char *message = NULL;
  g_autoptr(JsonObject) envelope = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *body = NULL;
  char *response;

  message = g_strdup_printf ("request body of %" G_GINT64_FORMAT " bytes is above the limit "
                             "of %" G_GUINT64_FORMAT " bytes",
                             (gint64) length, self->max_body_bytes);
  json_object_set_int_member (envelope, "code", CODE_FAILURE);
  json_object_set_string_member (envelope, "msg", message);
  json_object_set_object_member (envelope, "data", json_object_new ());
  json_node_set_object (node, envelope);
  body = json_to_string (node, FALSE);

  response = g_strdup_printf ("HTTP/1.1 413 Request Entity Too Large\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                              "Connection: close\r\n"
                              "\r\n"
                              "%s",
                              strlen (body), body);

  /* Nothing of the body is kept; the connection is taken over so the
   * answer goes out before the body is read. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  schedule_steal_and_close (self, msg, response, length, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
}

/* The fault for this request: X-Mock-Fault, else the queue, else --fault. */
static gboolean
choose_fault (MockServer        *self,
              MockRequest       *req,
              SoupServerMessage *msg,
              char             **unknown)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *name = soup_message_headers_get_one (headers, FAULT_HEADER);
  gboolean is_submission = req->route == ROUTE_SUBMIT;
  const MockFault *fault = NULL;

  if (name != NULL)
    {
      fault = mock_fault_lookup (name);
      if (fault == NULL)
        {
          *unknown = g_strdup (name);
          return FALSE;
        }
    }
  else
    {
      fault = mock_fault_queue_take (self->faults, req->path, is_submission);
      if (fault == NULL && route_is_api (req->route))
        fault = self->global_fault;
    }

  if (fault != NULL && fault->kind == MOCK_FAULT_KIND_TASK && !is_submission)
    fault = NULL;

  req->fault = fault;
  return TRUE;
}

/* --slow-upload-ms: after each chunk of the body, the message is paused
 * and taken up again a little later. The timeout holds a reference to the
 * message; a message that ends meanwhile is not resumed. */

#define SLOW_UPLOAD_SOURCE_KEY "mock-slow-upload-source"

static gboolean
slow_upload_resume_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  g_object_set_data (G_OBJECT (msg), SLOW_UPLOAD_SOURCE_KEY, NULL);
  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static void
slow_upload_got_chunk_cb (SoupServerMessage *msg,
                          GBytes            *chunk,
                          MockServer        *self)
{
  guint id;

  if (g_object_get_data (G_OBJECT (msg), SLOW_UPLOAD_SOURCE_KEY) != NULL)
    return;

  soup_server_message_pause (msg);
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->slow_upload_ms, slow_upload_resume_cb,
                           g_object_ref (msg), g_object_unref);
  g_object_set_data (G_OBJECT (msg), SLOW_UPLOAD_SOURCE_KEY, GUINT_TO_POINTER (id));
}

/* A message that ends stops the timeout kept on it under @key. */
static void
remove_message_source (SoupServerMessage *msg,
                       const char        *key)
{
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), key));

  if (id != 0)
    {
      g_object_set_data (G_OBJECT (msg), key, NULL);
      g_source_remove (id);
    }
}

static void
slow_upload_ended_cb (SoupServerMessage *msg)
{
  remove_message_source (msg, SLOW_UPLOAD_SOURCE_KEY);
}

/* Early handler: the headers are in, the body is not. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  MockServer *self = user_data;
  MockRequest *req = request_get (self, msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autofree char *unknown = NULL;

  if (req->route == ROUTE_CONTROL)
    return;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) soup_message_headers_get_content_length (headers) > self->max_body_bytes)
    {
      reject_too_large (self, msg, soup_message_headers_get_content_length (headers));
      return;
    }

  if (route_is_api (req->route) && !req->authorized)
    {
      soup_message_body_set_accumulate (request_body, FALSE);
      respond_envelope (msg, SOUP_STATUS_UNAUTHORIZED, CODE_FAILURE,
                        req->authorization_sent ?
                          "Unauthorized: the API key is not valid" :
                          "Unauthorized: the Authorization header is missing",
                        NULL);
      return;
    }

  if (!choose_fault (self, req, msg, &unknown))
    {
      g_autofree char *message = g_strdup_printf ("unknown fault '%s'; known faults: %s",
                                                  unknown, mock_fault_list_names ());

      soup_message_body_set_accumulate (request_body, FALSE);
      respond_envelope (msg, SOUP_STATUS_BAD_REQUEST, CODE_FAILURE, message, NULL);
      return;
    }

  if (self->slow_upload_ms > 0 && route_is_api (req->route) && request_has_body (msg) &&
      (req->fault == NULL || req->fault->kind != MOCK_FAULT_KIND_CLOSE_DURING_UPLOAD))
    {
      g_signal_connect (msg, "got-chunk", G_CALLBACK (slow_upload_got_chunk_cb), self);
      g_signal_connect (msg, "finished", G_CALLBACK (slow_upload_ended_cb), NULL);
      g_signal_connect (msg, "disconnected", G_CALLBACK (slow_upload_ended_cb), NULL);
    }

  if (req->fault != NULL && req->fault->kind == MOCK_FAULT_KIND_CLOSE_DURING_UPLOAD)
    {
      soup_message_body_set_accumulate (request_body, FALSE);
      if (request_has_body (msg))
        {
          g_signal_connect (msg, "got-chunk",
                            G_CALLBACK (close_during_upload_got_chunk_cb), self);
        }
      else
        {
          req->close_scheduled = TRUE;
          schedule_steal_and_close (self, msg, NULL, 0, 0);
        }
    }
}

/* API endpoints */

static void
handle_submit (MockServer        *self,
               MockRequest       *req,
               SoupServerMessage *msg)
{
  g_autoptr(MockSubmission) submission = NULL;
  g_autofree char *reason = NULL;
  MockTask *task;
  JsonObject *data;
  /* The live service refuses with HTTP 400 and the envelope. */
  guint refusal_status = self->realistic ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_OK;

  if (!method_is (msg, SOUP_METHOD_POST))
    {
      respond_method_not_allowed (msg, "POST");
      return;
    }

  if (req->parts == NULL)
    {
      respond_envelope (msg, refusal_status, CODE_FAILURE,
                        "the request body must be multipart/form-data", NULL);
      return;
    }

  submission = mock_submission_new_from_parts (mock_endpoint_lookup (req->path), req->parts, &reason);
  if (submission == NULL)
    {
      respond_envelope (msg, refusal_status, CODE_FAILURE, reason, NULL);
      return;
    }

  if (self->realistic && mock_realistic_refuses_prompt (submission->prompt))
    {
      respond_fault (msg, mock_fault_lookup ("refused-prompt"));
      return;
    }

  /* Each image asked for costs one credit; a refused request costs none.
   * Out of credits: HTTP 402, code 9000 and no data, as the service says it. */
  if (self->credits >= 0)
    {
      if ((guint64) self->credits < submission->batch_size)
        {
          respond_fault (msg, mock_fault_lookup ("http-402-credits"));
          return;
        }
      self->credits -= submission->batch_size;
    }

  task = mock_task_table_add (self->tasks, submission, self->realistic);
  if (self->realistic)
    mock_realistic_apply_markers (task);
  /* A queued or named task fault goes on top of the mode's rules. */
  if (req->fault != NULL && req->fault->kind == MOCK_FAULT_KIND_TASK)
    mock_task_apply_fault (task, req->fault->task_fault);
  req->task_id = g_strdup (task->id);

  data = json_object_new ();
  json_object_set_string_member (data, "taskid", task->id);
  respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "Task created successfully", data);
}

static const char *
json_body_string (MockRequest *req,
                  const char  *member)
{
  JsonObject *object;
  JsonNode *node;

  if (req->json_body == NULL || !JSON_NODE_HOLDS_OBJECT (req->json_body))
    return NULL;

  object = json_node_get_object (req->json_body);
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* The query of a result URL under result-jpeg-presigned, in the shape of
 * the live file host's (TOS) pre-signed URLs: percent-encoded slashes in
 * the credential, a signature over the path. The file host answers 403
 * unless it comes back exactly so. */
static char *
presigned_query (const char *task_id,
                 guint       number)
{
  g_autofree char *path = g_strdup_printf ("%s/%u.jpeg", task_id, number);
  g_autofree char *signature = g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                                          (const guchar *) "mock-tos-secret", 15,
                                                          path, -1);

  return g_strdup_printf ("X-Tos-Algorithm=TOS4-HMAC-SHA256"
                          "&X-Tos-Credential=AKLTMOCKACCESSKEY00000000%%2F20261202%%2Fcn-beijing%%2Ftos%%2Frequest"
                          "&X-Tos-Date=20261202T120000Z"
                          "&X-Tos-Expires=86400"
                          "&X-Tos-SignedHeaders=host"
                          "&X-Tos-Signature=%s",
                          signature);
}

static void
handle_query (MockServer        *self,
              MockRequest       *req,
              SoupServerMessage *msg)
{
  const char *task_id;
  const char *error_message;
  MockTask *task;
  MockTaskStatus status;
  JsonObject *data;
  gboolean missing_status;
  g_autofree char *start_time = NULL;

  if (!method_is (msg, SOUP_METHOD_POST))
    {
      respond_method_not_allowed (msg, "POST");
      return;
    }

  task_id = json_body_string (req, "taskid");
  if (task_id == NULL)
    {
      respond_envelope (msg, SOUP_STATUS_BAD_REQUEST, CODE_FAILURE,
                        "the body must be a JSON object with a string taskid", NULL);
      return;
    }
  req->task_id = redact (self, req, task_id);

  task = mock_task_table_lookup (self->tasks, task_id);
  if (task == NULL)
    {
      respond_envelope (msg, SOUP_STATUS_OK, CODE_FAILURE, "task not found", NULL);
      return;
    }

  status = mock_task_table_get_status (self->tasks, task, &error_message);
  /* As the service sends it: its own local time (UTC+8), no zone named. */
  start_time = g_date_time_format (task->start_time, "%Y-%m-%d %H:%M:%S");

  data = json_object_new ();
  json_object_set_string_member (data, "taskid", task->id);

  missing_status = req->fault != NULL && req->fault->kind == MOCK_FAULT_KIND_MISSING_STATUS;

  /* Realistic mode: the task's own script of loose answers (a faulted
   * answer does not count as one of them). */
  if (task->realistic && !missing_status)
    {
      switch (mock_realistic_next_answer (task, status, &status))
        {
        case MOCK_REALISTIC_ANSWER_EMPTY_DATA:
          json_object_unref (data);
          respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "Successfully", NULL);
          return;
        case MOCK_REALISTIC_ANSWER_NOT_READY:
          json_object_unref (data);
          respond_envelope (msg, SOUP_STATUS_OK, CODE_FAILURE, "the task is not ready yet", NULL);
          return;
        case MOCK_REALISTIC_ANSWER_NO_STATUS:
          missing_status = TRUE;
          break;
        case MOCK_REALISTIC_ANSWER_STATUS:
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (missing_status)
    {
      json_object_set_string_member (data, "starttime", start_time);
      respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "Successfully", data);
      return;
    }

  if (status == MOCK_TASK_STATUS_FAILED && task->ending == MOCK_TASK_ENDING_FAILS_BARE &&
      task->forced_error == NULL)
    {
      json_object_set_int_member (data, "image_status", status);
      json_object_set_string_member (data, "error_message", error_message);
      respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "Successfully", data);
      return;
    }

  json_object_set_string_member (data, "starttime", start_time);
  json_object_set_int_member (data, "image_status", status);
  if (status == MOCK_TASK_STATUS_COMPLETED)
    {
      JsonArray *urls = json_array_new ();

      for (guint i = 1; i <= mock_task_get_n_results (task); i++)
        {
          g_autofree char *query = task->results == MOCK_TASK_RESULTS_JPEG_PRESIGNED
                                     ? presigned_query (task->id, i) : NULL;
          g_autofree char *url = query != NULL
                                   ? g_strdup_printf ("%s" FILES_PREFIX "%s/%u.jpeg?%s",
                                                      self->base_url, task->id, i, query)
                                   : g_strdup_printf ("%s" FILES_PREFIX "%s/%u.png",
                                                      self->base_url, task->id, i);

          json_array_add_string_element (urls, url);
        }
      json_object_set_array_member (data, "url", urls);
    }
  if (status == MOCK_TASK_STATUS_FAILED)
    json_object_set_string_member (data, "error_message", error_message);
  json_object_set_int_member (data, "width", task->width);
  json_object_set_int_member (data, "height", task->height);
  json_object_set_string_member (data, "category", task->category);
  json_object_set_string_member (data, "prompt", task->prompt);

  respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "Successfully", data);
}

static void
handle_delete (MockServer        *self,
               MockRequest       *req,
               SoupServerMessage *msg)
{
  JsonArray *ids = NULL;
  JsonObject *data;

  if (!method_is (msg, SOUP_METHOD_POST))
    {
      respond_method_not_allowed (msg, "POST");
      return;
    }

  if (req->json_body != NULL && JSON_NODE_HOLDS_OBJECT (req->json_body))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (req->json_body), "taskids");

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        ids = json_node_get_array (node);
    }

  if (ids != NULL)
    {
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          JsonNode *element = json_array_get_element (ids, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            {
              ids = NULL;
              break;
            }
        }
    }

  if (ids == NULL || json_array_get_length (ids) == 0)
    {
      respond_envelope (msg, SOUP_STATUS_BAD_REQUEST, CODE_FAILURE,
                        "the body must be a JSON object with an array of string taskids", NULL);
      return;
    }

  /* A bad request, as the contract says, and nothing is deleted. */
  for (guint i = 0; i < json_array_get_length (ids); i++)
    if (mock_task_table_lookup (self->tasks, json_array_get_string_element (ids, i)) == NULL)
      {
        respond_envelope (msg, SOUP_STATUS_BAD_REQUEST, CODE_FAILURE, "task not found", NULL);
        return;
      }

  for (guint i = 0; i < json_array_get_length (ids); i++)
    mock_task_table_remove (self->tasks, json_array_get_string_element (ids, i));

  data = json_object_new ();
  json_object_set_string_member (data, "status", "Success");
  respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "Successfully", data);
}

/* The file host */

typedef struct
{
  guint width;
  guint height;
  guint number;
} RenderJob;

typedef struct
{
  MockServer        *self;
  SoupServerMessage *msg;
  char              *cache_key;
} RenderRequest;

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  GError *error = NULL;
  GBytes *png = mock_png_render (job->width, job->height, job->number, &error);

  if (png == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, png, (GDestroyNotify) g_bytes_unref);
}

static void
respond_png (SoupServerMessage *msg,
             GBytes            *png)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Type", "image/png");
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), png);
}

static void
render_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RenderRequest *request = user_data;
  MockServer *self = request->self;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;

  png = g_task_propagate_pointer (G_TASK (result), &error);
  if (png == NULL)
    {
      respond_text (request->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
    }
  else
    {
      if (g_hash_table_size (self->png_cache) >= PNG_CACHE_MAX)
        g_hash_table_remove_all (self->png_cache);
      g_hash_table_insert (self->png_cache, g_strdup (request->cache_key), g_bytes_ref (png));
      respond_png (request->msg, png);
    }

  soup_server_message_unpause (request->msg);

  self->n_renders--;
  g_object_unref (request->msg);
  g_free (request->cache_key);
  g_free (request);
}

static gboolean
parse_file_path (const char  *path,
                 char       **task_id,
                 guint       *number,
                 gboolean    *jpeg)
{
  g_auto(GStrv) segments = g_strsplit (path + strlen (FILES_PREFIX), "/", -1);
  g_autofree char *digits = NULL;
  const char *suffix;
  guint64 value;

  if (g_strv_length (segments) != 2 || *segments[0] == '\0')
    return FALSE;

  *jpeg = g_str_has_suffix (segments[1], ".jpeg");
  suffix = *jpeg ? ".jpeg" : ".png";
  if (!g_str_has_suffix (segments[1], suffix))
    return FALSE;

  digits = g_strndup (segments[1], strlen (segments[1]) - strlen (suffix));
  if (*digits == '\0' || !g_ascii_isdigit (*digits) ||
      !g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT, &value, NULL))
    return FALSE;

  *task_id = g_strdup (segments[0]);
  *number = (guint) value;
  return TRUE;
}

static void
handle_file (MockServer        *self,
             MockRequest       *req,
             SoupServerMessage *msg)
{
  g_autofree char *task_id = NULL;
  g_autofree char *cache_key = NULL;
  guint number;
  MockTask *task;
  GBytes *cached;
  RenderJob *job;
  RenderRequest *request;
  g_autoptr(GTask) render = NULL;
  gboolean jpeg = FALSE;

  if (!method_is (msg, SOUP_METHOD_GET) && !method_is (msg, SOUP_METHOD_HEAD))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method not allowed\n");
      return;
    }

  if (!parse_file_path (req->path, &task_id, &number, &jpeg) ||
      (task = mock_task_table_lookup (self->tasks, task_id)) == NULL ||
      number > mock_task_get_n_results (task) ||
      mock_task_table_get_status (self->tasks, task, NULL) != MOCK_TASK_STATUS_COMPLETED ||
      task->results == MOCK_TASK_RESULTS_404 ||
      jpeg != (task->results == MOCK_TASK_RESULTS_JPEG_PRESIGNED))
    {
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found\n");
      return;
    }

  req->task_id = g_strdup (task->id);

  if (jpeg)
    {
      /* The query as it arrived (libsoup keeps it encoded) against the one
       * issued: a client that re-encoded it broke the signature. */
      g_autofree char *expected = presigned_query (task->id, number);
      const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
      g_autoptr(GBytes) image = NULL;

      if (g_strcmp0 (query, expected) != 0)
        {
          respond_text (msg, SOUP_STATUS_FORBIDDEN,
                        "SignatureDoesNotMatch: the request signature we calculated does not match\n");
          return;
        }

      image = mock_jpeg_render (task->width, task->height, number);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Type", "image/jpeg");
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), image);
      return;
    }

  if (task->results == MOCK_TASK_RESULTS_NOT_IMAGE)
    {
      respond_text (msg, SOUP_STATUS_OK, "not an image");
      return;
    }

  if (task->results == MOCK_TASK_RESULTS_HUGE)
    {
      respond_huge_result (msg);
      return;
    }

  if (task->results == MOCK_TASK_RESULTS_TRICKLE)
    {
      respond_trickle (msg, "image/png", huge_png_head, sizeof huge_png_head - 1);
      return;
    }

  cache_key = g_strdup_printf ("%ux%u/%u", task->width, task->height, number);
  cached = g_hash_table_lookup (self->png_cache, cache_key);
  if (cached != NULL)
    {
      respond_png (msg, cached);
      return;
    }

  /* A 4096×4096 image takes a moment: render it in a thread and keep
   * serving other requests meanwhile. */
  job = g_new0 (RenderJob, 1);
  job->width = task->width;
  job->height = task->height;
  job->number = number;

  request = g_new0 (RenderRequest, 1);
  request->self = self;
  request->msg = g_object_ref (msg);
  request->cache_key = g_steal_pointer (&cache_key);

  soup_server_message_pause (msg);
  self->n_renders++;

  render = g_task_new (NULL, NULL, render_done_cb, request);
  g_task_set_source_tag (render, handle_file);
  g_task_set_task_data (render, job, g_free);
  g_task_run_in_thread (render, render_thread);
}

/* Control endpoints */

static void
handle_control (MockServer        *self,
                MockRequest       *req,
                SoupServerMessage *msg)
{
  const char *path = req->path;

  if (strcmp (path, CONTROL_PREFIX "faults") == 0)
    {
      if (method_is (msg, SOUP_METHOD_DELETE))
        {
          mock_fault_queue_clear (self->faults);
          respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "faults cleared", NULL);
        }
      else if (method_is (msg, SOUP_METHOD_POST))
        {
          const char *name = json_body_string (req, "fault");
          const char *fault_path = json_body_string (req, "path");
          const MockFault *fault = mock_fault_lookup (name);
          gint64 count = 1;

          if (req->json_body != NULL && JSON_NODE_HOLDS_OBJECT (req->json_body))
            {
              JsonObject *object = json_node_get_object (req->json_body);
              JsonNode *node = json_object_get_member (object, "count");

              if (node != NULL)
                {
                  if (!JSON_NODE_HOLDS_VALUE (node) ||
                      json_node_get_value_type (node) != G_TYPE_INT64)
                    count = 0;
                  else
                    count = json_node_get_int (node);
                }
            }

          if (fault == NULL || count < 1 || count > G_MAXUINT ||
              (fault_path != NULL && fault_path[0] != '/'))
            {
              g_autofree char *message =
                g_strdup_printf ("expected {\"fault\": NAME, \"count\": N >= 1, \"path\": \"/...\"}"
                                 " with NAME one of: %s", mock_fault_list_names ());

              respond_envelope (msg, SOUP_STATUS_BAD_REQUEST, CODE_FAILURE, message, NULL);
              return;
            }

          mock_fault_queue_push (self->faults, fault, (guint) count, fault_path);
          respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "fault queued", NULL);
        }
      else
        {
          respond_method_not_allowed (msg, "POST, DELETE");
        }
      return;
    }

  if (strcmp (path, CONTROL_PREFIX "log") == 0)
    {
      char *log;

      if (!method_is (msg, SOUP_METHOD_GET))
        {
          respond_method_not_allowed (msg, "GET");
          return;
        }

      log = mock_log_to_array (self->log);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        log, strlen (log));
      return;
    }

  if (g_str_has_prefix (path, CONTROL_PREFIX "tasks/") && g_str_has_suffix (path, "/fail"))
    {
      gsize prefix = strlen (CONTROL_PREFIX "tasks/");
      g_autofree char *task_id = g_strndup (path + prefix,
                                            strlen (path) - prefix - strlen ("/fail"));
      const char *error_message = json_body_string (req, "error_message");
      MockTask *task;

      if (!method_is (msg, SOUP_METHOD_POST))
        {
          respond_method_not_allowed (msg, "POST");
          return;
        }

      task = mock_task_table_lookup (self->tasks, task_id);
      if (task == NULL)
        {
          respond_envelope (msg, SOUP_STATUS_NOT_FOUND, CODE_FAILURE, "task not found", NULL);
          return;
        }

      g_free (task->forced_error);
      task->forced_error = g_strdup (error_message != NULL ? error_message : "task failed");
      respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "task failed", NULL);
      return;
    }

  if (g_str_has_prefix (path, CONTROL_PREFIX "tasks/") && g_str_has_suffix (path, "/heal"))
    {
      gsize prefix = strlen (CONTROL_PREFIX "tasks/");
      g_autofree char *task_id = g_strndup (path + prefix,
                                            strlen (path) - prefix - strlen ("/heal"));
      MockTask *task;

      if (!method_is (msg, SOUP_METHOD_POST))
        {
          respond_method_not_allowed (msg, "POST");
          return;
        }

      task = mock_task_table_lookup (self->tasks, task_id);
      if (task == NULL)
        {
          respond_envelope (msg, SOUP_STATUS_NOT_FOUND, CODE_FAILURE, "task not found", NULL);
          return;
        }

      mock_task_heal (task);
      respond_envelope (msg, SOUP_STATUS_OK, CODE_SUCCESS, "task healed", NULL);
      return;
    }

  respond_envelope (msg, SOUP_STATUS_NOT_FOUND, CODE_FAILURE, "no such control endpoint", NULL);
}

static void route_request (MockServer        *self,
                           MockRequest       *req,
                           SoupServerMessage *msg);

/* slow-answer: the request is read whole, then waits on a timeout before
 * it is handled (the main loop serves others meanwhile).
 * --answer-delay-seconds: the submission is handled at once (its task is
 * made and paid for, as the live service would) and only the answer
 * waits. A client that goes away ends the wait either way. */

#define SLOW_ANSWER_SOURCE_KEY "mock-slow-answer-source"

typedef struct
{
  MockServer        *self;
  SoupServerMessage *msg;
  gboolean           answered;
} SlowAnswer;

static void
slow_answer_free (gpointer data)
{
  SlowAnswer *slow = data;

  slow->self->held = g_list_remove (slow->self->held, slow);
  g_object_unref (slow->msg);
  g_free (slow);
}

static gboolean
slow_answer_cb (gpointer user_data)
{
  SlowAnswer *slow = user_data;

  MockRequest *req = request_get (slow->self, slow->msg);

  g_object_set_data (G_OBJECT (slow->msg), SLOW_ANSWER_SOURCE_KEY, NULL);
  req->answer_held = FALSE;
  if (!slow->answered)
    route_request (slow->self, req, slow->msg);
  soup_server_message_unpause (slow->msg);

  return G_SOURCE_REMOVE;
}

static void
slow_answer_ended_cb (SoupServerMessage *msg)
{
  remove_message_source (msg, SLOW_ANSWER_SOURCE_KEY);
}

static void
start_slow_answer (MockServer        *self,
                   SoupServerMessage *msg,
                   double             seconds,
                   gboolean           answered)
{
  SlowAnswer *slow = g_new0 (SlowAnswer, 1);
  guint id;

  slow->self = self;
  slow->msg = g_object_ref (msg);
  slow->answered = answered;
  request_get (self, msg)->answer_held = TRUE;
  self->held = g_list_prepend (self->held, slow);

  soup_server_message_pause (msg);
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (seconds * 1000),
                           slow_answer_cb, slow, slow_answer_free);
  g_object_set_data (G_OBJECT (msg), SLOW_ANSWER_SOURCE_KEY, GUINT_TO_POINTER (id));
  g_signal_connect (msg, "finished", G_CALLBACK (slow_answer_ended_cb), NULL);
  g_signal_connect (msg, "disconnected", G_CALLBACK (slow_answer_ended_cb), NULL);
}

/* Normal handler: the whole request is in. */
static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  MockServer *self = user_data;
  MockRequest *req = request_get (self, msg);

  if (req->route == ROUTE_CONTROL)
    {
      read_request_body (self, req, msg);
      handle_control (self, req, msg);
      return;
    }

  if (req->close_scheduled)
    return;

  if (soup_message_body_get_accumulate (soup_server_message_get_request_body (msg)) &&
      soup_server_message_get_request_body (msg)->length > (goffset) self->max_body_bytes)
    {
      respond_envelope (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, CODE_FAILURE,
                        "request body too large", NULL);
      return;
    }

  /* Read the fields first, so the log shows them even for faulted requests. */
  read_request_body (self, req, msg);

  if (req->fault != NULL)
    {
      switch (req->fault->kind)
        {
        case MOCK_FAULT_KIND_RESPONSE:
          respond_fault (msg, req->fault);
          return;
        case MOCK_FAULT_KIND_HUGE_BODY:
          respond_huge_body (msg);
          return;
        case MOCK_FAULT_KIND_STALL:
          start_stall (self, msg);
          return;
        case MOCK_FAULT_KIND_CLOSE_DURING_UPLOAD:
          req->close_scheduled = TRUE;
          schedule_steal_and_close (self, msg, NULL, 0, 0);
          return;
        case MOCK_FAULT_KIND_SLOW_ANSWER:
          start_slow_answer (self, msg, self->slow_answer_seconds, FALSE);
          return;
        case MOCK_FAULT_KIND_TRICKLE_ANSWER:
          respond_trickle (msg, "application/json", "{", 1);
          return;
        case MOCK_FAULT_KIND_TASK:
        case MOCK_FAULT_KIND_MISSING_STATUS:
          break;
        default:
          g_assert_not_reached ();
        }
    }

  route_request (self, req, msg);

  /* The service takes its time to answer a submission, refusals too. */
  if (req->route == ROUTE_SUBMIT && self->answer_delay_seconds > 0)
    start_slow_answer (self, msg, self->answer_delay_seconds, TRUE);
}

/* The answer a request gets without a fault (or after slow-answer). */
static void
route_request (MockServer        *self,
               MockRequest       *req,
               SoupServerMessage *msg)
{
  switch (req->route)
    {
    case ROUTE_SUBMIT:
      handle_submit (self, req, msg);
      break;
    case ROUTE_QUERY:
      handle_query (self, req, msg);
      break;
    case ROUTE_DELETE:
      handle_delete (self, req, msg);
      break;
    case ROUTE_FILES:
      handle_file (self, req, msg);
      break;
    case ROUTE_OTHER_API:
      respond_envelope (msg, SOUP_STATUS_NOT_FOUND, CODE_FAILURE, "no such endpoint", NULL);
      break;
    case ROUTE_UNKNOWN:
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "not found\n");
      break;
    case ROUTE_CONTROL:
    default:
      g_assert_not_reached ();
    }
}

/* Life cycle */

static gboolean
quit_cb (gpointer user_data)
{
  MockServer *self = user_data;

  g_main_loop_quit (self->loop);

  return G_SOURCE_CONTINUE;
}

static gboolean
stdin_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  MockServer *self = user_data;
  char buffer[256];
  gssize n;

  n = read (fd, buffer, sizeof buffer);
  if (n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN)))
    return G_SOURCE_CONTINUE;

  g_main_loop_quit (self->loop);

  return G_SOURCE_REMOVE;
}

static void
mock_server_shutdown (MockServer *self)
{
  g_autoptr(GList) held = NULL;

  /* Requests holding a connection: log and drop them. */
  while (self->stalls != NULL)
    {
      Stall *stall = self->stalls->data;

      self->stalls = g_list_delete_link (self->stalls, self->stalls);
      request_log (self, stall->msg, 0);
      stall_free (stall);
    }

  /* Answers still held: never sent. Stopping a wait frees its record
   * (and takes it off the list, hence the copy). */
  held = g_list_copy (self->held);
  for (GList *l = held; l != NULL; l = l->next)
    {
      SlowAnswer *slow = l->data;

      request_log (self, slow->msg, 0);
      remove_message_source (slow->msg, SLOW_ANSWER_SOURCE_KEY);
    }

  for (GList *l = self->close_jobs; l != NULL; l = l->next)
    g_cancellable_cancel (((CloseJob *) l->data)->cancellable);

  /* Let the cancelled jobs and any PNG still rendering finish. */
  while (self->close_jobs != NULL || self->n_renders > 0)
    g_main_context_iteration (NULL, TRUE);

  self->shutting_down = TRUE;
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
mock_server_free (MockServer *self)
{
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_free (self->base_url);
  g_free (self->key);
  g_clear_pointer (&self->faults, mock_fault_queue_free);
  g_clear_pointer (&self->tasks, mock_task_table_free);
  g_clear_pointer (&self->log, mock_log_free);
  g_clear_pointer (&self->png_cache, g_hash_table_unref);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockServer, mock_server_free)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MockServer) self = g_new0 (MockServer, 1);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *fault_name = NULL;
  GSList *uris;
  int port = 0;
  double task_seconds = 3.0;
  int max_body_mib = 300;
  int slow_upload_ms = 0;
  double slow_answer_seconds = MOCK_FAULT_SLOW_ANSWER_SECONDS;
  /* Below 0: not given (then 0, or the realistic default). */
  double answer_delay_seconds = -1;
  gint64 credits = -1;
  gboolean realistic = FALSE;
  gboolean exit_on_stdin_eof = FALSE;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1, 0 for any free one", "PORT" },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key, "The API key to accept (required)", "KEY" },
    { "task-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &task_seconds,
      "Seconds from submission to completion (default 3)", "N" },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &log_path,
      "Write the request log (JSON lines) there", "FILE" },
    { "fault", 0, 0, G_OPTION_ARG_STRING, &fault_name,
      "Apply this fault to every API request", "NAME" },
    { "max-body-mib", 0, 0, G_OPTION_ARG_INT, &max_body_mib,
      "Answer 413 to request bodies over N MiB (default 300)", "N" },
    { "exit-on-stdin-eof", 0, 0, G_OPTION_ARG_NONE, &exit_on_stdin_eof,
      "Exit when stdin is closed", NULL },
    { "slow-upload-ms", 0, 0, G_OPTION_ARG_INT, &slow_upload_ms,
      "Wait MS milliseconds after each chunk of an API request body (default 0)", "MS" },
    { "slow-answer-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &slow_answer_seconds,
      "How long the slow-answer fault waits before it answers (default 90)", "N" },
    { "realistic", 0, 0, G_OPTION_ARG_NONE, &realistic,
      "Behave as the live service does beyond the docs, all at once", NULL },
    { "answer-delay-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &answer_delay_seconds,
      "Answer each submission N seconds after its body (default 0; 3 with --realistic)", "N" },
    { "credits", 0, 0, G_OPTION_ARG_INT64, &credits,
      "Credits to spend, one per image asked for (default: no limit)", "N" },
    { NULL }
  };

  context = g_option_context_new ("- a mock of the TensorsLab Images API");
  g_option_context_set_summary (context,
                                "Faults: see the comment at the top of seedream-mock-server.c.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("seedream-mock-server: %s\n", error->message);
      return 2;
    }

  if (key == NULL || *key == '\0')
    {
      g_printerr ("seedream-mock-server: --key is required\n");
      return 2;
    }
  if (port < 0 || port > 65535 || task_seconds < 0 || max_body_mib < 1 ||
      slow_upload_ms < 0 || slow_upload_ms > 60000 ||
      slow_answer_seconds < 0 || slow_answer_seconds > 3600 ||
      answer_delay_seconds > 3600 || credits < -1)
    {
      g_printerr ("seedream-mock-server: --port, --task-seconds, --max-body-mib, --slow-upload-ms, "
                  "--slow-answer-seconds, --answer-delay-seconds or --credits out of range\n");
      return 2;
    }
  if (fault_name != NULL)
    {
      self->global_fault = mock_fault_lookup (fault_name);
      if (self->global_fault == NULL)
        {
          g_printerr ("seedream-mock-server: unknown fault “%s”; known faults: %s\n",
                      fault_name, mock_fault_list_names ());
          return 2;
        }
    }

  self->key = g_steal_pointer (&key);
  self->max_body_bytes = (guint64) max_body_mib * 1024 * 1024;
  self->slow_upload_ms = (guint) slow_upload_ms;
  self->slow_answer_seconds = slow_answer_seconds;
  self->realistic = realistic;
  if (answer_delay_seconds < 0)
    answer_delay_seconds = realistic ? MOCK_REALISTIC_ANSWER_DELAY_SECONDS : 0;
  self->answer_delay_seconds = answer_delay_seconds;
  self->credits = credits;
  self->faults = mock_fault_queue_new ();
  self->tasks = mock_task_table_new (task_seconds);
  self->png_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_bytes_unref);
  self->log = mock_log_new (log_path, &error);
  if (self->log == NULL)
    {
      g_printerr ("seedream-mock-server: %s\n", error->message);
      return 1;
    }

  self->server = soup_server_new ("server-header", "seedream-mock-server ", NULL);
  soup_server_add_early_handler (self->server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_finished_cb), self);

  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("seedream-mock-server: cannot listen on 127.0.0.1:%d: %s\n",
                  port, error->message);
      return 1;
    }

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, self);
  g_unix_signal_add (SIGINT, quit_cb, self);
  if (exit_on_stdin_eof)
    g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, self);

  g_print ("%s\n", self->base_url);
  fflush (stdout);

  g_main_loop_run (self->loop);

  mock_server_shutdown (self);

  return 0;
}
