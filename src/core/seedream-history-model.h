/* seedream-history-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-history.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_HISTORY_MODEL (seedream_history_model_get_type ())

/* A GListModel of SeedreamHistoryEntry, newest first, that reads rows from
 * SQLite a page at a time as they are asked for, so 10,000 rows open as fast
 * as 100. It follows the history's ::entry-added and ::entry-changed. */
G_DECLARE_FINAL_TYPE (SeedreamHistoryModel, seedream_history_model, SEEDREAM, HISTORY_MODEL, GObject)

SeedreamHistoryModel *seedream_history_model_new        (SeedreamHistory      *history);
SeedreamHistory      *seedream_history_model_get_history (SeedreamHistoryModel *self);
const char           *seedream_history_model_get_search (SeedreamHistoryModel *self);
void                  seedream_history_model_set_search (SeedreamHistoryModel *self,
                                                         const char           *search);
void                  seedream_history_model_set_filter (SeedreamHistoryModel  *self,
                                                         SeedreamHistoryFilter  filter,
                                                         const char            *model_id);
/* Rows left out while still in the history (a delete that may be undone). */
void                  seedream_history_model_set_hidden (SeedreamHistoryModel *self,
                                                         const gint64         *ids,
                                                         guint                 n_ids,
                                                         gboolean              hidden);
/* Whether a search or filter is being run; notified when it is done. */
gboolean              seedream_history_model_get_finding (SeedreamHistoryModel *self);

G_END_DECLS
