/* test-sign-in.c: the browser sign-in's loopback listener, with a libsoup
 * client standing in for the sign-in page (it posts the form the page posts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-sign-in.h"
#include "seedream-test-util.h"

#define PAGE_URL "https://tensorai.tensorslab.com/auth"
#define KEY_NAME "Seedream Studio on testhost"
#define TOKEN    "ts-test-0123456789abcdef"

typedef struct
{
  guint   status;
  char   *body;
  GError *error;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->body, g_free);
  g_clear_error (&answer->error);
}

/* What the page does: one request to @url. */
static void
send_request (const char *method,
              const char *url,
              const char *content_type,
              GBytes     *body,
              gboolean    chunked,
              Answer     *answer)
{
  memset (answer, 0, sizeof *answer);
  answer->status = seedream_test_http_request (method, url, content_type, body, chunked,
                                               &answer->body, &answer->error);
}

static void
post_form (const char *url,
           const char *form,
           Answer     *answer)
{
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

  send_request ("POST", url, SOUP_FORM_MIME_TYPE_URLENCODED, body, FALSE, answer);
}

/* The redirect_uri the link hands the page. */
static char *
dup_redirect_uri (SeedreamSignIn *sign_in)
{
  g_autoptr(GUri) link = g_uri_parse (seedream_sign_in_get_uri (sign_in), G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (link);
  params = g_uri_parse_params (g_uri_get_query (link), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (params);

  return g_strdup (g_hash_table_lookup (params, "redirect_uri"));
}

static char *
dup_sibling_url (SeedreamSignIn *sign_in,
                 const char     *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", seedream_sign_in_get_port (sign_in), path);
}

static SeedreamSignIn *
start_sign_in (void)
{
  g_autoptr(SeedreamSignIn) sign_in = seedream_sign_in_new (PAGE_URL, KEY_NAME);
  g_autoptr(GError) error = NULL;

  g_assert_true (seedream_sign_in_start (sign_in, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seedream_sign_in_get_state (sign_in), ==, SEEDREAM_SIGN_IN_STATE_WAITING);

  return g_steal_pointer (&sign_in);
}

typedef struct
{
  gboolean  done;
  char     *key;
  GError   *error;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->key = seedream_sign_in_wait_finish (SEEDREAM_SIGN_IN (object), result, &wait->error);
  wait->done = TRUE;
}

static void
wait_clear (Wait *wait)
{
  g_clear_pointer (&wait->key, seedream_sign_in_wipe_key);
  g_clear_error (&wait->error);
}

typedef struct
{
  guint16 port;
} Port;

static gboolean
port_is_closed (gpointer data)
{
  return seedream_test_port_is_closed (((Port *) data)->port);
}

static void
assert_port_closes (guint16 port_number)
{
  Port port = { port_number };

  g_assert_true (seedream_test_wait_until (port_is_closed, &port, 10));
}

static void
test_sign_in_link (void)
{
  g_autoptr(SeedreamSignIn) sign_in = start_sign_in ();
  g_autoptr(GUri) link = g_uri_parse (seedream_sign_in_get_uri (sign_in), G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *expected_prefix = NULL;
  const char *redirect;
  const char *secret;

  g_assert_nonnull (link);
  g_assert_cmpstr (g_uri_get_scheme (link), ==, "https");
  g_assert_cmpstr (g_uri_get_host (link), ==, "tensorai.tensorslab.com");
  g_assert_cmpstr (g_uri_get_path (link), ==, "/auth");
  g_assert_cmpuint (seedream_sign_in_get_port (sign_in), >, 0);

  params = g_uri_parse_params (g_uri_get_query (link), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_cmpstr (g_hash_table_lookup (params, "key_name"), ==, KEY_NAME);
  redirect = g_hash_table_lookup (params, "redirect_uri");
  expected_prefix = g_strdup_printf ("http://127.0.0.1:%u/callback/", seedream_sign_in_get_port (sign_in));
  g_assert_true (g_str_has_prefix (redirect, expected_prefix));

  /* 128 bits, URL-safe. */
  secret = redirect + strlen (expected_prefix);
  g_assert_cmpuint (strlen (secret), >=, 32);
  for (const char *p = secret; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p));

  /* The name and the redirect are escaped: the link parses back whole. */
  g_assert_nonnull (strstr (seedream_sign_in_get_uri (sign_in), "redirect_uri=http%3A%2F%2F127.0.0.1%3A"));
}

static void
test_sign_in_token_handed_back (void)
{
  g_autoptr(SeedreamSignIn) sign_in = start_sign_in ();
  g_autofree char *redirect = dup_redirect_uri (sign_in);
  guint16 port = seedream_sign_in_get_port (sign_in);
  Answer answer, again;
  Wait wait = { 0 };

  seedream_sign_in_wait_async (sign_in, NULL, waited_cb, &wait);
  post_form (redirect, "token=" TOKEN "&other=ignored", &answer);
  g_assert_no_error (answer.error);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_nonnull (strstr (answer.body, "You are signed in. You can close this tab and return to Seedream Studio."));
  /* The page the browser shows never repeats the key. */
  g_assert_null (strstr (answer.body, TOKEN));

  g_assert_true (seedream_test_wait_until (wait_done, &wait, 5));
  g_assert_no_error (wait.error);
  g_assert_cmpstr (wait.key, ==, TOKEN);
  g_assert_cmpint (seedream_sign_in_get_state (sign_in), ==, SEEDREAM_SIGN_IN_STATE_SIGNED_IN);

  /* Single use: the port closes, and a second post plants nothing. */
  assert_port_closes (port);
  post_form (redirect, "token=planted", &again);
  g_assert_cmpuint (again.status, !=, 200);
  answer_clear (&again);
  answer_clear (&answer);
  wait_clear (&wait);
}

/* A key that arrives before anyone waits is kept for the wait. */
static void
test_sign_in_token_before_wait (void)
{
  g_autoptr(SeedreamSignIn) sign_in = start_sign_in ();
  g_autofree char *redirect = dup_redirect_uri (sign_in);
  Answer answer;
  Wait wait = { 0 };

  post_form (redirect, "token=%20" TOKEN "%20", &answer);
  g_assert_cmpuint (answer.status, ==, 400);
  answer_clear (&answer);

  post_form (redirect, "token=" TOKEN, &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  seedream_sign_in_wait_async (sign_in, NULL, waited_cb, &wait);
  g_assert_true (seedream_test_wait_until (wait_done, &wait, 5));
  g_assert_cmpstr (wait.key, ==, TOKEN);
  answer_clear (&answer);
  wait_clear (&wait);
}

/* Every path but the one with the secret is 404 and changes nothing. */
static void
test_sign_in_other_paths_refused (void)
{
  g_autoptr(SeedreamSignIn) sign_in = start_sign_in ();
  g_autofree char *redirect = dup_redirect_uri (sign_in);
  g_autofree char *wrong_secret = NULL;
  const char *paths[] = { "/callback", "/callback/", "/", "/callback/00000000000000000000000000000000",
                          "/favicon.ico", "/callback/../callback" };
  Answer answer;
  Wait wait = { 0 };

  seedream_sign_in_wait_async (sign_in, NULL, waited_cb, &wait);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = dup_sibling_url (sign_in, paths[i]);

      post_form (url, "token=planted", &answer);
      g_assert_cmpuint (answer.status, ==, 404);
      answer_clear (&answer);
    }

  /* The right secret with one character changed, and with more after it. */
  wrong_secret = g_strdup (redirect);
  wrong_secret[strlen (wrong_secret) - 1] = wrong_secret[strlen (wrong_secret) - 1] == 'a' ? 'b' : 'a';
  post_form (wrong_secret, "token=planted", &answer);
  g_assert_cmpuint (answer.status, ==, 404);
  answer_clear (&answer);
  {
    g_autofree char *longer = g_strconcat (redirect, "x", NULL);

    post_form (longer, "token=planted", &answer);
    g_assert_cmpuint (answer.status, ==, 404);
    answer_clear (&answer);
  }

  g_main_context_iteration (NULL, FALSE);
  g_assert_false (wait.done);
  g_assert_cmpint (seedream_sign_in_get_state (sign_in), ==, SEEDREAM_SIGN_IN_STATE_WAITING);

  /* The real one still works afterwards. */
  post_form (redirect, "token=" TOKEN, &answer);
  g_assert_cmpuint (answer.status, ==, 200);
  g_assert_true (seedream_test_wait_until (wait_done, &wait, 5));
  g_assert_cmpstr (wait.key, ==, TOKEN);
  answer_clear (&answer);
  wait_clear (&wait);
}

static void
test_sign_in_methods_refused (void)
{
  g_autoptr(SeedreamSignIn) sign_in = start_sign_in ();
  g_autofree char *redirect = dup_redirect_uri (sign_in);
  const char *methods[] = { "GET", "PUT", "DELETE", "HEAD" };
  g_autofree char *with_query = g_strconcat (redirect, "?token=planted", NULL);
  Answer answer;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      send_request (methods[i], with_query, NULL, NULL, FALSE, &answer);
      g_assert_cmpuint (answer.status, ==, 405);
      answer_clear (&answer);
    }

  g_assert_cmpint (seedream_sign_in_get_state (sign_in), ==, SEEDREAM_SIGN_IN_STATE_WAITING);
}

static void
test_sign_in_large_body_refused (void)
{
  g_autoptr(SeedreamSignIn) sign_in = start_sign_in ();
  g_autofree char *redirect = dup_redirect_uri (sign_in);
  g_autoptr(GString) form = g_string_new ("token=");
  g_autoptr(GBytes) body = NULL;
  Answer answer;

  while (form->len < 4 * 1024 * 1024)
    g_string_append (form, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  body = g_bytes_new (form->str, form->len);

  send_request ("POST", redirect, SOUP_FORM_MIME_TYPE_URLENCODED, body, FALSE, &answer);
  g_assert_cmpuint (answer.status, ==, 413);
  answer_clear (&answer);

  /* Without a length, it would have to be read to know: it is not. */
  send_request ("POST", redirect, SOUP_FORM_MIME_TYPE_URLENCODED, body, TRUE, &answer);
  g_assert_cmpuint (answer.status, ==, 411);
  answer_clear (&answer);

  g_assert_cmpint (seedream_sign_in_get_state (sign_in), ==, SEEDREAM_SIGN_IN_STATE_WAITING);
}

static void
test_sign_in_bad_tokens_refused (void)
{
  g_autoptr(SeedreamSignIn) sign_in = start_sign_in ();
  g_autofree char *redirect = dup_redirect_uri (sign_in);
  g_autoptr(GString) long_token = g_string_new ("token=");
  const char *forms[] = { "", "other=1", "token=", "token", "token=ab%0Acd", "token=ab%00cd",
                          "token=ab%09cd", "token=%FF%FE", "token=a%20b",
                          "token=first&token=second", "token=a+b" };
  g_autoptr(GBytes) json = g_bytes_new_static ("{\"token\":\"x\"}", 13);
  Answer answer;

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      post_form (redirect, forms[i], &answer);
      g_assert_cmpuint (answer.status, ==, 400);
      answer_clear (&answer);
    }

  for (guint i = 0; i < SEEDREAM_SIGN_IN_MAX_KEY_BYTES + 1; i++)
    g_string_append_c (long_token, 'k');
  post_form (redirect, long_token->str, &answer);
  g_assert_cmpuint (answer.status, ==, 400);
  answer_clear (&answer);

  send_request ("POST", redirect, "application/json", json, FALSE, &answer);
  g_assert_cmpuint (answer.status, ==, 415);
  answer_clear (&answer);

  g_assert_cmpint (seedream_sign_in_get_state (sign_in), ==, SEEDREAM_SIGN_IN_STATE_WAITING);
}

static void
test_sign_in_timeout_closes (void)
{
  g_autoptr(SeedreamSignIn) sign_in = seedream_sign_in_new (PAGE_URL, KEY_NAME);
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  seedream_sign_in_set_timeout_ms (sign_in, 200);
  g_assert_true (seedream_sign_in_start (sign_in, &error));
  seedream_sign_in_wait_async (sign_in, NULL, waited_cb, &wait);

  g_assert_true (seedream_test_wait_until (wait_done, &wait, 10));
  g_assert_error (wait.error, SEEDREAM_ERROR, SEEDREAM_ERROR_TIMEOUT);
  g_assert_null (wait.key);
  g_assert_cmpint (seedream_sign_in_get_state (sign_in), ==, SEEDREAM_SIGN_IN_STATE_FAILED);
  assert_port_closes (seedream_sign_in_get_port (sign_in));
  wait_clear (&wait);
}

static void
test_sign_in_cancel_closes (void)
{
  g_autoptr(SeedreamSignIn) sign_in = start_sign_in ();
  g_autoptr(SeedreamSignIn) other = start_sign_in ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait wait = { 0 }, other_wait = { 0 };

  /* Through the wait's cancellable... */
  seedream_sign_in_wait_async (sign_in, cancellable, waited_cb, &wait);
  g_cancellable_cancel (cancellable);
  g_assert_true (seedream_test_wait_until (wait_done, &wait, 5));
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (seedream_sign_in_get_state (sign_in), ==, SEEDREAM_SIGN_IN_STATE_CANCELLED);
  assert_port_closes (seedream_sign_in_get_port (sign_in));

  /* ...and directly. */
  seedream_sign_in_wait_async (other, NULL, waited_cb, &other_wait);
  seedream_sign_in_cancel (other);
  g_assert_true (seedream_test_wait_until (wait_done, &other_wait, 5));
  g_assert_error (other_wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_port_closes (seedream_sign_in_get_port (other));

  wait_clear (&wait);
  wait_clear (&other_wait);
}

/* Dropping the object (the window closed) closes the port as well. */
static void
test_sign_in_dispose_closes (void)
{
  SeedreamSignIn *sign_in = start_sign_in ();
  guint16 port = seedream_sign_in_get_port (sign_in);
  Wait wait = { 0 };

  seedream_sign_in_wait_async (sign_in, NULL, waited_cb, &wait);
  g_object_run_dispose (G_OBJECT (sign_in));
  g_assert_true (seedream_test_wait_until (wait_done, &wait, 5));
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (sign_in);
  assert_port_closes (port);
  wait_clear (&wait);
}

static void
test_sign_in_secrets_differ (void)
{
  g_autoptr(SeedreamSignIn) first = start_sign_in ();
  g_autoptr(SeedreamSignIn) second = start_sign_in ();
  g_autofree char *first_redirect = dup_redirect_uri (first);
  g_autofree char *second_redirect = dup_redirect_uri (second);
  const char *first_secret = strrchr (first_redirect, '/');
  const char *second_secret = strrchr (second_redirect, '/');
  g_autofree char *crossed = NULL;
  Answer answer;

  g_assert_cmpstr (first_secret, !=, second_secret);

  /* One sign-in's secret does not open the other's port. */
  crossed = dup_sibling_url (second, "/callback");
  {
    g_autofree char *url = g_strconcat (crossed, first_secret, NULL);

    post_form (url, "token=planted", &answer);
    g_assert_cmpuint (answer.status, ==, 404);
    answer_clear (&answer);
  }
}

static void
test_sign_in_page_url_checked (void)
{
  const struct { const char *url; int code; } cases[] = {
    { "http://tensorai.tensorslab.com/auth", SEEDREAM_ERROR_INSECURE_URL },
    { "not a url", SEEDREAM_ERROR_INVALID_INPUT },
    { "file:///etc/passwd", SEEDREAM_ERROR_INVALID_INPUT },
    { "https://user@tensorai.tensorslab.com/auth", SEEDREAM_ERROR_INVALID_INPUT },
    { "", SEEDREAM_ERROR_INVALID_INPUT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SeedreamSignIn) sign_in = seedream_sign_in_new (cases[i].url, KEY_NAME);
      g_autoptr(GError) error = NULL;

      g_assert_false (seedream_sign_in_start (sign_in, &error));
      g_assert_error (error, SEEDREAM_ERROR, cases[i].code);
      g_assert_cmpuint (seedream_sign_in_get_port (sign_in), ==, 0);
    }

  /* A stand-in page on loopback may be plain HTTP; a query is kept. */
  {
    g_autoptr(SeedreamSignIn) sign_in = seedream_sign_in_new ("http://127.0.0.1:1/auth?lang=en", KEY_NAME);
    g_autoptr(GError) error = NULL;

    g_assert_true (seedream_sign_in_start (sign_in, &error));
    g_assert_true (g_str_has_prefix (seedream_sign_in_get_uri (sign_in),
                                     "http://127.0.0.1:1/auth?lang=en&redirect_uri="));
  }
}

static void
test_sign_in_page_url_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *from_setting = NULL;
  g_autofree char *from_env = NULL;
  g_autofree char *name = seedream_sign_in_dup_key_name ();

  g_unsetenv (SEEDREAM_SIGN_IN_URL_ENV);
  from_setting = seedream_sign_in_dup_page_url (settings);
  g_assert_cmpstr (from_setting, ==, SEEDREAM_DEFAULT_SIGN_IN_URL);

  g_setenv (SEEDREAM_SIGN_IN_URL_ENV, "https://signin.example.test/auth", TRUE);
  from_env = seedream_sign_in_dup_page_url (settings);
  g_assert_cmpstr (from_env, ==, "https://signin.example.test/auth");
  g_unsetenv (SEEDREAM_SIGN_IN_URL_ENV);

  g_assert_true (g_str_has_prefix (name, "Seedream Studio on "));
  g_assert_true (g_str_has_suffix (name, g_get_host_name ()));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/sign-in/link", test_sign_in_link);
  g_test_add_func ("/seedream/sign-in/token/handed-back", test_sign_in_token_handed_back);
  g_test_add_func ("/seedream/sign-in/token/before-wait", test_sign_in_token_before_wait);
  g_test_add_func ("/seedream/sign-in/refused/other-paths", test_sign_in_other_paths_refused);
  g_test_add_func ("/seedream/sign-in/refused/methods", test_sign_in_methods_refused);
  g_test_add_func ("/seedream/sign-in/refused/large-body", test_sign_in_large_body_refused);
  g_test_add_func ("/seedream/sign-in/refused/bad-tokens", test_sign_in_bad_tokens_refused);
  g_test_add_func ("/seedream/sign-in/closes/timeout", test_sign_in_timeout_closes);
  g_test_add_func ("/seedream/sign-in/closes/cancel", test_sign_in_cancel_closes);
  g_test_add_func ("/seedream/sign-in/closes/dispose", test_sign_in_dispose_closes);
  g_test_add_func ("/seedream/sign-in/secrets-differ", test_sign_in_secrets_differ);
  g_test_add_func ("/seedream/sign-in/page-url/checked", test_sign_in_page_url_checked);
  g_test_add_func ("/seedream/sign-in/page-url/setting", test_sign_in_page_url_setting);

  return g_test_run ();
}
