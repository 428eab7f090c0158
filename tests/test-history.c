/* test-history.c: the SQLite history store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "seedream-history.h"
#include "seedream-history-entry.h"
#include "seedream-history-private.h"
#include "seedream-model.h"
#include "seedream-test-util.h"

/* Fixtures and helpers */

typedef struct
{
  char    *dir;        /* the temporary folder of the test */
  GFile   *data_dir;   /* dir/data: the history's folder */
  GArray  *added;      /* gint64 ids from ::entry-added */
  GArray  *changed;    /* gint64 ids from ::entry-changed */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_path = NULL;

  fixture->dir = g_dir_make_tmp ("seedream-history-XXXXXX", &error);
  g_assert_no_error (error);
  data_path = g_build_filename (fixture->dir, "data", NULL);
  fixture->data_dir = g_file_new_for_path (data_path);
  fixture->added = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->changed = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  seedream_test_remove_tree (fixture->dir);
  g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_object (&fixture->data_dir);
  g_clear_pointer (&fixture->added, g_array_unref);
  g_clear_pointer (&fixture->changed, g_array_unref);
}

static void
entry_added_cb (SeedreamHistory *history,
                gint64           id,
                Fixture         *fixture)
{
  g_array_append_val (fixture->added, id);
}

static void
entry_changed_cb (SeedreamHistory *history,
                  gint64           id,
                  Fixture         *fixture)
{
  g_array_append_val (fixture->changed, id);
}

static SeedreamHistory *
open_history (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SeedreamHistory *history;

  history = seedream_history_new (fixture->data_dir, &error);
  g_assert_no_error (error);
  g_assert_true (SEEDREAM_IS_HISTORY (history));

  g_signal_connect (history, "entry-added", G_CALLBACK (entry_added_cb), fixture);
  g_signal_connect (history, "entry-changed", G_CALLBACK (entry_changed_cb), fixture);

  return history;
}

static char *
data_path (Fixture    *fixture,
           const char *name)
{
  return g_build_filename (g_file_peek_path (fixture->data_dir), name, NULL);
}

static char *
db_path (Fixture *fixture)
{
  return data_path (fixture, SEEDREAM_HISTORY_DATABASE_NAME);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return path;
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);

  /* The schema\'s triggers call it. */

  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);

  return db;
}

static void
exec_raw (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static void
async_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs add_submission to the end; returns the id, or 0 with @error set. */
static gint64
add_submission (SeedreamHistory  *history,
                SeedreamRequest  *request,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_history_add_submission_async (history, request, cancellable, async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return seedream_history_add_submission_finish (history, result, error);
}

static SeedreamRequest *
make_request (const char *prompt)
{
  SeedreamRequest *request = seedream_request_new ();

  seedream_request_set_prompt (request, prompt);
  seedream_request_set_resolution (request, "16:9");
  seedream_request_set_batch_size (request, 3);

  return request;
}

static gint64
add_prompt (SeedreamHistory *history,
            const char      *prompt)
{
  g_autoptr(SeedreamRequest) request = make_request (prompt);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = add_submission (history, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static guint
count_files (const char *path,
             const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (prefix == NULL || g_str_has_prefix (name, prefix))
      n++;

  return n;
}

static gboolean
array_contains (GArray *array,
                gint64  id)
{
  for (guint i = 0; i < array->len; i++)
    if (g_array_index (array, gint64, i) == id)
      return TRUE;

  return FALSE;
}

/* Tests */

static void
test_state_strings (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int state = SEEDREAM_HISTORY_STATE_SENDING; state <= SEEDREAM_HISTORY_STATE_NO_IMAGES; state++)
    {
      const char *text = seedream_history_state_to_string (state);

      g_assert_nonnull (text);
      g_assert_cmpuint (strlen (text), >, 0);
      g_assert_false (g_hash_table_contains (seen, text));
      g_hash_table_add (seen, (gpointer) text);
    }

  g_assert_cmpstr (seedream_history_state_to_string (SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN), ==, "Outcome unknown");
  g_assert_cmpstr (seedream_history_state_to_string (SEEDREAM_HISTORY_STATE_SEND_FAILED), ==, "Not sent");
  /* Finished without images is neither "Failed" nor "Done". */
  g_assert_cmpstr (seedream_history_state_to_string (SEEDREAM_HISTORY_STATE_NO_IMAGES), ==, "No images");
}

static void
test_schema (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autofree char *path = db_path (fixture);
  g_autofree char *sources = data_path (fixture, "sources");
  g_autofree char *results = data_path (fixture, "results");
  g_autofree char *journal_mode = NULL;
  sqlite3 *db;

  g_assert_cmpint (seedream_history_get_schema_version (history), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  g_assert_cmpint (SEEDREAM_HISTORY_SCHEMA_VERSION, >=, 2);
  g_assert_null (seedream_history_get_recovered_file (history));
  g_assert_true (g_file_equal (seedream_history_get_data_dir (history), fixture->data_dir));
  g_assert_cmpstr (g_file_peek_path (seedream_history_get_results_dir (history)), ==, results);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (sources, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (results, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (seedream_history_count (history, NULL, NULL), ==, 0);

  /* A second connection sees what the first made. */
  db = open_raw (path);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  journal_mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                  "('submissions', 'submission_sources', 'results')"), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_index_list('submissions') "
                                  "WHERE name = 'submissions_task_id'"), ==, 1);
  /* Version 3: the count of submissions and the triggers that keep it. */
  g_assert_cmpint (query_int (db, "SELECT n FROM submission_count"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                  "AND tbl_name = 'submissions' AND name IN "
                                  "('submissions_count_insert', 'submissions_count_delete')"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_table_info('submissions') "
                                  "WHERE name IN ('id', 'created', 'prompt', 'resolution', 'batch_size', "
                                  "'image_url', 'state', 'task_id', 'error_message', 'server_message', "
                                  "'model')"), ==, 11);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_foreign_key_list('results')"), ==, 1);
  sqlite3_close (db);
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(SeedreamRequest) request = make_request ("a lighthouse at dusk");
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time ();
  gint64 id;
  GPtrArray *results;

  seedream_request_set_image_url (request, "https://example.com/ref.png");
  id = add_submission (history, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_submitted (history, id, "abcd_1234", &error));
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_result (history, id, 0, "https://files.example/0.png",
                                              NULL, 2560, 1440, &error));
  g_assert_no_error (error);
  seedream_test_close_history (&history);

  history = open_history (fixture);
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 1);
  g_assert_no_error (error);

  entry = seedream_history_lookup (history, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_history_entry_get_id (entry), ==, id);
  g_assert_cmpstr (seedream_history_entry_get_prompt (entry), ==, "a lighthouse at dusk");
  g_assert_cmpstr (seedream_history_entry_get_resolution (entry), ==, "16:9");
  g_assert_cmpuint (seedream_history_entry_get_batch_size (entry), ==, 3);
  g_assert_cmpstr (seedream_history_entry_get_image_url (entry), ==, "https://example.com/ref.png");
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_SUBMITTED);
  g_assert_cmpstr (seedream_history_entry_get_task_id (entry), ==, "abcd_1234");
  g_assert_null (seedream_history_entry_get_error_message (entry));
  g_assert_cmpint (g_date_time_to_unix_usec (seedream_history_entry_get_created (entry)), >=, before);
  g_assert_cmpint (g_date_time_to_unix_usec (seedream_history_entry_get_created (entry)), <=, g_get_real_time ());
  g_assert_cmpstr (seedream_history_entry_get_model_id (entry), ==, seedream_model_get_default ()->id);

  results = seedream_history_entry_get_results (entry);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (seedream_history_result_get_url (g_ptr_array_index (results, 0)), ==, "https://files.example/0.png");
  g_assert_null (seedream_history_result_get_local_path (g_ptr_array_index (results, 0)));
  g_assert_cmpuint (seedream_history_result_get_width (g_ptr_array_index (results, 0)), ==, 2560);
  g_assert_cmpuint (seedream_history_result_get_height (g_ptr_array_index (results, 0)), ==, 1440);
}

static void
test_add_sources (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(SeedreamRequest) first = make_request ("first");
  g_autoptr(SeedreamRequest) second = make_request ("second");
  g_autoptr(SeedreamRequest) reuse = NULL;
  g_autoptr(SeedreamHistoryEntry) entry1 = NULL;
  g_autoptr(SeedreamHistoryEntry) entry2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *originals = g_build_filename (fixture->dir, "originals", NULL);
  g_autofree char *sources = data_path (fixture, "sources");
  g_autofree char *hash_a = NULL;
  g_autofree char *hash_b = NULL;
  g_autofree char *expected_a = NULL;
  g_autofree char *expected_b = NULL;
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  g_autofree char *path_c = NULL;
  g_autoptr(GFile) file_a = NULL;
  g_autoptr(GFile) file_b = NULL;
  g_autoptr(GFile) file_c = NULL;
  const char * const *paths;
  const char content_a[] = "\x89PNG\r\n\x1a\n pretend image A";
  const char content_b[] = "\xff\xd8\xff pretend image B";
  gint64 id1, id2;
  GListModel *files;

  g_assert_cmpint (g_mkdir (originals, 0700), ==, 0);
  path_a = write_file (originals, "photo.PNG", content_a, sizeof content_a - 1);
  path_b = write_file (originals, "other.jpg", content_b, sizeof content_b - 1);
  /* The same bytes as A under another name. */
  path_c = write_file (originals, "copy-of-photo.png", content_a, sizeof content_a - 1);
  file_a = g_file_new_for_path (path_a);
  file_b = g_file_new_for_path (path_b);
  file_c = g_file_new_for_path (path_c);

  seedream_request_add_source_file (first, file_a);
  seedream_request_add_source_file (first, file_b);
  seedream_request_add_source_file (second, file_c);

  id1 = add_submission (history, first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_cmpint (g_array_index (fixture->added, gint64, 0), ==, id1);

  id2 = add_submission (history, second, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id2, >, id1);
  g_assert_cmpuint (fixture->added->len, ==, 2);
  g_assert_cmpint (g_array_index (fixture->added, gint64, 1), ==, id2);

  /* Named by content, extension kept (lower case): A is kept once. */
  hash_a = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) content_a, sizeof content_a - 1);
  hash_b = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) content_b, sizeof content_b - 1);
  expected_a = g_strdup_printf ("%s/%s.png", sources, hash_a);
  expected_b = g_strdup_printf ("%s/%s.jpg", sources, hash_b);
  g_assert_cmpuint (count_files (sources, NULL), ==, 2);
  g_assert_true (g_file_test (expected_a, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (expected_b, G_FILE_TEST_IS_REGULAR));

  entry1 = seedream_history_lookup (history, id1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_history_entry_get_state (entry1), ==, SEEDREAM_HISTORY_STATE_SENDING);
  paths = seedream_history_entry_get_source_paths (entry1);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 2);
  g_assert_cmpstr (paths[0], ==, expected_a);
  g_assert_cmpstr (paths[1], ==, expected_b);

  entry2 = seedream_history_lookup (history, id2, &error);
  g_assert_no_error (error);
  paths = seedream_history_entry_get_source_paths (entry2);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, expected_a);

  /* The originals go away; the copies stay whole. */
  g_assert_cmpint (g_unlink (path_a), ==, 0);
  g_assert_cmpint (g_rename (path_b, path_c), ==, 0);
  {
    g_autofree char *copy = NULL;
    gsize length;

    g_file_get_contents (expected_a, &copy, &length, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (copy, length, content_a, sizeof content_a - 1);
    g_clear_pointer (&copy, g_free);

    g_file_get_contents (expected_b, &copy, &length, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (copy, length, content_b, sizeof content_b - 1);
  }

  /* Reuse gives the settings and the copies. */
  reuse = seedream_history_entry_to_request (entry1);
  g_assert_cmpstr (seedream_request_get_prompt (reuse), ==, "first");
  g_assert_cmpstr (seedream_request_get_resolution (reuse), ==, "16:9");
  g_assert_cmpuint (seedream_request_get_batch_size (reuse), ==, 3);
  g_assert_null (seedream_request_get_image_url (reuse));
  g_assert_true (seedream_request_get_model (reuse) == seedream_model_get_default ());
  files = seedream_request_get_source_files (reuse);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 2);
  {
    g_autoptr(GFile) reused_a = g_list_model_get_item (files, 0);
    g_autoptr(GFile) reused_b = g_list_model_get_item (files, 1);

    g_assert_cmpstr (g_file_peek_path (reused_a), ==, expected_a);
    g_assert_cmpstr (g_file_peek_path (reused_b), ==, expected_b);
  }

  /* Stored relative to the data folder, so the folder can move. */
  {
    g_autofree char *path = db_path (fixture);
    g_autofree char *stored = NULL;
    g_autofree char *expected = g_strdup_printf ("sources/%s.png", hash_a);
    sqlite3 *db = open_raw (path);

    stored = query_text (db, "SELECT path FROM submission_sources ORDER BY submission_id, position LIMIT 1");
    g_assert_cmpstr (stored, ==, expected);
    sqlite3_close (db);
  }
}

/* The entry holds what was asked for in one SeedreamRequest, which its
 * getters read; to_request() is a copy of it. */
static void
test_entry_request (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(SeedreamRequest) request = make_request ("a lighthouse");
  g_autoptr(SeedreamRequest) copy = NULL;
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *originals = g_build_filename (fixture->dir, "originals", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *prompt = NULL;
  const char content[] = "\x89PNG\r\n\x1a\n pretend image";
  const char * const *paths;
  SeedreamRequest *held;
  GListModel *files;
  gint64 id;

  g_assert_cmpint (g_mkdir (originals, 0700), ==, 0);
  path = write_file (originals, "photo.png", content, sizeof content - 1);
  file = g_file_new_for_path (path);
  seedream_request_add_source_file (request, file);
  seedream_request_set_image_url (request, "https://example.com/a.png");

  id = add_submission (history, request, NULL, &error);
  g_assert_no_error (error);
  entry = seedream_history_lookup (history, id, &error);
  g_assert_no_error (error);

  held = seedream_history_entry_get_request (entry);
  g_assert_true (SEEDREAM_IS_REQUEST (held));
  g_assert_true (seedream_history_entry_get_request (entry) == held);
  g_assert_true (seedream_request_get_model (held) == seedream_model_get_default ());
  g_assert_cmpstr (seedream_request_get_prompt (held), ==, "a lighthouse");
  g_assert_cmpstr (seedream_request_get_resolution (held), ==, "16:9");
  g_assert_cmpuint (seedream_request_get_batch_size (held), ==, 3);
  g_assert_cmpstr (seedream_request_get_image_url (held), ==, "https://example.com/a.png");

  /* The entry's getters and properties read the request. */
  g_assert_true (seedream_history_entry_get_prompt (entry) == seedream_request_get_prompt (held));
  g_assert_true (seedream_history_entry_get_resolution (entry) == seedream_request_get_resolution (held));
  g_assert_true (seedream_history_entry_get_image_url (entry) == seedream_request_get_image_url (held));
  g_assert_cmpuint (seedream_history_entry_get_batch_size (entry), ==, 3);
  g_object_get (entry, "prompt", &prompt, NULL);
  g_assert_cmpstr (prompt, ==, "a lighthouse");

  /* Its sources are the copies, not the original. */
  paths = seedream_history_entry_get_source_paths (entry);
  g_assert_cmpuint (g_strv_length ((char **) paths), ==, 1);
  files = seedream_request_get_source_files (held);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 1);
  {
    g_autoptr(GFile) held_file = g_list_model_get_item (files, 0);

    g_assert_cmpstr (g_file_peek_path (held_file), ==, paths[0]);
    g_assert_cmpstr (g_file_peek_path (held_file), !=, path);
  }

  /* to_request() is a copy: the same fields, changed alone. */
  copy = seedream_history_entry_to_request (entry);
  g_assert_true (copy != held);
  g_assert_true (seedream_request_get_model (copy) == seedream_request_get_model (held));
  g_assert_cmpstr (seedream_request_get_prompt (copy), ==, "a lighthouse");
  g_assert_cmpstr (seedream_request_get_resolution (copy), ==, "16:9");
  g_assert_cmpuint (seedream_request_get_batch_size (copy), ==, 3);
  g_assert_cmpstr (seedream_request_get_image_url (copy), ==, "https://example.com/a.png");
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (copy)), ==, 1);
  {
    g_autoptr(GFile) copied = g_list_model_get_item (seedream_request_get_source_files (copy), 0);

    g_assert_cmpstr (g_file_peek_path (copied), ==, paths[0]);
  }

  seedream_request_set_prompt (copy, "changed");
  seedream_request_set_batch_size (copy, 1);
  seedream_request_clear_source_files (copy);
  g_assert_cmpstr (seedream_history_entry_get_prompt (entry), ==, "a lighthouse");
  g_assert_cmpuint (seedream_history_entry_get_batch_size (entry), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 1);
}

static void
test_add_unreadable (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autofree char *sources = data_path (fixture, "sources");
  g_autofree char *good = write_file (fixture->dir, "good.png", "good", -1);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.png", NULL);
  struct {
    const char *path;
    GIOErrorEnum code;
  } cases[] = {
    { missing, G_IO_ERROR_NOT_FOUND },
    { fixture->dir, G_IO_ERROR_IS_DIRECTORY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SeedreamRequest) request = make_request ("never written");
      g_autoptr(GFile) good_file = g_file_new_for_path (good);
      g_autoptr(GFile) bad_file = g_file_new_for_path (cases[i].path);
      g_autoptr(GError) error = NULL;
      gint64 id;

      seedream_request_add_source_file (request, good_file);
      seedream_request_add_source_file (request, bad_file);

      id = add_submission (history, request, NULL, &error);
      g_assert_error (error, G_IO_ERROR, cases[i].code);
      g_assert_cmpint (id, ==, 0);
      /* The message says what happened in words and names the file. */
      g_assert_nonnull (strstr (error->message, cases[i].path));
    }

  /* Cancelled before the copy: no row either. */
  {
    g_autoptr(SeedreamRequest) request = make_request ("cancelled");
    g_autoptr(GFile) good_file = g_file_new_for_path (good);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;

    seedream_request_add_source_file (request, good_file);
    g_cancellable_cancel (cancellable);
    g_assert_cmpint (add_submission (history, request, cancellable, &error), ==, 0);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  g_assert_cmpuint (seedream_history_count (history, NULL, NULL), ==, 0);
  g_assert_cmpuint (fixture->added->len, ==, 0);
  /* No half-written copy is left behind. */
  g_assert_cmpuint (count_files (sources, ".incoming-"), ==, 0);
}

static void
test_leftover_incoming_removed (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autofree char *sources = data_path (fixture, "sources");
  g_autofree char *leftover = write_file (sources, ".incoming-0123456789abcdef", "half", -1);

  seedream_test_close_history (&history);
  g_assert_true (g_file_test (leftover, G_FILE_TEST_EXISTS));
  history = open_history (fixture);
  g_assert_false (g_file_test (leftover, G_FILE_TEST_EXISTS));
}

static void
test_updates (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_dir = NULL;
  g_autofree char *inside0 = NULL;
  g_autofree char *inside1 = NULL;
  g_autofree char *outside = NULL;
  GPtrArray *results;
  gint64 id, other;

  id = add_prompt (history, "updates");
  other = add_prompt (history, "untouched");
  g_array_set_size (fixture->changed, 0);

  g_assert_true (seedream_history_set_submitted (history, id, "task_42", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changed->len, ==, 1);
  g_assert_cmpint (g_array_index (fixture->changed, gint64, 0), ==, id);

  entry = seedream_history_lookup (history, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_SUBMITTED);
  g_assert_cmpstr (seedream_history_entry_get_task_id (entry), ==, "task_42");
  g_clear_object (&entry);

  g_assert_true (seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_TASK_FAILED,
                                             "The service could not make these images.",
                                             "content policy", &error));
  g_assert_no_error (error);
  entry = seedream_history_lookup (history, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_TASK_FAILED);
  g_assert_cmpstr (seedream_history_entry_get_error_message (entry), ==, "The service could not make these images.");
  g_assert_cmpstr (seedream_history_entry_get_server_message (entry), ==, "content policy");
  g_assert_cmpstr (seedream_history_entry_get_task_id (entry), ==, "task_42");
  g_clear_object (&entry);

  g_assert_true (seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Results: two inside the data folder, one outside it. */
  task_dir = g_build_filename (g_file_peek_path (seedream_history_get_results_dir (history)), "task_42", NULL);
  g_assert_cmpint (g_mkdir (task_dir, 0700), ==, 0);
  inside0 = write_file (task_dir, "0.png", "zero", -1);
  inside1 = write_file (task_dir, "1.png", "one", -1);
  outside = write_file (fixture->dir, "saved-elsewhere.png", "two", -1);

  /* Out of order on purpose; 0 is written twice (the second wins). */
  g_assert_true (seedream_history_set_result (history, id, 2, "https://f/2", outside, 30, 40, &error));
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_result (history, id, 0, "https://f/0", NULL, 0, 0, &error));
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_result (history, id, 1, "https://f/1", inside1, 10, 20, &error));
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_result (history, id, 0, "https://f/0", inside0, 2048, 2048, &error));
  g_assert_no_error (error);

  entry = seedream_history_lookup (history, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_DONE);
  g_assert_null (seedream_history_entry_get_error_message (entry));
  g_assert_null (seedream_history_entry_get_server_message (entry));
  results = seedream_history_entry_get_results (entry);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (seedream_history_result_get_index (g_ptr_array_index (results, i)), ==, i);
  g_assert_cmpstr (seedream_history_result_get_local_path (g_ptr_array_index (results, 0)), ==, inside0);
  g_assert_cmpuint (seedream_history_result_get_width (g_ptr_array_index (results, 0)), ==, 2048);
  g_assert_cmpstr (seedream_history_result_get_local_path (g_ptr_array_index (results, 1)), ==, inside1);
  g_assert_cmpstr (seedream_history_result_get_url (g_ptr_array_index (results, 1)), ==, "https://f/1");
  g_assert_cmpstr (seedream_history_result_get_local_path (g_ptr_array_index (results, 2)), ==, outside);
  g_assert_cmpuint (seedream_history_result_get_height (g_ptr_array_index (results, 2)), ==, 40);
  g_clear_object (&entry);

  /* Deleting: the file inside the data folder goes; the person's own file
   * elsewhere stays; the rows go. */
  g_array_set_size (fixture->changed, 0);
  g_assert_true (seedream_history_delete_result (history, id, 0, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (inside0, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (inside1, G_FILE_TEST_EXISTS));
  g_assert_true (seedream_history_delete_result (history, id, 2, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (outside, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (fixture->changed->len, ==, 2);

  entry = seedream_history_lookup (history, id, &error);
  g_assert_no_error (error);
  results = seedream_history_entry_get_results (entry);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpuint (seedream_history_result_get_index (g_ptr_array_index (results, 0)), ==, 1);
  g_clear_object (&entry);

  /* A result whose file is already gone can still be forgotten. */
  g_assert_cmpint (g_unlink (inside1), ==, 0);
  g_assert_true (seedream_history_delete_result (history, id, 1, &error));
  g_assert_no_error (error);

  g_assert_false (seedream_history_delete_result (history, id, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Unknown rows. */
  g_array_set_size (fixture->changed, 0);
  g_assert_false (seedream_history_set_submitted (history, 9999, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (seedream_history_set_state (history, 9999, SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (seedream_history_set_result (history, 9999, 0, "u", NULL, 0, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (seedream_history_lookup (history, 9999, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->changed->len, ==, 0);

  /* The other row was never touched. */
  entry = seedream_history_lookup (history, other, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_SENDING);
  g_assert_null (seedream_history_entry_get_task_id (entry));
  g_assert_cmpuint (seedream_history_entry_get_results (entry)->len, ==, 0);
}

/* A task that finished without images is stored as 7 (appended; the
 * numbers before keep theirs), read back with its reason after a restart,
 * and not followed again by recovery. */
static void
test_no_images_state (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GPtrArray) recovered = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  sqlite3 *db;
  gint64 id;

  id = add_prompt (history, "refused, quietly");
  g_assert_true (seedream_history_set_submitted (history, id, "task_no_images", &error));
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_NO_IMAGES,
                                             "The service finished the task without any images.", NULL, &error));
  g_assert_no_error (error);

  seedream_test_close_history (&history);
  db = open_raw (path);
  g_assert_cmpint (query_int (db, "SELECT state FROM submissions WHERE task_id = 'task_no_images'"), ==, 7);
  sqlite3_close (db);

  history = open_history (fixture);
  recovered = seedream_history_recover (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recovered->len, ==, 0);

  entry = seedream_history_lookup (history, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_NO_IMAGES);
  g_assert_cmpstr (seedream_history_entry_get_error_message (entry), ==,
                   "The service finished the task without any images.");
  g_assert_cmpstr (seedream_history_entry_get_task_id (entry), ==, "task_no_images");
}

static void
test_recover (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GPtrArray) submitted = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sending1, submitted1, done, sending2, submitted2;

  sending1 = add_prompt (history, "sending 1");
  submitted1 = add_prompt (history, "submitted 1");
  done = add_prompt (history, "done");
  sending2 = add_prompt (history, "sending 2");
  submitted2 = add_prompt (history, "submitted 2");
  g_assert_true (seedream_history_set_submitted (history, submitted1, "t1", NULL));
  g_assert_true (seedream_history_set_submitted (history, submitted2, "t2", NULL));
  g_assert_true (seedream_history_set_submitted (history, done, "t3", NULL));
  g_assert_true (seedream_history_set_state (history, done, SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, NULL));

  /* The app stops here and starts again. */
  seedream_test_close_history (&history);
  g_array_set_size (fixture->changed, 0);
  history = open_history (fixture);

  /* Oldest first: the interrupted rows and the ones to follow again. */
  submitted = seedream_history_recover (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (submitted->len, ==, 4);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (submitted, 0)), ==, sending1);
  g_assert_cmpint (seedream_history_entry_get_state (g_ptr_array_index (submitted, 0)), ==,
                   SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (submitted, 1)), ==, submitted1);
  g_assert_cmpstr (seedream_history_entry_get_task_id (g_ptr_array_index (submitted, 1)), ==, "t1");
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (submitted, 2)), ==, sending2);
  g_assert_cmpint (seedream_history_entry_get_state (g_ptr_array_index (submitted, 2)), ==,
                   SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (submitted, 3)), ==, submitted2);
  g_assert_cmpstr (seedream_history_entry_get_task_id (g_ptr_array_index (submitted, 3)), ==, "t2");

  g_assert_cmpuint (fixture->changed->len, ==, 2);
  g_assert_true (array_contains (fixture->changed, sending1));
  g_assert_true (array_contains (fixture->changed, sending2));

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SeedreamHistoryEntry) entry = NULL;
      const char *message;

      entry = seedream_history_lookup (history, i == 0 ? sending1 : sending2, &error);
      g_assert_no_error (error);
      g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN);
      message = seedream_history_entry_get_error_message (entry);
      g_assert_nonnull (message);
      g_assert_nonnull (strstr (message, "not sent again"));
      g_assert_nonnull (strstr (message, "task list"));
    }

  {
    g_autoptr(SeedreamHistoryEntry) entry = seedream_history_lookup (history, done, &error);

    g_assert_no_error (error);
    g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_DONE);
    g_assert_null (seedream_history_entry_get_error_message (entry));
  }

  /* Again: nothing is left sending, so only the tasks to follow. */
  g_clear_pointer (&submitted, g_ptr_array_unref);
  g_array_set_size (fixture->changed, 0);
  submitted = seedream_history_recover (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (submitted->len, ==, 2);
  g_assert_cmpuint (fixture->changed->len, ==, 0);
}

static void
assert_moved_aside (Fixture      *fixture,
                    GFile        *recovered,
                    const char   *expected_contents,
                    gsize         expected_length)
{
  g_autofree char *basename = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *stamp;

  g_assert_nonnull (recovered);
  basename = g_file_get_basename (recovered);
  g_assert_true (g_str_has_prefix (basename, "history.db.damaged-"));
  stamp = basename + strlen ("history.db.damaged-");
  /* YYYYMMDD-HHMMSS */
  g_assert_cmpuint (strlen (stamp), ==, 15);
  for (guint i = 0; i < 15; i++)
    {
      if (i == 8)
        g_assert_cmpint (stamp[i], ==, '-');
      else
        g_assert_true (g_ascii_isdigit (stamp[i]));
    }

  {
    g_autoptr(GFile) parent = g_file_get_parent (recovered);

    g_assert_true (g_file_equal (parent, fixture->data_dir));
  }

  g_file_load_contents (recovered, NULL, &contents, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, expected_contents, expected_length);
}

static void
assert_works (Fixture *fixture)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_null (seedream_history_get_recovered_file (history));
  g_assert_cmpint (seedream_history_get_schema_version (history), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  id = add_prompt (history, "after the damage");
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_submitted (history, id, "t", &error));
  g_assert_no_error (error);
}

static void
test_damaged_garbage (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *moved_wal = NULL;
  g_autofree guint8 *garbage = g_malloc (8192);

  for (guint i = 0; i < 8192; i++)
    garbage[i] = g_test_rand_int_range (0, 256);
  /* Not by chance a database header. */
  memcpy (garbage, "not a database!", 15);

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->data_dir), 0700), ==, 0);
  g_file_set_contents (path, (const char *) garbage, 8192, &error);
  g_assert_no_error (error);
  g_file_set_contents (wal, "a journal that belongs to the damaged file", -1, &error);
  g_assert_no_error (error);

  history = open_history (fixture);
  assert_moved_aside (fixture, seedream_history_get_recovered_file (history),
                      (const char *) garbage, 8192);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  moved_wal = g_strconcat (g_file_peek_path (seedream_history_get_recovered_file (history)), "-wal", NULL);
  g_assert_true (g_file_test (moved_wal, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 0);
  g_assert_no_error (error);
  seedream_test_close_history (&history);

  assert_works (fixture);
}

/* A FIFO or a link where history.db should be: opening neither blocks nor
 * follows it; the entry is set aside and a new history is made. */
static void
test_damaged_not_a_file (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = db_path (fixture);
  g_autofree char *target = g_build_filename (fixture->dir, "elsewhere.db", NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->data_dir), 0700), ==, 0);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SeedreamHistory) history = NULL;
      g_autoptr(GFile) recovered = NULL;
      GStatBuf buf;

      if (i == 0)
        g_assert_cmpint (mkfifo (path, 0600), ==, 0);
      else
        g_assert_cmpint (symlink (target, path), ==, 0);

      history = open_history (fixture);
      g_assert_nonnull (seedream_history_get_recovered_file (history));
      recovered = g_object_ref (seedream_history_get_recovered_file (history));
      g_assert_cmpint (g_lstat (g_file_peek_path (recovered), &buf), ==, 0);
      g_assert_true (i == 0 ? S_ISFIFO (buf.st_mode) : S_ISLNK (buf.st_mode));
      g_assert_cmpint (g_lstat (path, &buf), ==, 0);
      g_assert_true (S_ISREG (buf.st_mode));
      /* What the link pointed to was never made. */
      g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
      seedream_test_close_history (&history);
      g_assert_cmpint (g_unlink (g_file_peek_path (recovered)), ==, 0);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }

  assert_works (fixture);
}

static void
test_damaged_truncated (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  g_autofree char *contents = NULL;
  gsize length;
  sqlite3 *db;

  /* Enough rows for many pages. */
  seedream_test_close_history (&history);
  db = open_raw (path);
  exec_raw (db, "BEGIN");
  exec_raw (db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                "SELECT 0, 'a prompt long enough to fill pages ' || i || printf('%.200c', 'x'), "
                "'2K', 1, 5 FROM n");
  exec_raw (db, "COMMIT");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 100 * 1024);
  /* Everything is in the main file: the last connection checkpointed. */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }

  /* Cut in the middle. */
  g_assert_cmpint (truncate (path, length / 2), ==, 0);

  history = open_history (fixture);
  assert_moved_aside (fixture, seedream_history_get_recovered_file (history), contents, length / 2);
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 0);
  g_assert_no_error (error);
  seedream_test_close_history (&history);

  assert_works (fixture);
}

static void
test_damaged_short_header (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  g_autofree char *contents = NULL;
  gsize length;

  add_prompt (history, "lost");
  seedream_test_close_history (&history);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  /* Only part of the 100-byte header is left. */
  g_assert_cmpint (truncate (path, 60), ==, 0);

  history = open_history (fixture);
  assert_moved_aside (fixture, seedream_history_get_recovered_file (history), contents, 60);
  seedream_test_close_history (&history);

  assert_works (fixture);
}

/* Fills the history with 2000 rows, then damages one of the table's leaf
 * pages in the middle of the file (its page type byte): SQLite opens the
 * file, reads the schema and the first page of rows, and meets the damage
 * only where a query or the check reads that page. Returns the file's
 * damaged contents. */
static char *
damage_a_page (Fixture *fixture,
               gsize   *length)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  g_autofree char *contents = NULL;
  gsize n_pages;
  gsize page;
  sqlite3 *db;

  seedream_test_close_history (&history);
  db = open_raw (path);
  exec_raw (db, "BEGIN");
  exec_raw (db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                "SELECT 0, 'prompt ' || i || printf('%.200c', 'x'), '2K', 1, 5 FROM n");
  exec_raw (db, "COMMIT");
  g_assert_cmpint (query_int (db, "PRAGMA page_size"), ==, 4096);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (*length, >, 100 * 4096);
  n_pages = *length / 4096;

  /* 0x0d: a leaf page of a table. */
  for (page = n_pages / 2; page < n_pages && (guint8) contents[page * 4096] != 0x0d; page++)
    ;
  g_assert_cmpuint (page, <, n_pages);
  contents[page * 4096] = (char) 0xff;
  g_file_set_contents (path, contents, *length, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&contents);
}

typedef struct
{
  gboolean  done;
  gboolean  ran;
  char     *problem;
  GError   *error;
} CheckOutcome;

static void
check_outcome_clear (CheckOutcome *outcome)
{
  g_clear_pointer (&outcome->problem, g_free);
  g_clear_error (&outcome->error);
}

/* Finishes at once: keeps no reference to the result (nor to the history). */
static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CheckOutcome *outcome = user_data;

  outcome->ran = seedream_history_check_finish (SEEDREAM_HISTORY (object), result,
                                                &outcome->problem, &outcome->error);
  outcome->done = TRUE;
}

static void
run_check (SeedreamHistory *history,
           GCancellable    *cancellable,
           CheckOutcome    *outcome)
{
  seedream_history_check_async (history, cancellable, check_done_cb, outcome);
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
}

/* A damaged page in the middle: opening no longer reads it, so the history
 * opens; reading the rows may fail; the check finds it and marks the file;
 * the next opening moves it aside and starts empty. */
static void
test_damaged_page (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  g_autofree char *marker = data_path (fixture, SEEDREAM_HISTORY_CHECK_MARKER_NAME);
  g_autofree char *marker_contents = NULL;
  g_autofree char *contents = NULL;
  CheckOutcome outcome = { 0 };
  gsize length;

  contents = damage_a_page (fixture, &length);

  history = open_history (fixture);
  g_assert_null (seedream_history_get_recovered_file (history));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  /* The newest rows are on pages that are whole. */
  rows = seedream_history_list (history, NULL, 0, 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 20);
  g_clear_pointer (&rows, g_ptr_array_unref);
  /* All of them: either a clean error or rows, never a crash. */
  rows = seedream_history_list (history, NULL, 0, 5000, &error);
  if (rows == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  run_check (history, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ran);
  g_assert_nonnull (outcome.problem);
  g_assert_nonnull (strstr (outcome.problem, "damaged"));
  g_file_get_contents (marker, &marker_contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (marker_contents, !=, "");

  /* Nothing is moved while the history is open; it still answers. */
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_files (g_file_peek_path (fixture->data_dir), "history.db.damaged"), ==, 0);
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 2000);
  g_assert_no_error (error);
  seedream_test_close_history (&history);

  history = open_history (fixture);
  assert_moved_aside (fixture, seedream_history_get_recovered_file (history), contents, length);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 0);
  g_assert_no_error (error);
  seedream_test_close_history (&history);

  assert_works (fixture);
  check_outcome_clear (&outcome);
}

/* A query that meets the damage marks the file, without the check. */
static void
test_damaged_query_marks (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *marker = data_path (fixture, SEEDREAM_HISTORY_CHECK_MARKER_NAME);
  g_autofree char *marker_contents = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  contents = damage_a_page (fixture, &length);

  history = open_history (fixture);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  /* Every row, newest first: the scan reaches the damaged page. */
  rows = seedream_history_list (history, NULL, 0, 5000, &error);
  g_assert_null (rows);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_file_get_contents (marker, &marker_contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (marker_contents, !=, "");
  g_assert_cmpuint (count_files (g_file_peek_path (fixture->data_dir), "history.db.damaged"), ==, 0);
  seedream_test_close_history (&history);

  history = open_history (fixture);
  assert_moved_aside (fixture, seedream_history_get_recovered_file (history), contents, length);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  seedream_test_close_history (&history);
}

static void
test_check_healthy (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GError) error = NULL;
  CheckOutcome outcome = { 0 };
  guint n_files;

  for (guint i = 0; i < 5; i++)
    add_prompt (history, "healthy");
  n_files = count_files (g_file_peek_path (fixture->data_dir), NULL);

  run_check (history, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ran);
  g_assert_null (outcome.problem);

  g_assert_cmpuint (count_files (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_CHECK_MARKER_NAME), ==, 0);
  g_assert_cmpuint (count_files (g_file_peek_path (fixture->data_dir), NULL), ==, n_files);
  /* The history goes on as before. */
  add_prompt (history, "after the check");
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 6);
  g_assert_no_error (error);
  seedream_test_close_history (&history);

  history = open_history (fixture);
  g_assert_null (seedream_history_get_recovered_file (history));
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 6);
  g_assert_no_error (error);
  check_outcome_clear (&outcome);
}

/* A marker left on a file that is whole: the check at opening passes, the
 * marker goes, and nothing is moved. */
static void
test_marker_on_healthy_file (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *marker = data_path (fixture, SEEDREAM_HISTORY_CHECK_MARKER_NAME);
  g_autofree char *path = NULL;

  add_prompt (history, "kept");
  add_prompt (history, "kept too");
  seedream_test_close_history (&history);

  path = write_file (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_CHECK_MARKER_NAME,
                     "seen damaged once\n", -1);
  g_assert_cmpstr (path, ==, marker);

  history = open_history (fixture);
  g_assert_null (seedream_history_get_recovered_file (history));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (g_file_peek_path (fixture->data_dir), "history.db.damaged"), ==, 0);
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 2);
  g_assert_no_error (error);
}

static void
test_check_cancelled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *marker = data_path (fixture, SEEDREAM_HISTORY_CHECK_MARKER_NAME);
  g_autofree char *contents = NULL;
  CheckOutcome outcome = { 0 };
  gsize length;

  /* Even on a damaged file, a cancelled check reports no finding. */
  contents = damage_a_page (fixture, &length);
  history = open_history (fixture);

  seedream_history_check_async (history, cancellable, check_done_cb, &outcome);
  g_cancellable_cancel (cancellable);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (outcome.ran);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (outcome.problem);
  check_outcome_clear (&outcome);

  /* Cancelled before it starts: no thread reads anything, no marker. */
  memset (&outcome, 0, sizeof outcome);
  run_check (history, cancellable, &outcome);
  g_assert_false (outcome.ran);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  check_outcome_clear (&outcome);

  /* A new one runs to the end. */
  memset (&outcome, 0, sizeof outcome);
  run_check (history, NULL, &outcome);
  g_assert_true (outcome.ran);
  g_assert_nonnull (outcome.problem);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  check_outcome_clear (&outcome);
}

static gboolean
search_indexed (gpointer data)
{
  return seedream_history_get_search_indexed (data);
}

/* The last reference goes while the check runs: the check ends, its
 * callback gets its result, then the history closes its database. */
static void
test_check_close_while_running (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  CheckOutcome outcome = { 0 };
  sqlite3 *db;

  for (guint i = 0; i < 3; i++)
    add_prompt (history, "closing");

  /* The prompt index's worker has a connection of its own while it runs
   * (slowly, under valgrind); this test is about the check's. */
  g_assert_true (seedream_test_wait_until (search_indexed, history, 60));

  seedream_history_check_async (history, NULL, check_done_cb, &outcome);
  seedream_test_close_history (&history);
  g_assert_true (outcome.done);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ran);
  g_assert_null (outcome.problem);

  /* Closed for good: the last connection folded the journal in. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  db = open_raw (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM submissions"), ==, 3);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  history = open_history (fixture);
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 3);
  g_assert_no_error (error);
  check_outcome_clear (&outcome);
}

static void
test_unusable_folder (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* The data folder is a file. */
  g_file_set_contents (g_file_peek_path (fixture->data_dir), "a file", -1, &error);
  g_assert_no_error (error);

  history = seedream_history_new (fixture->data_dir, &error);
  g_assert_null (history);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, g_file_peek_path (fixture->data_dir)));
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (g_file_peek_path (fixture->data_dir)), ==, 0);

  /* history.db is a folder: an error, and nothing is moved. */
  path = db_path (fixture);
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  history = seedream_history_new (fixture->data_dir, &error);
  g_assert_null (history);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_files (g_file_peek_path (fixture->data_dir), "history.db.damaged"), ==, 0);
  g_assert_cmpint (g_rmdir (path), ==, 0);

  /* A folder without permissions (root ignores them). */
  if (geteuid () != 0)
    {
      g_assert_cmpint (g_chmod (g_file_peek_path (fixture->data_dir), 0), ==, 0);
      history = seedream_history_new (fixture->data_dir, &error);
      g_assert_null (history);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);
      g_assert_cmpint (g_chmod (g_file_peek_path (fixture->data_dir), 0700), ==, 0);
    }
  else
    {
      g_test_message ("Running as root: the permission case is skipped");
    }
}

static void
test_newer_version (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  sqlite3 *db;

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->data_dir), 0700), ==, 0);
  db = open_raw (path);
  exec_raw (db, "CREATE TABLE future (x); PRAGMA user_version = 99;");
  sqlite3_close (db);

  history = seedream_history_new (fixture->data_dir, &error);
  g_assert_null (history);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  /* Kept as it was for the newer version. */
  db = open_raw (path);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'future'"), ==, 1);
  sqlite3_close (db);
  g_assert_cmpuint (count_files (g_file_peek_path (fixture->data_dir), "history.db.damaged"), ==, 0);
}

/* The schema of version 1, as it shipped, written by hand. */
static const char version_1_schema[] =
  "CREATE TABLE submissions ("
  "  id INTEGER PRIMARY KEY, created INTEGER NOT NULL, prompt TEXT NOT NULL,"
  "  resolution TEXT NOT NULL, batch_size INTEGER NOT NULL, image_url TEXT,"
  "  state INTEGER NOT NULL, task_id TEXT, error_message TEXT, server_message TEXT);"
  "CREATE INDEX submissions_task_id ON submissions (task_id);"
  "CREATE TABLE submission_sources ("
  "  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL, path TEXT NOT NULL,"
  "  PRIMARY KEY (submission_id, position));"
  "CREATE TABLE results ("
  "  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
  "  idx INTEGER NOT NULL, url TEXT, local_path TEXT,"
  "  width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (submission_id, idx));"
  "INSERT INTO submissions (id, created, prompt, resolution, batch_size, image_url, state, task_id)"
  "  VALUES (7, 1769774400000000, 'an old prompt', '4K', 2, NULL, 5, 'old_task');"
  "INSERT INTO submission_sources VALUES (7, 0, 'sources/abc.png');"
  "INSERT INTO results VALUES (7, 0, 'https://f/old0', 'results/old_task/0.png', 4096, 4096);"
  "INSERT INTO results VALUES (7, 1, 'https://f/old1', NULL, 0, 0);"
  "PRAGMA user_version = 1;";

static void
test_migrate (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(SeedreamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  g_autofree char *source = data_path (fixture, "sources/abc.png");
  g_autofree char *result = data_path (fixture, "results/old_task/0.png");
  GPtrArray *results;
  sqlite3 *db;
  gint64 id;

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->data_dir), 0700), ==, 0);
  db = open_raw (path);
  exec_raw (db, version_1_schema);
  sqlite3_close (db);

  history = open_history (fixture);
  g_assert_cmpint (seedream_history_get_schema_version (history), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  g_assert_null (seedream_history_get_recovered_file (history));

  entry = seedream_history_lookup (history, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seedream_history_entry_get_prompt (entry), ==, "an old prompt");
  g_assert_cmpstr (seedream_history_entry_get_resolution (entry), ==, "4K");
  g_assert_cmpuint (seedream_history_entry_get_batch_size (entry), ==, 2);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_DONE);
  g_assert_cmpint (g_date_time_to_unix (seedream_history_entry_get_created (entry)), ==, 1769774400);
  g_assert_null (seedream_history_entry_get_model_id (entry));
  g_assert_cmpuint (g_strv_length ((char **) seedream_history_entry_get_source_paths (entry)), ==, 1);
  g_assert_cmpstr (seedream_history_entry_get_source_paths (entry)[0], ==, source);
  results = seedream_history_entry_get_results (entry);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpstr (seedream_history_result_get_local_path (g_ptr_array_index (results, 0)), ==, result);
  g_assert_null (seedream_history_result_get_local_path (g_ptr_array_index (results, 1)));

  /* No model recorded: Reuse takes the default one. */
  request = seedream_history_entry_to_request (entry);
  g_assert_true (seedream_request_get_model (request) == seedream_model_get_default ());
  g_assert_cmpstr (seedream_request_get_resolution (request), ==, "4K");

  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 1);
  g_assert_no_error (error);

  /* New rows go on after the old ones and record their model. */
  id = add_prompt (history, "a new prompt");
  g_assert_cmpint (id, >, 7);
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 2);
  g_assert_no_error (error);
  seedream_test_close_history (&history);

  db = open_raw (path);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_table_info('submissions') WHERE name = 'model'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_index_list('submissions') "
                                  "WHERE name = 'submissions_state'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM submissions WHERE model IS NOT NULL"), ==, 1);
  sqlite3_close (db);
}

static void
test_migrate_from_empty (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autofree char *path = db_path (fixture);

  /* An empty file is a database of version 0 with no tables. */
  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->data_dir), 0700), ==, 0);
  g_free (write_file (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_DATABASE_NAME, "", 0));

  history = open_history (fixture);
  g_assert_null (seedream_history_get_recovered_file (history));
  g_assert_cmpint (seedream_history_get_schema_version (history), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  add_prompt (history, "works");
  g_assert_cmpuint (seedream_history_count (history, NULL, NULL), ==, 1);
}

/* What version 2 added to version 1, as it shipped. */
static const char version_2_step[] =
  "ALTER TABLE submissions ADD COLUMN model TEXT;"
  "CREATE INDEX submissions_state ON submissions (state);";

/* The number of submissions, three ways: count(*), the row the triggers
 * keep, and what the history answers; all must be @expected. */
static void
assert_count (SeedreamHistory *history,
              sqlite3         *db,
              gint64           expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM submissions"), ==, expected);
  g_assert_cmpint (query_int (db, "SELECT n FROM submission_count"), ==, expected);
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, expected);
  g_assert_no_error (error);
  g_assert_cmpuint (seedream_history_count (history, "", &error), ==, expected);
  g_assert_no_error (error);
}

/* A version 2 file with rows (and gaps in their ids) becomes version 3
 * with the right count, and the count then follows new rows. */
static void
test_migrate_version_2 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  sqlite3 *db;

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->data_dir), 0700), ==, 0);
  db = open_raw (path);
  exec_raw (db, version_1_schema);
  exec_raw (db, "BEGIN");
  exec_raw (db, version_2_step);
  /* Row 7 from version 1, then rows 8 to 257, less the 28 multiples of 9. */
  exec_raw (db, "WITH RECURSIVE n(i) AS (SELECT 8 UNION ALL SELECT i + 1 FROM n WHERE i < 257) "
                "INSERT INTO submissions (id, created, prompt, resolution, batch_size, state) "
                "SELECT i, i, 'prompt ' || i, '2K', 1, 5 FROM n");
  exec_raw (db, "DELETE FROM submissions WHERE id % 9 = 0");
  exec_raw (db, "PRAGMA user_version = 2");
  exec_raw (db, "COMMIT");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM submissions"), ==, 1 + 250 - 28);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'submission_count'"), ==, 0);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  history = open_history (fixture);
  g_assert_cmpint (seedream_history_get_schema_version (history), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  g_assert_null (seedream_history_get_recovered_file (history));

  db = open_raw (path);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  assert_count (history, db, 223);

  rows = seedream_history_list (history, NULL, 0, 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 20);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (rows, 0)), ==, 257);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (rows, 1)), ==, 256);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (rows, 5)), ==, 251);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (rows, 6)), ==, 250);

  g_assert_cmpint (add_prompt (history, "after the migration"), ==, 258);
  assert_count (history, db, 224);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  seedream_test_close_history (&history);

  /* A migrated file opens as it is, without migrating again. */
  history = open_history (fixture);
  g_assert_cmpint (seedream_history_get_schema_version (history), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  db = open_raw (path);
  assert_count (history, db, 224);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* Every way rows come and go keeps the count exact: the history's own
 * writes, single and bulk INSERT and DELETE (cascading to sources and
 * results) from another connection, a transaction seen only once it
 * commits, a rolled-back one, a savepoint rolled back, and deleting
 * every row. */
static void
test_count_exact (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  gint64 expected = 0;
  gint64 ids[3];
  sqlite3 *db;

  db = open_raw (path);
  exec_raw (db, "PRAGMA foreign_keys = ON");
  assert_count (history, db, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = add_prompt (history, "counted");
  expected += 3;
  assert_count (history, db, expected);

  /* Updates and results change no count. */
  g_assert_true (seedream_history_set_submitted (history, ids[1], "count_task", &error));
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_result (history, ids[1], 0, "https://f/0", NULL, 1, 1, &error));
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_state (history, ids[1], SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_count (history, db, expected);

  /* One row in, one row (with a result) out. */
  exec_raw (db, "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                "VALUES (0, 'single', '2K', 1, 5)");
  expected++;
  assert_count (history, db, expected);
  exec_raw (db, "DELETE FROM submissions WHERE task_id = 'count_task'");
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  expected--;
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM results"), ==, 0);
  assert_count (history, db, expected);

  /* Many in one transaction: the history sees them when it commits. */
  exec_raw (db, "BEGIN");
  exec_raw (db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
                "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                "SELECT i, 'bulk ' || i, '2K', 1, 5 FROM n");
  g_assert_cmpint (query_int (db, "SELECT n FROM submission_count"), ==, expected + 500);
  g_assert_cmpuint (seedream_history_count (history, NULL, NULL), ==, expected);
  exec_raw (db, "COMMIT");
  expected += 500;
  assert_count (history, db, expected);

  /* Rolled back: nothing happened. */
  exec_raw (db, "BEGIN");
  exec_raw (db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
                "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                "SELECT i, 'rolled back ' || i, '2K', 1, 5 FROM n");
  exec_raw (db, "DELETE FROM submissions WHERE id % 2 = 0");
  g_assert_cmpint (query_int (db, "SELECT n FROM submission_count"), ==,
                   query_int (db, "SELECT count(*) FROM submissions"));
  exec_raw (db, "ROLLBACK");
  assert_count (history, db, expected);

  /* A savepoint rolled back inside a transaction that commits. */
  exec_raw (db, "BEGIN");
  exec_raw (db, "SAVEPOINT some");
  exec_raw (db, "DELETE FROM submissions WHERE id % 5 = 0");
  exec_raw (db, "ROLLBACK TO some");
  exec_raw (db, "RELEASE some");
  exec_raw (db, "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                "VALUES (0, 'kept', '2K', 1, 5), (0, 'kept too', '2K', 1, 5)");
  exec_raw (db, "COMMIT");
  expected += 2;
  assert_count (history, db, expected);

  /* Many out at once. */
  exec_raw (db, "DELETE FROM submissions WHERE id % 3 = 0");
  g_assert_cmpint (sqlite3_changes (db), >, 100);
  expected -= sqlite3_changes (db);
  assert_count (history, db, expected);

  /* A REPLACE deletes the row it replaces: counted when recursive
   * triggers are on, as they are on the history's connection. */
  exec_raw (db, "PRAGMA recursive_triggers = ON");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM submissions WHERE id = 1"), ==, 1);
  exec_raw (db, "INSERT OR REPLACE INTO submissions (id, created, prompt, resolution, batch_size, state) "
                "VALUES (1, 0, 'replaced', '2K', 1, 5)");
  assert_count (history, db, expected);

  /* Every row (no truncation shortcut skips the triggers). */
  exec_raw (db, "DELETE FROM submissions");
  expected = 0;
  assert_count (history, db, expected);

  add_prompt (history, "after all");
  assert_count (history, db, 1);
  seedream_test_close_history (&history);

  history = open_history (fixture);
  assert_count (history, db, 1);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* Without a search, the count is the row the triggers keep (not a scan);
 * a search still scans; and without that row, count(*) answers. */
static void
test_count_reads_row (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (fixture);
  sqlite3 *db;

  add_prompt (history, "a red fox");
  add_prompt (history, "a blue whale");
  add_prompt (history, "a red car");

  db = open_raw (path);
  exec_raw (db, "UPDATE submission_count SET n = 4242");
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 4242);
  g_assert_no_error (error);
  g_assert_cmpuint (seedream_history_count (history, "red", &error), ==, 2);
  g_assert_no_error (error);

  /* Broken by another program: never a negative (huge) count. */
  exec_raw (db, "UPDATE submission_count SET n = -5");
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 0);
  g_assert_no_error (error);

  exec_raw (db, "DELETE FROM submission_count");
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 3);
  g_assert_no_error (error);
  add_prompt (history, "a red kite");
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpuint (seedream_history_count (history, "red", &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  const char *prompts[] = {
    "A 100% red apple",          /* 1 */
    "Cat_in_hat",                /* 2 */
    "cat in hat",                /* 3 */
    "Großes Haus am See",        /* 4 */
    "ÉCOLE de nuit",             /* 5 */
    "a back\\slash",             /* 6 */
    "100 red apples",            /* 7 */
  };
  struct {
    const char *search;
    guint       n;
    gint64      ids[3];          /* newest first */
  } cases[] = {
    { "100%",     1, { 1 } },
    { "%",        1, { 1 } },
    { "_",        1, { 2 } },
    { "cat_",     1, { 2 } },
    { "CAT",      2, { 3, 2 } },
    { "t i",      1, { 3 } },
    { "école",    1, { 5 } },
    { "GROSSES",  1, { 4 } },
    { "\\",       1, { 6 } },
    { "red apple", 2, { 7, 1 } },
    { "'; DROP TABLE submissions; --", 0, { 0 } },
    { "zebra",    0, { 0 } },
  };
  gint64 ids[G_N_ELEMENTS (prompts)];

  for (guint i = 0; i < G_N_ELEMENTS (prompts); i++)
    {
      ids[i] = add_prompt (history, prompts[i]);
      g_assert_cmpint (ids[i], ==, i + 1);
    }

  g_assert_cmpuint (seedream_history_count (history, NULL, NULL), ==, G_N_ELEMENTS (prompts));
  g_assert_cmpuint (seedream_history_count (history, "", NULL), ==, G_N_ELEMENTS (prompts));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(GError) error = NULL;
      guint n_matching_in_c = 0;

      g_test_message ("search “%s”", cases[i].search);

      g_assert_cmpuint (seedream_history_count (history, cases[i].search, &error), ==, cases[i].n);
      g_assert_no_error (error);

      list = seedream_history_list (history, cases[i].search, 0, 100, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, cases[i].n);
      for (guint j = 0; j < list->len; j++)
        {
          g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (list, j)), ==, cases[i].ids[j]);
          g_assert_cmpuint (seedream_history_position_of (history, cases[i].ids[j], cases[i].search, &error), ==, j);
          g_assert_no_error (error);
        }

      /* The C matcher the model uses agrees with SQL. */
      for (guint j = 0; j < G_N_ELEMENTS (prompts); j++)
        if (seedream_history_prompt_matches (prompts[j], cases[i].search))
          n_matching_in_c++;
      g_assert_cmpuint (n_matching_in_c, ==, cases[i].n);
    }

  /* The table is still there. */
  g_assert_cmpuint (seedream_history_count (history, NULL, NULL), ==, G_N_ELEMENTS (prompts));

  /* Pages, newest first. */
  {
    g_autoptr(GPtrArray) page = seedream_history_list (history, NULL, 2, 3, NULL);

    g_assert_cmpuint (page->len, ==, 3);
    g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (page, 0)), ==, 5);
    g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (page, 2)), ==, 3);
    g_assert_cmpuint (seedream_history_position_of (history, 5, NULL, NULL), ==, 2);
  }
  {
    g_autoptr(GPtrArray) page = seedream_history_list (history, NULL, 100, 10, NULL);

    g_assert_cmpuint (page->len, ==, 0);
  }

  /* The page after a row, found by its id: the same rows as by offset,
   * for every search and for none (the last turn). */
  for (guint i = 0; i <= G_N_ELEMENTS (cases); i++)
    {
      const char *search = i < G_N_ELEMENTS (cases) ? cases[i].search : NULL;
      guint n = i < G_N_ELEMENTS (cases) ? cases[i].n : G_N_ELEMENTS (prompts);
      g_autoptr(GPtrArray) all = seedream_history_list (history, search, 0, 100, NULL);

      g_assert_cmpuint (all->len, ==, n);
      for (guint k = 0; k < all->len; k++)
        {
          gint64 id = seedream_history_entry_get_id (g_ptr_array_index (all, k));
          g_autoptr(GPtrArray) by_offset = seedream_history_list (history, search, k + 1, 2, NULL);
          g_autoptr(GPtrArray) by_id = seedream_history_list_before (history, search, id, 2, NULL);

          g_assert_nonnull (by_id);
          g_assert_cmpuint (by_id->len, ==, by_offset->len);
          for (guint j = 0; j < by_id->len; j++)
            g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (by_id, j)), ==,
                             seedream_history_entry_get_id (g_ptr_array_index (by_offset, j)));
        }
    }
}

/* Deleting removes exactly the files nothing else uses: a source copy two
 * submissions share stays until the second goes; the result images and
 * their task folder go with their row. */
static void
test_delete_submissions (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = open_history (fixture);
  g_autoptr(SeedreamRequest) first = make_request ("first");
  g_autoptr(SeedreamRequest) second = make_request ("second");
  g_autoptr(SeedreamHistoryEntry) entry1 = NULL;
  g_autoptr(SeedreamHistoryEntry) entry2 = NULL;
  g_autoptr(SeedreamHistoryEntry) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *originals = g_build_filename (fixture->dir, "originals", NULL);
  g_autofree char *task_dir = data_path (fixture, "results/task_one");
  g_autofree char *result = NULL;
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  g_autoptr(GFile) file_a = NULL;
  g_autoptr(GFile) file_b = NULL;
  const char content_a[] = "\x89PNG\r\n\x1a\n shared image";
  const char content_b[] = "\xff\xd8\xff only the first's";
  const char * const *sources1, * const *sources2;
  const char *shared, *own;
  gint64 id1, id2, missing = 9999;

  g_assert_cmpint (g_mkdir (originals, 0700), ==, 0);
  path_a = write_file (originals, "a.png", content_a, sizeof content_a - 1);
  path_b = write_file (originals, "b.jpg", content_b, sizeof content_b - 1);
  file_a = g_file_new_for_path (path_a);
  file_b = g_file_new_for_path (path_b);
  seedream_request_add_source_file (first, file_a);
  seedream_request_add_source_file (first, file_b);
  seedream_request_add_source_file (second, file_a);
  id1 = add_submission (history, first, NULL, &error);
  g_assert_no_error (error);
  id2 = add_submission (history, second, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_mkdir_with_parents (task_dir, 0700), ==, 0);
  result = write_file (task_dir, "1.png", content_a, sizeof content_a - 1);
  g_assert_true (seedream_history_set_submitted (history, id1, "task_one", &error));
  g_assert_true (seedream_history_set_result (history, id1, 0, "https://x.invalid/1.png", result, 4, 4, &error));
  g_assert_no_error (error);

  entry1 = seedream_history_lookup (history, id1, &error);
  entry2 = seedream_history_lookup (history, id2, &error);
  g_assert_no_error (error);
  sources1 = seedream_history_entry_get_source_paths (entry1);
  sources2 = seedream_history_entry_get_source_paths (entry2);
  g_assert_cmpstr (sources1[0], ==, sources2[0]);
  shared = sources1[0];
  own = sources1[1];
  g_assert_true (g_file_test (shared, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (own, G_FILE_TEST_IS_REGULAR));

  /* An id not in the history is passed over. */
  {
    gint64 ids[] = { id1, missing };

    g_assert_true (seedream_history_delete_submissions (history, ids, G_N_ELEMENTS (ids), &error));
    g_assert_no_error (error);
  }
  gone = seedream_history_lookup (history, id1, &error);
  g_assert_null (gone);
  g_clear_error (&error);
  g_assert_false (g_file_test (result, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (task_dir, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (own, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shared, G_FILE_TEST_IS_REGULAR));
  /* The originals are never the app's to delete. */
  g_assert_true (g_file_test (path_a, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (path_b, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 1);

  /* After a restart, the same; then the last user of the copy goes. */
  g_clear_object (&history);
  history = open_history (fixture);
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 1);
  g_assert_true (seedream_history_delete_submissions (history, &id2, 1, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (shared, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (seedream_history_count (history, NULL, &error), ==, 0);
  g_assert_cmpuint (seedream_history_count (history, "first", &error), ==, 0);
}

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/history/state-strings", test_state_strings);
  ADD_TEST ("/seedream/history/schema", test_schema);
  ADD_TEST ("/seedream/history/reopen", test_reopen);
  ADD_TEST ("/seedream/history/add/sources", test_add_sources);
  ADD_TEST ("/seedream/history/entry/request", test_entry_request);
  ADD_TEST ("/seedream/history/add/unreadable", test_add_unreadable);
  ADD_TEST ("/seedream/history/add/leftover-incoming", test_leftover_incoming_removed);
  ADD_TEST ("/seedream/history/updates", test_updates);
  ADD_TEST ("/seedream/history/recover", test_recover);
  ADD_TEST ("/seedream/history/no-images-state", test_no_images_state);
  ADD_TEST ("/seedream/history/damaged/garbage", test_damaged_garbage);
  ADD_TEST ("/seedream/history/damaged/not-a-file", test_damaged_not_a_file);
  ADD_TEST ("/seedream/history/damaged/truncated", test_damaged_truncated);
  ADD_TEST ("/seedream/history/damaged/short-header", test_damaged_short_header);
  ADD_TEST ("/seedream/history/damaged/page", test_damaged_page);
  ADD_TEST ("/seedream/history/damaged/query-marks", test_damaged_query_marks);
  ADD_TEST ("/seedream/history/check/healthy", test_check_healthy);
  ADD_TEST ("/seedream/history/check/marker-on-healthy-file", test_marker_on_healthy_file);
  ADD_TEST ("/seedream/history/check/cancelled", test_check_cancelled);
  ADD_TEST ("/seedream/history/check/close-while-running", test_check_close_while_running);
  ADD_TEST ("/seedream/history/open/unusable-folder", test_unusable_folder);
  ADD_TEST ("/seedream/history/open/newer-version", test_newer_version);
  ADD_TEST ("/seedream/history/migrate/version-1", test_migrate);
  ADD_TEST ("/seedream/history/migrate/empty", test_migrate_from_empty);
  ADD_TEST ("/seedream/history/migrate/version-2", test_migrate_version_2);
  ADD_TEST ("/seedream/history/count/exact", test_count_exact);
  ADD_TEST ("/seedream/history/count/reads-row", test_count_reads_row);
  ADD_TEST ("/seedream/history/search", test_search);
  ADD_TEST ("/seedream/history/delete", test_delete_submissions);

  return g_test_run ();
}
