/* seedream-response.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "seedream-task-info.h"

G_BEGIN_DECLS

/**
 * SEEDREAM_RESPONSE_MAX_SIZE:
 *
 * The largest API answer (in bytes) that is read at all. The real answers
 * are a few hundred bytes; anything bigger is refused as
 * %SEEDREAM_ERROR_BAD_RESPONSE, and the client stops reading at this size.
 */
#define SEEDREAM_RESPONSE_MAX_SIZE (1024 * 1024)

/**
 * SEEDREAM_RESPONSE_MAX_URLS:
 *
 * Result URLs beyond this many are ignored (a batch has at most 15).
 */
#define SEEDREAM_RESPONSE_MAX_URLS 64

/**
 * SEEDREAM_RESPONSE_ERROR_BODY_MAX:
 *
 * How much of the body of a non-2xx answer is read, in bytes: enough for
 * the JSON envelope of a refusal; a bigger body is cut there (and then does
 * not parse), never buffered whole.
 */
#define SEEDREAM_RESPONSE_ERROR_BODY_MAX (64 * 1024)

char             *seedream_response_parse_submit    (GBytes      *body,
                                                     GError     **error);
SeedreamTaskInfo *seedream_response_parse_task_info (GBytes      *body,
                                                     GError     **error);
gboolean          seedream_response_parse_delete    (GBytes      *body,
                                                     GError     **error);
gboolean          seedream_response_is_valid_task_id (const char *task_id);
GError           *seedream_response_error_for_status (guint       http_status,
                                                      const char *retry_after_header,
                                                      GBytes     *body,
                                                      gboolean    submitting);

G_END_DECLS
