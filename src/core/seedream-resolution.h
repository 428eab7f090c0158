/* seedream-resolution.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The provider's rule for a custom WIDTHxHEIGHT: the product lies in
 * [MIN, MAX], both ends included (2560x1440 .. 4096x4096). */
#define SEEDREAM_RESOLUTION_MIN_PIXELS 3686400
#define SEEDREAM_RESOLUTION_MAX_PIXELS 16777216

#define SEEDREAM_TYPE_RESOLUTION (seedream_resolution_get_type ())

typedef struct _SeedreamResolution SeedreamResolution;

/**
 * SeedreamResolutionPreset:
 * @wire: what is sent in the `resolution` field, e.g. "16:9"
 * @label: what a picker shows, e.g. "16:9 Landscape"
 */
typedef struct
{
  const char *wire;
  const char *label;
} SeedreamResolutionPreset;

/**
 * SeedreamResolutionRule:
 * @presets: the named resolutions the endpoint takes; their labels are
 *   marked with N_() and still need _() before they are shown
 *   (seedream_resolution_get_presets() returns them translated)
 * @n_presets: the length of @presets
 * @min_pixels: the smallest width × height of a custom size
 * @max_pixels: the largest width × height of a custom size; 0 when the
 *   endpoint takes presets only
 * @min_example_width: a size that has exactly @min_pixels, for messages
 * @min_example_height: see @min_example_width
 * @max_example_width: a size with exactly @max_pixels or, where no plain
 *   size has exactly that many, the largest square within, for messages
 * @max_example_height: see @max_example_width
 * @advisory_max_aspect_ratio: an aspect ratio beyond N:1 or 1:N draws a
 *   warning, never a refusal (see seedream-resolution.c); 0 for none
 *
 * What one endpoint accepts in its `resolution` field. A model row
 * (seedream-model.h) points at one of these.
 */
typedef struct
{
  const SeedreamResolutionPreset *presets;
  guint                           n_presets;
  guint64                         min_pixels;
  guint64                         max_pixels;
  guint                           min_example_width;
  guint                           min_example_height;
  guint                           max_example_width;
  guint                           max_example_height;
  guint                           advisory_max_aspect_ratio;
} SeedreamResolutionRule;

/* The provider's rule for its Seedream endpoints: the presets below and
 * [SEEDREAM_RESOLUTION_MIN_PIXELS, SEEDREAM_RESOLUTION_MAX_PIXELS].
 * A variable so that the static model table can point at it. */
extern const SeedreamResolutionRule seedream_resolution_rule_seedream;

GType                           seedream_resolution_get_type            (void) G_GNUC_CONST;

const SeedreamResolutionRule   *seedream_resolution_rule_get_default    (void);

SeedreamResolution             *seedream_resolution_parse               (const char                    *text,
                                                                         GError                       **error);
SeedreamResolution             *seedream_resolution_parse_for_rule      (const char                    *text,
                                                                         const SeedreamResolutionRule  *rule,
                                                                         GError                       **error);
SeedreamResolution             *seedream_resolution_copy                (const SeedreamResolution      *self);
void                            seedream_resolution_free                (SeedreamResolution            *self);

gboolean                        seedream_resolution_is_preset           (const SeedreamResolution      *self);
const char                     *seedream_resolution_to_wire             (const SeedreamResolution      *self);
guint                           seedream_resolution_get_width           (const SeedreamResolution      *self);
guint                           seedream_resolution_get_height          (const SeedreamResolution      *self);
guint64                         seedream_resolution_get_pixels          (const SeedreamResolution      *self);

gboolean                        seedream_resolution_check_size          (guint64                        width,
                                                                         guint64                        height,
                                                                         guint64                       *out_pixels,
                                                                         char                         **out_message);
gboolean                        seedream_resolution_rule_check_size     (const SeedreamResolutionRule  *rule,
                                                                         guint64                        width,
                                                                         guint64                        height,
                                                                         guint64                       *out_pixels,
                                                                         char                         **out_message);
gboolean                        seedream_resolution_check_aspect_ratio  (guint64                        width,
                                                                         guint64                        height,
                                                                         char                         **out_message);
gboolean                        seedream_resolution_rule_check_aspect_ratio (const SeedreamResolutionRule *rule,
                                                                         guint64                        width,
                                                                         guint64                        height,
                                                                         char                         **out_message);

int                             seedream_resolution_rule_find_preset   (const SeedreamResolutionRule  *rule,
                                                                         const char                    *wire);
gboolean                        seedream_resolution_rule_allows_custom (const SeedreamResolutionRule  *rule);

const SeedreamResolutionPreset *seedream_resolution_get_presets         (guint                         *n_presets);

char                           *seedream_resolution_format_number       (guint64                        value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SeedreamResolution, seedream_resolution_free)

G_END_DECLS
