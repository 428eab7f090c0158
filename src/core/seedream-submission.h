/* seedream-submission.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-client.h"
#include "seedream-history.h"
#include "seedream-request.h"
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

#define SEEDREAM_TYPE_SUBMISSION (seedream_submission_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamSubmission, seedream_submission, SEEDREAM, SUBMISSION, GObject)

SeedreamSubmission      *seedream_submission_new              (SeedreamRequest    *request);
SeedreamSubmission      *seedream_submission_new_with_history (SeedreamRequest    *request,
                                                               SeedreamHistory    *history);
SeedreamSubmission      *seedream_submission_new_from_entry   (SeedreamHistoryEntry *entry,
                                                               SeedreamHistory    *history);
SeedreamHistory         *seedream_submission_get_history      (SeedreamSubmission *self);
gint64                   seedream_submission_get_entry_id     (SeedreamSubmission *self);
SeedreamTaskFollower    *seedream_submission_get_follower     (SeedreamSubmission *self);
SeedreamRequest         *seedream_submission_get_request      (SeedreamSubmission *self);
SeedreamSubmissionState  seedream_submission_get_state        (SeedreamSubmission *self);
const char              *seedream_submission_get_task_id      (SeedreamSubmission *self);
const GError            *seedream_submission_get_error        (SeedreamSubmission *self);
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

G_END_DECLS
