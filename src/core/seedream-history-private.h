/* seedream-history-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the history files and their tests; not for the UI.
 */

#pragma once

#include "seedream-history.h"
#include "seedream-history-entry.h"

G_BEGIN_DECLS

/* The newest schema; seedream-history.c holds the migration steps. */
#define SEEDREAM_HISTORY_SCHEMA_VERSION 3

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

G_END_DECLS
