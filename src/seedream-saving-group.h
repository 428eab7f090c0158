/* seedream-saving-group.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_SAVING_GROUP (seedream_saving_group_get_type ())

/* The preferences' "Saving" group: whether finished images are also
 * copied into a folder, and which. */
G_DECLARE_FINAL_TYPE (SeedreamSavingGroup, seedream_saving_group, SEEDREAM, SAVING_GROUP, AdwPreferencesGroup)

G_END_DECLS
