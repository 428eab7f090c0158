/* seedream-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-application"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-application.h"
#include "seedream-preferences-dialog.h"
#include "seedream-window.h"

struct _SeedreamApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (SeedreamApplication, seedream_application, ADW_TYPE_APPLICATION)

SeedreamApplication *
seedream_application_new (void)
{
  return g_object_new (SEEDREAM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

/**
 * seedream_application_get_settings:
 *
 * Returns: (transfer none): the application's settings, shared by its windows.
 */
GSettings *
seedream_application_get_settings (SeedreamApplication *self)
{
  g_return_val_if_fail (SEEDREAM_IS_APPLICATION (self), NULL);

  return self->settings;
}

static SeedreamWindow *
seedream_application_get_main_window (SeedreamApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SEEDREAM_IS_WINDOW (window))
    return SEEDREAM_WINDOW (window);

  return seedream_window_new (self);
}

/* Benchmark hook (tests/bench): with SEEDREAM_BENCH_EXIT_AFTER_FIRST_FRAME=1
 * in the environment, the first after-paint of the main window's frame clock
 * prints "SEEDREAM_BENCH_FIRST_FRAME <g_get_monotonic_time() in µs>" to
 * stderr and quits. tests/bench/minimal-window.c does the same, so start-up
 * is compared with a minimal libadwaita window. */
static void
seedream_application_bench_after_paint_cb (GdkFrameClock *frame_clock,
                                           gpointer       user_data)
{
  GApplication *app = user_data;

  g_signal_handlers_disconnect_by_func (frame_clock,
                                        seedream_application_bench_after_paint_cb,
                                        user_data);
  g_printerr ("SEEDREAM_BENCH_FIRST_FRAME %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_application_quit (app);
}

static void
seedream_application_bench_realize_cb (GtkWidget *window,
                                       gpointer   user_data)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (seedream_application_bench_after_paint_cb),
                           user_data, G_CONNECT_DEFAULT);
}

static void
seedream_application_activate (GApplication *app)
{
  SeedreamApplication *self = SEEDREAM_APPLICATION (app);
  GtkWindow *window = GTK_WINDOW (seedream_application_get_main_window (self));

  if (g_strcmp0 (g_getenv ("SEEDREAM_BENCH_EXIT_AFTER_FIRST_FRAME"), "1") == 0 &&
      !gtk_widget_get_realized (GTK_WIDGET (window)))
    g_signal_connect_object (window, "realize",
                             G_CALLBACK (seedream_application_bench_realize_cb),
                             self, G_CONNECT_DEFAULT);

  gtk_window_present (window);
}

static void
seedream_application_open (GApplication  *app,
                           GFile        **files,
                           int            n_files,
                           const char    *hint)
{
  SeedreamApplication *self = SEEDREAM_APPLICATION (app);
  SeedreamWindow *window = seedream_application_get_main_window (self);

  /* Files opened with the app (“Open With” in Files, or the command line)
   * become source images in the compose form. */
  seedream_window_add_source_files (window, files, (guint) n_files);
  gtk_window_present (GTK_WINDOW (window));
}

static void
seedream_application_quit_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  SeedreamApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing each window (rather than g_application_quit()) lets every
   * window save its state on the way out. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
seedream_application_about_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  SeedreamApplication *self = user_data;
  static const char *developers[] = { "The Seedream Studio developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwDialog *dialog;

  dialog = g_object_new (ADW_TYPE_ABOUT_DIALOG,
                         "application-name", _("Seedream Studio"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Seedream Studio developers"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/seedreamstudio/seedream-studio",
                         "issue-url", "https://github.com/seedreamstudio/seedream-studio/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Seedream Studio developers",
                         "developers", developers,
                         /* Translators: replace with your names, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
  adw_about_dialog_add_legal_section (ADW_ABOUT_DIALOG (dialog),
                                      _("Image generation"),
                                      NULL,
                                      GTK_LICENSE_CUSTOM,
                                      _("Images are generated by the Seedream 4.5 model through the "
                                        "TensorsLab Images API, under the terms of your TensorsLab account."));
  adw_dialog_present (dialog, GTK_WIDGET (window));
}

static void
seedream_application_preferences_action (GSimpleAction *action,
                                         GVariant      *parameter,
                                         gpointer       user_data)
{
  SeedreamApplication *self = user_data;
  SeedreamPreferencesDialog *dialog;
  SeedreamWindow *window = NULL;

  /* The most recently focused main window comes first; its session is the
   * one whose key the dialog manages. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (SEEDREAM_IS_WINDOW (l->data))
        {
          window = l->data;
          break;
        }
    }

  if (window == NULL)
    return;

  dialog = seedream_preferences_dialog_new (seedream_window_get_session (window));
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (window));
}

static void
seedream_application_shortcuts_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  SeedreamApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/seedream-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (shortcuts, window);
  gtk_window_set_application (shortcuts, GTK_APPLICATION (self));
  gtk_window_present (shortcuts);
}

static const GActionEntry app_actions[] = {
  { "quit", seedream_application_quit_action },
  { "about", seedream_application_about_action },
  { "preferences", seedream_application_preferences_action },
  { "shortcuts", seedream_application_shortcuts_action },
};

static void
seedream_application_startup (GApplication *app)
{
  SeedreamApplication *self = SEEDREAM_APPLICATION (app);

  G_APPLICATION_CLASS (seedream_application_parent_class)->startup (app);

  g_set_application_name (_("Seedream Studio"));
  gtk_window_set_default_icon_name (APP_ID);

  self->settings = g_settings_new (BASE_APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts",
                                         (const char *[]) { "<Control>question", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}

static void
seedream_application_dispose (GObject *object)
{
  SeedreamApplication *self = SEEDREAM_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (seedream_application_parent_class)->dispose (object);
}

static void
seedream_application_class_init (SeedreamApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = seedream_application_dispose;

  app_class->startup = seedream_application_startup;
  app_class->activate = seedream_application_activate;
  app_class->open = seedream_application_open;
}

static void
seedream_application_init (SeedreamApplication *self)
{
}
