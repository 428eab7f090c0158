/* mock-faults.c: the mock server's fault table and its queue of pending faults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every fault the mock can play is one row of mock_faults[] below. The
 * canned answers imitate what a client meets in the wild: a gateway's HTML
 * error page, a JSON envelope with a failure code, a truncated body.
 */

#define G_LOG_DOMAIN "mock-faults"

#include "config.h"

#include <string.h>

#include "mock-faults.h"

#define HTML_PAGE(title) \
  "<!DOCTYPE html>\n<html>\n<head><title>" title "</title></head>\n" \
  "<body>\n<center><h1>" title "</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"

static const MockFault mock_faults[] = {
  { "http-500", MOCK_FAULT_KIND_RESPONSE, 500, "text/plain; charset=utf-8",
    "Internal Server Error\n", NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "http-502", MOCK_FAULT_KIND_RESPONSE, 502, "text/html; charset=utf-8",
    HTML_PAGE ("502 Bad Gateway"), NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "http-503", MOCK_FAULT_KIND_RESPONSE, 503, "text/html; charset=utf-8",
    HTML_PAGE ("503 Service Temporarily Unavailable"), NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "http-401", MOCK_FAULT_KIND_RESPONSE, 401, "application/json",
    "{\"code\":9999,\"msg\":\"Unauthorized: invalid API key\",\"data\":{}}", NULL, NULL,
    MOCK_TASK_FAULT_NONE },
  { "http-403", MOCK_FAULT_KIND_RESPONSE, 403, "application/json",
    "{\"code\":9999,\"msg\":\"Forbidden: this key may not use this model\",\"data\":{}}", NULL, NULL,
    MOCK_TASK_FAULT_NONE },
  { "http-408", MOCK_FAULT_KIND_RESPONSE, 408, "text/html; charset=utf-8",
    HTML_PAGE ("408 Request Time-out"), NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "http-404", MOCK_FAULT_KIND_RESPONSE, 404, "text/html; charset=utf-8",
    HTML_PAGE ("404 Not Found"), NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "http-413", MOCK_FAULT_KIND_RESPONSE, 413, "text/html; charset=utf-8",
    HTML_PAGE ("413 Request Entity Too Large"), NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "http-429", MOCK_FAULT_KIND_RESPONSE, 429, "application/json",
    "{\"code\":9999,\"msg\":\"Too many requests, slow down\",\"data\":{}}", "Retry-After", "2",
    MOCK_TASK_FAULT_NONE },
  { "code-9999", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "{\"code\":9999,\"msg\":\"internal error: model overloaded\",\"data\":{}}", NULL, NULL,
    MOCK_TASK_FAULT_NONE },
  { "code-9000", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "{\"code\":9000,\"msg\":\"insufficient credits\",\"data\":{}}", NULL, NULL,
    MOCK_TASK_FAULT_NONE },
  { "malformed-json", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "{\"code\":1000,\"msg\":", NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "html-page", MOCK_FAULT_KIND_RESPONSE, 200, "text/html; charset=utf-8",
    HTML_PAGE ("Something went wrong"), NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "empty-body", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "", NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "huge-body", MOCK_FAULT_KIND_HUGE_BODY, 200, "application/json",
    NULL, NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "missing-taskid", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "{\"code\":1000,\"msg\":\"Task created successfully\",\"data\":{}}", NULL, NULL,
    MOCK_TASK_FAULT_NONE },
  /* What infobytaskid may say while a task starts. */
  { "empty-data", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "{\"code\":1000,\"msg\":\"Successfully\",\"data\":{}}", NULL, NULL,
    MOCK_TASK_FAULT_NONE },
  { "missing-status", MOCK_FAULT_KIND_MISSING_STATUS, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_NONE },
  /* A finished task, but not the one asked about: its image is not ours. */
  { "other-taskid", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "{\"code\":1000,\"msg\":\"Successfully\",\"data\":{\"taskid\":\"mock_0000000000000000\","
    "\"image_status\":3,\"url\":[\"http://127.0.0.1:9/files/mock_0000000000000000/1.png\"]}}",
    NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "stall", MOCK_FAULT_KIND_STALL, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "close-during-upload", MOCK_FAULT_KIND_CLOSE_DURING_UPLOAD, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "task-fails", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_FAILS },
  { "result-404", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_RESULT_404 },
  { "result-not-image", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_RESULT_NOT_IMAGE },
  { "no-images", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_NO_IMAGES },
  { "fewer-images", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_FEWER_IMAGES },
  { "fails-bare", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_FAILS_BARE },

  /* Submitting, as the live service does beyond the docs: refusals as 4xx
   * with the envelope, 9000 without data, an answer that takes its time,
   * JPEG results on pre-signed URLs. */
  { "refused-prompt", MOCK_FAULT_KIND_RESPONSE, 400, "application/json",
    "{\"code\":9999,\"msg\":\"The prompt was refused: it violates the content policy\",\"data\":{}}",
    NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "bad-size", MOCK_FAULT_KIND_RESPONSE, 400, "application/json",
    "{\"code\":9999,\"msg\":\"Invalid size: the image size must be between 2560x1440 and 4096x4096\",\"data\":{}}",
    NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "code-9000-bare", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "{\"code\":9000,\"msg\":\"Insufficient credits\"}", NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "http-402-credits", MOCK_FAULT_KIND_RESPONSE, 402, "application/json",
    "{\"code\":9000,\"msg\":\"Insufficient credits\"}", NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "slow-answer", MOCK_FAULT_KIND_SLOW_ANSWER, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "result-jpeg-presigned", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_RESULT_JPEG_PRESIGNED },

  /* A hostile or broken file host (issue #15): more URLs than asked,
   * results larger than any image. */
  { "answer-trickle", MOCK_FAULT_KIND_TRICKLE_ANSWER, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "taskid-dotdot", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "{\"code\":1000,\"msg\":\"Task created successfully\",\"data\":{\"taskid\":\"..\"}}",
    NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "taskid-long", MOCK_FAULT_KIND_RESPONSE, 200, "application/json",
    "{\"code\":1000,\"msg\":\"Task created successfully\",\"data\":{\"taskid\":\"mock_"
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    "0123456789a\"}}",
    NULL, NULL, MOCK_TASK_FAULT_NONE },
  { "many-urls", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_MANY_URLS },
  { "result-huge", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_RESULT_HUGE },
  { "result-trickle", MOCK_FAULT_KIND_TASK, 0, NULL,
    NULL, NULL, NULL, MOCK_TASK_FAULT_RESULT_TRICKLE },
};

/**
 * mock_fault_lookup:
 * @name: a fault name such as `http-503`
 *
 * Returns: (nullable): the row of @name, or %NULL if there is none
 */
const MockFault *
mock_fault_lookup (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (mock_faults); i++)
    {
      if (strcmp (mock_faults[i].name, name) == 0)
        return &mock_faults[i];
    }

  return NULL;
}

/**
 * mock_fault_list_names:
 *
 * Returns: the fault names separated by spaces, for messages
 */
const char *
mock_fault_list_names (void)
{
  static char *names = NULL;

  if (g_once_init_enter_pointer (&names))
    {
      GString *list = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (mock_faults); i++)
        {
          if (i > 0)
            g_string_append_c (list, ' ');
          g_string_append (list, mock_faults[i].name);
        }

      g_once_init_leave_pointer (&names, g_string_free (list, FALSE));
    }

  return names;
}

typedef struct
{
  const MockFault *fault;
  guint            remaining;
  char            *path;
} QueuedFault;

struct _MockFaultQueue
{
  GQueue entries;
};

static void
queued_fault_free (QueuedFault *entry)
{
  g_free (entry->path);
  g_free (entry);
}

MockFaultQueue *
mock_fault_queue_new (void)
{
  MockFaultQueue *queue = g_new0 (MockFaultQueue, 1);

  g_queue_init (&queue->entries);

  return queue;
}

void
mock_fault_queue_free (MockFaultQueue *queue)
{
  if (queue == NULL)
    return;

  mock_fault_queue_clear (queue);
  g_free (queue);
}

/**
 * mock_fault_queue_push:
 * @queue: the queue
 * @fault: a row of the fault table
 * @count: how many matching requests take the fault
 * @path: (nullable): the request path it applies to; a path ending in `/`
 *   matches every path under it; %NULL matches every API path (`/v1/...`)
 */
void
mock_fault_queue_push (MockFaultQueue  *queue,
                       const MockFault *fault,
                       guint            count,
                       const char      *path)
{
  QueuedFault *entry;

  g_return_if_fail (queue != NULL);
  g_return_if_fail (fault != NULL);

  if (count == 0)
    return;

  entry = g_new0 (QueuedFault, 1);
  entry->fault = fault;
  entry->remaining = count;
  entry->path = g_strdup (path);
  g_queue_push_tail (&queue->entries, entry);
}

void
mock_fault_queue_clear (MockFaultQueue *queue)
{
  g_return_if_fail (queue != NULL);

  g_queue_clear_full (&queue->entries, (GDestroyNotify) queued_fault_free);
}

static gboolean
queued_fault_matches (const QueuedFault *entry,
                      const char        *path,
                      gboolean           is_submission)
{
  gsize len;

  /* A task fault only means something to the request that creates a task. */
  if (entry->fault->kind == MOCK_FAULT_KIND_TASK && !is_submission)
    return FALSE;

  if (entry->path == NULL)
    return g_str_has_prefix (path, "/v1/");

  len = strlen (entry->path);
  if (len > 0 && entry->path[len - 1] == '/')
    return g_str_has_prefix (path, entry->path);

  return strcmp (path, entry->path) == 0;
}

/**
 * mock_fault_queue_take:
 * @queue: the queue
 * @path: the path of the request
 * @is_submission: whether the request is a submission (it creates a task)
 *
 * Takes one count of the oldest queued fault that matches the request.
 *
 * Returns: (nullable): the fault to apply, or %NULL
 */
const MockFault *
mock_fault_queue_take (MockFaultQueue *queue,
                       const char     *path,
                       gboolean        is_submission)
{
  g_return_val_if_fail (queue != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  for (GList *l = queue->entries.head; l != NULL; l = l->next)
    {
      QueuedFault *entry = l->data;
      const MockFault *fault;

      if (!queued_fault_matches (entry, path, is_submission))
        continue;

      fault = entry->fault;
      if (--entry->remaining == 0)
        {
          g_queue_delete_link (&queue->entries, l);
          queued_fault_free (entry);
        }

      return fault;
    }

  return NULL;
}
