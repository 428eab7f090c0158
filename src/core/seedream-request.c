/* seedream-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SeedreamRequest holds what a person asks for (prompt, number of images,
 * resolution, reference images) and turns it into the multipart body of a
 * submission. Every limit comes from the model table (seedream-model.c).
 *
 * Three levels of checking:
 *  - seedream_request_validate(): the fields only, no I/O; cheap enough to
 *    run on every keystroke.
 *  - seedream_source_image_check() (seedream-source-image.c): one
 *    reference file (I/O: run it from a thread or use the async variant).
 *  - seedream_request_validate_all(): both, for the whole form.
 * seedream_request_build_body() does the last two again (the files may have
 * changed since) and returns a body that streams the files lazily.
 *
 * Errors are in SEEDREAM_ERROR: SEEDREAM_ERROR_INVALID_INPUT with a message
 * that names the field or file and says what to do, or
 * SEEDREAM_ERROR_CANCELLED when the GCancellable fired.
 */

#define G_LOG_DOMAIN "seedream-request"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-image-info.h"
#include "seedream-request.h"
#include "seedream-resolution.h"

struct _SeedreamRequest
{
  GObject              parent_instance;

  const SeedreamModel *model;
  char                *prompt;
  guint                batch_size;
  char                *resolution;
  char                *image_url;
  GListStore          *source_files;  /* of GFile */
  /* GFile → SourceParent: the result a source image is (its lineage). */
  GHashTable          *source_parents;
};

G_DEFINE_FINAL_TYPE (SeedreamRequest, seedream_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_PROMPT,
  PROP_BATCH_SIZE,
  PROP_RESOLUTION,
  PROP_IMAGE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What validate() found good, copied so that a thread can use it while
 * the person goes on editing the request. */
typedef struct
{
  const SeedreamModel *model;
  char                *prompt;      /* trimmed */
  guint                batch_size;
  char                *resolution;  /* the wire form */
  char                *image_url;   /* trimmed, or NULL */
  GPtrArray           *files;       /* of GFile */
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_free (snapshot->prompt);
  g_free (snapshot->resolution);
  g_free (snapshot->image_url);
  g_ptr_array_unref (snapshot->files);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

/* The request */

SeedreamRequest *
seedream_request_new (void)
{
  return g_object_new (SEEDREAM_TYPE_REQUEST, NULL);
}

/**
 * seedream_request_get_model:
 * @self: a request
 *
 * Returns: (transfer none): the row of the model table it is for
 */
const SeedreamModel *
seedream_request_get_model (SeedreamRequest *self)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), NULL);

  return self->model;
}

/**
 * seedream_request_set_model:
 * @self: a request
 * @model: (nullable): a row of the model table; %NULL for the default
 */
void
seedream_request_set_model (SeedreamRequest     *self,
                            const SeedreamModel *model)
{
  g_return_if_fail (SEEDREAM_IS_REQUEST (self));

  if (model == NULL)
    model = seedream_model_get_default ();

  if (self->model == model)
    return;

  self->model = model;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

const char *
seedream_request_get_prompt (SeedreamRequest *self)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), NULL);

  return self->prompt;
}

/**
 * seedream_request_set_prompt:
 * @self: a request
 * @prompt: (nullable): the prompt; %NULL is the same as ""
 */
void
seedream_request_set_prompt (SeedreamRequest *self,
                             const char      *prompt)
{
  g_return_if_fail (SEEDREAM_IS_REQUEST (self));

  if (g_set_str (&self->prompt, prompt != NULL ? prompt : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT]);
}

guint
seedream_request_get_batch_size (SeedreamRequest *self)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), 0);

  return self->batch_size;
}

/**
 * seedream_request_set_batch_size:
 * @self: a request
 * @batch_size: how many images to generate
 *
 * Any value is stored; seedream_request_validate() holds it to
 * 1..max_batch_size of the model (1..15 for Seedream 4.5).
 */
void
seedream_request_set_batch_size (SeedreamRequest *self,
                                 guint            batch_size)
{
  g_return_if_fail (SEEDREAM_IS_REQUEST (self));

  if (self->batch_size == batch_size)
    return;

  self->batch_size = batch_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_SIZE]);
}

/**
 * seedream_request_get_resolution:
 * @self: a request
 *
 * Returns: the resolution as typed (see seedream_resolution_parse())
 */
const char *
seedream_request_get_resolution (SeedreamRequest *self)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), NULL);

  return self->resolution;
}

/**
 * seedream_request_set_resolution:
 * @self: a request
 * @resolution: (nullable): as typed, e.g. "2K", "16:9" or "3750 x 1250";
 *   %NULL is the same as ""
 */
void
seedream_request_set_resolution (SeedreamRequest *self,
                                 const char      *resolution)
{
  g_return_if_fail (SEEDREAM_IS_REQUEST (self));

  if (g_set_str (&self->resolution, resolution != NULL ? resolution : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLUTION]);
}

/**
 * seedream_request_get_image_url:
 * @self: a request
 *
 * Returns: (nullable): the source image URL as typed, or %NULL
 */
const char *
seedream_request_get_image_url (SeedreamRequest *self)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), NULL);

  return self->image_url;
}

/**
 * seedream_request_set_image_url:
 * @self: a request
 * @image_url: (nullable): the address of a source image, or %NULL; an
 *   empty or blank one is not sent
 */
void
seedream_request_set_image_url (SeedreamRequest *self,
                                const char      *image_url)
{
  g_return_if_fail (SEEDREAM_IS_REQUEST (self));

  if (g_set_str (&self->image_url, image_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_URL]);
}

static gboolean
find_source_file (SeedreamRequest *self,
                  GFile           *file,
                  guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->source_files));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) item = g_list_model_get_item (G_LIST_MODEL (self->source_files), i);

      if (g_file_equal (item, file))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * seedream_request_add_source_file:
 * @self: a request
 * @file: a reference image
 *
 * Appends @file to the reference images, unless it is already there.
 * Nothing is read here: see seedream_source_image_check().
 *
 * Returns: %TRUE if @file was added, %FALSE if it was there already or is
 *   not a local file (a draft or the history could not keep it)
 */
gboolean
seedream_request_add_source_file (SeedreamRequest *self,
                                  GFile           *file)
{
  g_autofree char *path = NULL;
  guint position;

  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    return FALSE;

  if (find_source_file (self, file, &position))
    return FALSE;

  g_list_store_append (self->source_files, file);

  return TRUE;
}

/**
 * seedream_request_remove_source_file:
 * @self: a request
 * @file: a reference image
 *
 * Returns: %TRUE if @file (or one equal to it) was there and is removed
 */
gboolean
seedream_request_remove_source_file (SeedreamRequest *self,
                                     GFile           *file)
{
  guint position;

  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!find_source_file (self, file, &position))
    return FALSE;

  g_list_store_remove (self->source_files, position);
  g_hash_table_remove (self->source_parents, file);

  return TRUE;
}

void
seedream_request_clear_source_files (SeedreamRequest *self)
{
  g_return_if_fail (SEEDREAM_IS_REQUEST (self));

  /* GListStore announces even the removal of nothing. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->source_files)) > 0)
    g_list_store_remove_all (self->source_files);
  g_hash_table_remove_all (self->source_parents);
}

typedef struct
{
  gint64 entry_id;
  guint  index;
} SourceParent;

/**
 * seedream_request_set_source_parent:
 * @self: a request
 * @file: one of its source files
 * @entry_id: the history row whose result @file is, or 0 for none
 * @index: which of that row's results
 *
 * Remembers that the source @file is result @index of the submission
 * @entry_id, so that the history can keep the chain of images. Forgotten
 * when @file is removed.
 *
 * Returns: %TRUE if @file is a source of @self
 */
gboolean
seedream_request_set_source_parent (SeedreamRequest *self,
                                    GFile           *file,
                                    gint64           entry_id,
                                    guint            index)
{
  SourceParent *parent;
  guint position;

  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!find_source_file (self, file, &position))
    return FALSE;

  if (entry_id <= 0)
    {
      g_hash_table_remove (self->source_parents, file);
      return TRUE;
    }

  parent = g_new (SourceParent, 1);
  parent->entry_id = entry_id;
  parent->index = index;
  g_hash_table_replace (self->source_parents, g_object_ref (file), parent);

  return TRUE;
}

/**
 * seedream_request_get_source_parent:
 * @self: a request
 * @file: one of its source files
 * @entry_id: (out) (optional): the history row whose result @file is
 * @index: (out) (optional): which of its results
 *
 * Returns: %TRUE if @file is known to be a result (see
 *   seedream_request_set_source_parent())
 */
gboolean
seedream_request_get_source_parent (SeedreamRequest *self,
                                    GFile           *file,
                                    gint64          *entry_id,
                                    guint           *index)
{
  SourceParent *parent;

  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  parent = g_hash_table_lookup (self->source_parents, file);
  if (entry_id != NULL)
    *entry_id = parent != NULL ? parent->entry_id : 0;
  if (index != NULL)
    *index = parent != NULL ? parent->index : 0;

  return parent != NULL;
}

/**
 * seedream_request_get_source_files:
 * @self: a request
 *
 * The reference images in the order they are sent. The list belongs to
 * @self and lives as long as it; it emits #GListModel::items-changed when
 * files are added or removed, so a list view can show it directly. Change
 * it through seedream_request_add_source_file() and friends only.
 *
 * Returns: (transfer none): a #GListModel of #GFile
 */
GListModel *
seedream_request_get_source_files (SeedreamRequest *self)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), NULL);

  return G_LIST_MODEL (self->source_files);
}

/* A host name (letters, digits, "-", "_", ".", or non-ASCII for IDN) or
 * an IP address. GUri itself lets "exa mple.com" through. */
static gboolean
is_host (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.' && (guchar) *p < 0x80)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_web_address (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  /* No blanks or control characters anywhere. */
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || *p == 0x7f)
        return FALSE;
    }

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);

  return (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0) &&
         is_host (g_uri_get_host (uri));
}

/**
 * seedream_request_image_url_is_valid:
 * @text: (nullable): a source image URL as typed
 *
 * The check seedream_request_validate() applies to #SeedreamRequest:image-url,
 * for forms that check as the person types.
 *
 * Returns: %TRUE when @text is empty (after trimming) or an http(s) address
 */
gboolean
seedream_request_image_url_is_valid (const char *text)
{
  g_autofree char *url = g_strstrip (g_strdup (text != NULL ? text : ""));

  return *url == '\0' || is_web_address (url);
}

/* The field checks, in the order of the form. On success, optionally
 * hands out a copy of what will be sent. */
static gboolean
validate_fields (SeedreamRequest  *self,
                 Snapshot        **out_snapshot,
                 GError          **error)
{
  const SeedreamModel *model = self->model;
  g_autoptr(Snapshot) snapshot = g_new0 (Snapshot, 1);
  guint n_files;
  guint n_sources;
  guint n_generated;

  snapshot->model = model;
  snapshot->files = g_ptr_array_new_with_free_func (g_object_unref);
  snapshot->prompt = g_strstrip (g_strdup (self->prompt));
  snapshot->batch_size = 1;

  if (seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_PROMPT) &&
      *snapshot->prompt == '\0')
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                           _("Prompt: describe the image you want"));
      return FALSE;
    }

  if (seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_BATCH_SIZE))
    {
      if (self->batch_size < 1 || self->batch_size > model->max_batch_size)
        {
          g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                       _("Number of images: choose between 1 and %u"),
                       model->max_batch_size);
          return FALSE;
        }
      snapshot->batch_size = self->batch_size;
    }

  if (seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_RESOLUTION))
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SeedreamResolution) resolution = NULL;

      resolution = seedream_model_parse_resolution (model, self->resolution, &local_error);
      if (resolution == NULL)
        {
          g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                       /* Translators: the %s says what is wrong with the resolution */
                       _("Resolution: %s"), local_error->message);
          return FALSE;
        }
      snapshot->resolution = g_strdup (seedream_resolution_to_wire (resolution));
    }

  if (self->image_url != NULL)
    {
      g_autofree char *url = g_strstrip (g_strdup (self->image_url));

      if (*url != '\0')
        {
          if (!seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_IMAGE_URL))
            {
              g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                           _("Source image URL: %s does not take one; clear the field"),
                           model->display_name);
              return FALSE;
            }

          if (!is_web_address (url))
            {
              g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                                   _("Source image URL: enter an address starting with http:// or https://"));
              return FALSE;
            }

          snapshot->image_url = g_steal_pointer (&url);
        }
    }

  n_files = g_list_model_get_n_items (G_LIST_MODEL (self->source_files));
  if (n_files > 0 && !seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_SOURCE_IMAGES))
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("Source images: %s does not take any; remove them"),
                   model->display_name);
      return FALSE;
    }

  /* The provider's clients never send both, and what the service does with
   * both is not said: the person chooses one (the form asks). */
  if (n_files > 0 && snapshot->image_url != NULL)
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                           _("Source images: use either image files or one image URL, not both; remove the files or clear the URL"));
      return FALSE;
    }

  /* The URL is a reference image too. */
  n_sources = n_files + (snapshot->image_url != NULL ? 1 : 0);
  if (n_sources > model->max_source_images)
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   _("Source images: at most %u (you added %u)"),
                   model->max_source_images, n_sources);
      return FALSE;
    }

  n_generated = snapshot->batch_size;
  if (n_sources > 0 && n_sources + n_generated > model->max_total_images)
    {
      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   /* Translators: "… at most 15 in all (4 source images + 12 to generate): …";
                    * the plural follows the number of source images */
                   ngettext ("Source images and generated images: at most %u in all (%u source image + %u to generate): remove source images or lower the number of images",
                             "Source images and generated images: at most %u in all (%u source images + %u to generate): remove source images or lower the number of images",
                             n_sources),
                   model->max_total_images, n_sources, n_generated);
      return FALSE;
    }

  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (snapshot->files, g_list_model_get_item (G_LIST_MODEL (self->source_files), i));

  if (out_snapshot != NULL)
    *out_snapshot = g_steal_pointer (&snapshot);

  return TRUE;
}

/**
 * seedream_request_validate:
 * @self: a request
 * @error: return location for a %SEEDREAM_ERROR_INVALID_INPUT error
 *
 * Checks the fields against the model, without any I/O: prompt, number
 * of images, resolution, source image URL, and how many reference images
 * there are. The message names the field at fault and how to fix it, e.g.
 * "Prompt: describe the image you want".
 *
 * Returns: %TRUE if the fields are fine
 */
gboolean
seedream_request_validate (SeedreamRequest  *self,
                           GError          **error)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return validate_fields (self, NULL, error);
}

static gboolean
check_snapshot_files (Snapshot      *snapshot,
                      GPtrArray     *out_images,
                      GCancellable  *cancellable,
                      GError       **error)
{
  for (guint i = 0; i < snapshot->files->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      SeedreamSourceImage *image;

      image = seedream_source_image_check (g_ptr_array_index (snapshot->files, i),
                                           snapshot->model, cancellable, &local_error);
      if (image == NULL)
        {
          if (g_error_matches (local_error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                        /* Translators: before a message about one file */
                                        _("Source images: "));
          return FALSE;
        }

      if (out_images != NULL)
        g_ptr_array_add (out_images, image);
      else
        seedream_source_image_unref (image);
    }

  return TRUE;
}

/**
 * seedream_request_validate_all:
 * @self: a request
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #SEEDREAM_ERROR
 *
 * seedream_request_validate(), then seedream_source_image_check() on every
 * reference file. Blocking I/O: see seedream_request_validate_all_async().
 *
 * Returns: %TRUE if the whole form is fine
 */
gboolean
seedream_request_validate_all (SeedreamRequest  *self,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_autoptr(Snapshot) snapshot = NULL;

  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_fields (self, &snapshot, error))
    return FALSE;

  return check_snapshot_files (snapshot, NULL, cancellable, error);
}

static void
validate_all_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!check_snapshot_files (task_data, NULL, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * seedream_request_validate_all_async:
 * @self: a request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * seedream_request_validate_all() with the file checks in a worker
 * thread. The fields are checked, and copied, before this returns, so the
 * request may change meanwhile.
 */
void
seedream_request_validate_all_async (SeedreamRequest     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Snapshot *snapshot = NULL;

  g_return_if_fail (SEEDREAM_IS_REQUEST (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_request_validate_all_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!validate_fields (self, &snapshot, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, snapshot, (GDestroyNotify) snapshot_free);
  g_task_run_in_thread (task, validate_all_thread);
}

gboolean
seedream_request_validate_all_finish (SeedreamRequest  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_request_validate_all_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static SeedreamMultipartStream *
build_body (Snapshot      *snapshot,
            GCancellable  *cancellable,
            GError       **error)
{
  const SeedreamModel *model = snapshot->model;
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GPtrArray) images = NULL;

  images = g_ptr_array_new_with_free_func ((GDestroyNotify) seedream_source_image_unref);
  if (!check_snapshot_files (snapshot, images, cancellable, error))
    return NULL;

  body = seedream_multipart_stream_new ();

  seedream_multipart_stream_add_text (body, SEEDREAM_FORM_CATEGORY, model->category);

  if (seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_PROMPT))
    seedream_multipart_stream_add_text (body, SEEDREAM_FORM_PROMPT, snapshot->prompt);

  if (seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_BATCH_SIZE))
    {
      char batch_size[16];

      g_snprintf (batch_size, sizeof batch_size, "%u", snapshot->batch_size);
      seedream_multipart_stream_add_text (body, SEEDREAM_FORM_BATCH_SIZE, batch_size);
    }

  if (seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_RESOLUTION))
    seedream_multipart_stream_add_text (body, SEEDREAM_FORM_RESOLUTION, snapshot->resolution);

  if (snapshot->image_url != NULL)
    seedream_multipart_stream_add_text (body, SEEDREAM_FORM_IMAGE_URL, snapshot->image_url);

  for (guint i = 0; i < images->len; i++)
    {
      SeedreamSourceImage *image = g_ptr_array_index (images, i);
      GFile *file = seedream_source_image_get_file (image);
      g_autofree char *basename = g_file_get_basename (file);

      seedream_multipart_stream_add_file (body, SEEDREAM_FORM_SOURCE_IMAGE, file,
                                          basename != NULL ? basename : "image",
                                          seedream_source_image_get_mime_type (image),
                                          seedream_source_image_get_size (image));
    }

  return g_steal_pointer (&body);
}

/**
 * seedream_request_build_body:
 * @self: a request
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Validates the request and its files (blocking I/O: every reference file
 * is checked and its head read; see seedream_request_build_body_async()),
 * then builds the body: the parts `category`, `prompt`, `batchsize`,
 * `resolution`, `imageUrl` (only if set), then one `sourceImage` per
 * file, each with the type found from its content. Only the fields the
 * model takes are sent. The files are read only when the body is.
 *
 * Returns: (transfer full) (nullable): the body, with its exact length
 *   known, or %NULL with @error set
 */
SeedreamMultipartStream *
seedream_request_build_body (SeedreamRequest  *self,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_autoptr(Snapshot) snapshot = NULL;

  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!validate_fields (self, &snapshot, error))
    return NULL;

  return build_body (snapshot, cancellable, error);
}

static void
build_body_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  SeedreamMultipartStream *body;

  body = build_body (task_data, cancellable, &error);
  if (body == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, body, g_object_unref);
}

/**
 * seedream_request_build_body_async:
 * @self: a request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * seedream_request_build_body() with the file checks in a worker thread.
 * The fields are checked, and copied, before this returns.
 */
void
seedream_request_build_body_async (SeedreamRequest     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Snapshot *snapshot = NULL;

  g_return_if_fail (SEEDREAM_IS_REQUEST (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_request_build_body_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!validate_fields (self, &snapshot, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, snapshot, (GDestroyNotify) snapshot_free);
  g_task_run_in_thread (task, build_body_thread);
}

/**
 * seedream_request_build_body_finish:
 * @self: a request
 * @result: the result given to the callback
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: (transfer full) (nullable): the body, or %NULL
 */
SeedreamMultipartStream *
seedream_request_build_body_finish (SeedreamRequest  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_request_build_body_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
seedream_request_finalize (GObject *object)
{
  SeedreamRequest *self = SEEDREAM_REQUEST (object);

  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->resolution, g_free);
  g_clear_pointer (&self->image_url, g_free);
  g_clear_object (&self->source_files);
  g_clear_pointer (&self->source_parents, g_hash_table_unref);

  G_OBJECT_CLASS (seedream_request_parent_class)->finalize (object);
}

static void
seedream_request_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SeedreamRequest *self = SEEDREAM_REQUEST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_pointer (value, (gpointer) self->model);
      break;

    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;

    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->batch_size);
      break;

    case PROP_RESOLUTION:
      g_value_set_string (value, self->resolution);
      break;

    case PROP_IMAGE_URL:
      g_value_set_string (value, self->image_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_request_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SeedreamRequest *self = SEEDREAM_REQUEST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      seedream_request_set_model (self, g_value_get_pointer (value));
      break;

    case PROP_PROMPT:
      seedream_request_set_prompt (self, g_value_get_string (value));
      break;

    case PROP_BATCH_SIZE:
      seedream_request_set_batch_size (self, g_value_get_uint (value));
      break;

    case PROP_RESOLUTION:
      seedream_request_set_resolution (self, g_value_get_string (value));
      break;

    case PROP_IMAGE_URL:
      seedream_request_set_image_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_request_class_init (SeedreamRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = seedream_request_finalize;
  object_class->get_property = seedream_request_get_property;
  object_class->set_property = seedream_request_set_property;

  /**
   * SeedreamRequest:model:
   *
   * The row of the model table (a `const SeedreamModel *`); Seedream 4.5
   * by default. Setting %NULL sets the default.
   */
  properties[PROP_MODEL] =
    g_param_spec_pointer ("model", NULL, NULL,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamRequest:batch-size:
   *
   * How many images to generate. The valid range is 1 to the model's
   * max_batch_size (15 for Seedream 4.5); the property stores any value so
   * that seedream_request_validate() is the one judge, and can say so.
   */
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", NULL, NULL,
                       0, G_MAXUINT, 1,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RESOLUTION] =
    g_param_spec_string ("resolution", NULL, NULL,
                         "2K",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_IMAGE_URL] =
    g_param_spec_string ("image-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_request_init (SeedreamRequest *self)
{
  self->model = seedream_model_get_default ();
  self->prompt = g_strdup ("");
  self->batch_size = 1;
  self->resolution = g_strdup (self->model->default_resolution);
  self->source_files = g_list_store_new (G_TYPE_FILE);
  self->source_parents = g_hash_table_new_full (g_file_hash, (GEqualFunc) g_file_equal, g_object_unref, g_free);
}

/**
 * seedream_request_set_settings_from:
 * @self: a request
 * @other: the request to take the settings of
 *
 * Gives @self the model, prompt, number of images, resolution and image
 * URL of @other, with a notification for each that changes. The source
 * files are left alone: a caller that shows them checks each file first.
 */
void
seedream_request_set_settings_from (SeedreamRequest *self,
                                    SeedreamRequest *other)
{
  g_return_if_fail (SEEDREAM_IS_REQUEST (self));
  g_return_if_fail (SEEDREAM_IS_REQUEST (other));

  g_object_freeze_notify (G_OBJECT (self));
  seedream_request_set_model (self, other->model);
  seedream_request_set_prompt (self, other->prompt);
  seedream_request_set_batch_size (self, other->batch_size);
  seedream_request_set_resolution (self, other->resolution);
  seedream_request_set_image_url (self, other->image_url);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * seedream_request_copy:
 * @self: a request
 *
 * A new request with the model, prompt, resolution, batch size, image URL
 * and source files of @self (with their parents), in the same order. Changing one afterwards
 * does not change the other.
 *
 * Returns: (transfer full): a new request
 */
SeedreamRequest *
seedream_request_copy (SeedreamRequest *self)
{
  SeedreamRequest *copy;
  guint n;

  g_return_val_if_fail (SEEDREAM_IS_REQUEST (self), NULL);

  copy = seedream_request_new ();
  seedream_request_set_settings_from (copy, self);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->source_files));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (G_LIST_MODEL (self->source_files), i);

      gint64 entry_id;
      guint index;

      g_list_store_append (copy->source_files, file);
      if (seedream_request_get_source_parent (self, file, &entry_id, &index))
        seedream_request_set_source_parent (copy, file, entry_id, index);
    }

  return copy;
}
