/* seedream-resolution.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person types in the Resolution field becomes a SeedreamResolution:
 * a preset ("2K", "16:9") or a custom WIDTHxHEIGHT.
 *
 * The rule is the provider's, word for word: presets are always valid, and
 * a custom size is valid iff width × height lies in [3,686,400, 16,777,216],
 * both ends included. Nothing else.
 *
 * About the aspect ratio: resellers of the upstream model (medium
 * confidence) add "aspect ratio within [1/16, 16]". That is NOT implied by
 * the pixel range: 1x3686400 and 1x16777216 have the right number of
 * pixels and absurd aspect ratios. The provider's own text states only the
 * pixel range, so the pixel range is THE rule and this parser accepts
 * 1x3686400. Refusing something the provider documents as valid would be a
 * bug we could not justify; saying nothing about a likely upstream refusal
 * would be unhelpful. So the rule carries the ratio as an *advisory* limit:
 * seedream_resolution_rule_check_aspect_ratio() lets the UI show a warning
 * ("the service may refuse it"), and nothing refuses a request for it.
 */

#define G_LOG_DOMAIN "seedream-resolution"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-error.h"
#include "seedream-excerpt.h"
#include "seedream-resolution.h"

struct _SeedreamResolution
{
  char  *wire;
  guint  width;   /* 0 for presets */
  guint  height;  /* 0 for presets */
};

G_DEFINE_BOXED_TYPE (SeedreamResolution, seedream_resolution,
                     seedream_resolution_copy, seedream_resolution_free)

/* In the order a picker shows them. */
static const SeedreamResolutionPreset default_presets[] = {
  { "2K", N_("2K") },
  { "4K", N_("4K") },
  { "1:1", N_("1:1 Square") },
  { "4:3", N_("4:3 Landscape") },
  { "3:4", N_("3:4 Portrait") },
  { "16:9", N_("16:9 Landscape") },
  { "9:16", N_("9:16 Portrait") },
  { "3:2", N_("3:2 Landscape") },
  { "2:3", N_("2:3 Portrait") },
};

const SeedreamResolutionRule seedream_resolution_rule_seedream = {
  .presets = default_presets,
  .n_presets = G_N_ELEMENTS (default_presets),
  .min_pixels = SEEDREAM_RESOLUTION_MIN_PIXELS,
  .max_pixels = SEEDREAM_RESOLUTION_MAX_PIXELS,
  .min_example_width = 2560,
  .min_example_height = 1440,
  .max_example_width = 4096,
  .max_example_height = 4096,
  .advisory_max_aspect_ratio = 16,
};

/* A side longer than this cannot be valid under any rule (a guint holds
 * it); parsing saturates here instead of overflowing. */
#define SIDE_LIMIT ((guint64) G_MAXUINT)

/* Longest piece of the input quoted back in a message. */
#define EXCERPT_CHARS 24

/**
 * seedream_resolution_rule_get_default:
 *
 * Returns: (transfer none): the rule of the provider's Seedream endpoints
 */
const SeedreamResolutionRule *
seedream_resolution_rule_get_default (void)
{
  return &seedream_resolution_rule_seedream;
}

/**
 * seedream_resolution_format_number:
 * @value: a count
 *
 * The one place that writes counts for people to read, grouped the way
 * the locale's LC_NUMERIC says: 4687500 is "4,687,500" in English or
 * Chinese, "4.687.500" in German, "4687500" in the C locale.
 *
 * Returns: (transfer full): the formatted number
 */
char *
seedream_resolution_format_number (guint64 value)
{
  /* The ' flag is the C library's (POSIX) thousands grouping. */
  return g_strdup_printf ("%'llu", (unsigned long long) value);
}

static char *
format_size (guint64 width,
             guint64 height)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT, width, height);
}

/* A short, valid UTF-8, single-line piece of what was typed, for quoting. */
static char *
make_excerpt (const char *text)
{
  g_autofree char *valid = NULL;
  char *p;

  valid = g_utf8_make_valid (text, -1);
  for (p = valid; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        *p = ' ';
    }

  return seedream_excerpt (valid, EXCERPT_CHARS);
}

/**
 * seedream_resolution_rule_check_size:
 * @rule: the rule of the endpoint
 * @width: the width in pixels
 * @height: the height in pixels
 * @out_pixels: (out) (optional): width × height, G_MAXUINT64 when that
 *   does not fit 64 bits
 * @out_message: (out) (optional) (transfer full): a sentence for the
 *   person, set whether the size is valid or not
 *
 * Checks a custom size against the pixel range of @rule. Meant for live
 * validation of Width/Height rows.
 *
 * Returns: %TRUE when @rule accepts @width × @height
 */
gboolean
seedream_resolution_rule_check_size (const SeedreamResolutionRule  *rule,
                                     guint64                        width,
                                     guint64                        height,
                                     guint64                       *out_pixels,
                                     char                         **out_message)
{
  g_autofree char *size = NULL;
  g_autofree char *pixels_text = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *example = NULL;
  guint64 pixels = 0;
  gboolean overflow;
  gboolean valid = FALSE;
  char *message = NULL;

  g_return_val_if_fail (rule != NULL, FALSE);

  overflow = !g_uint64_checked_mul (&pixels, width, height);
  if (overflow)
    pixels = G_MAXUINT64;

  size = format_size (width, height);

  if (width == 0 || height == 0)
    {
      message = g_strdup (_("Width and height must each be at least 1 pixel"));
    }
  else if (rule->max_pixels == 0)
    {
      message = g_strdup (_("This model takes only the listed presets, not a custom size"));
    }
  else if (overflow)
    {
      limit_text = seedream_resolution_format_number (rule->max_pixels);
      example = format_size (rule->max_example_width, rule->max_example_height);
      /* Translators: "5000000 × 9000000 is far above the maximum of 16,777,216 pixels (4096 × 4096)" */
      message = g_strdup_printf (ngettext ("%s is far above the maximum of %s pixel (%s)",
                                           "%s is far above the maximum of %s pixels (%s)",
                                           rule->max_pixels),
                                 size, limit_text, example);
    }
  else
    {
      pixels_text = seedream_resolution_format_number (pixels);

      if (pixels < rule->min_pixels)
        {
          limit_text = seedream_resolution_format_number (rule->min_pixels);
          example = format_size (rule->min_example_width, rule->min_example_height);
          /* Translators: "1500 × 1500 = 2,250,000 pixels: below the minimum of 3,686,400 (2560 × 1440)" */
          message = g_strdup_printf (ngettext ("%s = %s pixel: below the minimum of %s (%s)",
                                               "%s = %s pixels: below the minimum of %s (%s)",
                                               pixels),
                                     size, pixels_text, limit_text, example);
        }
      else if (pixels > rule->max_pixels)
        {
          limit_text = seedream_resolution_format_number (rule->max_pixels);
          example = format_size (rule->max_example_width, rule->max_example_height);
          /* Translators: "5000 × 4000 = 20,000,000 pixels: above the maximum of 16,777,216 (4096 × 4096)" */
          message = g_strdup_printf (ngettext ("%s = %s pixel: above the maximum of %s (%s)",
                                               "%s = %s pixels: above the maximum of %s (%s)",
                                               pixels),
                                     size, pixels_text, limit_text, example);
        }
      else
        {
          /* Translators: "3750 × 1250 = 4,687,500 pixels" */
          message = g_strdup_printf (ngettext ("%s = %s pixel", "%s = %s pixels", pixels),
                                     size, pixels_text);
          valid = TRUE;
        }
    }

  if (out_pixels != NULL)
    *out_pixels = pixels;

  if (out_message != NULL)
    *out_message = message;
  else
    g_free (message);

  return valid;
}

/**
 * seedream_resolution_check_size:
 * @width: the width in pixels
 * @height: the height in pixels
 * @out_pixels: (out) (optional): width × height (G_MAXUINT64 on overflow)
 * @out_message: (out) (optional) (transfer full): a sentence for the person
 *
 * seedream_resolution_rule_check_size() with the provider's rule.
 *
 * Returns: %TRUE when the product lies in
 *   [%SEEDREAM_RESOLUTION_MIN_PIXELS, %SEEDREAM_RESOLUTION_MAX_PIXELS]
 */
gboolean
seedream_resolution_check_size (guint64   width,
                                guint64   height,
                                guint64  *out_pixels,
                                char    **out_message)
{
  return seedream_resolution_rule_check_size (&seedream_resolution_rule_seedream, width, height,
                                              out_pixels, out_message);
}

/**
 * seedream_resolution_rule_check_aspect_ratio:
 * @rule: the rule of the endpoint
 * @width: the width in pixels
 * @height: the height in pixels
 * @out_message: (out) (optional) (transfer full): a warning, set only
 *   when %FALSE is returned
 *
 * The advisory check described at the top of this file: it never makes a
 * size invalid. Sizes with a zero side are left to
 * seedream_resolution_rule_check_size().
 *
 * Returns: %FALSE when the size is more elongated than the upstream
 *   model is said to accept
 */
gboolean
seedream_resolution_rule_check_aspect_ratio (const SeedreamResolutionRule  *rule,
                                             guint64                        width,
                                             guint64                        height,
                                             char                         **out_message)
{
  guint64 longer;
  guint64 shorter;
  guint64 limit;
  g_autofree char *size = NULL;

  g_return_val_if_fail (rule != NULL, TRUE);

  if (rule->advisory_max_aspect_ratio == 0 || width == 0 || height == 0)
    return TRUE;

  longer = MAX (width, height);
  shorter = MIN (width, height);

  /* longer <= ratio × shorter, where an overflowing product is surely larger */
  if (!g_uint64_checked_mul (&limit, shorter, rule->advisory_max_aspect_ratio) ||
      longer <= limit)
    return TRUE;

  if (out_message != NULL)
    {
      size = format_size (width, height);
      /* Translators: "1 × 3686400 is more elongated than 16:1 or 1:16; the service may refuse it" */
      *out_message = g_strdup_printf (_("%s is more elongated than %u:1 or 1:%u; the service may refuse it"),
                                      size, rule->advisory_max_aspect_ratio,
                                      rule->advisory_max_aspect_ratio);
    }

  return FALSE;
}

/**
 * seedream_resolution_check_aspect_ratio:
 * @width: the width in pixels
 * @height: the height in pixels
 * @out_message: (out) (optional) (transfer full): a warning, set only
 *   when %FALSE is returned
 *
 * seedream_resolution_rule_check_aspect_ratio() with the provider's rule
 * (advisory limit 16:1).
 *
 * Returns: %FALSE when a warning is due
 */
gboolean
seedream_resolution_check_aspect_ratio (guint64   width,
                                        guint64   height,
                                        char    **out_message)
{
  return seedream_resolution_rule_check_aspect_ratio (&seedream_resolution_rule_seedream, width, height, out_message);
}

static SeedreamResolution *
resolution_new (const char *wire,
                guint       width,
                guint       height)
{
  SeedreamResolution *self = g_new0 (SeedreamResolution, 1);

  self->wire = g_strdup (wire);
  self->width = width;
  self->height = height;

  return self;
}

static const char *
skip_blanks (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* Decimal digits only (no sign, no point). Saturates at SIDE_LIMIT + 1 so
 * that any length of digits is safe. */
static gboolean
parse_side (const char **p,
            guint64     *out_value)
{
  const char *s = *p;
  guint64 value = 0;

  if (!g_ascii_isdigit (*s))
    return FALSE;

  for (; g_ascii_isdigit (*s); s++)
    {
      if (value <= SIDE_LIMIT)
        value = value * 10 + (guint64) (*s - '0');
    }

  *out_value = MIN (value, SIDE_LIMIT + 1);
  *p = s;

  return TRUE;
}

/* "x", "X", "*" or U+00D7 MULTIPLICATION SIGN. */
static gboolean
skip_separator (const char **p)
{
  const char *s = *p;

  if (*s == 'x' || *s == 'X' || *s == '*')
    {
      *p = s + 1;
      return TRUE;
    }

  if ((guchar) s[0] == 0xc3 && (guchar) s[1] == 0x97)
    {
      *p = s + 2;
      return TRUE;
    }

  return FALSE;
}

static gboolean
parse_size (const char *text,
            guint64    *width,
            guint64    *height)
{
  const char *p = text;

  if (!parse_side (&p, width))
    return FALSE;
  p = skip_blanks (p);
  if (!skip_separator (&p))
    return FALSE;
  p = skip_blanks (p);
  if (!parse_side (&p, height))
    return FALSE;

  return *p == '\0';
}

/* Presets compare case-insensitively, blanks around ":" ignored. */
static const SeedreamResolutionPreset *
find_preset (const SeedreamResolutionRule *rule,
             const char                   *text)
{
  g_autofree char *compact = NULL;
  const char *colon;

  colon = strchr (text, ':');
  if (colon != NULL)
    {
      g_autofree char *left = g_strstrip (g_strndup (text, colon - text));
      g_autofree char *right = g_strstrip (g_strdup (colon + 1));

      compact = g_strconcat (left, ":", right, NULL);
    }
  else
    {
      compact = g_strdup (text);
    }

  for (guint i = 0; i < rule->n_presets; i++)
    {
      if (g_ascii_strcasecmp (compact, rule->presets[i].wire) == 0)
        return &rule->presets[i];
    }

  return NULL;
}

static char *
describe_presets (const SeedreamResolutionRule *rule)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < rule->n_presets; i++)
    {
      if (i > 0)
        g_string_append (list, ", ");
      g_string_append (list, rule->presets[i].wire);
    }

  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* What to choose instead, from the rule: its presets, and a size when it
 * takes one. 2048x2048 lies in the range of every Seedream rule. */
static char *
describe_choices (const SeedreamResolutionRule *rule)
{
  g_autofree char *presets = describe_presets (rule);

  if (!seedream_resolution_rule_allows_custom (rule))
    /* Translators: the list is like "9:16, 16:9, 1:1" */
    return g_strdup_printf (_("choose one of %s"), presets);

  /* Translators: the list is like "2K, 4K, 16:9" */
  return g_strdup_printf (_("choose one of %s, or enter a size such as 2048x2048"), presets);
}

static void
set_not_a_resolution (const SeedreamResolutionRule  *rule,
                      const char                    *text,
                      GError                       **error)
{
  g_autofree char *excerpt = make_excerpt (text);
  g_autofree char *choices = describe_choices (rule);

  g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
               /* Translators: the second %s is like "choose one of 9:16, 16:9, 1:1" */
               _("“%s” is not a resolution this model takes: %s"),
               excerpt, choices);
}

/**
 * seedream_resolution_parse_for_rule:
 * @text: what the person typed
 * @rule: what the endpoint accepts
 * @error: return location for a %SEEDREAM_ERROR_INVALID_INPUT error
 *
 * Accepts a preset of @rule in any case ("2k" becomes "2K"), or
 * WIDTHxHEIGHT with "x", "X", "*" or "×" between the numbers, blanks
 * around it and around the whole. Numbers are plain decimal digits: no
 * sign, no decimal point, no other character. Safe on any input.
 *
 * Returns: (transfer full) (nullable): the resolution, or %NULL with
 *   @error set to a message a person understands
 */
SeedreamResolution *
seedream_resolution_parse_for_rule (const char                    *text,
                                    const SeedreamResolutionRule  *rule,
                                    GError                       **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *message = NULL;
  g_autofree char *wire = NULL;
  const SeedreamResolutionPreset *preset;
  guint64 width = 0;
  guint64 height = 0;

  g_return_val_if_fail (rule != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (*trimmed == '\0')
    {
      g_autofree char *choices = describe_choices (rule);

      g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                   /* Translators: the %s is like "choose one of 9:16, 16:9, 1:1" */
                   _("No resolution: %s"), choices);
      return NULL;
    }

  preset = find_preset (rule, trimmed);
  if (preset != NULL)
    return resolution_new (preset->wire, 0, 0);

  if (!parse_size (trimmed, &width, &height))
    {
      set_not_a_resolution (rule, trimmed, error);
      return NULL;
    }

  if (rule->max_pixels == 0)
    {
      set_not_a_resolution (rule, trimmed, error);
      return NULL;
    }

  /* A side beyond 32 bits: quote what was typed, not the saturated value. */
  if (width > SIDE_LIMIT || height > SIDE_LIMIT)
    {
      if (width != 0 && height != 0)
        {
          g_autofree char *excerpt = make_excerpt (trimmed);
          g_autofree char *limit = seedream_resolution_format_number (rule->max_pixels);
          g_autofree char *example = format_size (rule->max_example_width, rule->max_example_height);

          g_set_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                       /* Translators: "“99999999999999999999x1” is far above the maximum of 16,777,216 pixels (4096 × 4096)" */
                       ngettext ("“%s” is far above the maximum of %s pixel (%s)",
                                 "“%s” is far above the maximum of %s pixels (%s)",
                                 rule->max_pixels),
                       excerpt, limit, example);
          return NULL;
        }
    }

  if (!seedream_resolution_rule_check_size (rule, width, height, NULL, &message))
    {
      g_set_error_literal (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT, message);
      return NULL;
    }

  /* Both sides are at most max_pixels here, which fits a guint. */
  wire = g_strdup_printf ("%" G_GUINT64_FORMAT "x%" G_GUINT64_FORMAT, width, height);

  return resolution_new (wire, (guint) width, (guint) height);
}

/**
 * seedream_resolution_parse:
 * @text: what the person typed
 * @error: return location for a %SEEDREAM_ERROR_INVALID_INPUT error
 *
 * seedream_resolution_parse_for_rule() with the provider's rule: presets
 * 2K, 4K, 1:1, 4:3, 3:4, 16:9, 9:16, 3:2, 2:3, or a custom size of
 * 3,686,400 to 16,777,216 pixels.
 *
 * Returns: (transfer full) (nullable): the resolution, or %NULL with @error set
 */
SeedreamResolution *
seedream_resolution_parse (const char  *text,
                           GError     **error)
{
  return seedream_resolution_parse_for_rule (text, &seedream_resolution_rule_seedream, error);
}

SeedreamResolution *
seedream_resolution_copy (const SeedreamResolution *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return resolution_new (self->wire, self->width, self->height);
}

void
seedream_resolution_free (SeedreamResolution *self)
{
  if (self == NULL)
    return;

  g_free (self->wire);
  g_free (self);
}

gboolean
seedream_resolution_is_preset (const SeedreamResolution *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->width == 0;
}

/**
 * seedream_resolution_to_wire:
 * @self: a resolution
 *
 * Returns: what the `resolution` form field carries: "2K", "16:9" or
 *   "3750x1250" (normalised: lower-case x, no blanks, no leading zeros)
 */
const char *
seedream_resolution_to_wire (const SeedreamResolution *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->wire;
}

guint
seedream_resolution_get_width (const SeedreamResolution *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->width;
}

guint
seedream_resolution_get_height (const SeedreamResolution *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->height;
}

guint64
seedream_resolution_get_pixels (const SeedreamResolution *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (guint64) self->width * self->height;
}

/**
 * seedream_resolution_get_presets:
 * @n_presets: (out): the number of presets
 *
 * The presets of the provider's rule in the order a picker shows them,
 * with translated labels.
 *
 * Returns: (transfer none) (array length=n_presets): the presets
 */
const SeedreamResolutionPreset *
seedream_resolution_get_presets (guint *n_presets)
{
  static SeedreamResolutionPreset translated[G_N_ELEMENTS (default_presets)];
  static gsize initialized = 0;

  g_return_val_if_fail (n_presets != NULL, NULL);

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (default_presets); i++)
        {
          translated[i].wire = default_presets[i].wire;
          translated[i].label = _(default_presets[i].label);
        }
      g_once_init_leave (&initialized, 1);
    }

  *n_presets = G_N_ELEMENTS (translated);

  return translated;
}

/**
 * seedream_resolution_rule_find_preset:
 * @rule: what the endpoint accepts
 * @wire: (nullable): a wire form such as "2K" or "16:9"
 *
 * Returns: the position of @wire among the presets of @rule, or -1
 */
int
seedream_resolution_rule_find_preset (const SeedreamResolutionRule *rule,
                                      const char                   *wire)
{
  g_return_val_if_fail (rule != NULL, -1);

  for (guint i = 0; wire != NULL && i < rule->n_presets; i++)
    {
      if (strcmp (rule->presets[i].wire, wire) == 0)
        return (int) i;
    }

  return -1;
}

/**
 * seedream_resolution_rule_allows_custom:
 * @rule: what the endpoint accepts
 *
 * Returns: %TRUE when the endpoint takes a custom WIDTHxHEIGHT
 */
gboolean
seedream_resolution_rule_allows_custom (const SeedreamResolutionRule *rule)
{
  g_return_val_if_fail (rule != NULL, FALSE);

  return rule->max_pixels > 0;
}
