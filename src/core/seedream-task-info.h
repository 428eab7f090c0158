/* seedream-task-info.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SeedreamTaskState:
 * @SEEDREAM_TASK_STATE_QUEUED: waiting for the service (image_status 1)
 * @SEEDREAM_TASK_STATE_RUNNING: being generated (image_status 2, or a value nobody documented)
 * @SEEDREAM_TASK_STATE_DONE: finished; the result URLs are there (image_status 3)
 * @SEEDREAM_TASK_STATE_FAILED: the service gave up; see the error message (image_status 4)
 */
typedef enum
{
  SEEDREAM_TASK_STATE_QUEUED,
  SEEDREAM_TASK_STATE_RUNNING,
  SEEDREAM_TASK_STATE_DONE,
  SEEDREAM_TASK_STATE_FAILED,
} SeedreamTaskState;

SeedreamTaskState  seedream_task_state_from_image_status (gint64            image_status);
const char        *seedream_task_state_to_string         (SeedreamTaskState state);

#define SEEDREAM_TYPE_TASK_INFO (seedream_task_info_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamTaskInfo, seedream_task_info, SEEDREAM, TASK_INFO, GObject)

SeedreamTaskInfo   *seedream_task_info_new               (const char         *task_id,
                                                          gint64              image_status,
                                                          const char * const *urls,
                                                          guint               width,
                                                          guint               height,
                                                          const char         *start_time,
                                                          const char         *error_message);
const char         *seedream_task_info_get_task_id       (SeedreamTaskInfo   *self);
SeedreamTaskState   seedream_task_info_get_state         (SeedreamTaskInfo   *self);
gint64              seedream_task_info_get_image_status  (SeedreamTaskInfo   *self);
const char * const *seedream_task_info_get_urls          (SeedreamTaskInfo   *self);
guint               seedream_task_info_get_n_urls        (SeedreamTaskInfo   *self);
guint               seedream_task_info_get_width         (SeedreamTaskInfo   *self);
guint               seedream_task_info_get_height        (SeedreamTaskInfo   *self);
const char         *seedream_task_info_get_start_time_string (SeedreamTaskInfo *self);
GDateTime          *seedream_task_info_get_start_time    (SeedreamTaskInfo   *self);
const char         *seedream_task_info_get_error_message (SeedreamTaskInfo   *self);

G_END_DECLS
