/* test-compose-view.c: the compose form's wiring, with GTK_A11Y=test.
 *
 * The form is driven through its widgets, found by type and title the way
 * a person finds them by name: live validation of a custom size (message,
 * error style, can-generate, accessible description), the draft written
 * and read back, the defaults of a fresh form, and refused source files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "seedream-compose-view.h"
#include "seedream-draft.h"
#include "seedream-model.h"
#include "seedream-test-util.h"

/* Helpers */

/* A small PNG from the source tree. */
static char *
test_image_path (void)
{
  const char *source_dir = g_getenv ("SEEDREAM_SOURCE_DIR");

  g_assert_nonnull (source_dir);
  return g_build_filename (source_dir, "tests", "data", "images", "rgb-300x257.png", NULL);
}

typedef gboolean (*Condition) (gpointer data);

/* The first widget under @root of @type whose title (for rows), tooltip or
 * label (for buttons) is @name; %NULL for any name. */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      const char *found = NULL;

      if (ADW_IS_PREFERENCES_ROW (root))
        found = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root));
      else if (GTK_IS_BUTTON (root))
        found = gtk_widget_get_tooltip_text (root);
      else if (GTK_IS_LABEL (root))
        found = gtk_label_get_label (GTK_LABEL (root));

      if (name == NULL || g_strcmp0 (found, name) == 0)
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *widget = find_widget (child, type, name);

      if (widget != NULL)
        return widget;
    }

  return NULL;
}

/* The visible caption that starts with @prefix. */
static GtkLabel *
find_label_starting (GtkWidget  *root,
                     const char *prefix)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root) &&
      g_str_has_prefix (gtk_label_get_label (GTK_LABEL (root)), prefix))
    return GTK_LABEL (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label_starting (child, prefix);

      if (label != NULL)
        return label;
    }

  return NULL;
}

typedef struct
{
  char                *dir;
  GFile               *draft_file;
  SeedreamDraft       *draft;
  GtkWindow           *window;
  SeedreamComposeView *view;
  GSettings           *settings;
  GPtrArray           *refused_files;
  GPtrArray           *refused_messages;
  guint                n_can_generate_notifies;
} Fixture;

static void
refused_cb (SeedreamComposeView *view,
            GFile               *file,
            const char          *message,
            Fixture             *fixture)
{
  g_ptr_array_add (fixture->refused_files, g_object_ref (file));
  g_ptr_array_add (fixture->refused_messages, g_strdup (message));
}

static void
can_generate_notify_cb (Fixture *fixture)
{
  fixture->n_can_generate_notifies++;
}

/* A form in a window, on a draft kept in @fixture->draft_file. */
static SeedreamComposeView *
fixture_open_view (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->draft);
  fixture->draft = seedream_draft_new (fixture->draft_file);
  g_assert_true (seedream_draft_load (fixture->draft, &error));
  g_assert_no_error (error);
  seedream_draft_set_autosave (fixture->draft, TRUE);

  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 600, 900);
  fixture->view = g_object_new (SEEDREAM_TYPE_COMPOSE_VIEW, NULL);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  g_signal_connect (fixture->view, "file-refused", G_CALLBACK (refused_cb), fixture);
  g_signal_connect_swapped (fixture->view, "notify::can-generate",
                            G_CALLBACK (can_generate_notify_cb), fixture);
  seedream_compose_view_set_draft (fixture->view, fixture->draft);
  gtk_window_present (fixture->window);

  return fixture->view;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("seedream-compose-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "draft.ini", NULL);
  fixture->draft_file = g_file_new_for_path (path);
  fixture->settings = g_settings_new (BASE_APP_ID);
  g_settings_reset (fixture->settings, "default-resolution");
  g_settings_reset (fixture->settings, "default-model");
  g_settings_reset (fixture->settings, "default-batch-size");
  fixture->refused_files = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->refused_messages = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->draft);
  g_clear_object (&fixture->draft_file);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->refused_files, g_ptr_array_unref);
  g_clear_pointer (&fixture->refused_messages, g_ptr_array_unref);
  seedream_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
set_prompt (SeedreamComposeView *view,
            const char          *text)
{
  GtkTextView *prompt = GTK_TEXT_VIEW (find_widget (GTK_WIDGET (view), GTK_TYPE_TEXT_VIEW, NULL));

  g_assert_nonnull (prompt);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (prompt), text, -1);
}

static char *
get_prompt (SeedreamComposeView *view)
{
  GtkTextView *prompt = GTK_TEXT_VIEW (find_widget (GTK_WIDGET (view), GTK_TYPE_TEXT_VIEW, NULL));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (prompt), &start, &end);
  return gtk_text_buffer_get_text (gtk_text_view_get_buffer (prompt), &start, &end, FALSE);
}

/* Picks the item labelled @label of the combo row titled @title. */
static void
select_item (SeedreamComposeView *view,
             const char          *title,
             const char          *label)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (view), ADW_TYPE_COMBO_ROW, title));
  GListModel *model;

  g_assert_nonnull (row);
  model = adw_combo_row_get_model (row);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }

  g_error ("No %s labelled %s", title, label);
}

static void
select_resolution (SeedreamComposeView *view,
                   const char          *label)
{
  select_item (view, "Resolution", label);
}

/* The labels the Resolution row offers, joined by "|". */
static char *
resolution_labels (SeedreamComposeView *view)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (view), ADW_TYPE_COMBO_ROW, "Resolution"));
  GListModel *model = adw_combo_row_get_model (row);
  g_autoptr(GString) labels = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      g_string_append_printf (labels, "%s%s", i > 0 ? "|" : "", gtk_string_object_get_string (item));
    }

  return g_string_free (g_steal_pointer (&labels), FALSE);
}

/* Picks a model in the form's Model row, by its display name. */
static void
select_model (SeedreamComposeView *view,
              const char          *name)
{
  select_item (view, "Model", name);
}

static const char *
selected_model_name (SeedreamComposeView *view)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (view), ADW_TYPE_COMBO_ROW, "Model"));

  return gtk_string_object_get_string (adw_combo_row_get_selected_item (row));
}

static const char *
selected_resolution (SeedreamComposeView *view)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (view), ADW_TYPE_COMBO_ROW, "Resolution"));

  return gtk_string_object_get_string (adw_combo_row_get_selected_item (row));
}

static GtkEditable *
entry_row (SeedreamComposeView *view,
           const char          *title)
{
  GtkWidget *row = find_widget (GTK_WIDGET (view), ADW_TYPE_ENTRY_ROW, title);

  g_assert_nonnull (row);
  return GTK_EDITABLE (row);
}

static GtkSpinButton *
batch_spin (SeedreamComposeView *view)
{
  GtkWidget *spin = find_widget (GTK_WIDGET (view), GTK_TYPE_SPIN_BUTTON, NULL);

  g_assert_nonnull (spin);
  return GTK_SPIN_BUTTON (spin);
}

/* Types @text into @editable one character at a time, as keystrokes do. */
static void
type_text (GtkEditable *editable,
           const char  *text)
{
  gtk_editable_set_text (editable, "");
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      int position = -1;

      gtk_editable_insert_text (editable, p, g_utf8_next_char (p) - p, &position);
      gtk_editable_set_position (editable, -1);
    }
}

static void
assert_description (GtkWidget  *widget,
                    const char *expected)
{
  g_autofree char *failure = NULL;

  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                expected);
  if (failure != NULL)
    g_error ("Accessible description of %s: %s", G_OBJECT_TYPE_NAME (widget), failure);
}

/* Validation */

static void
test_validation_custom_size (Fixture       *fixture,
                             gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  GtkEditable *width, *height;
  GtkLabel *status;
  GtkWidget *swap;
  guint notifies;

  set_prompt (view, "A lighthouse at dusk");
  g_assert_true (seedream_compose_view_get_can_generate (view));
  g_assert_null (seedream_compose_view_get_blocked_reason (view));

  width = entry_row (view, "Width");
  height = entry_row (view, "Height");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (width)));

  /* Custom size, nothing typed yet: asks for the numbers. */
  notifies = fixture->n_can_generate_notifies;
  select_resolution (view, "Custom size");
  g_assert_false (seedream_compose_view_get_can_generate (view));
  g_assert_cmpuint (fixture->n_can_generate_notifies, >, notifies);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (width)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (height)));

  /* 1500 × 1500 is too small: said in words, marked, and blocking. */
  type_text (width, "1500");
  type_text (height, "1500");
  status = find_label_starting (GTK_WIDGET (view), "1500 × 1500");
  g_assert_nonnull (status);
  g_assert_cmpstr (gtk_label_get_label (status), ==,
                   "1500 × 1500 = 2,250,000 pixels: below the minimum of 3,686,400 (2560 × 1440)");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (width), "error"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (height), "error"));
  g_assert_false (seedream_compose_view_get_can_generate (view));
  g_assert_cmpstr (seedream_compose_view_get_blocked_reason (view), ==, gtk_label_get_label (status));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find_widget (GTK_WIDGET (view), GTK_TYPE_BUTTON, gtk_label_get_label (status))),
                   ==, gtk_label_get_label (status));
  assert_description (GTK_WIDGET (width), gtk_label_get_label (status));
  assert_description (GTK_WIDGET (height), gtk_label_get_label (status));
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (fixture->draft)), ==, "1500x1500");

  /* Every keystroke counts: halfway through a number is checked too. */
  type_text (width, "37");
  status = find_label_starting (GTK_WIDGET (view), "37 × 1500");
  g_assert_nonnull (status);
  g_assert_false (seedream_compose_view_get_can_generate (view));

  /* 3750 × 1250 is fine. */
  notifies = fixture->n_can_generate_notifies;
  type_text (width, "3750");
  type_text (height, "1250");
  status = find_label_starting (GTK_WIDGET (view), "3750 × 1250");
  g_assert_nonnull (status);
  g_assert_cmpstr (gtk_label_get_label (status), ==, "3750 × 1250 = 4,687,500 pixels");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (width), "error"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (height), "error"));
  g_assert_true (seedream_compose_view_get_can_generate (view));
  g_assert_null (seedream_compose_view_get_blocked_reason (view));
  g_assert_cmpuint (fixture->n_can_generate_notifies, >, notifies);
  assert_description (GTK_WIDGET (width), "3750 × 1250 = 4,687,500 pixels");

  /* Swap: the sizes change places, in the form and in the draft. */
  swap = find_widget (GTK_WIDGET (view), GTK_TYPE_BUTTON, "Swap Width and Height");
  g_assert_nonnull (swap);
  g_signal_emit_by_name (swap, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (width), ==, "1250");
  g_assert_cmpstr (gtk_editable_get_text (height), ==, "3750");
  g_assert_nonnull (find_label_starting (GTK_WIDGET (view), "1250 × 3750 = 4,687,500 pixels"));
  g_assert_true (seedream_compose_view_get_can_generate (view));
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (fixture->draft)), ==, "1250x3750");

  /* Not a number at all. */
  type_text (width, "12a");
  g_assert_nonnull (find_label_starting (GTK_WIDGET (view), "Enter the width and height in pixels"));
  g_assert_false (seedream_compose_view_get_can_generate (view));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (width), "error"));

  /* Back to a preset: the message and the error style go. */
  select_resolution (view, "16:9 Landscape");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (width)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (width), "error"));
  g_assert_null (find_label_starting (GTK_WIDGET (view), "Enter the width"));
  g_assert_true (seedream_compose_view_get_can_generate (view));
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (fixture->draft)), ==, "16:9");

  /* An empty prompt blocks too, with its own reason. */
  set_prompt (view, "");
  g_assert_false (seedream_compose_view_get_can_generate (view));
  g_assert_cmpstr (seedream_compose_view_get_blocked_reason (view), ==, "Describe the image you want first");
}

/* Switching models re-checks the form; nothing typed is changed. */
static void
test_models_switch (Fixture       *fixture,
                    gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  SeedreamRequest *request = seedream_draft_get_request (fixture->draft);
  AdwComboRow *model_row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (view), ADW_TYPE_COMBO_ROW, "Model"));
  AdwComboRow *resolution_row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (view), ADW_TYPE_COMBO_ROW, "Resolution"));
  GtkEditable *width = entry_row (view, "Width");
  GtkEditable *height = entry_row (view, "Height");
  g_autofree char *v45 = NULL;
  g_autofree char *v5 = NULL;
  g_autofree char *v4 = NULL;
  g_autofree char *v4_kept = NULL;
  GtkLabel *status;

  /* The Model row comes first in the Image group, and the default is 4.5,
   * with a line on what each model is good for. */
  g_assert_nonnull (model_row);
  g_assert_true (gtk_widget_get_next_sibling (GTK_WIDGET (model_row)) == GTK_WIDGET (resolution_row));
  g_assert_cmpstr (selected_model_name (view), ==, "Seedream 4.5");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (model_row)), ==, "The best quality, the default");
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (model_row)), ==, 3);

  set_prompt (view, "A lighthouse at dusk");
  v45 = resolution_labels (view);
  g_assert_cmpstr (v45, ==, "2K|4K|1:1 Square|4:3 Landscape|3:4 Portrait|16:9 Landscape|9:16 Portrait|"
                            "3:2 Landscape|2:3 Portrait|Custom size");

  /* A size 4.5 takes and 5.0 Lite does not. */
  select_resolution (view, "Custom size");
  type_text (width, "4096");
  type_text (height, "4096");
  g_assert_true (seedream_compose_view_get_can_generate (view));

  select_model (view, "Seedream 5.0 Lite");
  g_assert_true (seedream_request_get_model (request) == seedream_model_lookup ("seedreamv5"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (model_row)), ==, "Newer and finer, but noticeably slower");
  v5 = resolution_labels (view);
  g_assert_cmpstr (v5, ==, "2K|3K|Custom size");
  /* Kept as typed, marked and explained; Generate off with the reason. */
  g_assert_cmpstr (selected_resolution (view), ==, "Custom size");
  g_assert_cmpstr (gtk_editable_get_text (width), ==, "4096");
  g_assert_cmpstr (gtk_editable_get_text (height), ==, "4096");
  g_assert_cmpstr (seedream_request_get_resolution (request), ==, "4096x4096");
  status = find_label_starting (GTK_WIDGET (view), "4096 × 4096");
  g_assert_nonnull (status);
  g_assert_cmpstr (gtk_label_get_label (status), ==,
                   "4096 × 4096 = 16,777,216 pixels: above the maximum of 10,404,496 (3225 × 3225)");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (width), "error"));
  g_assert_false (seedream_compose_view_get_can_generate (view));
  g_assert_cmpstr (seedream_compose_view_get_blocked_reason (view), ==, gtk_label_get_label (status));

  /* Back to 4.5: the same size is fine again. */
  select_model (view, "Seedream 4.5");
  g_assert_true (seedream_compose_view_get_can_generate (view));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (width), "error"));
  select_model (view, "Seedream 5.0 Lite");
  type_text (width, "3000");
  type_text (height, "3000");
  g_assert_true (seedream_compose_view_get_can_generate (view));

  /* 4.0 takes no custom size at all: the size stays, the row says so. */
  select_model (view, "Seedream 4.0");
  v4_kept = resolution_labels (view);
  g_assert_cmpstr (v4_kept, ==, "1:1 Square|4:3 Landscape|3:4 Portrait|16:9 Landscape|9:16 Portrait|"
                                "Custom size (not offered)");
  g_assert_cmpstr (selected_resolution (view), ==, "Custom size (not offered)");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (width)));
  g_assert_cmpstr (gtk_editable_get_text (width), ==, "3000");
  g_assert_cmpstr (seedream_request_get_resolution (request), ==, "3000x3000");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (resolution_row), "error"));
  g_assert_false (seedream_compose_view_get_can_generate (view));
  g_assert_cmpstr (seedream_compose_view_get_blocked_reason (view), ==,
                   "Seedream 4.0 takes only the sizes in the list, not a custom size: choose one of them");

  /* Choosing one of its sizes: Generate on again, the kept item gone at the
   * next switch. */
  select_resolution (view, "9:16 Portrait");
  g_assert_true (seedream_compose_view_get_can_generate (view));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (resolution_row), "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (width)));
  g_assert_cmpstr (seedream_request_get_resolution (request), ==, "9:16");

  /* A preset of 4.5 that 4.0 lacks. */
  select_model (view, "Seedream 4.5");
  select_resolution (view, "2K");
  select_model (view, "Seedream 4.0");
  g_assert_cmpstr (selected_resolution (view), ==, "2K (not offered)");
  g_assert_cmpstr (seedream_request_get_resolution (request), ==, "2K");
  g_assert_false (seedream_compose_view_get_can_generate (view));
  status = find_label_starting (GTK_WIDGET (view), "Seedream 4.0 does not take 2K");
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_cmpstr (seedream_compose_view_get_blocked_reason (view), ==, gtk_label_get_label (status));
  assert_description (GTK_WIDGET (resolution_row), gtk_label_get_label (status));

  select_resolution (view, "1:1 Square");
  g_assert_true (seedream_compose_view_get_can_generate (view));
  g_assert_null (find_label_starting (GTK_WIDGET (view), "Seedream 4.0 does not take"));
  select_model (view, "Seedream 4.5");
  select_model (view, "Seedream 4.0");
  v4 = resolution_labels (view);
  g_assert_cmpstr (v4, ==, "1:1 Square|4:3 Landscape|3:4 Portrait|16:9 Landscape|9:16 Portrait");

  /* What is sent is what the form shows. */
  {
    g_autoptr(SeedreamRequest) built = seedream_compose_view_build_request (view);

    g_assert_true (seedream_request_get_model (built) == seedream_model_lookup ("seedreamv4"));
    g_assert_cmpstr (seedream_request_get_resolution (built), ==, "1:1");
  }
}

/* The model is kept by the draft, restored by Reuse, and a fresh form
 * starts from the default-model preference. */
static void
test_models_draft_and_reuse (Fixture       *fixture,
                             gconstpointer  data)
{
  SeedreamComposeView *view;
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamRequest) past = seedream_request_new ();

  /* A fresh form: the default model, and its own default size when the
   * default size is not one it takes. */
  g_settings_set_string (fixture->settings, "default-model", "seedreamv4");
  g_settings_set_string (fixture->settings, "default-resolution", "2K");
  view = fixture_open_view (fixture);
  g_assert_cmpstr (selected_model_name (view), ==, "Seedream 4.0");
  g_assert_cmpstr (selected_resolution (view), ==, "1:1 Square");
  g_assert_true (seedream_request_get_model (seedream_draft_get_request (fixture->draft)) ==
                 seedream_model_lookup ("seedreamv4"));

  /* The draft keeps the model. */
  set_prompt (view, "Paper boats");
  select_model (view, "Seedream 5.0 Lite");
  select_resolution (view, "3K");
  g_assert_true (seedream_draft_flush (fixture->draft, &error));
  g_assert_no_error (error);
  view = fixture_open_view (fixture);
  g_assert_cmpstr (selected_model_name (view), ==, "Seedream 5.0 Lite");
  g_assert_cmpstr (selected_resolution (view), ==, "3K");

  /* Reuse: model and size come back together. */
  seedream_request_set_model (past, seedream_model_lookup ("seedreamv4"));
  seedream_request_set_prompt (past, "A quick sketch");
  seedream_request_set_resolution (past, "16:9");
  seedream_compose_view_load_request (view, past);
  g_assert_cmpstr (selected_model_name (view), ==, "Seedream 4.0");
  g_assert_cmpstr (selected_resolution (view), ==, "16:9 Landscape");
  g_assert_true (seedream_compose_view_get_can_generate (view));

  /* A draft with no resolution at all shows and sends the model's default. */
  seedream_request_set_resolution (past, "");
  seedream_compose_view_load_request (view, past);
  g_assert_cmpstr (selected_resolution (view), ==, "1:1 Square");
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (fixture->draft)), ==, "1:1");
  g_assert_true (seedream_compose_view_get_can_generate (view));

  /* An unknown default model gives 4.5 after Clear. */
  g_settings_set_string (fixture->settings, "default-model", "nonsense");
  gtk_widget_activate_action (GTK_WIDGET (view), "compose.clear", NULL);
  g_assert_cmpstr (selected_model_name (view), ==, "Seedream 4.5");
  g_assert_cmpstr (selected_resolution (view), ==, "2K");
}

static void
test_validation_image_url (Fixture       *fixture,
                           gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  GtkEditable *url = entry_row (view, "Source image URL");

  set_prompt (view, "A lighthouse at dusk");
  type_text (url, "ftp://example.com/a.png");
  g_assert_false (seedream_compose_view_get_can_generate (view));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (url), "error"));
  assert_description (GTK_WIDGET (url), "Enter an address starting with http:// or https://");

  type_text (url, "https://example.com/a.png");
  g_assert_true (seedream_compose_view_get_can_generate (view));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url), "error"));
}

/* Draft */

static void
test_draft_restored (Fixture       *fixture,
                     gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *image_path = test_image_path ();
  g_autoptr(GFile) image = g_file_new_for_path (image_path);
  g_autofree char *prompt = NULL;

  set_prompt (view, "A red bicycle against a blue wall, morning light");
  select_resolution (view, "Custom size");
  type_text (entry_row (view, "Width"), "3750");
  type_text (entry_row (view, "Height"), "1250");
  gtk_spin_button_set_value (batch_spin (view), 4);
  /* Files or a URL, not both (test_files_or_url()): the files here. */
  seedream_compose_view_add_files (view, &image, 1);
  g_assert_true (seedream_test_wait_until ((Condition) seedream_compose_view_get_can_generate, view, 20));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (fixture->draft))), ==, 1);

  g_assert_true (seedream_draft_is_save_pending (fixture->draft));
  g_assert_true (seedream_draft_flush (fixture->draft, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (fixture->draft_file, NULL));

  /* A new form on the same file, as after a restart. */
  view = fixture_open_view (fixture);
  prompt = get_prompt (view);
  g_assert_cmpstr (prompt, ==, "A red bicycle against a blue wall, morning light");
  g_assert_cmpstr (selected_resolution (view), ==, "Custom size");
  g_assert_cmpstr (gtk_editable_get_text (entry_row (view, "Width")), ==, "3750");
  g_assert_cmpstr (gtk_editable_get_text (entry_row (view, "Height")), ==, "1250");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (entry_row (view, "Width"))));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (batch_spin (view)), ==, 4);
  g_assert_cmpstr (gtk_editable_get_text (entry_row (view, "Source image URL")), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (fixture->draft))), ==, 1);
  g_assert_nonnull (find_widget (GTK_WIDGET (view), GTK_TYPE_FLOW_BOX_CHILD, NULL));
  g_assert_true (seedream_compose_view_get_can_generate (view));

  /* A preset is restored as the preset. */
  select_resolution (view, "9:16 Portrait");
  g_assert_true (seedream_draft_flush (fixture->draft, &error));
  g_assert_no_error (error);
  view = fixture_open_view (fixture);
  g_assert_cmpstr (selected_resolution (view), ==, "9:16 Portrait");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (entry_row (view, "Width"))));
}

static void
test_draft_defaults (Fixture       *fixture,
                     gconstpointer  data)
{
  SeedreamComposeView *view;
  g_autoptr(GError) error = NULL;

  /* A fresh form starts from the preferences. */
  g_settings_set_string (fixture->settings, "default-resolution", "4K");
  g_settings_set_int (fixture->settings, "default-batch-size", 3);
  view = fixture_open_view (fixture);
  g_assert_cmpstr (selected_resolution (view), ==, "4K");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (batch_spin (view)), ==, 3);
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (fixture->draft)), ==, "4K");
  g_assert_cmpuint (seedream_request_get_batch_size (seedream_draft_get_request (fixture->draft)), ==, 3);

  /* A saved draft keeps its own settings, whatever the defaults say. */
  set_prompt (view, "Paper boats");
  select_resolution (view, "1:1 Square");
  gtk_spin_button_set_value (batch_spin (view), 7);
  g_assert_true (seedream_draft_flush (fixture->draft, &error));
  g_assert_no_error (error);
  g_settings_set_string (fixture->settings, "default-resolution", "16:9");
  view = fixture_open_view (fixture);
  g_assert_cmpstr (selected_resolution (view), ==, "1:1 Square");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (batch_spin (view)), ==, 7);

  /* Clearing the form (the compose.clear action) goes back to them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "compose.clear", NULL));
  g_assert_cmpstr (selected_resolution (view), ==, "16:9 Landscape");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (batch_spin (view)), ==, 3);
  g_assert_cmpstr (seedream_request_get_prompt (seedream_draft_get_request (fixture->draft)), ==, "");
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (fixture->draft)), ==, "16:9");
  g_assert_false (seedream_compose_view_get_can_generate (view));

  /* A default that is not a usable resolution is not passed on. */
  g_settings_set_string (fixture->settings, "default-resolution", "12x12");
  seedream_compose_view_clear (view);
  g_assert_cmpstr (selected_resolution (view), ==, "2K");
}

/* Refused files */

static gboolean
checks_done (gpointer data)
{
  SeedreamComposeView *view = data;
  const char *reason = seedream_compose_view_get_blocked_reason (view);

  return g_strcmp0 (reason, "Checking the source images…") != 0;
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gsize       length)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static GFile *
copy_image (Fixture    *fixture,
            const char *name)
{
  g_autofree char *source = test_image_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_file_get_contents (source, &contents, &length, &error);
  g_assert_no_error (error);

  return write_file (fixture, name, contents, length);
}

/* The message about @file, or %NULL when it was not refused. */
static const char *
refusal_of (Fixture *fixture,
            GFile   *file)
{
  for (guint i = 0; i < fixture->refused_files->len; i++)
    {
      if (g_file_equal (g_ptr_array_index (fixture->refused_files, i), file))
        return g_ptr_array_index (fixture->refused_messages, i);
    }

  return NULL;
}

static gboolean
draft_has (Fixture *fixture,
           GFile   *file)
{
  GListModel *sources = seedream_request_get_source_files (seedream_draft_get_request (fixture->draft));

  for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
    {
      g_autoptr(GFile) item = g_list_model_get_item (sources, i);

      if (g_file_equal (item, file))
        return TRUE;
    }

  return FALSE;
}

static void
test_refuses_bad_files (Fixture       *fixture,
                        gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  g_autoptr(GFile) good1 = copy_image (fixture, "good-1.png");
  g_autoptr(GFile) text = write_file (fixture, "notes.png", "just some words, not a picture\n", 31);
  g_autoptr(GFile) empty = write_file (fixture, "empty.png", "", 0);
  g_autoptr(GFile) good2 = copy_image (fixture, "good-2.png");
  g_autofree char *missing_path = g_build_filename (fixture->dir, "gone.png", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  GFile *files[] = { good1, text, empty, missing, good2 };
  const char *message;

  set_prompt (view, "Two cats");
  seedream_compose_view_add_files (view, files, G_N_ELEMENTS (files));
  g_assert_false (seedream_compose_view_get_can_generate (view));
  g_assert_true (seedream_test_wait_until (checks_done, view, 20));

  /* The good ones are kept, in order. */
  g_assert_true (draft_has (fixture, good1));
  g_assert_true (draft_has (fixture, good2));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (fixture->draft))), ==, 2);
  g_assert_true (seedream_compose_view_get_can_generate (view));

  /* Each bad one is reported once, by name, with the reason. */
  g_assert_cmpuint (fixture->refused_files->len, ==, 3);
  message = refusal_of (fixture, text);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "“notes.png” is not an image"));
  message = refusal_of (fixture, empty);
  g_assert_nonnull (message);
  g_assert_cmpstr (message, ==, "“empty.png” is empty: choose an image file");
  message = refusal_of (fixture, missing);
  g_assert_nonnull (message);
  g_assert_cmpstr (message, ==, "“gone.png” cannot be read: it does not exist (any more)");
  g_assert_false (draft_has (fixture, text));
  g_assert_false (draft_has (fixture, empty));
  g_assert_false (draft_has (fixture, missing));

  /* Adding a file that is already there again is no error and no copy. */
  seedream_compose_view_add_files (view, &good1, 1);
  g_assert_true (seedream_test_wait_until (checks_done, view, 20));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (fixture->draft))), ==, 2);
  g_assert_cmpuint (fixture->refused_files->len, ==, 3);
}

static void
test_refuses_one_too_many (Fixture       *fixture,
                           gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  const SeedreamModel *model = seedream_model_get_default ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GFile *extra;
  const char *message;

  /* Source and generated images together are limited: one image asked
   * for leaves room for max_total_images - 1 sources, or max_source_images. */
  guint room = MIN (model->max_source_images, model->max_total_images - 1);

  for (guint i = 0; i < room + 1; i++)
    {
      g_autofree char *name = g_strdup_printf ("image-%02u.png", i);

      g_ptr_array_add (files, copy_image (fixture, name));
    }
  extra = g_ptr_array_index (files, room);

  set_prompt (view, "Many references");
  seedream_compose_view_add_files (view, (GFile **) files->pdata, files->len);
  g_assert_true (seedream_test_wait_until (checks_done, view, 20));

  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (fixture->draft))), ==, room);
  g_assert_cmpuint (fixture->refused_files->len, ==, 1);
  message = refusal_of (fixture, extra);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "“image-"));
  g_assert_nonnull (strstr (message, "was not added: at most"));
  g_assert_false (draft_has (fixture, extra));

  /* With three images asked for, 13 sources leave no room for one more. */
  gtk_spin_button_set_value (batch_spin (view), 3);
  seedream_request_remove_source_file (seedream_draft_get_request (fixture->draft), g_ptr_array_index (files, 0));
  seedream_compose_view_add_files (view, &extra, 1);
  g_assert_true (seedream_test_wait_until (checks_done, view, 20));
  g_assert_cmpuint (fixture->refused_files->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->refused_messages, 1), "Lower the number of images"));
}

/* Reuse puts a past request in the form; Generate takes a copy of it. */
static void
test_request_reuse_and_build (Fixture       *fixture,
                              gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  SeedreamRequest *form = seedream_draft_get_request (fixture->draft);
  g_autoptr(GFile) kept = copy_image (fixture, "kept.png");
  g_autoptr(GFile) old = copy_image (fixture, "old.png");
  g_autofree char *gone_path = g_build_filename (fixture->dir, "gone.png", NULL);
  g_autoptr(GFile) gone = g_file_new_for_path (gone_path);
  g_autoptr(SeedreamRequest) past = seedream_request_new ();
  g_autoptr(SeedreamRequest) built = NULL;
  GListModel *sources;

  set_prompt (view, "What was typed before");
  seedream_compose_view_add_files (view, &old, 1);
  g_assert_true (seedream_test_wait_until (checks_done, view, 20));
  g_assert_true (draft_has (fixture, old));

  seedream_request_set_prompt (past, "A lantern on a jetty");
  seedream_request_set_batch_size (past, 3);
  seedream_request_set_resolution (past, "16:9");
  seedream_request_add_source_file (past, kept);
  seedream_request_add_source_file (past, gone);

  seedream_compose_view_load_request (view, past);
  g_assert_true (seedream_test_wait_until (checks_done, view, 20));

  /* The form shows it, and its draft holds it; a source that is gone is
   * refused with its reason, the other one is checked and kept. */
  g_assert_cmpstr (seedream_request_get_prompt (form), ==, "A lantern on a jetty");
  g_assert_cmpuint (seedream_request_get_batch_size (form), ==, 3);
  g_assert_cmpuint ((guint) gtk_spin_button_get_value (batch_spin (view)), ==, 3);
  g_assert_cmpstr (seedream_request_get_resolution (form), ==, "16:9");
  g_assert_true (draft_has (fixture, kept));
  g_assert_false (draft_has (fixture, old));
  g_assert_false (draft_has (fixture, gone));
  g_assert_nonnull (refusal_of (fixture, gone));
  g_assert_true (seedream_draft_is_save_pending (fixture->draft));

  /* What Generate sends is a copy: the person may go on editing. */
  built = seedream_compose_view_build_request (view);
  g_assert_true (built != form);
  g_assert_cmpstr (seedream_request_get_prompt (built), ==, "A lantern on a jetty");
  g_assert_cmpuint (seedream_request_get_batch_size (built), ==, 3);
  set_prompt (view, "Edited after sending");
  gtk_spin_button_set_value (batch_spin (view), 5);
  g_assert_cmpstr (seedream_request_get_prompt (built), ==, "A lantern on a jetty");
  g_assert_cmpuint (seedream_request_get_batch_size (built), ==, 3);
  sources = seedream_request_get_source_files (built);
  g_assert_cmpuint (g_list_model_get_n_items (sources), ==, 1);
  seedream_request_clear_source_files (form);
  g_assert_cmpuint (g_list_model_get_n_items (sources), ==, 1);
}

/* Files or one URL */

/* The alert on screen (presented over a plain window, it has one of its
 * own), or %NULL. */
static AdwAlertDialog *
find_alert (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      GtkWidget *alert = find_widget (l->data, ADW_TYPE_ALERT_DIALOG, NULL);

      if (alert != NULL)
        return ADW_ALERT_DIALOG (alert);
    }

  return NULL;
}

static gboolean
alert_shown (gpointer data)
{
  return find_alert () != NULL;
}

static gboolean
alert_gone (gpointer data)
{
  return find_alert () == NULL;
}

static GtkWidget *
find_button_labelled (GtkWidget  *root,
                      const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button_labelled (child, label);

      if (button != NULL)
        return button;
    }

  return NULL;
}

/* Waits for the question, checks its heading, answers with @label. */
static void
answer_alert (const char *heading,
              const char *label)
{
  AdwAlertDialog *alert;
  GtkWidget *button;

  g_assert_true (seedream_test_wait_until (alert_shown, NULL, 10));
  alert = find_alert ();
  g_assert_cmpstr (adw_alert_dialog_get_heading (alert), ==, heading);
  if (label == NULL)
    {
      adw_dialog_close (ADW_DIALOG (alert));
    }
  else
    {
      button = find_button_labelled (GTK_WIDGET (alert), label);
      g_assert_nonnull (button);
      g_signal_emit_by_name (button, "clicked");
    }
  g_assert_true (seedream_test_wait_until (alert_gone, NULL, 10));

  /* The answer reaches the form a little after the dialog leaves. */
  for (guint i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10 * 1000);
    }
}

static guint
n_draft_files (Fixture *fixture)
{
  return g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (fixture->draft)));
}

static gboolean
one_draft_file (gpointer data)
{
  return n_draft_files (data) == 1;
}

/* A request takes files or one image URL. Adding one while the form has
 * the other asks which to keep, in words, and nothing goes without an
 * answer; a question closed leaves both, and Generate says why it waits. */
static void
test_files_or_url (Fixture       *fixture,
                   gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  GtkEditable *url = entry_row (view, "Source image URL");
  g_autofree char *image_path = test_image_path ();
  g_autoptr(GFile) image = g_file_new_for_path (image_path);
  GtkWindow *window = GTK_WINDOW (adw_window_new ());

  /* In an AdwWindow, as in the app: the question is shown inside it. */
  g_object_ref (view);
  gtk_window_set_child (fixture->window, NULL);
  gtk_window_destroy (fixture->window);
  gtk_window_set_default_size (window, 600, 900);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (view));
  g_object_unref (view);
  fixture->window = window;
  gtk_window_present (window);

  set_prompt (view, "A lighthouse at dusk");

  /* A file while a URL is there: the files wait for the answer. */
  type_text (url, "https://example.com/ref.png");
  seedream_compose_view_add_files (view, &image, 1);
  g_assert_true (seedream_test_wait_until (alert_shown, NULL, 10));
  g_assert_cmpuint (n_draft_files (fixture), ==, 0);
  g_assert_cmpstr (seedream_request_get_image_url (seedream_draft_get_request (fixture->draft)), ==, "https://example.com/ref.png");
  answer_alert ("Use the Files or the Image URL?", "_Use the Files");
  g_assert_true (seedream_test_wait_until (one_draft_file, fixture, 20));
  g_assert_cmpstr (gtk_editable_get_text (url), ==, "");
  g_assert_true (seedream_compose_view_get_can_generate (view));

  /* A URL typed while a file is attached: asked once the field rests;
   * keeping the files clears what was typed. */
  type_text (url, "https://example.com/other.png");
  answer_alert ("Use the Image URL or the Files?", "_Keep the Files");
  g_assert_cmpstr (gtk_editable_get_text (url), ==, "");
  g_assert_cmpuint (n_draft_files (fixture), ==, 1);

  /* Or the URL wins and the files go. */
  type_text (url, "https://example.com/other.png");
  answer_alert ("Use the Image URL or the Files?", "_Use the Image URL");
  g_assert_cmpuint (n_draft_files (fixture), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (url), ==, "https://example.com/other.png");
  g_assert_true (seedream_compose_view_get_can_generate (view));

  /* Keeping the URL: the file is not added. */
  seedream_compose_view_add_files (view, &image, 1);
  answer_alert ("Use the Files or the Image URL?", "_Keep the Image URL");
  g_assert_true (seedream_test_wait_until (checks_done, view, 20));
  g_assert_cmpuint (n_draft_files (fixture), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (url), ==, "https://example.com/other.png");

  /* Closed without an answer: both stay, Generate waits and says why. */
  seedream_compose_view_add_files (view, &image, 1);
  answer_alert ("Use the Files or the Image URL?", NULL);
  g_assert_true (seedream_test_wait_until (one_draft_file, fixture, 20));
  g_assert_cmpstr (gtk_editable_get_text (url), ==, "https://example.com/other.png");
  g_assert_false (seedream_compose_view_get_can_generate (view));
  g_assert_cmpstr (seedream_compose_view_get_blocked_reason (view), ==,
                   "Use either the source images or the source image URL, not both: remove one of them");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/seedream/compose-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("validation/custom-size", test_validation_custom_size);
  ADD ("validation/image-url", test_validation_image_url);
  ADD ("models/switch", test_models_switch);
  ADD ("models/draft-and-reuse", test_models_draft_and_reuse);
  ADD ("draft/restored", test_draft_restored);
  ADD ("draft/defaults", test_draft_defaults);
  ADD ("files/refused", test_refuses_bad_files);
  ADD ("files/one-too-many", test_refuses_one_too_many);
  ADD ("request/reuse-and-build", test_request_reuse_and_build);
  ADD ("files/or-url", test_files_or_url);

#undef ADD

  return g_test_run ();
}
