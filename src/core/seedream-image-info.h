/* seedream-image-info.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How much of the head of a file is enough to find its type and, in all
 * but unusual JPEGs (huge metadata before the frame header), its size. */
#define SEEDREAM_IMAGE_SNIFF_BYTES (256 * 1024)

const char *seedream_image_sniff_mime_type    (const guint8 *data,
                                               gsize         len);
gboolean    seedream_image_read_dimensions    (const guint8 *data,
                                               gsize         len,
                                               guint        *width,
                                               guint        *height);
const char *seedream_image_mime_type_get_name (const char   *mime_type);

G_END_DECLS
