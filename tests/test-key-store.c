/* test-key-store.c: the API key lives in the keyring, and only there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs through tests/keyring-session, which gives it a private session bus
 * and HOME: with a real, unlocked GNOME Keyring (SEEDREAM_TEST_KEYRING=
 * isolated), or with no Secret Service at all (=none). Run any other way, it
 * skips: it must never touch the keyring of the person running it.
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <libsecret/secret.h>
#include <stdlib.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-key-store.h"

#define NO_KEYRING_MESSAGE \
  "No keyring is available to keep your API key. Install and start GNOME Keyring " \
  "(or another Secret Service), then try again."
#define OVERRIDE_MESSAGE \
  "The API key comes from the SEEDREAM_API_KEY environment variable; unset it to " \
  "store a key in the keyring"

/* Keys that must never appear in a log message. */
static GPtrArray *secret_values;

static GLogWriterOutput
no_secret_in_logs_writer (GLogLevelFlags   log_level,
                          const GLogField *fields,
                          gsize            n_fields,
                          gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0 || fields[i].value == NULL)
        continue;

      for (guint j = 0; j < secret_values->len; j++)
        {
          const char *message = fields[i].value;
          gsize length = fields[i].length < 0 ? strlen (message) : (gsize) fields[i].length;

          if (g_strstr_len (message, length, g_ptr_array_index (secret_values, j)) != NULL)
            {
              g_printerr ("A log message holds the key: %s\n", message);
              g_test_fail ();
              abort ();
            }
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* A key no other test, and no file, holds by chance. */
static char *
random_key (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat (prefix, uuid, NULL);
}

static const char *
remember_secret (const char *key)
{
  g_ptr_array_add (secret_values, g_strdup (key));

  return key;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static char *
lookup (SeedreamKeyStore  *store,
        GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_key_store_lookup_async (store, NULL, result_cb, &result);
  return seedream_key_store_lookup_finish (store, wait_for (&result), error);
}

static gboolean
store_key (SeedreamKeyStore  *store,
           const char        *key,
           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_key_store_store_async (store, key, NULL, result_cb, &result);
  return seedream_key_store_store_finish (store, wait_for (&result), error);
}

static gboolean
clear_key (SeedreamKeyStore  *store,
           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_key_store_clear_async (store, NULL, result_cb, &result);
  return seedream_key_store_clear_finish (store, wait_for (&result), error);
}

/* secret-tool is not under test: without the tests' G_DEBUG=fatal-warnings. */
static char **
tool_environ (void)
{
  return g_environ_unsetenv (g_get_environ (), "G_DEBUG");
}

/* What secret-tool, another client of the same keyring, finds there;
 * %NULL when it finds nothing. */
static char *
secret_tool_lookup (void)
{
  const char *argv[] = { "secret-tool", "lookup", "purpose", "api-key", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) envp = tool_environ ();
  int status;

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);

  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;

  return g_strdup (g_strstrip (out));
}

/* Everything secret-tool reports about our items, attributes included. */
static char *
secret_tool_search (guint *n_items)
{
  const char *argv[] = { "secret-tool", "search", "--all", "purpose", "api-key", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) envp = tool_environ ();
  int status;

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH,
                NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);

  *n_items = 0;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '[')
        (*n_items)++;
    }

  return g_strconcat (out, err, NULL);
}

static void
assert_keyring_empty (void)
{
  g_autofree char *found = secret_tool_lookup ();
  g_autofree char *report = NULL;
  guint n_items;

  g_assert_null (found);
  report = secret_tool_search (&n_items);
  g_assert_cmpuint (n_items, ==, 0);
}

static void
start_empty (SeedreamKeyStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (seedream_key_store_is_overridden (store));
  g_assert_true (clear_key (store, &error));
  g_assert_no_error (error);
  assert_keyring_empty ();
}

static void
test_key_store_lookup_empty (void)
{
  g_autoptr(SeedreamKeyStore) store = seedream_key_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  start_empty (store);

  key = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_null (key);

  /* Clearing when there is nothing is no error either. */
  g_assert_true (clear_key (store, &error));
  g_assert_no_error (error);
}

static void
test_key_store_store_lookup (void)
{
  g_autoptr(SeedreamKeyStore) store = seedream_key_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *canary = random_key ("sk-test-");
  g_autofree char *entered = g_strconcat ("  \t", canary, " \n", NULL);
  g_autofree char *key = NULL;
  g_autofree char *found = NULL;
  g_autofree char *report = NULL;
  guint n_items;

  remember_secret (canary);
  start_empty (store);

  /* Stored without the space around it. */
  g_assert_true (store_key (store, entered, &error));
  g_assert_no_error (error);

  key = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, canary);

  /* Really in the keyring: a new store finds it, and so does another program. */
  {
    g_autoptr(SeedreamKeyStore) other = seedream_key_store_new ();
    g_autofree char *again = lookup (other, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, canary);
  }
  found = secret_tool_lookup ();
  g_assert_cmpstr (found, ==, canary);

  report = secret_tool_search (&n_items);
  g_assert_cmpuint (n_items, ==, 1);
  g_assert_nonnull (strstr (report, "label = Seedream Studio API key"));
  g_assert_nonnull (strstr (report, "schema = " BASE_APP_ID "\n"));

  /* Storing again replaces the key: still one item. */
  {
    g_autofree char *second = random_key ("sk-second-");
    g_autofree char *again = NULL;
    g_autofree char *report2 = NULL;

    remember_secret (second);
    g_assert_true (store_key (store, second, &error));
    g_assert_no_error (error);
    again = lookup (store, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, second);
    report2 = secret_tool_search (&n_items);
    g_assert_cmpuint (n_items, ==, 1);
  }
}

static void
test_key_store_clear (void)
{
  g_autoptr(SeedreamKeyStore) store = seedream_key_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  start_empty (store);

  g_assert_true (store_key (store, remember_secret ("sk-to-be-cleared-0123456789"), &error));
  g_assert_no_error (error);
  {
    g_autofree char *found = secret_tool_lookup ();

    g_assert_cmpstr (found, ==, "sk-to-be-cleared-0123456789");
  }

  g_assert_true (clear_key (store, &error));
  g_assert_no_error (error);

  key = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_null (key);
  assert_keyring_empty ();
}

static void
test_key_store_refuses_bad_keys (void)
{
  g_autoptr(SeedreamKeyStore) store = seedream_key_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *bad[] = {
    "",
    "   ",
    " \t\n\r ",
    "sk-one\nsk-two",
    "sk-with\r\nInjected: header",
    "sk-\x01-control",
    "sk-invalid-utf8-\xff\xfe",
  };

  start_empty (store);
  g_assert_true (store_key (store, remember_secret ("sk-the-good-one"), &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (store_key (store, bad[i], &error));
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }

  g_assert_false (store_key (store, NULL, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* The stored key is untouched. */
  key = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-the-good-one");
}

static void
test_key_store_env_override (void)
{
  g_autoptr(SeedreamKeyStore) store = seedream_key_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  guint n_items;

  start_empty (store);
  g_assert_true (store_key (store, remember_secret ("sk-in-the-keyring"), &error));
  g_assert_no_error (error);

  g_setenv ("SEEDREAM_API_KEY", remember_secret ("  sk-from-the-environment \n"), TRUE);
  remember_secret ("sk-from-the-environment");
  g_assert_true (seedream_key_store_is_overridden (store));

  /* Lookup returns the environment's key, without the space around it... */
  {
    g_autofree char *key = lookup (store, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (key, ==, "sk-from-the-environment");
  }

  /* ...and storing or clearing is refused, saying why. */
  g_assert_false (store_key (store, "sk-something-else", &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, OVERRIDE_MESSAGE);
  g_clear_error (&error);

  g_assert_false (clear_key (store, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, OVERRIDE_MESSAGE);
  g_clear_error (&error);

  /* The keyring was not touched: the environment's key never went there. */
  {
    g_autofree char *found = secret_tool_lookup ();

    g_assert_cmpstr (found, ==, "sk-in-the-keyring");
  }
  report = secret_tool_search (&n_items);
  g_assert_cmpuint (n_items, ==, 1);
  g_assert_null (strstr (report, "sk-from-the-environment"));

  /* Only spaces is no key, and no override. */
  g_setenv ("SEEDREAM_API_KEY", "   ", TRUE);
  g_assert_false (seedream_key_store_is_overridden (store));
  {
    g_autofree char *key = lookup (store, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (key, ==, "sk-in-the-keyring");
  }

  /* A variable that could not be a key overrides, and says so. */
  g_setenv ("SEEDREAM_API_KEY", "sk-a\nsk-b", TRUE);
  g_assert_true (seedream_key_store_is_overridden (store));
  {
    g_autofree char *key = lookup (store, &error);

    g_assert_null (key);
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "SEEDREAM_API_KEY"));
    g_clear_error (&error);
  }

  g_unsetenv ("SEEDREAM_API_KEY");
  g_assert_false (seedream_key_store_is_overridden (store));
  {
    g_autofree char *key = lookup (store, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (key, ==, "sk-in-the-keyring");
  }
}

static gboolean
contains (const char *haystack,
          gsize       haystack_len,
          const char *needle)
{
  gsize needle_len = strlen (needle);

  for (gsize i = 0; needle_len <= haystack_len && i <= haystack_len - needle_len; i++)
    {
      if (memcmp (haystack + i, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Reads every regular file under @path; fails if one holds @needle. */
static guint
scan_tree (const char *path,
           const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n_files = 0;

  if (dir == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          n_files += scan_tree (child, needle);
        }
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *contents = NULL;
          gsize length;

          if (!g_file_get_contents (child, &contents, &length, NULL))
            continue;

          if (contains (contents, length, needle))
            g_error ("The key is in clear text in %s", child);

          n_files++;
        }
    }

  return n_files;
}

static void
test_key_store_not_in_clear_text (void)
{
  g_autoptr(SeedreamKeyStore) store = seedream_key_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *canary = random_key ("sk-canary-");
  g_autofree char *keyring = g_build_filename (g_get_user_data_dir (), "keyrings", "login.keyring",
                                               NULL);
  const char *session_dir = g_getenv ("SEEDREAM_TEST_KEYRING_DIR");
  GStatBuf before, after;

  g_assert_nonnull (session_dir);
  g_assert_true (g_str_has_prefix (g_get_home_dir (), session_dir));

  remember_secret (canary);
  start_empty (store);
  g_assert_cmpint (g_stat (keyring, &before), ==, 0);

  g_assert_true (store_key (store, canary, &error));
  g_assert_no_error (error);

  /* The keyring file was written with the new item... */
  {
    g_autofree char *found = secret_tool_lookup ();

    g_assert_cmpstr (found, ==, canary);
  }
  g_assert_cmpint (g_stat (keyring, &after), ==, 0);
  g_assert_true (after.st_size != before.st_size || after.st_mtime != before.st_mtime ||
                 after.st_ino != before.st_ino);

  /* ...and neither it nor any other file under the session's HOME (and
   * runtime folder) holds the key in clear text. */
  g_assert_cmpuint (scan_tree (session_dir, canary), >=, 1);
}

static void
assert_no_keyring_error (const GError *error)
{
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, NO_KEYRING_MESSAGE);
}

static void
test_key_store_no_keyring (void)
{
  g_autoptr(SeedreamKeyStore) store = seedream_key_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  key = lookup (store, &error);
  g_assert_null (key);
  assert_no_keyring_error (error);
  g_clear_error (&error);

  g_assert_false (store_key (store, remember_secret ("sk-nowhere-to-go"), &error));
  assert_no_keyring_error (error);
  g_clear_error (&error);

  g_assert_false (clear_key (store, &error));
  assert_no_keyring_error (error);
  g_clear_error (&error);

  /* The environment still works without a keyring. */
  g_setenv ("SEEDREAM_API_KEY", remember_secret ("sk-env-only"), TRUE);
  key = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-env-only");
  g_unsetenv ("SEEDREAM_API_KEY");
}

/* No session bus at all (a console login, a sandbox without one). */
static void
test_key_store_no_bus (void)
{
  if (g_test_subprocess ())
    {
      test_key_store_no_keyring ();
      return;
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *runtime = g_dir_make_tmp ("seedream-no-bus-XXXXXX", &error);
      g_auto(GStrv) envp = g_get_environ ();

      g_assert_no_error (error);
      envp = g_environ_unsetenv (envp, "DBUS_SESSION_BUS_ADDRESS");
      envp = g_environ_unsetenv (envp, "DISPLAY");
      envp = g_environ_unsetenv (envp, "SEEDREAM_API_KEY");
      envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", runtime, TRUE);

      g_test_trap_subprocess_with_envp (NULL, (const char * const *) envp, 0,
                                        G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_rmdir (runtime);
      g_test_trap_assert_passed ();
    }
}

static void
test_key_store_not_isolated (void)
{
  g_test_skip ("Run through tests/keyring-session: this test must not use your own keyring");
}

/* The app takes the key out of its environment at start: the programs it
 * starts (Open With, the browser) must not inherit it. Irreversible for
 * this process, so this test runs last. */
static void
test_key_store_env_claimed (void)
{
  g_autoptr(SeedreamKeyStore) store = seedream_key_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *child_env = NULL;
  g_autofree char *key = NULL;
  const char *argv[] = { "env", NULL };
  int wait_status = 0;

  g_setenv (SEEDREAM_API_KEY_ENV, remember_secret ("sk-claimed-at-start"), TRUE);
  seedream_key_store_claim_environment ();

  g_assert_null (g_getenv (SEEDREAM_API_KEY_ENV));
  g_assert_true (seedream_key_store_is_overridden (store));
  key = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-claimed-at-start");

  /* A child sees neither the variable nor the key. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &child_env, NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_assert_nonnull (strstr (child_env, "SEEDREAM_TEST_KEYRING="));
  g_assert_null (strstr (child_env, SEEDREAM_API_KEY_ENV));
  g_assert_null (strstr (child_env, "sk-claimed-at-start"));
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = g_getenv ("SEEDREAM_TEST_KEYRING");
  int status;

  g_test_init (&argc, &argv, NULL);

  secret_values = g_ptr_array_new_with_free_func (g_free);
  g_log_set_debug_enabled (TRUE);
  g_log_set_writer_func (no_secret_in_logs_writer, NULL, NULL);

  if (g_strcmp0 (mode, "isolated") == 0)
    {
      g_test_add_func ("/seedream/key-store/lookup-empty", test_key_store_lookup_empty);
      g_test_add_func ("/seedream/key-store/store-lookup", test_key_store_store_lookup);
      g_test_add_func ("/seedream/key-store/clear", test_key_store_clear);
      g_test_add_func ("/seedream/key-store/refuses-bad-keys", test_key_store_refuses_bad_keys);
      g_test_add_func ("/seedream/key-store/env-override", test_key_store_env_override);
      g_test_add_func ("/seedream/key-store/not-in-clear-text", test_key_store_not_in_clear_text);
      g_test_add_func ("/seedream/key-store/env-claimed", test_key_store_env_claimed);
    }
  else if (g_strcmp0 (mode, "none") == 0)
    {
      g_test_add_func ("/seedream/key-store/no-keyring", test_key_store_no_keyring);
      g_test_add_func ("/seedream/key-store/no-bus", test_key_store_no_bus);
    }
  else
    {
      g_test_add_func ("/seedream/key-store/not-isolated", test_key_store_not_isolated);
    }

  status = g_test_run ();

  /* libsecret keeps its connection for the life of the process. */
  secret_service_disconnect ();
  g_ptr_array_unref (secret_values);

  return status;
}
