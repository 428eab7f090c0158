/* seedream-submission-result.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_SUBMISSION_RESULT (seedream_submission_result_get_type ())

/* One image of a submission's task as the task list shows it: downloaded
 * (file, width, height) or not (error), which never change; and its star
 * (:favourite), which the submission keeps equal to the history's. */
G_DECLARE_FINAL_TYPE (SeedreamSubmissionResult, seedream_submission_result, SEEDREAM, SUBMISSION_RESULT, GObject)

SeedreamSubmissionResult *seedream_submission_result_new        (guint                     index,
                                                                 GFile                    *file,
                                                                 guint                     width,
                                                                 guint                     height,
                                                                 const GError             *error);
guint                     seedream_submission_result_get_index  (SeedreamSubmissionResult *self);
GFile                    *seedream_submission_result_get_file   (SeedreamSubmissionResult *self);
guint                     seedream_submission_result_get_width  (SeedreamSubmissionResult *self);
guint                     seedream_submission_result_get_height (SeedreamSubmissionResult *self);
const GError             *seedream_submission_result_get_error  (SeedreamSubmissionResult *self);
gboolean                  seedream_submission_result_get_favourite (SeedreamSubmissionResult *self);
void                      seedream_submission_result_set_favourite (SeedreamSubmissionResult *self,
                                                                    gboolean                  favourite);

G_END_DECLS
