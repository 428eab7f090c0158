/* seedream-history-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-history-model.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_HISTORY_VIEW (seedream_history_view_get_type ())

/* Every past submission, newest first, with a search over prompts. Rows
 * are made only for what is on screen (GtkListView over the lazy
 * SeedreamHistoryModel).
 *
 * Signals:
 *   ::reuse (SeedreamHistoryEntry *entry)  fill the compose form from it
 *
 * Property: history-model (nullable). */
G_DECLARE_FINAL_TYPE (SeedreamHistoryView, seedream_history_view, SEEDREAM, HISTORY_VIEW, AdwBin)

/* @settings (nullable): where the filters are kept */
GtkWidget            *seedream_history_view_new               (SeedreamHistoryModel *model,
                                                               GSettings            *settings);
SeedreamHistoryModel *seedream_history_view_get_history_model (SeedreamHistoryView  *self);
void                  seedream_history_view_set_history_model (SeedreamHistoryView  *self,
                                                               SeedreamHistoryModel *model);
/* Puts the keyboard focus in the search entry (for Ctrl+F). */
void                  seedream_history_view_focus_search      (SeedreamHistoryView  *self);

G_END_DECLS
