/* seedream-output-folder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saves a copy of a result into a folder a person chose. The copy is a
 * byte copy of the file in the app's data, which already carries its
 * metadata (seedream-image-metadata.c). Its name is made from when the
 * result was written (its modification time, so Save All and the
 * automatic copy agree), the prompt and the number in the batch; a name
 * already taken gets " (2)", " (3)"... and nothing is ever overwritten.
 * The folder is never created: one that vanished is an error to tell.
 */

#define G_LOG_DOMAIN "seedream-output-folder"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "seedream-output-folder.h"
#include "seedream-output-name.h"

/* Past this many copies of one name something is wrong: stop. */
#define MAX_COPIES 1000

static GDateTime *
dup_modified (GFile        *source,
              GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = g_file_query_info (source, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                                 G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  g_autoptr(GDateTime) modified = NULL;

  if (info != NULL)
    modified = g_file_info_get_modification_date_time (info);
  if (modified == NULL)
    return g_date_time_new_now_local ();

  return g_date_time_to_local (modified);
}

static char *
dup_extension (GFile *source)
{
  g_autofree char *basename = g_file_get_basename (source);
  const char *dot = strrchr (basename, '.');

  return g_strdup (dot != NULL && dot[1] != '\0' ? dot + 1 : "png");
}

/**
 * seedream_output_folder_save:
 * @number: the image's number in its batch, from 1
 *
 * Blocking. Returns: (transfer full): the copy made in @dir
 */
GFile *
seedream_output_folder_save (GFile         *dir,
                             GFile         *source,
                             const char    *prompt,
                             guint          number,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (dir), NULL);
  g_return_val_if_fail (G_IS_FILE (source), NULL);

  modified = dup_modified (source, cancellable);
  extension = dup_extension (source);
  name = seedream_output_name_build (modified, prompt, number, extension);

  for (guint copy = 1; copy <= MAX_COPIES; copy++)
    {
      g_autofree char *numbered = copy == 1 ? g_strdup (name) : seedream_output_name_numbered (name, copy);
      g_autoptr(GFile) target = g_file_get_child (dir, numbered);
      g_autoptr(GError) local_error = NULL;

      /* Without OVERWRITE the copy fails, rather than replaces, when the
       * name is taken, even if another program took it a moment ago. */
      if (g_file_copy (source, target, G_FILE_COPY_NONE, cancellable, NULL, NULL, &local_error))
        return g_steal_pointer (&target);

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               "more than %u files are already named %s", MAX_COPIES, name);
  return NULL;
}

typedef struct
{
  GFile *dir;
  GFile *source;
  char  *prompt;
  guint  number;
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_clear_object (&save->dir);
  g_clear_object (&save->source);
  g_free (save->prompt);
  g_free (save);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *save = task_data;
  GError *error = NULL;
  GFile *copy = seedream_output_folder_save (save->dir, save->source, save->prompt, save->number,
                                             cancellable, &error);

  if (copy == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, copy, g_object_unref);
}

void
seedream_output_folder_save_async (GFile               *dir,
                                   GFile               *source,
                                   const char          *prompt,
                                   guint                number,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *save;

  g_return_if_fail (G_IS_FILE (dir));
  g_return_if_fail (G_IS_FILE (source));

  save = g_new0 (SaveData, 1);
  save->dir = g_object_ref (dir);
  save->source = g_object_ref (source);
  save->prompt = g_strdup (prompt);
  save->number = number;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_output_folder_save_async);
  g_task_set_task_data (task, save, save_data_free);
  g_task_run_in_thread (task, save_thread);
}

GFile *
seedream_output_folder_save_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * seedream_output_folder_describe_error:
 *
 * What a person reads when copies cannot go into @dir: what happened and
 * what to do, in words.
 */
char *
seedream_output_folder_describe_error (GFile        *dir,
                                       const GError *error)
{
  g_autofree char *name = g_file_get_parse_name (dir);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_strdup_printf (_("The folder “%s” is gone, so finished images are not saved there. They are still in Seedream Studio; choose another folder to save them to."),
                            name);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY))
    return g_strdup_printf (_("Finished images cannot be saved to “%s”: the folder cannot be written. They are still in Seedream Studio; choose another folder to save them to."),
                            name);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    return g_strdup_printf (_("Finished images cannot be saved to “%s”: there is no space left. They are still in Seedream Studio; free some space or choose another folder."),
                            name);

  return g_strdup_printf (_("Finished images cannot be saved to “%s” (%s). They are still in Seedream Studio; choose another folder to save them to."),
                          name, error->message);
}
