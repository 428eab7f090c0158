/* mock-submission.h: the provider's rules for a Seedream submission
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MockPart:
 * @name: the form field name
 * @filename: (nullable): the file name, %NULL for a text field
 * @content_type: (nullable): the part's Content-Type
 * @body: the part's bytes
 * @text: (nullable): for a text field, its value as a string; %NULL for a
 *   file, or if the value holds a NUL byte or is not UTF-8
 *
 * One part of a multipart/form-data body.
 */
typedef struct
{
  char   *name;
  char   *filename;
  char   *content_type;
  GBytes *body;
  char   *text;
} MockPart;

MockPart *mock_part_new  (const char *name,
                          const char *filename,
                          const char *content_type,
                          GBytes     *body);
void      mock_part_free (MockPart   *part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockPart, mock_part_free)

/**
 * MockPreset:
 * @name: what the `resolution` field carries, e.g. "16:9"
 * @width: the width the mock renders
 * @height: the height the mock renders
 */
typedef struct
{
  const char *name;
  guint       width;
  guint       height;
} MockPreset;

/**
 * MockEndpoint:
 * @path: the submit path, e.g. "/v1/images/seedreamv4"
 * @category: the only `category` it serves, and its default
 * @default_resolution: the resolution when the field is left out
 * @presets: the named resolutions it takes
 * @n_presets: the length of @presets
 * @min_pixels: the smallest custom size
 * @max_pixels: the largest custom size; 0 when it takes presets only
 *
 * One submit endpoint of the service and its size rule.
 */
typedef struct
{
  const char       *path;
  const char       *category;
  const char       *default_resolution;
  const MockPreset *presets;
  guint             n_presets;
  guint64           min_pixels;
  guint64           max_pixels;
} MockEndpoint;

const MockEndpoint *mock_endpoint_lookup (const char *path);

/**
 * MockSubmission:
 * @prompt: the prompt
 * @category: the endpoint's category, e.g. `seedreamv45`
 * @resolution: the resolution as sent, or the endpoint's default
 * @image_url: (nullable): the imageUrl field
 * @batch_size: how many images to make
 * @width: result width in pixels
 * @height: result height in pixels
 * @n_sources: how many sourceImage files came with it
 *
 * A submission that passed every rule.
 */
typedef struct
{
  char *prompt;
  char *category;
  char *resolution;
  char *image_url;
  guint batch_size;
  guint width;
  guint height;
  guint n_sources;
} MockSubmission;

MockSubmission *mock_submission_new_from_parts (const MockEndpoint  *endpoint,
                                                GPtrArray           *parts,
                                                char               **reason);
void            mock_submission_free           (MockSubmission *submission);

gboolean        mock_submission_parse_resolution (const MockEndpoint  *endpoint,
                                                  const char          *text,
                                                  guint               *width,
                                                  guint               *height,
                                                  char               **reason);
const char     *mock_submission_sniff_image      (GBytes     *bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockSubmission, mock_submission_free)

G_END_DECLS
