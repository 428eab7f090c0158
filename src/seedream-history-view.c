/* seedream-history-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history: a search entry over a GtkListView of SeedreamHistoryModel.
 * The list view asks the factory for rows only for the items on screen
 * (and a few around them) and recycles them as it scrolls, and the model
 * reads SQLite a page at a time, so the length of the history costs
 * nothing until it is scrolled through.
 */

#define G_LOG_DOMAIN "seedream-history-view"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-history-row.h"
#include "seedream-history-view.h"

struct _SeedreamHistoryView
{
  AdwBin                parent_instance;

  SeedreamHistoryModel *model;

  GtkSearchEntry       *search_entry;
  GtkStack             *stack;
  GtkListView          *list_view;
};

G_DEFINE_FINAL_TYPE (SeedreamHistoryView, seedream_history_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_HISTORY_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REUSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_page (SeedreamHistoryView *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint n_items = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;

  if (n_items > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (search != NULL && *search != '\0')
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
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
seedream_history_view_new (SeedreamHistoryModel *model)
{
  g_return_val_if_fail (model == NULL || SEEDREAM_IS_HISTORY_MODEL (model), NULL);

  return g_object_new (SEEDREAM_TYPE_HISTORY_VIEW, "history-model", model, NULL);
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
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, SeedreamHistoryView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  g_type_ensure (SEEDREAM_TYPE_HISTORY_ROW);
}

static void
seedream_history_view_init (SeedreamHistoryView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  update_page (self);
}
