/* seedream-result-thumbnail.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_RESULT_THUMBNAIL (seedream_result_thumbnail_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamResultThumbnail, seedream_result_thumbnail, SEEDREAM, RESULT_THUMBNAIL, AdwBin)

/* One result image on a task row. Actions (usable from menus and
 * shortcuts inside it): result.open, result.save-as, result.copy,
 * result.open-with, result.use-as-source (activates win.use-as-source
 * with the file's URI), result.delete, result.show-menu.
 *
 * Signals:
 *   ::delete-requested ()  forget the result and delete its file
 *
 * Properties: file (construct-only), index (0-based), count, width,
 * height (the image's pixels; filled in from the file when left 0),
 * prompt and task-id (for the file name Save As suggests), favourite (the
 * image's star, shown once set_history_id () gave its row; a click sends
 * win.set-result-favourite, and the owner sets :favourite from what the
 * history then holds). */
GtkWidget  *seedream_result_thumbnail_new                (GFile                   *file,
                                                          guint                    index,
                                                          guint                    count);
GFile      *seedream_result_thumbnail_get_file           (SeedreamResultThumbnail *self);
guint       seedream_result_thumbnail_get_index          (SeedreamResultThumbnail *self);
guint       seedream_result_thumbnail_get_count          (SeedreamResultThumbnail *self);
void        seedream_result_thumbnail_set_count          (SeedreamResultThumbnail *self,
                                                          guint                    count);
guint       seedream_result_thumbnail_get_width          (SeedreamResultThumbnail *self);
guint       seedream_result_thumbnail_get_height         (SeedreamResultThumbnail *self);
void        seedream_result_thumbnail_set_size           (SeedreamResultThumbnail *self,
                                                          guint                    width,
                                                          guint                    height);
const char *seedream_result_thumbnail_get_prompt         (SeedreamResultThumbnail *self);
void        seedream_result_thumbnail_set_prompt         (SeedreamResultThumbnail *self,
                                                          const char              *prompt);
const char *seedream_result_thumbnail_get_task_id        (SeedreamResultThumbnail *self);
void        seedream_result_thumbnail_set_task_id        (SeedreamResultThumbnail *self,
                                                          const char              *task_id);
void        seedream_result_thumbnail_set_history_id     (SeedreamResultThumbnail *self,
                                                          gint64                   history_id);
gboolean    seedream_result_thumbnail_get_favourite      (SeedreamResultThumbnail *self);
void        seedream_result_thumbnail_set_favourite      (SeedreamResultThumbnail *self,
                                                          gboolean                 favourite);
char       *seedream_result_thumbnail_dup_suggested_name (SeedreamResultThumbnail *self);

G_END_DECLS
