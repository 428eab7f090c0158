/* mock-realistic.c: the rules of the mock server's realistic mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In realistic mode (--realistic) every task meets all of the live
 * service's looser behaviours at once (see the API README, "What the live
 * service does beyond the docs"), by fixed rules, so that tests can rely
 * on them. The rules are listed in the header comment of
 * seedream-mock-server.c; the ones about a task are here.
 */

#define G_LOG_DOMAIN "mock-realistic"

#include "config.h"

#include <string.h>

#include "mock-realistic.h"

static gboolean
prompt_has (const char *prompt,
            const char *marker)
{
  g_autofree char *folded = NULL;

  if (prompt == NULL)
    return FALSE;

  folded = g_ascii_strdown (prompt, -1);
  return strstr (folded, marker) != NULL;
}

/**
 * mock_realistic_refuses_prompt:
 * @prompt: a submission's prompt
 *
 * Returns: whether the submission is refused at once (HTTP 400), as a
 *   prompt against the content policy would be
 */
gboolean
mock_realistic_refuses_prompt (const char *prompt)
{
  return prompt_has (prompt, MOCK_REALISTIC_MARKER_POLICY);
}

/**
 * mock_realistic_apply_markers:
 * @task: a task in realistic mode
 *
 * A prompt holding mock-refuse completes with no images (what a moderation
 * refusal gives); one holding mock-fail fails with only error_message.
 */
void
mock_realistic_apply_markers (MockTask *task)
{
  if (prompt_has (task->prompt, MOCK_REALISTIC_MARKER_REFUSED))
    task->n_results = 0;

  if (prompt_has (task->prompt, MOCK_REALISTIC_MARKER_FAILS))
    {
      task->ending = MOCK_TASK_ENDING_FAILS_BARE;
      task->fail_message = MOCK_REALISTIC_FAILS_MESSAGE;
    }
}

static gboolean
status_is_final (MockTaskStatus status)
{
  return status == MOCK_TASK_STATUS_COMPLETED || status == MOCK_TASK_STATUS_FAILED;
}

/**
 * mock_realistic_next_answer:
 * @task: a task in realistic mode
 * @status: its status by the clock
 * @reported: (out): with %MOCK_REALISTIC_ANSWER_STATUS, the status to say
 *
 * Counts one more answer about @task and says what it is: the 1st has
 * empty data, the 2nd a code other than 1000, the 3rd no image_status; the
 * 4th says queued or processing (processing if the task has ended by the
 * clock); after that the clock's status, except that the first answer
 * that would say the task ended says 5 instead.
 *
 * Returns: the kind of answer
 */
MockRealisticAnswer
mock_realistic_next_answer (MockTask       *task,
                            MockTaskStatus  status,
                            MockTaskStatus *reported)
{
  task->n_queries++;

  switch (task->n_queries)
    {
    case 1:
      return MOCK_REALISTIC_ANSWER_EMPTY_DATA;
    case 2:
      return MOCK_REALISTIC_ANSWER_NOT_READY;
    case 3:
      return MOCK_REALISTIC_ANSWER_NO_STATUS;
    default:
      break;
    }

  if (!task->said_running)
    {
      /* Every task is seen running once, however slowly it is asked about. */
      task->said_running = TRUE;
      *reported = status_is_final (status) ? MOCK_TASK_STATUS_PROCESSING : status;
      return MOCK_REALISTIC_ANSWER_STATUS;
    }

  if (status_is_final (status) && !task->said_uploading)
    {
      task->said_uploading = TRUE;
      *reported = MOCK_TASK_STATUS_UPLOADING;
      return MOCK_REALISTIC_ANSWER_STATUS;
    }

  *reported = status;
  return MOCK_REALISTIC_ANSWER_STATUS;
}
