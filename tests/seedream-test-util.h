/* seedream-test-util.h: helpers every test may share (temporary trees,
 * waiting on the main context, writing test files and images).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-history.h"

G_BEGIN_DECLS

typedef gboolean (*SeedreamTestCondition) (gpointer data);

/* Removes @path: a file or symlink is unlinked, a folder (made writable
 * first) is emptied recursively and removed. Errors are ignored. */
void       seedream_test_remove_tree (const char            *path);

/* Runs the default main context until @done returns TRUE or
 * @timeout_seconds have passed (a hang guard, not a measurement); returns
 * what @done said last. */
gboolean   seedream_test_wait_until  (SeedreamTestCondition  done,
                                      gpointer               data,
                                      guint                  timeout_seconds);

/* Adds a submission of @prompt (2K, @batch_size images) to @history,
 * waiting on the main context; returns its id. */
gint64     seedream_test_add_submission   (SeedreamHistory       *history,
                                           const char            *prompt,
                                           const char            *resolution,
                                           guint                  batch_size);
/* The same for a whole request (sources and their parents too). */
gint64     seedream_test_add_request      (SeedreamHistory       *history,
                                           SeedreamRequest       *request);
/* A fixture for tests of a history: a temporary folder @dir (removed
 * after the test, with all in it) and @data_dir, its "data" (not made). */
typedef struct
{
  char  *dir;
  GFile *data_dir;
} SeedreamTestDataDir;

void       seedream_test_data_dir_setup    (SeedreamTestDataDir   *fixture,
                                            gconstpointer          data);
void       seedream_test_data_dir_teardown (SeedreamTestDataDir   *fixture,
                                            gconstpointer          data);
/* The history of @data_dir, opened (or made); fails the test if it cannot. */
SeedreamHistory *seedream_test_open_history (GFile                *data_dir);

/* Drops the test's reference to *@history (if any) and waits until the
 * history is gone, its database closed: a worker thread lets go of its
 * GTask, and with it the history, just after its result is delivered. */
void       seedream_test_close_history    (SeedreamHistory      **history);

/* Writes @len bytes of @data to @dir/@name (any bytes: the file system's
 * encoding) and returns the file. */
GFile     *seedream_test_write_file       (const char            *dir,
                                           const char            *name,
                                           const void            *data,
                                           gsize                  len);
/* The bytes of tests/data/images/@name (found through $SEEDREAM_SOURCE_DIR). */
GBytes    *seedream_test_load_image       (const char            *name);

/* The PNG spec's CRC-32, continued from @crc (0 to start). */
guint32    seedream_test_png_crc          (const guint8          *data,
                                           gsize                  len,
                                           guint32                crc);
/* Appends one chunk (length, type, data, CRC) to @png. */
/* The data of every chunk of @type in @png, concatenated (IDAT: the
 * pixel data as compressed). */
GBytes    *seedream_test_png_chunks       (GBytes                *png,
                                           const char            *type);
void       seedream_test_png_append_chunk (GByteArray            *png,
                                           const char            *type,
                                           const guint8          *data,
                                           gsize                  len);
/* @dir/@name: a PNG signature and IHDR for 4096 × 4096 RGB, then zeros up
 * to @size bytes, without writing them (a sparse file): a large source
 * image that costs no disk. */
GFile     *seedream_test_write_sparse_png (const char            *dir,
                                           const char            *name,
                                           goffset                size);

/* One HTTP request (libsoup, no proxy), its answer waited for on the
 * default main context (so a server on it can answer). @body may be %NULL;
 * @chunked sends it without a length. Returns the status, 0 when no answer
 * came (@error set); @response_body (nullable) gets the answer's text. */
guint      seedream_test_http_request     (const char            *method,
                                           const char            *url,
                                           const char            *content_type,
                                           GBytes                *body,
                                           gboolean               chunked,
                                           char                 **response_body,
                                           GError               **error);

/* TRUE when nothing listens on 127.0.0.1:@port (a connection is refused). */
gboolean   seedream_test_port_is_closed   (guint16                port);

G_END_DECLS
