/* test-resolution.c: what a person types in the Resolution field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <locale.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-resolution.h"

static void
assert_parses_to (const char *text,
                  const char *wire,
                  guint       width,
                  guint       height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamResolution) resolution = seedream_resolution_parse (text, &error);

  g_test_message ("parsing “%s”", text);
  g_assert_no_error (error);
  g_assert_nonnull (resolution);
  g_assert_cmpstr (seedream_resolution_to_wire (resolution), ==, wire);
  g_assert_cmpuint (seedream_resolution_get_width (resolution), ==, width);
  g_assert_cmpuint (seedream_resolution_get_height (resolution), ==, height);
  g_assert_cmpuint (seedream_resolution_get_pixels (resolution), ==, (guint64) width * height);
  g_assert_true (seedream_resolution_is_preset (resolution) == (width == 0));
}

static char *
assert_refused (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamResolution) resolution = seedream_resolution_parse (text, &error);

  g_test_message ("refusing “%.40s”", text != NULL ? text : "(null)");
  g_assert_null (resolution);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 10);

  return g_strdup (error->message);
}

static void
test_resolution_presets (void)
{
  const char *presets[] = { "2K", "4K", "1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3" };

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    assert_parses_to (presets[i], presets[i], 0, 0);

  assert_parses_to ("2k", "2K", 0, 0);
  assert_parses_to ("4k", "4K", 0, 0);
  assert_parses_to ("  2K\t", "2K", 0, 0);
  assert_parses_to ("16 : 9", "16:9", 0, 0);
  assert_parses_to (" 9:16 ", "9:16", 0, 0);
}

static void
test_resolution_preset_list (void)
{
  const char *expected[] = { "2K", "4K", "1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3" };
  const SeedreamResolutionPreset *presets;
  const SeedreamResolutionRule *rule = seedream_resolution_rule_get_default ();
  guint n = 0;

  presets = seedream_resolution_get_presets (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (rule->n_presets, ==, n);
  g_assert_true (rule == &seedream_resolution_rule_seedream);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SeedreamResolution) resolution = NULL;

      g_assert_cmpstr (presets[i].wire, ==, expected[i]);
      g_assert_cmpstr (rule->presets[i].wire, ==, expected[i]);
      g_assert_nonnull (presets[i].label);
      g_assert_true (g_str_has_prefix (presets[i].label, expected[i]));

      /* Every preset the picker offers is one the parser takes. */
      resolution = seedream_resolution_parse (presets[i].wire, NULL);
      g_assert_nonnull (resolution);
    }

  g_assert_cmpstr (presets[2].label, ==, "1:1 Square");
  g_assert_cmpstr (presets[5].label, ==, "16:9 Landscape");
  g_assert_cmpstr (presets[6].label, ==, "9:16 Portrait");
}

static void
test_resolution_custom_spellings (void)
{
  assert_parses_to ("3750x1250", "3750x1250", 3750, 1250);
  assert_parses_to ("3750 x 1250", "3750x1250", 3750, 1250);
  assert_parses_to ("3750X1250", "3750x1250", 3750, 1250);
  assert_parses_to ("3750×1250", "3750x1250", 3750, 1250);
  assert_parses_to ("3750 × 1250", "3750x1250", 3750, 1250);
  assert_parses_to ("3750*1250", "3750x1250", 3750, 1250);
  assert_parses_to ("  3750x1250  ", "3750x1250", 3750, 1250);
  assert_parses_to ("\t3750\tx\t1250\n", "3750x1250", 3750, 1250);
  assert_parses_to ("2048x2048", "2048x2048", 2048, 2048);
  /* Leading zeros are still plain digits; the wire form drops them. */
  assert_parses_to ("02048x02048", "2048x2048", 2048, 2048);
}

static void
test_resolution_boundaries (void)
{
  struct {
    const char *text;
    guint width;
    guint height;
    gboolean valid;
  } cases[] = {
    { "2560x1440", 2560, 1440, TRUE },    /* exactly the minimum */
    { "1440x2560", 1440, 2560, TRUE },
    { "1920x1920", 1920, 1920, TRUE },    /* 3,686,400 too */
    { "1919x1920", 1919, 1920, FALSE },   /* 3,684,480 */
    { "2560x1439", 2560, 1439, FALSE },   /* 3,683,840 */
    { "1x3686400", 1, 3686400, TRUE },    /* the rule is the pixel count */
    { "3686400x1", 3686400, 1, TRUE },
    { "1x3686399", 1, 3686399, FALSE },
    { "4096x4096", 4096, 4096, TRUE },    /* exactly the maximum */
    { "4097x4096", 4097, 4096, FALSE },
    { "4096x4097", 4096, 4097, FALSE },
    { "1x16777216", 1, 16777216, TRUE },
    { "16777216x1", 16777216, 1, TRUE },
    { "1x16777217", 1, 16777217, FALSE },
    { "8192x2048", 8192, 2048, TRUE },
    { "8193x2048", 8193, 2048, FALSE },
    { "3750x1250", 3750, 1250, TRUE },    /* the provider's examples */
    { "1500x1500", 1500, 1500, FALSE },
    { "5000x4000", 5000, 4000, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamResolution) resolution = seedream_resolution_parse (cases[i].text, &error);
      guint64 pixels = (guint64) cases[i].width * cases[i].height;
      gboolean in_range = pixels >= SEEDREAM_RESOLUTION_MIN_PIXELS &&
                          pixels <= SEEDREAM_RESOLUTION_MAX_PIXELS;

      g_test_message ("%s", cases[i].text);
      /* The table agrees with the rule, and the parser with both. */
      g_assert_cmpint (in_range, ==, cases[i].valid);
      g_assert_cmpint (resolution != NULL, ==, cases[i].valid);
      g_assert_cmpint (seedream_resolution_check_size (cases[i].width, cases[i].height, NULL, NULL),
                       ==, cases[i].valid);

      if (cases[i].valid)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (seedream_resolution_get_width (resolution), ==, cases[i].width);
          g_assert_cmpuint (seedream_resolution_get_height (resolution), ==, cases[i].height);
          g_assert_cmpuint (seedream_resolution_get_pixels (resolution), ==, pixels);
        }
      else
        {
          g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
        }
    }
}

/* Every product around both ends, over many factorisations. */
static void
test_resolution_boundaries_exhaustive (void)
{
  for (guint64 width = 1; width <= 5000; width += 7)
    {
      guint64 min_height = (SEEDREAM_RESOLUTION_MIN_PIXELS + width - 1) / width;
      guint64 max_height = SEEDREAM_RESOLUTION_MAX_PIXELS / width;
      guint64 heights[] = { min_height - 1, min_height, max_height, max_height + 1 };

      for (guint i = 0; i < G_N_ELEMENTS (heights); i++)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT "x%" G_GUINT64_FORMAT,
                                                   width, heights[i]);
          g_autoptr(SeedreamResolution) resolution = seedream_resolution_parse (text, NULL);
          guint64 pixels = width * heights[i];
          gboolean expected = heights[i] > 0 &&
                              pixels >= SEEDREAM_RESOLUTION_MIN_PIXELS &&
                              pixels <= SEEDREAM_RESOLUTION_MAX_PIXELS;

          if ((resolution != NULL) != expected)
            g_error ("%s: parser says %d, rule says %d", text, resolution != NULL, expected);
        }
    }
}

static void
test_resolution_refusals (void)
{
  const char *bad[] = {
    "",
    "   ",
    "0x0",
    "0x3686400",
    "3686400x0",
    "+3750x1250",
    "3750x+1250",
    "-3750x1250",
    "3750x-1250",
    "3750.0x1250",
    "3750x1250.5",
    "3750,5x1250",
    "3750x1250px",
    "3750x1250 x",
    "3750x1250x1",
    "3750",
    "x1250",
    "3750x",
    "3750 1250",
    "37 50x1250",
    "3750xx1250",
    "0x1000",
    "abc",
    "2K2",
    "2 K",
    "8K",
    "1K",
    "21:9",
    "16:10",
    "16/9",
    "１６:９",              /* full-width digits */
    "３７５０x１２５０",
    "3750÷1250",
    "3750\xc3x1250",       /* half a multiplication sign */
    "\xff\xfe",
    "99999999999999999999x1",
    "1x99999999999999999999",
    "18446744073709551616x18446744073709551616",
    "4294967296x1",
    "4294967295x4294967295",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_free (assert_refused (bad[i]));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SeedreamResolution) resolution = seedream_resolution_parse (NULL, &error);

    g_assert_null (resolution);
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
    /* What to choose instead comes from the rule, not from a fixed text. */
    g_assert_cmpstr (error->message, ==,
                     "No resolution: choose one of 2K, 4K, 1:1, 4:3, 3:4, 16:9, 9:16, 3:2, 2:3, "
                     "or enter a size such as 2048x2048");
  }
}

static void
test_resolution_messages (void)
{
  g_autofree char *small = assert_refused ("1500x1500");
  g_autofree char *big = assert_refused ("5000 x 4000");
  g_autofree char *zero = assert_refused ("0x1500");
  g_autofree char *huge = assert_refused ("99999999999999999999x1");
  g_autofree char *junk = assert_refused ("banana");
  g_autofree char *empty = assert_refused ("");
  g_autofree char *invalid_utf8 = assert_refused ("\xff\xfe\x80 big");
  g_autofree char *long_text = NULL;
  g_autofree char *long_input = g_strnfill (100000, 'y');

  g_assert_cmpstr (small, ==, "1500 × 1500 = 2250000 pixels: below the minimum of 3686400 (2560 × 1440)");
  g_assert_cmpstr (big, ==, "5000 × 4000 = 20000000 pixels: above the maximum of 16777216 (4096 × 4096)");
  g_assert_nonnull (strstr (zero, "at least 1"));
  g_assert_nonnull (strstr (huge, "99999999999999999999x1"));
  g_assert_nonnull (strstr (huge, "16777216"));
  g_assert_nonnull (strstr (junk, "“banana”"));
  g_assert_nonnull (strstr (junk, "2K"));
  g_assert_nonnull (strstr (empty, "2048x2048"));
  g_assert_nonnull (strstr (invalid_utf8, "big"));

  /* A huge input is quoted short. */
  long_text = assert_refused (long_input);
  g_assert_cmpuint (strlen (long_text), <, 300);
}

static void
test_resolution_check_size (void)
{
  g_autofree char *message = NULL;
  guint64 pixels = 0;

  g_assert_true (seedream_resolution_check_size (3750, 1250, &pixels, &message));
  g_assert_cmpuint (pixels, ==, 4687500);
  g_assert_cmpstr (message, ==, "3750 × 1250 = 4687500 pixels");
  g_clear_pointer (&message, g_free);

  g_assert_false (seedream_resolution_check_size (1500, 1500, &pixels, &message));
  g_assert_cmpuint (pixels, ==, 2250000);
  g_assert_cmpstr (message, ==, "1500 × 1500 = 2250000 pixels: below the minimum of 3686400 (2560 × 1440)");
  g_clear_pointer (&message, g_free);

  g_assert_false (seedream_resolution_check_size (5000, 4000, &pixels, &message));
  g_assert_cmpuint (pixels, ==, 20000000);
  g_assert_cmpstr (message, ==, "5000 × 4000 = 20000000 pixels: above the maximum of 16777216 (4096 × 4096)");
  g_clear_pointer (&message, g_free);

  g_assert_false (seedream_resolution_check_size (0, 1500, &pixels, &message));
  g_assert_cmpuint (pixels, ==, 0);
  g_assert_nonnull (strstr (message, "at least 1"));
  g_clear_pointer (&message, g_free);

  g_assert_false (seedream_resolution_check_size (1500, 0, NULL, &message));
  g_assert_nonnull (strstr (message, "at least 1"));
  g_clear_pointer (&message, g_free);

  /* The product does not fit 64 bits. */
  g_assert_false (seedream_resolution_check_size (G_MAXUINT64, 2, &pixels, &message));
  g_assert_cmpuint (pixels, ==, G_MAXUINT64);
  g_assert_nonnull (strstr (message, "16777216"));
  g_clear_pointer (&message, g_free);

  g_assert_false (seedream_resolution_check_size (G_MAXUINT64, G_MAXUINT64, NULL, NULL));
  g_assert_true (seedream_resolution_check_size (2560, 1440, NULL, NULL));
  g_assert_true (seedream_resolution_check_size (4096, 4096, NULL, NULL));
  g_assert_false (seedream_resolution_check_size (4097, 4096, NULL, NULL));
}

static void
test_resolution_aspect_ratio (void)
{
  g_autofree char *message = NULL;

  /* Advisory only: the parser takes these (see the boundaries test). */
  g_assert_true (seedream_resolution_check_aspect_ratio (4096, 4096, &message));
  g_assert_null (message);
  g_assert_true (seedream_resolution_check_aspect_ratio (8192, 512, NULL));   /* 16:1 */
  g_assert_true (seedream_resolution_check_aspect_ratio (512, 8192, NULL));   /* 1:16 */
  g_assert_false (seedream_resolution_check_aspect_ratio (8193, 512, NULL));
  g_assert_false (seedream_resolution_check_aspect_ratio (512, 8193, NULL));
  g_assert_true (seedream_resolution_check_aspect_ratio (0, 5, NULL));
  g_assert_true (seedream_resolution_check_aspect_ratio (G_MAXUINT64, G_MAXUINT64, NULL));
  g_assert_false (seedream_resolution_check_aspect_ratio (G_MAXUINT64, 1, NULL));

  g_assert_false (seedream_resolution_check_aspect_ratio (1, 3686400, &message));
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "1 × 3686400"));
  g_assert_nonnull (strstr (message, "16:1"));
}

/* Counts are grouped as the locale says (LC_NUMERIC), never by hand. The
 * locales come from locales-all (build-aux/packages.txt). */
static void
test_resolution_format_number (void)
{
  struct {
    const char *locale;
    guint64 value;
    const char *text;
  } cases[] = {
    { "C", 0, "0" },
    { "C", 16777216, "16777216" },
    { "C", G_MAXUINT64, "18446744073709551615" },
    { "en_US.UTF-8", 999, "999" },
    { "en_US.UTF-8", 1000, "1,000" },
    { "en_US.UTF-8", 3686400, "3,686,400" },
    { "en_US.UTF-8", G_MAXUINT64, "18,446,744,073,709,551,615" },
    { "de_DE.UTF-8", 7, "7" },
    { "de_DE.UTF-8", 12345, "12.345" },
    { "de_DE.UTF-8", 16777216, "16.777.216" },
    { "zh_CN.UTF-8", 123456, "123,456" },
    { "zh_CN.UTF-8", 16777216, "16,777,216" },
  };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;

      if (setlocale (LC_NUMERIC, cases[i].locale) == NULL)
        g_error ("the locale %s is not installed (locales-all)", cases[i].locale);
      text = seedream_resolution_format_number (cases[i].value);
      g_assert_cmpstr (text, ==, cases[i].text);
    }

  setlocale (LC_NUMERIC, saved);
}

/* A whole message under another locale: its counts follow that locale. */
static void
test_resolution_message_locale (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  g_autofree char *german = NULL;
  g_autofree char *chinese = NULL;
  guint64 pixels = 0;

  g_assert_nonnull (setlocale (LC_NUMERIC, "de_DE.UTF-8"));
  g_assert_false (seedream_resolution_check_size (5000, 4000, &pixels, &german));
  g_assert_cmpstr (german, ==, "5000 × 4000 = 20.000.000 pixels: above the maximum of 16.777.216 (4096 × 4096)");

  g_assert_nonnull (setlocale (LC_NUMERIC, "zh_CN.UTF-8"));
  g_assert_true (seedream_resolution_check_size (3750, 1250, &pixels, &chinese));
  g_assert_cmpstr (chinese, ==, "3750 × 1250 = 4,687,500 pixels");

  setlocale (LC_NUMERIC, saved);
}

static void
test_resolution_copy (void)
{
  g_autoptr(SeedreamResolution) original = seedream_resolution_parse ("3750 × 1250", NULL);
  g_autoptr(SeedreamResolution) copy = NULL;
  g_autoptr(SeedreamResolution) boxed = NULL;

  g_assert_nonnull (original);
  copy = seedream_resolution_copy (original);
  g_assert_true (copy != original);
  g_assert_cmpstr (seedream_resolution_to_wire (copy), ==, "3750x1250");
  g_assert_true (seedream_resolution_to_wire (copy) != seedream_resolution_to_wire (original));
  g_assert_cmpuint (seedream_resolution_get_width (copy), ==, 3750);
  g_assert_cmpuint (seedream_resolution_get_height (copy), ==, 1250);

  boxed = g_boxed_copy (SEEDREAM_TYPE_RESOLUTION, original);
  g_assert_cmpstr (seedream_resolution_to_wire (boxed), ==, "3750x1250");
}

static void
test_resolution_presets_only_rule (void)
{
  static const SeedreamResolutionPreset presets[] = {
    { "16:9", "16:9" },
    { "1:1", "1:1" },
  };
  const SeedreamResolutionRule rule = {
    .presets = presets,
    .n_presets = G_N_ELEMENTS (presets),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamResolution) ok = seedream_resolution_parse_for_rule ("16:9", &rule, NULL);
  g_autoptr(SeedreamResolution) size = seedream_resolution_parse_for_rule ("2048x2048", &rule, &error);
  g_autoptr(SeedreamResolution) k2 = seedream_resolution_parse_for_rule ("2K", &rule, NULL);

  g_assert_nonnull (ok);
  g_assert_null (size);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "16:9, 1:1"));
  g_assert_null (k2);
  g_assert_false (seedream_resolution_rule_check_size (&rule, 2048, 2048, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/resolution/parse/presets", test_resolution_presets);
  g_test_add_func ("/seedream/resolution/parse/custom-spellings", test_resolution_custom_spellings);
  g_test_add_func ("/seedream/resolution/parse/boundaries", test_resolution_boundaries);
  g_test_add_func ("/seedream/resolution/parse/boundaries-exhaustive", test_resolution_boundaries_exhaustive);
  g_test_add_func ("/seedream/resolution/parse/refusals", test_resolution_refusals);
  g_test_add_func ("/seedream/resolution/parse/messages", test_resolution_messages);
  g_test_add_func ("/seedream/resolution/parse/presets-only-rule", test_resolution_presets_only_rule);
  g_test_add_func ("/seedream/resolution/presets", test_resolution_preset_list);
  g_test_add_func ("/seedream/resolution/check-size", test_resolution_check_size);
  g_test_add_func ("/seedream/resolution/aspect-ratio", test_resolution_aspect_ratio);
  g_test_add_func ("/seedream/resolution/format-number", test_resolution_format_number);
  g_test_add_func ("/seedream/resolution/message-locale", test_resolution_message_locale);
  g_test_add_func ("/seedream/resolution/copy", test_resolution_copy);

  return g_test_run ();
}
