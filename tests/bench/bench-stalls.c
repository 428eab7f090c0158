/* bench-stalls.c: how long the real window's main loop stalls under load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-stalls upload URL KEY FILE...   SeedreamClient sends FILE... as
 *                                          one submission (the app's send path)
 *   bench-stalls add-sources FILE...      seedream_window_add_source_files()
 *                                          with all of them at once
 *   bench-stalls scroll-history [FILTER]  the History page scrolls from the
 *                                          first row to the last, two pages a
 *                                          frame (FILTER: its history-filter
 *                                          setting, e.g. failed)
 *   bench-stalls thumbnails FILE...       the result thumbnailer
 *                                          (seedream_thumbnail_load_async at
 *                                          the result tiles' size) on every
 *                                          file at once
 *   bench-stalls compare FILE...          the compare view opened on the
 *                                          files (two to four), until all
 *                                          are shown and half a second of
 *                                          drawing them has passed
 *   bench-stalls dialog                   the reference of compare: an empty
 *                                          AdwDialog of the compare view's
 *                                          size (a header bar, no content),
 *                                          until half a second after it maps
 *
 * Opens the app's main window (a SeedreamApplication of its own, with the
 * history and draft of $XDG_DATA_HOME), waits until it is mapped and has
 * settled (a quarter second without a gap over 16 ms, or 10 s), then records the gaps between runs of a G_PRIORITY_HIGH timeout
 * that asks for every 1 ms: first for IDLE_USEC with nothing happening (the
 * reference), then while the scenario runs. Prints two lines:
 *
 *   idle p99_usec N max_usec N samples N duration_usec N
 *   load p99_usec N max_usec N samples N duration_usec N
 *
 * run-benchmarks.py turns them into the table.
 *
 * With SEEDREAM_BENCH_STALLS_TRACE=1 it also prints, on standard error,
 * each gap over a frame while the scenario runs and the frames around it
 * (when each frame clock phase ended, from the scenario's start), to tell
 * a slow frame (layout or paint) from slow work between frames.
 */

#define G_LOG_DOMAIN "bench-stalls"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "seedream-application.h"
#include "seedream-client.h"
#include "seedream-compare-pane.h"
#include "seedream-compare-view.h"
#include "seedream-error.h"
#include "seedream-history-view.h"
#include "seedream-model.h"
#include "seedream-multipart-stream.h"
#include "seedream-thumbnail-loader.h"
#include "seedream-window.h"

#define IDLE_USEC           (G_USEC_PER_SEC)
#define SETTLE_CHUNK_USEC   (G_USEC_PER_SEC / 4)
#define SETTLE_MAX_CHUNKS   40
#define SETTLE_MAX_GAP_USEC 16000
#define ADD_SOURCES_USEC    (3 * G_USEC_PER_SEC)
#define RESULT_THUMB_SIZE   256
#define COMPARE_AFTER_USEC  (G_USEC_PER_SEC / 2)

typedef struct
{
  GArray  *gaps;        /* gint64 µs */
  gint64   last;
  guint    source_id;
  gint64   trace_start; /* 0: not tracing */
} Probe;

/* The frame clock's phases, in order; each stamped when GTK's own
 * handlers for it have run (ours were connected after theirs). */
static const char * const frame_phases[] = {
  "flush-events", "before-paint", "update", "layout", "paint", "after-paint",
};

typedef struct
{
  Probe  *probe;
  gint64  durations[G_N_ELEMENTS (frame_phases)];
  gint64  frame_start;  /* 0: between frames */
  gint64  last;
  /* compare: how many of its images are shown, in each frame's line */
  SeedreamCompareView *view;
} FrameTrace;

static FrameTrace frame_trace;

typedef struct
{
  SeedreamApplication *app;
  SeedreamWindow      *window;
  Probe                probe;
  gboolean             done;
  guint                pending;
  int                  status;
  char               **argv;
  int                  argc;
  const char          *scenario;
  GtkAdjustment       *adjustment;
  guint                tick_id;
} Bench;

static gboolean
probe_cb (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - probe->last;

  g_array_append_val (probe->gaps, gap);
  if (probe->trace_start != 0 && gap > SETTLE_MAX_GAP_USEC)
    g_printerr ("gap %.1f ms, from %.1f to %.1f ms\n", gap / 1000.0,
                (probe->last - probe->trace_start) / 1000.0, (now - probe->trace_start) / 1000.0);
  probe->last = now;

  return G_SOURCE_CONTINUE;
}

static void
probe_start (Probe *probe)
{
  probe->gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe->last = g_get_monotonic_time ();
  probe->source_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, probe_cb, probe, NULL);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
probe_stop (Probe *probe)
{
  gint64 max = 0;

  probe_cb (probe);
  g_source_remove (probe->source_id);
  probe->source_id = 0;
  for (guint i = 0; i < probe->gaps->len; i++)
    max = MAX (max, g_array_index (probe->gaps, gint64, i));
  g_clear_pointer (&probe->gaps, g_array_unref);

  return max;
}

static void
probe_stop_and_print (Probe      *probe,
                      const char *label,
                      gint64      duration)
{
  guint n;
  gint64 p99 = 0;
  gint64 max = 0;

  /* The gap still open counts too. */
  probe_cb (probe);
  g_source_remove (probe->source_id);
  probe->source_id = 0;

  n = probe->gaps->len;
  g_array_sort (probe->gaps, compare_gint64);
  if (n > 0)
    {
      p99 = g_array_index (probe->gaps, gint64, MIN (n - 1, (guint) ((n * 99) / 100)));
      max = g_array_index (probe->gaps, gint64, n - 1);
    }
  g_print ("%s p99_usec %" G_GINT64_FORMAT " max_usec %" G_GINT64_FORMAT
           " samples %u duration_usec %" G_GINT64_FORMAT "\n",
           label, p99, max, n, duration);
  g_clear_pointer (&probe->gaps, g_array_unref);
}

static void
phase_cb (GdkFrameClock *clock,
          FrameTrace    *trace)
{
  guint phase = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (clock), "bench-phase"));
  gint64 now = g_get_monotonic_time ();
  GString *line;

  if (trace->probe->trace_start == 0)
    return;
  /* A frame emits only the phases it needs: the first seen starts it. */
  if (trace->frame_start == 0)
    {
      trace->frame_start = trace->last = now;
      memset (trace->durations, 0, sizeof trace->durations);
    }
  trace->durations[phase] = now - trace->last;
  trace->last = now;
  if (phase != G_N_ELEMENTS (frame_phases) - 1)
    return;

  line = g_string_new (NULL);
  g_string_append_printf (line, "frame %.1f-%.1f ms:", (trace->frame_start - trace->probe->trace_start) / 1000.0,
                          (now - trace->probe->trace_start) / 1000.0);
  for (guint i = 1; i < G_N_ELEMENTS (frame_phases); i++)
    g_string_append_printf (line, " %s %.1f", frame_phases[i], trace->durations[i] / 1000.0);
  if (trace->view != NULL)
    {
      guint shown = 0;

      for (guint i = 0; i < seedream_compare_view_get_n_items (trace->view); i++)
        shown += seedream_compare_pane_get_paintable (SEEDREAM_COMPARE_PANE (seedream_compare_view_get_pane (trace->view, i))) != NULL;
      g_string_append_printf (line, ", %u shown", shown);
    }
  g_printerr ("%s\n", line->str);
  g_string_free (line, TRUE);
  trace->frame_start = 0;
}

/* The signal's handler learns its phase from the clock; set it before
 * each emission. */
static void
phase_mark_cb (GdkFrameClock *clock,
               gpointer       phase)
{
  g_object_set_data (G_OBJECT (clock), "bench-phase", phase);
}

static void
trace_frames (Probe     *probe,
              GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  FrameTrace *trace = &frame_trace;

  trace->probe = probe;
  for (guint i = 0; i < G_N_ELEMENTS (frame_phases); i++)
    {
      g_signal_connect (clock, frame_phases[i], G_CALLBACK (phase_mark_cb), GUINT_TO_POINTER (i));
      g_signal_connect_after (clock, frame_phases[i], G_CALLBACK (phase_cb), trace);
    }
}

static void run_for (gint64 usec);

/* Start-up work (the history's first pages, thumbnails of the draft's
 * sources) goes on after the window maps: waits until a quarter of a second
 * passes without a gap over a frame, or ten seconds. */
static void
settle (void)
{
  for (guint i = 0; i < SETTLE_MAX_CHUNKS; i++)
    {
      Probe probe = { 0 };

      probe_start (&probe);
      run_for (SETTLE_CHUNK_USEC);
      if (probe_stop (&probe) <= SETTLE_MAX_GAP_USEC)
        return;
    }
}

static gboolean
flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (gint64 usec)
{
  gboolean elapsed = FALSE;

  g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (usec / 1000), flag_cb, &elapsed, NULL);
  while (!elapsed)
    g_main_context_iteration (NULL, TRUE);
}

/* upload */

static void
upload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  task_id = seedream_client_submit_body_finish (SEEDREAM_CLIENT (object), result, &error);
  /* The mock may refuse what it read (too many or too large images); the
   * upload itself must have gone through. */
  if (task_id == NULL && !g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_SERVER_FAILURE))
    {
      g_printerr ("bench-stalls: upload failed: %s\n", error->message);
      bench->status = 1;
    }
  bench->done = TRUE;
}

static gboolean
start_upload (Bench *bench)
{
  const SeedreamModel *model = seedream_model_get_default ();
  g_autoptr(SeedreamClient) client = NULL;
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GError) error = NULL;

  if (bench->argc < 3)
    return FALSE;

  client = seedream_client_new (bench->argv[0], bench->argv[1], &error);
  if (client == NULL)
    {
      g_printerr ("bench-stalls: %s\n", error->message);
      return FALSE;
    }
  seedream_client_set_timeout (client, 600);

  body = seedream_multipart_stream_new ();
  seedream_multipart_stream_add_text (body, SEEDREAM_FORM_CATEGORY, model->category);
  seedream_multipart_stream_add_text (body, SEEDREAM_FORM_PROMPT, "benchmark upload");
  for (int i = 2; i < bench->argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (bench->argv[i]);
      g_autoptr(GFileInfo) info = NULL;
      g_autofree char *name = g_file_get_basename (file);

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                NULL, &error);
      if (info == NULL)
        {
          g_printerr ("bench-stalls: %s\n", error->message);
          return FALSE;
        }
      seedream_multipart_stream_add_file (body, SEEDREAM_FORM_SOURCE_IMAGE, file, name,
                                          "image/png", (guint64) g_file_info_get_size (info));
    }

  seedream_client_submit_body_async (client, model, body, NULL, NULL, NULL, NULL,
                                     upload_done_cb, bench);

  return TRUE;
}

/* add-sources */

static gboolean
start_add_sources (Bench *bench)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < bench->argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (bench->argv[i]));

  seedream_window_add_source_files (bench->window, (GFile **) files->pdata, files->len);
  /* Adding returns at once; the thumbnails follow. The probe keeps running
   * while they come in. */
  g_timeout_add_full (G_PRIORITY_DEFAULT, ADD_SOURCES_USEC / 1000, flag_cb, &bench->done, NULL);

  return TRUE;
}

/* scroll-history */

/* The first descendant, depth first, for which @matches is TRUE. */
static GtkWidget *
find_descendant_matching (GtkWidget *widget,
                          gboolean (*matches) (GtkWidget *widget, gconstpointer data),
                          gconstpointer data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (matches (child, data))
        return child;
      found = find_descendant_matching (child, matches, data);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, (GType) GPOINTER_TO_SIZE (data));
}

static gboolean
has_class (GtkWidget     *widget,
           gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, data);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  return find_descendant_matching (widget, is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  Bench *bench = user_data;
  GtkAdjustment *adj = bench->adjustment;
  double bottom = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
  double value = gtk_adjustment_get_value (adj);

  if (value >= bottom - 0.5)
    {
      bench->done = TRUE;
      bench->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  gtk_adjustment_set_value (adj, MIN (bottom, value + 2 * gtk_adjustment_get_page_size (adj)));

  return G_SOURCE_CONTINUE;
}

static gboolean
prepare_scroll_history (Bench *bench)
{
  GtkWidget *stack = find_descendant (GTK_WIDGET (bench->window), ADW_TYPE_VIEW_STACK);
  GtkWidget *history_view;
  GtkWidget *list;
  GtkWidget *scrolled;
  SeedreamHistoryModel *model;

  if (stack == NULL)
    {
      g_printerr ("bench-stalls: no view stack in the window\n");
      return FALSE;
    }
  /* scroll-history FILTER: History opens with that filter on (its
   * setting, as a person left it), found before the scrolling starts. */
  if (bench->argc > 0)
    g_settings_set_string (seedream_application_get_settings (bench->app), "history-filter", bench->argv[0]);

  /* The window builds the History page when it is first shown. */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "history");

  history_view = find_descendant (GTK_WIDGET (bench->window), SEEDREAM_TYPE_HISTORY_VIEW);
  if (history_view == NULL)
    {
      g_printerr ("bench-stalls: no history view in the window\n");
      return FALSE;
    }

  /* By its style class: the History list is not the page's first list
   * (its filter drop-downs hold lists of their own). */
  list = find_descendant_matching (history_view, has_class, "history-list");
  scrolled = list != NULL ? gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW) : NULL;
  if (scrolled == NULL)
    {
      g_printerr ("bench-stalls: no scrolled History list in the history view\n");
      return FALSE;
    }
  bench->adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  model = seedream_history_view_get_history_model (SEEDREAM_HISTORY_VIEW (history_view));
  while (model != NULL && seedream_history_model_get_finding (model))
    g_main_context_iteration (NULL, TRUE);

  return TRUE;
}

static gboolean
start_scroll_history (Bench *bench)
{
  /* A list that does not scroll would measure nothing, and look fast. */
  if (gtk_adjustment_get_upper (bench->adjustment) <= gtk_adjustment_get_page_size (bench->adjustment))
    {
      g_printerr ("bench-stalls: the History list has nothing to scroll (%.0f px in a page of %.0f)\n",
                  gtk_adjustment_get_upper (bench->adjustment), gtk_adjustment_get_page_size (bench->adjustment));
      return FALSE;
    }
  bench->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (bench->window), scroll_tick_cb,
                                                 bench, NULL);
  return TRUE;
}

/* thumbnails */

static void
thumbnail_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = seedream_thumbnail_load_finish (result, &error);

  if (texture == NULL)
    {
      g_printerr ("bench-stalls: thumbnail: %s\n", error->message);
      bench->status = 1;
    }
  if (--bench->pending == 0)
    bench->done = TRUE;
}

static gboolean
start_thumbnails (Bench *bench)
{
  if (bench->argc < 1)
    return FALSE;

  bench->pending = (guint) bench->argc;
  for (int i = 0; i < bench->argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (bench->argv[i]);

      seedream_thumbnail_load_async (file, RESULT_THUMB_SIZE, SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS, NULL, thumbnail_done_cb, bench);
    }

  return TRUE;
}

/* compare */

static void
compare_loaded_cb (SeedreamCompareView *view,
                   GParamSpec          *pspec,
                   Bench               *bench)
{
  if (!seedream_compare_view_get_loaded (view))
    return;

  /* The frames that first draw the decoded images come after this. */
  g_timeout_add_full (G_PRIORITY_DEFAULT, COMPARE_AFTER_USEC / 1000, flag_cb, &bench->done, NULL);
}

static gboolean
start_compare (Bench *bench)
{
  g_autoptr(GListStore) items = g_list_store_new (SEEDREAM_TYPE_COMPARE_ITEM);
  SeedreamCompareView *view;

  if (bench->argc < 2)
    return FALSE;

  for (int i = 0; i < bench->argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (bench->argv[i]);
      g_autofree char *prompt = g_strdup_printf ("benchmark image %d", i + 1);
      g_autoptr(SeedreamCompareItem) item = NULL;
      int width = 0, height = 0;

      /* The app's items have their pixel size, from the history. */
      gdk_pixbuf_get_file_info (bench->argv[i], &width, &height);
      item = seedream_compare_item_new (file, prompt, NULL, (guint) MAX (width, 0), (guint) MAX (height, 0));

      g_list_store_append (items, item);
    }

  view = seedream_compare_view_new (G_LIST_MODEL (items));
  frame_trace.view = view;
  g_signal_connect (view, "notify::loaded", G_CALLBACK (compare_loaded_cb), bench);
  adw_dialog_present (ADW_DIALOG (view), GTK_WIDGET (bench->window));

  return TRUE;
}

/* dialog: what presenting any dialog of that size costs (GTK's and
 * libadwaita's first styling, layout and shaders), without our content. */

static void
dialog_mapped_cb (GtkWidget *dialog,
                  Bench     *bench)
{
  g_timeout_add_full (G_PRIORITY_DEFAULT, COMPARE_AFTER_USEC / 1000, flag_cb, &bench->done, NULL);
}

static gboolean
start_dialog (Bench *bench)
{
  AdwDialog *dialog = adw_dialog_new ();
  GtkWidget *toolbar = adw_toolbar_view_new ();

  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar), adw_header_bar_new ());
  adw_dialog_set_child (dialog, toolbar);
  adw_dialog_set_title (dialog, "Compare Images");
  /* The compare view's content size (seedream-compare-view.ui). */
  adw_dialog_set_content_width (dialog, 1200);
  adw_dialog_set_content_height (dialog, 800);
  g_signal_connect (dialog, "map", G_CALLBACK (dialog_mapped_cb), bench);
  adw_dialog_present (dialog, GTK_WIDGET (bench->window));

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  gboolean (*start) (Bench *) = NULL;
  gint64 started;

  if (argc < 2)
    {
      g_printerr ("usage: bench-stalls upload|add-sources|scroll-history|thumbnails|compare|dialog ARGS...\n");
      return 2;
    }
  bench.scenario = argv[1];
  bench.argv = argv + 2;
  bench.argc = argc - 2;
  if (strcmp (bench.scenario, "upload") == 0)
    start = start_upload;
  else if (strcmp (bench.scenario, "add-sources") == 0)
    start = start_add_sources;
  else if (strcmp (bench.scenario, "scroll-history") == 0)
    start = start_scroll_history;
  else if (strcmp (bench.scenario, "thumbnails") == 0)
    start = start_thumbnails;
  else if (strcmp (bench.scenario, "compare") == 0)
    start = start_compare;
  else if (strcmp (bench.scenario, "dialog") == 0)
    start = start_dialog;
  else
    {
      g_printerr ("bench-stalls: unknown scenario %s\n", bench.scenario);
      return 2;
    }

  gtk_init ();
  adw_init ();

  bench.app = seedream_application_new ();
  if (!g_application_register (G_APPLICATION (bench.app), NULL, NULL))
    return 1;
  g_application_activate (G_APPLICATION (bench.app));
  bench.window = SEEDREAM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (bench.app)));
  if (bench.window == NULL)
    return 1;
  while (!gtk_widget_get_mapped (GTK_WIDGET (bench.window)))
    g_main_context_iteration (NULL, TRUE);

  if (strcmp (bench.scenario, "scroll-history") == 0 && !prepare_scroll_history (&bench))
    return 1;
  settle ();

  probe_start (&bench.probe);
  run_for (IDLE_USEC);
  probe_stop_and_print (&bench.probe, "idle", IDLE_USEC);

  probe_start (&bench.probe);
  started = g_get_monotonic_time ();
  if (g_strcmp0 (g_getenv ("SEEDREAM_BENCH_STALLS_TRACE"), "1") == 0)
    {
      bench.probe.trace_start = started;
      trace_frames (&bench.probe, GTK_WIDGET (bench.window));
    }
  if (!start (&bench))
    return 1;
  while (!bench.done)
    g_main_context_iteration (NULL, TRUE);
  probe_stop_and_print (&bench.probe, "load", g_get_monotonic_time () - started);
  bench.probe.trace_start = 0;
  frame_trace.view = NULL;

  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_object_unref (bench.app);

  return bench.status;
}
