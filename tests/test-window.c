/* test-window.c: the real main window maps, has a title, keeps its size,
 * shows the form at once and builds its other pages, and its menu, only
 * when needed; its source image tiles have no layers they do not need.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "seedream-application.h"
#include "seedream-chain-dialog.h"
#include "seedream-compare-slider.h"
#include "seedream-compare-view.h"
#include "seedream-result-thumbnail.h"
#include "seedream-compose-view.h"
#include "seedream-data-lock.h"
#include "seedream-delete-dialog.h"
#include "seedream-history.h"
#include "seedream-history-model.h"
#include "seedream-history-view.h"
#include "seedream-setup-page.h"
#include "seedream-source-thumbnail.h"
#include "seedream-window.h"
#include "seedream-test-util.h"

static gboolean
is_mapped (gconstpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

static gboolean
is_allocated (gconstpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget)) && gtk_widget_get_width (GTK_WIDGET (widget)) > 0;
}

static gboolean
is_sensitive (gconstpointer widget)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (widget));
}

typedef gboolean (*Match) (GtkWidget *widget, gconstpointer data);

/* The first widget under @root (depth first) that @match accepts, or NULL. */
static GtkWidget *
find_widget_matching (GtkWidget     *root,
                      Match          match,
                      gconstpointer  data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_matching (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) type);
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action_name)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

/* The primary menu button is the one F10 opens. */
static gboolean
is_primary_menu_button (GtkWidget     *widget,
                        gconstpointer  unused)
{
  return GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget));
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  return find_widget_matching (root, is_of_type, &type);
}

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  return find_widget_matching (root, has_action, action_name);
}

typedef struct
{
  GtkWidget *root;
  GType      type;
} WidgetOfType;

static gboolean
has_widget_of_type (gconstpointer data)
{
  const WidgetOfType *wanted = data;

  return find_widget (wanted->root, wanted->type) != NULL;
}

/* Iterates the main loop until a widget of @type is under @root, or 10 s. */
static GtkWidget *
wait_for_widget (GtkWidget *root,
                 GType      type)
{
  WidgetOfType wanted = { root, type };

  seedream_test_wait_until ((SeedreamTestCondition) has_widget_of_type, &wanted, 10);

  return find_widget (root, type);
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

/* The tile's side and the remove button's margins (seedream-source-thumbnail.c). */
#define TILE_SIZE 96
#define BUTTON_MARGIN 4

/* One application per process: a second one could not own the bus name. */
static SeedreamApplication *app;

static void
test_window_maps_with_title (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (SEEDREAM_IS_WINDOW (window));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_mapped, window, 10));
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
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_mapped, window, 10));

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
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_mapped, window, 10));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_sensitive, generate, 10));
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

/* The main menu's popover is built when the menu first opens. */
static void
test_window_main_menu_on_demand (void)
{
  GtkWidget *window;
  GtkMenuButton *button;
  GtkWidget *popover;
  GMenuModel *model;
  g_autofree char *first_action = NULL;
  g_autofree char *last_action = NULL;

  /* With a key, the window shows the form (no setup page). */
  g_setenv ("SEEDREAM_API_KEY", "sk-test-window-0123456789", TRUE);

  window = GTK_WIDGET (seedream_window_new (app));
  button = GTK_MENU_BUTTON (find_widget_matching (window, is_primary_menu_button, NULL));
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Main Menu");

  /* Shown, usable, but no popover built for it yet. */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_allocated, window, 10));
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

/* A source image tile is its picture and its remove button, with no
 * layers in between, and still looks and works the same (the button in
 * the top right corner, over the picture, picked first). */
static void
test_window_source_tile (void)
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
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_allocated, tile, 10));

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

  /* Shown, with their tooltips (given while they were still hidden). */
  g_assert_true (gtk_widget_get_visible (tile));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (tile), ==, "first-frame-tile.png");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Remove first-frame-tile.png");

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

/* "Use as Source" on a result or in the preview is the window's action:
 * the image joins the form's sources. */
static void
test_window_use_as_source_action (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seedream-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "result-1.png", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "draft.ini", NULL);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint8 data[16 * 16 * 4];
  GtkWidget *window;
  GtkWidget *tile;

  memset (data, 0x80, sizeof data);
  pixels = g_bytes_new (data, sizeof data);
  texture = gdk_memory_texture_new (16, 16, GDK_MEMORY_R8G8B8A8, pixels, 16 * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  g_setenv ("SEEDREAM_API_KEY", "sk-test-window-0123456789", TRUE);
  window = GTK_WIDGET (seedream_window_new (app));
  seedream_window_set_draft_file (SEEDREAM_WINDOW (window), draft_file);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_mapped, window, 10));
  g_assert_null (find_widget (window, SEEDREAM_TYPE_SOURCE_THUMBNAIL));

  g_assert_true (gtk_widget_activate_action (window, SEEDREAM_WINDOW_USE_AS_SOURCE_ACTION, "s", uri));
  tile = wait_for_widget (window, SEEDREAM_TYPE_SOURCE_THUMBNAIL);
  g_assert_nonnull (tile);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (tile), ==, "result-1.png");

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("SEEDREAM_API_KEY");
  g_unlink (draft_path);
  g_unlink (path);
  g_rmdir (dir);
}

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_two_sources (gconstpointer request)
{
  return g_list_model_get_n_items (seedream_request_get_source_files ((SeedreamRequest *) request)) == 2;
}

/* A window on a session of its own over @data_dir, mapped. */
static GtkWidget *
open_window_on (GFile            *data_dir,
                GFile            *draft_file,
                SeedreamSession **session)
{
  GtkWidget *window;

  g_setenv ("SEEDREAM_API_KEY", "sk-test-window-0123456789", TRUE);
  *session = seedream_session_new (data_dir, seedream_application_get_settings (app));
  window = GTK_WIDGET (seedream_window_new_for_session (app, *session));
  seedream_window_set_draft_file (SEEDREAM_WINDOW (window), draft_file);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_mapped, window, 10));

  return window;
}

/* Writes a finished row with one result (@result_path, as result 1) made
 * from @source_of_parent's result 1 (0: none); returns its id. */
static gint64
add_row (SeedreamHistory *history,
         const char      *prompt,
         const char      *task_id,
         const char      *result_path,
         const char      *source_path,
         gint64           parent_id)
{
  g_autoptr(SeedreamRequest) asked = seedream_request_new ();
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  seedream_request_set_prompt (asked, prompt);
  if (source_path != NULL)
    {
      g_autoptr(GFile) source = g_file_new_for_path (source_path);

      g_assert_true (seedream_request_add_source_file (asked, source));
      g_assert_true (seedream_request_set_source_parent (asked, source, parent_id, 1));
    }
  seedream_history_add_submission_async (history, asked, NULL, added_cb, &added);
  while (added == NULL)
    g_main_context_iteration (NULL, TRUE);
  id = seedream_history_add_submission_finish (history, added, &error);
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_submitted (history, id, task_id, &error));
  g_assert_no_error (error);
  if (result_path != NULL)
    g_assert_true (seedream_history_set_result (history, id, 1, "https://example.invalid/1.png",
                                                result_path, 8, 8, &error));
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, &error));
  g_assert_no_error (error);

  return id;
}

static gboolean
has_chain_dialog (gconstpointer window)
{
  return SEEDREAM_IS_CHAIN_DIALOG (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW ((gpointer) window)));
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  GtkWidget *child = GTK_IS_BUTTON (widget) ? gtk_button_get_child (GTK_BUTTON (widget)) : NULL;

  return GTK_IS_LABEL (child) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), data) == 0;
}

/* A row made from a result says "From: <the parent's prompt>"; following
 * it shows the parent's chain, and the chain shows the row's ancestors and
 * children in order. */
static void
test_window_chain_shown_and_followed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seedream-window-XXXXXX", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "draft.ini", NULL);
  g_autofree char *source = g_build_filename (dir, "pretend.png", NULL);
  g_autoptr(GFile) data_dir = g_file_new_for_path (dir);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(SeedreamSession) session = NULL;
  g_autoptr(GError) error = NULL;
  SeedreamChainDialog *dialog;
  GtkWidget *window, *from;
  gint64 root, child, grandchild;

  g_assert_true (g_file_set_contents (source, "\x89PNG\r\n\x1a\n pretend", -1, NULL));
  {
    g_autoptr(SeedreamHistory) history = seedream_history_new (data_dir, &error);

    g_assert_no_error (error);
    root = add_row (history, "a red kite", "task-a", NULL, NULL, 0);
    child = add_row (history, "a red kite over the sea", "task-b", NULL, source, root);
    grandchild = add_row (history, "a red kite in the rain", "task-c", NULL, source, child);
  }

  window = open_window_on (data_dir, draft_file, &session);

  g_assert_true (gtk_widget_activate_action (window, SEEDREAM_WINDOW_SHOW_CHAIN_ACTION, "x", child));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) has_chain_dialog, window, 10));
  dialog = SEEDREAM_CHAIN_DIALOG (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  {
    GListModel *chain = G_LIST_MODEL (seedream_chain_dialog_get_chain (dialog));
    g_autoptr(SeedreamHistoryEntry) first = g_list_model_get_item (chain, 0);
    g_autoptr(SeedreamHistoryEntry) last = g_list_model_get_item (chain, 2);

    g_assert_cmpuint (g_list_model_get_n_items (chain), ==, 3);
    g_assert_cmpint (seedream_history_entry_get_id (first), ==, root);
    g_assert_cmpint (seedream_history_entry_get_id (last), ==, grandchild);
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (gtk_list_box_get_row_at_index (seedream_chain_dialog_get_list (dialog), 1)),
                                             "chain-focus"));
  }

  /* The child's row links to its parent, by the parent's prompt. */
  from = find_widget_matching (GTK_WIDGET (gtk_list_box_get_row_at_index (seedream_chain_dialog_get_list (dialog), 1)),
                               is_button_labelled, "From: a red kite");
  g_assert_nonnull (from);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (from)), ==, SEEDREAM_WINDOW_SHOW_CHAIN_ACTION);
  g_signal_emit_by_name (from, "clicked");
  g_assert_true (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)) != ADW_DIALOG (dialog));
  g_assert_true (has_chain_dialog (window));
  dialog = SEEDREAM_CHAIN_DIALOG (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  g_assert_cmpint (seedream_history_entry_get_id (seedream_history_chain_get_entry (seedream_chain_dialog_get_chain (dialog))),
                   ==, root);
  /* The root has no ancestors: it comes first, then its one child. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (seedream_chain_dialog_get_chain (dialog))), ==, 2);
  g_assert_cmpuint (seedream_history_chain_get_focus (seedream_chain_dialog_get_chain (dialog)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_unsetenv ("SEEDREAM_API_KEY");
  seedream_test_remove_tree (dir);
}

/* Writes an 8 × 8 grey PNG to @path. */
static void
save_grey_png (const char *path)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) pixels = NULL;
  guint8 data[8 * 8 * 4];

  memset (data, 0xa0, sizeof data);
  pixels = g_bytes_new (data, sizeof data);
  texture = gdk_memory_texture_new (8, 8, GDK_MEMORY_R8G8B8A8, pixels, 8 * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static gboolean
has_compare_view (gconstpointer window)
{
  return SEEDREAM_IS_COMPARE_VIEW (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW ((gpointer) window)));
}

/* Images picked on two task rows (flow boxes) are compared in the order
 * they were picked; a fifth is refused, unpicking keeps the order, and the
 * tiles show what is picked. Compare With Source puts a result beside its
 * source on the slider. */
static void
test_window_compare_across_rows (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seedream-window-XXXXXX", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "draft.ini", NULL);
  g_autofree char *results = g_build_filename (dir, "results", "task-child", NULL);
  g_autofree char *source = g_build_filename (dir, "source.png", NULL);
  g_autofree char *child_result = g_build_filename (results, "1.png", NULL);
  g_autoptr(GFile) data_dir = g_file_new_for_path (dir);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(SeedreamSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *tiles[5];
  GtkWidget *window, *rows, *dialog;
  SeedreamCompareSelection *selection;
  SeedreamCompareView *view;
  const guint order[] = { 3, 0, 4, 1 };

  g_assert_cmpint (g_mkdir_with_parents (results, 0700), ==, 0);
  save_grey_png (source);
  save_grey_png (child_result);
  {
    g_autoptr(SeedreamHistory) history = seedream_history_new (data_dir, &error);

    g_assert_no_error (error);
    add_row (history, "a kite from a photo", "task-child", child_result, source, 0);
  }

  window = open_window_on (data_dir, draft_file, &session);
  selection = seedream_window_get_compare_selection (SEEDREAM_WINDOW (window));

  /* Two rows of tiles, as two tasks' rows hold them, inside the window. */
  rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      g_autofree char *name = g_strdup_printf ("tile-%u.png", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      GtkWidget *box;

      save_grey_png (path);
      if (i == 0 || i == 3)
        gtk_box_append (GTK_BOX (rows), gtk_flow_box_new ());
      box = gtk_widget_get_last_child (rows);
      tiles[i] = seedream_result_thumbnail_new (file, i % 3, 3);
      gtk_flow_box_append (GTK_FLOW_BOX (box), tiles[i]);
    }
  dialog = GTK_WIDGET (adw_dialog_new ());
  adw_dialog_set_child (ADW_DIALOG (dialog), rows);
  adw_dialog_present (ADW_DIALOG (dialog), window);

  /* Nothing picked: Compare opens nothing. */
  gtk_widget_activate_action (window, "win.compare", NULL);
  g_assert_false (has_compare_view (window));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_true (gtk_widget_activate_action (tiles[order[i]], "result.pick-for-compare", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(SeedreamCompareItem) item = g_list_model_get_item (G_LIST_MODEL (selection), i);
      gboolean picked;

      g_assert_true (g_file_equal (seedream_compare_item_get_file (item),
                                   seedream_result_thumbnail_get_file (SEEDREAM_RESULT_THUMBNAIL (tiles[order[i]]))));
      g_object_get (tiles[order[i]], "compare-selected", &picked, NULL);
      g_assert_true (picked);
    }

  /* A fifth is refused; the tile stays unpicked. */
  g_assert_true (gtk_widget_activate_action (tiles[2], "result.pick-for-compare", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 4);
  {
    gboolean picked;

    g_object_get (tiles[2], "compare-selected", &picked, NULL);
    g_assert_false (picked);
  }

  /* Unpicking the second keeps the others in order. */
  g_assert_true (gtk_widget_activate_action (tiles[0], "result.pick-for-compare", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 3);

  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) has_compare_view, window, 10));
  view = SEEDREAM_COMPARE_VIEW (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  g_assert_cmpuint (seedream_compare_view_get_n_items (view), ==, 3);
  g_assert_cmpstr (seedream_compare_item_get_prompt (seedream_compare_view_get_item (view, 0)), ==, "tile-3.png");
  g_assert_cmpstr (seedream_compare_item_get_prompt (seedream_compare_view_get_item (view, 1)), ==, "tile-4.png");
  g_assert_cmpstr (seedream_compare_item_get_prompt (seedream_compare_view_get_item (view, 2)), ==, "tile-1.png");
  adw_dialog_force_close (ADW_DIALOG (view));

  g_assert_true (gtk_widget_activate_action (window, "win.compare-clear", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 0);

  /* A result made from a source: the slider, source first. */
  {
    g_autoptr(GFile) result = g_file_new_for_path (child_result);
    g_autofree char *uri = g_file_get_uri (result);

    g_assert_true (gtk_widget_activate_action (window, SEEDREAM_WINDOW_COMPARE_WITH_SOURCE_ACTION, "s", uri));
    g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) has_compare_view, window, 10));
    view = SEEDREAM_COMPARE_VIEW (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
    g_assert_true (seedream_compare_view_get_slider_shown (view));
    g_assert_cmpstr (seedream_compare_item_get_prompt (seedream_compare_view_get_item (view, 0)), ==, "Source image");
    g_assert_cmpstr (seedream_compare_item_get_prompt (seedream_compare_view_get_item (view, 1)), ==, "a kite from a photo");
    g_assert_true (g_file_equal (seedream_compare_item_get_file (seedream_compare_view_get_item (view, 1)), result));
    adw_dialog_force_close (ADW_DIALOG (view));
  }

  adw_dialog_force_close (ADW_DIALOG (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_unsetenv ("SEEDREAM_API_KEY");
  seedream_test_remove_tree (dir);
}

static gboolean
is_history_strip_item (GtkWidget     *widget,
                       gconstpointer  unused)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "history-thumbnail-button");
}

static gboolean
has_history_strip_item (gconstpointer window)
{
  return find_widget_matching (GTK_WIDGET ((gpointer) window), is_history_strip_item, NULL) != NULL;
}

static gboolean
is_compare_mark (GtkWidget     *widget,
                 gconstpointer  unused)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_has_css_class (widget, "compare-picked");
}

static gboolean
tile_is_picked (GtkWidget *tile)
{
  gboolean picked;

  g_object_get (tile, "compare-selected", &picked, NULL);
  return picked;
}

static gboolean
has_two_picked (gconstpointer selection)
{
  return g_list_model_get_n_items (G_LIST_MODEL ((gpointer) selection)) == 2;
}

/* An image picked on a task row and one picked in History go into the one
 * selection, in the order picked; the same file shown on a task row and in
 * History is picked or unpicked in both, whichever is used. */
static void
test_window_compare_from_history (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seedream-window-XXXXXX", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "draft.ini", NULL);
  g_autofree char *results = g_build_filename (dir, "results", "task-fox", NULL);
  g_autofree char *fox_path = g_build_filename (results, "1.png", NULL);
  g_autofree char *tile_path = g_build_filename (dir, "tile-a.png", NULL);
  g_autoptr(GFile) data_dir = g_file_new_for_path (dir);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(GFile) fox = g_file_new_for_path (fox_path);
  g_autoptr(GFile) tile_file = g_file_new_for_path (tile_path);
  g_autoptr(SeedreamSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window, *rows, *dialog, *tile, *fox_tile, *item, *mark;
  SeedreamCompareSelection *selection;
  SeedreamCompareView *view;
  AdwViewStack *content_stack;

  g_assert_cmpint (g_mkdir_with_parents (results, 0700), ==, 0);
  save_grey_png (fox_path);
  save_grey_png (tile_path);
  {
    g_autoptr(SeedreamHistory) history = seedream_history_new (data_dir, &error);

    g_assert_no_error (error);
    add_row (history, "a fox in the snow", "task-fox", fox_path, NULL, 0);
  }

  window = open_window_on (data_dir, draft_file, &session);
  selection = seedream_window_get_compare_selection (SEEDREAM_WINDOW (window));
  content_stack = ADW_VIEW_STACK (find_widget (window, ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (content_stack, "history");
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) has_history_strip_item, window, 10));
  item = find_widget_matching (window, is_history_strip_item, NULL);
  mark = find_widget_matching (item, is_compare_mark, NULL);
  g_assert_nonnull (mark);
  g_assert_false (gtk_widget_get_visible (mark));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (item)), ==, GTK_ACCESSIBLE_ROLE_TOGGLE_BUTTON);

  /* A task row's tiles (one of them the History row's image), in the window. */
  rows = gtk_flow_box_new ();
  tile = seedream_result_thumbnail_new (tile_file, 0, 1);
  fox_tile = seedream_result_thumbnail_new (fox, 0, 1);
  gtk_flow_box_append (GTK_FLOW_BOX (rows), tile);
  gtk_flow_box_append (GTK_FLOW_BOX (rows), fox_tile);
  dialog = GTK_WIDGET (adw_dialog_new ());
  adw_dialog_set_child (ADW_DIALOG (dialog), rows);
  adw_dialog_present (ADW_DIALOG (dialog), window);

  /* First the task row's tile, then History's image (by keyboard). */
  g_assert_true (gtk_widget_activate_action (tile, "result.pick-for-compare", NULL));
  g_assert_true (gtk_widget_activate (item));
  /* A button is activated (Enter, Space) a moment after the key. */
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) has_two_picked, selection, 10));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 2);
  g_assert_true (gtk_widget_get_visible (mark));
  g_assert_true (tile_is_picked (tile));
  g_assert_true (tile_is_picked (fox_tile));

  g_assert_true (gtk_widget_activate_action (window, "win.compare", NULL));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) has_compare_view, window, 10));
  view = SEEDREAM_COMPARE_VIEW (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  g_assert_cmpuint (seedream_compare_view_get_n_items (view), ==, 2);
  g_assert_true (g_file_equal (seedream_compare_item_get_file (seedream_compare_view_get_item (view, 0)), tile_file));
  g_assert_cmpstr (seedream_compare_item_get_prompt (seedream_compare_view_get_item (view, 1)), ==, "a fox in the snow");
  g_assert_true (g_file_equal (seedream_compare_item_get_file (seedream_compare_view_get_item (view, 1)), fox));
  adw_dialog_force_close (ADW_DIALOG (view));

  /* Unpicked on the task row: unpicked in History too. */
  g_assert_true (gtk_widget_activate_action (fox_tile, "result.pick-for-compare", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 1);
  g_assert_false (gtk_widget_get_visible (mark));
  g_assert_false (tile_is_picked (fox_tile));

  /* Picked and unpicked again in History (a click). */
  g_signal_emit_by_name (item, "clicked");
  g_assert_true (tile_is_picked (fox_tile));
  g_assert_true (gtk_widget_get_visible (mark));
  g_signal_emit_by_name (item, "clicked");
  g_assert_false (tile_is_picked (fox_tile));
  g_assert_false (gtk_widget_get_visible (mark));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 1);

  adw_dialog_force_close (ADW_DIALOG (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_unsetenv ("SEEDREAM_API_KEY");
  seedream_test_remove_tree (dir);
}

/* "Use as Source" on one of the history's results remembers which result
 * it is, in the form's request (and so in its draft); another file is a
 * source without a parent. */
static void
test_window_use_as_source_remembers_parent (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seedream-window-XXXXXX", NULL);
  g_autofree char *result_dir = g_build_filename (dir, "results", "task-parent", NULL);
  g_autofree char *result_path = g_build_filename (result_dir, "1.png", NULL);
  g_autofree char *other_path = g_build_filename (dir, "other.png", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "draft.ini", NULL);
  g_autofree char *result_uri = NULL, *other_uri = NULL;
  g_autoptr(GFile) data_dir = g_file_new_for_path (dir);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(GFile) result_file = g_file_new_for_path (result_path);
  g_autoptr(GFile) other_file = g_file_new_for_path (other_path);
  g_autoptr(SeedreamSession) session = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GError) error = NULL;
  guint8 data[8 * 8 * 4];
  SeedreamComposeView *compose;
  SeedreamRequest *request;
  GtkWidget *window;
  gint64 id = 0, entry_id;
  guint index;

  memset (data, 0x40, sizeof data);
  pixels = g_bytes_new (data, sizeof data);
  texture = gdk_memory_texture_new (8, 8, GDK_MEMORY_R8G8B8A8, pixels, 8 * 4);
  g_assert_cmpint (g_mkdir_with_parents (result_dir, 0700), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, result_path));
  g_assert_true (gdk_texture_save_to_png (texture, other_path));

  {
    g_autoptr(SeedreamHistory) history = seedream_history_new (data_dir, &error);

    g_assert_no_error (error);
    id = add_row (history, "a parent", "task-parent", result_path, NULL, 0);
  }

  window = open_window_on (data_dir, draft_file, &session);

  result_uri = g_file_get_uri (result_file);
  other_uri = g_file_get_uri (other_file);
  g_assert_true (gtk_widget_activate_action (window, SEEDREAM_WINDOW_USE_AS_SOURCE_ACTION, "s", result_uri));
  g_assert_true (gtk_widget_activate_action (window, SEEDREAM_WINDOW_USE_AS_SOURCE_ACTION, "s", other_uri));

  compose = SEEDREAM_COMPOSE_VIEW (find_widget (window, SEEDREAM_TYPE_COMPOSE_VIEW));
  request = seedream_draft_get_request (seedream_compose_view_get_draft (compose));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) has_two_sources, request, 10));
  g_assert_true (seedream_request_get_source_parent (request, result_file, &entry_id, &index));
  g_assert_cmpint (entry_id, ==, id);
  g_assert_cmpuint (index, ==, 1);
  g_assert_false (seedream_request_get_source_parent (request, other_file, NULL, NULL));

  /* What Generate sends carries it too. */
  {
    g_autoptr(SeedreamRequest) built = seedream_compose_view_build_request (compose);

    g_assert_true (seedream_request_get_source_parent (built, result_file, &entry_id, NULL));
    g_assert_cmpint (entry_id, ==, id);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  g_unsetenv ("SEEDREAM_API_KEY");
  seedream_test_remove_tree (dir);
}

static gboolean
never (gconstpointer unused)
{
  return FALSE;
}

/* A second instance on data another one holds shows the draft but must
 * not write it: the draft file is the other instance's. */
static void
test_window_locked_out_keeps_draft_alone (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seedream-window-XXXXXX", NULL);
  g_autofree char *draft_path = g_build_filename (dir, "draft.ini", NULL);
  g_autoptr(GFile) data_dir = g_file_new_for_path (dir);
  g_autoptr(GFile) draft_file = g_file_new_for_path (draft_path);
  g_autoptr(SeedreamDataLock) other = NULL;
  g_autoptr(SeedreamSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GtkWidget *prompt;

  other = seedream_data_lock_acquire (data_dir, &error);
  g_assert_no_error (error);
  session = seedream_session_new (data_dir, seedream_application_get_settings (app));
  window = GTK_WIDGET (seedream_window_new_for_session (app, session));
  g_assert_true (seedream_session_is_locked_out (session));
  seedream_window_set_draft_file (SEEDREAM_WINDOW (window), draft_file);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_mapped, window, 10));

  prompt = find_widget (window, GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (prompt);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (prompt)), "typed in the second window", -1);
  /* Well past the draft's save delay (half a second). */
  seedream_test_wait_until ((SeedreamTestCondition) never, NULL, 2);
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));

  /* Nor when the window closes, which saves a kept draft at once. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_false (g_file_test (draft_path, G_FILE_TEST_EXISTS));

  g_clear_object (&session);
  g_clear_pointer (&other, seedream_data_lock_release);
  seedream_test_remove_tree (dir);
}

typedef struct
{
  GtkWidget *view;
  guint      n_items;
} HistoryItems;

static gboolean
history_has_n_items (gconstpointer data)
{
  const HistoryItems *wanted = data;
  SeedreamHistoryModel *model = seedream_history_view_get_history_model (SEEDREAM_HISTORY_VIEW (wanted->view));

  return !seedream_history_model_get_finding (model) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == wanted->n_items;
}

static gint64
add_failed_row (SeedreamHistory *history,
                const char      *prompt)
{
  g_autoptr(GError) error = NULL;
  gint64 id = seedream_test_add_submission (history, prompt, "2K", 1);

  g_assert_true (seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_TASK_FAILED, "refused", NULL, &error));
  g_assert_no_error (error);
  return id;
}

/* Deleting from the window: the row leaves History at once, and is
 * deleted when its toast goes; Undo brings it back; a delete still
 * waiting when the window closes is not done. */
static void
test_window_delete_with_undo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seedream-window-XXXXXX", NULL);
  g_autoptr(GFile) data_dir = g_file_new_for_path (dir);
  g_autoptr(SeedreamSession) session = NULL;
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  HistoryItems wanted = { NULL, 3 };
  GtkWidget *window;
  AdwViewStack *content_stack;
  gint64 ids[3];

  history = seedream_history_new (data_dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = add_failed_row (history, "a fox that failed");
  g_clear_object (&history);

  g_setenv ("SEEDREAM_API_KEY", "sk-test-window-0123456789", TRUE);
  session = seedream_session_new (data_dir, seedream_application_get_settings (app));
  window = GTK_WIDGET (seedream_window_new_for_session (app, session));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) is_mapped, window, 10));
  content_stack = ADW_VIEW_STACK (find_widget (window, ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (content_stack, "history");
  wanted.view = find_widget (window, SEEDREAM_TYPE_HISTORY_VIEW);
  g_assert_nonnull (wanted.view);
  g_assert_nonnull (find_actionable (window, "win.ask-delete"));
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) history_has_n_items, &wanted, 10));

  /* Undone (the session's first pending delete): back, nothing deleted. */
  gtk_widget_activate_action (window, "win.delete-submissions", "(@axb)",
                              g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, &ids[0], 1, sizeof (gint64)), FALSE);
  wanted.n_items = 2;
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) history_has_n_items, &wanted, 10));
  gtk_widget_activate_action (window, "win.undo-delete", "u", 1);
  wanted.n_items = 3;
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) history_has_n_items, &wanted, 10));

  /* Left alone: deleted when the toast times out (6 s, after the first
   * toast's own 6 s: toasts take turns). */
  gtk_widget_activate_action (window, "win.delete-submissions", "(@axb)",
                              g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, &ids[1], 1, sizeof (gint64)), FALSE);
  wanted.n_items = 2;
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) history_has_n_items, &wanted, 10));
  seedream_test_wait_until ((SeedreamTestCondition) never, NULL, 14);
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) history_has_n_items, &wanted, 10));

  /* Pending when the window closes: kept. */
  gtk_widget_activate_action (window, "win.delete-submissions", "(@axb)",
                              g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, &ids[2], 1, sizeof (gint64)), FALSE);
  wanted.n_items = 1;
  g_assert_true (seedream_test_wait_until ((SeedreamTestCondition) history_has_n_items, &wanted, 10));
  gtk_window_destroy (GTK_WINDOW (window));
  seedream_test_wait_until ((SeedreamTestCondition) never, NULL, 1);
  g_clear_object (&session);

  history = seedream_history_new (data_dir, &error);
  g_assert_no_error (error);
  entry = seedream_history_lookup (history, ids[0], &error);
  g_assert_no_error (error);
  g_clear_object (&entry);
  entry = seedream_history_lookup (history, ids[1], NULL);
  g_assert_null (entry);
  entry = seedream_history_lookup (history, ids[2], &error);
  g_assert_no_error (error);
  g_clear_object (&entry);
  g_clear_object (&history);

  g_unsetenv ("SEEDREAM_API_KEY");
  seedream_test_remove_tree (dir);
}

static void
delete_activated_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GVariant **out = user_data;

  g_clear_pointer (out, g_variant_unref);
  *out = g_variant_ref (parameter);
}

/* The question before a delete: "Also delete on the server" is off each
 * time; Delete hands the ids and that choice to win.delete-submissions,
 * Cancel nothing. */
static void
test_window_delete_dialog (void)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("delete-submissions", G_VARIANT_TYPE ("(axb)"));
  g_autoptr(GVariant) got = NULL;
  /* An AdwWindow hosts its dialogs, which reach its actions (as the
   * app's window does). */
  GtkWidget *window = adw_window_new ();
  const gint64 ids[] = { 7, 3 };

  g_signal_connect (action, "activate", G_CALLBACK (delete_activated_cb), &got);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
  gtk_window_present (GTK_WINDOW (window));

  for (guint round = 0; round < 3; round++)
    {
      AdwDialog *dialog = seedream_delete_dialog_new (ids, G_N_ELEMENTS (ids), TRUE);
      GtkWidget *check;

      adw_dialog_present (dialog, window);
      check = find_widget (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);
      g_assert_nonnull (check);
      g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
      g_assert_true (g_str_has_prefix (adw_alert_dialog_get_body (ADW_ALERT_DIALOG (dialog)), "2 submissions"));
      if (round == 1)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_signal_emit_by_name (dialog, "response", round == 2 ? "cancel" : "delete");
      adw_dialog_force_close (dialog);

      if (round == 2)
        break;
      g_assert_nonnull (got);
      {
        g_autoptr(GVariant) got_ids = NULL;
        gboolean on_server;
        const gint64 *values;
        gsize n;

        g_variant_get (got, "(@axb)", &got_ids, &on_server);
        values = g_variant_get_fixed_array (got_ids, &n, sizeof (gint64));
        g_assert_cmpmem (values, n * sizeof (gint64), ids, sizeof ids);
        g_assert_cmpint (on_server, ==, round == 1);
      }
      g_clear_pointer (&got, g_variant_unref);
    }
  g_assert_null (got);

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
  g_test_add_func ("/seedream/window/main-menu-on-demand", test_window_main_menu_on_demand);
  g_test_add_func ("/seedream/window/source-tile", test_window_source_tile);
  g_test_add_func ("/seedream/window/use-as-source-action", test_window_use_as_source_action);
  g_test_add_func ("/seedream/window/use-as-source-remembers-parent", test_window_use_as_source_remembers_parent);
  g_test_add_func ("/seedream/window/chain-shown-and-followed", test_window_chain_shown_and_followed);
  g_test_add_func ("/seedream/window/compare-across-rows", test_window_compare_across_rows);
  g_test_add_func ("/seedream/window/compare-from-history", test_window_compare_from_history);
  g_test_add_func ("/seedream/window/locked-out-keeps-draft-alone", test_window_locked_out_keeps_draft_alone);
  g_test_add_func ("/seedream/window/delete-with-undo", test_window_delete_with_undo);
  g_test_add_func ("/seedream/window/delete-dialog", test_window_delete_dialog);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
