/* seedream-favourite-button.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The star of a submission (History and task rows). Only its looks live
 * here: what a click changes is the owner's, through an action.
 */

#define G_LOG_DOMAIN "seedream-favourite-button"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-favourite-button.h"

struct _SeedreamFavouriteButton
{
  GtkToggleButton parent_instance;
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

static void
seedream_favourite_button_class_init (SeedreamFavouriteButtonClass *klass)
{
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
