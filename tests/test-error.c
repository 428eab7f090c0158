/* test-error.c: the error domain and every mapping into it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "seedream-error.h"

#define assert_contains(haystack, needle) \
  G_STMT_START { \
    const char *__h = (haystack); \
    const char *__n = (needle); \
    if (__h == NULL || strstr (__h, __n) == NULL) \
      g_error ("“%s” does not contain “%s”", __h ? __h : "(null)", __n); \
  } G_STMT_END

static void
test_error_extended_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;

  error = seedream_error_new_full (SEEDREAM_ERROR_RATE_LIMITED, 429, 17, "slow down",
                                   "Wait %d", 17);

  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_RATE_LIMITED);
  g_assert_cmpstr (error->message, ==, "Wait 17");
  g_assert_cmpstr (seedream_error_get_server_message (error), ==, "slow down");
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 429);
  g_assert_cmpuint (seedream_error_get_retry_after (error), ==, 17);

  /* The private part survives copies (what GTask does with errors). */
  copy = g_error_copy (error);
  g_assert_error (copy, SEEDREAM_ERROR, SEEDREAM_ERROR_RATE_LIMITED);
  g_assert_cmpstr (seedream_error_get_server_message (copy), ==, "slow down");
  g_assert_cmpuint (seedream_error_get_http_status (copy), ==, 429);
  g_assert_cmpuint (seedream_error_get_retry_after (copy), ==, 17);
  g_assert_true (seedream_error_get_server_message (copy) != seedream_error_get_server_message (error));
}

static void
test_error_plain_set_error (void)
{
  g_autoptr(GError) error = NULL;

  /* g_set_error() on the domain works and has empty extra fields. */
  g_set_error (&error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT, "Bad %s", "prompt");
  g_assert_null (seedream_error_get_server_message (error));
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 0);
  g_assert_cmpuint (seedream_error_get_retry_after (error), ==, 0);
  g_assert_false (seedream_error_is_transient (error));
}

static void
test_error_other_domains (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  /* No critical for a foreign domain: just nothing. */
  g_assert_null (seedream_error_get_server_message (error));
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 0);
  g_assert_cmpuint (seedream_error_get_retry_after (error), ==, 0);
  g_assert_false (seedream_error_is_transient (error));
  g_assert_null (seedream_error_get_server_message (NULL));
  g_assert_false (seedream_error_is_transient (NULL));
}

static void
test_error_status_authentication (void)
{
  guint statuses[] = { 401, 403 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = seedream_error_new_for_status (statuses[i], NULL);

      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION);
      g_assert_cmpuint (seedream_error_get_http_status (error), ==, statuses[i]);
      assert_contains (error->message, "API key");
      assert_contains (error->message, "Preferences");
      g_assert_false (seedream_error_is_transient (error));
    }
}

static void
test_error_status_rate_limited (void)
{
  g_autoptr(GError) seconds = seedream_error_new_for_status (429, "30");
  g_autoptr(GError) one = seedream_error_new_for_status (429, "1");
  g_autoptr(GError) none = seedream_error_new_for_status (429, NULL);
  g_autoptr(GError) garbage = seedream_error_new_for_status (429, "soon");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GError) dated = NULL;

  g_assert_error (seconds, SEEDREAM_ERROR, SEEDREAM_ERROR_RATE_LIMITED);
  g_assert_cmpuint (seedream_error_get_retry_after (seconds), ==, 30);
  g_assert_cmpuint (seedream_error_get_http_status (seconds), ==, 429);
  g_assert_cmpstr (seconds->message, ==,
                   "The service is busy with too many requests. Try again in 30 seconds.");
  g_assert_true (seedream_error_is_transient (seconds));

  assert_contains (one->message, "1 second.");
  g_assert_cmpuint (seedream_error_get_retry_after (one), ==, 1);

  g_assert_error (none, SEEDREAM_ERROR, SEEDREAM_ERROR_RATE_LIMITED);
  g_assert_cmpuint (seedream_error_get_retry_after (none), ==, 0);
  assert_contains (none->message, "Try again in a minute");

  g_assert_error (garbage, SEEDREAM_ERROR, SEEDREAM_ERROR_RATE_LIMITED);
  g_assert_cmpuint (seedream_error_get_retry_after (garbage), ==, 0);

  /* An HTTP date about two minutes ahead. */
  later = g_date_time_add_seconds (now, 120);
  date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  dated = seedream_error_new_for_status (429, date);
  g_assert_error (dated, SEEDREAM_ERROR, SEEDREAM_ERROR_RATE_LIMITED);
  g_assert_cmpuint (seedream_error_get_retry_after (dated), >=, 100);
  g_assert_cmpuint (seedream_error_get_retry_after (dated), <=, 121);
}

static void
test_error_status_http (void)
{
  struct {
    guint status;
    const char *phrase;
    gboolean transient;
  } cases[] = {
    { 500, "500 Internal Server Error", TRUE },
    { 502, "502 Bad Gateway", TRUE },
    { 503, "503 Service Unavailable", TRUE },
    { 504, "504 Gateway Timeout", TRUE },
    { 408, "408 Request Timeout", TRUE },
    { 400, "400 Bad Request", FALSE },
    { 404, "404 Not Found", FALSE },
    { 413, "413 Request Entity Too Large", FALSE },
    { 302, "302 Found", FALSE },
    { 418, "418", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = seedream_error_new_for_status (cases[i].status, NULL);

      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
      g_assert_cmpuint (seedream_error_get_http_status (error), ==, cases[i].status);
      assert_contains (error->message, cases[i].phrase);
      g_assert_cmpint (seedream_error_is_transient (error), ==, cases[i].transient);
      /* A sentence telling what to do, not only a number. */
      g_assert_cmpuint (strlen (error->message), >, 40);
    }

  {
    g_autoptr(GError) error = seedream_error_new_for_status (502, NULL);

    g_assert_cmpstr (error->message, ==, "The service answered 502 Bad Gateway. Try again in a moment.");
  }
  {
    g_autoptr(GError) error = seedream_error_new_for_status (413, NULL);

    assert_contains (error->message, "smaller source images");
  }
}

static void
test_error_download_status (void)
{
  g_autoptr(GError) gone = seedream_error_new_for_download_status (404);
  g_autoptr(GError) busy = seedream_error_new_for_download_status (503);

  g_assert_error (gone, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  g_assert_cmpuint (seedream_error_get_http_status (gone), ==, 404);
  assert_contains (gone->message, "404 Not Found");
  assert_contains (gone->message, "no longer available");

  g_assert_error (busy, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  assert_contains (busy->message, "503 Service Unavailable");
  g_assert_true (seedream_error_is_transient (busy));
}

static void
test_error_retry_after_parse (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 30, 12, 0, 0);
  struct {
    const char *value;
    guint expected;
  } cases[] = {
    { "120", 120 },
    { " 5 ", 5 },
    { "0", 0 },
    { "", 0 },
    { "   ", 0 },
    { "abc", 0 },
    { "-1", 0 },
    { "12abc", 0 },
    { "1.5", 0 },
    { "99999999999999999999999", 24 * 60 * 60 },
    { "Fri, 30 Jan 2026 12:00:45 GMT", 45 },
    { "Fri, 30 Jan 2026 12:10:00 GMT", 600 },
    { "Fri, 30 Jan 2026 11:00:00 GMT", 0 },
    { "Fri, 30 Jan 2099 11:00:00 GMT", 24 * 60 * 60 },
    { "yesterday", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("Retry-After: “%s”", cases[i].value);
      g_assert_cmpuint (seedream_error_parse_retry_after (cases[i].value, now), ==, cases[i].expected);
    }

  g_assert_cmpuint (seedream_error_parse_retry_after (NULL, now), ==, 0);
}

static void
test_error_transport (void)
{
  const char *host = "api.tensorslab.com";

  {
    g_autoptr(GError) source = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    g_autoptr(GError) error = seedream_error_new_for_transport (source, host);

    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);
    g_assert_false (seedream_error_is_transient (error));
  }
  {
    g_autoptr(GError) source = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Socket I/O timed out");
    g_autoptr(GError) error = seedream_error_new_for_transport (source, host);

    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TIMEOUT);
    assert_contains (error->message, host);
    assert_contains (error->message, "in time");
    g_assert_true (seedream_error_is_transient (error));
  }
  {
    g_autoptr(GError) source = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused");
    g_autoptr(GError) error = seedream_error_new_for_transport (source, host);

    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NETWORK);
    g_assert_cmpstr (error->message, ==,
                     "Could not reach api.tensorslab.com: Connection refused. Check your connection.");
    g_assert_true (seedream_error_is_transient (error));
  }
  {
    g_autoptr(GError) source = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "Name or service not known");
    g_autoptr(GError) error = seedream_error_new_for_transport (source, host);

    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NETWORK);
    assert_contains (error->message, host);
    assert_contains (error->message, "Name or service not known");
  }
  {
    g_autoptr(GError) source = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "Unacceptable TLS certificate");
    g_autoptr(GError) error = seedream_error_new_for_transport (source, host);

    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NETWORK);
    assert_contains (error->message, host);
    assert_contains (error->message, "Unacceptable TLS certificate");
  }
  {
    g_autoptr(GError) source = g_error_new_literal (SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING, "Could not parse HTTP response");
    g_autoptr(GError) error = seedream_error_new_for_transport (source, host);

    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
    assert_contains (error->message, "does not understand");
  }
  {
    g_autoptr(GError) source = seedream_error_new_for_status (429, "7");
    g_autoptr(GError) error = seedream_error_new_for_transport (source, host);

    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_RATE_LIMITED);
    g_assert_cmpuint (seedream_error_get_retry_after (error), ==, 7);
  }
  {
    g_autoptr(GError) source = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "");
    g_autoptr(GError) error = seedream_error_new_for_transport (source, NULL);

    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NETWORK);
    assert_contains (error->message, "the service");
  }
}

static void
test_error_codes (void)
{
  g_autoptr(GError) credits = seedream_error_new_for_code (9000, "Insufficient credits", TRUE);
  g_autoptr(GError) failure = seedream_error_new_for_code (9999, "prompt is required", TRUE);
  g_autoptr(GError) odd = seedream_error_new_for_code (1234, "\tsomething\n\nodd\x01 ", TRUE);
  g_autoptr(GError) silent = seedream_error_new_for_code (9999, NULL, TRUE);
  g_autoptr(GError) query = seedream_error_new_for_code (9999, "busy", FALSE);
  g_autoptr(GError) blank = seedream_error_new_for_code (4321, "   ", FALSE);

  g_assert_error (credits, SEEDREAM_ERROR, SEEDREAM_ERROR_INSUFFICIENT_CREDITS);
  g_assert_cmpstr (credits->message, ==,
                   "Your TensorsLab account has run out of credits. Top it up, then try again.");
  g_assert_cmpstr (seedream_error_get_server_message (credits), ==, "Insufficient credits");
  g_assert_false (seedream_error_is_transient (credits));

  g_assert_error (failure, SEEDREAM_ERROR, SEEDREAM_ERROR_SERVER_FAILURE);
  g_assert_cmpstr (failure->message, ==, "The service could not create the task: prompt is required");
  g_assert_cmpstr (seedream_error_get_server_message (failure), ==, "prompt is required");
  g_assert_true (seedream_error_is_transient (failure));

  g_assert_error (odd, SEEDREAM_ERROR, SEEDREAM_ERROR_SERVER_FAILURE);
  g_assert_cmpstr (seedream_error_get_server_message (odd), ==, "something odd");

  g_assert_error (silent, SEEDREAM_ERROR, SEEDREAM_ERROR_SERVER_FAILURE);
  g_assert_null (seedream_error_get_server_message (silent));
  assert_contains (silent->message, "gave no reason");
  assert_contains (silent->message, "9999");

  g_assert_error (query, SEEDREAM_ERROR, SEEDREAM_ERROR_SERVER_FAILURE);
  assert_contains (query->message, "busy");
  assert_contains (query->message, "report on the task");

  g_assert_error (blank, SEEDREAM_ERROR, SEEDREAM_ERROR_SERVER_FAILURE);
  g_assert_null (seedream_error_get_server_message (blank));
  assert_contains (blank->message, "4321");
}

static void
test_error_bad_response_and_task_failed (void)
{
  g_autoptr(GError) bad = seedream_error_new_bad_response ("the answer was empty");
  g_autoptr(GError) failed = seedream_error_new_task_failed ("content policy");
  g_autoptr(GError) failed_silent = seedream_error_new_task_failed (NULL);

  g_assert_error (bad, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
  g_assert_true (g_str_has_prefix (bad->message,
                                   "The service sent an answer this app does not understand (the answer was empty)."));
  g_assert_false (seedream_error_is_transient (bad));

  g_assert_error (failed, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  g_assert_cmpstr (failed->message, ==, "The service could not generate the images: content policy");
  g_assert_cmpstr (seedream_error_get_server_message (failed), ==, "content policy");
  g_assert_false (seedream_error_is_transient (failed));

  g_assert_error (failed_silent, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  assert_contains (failed_silent->message, "gave no reason");
}

static void
test_error_clean_server_message (void)
{
  g_autofree char *long_text = g_strnfill (1000, 'x');
  g_autofree char *cut = seedream_error_clean_server_message (long_text);
  g_autofree char *controls = seedream_error_clean_server_message ("a\x1b[31mb\r\nc\t\td\x7f");
  g_autofree char *invalid = seedream_error_clean_server_message ("ok \xff\xfe done");
  g_autofree char *empty = seedream_error_clean_server_message (" \n\t ");
  g_autofree char *unicode = seedream_error_clean_server_message ("  提示词不能为空  ");

  g_assert_cmpuint (g_utf8_strlen (cut, -1), ==, 301);
  g_assert_true (g_str_has_suffix (cut, "…"));
  g_assert_cmpstr (controls, ==, "a [31mb c d");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "ok "));
  g_assert_true (g_str_has_suffix (invalid, " done"));
  g_assert_null (empty);
  g_assert_null (seedream_error_clean_server_message (NULL));
  g_assert_cmpstr (unicode, ==, "提示词不能为空");
}

static void
test_error_transient_table (void)
{
  struct {
    SeedreamError code;
    guint status;
    gboolean transient;
  } cases[] = {
    { SEEDREAM_ERROR_INVALID_INPUT, 0, FALSE },
    { SEEDREAM_ERROR_AUTHENTICATION, 401, FALSE },
    { SEEDREAM_ERROR_INSUFFICIENT_CREDITS, 0, FALSE },
    { SEEDREAM_ERROR_SERVER_FAILURE, 0, TRUE },
    { SEEDREAM_ERROR_RATE_LIMITED, 429, TRUE },
    { SEEDREAM_ERROR_HTTP, 503, TRUE },
    { SEEDREAM_ERROR_HTTP, 404, FALSE },
    { SEEDREAM_ERROR_HTTP, 0, FALSE },
    { SEEDREAM_ERROR_NETWORK, 0, TRUE },
    { SEEDREAM_ERROR_TIMEOUT, 0, TRUE },
    { SEEDREAM_ERROR_BAD_RESPONSE, 0, FALSE },
    { SEEDREAM_ERROR_CANCELLED, 0, FALSE },
    { SEEDREAM_ERROR_INSECURE_URL, 0, FALSE },
    { SEEDREAM_ERROR_TASK_FAILED, 0, FALSE },
    { SEEDREAM_ERROR_SAVE_FAILED, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = seedream_error_new_full (cases[i].code, cases[i].status, 0, NULL, "x");

      g_test_message ("code %d status %u", cases[i].code, cases[i].status);
      g_assert_cmpint (seedream_error_is_transient (error), ==, cases[i].transient);
    }
}

/* While a task is followed, loose answers are temporary too: one that does
 * not parse or lacks fields, and every code other than 1000 (9000 too). A
 * refused key, a 404, a finished task are not. */
static void
test_error_temporary_while_following (void)
{
  struct {
    SeedreamError code;
    guint status;
    gboolean temporary;
  } cases[] = {
    { SEEDREAM_ERROR_BAD_RESPONSE, 0, TRUE },
    { SEEDREAM_ERROR_INSUFFICIENT_CREDITS, 0, TRUE },
    { SEEDREAM_ERROR_SERVER_FAILURE, 0, TRUE },
    { SEEDREAM_ERROR_NETWORK, 0, TRUE },
    { SEEDREAM_ERROR_HTTP, 503, TRUE },
    { SEEDREAM_ERROR_AUTHENTICATION, 401, FALSE },
    { SEEDREAM_ERROR_HTTP, 404, FALSE },
    { SEEDREAM_ERROR_CANCELLED, 0, FALSE },
    { SEEDREAM_ERROR_TASK_FAILED, 0, FALSE },
    { SEEDREAM_ERROR_NO_IMAGES, 0, FALSE },
    { SEEDREAM_ERROR_INVALID_INPUT, 0, FALSE },
  };
  g_autoptr(GError) credits = seedream_error_new_for_code (9000, "insufficient credits", FALSE);
  g_autoptr(GError) empty = seedream_error_new_bad_response ("the answer had no task id");
  g_autoptr(GError) no_images = seedream_error_new_no_images ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = seedream_error_new_full (cases[i].code, cases[i].status, 0, NULL, "x");

      g_test_message ("code %d status %u", cases[i].code, cases[i].status);
      g_assert_cmpint (seedream_error_is_temporary_while_following (error), ==, cases[i].temporary);
    }

  g_assert_true (seedream_error_is_temporary_while_following (credits));
  g_assert_true (seedream_error_is_temporary_while_following (empty));
  g_assert_false (seedream_error_is_temporary_while_following (NULL));

  /* In words, with the likely reason, and not "failed". */
  g_assert_error (no_images, SEEDREAM_ERROR, SEEDREAM_ERROR_NO_IMAGES);
  g_assert_nonnull (strstr (no_images->message, "without any images"));
  g_assert_nonnull (strstr (no_images->message, "refused the prompt or a source image"));
  g_assert_null (strstr (no_images->message, "fail"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/error/extended-fields", test_error_extended_fields);
  g_test_add_func ("/seedream/error/plain-set-error", test_error_plain_set_error);
  g_test_add_func ("/seedream/error/other-domains", test_error_other_domains);
  g_test_add_func ("/seedream/error/status/authentication", test_error_status_authentication);
  g_test_add_func ("/seedream/error/status/rate-limited", test_error_status_rate_limited);
  g_test_add_func ("/seedream/error/status/http", test_error_status_http);
  g_test_add_func ("/seedream/error/status/download", test_error_download_status);
  g_test_add_func ("/seedream/error/retry-after", test_error_retry_after_parse);
  g_test_add_func ("/seedream/error/transport", test_error_transport);
  g_test_add_func ("/seedream/error/codes", test_error_codes);
  g_test_add_func ("/seedream/error/bad-response-and-task-failed", test_error_bad_response_and_task_failed);
  g_test_add_func ("/seedream/error/clean-server-message", test_error_clean_server_message);
  g_test_add_func ("/seedream/error/transient", test_error_transient_table);
  g_test_add_func ("/seedream/error/temporary-while-following", test_error_temporary_while_following);

  return g_test_run ();
}
