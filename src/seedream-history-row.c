/* seedream-history-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One past submission in the history view. Rows are recycled as the list
 * scrolls: set_entry() replaces everything and cancels the thumbnail loads
 * of the entry shown before.
 */

#define G_LOG_DOMAIN "seedream-history-row"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-compare-pick.h"
#include "seedream-excerpt.h"
#include "seedream-favourite-button.h"
#include "seedream-history-row.h"
#include "seedream-lineage-link.h"
#include "seedream-window.h"
#include "seedream-thumbnail-loader.h"
#include "seedream-toast.h"

#define PROMPT_EXCERPT_CHARS 200
#define STRIP_THUMBNAIL_SIZE 56
#define STRIP_MAX_THUMBNAILS 8

struct _SeedreamHistoryRow
{
  AdwBin                parent_instance;

  SeedreamHistoryEntry *entry;
  GCancellable         *cancellable;

  GtkLabel             *prompt_label;
  GtkLabel             *state_label;
  GtkLabel             *details_label;
  GtkLabel             *message_label;
  GtkBox               *thumbnails_box;
  GtkWidget            *task_id_box;
  GtkLabel             *task_id_label;
  GtkWidget            *reuse_button;
  GtkToggleButton      *favourite_button;
  GtkWidget            *delete_button;
  GtkWidget            *lineage_box;
  SeedreamLineageLink  *from_link;
  GtkWidget            *chain_button;
};

G_DEFINE_FINAL_TYPE (SeedreamHistoryRow, seedream_history_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REUSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
seedream_history_row_format_date (GDateTime *created,
                                  GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) today = NULL;
  GTimeSpan days;

  g_return_val_if_fail (created != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  local = g_date_time_to_local (created);
  local_now = g_date_time_to_local (now);
  day = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                               g_date_time_get_day_of_month (local), 0, 0, 0);
  today = g_date_time_new_local (g_date_time_get_year (local_now), g_date_time_get_month (local_now),
                                 g_date_time_get_day_of_month (local_now), 0, 0, 0);
  /* Calendar days, rounded: a day with a daylight saving change is 23 or 25 hours. */
  days = (g_date_time_difference (today, day) + G_TIME_SPAN_HOUR * 12) / G_TIME_SPAN_DAY;

  if (days == 0)
    /* Translators: a time today, as g_date_time_format() takes it: “Today 14:02” */
    return g_date_time_format (local, _("Today %H:%M"));
  if (days == 1)
    /* Translators: a time yesterday, as g_date_time_format() takes it: “Yesterday 09:15” */
    return g_date_time_format (local, _("Yesterday %H:%M"));
  if (days > 1 && days < 7)
    /* Translators: a time in the last week, as g_date_time_format() takes it: “Monday 18:40” */
    return g_date_time_format (local, _("%A %H:%M"));
  if (days > 0 && g_date_time_get_year (local) == g_date_time_get_year (local_now))
    /* Translators: a date this year, as g_date_time_format() takes it: “3 Mar 14:02” */
    return g_date_time_format (local, _("%-d %b %H:%M"));

  /* Translators: a date in another year, as g_date_time_format() takes it: “3 Mar 2024” */
  return g_date_time_format (local, _("%-d %b %Y"));
}

static char *
format_resolution (const char *resolution)
{
  guint64 width, height;
  char *end = NULL;

  /* "2048x2048" reads better as "2048 × 2048"; presets ("2K") stay. */
  if (resolution == NULL || !g_ascii_isdigit (resolution[0]))
    return g_strdup (resolution);

  width = g_ascii_strtoull (resolution, &end, 10);
  if (end == NULL || (*end != 'x' && *end != 'X') || !g_ascii_isdigit (end[1]))
    return g_strdup (resolution);
  height = g_ascii_strtoull (end + 1, &end, 10);
  if (*end != '\0')
    return g_strdup (resolution);

  return g_strdup_printf ("%" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT, width, height);
}

/* The model by its name (a row whose model is no longer in the table
 * reads as the default, as Reuse then uses it). */
static const char *
model_name (SeedreamHistoryEntry *entry)
{
  return seedream_request_get_model (seedream_history_entry_get_request (entry))->display_name;
}

static void
strip_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = seedream_thumbnail_load_finish (result, &error);
  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_widget_set_tooltip_text (GTK_WIDGET (picture), error->message);
}

/* Stops loading the images of the entry shown before. */
static void
cancel_strip_loads (SeedreamHistoryRow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
strip_item_picked_cb (GtkWidget *item)
{
  SeedreamComparePick *pick = g_object_get_data (G_OBJECT (item), "compare-pick");
  gboolean picked = seedream_compare_pick_get_picked (pick);

  /* Announced as a task row's tile announces it. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_STATE_PRESSED, picked, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  picked ? seedream_compare_pick_describe () : "", -1);
}

static void
strip_item_clicked_cb (GtkWidget *item)
{
  SeedreamComparePick *pick = g_object_get_data (G_OBJECT (item), "compare-pick");

  seedream_compare_pick_set_picked (pick, !seedream_compare_pick_get_picked (pick));
}

/* A result image in the strip: a button that picks it for comparison, and
 * unpicks it, as the tiles' "Pick for Comparison" does. */
static GtkWidget *
strip_item_new (void)
{
  GtkWidget *item = g_object_new (GTK_TYPE_BUTTON,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_TOGGLE_BUTTON,
                                  "tooltip-text", _("Pick for Comparison"),
                                  NULL);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *star;
  SeedreamComparePick *pick;

  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_size_request (picture, STRIP_THUMBNAIL_SIZE, STRIP_THUMBNAIL_SIZE);
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (picture, "history-thumbnail");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);

  /* A starred image is marked here as on its tile (the pick's mark takes
   * the other corner); starring is done on the tile or in the preview. */
  star = gtk_image_new_from_icon_name ("starred-symbolic");
  gtk_widget_set_halign (star, GTK_ALIGN_END);
  gtk_widget_set_valign (star, GTK_ALIGN_END);
  gtk_widget_set_margin_end (star, 4);
  gtk_widget_set_margin_bottom (star, 4);
  gtk_widget_set_can_target (star, FALSE);
  gtk_widget_add_css_class (star, "history-thumbnail-star");
  gtk_widget_set_visible (star, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), star);
  g_object_set_data (G_OBJECT (item), "favourite-star", star);

  gtk_button_set_child (GTK_BUTTON (item), overlay);
  gtk_widget_add_css_class (item, "flat");
  gtk_widget_add_css_class (item, "history-thumbnail-button");

  pick = seedream_compare_pick_new (item, GTK_OVERLAY (overlay));
  g_object_set_data_full (G_OBJECT (item), "compare-pick", pick, g_object_unref);
  g_signal_connect_object (pick, "notify::picked", G_CALLBACK (strip_item_picked_cb), item, G_CONNECT_SWAPPED);
  g_signal_connect (item, "clicked", G_CALLBACK (strip_item_clicked_cb), NULL);
  gtk_accessible_update_state (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_STATE_PRESSED, FALSE, -1);

  return item;
}

static GtkPicture *
strip_item_get_picture (GtkWidget *item)
{
  return GTK_PICTURE (gtk_overlay_get_child (GTK_OVERLAY (gtk_button_get_child (GTK_BUTTON (item)))));
}

/* The strip of result images. The items of the entry shown before are
 * reused, and those it does not need are hidden, not destroyed: making and
 * destroying them at every bind (rows have 1 to 8 images) was most of what
 * binding a row cost while the history scrolls. */
static void
update_thumbnails (SeedreamHistoryRow *self)
{
  GPtrArray *results = seedream_history_entry_get_results (self->entry);
  GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->thumbnails_box));
  guint n_results = results->len, shown = 0;

  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < n_results && shown < STRIP_MAX_THUMBNAILS; i++)
    {
      SeedreamHistoryResult *result = g_ptr_array_index (results, i);
      const char *path = seedream_history_result_get_local_path (result);
      g_autoptr(GFile) file = NULL;
      g_autofree char *label = NULL;
      GtkPicture *picture;
      gboolean favourite;

      /* Local copies only: the history never downloads. */
      if (path == NULL || *path == '\0')
        continue;

      if (item == NULL)
        {
          item = strip_item_new ();
          gtk_box_append (self->thumbnails_box, item);
          picture = strip_item_get_picture (item);
        }
      else
        {
          picture = strip_item_get_picture (item);
          gtk_picture_set_paintable (picture, NULL);
          gtk_widget_set_visible (item, TRUE);
          /* Only where an image failed: changing a tooltip asks the display
           * where the pointer is. */
          if (gtk_widget_get_has_tooltip (GTK_WIDGET (picture)))
            gtk_widget_set_tooltip_text (GTK_WIDGET (picture), NULL);
        }

      favourite = seedream_history_result_get_favourite (result);
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (item), "favourite-star"), favourite);
      if (favourite)
        /* Translators: accessible name of a small result image in the history that has a star */
        label = g_strdup_printf (_("Result image %u of %u, a favourite"), seedream_history_result_get_index (result) + 1, n_results);
      else
        /* Translators: accessible name of a small result image in the history */
        label = g_strdup_printf (_("Result image %u of %u"), seedream_history_result_get_index (result) + 1, n_results);
      gtk_picture_set_alternative_text (picture, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

      file = g_file_new_for_path (path);
      seedream_compare_pick_set_file (g_object_get_data (G_OBJECT (item), "compare-pick"), file);
      seedream_thumbnail_load_async (file, STRIP_THUMBNAIL_SIZE * 2, SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS, self->cancellable,
                                     strip_loaded_cb, g_object_ref (picture));
      shown++;
      item = gtk_widget_get_next_sibling (item);
    }

  /* Items left over from an entry with more images, kept for the next
   * one: hidden, holding no image and picking nothing. */
  for (; item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      gtk_widget_set_visible (item, FALSE);
      gtk_picture_set_paintable (strip_item_get_picture (item), NULL);
      seedream_compare_pick_set_file (g_object_get_data (G_OBJECT (item), "compare-pick"), NULL);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->thumbnails_box), shown > 0);
}

/* "From: <the parent's prompt>" (a link to the parent's chain) and Show
 * Chain, for rows in a chain; nothing is laid out for the others. */
static void
update_lineage (SeedreamHistoryRow *self)
{
  const char *parent_prompt = seedream_history_entry_get_parent_prompt (self->entry);
  guint n_children = seedream_history_entry_get_n_children (self->entry);
  gint64 parent_id = 0;

  seedream_history_entry_get_parent (self->entry, &parent_id, NULL);
  gtk_widget_set_visible (self->lineage_box, parent_prompt != NULL || n_children > 0);
  seedream_lineage_link_set_parent (self->from_link, parent_id, parent_prompt);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->chain_button), "x",
                                    seedream_history_entry_get_id (self->entry));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->chain_button), SEEDREAM_WINDOW_SHOW_CHAIN_ACTION);
}

static void
update (SeedreamHistoryRow *self)
{
  static const char * const state_classes[] = { "accent", "success", "error", "warning" };
  SeedreamHistoryState state;
  const char *state_class = NULL;
  const char *prompt, *task_id, *error_message, *server_message;
  g_autofree char *excerpt = NULL;
  g_autofree char *date = NULL;
  g_autofree char *resolution = NULL;
  g_autofree char *count = NULL;
  g_autofree char *details = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GDateTime) now = NULL;
  gboolean message_is_error = TRUE;
  guint n_images;

  cancel_strip_loads (self);

  /* Unbound: the list view hides this row until it binds it to another
   * entry, which replaces everything below. Blanking the labels and making
   * Reuse insensitive in between restyled and re-measured every recycled
   * row twice, a large part of each frame while the history scrolls. */
  if (self->entry == NULL)
    return;

  prompt = seedream_history_entry_get_prompt (self->entry);
  if (prompt != NULL && *prompt != '\0')
    excerpt = seedream_excerpt (prompt, PROMPT_EXCERPT_CHARS);
  else
    excerpt = g_strdup (_("No prompt"));
  gtk_label_set_label (self->prompt_label, excerpt);

  state = seedream_history_entry_get_state (self->entry);
  gtk_label_set_label (self->state_label, seedream_history_state_to_string (state));

  error_message = seedream_history_entry_get_error_message (self->entry);
  server_message = seedream_history_entry_get_server_message (self->entry);

  switch (state)
    {
    case SEEDREAM_HISTORY_STATE_SENDING:
    case SEEDREAM_HISTORY_STATE_SUBMITTED:
      state_class = "accent";
      break;

    case SEEDREAM_HISTORY_STATE_DONE:
      state_class = "success";
      break;

    case SEEDREAM_HISTORY_STATE_SEND_FAILED:
    case SEEDREAM_HISTORY_STATE_TASK_FAILED:
      state_class = "error";
      break;

    case SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN:
      state_class = "warning";
      message_is_error = FALSE;
      if (error_message == NULL)
        error_message = _("The app stopped while sending this. It may or may not have reached TensorsLab, "
                          "and it was not sent again: check the task list on the TensorsLab website "
                          "before sending it again.");
      break;

    case SEEDREAM_HISTORY_STATE_CANCELLED:
      message_is_error = FALSE;
      break;

    case SEEDREAM_HISTORY_STATE_NO_IMAGES:
      /* Finished, nothing came: not a failure; the message says why. */
      state_class = "warning";
      message_is_error = FALSE;
      if (error_message == NULL)
        error_message = _("The service finished the task without any images. It most likely refused "
                          "the prompt or a source image.");
      break;

    default:
      break;
    }

  /* Only the class that changes: taking all off and one back restyles the
   * label even when the state is the same as the last entry's. */
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    if (g_strcmp0 (state_classes[i], state_class) != 0)
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
  if (state_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_class);

  /* The app's words, then the service's own when they say more. */
  if (error_message != NULL && server_message != NULL && strstr (error_message, server_message) == NULL)
    /* Translators: an error, then the service's own message */
    message = g_strdup_printf (_("%s (the service said: “%s”)"), error_message, server_message);
  else if (error_message != NULL)
    message = g_strdup (error_message);
  else if (server_message != NULL && message_is_error)
    message = g_strdup (server_message);

  gtk_label_set_label (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (message_is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "dim-label");
    }

  now = g_date_time_new_now_local ();
  date = seedream_history_row_format_date (seedream_history_entry_get_created (self->entry), now);
  resolution = format_resolution (seedream_history_entry_get_resolution (self->entry));
  /* What came, once something did; what was asked (an upper bound) before. */
  n_images = seedream_history_entry_get_results (self->entry)->len;
  if (n_images > 0)
    count = g_strdup_printf (ngettext ("%u image", "%u images", n_images), n_images);
  else if (state == SEEDREAM_HISTORY_STATE_NO_IMAGES)
    count = g_strdup (_("no images"));
  else
    {
      n_images = seedream_history_entry_get_batch_size (self->entry);
      /* Translators: the number of images asked for; fewer may come */
      count = g_strdup_printf (ngettext ("up to %u image", "up to %u images", n_images), n_images);
    }
  if (resolution != NULL && *resolution != '\0')
    details = g_strjoin (" · ", date, model_name (self->entry), resolution, count, NULL);
  else
    details = g_strjoin (" · ", date, model_name (self->entry), count, NULL);
  gtk_label_set_label (self->details_label, details);

  /* Only when it differs: set_active () restyles the button. */
  if (gtk_toggle_button_get_active (self->favourite_button) != seedream_history_entry_get_favourite (self->entry))
    gtk_toggle_button_set_active (self->favourite_button, seedream_history_entry_get_favourite (self->entry));

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "x",
                                    seedream_history_entry_get_id (self->entry));

  task_id = seedream_history_entry_get_task_id (self->entry);
  gtk_label_set_label (self->task_id_label, task_id);
  gtk_widget_set_visible (self->task_id_box, task_id != NULL && *task_id != '\0');

  update_lineage (self);
  update_thumbnails (self);
}

static void
reuse_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SeedreamHistoryRow *self = SEEDREAM_HISTORY_ROW (widget);

  if (self->entry != NULL)
    g_signal_emit (self, signals[REUSE], 0);
}

/* The click has toggled the star already; the window stores it, and the
 * row is bound again to the changed entry. */
static void
favourite_clicked_cb (SeedreamHistoryRow *self)
{
  gboolean favourite = gtk_toggle_button_get_active (self->favourite_button);

  if (self->entry == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.set-favourite", "(xb)",
                              seedream_history_entry_get_id (self->entry), favourite);
}

static void
copy_task_id_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SeedreamHistoryRow *self = SEEDREAM_HISTORY_ROW (widget);
  const char *task_id;

  if (self->entry == NULL)
    return;

  task_id = seedream_history_entry_get_task_id (self->entry);
  if (task_id == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), task_id);

  seedream_toast_show (widget, _("Task ID copied"), FALSE);
}

GtkWidget *
seedream_history_row_new (void)
{
  return g_object_new (SEEDREAM_TYPE_HISTORY_ROW, NULL);
}

SeedreamHistoryEntry *
seedream_history_row_get_entry (SeedreamHistoryRow *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ROW (self), NULL);

  return self->entry;
}

void
seedream_history_row_set_entry (SeedreamHistoryRow   *self,
                                SeedreamHistoryEntry *entry)
{
  g_return_if_fail (SEEDREAM_IS_HISTORY_ROW (self));
  g_return_if_fail (entry == NULL || SEEDREAM_IS_HISTORY_ENTRY (entry));

  if (!g_set_object (&self->entry, entry))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

static void
seedream_history_row_dispose (GObject *object)
{
  SeedreamHistoryRow *self = SEEDREAM_HISTORY_ROW (object);

  cancel_strip_loads (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_HISTORY_ROW);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (seedream_history_row_parent_class)->dispose (object);
}

static void
seedream_history_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SeedreamHistoryRow *self = SEEDREAM_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_history_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SeedreamHistoryRow *self = SEEDREAM_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      seedream_history_row_set_entry (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_history_row_class_init (SeedreamHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_history_row_dispose;
  object_class->get_property = seedream_history_row_get_property;
  object_class->set_property = seedream_history_row_set_property;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL,
                         SEEDREAM_TYPE_HISTORY_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SeedreamHistoryRow::reuse:
   *
   * The person asked to fill the compose form from this row's entry.
   */
  signals[REUSE] = g_signal_new ("reuse",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, thumbnails_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, task_id_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, task_id_label);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, reuse_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, favourite_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, favourite_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, lineage_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, from_link);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryRow, chain_button);

  gtk_widget_class_install_action (widget_class, "history-row.reuse", NULL, reuse_action);
  gtk_widget_class_install_action (widget_class, "history-row.copy-task-id", NULL, copy_task_id_action);

  gtk_widget_class_set_css_name (widget_class, "history-row");

  g_type_ensure (SEEDREAM_TYPE_FAVOURITE_BUTTON);
  g_type_ensure (SEEDREAM_TYPE_LINEAGE_LINK);
}

static void
seedream_history_row_init (SeedreamHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
