/* mock-fixture.c: what tests that talk to the mock server share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mock-fixture.h"

void
mock_fixture_store_result (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

void
mock_fixture_wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

void
mock_fixture_start (MockFixture *fx,
                    guint        task_seconds)
{
  mock_fixture_start_with_args (fx, task_seconds, NULL);
}

void
mock_fixture_start_with_args (MockFixture        *fx,
                              guint               task_seconds,
                              const char * const *extra_args)
{
  const char *mock_path = g_getenv ("SEEDREAM_MOCK_SERVER");
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *seconds = g_strdup_printf ("%u", task_seconds);
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;

  if (mock_path == NULL)
    g_error ("SEEDREAM_MOCK_SERVER is not set: run this test through meson");

  g_strv_builder_add_many (argv, mock_path, "--port", "0", "--key", MOCK_FIXTURE_KEY,
                           "--task-seconds", seconds, "--exit-on-stdin-eof", NULL);
  if (extra_args != NULL)
    g_strv_builder_addv (argv, (const char **) extra_args);
  args = g_strv_builder_end (argv);

  fx->mock = g_subprocess_newv ((const char * const *) args,
                                G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                                &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->mock));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  fx->base_url = g_strstrip (g_steal_pointer (&line));

  fx->client = seedream_client_new (fx->base_url, MOCK_FIXTURE_KEY, &error);
  g_assert_no_error (error);

  fx->control = soup_session_new ();
  fx->tmpdir = g_dir_make_tmp ("seedream-test-XXXXXX", &error);
  g_assert_no_error (error);
}

void
mock_fixture_stop (MockFixture *fx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_clear_object (&fx->client);
  g_clear_object (&fx->control);

  /* The mock leaves when its stdin closes. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (fx->mock), NULL, NULL);
  g_subprocess_wait_async (fx->mock, NULL, mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);
  g_subprocess_wait_finish (fx->mock, result, &error);
  g_assert_no_error (error);
  g_clear_object (&fx->mock);

  seedream_test_remove_tree (fx->tmpdir);
  g_clear_pointer (&fx->tmpdir, g_free);
  g_clear_pointer (&fx->base_url, g_free);
}

GBytes *
mock_fixture_request (MockFixture *fx,
                      const char  *method,
                      const char  *path,
                      const char  *json,
                      guint       *status)
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

void
mock_fixture_queue_fault (MockFixture *fx,
                          const char  *fault,
                          guint        count,
                          const char  *path)
{
  g_autofree char *json = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint status = 0;

  if (path != NULL)
    json = g_strdup_printf ("{\"fault\":\"%s\",\"count\":%u,\"path\":\"%s\"}", fault, count, path);
  else
    json = g_strdup_printf ("{\"fault\":\"%s\",\"count\":%u}", fault, count);

  answer = mock_fixture_request (fx, "POST", "/mock/faults", json, &status);
  g_assert_cmpuint (status, >=, 200);
  g_assert_cmpuint (status, <, 300);
}

GPtrArray *
mock_fixture_log (MockFixture *fx,
                  const char  *method,
                  const char  *prefix)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *array;
  guint status = 0;
  gsize len = 0;
  const char *data;

  body = mock_fixture_request (fx, "GET", "/mock/log", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  data = g_bytes_get_data (body, &len);
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) len, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));

  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *record = json_array_get_object_element (array, i);
      const char *path = json_object_get_string_member_with_default (record, "path", "");
      const char *record_method = json_object_get_string_member_with_default (record, "method", "");

      if (g_str_has_prefix (path, prefix) && (method == NULL || g_strcmp0 (method, record_method) == 0))
        g_ptr_array_add (records, json_object_ref (record));
    }

  return records;
}

guint
mock_fixture_count_submits (MockFixture *fx)
{
  g_autoptr(GPtrArray) records = mock_fixture_log (fx, "POST", MOCK_FIXTURE_SUBMIT_PATH);

  return records->len;
}

gboolean
mock_fixture_record_has_header (JsonObject *record,
                                const char *name)
{
  JsonArray *headers = json_object_get_array_member (record, "headers");

  g_assert_nonnull (headers);
  for (guint i = 0; i < json_array_get_length (headers); i++)
    if (g_ascii_strcasecmp (json_array_get_string_element (headers, i), name) == 0)
      return TRUE;

  return FALSE;
}

/* A minimal PNG writer, so the tests need no image library. */

GBytes *
mock_fixture_make_png (guint width,
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
  guint8 ihdr[13] = { 0 };
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

  g_byte_array_append (png, signature, sizeof signature);
  seedream_test_png_append_chunk (png, "IHDR", ihdr, sizeof ihdr);
  seedream_test_png_append_chunk (png, "IDAT",
                                  g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
                                  g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
  seedream_test_png_append_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

GFile *
mock_fixture_write_png (MockFixture *fx,
                        const char  *name,
                        guint        width,
                        guint        height,
                        guint        seed)
{
  g_autoptr(GBytes) png = mock_fixture_make_png (width, height, seed);

  return seedream_test_write_file (fx->tmpdir, name, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}
