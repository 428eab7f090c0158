/* upload-tool.c: submit one request with SeedreamClient, for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   upload-tool URL KEY PROMPT BATCHSIZE RESOLUTION [SOURCE-IMAGE...]
 *
 * Prints the task id and exits 0, or prints the error and exits 1.
 * test-upload-curl.py compares what the mock received from it with what it
 * received from `curl -F` for the same request.
 */

#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>

#include "seedream-client.h"
#include "seedream-request.h"

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SeedreamClient) client = NULL;
  g_autoptr(SeedreamRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;
  guint64 batch_size = 0;

  if (argc < 6)
    {
      g_printerr ("usage: %s URL KEY PROMPT BATCHSIZE RESOLUTION [SOURCE-IMAGE...]\n", argv[0]);
      return 2;
    }

  if (!g_ascii_string_to_unsigned (argv[4], 10, 1, 100, &batch_size, &error))
    {
      g_printerr ("upload-tool: batch size: %s\n", error->message);
      return 2;
    }

  client = seedream_client_new (argv[1], argv[2], &error);
  if (client == NULL)
    {
      g_printerr ("upload-tool: %s\n", error->message);
      return 1;
    }

  request = seedream_request_new ();
  seedream_request_set_prompt (request, argv[3]);
  seedream_request_set_batch_size (request, (guint) batch_size);
  seedream_request_set_resolution (request, argv[5]);
  for (int i = 6; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);

      seedream_request_add_source_file (request, file);
    }

  seedream_client_submit_async (client, request, NULL, NULL, NULL, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  task_id = seedream_client_submit_finish (client, result, &error);
  if (task_id == NULL)
    {
      g_printerr ("upload-tool: %s\n", error->message);
      return 1;
    }

  g_print ("%s\n", task_id);

  return 0;
}
