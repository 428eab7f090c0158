/* seedream-preferences-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Activated on the window the dialog belongs to after the stored key
 * changed (stored or removed), so that it looks the key up again. */
#define SEEDREAM_PREFERENCES_RELOAD_KEY_ACTION "win.reload-api-key"

#define SEEDREAM_TYPE_PREFERENCES_DIALOG (seedream_preferences_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamPreferencesDialog, seedream_preferences_dialog, SEEDREAM, PREFERENCES_DIALOG, AdwPreferencesDialog)

SeedreamPreferencesDialog *seedream_preferences_dialog_new            (GSettings                 *settings);
gboolean                   seedream_preferences_dialog_get_key_stored (SeedreamPreferencesDialog *self);
gboolean                   seedream_preferences_dialog_get_busy       (SeedreamPreferencesDialog *self);

G_END_DECLS
