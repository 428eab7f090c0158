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
 * prompt and task-id (for the file name Save As suggests). */
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
char       *seedream_result_thumbnail_dup_suggested_name (SeedreamResultThumbnail *self);

/* Shared with the image preview. */

/* A file name for Save As: a few words of the prompt, else the task id,
 * then the 1-based image number and @file's extension (".png" if none). */
char       *seedream_result_suggest_file_name            (const char              *prompt,
                                                          const char              *task_id,
                                                          guint                    index,
                                                          GFile                   *file);
/* The copying part of Save As: @source to @destination, replacing it
 * (the file chooser has asked), as a byte-identical copy. */
void        seedream_result_save_copy_async              (GFile                   *source,
                                                          GFile                   *destination,
                                                          GCancellable            *cancellable,
                                                          GAsyncReadyCallback      callback,
                                                          gpointer                 user_data);
gboolean    seedream_result_save_copy_finish             (GAsyncResult            *result,
                                                          GError                 **error);
/* Runs the whole interaction for @widget: the file chooser, then the copy,
 * then a toast (or an alert when there is no toast overlay above @widget). */
void        seedream_result_save_as                      (GtkWidget               *widget,
                                                          GFile                   *file,
                                                          const char              *suggested_name,
                                                          GCancellable            *cancellable);
/* Puts the image (decoded at full size) and the file on the clipboard. */
void        seedream_result_copy_image                   (GtkWidget               *widget,
                                                          GFile                   *file,
                                                          GCancellable            *cancellable);
void        seedream_result_open_with                    (GtkWidget               *widget,
                                                          GFile                   *file,
                                                          GCancellable            *cancellable);
/* What a drag of @file offers: the file (GdkFileList and GFile) and the
 * image's bytes in its own format, which GTK turns into a GdkTexture. */
GdkContentProvider *seedream_result_content_provider_new (GFile                   *file);

G_END_DECLS
