/* mock-tasks.c: the mock server's generation tasks and how they progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A task is queued for the first quarter of --task-seconds after its
 * submission, processing until --task-seconds have passed, then it ends
 * as its members say (completed, or failed under the task-fails fault).
 * Nothing runs in the background: the status is worked out from the clock
 * whenever someone asks.
 */

#define G_LOG_DOMAIN "mock-tasks"

#include "config.h"

#include "mock-tasks.h"

struct _MockTaskTable
{
  GHashTable *tasks;
  gint64      task_usec;
};

static void
mock_task_free (MockTask *task)
{
  g_free (task->id);
  g_free (task->prompt);
  g_free (task->category);
  g_clear_pointer (&task->start_time, g_date_time_unref);
  g_free (task->forced_error);
  g_free (task);
}

MockTaskTable *
mock_task_table_new (double task_seconds)
{
  MockTaskTable *table = g_new0 (MockTaskTable, 1);

  table->tasks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) mock_task_free);
  table->task_usec = (gint64) (MAX (task_seconds, 0.0) * G_USEC_PER_SEC);

  return table;
}

void
mock_task_table_free (MockTaskTable *table)
{
  if (table == NULL)
    return;

  g_hash_table_unref (table->tasks);
  g_free (table);
}

/* What a task without faults does: completes with its batch, as PNGs; in
 * realistic mode as JPEGs on pre-signed URLs, one fewer when over 1. */
static void
mock_task_set_defaults (MockTask *task)
{
  task->ending = MOCK_TASK_ENDING_COMPLETES;
  task->fail_message = NULL;
  if (task->realistic)
    {
      task->results = MOCK_TASK_RESULTS_JPEG_PRESIGNED;
      task->n_results = task->batch_size > 1 ? task->batch_size - 1 : task->batch_size;
    }
  else
    {
      task->results = MOCK_TASK_RESULTS_PNG;
      task->n_results = task->batch_size;
    }
}

/**
 * mock_task_table_add:
 * @table: the table
 * @submission: a valid submission
 * @realistic: whether the task follows realistic mode's rules
 *
 * Returns: (transfer none): the new task, with a fresh id `mock_` + 16 hex digits
 */
MockTask *
mock_task_table_add (MockTaskTable        *table,
                     const MockSubmission *submission,
                     gboolean              realistic)
{
  MockTask *task;
  char *id = NULL;

  do
    {
      g_free (id);
      id = g_strdup_printf ("mock_%08x%08x", g_random_int (), g_random_int ());
    }
  while (g_hash_table_contains (table->tasks, id));

  task = g_new0 (MockTask, 1);
  task->id = id;
  task->prompt = g_strdup (submission->prompt);
  task->category = g_strdup (submission->category);
  task->batch_size = submission->batch_size;
  task->width = submission->width;
  task->height = submission->height;
  /* The service's local time: it is in China, UTC+8. */
  {
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("+08:00");

    task->start_time = g_date_time_new_now (zone);
  }
  task->start_monotonic = g_get_monotonic_time ();
  task->realistic = realistic;
  mock_task_set_defaults (task);

  g_hash_table_insert (table->tasks, task->id, task);

  return task;
}

/**
 * mock_task_table_lookup:
 *
 * Returns: (transfer none) (nullable): the task called @id
 */
MockTask *
mock_task_table_lookup (MockTaskTable *table,
                        const char    *id)
{
  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (table->tasks, id);
}

gboolean
mock_task_table_remove (MockTaskTable *table,
                        const char    *id)
{
  if (id == NULL)
    return FALSE;

  return g_hash_table_remove (table->tasks, id);
}

/**
 * mock_task_table_get_status:
 * @table: the table
 * @task: a task of @table
 * @error_message: (out) (optional): why the task failed, with
 *   %MOCK_TASK_STATUS_FAILED
 *
 * Returns: the task's status now
 */
MockTaskStatus
mock_task_table_get_status (MockTaskTable   *table,
                            const MockTask  *task,
                            const char     **error_message)
{
  gint64 elapsed = g_get_monotonic_time () - task->start_monotonic;

  if (error_message != NULL)
    *error_message = NULL;

  if (task->forced_error != NULL)
    {
      if (error_message != NULL)
        *error_message = task->forced_error;
      return MOCK_TASK_STATUS_FAILED;
    }

  if (elapsed < table->task_usec / 4)
    return MOCK_TASK_STATUS_QUEUED;

  if (elapsed < table->task_usec)
    return MOCK_TASK_STATUS_PROCESSING;

  if (task->ending != MOCK_TASK_ENDING_COMPLETES)
    {
      if (error_message != NULL)
        *error_message = task->fail_message;
      return MOCK_TASK_STATUS_FAILED;
    }

  return MOCK_TASK_STATUS_COMPLETED;
}

/**
 * mock_task_get_n_results:
 * @task: a task
 *
 * Returns: how many images the task gives once completed
 */
guint
mock_task_get_n_results (const MockTask *task)
{
  return task->n_results;
}

/**
 * mock_task_apply_fault:
 * @task: a task
 * @fault: a task fault
 *
 * Changes what @fault is about and leaves the rest: a task may carry the
 * rules of realistic mode and a fault at once.
 */
void
mock_task_apply_fault (MockTask      *task,
                       MockTaskFault  fault)
{
  switch (fault)
    {
    case MOCK_TASK_FAULT_NONE:
      break;
    case MOCK_TASK_FAULT_FAILS:
      task->ending = MOCK_TASK_ENDING_FAILS;
      task->fail_message = MOCK_FAULT_TASK_FAILS_MESSAGE;
      break;
    case MOCK_TASK_FAULT_FAILS_BARE:
      task->ending = MOCK_TASK_ENDING_FAILS_BARE;
      task->fail_message = MOCK_FAULT_TASK_FAILS_BARE_MESSAGE;
      break;
    case MOCK_TASK_FAULT_RESULT_404:
      task->results = MOCK_TASK_RESULTS_404;
      break;
    case MOCK_TASK_FAULT_RESULT_NOT_IMAGE:
      task->results = MOCK_TASK_RESULTS_NOT_IMAGE;
      break;
    case MOCK_TASK_FAULT_RESULT_JPEG_PRESIGNED:
      task->results = MOCK_TASK_RESULTS_JPEG_PRESIGNED;
      break;
    case MOCK_TASK_FAULT_NO_IMAGES:
      task->n_results = 0;
      break;
    case MOCK_TASK_FAULT_FEWER_IMAGES:
      /* Half, rounded up: at least one. */
      task->n_results = MAX ((task->batch_size + 1) / 2, 1);
      break;
    case MOCK_TASK_FAULT_MANY_URLS:
      task->n_results = MOCK_FAULT_MANY_URLS;
      break;
    case MOCK_TASK_FAULT_RESULT_HUGE:
      task->results = MOCK_TASK_RESULTS_HUGE;
      break;
    case MOCK_TASK_FAULT_RESULT_TRICKLE:
      task->results = MOCK_TASK_RESULTS_TRICKLE;
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * mock_task_heal:
 * @task: a task
 *
 * The task loses its faults (and a /fail): from now on it does what a task
 * without faults does (in realistic mode, that mode's defaults).
 */
void
mock_task_heal (MockTask *task)
{
  mock_task_set_defaults (task);
  g_clear_pointer (&task->forced_error, g_free);
}
