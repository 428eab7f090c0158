/* seedream-request.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-model.h"
#include "seedream-multipart-stream.h"
#include "seedream-source-image.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_REQUEST (seedream_request_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamRequest, seedream_request, SEEDREAM, REQUEST, GObject)

SeedreamRequest         *seedream_request_new                   (void);

const SeedreamModel     *seedream_request_get_model             (SeedreamRequest      *self);
void                     seedream_request_set_model             (SeedreamRequest      *self,
                                                                 const SeedreamModel  *model);
const char              *seedream_request_get_prompt            (SeedreamRequest      *self);
void                     seedream_request_set_prompt            (SeedreamRequest      *self,
                                                                 const char           *prompt);
guint                    seedream_request_get_batch_size        (SeedreamRequest      *self);
void                     seedream_request_set_batch_size        (SeedreamRequest      *self,
                                                                 guint                 batch_size);
const char              *seedream_request_get_resolution        (SeedreamRequest      *self);
void                     seedream_request_set_resolution        (SeedreamRequest      *self,
                                                                 const char           *resolution);
const char              *seedream_request_get_image_url         (SeedreamRequest      *self);
void                     seedream_request_set_image_url         (SeedreamRequest      *self,
                                                                 const char           *image_url);
gboolean                 seedream_request_image_url_is_valid    (const char           *text);

gboolean                 seedream_request_add_source_file       (SeedreamRequest      *self,
                                                                 GFile                *file);
gboolean                 seedream_request_remove_source_file    (SeedreamRequest      *self,
                                                                 GFile                *file);
void                     seedream_request_clear_source_files    (SeedreamRequest      *self);
GListModel              *seedream_request_get_source_files      (SeedreamRequest      *self);
gboolean                 seedream_request_set_source_parent     (SeedreamRequest      *self,
                                                                 GFile                *file,
                                                                 gint64                entry_id,
                                                                 guint                 index);
gboolean                 seedream_request_get_source_parent     (SeedreamRequest      *self,
                                                                 GFile                *file,
                                                                 gint64               *entry_id,
                                                                 guint                *index);

gboolean                 seedream_request_validate              (SeedreamRequest      *self,
                                                                 GError              **error);
gboolean                 seedream_request_validate_all          (SeedreamRequest      *self,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
void                     seedream_request_validate_all_async    (SeedreamRequest      *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean                 seedream_request_validate_all_finish   (SeedreamRequest      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

SeedreamMultipartStream *seedream_request_build_body            (SeedreamRequest      *self,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
void                     seedream_request_build_body_async      (SeedreamRequest      *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
SeedreamMultipartStream *seedream_request_build_body_finish     (SeedreamRequest      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

SeedreamRequest         *seedream_request_copy                  (SeedreamRequest      *self);
void                     seedream_request_set_settings_from     (SeedreamRequest      *self,
                                                                 SeedreamRequest      *other);

G_END_DECLS
