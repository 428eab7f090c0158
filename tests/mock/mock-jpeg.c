/* mock-jpeg.c: JPEG results, as the live file host serves them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real baseline JPEG of any size, written by hand: one grey component,
 * every 8×8 block flat, so that each block is only its DC coefficient and
 * an end-of-block. The shade goes from dark to light across the picture,
 * under a checkerboard of 256-pixel squares whose phase depends on the
 * image number, so the images of one task differ. A 4096×4096 image is
 * about 200 KB and takes a few milliseconds; no pixel buffer is needed.
 */

#define G_LOG_DOMAIN "mock-jpeg"

#include "config.h"

#include <string.h>

#include "mock-jpeg.h"

/* Blocks per checker square: 32 × 8 = 256 pixels. */
#define CHECKER_BLOCKS 32

/* The standard luminance DC table (ITU T.81, K.3): codes for the sizes
 * 0..11 of a DC difference. */
static const guint8 dc_bits[16] = { 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 };
static const guint8 dc_values[12] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
static const struct { guint16 code; guint8 length; } dc_codes[12] = {
  { 0x000, 2 }, { 0x002, 3 }, { 0x003, 3 }, { 0x004, 3 }, { 0x005, 3 }, { 0x006, 3 },
  { 0x00e, 4 }, { 0x01e, 5 }, { 0x03e, 6 }, { 0x07e, 7 }, { 0x0fe, 8 }, { 0x1fe, 9 },
};

/* An AC table with one symbol, end-of-block, coded "0": no block has
 * anything else. */
static const guint8 ac_bits[16] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const guint8 ac_values[1] = { 0x00 };

/* Every coefficient quantized by 8: a flat block of level-shifted value s
 * has DC 8 s, so its quantized DC is s itself. */
#define QUANT 8

typedef struct
{
  GByteArray *out;
  guint32     bits;
  guint       n_bits;
} BitWriter;

static void
put_bits (BitWriter *w,
          guint32    value,
          guint      length)
{
  w->bits = (w->bits << length) | (value & ((1u << length) - 1));
  w->n_bits += length;

  while (w->n_bits >= 8)
    {
      guint8 byte = (guint8) (w->bits >> (w->n_bits - 8));

      g_byte_array_append (w->out, &byte, 1);
      /* A 0xFF in the entropy-coded data is followed by a stuffed 0. */
      if (byte == 0xff)
        {
          guint8 zero = 0;

          g_byte_array_append (w->out, &zero, 1);
        }
      w->n_bits -= 8;
    }
}

static void
flush_bits (BitWriter *w)
{
  /* Pad the last byte with 1 bits, as T.81 says. */
  if (w->n_bits > 0)
    put_bits (w, 0x7f, 8 - w->n_bits);
}

static void
put_u16 (GByteArray *out,
         guint       value)
{
  guint8 bytes[2] = { (guint8) (value >> 8), (guint8) value };

  g_byte_array_append (out, bytes, 2);
}

static void
put_marker (GByteArray *out,
            guint8      marker,
            guint       length)
{
  guint8 bytes[2] = { 0xff, marker };

  g_byte_array_append (out, bytes, 2);
  put_u16 (out, length);
}

static void
put_table (GByteArray   *out,
           guint8        class_and_id,
           const guint8  bits[16],
           const guint8 *values,
           guint         n_values)
{
  put_marker (out, 0xc4, 2 + 1 + 16 + n_values);
  g_byte_array_append (out, &class_and_id, 1);
  g_byte_array_append (out, bits, 16);
  g_byte_array_append (out, values, n_values);
}

static int
block_level (guint bx,
             guint by,
             guint blocks_across,
             guint image_number)
{
  int ramp = blocks_across > 1 ? (int) (bx * 160 / (blocks_across - 1)) - 80 : 0;
  int checker = ((bx / CHECKER_BLOCKS + by / CHECKER_BLOCKS + image_number) % 2) ? 30 : -30;

  return ramp + checker;
}

/**
 * mock_jpeg_render:
 * @width: pixels across, 1 to 65535
 * @height: pixels down, 1 to 65535
 * @image_number: which image of the task (changes the pattern)
 *
 * Returns: (transfer full): the bytes of a baseline JPEG of that size
 */
GBytes *
mock_jpeg_render (guint width,
                  guint height,
                  guint image_number)
{
  static const guint8 soi[2] = { 0xff, 0xd8 };
  static const guint8 eoi[2] = { 0xff, 0xd9 };
  static const guint8 jfif[14] = { 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 };
  guint blocks_across = (width + 7) / 8;
  guint blocks_down = (height + 7) / 8;
  BitWriter w = { 0 };
  guint8 quant[65];
  int previous = 0;

  g_return_val_if_fail (width > 0 && width <= 65535, NULL);
  g_return_val_if_fail (height > 0 && height <= 65535, NULL);

  w.out = g_byte_array_sized_new (blocks_across * blocks_down + 1024);

  g_byte_array_append (w.out, soi, sizeof soi);
  put_marker (w.out, 0xe0, 2 + sizeof jfif);
  g_byte_array_append (w.out, jfif, sizeof jfif);

  quant[0] = 0;  /* 8-bit table 0 */
  memset (quant + 1, QUANT, 64);
  put_marker (w.out, 0xdb, 2 + sizeof quant);
  g_byte_array_append (w.out, quant, sizeof quant);

  {
    /* Baseline, 8 bits, one component (id 1, 1×1, table 0). */
    guint8 frame[9] = { 8, (guint8) (height >> 8), (guint8) height,
                        (guint8) (width >> 8), (guint8) width, 1, 1, 0x11, 0 };

    put_marker (w.out, 0xc0, 2 + sizeof frame);
    g_byte_array_append (w.out, frame, sizeof frame);
  }

  put_table (w.out, 0x00, dc_bits, dc_values, sizeof dc_values);
  put_table (w.out, 0x10, ac_bits, ac_values, sizeof ac_values);

  {
    guint8 scan[6] = { 1, 1, 0x00, 0, 63, 0 };

    put_marker (w.out, 0xda, 2 + sizeof scan);
    g_byte_array_append (w.out, scan, sizeof scan);
  }

  for (guint by = 0; by < blocks_down; by++)
    for (guint bx = 0; bx < blocks_across; bx++)
      {
        int level = block_level (bx, by, blocks_across, image_number);
        int diff = level - previous;
        guint magnitude = (guint) ABS (diff);
        guint size = 0;

        while (magnitude >> size)
          size++;

        put_bits (&w, dc_codes[size].code, dc_codes[size].length);
        if (size > 0)
          put_bits (&w, (guint32) (diff > 0 ? diff : diff + (1 << size) - 1), size);
        put_bits (&w, 0, 1);  /* end of block */

        previous = level;
      }

  flush_bits (&w);
  g_byte_array_append (w.out, eoi, sizeof eoi);

  return g_byte_array_free_to_bytes (w.out);
}
