/* seedream-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session owns what used to live in the window: the key store and the
 * key read from it, the client (made again when the key or the API address
 * changes, and handed to every submission, so running tasks ask with the
 * new one), the history, the live submissions, recovery at start and the
 * resumption of tasks that were running when the app last stopped.
 */

#define G_LOG_DOMAIN "seedream-session"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-api-url.h"
#include "seedream-client.h"
#include "seedream-enums.h"
#include "seedream-data-lock.h"
#include "seedream-key-store.h"
#include "seedream-session.h"
#include "seedream-history-chain.h"

struct _SeedreamSession
{
  GObject                  parent_instance;

  GFile                   *data_dir;
  GSettings               *settings;
  SeedreamKeyStore        *key_store;
  char                    *api_key;
  SeedreamSessionKeyState  key_state;
  char                    *key_problem;
  SeedreamDataLock        *data_lock;
  /* Set when another instance holds the data folder: nothing is sent. */
  GError                  *locked_out;
  SeedreamClient          *client;
  SeedreamHistory         *history;
  SeedreamHistoryModel    *history_model;
  GListStore              *submissions;
  GCancellable            *cancellable;
  guint                    history_check_id;
  gboolean                 started;
  /* Deletes waiting for their Undo toast: guint -> PendingDelete. */
  GHashTable              *pending_deletes;
  guint                    last_pending_delete;
};

typedef struct
{
  GArray   *ids;          /* gint64 history ids */
  gboolean  on_server;
} PendingDelete;

static void
pending_delete_free (gpointer data)
{
  PendingDelete *pending = data;

  g_array_unref (pending->ids);
  g_free (pending);
}

G_DEFINE_FINAL_TYPE (SeedreamSession, seedream_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_SETTINGS,
  PROP_KEY_STATE,
  PROP_SUBMISSIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MESSAGE,
  TASK_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * seedream_session_new:
 * @data_dir: where the history, its source copies and results are kept
 * @settings: the app's settings (the API address)
 *
 * Returns: (transfer full): a session; nothing is read before
 *   seedream_session_start()
 */
SeedreamSession *
seedream_session_new (GFile     *data_dir,
                      GSettings *settings)
{
  g_return_val_if_fail (G_IS_FILE (data_dir), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SEEDREAM_TYPE_SESSION,
                       "data-dir", data_dir,
                       "settings", settings,
                       NULL);
}

/**
 * seedream_session_get_default_data_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/APP_ID`
 */
GFile *
seedream_session_get_default_data_dir (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), APP_ID, NULL);
}

GFile *
seedream_session_get_data_dir (SeedreamSession *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);

  return self->data_dir;
}

GSettings *
seedream_session_get_settings (SeedreamSession *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);

  return self->settings;
}

static void
seedream_session_say (SeedreamSession *self,
                      const char      *text,
                      gboolean         lasting)
{
  g_signal_emit (self, signals[MESSAGE], 0, text, lasting);
}

/**
 * seedream_session_dup_api_url:
 *
 * Returns: (transfer full): the address requests go to: the environment
 *   wins (automation, tests), then the setting
 */
char *
seedream_session_dup_api_url (SeedreamSession *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);

  return seedream_api_url_dup_current (self->settings);
}

/* For tests only: SEEDREAM_TEST_TIMEOUT (whole seconds, 1 or more)
 * replaces the client's timeouts, so that a test of a service that never
 * answers does not wait the default minute. Not a setting for people. */
static void
apply_test_timeout (SeedreamClient *client)
{
  const char *value = g_getenv ("SEEDREAM_TEST_TIMEOUT");
  guint64 seconds = 0;

  if (value == NULL || *value == '\0' ||
      !g_ascii_string_to_unsigned (value, 10, 1, 3600, &seconds, NULL))
    return;

  seedream_client_set_timeout (client, (guint) seconds);
  seedream_client_set_answer_timeout (client, (guint) seconds);
  seedream_client_set_query_timeout (client, (guint) seconds);
  /* A whole download takes longer than one silence may: a little room. */
  seedream_client_set_download_deadline (client, (guint) seconds * 4);
}

/* Made on first use, and again when the key or the address changed. */
static SeedreamClient *
seedream_session_ensure_client (SeedreamSession  *self,
                                GError          **error)
{
  g_autofree char *api_url = NULL;

  if (self->client != NULL)
    return self->client;

  if (self->api_key == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("There is no API key yet. Add one in Preferences."));
      return NULL;
    }

  api_url = seedream_session_dup_api_url (self);
  self->client = seedream_client_new (api_url, self->api_key, error);
  if (self->client != NULL)
    apply_test_timeout (self->client);

  return self->client;
}

/* Tasks that were running when the app last stopped are followed again as
 * soon as there is a key to ask with; every other submission gets the new
 * client, so Check Again and Retry ask with the new key or address. */
static void
seedream_session_hand_out_client (SeedreamSession *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->submissions));
  g_autoptr(GError) error = NULL;
  SeedreamClient *client;

  client = seedream_session_ensure_client (self, &error);
  if (client == NULL)
    {
      if (self->api_key != NULL)
        seedream_session_say (self, error->message, FALSE);
      return;
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SeedreamSubmission) submission = g_list_model_get_item (G_LIST_MODEL (self->submissions), i);

      if (seedream_submission_get_status (submission) == SEEDREAM_SUBMISSION_STATUS_SUBMITTED)
        seedream_submission_start (submission, client);
      else
        seedream_submission_set_client (submission, client);
    }
}

static void
seedream_session_set_key_state (SeedreamSession         *self,
                                SeedreamSessionKeyState  state)
{
  if (self->key_state == state)
    return;

  self->key_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_STATE]);
}

static void
api_url_changed_cb (SeedreamSession *self)
{
  g_clear_object (&self->client);
  if (self->api_key != NULL)
    seedream_session_hand_out_client (self);
}

static void
lookup_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SeedreamSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  key = seedream_key_store_lookup_finish (SEEDREAM_KEY_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (key == NULL)
    {
      /* Set before the state changes, so that whoever shows it finds it. */
      g_set_str (&self->key_problem, error != NULL ? error->message : NULL);
      seedream_session_set_key_state (self, SEEDREAM_SESSION_KEY_STATE_MISSING);
      if (error != NULL)
        seedream_session_say (self, error->message, FALSE);
      return;
    }

  g_clear_pointer (&self->key_problem, g_free);

  g_free (self->api_key);
  self->api_key = g_steal_pointer (&key);
  g_clear_object (&self->client);
  seedream_session_hand_out_client (self);
  seedream_session_set_key_state (self, SEEDREAM_SESSION_KEY_STATE_READY);
}

/**
 * seedream_session_reload_key:
 *
 * Forgets the key and reads it again (the preferences stored or removed
 * it): the next request uses the new one, or the person is asked for one.
 */
void
seedream_session_reload_key (SeedreamSession *self)
{
  g_return_if_fail (SEEDREAM_IS_SESSION (self));

  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->key_problem, g_free);
  g_clear_object (&self->client);
  seedream_session_set_key_state (self, SEEDREAM_SESSION_KEY_STATE_LOOKING_UP);
  seedream_key_store_lookup_async (self->key_store, self->cancellable,
                                   lookup_key_cb, g_object_ref (self));
}

static void
store_key_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SeedreamSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!seedream_key_store_store_finish (SEEDREAM_KEY_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  seedream_session_reload_key (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * seedream_session_store_key_async:
 * @key: the key the person gave
 *
 * Stores @key in the keyring, then reads it back for the next requests.
 */
void
seedream_session_store_key_async (SeedreamSession     *self,
                                  const char          *key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEEDREAM_IS_SESSION (self));
  g_return_if_fail (key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_session_store_key_async);
  seedream_key_store_store_async (self->key_store, key, cancellable,
                                  store_key_cb, g_steal_pointer (&task));
}

gboolean
seedream_session_store_key_finish (SeedreamSession  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_key_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SeedreamSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!seedream_key_store_clear_finish (SEEDREAM_KEY_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  seedream_session_reload_key (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * seedream_session_clear_key_async:
 *
 * Removes the key from the keyring, then reads it again: the person is
 * asked for one.
 */
void
seedream_session_clear_key_async (SeedreamSession     *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEEDREAM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_session_clear_key_async);
  seedream_key_store_clear_async (self->key_store, cancellable,
                                  clear_key_cb, g_steal_pointer (&task));
}

gboolean
seedream_session_clear_key_finish (SeedreamSession  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * seedream_session_is_key_overridden:
 *
 * Returns: %TRUE when the key comes from the environment (see
 *   seedream_key_store_is_overridden()): it can be neither stored nor removed
 */
gboolean
seedream_session_is_key_overridden (SeedreamSession *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), FALSE);

  return seedream_key_store_is_overridden (self->key_store);
}

/**
 * seedream_session_get_key_problem:
 *
 * Returns: (nullable): while the key state is
 *   %SEEDREAM_SESSION_KEY_STATE_MISSING, why the keyring could not be
 *   read, in words; %NULL when it was read and holds no key
 */
const char *
seedream_session_get_key_problem (SeedreamSession *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);

  return self->key_problem;
}

SeedreamSessionKeyState
seedream_session_get_key_state (SeedreamSession *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), SEEDREAM_SESSION_KEY_STATE_LOOKING_UP);

  return self->key_state;
}

/* Said once when a followed task ends: its images are here, or the
 * service (or a refused query) stopped it. A send that failed is already
 * on the row the person is looking at. */
static void
submission_status_cb (SeedreamSession    *self,
                      GParamSpec         *pspec,
                      SeedreamSubmission *submission)
{
  SeedreamSubmissionStatus status = seedream_submission_get_status (submission);
  const GError *error = seedream_submission_get_error (submission);

  if (status == SEEDREAM_SUBMISSION_STATUS_DONE)
    g_signal_emit (self, signals[TASK_ENDED], 0, submission, TRUE, NULL);
  else if ((status == SEEDREAM_SUBMISSION_STATUS_FAILED || status == SEEDREAM_SUBMISSION_STATUS_NO_IMAGES) &&
           seedream_submission_get_follower (submission) != NULL)
    g_signal_emit (self, signals[TASK_ENDED], 0, submission, FALSE,
                   error != NULL ? error->message : NULL);
}

/* Newest first, as the task list shows them. */
static void
seedream_session_add_submission (SeedreamSession    *self,
                                 SeedreamSubmission *submission)
{
  g_signal_connect_object (submission, "notify::status",
                           G_CALLBACK (submission_status_cb), self, G_CONNECT_SWAPPED);
  g_list_store_insert (self->submissions, 0, submission);
}

GListModel *
seedream_session_get_submissions (SeedreamSession *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->submissions);
}

/**
 * seedream_session_submit:
 * @request: what to send; it is not changed afterwards
 *
 * Checks @request, writes it to the history and sends it.
 *
 * Returns: (transfer none) (nullable): the new submission, first in the
 *   list, or %NULL with @error set when nothing was sent
 */
SeedreamSubmission *
seedream_session_submit (SeedreamSession  *self,
                         SeedreamRequest  *request,
                         GError          **error)
{
  g_autoptr(SeedreamSubmission) submission = NULL;
  SeedreamClient *client;

  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (request), NULL);

  if (self->locked_out != NULL)
    {
      g_propagate_error (error, g_error_copy (self->locked_out));
      return NULL;
    }

  if (!seedream_request_validate (request, error))
    return NULL;

  client = seedream_session_ensure_client (self, error);
  if (client == NULL)
    return NULL;

  submission = seedream_submission_new_with_history (request, self->history);
  seedream_session_add_submission (self, submission);
  seedream_submission_start (submission, client);

  return submission;
}

SeedreamHistoryModel *
seedream_session_get_history_model (SeedreamSession *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);

  if (self->history_model == NULL && self->history != NULL)
    self->history_model = seedream_history_model_new (self->history);

  return self->history_model;
}

/* For a star: the history, or an error saying it could not be opened. */
static SeedreamHistory *
history_for_star (SeedreamSession  *self,
                  GError          **error)
{
  if (self->history == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("The history of submissions could not be opened."));

  return self->history;
}

gboolean
seedream_session_set_favourite (SeedreamSession  *self,
                                gint64            history_id,
                                gboolean          favourite,
                                GError          **error)
{
  SeedreamHistory *history;

  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), FALSE);

  history = history_for_star (self, error);

  return history != NULL && seedream_history_set_favourite (history, history_id, favourite, error);
}

gboolean
seedream_session_set_result_favourite (SeedreamSession  *self,
                                       gint64            history_id,
                                       guint             index,
                                       gboolean          favourite,
                                       GError          **error)
{
  SeedreamHistory *history;

  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), FALSE);

  history = history_for_star (self, error);

  return history != NULL && seedream_history_set_result_favourite (history, history_id, index, favourite, error);
}

/**
 * seedream_session_delete_later:
 * @self: a session
 * @ids: (array length=n_ids): history rows
 * @n_ids: how many
 * @on_server: also delete their tasks on the service (only when the person
 *   ticked it)
 *
 * Hides the rows from the history model at once; nothing is deleted until
 * seedream_session_finish_delete() (the Undo toast went away), and
 * seedream_session_undo_delete() shows them again. A delete still waiting
 * when the session goes (the app closes) is not done: nothing is lost.
 *
 * Returns: the pending delete, for finish and undo
 */
guint
seedream_session_delete_later (SeedreamSession *self,
                               const gint64    *ids,
                               guint            n_ids,
                               gboolean         on_server)
{
  PendingDelete *pending;

  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), 0);
  g_return_val_if_fail (ids != NULL || n_ids == 0, 0);

  pending = g_new0 (PendingDelete, 1);
  pending->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (pending->ids, ids, n_ids);
  pending->on_server = on_server;
  g_hash_table_insert (self->pending_deletes, GUINT_TO_POINTER (++self->last_pending_delete), pending);

  if (seedream_session_get_history_model (self) != NULL)
    seedream_history_model_set_hidden (self->history_model, ids, n_ids, TRUE);

  return self->last_pending_delete;
}

/* Takes @pending out of the table and shows its rows again in the model
 * (gone from it anyway once deleted). */
static PendingDelete *
take_pending_delete (SeedreamSession *self,
                     guint            handle)
{
  PendingDelete *pending = NULL;

  if (!g_hash_table_steal_extended (self->pending_deletes, GUINT_TO_POINTER (handle), NULL, (gpointer *) &pending))
    return NULL;

  if (self->history_model != NULL)
    seedream_history_model_set_hidden (self->history_model, (gint64 *) (gpointer) pending->ids->data,
                                       pending->ids->len, FALSE);
  return pending;
}

void
seedream_session_undo_delete (SeedreamSession *self,
                              guint            handle)
{
  PendingDelete *pending;

  g_return_if_fail (SEEDREAM_IS_SESSION (self));

  pending = take_pending_delete (self, handle);
  g_clear_pointer (&pending, pending_delete_free);
}

static void
find_failed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GArray *ids = seedream_history_find_finish (SEEDREAM_HISTORY (object), result, &error);

  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

/**
 * seedream_session_find_failed_async:
 * @self: a session
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the ids
 * @user_data: data for @callback
 *
 * Finds, on a worker, the history rows that failed or ended without
 * images (for "Delete All Failed").
 */
void
seedream_session_find_failed_async (SeedreamSession     *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEEDREAM_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_session_find_failed_async);
  if (self->history == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The history of submissions could not be opened."));
      return;
    }

  seedream_history_find_async (self->history, NULL, SEEDREAM_HISTORY_FILTER_FAILED, NULL, 0, cancellable,
                               find_failed_cb, g_steal_pointer (&task));
}

/* Returns: (transfer full) (element-type gint64): the ids, newest first */
GArray *
seedream_session_find_failed_finish (SeedreamSession  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The local delete stays done: said so, in words. */
static void
say_server_delete_failed (SeedreamSession *self,
                          const char      *reason)
{
  /* Translators: %s says why, in words */
  g_autofree char *text = g_strdup_printf (_("Deleted here, but not on the server: %s"), reason);

  seedream_session_say (self, text, TRUE);
}

static void
server_delete_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SeedreamSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!seedream_client_delete_tasks_finish (SEEDREAM_CLIENT (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    say_server_delete_failed (self, error->message);
}

/* A deleted row's submission leaves the task list too (and stops). */
static void
remove_live_submissions (SeedreamSession *self,
                         GArray          *ids)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->submissions)); i > 0; i--)
    {
      g_autoptr(SeedreamSubmission) submission = g_list_model_get_item (G_LIST_MODEL (self->submissions), i - 1);
      gint64 entry_id = seedream_submission_get_entry_id (submission);

      for (guint k = 0; k < ids->len; k++)
        if (entry_id != 0 && entry_id == g_array_index (ids, gint64, k))
          {
            seedream_submission_cancel (submission);
            g_list_store_remove (self->submissions, i - 1);
            break;
          }
    }
}

/**
 * seedream_session_finish_delete:
 * @self: a session
 * @handle: what seedream_session_delete_later() returned
 * @error: return location for an error
 *
 * Deletes the rows, their images and unshared source copies; then, if it
 * was asked, their tasks on the service (a failure there is said through
 * ::message, in words, and the local delete stays done).
 *
 * Returns: %FALSE with @error set if the rows could not be deleted (they
 *   are shown again)
 */
gboolean
seedream_session_finish_delete (SeedreamSession  *self,
                                guint             handle,
                                GError          **error)
{
  PendingDelete *pending;
  g_autoptr(GPtrArray) task_ids = g_ptr_array_new_with_free_func (g_free);
  gboolean deleted;

  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), FALSE);

  pending = take_pending_delete (self, handle);
  if (pending == NULL || self->history == NULL)
    {
      g_clear_pointer (&pending, pending_delete_free);
      return TRUE;
    }

  /* The task ids are read before the rows go. */
  for (guint i = 0; pending->on_server && i < pending->ids->len; i++)
    {
      g_autoptr(SeedreamHistoryEntry) entry = seedream_history_lookup (self->history,
                                                                       g_array_index (pending->ids, gint64, i), NULL);
      const char *task_id = entry != NULL ? seedream_history_entry_get_task_id (entry) : NULL;

      if (task_id != NULL)
        g_ptr_array_add (task_ids, g_strdup (task_id));
    }

  deleted = seedream_history_delete_submissions (self->history, (gint64 *) (gpointer) pending->ids->data,
                                                 pending->ids->len, error);
  if (deleted)
    remove_live_submissions (self, pending->ids);
  pending_delete_free (pending);
  if (!deleted)
    return FALSE;

  if (task_ids->len > 0)
    {
      g_autoptr(GError) client_error = NULL;
      SeedreamClient *client = seedream_session_ensure_client (self, &client_error);

      if (client == NULL)
        {
          say_server_delete_failed (self, client_error->message);
          return TRUE;
        }

      g_ptr_array_add (task_ids, NULL);
      seedream_client_delete_tasks_async (client, (const char * const *) task_ids->pdata, self->cancellable,
                                          server_delete_cb, g_object_ref (self));
    }

  return TRUE;
}

/**
 * seedream_session_find_result:
 * @self: a session
 * @file: a file, perhaps one of the history's results
 * @entry_id: (out): the history row whose result @file is
 * @index: (out): which of its results
 *
 * For "Use as Source": whether @file is a result, so that the submission
 * made from it can name its parent. A database failure is logged and
 * counts as "not a result" (the image can still be used).
 */
gboolean
seedream_session_find_result (SeedreamSession *self,
                              GFile           *file,
                              gint64          *entry_id,
                              guint           *index)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  *entry_id = 0;
  *index = 0;
  if (self->history == NULL)
    return FALSE;

  if (seedream_history_find_result (self->history, file, entry_id, index, &error))
    return TRUE;
  if (error != NULL)
    g_warning ("Cannot tell which result a source image is: %s", error->message);

  return FALSE;
}

/**
 * seedream_session_load_chain:
 * @self: a session
 * @id: a history row
 * @error: where a failure goes
 *
 * Returns: (transfer full) (nullable): the chain of @id (its ancestors and
 *   the rows made from its images), or %NULL with @error set
 */
SeedreamHistoryChain *
seedream_session_load_chain (SeedreamSession  *self,
                             gint64            id,
                             GError          **error)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);

  if (self->history == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The history could not be opened."));
      return NULL;
    }

  return seedream_history_chain_new (self->history, id, error);
}

/* @file described as result @index of history row @entry_id; NULL when
 * that row cannot be read. */
static SeedreamCompareItem *
describe_result (SeedreamSession *self,
                 GFile           *file,
                 gint64           entry_id,
                 guint            index)
{
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  SeedreamRequest *request;
  GPtrArray *results;
  const SeedreamModel *model;
  guint width = 0, height = 0;

  entry = seedream_history_lookup (self->history, entry_id, &error);
  if (entry == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot read the history row of an image: %s", error->message);
      return NULL;
    }

  request = seedream_history_entry_get_request (entry);
  results = seedream_history_entry_get_results (entry);
  model = seedream_request_get_model (request);
  for (guint i = 0; i < results->len; i++)
    if (seedream_history_result_get_index (g_ptr_array_index (results, i)) == index)
      {
        width = seedream_history_result_get_width (g_ptr_array_index (results, i));
        height = seedream_history_result_get_height (g_ptr_array_index (results, i));
      }

  return seedream_compare_item_new (file, seedream_history_entry_get_prompt (entry),
                                    model != NULL ? model->display_name : NULL, width, height);
}

/**
 * seedream_session_describe_image:
 * @self: a session
 * @file: an image to compare
 *
 * What the compare view says under @file: for one of the history's
 * results, its prompt, model and size; for another file, its name.
 *
 * Returns: (transfer full): a new item
 */
SeedreamCompareItem *
seedream_session_describe_image (SeedreamSession *self,
                                 GFile           *file)
{
  SeedreamCompareItem *item = NULL;
  g_autofree char *name = NULL;
  gint64 entry_id;
  guint index;

  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (seedream_session_find_result (self, file, &entry_id, &index))
    item = describe_result (self, file, entry_id, index);
  if (item != NULL)
    return item;

  name = g_file_get_basename (file);

  return seedream_compare_item_new (file, name, NULL, 0, 0);
}

/**
 * seedream_session_describe_source_of:
 * @self: a session
 * @file: one of the history's results
 *
 * For "Compare With Source": the first source image of the submission
 * @file is a result of (the history's own copy), described as the result
 * it was made from when the lineage knows it (the copy is another file,
 * so it cannot be found by its own name), else by its name.
 *
 * Returns: (transfer full) (nullable): the source, or %NULL when @file is
 *   not a result or its submission had no source image
 */
SeedreamCompareItem *
seedream_session_describe_source_of (SeedreamSession *self,
                                     GFile           *file)
{
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) source = NULL;
  SeedreamCompareItem *item = NULL;
  GListModel *sources;
  gint64 entry_id, parent_id;
  guint index, parent_index;

  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!seedream_session_find_result (self, file, &entry_id, &index))
    return NULL;
  entry = seedream_history_lookup (self->history, entry_id, &error);
  if (entry == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot read the history row of an image: %s", error->message);
      return NULL;
    }

  sources = seedream_request_get_source_files (seedream_history_entry_get_request (entry));
  if (g_list_model_get_n_items (sources) == 0)
    return NULL;
  source = g_list_model_get_item (sources, 0);

  if (seedream_request_get_source_parent (seedream_history_entry_get_request (entry), source,
                                          &parent_id, &parent_index))
    item = describe_result (self, source, parent_id, parent_index);

  return item != NULL ? item : seedream_session_describe_image (self, source);
}

static void
history_stamped_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint n_stamped = 0;

  if (!seedream_history_stamp_older_results_finish (SEEDREAM_HISTORY (object), result, &n_stamped, &error))
    {
      /* The rest is done at the next start. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Older results could not all be given their metadata: %s", error->message);
      return;
    }

  if (n_stamped > 0)
    g_debug ("%u older results were given their metadata", n_stamped);
}

static void
history_check_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SeedreamSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;

  if (!seedream_history_check_finish (SEEDREAM_HISTORY (object), result, &problem, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The history could not be checked: %s", error->message);
      return;
    }

  /* On a healthy file only, and after the check: neither competes with
   * start-up. */
  if (problem == NULL)
    {
      seedream_history_stamp_older_results_async (self->history, self->cancellable, history_stamped_cb, NULL);
      return;
    }

  g_debug ("%s", problem);
  seedream_session_say (self,
                        _("The history is damaged. It will be set aside and a new one started "
                          "the next time Seedream Studio starts. Your images are not affected."),
                        TRUE);
}

static gboolean
history_check_timeout_cb (gpointer user_data)
{
  SeedreamSession *self = user_data;

  self->history_check_id = 0;
  seedream_history_check_async (self->history, self->cancellable,
                                history_check_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

/* The history is kept in the app's data; without it the app still works,
 * it only forgets at exit, and the person is told why. */
static void
seedream_session_open_history (SeedreamSession *self)
{
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GError) error = NULL;
  GFile *recovered;

  self->history = seedream_history_new (self->data_dir, &error);
  if (self->history == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The history could not be opened, so submissions "
                                                    "are not kept after closing: %s"),
                                                  error->message);
      seedream_session_say (self, message, FALSE);
      return;
    }

  recovered = seedream_history_get_recovered_file (self->history);
  if (recovered != NULL)
    {
      g_autofree char *name = g_file_get_basename (recovered);
      g_autofree char *message = g_strdup_printf (_("The history file was damaged, so a new one was "
                                                    "started. The old file was kept as “%s”."),
                                                  name);
      seedream_session_say (self, message, FALSE);
    }

  self->history_check_id = g_timeout_add_seconds_full (G_PRIORITY_LOW,
                                                       SEEDREAM_SESSION_HISTORY_CHECK_DELAY_SECONDS,
                                                       history_check_timeout_cb, self, NULL);

  restored = seedream_history_recover (self->history, &error);
  if (restored == NULL)
    {
      g_warning ("Could not restore unfinished submissions: %s", error->message);
      return;
    }

  for (guint i = 0; i < restored->len; i++)
    {
      g_autoptr(SeedreamSubmission) submission =
        seedream_submission_new_from_entry (g_ptr_array_index (restored, i), self->history);

      seedream_session_add_submission (self, submission);
    }
}

/**
 * seedream_session_start:
 *
 * Takes the data folder (one instance at a time: see
 * seedream-data-lock.c; when another holds it, ::message says so and
 * nothing is sent), opens the history (recovering what the last run left
 * unfinished) and reads the key; tasks that were running are followed again once there
 * is a key. Connect to ::message first: opening may have something to say.
 */
void
seedream_session_start (SeedreamSession *self)
{
  g_return_if_fail (SEEDREAM_IS_SESSION (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;

  /* Recovery and everything after it happen under the lock only: another
   * instance's live upload is not this one's to call unknown. */
  self->data_lock = seedream_data_lock_acquire (self->data_dir, &self->locked_out);
  if (self->data_lock == NULL)
    seedream_session_say (self, self->locked_out->message, TRUE);
  else
    seedream_session_open_history (self);

  seedream_key_store_lookup_async (self->key_store, self->cancellable,
                                   lookup_key_cb, g_object_ref (self));
}

/**
 * seedream_session_is_locked_out:
 * @self: a #SeedreamSession
 *
 * Returns: %TRUE once seedream_session_start() found the data folder
 *   taken by another instance: this one must not write there (it sends
 *   nothing, and the draft is the other instance's to keep)
 */
gboolean
seedream_session_is_locked_out (SeedreamSession *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (self), FALSE);

  return self->locked_out != NULL;
}

static void
seedream_session_constructed (GObject *object)
{
  SeedreamSession *self = SEEDREAM_SESSION (object);

  G_OBJECT_CLASS (seedream_session_parent_class)->constructed (object);

  g_signal_connect_object (self->settings, "changed::api-url",
                           G_CALLBACK (api_url_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
seedream_session_dispose (GObject *object)
{
  SeedreamSession *self = SEEDREAM_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->history_check_id, g_source_remove);

  /* Uploads and followers stop with their submissions. */
  g_clear_object (&self->submissions);
  /* Not done: a delete is done only once its Undo toast went away. */
  g_clear_pointer (&self->pending_deletes, g_hash_table_unref);
  g_clear_object (&self->history_model);
  g_clear_object (&self->history);
  g_clear_object (&self->client);
  g_clear_object (&self->key_store);
  g_clear_object (&self->settings);
  g_clear_object (&self->data_dir);
  g_clear_object (&self->cancellable);
  /* Last: the history is closed by now. */
  g_clear_pointer (&self->data_lock, seedream_data_lock_release);

  G_OBJECT_CLASS (seedream_session_parent_class)->dispose (object);
}

static void
seedream_session_finalize (GObject *object)
{
  SeedreamSession *self = SEEDREAM_SESSION (object);

  g_free (self->api_key);
  g_free (self->key_problem);
  g_clear_error (&self->locked_out);

  G_OBJECT_CLASS (seedream_session_parent_class)->finalize (object);
}

static void
seedream_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SeedreamSession *self = SEEDREAM_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_object (value, self->data_dir);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_KEY_STATE:
      g_value_set_enum (value, self->key_state);
      break;

    case PROP_SUBMISSIONS:
      g_value_set_object (value, self->submissions);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_session_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SeedreamSession *self = SEEDREAM_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_session_class_init (SeedreamSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = seedream_session_constructed;
  object_class->dispose = seedream_session_dispose;
  object_class->finalize = seedream_session_finalize;
  object_class->get_property = seedream_session_get_property;
  object_class->set_property = seedream_session_set_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_object ("data-dir", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_KEY_STATE] =
    g_param_spec_enum ("key-state", NULL, NULL,
                       SEEDREAM_TYPE_SESSION_KEY_STATE,
                       SEEDREAM_SESSION_KEY_STATE_LOOKING_UP,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SUBMISSIONS] =
    g_param_spec_object ("submissions", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  signals[TASK_ENDED] =
    g_signal_new ("task-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, SEEDREAM_TYPE_SUBMISSION, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
seedream_session_init (SeedreamSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->key_store = seedream_key_store_new ();
  self->submissions = g_list_store_new (SEEDREAM_TYPE_SUBMISSION);
  self->key_state = SEEDREAM_SESSION_KEY_STATE_LOOKING_UP;
  self->pending_deletes = g_hash_table_new_full (NULL, NULL, NULL, pending_delete_free);
}
