/* seedream-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEEDREAM_ERROR (seedream_error_quark ())

/**
 * SeedreamError:
 * @SEEDREAM_ERROR_INVALID_INPUT: a field of the request is wrong; the message names it
 * @SEEDREAM_ERROR_AUTHENTICATION: the key was refused (HTTP 401/403)
 * @SEEDREAM_ERROR_INSUFFICIENT_CREDITS: the account has no credits left (code 9000)
 * @SEEDREAM_ERROR_SERVER_FAILURE: the service answered code 9999; the message carries its msg
 * @SEEDREAM_ERROR_RATE_LIMITED: too many requests (HTTP 429)
 * @SEEDREAM_ERROR_HTTP: any other unexpected HTTP status
 * @SEEDREAM_ERROR_NETWORK: DNS, connection or TLS failure
 * @SEEDREAM_ERROR_TIMEOUT: the service did not answer in time
 * @SEEDREAM_ERROR_BAD_RESPONSE: the answer was not JSON, lacked fields, or was too large
 * @SEEDREAM_ERROR_CANCELLED: the user cancelled
 * @SEEDREAM_ERROR_INSECURE_URL: the API URL would expose the key (not HTTPS, not loopback)
 * @SEEDREAM_ERROR_TASK_FAILED: the service ran the task and it failed
 * @SEEDREAM_ERROR_SAVE_FAILED: a downloaded result could not be written to disk
 * @SEEDREAM_ERROR_NO_IMAGES: the service finished the task and sent no images
 *   (most likely it refused the prompt or a source image); not a failure of
 *   the app, and nothing to ask again
 * @SEEDREAM_ERROR_RESULT_TOO_LARGE: a result file was larger than any image
 *   the service makes (SEEDREAM_CLIENT_MAX_DOWNLOAD_SIZE), so it was refused
 *
 * One domain for everything the core library reports, so the UI can choose
 * what to offer (retry, open preferences, wait) from the code alone.
 *
 * The domain is an extended error domain: an error of it may also carry the
 * server's own message, the HTTP status and the seconds to wait before
 * trying again (see seedream_error_get_server_message() and friends).
 */
typedef enum
{
  SEEDREAM_ERROR_INVALID_INPUT,
  SEEDREAM_ERROR_AUTHENTICATION,
  SEEDREAM_ERROR_INSUFFICIENT_CREDITS,
  SEEDREAM_ERROR_SERVER_FAILURE,
  SEEDREAM_ERROR_RATE_LIMITED,
  SEEDREAM_ERROR_HTTP,
  SEEDREAM_ERROR_NETWORK,
  SEEDREAM_ERROR_TIMEOUT,
  SEEDREAM_ERROR_BAD_RESPONSE,
  SEEDREAM_ERROR_CANCELLED,
  SEEDREAM_ERROR_INSECURE_URL,
  SEEDREAM_ERROR_TASK_FAILED,
  SEEDREAM_ERROR_SAVE_FAILED,
  SEEDREAM_ERROR_NO_IMAGES,
  SEEDREAM_ERROR_RESULT_TOO_LARGE,
} SeedreamError;

GQuark       seedream_error_quark              (void);

const char  *seedream_error_get_server_message (const GError  *error);
guint        seedream_error_get_http_status    (const GError  *error);
guint        seedream_error_get_retry_after    (const GError  *error);
gboolean     seedream_error_is_transient       (const GError  *error);
gboolean     seedream_error_is_temporary_while_following (const GError *error);

GError      *seedream_error_new_full           (SeedreamError  code,
                                                guint          http_status,
                                                guint          retry_after,
                                                const char    *server_message,
                                                const char    *format,
                                                ...) G_GNUC_PRINTF (5, 6);

GError      *seedream_error_new_for_status     (guint          http_status,
                                                const char    *retry_after_header);
GError      *seedream_error_new_for_download_status (guint     http_status);
GError      *seedream_error_new_for_transport  (const GError  *transport_error,
                                                const char    *host);
GError      *seedream_error_new_for_code       (gint64         code,
                                                const char    *server_message,
                                                gboolean       submitting);
GError      *seedream_error_new_for_refusal    (guint          http_status,
                                                const char    *retry_after_header,
                                                gint64         code,
                                                const char    *server_message,
                                                gboolean       submitting);
GError      *seedream_error_new_bad_response   (const char    *detail);
GError      *seedream_error_new_task_failed    (const char    *server_message);
GError      *seedream_error_new_no_images      (void);

guint        seedream_error_parse_retry_after  (const char    *value,
                                                GDateTime     *now);
char        *seedream_error_clean_server_message (const char  *text);

G_END_DECLS
