/* seedream-history-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history as a GListModel, newest first. It never loads the table:
 * the number of items comes from count() (without a search, one row the
 * database keeps up to date; with one, a scan), and get_item() reads the
 * page of PAGE_SIZE rows holding the position, keeping the last few pages.
 * Any change to the history drops the pages.
 *
 * With a search, a filter or a model, the matching ids are found on a
 * worker (seedream_history_find_async()), so typing never blocks a frame;
 * the old contents stay until they arrive (:finding), and pages are then
 * read by id. The first PAGE_SIZE ids are asked for first, so the first
 * rows show before every match is listed. Later changes are placed with the same test in C.
 *
 * Scrolling down, the page before the one asked for is usually cached: the
 * new page is then read as "the rows older than its last one", through the
 * primary key, so page 200 costs what page 1 costs (an OFFSET would step
 * over every newer row first). A list view scrolled fast still asks again
 * for rows a few pages back, hence the cache of N_CACHED_PAGES.
 */

#define G_LOG_DOMAIN "seedream-history-model"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-history-model.h"
#include "seedream-history-private.h"

#define PAGE_SIZE      50
#define N_CACHED_PAGES 8

typedef struct
{
  guint      index;     /* first position = index * PAGE_SIZE */
  GPtrArray *entries;
} Page;

struct _SeedreamHistoryModel
{
  GObject          parent_instance;

  SeedreamHistory *history;
  char            *search;
  SeedreamHistoryFilter filter;
  char            *model_id;
  GArray          *ids;      /* newest first; NULL: every row, by pages */
  GCancellable    *find_cancellable;
  gboolean         ids_partial;  /* ids is the first page; the rest is being found */
  guint            find_rest_id; /* the idle that starts finding the rest */
  GHashTable      *hidden;       /* gint64 ids left out (a delete that can be undone) */
  guint            n_items;
  GQueue           pages;   /* Page, most recently used first */
  gulong           entry_added_id;
  gulong           entry_changed_id;
  gulong           entry_removed_id;
};

static void seedream_history_model_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SeedreamHistoryModel, seedream_history_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      seedream_history_model_list_model_iface_init))

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_SEARCH,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  PROP_FINDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->entries, g_ptr_array_unref);
  g_free (page);
}

static void
drop_pages (SeedreamHistoryModel *self)
{
  g_queue_clear_full (&self->pages, page_free);
}

static guint
count_items (SeedreamHistoryModel *self)
{
  g_autoptr(GError) error = NULL;
  guint n;

  n = seedream_history_count (self->history, self->search, &error);
  if (error != NULL)
    g_warning ("Could not count the history: %s", error->message);

  return n;
}

static Page *
find_page (SeedreamHistoryModel *self,
           guint                 index)
{
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->index == index)
        return page;
    }

  return NULL;
}

static Page *
get_page (SeedreamHistoryModel *self,
          guint                 index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  Page *previous;
  Page *page;

  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      page = l->data;

      if (page->index == index)
        {
          /* Most recently used first. */
          g_queue_unlink (&self->pages, l);
          g_queue_push_head_link (&self->pages, l);
          return page;
        }
    }

  previous = index > 0 ? find_page (self, index - 1) : NULL;
  if (self->ids != NULL)
    {
      entries = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = index * PAGE_SIZE; i < MIN (self->ids->len, (index + 1) * PAGE_SIZE); i++)
        {
          SeedreamHistoryEntry *entry;

          entry = seedream_history_lookup (self->history, g_array_index (self->ids, gint64, i), &error);
          if (entry == NULL)
            break;
          g_ptr_array_add (entries, entry);
        }
      if (error != NULL)
        g_clear_pointer (&entries, g_ptr_array_unref);
    }
  else if (previous != NULL && previous->entries->len == PAGE_SIZE)
    {
      SeedreamHistoryEntry *last = g_ptr_array_index (previous->entries, PAGE_SIZE - 1);

      entries = seedream_history_list_before (self->history, self->search,
                                              seedream_history_entry_get_id (last),
                                              PAGE_SIZE, &error);
    }
  else
    {
      entries = seedream_history_list (self->history, self->search,
                                       index * PAGE_SIZE, PAGE_SIZE, &error);
    }
  if (entries == NULL)
    {
      g_warning ("Could not read the history: %s", error->message);
      return NULL;
    }

  page = g_new0 (Page, 1);
  page->index = index;
  page->entries = g_steal_pointer (&entries);
  g_queue_push_head (&self->pages, page);

  while (self->pages.length > N_CACHED_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  return page;
}

/* GListModel */

static GType
seedream_history_model_get_item_type (GListModel *model)
{
  return SEEDREAM_TYPE_HISTORY_ENTRY;
}

static guint
seedream_history_model_get_n_items (GListModel *model)
{
  return SEEDREAM_HISTORY_MODEL (model)->n_items;
}

static gpointer
seedream_history_model_get_item (GListModel *model,
                                 guint       position)
{
  SeedreamHistoryModel *self = SEEDREAM_HISTORY_MODEL (model);
  Page *page;
  guint offset;

  if (position >= self->n_items)
    return NULL;

  page = get_page (self, position / PAGE_SIZE);
  offset = position % PAGE_SIZE;
  if (page == NULL || offset >= page->entries->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->entries, offset));
}

static void
seedream_history_model_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = seedream_history_model_get_item_type;
  iface->get_n_items = seedream_history_model_get_n_items;
  iface->get_item = seedream_history_model_get_item;
}

/* Following the history */

static gboolean
query_is_empty (SeedreamHistoryModel *self)
{
  return self->search == NULL && self->filter == SEEDREAM_HISTORY_FILTER_ALL && self->model_id == NULL &&
         g_hash_table_size (self->hidden) == 0;
}

/* Takes the hidden ids out of what a find found. */
static void
drop_hidden (SeedreamHistoryModel *self,
             GArray               *ids)
{
  guint kept = 0;

  if (g_hash_table_size (self->hidden) == 0)
    return;

  for (guint i = 0; i < ids->len; i++)
    if (!g_hash_table_contains (self->hidden, &g_array_index (ids, gint64, i)))
      g_array_index (ids, gint64, kept++) = g_array_index (ids, gint64, i);
  g_array_set_size (ids, kept);
}

/* Where @id is or would go in the ids, newest first. */
static guint
ids_position (GArray *ids,
              gint64  id,
              gboolean *present)
{
  guint lo = 0, hi = ids->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (ids, gint64, mid) > id)
        lo = mid + 1;
      else
        hi = mid;
    }
  *present = lo < ids->len && g_array_index (ids, gint64, lo) == id;

  return lo;
}

/* Whether @id is in the model, and where. */
static gboolean
find_entry (SeedreamHistoryModel *self,
            gint64                id,
            guint                *position)
{
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  if (self->ids != NULL)
    {
      gboolean present;

      *position = ids_position (self->ids, id, &present);
      return present;
    }

  entry = seedream_history_lookup (self->history, id, &error);
  if (entry == NULL)
    {
      g_warning ("Could not read submission %" G_GINT64_FORMAT " from the history: %s",
                 id, error->message);
      return FALSE;
    }

  if (!seedream_history_prompt_matches (seedream_history_entry_get_prompt (entry), self->search))
    return FALSE;

  *position = seedream_history_position_of (self->history, id, self->search, &error);
  if (error != NULL)
    {
      g_warning ("Could not find submission %" G_GINT64_FORMAT " in the history: %s",
                 id, error->message);
      return FALSE;
    }

  return TRUE;
}

static void start_find (SeedreamHistoryModel *self);

/* With ids: places @id after a change, by the same test as the worker's. */
static void
follow_id (SeedreamHistoryModel *self,
           gint64                id,
           gboolean              removed)
{
  g_autoptr(SeedreamHistoryEntry) entry = NULL;
  gboolean present, matches = FALSE;
  guint position;

  /* A find under way may have missed the change: run it again. */
  if (self->find_cancellable != NULL)
    {
      start_find (self);
      return;
    }

  if (!removed)
    {
      entry = seedream_history_lookup (self->history, id, NULL);
      matches = entry != NULL && !g_hash_table_contains (self->hidden, &id) &&
                seedream_history_entry_matches (entry, self->search, self->filter, self->model_id);
    }

  position = ids_position (self->ids, id, &present);
  if (present && matches)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  else if (present)
    {
      g_array_remove_index (self->ids, position);
      self->n_items--;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  else if (matches)
    {
      g_array_insert_val (self->ids, position, id);
      self->n_items++;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static void
entry_removed_cb (SeedreamHistoryModel *self,
                  gint64                id,
                  SeedreamHistory      *history)
{
  guint position;

  drop_pages (self);

  if (self->ids != NULL || self->find_cancellable != NULL)
    {
      if (self->ids != NULL)
        follow_id (self, id, TRUE);
      else
        start_find (self);  /* the find under way may still list it */
      return;
    }

  /* Gone already: its position is the number of newer rows. */
  position = seedream_history_position_of (self->history, id, NULL, NULL);
  if (position >= self->n_items)
    return;
  self->n_items--;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
entry_added_cb (SeedreamHistoryModel *self,
                gint64                id,
                SeedreamHistory      *history)
{
  guint position;

  drop_pages (self);

  if (self->ids != NULL || self->find_cancellable != NULL)
    {
      if (self->ids != NULL)
        follow_id (self, id, FALSE);
      else
        start_find (self);
      return;
    }

  if (!find_entry (self, id, &position))
    return;

  position = MIN (position, self->n_items);
  self->n_items++;

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
entry_changed_cb (SeedreamHistoryModel *self,
                  gint64                id,
                  SeedreamHistory      *history)
{
  guint position;

  drop_pages (self);

  if (self->ids != NULL || self->find_cancellable != NULL)
    {
      if (self->ids != NULL)
        follow_id (self, id, FALSE);
      else
        start_find (self);
      return;
    }

  if (!find_entry (self, id, &position) || position >= self->n_items)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

/* The object */

static void
seedream_history_model_constructed (GObject *object)
{
  SeedreamHistoryModel *self = (SeedreamHistoryModel *)object;

  G_OBJECT_CLASS (seedream_history_model_parent_class)->constructed (object);

  g_assert (SEEDREAM_IS_HISTORY (self->history));

  self->entry_added_id =
    g_signal_connect_object (self->history, "entry-added",
                             G_CALLBACK (entry_added_cb), self, G_CONNECT_SWAPPED);
  self->entry_changed_id =
    g_signal_connect_object (self->history, "entry-changed",
                             G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  self->entry_removed_id =
    g_signal_connect_object (self->history, "entry-removed",
                             G_CALLBACK (entry_removed_cb), self, G_CONNECT_SWAPPED);

  self->n_items = count_items (self);
}

static void
seedream_history_model_dispose (GObject *object)
{
  SeedreamHistoryModel *self = (SeedreamHistoryModel *)object;

  if (self->history != NULL)
    {
      g_clear_signal_handler (&self->entry_added_id, self->history);
      g_clear_signal_handler (&self->entry_changed_id, self->history);
      g_clear_signal_handler (&self->entry_removed_id, self->history);
    }
  g_clear_handle_id (&self->find_rest_id, g_source_remove);
  g_cancellable_cancel (self->find_cancellable);
  g_clear_object (&self->find_cancellable);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_object (&self->history);
  drop_pages (self);

  G_OBJECT_CLASS (seedream_history_model_parent_class)->dispose (object);
}

static void
seedream_history_model_finalize (GObject *object)
{
  SeedreamHistoryModel *self = (SeedreamHistoryModel *)object;

  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->model_id, g_free);
  g_clear_pointer (&self->hidden, g_hash_table_unref);

  G_OBJECT_CLASS (seedream_history_model_parent_class)->finalize (object);
}

static void
seedream_history_model_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SeedreamHistoryModel *self = SEEDREAM_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, SEEDREAM_TYPE_HISTORY_ENTRY);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_FINDING:
      g_value_set_boolean (value, self->find_cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_history_model_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SeedreamHistoryModel *self = SEEDREAM_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      self->history = g_value_dup_object (value);
      break;
    case PROP_SEARCH:
      seedream_history_model_set_search (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_history_model_class_init (SeedreamHistoryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = seedream_history_model_constructed;
  object_class->dispose = seedream_history_model_dispose;
  object_class->finalize = seedream_history_model_finalize;
  object_class->get_property = seedream_history_model_get_property;
  object_class->set_property = seedream_history_model_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         SEEDREAM_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL,
                        G_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* A search or filter is being run on the worker. */
  properties[PROP_FINDING] =
    g_param_spec_boolean ("finding", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_history_model_init (SeedreamHistoryModel *self)
{
  g_queue_init (&self->pages);
  self->hidden = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/**
 * seedream_history_model_new:
 * @history: the history to show
 *
 * Returns: (transfer full): a model of every entry, newest first
 */
SeedreamHistoryModel *
seedream_history_model_new (SeedreamHistory *history)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY (history), NULL);

  return g_object_new (SEEDREAM_TYPE_HISTORY_MODEL,
                       "history", history,
                       NULL);
}

/**
 * seedream_history_model_get_history:
 * @self: a model
 *
 * Returns: (transfer none): the history it shows
 */
SeedreamHistory *
seedream_history_model_get_history (SeedreamHistoryModel *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_MODEL (self), NULL);

  return self->history;
}

/**
 * seedream_history_model_get_search:
 * @self: a model
 *
 * Returns: (nullable): the text prompts must contain, or %NULL for all
 */
const char *
seedream_history_model_get_search (SeedreamHistoryModel *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_MODEL (self), NULL);

  return self->search;
}

/**
 * seedream_history_model_set_search:
 * @self: a model
 * @search: (nullable): text the prompts must contain, ignoring case; %NULL
 *   or "" shows every entry
 *
 * Replaces the whole contents: emits items-changed (0, old, new).
 */
static void
replace_contents (SeedreamHistoryModel *self,
                  GArray               *ids)
{
  guint old_n_items = self->n_items;

  drop_pages (self);
  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = ids;
  self->n_items = ids != NULL ? ids->len : count_items (self);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);
  if (old_n_items != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* The whole list after its first page: only the rows after that page are
 * new when it starts with the same ids (any change restarts the find). */
static void
append_contents (SeedreamHistoryModel *self,
                 GArray               *ids)
{
  guint old_n_items = self->n_items;

  if (self->ids == NULL || ids->len < self->ids->len ||
      memcmp (ids->data, self->ids->data, self->ids->len * sizeof (gint64)) != 0)
    {
      replace_contents (self, ids);
      return;
    }

  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = ids;
  self->n_items = ids->len;

  if (old_n_items == self->n_items)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), old_n_items, 0, self->n_items - old_n_items);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void find_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static gboolean
find_rest_cb (gpointer data)
{
  SeedreamHistoryModel *self = data;

  self->find_rest_id = 0;
  seedream_history_find_async (self->history, self->search, self->filter, self->model_id,
                               0, self->find_cancellable, find_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* First the first page, shown at once; then, if it was full, every id
 * (self->ids_partial meanwhile). */
static void
find_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SeedreamHistoryModel) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *ids;

  ids = seedream_history_find_finish (SEEDREAM_HISTORY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (ids == NULL)
    g_warning ("Could not search the history: %s", error->message);

  if (!self->ids_partial && ids != NULL && ids->len == PAGE_SIZE)
    {
      drop_hidden (self, ids);
      replace_contents (self, ids);
      self->ids_partial = TRUE;
      /* After the next frame has read the first rows: the rest's worker
       * does not compete with them. */
      self->find_rest_id = g_idle_add_full (G_PRIORITY_LOW, find_rest_cb, self, NULL);
      return;
    }

  g_clear_object (&self->find_cancellable);
  if (ids != NULL)
    drop_hidden (self, ids);
  if (self->ids_partial && ids != NULL)
    append_contents (self, ids);
  else if (!self->ids_partial)
    replace_contents (self, ids != NULL ? ids : g_array_new (FALSE, FALSE, sizeof (gint64)));
  /* else the rest could not be found: the first page stays. */
  self->ids_partial = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINDING]);
}

static void
start_find (SeedreamHistoryModel *self)
{
  gboolean was_finding = self->find_cancellable != NULL;

  g_cancellable_cancel (self->find_cancellable);
  g_clear_object (&self->find_cancellable);
  g_clear_handle_id (&self->find_rest_id, g_source_remove);
  self->ids_partial = FALSE;

  /* Before construction ends there is nothing to replace. */
  if (self->history == NULL || self->entry_added_id == 0)
    return;

  if (query_is_empty (self))
    {
      replace_contents (self, NULL);
      if (was_finding)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINDING]);
      return;
    }

  /* The first page first (the index stops there), then every id. */
  self->find_cancellable = g_cancellable_new ();
  seedream_history_find_async (self->history, self->search, self->filter, self->model_id,
                               PAGE_SIZE, self->find_cancellable, find_cb, g_object_ref (self));
  if (!was_finding)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINDING]);
}

/**
 * seedream_history_model_set_search:
 * @self: a model
 * @search: (nullable): text the prompts must contain, ignoring case; %NULL
 *   or "" shows every entry
 *
 * Replaces the whole contents (items-changed (0, old, new)) once the rows
 * are found, on a worker: see :finding.
 */
void
seedream_history_model_set_search (SeedreamHistoryModel *self,
                                   const char           *search)
{
  g_return_if_fail (SEEDREAM_IS_HISTORY_MODEL (self));

  if (search != NULL && *search == '\0')
    search = NULL;

  if (!g_set_str (&self->search, search))
    return;

  start_find (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

/**
 * seedream_history_model_set_filter:
 * @self: a model
 * @filter: which rows
 * @model_id: (nullable): only rows sent to this model
 *
 * Combined with the search; replaces the contents as set_search() does.
 */
void
seedream_history_model_set_filter (SeedreamHistoryModel  *self,
                                   SeedreamHistoryFilter  filter,
                                   const char            *model_id)
{
  g_return_if_fail (SEEDREAM_IS_HISTORY_MODEL (self));

  if (self->filter == filter && g_strcmp0 (self->model_id, model_id) == 0)
    return;

  self->filter = filter;
  g_set_str (&self->model_id, model_id);
  start_find (self);
}

/**
 * seedream_history_model_set_hidden:
 * @self: a model
 * @ids: (array length=n_ids): rows of the history
 * @n_ids: how many
 * @hidden: left out or shown again
 *
 * Leaves rows out of the model while they are still in the history (a
 * delete waiting for its Undo toast), or shows them again. Replaces the
 * contents as set_search () does.
 */
void
seedream_history_model_set_hidden (SeedreamHistoryModel *self,
                                   const gint64         *ids,
                                   guint                 n_ids,
                                   gboolean              hidden)
{
  g_return_if_fail (SEEDREAM_IS_HISTORY_MODEL (self));

  for (guint i = 0; i < n_ids; i++)
    {
      if (hidden)
        g_hash_table_add (self->hidden, g_memdup2 (&ids[i], sizeof (gint64)));
      else
        g_hash_table_remove (self->hidden, &ids[i]);
    }

  start_find (self);
}

gboolean
seedream_history_model_get_finding (SeedreamHistoryModel *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_MODEL (self), FALSE);

  return self->find_cancellable != NULL;
}
