/* seedream-history-chain.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One submission's chain of images as a list model, for the chain view:
 * where it came from and what was made from it.
 */

#define G_LOG_DOMAIN "seedream-history-chain"

#include "config.h"

#include "seedream-history-chain.h"

struct _SeedreamHistoryChain
{
  GObject    parent_instance;

  GPtrArray *entries;      /* ancestors, the entry, children */
  guint      focus;        /* the entry's position (= number of ancestors) */
};

static void seedream_history_chain_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SeedreamHistoryChain, seedream_history_chain, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, seedream_history_chain_list_model_init))

static GType
seedream_history_chain_get_item_type (GListModel *model)
{
  return SEEDREAM_TYPE_HISTORY_ENTRY;
}

static guint
seedream_history_chain_get_n_items (GListModel *model)
{
  return SEEDREAM_HISTORY_CHAIN (model)->entries->len;
}

static gpointer
seedream_history_chain_get_item (GListModel *model,
                                 guint       position)
{
  SeedreamHistoryChain *self = SEEDREAM_HISTORY_CHAIN (model);

  if (position >= self->entries->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
seedream_history_chain_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = seedream_history_chain_get_item_type;
  iface->get_n_items = seedream_history_chain_get_n_items;
  iface->get_item = seedream_history_chain_get_item;
}

/**
 * seedream_history_chain_new:
 * @history: a history
 * @id: the row whose chain it is
 * @error: where a failure goes (G_IO_ERROR_NOT_FOUND: no such row)
 *
 * Returns: (transfer full) (nullable): the chain, or %NULL with @error set
 */
SeedreamHistoryChain *
seedream_history_chain_new (SeedreamHistory  *history,
                            gint64            id,
                            GError          **error)
{
  g_autoptr(SeedreamHistoryChain) self = NULL;
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GPtrArray) ancestors = NULL;
  g_autoptr(GPtrArray) children = NULL;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY (history), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entry = seedream_history_lookup (history, id, error);
  if (entry == NULL)
    return NULL;
  ancestors = seedream_history_list_ancestors (history, entry, error);
  if (ancestors == NULL)
    return NULL;
  children = seedream_history_list_children (history, id, error);
  if (children == NULL)
    return NULL;

  self = g_object_new (SEEDREAM_TYPE_HISTORY_CHAIN, NULL);
  self->focus = ancestors->len;
  g_ptr_array_extend_and_steal (self->entries, g_steal_pointer (&ancestors));
  g_ptr_array_add (self->entries, g_steal_pointer (&entry));
  g_ptr_array_extend_and_steal (self->entries, g_steal_pointer (&children));

  return g_steal_pointer (&self);
}

guint
seedream_history_chain_get_focus (SeedreamHistoryChain *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_CHAIN (self), 0);

  return self->focus;
}

SeedreamHistoryEntry *
seedream_history_chain_get_entry (SeedreamHistoryChain *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_CHAIN (self), NULL);

  return g_ptr_array_index (self->entries, self->focus);
}

guint
seedream_history_chain_get_n_ancestors (SeedreamHistoryChain *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_CHAIN (self), 0);

  return self->focus;
}

static void
seedream_history_chain_finalize (GObject *object)
{
  SeedreamHistoryChain *self = SEEDREAM_HISTORY_CHAIN (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (seedream_history_chain_parent_class)->finalize (object);
}

static void
seedream_history_chain_class_init (SeedreamHistoryChainClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seedream_history_chain_finalize;
}

static void
seedream_history_chain_init (SeedreamHistoryChain *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}
