/* seedream-source-thumbnail.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_SOURCE_THUMBNAIL (seedream_source_thumbnail_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamSourceThumbnail, seedream_source_thumbnail, SEEDREAM, SOURCE_THUMBNAIL, GtkWidget)

GtkWidget *seedream_source_thumbnail_new      (GFile                   *file);
GFile     *seedream_source_thumbnail_get_file (SeedreamSourceThumbnail *self);

G_END_DECLS
