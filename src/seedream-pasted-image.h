/* seedream-pasted-image.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void   seedream_pasted_image_save_async  (GdkTexture          *texture,
                                          GFile               *directory,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GFile *seedream_pasted_image_save_finish (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
