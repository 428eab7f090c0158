/* seedream-history-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finding submissions (see seedream-history.c for the whole design):
 *
 * - The prompt index (schema version 4) is an FTS5 table with the trigram
 *   tokenizer over seedream_fold (prompt), so a substring in the middle of
 *   a word, or in Chinese or Japanese text, is found through the index.
 *   What is typed is always one quoted phrase: never FTS syntax.
 * - Trigrams need three characters: shorter searches, and every search
 *   until the index is complete, use LIKE over the folded prompt, which
 *   finds the same rows.
 * - A database migrated from version 3 is indexed here on a worker, on a
 *   connection of its own, newest rows first, in small transactions (so
 *   the app's own writes wait at most one of them); the app stays usable
 *   meanwhile and the work goes on at the next start if it is stopped.
 * - seedream_history_find_async() runs a search with its filters on a
 *   worker, on a read-only connection (WAL lets it read beside the app's),
 *   and returns the matching ids: typing never blocks a frame.
 */

#define G_LOG_DOMAIN "seedream-history"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "seedream-history.h"
#include "seedream-history-private.h"
#include "seedream-model.h"

#define BUSY_TIMEOUT_MS   5000
/* Rows indexed per transaction: about 5 ms of work here. */
#define INDEX_BATCH       1000
/* Trigrams: a shorter phrase matches nothing in FTS5. */
#define MIN_FTS_CHARS     3

char *
seedream_history_make_fts_phrase (const char *search)
{
  g_autofree char *folded = seedream_history_fold_text (search);
  GString *phrase;

  if (g_utf8_strlen (folded, -1) < MIN_FTS_CHARS)
    return NULL;

  /* A string in double quotes is one phrase; a quote inside is doubled. */
  phrase = g_string_new ("\"");
  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *p);
    }
  g_string_append_c (phrase, '"');

  return g_string_free (phrase, FALSE);
}

const char *
seedream_history_failed_states_sql (void)
{
  static char *sql = NULL;

  if (g_once_init_enter_pointer (&sql))
    {
      GString *text = g_string_new ("s.state IN (");
      const SeedreamHistoryState *states;
      guint n;

      states = seedream_history_get_failed_states (&n);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (text, "%s%d", i > 0 ? ", " : "", (int) states[i]);
      g_string_append_c (text, ')');

      g_once_init_leave_pointer (&sql, g_string_free (text, FALSE));
    }

  return sql;
}

gboolean
seedream_history_read_search_indexed (SeedreamHistory  *self,
                                      GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;
  int rc;

  stmt = seedream_history_get_statement (self, "SELECT count(*) FROM prompt_index_todo", error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return sqlite3_column_int (stmt, 0) == 0;
}

/* Called by SQLite every few thousand steps: non-zero interrupts. */
static int
cancelled_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (user_data));
}

sqlite3 *
seedream_history_open_worker_connection (const char    *db_path,
                                         int            flags,
                                         GCancellable  *cancellable,
                                         GError       **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (db_path, &db, flags | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc == SQLITE_OK)
    rc = seedream_history_register_functions (db);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The history of submissions could not be read (%s)."),
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db, TRUE);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, cancelled_progress_cb, cancellable);

  return db;
}

void
seedream_history_set_worker_error (sqlite3       *db,
                                   int            rc,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  if ((rc & 0xff) == SQLITE_INTERRUPT || g_cancellable_is_cancelled (cancellable))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("The history of submissions could not be read (%s)."), sqlite3_errmsg (db));
}

/* Indexing the rows of a migrated database */

/* One batch: the INDEX_BATCH rows below prompt_index_todo.below. Returns
 * SQLITE_DONE when every row is indexed, SQLITE_OK when there is more. */
static int
index_batch (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 below = 0, lowest = 0;
  gboolean have_todo, have_rows;
  int rc;

  if ((rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
    return rc;

  rc = sqlite3_prepare_v2 (db, "SELECT below FROM prompt_index_todo WHERE only_row = 1", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  rc = sqlite3_step (stmt);
  have_todo = rc == SQLITE_ROW;
  if (have_todo)
    below = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    goto failed;
  if (!have_todo)
    return sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? SQLITE_DONE : sqlite3_errcode (db);

  rc = sqlite3_prepare_v2 (db,
                           "SELECT min (id) FROM (SELECT id FROM submissions WHERE id < ?1 "
                           "ORDER BY id DESC LIMIT ?2)",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, below);
  sqlite3_bind_int (stmt, 2, INDEX_BATCH);
  rc = sqlite3_step (stmt);
  have_rows = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL;
  if (have_rows)
    lowest = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    goto failed;

  if (!have_rows)
    {
      rc = sqlite3_exec (db, "DELETE FROM prompt_index_todo; COMMIT", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        goto failed;
      return SQLITE_DONE;
    }

  rc = sqlite3_prepare_v2 (db,
                           "INSERT INTO prompt_index (rowid, prompt) "
                           "SELECT id, seedream_fold (prompt) FROM submissions WHERE id >= ?1 AND id < ?2",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, lowest);
  sqlite3_bind_int64 (stmt, 2, below);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    goto failed;

  rc = sqlite3_prepare_v2 (db, "UPDATE prompt_index_todo SET below = ?1 WHERE only_row = 1", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, lowest);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    goto failed;

  if ((rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
    goto failed;

  return SQLITE_OK;

failed:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_ERROR : rc;
}

static void
index_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *db_path = task_data;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  int rc = SQLITE_OK;

  db = seedream_history_open_worker_connection (db_path, SQLITE_OPEN_READWRITE, cancellable, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  while (rc == SQLITE_OK && !g_cancellable_is_cancelled (cancellable))
    rc = index_batch (db);

  if (rc == SQLITE_DONE)
    g_task_return_boolean (task, TRUE);
  else
    {
      seedream_history_set_worker_error (db, rc, cancellable, &error);
      g_task_return_error (task, g_steal_pointer (&error));
    }

  sqlite3_close_v2 (db);
}

static void
index_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(SeedreamHistory) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (weak);
  g_free (weak);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Searching goes on with LIKE; the next start tries again. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("The prompt index could not be built: %s", error->message);
      return;
    }

  if (self != NULL)
    {
      g_debug ("The prompt index is complete");
      seedream_history_set_search_indexed (self);
    }
}

/* Starts indexing the rows a migration left unindexed, if any. */
void
seedream_history_start_indexing (SeedreamHistory *self)
{
  g_autoptr(GTask) task = NULL;
  GWeakRef *weak;

  if (self->search_indexed || self->index_cancellable != NULL)
    return;

  self->index_cancellable = g_cancellable_new ();
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);

  /* No source object: the history may go away while this runs. */
  task = g_task_new (NULL, self->index_cancellable, index_done_cb, weak);
  g_task_set_source_tag (task, seedream_history_start_indexing);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, index_thread);
}

/* Finding */

typedef struct
{
  char                  *db_path;
  char                  *search;
  char                  *model_id;
  SeedreamHistoryFilter  filter;
  gboolean               indexed;
  guint                  limit;
} FindData;

static void
find_data_free (FindData *data)
{
  g_clear_pointer (&data->db_path, g_free);
  g_clear_pointer (&data->search, g_free);
  g_clear_pointer (&data->model_id, g_free);
  g_free (data);
}

/* Not from user text: only the clauses picked here, with ?1 the search,
 * ?2 the model, ?3 the default model, ?4 the limit. */
static char *
build_find_sql (FindData    *data,
                const char **bound_search,
                char       **owned)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *phrase = NULL;
  gboolean through_index = FALSE;

  *bound_search = NULL;

  if (data->search != NULL && *data->search != '\0')
    phrase = data->indexed ? seedream_history_make_fts_phrase (data->search) : NULL;

  /* Through the index, newest first straight from FTS5 (its rowid is the
   * submission's id): with LIMIT it stops at the first hits, and without
   * it there is no sort over all the matches. Without a filter the table
   * is not read at all. */
  if (phrase != NULL && data->filter == SEEDREAM_HISTORY_FILTER_ALL && data->model_id == NULL)
    {
      g_string_append (sql, "SELECT rowid FROM prompt_index WHERE prompt_index MATCH ?1 ORDER BY rowid DESC");
      if (data->limit > 0)
        g_string_append (sql, " LIMIT ?4");
      *owned = g_steal_pointer (&phrase);
      *bound_search = *owned;
      return g_string_free (g_steal_pointer (&sql), FALSE);
    }
  else if (phrase != NULL)
    {
      through_index = TRUE;
      g_string_append (sql,
                       "SELECT s.id FROM prompt_index JOIN submissions s ON s.id = prompt_index.rowid "
                       "WHERE prompt_index MATCH ?1");
      *owned = g_steal_pointer (&phrase);
    }
  else if (data->search != NULL && *data->search != '\0')
    {
      g_autofree char *folded = seedream_history_fold_text (data->search);
      GString *pattern = g_string_new ("%");

      for (const char *p = folded; *p != '\0'; p++)
        {
          if (*p == '\\' || *p == '%' || *p == '_')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, *p);
        }
      g_string_append_c (pattern, '%');
      *owned = g_string_free (pattern, FALSE);

      g_string_append (sql, "SELECT s.id FROM submissions s WHERE seedream_fold (s.prompt) LIKE ?1 ESCAPE '\\'");
    }
  else
    g_string_append (sql, "SELECT s.id FROM submissions s WHERE 1");

  *bound_search = *owned;

  if (data->filter == SEEDREAM_HISTORY_FILTER_FAVOURITES)
    /* A starred image counts too (seedream_history_entry_matches()). The
     * ids come from the two partial indexes (results_favourite: schema 5),
     * so the rows read are the starred ones, not every row: 20 of 100,000
     * in 0.02 ms (an OR or EXISTS here read them all: 4 to 38 ms). */
    g_string_append (sql, " AND s.id IN (SELECT id FROM submissions WHERE favourite "
                          "UNION ALL SELECT submission_id FROM results WHERE favourite)");
  else if (data->filter == SEEDREAM_HISTORY_FILTER_FAILED)
    g_string_append_printf (sql, " AND %s", seedream_history_failed_states_sql ());

  if (data->model_id != NULL)
    g_string_append (sql, " AND coalesce (s.model, ?3) = ?2");

  /* By the FTS side's rowid (the same number), which it gives in order. */
  g_string_append (sql, through_index ? " ORDER BY prompt_index.rowid DESC" : " ORDER BY s.id DESC");
  if (data->limit > 0)
    g_string_append (sql, " LIMIT ?4");

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

GArray *
seedream_history_find_ids (const char             *db_path,
                           const char             *search,
                           SeedreamHistoryFilter   filter,
                           const char             *model_id,
                           gboolean                indexed,
                           guint                   limit,
                           GCancellable           *cancellable,
                           GError                **error)
{
  FindData data = { (char *) db_path, (char *) search, (char *) model_id, filter, indexed, limit };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = NULL;
  g_autofree char *owned = NULL;
  const char *bound_search = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  int rc;

  db = seedream_history_open_worker_connection (db_path, SQLITE_OPEN_READONLY, cancellable, error);
  if (db == NULL)
    return NULL;

  sql = build_find_sql (&data, &bound_search, &owned);
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      if (bound_search != NULL)
        sqlite3_bind_text (stmt, 1, bound_search, -1, SQLITE_STATIC);
      if (model_id != NULL)
        {
          sqlite3_bind_text (stmt, 2, model_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, seedream_model_get_default ()->id, -1, SQLITE_STATIC);
        }
      if (limit > 0)
        sqlite3_bind_int64 (stmt, 4, limit);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      seedream_history_set_worker_error (db, rc, cancellable, error);
      sqlite3_close_v2 (db);
      return NULL;
    }

  sqlite3_close_v2 (db);

  return g_steal_pointer (&ids);
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FindData *data = task_data;
  GError *error = NULL;
  GArray *ids;

  ids = seedream_history_find_ids (data->db_path, data->search, data->filter, data->model_id,
                                   data->indexed, data->limit, cancellable, &error);
  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

/**
 * seedream_history_find_async:
 * @self: a history
 * @search: (nullable): text the prompt must contain (folded); %NULL or ""
 *   for any
 * @filter: which rows
 * @model_id: (nullable): only rows sent to this model
 * @limit: at most this many ids (the newest), or 0 for all of them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the ids
 * @user_data: data for @callback
 *
 * Finds the ids of the matching rows, newest first, on a worker thread.
 */
void
seedream_history_find_async (SeedreamHistory       *self,
                             const char            *search,
                             SeedreamHistoryFilter  filter,
                             const char            *model_id,
                             guint                  limit,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  FindData *data;

  g_return_if_fail (SEEDREAM_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_history_find_async);

  data = g_new0 (FindData, 1);
  data->db_path = g_strdup (self->db_path);
  data->search = g_strdup (search);
  data->model_id = g_strdup (model_id);
  data->filter = filter;
  data->indexed = self->search_indexed;
  data->limit = limit;
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);

  g_task_run_in_thread (task, find_thread);
}

/**
 * seedream_history_find_finish:
 * @self: a history
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type gint64): the ids, newest first,
 *   or %NULL with @error set
 */
GArray *
seedream_history_find_finish (SeedreamHistory  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
