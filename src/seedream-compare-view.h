/* seedream-compare-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-compare-item.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_COMPARE_VIEW (seedream_compare_view_get_type ())

/* Two to four images side by side, in the given order, at one scale
 * (fitted, then zoomed and panned together: compare.zoom-in/-out/-fit,
 * +, -, 0, Ctrl+scroll, a pinch, a drag), each with its prompt, model and
 * size under it and named for screen readers "Image N: <prompt>"; one
 * under the other when narrow. Two can also be shown as a before/after
 * slider (the header's toggle, or set_slider()). The images are decoded
 * off the main loop. Property: loaded (read-only: all are shown). */
G_DECLARE_FINAL_TYPE (SeedreamCompareView, seedream_compare_view, SEEDREAM, COMPARE_VIEW, AdwDialog)

SeedreamCompareView *seedream_compare_view_new         (GListModel          *items);
guint                seedream_compare_view_get_n_items (SeedreamCompareView *self);
SeedreamCompareItem *seedream_compare_view_get_item    (SeedreamCompareView *self,
                                                        guint                position);
GtkWidget           *seedream_compare_view_get_pane    (SeedreamCompareView *self,
                                                        guint                position);
GtkWidget           *seedream_compare_view_get_slider  (SeedreamCompareView *self);
gboolean             seedream_compare_view_get_loaded  (SeedreamCompareView *self);
double               seedream_compare_view_get_zoom    (SeedreamCompareView *self);
void                 seedream_compare_view_set_slider  (SeedreamCompareView *self,
                                                        gboolean             slider);
gboolean             seedream_compare_view_get_slider_shown (SeedreamCompareView *self);

G_END_DECLS
