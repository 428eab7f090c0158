/* seedream-compare-selection.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-compare-item.h"

G_BEGIN_DECLS

/* Two to four images are compared side by side. */
#define SEEDREAM_COMPARE_MIN_ITEMS 2
#define SEEDREAM_COMPARE_MAX_ITEMS 4

#define SEEDREAM_TYPE_COMPARE_SELECTION (seedream_compare_selection_get_type ())

/* The images picked for comparison, from any task or the history, as a
 * GListModel of SeedreamCompareItem in the order they were picked (the
 * order they are shown in). One file is in it at most once; at most
 * SEEDREAM_COMPARE_MAX_ITEMS are kept.
 *
 * Properties: n-items, can-compare (read-only: two to four are picked). */
G_DECLARE_FINAL_TYPE (SeedreamCompareSelection, seedream_compare_selection, SEEDREAM, COMPARE_SELECTION, GObject)

SeedreamCompareSelection *seedream_compare_selection_new             (void);
gboolean                  seedream_compare_selection_add             (SeedreamCompareSelection *self,
                                                                      SeedreamCompareItem      *item);
gboolean                  seedream_compare_selection_remove          (SeedreamCompareSelection *self,
                                                                      GFile                    *file);
gboolean                  seedream_compare_selection_toggle          (SeedreamCompareSelection *self,
                                                                      SeedreamCompareItem      *item);
gboolean                  seedream_compare_selection_contains        (SeedreamCompareSelection *self,
                                                                      GFile                    *file);
void                      seedream_compare_selection_clear           (SeedreamCompareSelection *self);
gboolean                  seedream_compare_selection_get_can_compare (SeedreamCompareSelection *self);
gboolean                  seedream_compare_selection_is_full         (SeedreamCompareSelection *self);

G_END_DECLS
