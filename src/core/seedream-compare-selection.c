/* seedream-compare-selection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which images are picked for "Compare": kept by the window while the
 * person picks them across task rows (and the history), shown by the
 * compare view in the same order.
 */

#define G_LOG_DOMAIN "seedream-compare-selection"

#include "config.h"

#include "seedream-compare-selection.h"

struct _SeedreamCompareSelection
{
  GObject     parent_instance;

  GListStore *items;
};

static void seedream_compare_selection_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SeedreamCompareSelection, seedream_compare_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, seedream_compare_selection_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_CAN_COMPARE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return SEEDREAM_TYPE_COMPARE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (SEEDREAM_COMPARE_SELECTION (model)->items));
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (SEEDREAM_COMPARE_SELECTION (model)->items), position);
}

static void
seedream_compare_selection_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static gboolean
find (SeedreamCompareSelection *self,
      GFile                    *file,
      guint                    *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SeedreamCompareItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_file_equal (seedream_compare_item_get_file (item), file))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* items-changed is relayed as the store emits it; the counts follow. */
static void
store_changed_cb (GListModel               *store,
                  guint                     position,
                  guint                     removed,
                  guint                     added,
                  SeedreamCompareSelection *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_COMPARE]);
}

SeedreamCompareSelection *
seedream_compare_selection_new (void)
{
  return g_object_new (SEEDREAM_TYPE_COMPARE_SELECTION, NULL);
}

/**
 * seedream_compare_selection_add:
 * @self: a selection
 * @item: an image
 *
 * Appends @item, unless its file is picked already or four are.
 *
 * Returns: %TRUE if it was added
 */
gboolean
seedream_compare_selection_add (SeedreamCompareSelection *self,
                                SeedreamCompareItem      *item)
{
  guint position;

  g_return_val_if_fail (SEEDREAM_IS_COMPARE_SELECTION (self), FALSE);
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_ITEM (item), FALSE);

  if (seedream_compare_selection_is_full (self) ||
      find (self, seedream_compare_item_get_file (item), &position))
    return FALSE;

  g_list_store_append (self->items, item);

  return TRUE;
}

gboolean
seedream_compare_selection_remove (SeedreamCompareSelection *self,
                                   GFile                    *file)
{
  guint position;

  g_return_val_if_fail (SEEDREAM_IS_COMPARE_SELECTION (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!find (self, file, &position))
    return FALSE;

  g_list_store_remove (self->items, position);

  return TRUE;
}

/**
 * seedream_compare_selection_toggle:
 * @self: a selection
 * @item: an image
 *
 * Removes @item's file if it is picked, else adds @item.
 *
 * Returns: %TRUE if the file is picked afterwards
 */
gboolean
seedream_compare_selection_toggle (SeedreamCompareSelection *self,
                                   SeedreamCompareItem      *item)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_SELECTION (self), FALSE);
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_ITEM (item), FALSE);

  if (seedream_compare_selection_remove (self, seedream_compare_item_get_file (item)))
    return FALSE;

  return seedream_compare_selection_add (self, item);
}

gboolean
seedream_compare_selection_contains (SeedreamCompareSelection *self,
                                     GFile                    *file)
{
  guint position;

  g_return_val_if_fail (SEEDREAM_IS_COMPARE_SELECTION (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return find (self, file, &position);
}

void
seedream_compare_selection_clear (SeedreamCompareSelection *self)
{
  g_return_if_fail (SEEDREAM_IS_COMPARE_SELECTION (self));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) > 0)
    g_list_store_remove_all (self->items);
}

gboolean
seedream_compare_selection_get_can_compare (SeedreamCompareSelection *self)
{
  guint n;

  g_return_val_if_fail (SEEDREAM_IS_COMPARE_SELECTION (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  return n >= SEEDREAM_COMPARE_MIN_ITEMS && n <= SEEDREAM_COMPARE_MAX_ITEMS;
}

gboolean
seedream_compare_selection_is_full (SeedreamCompareSelection *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_SELECTION (self), FALSE);

  return g_list_model_get_n_items (G_LIST_MODEL (self->items)) >= SEEDREAM_COMPARE_MAX_ITEMS;
}

static void
seedream_compare_selection_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SeedreamCompareSelection *self = SEEDREAM_COMPARE_SELECTION (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, g_list_model_get_n_items (G_LIST_MODEL (self->items)));
      break;

    case PROP_CAN_COMPARE:
      g_value_set_boolean (value, seedream_compare_selection_get_can_compare (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_compare_selection_dispose (GObject *object)
{
  SeedreamCompareSelection *self = SEEDREAM_COMPARE_SELECTION (object);

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, store_changed_cb, self);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (seedream_compare_selection_parent_class)->dispose (object);
}

static void
seedream_compare_selection_class_init (SeedreamCompareSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_compare_selection_dispose;
  object_class->get_property = seedream_compare_selection_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_COMPARE] =
    g_param_spec_boolean ("can-compare", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_compare_selection_init (SeedreamCompareSelection *self)
{
  self->items = g_list_store_new (SEEDREAM_TYPE_COMPARE_ITEM);
  g_signal_connect (self->items, "items-changed", G_CALLBACK (store_changed_cb), self);
}
