/* seedream-compare-pane.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_COMPARE_PANE (seedream_compare_pane_get_type ())

/* One image of a comparison, drawn at a scale shared with the other panes:
 * the reference size (the largest image compared) fits the pane at zoom
 * 1, and center-x/center-y (0..1 over the reference box) are placed at
 * the pane's middle. The panes of one view bind zoom and centre to the
 * view's, so they zoom and pan together. A drag pans; Ctrl+scroll and a
 * pinch zoom (SEEDREAM_COMPARE_PANE_MIN_ZOOM..MAX_ZOOM). */
G_DECLARE_FINAL_TYPE (SeedreamComparePane, seedream_compare_pane, SEEDREAM, COMPARE_PANE, GtkWidget)

#define SEEDREAM_COMPARE_PANE_MIN_ZOOM 1.0
#define SEEDREAM_COMPARE_PANE_MAX_ZOOM 16.0

GtkWidget    *seedream_compare_pane_new                (void);
void          seedream_compare_pane_set_paintable      (SeedreamComparePane *self,
                                                        GdkPaintable        *paintable,
                                                        int                  image_width,
                                                        int                  image_height);
void          seedream_compare_pane_get_image_size     (SeedreamComparePane *self,
                                                        int                 *width,
                                                        int                 *height);
GdkPaintable *seedream_compare_pane_get_paintable      (SeedreamComparePane *self);
void          seedream_compare_pane_set_reference_size (SeedreamComparePane *self,
                                                        int                  width,
                                                        int                  height);
double        seedream_compare_pane_get_scale          (SeedreamComparePane *self);

G_END_DECLS
