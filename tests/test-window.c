/* test-window.c: the real main window maps, has a title, and keeps its size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "seedream-application.h"
#include "seedream-window.h"

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @widget is mapped or 10 s have passed. */
static gboolean
wait_until_mapped (GtkWidget *widget)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (10, timed_out_cb, &timed_out);

  while (!gtk_widget_get_mapped (widget) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return gtk_widget_get_mapped (widget);
}

/* One application per process: a second one could not own the bus name. */
static SeedreamApplication *app;

static void
test_window_maps_with_title (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (SEEDREAM_IS_WINDOW (window));
  g_assert_true (wait_until_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Seedream Studio");
  g_assert_true (gtk_widget_get_realized (GTK_WIDGET (window)));

  gtk_window_destroy (window);
}

static void
test_window_restores_and_saves_size (void)
{
  GSettings *settings = seedream_application_get_settings (app);
  GtkWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = GTK_WINDOW (seedream_window_new (app));
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  gtk_window_present (window);
  g_assert_true (wait_until_mapped (GTK_WIDGET (window)));

  /* A new size is written back when the window closes. */
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_close (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = seedream_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/seedream/window/maps-with-title", test_window_maps_with_title);
  g_test_add_func ("/seedream/window/restores-and-saves-size", test_window_restores_and_saves_size);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
