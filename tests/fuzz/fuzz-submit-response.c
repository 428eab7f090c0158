/* fuzz-submit-response.c: any bytes as the answer to a submission.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No crash, no leak, and the result keeps its promises: either a task id
 * that passes seedream_response_is_valid_task_id() or a SEEDREAM_ERROR
 * with a readable message, never both, never neither.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>

#include "seedream-error.h"
#include "seedream-response.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *task_id = NULL;

  task_id = seedream_response_parse_submit (body, &error);

  g_assert_true ((task_id == NULL) != (error == NULL));

  if (task_id != NULL)
    {
      g_assert_true (seedream_response_is_valid_task_id (task_id));
    }
  else
    {
      const char *server_message = seedream_error_get_server_message (error);

      g_assert_true (error->domain == SEEDREAM_ERROR);
      g_assert_true (error->code == SEEDREAM_ERROR_BAD_RESPONSE ||
                     error->code == SEEDREAM_ERROR_SERVER_FAILURE ||
                     error->code == SEEDREAM_ERROR_INSUFFICIENT_CREDITS);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_true (server_message == NULL || g_utf8_validate (server_message, -1, NULL));
    }

  return 0;
}
