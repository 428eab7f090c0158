/* test-session.c: the session on its own, against the mock server: the
 * key, the client it makes and hands to every submission, submitting,
 * recovery at start and resumption of running tasks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "mock-fixture.h"
#include "seedream-api-url.h"
#include "seedream-enums.h"
#include "seedream-history.h"
#include "seedream-history-model.h"
#include "seedream-history-private.h"
#include "seedream-image-metadata.h"
#include "seedream-session.h"
#include "seedream-test-util.h"

typedef struct
{
  MockFixture      mock;
  GFile           *data_dir;
  GSettings       *settings;
  SeedreamSession *session;
  GPtrArray       *messages;
  guint            n_ended;
  gboolean         last_succeeded;
} Fixture;

static void
message_cb (SeedreamSession *session,
            const char      *text,
            gboolean         lasting,
            Fixture         *fx)
{
  g_ptr_array_add (fx->messages, g_strdup (text));
}

static void
task_ended_cb (SeedreamSession    *session,
               SeedreamSubmission *submission,
               gboolean            succeeded,
               const char         *message,
               Fixture            *fx)
{
  g_assert_true (SEEDREAM_IS_SUBMISSION (submission));
  fx->n_ended++;
  fx->last_succeeded = succeeded;
}

static void
fixture_new_session (Fixture *fx)
{
  g_clear_object (&fx->session);
  fx->session = seedream_session_new (fx->data_dir, fx->settings);
  g_signal_connect (fx->session, "message", G_CALLBACK (message_cb), fx);
  g_signal_connect (fx->session, "task-ended", G_CALLBACK (task_ended_cb), fx);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  mock_fixture_start (&fx->mock, 1);
  fx->data_dir = g_file_new_build_filename (fx->mock.tmpdir, "data", NULL);
  fx->settings = g_settings_new (BASE_APP_ID);
  g_settings_set_string (fx->settings, "api-url", fx->mock.base_url);
  fx->messages = g_ptr_array_new_with_free_func (g_free);
  g_unsetenv (SEEDREAM_API_URL_ENV);
  g_setenv ("SEEDREAM_API_KEY", MOCK_FIXTURE_KEY, TRUE);
  fixture_new_session (fx);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->session);
  g_settings_reset (fx->settings, "api-url");
  g_clear_object (&fx->settings);
  g_clear_object (&fx->data_dir);
  g_clear_pointer (&fx->messages, g_ptr_array_unref);
  mock_fixture_stop (&fx->mock);
}

static gboolean
key_known (gpointer data)
{
  return seedream_session_get_key_state (data) != SEEDREAM_SESSION_KEY_STATE_LOOKING_UP;
}

static void
start_and_wait_for_key (Fixture *fx)
{
  seedream_session_start (fx->session);
  g_assert_true (seedream_test_wait_until (key_known, fx->session, 10));
  g_assert_cmpint (seedream_session_get_key_state (fx->session), ==, SEEDREAM_SESSION_KEY_STATE_READY);
}

static SeedreamRequest *
make_request (const char *prompt)
{
  SeedreamRequest *request = seedream_request_new ();

  seedream_request_set_prompt (request, prompt);
  seedream_request_set_resolution (request, "2K");
  seedream_request_set_batch_size (request, 1);
  return request;
}

static gboolean
follower_done (gpointer data)
{
  SeedreamTaskFollower *follower = seedream_submission_get_follower (data);

  return follower != NULL &&
         seedream_task_follower_get_state (follower) == SEEDREAM_FOLLOW_STATE_DONE;
}

static gboolean
follower_started (gpointer data)
{
  SeedreamTaskFollower *follower = seedream_submission_get_follower (data);

  return follower != NULL &&
         seedream_task_follower_get_state (follower) != SEEDREAM_FOLLOW_STATE_IDLE;
}

static SeedreamClient *
follower_client (SeedreamSubmission *submission)
{
  SeedreamTaskFollower *follower = seedream_submission_get_follower (submission);
  SeedreamClient *client = NULL;

  g_assert_nonnull (follower);
  g_object_get (follower, "client", &client, NULL);
  g_object_unref (client);  /* the follower keeps it */
  return client;
}

static void
test_session_key_state_is_an_enum_property (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (SEEDREAM_TYPE_SESSION);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "key-state");

  g_assert_nonnull (pspec);
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_cmpint (G_PARAM_SPEC_VALUE_TYPE (pspec), ==, SEEDREAM_TYPE_SESSION_KEY_STATE);
}

/* The environment wins over the setting, and is read in one place. */
static void
test_session_api_url (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *from_settings = NULL;
  g_autofree char *from_env = NULL;

  from_settings = seedream_session_dup_api_url (fx->session);
  g_assert_cmpstr (from_settings, ==, fx->mock.base_url);

  g_setenv (SEEDREAM_API_URL_ENV, "http://127.0.0.1:9/", TRUE);
  from_env = seedream_session_dup_api_url (fx->session);
  g_assert_cmpstr (from_env, ==, "http://127.0.0.1:9/");
  g_unsetenv (SEEDREAM_API_URL_ENV);
}

/* Generate's path: checked, recorded, sent, followed until the images are
 * here; the list shows it first and the end is said once. */
static void
test_session_submit_whole_life (Fixture       *fx,
                                gconstpointer  data)
{
  g_autoptr(SeedreamRequest) first = make_request ("a lighthouse at dusk");
  g_autoptr(SeedreamRequest) second = make_request ("a harbour at dawn");
  g_autoptr(SeedreamSubmission) listed = NULL;
  g_autoptr(GError) error = NULL;
  SeedreamSubmission *a, *b;
  GListModel *submissions = seedream_session_get_submissions (fx->session);

  start_and_wait_for_key (fx);
  g_assert_cmpuint (g_list_model_get_n_items (submissions), ==, 0);

  a = seedream_session_submit (fx->session, first, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  b = seedream_session_submit (fx->session, second, &error);
  g_assert_no_error (error);
  g_assert_nonnull (b);

  g_assert_cmpuint (g_list_model_get_n_items (submissions), ==, 2);
  listed = g_list_model_get_item (submissions, 0);
  g_assert_true (listed == b);

  g_assert_true (seedream_test_wait_until (follower_done, a, 30));
  g_assert_true (seedream_test_wait_until (follower_done, b, 30));
  g_assert_cmpuint (fx->n_ended, ==, 2);
  g_assert_true (fx->last_succeeded);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 2);

  /* Both are in the history the session keeps. */
  {
    SeedreamHistoryModel *model = seedream_session_get_history_model (fx->session);

    g_assert_nonnull (model);
    g_assert_true (seedream_session_get_history_model (fx->session) == model);
  }
}

/* A request that cannot be sent leaves nothing behind: no row, no upload. */
static void
test_session_submit_refuses_bad_request (Fixture       *fx,
                                         gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request ("");
  g_autoptr(GError) error = NULL;

  start_and_wait_for_key (fx);

  g_assert_null (seedream_session_submit (fx->session, request, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (g_list_model_get_n_items (seedream_session_get_submissions (fx->session)), ==, 0);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 0);
}

/* Before the key is known nothing can be sent, and the reason is in words. */
static void
test_session_submit_without_key (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request ("a lighthouse at dusk");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (seedream_session_get_key_state (fx->session), ==, SEEDREAM_SESSION_KEY_STATE_LOOKING_UP);
  g_assert_null (seedream_session_submit (fx->session, request, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 0);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  mock_fixture_store_result (object, result, user_data);
}

/* A row left "sending" by a stop comes back as outcome unknown and is not
 * sent again; a running task is followed again once the key is read. */
static void
test_session_recovers_and_resumes (Fixture       *fx,
                                   gconstpointer  data)
{
  g_autoptr(SeedreamRequest) unsent = make_request ("left while sending");
  g_autoptr(SeedreamRequest) running = make_request ("left while running");
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  GListModel *submissions;
  gint64 unsent_id, running_id;
  guint submits_before;

  /* What an earlier run left: one row never answered, one task given an id. */
  history = seedream_history_new (fx->data_dir, &error);
  g_assert_no_error (error);
  seedream_history_add_submission_async (history, unsent, NULL, store_result_cb, &result);
  mock_fixture_wait_for (&result);
  unsent_id = seedream_history_add_submission_finish (history, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  seedream_history_add_submission_async (history, running, NULL, store_result_cb, &result);
  mock_fixture_wait_for (&result);
  running_id = seedream_history_add_submission_finish (history, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  seedream_client_submit_async (fx->mock.client, running, NULL, NULL, NULL, NULL, store_result_cb, &result);
  mock_fixture_wait_for (&result);
  task_id = seedream_client_submit_finish (fx->mock.client, result, &error);
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_submitted (history, running_id, task_id, &error));
  g_assert_no_error (error);
  g_clear_object (&history);
  submits_before = mock_fixture_count_submits (&fx->mock);

  fixture_new_session (fx);
  seedream_session_start (fx->session);
  submissions = seedream_session_get_submissions (fx->session);

  /* Recovery is done by the time start() returns: the list is there for
   * the first frame. */
  g_assert_cmpuint (g_list_model_get_n_items (submissions), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SeedreamSubmission) submission = g_list_model_get_item (submissions, i);
      g_autoptr(SeedreamRequest) request = NULL;
      const char *prompt = seedream_request_get_prompt (seedream_submission_get_request (submission));

      if (strcmp (prompt, "left while sending") == 0)
        {
          g_assert_cmpint (seedream_submission_get_state (submission), ==,
                           SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN);
          g_assert_cmpint (seedream_submission_get_entry_id (submission), ==, unsent_id);
        }
      else
        {
          g_assert_cmpstr (prompt, ==, "left while running");
          g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_SUBMITTED);
          g_assert_cmpstr (seedream_submission_get_task_id (submission), ==, task_id);
          g_assert_true (seedream_test_wait_until (key_known, fx->session, 10));
          g_assert_true (seedream_test_wait_until (follower_done, submission, 30));
        }
    }

  g_assert_cmpuint (fx->n_ended, ==, 1);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, submits_before);
}

/* One instance per data folder: a second session on the folder (another
 * login session of the same person) neither recovers the first one's
 * live upload nor sends anything, and says why; once the first is gone,
 * the next one takes over. */
static void
test_session_one_per_data_folder (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(SeedreamRequest) live = make_request ("uploading in the first instance");
  g_autoptr(SeedreamRequest) second_request = make_request ("typed in the second instance");
  g_autoptr(SeedreamSession) second = NULL;
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) second_messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GListModel *submissions;
  gint64 live_id;
  guint submits_before;

  start_and_wait_for_key (fx);

  /* The first instance's upload in progress, as its history holds it. */
  history = seedream_history_new (fx->data_dir, &error);
  g_assert_no_error (error);
  seedream_history_add_submission_async (history, live, NULL, store_result_cb, &result);
  mock_fixture_wait_for (&result);
  live_id = seedream_history_add_submission_finish (history, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  submits_before = mock_fixture_count_submits (&fx->mock);

  second = seedream_session_new (fx->data_dir, fx->settings);
  g_signal_connect (second, "message", G_CALLBACK (message_cb), fx);
  seedream_session_start (second);

  g_assert_cmpuint (fx->messages->len, >=, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fx->messages, fx->messages->len - 1),
                            "already open with the same data"));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_session_get_submissions (second)), ==, 0);
  g_assert_null (seedream_session_get_history_model (second));
  g_assert_null (seedream_session_submit (second, second_request, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, submits_before);

  /* The live upload is still the first instance's, not "outcome unknown". */
  entry = seedream_history_lookup (history, live_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_SENDING);
  g_clear_object (&entry);
  g_clear_object (&second);
  g_clear_object (&history);

  /* The first instance ends (it would have recovered its own row at its
   * next start); a new one takes the folder and does so now. */
  g_clear_object (&fx->session);
  fixture_new_session (fx);
  seedream_session_start (fx->session);
  submissions = seedream_session_get_submissions (fx->session);
  g_assert_cmpuint (g_list_model_get_n_items (submissions), ==, 1);
  {
    g_autoptr(SeedreamSubmission) submission = g_list_model_get_item (submissions, 0);

    g_assert_cmpint (seedream_submission_get_state (submission), ==,
                     SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN);
  }
}

/* A new address or key reaches the tasks already followed: each asks with
 * the new client from then on. */
static void
test_session_new_client_reaches_running_tasks (Fixture       *fx,
                                               gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request ("a lighthouse at dusk");
  g_autoptr(GError) error = NULL;
  g_autofree char *same_mock = NULL;
  SeedreamSubmission *submission;
  SeedreamClient *first, *second, *third;

  start_and_wait_for_key (fx);
  submission = seedream_session_submit (fx->session, request, &error);
  g_assert_no_error (error);
  g_assert_true (seedream_test_wait_until (follower_started, submission, 30));
  first = follower_client (submission);

  /* The same mock, spelled another way: a different address to the app. */
  same_mock = g_str_has_suffix (fx->mock.base_url, "/")
    ? g_strndup (fx->mock.base_url, strlen (fx->mock.base_url) - 1)
    : g_strconcat (fx->mock.base_url, "/", NULL);
  g_settings_set_string (fx->settings, "api-url", same_mock);
  second = follower_client (submission);
  g_assert_true (second != first);

  seedream_session_reload_key (fx->session);
  g_assert_cmpint (seedream_session_get_key_state (fx->session), ==, SEEDREAM_SESSION_KEY_STATE_LOOKING_UP);
  g_assert_true (seedream_test_wait_until (key_known, fx->session, 10));
  g_assert_cmpint (seedream_session_get_key_state (fx->session), ==, SEEDREAM_SESSION_KEY_STATE_READY);
  third = follower_client (submission);
  g_assert_true (third != second);

  g_assert_true (seedream_test_wait_until (follower_done, submission, 30));
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
}

static gboolean
model_settled_with (gpointer data)
{
  Fixture *fx = data;
  SeedreamHistoryModel *model = seedream_session_get_history_model (fx->session);

  return !seedream_history_model_get_finding (model) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == fx->n_ended;
}

static gboolean
got_message (gpointer data)
{
  return ((Fixture *) data)->messages->len > 0;
}

static gboolean
server_delete_answered (gpointer data)
{
  gboolean *answered = data;

  return *answered;
}

static void
delete_on_server_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (seedream_client_delete_tasks_finish (SEEDREAM_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Deleting with Undo: hidden at once, nothing deleted until finished;
 * Undo restores everything; a pending delete the session drops is not
 * done; on the server only when asked; a server that refuses is said in
 * words and the local delete stays. */
static void
test_session_delete (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(SeedreamRequest) first = make_request ("a lighthouse at dusk");
  g_autoptr(SeedreamRequest) second = make_request ("a harbour at dawn");
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *result_a = NULL;
  g_autofree char *task_a = NULL;
  g_autofree char *task_b = NULL;
  SeedreamHistory *history;
  SeedreamSubmission *a, *b;
  gboolean answered = FALSE;
  gint64 id_a, id_b;
  guint handle;

  start_and_wait_for_key (fx);
  a = seedream_session_submit (fx->session, first, &error);
  g_assert_no_error (error);
  b = seedream_session_submit (fx->session, second, &error);
  g_assert_no_error (error);
  g_assert_true (seedream_test_wait_until (follower_done, a, 30));
  g_assert_true (seedream_test_wait_until (follower_done, b, 30));
  id_a = seedream_submission_get_entry_id (a);
  id_b = seedream_submission_get_entry_id (b);
  g_assert_true (seedream_test_wait_until (model_settled_with, fx, 10));

  history = seedream_history_model_get_history (seedream_session_get_history_model (fx->session));
  entry = seedream_history_lookup (history, id_a, &error);
  g_assert_no_error (error);
  task_a = g_strdup (seedream_history_entry_get_task_id (entry));
  g_assert_cmpuint (seedream_history_entry_get_results (entry)->len, ==, 1);
  result_a = g_strdup (seedream_history_result_get_local_path (g_ptr_array_index (seedream_history_entry_get_results (entry), 0)));
  g_assert_true (g_file_test (result_a, G_FILE_TEST_IS_REGULAR));
  g_clear_object (&entry);

  /* Undo: shown again, every file still there. */
  handle = seedream_session_delete_later (fx->session, &id_a, 1, TRUE);
  fx->n_ended = 1;
  g_assert_true (seedream_test_wait_until (model_settled_with, fx, 10));
  seedream_session_undo_delete (fx->session, handle);
  fx->n_ended = 2;
  g_assert_true (seedream_test_wait_until (model_settled_with, fx, 10));
  g_assert_true (g_file_test (result_a, G_FILE_TEST_IS_REGULAR));

  /* Finished: the row, its file and its task on the server go. */
  handle = seedream_session_delete_later (fx->session, &id_a, 1, TRUE);
  g_assert_true (seedream_session_finish_delete (fx->session, handle, &error));
  g_assert_no_error (error);
  entry = seedream_history_lookup (history, id_a, NULL);
  g_assert_null (entry);
  g_assert_false (g_file_test (result_a, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_session_get_submissions (fx->session)), ==, 1);
  fx->n_ended = 1;
  g_assert_true (seedream_test_wait_until (model_settled_with, fx, 10));
  /* Deleted there: the mock refuses a second delete of it (unknown id). */
  {
    g_autoptr(SeedreamClient) client = seedream_client_new (fx->mock.base_url, MOCK_FIXTURE_KEY, &error);
    g_autoptr(SeedreamHistoryEntry) entry_b = seedream_history_lookup (history, id_b, &error);
    const char *ids[] = { NULL, NULL };

    g_assert_no_error (error);
    task_b = g_strdup (seedream_history_entry_get_task_id (entry_b));
    /* The server forgets b behind the app's back: its delete then fails. */
    ids[0] = task_b;
    seedream_client_delete_tasks_async (client, ids, NULL, delete_on_server_cb, &answered);
    g_assert_true (seedream_test_wait_until (server_delete_answered, &answered, 10));
  }
  g_assert_cmpuint (fx->messages->len, ==, 0);

  handle = seedream_session_delete_later (fx->session, &id_b, 1, TRUE);
  g_assert_true (seedream_session_finish_delete (fx->session, handle, &error));
  g_assert_true (seedream_test_wait_until (got_message, fx, 10));
  g_assert_true (g_str_has_prefix (fx->messages->pdata[0], "Deleted here, but not on the server: "));
  entry = seedream_history_lookup (history, id_b, NULL);
  g_assert_null (entry);
  g_assert_nonnull (task_a);
  /* The model's last find ends before the folder goes. */
  fx->n_ended = 0;
  g_assert_true (seedream_test_wait_until (model_settled_with, fx, 10));
}

/* A delete still waiting for its toast when the app closes is not done. */
static void
test_session_delete_pending_at_close (Fixture       *fx,
                                      gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request ("a lighthouse at dusk");
  g_autoptr(GError) error = NULL;
  SeedreamSubmission *a;
  gint64 id;

  start_and_wait_for_key (fx);
  a = seedream_session_submit (fx->session, request, &error);
  g_assert_no_error (error);
  g_assert_true (seedream_test_wait_until (follower_done, a, 30));
  id = seedream_submission_get_entry_id (a);
  seedream_session_delete_later (fx->session, &id, 1, FALSE);

  fixture_new_session (fx);
  start_and_wait_for_key (fx);
  g_assert_true (seedream_test_wait_until (model_settled_with, fx, 10));
  {
    SeedreamHistory *history = seedream_history_model_get_history (seedream_session_get_history_model (fx->session));
    g_autoptr(SeedreamHistoryEntry) entry = seedream_history_lookup (history, id, &error);

    g_assert_no_error (error);
    g_assert_nonnull (entry);
  }
}

static gboolean
file_has_mark (gpointer data)
{
  return seedream_image_metadata_file_has_mark (data, NULL);
}

/* A started session gives the images of a history's older rows their
 * metadata, once the history has been checked (it does not compete with
 * start-up). */
static void
test_session_stamps_older_results (Fixture       *fx,
                                   gconstpointer  data)
{
  g_autoptr(SeedreamHistory) history = NULL;
  g_autoptr(GBytes) png = seedream_test_load_image ("rgb-300x257.png");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *insert = NULL;
  sqlite3 *db = NULL;
  gint64 id;

  history = seedream_history_new (fx->data_dir, &error);
  g_assert_no_error (error);
  dir = g_build_filename (g_file_peek_path (seedream_history_get_results_dir (history)), "task-old", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  file = seedream_test_write_file (dir, "0.png", g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  id = seedream_test_add_submission (history, "an image from before", "2K", 1);
  g_assert_true (seedream_history_set_result (history, id, 0, "https://files.example/0.png",
                                              g_file_peek_path (file), 300, 257, &error));
  g_assert_no_error (error);
  g_assert_true (seedream_history_set_state (history, id, SEEDREAM_HISTORY_STATE_DONE, NULL, NULL, &error));
  g_assert_no_error (error);
  seedream_test_close_history (&history);

  /* Listed as a migrated file lists it. */
  db_path = g_build_filename (g_file_peek_path (fx->data_dir), SEEDREAM_HISTORY_DATABASE_NAME, NULL);
  insert = g_strdup_printf ("INSERT INTO metadata_todo (submission_id) VALUES (%lld)", (long long) id);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, insert, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_false (file_has_mark (file));

  fixture_new_session (fx);
  seedream_session_start (fx->session);
  g_assert_true (seedream_test_wait_until (file_has_mark, file, SEEDREAM_SESSION_HISTORY_CHECK_DELAY_SECONDS + 20));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/session/key-state-property", test_session_key_state_is_an_enum_property);
  g_test_add ("/seedream/session/delete", Fixture, NULL,
              fixture_setup, test_session_delete, fixture_teardown);
  g_test_add ("/seedream/session/delete-pending-at-close", Fixture, NULL,
              fixture_setup, test_session_delete_pending_at_close, fixture_teardown);
  g_test_add ("/seedream/session/api-url", Fixture, NULL,
              fixture_setup, test_session_api_url, fixture_teardown);
  g_test_add ("/seedream/session/submit/whole-life", Fixture, NULL,
              fixture_setup, test_session_submit_whole_life, fixture_teardown);
  g_test_add ("/seedream/session/submit/bad-request", Fixture, NULL,
              fixture_setup, test_session_submit_refuses_bad_request, fixture_teardown);
  g_test_add ("/seedream/session/submit/without-key", Fixture, NULL,
              fixture_setup, test_session_submit_without_key, fixture_teardown);
  g_test_add ("/seedream/session/recovers-and-resumes", Fixture, NULL,
              fixture_setup, test_session_recovers_and_resumes, fixture_teardown);
  g_test_add ("/seedream/session/one-per-data-folder", Fixture, NULL,
              fixture_setup, test_session_one_per_data_folder, fixture_teardown);
  g_test_add ("/seedream/session/new-client-reaches-running-tasks", Fixture, NULL,
              fixture_setup, test_session_new_client_reaches_running_tasks, fixture_teardown);
  g_test_add ("/seedream/session/stamps-older-results", Fixture, NULL,
              fixture_setup, test_session_stamps_older_results, fixture_teardown);

  return g_test_run ();
}
