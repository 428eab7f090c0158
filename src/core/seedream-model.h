/* seedream-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "seedream-resolution.h"

G_BEGIN_DECLS

/**
 * SeedreamModelFields:
 * @SEEDREAM_MODEL_FIELD_NONE: no field
 * @SEEDREAM_MODEL_FIELD_PROMPT: `prompt` (text)
 * @SEEDREAM_MODEL_FIELD_BATCH_SIZE: `batchsize` (integer)
 * @SEEDREAM_MODEL_FIELD_RESOLUTION: `resolution` (text, see the rule)
 * @SEEDREAM_MODEL_FIELD_SOURCE_IMAGES: `sourceImage` (files, repeated)
 * @SEEDREAM_MODEL_FIELD_IMAGE_URL: `imageUrl` (text)
 *
 * The form fields an endpoint takes besides `category`, which every
 * endpoint takes.
 */
typedef enum
{
  SEEDREAM_MODEL_FIELD_NONE          = 0,
  SEEDREAM_MODEL_FIELD_PROMPT        = 1 << 0,
  SEEDREAM_MODEL_FIELD_BATCH_SIZE    = 1 << 1,
  SEEDREAM_MODEL_FIELD_RESOLUTION    = 1 << 2,
  SEEDREAM_MODEL_FIELD_SOURCE_IMAGES = 1 << 3,
  SEEDREAM_MODEL_FIELD_IMAGE_URL     = 1 << 4,
} SeedreamModelFields;

/* The names of the form fields on the wire. */
#define SEEDREAM_FORM_CATEGORY     "category"
#define SEEDREAM_FORM_PROMPT       "prompt"
#define SEEDREAM_FORM_BATCH_SIZE   "batchsize"
#define SEEDREAM_FORM_RESOLUTION   "resolution"
#define SEEDREAM_FORM_IMAGE_URL    "imageUrl"
#define SEEDREAM_FORM_SOURCE_IMAGE "sourceImage"

/**
 * SeedreamModel:
 * @id: a stable identifier, e.g. "seedreamv45" (settings, history)
 * @display_name: the product name shown to people, e.g. "Seedream 4.5"
 * @description: one line on what the model is good for, marked with N_()
 *   (seedream_model_get_description() translates it)
 * @endpoint: the path of the submit endpoint below the API base URL
 * @category: what the `category` field carries
 * @fields: the other form fields the endpoint takes
 * @max_batch_size: the largest `batchsize`
 * @max_source_images: the most reference images (files and URL together)
 * @max_total_images: the most reference images plus generated images
 * @max_source_image_bytes: the largest reference image file
 * @source_mime_types: %NULL-terminated; the reference image types accepted
 * @resolution: what the `resolution` field accepts
 * @default_resolution: what the `resolution` field defaults to
 *
 * One row of the model table. Adding a model is adding a row in
 * seedream-model.c, not new code.
 */
typedef struct
{
  const char                   *id;
  const char                   *display_name;
  const char                   *description;
  const char                   *endpoint;
  const char                   *category;
  SeedreamModelFields           fields;
  guint                         max_batch_size;
  guint                         max_source_images;
  guint                         max_total_images;
  guint64                       max_source_image_bytes;
  const char * const           *source_mime_types;
  const SeedreamResolutionRule *resolution;
  const char                   *default_resolution;
} SeedreamModel;

const SeedreamModel *seedream_model_get_default          (void);
const SeedreamModel *seedream_model_lookup               (const char           *id);
const SeedreamModel *seedream_model_get_all              (guint                *n_models);
guint                seedream_model_get_index            (const SeedreamModel  *model);
const char          *seedream_model_get_description      (const SeedreamModel  *model);

gboolean             seedream_model_has_fields           (const SeedreamModel  *model,
                                                          SeedreamModelFields   fields);
gboolean             seedream_model_accepts_mime_type    (const SeedreamModel  *model,
                                                          const char           *mime_type);
char                *seedream_model_describe_source_types (const SeedreamModel *model);
char                *seedream_model_format_max_source_image_size (const SeedreamModel *model);
SeedreamResolution  *seedream_model_parse_resolution     (const SeedreamModel  *model,
                                                          const char           *text,
                                                          GError              **error);

G_END_DECLS
