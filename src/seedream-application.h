/* seedream-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_APPLICATION (seedream_application_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamApplication, seedream_application, SEEDREAM, APPLICATION, AdwApplication)

SeedreamApplication *seedream_application_new          (void);
GSettings           *seedream_application_get_settings (SeedreamApplication *self);

G_END_DECLS
