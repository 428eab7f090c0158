/* seedream-output-folder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Copies of results into a folder a person chose, named for people
 * (seedream-output-name.c) and never overwriting. */

GFile *seedream_output_folder_save        (GFile                *dir,
                                           GFile                *source,
                                           const char           *prompt,
                                           guint                 number,
                                           GCancellable         *cancellable,
                                           GError              **error);
void   seedream_output_folder_save_async  (GFile                *dir,
                                           GFile                *source,
                                           const char           *prompt,
                                           guint                 number,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GFile *seedream_output_folder_save_finish (GAsyncResult         *result,
                                           GError              **error);
char  *seedream_output_folder_describe_error (GFile        *dir,
                                              const GError *error);

G_END_DECLS
