/* seedream-history-chain.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-history.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_HISTORY_CHAIN (seedream_history_chain_get_type ())

/* The chain of one submission, as a GListModel of SeedreamHistoryEntry:
 * its ancestors (the oldest first), the submission itself (at
 * get_focus()), then the submissions made from its images (oldest first).
 * A snapshot: read once, when made. */
G_DECLARE_FINAL_TYPE (SeedreamHistoryChain, seedream_history_chain, SEEDREAM, HISTORY_CHAIN, GObject)

SeedreamHistoryChain *seedream_history_chain_new         (SeedreamHistory      *history,
                                                          gint64                id,
                                                          GError              **error);
guint                 seedream_history_chain_get_focus   (SeedreamHistoryChain *self);
SeedreamHistoryEntry *seedream_history_chain_get_entry   (SeedreamHistoryChain *self);
guint                 seedream_history_chain_get_n_ancestors (SeedreamHistoryChain *self);

G_END_DECLS
