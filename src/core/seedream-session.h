/* seedream-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-history.h"
#include "seedream-history-model.h"
#include "seedream-history-chain.h"
#include "seedream-compare-item.h"
#include "seedream-request.h"
#include "seedream-submission.h"

G_BEGIN_DECLS

/**
 * SeedreamSessionKeyState:
 * @SEEDREAM_SESSION_KEY_STATE_LOOKING_UP: the key is being read from the keyring
 * @SEEDREAM_SESSION_KEY_STATE_MISSING: there is no key: the person is asked for one
 * @SEEDREAM_SESSION_KEY_STATE_READY: requests can be sent
 */
typedef enum
{
  SEEDREAM_SESSION_KEY_STATE_LOOKING_UP,
  SEEDREAM_SESSION_KEY_STATE_MISSING,
  SEEDREAM_SESSION_KEY_STATE_READY,
} SeedreamSessionKeyState;

/* A few seconds after start-up, the whole history file is read once on a
 * worker thread; damage found there is set right at the next start. */
#define SEEDREAM_SESSION_HISTORY_CHECK_DELAY_SECONDS 5

#define SEEDREAM_TYPE_SESSION (seedream_session_get_type ())

/* What one person is doing with the service: the key, the client made
 * from it and the API address, the history, and the live submissions.
 * A window shows a session; it never calls the client or the history.
 *
 * Properties: data-dir, settings (construct-only), key-state, submissions.
 *
 * Signals:
 *   ::message    (const char *text, gboolean lasting)
 *       something the person should read (a toast); @lasting when it
 *       stays until dismissed
 *   ::task-ended (SeedreamSubmission *submission, gboolean succeeded,
 *                 const char *message)
 *       a followed task finished (its images are here) or failed
 */
G_DECLARE_FINAL_TYPE (SeedreamSession, seedream_session, SEEDREAM, SESSION, GObject)

SeedreamSession         *seedream_session_new               (GFile             *data_dir,
                                                             GSettings         *settings);
GFile                   *seedream_session_get_default_data_dir (void);
GFile                   *seedream_session_get_data_dir      (SeedreamSession   *self);
GSettings               *seedream_session_get_settings      (SeedreamSession   *self);

void                     seedream_session_start             (SeedreamSession   *self);

SeedreamSessionKeyState  seedream_session_get_key_state     (SeedreamSession   *self);
void                     seedream_session_reload_key        (SeedreamSession   *self);
void                     seedream_session_store_key_async   (SeedreamSession   *self,
                                                             const char        *key,
                                                             GCancellable      *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer           user_data);
gboolean                 seedream_session_store_key_finish  (SeedreamSession   *self,
                                                             GAsyncResult      *result,
                                                             GError           **error);
void                     seedream_session_clear_key_async   (SeedreamSession   *self,
                                                             GCancellable      *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer           user_data);
gboolean                 seedream_session_clear_key_finish  (SeedreamSession   *self,
                                                             GAsyncResult      *result,
                                                             GError           **error);
gboolean                 seedream_session_is_key_overridden (SeedreamSession   *self);
gboolean                 seedream_session_is_locked_out     (SeedreamSession   *self);
const char              *seedream_session_get_key_problem   (SeedreamSession   *self);

char                    *seedream_session_dup_api_url       (SeedreamSession   *self);

/* (element-type SeedreamSubmission), newest first */
GListModel              *seedream_session_get_submissions   (SeedreamSession   *self);
SeedreamSubmission      *seedream_session_submit            (SeedreamSession   *self,
                                                             SeedreamRequest   *request,
                                                             GError           **error);
/* Nullable: the history could not be opened. Made on first use. */
SeedreamHistoryModel    *seedream_session_get_history_model (SeedreamSession   *self);
/* Deleting with Undo: the rows are hidden at once and deleted (files,
 * unshared sources, and on the server when asked) by finish_delete(); a
 * pending delete is not done when the session goes. */
guint                    seedream_session_delete_later      (SeedreamSession   *self,
                                                             const gint64      *ids,
                                                             guint              n_ids,
                                                             gboolean           on_server);
void                     seedream_session_undo_delete       (SeedreamSession   *self,
                                                             guint              handle);
gboolean                 seedream_session_finish_delete     (SeedreamSession   *self,
                                                             guint              handle,
                                                             GError           **error);
/* The rows that failed or ended without images, found on a worker. */
void                     seedream_session_find_failed_async (SeedreamSession     *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GArray                  *seedream_session_find_failed_finish (SeedreamSession    *self,
                                                              GAsyncResult       *result,
                                                              GError            **error);
/* Stars or unstars a submission of the history (by its row id). */
gboolean                 seedream_session_set_favourite     (SeedreamSession   *self,
                                                             gint64             history_id,
                                                             gboolean           favourite,
                                                             GError           **error);
/* Stars or unstars one image (@index) of a submission of the history. */
gboolean                 seedream_session_set_result_favourite (SeedreamSession *self,
                                                                gint64           history_id,
                                                                guint            index,
                                                                gboolean         favourite,
                                                                GError         **error);
SeedreamHistoryChain    *seedream_session_load_chain        (SeedreamSession   *self,
                                                             gint64             id,
                                                             GError           **error);
SeedreamCompareItem     *seedream_session_describe_image    (SeedreamSession   *self,
                                                             GFile             *file);
SeedreamCompareItem     *seedream_session_describe_source_of (SeedreamSession  *self,
                                                              GFile            *file);
gboolean                 seedream_session_find_result       (SeedreamSession   *self,
                                                             GFile             *file,
                                                             gint64            *entry_id,
                                                             guint             *index);

G_END_DECLS
