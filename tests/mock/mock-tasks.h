/* mock-tasks.h: the mock server's generation tasks and how they progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mock-faults.h"
#include "mock-submission.h"

G_BEGIN_DECLS

/**
 * MockTaskStatus:
 * @MOCK_TASK_STATUS_QUEUED: image_status 1
 * @MOCK_TASK_STATUS_PROCESSING: image_status 2
 * @MOCK_TASK_STATUS_COMPLETED: image_status 3, the results can be fetched
 * @MOCK_TASK_STATUS_FAILED: image_status 4, with an error_message
 * @MOCK_TASK_STATUS_UPLOADING: image_status 5, a state the docs do not list
 *   (the video twin's "uploading"); said only in realistic mode
 *
 * The values are the provider's image_status numbers.
 */
typedef enum
{
  MOCK_TASK_STATUS_QUEUED = 1,
  MOCK_TASK_STATUS_PROCESSING = 2,
  MOCK_TASK_STATUS_COMPLETED = 3,
  MOCK_TASK_STATUS_FAILED = 4,
  MOCK_TASK_STATUS_UPLOADING = 5,
} MockTaskStatus;

/**
 * MockTaskEnding:
 * @MOCK_TASK_ENDING_COMPLETES: image_status 3 with its results
 * @MOCK_TASK_ENDING_FAILS: image_status 4, with the usual members
 * @MOCK_TASK_ENDING_FAILS_BARE: image_status 4, and the answer holds only
 *   taskid, image_status and error_message
 *
 * How a task ends once its --task-seconds have passed.
 */
typedef enum
{
  MOCK_TASK_ENDING_COMPLETES,
  MOCK_TASK_ENDING_FAILS,
  MOCK_TASK_ENDING_FAILS_BARE,
} MockTaskEnding;

/**
 * MockTaskResults:
 * @MOCK_TASK_RESULTS_PNG: real PNGs at /files/ID/N.png
 * @MOCK_TASK_RESULTS_JPEG_PRESIGNED: real JPEGs on pre-signed URLs, 403
 *   unless the query comes back byte for byte
 * @MOCK_TASK_RESULTS_404: the result URLs (.png) answer 404
 * @MOCK_TASK_RESULTS_NOT_IMAGE: the result URLs (.png) answer text
 * @MOCK_TASK_RESULTS_HUGE: the result URLs (.png) answer far more bytes
 *   than any image the service makes
 * @MOCK_TASK_RESULTS_TRICKLE: the result URLs (.png) answer a byte at a
 *   time, never ending
 *
 * What the file host serves for a completed task.
 */
typedef enum
{
  MOCK_TASK_RESULTS_PNG,
  MOCK_TASK_RESULTS_JPEG_PRESIGNED,
  MOCK_TASK_RESULTS_404,
  MOCK_TASK_RESULTS_NOT_IMAGE,
  MOCK_TASK_RESULTS_HUGE,
  MOCK_TASK_RESULTS_TRICKLE,
} MockTaskResults;

typedef struct
{
  char          *id;
  char          *prompt;
  char          *category;
  guint          batch_size;
  guint          width;
  guint          height;
  /* Time of the submission in UTC+8 (the service's zone), for "starttime". */
  GDateTime     *start_time;
  /* g_get_monotonic_time() at the submission, for the progress. */
  gint64         start_monotonic;
  /* What the task does: its defaults, then realistic mode's rules, then a
   * task fault, each changing only its own members, so they combine. */
  MockTaskEnding   ending;
  /* With a failing ending: its error_message (a static string). */
  const char      *fail_message;
  MockTaskResults  results;
  /* How many urls it completes with. */
  guint            n_results;
  /* Realistic mode: its answers follow the script in mock-realistic.c. */
  gboolean         realistic;
  guint            n_queries;
  gboolean         said_running;
  gboolean         said_uploading;
  /* Set by POST /mock/tasks/<id>/fail: the task has failed, now. */
  char          *forced_error;
} MockTask;

typedef struct _MockTaskTable MockTaskTable;

MockTaskTable  *mock_task_table_new        (double                task_seconds);
void            mock_task_table_free       (MockTaskTable        *table);
MockTask       *mock_task_table_add        (MockTaskTable        *table,
                                            const MockSubmission *submission,
                                            gboolean              realistic);
MockTask       *mock_task_table_lookup     (MockTaskTable        *table,
                                            const char           *id);
gboolean        mock_task_table_remove     (MockTaskTable        *table,
                                            const char           *id);
MockTaskStatus  mock_task_table_get_status (MockTaskTable        *table,
                                            const MockTask       *task,
                                            const char          **error_message);
guint           mock_task_get_n_results    (const MockTask       *task);
void            mock_task_apply_fault      (MockTask             *task,
                                            MockTaskFault         fault);
void            mock_task_heal             (MockTask             *task);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockTaskTable, mock_task_table_free)

G_END_DECLS
