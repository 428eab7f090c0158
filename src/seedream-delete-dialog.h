/* seedream-delete-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SEEDREAM_TYPE_DELETE_DIALOG (seedream_delete_dialog_get_type ())

/* Asks before deleting submissions, with "Also delete on the server" (off
 * by default). Its Delete response activates win.delete-submissions
 * ((axb): the ids, and whether the server too). */
G_DECLARE_FINAL_TYPE (SeedreamDeleteDialog, seedream_delete_dialog, SEEDREAM, DELETE_DIALOG, AdwAlertDialog)

/* @failed: the ids are every failed one ("Delete All Failed") */
AdwDialog *seedream_delete_dialog_new (const gint64 *ids,
                                       guint         n_ids,
                                       gboolean      failed);

G_END_DECLS
