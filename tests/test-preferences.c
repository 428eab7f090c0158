/* test-preferences.c: the preferences dialog, with GTK_A11Y=test.
 *
 * The key rows are tested against a real keyring: this runs through
 * tests/xvfb-session and tests/keyring-session (a private session bus and
 * HOME with an unlocked GNOME Keyring, SEEDREAM_TEST_KEYRING=isolated, or
 * with no Secret Service at all, =none). The keyring tests skip when run
 * any other way: they must never touch the keyring of the person running
 * them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include <libsoup/soup.h>

#include "seedream-key-store.h"
#include "seedream-preferences-dialog.h"
#include "seedream-session.h"
#include "seedream-test-util.h"

/* Helpers */

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop while @dialog talks to the keyring (a guard of
 * 60 s: a keyring daemon starting on a loaded machine can be slow). */
static gboolean
wait_until_idle (SeedreamPreferencesDialog *dialog)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (60, timed_out_cb, &timed_out);

  while (seedream_preferences_dialog_get_busy (dialog) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return !seedream_preferences_dialog_get_busy (dialog);
}

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (title == NULL ||
       (ADW_IS_PREFERENCES_ROW (root) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *widget = find_widget (child, type, title);

      if (widget != NULL)
        return widget;
    }

  return NULL;
}

static gboolean
keyring_is (const char *mode)
{
  return g_strcmp0 (g_getenv ("SEEDREAM_TEST_KEYRING"), mode) == 0;
}

typedef struct
{
  GtkWidget                 *window;
  SeedreamPreferencesDialog *dialog;
  GSettings                 *settings;
  char                      *data_dir;
  SeedreamSession           *session;
  guint                      n_reloads;
  guint                      n_changed;
} Fixture;

/* The session reads the key again after the dialog stored or removed it. */
static void
key_state_cb (Fixture *fixture)
{
  if (seedream_session_get_key_state (fixture->session) == SEEDREAM_SESSION_KEY_STATE_LOOKING_UP)
    fixture->n_reloads++;
}

static void
key_changed_cb (Fixture *fixture)
{
  fixture->n_changed++;
}

/* The dialog on a window, for a session of its own (as the main window
 * has), started as the app starts it. */
static void
fixture_open (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) data_dir = NULL;

  fixture->n_reloads = 0;
  fixture->n_changed = 0;

  fixture->data_dir = g_dir_make_tmp ("seedream-preferences-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_file_new_for_path (fixture->data_dir);

  fixture->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 700, 800);
  adw_window_set_content (ADW_WINDOW (fixture->window), adw_bin_new ());
  gtk_window_present (GTK_WINDOW (fixture->window));

  fixture->settings = g_settings_new (BASE_APP_ID);
  fixture->session = seedream_session_new (data_dir, fixture->settings);
  g_signal_connect_swapped (fixture->session, "notify::key-state", G_CALLBACK (key_state_cb), fixture);
  seedream_session_start (fixture->session);

  fixture->dialog = seedream_preferences_dialog_new (fixture->session);
  g_signal_connect_swapped (fixture->dialog, "api-key-changed", G_CALLBACK (key_changed_cb), fixture);
  adw_dialog_present (ADW_DIALOG (fixture->dialog), fixture->window);
}

static void
fixture_close (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_signal_handlers_disconnect_by_data (fixture->session, fixture);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->settings);
  seedream_test_remove_tree (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

static const char *
key_state_text (Fixture *fixture)
{
  GtkWidget *row = find_widget (GTK_WIDGET (fixture->dialog), ADW_TYPE_ACTION_ROW, "Stored Key");

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static GtkWidget *
key_row (Fixture *fixture)
{
  GtkWidget *row = find_widget (GTK_WIDGET (fixture->dialog), ADW_TYPE_PASSWORD_ENTRY_ROW, "API Key");

  g_assert_nonnull (row);
  return row;
}

static GtkWidget *
remove_button (Fixture *fixture)
{
  GtkWidget *row = find_widget (GTK_WIDGET (fixture->dialog), ADW_TYPE_ACTION_ROW, "Stored Key");
  GtkWidget *button = find_widget (row, GTK_TYPE_BUTTON, NULL);

  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "preferences.remove-key");
  return button;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* What the keyring holds now, asked independently of the dialog. */
static char *
stored_key (void)
{
  g_autoptr(SeedreamKeyStore) store = seedream_key_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  seedream_key_store_lookup_async (store, NULL, lookup_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  key = seedream_key_store_lookup_finish (store, result, &error);
  g_assert_no_error (error);
  return key;
}

/* Tests */

static void
test_key_store_and_remove (void)
{
  Fixture fixture = { 0 };
  g_autofree char *key = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *typed = g_strconcat ("  sk-test-", uuid, " ", NULL);
  AdwDialog *alert;

  if (!keyring_is ("isolated"))
    {
      g_test_skip ("Needs tests/keyring-session");
      return;
    }

  fixture_open (&fixture);
  g_assert_true (wait_until_idle (fixture.dialog));
  g_assert_false (seedream_preferences_dialog_get_key_stored (fixture.dialog));
  g_assert_true (g_str_has_prefix (key_state_text (&fixture), "No key is stored"));
  g_assert_true (gtk_widget_is_sensitive (key_row (&fixture)));
  g_assert_false (gtk_widget_is_sensitive (remove_button (&fixture)));

  /* Apply stores the key, trimmed, and tells the window. */
  gtk_editable_set_text (GTK_EDITABLE (key_row (&fixture)), typed);
  g_signal_emit_by_name (key_row (&fixture), "apply");
  g_assert_true (seedream_preferences_dialog_get_busy (fixture.dialog));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (key_row (&fixture))));
  g_assert_true (wait_until_idle (fixture.dialog));

  g_assert_true (seedream_preferences_dialog_get_key_stored (fixture.dialog));
  g_assert_true (g_str_has_prefix (key_state_text (&fixture), "A key is stored in your keyring"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_row (&fixture))), ==, "");
  g_assert_true (gtk_widget_is_sensitive (key_row (&fixture)));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (key_row (&fixture))));
  g_assert_true (gtk_widget_is_sensitive (remove_button (&fixture)));
  g_assert_cmpuint (fixture.n_changed, ==, 1);
  g_assert_cmpuint (fixture.n_reloads, ==, 1);
  g_assert_cmpint (seedream_session_get_key_state (fixture.session), ==, SEEDREAM_SESSION_KEY_STATE_READY);
  key = stored_key ();
  g_assert_nonnull (key);
  g_assert_true (g_str_has_prefix (key, "sk-test-"));
  g_assert_cmpstr (key + strlen ("sk-test-"), ==, uuid);
  g_clear_pointer (&key, g_free);

  /* A dialog opened later sees the stored key. */
  fixture_close (&fixture);
  fixture_open (&fixture);
  g_assert_true (wait_until_idle (fixture.dialog));
  g_assert_true (seedream_preferences_dialog_get_key_stored (fixture.dialog));

  /* An empty key is refused, in words, and nothing changes. */
  gtk_editable_set_text (GTK_EDITABLE (key_row (&fixture)), "   ");
  g_signal_emit_by_name (key_row (&fixture), "apply");
  g_assert_true (wait_until_idle (fixture.dialog));
  g_assert_true (gtk_widget_has_css_class (key_row (&fixture), "error"));
  g_assert_true (seedream_preferences_dialog_get_key_stored (fixture.dialog));
  g_assert_cmpuint (fixture.n_changed, ==, 0);
  key = stored_key ();
  g_assert_nonnull (key);
  g_clear_pointer (&key, g_free);

  /* Remove asks first; cancelling keeps the key. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "preferences.remove-key", NULL));
  alert = adw_window_get_visible_dialog (ADW_WINDOW (fixture.window));
  g_assert_true (ADW_IS_ALERT_DIALOG (alert));
  g_assert_cmpint (adw_alert_dialog_get_response_appearance (ADW_ALERT_DIALOG (alert), "remove"),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_alert_dialog_get_close_response (ADW_ALERT_DIALOG (alert)), ==, "cancel");
  g_signal_emit_by_name (alert, "response", "cancel");
  adw_dialog_force_close (alert);
  g_assert_true (wait_until_idle (fixture.dialog));
  g_assert_true (seedream_preferences_dialog_get_key_stored (fixture.dialog));
  key = stored_key ();
  g_assert_nonnull (key);
  g_clear_pointer (&key, g_free);

  /* Confirmed, the key goes, and the window is told. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "preferences.remove-key", NULL));
  alert = adw_window_get_visible_dialog (ADW_WINDOW (fixture.window));
  g_assert_true (ADW_IS_ALERT_DIALOG (alert));
  g_signal_emit_by_name (alert, "response", "remove");
  adw_dialog_force_close (alert);
  g_assert_true (wait_until_idle (fixture.dialog));
  g_assert_false (seedream_preferences_dialog_get_key_stored (fixture.dialog));
  g_assert_true (g_str_has_prefix (key_state_text (&fixture), "No key is stored"));
  g_assert_false (gtk_widget_is_sensitive (remove_button (&fixture)));
  g_assert_cmpuint (fixture.n_changed, ==, 1);
  g_assert_cmpuint (fixture.n_reloads, ==, 1);
  g_assert_cmpint (seedream_session_get_key_state (fixture.session), ==, SEEDREAM_SESSION_KEY_STATE_MISSING);
  key = stored_key ();
  g_assert_null (key);

  fixture_close (&fixture);
}

static void
test_key_no_keyring (void)
{
  Fixture fixture = { 0 };

  if (!keyring_is ("none"))
    {
      g_test_skip ("Needs tests/keyring-session --no-keyring");
      return;
    }

  fixture_open (&fixture);
  g_assert_true (wait_until_idle (fixture.dialog));
  g_assert_false (seedream_preferences_dialog_get_key_stored (fixture.dialog));
  /* Says what is missing and what to do. */
  g_assert_true (g_str_has_prefix (key_state_text (&fixture), "No keyring is available"));
  g_assert_nonnull (strstr (key_state_text (&fixture), "GNOME Keyring"));
  g_assert_false (gtk_widget_is_sensitive (remove_button (&fixture)));

  /* Storing fails the same way, and what was typed stays. */
  gtk_editable_set_text (GTK_EDITABLE (key_row (&fixture)), "sk-nowhere");
  g_signal_emit_by_name (key_row (&fixture), "apply");
  g_assert_true (wait_until_idle (fixture.dialog));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_row (&fixture))), ==, "sk-nowhere");
  g_assert_true (gtk_widget_has_css_class (key_row (&fixture), "error"));
  g_assert_cmpuint (fixture.n_changed, ==, 0);
  g_assert_cmpuint (fixture.n_reloads, ==, 0);

  fixture_close (&fixture);
}

static gboolean
flow_is_not_waiting (gpointer data)
{
  return seedream_sign_in_flow_get_state (data) != SEEDREAM_SIGN_IN_STATE_WAITING;
}

/* The redirect_uri of the link the flow would have the browser open. */
static char *
flow_redirect_uri (SeedreamSignInFlow *flow)
{
  g_autoptr(GUri) link = g_uri_parse (seedream_sign_in_flow_get_uri (flow), G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (link);
  params = g_uri_parse_params (g_uri_get_query (link), -1, "&", G_URI_PARAMS_NONE, NULL);
  return g_strdup (g_hash_table_lookup (params, "redirect_uri"));
}

static guint
post_token (const char *url,
            const char *token)
{
  g_autofree char *form = g_strconcat ("token=", token, NULL);
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

  return seedream_test_http_request ("POST", url, SOUP_FORM_MIME_TYPE_URLENCODED, body, FALSE, NULL, NULL);
}

/* Sign In With Browser: a stand-in page posts the key to the loopback
 * callback; it lands in the real keyring through the session. A post
 * that does not know the secret stores nothing. */
static void
test_sign_in (void)
{
  Fixture fixture = { 0 };
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *token = g_strconcat ("sk-browser-", uuid, NULL);
  g_autofree char *redirect = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *key = NULL;
  SeedreamSignInFlow *flow;
  GtkWidget *row;
  guint16 port;

  if (!keyring_is ("isolated") && !keyring_is ("none"))
    {
      g_test_skip ("Needs tests/keyring-session");
      return;
    }

  /* No browser: the link goes nowhere, the callback is posted to by hand. */
  g_setenv ("SEEDREAM_SIGNIN_URL", "http://127.0.0.1:9/auth", TRUE);
  fixture_open (&fixture);
  g_assert_true (wait_until_idle (fixture.dialog));
  flow = seedream_preferences_dialog_get_sign_in_flow (fixture.dialog);

  gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "preferences.sign-in", NULL);
  g_assert_cmpint (seedream_sign_in_flow_get_state (flow), ==, SEEDREAM_SIGN_IN_STATE_WAITING);
  row = find_widget (GTK_WIDGET (fixture.dialog), ADW_TYPE_ACTION_ROW, "Sign In With Browser");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Waiting for the browser"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "redirect_uri="));

  redirect = flow_redirect_uri (flow);
  port = seedream_sign_in_get_port (seedream_sign_in_flow_get_sign_in (flow));
  bare = g_strdup_printf ("http://127.0.0.1:%u/callback", port);
  g_assert_cmpuint (post_token (bare, "sk-planted"), ==, 404);
  g_assert_cmpint (seedream_sign_in_flow_get_state (flow), ==, SEEDREAM_SIGN_IN_STATE_WAITING);

  g_assert_cmpuint (post_token (redirect, token), ==, 200);
  g_assert_true (seedream_test_wait_until (flow_is_not_waiting, flow, 20));
  g_assert_true (wait_until_idle (fixture.dialog));

  if (keyring_is ("isolated"))
    {
      g_assert_cmpint (seedream_sign_in_flow_get_state (flow), ==, SEEDREAM_SIGN_IN_STATE_SIGNED_IN);
      key = stored_key ();
      g_assert_cmpstr (key, ==, token);
      g_assert_true (seedream_preferences_dialog_get_key_stored (fixture.dialog));
      g_assert_cmpint (seedream_session_get_key_state (fixture.session), ==, SEEDREAM_SESSION_KEY_STATE_READY);
      g_assert_cmpuint (fixture.n_changed, ==, 1);
    }
  else
    {
      /* No keyring: said in words, nothing pretends to be signed in. */
      g_assert_cmpint (seedream_sign_in_flow_get_state (flow), ==, SEEDREAM_SIGN_IN_STATE_FAILED);
      g_assert_nonnull (seedream_sign_in_flow_get_message (flow));
      g_assert_true (gtk_widget_has_css_class (row, "error"));
      g_assert_cmpuint (fixture.n_changed, ==, 0);
    }

  fixture_close (&fixture);
  g_unsetenv ("SEEDREAM_SIGNIN_URL");
}

/* Closing the dialog while waiting closes the port. */
static void
test_sign_in_closed_with_dialog (void)
{
  Fixture fixture = { 0 };
  SeedreamSignInFlow *flow;
  guint16 port;

  g_setenv ("SEEDREAM_SIGNIN_URL", "http://127.0.0.1:9/auth", TRUE);
  fixture_open (&fixture);
  flow = seedream_preferences_dialog_get_sign_in_flow (fixture.dialog);
  gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "preferences.sign-in", NULL);
  g_assert_cmpint (seedream_sign_in_flow_get_state (flow), ==, SEEDREAM_SIGN_IN_STATE_WAITING);
  port = seedream_sign_in_get_port (seedream_sign_in_flow_get_sign_in (flow));
  g_assert_false (seedream_test_port_is_closed (port));

  /* Cancel, then again, then the dialog's closing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "preferences.cancel-sign-in", NULL);
  g_assert_cmpint (seedream_sign_in_flow_get_state (flow), ==, SEEDREAM_SIGN_IN_STATE_IDLE);
  g_assert_true (seedream_test_port_is_closed (port));

  gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "preferences.sign-in", NULL);
  port = seedream_sign_in_get_port (seedream_sign_in_flow_get_sign_in (flow));
  g_assert_false (seedream_test_port_is_closed (port));
  g_assert_true (wait_until_idle (fixture.dialog));
  adw_dialog_force_close (ADW_DIALOG (fixture.dialog));
  g_assert_true (seedream_test_port_is_closed (port));
  fixture_close (&fixture);
  g_unsetenv ("SEEDREAM_SIGNIN_URL");
}

static void
test_key_from_environment (void)
{
  Fixture fixture = { 0 };

  g_setenv (SEEDREAM_API_KEY_ENV, "sk-from-the-environment", TRUE);
  fixture_open (&fixture);

  /* Known at once: the keyring is not asked. */
  g_assert_false (seedream_preferences_dialog_get_busy (fixture.dialog));
  g_assert_nonnull (strstr (key_state_text (&fixture), "SEEDREAM_API_KEY"));
  g_assert_nonnull (strstr (key_state_text (&fixture), "never stored"));
  g_assert_false (gtk_widget_is_sensitive (key_row (&fixture)));
  g_assert_false (gtk_widget_is_sensitive (remove_button (&fixture)));

  /* Even an apply that gets through does nothing. */
  gtk_editable_set_text (GTK_EDITABLE (key_row (&fixture)), "sk-other");
  g_signal_emit_by_name (key_row (&fixture), "apply");
  g_assert_false (seedream_preferences_dialog_get_busy (fixture.dialog));
  g_assert_cmpuint (fixture.n_changed, ==, 0);

  fixture_close (&fixture);
  g_unsetenv (SEEDREAM_API_KEY_ENV);
}

static void
test_api_url_from_environment (void)
{
  Fixture fixture = { 0 };
  g_autofree char *api_url = NULL;
  GtkWidget *row;

  g_setenv ("SEEDREAM_API_URL", "http://127.0.0.1:9/", TRUE);
  g_setenv (SEEDREAM_API_KEY_ENV, "sk-from-the-environment", TRUE);
  fixture_open (&fixture);

  row = find_widget (GTK_WIDGET (fixture.dialog), ADW_TYPE_ENTRY_ROW, "API Address");
  g_assert_nonnull (row);
  g_assert_false (gtk_widget_is_sensitive (row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "http://127.0.0.1:9/");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  /* Shown, never stored. */
  api_url = g_settings_get_string (fixture.settings, "api-url");
  g_assert_cmpstr (api_url, ==, "https://api.tensorslab.com");

  fixture_close (&fixture);
  g_unsetenv ("SEEDREAM_API_URL");
  g_unsetenv (SEEDREAM_API_KEY_ENV);
}

static void
test_defaults (void)
{
  Fixture fixture = { 0 };
  AdwComboRow *resolution;
  GtkSpinButton *batch;
  GListModel *model;
  guint four_k = G_MAXUINT;
  g_autofree char *stored = NULL;

  g_setenv (SEEDREAM_API_KEY_ENV, "sk-from-the-environment", TRUE);
  fixture_open (&fixture);
  g_settings_reset (fixture.settings, "default-resolution");
  g_settings_reset (fixture.settings, "default-batch-size");
  g_settings_reset (fixture.settings, "default-model");
  fixture_close (&fixture);

  /* The dialog shows what is stored... */
  fixture_open (&fixture);
  g_settings_set_string (fixture.settings, "default-resolution", "9:16");
  g_settings_set_int (fixture.settings, "default-batch-size", 6);
  fixture_close (&fixture);
  fixture_open (&fixture);
  resolution = ADW_COMBO_ROW (find_widget (GTK_WIDGET (fixture.dialog), ADW_TYPE_COMBO_ROW, "Resolution"));
  g_assert_nonnull (resolution);
  batch = GTK_SPIN_BUTTON (find_widget (GTK_WIDGET (fixture.dialog), GTK_TYPE_SPIN_BUTTON, NULL));
  g_assert_nonnull (batch);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (resolution)), ==, "9:16 Portrait");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (batch), ==, 6);

  /* ...and stores what is chosen. */
  model = adw_combo_row_get_model (resolution);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      g_assert_cmpstr (gtk_string_object_get_string (item), !=, "Custom size");
      if (g_strcmp0 (gtk_string_object_get_string (item), "4K") == 0)
        four_k = i;
    }
  g_assert_cmpuint (four_k, !=, G_MAXUINT);
  adw_combo_row_set_selected (resolution, four_k);
  stored = g_settings_get_string (fixture.settings, "default-resolution");
  g_assert_cmpstr (stored, ==, "4K");

  gtk_spin_button_set_value (batch, 15);
  g_assert_cmpint (g_settings_get_int (fixture.settings, "default-batch-size"), ==, 15);
  gtk_spin_button_set_value (batch, 40);
  g_assert_cmpint (g_settings_get_int (fixture.settings, "default-batch-size"), ==, 15);

  /* The default model, beside the default size, whose list follows it. */
  {
    AdwComboRow *model_row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (fixture.dialog), ADW_TYPE_COMBO_ROW, "Model"));
    g_autofree char *stored_model = NULL;
    g_autofree char *kept = NULL;

    g_assert_nonnull (model_row);
    g_assert_true (gtk_widget_get_next_sibling (GTK_WIDGET (model_row)) == GTK_WIDGET (resolution));
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (model_row)), ==, "Seedream 4.5");
    adw_combo_row_set_selected (model_row, 2);
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (model_row)), ==, "Seedream 4.0");
    stored_model = g_settings_get_string (fixture.settings, "default-model");
    g_assert_cmpstr (stored_model, ==, "seedreamv4");
    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (resolution)), ==, 5);
    /* 4K is not one of 4.0's: shown as what a new form gets, not rewritten. */
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (resolution)), ==, "1:1 Square");
    kept = g_settings_get_string (fixture.settings, "default-resolution");
    g_assert_cmpstr (kept, ==, "4K");
    adw_combo_row_set_selected (resolution, 3);
    g_free (kept);
    kept = g_settings_get_string (fixture.settings, "default-resolution");
    g_assert_cmpstr (kept, ==, "16:9");
    g_settings_reset (fixture.settings, "default-model");
  }

  fixture_close (&fixture);
  g_unsetenv (SEEDREAM_API_KEY_ENV);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/seedream/preferences/key/store-and-remove", test_key_store_and_remove);
  g_test_add_func ("/seedream/preferences/key/no-keyring", test_key_no_keyring);
  g_test_add_func ("/seedream/preferences/key/from-environment", test_key_from_environment);
  g_test_add_func ("/seedream/preferences/sign-in/stores-key", test_sign_in);
  g_test_add_func ("/seedream/preferences/sign-in/closed-with-dialog", test_sign_in_closed_with_dialog);
  g_test_add_func ("/seedream/preferences/api-url/from-environment", test_api_url_from_environment);
  g_test_add_func ("/seedream/preferences/defaults", test_defaults);

  return g_test_run ();
}
