/* seedream-test-util.c: helpers every test may share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include <libsoup/soup.h>

#include "seedream-test-util.h"

void
seedream_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_unlink (path);
      return;
    }

  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      seedream_test_remove_tree (child);
    }
  g_rmdir (path);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
seedream_test_wait_until (SeedreamTestCondition done,
                          gpointer              data,
                          guint                 timeout_seconds)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (timeout_seconds, timed_out_cb, &timed_out);
  gboolean result;

  while (!(result = done (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return result;
}

GFile *
seedream_test_write_file (const char *dir,
                          const char *name,
                          const void *data,
                          gsize       len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

GBytes *
seedream_test_load_image (const char *name)
{
  const char *source_dir = g_getenv ("SEEDREAM_SOURCE_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_nonnull (source_dir);
  path = g_build_filename (source_dir, "tests", "data", "images", name, NULL);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

GBytes *
seedream_test_png_chunks (GBytes     *png,
                          const char *type)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (png, &len);
  GByteArray *out = g_byte_array_new ();

  for (gsize pos = 8; pos + 12 <= len;)
    {
      guint32 n = ((guint32) data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];

      g_assert_cmpuint (pos + 12 + n, <=, len);
      if (memcmp (data + pos + 4, type, 4) == 0)
        g_byte_array_append (out, data + pos + 8, n);
      pos += 12 + n;
    }

  return g_byte_array_free_to_bytes (out);
}

guint32
seedream_test_png_crc (const guint8 *data,
                       gsize         len,
                       guint32       crc)
{
  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  return ~crc;
}

void
seedream_test_png_append_chunk (GByteArray   *png,
                                const char   *type,
                                const guint8 *data,
                                gsize         len)
{
  guint8 header[8];
  guint8 trailer[4];
  guint32 crc;

  header[0] = (len >> 24) & 0xff;
  header[1] = (len >> 16) & 0xff;
  header[2] = (len >> 8) & 0xff;
  header[3] = len & 0xff;
  memcpy (header + 4, type, 4);
  g_byte_array_append (png, header, sizeof header);
  if (len > 0)
    g_byte_array_append (png, data, (guint) len);

  crc = seedream_test_png_crc ((const guint8 *) type, 4, 0);
  crc = seedream_test_png_crc (data, len, crc);
  trailer[0] = (crc >> 24) & 0xff;
  trailer[1] = (crc >> 16) & 0xff;
  trailer[2] = (crc >> 8) & 0xff;
  trailer[3] = crc & 0xff;
  g_byte_array_append (png, trailer, sizeof trailer);
}

GFile *
seedream_test_write_sparse_png (const char *dir,
                                const char *name,
                                goffset     size)
{
  static const guint8 head[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0x00, 0x00, 0x00, 0x0d, 'I', 'H', 'D', 'R',
    0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00,
    0x08, 0x02, 0x00, 0x00, 0x00,
  };
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (G_OUTPUT_STREAM (out), head, sizeof head, NULL, NULL, &error);
  g_assert_no_error (error);
  g_seekable_truncate (G_SEEKABLE (out), size, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&file);
}

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} HttpAnswer;

static gboolean
http_answer_done (gpointer data)
{
  return ((HttpAnswer *) data)->done;
}

static void
http_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HttpAnswer *answer = user_data;

  answer->bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &answer->error);
  answer->done = TRUE;
}

guint
seedream_test_http_request (const char  *method,
                            const char  *url,
                            const char  *content_type,
                            GBytes      *body,
                            gboolean     chunked,
                            char       **response_body,
                            GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10,
                                                                  "proxy-resolver", NULL,
                                                                  NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  HttpAnswer answer = { 0 };
  guint status;

  g_assert_nonnull (msg);
  if (body != NULL && chunked)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);

      soup_message_set_request_body (msg, content_type, stream, -1);
    }
  else if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (msg, content_type, body);
    }

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, http_sent_cb, &answer);
  g_assert_true (seedream_test_wait_until (http_answer_done, &answer, 20));

  status = soup_message_get_status (msg);
  if (response_body != NULL)
    *response_body = answer.bytes != NULL ?
      g_strndup (g_bytes_get_data (answer.bytes, NULL), g_bytes_get_size (answer.bytes)) : NULL;
  g_clear_pointer (&answer.bytes, g_bytes_unref);
  if (answer.error != NULL)
    g_propagate_error (error, answer.error);

  return answer.error != NULL && status == SOUP_STATUS_NONE ? 0 : status;
}

gboolean
seedream_test_port_is_closed (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  if (connection != NULL)
    return FALSE;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  return TRUE;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gint64
seedream_test_add_submission (SeedreamHistory *history,
                              const char      *prompt,
                              const char      *resolution,
                              guint            batch_size)
{
  g_autoptr(SeedreamRequest) request = seedream_request_new ();

  seedream_request_set_prompt (request, prompt);
  seedream_request_set_resolution (request, resolution);
  seedream_request_set_batch_size (request, batch_size);

  return seedream_test_add_request (history, request);
}

gint64
seedream_test_add_request (SeedreamHistory *history,
                           SeedreamRequest *request)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  seedream_history_add_submission_async (history, request, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  id = seedream_history_add_submission_finish (history, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

void
seedream_test_close_history (SeedreamHistory **history)
{
  GWeakRef weak;

  if (*history == NULL)
    return;

  g_weak_ref_init (&weak, *history);
  g_clear_object (history);
  /* A bound against a hang, not a measurement. */
  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(GObject) alive = g_weak_ref_get (&weak);

      if (alive == NULL)
        break;
      g_clear_object (&alive);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

void
seedream_test_data_dir_setup (SeedreamTestDataDir *fixture,
                              gconstpointer        data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("seedream-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_file_new_build_filename (fixture->dir, "data", NULL);
}

void
seedream_test_data_dir_teardown (SeedreamTestDataDir *fixture,
                                 gconstpointer        data)
{
  seedream_test_remove_tree (fixture->dir);
  g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_object (&fixture->data_dir);
}

SeedreamHistory *
seedream_test_open_history (GFile *data_dir)
{
  g_autoptr(GError) error = NULL;
  SeedreamHistory *history = seedream_history_new (data_dir, &error);

  g_assert_no_error (error);
  g_assert_true (SEEDREAM_IS_HISTORY (history));

  return history;
}
