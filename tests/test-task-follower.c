/* test-task-follower.c: SeedreamTaskFollower against the mock TensorsLab server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test starts its own mock (tests/mock, found through
 * $SEEDREAM_MOCK_SERVER) on a free port, submits a real task to it, follows
 * the task and checks what the follower said (states, errors, signals),
 * what it left on disk, and what the mock's request log shows it did.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mock-fixture.h"
#include "seedream-client.h"
#include "seedream-error.h"
#include "seedream-image-info.h"
#include "seedream-request.h"
#include "seedream-task-follower.h"
#include "seedream-task-info.h"

#define TEST_KEY MOCK_FIXTURE_KEY
#define QUERY_PATH MOCK_FIXTURE_QUERY_PATH
#define FILES_PREFIX "/files/"

/* The results are asked for at this size: not square, so that a swapped
 * width and height would show. */
#define RESULT_RESOLUTION "2560x1440"
#define RESULT_WIDTH 2560
#define RESULT_HEIGHT 1440

/* How many result downloads run at once, from the client's debug lines:
 * "GET /files/… from HOST" starts one, "…: N bytes saved in …" or
 * "… failed: …" ends it. {{{1 */

static GMutex downloads_mutex;
static int downloads_active;
static int downloads_max;

static void
count_download_line (const char *message)
{
  const char *from;

  if (message == NULL || !g_str_has_prefix (message, "GET " FILES_PREFIX))
    return;

  from = strstr (message, " from ");
  if (from == NULL)
    return;

  g_mutex_lock (&downloads_mutex);
  if (strchr (from, ':') == NULL)
    {
      downloads_active++;
      downloads_max = MAX (downloads_max, downloads_active);
    }
  else if (strstr (from, " bytes saved in ") != NULL || strstr (from, " failed: ") != NULL)
    {
      downloads_active--;
    }
  g_mutex_unlock (&downloads_mutex);
}

/* The waits the follower chose, from its "asking again in N ms" lines. */
static GArray *poll_delays;

static void
record_delay_line (const char *message)
{
  const char *p = message != NULL ? strstr (message, "asking again in ") : NULL;
  guint delay;

  if (p == NULL)
    return;

  delay = (guint) g_ascii_strtoull (p + strlen ("asking again in "), NULL, 10);
  g_mutex_lock (&downloads_mutex);
  g_array_append_val (poll_delays, delay);
  g_mutex_unlock (&downloads_mutex);
}

static GLogFunc test_log_handler;
static gpointer test_log_handler_data;

static void
capture_log_handler (const char     *log_domain,
                     GLogLevelFlags  log_level,
                     const char     *message,
                     gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "seedream-client") == 0)
    count_download_line (message);
  else if (g_strcmp0 (log_domain, "seedream-task-follower") == 0)
    record_delay_line (message);

  /* Debug lines are only counted: printed, they would clutter TAP. */
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return;

  test_log_handler (log_domain, log_level, message, test_log_handler_data);
}

static void
reset_download_count (void)
{
  g_mutex_lock (&downloads_mutex);
  downloads_active = 0;
  downloads_max = 0;
  g_array_set_size (poll_delays, 0);
  g_mutex_unlock (&downloads_mutex);
}

/* Small helpers {{{1 */

static gboolean
set_true_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for a while: to see that nothing more happens. */
static void
run_main_loop_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static char *
list_dir (GFile *dir)
{
  g_autoptr(GDir) d = g_dir_open (g_file_peek_path (dir), 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return g_strdup ("");

  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort_values (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

/* The size of a PNG read from its IHDR here, independently of the code
 * under test. */
static void
assert_png_of_size (GFile *file,
                    guint  width,
                    guint  height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const guint8 *data;
  gsize len = 0;
  guint w;
  guint h;

  g_file_get_contents (g_file_peek_path (file), &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 33);

  data = (const guint8 *) contents;
  g_assert_cmpmem (data, sizeof signature, signature, sizeof signature);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  w = ((guint) data[16] << 24) | ((guint) data[17] << 16) | ((guint) data[18] << 8) | data[19];
  h = ((guint) data[20] << 24) | ((guint) data[21] << 16) | ((guint) data[22] << 8) | data[23];
  g_assert_cmpuint (w, ==, width);
  g_assert_cmpuint (h, ==, height);

  /* …and it ends like a whole PNG. */
  g_assert_cmpmem (data + len - 8, 4, "IEND", 4);
}

/* The fixture: a mock, a client, a temporary folder {{{1 */

typedef struct
{
  guint   index;
  char   *path;
  guint   width;
  guint   height;
} ReadyEvent;

typedef struct
{
  guint   index;
  GError *error;
} FailedEvent;

static void
ready_event_free (gpointer data)
{
  ReadyEvent *ev = data;

  g_free (ev->path);
  g_free (ev);
}

static void
failed_event_free (gpointer data)
{
  FailedEvent *ev = data;

  g_clear_error (&ev->error);
  g_free (ev);
}

typedef struct
{
  MockFixture           mock;
  GFile                *results_dir;
  SeedreamTaskFollower *follower;

  /* What the follower said. */
  GArray               *states;
  guint                 error_notifies;
  GPtrArray            *ready;
  GPtrArray            *failed;
  guint                 fraction_notifies;
  double                last_fraction;
  gboolean              fraction_went_back;
  /* Anything at all, to see that nothing comes after cancel(). */
  guint                 events;
} Fixture;

static void
fixture_setup_with (Fixture *fx,
                    guint    task_seconds)
{
  g_autofree char *results = NULL;

  mock_fixture_start (&fx->mock, task_seconds);
  /* The follower does the retrying here, quickly. */
  seedream_client_set_max_query_retries (fx->mock.client, 0);
  seedream_client_set_query_timeout (fx->mock.client, 1);

  /* Not made yet: the follower makes it. */
  results = g_build_filename (fx->mock.tmpdir, "results", "task", NULL);
  fx->results_dir = g_file_new_for_path (results);

  fx->states = g_array_new (FALSE, FALSE, sizeof (int));
  fx->ready = g_ptr_array_new_with_free_func (ready_event_free);
  fx->failed = g_ptr_array_new_with_free_func (failed_event_free);
}

/* Tasks take 1 s: queued for 0.25 s, then running. */
static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fixture_setup_with (fx, 1);
}

/* Tasks take 2 s, so that even a slow machine asks while each state lasts. */
static void
fixture_setup_life (Fixture       *fx,
                    gconstpointer  data)
{
  fixture_setup_with (fx, 2);
}

/* Tasks take 3 s: longer than a short deadline. */
static void
fixture_setup_slow (Fixture       *fx,
                    gconstpointer  data)
{
  fixture_setup_with (fx, 3);
}

static void
fixture_drop_follower (Fixture *fx)
{
  if (fx->follower != NULL)
    {
      g_signal_handlers_disconnect_by_data (fx->follower, fx);
      g_assert_finalize_object (g_steal_pointer (&fx->follower));
    }
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  fixture_drop_follower (fx);
  mock_fixture_stop (&fx->mock);
  g_clear_object (&fx->results_dir);
  g_clear_pointer (&fx->states, g_array_unref);
  g_clear_pointer (&fx->ready, g_ptr_array_unref);
  g_clear_pointer (&fx->failed, g_ptr_array_unref);
}

/* Talking to the mock {{{1 */

static guint
count_faulted (GPtrArray  *records,
               const char *fault)
{
  guint n = 0;

  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = records->pdata[i];
      JsonNode *node = json_object_get_member (record, "fault");

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          g_strcmp0 (json_node_get_string (node), fault) == 0)
        n++;
    }

  return n;
}

static char *
submit_task (Fixture *fx,
             guint    batch_size)
{
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *task_id;

  seedream_request_set_prompt (request, "a lighthouse at dusk, long exposure");
  seedream_request_set_batch_size (request, batch_size);
  seedream_request_set_resolution (request, RESULT_RESOLUTION);

  seedream_client_submit_async (fx->mock.client, request, NULL, NULL, NULL, NULL,
                                mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);
  task_id = seedream_client_submit_finish (fx->mock.client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);

  return task_id;
}

static char *
result_path (const char *task_id,
             guint       number)
{
  return g_strdup_printf (FILES_PREFIX "%s/%u.png", task_id, number);
}

/* The follower and what it says {{{1 */

static void
state_notify_cb (SeedreamTaskFollower *follower,
                 GParamSpec           *pspec,
                 Fixture              *fx)
{
  int state = seedream_task_follower_get_state (follower);

  fx->events++;
  g_array_append_val (fx->states, state);
}

static void
error_notify_cb (SeedreamTaskFollower *follower,
                 GParamSpec           *pspec,
                 Fixture              *fx)
{
  GError *error = NULL;

  fx->events++;
  fx->error_notifies++;

  /* The property and the getter agree. */
  g_object_get (follower, "error", &error, NULL);
  if (error == NULL)
    g_assert_null (seedream_task_follower_get_error (follower));
  else
    g_assert_true (g_error_matches (seedream_task_follower_get_error (follower),
                                    error->domain, error->code));
  g_clear_error (&error);
}

static void
fraction_notify_cb (SeedreamTaskFollower *follower,
                    GParamSpec           *pspec,
                    Fixture              *fx)
{
  double fraction = seedream_task_follower_get_download_fraction (follower);

  fx->events++;
  fx->fraction_notifies++;
  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  if (fraction < fx->last_fraction)
    fx->fraction_went_back = TRUE;
  fx->last_fraction = fraction;
}

static void
result_ready_cb (SeedreamTaskFollower *follower,
                 guint                 index,
                 GFile                *file,
                 guint                 width,
                 guint                 height,
                 Fixture              *fx)
{
  ReadyEvent *ev = g_new0 (ReadyEvent, 1);

  fx->events++;
  g_assert_true (G_IS_FILE (file));
  g_assert_cmpint (seedream_task_follower_get_state (follower), ==, SEEDREAM_FOLLOW_STATE_DOWNLOADING);

  ev->index = index;
  ev->path = g_file_get_path (file);
  ev->width = width;
  ev->height = height;
  g_ptr_array_add (fx->ready, ev);
}

static void
result_failed_cb (SeedreamTaskFollower *follower,
                  guint                 index,
                  GError               *error,
                  Fixture              *fx)
{
  FailedEvent *ev = g_new0 (FailedEvent, 1);

  fx->events++;
  g_assert_nonnull (error);
  g_assert_cmpint (seedream_task_follower_get_state (follower), ==, SEEDREAM_FOLLOW_STATE_DOWNLOADING);

  ev->index = index;
  ev->error = g_error_copy (error);
  g_ptr_array_add (fx->failed, ev);
}

static SeedreamTaskFollower *
follower_new_with_client (Fixture        *fx,
                          SeedreamClient *client,
                          const char     *task_id)
{
  SeedreamTaskFollower *follower = seedream_task_follower_new (client, task_id, fx->results_dir);

  seedream_task_follower_set_initial_interval_ms (follower, 50);
  seedream_task_follower_set_max_interval_ms (follower, 200);
  seedream_task_follower_set_deadline_seconds (follower, 120);

  g_signal_connect (follower, "notify::state", G_CALLBACK (state_notify_cb), fx);
  g_signal_connect (follower, "notify::error", G_CALLBACK (error_notify_cb), fx);
  g_signal_connect (follower, "notify::download-fraction", G_CALLBACK (fraction_notify_cb), fx);
  g_signal_connect (follower, "result-ready", G_CALLBACK (result_ready_cb), fx);
  g_signal_connect (follower, "result-failed", G_CALLBACK (result_failed_cb), fx);

  return follower;
}

static SeedreamTaskFollower *
follower_new (Fixture    *fx,
              const char *task_id)
{
  return follower_new_with_client (fx, fx->mock.client, task_id);
}

static void
fixture_follow (Fixture    *fx,
                const char *task_id)
{
  fixture_drop_follower (fx);
  fx->follower = follower_new (fx, task_id);
}

static gboolean
is_settled (SeedreamFollowState state)
{
  return state == SEEDREAM_FOLLOW_STATE_DONE ||
         state == SEEDREAM_FOLLOW_STATE_FAILED ||
         state == SEEDREAM_FOLLOW_STATE_STOPPED ||
         state == SEEDREAM_FOLLOW_STATE_NO_IMAGES;
}

/* Runs until the follower settles (meson's timeout catches a hang). */
static SeedreamFollowState
run_until_settled (Fixture *fx)
{
  while (!is_settled (seedream_task_follower_get_state (fx->follower)))
    g_main_context_iteration (NULL, TRUE);

  return seedream_task_follower_get_state (fx->follower);
}

static void
assert_states (Fixture   *fx,
               const int *expected,
               guint      n_expected)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GString) wanted = g_string_new (NULL);

  for (guint i = 0; i < fx->states->len; i++)
    g_string_append_printf (seen, "%d ", g_array_index (fx->states, int, i));
  for (guint i = 0; i < n_expected; i++)
    g_string_append_printf (wanted, "%d ", expected[i]);

  g_assert_cmpstr (seen->str, ==, wanted->str);
}

static ReadyEvent *
find_ready (Fixture *fx,
            guint    index)
{
  ReadyEvent *found = NULL;

  for (guint i = 0; i < fx->ready->len; i++)
    {
      ReadyEvent *ev = fx->ready->pdata[i];

      if (ev->index == index)
        {
          g_assert_null (found);
          found = ev;
        }
    }

  return found;
}

static FailedEvent *
find_failed (Fixture *fx,
             guint    index)
{
  FailedEvent *found = NULL;

  for (guint i = 0; i < fx->failed->len; i++)
    {
      FailedEvent *ev = fx->failed->pdata[i];

      if (ev->index == index)
        {
          g_assert_null (found);
          found = ev;
        }
    }

  return found;
}

static void
assert_result_ready (Fixture *fx,
                     guint    index)
{
  ReadyEvent *ev = find_ready (fx, index);
  g_autofree char *name = g_strdup_printf ("%u.png", index);
  g_autoptr(GFile) expected = g_file_get_child (fx->results_dir, name);
  g_autoptr(GFile) file = NULL;

  g_assert_nonnull (ev);
  g_assert_cmpstr (ev->path, ==, g_file_peek_path (expected));
  g_assert_cmpuint (ev->width, ==, RESULT_WIDTH);
  g_assert_cmpuint (ev->height, ==, RESULT_HEIGHT);
  g_assert_null (find_failed (fx, index));

  file = g_file_new_for_path (ev->path);
  assert_png_of_size (file, RESULT_WIDTH, RESULT_HEIGHT);
}

/* Tests {{{1 */

static void
test_follower_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamClient) client = seedream_client_new ("http://127.0.0.1:9", TEST_KEY, &error);
  g_autoptr(GFile) dir = g_file_new_for_path ("/nonexistent/results");
  g_autoptr(SeedreamTaskFollower) follower = NULL;
  guint initial = 0;
  guint deadline = 0;
  int state = -1;

  g_assert_no_error (error);
  follower = seedream_task_follower_new (client, "mock_0123456789abcdef", dir);

  g_assert_cmpstr (seedream_task_follower_get_task_id (follower), ==, "mock_0123456789abcdef");
  g_assert_true (seedream_task_follower_get_results_dir (follower) == dir);
  g_assert_cmpint (seedream_task_follower_get_state (follower), ==, SEEDREAM_FOLLOW_STATE_IDLE);
  g_assert_null (seedream_task_follower_get_error (follower));
  g_assert_null (seedream_task_follower_get_task_info (follower));
  g_assert_cmpint (seedream_task_follower_get_elapsed_seconds (follower), ==, 0);
  g_assert_cmpfloat (seedream_task_follower_get_download_fraction (follower), ==, 0.0);
  g_assert_cmpuint (seedream_task_follower_get_initial_interval_ms (follower), ==,
                    SEEDREAM_TASK_FOLLOWER_DEFAULT_INITIAL_INTERVAL_MS);
  g_assert_cmpuint (seedream_task_follower_get_max_interval_ms (follower), ==,
                    SEEDREAM_TASK_FOLLOWER_DEFAULT_MAX_INTERVAL_MS);
  g_assert_cmpuint (seedream_task_follower_get_deadline_seconds (follower), ==,
                    SEEDREAM_TASK_FOLLOWER_DEFAULT_DEADLINE_SECONDS);

  seedream_task_follower_set_initial_interval_ms (follower, 123);
  seedream_task_follower_set_deadline_seconds (follower, 7);
  g_object_get (follower,
                "initial-interval-ms", &initial,
                "deadline-seconds", &deadline,
                "state", &state,
                NULL);
  g_assert_cmpuint (initial, ==, 123);
  g_assert_cmpuint (deadline, ==, 7);
  g_assert_cmpint (state, ==, SEEDREAM_FOLLOW_STATE_IDLE);

  /* Cancelling what never started is harmless. */
  seedream_task_follower_cancel (follower);
  g_assert_cmpint (seedream_task_follower_get_state (follower), ==, SEEDREAM_FOLLOW_STATE_IDLE);
}

/* The whole life: queued, running, downloading, done; three PNGs of the
 * size asked for, fetched without the key. */
static void
test_follower_life (Fixture       *fx,
                    gconstpointer  data)
{
  static const int expected[] = {
    SEEDREAM_FOLLOW_STATE_QUEUED,
    SEEDREAM_FOLLOW_STATE_RUNNING,
    SEEDREAM_FOLLOW_STATE_DOWNLOADING,
    SEEDREAM_FOLLOW_STATE_DONE,
  };
  g_autofree char *task_id = submit_task (fx, 3);
  g_autoptr(GPtrArray) downloads = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autofree char *listing = NULL;
  SeedreamTaskInfo *info;

  fixture_follow (fx, task_id);
  reset_download_count ();
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (seedream_task_follower_get_state (fx->follower), ==, SEEDREAM_FOLLOW_STATE_QUEUED);

  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  assert_states (fx, expected, G_N_ELEMENTS (expected));
  g_assert_null (seedream_task_follower_get_error (fx->follower));
  g_assert_cmpuint (fx->error_notifies, ==, 0);

  g_assert_cmpuint (fx->ready->len, ==, 3);
  g_assert_cmpuint (fx->failed->len, ==, 0);
  for (guint i = 0; i < 3; i++)
    assert_result_ready (fx, i);

  /* The waits started near initial-interval-ms (50, ±10 %), grew by about
   * half each time, and reached max-interval-ms (200, ±10 %) but never
   * more. */
  g_assert_cmpuint (poll_delays->len, >=, 5);
  g_assert_cmpuint (g_array_index (poll_delays, guint, 0), >=, 45);
  g_assert_cmpuint (g_array_index (poll_delays, guint, 0), <=, 55);
  g_assert_cmpuint (g_array_index (poll_delays, guint, 1), >=, 67);
  g_assert_cmpuint (g_array_index (poll_delays, guint, 1), <=, 83);
  for (guint i = 0; i < poll_delays->len; i++)
    g_assert_cmpuint (g_array_index (poll_delays, guint, i), <=, 220);
  g_assert_cmpuint (g_array_index (poll_delays, guint, poll_delays->len - 1), >=, 180);

  /* Two at a time, not three, not one. */
  g_assert_cmpint (downloads_active, ==, 0);
  g_assert_cmpint (downloads_max, ==, 2);

  /* Nothing else is left in the folder: no .part files. */
  listing = list_dir (fx->results_dir);
  g_assert_cmpstr (listing, ==, "0.png 1.png 2.png");

  g_assert_cmpfloat (seedream_task_follower_get_download_fraction (fx->follower), ==, 1.0);
  g_assert_cmpuint (fx->fraction_notifies, >=, 2);
  g_assert_false (fx->fraction_went_back);

  info = seedream_task_follower_get_task_info (fx->follower);
  g_assert_nonnull (info);
  g_assert_cmpstr (seedream_task_info_get_task_id (info), ==, task_id);
  g_assert_cmpint (seedream_task_info_get_state (info), ==, SEEDREAM_TASK_STATE_DONE);

  /* The task took 2 s on the mock; the elapsed time counts from the
   * service's start time and stops when the task ended. */
  g_assert_cmpint (seedream_task_follower_get_elapsed_seconds (fx->follower), >=, 1);
  g_assert_cmpint (seedream_task_follower_get_elapsed_seconds (fx->follower), <, 600);

  /* Each result was fetched once, and never with the key. */
  downloads = mock_fixture_log (&fx->mock, NULL, FILES_PREFIX);
  g_assert_cmpuint (downloads->len, ==, 3);
  for (guint i = 0; i < downloads->len; i++)
    {
      JsonObject *record = downloads->pdata[i];

      g_assert_cmpstr (json_object_get_string_member (record, "method"), ==, "GET");
      g_assert_false (json_object_get_boolean_member (record, "authorization_sent"));
      g_assert_false (json_object_get_boolean_member (record, "authorized"));
      g_assert_cmpint (json_object_get_int_member (record, "status"), ==, 200);
    }

  /* Polling went on while the task ran, with the key. */
  queries = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  g_assert_cmpuint (queries->len, >=, 3);
  for (guint i = 0; i < queries->len; i++)
    g_assert_true (json_object_get_boolean_member (queries->pdata[i], "authorized"));

  /* Done means done: nothing more is asked, nothing more is said. */
  run_main_loop_ms (400);
  g_assert_cmpuint (fx->states->len, ==, G_N_ELEMENTS (expected));
  {
    g_autoptr(GPtrArray) again = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);

    g_assert_cmpuint (again->len, ==, queries->len);
  }
}

/* The service says the task failed: FAILED, with its reason in words. */
static void
test_follower_task_fails (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *task_id = NULL;
  const GError *error;

  mock_fixture_queue_fault (&fx->mock, "task-fails", 1, NULL);
  task_id = submit_task (fx, 2);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_FAILED);

  error = seedream_task_follower_get_error (fx->follower);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  g_assert_nonnull (strstr (error->message, "content refused by moderation"));
  g_assert_cmpstr (seedream_error_get_server_message (error), ==, "content refused by moderation");
  g_assert_cmpuint (fx->error_notifies, ==, 1);

  g_assert_cmpint (g_array_index (fx->states, int, fx->states->len - 1), ==, SEEDREAM_FOLLOW_STATE_FAILED);
  for (guint i = 0; i < fx->states->len; i++)
    g_assert_cmpint (g_array_index (fx->states, int, i), !=, SEEDREAM_FOLLOW_STATE_DOWNLOADING);

  g_assert_cmpuint (fx->ready->len, ==, 0);
  g_assert_cmpuint (fx->failed->len, ==, 0);
  g_assert_false (g_file_query_exists (fx->results_dir, NULL));
}

/* The task fails while running, with a reason given through the mock. */
static void
test_follower_task_fails_now (Fixture       *fx,
                              gconstpointer  data)
{
  g_autofree char *task_id = submit_task (fx, 1);
  g_autofree char *path = g_strdup_printf ("/mock/tasks/%s/fail", task_id);
  g_autoptr(GBytes) answer = NULL;
  const GError *error;
  guint status = 0;

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);

  /* Let it be asked about a few times first. */
  while (seedream_task_follower_get_task_info (fx->follower) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (seedream_task_follower_get_state (fx->follower), ==, SEEDREAM_FOLLOW_STATE_QUEUED);

  answer = mock_fixture_request (&fx->mock, "POST", path, "{\"error_message\":\"GPU\\tmelted\\n down\"}", &status);
  g_assert_cmpuint (status, ==, 200);

  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_FAILED);
  error = seedream_task_follower_get_error (fx->follower);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  /* In words, cleaned of control characters. */
  g_assert_nonnull (strstr (error->message, "GPU melted down"));
  g_assert_null (strchr (error->message, '\t'));
}

/* Every result URL answers 404: each image fails in words; the task is
 * still DONE. */
static void
test_follower_result_404 (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *task_id = NULL;
  g_autofree char *listing = NULL;

  mock_fixture_queue_fault (&fx->mock, "result-404", 1, NULL);
  task_id = submit_task (fx, 2);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_null (seedream_task_follower_get_error (fx->follower));
  g_assert_cmpuint (fx->ready->len, ==, 0);
  g_assert_cmpuint (fx->failed->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      FailedEvent *ev = find_failed (fx, i);
      g_autofree char *number = g_strdup_printf ("Result image %u", i + 1);

      g_assert_nonnull (ev);
      g_assert_error (ev->error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
      g_assert_cmpuint (seedream_error_get_http_status (ev->error), ==, 404);
      g_assert_true (g_str_has_prefix (ev->error->message, number));
      g_assert_nonnull (strstr (ev->error->message, "no longer available"));
    }

  g_assert_cmpfloat (seedream_task_follower_get_download_fraction (fx->follower), ==, 1.0);
  listing = list_dir (fx->results_dir);
  g_assert_cmpstr (listing, ==, "");
}

/* Every result URL answers text: each image fails as not an image, and
 * nothing of it stays on disk. */
static void
test_follower_result_not_image (Fixture       *fx,
                                gconstpointer  data)
{
  g_autofree char *task_id = NULL;
  g_autofree char *listing = NULL;

  mock_fixture_queue_fault (&fx->mock, "result-not-image", 1, NULL);
  task_id = submit_task (fx, 2);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_cmpuint (fx->ready->len, ==, 0);
  g_assert_cmpuint (fx->failed->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      FailedEvent *ev = find_failed (fx, i);
      g_autofree char *message = g_strdup_printf ("Result image %u is not an image", i + 1);

      g_assert_nonnull (ev);
      g_assert_error (ev->error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
      g_assert_true (g_str_has_prefix (ev->error->message, message));
    }

  listing = list_dir (fx->results_dir);
  g_assert_cmpstr (listing, ==, "");
}

/* One image of three fails (404, or an HTML page instead of a PNG); the
 * other two arrive. */
static void
test_follower_one_result_fails (Fixture       *fx,
                                gconstpointer  data)
{
  const char *fault = data;
  g_autofree char *task_id = submit_task (fx, 3);
  g_autofree char *second = result_path (task_id, 2);
  g_autofree char *listing = NULL;
  FailedEvent *ev;

  mock_fixture_queue_fault (&fx->mock, fault, 1, second);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_cmpuint (fx->ready->len, ==, 2);
  g_assert_cmpuint (fx->failed->len, ==, 1);
  assert_result_ready (fx, 0);
  assert_result_ready (fx, 2);

  ev = find_failed (fx, 1);
  g_assert_nonnull (ev);
  g_assert_true (g_str_has_prefix (ev->error->message, "Result image 2"));
  if (g_str_equal (fault, "http-404"))
    {
      g_assert_error (ev->error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
      g_assert_cmpuint (seedream_error_get_http_status (ev->error), ==, 404);
    }
  else
    {
      g_assert_error (ev->error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
    }

  listing = list_dir (fx->results_dir);
  g_assert_cmpstr (listing, ==, "0.png 2.png");

  /* refresh() after DONE fetches only what is missing. */
  g_array_set_size (fx->states, 0);
  g_ptr_array_set_size (fx->ready, 0);
  g_ptr_array_set_size (fx->failed, 0);
  seedream_task_follower_refresh (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);
  g_assert_cmpuint (fx->ready->len, ==, 3);
  g_assert_cmpuint (fx->failed->len, ==, 0);
  for (guint i = 0; i < 3; i++)
    assert_result_ready (fx, i);
  {
    g_autoptr(GPtrArray) downloads = mock_fixture_log (&fx->mock, NULL, FILES_PREFIX);

    /* 3 the first time, 1 more for the missing one. */
    g_assert_cmpuint (downloads->len, ==, 4);
    g_assert_cmpstr (json_object_get_string_member (downloads->pdata[3], "path"), ==, second);
  }
}

/* Transient faults while polling are retried quietly: 503s, a stalled
 * query (the client gives up after 1 s), a closed connection, a 9999
 * envelope, a 429 with Retry-After. */
static void
test_follower_transient (Fixture       *fx,
                         gconstpointer  data)
{
  static const struct {
    const char *fault;
    guint       count;
  } faults[] = {
    { "http-503", 2 },
    { "stall", 1 },
    { "close-during-upload", 1 },
    { "code-9999", 1 },
    { "http-502", 1 },
    { "http-429", 1 },
  };
  g_autofree char *task_id = submit_task (fx, 1);
  g_autoptr(GPtrArray) queries = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    mock_fixture_queue_fault (&fx->mock, faults[i].fault, faults[i].count, QUERY_PATH);

  fixture_follow (fx, task_id);
  reset_download_count ();
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_null (seedream_task_follower_get_error (fx->follower));
  g_assert_cmpuint (fx->error_notifies, ==, 0);
  g_assert_cmpuint (fx->ready->len, ==, 1);
  assert_result_ready (fx, 0);

  /* The 429's "Retry-After: 2" was honoured: one wait of 2 s, the others
   * short (max-interval-ms is 200). */
  {
    guint long_waits = 0;

    for (guint i = 0; i < poll_delays->len; i++)
      {
        guint delay = g_array_index (poll_delays, guint, i);

        if (delay > 220)
          {
            g_assert_cmpuint (delay, ==, 2000);
            long_waits++;
          }
      }
    g_assert_cmpuint (long_waits, ==, 1);
  }

  /* Every fault was met, and polling went on after each. */
  queries = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    g_assert_cmpuint (count_faulted (queries, faults[i].fault), ==, faults[i].count);
  {
    JsonObject *last = queries->pdata[queries->len - 1];

    g_assert_true (json_node_is_null (json_object_get_member (last, "fault")));
    g_assert_cmpint (json_object_get_int_member (last, "status"), ==, 200);
  }
}

/* The live service answers loosely while a task starts: answers that do
 * not parse, lack taskid or image_status, have an empty data, or carry a
 * code other than 1000 (9000 too) are temporary: asked again, and the task
 * ends DONE, with no error ever said. */
static void
test_follower_loose_answers (Fixture       *fx,
                             gconstpointer  data)
{
  static const char * const faults[] = {
    "malformed-json", "html-page", "empty-body", "empty-data", "missing-taskid",
    "missing-status", "code-9000", "code-9999", "huge-body", "other-taskid",
  };
  g_autofree char *task_id = submit_task (fx, 1);
  g_autoptr(GPtrArray) queries = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    mock_fixture_queue_fault (&fx->mock, faults[i], 1, QUERY_PATH);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_null (seedream_task_follower_get_error (fx->follower));
  g_assert_cmpuint (fx->error_notifies, ==, 0);
  for (guint i = 0; i < fx->states->len; i++)
    g_assert_cmpint (g_array_index (fx->states, int, i), !=, SEEDREAM_FOLLOW_STATE_FAILED);
  assert_result_ready (fx, 0);

  queries = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    g_assert_cmpuint (count_faulted (queries, faults[i]), ==, 1);

  /* The other task's image was never taken for ours. */
  g_assert_cmpuint (fx->ready->len, ==, 1);
  g_assert_cmpstr (seedream_task_info_get_task_id (seedream_task_follower_get_task_info (fx->follower)), ==, task_id);
}

/* Loose answers until the deadline: "still running, check later" (STOPPED,
 * Refresh), never FAILED; refresh() then follows it to the end. */
static void
test_follower_loose_until_deadline (Fixture       *fx,
                                    gconstpointer  data)
{
  g_autofree char *task_id = submit_task (fx, 1);

  mock_fixture_queue_fault (&fx->mock, "empty-data", 100000, QUERY_PATH);

  fixture_follow (fx, task_id);
  seedream_task_follower_set_deadline_seconds (fx->follower, 1);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_STOPPED);
  for (guint i = 0; i < fx->states->len; i++)
    g_assert_cmpint (g_array_index (fx->states, int, i), !=, SEEDREAM_FOLLOW_STATE_FAILED);

  g_bytes_unref (mock_fixture_request (&fx->mock, "DELETE", "/mock/faults", NULL, NULL));
  seedream_task_follower_set_deadline_seconds (fx->follower, 120);
  seedream_task_follower_refresh (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);
  assert_result_ready (fx, 0);
}

/* Status 3 with url []: NO_IMAGES, with the likely reason in words; not
 * FAILED, nothing downloaded, nothing more asked. */
static void
test_follower_no_images (Fixture       *fx,
                         gconstpointer  data)
{
  g_autofree char *task_id = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GPtrArray) later = NULL;
  const GError *error;

  mock_fixture_queue_fault (&fx->mock, "no-images", 1, NULL);
  task_id = submit_task (fx, 2);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_NO_IMAGES);

  error = seedream_task_follower_get_error (fx->follower);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NO_IMAGES);
  g_assert_nonnull (strstr (error->message, "refused the prompt or a source image"));
  for (guint i = 0; i < fx->states->len; i++)
    {
      g_assert_cmpint (g_array_index (fx->states, int, i), !=, SEEDREAM_FOLLOW_STATE_FAILED);
      g_assert_cmpint (g_array_index (fx->states, int, i), !=, SEEDREAM_FOLLOW_STATE_DOWNLOADING);
    }
  g_assert_cmpuint (fx->ready->len, ==, 0);
  g_assert_cmpuint (fx->failed->len, ==, 0);

  queries = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  run_main_loop_ms (400);
  later = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  g_assert_cmpuint (later->len, ==, queries->len);
}

/* Two of a batch of four come: DONE with those two, nothing failed. */
static void
test_follower_fewer_images (Fixture       *fx,
                            gconstpointer  data)
{
  g_autofree char *task_id = NULL;

  mock_fixture_queue_fault (&fx->mock, "fewer-images", 1, NULL);
  task_id = submit_task (fx, 4);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_null (seedream_task_follower_get_error (fx->follower));
  g_assert_cmpuint (seedream_task_info_get_n_urls (seedream_task_follower_get_task_info (fx->follower)), ==, 2);
  g_assert_cmpuint (fx->ready->len, ==, 2);
  g_assert_cmpuint (fx->failed->len, ==, 0);
  assert_result_ready (fx, 0);
  assert_result_ready (fx, 1);
  g_assert_cmpfloat (seedream_task_follower_get_download_fraction (fx->follower), ==, 1.0);
}

/* A service (or whatever answers in its place) listing 64 URLs for one
 * image asked: one is fetched, not 64 (16 GiB at the old cap, again at
 * every Refresh). */
static void
test_follower_no_more_than_asked (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autofree char *task_id = NULL;
  g_autoptr(GPtrArray) fetched = NULL;

  mock_fixture_queue_fault (&fx->mock, "many-urls", 1, NULL);
  task_id = submit_task (fx, 1);

  fixture_follow (fx, task_id);
  seedream_task_follower_set_max_results (fx->follower, 1);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_cmpuint (seedream_task_info_get_n_urls (seedream_task_follower_get_task_info (fx->follower)), ==, 64);
  g_assert_cmpuint (fx->ready->len, ==, 1);
  g_assert_cmpuint (fx->failed->len, ==, 0);
  assert_result_ready (fx, 0);

  fetched = mock_fixture_log (&fx->mock, "GET", "/files/");
  g_assert_cmpuint (fetched->len, ==, 1);
}

/* A result far larger than any image the service makes is refused while
 * it streams, said in words (not "not an image"), and nothing of it stays. */
/* Follows a one-image task under the file-host @fault: the task is done,
 * its one result failed, and nothing of it is left on disk. */
static FailedEvent *
follow_to_one_failed_result (Fixture    *fx,
                             const char *fault)
{
  g_autofree char *task_id = NULL;
  g_autofree char *listing = NULL;
  FailedEvent *ev;

  mock_fixture_queue_fault (&fx->mock, fault, 1, NULL);
  task_id = submit_task (fx, 1);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_cmpuint (fx->ready->len, ==, 0);
  g_assert_cmpuint (fx->failed->len, ==, 1);
  ev = find_failed (fx, 0);
  g_assert_nonnull (ev);
  listing = list_dir (fx->results_dir);
  g_assert_cmpstr (listing, ==, "");

  return ev;
}

static void
test_follower_refuses_huge_result (Fixture       *fx,
                                   gconstpointer  data)
{
  FailedEvent *ev = follow_to_one_failed_result (fx, "result-huge");

  g_assert_error (ev->error, SEEDREAM_ERROR, SEEDREAM_ERROR_RESULT_TOO_LARGE);
  g_assert_true (g_str_has_prefix (ev->error->message, "Result image 1 was refused"));
  g_assert_nonnull (strstr (ev->error->message, "larger than any image the service makes"));
}

/* A file host that sends a byte now and then, never finishing: the
 * download ends at its deadline, says so, frees its slot and leaves no
 * file (with only the inactivity timeout it would run for ever). */
static void
test_follower_download_deadline (Fixture       *fx,
                                 gconstpointer  data)
{
  FailedEvent *ev;

  seedream_client_set_download_deadline (fx->mock.client, 2);
  ev = follow_to_one_failed_result (fx, "result-trickle");
  g_assert_error (ev->error, SEEDREAM_ERROR, SEEDREAM_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (ev->error->message, "had not sent the whole image after 2 seconds"));
}

/* A failed task whose answer has only taskid, image_status and
 * error_message: FAILED with that message. */
static void
test_follower_fails_bare (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *task_id = NULL;
  const GError *error;

  mock_fixture_queue_fault (&fx->mock, "fails-bare", 1, NULL);
  task_id = submit_task (fx, 1);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_FAILED);

  error = seedream_task_follower_get_error (fx->follower);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  g_assert_nonnull (strstr (error->message, "source image rejected by the safety check"));
  g_assert_null (seedream_task_info_get_start_time (seedream_task_follower_get_task_info (fx->follower)));
  g_assert_cmpuint (fx->ready->len, ==, 0);
}

/* The mock sends starttime as the service does, UTC+8 local time without
 * a zone; main() runs these tests at UTC+14. Read as our local time, the
 * start would be six hours back. Elapsed time stays within what the clock
 * proves, and never counts from before the request was sent. */
static void
test_follower_elapsed_in_any_zone (Fixture       *fx,
                                   gconstpointer  data)
{
  gint64 before = g_get_real_time ();
  g_autofree char *task_id = submit_task (fx, 1);
  gint64 submitted = g_get_real_time ();
  gint64 elapsed;

  fixture_follow (fx, task_id);
  seedream_task_follower_set_submitted_time (fx->follower, submitted);
  seedream_task_follower_start (fx->follower);
  while (seedream_task_follower_get_task_info (fx->follower) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (seedream_task_info_get_start_time (seedream_task_follower_get_task_info (fx->follower)));

  elapsed = seedream_task_follower_get_elapsed_seconds (fx->follower);
  g_assert_cmpint (elapsed, >=, 0);
  g_assert_cmpint (elapsed, <=, (g_get_real_time () - submitted) / G_USEC_PER_SEC);

  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);
  elapsed = seedream_task_follower_get_elapsed_seconds (fx->follower);
  g_assert_cmpint (elapsed, <=, (g_get_real_time () - before) / G_USEC_PER_SEC + 1);
}

/* The key was revoked and replaced while a task was followed: the
 * follower, given the new client, asks with the new key at the next
 * refresh() and gets the images. */
static void
test_follower_new_client (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *task_id = submit_task (fx, 1);
  g_autoptr(SeedreamClient) revoked = NULL;
  g_autoptr(GError) error = NULL;

  revoked = seedream_client_new (fx->mock.base_url, "sk-revoked-0000000000000000", &error);
  g_assert_no_error (error);

  fixture_drop_follower (fx);
  fx->follower = follower_new_with_client (fx, revoked, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_FAILED);
  g_assert_error (seedream_task_follower_get_error (fx->follower), SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION);

  seedream_task_follower_set_client (fx->follower, fx->mock.client);
  seedream_task_follower_refresh (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);
  g_assert_null (seedream_task_follower_get_error (fx->follower));
  assert_result_ready (fx, 0);
}

/* A permanent fault (the key refused) ends in FAILED at once. */
static void
test_follower_permanent (Fixture       *fx,
                         gconstpointer  data)
{
  static const int expected[] = { SEEDREAM_FOLLOW_STATE_QUEUED, SEEDREAM_FOLLOW_STATE_FAILED };
  const char *fault = data;
  g_autofree char *task_id = submit_task (fx, 1);
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GPtrArray) later = NULL;
  const GError *error;

  mock_fixture_queue_fault (&fx->mock, fault, 1, QUERY_PATH);

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_FAILED);

  error = seedream_task_follower_get_error (fx->follower);
  if (g_str_equal (fault, "http-401") || g_str_equal (fault, "http-403"))
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION);
  else if (g_str_equal (fault, "http-404"))
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  else
    g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
  g_assert_cmpuint (fx->error_notifies, ==, 1);

  assert_states (fx, expected, G_N_ELEMENTS (expected));

  /* It was asked once and not again. */
  queries = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  g_assert_cmpuint (queries->len, ==, 1);
  run_main_loop_ms (400);
  later = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  g_assert_cmpuint (later->len, ==, 1);

  /* refresh() tries again, and this time it works. */
  seedream_task_follower_refresh (fx->follower);
  g_assert_null (seedream_task_follower_get_error (fx->follower));
  g_assert_cmpuint (fx->error_notifies, ==, 2);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);
  assert_result_ready (fx, 0);
}

/* The deadline passes while the task runs: STOPPED, with no error; then
 * refresh() follows it to the end. */
static void
test_follower_deadline (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *task_id = submit_task (fx, 1);
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GPtrArray) later = NULL;

  fixture_follow (fx, task_id);
  seedream_task_follower_set_deadline_seconds (fx->follower, 1);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_STOPPED);

  g_assert_null (seedream_task_follower_get_error (fx->follower));
  g_assert_cmpuint (fx->error_notifies, ==, 0);
  g_assert_cmpuint (fx->ready->len, ==, 0);
  {
    int last = g_array_index (fx->states, int, fx->states->len - 1);
    int before = g_array_index (fx->states, int, fx->states->len - 2);

    g_assert_cmpint (last, ==, SEEDREAM_FOLLOW_STATE_STOPPED);
    g_assert_true (before == SEEDREAM_FOLLOW_STATE_QUEUED || before == SEEDREAM_FOLLOW_STATE_RUNNING);
  }

  /* Stopped means no more asking. A query the deadline cancelled may
   * already be on the wire and reach the mock just after: let it land
   * before counting. */
  run_main_loop_ms (400);
  queries = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  g_assert_cmpuint (queries->len, >=, 2);
  run_main_loop_ms (400);
  later = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  g_assert_cmpuint (later->len, ==, queries->len);

  seedream_task_follower_set_deadline_seconds (fx->follower, 120);
  seedream_task_follower_refresh (fx->follower);
  g_assert_false (is_settled (seedream_task_follower_get_state (fx->follower)));
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);
  g_assert_null (seedream_task_follower_get_error (fx->follower));
  g_assert_cmpuint (fx->ready->len, ==, 1);
  assert_result_ready (fx, 0);
}

/* The service cannot be reached until the deadline: STOPPED, with the
 * last error so the UI can say why it does not know. */
static void
test_follower_deadline_unreachable (Fixture       *fx,
                                    gconstpointer  data)
{
  g_autofree char *task_id = submit_task (fx, 1);
  const GError *error;

  mock_fixture_queue_fault (&fx->mock, "http-503", 10000, QUERY_PATH);

  fixture_follow (fx, task_id);
  seedream_task_follower_set_deadline_seconds (fx->follower, 1);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_STOPPED);

  error = seedream_task_follower_get_error (fx->follower);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
  g_assert_cmpuint (seedream_error_get_http_status (error), ==, 503);
  g_assert_cmpuint (fx->error_notifies, ==, 1);
  g_assert_null (seedream_task_follower_get_task_info (fx->follower));
}

typedef enum
{
  CANCEL_AT_ONCE,
  CANCEL_WHILE_WAITING,
  CANCEL_WHILE_DOWNLOADING,
  UNREF_AT_ONCE,
  UNREF_WHILE_DOWNLOADING,
} CancelWhen;

/* cancel() (or dropping the follower) mid-way: nothing more is said,
 * nothing more is asked, and the follower can be finalized at once. */
static void
test_follower_cancel (Fixture       *fx,
                      gconstpointer  data)
{
  CancelWhen when = GPOINTER_TO_INT (data);
  gboolean downloading = when == CANCEL_WHILE_DOWNLOADING || when == UNREF_WHILE_DOWNLOADING;
  g_autofree char *task_id = submit_task (fx, downloading ? 3 : 1);
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GPtrArray) later = NULL;
  SeedreamFollowState state;
  guint events;

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);

  switch (when)
    {
    case CANCEL_AT_ONCE:
    case UNREF_AT_ONCE:
      /* The first query is on its way. */
      break;

    case CANCEL_WHILE_WAITING:
      while (seedream_task_follower_get_task_info (fx->follower) == NULL)
        g_main_context_iteration (NULL, TRUE);
      break;

    case CANCEL_WHILE_DOWNLOADING:
    case UNREF_WHILE_DOWNLOADING:
      while (seedream_task_follower_get_state (fx->follower) != SEEDREAM_FOLLOW_STATE_DOWNLOADING)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (fx->ready->len, ==, 0);
      break;

    default:
      g_assert_not_reached ();
    }

  state = seedream_task_follower_get_state (fx->follower);
  events = fx->events;

  if (when == UNREF_AT_ONCE || when == UNREF_WHILE_DOWNLOADING)
    {
      /* Nothing in flight holds it. */
      fixture_drop_follower (fx);
    }
  else
    {
      seedream_task_follower_cancel (fx->follower);
      g_assert_cmpint (seedream_task_follower_get_state (fx->follower), ==, state);
    }

  queries = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);
  run_main_loop_ms (1500);
  later = mock_fixture_log (&fx->mock, NULL, QUERY_PATH);

  g_assert_cmpuint (fx->events, ==, events);
  g_assert_cmpuint (later->len, ==, queries->len);
  if (fx->follower != NULL)
    g_assert_cmpint (seedream_task_follower_get_state (fx->follower), ==, state);

  if (downloading)
    {
      g_autofree char *listing = list_dir (fx->results_dir);

      /* No image was announced, so none was placed under its name; the
       * client removed what it had begun. */
      g_assert_null (strstr (listing, ".png"));
      g_assert_null (strstr (listing, ".part.part"));
    }

  /* A cancelled follower can start again. */
  if (fx->follower != NULL)
    {
      seedream_task_follower_refresh (fx->follower);
      g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);
      g_assert_cmpuint (fx->ready->len, ==, downloading ? 3 : 1);
    }
}

/* A second follower of a finished task (after a restart) finds the images
 * on disk and fetches none again; a missing one is fetched alone. */
static void
test_follower_restart (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *task_id = submit_task (fx, 2);
  g_autoptr(GFile) first = g_file_get_child (fx->results_dir, "0.png");
  g_autoptr(GPtrArray) downloads = NULL;

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);
  g_assert_cmpuint (fx->ready->len, ==, 2);

  downloads = mock_fixture_log (&fx->mock, NULL, FILES_PREFIX);
  g_assert_cmpuint (downloads->len, ==, 2);
  g_clear_pointer (&downloads, g_ptr_array_unref);

  /* The app restarts: a new follower, the same folder. */
  g_array_set_size (fx->states, 0);
  g_ptr_array_set_size (fx->ready, 0);
  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_cmpuint (fx->ready->len, ==, 2);
  assert_result_ready (fx, 0);
  assert_result_ready (fx, 1);
  downloads = mock_fixture_log (&fx->mock, NULL, FILES_PREFIX);
  g_assert_cmpuint (downloads->len, ==, 2);
  g_clear_pointer (&downloads, g_ptr_array_unref);

  /* Once more with the first image gone (and a stale .part about). */
  g_assert_true (g_file_delete (first, NULL, NULL));
  {
    g_autoptr(GFile) stale = g_file_get_child (fx->results_dir, "0.part");

    g_assert_true (g_file_replace_contents (stale, "half an image", 13, NULL, FALSE,
                                            G_FILE_CREATE_NONE, NULL, NULL, NULL));
  }
  g_ptr_array_set_size (fx->ready, 0);
  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_DONE);

  g_assert_cmpuint (fx->ready->len, ==, 2);
  assert_result_ready (fx, 0);
  assert_result_ready (fx, 1);
  downloads = mock_fixture_log (&fx->mock, NULL, FILES_PREFIX);
  g_assert_cmpuint (downloads->len, ==, 3);
  {
    g_autofree char *path = result_path (task_id, 1);
    g_autofree char *listing = list_dir (fx->results_dir);

    g_assert_cmpstr (json_object_get_string_member (downloads->pdata[2], "path"), ==, path);
    g_assert_cmpstr (listing, ==, "0.png 1.png");
  }
}

/* The results folder cannot be made: FAILED, saying so. */
static void
test_follower_unwritable (Fixture       *fx,
                          gconstpointer  data)
{
  g_autofree char *task_id = submit_task (fx, 1);
  g_autofree char *blocker = g_build_filename (fx->mock.tmpdir, "results", NULL);
  const GError *error;

  /* A file where a folder must go. */
  g_assert_true (g_file_set_contents (blocker, "not a folder", -1, NULL));

  fixture_follow (fx, task_id);
  seedream_task_follower_start (fx->follower);
  g_assert_cmpint (run_until_settled (fx), ==, SEEDREAM_FOLLOW_STATE_FAILED);

  error = seedream_task_follower_get_error (fx->follower);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_SAVE_FAILED);
  g_assert_cmpuint (fx->ready->len, ==, 0);
  g_assert_cmpuint (fx->failed->len, ==, 0);
}

/* main {{{1 */

#define ADD_TEST(path, setup, func, data) \
  g_test_add (path, Fixture, data, setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Before anything logs: the client's debug lines are counted. */
  g_setenv ("G_MESSAGES_DEBUG", "seedream-client seedream-task-follower", TRUE);
  /* Far from the service's UTC+8 (POSIX: UTC+14); see elapsed-in-any-zone. */
  g_setenv ("TZ", "<+14>-14", TRUE);
  poll_delays = g_array_new (FALSE, FALSE, sizeof (guint));
  g_test_init (&argc, &argv, NULL);
  test_log_handler = g_log_set_default_handler (capture_log_handler, NULL);

  g_test_add_func ("/seedream/task-follower/new", test_follower_new);

  ADD_TEST ("/seedream/task-follower/life", fixture_setup_life, test_follower_life, NULL);
  ADD_TEST ("/seedream/task-follower/task-fails", fixture_setup, test_follower_task_fails, NULL);
  ADD_TEST ("/seedream/task-follower/task-fails-now", fixture_setup_slow, test_follower_task_fails_now, NULL);
  ADD_TEST ("/seedream/task-follower/result/404", fixture_setup, test_follower_result_404, NULL);
  ADD_TEST ("/seedream/task-follower/result/not-image", fixture_setup, test_follower_result_not_image, NULL);
  ADD_TEST ("/seedream/task-follower/result/one-404", fixture_setup, test_follower_one_result_fails, "http-404");
  ADD_TEST ("/seedream/task-follower/result/one-html", fixture_setup, test_follower_one_result_fails, "html-page");
  ADD_TEST ("/seedream/task-follower/poll/transient", fixture_setup, test_follower_transient, NULL);
  ADD_TEST ("/seedream/task-follower/poll/permanent-401", fixture_setup, test_follower_permanent, "http-401");
  ADD_TEST ("/seedream/task-follower/poll/new-client-after-401", fixture_setup, test_follower_new_client, NULL);
  ADD_TEST ("/seedream/task-follower/poll/permanent-403", fixture_setup, test_follower_permanent, "http-403");
  ADD_TEST ("/seedream/task-follower/poll/permanent-404", fixture_setup, test_follower_permanent, "http-404");
  ADD_TEST ("/seedream/task-follower/poll/loose-answers", fixture_setup, test_follower_loose_answers, NULL);
  ADD_TEST ("/seedream/task-follower/poll/loose-until-deadline", fixture_setup_slow, test_follower_loose_until_deadline, NULL);
  ADD_TEST ("/seedream/task-follower/no-images", fixture_setup, test_follower_no_images, NULL);
  ADD_TEST ("/seedream/task-follower/fewer-images", fixture_setup, test_follower_fewer_images, NULL);
  ADD_TEST ("/seedream/task-follower/no-more-than-asked", fixture_setup, test_follower_no_more_than_asked, NULL);
  ADD_TEST ("/seedream/task-follower/refuses-huge-result", fixture_setup, test_follower_refuses_huge_result, NULL);
  ADD_TEST ("/seedream/task-follower/download-deadline", fixture_setup, test_follower_download_deadline, NULL);
  ADD_TEST ("/seedream/task-follower/fails-bare", fixture_setup, test_follower_fails_bare, NULL);
  ADD_TEST ("/seedream/task-follower/elapsed-in-any-zone", fixture_setup, test_follower_elapsed_in_any_zone, NULL);
  ADD_TEST ("/seedream/task-follower/deadline/stopped-then-refresh", fixture_setup_slow, test_follower_deadline, NULL);
  ADD_TEST ("/seedream/task-follower/deadline/unreachable", fixture_setup, test_follower_deadline_unreachable, NULL);
  ADD_TEST ("/seedream/task-follower/cancel/at-once", fixture_setup, test_follower_cancel, GINT_TO_POINTER (CANCEL_AT_ONCE));
  ADD_TEST ("/seedream/task-follower/cancel/waiting", fixture_setup, test_follower_cancel, GINT_TO_POINTER (CANCEL_WHILE_WAITING));
  ADD_TEST ("/seedream/task-follower/cancel/downloading", fixture_setup, test_follower_cancel, GINT_TO_POINTER (CANCEL_WHILE_DOWNLOADING));
  ADD_TEST ("/seedream/task-follower/cancel/unref-at-once", fixture_setup, test_follower_cancel, GINT_TO_POINTER (UNREF_AT_ONCE));
  ADD_TEST ("/seedream/task-follower/cancel/unref-downloading", fixture_setup, test_follower_cancel, GINT_TO_POINTER (UNREF_WHILE_DOWNLOADING));
  ADD_TEST ("/seedream/task-follower/restart", fixture_setup, test_follower_restart, NULL);
  ADD_TEST ("/seedream/task-follower/unwritable", fixture_setup, test_follower_unwritable, NULL);

  ret = g_test_run ();
  g_clear_pointer (&poll_delays, g_array_unref);

  return ret;
}
