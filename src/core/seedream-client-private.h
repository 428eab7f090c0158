/* seedream-client-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of SeedreamClient share: the instance struct, the limits,
 * and the helpers and the capped exchange (seedream-client-exchange.c)
 * that submit, query and download are built on.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "seedream-client.h"

G_BEGIN_DECLS

#define QUERY_ENDPOINT "/v1/images/infobytaskid"

/* Bytes asked for per read of an API answer and of a download. */
#define ANSWER_CHUNK   (16 * 1024)
#define DOWNLOAD_CHUNK (64 * 1024)

/* A download is checked to be an image once this much has arrived. */
#define SNIFF_BYTES 64

/* A Retry-After longer than this is not honoured by the query retries
 * (the error still carries the full value). */
#define MAX_RETRY_WAIT 60

struct _SeedreamClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *host;
  char        *api_key;
  guint        timeout;
  guint        answer_timeout;
  guint        download_deadline;
  guint        query_timeout;
  guint        max_query_retries;
};

void          seedream_client_clear_source         (GSource **source);
GSource *     seedream_client_attach_task_source   (GTask       *task,
                                                    GSource     *source,
                                                    GSourceFunc  func);
GError *      seedream_client_new_cancelled_error  (void);
gboolean      seedream_client_task_is_cancelled    (GTask *task);
gulong        seedream_client_chain_cancellable    (GCancellable *caller,
                                                    GCancellable *own);
const char *  seedream_client_message_path         (SoupMessage *msg);
const char *  seedream_client_message_host         (SoupMessage *msg);
void          seedream_client_close_stream_quietly (GInputStream *stream);
SoupSession * seedream_client_new_session          (guint timeout);
SoupMessage * seedream_client_new_api_message      (SeedreamClient  *self,
                                                    const char      *endpoint,
                                                    GError         **error);
void          seedream_client_exchange_async       (SeedreamClient      *self,
                                                    SoupMessage         *msg,
                                                    goffset              sent,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GUri *        seedream_client_parse_result_url     (const char *url);
/* What @builder built, as a JSON request body. */
GBytes *      seedream_client_json_bytes           (JsonBuilder *builder);
GBytes *      seedream_client_exchange_finish      (SeedreamClient  *self,
                                                    GAsyncResult    *result,
                                                    GError         **error);

G_END_DECLS
