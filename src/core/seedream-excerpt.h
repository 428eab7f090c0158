/* seedream-excerpt.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *seedream_excerpt (const char *text,
                        gsize       max_chars);

G_END_DECLS
