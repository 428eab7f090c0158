/* seedream-sign-in-flow.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "seedream-session.h"
#include "seedream-sign-in.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_SIGN_IN_FLOW (seedream_sign_in_flow_get_type ())

/* "Sign In With Browser" as the setup page and the preferences show it:
 * a SeedreamSignIn (the core's listener), its link opened with
 * GtkUriLauncher (the OpenURI portal inside Flatpak), and the key it
 * brings stored through the session, so the window and running tasks get
 * it. Dropping the flow closes the port.
 *
 * Properties: session (construct-only); state, uri, message (read-only):
 * while waiting, @uri is the link to show in case no browser opened; a
 * @message says what went wrong, in words.
 */
G_DECLARE_FINAL_TYPE (SeedreamSignInFlow, seedream_sign_in_flow, SEEDREAM, SIGN_IN_FLOW, GObject)

SeedreamSignInFlow  *seedream_sign_in_flow_new         (SeedreamSession    *session);
void                 seedream_sign_in_flow_start       (SeedreamSignInFlow *self,
                                                        GtkWidget          *parent);
void                 seedream_sign_in_flow_cancel      (SeedreamSignInFlow *self);
SeedreamSignInState  seedream_sign_in_flow_get_state   (SeedreamSignInFlow *self);
const char          *seedream_sign_in_flow_get_uri     (SeedreamSignInFlow *self);
const char          *seedream_sign_in_flow_get_message (SeedreamSignInFlow *self);
SeedreamSignIn      *seedream_sign_in_flow_get_sign_in (SeedreamSignInFlow *self);

G_END_DECLS
