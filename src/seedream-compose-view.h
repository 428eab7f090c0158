/* seedream-compose-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-draft.h"
#include "seedream-request.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_COMPOSE_VIEW (seedream_compose_view_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamComposeView, seedream_compose_view, SEEDREAM, COMPOSE_VIEW, AdwBin)

void             seedream_compose_view_set_draft          (SeedreamComposeView *self,
                                                           SeedreamDraft       *draft);
SeedreamDraft   *seedream_compose_view_get_draft          (SeedreamComposeView *self);
gboolean         seedream_compose_view_get_can_generate   (SeedreamComposeView *self);
const char      *seedream_compose_view_get_blocked_reason (SeedreamComposeView *self);
SeedreamRequest *seedream_compose_view_build_request      (SeedreamComposeView *self);
void             seedream_compose_view_add_files          (SeedreamComposeView *self,
                                                           GFile              **files,
                                                           guint                n_files);
void             seedream_compose_view_add_result         (SeedreamComposeView *self,
                                                           GFile               *file,
                                                           gint64               entry_id,
                                                           guint                index);
void             seedream_compose_view_focus_prompt       (SeedreamComposeView *self);
void             seedream_compose_view_clear              (SeedreamComposeView *self);
void             seedream_compose_view_load_request       (SeedreamComposeView *self,
                                                           SeedreamRequest     *request);

G_END_DECLS
