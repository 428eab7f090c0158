/* seedream-history-entry.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "seedream-enums.h"
#include "seedream-request.h"

G_BEGIN_DECLS

/**
 * SeedreamHistoryState:
 * @SEEDREAM_HISTORY_STATE_SENDING: written before the request is sent
 * @SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN: the app stopped while sending; the
 *   service may or may not have created the task, and the app did not resend
 * @SEEDREAM_HISTORY_STATE_SEND_FAILED: the service refused the submission or
 *   it never arrived; nothing was created (see the error message)
 * @SEEDREAM_HISTORY_STATE_CANCELLED: the person cancelled the upload
 * @SEEDREAM_HISTORY_STATE_SUBMITTED: the service gave a task id; it is being
 *   followed (or will be at the next start)
 * @SEEDREAM_HISTORY_STATE_DONE: the task finished and its results are recorded
 * @SEEDREAM_HISTORY_STATE_TASK_FAILED: the service reported that the task failed
 * @SEEDREAM_HISTORY_STATE_NO_IMAGES: the service finished the task without
 *   images (most likely it refused the prompt or a source); the error
 *   message says so in words
 *
 * The stored life of one submission. The numbers are written to the
 * database: never renumber them.
 */
typedef enum
{
  SEEDREAM_HISTORY_STATE_SENDING         = 0,
  SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN = 1,
  SEEDREAM_HISTORY_STATE_SEND_FAILED     = 2,
  SEEDREAM_HISTORY_STATE_CANCELLED       = 3,
  SEEDREAM_HISTORY_STATE_SUBMITTED       = 4,
  SEEDREAM_HISTORY_STATE_DONE            = 5,
  SEEDREAM_HISTORY_STATE_TASK_FAILED     = 6,
  SEEDREAM_HISTORY_STATE_NO_IMAGES       = 7,
} SeedreamHistoryState;

const char *seedream_history_state_to_string (SeedreamHistoryState state);
/* Whether the "Failed or Without Images" filter shows a row in @state. */
gboolean    seedream_history_state_is_failed (SeedreamHistoryState state);
/* (array length=n_states): the states above, for SQL. */
const SeedreamHistoryState *seedream_history_get_failed_states (guint *n_states);

/**
 * SeedreamHistoryFilter:
 * @SEEDREAM_HISTORY_FILTER_ALL: every submission
 * @SEEDREAM_HISTORY_FILTER_FAVOURITES: starred submissions, and those with
 *   a starred image
 * @SEEDREAM_HISTORY_FILTER_FAILED: failed ones, and ones without images
 *   (seedream_history_state_is_failed())
 */
typedef enum
{
  SEEDREAM_HISTORY_FILTER_ALL,
  SEEDREAM_HISTORY_FILTER_FAVOURITES,
  SEEDREAM_HISTORY_FILTER_FAILED,
} SeedreamHistoryFilter;

/**
 * SeedreamHistoryResult:
 *
 * One result image of a task: its position in the task's URL list, the URL
 * it came from, and the local copy once downloaded (%NULL before).
 */
typedef struct _SeedreamHistoryResult SeedreamHistoryResult;

#define SEEDREAM_TYPE_HISTORY_RESULT (seedream_history_result_get_type ())

GType                  seedream_history_result_get_type       (void) G_GNUC_CONST;
SeedreamHistoryResult *seedream_history_result_new            (guint                  index,
                                                               const char            *url,
                                                               const char            *local_path,
                                                               guint                  width,
                                                               guint                  height);
SeedreamHistoryResult *seedream_history_result_ref            (SeedreamHistoryResult *self);
void                   seedream_history_result_unref          (SeedreamHistoryResult *self);
guint                  seedream_history_result_get_index      (SeedreamHistoryResult *self);
const char            *seedream_history_result_get_url        (SeedreamHistoryResult *self);
const char            *seedream_history_result_get_local_path (SeedreamHistoryResult *self);
guint                  seedream_history_result_get_width      (SeedreamHistoryResult *self);
guint                  seedream_history_result_get_height     (SeedreamHistoryResult *self);
/* The image's own star (seedream_history_set_result_favourite()). */
gboolean               seedream_history_result_get_favourite  (SeedreamHistoryResult *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SeedreamHistoryResult, seedream_history_result_unref)

#define SEEDREAM_TYPE_HISTORY_ENTRY (seedream_history_entry_get_type ())

G_DECLARE_FINAL_TYPE (SeedreamHistoryEntry, seedream_history_entry, SEEDREAM, HISTORY_ENTRY, GObject)

/* An entry is an immutable snapshot of one row: SeedreamHistory makes them,
 * and a change to the row gives a new entry. */
gint64                 seedream_history_entry_get_id             (SeedreamHistoryEntry *self);
GDateTime             *seedream_history_entry_get_created        (SeedreamHistoryEntry *self);
const char            *seedream_history_entry_get_prompt         (SeedreamHistoryEntry *self);
const char            *seedream_history_entry_get_resolution     (SeedreamHistoryEntry *self);
guint                  seedream_history_entry_get_batch_size     (SeedreamHistoryEntry *self);
const char            *seedream_history_entry_get_image_url      (SeedreamHistoryEntry *self);
/* Paths of the app's own copies of the source images, in order. */
const char * const    *seedream_history_entry_get_source_paths   (SeedreamHistoryEntry *self);
SeedreamHistoryState   seedream_history_entry_get_state          (SeedreamHistoryEntry *self);
const char            *seedream_history_entry_get_task_id        (SeedreamHistoryEntry *self);
/* The app's message in words, and the service's own msg when it sent one. */
const char            *seedream_history_entry_get_error_message  (SeedreamHistoryEntry *self);
const char            *seedream_history_entry_get_server_message (SeedreamHistoryEntry *self);
/* (element-type SeedreamHistoryResult), ordered by index; never NULL */
GPtrArray             *seedream_history_entry_get_results        (SeedreamHistoryEntry *self);
/* What was asked for (model, prompt, resolution, batch size, image URL and
 * the source copies); owned by the entry, not to be changed. The prompt,
 * resolution, batch size and image URL getters above read it. */
SeedreamRequest       *seedream_history_entry_get_request        (SeedreamHistoryEntry *self);
/* A new request with this entry's settings and sources, for "Reuse". */
SeedreamRequest       *seedream_history_entry_to_request         (SeedreamHistoryEntry *self);
gboolean               seedream_history_entry_get_favourite      (SeedreamHistoryEntry *self);
/* Whether one of its images is starred (which the Favourites filter shows). */
gboolean               seedream_history_entry_has_favourite_result (SeedreamHistoryEntry *self);
/* The result this submission was made from: the first source image that
 * was a result ("Use as Source"). FALSE for rows from before lineage. */
gboolean               seedream_history_entry_get_parent         (SeedreamHistoryEntry *self,
                                                                  gint64               *entry_id,
                                                                  guint                *index);
const char            *seedream_history_entry_get_parent_prompt  (SeedreamHistoryEntry *self);
guint                  seedream_history_entry_get_n_children     (SeedreamHistoryEntry *self);
/* The same test as seedream_history_find_async(), in C: the prompt contains
 * @search (folded), the row passes @filter, and its model is @model_id
 * (%NULL: any model). */
gboolean               seedream_history_entry_matches            (SeedreamHistoryEntry *self,
                                                                  const char           *search,
                                                                  SeedreamHistoryFilter filter,
                                                                  const char           *model_id);

G_END_DECLS
