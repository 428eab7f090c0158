/* mock-tasks.c: the mock server's generation tasks and how they progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A task is queued for the first quarter of --task-seconds after its
 * submission, processing until --task-seconds have passed, then completed
 * (or failed, under the task-fails fault). Nothing runs in the background:
 * the status is worked out from the clock whenever someone asks.
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

/**
 * mock_task_table_add:
 * @table: the table
 * @submission: a valid submission
 * @fault: what goes wrong with the task, if anything
 *
 * Returns: (transfer none): the new task, with a fresh id `mock_` + 16 hex digits
 */
MockTask *
mock_task_table_add (MockTaskTable        *table,
                     const MockSubmission *submission,
                     MockTaskFault         fault)
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
  task->fault = fault;

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

  if (task->fault == MOCK_TASK_FAULT_FAILS)
    {
      if (error_message != NULL)
        *error_message = MOCK_FAULT_TASK_FAILS_MESSAGE;
      return MOCK_TASK_STATUS_FAILED;
    }

  if (task->fault == MOCK_TASK_FAULT_FAILS_BARE)
    {
      if (error_message != NULL)
        *error_message = MOCK_FAULT_TASK_FAILS_BARE_MESSAGE;
      return MOCK_TASK_STATUS_FAILED;
    }

  return MOCK_TASK_STATUS_COMPLETED;
}

/**
 * mock_task_get_n_results:
 * @task: a task
 *
 * Returns: how many images the task gives once completed: its batch size,
 *   none under no-images, half of it rounded up under fewer-images
 */
guint
mock_task_get_n_results (const MockTask *task)
{
  switch (task->fault)
    {
    case MOCK_TASK_FAULT_NO_IMAGES:
      return 0;
    case MOCK_TASK_FAULT_FEWER_IMAGES:
      return MAX ((task->batch_size + 1) / 2, 1);
    case MOCK_TASK_FAULT_MANY_URLS:
      return MOCK_FAULT_MANY_URLS;
    case MOCK_TASK_FAULT_NONE:
    case MOCK_TASK_FAULT_FAILS:
    case MOCK_TASK_FAULT_RESULT_404:
    case MOCK_TASK_FAULT_RESULT_NOT_IMAGE:
    case MOCK_TASK_FAULT_FAILS_BARE:
    case MOCK_TASK_FAULT_RESULT_JPEG_PRESIGNED:
    case MOCK_TASK_FAULT_RESULT_HUGE:
    case MOCK_TASK_FAULT_RESULT_TRICKLE:
    default:
      return task->batch_size;
    }
}
