/* seedream-tile-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-tile-layout"

#include "config.h"

#include "seedream-tile-layout.h"

struct _SeedreamTileLayout
{
  GtkLayoutManager parent_instance;

  int              size;
};

G_DEFINE_FINAL_TYPE (SeedreamTileLayout, seedream_tile_layout, GTK_TYPE_LAYOUT_MANAGER)

/**
 * seedream_tile_layout_new:
 * @size: the side of the square, in pixels
 */
GtkLayoutManager *
seedream_tile_layout_new (int size)
{
  SeedreamTileLayout *self = g_object_new (SEEDREAM_TYPE_TILE_LAYOUT, NULL);

  self->size = MAX (size, 0);
  return GTK_LAYOUT_MANAGER (self);
}

static void
seedream_tile_layout_measure (GtkLayoutManager *manager,
                              GtkWidget        *widget,
                              GtkOrientation    orientation,
                              int               for_size,
                              int              *minimum,
                              int              *natural,
                              int              *minimum_baseline,
                              int              *natural_baseline)
{
  SeedreamTileLayout *self = SEEDREAM_TILE_LAYOUT (manager);
  int largest_minimum = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_minimum = 0;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, orientation, -1, &child_minimum, NULL, NULL, NULL);
      largest_minimum = MAX (largest_minimum, child_minimum);
    }

  *minimum = *natural = MAX (self->size, largest_minimum);
  *minimum_baseline = *natural_baseline = -1;
}

static void
seedream_tile_layout_allocate (GtkLayoutManager *manager,
                               GtkWidget        *widget,
                               int               width,
                               int               height,
                               int               baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
seedream_tile_layout_class_init (SeedreamTileLayoutClass *klass)
{
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  layout_class->measure = seedream_tile_layout_measure;
  layout_class->allocate = seedream_tile_layout_allocate;
}

static void
seedream_tile_layout_init (SeedreamTileLayout *self)
{
}
