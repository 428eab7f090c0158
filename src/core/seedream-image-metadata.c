/* seedream-image-metadata.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes the prompt and the mark of an image made by a model into a result
 * file, as XMP (and, for PNG, an iTXt "Description" chunk, which more
 * viewers show), with gexiv2.
 *
 * Rules this file keeps:
 * - The pixel data is never decoded or re-encoded: exiv2 rewrites only the
 *   metadata segments and copies every other chunk or segment as it is, so
 *   what the provider put there (its XMP, a C2PA manifest in a caBX chunk
 *   or APP11 segment) stays.
 * - The file is never half written: the metadata goes into a copy beside it,
 *   which then replaces it in one rename. exiv2 itself rewrites a PNG in
 *   place, which a crash or a reader at the wrong moment would see.
 * - Blocking; the async wrapper runs it in a worker thread.
 */

#define G_LOG_DOMAIN "seedream-image-metadata"

#include "config.h"

#include <glib/gi18n.h>
#include <gexiv2/gexiv2.h>

#include "seedream-image-metadata.h"

struct _SeedreamImageMetadata
{
  GObject    parent_instance;

  char      *prompt;
  char      *model_id;
  char      *size;
  guint      index;
  char      *task_id;
  GDateTime *created;
};

G_DEFINE_FINAL_TYPE (SeedreamImageMetadata, seedream_image_metadata, G_TYPE_OBJECT)

static void
seedream_image_metadata_finalize (GObject *object)
{
  SeedreamImageMetadata *self = SEEDREAM_IMAGE_METADATA (object);

  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->model_id, g_free);
  g_clear_pointer (&self->size, g_free);
  g_clear_pointer (&self->task_id, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (seedream_image_metadata_parent_class)->finalize (object);
}

static void
seedream_image_metadata_class_init (SeedreamImageMetadataClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seedream_image_metadata_finalize;
}

static void
seedream_image_metadata_init (SeedreamImageMetadata *self)
{
}

/**
 * seedream_image_metadata_new:
 * @index: the image's place in its batch, from 0 (written from 1)
 * @created: (nullable): when the image was made; now if %NULL
 */
SeedreamImageMetadata *
seedream_image_metadata_new (const char *prompt,
                             const char *model_id,
                             const char *size,
                             guint       index,
                             const char *task_id,
                             GDateTime  *created)
{
  SeedreamImageMetadata *self = g_object_new (SEEDREAM_TYPE_IMAGE_METADATA, NULL);

  self->prompt = g_strdup (prompt != NULL ? prompt : "");
  self->model_id = g_strdup (model_id);
  self->size = g_strdup (size);
  self->index = index;
  self->task_id = g_strdup (task_id);
  self->created = created != NULL ? g_date_time_ref (created) : g_date_time_new_now_local ();

  return self;
}

SeedreamImageMetadata *
seedream_image_metadata_new_for_request (SeedreamRequest *request,
                                         const char      *task_id,
                                         guint            index,
                                         GDateTime       *created)
{
  const SeedreamModel *model;

  g_return_val_if_fail (SEEDREAM_IS_REQUEST (request), NULL);

  model = seedream_request_get_model (request);

  return seedream_image_metadata_new (seedream_request_get_prompt (request),
                                      model != NULL ? model->id : NULL,
                                      seedream_request_get_resolution (request),
                                      index, task_id, created);
}

const char *
seedream_image_metadata_get_prompt (SeedreamImageMetadata *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_METADATA (self), NULL);
  return self->prompt;
}

const char *
seedream_image_metadata_get_model_id (SeedreamImageMetadata *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_METADATA (self), NULL);
  return self->model_id;
}

const char *
seedream_image_metadata_get_size (SeedreamImageMetadata *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_METADATA (self), NULL);
  return self->size;
}

guint
seedream_image_metadata_get_index (SeedreamImageMetadata *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_METADATA (self), 0);
  return self->index;
}

const char *
seedream_image_metadata_get_task_id (SeedreamImageMetadata *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_METADATA (self), NULL);
  return self->task_id;
}

GDateTime *
seedream_image_metadata_get_created (SeedreamImageMetadata *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_METADATA (self), NULL);
  return self->created;
}

const char *
seedream_image_metadata_get_creator_tool (SeedreamImageMetadata *self)
{
  return PACKAGE_NAME " " PACKAGE_VERSION;
}

/* Writing {{{1 */

static gpointer
init_exiv2_once (gpointer data)
{
  g_autoptr(GError) error = NULL;

  /* exiv2's XMP toolkit must be set up once, before any thread uses it. */
  if (!gexiv2_initialize ())
    return GINT_TO_POINTER (FALSE);

  if (!gexiv2_metadata_try_register_xmp_namespace (SEEDREAM_XMP_NAMESPACE, SEEDREAM_XMP_PREFIX, &error) &&
      error != NULL)
    g_debug ("Could not register the XMP namespace: %s", error->message);

  return GINT_TO_POINTER (TRUE);
}

static gboolean
init_exiv2 (GError **error)
{
  static GOnce once = G_ONCE_INIT;

  if (!GPOINTER_TO_INT (g_once (&once, init_exiv2_once, NULL)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "exiv2 could not be initialized");
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_tag (GExiv2Metadata  *md,
         const char      *tag,
         const char      *value,
         GError         **error)
{
  if (value == NULL || *value == '\0')
    return TRUE;

  return gexiv2_metadata_try_set_tag_string (md, tag, value, error);
}

static gboolean
fill_metadata (SeedreamImageMetadata  *self,
               GExiv2Metadata         *md,
               GError                **error)
{
  g_autofree char *created = g_date_time_format_iso8601 (self->created);
  g_autofree char *number = g_strdup_printf ("%u", self->index + 1);
  /* A language alternative: naming the language keeps a prompt that
   * itself begins with "lang=" from being read as one. */
  g_autofree char *description = g_strconcat ("lang=x-default ", self->prompt, NULL);
  const char *mime_type = gexiv2_metadata_get_mime_type (md);

  if (g_strcmp0 (mime_type, "image/png") == 0 && *self->prompt != '\0')
    {
      /* exiv2 writes the comment of a PNG as its iTXt "Description".
       * gexiv2 also copies it into Exif and IPTC fields, which PNG keeps
       * only as hex "raw profiles" and which exiv2 then reads back badly:
       * those copies are dropped, XMP says it all. */
      static const char * const copies[] = {
        "Exif.Image.ImageDescription",
        "Exif.Photo.UserComment",
        "Exif.Image.XPComment",
        "Iptc.Application2.Caption",
      };

      gexiv2_metadata_try_set_comment (md, self->prompt, error);
      if (error != NULL && *error != NULL)
        return FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
        gexiv2_metadata_try_clear_tag (md, copies[i], NULL);
    }

  return set_tag (md, "Xmp.iptcExt.DigitalSourceType", SEEDREAM_DIGITAL_SOURCE_TYPE, error) &&
         set_tag (md, "Xmp.dc.description", *self->prompt != '\0' ? description : NULL, error) &&
         set_tag (md, "Xmp.xmp.CreatorTool", seedream_image_metadata_get_creator_tool (self), error) &&
         set_tag (md, "Xmp.xmp.CreateDate", created, error) &&
         set_tag (md, "Xmp." SEEDREAM_XMP_PREFIX ".Model", self->model_id, error) &&
         set_tag (md, "Xmp." SEEDREAM_XMP_PREFIX ".Size", self->size, error) &&
         set_tag (md, "Xmp." SEEDREAM_XMP_PREFIX ".BatchNumber", number, error) &&
         set_tag (md, "Xmp." SEEDREAM_XMP_PREFIX ".TaskId", self->task_id, error);
}

/**
 * seedream_image_metadata_write:
 *
 * Writes @self into @file, keeping its pixel data and its other metadata.
 * Blocking: call it from a worker thread. On failure @file is as it was.
 */
gboolean
seedream_image_metadata_write (SeedreamImageMetadata  *self,
                               GFile                  *file,
                               GCancellable           *cancellable,
                               GError                **error)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) temp = NULL;
  g_autoptr(GExiv2Metadata) md = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *temp_name = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SEEDREAM_IS_IMAGE_METADATA (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!init_exiv2 (error))
    return FALSE;

  if (g_file_peek_path (file) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "only local files can be given metadata");
      return FALSE;
    }

  dir = g_file_get_parent (file);
  basename = g_file_get_basename (file);
  temp_name = g_strdup_printf (".%s.metadata", basename);
  temp = g_file_get_child (dir, temp_name);

  /* ALL_METADATA: the file that replaces it keeps its permissions. */
  if (!g_file_copy (file, temp, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_ALL_METADATA,
                    cancellable, NULL, NULL, error))
    return FALSE;

  md = gexiv2_metadata_new ();
  if (!gexiv2_metadata_open_path (md, g_file_peek_path (temp), &local_error))
    goto failed;

  if (!gexiv2_metadata_get_supports_xmp (md))
    {
      g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s files cannot carry XMP", gexiv2_metadata_get_mime_type (md));
      goto failed;
    }

  if (!fill_metadata (self, md, &local_error) ||
      !gexiv2_metadata_save_file (md, g_file_peek_path (temp), &local_error))
    goto failed;

  if (!g_file_move (temp, file, G_FILE_COPY_OVERWRITE | G_FILE_COPY_NOFOLLOW_SYMLINKS,
                    cancellable, NULL, NULL, &local_error))
    goto failed;

  return TRUE;

failed:
  g_file_delete (temp, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * seedream_image_metadata_file_has_mark:
 * @file: a local image
 *
 * Whether @file already says it was made by a model (the IPTC digital
 * source type this app writes). Blocking: call it from a worker thread.
 *
 * Returns: %TRUE if it does; %FALSE with @error unset if it does not, or
 *   with @error set when @file cannot be read as an image
 */
gboolean
seedream_image_metadata_file_has_mark (GFile   *file,
                                       GError **error)
{
  g_autoptr(GExiv2Metadata) md = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!init_exiv2 (error))
    return FALSE;

  if (g_file_peek_path (file) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "only local files can be read for metadata");
      return FALSE;
    }

  md = gexiv2_metadata_new ();
  if (!gexiv2_metadata_open_path (md, g_file_peek_path (file), error))
    return FALSE;

  value = gexiv2_metadata_try_get_tag_string (md, "Xmp.iptcExt.DigitalSourceType", NULL);

  return g_strcmp0 (value, SEEDREAM_DIGITAL_SOURCE_TYPE) == 0;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (seedream_image_metadata_write (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
seedream_image_metadata_write_async (SeedreamImageMetadata *self,
                                     GFile                 *file,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEEDREAM_IS_IMAGE_METADATA (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_image_metadata_write_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, write_thread);
}

gboolean
seedream_image_metadata_write_finish (SeedreamImageMetadata  *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
