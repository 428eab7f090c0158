/* fuzz-resolution.c: any text as a resolution, any numbers as a size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No crash, no undefined behaviour, no leak, and the parser keeps its
 * promises: a result or a SEEDREAM_ERROR with a valid UTF-8 message,
 * never both; a custom size it accepts is one the pixel rule accepts, and
 * its wire form parses back to itself. The first 16 bytes, read as two
 * 64-bit numbers, also go to seedream_resolution_check_size(), whose
 * verdict must agree with the rule.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-resolution.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_parse (const char                   *text,
             const SeedreamResolutionRule *rule)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamResolution) resolution = NULL;

  resolution = seedream_resolution_parse_for_rule (text, rule, &error);
  g_assert_true ((resolution == NULL) != (error == NULL));

  if (resolution == NULL)
    {
      g_assert_true (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (strlen (error->message), <, 1024);
      return;
    }

  if (seedream_resolution_is_preset (resolution))
    {
      gboolean listed = FALSE;

      for (guint i = 0; i < rule->n_presets; i++)
        listed |= g_str_equal (rule->presets[i].wire, seedream_resolution_to_wire (resolution));
      g_assert_true (listed);
      g_assert_cmpuint (seedream_resolution_get_pixels (resolution), ==, 0);
    }
  else
    {
      guint64 pixels = seedream_resolution_get_pixels (resolution);
      g_autofree char *wire = g_strdup_printf ("%ux%u",
                                               seedream_resolution_get_width (resolution),
                                               seedream_resolution_get_height (resolution));
      g_autoptr(SeedreamResolution) again = NULL;

      g_assert_cmpuint (pixels, >=, rule->min_pixels);
      g_assert_cmpuint (pixels, <=, rule->max_pixels);
      g_assert_cmpstr (seedream_resolution_to_wire (resolution), ==, wire);

      again = seedream_resolution_parse_for_rule (wire, rule, NULL);
      g_assert_nonnull (again);
      g_assert_cmpstr (seedream_resolution_to_wire (again), ==, wire);
    }
}

static void
check_size (guint64 width,
            guint64 height)
{
  g_autofree char *message = NULL;
  g_autofree char *warning = NULL;
  guint64 pixels = 0;
  gboolean valid;
  gboolean expected;
  guint64 product;

  valid = seedream_resolution_check_size (width, height, &pixels, &message);

  expected = g_uint64_checked_mul (&product, width, height) &&
             product >= SEEDREAM_RESOLUTION_MIN_PIXELS &&
             product <= SEEDREAM_RESOLUTION_MAX_PIXELS;
  g_assert_cmpint (valid, ==, expected);
  g_assert_nonnull (message);
  g_assert_true (g_utf8_validate (message, -1, NULL));
  if (expected)
    g_assert_cmpuint (pixels, ==, product);

  if (!seedream_resolution_check_aspect_ratio (width, height, &warning))
    g_assert_nonnull (warning);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const SeedreamResolutionPreset presets[] = {
    { "9:16", "9:16" },
    { "16:9", "16:9" },
  };
  static const SeedreamResolutionRule presets_only = {
    .presets = presets,
    .n_presets = G_N_ELEMENTS (presets),
  };
  g_autofree char *text = g_strndup ((const char *) data, size);

  check_parse (text, seedream_resolution_rule_get_default ());
  check_parse (text, &presets_only);

  if (size >= 2 * sizeof (guint64))
    {
      guint64 width;
      guint64 height;

      memcpy (&width, data, sizeof width);
      memcpy (&height, data + sizeof width, sizeof height);
      check_size (width, height);
      /* Small numbers too, where the interesting boundaries are. */
      check_size (width % 20000, height % 20000);
    }

  return 0;
}
