/* test-api-url.c: which API addresses may receive the key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "seedream-api-url.h"
#include "seedream-error.h"

static void
test_api_url_accepts_https (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = seedream_api_url_normalize ("  https://api.tensorslab.com/ ", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://api.tensorslab.com");
}

static void
test_api_url_accepts_loopback_http (void)
{
  const char *loopback[] = {
    "http://127.0.0.1:8080",
    "http://127.3.4.5",
    "http://localhost:9000/",
    "http://[::1]:1234",
  };

  for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = seedream_api_url_normalize (loopback[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (url);
      g_assert_false (g_str_has_suffix (url, "/"));
    }
}

static void
test_api_url_refuses_plain_http_elsewhere (void)
{
  const char *insecure[] = {
    "http://api.tensorslab.com",
    "http://10.0.0.1",
    "http://192.168.1.20:8080",
    "http://localhost.example.com",
    "http://[::2]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (insecure); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = seedream_api_url_normalize (insecure[i], &error);

      g_assert_null (url);
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INSECURE_URL);
      g_assert_nonnull (strstr (error->message, "https://"));
    }
}

static void
test_api_url_refuses_nonsense (void)
{
  const char *bad[] = {
    "",
    "   ",
    "api.tensorslab.com",
    "ftp://api.tensorslab.com",
    "https://",
    "https://user:secret@api.tensorslab.com",
    "https://api.tensorslab.com/?key=1",
    "https://api.tensorslab.com/#x",
    "file:///etc/passwd",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = seedream_api_url_normalize (bad[i], &error);

      g_assert_null (url);
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *url = seedream_api_url_normalize (NULL, &error);

    g_assert_null (url);
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/api-url/accepts-https", test_api_url_accepts_https);
  g_test_add_func ("/seedream/api-url/accepts-loopback-http", test_api_url_accepts_loopback_http);
  g_test_add_func ("/seedream/api-url/refuses-plain-http-elsewhere", test_api_url_refuses_plain_http_elsewhere);
  g_test_add_func ("/seedream/api-url/refuses-nonsense", test_api_url_refuses_nonsense);

  return g_test_run ();
}
