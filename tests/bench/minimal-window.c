/* minimal-window.c: the start-up benchmark's reference.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A minimal AdwApplication that opens an empty AdwApplicationWindow holding
 * an AdwToolbarView with an AdwHeaderBar, the way the app opens its main
 * window (activate, then present), with the same hook as
 * src/seedream-application.c: with SEEDREAM_BENCH_EXIT_AFTER_FIRST_FRAME=1,
 * the first after-paint of the window's frame clock prints
 * "SEEDREAM_BENCH_FIRST_FRAME <g_get_monotonic_time() in µs>" to stderr and
 * quits. tests/bench/run-benchmarks.py runs it alternately with the app.
 */

#define G_LOG_DOMAIN "minimal-window"

#include "config.h"

#include <adwaita.h>

static void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  GApplication *app = user_data;

  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, user_data);
  g_printerr ("SEEDREAM_BENCH_FIRST_FRAME %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_application_quit (app);
}

static void
realize_cb (GtkWidget *window,
            gpointer   user_data)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (after_paint_cb), user_data, G_CONNECT_DEFAULT);
}

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *toolbar_view = adw_toolbar_view_new ();

  gtk_window_set_title (GTK_WINDOW (window), "Minimal");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar_view), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), toolbar_view);

  if (g_strcmp0 (g_getenv ("SEEDREAM_BENCH_EXIT_AFTER_FIRST_FRAME"), "1") == 0)
    g_signal_connect_object (window, "realize", G_CALLBACK (realize_cb), app, G_CONNECT_DEFAULT);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.seedreamstudio.BenchMinimalWindow",
                             G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
