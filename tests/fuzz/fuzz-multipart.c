/* fuzz-multipart.c: any text fields and file contents, sent as our
 * streamed multipart body and read back by libsoup's own parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is split at zero bytes: the first piece is a text field's
 * value, the second a file name, the rest are file contents. The body must
 * be exactly as long as announced, and libsoup must find every part with
 * its name, file name and bytes unchanged.
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdint.h>
#include <string.h>

#include "seedream-multipart-stream.h"

#define MAX_FILES 4

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static char *tmpdir;

/* A piece as valid UTF-8 (an empty GBytes may have no data at all). */
static char *
piece_as_text (GBytes *piece)
{
  gsize len = 0;
  const char *text = g_bytes_get_data (piece, &len);

  return len > 0 ? g_utf8_make_valid (text, (gssize) len) : g_strdup ("");
}

static GBytes *
read_all (GInputStream *stream)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  guint8 buffer[1021];   /* odd, so reads cut across part boundaries */
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (all, buffer, (guint) n);
  g_assert_cmpint (n, ==, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

static gboolean
is_plain_name (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || strchr ("\"\\/%", *p) != NULL)
      return FALSE;

  return TRUE;
}

static void
assert_part (SoupMultipart *multipart,
             int            index,
             const char    *name,
             const char    *filename,
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
  /* File names are written escaped, and libsoup keeps only what follows
   * the last slash (the app sends base names, which have none): only plain
   * names must come back equal. */
  if (filename != NULL && is_plain_name (filename))
    g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, filename);
  g_assert_true (g_bytes_equal (body, expected));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SeedreamMultipartStream) stream = seedream_multipart_stream_new ();
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) text_bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *filename = NULL;
  SoupMultipart *multipart;
  gsize start = 0;

  if (tmpdir == NULL)
    tmpdir = g_dir_make_tmp ("fuzz-multipart-XXXXXX", NULL);

  for (gsize i = 0; i <= size && pieces->len < 2 + MAX_FILES; i++)
    if (i == size || data[i] == 0)
      {
        g_ptr_array_add (pieces, g_bytes_new (data + start, i - start));
        start = i + 1;
      }

  /* Text values are UTF-8 in the app (GTK text); file names too. */
  text = piece_as_text (pieces->pdata[0]);
  seedream_multipart_stream_add_text (stream, "prompt", text);
  if (pieces->len > 1)
    filename = piece_as_text (pieces->pdata[1]);
  else
    filename = g_strdup ("image.png");

  for (guint i = 2; i < pieces->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/file-%u", tmpdir, i);
      GBytes *contents = pieces->pdata[i];
      GFile *file;

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (contents, NULL),
                                          (gssize) g_bytes_get_size (contents), NULL));
      file = g_file_new_for_path (path);
      g_ptr_array_add (files, file);
      seedream_multipart_stream_add_file (stream, "sourceImage", file, filename, "image/png",
                                          g_bytes_get_size (contents));
    }

  body = read_all (G_INPUT_STREAM (stream));
  g_assert_cmpint ((goffset) g_bytes_get_size (body), ==, seedream_multipart_stream_get_length (stream));
  g_assert_true (g_input_stream_close (G_INPUT_STREAM (stream), NULL, NULL));

  soup_message_headers_replace (headers, "Content-Type", seedream_multipart_stream_get_content_type (stream));
  multipart = soup_multipart_new_from_message (headers, body);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 1 + (int) files->len);

  text_bytes = g_bytes_new_static (text, strlen (text));
  assert_part (multipart, 0, "prompt", NULL, text_bytes);
  for (guint i = 2; i < pieces->len; i++)
    assert_part (multipart, (int) i - 1, "sourceImage", filename, pieces->pdata[i]);

  soup_multipart_free (multipart);

  for (guint i = 0; i < files->len; i++)
    g_file_delete (files->pdata[i], NULL, NULL);

  return 0;
}
