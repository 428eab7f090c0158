/* test-image-metadata.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The metadata written into result files, read back with gexiv2 and with
 * the exiv2 tool; the pixel data and what the provider put there untouched.
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gexiv2/gexiv2.h>

#include "seedream-image-metadata.h"
#include "seedream-test-util.h"

#define PROMPT "lang=de A red fox, \"quoted\" & <tagged>, ünïcödé 🦊"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("seedream-metadata-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  seedream_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static SeedreamImageMetadata *
new_metadata (void)
{
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 3, 14, 15, 9, 26);

  return seedream_image_metadata_new (PROMPT, "seedream-4.5", "2048x2048", 2, "task-abc123", created);
}

/* PNG chunks {{{1 */

/* @png with @type/@chunk put just before its IEND. */
static GBytes *
png_with_chunk (GBytes       *png,
                const char   *type,
                const guint8 *chunk,
                gsize         len)
{
  gsize png_len = 0;
  const guint8 *data = g_bytes_get_data (png, &png_len);
  GByteArray *out = g_byte_array_new ();

  g_assert_cmpmem (data + png_len - 8, 4, "IEND", 4);
  g_byte_array_append (out, data, png_len - 12);
  seedream_test_png_append_chunk (out, type, chunk, len);
  seedream_test_png_append_chunk (out, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (out);
}

/* The text of the iTXt chunk named @keyword, inflated if need be. */
static char *
png_itxt (GBytes     *png,
          const char *keyword)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (png, &len);
  gsize pos = 8;

  while (pos + 12 <= len)
    {
      guint32 n = ((guint32) data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];
      const guint8 *chunk = data + pos + 8;

      if (memcmp (data + pos + 4, "iTXt", 4) == 0 && n > strlen (keyword) + 2 &&
          strcmp ((const char *) chunk, keyword) == 0)
        {
          const guint8 *p = chunk + strlen (keyword) + 1;
          const guint8 *end = chunk + n;
          gboolean compressed = p[0] != 0;

          p += 2;
          p = (const guint8 *) memchr (p, 0, end - p) + 1;   /* language */
          p = (const guint8 *) memchr (p, 0, end - p) + 1;   /* translated keyword */
          if (!compressed)
            return g_strndup ((const char *) p, end - p);
          else
            {
              g_autoptr(GConverter) zlib = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
              g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data (p, end - p, NULL);
              g_autoptr(GInputStream) in = g_converter_input_stream_new (raw, zlib);
              g_autoptr(GBytes) text = g_input_stream_read_bytes (in, 1 << 20, NULL, NULL);

              return g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
            }
        }
      pos += 12 + n;
    }

  return NULL;
}

/* JPEG segments {{{1 */

/* Everything from the first SOS on: the entropy-coded image data. */
static GBytes *
jpeg_scan (GBytes *jpeg)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &len);
  gsize pos = 2;

  while (pos + 4 <= len && data[pos] == 0xff)
    {
      if (data[pos + 1] == 0xda)
        return g_bytes_new (data + pos, len - pos);
      pos += 2 + ((data[pos + 2] << 8) | data[pos + 3]);
    }

  g_assert_not_reached ();
}

/* The payloads of every APPn segment (0xe0 + n), concatenated. */
static GBytes *
jpeg_segments (GBytes *jpeg,
               guint8  marker)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &len);
  GByteArray *out = g_byte_array_new ();
  gsize pos = 2;

  while (pos + 4 <= len && data[pos] == 0xff && data[pos + 1] != 0xda)
    {
      gsize n = (data[pos + 2] << 8) | data[pos + 3];

      if (data[pos + 1] == marker)
        g_byte_array_append (out, data + pos + 4, n - 2);
      pos += 2 + n;
    }

  return g_byte_array_free_to_bytes (out);
}

static GBytes *
jpeg_with_segment (GBytes       *jpeg,
                   guint8        marker,
                   const guint8 *payload,
                   gsize         len)
{
  gsize jpeg_len = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &jpeg_len);
  GByteArray *out = g_byte_array_new ();
  guint8 head[4] = { 0xff, marker, ((len + 2) >> 8) & 0xff, (len + 2) & 0xff };

  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, head, 4);
  g_byte_array_append (out, payload, len);
  g_byte_array_append (out, data + 2, jpeg_len - 2);

  return g_byte_array_free_to_bytes (out);
}

/* Helpers {{{1 */

static GBytes *
load (GFile *file)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
write_metadata (GFile *file)
{
  g_autoptr(SeedreamImageMetadata) metadata = new_metadata ();
  g_autoptr(GError) error = NULL;

  g_assert_true (seedream_image_metadata_write (metadata, file, NULL, &error));
  g_assert_no_error (error);
}

static char *
get_tag (GExiv2Metadata *md,
         const char     *tag)
{
  g_autoptr(GError) error = NULL;
  char *value = gexiv2_metadata_try_get_tag_string (md, tag, &error);

  g_assert_no_error (error);
  return value;
}

static void
assert_metadata_read_back (GFile *file)
{
  g_autoptr(GExiv2Metadata) md = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *description = NULL;
  g_autofree char *tool = NULL;
  g_autofree char *date = NULL;
  g_autofree char *model = NULL;
  g_autofree char *size = NULL;
  g_autofree char *number = NULL;
  g_autofree char *task = NULL;

  gexiv2_metadata_open_path (md, g_file_peek_path (file), &error);
  g_assert_no_error (error);

  source = get_tag (md, "Xmp.iptcExt.DigitalSourceType");
  g_assert_cmpstr (source, ==, SEEDREAM_DIGITAL_SOURCE_TYPE);
  description = get_tag (md, "Xmp.dc.description");
  g_assert_nonnull (strstr (description, PROMPT));
  tool = get_tag (md, "Xmp.xmp.CreatorTool");
  g_assert_cmpstr (tool, ==, "Seedream Studio " PACKAGE_VERSION);
  date = get_tag (md, "Xmp.xmp.CreateDate");
  g_assert_true (g_str_has_prefix (date, "2026-03-14T15:09:26"));
  model = get_tag (md, "Xmp.seedream.Model");
  g_assert_cmpstr (model, ==, "seedream-4.5");
  size = get_tag (md, "Xmp.seedream.Size");
  g_assert_cmpstr (size, ==, "2048x2048");
  number = get_tag (md, "Xmp.seedream.BatchNumber");
  g_assert_cmpstr (number, ==, "3");
  task = get_tag (md, "Xmp.seedream.TaskId");
  g_assert_cmpstr (task, ==, "task-abc123");
}

static GFile *
copy_image (Fixture    *fixture,
            const char *name)
{
  g_autoptr(GBytes) bytes = seedream_test_load_image (name);

  return seedream_test_write_file (fixture->dir, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
assert_only_file (Fixture    *fixture,
                  const char *name)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);

  g_assert_cmpstr (g_dir_read_name (dir), ==, name);
  g_assert_null (g_dir_read_name (dir));
}

/* Tests {{{1 */

static void
test_png (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GFile) file = copy_image (fixture, "rgb-300x257.png");
  g_autoptr(GBytes) before = load (file);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) idat_before = NULL;
  g_autoptr(GBytes) idat_after = NULL;
  g_autofree char *description = NULL;

  write_metadata (file);
  assert_metadata_read_back (file);

  after = load (file);
  idat_before = seedream_test_png_chunks (before, "IDAT");
  idat_after = seedream_test_png_chunks (after, "IDAT");
  g_assert_cmpuint (g_bytes_get_size (idat_before), >, 0);
  g_assert_true (g_bytes_equal (idat_before, idat_after));

  description = png_itxt (after, "Description");
  g_assert_cmpstr (description, ==, PROMPT);

  /* No copy left beside it. */
  assert_only_file (fixture, "rgb-300x257.png");
}

static void
test_jpeg (Fixture       *fixture,
           gconstpointer  data)
{
  const char *name = data;
  g_autoptr(GFile) file = copy_image (fixture, name);
  g_autoptr(GBytes) before = load (file);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) scan_before = NULL;
  g_autoptr(GBytes) scan_after = NULL;

  write_metadata (file);
  assert_metadata_read_back (file);

  after = load (file);
  scan_before = jpeg_scan (before);
  scan_after = jpeg_scan (after);
  g_assert_true (g_bytes_equal (scan_before, scan_after));
  assert_only_file (fixture, name);
}

/* The exiv2 tool, not the library we wrote with, reads the same. */
static void
test_exiv2_tool (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *name = data;
  g_autoptr(GFile) file = copy_image (fixture, name);
  g_autofree char *exiv2 = g_find_program_in_path ("exiv2");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { NULL, "-PXkv", NULL, NULL };

  if (exiv2 == NULL)
    {
      g_test_skip ("the exiv2 tool is not installed (build-aux/packages.txt has it)");
      return;
    }

  write_metadata (file);

  argv[0] = exiv2;
  argv[2] = g_file_peek_path (file);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_nonnull (strstr (out, "Xmp.iptcExt.DigitalSourceType"));
  g_assert_nonnull (strstr (out, SEEDREAM_DIGITAL_SOURCE_TYPE));
  g_assert_nonnull (strstr (out, PROMPT));
  g_assert_nonnull (strstr (out, "Seedream Studio " PACKAGE_VERSION));
  g_assert_nonnull (strstr (out, "task-abc123"));
}

#define PROVIDER_XMP \
  "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>" \
  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" \
  "<rdf:Description rdf:about=\"\" xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\"" \
  " photoshop:Credit=\"Made by the provider\"/>" \
  "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"

static void
test_keeps_provider_xmp (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GBytes) png = seedream_test_load_image ("rgb-300x257.png");
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  g_autoptr(GBytes) with_xmp = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GExiv2Metadata) md = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *credit = NULL;

  g_byte_array_append (chunk, (const guint8 *) "XML:com.adobe.xmp\0\0\0\0", 22);
  g_byte_array_append (chunk, (const guint8 *) PROVIDER_XMP, strlen (PROVIDER_XMP));
  with_xmp = png_with_chunk (png, "iTXt", chunk->data, chunk->len);
  file = seedream_test_write_file (fixture->dir, "0.png", g_bytes_get_data (with_xmp, NULL), g_bytes_get_size (with_xmp));

  write_metadata (file);
  assert_metadata_read_back (file);

  gexiv2_metadata_open_path (md, g_file_peek_path (file), &error);
  g_assert_no_error (error);
  credit = get_tag (md, "Xmp.photoshop.Credit");
  g_assert_cmpstr (credit, ==, "Made by the provider");
}

/* A C2PA manifest: a caBX chunk in PNG, APP11 (JUMBF) segments in JPEG.
 * Not a valid manifest; what matters is that its bytes stay. */
static const guint8 fake_jumbf[] = "JP\x00\x01\x00\x00\x00\x01\x00\x00\x00\x20jumbc2pa-manifest-store-bytes";

static void
test_keeps_c2pa_png (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) png = seedream_test_load_image ("rgb-300x257.png");
  g_autoptr(GBytes) signed_png = png_with_chunk (png, "caBX", fake_jumbf, sizeof fake_jumbf);
  g_autoptr(GFile) file = seedream_test_write_file (fixture->dir, "0.png", g_bytes_get_data (signed_png, NULL), g_bytes_get_size (signed_png));
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) manifest = NULL;

  write_metadata (file);
  assert_metadata_read_back (file);

  after = load (file);
  manifest = seedream_test_png_chunks (after, "caBX");
  g_assert_cmpmem (g_bytes_get_data (manifest, NULL), g_bytes_get_size (manifest),
                   fake_jumbf, sizeof fake_jumbf);
}

static void
test_keeps_c2pa_jpeg (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = seedream_test_load_image ("baseline-300x257.jpg");
  g_autoptr(GBytes) signed_jpeg = jpeg_with_segment (jpeg, 0xeb, fake_jumbf, sizeof fake_jumbf);
  g_autoptr(GFile) file = seedream_test_write_file (fixture->dir, "0.jpg", g_bytes_get_data (signed_jpeg, NULL), g_bytes_get_size (signed_jpeg));
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) manifest = NULL;

  write_metadata (file);
  assert_metadata_read_back (file);

  after = load (file);
  manifest = jpeg_segments (after, 0xeb);
  g_assert_cmpmem (g_bytes_get_data (manifest, NULL), g_bytes_get_size (manifest),
                   fake_jumbf, sizeof fake_jumbf);
}

/* A file that cannot carry XMP stays as it was, with nothing beside it. */
static void
test_unsupported (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = copy_image (fixture, "v3-300x257.bmp");
  g_autoptr(GBytes) before = load (file);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(SeedreamImageMetadata) metadata = new_metadata ();
  g_autoptr(GError) error = NULL;

  g_assert_false (seedream_image_metadata_write (metadata, file, NULL, &error));
  g_assert_nonnull (error);

  after = load (file);
  g_assert_true (g_bytes_equal (before, after));
  assert_only_file (fixture, "v3-300x257.bmp");
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GFile) file = copy_image (fixture, "progressive-300x257.jpg");
  g_autoptr(SeedreamImageMetadata) metadata = new_metadata ();
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  seedream_image_metadata_write_async (metadata, file, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (seedream_image_metadata_write_finish (metadata, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);

  assert_metadata_read_back (file);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/seedream/image-metadata/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("png", test_png, NULL);
  ADD ("jpeg/baseline", test_jpeg, "baseline-300x257.jpg");
  ADD ("jpeg/progressive", test_jpeg, "progressive-300x257.jpg");
  ADD ("exiv2-tool/png", test_exiv2_tool, "rgb-300x257.png");
  ADD ("exiv2-tool/jpeg", test_exiv2_tool, "baseline-300x257.jpg");
  ADD ("keeps/provider-xmp", test_keeps_provider_xmp, NULL);
  ADD ("keeps/c2pa-png", test_keeps_c2pa_png, NULL);
  ADD ("keeps/c2pa-jpeg", test_keeps_c2pa_jpeg, NULL);
  ADD ("unsupported", test_unsupported, NULL);
  ADD ("async", test_async, NULL);

  return g_test_run ();
}
