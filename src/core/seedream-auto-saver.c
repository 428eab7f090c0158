/* seedream-auto-saver.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Watches the live submissions and copies each result that arrives into
 * the folder a person chose (seedream-output-folder.c). Results already
 * there when a submission is first seen (restored from the history), or
 * written before this run (a task followed again after a restart finds
 * its images on disk), are not copied again, and no file is copied twice.
 */

#define G_LOG_DOMAIN "seedream-auto-saver"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-auto-saver.h"
#include "seedream-output-folder.h"
#include "seedream-submission.h"

struct _SeedreamAutoSaver
{
  GObject       parent_instance;

  GListModel   *submissions;
  GSettings    *settings;
  GCancellable *cancellable;
  /* Submissions whose results are watched (not references). */
  GHashTable   *watched;
  /* Paths of the results copied already. */
  GHashTable   *saved;
  /* A failure was said; quiet until the setting changes or a copy works. */
  gboolean      said;
  /* Real time (µs, whole seconds) it began: older files are not copied. */
  gint64        started;
};

G_DEFINE_FINAL_TYPE (SeedreamAutoSaver, seedream_auto_saver, G_TYPE_OBJECT)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * seedream_auto_saver_dup_folder:
 *
 * Returns: (transfer full) (nullable): where copies go now, or %NULL when
 *   saving is off or no folder was chosen
 */
GFile *
seedream_auto_saver_dup_folder (SeedreamAutoSaver *self)
{
  g_autofree char *uri = NULL;

  g_return_val_if_fail (SEEDREAM_IS_AUTO_SAVER (self), NULL);

  if (!g_settings_get_boolean (self->settings, "save-finished-images"))
    return NULL;

  uri = g_settings_get_string (self->settings, "output-folder");
  if (*uri == '\0')
    return NULL;

  return g_file_new_for_uri (uri);
}

typedef struct
{
  SeedreamAutoSaver *self;   /* a reference */
  GFile             *dir;
  GFile             *file;
  char              *prompt;
  guint              number;
  gint64             not_before;
} SaveOp;

static void
save_op_free (gpointer data)
{
  SaveOp *op = data;

  g_clear_object (&op->self);
  g_clear_object (&op->dir);
  g_clear_object (&op->file);
  g_free (op->prompt);
  g_free (op);
}

/* Thread: a file written before this run (a task followed again after a
 * restart finds its images already there) was copied in that run. */
static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveOp *op = task_data;
  g_autoptr(GFileInfo) info = g_file_query_info (op->file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                                 G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  GError *error = NULL;
  GFile *copy;

  if (info != NULL &&
      g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC < (guint64) op->not_before)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  copy = seedream_output_folder_save (op->dir, op->file, op->prompt, op->number, cancellable, &error);
  if (copy == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, copy, g_object_unref);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SaveOp *op = g_task_get_task_data (G_TASK (result));
  SeedreamAutoSaver *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) copy = g_task_propagate_pointer (G_TASK (result), &error);

  if (copy != NULL)
    {
      g_debug ("Saved %s", g_file_peek_path (copy));
      self->said = FALSE;
    }
  else if (error == NULL)
    g_debug ("%s is from an earlier run: not copied again", g_file_peek_path (op->file));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !self->said)
    {
      g_autofree char *message = seedream_output_folder_describe_error (op->dir, error);

      g_debug ("Could not save into %s: %s", g_file_peek_path (op->dir), error->message);
      self->said = TRUE;
      g_signal_emit (self, signals[FAILED], 0, message);
    }
}

/**
 * seedream_auto_saver_save_result:
 *
 * Copies @result (if it has a file, and saving is on) into the folder.
 */
void
seedream_auto_saver_save_result (SeedreamAutoSaver        *self,
                                 const char               *prompt,
                                 SeedreamSubmissionResult *result)
{
  GFile *file = seedream_submission_result_get_file (result);
  g_autoptr(GFile) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GTask) task = NULL;
  SaveOp *op;

  g_return_if_fail (SEEDREAM_IS_AUTO_SAVER (self));

  if (file == NULL || (dir = seedream_auto_saver_dup_folder (self)) == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL || !g_hash_table_add (self->saved, g_steal_pointer (&path)))
    return;

  op = g_new0 (SaveOp, 1);
  op->self = g_object_ref (self);
  op->dir = g_object_ref (dir);
  op->file = g_object_ref (file);
  op->prompt = g_strdup (prompt);
  op->number = seedream_submission_result_get_index (result) + 1;
  op->not_before = self->started;

  task = g_task_new (NULL, self->cancellable, save_cb, NULL);
  g_task_set_source_tag (task, seedream_auto_saver_save_result);
  g_task_set_task_data (task, op, save_op_free);
  g_task_run_in_thread (task, save_thread);
}

static void
results_changed_cb (GListModel        *results,
                    guint              position,
                    guint              removed,
                    guint              added,
                    SeedreamAutoSaver *self)
{
  SeedreamSubmission *submission = NULL;
  SeedreamRequest *request;

  /* A few live submissions at most: finding the owner is cheap. */
  for (guint i = 0; submission == NULL && i < g_list_model_get_n_items (self->submissions); i++)
    {
      g_autoptr(SeedreamSubmission) candidate = g_list_model_get_item (self->submissions, i);

      if (seedream_submission_get_results (candidate) == results)
        submission = candidate;
    }

  if (submission == NULL)
    return;

  request = seedream_submission_get_request (submission);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (results, i);

      seedream_auto_saver_save_result (self, seedream_request_get_prompt (request), result);
    }
}

static void
submissions_changed_cb (GListModel        *submissions,
                        guint              position,
                        guint              removed,
                        guint              added,
                        SeedreamAutoSaver *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SeedreamSubmission) submission = g_list_model_get_item (submissions, i);

      if (!g_hash_table_add (self->watched, submission))
        continue;

      g_signal_connect_object (seedream_submission_get_results (submission), "items-changed",
                               G_CALLBACK (results_changed_cb), self, G_CONNECT_DEFAULT);
      g_object_weak_ref (G_OBJECT (submission), (GWeakNotify) g_hash_table_remove, self->watched);
    }
}

static void
folder_setting_changed_cb (SeedreamAutoSaver *self)
{
  self->said = FALSE;
}

SeedreamAutoSaver *
seedream_auto_saver_new (GListModel *submissions,
                         GSettings  *settings)
{
  SeedreamAutoSaver *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (submissions), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (SEEDREAM_TYPE_AUTO_SAVER, NULL);
  self->submissions = g_object_ref (submissions);
  self->settings = g_object_ref (settings);

  g_signal_connect_object (settings, "changed::output-folder",
                           G_CALLBACK (folder_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::save-finished-images",
                           G_CALLBACK (folder_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (submissions, "items-changed",
                           G_CALLBACK (submissions_changed_cb), self, G_CONNECT_DEFAULT);
  submissions_changed_cb (submissions, 0, 0, g_list_model_get_n_items (submissions), self);

  return self;
}

static gboolean
unwatch (gpointer key,
         gpointer value,
         gpointer user_data)
{
  g_object_weak_unref (key, (GWeakNotify) g_hash_table_remove, user_data);
  return TRUE;
}

static void
seedream_auto_saver_dispose (GObject *object)
{
  SeedreamAutoSaver *self = SEEDREAM_AUTO_SAVER (object);

  g_cancellable_cancel (self->cancellable);
  g_hash_table_foreach_remove (self->watched, unwatch, self->watched);
  g_clear_object (&self->submissions);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (seedream_auto_saver_parent_class)->dispose (object);
}

static void
seedream_auto_saver_finalize (GObject *object)
{
  SeedreamAutoSaver *self = SEEDREAM_AUTO_SAVER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_pointer (&self->saved, g_hash_table_unref);

  G_OBJECT_CLASS (seedream_auto_saver_parent_class)->finalize (object);
}

static void
seedream_auto_saver_class_init (SeedreamAutoSaverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_auto_saver_dispose;
  object_class->finalize = seedream_auto_saver_finalize;

  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
seedream_auto_saver_init (SeedreamAutoSaver *self)
{
  /* Whole seconds, as modification times are compared. */
  self->started = (g_get_real_time () / G_USEC_PER_SEC) * G_USEC_PER_SEC;
  self->cancellable = g_cancellable_new ();
  self->watched = g_hash_table_new (NULL, NULL);
  self->saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
