/* seedream-history-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history: a search entry over a GtkListView of SeedreamHistoryModel.
 * The list view asks the factory for rows only for the items on screen
 * (and a few around them) and recycles them as it scrolls, and the model
 * reads SQLite a page at a time, so the length of the history costs
 * nothing until it is scrolled through.
 *
 * Beside the search, two drop-downs filter the rows (All, Favourites,
 * Failed or Without Images; any model or one); the model combines them
 * with the search on its worker. Both are kept in the settings
 * (history-filter, history-model), so History opens as it was left.
 */

#define G_LOG_DOMAIN "seedream-history-view"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-history-row.h"
#include "seedream-history-view.h"
#include "seedream-model.h"

/* The filter drop-down's rows, in order, as the settings name them. */
static const struct {
  SeedreamHistoryFilter  filter;
  const char            *setting;
} filters[] = {
  { SEEDREAM_HISTORY_FILTER_ALL, "all" },
  { SEEDREAM_HISTORY_FILTER_FAVOURITES, "favourites" },
  { SEEDREAM_HISTORY_FILTER_FAILED, "failed" },
};

struct _SeedreamHistoryView
{
  AdwBin                parent_instance;

  SeedreamHistoryModel *model;
  GSettings            *settings;   /* nullable */
  GPtrArray            *model_ids;  /* the model drop-down's rows; NULL first: any */

  GtkSearchEntry       *search_entry;
  GtkDropDown          *filter_dropdown;
  GtkDropDown          *model_dropdown;
  GtkStack             *stack;
  AdwStatusPage        *no_results_page;
  GtkListView          *list_view;
};

G_DEFINE_FINAL_TYPE (SeedreamHistoryView, seedream_history_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_HISTORY_MODEL,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REUSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static SeedreamHistoryFilter
selected_filter (SeedreamHistoryView *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  return selected < G_N_ELEMENTS (filters) ? filters[selected].filter : SEEDREAM_HISTORY_FILTER_ALL;
}

static const char *
selected_model_id (SeedreamHistoryView *self)
{
  guint selected = gtk_drop_down_get_selected (self->model_dropdown);

  return selected < self->model_ids->len ? g_ptr_array_index (self->model_ids, selected) : NULL;
}

static void
update_page (SeedreamHistoryView *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint n_items = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;

  gboolean filtered = selected_filter (self) != SEEDREAM_HISTORY_FILTER_ALL || selected_model_id (self) != NULL;
  gboolean searched = search != NULL && *search != '\0';

  if (n_items > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (searched || filtered)
    {
      adw_status_page_set_description (self->no_results_page,
                                       filtered ? _("No submission matches the search and the filters")
                                                : _("No prompt contains this text"));
      gtk_stack_set_visible_child_name (self->stack, "no-results");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
filter_changed_cb (SeedreamHistoryView *self)
{
  SeedreamHistoryFilter filter = selected_filter (self);
  const char *model_id = selected_model_id (self);

  if (self->model != NULL)
    seedream_history_model_set_filter (self->model, filter, model_id);

  if (self->settings != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
        if (filters[i].filter == filter)
          g_settings_set_string (self->settings, "history-filter", filters[i].setting);
      g_settings_set_string (self->settings, "history-model", model_id != NULL ? model_id : "");
    }

  update_page (self);
}

/* The drop-downs as the settings say; an unknown model shows every one. */
static void
load_settings (SeedreamHistoryView *self)
{
  g_autofree char *filter = NULL;
  g_autofree char *model_id = NULL;
  guint model_row = 0;

  if (self->settings == NULL)
    return;

  filter = g_settings_get_string (self->settings, "history-filter");
  model_id = g_settings_get_string (self->settings, "history-model");
  for (guint i = 1; i < self->model_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->model_ids, i), model_id) == 0)
      model_row = i;

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    if (g_strcmp0 (filters[i].setting, filter) == 0)
      gtk_drop_down_set_selected (self->filter_dropdown, i);
  gtk_drop_down_set_selected (self->model_dropdown, model_row);
  filter_changed_cb (self);
}

static void
items_changed_cb (SeedreamHistoryView *self,
                  guint                position,
                  guint                removed,
                  guint                added,
                  GListModel          *model)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));
  gboolean at_top = vadjustment == NULL ||
                    gtk_adjustment_get_value (vadjustment) <= gtk_adjustment_get_lower (vadjustment) + 1.0;

  /* A new submission goes in at the top; when the person is looking at
   * the top, show it rather than keep the old first row in place. */
  if (position == 0 && added > 0 && at_top)
    gtk_list_view_scroll_to (self->list_view, 0, GTK_LIST_SCROLL_NONE, NULL);

  update_page (self);
}

static void
search_changed_cb (SeedreamHistoryView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *search = g_strstrip (g_strdup (text));

  if (self->model != NULL)
    seedream_history_model_set_search (self->model, *search != '\0' ? search : NULL);
  update_page (self);
}

static void
stop_search_cb (SeedreamHistoryView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
row_reuse_cb (SeedreamHistoryRow  *row,
              SeedreamHistoryView *self)
{
  SeedreamHistoryEntry *entry = seedream_history_row_get_entry (row);

  if (entry != NULL)
    g_signal_emit (self, signals[REUSE], 0, entry);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          SeedreamHistoryView      *self)
{
  GtkWidget *row = seedream_history_row_new ();

  g_signal_connect_object (row, "reuse", G_CALLBACK (row_reuse_cb), self, 0);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, row);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         SeedreamHistoryView      *self)
{
  SeedreamHistoryEntry *entry = gtk_list_item_get_item (item);
  const char *prompt = seedream_history_entry_get_prompt (entry);

  seedream_history_row_set_entry (SEEDREAM_HISTORY_ROW (gtk_list_item_get_child (item)), entry);
  gtk_list_item_set_accessible_label (item, prompt != NULL && *prompt != '\0' ? prompt : _("No prompt"));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SeedreamHistoryView      *self)
{
  /* Stops the thumbnail loads of a row scrolled away. */
  seedream_history_row_set_entry (SEEDREAM_HISTORY_ROW (gtk_list_item_get_child (item)), NULL);
}

GtkWidget *
seedream_history_view_new (SeedreamHistoryModel *model,
                           GSettings            *settings)
{
  g_return_val_if_fail (model == NULL || SEEDREAM_IS_HISTORY_MODEL (model), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (SEEDREAM_TYPE_HISTORY_VIEW, "settings", settings, "history-model", model, NULL);
}

SeedreamHistoryModel *
seedream_history_view_get_history_model (SeedreamHistoryView *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_VIEW (self), NULL);

  return self->model;
}

void
seedream_history_view_set_history_model (SeedreamHistoryView  *self,
                                         SeedreamHistoryModel *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (SEEDREAM_IS_HISTORY_VIEW (self));
  g_return_if_fail (model == NULL || SEEDREAM_IS_HISTORY_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);

  g_set_object (&self->model, model);

  if (model != NULL)
    {
      const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

      seedream_history_model_set_search (model, search != NULL && *search != '\0' ? search : NULL);
      seedream_history_model_set_filter (model, selected_filter (self), selected_model_id (self));
      selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (model)));
      /* After the selection model's own handler, so the list view has
       * taken the change in when items_changed_cb() scrolls. */
      g_signal_connect_object (model, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
    }

  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY_MODEL]);
}

void
seedream_history_view_focus_search (SeedreamHistoryView *self)
{
  g_return_if_fail (SEEDREAM_IS_HISTORY_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
seedream_history_view_dispose (GObject *object)
{
  SeedreamHistoryView *self = SEEDREAM_HISTORY_VIEW (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_HISTORY_VIEW);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->model_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (seedream_history_view_parent_class)->dispose (object);
}

static void
seedream_history_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SeedreamHistoryView *self = SEEDREAM_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_history_view_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SeedreamHistoryView *self = SEEDREAM_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY_MODEL:
      seedream_history_view_set_history_model (self, g_value_get_object (value));
      break;

    case PROP_SETTINGS:
      /* Construct-only: set before the model (see _new ()). */
      self->settings = g_value_dup_object (value);
      load_settings (self);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_history_view_class_init (SeedreamHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_history_view_dispose;
  object_class->get_property = seedream_history_view_get_property;
  object_class->set_property = seedream_history_view_set_property;

  properties[PROP_HISTORY_MODEL] =
    g_param_spec_object ("history-model", NULL, NULL,
                         SEEDREAM_TYPE_HISTORY_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Where the filters are kept (history-filter, history-model). */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SeedreamHistoryView::reuse:
   * @entry: the past submission
   *
   * The person asked to fill the compose form with @entry's settings and
   * sources (seedream_history_entry_to_request()).
   */
  signals[REUSE] = g_signal_new ("reuse",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, SEEDREAM_TYPE_HISTORY_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryView, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryView, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  g_type_ensure (SEEDREAM_TYPE_HISTORY_ROW);
}

static void
seedream_history_view_init (SeedreamHistoryView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkStringList) model_names = gtk_string_list_new (NULL);
  const SeedreamModel *models;
  guint n_models;

  /* Before the template: its drop-downs notify while it is built. */
  self->model_ids = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  g_ptr_array_add (self->model_ids, NULL);
  gtk_string_list_append (model_names, _("All Models"));
  models = seedream_model_get_all (&n_models);
  for (guint i = 0; i < n_models; i++)
    {
      /* Static strings of the model table. */
      g_ptr_array_add (self->model_ids, (gpointer) models[i].id);
      gtk_string_list_append (model_names, models[i].display_name);
    }
  gtk_drop_down_set_model (self->model_dropdown, G_LIST_MODEL (model_names));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  update_page (self);
}
