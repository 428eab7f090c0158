/* seedream-draft.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-request.h"

G_BEGIN_DECLS

#define SEEDREAM_DRAFT_BATCH_SIZE_MIN      1
#define SEEDREAM_DRAFT_BATCH_SIZE_MAX      15
#define SEEDREAM_DRAFT_DEFAULT_RESOLUTION  "2K"

#define SEEDREAM_TYPE_DRAFT (seedream_draft_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamDraft, seedream_draft, SEEDREAM, DRAFT, GObject)

GFile         *seedream_draft_get_default_file    (void);
SeedreamDraft *seedream_draft_new                 (GFile          *file);
GFile         *seedream_draft_get_file            (SeedreamDraft  *self);

SeedreamRequest *seedream_draft_get_request      (SeedreamDraft  *self);

gboolean       seedream_draft_load                (SeedreamDraft  *self,
                                                   GError        **error);
gboolean       seedream_draft_save                (SeedreamDraft  *self,
                                                   GError        **error);
void           seedream_draft_schedule_save       (SeedreamDraft  *self);
gboolean       seedream_draft_get_autosave        (SeedreamDraft  *self);
void           seedream_draft_set_autosave        (SeedreamDraft  *self,
                                                   gboolean        autosave);
gboolean       seedream_draft_is_save_pending     (SeedreamDraft  *self);
gboolean       seedream_draft_flush               (SeedreamDraft  *self,
                                                   GError        **error);

G_END_DECLS
