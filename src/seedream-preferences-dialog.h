/* seedream-preferences-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-session.h"
#include "seedream-sign-in-flow.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_PREFERENCES_DIALOG (seedream_preferences_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamPreferencesDialog, seedream_preferences_dialog, SEEDREAM, PREFERENCES_DIALOG, AdwPreferencesDialog)

SeedreamPreferencesDialog *seedream_preferences_dialog_new            (SeedreamSession           *session);
gboolean                   seedream_preferences_dialog_get_key_stored (SeedreamPreferencesDialog *self);
gboolean                   seedream_preferences_dialog_get_busy       (SeedreamPreferencesDialog *self);
SeedreamSignInFlow        *seedream_preferences_dialog_get_sign_in_flow (SeedreamPreferencesDialog *self);

G_END_DECLS
