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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/model/default", test_model_default_is_seedream_45);
  g_test_add_func ("/seedream/model/lookup", test_model_lookup);
  g_test_add_func ("/seedream/model/has-fields", test_model_has_fields);
  g_test_add_func ("/seedream/model/describe", test_model_describe);
  g_test_add_func ("/seedream/model/parse-resolution", test_model_parse_resolution);

  return g_test_run ();
}
