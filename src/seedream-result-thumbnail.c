/* seedream-result-thumbnail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One result image on a task row: a rounded thumbnail decoded off the main
 * loop, activated (click, Enter, Space) to open the large preview, with a
 * menu (also on right-click, long-press, Menu and Shift+F10) of what can be
 * done with the image, and a drag source offering the file and the image.
 * Its star (once it has a history row) shows :favourite.
 */

#define G_LOG_DOMAIN "seedream-result-thumbnail"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-compare-pick.h"
#include "seedream-favourite-button.h"
#include "seedream-image-info.h"
#include "seedream-image-preview.h"
#include "seedream-result-actions.h"
#include "seedream-result-thumbnail.h"
#include "seedream-tile-layout.h"
#include "seedream-thumbnail-loader.h"
#include "seedream-toast.h"
#include "seedream-window.h"

/* Square tiles of one size: a row of them stays tidy and does not move
 * when an image's dimensions arrive. */
#define THUMBNAIL_SIZE 128

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
  gboolean       favourite;
  gint64         history_id;

  GtkPicture    *picture;
  GtkWidget     *missing_icon;
  GtkMenuButton *menu_button;
  GtkWidget     *favourite_button;
  GCancellable  *cancellable;

  /* Picked for Compare: the window's selection, followed while rooted. */
  SeedreamComparePick *pick;
  gboolean       compare_selected;
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
  PROP_FAVOURITE,
  PROP_COMPARE_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

  if (self->compare_selected)
    g_string_append (details, seedream_compare_pick_describe ());
  if (self->missing)
    {
      if (details->len > 0)
        g_string_append (details, " · ");
      g_string_append (details, _("The file is missing"));
    }
  else
    {
      if (self->width > 0 && self->height > 0)
        {
          if (details->len > 0)
            g_string_append (details, " · ");
          /* Translators: pixel dimensions of an image; the plural follows the height */
          g_string_append_printf (details, ngettext ("%u × %u pixel", "%u × %u pixels", self->height),
                                  self->width, self->height);
        }
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

/* The thumbnails beside this one (those of its task, in order), so that
 * the preview can move through them; only this one when it stands alone. */
static GPtrArray *
collect_siblings (SeedreamResultThumbnail *self)
{
  GPtrArray *siblings = g_ptr_array_new ();
  GtkWidget *box = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_FLOW_BOX);

  if (box != NULL)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (box);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          GtkWidget *tile = GTK_IS_FLOW_BOX_CHILD (child) ? gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child)) : NULL;

          if (SEEDREAM_IS_RESULT_THUMBNAIL (tile) && !SEEDREAM_RESULT_THUMBNAIL (tile)->missing)
            g_ptr_array_add (siblings, tile);
        }
    }

  if (!g_ptr_array_find (siblings, self, NULL))
    {
      g_ptr_array_set_size (siblings, 0);
      g_ptr_array_add (siblings, self);
    }

  return siblings;
}

/* The preview's star is the star of the image it shows: as it moves
 * through the task's images, it takes the next tile's history row, index
 * and :favourite. */
typedef struct
{
  GPtrArray *tiles;    /* (element-type SeedreamResultThumbnail) (owned) */
  GBinding  *binding;  /* (nullable) (unowned) */
} StarFollow;

static void
star_follow_free (gpointer data)
{
  StarFollow *follow = data;

  g_ptr_array_unref (follow->tiles);
  g_free (follow);
}

static void
preview_position_cb (SeedreamImagePreview *preview,
                     GParamSpec           *pspec,
                     StarFollow           *follow)
{
  guint position = seedream_image_preview_get_position (preview);
  SeedreamResultThumbnail *tile;

  if (position >= follow->tiles->len)
    return;

  tile = g_ptr_array_index (follow->tiles, position);
  g_clear_pointer (&follow->binding, g_binding_unbind);
  seedream_image_preview_set_result (preview, tile->history_id, tile->index);
  follow->binding = g_object_bind_property (tile, "favourite", preview, "favourite", G_BINDING_SYNC_CREATE);
}

static void
follow_star (SeedreamImagePreview *preview,
             GPtrArray            *tiles)
{
  StarFollow *follow = g_new0 (StarFollow, 1);

  follow->tiles = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tiles->len; i++)
    g_ptr_array_add (follow->tiles, g_object_ref (g_ptr_array_index (tiles, i)));

  g_object_set_data_full (G_OBJECT (preview), "seedream-star-follow", follow, star_follow_free);
  g_signal_connect (preview, "notify::position", G_CALLBACK (preview_position_cb), follow);
  preview_position_cb (preview, NULL, follow);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (widget);
  g_autoptr(GPtrArray) siblings = collect_siblings (self);
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) suggested = NULL;
  SeedreamImagePreview *preview;
  guint position = 0;

  for (guint i = 0; i < siblings->len; i++)
    {
      SeedreamResultThumbnail *tile = g_ptr_array_index (siblings, i);

      if (tile == self)
        position = i;
      g_ptr_array_add (files, tile->file);
      g_strv_builder_take (names, seedream_result_thumbnail_dup_suggested_name (tile));
    }
  suggested = g_strv_builder_end (names);

  if (files->len > 1)
    preview = seedream_image_preview_new_for_files (files, (const char * const *) suggested, position);
  else
    {
      g_autofree char *title = NULL;

      /* Translators: title of the large preview, e.g. “Result 2 of 4” */
      title = g_strdup_printf (_("Result %u of %u"), self->index + 1, MAX (self->count, self->index + 1));
      preview = seedream_image_preview_new (self->file, title, suggested[0]);
    }

  follow_star (preview, siblings);
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
copy_prompt_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->prompt != NULL ? self->prompt : "");
  seedream_toast_show (widget, _("Prompt copied"), FALSE);
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
compare_with_source_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (widget);
  g_autofree char *uri = g_file_get_uri (self->file);

  gtk_widget_activate_action (widget, SEEDREAM_WINDOW_COMPARE_WITH_SOURCE_ACTION, "s", uri);
}

/* The property follows the window's selection: picked or not is decided
 * there (it may be full), and shown here. */
static void
sync_compare_selected (SeedreamResultThumbnail *self)
{
  gboolean selected = seedream_compare_pick_get_picked (self->pick);

  if (selected == self->compare_selected)
    return;

  self->compare_selected = selected;
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE_SELECTED]);
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
  g_menu_append (files, _("Copy _Prompt"), "result.copy-prompt");
  g_menu_append (files, _("Open _With Default App"), "result.open-with");
  g_menu_append (compose, _("_Use as Source"), "result.use-as-source");
  g_menu_append (compose, _("Pick for Co_mparison"), "result.pick-for-compare");
  g_menu_append (compose, _("Compare With _Source"), "result.compare-with-source");
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

/**
 * seedream_result_thumbnail_set_history_id:
 * @self: a thumbnail
 * @history_id: the submission's history row, or 0 (no star)
 *
 * Shows the star, whose clicks store this image's favourite in that row.
 */
void
seedream_result_thumbnail_set_history_id (SeedreamResultThumbnail *self,
                                          gint64                   history_id)
{
  g_return_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self));

  self->history_id = history_id;
  seedream_favourite_button_set_result (SEEDREAM_FAVOURITE_BUTTON (self->favourite_button), history_id, self->index);
}

gboolean
seedream_result_thumbnail_get_favourite (SeedreamResultThumbnail *self)
{
  g_return_val_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self), FALSE);

  return self->favourite;
}

void
seedream_result_thumbnail_set_favourite (SeedreamResultThumbnail *self,
                                         gboolean                 favourite)
{
  g_return_if_fail (SEEDREAM_IS_RESULT_THUMBNAIL (self));

  favourite = !!favourite;
  if (self->favourite == favourite)
    return;

  self->favourite = favourite;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->favourite_button), favourite);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAVOURITE]);
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
  seedream_thumbnail_load_async (self->file, THUMBNAIL_SIZE * 2, SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS, self->cancellable,
                                 thumbnail_loaded_cb, self);
}

static void
seedream_result_thumbnail_dispose (GObject *object)
{
  SeedreamResultThumbnail *self = SEEDREAM_RESULT_THUMBNAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->pick);

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

    case PROP_FAVOURITE:
      g_value_set_boolean (value, self->favourite);
      break;

    case PROP_COMPARE_SELECTED:
      g_value_set_boolean (value, self->compare_selected);
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
      seedream_compare_pick_set_file (self->pick, self->file);
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

    case PROP_FAVOURITE:
      seedream_result_thumbnail_set_favourite (self, g_value_get_boolean (value));
      break;

    case PROP_COMPARE_SELECTED:
      seedream_compare_pick_set_picked (self->pick, g_value_get_boolean (value));
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
  properties[PROP_FAVOURITE] =
    g_param_spec_boolean ("favourite", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPARE_SELECTED] =
    g_param_spec_boolean ("compare-selected", NULL, NULL,
                          FALSE,
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
  gtk_widget_class_install_action (widget_class, "result.copy-prompt", NULL, copy_prompt_action);
  gtk_widget_class_install_action (widget_class, "result.open-with", NULL, open_with_action);
  gtk_widget_class_install_action (widget_class, "result.use-as-source", NULL, use_as_source_action);
  gtk_widget_class_install_action (widget_class, "result.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "result.compare-with-source", NULL, compare_with_source_action);
  /* A check item in the menu, in step with the window's selection. */
  gtk_widget_class_install_property_action (widget_class, "result.pick-for-compare", "compare-selected");
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

  /* Hidden until there is a history row to keep the star in. */
  self->favourite_button = seedream_favourite_button_new ();
  gtk_widget_set_visible (self->favourite_button, FALSE);
  gtk_widget_set_halign (self->favourite_button, GTK_ALIGN_START);
  gtk_widget_set_valign (self->favourite_button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->favourite_button, 6);
  gtk_widget_set_margin_start (self->favourite_button, 6);
  gtk_widget_remove_css_class (self->favourite_button, "flat");
  gtk_widget_add_css_class (self->favourite_button, "circular");
  gtk_widget_add_css_class (self->favourite_button, "osd");
  gtk_widget_set_cursor_from_name (self->favourite_button, "default");

  overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->picture));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->missing_icon);
  /* The check mark, above the picture and below the buttons. */
  self->pick = seedream_compare_pick_new (GTK_WIDGET (self), GTK_OVERLAY (overlay));
  g_signal_connect_object (self->pick, "notify::picked", G_CALLBACK (sync_compare_selected), self, G_CONNECT_SWAPPED);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->menu_button));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->favourite_button);
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
