/* seedream-output-folder-chooser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asks for the folder finished images are copied into, with GtkFileDialog
 * (the file chooser portal inside Flatpak, which also grants access to the
 * folder), and remembers it as a URI in the "output-folder" setting.
 * Used by the preferences' Saving group and by the toast that says the
 * folder is gone.
 */

#define G_LOG_DOMAIN "seedream-output-folder-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-output-folder-chooser.h"

static void
select_folder_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GSettings) settings = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, &error);
  g_autofree char *uri = NULL;

  if (folder == NULL)
    {
      if (!g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
        g_warning ("Could not choose a folder: %s", error->message);
      return;
    }

  uri = g_file_get_uri (folder);
  g_settings_set_string (settings, "output-folder", uri);
  /* Choosing a folder means wanting the images there. */
  g_settings_set_boolean (settings, "save-finished-images", TRUE);
}

/**
 * seedream_output_folder_chooser_choose:
 * @parent: a widget of the window the dialog belongs to
 */
void
seedream_output_folder_chooser_choose (GtkWidget *parent,
                                       GSettings *settings)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autofree char *uri = g_settings_get_string (settings, "output-folder");
  GtkRoot *root = gtk_widget_get_root (parent);

  gtk_file_dialog_set_title (dialog, _("Save Finished Images To"));
  gtk_file_dialog_set_accept_label (dialog, _("_Select"));
  gtk_file_dialog_set_modal (dialog, TRUE);
  if (*uri != '\0')
    {
      g_autoptr(GFile) current = g_file_new_for_uri (uri);

      gtk_file_dialog_set_initial_folder (dialog, current);
    }

  gtk_file_dialog_select_folder (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 NULL, select_folder_cb, g_object_ref (settings));
}

/**
 * seedream_output_folder_chooser_describe:
 *
 * Returns: the chosen folder as a person reads it, or a sentence saying
 *   none is chosen
 */
char *
seedream_output_folder_chooser_describe (GSettings *settings)
{
  g_autofree char *uri = g_settings_get_string (settings, "output-folder");
  g_autoptr(GFile) folder = NULL;

  if (*uri == '\0')
    return g_strdup (_("No folder chosen"));

  folder = g_file_new_for_uri (uri);
  return g_file_get_parse_name (folder);
}
