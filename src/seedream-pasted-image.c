/* seedream-pasted-image.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pasted and dropped pictures have no file, but a source image must be a
 * file (the draft refers to it after a restart, the upload streams it). The
 * pixels are copied out of the texture on the calling thread, which is
 * quick and the only part that must touch GDK; the slow PNG encoding and
 * the write happen on a worker thread so a large paste does not stall the
 * window.
 */

#define G_LOG_DOMAIN "seedream-pasted-image"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>

#include "seedream-pasted-image.h"

typedef struct
{
  GBytes *pixels;
  int     width;
  int     height;
  gsize   stride;
  GFile  *directory;
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_clear_pointer (&save->pixels, g_bytes_unref);
  g_clear_object (&save->directory);
  g_free (save);
}

static GFile *
create_unique_file (GFile         *directory,
                    GFileOutputStream **stream,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("pasted-%s-%u.png", stamp, i);
      g_autoptr(GFile) file = g_file_get_child (directory, name);
      g_autoptr(GError) local_error = NULL;

      *stream = g_file_create (file, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
      if (*stream != NULL)
        return g_steal_pointer (&file);

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("There are too many pasted images with the same time stamp"));
  return NULL;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *save = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *png = NULL;
  gsize png_size = 0;

  pixbuf = gdk_pixbuf_new_from_bytes (save->pixels, GDK_COLORSPACE_RGB, TRUE, 8,
                                      save->width, save->height, (int) save->stride);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_size, "png", &error, NULL))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_mkdir_with_parents (g_file_peek_path (save->directory), 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s", g_strerror (saved_errno));
      return;
    }

  file = create_unique_file (save->directory, &stream, cancellable, &error);
  if (file == NULL ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (stream), png, png_size, NULL, cancellable, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      /* Leave no half-written picture behind for the draft to point at. */
      if (file != NULL)
        g_file_delete (file, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
}

/**
 * seedream_pasted_image_save_async:
 * @texture: the pasted or dropped picture
 * @directory: where to keep it (made if missing, private to the user)
 *
 * Writes @texture as a new PNG file in @directory.
 */
void
seedream_pasted_image_save_async (GdkTexture          *texture,
                                  GFile               *directory,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GdkTextureDownloader) downloader = NULL;
  SaveData *save;

  g_return_if_fail (GDK_IS_TEXTURE (texture));
  g_return_if_fail (G_IS_FILE (directory));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_pasted_image_save_async);

  save = g_new0 (SaveData, 1);
  save->width = gdk_texture_get_width (texture);
  save->height = gdk_texture_get_height (texture);
  save->directory = g_object_ref (directory);

  /* Unpremultiplied RGBA is what GdkPixbuf stores. */
  downloader = gdk_texture_downloader_new (texture);
  gdk_texture_downloader_set_format (downloader, GDK_MEMORY_R8G8B8A8);
  save->pixels = gdk_texture_downloader_download_bytes (downloader, &save->stride);

  g_task_set_task_data (task, save, save_data_free);
  g_task_run_in_thread (task, save_thread);
}

/**
 * seedream_pasted_image_save_finish:
 *
 * Returns: (transfer full): the new file, or %NULL with @error set
 */
GFile *
seedream_pasted_image_save_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
