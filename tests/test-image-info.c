/* test-image-info.c: image types by content, sizes from headers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixtures in tests/data/images/ were made with ImageMagick 7 in the
 * Debian 13 root (build-aux/dev shell), all 300 × 257 pixels so that both
 * sides need two bytes and differ:
 *   convert -size 300x257 gradient:"#336699-#99ccff" ... OUT
 * with PNG24:, -colors 16 (GIF), -quality 50 [-set comment ...] (JPEG),
 * -interlace Plane (progressive JPEG), WebP lossy, lossless
 * (-define webp:lossless=true) and with alpha (a VP8X file), -monochrome
 * with BMP3: (40-byte header), BMP2: (OS/2, 12-byte header) and BMP:
 * (108-byte header), and TIFF with -compress lzw -endian LSB / MSB.
 */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "seedream-image-info.h"
#include "seedream-test-util.h"

typedef struct
{
  const char *name;
  const char *mime_type;
} Fixture;

static const Fixture fixtures[] = {
  { "rgb-300x257.png", "image/png" },
  { "gif-300x257.gif", "image/gif" },
  { "baseline-300x257.jpg", "image/jpeg" },
  { "progressive-300x257.jpg", "image/jpeg" },
  { "lossy-300x257.webp", "image/webp" },
  { "lossless-300x257.webp", "image/webp" },
  { "alpha-300x257.webp", "image/webp" },
  { "v3-300x257.bmp", "image/bmp" },
  { "os2-300x257.bmp", "image/bmp" },
  { "v4-300x257.bmp", "image/bmp" },
  { "intel-300x257.tiff", "image/tiff" },
  { "motorola-300x257.tiff", "image/tiff" },
};

/* Exactly @len bytes on the heap, so that ASan sees any read past them. */
static guint8 *
exact_copy (const guint8 *data,
            gsize         len)
{
  g_assert_cmpuint (len, <, 1 << 24);

  return len == 0 ? g_malloc (1) : g_memdup2 (data, len);
}

static const char *
sniff (const guint8 *data,
       gsize         len)
{
  g_autofree guint8 *copy = exact_copy (data, len);

  return seedream_image_sniff_mime_type (copy, len);
}

static gboolean
dimensions (const guint8 *data,
            gsize         len,
            guint        *width,
            guint        *height)
{
  g_autofree guint8 *copy = exact_copy (data, len);

  return seedream_image_read_dimensions (copy, len, width, height);
}

static void
test_image_info_fixtures (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GBytes) bytes = seedream_test_load_image (fixtures[i].name);
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      guint width = 0;
      guint height = 0;

      g_test_message ("%s", fixtures[i].name);
      g_assert_cmpstr (sniff (data, len), ==, fixtures[i].mime_type);
      g_assert_true (dimensions (data, len, &width, &height));
      g_assert_cmpuint (width, ==, 300);
      g_assert_cmpuint (height, ==, 257);
    }
}

/* Every prefix of every fixture: no read past the end (ASan), and either
 * no answer or the right one. */
static void
test_image_info_truncated (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GBytes) bytes = seedream_test_load_image (fixtures[i].name);
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      gsize first_found = G_MAXSIZE;

      for (gsize prefix = 0; prefix <= len; prefix++)
        {
          const char *mime_type = sniff (data, prefix);
          guint width = 0;
          guint height = 0;

          if (mime_type != NULL)
            g_assert_cmpstr (mime_type, ==, fixtures[i].mime_type);

          if (dimensions (data, prefix, &width, &height))
            {
              g_assert_cmpstr (mime_type, ==, fixtures[i].mime_type);
              g_assert_cmpuint (width, ==, 300);
              g_assert_cmpuint (height, ==, 257);
              first_found = MIN (first_found, prefix);
            }
          else
            {
              /* Once the header is in, more bytes do not lose it. */
              g_assert_cmpuint (prefix, <, first_found);
            }
        }

      /* The size is in the first bytes, not at the end (except in TIFF,
       * whose IFD these files put last). */
      g_test_message ("%s: size known from %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                      fixtures[i].name, first_found, len);
      if (!g_str_equal (fixtures[i].mime_type, "image/tiff"))
        g_assert_cmpuint (first_found, <, 1024);
    }
}

static void
test_image_info_not_images (void)
{
  const char *texts[] = {
    "",
    "hello",
    "BM",
    "BMP is a format",
    "GIF88a and more bytes here",
    "RIFF\x10\0\0\0WAVEfmt ",
    "\x89PNX\r\n\x1a\n",
    "\xff\xd8",
    "II*",
    "MM\0+\0\0\0\x08",
    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    "%PDF-1.7",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      /* Several contain NUL bytes: give the literal's true length. */
      gsize len = strlen (texts[i]);

      if (g_str_has_prefix (texts[i], "RIFF"))
        len = 16;
      else if (g_str_has_prefix (texts[i], "MM"))
        len = 8;

      g_assert_null (sniff ((const guint8 *) texts[i], len));
      g_assert_false (dimensions ((const guint8 *) texts[i], len, NULL, NULL));
    }

  g_assert_null (seedream_image_sniff_mime_type (NULL, 0));
  g_assert_false (seedream_image_read_dimensions (NULL, 0, NULL, NULL));
}

static void
test_image_info_png (void)
{
  guint8 png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0x00, 0x01, 0x02, 0x03,   /* width 66051 */
    0x00, 0x00, 0x00, 0x07,   /* height 7 */
  };
  guint width = 0;
  guint height = 0;

  g_assert_true (dimensions (png, sizeof png, &width, &height));
  g_assert_cmpuint (width, ==, 66051);
  g_assert_cmpuint (height, ==, 7);

  /* Zero width */
  png[17] = png[18] = png[19] = 0;
  g_assert_false (dimensions (png, sizeof png, &width, &height));

  /* Beyond 2^31 - 1 */
  png[16] = 0x80;
  g_assert_false (dimensions (png, sizeof png, NULL, NULL));

  /* Not IHDR first */
  png[16] = 0;
  png[19] = 1;
  g_assert_true (dimensions (png, sizeof png, NULL, NULL));
  png[15] = 'X';
  g_assert_false (dimensions (png, sizeof png, NULL, NULL));
  g_assert_cmpstr (sniff (png, sizeof png), ==, "image/png");
}

static void
test_image_info_gif (void)
{
  guint8 gif[] = { 'G', 'I', 'F', '8', '7', 'a', 0x01, 0x00, 0x02, 0x01 };
  guint width = 0;
  guint height = 0;

  g_assert_cmpstr (sniff (gif, sizeof gif), ==, "image/gif");
  g_assert_true (dimensions (gif, sizeof gif, &width, &height));
  g_assert_cmpuint (width, ==, 1);
  g_assert_cmpuint (height, ==, 258);

  gif[6] = 0;
  g_assert_false (dimensions (gif, sizeof gif, NULL, NULL));
}

static void
test_image_info_bmp (void)
{
  guint8 bmp[26] = { 'B', 'M' };
  guint width = 0;
  guint height = 0;

  /* BITMAPINFOHEADER, top-down (negative height) */
  bmp[14] = 40;
  bmp[18] = 0x2c; bmp[19] = 0x01;                                   /* 300 */
  bmp[22] = 0xff; bmp[23] = 0xfe; bmp[24] = 0xff; bmp[25] = 0xff;   /* -257 */
  g_assert_cmpstr (sniff (bmp, sizeof bmp), ==, "image/bmp");
  g_assert_true (dimensions (bmp, sizeof bmp, &width, &height));
  g_assert_cmpuint (width, ==, 300);
  g_assert_cmpuint (height, ==, 257);

  /* The most negative height: no overflow */
  bmp[22] = 0x00; bmp[23] = 0x00; bmp[24] = 0x00; bmp[25] = 0x80;
  g_assert_true (dimensions (bmp, sizeof bmp, &width, &height));
  g_assert_cmpuint (height, ==, 2147483648u);

  /* A negative width is a lie */
  bmp[21] = 0x80;
  g_assert_false (dimensions (bmp, sizeof bmp, NULL, NULL));

  /* An unknown header size: not a BMP at all */
  bmp[14] = 41;
  g_assert_null (sniff (bmp, sizeof bmp));
  g_assert_false (dimensions (bmp, sizeof bmp, NULL, NULL));

  /* An OS/2 header needs only 22 bytes */
  memset (bmp, 0, sizeof bmp);
  bmp[0] = 'B'; bmp[1] = 'M';
  bmp[14] = 12;
  bmp[18] = 0x2c; bmp[19] = 0x01;
  bmp[20] = 0x01; bmp[21] = 0x01;
  g_assert_true (dimensions (bmp, 22, &width, &height));
  g_assert_cmpuint (width, ==, 300);
  g_assert_cmpuint (height, ==, 257);
  g_assert_false (dimensions (bmp, 21, NULL, NULL));
}

static void
test_image_info_webp (void)
{
  guint8 vp8[30] = "RIFF\0\0\0\0WEBPVP8 ";
  guint8 vp8l[25] = "RIFF\0\0\0\0WEBPVP8L";
  guint8 vp8x[30] = "RIFF\0\0\0\0WEBPVP8X";
  guint8 other[30] = "RIFF\0\0\0\0WEBPABCD";
  guint width = 0;
  guint height = 0;

  /* Lossy: key frame, start code, 14-bit sizes (the top bits are scale) */
  vp8[20] = 0x10;
  vp8[23] = 0x9d; vp8[24] = 0x01; vp8[25] = 0x2a;
  vp8[26] = 0x2c; vp8[27] = 0xc1;   /* 300, scale bits set */
  vp8[28] = 0x01; vp8[29] = 0x01;   /* 257 */
  g_assert_true (dimensions (vp8, sizeof vp8, &width, &height));
  g_assert_cmpuint (width, ==, 300);
  g_assert_cmpuint (height, ==, 257);
  vp8[20] = 0x11;   /* not a key frame */
  g_assert_false (dimensions (vp8, sizeof vp8, NULL, NULL));
  vp8[20] = 0x10;
  vp8[24] = 0x02;   /* a bad start code */
  g_assert_false (dimensions (vp8, sizeof vp8, NULL, NULL));

  /* Lossless: 16384 × 1 is the largest width */
  vp8l[20] = 0x2f;
  vp8l[21] = 0xff; vp8l[22] = 0x3f; vp8l[23] = 0x00; vp8l[24] = 0x00;
  g_assert_true (dimensions (vp8l, sizeof vp8l, &width, &height));
  g_assert_cmpuint (width, ==, 16384);
  g_assert_cmpuint (height, ==, 1);
  vp8l[20] = 0x2e;
  g_assert_false (dimensions (vp8l, sizeof vp8l, NULL, NULL));

  /* Extended: 24-bit sizes */
  vp8x[24] = 0xff; vp8x[25] = 0xff; vp8x[26] = 0xff;
  vp8x[27] = 0x00; vp8x[28] = 0x01; vp8x[29] = 0x00;
  g_assert_true (dimensions (vp8x, sizeof vp8x, &width, &height));
  g_assert_cmpuint (width, ==, 16777216);
  g_assert_cmpuint (height, ==, 257);
  g_assert_false (dimensions (vp8x, 29, NULL, NULL));

  g_assert_cmpstr (sniff (other, sizeof other), ==, "image/webp");
  g_assert_false (dimensions (other, sizeof other, NULL, NULL));
  g_assert_cmpstr (sniff (other, 12), ==, "image/webp");
  g_assert_false (dimensions (other, 12, NULL, NULL));
}

static void
test_image_info_jpeg (void)
{
  /* SOI, fill bytes, a DHT segment whose bytes look like a frame header,
   * RST0 (no length), then SOF2 with 513 × 1025 (height first). */
  const guint8 good[] = {
    0xff, 0xd8,
    0xff, 0xff, 0xff, 0xc4, 0x00, 0x08, 0x08, 0x00, 0x10, 0x00, 0x20, 0x03,
    0xff, 0xd0,
    0xff, 0xc2, 0x00, 0x0b, 0x08, 0x04, 0x01, 0x02, 0x01, 0x01, 0x01, 0x11, 0x00,
  };
  const guint8 sos_first[] = {
    0xff, 0xd8, 0xff, 0xda, 0x00, 0x04, 0x00, 0x00,
    0xff, 0xc0, 0x00, 0x0b, 0x08, 0x04, 0x01, 0x02, 0x01, 0x01, 0x01, 0x11, 0x00,
  };
  const guint8 dnl_height[] = {
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x00, 0x02, 0x01, 0x01, 0x01, 0x11, 0x00,
  };
  const guint8 runs_past_end[] = {
    0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 0x00, 0x00,
  };
  const guint8 short_length[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0x00, 0x01, 0x00,
  };
  const guint8 lost_sync[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02, 0x12, 0x34,
  };
  const guint8 only_fill[] = {
    0xff, 0xd8, 0xff, 0xff, 0xff, 0xff,
  };
  guint width = 0;
  guint height = 0;

  g_assert_true (dimensions (good, sizeof good, &width, &height));
  g_assert_cmpuint (width, ==, 513);
  g_assert_cmpuint (height, ==, 1025);
  /* Known once the width (bytes 23 and 24) is in. */
  for (gsize prefix = 0; prefix <= sizeof good; prefix++)
    g_assert_cmpint (dimensions (good, prefix, NULL, NULL), ==, prefix >= 25);

  g_assert_false (dimensions (sos_first, sizeof sos_first, NULL, NULL));
  g_assert_false (dimensions (dnl_height, sizeof dnl_height, NULL, NULL));
  g_assert_false (dimensions (runs_past_end, sizeof runs_past_end, NULL, NULL));
  g_assert_false (dimensions (short_length, sizeof short_length, NULL, NULL));
  g_assert_false (dimensions (lost_sync, sizeof lost_sync, NULL, NULL));
  g_assert_false (dimensions (only_fill, sizeof only_fill, NULL, NULL));
  g_assert_cmpstr (sniff (only_fill, sizeof only_fill), ==, "image/jpeg");
}

/* A TIFF with one IFD at offset 8 holding @n_entries entries. */
static guint8 *
make_tiff (gboolean  big_endian,
           guint16   n_entries,
           const guint16 (*entries)[4],  /* tag, type, count, value */
           gsize    *out_len)
{
  gsize len = 8 + 2 + (gsize) n_entries * 12 + 4;
  guint8 *tiff = g_malloc0 (len);

#define PUT16(p, v) G_STMT_START { guint16 v_ = (v); if (big_endian) { (p)[0] = v_ >> 8; (p)[1] = v_ & 0xff; } else { (p)[0] = v_ & 0xff; (p)[1] = v_ >> 8; } } G_STMT_END
#define PUT32(p, v) G_STMT_START { guint32 w_ = (v); if (big_endian) { PUT16 ((p), w_ >> 16); PUT16 ((p) + 2, w_ & 0xffff); } else { PUT16 ((p), w_ & 0xffff); PUT16 ((p) + 2, w_ >> 16); } } G_STMT_END

  memcpy (tiff, big_endian ? "MM\0*" : "II*\0", 4);
  PUT32 (tiff + 4, 8);
  PUT16 (tiff + 8, n_entries);
  for (guint i = 0; i < n_entries; i++)
    {
      guint8 *entry = tiff + 10 + i * 12;

      PUT16 (entry, entries[i][0]);
      PUT16 (entry + 2, entries[i][1]);
      PUT32 (entry + 4, entries[i][2]);
      if (entries[i][1] == 3)
        PUT16 (entry + 8, entries[i][3]);
      else
        PUT32 (entry + 8, entries[i][3]);
    }

#undef PUT16
#undef PUT32

  *out_len = len;
  return tiff;
}

static void
test_image_info_tiff (void)
{
  const guint16 long_sizes[][4] = {
    { 254, 4, 1, 0 },
    { 256, 4, 1, 40000 },
    { 257, 4, 1, 513 },
  };
  const guint16 rational_width[][4] = {
    { 256, 5, 1, 300 },
    { 257, 3, 1, 257 },
  };
  const guint16 two_values[][4] = {
    { 256, 3, 2, 300 },
    { 257, 3, 1, 257 },
  };
  const guint16 height_only[][4] = {
    { 257, 3, 1, 257 },
  };

  for (guint order = 0; order < 2; order++)
    {
      gboolean big_endian = order == 1;
      gsize len = 0;
      g_autofree guint8 *tiff = make_tiff (big_endian, G_N_ELEMENTS (long_sizes), long_sizes, &len);
      g_autofree guint8 *rational = NULL;
      g_autofree guint8 *counted = NULL;
      g_autofree guint8 *half = NULL;
      guint width = 0;
      guint height = 0;

      g_assert_cmpstr (sniff (tiff, len), ==, "image/tiff");
      g_assert_true (dimensions (tiff, len, &width, &height));
      g_assert_cmpuint (width, ==, 40000);
      g_assert_cmpuint (height, ==, 513);

      /* The IFD claims more entries than there are bytes for */
      tiff[big_endian ? 9 : 8] = 0xff;
      tiff[big_endian ? 8 : 9] = 0xff;
      g_assert_true (dimensions (tiff, len, NULL, NULL));   /* found before the end */
      g_assert_false (dimensions (tiff, len - 4 - 12, NULL, NULL));

      /* The IFD offset points past the end, or overflows */
      tiff[4] = tiff[5] = tiff[6] = tiff[7] = 0xff;
      g_assert_false (dimensions (tiff, len, NULL, NULL));
      tiff[4] = tiff[5] = tiff[6] = tiff[7] = 0x00;
      g_assert_false (dimensions (tiff, len, NULL, NULL));

      rational = make_tiff (big_endian, G_N_ELEMENTS (rational_width), rational_width, &len);
      g_assert_false (dimensions (rational, len, NULL, NULL));

      counted = make_tiff (big_endian, G_N_ELEMENTS (two_values), two_values, &len);
      g_assert_false (dimensions (counted, len, NULL, NULL));

      half = make_tiff (big_endian, G_N_ELEMENTS (height_only), height_only, &len);
      g_assert_false (dimensions (half, len, NULL, NULL));
    }
}

/* Random bytes behind every magic number: no crash, no read past the end. */
static void
test_image_info_random (void)
{
  static const struct {
    const char *bytes;
    gsize len;
  } magics[] = {
    { "\x89PNG\r\n\x1a\nxxxxIHDR", 16 },
    { "\xff\xd8\xff", 3 },
    { "GIF89a", 6 },
    { "RIFF\x01\x02\x03\x04WEBPVP8 ", 16 },
    { "RIFF\x01\x02\x03\x04WEBPVP8L", 16 },
    { "RIFF\x01\x02\x03\x04WEBPVP8X", 16 },
    { "BM", 2 },
    { "II*\0", 4 },
    { "MM\0*", 4 },
  };

  for (guint round = 0; round < 5000; round++)
    {
      gsize len = g_test_rand_int_range (0, 200);
      g_autofree guint8 *data = g_malloc (MAX (len, 1));
      guint which = round % G_N_ELEMENTS (magics);

      for (gsize i = 0; i < len; i++)
        data[i] = (guint8) g_test_rand_int_range (0, 256);
      memcpy (data, magics[which].bytes, MIN (len, magics[which].len));

      /* Small offsets for TIFF, so that the IFD often lands inside. */
      if (which >= 7 && len >= 8)
        {
          guint8 offset = (guint8) g_test_rand_int_range (0, 200);

          memset (data + 4, 0, 4);
          data[which == 7 ? 4 : 7] = offset;
        }

      if (seedream_image_read_dimensions (data, len, NULL, NULL))
        g_assert_nonnull (seedream_image_sniff_mime_type (data, len));
    }
}

static void
test_image_info_names (void)
{
  g_assert_cmpstr (seedream_image_mime_type_get_name ("image/png"), ==, "PNG");
  g_assert_cmpstr (seedream_image_mime_type_get_name ("image/jpeg"), ==, "JPEG");
  g_assert_cmpstr (seedream_image_mime_type_get_name ("image/webp"), ==, "WebP");
  g_assert_cmpstr (seedream_image_mime_type_get_name ("image/gif"), ==, "GIF");
  g_assert_cmpstr (seedream_image_mime_type_get_name ("image/bmp"), ==, "BMP");
  g_assert_cmpstr (seedream_image_mime_type_get_name ("image/tiff"), ==, "TIFF");
  g_assert_cmpstr (seedream_image_mime_type_get_name ("image/heic"), ==, "image/heic");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/image-info/fixtures", test_image_info_fixtures);
  g_test_add_func ("/seedream/image-info/truncated", test_image_info_truncated);
  g_test_add_func ("/seedream/image-info/not-images", test_image_info_not_images);
  g_test_add_func ("/seedream/image-info/png", test_image_info_png);
  g_test_add_func ("/seedream/image-info/gif", test_image_info_gif);
  g_test_add_func ("/seedream/image-info/bmp", test_image_info_bmp);
  g_test_add_func ("/seedream/image-info/webp", test_image_info_webp);
  g_test_add_func ("/seedream/image-info/jpeg", test_image_info_jpeg);
  g_test_add_func ("/seedream/image-info/tiff", test_image_info_tiff);
  g_test_add_func ("/seedream/image-info/random", test_image_info_random);
  g_test_add_func ("/seedream/image-info/names", test_image_info_names);

  return g_test_run ();
}
