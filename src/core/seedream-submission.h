/* seedream-submission.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-client.h"
#include "seedream-enums.h"
#include "seedream-history.h"
#include "seedream-request.h"
#include "seedream-submission-result.h"
#include "seedream-task-follower.h"

G_BEGIN_DECLS

/**
 * SeedreamSubmissionState:
 * @SEEDREAM_SUBMISSION_STATE_UPLOADING: the request is being sent
 * @SEEDREAM_SUBMISSION_STATE_SUBMITTED: the service answered with a task id
 * @SEEDREAM_SUBMISSION_STATE_FAILED: the submission failed; see the error
 * @SEEDREAM_SUBMISSION_STATE_CANCELLED: the person cancelled the upload
 * @SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN: the app stopped while sending
 *   (restored from the history), or the whole request went out and no
 *   usable answer came back; the task may exist, nothing was resent
 */
typedef enum
{
  SEEDREAM_SUBMISSION_STATE_UPLOADING,
  SEEDREAM_SUBMISSION_STATE_SUBMITTED,
  SEEDREAM_SUBMISSION_STATE_FAILED,
  SEEDREAM_SUBMISSION_STATE_CANCELLED,
  SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN,
} SeedreamSubmissionState;

/**
 * SeedreamSubmissionStatus:
 * @SEEDREAM_SUBMISSION_STATUS_UPLOADING: the request is being sent
 * @SEEDREAM_SUBMISSION_STATUS_SUBMITTED: the service gave a task id and
 *   nothing follows it yet (no client to ask with)
 * @SEEDREAM_SUBMISSION_STATUS_QUEUED: the service has the task but has not begun
 * @SEEDREAM_SUBMISSION_STATUS_RUNNING: the service is generating
 * @SEEDREAM_SUBMISSION_STATUS_DOWNLOADING: done on the service; images are coming
 * @SEEDREAM_SUBMISSION_STATUS_DONE: every image is here (some may have
 *   failed: see the results)
 * @SEEDREAM_SUBMISSION_STATUS_FAILED: sending failed, the service failed
 *   the task, or a permanent error stopped the following; see the error
 * @SEEDREAM_SUBMISSION_STATUS_CANCELLED: the person cancelled the upload
 * @SEEDREAM_SUBMISSION_STATUS_OUTCOME_UNKNOWN: the task may or may not exist
 *   (see %SEEDREAM_SUBMISSION_STATE_OUTCOME_UNKNOWN)
 * @SEEDREAM_SUBMISSION_STATUS_STILL_RUNNING: the deadline passed while the
 *   task was still running; refresh() asks again
 * @SEEDREAM_SUBMISSION_STATUS_NO_IMAGES: the service finished the task
 *   without images (most likely it refused the prompt or a source); the
 *   error says so in words. Not a failure, and final.
 *
 * Where a submission stands as the task list shows it: its own state and
 * its task follower's, in one.
 */
typedef enum
{
  SEEDREAM_SUBMISSION_STATUS_UPLOADING,
  SEEDREAM_SUBMISSION_STATUS_SUBMITTED,
  SEEDREAM_SUBMISSION_STATUS_QUEUED,
  SEEDREAM_SUBMISSION_STATUS_RUNNING,
  SEEDREAM_SUBMISSION_STATUS_DOWNLOADING,
  SEEDREAM_SUBMISSION_STATUS_DONE,
  SEEDREAM_SUBMISSION_STATUS_FAILED,
  SEEDREAM_SUBMISSION_STATUS_CANCELLED,
  SEEDREAM_SUBMISSION_STATUS_OUTCOME_UNKNOWN,
  SEEDREAM_SUBMISSION_STATUS_STILL_RUNNING,
  SEEDREAM_SUBMISSION_STATUS_NO_IMAGES,
} SeedreamSubmissionStatus;

#define SEEDREAM_TYPE_SUBMISSION (seedream_submission_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamSubmission, seedream_submission, SEEDREAM, SUBMISSION, GObject)

SeedreamSubmission      *seedream_submission_new              (SeedreamRequest    *request);
SeedreamSubmission      *seedream_submission_new_with_history (SeedreamRequest    *request,
                                                               SeedreamHistory    *history);
SeedreamSubmission      *seedream_submission_new_from_entry   (SeedreamHistoryEntry *entry,
                                                               SeedreamHistory    *history);
SeedreamHistory         *seedream_submission_get_history      (SeedreamSubmission *self);
gint64                   seedream_submission_get_entry_id     (SeedreamSubmission *self);
/* The history row's star (:favourite, notified when the row changes). */
gboolean                 seedream_submission_get_favourite    (SeedreamSubmission *self);
/* The parent's prompt (:parent-prompt, notified when the row changes). */
const char              *seedream_submission_get_parent       (SeedreamSubmission *self,
                                                               gint64             *parent_id);
SeedreamTaskFollower    *seedream_submission_get_follower     (SeedreamSubmission *self);
SeedreamRequest         *seedream_submission_get_request      (SeedreamSubmission *self);
SeedreamSubmissionState  seedream_submission_get_state        (SeedreamSubmission *self);
SeedreamSubmissionStatus seedream_submission_get_status       (SeedreamSubmission *self);
const char              *seedream_submission_get_task_id      (SeedreamSubmission *self);
const GError            *seedream_submission_get_error        (SeedreamSubmission *self);
gint64                   seedream_submission_get_elapsed_seconds (SeedreamSubmission *self);
double                   seedream_submission_get_download_fraction (SeedreamSubmission *self);
guint                    seedream_submission_get_n_expected_results (SeedreamSubmission *self);
GListModel              *seedream_submission_get_results      (SeedreamSubmission *self);
goffset                  seedream_submission_get_bytes_sent   (SeedreamSubmission *self);
goffset                  seedream_submission_get_bytes_total  (SeedreamSubmission *self);
GDateTime               *seedream_submission_get_created      (SeedreamSubmission *self);
char                    *seedream_submission_describe         (SeedreamSubmission *self);
void                     seedream_submission_start            (SeedreamSubmission *self,
                                                               SeedreamClient     *client);
void                     seedream_submission_set_client       (SeedreamSubmission *self,
                                                               SeedreamClient     *client);
void                     seedream_submission_cancel           (SeedreamSubmission *self);
gboolean                 seedream_submission_can_retry        (SeedreamSubmission *self);
gboolean                 seedream_submission_can_refresh      (SeedreamSubmission *self);
gboolean                 seedream_submission_retry            (SeedreamSubmission *self,
                                                               GError            **error);
void                     seedream_submission_refresh          (SeedreamSubmission *self);
gboolean                 seedream_submission_delete_result    (SeedreamSubmission *self,
                                                               guint               index,
                                                               GError            **error);

G_END_DECLS
