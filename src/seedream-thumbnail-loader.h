/* seedream-thumbnail-loader.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#include "seedream-resolution.h"

/* Images whose header claims more pixels than a limit are not decoded: a
 * crafted header could make the decoder allocate gigabytes. A result can
 * be no larger than the service makes (about 67 MB decoded); a source
 * image is the person's own photo, which may be larger. */
#define SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS ((guint64) SEEDREAM_RESOLUTION_MAX_PIXELS)
#define SEEDREAM_THUMBNAIL_MAX_SOURCE_PIXELS ((guint64) 100 * 1000 * 1000)

/* Loads with a @max_size up to this are thumbnails: they wait in one queue
 * and are decoded seedream_thumbnail_get_max_decodes() at a time, by
 * threads of lower priority, so that many of them at once leave the main
 * loop its share of the processors. Larger ones (and full size) start at
 * once on a thread of their own. */
#define SEEDREAM_THUMBNAIL_QUEUED_MAX_SIZE 512

/* Decodes @file on a worker thread into a texture whose longer side is at
 * most @max_size pixels (0 or less: the image's own size), turned upright
 * by its EXIF orientation. Fails with G_IO_ERROR_NOT_SUPPORTED for images
 * of more than @max_pixels (one of the limits above), known from the
 * header before any pixel memory is taken, G_IO_ERROR_CANCELLED when
 * cancelled, or the decoder's error. */
void        seedream_thumbnail_load_async       (GFile                *file,
                                                 int                   max_size,
                                                 guint64               max_pixels,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GdkTexture *seedream_thumbnail_load_finish      (GAsyncResult         *result,
                                                 GError              **error);
/* The same, and the image's own size (before scaling) and the file's size
 * in bytes; each out argument is optional. */
GdkTexture *seedream_thumbnail_load_finish_full (GAsyncResult         *result,
                                                 int                  *image_width,
                                                 int                  *image_height,
                                                 goffset              *file_size,
                                                 GError              **error);

/* The blocking part, for threads of the caller's own. */
GdkTexture *seedream_thumbnail_load             (GFile                *file,
                                                 int                   max_size,
                                                 guint64               max_pixels,
                                                 int                  *image_width,
                                                 int                  *image_height,
                                                 goffset              *file_size,
                                                 GCancellable         *cancellable,
                                                 GError              **error);

guint       seedream_thumbnail_get_max_decodes  (void);
guint       seedream_thumbnail_take_peak_decodes (void);

G_END_DECLS
