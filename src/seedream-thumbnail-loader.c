/* seedream-thumbnail-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decodes an image file into a texture of bounded size on a worker thread.
 * The size is checked twice before any pixel memory is allocated: from the
 * header bytes (seedream_image_read_dimensions), and in the decoder's
 * ::size-prepared, which also asks the decoder for the scaled size (JPEG
 * decodes at that size directly). Reading happens in chunks, so a
 * cancellation stops a long decode between two chunks.
 *
 * Thumbnails come in crowds (a task's results, a restored draft, a page of
 * history). Decoding them all at once would take every core from the main
 * loop, and with it the window's frames, so they wait in one queue served
 * by one or two threads of lower priority. A single large image (a preview,
 * a copy) is what the person is waiting for: it gets a thread at once.
 */

#define G_LOG_DOMAIN "seedream-thumbnail-loader"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-image-info.h"
#include "seedream-thread-priority.h"
#include "seedream-thumbnail-loader.h"

#define READ_CHUNK_SIZE (64 * 1024)

typedef struct
{
  GFile   *file;
  int      max_size;
  guint64  max_pixels;
} LoadData;

typedef struct
{
  GdkTexture *texture;
  int         width;
  int         height;
  goffset     file_size;
} LoadResult;

typedef struct
{
  int      max_size;
  guint64  max_pixels;
  int      width;
  int      height;
  gboolean too_large;
} SizeState;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->file);
  g_free (load);
}

static void
load_result_free (gpointer data)
{
  LoadResult *result = data;

  g_clear_object (&result->texture);
  g_free (result);
}

static gboolean
is_too_large (guint64 width,
              guint64 height,
              guint64 max_pixels)
{
  return width * height > max_pixels;
}

static void
set_too_large_error (GError **error,
                     guint64  width,
                     guint64  height,
                     guint64  max_pixels)
{
  g_autofree char *max = g_strdup_printf ("%'" G_GUINT64_FORMAT, max_pixels);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               /* Translators: the image's pixel dimensions, e.g. “20000 × 20000”, then the
                * most pixels shown, e.g. “16,777,216”; the plural follows that most */
               ngettext ("The image is too large to show (%llu × %llu pixels; at most %s pixel is shown)",
                         "The image is too large to show (%llu × %llu pixels; at most %s pixels are shown)",
                         (gulong) max_pixels),
               (unsigned long long) width, (unsigned long long) height, max);
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeState *state = user_data;

  state->width = width;
  state->height = height;

  if (width <= 0 || height <= 0 || is_too_large (width, height, state->max_pixels))
    {
      /* Zero asks the decoder not to allocate anything (the same trick
       * as gdk_pixbuf_get_file_info). */
      state->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  if (state->max_size > 0 && MAX (width, height) > state->max_size)
    {
      double scale = (double) state->max_size / (double) MAX (width, height);

      gdk_pixbuf_loader_set_size (loader,
                                  MAX (1, (int) (width * scale + 0.5)),
                                  MAX (1, (int) (height * scale + 0.5)));
    }
}

static GdkTexture *
texture_from_pixbuf (GdkPixbuf *pixbuf)
{
  g_autoptr(GBytes) bytes = gdk_pixbuf_read_pixel_bytes (pixbuf);
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);

  g_return_val_if_fail (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8, NULL);

  return gdk_memory_texture_new (gdk_pixbuf_get_width (pixbuf),
                                 gdk_pixbuf_get_height (pixbuf),
                                 has_alpha ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8,
                                 bytes,
                                 gdk_pixbuf_get_rowstride (pixbuf));
}

GdkTexture *
seedream_thumbnail_load (GFile         *file,
                         int            max_size,
                         guint64        max_pixels,
                         int           *image_width,
                         int           *image_height,
                         goffset       *file_size,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autofree guint8 *buffer = NULL;
  GdkPixbuf *pixbuf;
  SizeState state = { max_size, max_pixels, 0, 0, FALSE };
  guint header_width = 0, header_height = 0;
  gsize head_len = 0;
  gboolean closed = FALSE;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Look before opening: opening a FIFO would block until a writer came,
   * and a device such as /dev/zero never ends. This follows links. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("The file is not a regular file, so it is not shown"));
      return NULL;
    }
  g_clear_object (&info);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (file_size != NULL)
    *file_size = info != NULL ? g_file_info_get_size (info) : -1;

  /* The header first: enough to refuse a huge image without a decoder. */
  buffer = g_malloc (SEEDREAM_IMAGE_SNIFF_BYTES);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, SEEDREAM_IMAGE_SNIFF_BYTES,
                                &head_len, cancellable, error))
    return NULL;

  if (seedream_image_read_dimensions (buffer, head_len, &header_width, &header_height))
    {
      if (image_width != NULL)
        *image_width = header_width;
      if (image_height != NULL)
        *image_height = header_height;

      if (is_too_large (header_width, header_height, max_pixels))
        {
          set_too_large_error (error, header_width, header_height, max_pixels);
          return NULL;
        }
    }

  loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &state);

  while (head_len > 0)
    {
      gssize n_read;

      g_autoptr(GError) write_error = NULL;

      /* A decoder told size 0 may fail the write; that is the refusal. */
      if (!gdk_pixbuf_loader_write (loader, buffer, head_len, &write_error) && !state.too_large)
        {
          g_propagate_error (error, g_steal_pointer (&write_error));
          goto fail;
        }

      if (state.too_large)
        break;

      n_read = g_input_stream_read (G_INPUT_STREAM (stream), buffer, READ_CHUNK_SIZE, cancellable, error);
      if (n_read < 0)
        goto fail;
      head_len = n_read;
    }

  closed = TRUE;
  if (!gdk_pixbuf_loader_close (loader, state.too_large ? NULL : error))
    {
      if (!state.too_large)
        goto fail;
    }

  if (state.too_large)
    {
      set_too_large_error (error, MAX (state.width, 0), MAX (state.height, 0), state.max_pixels);
      return NULL;
    }

  if (image_width != NULL)
    *image_width = state.width;
  if (image_height != NULL)
    *image_height = state.height;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The file is not an image that can be shown"));
      return NULL;
    }

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (oriented != NULL && oriented != pixbuf &&
      gdk_pixbuf_get_width (oriented) != gdk_pixbuf_get_width (pixbuf))
    {
      /* A quarter turn: report the size as the person sees it. */
      if (image_width != NULL)
        *image_width = state.height;
      if (image_height != NULL)
        *image_height = state.width;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return texture_from_pixbuf (oriented != NULL ? oriented : pixbuf);

fail:
  if (!closed)
    gdk_pixbuf_loader_close (loader, NULL);
  return NULL;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr(GError) error = NULL;
  LoadResult *result = g_new0 (LoadResult, 1);

  result->texture = seedream_thumbnail_load (load->file, load->max_size, load->max_pixels,
                                             &result->width, &result->height, &result->file_size,
                                             cancellable, &error);
  if (result->texture == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, result, load_result_free);
}

/* Decodes of the queue running now, and the most that ever ran at once
 * since seedream_thumbnail_take_peak_decodes() last asked. */
static int running_decodes;
static int peak_decodes;

/**
 * seedream_thumbnail_get_max_decodes:
 *
 * Returns: how many queued thumbnails are decoded at the same time: half
 *   the processors, one at least and two at most
 */
guint
seedream_thumbnail_get_max_decodes (void)
{
  return CLAMP (g_get_num_processors () / 2, 1, 2);
}

/**
 * seedream_thumbnail_take_peak_decodes:
 *
 * For tests.
 *
 * Returns: the most queued thumbnails that were decoded at the same time
 *   since the last call (0 if none was)
 */
guint
seedream_thumbnail_take_peak_decodes (void)
{
  return (guint) g_atomic_int_exchange (&peak_decodes, 0);
}

static void
note_decode_started (void)
{
  int running = g_atomic_int_add (&running_decodes, 1) + 1;
  int peak;

  do
    peak = g_atomic_int_get (&peak_decodes);
  while (running > peak && !g_atomic_int_compare_and_exchange (&peak_decodes, peak, running));
}

static void
queue_worker (gpointer data,
              gpointer user_data)
{
  static GPrivate lowered;
  g_autoptr(GTask) task = data;

  if (g_private_get (&lowered) == NULL)
    {
      seedream_thread_lower_priority ("thumbnail decoder");
      g_private_set (&lowered, GINT_TO_POINTER (TRUE));
    }

  note_decode_started ();
  load_thread (task, NULL, g_task_get_task_data (task), g_task_get_cancellable (task));
  g_atomic_int_add (&running_decodes, -1);
}

static GThreadPool *
get_queue (void)
{
  static GThreadPool *queue;

  if (g_once_init_enter_pointer (&queue))
    {
      /* Exclusive: threads of lowered priority must not be lent to other
       * pools (GTask's among them). */
      GThreadPool *pool = g_thread_pool_new (queue_worker, NULL,
                                             (int) seedream_thumbnail_get_max_decodes (),
                                             TRUE, NULL);

      g_once_init_leave_pointer (&queue, pool);
    }

  return queue;
}

void
seedream_thumbnail_load_async (GFile               *file,
                               int                  max_size,
                               guint64              max_pixels,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  load = g_new0 (LoadData, 1);
  load->file = g_object_ref (file);
  load->max_size = max_size;
  load->max_pixels = max_pixels;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_thumbnail_load_async);
  g_task_set_task_data (task, load, load_data_free);
  if (max_size > 0 && max_size <= SEEDREAM_THUMBNAIL_QUEUED_MAX_SIZE)
    g_thread_pool_push (get_queue (), g_steal_pointer (&task), NULL);
  else
    g_task_run_in_thread (task, load_thread);
}

GdkTexture *
seedream_thumbnail_load_finish_full (GAsyncResult  *result,
                                     int           *image_width,
                                     int           *image_height,
                                     goffset       *file_size,
                                     GError       **error)
{
  LoadResult *loaded;
  GdkTexture *texture;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_thumbnail_load_async, NULL);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return NULL;

  if (image_width != NULL)
    *image_width = loaded->width;
  if (image_height != NULL)
    *image_height = loaded->height;
  if (file_size != NULL)
    *file_size = loaded->file_size;

  texture = g_steal_pointer (&loaded->texture);
  load_result_free (loaded);

  return texture;
}

GdkTexture *
seedream_thumbnail_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  return seedream_thumbnail_load_finish_full (result, NULL, NULL, NULL, error);
}
