/* seedream-image-preview.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_IMAGE_PREVIEW (seedream_image_preview_get_type ())

/* A dialog with one image as large as the window allows (decoded off the
 * main loop, at most SEEDREAM_IMAGE_PREVIEW_MAX_SIZE pixels on its longer
 * side) and the result actions: preview.save-as, preview.copy,
 * preview.open-with, preview.use-as-source (which activates
 * win.use-as-source with the file's URI). Escape closes it.
 *
 * Given several files (seedream_image_preview_new_for_files(): a task's
 * images), preview.previous/.next/.first/.last (Left, Right, Page Up/Down,
 * Home, End, a horizontal swipe) move through them, the title says
 * "Result 2 of 4" and screen readers are told "Image 2 of 4".
 *
 * Properties: file (construct-only; then the image shown), suggested-name,
 * loaded (read-only: TRUE once the image is shown), position (read-only),
 * favourite (the image's star, shown in the header bar once set_result ()
 * gave its history row; a click sends win.set-result-favourite). */
G_DECLARE_FINAL_TYPE (SeedreamImagePreview, seedream_image_preview, SEEDREAM, IMAGE_PREVIEW, AdwDialog)

#define SEEDREAM_IMAGE_PREVIEW_MAX_SIZE 4096

SeedreamImagePreview *seedream_image_preview_new        (GFile                *file,
                                                         const char           *title,
                                                         const char           *suggested_name);
SeedreamImagePreview *seedream_image_preview_new_for_files (GPtrArray          *files,
                                                           const char * const *suggested_names,
                                                           guint               position);
guint                 seedream_image_preview_get_position (SeedreamImagePreview *self);
guint                 seedream_image_preview_get_n_images (SeedreamImagePreview *self);
GFile                *seedream_image_preview_get_file   (SeedreamImagePreview *self);
gboolean              seedream_image_preview_get_loaded (SeedreamImagePreview *self);
GdkPaintable         *seedream_image_preview_get_paintable (SeedreamImagePreview *self);
void                  seedream_image_preview_set_result (SeedreamImagePreview *self,
                                                         gint64                history_id,
                                                         guint                 index);

G_END_DECLS
