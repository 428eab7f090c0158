/* seedream-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every submission and its results, kept in SQLite (<data_dir>/history.db)
 * so that they survive restarts and crashes:
 *
 * - WAL journal, synchronous=NORMAL, foreign keys on; `PRAGMA user_version`
 *   is the schema version and `migrations` (seedream-history-database.c)
 *   holds one SQL step per version, each applied in its own transaction. A
 *   file of a newer version is refused (G_IO_ERROR_NOT_SUPPORTED) and left
 *   as it is.
 * - The number of submissions is kept in the one row of submission_count
 *   by triggers, so counting every row costs the same at any size.
 * - Source images are copied into <data_dir>/sources/, named by the SHA-256
 *   of their content, on a worker thread; the row is then written on the
 *   thread that owns the history.
 * - Damaged files. Opening reads only the header, the schema and
 *   user_version, so it costs the same for 100 rows as for 100,000. A file
 *   that fails there (not a database, a bad header, an unreadable schema:
 *   SQLITE_NOTADB, SQLITE_CORRUPT) is moved aside, with its -wal and -shm,
 *   as history.db.damaged-<YYYYMMDD-HHMMSS>, and a new one is made.
 * - The whole file is read by `PRAGMA quick_check` only in
 *   seedream_history_check_async(): on a worker thread, on a read-only
 *   connection of its own (WAL lets it read beside the app's). Damage it
 *   finds, or that any query meets while the app runs (SQLITE_CORRUPT,
 *   SQLITE_NOTADB), is recorded in the marker history.db.needs-check
 *   (written atomically). The file is not moved while the app runs: the
 *   rows on screen and the tasks being followed still point into it.
 * - Opening when the marker exists runs `PRAGMA quick_check` first: a
 *   damaged file is moved aside as above, a healthy one is kept; the marker
 *   is removed either way.
 *
 * Only the owning thread touches the history's connection (the check opens
 * its own). Every statement is prepared once with bound parameters: no SQL
 * is ever built from user text.
 */

#define G_LOG_DOMAIN "seedream-history"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gfiledescriptorbased.h>
#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "seedream-history.h"
#include "seedream-history-private.h"
#include "seedream-model.h"

#define SOURCES_DIR_NAME   "sources"
#define RESULTS_DIR_NAME   "results"

#define ENTRY_COLUMNS \
  "id, created, model, prompt, resolution, batch_size, image_url, state, " \
  "task_id, error_message, server_message, favourite"

/* seedream_fold() is registered on each connection (fold_text_func). A
 * search uses the prompt index once it is complete and the search has
 * three characters (seedream-history-search.c), LIKE otherwise; both find
 * the same rows. */
#define SEARCH_CLAUSE "seedream_fold (prompt) LIKE ?1 ESCAPE '\\'"
#define FTS_CLAUSE    "id IN (SELECT rowid FROM prompt_index WHERE prompt_index MATCH ?1)"

static void seedream_history_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SeedreamHistory, seedream_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      seedream_history_initable_iface_init))

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_RECOVERED_FILE,
  PROP_SEARCH_INDEXED,
  N_PROPS
};

enum {
  ENTRY_ADDED,
  ENTRY_CHANGED,
  ENTRY_REMOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Text folding and matching */

/**
 * seedream_history_fold_text:
 * @text: (nullable): any text; invalid UTF-8 is repaired first
 *
 * Returns: (transfer full): @text normalized (NFKC) and case-folded
 */
char *
seedream_history_fold_text (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  normalized = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL_COMPOSE);
  if (normalized == NULL)
    return g_utf8_casefold (valid, -1);

  return g_utf8_casefold (normalized, -1);
}

/**
 * seedream_history_prompt_matches:
 * @prompt: (nullable): a stored prompt
 * @search: (nullable): what the person searches for
 *
 * The same test as the SQL search, in C: whether @prompt contains @search,
 * both folded. An empty or %NULL search matches everything.
 */
gboolean
seedream_history_prompt_matches (const char *prompt,
                                 const char *search)
{
  g_autofree char *folded_prompt = NULL;
  g_autofree char *folded_search = NULL;

  if (search == NULL || *search == '\0')
    return TRUE;

  folded_prompt = seedream_history_fold_text (prompt);
  folded_search = seedream_history_fold_text (search);

  return strstr (folded_prompt, folded_search) != NULL;
}

/* "%" + the folded search with \, % and _ escaped + "%", for LIKE ... ESCAPE '\'. */
static char *
make_like_pattern (const char *search)
{
  g_autofree char *folded = seedream_history_fold_text (search);
  GString *pattern = g_string_new ("%");

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '%' || *p == '_')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (pattern, FALSE);
}

static gboolean
search_is_empty (const char *search)
{
  return search == NULL || *search == '\0';
}

/* Picks the form of a query for a non-empty @search: through the prompt
 * index (@sql_fts) when it can be used, else LIKE (@sql_like); *@bound is
 * what ?1 takes. */
static const char *
pick_search_sql (SeedreamHistory  *self,
                 const char       *search,
                 const char       *sql_like,
                 const char       *sql_fts,
                 char            **bound)
{
  char *phrase = self->search_indexed ? seedream_history_make_fts_phrase (search) : NULL;

  if (phrase != NULL)
    {
      *bound = phrase;
      return sql_fts;
    }

  *bound = make_like_pattern (search);
  return sql_like;
}

static void
set_not_found_error (gint64   id,
                     GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The submission %lld is not in the history."), (long long) id);
}


/* Paths inside the data folder are stored relative to it, so the folder can
 * move (e.g. into a sandbox) without breaking the history. */
static char *
path_to_stored (SeedreamHistory *self,
                const char      *path)
{
  g_autoptr(GFile) file = NULL;
  char *relative;

  if (path == NULL)
    return NULL;

  file = g_file_new_for_path (path);
  relative = g_file_get_relative_path (self->data_dir, file);
  if (relative != NULL)
    return relative;

  return g_file_get_path (file);
}

/* Also for worker threads, which have the data folder's path only. */
char *
seedream_history_path_from_stored_in (const char *data_dir,
                                      const char *stored)
{
  if (stored == NULL)
    return NULL;

  if (g_path_is_absolute (stored))
    return g_strdup (stored);

  return g_build_filename (data_dir, stored, NULL);
}

char *
seedream_history_path_from_stored (SeedreamHistory *self,
                                   const char      *stored)
{
  return seedream_history_path_from_stored_in (g_file_peek_path (self->data_dir), stored);
}

void
seedream_history_emit_removed (SeedreamHistory *self,
                               gint64           id)
{
  g_signal_emit (self, signals[ENTRY_REMOVED], 0, id);
}
/* The result a source image is (lineage; see seedream-history-lineage.c). */
typedef struct
{
  gint64 entry_id;  /* 0: none */
  guint  index;
} SourceParent;

/* Reading rows */
/* Builds the entry of the row @stmt stands on (selected with ENTRY_COLUMNS),
 * reading its sources and results. */
static SeedreamHistoryEntry *
read_entry (SeedreamHistory  *self,
            sqlite3_stmt     *stmt,
            GError          **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) parents = g_array_new (FALSE, TRUE, sizeof (SourceParent));
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) seedream_history_result_unref);
  g_autoptr(HistoryStatement) sources_stmt = NULL;
  g_autoptr(HistoryStatement) results_stmt = NULL;
  SeedreamHistoryEntry *entry;
  gint64 id = sqlite3_column_int64 (stmt, 0);
  int rc;

  self->rows_read++;

  sources_stmt = seedream_history_get_statement (self,
                                                 "SELECT path, parent_id, parent_index FROM submission_sources "
                                                 "WHERE submission_id = ?1 ORDER BY position",
                                                 error);
  if (sources_stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (sources_stmt, 1, id);
  while ((rc = sqlite3_step (sources_stmt)) == SQLITE_ROW)
    {
      SourceParent parent = { 0, 0 };

      g_ptr_array_add (sources, seedream_history_path_from_stored (self, seedream_history_column_text (sources_stmt, 0)));
      if (sqlite3_column_type (sources_stmt, 1) == SQLITE_INTEGER && sqlite3_column_int64 (sources_stmt, 2) >= 0)
        {
          parent.entry_id = sqlite3_column_int64 (sources_stmt, 1);
          parent.index = (guint) MIN (sqlite3_column_int64 (sources_stmt, 2), G_MAXUINT);
        }
      g_array_append_val (parents, parent);
    }
  if (rc != SQLITE_DONE)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return NULL;
    }
  g_ptr_array_add (sources, NULL);

  results_stmt = seedream_history_get_statement (self,
                                                 "SELECT idx, url, local_path, width, height, favourite FROM results "
                                                 "WHERE submission_id = ?1 ORDER BY idx",
                                                 error);
  if (results_stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (results_stmt, 1, id);
  while ((rc = sqlite3_step (results_stmt)) == SQLITE_ROW)
    {
      g_autofree char *local_path = seedream_history_path_from_stored (self, seedream_history_column_text (results_stmt, 2));

      SeedreamHistoryResult *result;

      result = seedream_history_result_new (sqlite3_column_int (results_stmt, 0),
                                            seedream_history_column_text (results_stmt, 1),
                                            local_path,
                                            sqlite3_column_int (results_stmt, 3),
                                            sqlite3_column_int (results_stmt, 4));
      seedream_history_result_set_favourite_internal (result, sqlite3_column_int (results_stmt, 5));
      g_ptr_array_add (results, result);
    }
  if (rc != SQLITE_DONE)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return NULL;
    }

  entry = seedream_history_entry_new_take (id,
                                           sqlite3_column_int64 (stmt, 1),
                                           seedream_history_column_text (stmt, 2),
                                           seedream_history_column_text (stmt, 3),
                                           seedream_history_column_text (stmt, 4),
                                           sqlite3_column_int (stmt, 5),
                                           seedream_history_column_text (stmt, 6),
                                           (char **) g_ptr_array_free (g_steal_pointer (&sources), FALSE),
                                           sqlite3_column_int (stmt, 7),
                                           seedream_history_column_text (stmt, 8),
                                           seedream_history_column_text (stmt, 9),
                                           seedream_history_column_text (stmt, 10),
                                           g_steal_pointer (&results));
  seedream_history_entry_set_favourite_internal (entry, sqlite3_column_int (stmt, 11));

  for (guint i = 0; i < parents->len; i++)
    {
      const SourceParent *parent = &g_array_index (parents, SourceParent, i);
      const char *path = seedream_history_entry_get_source_paths (entry)[i];
      g_autoptr(GFile) file = NULL;

      if (parent->entry_id <= 0 || path == NULL)
        continue;
      file = g_file_new_for_path (path);
      seedream_request_set_source_parent (seedream_history_entry_get_request (entry), file,
                                          parent->entry_id, parent->index);
    }

  if (!seedream_history_read_lineage (self, entry, error))
    g_clear_object (&entry);

  return entry;
}

/* Steps @stmt to the end, collecting an entry per row. */
static GPtrArray *
read_entries (SeedreamHistory  *self,
              sqlite3_stmt     *stmt,
              GError          **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SeedreamHistoryEntry *entry = read_entry (self, stmt, error);

      if (entry == NULL)
        return NULL;

      g_ptr_array_add (entries, entry);
    }

  if (rc != SQLITE_DONE)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/* Rows a migration left unindexed are indexed on a worker from now on. */
static gboolean
open_search_index (SeedreamHistory  *self,
                   GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  self->search_indexed = seedream_history_read_search_indexed (self, &local_error);
  if (local_error != NULL)
    {
      seedream_history_close_database (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  seedream_history_start_indexing (self);

  return TRUE;
}

static gboolean
seedream_history_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  SeedreamHistory *self = SEEDREAM_HISTORY (initable);
  g_autoptr(GError) local_error = NULL;
  gboolean damaged = FALSE;
  gboolean marked;

  if (self->data_dir == NULL || g_file_peek_path (self->data_dir) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The history must be kept in a local folder."));
      return FALSE;
    }

  self->sources_dir = g_file_get_child (self->data_dir, SOURCES_DIR_NAME);
  self->results_dir = g_file_get_child (self->data_dir, RESULTS_DIR_NAME);
  self->db_path = g_build_filename (g_file_peek_path (self->data_dir),
                                    SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  self->marker_path = g_build_filename (g_file_peek_path (self->data_dir),
                                        SEEDREAM_HISTORY_CHECK_MARKER_NAME, NULL);

  if (!seedream_history_make_folder (self->data_dir, error) ||
      !seedream_history_make_folder (self->sources_dir, error) ||
      !seedream_history_make_folder (self->results_dir, error))
    return FALSE;

  seedream_history_remove_incoming_files (self);

  marked = g_file_test (self->marker_path, G_FILE_TEST_EXISTS);
  if (marked)
    g_debug ("The history was marked as damaged; checking it");

  if (seedream_history_open_database (self, marked, &damaged, &local_error))
    {
      /* Checked and healthy. */
      if (marked)
        seedream_history_remove_marker (self);
      self->opened = TRUE;
      return open_search_index (self, error);
    }

  if (!damaged)
    {
      seedream_history_close_database (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_debug ("Opening the history failed: %s", local_error->message);
  g_clear_error (&local_error);

  /* The marker stays until the file is really set aside. */
  if (!seedream_history_move_database_aside (self, error))
    return FALSE;
  seedream_history_remove_marker (self);

  if (!seedream_history_open_database (self, FALSE, &damaged, error))
    {
      seedream_history_close_database (self);
      return FALSE;
    }

  self->opened = TRUE;
  return open_search_index (self, error);
}

static void
seedream_history_initable_iface_init (GInitableIface *iface)
{
  iface->init = seedream_history_initable_init;
}

/* The object */

static void
seedream_history_finalize (GObject *object)
{
  SeedreamHistory *self = (SeedreamHistory *)object;

  /* The indexer has its own connection; it stops between two batches. */
  g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->index_cancellable);
  seedream_history_close_database (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_object (&self->data_dir);
  g_clear_object (&self->sources_dir);
  g_clear_object (&self->results_dir);
  g_clear_object (&self->recovered_file);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->marker_path, g_free);

  G_OBJECT_CLASS (seedream_history_parent_class)->finalize (object);
}

static void
seedream_history_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SeedreamHistory *self = SEEDREAM_HISTORY (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_object (value, self->data_dir);
      break;
    case PROP_RECOVERED_FILE:
      g_value_set_object (value, self->recovered_file);
      break;
    case PROP_SEARCH_INDEXED:
      g_value_set_boolean (value, self->search_indexed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_history_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SeedreamHistory *self = SEEDREAM_HISTORY (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_history_class_init (SeedreamHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = seedream_history_finalize;
  object_class->get_property = seedream_history_get_property;
  object_class->set_property = seedream_history_set_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_object ("data-dir", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_RECOVERED_FILE] =
    g_param_spec_object ("recovered-file", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_SEARCH_INDEXED] =
    g_param_spec_boolean ("search-indexed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SeedreamHistory::entry-added:
   * @id: the new row
   *
   * A submission was written (by add_submission), after the commit.
   */
  signals[ENTRY_ADDED] =
    g_signal_new ("entry-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * SeedreamHistory::entry-changed:
   * @id: the row
   *
   * A row's state, task id, messages or results changed, after the commit.
   */
  signals[ENTRY_CHANGED] =
    g_signal_new ("entry-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * SeedreamHistory::entry-removed:
   * @id: the row
   *
   * A row was deleted, after the commit.
   */
  signals[ENTRY_REMOVED] =
    g_signal_new ("entry-removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
seedream_history_init (SeedreamHistory *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal,
                                            NULL, seedream_history_statement_finalize);
}

/**
 * seedream_history_new:
 * @data_dir: the folder for history.db, sources/ and results/; made if
 *   missing
 * @error: return location for an error
 *
 * Opens the history, making or migrating the database as needed. A damaged
 * database is moved aside and replaced (see
 * seedream_history_get_recovered_file()); a folder that cannot be made or
 * used, or a database written by a newer version, is an error.
 *
 * Returns: (transfer full) (nullable): the history, or %NULL with @error set
 */
SeedreamHistory *
seedream_history_new (GFile   *data_dir,
                      GError **error)
{
  g_return_val_if_fail (G_IS_FILE (data_dir), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (SEEDREAM_TYPE_HISTORY, NULL, error,
                         "data-dir", data_dir,
                         NULL);
}

/**
 * seedream_history_get_data_dir:
 * @self: a history
 *
 * Returns: (transfer none): the folder it lives in
 */
GFile *
seedream_history_get_data_dir (SeedreamHistory *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);

  return self->data_dir;
}

/**
 * seedream_history_get_results_dir:
 * @self: a history
 *
 * Returns: (transfer none): where downloaded results go, one folder per task
 */
GFile *
seedream_history_get_results_dir (SeedreamHistory *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);

  return self->results_dir;
}

/**
 * seedream_history_get_recovered_file:
 * @self: a history
 *
 * Returns: (transfer none) (nullable): where a damaged database was moved
 *   when this history was opened, or %NULL if it was fine
 */
GFile *
seedream_history_get_recovered_file (SeedreamHistory *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);

  return self->recovered_file;
}

int
seedream_history_get_schema_version (SeedreamHistory *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), 0);

  return self->schema_version;
}

guint64
seedream_history_get_rows_read (SeedreamHistory *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), 0);

  return self->rows_read;
}

/* Recovery at start */

/**
 * seedream_history_recover:
 * @self: a history
 * @error: return location for an error
 *
 * Call once at start. Rows left SENDING (the app stopped while sending)
 * become OUTCOME_UNKNOWN with advice in words; they are never resent.
 *
 * Returns: (transfer container) (element-type SeedreamHistoryEntry): what
 *   the task list shows again, oldest first: the rows just made
 *   OUTCOME_UNKNOWN, and the SUBMITTED rows, whose tasks should be followed
 *   again; or %NULL with @error set
 */
static int
compare_entry_ids (gconstpointer a,
                   gconstpointer b)
{
  gint64 id_a = seedream_history_entry_get_id (*(SeedreamHistoryEntry * const *) a);
  gint64 id_b = seedream_history_entry_get_id (*(SeedreamHistoryEntry * const *) b);

  return (id_a > id_b) - (id_a < id_b);
}

GPtrArray *
seedream_history_recover (SeedreamHistory  *self,
                          GError          **error)
{
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) submitted = NULL;
  int rc;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!seedream_history_exec_sql (self, "BEGIN IMMEDIATE", NULL, error))
    return NULL;

  {
    g_autoptr(HistoryStatement) select = NULL;
    g_autoptr(HistoryStatement) update = NULL;

    select = seedream_history_get_statement (self, "SELECT id FROM submissions WHERE state = ?1", error);
    if (select == NULL)
      goto failed;

    sqlite3_bind_int (select, 1, SEEDREAM_HISTORY_STATE_SENDING);
    while ((rc = sqlite3_step (select)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (select, 0);

        g_array_append_val (changed, id);
      }
    if (rc != SQLITE_DONE)
      {
        seedream_history_set_sqlite_error (self, rc, error);
        goto failed;
      }

    update = seedream_history_get_statement (self,
                                             "UPDATE submissions SET state = ?1, error_message = ?2 "
                                             "WHERE state = ?3",
                                             error);
    if (update == NULL)
      goto failed;

    sqlite3_bind_int (update, 1, SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN);
    sqlite3_bind_text (update, 2,
                       _("Seedream Studio stopped while this request was being sent. "
                         "It may or may not have reached the service and was not sent again: "
                         "check your task list on the TensorsLab site before trying again."),
                       -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (update, 3, SEEDREAM_HISTORY_STATE_SENDING);
    rc = sqlite3_step (update);
    if (rc != SQLITE_DONE)
      {
        seedream_history_set_sqlite_error (self, rc, error);
        goto failed;
      }
  }

  if (!seedream_history_exec_sql (self, "COMMIT", NULL, error))
    goto failed;

  for (guint i = 0; i < changed->len; i++)
    g_signal_emit (self, signals[ENTRY_CHANGED], 0, g_array_index (changed, gint64, i));

  {
    g_autoptr(HistoryStatement) stmt = NULL;

    stmt = seedream_history_get_statement (self,
                                           "SELECT " ENTRY_COLUMNS " FROM submissions "
                                           "WHERE state = ?1 ORDER BY id",
                                           error);
    if (stmt == NULL)
      return NULL;

    sqlite3_bind_int (stmt, 1, SEEDREAM_HISTORY_STATE_SUBMITTED);
    submitted = read_entries (self, stmt, error);
    if (submitted == NULL)
      return NULL;
  }

  /* The interrupted ones are shown again too, so the person learns what
   * happened to them. */
  for (guint i = 0; i < changed->len; i++)
    {
      SeedreamHistoryEntry *entry = seedream_history_lookup (self, g_array_index (changed, gint64, i), error);

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (submitted, entry);
    }
  g_ptr_array_sort (submitted, compare_entry_ids);

  return g_steal_pointer (&submitted);

failed:
  seedream_history_rollback (self);
  return NULL;
}

/* Adding a submission */

typedef struct
{
  char      *model_id;
  char      *prompt;
  char      *resolution;
  guint      batch_size;
  char      *image_url;
  GArray    *parents;  /* of SourceParent, one a source file */
} AddData;

static void
add_data_free (AddData *data)
{
  g_clear_pointer (&data->model_id, g_free);
  g_clear_pointer (&data->prompt, g_free);
  g_clear_pointer (&data->resolution, g_free);
  g_clear_pointer (&data->image_url, g_free);
  g_clear_pointer (&data->parents, g_array_unref);
  g_free (data);
}

static gboolean
parent_exists (SeedreamHistory *self,
               gint64           id)
{
  g_autoptr(HistoryStatement) stmt = NULL;

  stmt = seedream_history_get_statement (self, "SELECT 1 FROM submissions WHERE id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* On the owning thread: one transaction for the row and its sources. */
static gint64
insert_submission (SeedreamHistory  *self,
                   AddData          *data,
                   GPtrArray        *stored,
                   GError          **error)
{
  gint64 id = 0;
  int rc;

  if (!seedream_history_exec_sql (self, "BEGIN IMMEDIATE", NULL, error))
    return 0;

  {
    g_autoptr(HistoryStatement) stmt = NULL;

    stmt = seedream_history_get_statement (self,
                                           "INSERT INTO submissions (created, model, prompt, resolution, "
                                           "batch_size, image_url, state) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                           error);
    if (stmt == NULL)
      goto failed;

    sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
    seedream_history_bind_text_or_null (stmt, 2, data->model_id);
    sqlite3_bind_text (stmt, 3, data->prompt, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, data->resolution, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 5, data->batch_size);
    seedream_history_bind_text_or_null (stmt, 6, data->image_url);
    sqlite3_bind_int (stmt, 7, SEEDREAM_HISTORY_STATE_SENDING);

    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      {
        seedream_history_set_sqlite_error (self, rc, error);
        goto failed;
      }

    id = sqlite3_last_insert_rowid (self->db);
  }

  for (guint i = 0; i < stored->len; i++)
    {
      g_autoptr(HistoryStatement) stmt = NULL;

      stmt = seedream_history_get_statement (self,
                                             "INSERT INTO submission_sources (submission_id, position, path, "
                                             "parent_id, parent_index) "
                                             "VALUES (?1, ?2, ?3, ?4, ?5)",
                                             error);
      if (stmt == NULL)
        goto failed;

      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_text (stmt, 3, g_ptr_array_index (stored, i), -1, SQLITE_TRANSIENT);
      if (i < data->parents->len && g_array_index (data->parents, SourceParent, i).entry_id > 0)
        {
          const SourceParent *parent = &g_array_index (data->parents, SourceParent, i);

          /* The parent is gone (deleted since): no lineage, not a failure. */
          if (parent_exists (self, parent->entry_id))
            {
              sqlite3_bind_int64 (stmt, 4, parent->entry_id);
              sqlite3_bind_int64 (stmt, 5, parent->index);
            }
        }

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          seedream_history_set_sqlite_error (self, rc, error);
          goto failed;
        }
    }

  if (!seedream_history_exec_sql (self, "COMMIT", NULL, error))
    goto failed;

  return id;

failed:
  seedream_history_rollback (self);
  return 0;
}

static void
copy_sources_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SeedreamHistory *self = SEEDREAM_HISTORY (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) stored = NULL;
  GError *error = NULL;
  gint64 id;

  stored = seedream_history_copy_sources_finish (self, result, &error);
  if (stored == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Cancelled after the copies were made: the caller will not send. */
  if (g_task_return_error_if_cancelled (task))
    return;

  id = insert_submission (self, g_task_get_task_data (task), stored, &error);
  if (id == 0)
    {
      g_task_return_error (task, error);
      return;
    }

  g_signal_emit (self, signals[ENTRY_ADDED], 0, id);

  {
    GValue value = G_VALUE_INIT;

    g_value_init (&value, G_TYPE_INT64);
    g_value_set_int64 (&value, id);
    g_task_return_value (task, &value);
    g_value_unset (&value);
  }
}

/**
 * seedream_history_add_submission_async:
 * @self: a history
 * @request: what is about to be sent
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the row is written, or not
 * @user_data: data for @callback
 *
 * Copies the request's source files into sources/ (named by content, so the
 * same image is kept once) on a worker thread, then writes the row as
 * SENDING on this thread and emits #SeedreamHistory::entry-added. If a copy
 * fails, no row is written. The request is read now; changing it afterwards
 * changes nothing here.
 */
void
seedream_history_add_submission_async (SeedreamHistory     *self,
                                       SeedreamRequest     *request,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const SeedreamModel *model;
  AddData *data;
  const char *image_url;

  g_return_if_fail (SEEDREAM_IS_HISTORY (self));
  g_return_if_fail (SEEDREAM_IS_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_history_add_submission_async);

  model = seedream_request_get_model (request);
  image_url = seedream_request_get_image_url (request);
  if (image_url != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (image_url));

      if (*trimmed == '\0')
        image_url = NULL;
    }

  data = g_new0 (AddData, 1);
  data->model_id = g_strdup (model != NULL ? model->id : NULL);
  data->prompt = g_strdup (seedream_request_get_prompt (request));
  data->resolution = g_strdup (seedream_request_get_resolution (request));
  data->batch_size = seedream_request_get_batch_size (request);
  data->image_url = g_strdup (image_url);
  if (data->prompt == NULL)
    data->prompt = g_strdup ("");
  if (data->resolution == NULL)
    data->resolution = g_strdup ("");

  data->parents = g_array_new (FALSE, TRUE, sizeof (SourceParent));
  {
    GListModel *files = seedream_request_get_source_files (request);

    for (guint i = 0, n = g_list_model_get_n_items (files); i < n; i++)
      {
        g_autoptr(GFile) file = g_list_model_get_item (files, i);
        SourceParent parent = { 0, 0 };

        seedream_request_get_source_parent (request, file, &parent.entry_id, &parent.index);
        g_array_append_val (data->parents, parent);
      }
  }
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  seedream_history_copy_sources_async (self, request, cancellable,
                                       copy_sources_cb, g_steal_pointer (&task));
}

/**
 * seedream_history_add_submission_finish:
 * @self: a history
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: the new row's id, or 0 with @error set
 */
gint64
seedream_history_add_submission_finish (SeedreamHistory  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  GValue value = G_VALUE_INIT;
  gint64 id;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_history_add_submission_async, 0);

  if (!g_task_propagate_value (G_TASK (result), &value, error))
    return 0;

  id = g_value_get_int64 (&value);
  g_value_unset (&value);

  return id;
}

/* Row updates */

static gboolean
step_update (SeedreamHistory  *self,
             sqlite3_stmt     *stmt,
             gint64            id,
             GError          **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        set_not_found_error (id, error);
      else
        seedream_history_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  if (sqlite3_changes (self->db) == 0)
    {
      set_not_found_error (id, error);
      return FALSE;
    }

  g_signal_emit (self, signals[ENTRY_CHANGED], 0, id);

  return TRUE;
}

/**
 * seedream_history_set_submitted:
 * @self: a history
 * @id: a row
 * @task_id: the task id the service gave
 * @error: return location for an error
 *
 * Records that the service accepted the submission: state SUBMITTED.
 *
 * Returns: %TRUE, or %FALSE with @error set (G_IO_ERROR_NOT_FOUND for an
 *   unknown @id)
 */
gboolean
seedream_history_set_submitted (SeedreamHistory  *self,
                                gint64            id,
                                const char       *task_id,
                                GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = seedream_history_get_statement (self,
                                         "UPDATE submissions SET state = ?1, task_id = ?2 WHERE id = ?3",
                                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, SEEDREAM_HISTORY_STATE_SUBMITTED);
  sqlite3_bind_text (stmt, 2, task_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, id);

  return step_update (self, stmt, id, error);
}

/**
 * seedream_history_set_state:
 * @self: a history
 * @id: a row
 * @state: the new state
 * @error_message: (nullable): what went wrong, in words; %NULL clears it
 * @server_message: (nullable): the service's own msg; %NULL clears it
 * @error: return location for an error
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
seedream_history_set_state (SeedreamHistory       *self,
                            gint64                 id,
                            SeedreamHistoryState   state,
                            const char            *error_message,
                            const char            *server_message,
                            GError               **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail ((guint) state <= SEEDREAM_HISTORY_STATE_NO_IMAGES, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = seedream_history_get_statement (self,
                                         "UPDATE submissions SET state = ?1, error_message = ?2, "
                                         "server_message = ?3 WHERE id = ?4",
                                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, state);
  seedream_history_bind_text_or_null (stmt, 2, error_message);
  seedream_history_bind_text_or_null (stmt, 3, server_message);
  sqlite3_bind_int64 (stmt, 4, id);

  return step_update (self, stmt, id, error);
}

/**
 * seedream_history_set_result:
 * @self: a history
 * @id: a row
 * @index: the result's position in the task's URL list
 * @url: (nullable): the URL it came from
 * @local_path: (nullable): the downloaded file, or %NULL before
 * @width: pixel width, or 0
 * @height: pixel height, or 0
 * @error: return location for an error
 *
 * Adds the result, or replaces the one with the same @index.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
seedream_history_set_result (SeedreamHistory  *self,
                             gint64            id,
                             guint             index,
                             const char       *url,
                             const char       *local_path,
                             guint             width,
                             guint             height,
                             GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;
  g_autofree char *stored_path = NULL;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = seedream_history_get_statement (self,
                                         "INSERT INTO results (submission_id, idx, url, local_path, width, height) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                                         "ON CONFLICT (submission_id, idx) DO UPDATE SET "
                                         "url = excluded.url, local_path = excluded.local_path, "
                                         "width = excluded.width, height = excluded.height",
                                         error);
  if (stmt == NULL)
    return FALSE;

  stored_path = path_to_stored (self, local_path);

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, index);
  seedream_history_bind_text_or_null (stmt, 3, url);
  seedream_history_bind_text_or_null (stmt, 4, stored_path);
  sqlite3_bind_int64 (stmt, 5, width);
  sqlite3_bind_int64 (stmt, 6, height);

  return step_update (self, stmt, id, error);
}

/**
 * seedream_history_delete_result:
 * @self: a history
 * @id: a row
 * @index: which result
 * @error: return location for an error
 *
 * Deletes the result's local file, if it lies inside the data folder (a
 * file elsewhere is the person's, not ours), then forgets the result.
 *
 * Returns: %TRUE, or %FALSE with @error set (nothing is forgotten then)
 */
gboolean
seedream_history_delete_result (SeedreamHistory  *self,
                                gint64            id,
                                guint             index,
                                GError          **error)
{
  g_autofree char *local_path = NULL;
  int rc;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  {
    g_autoptr(HistoryStatement) stmt = NULL;

    stmt = seedream_history_get_statement (self,
                                           "SELECT local_path FROM results WHERE submission_id = ?1 AND idx = ?2",
                                           error);
    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_int64 (stmt, 1, id);
    sqlite3_bind_int64 (stmt, 2, index);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The image %u of submission %lld is not in the history."),
                     index + 1, (long long) id);
        return FALSE;
      }
    if (rc != SQLITE_ROW)
      {
        seedream_history_set_sqlite_error (self, rc, error);
        return FALSE;
      }

    local_path = seedream_history_path_from_stored (self, seedream_history_column_text (stmt, 0));
  }

  if (local_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (local_path);
      g_autoptr(GError) local_error = NULL;

      if (g_file_has_prefix (file, self->data_dir) &&
          !g_file_delete (file, NULL, &local_error) &&
          !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_set_error (error, G_IO_ERROR, local_error->code,
                       _("The image “%s” could not be deleted: %s"),
                       local_path, local_error->message);
          return FALSE;
        }
    }

  {
    g_autoptr(HistoryStatement) stmt = NULL;

    stmt = seedream_history_get_statement (self,
                                           "DELETE FROM results WHERE submission_id = ?1 AND idx = ?2",
                                           error);
    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_int64 (stmt, 1, id);
    sqlite3_bind_int64 (stmt, 2, index);

    return step_update (self, stmt, id, error);
  }
}

/* Reading */

/**
 * seedream_history_lookup:
 * @self: a history
 * @id: a row
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): a snapshot of the row, or %NULL with
 *   @error set (G_IO_ERROR_NOT_FOUND for an unknown @id)
 */
SeedreamHistoryEntry *
seedream_history_lookup (SeedreamHistory  *self,
                         gint64            id,
                         GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = seedream_history_get_statement (self,
                                         "SELECT " ENTRY_COLUMNS " FROM submissions WHERE id = ?1",
                                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      set_not_found_error (id, error);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return NULL;
    }

  return read_entry (self, stmt, error);
}

void
seedream_history_set_search_indexed (SeedreamHistory *self)
{
  if (self->search_indexed)
    return;

  self->search_indexed = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_INDEXED]);
}

gboolean
seedream_history_get_search_indexed (SeedreamHistory *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);

  return self->search_indexed;
}

/**
 * seedream_history_set_favourite:
 * @self: a history
 * @id: a row
 * @favourite: starred or not
 * @error: return location for an error
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
seedream_history_set_favourite (SeedreamHistory  *self,
                                gint64            id,
                                gboolean          favourite,
                                GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = seedream_history_get_statement (self, "UPDATE submissions SET favourite = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, favourite ? 1 : 0);

  return step_update (self, stmt, id, error);
}

/**
 * seedream_history_set_result_favourite:
 * @self: a history
 * @id: a row
 * @index: which of its results
 * @favourite: starred or not
 * @error: return location for an error
 *
 * Stars one image; its row is then found under Favourites too. Writing the
 * result again (seedream_history_set_result()) keeps the star.
 *
 * Returns: %TRUE, or %FALSE with @error set (G_IO_ERROR_NOT_FOUND when the
 *   row has no such result)
 */
gboolean
seedream_history_set_result_favourite (SeedreamHistory  *self,
                                       gint64            id,
                                       guint             index,
                                       gboolean          favourite,
                                       GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = seedream_history_get_statement (self,
                                         "UPDATE results SET favourite = ?3 WHERE submission_id = ?1 AND idx = ?2",
                                         error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, index);
  sqlite3_bind_int (stmt, 3, favourite ? 1 : 0);

  return step_update (self, stmt, id, error);
}

static gboolean
step_count (SeedreamHistory  *self,
            sqlite3_stmt     *stmt,
            guint            *count,
            GError          **error)
{
  int rc = sqlite3_step (stmt);
  gint64 value;

  if (rc != SQLITE_ROW)
    {
      seedream_history_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  /* Never negative, even if another program broke the kept count. */
  value = sqlite3_column_int64 (stmt, 0);
  *count = (guint) CLAMP (value, 0, (gint64) G_MAXUINT);

  return TRUE;
}

/**
 * seedream_history_count:
 * @self: a history
 * @search: (nullable): text the prompt must contain, ignoring case; %NULL
 *   or "" for every row
 * @error: return location for an error
 *
 * Without a search this reads one row (the count the schema's triggers
 * keep), whatever the size of the history; with one, every row.
 *
 * Returns: how many rows match, or 0 with @error set
 */
guint
seedream_history_count (SeedreamHistory  *self,
                        const char       *search,
                        GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;
  g_autofree char *pattern = NULL;
  guint count = 0;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (search_is_empty (search))
    {
      /* The row the triggers keep (schema version 3); should it be
       * missing, count(*), which coalesce() runs only then. */
      stmt = seedream_history_get_statement (self,
                                             "SELECT coalesce ((SELECT n FROM submission_count WHERE only_row = 1), "
                                             "(SELECT count(*) FROM submissions))",
                                             error);
      if (stmt == NULL)
        return 0;
    }
  else
    {
      const char *sql = pick_search_sql (self, search,
                                         "SELECT count(*) FROM submissions WHERE " SEARCH_CLAUSE,
                                         "SELECT count(*) FROM prompt_index WHERE prompt_index MATCH ?1",
                                         &pattern);

      stmt = seedream_history_get_statement (self, sql, error);
      if (stmt == NULL)
        return 0;

      sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
    }

  if (!step_count (self, stmt, &count, error))
    return 0;

  return count;
}

/* Reads a page with one of the two forms of its query, without and with a
 * search: ?1 is the search pattern, ?2 the limit, ?3 @where (an offset or
 * an id, as the query uses it). */
static GPtrArray *
list_page (SeedreamHistory  *self,
           const char       *search,
           const char       *sql_all,
           const char       *sql_search,
           const char       *sql_fts,
           guint             limit,
           gint64            where,
           GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;
  g_autofree char *pattern = NULL;
  const char *sql = sql_all;

  if (!search_is_empty (search))
    sql = pick_search_sql (self, search, sql_search, sql_fts, &pattern);

  stmt = seedream_history_get_statement (self, sql, error);
  if (stmt == NULL)
    return NULL;

  if (pattern != NULL)
    sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, where);

  return read_entries (self, stmt, error);
}

/**
 * seedream_history_list:
 * @self: a history
 * @search: (nullable): as for seedream_history_count()
 * @offset: how many matching rows to skip, newest first
 * @limit: the most rows to return
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type SeedreamHistoryEntry): up to
 *   @limit rows, newest first; or %NULL with @error set
 */
GPtrArray *
seedream_history_list (SeedreamHistory  *self,
                       const char       *search,
                       guint             offset,
                       guint             limit,
                       GError          **error)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return list_page (self, search,
                    "SELECT " ENTRY_COLUMNS " FROM submissions "
                    "ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                    "SELECT " ENTRY_COLUMNS " FROM submissions "
                    "WHERE " SEARCH_CLAUSE " "
                    "ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                    "SELECT " ENTRY_COLUMNS " FROM submissions "
                    "WHERE " FTS_CLAUSE " "
                    "ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                    limit, offset, error);
}

/**
 * seedream_history_list_before:
 * @self: a history
 * @search: (nullable): as for seedream_history_count()
 * @before_id: only rows older than this one
 * @limit: the most rows to return
 * @error: return location for an error
 *
 * The page that follows a page ending at @before_id: the same rows as
 * seedream_history_list() with the offset of that row + 1, found through the
 * primary key instead of stepping over every newer row, so reading page N
 * costs the same as reading page 0.
 *
 * Returns: (transfer container) (element-type SeedreamHistoryEntry): up to
 *   @limit rows, newest first; or %NULL with @error set
 */
GPtrArray *
seedream_history_list_before (SeedreamHistory  *self,
                              const char       *search,
                              gint64            before_id,
                              guint             limit,
                              GError          **error)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return list_page (self, search,
                    "SELECT " ENTRY_COLUMNS " FROM submissions "
                    "WHERE id < ?3 ORDER BY id DESC LIMIT ?2",
                    "SELECT " ENTRY_COLUMNS " FROM submissions "
                    "WHERE id < ?3 AND " SEARCH_CLAUSE " "
                    "ORDER BY id DESC LIMIT ?2",
                    "SELECT " ENTRY_COLUMNS " FROM submissions "
                    "WHERE id < ?3 AND " FTS_CLAUSE " "
                    "ORDER BY id DESC LIMIT ?2",
                    limit, before_id, error);
}

/**
 * seedream_history_position_of:
 * @self: a history
 * @id: a row
 * @search: (nullable): as for seedream_history_count()
 * @error: return location for an error
 *
 * Returns: how many rows matching @search are newer than @id, which is the
 *   row's position in seedream_history_list() if it matches @search
 */
guint
seedream_history_position_of (SeedreamHistory  *self,
                              gint64            id,
                              const char       *search,
                              GError          **error)
{
  g_autoptr(HistoryStatement) stmt = NULL;
  g_autofree char *pattern = NULL;
  guint count = 0;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (search_is_empty (search))
    {
      stmt = seedream_history_get_statement (self, "SELECT count(*) FROM submissions WHERE id > ?2", error);
      if (stmt == NULL)
        return 0;
    }
  else
    {
      const char *sql = pick_search_sql (self, search,
                                         "SELECT count(*) FROM submissions "
                                         "WHERE id > ?2 AND " SEARCH_CLAUSE,
                                         "SELECT count(*) FROM prompt_index "
                                         "WHERE prompt_index MATCH ?1 AND rowid > ?2",
                                         &pattern);

      stmt = seedream_history_get_statement (self, sql, error);
      if (stmt == NULL)
        return 0;

      sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
    }

  sqlite3_bind_int64 (stmt, 2, id);

  if (!step_count (self, stmt, &count, error))
    return 0;

  return count;
}
