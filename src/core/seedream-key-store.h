/* seedream-key-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEEDREAM_API_KEY_ENV "SEEDREAM_API_KEY"

#define SEEDREAM_TYPE_KEY_STORE (seedream_key_store_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamKeyStore, seedream_key_store, SEEDREAM, KEY_STORE, GObject)

void              seedream_key_store_claim_environment (void);

SeedreamKeyStore *seedream_key_store_new           (void);
gboolean          seedream_key_store_is_overridden (SeedreamKeyStore     *self);

void              seedream_key_store_lookup_async  (SeedreamKeyStore     *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char             *seedream_key_store_lookup_finish (SeedreamKeyStore     *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void              seedream_key_store_store_async   (SeedreamKeyStore     *self,
                                                    const char           *key,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean          seedream_key_store_store_finish  (SeedreamKeyStore     *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void              seedream_key_store_clear_async   (SeedreamKeyStore     *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean          seedream_key_store_clear_finish  (SeedreamKeyStore     *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
