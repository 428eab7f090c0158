/* test-client.c: SeedreamClient against the mock TensorsLab server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test starts its own mock (tests/mock, found through
 * $SEEDREAM_MOCK_SERVER) on a free port, and checks what the client did
 * both from its results and from the mock's request log.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mock-fixture.h"
#include "seedream-client.h"
#include "seedream-client-private.h"
#include "seedream-error.h"
#include "seedream-image-info.h"
#include "seedream-request.h"
#include "seedream-task-info.h"

#define TEST_KEY MOCK_FIXTURE_KEY
#define SUBMIT_PATH MOCK_FIXTURE_SUBMIT_PATH
#define QUERY_PATH MOCK_FIXTURE_QUERY_PATH

/* Everything logged, to prove the key never is. {{{1 */

static GMutex log_mutex;
static GString *log_capture;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_mutex);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append (log_capture, fields[i].value);
      else
        g_string_append_len (log_capture, fields[i].value, fields[i].length);
      g_string_append_c (log_capture, ' ');
    }
  g_string_append_c (log_capture, '\n');
  g_mutex_unlock (&log_mutex);

  /* Debug lines are only captured: printed, they would clutter TAP. */
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* g_debug() and friends go through g_log(), whose default handler
 * g_test_init() replaces; that path is captured too. */
static GLogFunc test_log_handler;
static gpointer test_log_handler_data;

static void
capture_log_handler (const char     *log_domain,
                     GLogLevelFlags  log_level,
                     const char     *message,
                     gpointer        user_data)
{
  g_mutex_lock (&log_mutex);
  g_string_append_printf (log_capture, "%s %s\n", log_domain ? log_domain : "", message);
  g_mutex_unlock (&log_mutex);

  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return;

  test_log_handler (log_domain, log_level, message, test_log_handler_data);
}

/* Small helpers {{{1 */

static gboolean
quit_loop_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
sleep_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_loop_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

typedef struct
{
  goffset done;
  goffset total;
  guint   calls;
  gboolean went_back;
  gboolean freed;
} Progress;

static void
progress_cb (goffset  done,
             goffset  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  if (done < progress->done)
    progress->went_back = TRUE;
  progress->done = done;
  progress->total = total;
  progress->calls++;
}

static void
progress_free_cb (gpointer user_data)
{
  Progress *progress = user_data;

  progress->freed = TRUE;
}

/* The fixture: a mock, a client, a temporary folder {{{1 */

/* The shared one (tests/mock-fixture.h): the mock, its control session,
 * a client with the test key, and a temporary folder. */
typedef MockFixture Fixture;

/* Tasks take 2 s: queued for 0.5 s, then running. */
static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  mock_fixture_start (fx, 2);
}

/* Tasks take 8 s, so that a slow machine still sees each state. */
static void
fixture_setup_slow_tasks (Fixture       *fx,
                          gconstpointer  data)
{
  mock_fixture_start (fx, 8);
}

/* The slow-answer fault holds its answer back 2 s. */
static void
fixture_setup_slow_answer (Fixture       *fx,
                           gconstpointer  data)
{
  const char * const args[] = { "--slow-answer-seconds", "2", NULL };

  mock_fixture_start_with_args (fx, 2, args);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  mock_fixture_stop (fx);
}

/* Running the client {{{1 */

static GFile *
write_png (Fixture    *fx,
           const char *name,
           guint       width,
           guint       height,
           guint       seed,
           GBytes    **contents)
{
  g_autofree char *path = g_build_filename (fx->tmpdir, name, NULL);
  g_autoptr(GBytes) png = mock_fixture_make_png (width, height, seed);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);
  if (contents != NULL)
    *contents = g_bytes_ref (png);

  return g_file_new_for_path (path);
}

static SeedreamRequest *
simple_request (const char *prompt)
{
  SeedreamRequest *request = seedream_request_new ();

  seedream_request_set_prompt (request, prompt);
  return request;
}

static char *
submit (Fixture          *fx,
        SeedreamRequest  *request,
        Progress         *progress,
        GCancellable     *cancellable,
        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_client_submit_async (fx->client, request,
                                progress ? progress_cb : NULL, progress,
                                progress ? progress_free_cb : NULL,
                                cancellable, mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);

  return seedream_client_submit_finish (fx->client, result, error);
}

static char *
submit_simple (Fixture *fx)
{
  g_autoptr(SeedreamRequest) request = simple_request ("a lighthouse at dusk");
  g_autoptr(GError) error = NULL;
  char *task_id = submit (fx, request, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (task_id);

  return task_id;
}

static SeedreamTaskInfo *
query (Fixture       *fx,
       const char    *task_id,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_client_query_task_async (fx->client, task_id, cancellable, mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);

  return seedream_client_query_task_finish (fx->client, result, error);
}

static SeedreamTaskInfo *
query_until_finished (Fixture    *fx,
                      const char *task_id,
                      gboolean   *seen)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamTaskInfo) info = query (fx, task_id, NULL, &error);
      SeedreamTaskState state;

      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpstr (seedream_task_info_get_task_id (info), ==, task_id);

      state = seedream_task_info_get_state (info);
      if (seen != NULL)
        seen[state] = TRUE;
      if (state == SEEDREAM_TASK_STATE_DONE || state == SEEDREAM_TASK_STATE_FAILED)
        return g_steal_pointer (&info);

      sleep_ms (100);
    }

  g_assert_not_reached ();
}

static gboolean
download (Fixture       *fx,
          const char    *url,
          GFile         *destination,
          Progress      *progress,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_client_download_async (fx->client, url, destination,
                                  progress ? progress_cb : NULL, progress,
                                  progress ? progress_free_cb : NULL,
                                  cancellable, mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);

  return seedream_client_download_finish (fx->client, result, error);
}

/* Tests: making a client {{{1 */

static void
test_client_new_refuses (void)
{
  struct {
    const char *url;
    const char *key;
    SeedreamError code;
  } cases[] = {
    { "http://api.tensorslab.com", TEST_KEY, SEEDREAM_ERROR_INSECURE_URL },
    { "http://192.168.1.20:8080", TEST_KEY, SEEDREAM_ERROR_INSECURE_URL },
    { "http://localhost.example.com", TEST_KEY, SEEDREAM_ERROR_INSECURE_URL },
    { "ftp://api.tensorslab.com", TEST_KEY, SEEDREAM_ERROR_INVALID_INPUT },
    { "https://user:pw@api.tensorslab.com", TEST_KEY, SEEDREAM_ERROR_INVALID_INPUT },
    { "", TEST_KEY, SEEDREAM_ERROR_INVALID_INPUT },
    { "https://api.tensorslab.com", "", SEEDREAM_ERROR_AUTHENTICATION },
    { "https://api.tensorslab.com", "   ", SEEDREAM_ERROR_AUTHENTICATION },
    { "https://api.tensorslab.com", NULL, SEEDREAM_ERROR_AUTHENTICATION },
    { "https://api.tensorslab.com", "key\r\nX-Evil: 1", SEEDREAM_ERROR_AUTHENTICATION },
    { "https://api.tensorslab.com", "kéy", SEEDREAM_ERROR_AUTHENTICATION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamClient) client = seedream_client_new (cases[i].url, cases[i].key, &error);

      g_test_message ("%s", cases[i].url);
      g_assert_null (client);
      g_assert_error (error, SEEDREAM_ERROR, (gint) cases[i].code);
    }
}

static void
test_client_new_accepts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamClient) client = seedream_client_new (" https://api.tensorslab.com/ ", "  " TEST_KEY "\n", &error);
  g_autoptr(SeedreamClient) local = NULL;
  g_autofree char *base_url = NULL;
  guint timeout = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (seedream_client_get_base_url (client), ==, "https://api.tensorslab.com");
  g_assert_cmpuint (seedream_client_get_timeout (client), ==, 60);
  g_assert_cmpuint (seedream_client_get_query_timeout (client), ==, 30);
  g_assert_cmpuint (seedream_client_get_max_query_retries (client), ==, 3);

  g_object_set (client, "timeout", 5, NULL);
  g_object_get (client, "timeout", &timeout, "base-url", &base_url, NULL);
  g_assert_cmpuint (timeout, ==, 5);
  g_assert_cmpstr (base_url, ==, "https://api.tensorslab.com");

  local = seedream_client_new ("http://[::1]:9", TEST_KEY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (local);
}

/* Tests: submitting {{{1 */

static void
assert_file_part (JsonArray  *files,
                  guint       index,
                  const char *filename,
                  GBytes     *contents)
{
  JsonObject *part = json_array_get_object_element (files, index);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, contents);

  g_assert_cmpstr (json_object_get_string_member (part, "field"), ==, "sourceImage");
  g_assert_cmpstr (json_object_get_string_member (part, "filename"), ==, filename);
  g_assert_cmpstr (json_object_get_string_member (part, "content_type"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (part, "size"), ==, (gint64) g_bytes_get_size (contents));
  g_assert_cmpstr (json_object_get_string_member (part, "sha256"), ==, sha256);
}

static void
test_client_submit_success (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = simple_request ("a red fox in fresh snow");
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GFile) first_file = write_png (fx, "fox.png", 64, 48, 1, &first);
  g_autoptr(GFile) second_file = write_png (fx, "snow field.png", 300, 200, 2, &second);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  Progress progress = { 0 };
  JsonObject *record;
  JsonObject *fields;
  JsonArray *files;

  seedream_request_set_batch_size (request, 2);
  seedream_request_set_resolution (request, "16:9");
  g_assert_true (seedream_request_add_source_file (request, first_file));
  g_assert_true (seedream_request_add_source_file (request, second_file));

  task_id = submit (fx, request, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);

  /* Progress went up to the whole body, and its data was freed. */
  g_assert_cmpuint (progress.calls, >=, 2);
  g_assert_false (progress.went_back);
  g_assert_cmpint (progress.total, >, (gint64) (g_bytes_get_size (first) + g_bytes_get_size (second)));
  g_assert_cmpint (progress.done, ==, progress.total);
  g_assert_true (progress.freed);

  records = mock_fixture_log (fx, NULL, SUBMIT_PATH);
  g_assert_cmpuint (records->len, ==, 1);
  record = records->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (record, "method"), ==, "POST");
  g_assert_cmpint (json_object_get_int_member (record, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (record, "task_id"), ==, task_id);
  g_assert_true (mock_fixture_record_has_header (record, "authorization"));
  g_assert_true (mock_fixture_record_has_header (record, "content-length"));

  fields = json_object_get_object_member (record, "fields");
  g_assert_nonnull (fields);
  g_assert_cmpstr (json_object_get_string_member (fields, "category"), ==, "seedreamv45");
  g_assert_cmpstr (json_object_get_string_member (fields, "prompt"), ==, "a red fox in fresh snow");
  g_assert_cmpstr (json_object_get_string_member (fields, "batchsize"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (fields, "resolution"), ==, "16:9");
  g_assert_false (json_object_has_member (fields, "imageUrl"));

  files = json_object_get_array_member (record, "files");
  g_assert_nonnull (files);
  g_assert_cmpuint (json_array_get_length (files), ==, 2);
  assert_file_part (files, 0, "fox.png", first);
  assert_file_part (files, 1, "snow field.png", second);
}

static void
test_client_submit_invalid (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(SeedreamRequest) empty = simple_request ("   ");
  g_autoptr(SeedreamRequest) too_many = simple_request ("cats");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *not_png_path = g_build_filename (fx->tmpdir, "notes.png", NULL);
  g_autoptr(GFile) not_png = g_file_new_for_path (not_png_path);
  g_autoptr(SeedreamRequest) bad_file = simple_request ("cats");

  first = submit (fx, empty, NULL, NULL, &error);
  g_assert_null (first);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  seedream_request_set_batch_size (too_many, 99);
  second = submit (fx, too_many, NULL, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* A source that is not an image is found while the body is built. */
  g_file_set_contents (not_png_path, "just some text, not an image at all", -1, &error);
  g_assert_no_error (error);
  seedream_request_add_source_file (bad_file, not_png);
  {
    g_autofree char *third = submit (fx, bad_file, NULL, NULL, &error);

    g_assert_null (third);
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  }

  /* None of it reached the network. */
  records = mock_fixture_log (fx, NULL, "/v1/");
  g_assert_cmpuint (records->len, ==, 0);
}

static void
test_client_submit_not_retried (Fixture       *fx,
                                gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = simple_request ("a quiet harbour");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *second = NULL;

  mock_fixture_queue_fault (fx, "http-503", 1, SUBMIT_PATH);

  task_id = submit (fx, request, NULL, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 503);
  g_clear_error (&error);

  /* Let any hidden retry happen, then count. */
  sleep_ms (1500);
  records = mock_fixture_log (fx, NULL, SUBMIT_PATH);
  g_assert_cmpuint (records->len, ==, 1);

  /* The fault is used up: the person's next submit goes through. */
  second = submit (fx, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
}

/* Once the body is out, the answer is waited for up to the answer timeout
 * (the provider's 180 s, 1 to 5 s here), not the upload's inactivity
 * limit; an answer later than that is a timeout, after the whole body
 * (so "outcome unknown" for the submission), and nothing is sent again. */
static void
test_client_submit_answer_timeout (Fixture       *fx,
                                   gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = simple_request ("a tide pool at noon");
  g_autofree char *task_id = NULL;
  g_autofree char *late = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };

  g_assert_cmpuint (seedream_client_get_answer_timeout (fx->client), ==, 180);

  /* The answer comes after 2 s: more than the 1 s of inactivity the
   * upload may have, less than the 5 s the answer may take. */
  seedream_client_set_timeout (fx->client, 1);
  seedream_client_set_answer_timeout (fx->client, 5);
  mock_fixture_queue_fault (fx, "slow-answer", 1, SUBMIT_PATH);
  task_id = submit (fx, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);
  g_assert_cmpuint (mock_fixture_count_submits (fx), ==, 1);

  /* Now the answer may take 1 s only. */
  seedream_client_set_timeout (fx->client, 5);
  seedream_client_set_answer_timeout (fx->client, 1);
  mock_fixture_queue_fault (fx, "slow-answer", 1, SUBMIT_PATH);
  late = submit (fx, request, &progress, NULL, &error);
  g_assert_null (late);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TIMEOUT);
  /* The whole body had gone out: the task may exist. */
  g_assert_cmpint (progress.done, ==, progress.total);

  /* Past the mock's own delay: still one request for it, never two. */
  sleep_ms (2500);
  g_assert_cmpuint (mock_fixture_count_submits (fx), ==, 2);
}

/* An answer that comes a byte at a time never goes silent for long, so
 * the socket's timeout alone would wait for ever: the answer has the
 * provider's limit in all, and what passes it is a timeout after the
 * whole body (outcome unknown), sent once. */
static void
test_client_submit_answer_deadline (Fixture       *fx,
                                    gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = simple_request ("a tide pool at dusk");
  g_autofree char *task_id = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };
  gint64 started;

  seedream_client_set_answer_timeout (fx->client, 2);
  mock_fixture_queue_fault (fx, "answer-trickle", 1, SUBMIT_PATH);
  started = g_get_monotonic_time ();
  task_id = submit (fx, request, &progress, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "did not answer in time: no whole answer 2 seconds after"));
  g_assert_cmpint (progress.done, ==, progress.total);
  /* A guard against waiting for ever, not a timing assertion. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (mock_fixture_count_submits (fx), ==, 1);
}

/* A pre-signed URL's query goes out as written: not a byte re-encoded
 * (GLib's parser would turn %2f into %2F and %7E into ~). */
static void
test_client_result_url_exact (void)
{
  static const char *urls[] = {
    "https://files.example.com/t/1.jpeg?X-Tos-Algorithm=TOS4-HMAC-SHA256"
    "&X-Tos-Credential=AKLTabc%2F20261202%2Fcn-beijing%2Ftos%2Frequest&X-Tos-Signature=0a1b",
    "https://files.example.com/t/1.jpeg?cred=AK%2fx%7Ey&sig=ab+c%3d&empty=",
    "http://127.0.0.1:8080/a%20b/c%7e.jpeg?x=%41",
    "https://files.example.com/plain.jpeg",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GUri) uri = seedream_client_parse_result_url (urls[i]);
      g_autoptr(SoupMessage) msg = NULL;
      g_autofree char *sent = NULL;

      g_assert_nonnull (uri);
      msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
      sent = g_uri_to_string (soup_message_get_uri (msg));
      g_assert_cmpstr (sent, ==, urls[i]);
    }

  /* What is no URL stays none; a space is not sent as it is. */
  g_assert_null (seedream_client_parse_result_url ("not a url"));
  {
    g_autoptr(GUri) spaced = seedream_client_parse_result_url ("https://h.example/a.jpeg?x=a b");

    if (spaced != NULL)
      g_assert_null (strchr (g_uri_get_query (spaced), ' '));
  }
}

/* Results as the live file host serves them: JPEG on pre-signed URLs that
 * answer 403 unless fetched exactly as given. */
static void
test_client_download_jpeg_presigned (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = simple_request ("a harbour at night");
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *path = g_build_filename (fx->tmpdir, "result.jpg", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *tampered = NULL;
  gsize length = 0;
  guint width = 0, height = 0;
  const char *url;
  char *signature;

  seedream_request_set_batch_size (request, 2);
  mock_fixture_queue_fault (fx, "result-jpeg-presigned", 1, SUBMIT_PATH);
  task_id = submit (fx, request, NULL, NULL, &error);
  g_assert_no_error (error);

  info = query_until_finished (fx, task_id, NULL);
  g_assert_cmpint (seedream_task_info_get_state (info), ==, SEEDREAM_TASK_STATE_DONE);
  g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, 2);
  url = seedream_task_info_get_urls (info)[1];
  g_assert_nonnull (strstr (url, ".jpeg?X-Tos-Algorithm="));
  g_assert_nonnull (strstr (url, "%2F20261202%2Fcn-beijing%2Ftos%2Frequest"));

  g_assert_true (download (fx, url, destination, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpstr (seedream_image_sniff_mime_type ((const guint8 *) contents, length), ==, "image/jpeg");
  g_assert_true (seedream_image_read_dimensions ((const guint8 *) contents, length, &width, &height));
  g_assert_cmpuint (width, ==, seedream_task_info_get_width (info));
  g_assert_cmpuint (height, ==, seedream_task_info_get_height (info));

  /* The mock does check: a query that differs is refused. */
  tampered = g_strdup (url);
  signature = strstr (tampered, "X-Tos-Signature=") + strlen ("X-Tos-Signature=");
  *signature = *signature == '0' ? '1' : '0';
  g_assert_false (download (fx, tampered, destination, NULL, NULL, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 403);
}

/* Tests: querying and downloading {{{1 */

static void
test_client_query_progression (Fixture       *fx,
                               gconstpointer  data)
{
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gboolean seen[4] = { FALSE, };

  info = query_until_finished (fx, task_id, seen);

  /* With --task-seconds 8 and a poll every 100 ms, each state shows. */
  g_assert_true (seen[SEEDREAM_TASK_STATE_QUEUED]);
  g_assert_true (seen[SEEDREAM_TASK_STATE_RUNNING]);
  g_assert_true (seen[SEEDREAM_TASK_STATE_DONE]);
  g_assert_false (seen[SEEDREAM_TASK_STATE_FAILED]);

  g_assert_cmpint (seedream_task_info_get_state (info), ==, SEEDREAM_TASK_STATE_DONE);
  g_assert_cmpint (seedream_task_info_get_image_status (info), ==, 3);
  g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, 1);
  g_assert_cmpuint (seedream_task_info_get_width (info), >, 0);
  g_assert_cmpuint (seedream_task_info_get_height (info), >, 0);
  g_assert_nonnull (seedream_task_info_get_start_time (info));

  /* Every query carried the key and the task id as JSON. */
  records = mock_fixture_log (fx, NULL, QUERY_PATH);
  g_assert_cmpuint (records->len, >=, 3);
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = records->pdata[i];

      g_assert_true (mock_fixture_record_has_header (record, "authorization"));
      g_assert_cmpint (json_object_get_int_member (record, "status"), ==, 200);
      g_assert_cmpstr (json_object_get_string_member_with_default (record, "task_id", NULL), ==, task_id);
    }
}

static void
test_client_download (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(SeedreamTaskInfo) info = query_until_finished (fx, task_id, NULL);
  g_autofree char *path = g_build_filename (fx->tmpdir, "result.png", NULL);
  g_autofree char *part_path = g_strconcat (path, ".part", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  Progress progress = { 0 };
  const char *url;
  gsize len = 0;
  guint width = 0, height = 0;

  g_assert_cmpint (seedream_task_info_get_state (info), ==, SEEDREAM_TASK_STATE_DONE);
  url = seedream_task_info_get_urls (info)[0];
  g_assert_nonnull (url);

  g_assert_true (download (fx, url, destination, &progress, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpstr (seedream_image_sniff_mime_type ((const guint8 *) contents, len), ==, "image/png");
  g_assert_true (seedream_image_read_dimensions ((const guint8 *) contents, len, &width, &height));
  g_assert_cmpuint (width, ==, seedream_task_info_get_width (info));
  g_assert_cmpuint (height, ==, seedream_task_info_get_height (info));
  g_assert_false (g_file_test (part_path, G_FILE_TEST_EXISTS));

  g_assert_cmpint (progress.done, ==, (gint64) len);
  g_assert_true (progress.total == (gint64) len || progress.total == -1);
  g_assert_false (progress.went_back);
  g_assert_true (progress.freed);

  /* The file host never saw the key. */
  records = mock_fixture_log (fx, NULL, "/files/");
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (records->pdata[0], "method"), ==, "GET");
  g_assert_false (mock_fixture_record_has_header (records->pdata[0], "authorization"));

  /* Downloading again replaces the file in place. */
  g_assert_true (download (fx, url, destination, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_client_download_bad_url (Fixture       *fx,
                              gconstpointer  data)
{
  const char *urls[] = { "file:///etc/passwd", "not a url", "ftp://127.0.0.1/x.png", "" };
  g_autofree char *path = g_build_filename (fx->tmpdir, "x.png", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (download (fx, urls[i], destination, NULL, NULL, &error));
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

static void
test_client_download_unwritable (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(SeedreamTaskInfo) info = query_until_finished (fx, task_id, NULL);
  g_autofree char *path = g_build_filename (fx->tmpdir, "no-such-folder", "result.png", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (download (fx, seedream_task_info_get_urls (info)[0], destination, NULL, NULL, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_SAVE_FAILED);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
}

/* A name chooser for download_image(): records the type it was asked
 * about; names "result.png" for a PNG when @refuse is FALSE. */
typedef struct
{
  GFile    *dir;
  gboolean  refuse;
  guint     calls;
  char     *mime_type;
} Naming;

static GFile *
name_result_cb (GFile      *part,
                const char *mime_type,
                gpointer    user_data)
{
  Naming *naming = user_data;
  g_autoptr(GFile) dir = g_file_get_parent (part);

  naming->calls++;
  g_free (naming->mime_type);
  naming->mime_type = g_strdup (mime_type);
  g_assert_true (g_file_equal (dir, naming->dir));

  if (naming->refuse || g_strcmp0 (mime_type, "image/png") != 0)
    return NULL;

  return g_file_get_child (dir, "result.png");
}

static GFile *
download_image (Fixture     *fx,
                const char  *url,
                GFile       *part,
                Naming      *naming,
                guint       *width,
                guint       *height,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_client_download_image_async (fx->client, url, part, name_result_cb, naming,
                                        NULL, NULL, NULL,
                                        NULL, mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);

  return seedream_client_download_image_finish (fx->client, result, width, height, error);
}

/* The caller names the file by its type: the client checks, moves and
 * measures it once; the .part file (even a stale one) is gone. */
static void
test_client_download_image (Fixture       *fx,
                            gconstpointer  data)
{
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(SeedreamTaskInfo) info = query_until_finished (fx, task_id, NULL);
  g_autofree char *part_path = g_build_filename (fx->tmpdir, "0.part", NULL);
  g_autofree char *path = g_build_filename (fx->tmpdir, "result.png", NULL);
  g_autoptr(GFile) part = g_file_new_for_path (part_path);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  Naming naming = { 0 };
  guint width = 0, height = 0;

  naming.dir = g_file_new_for_path (fx->tmpdir);
  g_assert_true (g_file_set_contents (part_path, "half an image", -1, NULL));

  file = download_image (fx, seedream_task_info_get_urls (info)[0], part, &naming,
                         &width, &height, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  g_assert_cmpstr (g_file_peek_path (file), ==, path);
  g_assert_cmpuint (naming.calls, ==, 1);
  g_assert_cmpstr (naming.mime_type, ==, "image/png");
  g_assert_cmpuint (width, ==, seedream_task_info_get_width (info));
  g_assert_cmpuint (height, ==, seedream_task_info_get_height (info));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (part_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_delete (file, NULL, NULL));
  g_clear_object (&file);

  /* A type the caller refuses is not an image to it: nothing is left. */
  naming.refuse = TRUE;
  naming.calls = 0;
  width = height = 1;
  file = download_image (fx, seedream_task_info_get_urls (info)[0], part, &naming,
                         &width, &height, &error);
  g_assert_null (file);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "not an image"));
  g_assert_cmpuint (naming.calls, ==, 1);
  g_assert_cmpuint (width, ==, 0);
  g_assert_cmpuint (height, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part_path, G_FILE_TEST_EXISTS));

  g_clear_object (&naming.dir);
  g_clear_pointer (&naming.mime_type, g_free);
}

/* Tests: retries {{{1 */

static void
test_client_query_retries (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  mock_fixture_queue_fault (fx, "http-503", 2, QUERY_PATH);

  info = query (fx, task_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (seedream_task_info_get_task_id (info), ==, task_id);

  records = mock_fixture_log (fx, NULL, QUERY_PATH);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpint (json_object_get_int_member (records->pdata[0], "status"), ==, 503);
  g_assert_cmpint (json_object_get_int_member (records->pdata[1], "status"), ==, 503);
  g_assert_cmpint (json_object_get_int_member (records->pdata[2], "status"), ==, 200);
}

static void
test_client_query_retry_after (Fixture       *fx,
                               gconstpointer  data)
{
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  mock_fixture_queue_fault (fx, "http-429", 1, QUERY_PATH);
  mock_fixture_queue_fault (fx, "code-9999", 1, QUERY_PATH);

  /* 429 (Retry-After: 2), then a code 9999, then the answer. */
  info = query (fx, task_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  records = mock_fixture_log (fx, NULL, QUERY_PATH);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpint (json_object_get_int_member (records->pdata[0], "status"), ==, 429);
}

static void
test_client_query_retries_exhausted (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  seedream_client_set_max_query_retries (fx->client, 2);
  mock_fixture_queue_fault (fx, "http-502", 10, QUERY_PATH);

  info = query (fx, task_id, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 502);

  records = mock_fixture_log (fx, NULL, QUERY_PATH);
  g_assert_cmpuint (records->len, ==, 3);
}

static void
test_client_query_not_retried (Fixture       *fx,
                               gconstpointer  data)
{
  struct {
    const char *fault;
    SeedreamError code;
  } cases[] = {
    { "http-401", SEEDREAM_ERROR_AUTHENTICATION },
    { "http-404", SEEDREAM_ERROR_HTTP },
  };
  g_autofree char *task_id = submit_simple (fx);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SeedreamTaskInfo) info = NULL;
      g_autoptr(GPtrArray) before = mock_fixture_log (fx, NULL, QUERY_PATH);
      g_autoptr(GPtrArray) after = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].fault);
      mock_fixture_queue_fault (fx, cases[i].fault, 5, QUERY_PATH);

      info = query (fx, task_id, NULL, &error);
      g_assert_null (info);
      g_assert_error (error, SEEDREAM_ERROR, (gint) cases[i].code);

      after = mock_fixture_log (fx, NULL, QUERY_PATH);
      g_assert_cmpuint (after->len, ==, before->len + 1);

      g_bytes_unref (mock_fixture_request (fx, "DELETE", "/mock/faults", NULL, NULL));
    }
}

/* The task exists and is paid for: a loose answer while it is followed
 * (not JSON, no taskid or image_status, data {}, a code other than 1000,
 * 9000 included) is asked again, and the next answer is the one given. */
static void
test_client_query_loose_retried (Fixture       *fx,
                                 gconstpointer  data)
{
  static const char * const faults[] = {
    "code-9000", "malformed-json", "empty-data", "missing-status", "missing-taskid",
  };
  g_autofree char *task_id = submit_simple (fx);

  seedream_client_set_max_query_retries (fx->client, 1);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(SeedreamTaskInfo) info = NULL;
      g_autoptr(GPtrArray) before = mock_fixture_log (fx, NULL, QUERY_PATH);
      g_autoptr(GPtrArray) after = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", faults[i]);
      mock_fixture_queue_fault (fx, faults[i], 1, QUERY_PATH);

      info = query (fx, task_id, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpstr (seedream_task_info_get_task_id (info), ==, task_id);

      after = mock_fixture_log (fx, NULL, QUERY_PATH);
      g_assert_cmpuint (after->len, ==, before->len + 2);
    }
}

/* Tests: every fault {{{1 */

typedef enum
{
  ON_SUBMIT,
  ON_QUERY,
  ON_TASK,
  ON_DOWNLOAD,
} FaultTarget;

typedef struct
{
  const char  *name;
  FaultTarget  target;
  SeedreamError code;
  guint        http_status;
  guint        retry_after;
  const char  *message_part;
} FaultCase;

static const FaultCase fault_cases[] = {
  { "http-500", ON_SUBMIT, SEEDREAM_ERROR_HTTP, 500, 0, "500 Internal Server Error" },
  { "http-502", ON_SUBMIT, SEEDREAM_ERROR_HTTP, 502, 0, "502 Bad Gateway" },
  { "http-503", ON_SUBMIT, SEEDREAM_ERROR_HTTP, 503, 0, "503 Service Unavailable" },
  { "http-401", ON_SUBMIT, SEEDREAM_ERROR_AUTHENTICATION, 401, 0, "API key" },
  { "http-403", ON_SUBMIT, SEEDREAM_ERROR_AUTHENTICATION, 403, 0, "API key" },
  { "http-404", ON_SUBMIT, SEEDREAM_ERROR_HTTP, 404, 0, "404 Not Found" },
  { "http-413", ON_SUBMIT, SEEDREAM_ERROR_HTTP, 413, 0, "413" },
  { "http-429", ON_SUBMIT, SEEDREAM_ERROR_RATE_LIMITED, 429, 2, "2 seconds" },
  { "code-9999", ON_SUBMIT, SEEDREAM_ERROR_SERVER_FAILURE, 0, 0, "model overloaded" },
  { "code-9000", ON_SUBMIT, SEEDREAM_ERROR_INSUFFICIENT_CREDITS, 0, 0, "credits" },
  { "malformed-json", ON_SUBMIT, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "not valid JSON" },
  { "html-page", ON_SUBMIT, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "web page" },
  { "empty-body", ON_SUBMIT, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "empty" },
  { "huge-body", ON_SUBMIT, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "larger than" },
  { "missing-taskid", ON_SUBMIT, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "no task id" },
  { "stall", ON_SUBMIT, SEEDREAM_ERROR_TIMEOUT, 0, 0, "in time" },
  { "close-during-upload", ON_SUBMIT, SEEDREAM_ERROR_NETWORK, 0, 0, "127.0.0.1" },
  /* Refusals with the envelope as the body: its code and msg win. */
  { "refused-prompt", ON_SUBMIT, SEEDREAM_ERROR_INVALID_INPUT, 400, 0, "The prompt was refused" },
  { "bad-size", ON_SUBMIT, SEEDREAM_ERROR_INVALID_INPUT, 400, 0, "Invalid size" },
  { "code-9000-bare", ON_SUBMIT, SEEDREAM_ERROR_INSUFFICIENT_CREDITS, 0, 0, "credits" },
  { "http-402-credits", ON_SUBMIT, SEEDREAM_ERROR_INSUFFICIENT_CREDITS, 402, 0, "credits" },

  { "http-500", ON_QUERY, SEEDREAM_ERROR_HTTP, 500, 0, "500 Internal Server Error" },
  { "http-502", ON_QUERY, SEEDREAM_ERROR_HTTP, 502, 0, "502 Bad Gateway" },
  { "http-503", ON_QUERY, SEEDREAM_ERROR_HTTP, 503, 0, "503 Service Unavailable" },
  { "http-401", ON_QUERY, SEEDREAM_ERROR_AUTHENTICATION, 401, 0, "API key" },
  { "http-403", ON_QUERY, SEEDREAM_ERROR_AUTHENTICATION, 403, 0, "API key" },
  { "http-404", ON_QUERY, SEEDREAM_ERROR_HTTP, 404, 0, "404 Not Found" },
  { "http-413", ON_QUERY, SEEDREAM_ERROR_HTTP, 413, 0, "413" },
  { "http-429", ON_QUERY, SEEDREAM_ERROR_RATE_LIMITED, 429, 2, "2 seconds" },
  { "code-9999", ON_QUERY, SEEDREAM_ERROR_SERVER_FAILURE, 0, 0, "model overloaded" },
  { "code-9000", ON_QUERY, SEEDREAM_ERROR_INSUFFICIENT_CREDITS, 0, 0, "credits" },
  { "malformed-json", ON_QUERY, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "not valid JSON" },
  { "html-page", ON_QUERY, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "web page" },
  { "empty-body", ON_QUERY, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "empty" },
  { "huge-body", ON_QUERY, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "larger than" },
  { "missing-taskid", ON_QUERY, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "no task id" },
  { "stall", ON_QUERY, SEEDREAM_ERROR_TIMEOUT, 0, 0, "in time" },
  { "close-during-upload", ON_QUERY, SEEDREAM_ERROR_NETWORK, 0, 0, "127.0.0.1" },
  { "code-9000-bare", ON_QUERY, SEEDREAM_ERROR_INSUFFICIENT_CREDITS, 0, 0, "credits" },
  { "http-402-credits", ON_QUERY, SEEDREAM_ERROR_INSUFFICIENT_CREDITS, 402, 0, "credits" },
  { "refused-prompt", ON_QUERY, SEEDREAM_ERROR_INVALID_INPUT, 400, 0, "The prompt was refused" },

  { "task-fails", ON_TASK, SEEDREAM_ERROR_TASK_FAILED, 0, 0, "content refused by moderation" },
  { "result-404", ON_DOWNLOAD, SEEDREAM_ERROR_HTTP, 404, 0, "404 Not Found" },
  { "result-not-image", ON_DOWNLOAD, SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, "not an image" },
};

static void
assert_fault_error (const FaultCase *fc,
                    const GError    *error)
{
  g_test_message ("%s: %s", fc->name, error->message);
  g_assert_error (error, SEEDREAM_ERROR, (gint) fc->code);
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, fc->http_status);
  g_assert_cmpuint (seedream_error_get_retry_after (error), ==, fc->retry_after);
  if (strstr (error->message, fc->message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fc->message_part);
  /* A sentence, not a bare code. */
  g_assert_cmpuint (strlen (error->message), >, 30);
}

static void
test_client_fault (Fixture       *fx,
                   gconstpointer  data)
{
  const FaultCase *fc = data;
  g_autoptr(GError) error = NULL;

  /* Short limits where the fault is a silence. */
  seedream_client_set_timeout (fx->client, 2);
  seedream_client_set_answer_timeout (fx->client, 2);
  seedream_client_set_query_timeout (fx->client, 2);
  seedream_client_set_max_query_retries (fx->client, 0);

  switch (fc->target)
    {
    case ON_SUBMIT:
      {
        g_autoptr(SeedreamRequest) request = simple_request ("a stormy sea");
        g_autoptr(GBytes) big = NULL;
        g_autoptr(GFile) source = write_png (fx, "big.png", 900, 700, 7, &big);
        g_autoptr(GPtrArray) records = NULL;
        g_autofree char *task_id = NULL;

        /* About 1.9 MB, so that there is an upload to interrupt. */
        seedream_request_add_source_file (request, source);
        mock_fixture_queue_fault (fx, fc->name, 1, SUBMIT_PATH);

        task_id = submit (fx, request, NULL, NULL, &error);
        g_assert_null (task_id);
        assert_fault_error (fc, error);

        /* Never sent twice. (The mock logs a request once it answered
         * it, so a stalled or cut one may not be there yet.) */
        records = mock_fixture_log (fx, NULL, SUBMIT_PATH);
        g_assert_cmpuint (records->len, <=, 1);
        if (g_strcmp0 (fc->name, "close-during-upload") != 0 && g_strcmp0 (fc->name, "stall") != 0)
          g_assert_cmpuint (records->len, ==, 1);
      }
      break;

    case ON_QUERY:
      {
        g_autofree char *task_id = submit_simple (fx);
        g_autoptr(SeedreamTaskInfo) info = NULL;

        mock_fixture_queue_fault (fx, fc->name, 1, QUERY_PATH);
        info = query (fx, task_id, NULL, &error);
        g_assert_null (info);
        assert_fault_error (fc, error);
      }
      break;

    case ON_TASK:
      {
        g_autoptr(SeedreamRequest) request = simple_request ("something forbidden");
        g_autoptr(SeedreamTaskInfo) info = NULL;
        g_autofree char *task_id = NULL;
        g_autoptr(GError) failure = NULL;

        mock_fixture_queue_fault (fx, fc->name, 1, SUBMIT_PATH);
        task_id = submit (fx, request, NULL, NULL, &error);
        g_assert_no_error (error);

        info = query_until_finished (fx, task_id, NULL);
        g_assert_cmpint (seedream_task_info_get_state (info), ==, SEEDREAM_TASK_STATE_FAILED);
        g_assert_cmpint (seedream_task_info_get_image_status (info), ==, 4);
        g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, 0);

        failure = seedream_error_new_task_failed (seedream_task_info_get_error_message (info));
        assert_fault_error (fc, failure);
      }
      break;

    case ON_DOWNLOAD:
      {
        g_autoptr(SeedreamRequest) request = simple_request ("a broken link");
        g_autoptr(SeedreamTaskInfo) info = NULL;
        g_autofree char *task_id = NULL;
        g_autofree char *path = g_build_filename (fx->tmpdir, "result.png", NULL);
        g_autofree char *part_path = g_strconcat (path, ".part", NULL);
        g_autoptr(GFile) destination = g_file_new_for_path (path);

        mock_fixture_queue_fault (fx, fc->name, 1, SUBMIT_PATH);
        task_id = submit (fx, request, NULL, NULL, &error);
        g_assert_no_error (error);

        info = query_until_finished (fx, task_id, NULL);
        g_assert_cmpint (seedream_task_info_get_state (info), ==, SEEDREAM_TASK_STATE_DONE);

        g_assert_false (download (fx, seedream_task_info_get_urls (info)[0], destination,
                                  NULL, NULL, &error));
        assert_fault_error (fc, error);

        /* Nothing left behind. */
        g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
        g_assert_false (g_file_test (part_path, G_FILE_TEST_EXISTS));
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Tests: where a submission reports {{{1 */

/* Since a submission's body is sent from a thread of its own (see
 * seedream-client.c), everything it reports must still reach the caller
 * on the main context that started it, and nothing after the result. */
typedef struct
{
  GMainContext *context;
  GThread      *thread;
  GAsyncResult *result;
  Progress      progress;
  gboolean      elsewhere;
  gboolean      after_result;
  gboolean      gave_up;
} Watch;

static gboolean
watch_is_home (Watch *watch)
{
  return g_thread_self () == watch->thread && g_main_context_is_owner (watch->context);
}

static void
watch_progress_cb (goffset  done,
                   goffset  total,
                   gpointer user_data)
{
  Watch *watch = user_data;

  if (!watch_is_home (watch))
    watch->elsewhere = TRUE;
  if (watch->result != NULL)
    watch->after_result = TRUE;
  progress_cb (done, total, &watch->progress);
}

static void
watch_free_cb (gpointer user_data)
{
  Watch *watch = user_data;

  progress_free_cb (&watch->progress);
}

static void
watch_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Watch *watch = user_data;

  if (!watch_is_home (watch))
    watch->elsewhere = TRUE;
  watch->result = g_object_ref (result);
}

/* A guard against a hang, not a measurement. */
static gboolean
watch_give_up_cb (gpointer user_data)
{
  Watch *watch = user_data;

  watch->gave_up = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_client_submit_reports_on_caller_context (Fixture       *fx,
                                              gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = simple_request ("a large reference, reported in steps");
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) guard = g_timeout_source_new_seconds (120);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  Watch watch = { 0 };
  gint64 started;
  gint64 elapsed_ms;
  goffset pieces;

  /* About 2 MiB of random pixels: some 260 writes of libsoup's 8 KiB. */
  file = write_png (fx, "large.png", 1024, 700, 7, &png);
  g_assert_true (seedream_request_add_source_file (request, file));

  /* The caller runs a main context of its own, which is not the global
   * default; the client must report there, and only there. */
  g_main_context_push_thread_default (context);
  watch.context = context;
  watch.thread = g_thread_self ();
  g_source_set_callback (guard, watch_give_up_cb, &watch, NULL);
  g_source_attach (guard, context);

  started = g_get_monotonic_time ();
  seedream_client_submit_async (fx->client, request, watch_progress_cb, &watch, watch_free_cb,
                                NULL, watch_result_cb, &watch);
  while (watch.result == NULL && !watch.gave_up)
    g_main_context_iteration (context, TRUE);
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  g_assert_false (watch.gave_up);

  /* Whatever else is queued on the context runs now: no progress comes
   * after the result. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_source_destroy (guard);
  g_main_context_pop_thread_default (context);

  task_id = seedream_client_submit_finish (fx->client, watch.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);

  g_assert_false (watch.elsewhere);
  g_assert_false (watch.after_result);
  g_assert_false (watch.progress.went_back);
  g_assert_cmpint (watch.progress.total, >, (gint64) g_bytes_get_size (png));
  g_assert_cmpint (watch.progress.done, ==, watch.progress.total);
  g_assert_cmpuint (watch.progress.calls, >=, 2);

  /* In steps, not for every 8 KiB write: at most one report per 64 KiB,
   * plus the first and the last, plus one per 100 ms the upload took (a
   * bound that a slow machine only widens). Without steps there would be
   * one report per write, some 260. */
  pieces = watch.progress.total / (8 * 1024);
  g_test_message ("%u progress reports for %" G_GOFFSET_FORMAT " bytes in %" G_GINT64_FORMAT " ms",
                  watch.progress.calls, watch.progress.total, elapsed_ms);
  g_assert_cmpint (watch.progress.calls, <=, 2 + pieces / 8 + elapsed_ms / 100);

  g_clear_object (&watch.result);
  g_assert_true (watch.progress.freed);
}

/* Cancelled while the body is going out (the mock reads it slowly, so
 * the sending thread is blocked on a full socket): the submission ends
 * at once as cancelled, with only part of the body sent. */

#define SLOW_BODY_SIZE (G_GOFFSET_CONSTANT (32) * 1024 * 1024)

typedef struct
{
  GCancellable *cancellable;
  goffset       done;
  goffset       total;
  goffset       done_at_cancel;
  gboolean      freed;
} CancelWatch;

static void
cancel_on_progress_cb (goffset  done,
                       goffset  total,
                       gpointer user_data)
{
  CancelWatch *watch = user_data;

  watch->done = done;
  watch->total = total;
  if (done > 0 && !g_cancellable_is_cancelled (watch->cancellable))
    {
      watch->done_at_cancel = done;
      g_cancellable_cancel (watch->cancellable);
    }
}

static void
cancel_watch_free_cb (gpointer user_data)
{
  CancelWatch *watch = user_data;

  watch->freed = TRUE;
}

static void
test_client_cancel_submit_during_body (Fixture       *fx,
                                       gconstpointer  data)
{
  const SeedreamModel *model = seedream_model_get_default ();
  g_autoptr(GSubprocess) slow_mock = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SeedreamClient) client = NULL;
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *task_id = NULL;
  CancelWatch watch = { 0 };

  /* A mock of its own that reads request bodies slowly. */
  slow_mock = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                                &error,
                                g_getenv ("SEEDREAM_MOCK_SERVER"), "--port", "0",
                                "--key", TEST_KEY, "--max-body-mib", "64",
                                "--slow-upload-ms", "20", "--exit-on-stdin-eof",
                                NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (slow_mock));
  base_url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (base_url);
  g_strstrip (base_url);

  client = seedream_client_new (base_url, TEST_KEY, &error);
  g_assert_no_error (error);

  /* Far more than loopback's socket buffers hold. */
  file = seedream_test_write_sparse_png (fx->tmpdir, "sparse.png", SLOW_BODY_SIZE);
  body = seedream_multipart_stream_new ();
  seedream_multipart_stream_add_text (body, "category", model->category);
  seedream_multipart_stream_add_text (body, "prompt", "cancelled halfway");
  seedream_multipart_stream_add_file (body, "sourceImage", file, "sparse.png", "image/png",
                                      (guint64) SLOW_BODY_SIZE);

  watch.cancellable = cancellable;
  seedream_client_submit_body_async (client, model, body,
                                     cancel_on_progress_cb, &watch, cancel_watch_free_cb,
                                     cancellable, mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);
  task_id = seedream_client_submit_body_finish (client, result, &error);

  g_test_message ("cancelled at %" G_GOFFSET_FORMAT " bytes, last report %" G_GOFFSET_FORMAT
                  " of %" G_GOFFSET_FORMAT, watch.done_at_cancel, watch.done, watch.total);
  g_assert_null (task_id);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);
  g_assert_cmpint (watch.done_at_cancel, >, 0);
  g_assert_cmpint (watch.total, ==, seedream_multipart_stream_get_length (body));
  g_assert_cmpint (watch.done, <, watch.total);

  g_clear_object (&result);
  g_assert_true (watch.freed);

  g_clear_error (&error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (slow_mock), NULL, NULL);
  g_subprocess_wait (slow_mock, NULL, &error);
  g_assert_no_error (error);
}

/* Each model's request goes to its endpoint with its category, and the
 * mock (as strict as the service) takes it there. */
static void
test_client_submit_per_model (Fixture       *fx,
                              gconstpointer  data)
{
  static const struct { const char *id; const char *resolution; } cases[] = {
    { "seedreamv45", "4K" },
    { "seedreamv5", "3K" },
    { "seedreamv4", "9:16" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SeedreamModel *model = seedream_model_lookup (cases[i].id);
      g_autoptr(SeedreamRequest) request = simple_request ("a lighthouse at dusk");
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *task_id = NULL;
      JsonObject *fields;
      JsonObject *record = NULL;

      seedream_request_set_model (request, model);
      seedream_request_set_resolution (request, cases[i].resolution);
      task_id = submit (fx, request, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (task_id);

      /* The log is searched by prefix, and seedreamv4 is one of seedreamv45. */
      records = mock_fixture_log (fx, "POST", model->endpoint);
      for (guint r = 0; r < records->len; r++)
        {
          if (g_strcmp0 (json_object_get_string_member (records->pdata[r], "path"), model->endpoint) == 0)
            {
              g_assert_null (record);
              record = records->pdata[r];
            }
        }
      g_assert_nonnull (record);
      g_assert_cmpint (json_object_get_int_member (record, "status"), ==, 200);
      fields = json_object_get_object_member (record, "fields");
      g_assert_cmpstr (json_object_get_string_member (fields, "category"), ==, model->category);
      g_assert_cmpstr (json_object_get_string_member (fields, "resolution"), ==, cases[i].resolution);
    }
}

/* Tests: keys and cancellation {{{1 */

static void
test_client_wrong_key (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(SeedreamClient) wrong = NULL;
  g_autoptr(SeedreamRequest) request = simple_request ("a locked door");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) query_result = NULL;
  g_autoptr(GPtrArray) submits = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autoptr(SeedreamTaskInfo) info = NULL;

  wrong = seedream_client_new (fx->base_url, "sk-not-the-right-key", &error);
  g_assert_no_error (error);

  seedream_client_submit_async (wrong, request, NULL, NULL, NULL, NULL, mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);
  task_id = seedream_client_submit_finish (wrong, result, &error);
  g_assert_null (task_id);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION);
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 401);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_clear_error (&error);

  /* Not transient: a query is not retried either. */
  seedream_client_query_task_async (wrong, "abcd_1", NULL, mock_fixture_store_result, &query_result);
  mock_fixture_wait_for (&query_result);
  info = seedream_client_query_task_finish (wrong, query_result, &error);
  g_assert_null (info);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION);

  submits = mock_fixture_log (fx, NULL, SUBMIT_PATH);
  queries = mock_fixture_log (fx, NULL, QUERY_PATH);
  g_assert_cmpuint (submits->len, ==, 1);
  g_assert_cmpuint (queries->len, ==, 1);
  g_assert_cmpint (json_object_get_int_member (submits->pdata[0], "status"), ==, 401);
}

static void
test_client_cancel_submit (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = simple_request ("never mind");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  Progress progress = { 0 };

  /* The mock holds the request; the person gives up. */
  mock_fixture_queue_fault (fx, "stall", 1, SUBMIT_PATH);
  g_timeout_add (300, cancel_cb, cancellable);

  task_id = submit (fx, request, &progress, cancellable, &error);
  g_assert_null (task_id);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);
  g_assert_true (progress.freed);
}

typedef struct
{
  Fixture      *fx;
  GCancellable *cancellable;
  gboolean      cancelled;
} QueryWatch;

static gboolean
cancel_after_first_query_cb (gpointer user_data)
{
  QueryWatch *watch = user_data;
  g_autoptr(GPtrArray) records = mock_fixture_log (watch->fx, NULL, QUERY_PATH);

  if (records->len == 0)
    return G_SOURCE_CONTINUE;

  watch->cancelled = TRUE;
  g_cancellable_cancel (watch->cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_client_cancel_query (Fixture       *fx,
                          gconstpointer  data)
{
  QueryWatch watch = { 0 };
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autoptr(SeedreamTaskInfo) never = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled while waiting to retry (the first attempt got its 503 and
   * the next is 1 s away): stops at once, no more requests. */
  mock_fixture_queue_fault (fx, "http-503", 10, QUERY_PATH);
  watch.fx = fx;
  watch.cancellable = cancellable;
  g_timeout_add (20, cancel_after_first_query_cb, &watch);

  info = query (fx, task_id, cancellable, &error);
  g_assert_null (info);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);
  g_assert_true (watch.cancelled);
  g_clear_error (&error);

  sleep_ms (1500);
  records = mock_fixture_log (fx, NULL, QUERY_PATH);
  g_assert_cmpuint (records->len, ==, 1);

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancelled);
  never = query (fx, task_id, cancelled, &error);
  g_assert_null (never);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);
}

static void
test_client_cancel_download (Fixture       *fx,
                             gconstpointer  data)
{
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(SeedreamTaskInfo) info = query_until_finished (fx, task_id, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_build_filename (fx->tmpdir, "result.png", NULL);
  g_autofree char *part_path = g_strconcat (path, ".part", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };

  g_cancellable_cancel (cancellable);
  g_assert_false (download (fx, seedream_task_info_get_urls (info)[0], destination,
                            &progress, cancellable, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part_path, G_FILE_TEST_EXISTS));
  g_assert_true (progress.freed);
}

static void
test_client_log_has_no_key (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(SeedreamClient) wrong = NULL;
  g_autoptr(SeedreamRequest) request = simple_request ("a secret garden");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *wrong_id = NULL;
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autofree char *path = g_build_filename (fx->tmpdir, "result.png", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autofree char *captured = NULL;

  g_mutex_lock (&log_mutex);
  g_string_truncate (log_capture, 0);
  g_mutex_unlock (&log_mutex);

  /* Everything the client does, including failures and retries. */
  mock_fixture_queue_fault (fx, "http-503", 1, QUERY_PATH);
  task_id = submit (fx, request, NULL, NULL, &error);
  g_assert_no_error (error);
  info = query_until_finished (fx, task_id, NULL);
  g_assert_true (download (fx, seedream_task_info_get_urls (info)[0], destination, NULL, NULL, &error));
  g_assert_no_error (error);

  wrong = seedream_client_new (fx->base_url, "sk-wrong-ALSO-SECRET", &error);
  g_assert_no_error (error);
  seedream_client_submit_async (wrong, request, NULL, NULL, NULL, NULL, mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);
  wrong_id = seedream_client_submit_finish (wrong, result, &error);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION);

  g_mutex_lock (&log_mutex);
  captured = g_strdup (log_capture->str);
  g_mutex_unlock (&log_mutex);

  /* The capture works: the client's debug lines are there. */
  g_assert_nonnull (strstr (captured, SUBMIT_PATH));
  g_assert_nonnull (strstr (captured, QUERY_PATH));
  g_assert_nonnull (strstr (captured, "/files/"));
  g_assert_nonnull (strstr (captured, "503"));

  /* And no key, no header. */
  g_assert_null (strstr (captured, TEST_KEY));
  g_assert_null (strstr (captured, "sk-wrong-ALSO-SECRET"));
  g_assert_null (strstr (captured, "SECRET"));
  g_assert_null (strstr (captured, "Bearer"));
  g_assert_null (strstr (captured, "Authorization"));
}

/* main {{{1 */

#define ADD_FIXTURE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  /* Before anything logs: every debug line goes to capture_writer(). */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_capture = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);
  test_log_handler = g_log_set_default_handler (capture_log_handler, NULL);

  g_test_add_func ("/seedream/client/new/refuses", test_client_new_refuses);
  g_test_add_func ("/seedream/client/new/accepts", test_client_new_accepts);

  ADD_FIXTURE_TEST ("/seedream/client/submit/success", test_client_submit_success);
  ADD_FIXTURE_TEST ("/seedream/client/submit/invalid-before-network", test_client_submit_invalid);
  ADD_FIXTURE_TEST ("/seedream/client/submit/per-model", test_client_submit_per_model);
  ADD_FIXTURE_TEST ("/seedream/client/submit/not-retried", test_client_submit_not_retried);
  ADD_FIXTURE_TEST ("/seedream/client/submit/reports-on-caller-context",
                    test_client_submit_reports_on_caller_context);
  g_test_add ("/seedream/client/query/progression", Fixture, NULL,
              fixture_setup_slow_tasks, test_client_query_progression, fixture_teardown);
  ADD_FIXTURE_TEST ("/seedream/client/query/retries", test_client_query_retries);
  ADD_FIXTURE_TEST ("/seedream/client/query/retry-after", test_client_query_retry_after);
  ADD_FIXTURE_TEST ("/seedream/client/query/retries-exhausted", test_client_query_retries_exhausted);
  ADD_FIXTURE_TEST ("/seedream/client/query/not-retried", test_client_query_not_retried);
  ADD_FIXTURE_TEST ("/seedream/client/query/loose-retried", test_client_query_loose_retried);
  g_test_add ("/seedream/client/submit/answer-timeout", Fixture, NULL,
              fixture_setup_slow_answer, test_client_submit_answer_timeout, fixture_teardown);
  ADD_FIXTURE_TEST ("/seedream/client/submit/answer-deadline", test_client_submit_answer_deadline);
  g_test_add_func ("/seedream/client/download/url-exact", test_client_result_url_exact);
  ADD_FIXTURE_TEST ("/seedream/client/download/jpeg-presigned", test_client_download_jpeg_presigned);
  ADD_FIXTURE_TEST ("/seedream/client/download/png", test_client_download);
  ADD_FIXTURE_TEST ("/seedream/client/download/bad-url", test_client_download_bad_url);
  ADD_FIXTURE_TEST ("/seedream/client/download/unwritable", test_client_download_unwritable);
  ADD_FIXTURE_TEST ("/seedream/client/download/image", test_client_download_image);
  ADD_FIXTURE_TEST ("/seedream/client/wrong-key", test_client_wrong_key);
  ADD_FIXTURE_TEST ("/seedream/client/cancel/submit", test_client_cancel_submit);
  ADD_FIXTURE_TEST ("/seedream/client/cancel/submit-during-body", test_client_cancel_submit_during_body);
  ADD_FIXTURE_TEST ("/seedream/client/cancel/query", test_client_cancel_query);
  ADD_FIXTURE_TEST ("/seedream/client/cancel/download", test_client_cancel_download);
  ADD_FIXTURE_TEST ("/seedream/client/log/no-key", test_client_log_has_no_key);

  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      const char *target[] = { "submit", "query", "task", "download" };
      g_autofree char *path = g_strdup_printf ("/seedream/client/fault/%s/%s",
                                               target[fault_cases[i].target],
                                               fault_cases[i].name);

      g_test_add (path, Fixture, &fault_cases[i], fixture_setup, test_client_fault, fixture_teardown);
    }

  return g_test_run ();
}
