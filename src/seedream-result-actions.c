/* seedream-result-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What can be done with a result file, from a tile on a task row or from
 * the large preview: Save As (a byte-identical copy where the person
 * chooses), Copy Image, Open With, and what a drag of it offers.
 */

#define G_LOG_DOMAIN "seedream-result-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-image-info.h"
#include "seedream-result-actions.h"
#include "seedream-thumbnail-loader.h"
#include "seedream-toast.h"

/* A suggested file name: at most this many words of the prompt, and
 * characters. */
#define SUGGESTED_NAME_WORDS 6
#define SUGGESTED_NAME_MAX_CHARS 48

/* Messages: a toast where there is an overlay, else an alert for errors. */

static void
show_message (GtkWidget  *widget,
              const char *title,
              const char *detail,
              gboolean    is_error)
{
  g_autofree char *text = detail != NULL ? g_strdup_printf ("%s: %s", title, detail) : NULL;

  if (seedream_toast_show (widget, text != NULL ? text : title, is_error))
    return;

  if (is_error && gtk_widget_get_root (widget) != NULL)
    {
      AdwDialog *alert = adw_alert_dialog_new (title, detail);

      adw_alert_dialog_add_response (ADW_ALERT_DIALOG (alert), "close", _("_Close"));
      adw_dialog_present (alert, widget);
    }
  else if (is_error)
    g_debug ("%s: %s", title, detail);
}

/* Save As */

char *
seedream_result_suggest_file_name (const char *prompt,
                                   const char *task_id,
                                   guint       index,
                                   GFile      *file)
{
  g_autofree char *basename = file != NULL ? g_file_get_basename (file) : NULL;
  const char *dot = basename != NULL ? strrchr (basename, '.') : NULL;
  g_autofree char *extension = g_ascii_strdown (dot != NULL && dot[1] != '\0' ? dot : ".png", -1);
  g_autoptr(GString) stem = g_string_new (NULL);
  guint words = 0;
  gboolean in_word = FALSE;

  for (const char *p = prompt; p != NULL && *p != '\0' && words < SUGGESTED_NAME_WORDS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;

      if (g_unichar_isalnum (c))
        {
          if (!in_word && stem->len > 0)
            {
              if (g_utf8_strlen (stem->str, -1) >= SUGGESTED_NAME_MAX_CHARS)
                break;
              g_string_append_c (stem, '-');
            }
          g_string_append_unichar (stem, g_unichar_tolower (c));
          in_word = TRUE;
        }
      else if (in_word)
        {
          in_word = FALSE;
          words++;
        }
    }

  if (g_utf8_strlen (stem->str, -1) > SUGGESTED_NAME_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (stem->str, 0, SUGGESTED_NAME_MAX_CHARS);

      g_string_assign (stem, cut);
      while (stem->len > 0 && stem->str[stem->len - 1] == '-')
        g_string_truncate (stem, stem->len - 1);
    }

  if (stem->len == 0)
    {
      g_string_assign (stem, "seedream");
      if (task_id != NULL && *task_id != '\0')
        {
          g_autofree char *safe = g_strdup (task_id);

          g_strdelimit (safe, "/\\:*?\"<>| \t\n", '_');
          g_string_append_printf (stem, "-%s", safe);
        }
    }

  return g_strdup_printf ("%s-%u%s", stem->str, index + 1, extension);
}

static void
save_copy_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
seedream_result_save_copy_async (GFile               *source,
                                 GFile               *destination,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (source));
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_result_save_copy_async);

  if (g_file_equal (source, destination))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Not G_FILE_COPY_ALL_METADATA: the saved file is the person's new file,
   * with their umask, not a copy of the app's private permissions. */
  g_file_copy_async (source, destination, G_FILE_COPY_OVERWRITE,
                     G_PRIORITY_DEFAULT, cancellable, NULL, NULL,
                     save_copy_cb, g_object_ref (task));
}

gboolean
seedream_result_save_copy_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_result_save_copy_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GtkWidget    *widget;
  GFile        *source;
  GFile        *destination;
  GCancellable *cancellable;
} SaveAs;

static void
save_as_free (SaveAs *save)
{
  g_clear_object (&save->widget);
  g_clear_object (&save->source);
  g_clear_object (&save->destination);
  g_clear_object (&save->cancellable);
  g_free (save);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveAs, save_as_free)

/* The folder of the last Save As, for the next one. */
static GFile *last_save_folder;

static void
save_as_copied_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SaveAs) save = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (save->destination);
  g_autofree char *text = NULL;

  if (!seedream_result_save_copy_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (save->widget, _("Could not save the image"), error->message, TRUE);
      return;
    }

  g_clear_object (&last_save_folder);
  last_save_folder = g_file_get_parent (save->destination);

  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Saved as “%s”"), name);
  show_message (save->widget, text, NULL, FALSE);
}

static void
save_as_chosen_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SaveAs) save = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  GFile *source;
  GFile *destination;

  save->destination = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (object), result, &error);
  if (save->destination == NULL)
    {
      if (!g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED) &&
          !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
        show_message (save->widget, _("Could not save the image"), error->message, TRUE);
      return;
    }

  /* Read everything out of @save before handing it on: the order in which
   * C evaluates arguments is unspecified. */
  source = save->source;
  destination = save->destination;
  cancellable = save->cancellable;
  seedream_result_save_copy_async (source, destination, cancellable,
                                   save_as_copied_cb, g_steal_pointer (&save));
}

void
seedream_result_save_as (GtkWidget    *widget,
                         GFile        *file,
                         const char   *suggested_name,
                         GCancellable *cancellable)
{
  g_autoptr(GtkFileDialog) dialog = NULL;
  GtkRoot *root;
  SaveAs *save;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

  root = gtk_widget_get_root (widget);

  dialog = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (dialog, _("Save Image"));
  gtk_file_dialog_set_modal (dialog, TRUE);
  gtk_file_dialog_set_initial_name (dialog, suggested_name);
  if (last_save_folder != NULL)
    gtk_file_dialog_set_initial_folder (dialog, last_save_folder);

  save = g_new0 (SaveAs, 1);
  save->widget = g_object_ref (widget);
  save->source = g_object_ref (file);
  save->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;

  gtk_file_dialog_save (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                        cancellable, save_as_chosen_cb, save);
}

/* Copy Image */

typedef struct
{
  GtkWidget *widget;
  GFile     *file;
} CopyImage;

static void
copy_image_free (CopyImage *copy)
{
  g_clear_object (&copy->widget);
  g_clear_object (&copy->file);
  g_free (copy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CopyImage, copy_image_free)

static GdkContentProvider *
file_providers_new (GFile               *file,
                    GdkContentProvider  *extra)
{
  GdkContentProvider *providers[3];
  GdkFileList *list = gdk_file_list_new_from_array (&file, 1);
  guint n = 0;

  if (extra != NULL)
    providers[n++] = extra;
  providers[n++] = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, list);
  g_boxed_free (GDK_TYPE_FILE_LIST, list);
  providers[n++] = gdk_content_provider_new_typed (G_TYPE_FILE, file);

  return gdk_content_provider_new_union (providers, n);
}

static void
copy_image_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CopyImage) copy = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  texture = seedream_thumbnail_load_finish (result, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (copy->widget, _("Could not copy the image"), error->message, TRUE);
      return;
    }

  provider = file_providers_new (copy->file, gdk_content_provider_new_typed (GDK_TYPE_TEXTURE, texture));
  gdk_clipboard_set_content (gtk_widget_get_clipboard (copy->widget), provider);
  show_message (copy->widget, _("Image copied"), NULL, FALSE);
}

void
seedream_result_copy_image (GtkWidget    *widget,
                            GFile        *file,
                            GCancellable *cancellable)
{
  CopyImage *copy;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

  copy = g_new0 (CopyImage, 1);
  copy->widget = g_object_ref (widget);
  copy->file = g_object_ref (file);
  seedream_thumbnail_load_async (file, 0, SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS, cancellable, copy_image_loaded_cb, copy);
}

/* Open With */

static void
open_with_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
    show_message (widget, _("Could not open the image"), error->message, TRUE);
}

void
seedream_result_open_with (GtkWidget    *widget,
                           GFile        *file,
                           GCancellable *cancellable)
{
  g_autoptr(GtkFileLauncher) launcher = NULL;
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

  root = gtk_widget_get_root (widget);
  launcher = gtk_file_launcher_new (file);
  gtk_file_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                            cancellable, open_with_cb, g_object_ref (widget));
}

/* Drag */

GdkContentProvider *
seedream_result_content_provider_new (GFile *file)
{
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  GdkContentProvider *image = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* Mapped, not read: nothing is copied unless a target asks for the
   * bytes. The app never rewrites a result file in place. */
  path = g_file_get_path (file);
  if (path != NULL)
    mapped = g_mapped_file_new (path, FALSE, NULL);

  if (mapped != NULL)
    {
      g_autoptr(GBytes) bytes = g_mapped_file_get_bytes (mapped);
      const char *mime_type = seedream_image_sniff_mime_type (g_bytes_get_data (bytes, NULL),
                                                              g_bytes_get_size (bytes));

      if (mime_type != NULL)
        image = gdk_content_provider_new_for_bytes (mime_type, bytes);
    }

  return file_providers_new (file, image);
}
