/* bench-tool.c: the core-library side of the benchmarks (tests/bench).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-tool app-id
 *       prints the APP_ID of this build (where the app keeps its data)
 *   bench-tool upload URL KEY SOURCE-IMAGE...
 *       submits one request (category, prompt, batchsize, resolution, one
 *       sourceImage part per file) with SeedreamClient's real send path
 *       (seedream_client_submit_body_async, so that the request's own
 *       limits of 14 images and 10 MB do not stop a benchmark of 15 or of
 *       200 MiB); exits 0 once the server answered, even with a refusal
 *       (the mock refuses 15 images after reading them all), 1 if the
 *       upload itself failed; prints "rss_before_kib N hwm_kib N": VmRSS
 *       just before the submission and VmHWM once it is answered
 *   bench-tool populate DATA-DIR N [--results=DIR] [SOURCE-IMAGE...]
 *       writes N submissions into DATA-DIR/history.db with SeedreamHistory
 *       (added, submitted, then done or, one in ten, failed) and, when
 *       source images are given, DATA-DIR/draft.ini with them as sources;
 *       with --results, each done submission has as many results as it
 *       asked for, downloaded copies that are the images in DIR (taken in
 *       turn, so that rows next to each other show different images)
 *   bench-tool first-rows DATA-DIR [--filter=failed|favourites]
 *       opens the history in DATA-DIR and its SeedreamHistoryModel (with
 *       the filter on, waiting for its first page), asks for the first 20
 *       items, and prints "first_rows_usec N hwm_kib N rows N items N"
 *       (items: every match, counted after the timing)
 *
 *   bench-tool search DATA-DIR TEXT
 *       opens the history in DATA-DIR, waits for its prompt index, then
 *       finds the newest 20 rows whose prompt contains TEXT (on the worker,
 *       as the History page does first) and reads them, then finds every
 *       match; prints "search_usec N hits N rows N all_usec N" (search_usec:
 *       the first find and the reads; all_usec: the whole list after it)
 *
 * Timing and comparison are done by run-benchmarks.py, never here.
 */

#define G_LOG_DOMAIN "bench-tool"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <string.h>

#include "seedream-client.h"
#include "seedream-draft.h"
#include "seedream-error.h"
#include "seedream-history.h"
#include "seedream-history-model.h"
#include "seedream-model.h"
#include "seedream-multipart-stream.h"
#include "seedream-request.h"

#define FIRST_ROWS 20
/* The side of the result images run-benchmarks.py writes for --results. */
#define RESULT_IMAGE_SIZE 512

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* A field of /proc/self/status, in KiB. */
static guint64
read_status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, field);
  if (line == NULL)
    return 0;
  line += strlen (field);
  while (*line == ' ' || *line == '\t' || *line == ':')
    line++;

  return g_ascii_strtoull (line, NULL, 10);
}

static int
run_upload (int   argc,
            char *argv[])
{
  const SeedreamModel *model = seedream_model_get_default ();
  g_autoptr(SeedreamClient) client = NULL;
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  guint64 rss_before;

  if (argc < 4)
    {
      g_printerr ("usage: bench-tool upload URL KEY SOURCE-IMAGE...\n");
      return 2;
    }

  client = seedream_client_new (argv[1], argv[2], &error);
  if (client == NULL)
    {
      g_printerr ("bench-tool: %s\n", error->message);
      return 1;
    }
  seedream_client_set_timeout (client, 600);

  body = seedream_multipart_stream_new ();
  seedream_multipart_stream_add_text (body, SEEDREAM_FORM_CATEGORY, model->category);
  seedream_multipart_stream_add_text (body, SEEDREAM_FORM_PROMPT, "benchmark upload");
  seedream_multipart_stream_add_text (body, SEEDREAM_FORM_BATCH_SIZE, "1");
  seedream_multipart_stream_add_text (body, SEEDREAM_FORM_RESOLUTION, "2K");
  for (int i = 3; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      g_autoptr(GFileInfo) info = NULL;
      g_autofree char *name = g_file_get_basename (file);

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                NULL, &error);
      if (info == NULL)
        {
          g_printerr ("bench-tool: %s\n", error->message);
          return 1;
        }
      seedream_multipart_stream_add_file (body, SEEDREAM_FORM_SOURCE_IMAGE, file, name,
                                          "image/png", (guint64) g_file_info_get_size (info));
    }

  rss_before = read_status_kib ("VmRSS");
  seedream_client_submit_body_async (client, model, body, NULL, NULL, NULL, NULL,
                                     store_result_cb, &result);
  wait_for (&result);
  task_id = seedream_client_submit_body_finish (client, result, &error);
  g_print ("rss_before_kib %" G_GUINT64_FORMAT " hwm_kib %" G_GUINT64_FORMAT "\n",
           rss_before, read_status_kib ("VmHWM"));
  if (task_id != NULL)
    g_print ("task %s\n", task_id);
  else if (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_SERVER_FAILURE))
    g_print ("refused %s\n", error->message);
  else
    {
      g_printerr ("bench-tool: upload failed: %s\n", error->message);
      return 1;
    }

  return 0;
}

/* The image files in @dir, sorted by name, as absolute paths. */
static GPtrArray *
list_result_images (const char  *dir,
                    GError     **error)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (handle == NULL)
    return NULL;

  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (paths, g_canonicalize_filename (name, dir));
  g_ptr_array_sort_values (paths, (GCompareFunc) g_strcmp0);

  if (paths->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no result images in %s", dir);
      return NULL;
    }

  return g_steal_pointer (&paths);
}

static gboolean
add_one (SeedreamHistory *history,
         guint            i,
         GPtrArray       *result_images,
         guint           *next_result,
         GError         **error)
{
  static const char * const subjects[] = {
    "a watercolour fox in a birch forest",
    "an isometric city block at dusk, neon signs",
    "a ceramic teapot on linen, soft window light",
    "a poster for a jazz festival, bold type",
    "a macro photo of frost on a leaf",
  };
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *task_id = NULL;
  guint batch_size = 1 + i % 4;
  gint64 id;

  prompt = g_strdup_printf ("Benchmark %u: %s", i, subjects[i % G_N_ELEMENTS (subjects)]);
  seedream_request_set_prompt (request, prompt);
  seedream_request_set_batch_size (request, batch_size);
  seedream_request_set_resolution (request, (i % 3) == 0 ? "4K" : "2K");

  seedream_history_add_submission_async (history, request, NULL, store_result_cb, &result);
  wait_for (&result);
  id = seedream_history_add_submission_finish (history, result, error);
  if (id == 0)
    return FALSE;

  task_id = g_strdup_printf ("bench_%016x", i);
  if (!seedream_history_set_submitted (history, id, task_id, error))
    return FALSE;

  if (i % 10 == 9)
    return seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_TASK_FAILED,
                                       "content refused by moderation", NULL, error);

  for (guint j = 0; result_images != NULL && j < batch_size; j++)
    {
      const char *path = g_ptr_array_index (result_images, (*next_result)++ % result_images->len);
      g_autofree char *url = g_strdup_printf ("https://results.invalid/%s/%u.png", task_id, j);

      if (!seedream_history_set_result (history, id, j, url, path, RESULT_IMAGE_SIZE,
                                        RESULT_IMAGE_SIZE, error))
        return FALSE;
    }

  return seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, error);
}

static int
run_populate (int   argc,
              char *argv[])
{
  g_autoptr(GFile) data_dir = NULL;
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GPtrArray) result_images = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  guint next_result = 0;
  int first_source = 3;

  if (argc < 3 || !g_ascii_string_to_unsigned (argv[2], 10, 0, 10000000, &n, &error))
    {
      g_printerr ("usage: bench-tool populate DATA-DIR N [--results=DIR] [SOURCE-IMAGE...]\n");
      return 2;
    }

  if (argc > 3 && g_str_has_prefix (argv[3], "--results="))
    {
      result_images = list_result_images (argv[3] + strlen ("--results="), &error);
      if (result_images == NULL)
        {
          g_printerr ("bench-tool: %s\n", error->message);
          return 1;
        }
      first_source = 4;
    }

  data_dir = g_file_new_for_commandline_arg (argv[1]);
  if (!g_file_make_directory_with_parents (data_dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_printerr ("bench-tool: %s\n", error->message);
      return 1;
    }
  g_clear_error (&error);

  history = seedream_history_new (data_dir, &error);
  if (history == NULL)
    {
      g_printerr ("bench-tool: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < n; i++)
    if (!add_one (history, i, result_images, &next_result, &error))
      {
        g_printerr ("bench-tool: row %u: %s\n", i, error->message);
        return 1;
      }

  if (argc > first_source)
    {
      g_autoptr(GFile) draft_file = g_file_get_child (data_dir, "draft.ini");
      g_autoptr(SeedreamDraft) draft = seedream_draft_new (draft_file);

      seedream_draft_set_autosave (draft, FALSE);
      seedream_request_set_prompt (seedream_draft_get_request (draft), "A benchmark draft with many source images");
      for (int i = first_source; i < argc; i++)
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);

          seedream_request_add_source_file (seedream_draft_get_request (draft), file);
        }
      if (!seedream_draft_save (draft, &error))
        {
          g_printerr ("bench-tool: draft: %s\n", error->message);
          return 1;
        }
    }

  return 0;
}

static void
set_true (gboolean *flag)
{
  *flag = TRUE;
}

static int
run_first_rows (int   argc,
                char *argv[])
{
  g_autoptr(GFile) data_dir = NULL;
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(SeedreamHistoryModel) model = NULL;
  g_autoptr(GError) error = NULL;
  SeedreamHistoryFilter filter = SEEDREAM_HISTORY_FILTER_ALL;
  gint64 start;
  gint64 end;
  guint n_items;
  guint rows = 0;

  if (argc != 2 && !(argc == 3 && g_str_has_prefix (argv[2], "--filter=")))
    {
      g_printerr ("usage: bench-tool first-rows DATA-DIR [--filter=failed|favourites]\n");
      return 2;
    }
  if (argc == 3)
    {
      const char *name = argv[2] + strlen ("--filter=");

      if (strcmp (name, "failed") == 0)
        filter = SEEDREAM_HISTORY_FILTER_FAILED;
      else if (strcmp (name, "favourites") == 0)
        filter = SEEDREAM_HISTORY_FILTER_FAVOURITES;
      else
        {
          g_printerr ("bench-tool: unknown filter %s\n", name);
          return 2;
        }
    }

  data_dir = g_file_new_for_commandline_arg (argv[1]);

  start = g_get_monotonic_time ();
  history = seedream_history_new (data_dir, &error);
  if (history == NULL)
    {
      g_printerr ("bench-tool: %s\n", error->message);
      return 1;
    }
  model = seedream_history_model_new (history);
  if (filter != SEEDREAM_HISTORY_FILTER_ALL)
    {
      /* As the History page does: the first page is found on the worker,
       * then the rest; the first rows show once the first page is in. */
      gboolean replaced = FALSE;
      gulong id = g_signal_connect_swapped (model, "items-changed", G_CALLBACK (set_true), &replaced);

      seedream_history_model_set_filter (model, filter, NULL);
      while (!replaced)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (model, id);
    }
  n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < MIN (n_items, FIRST_ROWS); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (item != NULL)
        rows++;
    }
  end = g_get_monotonic_time ();

  /* Every match, for the caller's check (not timed). */
  while (seedream_history_model_get_finding (model))
    g_main_context_iteration (NULL, TRUE);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (model));

  g_print ("first_rows_usec %" G_GINT64_FORMAT " hwm_kib %" G_GUINT64_FORMAT " rows %u items %u\n",
           end - start, read_status_kib ("VmHWM"), rows, n_items);

  return 0;
}

static gboolean
indexed (SeedreamHistory *history)
{
  while (!seedream_history_get_search_indexed (history))
    g_main_context_iteration (NULL, TRUE);
  return TRUE;
}

static int
run_search (int   argc,
            char *argv[])
{
  g_autoptr(GFile) data_dir = NULL;
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) all_ids = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, end, all_start, all_end;
  guint rows = 0;

  if (argc < 3)
    {
      g_printerr ("usage: bench-tool search DATA-DIR TEXT\n");
      return 2;
    }

  data_dir = g_file_new_for_commandline_arg (argv[1]);
  history = seedream_history_new (data_dir, &error);
  if (history == NULL)
    {
      g_printerr ("bench-tool: %s\n", error->message);
      return 1;
    }
  indexed (history);

  start = g_get_monotonic_time ();
  seedream_history_find_async (history, argv[2], SEEDREAM_HISTORY_FILTER_ALL, NULL, FIRST_ROWS, NULL,
                               store_result_cb, &result);
  wait_for (&result);
  ids = seedream_history_find_finish (history, result, &error);
  if (ids == NULL)
    {
      g_printerr ("bench-tool: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < MIN (ids->len, FIRST_ROWS); i++)
    {
      g_autoptr(SeedreamHistoryEntry) entry = seedream_history_lookup (history, g_array_index (ids, gint64, i), NULL);

      if (entry != NULL)
        rows++;
    }
  end = g_get_monotonic_time ();

  /* Then every match, as the History page asks for after its first page. */
  g_clear_object (&result);
  all_start = g_get_monotonic_time ();
  seedream_history_find_async (history, argv[2], SEEDREAM_HISTORY_FILTER_ALL, NULL, 0, NULL,
                               store_result_cb, &result);
  wait_for (&result);
  all_ids = seedream_history_find_finish (history, result, &error);
  if (all_ids == NULL)
    {
      g_printerr ("bench-tool: %s\n", error->message);
      return 1;
    }
  all_end = g_get_monotonic_time ();

  g_print ("search_usec %" G_GINT64_FORMAT " hits %u rows %u all_usec %" G_GINT64_FORMAT "\n",
           end - start, all_ids->len, rows, all_end - all_start);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 2 && strcmp (argv[1], "app-id") == 0)
    {
      g_print ("%s\n", APP_ID);
      return 0;
    }
  if (argc >= 2 && strcmp (argv[1], "upload") == 0)
    return run_upload (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "populate") == 0)
    return run_populate (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "first-rows") == 0)
    return run_first_rows (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "search") == 0)
    return run_search (argc - 1, argv + 1);

  g_printerr ("usage: bench-tool app-id|upload|populate|first-rows|search ARGS...\n");

  return 2;
}
