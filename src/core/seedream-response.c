/* seedream-response.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions from the bytes of an API answer to a result or an error;
 * no I/O. Every answer is an envelope {"code": int, "msg": string,
 * "data": object}; code 1000 is success.
 *
 * Decisions on what the contract leaves open:
 * - "code" must be a JSON integer; 1000.0 or "1000" is a bad answer.
 * - A task id is a non-empty UTF-8 string of at most 200 bytes without
 *   white space, control characters or slashes, and not "." or "..": it
 *   names the task's folder of results, which must be a folder of its own
 *   that can be made (a name has at most 255 bytes).
 * - "url" of a task may be an array of strings or a single string.
 *   Entries that are not strings, are empty or are not http(s) URLs are
 *   skipped (with a debug line), not fatal: one odd entry should not lose
 *   the other images. A task reported done (3) with no "url" at all, or
 *   an empty list, finished without images: the service's own clients
 *   call that a warning, and so does this (no error; see
 *   seedream_task_info_get_n_urls()). Done with entries of which none is
 *   usable is a bad answer: the images may be there, the list is broken.
 * - A task that failed (4) may come with only taskid, image_status and
 *   error_message: no url, no starttime, no width or height.
 * - "image_status" must be an integer (a string of digits is tolerated).
 * - "width"/"height" that are missing or not sensible integers read as 0.
 */

#define G_LOG_DOMAIN "seedream-response"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-response.h"

#define SUCCESS_CODE 1000
#define TASK_ID_MAX_BYTES 200
#define DIMENSION_MAX 100000

static gboolean
looks_like_html (const char *data,
                 gsize       len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;

  return i < len && data[i] == '<';
}

/* Returns the parser (owning the tree) and points @data at the envelope's
 * data object, which may be NULL when @require_data is FALSE. */
static JsonParser *
parse_envelope (GBytes      *body,
                gboolean     submitting,
                JsonObject **data,
                GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  JsonObject *root_object;
  JsonNode *root;
  JsonNode *code_node;
  JsonNode *msg_node;
  JsonNode *data_node;
  const char *msg = NULL;
  const char *bytes;
  gsize len = 0;
  gint64 code;

  *data = NULL;

  bytes = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (bytes == NULL || len == 0)
    {
      g_propagate_error (error, seedream_error_new_bad_response (_("the answer was empty")));
      return NULL;
    }

  if (len > SEEDREAM_RESPONSE_MAX_SIZE)
    {
      g_autofree char *size = g_format_size (SEEDREAM_RESPONSE_MAX_SIZE);
      g_autofree char *detail = g_strdup_printf (_("the answer was larger than %s"), size);

      g_propagate_error (error, seedream_error_new_bad_response (detail));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, bytes, (gssize) len, &json_error))
    {
      g_debug ("Answer is not JSON: %s", json_error->message);
      g_propagate_error (error,
                         seedream_error_new_bad_response (looks_like_html (bytes, len)
                                                          ? _("a web page instead of data")
                                                          : _("the answer was not valid JSON")));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, seedream_error_new_bad_response (_("the answer was not a JSON object")));
      return NULL;
    }

  root_object = json_node_get_object (root);

  code_node = json_object_get_member (root_object, "code");
  if (code_node == NULL || !JSON_NODE_HOLDS_VALUE (code_node) ||
      json_node_get_value_type (code_node) != G_TYPE_INT64)
    {
      g_propagate_error (error, seedream_error_new_bad_response (_("the answer had no result code")));
      return NULL;
    }

  code = json_node_get_int (code_node);

  msg_node = json_object_get_member (root_object, "msg");
  if (msg_node != NULL && JSON_NODE_HOLDS_VALUE (msg_node) &&
      json_node_get_value_type (msg_node) == G_TYPE_STRING)
    msg = json_node_get_string (msg_node);

  if (code != SUCCESS_CODE)
    {
      g_debug ("Answer code %" G_GINT64_FORMAT ", msg “%s”", code, msg != NULL ? msg : "");
      g_propagate_error (error, seedream_error_new_for_code (code, msg, submitting));
      return NULL;
    }

  data_node = json_object_get_member (root_object, "data");
  if (data_node == NULL || !JSON_NODE_HOLDS_OBJECT (data_node))
    {
      g_propagate_error (error, seedream_error_new_bad_response (_("the answer had no data")));
      return NULL;
    }

  *data = json_node_get_object (data_node);

  return g_steal_pointer (&parser);
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * seedream_response_is_valid_task_id:
 * @task_id: (nullable): a task id from the service
 *
 * Returns: %TRUE if @task_id is safe to keep, log and send back: non-empty
 *   UTF-8 of at most 200 bytes, no white space, control characters or `/`,
 *   not `.` or `..`
 */
gboolean
seedream_response_is_valid_task_id (const char *task_id)
{
  gsize len;

  if (task_id == NULL)
    return FALSE;

  len = strlen (task_id);
  if (len == 0 || len > TASK_ID_MAX_BYTES || !g_utf8_validate (task_id, len, NULL))
    return FALSE;

  /* As a folder name, "." is the results folder itself and ".." the data
   * folder: every task so named would share (and show) the same images. */
  if (strcmp (task_id, ".") == 0 || strcmp (task_id, "..") == 0)
    return FALSE;

  for (const char *p = task_id; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || g_unichar_isspace (c) || g_unichar_iscntrl (c) ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        return FALSE;
    }

  return TRUE;
}

static const char *
get_task_id (JsonObject  *data,
             GError     **error)
{
  const char *task_id = get_string_member (data, "taskid");

  if (task_id == NULL || *task_id == '\0')
    {
      g_propagate_error (error, seedream_error_new_bad_response (_("the answer had no task id")));
      return NULL;
    }

  if (!seedream_response_is_valid_task_id (task_id))
    {
      g_propagate_error (error, seedream_error_new_bad_response (_("the task id was malformed")));
      return NULL;
    }

  return task_id;
}

/**
 * seedream_response_parse_submit:
 * @body: (nullable): the bytes of the answer to a submission
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: (transfer full): the id of the new task, or %NULL with @error set
 *   (%SEEDREAM_ERROR_INSUFFICIENT_CREDITS for code 9000,
 *   %SEEDREAM_ERROR_SERVER_FAILURE for other codes,
 *   %SEEDREAM_ERROR_BAD_RESPONSE for anything not in the contract)
 */
char *
seedream_response_parse_submit (GBytes  *body,
                                GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *data = NULL;
  const char *task_id;

  parser = parse_envelope (body, TRUE, &data, error);
  if (parser == NULL)
    return NULL;

  task_id = get_task_id (data, error);
  if (task_id == NULL)
    return NULL;

  return g_strdup (task_id);
}

/**
 * seedream_response_parse_delete:
 * @body: the answer to deleteimagestask
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: whether the service said the tasks are deleted (code 1000 and
 *   data.status "Success")
 */
gboolean
seedream_response_parse_delete (GBytes  *body,
                                GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *data = NULL;

  parser = parse_envelope (body, FALSE, &data, error);
  if (parser == NULL)
    return FALSE;

  if (g_strcmp0 (get_string_member (data, "status"), "Success") != 0)
    {
      g_propagate_error (error, seedream_error_new_bad_response (_("the answer did not say the tasks were deleted")));
      return FALSE;
    }

  return TRUE;
}

/**
 * seedream_response_error_for_status:
 * @http_status: a status that is not 2xx
 * @retry_after_header: (nullable): the Retry-After header of the answer
 * @body: (nullable): what was read of the answer's body (at most
 *   %SEEDREAM_RESPONSE_ERROR_BODY_MAX bytes)
 * @submitting: whether the answer was to a submission (or to a query)
 *
 * The service may refuse with a 4xx whose body is the JSON envelope; its
 * code and msg then say more than the status does (see
 * seedream_error_new_for_refusal()). A body that is not the envelope
 * (an HTML page, a cut one, nothing) leaves the status alone to speak.
 *
 * Returns: (transfer full): a new #SEEDREAM_ERROR
 */
GError *
seedream_response_error_for_status (guint       http_status,
                                    const char *retry_after_header,
                                    GBytes     *body,
                                    gboolean    submitting)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root_object;
  JsonNode *root;
  JsonNode *code_node;
  const char *bytes;
  gsize len = 0;

  bytes = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  if (bytes == NULL || len == 0 || len > SEEDREAM_RESPONSE_ERROR_BODY_MAX)
    return seedream_error_new_for_status (http_status, retry_after_header);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, bytes, (gssize) len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return seedream_error_new_for_status (http_status, retry_after_header);

  root_object = json_node_get_object (root);
  code_node = json_object_get_member (root_object, "code");
  if (code_node == NULL || !JSON_NODE_HOLDS_VALUE (code_node) ||
      json_node_get_value_type (code_node) != G_TYPE_INT64)
    return seedream_error_new_for_status (http_status, retry_after_header);

  g_debug ("Answer %u with code %" G_GINT64_FORMAT, http_status, json_node_get_int (code_node));

  return seedream_error_new_for_refusal (http_status, retry_after_header,
                                         json_node_get_int (code_node),
                                         get_string_member (root_object, "msg"),
                                         submitting);
}

static gboolean
is_web_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (text == NULL || *text == '\0')
    return FALSE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0) &&
         host != NULL && *host != '\0';
}

static void
add_url (GStrvBuilder *builder,
         guint        *n_urls,
         JsonNode     *node)
{
  const char *url;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_debug ("Skipping a result URL that is not a string");
      return;
    }

  url = json_node_get_string (node);
  if (!is_web_url (url))
    {
      g_debug ("Skipping a result URL that is not an http(s) URL");
      return;
    }

  if (*n_urls >= SEEDREAM_RESPONSE_MAX_URLS)
    {
      g_debug ("Skipping result URLs beyond %u", SEEDREAM_RESPONSE_MAX_URLS);
      return;
    }

  g_strv_builder_add (builder, url);
  (*n_urls)++;
}

static gboolean
get_image_status (JsonObject *data,
                  gint64     *image_status)
{
  JsonNode *node = json_object_get_member (data, "image_status");
  const char *text;
  gint64 value = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *image_status = json_node_get_int (node);
      return TRUE;
    }

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  /* Tolerated: "3". */
  text = json_node_get_string (node);
  if (text == NULL || *text == '\0' || strlen (text) > 9)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (*p - '0');
    }

  *image_status = value;
  return TRUE;
}

static guint
get_dimension (JsonObject *data,
               const char *name)
{
  JsonNode *node = json_object_get_member (data, name);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  value = json_node_get_int (node);
  if (value <= 0 || value > DIMENSION_MAX)
    return 0;

  return (guint) value;
}

/**
 * seedream_response_parse_task_info:
 * @body: (nullable): the bytes of the answer to infobytaskid
 * @error: return location for a #SEEDREAM_ERROR
 *
 * A task that failed is not an error here: it comes back as a
 * #SeedreamTaskInfo in %SEEDREAM_TASK_STATE_FAILED with its error message.
 *
 * Returns: (transfer full): what the service said about the task, or %NULL
 *   with @error set
 */
SeedreamTaskInfo *
seedream_response_parse_task_info (GBytes  *body,
                                   GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) urls = NULL;
  JsonObject *data = NULL;
  JsonNode *url_node;
  const char *task_id;
  gint64 image_status = 0;
  guint n_urls = 0;
  guint n_listed = 0;

  parser = parse_envelope (body, FALSE, &data, error);
  if (parser == NULL)
    return NULL;

  task_id = get_task_id (data, error);
  if (task_id == NULL)
    return NULL;

  if (!get_image_status (data, &image_status))
    {
      g_propagate_error (error, seedream_error_new_bad_response (_("the answer had no task status")));
      return NULL;
    }

  builder = g_strv_builder_new ();
  url_node = json_object_get_member (data, "url");

  if (url_node != NULL && JSON_NODE_HOLDS_ARRAY (url_node))
    {
      JsonArray *array = json_node_get_array (url_node);
      guint length = json_array_get_length (array);

      n_listed = length;
      for (guint i = 0; i < length; i++)
        add_url (builder, &n_urls, json_array_get_element (array, i));
    }
  else if (url_node != NULL && JSON_NODE_HOLDS_VALUE (url_node))
    {
      /* "" reads as no images, like []. */
      if (json_node_get_value_type (url_node) != G_TYPE_STRING ||
          *json_node_get_string (url_node) != '\0')
        n_listed = 1;
      add_url (builder, &n_urls, url_node);
    }
  else if (url_node != NULL && !JSON_NODE_HOLDS_NULL (url_node))
    {
      g_debug ("Ignoring a url member that is neither a list nor a string");
    }

  urls = g_strv_builder_end (builder);

  if (seedream_task_state_from_image_status (image_status) == SEEDREAM_TASK_STATE_DONE &&
      n_listed > 0 && n_urls == 0)
    {
      g_propagate_error (error,
                         seedream_error_new_bad_response (_("the task finished but none of its image addresses could be used")));
      return NULL;
    }

  return seedream_task_info_new (task_id,
                                 image_status,
                                 (const char * const *) urls,
                                 get_dimension (data, "width"),
                                 get_dimension (data, "height"),
                                 get_string_member (data, "starttime"),
                                 get_string_member (data, "error_message"));
}
