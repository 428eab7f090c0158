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
 *
 * The values are the provider's image_status numbers.
 */
typedef enum
{
  MOCK_TASK_STATUS_QUEUED = 1,
  MOCK_TASK_STATUS_PROCESSING = 2,
  MOCK_TASK_STATUS_COMPLETED = 3,
  MOCK_TASK_STATUS_FAILED = 4,
} MockTaskStatus;

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
  MockTaskFault  fault;
  /* Set by POST /mock/tasks/<id>/fail: the task has failed, now. */
  char          *forced_error;
} MockTask;

typedef struct _MockTaskTable MockTaskTable;

MockTaskTable  *mock_task_table_new        (double                task_seconds);
void            mock_task_table_free       (MockTaskTable        *table);
MockTask       *mock_task_table_add        (MockTaskTable        *table,
                                            const MockSubmission *submission,
                                            MockTaskFault         fault);
MockTask       *mock_task_table_lookup     (MockTaskTable        *table,
                                            const char           *id);
gboolean        mock_task_table_remove     (MockTaskTable        *table,
                                            const char           *id);
MockTaskStatus  mock_task_table_get_status (MockTaskTable        *table,
                                            const MockTask       *task,
                                            const char          **error_message);
guint           mock_task_get_n_results    (const MockTask       *task);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockTaskTable, mock_task_table_free)

G_END_DECLS
