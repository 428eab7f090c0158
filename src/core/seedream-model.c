/* seedream-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of models: one row per endpoint of the TensorsLab Images API.
 * Every limit the request layer enforces is read from here, so changing a
 * limit, or adding a model, is editing this table.
 *
 * Only Seedream 4.5 is listed. The API README names sibling endpoints
 * (seedreamv4, seedreamv5, zimage), but not their batch sizes, reference
 * image limits, or (for zimage) a field set this table can express
 * (`seed`, `prompt_extend`). A row must be correct, so they are left out
 * until their documentation says what goes in them.
 */

#define G_LOG_DOMAIN "seedream-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-image-info.h"
#include "seedream-model.h"

/* Upstream Seedream 4.x lists these formats for reference images. */
static const char * const seedream_source_mime_types[] = {
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/bmp",
  "image/tiff",
  "image/gif",
  NULL
};

static const SeedreamModel models[] = {
  {
    .id = "seedreamv45",
    .display_name = "Seedream 4.5",
    .endpoint = "/v1/images/seedreamv45",
    .category = "seedreamv45",
    .fields = SEEDREAM_MODEL_FIELD_PROMPT |
              SEEDREAM_MODEL_FIELD_BATCH_SIZE |
              SEEDREAM_MODEL_FIELD_RESOLUTION |
              SEEDREAM_MODEL_FIELD_SOURCE_IMAGES |
              SEEDREAM_MODEL_FIELD_IMAGE_URL,
    /* The provider: batchsize 1..15. */
    .max_batch_size = 15,
    /* Upstream Seedream 4.x (not in the provider's text): at most 14
     * reference images, and reference + generated images at most 15. */
    .max_source_images = 14,
    .max_total_images = 15,
    /* Upstream says "10 MB" without saying which megabyte. We take the
     * smaller reading, 10 × 1000 × 1000 bytes: if the service means
     * 10 MiB we refuse files of 10.0 to 10.49 MB that it would have
     * taken (a clear message, nothing lost); the other choice would upload
     * files the service may then refuse. It also makes "10 MB" in our
     * messages true in the SI units g_format_size() prints. */
    .max_source_image_bytes = 10 * 1000 * 1000,
    .source_mime_types = seedream_source_mime_types,
    .resolution = &seedream_resolution_rule_seedream,
    .default_resolution = "2K",
  },
};

/**
 * seedream_model_get_all:
 * @n_models: (out): the number of rows
 *
 * Returns: (transfer none) (array length=n_models): the model table
 */
const SeedreamModel *
seedream_model_get_all (guint *n_models)
{
  g_return_val_if_fail (n_models != NULL, NULL);

  *n_models = G_N_ELEMENTS (models);

  return models;
}

/**
 * seedream_model_get_default:
 *
 * Returns: (transfer none): Seedream 4.5
 */
const SeedreamModel *
seedream_model_get_default (void)
{
  return &models[0];
}

/**
 * seedream_model_lookup:
 * @id: a model id such as "seedreamv45"
 *
 * Returns: (transfer none) (nullable): the row, or %NULL if there is none
 */
const SeedreamModel *
seedream_model_lookup (const char *id)
{
  const SeedreamModel *all;
  guint n;

  if (id == NULL)
    return NULL;

  all = seedream_model_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      if (strcmp (all[i].id, id) == 0)
        return &all[i];
    }

  return NULL;
}

/**
 * seedream_model_has_fields:
 * @model: a row
 * @fields: one or more fields
 *
 * Returns: %TRUE if the endpoint takes all of @fields
 */
gboolean
seedream_model_has_fields (const SeedreamModel *model,
                           SeedreamModelFields  fields)
{
  g_return_val_if_fail (model != NULL, FALSE);

  return (model->fields & fields) == fields;
}

/**
 * seedream_model_accepts_mime_type:
 * @model: a row
 * @mime_type: (nullable): a MIME type such as "image/png"
 *
 * Returns: %TRUE if reference images of that type are accepted
 */
gboolean
seedream_model_accepts_mime_type (const SeedreamModel *model,
                                  const char          *mime_type)
{
  g_return_val_if_fail (model != NULL, FALSE);

  if (mime_type == NULL || model->source_mime_types == NULL)
    return FALSE;

  return g_strv_contains ((const char * const *) model->source_mime_types, mime_type);
}

/**
 * seedream_model_describe_source_types:
 * @model: a row
 *
 * Returns: (transfer full): the accepted reference image types for a
 *   message, e.g. "JPEG, PNG, WebP, BMP, TIFF, GIF"
 */
char *
seedream_model_describe_source_types (const SeedreamModel *model)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (model != NULL, NULL);

  for (guint i = 0; model->source_mime_types != NULL && model->source_mime_types[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, seedream_image_mime_type_get_name (model->source_mime_types[i]));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * seedream_model_format_max_source_image_size:
 * @model: a row
 *
 * Returns: (transfer full): the file size limit for a message, "10 MB"
 */
char *
seedream_model_format_max_source_image_size (const SeedreamModel *model)
{
  guint64 bytes;

  g_return_val_if_fail (model != NULL, NULL);

  bytes = model->max_source_image_bytes;
  if (bytes > 0 && bytes % (1000 * 1000) == 0)
    {
      g_autofree char *megabytes = seedream_resolution_format_number (bytes / (1000 * 1000));

      /* Translators: a file size limit in megabytes, e.g. "10 MB"; the
       * space is a no-break space, as in g_format_size() */
      return g_strdup_printf (_("%s MB"), megabytes);
    }

  return g_format_size (bytes);
}

/**
 * seedream_model_parse_resolution:
 * @model: a row
 * @text: what the person typed
 * @error: return location for a %SEEDREAM_ERROR_INVALID_INPUT error
 *
 * seedream_resolution_parse_for_rule() with the rule of @model.
 *
 * Returns: (transfer full) (nullable): the resolution or %NULL
 */
SeedreamResolution *
seedream_model_parse_resolution (const SeedreamModel  *model,
                                 const char           *text,
                                 GError              **error)
{
  g_return_val_if_fail (model != NULL, NULL);

  return seedream_resolution_parse_for_rule (text, model->resolution, error);
}
