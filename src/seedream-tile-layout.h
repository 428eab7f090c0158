/* seedream-tile-layout.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_TILE_LAYOUT (seedream_tile_layout_get_type ())

/* A square of a fixed size (or the children's minimum, if larger), with
 * every child given the whole square. For thumbnails: a GtkPicture's natural
 * size is its texture's, which would make the tile grow with the image. */
G_DECLARE_FINAL_TYPE (SeedreamTileLayout, seedream_tile_layout, SEEDREAM, TILE_LAYOUT, GtkLayoutManager)

GtkLayoutManager *seedream_tile_layout_new (int size);

G_END_DECLS
