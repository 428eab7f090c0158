/* test-result-metadata.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A result downloaded from the mock carries the prompt and the AI-made mark
 * by the time the follower hands it over, with its pixel data as served.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gexiv2/gexiv2.h>

#include "mock-fixture.h"
#include "seedream-image-metadata.h"
#include "seedream-task-follower.h"

#define PROMPT "a lighthouse at dusk, long exposure"

typedef struct
{
  MockFixture  mock;
  GFile       *results_dir;
  GPtrArray   *ready;     /* (element-type GFile) */
  guint        stamped;   /* handed over already carrying the metadata */
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  mock_fixture_start (&fx->mock, 0);
  fx->results_dir = g_file_new_build_filename (fx->mock.tmpdir, "results", "task", NULL);
  fx->ready = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_pointer (&fx->ready, g_ptr_array_unref);
  g_clear_object (&fx->results_dir);
  mock_fixture_stop (&fx->mock);
}

static SeedreamRequest *
new_request (void)
{
  SeedreamRequest *request = seedream_request_new ();

  seedream_request_set_prompt (request, PROMPT);
  seedream_request_set_batch_size (request, 2);
  seedream_request_set_resolution (request, "2560x1440");

  return request;
}

static char *
submit_task (Fixture         *fx,
             SeedreamRequest *request)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *task_id;

  seedream_client_submit_async (fx->mock.client, request, NULL, NULL, NULL, NULL,
                                mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);
  task_id = seedream_client_submit_finish (fx->mock.client, result, &error);
  g_assert_no_error (error);

  return task_id;
}

static char *
read_tag (GFile      *file,
          const char *tag)
{
  g_autoptr(GExiv2Metadata) md = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;

  gexiv2_metadata_open_path (md, g_file_peek_path (file), &error);
  g_assert_no_error (error);

  return gexiv2_metadata_try_get_tag_string (md, tag, NULL);
}

static void
result_ready_cb (SeedreamTaskFollower *follower,
                 guint                 index,
                 GFile                *file,
                 guint                 width,
                 guint                 height,
                 Fixture              *fx)
{
  g_autofree char *source = read_tag (file, "Xmp.iptcExt.DigitalSourceType");

  if (g_strcmp0 (source, SEEDREAM_DIGITAL_SOURCE_TYPE) == 0)
    fx->stamped++;
  g_ptr_array_add (fx->ready, g_object_ref (file));
}

static gboolean
follower_settled (gpointer data)
{
  SeedreamFollowState state = seedream_task_follower_get_state (data);

  return state == SEEDREAM_FOLLOW_STATE_DONE || state == SEEDREAM_FOLLOW_STATE_FAILED;
}

static void
follow (Fixture         *fx,
        SeedreamRequest *request,
        char           **task_id_out,
        char          ***urls_out)
{
  g_autoptr(SeedreamRequest) asked = new_request ();
  g_autofree char *task_id = submit_task (fx, asked);
  g_autoptr(SeedreamTaskFollower) follower = seedream_task_follower_new (fx->mock.client, task_id, fx->results_dir);

  seedream_task_follower_set_initial_interval_ms (follower, 50);
  seedream_task_follower_set_max_interval_ms (follower, 100);
  seedream_task_follower_set_request (follower, request);
  g_signal_connect (follower, "result-ready", G_CALLBACK (result_ready_cb), fx);
  seedream_task_follower_start (follower);
  g_assert_true (seedream_test_wait_until (follower_settled, follower, 60));
  g_assert_cmpint (seedream_task_follower_get_state (follower), ==, SEEDREAM_FOLLOW_STATE_DONE);
  g_assert_cmpuint (fx->ready->len, ==, 2);

  *task_id_out = g_steal_pointer (&task_id);
  if (urls_out != NULL)
    *urls_out = g_strdupv ((char **) seedream_task_info_get_urls (seedream_task_follower_get_task_info (follower)));
}

static void
test_downloaded_result_carries_metadata (Fixture       *fx,
                                         gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = new_request ();
  g_autofree char *task_id = NULL;
  g_auto(GStrv) urls = NULL;

  follow (fx, request, &task_id, &urls);

  /* Already there when ::result-ready said the file was in place. */
  g_assert_cmpuint (fx->stamped, ==, 2);

  for (guint i = 0; i < fx->ready->len; i++)
    {
      GFile *file = g_ptr_array_index (fx->ready, i);
      g_autofree char *name = g_file_get_basename (file);
      g_autoptr(GBytes) served = NULL;
      g_autoptr(GBytes) saved = g_file_load_bytes (file, NULL, NULL, NULL);
      g_autoptr(GBytes) served_idat = NULL;
      g_autoptr(GBytes) saved_idat = seedream_test_png_chunks (saved, "IDAT");
      g_autofree char *description = read_tag (file, "Xmp.dc.description");
      g_autofree char *task = read_tag (file, "Xmp.seedream.TaskId");
      g_autofree char *number = read_tag (file, "Xmp.seedream.BatchNumber");
      g_autofree char *expected_number = NULL;
      guint index = 0;

      g_assert_true (sscanf (name, "%u.png", &index) == 1);
      expected_number = g_strdup_printf ("%u", index + 1);

      /* The same file as the mock serves it. */
      g_assert_cmpuint (index, <, g_strv_length (urls));
      {
        g_autoptr(GUri) uri = g_uri_parse (urls[index], G_URI_FLAGS_NONE, NULL);

        served = mock_fixture_request (&fx->mock, "GET", g_uri_get_path (uri), NULL, NULL);
        served_idat = seedream_test_png_chunks (served, "IDAT");
      }

      g_assert_nonnull (strstr (description, PROMPT));
      g_assert_cmpstr (task, ==, task_id);
      g_assert_cmpstr (number, ==, expected_number);
      g_assert_cmpuint (g_bytes_get_size (served_idat), >, 0);
      g_assert_true (g_bytes_equal (served_idat, saved_idat));
      g_assert_false (g_bytes_equal (served, saved));
    }
}

/* Without a request (as before this feature), the file is as served. */
static void
test_no_request_no_metadata (Fixture       *fx,
                             gconstpointer  data)
{
  g_autofree char *task_id = NULL;

  follow (fx, NULL, &task_id, NULL);
  g_assert_cmpuint (fx->stamped, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/seedream/result-metadata/downloaded", Fixture, NULL,
              fixture_setup, test_downloaded_result_carries_metadata, fixture_teardown);
  g_test_add ("/seedream/result-metadata/no-request", Fixture, NULL,
              fixture_setup, test_no_request_no_metadata, fixture_teardown);

  return g_test_run ();
}
