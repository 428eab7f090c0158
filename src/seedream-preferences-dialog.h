/* seedream-preferences-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_PREFERENCES_DIALOG (seedream_preferences_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamPreferencesDialog, seedream_preferences_dialog, SEEDREAM, PREFERENCES_DIALOG, AdwPreferencesDialog)

SeedreamPreferencesDialog *seedream_preferences_dialog_new (GSettings *settings);

G_END_DECLS
