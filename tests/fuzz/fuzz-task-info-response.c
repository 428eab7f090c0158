/* fuzz-task-info-response.c: any bytes as the answer to infobytaskid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No crash, no leak, and a task info that comes back is sane: a valid id,
 * only http(s) URLs and not too many, at least one URL when done.
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
  g_autoptr(SeedreamTaskInfo) info = NULL;

  info = seedream_response_parse_task_info (body, &error);

  g_assert_true ((info == NULL) != (error == NULL));

  if (info != NULL)
    {
      const char * const *urls = seedream_task_info_get_urls (info);
      guint n_urls = seedream_task_info_get_n_urls (info);
      SeedreamTaskState state = seedream_task_info_get_state (info);

      g_assert_true (seedream_response_is_valid_task_id (seedream_task_info_get_task_id (info)));
      g_assert_nonnull (urls);
      g_assert_cmpuint (n_urls, <=, SEEDREAM_RESPONSE_MAX_URLS);
      for (guint i = 0; i < n_urls; i++)
        g_assert_true (g_ascii_strncasecmp (urls[i], "http", 4) == 0);
      /* A done task may list no URL at all: "No images" (status 3 with an
       * empty or missing url), its own outcome since the service sends it. */
      g_assert_cmpstr (seedream_task_state_to_string (state), !=, NULL);
      /* Touch the rest for the sanitizers. */
      (void) seedream_task_info_get_start_time (info);
      (void) seedream_task_info_get_error_message (info);
      (void) seedream_task_info_get_width (info);
    }
  else
    {
      g_assert_true (error->domain == SEEDREAM_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }

  return 0;
}
