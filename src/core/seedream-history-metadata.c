/* seedream-history-metadata.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every result this app downloads carries its metadata (the prompt, the
 * mark of an image made by a model: seedream-image-metadata.c), written by
 * the task follower before the row is. Images downloaded before that have
 * none, and a copy saved from them would not say what made it. Migration
 * 7 lists their rows in metadata_todo; this gives their images the same
 * metadata, on a worker thread with its own connection, one row at a time,
 * newest first (the images most likely to be saved again), and takes each
 * row off the list when its images are done. An image that already has the
 * mark (a row from between the two changes) is not rewritten. Only files
 * inside the results folder, and never through a link, are written.
 *
 * A large old history keeps this busy for minutes, so it has a thread of
 * its own, of lowered priority (seedream-thread-priority.c), not one of
 * GIO's shared pool. The row may be deleted while one of its images is
 * being rewritten: the deletion removes the file after its commit, and the
 * rewrite's rename may then bring it back; so after each image the worker
 * looks again, and removes the file itself if no row names it any more.
 */

#define G_LOG_DOMAIN "seedream-history"

#include "config.h"

#include "seedream-history-private.h"
#include "seedream-image-metadata.h"
#include "seedream-model.h"
#include "seedream-thread-priority.h"

static SeedreamHistoryStampHook stamp_hook;
static gpointer                 stamp_hook_data;

void
seedream_history_set_stamp_hook (SeedreamHistoryStampHook hook,
                                 gpointer                 user_data)
{
  stamp_hook = hook;
  stamp_hook_data = user_data;
}

typedef struct
{
  char *db_path;
  char *data_dir;
  char *results_dir;
} StampData;

static void
stamp_data_free (StampData *data)
{
  g_free (data->db_path);
  g_free (data->data_dir);
  g_free (data->results_dir);
  g_free (data);
}

/* The newest row still to do, or none. */
typedef struct
{
  gint64     id;
  GDateTime *created;
  char      *model_id;
  char      *prompt;
  char      *size;
  char      *task_id;
} TodoRow;

static void
todo_row_clear (TodoRow *row)
{
  g_clear_pointer (&row->created, g_date_time_unref);
  g_clear_pointer (&row->model_id, g_free);
  g_clear_pointer (&row->prompt, g_free);
  g_clear_pointer (&row->size, g_free);
  g_clear_pointer (&row->task_id, g_free);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* SQLITE_ROW with @row filled, SQLITE_DONE when nothing is left. */
static int
read_next_row (sqlite3 *db,
               TodoRow *row)
{
  const SeedreamModel *model;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT t.submission_id, s.created, s.model, s.prompt, s.resolution, s.task_id "
                           "FROM metadata_todo t JOIN submissions s ON s.id = t.submission_id "
                           "ORDER BY t.submission_id DESC LIMIT 1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->id = sqlite3_column_int64 (stmt, 0);
      row->created = g_date_time_new_from_unix_local_usec (sqlite3_column_int64 (stmt, 1));
      /* A row from before models were stored went to the default one. */
      model = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? NULL
              : seedream_model_lookup ((const char *) sqlite3_column_text (stmt, 2));
      row->model_id = g_strdup (model != NULL ? model->id : seedream_model_get_default ()->id);
      row->prompt = column_dup (stmt, 3);
      row->size = column_dup (stmt, 4);
      row->task_id = column_dup (stmt, 5);
    }
  sqlite3_finalize (stmt);

  return rc;
}

/* One image: TRUE if it was given the metadata now. */
static gboolean
stamp_file (StampData    *data,
            TodoRow      *row,
            guint         index,
            const char   *stored,
            GCancellable *cancellable)
{
  g_autofree char *path = seedream_history_path_from_stored_in (data->data_dir, stored);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) results_dir = g_file_new_for_path (data->results_dir);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(SeedreamImageMetadata) metadata = NULL;
  g_autoptr(GError) error = NULL;

  /* The history names only files it downloaded; anything else it is not
   * this code's to rewrite. */
  if (!g_file_has_prefix (file, results_dir))
    return FALSE;
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                            cancellable, NULL);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return FALSE;

  if (seedream_image_metadata_file_has_mark (file, &error))
    return FALSE;
  if (error != NULL)
    {
      g_debug ("%s is left as it is: %s", path, error->message);
      return FALSE;
    }

  metadata = seedream_image_metadata_new (row->prompt, row->model_id, row->size, index, row->task_id, row->created);
  if (stamp_hook != NULL)
    stamp_hook (path, stamp_hook_data);
  if (!seedream_image_metadata_write (metadata, file, cancellable, &error))
    {
      g_debug ("%s keeps no metadata: %s", path, error->message);
      return FALSE;
    }

  return TRUE;
}

/* Whether the row @id still names @stored as its image @index. */
static int
still_named (sqlite3    *db,
             gint64      id,
             guint       index,
             const char *stored,
             gboolean   *named)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT 1 FROM results WHERE submission_id = ?1 AND idx = ?2 AND local_path = ?3",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, 1, id);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int (stmt, 2, (int) index);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, 3, stored, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  *named = rc == SQLITE_ROW;
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

typedef struct
{
  guint  index;
  char  *stored;
} StoredResult;

static void
stored_result_clear (StoredResult *result)
{
  g_free (result->stored);
}

/* The images of @row, read first: the statement is not kept open over
 * the files' writing. SQLITE_OK or an error code. */
static int
stamp_row (sqlite3      *db,
           StampData    *data,
           TodoRow      *row,
           guint        *n_stamped,
           GCancellable *cancellable)
{
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (StoredResult));
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_array_set_clear_func (results, (GDestroyNotify) stored_result_clear);
  rc = sqlite3_prepare_v2 (db,
                           "SELECT idx, local_path FROM results "
                           "WHERE submission_id = ?1 AND local_path IS NOT NULL AND local_path != '' "
                           "ORDER BY idx",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, 1, row->id);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StoredResult result = { (guint) sqlite3_column_int (stmt, 0), column_dup (stmt, 1) };

      g_array_append_val (results, result);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return rc;

  for (guint i = 0; i < results->len; i++)
    {
      StoredResult *result = &g_array_index (results, StoredResult, i);
      gboolean named = TRUE;

      /* Between two images: a row is done whole or done again. */
      if (g_cancellable_is_cancelled (cancellable))
        return SQLITE_INTERRUPT;
      if (!stamp_file (data, row, result->index, result->stored, cancellable))
        continue;
      if ((rc = still_named (db, row->id, result->index, result->stored, &named)) != SQLITE_OK)
        return rc;
      if (named)
        (*n_stamped)++;
      else
        {
          /* Deleted while it was written: removed as the deletion does. */
          g_autoptr(GFile) results_dir = g_file_new_for_path (data->results_dir);

          seedream_history_delete_file_inside (data->data_dir, result->stored, results_dir);
        }
    }

  rc = sqlite3_prepare_v2 (db, "DELETE FROM metadata_todo WHERE submission_id = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, 1, row->id);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void
stamp_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StampData *data = task_data;
  g_autoptr(GError) error = NULL;
  guint n_stamped = 0;
  sqlite3 *db;
  int rc = SQLITE_OK;

  db = seedream_history_open_worker_connection (data->db_path, SQLITE_OPEN_READWRITE, cancellable, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  while (rc == SQLITE_OK)
    {
      TodoRow row = { 0 };

      if (g_cancellable_is_cancelled (cancellable))
        rc = SQLITE_INTERRUPT;
      else if ((rc = read_next_row (db, &row)) == SQLITE_ROW)
        rc = stamp_row (db, data, &row, &n_stamped, cancellable);
      todo_row_clear (&row);
    }

  if (rc == SQLITE_DONE)
    g_task_return_int (task, n_stamped);
  else
    {
      seedream_history_set_worker_error (db, rc, cancellable, &error);
      g_task_return_error (task, g_steal_pointer (&error));
    }

  sqlite3_close_v2 (db);
}

static gboolean
drop_task_cb (gpointer user_data)
{
  g_object_unref (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
stamp_thread_main (gpointer user_data)
{
  GTask *task = user_data;

  seedream_thread_lower_priority ("metadata worker");
  stamp_thread (task, g_task_get_source_object (task), g_task_get_task_data (task), g_task_get_cancellable (task));

  /* This may be the last reference, and with it the history's: let it go
   * where the task was made, never on this thread. */
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_LOW, drop_task_cb, task, NULL);
  return NULL;
}

void
seedream_history_stamp_older_results_async (SeedreamHistory     *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StampData *data;

  g_return_if_fail (SEEDREAM_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (StampData, 1);
  data->db_path = g_strdup (self->db_path);
  data->data_dir = g_file_get_path (self->data_dir);
  data->results_dir = g_file_get_path (self->results_dir);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_history_stamp_older_results_async);
  /* Its callback, behind anything a person waits for. */
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_set_task_data (task, data, (GDestroyNotify) stamp_data_free);
  g_thread_unref (g_thread_new ("seedream-metadata", stamp_thread_main, g_steal_pointer (&task)));
}

gboolean
seedream_history_stamp_older_results_finish (SeedreamHistory  *self,
                                             GAsyncResult     *result,
                                             guint            *n_stamped,
                                             GError          **error)
{
  gssize stamped;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  stamped = g_task_propagate_int (G_TASK (result), error);
  if (stamped < 0)
    return FALSE;

  if (n_stamped != NULL)
    *n_stamped = (guint) stamped;

  return TRUE;
}
