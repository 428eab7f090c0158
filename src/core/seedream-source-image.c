/* seedream-source-image.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One reference image, checked: readable, a regular file, not empty, not
 * larger than the model allows, an image by its bytes (never its name) of
 * a pixel size the header states. The request checks each of its files
 * with it before sending, and the form as they are added.
 *
 * Errors are in SEEDREAM_ERROR: SEEDREAM_ERROR_INVALID_INPUT with a message
 * that names the file and says what to do, or SEEDREAM_ERROR_CANCELLED.
 */

#define G_LOG_DOMAIN "seedream-source-image"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-image-info.h"
#include "seedream-source-image.h"

struct _SeedreamSourceImage
{
  grefcount   ref_count;
  GFile      *file;
  char       *display_name;
  guint64     size;
  const char *mime_type;  /* static, from the sniffer */
  guint       width;
  guint       height;
};

/* A guard, not a provider rule: no reference image needs more pixels
 * than this (the largest result is 4096 × 4096), and a header that claims
 * more is refused before anything, here or at the service, decodes it. The
 * same bound as SEEDREAM_THUMBNAIL_MAX_SOURCE_PIXELS in the UI. */
#define SOURCE_IMAGE_MAX_PIXELS (G_GUINT64_CONSTANT (100000000))

G_DEFINE_BOXED_TYPE (SeedreamSourceImage, seedream_source_image,
                     seedream_source_image_ref, seedream_source_image_unref)

SeedreamSourceImage *
seedream_source_image_ref (SeedreamSourceImage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref_count);

  return self;
}

void
seedream_source_image_unref (SeedreamSourceImage *self)
{
  g_return_if_fail (self != NULL);

  if (g_ref_count_dec (&self->ref_count))
    {
      g_clear_object (&self->file);
      g_free (self->display_name);
      g_free (self);
    }
}

GFile *
seedream_source_image_get_file (SeedreamSourceImage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->file;
}

/**
 * seedream_source_image_get_display_name:
 * @self: a checked source image
 *
 * Returns: the file name as UTF-8, for people
 */
const char *
seedream_source_image_get_display_name (SeedreamSourceImage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->display_name;
}

guint64
seedream_source_image_get_size (SeedreamSourceImage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

/**
 * seedream_source_image_get_mime_type:
 * @self: a checked source image
 *
 * Returns: the type found from the content, e.g. "image/png"
 */
const char *
seedream_source_image_get_mime_type (SeedreamSourceImage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->mime_type;
}

/**
 * seedream_source_image_get_width:
 * @self: a checked source image
 *
 * Returns: the width in pixels, or 0 if the header did not say
 */
guint
seedream_source_image_get_width (SeedreamSourceImage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->width;
}

/**
 * seedream_source_image_get_height:
 * @self: a checked source image
 *
 * Returns: the height in pixels, or 0 if the header did not say
 */
guint
seedream_source_image_get_height (SeedreamSourceImage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->height;
}

/**
 * seedream_file_dup_display_name:
 * @file: a file
 *
 * The file's name as people read it: always valid UTF-8, whatever bytes the
 * name has on disk, so it can go into messages, tooltips and the
 * accessibility tree.
 *
 * Returns: (transfer full): the name
 */
char *
seedream_file_dup_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (basename == NULL || strcmp (basename, "/") == 0)
    return g_file_get_parse_name (file);

  return g_filename_display_name (basename);
}

static void
set_cancelled (GError **error)
{
  g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED,
                       _("Cancelled"));
}

/* Turns a GIO error about @name into ours. */
static void
set_unreadable (GError     **error,
                const char  *name,
                GError      *io_error)
{
  const char *reason;

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_cancelled (error);
      return;
    }

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("“%s” is a folder: choose an image file"), name);
      return;
    }

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    reason = _("it does not exist (any more)");
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    reason = _("permission denied");
  else
    reason = io_error->message;

  g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
               /* Translators: the second %s is the reason, e.g. "permission denied" */
               _("“%s” cannot be read: %s"), name, reason);
}

/* The checks that stat() can answer: a regular file, not empty, not too big. */
static gboolean
check_file_info (GFileInfo            *info,
                 const char           *name,
                 const SeedreamModel  *model,
                 GError              **error)
{
  goffset size;

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_TYPE))
    {
      GFileType type = g_file_info_get_file_type (info);

      if (type == G_FILE_TYPE_DIRECTORY)
        {
          g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                       _("“%s” is a folder: choose an image file"), name);
          return FALSE;
        }

      /* Following links, GIO reports a broken one as the link itself. */
      if (type == G_FILE_TYPE_SYMBOLIC_LINK)
        {
          g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                       _("“%s” cannot be read: %s"), name, _("it does not exist (any more)"));
          return FALSE;
        }

      if (type != G_FILE_TYPE_REGULAR)
        {
          g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                       _("“%s” is not a regular file (it is a device or another special file): choose an image file"),
                       name);
          return FALSE;
        }
    }

  if (!g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("“%s” cannot be read: its size is unknown"), name);
      return FALSE;
    }

  size = g_file_info_get_size (info);
  if (size <= 0)
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("“%s” is empty: choose an image file"), name);
      return FALSE;
    }

  if ((guint64) size > model->max_source_image_bytes)
    {
      g_autofree char *limit = seedream_model_format_max_source_image_size (model);
      g_autofree char *actual = NULL;

      /* Just above the limit, "10.0 MB" would not show why it is refused. */
      if ((guint64) size < model->max_source_image_bytes + model->max_source_image_bytes / 100)
        {
          g_autofree char *bytes = seedream_resolution_format_number ((guint64) size);

          /* Translators: a file size, e.g. "10,000,001 bytes" */
          actual = g_strdup_printf (ngettext ("%s byte", "%s bytes", (gulong) size), bytes);
        }
      else
        {
          actual = g_format_size ((guint64) size);
        }

      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   /* Translators: "“big.png” is 14.2 MB; the limit is 10 MB" */
                   _("“%s” is %s; the limit is %s"), name, actual, limit);
      return FALSE;
    }

  return TRUE;
}

/**
 * seedream_source_image_check:
 * @file: a reference image the person chose
 * @model: (nullable): the model it is for; %NULL for the default
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Checks one reference file with blocking I/O (run it from a thread, or
 * use seedream_source_image_check_async()): it must be readable, a regular
 * file (not a folder, not a device such as /dev/zero even through a
 * symbolic link), not empty, at most the model's size limit, and an image
 * of a type the model accepts, judged by its content. The file's head is
 * read to find the type and, when the header says, the pixel size.
 *
 * Returns: (transfer full) (nullable): what was found, or %NULL with
 *   @error set to a message that names the file
 */
SeedreamSourceImage *
seedream_source_image_check (GFile                *file,
                             const SeedreamModel  *model,
                             GCancellable         *cancellable,
                             GError              **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInfo) stream_info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree guint8 *head = NULL;
  SeedreamSourceImage *self;
  const char *mime_type;
  goffset size;
  gsize head_len;
  gsize head_read = 0;
  guint width = 0;
  guint height = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (model == NULL)
    model = seedream_model_get_default ();

  name = seedream_file_dup_display_name (file);

  /* Look before opening: opening a FIFO for reading would block. This
   * follows symbolic links, so a link to /dev/zero is a device. */
  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      set_unreadable (error, name, local_error);
      return NULL;
    }

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME))
    g_set_str (&name, g_file_info_get_display_name (info));

  if (!check_file_info (info, name, model, error))
    return NULL;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      set_unreadable (error, name, local_error);
      return NULL;
    }

  /* Again on what was opened (fstat for local files): the file may have
   * been replaced in between. */
  stream_info = g_file_input_stream_query_info (stream,
                                                G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                cancellable, NULL);
  if (stream_info != NULL &&
      g_file_info_has_attribute (stream_info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    {
      if (!check_file_info (stream_info, name, model, error))
        return NULL;
      size = g_file_info_get_size (stream_info);
    }
  else
    {
      size = g_file_info_get_size (info);
    }

  head_len = (gsize) MIN ((guint64) size, (guint64) SEEDREAM_IMAGE_SNIFF_BYTES);
  head = g_malloc (head_len);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), head, head_len, &head_read,
                                cancellable, &local_error))
    {
      set_unreadable (error, name, local_error);
      return NULL;
    }

  mime_type = seedream_image_sniff_mime_type (head, head_read);
  if (mime_type == NULL || !seedream_model_accepts_mime_type (model, mime_type))
    {
      g_autofree char *accepted = seedream_model_describe_source_types (model);

      if (mime_type == NULL)
        g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                     /* Translators: "“cat.txt” is not an image (accepted types: JPEG, PNG, WebP, BMP, TIFF, GIF)" */
                     _("“%s” is not an image (accepted types: %s)"),
                     name, accepted);
      else
        g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                     /* Translators: "“a.gif” is a GIF image, which Model does not accept (accepted types: PNG)" */
                     _("“%s” is a %s image, which %s does not accept (accepted types: %s)"),
                     name, seedream_image_mime_type_get_name (mime_type),
                     model->display_name, accepted);
      return NULL;
    }

  if (!seedream_image_read_dimensions (head, head_read, &width, &height))
    {
      /* The whole file was read and its header still ends early: it is
       * cut off or damaged. (A larger file may keep its size beyond the
       * bytes read, e.g. after big JPEG metadata: that one goes on.) */
      if ((goffset) head_read >= size)
        {
          g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                       /* Translators: "“a.png” is a damaged or incomplete PNG image: …" */
                       _("“%s” is a damaged or incomplete %s image: its header ends early. Choose another file"),
                       name, seedream_image_mime_type_get_name (mime_type));
          return NULL;
        }
      width = height = 0;
    }
  else if ((guint64) width * height > SOURCE_IMAGE_MAX_PIXELS)
    {
      /* A tiny file can claim a huge size (a "decompression bomb"):
       * refused from the header alone, before anything decodes it. */
      g_autofree char *max_text = seedream_resolution_format_number (SOURCE_IMAGE_MAX_PIXELS);

      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   /* Translators: "“a.png” is too large: 20000 × 20000 pixels (at most 100,000,000 pixels). …" */
                   ngettext ("“%s” is too large: %u × %u pixels (at most %s pixel). Choose a smaller image",
                             "“%s” is too large: %u × %u pixels (at most %s pixels). Choose a smaller image",
                             SOURCE_IMAGE_MAX_PIXELS),
                   name, width, height, max_text);
      return NULL;
    }

  self = g_new0 (SeedreamSourceImage, 1);
  g_ref_count_init (&self->ref_count);
  self->file = g_object_ref (file);
  self->display_name = g_steal_pointer (&name);
  self->size = (guint64) size;
  self->mime_type = mime_type;
  self->width = width;
  self->height = height;

  return self;
}

typedef struct
{
  GFile               *file;
  const SeedreamModel *model;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  g_autoptr(GError) error = NULL;
  SeedreamSourceImage *image;

  image = seedream_source_image_check (data->file, data->model, cancellable, &error);
  if (image == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, image, (GDestroyNotify) seedream_source_image_unref);
}

/**
 * seedream_source_image_check_async:
 * @file: a reference image the person chose
 * @model: (nullable): the model it is for; %NULL for the default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the check is done
 * @user_data: for @callback
 *
 * seedream_source_image_check() in a worker thread.
 */
void
seedream_source_image_check_async (GFile               *file,
                                   const SeedreamModel *model,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (CheckData, 1);
  data->file = g_object_ref (file);
  data->model = model;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_source_image_check_async);
  /* Our own cancellation error (SEEDREAM_ERROR_CANCELLED) comes from the thread. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

/**
 * seedream_source_image_check_finish:
 * @result: the result given to the callback
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: (transfer full) (nullable): what was found, or %NULL
 */
SeedreamSourceImage *
seedream_source_image_check_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_source_image_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
