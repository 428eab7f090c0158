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
 *
 * Blocking reads (g_input_stream_read()) read the files directly. The
 * stream is also a GPollableInputStream, which is what GInputStream's
 * read_async() then uses: libsoup sends a request body by splicing it
 * 8 KiB at a time, and without it every one of those reads would hop to
 * a thread of the pool and back. The first non-blocking read (or poll)
 * starts a worker thread that reads the body ahead, a few blocks at most
 * (see BLOCK_SIZE and MAX_BLOCKS), so non-blocking reads only copy
 * memory: the thread that sends never waits for the disk, and memory use
 * still does not depend on the size of the files. The worker reports an
 * error (a file that vanished or changed) after the bytes that precede
 * it, as blocking reads do; it notices a change only in the part of a
 * file it has not read yet, which is at most MAX_BLOCKS × BLOCK_SIZE
 * ahead of what was sent. Closing the stream stops the worker without
 * waiting for it.
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

/* Where reading is. */
typedef struct
{
  GArray       *segments;     /* of Segment; sealed once reading starts */
  guint         current;      /* the segment being read */
  guint64       offset;       /* the next byte of it */
  GInputStream *file_stream;  /* open while a file segment is read */
} Cursor;

/* The read-ahead: a worker thread reads the body into at most
 * MAX_BLOCKS blocks of BLOCK_SIZE bytes; the reader takes bytes from the
 * oldest. 4 × 128 KiB: the worker stays far ahead of a reader that takes
 * 8 KiB at a time, and the memory used is small and the same whatever
 * the size of the files. */
#define BLOCK_SIZE (128 * 1024)
#define MAX_BLOCKS 4

typedef struct
{
  gsize  len;              /* bytes in data */
  gsize  pos;              /* of which the reader took this many */
  guint8 data[BLOCK_SIZE];
} Block;

typedef struct
{
  gatomicrefcount  ref_count;   /* the stream, the worker, each source */
  GMutex           mutex;       /* guards everything below but cursor */
  GCond            data_cond;   /* a block, the end or an error arrived */
  GCond            space_cond;  /* a block was emptied, or stop */
  GQueue           blocks;      /* of Block, full, oldest first */
  GSList          *spare;       /* of Block, emptied, for reuse */
  GError          *error;       /* reading ended with this, after the blocks */
  gboolean         eof;         /* reading reached the end, after the blocks */
  gboolean         stop;        /* the stream was closed: the worker leaves */
  GPtrArray       *waiting;     /* of GMainContext with a source waiting */
  GCancellable    *cancellable; /* cancelled at stop, for the worker's I/O */
  Cursor           cursor;      /* the worker's alone */
} ReadAhead;

struct _SeedreamMultipartStream
{
  GInputStream  parent_instance;

  char         *boundary;
  char         *content_type;
  GArray       *segments;     /* of Segment */
  guint64       length;       /* every byte, closing delimiter included */
  guint         n_parts;
  gboolean      sealed;       /* the closing delimiter is in place: no more parts */

  Cursor        cursor;       /* for blocking reads until read_ahead starts */
  ReadAhead    *read_ahead;   /* from the first non-blocking read or poll on */
};

static void seedream_multipart_stream_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SeedreamMultipartStream, seedream_multipart_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      seedream_multipart_stream_pollable_iface_init))

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
                 _("“%s” changed while it was being sent: it is now longer than %s bytes. Send the request again"),
                 segment->display_name, size);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("“%s” changed while it was being sent: it is now shorter than %s bytes. Send the request again"),
                 segment->display_name, size);
}

/* Cursor {{{1 */

static void
cursor_init (Cursor *cursor,
             GArray *segments)
{
  cursor->segments = g_array_ref (segments);
  cursor->current = 0;
  cursor->offset = 0;
  cursor->file_stream = NULL;
}

/* Closes the open file, if any; only ever read from, so a failure to
 * close it loses nothing. */
static void
cursor_close_file (Cursor       *cursor,
                   GCancellable *cancellable)
{
  if (cursor->file_stream != NULL)
    g_input_stream_close (cursor->file_stream, cancellable, NULL);
  g_clear_object (&cursor->file_stream);
}

static void
cursor_clear (Cursor *cursor)
{
  cursor_close_file (cursor, NULL);
  g_clear_pointer (&cursor->segments, g_array_unref);
}

static gboolean
cursor_open_file (Cursor        *cursor,
                  Segment       *segment,
                  GCancellable  *cancellable,
                  GError       **error)
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

  cursor->file_stream = G_INPUT_STREAM (g_steal_pointer (&stream));

  return TRUE;
}

static void
cursor_next_segment (Cursor *cursor)
{
  cursor->current++;
  cursor->offset = 0;
}

/* Produces the next bytes of the body into @buffer, as read() does: the
 * number of bytes, 0 at the end, or -1 with @error set. It blocks on the
 * disk. */
static gssize
cursor_read (Cursor        *cursor,
             void          *buffer,
             gsize          count,
             GCancellable  *cancellable,
             GError       **error)
{
  guint8 *out = buffer;
  gsize done = 0;

  while (done < count && cursor->current < cursor->segments->len)
    {
      Segment *segment = &g_array_index (cursor->segments, Segment, cursor->current);
      gssize n;
      guint8 probe;

      if (segment->bytes != NULL)
        {
          const guint8 *data = g_bytes_get_data (segment->bytes, NULL);
          gsize chunk = (gsize) MIN ((guint64) (count - done), segment->size - cursor->offset);

          memcpy (out + done, data + cursor->offset, chunk);
          done += chunk;
          cursor->offset += chunk;
          if (cursor->offset == segment->size)
            cursor_next_segment (cursor);
          continue;
        }

      /* A file segment: at most one file read per call, and only when
       * nothing was copied yet, so that an error never throws away bytes
       * this call already produced. */
      if (done > 0)
        break;

      if (cursor->file_stream == NULL &&
          !cursor_open_file (cursor, segment, cancellable, error))
        return -1;

      if (cursor->offset < segment->size)
        {
          gsize chunk = (gsize) MIN ((guint64) count, segment->size - cursor->offset);

          n = g_input_stream_read (cursor->file_stream, out, chunk, cancellable, error);
          if (n < 0)
            return -1;
          if (n == 0)
            {
              set_changed_error (segment, FALSE, error);
              return -1;
            }
          cursor->offset += (guint64) n;
          return n;
        }

      /* Every declared byte is out: the file must end here. */
      n = g_input_stream_read (cursor->file_stream, &probe, 1, cancellable, error);
      if (n < 0)
        return -1;
      if (n > 0)
        {
          set_changed_error (segment, TRUE, error);
          return -1;
        }

      cursor_close_file (cursor, NULL);
      cursor_next_segment (cursor);
    }

  return (gssize) done;
}

/* Read-ahead {{{1 */

static ReadAhead *
read_ahead_ref (ReadAhead *ra)
{
  g_atomic_ref_count_inc (&ra->ref_count);

  return ra;
}

static void
read_ahead_unref (ReadAhead *ra)
{
  if (!g_atomic_ref_count_dec (&ra->ref_count))
    return;

  g_queue_clear_full (&ra->blocks, g_free);
  g_slist_free_full (ra->spare, g_free);
  g_clear_error (&ra->error);
  g_clear_pointer (&ra->waiting, g_ptr_array_unref);
  g_clear_object (&ra->cancellable);
  cursor_clear (&ra->cursor);
  g_mutex_clear (&ra->mutex);
  g_cond_clear (&ra->data_cond);
  g_cond_clear (&ra->space_cond);
  g_free (ra);
}

/* With the mutex held: whether a read would not block. */
static gboolean
read_ahead_is_ready_locked (ReadAhead *ra)
{
  return !g_queue_is_empty (&ra->blocks) || ra->error != NULL || ra->eof || ra->stop;
}

/* Takes the main contexts that wait for a change, with the mutex held, to
 * wake them once it is released. */
static GPtrArray *
read_ahead_steal_waiting_locked (ReadAhead *ra)
{
  return g_steal_pointer (&ra->waiting);
}

static void
wake_contexts (GPtrArray *contexts)
{
  if (contexts == NULL)
    return;

  for (guint i = 0; i < contexts->len; i++)
    g_main_context_wakeup (contexts->pdata[i]);
  g_ptr_array_unref (contexts);
}

/* The worker: fills blocks from the cursor, at most MAX_BLOCKS ahead of
 * the reader, until the end, an error, or the stream is closed. */
static gpointer
read_ahead_thread (gpointer data)
{
  ReadAhead *ra = data;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *waiting;
      Block *block = NULL;
      gssize n = 0;

      g_mutex_lock (&ra->mutex);
      while (!ra->stop && g_queue_get_length (&ra->blocks) >= MAX_BLOCKS)
        g_cond_wait (&ra->space_cond, &ra->mutex);
      if (ra->stop)
        {
          g_mutex_unlock (&ra->mutex);
          break;
        }
      if (ra->spare != NULL)
        {
          block = ra->spare->data;
          ra->spare = g_slist_delete_link (ra->spare, ra->spare);
        }
      g_mutex_unlock (&ra->mutex);

      /* Every block is queued, being filled or spare, and a new one is
       * made only when none is spare: never more than MAX_BLOCKS. */
      if (block == NULL)
        block = g_new (Block, 1);
      block->len = 0;
      block->pos = 0;

      while (block->len < BLOCK_SIZE)
        {
          n = cursor_read (&ra->cursor, block->data + block->len, BLOCK_SIZE - block->len,
                           ra->cancellable, &error);
          if (n <= 0)
            break;
          block->len += (gsize) n;
        }

      g_mutex_lock (&ra->mutex);
      /* The bytes read before an error or the end come first. */
      if (block->len > 0)
        g_queue_push_tail (&ra->blocks, block);
      else
        ra->spare = g_slist_prepend (ra->spare, block);
      if (n < 0)
        {
          ra->error = g_steal_pointer (&error);
          more = FALSE;
        }
      else if (n == 0)
        {
          ra->eof = TRUE;
          more = FALSE;
        }
      waiting = read_ahead_steal_waiting_locked (ra);
      g_cond_broadcast (&ra->data_cond);
      g_mutex_unlock (&ra->mutex);

      wake_contexts (waiting);
    }

  /* Close the file now rather than when the last reference goes. */
  cursor_close_file (&ra->cursor, NULL);
  read_ahead_unref (ra);

  return NULL;
}

/* Takes over @cursor and starts the worker. If no thread can be made,
 * reading fails with that error. */
static ReadAhead *
read_ahead_new (Cursor *cursor)
{
  ReadAhead *ra = g_new0 (ReadAhead, 1);
  g_autoptr(GError) error = NULL;
  GThread *thread;

  g_atomic_ref_count_init (&ra->ref_count);
  g_mutex_init (&ra->mutex);
  g_cond_init (&ra->data_cond);
  g_cond_init (&ra->space_cond);
  g_queue_init (&ra->blocks);
  ra->cancellable = g_cancellable_new ();
  ra->cursor = *cursor;
  memset (cursor, 0, sizeof *cursor);

  thread = g_thread_try_new ("seedream-upload", read_ahead_thread, read_ahead_ref (ra), &error);
  if (thread != NULL)
    g_thread_unref (thread);
  else
    {
      read_ahead_unref (ra);
      ra->error = g_steal_pointer (&error);
    }

  return ra;
}

/* The stream is closed: the worker leaves after its current read, which
 * is cancelled. Does not wait for it (it may be stuck on a slow disk). */
static void
read_ahead_stop (ReadAhead *ra)
{
  GPtrArray *waiting;

  g_mutex_lock (&ra->mutex);
  ra->stop = TRUE;
  waiting = read_ahead_steal_waiting_locked (ra);
  g_cond_signal (&ra->space_cond);
  g_cond_broadcast (&ra->data_cond);
  g_mutex_unlock (&ra->mutex);

  g_cancellable_cancel (ra->cancellable);
  wake_contexts (waiting);
}

/* With the mutex held: what a non-blocking read returns. Copies what was
 * read ahead; then reports the error or the end that follows it, or
 * G_IO_ERROR_WOULD_BLOCK. */
static gssize
read_ahead_read_locked (ReadAhead  *ra,
                        void       *buffer,
                        gsize       count,
                        GError    **error)
{
  guint8 *out = buffer;
  gsize done = 0;

  while (done < count && !g_queue_is_empty (&ra->blocks))
    {
      Block *block = g_queue_peek_head (&ra->blocks);
      gsize chunk = MIN (count - done, block->len - block->pos);

      memcpy (out + done, block->data + block->pos, chunk);
      block->pos += chunk;
      done += chunk;

      if (block->pos == block->len)
        {
          g_queue_pop_head (&ra->blocks);
          ra->spare = g_slist_prepend (ra->spare, block);
          g_cond_signal (&ra->space_cond);
        }
    }

  if (done > 0 || count == 0)
    return (gssize) done;

  if (ra->error != NULL)
    {
      g_propagate_error (error, g_error_copy (ra->error));
      return -1;
    }

  if (ra->eof)
    return 0;

  if (ra->stop)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("Stream is already closed"));
      return -1;
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, _("Operation would block"));

  return -1;
}

static void
read_ahead_cancelled_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  ReadAhead *ra = user_data;

  g_mutex_lock (&ra->mutex);
  g_cond_broadcast (&ra->data_cond);
  g_mutex_unlock (&ra->mutex);
}

/* A blocking read once the worker runs: waits for it. */
static gssize
read_ahead_read (ReadAhead     *ra,
                 void          *buffer,
                 gsize          count,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gulong handler = 0;
  gssize n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (read_ahead_cancelled_cb), ra, NULL);

  g_mutex_lock (&ra->mutex);
  for (;;)
    {
      n = read_ahead_read_locked (ra, buffer, count, &local_error);
      if (n >= 0 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      g_clear_error (&local_error);
      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;
      g_cond_wait (&ra->data_cond, &ra->mutex);
    }
  g_mutex_unlock (&ra->mutex);

  g_cancellable_disconnect (cancellable, handler);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  return n;
}

/* A source that triggers when the read-ahead has something for the
 * reader: bytes, the end, an error, or the stream closed. It registers
 * its main context while it waits; the worker wakes that context when
 * something changes, and check() looks again. */
typedef struct
{
  GSource    source;
  ReadAhead *ra;
} ReadySource;

static gboolean
ready_source_prepare (GSource *source,
                      int     *timeout)
{
  ReadAhead *ra = ((ReadySource *) source)->ra;
  GMainContext *context = g_source_get_context (source);
  gboolean ready;

  *timeout = -1;

  g_mutex_lock (&ra->mutex);
  ready = read_ahead_is_ready_locked (ra);
  if (!ready && context != NULL)
    {
      if (ra->waiting == NULL)
        ra->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) g_main_context_unref);
      if (!g_ptr_array_find (ra->waiting, context, NULL))
        g_ptr_array_add (ra->waiting, g_main_context_ref (context));
    }
  g_mutex_unlock (&ra->mutex);

  return ready;
}

static gboolean
ready_source_check (GSource *source)
{
  ReadAhead *ra = ((ReadySource *) source)->ra;
  gboolean ready;

  g_mutex_lock (&ra->mutex);
  ready = read_ahead_is_ready_locked (ra);
  g_mutex_unlock (&ra->mutex);

  return ready;
}

/* As a child of a GPollableSource it has no callback: its parent
 * dispatches. */
static gboolean
ready_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  if (callback == NULL)
    return G_SOURCE_CONTINUE;

  return callback (user_data);
}

static void
ready_source_finalize (GSource *source)
{
  g_clear_pointer (&((ReadySource *) source)->ra, read_ahead_unref);
}

static GSourceFuncs ready_source_funcs = {
  ready_source_prepare,
  ready_source_check,
  ready_source_dispatch,
  ready_source_finalize,
  NULL,
  NULL,
};

/* Stream {{{1 */

/* The first non-blocking read (or poll) hands the reading over to the
 * worker; blocking reads before that read directly. */
static ReadAhead *
ensure_read_ahead (SeedreamMultipartStream *self)
{
  if (self->read_ahead == NULL)
    {
      seal (self);
      self->read_ahead = read_ahead_new (&self->cursor);
    }

  return self->read_ahead;
}

static gssize
seedream_multipart_stream_read (GInputStream  *stream,
                                void          *buffer,
                                gsize          count,
                                GCancellable  *cancellable,
                                GError       **error)
{
  SeedreamMultipartStream *self = SEEDREAM_MULTIPART_STREAM (stream);

  if (self->read_ahead != NULL)
    return read_ahead_read (self->read_ahead, buffer, count, cancellable, error);

  seal (self);

  return cursor_read (&self->cursor, buffer, count, cancellable, error);
}

static gboolean
seedream_multipart_stream_close (GInputStream  *stream,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  SeedreamMultipartStream *self = SEEDREAM_MULTIPART_STREAM (stream);

  if (self->read_ahead != NULL)
    read_ahead_stop (self->read_ahead);
  cursor_close_file (&self->cursor, cancellable);

  return TRUE;
}

static gboolean
seedream_multipart_stream_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
seedream_multipart_stream_is_readable (GPollableInputStream *stream)
{
  ReadAhead *ra = ensure_read_ahead (SEEDREAM_MULTIPART_STREAM (stream));
  gboolean ready;

  g_mutex_lock (&ra->mutex);
  ready = read_ahead_is_ready_locked (ra);
  g_mutex_unlock (&ra->mutex);

  return ready;
}

static GSource *
seedream_multipart_stream_create_source (GPollableInputStream *stream,
                                         GCancellable         *cancellable)
{
  ReadAhead *ra = ensure_read_ahead (SEEDREAM_MULTIPART_STREAM (stream));
  g_autoptr(GSource) ready = g_source_new (&ready_source_funcs, sizeof (ReadySource));
  GSource *source;

  ((ReadySource *) ready)->ra = read_ahead_ref (ra);
  g_source_set_static_name (ready, "SeedreamMultipartStream read-ahead");

  /* A child without a callback (g_pollable_source_new_full() would give it
   * a dummy one, which needs a closure_callback): the parent, a
   * GPollableSource, dispatches when it triggers. */
  source = g_pollable_source_new_full (stream, NULL, cancellable);
  g_source_add_child_source (source, ready);

  return source;
}

static gssize
seedream_multipart_stream_read_nonblocking (GPollableInputStream  *stream,
                                            void                  *buffer,
                                            gsize                  count,
                                            GError               **error)
{
  SeedreamMultipartStream *self = SEEDREAM_MULTIPART_STREAM (stream);
  ReadAhead *ra;
  gssize n;

  if (g_input_stream_is_closed (G_INPUT_STREAM (self)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("Stream is already closed"));
      return -1;
    }

  ra = ensure_read_ahead (self);
  g_mutex_lock (&ra->mutex);
  n = read_ahead_read_locked (ra, buffer, count, error);
  g_mutex_unlock (&ra->mutex);

  return n;
}

static void
seedream_multipart_stream_finalize (GObject *object)
{
  SeedreamMultipartStream *self = SEEDREAM_MULTIPART_STREAM (object);

  /* GInputStream's dispose closed the stream, which stopped the worker. */
  if (self->read_ahead != NULL)
    read_ahead_stop (self->read_ahead);
  g_clear_pointer (&self->read_ahead, read_ahead_unref);
  cursor_clear (&self->cursor);
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

  /* The default read_async is non-blocking reads of the pollable stream:
   * no thread per read. */
  stream_class->read_fn = seedream_multipart_stream_read;
  stream_class->close_fn = seedream_multipart_stream_close;
}

static void
seedream_multipart_stream_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = seedream_multipart_stream_can_poll;
  iface->is_readable = seedream_multipart_stream_is_readable;
  iface->create_source = seedream_multipart_stream_create_source;
  iface->read_nonblocking = seedream_multipart_stream_read_nonblocking;
}

static void
seedream_multipart_stream_init (SeedreamMultipartStream *self)
{
  self->segments = g_array_new (FALSE, TRUE, sizeof (Segment));
  g_array_set_clear_func (self->segments, segment_clear);
  cursor_init (&self->cursor, self->segments);
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
