/* fuzz-image-info.c: any bytes as the head of an image file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No crash, no read past the end (libFuzzer hands over exactly @size
 * bytes; ASan watches), and the answers agree: a size is only ever read
 * from something the sniffer calls an image, and it is never zero.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>

#include "seedream-image-info.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *mime_type = seedream_image_sniff_mime_type (data, size);
  guint width = 0;
  guint height = 0;

  if (seedream_image_read_dimensions (data, size, &width, &height))
    {
      g_assert_nonnull (mime_type);
      g_assert_cmpuint (width, >, 0);
      g_assert_cmpuint (height, >, 0);
    }

  if (mime_type != NULL)
    g_assert_cmpstr (seedream_image_mime_type_get_name (mime_type), !=, mime_type);

  return 0;
}
