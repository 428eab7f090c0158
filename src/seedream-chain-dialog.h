/* seedream-chain-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-history-chain.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_CHAIN_DIALOG (seedream_chain_dialog_get_type ())

/* A submission's chain: where it came from (its ancestors, the oldest
 * first), itself, and what was made from its images, each as a history
 * row. Signals: ::reuse (SeedreamHistoryEntry *) when a row's Reuse is
 * pressed (the dialog closes). */
G_DECLARE_FINAL_TYPE (SeedreamChainDialog, seedream_chain_dialog, SEEDREAM, CHAIN_DIALOG, AdwDialog)

SeedreamChainDialog  *seedream_chain_dialog_new       (SeedreamHistoryChain *chain);
SeedreamHistoryChain *seedream_chain_dialog_get_chain (SeedreamChainDialog  *self);
GtkListBox           *seedream_chain_dialog_get_list  (SeedreamChainDialog  *self);

G_END_DECLS
