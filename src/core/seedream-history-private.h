/* seedream-history-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the history files and their tests; not for the UI.
 */

#pragma once

#include <sqlite3.h>

#include "seedream-history.h"
#include "seedream-history-entry.h"

G_BEGIN_DECLS

/* The newest schema; seedream-history-database.c holds the migration steps. */
#define SEEDREAM_HISTORY_SCHEMA_VERSION 7

/* The history is split by concern over three files that share this struct:
 * seedream-history-database.c (the file: opening, migrations, damage, the
 * check), seedream-history-sources.c (the copies of source images) and
 * seedream-history.c (the object and its rows). */
struct _SeedreamHistory
{
  GObject      parent_instance;

  GFile       *data_dir;
  GFile       *sources_dir;
  GFile       *results_dir;
  GFile       *recovered_file;
  char        *db_path;
  char        *marker_path;   /* SEEDREAM_HISTORY_CHECK_MARKER_NAME */
  gboolean     opened;        /* damage seen from now on is marked, not moved */
  gboolean     marked;        /* the marker was written by this history */

  sqlite3     *db;
  GHashTable  *statements;   /* SQL text -> sqlite3_stmt */
  int          schema_version;
  guint64      rows_read;

  /* seedream-history-search.c: the prompt index is complete (no row of
   * prompt_index_todo); until then searches use LIKE. */
  gboolean      search_indexed;
  GCancellable *index_cancellable;
};

/* A statement from the cache, reset when it goes out of scope. */
typedef sqlite3_stmt HistoryStatement;

static inline void
history_statement_reset (HistoryStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HistoryStatement, history_statement_reset)

/* seedream-history-database.c */
int                   seedream_history_register_functions   (sqlite3          *db);
void                  seedream_history_set_sqlite_error     (SeedreamHistory  *self,
                                                             int               rc,
                                                             GError          **error);
void                  seedream_history_statement_finalize   (gpointer          data);
HistoryStatement     *seedream_history_get_statement        (SeedreamHistory  *self,
                                                             const char       *sql,
                                                             GError          **error);
gboolean              seedream_history_exec_sql             (SeedreamHistory  *self,
                                                             const char       *sql,
                                                             int              *rc_out,
                                                             GError          **error);
void                  seedream_history_rollback             (SeedreamHistory  *self);
void                  seedream_history_bind_text_or_null    (sqlite3_stmt     *stmt,
                                                             int               index,
                                                             const char       *text);
const char           *seedream_history_column_text          (sqlite3_stmt     *stmt,
                                                             int               column);
gboolean              seedream_history_open_database        (SeedreamHistory  *self,
                                                             gboolean          full_check,
                                                             gboolean         *damaged,
                                                             GError          **error);
void                  seedream_history_close_database       (SeedreamHistory  *self);
gboolean              seedream_history_move_database_aside  (SeedreamHistory  *self,
                                                             GError          **error);
void                  seedream_history_remove_marker        (SeedreamHistory  *self);
gboolean              seedream_history_make_folder          (GFile            *folder,
                                                             GError          **error);

/* seedream-history-sources.c */
void                  seedream_history_copy_sources_async   (SeedreamHistory     *self,
                                                             SeedreamRequest     *request,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray            *seedream_history_copy_sources_finish  (SeedreamHistory  *self,
                                                             GAsyncResult     *result,
                                                             GError          **error);
void                  seedream_history_remove_incoming_files (SeedreamHistory *self);

/* seedream-history-search.c */
void                  seedream_history_start_indexing       (SeedreamHistory  *self);
/* A worker thread's own connection to @db_path (SQLITE_OPEN_READONLY or
 * _READWRITE in @flags), interrupted when @cancellable is; and its error,
 * G_IO_ERROR_CANCELLED when that is why. */
sqlite3              *seedream_history_open_worker_connection (const char    *db_path,
                                                               int            flags,
                                                               GCancellable  *cancellable,
                                                               GError       **error);
void                  seedream_history_set_worker_error       (sqlite3       *db,
                                                               int            rc,
                                                               GCancellable  *cancellable,
                                                               GError       **error);
gboolean              seedream_history_read_search_indexed  (SeedreamHistory  *self,
                                                             GError          **error);
/* The folded search as one FTS5 phrase (quotes doubled, so nothing typed
 * is FTS syntax), or %NULL when it is too short for trigrams (< 3
 * characters) and LIKE must be used. */
char                 *seedream_history_make_fts_phrase      (const char       *search);
/* What find_async() runs on its worker; also for the benchmarks. @limit 0:
 * every match. */
GArray               *seedream_history_find_ids             (const char             *db_path,
                                                             const char             *search,
                                                             SeedreamHistoryFilter   filter,
                                                             const char             *model_id,
                                                             gboolean                indexed,
                                                             guint                   limit,
                                                             GCancellable           *cancellable,
                                                             GError                **error);
/* seedream-history.c: a stored path (relative to the data folder, or
 * absolute) as an absolute one; ::entry-removed after a commit. */
char                 *seedream_history_path_from_stored     (SeedreamHistory  *self,
                                                             const char       *stored);
char                 *seedream_history_path_from_stored_in  (const char       *data_dir,
                                                             const char       *stored);
void                  seedream_history_emit_removed         (SeedreamHistory  *self,
                                                             gint64            id);
/* seedream-history.c: the index is complete; notifies :search-indexed. */
void                  seedream_history_set_search_indexed   (SeedreamHistory  *self);
/* "s.state IN (…)" for SEEDREAM_HISTORY_FILTER_FAILED. */
const char           *seedream_history_failed_states_sql    (void);

/* Prompts are compared folded: normalized (NFKC) then case-folded, so that
 * "É", "é" and "é" all match each other. */
char                 *seedream_history_fold_text            (const char   *text);
gboolean              seedream_history_prompt_matches       (const char   *prompt,
                                                             const char   *search);

/* How many submission rows SeedreamHistory has read from SQLite since it was
 * opened (lookups, pages, recovery): tests use it to prove the model reads
 * pages, not the whole table. */
guint64               seedream_history_get_rows_read        (SeedreamHistory *self);

/* Rows matching @search older than @before_id, newest first: the page after
 * a page that ends at @before_id, read through the primary key (no OFFSET). */
GPtrArray            *seedream_history_list_before          (SeedreamHistory *self,
                                                             const char      *search,
                                                             gint64           before_id,
                                                             guint            limit,
                                                             GError         **error);

/* Takes @source_paths, @results (element-type SeedreamHistoryResult). */
SeedreamHistoryEntry *seedream_history_entry_new_take       (gint64                id,
                                                             gint64                created_usec,
                                                             const char           *model_id,
                                                             const char           *prompt,
                                                             const char           *resolution,
                                                             guint                 batch_size,
                                                             const char           *image_url,
                                                             char                **source_paths,
                                                             SeedreamHistoryState  state,
                                                             const char           *task_id,
                                                             const char           *error_message,
                                                             const char           *server_message,
                                                             GPtrArray            *results);
const char           *seedream_history_entry_get_model_id   (SeedreamHistoryEntry *self);
void                  seedream_history_entry_set_favourite_internal (SeedreamHistoryEntry *self,
                                                                     gboolean              favourite);
void                  seedream_history_result_set_favourite_internal (SeedreamHistoryResult *self,
                                                                      gboolean               favourite);
void                  seedream_history_entry_set_lineage_internal (SeedreamHistoryEntry *self,
                                                                   const char           *parent_prompt,
                                                                   guint                 n_children);
/* seedream-history-lineage.c: fills in the entry's parent prompt and
 * number of children, as read_entry() makes it. */
gboolean              seedream_history_read_lineage         (SeedreamHistory      *self,
                                                             SeedreamHistoryEntry *entry,
                                                             GError              **error);

/* seedream-history-delete.c */
void                  seedream_history_delete_file_inside   (const char       *data_dir,
                                                             const char       *stored,
                                                             GFile            *folder);

/* seedream-history-metadata.c, tests only: @hook runs on the worker with
 * an image's path just before that image is written. */
typedef void (*SeedreamHistoryStampHook) (const char *path,
                                          gpointer    user_data);

void seedream_history_set_stamp_hook (SeedreamHistoryStampHook hook,
                                      gpointer                 user_data);

G_END_DECLS
