/* seedream-compare-pick.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Picking an image for comparison from whatever widget shows it (a task
 * row's tile, a History row's thumbnail), so that every place shows the
 * same check mark and stays in step with the window's one selection.
 */

#define G_LOG_DOMAIN "seedream-compare-pick"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-compare-pick.h"
#include "seedream-window.h"

struct _SeedreamComparePick
{
  GObject                   parent_instance;

  /* Not a reference: the widget owns this object. */
  GtkWidget                *widget;
  GtkWidget                *mark;
  GFile                    *file;
  SeedreamCompareSelection *selection;
  gboolean                  picked;
};

G_DEFINE_FINAL_TYPE (SeedreamComparePick, seedream_compare_pick, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PICKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Picked or not is decided by the window's selection, and shown here. */
static void
sync_picked (SeedreamComparePick *self)
{
  gboolean picked = self->selection != NULL && self->file != NULL &&
                    seedream_compare_selection_contains (self->selection, self->file);

  if (picked == self->picked)
    return;

  self->picked = picked;
  gtk_widget_set_visible (self->mark, picked);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PICKED]);
}

static void
set_selection (SeedreamComparePick      *self,
               SeedreamCompareSelection *selection)
{
  if (self->selection == selection)
    return;

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, sync_picked, self);
  g_set_object (&self->selection, selection);
  if (self->selection != NULL)
    g_signal_connect_object (self->selection, "items-changed",
                             G_CALLBACK (sync_picked), self, G_CONNECT_SWAPPED);
}

/* The selection is the window's: followed only while the widget is in one. */
static void
root_changed_cb (SeedreamComparePick *self)
{
  GtkRoot *root = self->widget != NULL ? gtk_widget_get_root (self->widget) : NULL;

  set_selection (self, SEEDREAM_IS_WINDOW (root) ? seedream_window_get_compare_selection (SEEDREAM_WINDOW (root)) : NULL);
  sync_picked (self);
}

SeedreamComparePick *
seedream_compare_pick_new (GtkWidget  *widget,
                           GtkOverlay *overlay)
{
  SeedreamComparePick *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (GTK_IS_OVERLAY (overlay), NULL);

  self = g_object_new (SEEDREAM_TYPE_COMPARE_PICK, NULL);
  g_set_weak_pointer (&self->widget, widget);

  self->mark = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_widget_set_halign (self->mark, GTK_ALIGN_START);
  gtk_widget_set_valign (self->mark, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->mark, 8);
  gtk_widget_set_margin_start (self->mark, 8);
  gtk_widget_set_can_target (self->mark, FALSE);
  gtk_widget_add_css_class (self->mark, "compare-picked");
  gtk_widget_set_visible (self->mark, FALSE);
  gtk_overlay_add_overlay (overlay, self->mark);
  /* Kept until this object goes, which may be after the widget's children. */
  g_object_ref (self->mark);

  g_signal_connect_object (widget, "notify::root", G_CALLBACK (root_changed_cb), self, G_CONNECT_SWAPPED);
  root_changed_cb (self);

  return self;
}

void
seedream_compare_pick_set_file (SeedreamComparePick *self,
                                GFile               *file)
{
  g_return_if_fail (SEEDREAM_IS_COMPARE_PICK (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (g_set_object (&self->file, file))
    sync_picked (self);
}

gboolean
seedream_compare_pick_get_picked (SeedreamComparePick *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_PICK (self), FALSE);

  return self->picked;
}

void
seedream_compare_pick_set_picked (SeedreamComparePick *self,
                                  gboolean             picked)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (SEEDREAM_IS_COMPARE_PICK (self));

  if (self->selection == NULL || self->file == NULL || self->widget == NULL || picked == self->picked)
    return;

  uri = g_file_get_uri (self->file);
  gtk_widget_activate_action (self->widget, SEEDREAM_WINDOW_COMPARE_TOGGLE_ACTION, "s", uri);
  sync_picked (self);
}

const char *
seedream_compare_pick_describe (void)
{
  return _("Picked for comparison");
}

static void
seedream_compare_pick_dispose (GObject *object)
{
  SeedreamComparePick *self = SEEDREAM_COMPARE_PICK (object);

  set_selection (self, NULL);
  g_clear_weak_pointer (&self->widget);
  g_clear_object (&self->file);
  g_clear_object (&self->mark);

  G_OBJECT_CLASS (seedream_compare_pick_parent_class)->dispose (object);
}

static void
seedream_compare_pick_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SeedreamComparePick *self = SEEDREAM_COMPARE_PICK (object);

  switch (prop_id)
    {
    case PROP_PICKED:
      g_value_set_boolean (value, self->picked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_compare_pick_class_init (SeedreamComparePickClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_compare_pick_dispose;
  object_class->get_property = seedream_compare_pick_get_property;

  properties[PROP_PICKED] =
    g_param_spec_boolean ("picked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_compare_pick_init (SeedreamComparePick *self)
{
}
