/* test-response.c: parsing the service's answers, every envelope case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-response.h"
#include "seedream-task-info.h"

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static char *
submit_of (const char  *text,
           GError     **error)
{
  g_autoptr(GBytes) body = bytes_of (text);

  return seedream_response_parse_submit (body, error);
}

static SeedreamTaskInfo *
info_of (const char  *text,
         GError     **error)
{
  g_autoptr(GBytes) body = bytes_of (text);

  return seedream_response_parse_task_info (body, error);
}

static void
test_response_submit_success (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *with_url = NULL;

  id = submit_of ("{\"code\":1000,\"msg\":\"Task created successfully\","
                  "\"data\":{\"taskid\":\"abcd_1234567890abcdef\"}}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "abcd_1234567890abcdef");

  /* data.url "returned by some interfaces", extra members, no msg. */
  with_url = submit_of ("  {\"data\":{\"url\":\"https://x/y.png\",\"taskid\":\"t-1\",\"more\":[1,2]},"
                        "\"code\":1000, \"extra\":null}\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (with_url, ==, "t-1");
}

static void
test_response_submit_codes (void)
{
  struct {
    const char *body;
    SeedreamError code;
    const char *server_message;
  } cases[] = {
    { "{\"code\":9000,\"msg\":\"Insufficient credits\",\"data\":null}",
      SEEDREAM_ERROR_INSUFFICIENT_CREDITS, "Insufficient credits" },
    { "{\"code\":9999,\"msg\":\"prompt is required\",\"data\":{}}",
      SEEDREAM_ERROR_SERVER_FAILURE, "prompt is required" },
    { "{\"code\":9999}",
      SEEDREAM_ERROR_SERVER_FAILURE, NULL },
    { "{\"code\":1234,\"msg\":\"odd\"}",
      SEEDREAM_ERROR_SERVER_FAILURE, "odd" },
    { "{\"code\":-1,\"msg\":42}",
      SEEDREAM_ERROR_SERVER_FAILURE, NULL },
    /* A failure code wins over a task id. */
    { "{\"code\":9999,\"msg\":\"no\",\"data\":{\"taskid\":\"t\"}}",
      SEEDREAM_ERROR_SERVER_FAILURE, "no" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;

      g_test_message ("%s", cases[i].body);
      id = submit_of (cases[i].body, &error);
      g_assert_null (id);
      g_assert_error (error, SEEDREAM_ERROR, (gint) cases[i].code);
      g_assert_cmpstr (seedream_error_get_server_message (error), ==, cases[i].server_message);
      if (cases[i].server_message != NULL && cases[i].code == SEEDREAM_ERROR_SERVER_FAILURE)
        g_assert_nonnull (strstr (error->message, cases[i].server_message));
    }
}

static void
test_response_submit_bad (void)
{
  const char *bodies[] = {
    "",
    " ",
    "not json",
    "<html><body>502 Bad Gateway</body></html>",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\"}",
    "[1000]",
    "\"hello\"",
    "1000",
    "null",
    "{}",
    "{\"msg\":\"ok\",\"data\":{\"taskid\":\"t\"}}",
    "{\"code\":\"1000\",\"data\":{\"taskid\":\"t\"}}",
    "{\"code\":1000.0,\"data\":{\"taskid\":\"t\"}}",
    "{\"code\":true,\"data\":{\"taskid\":\"t\"}}",
    "{\"code\":null,\"data\":{\"taskid\":\"t\"}}",
    "{\"code\":{},\"data\":{\"taskid\":\"t\"}}",
    "{\"code\":1000}",
    "{\"code\":1000,\"data\":null}",
    "{\"code\":1000,\"data\":[]}",
    "{\"code\":1000,\"data\":\"t\"}",
    "{\"code\":1000,\"data\":{}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":null}}",
    "{\"code\":1000,\"data\":{\"taskid\":12345}}",
    "{\"code\":1000,\"data\":{\"taskid\":[\"t\"]}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"a b\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"a\\nb\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"../../etc\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\\u202e\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"\xff\xfe\"}}",
    /* Several top-level values: json-glib makes an array of them. (The
     * immutable JsonParser asserted on these; found by fuzzing.) */
    "[][[]][[]]",
    "0{\"code\":1000,\"data\":{\"taskid\":\"t\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\"}} {\"code\":1000,\"data\":{\"taskid\":\"u\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\"}}x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      g_autofree char *escaped = g_strescape (bodies[i], NULL);

      g_test_message ("%s", escaped);
      id = submit_of (bodies[i], &error);
      g_assert_null (id);
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, "does not understand"));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *id = seedream_response_parse_submit (NULL, &error);

    g_assert_null (id);
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *id = submit_of ("<!DOCTYPE html><p>Oops</p>", &error);

    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
    g_assert_nonnull (strstr (error->message, "web page"));
  }
  {
    /* A NUL inside the bytes. */
    static const char with_nul[] = "{\"code\":1000,\0\"data\":{\"taskid\":\"t\"}}";
    g_autoptr(GBytes) body = g_bytes_new_static (with_nul, sizeof with_nul - 1);
    g_autoptr(GError) error = NULL;
    g_autofree char *id = seedream_response_parse_submit (body, &error);

    g_assert_null (id);
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
  }
}

static void
test_response_task_id_length (void)
{
  g_autofree char *ok_id = g_strnfill (200, 'a');
  g_autofree char *long_id = g_strnfill (201, 'a');
  g_autofree char *ok_body = g_strdup_printf ("{\"code\":1000,\"data\":{\"taskid\":\"%s\"}}", ok_id);
  g_autofree char *long_body = g_strdup_printf ("{\"code\":1000,\"data\":{\"taskid\":\"%s\"}}", long_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *parsed = NULL;
  g_autofree char *refused = NULL;

  parsed = submit_of (ok_body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed, ==, ok_id);

  refused = submit_of (long_body, &error);
  g_assert_null (refused);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);

  g_assert_true (seedream_response_is_valid_task_id ("abcd_1234567890abcdef"));
  g_assert_true (seedream_response_is_valid_task_id ("任务-1"));
  g_assert_false (seedream_response_is_valid_task_id (NULL));
  g_assert_false (seedream_response_is_valid_task_id (""));
  g_assert_false (seedream_response_is_valid_task_id ("a/b"));
  g_assert_false (seedream_response_is_valid_task_id ("a\\b"));
  g_assert_false (seedream_response_is_valid_task_id ("a\tb"));
  /* Folder names that are no folder of their own. */
  g_assert_false (seedream_response_is_valid_task_id ("."));
  g_assert_false (seedream_response_is_valid_task_id (".."));
  g_assert_true (seedream_response_is_valid_task_id ("..."));
  g_assert_true (seedream_response_is_valid_task_id (".a"));

  /* Refused as a bad answer, at submit and while following. */
  g_clear_pointer (&refused, g_free);
  g_clear_error (&error);
  refused = submit_of ("{\"code\":1000,\"data\":{\"taskid\":\"..\"}}", &error);
  g_assert_null (refused);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
}

/* The cap: a valid answer padded to exactly the cap is read; one byte more
 * is refused before parsing. */
/* A non-2xx answer whose body is the envelope: its code and msg win. */
static void
test_response_refusal (void)
{
  static const struct {
    guint         status;
    const char   *body;
    SeedreamError code;
    const char   *words;
    const char   *server_message;
  } cases[] = {
    { 402, "{\"code\":9000,\"msg\":\"Insufficient credits\"}", SEEDREAM_ERROR_INSUFFICIENT_CREDITS, "credits", "Insufficient credits" },
    { 403, "{\"code\":9000,\"msg\":\"Insufficient credits\"}", SEEDREAM_ERROR_INSUFFICIENT_CREDITS, "credits", "Insufficient credits" },
    { 400, "{\"code\":9999,\"msg\":\"prompt refused by moderation\",\"data\":{}}", SEEDREAM_ERROR_INVALID_INPUT, "prompt refused by moderation", "prompt refused by moderation" },
    { 422, "{\"code\":9999}", SEEDREAM_ERROR_INVALID_INPUT, "no reason", NULL },
    /* Statuses that speak for themselves keep their meaning, with the msg. */
    { 401, "{\"code\":9999,\"msg\":\"bad key\"}", SEEDREAM_ERROR_AUTHENTICATION, "API key", "bad key" },
    { 403, "{\"code\":9999,\"msg\":\"no model\"}", SEEDREAM_ERROR_AUTHENTICATION, "API key", "no model" },
    { 503, "{\"code\":9999,\"msg\":\"busy\"}", SEEDREAM_ERROR_HTTP, "503", "busy" },
    /* What does not parse leaves today's messages. */
    { 400, "<html>Bad Request</html>", SEEDREAM_ERROR_HTTP, "400 Bad Request", NULL },
    { 402, "{\"code\":9000,\"msg\":", SEEDREAM_ERROR_HTTP, "402", NULL },
    { 400, "{\"code\":\"9000\"}", SEEDREAM_ERROR_HTTP, "400", NULL },
    { 400, "", SEEDREAM_ERROR_HTTP, "400", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = bytes_of (cases[i].body);
      g_autoptr(GError) error = seedream_response_error_for_status (cases[i].status, NULL, body, TRUE);

      g_test_message ("%u %s: %s", cases[i].status, cases[i].body, error->message);
      g_assert_error (error, SEEDREAM_ERROR, (gint) cases[i].code);
      g_assert_cmpuint (seedream_error_get_http_status (error), ==, cases[i].status);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_cmpstr (seedream_error_get_server_message (error), ==, cases[i].server_message);
    }

  /* 9000 without data, with 200, is out of credits too. */
  {
    g_autoptr(GBytes) body = bytes_of ("{\"code\":9000,\"msg\":\"Insufficient credits\"}");
    g_autoptr(GError) error = NULL;
    g_autofree char *task_id = seedream_response_parse_submit (body, &error);

    g_assert_null (task_id);
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INSUFFICIENT_CREDITS);
  }

  /* A body over the cap is not parsed, even if it is the envelope. */
  {
    g_autoptr(GString) big = g_string_new ("{\"code\":9000,\"msg\":\"");
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    while (big->len < SEEDREAM_RESPONSE_ERROR_BODY_MAX)
      g_string_append (big, "xxxxxxxxxxxxxxxx");
    g_string_append (big, "\"}");
    body = g_bytes_new (big->str, big->len);
    error = seedream_response_error_for_status (402, NULL, body, TRUE);
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  }
}

static void
test_response_size_cap (void)
{
  const char *json = "{\"code\":1000,\"data\":{\"taskid\":\"capped\"}}";
  gsize json_len = strlen (json);
  g_autofree char *buffer = g_malloc (SEEDREAM_RESPONSE_MAX_SIZE + 1);
  g_autoptr(GBytes) at_cap = NULL;
  g_autoptr(GBytes) over_cap = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *refused = NULL;

  memset (buffer, ' ', SEEDREAM_RESPONSE_MAX_SIZE + 1);
  memcpy (buffer, json, json_len);

  at_cap = g_bytes_new (buffer, SEEDREAM_RESPONSE_MAX_SIZE);
  id = seedream_response_parse_submit (at_cap, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "capped");

  over_cap = g_bytes_new (buffer, SEEDREAM_RESPONSE_MAX_SIZE + 1);
  refused = seedream_response_parse_submit (over_cap, &error);
  g_assert_null (refused);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
}

static void
test_response_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"code\":1000,\"data\":{\"taskid\":\"t\",\"x\":");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}}");

  id = submit_of (deep->str, &error);
  g_assert_null (id);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
}

static void
test_response_task_states (void)
{
  struct {
    const char *body;
    gint64 image_status;
    SeedreamTaskState state;
  } cases[] = {
    { "{\"code\":1000,\"msg\":\"ok\",\"data\":{\"taskid\":\"t1\",\"image_status\":1}}",
      1, SEEDREAM_TASK_STATE_QUEUED },
    { "{\"code\":1000,\"data\":{\"taskid\":\"t1\",\"image_status\":2,\"url\":[]}}",
      2, SEEDREAM_TASK_STATE_RUNNING },
    { "{\"code\":1000,\"data\":{\"taskid\":\"t1\",\"image_status\":7,\"url\":null}}",
      7, SEEDREAM_TASK_STATE_RUNNING },
    { "{\"code\":1000,\"data\":{\"taskid\":\"t1\",\"image_status\":0}}",
      0, SEEDREAM_TASK_STATE_RUNNING },
    { "{\"code\":1000,\"data\":{\"taskid\":\"t1\",\"image_status\":-5}}",
      -5, SEEDREAM_TASK_STATE_RUNNING },
    { "{\"code\":1000,\"data\":{\"taskid\":\"t1\",\"image_status\":\"2\"}}",
      2, SEEDREAM_TASK_STATE_RUNNING },
    { "{\"code\":1000,\"data\":{\"taskid\":\"t1\",\"image_status\":4,\"error_message\":\"content policy\"}}",
      4, SEEDREAM_TASK_STATE_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamTaskInfo) info = NULL;

      g_test_message ("%s", cases[i].body);
      info = info_of (cases[i].body, &error);
      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpstr (seedream_task_info_get_task_id (info), ==, "t1");
      g_assert_cmpint (seedream_task_info_get_image_status (info), ==, cases[i].image_status);
      g_assert_cmpint (seedream_task_info_get_state (info), ==, cases[i].state);
      g_assert_nonnull (seedream_task_info_get_urls (info));
      g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, 0);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SeedreamTaskInfo) info = info_of (cases[G_N_ELEMENTS (cases) - 1].body, &error);

    g_assert_cmpstr (seedream_task_info_get_error_message (info), ==, "content policy");
  }
}

static void
test_response_task_done (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamTaskInfo) info = NULL;
  const char * const *urls;
  GDateTime *start;

  info = info_of ("{\"code\":1000,\"msg\":\"ok\",\"data\":{"
                  "\"taskid\":\"abcd_1\",\"starttime\":\"2026-01-30 12:34:56\","
                  "\"url\":[\"https://files.example.com/a/0.png\",\"http://127.0.0.1:8080/files/a/1.png\"],"
                  "\"image_status\":3,\"width\":2048,\"height\":1152,"
                  "\"category\":\"seedreamv45\",\"prompt\":\"a cat\",\"origseed\":42}}",
                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_task_info_get_state (info), ==, SEEDREAM_TASK_STATE_DONE);
  g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, 2);
  urls = seedream_task_info_get_urls (info);
  g_assert_cmpstr (urls[0], ==, "https://files.example.com/a/0.png");
  g_assert_cmpstr (urls[1], ==, "http://127.0.0.1:8080/files/a/1.png");
  g_assert_null (urls[2]);
  g_assert_cmpuint (seedream_task_info_get_width (info), ==, 2048);
  g_assert_cmpuint (seedream_task_info_get_height (info), ==, 1152);
  g_assert_null (seedream_task_info_get_error_message (info));
  g_assert_cmpstr (seedream_task_info_get_start_time_string (info), ==, "2026-01-30 12:34:56");

  /* The service's local time, UTC+8, whatever our zone (main() sets one
   * far from it): 12:34:56 there is 04:34:56 UTC. */
  start = seedream_task_info_get_start_time (info);
  g_assert_nonnull (start);
  g_assert_cmpint (g_date_time_get_utc_offset (start), ==, 8 * G_TIME_SPAN_HOUR);
  {
    g_autoptr(GDateTime) expected = g_date_time_new_utc (2026, 1, 30, 4, 34, 56);

    g_assert_cmpint (g_date_time_to_unix (start), ==, g_date_time_to_unix (expected));
  }
  g_assert_cmpint (g_date_time_get_year (start), ==, 2026);
  g_assert_cmpint (g_date_time_get_month (start), ==, 1);
  g_assert_cmpint (g_date_time_get_day_of_month (start), ==, 30);
  g_assert_cmpint (g_date_time_get_hour (start), ==, 12);
  g_assert_cmpint (g_date_time_get_minute (start), ==, 34);
  g_assert_cmpint (g_date_time_get_second (start), ==, 56);
}

/* Status 3 with no url, an empty list, "" or null: finished without
 * images, an answer like any other (the follower makes it an outcome of
 * its own), not a bad answer. */
static void
test_response_task_done_without_images (void)
{
  const char *bodies[] = {
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":3}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":3,\"url\":[]}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":3,\"url\":\"\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":\"3\",\"url\":null,"
    "\"starttime\":\"2026-01-30 12:00:00\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamTaskInfo) info = NULL;

      g_test_message ("%s", bodies[i]);
      info = info_of (bodies[i], &error);
      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpint (seedream_task_info_get_state (info), ==, SEEDREAM_TASK_STATE_DONE);
      g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, 0);
      g_assert_null (seedream_task_info_get_urls (info)[0]);
    }
}

/* A failed task may come with only taskid, image_status and
 * error_message: no url, starttime, width or height. */
static void
test_response_task_failed_bare (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamTaskInfo) info = NULL;

  info = info_of ("{\"code\":1000,\"msg\":\"Successfully\",\"data\":{\"taskid\":\"t\",\"image_status\":4,"
                  "\"error_message\":\"source image rejected by the safety check\"}}",
                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_task_info_get_state (info), ==, SEEDREAM_TASK_STATE_FAILED);
  g_assert_cmpstr (seedream_task_info_get_error_message (info), ==, "source image rejected by the safety check");
  g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, 0);
  g_assert_null (seedream_task_info_get_start_time (info));
  g_assert_cmpuint (seedream_task_info_get_width (info), ==, 0);
  g_assert_cmpuint (seedream_task_info_get_height (info), ==, 0);
}

static void
test_response_task_urls (void)
{
  struct {
    const char *url_json;
    guint n_urls;
    const char *first;
  } cases[] = {
    /* A single string is tolerated. */
    { "\"https://h/one.png\"", 1, "https://h/one.png" },
    /* Non-strings, empty strings and non-web URLs are skipped. */
    { "[1, null, {\"u\":\"https://h/x.png\"}, [\"https://h/y.png\"], \"\", \"ftp://h/z.png\","
      " \"file:///etc/passwd\", \"not a url\", \"https://h/ok.png\", true]", 1, "https://h/ok.png" },
    { "[\"HTTPS://H/UP.PNG\", \"https://h/2.png\"]", 2, "HTTPS://H/UP.PNG" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":3,\"url\":%s}}",
                                               cases[i].url_json);
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamTaskInfo) info = NULL;

      g_test_message ("%s", body);
      info = info_of (body, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, cases[i].n_urls);
      g_assert_cmpstr (seedream_task_info_get_urls (info)[0], ==, cases[i].first);
    }

  /* More URLs than any batch: the rest are ignored. */
  {
    g_autoptr(GString) body = g_string_new ("{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":3,\"url\":[");
    g_autoptr(GError) error = NULL;
    g_autoptr(SeedreamTaskInfo) info = NULL;

    for (guint i = 0; i < 200; i++)
      g_string_append_printf (body, "%s\"https://h/%u.png\"", i > 0 ? "," : "", i);
    g_string_append (body, "]}}");

    info = info_of (body->str, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, SEEDREAM_RESPONSE_MAX_URLS);
    g_assert_cmpstr (seedream_task_info_get_urls (info)[SEEDREAM_RESPONSE_MAX_URLS - 1], ==, "https://h/63.png");
  }

  /* An object where the list should be: ignored while running. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SeedreamTaskInfo) info = info_of ("{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":2,\"url\":{}}}",
                                                &error);

    g_assert_no_error (error);
    g_assert_cmpuint (seedream_task_info_get_n_urls (info), ==, 0);
  }
}

static void
test_response_task_lenient_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamTaskInfo) info = NULL;

  info = info_of ("{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":2,"
                  "\"width\":\"1024\",\"height\":-3,\"starttime\":\"yesterday\",\"error_message\":5}}",
                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seedream_task_info_get_width (info), ==, 0);
  g_assert_cmpuint (seedream_task_info_get_height (info), ==, 0);
  g_assert_cmpstr (seedream_task_info_get_start_time_string (info), ==, "yesterday");
  g_assert_null (seedream_task_info_get_start_time (info));
  g_assert_null (seedream_task_info_get_error_message (info));
}

static void
test_response_task_bad (void)
{
  const char *bodies[] = {
    "",
    "<html></html>",
    "{\"code\":1000}",
    "{\"code\":1000,\"data\":{\"image_status\":2}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"\",\"image_status\":2}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":null}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":2.5}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":true}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":\"done\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":\"-1\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":\"\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":[3]}}",
    /* Done with a list of which no entry is usable (done with none at
     * all is its own outcome: see task/done-without-images). */
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":3,\"url\":[42,\"ftp://x/y\"]}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":3,\"url\":\"ftp://x/y\"}}",
    "0{\"code\":1000,\"data\":{\"taskid\":\"abcd_1\",\"image_s6tatus\":\"3\",\"url\":\"https://h/one.png\"}}",
    "{\"code\":1000,\"data\":{\"taskid\":\"t\",\"image_status\":1}}[]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamTaskInfo) info = NULL;

      g_test_message ("%s", bodies[i]);
      info = info_of (bodies[i], &error);
      g_assert_null (info);
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
    }
}

static void
test_response_task_codes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autoptr(SeedreamTaskInfo) credits = NULL;

  info = info_of ("{\"code\":9999,\"msg\":\"task not found\",\"data\":null}", &error);
  g_assert_null (info);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_SERVER_FAILURE);
  g_assert_cmpstr (seedream_error_get_server_message (error), ==, "task not found");
  g_assert_nonnull (strstr (error->message, "task not found"));
  g_assert_true (seedream_error_is_transient (error));
  g_clear_error (&error);

  credits = info_of ("{\"code\":9000,\"msg\":\"no credits\"}", &error);
  g_assert_null (credits);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INSUFFICIENT_CREDITS);
}

static void
test_task_state_mapping (void)
{
  struct {
    gint64 image_status;
    SeedreamTaskState state;
    const char *name;
  } cases[] = {
    { 1, SEEDREAM_TASK_STATE_QUEUED, "queued" },
    { 2, SEEDREAM_TASK_STATE_RUNNING, "running" },
    { 3, SEEDREAM_TASK_STATE_DONE, "done" },
    { 4, SEEDREAM_TASK_STATE_FAILED, "failed" },
    { 0, SEEDREAM_TASK_STATE_RUNNING, "running" },
    { 5, SEEDREAM_TASK_STATE_RUNNING, "running" },
    { -1, SEEDREAM_TASK_STATE_RUNNING, "running" },
    { G_MAXINT64, SEEDREAM_TASK_STATE_RUNNING, "running" },
    { G_MININT64, SEEDREAM_TASK_STATE_RUNNING, "running" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SeedreamTaskState state = seedream_task_state_from_image_status (cases[i].image_status);

      g_assert_cmpint (state, ==, cases[i].state);
      g_assert_cmpstr (seedream_task_state_to_string (state), ==, cases[i].name);
    }
}

static void
test_task_info_new (void)
{
  const char *urls[] = { "https://h/a.png", NULL };
  g_autoptr(SeedreamTaskInfo) info = seedream_task_info_new ("x", 3, urls, 10, 20,
                                                             "2026-01-30T12:00:00Z", NULL);
  g_autoptr(SeedreamTaskInfo) bare = seedream_task_info_new ("y", 1, NULL, 0, 0, NULL, NULL);
  g_auto(GStrv) prop_urls = NULL;
  int state = -1;

  g_assert_cmpstr (seedream_task_info_get_task_id (info), ==, "x");
  g_assert_cmpstrv (seedream_task_info_get_urls (info), urls);
  g_assert_true (seedream_task_info_get_urls (info) != urls);
  g_assert_nonnull (seedream_task_info_get_start_time (info));
  g_assert_cmpint (g_date_time_get_utc_offset (seedream_task_info_get_start_time (info)), ==, 0);

  g_object_get (info, "urls", &prop_urls, "state", &state, NULL);
  g_assert_cmpstrv (prop_urls, urls);
  g_assert_cmpint (state, ==, SEEDREAM_TASK_STATE_DONE);

  g_assert_nonnull (seedream_task_info_get_urls (bare));
  g_assert_null (seedream_task_info_get_urls (bare)[0]);
  g_assert_null (seedream_task_info_get_start_time (bare));
  g_assert_null (seedream_task_info_get_start_time_string (bare));
}

int
main (int   argc,
      char *argv[])
{
  /* A zone far from the service's (UTC+8): reading its starttime as our
   * local time would show. */
  g_setenv ("TZ", "America/Sao_Paulo", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/response/submit/success", test_response_submit_success);
  g_test_add_func ("/seedream/response/submit/codes", test_response_submit_codes);
  g_test_add_func ("/seedream/response/refusal", test_response_refusal);
  g_test_add_func ("/seedream/response/submit/bad", test_response_submit_bad);
  g_test_add_func ("/seedream/response/submit/task-id", test_response_task_id_length);
  g_test_add_func ("/seedream/response/size-cap", test_response_size_cap);
  g_test_add_func ("/seedream/response/deep-nesting", test_response_deep_nesting);
  g_test_add_func ("/seedream/response/task/states", test_response_task_states);
  g_test_add_func ("/seedream/response/task/done", test_response_task_done);
  g_test_add_func ("/seedream/response/task/done-without-images", test_response_task_done_without_images);
  g_test_add_func ("/seedream/response/task/failed-bare", test_response_task_failed_bare);
  g_test_add_func ("/seedream/response/task/urls", test_response_task_urls);
  g_test_add_func ("/seedream/response/task/lenient-fields", test_response_task_lenient_fields);
  g_test_add_func ("/seedream/response/task/bad", test_response_task_bad);
  g_test_add_func ("/seedream/response/task/codes", test_response_task_codes);
  g_test_add_func ("/seedream/task-info/state-mapping", test_task_state_mapping);
  g_test_add_func ("/seedream/task-info/new", test_task_info_new);

  return g_test_run ();
}
