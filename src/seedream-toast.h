/* seedream-toast.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

gboolean seedream_toast_show (GtkWidget  *widget,
                              const char *text,
                              gboolean    lasting);

gboolean seedream_toast_show_with_button (GtkWidget  *widget,
                                          const char *text,
                                          const char *button_label,
                                          const char *action_name);

gboolean seedream_toast_show_undoable (GtkWidget  *widget,
                                       const char *text,
                                       const char *undo_action,
                                       GVariant   *undo_target,
                                       GCallback   dismissed,
                                       gpointer    user_data);

G_END_DECLS
