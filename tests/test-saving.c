/* test-saving.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saving from the task list: Save As, a drag and Save All hand over the
 * file that already carries the metadata, byte for byte; Copy Prompt;
 * the preferences' Saving group.
 */

#include "config.h"

#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>

#include "seedream-image-metadata.h"
#include "seedream-result-actions.h"
#include "seedream-result-thumbnail.h"
#include "seedream-save-all.h"
#include "seedream-saving-group.h"
#include "seedream-submission-result.h"
#include "seedream-test-util.h"

#define PROMPT "a lighthouse at dusk: long exposure"

typedef struct
{
  char  *tmp;
  char  *out;
  GFile *source;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GBytes) png = seedream_test_load_image ("rgb-300x257.png");
  g_autoptr(SeedreamImageMetadata) metadata = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *results = NULL;

  fx->tmp = g_dir_make_tmp ("seedream-saving-XXXXXX", NULL);
  results = g_build_filename (fx->tmp, "results", NULL);
  fx->out = g_build_filename (fx->tmp, "out", NULL);
  g_mkdir (results, 0700);
  g_mkdir (fx->out, 0700);
  fx->source = seedream_test_write_file (results, "0.png", g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  metadata = seedream_image_metadata_new (PROMPT, "seedream-4.5", "2K", 0, "task-1", NULL);
  g_assert_true (seedream_image_metadata_write (metadata, fx->source, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->source);
  seedream_test_remove_tree (fx->tmp);
  g_free (fx->tmp);
  g_free (fx->out);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
assert_carries_metadata (GFile *file)
{
  g_autoptr(GExiv2Metadata) md = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *source_type = NULL;
  g_autofree char *description = NULL;

  gexiv2_metadata_open_path (md, g_file_peek_path (file), &error);
  g_assert_no_error (error);
  source_type = gexiv2_metadata_try_get_tag_string (md, "Xmp.iptcExt.DigitalSourceType", NULL);
  g_assert_cmpstr (source_type, ==, SEEDREAM_DIGITAL_SOURCE_TYPE);
  description = gexiv2_metadata_try_get_tag_string (md, "Xmp.dc.description", NULL);
  g_assert_nonnull (strstr (description, PROMPT));
}

static void
assert_same_bytes (GFile *a,
                   GFile *b)
{
  g_autoptr(GBytes) a_bytes = g_file_load_bytes (a, NULL, NULL, NULL);
  g_autoptr(GBytes) b_bytes = g_file_load_bytes (b, NULL, NULL, NULL);

  g_assert_nonnull (a_bytes);
  g_assert_true (g_bytes_equal (a_bytes, b_bytes));
}

/* Save As copies the app's file, which carries the metadata. */
static void
test_save_as_keeps_metadata (Fixture       *fx,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->out, "chosen.png", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  seedream_result_save_copy_async (fx->source, destination, NULL, store_result_cb, &result);
  wait_for (&result);
  g_assert_true (seedream_result_save_copy_finish (result, &error));
  g_assert_no_error (error);

  assert_same_bytes (fx->source, destination);
  assert_carries_metadata (destination);
}

/* A drag offers that same file (and its bytes), so what lands carries it. */
static void
test_drag_offers_the_file (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GdkContentProvider) provider = seedream_result_content_provider_new (fx->source);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  GFile *offered;

  g_value_init (&value, G_TYPE_FILE);
  g_assert_true (gdk_content_provider_get_value (provider, &value, &error));
  g_assert_no_error (error);
  offered = g_value_get_object (&value);
  g_assert_true (g_file_equal (offered, fx->source));
  assert_carries_metadata (offered);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* Save All: every image with a file, byte copies, never overwriting. */
static void
test_save_all (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GListStore) results = g_list_store_new (SEEDREAM_TYPE_SUBMISSION_RESULT);
  g_autoptr(GError) failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "failed");
  g_autoptr(SeedreamSubmissionResult) first = seedream_submission_result_new (0, fx->source, 300, 257, NULL);
  g_autoptr(SeedreamSubmissionResult) failed = seedream_submission_result_new (1, NULL, 0, 0, failure);
  g_autoptr(GFile) out = g_file_new_for_path (fx->out);
  g_autofree char *second_path = g_build_filename (fx->tmp, "results", "2.png", NULL);
  g_autoptr(GFile) second_file = g_file_new_for_path (second_path);
  g_autoptr(SeedreamSubmissionResult) second = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_true (g_file_copy (fx->source, second_file, G_FILE_COPY_NONE, NULL, NULL, NULL, NULL));
  second = seedream_submission_result_new (2, second_file, 300, 257, NULL);
  g_list_store_append (results, first);
  g_list_store_append (results, failed);
  g_list_store_append (results, second);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      seedream_save_all_to_folder_async (G_LIST_MODEL (results), PROMPT, out, NULL, store_result_cb, &result);
      wait_for (&result);
      g_assert_cmpuint (seedream_save_all_to_folder_finish (result, &error), ==, 2);
      g_assert_no_error (error);
    }

  /* Twice two images: four files, the second round numbered " (2)". */
  g_assert_cmpuint (count_files (fx->out), ==, 4);
  dir = g_dir_open (fx->out, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GFile) saved = g_file_get_child (out, name);

      g_assert_true (g_str_has_suffix (name, " 1.png") || g_str_has_suffix (name, " 3.png") ||
                     g_str_has_suffix (name, " 1 (2).png") || g_str_has_suffix (name, " 3 (2).png"));
      g_assert_nonnull (strstr (name, "a lighthouse at dusk long exposure"));
      assert_same_bytes (fx->source, saved);
    }
}

/* Save All into a folder that vanished: an error, nothing made. */
static void
test_save_all_vanished (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GListStore) results = g_list_store_new (SEEDREAM_TYPE_SUBMISSION_RESULT);
  g_autoptr(SeedreamSubmissionResult) first = seedream_submission_result_new (0, fx->source, 300, 257, NULL);
  g_autofree char *gone = g_build_filename (fx->tmp, "gone", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (gone);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_list_store_append (results, first);
  seedream_save_all_to_folder_async (G_LIST_MODEL (results), PROMPT, dir, NULL, store_result_cb, &result);
  wait_for (&result);
  g_assert_cmpuint (seedream_save_all_to_folder_finish (result, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_text_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static void
test_copy_prompt (Fixture       *fx,
                  gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *thumbnail = seedream_result_thumbnail_new (fx->source, 0, 1);
  ClipboardRead read = { NULL, FALSE };

  seedream_result_thumbnail_set_prompt (SEEDREAM_RESULT_THUMBNAIL (thumbnail), PROMPT);
  gtk_window_set_child (GTK_WINDOW (window), thumbnail);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (gtk_widget_activate_action (thumbnail, "result.copy-prompt", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (thumbnail), NULL, clipboard_text_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (read.text, ==, PROMPT);

  g_free (read.text);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The switch is the setting, off by default; every control has a name. */
static void
test_saving_group (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *group = g_object_new (SEEDREAM_TYPE_SAVING_GROUP, NULL);
  GtkWidget *save_row;
  GtkWidget *folder_row;
  GtkWidget *button;
  g_autofree char *folder_uri = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (fx->out);

  gtk_window_set_child (GTK_WINDOW (window), group);
  gtk_window_present (GTK_WINDOW (window));

  save_row = GTK_WIDGET (gtk_widget_get_template_child (group, SEEDREAM_TYPE_SAVING_GROUP, "save_row"));
  folder_row = GTK_WIDGET (gtk_widget_get_template_child (group, SEEDREAM_TYPE_SAVING_GROUP, "folder_row"));
  button = GTK_WIDGET (gtk_widget_get_template_child (group, SEEDREAM_TYPE_SAVING_GROUP, "choose_button"));
  g_assert_nonnull (save_row);
  g_assert_false (g_settings_get_boolean (settings, "save-finished-images"));
  g_assert_false (adw_switch_row_get_active (ADW_SWITCH_ROW (save_row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (save_row)), ==, "Save Finished Images To");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (folder_row)), ==, "No folder chosen");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Choose Folder…");

  /* A folder chosen elsewhere (the toast's button) shows here. */
  folder_uri = g_file_get_uri (out);
  g_settings_set_string (settings, "output-folder", folder_uri);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (folder_row)), ==, fx->out);
  g_settings_set_boolean (settings, "save-finished-images", TRUE);
  g_assert_true (adw_switch_row_get_active (ADW_SWITCH_ROW (save_row)));

  g_settings_reset (settings, "save-finished-images");
  g_settings_reset (settings, "output-folder");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/seedream/saving/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("save-as-keeps-metadata", test_save_as_keeps_metadata);
  ADD ("drag-offers-the-file", test_drag_offers_the_file);
  ADD ("save-all", test_save_all);
  ADD ("save-all-vanished", test_save_all_vanished);
  ADD ("copy-prompt", test_copy_prompt);
  ADD ("saving-group", test_saving_group);

  return g_test_run ();
}
