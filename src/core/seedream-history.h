/* seedream-history.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-history-entry.h"
#include "seedream-request.h"

G_BEGIN_DECLS

#define SEEDREAM_HISTORY_DATABASE_NAME "history.db"
/* Beside the database: its presence means damage was seen while the app ran
 * (see seedream_history_check_async()); the next opening checks the whole
 * file and moves it aside if it is damaged. */
#define SEEDREAM_HISTORY_CHECK_MARKER_NAME SEEDREAM_HISTORY_DATABASE_NAME ".needs-check"

#define SEEDREAM_TYPE_HISTORY (seedream_history_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamHistory, seedream_history, SEEDREAM, HISTORY, GObject)

/* Signals (emitted on the thread that owns the history, after the write is
 * committed):
 *   ::entry-added   (gint64 id)  a row was written by add_submission
 *   ::entry-changed (gint64 id)  a row's state, task id or results changed
 */

/* Opening: @data_dir holds history.db, sources/ (copies of source images)
 * and results/ (downloaded images, one folder per task). A database that
 * cannot be read, or that was marked as damaged while the app last ran and
 * fails its check, is moved aside and a new one is made;
 * get_recovered_file() then names where the old one went, so the app can
 * say so once. Opening does not read the whole file: see check_async(). */
SeedreamHistory      *seedream_history_new                   (GFile                *data_dir,
                                                              GError              **error);
GFile                *seedream_history_get_data_dir          (SeedreamHistory      *self);
GFile                *seedream_history_get_results_dir       (SeedreamHistory      *self);
GFile                *seedream_history_get_recovered_file    (SeedreamHistory      *self);
int                   seedream_history_get_schema_version    (SeedreamHistory      *self);

/* Checks the whole database (PRAGMA quick_check) on a worker thread, on a
 * read-only connection of its own, without blocking this thread. Damage is
 * recorded in SEEDREAM_HISTORY_CHECK_MARKER_NAME; the file itself is left
 * where it is until the next opening. Finish returns FALSE with @error set
 * when the check could not run (G_IO_ERROR_CANCELLED when cancelled);
 * otherwise TRUE, with *@problem set to what is wrong, in words, or to NULL
 * when the file is healthy. */
void                  seedream_history_check_async           (SeedreamHistory      *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean              seedream_history_check_finish          (SeedreamHistory      *self,
                                                              GAsyncResult         *result,
                                                              char                **problem,
                                                              GError              **error);

/* Gives the downloaded images of rows from before the metadata was
 * written into every result the metadata that new ones get (prompt, the
 * mark of an image made by a model, model, size, number, task id, date),
 * on a worker, newest rows first; an image that has the mark already is
 * left as it is. What is left when cancelled is done at the next call.
 * Finish says how many images were given it. */
void                  seedream_history_stamp_older_results_async  (SeedreamHistory      *self,
                                                                   GCancellable         *cancellable,
                                                                   GAsyncReadyCallback   callback,
                                                                   gpointer              user_data);
gboolean              seedream_history_stamp_older_results_finish (SeedreamHistory      *self,
                                                                   GAsyncResult         *result,
                                                                   guint                *n_stamped,
                                                                   GError              **error);

/* Called once at start: rows left SENDING become OUTCOME_UNKNOWN (never
 * resent). Returns (element-type SeedreamHistoryEntry) what the task list
 * shows again, oldest first: the rows just made OUTCOME_UNKNOWN, and the
 * SUBMITTED rows, whose tasks should be followed again. */
GPtrArray            *seedream_history_recover               (SeedreamHistory      *self,
                                                              GError              **error);

/* Copies the request's source files into sources/ on a worker thread, then
 * writes the row as SENDING. Finish returns the new row's id, or 0. */
void                  seedream_history_add_submission_async  (SeedreamHistory      *self,
                                                              SeedreamRequest      *request,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gint64                seedream_history_add_submission_finish (SeedreamHistory      *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Row updates; each is one small transaction on the calling thread and
 * emits ::entry-changed. */
gboolean              seedream_history_set_submitted         (SeedreamHistory      *self,
                                                              gint64                id,
                                                              const char           *task_id,
                                                              GError              **error);
gboolean              seedream_history_set_state             (SeedreamHistory      *self,
                                                              gint64                id,
                                                              SeedreamHistoryState  state,
                                                              const char           *error_message,
                                                              const char           *server_message,
                                                              GError              **error);
gboolean              seedream_history_set_result            (SeedreamHistory      *self,
                                                              gint64                id,
                                                              guint                 index,
                                                              const char           *url,
                                                              const char           *local_path,
                                                              guint                 width,
                                                              guint                 height,
                                                              GError              **error);
/* Forgets one result and deletes its local file. */
gboolean              seedream_history_delete_result         (SeedreamHistory      *self,
                                                              gint64                id,
                                                              guint                 index,
                                                              GError              **error);

SeedreamHistoryEntry *seedream_history_lookup                (SeedreamHistory      *self,
                                                              gint64                id,
                                                              GError              **error);
/* Newest first. @search (nullable) matches prompts containing it, ignoring
 * case; % and _ in it are literal. */
guint                 seedream_history_count                 (SeedreamHistory      *self,
                                                              const char           *search,
                                                              GError              **error);
GPtrArray            *seedream_history_list                  (SeedreamHistory      *self,
                                                              const char           *search,
                                                              guint                 offset,
                                                              guint                 limit,
                                                              GError              **error);
/* Deletes the rows with their downloaded images and the source copies no
 * other row uses; emits ::entry-removed for each. */
gboolean              seedream_history_delete_submissions    (SeedreamHistory      *self,
                                                              const gint64         *ids,
                                                              guint                 n_ids,
                                                              GError              **error);
/* Starred or not; emits ::entry-changed. */
gboolean              seedream_history_set_favourite         (SeedreamHistory      *self,
                                                              gint64                id,
                                                              gboolean              favourite,
                                                              GError              **error);
/* One image of the row starred or not; emits ::entry-changed. */
gboolean              seedream_history_set_result_favourite  (SeedreamHistory      *self,
                                                              gint64                id,
                                                              guint                 index,
                                                              gboolean              favourite,
                                                              GError              **error);

/* Whether the prompt index is complete (a migrated database is indexed on
 * a worker after opening; searches use LIKE until then). Notified. */
gboolean              seedream_history_get_search_indexed    (SeedreamHistory      *self);

/* The ids of the rows matching @search (folded substring), @filter and
 * @model_id (nullable: any), newest first, found on a worker thread with a
 * connection of its own; @limit > 0: only the newest @limit of them (the
 * index stops there, so the first page comes before the whole list). */
void                  seedream_history_find_async            (SeedreamHistory       *self,
                                                              const char            *search,
                                                              SeedreamHistoryFilter  filter,
                                                              const char            *model_id,
                                                              guint                  limit,
                                                              GCancellable          *cancellable,
                                                              GAsyncReadyCallback    callback,
                                                              gpointer               user_data);
GArray               *seedream_history_find_finish           (SeedreamHistory       *self,
                                                              GAsyncResult          *result,
                                                              GError               **error);

/* Lineage (seedream-history-lineage.c): which row and result @file is (a
 * downloaded result), the rows made from @id's results (oldest first), and
 * the rows @entry came from (oldest first, its parent last). */
gboolean              seedream_history_find_result           (SeedreamHistory      *self,
                                                              GFile                *file,
                                                              gint64               *entry_id,
                                                              guint                *index,
                                                              GError              **error);
GPtrArray            *seedream_history_list_children         (SeedreamHistory      *self,
                                                              gint64                id,
                                                              GError              **error);
GPtrArray            *seedream_history_list_ancestors        (SeedreamHistory      *self,
                                                              SeedreamHistoryEntry *entry,
                                                              GError              **error);

/* How many rows matching @search are newer than @id: the row's position. */
guint                 seedream_history_position_of           (SeedreamHistory      *self,
                                                              gint64                id,
                                                              const char           *search,
                                                              GError              **error);

G_END_DECLS
