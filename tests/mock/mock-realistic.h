/* mock-realistic.h: the rules of the mock server's realistic mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mock-tasks.h"

G_BEGIN_DECLS

/* Words in a prompt that decide a task's outcome (case does not matter). */
#define MOCK_REALISTIC_MARKER_REFUSED "mock-refuse"
#define MOCK_REALISTIC_MARKER_FAILS "mock-fail"
#define MOCK_REALISTIC_MARKER_POLICY "mock-policy"

/* The error_message of a task whose prompt holds mock-fail. */
#define MOCK_REALISTIC_FAILS_MESSAGE "prompt rejected by the safety check"

/* How long the answer to a submission takes in realistic mode, by default. */
#define MOCK_REALISTIC_ANSWER_DELAY_SECONDS 3

/**
 * MockRealisticAnswer:
 * @MOCK_REALISTIC_ANSWER_EMPTY_DATA: code 1000 with data {}
 * @MOCK_REALISTIC_ANSWER_NOT_READY: a code other than 1000
 * @MOCK_REALISTIC_ANSWER_NO_STATUS: code 1000, data with taskid and
 *   starttime but no image_status
 * @MOCK_REALISTIC_ANSWER_STATUS: the usual answer, with the status given
 *
 * What one infobytaskid answer about a realistic task says.
 */
typedef enum
{
  MOCK_REALISTIC_ANSWER_EMPTY_DATA,
  MOCK_REALISTIC_ANSWER_NOT_READY,
  MOCK_REALISTIC_ANSWER_NO_STATUS,
  MOCK_REALISTIC_ANSWER_STATUS,
} MockRealisticAnswer;

gboolean            mock_realistic_refuses_prompt (const char     *prompt);
void                mock_realistic_apply_markers  (MockTask       *task);
MockRealisticAnswer mock_realistic_next_answer    (MockTask       *task,
                                                   MockTaskStatus  status,
                                                   MockTaskStatus *reported);

G_END_DECLS
