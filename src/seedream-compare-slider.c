/* seedream-compare-slider.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-compare-slider"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-compare-slider.h"

#define STEP       0.05
#define PAGE_STEP  0.25

struct _SeedreamCompareSlider
{
  GtkWidget     parent_instance;

  GdkPaintable *before;
  GdkPaintable *after;
  char         *before_name;
  char         *after_name;
  double        position;
};

G_DEFINE_FINAL_TYPE (SeedreamCompareSlider, seedream_compare_slider, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The box both images are fitted into (the larger of the two), on screen. */
static void
fitted_box (SeedreamCompareSlider *self,
            graphene_rect_t       *box,
            double                *scale)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double ref_width = 0, ref_height = 0;

  if (self->before != NULL)
    {
      ref_width = gdk_paintable_get_intrinsic_width (self->before);
      ref_height = gdk_paintable_get_intrinsic_height (self->before);
    }
  if (self->after != NULL)
    {
      ref_width = MAX (ref_width, gdk_paintable_get_intrinsic_width (self->after));
      ref_height = MAX (ref_height, gdk_paintable_get_intrinsic_height (self->after));
    }

  *scale = ref_width > 0 && ref_height > 0 ? MIN (width / ref_width, height / ref_height) : 0.0;
  graphene_rect_init (box, (width - ref_width * *scale) / 2.0, (height - ref_height * *scale) / 2.0,
                      ref_width * *scale, ref_height * *scale);
}

static void
draw_image (GtkSnapshot     *snapshot,
            GdkPaintable    *paintable,
            const graphene_rect_t *box,
            double           scale)
{
  double width, height;

  if (paintable == NULL)
    return;

  width = gdk_paintable_get_intrinsic_width (paintable) * scale;
  height = gdk_paintable_get_intrinsic_height (paintable) * scale;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (box->origin.x + (box->size.width - width) / 2.0,
                                                          box->origin.y + (box->size.height - height) / 2.0));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  gtk_snapshot_restore (snapshot);
}

static void
seedream_compare_slider_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  SeedreamCompareSlider *self = SEEDREAM_COMPARE_SLIDER (widget);
  graphene_rect_t box;
  GdkRGBA color;
  double scale, divider;

  fitted_box (self, &box, &scale);
  if (scale <= 0.0)
    return;

  divider = box.origin.x + box.size.width * self->position;

  /* After on the right, before over it on the left of the divider. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (divider, box.origin.y,
                                                         box.origin.x + box.size.width - divider, box.size.height));
  draw_image (snapshot, self->after, &box, scale);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (box.origin.x, box.origin.y,
                                                         divider - box.origin.x, box.size.height));
  draw_image (snapshot, self->before, &box, scale);
  gtk_snapshot_pop (snapshot);

  /* The divider, in the accent colour when focused. */
  gtk_widget_get_color (widget, &color);
  if (gtk_widget_has_visible_focus (widget))
    color.alpha = 1.0;
  gtk_snapshot_append_color (snapshot, &color,
                             &GRAPHENE_RECT_INIT (divider - 1, box.origin.y, 2, box.size.height));
  gtk_snapshot_append_color (snapshot, &color,
                             &GRAPHENE_RECT_INIT (divider - 6, box.origin.y + box.size.height / 2.0 - 16, 12, 32));
}

static void
seedream_compare_slider_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  *minimum = 48;
  *natural = 480;
}

static void
update_accessible (SeedreamCompareSlider *self)
{
  int percent = (int) (self->position * 100.0 + 0.5);
  /* Translators: the before/after slider's value for screen readers, e.g. “40 % of “a red kite”, 60 % of “a blue kite”” */
  g_autofree char *text = g_strdup_printf (_("%d %% of “%s”, %d %% of “%s”"),
                                           percent, self->before_name != NULL ? self->before_name : "",
                                           100 - percent, self->after_name != NULL ? self->after_name : "");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) percent,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

void
seedream_compare_slider_set_position (SeedreamCompareSlider *self,
                                      double                 position)
{
  g_return_if_fail (SEEDREAM_IS_COMPARE_SLIDER (self));

  position = CLAMP (position, 0.0, 1.0);
  if (G_APPROX_VALUE (position, self->position, 1e-9))
    return;

  self->position = position;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

double
seedream_compare_slider_get_position (SeedreamCompareSlider *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_SLIDER (self), 0.0);

  return self->position;
}

static void
move_to_x (SeedreamCompareSlider *self,
           double                 x)
{
  graphene_rect_t box;
  double scale;

  fitted_box (self, &box, &scale);
  if (box.size.width > 0)
    seedream_compare_slider_set_position (self, (x - box.origin.x) / box.size.width);
}

static void
drag_begin_cb (GtkGestureDrag        *gesture,
               double                 x,
               double                 y,
               SeedreamCompareSlider *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  move_to_x (self, x);
}

static void
drag_update_cb (GtkGestureDrag        *gesture,
                double                 dx,
                double                 dy,
                SeedreamCompareSlider *self)
{
  double x, y;

  gtk_gesture_drag_get_start_point (gesture, &x, &y);
  move_to_x (self, x + dx);
}

static gboolean
move_cb (GtkWidget *widget,
         GVariant  *args,
         gpointer   user_data)
{
  SeedreamCompareSlider *self = SEEDREAM_COMPARE_SLIDER (widget);
  double step = g_variant_get_double (args);

  /* Mirrored: in a right-to-left locale Right moves toward the start. */
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL && (step == STEP || step == -STEP))
    step = -step;
  seedream_compare_slider_set_position (self, self->position + step);

  return TRUE;
}

GtkWidget *
seedream_compare_slider_new (void)
{
  return g_object_new (SEEDREAM_TYPE_COMPARE_SLIDER, NULL);
}

void
seedream_compare_slider_set_images (SeedreamCompareSlider *self,
                                    GdkPaintable          *before,
                                    GdkPaintable          *after)
{
  g_return_if_fail (SEEDREAM_IS_COMPARE_SLIDER (self));

  g_set_object (&self->before, before);
  g_set_object (&self->after, after);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
seedream_compare_slider_set_names (SeedreamCompareSlider *self,
                                   const char            *before,
                                   const char            *after)
{
  g_return_if_fail (SEEDREAM_IS_COMPARE_SLIDER (self));

  g_set_str (&self->before_name, before);
  g_set_str (&self->after_name, after);
  update_accessible (self);
}

static void
seedream_compare_slider_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SeedreamCompareSlider *self = SEEDREAM_COMPARE_SLIDER (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_double (value, self->position);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_compare_slider_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  SeedreamCompareSlider *self = SEEDREAM_COMPARE_SLIDER (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      seedream_compare_slider_set_position (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_compare_slider_dispose (GObject *object)
{
  SeedreamCompareSlider *self = SEEDREAM_COMPARE_SLIDER (object);

  g_clear_object (&self->before);
  g_clear_object (&self->after);
  g_clear_pointer (&self->before_name, g_free);
  g_clear_pointer (&self->after_name, g_free);

  G_OBJECT_CLASS (seedream_compare_slider_parent_class)->dispose (object);
}

static void
seedream_compare_slider_class_init (SeedreamCompareSliderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_compare_slider_dispose;
  object_class->get_property = seedream_compare_slider_get_property;
  object_class->set_property = seedream_compare_slider_set_property;
  widget_class->snapshot = seedream_compare_slider_snapshot;
  widget_class->measure = seedream_compare_slider_measure;

  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL,
                         0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, move_cb, "d", -STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Left, 0, move_cb, "d", -STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, move_cb, "d", STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Right, 0, move_cb, "d", STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Page_Down, 0, move_cb, "d", -PAGE_STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Page_Up, 0, move_cb, "d", PAGE_STEP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Home, 0, move_cb, "d", -1.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_End, 0, move_cb, "d", 1.0);

  gtk_widget_class_set_css_name (widget_class, "compare-slider");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
seedream_compare_slider_init (SeedreamCompareSlider *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->position = 0.5;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  update_accessible (self);
}
