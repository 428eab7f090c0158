/* mock-jpeg.h: JPEG results, as the live file host serves them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *mock_jpeg_render (guint width,
                          guint height,
                          guint image_number);

G_END_DECLS
