/* seedream-key-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API key lives in the user's keyring (the Secret Service, through
 * libsecret): never in settings, logs or command lines. The environment
 * variable SEEDREAM_API_KEY, when set, takes its place without touching the
 * keyring, for scripts and for trying the app out.
 *
 * Nothing here logs a key; copies made on the way are wiped before they are
 * freed.
 */

#define G_LOG_DOMAIN "seedream-key-store"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "seedream-error.h"
#include "seedream-key-store.h"

struct _SeedreamKeyStore
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (SeedreamKeyStore, seedream_key_store, G_TYPE_OBJECT)

#define ATTRIBUTE_PURPOSE  "purpose"
#define PURPOSE_API_KEY    "api-key"

/* One schema for the app and its Devel build, so both find the same key. */
static const SecretSchema *
seedream_key_store_get_schema (void)
{
  static const SecretSchema schema = {
    .name = BASE_APP_ID,
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
      { ATTRIBUTE_PURPOSE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
wipe_and_free (char *secret)
{
  if (secret == NULL)
    return;

  secret_password_wipe (secret);
  g_free (secret);
}

/* A string holding a key: g_autoptr(KeyString) wipes it when it goes. */
typedef char KeyString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyString, wipe_and_free)

/* Whether @key (already trimmed) can go into an HTTP header. */
static gboolean
key_is_valid (const char *key)
{
  for (const char *p = key; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p))
        return FALSE;
    }

  return TRUE;
}

/* The key without surrounding space; %NULL with @error set when there is no
 * key left or it could not go into an HTTP header. */
static char *
normalize_key (const char  *key,
               GError     **error)
{
  g_autoptr(KeyString) trimmed = NULL;

  if (key == NULL || !g_utf8_validate (key, -1, NULL))
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                           _("The API key contains characters that cannot be part of a key"));
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (key));

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                           _("Enter your API key"));
      return NULL;
    }

  if (!key_is_valid (trimmed))
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                           _("The API key must not contain line breaks, tabs or other "
                             "control characters"));
      return NULL;
    }

  return g_steal_pointer (&trimmed);
}

/* The value of SEEDREAM_API_KEY once seedream_key_store_claim_environment()
 * took it out of the environment; the process keeps it to the end. */
static char *claimed_key;
static gboolean claimed;

/**
 * seedream_key_store_claim_environment:
 *
 * Takes SEEDREAM_API_KEY out of the environment, keeping its value for
 * the key store: every program the app starts (the image viewer of Open
 * With, the browser) inherits the environment, and must not get the key.
 * Call it first thing in main(), before any thread starts: changing the
 * environment is not thread-safe. Without the call the variable is read
 * where it is (the tests set and unset it as they go).
 */
void
seedream_key_store_claim_environment (void)
{
  if (claimed)
    return;

  claimed = TRUE;
  claimed_key = g_strdup (g_getenv (SEEDREAM_API_KEY_ENV));
  g_unsetenv (SEEDREAM_API_KEY_ENV);
}

/* The key from the environment, or %NULL when the variable is unset or only
 * holds spaces (which would be no key at all). */
static char *
seedream_key_store_get_override (GError **error)
{
  const char *value = claimed ? claimed_key : g_getenv (SEEDREAM_API_KEY_ENV);
  g_autoptr(KeyString) trimmed = NULL;

  if (value == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return NULL;

  if (!key_is_valid (trimmed))
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("The %s environment variable does not hold a valid API key"),
                   SEEDREAM_API_KEY_ENV);
      return NULL;
    }

  return g_steal_pointer (&trimmed);
}

static void
set_overridden_error (GError **error)
{
  g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
               _("The API key comes from the %s environment variable; unset it to store a "
                 "key in the keyring"),
               SEEDREAM_API_KEY_ENV);
}

/* What a person can act on. libsecret reports a missing Secret Service (no
 * session bus, nobody owning org.freedesktop.secrets, no permission in a
 * sandbox) with whatever D-Bus or GIO error it met on the way; all of them
 * mean the same to the person. */
static GError *
seedream_key_store_translate_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == SECRET_ERROR)
    {
      g_debug ("Keyring error: %s", error->message);

      if (error->code == SECRET_ERROR_IS_LOCKED)
        return g_error_new_literal (error->domain, error->code,
                                    _("Your keyring is locked. Unlock it, then try again."));

      return g_error_new (error->domain, error->code,
                          _("The keyring could not keep your API key: %s"),
                          error->message);
    }

  g_debug ("No Secret Service: %s: %d: %s",
           g_quark_to_string (error->domain), error->code, error->message);

  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                              _("No keyring is available to keep your API key. Install and "
                                "start GNOME Keyring (or another Secret Service), then try "
                                "again."));
}

/**
 * seedream_key_store_new:
 *
 * Returns: (transfer full): a new #SeedreamKeyStore
 */
SeedreamKeyStore *
seedream_key_store_new (void)
{
  return g_object_new (SEEDREAM_TYPE_KEY_STORE, NULL);
}

/**
 * seedream_key_store_is_overridden:
 * @self: a #SeedreamKeyStore
 *
 * Returns: %TRUE when the environment variable `SEEDREAM_API_KEY` holds a
 *   key: lookups return it without asking the keyring, and storing or
 *   clearing a key is refused
 */
gboolean
seedream_key_store_is_overridden (SeedreamKeyStore *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KeyString) key = NULL;

  g_return_val_if_fail (SEEDREAM_IS_KEY_STORE (self), FALSE);

  key = seedream_key_store_get_override (&error);

  return key != NULL || error != NULL;
}

static void
seedream_key_store_lookup_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KeyString) password = NULL;
  g_autoptr(KeyString) key = NULL;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, seedream_key_store_translate_error (error));
      return;
    }

  /* Not ours to judge an item someone stored by other means: only its
   * surrounding space goes, and an empty one counts as none. */
  if (password != NULL)
    {
      key = g_strstrip (g_strdup (password));
      if (*key == '\0')
        g_clear_pointer (&key, wipe_and_free);
    }

  g_task_return_pointer (task, g_steal_pointer (&key), (GDestroyNotify) wipe_and_free);
}

/**
 * seedream_key_store_lookup_async:
 * @self: a #SeedreamKeyStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the key is known
 * @user_data: data for @callback
 *
 * Looks the API key up: in `SEEDREAM_API_KEY` when it is set, else in the
 * keyring (which may ask the person to unlock it).
 */
void
seedream_key_store_lookup_async (SeedreamKeyStore    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KeyString) key = NULL;

  g_return_if_fail (SEEDREAM_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_key_store_lookup_async);

  key = seedream_key_store_get_override (&error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (key != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&key), (GDestroyNotify) wipe_and_free);
      return;
    }

  secret_password_lookup (seedream_key_store_get_schema (),
                          cancellable,
                          seedream_key_store_lookup_cb,
                          g_steal_pointer (&task),
                          ATTRIBUTE_PURPOSE, PURPOSE_API_KEY,
                          NULL);
}

/**
 * seedream_key_store_lookup_finish:
 * @self: a #SeedreamKeyStore
 * @result: the result passed to the callback
 * @error: return location for an error; a #G_IO_ERROR_NOT_SUPPORTED error
 *   when no keyring is available
 *
 * Returns: (transfer full) (nullable): the key, without surrounding space;
 *   %NULL with @error unset when no key is stored. Wipe it with
 *   secret_password_wipe() before g_free() if you can.
 */
char *
seedream_key_store_lookup_finish (SeedreamKeyStore  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (SEEDREAM_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        seedream_key_store_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
seedream_key_store_store_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, seedream_key_store_translate_error (error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * seedream_key_store_store_async:
 * @self: a #SeedreamKeyStore
 * @key: the API key as entered; surrounding space is dropped
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the key is stored
 * @user_data: data for @callback
 *
 * Stores @key in the default keyring, replacing the key stored before.
 * An empty key, or one with control characters, is refused with
 * %SEEDREAM_ERROR_INVALID_INPUT, and so is any key while
 * seedream_key_store_is_overridden() is %TRUE.
 */
void
seedream_key_store_store_async (SeedreamKeyStore    *self,
                                const char          *key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KeyString) normalized = NULL;

  g_return_if_fail (SEEDREAM_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_key_store_store_async);

  if (seedream_key_store_is_overridden (self))
    {
      set_overridden_error (&error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  normalized = normalize_key (key, &error);
  if (normalized == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  secret_password_store (seedream_key_store_get_schema (),
                         SECRET_COLLECTION_DEFAULT,
                         _("Seedream Studio API key"),
                         normalized,
                         cancellable,
                         seedream_key_store_store_cb,
                         g_steal_pointer (&task),
                         ATTRIBUTE_PURPOSE, PURPOSE_API_KEY,
                         NULL);
}

/**
 * seedream_key_store_store_finish:
 * @self: a #SeedreamKeyStore
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE if the key is in the keyring
 */
gboolean
seedream_key_store_store_finish (SeedreamKeyStore  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (SEEDREAM_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        seedream_key_store_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
seedream_key_store_clear_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to remove, which is fine. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, seedream_key_store_translate_error (error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * seedream_key_store_clear_async:
 * @self: a #SeedreamKeyStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the key is removed
 * @user_data: data for @callback
 *
 * Removes the stored key from the keyring. Refused with
 * %SEEDREAM_ERROR_INVALID_INPUT while seedream_key_store_is_overridden()
 * is %TRUE.
 */
void
seedream_key_store_clear_async (SeedreamKeyStore    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SEEDREAM_IS_KEY_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_key_store_clear_async);

  if (seedream_key_store_is_overridden (self))
    {
      set_overridden_error (&error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  secret_password_clear (seedream_key_store_get_schema (),
                         cancellable,
                         seedream_key_store_clear_cb,
                         g_steal_pointer (&task),
                         ATTRIBUTE_PURPOSE, PURPOSE_API_KEY,
                         NULL);
}

/**
 * seedream_key_store_clear_finish:
 * @self: a #SeedreamKeyStore
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE if no key is stored any more (also when none was)
 */
gboolean
seedream_key_store_clear_finish (SeedreamKeyStore  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (SEEDREAM_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        seedream_key_store_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
seedream_key_store_class_init (SeedreamKeyStoreClass *klass)
{
}

static void
seedream_key_store_init (SeedreamKeyStore *self)
{
}
