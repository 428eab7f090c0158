/* seedream-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain of the core library, and the one place that turns what
 * went wrong (an HTTP status, a transport error, an envelope code) into a
 * code and a message a person can act on.
 */

#define G_LOG_DOMAIN "seedream-error"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "seedream-error.h"

/* A server message longer than this (in characters) is cut: it ends up in
 * a dialog, not in a log file. */
#define SERVER_MESSAGE_MAX_CHARS 300

/* A Retry-After further away than this is not believed. */
#define RETRY_AFTER_MAX_SECONDS (24 * 60 * 60)

/* RFC 6585; libsoup has no name for it. */
#define HTTP_STATUS_TOO_MANY_REQUESTS 429

typedef struct
{
  char  *server_message;
  guint  http_status;
  guint  retry_after;
} SeedreamErrorPrivate;

static void
seedream_error_private_init (SeedreamErrorPrivate *priv)
{
  priv->server_message = NULL;
  priv->http_status = 0;
  priv->retry_after = 0;
}

static void
seedream_error_private_copy (const SeedreamErrorPrivate *src,
                             SeedreamErrorPrivate       *dest)
{
  dest->server_message = g_strdup (src->server_message);
  dest->http_status = src->http_status;
  dest->retry_after = src->retry_after;
}

static void
seedream_error_private_clear (SeedreamErrorPrivate *priv)
{
  g_clear_pointer (&priv->server_message, g_free);
}

/* The macro's pointer arithmetic is aligned (it rounds up to 2 * gsize),
 * but clang's -Wcast-align cannot tell. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-align"
G_DEFINE_EXTENDED_ERROR (SeedreamError, seedream_error)
#pragma GCC diagnostic pop

static SeedreamErrorPrivate *
get_private_or_null (const GError *error)
{
  if (error == NULL || error->domain != SEEDREAM_ERROR)
    return NULL;

  return seedream_error_get_private (error);
}

/**
 * seedream_error_get_server_message:
 * @error: a #GError
 *
 * Returns: (nullable): the message the service sent with the failure
 *   (cleaned of control characters and shortened), or %NULL if there is
 *   none or @error is not a #SEEDREAM_ERROR
 */
const char *
seedream_error_get_server_message (const GError *error)
{
  SeedreamErrorPrivate *priv = get_private_or_null (error);

  return priv != NULL ? priv->server_message : NULL;
}

/**
 * seedream_error_get_http_status:
 * @error: a #GError
 *
 * Returns: the HTTP status the failure came with, or 0
 */
guint
seedream_error_get_http_status (const GError *error)
{
  SeedreamErrorPrivate *priv = get_private_or_null (error);

  return priv != NULL ? priv->http_status : 0;
}

/**
 * seedream_error_get_retry_after:
 * @error: a #GError
 *
 * Returns: the seconds the service asked to wait before trying again
 *   (from a Retry-After header), or 0 if it did not say
 */
guint
seedream_error_get_retry_after (const GError *error)
{
  SeedreamErrorPrivate *priv = get_private_or_null (error);

  return priv != NULL ? priv->retry_after : 0;
}

/**
 * seedream_error_is_transient:
 * @error: a #GError
 *
 * Whether asking again later may succeed: network failures, timeouts,
 * rate limiting, 5xx and 408 statuses, and envelope codes other than
 * 1000 and 9000 (the provider's own scripts treat those as temporary
 * when polling). Only polling retries; a submission never does.
 *
 * Returns: %TRUE if a poll may retry after @error
 */
gboolean
seedream_error_is_transient (const GError *error)
{
  guint status;

  if (error == NULL || error->domain != SEEDREAM_ERROR)
    return FALSE;

  switch ((SeedreamError) error->code)
    {
    case SEEDREAM_ERROR_NETWORK:
    case SEEDREAM_ERROR_TIMEOUT:
    case SEEDREAM_ERROR_RATE_LIMITED:
    case SEEDREAM_ERROR_SERVER_FAILURE:
      return TRUE;

    case SEEDREAM_ERROR_HTTP:
      status = seedream_error_get_http_status (error);
      return status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT;

    case SEEDREAM_ERROR_INVALID_INPUT:
    case SEEDREAM_ERROR_AUTHENTICATION:
    case SEEDREAM_ERROR_INSUFFICIENT_CREDITS:
    case SEEDREAM_ERROR_BAD_RESPONSE:
    case SEEDREAM_ERROR_CANCELLED:
    case SEEDREAM_ERROR_INSECURE_URL:
    case SEEDREAM_ERROR_TASK_FAILED:
    case SEEDREAM_ERROR_SAVE_FAILED:
    case SEEDREAM_ERROR_NO_IMAGES:
    case SEEDREAM_ERROR_RESULT_TOO_LARGE:
      return FALSE;

    default:
      return FALSE;
    }
}

/**
 * seedream_error_is_temporary_while_following:
 * @error: a #GError from asking infobytaskid about a task
 *
 * Whether following a task may ask again after @error. More than
 * seedream_error_is_transient(): the task was created and paid for, and the
 * live service answers loosely while a task starts (the provider's own
 * clients read only `image_status` and retry everything else). So an answer
 * that does not parse, lacks `taskid` or `image_status`, has an empty
 * `data`, or carries any code other than 1000 (9000 included: the credits
 * were taken when the task was made) is temporary here. Only a refused key
 * (401/403) and other HTTP statuses a retry cannot change stay permanent.
 *
 * Returns: %TRUE if a poll may retry after @error
 */
gboolean
seedream_error_is_temporary_while_following (const GError *error)
{
  if (seedream_error_is_transient (error))
    return TRUE;

  return g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE) ||
         g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INSUFFICIENT_CREDITS);
}

/**
 * seedream_error_clean_server_message:
 * @text: (nullable): what the service sent
 *
 * Makes text from the network fit for a dialog: valid UTF-8, no control
 * characters, runs of white space collapsed, at most a few hundred
 * characters.
 *
 * Returns: (transfer full) (nullable): the cleaned text, or %NULL if
 *   nothing readable is left
 */
char *
seedream_error_clean_server_message (const char *text)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = NULL;
  gboolean space = FALSE;
  glong n_chars = 0;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        {
          space = out->len > 0;
          continue;
        }

      if (n_chars >= SERVER_MESSAGE_MAX_CHARS)
        {
          g_string_append (out, "…");
          break;
        }

      if (space)
        {
          g_string_append_c (out, ' ');
          n_chars++;
          space = FALSE;
        }

      g_string_append_unichar (out, c);
      n_chars++;
    }

  if (out->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * seedream_error_new_full:
 * @code: the code
 * @http_status: the HTTP status, or 0
 * @retry_after: seconds to wait before trying again, or 0
 * @server_message: (nullable): the service's own message
 * @format: printf() format of the message shown to a person
 *
 * Returns: (transfer full): a new #SEEDREAM_ERROR carrying the extra fields
 */
GError *
seedream_error_new_full (SeedreamError  code,
                         guint          http_status,
                         guint          retry_after,
                         const char    *server_message,
                         const char    *format,
                         ...)
{
  SeedreamErrorPrivate *priv;
  g_autofree char *message = NULL;
  GError *error;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new_literal (SEEDREAM_ERROR, code, message);
  priv = seedream_error_get_private (error);
  priv->server_message = seedream_error_clean_server_message (server_message);
  priv->http_status = http_status;
  priv->retry_after = retry_after;

  return error;
}

/**
 * seedream_error_parse_retry_after:
 * @value: (nullable): a Retry-After header value: delta-seconds or an HTTP date
 * @now: (nullable): the current time, or %NULL for the clock
 *
 * Returns: seconds to wait, 0 if @value is missing, unreadable or in the past
 */
guint
seedream_error_parse_retry_after (const char *value,
                                  GDateTime  *now)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) clock_now = NULL;
  g_autofree char *trimmed = NULL;
  GTimeSpan span;

  if (value == NULL)
    return 0;

  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return 0;

  if (g_ascii_isdigit (trimmed[0]))
    {
      guint64 seconds = 0;

      for (const char *p = trimmed; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p))
            return 0;
          seconds = seconds * 10 + (guint64) (*p - '0');
          if (seconds > RETRY_AFTER_MAX_SECONDS)
            return RETRY_AFTER_MAX_SECONDS;
        }

      return (guint) seconds;
    }

  when = soup_date_time_new_from_http_string (trimmed);
  if (when == NULL)
    return 0;

  if (now == NULL)
    now = clock_now = g_date_time_new_now_utc ();

  span = g_date_time_difference (when, now);
  if (span <= 0)
    return 0;

  /* Round up: waiting a little longer is harmless, shorter is not. */
  span = (span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND;

  return (guint) MIN (span, RETRY_AFTER_MAX_SECONDS);
}

static const char *
status_phrase (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  return phrase != NULL ? phrase : _("Unknown Status");
}

/**
 * seedream_error_new_for_status:
 * @http_status: a status that is not 2xx, from the API
 * @retry_after_header: (nullable): the Retry-After header of the answer
 *
 * Maps an HTTP status of the API to an error: 401 and 403 to
 * %SEEDREAM_ERROR_AUTHENTICATION, 429 to %SEEDREAM_ERROR_RATE_LIMITED
 * (with the Retry-After seconds), anything else to %SEEDREAM_ERROR_HTTP
 * with a message naming the status.
 *
 * Returns: (transfer full): a new error
 */
GError *
seedream_error_new_for_status (guint       http_status,
                               const char *retry_after_header)
{
  const char *phrase = status_phrase (http_status);
  guint retry_after;

  switch (http_status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return seedream_error_new_full (SEEDREAM_ERROR_AUTHENTICATION, http_status, 0, NULL,
                                      _("The service did not accept your API key. Check it in Preferences."));

    case SOUP_STATUS_FORBIDDEN:
      return seedream_error_new_full (SEEDREAM_ERROR_AUTHENTICATION, http_status, 0, NULL,
                                      _("The service refused access with your API key. Check it in Preferences."));

    case HTTP_STATUS_TOO_MANY_REQUESTS:
      retry_after = seedream_error_parse_retry_after (retry_after_header, NULL);
      if (retry_after > 0)
        return seedream_error_new_full (SEEDREAM_ERROR_RATE_LIMITED, http_status, retry_after, NULL,
                                        ngettext ("The service is busy with too many requests. Try again in %u second.",
                                                  "The service is busy with too many requests. Try again in %u seconds.",
                                                  retry_after),
                                        retry_after);
      return seedream_error_new_full (SEEDREAM_ERROR_RATE_LIMITED, http_status, 0, NULL,
                                      _("The service is busy with too many requests. Try again in a minute."));

    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
    case SOUP_STATUS_GONE:
      return seedream_error_new_full (SEEDREAM_ERROR_HTTP, http_status, 0, NULL,
                                      _("The service answered %u %s. Check the API address in Preferences."),
                                      http_status, phrase);

    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return seedream_error_new_full (SEEDREAM_ERROR_HTTP, http_status, 0, NULL,
                                      _("The service answered %u %s: the request is too big. Use fewer or smaller source images."),
                                      http_status, phrase);

    default:
      if (SOUP_STATUS_IS_SERVER_ERROR (http_status) || http_status == SOUP_STATUS_REQUEST_TIMEOUT)
        return seedream_error_new_full (SEEDREAM_ERROR_HTTP, http_status, 0, NULL,
                                        _("The service answered %u %s. Try again in a moment."),
                                        http_status, phrase);
      if (SOUP_STATUS_IS_REDIRECTION (http_status))
        return seedream_error_new_full (SEEDREAM_ERROR_HTTP, http_status, 0, NULL,
                                        _("The service answered %u %s, sending this app elsewhere. Check the API address in Preferences."),
                                        http_status, phrase);
      return seedream_error_new_full (SEEDREAM_ERROR_HTTP, http_status, 0, NULL,
                                      _("The service answered %u %s. If this keeps happening, this app may need an update."),
                                      http_status, phrase);
    }
}

/**
 * seedream_error_new_for_download_status:
 * @http_status: a status that is not 2xx, from the file host of a result
 *
 * Returns: (transfer full): a new %SEEDREAM_ERROR_HTTP naming the status
 */
GError *
seedream_error_new_for_download_status (guint http_status)
{
  const char *phrase = status_phrase (http_status);

  if (http_status == SOUP_STATUS_NOT_FOUND || http_status == SOUP_STATUS_GONE ||
      http_status == SOUP_STATUS_FORBIDDEN)
    return seedream_error_new_full (SEEDREAM_ERROR_HTTP, http_status, 0, NULL,
                                    _("The result image is no longer available (the file host answered %u %s). Results expire after a day; generate the image again."),
                                    http_status, phrase);

  return seedream_error_new_full (SEEDREAM_ERROR_HTTP, http_status, 0, NULL,
                                  _("The file host answered %u %s while downloading the result. Try again in a moment."),
                                  http_status, phrase);
}

/**
 * seedream_error_new_for_transport:
 * @transport_error: an error from GIO, the resolver, TLS or libsoup
 * @host: (nullable): the host the request went to
 *
 * Maps a failure below HTTP: cancellation to %SEEDREAM_ERROR_CANCELLED,
 * timeouts to %SEEDREAM_ERROR_TIMEOUT, an answer libsoup could not parse
 * to %SEEDREAM_ERROR_BAD_RESPONSE, everything else to
 * %SEEDREAM_ERROR_NETWORK with the host and the reason. A
 * #SEEDREAM_ERROR is copied unchanged.
 *
 * Returns: (transfer full): a new error
 */
GError *
seedream_error_new_for_transport (const GError *transport_error,
                                  const char   *host)
{
  const char *reason;

  g_return_val_if_fail (transport_error != NULL, NULL);

  if (host == NULL || *host == '\0')
    host = _("the service");

  reason = transport_error->message != NULL && *transport_error->message != '\0'
    ? transport_error->message : _("unknown error");

  if (transport_error->domain == SEEDREAM_ERROR)
    return g_error_copy (transport_error);

  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return seedream_error_new_full (SEEDREAM_ERROR_CANCELLED, 0, 0, NULL,
                                    _("Cancelled."));

  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return seedream_error_new_full (SEEDREAM_ERROR_TIMEOUT, 0, 0, NULL,
                                    _("%s did not answer in time. Check your connection, then try again."),
                                    host);

  if (g_error_matches (transport_error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING) ||
      g_error_matches (transport_error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING))
    return seedream_error_new_bad_response (reason);

  if (transport_error->domain == G_TLS_ERROR)
    return seedream_error_new_full (SEEDREAM_ERROR_NETWORK, 0, 0, NULL,
                                    _("Could not reach %s securely: %s. Check your connection and the computer’s date and time."),
                                    host, reason);

  return seedream_error_new_full (SEEDREAM_ERROR_NETWORK, 0, 0, NULL,
                                  _("Could not reach %s: %s. Check your connection."),
                                  host, reason);
}

/**
 * seedream_error_new_for_code:
 * @code: an envelope code other than 1000
 * @server_message: (nullable): the envelope's msg
 * @submitting: whether the answer was to a submission (or to a query)
 *
 * Maps a failed envelope: 9000 to %SEEDREAM_ERROR_INSUFFICIENT_CREDITS,
 * anything else (9999 and codes the documentation does not list) to
 * %SEEDREAM_ERROR_SERVER_FAILURE carrying the service's message.
 *
 * Returns: (transfer full): a new error
 */
GError *
seedream_error_new_for_code (gint64      code,
                             const char *server_message,
                             gboolean    submitting)
{
  g_autofree char *clean = seedream_error_clean_server_message (server_message);

  if (code == 9000)
    return seedream_error_new_full (SEEDREAM_ERROR_INSUFFICIENT_CREDITS, 0, 0, clean,
                                    _("Your TensorsLab account has run out of credits. Top it up, then try again."));

  if (submitting)
    {
      if (clean != NULL)
        return seedream_error_new_full (SEEDREAM_ERROR_SERVER_FAILURE, 0, 0, clean,
                                        _("The service could not create the task: %s"), clean);
      return seedream_error_new_full (SEEDREAM_ERROR_SERVER_FAILURE, 0, 0, NULL,
                                      _("The service could not create the task and gave no reason (code %lld). Try again later."),
                                      (long long) code);
    }

  if (clean != NULL)
    return seedream_error_new_full (SEEDREAM_ERROR_SERVER_FAILURE, 0, 0, clean,
                                    _("The service could not report on the task: %s. Try again in a moment."), clean);
  return seedream_error_new_full (SEEDREAM_ERROR_SERVER_FAILURE, 0, 0, NULL,
                                  _("The service could not report on the task and gave no reason (code %lld). Try again in a moment."),
                                  (long long) code);
}

/* Statuses whose meaning does not depend on what the body says: the key,
 * the address, the size of the request, the rate, a failing server. */
static gboolean
status_speaks_for_itself (guint http_status)
{
  switch (http_status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
    case SOUP_STATUS_GONE:
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
    case HTTP_STATUS_TOO_MANY_REQUESTS:
      return TRUE;

    default:
      return !SOUP_STATUS_IS_CLIENT_ERROR (http_status);
    }
}

/**
 * seedream_error_new_for_refusal:
 * @http_status: a status that is not 2xx, from the API
 * @retry_after_header: (nullable): the Retry-After header of the answer
 * @code: the envelope code the answer's body carried
 * @server_message: (nullable): the envelope's msg
 * @submitting: whether the answer was to a submission (or to a query)
 *
 * Maps a non-2xx answer whose body was the JSON envelope. Its code wins
 * over the status where the two say different things: 9000 is always
 * %SEEDREAM_ERROR_INSUFFICIENT_CREDITS (the service sends it with 402 or
 * 403 too), and any other 4xx that does not speak for itself (400, 422…)
 * is %SEEDREAM_ERROR_INVALID_INPUT with the service's msg in the message.
 * The rest is what seedream_error_new_for_status() says, carrying the msg.
 *
 * Returns: (transfer full): a new error
 */
GError *
seedream_error_new_for_refusal (guint       http_status,
                                const char *retry_after_header,
                                gint64      code,
                                const char *server_message,
                                gboolean    submitting)
{
  g_autofree char *clean = seedream_error_clean_server_message (server_message);
  SeedreamErrorPrivate *priv;
  GError *error;

  if (code == 9000)
    {
      error = seedream_error_new_for_code (code, server_message, submitting);
      seedream_error_get_private (error)->http_status = http_status;
      return error;
    }

  if (code != 1000 && !status_speaks_for_itself (http_status))
    {
      if (clean != NULL)
        return seedream_error_new_full (SEEDREAM_ERROR_INVALID_INPUT, http_status, 0, clean,
                                        _("The service refused the request: “%s”. Change it, then send it again."),
                                        clean);
      return seedream_error_new_full (SEEDREAM_ERROR_INVALID_INPUT, http_status, 0, NULL,
                                      _("The service refused the request (%u %s, code %lld) and gave no reason. Check the prompt, the size and the source images, then try again."),
                                      http_status, status_phrase (http_status), (long long) code);
    }

  error = seedream_error_new_for_status (http_status, retry_after_header);
  priv = seedream_error_get_private (error);
  priv->server_message = g_steal_pointer (&clean);

  return error;
}

/**
 * seedream_error_new_bad_response:
 * @detail: what was wrong, for the parenthesis
 *
 * Returns: (transfer full): a new %SEEDREAM_ERROR_BAD_RESPONSE
 */
GError *
seedream_error_new_bad_response (const char *detail)
{
  return seedream_error_new_full (SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, NULL,
                                  _("The service sent an answer this app does not understand (%s). Try again later; if it keeps happening, this app may need an update."),
                                  detail);
}

/**
 * seedream_error_new_task_failed:
 * @server_message: (nullable): the task's error_message
 *
 * Returns: (transfer full): a new %SEEDREAM_ERROR_TASK_FAILED
 */
GError *
seedream_error_new_task_failed (const char *server_message)
{
  g_autofree char *clean = seedream_error_clean_server_message (server_message);

  if (clean != NULL)
    return seedream_error_new_full (SEEDREAM_ERROR_TASK_FAILED, 0, 0, clean,
                                    _("The service could not generate the images: %s"), clean);

  return seedream_error_new_full (SEEDREAM_ERROR_TASK_FAILED, 0, 0, NULL,
                                  _("The service could not generate the images and gave no reason. Try again, perhaps with a different prompt."));
}

/**
 * seedream_error_new_no_images:
 *
 * The service said the task was complete (image_status 3) and listed no
 * images. Its clients call that a warning, not a failure; the likely reason
 * is a refusal it does not explain.
 *
 * Returns: (transfer full): a new %SEEDREAM_ERROR_NO_IMAGES
 */
GError *
seedream_error_new_no_images (void)
{
  return seedream_error_new_full (SEEDREAM_ERROR_NO_IMAGES, 0, 0, NULL,
                                  _("The service finished the task without any images. It most likely refused the prompt or a source image: try a different prompt or other source images."));
}
