/* seedream-compare-item.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_COMPARE_ITEM (seedream_compare_item_get_type ())

/* One image picked for comparison, with what is said under it: its prompt,
 * the model's name and its pixel size (0 × 0: not known yet). Immutable. */
G_DECLARE_FINAL_TYPE (SeedreamCompareItem, seedream_compare_item, SEEDREAM, COMPARE_ITEM, GObject)

SeedreamCompareItem *seedream_compare_item_new            (GFile               *file,
                                                           const char          *prompt,
                                                           const char          *model_name,
                                                           guint                width,
                                                           guint                height);
GFile               *seedream_compare_item_get_file       (SeedreamCompareItem *self);
const char          *seedream_compare_item_get_prompt     (SeedreamCompareItem *self);
const char          *seedream_compare_item_get_model_name (SeedreamCompareItem *self);
guint                seedream_compare_item_get_width      (SeedreamCompareItem *self);
guint                seedream_compare_item_get_height     (SeedreamCompareItem *self);
char                *seedream_compare_item_dup_details    (SeedreamCompareItem *self);

G_END_DECLS
