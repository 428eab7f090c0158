/* seedream-history-database.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history's database file (see seedream-history.c for the whole
 * design): the schema and its migrations, opening, damage (the marker,
 * moving a damaged file aside), the cached statements and errors, and the
 * whole-file check on a worker thread.
 */

#define G_LOG_DOMAIN "seedream-history"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "seedream-history-private.h"
#include "seedream-regular-file.h"

#define BUSY_TIMEOUT_MS    5000

/* The schema, one step per version: migrations[N] takes a database from
 * version N to N + 1. To change the schema, append a step (never edit one
 * that has shipped) and raise SEEDREAM_HISTORY_SCHEMA_VERSION. */
static const char * const migrations[] = {
  /* 0 -> 1: the tables. created is UTC, in microseconds since 1970. Paths
   * inside the data folder are stored relative to it. */
  "CREATE TABLE submissions ("
  "  id             INTEGER PRIMARY KEY,"
  "  created        INTEGER NOT NULL,"
  "  prompt         TEXT    NOT NULL,"
  "  resolution     TEXT    NOT NULL,"
  "  batch_size     INTEGER NOT NULL,"
  "  image_url      TEXT,"
  "  state          INTEGER NOT NULL,"
  "  task_id        TEXT,"
  "  error_message  TEXT,"
  "  server_message TEXT"
  ");"
  "CREATE INDEX submissions_task_id ON submissions (task_id);"
  "CREATE TABLE submission_sources ("
  "  submission_id  INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
  "  position       INTEGER NOT NULL,"
  "  path           TEXT    NOT NULL,"
  "  PRIMARY KEY (submission_id, position)"
  ");"
  "CREATE TABLE results ("
  "  submission_id  INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
  "  idx            INTEGER NOT NULL,"
  "  url            TEXT,"
  "  local_path     TEXT,"
  "  width          INTEGER NOT NULL DEFAULT 0,"
  "  height         INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (submission_id, idx)"
  ");",

  /* 1 -> 2: which row of the model table a submission went to (NULL: the
   * default model), and the state index that recovery at start uses. */
  "ALTER TABLE submissions ADD COLUMN model TEXT;"
  "CREATE INDEX submissions_state ON submissions (state);",

  /* 2 -> 3: how many submissions there are, in one row kept by triggers in
   * the same transaction as the change, so that the unfiltered count reads
   * one row instead of the whole table (count(*) reads every page of its
   * smallest index: 0.8 ms at 100,000 rows). The triggers fire for every
   * row of every INSERT and DELETE, bulk ones included; REPLACE deletes
   * fire them only with PRAGMA recursive_triggers, which the history's
   * connection turns on (and never uses REPLACE on submissions anyway). */
  "CREATE TABLE submission_count ("
  "  only_row       INTEGER PRIMARY KEY CHECK (only_row = 1),"
  "  n              INTEGER NOT NULL"
  ");"
  "INSERT INTO submission_count (only_row, n) SELECT 1, count(*) FROM submissions;"
  "CREATE TRIGGER submissions_count_insert AFTER INSERT ON submissions BEGIN"
  "  UPDATE submission_count SET n = n + 1 WHERE only_row = 1;"
  "END;"
  "CREATE TRIGGER submissions_count_delete AFTER DELETE ON submissions BEGIN"
  "  UPDATE submission_count SET n = n - 1 WHERE only_row = 1;"
  "END;",

  /* 3 -> 4: favourites (submissions and single images), and the prompt
   * index: FTS5 with the trigram tokenizer over seedream_fold (prompt), so
   * that a substring in any script is found through the index with the same
   * folding as before. Contentless (the prompt is in submissions already);
   * contentless_delete so rows can leave it. case_sensitive 1: the text is
   * folded by us, the tokenizer must not fold it another way.
   * Rows that exist now are indexed afterwards on a worker
   * (seedream-history-search.c), newest first: prompt_index_todo holds the
   * id below which rows are not indexed yet, and exists only until they
   * all are. Rows at or above it are indexed by the trigger, so each row
   * is indexed by exactly one of the two. */
  "ALTER TABLE submissions ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE results ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX submissions_favourite ON submissions (id) WHERE favourite;"
  "CREATE VIRTUAL TABLE prompt_index USING fts5 ("
  "  prompt, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'"
  ");"
  "CREATE TABLE prompt_index_todo ("
  "  only_row       INTEGER PRIMARY KEY CHECK (only_row = 1),"
  "  below          INTEGER NOT NULL"
  ");"
  "INSERT INTO prompt_index_todo (only_row, below) "
  "  SELECT 1, max(id) + 1 FROM submissions HAVING count(*) > 0;"
  "CREATE TRIGGER prompt_index_insert AFTER INSERT ON submissions "
  "  WHEN new.id >= coalesce ((SELECT below FROM prompt_index_todo WHERE only_row = 1), 0) BEGIN"
  "  INSERT INTO prompt_index (rowid, prompt) VALUES (new.id, seedream_fold (new.prompt));"
  "END;"
  "CREATE TRIGGER prompt_index_delete AFTER DELETE ON submissions BEGIN"
  "  DELETE FROM prompt_index WHERE rowid = old.id;"
  "END;",

  /* 4 -> 5: the rows with a starred image, which the Favourites filter
   * shows too, found from an index as small as the stars are few (without
   * it the filter read every result: 20 rows of 100,000 in 38 ms, not
   * 0.02 ms; seedream-history-search.c). */
  "CREATE INDEX results_favourite ON results (submission_id) WHERE favourite;",
  /* 5 -> 6: lineage. A source image that was a result of this app ("Use
   * as Source") names its parent: the submission and which of its
   * results. Rows from before have none (NULL). A parent that is deleted
   * leaves the child without one. The index finds a row's children. */
  "ALTER TABLE submission_sources ADD COLUMN parent_id INTEGER "
  "  REFERENCES submissions (id) ON DELETE SET NULL;"
  "ALTER TABLE submission_sources ADD COLUMN parent_index INTEGER;"
  "CREATE INDEX submission_sources_parent ON submission_sources (parent_id) WHERE parent_id IS NOT NULL;",
  /* 6 -> 7: the rows whose downloaded images may be without the metadata
   * (the prompt, the mark of an image made by a model), from before it
   * was written into every result; seedream-history-metadata.c gives it
   * to them on a worker. Rows written from now on have it. */
  "CREATE TABLE metadata_todo ("
  "  submission_id  INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE"
  ");"
  "INSERT INTO metadata_todo (submission_id) "
  "  SELECT DISTINCT submission_id FROM results WHERE local_path IS NOT NULL AND local_path != '';",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SEEDREAM_HISTORY_SCHEMA_VERSION);

static void
fold_text_func (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  const char *text;

  g_assert (argc == 1);

  text = (const char *) sqlite3_value_text (argv[0]);
  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  sqlite3_result_text (context, seedream_history_fold_text (text), -1, g_free);
}

/* The schema's triggers call seedream_fold(): every connection that writes
 * the history registers it. */
int
seedream_history_register_functions (sqlite3 *db)
{
  return sqlite3_create_function_v2 (db, "seedream_fold", 1,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                     NULL, fold_text_func, NULL, NULL, NULL);
}

/* Errors */

static int
io_error_code_for_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return G_IO_ERROR_NO_SPACE;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return G_IO_ERROR_PERMISSION_DENIED;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return G_IO_ERROR_BUSY;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return G_IO_ERROR_INVALID_DATA;
    default:
      return G_IO_ERROR_FAILED;
    }
}

static gboolean
sqlite_code_is_damage (int rc)
{
  return (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT;
}

/* The marker: written atomically (a new file renamed over the old), from
 * this thread or the check's. It holds what was found, for whoever looks. */
static gboolean
write_marker (const char *marker_path,
              const char *problem)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = g_strdup_printf ("%s\n", problem);

  if (!g_file_set_contents_full (marker_path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &error))
    {
      g_message ("The history was found damaged, but this could not be recorded: %s",
                 error->message);
      return FALSE;
    }

  return TRUE;
}

void
seedream_history_remove_marker (SeedreamHistory *self)
{
  if (g_unlink (self->marker_path) != 0 && errno != ENOENT)
    g_message ("The marker “%s” could not be removed: %s",
               self->marker_path, g_strerror (errno));
}

/* Damage met by a query while the app runs: the next opening checks the
 * file and moves it aside. (While opening, damage is handled there.) */
static void
mark_damaged (SeedreamHistory *self,
              const char      *problem)
{
  if (!self->opened || self->marked)
    return;

  g_debug ("The history is damaged: %s", problem);
  self->marked = write_marker (self->marker_path, problem);
}

void
seedream_history_set_sqlite_error (SeedreamHistory  *self,
                                   int               rc,
                                   GError          **error)
{
  const char *detail = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  if (sqlite_code_is_damage (rc))
    mark_damaged (self, detail);

  g_set_error (error, G_IO_ERROR, io_error_code_for_sqlite (rc),
               _("The history of submissions could not be read or saved (%s). "
                 "Check that there is free disk space and that the folder “%s” can be written to."),
               detail, self->db_path);
}

/* Statements */

void
seedream_history_statement_finalize (gpointer data)
{
  sqlite3_finalize (data);
}

HistoryStatement *
seedream_history_get_statement (SeedreamHistory  *self,
                                const char       *sql,
                                GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);

  return stmt;
}

gboolean
seedream_history_exec_sql (SeedreamHistory  *self,
                           const char       *sql,
                           int              *rc_out,
                           GError          **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc_out != NULL)
    *rc_out = rc;

  if (rc != SQLITE_OK)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

void
seedream_history_rollback (SeedreamHistory *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

void
seedream_history_bind_text_or_null (sqlite3_stmt *stmt,
                                    int           index,
                                    const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

const char *
seedream_history_column_text (sqlite3_stmt *stmt,
                              int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}


/* Opening */

void
seedream_history_close_database (SeedreamHistory *self)
{
  g_hash_table_remove_all (self->statements);
  g_clear_pointer (&self->db, sqlite3_close_v2);
}

static gboolean
migrate (SeedreamHistory  *self,
         int              *rc_out,
         GError          **error)
{
  while (self->schema_version < SEEDREAM_HISTORY_SCHEMA_VERSION)
    {
      int version = self->schema_version;
      /* A number we made: PRAGMA takes no bound parameters. */
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      g_debug ("Migrating the history from version %d to %d", version, version + 1);

      if (!seedream_history_exec_sql (self, "BEGIN IMMEDIATE", rc_out, error))
        return FALSE;

      if (!seedream_history_exec_sql (self, migrations[version], rc_out, error) ||
          !seedream_history_exec_sql (self, set_version, rc_out, error) ||
          !seedream_history_exec_sql (self, "COMMIT", rc_out, error))
        {
          seedream_history_rollback (self);
          return FALSE;
        }

      self->schema_version = version + 1;
    }

  return TRUE;
}

/* Runs `PRAGMA quick_check` on @db, stopping at ten findings (the first
 * ones say enough). Returns what it found, in one line, or %NULL when the
 * file is sound; *@rc is SQLite's last answer, SQLITE_DONE when the check
 * ran to its end. */
static char *
run_quick_check (sqlite3 *db,
                 int     *rc)
{
  g_autoptr(GString) found = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  *rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check (10)", -1, &stmt, NULL);
  if (*rc != SQLITE_OK)
    return NULL;

  while ((*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = seedream_history_column_text (stmt, 0);
      g_auto(GStrv) lines = NULL;

      if (text == NULL || g_strcmp0 (text, "ok") == 0)
        continue;

      /* One finding may span lines, with headings such as
       * "*** in database main ***". */
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (*lines[i] == '\0' || g_str_has_prefix (lines[i], "***"))
            continue;
          if (found->len > 0)
            g_string_append (found, "; ");
          g_string_append (found, lines[i]);
        }
      if (found->len == 0)
        g_string_append (found, text);
    }
  sqlite3_finalize (stmt);

  return found->len > 0 ? g_string_free (g_steal_pointer (&found), FALSE) : NULL;
}

/* Opens (or makes) the database and brings it to the newest schema; with
 * @full_check, reads the whole file first (PRAGMA quick_check).
 * *damaged tells whether a failure means the file itself is bad. */
gboolean
seedream_history_open_database (SeedreamHistory  *self,
                                gboolean          full_check,
                                gboolean         *damaged,
                                GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;
  g_autoptr(GError) not_a_file = NULL;
  int rc;

  *damaged = FALSE;

  /* A FIFO, a device or a link in its place is no history the app wrote:
   * set aside like a damaged file (NOFOLLOW closes the race for links). */
  if (!seedream_regular_file_check (self->db_path, &not_a_file) &&
      !g_error_matches (not_a_file, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      *damaged = !g_error_matches (not_a_file, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
      g_propagate_error (error, g_steal_pointer (&not_a_file));
      return FALSE;
    }

  rc = sqlite3_open_v2 (self->db_path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  rc = seedream_history_register_functions (self->db);
  if (rc != SQLITE_OK)
    goto failed;

  /* The first statement that reads the file: a file that is not a
   * database fails here with SQLITE_NOTADB. */
  stmt = seedream_history_get_statement (self, "PRAGMA journal_mode = WAL", NULL);
  if (stmt == NULL)
    {
      rc = sqlite3_errcode (self->db);
      goto failed;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    goto failed;
  if (g_strcmp0 (seedream_history_column_text (stmt, 0), "wal") != 0)
    g_debug ("The history is not in WAL mode but in “%s”", seedream_history_column_text (stmt, 0));
  g_clear_pointer (&stmt, history_statement_reset);

  if ((rc = sqlite3_exec (self->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL)) != SQLITE_OK ||
      (rc = sqlite3_exec (self->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL)) != SQLITE_OK ||
      /* So that rows a REPLACE deletes are counted too (see migrations). */
      (rc = sqlite3_exec (self->db, "PRAGMA recursive_triggers = ON", NULL, NULL, NULL)) != SQLITE_OK)
    goto failed;

  /* Only when damage was seen before: it reads every page. */
  if (full_check)
    {
      g_autofree char *problem = run_quick_check (self->db, &rc);

      if (problem != NULL)
        {
          g_debug ("The history failed its integrity check: %s", problem);
          *damaged = TRUE;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The history of submissions is damaged (%s)."), problem);
          return FALSE;
        }
      if (rc != SQLITE_DONE)
        goto failed;
    }

  stmt = seedream_history_get_statement (self, "PRAGMA user_version", NULL);
  if (stmt == NULL)
    {
      rc = sqlite3_errcode (self->db);
      goto failed;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    goto failed;
  self->schema_version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, history_statement_reset);

  if (self->schema_version < 0 || self->schema_version > SEEDREAM_HISTORY_SCHEMA_VERSION)
    {
      /* Not damaged: moving it aside would lose the newer version's data. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The history of submissions in “%s” was written by a newer version "
                     "of Seedream Studio. Update Seedream Studio to open it."),
                   self->db_path);
      return FALSE;
    }

  if (!migrate (self, &rc, error))
    {
      *damaged = sqlite_code_is_damage (rc);
      return FALSE;
    }

  return TRUE;

failed:
  *damaged = sqlite_code_is_damage (rc);
  seedream_history_set_sqlite_error (self, rc, error);
  return FALSE;
}

/* Moves @from to @to, or deletes it if it cannot move; fine if it is absent. */
static gboolean
move_or_delete (const char  *from,
                const char  *to,
                GError     **error)
{
  int saved_errno;

  if (g_rename (from, to) == 0 || errno == ENOENT)
    return TRUE;

  saved_errno = errno;
  if (g_unlink (from) == 0 || errno == ENOENT)
    return TRUE;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("The damaged history “%s” could not be moved aside: %s"),
               from, g_strerror (saved_errno));
  return FALSE;
}

gboolean
seedream_history_move_database_aside (SeedreamHistory  *self,
                                      GError          **error)
{
  static const char * const companions[] = { "-wal", "-shm", "-journal" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *base = g_strdup_printf ("%s.damaged-%s", self->db_path, stamp);
  g_autofree char *target = g_strdup (base);

  /* Closing would otherwise copy the WAL into the damaged file and delete
   * it: keep both as they were, for whoever looks at them. */
  if (self->db != NULL)
    sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  seedream_history_close_database (self);

  for (guint n = 2; g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = g_strdup_printf ("%s-%u", base, n);
    }

  if (g_rename (self->db_path, target) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The damaged history “%s” could not be moved aside: %s"),
                   self->db_path, g_strerror (saved_errno));
      return FALSE;
    }

  /* Its journal must not be applied to the new database. */
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (self->db_path, companions[i], NULL);
      g_autofree char *to = g_strconcat (target, companions[i], NULL);

      if (!move_or_delete (from, to, error))
        return FALSE;
    }

  g_message ("The history database was damaged; it was moved to %s and a new one was made",
             target);

  g_set_object (&self->recovered_file, NULL);
  self->recovered_file = g_file_new_for_path (target);

  return TRUE;
}

gboolean
seedream_history_make_folder (GFile   *folder,
                              GError **error)
{
  const char *path = g_file_peek_path (folder);

  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The folder “%s” for the history could not be made: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  if (g_access (path, R_OK | W_OK | X_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The folder “%s” for the history cannot be used: %s. "
                     "Check its permissions."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Checking the whole file */

typedef struct
{
  char *db_path;
  char *marker_path;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_pointer (&data->db_path, g_free);
  g_clear_pointer (&data->marker_path, g_free);
  g_free (data);
}

/* Called by SQLite every few thousand steps: non-zero interrupts. */
static int
check_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (user_data));
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  g_autoptr(GString) found = g_string_new (NULL);
  g_autofree char *problem_text = NULL;
  sqlite3 *db = NULL;
  char *problem = NULL;
  int rc;

  if (g_task_return_error_if_cancelled (task))
    return;

  rc = sqlite3_open_v2 (data->db_path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    goto done;

  sqlite3_extended_result_codes (db, TRUE);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, check_progress_cb, cancellable);

  problem_text = run_quick_check (db, &rc);
  if (problem_text != NULL)
    g_string_append (found, problem_text);

done:
  /* A file SQLite cannot read as a database is damage too. */
  if (sqlite_code_is_damage (rc) && found->len == 0)
    g_string_append (found, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));

  if (found->len > 0)
    problem = g_strdup_printf (_("The history of submissions is damaged (%s)."), found->str);
  else if (rc != SQLITE_DONE && g_cancellable_is_cancelled (cancellable))
    rc = SQLITE_INTERRUPT;

  if (problem == NULL && rc == SQLITE_INTERRUPT)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The check of the history was cancelled."));
    }
  else if (problem == NULL && rc != SQLITE_DONE)
    {
      g_task_return_new_error (task, G_IO_ERROR, io_error_code_for_sqlite (rc),
                               _("The history of submissions could not be checked (%s)."),
                               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
    }
  else
    {
      if (problem != NULL)
        {
          g_debug ("The check found the history damaged: %s", found->str);
          write_marker (data->marker_path, found->str);
        }
      g_task_return_pointer (task, problem, g_free);
    }

  sqlite3_close_v2 (db);
}

/**
 * seedream_history_check_async:
 * @self: a history
 * @cancellable: (nullable): a #GCancellable; cancelling stops the check
 *   within a few milliseconds
 * @callback: called when the check is over
 * @user_data: data for @callback
 *
 * Reads the whole database (`PRAGMA quick_check`) on a worker thread at low
 * priority, on a read-only connection of its own, so this thread goes on
 * reading and writing meanwhile. When the file is damaged, a marker
 * (%SEEDREAM_HISTORY_CHECK_MARKER_NAME) is written beside it, so that the
 * next opening moves it aside; nothing is moved now.
 */
void
seedream_history_check_async (SeedreamHistory     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (SEEDREAM_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_history_check_async);
  g_task_set_priority (task, G_PRIORITY_LOW);

  data = g_new0 (CheckData, 1);
  data->db_path = g_strdup (self->db_path);
  data->marker_path = g_strdup (self->marker_path);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);

  g_task_run_in_thread (task, check_thread);
}

/**
 * seedream_history_check_finish:
 * @self: a history
 * @result: the result given to the callback
 * @problem: (out) (optional) (nullable) (transfer full): what is wrong with
 *   the file, in words, or %NULL when it is healthy
 * @error: return location for an error
 *
 * Returns: %TRUE when the check ran to the end (whatever it found), or
 *   %FALSE with @error set (%G_IO_ERROR_CANCELLED when cancelled)
 */
gboolean
seedream_history_check_finish (SeedreamHistory  *self,
                               GAsyncResult     *result,
                               char            **problem,
                               GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *found = NULL;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_history_check_async, FALSE);

  if (problem != NULL)
    *problem = NULL;

  found = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (problem != NULL)
    *problem = g_steal_pointer (&found);

  return TRUE;
}
