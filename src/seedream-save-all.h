/* seedream-save-all.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The copying part of Save All: every result of @results (of
 * SeedreamSubmissionResult) that has a file goes into @dir, named as the
 * automatic copies are. Returns how many were saved. */
void   seedream_save_all_to_folder_async  (GListModel           *results,
                                           const char           *prompt,
                                           GFile                *dir,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
guint  seedream_save_all_to_folder_finish (GAsyncResult         *result,
                                           GError              **error);
/* The whole interaction for @widget: the folder chooser, the copies, then
 * a toast saying what happened. */
void   seedream_save_all                  (GtkWidget            *widget,
                                           GListModel           *results,
                                           const char           *prompt);

G_END_DECLS
