/* seedream-draft.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEEDREAM_DRAFT_BATCH_SIZE_MIN      1
#define SEEDREAM_DRAFT_BATCH_SIZE_MAX      15
#define SEEDREAM_DRAFT_DEFAULT_RESOLUTION  "2K"

#define SEEDREAM_TYPE_DRAFT (seedream_draft_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamDraft, seedream_draft, SEEDREAM, DRAFT, GObject)

GFile         *seedream_draft_get_default_file    (void);
SeedreamDraft *seedream_draft_new                 (GFile          *file);
GFile         *seedream_draft_get_file            (SeedreamDraft  *self);

const char    *seedream_draft_get_prompt          (SeedreamDraft  *self);
void           seedream_draft_set_prompt          (SeedreamDraft  *self,
                                                   const char     *prompt);
const char    *seedream_draft_get_resolution      (SeedreamDraft  *self);
void           seedream_draft_set_resolution      (SeedreamDraft  *self,
                                                   const char     *resolution);
guint          seedream_draft_get_batch_size      (SeedreamDraft  *self);
void           seedream_draft_set_batch_size      (SeedreamDraft  *self,
                                                   guint           batch_size);
const char    *seedream_draft_get_image_url       (SeedreamDraft  *self);
void           seedream_draft_set_image_url       (SeedreamDraft  *self,
                                                   const char     *image_url);

GListModel    *seedream_draft_get_source_files    (SeedreamDraft  *self);
gboolean       seedream_draft_add_source_file     (SeedreamDraft  *self,
                                                   GFile          *file);
gboolean       seedream_draft_remove_source_file  (SeedreamDraft  *self,
                                                   GFile          *file);
void           seedream_draft_clear_source_files  (SeedreamDraft  *self);

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
