/* seedream-image-info.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an image file is, decided by its bytes and never by its name, and
 * its pixel size read from the header alone (no decoding). Every read is
 * bounds-checked against the length given: these functions are safe on any
 * bytes, truncated or lying, and are fuzzed (tests/fuzz/fuzz-image-info.c).
 */

#define G_LOG_DOMAIN "seedream-image-info"

#include "config.h"

#include <string.h>

#include "seedream-image-info.h"

static inline guint16
read_be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint16
read_le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static inline guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static inline guint32
read_le32 (const guint8 *p)
{
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

static inline guint32
read_le24 (const guint8 *p)
{
  return ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

static gboolean
has_prefix (const guint8 *data,
            gsize         len,
            gsize         offset,
            const char   *magic,
            gsize         magic_len)
{
  return len >= offset + magic_len && memcmp (data + offset, magic, magic_len) == 0;
}

static gboolean
is_png (const guint8 *data, gsize len)
{
  return has_prefix (data, len, 0, "\x89PNG\r\n\x1a\n", 8);
}

static gboolean
is_jpeg (const guint8 *data, gsize len)
{
  return has_prefix (data, len, 0, "\xff\xd8\xff", 3);
}

static gboolean
is_gif (const guint8 *data, gsize len)
{
  return has_prefix (data, len, 0, "GIF87a", 6) || has_prefix (data, len, 0, "GIF89a", 6);
}

static gboolean
is_webp (const guint8 *data, gsize len)
{
  return has_prefix (data, len, 0, "RIFF", 4) && has_prefix (data, len, 8, "WEBP", 4);
}

/* "BM" alone would match text files; the size of the DIB header that
 * follows the 14-byte file header must be one of the known ones too. */
static gboolean
is_bmp (const guint8 *data, gsize len)
{
  guint32 dib_size;

  if (!has_prefix (data, len, 0, "BM", 2) || len < 18)
    return FALSE;

  dib_size = read_le32 (data + 14);

  return dib_size == 12 || dib_size == 16 || dib_size == 40 || dib_size == 52 ||
         dib_size == 56 || dib_size == 64 || dib_size == 108 || dib_size == 124;
}

static gboolean
is_tiff (const guint8 *data, gsize len)
{
  return has_prefix (data, len, 0, "II*\0", 4) || has_prefix (data, len, 0, "MM\0*", 4);
}

/**
 * seedream_image_sniff_mime_type:
 * @data: (array length=len) (nullable): the first bytes of a file
 * @len: how many bytes @data holds
 *
 * Returns: (nullable): "image/png", "image/jpeg", "image/gif",
 *   "image/webp", "image/bmp" or "image/tiff", or %NULL for anything else
 */
const char *
seedream_image_sniff_mime_type (const guint8 *data,
                                gsize         len)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (data == NULL)
    return NULL;
  if (is_png (data, len))
    return "image/png";
  if (is_jpeg (data, len))
    return "image/jpeg";
  if (is_gif (data, len))
    return "image/gif";
  if (is_webp (data, len))
    return "image/webp";
  if (is_bmp (data, len))
    return "image/bmp";
  if (is_tiff (data, len))
    return "image/tiff";

  return NULL;
}

/* PNG: the IHDR chunk comes first, at offset 8. */
static gboolean
png_dimensions (const guint8 *data, gsize len, guint32 *width, guint32 *height)
{
  if (len < 24 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;

  *width = read_be32 (data + 16);
  *height = read_be32 (data + 20);

  /* The PNG spec caps both at 2^31 - 1. */
  return *width <= G_MAXINT32 && *height <= G_MAXINT32;
}

/* GIF: the logical screen descriptor follows the 6-byte signature. */
static gboolean
gif_dimensions (const guint8 *data, gsize len, guint32 *width, guint32 *height)
{
  if (len < 10)
    return FALSE;

  *width = read_le16 (data + 6);
  *height = read_le16 (data + 8);

  return TRUE;
}

/* BMP: OS/2 1.x headers (12 bytes) hold 16-bit sizes; all later ones
 * signed 32-bit sizes, where a negative height means top-down rows. */
static gboolean
bmp_dimensions (const guint8 *data, gsize len, guint32 *width, guint32 *height)
{
  guint32 dib_size;
  gint64 w;
  gint64 h;

  if (len < 18)
    return FALSE;

  dib_size = read_le32 (data + 14);
  if (dib_size == 12)
    {
      if (len < 22)
        return FALSE;
      *width = read_le16 (data + 18);
      *height = read_le16 (data + 20);
      return TRUE;
    }

  if (len < 26)
    return FALSE;

  w = (gint32) read_le32 (data + 18);
  h = (gint32) read_le32 (data + 22);
  if (w <= 0)
    return FALSE;
  if (h < 0)
    h = -h;  /* in gint64: no overflow for G_MININT32 */

  *width = (guint32) w;
  *height = (guint32) h;

  return TRUE;
}

/* WebP: the first chunk after "RIFF" size "WEBP" says which flavour. */
static gboolean
webp_dimensions (const guint8 *data, gsize len, guint32 *width, guint32 *height)
{
  if (len < 16)
    return FALSE;

  if (memcmp (data + 12, "VP8 ", 4) == 0)
    {
      /* Lossy: 3-byte frame tag (bit 0 clear on a key frame), the start
       * code 9d 01 2a, then 14-bit width and height. */
      if (len < 30 || (data[20] & 0x01) != 0 || memcmp (data + 23, "\x9d\x01\x2a", 3) != 0)
        return FALSE;
      *width = read_le16 (data + 26) & 0x3fff;
      *height = read_le16 (data + 28) & 0x3fff;
      return TRUE;
    }

  if (memcmp (data + 12, "VP8L", 4) == 0)
    {
      /* Lossless: signature 0x2f, then width - 1 and height - 1 in 14 bits each. */
      guint32 bits;

      if (len < 25 || data[20] != 0x2f)
        return FALSE;
      bits = read_le32 (data + 21);
      *width = (bits & 0x3fff) + 1;
      *height = ((bits >> 14) & 0x3fff) + 1;
      return TRUE;
    }

  if (memcmp (data + 12, "VP8X", 4) == 0)
    {
      /* Extended: flags (4 bytes), then canvas width - 1 and height - 1 in 24 bits each. */
      if (len < 30)
        return FALSE;
      *width = read_le24 (data + 24) + 1;
      *height = read_le24 (data + 27) + 1;
      return TRUE;
    }

  return FALSE;
}

/* SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share
 * the range but are not frame headers. */
static gboolean
is_jpeg_sof (guint8 marker)
{
  return marker >= 0xc0 && marker <= 0xcf &&
         marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

/* JPEG: walk the marker segments up to the first frame header. */
static gboolean
jpeg_dimensions (const guint8 *data, gsize len, guint32 *width, guint32 *height)
{
  gsize pos = 2;

  while (pos < len)
    {
      guint8 marker;
      guint16 segment_len;

      if (data[pos] != 0xff)
        return FALSE;  /* lost: not at a marker */

      while (pos < len && data[pos] == 0xff)
        pos++;  /* a marker may be preceded by fill bytes */
      if (pos >= len)
        return FALSE;

      marker = data[pos++];

      /* Markers without a length: SOI, TEM, RST0..7. */
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        continue;

      /* End of image, start of scan (the frame header comes before any
       * scan), or a stuffed zero that has no place here. */
      if (marker == 0xd9 || marker == 0xda || marker == 0x00)
        return FALSE;

      if (len - pos < 2)
        return FALSE;
      segment_len = read_be16 (data + pos);
      if (segment_len < 2)
        return FALSE;

      if (is_jpeg_sof (marker))
        {
          /* length (2), precision (1), height (2), width (2) */
          if (segment_len < 7 || len - pos < 7)
            return FALSE;
          *height = read_be16 (data + pos + 3);
          *width = read_be16 (data + pos + 5);
          return TRUE;  /* a height of 0 (set later by DNL) is refused by the caller */
        }

      if (segment_len > len - pos)
        return FALSE;
      pos += segment_len;
    }

  return FALSE;
}

static guint16
tiff_u16 (const guint8 *p, gboolean big_endian)
{
  return big_endian ? read_be16 (p) : read_le16 (p);
}

static guint32
tiff_u32 (const guint8 *p, gboolean big_endian)
{
  return big_endian ? read_be32 (p) : read_le32 (p);
}

/* TIFF: tags 256 (ImageWidth) and 257 (ImageLength) of the first IFD,
 * as SHORT or LONG, in the byte order the header states. */
static gboolean
tiff_dimensions (const guint8 *data, gsize len, guint32 *width, guint32 *height)
{
  gboolean big_endian;
  guint64 ifd;
  guint16 n_entries;
  gboolean have_width = FALSE;
  gboolean have_height = FALSE;

  if (len < 8)
    return FALSE;

  big_endian = data[0] == 'M';
  ifd = tiff_u32 (data + 4, big_endian);
  if (ifd < 8 || ifd + 2 > len)
    return FALSE;

  n_entries = tiff_u16 (data + ifd, big_endian);

  for (guint i = 0; i < n_entries && !(have_width && have_height); i++)
    {
      guint64 entry = ifd + 2 + (guint64) i * 12;
      guint16 tag;
      guint16 type;
      guint32 count;
      guint32 value;

      if (entry + 12 > len)
        return FALSE;

      tag = tiff_u16 (data + entry, big_endian);
      type = tiff_u16 (data + entry + 2, big_endian);
      count = tiff_u32 (data + entry + 4, big_endian);

      if ((tag != 256 && tag != 257) || count != 1)
        continue;

      /* A single value sits in the entry itself, left-justified. */
      if (type == 3)
        value = tiff_u16 (data + entry + 8, big_endian);
      else if (type == 4)
        value = tiff_u32 (data + entry + 8, big_endian);
      else
        continue;

      if (tag == 256)
        {
          *width = value;
          have_width = TRUE;
        }
      else
        {
          *height = value;
          have_height = TRUE;
        }
    }

  return have_width && have_height;
}

/**
 * seedream_image_read_dimensions:
 * @data: (array length=len) (nullable): the first bytes of a file
 * @len: how many bytes @data holds
 * @width: (out) (optional): the width in pixels
 * @height: (out) (optional): the height in pixels
 *
 * Reads the pixel size from the header of a PNG (IHDR), GIF (logical
 * screen), BMP (DIB header), WebP (VP8, VP8L or VP8X), JPEG (the first
 * SOFn segment) or TIFF (tags 256 and 257 of the first IFD, either byte
 * order). Nothing is decoded. @width and @height are set only on success.
 *
 * Returns: %TRUE when a non-zero size was found within @len bytes
 */
gboolean
seedream_image_read_dimensions (const guint8 *data,
                                gsize         len,
                                guint        *width,
                                guint        *height)
{
  guint32 w = 0;
  guint32 h = 0;
  gboolean found = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (data == NULL)
    return FALSE;

  if (is_png (data, len))
    found = png_dimensions (data, len, &w, &h);
  else if (is_jpeg (data, len))
    found = jpeg_dimensions (data, len, &w, &h);
  else if (is_gif (data, len))
    found = gif_dimensions (data, len, &w, &h);
  else if (is_webp (data, len))
    found = webp_dimensions (data, len, &w, &h);
  else if (is_bmp (data, len))
    found = bmp_dimensions (data, len, &w, &h);
  else if (is_tiff (data, len))
    found = tiff_dimensions (data, len, &w, &h);

  if (!found || w == 0 || h == 0)
    return FALSE;

  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;

  return TRUE;
}

/**
 * seedream_image_mime_type_get_name:
 * @mime_type: a MIME type
 *
 * Returns: the short name people know a format by ("PNG", "WebP"), or
 *   @mime_type itself for other types
 */
const char *
seedream_image_mime_type_get_name (const char *mime_type)
{
  static const struct {
    const char *mime_type;
    const char *name;
  } names[] = {
    { "image/jpeg", "JPEG" },
    { "image/png", "PNG" },
    { "image/gif", "GIF" },
    { "image/webp", "WebP" },
    { "image/bmp", "BMP" },
    { "image/tiff", "TIFF" },
  };

  g_return_val_if_fail (mime_type != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strcmp (names[i].mime_type, mime_type) == 0)
        return names[i].name;
    }

  return mime_type;
}
