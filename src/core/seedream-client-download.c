/* seedream-client-download.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Downloading a result image from its file host (never with the key),
 * streamed to a temporary file that is checked and moved into place.
 *
 * This is the one place a download is checked to be an image (by its
 * first bytes, and by its size) and renamed: a caller that names the file
 * by its type (seedream_client_download_image_async()) gets the file and
 * the image's size back, and has nothing left to read or move.
 */

#define G_LOG_DOMAIN "seedream-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-client-private.h"
#include "seedream-error.h"
#include "seedream-image-info.h"

/* Download {{{1 */

typedef struct
{
  SoupMessage          *msg;
  GInputStream         *in;
  GOutputStream        *out;
  GFile                *destination;
  GFile                *part;
  char                 *host;
  /* The first bytes, up to SEEDREAM_IMAGE_SNIFF_BYTES: held back until
   * the type is known, then kept (as they are written) for the size. */
  GByteArray           *head;
  const char           *mime_type;
  guint                 width;
  guint                 height;
  SeedreamImageNameFunc name_func;
  gpointer              name_data;
  GBytes               *writing;
  GError               *error;
  goffset               received;
  goffset               total;
  gboolean              at_end;
  gint64                started;
  /* Every step runs with this one: cancelled by the caller's cancellable
   * or by the deadline, which then makes the failure a timeout. */
  GCancellable         *cancellable;
  GCancellable         *caller_cancellable;
  gulong                caller_handler;
  GSource              *deadline;
  guint                 deadline_seconds;
  gboolean              deadline_passed;
  SeedreamProgressFunc  progress;
  gpointer              progress_data;
  GDestroyNotify        progress_destroy;
} DownloadData;

static void
download_data_free (gpointer data)
{
  DownloadData *dd = data;

  if (dd->deadline != NULL)
    {
      g_source_destroy (dd->deadline);
      g_clear_pointer (&dd->deadline, g_source_unref);
    }
  if (dd->caller_handler != 0)
    g_cancellable_disconnect (dd->caller_cancellable, dd->caller_handler);
  g_clear_object (&dd->caller_cancellable);
  g_clear_object (&dd->cancellable);
  seedream_client_close_stream_quietly (dd->in);
  g_clear_object (&dd->in);
  g_clear_object (&dd->out);
  g_clear_object (&dd->msg);
  g_clear_object (&dd->destination);
  g_clear_object (&dd->part);
  g_clear_pointer (&dd->host, g_free);
  g_clear_pointer (&dd->head, g_byte_array_unref);
  g_clear_pointer (&dd->writing, g_bytes_unref);
  g_clear_error (&dd->error);
  if (dd->progress_destroy != NULL)
    dd->progress_destroy (dd->progress_data);
  g_free (dd);
}

static GError *
new_save_error (GFile        *file,
                const GError *error)
{
  g_autofree char *name = g_file_get_parse_name (file);

  return seedream_error_new_full (SEEDREAM_ERROR_SAVE_FAILED, 0, 0, NULL,
                                  _("Could not save the image as %s: %s. Check that the folder exists, is writable and has free space."),
                                  name, error->message);
}

/* The file a save error is about: where the image goes, or while that
 * is not chosen yet, the file it is written to. */
static GFile *
download_target (DownloadData *dd)
{
  return dd->destination != NULL ? dd->destination : dd->part;
}

static void download_read_next (GTask *task);

static void
download_part_deleted_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_debug ("Could not remove the partial download: %s", error->message);

  g_task_return_error (task, g_steal_pointer (&dd->error));
}

/* Said in words: the file host sent more than any image the service can
 * make, so it was not kept (it is no image of ours, or a way to fill the
 * disk). */
static GError *
new_too_large_error (void)
{
  g_autofree char *limit = g_format_size (SEEDREAM_CLIENT_MAX_DOWNLOAD_SIZE);

  return seedream_error_new_full (SEEDREAM_ERROR_RESULT_TOO_LARGE, 0, 0, NULL,
                                  /* Translators: %s is a size such as “72.0 MB” */
                                  _("the file host sent more than %s, larger than any image the service makes"),
                                  limit);
}

static void
download_failed_closed_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DownloadData *dd = g_task_get_task_data (task);

  /* Closing may fail too; the file goes either way. */
  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, NULL);
  g_file_delete_async (dd->part, G_PRIORITY_DEFAULT, NULL,
                       download_part_deleted_cb, g_steal_pointer (&task));
}

/* Takes over @task and @error: removes what was written, then reports. */
static void
download_fail (GTask  *task,
               GError *error)
{
  DownloadData *dd = g_task_get_task_data (task);

  if (dd->deadline_passed)
    {
      g_error_free (error);
      if (dd->deadline_seconds < 120)
        error = seedream_error_new_full (SEEDREAM_ERROR_TIMEOUT, 0, 0, NULL,
                                         /* Translators: %s is the file host, %u seconds */
                                         g_dngettext (GETTEXT_PACKAGE,
                                                      "%s had not sent the whole image after %u second",
                                                      "%s had not sent the whole image after %u seconds",
                                                      dd->deadline_seconds),
                                         dd->host, dd->deadline_seconds);
      else
        error = seedream_error_new_full (SEEDREAM_ERROR_TIMEOUT, 0, 0, NULL,
                                         /* Translators: %s is the file host, %u minutes */
                                         g_dngettext (GETTEXT_PACKAGE,
                                                      "%s had not sent the whole image after %u minute",
                                                      "%s had not sent the whole image after %u minutes",
                                                      dd->deadline_seconds / 60),
                                         dd->host, dd->deadline_seconds / 60);
    }
  else if (seedream_client_task_is_cancelled (task))
    {
      g_error_free (error);
      error = seedream_client_new_cancelled_error ();
    }

  g_debug ("GET %s from %s failed: %s", seedream_client_message_path (dd->msg), dd->host, error->message);

  g_clear_error (&dd->error);
  dd->error = error;

  if (dd->out != NULL && !g_output_stream_is_closed (dd->out))
    g_output_stream_close_async (dd->out, G_PRIORITY_DEFAULT, NULL,
                                 download_failed_closed_cb, task);
  else if (dd->out != NULL)
    g_file_delete_async (dd->part, G_PRIORITY_DEFAULT, NULL,
                         download_part_deleted_cb, task);
  else
    {
      g_task_return_error (task, g_steal_pointer (&dd->error));
      g_object_unref (task);
    }
}

static void
download_moved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_move_finish (G_FILE (object), result, &error))
    {
      download_fail (task, new_save_error (download_target (dd), error));
      return;
    }

  g_debug ("GET %s from %s: %" G_GOFFSET_FORMAT " bytes saved in %" G_GINT64_FORMAT " ms",
           seedream_client_message_path (dd->msg), dd->host, dd->received,
           (g_get_monotonic_time () - dd->started) / 1000);

  if (g_task_get_source_tag (task) == seedream_client_download_image_async)
    g_task_return_pointer (task, g_object_ref (dd->destination), g_object_unref);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
download_closed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      download_fail (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                             ? seedream_client_new_cancelled_error ()
                             : new_save_error (download_target (dd), error));
      return;
    }

  if (seedream_client_task_is_cancelled (task))
    {
      download_fail (task, seedream_client_new_cancelled_error ());
      return;
    }

  if (!seedream_image_read_dimensions (dd->head->data,
                                       MIN (dd->head->len, SEEDREAM_IMAGE_SNIFF_BYTES),
                                       &dd->width, &dd->height))
    {
      dd->width = 0;
      dd->height = 0;
    }

  /* The whole image is in the .part file: put it in place at once (unless
   * cancelled: then nothing appears at the destination). */
  g_file_move_async (dd->part, dd->destination, G_FILE_COPY_OVERWRITE,
                     G_PRIORITY_DEFAULT, dd->cancellable, NULL, NULL,
                     download_moved_cb, task);
}

static void
download_finish_file (GTask *task)
{
  DownloadData *dd = g_task_get_task_data (task);

  g_output_stream_close_async (dd->out, G_PRIORITY_DEFAULT, dd->cancellable,
                               download_closed_cb, task);
}

static void
download_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&dd->writing, g_bytes_unref);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      download_fail (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                             ? seedream_client_new_cancelled_error ()
                             : new_save_error (download_target (dd), error));
      return;
    }

  if (dd->progress != NULL)
    dd->progress (dd->received, dd->total, dd->progress_data);

  if (dd->at_end)
    download_finish_file (task);
  else
    download_read_next (task);
}

static void
download_write (GTask  *task,
                GBytes *bytes)
{
  DownloadData *dd = g_task_get_task_data (task);
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  dd->writing = g_bytes_ref (bytes);
  g_output_stream_write_all_async (dd->out, data, size, G_PRIORITY_DEFAULT,
                                   dd->cancellable,
                                   download_written_cb, task);
}

/* Writes what was held back for sniffing, once it is known to be an
 * image (of a type the caller names a file for). Returns FALSE (and
 * fails the task) if it is not. */
static gboolean
download_check_head (GTask *task)
{
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GBytes) head = NULL;
  const char *mime_type;

  mime_type = seedream_image_sniff_mime_type (dd->head->data, dd->head->len);
  if (mime_type != NULL && dd->name_func != NULL)
    {
      dd->destination = dd->name_func (dd->part, mime_type, dd->name_data);
      if (dd->destination == NULL)
        mime_type = NULL;
    }

  if (mime_type == NULL)
    {
      download_fail (task, seedream_error_new_bad_response (_("the result was not an image")));
      return FALSE;
    }

  g_debug ("GET %s from %s: %s", seedream_client_message_path (dd->msg), dd->host, mime_type);

  dd->mime_type = mime_type;
  head = g_bytes_new (dd->head->data, dd->head->len);
  download_write (task, head);

  return TRUE;
}

/* Keeps the start of the image (as far as the size can be read from) as
 * it goes by. */
static void
download_keep_head (DownloadData *dd,
                    GBytes       *bytes)
{
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  if (dd->head->len < SEEDREAM_IMAGE_SNIFF_BYTES)
    g_byte_array_append (dd->head, data, MIN (size, SEEDREAM_IMAGE_SNIFF_BYTES - dd->head->len));
}

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      download_fail (task, seedream_error_new_for_transport (error, dd->host));
      return;
    }

  size = g_bytes_get_size (bytes);
  dd->received += size;

  if (size == 0)
    dd->at_end = TRUE;

  if (dd->received > SEEDREAM_CLIENT_MAX_DOWNLOAD_SIZE)
    {
      download_fail (task, new_too_large_error ());
      return;
    }

  if (dd->mime_type == NULL)
    {
      g_byte_array_append (dd->head, g_bytes_get_data (bytes, NULL), size);
      if (dd->head->len >= SNIFF_BYTES || dd->at_end)
        download_check_head (task);
      else
        download_read_next (task);
      return;
    }

  download_keep_head (dd, bytes);

  if (dd->at_end)
    download_finish_file (task);
  else
    download_write (task, bytes);
}

static void
download_read_next (GTask *task)
{
  DownloadData *dd = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (dd->in, DOWNLOAD_CHUNK, G_PRIORITY_DEFAULT,
                                   dd->cancellable,
                                   download_read_cb, task);
}

static void
download_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  dd->out = (GOutputStream *) g_file_replace_finish (G_FILE (object), result, &error);
  if (dd->out == NULL)
    {
      download_fail (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                             ? seedream_client_new_cancelled_error ()
                             : new_save_error (download_target (dd), error));
      return;
    }

  if (dd->progress != NULL)
    dd->progress (0, dd->total, dd->progress_data);

  download_read_next (task);
}

static void
download_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  dd->in = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (dd->in == NULL)
    {
      download_fail (task, seedream_error_new_for_transport (error, dd->host));
      return;
    }

  status = soup_message_get_status (dd->msg);
  g_debug ("GET %s from %s: %u %s", seedream_client_message_path (dd->msg), dd->host,
           status, soup_message_get_reason_phrase (dd->msg));

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      download_fail (task, seedream_error_new_for_download_status (status));
      return;
    }

  headers = soup_message_get_response_headers (dd->msg);
  dd->total = -1;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    dd->total = soup_message_headers_get_content_length (headers);

  if (dd->total > SEEDREAM_CLIENT_MAX_DOWNLOAD_SIZE)
    {
      download_fail (task, new_too_large_error ());
      return;
    }

  dd->head = g_byte_array_new ();
  g_file_replace_async (dd->part, NULL, FALSE, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT,
                        dd->cancellable, download_opened_cb, task);
}

static GFile *
part_file_for (GFile *destination)
{
  g_autoptr(GFile) parent = g_file_get_parent (destination);
  g_autofree char *basename = g_file_get_basename (destination);
  g_autofree char *part_name = NULL;

  if (parent == NULL || basename == NULL)
    return NULL;

  part_name = g_strconcat (basename, ".part", NULL);

  return g_file_get_child (parent, part_name);
}

/* The part of @url from the first @start (after the authority) up to the
 * first of @stops, as it is written; %NULL if it has none. */
static char *
raw_component (const char *url,
               char        start,
               const char *stops)
{
  const char *authority = strstr (url, "://");
  const char *begin;
  gsize len;

  if (authority == NULL)
    return NULL;

  begin = authority + 3 + strcspn (authority + 3, "/?#");
  if (start != '/')
    {
      begin = strchr (begin, start);
      if (begin == NULL || (start == '?' && strchr (url, '#') != NULL && strchr (url, '#') < begin))
        return NULL;
      begin++;
    }

  len = strcspn (begin, stops);
  for (gsize i = 0; i < len; i++)
    {
      /* Only what may stand in a request line as it is. */
      if (begin[i] <= 0x20 || begin[i] >= 0x7f || strchr ("\"<>\\^`{|}", begin[i]) != NULL)
        return NULL;
    }

  return g_strndup (begin, len);
}

/**
 * seedream_client_parse_result_url:
 * @url: a result URL as the service gave it
 *
 * GLib normalizes what it parses, even with %G_URI_FLAGS_ENCODED: `%2f`
 * becomes `%2F`, `%7E` becomes `~`. A pre-signed URL's signature covers
 * its query byte for byte, so that breaks it (the file host answers 403).
 * The URL is parsed for its scheme, host and port, and its path and query
 * are then taken over as written (when they are plain ASCII that may
 * stand in a request line; else as parsed).
 *
 * Returns: (transfer full) (nullable): the URI to request, or %NULL if
 *   @url is not a URL
 */
GUri *
seedream_client_parse_result_url (const char *url)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  parsed = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return g_steal_pointer (&parsed);

  path = raw_component (url, '/', "?#");
  query = raw_component (url, '?', "#");
  if ((g_uri_get_query (parsed) != NULL) != (query != NULL))
    return g_steal_pointer (&parsed);

  return g_uri_build (g_uri_get_flags (parsed),
                      g_uri_get_scheme (parsed), NULL,
                      g_uri_get_host (parsed), g_uri_get_port (parsed),
                      path != NULL && *path == '/' ? path : g_uri_get_path (parsed),
                      query, NULL);
}

/* Takes over @task, whose data @dd is: checks @url and sends the GET. */
static void
download_start (GTask      *task,
                const char *url)
{
  SeedreamClient *self = g_task_get_source_object (task);
  DownloadData *dd = g_task_get_task_data (task);
  g_autoptr(GUri) uri = NULL;
  const char *scheme = NULL;

  if (url != NULL)
    uri = seedream_client_parse_result_url (url);
  if (uri != NULL)
    scheme = g_uri_get_scheme (uri);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_task_return_error (task, seedream_error_new_bad_response (_("the result address was not a web address")));
      g_object_unref (task);
      return;
    }

  if (dd->part == NULL)
    {
      g_task_return_new_error (task, SEEDREAM_ERROR, SEEDREAM_ERROR_SAVE_FAILED,
                               _("Could not save the image there. Choose a file in a folder."));
      g_object_unref (task);
      return;
    }

  dd->host = g_strdup (g_uri_get_host (uri));

  /* No Authorization here, ever: this goes to the file host. Redirects may
   * be followed, since there is nothing secret to carry along. */
  dd->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_headers_replace (soup_message_get_request_headers (dd->msg), "Accept", "image/*");

  g_debug ("GET %s from %s", seedream_client_message_path (dd->msg), dd->host);

  soup_session_send_async (self->session, dd->msg, G_PRIORITY_DEFAULT,
                           dd->cancellable,
                           download_sent_cb, task);
}

static gboolean
download_deadline_cb (gpointer user_data)
{
  DownloadData *dd = user_data;

  g_debug ("Download from %s: deadline of %u s passed", dd->host, dd->deadline_seconds);
  dd->deadline_passed = TRUE;
  g_clear_pointer (&dd->deadline, g_source_unref);
  g_cancellable_cancel (dd->cancellable);

  return G_SOURCE_REMOVE;
}

static GTask *
download_task_new (SeedreamClient       *self,
                   gpointer              source_tag,
                   SeedreamProgressFunc  progress,
                   gpointer              progress_data,
                   GDestroyNotify        progress_destroy,
                   GCancellable         *cancellable,
                   GAsyncReadyCallback   callback,
                   gpointer              user_data)
{
  GTask *task;
  DownloadData *dd;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);

  dd = g_new0 (DownloadData, 1);
  dd->progress = progress;
  dd->progress_data = progress_data;
  dd->progress_destroy = progress_destroy;
  dd->started = g_get_monotonic_time ();
  dd->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      dd->caller_cancellable = g_object_ref (cancellable);
      dd->caller_handler = seedream_client_chain_cancellable (cancellable, dd->cancellable);
    }
  dd->deadline_seconds = self->download_deadline;
  dd->deadline = g_timeout_source_new_seconds (dd->deadline_seconds);
  g_source_set_callback (dd->deadline, download_deadline_cb, dd, NULL);
  g_source_attach (dd->deadline, g_main_context_get_thread_default ());
  g_task_set_task_data (task, dd, download_data_free);

  return task;
}

/**
 * seedream_client_download_async:
 * @self: a #SeedreamClient
 * @url: a result URL from a #SeedreamTaskInfo
 * @destination: where the image goes
 * @progress: (nullable) (scope notified): called as bytes arrive; the
 *   total is -1 when the file host does not say
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the operation ends
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the image is in place, or on failure
 * @user_data: data for @callback
 *
 * Downloads a result image. The request goes to a file host, so it never
 * carries the API key. The bytes go to "<destination>.part", which is moved
 * over @destination at the end; a body that is not an image (by its first
 * bytes) is refused as %SEEDREAM_ERROR_BAD_RESPONSE. On any failure,
 * nothing is left at @destination (an existing file there is untouched).
 */
void
seedream_client_download_async (SeedreamClient       *self,
                                const char           *url,
                                GFile                *destination,
                                SeedreamProgressFunc  progress,
                                gpointer              progress_data,
                                GDestroyNotify        progress_destroy,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  GTask *task;
  DownloadData *dd;

  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = download_task_new (self, seedream_client_download_async,
                            progress, progress_data, progress_destroy,
                            cancellable, callback, user_data);
  dd = g_task_get_task_data (task);
  dd->destination = g_object_ref (destination);
  dd->part = part_file_for (destination);

  download_start (task, url);
}

/**
 * seedream_client_download_finish:
 * @self: a #SeedreamClient
 * @result: the result given to the callback
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: %TRUE if the image is at the destination
 */
gboolean
seedream_client_download_finish (SeedreamClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_client_download_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}


/**
 * seedream_client_download_image_async:
 * @self: a #SeedreamClient
 * @url: a result URL from a #SeedreamTaskInfo
 * @part: the temporary file the bytes go to (replaced if it exists)
 * @name_func: chooses where the image goes once its type is known
 * @name_data: data for @name_func, valid until @callback is called
 * @progress: (nullable) (scope notified): called as bytes arrive; the
 *   total is -1 when the file host does not say
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the operation ends
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the image is in place, or on failure
 * @user_data: data for @callback
 *
 * Like seedream_client_download_async(), for a caller that names the file
 * by the image's type: the bytes go to @part and, once its first bytes
 * show an image, @name_func is called (on the main context, at most once)
 * with that type; @part is moved to the file it returns at the end. A
 * body that is not an image, or one of a type @name_func returns %NULL
 * for, is refused as %SEEDREAM_ERROR_BAD_RESPONSE. On any failure,
 * neither @part nor a new file is left behind.
 */
void
seedream_client_download_image_async (SeedreamClient        *self,
                                      const char            *url,
                                      GFile                 *part,
                                      SeedreamImageNameFunc  name_func,
                                      gpointer               name_data,
                                      SeedreamProgressFunc   progress,
                                      gpointer               progress_data,
                                      GDestroyNotify         progress_destroy,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  GTask *task;
  DownloadData *dd;

  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (part));
  g_return_if_fail (name_func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = download_task_new (self, seedream_client_download_image_async,
                            progress, progress_data, progress_destroy,
                            cancellable, callback, user_data);
  dd = g_task_get_task_data (task);
  dd->part = g_object_ref (part);
  dd->name_func = name_func;
  dd->name_data = name_data;

  download_start (task, url);
}

/**
 * seedream_client_download_image_finish:
 * @self: a #SeedreamClient
 * @result: the result given to the callback
 * @width: (out) (optional): the image's width, or 0 if its first bytes do not say
 * @height: (out) (optional): the image's height, or 0 likewise
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: (transfer full): the file the image is in, or %NULL with
 *   @error set
 */
GFile *
seedream_client_download_image_finish (SeedreamClient  *self,
                                       GAsyncResult    *result,
                                       guint           *width,
                                       guint           *height,
                                       GError         **error)
{
  DownloadData *dd;
  GFile *file;

  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_client_download_image_async, NULL);

  dd = g_task_get_task_data (G_TASK (result));
  file = g_task_propagate_pointer (G_TASK (result), error);

  if (width != NULL)
    *width = file != NULL ? dd->width : 0;
  if (height != NULL)
    *height = file != NULL ? dd->height : 0;

  return file;
}
