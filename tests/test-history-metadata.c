/* test-history-metadata.c: the images of rows from before the metadata
 * was written into every result are given it (migration 7 and
 * seedream_history_stamp_older_results_async()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gexiv2/gexiv2.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "seedream-history.h"
#include "seedream-history-private.h"
#include "seedream-image-metadata.h"
#include "seedream-model.h"
#include "seedream-test-util.h"

typedef SeedreamTestDataDir Fixture;

/* A PNG without metadata in @dir. */
static char *
write_png (const char *dir,
           const char *name)
{
  g_autoptr(GBytes) png = seedream_test_load_image ("rgb-300x257.png");
  g_autoptr(GFile) file = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  file = seedream_test_write_file (dir, name, g_bytes_get_data (png, NULL), g_bytes_get_size (png));

  return g_file_get_path (file);
}

/* A done row of @prompt whose results are @paths (NULL: not downloaded). */
static gint64
add_done (SeedreamHistory    *history,
          const char         *prompt,
          const char         *task_id,
          const char * const *paths,
          guint               n_paths)
{
  g_autoptr(GError) error = NULL;
  gint64 id = seedream_test_add_submission (history, prompt, "2048x2048", n_paths);

  g_assert_true (seedream_history_set_submitted (history, id, task_id, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n_paths; i++)
    {
      g_assert_true (seedream_history_set_result (history, id, i, "https://files.example/r.png", paths[i],
                                                  300, 257, &error));
      g_assert_no_error (error);
    }
  g_assert_true (seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, &error));
  g_assert_no_error (error);

  return id;
}

/* The file as it was before schema 7, as a history of an older version
 * left it. */
static void
back_to_schema_6 (Fixture *fixture)
{
  g_autofree char *db_path = g_build_filename (g_file_peek_path (fixture->data_dir),
                                               SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE metadata_todo; PRAGMA user_version = 6;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
}

static int
count_todo (Fixture *fixture)
{
  g_autofree char *db_path = g_build_filename (g_file_peek_path (fixture->data_dir),
                                               SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM metadata_todo", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the stamping to its end; returns how many it stamped, or -1 with
 * @error set. */
static int
stamp (SeedreamHistory  *history,
       GCancellable     *cancellable,
       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint n_stamped = 0;

  seedream_history_stamp_older_results_async (history, cancellable, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (!seedream_history_stamp_older_results_finish (history, result, &n_stamped, error))
    return -1;

  return (int) n_stamped;
}

static char *
read_tag (const char *path,
          const char *tag)
{
  g_autoptr(GExiv2Metadata) md = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (gexiv2_metadata_open_path (md, path, &error));
  g_assert_no_error (error);

  return gexiv2_metadata_try_get_tag_string (md, tag, NULL);
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));

  return g_bytes_new_take (contents, len);
}

/* An old history: its rows' images get the metadata once, newest rows
 * first, what has it already is left byte for byte, and what is not the
 * history's own (outside results/, a link, gone, not an image) is left
 * alone without stopping the rest. */
static void
test_older_results_stamped (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) marked_before = NULL;
  g_autoptr(GBytes) outside_before = NULL;
  g_autoptr(GBytes) target_before = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SeedreamImageMetadata) metadata = NULL;
  g_autoptr(GFile) marked_file = NULL;
  g_autofree char *results = g_file_get_path (seedream_history_get_results_dir (history));
  g_autofree char *old_dir = g_build_filename (results, "task-old", NULL);
  g_autofree char *odd_dir = g_build_filename (results, "task-odd", NULL);
  g_autofree char *first = write_png (old_dir, "0.png");
  g_autofree char *second = write_png (old_dir, "1.png");
  g_autofree char *marked = write_png (odd_dir, "0.png");
  g_autofree char *outside = write_png (fixture->dir, "elsewhere.png");
  g_autofree char *link = g_build_filename (odd_dir, "link.png", NULL);
  g_autofree char *gone = g_build_filename (odd_dir, "gone.png", NULL);
  g_autofree char *not_image = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GFile) not_image_file = NULL;
  const char *old_paths[] = { first, second };
  const char *odd_paths[6];

  /* Another app's image reached through a link in results/. */
  g_assert_cmpint (symlink (outside, link), ==, 0);
  not_image_file = seedream_test_write_file (odd_dir, "text.png", "not an image", 12);
  not_image = g_file_get_path (not_image_file);
  /* One that has the mark already, from a version between the two. */
  marked_file = g_file_new_for_path (marked);
  metadata = seedream_image_metadata_new ("written then", "seedreamv45", "2K", 0, "task-odd", NULL);
  g_assert_true (seedream_image_metadata_write (metadata, marked_file, NULL, &error));
  g_assert_no_error (error);
  odd_paths[0] = marked;
  odd_paths[1] = outside;
  odd_paths[2] = link;
  odd_paths[3] = gone;
  odd_paths[4] = not_image;
  odd_paths[5] = NULL;

  add_done (history, "a lighthouse at dawn", "task-old", old_paths, 2);
  add_done (history, "odd files", "task-odd", odd_paths, 5);
  /* A new history lists nothing to do: its rows are written with it. */
  g_assert_cmpint (count_todo (fixture), ==, 0);
  seedream_test_close_history (&history);

  back_to_schema_6 (fixture);
  marked_before = read_bytes (marked);
  outside_before = read_bytes (outside);
  history = seedream_test_open_history (fixture->data_dir);
  g_assert_cmpint (seedream_history_get_schema_version (history), ==, 7);
  g_assert_cmpint (count_todo (fixture), ==, 2);

  g_assert_cmpint (stamp (history, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (count_todo (fixture), ==, 0);

  value = read_tag (first, "Xmp.iptcExt.DigitalSourceType");
  g_assert_cmpstr (value, ==, SEEDREAM_DIGITAL_SOURCE_TYPE);
  g_clear_pointer (&value, g_free);
  value = read_tag (second, "Xmp.dc.description");
  g_assert_nonnull (strstr (value, "a lighthouse at dawn"));
  g_clear_pointer (&value, g_free);
  value = read_tag (second, "Xmp." SEEDREAM_XMP_PREFIX ".BatchNumber");
  g_assert_cmpstr (value, ==, "2");
  g_clear_pointer (&value, g_free);
  value = read_tag (second, "Xmp." SEEDREAM_XMP_PREFIX ".TaskId");
  g_assert_cmpstr (value, ==, "task-old");
  g_clear_pointer (&value, g_free);
  value = read_tag (first, "Xmp." SEEDREAM_XMP_PREFIX ".Model");
  g_assert_cmpstr (value, ==, seedream_model_get_default ()->id);
  g_clear_pointer (&value, g_free);

  bytes = read_bytes (marked);
  g_assert_true (g_bytes_equal (bytes, marked_before));
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = read_bytes (outside);
  g_assert_true (g_bytes_equal (bytes, outside_before));
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));

  /* Done once: the next start has nothing to do. */
  g_assert_cmpint (stamp (history, NULL, &error), ==, 0);
  g_assert_no_error (error);
  seedream_test_close_history (&history);
}

/* Cancelled (the app closing), the rows not done stay listed for the next
 * start. */
static void
test_cancelled_kept (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *results = g_file_get_path (seedream_history_get_results_dir (history));
  g_autofree char *dir = g_build_filename (results, "task-1", NULL);
  g_autofree char *path = write_png (dir, "0.png");
  const char *paths[] = { path };

  add_done (history, "a kite", "task-1", paths, 1);
  seedream_test_close_history (&history);
  back_to_schema_6 (fixture);
  history = seedream_test_open_history (fixture->data_dir);

  g_cancellable_cancel (cancellable);
  g_assert_cmpint (stamp (history, cancellable, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count_todo (fixture), ==, 1);
  g_clear_error (&error);

  g_assert_cmpint (stamp (history, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (count_todo (fixture), ==, 0);
  seedream_test_close_history (&history);
}

/* Deleting a row takes it off the list. */
static void
test_deleted_row_dropped (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *results = g_file_get_path (seedream_history_get_results_dir (history));
  g_autofree char *dir = g_build_filename (results, "task-2", NULL);
  g_autofree char *path = write_png (dir, "0.png");
  const char *paths[] = { path };
  gint64 id;

  id = add_done (history, "a boat", "task-2", paths, 1);
  seedream_test_close_history (&history);
  back_to_schema_6 (fixture);
  history = seedream_test_open_history (fixture->data_dir);
  g_assert_cmpint (count_todo (fixture), ==, 1);

  g_assert_true (seedream_history_delete_submissions (history, &id, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_todo (fixture), ==, 0);
  g_assert_cmpint (stamp (history, NULL, &error), ==, 0);
  g_assert_no_error (error);
  seedream_test_close_history (&history);
}

typedef struct
{
  char   *db_path;
  gint64  id;
  guint   calls;
} DeleteDuring;

/* What the deletion does first, its commit, while the worker is about to
 * write an image (its files go after: seedream-history-delete.c). */
static void
delete_row_hook (const char *path,
                 gpointer    user_data)
{
  DeleteDuring *during = user_data;
  g_autofree char *sql = g_strdup_printf ("DELETE FROM submissions WHERE id = %" G_GINT64_FORMAT, during->id);
  sqlite3 *db = NULL;

  if (during->calls++ > 0)
    return;
  g_assert_cmpint (sqlite3_open (during->db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A row deleted while its images are being rewritten: the rewrite does not
 * bring them back, nor their folder. */
static void
test_deleted_while_written (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *results = g_file_get_path (seedream_history_get_results_dir (history));
  g_autofree char *dir = g_build_filename (results, "task-3", NULL);
  g_autofree char *first = write_png (dir, "0.png");
  g_autofree char *second = write_png (dir, "1.png");
  const char *paths[] = { first, second };
  DeleteDuring during = { 0 };

  during.id = add_done (history, "a tent", "task-3", paths, 2);
  during.db_path = g_build_filename (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  seedream_test_close_history (&history);
  back_to_schema_6 (fixture);
  history = seedream_test_open_history (fixture->data_dir);

  seedream_history_set_stamp_hook (delete_row_hook, &during);
  g_assert_cmpint (stamp (history, NULL, &error), ==, 0);
  seedream_history_set_stamp_hook (NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (during.calls, ==, 2);

  g_assert_false (g_file_test (first, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (second, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_cmpint (count_todo (fixture), ==, 0);
  g_free (during.db_path);
  seedream_test_close_history (&history);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, seedream_test_data_dir_setup, func, seedream_test_data_dir_teardown)
  ADD ("/seedream/history-metadata/older-results-stamped", test_older_results_stamped);
  ADD ("/seedream/history-metadata/cancelled-kept", test_cancelled_kept);
  ADD ("/seedream/history-metadata/deleted-row-dropped", test_deleted_row_dropped);
  ADD ("/seedream/history-metadata/deleted-while-written", test_deleted_while_written);
#undef ADD

  return g_test_run ();
}
