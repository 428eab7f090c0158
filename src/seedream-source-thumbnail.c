/* seedream-source-thumbnail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One source image in the compose form: a square preview decoded in a
 * worker thread at a bounded size (seedream-thumbnail-loader.c), a remove button, and a tooltip with the
 * file's name, size and dimensions.
 *
 * The picture and the button are the tile's own two children, laid out on
 * top of each other by SeedreamTileLayout (the button keeps to its corner
 * by its alignment and margins): no GtkOverlay or AdwBin in between, as a
 * restored draft shows many tiles in the window's first frame.
 */

#define G_LOG_DOMAIN "seedream-source-thumbnail"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-request.h"
#include "seedream-source-thumbnail.h"
#include "seedream-tile-layout.h"
#include "seedream-thumbnail-loader.h"

#define THUMBNAIL_SIZE 96

struct _SeedreamSourceThumbnail
{
  GtkWidget     parent_instance;

  GFile        *file;
  GtkPicture   *picture;
  GCancellable *cancellable;
  guint         load_idle_id;
};

G_DEFINE_FINAL_TYPE (SeedreamSourceThumbnail, seedream_source_thumbnail, GTK_TYPE_WIDGET)

enum {
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
load_preview_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SeedreamSourceThumbnail *self;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *tooltip = NULL;
  goffset file_size = -1;
  int width = 0, height = 0;

  texture = seedream_thumbnail_load_finish_full (result, &width, &height, &file_size, &error);

  /* Cancelled in dispose: the widget is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = SEEDREAM_SOURCE_THUMBNAIL (user_data);
  name = seedream_file_dup_display_name (self->file);
  if (file_size >= 0)
    size_text = g_format_size (file_size);

  if (texture != NULL)
    gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));

  if (size_text != NULL && width > 0 && height > 0)
    /* Translators: file name, then size and pixel dimensions, e.g. “cat.png” / “1.2 MB · 1024 × 768” */
    tooltip = g_strdup_printf (_("%s\n%s · %d × %d"), name, size_text, width, height);
  else if (size_text != NULL)
    tooltip = g_strdup_printf ("%s\n%s", name, size_text);
  else if (error != NULL)
    tooltip = g_strdup_printf ("%s\n%s", name, error->message);
  else
    tooltip = g_strdup (name);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
}

static void
remove_clicked_cb (SeedreamSourceThumbnail *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static gboolean
start_loading_cb (gpointer user_data)
{
  SeedreamSourceThumbnail *self = user_data;

  self->load_idle_id = 0;
  seedream_thumbnail_load_async (self->file, THUMBNAIL_SIZE * 2, SEEDREAM_THUMBNAIL_MAX_SOURCE_PIXELS, self->cancellable, load_preview_cb, self);

  return G_SOURCE_REMOVE;
}

GtkWidget *
seedream_source_thumbnail_new (GFile *file)
{
  SeedreamSourceThumbnail *self;
  g_autofree char *name = NULL;
  g_autofree char *remove_label = NULL;
  GtkWidget *button;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* The tile and its button are made hidden, given their tooltips, then
   * shown: setting the tooltip of a visible widget makes GTK ask where the
   * pointer is (on X11, two round trips to the X server), and a restored
   * draft makes its tiles all at once, before the window's first frame. */
  self = g_object_new (SEEDREAM_TYPE_SOURCE_THUMBNAIL, "visible", FALSE, NULL);
  self->file = g_object_ref (file);
  gtk_widget_set_layout_manager (GTK_WIDGET (self), seedream_tile_layout_new (THUMBNAIL_SIZE));
  name = seedream_file_dup_display_name (file);

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_picture_set_alternative_text (self->picture, name);
  gtk_widget_add_css_class (GTK_WIDGET (self->picture), "source-thumbnail");

  remove_label = g_strdup_printf (_("Remove %s"), name);
  button = g_object_new (GTK_TYPE_BUTTON,
                         "visible", FALSE,
                         "icon-name", "window-close-symbolic",
                         "tooltip-text", remove_label,
                         NULL);
  gtk_widget_set_visible (button, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (button, 4);
  gtk_widget_set_margin_end (button, 4);
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_add_css_class (button, "osd");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (remove_clicked_cb), self);

  /* In this order: the button is drawn over the picture, and picked first. */
  gtk_widget_set_parent (GTK_WIDGET (self->picture), GTK_WIDGET (self));
  gtk_widget_set_parent (button, GTK_WIDGET (self));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), name);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);

  /* Decoding waits until the window has drawn: a restored draft with many
   * images must not delay the first frame. */
  self->load_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, start_loading_cb, self, NULL);

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

  g_clear_handle_id (&self->load_idle_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_first_child (GTK_WIDGET (self)))
    gtk_widget_unparent (child);
  self->picture = NULL;

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
