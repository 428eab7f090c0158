/* test-first-frame.c: what the main window builds for its first frame, and
 * what it leaves until it is needed. The main menu's popover is built when
 * the menu first opens; a source image tile is its picture and its remove
 * button, with no layers in between, and still looks and works the same
 * (the button in the top right corner, over the picture, picked first).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "seedream-application.h"
#include "seedream-source-thumbnail.h"
#include "seedream-window.h"

/* The tile's side and the remove button's margins (seedream-source-thumbnail.c). */
#define TILE_SIZE 96
#define BUTTON_MARGIN 4

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @widget is mapped and allocated, or 10 s. */
static gboolean
wait_until_allocated (GtkWidget *widget)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (10, timed_out_cb, &timed_out);

  while ((!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

/* The window's primary menu button (the one F10 opens), or NULL. */
static GtkMenuButton *
find_primary_menu_button (GtkWidget *root)
{
  if (GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (root)))
    return GTK_MENU_BUTTON (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_primary_menu_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static char *
menu_item_action (GMenuModel *model,
                  int         section,
                  int         item)
{
  g_autoptr(GMenuModel) items = g_menu_model_get_item_link (model, section, G_MENU_LINK_SECTION);
  char *action = NULL;

  g_assert_nonnull (items);
  g_assert_true (g_menu_model_get_item_attribute (items, item, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  return action;
}

/* One application per process: a second one could not own the bus name. */
static SeedreamApplication *app;

static void
test_first_frame_main_menu_on_demand (void)
{
  GtkWidget *window;
  GtkMenuButton *button;
  GtkWidget *popover;
  GMenuModel *model;
  g_autofree char *first_action = NULL;
  g_autofree char *last_action = NULL;

  /* With a key, the window shows the form (no setup page). */
  g_setenv ("SEEDREAM_API_KEY", "sk-test-first-frame-0123456789", TRUE);

  window = GTK_WIDGET (seedream_window_new (app));
  button = find_primary_menu_button (window);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Main Menu");

  /* Shown, usable, but no popover built for it yet. */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until_allocated (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_assert_null (gtk_menu_button_get_popover (button));
  g_assert_null (gtk_menu_button_get_menu_model (button));

  /* Opening it builds the menu: Preferences, Keyboard Shortcuts, About. */
  gtk_menu_button_popup (button);
  model = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (model);
  g_assert_cmpint (g_menu_model_get_n_items (model), ==, 1);
  first_action = menu_item_action (model, 0, 0);
  last_action = menu_item_action (model, 0, 2);
  g_assert_cmpstr (first_action, ==, "app.preferences");
  g_assert_cmpstr (last_action, ==, "app.about");
  popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  g_assert_true (gtk_widget_get_visible (popover));

  /* Built once: opening it again shows the same popover. */
  gtk_menu_button_popdown (button);
  g_assert_false (gtk_widget_get_visible (popover));
  gtk_menu_button_popup (button);
  g_assert_true (GTK_WIDGET (gtk_menu_button_get_popover (button)) == popover);
  g_assert_true (gtk_menu_button_get_menu_model (button) == model);
  g_assert_true (gtk_widget_get_visible (popover));
  gtk_menu_button_popdown (button);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("SEEDREAM_API_KEY");
}

static void
test_first_frame_source_tile (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/first-frame-tile.png");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *tile = seedream_source_thumbnail_new (file);
  GtkWidget *picture, *button, *picked;
  graphene_rect_t bounds;

  gtk_widget_set_halign (tile, GTK_ALIGN_START);
  gtk_widget_set_valign (tile, GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (window), tile);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until_allocated (tile));

  /* Two children, no layers in between: the picture, then the button. */
  picture = gtk_widget_get_first_child (tile);
  g_assert_true (GTK_IS_PICTURE (picture));
  button = gtk_widget_get_next_sibling (picture);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_null (gtk_widget_get_next_sibling (button));
  g_assert_cmpstr (gtk_picture_get_alternative_text (GTK_PICTURE (picture)), ==, "first-frame-tile.png");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Remove first-frame-tile.png");

  /* A square tile, the picture filling it. */
  g_assert_cmpint (gtk_widget_get_width (tile), ==, TILE_SIZE);
  g_assert_cmpint (gtk_widget_get_height (tile), ==, TILE_SIZE);
  g_assert_true (gtk_widget_compute_bounds (picture, tile, &bounds));
  g_assert_cmpfloat (bounds.origin.x, ==, 0);
  g_assert_cmpfloat (bounds.origin.y, ==, 0);
  g_assert_cmpfloat (bounds.size.width, ==, TILE_SIZE);
  g_assert_cmpfloat (bounds.size.height, ==, TILE_SIZE);

  /* The button at its own size in the top right corner, inside the margins. */
  g_assert_true (gtk_widget_compute_bounds (button, tile, &bounds));
  g_assert_cmpfloat (bounds.size.width, <, TILE_SIZE / 2);
  g_assert_cmpfloat (bounds.size.height, <, TILE_SIZE / 2);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, ==, TILE_SIZE - BUTTON_MARGIN);
  g_assert_cmpfloat (bounds.origin.y, ==, BUTTON_MARGIN);

  /* Over the picture: a click there reaches the button, elsewhere the picture. */
  picked = gtk_widget_pick (tile, bounds.origin.x + bounds.size.width / 2,
                            bounds.origin.y + bounds.size.height / 2, GTK_PICK_DEFAULT);
  g_assert_true (picked == button || gtk_widget_is_ancestor (picked, button));
  picked = gtk_widget_pick (tile, 8, TILE_SIZE - 8, GTK_PICK_DEFAULT);
  g_assert_true (picked == picture);

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

  g_test_add_func ("/seedream/first-frame/main-menu-on-demand", test_first_frame_main_menu_on_demand);
  g_test_add_func ("/seedream/first-frame/source-tile", test_first_frame_source_tile);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
