/* seedream-preferences-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-api-url.h"
#include "seedream-preferences-dialog.h"

struct _SeedreamPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  GSettings            *settings;

  AdwEntryRow          *api_url_row;
  GtkLabel             *api_url_status;
};

G_DEFINE_FINAL_TYPE (SeedreamPreferencesDialog, seedream_preferences_dialog, ADW_TYPE_PREFERENCES_DIALOG)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SeedreamPreferencesDialog *
seedream_preferences_dialog_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SEEDREAM_TYPE_PREFERENCES_DIALOG,
                       "settings", settings,
                       NULL);
}

static void
seedream_preferences_dialog_show_url_status (SeedreamPreferencesDialog *self,
                                             const char                *message,
                                             gboolean                   is_error)
{
  gtk_label_set_label (self->api_url_status, message);
  gtk_widget_set_visible (GTK_WIDGET (self->api_url_status), message != NULL);

  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->api_url_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->api_url_row), "error");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->api_url_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message != NULL ? message : "",
                                  -1);
}

static void
seedream_preferences_dialog_api_url_changed_cb (SeedreamPreferencesDialog *self,
                                                AdwEntryRow               *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* Checked on every keystroke, stored only when applied. */
  url = seedream_api_url_normalize (gtk_editable_get_text (GTK_EDITABLE (row)), &error);
  seedream_preferences_dialog_show_url_status (self, url == NULL ? error->message : NULL, url == NULL);
}

static void
seedream_preferences_dialog_api_url_apply_cb (SeedreamPreferencesDialog *self,
                                              AdwEntryRow               *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = seedream_api_url_normalize (gtk_editable_get_text (GTK_EDITABLE (row)), &error);
  if (url == NULL)
    {
      seedream_preferences_dialog_show_url_status (self, error->message, TRUE);
      return;
    }

  g_settings_set_string (self->settings, "api-url", url);
  gtk_editable_set_text (GTK_EDITABLE (row), url);
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self),
                                    adw_toast_new (_("API address saved")));
}

static void
seedream_preferences_dialog_reset_api_url_cb (SeedreamPreferencesDialog *self,
                                              GtkButton                 *button)
{
  g_settings_reset (self->settings, "api-url");
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), SEEDREAM_DEFAULT_API_URL);
  seedream_preferences_dialog_show_url_status (self, NULL, FALSE);
}

static void
seedream_preferences_dialog_constructed (GObject *object)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (object);
  g_autofree char *api_url = NULL;

  G_OBJECT_CLASS (seedream_preferences_dialog_parent_class)->constructed (object);

  api_url = g_settings_get_string (self->settings, "api-url");
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), api_url);
  seedream_preferences_dialog_show_url_status (self, NULL, FALSE);
}

static void
seedream_preferences_dialog_dispose (GObject *object)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (seedream_preferences_dialog_parent_class)->dispose (object);
}

static void
seedream_preferences_dialog_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_preferences_dialog_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_preferences_dialog_class_init (SeedreamPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = seedream_preferences_dialog_constructed;
  object_class->dispose = seedream_preferences_dialog_dispose;
  object_class->get_property = seedream_preferences_dialog_get_property;
  object_class->set_property = seedream_preferences_dialog_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, api_url_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, api_url_status);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_api_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_api_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_reset_api_url_cb);
}

static void
seedream_preferences_dialog_init (SeedreamPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
