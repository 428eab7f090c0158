/* test-history-lineage.c: the chains of images in the history ("Use as
 * Source" remembers the result a source came from).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sqlite3.h>

#include "seedream-draft.h"
#include "seedream-history.h"
#include "seedream-history-chain.h"
#include "seedream-history-entry.h"
#include "seedream-history-private.h"
#include "seedream-test-util.h"

typedef SeedreamTestDataDir Fixture;

/* A finished submission with @n_results images in results/@task_id/. */
static gint64
add_done (SeedreamHistory *history,
          const char      *prompt,
          const char      *task_id,
          guint            n_results,
          SeedreamRequest *request)
{
  g_autoptr(SeedreamRequest) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) task_dir = g_file_get_child (seedream_history_get_results_dir (history), task_id);
  gint64 id;

  if (request == NULL)
    request = own = seedream_request_new ();
  seedream_request_set_prompt (request, prompt);
  id = seedream_test_add_request (history, request);

  g_assert_true (seedream_history_set_submitted (history, id, task_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (task_dir), 0700), ==, 0);
  for (guint i = 0; i < n_results; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u.png", i);
      g_autofree char *contents = g_strdup_printf ("\x89PNG\r\n\x1a\n result %s %u", task_id, i);
      g_autoptr(GFile) file = g_file_get_child (task_dir, name);

      g_assert_true (g_file_set_contents (g_file_peek_path (file), contents, -1, &error));
      g_assert_no_error (error);
      g_assert_true (seedream_history_set_result (history, id, i, "https://example.invalid/r.png",
                                                  g_file_peek_path (file), 64, 64, &error));
      g_assert_no_error (error);
    }
  g_assert_true (seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, &error));
  g_assert_no_error (error);

  return id;
}

static GFile *
result_file (SeedreamHistory *history,
             const char      *task_id,
             guint            index)
{
  g_autofree char *relative = g_strdup_printf ("%s/%u.png", task_id, index);

  return g_file_resolve_relative_path (seedream_history_get_results_dir (history), relative);
}

/* A submission made from another's result names it, and keeps naming it
 * after the history is closed and opened again. */
static void
test_survives_restart (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(SeedreamHistoryEntry) child = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GPtrArray) ancestors = NULL;
  g_autoptr(GFile) second = NULL;
  g_autoptr(GFile) elsewhere = NULL;
  g_autoptr(GError) error = NULL;
  gint64 root, middle, leaf, entry_id;
  guint index;

  root = add_done (history, "a lighthouse", "task-root", 2, NULL);

  /* Which result a file is: found by its place in results/. */
  second = result_file (history, "task-root", 1);
  g_assert_true (seedream_history_find_result (history, second, &entry_id, &index, &error));
  g_assert_no_error (error);
  g_assert_cmpint (entry_id, ==, root);
  g_assert_cmpuint (index, ==, 1);
  elsewhere = g_file_new_build_filename (fixture->dir, "1.png", NULL);
  g_assert_false (seedream_history_find_result (history, elsewhere, &entry_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (entry_id, ==, 0);

  /* The parent is only kept for a file that is a source. */
  g_assert_false (seedream_request_set_source_parent (request, second, root, 1));
  g_assert_true (seedream_request_add_source_file (request, second));
  g_assert_true (seedream_request_set_source_parent (request, second, root, 1));
  middle = add_done (history, "the lighthouse at night", "task-middle", 1, request);

  /* And a grandchild, from the middle's only image. */
  g_clear_object (&request);
  request = seedream_request_new ();
  {
    g_autoptr(GFile) file = result_file (history, "task-middle", 0);

    g_assert_true (seedream_request_add_source_file (request, file));
    g_assert_true (seedream_request_set_source_parent (request, file, middle, 0));
  }
  leaf = add_done (history, "the lighthouse in a storm", "task-leaf", 1, request);

  seedream_test_close_history (&history);
  history = seedream_test_open_history (fixture->data_dir);

  child = seedream_history_lookup (history, middle, &error);
  g_assert_no_error (error);
  g_assert_true (seedream_history_entry_get_parent (child, &entry_id, &index));
  g_assert_cmpint (entry_id, ==, root);
  g_assert_cmpuint (index, ==, 1);

  /* Reuse keeps it: the request sends the same stored copy. */
  {
    g_autoptr(SeedreamRequest) reuse = seedream_history_entry_to_request (child);
    g_autoptr(GFile) source = g_list_model_get_item (seedream_request_get_source_files (reuse), 0);

    g_assert_true (seedream_request_get_source_parent (reuse, source, &entry_id, &index));
    g_assert_cmpint (entry_id, ==, root);
  }

  children = seedream_history_list_children (history, root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (children->len, ==, 1);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (children, 0)), ==, middle);

  g_clear_object (&child);
  child = seedream_history_lookup (history, leaf, &error);
  g_assert_no_error (error);
  ancestors = seedream_history_list_ancestors (history, child, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ancestors->len, ==, 2);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (ancestors, 0)), ==, root);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (ancestors, 1)), ==, middle);

  /* The entry knows its parent's prompt and its number of children. */
  g_assert_cmpstr (seedream_history_entry_get_parent_prompt (child), ==, "the lighthouse at night");
  g_assert_cmpuint (seedream_history_entry_get_n_children (child), ==, 0);

  /* The middle's chain: its parent, itself, its child. */
  {
    g_autoptr(SeedreamHistoryChain) chain = seedream_history_chain_new (history, middle, &error);
    g_autoptr(SeedreamHistoryEntry) first = NULL;
    g_autoptr(SeedreamHistoryEntry) last = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (chain)), ==, 3);
    g_assert_cmpuint (seedream_history_chain_get_focus (chain), ==, 1);
    g_assert_cmpint (seedream_history_entry_get_id (seedream_history_chain_get_entry (chain)), ==, middle);
    first = g_list_model_get_item (G_LIST_MODEL (chain), 0);
    last = g_list_model_get_item (G_LIST_MODEL (chain), 2);
    g_assert_cmpint (seedream_history_entry_get_id (first), ==, root);
    g_assert_cmpint (seedream_history_entry_get_id (last), ==, leaf);
    g_assert_cmpuint (seedream_history_entry_get_n_children (first), ==, 1);
    g_assert_null (seedream_history_entry_get_parent_prompt (first));
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (chain), 3));
  }
  g_assert_null (seedream_history_chain_new (history, leaf + 1000, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A root has neither parent nor ancestors. */
  g_clear_object (&child);
  g_clear_pointer (&ancestors, g_ptr_array_unref);
  child = seedream_history_lookup (history, root, &error);
  g_assert_false (seedream_history_entry_get_parent (child, &entry_id, &index));
  g_assert_cmpint (entry_id, ==, 0);
  ancestors = seedream_history_list_ancestors (history, child, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ancestors->len, ==, 0);

  seedream_test_close_history (&history);
}

/* A parent deleted from the history leaves its child without one, and a
 * parent that is gone when the child is written is not recorded. */
static void
test_parent_gone (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  sqlite3 *db = NULL;
  gint64 parent, child, orphan;

  parent = add_done (history, "a kite", "task-kite", 1, NULL);
  file = result_file (history, "task-kite", 0);
  g_assert_true (seedream_request_add_source_file (request, file));
  g_assert_true (seedream_request_set_source_parent (request, file, parent, 0));
  child = add_done (history, "two kites", "task-kites", 0, request);

  /* An id that was never written. */
  g_assert_true (seedream_request_set_source_parent (request, file, parent + 100, 0));
  orphan = add_done (history, "no kite", "task-none", 0, request);
  entry = seedream_history_lookup (history, orphan, &error);
  g_assert_no_error (error);
  g_assert_false (seedream_history_entry_get_parent (entry, NULL, NULL));
  seedream_test_close_history (&history);

  db_path = g_build_filename (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = ON; DELETE FROM submissions WHERE prompt = 'a kite'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = seedream_test_open_history (fixture->data_dir);
  g_clear_object (&entry);
  entry = seedream_history_lookup (history, child, &error);
  g_assert_no_error (error);
  g_assert_false (seedream_history_entry_get_parent (entry, NULL, NULL));
  seedream_test_close_history (&history);
}

/* A database of schema 4 (before lineage) is migrated: its rows are kept,
 * without parents, and new rows can have them. */
static void
test_migrate_old (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *source = g_build_filename (fixture->dir, "old-source.png", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 old_id, new_id, entry_id;

  g_assert_true (g_file_set_contents (source, "\x89PNG\r\n\x1a\n old source", -1, NULL));
  file = g_file_new_for_path (source);
  g_assert_true (seedream_request_add_source_file (request, file));
  old_id = add_done (history, "an old one", "task-old", 1, request);
  seedream_test_close_history (&history);

  /* Back to schema 5: submission_sources as it was, without the parent
   * columns and their index, and without what later schemas added. */
  db_path = g_build_filename (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "BEGIN;"
                                 "DROP TABLE metadata_todo;"
                                 "DROP INDEX submission_sources_parent;"
                                 "CREATE TABLE old_sources ("
                                 "  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
                                 "  position INTEGER NOT NULL, path TEXT NOT NULL,"
                                 "  PRIMARY KEY (submission_id, position));"
                                 "INSERT INTO old_sources SELECT submission_id, position, path FROM submission_sources;"
                                 "DROP TABLE submission_sources;"
                                 "ALTER TABLE old_sources RENAME TO submission_sources;"
                                 "PRAGMA user_version = 5;"
                                 "COMMIT;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = seedream_test_open_history (fixture->data_dir);
  g_assert_cmpint (seedream_history_get_schema_version (history), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);
  g_assert_cmpint (SEEDREAM_HISTORY_SCHEMA_VERSION, >=, 6);
  entry = seedream_history_lookup (history, old_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seedream_history_entry_get_prompt (entry), ==, "an old one");
  g_assert_cmpuint (g_strv_length ((char **) seedream_history_entry_get_source_paths (entry)), ==, 1);
  g_assert_false (seedream_history_entry_get_parent (entry, &entry_id, NULL));

  /* A new row made from the old row's result. */
  g_clear_object (&request);
  g_clear_object (&file);
  request = seedream_request_new ();
  file = result_file (history, "task-old", 0);
  g_assert_true (seedream_request_add_source_file (request, file));
  g_assert_true (seedream_request_set_source_parent (request, file, old_id, 0));
  new_id = add_done (history, "a new one", "task-new", 0, request);
  children = seedream_history_list_children (history, old_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (children->len, ==, 1);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (children, 0)), ==, new_id);
  seedream_test_close_history (&history);

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM pragma_index_list('submission_sources') "
                                           "WHERE name = 'submission_sources_parent'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* The draft keeps which result each source is, across a restart; a draft
 * from before (no SourceParents) or with nonsense in it loses only that. */
static void
test_draft_keeps_parent (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "draft.ini", NULL);
  g_autofree char *a = g_build_filename (fixture->dir, "a.png", NULL);
  g_autofree char *b = g_build_filename (fixture->dir, "b.png", NULL);
  g_autofree char *uri_a = NULL, *uri_b = NULL, *contents = NULL;
  g_autoptr(GFile) draft_file = g_file_new_for_path (path);
  g_autoptr(GFile) file_a = g_file_new_for_path (a);
  g_autoptr(GFile) file_b = g_file_new_for_path (b);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (draft_file);
  g_autoptr(SeedreamDraft) again = NULL;
  g_autoptr(GError) error = NULL;
  SeedreamRequest *request = seedream_draft_get_request (draft);
  gint64 entry_id;
  guint index;

  g_assert_true (seedream_request_add_source_file (request, file_a));
  g_assert_true (seedream_request_add_source_file (request, file_b));
  g_assert_true (seedream_request_set_source_parent (request, file_b, 42, 3));
  g_assert_true (seedream_draft_save (draft, &error));
  g_assert_no_error (error);

  again = seedream_draft_new (draft_file);
  g_assert_true (seedream_draft_load (again, &error));
  g_assert_no_error (error);
  request = seedream_draft_get_request (again);
  g_assert_false (seedream_request_get_source_parent (request, file_a, NULL, NULL));
  g_assert_true (seedream_request_get_source_parent (request, file_b, &entry_id, &index));
  g_assert_cmpint (entry_id, ==, 42);
  g_assert_cmpuint (index, ==, 3);

  /* Removing the source forgets its parent. */
  g_assert_true (seedream_request_remove_source_file (request, file_b));
  g_assert_true (seedream_request_add_source_file (request, file_b));
  g_assert_false (seedream_request_get_source_parent (request, file_b, NULL, NULL));

  uri_a = g_file_get_uri (file_a);
  uri_b = g_file_get_uri (file_b);
  contents = g_strdup_printf ("[Draft]\nPrompt=p\nResolution=2K\nBatchSize=1\nImageUrl=\n"
                              "SourceImages=%s;%s;\nSourceParents=-1/2;7/x/1;\nVersion=1\n", uri_a, uri_b);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_clear_object (&again);
  again = seedream_draft_new (draft_file);
  g_assert_true (seedream_draft_load (again, &error));
  g_assert_no_error (error);
  request = seedream_draft_get_request (again);
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (request)), ==, 2);
  g_assert_false (seedream_request_get_source_parent (request, file_a, NULL, NULL));
  g_assert_false (seedream_request_get_source_parent (request, file_b, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, seedream_test_data_dir_setup, func, seedream_test_data_dir_teardown)

  ADD ("/seedream/history-lineage/survives-restart", test_survives_restart);
  ADD ("/seedream/history-lineage/parent-gone", test_parent_gone);
  ADD ("/seedream/history-lineage/migrate-old", test_migrate_old);
  ADD ("/seedream/history-lineage/draft-keeps-parent", test_draft_keeps_parent);

#undef ADD

  return g_test_run ();
}
