/* seedream-image-preview.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The large preview of one result: the image fitted to the dialog, with
 * the same actions as the thumbnail on the task row, and its star. Given the task's
 * images, it moves through them (Left/Right, Page Up/Down, Home/End, a
 * swipe, the header's buttons) and says where it is ("Image 2 of 4").
 */

#define G_LOG_DOMAIN "seedream-image-preview"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "seedream-favourite-button.h"
#include "seedream-image-preview.h"
#include "seedream-result-actions.h"
#include "seedream-thumbnail-loader.h"
#include "seedream-window.h"

struct _SeedreamImagePreview
{
  AdwDialog      parent_instance;

  GFile         *file;
  char          *suggested_name;
  gboolean       loaded;
  gboolean       favourite;
  GCancellable  *cancellable;
  /* Cancels the load of the image shown; replaced when moving on. */
  GCancellable  *load_cancellable;

  /* The images it moves through (GFile, char *), or NULL for one image. */
  GPtrArray     *files;
  GPtrArray     *names;
  guint          position;

  GtkStack      *stack;
  GtkPicture    *picture;
  AdwStatusPage *error_page;
  GtkWidget     *favourite_button;
  GtkWidget     *previous_button;
  GtkWidget     *next_button;
};

G_DEFINE_FINAL_TYPE (SeedreamImagePreview, seedream_image_preview, ADW_TYPE_DIALOG)

enum {
  PROP_0,
  PROP_FILE,
  PROP_SUGGESTED_NAME,
  PROP_LOADED,
  PROP_FAVOURITE,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
image_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SeedreamImagePreview *self;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0, height = 0;

  texture = seedream_thumbnail_load_finish_full (result, &width, &height, NULL, &error);

  /* Cancelled in dispose (the dialog is gone) or when moving on. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = SEEDREAM_IMAGE_PREVIEW (user_data);

  if (texture == NULL)
    {
      /* The description is markup; the message carries a file name. */
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->stack, "error");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.copy", FALSE);
      return;
    }

  if (width > 0 && height > 0)
    {
      /* Translators: accessible description of the preview: pixel dimensions; the
       * plural follows the height */
      g_autofree char *description = g_strdup_printf (ngettext ("%d × %d pixel", "%d × %d pixels", height),
                                                      width, height);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
    }

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->stack, "image");
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static guint
n_images (SeedreamImagePreview *self)
{
  return self->files != NULL ? self->files->len : 1;
}

static void
load_image (SeedreamImagePreview *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  if (self->loaded)
    {
      self->loaded = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.copy", TRUE);

  seedream_thumbnail_load_async (self->file, SEEDREAM_IMAGE_PREVIEW_MAX_SIZE, SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS,
                                 self->load_cancellable, image_loaded_cb, self);
}

static void
update_navigation (SeedreamImagePreview *self)
{
  guint n = n_images (self);

  gtk_widget_set_visible (self->previous_button, n > 1);
  gtk_widget_set_visible (self->next_button, n > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.previous", self->position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.next", self->position + 1 < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.first", self->position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.last", self->position + 1 < n);
}

static void
show_position (SeedreamImagePreview *self,
               guint                 position)
{
  g_autofree char *title = NULL;
  g_autofree char *announcement = NULL;
  guint n = n_images (self);

  if (self->files == NULL || position >= n || position == self->position)
    return;

  self->position = position;
  g_set_object (&self->file, g_ptr_array_index (self->files, position));
  g_set_str (&self->suggested_name, g_ptr_array_index (self->names, position));

  /* Translators: title of the large preview, e.g. “Result 2 of 4” */
  title = g_strdup_printf (_("Result %u of %u"), position + 1, n);
  adw_dialog_set_title (ADW_DIALOG (self), title);
  gtk_picture_set_alternative_text (self->picture, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "", -1);

  /* Translators: said to screen readers when the preview moves to another image */
  announcement = g_strdup_printf (_("Image %u of %u"), position + 1, n);
  gtk_accessible_announce (GTK_ACCESSIBLE (self), announcement, GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);

  update_navigation (self);
  load_image (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUGGESTED_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (widget);

  if (self->position > 0)
    show_position (self, self->position - 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (widget);

  show_position (self, self->position + 1);
}

static void
first_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  show_position (SEEDREAM_IMAGE_PREVIEW (widget), 0);
}

static void
last_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (widget);

  show_position (self, n_images (self) - 1);
}

/* A quick horizontal flick moves on; the velocity is in pixels per second,
 * and a slow or mostly vertical drag is not a swipe. */
#define SWIPE_MIN_VELOCITY 300.0

static void
swipe_cb (GtkGestureSwipe      *gesture,
          double                velocity_x,
          double                velocity_y,
          SeedreamImagePreview *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (fabs (velocity_x) < SWIPE_MIN_VELOCITY || fabs (velocity_x) < fabs (velocity_y))
    return;

  /* Dragging the image to the left brings the next one, as in a book. */
  if ((velocity_x < 0) != rtl)
    gtk_widget_activate_action (GTK_WIDGET (self), "preview.next", NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "preview.previous", NULL);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (widget);

  seedream_result_save_as (widget, self->file, self->suggested_name, self->cancellable);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (widget);

  seedream_result_copy_image (widget, self->file, self->cancellable);
}

static void
open_with_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (widget);

  seedream_result_open_with (widget, self->file, self->cancellable);
}

static void
use_as_source_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (widget);
  g_autofree char *uri = g_file_get_uri (self->file);

  gtk_widget_activate_action (widget, SEEDREAM_WINDOW_USE_AS_SOURCE_ACTION, "s", uri);
  adw_dialog_close (ADW_DIALOG (self));
}

SeedreamImagePreview *
seedream_image_preview_new (GFile      *file,
                            const char *title,
                            const char *suggested_name)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (SEEDREAM_TYPE_IMAGE_PREVIEW,
                       "file", file,
                       "title", title,
                       "suggested-name", suggested_name,
                       NULL);
}

SeedreamImagePreview *
seedream_image_preview_new_for_files (GPtrArray          *files,
                                      const char * const *suggested_names,
                                      guint               position)
{
  SeedreamImagePreview *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (files != NULL && files->len > 0, NULL);
  g_return_val_if_fail (suggested_names != NULL, NULL);
  g_return_val_if_fail (g_strv_length ((char **) suggested_names) == files->len, NULL);

  position = MIN (position, files->len - 1);
  title = g_strdup_printf (_("Result %u of %u"), position + 1, files->len);
  self = g_object_new (SEEDREAM_TYPE_IMAGE_PREVIEW,
                       "file", g_ptr_array_index (files, position),
                       "title", title,
                       "suggested-name", suggested_names[position],
                       NULL);

  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < files->len; i++)
    {
      g_return_val_if_fail (G_IS_FILE (g_ptr_array_index (files, i)), self);
      g_ptr_array_add (self->files, g_object_ref (g_ptr_array_index (files, i)));
      g_ptr_array_add (self->names, g_strdup (suggested_names[i]));
    }
  self->position = position;
  update_navigation (self);

  return self;
}

guint
seedream_image_preview_get_position (SeedreamImagePreview *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_PREVIEW (self), 0);

  return self->position;
}

guint
seedream_image_preview_get_n_images (SeedreamImagePreview *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_PREVIEW (self), 0);

  return n_images (self);
}

GFile *
seedream_image_preview_get_file (SeedreamImagePreview *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_PREVIEW (self), NULL);

  return self->file;
}

gboolean
seedream_image_preview_get_loaded (SeedreamImagePreview *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_PREVIEW (self), FALSE);

  return self->loaded;
}

GdkPaintable *
seedream_image_preview_get_paintable (SeedreamImagePreview *self)
{
  g_return_val_if_fail (SEEDREAM_IS_IMAGE_PREVIEW (self), NULL);

  return gtk_picture_get_paintable (self->picture);
}

/**
 * seedream_image_preview_set_result:
 * @self: a preview
 * @history_id: the history row of the image, or 0 (no star)
 * @index: which of its results
 *
 * Shows the star of that image; :favourite is what it shows.
 */
void
seedream_image_preview_set_result (SeedreamImagePreview *self,
                                   gint64                history_id,
                                   guint                 index)
{
  g_return_if_fail (SEEDREAM_IS_IMAGE_PREVIEW (self));

  seedream_favourite_button_set_result (SEEDREAM_FAVOURITE_BUTTON (self->favourite_button), history_id, index);
}

static void
seedream_image_preview_constructed (GObject *object)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (object);
  g_autofree char *name = NULL;

  G_OBJECT_CLASS (seedream_image_preview_parent_class)->constructed (object);

  g_return_if_fail (G_IS_FILE (self->file));

  if (self->suggested_name == NULL)
    self->suggested_name = g_file_get_basename (self->file);

  name = g_strdup (adw_dialog_get_title (ADW_DIALOG (self)));
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      name = g_file_get_basename (self->file);
      adw_dialog_set_title (ADW_DIALOG (self), name);
    }
  gtk_picture_set_alternative_text (self->picture, name);

  update_navigation (self);
  load_image (self);
}

static void
seedream_image_preview_dispose (GObject *object)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_IMAGE_PREVIEW);

  G_OBJECT_CLASS (seedream_image_preview_parent_class)->dispose (object);
}

static void
seedream_image_preview_finalize (GObject *object)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->suggested_name, g_free);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);

  G_OBJECT_CLASS (seedream_image_preview_parent_class)->finalize (object);
}

static void
seedream_image_preview_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_SUGGESTED_NAME:
      g_value_set_string (value, self->suggested_name);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    case PROP_FAVOURITE:
      g_value_set_boolean (value, self->favourite);
      break;

    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_image_preview_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SeedreamImagePreview *self = SEEDREAM_IMAGE_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    case PROP_SUGGESTED_NAME:
      if (g_set_str (&self->suggested_name, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_FAVOURITE:
      if (self->favourite != g_value_get_boolean (value))
        {
          self->favourite = g_value_get_boolean (value);
          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->favourite_button), self->favourite);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
arrow_cb (GtkWidget *widget,
          GVariant  *args,
          gpointer   user_data)
{
  gboolean right = GPOINTER_TO_INT (user_data);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;

  return gtk_widget_activate_action (widget, right != rtl ? "preview.next" : "preview.previous", NULL);
}

static void
add_key (GtkShortcutController *controller,
         guint                  keyval,
         GtkShortcutAction     *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, 0), action));
}

/* Escape is the dialog's own. The dialog binds the arrows to moving the
 * focus, so these are taken in the capture phase, before it; the arrows
 * are read by direction (right-to-left: the previous image is to the
 * right). */
static void
add_navigation_keys (SeedreamImagePreview *self)
{
  GtkShortcutController *controller = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());

  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (controller), GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (controller), "preview-navigation");
  add_key (controller, GDK_KEY_Left, gtk_callback_action_new (arrow_cb, GINT_TO_POINTER (FALSE), NULL));
  add_key (controller, GDK_KEY_KP_Left, gtk_callback_action_new (arrow_cb, GINT_TO_POINTER (FALSE), NULL));
  add_key (controller, GDK_KEY_Right, gtk_callback_action_new (arrow_cb, GINT_TO_POINTER (TRUE), NULL));
  add_key (controller, GDK_KEY_KP_Right, gtk_callback_action_new (arrow_cb, GINT_TO_POINTER (TRUE), NULL));
  add_key (controller, GDK_KEY_Page_Up, gtk_named_action_new ("preview.previous"));
  add_key (controller, GDK_KEY_Page_Down, gtk_named_action_new ("preview.next"));
  add_key (controller, GDK_KEY_Home, gtk_named_action_new ("preview.first"));
  add_key (controller, GDK_KEY_End, gtk_named_action_new ("preview.last"));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (controller));
}

static void
seedream_image_preview_class_init (SeedreamImagePreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = seedream_image_preview_constructed;
  object_class->dispose = seedream_image_preview_dispose;
  object_class->finalize = seedream_image_preview_finalize;
  object_class->get_property = seedream_image_preview_get_property;
  object_class->set_property = seedream_image_preview_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUGGESTED_NAME] =
    g_param_spec_string ("suggested-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAVOURITE] =
    g_param_spec_boolean ("favourite", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-image-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamImagePreview, stack);
  gtk_widget_class_bind_template_child (widget_class, SeedreamImagePreview, picture);
  gtk_widget_class_bind_template_child (widget_class, SeedreamImagePreview, error_page);
  gtk_widget_class_bind_template_child (widget_class, SeedreamImagePreview, favourite_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamImagePreview, previous_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamImagePreview, next_button);
  gtk_widget_class_bind_template_callback (widget_class, swipe_cb);

  gtk_widget_class_install_action (widget_class, "preview.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "preview.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "preview.open-with", NULL, open_with_action);
  gtk_widget_class_install_action (widget_class, "preview.use-as-source", NULL, use_as_source_action);
  gtk_widget_class_install_action (widget_class, "preview.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "preview.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "preview.first", NULL, first_action);
  gtk_widget_class_install_action (widget_class, "preview.last", NULL, last_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "preview.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "preview.copy", NULL);
}

static void
seedream_image_preview_init (SeedreamImagePreview *self)
{
  self->cancellable = g_cancellable_new ();

  g_type_ensure (SEEDREAM_TYPE_FAVOURITE_BUTTON);
  gtk_widget_init_template (GTK_WIDGET (self));
  add_navigation_keys (self);
}
