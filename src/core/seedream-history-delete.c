/* seedream-history-delete.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deleting submissions (see seedream-history.c for the whole design): the
 * rows go in one transaction (their results and sources rows with them,
 * by ON DELETE CASCADE), then, after the commit, their downloaded images
 * and the copies of their source images that no other submission still
 * names (copies are shared by content: see seedream-history-sources.c).
 * Files are only ever deleted inside the data folder's results/ and
 * sources/. A file that cannot be deleted is logged and left: the rows are
 * gone either way, and a stray file loses nothing.
 */

#define G_LOG_DOMAIN "seedream-history"

#include "config.h"

#include <sqlite3.h>

#include "seedream-history.h"
#include "seedream-history-private.h"

/* Adds the stored paths of @sql's rows for @id to @paths. */
static gboolean
collect_paths (SeedreamHistory  *self,
               const char       *sql,
               gint64            id,
               GHashTable       *paths,
               GError          **error)
{
  g_autoptr(HistoryStatement) stmt = seedream_history_get_statement (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *path = seedream_history_column_text (stmt, 0);

      if (path != NULL)
        g_hash_table_add (paths, g_strdup (path));
    }

  if (rc != SQLITE_DONE)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
delete_row (SeedreamHistory  *self,
            gint64            id,
            gboolean         *deleted,
            GError          **error)
{
  g_autoptr(HistoryStatement) stmt = seedream_history_get_statement (self, "DELETE FROM submissions WHERE id = ?1",
                                                                     error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  *deleted = sqlite3_changes (self->db) > 0;
  return TRUE;
}

/* Whether a submission left still names the source copy @stored. */
static gboolean
source_in_use (SeedreamHistory  *self,
               const char       *stored,
               gboolean         *in_use,
               GError          **error)
{
  g_autoptr(HistoryStatement) stmt = seedream_history_get_statement (self,
                                                                     "SELECT 1 FROM submission_sources WHERE path = ?1 LIMIT 1",
                                                                     error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, stored, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  *in_use = rc == SQLITE_ROW;
  return TRUE;
}

/* Deletes the file @stored names (relative to @data_dir) if it is inside
 * @folder; then its folder, when that is empty and not @folder itself
 * (results/<task id>/). Blocking, and touches nothing of a history: the
 * metadata worker calls it too. */
void
seedream_history_delete_file_inside (const char *data_dir,
                                     const char *stored,
                                     GFile      *folder)
{
  g_autofree char *path = seedream_history_path_from_stored_in (data_dir, stored);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GError) error = NULL;

  if (!g_file_has_prefix (file, folder))
    return;

  if (!g_file_delete (file, NULL, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_message ("Could not delete “%s”: %s", path, error->message);

  /* Fails, as it should, while anything is left in it. */
  if (parent != NULL && !g_file_equal (parent, folder) && g_file_has_prefix (parent, folder))
    g_file_delete (parent, NULL, NULL);
}

/**
 * seedream_history_delete_submissions:
 * @self: a history
 * @ids: (array length=n_ids): the rows
 * @n_ids: how many
 * @error: return location for an error
 *
 * Deletes the rows, their downloaded images and the copies of their source
 * images that no other row uses; emits ::entry-removed for each row that
 * was there. Ids not in the history are passed over.
 *
 * Returns: %FALSE with @error set if the rows could not be deleted (then
 *   none was, and no file was touched)
 */
gboolean
seedream_history_delete_submissions (SeedreamHistory  *self,
                                     const gint64     *ids,
                                     guint             n_ids,
                                     GError          **error)
{
  g_autoptr(GHashTable) results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) deleted_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) unused_sources = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!seedream_history_exec_sql (self, "BEGIN IMMEDIATE", NULL, error))
    return FALSE;

  for (guint i = 0; i < n_ids; i++)
    {
      gboolean deleted = FALSE;

      if (!collect_paths (self, "SELECT local_path FROM results WHERE submission_id = ?1", ids[i], results, error) ||
          !collect_paths (self, "SELECT path FROM submission_sources WHERE submission_id = ?1", ids[i], sources, error) ||
          !delete_row (self, ids[i], &deleted, error))
        goto failed;
      if (deleted)
        g_array_append_val (deleted_ids, ids[i]);
    }

  g_hash_table_iter_init (&iter, sources);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gboolean in_use = TRUE;

      if (!source_in_use (self, key, &in_use, error))
        goto failed;
      if (!in_use)
        g_ptr_array_add (unused_sources, key);
    }

  if (!seedream_history_exec_sql (self, "COMMIT", NULL, error))
    goto failed;

  g_hash_table_iter_init (&iter, results);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    seedream_history_delete_file_inside (g_file_peek_path (self->data_dir), key, self->results_dir);
  for (guint i = 0; i < unused_sources->len; i++)
    seedream_history_delete_file_inside (g_file_peek_path (self->data_dir), g_ptr_array_index (unused_sources, i),
                                         self->sources_dir);

  for (guint i = 0; i < deleted_ids->len; i++)
    seedream_history_emit_removed (self, g_array_index (deleted_ids, gint64, i));

  return TRUE;

failed:
  seedream_history_rollback (self);
  return FALSE;
}
