/* seedream-favourite-button.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The star of a submission (History and task rows) or of one image (its
 * tile and its preview). For a submission only its looks live here: what
 * a click changes is the owner's, through an action. An image's star
 * sends win.set-result-favourite itself, the same from both places.
 */

#define G_LOG_DOMAIN "seedream-favourite-button"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-favourite-button.h"

struct _SeedreamFavouriteButton
{
  GtkToggleButton parent_instance;

  /* The image it stars (seedream_favourite_button_set_result()); 0: none. */
  gint64          history_id;
  guint           result_index;
};

G_DEFINE_FINAL_TYPE (SeedreamFavouriteButton, seedream_favourite_button, GTK_TYPE_TOGGLE_BUTTON)

static void
update_looks (SeedreamFavouriteButton *self)
{
  gboolean active = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self));
  const char *label = active ? _("Remove from Favourites") : _("Add to Favourites");

  gtk_button_set_icon_name (GTK_BUTTON (self), active ? "starred-symbolic" : "non-starred-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
active_changed_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  update_looks (SEEDREAM_FAVOURITE_BUTTON (object));
}

/* An image's star shows what the history holds: the click is undone here
 * and done again, through the owner's binding, once the history has it,
 * so a star that could not be stored does not look stored. */
static void
seedream_favourite_button_clicked (GtkButton *button)
{
  SeedreamFavouriteButton *self = SEEDREAM_FAVOURITE_BUTTON (button);
  gboolean wanted;

  GTK_BUTTON_CLASS (seedream_favourite_button_parent_class)->clicked (button);

  if (self->history_id == 0)
    return;

  wanted = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self), !wanted);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.set-result-favourite", "(xub)",
                              self->history_id, self->result_index, wanted);
}

static void
seedream_favourite_button_class_init (SeedreamFavouriteButtonClass *klass)
{
  GTK_BUTTON_CLASS (klass)->clicked = seedream_favourite_button_clicked;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "button");
}

static void
seedream_favourite_button_init (SeedreamFavouriteButton *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self), "favourite-button");
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  g_signal_connect (self, "notify::active", G_CALLBACK (active_changed_cb), NULL);
  update_looks (self);
}

GtkWidget *
seedream_favourite_button_new (void)
{
  return g_object_new (SEEDREAM_TYPE_FAVOURITE_BUTTON, NULL);
}

/**
 * seedream_favourite_button_set_result:
 * @self: a star
 * @history_id: the history row of the image, or 0 for none
 * @index: which of its results
 *
 * Makes @self the star of one image: a click asks the window to store it
 * (win.set-result-favourite), and :active is left to the owner, bound to
 * the image's stored star. Hidden while there is no row.
 */
void
seedream_favourite_button_set_result (SeedreamFavouriteButton *self,
                                      gint64                   history_id,
                                      guint                    index)
{
  g_return_if_fail (SEEDREAM_IS_FAVOURITE_BUTTON (self));

  self->history_id = history_id;
  self->result_index = index;
  gtk_widget_set_visible (GTK_WIDGET (self), history_id != 0);
}
