/* seedream-setup-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_SETUP_PAGE (seedream_setup_page_get_type ())

/* The first-run page that asks for the API key. It only collects the key:
 * saving it is the window's "win.save-key" action, which the page's button
 * and the entry's Enter activate. The window makes it only when there is
 * no key, so a normal start-up never builds it. */
G_DECLARE_FINAL_TYPE (SeedreamSetupPage, seedream_setup_page, SEEDREAM, SETUP_PAGE, AdwBin)

GtkWidget  *seedream_setup_page_new         (GMenuModel        *primary_menu);
const char *seedream_setup_page_get_key     (SeedreamSetupPage *self);
void        seedream_setup_page_clear_key   (SeedreamSetupPage *self);
void        seedream_setup_page_focus_key   (SeedreamSetupPage *self);

G_END_DECLS
