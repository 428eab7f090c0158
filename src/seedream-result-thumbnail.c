/* seedream-result-thumbnail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One result image on a task row: a rounded thumbnail decoded off the main
 * loop, activated (click, Enter, Space) to open the large preview, with a
 * menu (also on right-click, long-press, Menu and Shift+F10) of what can be
 * done with the image, and a drag source offering the file and the image.
 */

#define G_LOG_DOMAIN "seedream-result-thumbnail"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-image-info.h"
#include "seedream-image-preview.h"
#include "seedream-result-thumbnail.h"
#include "seedream-tile-layout.h"
#include "seedream-thumbnail-loader.h"
#include "seedream-toast.h"
#include "seedream-window.h"

/* Square tiles of one size: a row of them stays tidy and does not move
 * when an image's dimensions arrive. */
#define THUMBNAIL_SIZE 128
#define SUGGESTED_NAME_WORDS 6
#define SUGGESTED_NAME_MAX_CHARS 48

struct _SeedreamResultThumbnail
{
  AdwBin         parent_instance;

  GFile         *file;
  guint          index;
  guint          count;
  guint          width;
  guint          height;
  goffset        file_size;
  char          *prompt;
  char          *task_id;
  gboolean       missing;

  GtkPicture    *picture;
  GtkWidget     *missing_icon;
  GtkMenuButton *menu_button;
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (SeedreamResultThumbnail, seedream_result_thumbnail, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FILE,
  PROP_INDEX,
  PROP_COUNT,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_PROMPT,
  PROP_TASK_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
  seedream_thumbnail_load_async (file, 0, cancellable, copy_image_loaded_cb, copy);
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

/* The widget */

static void
update_description (SeedreamResultThumbnail *self)
{
  g_autofree char *label = NULL;
  g_autofree char *menu_label = NULL;
  g_autoptr(GString) details = g_string_new (NULL);

  /* Translators: accessible name of a generated image, e.g. “Result image 2 of 4” */
  label = g_strdup_printf (_("Result image %u of %u"), self->index + 1, MAX (self->count, self->index + 1));
  /* Translators: accessible name of the menu button of a generated image */
  menu_label = g_strdup_printf (_("Actions for result image %u of %u"), self->index + 1,
                                MAX (self->count, self->index + 1));

  if (self->missing)
    g_string_append (details, _("The file is missing"));
  else
    {
      if (self->width > 0 && self->height > 0)
        /* Translators: pixel dimensions of an image */
        g_string_append_printf (details, _("%u × %u pixels"), self->width, self->height);
      if (self->file_size >= 0)
        {
          g_autofree char *size = g_format_size (self->file_size);

          if (details->len > 0)
            g_string_append (details, " · ");
          g_string_append (details, size);
        }
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details->str,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
  gtk_picture_set_alternative_text (self->picture, label);

  if (details->len > 0)
    {
      g_autofree char *tooltip = g_strdup_printf ("%s\n%s", label, details->str);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), label);
}

static void
update_actions (SeedreamResultThumbnail *self)
{
  gboolean available = !self->missing;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result.open", available);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result.save-as", available);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result.copy", available);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result.open-with", available);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result.use-as-source", available);
  gtk_widget_set_visible (self->missing_icon, self->missing);
}

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SeedreamResultThumbnail *self;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0, height = 0;
  goffset file_size = -1;

  texture = seedream_thumbnail_load_finish_full (result, &width, &height, &file_size, &error);

  /* Cancelled only in dispose: the widget is going away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = SEEDREAM_RESULT_THUMBNAIL (user_data);
  self->file_size = file_size;

  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
      if (self->width == 0 || self->height == 0)
        seedream_result_thumbnail_set_size (self, width, height);
    }
  else
    {
      g_debug ("No thumbnail for result %u: %s", self->index, error->message);
      self->missing = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      update_actions (self);
    }

  update_description (self);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (widget);
  g_autofree char *title = NULL;
  g_autofree char *suggested = seedream_result_thumbnail_dup_suggested_name (self);
  SeedreamImagePreview *preview;

  /* Translators: title of the large preview, e.g. “Result 2 of 4” */
  title = g_strdup_printf (_("Result %u of %u"), self->index + 1, MAX (self->count, self->index + 1));
  preview = seedream_image_preview_new (self->file, title, suggested);
  adw_dialog_present (ADW_DIALOG (preview), widget);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (widget);
  g_autofree char *suggested = seedream_result_thumbnail_dup_suggested_name (self);

  seedream_result_save_as (widget, self->file, suggested, self->cancellable);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (widget);

  seedream_result_copy_image (widget, self->file, self->cancellable);
}

static void
open_with_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (widget);

  seedream_result_open_with (widget, self->file, self->cancellable);
}

static void
use_as_source_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (widget);
  g_autofree char *uri = g_file_get_uri (self->file);

  gtk_widget_activate_action (widget, SEEDREAM_WINDOW_USE_AS_SOURCE_ACTION, "s", uri);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[DELETE_REQUESTED], 0);
}

static void
show_menu_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (widget);

  gtk_menu_button_popup (self->menu_button);
}

static void
click_released_cb (GtkGestureClick         *gesture,
                   int                      n_press,
                   double                   x,
                   double                   y,
                   SeedreamResultThumbnail *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (button == GDK_BUTTON_SECONDARY)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      gtk_widget_activate_action (GTK_WIDGET (self), "result.show-menu", NULL);
    }
  else if (button == GDK_BUTTON_PRIMARY && n_press == 1)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      gtk_widget_activate_action (GTK_WIDGET (self), "result.open", NULL);
    }
}

static void
long_pressed_cb (GtkGestureLongPress     *gesture,
                 double                   x,
                 double                   y,
                 SeedreamResultThumbnail *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_activate_action (GTK_WIDGET (self), "result.show-menu", NULL);
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource           *source,
                 double                   x,
                 double                   y,
                 SeedreamResultThumbnail *self)
{
  g_autoptr(GdkPaintable) icon = NULL;

  if (self->missing)
    return NULL;

  icon = gtk_widget_paintable_new (GTK_WIDGET (self->picture));
  gtk_drag_source_set_icon (source, icon, (int) x, (int) y);

  return seedream_result_content_provider_new (self->file);
}

static GMenuModel *
create_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) files = g_menu_new ();
  g_autoptr(GMenu) compose = g_menu_new ();
  g_autoptr(GMenu) danger = g_menu_new ();

  g_menu_append (files, _("_Open Preview"), "result.open");
  g_menu_append (files, _("_Save As…"), "result.save-as");
  g_menu_append (files, _("_Copy Image"), "result.copy");
  g_menu_append (files, _("Open _With Default App"), "result.open-with");
  g_menu_append (compose, _("_Use as Source"), "result.use-as-source");
  g_menu_append (danger, _("_Delete"), "result.delete");

  g_menu_append_section (menu, NULL, G_MENU_MODEL (files));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (compose));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (danger));

  return G_MENU_MODEL (menu);
}

GtkWidget *
seedream_result_thumbnail_new (GFile *file,
                               guint  index,
                               guint  count)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (SEEDREAM_TYPE_RESULT_THUMBNAIL,
                       "file", file,
                       "index", index,
                       "count", count,
                       NULL);
}

GFile *
seedream_result_thumbnail_get_file (SeedreamResultThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self), NULL);

  return self->file;
}

guint
seedream_result_thumbnail_get_index (SeedreamResultThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self), 0);

  return self->index;
}

guint
seedream_result_thumbnail_get_count (SeedreamResultThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self), 0);

  return self->count;
}

void
seedream_result_thumbnail_set_count (SeedreamResultThumbnail *self,
                                     guint                    count)
{
  g_return_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self));

  if (self->count == count)
    return;

  self->count = count;
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

guint
seedream_result_thumbnail_get_width (SeedreamResultThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self), 0);

  return self->width;
}

guint
seedream_result_thumbnail_get_height (SeedreamResultThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self), 0);

  return self->height;
}

void
seedream_result_thumbnail_set_size (SeedreamResultThumbnail *self,
                                    guint                    width,
                                    guint                    height)
{
  g_return_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->width != width)
    {
      self->width = width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
    }
  if (self->height != height)
    {
      self->height = height;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
    }
  update_description (self);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
seedream_result_thumbnail_get_prompt (SeedreamResultThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self), NULL);

  return self->prompt;
}

void
seedream_result_thumbnail_set_prompt (SeedreamResultThumbnail *self,
                                      const char              *prompt)
{
  g_return_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self));

  if (g_set_str (&self->prompt, prompt))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT]);
}

const char *
seedream_result_thumbnail_get_task_id (SeedreamResultThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self), NULL);

  return self->task_id;
}

void
seedream_result_thumbnail_set_task_id (SeedreamResultThumbnail *self,
                                       const char              *task_id)
{
  g_return_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self));

  if (g_set_str (&self->task_id, task_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK_ID]);
}

char *
seedream_result_thumbnail_dup_suggested_name (SeedreamResultThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self), NULL);

  return seedream_result_suggest_file_name (self->prompt, self->task_id, self->index, self->file);
}

static void
seedream_result_thumbnail_constructed (GObject *object)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (object);

  G_OBJECT_CLASS (seedream_result_thumbnail_parent_class)->constructed (object);

  g_return_if_fail (G_IS_FILE (self->file));

  update_description (self);
  seedream_thumbnail_load_async (self->file, THUMBNAIL_SIZE * 2, self->cancellable,
                                 thumbnail_loaded_cb, self);
}

static void
seedream_result_thumbnail_dispose (GObject *object)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);

  G_OBJECT_CLASS (seedream_result_thumbnail_parent_class)->dispose (object);
}

static void
seedream_result_thumbnail_finalize (GObject *object)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->task_id, g_free);

  G_OBJECT_CLASS (seedream_result_thumbnail_parent_class)->finalize (object);
}

static void
seedream_result_thumbnail_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;

    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;

    case PROP_WIDTH:
      g_value_set_uint (value, self->width);
      break;

    case PROP_HEIGHT:
      g_value_set_uint (value, self->height);
      break;

    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;

    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_result_thumbnail_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    case PROP_INDEX:
      self->index = g_value_get_uint (value);
      break;

    case PROP_COUNT:
      seedream_result_thumbnail_set_count (self, g_value_get_uint (value));
      break;

    case PROP_WIDTH:
      seedream_result_thumbnail_set_size (self, g_value_get_uint (value), self->height);
      break;

    case PROP_HEIGHT:
      seedream_result_thumbnail_set_size (self, self->width, g_value_get_uint (value));
      break;

    case PROP_PROMPT:
      seedream_result_thumbnail_set_prompt (self, g_value_get_string (value));
      break;

    case PROP_TASK_ID:
      seedream_result_thumbnail_set_task_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_result_thumbnail_class_init (SeedreamResultThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = seedream_result_thumbnail_constructed;
  object_class->dispose = seedream_result_thumbnail_dispose;
  object_class->finalize = seedream_result_thumbnail_finalize;
  object_class->get_property = seedream_result_thumbnail_get_property;
  object_class->set_property = seedream_result_thumbnail_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL,
                       0, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIDTH] =
    g_param_spec_uint ("width", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_uint ("height", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TASK_ID] =
    g_param_spec_string ("task-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SeedreamResultThumbnail::delete-requested:
   *
   * The person asked to delete this image.
   */
  signals[DELETE_REQUESTED] = g_signal_new ("delete-requested",
                                            G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "result.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "result.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "result.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "result.open-with", NULL, open_with_action);
  gtk_widget_class_install_action (widget_class, "result.use-as-source", NULL, use_as_source_action);
  gtk_widget_class_install_action (widget_class, "result.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "result.show-menu", NULL, show_menu_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "result.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "result.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "result.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "result.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "result.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "result.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "result.show-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "result.show-menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "result-thumbnail");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

/* The menu is built the first time it opens: a popover menu makes a widget
 * for each item, and a task row makes up to fifteen thumbnails at once. */
static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  g_autoptr(GMenuModel) menu = NULL;

  if (gtk_menu_button_get_menu_model (button) != NULL)
    return;

  menu = create_menu ();
  gtk_menu_button_set_menu_model (button, menu);
}

static void
seedream_result_thumbnail_init (SeedreamResultThumbnail *self)
{
  GtkGesture *click, *long_press;
  GtkDragSource *drag;
  GtkWidget *overlay;

  self->cancellable = g_cancellable_new ();
  self->count = 1;
  self->file_size = -1;

  gtk_widget_set_layout_manager (GTK_WIDGET (self), seedream_tile_layout_new (THUMBNAIL_SIZE));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self->picture), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_widget_add_css_class (GTK_WIDGET (self->picture), "result-picture");

  self->missing_icon = gtk_image_new_from_icon_name ("image-missing-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (self->missing_icon), 32);
  gtk_widget_set_halign (self->missing_icon, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->missing_icon, GTK_ALIGN_CENTER);
  gtk_widget_set_can_target (self->missing_icon, FALSE);
  gtk_widget_add_css_class (self->missing_icon, "dim-label");
  gtk_widget_set_visible (self->missing_icon, FALSE);

  /* Given its tooltip while hidden: see seedream_source_thumbnail_new(). */
  self->menu_button = g_object_new (GTK_TYPE_MENU_BUTTON,
                                    "visible", FALSE,
                                    "icon-name", "view-more-symbolic",
                                    "tooltip-text", _("Image Actions"),
                                    NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), TRUE);
  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup_cb, NULL, NULL);
  gtk_widget_set_halign (GTK_WIDGET (self->menu_button), GTK_ALIGN_END);
  gtk_widget_set_valign (GTK_WIDGET (self->menu_button), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->menu_button), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->menu_button), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "circular");
  gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "osd");
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->menu_button), "default");

  overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->picture));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->missing_icon);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->menu_button));
  adw_bin_set_child (ADW_BIN (self), overlay);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));

  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}
