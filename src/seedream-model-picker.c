/* seedream-model-picker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwComboRow that lists the model table: each item its display name
 * with a line on what the model is good for, the row itself the chosen
 * model with that line as its subtitle. The form and the preferences' default
 * model use it, so both list the same rows in the same order.
 */

#define G_LOG_DOMAIN "seedream-model-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-model-picker.h"

static void
setup_item_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (item, box);
}

static void
bind_item_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  guint n_models = 0;
  const SeedreamModel *models = seedream_model_get_all (&n_models);
  guint position = gtk_list_item_get_position (item);

  if (position >= n_models)
    return;

  gtk_label_set_label (GTK_LABEL (title), models[position].display_name);
  gtk_label_set_label (GTK_LABEL (subtitle), seedream_model_get_description (&models[position]));
  /* A screen reader hears both lines as one item. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  seedream_model_get_description (&models[position]),
                                  -1);
}

static void
selected_cb (AdwComboRow *row)
{
  const SeedreamModel *model = seedream_model_picker_get_selected (row);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), seedream_model_get_description (model));
}

/**
 * seedream_model_picker_setup:
 * @row: a combo row without a model
 *
 * Makes @row list the models of the table, the default selected.
 */
void
seedream_model_picker_setup (AdwComboRow *row)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  guint n_models = 0;
  const SeedreamModel *models = seedream_model_get_all (&n_models);

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  for (guint i = 0; i < n_models; i++)
    gtk_string_list_append (names, models[i].display_name);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item_cb), NULL);
  adw_combo_row_set_list_factory (row, factory);
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  g_signal_connect (row, "notify::selected", G_CALLBACK (selected_cb), NULL);
  seedream_model_picker_select (row, seedream_model_get_default ());
  selected_cb (row);
}

/**
 * seedream_model_picker_get_selected:
 * @row: a row set up by seedream_model_picker_setup()
 *
 * Returns: (transfer none): the chosen model
 */
const SeedreamModel *
seedream_model_picker_get_selected (AdwComboRow *row)
{
  guint n_models = 0;
  const SeedreamModel *models = seedream_model_get_all (&n_models);
  guint selected;

  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), seedream_model_get_default ());

  selected = adw_combo_row_get_selected (row);
  if (selected >= n_models)
    return seedream_model_get_default ();

  return &models[selected];
}

/**
 * seedream_model_picker_select:
 * @row: a row set up by seedream_model_picker_setup()
 * @model: the model to show
 */
void
seedream_model_picker_select (AdwComboRow         *row,
                              const SeedreamModel *model)
{
  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  g_return_if_fail (model != NULL);

  adw_combo_row_set_selected (row, seedream_model_get_index (model));
}
