/* test-history-model.c: the history as a lazy GListModel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>

#include "seedream-history.h"
#include "seedream-history-model.h"
#include "seedream-history-private.h"
#include "seedream-test-util.h"

#define N_LARGE 10000

typedef SeedreamTestDataDir Fixture;

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

/* Records items-changed and n-items notifications. */
typedef struct
{
  GArray *changes;
  guint   n_items_notified;
} Recorder;

static gboolean
found_cb (gpointer data)
{
  return !seedream_history_model_get_finding (data);
}

/* Searches run on a worker: wait for their rows. */
static void
wait_found (SeedreamHistoryModel *model)
{
  g_assert_true (seedream_test_wait_until (found_cb, model, 30));
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *recorder)
{
  Change change = { position, removed, added };

  g_array_append_val (recorder->changes, change);
}

static void
n_items_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   Recorder   *recorder)
{
  recorder->n_items_notified++;
}

static void
recorder_attach (Recorder   *recorder,
                 GListModel *model)
{
  recorder->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  recorder->n_items_notified = 0;
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), recorder);
  g_signal_connect (model, "notify::n-items", G_CALLBACK (n_items_notify_cb), recorder);
}

static void
recorder_clear (Recorder *recorder)
{
  g_clear_pointer (&recorder->changes, g_array_unref);
}

static void
recorder_assert (Recorder *recorder,
                 guint     n_changes,
                 ...)
{
  va_list args;

  g_assert_cmpuint (recorder->changes->len, ==, n_changes);

  va_start (args, n_changes);
  for (guint i = 0; i < n_changes; i++)
    {
      Change *change = &g_array_index (recorder->changes, Change, i);

      g_assert_cmpuint (change->position, ==, va_arg (args, guint));
      g_assert_cmpuint (change->removed, ==, va_arg (args, guint));
      g_assert_cmpuint (change->added, ==, va_arg (args, guint));
    }
  va_end (args);

  g_array_set_size (recorder->changes, 0);
}

static void
async_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gint64
add_prompt (SeedreamHistory *history,
            const char      *prompt)
{
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  seedream_request_set_prompt (request, prompt);
  seedream_history_add_submission_async (history, request, NULL, async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  id = seedream_history_add_submission_finish (history, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static gint64
item_id (GListModel *model,
         guint       position)
{
  g_autoptr(SeedreamHistoryEntry) entry = g_list_model_get_item (model, position);

  g_assert_nonnull (entry);

  return seedream_history_entry_get_id (entry);
}

/* The model holds the same rows, in the same order, as a direct query. */
static void
assert_model_matches_history (GListModel      *model,
                              SeedreamHistory *history,
                              const char      *search)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = seedream_history_list (history, search, 0, G_MAXUINT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(SeedreamHistoryEntry) entry = g_list_model_get_item (model, i);
      SeedreamHistoryEntry *row = g_ptr_array_index (rows, i);

      g_assert_nonnull (entry);
      g_assert_cmpint (seedream_history_entry_get_id (entry), ==, seedream_history_entry_get_id (row));
      g_assert_cmpint (seedream_history_entry_get_state (entry), ==, seedream_history_entry_get_state (row));
      g_assert_cmpstr (seedream_history_entry_get_task_id (entry), ==, seedream_history_entry_get_task_id (row));
    }

  g_assert_null (g_list_model_get_item (model, rows->len));
}

static void
test_large (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(SeedreamHistoryModel) model = NULL;
  g_autofree char *path = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 rows_read;

  /* Make the schema, then write 10,000 rows in one transaction. */
  history = seedream_test_open_history (fixture->data_dir);
  g_clear_object (&history);

  path = g_build_filename (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The schema\'s triggers call it. */
  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                                       "VALUES (?1, ?2, '2K', 1, ?3)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 1; i <= N_LARGE; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("prompt number %u", i);

      sqlite3_bind_int64 (stmt, 1, (gint64) i * G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 2, prompt, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, i % 2 == 0 ? SEEDREAM_HISTORY_STATE_DONE : SEEDREAM_HISTORY_STATE_TASK_FAILED);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  history = seedream_test_open_history (fixture->data_dir);
  g_assert_cmpuint (seedream_history_get_rows_read (history), ==, 0);

  model = seedream_history_model_new (history);
  g_assert_true (seedream_history_model_get_history (model) == history);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == SEEDREAM_TYPE_HISTORY_ENTRY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_LARGE);
  /* Opening read no rows at all. */
  g_assert_cmpuint (seedream_history_get_rows_read (history), ==, 0);

  /* What a list view shows first: the 20 newest. */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(SeedreamHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_autofree char *expected = g_strdup_printf ("prompt number %u", N_LARGE - i);

      g_assert_cmpint (seedream_history_entry_get_id (entry), ==, N_LARGE - i);
      g_assert_cmpstr (seedream_history_entry_get_prompt (entry), ==, expected);
    }
  rows_read = seedream_history_get_rows_read (history);
  g_test_message ("rows read for the first 20 items: %" G_GUINT64_FORMAT, rows_read);
  g_assert_cmpuint (rows_read, >=, 20);
  g_assert_cmpuint (rows_read, <=, 100);

  /* The oldest, at the other end. */
  {
    g_autoptr(SeedreamHistoryEntry) last = g_list_model_get_item (G_LIST_MODEL (model), N_LARGE - 1);

    g_assert_cmpint (seedream_history_entry_get_id (last), ==, 1);
    g_assert_cmpstr (seedream_history_entry_get_prompt (last), ==, "prompt number 1");
    g_assert_cmpint (seedream_history_entry_get_state (last), ==, SEEDREAM_HISTORY_STATE_TASK_FAILED);
    g_assert_cmpint (g_date_time_to_unix (seedream_history_entry_get_created (last)), ==, 1);
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), N_LARGE));
  g_assert_cmpuint (seedream_history_get_rows_read (history), <=, rows_read + 100);

  /* Back at the top: still cached. */
  rows_read = seedream_history_get_rows_read (history);
  g_assert_cmpint (item_id (G_LIST_MODEL (model), 5), ==, N_LARGE - 5);
  g_assert_cmpuint (seedream_history_get_rows_read (history), ==, rows_read);

  /* Scrolling through the middle reads only the pages it touches. */
  rows_read = seedream_history_get_rows_read (history);
  for (guint i = 5000; i < 5100; i++)
    g_assert_cmpint (item_id (G_LIST_MODEL (model), i), ==, N_LARGE - i);
  g_assert_cmpuint (seedream_history_get_rows_read (history) - rows_read, <=, 150);

  /* A search over 10,000 rows, counted without loading them. */
  rows_read = seedream_history_get_rows_read (history);
  seedream_history_model_set_search (model, "NUMBER 999");
  wait_found (model);
  /* 999, 9990..9999 */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 11);
  g_assert_cmpuint (seedream_history_get_rows_read (history), ==, rows_read);
  g_assert_cmpint (item_id (G_LIST_MODEL (model), 0), ==, 9999);
  g_assert_cmpint (item_id (G_LIST_MODEL (model), 10), ==, 999);
}

static void
test_signals (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autoptr(SeedreamHistoryModel) model = NULL;
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *list;
  Recorder recorder;
  gint64 red1, blue2, red3, blue4, blue6;

  red1 = add_prompt (history, "red 1");
  blue2 = add_prompt (history, "blue 2");
  red3 = add_prompt (history, "red 3");

  model = seedream_history_model_new (history);
  list = G_LIST_MODEL (model);
  recorder_attach (&recorder, list);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_null (seedream_history_model_get_search (model));

  /* Fill the cache before the changes, so stale pages would show. */
  assert_model_matches_history (list, history, NULL);

  /* A new row comes first. */
  blue4 = add_prompt (history, "blue 4");
  recorder_assert (&recorder, 1, 0, 0, 1);
  g_assert_cmpuint (recorder.n_items_notified, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
  g_assert_cmpint (item_id (list, 0), ==, blue4);
  assert_model_matches_history (list, history, NULL);

  /* A change to the oldest row: the last position. */
  g_assert_true (seedream_history_set_submitted (history, red1, "task_red1", &error));
  g_assert_no_error (error);
  recorder_assert (&recorder, 1, 3, 1, 1);
  entry = g_list_model_get_item (list, 3);
  g_assert_cmpint (seedream_history_entry_get_id (entry), ==, red1);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_SUBMITTED);
  g_assert_cmpstr (seedream_history_entry_get_task_id (entry), ==, "task_red1");
  g_clear_object (&entry);

  g_assert_true (seedream_history_set_result (history, red3, 0, "https://f/0", NULL, 1, 1, &error));
  g_assert_no_error (error);
  recorder_assert (&recorder, 1, 1, 1, 1);
  entry = g_list_model_get_item (list, 1);
  g_assert_cmpuint (seedream_history_entry_get_results (entry)->len, ==, 1);
  g_clear_object (&entry);

  /* A search replaces everything. */
  recorder.n_items_notified = 0;
  seedream_history_model_set_search (model, "BLUE");
  wait_found (model);
  recorder_assert (&recorder, 1, 0, 4, 2);
  g_assert_cmpuint (recorder.n_items_notified, ==, 1);
  g_assert_cmpstr (seedream_history_model_get_search (model), ==, "BLUE");
  g_assert_cmpint (item_id (list, 0), ==, blue4);
  g_assert_cmpint (item_id (list, 1), ==, blue2);
  g_assert_null (g_list_model_get_item (list, 2));

  /* The same search again: nothing. */
  seedream_history_model_set_search (model, "BLUE");
  wait_found (model);
  recorder_assert (&recorder, 0);

  /* Rows that do not match come and change unseen. */
  add_prompt (history, "red 5");
  recorder_assert (&recorder, 0);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  g_assert_true (seedream_history_set_state (history, red1, SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, &error));
  g_assert_no_error (error);
  recorder_assert (&recorder, 0);

  /* Rows that match are placed among the matches. */
  blue6 = add_prompt (history, "Blue 6");
  recorder_assert (&recorder, 1, 0, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_cmpint (item_id (list, 0), ==, blue6);

  g_assert_true (seedream_history_set_state (history, blue2, SEEDREAM_HISTORY_STATE_SEND_FAILED,
                                             "Not sent", NULL, &error));
  g_assert_no_error (error);
  recorder_assert (&recorder, 1, 2, 1, 1);
  entry = g_list_model_get_item (list, 2);
  g_assert_cmpint (seedream_history_entry_get_id (entry), ==, blue2);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_SEND_FAILED);
  g_clear_object (&entry);
  assert_model_matches_history (list, history, "BLUE");

  /* Back to every row; "" is the same as none. */
  seedream_history_model_set_search (model, "");
  wait_found (model);
  recorder_assert (&recorder, 1, 0, 3, 6);
  g_assert_null (seedream_history_model_get_search (model));
  assert_model_matches_history (list, history, NULL);

  /* The property sets it too. */
  g_object_set (model, "search", "red", NULL);
  wait_found (model);
  recorder_assert (&recorder, 1, 0, 6, 3);
  assert_model_matches_history (list, history, "red");

  recorder_clear (&recorder);
}

static void
test_outlives_history_ref (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SeedreamHistoryModel) model = NULL;
  GWeakRef weak;

  {
    g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);

    add_prompt (history, "kept alive by the model");
    model = seedream_history_model_new (history);
    g_weak_ref_init (&weak, history);
  }

  /* The model keeps the history it reads from. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpint (item_id (G_LIST_MODEL (model), 0), ==, 1);

  g_clear_object (&model);

  /* The worker thread of the last add drops its GTask (and with it a
   * reference to the history) just after the result is delivered, so
   * wait for that: a bound against a hang, not a measurement. */
  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(GObject) alive = g_weak_ref_get (&weak);

      if (alive == NULL)
        break;
      g_clear_object (&alive);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

/* Expected ids, newest first, straight from SQL. */
static GArray *
query_ids (const char *path,
           const char *sql)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);

  /* The schema\'s triggers call it. */

  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  return ids;
}

/* Scrolled through from top to bottom the way a list view does it (a
 * screenful at a time, looking back a few pages now and then), with gaps in
 * the ids and with a search: every item is the right row, and every page is
 * read once. */
static void
test_scroll_through (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(SeedreamHistoryModel) model = NULL;
  g_autofree char *path = NULL;
  const char *searches[] = { NULL, "even" };
  sqlite3 *db = NULL;

  history = seedream_test_open_history (fixture->data_dir);
  g_clear_object (&history);

  path = g_build_filename (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The schema\'s triggers call it. */
  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "BEGIN;"
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) "
                                 "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                                 "SELECT i, CASE WHEN i % 2 = 0 THEN 'even ' ELSE 'odd ' END || i, '2K', 1, 2 FROM n;"
                                 /* Gaps, so that ids are not positions. */
                                 "DELETE FROM submissions WHERE id % 7 = 3 OR id BETWEEN 500 AND 560;"
                                 "COMMIT;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  history = seedream_test_open_history (fixture->data_dir);
  model = seedream_history_model_new (history);

  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    {
      g_autoptr(GArray) expected = NULL;
      guint64 rows_read;
      guint n;

      expected = query_ids (path, searches[s] == NULL
                                  ? "SELECT id FROM submissions ORDER BY id DESC"
                                  : "SELECT id FROM submissions WHERE prompt LIKE '%even%' ORDER BY id DESC");
      seedream_history_model_set_search (model, searches[s]);
      wait_found (model);
      n = g_list_model_get_n_items (G_LIST_MODEL (model));
      g_assert_cmpuint (n, ==, expected->len);
      g_assert_cmpuint (n, >, 400);

      rows_read = seedream_history_get_rows_read (history);
      for (guint top = 0; top < n; top += 12)
        {
          for (guint i = top; i < MIN (n, top + 12); i++)
            g_assert_cmpint (item_id (G_LIST_MODEL (model), i), ==, g_array_index (expected, gint64, i));
          /* A row three pages back, as GtkListView asks for. */
          if (top >= 150)
            g_assert_cmpint (item_id (G_LIST_MODEL (model), top - 150), ==,
                             g_array_index (expected, gint64, top - 150));
        }
      g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));
      g_assert_cmpuint (seedream_history_get_rows_read (history) - rows_read, ==, n);

      /* And back up: the rows are still right. */
      for (guint i = n; i-- > 0;)
        g_assert_cmpint (item_id (G_LIST_MODEL (model), i), ==, g_array_index (expected, gint64, i));
    }
}

/* A file of schema version 2 (as it shipped) with rows: the model of the
 * migrated history has every row, counts without reading them, and follows
 * what is added and taken away afterwards. */
static void
test_migrated (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(SeedreamHistoryModel) model = NULL;
  g_autoptr(SeedreamHistoryModel) searched = NULL;
  g_autofree char *path = NULL;
  sqlite3 *db = NULL;
  gint64 id;

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->data_dir), 0700), ==, 0);
  path = g_build_filename (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The schema\'s triggers call it. */
  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "BEGIN;"
                                 "CREATE TABLE submissions ("
                                 "  id INTEGER PRIMARY KEY, created INTEGER NOT NULL, prompt TEXT NOT NULL,"
                                 "  resolution TEXT NOT NULL, batch_size INTEGER NOT NULL, image_url TEXT,"
                                 "  state INTEGER NOT NULL, task_id TEXT, error_message TEXT,"
                                 "  server_message TEXT, model TEXT);"
                                 "CREATE INDEX submissions_task_id ON submissions (task_id);"
                                 "CREATE INDEX submissions_state ON submissions (state);"
                                 "CREATE TABLE submission_sources ("
                                 "  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
                                 "  position INTEGER NOT NULL, path TEXT NOT NULL,"
                                 "  PRIMARY KEY (submission_id, position));"
                                 "CREATE TABLE results ("
                                 "  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
                                 "  idx INTEGER NOT NULL, url TEXT, local_path TEXT,"
                                 "  width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0,"
                                 "  PRIMARY KEY (submission_id, idx));"
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700) "
                                 "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                                 "SELECT i, CASE WHEN i % 2 = 0 THEN 'even ' ELSE 'odd ' END || i, '2K', 1, 2 FROM n;"
                                 /* 70 gone (all odd): 630 left, 350 of them even. */
                                 "DELETE FROM submissions WHERE id % 10 = 7;"
                                 "PRAGMA user_version = 2;"
                                 "COMMIT;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  history = seedream_test_open_history (fixture->data_dir);
  model = seedream_history_model_new (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 630);
  g_assert_cmpuint (seedream_history_get_rows_read (history), ==, 0);
  g_assert_cmpint (item_id (G_LIST_MODEL (model), 0), ==, 700);
  g_assert_cmpint (item_id (G_LIST_MODEL (model), 2), ==, 698);
  g_assert_cmpint (item_id (G_LIST_MODEL (model), 3), ==, 696);
  g_assert_cmpint (item_id (G_LIST_MODEL (model), 629), ==, 1);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 630));

  searched = seedream_history_model_new (history);
  seedream_history_model_set_search (searched, "even");
  wait_found (searched);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searched)), ==, 350);

  id = add_prompt (history, "even newer");
  g_assert_cmpint (id, ==, 701);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 631);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searched)), ==, 351);
  assert_model_matches_history (G_LIST_MODEL (model), history, NULL);
  g_clear_object (&searched);
  g_clear_object (&model);

  /* Rows taken away by another connection, in bulk: a new model counts
   * what is left. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The schema\'s triggers call it. */
  g_assert_cmpint (seedream_history_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM submissions WHERE id > 600 OR id % 4 = 0",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 631 - 390);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  model = seedream_history_model_new (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 390);
  assert_model_matches_history (G_LIST_MODEL (model), history, NULL);
}

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, seedream_test_data_dir_setup, func, seedream_test_data_dir_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("/seedream/history-model/large", test_large);
  ADD_TEST ("/seedream/history-model/scroll-through", test_scroll_through);
  ADD_TEST ("/seedream/history-model/items-changed", test_signals);
  ADD_TEST ("/seedream/history-model/lifetime", test_outlives_history_ref);
  ADD_TEST ("/seedream/history-model/migrated", test_migrated);

  return g_test_run ();
}
