/* seedream-api-url.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that decides whether an API base URL may receive the key:
 * HTTPS to any host, plain HTTP only to loopback (the mock server in tests).
 */

#define G_LOG_DOMAIN "seedream-api-url"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <string.h>

#include "seedream-api-url.h"
#include "seedream-error.h"

/**
 * seedream_api_url_is_loopback:
 * @host: a host name or address, as it appears in a URI
 *
 * Returns: %TRUE for `localhost` and addresses in 127.0.0.0/8 or ::1.
 */
gboolean
seedream_api_url_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  /* URIs write IPv6 addresses in brackets. */
  len = strlen (host);
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * seedream_api_url_normalize:
 * @text: what the person typed
 * @error: return location for a #SEEDREAM_ERROR_INSECURE_URL or
 *   #SEEDREAM_ERROR_INVALID_INPUT error
 *
 * Checks that @text is an absolute http(s) URL with a host and no query,
 * fragment or user information, and that the key would be safe there.
 *
 * Returns: (transfer full): the URL without surrounding space or a
 *   trailing slash, or %NULL with @error set
 */
char *
seedream_api_url_normalize (const char  *text,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *trimmed = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  const char *host;
  gsize len;

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                           _("Enter the address of the API, for example https://api.tensorslab.com"));
      return NULL;
    }

  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("“%s” is not a web address. Enter one like https://api.tensorslab.com"),
                   trimmed);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("“%s” is not a web address. Enter one like https://api.tensorslab.com"),
                   trimmed);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                           _("The API address must not contain a user name, a query or a fragment"));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !seedream_api_url_is_loopback (host))
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INSECURE_URL,
                   _("Your API key would be sent unencrypted to %s. Use an https:// address"),
                   host);
      return NULL;
    }

  len = strlen (trimmed);
  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';

  return g_steal_pointer (&trimmed);
}

/**
 * seedream_api_url_get_override:
 *
 * The address given in the environment (%SEEDREAM_API_URL_ENV) for
 * automation and tests. It wins over the setting and is never stored.
 *
 * Returns: (nullable): the address, or %NULL when none is set
 */
const char *
seedream_api_url_get_override (void)
{
  const char *from_env = g_getenv (SEEDREAM_API_URL_ENV);

  return from_env != NULL && *from_env != '\0' ? from_env : NULL;
}

/**
 * seedream_api_url_dup_current:
 * @settings: the app's settings (with the `api-url` key)
 *
 * The one place that reads the API address: the environment wins, then
 * the setting.
 *
 * Returns: (transfer full): the address requests go to
 */
char *
seedream_api_url_dup_current (GSettings *settings)
{
  const char *from_env = seedream_api_url_get_override ();

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  if (from_env != NULL)
    return g_strdup (from_env);

  return g_settings_get_string (settings, "api-url");
}
