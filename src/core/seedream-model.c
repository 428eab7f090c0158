/* seedream-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of models: one row per endpoint of the TensorsLab Images API.
 * Every limit the request layer enforces is read from here, so changing a
 * limit, or adding a model, is editing this table.
 *
 * Every row cites its source: the API contract (../shared/api/README.md),
 * section "The sibling models in detail", unless a comment says otherwise.
 * zimage is left out: it answers differently (a `url` string) and takes
 * fields this table cannot express (`seed`, `prompt_extend`); the
 * contract says to leave it out.
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

/* Seedream 5.0 Lite: "`2K` (default), `3K`, WxH in [3,686,400, 10,404,496]
 * (upstream 5.0 Lite)". The contract lists no ratios and no 4K for it,
 * and no aspect limit, so none is warned about. */
static const SeedreamResolutionPreset seedream_v5_presets[] = {
  { "2K", N_("2K") },
  { "3K", N_("3K") },
};

static const SeedreamResolutionRule seedream_v5_resolution = {
  .presets = seedream_v5_presets,
  .n_presets = G_N_ELEMENTS (seedream_v5_presets),
  .min_pixels = 3686400,
  .max_pixels = 10404496,
  .min_example_width = 2560,
  .min_example_height = 1440,
  /* 10,404,496 = 16 × 650,281 (a prime): no plain size has exactly that
   * many pixels; 3225 × 3225 = 10,400,625 is the largest square within. */
  .max_example_width = 3225,
  .max_example_height = 3225,
  .advisory_max_aspect_ratio = 0,
};

/* Seedream 4.0: "only `9:16 16:9 3:4 4:3 1:1` on this service": no 2K or
 * 4K, no custom size (max_pixels 0). In the order the 4.5 picker uses. */
static const SeedreamResolutionPreset seedream_v4_presets[] = {
  { "1:1", N_("1:1 Square") },
  { "4:3", N_("4:3 Landscape") },
  { "3:4", N_("3:4 Portrait") },
  { "16:9", N_("16:9 Landscape") },
  { "9:16", N_("9:16 Portrait") },
};

static const SeedreamResolutionRule seedream_v4_resolution = {
  .presets = seedream_v4_presets,
  .n_presets = G_N_ELEMENTS (seedream_v4_presets),
};

/* The fields every Seedream endpoint takes (the contract: "All three answer
 * the submit …"; sources "as 4.5"). */
#define SEEDREAM_FIELDS (SEEDREAM_MODEL_FIELD_PROMPT | \
                         SEEDREAM_MODEL_FIELD_BATCH_SIZE | \
                         SEEDREAM_MODEL_FIELD_RESOLUTION | \
                         SEEDREAM_MODEL_FIELD_SOURCE_IMAGES | \
                         SEEDREAM_MODEL_FIELD_IMAGE_URL)

/* The reference image limits of 4.5, which the contract gives the other
 * two as well ("sources: as 4.5"):
 * Upstream Seedream 4.x (not in the provider's text): at most 14
 * reference images, and reference + generated images at most 15.
 * Upstream says "10 MB" without saying which megabyte. We take the
 * smaller reading, 10 × 1000 × 1000 bytes: if the service means 10 MiB
 * we refuse files of 10.0 to 10.49 MB that it would have taken (a clear
 * message, nothing lost); the other choice would upload files the
 * service may then refuse. It also makes "10 MB" in our messages true in
 * the SI units g_format_size() prints. */
#define SEEDREAM_SOURCES \
    .max_source_images = 14, \
    .max_total_images = 15, \
    .max_source_image_bytes = 10 * 1000 * 1000, \
    .source_mime_types = seedream_source_mime_types

/* The first row is the default (seedream_model_get_default()). */
static const SeedreamModel models[] = {
  {
    .id = "seedreamv45",
    /* The contract: "Seedream 4.5 (this app's default)", sections 1-2:
     * `/v1/images/seedreamv45`, `seedreamv45`; ratios, 2K, 4K, WxH in
     * [3,686,400, 16,777,216], aspect within [1/16, 16]. */
    .display_name = "Seedream 4.5",
    .description = N_("The best quality, the default"),
    .endpoint = "/v1/images/seedreamv45",
    .category = "seedreamv45",
    .fields = SEEDREAM_FIELDS,
    /* The provider: batchsize 1..15. */
    .max_batch_size = 15,
    SEEDREAM_SOURCES,
    .resolution = &seedream_resolution_rule_seedream,
    .default_resolution = "2K",
  },
  {
    /* The contract: `/v1/images/seedreamv5`, `seedreamv5`; 2K (default),
     * 3K, WxH in [3,686,400, 10,404,496]; batch 1-15; sources "as 4.5";
     * "higher quality but noticeably slower". */
    .id = "seedreamv5",
    .display_name = "Seedream 5.0 Lite",
    .description = N_("Newer and finer, but noticeably slower"),
    .endpoint = "/v1/images/seedreamv5",
    .category = "seedreamv5",
    .fields = SEEDREAM_FIELDS,
    .max_batch_size = 15,
    SEEDREAM_SOURCES,
    .resolution = &seedream_v5_resolution,
    .default_resolution = "2K",
  },
  {
    /* The contract: `/v1/images/seedreamv4`, `seedreamv4`; only 9:16 16:9
     * 3:4 4:3 1:1; batch 1-15; sources "as 4.5"; "the provider's scripts'
     * fast default since 2026-04". It names no default size: 1:1, the one
     * that favours neither side, is sent explicitly. */
    .id = "seedreamv4",
    .display_name = "Seedream 4.0",
    .description = N_("Fast, for quick drafts"),
    .endpoint = "/v1/images/seedreamv4",
    .category = "seedreamv4",
    .fields = SEEDREAM_FIELDS,
    .max_batch_size = 15,
    SEEDREAM_SOURCES,
    .resolution = &seedream_v4_resolution,
    .default_resolution = "1:1",
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

/**
 * seedream_model_get_index:
 * @model: a row of the table
 *
 * Found by id, so a copy of a row (as tests make) finds its original.
 *
 * Returns: its position in seedream_model_get_all(), as a picker lists
 *   them; 0 (the default) for a row not in the table
 */
guint
seedream_model_get_index (const SeedreamModel *model)
{
  g_return_val_if_fail (model != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      if (g_strcmp0 (models[i].id, model->id) == 0)
        return i;
    }

  return 0;
}

/**
 * seedream_model_get_description:
 * @model: a row
 *
 * Returns: (transfer none): what the model is good for, one line, translated
 */
const char *
seedream_model_get_description (const SeedreamModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);

  return model->description != NULL ? _(model->description) : "";
}
