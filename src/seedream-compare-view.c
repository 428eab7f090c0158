/* seedream-compare-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The comparison of two to four images (see the header). Each image is a
 * SeedreamComparePane whose zoom and centre are bound to the first pane's,
 * so a zoom or pan in one is a zoom or pan in all.
 */

#define G_LOG_DOMAIN "seedream-compare-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "seedream-compare-pane.h"
#include "seedream-compare-selection.h"
#include "seedream-compare-slider.h"
#include "seedream-compare-view.h"
#include "seedream-image-preview.h"
#include "seedream-thumbnail-loader.h"

#define ZOOM_STEP 1.25
/* Decoded no larger than this on the longer side. Four 4096 px textures
 * stalled the first frames by 0.5-0.9 s (the upload and the scaling down,
 * bench-stalls compare); the panes of a 1200 px dialog are at most about
 * 1200 px across, so this is still sharp at 1.5x zoom there. */
#define DECODE_SIZE 1600
/* The first pass decodes at the size shown, rounded up to this, and no
 * smaller than the minimum: four 1600 px textures were most of the
 * dialog's first frames under GL (llvmpipe uploads and scales them down),
 * 200 ms against 44 ms for an empty dialog, bench-stalls compare. */
#define FIT_STEP     128
#define FIT_MIN_SIZE 256

struct _SeedreamCompareView
{
  AdwDialog        parent_instance;

  GPtrArray       *items;     /* SeedreamCompareItem, in order */
  GPtrArray       *panes;     /* SeedreamComparePane, one an item */
  guint            n_loaded;  /* in the pass under way */
  GCancellable    *cancellable;
  /* A pass decodes every image at one size, one at a time. The first is
   * at the size shown; zooming in or the slider starts one at what they
   * need, whose textures replace the shown ones together: one redraw,
   * and never one image sharp beside a soft one. */
  int              pass_size;   /* 0: no pass under way */
  int              shown_size;  /* of the textures shown; 0 before any */
  gboolean         first_done;
  GPtrArray       *pending;     /* GdkTexture or NULL, of a later pass */
  guint            start_tick_id;
  gulong           layout_handler;  /* on the frame clock, while mapped */
  int              shown_width;     /* of what is shown, at the last layout */
  int              shown_height;

  GtkStack        *stack;
  GtkBox          *panes_box;
  GtkWidget       *slider_button;
  GtkWidget       *zoom_box;
  SeedreamCompareSlider *slider;
  GtkLabel        *slider_label;
};

G_DEFINE_FINAL_TYPE (SeedreamCompareView, seedream_compare_view, ADW_TYPE_DIALOG)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load_next (SeedreamCompareView *self);
static void maybe_sharpen (SeedreamCompareView *self);

/* A pass's image that failed is NULL in the pending list. */
static void
unref_texture (gpointer texture)
{
  if (texture != NULL)
    g_object_unref (texture);
}

static void
update_reference_size (SeedreamCompareView *self)
{
  int width = 0, height = 0;

  /* The largest image sets the scale for all: the same pixels are the
   * same size on screen in every pane. */
  for (guint i = 0; i < self->panes->len; i++)
    {
      int image_width, image_height;

      /* The images' own sizes, not their textures': a pass decodes each
       * no larger than one size, which would shrink only the larger. */
      seedream_compare_pane_get_image_size (g_ptr_array_index (self->panes, i), &image_width, &image_height);
      width = MAX (width, image_width);
      height = MAX (height, image_height);
    }

  for (guint i = 0; i < self->panes->len; i++)
    seedream_compare_pane_set_reference_size (g_ptr_array_index (self->panes, i), width, height);
}

static void
update_slider (SeedreamCompareView *self)
{
  GdkPaintable *before, *after;

  if (self->items->len != 2)
    return;

  before = seedream_compare_pane_get_paintable (g_ptr_array_index (self->panes, 0));
  after = seedream_compare_pane_get_paintable (g_ptr_array_index (self->panes, 1));
  seedream_compare_slider_set_images (self->slider, before, after);
}

static void
image_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  SeedreamCompareView *self;
  SeedreamComparePane *pane;
  int image_width = 0, image_height = 0;

  texture = seedream_thumbnail_load_finish_full (result, &image_width, &image_height, NULL, &error);

  /* Cancelled only in dispose: the view is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = SEEDREAM_COMPARE_VIEW (user_data);
  pane = g_ptr_array_index (self->panes, self->n_loaded);
  if (!self->first_done)
    {
      /* The first pass shows each image as it comes. */
      if (texture == NULL)
        {
          g_autofree char *description = g_strdup_printf (_("Cannot show this image: %s"), error->message);

          gtk_accessible_update_property (GTK_ACCESSIBLE (pane), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
          gtk_widget_set_tooltip_text (GTK_WIDGET (pane), description);
        }
      else
        seedream_compare_pane_set_paintable (pane, GDK_PAINTABLE (texture), image_width, image_height);
      update_reference_size (self);
      update_slider (self);
    }
  else
    g_ptr_array_add (self->pending, g_steal_pointer (&texture));

  self->n_loaded++;
  if (self->n_loaded < self->items->len)
    {
      load_next (self);
      return;
    }

  if (self->first_done)
    {
      /* A later pass: all at once. An image that failed now keeps what it
       * showed. */
      for (guint i = 0; i < self->pending->len; i++)
        {
          GdkPaintable *sharper = g_ptr_array_index (self->pending, i);
          SeedreamComparePane *shown = g_ptr_array_index (self->panes, i);
          int width, height;

          seedream_compare_pane_get_image_size (shown, &width, &height);
          if (sharper != NULL)
            seedream_compare_pane_set_paintable (shown, sharper, width, height);
        }
      g_ptr_array_set_size (self->pending, 0);
      update_reference_size (self);
      update_slider (self);
    }
  self->shown_size = self->pass_size;
  self->pass_size = 0;
  if (!self->first_done)
    {
      self->first_done = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  /* Zoomed further while this pass ran. */
  maybe_sharpen (self);
}

/* One at a time, in order: four decodes at once took both cores of a
 * small machine from the main loop (a 0.4 s frame under Cairo with four
 * 4096 px images, bench-stalls compare), and the first image shows
 * sooner. */
static void
load_next (SeedreamCompareView *self)
{
  SeedreamCompareItem *item = g_ptr_array_index (self->items, self->n_loaded);

  seedream_thumbnail_load_async (seedream_compare_item_get_file (item), self->pass_size,
                                 SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS, self->cancellable,
                                 image_loaded_cb, self);
}

/* What is shown: the side-by-side panes or the slider. */
static GtkWidget *
shown_widget (SeedreamCompareView *self)
{
  if (seedream_compare_view_get_slider_shown (self))
    return GTK_WIDGET (self->slider);

  return self->panes->len > 0 ? g_ptr_array_index (self->panes, 0) : NULL;
}

/* The longest side an image has on screen when fitted into a box of
 * @width x @height: with the items' pixel sizes, as the panes fit them
 * (the largest sets the scale); the box's longer side when one is not
 * known. */
static double
fitted_side (SeedreamCompareView *self,
             double               width,
             double               height)
{
  guint reference_width = 0, reference_height = 0, longest = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      SeedreamCompareItem *item = g_ptr_array_index (self->items, i);
      guint item_width = seedream_compare_item_get_width (item);
      guint item_height = seedream_compare_item_get_height (item);

      if (item_width == 0 || item_height == 0)
        return MAX (width, height);
      reference_width = MAX (reference_width, item_width);
      reference_height = MAX (reference_height, item_height);
      longest = MAX (longest, MAX (item_width, item_height));
    }
  if (longest == 0)
    return MAX (width, height);

  return MIN (width / reference_width, height / reference_height) * longest;
}

/* The longer side, in device pixels, that the shown images need at the
 * present zoom; 0 while nothing has a size yet. */
static int
needed_size (SeedreamCompareView *self)
{
  GtkWidget *widget = shown_widget (self);
  double zoom = seedream_compare_view_get_slider_shown (self) ? 1.0 : seedream_compare_view_get_zoom (self);
  double side;
  int size;

  if (widget == NULL || gtk_widget_get_width (widget) <= 0 || gtk_widget_get_height (widget) <= 0)
    return 0;

  side = fitted_side (self, gtk_widget_get_width (widget), gtk_widget_get_height (widget))
         * gtk_widget_get_scale_factor (widget) * zoom;
  size = (int) MIN (ceil (side / FIT_STEP) * FIT_STEP, (double) DECODE_SIZE);

  return MAX (size, FIT_MIN_SIZE);
}

static void
start_pass (SeedreamCompareView *self,
            int                  size)
{
  self->pass_size = size;
  self->n_loaded = 0;
  load_next (self);
}

/* A sharper pass when the shown textures are smaller than needed. */
static void
maybe_sharpen (SeedreamCompareView *self)
{
  int size;

  if (!self->first_done || self->pass_size != 0 || self->shown_size >= DECODE_SIZE)
    return;

  size = needed_size (self);
  if (size > self->shown_size)
    start_pass (self, size);
}

static void
zoom_notify_cb (GObject             *pane,
                GParamSpec          *pspec,
                SeedreamCompareView *self)
{
  maybe_sharpen (self);
}

/* Waits for what is shown to have its size. The first pass so starts
 * after the first frame, and never competes with drawing it either. */
static gboolean
sized_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  SeedreamCompareView *self = SEEDREAM_COMPARE_VIEW (widget);
  int size = needed_size (self);

  if (size == 0)
    return G_SOURCE_CONTINUE;

  self->start_tick_id = 0;
  if (!self->first_done && self->pass_size == 0)
    start_pass (self, size);
  else
    maybe_sharpen (self);

  return G_SOURCE_REMOVE;
}

/* Made larger (a maximized window, a larger screen): sharper images if
 * what is shown now has more pixels than were decoded. Checked after each
 * frame's layout, when the sizes are new; a dialog's size_allocate is its
 * layout manager's, not a vfunc of ours. */
static void
frame_layout_cb (SeedreamCompareView *self)
{
  GtkWidget *widget = shown_widget (self);
  int width, height;
  gboolean larger;

  if (widget == NULL)
    return;

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  larger = width > self->shown_width || height > self->shown_height;
  self->shown_width = width;
  self->shown_height = height;
  if (larger)
    maybe_sharpen (self);
}

static void
seedream_compare_view_map (GtkWidget *widget)
{
  SeedreamCompareView *self = SEEDREAM_COMPARE_VIEW (widget);

  GTK_WIDGET_CLASS (seedream_compare_view_parent_class)->map (widget);

  self->layout_handler = g_signal_connect_object (gtk_widget_get_frame_clock (widget), "layout",
                                                  G_CALLBACK (frame_layout_cb), self,
                                                  G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static void
seedream_compare_view_unmap (GtkWidget *widget)
{
  SeedreamCompareView *self = SEEDREAM_COMPARE_VIEW (widget);

  g_clear_signal_handler (&self->layout_handler, gtk_widget_get_frame_clock (widget));

  GTK_WIDGET_CLASS (seedream_compare_view_parent_class)->unmap (widget);
}

/* The first pane holds the zoom and centre; the others are bound to it. */
static void
set_zoom (SeedreamCompareView *self,
          double               zoom)
{
  if (self->panes->len > 0)
    g_object_set (g_ptr_array_index (self->panes, 0), "zoom", zoom, NULL);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SeedreamCompareView *self = SEEDREAM_COMPARE_VIEW (widget);

  set_zoom (self, seedream_compare_view_get_zoom (self) * ZOOM_STEP);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SeedreamCompareView *self = SEEDREAM_COMPARE_VIEW (widget);

  set_zoom (self, seedream_compare_view_get_zoom (self) / ZOOM_STEP);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  set_zoom (SEEDREAM_COMPARE_VIEW (widget), 1.0);
}

static void
slider_toggled_cb (GtkToggleButton     *button,
                   SeedreamCompareView *self)
{
  gboolean slider = gtk_toggle_button_get_active (button);

  gtk_stack_set_visible_child_name (self->stack, slider ? "slider" : "side");
  gtk_widget_set_visible (self->zoom_box, !slider);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.zoom-in", !slider);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.zoom-out", !slider);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.zoom-fit", !slider);
  if (slider)
    gtk_widget_grab_focus (GTK_WIDGET (self->slider));
  /* The slider is larger than a pane; its size is known after the next
   * layout. */
  if (self->first_done && self->start_tick_id == 0)
    self->start_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), sized_tick_cb, NULL, NULL);
}

/* The column of one image: the pane, then its prompt and details. */
static GtkWidget *
build_column (SeedreamCompareView *self,
              SeedreamCompareItem *item,
              guint                position)
{
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *pane = seedream_compare_pane_new ();
  GtkWidget *prompt = gtk_label_new (seedream_compare_item_get_prompt (item));
  g_autofree char *details = seedream_compare_item_dup_details (item);
  g_autofree char *name = NULL;

  /* Translators: accessible name of an image in the comparison: its number, then its prompt */
  name = g_strdup_printf (_("Image %u: %s"), position + 1, seedream_compare_item_get_prompt (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (pane),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
  gtk_widget_set_vexpand (pane, TRUE);
  gtk_widget_set_hexpand (pane, TRUE);
  gtk_widget_add_css_class (pane, "compare-pane");
  if (self->panes->len == 0)
    g_signal_connect_object (pane, "notify::zoom", G_CALLBACK (zoom_notify_cb), self, G_CONNECT_DEFAULT);
  else
    {
      GObject *first = g_ptr_array_index (self->panes, 0);

      g_object_bind_property (first, "zoom", pane, "zoom", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (first, "center-x", pane, "center-x", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (first, "center-y", pane, "center-y", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
    }
  g_ptr_array_add (self->panes, pane);

  gtk_label_set_ellipsize (GTK_LABEL (prompt), PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (GTK_LABEL (prompt), 2);
  gtk_label_set_wrap (GTK_LABEL (prompt), TRUE);
  gtk_label_set_xalign (GTK_LABEL (prompt), 0);
  gtk_widget_set_tooltip_text (prompt, seedream_compare_item_get_prompt (item));

  gtk_box_append (GTK_BOX (column), pane);
  gtk_box_append (GTK_BOX (column), prompt);
  if (details != NULL && *details != '\0')
    {
      GtkWidget *label = gtk_label_new (details);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (column), label);
    }

  return column;
}

/**
 * seedream_compare_view_new:
 * @items: (element-type SeedreamCompareItem): the images, in order; the
 *   first SEEDREAM_COMPARE_MAX_ITEMS are taken (read now)
 *
 * Returns: (transfer floating): a new view
 */
SeedreamCompareView *
seedream_compare_view_new (GListModel *items)
{
  SeedreamCompareView *self;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (items), NULL);

  self = g_object_new (SEEDREAM_TYPE_COMPARE_VIEW, NULL);
  n = MIN (g_list_model_get_n_items (items), SEEDREAM_COMPARE_MAX_ITEMS);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SeedreamCompareItem) item = g_list_model_get_item (items, i);
      g_ptr_array_add (self->items, g_object_ref (item));
      gtk_box_append (self->panes_box, build_column (self, item, i));
    }

  if (n > 0)
    self->start_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), sized_tick_cb, NULL, NULL);

  /* The slider shows two: the first before, the second after. */
  gtk_widget_set_visible (self->slider_button, n == 2);
  if (n == 2)
    {
      SeedreamCompareItem *before = g_ptr_array_index (self->items, 0);
      SeedreamCompareItem *after = g_ptr_array_index (self->items, 1);
      /* Translators: under the before/after slider: the left image's prompt, then the right one's */
      g_autofree char *caption = g_strdup_printf (_("Left: %s\nRight: %s"),
                                                  seedream_compare_item_get_prompt (before),
                                                  seedream_compare_item_get_prompt (after));

      seedream_compare_slider_set_names (self->slider, seedream_compare_item_get_prompt (before),
                                         seedream_compare_item_get_prompt (after));
      gtk_label_set_label (self->slider_label, caption);
    }

  return self;
}

guint
seedream_compare_view_get_n_items (SeedreamCompareView *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_VIEW (self), 0);

  return self->items->len;
}

SeedreamCompareItem *
seedream_compare_view_get_item (SeedreamCompareView *self,
                                guint                position)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_VIEW (self), NULL);
  g_return_val_if_fail (position < self->items->len, NULL);

  return g_ptr_array_index (self->items, position);
}

GtkWidget *
seedream_compare_view_get_pane (SeedreamCompareView *self,
                                guint                position)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_VIEW (self), NULL);
  g_return_val_if_fail (position < self->panes->len, NULL);

  return g_ptr_array_index (self->panes, position);
}

GtkWidget *
seedream_compare_view_get_slider (SeedreamCompareView *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_VIEW (self), NULL);

  return GTK_WIDGET (self->slider);
}

gboolean
seedream_compare_view_get_loaded (SeedreamCompareView *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_VIEW (self), FALSE);

  return self->first_done || self->items->len == 0;
}

double
seedream_compare_view_get_zoom (SeedreamCompareView *self)
{
  double zoom = 1.0;

  g_return_val_if_fail (SEEDREAM_IS_COMPARE_VIEW (self), 1.0);

  if (self->panes->len > 0)
    g_object_get (g_ptr_array_index (self->panes, 0), "zoom", &zoom, NULL);

  return zoom;
}

void
seedream_compare_view_set_slider (SeedreamCompareView *self,
                                  gboolean             slider)
{
  g_return_if_fail (SEEDREAM_IS_COMPARE_VIEW (self));

  if (self->items->len == 2)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->slider_button), slider);
}

gboolean
seedream_compare_view_get_slider_shown (SeedreamCompareView *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_VIEW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "slider") == 0;
}

static void
seedream_compare_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SeedreamCompareView *self = SEEDREAM_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, seedream_compare_view_get_loaded (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_compare_view_dispose (GObject *object)
{
  SeedreamCompareView *self = SEEDREAM_COMPARE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->start_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->start_tick_id);
      self->start_tick_id = 0;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_COMPARE_VIEW);

  G_OBJECT_CLASS (seedream_compare_view_parent_class)->dispose (object);
}

static void
seedream_compare_view_finalize (GObject *object)
{
  SeedreamCompareView *self = SEEDREAM_COMPARE_VIEW (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->panes, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (seedream_compare_view_parent_class)->finalize (object);
}

static void
add_key (GtkShortcutController *controller,
         guint                  keyval,
         const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, 0),
                                                          gtk_named_action_new (action)));
}

static void
seedream_compare_view_class_init (SeedreamCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_compare_view_dispose;
  object_class->finalize = seedream_compare_view_finalize;
  object_class->get_property = seedream_compare_view_get_property;
  widget_class->map = seedream_compare_view_map;
  widget_class->unmap = seedream_compare_view_unmap;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SEEDREAM_TYPE_COMPARE_SLIDER);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamCompareView, stack);
  gtk_widget_class_bind_template_child (widget_class, SeedreamCompareView, panes_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamCompareView, slider_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamCompareView, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamCompareView, slider);
  gtk_widget_class_bind_template_child (widget_class, SeedreamCompareView, slider_label);

  gtk_widget_class_install_action (widget_class, "compare.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-fit", NULL, zoom_fit_action);
}

static void
seedream_compare_view_init (SeedreamCompareView *self)
{
  GtkShortcutController *keys = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());

  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->panes = g_ptr_array_new ();
  self->pending = g_ptr_array_new_with_free_func (unref_texture);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->slider_button, "toggled", G_CALLBACK (slider_toggled_cb), self);

  /* +, - and 0 zoom wherever the focus is (the dialog binds none). */
  add_key (keys, GDK_KEY_plus, "compare.zoom-in");
  add_key (keys, GDK_KEY_equal, "compare.zoom-in");
  add_key (keys, GDK_KEY_KP_Add, "compare.zoom-in");
  add_key (keys, GDK_KEY_minus, "compare.zoom-out");
  add_key (keys, GDK_KEY_KP_Subtract, "compare.zoom-out");
  add_key (keys, GDK_KEY_0, "compare.zoom-fit");
  add_key (keys, GDK_KEY_KP_0, "compare.zoom-fit");
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (keys), "compare-zoom");
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (keys));
}
