/* seedream-compare-pane.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-compare-pane"

#include "config.h"

#include <math.h>

#include "seedream-compare-pane.h"

struct _SeedreamComparePane
{
  GtkWidget     parent_instance;

  GdkPaintable *paintable;
  /* The image's own pixel size: the paintable is often decoded smaller,
   * and the scale must not depend on that. */
  int           image_width;
  int           image_height;
  int           reference_width;
  int           reference_height;
  double        zoom;
  double        center_x;
  double        center_y;

  /* Where a drag or pinch started. */
  double        drag_center_x;
  double        drag_center_y;
  double        pinch_zoom;
};

G_DEFINE_FINAL_TYPE (SeedreamComparePane, seedream_compare_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_CENTER_X,
  PROP_CENTER_Y,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The reference box's size on screen: the larger image compared, fitted
 * at zoom 1. */
static double
box_scale (SeedreamComparePane *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->reference_width <= 0 || self->reference_height <= 0 || width <= 0 || height <= 0)
    return 0.0;

  return MIN ((double) width / self->reference_width, (double) height / self->reference_height) * self->zoom;
}

double
seedream_compare_pane_get_scale (SeedreamComparePane *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_PANE (self), 0.0);

  return box_scale (self);
}

static void
seedream_compare_pane_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  SeedreamComparePane *self = SEEDREAM_COMPARE_PANE (widget);
  double scale = box_scale (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double image_width, image_height, box_x, box_y;

  if (self->paintable == NULL || scale <= 0.0)
    return;

  image_width = self->image_width * scale;
  image_height = self->image_height * scale;
  /* The reference box's corner, so that the centre point is mid-pane;
   * the image is centred in the box. */
  box_x = width / 2.0 - self->center_x * self->reference_width * scale;
  box_y = height / 2.0 - self->center_y * self->reference_height * scale;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (box_x + (self->reference_width * scale - image_width) / 2.0,
                                                box_y + (self->reference_height * scale - image_height) / 2.0));
  gdk_paintable_snapshot (self->paintable, snapshot, image_width, image_height);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
seedream_compare_pane_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  /* Any size: the image is fitted to what the pane gets. */
  *minimum = 48;
  *natural = 320;
}

static void
set_center (SeedreamComparePane *self,
            double               x,
            double               y)
{
  x = CLAMP (x, 0.0, 1.0);
  y = CLAMP (y, 0.0, 1.0);

  if (!G_APPROX_VALUE (x, self->center_x, 1e-9))
    {
      self->center_x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_X]);
    }
  if (!G_APPROX_VALUE (y, self->center_y, 1e-9))
    {
      self->center_y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_Y]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_zoom (SeedreamComparePane *self,
          double               zoom)
{
  zoom = CLAMP (zoom, SEEDREAM_COMPARE_PANE_MIN_ZOOM, SEEDREAM_COMPARE_PANE_MAX_ZOOM);
  if (G_APPROX_VALUE (zoom, self->zoom, 1e-9))
    return;

  self->zoom = zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);

  /* Back to the whole image: nothing is off to one side any more. */
  if (zoom <= SEEDREAM_COMPARE_PANE_MIN_ZOOM)
    set_center (self, 0.5, 0.5);
}

static void
drag_begin_cb (GtkGestureDrag      *gesture,
               double               x,
               double               y,
               SeedreamComparePane *self)
{
  self->drag_center_x = self->center_x;
  self->drag_center_y = self->center_y;
}

static void
drag_update_cb (GtkGestureDrag      *gesture,
                double               dx,
                double               dy,
                SeedreamComparePane *self)
{
  double scale = box_scale (self);

  /* Nothing to pan when the whole image is in view. */
  if (scale <= 0.0 || self->zoom <= SEEDREAM_COMPARE_PANE_MIN_ZOOM)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  set_center (self,
              self->drag_center_x - dx / (self->reference_width * scale),
              self->drag_center_y - dy / (self->reference_height * scale));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           SeedreamComparePane      *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if ((state & GDK_CONTROL_MASK) == 0)
    return FALSE;

  set_zoom (self, self->zoom * pow (1.1, -dy));

  return TRUE;
}

static void
pinch_begin_cb (GtkGesture          *gesture,
                GdkEventSequence    *sequence,
                SeedreamComparePane *self)
{
  self->pinch_zoom = self->zoom;
}

static void
pinch_changed_cb (GtkGestureZoom      *gesture,
                  double               scale,
                  SeedreamComparePane *self)
{
  set_zoom (self, self->pinch_zoom * scale);
}

GtkWidget *
seedream_compare_pane_new (void)
{
  return g_object_new (SEEDREAM_TYPE_COMPARE_PANE, NULL);
}

/**
 * seedream_compare_pane_set_paintable:
 * @paintable: (nullable): the image, decoded at any size
 * @image_width: the image's own width in pixels; 0: the paintable's
 * @image_height: the same for the height
 */
void
seedream_compare_pane_set_paintable (SeedreamComparePane *self,
                                     GdkPaintable        *paintable,
                                     int                  image_width,
                                     int                  image_height)
{
  g_return_if_fail (SEEDREAM_IS_COMPARE_PANE (self));

  if (paintable != NULL && (image_width <= 0 || image_height <= 0))
    {
      image_width = gdk_paintable_get_intrinsic_width (paintable);
      image_height = gdk_paintable_get_intrinsic_height (paintable);
    }
  self->image_width = paintable != NULL ? MAX (image_width, 0) : 0;
  self->image_height = paintable != NULL ? MAX (image_height, 0) : 0;
  g_set_object (&self->paintable, paintable);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
seedream_compare_pane_get_image_size (SeedreamComparePane *self,
                                      int                 *width,
                                      int                 *height)
{
  g_return_if_fail (SEEDREAM_IS_COMPARE_PANE (self));

  if (width != NULL)
    *width = self->image_width;
  if (height != NULL)
    *height = self->image_height;
}

GdkPaintable *
seedream_compare_pane_get_paintable (SeedreamComparePane *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_PANE (self), NULL);

  return self->paintable;
}

void
seedream_compare_pane_set_reference_size (SeedreamComparePane *self,
                                          int                  width,
                                          int                  height)
{
  g_return_if_fail (SEEDREAM_IS_COMPARE_PANE (self));

  self->reference_width = MAX (width, 0);
  self->reference_height = MAX (height, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
seedream_compare_pane_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SeedreamComparePane *self = SEEDREAM_COMPARE_PANE (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_CENTER_X:
      g_value_set_double (value, self->center_x);
      break;

    case PROP_CENTER_Y:
      g_value_set_double (value, self->center_y);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_compare_pane_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SeedreamComparePane *self = SEEDREAM_COMPARE_PANE (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      set_zoom (self, g_value_get_double (value));
      break;

    case PROP_CENTER_X:
      set_center (self, g_value_get_double (value), self->center_y);
      break;

    case PROP_CENTER_Y:
      set_center (self, self->center_x, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_compare_pane_dispose (GObject *object)
{
  SeedreamComparePane *self = SEEDREAM_COMPARE_PANE (object);

  g_clear_object (&self->paintable);

  G_OBJECT_CLASS (seedream_compare_pane_parent_class)->dispose (object);
}

static void
seedream_compare_pane_class_init (SeedreamComparePaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_compare_pane_dispose;
  object_class->get_property = seedream_compare_pane_get_property;
  object_class->set_property = seedream_compare_pane_set_property;
  widget_class->snapshot = seedream_compare_pane_snapshot;
  widget_class->measure = seedream_compare_pane_measure;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         SEEDREAM_COMPARE_PANE_MIN_ZOOM, SEEDREAM_COMPARE_PANE_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CENTER_X] =
    g_param_spec_double ("center-x", NULL, NULL,
                         0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CENTER_Y] =
    g_param_spec_double ("center-y", NULL, NULL,
                         0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "compare-pane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
seedream_compare_pane_init (SeedreamComparePane *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  self->zoom = 1.0;
  self->center_x = 0.5;
  self->center_y = 0.5;

  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (pinch, "begin", G_CALLBACK (pinch_begin_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (pinch_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}
