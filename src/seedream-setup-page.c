/* seedream-setup-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-setup-page"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-account-urls.h"
#include "seedream-setup-page.h"
#include "seedream-sign-in-flow.h"
#include "seedream-toast.h"

struct _SeedreamSetupPage
{
  AdwBin               parent_instance;

  SeedreamSignInFlow  *flow;

  GtkMenuButton       *menu_button;
  GtkLabel            *error_label;
  GtkStack            *sign_in_stack;
  GtkButton           *sign_in_button;
  GtkButton           *manual_button;
  GtkSpinner          *spinner;
  GtkLabel            *link_label;
  GtkButton           *cancel_button;
  GtkRevealer         *manual_revealer;
  AdwPasswordEntryRow *key_row;
  GtkButton           *save_button;
  GtkLabel            *keys_label;
};

G_DEFINE_FINAL_TYPE (SeedreamSetupPage, seedream_setup_page, ADW_TYPE_BIN)

/* What the sign-in is doing, shown: the buttons, or the spinner and the
 * link; a problem in words above them. */
static void
seedream_setup_page_sync_sign_in (SeedreamSetupPage *self)
{
  SeedreamSignInState state = seedream_sign_in_flow_get_state (self->flow);
  const char *message = seedream_sign_in_flow_get_message (self->flow);
  const char *uri = seedream_sign_in_flow_get_uri (self->flow);
  gboolean waiting = state == SEEDREAM_SIGN_IN_STATE_WAITING;

  gtk_stack_set_visible_child_name (self->sign_in_stack, waiting ? "waiting" : "choose");
  /* The button that was pressed is gone: the focus goes to the way back. */
  if (waiting && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
  gtk_spinner_set_spinning (self->spinner, waiting);
  gtk_label_set_label (self->link_label, uri != NULL ? uri : "");
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.copy-link", uri != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.cancel-sign-in", waiting);

  if (message != NULL)
    gtk_accessible_announce (GTK_ACCESSIBLE (self), message, GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
}

/**
 * seedream_setup_page_new:
 * @primary_menu: (nullable): the window's main menu, for the header bar
 * @session: the window's session, which "Sign In With Browser" stores the
 *   key it brings in
 */
GtkWidget *
seedream_setup_page_new (GMenuModel      *primary_menu,
                         SeedreamSession *session)
{
  SeedreamSetupPage *self;

  g_return_val_if_fail (primary_menu == NULL || G_IS_MENU_MODEL (primary_menu), NULL);
  g_return_val_if_fail (SEEDREAM_IS_SESSION (session), NULL);

  self = g_object_new (SEEDREAM_TYPE_SETUP_PAGE, NULL);
  gtk_menu_button_set_menu_model (self->menu_button, primary_menu);

  self->flow = seedream_sign_in_flow_new (session);
  g_signal_connect_object (self->flow, "notify::state",
                           G_CALLBACK (seedream_setup_page_sync_sign_in), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flow, "notify::message",
                           G_CALLBACK (seedream_setup_page_sync_sign_in), self, G_CONNECT_SWAPPED);
  seedream_setup_page_sync_sign_in (self);

  return GTK_WIDGET (self);
}

/**
 * seedream_setup_page_get_sign_in_flow:
 *
 * Returns: (transfer none): the browser sign-in the page shows
 */
SeedreamSignInFlow *
seedream_setup_page_get_sign_in_flow (SeedreamSetupPage *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SETUP_PAGE (self), NULL);

  return self->flow;
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

/* The key row when the person chose to type the key, else the sign-in. */
void
seedream_setup_page_focus_key (SeedreamSetupPage *self)
{
  g_return_if_fail (SEEDREAM_IS_SETUP_PAGE (self));

  if (gtk_revealer_get_reveal_child (self->manual_revealer))
    gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
}

/**
 * seedream_setup_page_show_manual_entry:
 *
 * Shows the key row and Save Key (as "Enter Key Manually" does).
 */
void
seedream_setup_page_show_manual_entry (SeedreamSetupPage *self)
{
  g_return_if_fail (SEEDREAM_IS_SETUP_PAGE (self));

  /* Typing the key is now what the page is for: Save Key leads. */
  gtk_revealer_set_reveal_child (self->manual_revealer, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->sign_in_button), "suggested-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->save_button), "suggested-action");
  gtk_widget_set_visible (GTK_WIDGET (self->manual_button), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
}

static void
enter_manually_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  seedream_setup_page_show_manual_entry (SEEDREAM_SETUP_PAGE (widget));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SeedreamSetupPage *self = SEEDREAM_SETUP_PAGE (widget);

  seedream_sign_in_flow_start (self->flow, widget);
}

static void
cancel_sign_in_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SeedreamSetupPage *self = SEEDREAM_SETUP_PAGE (widget);

  seedream_sign_in_flow_cancel (self->flow);
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SeedreamSetupPage *self = SEEDREAM_SETUP_PAGE (widget);
  const char *uri = seedream_sign_in_flow_get_uri (self->flow);

  if (uri == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), uri);
  seedream_toast_show (widget, _("Link copied"), FALSE);
}

static void
key_activated_cb (SeedreamSetupPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.save-key", NULL);
}

/* The window closing drops the page, and with it the listener. */
static void
seedream_setup_page_dispose (GObject *object)
{
  SeedreamSetupPage *self = SEEDREAM_SETUP_PAGE (object);

  if (self->flow != NULL)
    seedream_sign_in_flow_cancel (self->flow);
  g_clear_object (&self->flow);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_SETUP_PAGE);

  G_OBJECT_CLASS (seedream_setup_page_parent_class)->dispose (object);
}

static void
seedream_setup_page_class_init (SeedreamSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_setup_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, sign_in_stack);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, manual_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, link_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, manual_revealer);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSetupPage, keys_label);
  gtk_widget_class_bind_template_callback (widget_class, key_activated_cb);

  gtk_widget_class_install_action (widget_class, "setup.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "setup.cancel-sign-in", NULL, cancel_sign_in_action);
  gtk_widget_class_install_action (widget_class, "setup.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "setup.enter-manually", NULL, enter_manually_action);
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
