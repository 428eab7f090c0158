/* mock-faults.h: the mock server's fault table and its queue of pending faults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MockFaultKind:
 * @MOCK_FAULT_KIND_RESPONSE: answer with the canned status, headers and body of the row
 * @MOCK_FAULT_KIND_HUGE_BODY: answer 200 with a body of 50 MiB, streamed
 * @MOCK_FAULT_KIND_STALL: read the request, then send nothing
 * @MOCK_FAULT_KIND_CLOSE_DURING_UPLOAD: close the connection while the body arrives
 * @MOCK_FAULT_KIND_TASK: the submission succeeds; the task it creates misbehaves
 *   (only submissions take these faults)
 * @MOCK_FAULT_KIND_MISSING_STATUS: an infobytaskid answer, code 1000, whose data
 *   has the task's taskid and starttime but no image_status (other requests
 *   are answered as usual)
 * @MOCK_FAULT_KIND_TRICKLE_ANSWER: read the whole request, then answer 200
 *   a byte at a time, never ending
 * @MOCK_FAULT_KIND_SLOW_ANSWER: read the whole request, then answer it as
 *   usual only after --slow-answer-seconds (other requests go on meanwhile)
 *
 * How a fault is carried out.
 */
typedef enum
{
  MOCK_FAULT_KIND_RESPONSE,
  MOCK_FAULT_KIND_HUGE_BODY,
  MOCK_FAULT_KIND_STALL,
  MOCK_FAULT_KIND_CLOSE_DURING_UPLOAD,
  MOCK_FAULT_KIND_TASK,
  MOCK_FAULT_KIND_MISSING_STATUS,
  MOCK_FAULT_KIND_SLOW_ANSWER,
  MOCK_FAULT_KIND_TRICKLE_ANSWER,
} MockFaultKind;

/**
 * MockTaskFault:
 * @MOCK_TASK_FAULT_NONE: the task runs normally
 * @MOCK_TASK_FAULT_FAILS: the task ends with image_status 4
 * @MOCK_TASK_FAULT_RESULT_404: the task completes; its result URLs answer 404
 * @MOCK_TASK_FAULT_RESULT_NOT_IMAGE: the task completes; its result URLs answer text
 * @MOCK_TASK_FAULT_NO_IMAGES: the task completes (image_status 3) with url []
 * @MOCK_TASK_FAULT_FEWER_IMAGES: the task completes with fewer urls than its
 *   batch size: half, rounded up (so at least 1)
 * @MOCK_TASK_FAULT_FAILS_BARE: the task ends with image_status 4, and its
 *   answer holds only taskid, image_status and error_message
 * @MOCK_TASK_FAULT_MANY_URLS: the task completes with MOCK_FAULT_MANY_URLS
 *   result URLs, whatever was asked
 * @MOCK_TASK_FAULT_RESULT_HUGE: the task completes; its results are far
 *   larger than any image the service makes
 * @MOCK_TASK_FAULT_RESULT_TRICKLE: the task completes; its results come a
 *   byte at a time and never end
 * @MOCK_TASK_FAULT_RESULT_JPEG_PRESIGNED: the task completes; its results are
 *   JPEGs on pre-signed URLs that answer 403 unless their query comes back
 *   byte for byte
 */
typedef enum
{
  MOCK_TASK_FAULT_NONE,
  MOCK_TASK_FAULT_FAILS,
  MOCK_TASK_FAULT_RESULT_404,
  MOCK_TASK_FAULT_RESULT_NOT_IMAGE,
  MOCK_TASK_FAULT_NO_IMAGES,
  MOCK_TASK_FAULT_FEWER_IMAGES,
  MOCK_TASK_FAULT_FAILS_BARE,
  MOCK_TASK_FAULT_RESULT_JPEG_PRESIGNED,
  MOCK_TASK_FAULT_MANY_URLS,
  MOCK_TASK_FAULT_RESULT_HUGE,
  MOCK_TASK_FAULT_RESULT_TRICKLE,
} MockTaskFault;

typedef struct
{
  const char    *name;
  MockFaultKind  kind;
  /* MOCK_FAULT_KIND_RESPONSE: what to send. */
  guint          status;
  const char    *content_type;
  const char    *body;
  const char    *header_name;
  const char    *header_value;
  /* MOCK_FAULT_KIND_TASK: what happens to the task. */
  MockTaskFault  task_fault;
} MockFault;

/* How many URLs a task under many-urls lists (the parser's own limit). */
#define MOCK_FAULT_MANY_URLS 64

/* The size of the result-huge fault's results. */
#define MOCK_FAULT_HUGE_RESULT_SIZE (80 * 1024 * 1024)

/* The size of the huge-body fault's body. */
#define MOCK_FAULT_HUGE_BODY_SIZE (50 * 1024 * 1024)

/* How long the stall fault keeps a request waiting, in seconds. */
#define MOCK_FAULT_STALL_SECONDS 120

/* How long the slow-answer fault waits before it answers, by default. */
#define MOCK_FAULT_SLOW_ANSWER_SECONDS 90

/* The error_message of a task under the task-fails fault. */
#define MOCK_FAULT_TASK_FAILS_MESSAGE "content refused by moderation"

/* The error_message of a task under the fails-bare fault. */
#define MOCK_FAULT_TASK_FAILS_BARE_MESSAGE "source image rejected by the safety check"

const MockFault *mock_fault_lookup     (const char *name);
const char      *mock_fault_list_names (void);

typedef struct _MockFaultQueue MockFaultQueue;

MockFaultQueue  *mock_fault_queue_new   (void);
void             mock_fault_queue_free  (MockFaultQueue  *queue);
void             mock_fault_queue_push  (MockFaultQueue  *queue,
                                         const MockFault *fault,
                                         guint            count,
                                         const char      *path);
void             mock_fault_queue_clear (MockFaultQueue  *queue);
const MockFault *mock_fault_queue_take  (MockFaultQueue  *queue,
                                         const char      *path,
                                         gboolean         is_submission);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockFaultQueue, mock_fault_queue_free)

G_END_DECLS
