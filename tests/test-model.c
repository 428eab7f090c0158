/* test-model.c: the table of models.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-model.h"

static void
test_model_default_is_seedream_45 (void)
{
  const SeedreamModel *model = seedream_model_get_default ();
  const char *mime_types[] = { "image/jpeg", "image/png", "image/webp", "image/bmp", "image/tiff", "image/gif" };

  g_assert_nonnull (model);
  g_assert_cmpstr (model->id, ==, "seedreamv45");
  g_assert_cmpstr (model->display_name, ==, "Seedream 4.5");
  g_assert_cmpstr (model->endpoint, ==, "/v1/images/seedreamv45");
  g_assert_cmpstr (model->category, ==, "seedreamv45");
  g_assert_cmpuint (model->max_batch_size, ==, 15);
  g_assert_cmpuint (model->max_source_images, ==, 14);
  g_assert_cmpuint (model->max_total_images, ==, 15);
  g_assert_cmpuint (model->max_source_image_bytes, ==, 10 * 1000 * 1000);
  g_assert_cmpstr (model->default_resolution, ==, "2K");
  g_assert_true (model->resolution == seedream_resolution_rule_get_default ());
  g_assert_cmpuint (model->resolution->min_pixels, ==, SEEDREAM_RESOLUTION_MIN_PIXELS);
  g_assert_cmpuint (model->resolution->max_pixels, ==, SEEDREAM_RESOLUTION_MAX_PIXELS);

  g_assert_true (seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_PROMPT |
                                                   SEEDREAM_MODEL_FIELD_BATCH_SIZE |
                                                   SEEDREAM_MODEL_FIELD_RESOLUTION |
                                                   SEEDREAM_MODEL_FIELD_SOURCE_IMAGES |
                                                   SEEDREAM_MODEL_FIELD_IMAGE_URL));

  g_assert_cmpuint (g_strv_length ((char **) model->source_mime_types), ==, G_N_ELEMENTS (mime_types));
  for (guint i = 0; i < G_N_ELEMENTS (mime_types); i++)
    g_assert_true (seedream_model_accepts_mime_type (model, mime_types[i]));

  g_assert_false (seedream_model_accepts_mime_type (model, "image/svg+xml"));
  g_assert_false (seedream_model_accepts_mime_type (model, "image/heic"));
  g_assert_false (seedream_model_accepts_mime_type (model, "text/plain"));
  g_assert_false (seedream_model_accepts_mime_type (model, NULL));
}

static void
test_model_lookup (void)
{
  const SeedreamModel *all;
  guint n = 0;

  g_assert_true (seedream_model_lookup ("seedreamv45") == seedream_model_get_default ());
  g_assert_null (seedream_model_lookup ("nonsense"));
  g_assert_null (seedream_model_lookup (""));
  g_assert_null (seedream_model_lookup (NULL));

  all = seedream_model_get_all (&n);
  g_assert_cmpuint (n, >=, 1);

  /* Every row is complete and findable by its id; ids are unique. */
  for (guint i = 0; i < n; i++)
    {
      const SeedreamModel *model = &all[i];

      g_assert_true (seedream_model_lookup (model->id) == model);
      g_assert_nonnull (model->display_name);
      g_assert_true (g_str_has_prefix (model->endpoint, "/v1/images/"));
      g_assert_nonnull (model->category);
      g_assert_nonnull (model->resolution);
      g_assert_nonnull (model->default_resolution);
      g_assert_cmpuint (model->max_batch_size, >=, 1);
      g_assert_cmpuint (model->max_total_images, >=, model->max_source_images);

      /* The default resolution is one the model takes. */
      {
        g_autoptr(SeedreamResolution) resolution =
          seedream_model_parse_resolution (model, model->default_resolution, NULL);

        g_assert_nonnull (resolution);
      }
    }
}

static void
test_model_has_fields (void)
{
  SeedreamModel model = *seedream_model_get_default ();

  model.fields = SEEDREAM_MODEL_FIELD_PROMPT | SEEDREAM_MODEL_FIELD_RESOLUTION;
  g_assert_true (seedream_model_has_fields (&model, SEEDREAM_MODEL_FIELD_PROMPT));
  g_assert_true (seedream_model_has_fields (&model, SEEDREAM_MODEL_FIELD_NONE));
  g_assert_false (seedream_model_has_fields (&model, SEEDREAM_MODEL_FIELD_BATCH_SIZE));
  g_assert_false (seedream_model_has_fields (&model, SEEDREAM_MODEL_FIELD_PROMPT |
                                                     SEEDREAM_MODEL_FIELD_IMAGE_URL));
}

static void
test_model_describe (void)
{
  const SeedreamModel *model = seedream_model_get_default ();
  g_autofree char *types = seedream_model_describe_source_types (model);
  g_autofree char *size = seedream_model_format_max_source_image_size (model);
  SeedreamModel odd = *model;
  g_autofree char *odd_size = NULL;

  g_assert_cmpstr (types, ==, "JPEG, PNG, WebP, BMP, TIFF, GIF");
  g_assert_cmpstr (size, ==, "10\u00a0MB");

  odd.max_source_image_bytes = 10 * 1024 * 1024;
  odd_size = seedream_model_format_max_source_image_size (&odd);
  g_assert_cmpstr (odd_size, ==, "10.5\u00a0MB");
}

static void
test_model_parse_resolution (void)
{
  const SeedreamModel *model = seedream_model_get_default ();
  g_autoptr(SeedreamResolution) ok = seedream_model_parse_resolution (model, "3750x1250", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamResolution) bad = seedream_model_parse_resolution (model, "1500x1500", &error);

  g_assert_nonnull (ok);
  g_assert_cmpstr (seedream_resolution_to_wire (ok), ==, "3750x1250");
  g_assert_null (bad);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
}

/* What the contract (../shared/api/README.md, "The sibling models in
 * detail") says of each model, written out again so that the table is
 * checked against it, not against itself. */
typedef struct
{
  const char *id;
  const char *display_name;
  const char *endpoint;
  const char *category;
  const char *default_resolution;
  const char *presets[10];       /* NULL-terminated */
  const char *refused[8];        /* presets of other models it refuses */
  guint64     min_pixels;        /* 0: no custom sizes */
  guint64     max_pixels;
  guint       aspect_ratio;      /* advisory limit, 0 for none */
} ModelCase;

static const ModelCase model_cases[] = {
  { "seedreamv45", "Seedream 4.5", "/v1/images/seedreamv45", "seedreamv45", "2K",
    { "2K", "4K", "1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3", NULL },
    { "3K", NULL },
    3686400, 16777216, 16 },
  { "seedreamv5", "Seedream 5.0 Lite", "/v1/images/seedreamv5", "seedreamv5", "2K",
    { "2K", "3K", NULL },
    { "4K", "1:1", "16:9", "9:16", "3:2", NULL },
    3686400, 10404496, 0 },
  { "seedreamv4", "Seedream 4.0", "/v1/images/seedreamv4", "seedreamv4", "1:1",
    { "1:1", "4:3", "3:4", "16:9", "9:16", NULL },
    { "2K", "4K", "3K", "3:2", "2:3", NULL },
    0, 0, 0 },
};

static gboolean
accepts (const SeedreamModel *model,
         const char          *text)
{
  g_autoptr(SeedreamResolution) resolution = seedream_model_parse_resolution (model, text, NULL);

  return resolution != NULL;
}

static gboolean
accepts_size (const SeedreamModel *model,
              guint64              width,
              guint64              height)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT "x%" G_GUINT64_FORMAT, width, height);
  gboolean parsed = accepts (model, text);

  /* The live check of the form agrees with the parser. */
  g_assert_cmpint (parsed, ==, seedream_resolution_rule_check_size (model->resolution, width, height, NULL, NULL));

  return parsed;
}

static void
test_model_rows (void)
{
  guint n = 0;
  const SeedreamModel *all = seedream_model_get_all (&n);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (model_cases));
  g_assert_true (seedream_model_get_default () == seedream_model_lookup ("seedreamv45"));

  for (guint i = 0; i < G_N_ELEMENTS (model_cases); i++)
    {
      const ModelCase *c = &model_cases[i];
      const SeedreamModel *model = seedream_model_lookup (c->id);
      guint n_presets = g_strv_length ((char **) c->presets);

      g_test_message ("model %s", c->id);
      g_assert_nonnull (model);
      g_assert_true (&all[seedream_model_get_index (model)] == model);
      g_assert_cmpstr (model->display_name, ==, c->display_name);
      g_assert_cmpstr (model->endpoint, ==, c->endpoint);
      g_assert_cmpstr (model->category, ==, c->category);
      g_assert_cmpstr (model->default_resolution, ==, c->default_resolution);
      g_assert_cmpstr (seedream_model_get_description (model), !=, "");
      g_assert_null (strchr (seedream_model_get_description (model), '\n'));

      /* Batch 1-15 and sources "as 4.5" for all three. */
      g_assert_cmpuint (model->max_batch_size, ==, 15);
      g_assert_cmpuint (model->max_source_images, ==, 14);
      g_assert_cmpuint (model->max_total_images, ==, 15);
      g_assert_cmpuint (model->max_source_image_bytes, ==, 10 * 1000 * 1000);
      g_assert_true (seedream_model_has_fields (model, SEEDREAM_MODEL_FIELD_PROMPT |
                                                       SEEDREAM_MODEL_FIELD_BATCH_SIZE |
                                                       SEEDREAM_MODEL_FIELD_RESOLUTION |
                                                       SEEDREAM_MODEL_FIELD_SOURCE_IMAGES |
                                                       SEEDREAM_MODEL_FIELD_IMAGE_URL));
      g_assert_true (seedream_model_accepts_mime_type (model, "image/webp"));
      g_assert_false (seedream_model_accepts_mime_type (model, "image/svg+xml"));

      /* Every preset, in the order offered, and nothing else. */
      g_assert_cmpuint (model->resolution->n_presets, ==, n_presets);
      for (guint p = 0; p < n_presets; p++)
        {
          g_assert_cmpstr (model->resolution->presets[p].wire, ==, c->presets[p]);
          g_assert_cmpint (seedream_resolution_rule_find_preset (model->resolution, c->presets[p]), ==, p);
          g_assert_true (accepts (model, c->presets[p]));
        }
      for (guint r = 0; c->refused[r] != NULL; r++)
        {
          g_assert_false (accepts (model, c->refused[r]));
          g_assert_cmpint (seedream_resolution_rule_find_preset (model->resolution, c->refused[r]), ==, -1);
        }

      g_assert_cmpint (seedream_resolution_rule_allows_custom (model->resolution), ==, c->max_pixels > 0);
      g_assert_cmpuint (model->resolution->advisory_max_aspect_ratio, ==, c->aspect_ratio);
      if (c->max_pixels == 0)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(SeedreamResolution) none = seedream_model_parse_resolution (model, "2048x2048", &error);

          g_assert_null (none);
          g_assert_nonnull (strstr (error->message, "choose one of 1:1, 4:3, 3:4, 16:9, 9:16"));
          g_assert_false (accepts_size (model, 2560, 1440));
          g_assert_false (accepts_size (model, 4096, 4096));
          continue;
        }

      /* The pixel range, both edges included, whatever the shape. */
      g_assert_cmpuint (model->resolution->min_pixels, ==, c->min_pixels);
      g_assert_cmpuint (model->resolution->max_pixels, ==, c->max_pixels);
      g_assert_true (accepts_size (model, 2560, 1440));
      g_assert_true (accepts_size (model, 1, c->min_pixels));
      g_assert_false (accepts_size (model, 1, c->min_pixels - 1));
      g_assert_false (accepts_size (model, 2560, 1439));
      g_assert_true (accepts_size (model, 1, c->max_pixels));
      g_assert_true (accepts_size (model, c->max_pixels / 16, 16));
      g_assert_false (accepts_size (model, 1, c->max_pixels + 1));
      g_assert_false (accepts_size (model, 0, 0));
      g_assert_true (accepts_size (model, 2048, 2048));
      g_assert_true (accepts_size (model, 3750, 1250));
      g_assert_false (accepts_size (model, 1500, 1500));

      /* The example in messages is a size the model takes. */
      g_assert_true (accepts_size (model, model->resolution->max_example_width, model->resolution->max_example_height));
      g_assert_true (accepts_size (model, model->resolution->min_example_width, model->resolution->min_example_height));
    }

  /* Between the two ranges: 4.5 takes it, 5.0 Lite does not. */
  g_assert_true (accepts_size (seedream_model_lookup ("seedreamv45"), 4096, 4096));
  g_assert_false (accepts_size (seedream_model_lookup ("seedreamv5"), 4096, 4096));
  g_assert_true (accepts_size (seedream_model_lookup ("seedreamv5"), 3225, 3225));
  g_assert_false (accepts_size (seedream_model_lookup ("seedreamv5"), 3226, 3226));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/model/default", test_model_default_is_seedream_45);
  g_test_add_func ("/seedream/model/lookup", test_model_lookup);
  g_test_add_func ("/seedream/model/rows", test_model_rows);
  g_test_add_func ("/seedream/model/has-fields", test_model_has_fields);
  g_test_add_func ("/seedream/model/describe", test_model_describe);
  g_test_add_func ("/seedream/model/parse-resolution", test_model_parse_resolution);

  return g_test_run ();
}
