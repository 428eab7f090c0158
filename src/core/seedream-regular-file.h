/* seedream-regular-file.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean seedream_regular_file_read  (const char  *path,
                                      gsize        max_size,
                                      char       **contents,
                                      gsize       *length,
                                      GError     **error);
gboolean seedream_regular_file_check (const char  *path,
                                      GError     **error);

G_END_DECLS
