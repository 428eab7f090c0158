/* test-submission.c: one submission's whole life against the mock server,
 * with the history recording it: sent, followed, downloaded, recorded; and
 * what survives a stop at each point; and the same whole life against the
 * mock's realistic mode, where the live service's looser ways come at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mock-fixture.h"
#include "seedream-error.h"
#include "seedream-history.h"
#include "seedream-image-info.h"
#include "seedream-submission.h"

typedef struct
{
  MockFixture      mock;
  GFile           *data_dir;
  SeedreamHistory *history;
} Fixture;

static void
fixture_setup_with (Fixture *fx,
                    guint    task_seconds)
{
  g_autoptr(GError) error = NULL;

  mock_fixture_start (&fx->mock, task_seconds);
  fx->data_dir = g_file_new_build_filename (fx->mock.tmpdir, "data", NULL);
  fx->history = seedream_history_new (fx->data_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->history);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fixture_setup_with (fx, 1);
}

/* Long enough that a stop lands while the task runs. */
static void
fixture_setup_slow_tasks (Fixture       *fx,
                          gconstpointer  data)
{
  fixture_setup_with (fx, 4);
}

/* The slow-answer fault answers after 3 s. */
static void
fixture_setup_slow_answer (Fixture       *fx,
                           gconstpointer  data)
{
  const char * const args[] = { "--slow-answer-seconds", "3", NULL };
  g_autoptr(GError) error = NULL;

  mock_fixture_start_with_args (&fx->mock, 1, args);
  fx->data_dir = g_file_new_build_filename (fx->mock.tmpdir, "data", NULL);
  fx->history = seedream_history_new (fx->data_dir, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->history);
  g_clear_object (&fx->data_dir);
  mock_fixture_stop (&fx->mock);
}

static void
reopen_history (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fx->history);
  fx->history = seedream_history_new (fx->data_dir, &error);
  g_assert_no_error (error);
}

static SeedreamRequest *
make_request (Fixture *fx,
              guint    batch_size,
              guint    n_sources)
{
  SeedreamRequest *request = seedream_request_new ();

  seedream_request_set_prompt (request, "a lighthouse at dusk, oil on canvas");
  seedream_request_set_batch_size (request, batch_size);
  for (guint i = 0; i < n_sources; i++)
    {
      g_autofree char *name = g_strdup_printf ("source-%u.png", i);
      g_autoptr(GFile) file = mock_fixture_write_png (&fx->mock, name, 40 + i, 30, i + 1);

      g_assert_true (seedream_request_add_source_file (request, file));
    }

  return request;
}

static gboolean
submission_settled (gpointer data)
{
  SeedreamSubmission *submission = data;

  return seedream_submission_get_state (submission) != SEEDREAM_SUBMISSION_STATE_UPLOADING;
}

static gboolean
follower_finished (gpointer data)
{
  SeedreamSubmission *submission = data;
  SeedreamTaskFollower *follower = seedream_submission_get_follower (submission);

  if (follower == NULL)
    return FALSE;

  switch (seedream_task_follower_get_state (follower))
    {
    case SEEDREAM_FOLLOW_STATE_DONE:
    case SEEDREAM_FOLLOW_STATE_FAILED:
    case SEEDREAM_FOLLOW_STATE_STOPPED:
    case SEEDREAM_FOLLOW_STATE_NO_IMAGES:
      return TRUE;

    case SEEDREAM_FOLLOW_STATE_IDLE:
    case SEEDREAM_FOLLOW_STATE_QUEUED:
    case SEEDREAM_FOLLOW_STATE_RUNNING:
    case SEEDREAM_FOLLOW_STATE_DOWNLOADING:
    default:
      return FALSE;
    }
}

static gboolean
follower_running (gpointer data)
{
  SeedreamSubmission *submission = data;
  SeedreamTaskFollower *follower = seedream_submission_get_follower (submission);

  return follower != NULL &&
         seedream_task_follower_get_state (follower) == SEEDREAM_FOLLOW_STATE_RUNNING;
}

static SeedreamHistoryEntry *
lookup (Fixture *fx,
        gint64   id)
{
  g_autoptr(GError) error = NULL;
  SeedreamHistoryEntry *entry = seedream_history_lookup (fx->history, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

static void
assert_is_png_of (const char *path,
                  guint       width,
                  guint       height)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);
  guint actual_width = 0;
  guint actual_height = 0;
  gsize len = 0;
  const guint8 *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpstr (seedream_image_sniff_mime_type (data, len), ==, "image/png");
  g_assert_true (seedream_image_read_dimensions (data, len, &actual_width, &actual_height));
  g_assert_cmpuint (actual_width, ==, width);
  g_assert_cmpuint (actual_height, ==, height);
}

/* Sent, recorded before sending, followed, every image downloaded and
 * recorded; the copies of the sources outlive the originals. */
static void
test_submission_whole_life (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 3, 2);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GPtrArray) downloads = NULL;
  g_autoptr(SeedreamClient) replacement = NULL;
  g_autoptr(SeedreamClient) followers_client = NULL;
  const char * const *sources;
  GPtrArray *results;

  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));
  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_SUBMITTED);
  g_assert_cmpint (seedream_submission_get_entry_id (submission), >, 0);
  g_assert_nonnull (seedream_submission_get_follower (submission));

  g_assert_true (seedream_test_wait_until (follower_finished, submission, 60));
  g_assert_cmpint (seedream_task_follower_get_state (seedream_submission_get_follower (submission)), ==,
                   SEEDREAM_FOLLOW_STATE_DONE);

  /* A new key (a new client) reaches the task's follower too. */
  replacement = seedream_client_new (fx->mock.base_url, MOCK_FIXTURE_KEY, NULL);
  seedream_submission_set_client (submission, replacement);
  g_object_get (seedream_submission_get_follower (submission), "client", &followers_client, NULL);
  g_assert_true (followers_client == replacement);

  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_DONE);
  g_assert_cmpstr (seedream_history_entry_get_task_id (entry), ==, seedream_submission_get_task_id (submission));
  g_assert_cmpstr (seedream_history_entry_get_prompt (entry), ==, "a lighthouse at dusk, oil on canvas");
  g_assert_cmpuint (seedream_history_entry_get_batch_size (entry), ==, 3);

  results = seedream_history_entry_get_results (entry);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    {
      SeedreamHistoryResult *result = g_ptr_array_index (results, i);
      const char *path = seedream_history_result_get_local_path (result);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFile) results_dir = g_file_get_child (seedream_history_get_results_dir (fx->history),
                                                       seedream_submission_get_task_id (submission));

      g_assert_cmpuint (seedream_history_result_get_index (result), ==, i);
      g_assert_nonnull (seedream_history_result_get_url (result));
      g_assert_true (g_file_has_parent (file, results_dir));
      g_assert_cmpuint (seedream_history_result_get_width (result), >, 0);
      assert_is_png_of (path,
                        seedream_history_result_get_width (result),
                        seedream_history_result_get_height (result));
    }

  /* The originals may go: the history has its own copies. */
  sources = seedream_history_entry_get_source_paths (entry);
  g_assert_cmpuint (g_strv_length ((char **) sources), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *original = g_strdup_printf ("%s/source-%u.png", fx->mock.tmpdir, i);

      g_assert_cmpint (g_unlink (original), ==, 0);
      assert_is_png_of (sources[i], 40 + i, 30);
    }

  /* Sent once; the images were fetched without the key. */
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
  downloads = mock_fixture_log (&fx->mock, "GET", "/files/");
  g_assert_cmpuint (downloads->len, >=, 3);
  for (guint i = 0; i < downloads->len; i++)
    g_assert_false (mock_fixture_record_has_header (g_ptr_array_index (downloads, i), "authorization"));
}

static void
test_submission_task_fails (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  SeedreamTaskFollower *follower;

  mock_fixture_queue_fault (&fx->mock, "task-fails", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (follower_finished, submission, 60));

  follower = seedream_submission_get_follower (submission);
  g_assert_cmpint (seedream_task_follower_get_state (follower), ==, SEEDREAM_FOLLOW_STATE_FAILED);
  g_assert_error (seedream_task_follower_get_error (follower), SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);

  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_TASK_FAILED);
  g_assert_cmpstr (seedream_history_entry_get_error_message (entry), ==,
                   seedream_task_follower_get_error (follower)->message);
  g_assert_cmpuint (seedream_history_entry_get_results (entry)->len, ==, 0);
}

/* A refused submission is recorded with the reason; the person's retry
 * sends the same row again. */
static void
test_submission_send_fails_then_retry (Fixture       *fx,
                                       gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 1);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) failed = NULL;
  g_autoptr(SeedreamHistoryEntry) sent = NULL;
  gint64 id;

  mock_fixture_queue_fault (&fx->mock, "code-9000", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));
  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_FAILED);
  g_assert_error (seedream_submission_get_error (submission), SEEDREAM_ERROR, SEEDREAM_ERROR_INSUFFICIENT_CREDITS);
  g_assert_true (seedream_submission_can_retry (submission));
  g_assert_null (seedream_submission_get_follower (submission));

  id = seedream_submission_get_entry_id (submission);
  failed = lookup (fx, id);
  g_assert_cmpint (seedream_history_entry_get_state (failed), ==, SEEDREAM_HISTORY_STATE_SEND_FAILED);
  g_assert_cmpstr (seedream_history_entry_get_error_message (failed), ==,
                   seedream_submission_get_error (submission)->message);
  g_assert_cmpstr (seedream_history_entry_get_server_message (failed), ==, "insufficient credits");

  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));
  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_SUBMITTED);
  g_assert_cmpint (seedream_submission_get_entry_id (submission), ==, id);

  sent = lookup (fx, id);
  g_assert_cmpint (seedream_history_entry_get_state (sent), ==, SEEDREAM_HISTORY_STATE_SUBMITTED);
  g_assert_cmpstr (seedream_history_entry_get_task_id (sent), ==, seedream_submission_get_task_id (submission));
  g_assert_cmpuint (seedream_history_count (fx->history, NULL, NULL), ==, 1);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 2);
}

/* The whole request went out and the answer was unreadable: the task may
 * exist, so the row is "outcome unknown" (a resend asks first), not a
 * plain failure. */
static void
test_submission_unreadable_answer_is_outcome_unknown (Fixture       *fx,
                                                      gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 1);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;

  mock_fixture_queue_fault (&fx->mock, "malformed-json", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));

  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN);
  g_assert_error (seedream_submission_get_error (submission), SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE);
  g_assert_true (seedream_submission_can_retry (submission));
  g_assert_null (seedream_submission_get_follower (submission));

  g_assert_nonnull (strstr (seedream_submission_get_error (submission)->message, "check your task list"));

  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN);
  g_assert_cmpstr (seedream_history_entry_get_error_message (entry), ==,
                   seedream_submission_get_error (submission)->message);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
}

/* The answer came later than the answer timeout (the provider's 180 s,
 * 1 s here): the body had gone out whole, so the task may exist; the row
 * is "outcome unknown", and nothing was sent again. */
static void
test_submission_late_answer_is_outcome_unknown (Fixture       *fx,
                                                gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 1);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;

  seedream_client_set_answer_timeout (fx->mock.client, 1);
  mock_fixture_queue_fault (&fx->mock, "slow-answer", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));

  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN);
  g_assert_error (seedream_submission_get_error (submission), SEEDREAM_ERROR, SEEDREAM_ERROR_TIMEOUT);
  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN);

  /* Past the mock's delay: one request, never a second. */
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
}

/* A 400 whose body is the envelope is a clear refusal: nothing was
 * created, so "send failed" with the service's own words, not "outcome
 * unknown". */
static void
test_submission_refusal_is_send_failed (Fixture       *fx,
                                        gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 1);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;

  mock_fixture_queue_fault (&fx->mock, "refused-prompt", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));

  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_FAILED);
  g_assert_error (seedream_submission_get_error (submission), SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (seedream_submission_get_error (submission)->message, "The prompt was refused"));
  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_SEND_FAILED);
  g_assert_cmpstr (seedream_history_entry_get_server_message (entry), ==,
                   "The prompt was refused: it violates the content policy");
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
}

/* After the last byte went out, only a clear refusal is a failure: a
 * gateway's 5xx or 408 says nothing of what the service did, so the row is
 * "outcome unknown" and nothing is sent again by itself. */
static void
test_submission_gateway_error_is_outcome_unknown (Fixture       *fx,
                                                  gconstpointer  data)
{
  const char *faults[] = { "http-500", "http-502", "http-503", "http-408" };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(SeedreamRequest) request = make_request (fx, 1, 1);
      g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
      g_autoptr(SeedreamHistoryEntry) entry = NULL;
      guint submits_before = mock_fixture_count_submits (&fx->mock);

      g_test_message ("%s", faults[i]);
      mock_fixture_queue_fault (&fx->mock, faults[i], 1, MOCK_FIXTURE_SUBMIT_PATH);
      seedream_submission_start (submission, fx->mock.client);
      g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));

      g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN);
      g_assert_nonnull (strstr (seedream_submission_get_error (submission)->message, "check your task list"));
      /* Resending first would risk paying twice. */
      g_assert_null (strstr (seedream_submission_get_error (submission)->message, "Try again"));
      g_assert_true (seedream_submission_can_retry (submission));
      entry = lookup (fx, seedream_submission_get_entry_id (submission));
      g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN);
      g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, submits_before + 1);
    }
}

static gboolean
body_sent (gpointer data)
{
  guint64 sent = 0, total = 0;

  g_object_get (data, "bytes-sent", &sent, "bytes-total", &total, NULL);
  return total > 0 && sent >= total;
}

static gboolean
mock_logged_one_submit (gpointer data)
{
  return mock_fixture_count_submits (data) == 1;
}

/* Cancel while the answer is awaited: the service has the whole request
 * and may still make (and bill) the images, and the row says so. */
static void
test_submission_cancel_after_body_is_outcome_unknown (Fixture       *fx,
                                                      gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 1);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  const GError *error;

  mock_fixture_queue_fault (&fx->mock, "stall", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (body_sent, submission, 60));
  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_UPLOADING);
  seedream_submission_cancel (submission);
  g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));

  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN);
  error = seedream_submission_get_error (submission);
  g_assert_nonnull (strstr (error->message, "may still make the images, and bill them"));
  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN);
  /* The mock logs a submit once it has read the body, which can be after
   * our last byte left: wait for it, then make sure no second one came. */
  g_assert_true (seedream_test_wait_until (mock_logged_one_submit, &fx->mock, 30));
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
}

/* The app stops while the task runs; at the next start the task is
 * followed again from the history, and nothing is sent twice. */
static void
test_submission_restart_while_running (Fixture       *fx,
                                       gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 2, 0);
  SeedreamSubmission *first = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamSubmission) resumed = NULL;
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  gint64 id;

  seedream_submission_start (first, fx->mock.client);
  g_assert_true (seedream_test_wait_until (follower_running, first, 60));
  id = seedream_submission_get_entry_id (first);
  task_id = g_strdup (seedream_submission_get_task_id (first));
  g_object_unref (first);

  reopen_history (fx);
  restored = seedream_history_recover (fx->history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (restored->len, ==, 1);
  g_assert_cmpint (seedream_history_entry_get_id (g_ptr_array_index (restored, 0)), ==, id);

  resumed = seedream_submission_new_from_entry (g_ptr_array_index (restored, 0), fx->history);
  g_assert_cmpint (seedream_submission_get_state (resumed), ==, SEEDREAM_SUBMISSION_STATE_SUBMITTED);
  g_assert_cmpstr (seedream_submission_get_task_id (resumed), ==, task_id);
  g_assert_false (seedream_submission_can_retry (resumed));

  seedream_submission_start (resumed, fx->mock.client);
  g_assert_true (seedream_test_wait_until (follower_finished, resumed, 60));
  g_assert_cmpint (seedream_task_follower_get_state (seedream_submission_get_follower (resumed)), ==,
                   SEEDREAM_FOLLOW_STATE_DONE);

  entry = lookup (fx, id);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_DONE);
  g_assert_cmpuint (seedream_history_entry_get_results (entry)->len, ==, 2);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
}

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  mock_fixture_store_result (object, result, user_data);
}

/* The app stops after writing the row but before the answer: at the next
 * start the row says the outcome is unknown, and nothing was resent. */
static void
test_submission_restart_while_sending (Fixture       *fx,
                                       gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SeedreamSubmission) restored_submission = NULL;
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GError) error = NULL;
  SeedreamHistoryEntry *entry;
  gint64 id;

  seedream_history_add_submission_async (fx->history, request, NULL, added_cb, &result);
  mock_fixture_wait_for (&result);
  id = seedream_history_add_submission_finish (fx->history, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  reopen_history (fx);
  restored = seedream_history_recover (fx->history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (restored->len, ==, 1);
  entry = g_ptr_array_index (restored, 0);
  g_assert_cmpint (seedream_history_entry_get_id (entry), ==, id);
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN);
  g_assert_nonnull (seedream_history_entry_get_error_message (entry));

  restored_submission = seedream_submission_new_from_entry (entry, fx->history);
  g_assert_cmpint (seedream_submission_get_state (restored_submission), ==,
                   SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN);
  g_assert_true (seedream_submission_can_retry (restored_submission));
  g_assert_cmpstr (seedream_submission_get_error (restored_submission)->message, ==,
                   seedream_history_entry_get_error_message (entry));
  g_assert_null (seedream_submission_get_follower (restored_submission));

  /* Recovering twice changes nothing more. */
  g_clear_pointer (&restored, g_ptr_array_unref);
  reopen_history (fx);
  restored = seedream_history_recover (fx->history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (restored->len, ==, 0);

  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 0);
}

/* Without a record a paid task could be lost, so nothing is sent. */
static void
test_submission_unrecorded_is_not_sent (Fixture       *fx,
                                        gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 1);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(GFile) sources = g_file_get_child (fx->data_dir, "sources");
  g_autofree char *sources_path = g_file_get_path (sources);

  /* A file where the copies of the sources should go. */
  seedream_test_remove_tree (sources_path);
  g_assert_true (g_file_set_contents (sources_path, "in the way", -1, NULL));

  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));
  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_FAILED);
  g_assert_error (seedream_submission_get_error (submission), SEEDREAM_ERROR, SEEDREAM_ERROR_SAVE_FAILED);
  g_assert_true (seedream_submission_can_retry (submission));
  g_assert_cmpint (seedream_submission_get_entry_id (submission), ==, 0);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 0);
}

static gboolean
status_settled (gpointer data)
{
  SeedreamSubmission *submission = data;

  switch (seedream_submission_get_status (submission))
    {
    case SEEDREAM_SUBMISSION_STATUS_DONE:
    case SEEDREAM_SUBMISSION_STATUS_FAILED:
    case SEEDREAM_SUBMISSION_STATUS_CANCELLED:
    case SEEDREAM_SUBMISSION_STATUS_OUTCOME_UNKNOWN:
    case SEEDREAM_SUBMISSION_STATUS_STILL_RUNNING:
    case SEEDREAM_SUBMISSION_STATUS_NO_IMAGES:
      return TRUE;

    case SEEDREAM_SUBMISSION_STATUS_UPLOADING:
    case SEEDREAM_SUBMISSION_STATUS_SUBMITTED:
    case SEEDREAM_SUBMISSION_STATUS_QUEUED:
    case SEEDREAM_SUBMISSION_STATUS_RUNNING:
    case SEEDREAM_SUBMISSION_STATUS_DOWNLOADING:
    default:
      return FALSE;
    }
}

/* Waits for the submission to come to rest, and says where. */
static SeedreamSubmissionStatus
wait_settled (SeedreamSubmission *submission)
{
  g_assert_true (seedream_test_wait_until (status_settled, submission, 60));
  return seedream_submission_get_status (submission);
}

static void
status_notify_cb (SeedreamSubmission *submission,
                  GParamSpec         *pspec,
                  GArray             *statuses)
{
  SeedreamSubmissionStatus status = SEEDREAM_SUBMISSION_STATUS_UPLOADING;

  /* Read through the property, as a binding would. */
  g_object_get (submission, "status", &status, NULL);
  g_assert_cmpint (status, ==, seedream_submission_get_status (submission));
  g_array_append_val (statuses, status);
}

static gboolean
statuses_contain (GArray                   *statuses,
                  SeedreamSubmissionStatus  status)
{
  for (guint i = 0; i < statuses->len; i++)
    if (g_array_index (statuses, SeedreamSubmissionStatus, i) == status)
      return TRUE;

  return FALSE;
}

static guint
count_failed_results (SeedreamSubmission *submission)
{
  GListModel *results = seedream_submission_get_results (submission);
  guint n_failed = 0;

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (results, i);

      if (seedream_submission_result_get_error (result) != NULL)
        n_failed++;
    }

  return n_failed;
}

/* The state enums have GTypes, and the state properties are enums. */
static gboolean
result_favourite (SeedreamSubmission *submission,
                  guint               position)
{
  g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (seedream_submission_get_results (submission), position);

  g_assert_nonnull (result);
  return seedream_submission_result_get_favourite (result);
}

/* An image's star is its history result's: it follows the history, and a
 * submission made again from the row has it once the image is back. */
static void
test_submission_result_star (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 2, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamSubmission) again = NULL;
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
  id = seedream_submission_get_entry_id (submission);
  g_assert_cmpuint (g_list_model_get_n_items (seedream_submission_get_results (submission)), ==, 2);
  g_assert_false (result_favourite (submission, 1));

  g_assert_true (seedream_history_set_result_favourite (fx->history, id, 1, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (result_favourite (submission, 1));
  g_assert_false (result_favourite (submission, 0));
  /* The image, not the submission. */
  g_assert_false (seedream_submission_get_favourite (submission));

  reopen_history (fx);
  entry = lookup (fx, id);
  again = seedream_submission_new_from_entry (entry, fx->history);
  seedream_submission_start (again, fx->mock.client);
  g_assert_cmpint (wait_settled (again), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
  g_assert_true (result_favourite (again, 1));
  g_assert_false (result_favourite (again, 0));

  g_assert_true (seedream_history_set_result_favourite (fx->history, id, 1, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (result_favourite (again, 1));
}

static void
test_submission_enum_types (void)
{
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new (request);
  g_autoptr(GTypeClass) history_class = g_type_class_ref (SEEDREAM_TYPE_HISTORY_STATE);
  g_autoptr(GTypeClass) follower_class = g_type_class_ref (SEEDREAM_TYPE_TASK_FOLLOWER);
  GEnumClass *history_states = G_ENUM_CLASS (history_class);
  GParamSpec *pspec;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (submission), "state");
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (pspec->value_type == SEEDREAM_TYPE_SUBMISSION_STATE);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (submission), "status");
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (pspec->value_type == SEEDREAM_TYPE_SUBMISSION_STATUS);

  pspec = g_object_class_find_property (G_OBJECT_CLASS (follower_class), "state");
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (pspec->value_type == SEEDREAM_TYPE_FOLLOW_STATE);

  /* The stored numbers keep their values. */
  g_assert_cmpint (g_enum_get_value (history_states, 6)->value, ==, SEEDREAM_HISTORY_STATE_TASK_FAILED);
  g_assert_cmpint (g_enum_get_value (history_states, 7)->value, ==, SEEDREAM_HISTORY_STATE_NO_IMAGES);
  g_assert_nonnull (g_enum_get_value_by_nick (history_states, "outcome-unknown"));

  /* Nothing started: uploading, with nothing to retry or refresh. */
  g_assert_cmpint (seedream_submission_get_status (submission), ==, SEEDREAM_SUBMISSION_STATUS_UPLOADING);
  g_assert_false (seedream_submission_can_retry (submission));
  g_assert_false (seedream_submission_can_refresh (submission));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_submission_get_results (submission)), ==, 0);
}

/* One status for the whole life: sent, followed, done; the results are
 * the images, ordered by index; nothing to retry or refresh. */
static void
test_submission_status_whole_life (Fixture       *fx,
                                   gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 3, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(GArray) statuses = g_array_new (FALSE, FALSE, sizeof (SeedreamSubmissionStatus));
  GListModel *results = seedream_submission_get_results (submission);
  gboolean can_retry = TRUE;
  gboolean can_refresh = TRUE;

  g_signal_connect (submission, "notify::status", G_CALLBACK (status_notify_cb), statuses);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);

  g_assert_cmpuint (statuses->len, >=, 3);
  g_assert_cmpint (g_array_index (statuses, SeedreamSubmissionStatus, 0), ==, SEEDREAM_SUBMISSION_STATUS_SUBMITTED);
  g_assert_true (statuses_contain (statuses, SEEDREAM_SUBMISSION_STATUS_QUEUED));
  g_assert_cmpint (g_array_index (statuses, SeedreamSubmissionStatus, statuses->len - 1), ==,
                   SEEDREAM_SUBMISSION_STATUS_DONE);

  g_object_get (submission, "can-retry", &can_retry, "can-refresh", &can_refresh, NULL);
  g_assert_false (can_retry);
  g_assert_false (can_refresh);
  g_assert_null (seedream_submission_get_error (submission));
  g_assert_cmpfloat (seedream_submission_get_download_fraction (submission), ==, 1.0);
  g_assert_cmpuint (seedream_submission_get_n_expected_results (submission), ==, 3);

  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (results, i);
      g_autofree char *path = NULL;

      g_assert_cmpuint (seedream_submission_result_get_index (result), ==, i);
      g_assert_null (seedream_submission_result_get_error (result));
      g_assert_nonnull (seedream_submission_result_get_file (result));
      g_assert_cmpuint (seedream_submission_result_get_width (result), >, 0);
      g_assert_cmpuint (seedream_submission_result_get_height (result), >, 0);
      path = g_file_get_path (seedream_submission_result_get_file (result));
      assert_is_png_of (path, seedream_submission_result_get_width (result),
                        seedream_submission_result_get_height (result));
    }
}

/* The service fails the task: FAILED with its error, and neither a resend
 * (it would charge again) nor a refresh (the task is over) is offered. */
static void
test_submission_status_task_fails (Fixture       *fx,
                                   gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(GError) error = NULL;

  mock_fixture_queue_fault (&fx->mock, "task-fails", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_FAILED);

  g_assert_cmpint (seedream_submission_get_state (submission), ==, SEEDREAM_SUBMISSION_STATE_SUBMITTED);
  g_assert_error (seedream_submission_get_error (submission), SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  g_object_get (submission, "error", &error, NULL);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  g_assert_false (seedream_submission_can_retry (submission));
  g_assert_false (seedream_submission_can_refresh (submission));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_submission_get_results (submission)), ==, 0);
}

/* Status 3 with url []: "finished without images", its own outcome with
 * the likely reason in words, recorded as such; not FAILED, nothing to
 * resend or refresh, the request (prompt, sources) as it was. */
static void
test_submission_status_no_images (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 2, 1);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autofree char *described = NULL;
  const GError *error;

  mock_fixture_queue_fault (&fx->mock, "no-images", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_NO_IMAGES);

  error = seedream_submission_get_error (submission);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_NO_IMAGES);
  g_assert_nonnull (strstr (error->message, "refused the prompt or a source image"));
  g_assert_false (seedream_submission_can_retry (submission));
  g_assert_false (seedream_submission_can_refresh (submission));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_submission_get_results (submission)), ==, 0);
  g_assert_cmpuint (seedream_submission_get_n_expected_results (submission), ==, 0);
  described = seedream_submission_describe (submission);
  g_assert_nonnull (strstr (described, "no images"));
  /* The model comes first: the task list says which one made what. */
  g_assert_true (g_str_has_prefix (described, "Seedream 4.5 · "));

  g_assert_true (seedream_submission_get_request (submission) == request);
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (request)), ==, 1);

  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_NO_IMAGES);
  g_assert_cmpstr (seedream_history_entry_get_error_message (entry), ==, error->message);
  g_assert_cmpstr (seedream_history_state_to_string (SEEDREAM_HISTORY_STATE_NO_IMAGES), ==, "No images");
  g_assert_cmpuint (seedream_history_entry_get_results (entry)->len, ==, 0);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
}

/* Two of a batch of four come: done with two, none counted as failed; the
 * count is "up to 4" until the answer, then what came, in the history too. */
/* A service listing 64 URLs for 2 images asked: 2 are fetched, and the
 * row says 2, not 64. */
static void
test_submission_status_more_urls_than_asked (Fixture       *fx,
                                             gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 2, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autofree char *after = NULL;

  mock_fixture_queue_fault (&fx->mock, "many-urls", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);

  g_assert_cmpuint (seedream_submission_get_n_expected_results (submission), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (seedream_submission_get_results (submission)), ==, 2);
  after = seedream_submission_describe (submission);
  g_assert_nonnull (strstr (after, "2 images"));
  g_assert_null (strstr (after, "64"));
  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpuint (seedream_history_entry_get_results (entry)->len, ==, 2);
}

static void
test_submission_status_fewer_images (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 4, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  before = seedream_submission_describe (submission);
  g_assert_nonnull (strstr (before, "up to 4 images"));

  mock_fixture_queue_fault (&fx->mock, "fewer-images", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);

  g_assert_null (seedream_submission_get_error (submission));
  g_assert_false (seedream_submission_can_refresh (submission));
  g_assert_cmpuint (seedream_submission_get_n_expected_results (submission), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (seedream_submission_get_results (submission)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (seedream_submission_get_results (submission), i);

      g_assert_null (seedream_submission_result_get_error (result));
      g_assert_nonnull (seedream_submission_result_get_file (result));
    }
  after = seedream_submission_describe (submission);
  g_assert_nonnull (strstr (after, "2 images"));
  g_assert_null (strstr (after, "up to"));

  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_DONE);
  g_assert_cmpuint (seedream_history_entry_get_results (entry)->len, ==, 2);
  g_assert_cmpuint (seedream_history_entry_get_batch_size (entry), ==, 4);
}

/* A failed task whose answer has only taskid, image_status and
 * error_message: failed, with that message, in the row and the history. */
static void
test_submission_status_fails_bare (Fixture       *fx,
                                   gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  const GError *error;

  mock_fixture_queue_fault (&fx->mock, "fails-bare", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_FAILED);

  error = seedream_submission_get_error (submission);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  g_assert_nonnull (strstr (error->message, "source image rejected by the safety check"));
  g_assert_false (seedream_submission_can_refresh (submission));

  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_TASK_FAILED);
  g_assert_cmpstr (seedream_history_entry_get_error_message (entry), ==, error->message);
  g_assert_cmpstr (seedream_history_entry_get_server_message (entry), ==, "source image rejected by the safety check");
}

/* The deadline passes while the task runs: still running, and Refresh
 * follows it to the end. */
static void
test_submission_status_still_running (Fixture       *fx,
                                      gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  SeedreamTaskFollower *follower;

  seedream_submission_start (submission, fx->mock.client);
  g_assert_true (seedream_test_wait_until (submission_settled, submission, 60));
  follower = seedream_submission_get_follower (submission);
  g_assert_nonnull (follower);

  seedream_task_follower_set_deadline_seconds (follower, 1);
  seedream_submission_refresh (submission);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_STILL_RUNNING);
  g_assert_true (seedream_submission_can_refresh (submission));
  g_assert_false (seedream_submission_can_retry (submission));
  g_assert_null (seedream_submission_get_error (submission));

  seedream_task_follower_set_deadline_seconds (follower, 120);
  seedream_submission_refresh (submission);
  g_assert_false (status_settled (submission));
  g_assert_false (seedream_submission_can_refresh (submission));
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
  g_assert_false (seedream_submission_can_refresh (submission));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_submission_get_results (submission)), ==, 1);
}

/* Images that cannot be fetched are results with an error and no file;
 * Refresh is offered, forgets them and asks again. */
static void
test_submission_results_with_errors (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 2, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  GListModel *results = seedream_submission_get_results (submission);

  mock_fixture_queue_fault (&fx->mock, "result-404", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);

  g_assert_null (seedream_submission_get_error (submission));
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (results, i);

      g_assert_cmpuint (seedream_submission_result_get_index (result), ==, i);
      g_assert_null (seedream_submission_result_get_file (result));
      g_assert_error (seedream_submission_result_get_error (result), SEEDREAM_ERROR, SEEDREAM_ERROR_HTTP);
    }
  g_assert_true (seedream_submission_can_refresh (submission));
  g_assert_false (seedream_submission_can_retry (submission));

  seedream_submission_refresh (submission);
  g_assert_cmpuint (count_failed_results (submission), ==, 0);
  g_assert_false (seedream_submission_can_refresh (submission));

  /* The images are still gone: the same errors again, once each. */
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);
  g_assert_cmpuint (count_failed_results (submission), ==, 2);
  g_assert_true (seedream_submission_can_refresh (submission));
}

/* Deleting a result removes its file and its record; deleting it again
 * says it is not there. */
static void
test_submission_delete_result (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 2, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  GListModel *results = seedream_submission_get_results (submission);
  g_autoptr(SeedreamSubmissionResult) first = NULL;
  g_autoptr(SeedreamSubmissionResult) kept = NULL;
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);

  first = g_list_model_get_item (results, 0);
  file = g_object_ref (seedream_submission_result_get_file (first));
  g_assert_true (g_file_query_exists (file, NULL));

  g_assert_true (seedream_submission_delete_result (submission, 0, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (file, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  kept = g_list_model_get_item (results, 0);
  g_assert_cmpuint (seedream_submission_result_get_index (kept), ==, 1);

  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpuint (seedream_history_entry_get_results (entry)->len, ==, 1);

  g_assert_false (seedream_submission_delete_result (submission, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
}

/* Without a history the file itself is deleted. */
static void
test_submission_delete_result_unrecorded (Fixture       *fx,
                                          gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new (request);
  GListModel *results = seedream_submission_get_results (submission);
  g_autoptr(SeedreamSubmissionResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);

  result = g_list_model_get_item (results, 0);
  file = g_object_ref (seedream_submission_result_get_file (result));
  g_assert_true (seedream_submission_delete_result (submission, 0, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (file, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
}

/* retry() sends a refused submission again through the client it was
 * given; it refuses what is not waiting to be sent again, and what has no
 * client to send with. */
static void
test_submission_retry (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 0);
  g_autoptr(SeedreamSubmission) submission = seedream_submission_new_with_history (request, fx->history);
  g_autoptr(SeedreamSubmission) unsent = seedream_submission_new (request);
  g_autoptr(GError) error = NULL;

  g_assert_false (seedream_submission_retry (unsent, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  mock_fixture_queue_fault (&fx->mock, "code-9000", 1, MOCK_FIXTURE_SUBMIT_PATH);
  seedream_submission_start (submission, fx->mock.client);
  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_FAILED);
  g_assert_error (seedream_submission_get_error (submission), SEEDREAM_ERROR, SEEDREAM_ERROR_INSUFFICIENT_CREDITS);
  g_assert_true (seedream_submission_can_retry (submission));
  g_assert_false (seedream_submission_can_refresh (submission));

  g_assert_true (seedream_submission_retry (submission, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seedream_submission_get_status (submission), ==, SEEDREAM_SUBMISSION_STATUS_UPLOADING);
  g_assert_false (seedream_submission_can_retry (submission));
  g_assert_null (seedream_submission_get_error (submission));

  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 2);

  g_assert_false (seedream_submission_retry (submission, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 2);
}

/* A submission restored as outcome-unknown has no client until it is given
 * one: retry() says so and sends nothing; with a client it sends. */
static void
test_submission_retry_restored (Fixture       *fx,
                                gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, 1, 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SeedreamSubmission) restored_submission = NULL;
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GError) error = NULL;

  seedream_history_add_submission_async (fx->history, request, NULL, added_cb, &result);
  mock_fixture_wait_for (&result);
  g_assert_cmpint (seedream_history_add_submission_finish (fx->history, result, &error), >, 0);
  g_assert_no_error (error);

  reopen_history (fx);
  restored = seedream_history_recover (fx->history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (restored->len, ==, 1);

  restored_submission = seedream_submission_new_from_entry (g_ptr_array_index (restored, 0), fx->history);
  g_assert_cmpint (seedream_submission_get_status (restored_submission), ==,
                   SEEDREAM_SUBMISSION_STATUS_OUTCOME_UNKNOWN);
  g_assert_true (seedream_submission_can_retry (restored_submission));
  g_assert_false (seedream_submission_can_refresh (restored_submission));
  g_assert_nonnull (seedream_submission_get_error (restored_submission));

  g_assert_false (seedream_submission_retry (restored_submission, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_AUTHENTICATION);
  g_clear_error (&error);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 0);

  seedream_submission_set_client (restored_submission, fx->mock.client);
  g_assert_true (seedream_submission_retry (restored_submission, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wait_settled (restored_submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
}

/* Realistic mode (--realistic): the live service's looser behaviours all
 * at once. A short answer delay keeps the test quick; the rules are the
 * same. */
static void
fixture_setup_realistic (Fixture       *fx,
                         gconstpointer  data)
{
  const char * const args[] = { "--realistic", "--answer-delay-seconds", "1", NULL };
  g_autoptr(GError) error = NULL;

  mock_fixture_start_with_args (&fx->mock, 1, args);
  fx->data_dir = g_file_new_build_filename (fx->mock.tmpdir, "data", NULL);
  fx->history = seedream_history_new (fx->data_dir, &error);
  g_assert_no_error (error);
}

static SeedreamSubmission *
submit_prompt (Fixture    *fx,
               const char *prompt,
               guint       batch_size)
{
  g_autoptr(SeedreamRequest) request = make_request (fx, batch_size, 0);
  SeedreamSubmission *submission;

  seedream_request_set_prompt (request, prompt);
  submission = seedream_submission_new_with_history (request, fx->history);
  seedream_submission_start (submission, fx->mock.client);

  return submission;
}

/* The follower's first wait is its own (2 s); after that it asks often,
 * so a realistic task's scripted answers pass quickly. */
#define FAST_INTERVAL_MS 300

static gboolean
settled_asking_often (gpointer data)
{
  SeedreamSubmission *submission = data;
  SeedreamTaskFollower *follower = seedream_submission_get_follower (submission);

  if (follower != NULL && seedream_task_follower_get_max_interval_ms (follower) != FAST_INTERVAL_MS)
    seedream_task_follower_set_max_interval_ms (follower, FAST_INTERVAL_MS);

  return status_settled (submission);
}

static SeedreamSubmissionStatus
wait_settled_asking_often (SeedreamSubmission *submission)
{
  g_assert_true (seedream_test_wait_until (settled_asking_often, submission, 90));
  return seedream_submission_get_status (submission);
}

/* How many infobytaskid answers the mock gave about @task_id. */
static guint
count_queries (Fixture    *fx,
               const char *task_id)
{
  g_autoptr(GPtrArray) queries = mock_fixture_log (&fx->mock, "POST", MOCK_FIXTURE_QUERY_PATH);
  guint n = 0;

  for (guint i = 0; i < queries->len; i++)
    {
      JsonObject *record = g_ptr_array_index (queries, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (record, "task_id", NULL), task_id) == 0)
        n++;
    }

  return n;
}

/* Batch 3: sent once, answered late, followed through the loose answers
 * and the unknown status, done with the 2 JPEGs that came, on disk as
 * .jpg, recorded "done", the elapsed time read in the service's zone. */
static void
test_submission_realistic_whole_life (Fixture       *fx,
                           gconstpointer  data)
{
  gint64 started = g_get_real_time ();
  g_autoptr(SeedreamSubmission) submission = submit_prompt (fx, "a lighthouse at dusk, oil on canvas", 3);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GPtrArray) downloads = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GListModel *results;
  GPtrArray *recorded;
  gint64 elapsed;

  before = seedream_submission_describe (submission);
  g_assert_nonnull (strstr (before, "up to 3 images"));

  g_assert_cmpint (wait_settled_asking_often (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
  g_assert_null (seedream_submission_get_error (submission));
  /* The answer came --answer-delay-seconds after the body, not sooner. */
  g_assert_cmpint (g_get_real_time () - started, >=, 1 * G_USEC_PER_SEC);

  /* Six answers at the least: {}, not 1000, no status, running, 5, 3. */
  g_assert_cmpuint (count_queries (fx, seedream_submission_get_task_id (submission)), >=, 6);

  g_assert_cmpuint (seedream_submission_get_n_expected_results (submission), ==, 2);
  results = seedream_submission_get_results (submission);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (results, i);
      GFile *file = seedream_submission_result_get_file (result);
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_null (seedream_submission_result_get_error (result));
      g_assert_nonnull (file);
      path = g_file_get_path (file);
      g_assert_true (g_str_has_suffix (path, ".jpg"));
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpstr (seedream_image_sniff_mime_type ((const guint8 *) contents, len), ==, "image/jpeg");
    }
  after = seedream_submission_describe (submission);
  g_assert_nonnull (strstr (after, "2 images"));
  g_assert_null (strstr (after, "up to"));

  /* starttime is UTC+8: read in any other zone, this would be hours. */
  elapsed = seedream_submission_get_elapsed_seconds (submission);
  g_assert_cmpint (elapsed, >=, 0);
  g_assert_cmpint (elapsed, <=, (g_get_real_time () - started) / G_USEC_PER_SEC + 1);

  entry = lookup (fx, seedream_submission_get_entry_id (submission));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_DONE);
  g_assert_cmpuint (seedream_history_entry_get_batch_size (entry), ==, 3);
  recorded = seedream_history_entry_get_results (entry);
  g_assert_cmpuint (recorded->len, ==, 2);
  for (guint i = 0; i < recorded->len; i++)
    {
      SeedreamHistoryResult *result = g_ptr_array_index (recorded, i);

      g_assert_true (g_str_has_suffix (seedream_history_result_get_local_path (result), ".jpg"));
      g_assert_true (g_file_test (seedream_history_result_get_local_path (result), G_FILE_TEST_IS_REGULAR));
      /* Kept as issued: the pre-signed query, still encoded. */
      g_assert_nonnull (strstr (seedream_history_result_get_url (result), "%2Fcn-beijing%2F"));
    }

  /* Sent once; every image fetched as given (the host said 200), no key. */
  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 1);
  downloads = mock_fixture_log (&fx->mock, "GET", "/files/");
  g_assert_cmpuint (downloads->len, ==, 2);
  for (guint i = 0; i < downloads->len; i++)
    {
      JsonObject *record = g_ptr_array_index (downloads, i);

      g_assert_cmpint (json_object_get_int_member (record, "status"), ==, 200);
      g_assert_false (mock_fixture_record_has_header (record, "authorization"));
    }
}

/* The outcomes a prompt chooses: no images (a moderation refusal), a bare
 * failure, a refusal with HTTP 400; each sent once, none resendable by
 * itself, each recorded as what it is. */
static void
test_submission_realistic_outcomes (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(SeedreamSubmission) refused = submit_prompt (fx, "a beach at noon, mock-refuse", 2);
  g_autoptr(SeedreamSubmission) failed = submit_prompt (fx, "a forest, mock-fail", 1);
  g_autoptr(SeedreamSubmission) policy = submit_prompt (fx, "a city, mock-policy", 1);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  const GError *error;

  g_assert_cmpint (wait_settled_asking_often (refused), ==, SEEDREAM_SUBMISSION_STATUS_NO_IMAGES);
  g_assert_error (seedream_submission_get_error (refused), SEEDREAM_ERROR, SEEDREAM_ERROR_NO_IMAGES);
  g_assert_nonnull (strstr (seedream_submission_get_error (refused)->message,
                            "refused the prompt or a source image"));
  g_assert_false (seedream_submission_can_refresh (refused));
  entry = lookup (fx, seedream_submission_get_entry_id (refused));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_NO_IMAGES);
  g_clear_object (&entry);

  g_assert_cmpint (wait_settled_asking_often (failed), ==, SEEDREAM_SUBMISSION_STATUS_FAILED);
  error = seedream_submission_get_error (failed);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  g_assert_nonnull (strstr (error->message, "prompt rejected by the safety check"));
  entry = lookup (fx, seedream_submission_get_entry_id (failed));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_TASK_FAILED);
  g_clear_object (&entry);

  /* HTTP 400 with the envelope: its msg wins over the status. */
  g_assert_cmpint (wait_settled_asking_often (policy), ==, SEEDREAM_SUBMISSION_STATUS_FAILED);
  error = seedream_submission_get_error (policy);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "prompt was refused"));
  g_assert_null (seedream_submission_get_task_id (policy));
  entry = lookup (fx, seedream_submission_get_entry_id (policy));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_SEND_FAILED);

  g_assert_cmpuint (mock_fixture_count_submits (&fx->mock), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  /* A submission without a history keeps its images in the cache folder:
   * a scratch one, not the person's. */
  g_autofree char *cache_dir = g_dir_make_tmp ("test-submission-cache-XXXXXX", NULL);
  int status;

  g_assert_nonnull (cache_dir);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/seedream/submission/status/no-images", Fixture, NULL,
              fixture_setup, test_submission_status_no_images, fixture_teardown);
  g_test_add ("/seedream/submission/status/more-urls-than-asked", Fixture, NULL,
              fixture_setup, test_submission_status_more_urls_than_asked, fixture_teardown);
  g_test_add ("/seedream/submission/status/fewer-images", Fixture, NULL,
              fixture_setup, test_submission_status_fewer_images, fixture_teardown);
  g_test_add ("/seedream/submission/status/fails-bare", Fixture, NULL,
              fixture_setup, test_submission_status_fails_bare, fixture_teardown);
  g_test_add ("/seedream/submission/realistic/whole-life", Fixture, NULL,
              fixture_setup_realistic, test_submission_realistic_whole_life, fixture_teardown);
  g_test_add ("/seedream/submission/realistic/outcomes", Fixture, NULL,
              fixture_setup_realistic, test_submission_realistic_outcomes, fixture_teardown);
  g_test_add ("/seedream/submission/whole-life", Fixture, NULL,
              fixture_setup, test_submission_whole_life, fixture_teardown);
  g_test_add ("/seedream/submission/result-star", Fixture, NULL,
              fixture_setup, test_submission_result_star, fixture_teardown);
  g_test_add ("/seedream/submission/task-fails", Fixture, NULL,
              fixture_setup, test_submission_task_fails, fixture_teardown);
  g_test_add ("/seedream/submission/send-fails-then-retry", Fixture, NULL,
              fixture_setup, test_submission_send_fails_then_retry, fixture_teardown);
  g_test_add ("/seedream/submission/unreadable-answer-is-outcome-unknown", Fixture, NULL,
              fixture_setup, test_submission_unreadable_answer_is_outcome_unknown, fixture_teardown);
  g_test_add ("/seedream/submission/late-answer-is-outcome-unknown", Fixture, NULL,
              fixture_setup_slow_answer, test_submission_late_answer_is_outcome_unknown, fixture_teardown);
  g_test_add ("/seedream/submission/gateway-error-is-outcome-unknown", Fixture, NULL,
              fixture_setup, test_submission_gateway_error_is_outcome_unknown, fixture_teardown);
  g_test_add ("/seedream/submission/cancel-after-body-is-outcome-unknown", Fixture, NULL,
              fixture_setup, test_submission_cancel_after_body_is_outcome_unknown, fixture_teardown);
  g_test_add ("/seedream/submission/refusal-is-send-failed", Fixture, NULL,
              fixture_setup, test_submission_refusal_is_send_failed, fixture_teardown);
  g_test_add ("/seedream/submission/restart-while-running", Fixture, NULL,
              fixture_setup_slow_tasks, test_submission_restart_while_running, fixture_teardown);
  g_test_add ("/seedream/submission/restart-while-sending", Fixture, NULL,
              fixture_setup, test_submission_restart_while_sending, fixture_teardown);
  g_test_add ("/seedream/submission/unrecorded-is-not-sent", Fixture, NULL,
              fixture_setup, test_submission_unrecorded_is_not_sent, fixture_teardown);
  g_test_add_func ("/seedream/submission/enum-types", test_submission_enum_types);
  g_test_add ("/seedream/submission/status/whole-life", Fixture, NULL,
              fixture_setup, test_submission_status_whole_life, fixture_teardown);
  g_test_add ("/seedream/submission/status/task-fails", Fixture, NULL,
              fixture_setup, test_submission_status_task_fails, fixture_teardown);
  g_test_add ("/seedream/submission/status/still-running", Fixture, NULL,
              fixture_setup_slow_tasks, test_submission_status_still_running, fixture_teardown);
  g_test_add ("/seedream/submission/results-with-errors", Fixture, NULL,
              fixture_setup, test_submission_results_with_errors, fixture_teardown);
  g_test_add ("/seedream/submission/delete-result", Fixture, NULL,
              fixture_setup, test_submission_delete_result, fixture_teardown);
  g_test_add ("/seedream/submission/delete-result-unrecorded", Fixture, NULL,
              fixture_setup, test_submission_delete_result_unrecorded, fixture_teardown);
  g_test_add ("/seedream/submission/retry", Fixture, NULL,
              fixture_setup, test_submission_retry, fixture_teardown);
  g_test_add ("/seedream/submission/retry-restored", Fixture, NULL,
              fixture_setup, test_submission_retry_restored, fixture_teardown);

  status = g_test_run ();
  seedream_test_remove_tree (cache_dir);
  return status;
}
