/* mock-png.c: the images the mock server's file host returns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real PNG, written by hand: signature, IHDR (8-bit RGB), IDAT chunks of
 * zlib data from GZlibCompressor, IEND, each chunk with its CRC-32. The
 * picture is a gradient (red across, green down) under a checkerboard in
 * the blue channel whose shade and phase depend on the image number, so the
 * images of one task differ. Rows are compressed one at a time with the
 * "Up" filter, so a 4096×4096 image needs one row of pixels and its
 * compressed output (well under a megabyte) in memory, never the 48 MiB of
 * raw pixels.
 */

#define G_LOG_DOMAIN "mock-png"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "mock-png.h"

#define IDAT_CHUNK_MAX (256 * 1024)
#define CHECKER_SIZE 256

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static guint32 crc_table[256];

static void
crc_table_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (guint k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          crc_table[n] = c;
        }
      g_once_init_leave (&initialized, 1);
    }
}

static guint32
crc_update (guint32       crc,
            const guint8 *data,
            gsize         len)
{
  for (gsize i = 0; i < len; i++)
    crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);

  return crc;
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, bytes, sizeof bytes);
}

/* Length, type, data, CRC over type and data. */
static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *data,
              gsize         len)
{
  guint32 crc = 0xffffffffu;

  append_be32 (out, len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (out, data, len);

  crc = crc_update (crc, (const guint8 *) type, 4);
  crc = crc_update (crc, data, len);
  append_be32 (out, crc ^ 0xffffffffu);
}

/* Fills @row with the pixels of row @y. */
static void
render_row (guint8 *row,
            guint   width,
            guint   height,
            guint   y,
            guint   image_number)
{
  guint8 green = height > 1 ? (guint8) ((guint64) y * 255 / (height - 1)) : 0;

  for (guint x = 0; x < width; x++)
    {
      guint checker = (x / CHECKER_SIZE + y / CHECKER_SIZE + image_number) % 2;

      row[3 * x] = width > 1 ? (guint8) ((guint64) x * 255 / (width - 1)) : 0;
      row[3 * x + 1] = green;
      row[3 * x + 2] = (guint8) ((image_number * 53 + checker * 128) & 0xff);
    }
}

/* Runs @input through @compressor, appending what comes out to @out. */
static gboolean
compress (GConverter    *compressor,
          const guint8  *input,
          gsize          len,
          gboolean       at_end,
          GByteArray    *out,
          GError       **error)
{
  guint8 buffer[64 * 1024];

  for (;;)
    {
      gsize bytes_read = 0;
      gsize bytes_written = 0;
      GConverterResult result;

      result = g_converter_convert (compressor, input, len, buffer, sizeof buffer,
                                    at_end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &bytes_read, &bytes_written, error);
      if (result == G_CONVERTER_ERROR)
        return FALSE;

      g_byte_array_append (out, buffer, bytes_written);
      input += bytes_read;
      len -= bytes_read;

      if (result == G_CONVERTER_FINISHED)
        return TRUE;
      if (len == 0 && !at_end)
        return TRUE;
    }
}

/**
 * mock_png_render:
 * @width: the width in pixels, at least 1
 * @height: the height in pixels, at least 1
 * @image_number: which image of the task (changes the pattern)
 * @error: return location for an error
 *
 * Safe to call from any thread.
 *
 * Returns: (transfer full): the PNG file, or %NULL with @error set
 */
GBytes *
mock_png_render (guint    width,
                 guint    height,
                 guint    image_number,
                 GError **error)
{
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(GByteArray) idat = NULL;
  g_autoptr(GByteArray) png = NULL;
  g_autofree guint8 *row = NULL;
  g_autofree guint8 *previous = NULL;
  g_autofree guint8 *filtered = NULL;
  guint8 ihdr[13];
  gsize stride;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (width <= 65536 && height <= 65536, NULL);

  crc_table_init ();

  stride = (gsize) width * 3;
  row = g_malloc (stride);
  previous = g_malloc0 (stride);
  filtered = g_malloc (stride + 1);
  idat = g_byte_array_new ();
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);

  for (guint y = 0; y < height; y++)
    {
      render_row (row, width, height, y, image_number);

      /* Filter type 2, "Up": each byte minus the byte above it. */
      filtered[0] = 2;
      for (gsize i = 0; i < stride; i++)
        filtered[i + 1] = (guint8) (row[i] - previous[i]);

      if (!compress (G_CONVERTER (compressor), filtered, stride + 1, FALSE, idat, error))
        return NULL;

      memcpy (previous, row, stride);
    }

  if (!compress (G_CONVERTER (compressor), NULL, 0, TRUE, idat, error))
    return NULL;

  png = g_byte_array_sized_new (idat->len + 1024);
  g_byte_array_append (png, png_signature, sizeof png_signature);

  ihdr[0] = width >> 24;
  ihdr[1] = (width >> 16) & 0xff;
  ihdr[2] = (width >> 8) & 0xff;
  ihdr[3] = width & 0xff;
  ihdr[4] = height >> 24;
  ihdr[5] = (height >> 16) & 0xff;
  ihdr[6] = (height >> 8) & 0xff;
  ihdr[7] = height & 0xff;
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 2;   /* colour type: RGB */
  ihdr[10] = 0;  /* compression: deflate */
  ihdr[11] = 0;  /* filter method */
  ihdr[12] = 0;  /* no interlace */
  append_chunk (png, "IHDR", ihdr, sizeof ihdr);

  for (gsize offset = 0; offset < idat->len; offset += IDAT_CHUNK_MAX)
    append_chunk (png, "IDAT", idat->data + offset, MIN (IDAT_CHUNK_MAX, idat->len - offset));

  append_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}
