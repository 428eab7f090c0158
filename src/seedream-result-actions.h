/* seedream-result-actions.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

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
