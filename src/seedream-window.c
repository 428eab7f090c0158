/* seedream-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-window"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-window.h"

struct _SeedreamWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (SeedreamWindow, seedream_window, ADW_TYPE_APPLICATION_WINDOW)

SeedreamWindow *
seedream_window_new (SeedreamApplication *application)
{
  g_return_val_if_fail (SEEDREAM_IS_APPLICATION (application), NULL);

  return g_object_new (SEEDREAM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
seedream_window_restore_state (SeedreamWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  /* A size saved on a larger screen may not fit this one; GTK clamps the
   * window to the monitor, so only nonsense values are ignored here. */
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
seedream_window_save_state (SeedreamWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
seedream_window_close_request (GtkWindow *window)
{
  seedream_window_save_state (SEEDREAM_WINDOW (window));

  return GTK_WINDOW_CLASS (seedream_window_parent_class)->close_request (window);
}

static void
seedream_window_dispose (GObject *object)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (seedream_window_parent_class)->dispose (object);
}

static void
seedream_window_class_init (SeedreamWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = seedream_window_dispose;

  window_class->close_request = seedream_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-window.ui");
}

static void
seedream_window_init (SeedreamWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APP_ID);
  seedream_window_restore_state (self);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
