/* test-upload-memory.c: a 200 MiB upload is streamed, not held in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds a multipart body around a 200 MiB (sparse) file directly with
 * SeedreamMultipartStream, which skips the request's 10 MB check, sends it
 * through the client's real send path (seedream_client_submit_body_async)
 * to the mock, and checks that the peak resident memory of this process
 * (VmHWM) grew by less than 32 MiB while every byte went out.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "seedream-client.h"
#include "seedream-test-util.h"
#include "seedream-error.h"
#include "seedream-model.h"
#include "seedream-multipart-stream.h"

#define TEST_KEY "sk-test-memory-5a5a5a5a"
#define UPLOAD_SIZE (G_GOFFSET_CONSTANT (200) * 1024 * 1024)
#define MAX_GROWTH (G_GOFFSET_CONSTANT (32) * 1024 * 1024)

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif
#ifndef UNDER_ASAN
# define UNDER_ASAN 0
#endif

typedef struct
{
  goffset done;
  goffset total;
  guint   calls;
} Progress;

static void
progress_cb (goffset  done,
             goffset  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  progress->done = done;
  progress->total = total;
  progress->calls++;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Peak resident set size of this process, in bytes. */
static goffset
read_vm_hwm (void)
{
  g_autofree char *status = NULL;
  const char *line;
  guint64 kib = 0;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  line += strlen ("VmHWM:");
  while (*line == ' ' || *line == '\t')
    line++;
  kib = g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (kib, >, 0);

  return (goffset) kib * 1024;
}

static void
test_upload_memory (void)
{
  const char *mock_path = g_getenv ("SEEDREAM_MOCK_SERVER");
  g_autoptr(GSubprocess) mock = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SeedreamClient) client = NULL;
  g_autoptr(SeedreamMultipartStream) warmup = NULL;
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) warmup_result = NULL;
  g_autoptr(GAsyncResult) wait_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *warmup_id = NULL;
  g_autofree char *path = NULL;
  const SeedreamModel *model = seedream_model_get_default ();
  Progress progress = { 0 };
  goffset before;
  goffset after;

  if (UNDER_ASAN)
    {
      /* ASan's shadow memory and quarantine make VmHWM meaningless. */
      g_test_skip ("Peak memory cannot be measured under AddressSanitizer");
      return;
    }

  if (mock_path == NULL)
    g_error ("SEEDREAM_MOCK_SERVER is not set: run this test through meson");

  mock = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                           &error,
                           mock_path, "--port", "0", "--key", TEST_KEY,
                           "--max-body-mib", "300", "--exit-on-stdin-eof",
                           NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (mock));
  base_url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (base_url);
  g_strstrip (base_url);

  tmpdir = g_dir_make_tmp ("seedream-memory-XXXXXX", &error);
  g_assert_no_error (error);
  file = seedream_test_write_sparse_png (tmpdir, "huge.png", UPLOAD_SIZE);

  client = seedream_client_new (base_url, TEST_KEY, &error);
  g_assert_no_error (error);

  /* A small submission first, so that one-time set-up of the session,
   * the resolver and the main loop is not counted. */
  warmup = seedream_multipart_stream_new ();
  seedream_multipart_stream_add_text (warmup, "category", model->category);
  seedream_multipart_stream_add_text (warmup, "prompt", "warm up");
  seedream_client_submit_body_async (client, model, warmup, NULL, NULL, NULL, NULL,
                                     store_result_cb, &warmup_result);
  while (warmup_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  warmup_id = seedream_client_submit_body_finish (client, warmup_result, &error);
  g_assert_no_error (error);

  body = seedream_multipart_stream_new ();
  seedream_multipart_stream_add_text (body, "category", model->category);
  seedream_multipart_stream_add_text (body, "prompt", "a very large reference");
  seedream_multipart_stream_add_file (body, "sourceImage", file, "huge.png", "image/png",
                                      (guint64) UPLOAD_SIZE);
  g_assert_cmpint (seedream_multipart_stream_get_length (body), >, UPLOAD_SIZE);

  before = read_vm_hwm ();

  seedream_client_submit_body_async (client, model, body, progress_cb, &progress, NULL, NULL,
                                     store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  task_id = seedream_client_submit_body_finish (client, result, &error);

  after = read_vm_hwm ();

  g_test_message ("VmHWM before %" G_GOFFSET_FORMAT " KiB, after %" G_GOFFSET_FORMAT " KiB",
                  before / 1024, after / 1024);
  g_test_message ("Task id %s, error %s", task_id ? task_id : "(none)",
                  error ? error->message : "(none)");

  /* Every byte went out, whatever the mock then thought of a 200 MiB image. */
  g_assert_cmpint (progress.total, ==, seedream_multipart_stream_get_length (body));
  g_assert_cmpint (progress.done, ==, progress.total);
  /* Reported along the way, not only at the start and the end. The client
   * reports in steps (256 KiB or 100 ms, some 800 here) and never queues
   * more than one report, so how many arrive depends on how fast the main
   * loop answers: fewer on a loaded machine. */
  g_test_message ("%u progress reports", progress.calls);
  g_assert_cmpuint (progress.calls, >, 10);
  if (task_id == NULL)
    {
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_SERVER_FAILURE);
      g_assert_nonnull (seedream_error_get_server_message (error));
    }

  g_assert_cmpint (after - before, <, MAX_GROWTH);

  g_output_stream_close (g_subprocess_get_stdin_pipe (mock), NULL, NULL);
  g_subprocess_wait_async (mock, NULL, store_result_cb, &wait_result);
  while (wait_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait_finish (mock, wait_result, NULL);

  path = g_file_get_path (file);
  g_unlink (path);
  g_rmdir (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/client/upload/memory", test_upload_memory);

  return g_test_run ();
}
