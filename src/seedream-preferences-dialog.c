/* seedream-preferences-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API key (kept in the keyring by the session, which alone reads and
 * writes it), the defaults of a new form and the API address.
 * SEEDREAM_API_KEY and SEEDREAM_API_URL in the environment win over both
 * stored values; the dialog says so and leaves the stored values alone.
 *
 * The key rows show the session's key state; after the stored key changed,
 * the session reads it again itself and the dialog emits ::api-key-changed.
 */

#define G_LOG_DOMAIN "seedream-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-account-links.h"
#include "seedream-api-url.h"
#include "seedream-draft.h"
#include "seedream-key-store.h"
#include "seedream-model-picker.h"
#include "seedream-session.h"
#include "seedream-preferences-dialog.h"
#include "seedream-resolution.h"
#include "seedream-saving-group.h"
#include "seedream-sign-in-flow.h"
#include "seedream-toast.h"


typedef enum
{
  KEY_STATE_CHECKING,
  KEY_STATE_NONE,
  KEY_STATE_STORED,
  KEY_STATE_OVERRIDDEN,
  KEY_STATE_UNAVAILABLE,
} KeyState;

struct _SeedreamPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  SeedreamSession      *session;
  SeedreamSignInFlow   *sign_in_flow;
  GSettings            *settings;
  KeyState              key_state;
  guint                 n_key_operations;
  gboolean              syncing;
  gboolean              busy;

  AdwPasswordEntryRow  *key_row;
  AdwActionRow         *sign_in_row;
  GtkSpinner           *sign_in_spinner;
  GtkButton            *copy_link_button;
  GtkStack             *sign_in_buttons;
  AdwActionRow         *key_state_row;
  AdwActionRow         *keys_page_row;
  AdwActionRow         *console_row;
  GtkImage             *key_state_icon;
  GtkButton            *remove_key_button;
  AdwComboRow          *default_model_row;
  AdwComboRow          *default_resolution_row;
  GtkAdjustment        *default_batch_adjustment;
  AdwEntryRow          *api_url_row;
  GtkLabel             *api_url_status;
};

G_DEFINE_FINAL_TYPE (SeedreamPreferencesDialog, seedream_preferences_dialog, ADW_TYPE_PREFERENCES_DIALOG)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_KEY_STORED,
  PROP_BUSY,
  N_PROPS
};

enum {
  API_KEY_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

SeedreamPreferencesDialog *
seedream_preferences_dialog_new (SeedreamSession *session)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (session), NULL);

  return g_object_new (SEEDREAM_TYPE_PREFERENCES_DIALOG,
                       "session", session,
                       NULL);
}

/**
 * seedream_preferences_dialog_get_key_stored:
 *
 * Returns: %TRUE when the keyring holds a key, as far as the dialog knows
 */
gboolean
seedream_preferences_dialog_get_key_stored (SeedreamPreferencesDialog *self)
{
  g_return_val_if_fail (SEEDREAM_IS_PREFERENCES_DIALOG (self), FALSE);

  return self->key_state == KEY_STATE_STORED;
}

/**
 * seedream_preferences_dialog_get_busy:
 *
 * Returns: %TRUE while the keyring is being asked, written or cleared
 */
gboolean
seedream_preferences_dialog_get_busy (SeedreamPreferencesDialog *self)
{
  g_return_val_if_fail (SEEDREAM_IS_PREFERENCES_DIALOG (self), FALSE);

  return self->key_state == KEY_STATE_CHECKING || self->n_key_operations > 0;
}

/**
 * seedream_preferences_dialog_get_sign_in_flow:
 *
 * Returns: (transfer none): the browser sign-in of the API Key group
 */
SeedreamSignInFlow *
seedream_preferences_dialog_get_sign_in_flow (SeedreamPreferencesDialog *self)
{
  g_return_val_if_fail (SEEDREAM_IS_PREFERENCES_DIALOG (self), NULL);

  return self->sign_in_flow;
}

/* Notifies :busy when it changed. */
static void
seedream_preferences_dialog_update_busy (SeedreamPreferencesDialog *self)
{
  gboolean busy = seedream_preferences_dialog_get_busy (self);

  if (busy == self->busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
seedream_preferences_dialog_toast (SeedreamPreferencesDialog *self,
                                   const char                *message)
{
  seedream_toast_show (GTK_WIDGET (self), message, FALSE);
}

/* Shows @state in the rows; @detail replaces the usual sentence. */
static void
seedream_preferences_dialog_set_key_state (SeedreamPreferencesDialog *self,
                                           KeyState                   state,
                                           const char                *detail)
{
  gboolean was_stored = self->key_state == KEY_STATE_STORED;
  g_autofree char *overridden = NULL;
  const char *sentence = NULL;
  const char *icon_name = "dialog-password-symbolic";
  gboolean can_edit = TRUE;

  self->key_state = state;

  switch (state)
    {
    case KEY_STATE_CHECKING:
      sentence = _("Checking the keyring…");
      break;

    case KEY_STATE_NONE:
      sentence = _("No key is stored. Enter your key above to keep it in your keyring.");
      icon_name = "dialog-warning-symbolic";
      break;

    case KEY_STATE_STORED:
      sentence = _("A key is stored in your keyring. Enter a new one above to replace it.");
      icon_name = "emblem-ok-symbolic";
      break;

    case KEY_STATE_OVERRIDDEN:
      /* Translators: %s is the name of an environment variable. */
      overridden = g_strdup_printf (_("The key from the %s environment variable is in use. It is never "
                                      "stored; unset the variable to use a key from your keyring."),
                                    SEEDREAM_API_KEY_ENV);
      sentence = overridden;
      icon_name = "utilities-terminal-symbolic";
      can_edit = FALSE;
      break;

    case KEY_STATE_UNAVAILABLE:
      sentence = _("The keyring could not be read.");
      icon_name = "dialog-error-symbolic";
      break;

    default:
      g_assert_not_reached ();
    }

  if (detail != NULL)
    sentence = detail;

  adw_action_row_set_subtitle (self->key_state_row, sentence);
  gtk_image_set_from_icon_name (self->key_state_icon, icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->key_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, sentence,
                                  -1);

  if (state == KEY_STATE_UNAVAILABLE)
    gtk_widget_add_css_class (GTK_WIDGET (self->key_state_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->key_state_row), "error");

  /* Read-only rather than insensitive while the keyring works: the row
   * keeps the focus. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), can_edit);
  gtk_editable_set_editable (GTK_EDITABLE (self->key_row), self->n_key_operations == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.remove-key",
                                 state == KEY_STATE_STORED && self->n_key_operations == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.sign-in", can_edit);

  if (was_stored != (state == KEY_STATE_STORED))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_STORED]);
  seedream_preferences_dialog_update_busy (self);
}

/* A store or clear: the dialog is kept until it ends, even when closed. */
static void
key_operation_begin (SeedreamPreferencesDialog *self)
{
  g_object_ref (self);
  self->n_key_operations++;
  gtk_editable_set_editable (GTK_EDITABLE (self->key_row), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.remove-key", FALSE);
  seedream_preferences_dialog_update_busy (self);
}

/* The callbacks call this first: the operation no longer blocks the rows. */
static void
key_operation_end (SeedreamPreferencesDialog *self)
{
  self->n_key_operations--;
  seedream_preferences_dialog_update_busy (self);
}

/* The session's key state, in the dialog's words. */
static void
seedream_preferences_dialog_refresh_key_state (SeedreamPreferencesDialog *self)
{
  const char *problem = seedream_session_get_key_problem (self->session);

  if (seedream_session_is_key_overridden (self->session))
    {
      seedream_preferences_dialog_set_key_state (self, KEY_STATE_OVERRIDDEN, NULL);
      return;
    }

  switch (seedream_session_get_key_state (self->session))
    {
    case SEEDREAM_SESSION_KEY_STATE_LOOKING_UP:
      seedream_preferences_dialog_set_key_state (self, KEY_STATE_CHECKING, NULL);
      break;

    case SEEDREAM_SESSION_KEY_STATE_MISSING:
      if (problem != NULL)
        seedream_preferences_dialog_set_key_state (self, KEY_STATE_UNAVAILABLE, problem);
      else
        seedream_preferences_dialog_set_key_state (self, KEY_STATE_NONE, NULL);
      break;

    case SEEDREAM_SESSION_KEY_STATE_READY:
      seedream_preferences_dialog_set_key_state (self, KEY_STATE_STORED, NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
seedream_preferences_dialog_store_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(SeedreamPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  key_operation_end (self);

  if (!seedream_session_store_key_finish (SEEDREAM_SESSION (object), result, &error))
    {
      /* What was typed stays, so it can be corrected and applied again. */
      seedream_preferences_dialog_refresh_key_state (self);
      gtk_widget_add_css_class (GTK_WIDGET (self->key_row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->key_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message,
                                      -1);
      seedream_preferences_dialog_toast (self, error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->key_row), "error");
  seedream_preferences_dialog_refresh_key_state (self);
  seedream_preferences_dialog_toast (self, _("API key saved in your keyring"));
  g_signal_emit (self, signals[API_KEY_CHANGED], 0);
}

static void
seedream_preferences_dialog_key_apply_cb (SeedreamPreferencesDialog *self,
                                          AdwPasswordEntryRow       *row)
{
  if (self->key_state == KEY_STATE_OVERRIDDEN || self->n_key_operations > 0)
    return;

  key_operation_begin (self);

  /* No cancellable: a key on its way into the keyring is let through even
   * when the dialog is closed meanwhile. */
  seedream_session_store_key_async (self->session,
                                    gtk_editable_get_text (GTK_EDITABLE (row)),
                                    NULL,
                                    seedream_preferences_dialog_store_cb,
                                    self);
}

static void
seedream_preferences_dialog_clear_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(SeedreamPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  key_operation_end (self);

  if (!seedream_session_clear_key_finish (SEEDREAM_SESSION (object), result, &error))
    {
      seedream_preferences_dialog_refresh_key_state (self);
      seedream_preferences_dialog_toast (self, error->message);
      return;
    }

  seedream_preferences_dialog_refresh_key_state (self);
  seedream_preferences_dialog_toast (self, _("API key removed from your keyring"));
  g_signal_emit (self, signals[API_KEY_CHANGED], 0);
}

static void
seedream_preferences_dialog_remove_response_cb (SeedreamPreferencesDialog *self,
                                                const char                *response,
                                                AdwAlertDialog            *alert)
{
  if (g_strcmp0 (response, "remove") != 0 || self->n_key_operations > 0)
    return;

  key_operation_begin (self);
  seedream_session_clear_key_async (self->session, NULL,
                                    seedream_preferences_dialog_clear_cb, self);
}

static void
seedream_preferences_dialog_remove_key_action (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *parameter)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (widget);
  AdwDialog *alert;

  alert = adw_alert_dialog_new (_("Remove the API Key?"),
                                _("Seedream Studio cannot generate images until you enter a key again. "
                                  "The key stays valid in your TensorsLab account."));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (alert),
                                  "cancel", _("_Cancel"),
                                  "remove", _("_Remove"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (alert), "remove",
                                            ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (alert), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (alert), "cancel");
  g_signal_connect_object (alert, "response",
                           G_CALLBACK (seedream_preferences_dialog_remove_response_cb),
                           self, G_CONNECT_SWAPPED);

  adw_dialog_present (alert, GTK_WIDGET (self));
}

/* Browser sign-in: the same flow as the setup page's, in one row. */

static void
seedream_preferences_dialog_sync_sign_in (SeedreamPreferencesDialog *self)
{
  SeedreamSignInState state = seedream_sign_in_flow_get_state (self->sign_in_flow);
  const char *message = seedream_sign_in_flow_get_message (self->sign_in_flow);
  const char *uri = seedream_sign_in_flow_get_uri (self->sign_in_flow);
  gboolean waiting = state == SEEDREAM_SIGN_IN_STATE_WAITING;
  g_autofree char *subtitle = NULL;

  if (waiting)
    /* Translators: %s is the sign-in link, shown in case no browser opened. */
    subtitle = g_strdup_printf (_("Waiting for the browser… If none opened, open %s"), uri != NULL ? uri : "");
  else if (message != NULL)
    subtitle = g_strdup (message);
  else
    subtitle = g_strdup (_("Get a key from your TensorsLab account without copying it"));

  if (waiting && message != NULL)
    {
      g_autofree char *with_message = g_strconcat (message, "\n", subtitle, NULL);

      g_free (subtitle);
      subtitle = g_steal_pointer (&with_message);
    }

  adw_action_row_set_subtitle (self->sign_in_row, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_spinner), waiting);
  gtk_spinner_set_spinning (self->sign_in_spinner, waiting);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_link_button), uri != NULL);
  gtk_stack_set_visible_child_name (self->sign_in_buttons, waiting ? "cancel" : "start");

  if (message != NULL && state == SEEDREAM_SIGN_IN_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->sign_in_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->sign_in_row), "error");
}

static void
seedream_preferences_dialog_sign_in_state_cb (SeedreamPreferencesDialog *self)
{
  seedream_preferences_dialog_sync_sign_in (self);

  if (seedream_sign_in_flow_get_state (self->sign_in_flow) == SEEDREAM_SIGN_IN_STATE_SIGNED_IN)
    {
      seedream_preferences_dialog_refresh_key_state (self);
      seedream_preferences_dialog_toast (self, _("Signed in. The new key is in your keyring."));
      g_signal_emit (self, signals[API_KEY_CHANGED], 0);
    }
}

static void
seedream_preferences_dialog_sign_in_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (widget);

  seedream_sign_in_flow_start (self->sign_in_flow, widget);
}

static void
seedream_preferences_dialog_cancel_sign_in_action (GtkWidget  *widget,
                                                   const char *action_name,
                                                   GVariant   *parameter)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (widget);

  seedream_sign_in_flow_cancel (self->sign_in_flow);
}

static void
seedream_preferences_dialog_copy_sign_in_link_action (GtkWidget  *widget,
                                                      const char *action_name,
                                                      GVariant   *parameter)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (widget);
  const char *uri = seedream_sign_in_flow_get_uri (self->sign_in_flow);

  if (uri == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), uri);
  seedream_preferences_dialog_toast (self, _("Link copied"));
}

/* Defaults */

/* The default model's sizes; a default size it does not take is shown as
 * what a new form gets instead (the model's own default), and the setting
 * is left as it is. */
static const SeedreamResolutionRule *
default_rule (SeedreamPreferencesDialog *self)
{
  return seedream_model_picker_get_selected (self->default_model_row)->resolution;
}

static void
seedream_preferences_dialog_fill_default_resolutions (SeedreamPreferencesDialog *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *resolution = g_settings_get_string (self->settings, "default-resolution");
  const SeedreamModel *model = seedream_model_picker_get_selected (self->default_model_row);
  const SeedreamResolutionRule *rule = model->resolution;
  int selected = seedream_resolution_rule_find_preset (rule, resolution);

  if (selected < 0)
    selected = MAX (0, seedream_resolution_rule_find_preset (rule, model->default_resolution));

  for (guint i = 0; i < rule->n_presets; i++)
    gtk_string_list_append (labels, gettext (rule->presets[i].label));

  self->syncing = TRUE;
  adw_combo_row_set_model (self->default_resolution_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->default_resolution_row, (guint) selected);
  self->syncing = FALSE;
}

static void
seedream_preferences_dialog_default_model_cb (SeedreamPreferencesDialog *self)
{
  if (self->syncing || self->settings == NULL)
    return;

  g_settings_set_string (self->settings, "default-model",
                         seedream_model_picker_get_selected (self->default_model_row)->id);
  seedream_preferences_dialog_fill_default_resolutions (self);
}

static void
seedream_preferences_dialog_default_resolution_cb (SeedreamPreferencesDialog *self)
{
  const SeedreamResolutionRule *rule;
  guint selected = adw_combo_row_get_selected (self->default_resolution_row);

  if (self->syncing || self->settings == NULL)
    return;

  rule = default_rule (self);
  if (selected < rule->n_presets)
    g_settings_set_string (self->settings, "default-resolution", rule->presets[selected].wire);
}

static gboolean
batch_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_int32 (variant));
  return TRUE;
}

static GVariant *
batch_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  double number = g_value_get_double (value);

  return g_variant_new_int32 ((gint32) CLAMP (number, SEEDREAM_DRAFT_BATCH_SIZE_MIN,
                                              SEEDREAM_DRAFT_BATCH_SIZE_MAX));
}

static void
seedream_preferences_dialog_setup_defaults (SeedreamPreferencesDialog *self)
{
  g_autofree char *model_id = g_settings_get_string (self->settings, "default-model");
  const SeedreamModel *model = seedream_model_lookup (model_id);

  self->syncing = TRUE;
  seedream_model_picker_setup (self->default_model_row);
  seedream_model_picker_select (self->default_model_row,
                                model != NULL ? model : seedream_model_get_default ());
  self->syncing = FALSE;
  seedream_preferences_dialog_fill_default_resolutions (self);

  g_settings_bind_with_mapping (self->settings, "default-batch-size",
                                self->default_batch_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT,
                                batch_get_mapping, batch_set_mapping,
                                NULL, NULL);
}

/* API address */

static void
seedream_preferences_dialog_show_url_status (SeedreamPreferencesDialog *self,
                                             const char                *message,
                                             gboolean                   is_error)
{
  gtk_label_set_label (self->api_url_status, message);
  gtk_widget_set_visible (GTK_WIDGET (self->api_url_status), message != NULL);

  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->api_url_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->api_url_status), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->api_url_status), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->api_url_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->api_url_status), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->api_url_status), "dim-label");
    }

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

  if (!gtk_widget_get_sensitive (GTK_WIDGET (row)))
    return;

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
  seedream_preferences_dialog_toast (self, _("API address saved"));
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
seedream_preferences_dialog_setup_api_url (SeedreamPreferencesDialog *self)
{
  const char *from_env = seedream_api_url_get_override ();
  g_autofree char *api_url = NULL;
  g_autofree char *message = NULL;

  if (from_env != NULL)
    {
      /* Shown, not stored: the environment is for automation and tests. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->api_url_row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), from_env);
      /* Translators: %s is the name of an environment variable. */
      message = g_strdup_printf (_("The address from the %s environment variable is in use. "
                                   "It is never stored."),
                                 SEEDREAM_API_URL_ENV);
      seedream_preferences_dialog_show_url_status (self, message, FALSE);
      return;
    }

  api_url = g_settings_get_string (self->settings, "api-url");
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), api_url);
  seedream_preferences_dialog_show_url_status (self, NULL, FALSE);
}

static void
seedream_preferences_dialog_constructed (GObject *object)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (object);

  G_OBJECT_CLASS (seedream_preferences_dialog_parent_class)->constructed (object);

  self->settings = g_object_ref (seedream_session_get_settings (self->session));
  seedream_preferences_dialog_setup_defaults (self);
  seedream_preferences_dialog_setup_api_url (self);

  g_signal_connect_object (self->session, "notify::key-state",
                           G_CALLBACK (seedream_preferences_dialog_refresh_key_state),
                           self, G_CONNECT_SWAPPED);
  seedream_preferences_dialog_refresh_key_state (self);

  self->sign_in_flow = seedream_sign_in_flow_new (self->session);
  g_signal_connect_object (self->sign_in_flow, "notify::state",
                           G_CALLBACK (seedream_preferences_dialog_sign_in_state_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_in_flow, "notify::message",
                           G_CALLBACK (seedream_preferences_dialog_sync_sign_in),
                           self, G_CONNECT_SWAPPED);
  seedream_preferences_dialog_sync_sign_in (self);
}

/* Closing the dialog ends a sign-in under way: the port closes with it. */
static void
seedream_preferences_dialog_closed (AdwDialog *dialog)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (dialog);

  if (self->sign_in_flow != NULL)
    seedream_sign_in_flow_cancel (self->sign_in_flow);

  if (ADW_DIALOG_CLASS (seedream_preferences_dialog_parent_class)->closed != NULL)
    ADW_DIALOG_CLASS (seedream_preferences_dialog_parent_class)->closed (dialog);
}

static void
seedream_preferences_dialog_dispose (GObject *object)
{
  SeedreamPreferencesDialog *self = SEEDREAM_PREFERENCES_DIALOG (object);

  /* And so does dropping it. */
  if (self->sign_in_flow != NULL)
    seedream_sign_in_flow_cancel (self->sign_in_flow);
  g_clear_object (&self->sign_in_flow);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

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
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_KEY_STORED:
      g_value_set_boolean (value, seedream_preferences_dialog_get_key_stored (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, seedream_preferences_dialog_get_busy (self));
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
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_preferences_dialog_keys_page_cb (SeedreamPreferencesDialog *self)
{
  seedream_account_links_open (GTK_WIDGET (self), SEEDREAM_ACCOUNT_KEYS_URL);
}

static void
seedream_preferences_dialog_console_cb (SeedreamPreferencesDialog *self)
{
  seedream_account_links_open (GTK_WIDGET (self), SEEDREAM_ACCOUNT_CONSOLE_URL);
}

static void
seedream_preferences_dialog_class_init (SeedreamPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (SEEDREAM_TYPE_SAVING_GROUP);

  object_class->constructed = seedream_preferences_dialog_constructed;
  object_class->dispose = seedream_preferences_dialog_dispose;
  object_class->get_property = seedream_preferences_dialog_get_property;
  object_class->set_property = seedream_preferences_dialog_set_property;
  ADW_DIALOG_CLASS (klass)->closed = seedream_preferences_dialog_closed;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SEEDREAM_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_KEY_STORED] =
    g_param_spec_boolean ("key-stored", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SeedreamPreferencesDialog::api-key-changed:
   *
   * Emitted after a key was stored in, or removed from, the keyring.
   */
  signals[API_KEY_CHANGED] = g_signal_new ("api-key-changed",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, sign_in_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, sign_in_spinner);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, copy_link_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, sign_in_buttons);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, key_state_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, keys_page_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, console_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, key_state_icon);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, remove_key_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, default_model_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, default_resolution_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, default_batch_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, api_url_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamPreferencesDialog, api_url_status);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_key_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_keys_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_console_cb);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_default_model_cb);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_default_resolution_cb);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_api_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_api_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, seedream_preferences_dialog_reset_api_url_cb);

  gtk_widget_class_install_action (widget_class, "preferences.remove-key", NULL,
                                   seedream_preferences_dialog_remove_key_action);
  gtk_widget_class_install_action (widget_class, "preferences.sign-in", NULL,
                                   seedream_preferences_dialog_sign_in_action);
  gtk_widget_class_install_action (widget_class, "preferences.cancel-sign-in", NULL,
                                   seedream_preferences_dialog_cancel_sign_in_action);
  gtk_widget_class_install_action (widget_class, "preferences.copy-sign-in-link", NULL,
                                   seedream_preferences_dialog_copy_sign_in_link_action);
}

static void
seedream_preferences_dialog_init (SeedreamPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Its subtitle may be the keyring's own words: text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->key_state_row), FALSE);

  /* The addresses live in one header (seedream-account-urls.h). */
  adw_action_row_set_subtitle (self->keys_page_row, SEEDREAM_ACCOUNT_KEYS_URL);
  adw_action_row_set_subtitle (self->console_row, SEEDREAM_ACCOUNT_CONSOLE_URL);

  self->key_state = KEY_STATE_CHECKING;
  self->busy = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.remove-key", FALSE);
}
