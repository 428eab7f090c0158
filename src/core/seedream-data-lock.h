/* seedream-data-lock.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The name of the lock file in the data folder. */
#define SEEDREAM_DATA_LOCK_NAME "seedream-studio.lock"

typedef struct _SeedreamDataLock SeedreamDataLock;

SeedreamDataLock *seedream_data_lock_acquire (GFile             *data_dir,
                                              GError           **error);
void              seedream_data_lock_release (SeedreamDataLock  *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SeedreamDataLock, seedream_data_lock_release)

G_END_DECLS
