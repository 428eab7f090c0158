/* seedream-chain-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a SeedreamHistoryChain: one history row a submission, under a
 * heading for each part ("Came From", "This Submission", "Made From Its
 * Images"), with the submission itself focused.
 */

#define G_LOG_DOMAIN "seedream-chain-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-chain-dialog.h"
#include "seedream-history-row.h"

struct _SeedreamChainDialog
{
  AdwDialog             parent_instance;

  SeedreamHistoryChain *chain;

  GtkListBox           *list;
};

G_DEFINE_FINAL_TYPE (SeedreamChainDialog, seedream_chain_dialog, ADW_TYPE_DIALOG)

enum {
  REUSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PART_ANCESTORS,
  PART_ENTRY,
  PART_CHILDREN,
};

static int
part_of (SeedreamChainDialog *self,
         int                  position)
{
  int focus = (int) seedream_history_chain_get_focus (self->chain);

  return position < focus ? PART_ANCESTORS : position == focus ? PART_ENTRY : PART_CHILDREN;
}

static void
header_cb (GtkListBoxRow *row,
           GtkListBoxRow *before,
           gpointer       user_data)
{
  SeedreamChainDialog *self = user_data;
  int part = part_of (self, gtk_list_box_row_get_index (row));
  const char *title = NULL;
  GtkWidget *label;

  if (before != NULL && part_of (self, gtk_list_box_row_get_index (before)) == part)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  switch (part)
    {
    case PART_ANCESTORS:
      title = _("Came From");
      break;
    case PART_ENTRY:
      title = _("This Submission");
      break;
    case PART_CHILDREN:
    default:
      title = _("Made From Its Images");
      break;
    }

  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "heading");
  gtk_list_box_row_set_header (row, label);
}

static void
row_reuse_cb (SeedreamHistoryRow  *row,
              SeedreamChainDialog *self)
{
  SeedreamHistoryEntry *entry = seedream_history_row_get_entry (row);

  if (entry == NULL)
    return;

  g_signal_emit (self, signals[REUSE], 0, entry);
  adw_dialog_close (ADW_DIALOG (self));
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  SeedreamChainDialog *self = user_data;
  GtkWidget *row = seedream_history_row_new ();
  GtkWidget *list_row = gtk_list_box_row_new ();

  seedream_history_row_set_entry (SEEDREAM_HISTORY_ROW (row), item);
  g_signal_connect_object (row, "reuse", G_CALLBACK (row_reuse_cb), self, 0);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), row);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);

  if (seedream_history_chain_get_entry (self->chain) == item)
    {
      gtk_widget_add_css_class (list_row, "chain-focus");
      gtk_accessible_update_state (GTK_ACCESSIBLE (list_row), GTK_ACCESSIBLE_STATE_SELECTED, TRUE, -1);
    }

  return list_row;
}

SeedreamChainDialog *
seedream_chain_dialog_new (SeedreamHistoryChain *chain)
{
  SeedreamChainDialog *self;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY_CHAIN (chain), NULL);

  self = g_object_new (SEEDREAM_TYPE_CHAIN_DIALOG, NULL);
  self->chain = g_object_ref (chain);
  gtk_list_box_set_header_func (self->list, header_cb, self, NULL);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (chain), create_row_cb, self, NULL);

  return self;
}

SeedreamHistoryChain *
seedream_chain_dialog_get_chain (SeedreamChainDialog *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CHAIN_DIALOG (self), NULL);

  return self->chain;
}

GtkListBox *
seedream_chain_dialog_get_list (SeedreamChainDialog *self)
{
  g_return_val_if_fail (SEEDREAM_IS_CHAIN_DIALOG (self), NULL);

  return self->list;
}

static void
seedream_chain_dialog_dispose (GObject *object)
{
  SeedreamChainDialog *self = SEEDREAM_CHAIN_DIALOG (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_CHAIN_DIALOG);
  g_clear_object (&self->chain);

  G_OBJECT_CLASS (seedream_chain_dialog_parent_class)->dispose (object);
}

static void
seedream_chain_dialog_class_init (SeedreamChainDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_chain_dialog_dispose;

  signals[REUSE] = g_signal_new ("reuse",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, SEEDREAM_TYPE_HISTORY_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-chain-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamChainDialog, list);
}

static void
seedream_chain_dialog_init (SeedreamChainDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
