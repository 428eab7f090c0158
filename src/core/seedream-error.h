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
 *
 * One domain for everything the core library reports, so the UI can choose
 * what to offer (retry, open preferences, wait) from the code alone.
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
} SeedreamError;

GQuark seedream_error_quark (void);

G_END_DECLS
