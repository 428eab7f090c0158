/* seedream-image-metadata.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-request.h"

G_BEGIN_DECLS

/* The IPTC term for an image made by a generative model. */
#define SEEDREAM_DIGITAL_SOURCE_TYPE \
  "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"

/* Our own XMP namespace, for what no standard property says. */
#define SEEDREAM_XMP_NAMESPACE "https://seedreamstudio.github.io/ns/xmp/1.0/"
#define SEEDREAM_XMP_PREFIX    "seedream"

#define SEEDREAM_TYPE_IMAGE_METADATA (seedream_image_metadata_get_type ())

/* What the app writes into every result image: the prompt, the mark of an
 * image made by a model, the tool, model, size asked, the image's number in
 * its batch, the task id and the date. Immutable, so it may be handed to a
 * worker thread. */
G_DECLARE_FINAL_TYPE (SeedreamImageMetadata, seedream_image_metadata, SEEDREAM, IMAGE_METADATA, GObject)

SeedreamImageMetadata *seedream_image_metadata_new             (const char             *prompt,
                                                                const char             *model_id,
                                                                const char             *size,
                                                                guint                   index,
                                                                const char             *task_id,
                                                                GDateTime              *created);
SeedreamImageMetadata *seedream_image_metadata_new_for_request (SeedreamRequest        *request,
                                                                const char             *task_id,
                                                                guint                   index,
                                                                GDateTime              *created);
const char            *seedream_image_metadata_get_prompt      (SeedreamImageMetadata  *self);
const char            *seedream_image_metadata_get_model_id    (SeedreamImageMetadata  *self);
const char            *seedream_image_metadata_get_size        (SeedreamImageMetadata  *self);
guint                  seedream_image_metadata_get_index       (SeedreamImageMetadata  *self);
const char            *seedream_image_metadata_get_task_id     (SeedreamImageMetadata  *self);
GDateTime             *seedream_image_metadata_get_created     (SeedreamImageMetadata  *self);
const char            *seedream_image_metadata_get_creator_tool (SeedreamImageMetadata *self);

/* Blocking: for worker threads. */
gboolean               seedream_image_metadata_write           (SeedreamImageMetadata  *self,
                                                                GFile                  *file,
                                                                GCancellable           *cancellable,
                                                                GError                **error);
void                   seedream_image_metadata_write_async     (SeedreamImageMetadata  *self,
                                                                GFile                  *file,
                                                                GCancellable           *cancellable,
                                                                GAsyncReadyCallback     callback,
                                                                gpointer                user_data);
gboolean               seedream_image_metadata_write_finish    (SeedreamImageMetadata  *self,
                                                                GAsyncResult           *result,
                                                                GError                **error);

/* Blocking: for worker threads. */
gboolean               seedream_image_metadata_file_has_mark   (GFile                  *file,
                                                                GError                **error);

G_END_DECLS
