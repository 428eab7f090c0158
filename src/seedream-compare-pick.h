/* seedream-compare-pick.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_COMPARE_PICK (seedream_compare_pick_get_type ())

/* Whether the image a widget shows is picked for comparison: followed in
 * the window's selection while the widget is in a window, shown by a
 * check mark in the widget's overlay, and changed through
 * win.compare-toggle (which may refuse: the selection may be full).
 * Property: picked (notified when the selection changes it). */
G_DECLARE_FINAL_TYPE (SeedreamComparePick, seedream_compare_pick, SEEDREAM, COMPARE_PICK, GObject)

SeedreamComparePick *seedream_compare_pick_new         (GtkWidget           *widget,
                                                        GtkOverlay          *overlay);
void                 seedream_compare_pick_set_file    (SeedreamComparePick *self,
                                                        GFile               *file);
gboolean             seedream_compare_pick_get_picked  (SeedreamComparePick *self);
/* Asks the window to pick or unpick the file. */
void                 seedream_compare_pick_set_picked  (SeedreamComparePick *self,
                                                        gboolean             picked);
/* The words screen readers are given for a picked image. */
const char          *seedream_compare_pick_describe    (void);

G_END_DECLS
