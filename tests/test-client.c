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

#include "seedream-client.h"
#include "seedream-error.h"
#include "seedream-image-info.h"
#include "seedream-request.h"
#include "seedream-task-info.h"

#define TEST_KEY "sk-test-4f1c9a0e7b2d-SECRET-d00dfeed"
#define SUBMIT_PATH "/v1/images/seedreamv45"
#define QUERY_PATH "/v1/images/infobytaskid"

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

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

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

/* A real PNG (valid CRCs, zlib data), so that every image check passes. */
static guint32
crc32_of (const guint8 *data,
          gsize         len,
          guint32       crc)
{
  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (guint k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  return ~crc;
}

static void
png_chunk (GByteArray   *png,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint8 be[4];
  guint32 crc;

  be[0] = (len >> 24) & 0xff;
  be[1] = (len >> 16) & 0xff;
  be[2] = (len >> 8) & 0xff;
  be[3] = len & 0xff;
  g_byte_array_append (png, be, 4);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (png, data, len);

  crc = crc32_of ((const guint8 *) type, 4, 0);
  crc = crc32_of (data, len, crc);
  be[0] = (crc >> 24) & 0xff;
  be[1] = (crc >> 16) & 0xff;
  be[2] = (crc >> 8) & 0xff;
  be[3] = crc & 0xff;
  g_byte_array_append (png, be, 4);
}

static GBytes *
make_png (guint width,
          guint height,
          guint seed)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GConverter) compressor = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GOutputStream) zout = NULL;
  g_autoptr(GError) error = NULL;
  guint8 ihdr[13];
  GRand *rand = g_rand_new_with_seed (seed);

  for (guint y = 0; y < height; y++)
    {
      guint8 filter = 0;

      g_byte_array_append (raw, &filter, 1);
      for (guint x = 0; x < width * 3; x++)
        {
          guint8 value = (guint8) g_rand_int_range (rand, 0, 256);

          g_byte_array_append (raw, &value, 1);
        }
    }
  g_rand_free (rand);

  compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6));
  memory = g_memory_output_stream_new_resizable ();
  zout = g_converter_output_stream_new (memory, compressor);
  g_assert_true (g_output_stream_write_all (zout, raw->data, raw->len, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (zout, NULL, &error));
  g_assert_no_error (error);

  ihdr[0] = (width >> 24) & 0xff;
  ihdr[1] = (width >> 16) & 0xff;
  ihdr[2] = (width >> 8) & 0xff;
  ihdr[3] = width & 0xff;
  ihdr[4] = (height >> 24) & 0xff;
  ihdr[5] = (height >> 16) & 0xff;
  ihdr[6] = (height >> 8) & 0xff;
  ihdr[7] = height & 0xff;
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 2;   /* RGB */
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;

  g_byte_array_append (png, signature, sizeof signature);
  png_chunk (png, "IHDR", ihdr, sizeof ihdr);
  png_chunk (png, "IDAT",
             g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
  png_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* The fixture: a mock, a client, a temporary folder {{{1 */

typedef struct
{
  GSubprocess    *mock;
  char           *base_url;
  SoupSession    *control;
  SeedreamClient *client;
  char           *tmpdir;
} Fixture;

static void
fixture_setup_with (Fixture    *fx,
                    const char *task_seconds)
{
  const char *mock_path = g_getenv ("SEEDREAM_MOCK_SERVER");
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  if (mock_path == NULL)
    g_error ("SEEDREAM_MOCK_SERVER is not set: run this test through meson");

  fx->mock = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                               &error,
                               mock_path, "--port", "0", "--key", TEST_KEY,
                               "--task-seconds", task_seconds, "--exit-on-stdin-eof",
                               NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->mock));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:") || g_str_has_prefix (line, "http://"));
  fx->base_url = g_strstrip (g_steal_pointer (&line));

  fx->client = seedream_client_new (fx->base_url, TEST_KEY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->client);

  fx->control = soup_session_new ();
  fx->tmpdir = g_dir_make_tmp ("seedream-client-XXXXXX", &error);
  g_assert_no_error (error);
}

/* Tasks take 2 s: queued for 0.5 s, then running. */
static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fixture_setup_with (fx, "2");
}

/* Tasks take 8 s, so that a slow machine still sees each state. */
static void
fixture_setup_slow_tasks (Fixture       *fx,
                          gconstpointer  data)
{
  fixture_setup_with (fx, "8");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  g_clear_object (&fx->client);
  g_clear_object (&fx->control);

  /* The mock leaves when its stdin closes. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (fx->mock), NULL, NULL);
  g_subprocess_wait_async (fx->mock, NULL, store_result_cb, &result);
  wait_for (&result);
  g_subprocess_wait_finish (fx->mock, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_object (&fx->mock);

  remove_tree (fx->tmpdir);
  g_clear_pointer (&fx->tmpdir, g_free);
  g_clear_pointer (&fx->base_url, g_free);
}

/* Talking to the mock's control API {{{1 */

static GBytes *
mock_request (Fixture    *fx,
              const char *method,
              const char *path,
              const char *json,
              guint      *status)
{
  g_autofree char *url = g_strconcat (fx->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  if (json != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  body = soup_session_send_and_read (fx->control, msg, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (msg);

  return body;
}

static void
mock_queue_fault (Fixture    *fx,
                  const char *fault,
                  guint       count,
                  const char *path)
{
  g_autofree char *json = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint status = 0;

  if (path != NULL)
    json = g_strdup_printf ("{\"fault\":\"%s\",\"count\":%u,\"path\":\"%s\"}", fault, count, path);
  else
    json = g_strdup_printf ("{\"fault\":\"%s\",\"count\":%u}", fault, count);

  answer = mock_request (fx, "POST", "/mock/faults", json, &status);
  g_assert_cmpuint (status, >=, 200);
  g_assert_cmpuint (status, <, 300);
}

/* The records of the mock's log whose path starts with @prefix. */
static GPtrArray *
mock_log (Fixture    *fx,
          const char *prefix)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *array;
  guint status = 0;
  gsize len = 0;
  const char *data;

  body = mock_request (fx, "GET", "/mock/log", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  data = g_bytes_get_data (body, &len);
  g_assert_true (json_parser_load_from_data (parser, data, len, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));

  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *record = json_array_get_object_element (array, i);
      const char *path = json_object_get_string_member_with_default (record, "path", "");

      if (g_str_has_prefix (path, prefix))
        g_ptr_array_add (records, json_object_ref (record));
    }

  return records;
}

static gboolean
record_has_header (JsonObject *record,
                   const char *name)
{
  JsonArray *headers = json_object_get_array_member (record, "headers");

  g_assert_nonnull (headers);
  for (guint i = 0; i < json_array_get_length (headers); i++)
    if (g_ascii_strcasecmp (json_array_get_string_element (headers, i), name) == 0)
      return TRUE;

  return FALSE;
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
  g_autoptr(GBytes) png = make_png (width, height, seed);
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
                                cancellable, store_result_cb, &result);
  wait_for (&result);

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

  seedream_client_query_task_async (fx->client, task_id, cancellable, store_result_cb, &result);
  wait_for (&result);

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
                                  cancellable, store_result_cb, &result);
  wait_for (&result);

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

  records = mock_log (fx, SUBMIT_PATH);
  g_assert_cmpuint (records->len, ==, 1);
  record = records->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (record, "method"), ==, "POST");
  g_assert_cmpint (json_object_get_int_member (record, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (record, "task_id"), ==, task_id);
  g_assert_true (record_has_header (record, "authorization"));
  g_assert_true (record_has_header (record, "content-length"));

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
  records = mock_log (fx, "/v1/");
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

  mock_queue_fault (fx, "http-503", 1, SUBMIT_PATH);

  task_id = submit (fx, request, NULL, NULL, &error);
  g_assert_null (task_id);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 503);
  g_clear_error (&error);

  /* Let any hidden retry happen, then count. */
  sleep_ms (1500);
  records = mock_log (fx, SUBMIT_PATH);
  g_assert_cmpuint (records->len, ==, 1);

  /* The fault is used up: the person's next submit goes through. */
  second = submit (fx, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
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
  records = mock_log (fx, QUERY_PATH);
  g_assert_cmpuint (records->len, >=, 3);
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = records->pdata[i];

      g_assert_true (record_has_header (record, "authorization"));
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
  records = mock_log (fx, "/files/");
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (records->pdata[0], "method"), ==, "GET");
  g_assert_false (record_has_header (records->pdata[0], "authorization"));

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

/* Tests: retries {{{1 */

static void
test_client_query_retries (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *task_id = submit_simple (fx);
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  mock_queue_fault (fx, "http-503", 2, QUERY_PATH);

  info = query (fx, task_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (seedream_task_info_get_task_id (info), ==, task_id);

  records = mock_log (fx, QUERY_PATH);
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

  mock_queue_fault (fx, "http-429", 1, QUERY_PATH);
  mock_queue_fault (fx, "code-9999", 1, QUERY_PATH);

  /* 429 (Retry-After: 2), then a code 9999, then the answer. */
  info = query (fx, task_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  records = mock_log (fx, QUERY_PATH);
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
  mock_queue_fault (fx, "http-502", 10, QUERY_PATH);

  info = query (fx, task_id, NULL, &error);
  g_assert_null (info);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 502);

  records = mock_log (fx, QUERY_PATH);
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
    { "code-9000", SEEDREAM_ERROR_INSUFFICIENT_CREDITS },
    { "malformed-json", SEEDREAM_ERROR_BAD_RESPONSE },
    { "http-401", SEEDREAM_ERROR_AUTHENTICATION },
    { "http-404", SEEDREAM_ERROR_HTTP },
  };
  g_autofree char *task_id = submit_simple (fx);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SeedreamTaskInfo) info = NULL;
      g_autoptr(GPtrArray) before = mock_log (fx, QUERY_PATH);
      g_autoptr(GPtrArray) after = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].fault);
      mock_queue_fault (fx, cases[i].fault, 5, QUERY_PATH);

      info = query (fx, task_id, NULL, &error);
      g_assert_null (info);
      g_assert_error (error, SEEDREAM_ERROR, (gint) cases[i].code);

      after = mock_log (fx, QUERY_PATH);
      g_assert_cmpuint (after->len, ==, before->len + 1);

      g_bytes_unref (mock_request (fx, "DELETE", "/mock/faults", NULL, NULL));
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
        mock_queue_fault (fx, fc->name, 1, SUBMIT_PATH);

        task_id = submit (fx, request, NULL, NULL, &error);
        g_assert_null (task_id);
        assert_fault_error (fc, error);

        /* Never sent twice. (The mock logs a request once it answered
         * it, so a stalled or cut one may not be there yet.) */
        records = mock_log (fx, SUBMIT_PATH);
        g_assert_cmpuint (records->len, <=, 1);
        if (g_strcmp0 (fc->name, "close-during-upload") != 0 && g_strcmp0 (fc->name, "stall") != 0)
          g_assert_cmpuint (records->len, ==, 1);
      }
      break;

    case ON_QUERY:
      {
        g_autofree char *task_id = submit_simple (fx);
        g_autoptr(SeedreamTaskInfo) info = NULL;

        mock_queue_fault (fx, fc->name, 1, QUERY_PATH);
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

        mock_queue_fault (fx, fc->name, 1, SUBMIT_PATH);
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

        mock_queue_fault (fx, fc->name, 1, SUBMIT_PATH);
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

  seedream_client_submit_async (wrong, request, NULL, NULL, NULL, NULL, store_result_cb, &result);
  wait_for (&result);
  task_id = seedream_client_submit_finish (wrong, result, &error);
  g_assert_null (task_id);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION);
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 401);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_clear_error (&error);

  /* Not transient: a query is not retried either. */
  seedream_client_query_task_async (wrong, "abcd_1", NULL, store_result_cb, &query_result);
  wait_for (&query_result);
  info = seedream_client_query_task_finish (wrong, query_result, &error);
  g_assert_null (info);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION);

  submits = mock_log (fx, SUBMIT_PATH);
  queries = mock_log (fx, QUERY_PATH);
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
  mock_queue_fault (fx, "stall", 1, SUBMIT_PATH);
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
  g_autoptr(GPtrArray) records = mock_log (watch->fx, QUERY_PATH);

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
  mock_queue_fault (fx, "http-503", 10, QUERY_PATH);
  watch.fx = fx;
  watch.cancellable = cancellable;
  g_timeout_add (20, cancel_after_first_query_cb, &watch);

  info = query (fx, task_id, cancellable, &error);
  g_assert_null (info);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);
  g_assert_true (watch.cancelled);
  g_clear_error (&error);

  sleep_ms (1500);
  records = mock_log (fx, QUERY_PATH);
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
  mock_queue_fault (fx, "http-503", 1, QUERY_PATH);
  task_id = submit (fx, request, NULL, NULL, &error);
  g_assert_no_error (error);
  info = query_until_finished (fx, task_id, NULL);
  g_assert_true (download (fx, seedream_task_info_get_urls (info)[0], destination, NULL, NULL, &error));
  g_assert_no_error (error);

  wrong = seedream_client_new (fx->base_url, "sk-wrong-ALSO-SECRET", &error);
  g_assert_no_error (error);
  seedream_client_submit_async (wrong, request, NULL, NULL, NULL, NULL, store_result_cb, &result);
  wait_for (&result);
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
  ADD_FIXTURE_TEST ("/seedream/client/submit/not-retried", test_client_submit_not_retried);
  g_test_add ("/seedream/client/query/progression", Fixture, NULL,
              fixture_setup_slow_tasks, test_client_query_progression, fixture_teardown);
  ADD_FIXTURE_TEST ("/seedream/client/query/retries", test_client_query_retries);
  ADD_FIXTURE_TEST ("/seedream/client/query/retry-after", test_client_query_retry_after);
  ADD_FIXTURE_TEST ("/seedream/client/query/retries-exhausted", test_client_query_retries_exhausted);
  ADD_FIXTURE_TEST ("/seedream/client/query/not-retried", test_client_query_not_retried);
  ADD_FIXTURE_TEST ("/seedream/client/download/png", test_client_download);
  ADD_FIXTURE_TEST ("/seedream/client/download/bad-url", test_client_download_bad_url);
  ADD_FIXTURE_TEST ("/seedream/client/download/unwritable", test_client_download_unwritable);
  ADD_FIXTURE_TEST ("/seedream/client/wrong-key", test_client_wrong_key);
  ADD_FIXTURE_TEST ("/seedream/client/cancel/submit", test_client_cancel_submit);
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
