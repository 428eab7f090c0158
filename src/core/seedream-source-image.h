/* seedream-source-image.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-model.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_SOURCE_IMAGE (seedream_source_image_get_type ())

typedef struct _SeedreamSourceImage SeedreamSourceImage;

/* A file's name as people read it (valid UTF-8), for messages. */
char                    *seedream_file_dup_display_name         (GFile                *file);

GType                    seedream_source_image_get_type         (void) G_GNUC_CONST;
SeedreamSourceImage     *seedream_source_image_check            (GFile                *file,
                                                                 const SeedreamModel  *model,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
void                     seedream_source_image_check_async      (GFile                *file,
                                                                 const SeedreamModel  *model,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
SeedreamSourceImage     *seedream_source_image_check_finish     (GAsyncResult         *result,
                                                                 GError              **error);
SeedreamSourceImage     *seedream_source_image_ref              (SeedreamSourceImage  *self);
void                     seedream_source_image_unref            (SeedreamSourceImage  *self);
GFile                   *seedream_source_image_get_file         (SeedreamSourceImage  *self);
const char              *seedream_source_image_get_display_name (SeedreamSourceImage  *self);
guint64                  seedream_source_image_get_size         (SeedreamSourceImage  *self);
const char              *seedream_source_image_get_mime_type    (SeedreamSourceImage  *self);
guint                    seedream_source_image_get_width        (SeedreamSourceImage  *self);
guint                    seedream_source_image_get_height       (SeedreamSourceImage  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SeedreamSourceImage, seedream_source_image_unref)

G_END_DECLS
