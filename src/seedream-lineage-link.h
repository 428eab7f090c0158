/* seedream-lineage-link.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_LINEAGE_LINK (seedream_lineage_link_get_type ())

/* "From: <the parent's prompt>", a link that opens the parent's chain
 * (win.show-chain); hidden while there is no parent. */
G_DECLARE_FINAL_TYPE (SeedreamLineageLink, seedream_lineage_link, SEEDREAM, LINEAGE_LINK, GtkButton)

GtkWidget *seedream_lineage_link_new        (void);
void       seedream_lineage_link_set_parent (SeedreamLineageLink *self,
                                             gint64               parent_id,
                                             const char          *parent_prompt);

G_END_DECLS
