/* seedream-history-lineage.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chains of images in the history: which submission and result a file
 * is, the submissions made from a submission's results (its children) and
 * those it came from (its ancestors). The links themselves are the
 * parent_id / parent_index of submission_sources (schema 6), written with
 * the row by seedream_history_add_submission_async() from the request's
 * source parents.
 */

#define G_LOG_DOMAIN "seedream-history"

#include "config.h"

#include "seedream-history-private.h"

/* Ancestors are followed at most this far: a guard, not a limit a person
 * reaches (each step is one "Use as Source"). */
#define MAX_ANCESTORS 64

/**
 * seedream_history_find_result:
 * @self: a history
 * @file: a file, perhaps a downloaded result (results/<task id>/<n>.<ext>)
 * @entry_id: (out) (optional): the row whose result @file is
 * @index: (out) (optional): which of its results
 * @error: where a database failure goes
 *
 * Returns: %TRUE if @file is one of the history's results; %FALSE if it is
 *   not (with @error unset) or the database failed (with @error set)
 */
gboolean
seedream_history_find_result (SeedreamHistory  *self,
                              GFile            *file,
                              gint64           *entry_id,
                              guint            *index,
                              GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;
  g_autoptr(GFile) task_dir = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *task_id = NULL;
  int rc;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (entry_id != NULL)
    *entry_id = 0;
  if (index != NULL)
    *index = 0;

  /* Only files inside results/<task id>/ can be results: the task id (an
   * indexed column) narrows the search to one row's results. */
  if (!g_file_has_prefix (file, self->results_dir))
    return FALSE;
  task_dir = g_file_get_parent (file);
  if (task_dir == NULL || !g_file_has_parent (task_dir, self->results_dir))
    return FALSE;
  task_id = g_file_get_basename (task_dir);
  relative = g_file_get_relative_path (self->data_dir, file);
  if (task_id == NULL || relative == NULL)
    return FALSE;

  stmt = seedream_history_get_statement (self,
                                         "SELECT r.submission_id, r.idx FROM submissions s "
                                         "JOIN results r ON r.submission_id = s.id "
                                         "WHERE s.task_id = ?1 AND r.local_path = ?2 "
                                         "ORDER BY s.id DESC LIMIT 1",
                                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, task_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, relative, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  if (entry_id != NULL)
    *entry_id = sqlite3_column_int64 (stmt, 0);
  if (index != NULL)
    *index = (guint) CLAMP (sqlite3_column_int64 (stmt, 1), 0, G_MAXUINT);

  return TRUE;
}

gboolean
seedream_history_read_lineage (SeedreamHistory       *self,
                               SeedreamHistoryEntry  *entry,
                               GError               **error)
{
  g_autoptr(HistoryStatement) children = NULL;
  g_autofree char *parent_prompt = NULL;
  gint64 parent_id;
  int rc;

  if (seedream_history_entry_get_parent (entry, &parent_id, NULL))
    {
      g_autoptr(HistoryStatement) parent = NULL;

      parent = seedream_history_get_statement (self, "SELECT prompt FROM submissions WHERE id = ?1", error);
      if (parent == NULL)
        return FALSE;
      sqlite3_bind_int64 (parent, 1, parent_id);
      rc = sqlite3_step (parent);
      if (rc == SQLITE_ROW)
        parent_prompt = g_strdup (seedream_history_column_text (parent, 0));
      else if (rc != SQLITE_DONE)
        {
          seedream_history_set_sqlite_error (self, rc, error);
          return FALSE;
        }
    }

  /* Through the partial index on parent_id: nothing read for most rows. */
  children = seedream_history_get_statement (self,
                                             "SELECT count(DISTINCT submission_id) FROM submission_sources "
                                             "WHERE parent_id = ?1",
                                             error);
  if (children == NULL)
    return FALSE;
  sqlite3_bind_int64 (children, 1, seedream_history_entry_get_id (entry));
  rc = sqlite3_step (children);
  if (rc != SQLITE_ROW)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  seedream_history_entry_set_lineage_internal (entry, parent_prompt,
                                               (guint) CLAMP (sqlite3_column_int64 (children, 0), 0, G_MAXUINT));

  return TRUE;
}

/* The entries of the ids @stmt selects, in its order. */
static GPtrArray *
lookup_each (SeedreamHistory  *self,
             sqlite3_stmt     *stmt,
             GError          **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  /* The ids first: looking one up reuses cached statements. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return NULL;
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      SeedreamHistoryEntry *entry = seedream_history_lookup (self, g_array_index (ids, gint64, i), error);

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (entries, entry);
    }

  return g_steal_pointer (&entries);
}

/**
 * seedream_history_list_children:
 * @self: a history
 * @id: a row
 * @error: where a failure goes
 *
 * Returns: (transfer container) (element-type SeedreamHistoryEntry): the
 *   submissions that used one of @id's results as a source, oldest first,
 *   or %NULL with @error set
 */
GPtrArray *
seedream_history_list_children (SeedreamHistory  *self,
                                gint64            id,
                                GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = seedream_history_get_statement (self,
                                         "SELECT DISTINCT submission_id FROM submission_sources "
                                         "WHERE parent_id = ?1 ORDER BY submission_id",
                                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);

  return lookup_each (self, stmt, error);
}

/**
 * seedream_history_list_ancestors:
 * @self: a history
 * @entry: a row
 * @error: where a failure goes
 *
 * Follows the parent of @entry (seedream_history_entry_get_parent()), then
 * its parent, and so on, as far as they are still in the history.
 *
 * Returns: (transfer container) (element-type SeedreamHistoryEntry): the
 *   ancestors of @entry, the oldest first (the parent last), or %NULL with
 *   @error set
 */
GPtrArray *
seedream_history_list_ancestors (SeedreamHistory       *self,
                                 SeedreamHistoryEntry  *entry,
                                 GError               **error)
{
  g_autoptr(GPtrArray) ancestors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SeedreamHistoryEntry) current = NULL;
  gint64 parent_id;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (entry), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  current = g_object_ref (entry);
  while (ancestors->len < MAX_ANCESTORS &&
         seedream_history_entry_get_parent (current, &parent_id, NULL))
    {
      g_autoptr(GError) local_error = NULL;
      SeedreamHistoryEntry *parent;

      /* A parent is always older than its child; anything else is a
       * damaged row, and following it could go round in a circle. */
      if (parent_id >= seedream_history_entry_get_id (current))
        break;

      parent = seedream_history_lookup (self, parent_id, &local_error);
      if (parent == NULL)
        {
          /* Deleted since: the chain ends there. */
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            break;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      g_ptr_array_insert (ancestors, 0, parent);
      g_set_object (&current, parent);
    }

  return g_steal_pointer (&ancestors);
}
