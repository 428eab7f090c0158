/* seedream-output-folder-chooser.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  seedream_output_folder_chooser_choose (GtkWidget *parent,
                                             GSettings *settings);
char *seedream_output_folder_chooser_describe (GSettings *settings);

G_END_DECLS
