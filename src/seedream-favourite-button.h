/* seedream-favourite-button.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_FAVOURITE_BUTTON (seedream_favourite_button_get_type ())

/* A star: a toggle button whose icon, tooltip and accessible name say what
 * a click does ("Add to Favourites" / "Remove from Favourites"). Its
 * ::clicked is the person's; set_active () from code only shows the state.
 * An image's star (set_result ()) stores its clicks itself. */
G_DECLARE_FINAL_TYPE (SeedreamFavouriteButton, seedream_favourite_button, SEEDREAM, FAVOURITE_BUTTON, GtkToggleButton)

GtkWidget *seedream_favourite_button_new        (void);
void       seedream_favourite_button_set_result (SeedreamFavouriteButton *self,
                                                 gint64                   history_id,
                                                 guint                    index);

G_END_DECLS
