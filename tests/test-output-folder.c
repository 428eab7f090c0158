/* test-output-folder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Copies into a chosen folder: named for people, never overwriting, byte
 * for byte (so the metadata stays), and a vanished or unwritable folder
 * said once, in words.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gexiv2/gexiv2.h>

#include "seedream-auto-saver.h"
#include "seedream-image-metadata.h"
#include "seedream-output-folder.h"
#include "seedream-test-util.h"

typedef struct
{
  char      *tmp;
  char      *out;
  GFile     *source;
  GSettings *settings;
  GPtrArray *said;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GBytes) png = seedream_test_load_image ("rgb-300x257.png");
  g_autoptr(SeedreamImageMetadata) metadata = NULL;
  g_autoptr(GDateTime) modified = g_date_time_new_local (2026, 3, 14, 15, 9, 26);
  g_autoptr(GFileInfo) info = g_file_info_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *results = NULL;

  fx->tmp = g_dir_make_tmp ("seedream-output-XXXXXX", NULL);
  results = g_build_filename (fx->tmp, "results", NULL);
  fx->out = g_build_filename (fx->tmp, "Pictures", NULL);
  g_mkdir (results, 0700);
  g_mkdir (fx->out, 0700);

  fx->source = seedream_test_write_file (results, "0.png", g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  metadata = seedream_image_metadata_new ("a red fox / in the snow", "seedream-4.5", "2K", 0, "task-1", NULL);
  g_assert_true (seedream_image_metadata_write (metadata, fx->source, NULL, &error));
  g_assert_no_error (error);

  g_file_info_set_modification_date_time (info, modified);
  g_file_set_attributes_from_info (fx->source, info, G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);

  fx->settings = g_settings_new ("io.github.seedreamstudio.SeedreamStudio");
  fx->said = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *ro = g_build_filename (fx->tmp, "read-only", NULL);

  g_chmod (ro, 0700);
  g_settings_reset (fx->settings, "save-finished-images");
  g_settings_reset (fx->settings, "output-folder");
  g_clear_object (&fx->settings);
  g_clear_object (&fx->source);
  g_clear_pointer (&fx->said, g_ptr_array_unref);
  seedream_test_remove_tree (fx->tmp);
  g_free (fx->tmp);
  g_free (fx->out);
}

static GFile *
save (Fixture  *fx,
      GFile    *dir,
      GError  **error)
{
  return seedream_output_folder_save (dir, fx->source, "a red fox / in the snow", 1, NULL, error);
}

static void
test_named_and_kept (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (fx->out);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) first = save (fx, dir, &error);
  g_autoptr(GFile) second = NULL;
  g_autoptr(GBytes) source_bytes = NULL;
  g_autoptr(GBytes) first_bytes = NULL;
  g_autoptr(GBytes) second_bytes = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *second_name = NULL;

  g_assert_no_error (error);
  first_name = g_file_get_basename (first);
  g_assert_cmpstr (first_name, ==, "2026-03-14 15.09.26 a red fox in the snow 1.png");

  /* The same name again: a second file, the first one untouched. */
  second = save (fx, dir, &error);
  g_assert_no_error (error);
  second_name = g_file_get_basename (second);
  g_assert_cmpstr (second_name, ==, "2026-03-14 15.09.26 a red fox in the snow 1 (2).png");

  /* Byte copies: the metadata written into the app's file is there. */
  source_bytes = g_file_load_bytes (fx->source, NULL, NULL, NULL);
  first_bytes = g_file_load_bytes (first, NULL, NULL, NULL);
  second_bytes = g_file_load_bytes (second, NULL, NULL, NULL);
  g_assert_true (g_bytes_equal (source_bytes, first_bytes));
  g_assert_true (g_bytes_equal (source_bytes, second_bytes));
  {
    g_autoptr(GExiv2Metadata) md = gexiv2_metadata_new ();
    g_autofree char *source_type = NULL;

    gexiv2_metadata_open_path (md, g_file_peek_path (first), &error);
    g_assert_no_error (error);
    source_type = gexiv2_metadata_try_get_tag_string (md, "Xmp.iptcExt.DigitalSourceType", NULL);
    g_assert_cmpstr (source_type, ==, SEEDREAM_DIGITAL_SOURCE_TYPE);
  }
}

static void
test_vanished (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *gone = g_build_filename (fx->tmp, "gone", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (gone);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) copy = save (fx, dir, &error);
  g_autofree char *message = NULL;

  g_assert_null (copy);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  /* Never made again behind the person's back. */
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));

  message = seedream_output_folder_describe_error (dir, error);
  g_assert_nonnull (strstr (message, "is gone"));
  g_assert_nonnull (strstr (message, gone));
  g_assert_nonnull (strstr (message, "choose another folder"));
}

/* A folder that cannot be written. root writes anywhere (the build root
 * runs the tests as root), so there only the words are checked. */
static void
test_unwritable (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *ro = g_build_filename (fx->tmp, "read-only", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (ro);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autofree char *message = NULL;

  if (getuid () == 0)
    {
      g_autoptr(GError) denied = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Permission denied");

      message = seedream_output_folder_describe_error (dir, denied);
      g_assert_nonnull (strstr (message, "cannot be written"));
      g_test_skip ("root can write into a read-only folder: only the message was checked");
      return;
    }

  g_mkdir (ro, 0700);
  g_chmod (ro, 0500);
  copy = save (fx, dir, &error);
  g_assert_null (copy);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  message = seedream_output_folder_describe_error (dir, error);
  g_assert_nonnull (strstr (message, "cannot be written"));
  g_assert_nonnull (strstr (message, "choose another folder"));
}

static void
failed_cb (SeedreamAutoSaver *saver,
           const char        *message,
           Fixture           *fx)
{
  g_ptr_array_add (fx->said, g_strdup (message));
}

static gboolean
n_files_is (gpointer data)
{
  gpointer *args = data;
  g_autoptr(GDir) dir = g_dir_open (args[0], 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n == GPOINTER_TO_UINT (args[1]);
}

static gboolean
n_said_is (gpointer data)
{
  gpointer *args = data;
  Fixture *fx = args[0];

  return fx->said->len == GPOINTER_TO_UINT (args[1]);
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_auto_saver (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GListStore) submissions = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(SeedreamAutoSaver) saver = seedream_auto_saver_new (G_LIST_MODEL (submissions), fx->settings);
  g_autoptr(SeedreamSubmissionResult) result = seedream_submission_result_new (0, fx->source, 300, 257, NULL);
  g_autoptr(SeedreamSubmissionResult) failed = NULL;
  g_autoptr(SeedreamSubmissionResult) fresh = NULL;
  g_autofree char *fresh_path = g_build_filename (fx->tmp, "results", "9.png", NULL);
  g_autoptr(GFile) fresh_file = g_file_new_for_path (fresh_path);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "no");
  g_autoptr(GFile) out = g_file_new_for_path (fx->out);
  g_autofree char *out_uri = g_file_get_uri (out);
  g_autofree char *gone = g_build_filename (fx->tmp, "gone", NULL);
  g_autoptr(GFile) gone_dir = g_file_new_for_path (gone);
  g_autofree char *gone_uri = g_file_get_uri (gone_dir);
  gpointer one_file[] = { fx->out, GUINT_TO_POINTER (1) };
  gpointer said_once[] = { fx, GUINT_TO_POINTER (1) };
  gpointer said_twice[] = { fx, GUINT_TO_POINTER (2) };

  g_signal_connect (saver, "failed", G_CALLBACK (failed_cb), fx);

  /* Off by default: nothing is copied. */
  g_assert_null (seedream_auto_saver_dup_folder (saver));
  seedream_auto_saver_save_result (saver, "a red fox", result);
  spin (200);
  g_assert_true (n_files_is ((gpointer[]) { fx->out, GUINT_TO_POINTER (0) }));

  g_settings_set_string (fx->settings, "output-folder", out_uri);
  g_settings_set_boolean (fx->settings, "save-finished-images", TRUE);

  /* The fixture's file was written (its mtime says) before the saver
   * began, as after a restart: it was copied in that earlier run. */
  seedream_auto_saver_save_result (saver, "a red fox", result);
  spin (300);
  g_assert_true (n_files_is ((gpointer[]) { fx->out, GUINT_TO_POINTER (0) }));

  /* One written now is copied. */
  g_assert_true (g_file_copy (fx->source, fresh_file, G_FILE_COPY_TARGET_DEFAULT_MODIFIED_TIME, NULL, NULL, NULL, NULL));
  fresh = seedream_submission_result_new (0, fresh_file, 300, 257, NULL);
  seedream_auto_saver_save_result (saver, "a red fox", fresh);
  g_assert_true (seedream_test_wait_until (n_files_is, one_file, 10));

  /* The same result again, and one that failed: no more files. */
  seedream_auto_saver_save_result (saver, "a red fox", fresh);
  failed = seedream_submission_result_new (1, NULL, 0, 0, error);
  seedream_auto_saver_save_result (saver, "a red fox", failed);
  spin (200);
  g_assert_true (n_files_is (one_file));
  g_assert_cmpuint (fx->said->len, ==, 0);

  /* The folder vanishes: said once for two results, in words. */
  g_settings_set_string (fx->settings, "output-folder", gone_uri);
  {
    g_autoptr(GFile) other = g_file_new_for_path (g_file_peek_path (fx->source));
    g_autoptr(SeedreamSubmissionResult) r1 = NULL;
    g_autoptr(SeedreamSubmissionResult) r2 = NULL;
    g_autofree char *copy1 = g_build_filename (fx->tmp, "results", "1.png", NULL);
    g_autofree char *copy2 = g_build_filename (fx->tmp, "results", "2.png", NULL);
    g_autoptr(GFile) f1 = g_file_new_for_path (copy1);
    g_autoptr(GFile) f2 = g_file_new_for_path (copy2);

    g_file_copy (other, f1, G_FILE_COPY_TARGET_DEFAULT_MODIFIED_TIME, NULL, NULL, NULL, NULL);
    g_file_copy (other, f2, G_FILE_COPY_TARGET_DEFAULT_MODIFIED_TIME, NULL, NULL, NULL, NULL);
    r1 = seedream_submission_result_new (1, f1, 300, 257, NULL);
    r2 = seedream_submission_result_new (2, f2, 300, 257, NULL);
    seedream_auto_saver_save_result (saver, "a red fox", r1);
    seedream_auto_saver_save_result (saver, "a red fox", r2);
    g_assert_true (seedream_test_wait_until (n_said_is, said_once, 10));
    spin (200);
    g_assert_cmpuint (fx->said->len, ==, 1);
    g_assert_nonnull (strstr (g_ptr_array_index (fx->said, 0), "is gone"));
    g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));

    /* Another folder chosen, and gone too: said again. */
    g_settings_set_string (fx->settings, "output-folder", "file:///nonexistent-seedream-folder");
    {
      g_autofree char *copy3 = g_build_filename (fx->tmp, "results", "3.png", NULL);
      g_autoptr(GFile) f3 = g_file_new_for_path (copy3);
      g_autoptr(SeedreamSubmissionResult) r3 = NULL;

      g_file_copy (other, f3, G_FILE_COPY_TARGET_DEFAULT_MODIFIED_TIME, NULL, NULL, NULL, NULL);
      r3 = seedream_submission_result_new (3, f3, 300, 257, NULL);
      seedream_auto_saver_save_result (saver, "a red fox", r3);
      g_assert_true (seedream_test_wait_until (n_said_is, said_twice, 10));
    }
  }

  /* The images are still in the app's data. */
  g_assert_true (g_file_query_exists (fx->source, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/seedream/output-folder/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("named-and-kept", test_named_and_kept);
  ADD ("vanished", test_vanished);
  ADD ("unwritable", test_unwritable);
  ADD ("auto-saver", test_auto_saver);

  return g_test_run ();
}
