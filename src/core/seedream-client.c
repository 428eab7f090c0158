/* seedream-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TensorsLab Images API: submit a generation, query a task, download a
 * result. Queries and downloads go through one SoupSession on the main
 * context; a submission's body is sent from a thread of its own (see
 * seedream-client-submit.c for why and how).
 *
 * Rules these files keep (seedream-client*.c):
 * - The key goes only to the configured API base URL (checked by
 *   seedream_api_url_normalize(): HTTPS, or plain HTTP to loopback), in
 *   `Authorization: Bearer <key>`. API requests never follow redirects, so
 *   the header cannot travel elsewhere; downloads of results (on a file
 *   host) are separate messages that never carry it. No session has a
 *   SoupAuthManager, so nothing else adds credentials.
 * - Nothing logs the key: the debug lines name the method, the URL path,
 *   the status and byte counts, never headers. No SoupLogger.
 * - A submission is never retried: once its body may have reached the
 *   server, a second one could cost the credits twice. A POST also never
 *   reuses a kept-alive connection in libsoup, so libsoup itself does not
 *   resend it either.
 * - Queries are retried on transient failures with backoff.
 * - API answers are read only up to SEEDREAM_RESPONSE_MAX_SIZE (+1 byte to
 *   see that it is too big); results are streamed to disk.
 *
 * This file holds the object and the helpers the others share; the
 * exchange, submit, query and download each have a file of their own.
 */

#define G_LOG_DOMAIN "seedream-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "seedream-api-url.h"
#include "seedream-client.h"
#include "seedream-client-private.h"
#include "seedream-error.h"
#include "seedream-image-info.h"
#include "seedream-response.h"

static void seedream_client_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SeedreamClient, seedream_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      seedream_client_initable_iface_init))

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_KEY,
  PROP_TIMEOUT,
  PROP_ANSWER_TIMEOUT,
  PROP_DOWNLOAD_DEADLINE,
  PROP_QUERY_TIMEOUT,
  PROP_MAX_QUERY_RETRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers {{{1 */

void
seedream_client_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Like g_task_attach_source(), but the source keeps the task alive. */
GSource *
seedream_client_attach_task_source (GTask       *task,
                                                    GSource     *source,
                                                    GSourceFunc  func)
{
  g_source_set_callback (source, func, g_object_ref (task), g_object_unref);
  g_source_set_priority (source, g_task_get_priority (task));
  g_source_attach (source, g_task_get_context (task));

  return source;
}

GError *
seedream_client_new_cancelled_error (void)
{
  return seedream_error_new_full (SEEDREAM_ERROR_CANCELLED, 0, 0, NULL, _("Cancelled."));
}

gboolean
seedream_client_task_is_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static void
chained_cancelled_cb (GCancellable *caller,
                      GCancellable *own)
{
  g_cancellable_cancel (own);
}

/* Makes @caller's cancel cancel @own too, so that an operation can also be
 * stopped by a deadline of its own (which then says "timeout", not
 * "cancelled"). Returns the handler id for g_cancellable_disconnect(). */
gulong
seedream_client_chain_cancellable (GCancellable *caller,
                                   GCancellable *own)
{
  return g_cancellable_connect (caller, G_CALLBACK (chained_cancelled_cb),
                                g_object_ref (own), g_object_unref);
}

const char *
seedream_client_message_path (SoupMessage *msg)
{
  GUri *uri = soup_message_get_uri (msg);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;

  return path != NULL && *path != '\0' ? path : "/";
}

const char *
seedream_client_message_host (SoupMessage *msg)
{
  GUri *uri = soup_message_get_uri (msg);

  return uri != NULL ? g_uri_get_host (uri) : NULL;
}

void
seedream_client_close_stream_quietly (GInputStream *stream)
{
  if (stream != NULL && !g_input_stream_is_closed (stream) && !g_input_stream_has_pending (stream))
    g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/* Every session of the client, the one on the main context and those
 * that send submissions (see Sender below), is made here. */
SoupSession *
seedream_client_new_session (guint timeout)
{
  SoupSession *session;

  session = soup_session_new_with_options ("timeout", timeout,
                                           "user-agent", "Seedream-Studio/" PACKAGE_VERSION,
                                           NULL);
  /* The key is added by hand to API messages only; no feature may add
   * credentials (or resend a request to answer a challenge). */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);

  return session;
}

/* A message to the API: only ever built from the configured base URL,
 * never redirected, carrying the key. */
SoupMessage *
seedream_client_new_api_message (SeedreamClient  *self,
                                                 const char      *endpoint,
                                                 GError         **error)
{
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *msg;

  if (endpoint == NULL || endpoint[0] != '/')
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("The model has no valid endpoint (“%s”)."), endpoint ? endpoint : "");
      return NULL;
    }

  url = g_strconcat (self->base_url, endpoint, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_host (uri), self->host) != 0)
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("The model has no valid endpoint (“%s”)."), endpoint);
      return NULL;
    }

  msg = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", self->api_key, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");

  return msg;
}

/* GObject {{{1 */

static gboolean
is_sendable_key (const char *key)
{
  for (const char *p = key; *p != '\0'; p++)
    {
      /* Printable ASCII without spaces: anything else would not survive
       * (or would break) an HTTP header. */
      if (*p < 0x21 || *p > 0x7e)
        return FALSE;
    }

  return TRUE;
}

static gboolean
seedream_client_initable_init (GInitable     *initable,
                               GCancellable  *cancellable,
                               GError       **error)
{
  SeedreamClient *self = SEEDREAM_CLIENT (initable);
  g_autofree char *normalized = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GUri) uri = NULL;

  normalized = seedream_api_url_normalize (self->base_url, error);
  if (normalized == NULL)
    return FALSE;

  uri = g_uri_parse (normalized, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("“%s” is not a web address. Enter one like https://api.tensorslab.com"),
                   normalized);
      return FALSE;
    }

  key = g_strstrip (g_strdup (self->api_key != NULL ? self->api_key : ""));
  if (*key == '\0')
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION,
                           _("No API key is set. Add yours in Preferences."));
      return FALSE;
    }

  if (!is_sendable_key (key))
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION,
                           _("The API key contains characters that cannot be sent. Copy it again from the TensorsLab console into Preferences."));
      return FALSE;
    }

  g_free (self->base_url);
  self->base_url = g_steal_pointer (&normalized);
  self->host = g_strdup (g_uri_get_host (uri));
  g_free (self->api_key);
  self->api_key = g_steal_pointer (&key);

  self->session = seedream_client_new_session (self->timeout);

  return TRUE;
}

static void
seedream_client_initable_iface_init (GInitableIface *iface)
{
  iface->init = seedream_client_initable_init;
}

static void
seedream_client_dispose (GObject *object)
{
  SeedreamClient *self = (SeedreamClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (seedream_client_parent_class)->dispose (object);
}

static void
seedream_client_finalize (GObject *object)
{
  SeedreamClient *self = (SeedreamClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);

  G_OBJECT_CLASS (seedream_client_parent_class)->finalize (object);
}

static void
seedream_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SeedreamClient *self = SEEDREAM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_ANSWER_TIMEOUT:
      g_value_set_uint (value, self->answer_timeout);
      break;

    case PROP_DOWNLOAD_DEADLINE:
      g_value_set_uint (value, self->download_deadline);
      break;

    case PROP_QUERY_TIMEOUT:
      g_value_set_uint (value, self->query_timeout);
      break;

    case PROP_MAX_QUERY_RETRIES:
      g_value_set_uint (value, self->max_query_retries);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SeedreamClient *self = SEEDREAM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_free (self->base_url);
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_API_KEY:
      g_free (self->api_key);
      self->api_key = g_value_dup_string (value);
      break;

    case PROP_TIMEOUT:
      seedream_client_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_ANSWER_TIMEOUT:
      seedream_client_set_answer_timeout (self, g_value_get_uint (value));
      break;

    case PROP_DOWNLOAD_DEADLINE:
      seedream_client_set_download_deadline (self, g_value_get_uint (value));
      break;

    case PROP_QUERY_TIMEOUT:
      seedream_client_set_query_timeout (self, g_value_get_uint (value));
      break;

    case PROP_MAX_QUERY_RETRIES:
      seedream_client_set_max_query_retries (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_client_class_init (SeedreamClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_client_dispose;
  object_class->finalize = seedream_client_finalize;
  object_class->get_property = seedream_client_get_property;
  object_class->set_property = seedream_client_set_property;

  /**
   * SeedreamClient:base-url:
   *
   * The API base URL, e.g. https://api.tensorslab.com; normalized when the
   * client is made.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         SEEDREAM_DEFAULT_API_URL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:api-key:
   *
   * The key; it can be set, never read back.
   */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:timeout:
   *
   * Seconds without any byte moving after which a request fails with
   * %SEEDREAM_ERROR_TIMEOUT. An inactivity limit, not a total: a large
   * upload may take longer as long as it moves.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 3600, SEEDREAM_CLIENT_DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:answer-timeout:
   *
   * Seconds a submission waits for its answer once its whole body is sent
   * (the provider's request timeout). The upload itself is bound by
   * #SeedreamClient:timeout; a submission whose answer did not come in
   * time may still have created its task.
   */
  properties[PROP_ANSWER_TIMEOUT] =
    g_param_spec_uint ("answer-timeout", NULL, NULL,
                       1, 3600, SEEDREAM_CLIENT_DEFAULT_ANSWER_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:download-deadline:
   *
   * Seconds one result download may take in all, however steadily bytes
   * arrive (#SeedreamClient:timeout bounds only a silence); past it the
   * download fails with %SEEDREAM_ERROR_TIMEOUT and frees its slot.
   */
  properties[PROP_DOWNLOAD_DEADLINE] =
    g_param_spec_uint ("download-deadline", NULL, NULL,
                       1, 24 * 3600, SEEDREAM_CLIENT_DEFAULT_DOWNLOAD_DEADLINE,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:query-timeout:
   *
   * Seconds one query attempt may take in all.
   */
  properties[PROP_QUERY_TIMEOUT] =
    g_param_spec_uint ("query-timeout", NULL, NULL,
                       1, 3600, SEEDREAM_CLIENT_DEFAULT_QUERY_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamClient:max-query-retries:
   *
   * How many times a query is asked again after a transient failure.
   */
  properties[PROP_MAX_QUERY_RETRIES] =
    g_param_spec_uint ("max-query-retries", NULL, NULL,
                       0, 10, SEEDREAM_CLIENT_DEFAULT_MAX_QUERY_RETRIES,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_client_init (SeedreamClient *self)
{
  self->timeout = SEEDREAM_CLIENT_DEFAULT_TIMEOUT;
  self->answer_timeout = SEEDREAM_CLIENT_DEFAULT_ANSWER_TIMEOUT;
  self->download_deadline = SEEDREAM_CLIENT_DEFAULT_DOWNLOAD_DEADLINE;
  self->query_timeout = SEEDREAM_CLIENT_DEFAULT_QUERY_TIMEOUT;
  self->max_query_retries = SEEDREAM_CLIENT_DEFAULT_MAX_QUERY_RETRIES;
}

/**
 * seedream_client_new:
 * @base_url: the API base URL
 * @api_key: the key
 * @error: return location for a #SEEDREAM_ERROR
 *
 * The key goes only to @base_url's host, and only over HTTPS (plain HTTP
 * only to a loopback address, for tests).
 *
 * Returns: (transfer full): a new client, or %NULL with @error set
 *   (%SEEDREAM_ERROR_INSECURE_URL, %SEEDREAM_ERROR_INVALID_INPUT or
 *   %SEEDREAM_ERROR_AUTHENTICATION for a missing key)
 */
SeedreamClient *
seedream_client_new (const char  *base_url,
                     const char  *api_key,
                     GError     **error)
{
  return g_initable_new (SEEDREAM_TYPE_CLIENT, NULL, error,
                         "base-url", base_url,
                         "api-key", api_key,
                         NULL);
}

const char *
seedream_client_get_base_url (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), NULL);

  return self->base_url;
}

guint
seedream_client_get_timeout (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), 0);

  return self->timeout;
}

void
seedream_client_set_timeout (SeedreamClient *self,
                             guint           seconds)
{
  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  if (self->session != NULL)
    soup_session_set_timeout (self->session, seconds);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
seedream_client_get_answer_timeout (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), 0);

  return self->answer_timeout;
}

void
seedream_client_set_answer_timeout (SeedreamClient *self,
                                    guint           seconds)
{
  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->answer_timeout == seconds)
    return;

  self->answer_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWER_TIMEOUT]);
}

guint
seedream_client_get_download_deadline (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), 0);

  return self->download_deadline;
}

void
seedream_client_set_download_deadline (SeedreamClient *self,
                                       guint           seconds)
{
  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->download_deadline == seconds)
    return;

  self->download_deadline = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_DEADLINE]);
}

guint
seedream_client_get_query_timeout (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), 0);

  return self->query_timeout;
}

void
seedream_client_set_query_timeout (SeedreamClient *self,
                                   guint           seconds)
{
  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->query_timeout == seconds)
    return;

  self->query_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY_TIMEOUT]);
}

guint
seedream_client_get_max_query_retries (SeedreamClient *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), 0);

  return self->max_query_retries;
}

void
seedream_client_set_max_query_retries (SeedreamClient *self,
                                       guint           retries)
{
  g_return_if_fail (SEEDREAM_IS_CLIENT (self));

  if (self->max_query_retries == retries)
    return;

  self->max_query_retries = retries;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_QUERY_RETRIES]);
}

GBytes *
seedream_client_json_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}
