/* seedream-history-sources.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history's own copies of source images: each file a submission sends is
 * copied into <data_dir>/sources/ on a worker thread, named by the SHA-256
 * of its content (so the same image is kept once), through a temporary
 * ".incoming-" file that is synced and then renamed into place. Copies left
 * behind by a copy that never finished are removed at opening.
 */

#define G_LOG_DOMAIN "seedream-history"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gfiledescriptorbased.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "seedream-history-private.h"

#define INCOMING_PREFIX    ".incoming-"
#define COPY_BUFFER_SIZE   (64 * 1024)

typedef struct
{
  GPtrArray *files;         /* GFile: the originals */
  GFile     *data_dir;
  GFile     *sources_dir;
} CopyData;

static void
copy_data_free (CopyData *data)
{
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_clear_object (&data->data_dir);
  g_clear_object (&data->sources_dir);
  g_free (data);
}

/* ".png" for "photo.PNG"; "" when there is no usable extension. */
static char *
get_extension (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  const char *dot;
  gsize len;

  if (basename == NULL || (dot = strrchr (basename, '.')) == NULL || dot == basename)
    return g_strdup ("");

  len = strlen (dot + 1);
  if (len == 0 || len > 10)
    return g_strdup ("");

  for (const char *p = dot + 1; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return g_strdup ("");

  return g_ascii_strdown (dot, -1);
}

static gboolean
sync_stream (GOutputStream  *stream,
             GError        **error)
{
  int fd;

  if (!G_IS_FILE_DESCRIPTOR_BASED (stream))
    return TRUE;

  fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (stream));
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Copies @file to a temporary file in @sources_dir while hashing it, then
 * renames it to <sha256><ext>. Returns the final file. */
static GFile *
copy_source (GFile         *file,
             GFile         *sources_dir,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileOutputStream) output = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) temp = NULL;
  g_autoptr(GFile) final = NULL;
  g_autoptr(GFileInfo) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *temp_name = NULL;
  g_autofree char *final_name = NULL;
  g_autofree char *extension = NULL;
  g_autofree guint8 *buffer = NULL;
  guint64 copied = 0;

  input = g_file_read (file, cancellable, &local_error);
  if (input == NULL)
    goto failed;

  temp_name = g_strdup_printf (INCOMING_PREFIX "%08x%08x", g_random_int (), g_random_int ());
  temp = g_file_get_child (sources_dir, temp_name);
  output = g_file_create (temp, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
  if (output == NULL)
    goto failed;

  buffer = g_malloc (COPY_BUFFER_SIZE);
  for (;;)
    {
      gssize n_read = g_input_stream_read (G_INPUT_STREAM (input), buffer, COPY_BUFFER_SIZE,
                                           cancellable, &local_error);

      if (n_read < 0)
        goto failed_with_temp;
      if (n_read == 0)
        break;

      g_checksum_update (checksum, buffer, n_read);
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (output), buffer, n_read, NULL,
                                      cancellable, &local_error))
        goto failed_with_temp;

      copied += n_read;
    }

  if (!sync_stream (G_OUTPUT_STREAM (output), &local_error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (output), cancellable, &local_error))
    goto failed_with_temp;

  extension = get_extension (file);
  final_name = g_strconcat (g_checksum_get_string (checksum), extension, NULL);
  final = g_file_get_child (sources_dir, final_name);

  /* The same content was kept before: keep that copy, unless it is not
   * whole (a different size cannot have the same hash). */
  existing = g_file_query_info (final, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  if (existing != NULL && (guint64) g_file_info_get_size (existing) == copied)
    {
      g_file_delete (temp, NULL, NULL);
      return g_steal_pointer (&final);
    }

  if (!g_file_move (temp, final, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                    cancellable, NULL, NULL, &local_error))
    goto failed_with_temp;

  return g_steal_pointer (&final);

failed_with_temp:
  if (output != NULL)
    g_output_stream_close (G_OUTPUT_STREAM (output), NULL, NULL);
  g_file_delete (temp, NULL, NULL);

failed:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  else
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, G_IO_ERROR, local_error->code,
                   _("A copy of the source image “%s” could not be kept, so the request "
                     "was not sent (%s). Check that the image can be read and that there "
                     "is free disk space."),
                   name, local_error->message);
    }

  return NULL;
}

static void
copy_sources_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  CopyData *data = task_data;
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < data->files->len; i++)
    {
      g_autoptr(GFile) copy = NULL;
      GError *error = NULL;

      copy = copy_source (g_ptr_array_index (data->files, i), data->sources_dir,
                          cancellable, &error);
      if (copy == NULL)
        {
          g_task_return_error (task, error);
          return;
        }

      g_ptr_array_add (stored, g_file_get_relative_path (data->data_dir, copy));
    }

  g_task_return_pointer (task, g_steal_pointer (&stored), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * seedream_history_copy_sources_async: (skip)
 * @self: a history
 * @request: the request whose source files are copied (read now)
 *
 * Copies the source files of @request into sources/ on a worker thread.
 */
void
seedream_history_copy_sources_async (SeedreamHistory     *self,
                                     SeedreamRequest     *request,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GListModel *files;
  CopyData *copy;

  copy = g_new0 (CopyData, 1);
  copy->files = g_ptr_array_new_with_free_func (g_object_unref);
  copy->data_dir = g_object_ref (self->data_dir);
  copy->sources_dir = g_object_ref (self->sources_dir);
  files = seedream_request_get_source_files (request);
  for (guint i = 0, n = g_list_model_get_n_items (files); i < n; i++)
    g_ptr_array_add (copy->files, g_list_model_get_item (files, i));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_history_copy_sources_async);
  g_task_set_task_data (task, copy, (GDestroyNotify) copy_data_free);
  g_task_run_in_thread (task, copy_sources_thread);
}

/**
 * seedream_history_copy_sources_finish: (skip)
 *
 * Returns: (transfer full) (element-type utf8): the copies' paths relative
 *   to the data folder, in order, or %NULL with @error set
 */
GPtrArray *
seedream_history_copy_sources_finish (SeedreamHistory  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Copies left behind by a copy that never finished (the app stopped). */
void
seedream_history_remove_incoming_files (SeedreamHistory *self)
{
  g_autoptr(GDir) dir = g_dir_open (g_file_peek_path (self->sources_dir), 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, INCOMING_PREFIX))
        {
          g_autofree char *path = g_build_filename (g_file_peek_path (self->sources_dir), name, NULL);

          g_unlink (path);
        }
    }
}
