/* seedream-history-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-history-entry.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_HISTORY_ROW (seedream_history_row_get_type ())

/* One past submission in the history view: prompt, date, settings, state
 * in words, small thumbnails of its local results (each a button that
 * picks it for comparison: SeedreamComparePick), its task id with a copy
 * button, and Reuse (signal ::reuse, no arguments; the entry is the
 * row's). Property: entry (nullable; rows are recycled by the list). */
G_DECLARE_FINAL_TYPE (SeedreamHistoryRow, seedream_history_row, SEEDREAM, HISTORY_ROW, AdwBin)

GtkWidget            *seedream_history_row_new         (void);
SeedreamHistoryEntry *seedream_history_row_get_entry   (SeedreamHistoryRow *self);
void                  seedream_history_row_set_entry   (SeedreamHistoryRow   *self,
                                                        SeedreamHistoryEntry *entry);

/* "Today 14:02", "Yesterday 09:15", "Monday 18:40" (this week),
 * "3 Mar 14:02" (this year), "3 Mar 2024": @created as seen at @now,
 * both in local time. */
char                 *seedream_history_row_format_date (GDateTime          *created,
                                                        GDateTime          *now);

G_END_DECLS
