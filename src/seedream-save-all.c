/* seedream-save-all.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Save All…" of a task: one folder for all its images, with the names the
 * automatic copies get (seedream-output-folder.c), never overwriting.
 * The copies are byte copies of the app's files, which already carry the
 * prompt and the AI-made mark.
 */

#define G_LOG_DOMAIN "seedream-save-all"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-output-folder.h"
#include "seedream-save-all.h"
#include "seedream-submission-result.h"
#include "seedream-toast.h"

typedef struct
{
  GPtrArray *results;   /* of SeedreamSubmissionResult with a file */
  char      *prompt;
  GFile     *dir;
  guint      next;
} SaveAll;

static void
save_all_free (gpointer data)
{
  SaveAll *save = data;

  g_clear_pointer (&save->results, g_ptr_array_unref);
  g_clear_object (&save->dir);
  g_free (save->prompt);
  g_free (save);
}

static void save_next (GTask *task);

static void
saved_one_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) copy = seedream_output_folder_save_finish (result, &error);

  if (copy == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  save_next (g_steal_pointer (&task));
}

/* One after the other: two images never race for the same free name. */
static void
save_next (GTask *task)
{
  SaveAll *save = g_task_get_task_data (task);
  SeedreamSubmissionResult *result;

  if (save->next == save->results->len)
    {
      g_task_return_int (task, save->results->len);
      g_object_unref (task);
      return;
    }

  result = g_ptr_array_index (save->results, save->next++);
  seedream_output_folder_save_async (save->dir, seedream_submission_result_get_file (result), save->prompt,
                                     seedream_submission_result_get_index (result) + 1,
                                     g_task_get_cancellable (task), saved_one_cb, task);
}

void
seedream_save_all_to_folder_async (GListModel          *results,
                                   const char          *prompt,
                                   GFile               *dir,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  SaveAll *save;

  g_return_if_fail (G_IS_LIST_MODEL (results));
  g_return_if_fail (G_IS_FILE (dir));

  save = g_new0 (SaveAll, 1);
  save->results = g_ptr_array_new_with_free_func (g_object_unref);
  save->prompt = g_strdup (prompt);
  save->dir = g_object_ref (dir);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(SeedreamSubmissionResult) result = g_list_model_get_item (results, i);

      if (seedream_submission_result_get_file (result) != NULL)
        g_ptr_array_add (save->results, g_steal_pointer (&result));
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_save_all_to_folder_async);
  g_task_set_task_data (task, save, save_all_free);
  save_next (task);
}

guint
seedream_save_all_to_folder_finish (GAsyncResult  *result,
                                    GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);

  n = g_task_propagate_int (G_TASK (result), error);
  return n < 0 ? 0 : (guint) n;
}

typedef struct
{
  GtkWidget  *widget;
  GListModel *results;
  char       *prompt;
  GFile      *dir;
} Interaction;

static void
interaction_free (Interaction *in)
{
  g_clear_object (&in->widget);
  g_clear_object (&in->results);
  g_clear_object (&in->dir);
  g_free (in->prompt);
  g_free (in);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Interaction, interaction_free)

static void
saved_all_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Interaction) in = user_data;
  g_autoptr(GError) error = NULL;
  guint n = seedream_save_all_to_folder_finish (result, &error);
  g_autofree char *name = g_file_get_parse_name (in->dir);
  g_autofree char *text = NULL;

  if (error != NULL)
    text = seedream_output_folder_describe_error (in->dir, error);
  else
    /* Translators: %u is a number of images, %s a folder */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saved %u image to “%s”", "Saved %u images to “%s”", n),
                            n, name);

  seedream_toast_show (in->widget, text, error != NULL);
}

static void
folder_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Interaction) in = user_data;
  g_autoptr(GError) error = NULL;

  in->dir = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, &error);
  if (in->dir == NULL)
    {
      if (!g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
        seedream_toast_show (in->widget, error->message, FALSE);
      return;
    }

  seedream_save_all_to_folder_async (in->results, in->prompt, in->dir, NULL,
                                     saved_all_cb, g_steal_pointer (&in));
}

void
seedream_save_all (GtkWidget  *widget,
                   GListModel *results,
                   const char *prompt)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  GtkRoot *root = gtk_widget_get_root (widget);
  Interaction *in;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_LIST_MODEL (results));

  in = g_new0 (Interaction, 1);
  in->widget = g_object_ref (widget);
  in->results = g_object_ref (results);
  in->prompt = g_strdup (prompt);

  gtk_file_dialog_set_title (dialog, _("Save All Images To"));
  gtk_file_dialog_set_accept_label (dialog, _("_Save Here"));
  gtk_file_dialog_set_modal (dialog, TRUE);
  gtk_file_dialog_select_folder (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 NULL, folder_chosen_cb, in);
}
