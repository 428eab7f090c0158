/* seedream-sign-in.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Browser sign-in, as the provider's own clients do it, but stricter: the
 * page at the sign-in address gets a redirect_uri on a loopback port and
 * posts the key (form field `token`) to it. Only 127.0.0.1 is bound; the
 * only open path carries 128 random bits from the kernel, so neither a web
 * page nor another local program can plant a key without having been told
 * the link; it works once, then the port closes. Everything else is refused
 * before its body is read. The key is never logged; copies made here are
 * wiped before they are freed.
 */

#define G_LOG_DOMAIN "seedream-sign-in"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "seedream-api-url.h"
#include "seedream-enums.h"
#include "seedream-error.h"
#include "seedream-sign-in.h"

#define SECRET_BYTES    16
#define CALLBACK_PREFIX "/callback/"

struct _SeedreamSignIn
{
  GObject              parent_instance;

  char                *page_url;
  char                *key_name;
  guint                timeout_ms;

  SeedreamSignInState  state;
  SoupServer          *server;
  guint16              port;
  char                *callback_path;
  char                *uri;
  guint                timeout_id;
  guint                close_id;

  /* The outcome, kept until someone waits for it. */
  char                *key;
  GError              *error;
  GTask               *pending;
  GCancellable        *pending_cancellable;
  gulong               cancelled_id;
};

G_DEFINE_FINAL_TYPE (SeedreamSignIn, seedream_sign_in, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PAGE_URL,
  PROP_KEY_NAME,
  PROP_TIMEOUT_MS,
  PROP_STATE,
  PROP_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * seedream_sign_in_wipe_key:
 * @key: (nullable) (transfer full): a key to forget
 *
 * Overwrites @key, then frees it.
 */
void
seedream_sign_in_wipe_key (char *key)
{
  if (key == NULL)
    return;

  explicit_bzero (key, strlen (key));
  g_free (key);
}

/**
 * seedream_sign_in_new:
 * @page_url: the sign-in page (see seedream_sign_in_dup_page_url())
 * @key_name: what the page calls the key it makes
 */
SeedreamSignIn *
seedream_sign_in_new (const char *page_url,
                      const char *key_name)
{
  g_return_val_if_fail (page_url != NULL, NULL);
  g_return_val_if_fail (key_name != NULL, NULL);

  return g_object_new (SEEDREAM_TYPE_SIGN_IN,
                       "page-url", page_url,
                       "key-name", key_name,
                       NULL);
}

/**
 * seedream_sign_in_dup_page_url:
 * @settings: the app's settings (with the `sign-in-url` key)
 *
 * The one place that reads the sign-in address: %SEEDREAM_SIGN_IN_URL_ENV
 * (automation and tests, never stored) wins over the setting.
 *
 * Returns: (transfer full): the sign-in page's address
 */
char *
seedream_sign_in_dup_page_url (GSettings *settings)
{
  const char *from_env = g_getenv (SEEDREAM_SIGN_IN_URL_ENV);

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  if (from_env != NULL && *from_env != '\0')
    return g_strdup (from_env);

  return g_settings_get_string (settings, "sign-in-url");
}

/**
 * seedream_sign_in_dup_key_name:
 *
 * Returns: (transfer full): "Seedream Studio on <host name>", so the person
 *   can tell this key apart in the provider's console
 */
char *
seedream_sign_in_dup_key_name (void)
{
  /* Translators: %s is the computer's host name. The key made by the
   * sign-in page is called this in the TensorsLab console. */
  return g_strdup_printf (_("Seedream Studio on %s"), g_get_host_name ());
}

SeedreamSignInState
seedream_sign_in_get_state (SeedreamSignIn *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SIGN_IN (self), SEEDREAM_SIGN_IN_STATE_IDLE);

  return self->state;
}

/**
 * seedream_sign_in_get_uri:
 *
 * Returns: (nullable): the link to open in the browser, once started
 */
const char *
seedream_sign_in_get_uri (SeedreamSignIn *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SIGN_IN (self), NULL);

  return self->uri;
}

/**
 * seedream_sign_in_get_port:
 *
 * Returns: the loopback port listened on, or 0 before start
 */
guint16
seedream_sign_in_get_port (SeedreamSignIn *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SIGN_IN (self), 0);

  return self->port;
}

guint
seedream_sign_in_get_timeout_ms (SeedreamSignIn *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SIGN_IN (self), 0);

  return self->timeout_ms;
}

/* Takes effect at the next start: a running wait keeps its deadline. */
void
seedream_sign_in_set_timeout_ms (SeedreamSignIn *self,
                                 guint           timeout_ms)
{
  g_return_if_fail (SEEDREAM_IS_SIGN_IN (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;

  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_MS]);
}

static void
seedream_sign_in_set_state (SeedreamSignIn      *self,
                            SeedreamSignInState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* 128 bits from the kernel's generator, as hex: URL-safe and not guessable.
 * GRand is not a cryptographic generator, so it is not used here. */
static char *
make_secret (GError **error)
{
  guint8 bytes[SECRET_BYTES];
  gsize filled = 0;

  while (filled < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      filled += (gsize) n;
    }

  /* Kernels without getrandom(2): the same generator through its device. */
  if (filled < sizeof bytes)
    {
      int fd = g_open ("/dev/urandom", O_RDONLY | O_CLOEXEC, 0);

      filled = 0;
      while (fd >= 0 && filled < sizeof bytes)
        {
          ssize_t n = read (fd, bytes + filled, sizeof bytes - filled);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          filled += (gsize) n;
        }
      if (fd >= 0)
        close (fd);
    }

  if (filled < sizeof bytes)
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NETWORK,
                           _("The sign-in could not be prepared: the system gave no random numbers"));
      return NULL;
    }

  {
    GString *hex = g_string_sized_new (2 * SECRET_BYTES);

    for (gsize i = 0; i < sizeof bytes; i++)
      g_string_append_printf (hex, "%02x", bytes[i]);
    explicit_bzero (bytes, sizeof bytes);

    return g_string_free (hex, FALSE);
  }
}

/* The page receives the link to the key's way back, so it must be HTTPS
 * (plain HTTP only on loopback, for stand-in pages in tests). */
static GUri *
parse_page_url (const char  *page_url,
                GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (page_url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  const char *scheme;
  const char *host;

  if (uri == NULL)
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("The sign-in address “%s” is not a web address"), page_url);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0' || g_uri_get_userinfo (uri) != NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("The sign-in address “%s” is not a web address"), page_url);
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !seedream_api_url_is_loopback (host))
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INSECURE_URL,
                   _("The sign-in page %s is not encrypted. Use an https:// address"), host);
      return NULL;
    }

  return g_steal_pointer (&uri);
}

static char *
make_link (GUri       *page,
           guint16     port,
           const char *callback_path,
           const char *key_name)
{
  g_autofree char *redirect = g_strdup_printf ("http://127.0.0.1:%u%s", port, callback_path);
  g_autofree char *redirect_escaped = g_uri_escape_string (redirect, NULL, FALSE);
  g_autofree char *name_escaped = g_uri_escape_string (key_name, NULL, FALSE);
  g_autofree char *query = NULL;
  const char *existing = g_uri_get_query (page);
  g_autoptr(GUri) with_query = NULL;

  query = g_strdup_printf ("%s%sredirect_uri=%s&key_name=%s",
                           existing != NULL ? existing : "",
                           existing != NULL && *existing != '\0' ? "&" : "",
                           redirect_escaped, name_escaped);
  with_query = g_uri_build (G_URI_FLAGS_ENCODED_QUERY,
                            g_uri_get_scheme (page), NULL,
                            g_uri_get_host (page), g_uri_get_port (page),
                            g_uri_get_path (page), query, g_uri_get_fragment (page));

  return g_uri_to_string (with_query);
}

/* Compares without stopping at the first difference, so the time taken
 * tells nothing about the secret. */
static gboolean
path_is_callback (SeedreamSignIn *self,
                  const char     *path)
{
  gsize expected_len;
  guint8 difference = 0;

  if (self->callback_path == NULL || path == NULL)
    return FALSE;

  expected_len = strlen (self->callback_path);
  if (strlen (path) != expected_len)
    return FALSE;

  for (gsize i = 0; i < expected_len; i++)
    difference |= (guint8) (path[i] ^ self->callback_path[i]);

  return difference == 0;
}

/* A short page in the app's words; it never repeats anything sent. */
static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *title,
         const char        *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *title_escaped = g_markup_escape_text (title, -1);
  g_autofree char *text_escaped = g_markup_escape_text (text, -1);
  g_autofree char *page = NULL;
  gsize page_len;

  page = g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width\">"
                          "<title>%s</title>"
                          "<style>body{font-family:sans-serif;max-width:32em;margin:4em auto;"
                          "padding:0 1em;line-height:1.5}</style></head>\n"
                          "<body><h1>%s</h1><p>%s</p></body></html>\n",
                          title_escaped, title_escaped, text_escaped);
  page_len = strlen (page);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Connection", "close");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&page), page_len);
}

static void
respond_refused (SoupServerMessage *msg,
                 guint              status)
{
  const char *title = _("Not Signed In");
  const char *text;

  switch (status)
    {
    case SOUP_STATUS_NOT_FOUND:
      text = _("This sign-in link is not valid, or it was already used. Start the sign-in again in Seedream Studio.");
      break;

    case SOUP_STATUS_METHOD_NOT_ALLOWED:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      text = _("The sign-in page must send the key with a form (POST).");
      break;

    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
    case SOUP_STATUS_LENGTH_REQUIRED:
      text = _("The sign-in page sent more than a key. Nothing was stored.");
      break;

    case SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE:
      text = _("The sign-in page must send the key as a form. Nothing was stored.");
      break;

    case SOUP_STATUS_BAD_REQUEST:
    default:
      status = SOUP_STATUS_BAD_REQUEST;
      text = _("No usable API key came with the sign-in. Nothing was stored; try again, or enter the key manually.");
      break;
    }

  respond (msg, status, title, text);
}

static void
seedream_sign_in_close (SeedreamSignIn *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->close_id, g_source_remove);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}

/* Hands the outcome to the waiting task, if there is one. */
static void
seedream_sign_in_complete (SeedreamSignIn *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);

  if (task == NULL)
    return;

  if (self->pending_cancellable != NULL)
    {
      g_cancellable_disconnect (self->pending_cancellable, self->cancelled_id);
      self->cancelled_id = 0;
      g_clear_object (&self->pending_cancellable);
    }

  if (self->key != NULL)
    g_task_return_pointer (task, g_steal_pointer (&self->key), (GDestroyNotify) seedream_sign_in_wipe_key);
  else if (self->error != NULL)
    g_task_return_error (task, g_error_copy (self->error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sign-in was cancelled"));
}

static void
seedream_sign_in_fail (SeedreamSignIn      *self,
                       SeedreamSignInState  state,
                       GError              *error)
{
  seedream_sign_in_close (self);
  g_clear_error (&self->error);
  self->error = error;
  seedream_sign_in_set_state (self, state);
  seedream_sign_in_complete (self);
}

static gboolean
timeout_cb (gpointer user_data)
{
  SeedreamSignIn *self = user_data;

  self->timeout_id = 0;
  seedream_sign_in_fail (self, SEEDREAM_SIGN_IN_STATE_FAILED,
                         g_error_new_literal (SEEDREAM_ERROR, SEEDREAM_ERROR_TIMEOUT,
                                              _("The browser did not finish the sign-in in time. "
                                                "Sign in again, or enter the key manually.")));

  return G_SOURCE_REMOVE;
}

/* After a key came: the answer goes out, then the port closes. */
static gboolean
close_cb (gpointer user_data)
{
  SeedreamSignIn *self = user_data;

  self->close_id = 0;
  seedream_sign_in_close (self);

  return G_SOURCE_REMOVE;
}

static void
response_finished_cb (SeedreamSignIn *self)
{
  if (self->server != NULL && self->close_id == 0)
    self->close_id = g_idle_add_full (G_PRIORITY_DEFAULT, close_cb, self, NULL);
}

/* Checks what the headers say before a byte of the body is read. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SeedreamSignIn *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_type;
  guint status = 0;

  if (self->state != SEEDREAM_SIGN_IN_STATE_WAITING || !path_is_callback (self, path))
    status = SOUP_STATUS_NOT_FOUND;
  else if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    status = SOUP_STATUS_METHOD_NOT_ALLOWED;
  else if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    status = SOUP_STATUS_LENGTH_REQUIRED;
  else if (soup_message_headers_get_content_length (headers) > SEEDREAM_SIGN_IN_MAX_BODY_BYTES)
    status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
  else
    {
      content_type = soup_message_headers_get_content_type (headers, NULL);
      if (content_type == NULL ||
          g_ascii_strcasecmp (content_type, SOUP_FORM_MIME_TYPE_URLENCODED) != 0)
        status = SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
    }

  if (status != 0)
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      respond_refused (msg, status);
    }
}

/* A key can go into an HTTP header: no control characters, not empty,
 * not longer than any real key. */
static gboolean
key_is_plausible (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > SEEDREAM_SIGN_IN_MAX_KEY_BYTES || !g_utf8_validate (key, len, NULL))
    return FALSE;

  for (const char *p = key; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p) || *p == ' ')
        return FALSE;
    }

  return TRUE;
}

/* The `token` field of a urlencoded form: %NULL when it is missing, given
 * twice, or would decode to a NUL byte (which soup_form_decode() would
 * silently cut the key at). */
static char *
dup_form_token (const char *form)
{
  g_auto(GStrv) pairs = g_strsplit (form, "&", -1);
  char *token = NULL;

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *equals = strchr (pairs[i], '=');
      char *value;

      if (equals == NULL || equals - pairs[i] != strlen ("token") ||
          strncmp (pairs[i], "token", strlen ("token")) != 0)
        {
          explicit_bzero (pairs[i], strlen (pairs[i]));
          continue;
        }

      for (char *p = equals + 1; *p != '\0'; p++)
        {
          if (*p == '+')
            *p = ' ';
        }
      value = g_uri_unescape_segment (equals + 1, NULL, NULL);
      explicit_bzero (pairs[i], strlen (pairs[i]));

      if (value == NULL || token != NULL)
        {
          seedream_sign_in_wipe_key (value);
          g_clear_pointer (&token, seedream_sign_in_wipe_key);
          for (guint j = i + 1; pairs[j] != NULL; j++)
            explicit_bzero (pairs[j], strlen (pairs[j]));
          return NULL;
        }
      token = value;
    }

  return token;
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SeedreamSignIn *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  char *token;
  gsize size = 0;

  /* The early handler has seen the headers; this is the same check again
   * for the body as read. */
  if (self->state != SEEDREAM_SIGN_IN_STATE_WAITING || !path_is_callback (self, path))
    {
      respond_refused (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }
  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      respond_refused (msg, SOUP_STATUS_METHOD_NOT_ALLOWED);
      return;
    }

  bytes = soup_message_body_flatten (body);
  g_bytes_get_data (bytes, &size);
  if (size > SEEDREAM_SIGN_IN_MAX_BODY_BYTES)
    {
      respond_refused (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
      return;
    }

  text = g_strndup (g_bytes_get_data (bytes, NULL), size);
  token = dup_form_token (text);
  explicit_bzero (text, size);
  if (token == NULL || !key_is_plausible (token))
    {
      seedream_sign_in_wipe_key (token);
      respond_refused (msg, SOUP_STATUS_BAD_REQUEST);
      return;
    }

  /* Single use: from here on, every request gets 404 until the port closes. */
  g_clear_pointer (&self->key, seedream_sign_in_wipe_key);
  self->key = token;
  g_clear_pointer (&self->callback_path, g_free);
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  respond (msg, SOUP_STATUS_OK, _("Signed In"),
           _("You are signed in. You can close this tab and return to Seedream Studio."));
  g_signal_connect_object (msg, "finished", G_CALLBACK (response_finished_cb), self, G_CONNECT_SWAPPED);

  seedream_sign_in_set_state (self, SEEDREAM_SIGN_IN_STATE_SIGNED_IN);
  seedream_sign_in_complete (self);
}

/**
 * seedream_sign_in_start:
 * @error: a #SEEDREAM_ERROR_INVALID_INPUT or _INSECURE_URL error for a bad
 *   sign-in address, a #SEEDREAM_ERROR_NETWORK one when no port could be opened
 *
 * Opens the loopback port and makes the link (seedream_sign_in_get_uri()).
 * A sign-in starts once.
 *
 * Returns: %TRUE when the browser can be sent to the link
 */
gboolean
seedream_sign_in_start (SeedreamSignIn  *self,
                        GError         **error)
{
  g_autoptr(GUri) page = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autofree char *secret = NULL;
  GSList *uris;

  g_return_val_if_fail (SEEDREAM_IS_SIGN_IN (self), FALSE);
  g_return_val_if_fail (self->state == SEEDREAM_SIGN_IN_STATE_IDLE, FALSE);

  page = parse_page_url (self->page_url, error);
  if (page == NULL)
    return FALSE;

  secret = make_secret (error);
  if (secret == NULL)
    return FALSE;

  server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_early_handler (server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (server, NULL, handler_cb, self, NULL);

  /* 127.0.0.1 exactly, as the redirect URI names it: never all interfaces. */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!soup_server_listen (server, address, 0, &local_error))
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NETWORK,
                   _("The sign-in could not open a port on this computer (%s). "
                     "Enter the key manually instead."),
                   local_error->message);
      return FALSE;
    }

  uris = soup_server_get_uris (server);
  if (uris != NULL)
    self->port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (self->port == 0)
    {
      soup_server_disconnect (server);
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NETWORK,
                           _("The sign-in could not open a port on this computer. "
                             "Enter the key manually instead."));
      return FALSE;
    }

  self->server = g_steal_pointer (&server);
  self->callback_path = g_strconcat (CALLBACK_PREFIX, secret, NULL);
  self->uri = make_link (page, self->port, self->callback_path, self->key_name);
  explicit_bzero (secret, strlen (secret));
  self->timeout_id = g_timeout_add (self->timeout_ms, timeout_cb, self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
  seedream_sign_in_set_state (self, SEEDREAM_SIGN_IN_STATE_WAITING);

  return TRUE;
}

/**
 * seedream_sign_in_cancel:
 *
 * Closes the port; a wait ends with %G_IO_ERROR_CANCELLED. Does nothing
 * once the sign-in has ended.
 */
void
seedream_sign_in_cancel (SeedreamSignIn *self)
{
  g_return_if_fail (SEEDREAM_IS_SIGN_IN (self));

  if (self->state != SEEDREAM_SIGN_IN_STATE_WAITING &&
      self->state != SEEDREAM_SIGN_IN_STATE_IDLE)
    return;

  seedream_sign_in_fail (self, SEEDREAM_SIGN_IN_STATE_CANCELLED,
                         g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                              _("The sign-in was cancelled")));
}

static gboolean
cancel_idle_cb (gpointer user_data)
{
  SeedreamSignIn *self = user_data;

  seedream_sign_in_cancel (self);

  return G_SOURCE_REMOVE;
}

/* May run inside g_cancellable_cancel(): the work is done from the main loop. */
static void
cancelled_cb (GCancellable   *cancellable,
              SeedreamSignIn *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, cancel_idle_cb, g_object_ref (self), g_object_unref);
}

/**
 * seedream_sign_in_wait_async:
 * @cancellable: (nullable): cancelling it cancels the sign-in
 *
 * Waits for the page to post the key. One wait at a time.
 */
void
seedream_sign_in_wait_async (SeedreamSignIn      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEEDREAM_IS_SIGN_IN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_sign_in_wait_async);

  if (self->pending != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The sign-in is already being waited for"));
      return;
    }

  self->pending = g_steal_pointer (&task);

  if (self->state != SEEDREAM_SIGN_IN_STATE_WAITING)
    {
      seedream_sign_in_complete (self);
      return;
    }

  if (cancellable != NULL)
    {
      self->pending_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);
    }
}

/**
 * seedream_sign_in_wait_finish:
 *
 * Returns: (transfer full): the key the page posted (free it with
 *   seedream_sign_in_wipe_key()), or %NULL with @error set
 */
char *
seedream_sign_in_wait_finish (SeedreamSignIn  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
seedream_sign_in_dispose (GObject *object)
{
  SeedreamSignIn *self = SEEDREAM_SIGN_IN (object);

  seedream_sign_in_close (self);
  if (self->pending != NULL)
    {
      g_clear_error (&self->error);
      seedream_sign_in_complete (self);
    }

  G_OBJECT_CLASS (seedream_sign_in_parent_class)->dispose (object);
}

static void
seedream_sign_in_finalize (GObject *object)
{
  SeedreamSignIn *self = SEEDREAM_SIGN_IN (object);

  g_clear_pointer (&self->key, seedream_sign_in_wipe_key);
  g_clear_error (&self->error);
  g_clear_pointer (&self->callback_path, g_free);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->page_url, g_free);
  g_clear_pointer (&self->key_name, g_free);

  G_OBJECT_CLASS (seedream_sign_in_parent_class)->finalize (object);
}

static void
seedream_sign_in_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SeedreamSignIn *self = SEEDREAM_SIGN_IN (object);

  switch (prop_id)
    {
    case PROP_PAGE_URL:
      g_value_set_string (value, self->page_url);
      break;

    case PROP_KEY_NAME:
      g_value_set_string (value, self->key_name);
      break;

    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, self->timeout_ms);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_sign_in_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SeedreamSignIn *self = SEEDREAM_SIGN_IN (object);

  switch (prop_id)
    {
    case PROP_PAGE_URL:
      self->page_url = g_value_dup_string (value);
      break;

    case PROP_KEY_NAME:
      self->key_name = g_value_dup_string (value);
      break;

    case PROP_TIMEOUT_MS:
      seedream_sign_in_set_timeout_ms (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_sign_in_class_init (SeedreamSignInClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_sign_in_dispose;
  object_class->finalize = seedream_sign_in_finalize;
  object_class->get_property = seedream_sign_in_get_property;
  object_class->set_property = seedream_sign_in_set_property;

  properties[PROP_PAGE_URL] =
    g_param_spec_string ("page-url", NULL, NULL,
                         SEEDREAM_DEFAULT_SIGN_IN_URL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_KEY_NAME] =
    g_param_spec_string ("key-name", NULL, NULL,
                         "Seedream Studio",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL,
                       1, G_MAXUINT, SEEDREAM_SIGN_IN_DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SEEDREAM_TYPE_SIGN_IN_STATE, SEEDREAM_SIGN_IN_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_sign_in_init (SeedreamSignIn *self)
{
  self->timeout_ms = SEEDREAM_SIGN_IN_DEFAULT_TIMEOUT_MS;
}
