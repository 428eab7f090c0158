/* seedream-test-util.h: helpers every test may share (temporary trees,
 * waiting on the main context).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*SeedreamTestCondition) (gpointer data);

/* Removes @path: a file or symlink is unlinked, a folder (made writable
 * first) is emptied recursively and removed. Errors are ignored. */
void       seedream_test_remove_tree (const char            *path);

/* Runs the default main context until @done returns TRUE or
 * @timeout_seconds have passed (a hang guard, not a measurement); returns
 * what @done said last. */
gboolean   seedream_test_wait_until  (SeedreamTestCondition  done,
                                      gpointer               data,
                                      guint                  timeout_seconds);

G_END_DECLS
