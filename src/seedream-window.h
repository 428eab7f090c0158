/* seedream-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-compare-selection.h"

#include "seedream-application.h"
#include "seedream-session.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_WINDOW (seedream_window_get_type ())

/* Adds the image whose URI is the parameter to the form's sources: result
 * tiles and the large preview activate it. */
#define SEEDREAM_WINDOW_USE_AS_SOURCE_ACTION "win.use-as-source"
/* (x): a history row id; shows its chain of images. */
#define SEEDREAM_WINDOW_SHOW_CHAIN_ACTION "win.show-chain"
/* (s): an image's URI; picks it for comparison, or unpicks it. */
#define SEEDREAM_WINDOW_COMPARE_TOGGLE_ACTION "win.compare-toggle"
/* (s): a result's URI; compares it with its source on the slider. */
#define SEEDREAM_WINDOW_COMPARE_WITH_SOURCE_ACTION "win.compare-with-source"

G_DECLARE_FINAL_TYPE (SeedreamWindow, seedream_window, SEEDREAM, WINDOW, AdwApplicationWindow)

SeedreamWindow  *seedream_window_new              (SeedreamApplication  *application);
SeedreamWindow  *seedream_window_new_for_session  (SeedreamApplication  *application,
                                                   SeedreamSession      *session);
SeedreamSession *seedream_window_get_session      (SeedreamWindow       *self);
void            seedream_window_add_source_files (SeedreamWindow       *self,
                                                  GFile               **files,
                                                  guint                 n_files);
void            seedream_window_set_draft_file   (SeedreamWindow       *self,
                                                  GFile                *file);

SeedreamCompareSelection *seedream_window_get_compare_selection (SeedreamWindow *self);

G_END_DECLS
