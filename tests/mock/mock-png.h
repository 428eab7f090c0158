/* mock-png.h: the images the mock server's file host returns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *mock_png_render (guint    width,
                         guint    height,
                         guint    image_number,
                         GError **error);

G_END_DECLS
