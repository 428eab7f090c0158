/* seedream-source-thumbnail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One source image in the compose form: a square preview decoded in a
 * worker thread at a bounded size, a remove button, and a tooltip with the
 * file's name, size and dimensions.
 */

#define G_LOG_DOMAIN "seedream-source-thumbnail"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-source-thumbnail.h"

#define THUMBNAIL_SIZE 96
/* Larger images are not decoded for a preview: a huge header could make
 * the decoder allocate gigabytes. */
#define MAX_PREVIEW_PIXELS (100u * 1000u * 1000u)

struct _SeedreamSourceThumbnail
{
  AdwBin        parent_instance;

  GFile        *file;
  GtkPicture   *picture;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SeedreamSourceThumbnail, seedream_source_thumbnail, ADW_TYPE_BIN)

enum {
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GdkPixbuf *pixbuf;
  char      *tooltip;
} Preview;

static void
preview_free (gpointer data)
{
  Preview *preview = data;

  g_clear_object (&preview->pixbuf);
  g_free (preview->tooltip);
  g_free (preview);
}

static void
load_preview_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *size_text = NULL;
  Preview *preview = g_new0 (Preview, 1);
  int width = 0, height = 0;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      preview->tooltip = g_strdup (error->message);
      g_task_return_pointer (task, preview, preview_free);
      return;
    }

  size_text = g_format_size (g_file_info_get_size (info));

  if (path != NULL && gdk_pixbuf_get_file_info (path, &width, &height) != NULL &&
      width > 0 && height > 0 && (guint64) width * (guint64) height <= MAX_PREVIEW_PIXELS)
    preview->pixbuf = gdk_pixbuf_new_from_file_at_scale (path, THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2,
                                                         TRUE, NULL);

  if (width > 0 && height > 0)
    /* Translators: file name, then size and pixel dimensions, e.g. “cat.png” / “1.2 MB · 1024 × 768” */
    preview->tooltip = g_strdup_printf (_("%s\n%s · %d × %d"),
                                        g_file_info_get_display_name (info), size_text, width, height);
  else
    preview->tooltip = g_strdup_printf ("%s\n%s", g_file_info_get_display_name (info), size_text);

  g_task_return_pointer (task, preview, preview_free);
}

static void
load_preview_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SeedreamSourceThumbnail *self;
  Preview *preview = g_task_propagate_pointer (G_TASK (result), NULL);

  if (preview == NULL)
    return;

  self = SEEDREAM_SOURCE_THUMBNAIL (object);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), preview->tooltip);

  if (preview->pixbuf != NULL)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (preview->pixbuf);
      G_GNUC_END_IGNORE_DEPRECATIONS

      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
    }

  preview_free (preview);
}

static void
remove_clicked_cb (SeedreamSourceThumbnail *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

GtkWidget *
seedream_source_thumbnail_new (GFile *file)
{
  SeedreamSourceThumbnail *self;
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = NULL;
  g_autofree char *remove_label = NULL;
  GtkWidget *overlay, *button;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (SEEDREAM_TYPE_SOURCE_THUMBNAIL, NULL);
  self->file = g_object_ref (file);
  name = g_file_get_basename (file);

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_picture_set_alternative_text (self->picture, name);
  gtk_widget_add_css_class (GTK_WIDGET (self->picture), "source-thumbnail");

  button = gtk_button_new_from_icon_name ("window-close-symbolic");
  remove_label = g_strdup_printf (_("Remove %s"), name);
  gtk_widget_set_tooltip_text (button, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (button, 4);
  gtk_widget_set_margin_end (button, 4);
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_add_css_class (button, "osd");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (remove_clicked_cb), self);

  overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->picture));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), button);
  adw_bin_set_child (ADW_BIN (self), overlay);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), name);

  task = g_task_new (self, self->cancellable, load_preview_cb, NULL);
  g_task_set_source_tag (task, seedream_source_thumbnail_new);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_preview_thread);

  return GTK_WIDGET (self);
}

GFile *
seedream_source_thumbnail_get_file (SeedreamSourceThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SOURCE_THUMBNAIL (self), NULL);

  return self->file;
}

static void
seedream_source_thumbnail_dispose (GObject *object)
{
  SeedreamSourceThumbnail *self = SEEDREAM_SOURCE_THUMBNAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (seedream_source_thumbnail_parent_class)->dispose (object);
}

static void
seedream_source_thumbnail_class_init (SeedreamSourceThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_source_thumbnail_dispose;

  /**
   * SeedreamSourceThumbnail::remove:
   *
   * The person asked to remove this image from the form.
   */
  signals[REMOVE] = g_signal_new ("remove",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);
}

static void
seedream_source_thumbnail_init (SeedreamSourceThumbnail *self)
{
  self->cancellable = g_cancellable_new ();
}
