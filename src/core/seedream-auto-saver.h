/* seedream-auto-saver.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-submission-result.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_AUTO_SAVER (seedream_auto_saver_get_type ())

/* Copies each result, as it arrives, into the folder of the
 * "output-folder" setting while "save-finished-images" is on.
 *
 * Signals:
 *   ::failed (const char *message)
 *       the folder vanished or cannot be written: said once until the
 *       setting changes or a copy succeeds; the images stay in the app's
 *       data. The message says what to do, in words. */
G_DECLARE_FINAL_TYPE (SeedreamAutoSaver, seedream_auto_saver, SEEDREAM, AUTO_SAVER, GObject)

SeedreamAutoSaver *seedream_auto_saver_new         (GListModel               *submissions,
                                                    GSettings                *settings);
GFile             *seedream_auto_saver_dup_folder  (SeedreamAutoSaver        *self);
void               seedream_auto_saver_save_result (SeedreamAutoSaver        *self,
                                                    const char               *prompt,
                                                    SeedreamSubmissionResult *result);

G_END_DECLS
