/* test-multipart-stream.c: the streamed multipart/form-data body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "seedream-multipart-stream.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("seedream-multipart-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const void *data,
            gsize       len)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

/* Some bytes that are not text, with CR LF and "--" inside. */
static GBytes *
make_binary (gsize len)
{
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) ((i * 7 + i / 251) & 0xff);
  if (len > 8)
    memcpy (data + len / 2, "\r\n--\r\n", 6);

  return g_bytes_new_take (data, len);
}

static GBytes *
read_all_in_chunks (GInputStream *stream,
                    gsize         chunk,
                    GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *buffer = g_malloc (chunk);

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, chunk, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_assert_cmpint (n, <=, (gssize) chunk);
      g_byte_array_append (out, buffer, (guint) n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* A body with every kind of part, built anew for each read. */
static SeedreamMultipartStream *
make_body (Fixture     *fixture,
           const char  *boundary,
           GBytes     **out_image)
{
  SeedreamMultipartStream *body = boundary != NULL
                                  ? seedream_multipart_stream_new_with_boundary (boundary)
                                  : seedream_multipart_stream_new ();
  g_autoptr(GBytes) image = make_binary (70001);
  g_autoptr(GFile) image_file = write_file (fixture, "cat.png", g_bytes_get_data (image, NULL),
                                            g_bytes_get_size (image));
  g_autoptr(GFile) empty_file = write_file (fixture, "empty.gif", "", 0);

  seedream_multipart_stream_add_text (body, "category", "seedreamv45");
  seedream_multipart_stream_add_text (body, "prompt", "a “red” fox\r\n--on two lines");
  seedream_multipart_stream_add_text (body, "batchsize", "3");
  seedream_multipart_stream_add_text (body, "empty", "");
  seedream_multipart_stream_add_file (body, "sourceImage", image_file, "cat.png", "image/png",
                                      g_bytes_get_size (image));
  seedream_multipart_stream_add_file (body, "sourceImage", empty_file, "empty.gif", "image/gif", 0);

  if (out_image != NULL)
    *out_image = g_steal_pointer (&image);

  return body;
}

static void
assert_part (SoupMultipart *multipart,
             int            index,
             const char    *name,
             const char    *filename,
             const char    *content_type,
             GBytes        *expected)
{
  SoupMessageHeaders *headers = NULL;
  GBytes *body = NULL;
  g_autofree char *disposition = NULL;
  g_autoptr(GHashTable) params = NULL;

  g_assert_true (soup_multipart_get_part (multipart, index, &headers, &body));
  g_assert_true (soup_message_headers_get_content_disposition (headers, &disposition, &params));
  g_assert_cmpstr (disposition, ==, "form-data");
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, name);
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, filename);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==, content_type);
  g_assert_true (g_bytes_equal (body, expected));
}

/* libsoup's own parser reads back every part, header and byte. */
static void
test_multipart_round_trip (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) image = NULL;
  g_autoptr(SeedreamMultipartStream) body = make_body (fixture, NULL, &image);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) none = g_bytes_new_static ("", 0);
  SoupMultipart *multipart;
  goffset length;

  length = seedream_multipart_stream_get_length (body);
  g_assert_cmpuint (seedream_multipart_stream_get_n_parts (body), ==, 6);
  g_assert_true (g_str_has_prefix (seedream_multipart_stream_get_content_type (body),
                                   "multipart/form-data; boundary="));
  g_assert_true (g_str_has_suffix (seedream_multipart_stream_get_content_type (body),
                                   seedream_multipart_stream_get_boundary (body)));

  bytes = read_all_in_chunks (G_INPUT_STREAM (body), 4096, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_bytes_get_size (bytes), ==, length);
  g_assert_true (g_input_stream_close (G_INPUT_STREAM (body), NULL, &error));
  g_assert_no_error (error);

  soup_message_headers_replace (headers, "Content-Type",
                                seedream_multipart_stream_get_content_type (body));
  multipart = soup_multipart_new_from_message (headers, bytes);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 6);

  expected = g_bytes_new_static ("seedreamv45", 11);
  assert_part (multipart, 0, "category", NULL, NULL, expected);
  g_clear_pointer (&expected, g_bytes_unref);

  expected = g_bytes_new_static ("a “red” fox\r\n--on two lines", strlen ("a “red” fox\r\n--on two lines"));
  assert_part (multipart, 1, "prompt", NULL, NULL, expected);
  g_clear_pointer (&expected, g_bytes_unref);

  expected = g_bytes_new_static ("3", 1);
  assert_part (multipart, 2, "batchsize", NULL, NULL, expected);

  assert_part (multipart, 3, "empty", NULL, NULL, none);
  assert_part (multipart, 4, "sourceImage", "cat.png", "image/png", image);
  assert_part (multipart, 5, "sourceImage", "empty.gif", "image/gif", none);

  soup_multipart_free (multipart);
}

static void
test_multipart_exact_bytes (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SeedreamMultipartStream) body = seedream_multipart_stream_new_with_boundary ("XyZ");
  g_autoptr(GFile) file = write_file (fixture, "a.png", "PNG!", 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"prompt\"\r\n"
    "\r\n"
    "hi\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"sourceImage\"; filename=\"a.png\"\r\n"
    "Content-Type: image/png\r\n"
    "\r\n"
    "PNG!\r\n"
    "--XyZ--\r\n";

  seedream_multipart_stream_add_text (body, "prompt", "hi");
  seedream_multipart_stream_add_file (body, "sourceImage", file, "a.png", "image/png", 4);
  g_assert_cmpstr (seedream_multipart_stream_get_content_type (body), ==,
                   "multipart/form-data; boundary=XyZ");
  g_assert_cmpint (seedream_multipart_stream_get_length (body), ==, strlen (expected));

  bytes = read_all_in_chunks (G_INPUT_STREAM (body), 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, strlen (expected));
}

static void
test_multipart_empty (void)
{
  g_autoptr(SeedreamMultipartStream) body = seedream_multipart_stream_new_with_boundary ("b");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (seedream_multipart_stream_get_length (body), ==, 7);
  bytes = read_all_in_chunks (G_INPUT_STREAM (body), 2, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "--b--\r\n", 7);
}

static void
test_multipart_boundary (void)
{
  g_autoptr(SeedreamMultipartStream) one = seedream_multipart_stream_new ();
  g_autoptr(SeedreamMultipartStream) two = seedream_multipart_stream_new ();
  const char *boundary = seedream_multipart_stream_get_boundary (one);

  g_assert_true (g_str_has_prefix (boundary, "seedream-"));
  g_assert_cmpuint (strlen (boundary), ==, strlen ("seedream-") + 32);
  for (const char *p = boundary + strlen ("seedream-"); *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  g_assert_cmpstr (boundary, !=, seedream_multipart_stream_get_boundary (two));
}

/* Names and file names: '"', CR and LF escaped as curl does; a name that
 * is not UTF-8 becomes valid UTF-8. */
static void
test_multipart_escaping (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SeedreamMultipartStream) body = seedream_multipart_stream_new_with_boundary ("b");
  g_autoptr(GFile) file = write_file (fixture, "x.png", "x", 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GBytes) x = g_bytes_new_static ("x", 1);
  SoupMultipart *multipart;
  g_autofree char *text = NULL;

  seedream_multipart_stream_add_file (body, "we\"ird\r\nname", file, "c\"a\r\nt.png", "image/png", 1);
  seedream_multipart_stream_add_file (body, "latin1", file, "caf\xe9.png", "image/png", 1);
  seedream_multipart_stream_add_file (body, "utf8", file, "café.png", "image/png", 1);

  bytes = read_all_in_chunks (G_INPUT_STREAM (body), 7, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_bytes_get_size (bytes), ==, seedream_multipart_stream_get_length (body));
  g_assert_true (g_utf8_validate (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));

  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (text, "name=\"we%22ird%0D%0Aname\"; filename=\"c%22a%0D%0At.png\"\r\n"));

  soup_message_headers_replace (headers, "Content-Type", seedream_multipart_stream_get_content_type (body));
  multipart = soup_multipart_new_from_message (headers, bytes);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 3);
  assert_part (multipart, 0, "we%22ird%0D%0Aname", "c%22a%0D%0At.png", "image/png", x);
  assert_part (multipart, 1, "latin1", "caf\xef\xbf\xbd.png", "image/png", x);
  assert_part (multipart, 2, "utf8", "café.png", "image/png", x);
  soup_multipart_free (multipart);
}

/* 1-byte and odd-sized reads give the same bytes as one big read. */
static void
test_multipart_chunk_sizes (Fixture       *fixture,
                            gconstpointer  data)
{
  gsize chunks[] = { 1 << 20, 1, 2, 3, 7, 13, 255, 4093, 65536 };
  g_autoptr(GBytes) reference = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr(SeedreamMultipartStream) body = make_body (fixture, "same-boundary", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      bytes = read_all_in_chunks (G_INPUT_STREAM (body), chunks[i], &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_bytes_get_size (bytes), ==, seedream_multipart_stream_get_length (body));

      if (reference == NULL)
        reference = g_bytes_ref (bytes);
      else
        g_assert_true (g_bytes_equal (bytes, reference));
    }
}

/* Same boundary, so the bytes must be identical. */
static void
test_multipart_chunk_sizes_identical (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GBytes) image = make_binary (100003);
  g_autoptr(GFile) file = write_file (fixture, "big.webp", g_bytes_get_data (image, NULL), g_bytes_get_size (image));
  gsize chunks[] = { 1, 3, 7, 13, 4093, 65536 };
  g_autoptr(GBytes) reference = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autoptr(SeedreamMultipartStream) body = seedream_multipart_stream_new_with_boundary ("fixed-boundary");
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      seedream_multipart_stream_add_text (body, "a", "1");
      seedream_multipart_stream_add_file (body, "f", file, "big.webp", "image/webp", g_bytes_get_size (image));
      seedream_multipart_stream_add_text (body, "b", "2");
      seedream_multipart_stream_add_file (body, "g", file, "again.webp", "image/webp", g_bytes_get_size (image));

      bytes = read_all_in_chunks (G_INPUT_STREAM (body), chunks[i], &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_bytes_get_size (bytes), ==, seedream_multipart_stream_get_length (body));

      if (reference == NULL)
        reference = g_bytes_ref (bytes);
      else
        g_assert_true (g_bytes_equal (bytes, reference));
    }
}

static void
assert_fails_changed (SeedreamMultipartStream *body,
                      gsize                    chunk,
                      const char              *how)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = read_all_in_chunks (G_INPUT_STREAM (body), chunk, &error);

  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“cat.png”"));
  g_assert_nonnull (strstr (error->message, how));
}

/* Declared sizes that the file does not have when it is opened. */
static void
test_multipart_size_mismatch (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "cat.png", "0123456789", 10);
  g_autoptr(SeedreamMultipartStream) shorter = seedream_multipart_stream_new ();
  g_autoptr(SeedreamMultipartStream) longer = seedream_multipart_stream_new ();

  seedream_multipart_stream_add_file (shorter, "sourceImage", file, "cat.png", "image/png", 11);
  assert_fails_changed (shorter, 3, "shorter");

  seedream_multipart_stream_add_file (longer, "sourceImage", file, "cat.png", "image/png", 9);
  assert_fails_changed (longer, 3, "longer");
}

/* A file that changes while it is being streamed. */
static void
test_multipart_changes_while_streaming (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GBytes) image = make_binary (300000);
  g_autoptr(GFile) file = write_file (fixture, "cat.png", g_bytes_get_data (image, NULL), g_bytes_get_size (image));
  g_autofree char *path = g_file_get_path (file);
  guint8 buffer[65536];

  for (guint variant = 0; variant < 2; variant++)
    {
      g_autoptr(SeedreamMultipartStream) body = seedream_multipart_stream_new ();
      g_autoptr(GError) error = NULL;
      gssize n;

      g_file_set_contents (path, g_bytes_get_data (image, NULL), g_bytes_get_size (image), &error);
      g_assert_no_error (error);

      seedream_multipart_stream_add_file (body, "sourceImage", file, "cat.png", "image/png",
                                          g_bytes_get_size (image));

      /* The part header, then a first piece of the file. */
      n = g_input_stream_read (G_INPUT_STREAM (body), buffer, sizeof buffer, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      n = g_input_stream_read (G_INPUT_STREAM (body), buffer, sizeof buffer, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, sizeof buffer);

      if (variant == 0)
        {
          /* Same inode, fewer bytes. */
          g_assert_cmpint (truncate (path, 100000), ==, 0);
          assert_fails_changed (body, sizeof buffer, "shorter");
        }
      else
        {
          g_autoptr(GFileOutputStream) out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, &error);

          g_assert_no_error (error);
          g_output_stream_write_all (G_OUTPUT_STREAM (out), "more", 4, NULL, NULL, &error);
          g_assert_no_error (error);
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
          g_assert_no_error (error);
          assert_fails_changed (body, sizeof buffer, "longer");
        }
    }
}

static void
test_multipart_missing_file (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "gone.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SeedreamMultipartStream) body = seedream_multipart_stream_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  seedream_multipart_stream_add_text (body, "prompt", "hello");
  seedream_multipart_stream_add_file (body, "sourceImage", file, "gone.png", "image/png", 10);
  bytes = read_all_in_chunks (G_INPUT_STREAM (body), 4096, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“gone.png”"));
}

/* Closing half-way through a file closes the file; no leak (ASan). */
static void
test_multipart_close_midway (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SeedreamMultipartStream) body = make_body (fixture, NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint8 buffer[1000];
  gsize total = 0;

  while (total < 2000)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (body), buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      total += (gsize) n;
    }

  g_assert_true (g_input_stream_close (G_INPUT_STREAM (body), NULL, &error));
  g_assert_no_error (error);

  /* Reading a closed stream is an error, not a crash. */
  g_assert_cmpint (g_input_stream_read (G_INPUT_STREAM (body), buffer, sizeof buffer, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
test_multipart_no_parts_after_reading (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(SeedreamMultipartStream) body = seedream_multipart_stream_new ();
  guint8 byte;
  goffset length;

  seedream_multipart_stream_add_text (body, "a", "b");
  g_assert_cmpint (g_input_stream_read (G_INPUT_STREAM (body), &byte, 1, NULL, NULL), ==, 1);
  length = seedream_multipart_stream_get_length (body);

  g_test_expect_message ("seedream-multipart-stream", G_LOG_LEVEL_CRITICAL, "*sealed*");
  seedream_multipart_stream_add_text (body, "c", "d");
  g_test_assert_expected_messages ();

  g_assert_cmpint (seedream_multipart_stream_get_length (body), ==, length);
}

static guint64
read_vm_hwm_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  if (line == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

/* A 200 MiB (sparse) attachment streams in 64 KiB reads without the
 * process growing with it. */
static void
test_multipart_large_file (Fixture       *fixture,
                           gconstpointer  data)
{
  const guint64 size = 200 * 1024 * 1024;
  g_autofree char *path = g_build_filename (fixture->dir, "huge.tiff", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(SeedreamMultipartStream) body = seedream_multipart_stream_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  guint64 total = 0;
  guint64 hwm_before;
  guint64 hwm_after;
  guint64 nonzero = 0;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_seekable_truncate (G_SEEKABLE (out), (goffset) size, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);

  seedream_multipart_stream_add_text (body, "prompt", "huge");
  seedream_multipart_stream_add_file (body, "sourceImage", file, "huge.tiff", "image/tiff", size);
  g_assert_cmpint (seedream_multipart_stream_get_length (body), >, (goffset) size);
  g_assert_cmpint (seedream_multipart_stream_get_length (body), <, (goffset) size + 1024);

  hwm_before = read_vm_hwm_kib ();

  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (body), buffer, 64 * 1024, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        break;
      for (gssize i = 0; i < n; i++)
        nonzero += buffer[i] != 0;
      total += (guint64) n;
    }

  hwm_after = read_vm_hwm_kib ();

  g_assert_cmpuint (total, ==, (guint64) seedream_multipart_stream_get_length (body));
  /* Only the headers and delimiters are not zeros. */
  g_assert_cmpuint (nonzero, <, 1024);
  g_assert_cmpuint (nonzero, >, 50);

  g_test_message ("VmHWM %" G_GUINT64_FORMAT " kB before, %" G_GUINT64_FORMAT " kB after",
                  hwm_before, hwm_after);
  if (hwm_before > 0)
    g_assert_cmpuint (hwm_after - hwm_before, <, 32 * 1024);
}

static void
read_all_async_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The default async read (a thread running read_fn) works too. */
static void
test_multipart_async (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SeedreamMultipartStream) body = make_body (fixture, NULL, NULL);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gssize spliced;

  g_output_stream_splice_async (out, G_INPUT_STREAM (body),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, read_all_async_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  spliced = g_output_stream_splice_finish (out, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (spliced, ==, seedream_multipart_stream_get_length (body));
  g_assert_cmpint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, spliced);
}

/* A local server that keeps the last request. */
typedef struct
{
  SoupServer *server;
  char       *url;
  char       *content_type;
  goffset     content_length;
  GBytes     *body;
} Server;

static void
server_handler (SoupServer        *soup_server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_clear_pointer (&server->body, g_bytes_unref);
  g_set_str (&server->content_type, soup_message_headers_get_one (headers, "Content-Type"));
  server->content_length = soup_message_headers_get_content_length (headers);
  server->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

static void
server_start (Server *server)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, server_handler, server, NULL);
  soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server->server);
  g_assert_nonnull (uris);
  server->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
server_stop (Server *server)
{
  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->content_type, g_free);
  g_clear_pointer (&server->body, g_bytes_unref);
}

/* Over HTTP with libsoup, as the client sends it: Content-Length is the
 * stream's length and the server parses every part. */
static void
test_multipart_over_http (Fixture       *fixture,
                          gconstpointer  data)
{
  Server server = { 0 };
  g_autoptr(GBytes) image = NULL;
  g_autoptr(SeedreamMultipartStream) body = make_body (fixture, NULL, &image);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  SoupMultipart *multipart;
  goffset length = seedream_multipart_stream_get_length (body);

  server_start (&server);

  msg = soup_message_new ("POST", server.url);
  soup_message_set_request_body (msg, seedream_multipart_stream_get_content_type (body),
                                 G_INPUT_STREAM (body), length);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, read_all_async_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  response = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);

  g_assert_cmpint (server.content_length, ==, length);
  g_assert_cmpint (g_bytes_get_size (server.body), ==, length);
  g_assert_cmpstr (server.content_type, ==, seedream_multipart_stream_get_content_type (body));

  soup_message_headers_replace (headers, "Content-Type", server.content_type);
  multipart = soup_multipart_new_from_message (headers, server.body);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 6);
  assert_part (multipart, 4, "sourceImage", "cat.png", "image/png", image);
  soup_multipart_free (multipart);

  server_stop (&server);
}

static void
subprocess_wait_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Byte for byte what `curl -F` sends, with curl's own boundary. */
static void
test_multipart_same_as_curl (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *curl = g_find_program_in_path ("curl");
  Server server = { 0 };
  g_autoptr(GBytes) image = make_binary (5000);
  g_autoptr(GFile) file = write_file (fixture, "cat.png", g_bytes_get_data (image, NULL), g_bytes_get_size (image));
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *file_arg = NULL;
  g_autofree char *quoted_arg = NULL;
  g_autofree char *prompt_arg = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GBytes) ours = NULL;
  const char *boundary;
  const char *prompt = "a “red” fox, \"quoted\"";

  if (curl == NULL)
    {
      g_test_skip ("curl is not installed");
      return;
    }

  server_start (&server);

  prompt_arg = g_strconcat ("prompt=", prompt, NULL);
  file_arg = g_strdup_printf ("sourceImage=@%s;type=image/png", path);
  quoted_arg = g_strdup_printf ("sourceImage=@%s;type=image/webp;filename=\"c\\\"a\\\"t.webp\"", path);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              curl, "-sS", "--fail", "-o", "/dev/null",
                              "--form-string", "category=seedreamv45",
                              "--form-string", prompt_arg,
                              "-F", file_arg,
                              "-F", quoted_arg,
                              server.url, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, subprocess_wait_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait_check_finish (process, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server.body);

  g_assert_true (g_str_has_prefix (server.content_type, "multipart/form-data; boundary="));
  boundary = server.content_type + strlen ("multipart/form-data; boundary=");

  body = seedream_multipart_stream_new_with_boundary (boundary);
  seedream_multipart_stream_add_text (body, "category", "seedreamv45");
  seedream_multipart_stream_add_text (body, "prompt", prompt);
  seedream_multipart_stream_add_file (body, "sourceImage", file, "cat.png", "image/png",
                                      g_bytes_get_size (image));
  seedream_multipart_stream_add_file (body, "sourceImage", file, "c\"a\"t.webp", "image/webp",
                                      g_bytes_get_size (image));
  g_assert_cmpint (seedream_multipart_stream_get_length (body), ==, server.content_length);

  ours = read_all_in_chunks (G_INPUT_STREAM (body), 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (ours, NULL), g_bytes_get_size (ours),
                   g_bytes_get_data (server.body, NULL), g_bytes_get_size (server.body));

  server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/seedream/multipart-stream/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("round-trip", test_multipart_round_trip);
  ADD ("exact-bytes", test_multipart_exact_bytes);
  ADD ("escaping", test_multipart_escaping);
  ADD ("chunk-sizes", test_multipart_chunk_sizes);
  ADD ("chunk-sizes-identical", test_multipart_chunk_sizes_identical);
  ADD ("size-mismatch", test_multipart_size_mismatch);
  ADD ("changes-while-streaming", test_multipart_changes_while_streaming);
  ADD ("missing-file", test_multipart_missing_file);
  ADD ("close-midway", test_multipart_close_midway);
  ADD ("no-parts-after-reading", test_multipart_no_parts_after_reading);
  ADD ("large-file", test_multipart_large_file);
  ADD ("async", test_multipart_async);
  ADD ("over-http", test_multipart_over_http);
  ADD ("same-as-curl", test_multipart_same_as_curl);

#undef ADD

  g_test_add_func ("/seedream/multipart-stream/empty", test_multipart_empty);
  g_test_add_func ("/seedream/multipart-stream/boundary", test_multipart_boundary);

  return g_test_run ();
}
