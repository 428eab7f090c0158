/* test-window.c: the real main window maps, has a title, keeps its size,
 * shows the form at once and builds its other pages only when needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "seedream-application.h"
#include "seedream-history-view.h"
#include "seedream-setup-page.h"
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

/* The first widget of @type under @root (depth first), or NULL. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Iterates the main loop until a widget of @type is under @root, or 10 s. */
static GtkWidget *
wait_for_widget (GtkWidget *root,
                 GType      type)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (10, timed_out_cb, &timed_out);
  GtkWidget *found;

  while ((found = find_widget (root, type)) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return found;
}

static gboolean
wait_until_sensitive (GtkWidget *widget)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (10, timed_out_cb, &timed_out);

  while (!gtk_widget_get_sensitive (widget) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return gtk_widget_get_sensitive (widget);
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

/* With a key, the first frame is the form itself (no loading page), and
 * neither the setup page nor the History page is built for it. Generate
 * waits until the key has been read. */
static void
test_window_form_first_pages_on_demand (void)
{
  GtkWidget *window;
  GtkWidget *generate;
  GtkWidget *text_view;
  AdwViewStack *content_stack;
  GtkStack *main_stack;

  g_setenv ("SEEDREAM_API_KEY", "sk-test-window-0123456789", TRUE);

  window = GTK_WIDGET (seedream_window_new (app));
  main_stack = GTK_STACK (find_widget (window, GTK_TYPE_STACK));
  g_assert_nonnull (main_stack);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "main");
  g_assert_null (find_widget (window, SEEDREAM_TYPE_SETUP_PAGE));
  g_assert_null (find_widget (window, SEEDREAM_TYPE_HISTORY_VIEW));

  text_view = find_widget (window, GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (text_view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view)), "A lighthouse at dusk", -1);
  generate = find_actionable (window, "win.generate");
  g_assert_nonnull (generate);
  /* The key is read asynchronously: not yet. */
  g_assert_false (gtk_widget_get_sensitive (generate));

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until_mapped (window));
  g_assert_true (wait_until_sensitive (generate));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "main");
  g_assert_null (find_widget (window, SEEDREAM_TYPE_SETUP_PAGE));
  g_assert_null (find_widget (window, SEEDREAM_TYPE_HISTORY_VIEW));

  /* Opening the History page builds it. */
  content_stack = ADW_VIEW_STACK (find_widget (window, ADW_TYPE_VIEW_STACK));
  g_assert_nonnull (content_stack);
  adw_view_stack_set_visible_child_name (content_stack, "history");
  g_assert_nonnull (find_widget (window, SEEDREAM_TYPE_HISTORY_VIEW));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("SEEDREAM_API_KEY");
}

/* Without a key (no variable, no keyring here), the setup page is built
 * and shown, and Generate stays off. */
static void
test_window_setup_page_without_key (void)
{
  GtkWidget *window;
  GtkWidget *setup_page;
  GtkStack *main_stack;

  g_unsetenv ("SEEDREAM_API_KEY");

  window = GTK_WIDGET (seedream_window_new (app));
  gtk_window_present (GTK_WINDOW (window));
  setup_page = wait_for_widget (window, SEEDREAM_TYPE_SETUP_PAGE);
  g_assert_nonnull (setup_page);

  main_stack = GTK_STACK (find_widget (window, GTK_TYPE_STACK));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "setup");
  g_assert_true (gtk_stack_get_visible_child (main_stack) == setup_page);
  g_assert_cmpstr (seedream_setup_page_get_key (SEEDREAM_SETUP_PAGE (setup_page)), ==, "");
  g_assert_false (gtk_widget_get_sensitive (find_actionable (window, "win.generate")));

  gtk_window_destroy (GTK_WINDOW (window));
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
  g_test_add_func ("/seedream/window/form-first-pages-on-demand", test_window_form_first_pages_on_demand);
  g_test_add_func ("/seedream/window/setup-page-without-key", test_window_setup_page_without_key);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
