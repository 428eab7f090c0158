/* seedream-setup-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-session.h"
#include "seedream-sign-in-flow.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_SETUP_PAGE (seedream_setup_page_get_type ())

/* The first-run page that asks for the API key. "Sign In With Browser"
 * (a SeedreamSignInFlow) brings a key from the person's account and stores
 * it through the session; "Enter Key Manually" shows the key row, whose key
 * the window's "win.save-key" action saves (the page's button and the
 * entry's Enter activate it). The window makes it only when there is no
 * key, so a normal start-up never builds it. */
G_DECLARE_FINAL_TYPE (SeedreamSetupPage, seedream_setup_page, SEEDREAM, SETUP_PAGE, AdwBin)

GtkWidget          *seedream_setup_page_new               (GMenuModel        *primary_menu,
                                                          SeedreamSession   *session);
const char         *seedream_setup_page_get_key           (SeedreamSetupPage *self);
void                seedream_setup_page_clear_key         (SeedreamSetupPage *self);
void                seedream_setup_page_focus_key         (SeedreamSetupPage *self);
void                seedream_setup_page_show_manual_entry (SeedreamSetupPage *self);
SeedreamSignInFlow *seedream_setup_page_get_sign_in_flow  (SeedreamSetupPage *self);

G_END_DECLS
