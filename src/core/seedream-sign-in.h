/* seedream-sign-in.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEEDREAM_DEFAULT_SIGN_IN_URL "https://tensorai.tensorslab.com/auth"
#define SEEDREAM_SIGN_IN_URL_ENV     "SEEDREAM_SIGNIN_URL"

/* How long the loopback port stays open for the browser by default. */
#define SEEDREAM_SIGN_IN_DEFAULT_TIMEOUT_MS (10 * 60 * 1000)
/* The largest callback body read, and the longest key taken. */
#define SEEDREAM_SIGN_IN_MAX_BODY_BYTES     (16 * 1024)
#define SEEDREAM_SIGN_IN_MAX_KEY_BYTES      512

/**
 * SeedreamSignInState:
 * @SEEDREAM_SIGN_IN_STATE_IDLE: not started
 * @SEEDREAM_SIGN_IN_STATE_WAITING: the port is open, the browser is awaited
 * @SEEDREAM_SIGN_IN_STATE_SIGNED_IN: a key came back; the port is closing
 * @SEEDREAM_SIGN_IN_STATE_CANCELLED: cancelled; the port is closed
 * @SEEDREAM_SIGN_IN_STATE_FAILED: timed out or could not listen; the port is closed
 */
typedef enum
{
  SEEDREAM_SIGN_IN_STATE_IDLE,
  SEEDREAM_SIGN_IN_STATE_WAITING,
  SEEDREAM_SIGN_IN_STATE_SIGNED_IN,
  SEEDREAM_SIGN_IN_STATE_CANCELLED,
  SEEDREAM_SIGN_IN_STATE_FAILED,
} SeedreamSignInState;

#define SEEDREAM_TYPE_SIGN_IN (seedream_sign_in_get_type ())

/* One browser sign-in: a listener on 127.0.0.1 (a port the system picks)
 * whose only open path is /callback/<a random single-use secret>, the link
 * to the sign-in page that names it, and the key the page posts back.
 * Widget-free: opening the link is the caller's job.
 *
 * Properties: page-url, key-name (construct-only), timeout-ms, state, uri.
 */
G_DECLARE_FINAL_TYPE (SeedreamSignIn, seedream_sign_in, SEEDREAM, SIGN_IN, GObject)

SeedreamSignIn      *seedream_sign_in_new            (const char          *page_url,
                                                      const char          *key_name);
char                *seedream_sign_in_dup_page_url   (GSettings           *settings);
char                *seedream_sign_in_dup_key_name   (void);

gboolean             seedream_sign_in_start          (SeedreamSignIn      *self,
                                                      GError             **error);
void                 seedream_sign_in_cancel         (SeedreamSignIn      *self);

SeedreamSignInState  seedream_sign_in_get_state      (SeedreamSignIn      *self);
const char          *seedream_sign_in_get_uri        (SeedreamSignIn      *self);
guint16              seedream_sign_in_get_port       (SeedreamSignIn      *self);
guint                seedream_sign_in_get_timeout_ms (SeedreamSignIn      *self);
void                 seedream_sign_in_set_timeout_ms (SeedreamSignIn      *self,
                                                      guint                timeout_ms);

void                 seedream_sign_in_wait_async     (SeedreamSignIn      *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
char                *seedream_sign_in_wait_finish    (SeedreamSignIn      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

void                 seedream_sign_in_wipe_key       (char                *key);

G_END_DECLS
