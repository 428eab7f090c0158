/* seedream-task-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-submission.h"

G_BEGIN_DECLS

#define SEEDREAM_TYPE_TASK_ROW (seedream_task_row_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamTaskRow, seedream_task_row, SEEDREAM, TASK_ROW, GtkListBoxRow)

GtkWidget          *seedream_task_row_new            (SeedreamSubmission *submission);
SeedreamSubmission *seedream_task_row_get_submission (SeedreamTaskRow    *self);

G_END_DECLS
