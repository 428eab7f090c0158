/* test-history-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The prompt index (FTS5, trigram), its migration on a worker, what typed
 * text finds, and the filters.
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "seedream-history.h"
#include "seedream-history-private.h"
#include "seedream-history-model.h"
#include "seedream-model.h"
#include "seedream-test-util.h"

typedef SeedreamTestDataDir Fixture;

static char *
db_path (Fixture *fixture)
{
  return g_build_filename (g_file_peek_path (fixture->data_dir), SEEDREAM_HISTORY_DATABASE_NAME, NULL);
}

static gboolean
indexed_cb (gpointer data)
{
  return seedream_history_get_search_indexed (data);
}

static void
wait_indexed (SeedreamHistory *history)
{
  g_assert_true (seedream_test_wait_until (indexed_cb, history, 30));
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The schema's triggers call it. */
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

static void
insert_row (sqlite3    *db,
            const char *prompt,
            int         state,
            const char *model)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO submissions (created, prompt, resolution, batch_size, state, model) "
                                       "VALUES (0, ?1, '2K', 1, ?2, ?3)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, prompt, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, state);
  if (model != NULL)
    sqlite3_bind_text (stmt, 3, model, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

typedef struct
{
  GArray *ids;
  GError *error;
  gboolean done;
} FindResult;

static void
find_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FindResult *found = user_data;

  found->ids = seedream_history_find_finish (SEEDREAM_HISTORY (object), result, &found->error);
  found->done = TRUE;
}

static gboolean
found_cb (gpointer data)
{
  return ((FindResult *) data)->done;
}

static GArray *
find (SeedreamHistory       *history,
      const char            *search,
      SeedreamHistoryFilter  filter,
      const char            *model_id)
{
  FindResult found = { 0 };

  seedream_history_find_async (history, search, filter, model_id, 0, NULL, find_cb, &found);
  g_assert_true (seedream_test_wait_until (found_cb, &found, 30));
  g_assert_no_error (found.error);
  g_assert_nonnull (found.ids);
  return found.ids;
}

/* Every search, three ways (find on the worker, the synchronous count and
 * list, and the same test in C over every prompt) finds the same rows. */
static void
assert_search (SeedreamHistory    *history,
               const char * const *prompts,
               guint               n_prompts,
               const char         *search)
{
  g_autoptr(GArray) ids = find (history, search, SEEDREAM_HISTORY_FILTER_ALL, NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  guint expected = 0;
  guint k = 0;

  for (guint i = n_prompts; i > 0; i--)
    if (seedream_history_prompt_matches (prompts[i - 1], search))
      {
        expected++;
        g_assert_cmpuint (k, <, ids->len);
        /* Rows were inserted in order: row i has id i. */
        g_assert_cmpint (g_array_index (ids, gint64, k), ==, i);
        k++;
      }

  if (ids->len != expected)
    g_error ("“%s”: %u found, %u expected", search, ids->len, expected);
  g_assert_cmpuint (seedream_history_count (history, search, &error), ==, expected);
  g_assert_no_error (error);
  list = seedream_history_list (history, search, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, expected);
}

static const char * const search_prompts[] = {
  "A watercolour lighthouse at dusk",
  "一只在雪地里的小猫，水彩画",
  "東京の夜景、ネオン、雨",
  "Café au lait on a marble table",
  "CAFÉ SIGN in neon",
  "100% natural, 50_50 split",
  "the \"quoted\" word and it's fine",
  "cats AND dogs OR birds NOT fish",
  "NEAR(a b) prefix* col:umn ^start -minus",
  "plain prompt with nothing special",
  "Straße in the rain",
};

static const char * const searches[] = {
  /* In the middle of a word */
  "ercolo", "ighthou", "HTHOU",
  /* Chinese, Japanese */
  "雪地里", "小猫", "水彩", "夜景", "猫",
  /* Accents and case, composed and decomposed */
  "café", "CAFÉ", "cafe\xcc\x81", "cafe", "strasse", "STRASSE",
  /* LIKE's wildcards are text */
  "100%", "%", "0%", "50_50", "_", "_5",
  /* Quotes */
  "\"quoted\"", "\"", "it's", "'", "\"\"\"",
  /* FTS operators typed as text */
  "AND dogs", "OR", "NOT fish", "NEAR(a", "prefix*", "col:umn", "^start", "-minus", "*", "(", ")",
  "cats AND", "a b)",
  /* Short (no trigram), and no match */
  "a", "ne", "zzzzzz", " ",
};

static void
fill_search_prompts (Fixture *fixture)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autofree char *path = db_path (fixture);
  sqlite3 *db = open_raw (path);

  for (guint i = 0; i < G_N_ELEMENTS (search_prompts); i++)
    insert_row (db, search_prompts[i], SEEDREAM_HISTORY_STATE_DONE, NULL);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* What people type finds what it says, through the index. */
static void
test_search_text (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;

  fill_search_prompts (fixture);
  history = seedream_test_open_history (fixture->data_dir);
  /* A new file is indexed from the start. */
  g_assert_true (seedream_history_get_search_indexed (history));

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    assert_search (history, search_prompts, G_N_ELEMENTS (search_prompts), searches[i]);

  {
    g_autoptr(GArray) ids = find (history, "ercolo", SEEDREAM_HISTORY_FILTER_ALL, NULL);

    g_assert_cmpuint (ids->len, ==, 1);
  }
  {
    g_autoptr(GArray) ids = find (history, "café", SEEDREAM_HISTORY_FILTER_ALL, NULL);

    g_assert_cmpuint (ids->len, ==, 2);
  }
  {
    g_autoptr(GArray) ids = find (history, "小猫", SEEDREAM_HISTORY_FILTER_ALL, NULL);

    g_assert_cmpuint (ids->len, ==, 1);
  }
}

/* The schema of version 3, as it shipped. */
static const char version_3_schema[] =
  "CREATE TABLE submissions ("
  "  id INTEGER PRIMARY KEY, created INTEGER NOT NULL, prompt TEXT NOT NULL,"
  "  resolution TEXT NOT NULL, batch_size INTEGER NOT NULL, image_url TEXT,"
  "  state INTEGER NOT NULL, task_id TEXT, error_message TEXT, server_message TEXT);"
  "CREATE INDEX submissions_task_id ON submissions (task_id);"
  "CREATE TABLE submission_sources ("
  "  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL, path TEXT NOT NULL, PRIMARY KEY (submission_id, position));"
  "CREATE TABLE results ("
  "  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,"
  "  idx INTEGER NOT NULL, url TEXT, local_path TEXT, width INTEGER NOT NULL DEFAULT 0,"
  "  height INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (submission_id, idx));"
  "ALTER TABLE submissions ADD COLUMN model TEXT;"
  "CREATE INDEX submissions_state ON submissions (state);"
  "CREATE TABLE submission_count (only_row INTEGER PRIMARY KEY CHECK (only_row = 1), n INTEGER NOT NULL);"
  "INSERT INTO submission_count VALUES (1, 0);"
  "CREATE TRIGGER submissions_count_insert AFTER INSERT ON submissions BEGIN"
  "  UPDATE submission_count SET n = n + 1 WHERE only_row = 1; END;"
  "CREATE TRIGGER submissions_count_delete AFTER DELETE ON submissions BEGIN"
  "  UPDATE submission_count SET n = n - 1 WHERE only_row = 1; END;"
  "PRAGMA user_version = 3;";

#define N_MIGRATED 10000

/* A 10,000-row file of version 3 is indexed on a worker after it opens;
 * meanwhile searching works (LIKE) and finds the same rows, rows added or
 * deleted meanwhile are right, and a second opening does not index again. */
static void
test_migrate_index (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autofree char *path = db_path (fixture);
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->data_dir), 0700), ==, 0);
  db = open_raw (path);
  exec_raw (db, version_3_schema);
  exec_raw (db, "BEGIN");
  exec_raw (db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
                "INSERT INTO submissions (created, prompt, resolution, batch_size, state) "
                "SELECT i, CASE i % 3 WHEN 0 THEN 'Café number ' WHEN 1 THEN '小猫 ' ELSE 'lighthouse ' END || i,"
                " '2K', 1, 5 FROM n");
  exec_raw (db, "COMMIT");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  history = seedream_test_open_history (fixture->data_dir);
  g_assert_cmpint (seedream_history_get_schema_version (history), ==, SEEDREAM_HISTORY_SCHEMA_VERSION);

  /* Whether or not the worker is done yet, the answers are right. */
  before = find (history, "CAFÉ NUMBER", SEEDREAM_HISTORY_FILTER_ALL, NULL);
  g_assert_cmpuint (before->len, ==, N_MIGRATED / 3);
  g_assert_cmpuint (seedream_history_count (history, "小猫", &error), ==, N_MIGRATED / 3 + 1);
  g_assert_no_error (error);

  wait_indexed (history);

  after = find (history, "CAFÉ NUMBER", SEEDREAM_HISTORY_FILTER_ALL, NULL);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_cmpmem (after->data, after->len * sizeof (gint64), before->data, before->len * sizeof (gint64));
  g_assert_cmpuint (seedream_history_count (history, "小猫", &error), ==, N_MIGRATED / 3 + 1);
  g_assert_cmpuint (seedream_history_count (history, "ighthous", &error), ==, N_MIGRATED / 3);
  g_assert_cmpuint (seedream_history_position_of (history, 3, "café", &error), ==, N_MIGRATED / 3 - 1);
  g_assert_no_error (error);

  db = open_raw (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM prompt_index_todo"), ==, 0);
  /* Each row once: no duplicates from the trigger and the worker. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM prompt_index WHERE prompt_index MATCH '\"ber\"'"),
                   ==, N_MIGRATED / 3);
  /* Rows added and deleted later follow. */
  insert_row (db, "a new café", SEEDREAM_HISTORY_STATE_DONE, NULL);
  exec_raw (db, "DELETE FROM submissions WHERE id = 3");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  g_assert_cmpuint (seedream_history_count (history, "café", &error), ==, N_MIGRATED / 3);
  g_assert_no_error (error);

  g_clear_object (&history);
  history = seedream_test_open_history (fixture->data_dir);
  g_assert_true (seedream_history_get_search_indexed (history));
}

/* A migration interrupted half way goes on at the next opening. */
static void
test_migrate_resumes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autofree char *path = db_path (fixture);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  history = seedream_test_open_history (fixture->data_dir);
  g_clear_object (&history);
  db = open_raw (path);
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("row %u of many", i);

      insert_row (db, prompt, SEEDREAM_HISTORY_STATE_DONE, NULL);
    }
  /* As if the worker had stopped with rows below 1200 still to do. */
  exec_raw (db, "DELETE FROM prompt_index WHERE rowid < 1200;"
                "INSERT INTO prompt_index_todo (only_row, below) VALUES (1, 1200)");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  history = seedream_test_open_history (fixture->data_dir);
  g_assert_false (seedream_history_get_search_indexed (history));
  g_assert_cmpuint (seedream_history_count (history, "of many", &error), ==, 3000);
  wait_indexed (history);
  g_assert_cmpuint (seedream_history_count (history, "of many", &error), ==, 3000);
  g_assert_cmpuint (seedream_history_count (history, "w 11", &error), ==, 111);
  g_assert_no_error (error);
}

/* Favourites, the failed filter and the model filter, combined with a
 * search, and all of them still there after a restart. */
static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autofree char *path = db_path (fixture);
  /* Not in today's table of models: a row another version wrote. */
  const char *other_model = "seedreamv4";
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  db = open_raw (path);
  insert_row (db, "red fox", SEEDREAM_HISTORY_STATE_DONE, NULL);                /* 1 */
  insert_row (db, "red fox failed", SEEDREAM_HISTORY_STATE_TASK_FAILED, NULL);  /* 2 */
  insert_row (db, "blue fox not sent", SEEDREAM_HISTORY_STATE_SEND_FAILED, other_model); /* 3 */
  insert_row (db, "red sky", SEEDREAM_HISTORY_STATE_CANCELLED, other_model);    /* 4 */
  insert_row (db, "red fox again", SEEDREAM_HISTORY_STATE_DONE,
              seedream_model_get_default ()->id);                               /* 5 */
  insert_row (db, "quiet fox, no images", SEEDREAM_HISTORY_STATE_NO_IMAGES, other_model); /* 6 */
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  g_assert_true (seedream_history_set_favourite (history, 1, TRUE, &error));
  g_assert_true (seedream_history_set_favourite (history, 4, TRUE, &error));
  g_assert_true (seedream_history_set_favourite (history, 5, TRUE, &error));
  g_assert_true (seedream_history_set_favourite (history, 5, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (seedream_history_set_favourite (history, 99, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  for (guint round = 0; round < 2; round++)
    {
      struct {
        const char *search;
        SeedreamHistoryFilter filter;
        const char *model;
        gint64 ids[6];
      } cases[] = {
        { NULL, SEEDREAM_HISTORY_FILTER_ALL, NULL, { 6, 5, 4, 3, 2, 1 } },
        { NULL, SEEDREAM_HISTORY_FILTER_FAVOURITES, NULL, { 4, 1 } },
        { NULL, SEEDREAM_HISTORY_FILTER_FAILED, NULL, { 6, 3, 2 } },
        { "red", SEEDREAM_HISTORY_FILTER_FAVOURITES, NULL, { 4, 1 } },
        { "fox", SEEDREAM_HISTORY_FILTER_FAILED, NULL, { 6, 3, 2 } },
        { "red fox", SEEDREAM_HISTORY_FILTER_FAILED, NULL, { 2 } },
        { NULL, SEEDREAM_HISTORY_FILTER_ALL, other_model, { 6, 4, 3 } },
        { NULL, SEEDREAM_HISTORY_FILTER_ALL, seedream_model_get_default ()->id, { 5, 2, 1 } },
        { "fo", SEEDREAM_HISTORY_FILTER_FAILED, other_model, { 6, 3 } },
        { "sky", SEEDREAM_HISTORY_FILTER_FAVOURITES, seedream_model_get_default ()->id, { 0 } },
      };

      for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
        {
          g_autoptr(GArray) ids = find (history, cases[c].search, cases[c].filter, cases[c].model);
          guint n = 0;

          while (n < G_N_ELEMENTS (cases[c].ids) && cases[c].ids[n] != 0)
            n++;
          g_assert_cmpuint (ids->len, ==, n);
          for (guint k = 0; k < n; k++)
            {
              g_autoptr(SeedreamHistoryEntry) entry = seedream_history_lookup (history, cases[c].ids[k], NULL);

              g_assert_cmpint (g_array_index (ids, gint64, k), ==, cases[c].ids[k]);
              g_assert_true (seedream_history_entry_matches (entry, cases[c].search, cases[c].filter, cases[c].model));
            }
        }

      {
        g_autoptr(SeedreamHistoryEntry) entry = seedream_history_lookup (history, 4, NULL);

        g_assert_true (seedream_history_entry_get_favourite (entry));
      }

      /* After a restart, the same. */
      g_clear_object (&history);
      history = seedream_test_open_history (fixture->data_dir);
    }
}

static void
assert_found (SeedreamHistory       *history,
              SeedreamHistoryFilter  filter,
              const gint64          *expected,
              guint                  n_expected)
{
  g_autoptr(GArray) ids = find (history, NULL, filter, NULL);

  g_assert_cmpuint (ids->len, ==, n_expected);
  for (guint k = 0; k < n_expected; k++)
    {
      g_autoptr(SeedreamHistoryEntry) entry = seedream_history_lookup (history, expected[k], NULL);

      g_assert_cmpint (g_array_index (ids, gint64, k), ==, expected[k]);
      g_assert_true (seedream_history_entry_matches (entry, NULL, filter, NULL));
    }
}

static gboolean
result_favourite (SeedreamHistory *history,
                  gint64           id,
                  guint            index)
{
  g_autoptr(SeedreamHistoryEntry) entry = seedream_history_lookup (history, id, NULL);
  GPtrArray *results = seedream_history_entry_get_results (entry);

  for (guint i = 0; i < results->len; i++)
    if (seedream_history_result_get_index (g_ptr_array_index (results, i)) == index)
      return seedream_history_result_get_favourite (g_ptr_array_index (results, i));

  g_assert_not_reached ();
}

static gboolean
model_found_cb (gpointer data)
{
  return !seedream_history_model_get_finding (data);
}

/* One starred image: kept across a restart and a second write of its
 * result, and its submission is under Favourites beside starred ones. */
static void
test_image_favourites (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autofree char *path = db_path (fixture);
  g_autoptr(GError) error = NULL;
  const gint64 both[] = { 3, 1 };
  const gint64 starred_row[] = { 3 };
  sqlite3 *db;

  db = open_raw (path);
  insert_row (db, "starred image", SEEDREAM_HISTORY_STATE_DONE, NULL);    /* 1 */
  insert_row (db, "no star", SEEDREAM_HISTORY_STATE_DONE, NULL);          /* 2 */
  insert_row (db, "starred row", SEEDREAM_HISTORY_STATE_DONE, NULL);      /* 3 */
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  for (gint64 id = 1; id <= 2; id++)
    for (guint index = 0; index < 2; index++)
      g_assert_true (seedream_history_set_result (history, id, index, "https://files.example/a.png", NULL, 0, 0, &error));
  g_assert_no_error (error);

  g_assert_true (seedream_history_set_favourite (history, 3, TRUE, &error));
  g_assert_true (seedream_history_set_result_favourite (history, 1, 1, TRUE, &error));
  g_assert_no_error (error);
  /* Recorded again (a refresh): the star stays. */
  g_assert_true (seedream_history_set_result (history, 1, 1, "https://files.example/b.png", NULL, 4, 4, &error));
  g_assert_no_error (error);

  /* No such image, no such row. */
  g_assert_false (seedream_history_set_result_favourite (history, 1, 7, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (seedream_history_set_result_favourite (history, 99, 0, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(SeedreamHistoryEntry) entry = seedream_history_lookup (history, 1, NULL);
      g_autoptr(SeedreamHistoryEntry) other = seedream_history_lookup (history, 2, NULL);

      g_assert_true (result_favourite (history, 1, 1));
      g_assert_false (result_favourite (history, 1, 0));
      g_assert_false (result_favourite (history, 2, 1));
      /* The image is starred, not its submission. */
      g_assert_false (seedream_history_entry_get_favourite (entry));
      g_assert_true (seedream_history_entry_has_favourite_result (entry));
      g_assert_false (seedream_history_entry_has_favourite_result (other));
      g_assert_false (seedream_history_entry_matches (other, NULL, SEEDREAM_HISTORY_FILTER_FAVOURITES, NULL));
      assert_found (history, SEEDREAM_HISTORY_FILTER_FAVOURITES, both, G_N_ELEMENTS (both));

      g_clear_object (&history);
      history = seedream_test_open_history (fixture->data_dir);
    }

  g_assert_true (seedream_history_set_result_favourite (history, 1, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (result_favourite (history, 1, 1));
  assert_found (history, SEEDREAM_HISTORY_FILTER_FAVOURITES, starred_row, G_N_ELEMENTS (starred_row));

  /* History's list under Favourites takes in and lets go of a row as one
   * of its images is starred and unstarred. */
  {
    g_autoptr(SeedreamHistoryModel) model = seedream_history_model_new (history);

    seedream_history_model_set_filter (model, SEEDREAM_HISTORY_FILTER_FAVOURITES, NULL);
    g_assert_true (seedream_test_wait_until (model_found_cb, model, 30));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);

    g_assert_true (seedream_history_set_result_favourite (history, 2, 0, TRUE, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
    g_assert_true (seedream_history_set_result_favourite (history, 2, 0, FALSE, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  }

  /* The filter finds starred images through their own index (schema 5). */
  db = open_raw (path);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'results_favourite'"),
                   ==, 1);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static GArray *
find_limited (SeedreamHistory       *history,
              const char            *search,
              SeedreamHistoryFilter  filter,
              guint                  limit)
{
  FindResult found = { 0 };

  seedream_history_find_async (history, search, filter, NULL, limit, NULL, find_cb, &found);
  g_assert_true (seedream_test_wait_until (found_cb, &found, 30));
  g_assert_no_error (found.error);
  g_assert_nonnull (found.ids);
  return found.ids;
}


/* A limited find gives the newest matches, through the index or not; the
 * model shows its first page, then every match, in order. */
static void
test_limit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = seedream_test_open_history (fixture->data_dir);
  g_autoptr(SeedreamHistoryModel) model = NULL;
  g_autofree char *path = db_path (fixture);
  const char * const texts[] = { "ox numb", "ox", "OX NUMBER 1" };
  sqlite3 *db;

  db = open_raw (path);
  exec_raw (db, "BEGIN");
  for (guint i = 1; i <= 130; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("a fox number %u", i);

      insert_row (db, prompt, i % 2 == 0 ? SEEDREAM_HISTORY_STATE_TASK_FAILED : SEEDREAM_HISTORY_STATE_DONE, NULL);
    }
  exec_raw (db, "COMMIT");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  for (guint c = 0; c < G_N_ELEMENTS (texts); c++)
    {
      g_autoptr(GArray) all = find (history, texts[c], SEEDREAM_HISTORY_FILTER_ALL, NULL);
      g_autoptr(GArray) first = find_limited (history, texts[c], SEEDREAM_HISTORY_FILTER_ALL, 7);
      g_autoptr(GArray) failed_all = find (history, texts[c], SEEDREAM_HISTORY_FILTER_FAILED, NULL);
      g_autoptr(GArray) failed = find_limited (history, texts[c], SEEDREAM_HISTORY_FILTER_FAILED, 5);

      g_assert_cmpuint (all->len, >, 7);
      g_assert_cmpuint (first->len, ==, 7);
      g_assert_cmpmem (first->data, 7 * sizeof (gint64), all->data, 7 * sizeof (gint64));
      g_assert_cmpuint (failed->len, ==, 5);
      g_assert_cmpmem (failed->data, 5 * sizeof (gint64), failed_all->data, 5 * sizeof (gint64));
      for (guint k = 0; k < failed_all->len; k++)
        g_assert_cmpint (g_array_index (failed_all, gint64, k) % 2, ==, 0);
    }

  model = seedream_history_model_new (history);
  seedream_history_model_set_search (model, "fox number");
  g_assert_true (seedream_test_wait_until (model_found_cb, model, 30));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 130);
  for (guint k = 0; k < 130; k += 43)
    {
      g_autoptr(SeedreamHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (model), k);

      g_assert_cmpint (seedream_history_entry_get_id (entry), ==, 130 - k);
    }
}

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, seedream_test_data_dir_setup, func, seedream_test_data_dir_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("/seedream/history-search/text", test_search_text);
  ADD_TEST ("/seedream/history-search/migrate/10000", test_migrate_index);
  ADD_TEST ("/seedream/history-search/migrate/resumes", test_migrate_resumes);
  ADD_TEST ("/seedream/history-search/filters", test_filters);
  ADD_TEST ("/seedream/history-search/image-favourites", test_image_favourites);
  ADD_TEST ("/seedream/history-search/limit", test_limit);

  return g_test_run ();
}
