/* seedream-saving-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Save Finished Images To": a switch (the "save-finished-images"
 * setting, off by default) and the folder (the "output-folder" setting),
 * chosen with seedream-output-folder-chooser.c. Turning the switch on
 * with no folder chosen asks for one.
 */

#define G_LOG_DOMAIN "seedream-saving-group"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-output-folder-chooser.h"
#include "seedream-saving-group.h"

struct _SeedreamSavingGroup
{
  AdwPreferencesGroup  parent_instance;

  GSettings           *settings;

  AdwSwitchRow        *save_row;
  AdwActionRow        *folder_row;
  GtkButton           *choose_button;
};

G_DEFINE_FINAL_TYPE (SeedreamSavingGroup, seedream_saving_group, ADW_TYPE_PREFERENCES_GROUP)

static void
folder_changed_cb (SeedreamSavingGroup *self)
{
  g_autofree char *name = seedream_output_folder_chooser_describe (self->settings);

  adw_action_row_set_subtitle (self->folder_row, name);
}

static void
save_changed_cb (SeedreamSavingGroup *self)
{
  g_autofree char *uri = g_settings_get_string (self->settings, "output-folder");

  if (adw_switch_row_get_active (self->save_row) && *uri == '\0')
    seedream_output_folder_chooser_choose (GTK_WIDGET (self), self->settings);
}

static void
choose_folder_cb (SeedreamSavingGroup *self)
{
  seedream_output_folder_chooser_choose (GTK_WIDGET (self), self->settings);
}

static void
seedream_saving_group_dispose (GObject *object)
{
  SeedreamSavingGroup *self = SEEDREAM_SAVING_GROUP (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_SAVING_GROUP);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (seedream_saving_group_parent_class)->dispose (object);
}

static void
seedream_saving_group_class_init (SeedreamSavingGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_saving_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-saving-group.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamSavingGroup, save_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSavingGroup, folder_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamSavingGroup, choose_button);
  gtk_widget_class_bind_template_callback (widget_class, choose_folder_cb);
}

static void
seedream_saving_group_init (SeedreamSavingGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APP_ID);
  g_settings_bind (self->settings, "save-finished-images", self->save_row, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::output-folder",
                           G_CALLBACK (folder_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->save_row, "notify::active",
                           G_CALLBACK (save_changed_cb), self, G_CONNECT_SWAPPED);
  folder_changed_cb (self);
}
