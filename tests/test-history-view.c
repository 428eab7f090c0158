/* test-history-view.c: the history view over a real SeedreamHistory in a
 * temporary directory, and its rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "seedream-history.h"
#include "seedream-history-model.h"
#include "seedream-history-row.h"
#include "seedream-history-view.h"
#include "seedream-lineage-link.h"
#include "seedream-submission.h"
#include "seedream-task-row.h"
#include "seedream-test-util.h"

typedef struct
{
  char                 *dir;
  SeedreamHistory      *history;
  SeedreamHistoryModel *model;
  SeedreamHistoryView  *view;
  GtkWindow            *window;
} Fixture;

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *fixture, gpointer data);

/* Iterates the main loop until @condition holds or 20 s have passed (a
 * guard against hanging, not a timing assertion). */
static gboolean
wait_for (Condition  condition,
          Fixture   *fixture,
          gpointer   data)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (20, timed_out_cb, &timed_out);

  while (!condition (fixture, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return condition (fixture, data);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) data_dir = NULL;

  fixture->dir = g_dir_make_tmp ("seedream-history-view-XXXXXX", &error);
  g_assert_no_error (error);

  data_dir = g_file_new_for_path (fixture->dir);
  fixture->history = seedream_history_new (data_dir, &error);
  g_assert_no_error (error);
  fixture->model = seedream_history_model_new (fixture->history);

  fixture->view = SEEDREAM_HISTORY_VIEW (seedream_history_view_new (fixture->model, NULL));
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 600);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->model);
  g_clear_object (&fixture->history);
  seedream_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static gint64
add (Fixture    *fixture,
     const char *prompt)
{
  return seedream_test_add_submission (fixture->history, prompt, "2048x2048", 2);
}

/* Widgets under @widget of @type, depth first, in a new array. */
static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  GtkWidget *child;

  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    g_ptr_array_add (found, widget);

  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GPtrArray *
find_all (GtkWidget *widget,
          GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (widget, type, found);
  return found;
}

/* The same, only those shown: a row hides the strip items an entry with
 * fewer images does not need, and keeps them for the next. */
static GPtrArray *
find_shown (GtkWidget *widget,
            GType      type)
{
  GPtrArray *found = find_all (widget, type);

  for (guint i = found->len; i > 0; i--)
    if (!gtk_widget_is_visible (found->pdata[i - 1]))
      g_ptr_array_remove_index (found, i - 1);

  return found;
}

/* No picture under @widget that is not shown holds an image. */
static void
assert_hidden_pictures_empty (GtkWidget *widget)
{
  g_autoptr(GPtrArray) pictures = find_all (widget, GTK_TYPE_PICTURE);

  for (guint i = 0; i < pictures->len; i++)
    if (!gtk_widget_is_visible (pictures->pdata[i]))
      g_assert_null (gtk_picture_get_paintable (pictures->pdata[i]));
}

static GtkWidget *sort_root;

static float
row_top (GtkWidget *row)
{
  graphene_point_t point;

  if (!gtk_widget_compute_point (row, sort_root, &GRAPHENE_POINT_INIT (0, 0), &point))
    return G_MAXFLOAT;

  return point.y;
}

static int
compare_rows_by_top (gconstpointer a,
                     gconstpointer b)
{
  float top_a = row_top (*(GtkWidget **) a);
  float top_b = row_top (*(GtkWidget **) b);

  return top_a < top_b ? -1 : top_a > top_b ? 1 : 0;
}

/* The rows currently bound to an entry, top to bottom (the order of
 * recycled list items among the list view's children is not the list's). */
static GPtrArray *
bound_rows (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = find_all (GTK_WIDGET (fixture->view), SEEDREAM_TYPE_HISTORY_ROW);
  GPtrArray *bound = g_ptr_array_new ();

  for (guint i = 0; i < rows->len; i++)
    if (seedream_history_row_get_entry (rows->pdata[i]) != NULL &&
        gtk_widget_get_mapped (rows->pdata[i]))
      g_ptr_array_add (bound, rows->pdata[i]);

  sort_root = GTK_WIDGET (fixture->view);
  g_ptr_array_sort (bound, compare_rows_by_top);

  return bound;
}

static gboolean
n_bound_rows_is (Fixture  *fixture,
                 gpointer  data)
{
  g_autoptr(GPtrArray) rows = bound_rows (fixture);

  return rows->len == GPOINTER_TO_UINT (data);
}

static gboolean
some_rows_bound (Fixture  *fixture,
                 gpointer  data)
{
  g_autoptr(GPtrArray) rows = bound_rows (fixture);

  return rows->len > 0;
}

static const char *
visible_page (Fixture *fixture)
{
  g_autoptr(GPtrArray) stacks = find_all (GTK_WIDGET (fixture->view), GTK_TYPE_STACK);

  /* The view's own stack (the drop-downs hold stacks too). */
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (stacks->pdata[i], "no-results") != NULL)
      return gtk_stack_get_visible_child_name (stacks->pdata[i]);
  g_assert_not_reached ();
}

static gboolean
page_is (Fixture  *fixture,
         gpointer  data)
{
  return g_strcmp0 (visible_page (fixture), data) == 0;
}

static GtkEditable *
search_entry (Fixture *fixture)
{
  g_autoptr(GPtrArray) entries = find_all (GTK_WIDGET (fixture->view), GTK_TYPE_SEARCH_ENTRY);
  GtkEditable *found = NULL;

  /* The drop-downs' popovers hold search entries of their own. */
  for (guint i = 0; i < entries->len; i++)
    if (gtk_widget_get_ancestor (entries->pdata[i], GTK_TYPE_DROP_DOWN) == NULL)
      {
        g_assert_null (found);
        found = entries->pdata[i];
      }
  g_assert_nonnull (found);
  return found;
}

/* Tests */

static void
test_format_date (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2025, 3, 12, 18, 30, 0);
  g_autoptr(GDateTime) today = g_date_time_new_local (2025, 3, 12, 14, 2, 0);
  g_autoptr(GDateTime) early_today = g_date_time_new_local (2025, 3, 12, 0, 5, 0);
  g_autoptr(GDateTime) yesterday = g_date_time_new_local (2025, 3, 11, 23, 59, 0);
  g_autoptr(GDateTime) this_week = g_date_time_new_local (2025, 3, 8, 9, 15, 0);
  g_autoptr(GDateTime) this_year = g_date_time_new_local (2025, 1, 3, 7, 0, 0);
  g_autoptr(GDateTime) last_year = g_date_time_new_local (2024, 12, 31, 22, 0, 0);
  g_autoptr(GDateTime) future = g_date_time_new_local (2025, 3, 14, 10, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (today);
  g_autofree char *s1 = seedream_history_row_format_date (today, now);
  g_autofree char *s2 = seedream_history_row_format_date (early_today, now);
  g_autofree char *s3 = seedream_history_row_format_date (yesterday, now);
  g_autofree char *s4 = seedream_history_row_format_date (this_week, now);
  g_autofree char *s5 = seedream_history_row_format_date (this_year, now);
  g_autofree char *s6 = seedream_history_row_format_date (last_year, now);
  g_autofree char *s7 = seedream_history_row_format_date (future, now);
  g_autofree char *s8 = seedream_history_row_format_date (utc, now);

  g_assert_cmpstr (s1, ==, "Today 14:02");
  g_assert_cmpstr (s2, ==, "Today 00:05");
  g_assert_cmpstr (s3, ==, "Yesterday 23:59");
  g_assert_cmpstr (s4, ==, "Saturday 09:15");
  g_assert_cmpstr (s5, ==, "3 Jan 07:00");
  g_assert_cmpstr (s6, ==, "31 Dec 2024");
  /* A clock set back: a plain date, never "Today" for another day. */
  g_assert_cmpstr (s7, ==, "14 Mar 2025");
  /* Stored times come back in UTC; they are shown in local time. */
  g_assert_cmpstr (s8, ==, "Today 14:02");
}

static void
test_empty_then_added (Fixture       *fixture,
                       gconstpointer  data)
{
  gtk_window_present (fixture->window);
  g_assert_true (wait_for (page_is, fixture, (gpointer) "empty"));

  /* The view follows the history as it is written. */
  add (fixture, "a lighthouse in a storm");
  g_assert_true (wait_for (page_is, fixture, (gpointer) "list"));
  g_assert_true (wait_for (n_bound_rows_is, fixture, GUINT_TO_POINTER (1)));
}

static void
test_rows_and_search (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;

  add (fixture, "a red fox in the snow");
  add (fixture, "a blue whale under the ice");
  add (fixture, "a Green FOX on a hill");

  gtk_window_present (fixture->window);
  g_assert_true (wait_for (n_bound_rows_is, fixture, GUINT_TO_POINTER (3)));
  g_assert_cmpstr (visible_page (fixture), ==, "list");

  /* Newest first. */
  rows = bound_rows (fixture);
  g_assert_cmpstr (seedream_history_entry_get_prompt (seedream_history_row_get_entry (rows->pdata[0])), ==,
                   "a Green FOX on a hill");
  g_assert_cmpstr (seedream_history_entry_get_prompt (seedream_history_row_get_entry (rows->pdata[2])), ==,
                   "a red fox in the snow");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The search filters by prompt, ignoring case, after the typing pause. */
  gtk_editable_set_text (search_entry (fixture), "fox");
  g_assert_true (wait_for (n_bound_rows_is, fixture, GUINT_TO_POINTER (2)));
  g_assert_cmpstr (seedream_history_model_get_search (fixture->model), ==, "fox");
  rows = bound_rows (fixture);
  for (guint i = 0; i < rows->len; i++)
    g_assert_nonnull (strstr (seedream_history_entry_get_prompt (seedream_history_row_get_entry (rows->pdata[i])),
                              i == 0 ? "FOX" : "fox"));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Nothing matches: "No Results", not "No Submissions Yet". */
  gtk_editable_set_text (search_entry (fixture), "zebra");
  g_assert_true (wait_for (page_is, fixture, (gpointer) "no-results"));

  /* Cleared: everything again. */
  gtk_editable_set_text (search_entry (fixture), "");
  g_assert_true (wait_for (n_bound_rows_is, fixture, GUINT_TO_POINTER (3)));
  g_assert_cmpstr (visible_page (fixture), ==, "list");
}

static void
reuse_cb (SeedreamHistoryView   *view,
          SeedreamHistoryEntry  *entry,
          SeedreamHistoryEntry **out)
{
  g_assert_null (*out);
  *out = g_object_ref (entry);
}

static void
test_reuse (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SeedreamHistoryEntry) reused = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  g_autoptr(SeedreamRequest) request = NULL;
  gint64 older, newer;
  GtkWidget *reuse_button = NULL;

  older = add (fixture, "an old castle at dusk");
  newer = add (fixture, "a new city at dawn");
  g_assert_cmpint (older, !=, newer);
  g_signal_connect (fixture->view, "reuse", G_CALLBACK (reuse_cb), &reused);

  gtk_window_present (fixture->window);
  g_assert_true (wait_for (n_bound_rows_is, fixture, GUINT_TO_POINTER (2)));
  rows = bound_rows (fixture);

  /* Click the second row's Reuse button: the older entry comes out. */
  buttons = find_all (rows->pdata[1], GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), "history-row.reuse") == 0)
      reuse_button = buttons->pdata[i];
  g_assert_nonnull (reuse_button);
  g_assert_true (gtk_widget_is_sensitive (reuse_button));
  g_signal_emit_by_name (reuse_button, "clicked");

  g_assert_nonnull (reused);
  g_assert_cmpint (seedream_history_entry_get_id (reused), ==, older);
  request = seedream_history_entry_to_request (reused);
  g_assert_cmpstr (seedream_request_get_prompt (request), ==, "an old castle at dusk");
  g_assert_cmpstr (seedream_request_get_resolution (request), ==, "2048x2048");
  g_assert_cmpuint (seedream_request_get_batch_size (request), ==, 2);
}

static gboolean
label_shows (GtkWidget  *root,
             const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_visible (labels->pdata[i]) &&
        strstr (gtk_label_get_label (labels->pdata[i]), text) != NULL)
      return TRUE;

  return FALSE;
}

static gboolean
row_has_thumbnail (Fixture  *fixture,
                   gpointer  data)
{
  g_autoptr(GPtrArray) pictures = find_all (data, GTK_TYPE_PICTURE);

  return pictures->len == 1 && gtk_picture_get_paintable (pictures->pdata[0]) != NULL;
}

static void
test_row_contents (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 200);
  g_autofree char *image_path = g_build_filename (fixture->dir, "result-0.png", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *failed_row, *done_row, *no_images_row;
  gint64 failed, done, no_images;

  gdk_pixbuf_fill (pixbuf, 0xcc3300ff);
  gdk_pixbuf_save (pixbuf, image_path, "png", &error, NULL);
  g_assert_no_error (error);

  failed = add (fixture, "a failing prompt");
  g_assert_true (seedream_history_set_submitted (fixture->history, failed, "task-failed-1", &error));
  g_assert_true (seedream_history_set_state (fixture->history, failed, SEEDREAM_HISTORY_STATE_TASK_FAILED,
                                             "The service could not make this image", "content refused",
                                             &error));
  g_assert_no_error (error);

  done = add (fixture, "a finished prompt");
  g_assert_true (seedream_history_set_submitted (fixture->history, done, "task-done-2", &error));
  g_assert_true (seedream_history_set_result (fixture->history, done, 0, "https://files.example/0.png",
                                              image_path, 300, 200, &error));
  /* The second result never arrived: no local file, no thumbnail. */
  g_assert_true (seedream_history_set_result (fixture->history, done, 1, "https://files.example/1.png",
                                              NULL, 0, 0, &error));
  g_assert_true (seedream_history_set_state (fixture->history, done, SEEDREAM_HISTORY_STATE_DONE,
                                             NULL, NULL, &error));
  g_assert_no_error (error);

  no_images = add (fixture, "a refused prompt");
  g_assert_true (seedream_history_set_submitted (fixture->history, no_images, "task-empty-3", &error));
  g_assert_true (seedream_history_set_state (fixture->history, no_images, SEEDREAM_HISTORY_STATE_NO_IMAGES,
                                             "The service finished the task without any images.", NULL, &error));
  g_assert_no_error (error);

  gtk_window_present (fixture->window);
  g_assert_true (wait_for (n_bound_rows_is, fixture, GUINT_TO_POINTER (3)));
  rows = bound_rows (fixture);
  no_images_row = rows->pdata[0];
  done_row = rows->pdata[1];
  failed_row = rows->pdata[2];
  g_assert_cmpint (seedream_history_entry_get_id (seedream_history_row_get_entry (SEEDREAM_HISTORY_ROW (done_row))),
                   ==, done);

  /* State in words, the reasons, the task id, the settings. */
  g_assert_true (label_shows (failed_row, "Failed"));
  g_assert_true (label_shows (failed_row, "The service could not make this image"));
  g_assert_true (label_shows (failed_row, "content refused"));
  g_assert_true (label_shows (failed_row, "task-failed-1"));
  g_assert_true (label_shows (failed_row, "Today "));
  /* Nothing came: what was asked, an upper bound. */
  g_assert_true (label_shows (failed_row, "Seedream 4.5 · 2048 × 2048 · up to 2 images"));
  g_assert_true (label_shows (done_row, "Done"));
  g_assert_true (label_shows (done_row, "task-done-2"));
  g_assert_false (label_shows (done_row, "could not"));
  /* What came, not what was asked. */
  g_assert_true (label_shows (done_row, "2048 × 2048 · 2 images"));

  /* Finished without images: its own words, not "Failed". */
  g_assert_true (label_shows (no_images_row, "No images"));
  g_assert_true (label_shows (no_images_row, "The service finished the task without any images."));
  g_assert_true (label_shows (no_images_row, "2048 × 2048 · no images"));
  g_assert_false (label_shows (no_images_row, "Failed"));

  /* One thumbnail, for the one local file. */
  g_assert_true (wait_for (row_has_thumbnail, fixture, done_row));
}

static GtkWidget *
find_state_label (GtkWidget *row)
{
  g_autoptr(GPtrArray) labels = find_all (row, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (labels->pdata[i], "task-state"))
      return labels->pdata[i];

  return NULL;
}

/* The list view recycles a row: unbound (set to NULL, which leaves its
 * widgets as they are), then bound to another entry. Everything the first
 * entry showed must go: its state, its colour, its message, its task id. */
static void
test_row_recycled (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamHistoryEntry) failed_entry = NULL;
  g_autoptr(SeedreamHistoryEntry) sending_entry = NULL;
  SeedreamHistoryRow *row = SEEDREAM_HISTORY_ROW (seedream_history_row_new ());
  GtkWidget *state_label;
  gint64 failed, sending;

  g_object_ref_sink (row);
  failed = add (fixture, "a failing prompt");
  g_assert_true (seedream_history_set_submitted (fixture->history, failed, "task-failed-1", &error));
  g_assert_true (seedream_history_set_state (fixture->history, failed, SEEDREAM_HISTORY_STATE_TASK_FAILED,
                                             "The service could not make this image", NULL, &error));
  g_assert_no_error (error);
  sending = add (fixture, "a prompt still sending");
  failed_entry = seedream_history_lookup (fixture->history, failed, &error);
  g_assert_no_error (error);
  sending_entry = seedream_history_lookup (fixture->history, sending, &error);
  g_assert_no_error (error);

  seedream_history_row_set_entry (row, failed_entry);
  g_assert_true (label_shows (GTK_WIDGET (row), "Failed"));
  g_assert_true (label_shows (GTK_WIDGET (row), "task-failed-1"));

  seedream_history_row_set_entry (row, NULL);
  g_assert_null (seedream_history_row_get_entry (row));
  seedream_history_row_set_entry (row, sending_entry);

  g_assert_true (label_shows (GTK_WIDGET (row), "a prompt still sending"));
  g_assert_false (label_shows (GTK_WIDGET (row), "a failing prompt"));
  g_assert_false (label_shows (GTK_WIDGET (row), "Failed"));
  g_assert_false (label_shows (GTK_WIDGET (row), "could not make"));
  /* Not sent yet: no task id, so neither it nor its Copy button. */
  g_assert_false (label_shows (GTK_WIDGET (row), "task-failed-1"));
  state_label = find_state_label (GTK_WIDGET (row));
  g_assert_nonnull (state_label);
  g_assert_true (gtk_widget_has_css_class (state_label, "accent"));
  g_assert_false (gtk_widget_has_css_class (state_label, "error"));

  g_object_unref (row);
}

/* A done submission with @n_images results, each a local image of
 * @width × @height. */
static SeedreamHistoryEntry *
add_done_with_images (Fixture    *fixture,
                      const char *prompt,
                      guint       n_images,
                      int         width,
                      int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  SeedreamHistoryEntry *entry;
  gint64 id = add (fixture, prompt);

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  for (guint i = 0; i < n_images; i++)
    {
      g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT "-%u.png", id, i);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
      g_assert_no_error (error);
      g_assert_true (seedream_history_set_result (fixture->history, id, i, "https://files.example/r.png",
                                                  path, width, height, &error));
    }
  g_assert_true (seedream_history_set_state (fixture->history, id, SEEDREAM_HISTORY_STATE_DONE,
                                             NULL, NULL, &error));
  g_assert_no_error (error);

  entry = seedream_history_lookup (fixture->history, id, &error);
  g_assert_no_error (error);
  return entry;
}

static gboolean
all_pictures_loaded (Fixture  *fixture,
                     gpointer  data)
{
  g_autoptr(GPtrArray) pictures = find_shown (data, GTK_TYPE_PICTURE);

  for (guint i = 0; i < pictures->len; i++)
    if (gtk_picture_get_paintable (pictures->pdata[i]) == NULL)
      return FALSE;

  return TRUE;
}

/* Recycled from an entry with more images, a row shows (and reuses) only
 * the pictures the new entry needs, none of which shows the old images;
 * the others are hidden and hold no image. */
static void
test_row_recycled_images (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SeedreamHistoryEntry) tall = add_done_with_images (fixture, "three tall images", 3, 40, 80);
  g_autoptr(SeedreamHistoryEntry) wide = add_done_with_images (fixture, "one wide image", 1, 80, 40);
  g_autoptr(SeedreamHistoryEntry) none = add_done_with_images (fixture, "no image", 0, 1, 1);
  SeedreamHistoryRow *row = SEEDREAM_HISTORY_ROW (seedream_history_row_new ());
  g_autoptr(GPtrArray) pictures = NULL;
  GtkWidget *first;
  GdkPaintable *paintable;

  g_object_ref_sink (row);

  seedream_history_row_set_entry (row, tall);
  pictures = find_shown (GTK_WIDGET (row), GTK_TYPE_PICTURE);
  g_assert_cmpuint (pictures->len, ==, 3);
  first = pictures->pdata[0];
  g_assert_true (wait_for (all_pictures_loaded, fixture, row));
  g_clear_pointer (&pictures, g_ptr_array_unref);

  seedream_history_row_set_entry (row, NULL);
  seedream_history_row_set_entry (row, wide);
  pictures = find_shown (GTK_WIDGET (row), GTK_TYPE_PICTURE);
  g_assert_cmpuint (pictures->len, ==, 1);
  g_assert_true (pictures->pdata[0] == first);
  g_assert_null (gtk_picture_get_paintable (GTK_PICTURE (first)));
  g_assert_cmpstr (gtk_picture_get_alternative_text (GTK_PICTURE (first)), ==, "Result image 1 of 1");
  assert_hidden_pictures_empty (GTK_WIDGET (row));
  g_assert_true (wait_for (all_pictures_loaded, fixture, row));
  /* The wide image, not one of the tall ones. */
  paintable = gtk_picture_get_paintable (GTK_PICTURE (first));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), >,
                   gdk_paintable_get_intrinsic_height (paintable));
  g_clear_pointer (&pictures, g_ptr_array_unref);

  seedream_history_row_set_entry (row, none);
  pictures = find_shown (GTK_WIDGET (row), GTK_TYPE_PICTURE);
  g_assert_cmpuint (pictures->len, ==, 0);
  assert_hidden_pictures_empty (GTK_WIDGET (row));

  g_object_unref (row);
}

/* The strip's images in order, and whether each shows its star. */
static GPtrArray *
strip_items (GtkWidget *row)
{
  g_autoptr(GPtrArray) buttons = find_shown (row, GTK_TYPE_BUTTON);
  GPtrArray *items = g_ptr_array_new ();

  for (guint i = 0; i < buttons->len; i++)
    if (g_object_get_data (buttons->pdata[i], "favourite-star") != NULL)
      g_ptr_array_add (items, buttons->pdata[i]);

  return items;
}

static gboolean
strip_star_shown (GtkWidget *item)
{
  return gtk_widget_get_visible (g_object_get_data (G_OBJECT (item), "favourite-star"));
}

/* A starred image is marked in the strip and named so; a recycled row
 * shows no star of the entry it showed before. */
static void
test_row_image_star (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SeedreamHistoryEntry) plain = add_done_with_images (fixture, "no stars", 2, 40, 40);
  g_autoptr(SeedreamHistoryEntry) unstarred = add_done_with_images (fixture, "one star", 2, 40, 40);
  g_autoptr(SeedreamHistoryEntry) starred = NULL;
  SeedreamHistoryRow *row = SEEDREAM_HISTORY_ROW (seedream_history_row_new ());
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) pictures = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = seedream_history_entry_get_id (unstarred);

  g_object_ref_sink (row);
  g_assert_true (seedream_history_set_result_favourite (fixture->history, id, 1, TRUE, &error));
  g_assert_no_error (error);
  starred = seedream_history_lookup (fixture->history, id, &error);
  g_assert_no_error (error);

  seedream_history_row_set_entry (row, starred);
  items = strip_items (GTK_WIDGET (row));
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_false (strip_star_shown (items->pdata[0]));
  g_assert_true (strip_star_shown (items->pdata[1]));
  pictures = find_all (items->pdata[1], GTK_TYPE_PICTURE);
  g_assert_cmpstr (gtk_picture_get_alternative_text (pictures->pdata[0]), ==, "Result image 2 of 2, a favourite");
  g_clear_pointer (&items, g_ptr_array_unref);

  seedream_history_row_set_entry (row, NULL);
  seedream_history_row_set_entry (row, plain);
  items = strip_items (GTK_WIDGET (row));
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_false (strip_star_shown (items->pdata[0]));
  g_assert_false (strip_star_shown (items->pdata[1]));

  g_object_unref (row);
}

static void
test_thousand_rows (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) row_widgets = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("prompt number %u", i + 1);

      add (fixture, prompt);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 1000);

  gtk_window_present (fixture->window);
  g_assert_true (wait_for (some_rows_bound, fixture, NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* GtkListView keeps a pool of at most about 200 list items around
   * what is on screen (GTK_LIST_VIEW_MAX_LIST_ITEMS), whatever the length
   * of the model: far fewer than 1000 rows, and the same for 10,000. */
  row_widgets = find_all (GTK_WIDGET (fixture->view), SEEDREAM_TYPE_HISTORY_ROW);
  g_test_message ("row widgets for 1000 entries: %u", row_widgets->len);
  g_assert_cmpuint (row_widgets->len, >, 0);
  g_assert_cmpuint (row_widgets->len, <=, 250);

  rows = bound_rows (fixture);
  g_assert_cmpstr (seedream_history_entry_get_prompt (seedream_history_row_get_entry (rows->pdata[0])), ==,
                   "prompt number 1000");
}

/* The test window's stand-in for win.set-favourite: what the window does
 * through its session. */
static void
set_favourite_activated_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id;
  gboolean favourite;

  g_variant_get (parameter, "(xb)", &id, &favourite);
  g_assert_true (seedream_history_set_favourite (fixture->history, id, favourite, &error));
  g_assert_no_error (error);
}

static GtkWidget *
star_of (GtkWidget *row)
{
  g_autoptr(GPtrArray) stars = find_all (row, GTK_TYPE_TOGGLE_BUTTON);

  g_assert_cmpuint (stars->len, ==, 1);
  return stars->pdata[0];
}

static gboolean
first_row_is (Fixture  *fixture,
              gpointer  data)
{
  g_autoptr(GPtrArray) rows = bound_rows (fixture);

  return rows->len == 1 &&
         g_strcmp0 (seedream_history_entry_get_prompt (seedream_history_row_get_entry (rows->pdata[0])), data) == 0;
}

/* The row shows its entry starred, and its star says so. */
static gboolean
second_row_starred (Fixture  *fixture,
                    gpointer  data)
{
  g_autoptr(GPtrArray) rows = bound_rows (fixture);
  GtkWidget *star;

  if (rows->len < 2 || !seedream_history_entry_get_favourite (seedream_history_row_get_entry (rows->pdata[1])))
    return FALSE;
  star = star_of (rows->pdata[1]);
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (star), "Remove from Favourites") == 0;
}

/* A star clicked in a row, and the filter chosen, are there again after
 * a restart: the star in the database, the filter in the settings. */
static void
test_favourites_and_filters_restart (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("set-favourite", G_VARIANT_TYPE ("(xb)"));
  g_autoptr(GPtrArray) dropdowns = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GFile) data_dir = g_file_new_for_path (fixture->dir);
  g_autoptr(GError) error = NULL;
  GtkWidget *star;

  g_settings_reset (settings, "history-filter");
  g_settings_reset (settings, "history-model");
  g_signal_connect (action, "activate", G_CALLBACK (set_favourite_activated_cb), fixture);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "win", G_ACTION_GROUP (group));

  /* The fixture's view has no settings: one that keeps them. */
  fixture->view = SEEDREAM_HISTORY_VIEW (seedream_history_view_new (fixture->model, settings));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  add (fixture, "a lighthouse in a storm");
  add (fixture, "a red fox in the snow");
  add (fixture, "a teapot on linen");
  gtk_window_present (fixture->window);
  g_assert_true (wait_for (n_bound_rows_is, fixture, GUINT_TO_POINTER (3)));

  rows = bound_rows (fixture);
  star = star_of (rows->pdata[1]);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (star), ==, "Add to Favourites");
  g_signal_emit_by_name (star, "clicked");
  g_assert_true (wait_for (second_row_starred, fixture, NULL));

  dropdowns = find_all (GTK_WIDGET (fixture->view), GTK_TYPE_DROP_DOWN);
  g_assert_cmpuint (dropdowns->len, ==, 2);
  gtk_drop_down_set_selected (dropdowns->pdata[0], 1);  /* Favourites */
  g_assert_true (wait_for (first_row_is, fixture, (gpointer) "a red fox in the snow"));
  {
    g_autofree char *kept = g_settings_get_string (settings, "history-filter");

    g_assert_cmpstr (kept, ==, "favourites");
  }

  /* Failed or Without Images: none of these. */
  gtk_drop_down_set_selected (dropdowns->pdata[0], 2);
  g_assert_true (wait_for (page_is, fixture, (gpointer) "no-results"));
  gtk_drop_down_set_selected (dropdowns->pdata[0], 1);
  g_assert_true (wait_for (first_row_is, fixture, (gpointer) "a red fox in the snow"));
  g_clear_pointer (&dropdowns, g_ptr_array_unref);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A restart: a new history on the same file, a new view. */
  gtk_window_set_child (fixture->window, NULL);
  g_clear_object (&fixture->model);
  g_clear_object (&fixture->history);
  fixture->history = seedream_history_new (data_dir, &error);
  g_assert_no_error (error);
  fixture->model = seedream_history_model_new (fixture->history);
  fixture->view = SEEDREAM_HISTORY_VIEW (seedream_history_view_new (fixture->model, settings));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));

  g_assert_true (wait_for (first_row_is, fixture, (gpointer) "a red fox in the snow"));
  dropdowns = find_all (GTK_WIDGET (fixture->view), GTK_TYPE_DROP_DOWN);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdowns->pdata[0]), ==, 1);
  rows = bound_rows (fixture);
  star = star_of (rows->pdata[0]);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)));

  /* Unstarred from the filtered list: it leaves it. */
  g_signal_emit_by_name (star, "clicked");
  g_assert_true (wait_for (page_is, fixture, (gpointer) "no-results"));

  g_settings_reset (settings, "history-filter");
  g_settings_reset (settings, "history-model");
}

/* A task row's star and Delete button are its history row's: shown once
 * there is one, the star following the row when History stars it. */
static void
test_task_row_star_follows_history (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(SeedreamSubmission) submission = NULL;
  g_autoptr(GPtrArray) stars = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row, *star, *delete_button = NULL;
  gint64 id = add (fixture, "a lighthouse in a storm");

  entry = seedream_history_lookup (fixture->history, id, &error);
  g_assert_no_error (error);
  submission = seedream_submission_new_from_entry (entry, fixture->history);
  row = seedream_task_row_new (submission);
  gtk_window_set_child (fixture->window, row);

  stars = find_all (row, GTK_TYPE_TOGGLE_BUTTON);
  g_assert_cmpuint (stars->len, ==, 1);
  star = stars->pdata[0];
  g_assert_true (gtk_widget_get_visible (star));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (star), ==, "Add to Favourites");

  buttons = find_all (row, GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), "win.ask-delete") == 0)
      delete_button = buttons->pdata[i];
  g_assert_nonnull (delete_button);
  g_assert_true (gtk_widget_get_visible (delete_button));
  g_assert_cmpint (g_variant_get_int64 (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (delete_button))), ==, id);

  g_assert_true (seedream_history_set_favourite (fixture->history, id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (seedream_submission_get_favourite (submission));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (star), ==, "Remove from Favourites");

  g_assert_true (seedream_history_set_favourite (fixture->history, id, FALSE, &error));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)));
}

static void
show_chain_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  *(gint64 *) user_data = g_variant_get_int64 (parameter);
}

/* A task row made from a result says "From: <the parent's prompt>" (the
 * History row's link, read from the submission's history row), and the
 * link opens the parent's chain; a row with no parent shows no link. */
static void
test_task_row_lineage_link (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *source_path = g_build_filename (fixture->dir, "source.png", NULL);
  g_autoptr(GFile) source = g_file_new_for_path (source_path);
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(SeedreamHistoryEntry) parent_entry = NULL;
  g_autoptr(SeedreamHistoryEntry) child_entry = NULL;
  g_autoptr(SeedreamSubmission) parent = NULL;
  g_autoptr(SeedreamSubmission) child = NULL;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) show_chain = g_simple_action_new ("show-chain", G_VARIANT_TYPE_INT64);
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *box, *parent_row, *child_row;
  GtkWidget *label;
  gint64 parent_id, child_id, shown = 0;

  parent_id = add (fixture, "a lighthouse at noon");
  g_assert_true (g_file_set_contents (source_path, "\x89PNG\r\n\x1a\n pretend", -1, NULL));
  seedream_request_set_prompt (request, "the lighthouse at night");
  g_assert_true (seedream_request_add_source_file (request, source));
  g_assert_true (seedream_request_set_source_parent (request, source, parent_id, 1));
  child_id = seedream_test_add_request (fixture->history, request);

  parent_entry = seedream_history_lookup (fixture->history, parent_id, &error);
  g_assert_no_error (error);
  child_entry = seedream_history_lookup (fixture->history, child_id, &error);
  g_assert_no_error (error);
  parent = seedream_submission_new_from_entry (parent_entry, fixture->history);
  child = seedream_submission_new_from_entry (child_entry, fixture->history);

  g_signal_connect (show_chain, "activate", G_CALLBACK (show_chain_cb), &shown);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (show_chain));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_insert_action_group (box, "win", G_ACTION_GROUP (group));
  parent_row = seedream_task_row_new (parent);
  child_row = seedream_task_row_new (child);
  gtk_box_append (GTK_BOX (box), parent_row);
  gtk_box_append (GTK_BOX (box), child_row);
  gtk_window_set_child (fixture->window, box);

  links = find_all (parent_row, SEEDREAM_TYPE_LINEAGE_LINK);
  g_assert_cmpuint (links->len, ==, 1);
  g_assert_false (gtk_widget_get_visible (links->pdata[0]));
  g_clear_pointer (&links, g_ptr_array_unref);

  links = find_all (child_row, SEEDREAM_TYPE_LINEAGE_LINK);
  g_assert_cmpuint (links->len, ==, 1);
  g_assert_true (gtk_widget_get_visible (links->pdata[0]));
  label = gtk_button_get_child (GTK_BUTTON (links->pdata[0]));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "From: a lighthouse at noon");
  g_assert_cmpstr (gtk_actionable_get_action_name (links->pdata[0]), ==, "win.show-chain");

  g_signal_emit_by_name (links->pdata[0], "clicked");
  g_assert_cmpint (shown, ==, parent_id);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/seedream/history-row/format-date", test_format_date);
  ADD ("/seedream/history-view/empty-then-added", test_empty_then_added);
  ADD ("/seedream/history-view/rows-and-search", test_rows_and_search);
  ADD ("/seedream/history-view/reuse", test_reuse);
  ADD ("/seedream/history-view/row-contents", test_row_contents);
  ADD ("/seedream/history-view/row-recycled", test_row_recycled);
  ADD ("/seedream/history-view/row-recycled-images", test_row_recycled_images);
  ADD ("/seedream/history-view/row-image-star", test_row_image_star);
  ADD ("/seedream/history-view/thousand-rows", test_thousand_rows);
  ADD ("/seedream/history-view/favourites-and-filters-restart", test_favourites_and_filters_restart);
  ADD ("/seedream/task-row/star-follows-history", test_task_row_star_follows_history);
  ADD ("/seedream/task-row/lineage-link", test_task_row_lineage_link);

#undef ADD

  return g_test_run ();
}
