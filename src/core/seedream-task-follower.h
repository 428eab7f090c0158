/* seedream-task-follower.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-client.h"
#include "seedream-enums.h"
#include "seedream-request.h"
#include "seedream-task-info.h"

G_BEGIN_DECLS

/**
 * SeedreamFollowState:
 * @SEEDREAM_FOLLOW_STATE_IDLE: not started
 * @SEEDREAM_FOLLOW_STATE_QUEUED: the service has the task but has not begun
 * @SEEDREAM_FOLLOW_STATE_RUNNING: the service is generating
 * @SEEDREAM_FOLLOW_STATE_DOWNLOADING: done on the service; images are coming
 * @SEEDREAM_FOLLOW_STATE_DONE: every image is here (some may have failed,
 *   see ::result-failed)
 * @SEEDREAM_FOLLOW_STATE_FAILED: the service says the task failed, or a
 *   permanent error (authentication, bad response) stopped the following;
 *   see the error
 * @SEEDREAM_FOLLOW_STATE_STOPPED: the deadline passed while the task was
 *   still running: "still running, check later"; refresh() starts again
 * @SEEDREAM_FOLLOW_STATE_NO_IMAGES: the service finished the task and
 *   listed no images (most likely it refused the prompt or a source); the
 *   error (%SEEDREAM_ERROR_NO_IMAGES) says so in words. Final.
 */
typedef enum
{
  SEEDREAM_FOLLOW_STATE_IDLE,
  SEEDREAM_FOLLOW_STATE_QUEUED,
  SEEDREAM_FOLLOW_STATE_RUNNING,
  SEEDREAM_FOLLOW_STATE_DOWNLOADING,
  SEEDREAM_FOLLOW_STATE_DONE,
  SEEDREAM_FOLLOW_STATE_FAILED,
  SEEDREAM_FOLLOW_STATE_STOPPED,
  SEEDREAM_FOLLOW_STATE_NO_IMAGES,
} SeedreamFollowState;

/* Polling starts near 2 s and grows to about 10 s; following stops after
 * 15 minutes without a result. Tests shorten these with the properties. */
#define SEEDREAM_TASK_FOLLOWER_DEFAULT_INITIAL_INTERVAL_MS 2000
#define SEEDREAM_TASK_FOLLOWER_DEFAULT_MAX_INTERVAL_MS     10000
#define SEEDREAM_TASK_FOLLOWER_DEFAULT_DEADLINE_SECONDS    (15 * 60)

#define SEEDREAM_TYPE_TASK_FOLLOWER (seedream_task_follower_get_type ())

/* Follows one task id until its images are on disk.
 *
 * Properties: client, task-id, results-dir (construct-only), state, error
 * (boxed GError, nullable), initial-interval-ms, max-interval-ms,
 * deadline-seconds, download-fraction (0..1 over all images).
 *
 * Signals:
 *   ::result-ready  (guint index, GFile *file, guint width, guint height)
 *       one image was downloaded to results-dir/<index>.<ext> (extension from
 *       the sniffed content) and checked to be an image
 *   ::result-failed (guint index, GError *error)
 *       one image could not be downloaded or is not an image; the others
 *       continue
 *
 * Temporary errors while polling (network, timeout, 5xx, 429, any code
 * other than 1000, an answer that does not parse or lacks fields; see
 * seedream_error_is_temporary_while_following()) are retried quietly until
 * the deadline; a permanent one (401/403, 404) ends in FAILED. */
G_DECLARE_FINAL_TYPE (SeedreamTaskFollower, seedream_task_follower, SEEDREAM, TASK_FOLLOWER, GObject)

SeedreamTaskFollower *seedream_task_follower_new                   (SeedreamClient       *client,
                                                                    const char           *task_id,
                                                                    GFile                *results_dir);
void                  seedream_task_follower_set_client            (SeedreamTaskFollower *self,
                                                                    SeedreamClient       *client);
void                  seedream_task_follower_set_request           (SeedreamTaskFollower *self,
                                                                    SeedreamRequest      *request);
const char           *seedream_task_follower_get_task_id           (SeedreamTaskFollower *self);
GFile                *seedream_task_follower_get_results_dir       (SeedreamTaskFollower *self);
SeedreamFollowState   seedream_task_follower_get_state             (SeedreamTaskFollower *self);
const GError         *seedream_task_follower_get_error             (SeedreamTaskFollower *self);
/* The last answer from the service, or NULL before the first. */
SeedreamTaskInfo     *seedream_task_follower_get_task_info         (SeedreamTaskFollower *self);
/* Seconds since the service started the task (its start time), or since
 * following began when the service gave none. */
gint64                seedream_task_follower_get_elapsed_seconds   (SeedreamTaskFollower *self);
double                seedream_task_follower_get_download_fraction (SeedreamTaskFollower *self);
/* When the request was sent (real time, µs): the service cannot have
 * started the task before it. 0 (the default) when not known. */
void                  seedream_task_follower_set_submitted_time    (SeedreamTaskFollower *self,
                                                                    gint64                real_time);
void                  seedream_task_follower_set_max_results       (SeedreamTaskFollower *self,
                                                                    guint                 max_results);

guint                 seedream_task_follower_get_initial_interval_ms (SeedreamTaskFollower *self);
void                  seedream_task_follower_set_initial_interval_ms (SeedreamTaskFollower *self,
                                                                      guint                 ms);
guint                 seedream_task_follower_get_max_interval_ms   (SeedreamTaskFollower *self);
void                  seedream_task_follower_set_max_interval_ms   (SeedreamTaskFollower *self,
                                                                    guint                 ms);
guint                 seedream_task_follower_get_deadline_seconds  (SeedreamTaskFollower *self);
void                  seedream_task_follower_set_deadline_seconds  (SeedreamTaskFollower *self,
                                                                    guint                 seconds);

/* start() begins polling at once; refresh() starts again after STOPPED or
 * FAILED (a new deadline); cancel() stops everything and leaves the state
 * as it was. */
void                  seedream_task_follower_start                 (SeedreamTaskFollower *self);
void                  seedream_task_follower_refresh               (SeedreamTaskFollower *self);
void                  seedream_task_follower_cancel                (SeedreamTaskFollower *self);

G_END_DECLS
