/* seedream-setup-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-setup-page"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-account-urls.h"
#include "seedream-setup-page.h"

struct _SeedreamSetupPage
{
  AdwBin               parent_instance;

  GtkMenuButton       *menu_button;
  AdwPasswordEntryRow *key_row;
  GtkLabel            *keys_label;
};

G_DEFINE_FINAL_TYPE (SeedreamSetupPage, seedream_setup_page, ADW_TYPE_BIN)

/**
 * seedream_setup_page_new:
 * @primary_menu: (nullable): the window's main menu, for the header bar
 */
GtkWidget *
seedream_setup_page_new (GMenuModel *primary_menu)
{
  SeedreamSetupPage *self;

  g_return_val_if_fail (primary_menu == NULL || G_IS_MENU_MODEL (primary_menu), NULL);

  self = g_object_new (SEEDREAM_TYPE_SETUP_PAGE, NULL);
  gtk_menu_button_set_menu_model (self->menu_button, primary_menu);

  return GTK_WIDGET (self);
}

const char *
seedream_setup_page_get_key (SeedreamSetupPage *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SETUP_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->key_row));
}

/* Once the key is in the keyring, it should not stay in a widget. */
void
seedream_setup_page_clear_key (SeedreamSetupPage *self)
{
  g_return_if_fail (SEEDREAM_IS_SETUP_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
}

void
seedream_setup_page_focus_key (SeedreamSetupPage *self)
{
  g_return_if_fail (SEEDREAM_IS_SETUP_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
}

static void
key_activated_cb (SeedreamSetupPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.save-key", NULL);
}

static void
seedream_setup_page_class_init (SeedreamSetupPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, keys_label);
  gtk_widget_class_bind_template_callback (widget_class, key_activated_cb);
}

static void
seedream_setup_page_init (SeedreamSetupPage *self)
{
  g_autofree char *markup = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The address lives in one header, not in the translation. */
  markup = g_markup_printf_escaped (_("Keys are created on the <a href=\"%s\">TensorsLab API keys page</a>. "
                                      "Generating images uses credits of your account."),
                                    SEEDREAM_ACCOUNT_KEYS_URL);
  gtk_label_set_markup (self->keys_label, markup);
}
