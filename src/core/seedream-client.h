/* seedream-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-model.h"
#include "seedream-multipart-stream.h"
#include "seedream-request.h"
#include "seedream-task-info.h"

G_BEGIN_DECLS

/**
 * SeedreamProgressFunc:
 * @done: bytes moved so far
 * @total: bytes to move in all, or -1 if unknown
 * @user_data: the data given with the function
 *
 * Called on the main context while a body is uploaded or downloaded.
 */
typedef void (*SeedreamProgressFunc) (goffset  done,
                                      goffset  total,
                                      gpointer user_data);

/**
 * SeedreamImageNameFunc:
 * @part: the temporary file the image is being written to
 * @mime_type: the type its first bytes show
 * @user_data: the data given with the function
 *
 * Chooses, once a download is known to be an image, the file it is moved
 * to at the end. Called on the main context.
 *
 * Returns: (transfer full) (nullable): where the image goes, or %NULL to
 *   refuse an image of this type
 */
typedef GFile *(*SeedreamImageNameFunc) (GFile      *part,
                                         const char *mime_type,
                                         gpointer    user_data);

/* The provider's scripts give a submission 60 s and a query 30 s. */
#define SEEDREAM_CLIENT_DEFAULT_TIMEOUT           60
#define SEEDREAM_CLIENT_DEFAULT_QUERY_TIMEOUT     30
#define SEEDREAM_CLIENT_DEFAULT_MAX_QUERY_RETRIES 3

/* The provider's request timeout: how long the answer to a submission is
 * waited for once its whole body is sent. */
#define SEEDREAM_CLIENT_DEFAULT_ANSWER_TIMEOUT    180

/* How long one result download may take in all: the largest result
 * (SEEDREAM_CLIENT_MAX_DOWNLOAD_SIZE) at 128 KiB/s, with room to spare. A
 * host that sends a byte a minute would otherwise hold a download slot,
 * and the task's "Downloading", for ever. */
#define SEEDREAM_CLIENT_DEFAULT_DOWNLOAD_DEADLINE 600

/* A result image larger than this is refused, after content decoding: the
 * largest image the service makes (16,777,216 pixels) is 64 MiB as an RGBA
 * PNG that does not compress at all, plus a filter byte a row and zlib's
 * framing; JPEG is far smaller. A larger body is no result of ours. */
#define SEEDREAM_CLIENT_MAX_DOWNLOAD_SIZE (G_GOFFSET_CONSTANT (72) * 1024 * 1024)

#define SEEDREAM_TYPE_CLIENT (seedream_client_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamClient, seedream_client, SEEDREAM, CLIENT, GObject)

SeedreamClient   *seedream_client_new                  (const char               *base_url,
                                                        const char               *api_key,
                                                        GError                  **error);
const char       *seedream_client_get_base_url         (SeedreamClient           *self);
guint             seedream_client_get_timeout          (SeedreamClient           *self);
void              seedream_client_set_timeout          (SeedreamClient           *self,
                                                        guint                     seconds);
guint             seedream_client_get_answer_timeout   (SeedreamClient           *self);
void              seedream_client_set_answer_timeout   (SeedreamClient           *self,
                                                        guint                     seconds);
guint             seedream_client_get_download_deadline (SeedreamClient          *self);
void              seedream_client_set_download_deadline (SeedreamClient          *self,
                                                         guint                    seconds);
guint             seedream_client_get_query_timeout    (SeedreamClient           *self);
void              seedream_client_set_query_timeout    (SeedreamClient           *self,
                                                        guint                     seconds);
guint             seedream_client_get_max_query_retries (SeedreamClient          *self);
void              seedream_client_set_max_query_retries (SeedreamClient          *self,
                                                         guint                    retries);

void              seedream_client_submit_async         (SeedreamClient           *self,
                                                        SeedreamRequest          *request,
                                                        SeedreamProgressFunc      progress,
                                                        gpointer                  progress_data,
                                                        GDestroyNotify            progress_destroy,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
char             *seedream_client_submit_finish        (SeedreamClient           *self,
                                                        GAsyncResult             *result,
                                                        GError                  **error);

void              seedream_client_submit_body_async    (SeedreamClient           *self,
                                                        const SeedreamModel      *model,
                                                        SeedreamMultipartStream  *body,
                                                        SeedreamProgressFunc      progress,
                                                        gpointer                  progress_data,
                                                        GDestroyNotify            progress_destroy,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
char             *seedream_client_submit_body_finish   (SeedreamClient           *self,
                                                        GAsyncResult             *result,
                                                        GError                  **error);

void              seedream_client_query_task_async     (SeedreamClient           *self,
                                                        const char               *task_id,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
SeedreamTaskInfo *seedream_client_query_task_finish    (SeedreamClient           *self,
                                                        GAsyncResult             *result,
                                                        GError                  **error);

/* deleteimagestask: only when the person asked; never retried by itself. */
void              seedream_client_delete_tasks_async   (SeedreamClient           *self,
                                                        const char * const       *task_ids,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
gboolean          seedream_client_delete_tasks_finish  (SeedreamClient           *self,
                                                        GAsyncResult             *result,
                                                        GError                  **error);

void              seedream_client_download_async       (SeedreamClient           *self,
                                                        const char               *url,
                                                        GFile                    *destination,
                                                        SeedreamProgressFunc      progress,
                                                        gpointer                  progress_data,
                                                        GDestroyNotify            progress_destroy,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
gboolean          seedream_client_download_finish      (SeedreamClient           *self,
                                                        GAsyncResult             *result,
                                                        GError                  **error);

void              seedream_client_download_image_async (SeedreamClient           *self,
                                                        const char               *url,
                                                        GFile                    *part,
                                                        SeedreamImageNameFunc     name_func,
                                                        gpointer                  name_data,
                                                        SeedreamProgressFunc      progress,
                                                        gpointer                  progress_data,
                                                        GDestroyNotify            progress_destroy,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
GFile            *seedream_client_download_image_finish (SeedreamClient          *self,
                                                         GAsyncResult            *result,
                                                         guint                   *width,
                                                         guint                   *height,
                                                         GError                 **error);

G_END_DECLS
