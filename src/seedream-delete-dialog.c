/* seedream-delete-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The question before a delete. Deleting is undone from its toast, so the
 * question is mostly where the person says whether the service should
 * forget the tasks too: never assumed, off each time.
 */

#define G_LOG_DOMAIN "seedream-delete-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-delete-dialog.h"

struct _SeedreamDeleteDialog
{
  AdwAlertDialog  parent_instance;

  GArray         *ids;
  GtkCheckButton *server_check;
};

G_DEFINE_FINAL_TYPE (SeedreamDeleteDialog, seedream_delete_dialog, ADW_TYPE_ALERT_DIALOG)

static void
response_cb (SeedreamDeleteDialog *self,
             const char           *response)
{
  GVariantBuilder ids;

  if (g_strcmp0 (response, "delete") != 0)
    return;

  g_variant_builder_init (&ids, G_VARIANT_TYPE ("ax"));
  for (guint i = 0; i < self->ids->len; i++)
    g_variant_builder_add (&ids, "x", g_array_index (self->ids, gint64, i));

  gtk_widget_activate_action (GTK_WIDGET (self), "win.delete-submissions", "(axb)", &ids,
                              gtk_check_button_get_active (self->server_check));
}

static void
seedream_delete_dialog_finalize (GObject *object)
{
  SeedreamDeleteDialog *self = SEEDREAM_DELETE_DIALOG (object);

  g_clear_pointer (&self->ids, g_array_unref);

  G_OBJECT_CLASS (seedream_delete_dialog_parent_class)->finalize (object);
}

static void
seedream_delete_dialog_class_init (SeedreamDeleteDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seedream_delete_dialog_finalize;
}

static void
seedream_delete_dialog_init (SeedreamDeleteDialog *self)
{
  AdwAlertDialog *dialog = ADW_ALERT_DIALOG (self);

  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->server_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("Also delete on the _server")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->server_check),
                               _("Ask TensorsLab to delete these tasks and their images too"));
  adw_alert_dialog_set_extra_child (dialog, GTK_WIDGET (self->server_check));

  adw_alert_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_alert_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (dialog, "cancel");
  adw_alert_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (self, "response", G_CALLBACK (response_cb), NULL);
}

AdwDialog *
seedream_delete_dialog_new (const gint64 *ids,
                            guint         n_ids,
                            gboolean      failed)
{
  SeedreamDeleteDialog *self = g_object_new (SEEDREAM_TYPE_DELETE_DIALOG, NULL);
  g_autofree char *body = NULL;

  g_array_append_vals (self->ids, ids, n_ids);

  if (failed)
    {
      adw_alert_dialog_set_heading (ADW_ALERT_DIALOG (self), _("Delete All Failed?"));
      body = g_strdup_printf (ngettext ("%u submission failed or ended without images. It is deleted with "
                                        "what it kept here; you can undo this for a few seconds.",
                                        "%u submissions failed or ended without images. They are deleted "
                                        "with what they kept here; you can undo this for a few seconds.",
                                        n_ids), n_ids);
    }
  else
    {
      adw_alert_dialog_set_heading (ADW_ALERT_DIALOG (self), _("Delete This Submission?"));
      body = g_strdup (_("Its images and the source images nothing else uses are deleted here; you can "
                         "undo this for a few seconds."));
    }
  adw_alert_dialog_set_body (ADW_ALERT_DIALOG (self), body);

  return ADW_DIALOG (self);
}
