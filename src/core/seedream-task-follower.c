/* seedream-task-follower.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Follows one task id until its images are on disk: polls the service with
 * a growing interval, downloads the results into a folder of their own and
 * checks that each one is an image.
 *
 * Rules this file keeps:
 * - Every asynchronous call gets the follower's GCancellable of the moment.
 *   The callbacks get an Op that holds that cancellable (not the follower):
 *   they look at it first and, if it was cancelled, touch nothing else. So
 *   cancel() and dispose() silence everything at once, and a callback that
 *   arrives after the follower is gone is harmless.
 * - Temporary query failures (seedream_error_is_temporary_while_following():
 *   the service's loose answers included) are retried quietly; the
 *   follower gives up only at the deadline (STOPPED) or on a permanent
 *   failure (FAILED). A task done with no images is NO_IMAGES, not FAILED.
 * - A result goes to "<index>.part" first and gets its real name
 *   "<index>.<ext>" (from its first bytes) only once it is known to be an
 *   image. An image already there under its real name is not fetched again.
 *   The client checks the download and moves it (see
 *   seedream_client_download_image_async()); the follower only names it.
 * - Looking for images already there (reading heads) happens in a worker
 *   thread.
 */

#define G_LOG_DOMAIN "seedream-task-follower"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-error.h"
#include "seedream-image-info.h"
#include "seedream-image-metadata.h"
#include "seedream-task-follower.h"

/* Results downloaded at the same time. */
#define MAX_PARALLEL_DOWNLOADS 2

/* Each wait is about this much longer than the one before, up to
 * max-interval-ms, and moved by up to JITTER either way. */
#define INTERVAL_GROWTH 1.5
#define INTERVAL_JITTER 0.1

/* A Retry-After longer than this is not waited for in one go. */
#define MAX_RETRY_AFTER_MS (10 * 60 * 1000)

/* The file formats a result may come in, by sniffed type. */
static const struct {
  const char *mime_type;
  const char *extension;
} result_formats[] = {
  { "image/png", "png" },
  { "image/jpeg", "jpg" },
  { "image/webp", "webp" },
  { "image/gif", "gif" },
  { "image/bmp", "bmp" },
  { "image/tiff", "tiff" },
};

typedef struct
{
  guint    index;
  char    *url;
  goffset  received;
  goffset  total;
  gboolean started;
  gboolean settled;
} Job;

struct _SeedreamTaskFollower
{
  GObject              parent_instance;

  SeedreamClient      *client;
  char                *task_id;
  GFile               *results_dir;
  /* What each downloaded result gets written into it; may be NULL. */
  SeedreamRequest     *request;

  SeedreamFollowState  state;
  GError              *error;
  SeedreamTaskInfo    *info;
  double               download_fraction;

  guint                initial_interval_ms;
  guint                max_interval_ms;
  guint                deadline_seconds;

  /* The work of the current run; NULL when nothing runs. */
  GCancellable        *cancellable;
  guint                poll_id;
  guint                deadline_id;
  guint                interval_ms;
  /* The last poll failed transiently: said if the deadline passes. */
  GError              *last_transient;

  /* Real time (µs) when following began, and when the service said the
   * task ended (0 while it runs). */
  gint64               follow_started;
  gint64               task_ended;
  /* Real time (µs) the request was sent, 0 if not known. */
  gint64               submitted;
  guint                max_results;

  GArray              *jobs;
  guint                n_active;
  guint                n_settled;
};

G_DEFINE_FINAL_TYPE (SeedreamTaskFollower, seedream_task_follower, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_TASK_ID,
  PROP_RESULTS_DIR,
  PROP_STATE,
  PROP_ERROR,
  PROP_INITIAL_INTERVAL_MS,
  PROP_MAX_INTERVAL_MS,
  PROP_DEADLINE_SECONDS,
  PROP_DOWNLOAD_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RESULT_READY,
  RESULT_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void seedream_task_follower_poll (SeedreamTaskFollower *self);
static void seedream_task_follower_next_downloads (SeedreamTaskFollower *self);

/* Ops: what an asynchronous callback may hold {{{1 */

typedef struct
{
  /* Not a reference: only used while @cancellable is not cancelled, and
   * dispose() cancels it. */
  SeedreamTaskFollower *self;
  GCancellable         *cancellable;
  guint                 index;
} Op;

static void
op_clear (gpointer data)
{
  Op *op = data;

  g_clear_object (&op->cancellable);
}

static Op *
op_new (SeedreamTaskFollower *self,
        guint                 index)
{
  Op *op = g_rc_box_new0 (Op);

  op->self = self;
  op->cancellable = g_object_ref (self->cancellable);
  op->index = index;

  return op;
}

static Op *
op_ref (Op *op)
{
  return g_rc_box_acquire (op);
}

static void
op_unref (gpointer op)
{
  g_rc_box_release_full (op, op_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_unref)

/* Returns the follower if the op still counts, else NULL. */
static SeedreamTaskFollower *
op_get_follower (Op *op)
{
  if (g_cancellable_is_cancelled (op->cancellable))
    return NULL;

  return op->self;
}

/* State {{{1 */

static void
set_state (SeedreamTaskFollower *self,
           SeedreamFollowState   state)
{
  if (self->state == state)
    return;

  g_debug ("Task %s: state %d -> %d", self->task_id, (int) self->state, (int) state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Takes @error (nullable). */
static void
set_error (SeedreamTaskFollower *self,
           GError               *error)
{
  if (self->error == NULL && error == NULL)
    return;

  if (self->error != NULL && error != NULL &&
      self->error->domain == error->domain &&
      self->error->code == error->code &&
      g_strcmp0 (self->error->message, error->message) == 0)
    {
      g_error_free (error);
      return;
    }

  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_download_fraction (SeedreamTaskFollower *self,
                       double                fraction)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (self->download_fraction == fraction)
    return;

  self->download_fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_FRACTION]);
}

/* Drops the work of the current run; the state stays. */
static void
stop_run (SeedreamTaskFollower *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->deadline_id, g_source_remove);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  g_clear_error (&self->last_transient);
  g_clear_pointer (&self->jobs, g_array_unref);
  self->n_active = 0;
  self->n_settled = 0;
}

/* Ends the run in FAILED with @error (taken). */
static void
fail (SeedreamTaskFollower *self,
      GError               *error)
{
  g_debug ("Task %s: following failed: %s", self->task_id, error->message);

  stop_run (self);
  set_error (self, error);
  set_state (self, SEEDREAM_FOLLOW_STATE_FAILED);
}

/* Downloads {{{1 */

static const char *
extension_for (const char *mime_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (result_formats); i++)
    {
      if (g_strcmp0 (result_formats[i].mime_type, mime_type) == 0)
        return result_formats[i].extension;
    }

  return NULL;
}

static GFile *
result_file (GFile      *dir,
             guint       index,
             const char *extension)
{
  g_autofree char *name = g_strdup_printf ("%u.%s", index, extension);

  return g_file_get_child (dir, name);
}

/* What the worker thread found out about a file. */
typedef struct
{
  GFile *dir;
  guint  index;
  GFile *file;
  guint  width;
  guint  height;
} Inspection;

static void
inspection_free (gpointer data)
{
  Inspection *in = data;

  g_clear_object (&in->dir);
  g_clear_object (&in->file);
  g_free (in);
}

/* Reads the head of @file. Returns NULL with @error set if it cannot be
 * read (G_IO_ERROR_NOT_FOUND if it is not there). */
static GBytes *
read_head (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) in = NULL;

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return NULL;

  return g_input_stream_read_bytes (G_INPUT_STREAM (in), SEEDREAM_IMAGE_SNIFF_BYTES,
                                    cancellable, error);
}

static const char *
inspect_head (GBytes *head,
              guint  *width,
              guint  *height)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (head, &len);
  const char *mime_type;

  *width = 0;
  *height = 0;

  if (len == 0)
    return NULL;

  mime_type = seedream_image_sniff_mime_type (data, len);
  if (mime_type == NULL || extension_for (mime_type) == NULL)
    return NULL;

  if (!seedream_image_read_dimensions (data, len, width, height))
    {
      *width = 0;
      *height = 0;
    }

  return mime_type;
}

/* Thread: an image already saved for this index, from an earlier run. */
static void
find_existing_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Inspection *in = task_data;

  for (guint i = 0; i < G_N_ELEMENTS (result_formats); i++)
    {
      g_autoptr(GFile) file = result_file (in->dir, in->index, result_formats[i].extension);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) head = read_head (file, cancellable, &error);

      if (head == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            g_debug ("Could not read %s: %s", g_file_peek_path (file), error->message);
          continue;
        }

      if (inspect_head (head, &in->width, &in->height) != NULL)
        {
          in->file = g_steal_pointer (&file);
          break;
        }

      g_debug ("%s is not an image; fetching it again", g_file_peek_path (file));
    }

  g_task_return_boolean (task, in->file != NULL);
}

static GError *
new_not_an_image_error (guint index)
{
  return seedream_error_new_full (SEEDREAM_ERROR_BAD_RESPONSE, 0, 0, NULL,
                                  _("Result image %u is not an image: the file host sent something else. Generate the image again; if this keeps happening, the service may have a problem."),
                                  index + 1);
}

/* The name of a download, once the client knows its type: NULL for a
 * type that is not a result format (the client then refuses it). */
static GFile *
result_file_for_type (GFile      *part,
                      const char *mime_type,
                      gpointer    user_data)
{
  const char *extension = extension_for (mime_type);
  g_autoptr(GFile) dir = NULL;

  if (extension == NULL)
    return NULL;

  dir = g_file_get_parent (part);

  return result_file (dir, GPOINTER_TO_UINT (user_data), extension);
}

static void
update_download_fraction (SeedreamTaskFollower *self)
{
  double sum = 0.0;

  if (self->jobs == NULL || self->jobs->len == 0)
    return;

  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = &g_array_index (self->jobs, Job, i);

      if (job->settled)
        sum += 1.0;
      else if (job->total > 0)
        sum += MIN ((double) job->received / (double) job->total, 1.0);
    }

  set_download_fraction (self, sum / self->jobs->len);
}

static void
job_settled (SeedreamTaskFollower *self,
             guint                 index,
             GFile                *file,
             guint                 width,
             guint                 height,
             const GError         *error)
{
  g_autoptr(GObject) keep = g_object_ref (G_OBJECT (self));
  g_autoptr(GCancellable) cancellable = g_object_ref (self->cancellable);
  Job *job = &g_array_index (self->jobs, Job, index);

  g_assert (!job->settled);
  job->settled = TRUE;
  self->n_active--;
  self->n_settled++;
  update_download_fraction (self);

  if (file != NULL)
    {
      g_debug ("Task %s: result %u is %s (%ux%u)", self->task_id, index,
               g_file_peek_path (file), width, height);
      g_signal_emit (self, signals[RESULT_READY], 0, index, file, width, height);
    }
  else
    {
      g_debug ("Task %s: result %u failed: %s", self->task_id, index, error->message);
      g_signal_emit (self, signals[RESULT_FAILED], 0, index, error);
    }

  /* A handler may have cancelled or restarted the follower. */
  if (g_cancellable_is_cancelled (cancellable))
    return;

  if (self->n_settled == self->jobs->len)
    {
      g_debug ("Task %s: all %u results settled", self->task_id, self->jobs->len);
      stop_run (self);
      set_download_fraction (self, 1.0);
      set_state (self, SEEDREAM_FOLLOW_STATE_DONE);
      return;
    }

  seedream_task_follower_next_downloads (self);
}

/* The client's own errors, said about one image of several. */
static GError *
new_download_error (guint         index,
                    const GError *error)
{
  if (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_RESULT_TOO_LARGE))
    return seedream_error_new_full (SEEDREAM_ERROR_RESULT_TOO_LARGE, 0, 0, NULL,
                                    _("Result image %u was refused: %s"), index + 1, error->message);

  if (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_BAD_RESPONSE) &&
      seedream_error_get_http_status (error) == 0)
    return new_not_an_image_error (index);

  if (error->domain == SEEDREAM_ERROR)
    return seedream_error_new_full ((SeedreamError) error->code,
                                    seedream_error_get_http_status (error),
                                    seedream_error_get_retry_after (error),
                                    seedream_error_get_server_message (error),
                                    _("Result image %u: %s"), index + 1, error->message);

  return seedream_error_new_full (SEEDREAM_ERROR_NETWORK, 0, 0, NULL,
                                  _("Result image %u: %s"), index + 1, error->message);
}

/* Writing the metadata into a result, off the main loop, before it is
 * handed over {{{1 */

typedef struct
{
  Op    *op;
  GFile *file;
  guint  width;
  guint  height;
} Stamp;

static void
stamp_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Stamp *stamp = user_data;
  SeedreamTaskFollower *self = op_get_follower (stamp->op);
  g_autoptr(GError) error = NULL;

  /* Without its metadata the image is still kept and shown. */
  if (!seedream_image_metadata_write_finish (SEEDREAM_IMAGE_METADATA (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        g_message ("%s keeps no metadata: %s", g_file_peek_path (stamp->file), error->message);
      else if (self != NULL)
        g_warning ("Could not write the metadata of %s: %s", g_file_peek_path (stamp->file), error->message);
    }

  if (self != NULL)
    job_settled (self, stamp->op->index, stamp->file, stamp->width, stamp->height, NULL);

  op_unref (stamp->op);
  g_object_unref (stamp->file);
  g_free (stamp);
}

static void
stamp_result (SeedreamTaskFollower *self,
              Op                   *op,
              GFile                *file,
              guint                 width,
              guint                 height)
{
  g_autoptr(SeedreamImageMetadata) metadata = NULL;
  Stamp *stamp;

  if (self->request == NULL)
    {
      job_settled (self, op->index, file, width, height, NULL);
      return;
    }

  stamp = g_new0 (Stamp, 1);
  stamp->op = op_ref (op);
  stamp->file = g_object_ref (file);
  stamp->width = width;
  stamp->height = height;

  metadata = seedream_image_metadata_new_for_request (self->request, self->task_id, op->index, NULL);
  seedream_image_metadata_write_async (metadata, file, self->cancellable, stamp_cb, stamp);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SeedreamTaskFollower *self = op_get_follower (op);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  guint width = 0;
  guint height = 0;

  file = seedream_client_download_image_finish (SEEDREAM_CLIENT (object), result,
                                                &width, &height, &error);

  if (self == NULL)
    return;

  if (file == NULL)
    {
      g_autoptr(GError) failure = new_download_error (op->index, error);

      job_settled (self, op->index, NULL, 0, 0, failure);
      return;
    }

  stamp_result (self, op, file, width, height);
}

static void
download_progress_cb (goffset  done,
                      goffset  total,
                      gpointer user_data)
{
  Op *op = user_data;
  SeedreamTaskFollower *self = op_get_follower (op);
  Job *job;

  if (self == NULL || self->jobs == NULL)
    return;

  job = &g_array_index (self->jobs, Job, op->index);
  job->received = done;
  job->total = total;
  update_download_fraction (self);
}

static void
find_existing_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SeedreamTaskFollower *self = op_get_follower (op);
  Inspection *in = g_task_get_task_data (G_TASK (result));
  g_autofree char *part_name = NULL;
  g_autoptr(GFile) part = NULL;
  Job *job;

  if (self == NULL)
    return;

  if (g_task_propagate_boolean (G_TASK (result), NULL))
    {
      g_debug ("Task %s: result %u is already here", self->task_id, op->index);
      job_settled (self, op->index, in->file, in->width, in->height, NULL);
      return;
    }

  job = &g_array_index (self->jobs, Job, op->index);
  part_name = g_strdup_printf ("%u.part", op->index);
  part = g_file_get_child (self->results_dir, part_name);

  seedream_client_download_image_async (self->client, job->url, part,
                                        result_file_for_type, GUINT_TO_POINTER (op->index),
                                        download_progress_cb, op_ref (op), op_unref,
                                        self->cancellable,
                                        download_cb, op_ref (op));
}

static void
start_job (SeedreamTaskFollower *self,
           Job                  *job)
{
  g_autoptr(GTask) task = NULL;
  Inspection *in;

  job->started = TRUE;
  self->n_active++;

  in = g_new0 (Inspection, 1);
  in->dir = g_object_ref (self->results_dir);
  in->index = job->index;

  task = g_task_new (NULL, self->cancellable, find_existing_cb, op_new (self, job->index));
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, in, inspection_free);
  g_task_run_in_thread (task, find_existing_thread);
}

static void
seedream_task_follower_next_downloads (SeedreamTaskFollower *self)
{
  for (guint i = 0; i < self->jobs->len && self->n_active < MAX_PARALLEL_DOWNLOADS; i++)
    {
      Job *job = &g_array_index (self->jobs, Job, i);

      if (!job->started)
        start_job (self, job);
    }
}

static void
job_clear (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->url, g_free);
}

static void
start_downloads (SeedreamTaskFollower *self)
{
  const char * const *urls = seedream_task_info_get_urls (self->info);
  guint n_urls = seedream_task_info_get_n_urls (self->info);
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GError) error = NULL;

  /* The deadline is for the service; downloads have their own timeouts. */
  g_clear_handle_id (&self->deadline_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_error (&self->last_transient);

  if (self->max_results > 0 && n_urls > self->max_results)
    {
      g_debug ("Task %s: %u result URLs for %u images asked; fetching %u",
               self->task_id, n_urls, self->max_results, self->max_results);
      n_urls = self->max_results;
    }

  /* Finished, nothing to fetch: an outcome of its own, not a failure. */
  if (n_urls == 0)
    {
      g_debug ("Task %s: finished without images", self->task_id);
      stop_run (self);
      set_error (self, seedream_error_new_no_images ());
      set_state (self, SEEDREAM_FOLLOW_STATE_NO_IMAGES);
      return;
    }

  if (!g_file_make_directory_with_parents (self->results_dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *name = g_file_get_parse_name (self->results_dir);

      fail (self, seedream_error_new_full (SEEDREAM_ERROR_SAVE_FAILED, 0, 0, NULL,
                                           _("Could not make the folder %s for the images: %s. Check that there is space and that the folder can be written."),
                                           name, error->message));
      return;
    }

  g_clear_pointer (&self->jobs, g_array_unref);
  self->jobs = g_array_sized_new (FALSE, TRUE, sizeof (Job), n_urls);
  g_array_set_clear_func (self->jobs, job_clear);
  for (guint i = 0; i < n_urls; i++)
    {
      Job job = { 0, };

      job.index = i;
      job.url = g_strdup (urls[i]);
      job.total = -1;
      g_array_append_val (self->jobs, job);
    }
  self->n_active = 0;
  self->n_settled = 0;

  cancellable = g_object_ref (self->cancellable);
  set_download_fraction (self, 0.0);
  set_state (self, SEEDREAM_FOLLOW_STATE_DOWNLOADING);

  /* A handler may have cancelled or restarted the follower. */
  if (!g_cancellable_is_cancelled (cancellable))
    seedream_task_follower_next_downloads (self);
}

/* Polling {{{1 */

static gboolean
poll_timeout_cb (gpointer user_data)
{
  SeedreamTaskFollower *self = user_data;

  self->poll_id = 0;
  seedream_task_follower_poll (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (SeedreamTaskFollower *self,
               guint                 retry_after_seconds)
{
  double jitter = g_random_double_range (1.0 - INTERVAL_JITTER, 1.0 + INTERVAL_JITTER);
  guint delay = (guint) MAX (1.0, self->interval_ms * jitter);
  guint64 retry_after_ms = (guint64) retry_after_seconds * 1000;

  if (retry_after_ms > delay)
    delay = (guint) MIN (retry_after_ms, MAX_RETRY_AFTER_MS);

  g_debug ("Task %s: asking again in %u ms", self->task_id, delay);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->poll_id = g_timeout_add (delay, poll_timeout_cb, self);

  self->interval_ms = (guint) MIN ((double) self->max_interval_ms,
                                   self->interval_ms * INTERVAL_GROWTH);
  self->interval_ms = MAX (self->interval_ms, 1);
}

static void
query_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  SeedreamTaskFollower *self = op_get_follower (op);
  g_autoptr(SeedreamTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = seedream_client_query_task_finish (SEEDREAM_CLIENT (object), result, &error);

  if (self == NULL)
    return;

  if (info == NULL)
    {
      /* The task exists and is paid for: only what a retry cannot change
       * (a refused key) ends the following. */
      if (seedream_error_is_temporary_while_following (error))
        {
          g_debug ("Task %s: asking failed (%s); trying again", self->task_id, error->message);
          schedule_poll (self, seedream_error_get_retry_after (error));
          g_clear_error (&self->last_transient);
          self->last_transient = g_steal_pointer (&error);
          return;
        }

      fail (self, g_steal_pointer (&error));
      return;
    }

  g_clear_error (&self->last_transient);
  g_set_object (&self->info, info);

  switch (seedream_task_info_get_state (info))
    {
    case SEEDREAM_TASK_STATE_QUEUED:
      set_state (self, SEEDREAM_FOLLOW_STATE_QUEUED);
      break;

    case SEEDREAM_TASK_STATE_RUNNING:
      set_state (self, SEEDREAM_FOLLOW_STATE_RUNNING);
      break;

    case SEEDREAM_TASK_STATE_DONE:
      if (self->task_ended == 0)
        self->task_ended = g_get_real_time ();
      start_downloads (self);
      return;

    case SEEDREAM_TASK_STATE_FAILED:
      if (self->task_ended == 0)
        self->task_ended = g_get_real_time ();
      fail (self, seedream_error_new_task_failed (seedream_task_info_get_error_message (info)));
      return;

    default:
      set_state (self, SEEDREAM_FOLLOW_STATE_RUNNING);
      break;
    }

  /* A handler may have cancelled or restarted the follower. */
  if (op_get_follower (op) == NULL || self->poll_id != 0)
    return;

  schedule_poll (self, 0);
}

static void
seedream_task_follower_poll (SeedreamTaskFollower *self)
{
  g_debug ("Task %s: asking the service", self->task_id);

  seedream_client_query_task_async (self->client, self->task_id, self->cancellable,
                                    query_cb, op_new (self, 0));
}

static gboolean
deadline_cb (gpointer user_data)
{
  SeedreamTaskFollower *self = user_data;
  g_autoptr(GError) last = NULL;

  self->deadline_id = 0;

  g_debug ("Task %s: no result after %u s; stopping", self->task_id, self->deadline_seconds);

  last = g_steal_pointer (&self->last_transient);
  stop_run (self);
  set_error (self, g_steal_pointer (&last));
  set_state (self, SEEDREAM_FOLLOW_STATE_STOPPED);

  return G_SOURCE_REMOVE;
}

static void
begin_run (SeedreamTaskFollower *self)
{
  SeedreamFollowState state = SEEDREAM_FOLLOW_STATE_QUEUED;
  g_autoptr(GCancellable) cancellable = NULL;

  stop_run (self);

  self->cancellable = g_cancellable_new ();
  self->interval_ms = MAX (self->initial_interval_ms, 1);
  if (self->follow_started == 0)
    self->follow_started = g_get_real_time ();

  if (self->deadline_seconds > 0)
    self->deadline_id = g_timeout_add ((guint) MIN ((guint64) self->deadline_seconds * 1000, G_MAXUINT),
                                       deadline_cb, self);

  if (self->info != NULL && seedream_task_info_get_state (self->info) != SEEDREAM_TASK_STATE_QUEUED)
    state = SEEDREAM_FOLLOW_STATE_RUNNING;

  cancellable = g_object_ref (self->cancellable);
  set_error (self, NULL);
  set_state (self, state);

  /* A handler may have cancelled or restarted the follower. */
  if (!g_cancellable_is_cancelled (cancellable))
    seedream_task_follower_poll (self);
}

/* Public API {{{1 */

/**
 * seedream_task_follower_new:
 * @client: the client to ask through
 * @task_id: the task to follow
 * @results_dir: the folder for this task's images (made when needed)
 *
 * Returns: (transfer full): a follower in %SEEDREAM_FOLLOW_STATE_IDLE; call
 *   seedream_task_follower_start()
 */
SeedreamTaskFollower *
seedream_task_follower_new (SeedreamClient *client,
                            const char     *task_id,
                            GFile          *results_dir)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (results_dir), NULL);

  return g_object_new (SEEDREAM_TYPE_TASK_FOLLOWER,
                       "client", client,
                       "task-id", task_id,
                       "results-dir", results_dir,
                       NULL);
}

/**
 * seedream_task_follower_set_client:
 * @client: the client to ask through from now on
 *
 * The person replaced the API key (a revoked one, say): the next query and
 * download go through @client. A request already under way ends with the
 * client it started with.
 */
void
seedream_task_follower_set_client (SeedreamTaskFollower *self,
                                   SeedreamClient       *client)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));
  g_return_if_fail (SEEDREAM_IS_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * seedream_task_follower_set_request:
 * @request: (nullable): what was asked for; each result downloaded from now
 *   on gets it written into it (seedream-image-metadata.c) before
 *   ::result-ready
 */
void
seedream_task_follower_set_request (SeedreamTaskFollower *self,
                                    SeedreamRequest      *request)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));

  g_set_object (&self->request, request);
}

const char *
seedream_task_follower_get_task_id (SeedreamTaskFollower *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), NULL);

  return self->task_id;
}

GFile *
seedream_task_follower_get_results_dir (SeedreamTaskFollower *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), NULL);

  return self->results_dir;
}

SeedreamFollowState
seedream_task_follower_get_state (SeedreamTaskFollower *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), SEEDREAM_FOLLOW_STATE_IDLE);

  return self->state;
}

/**
 * seedream_task_follower_get_error:
 *
 * In %SEEDREAM_FOLLOW_STATE_FAILED, why. In %SEEDREAM_FOLLOW_STATE_STOPPED,
 * the transient error of the last attempt if it failed (so the UI can say
 * that the service could not be reached), else %NULL: the task was simply
 * still running.
 *
 * Returns: (nullable) (transfer none): the error, or %NULL
 */
const GError *
seedream_task_follower_get_error (SeedreamTaskFollower *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), NULL);

  return self->error;
}

/**
 * seedream_task_follower_get_task_info:
 *
 * Returns: (nullable) (transfer none): the last answer from the service
 */
SeedreamTaskInfo *
seedream_task_follower_get_task_info (SeedreamTaskFollower *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), NULL);

  return self->info;
}

/**
 * seedream_task_follower_get_elapsed_seconds:
 *
 * Counts from the service's start time (read as UTC+8, see
 * seedream_task_info_get_start_time()) when it gave one, else from the
 * first start(). The start is clamped into what can be true: not before
 * the request was sent (seedream_task_follower_set_submitted_time()) and
 * not after following began (the task id came back by then), so a clock
 * that differs from ours cannot make the time negative or hours long.
 * Stops counting once the service said the task ended.
 *
 * Returns: the seconds, 0 before start()
 */
gint64
seedream_task_follower_get_elapsed_seconds (SeedreamTaskFollower *self)
{
  gint64 now;
  gint64 begin;

  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), 0);

  if (self->follow_started == 0)
    return 0;

  now = self->task_ended != 0 ? self->task_ended : g_get_real_time ();
  begin = self->follow_started;

  if (self->info != NULL)
    {
      GDateTime *start = seedream_task_info_get_start_time (self->info);

      if (start != NULL)
        {
          gint64 start_usec = g_date_time_to_unix (start) * G_USEC_PER_SEC +
                              g_date_time_get_microsecond (start);

          begin = MIN (start_usec, self->follow_started);
          if (self->submitted != 0 && self->submitted <= self->follow_started)
            begin = MAX (begin, self->submitted);
        }
    }

  return MAX (now - begin, 0) / G_USEC_PER_SEC;
}

/**
 * seedream_task_follower_set_submitted_time:
 * @real_time: when the request was sent, in g_get_real_time() microseconds
 *
 * The earliest the service can have started the task; see
 * seedream_task_follower_get_elapsed_seconds().
 */
void
seedream_task_follower_set_submitted_time (SeedreamTaskFollower *self,
                                           gint64                real_time)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));

  self->submitted = MAX (real_time, 0);
}

/**
 * seedream_task_follower_set_max_results:
 * @max_results: how many images were asked for; 0 for no limit but the
 *   parser's (SEEDREAM_RESPONSE_MAX_URLS)
 *
 * No more images than were asked are fetched: a service (or whatever
 * answers in its place) that lists more cannot fill the disk with them,
 * again at every Refresh.
 */
void
seedream_task_follower_set_max_results (SeedreamTaskFollower *self,
                                        guint                 max_results)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));

  self->max_results = max_results;
}

double
seedream_task_follower_get_download_fraction (SeedreamTaskFollower *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), 0.0);

  return self->download_fraction;
}

guint
seedream_task_follower_get_initial_interval_ms (SeedreamTaskFollower *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), 0);

  return self->initial_interval_ms;
}

/**
 * seedream_task_follower_set_initial_interval_ms:
 * @ms: the wait after the first query; the waits grow from there
 *
 * Takes effect at the next start() or refresh().
 */
void
seedream_task_follower_set_initial_interval_ms (SeedreamTaskFollower *self,
                                                guint                 ms)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));
  g_return_if_fail (ms > 0);

  if (self->initial_interval_ms == ms)
    return;

  self->initial_interval_ms = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIAL_INTERVAL_MS]);
}

guint
seedream_task_follower_get_max_interval_ms (SeedreamTaskFollower *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), 0);

  return self->max_interval_ms;
}

/**
 * seedream_task_follower_set_max_interval_ms:
 * @ms: the longest wait between two queries (before jitter; a Retry-After
 *   from the service may be longer)
 */
void
seedream_task_follower_set_max_interval_ms (SeedreamTaskFollower *self,
                                            guint                 ms)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));
  g_return_if_fail (ms > 0);

  if (self->max_interval_ms == ms)
    return;

  self->max_interval_ms = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_INTERVAL_MS]);
}

guint
seedream_task_follower_get_deadline_seconds (SeedreamTaskFollower *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self), 0);

  return self->deadline_seconds;
}

/**
 * seedream_task_follower_set_deadline_seconds:
 * @seconds: how long to ask before giving up with
 *   %SEEDREAM_FOLLOW_STATE_STOPPED, counted from start() or refresh();
 *   0 for no deadline
 *
 * Takes effect at the next start() or refresh().
 */
void
seedream_task_follower_set_deadline_seconds (SeedreamTaskFollower *self,
                                             guint                 seconds)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));

  if (self->deadline_seconds == seconds)
    return;

  self->deadline_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEADLINE_SECONDS]);
}

/**
 * seedream_task_follower_start:
 *
 * Asks the service at once, then again and again until the task ends and
 * its images are here, or the deadline passes. The state becomes
 * %SEEDREAM_FOLLOW_STATE_QUEUED (or %SEEDREAM_FOLLOW_STATE_RUNNING if an
 * earlier answer said so) right away. Does nothing while the follower is
 * already at work.
 */
void
seedream_task_follower_start (SeedreamTaskFollower *self)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));

  if (self->cancellable != NULL)
    return;

  begin_run (self);
}

/**
 * seedream_task_follower_refresh:
 *
 * Starts again from the beginning, with a new deadline and the initial
 * interval, whatever the follower was doing: after
 * %SEEDREAM_FOLLOW_STATE_STOPPED or %SEEDREAM_FOLLOW_STATE_FAILED, and
 * also after %SEEDREAM_FOLLOW_STATE_DONE to fetch results that failed
 * (those already here are not fetched again).
 */
void
seedream_task_follower_refresh (SeedreamTaskFollower *self)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));

  begin_run (self);
}

/**
 * seedream_task_follower_cancel:
 *
 * Stops every query, download and timer. No signal is emitted after this
 * (until start() or refresh()); the state stays as it was.
 */
void
seedream_task_follower_cancel (SeedreamTaskFollower *self)
{
  g_return_if_fail (SEEDREAM_IS_TASK_FOLLOWER (self));

  stop_run (self);
}

/* GObject {{{1 */

static void
seedream_task_follower_dispose (GObject *object)
{
  SeedreamTaskFollower *self = SEEDREAM_TASK_FOLLOWER (object);

  stop_run (self);

  G_OBJECT_CLASS (seedream_task_follower_parent_class)->dispose (object);
}

static void
seedream_task_follower_finalize (GObject *object)
{
  SeedreamTaskFollower *self = SEEDREAM_TASK_FOLLOWER (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->task_id, g_free);
  g_clear_object (&self->results_dir);
  g_clear_object (&self->request);
  g_clear_error (&self->error);
  g_clear_object (&self->info);

  G_OBJECT_CLASS (seedream_task_follower_parent_class)->finalize (object);
}

static void
seedream_task_follower_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SeedreamTaskFollower *self = SEEDREAM_TASK_FOLLOWER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;

    case PROP_RESULTS_DIR:
      g_value_set_object (value, self->results_dir);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_INITIAL_INTERVAL_MS:
      g_value_set_uint (value, self->initial_interval_ms);
      break;

    case PROP_MAX_INTERVAL_MS:
      g_value_set_uint (value, self->max_interval_ms);
      break;

    case PROP_DEADLINE_SECONDS:
      g_value_set_uint (value, self->deadline_seconds);
      break;

    case PROP_DOWNLOAD_FRACTION:
      g_value_set_double (value, self->download_fraction);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_task_follower_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SeedreamTaskFollower *self = SEEDREAM_TASK_FOLLOWER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      if (self->client == NULL)
        self->client = g_value_dup_object (value);
      else
        seedream_task_follower_set_client (self, g_value_get_object (value));
      break;

    case PROP_TASK_ID:
      self->task_id = g_value_dup_string (value);
      break;

    case PROP_RESULTS_DIR:
      self->results_dir = g_value_dup_object (value);
      break;

    case PROP_INITIAL_INTERVAL_MS:
      seedream_task_follower_set_initial_interval_ms (self, g_value_get_uint (value));
      break;

    case PROP_MAX_INTERVAL_MS:
      seedream_task_follower_set_max_interval_ms (self, g_value_get_uint (value));
      break;

    case PROP_DEADLINE_SECONDS:
      seedream_task_follower_set_deadline_seconds (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_task_follower_class_init (SeedreamTaskFollowerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_task_follower_dispose;
  object_class->finalize = seedream_task_follower_finalize;
  object_class->get_property = seedream_task_follower_get_property;
  object_class->set_property = seedream_task_follower_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         SEEDREAM_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_TASK_ID] =
    g_param_spec_string ("task-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RESULTS_DIR] =
    g_param_spec_object ("results-dir", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SEEDREAM_TYPE_FOLLOW_STATE,
                       SEEDREAM_FOLLOW_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_INITIAL_INTERVAL_MS] =
    g_param_spec_uint ("initial-interval-ms", NULL, NULL,
                       1, G_MAXUINT, SEEDREAM_TASK_FOLLOWER_DEFAULT_INITIAL_INTERVAL_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_INTERVAL_MS] =
    g_param_spec_uint ("max-interval-ms", NULL, NULL,
                       1, G_MAXUINT, SEEDREAM_TASK_FOLLOWER_DEFAULT_MAX_INTERVAL_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DEADLINE_SECONDS] =
    g_param_spec_uint ("deadline-seconds", NULL, NULL,
                       0, G_MAXUINT, SEEDREAM_TASK_FOLLOWER_DEFAULT_DEADLINE_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DOWNLOAD_FRACTION] =
    g_param_spec_double ("download-fraction", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SeedreamTaskFollower::result-ready:
   * @index: the position of the image in the task's results, from 0
   * @file: where it is: results-dir/<index>.<ext>
   * @width: its width from its header, or 0 if the header does not say
   * @height: its height, or 0
   *
   * Also emitted for an image found already saved by an earlier run.
   */
  signals[RESULT_READY] =
    g_signal_new ("result-ready",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4,
                  G_TYPE_UINT, G_TYPE_FILE, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * SeedreamTaskFollower::result-failed:
   * @index: the position of the image in the task's results, from 0
   * @error: a #SEEDREAM_ERROR whose message names the image (counted from 1)
   */
  signals[RESULT_FAILED] =
    g_signal_new ("result-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_UINT, G_TYPE_ERROR);
}

static void
seedream_task_follower_init (SeedreamTaskFollower *self)
{
  self->state = SEEDREAM_FOLLOW_STATE_IDLE;
  self->initial_interval_ms = SEEDREAM_TASK_FOLLOWER_DEFAULT_INITIAL_INTERVAL_MS;
  self->max_interval_ms = SEEDREAM_TASK_FOLLOWER_DEFAULT_MAX_INTERVAL_MS;
  self->deadline_seconds = SEEDREAM_TASK_FOLLOWER_DEFAULT_DEADLINE_SECONDS;
}
