/* seedream-thread-priority.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void seedream_thread_lower_priority (const char *what);

G_END_DECLS
