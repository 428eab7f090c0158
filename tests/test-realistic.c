/* test-realistic.c: a submission's whole life against the mock server in
 * realistic mode, where the live service's looser behaviours all come at
 * once: a late answer, loose answers while the task starts, an unknown
 * status, fewer JPEGs than asked on pre-signed URLs, starttime in UTC+8,
 * refusals as HTTP 400 and outcomes chosen by the prompt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mock-fixture.h"
#include "seedream-error.h"
#include "seedream-history.h"
#include "seedream-image-info.h"
#include "seedream-submission.h"

/* Short, so the test stays quick; the answer still comes after the body. */
#define ANSWER_DELAY "1"
/* The follower's first wait is its own (2 s); after that it asks often,
 * so the task's scripted answers pass quickly. */
#define FAST_INTERVAL_MS 300

typedef struct
{
  MockFixture      mock;
  GFile           *data_dir;
  SeedreamHistory *history;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  const char * const args[] = { "--realistic", "--answer-delay-seconds", ANSWER_DELAY, NULL };
  g_autoptr(GError) error = NULL;

  mock_fixture_start_with_args (&fx->mock, 1, args);
  fx->data_dir = g_file_new_build_filename (fx->mock.tmpdir, "data", NULL);
  fx->history = seedream_history_new (fx->data_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->history);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->history);
  g_clear_object (&fx->data_dir);
  mock_fixture_stop (&fx->mock);
}

static SeedreamSubmission *
submit (Fixture    *fx,
        const char *prompt,
        guint       batch_size)
{
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  SeedreamSubmission *submission;

  seedream_request_set_prompt (request, prompt);
  seedream_request_set_batch_size (request, batch_size);
  submission = seedream_submission_new_with_history (request, fx->history);
  seedream_submission_start (submission, fx->mock.client);

  return submission;
}

/* Once the task is followed, the follower asks often. */
static gboolean
settled_asking_often (gpointer data)
{
  SeedreamSubmission *submission = data;
  SeedreamTaskFollower *follower = seedream_submission_get_follower (submission);

  if (follower != NULL && seedream_task_follower_get_max_interval_ms (follower) != FAST_INTERVAL_MS)
    seedream_task_follower_set_max_interval_ms (follower, FAST_INTERVAL_MS);

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

static SeedreamSubmissionStatus
wait_settled (SeedreamSubmission *submission)
{
  g_assert_true (seedream_test_wait_until (settled_asking_often, submission, 90));
  return seedream_submission_get_status (submission);
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
test_realistic_whole_life (Fixture       *fx,
                           gconstpointer  data)
{
  gint64 started = g_get_real_time ();
  g_autoptr(SeedreamSubmission) submission = submit (fx, "a lighthouse at dusk, oil on canvas", 3);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GPtrArray) downloads = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GListModel *results;
  GPtrArray *recorded;
  gint64 elapsed;

  before = seedream_submission_describe (submission);
  g_assert_nonnull (strstr (before, "up to 3 images"));

  g_assert_cmpint (wait_settled (submission), ==, SEEDREAM_SUBMISSION_STATUS_DONE);
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
test_realistic_outcomes (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(SeedreamSubmission) refused = submit (fx, "a beach at noon, mock-refuse", 2);
  g_autoptr(SeedreamSubmission) failed = submit (fx, "a forest, mock-fail", 1);
  g_autoptr(SeedreamSubmission) policy = submit (fx, "a city, mock-policy", 1);
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  const GError *error;

  g_assert_cmpint (wait_settled (refused), ==, SEEDREAM_SUBMISSION_STATUS_NO_IMAGES);
  g_assert_error (seedream_submission_get_error (refused), SEEDREAM_ERROR, SEEDREAM_ERROR_NO_IMAGES);
  g_assert_nonnull (strstr (seedream_submission_get_error (refused)->message,
                            "refused the prompt or a source image"));
  g_assert_false (seedream_submission_can_refresh (refused));
  entry = lookup (fx, seedream_submission_get_entry_id (refused));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_NO_IMAGES);
  g_clear_object (&entry);

  g_assert_cmpint (wait_settled (failed), ==, SEEDREAM_SUBMISSION_STATUS_FAILED);
  error = seedream_submission_get_error (failed);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_TASK_FAILED);
  g_assert_nonnull (strstr (error->message, "prompt rejected by the safety check"));
  entry = lookup (fx, seedream_submission_get_entry_id (failed));
  g_assert_cmpint (seedream_history_entry_get_state (entry), ==, SEEDREAM_HISTORY_STATE_TASK_FAILED);
  g_clear_object (&entry);

  /* HTTP 400 with the envelope: its msg wins over the status. */
  g_assert_cmpint (wait_settled (policy), ==, SEEDREAM_SUBMISSION_STATUS_FAILED);
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
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/seedream/realistic/whole-life", Fixture, NULL,
              fixture_setup, test_realistic_whole_life, fixture_teardown);
  g_test_add ("/seedream/realistic/outcomes", Fixture, NULL,
              fixture_setup, test_realistic_outcomes, fixture_teardown);

  return g_test_run ();
}
