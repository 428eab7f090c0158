/* mock-submission.c: the provider's rules for a Seedream submission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Written from /work/shared/api (the provider's contract), on purpose apart
 * from the app's own checks in src/core: the mock plays the provider, and a
 * client bug copied into both would otherwise go unseen. Every rejection
 * names the field and the value, as "<field> ...", the way the provider
 * answers (HTTP 200, code 9999, the reason in msg).
 */

#define G_LOG_DOMAIN "mock-submission"

#include "config.h"

#include <string.h>

#include "mock-submission.h"

/* The limits all three endpoints share, in one place. The batch sizes are
 * the provider's; the source image limits are upstream Seedream 4.x's
 * (see the API README), "as 4.5" for the siblings. */
static const struct
{
  guint   min_batch_size;
  guint   max_batch_size;
  guint   default_batch_size;
  guint   max_source_images;
  /* Reference images plus generated images. */
  guint   max_total_images;
  /* "10 MB" upstream; read as 10 × 1000 × 1000 bytes, like the app does. */
  gsize   max_source_image_bytes;
} limits = {
  .min_batch_size = 1,
  .max_batch_size = 15,
  .default_batch_size = 1,
  .max_source_images = 14,
  .max_total_images = 15,
  .max_source_image_bytes = 10 * 1000 * 1000,
};

/* The named resolutions and the sizes the mock renders for them. */
static const MockPreset seedreamv45_presets[] = {
  { "1:1", 2048, 2048 },
  { "4:3", 2304, 1728 },
  { "3:4", 1728, 2304 },
  { "16:9", 2560, 1440 },
  { "9:16", 1440, 2560 },
  { "3:2", 2496, 1664 },
  { "2:3", 1664, 2496 },
  { "2K", 2048, 2048 },
  { "4K", 4096, 4096 },
};

static const MockPreset seedreamv5_presets[] = {
  { "2K", 2048, 2048 },
  { "3K", 3072, 3072 },
};

static const MockPreset seedreamv4_presets[] = {
  { "9:16", 1440, 2560 },
  { "16:9", 2560, 1440 },
  { "3:4", 1728, 2304 },
  { "4:3", 2304, 1728 },
  { "1:1", 2048, 2048 },
};

/* The endpoints, from the contract's "The sibling models in detail". 4.0
 * takes only its five ratios: no size, no 2K. Its default is not given;
 * the mock takes 1:1 when the field is left out. */
static const MockEndpoint endpoints[] = {
  { "/v1/images/seedreamv45", "seedreamv45", "2K",
    seedreamv45_presets, G_N_ELEMENTS (seedreamv45_presets), 3686400, 16777216 },
  { "/v1/images/seedreamv5", "seedreamv5", "2K",
    seedreamv5_presets, G_N_ELEMENTS (seedreamv5_presets), 3686400, 10404496 },
  { "/v1/images/seedreamv4", "seedreamv4", "1:1",
    seedreamv4_presets, G_N_ELEMENTS (seedreamv4_presets), 0, 0 },
};

/**
 * mock_endpoint_lookup:
 * @path: a request path such as "/v1/images/seedreamv4"
 *
 * Returns: (nullable): the submit endpoint at @path, or %NULL
 */
const MockEndpoint *
mock_endpoint_lookup (const char *path)
{
  for (guint i = 0; path != NULL && i < G_N_ELEMENTS (endpoints); i++)
    {
      if (strcmp (endpoints[i].path, path) == 0)
        return &endpoints[i];
    }

  return NULL;
}

/* Image formats the provider takes, recognised by their first bytes. */
static const struct
{
  const char *name;
  gsize       offset;
  const char *magic;
  gsize       magic_len;
} image_magic[] = {
  { "PNG", 0, "\x89PNG\r\n\x1a\n", 8 },
  { "JPEG", 0, "\xff\xd8\xff", 3 },
  { "GIF", 0, "GIF87a", 6 },
  { "GIF", 0, "GIF89a", 6 },
  { "BMP", 0, "BM", 2 },
  { "TIFF", 0, "II*\0", 4 },
  { "TIFF", 0, "MM\0*", 4 },
  /* WebP: "RIFF", a 4-byte size, then "WEBP"; both are checked. */
  { "WebP", 8, "WEBP", 4 },
};

MockPart *
mock_part_new (const char *name,
               const char *filename,
               const char *content_type,
               GBytes     *body)
{
  MockPart *part = g_new0 (MockPart, 1);

  part->name = g_strdup (name != NULL ? name : "");
  part->filename = g_strdup (filename);
  part->content_type = g_strdup (content_type);
  part->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);

  if (filename == NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (part->body, &len);

      if (len == 0)
        part->text = g_strdup ("");
      else if (memchr (data, '\0', len) == NULL && g_utf8_validate_len (data, len, NULL))
        part->text = g_strndup (data, len);
    }

  return part;
}

void
mock_part_free (MockPart *part)
{
  if (part == NULL)
    return;

  g_free (part->name);
  g_free (part->filename);
  g_free (part->content_type);
  g_bytes_unref (part->body);
  g_free (part->text);
  g_free (part);
}

void
mock_submission_free (MockSubmission *submission)
{
  if (submission == NULL)
    return;

  g_free (submission->prompt);
  g_free (submission->category);
  g_free (submission->resolution);
  g_free (submission->image_url);
  g_free (submission);
}

/**
 * mock_submission_sniff_image:
 * @bytes: a file's contents
 *
 * Returns: (nullable): the format name, or %NULL if @bytes is not an image
 *   of a format the provider takes
 */
const char *
mock_submission_sniff_image (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  for (guint i = 0; i < G_N_ELEMENTS (image_magic); i++)
    {
      gsize offset = image_magic[i].offset;
      gsize magic_len = image_magic[i].magic_len;

      if (len < offset + magic_len)
        continue;
      if (memcmp (data + offset, image_magic[i].magic, magic_len) != 0)
        continue;
      if (strcmp (image_magic[i].name, "WebP") == 0 && memcmp (data, "RIFF", 4) != 0)
        continue;

      return image_magic[i].name;
    }

  return NULL;
}

static gboolean
is_all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  return TRUE;
}

static char *
preset_names (const MockEndpoint *endpoint)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < endpoint->n_presets; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, endpoint->presets[i].name);
    }

  return g_string_free (names, FALSE);
}

/**
 * mock_submission_parse_resolution:
 * @endpoint: where it was sent
 * @text: the resolution field
 * @width: (out): the width of the results
 * @height: (out): the height of the results
 * @reason: (out): why @text is refused
 *
 * Returns: whether @text is a preset of @endpoint or, where it takes
 *   one, a WIDTHxHEIGHT size within its pixel limits
 */
gboolean
mock_submission_parse_resolution (const MockEndpoint  *endpoint,
                                  const char          *text,
                                  guint               *width,
                                  guint               *height,
                                  char               **reason)
{
  g_auto(GStrv) sides = NULL;
  guint64 w;
  guint64 h;
  guint64 pixels;

  for (guint i = 0; i < endpoint->n_presets; i++)
    {
      if (strcmp (text, endpoint->presets[i].name) == 0)
        {
          *width = endpoint->presets[i].width;
          *height = endpoint->presets[i].height;
          return TRUE;
        }
    }

  if (endpoint->max_pixels == 0)
    {
      g_autofree char *names = preset_names (endpoint);

      *reason = g_strdup_printf ("resolution '%s' is not one of %s (%s takes no other)",
                                 text, names, endpoint->category);
      return FALSE;
    }

  /* WIDTHxHEIGHT: decimal digits on both sides of one x (or X). */
  if (strchr (text, 'x') != NULL && strchr (text, 'X') == NULL)
    sides = g_strsplit (text, "x", -1);
  else if (strchr (text, 'X') != NULL && strchr (text, 'x') == NULL)
    sides = g_strsplit (text, "X", -1);

  if (sides == NULL || g_strv_length (sides) != 2 ||
      !is_all_digits (sides[0]) || !is_all_digits (sides[1]) ||
      !g_ascii_string_to_unsigned (sides[0], 10, 0, G_MAXUINT32, &w, NULL) ||
      !g_ascii_string_to_unsigned (sides[1], 10, 0, G_MAXUINT32, &h, NULL))
    {
      g_autofree char *names = preset_names (endpoint);

      *reason = g_strdup_printf ("resolution '%s' is not one of %s and not WIDTHxHEIGHT",
                                 text, names);
      return FALSE;
    }

  pixels = w * h;
  if (pixels < endpoint->min_pixels)
    {
      *reason = g_strdup_printf ("resolution %s has %" G_GUINT64_FORMAT " pixels, "
                                 "below the minimum %" G_GUINT64_FORMAT,
                                 text, pixels, endpoint->min_pixels);
      return FALSE;
    }
  if (pixels > endpoint->max_pixels)
    {
      *reason = g_strdup_printf ("resolution %s has %" G_GUINT64_FORMAT " pixels, "
                                 "above the maximum %" G_GUINT64_FORMAT,
                                 text, pixels, endpoint->max_pixels);
      return FALSE;
    }

  *width = (guint) w;
  *height = (guint) h;
  return TRUE;
}

static gboolean
parse_batch_size (const char  *text,
                  guint       *batch_size,
                  char       **reason)
{
  guint64 value;

  /* Decimal digits only: no sign, no point, no space. */
  if (!is_all_digits (text) ||
      !g_ascii_string_to_unsigned (text, 10, limits.min_batch_size, limits.max_batch_size,
                                   &value, NULL))
    {
      *reason = g_strdup_printf ("batchsize '%s' must be an integer from %u to %u",
                                 text, limits.min_batch_size, limits.max_batch_size);
      return FALSE;
    }

  *batch_size = (guint) value;
  return TRUE;
}

static gboolean
is_http_url (const char *text)
{
  return (g_ascii_strncasecmp (text, "http://", 7) == 0 && text[7] != '\0') ||
         (g_ascii_strncasecmp (text, "https://", 8) == 0 && text[8] != '\0');
}

/* The one text field called @name, or NULL. */
static gboolean
find_text_field (GPtrArray   *parts,
                 const char  *name,
                 const char **value,
                 char       **reason)
{
  const MockPart *found = NULL;

  *value = NULL;

  for (guint i = 0; i < parts->len; i++)
    {
      const MockPart *part = g_ptr_array_index (parts, i);

      if (strcmp (part->name, name) != 0)
        continue;

      if (found != NULL)
        {
          *reason = g_strdup_printf ("field %s is given more than once", name);
          return FALSE;
        }
      found = part;
    }

  if (found == NULL)
    return TRUE;

  if (found->filename != NULL)
    {
      *reason = g_strdup_printf ("field %s must be a text field, not a file", name);
      return FALSE;
    }

  if (found->text == NULL)
    {
      *reason = g_strdup_printf ("field %s is not UTF-8 text", name);
      return FALSE;
    }

  *value = found->text;
  return TRUE;
}

static char *
text_of (const char *value)
{
  return value != NULL ? g_strdup (value) : NULL;
}

/**
 * mock_submission_new_from_parts:
 * @endpoint: where it was sent
 * @parts: (element-type MockPart): the form fields, in order
 * @reason: (out): why the submission is refused
 *
 * Applies every rule of the contract.
 *
 * Returns: (transfer full) (nullable): the submission, or %NULL with @reason set
 */
MockSubmission *
mock_submission_new_from_parts (const MockEndpoint  *endpoint,
                                GPtrArray           *parts,
                                char               **reason)
{
  g_autoptr(MockSubmission) submission = g_new0 (MockSubmission, 1);
  const char *prompt;
  const char *category;
  const char *batch_size;
  const char *resolution;
  const char *image_url;
  guint n_sources = 0;

  g_return_val_if_fail (parts != NULL, NULL);
  g_return_val_if_fail (reason != NULL && *reason == NULL, NULL);

  if (!find_text_field (parts, "category", &category, reason) ||
      !find_text_field (parts, "prompt", &prompt, reason) ||
      !find_text_field (parts, "batchsize", &batch_size, reason) ||
      !find_text_field (parts, "resolution", &resolution, reason) ||
      !find_text_field (parts, "imageUrl", &image_url, reason))
    return NULL;

  if (category != NULL && strcmp (category, endpoint->category) != 0)
    {
      *reason = g_strdup_printf ("category '%s' is not served here, expected '%s'",
                                 category, endpoint->category);
      return NULL;
    }
  submission->category = g_strdup (endpoint->category);

  if (prompt == NULL)
    {
      *reason = g_strdup ("prompt is required");
      return NULL;
    }
  {
    g_autofree char *stripped = g_strstrip (g_strdup (prompt));

    if (*stripped == '\0')
      {
        *reason = g_strdup ("prompt must not be empty");
        return NULL;
      }
  }
  submission->prompt = g_strdup (prompt);

  submission->batch_size = limits.default_batch_size;
  if (batch_size != NULL && !parse_batch_size (batch_size, &submission->batch_size, reason))
    return NULL;

  submission->resolution = g_strdup (resolution != NULL ? resolution : endpoint->default_resolution);
  if (!mock_submission_parse_resolution (endpoint, submission->resolution,
                                         &submission->width, &submission->height, reason))
    return NULL;

  if (image_url != NULL && !is_http_url (image_url))
    {
      *reason = g_strdup_printf ("imageUrl '%s' must start with http:// or https://", image_url);
      return NULL;
    }
  submission->image_url = text_of (image_url);

  for (guint i = 0; i < parts->len; i++)
    {
      const MockPart *part = g_ptr_array_index (parts, i);

      if (strcmp (part->name, "sourceImage") != 0)
        continue;

      if (part->filename == NULL)
        {
          *reason = g_strdup ("sourceImage must be a file upload, not a text field");
          return NULL;
        }

      n_sources++;
      if (n_sources > limits.max_source_images)
        continue;

      if (g_bytes_get_size (part->body) > limits.max_source_image_bytes)
        {
          *reason = g_strdup_printf ("sourceImage '%s' has %" G_GSIZE_FORMAT " bytes, "
                                     "above the maximum %" G_GSIZE_FORMAT,
                                     part->filename, g_bytes_get_size (part->body),
                                     limits.max_source_image_bytes);
          return NULL;
        }

      if (mock_submission_sniff_image (part->body) == NULL)
        {
          *reason = g_strdup_printf ("sourceImage '%s' is not an image "
                                     "(PNG, JPEG, WebP, BMP, TIFF or GIF)",
                                     part->filename);
          return NULL;
        }
    }

  if (n_sources > limits.max_source_images)
    {
      *reason = g_strdup_printf ("sourceImage: %u files given, at most %u are allowed",
                                 n_sources, limits.max_source_images);
      return NULL;
    }

  if (n_sources + submission->batch_size > limits.max_total_images)
    {
      *reason = g_strdup_printf ("sourceImage count %u plus batchsize %u is %u images, "
                                 "above the maximum %u",
                                 n_sources, submission->batch_size,
                                 n_sources + submission->batch_size, limits.max_total_images);
      return NULL;
    }
  submission->n_sources = n_sources;

  return g_steal_pointer (&submission);
}
