/* seedream-multipart-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A multipart/form-data body (RFC 7578) produced on demand, as read() asks
 * for it. The body is a list of segments: pieces of memory (boundaries,
 * part headers, text values) and pieces of files. A file is opened only
 * when reading reaches it, read straight into the caller's buffer, and
 * closed when it ends: memory use does not depend on the size of the
 * attachments. Since every file's size is declared when it is added, the
 * exact length of the body is known before the first read, so the HTTP
 * request carries a Content-Length.
 *
 * The layout is what `curl -F` sends:
 *
 *   --BOUNDARY\r\n
 *   Content-Disposition: form-data; name="prompt"\r\n
 *   \r\n
 *   a red fox\r\n
 *   --BOUNDARY\r\n
 *   Content-Disposition: form-data; name="sourceImage"; filename="cat.png"\r\n
 *   Content-Type: image/png\r\n
 *   \r\n
 *   <bytes of cat.png>\r\n
 *   --BOUNDARY--\r\n
 *
 * The boundary: "seedream-" and 128 random bits in hex. The body is not
 * scanned for it (that would read every file twice). A file or a text that
 * happens to contain "\r\n--" followed by 128 given random bits occurs
 * with probability about n × 2^-128 for n bytes of content: nil. The
 * boundary is drawn from GLib's global generator, which is seeded from
 * /dev/urandom, and cannot be predicted by whoever made the files.
 *
 * If a file turns out shorter or longer than declared while it is
 * streamed (it changed on disk), read() fails with G_IO_ERROR_FAILED: the
 * Content-Length already sent would be a lie. The stream is not seekable:
 * a submission is never sent twice.
 */

#define G_LOG_DOMAIN "seedream-multipart-stream"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-multipart-stream.h"
#include "seedream-resolution.h"

typedef struct
{
  GBytes  *bytes;         /* a memory segment, or NULL */
  GFile   *file;          /* a file segment, or NULL */
  char    *display_name;  /* the file, for messages */
  guint64  size;
} Segment;

struct _SeedreamMultipartStream
{
  GInputStream  parent_instance;

  char         *boundary;
  char         *content_type;
  GArray       *segments;     /* of Segment */
  guint64       length;       /* every byte, closing delimiter included */
  guint         n_parts;
  gboolean      sealed;       /* the closing delimiter is in place: no more parts */

  guint         current;      /* the segment being read */
  guint64       offset;       /* the next byte of it */
  GInputStream *file_stream;  /* open while a file segment is read */
};

G_DEFINE_FINAL_TYPE (SeedreamMultipartStream, seedream_multipart_stream, G_TYPE_INPUT_STREAM)

/* RFC 2046 allows up to 70 characters. */
#define MAX_BOUNDARY_LEN 70

static void
segment_clear (gpointer data)
{
  Segment *segment = data;

  g_clear_pointer (&segment->bytes, g_bytes_unref);
  g_clear_object (&segment->file);
  g_clear_pointer (&segment->display_name, g_free);
}

static void
append_memory (SeedreamMultipartStream *self,
               GBytes                  *bytes)
{
  Segment segment = { 0 };

  segment.bytes = bytes;
  segment.size = g_bytes_get_size (bytes);
  g_array_append_val (self->segments, segment);
  self->length += segment.size;
}

static char *
closing_delimiter (SeedreamMultipartStream *self)
{
  return g_strconcat ("--", self->boundary, "--\r\n", NULL);
}

/* After the first read the layout is fixed: put the closing delimiter in. */
static void
seal (SeedreamMultipartStream *self)
{
  char *closing;
  gsize len;
  Segment segment = { 0 };

  if (self->sealed)
    return;

  closing = closing_delimiter (self);
  len = strlen (closing);
  /* Its length is in self->length since construction. */
  segment.bytes = g_bytes_new_take (closing, len);
  segment.size = len;
  g_array_append_val (self->segments, segment);
  self->sealed = TRUE;
}

/* Names and file names go in a quoted-string; escape as browsers and curl
 * do (HTML's form-data encoding): '"' as %22, CR as %0D, LF as %0A. */
static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append (out, "%22");
      else if (*p == '\r')
        g_string_append (out, "%0D");
      else if (*p == '\n')
        g_string_append (out, "%0A");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static GString *
part_header (SeedreamMultipartStream *self,
             const char              *name,
             const char              *filename,
             const char              *content_type)
{
  GString *header = g_string_new (NULL);

  g_string_append_printf (header, "--%s\r\nContent-Disposition: form-data; name=", self->boundary);
  append_quoted (header, name);
  if (filename != NULL)
    {
      g_string_append (header, "; filename=");
      append_quoted (header, filename);
    }
  g_string_append (header, "\r\n");
  if (content_type != NULL)
    g_string_append_printf (header, "Content-Type: %s\r\n", content_type);
  g_string_append (header, "\r\n");

  return header;
}

/**
 * seedream_multipart_stream_add_text:
 * @self: a stream that has not been read yet
 * @name: the field name, e.g. "prompt"
 * @value: the value, UTF-8, sent as it is
 *
 * Adds a text field.
 */
void
seedream_multipart_stream_add_text (SeedreamMultipartStream *self,
                                    const char              *name,
                                    const char              *value)
{
  GString *part;
  gsize len;

  g_return_if_fail (SEEDREAM_IS_MULTIPART_STREAM (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);
  g_return_if_fail (!self->sealed);

  part = part_header (self, name, NULL, NULL);
  g_string_append (part, value);
  g_string_append (part, "\r\n");

  len = part->len;
  append_memory (self, g_bytes_new_take (g_string_free (part, FALSE), len));
  self->n_parts++;
}

/**
 * seedream_multipart_stream_add_file:
 * @self: a stream that has not been read yet
 * @name: the field name, e.g. "sourceImage"
 * @file: the file; it is opened only when reading reaches it
 * @filename: the file name to send, in the GLib file name encoding; it is
 *   converted to UTF-8 with g_filename_display_name()
 * @content_type: the part's Content-Type, e.g. "image/png"
 * @size: the exact size of @file in bytes; reading fails if the file is
 *   not that size by then
 *
 * Adds a file field.
 */
void
seedream_multipart_stream_add_file (SeedreamMultipartStream *self,
                                    const char              *name,
                                    GFile                   *file,
                                    const char              *filename,
                                    const char              *content_type,
                                    guint64                  size)
{
  g_autofree char *display_name = NULL;
  GString *header;
  gsize len;
  Segment segment = { 0 };

  g_return_if_fail (SEEDREAM_IS_MULTIPART_STREAM (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (filename != NULL);
  g_return_if_fail (content_type != NULL && *content_type != '\0');
  g_return_if_fail (strpbrk (content_type, "\r\n") == NULL);
  g_return_if_fail (size <= G_MAXINT64);
  g_return_if_fail (!self->sealed);

  display_name = g_filename_display_name (filename);

  header = part_header (self, name, display_name, content_type);
  len = header->len;
  append_memory (self, g_bytes_new_take (g_string_free (header, FALSE), len));

  segment.file = g_object_ref (file);
  segment.display_name = g_steal_pointer (&display_name);
  segment.size = size;
  g_array_append_val (self->segments, segment);
  self->length += size;

  append_memory (self, g_bytes_new_static ("\r\n", 2));
  self->n_parts++;
}

/**
 * seedream_multipart_stream_get_boundary:
 * @self: a stream
 *
 * Returns: the boundary, without the leading "--"
 */
const char *
seedream_multipart_stream_get_boundary (SeedreamMultipartStream *self)
{
  g_return_val_if_fail (SEEDREAM_IS_MULTIPART_STREAM (self), NULL);

  return self->boundary;
}

/**
 * seedream_multipart_stream_get_content_type:
 * @self: a stream
 *
 * Returns: the value of the request's Content-Type header,
 *   "multipart/form-data; boundary=..."
 */
const char *
seedream_multipart_stream_get_content_type (SeedreamMultipartStream *self)
{
  g_return_val_if_fail (SEEDREAM_IS_MULTIPART_STREAM (self), NULL);

  return self->content_type;
}

/**
 * seedream_multipart_stream_get_length:
 * @self: a stream
 *
 * The exact number of bytes the stream produces, for Content-Length.
 * It grows as parts are added; it is final once reading starts.
 *
 * Returns: the length of the body in bytes
 */
goffset
seedream_multipart_stream_get_length (SeedreamMultipartStream *self)
{
  g_return_val_if_fail (SEEDREAM_IS_MULTIPART_STREAM (self), -1);

  return (goffset) self->length;
}

/**
 * seedream_multipart_stream_get_n_parts:
 * @self: a stream
 *
 * Returns: how many fields were added
 */
guint
seedream_multipart_stream_get_n_parts (SeedreamMultipartStream *self)
{
  g_return_val_if_fail (SEEDREAM_IS_MULTIPART_STREAM (self), 0);

  return self->n_parts;
}

static void
set_changed_error (Segment  *segment,
                   gboolean  longer,
                   GError  **error)
{
  g_autofree char *size = seedream_resolution_format_number (segment->size);

  if (longer)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 ngettext ("“%s” changed while it was being sent: it is now longer than %s byte. Send the request again",
                           "“%s” changed while it was being sent: it is now longer than %s bytes. Send the request again",
                           segment->size),
                 segment->display_name, size);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 ngettext ("“%s” changed while it was being sent: it is now shorter than %s byte. Send the request again",
                           "“%s” changed while it was being sent: it is now shorter than %s bytes. Send the request again",
                           segment->size),
                 segment->display_name, size);
}

static gboolean
open_file_segment (SeedreamMultipartStream  *self,
                   Segment                  *segment,
                   GCancellable             *cancellable,
                   GError                  **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  stream = g_file_read (segment->file, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    _("“%s” cannot be read any more: "),
                                    segment->display_name);
      return FALSE;
    }

  /* Where the stream can say (local files: fstat), catch a file that was
   * replaced or resized before reading a byte of it. */
  info = g_file_input_stream_query_info (stream,
                                         G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                         G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         cancellable, NULL);
  if (info != NULL)
    {
      if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_TYPE) &&
          g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("“%s” changed while it was being sent: it is no longer a regular file"),
                       segment->display_name);
          return FALSE;
        }

      if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
        {
          goffset size = g_file_info_get_size (info);

          if (size < 0 || (guint64) size != segment->size)
            {
              set_changed_error (segment, size > 0 && (guint64) size > segment->size, error);
              return FALSE;
            }
        }
    }

  self->file_stream = G_INPUT_STREAM (g_steal_pointer (&stream));

  return TRUE;
}

static void
next_segment (SeedreamMultipartStream *self)
{
  self->current++;
  self->offset = 0;
}

static gssize
seedream_multipart_stream_read (GInputStream  *stream,
                                void          *buffer,
                                gsize          count,
                                GCancellable  *cancellable,
                                GError       **error)
{
  SeedreamMultipartStream *self = SEEDREAM_MULTIPART_STREAM (stream);
  guint8 *out = buffer;
  gsize done = 0;

  seal (self);

  while (done < count && self->current < self->segments->len)
    {
      Segment *segment = &g_array_index (self->segments, Segment, self->current);
      gssize n;
      guint8 probe;

      if (segment->bytes != NULL)
        {
          const guint8 *data = g_bytes_get_data (segment->bytes, NULL);
          gsize chunk = (gsize) MIN ((guint64) (count - done), segment->size - self->offset);

          memcpy (out + done, data + self->offset, chunk);
          done += chunk;
          self->offset += chunk;
          if (self->offset == segment->size)
            next_segment (self);
          continue;
        }

      /* A file segment: at most one file read per call, and only when
       * nothing was copied yet, so that an error never throws away bytes
       * this call already produced. */
      if (done > 0)
        break;

      if (self->file_stream == NULL &&
          !open_file_segment (self, segment, cancellable, error))
        return -1;

      if (self->offset < segment->size)
        {
          gsize chunk = (gsize) MIN ((guint64) count, segment->size - self->offset);

          n = g_input_stream_read (self->file_stream, out, chunk, cancellable, error);
          if (n < 0)
            return -1;
          if (n == 0)
            {
              set_changed_error (segment, FALSE, error);
              return -1;
            }
          self->offset += (guint64) n;
          return n;
        }

      /* Every declared byte is out: the file must end here. */
      n = g_input_stream_read (self->file_stream, &probe, 1, cancellable, error);
      if (n < 0)
        return -1;
      if (n > 0)
        {
          set_changed_error (segment, TRUE, error);
          return -1;
        }

      g_input_stream_close (self->file_stream, NULL, NULL);
      g_clear_object (&self->file_stream);
      next_segment (self);
    }

  return (gssize) done;
}

static gboolean
seedream_multipart_stream_close (GInputStream  *stream,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  SeedreamMultipartStream *self = SEEDREAM_MULTIPART_STREAM (stream);

  /* Only ever read from: a failure to close it loses nothing. */
  if (self->file_stream != NULL)
    g_input_stream_close (self->file_stream, cancellable, NULL);
  g_clear_object (&self->file_stream);

  return TRUE;
}

static void
seedream_multipart_stream_finalize (GObject *object)
{
  SeedreamMultipartStream *self = SEEDREAM_MULTIPART_STREAM (object);

  g_clear_object (&self->file_stream);
  g_clear_pointer (&self->segments, g_array_unref);
  g_clear_pointer (&self->boundary, g_free);
  g_clear_pointer (&self->content_type, g_free);

  G_OBJECT_CLASS (seedream_multipart_stream_parent_class)->finalize (object);
}

static void
seedream_multipart_stream_class_init (SeedreamMultipartStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = seedream_multipart_stream_finalize;

  /* The default read_async runs read_fn in a thread: enough here. */
  stream_class->read_fn = seedream_multipart_stream_read;
  stream_class->close_fn = seedream_multipart_stream_close;
}

static void
seedream_multipart_stream_init (SeedreamMultipartStream *self)
{
  self->segments = g_array_new (FALSE, TRUE, sizeof (Segment));
  g_array_set_clear_func (self->segments, segment_clear);
}

static gboolean
is_valid_boundary (const char *boundary)
{
  gsize len = strlen (boundary);

  if (len == 0 || len > MAX_BOUNDARY_LEN)
    return FALSE;

  /* Characters that need no quoting in the Content-Type parameter. */
  for (const char *p = boundary; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("'+_-.", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

/**
 * seedream_multipart_stream_new_with_boundary:
 * @boundary: 1 to 70 characters from letters, digits and '+_-.
 *
 * For tests that compare bytes. Everything else uses
 * seedream_multipart_stream_new().
 *
 * Returns: (transfer full): a new, empty body
 */
SeedreamMultipartStream *
seedream_multipart_stream_new_with_boundary (const char *boundary)
{
  SeedreamMultipartStream *self;
  g_autofree char *closing = NULL;

  g_return_val_if_fail (boundary != NULL, NULL);
  g_return_val_if_fail (is_valid_boundary (boundary), NULL);

  self = g_object_new (SEEDREAM_TYPE_MULTIPART_STREAM, NULL);
  self->boundary = g_strdup (boundary);
  self->content_type = g_strconcat ("multipart/form-data; boundary=", boundary, NULL);

  closing = closing_delimiter (self);
  self->length = strlen (closing);

  return self;
}

/**
 * seedream_multipart_stream_new:
 *
 * Returns: (transfer full): a new, empty body with a random boundary,
 *   "seedream-" and 32 hex digits
 */
SeedreamMultipartStream *
seedream_multipart_stream_new (void)
{
  char boundary[sizeof "seedream-" + 32];

  g_snprintf (boundary, sizeof boundary, "seedream-%08x%08x%08x%08x",
              g_random_int (), g_random_int (), g_random_int (), g_random_int ());

  return seedream_multipart_stream_new_with_boundary (boundary);
}
