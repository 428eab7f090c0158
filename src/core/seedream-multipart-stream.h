/* seedream-multipart-stream.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_MULTIPART_STREAM (seedream_multipart_stream_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamMultipartStream, seedream_multipart_stream, SEEDREAM, MULTIPART_STREAM, GInputStream)

SeedreamMultipartStream *seedream_multipart_stream_new              (void);
SeedreamMultipartStream *seedream_multipart_stream_new_with_boundary (const char              *boundary);
void                     seedream_multipart_stream_add_text         (SeedreamMultipartStream *self,
                                                                     const char              *name,
                                                                     const char              *value);
void                     seedream_multipart_stream_add_file         (SeedreamMultipartStream *self,
                                                                     const char              *name,
                                                                     GFile                   *file,
                                                                     const char              *filename,
                                                                     const char              *content_type,
                                                                     guint64                  size);
const char              *seedream_multipart_stream_get_content_type (SeedreamMultipartStream *self);
goffset                  seedream_multipart_stream_get_length       (SeedreamMultipartStream *self);
const char              *seedream_multipart_stream_get_boundary     (SeedreamMultipartStream *self);
guint                    seedream_multipart_stream_get_n_parts      (SeedreamMultipartStream *self);

G_END_DECLS
