/* seedream-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: asks for the API key on first run, then shows the
 * compose form beside the list of submissions (stacked when narrow).
 * Source images arrive here from the file chooser, drag-and-drop and the
 * clipboard, and go to the form, which checks them.
 */

#define G_LOG_DOMAIN "seedream-window"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-compose-view.h"
#include "seedream-draft.h"
#include "seedream-delete-dialog.h"
#include "seedream-history-view.h"
#include "seedream-setup-page.h"
#include "seedream-pasted-image.h"
#include "seedream-preferences-dialog.h"
#include "seedream-session.h"
#include "seedream-auto-saver.h"
#include "seedream-output-folder-chooser.h"
#include "seedream-task-row.h"
#include "seedream-window.h"
#include "seedream-chain-dialog.h"
#include "seedream-compare-view.h"
#include "seedream-toast.h"

struct _SeedreamWindow
{
  AdwApplicationWindow  parent_instance;

  SeedreamSession      *session;
  GSettings            *settings;
  SeedreamDraft        *draft;
  gboolean              draft_save_failing;
  GCancellable         *cancellable;

  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *drop_revealer;
  GtkStack             *main_stack;
  GMenuModel           *primary_menu;
  GtkMenuButton        *menu_button;
  SeedreamSetupPage    *setup_page;
  AdwOverlaySplitView  *split_view;
  SeedreamComposeView  *compose_view;
  GtkStack             *tasks_stack;
  GtkListBox           *task_list;
  AdwViewStack         *content_stack;
  AdwBin               *history_bin;
  SeedreamHistoryView  *history_view;

  /* Copies results into the chosen folder (seedream-auto-saver.c). */
  SeedreamAutoSaver    *auto_saver;

  /* The images picked for Compare, from any task (win.compare-toggle). */
  SeedreamCompareSelection *compare_selection;
  GtkActionBar         *compare_bar;
  GtkLabel             *compare_label;
};

G_DEFINE_FINAL_TYPE (SeedreamWindow, seedream_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * seedream_window_new:
 *
 * A window showing a new session on the app's own data (the history in
 * `$XDG_DATA_HOME/APP_ID`).
 */
SeedreamWindow *
seedream_window_new (SeedreamApplication *application)
{
  g_autoptr(GFile) data_dir = seedream_session_get_default_data_dir ();
  g_autoptr(SeedreamSession) session = NULL;

  g_return_val_if_fail (SEEDREAM_IS_APPLICATION (application), NULL);

  session = seedream_session_new (data_dir, seedream_application_get_settings (application));

  return seedream_window_new_for_session (application, session);
}

/**
 * seedream_window_new_for_session:
 * @session: what the window shows; the window starts it
 */
SeedreamWindow *
seedream_window_new_for_session (SeedreamApplication *application,
                                 SeedreamSession     *session)
{
  g_return_val_if_fail (SEEDREAM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (SEEDREAM_IS_SESSION (session), NULL);

  return g_object_new (SEEDREAM_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

/**
 * seedream_window_get_session:
 *
 * Returns: (transfer none): the session the window shows
 */
SeedreamSession *
seedream_window_get_session (SeedreamWindow *self)
{
  g_return_val_if_fail (SEEDREAM_IS_WINDOW (self), NULL);

  return self->session;
}

static void
seedream_window_toast (SeedreamWindow *self,
                       const char     *message)
{
  seedream_toast_show (GTK_WIDGET (self->toast_overlay), message, FALSE);
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

/* The form shows before the key is read from the keyring; sending waits for it. */
static void
seedream_window_update_generate (SeedreamWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.generate",
                                 seedream_session_get_key_state (self->session) ==
                                 SEEDREAM_SESSION_KEY_STATE_READY &&
                                 seedream_compose_view_get_can_generate (self->compose_view));
}

static void
seedream_window_show_main (SeedreamWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  seedream_compose_view_focus_prompt (self->compose_view);
}

/* Made only when there is no key: a normal start never builds it. */
static void
seedream_window_show_setup (SeedreamWindow *self)
{
  if (self->setup_page == NULL)
    {
      self->setup_page = SEEDREAM_SETUP_PAGE (seedream_setup_page_new (self->primary_menu, self->session));
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->setup_page), "setup");
    }

  gtk_stack_set_visible_child_name (self->main_stack, "setup");
  seedream_setup_page_focus_key (self->setup_page);
}

static void
key_state_changed_cb (SeedreamWindow *self)
{
  seedream_window_update_generate (self);

  switch (seedream_session_get_key_state (self->session))
    {
    case SEEDREAM_SESSION_KEY_STATE_READY:
      seedream_window_show_main (self);
      break;

    case SEEDREAM_SESSION_KEY_STATE_MISSING:
      seedream_window_show_setup (self);
      break;

    case SEEDREAM_SESSION_KEY_STATE_LOOKING_UP:
    default:
      break;
    }
}

static void
seedream_window_store_key_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(SeedreamWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!seedream_session_store_key_finish (SEEDREAM_SESSION (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        seedream_window_toast (self, error->message);
      return;
    }

  if (self->setup_page != NULL)
    seedream_setup_page_clear_key (self->setup_page);
}

static void
seedream_window_save_key_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  const char *key;

  if (self->setup_page == NULL)
    return;

  key = seedream_setup_page_get_key (self->setup_page);
  seedream_session_store_key_async (self->session, key, self->cancellable,
                                    seedream_window_store_key_cb, g_object_ref (self));
}

/* A finished task is worth a notification only when the person is
 * looking elsewhere. */
static void
task_ended_cb (SeedreamWindow     *self,
               SeedreamSubmission *submission,
               gboolean            succeeded,
               const char         *message)
{
  GApplication *application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;

  if (application == NULL || gtk_window_is_active (GTK_WINDOW (self)))
    return;

  if (succeeded)
    {
      notification = g_notification_new (_("Images Ready"));
      g_notification_set_body (notification, _("A generation task has finished."));
    }
  else if (seedream_submission_get_status (submission) == SEEDREAM_SUBMISSION_STATUS_NO_IMAGES)
    {
      /* Not a failure: finished, with nothing to show. */
      notification = g_notification_new (_("Finished Without Images"));
      g_notification_set_body (notification, message);
    }
  else
    {
      notification = g_notification_new (_("Generation Failed"));
      g_notification_set_body (notification, message);
    }

  id = g_strconcat ("task-", seedream_submission_get_task_id (submission), NULL);
  g_application_send_notification (application, id, notification);
}

/* What the session has to say is shown as a toast; a lasting one stays
 * until dismissed. */
static void
session_message_cb (SeedreamWindow *self,
                    const char     *text,
                    gboolean        lasting)
{
  seedream_toast_show (GTK_WIDGET (self->toast_overlay), text, lasting);
}

/* The output folder vanished or cannot be written: said once, with a way
 * to choose another; the images stay in the app's data. */
static void
auto_saver_failed_cb (SeedreamWindow *self,
                      const char     *message)
{
  seedream_toast_show_with_button (GTK_WIDGET (self->toast_overlay), message,
                                   _("Choose Folder…"), "win.choose-output-folder");
}

static void
seedream_window_choose_output_folder_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);

  seedream_output_folder_chooser_choose (widget, seedream_session_get_settings (self->session));
}

/* “Reuse” puts a past submission's settings and sources in the form,
 * replacing what was there: the draft keeps the result. */
static void
history_reuse_cb (SeedreamWindow       *self,
                  SeedreamHistoryEntry *entry)
{
  g_autoptr(SeedreamRequest) request = seedream_history_entry_to_request (entry);

  seedream_compose_view_load_request (self->compose_view, request);
  if (adw_overlay_split_view_get_collapsed (self->split_view))
    adw_overlay_split_view_set_show_sidebar (self->split_view, TRUE);
  seedream_compose_view_focus_prompt (self->compose_view);
  seedream_window_toast (self, _("The form now holds that submission’s settings and images"));
}

/* A star of the History page or a task row: (history id, starred). */
static void
seedream_window_set_favourite_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gint64 id;
  gboolean favourite;

  g_variant_get (parameter, "(xb)", &id, &favourite);
  if (!seedream_session_set_favourite (self->session, id, favourite, &error))
    seedream_window_toast (self, error->message);
}

/* The star of one image, on its tile or in its preview: (history id,
 * result index, starred). */
static void
seedream_window_set_result_favourite_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gint64 id;
  guint32 index;
  gboolean favourite;

  g_variant_get (parameter, "(xub)", &id, &index, &favourite);
  if (!seedream_session_set_result_favourite (self->session, id, index, favourite, &error))
    seedream_window_toast (self, error->message);
}

/* Deleting. The rows are hidden at once and deleted when the Undo toast
 * goes; a toast that goes because the window closes deletes nothing (the
 * session drops what is pending): closing never loses work. */
typedef struct
{
  GWeakRef window;
  guint    handle;
} FinishDelete;

static gboolean
finish_delete_cb (gpointer data)
{
  FinishDelete *finish = data;
  g_autoptr(SeedreamWindow) self = g_weak_ref_get (&finish->window);
  g_autoptr(GError) error = NULL;

  /* After Undo, nothing is pending any more and this does nothing. */
  if (self != NULL && !g_cancellable_is_cancelled (self->cancellable) &&
      !seedream_session_finish_delete (self->session, finish->handle, &error))
    seedream_window_toast (self, error->message);

  g_weak_ref_clear (&finish->window);
  g_free (finish);
  return G_SOURCE_REMOVE;
}

static void
delete_toast_dismissed_cb (AdwToast       *toast,
                           SeedreamWindow *self)
{
  GVariant *target = adw_toast_get_action_target_value (toast);
  FinishDelete *finish;

  if (target == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  /* From an idle: an Undo click that dismissed the toast has surely run
   * its action by then. */
  finish = g_new0 (FinishDelete, 1);
  g_weak_ref_init (&finish->window, self);
  finish->handle = g_variant_get_uint32 (target);
  g_idle_add (finish_delete_cb, finish);
}

static void
seedream_window_delete_submissions_action (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  g_autoptr(GVariant) ids = NULL;
  g_autofree char *text = NULL;
  const gint64 *values;
  gboolean on_server;
  gsize n_ids;
  guint handle;

  g_variant_get (parameter, "(@axb)", &ids, &on_server);
  values = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint64));
  if (n_ids == 0)
    return;

  handle = seedream_session_delete_later (self->session, values, n_ids, on_server);
  text = g_strdup_printf (ngettext ("%u submission deleted", "%u submissions deleted", n_ids), (guint) n_ids);
  if (!seedream_toast_show_undoable (GTK_WIDGET (self->toast_overlay), text, "win.undo-delete",
                                     g_variant_new_uint32 (handle), G_CALLBACK (delete_toast_dismissed_cb), self))
    seedream_window_toast (self, text);
}

static void
seedream_window_undo_delete_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);

  seedream_session_undo_delete (self->session, g_variant_get_uint32 (parameter));
}

/* From a History row: one submission. */
static void
seedream_window_ask_delete_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  gint64 id = g_variant_get_int64 (parameter);

  adw_dialog_present (seedream_delete_dialog_new (&id, 1, FALSE), widget);
}

static void
failed_found_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SeedreamWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = seedream_session_find_failed_finish (SEEDREAM_SESSION (object), result, &error);

  if (ids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        seedream_window_toast (self, error->message);
      return;
    }

  if (ids->len == 0)
    {
      seedream_window_toast (self, _("No submission failed"));
      return;
    }

  adw_dialog_present (seedream_delete_dialog_new ((gint64 *) (gpointer) ids->data, ids->len, TRUE),
                      GTK_WIDGET (self));
}

static void
seedream_window_delete_all_failed_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);

  seedream_session_find_failed_async (self->session, self->cancellable, failed_found_cb, g_object_ref (self));
}

/* The History page is built, and reads its rows, only when first shown:
 * nothing of it has to be ready for the window's first frame. */
static void
content_page_changed_cb (SeedreamWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->content_stack);

  if (g_strcmp0 (page, "history") != 0 || self->history_view != NULL)
    return;

  self->history_view =
    SEEDREAM_HISTORY_VIEW (seedream_history_view_new (seedream_session_get_history_model (self->session),
                                                     seedream_session_get_settings (self->session)));
  g_signal_connect_object (self->history_view, "reuse",
                           G_CALLBACK (history_reuse_cb), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->history_bin, GTK_WIDGET (self->history_view));
}

static void
seedream_window_show_chain_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  g_autoptr(SeedreamHistoryChain) chain = NULL;
  g_autoptr(GError) error = NULL;
  SeedreamChainDialog *dialog;

  chain = seedream_session_load_chain (self->session, g_variant_get_int64 (parameter), &error);
  if (chain == NULL)
    {
      g_warning ("Cannot show the chain of images: %s", error->message);
      seedream_window_toast (self, _("That submission is no longer in the history"));
      return;
    }

  dialog = seedream_chain_dialog_new (chain);
  g_signal_connect_object (dialog, "reuse", G_CALLBACK (history_reuse_cb), self, G_CONNECT_SWAPPED);
  adw_dialog_present (ADW_DIALOG (dialog), widget);
}

/* Comparing images */

static void
present_comparison (SeedreamWindow *self,
                    GListModel     *items,
                    gboolean        slider)
{
  SeedreamCompareView *view = seedream_compare_view_new (items);

  seedream_compare_view_set_slider (view, slider);
  adw_dialog_present (ADW_DIALOG (view), GTK_WIDGET (self));
}

static void
compare_selection_changed_cb (SeedreamWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->compare_selection));
  g_autofree char *text = NULL;

  /* Translators: in the bar shown while images are picked for comparison */
  text = g_strdup_printf (ngettext ("%u image picked for comparison (up to %u)",
                                    "%u images picked for comparison (up to %u)", n),
                          n, SEEDREAM_COMPARE_MAX_ITEMS);
  gtk_label_set_label (self->compare_label, text);
  gtk_action_bar_set_revealed (self->compare_bar, n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare",
                                 seedream_compare_selection_get_can_compare (self->compare_selection));
}

static void
seedream_window_compare_toggle_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));
  g_autoptr(SeedreamCompareItem) item = NULL;

  if (seedream_compare_selection_remove (self->compare_selection, file))
    return;

  if (seedream_compare_selection_is_full (self->compare_selection))
    {
      g_autofree char *message = g_strdup_printf (_("At most %u images can be compared"), SEEDREAM_COMPARE_MAX_ITEMS);

      seedream_window_toast (self, message);
      return;
    }

  item = seedream_session_describe_image (self->session, file);
  seedream_compare_selection_add (self->compare_selection, item);
}

static void
seedream_window_compare_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);

  if (!seedream_compare_selection_get_can_compare (self->compare_selection))
    return;

  present_comparison (self, G_LIST_MODEL (self->compare_selection), FALSE);
}

static void
seedream_window_compare_clear_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  seedream_compare_selection_clear (SEEDREAM_WINDOW (widget)->compare_selection);
}

static void
seedream_window_compare_with_source_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));
  g_autoptr(GListStore) items = NULL;
  g_autoptr(SeedreamCompareItem) before = seedream_session_describe_source_of (self->session, file);
  g_autoptr(SeedreamCompareItem) after = NULL;

  if (before == NULL)
    {
      seedream_window_toast (self, _("This image was not made from a source image"));
      return;
    }

  /* The source is the history's copy, named as the result it was when
   * it was one; otherwise it is only "the source". */
  after = seedream_session_describe_image (self->session, file);
  if (g_strcmp0 (seedream_compare_item_get_prompt (before), seedream_compare_item_get_prompt (after)) == 0 ||
      seedream_compare_item_get_model_name (before) == NULL)
    {
      g_autoptr(SeedreamCompareItem) named = NULL;

      named = seedream_compare_item_new (seedream_compare_item_get_file (before), _("Source image"), NULL,
                                         seedream_compare_item_get_width (before),
                                         seedream_compare_item_get_height (before));
      g_set_object (&before, named);
    }

  items = g_list_store_new (SEEDREAM_TYPE_COMPARE_ITEM);
  g_list_store_append (items, before);
  g_list_store_append (items, after);
  present_comparison (self, G_LIST_MODEL (items), TRUE);
}

/**
 * seedream_window_get_compare_selection:
 * @self: a window
 *
 * Returns: (transfer none): the images picked for comparison
 */
SeedreamCompareSelection *
seedream_window_get_compare_selection (SeedreamWindow *self)
{
  g_return_val_if_fail (SEEDREAM_IS_WINDOW (self), NULL);

  return self->compare_selection;
}

static void
seedream_window_use_as_source_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));
  gint64 entry_id;
  guint index;

  /* A result of the history: the next submission names it as its parent. */
  if (seedream_session_find_result (self->session, file, &entry_id, &index))
    seedream_compose_view_add_result (self->compose_view, file, entry_id, index);
  else
    seedream_compose_view_add_files (self->compose_view, &file, 1);
  if (adw_overlay_split_view_get_collapsed (self->split_view))
    adw_overlay_split_view_set_show_sidebar (self->split_view, TRUE);
}

static GtkWidget *
create_task_row_cb (gpointer item,
                    gpointer user_data)
{
  return seedream_task_row_new (SEEDREAM_SUBMISSION (item));
}

static void
submissions_changed_cb (SeedreamWindow *self)
{
  gboolean empty = g_list_model_get_n_items (seedream_session_get_submissions (self->session)) == 0;

  gtk_stack_set_visible_child_name (self->tasks_stack, empty ? "empty" : "list");
}

static void
seedream_window_generate_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  g_autoptr(SeedreamRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *blocked = seedream_compose_view_get_blocked_reason (self->compose_view);

  if (blocked != NULL)
    {
      seedream_window_toast (self, blocked);
      return;
    }

  /* The form keeps its contents: designers iterate on a prompt. */
  request = seedream_compose_view_build_request (self->compose_view);
  if (seedream_session_submit (self->session, request, &error) == NULL)
    {
      seedream_window_toast (self, error->message);
      return;
    }

  adw_view_stack_set_visible_child_name (self->content_stack, "tasks");

  {
    g_autofree char *resolution = NULL;
    guint batch_size = 1;

    g_object_get (request, "resolution", &resolution, "batch-size", &batch_size, NULL);
    g_settings_set_string (self->settings, "last-resolution", resolution);
    g_settings_set_int (self->settings, "last-batch-size", (int) batch_size);
  }

  if (adw_overlay_split_view_get_collapsed (self->split_view))
    adw_overlay_split_view_set_show_sidebar (self->split_view, FALSE);
}

/* Generate is only offered when the form can be sent; the button's
 * tooltip (set by the form) says why not. */
static void
can_generate_changed_cb (SeedreamWindow *self)
{
  seedream_window_update_generate (self);
}

static void
file_refused_cb (SeedreamWindow *self,
                 GFile          *file,
                 const char     *message)
{
  seedream_window_toast (self, message);
}

/**
 * seedream_window_add_source_files:
 * @files: (array length=n_files): images to use as sources
 *
 * Adds files given from outside the window (“Open With”, the command line).
 */
void
seedream_window_add_source_files (SeedreamWindow  *self,
                                  GFile          **files,
                                  guint            n_files)
{
  g_return_if_fail (SEEDREAM_IS_WINDOW (self));

  seedream_compose_view_add_files (self->compose_view, files, n_files);
}

static void
seedream_window_add_file_list (SeedreamWindow *self,
                               GSList         *list)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);

  seedream_compose_view_add_files (self->compose_view, (GFile **) files->pdata, files->len);
}

static void
seedream_window_texture_saved_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(SeedreamWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = seedream_pasted_image_save_finish (result, &error);

  if (file == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("The pasted image could not be stored: %s"), error->message);
      seedream_window_toast (self, message);
      return;
    }

  seedream_compose_view_add_files (self->compose_view, &file, 1);
}

/* Pasted and dropped pictures have no file: keep them in the app's data, so
 * the draft can refer to them after a restart. */
static void
seedream_window_add_texture (SeedreamWindow *self,
                             GdkTexture     *texture)
{
  g_autoptr(GFile) directory = g_file_new_build_filename (g_get_user_data_dir (), APP_ID, "pasted", NULL);

  seedream_pasted_image_save_async (texture, directory, self->cancellable,
                                    seedream_window_texture_saved_cb, g_object_ref (self));
}

static void
seedream_window_open_files_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(SeedreamWindow) self = user_data;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (object), result, &error);
  if (files == NULL)
    {
      if (!g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
        seedream_window_toast (self, error->message);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    g_ptr_array_add (array, g_list_model_get_item (files, i));

  seedream_compose_view_add_files (self->compose_view, (GFile **) array->pdata, array->len);
}

static void
seedream_window_add_images_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  SeedreamDraft *draft = seedream_compose_view_get_draft (self->compose_view);
  /* The types the form's model takes. */
  const SeedreamModel *model = draft != NULL ? seedream_request_get_model (seedream_draft_get_request (draft))
                                             : seedream_model_get_default ();
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

  gtk_file_filter_set_name (filter, _("Images"));
  for (guint i = 0; model->source_mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, model->source_mime_types[i]);
  g_list_store_append (filters, filter);

  gtk_file_dialog_set_title (dialog, _("Add Source Images"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_default_filter (dialog, filter);
  gtk_file_dialog_open_multiple (dialog, GTK_WINDOW (self), self->cancellable,
                                 seedream_window_open_files_cb, g_object_ref (self));
}

static void
seedream_window_paste_files_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(SeedreamWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, &error);
  if (value == NULL)
    {
      seedream_window_toast (self, _("The clipboard could not be read"));
      return;
    }

  seedream_window_add_file_list (self, g_value_get_boxed (value));
}

static void
seedream_window_paste_texture_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(SeedreamWindow) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, &error);
  if (texture == NULL)
    {
      seedream_window_toast (self, _("The clipboard could not be read"));
      return;
    }

  seedream_window_add_texture (self, texture);
}

static void
seedream_window_paste_images_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, self->cancellable,
                                    seedream_window_paste_files_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    gdk_clipboard_read_texture_async (clipboard, self->cancellable,
                                      seedream_window_paste_texture_cb, g_object_ref (self));
  else
    seedream_window_toast (self, _("There is no image in the clipboard to paste"));
}

static gboolean
drop_cb (SeedreamWindow *self,
         const GValue   *value,
         double          x,
         double          y)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      seedream_window_add_file_list (self, g_value_get_boxed (value));
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      seedream_window_add_texture (self, g_value_get_object (value));
      return TRUE;
    }

  return FALSE;
}

/* Made on the first drag over the window: most sessions never need it. */
static void
seedream_window_ensure_drop_overlay (SeedreamWindow *self)
{
  GtkWidget *page;

  if (gtk_revealer_get_child (self->drop_revealer) != NULL)
    return;

  page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "insert-image-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Drop Images Here"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), _("They will be added as source images"));
  gtk_widget_add_css_class (page, "drop-overlay");
  gtk_revealer_set_child (self->drop_revealer, page);
}

static GdkDragAction
drop_enter_cb (SeedreamWindow *self)
{
  seedream_window_ensure_drop_overlay (self);
  gtk_revealer_set_reveal_child (self->drop_revealer, TRUE);
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (SeedreamWindow *self)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);
}

static void
seedream_window_setup_drop_target (SeedreamWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);

  gtk_drop_target_set_gtypes (target, (GType[2]) { GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE }, 2);
  g_signal_connect_swapped (target, "drop", G_CALLBACK (drop_cb), self);
  g_signal_connect_swapped (target, "enter", G_CALLBACK (drop_enter_cb), self);
  g_signal_connect_swapped (target, "leave", G_CALLBACK (drop_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* Said once per run of failures: the draft keeps trying on every change,
 * and a toast each half second would bury the form. */
static void
draft_save_failed_cb (SeedreamWindow *self,
                      GError         *error)
{
  g_autofree char *message = NULL;

  if (self->draft_save_failing)
    return;

  self->draft_save_failing = TRUE;
  message = g_strdup_printf (_("Your draft could not be saved, so it would be lost if the app stopped: %s"),
                             error->message);
  seedream_window_toast (self, message);
}

static void
draft_saved_cb (SeedreamWindow *self)
{
  self->draft_save_failing = FALSE;
}

/**
 * seedream_window_set_draft_file:
 * @file: where the draft is kept
 *
 * Loads the draft from @file and keeps saving it there. The window uses
 * the default place unless told otherwise (tests keep their own).
 */
void
seedream_window_set_draft_file (SeedreamWindow *self,
                                GFile          *file)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SEEDREAM_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->draft != NULL && seedream_draft_get_autosave (self->draft))
    seedream_draft_flush (self->draft, NULL);
  g_clear_object (&self->draft);

  self->draft = seedream_draft_new (file);
  if (!seedream_draft_load (self->draft, &error))
    seedream_window_toast (self, _("Your last draft could not be read, so the form starts empty. "
                                   "The damaged file was kept beside the new one."));
  g_signal_connect_object (self->draft, "save-failed",
                           G_CALLBACK (draft_save_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->draft, "saved",
                           G_CALLBACK (draft_saved_cb), self, G_CONNECT_SWAPPED);
  /* The draft file is shared with the instance that holds the data
   * folder: this one shows it but leaves the saving to that one. */
  seedream_draft_set_autosave (self->draft, !seedream_session_is_locked_out (self->session));
  seedream_compose_view_set_draft (self->compose_view, self->draft);
}

/* Everything that shows the session waits until it is set. */
static void
seedream_window_constructed (GObject *object)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (object);
  GListModel *submissions;

  G_OBJECT_CLASS (seedream_window_parent_class)->constructed (object);

  g_assert (SEEDREAM_IS_SESSION (self->session));

  submissions = seedream_session_get_submissions (self->session);
  gtk_list_box_bind_model (self->task_list, submissions, create_task_row_cb, NULL, NULL);
  g_signal_connect_object (submissions, "items-changed",
                           G_CALLBACK (submissions_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "message",
                           G_CALLBACK (session_message_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "task-ended",
                           G_CALLBACK (task_ended_cb), self, G_CONNECT_SWAPPED);
  self->auto_saver = seedream_auto_saver_new (submissions, seedream_session_get_settings (self->session));
  g_signal_connect_object (self->auto_saver, "failed",
                           G_CALLBACK (auto_saver_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::key-state",
                           G_CALLBACK (key_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->content_stack, "notify::visible-child-name",
                           G_CALLBACK (content_page_changed_cb), self, G_CONNECT_SWAPPED);

  seedream_window_setup_drop_target (self);
  g_signal_connect_object (self->compose_view, "notify::can-generate",
                           G_CALLBACK (can_generate_changed_cb), self, G_CONNECT_SWAPPED);

  seedream_session_start (self->session);

  {
    g_autoptr(GFile) draft_file = seedream_draft_get_default_file ();

    seedream_window_set_draft_file (self, draft_file);
  }

  submissions_changed_cb (self);
  key_state_changed_cb (self);
}

static gboolean
seedream_window_close_request (GtkWindow *window)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (window);
  g_autoptr(GError) error = NULL;

  seedream_window_save_state (self);
  if (self->draft != NULL && seedream_draft_get_autosave (self->draft) &&
      !seedream_draft_flush (self->draft, &error))
    g_warning ("Could not save the draft: %s", error->message);

  return GTK_WINDOW_CLASS (seedream_window_parent_class)->close_request (window);
}

static void
seedream_window_dispose (GObject *object)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_WINDOW);
  g_clear_object (&self->compare_selection);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->draft);
  g_clear_object (&self->auto_saver);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (seedream_window_parent_class)->dispose (object);
}

static void
seedream_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_window_class_init (SeedreamWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = seedream_window_constructed;
  object_class->dispose = seedream_window_dispose;
  object_class->get_property = seedream_window_get_property;
  object_class->set_property = seedream_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SEEDREAM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  window_class->close_request = seedream_window_close_request;

  g_type_ensure (SEEDREAM_TYPE_COMPOSE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, drop_revealer);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, split_view);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, compose_view);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, tasks_stack);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, task_list);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, history_bin);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, compare_bar);
  gtk_widget_class_bind_template_child (widget_class, SeedreamWindow, compare_label);
  gtk_widget_class_bind_template_callback (widget_class, file_refused_cb);

  gtk_widget_class_install_action (widget_class, "win.generate", NULL, seedream_window_generate_action);
  gtk_widget_class_install_action (widget_class, "win.add-images", NULL, seedream_window_add_images_action);
  gtk_widget_class_install_action (widget_class, SEEDREAM_WINDOW_USE_AS_SOURCE_ACTION, "s",
                                   seedream_window_use_as_source_action);
  gtk_widget_class_install_action (widget_class, SEEDREAM_WINDOW_SHOW_CHAIN_ACTION, "x",
                                   seedream_window_show_chain_action);
  gtk_widget_class_install_action (widget_class, SEEDREAM_WINDOW_COMPARE_TOGGLE_ACTION, "s",
                                   seedream_window_compare_toggle_action);
  gtk_widget_class_install_action (widget_class, SEEDREAM_WINDOW_COMPARE_WITH_SOURCE_ACTION, "s",
                                   seedream_window_compare_with_source_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, seedream_window_compare_action);
  gtk_widget_class_install_action (widget_class, "win.compare-clear", NULL, seedream_window_compare_clear_action);
  gtk_widget_class_install_action (widget_class, "win.paste-images", NULL, seedream_window_paste_images_action);
  gtk_widget_class_install_action (widget_class, "win.set-favourite", "(xb)", seedream_window_set_favourite_action);
  gtk_widget_class_install_action (widget_class, "win.set-result-favourite", "(xub)",
                                   seedream_window_set_result_favourite_action);
  gtk_widget_class_install_action (widget_class, "win.ask-delete", "x", seedream_window_ask_delete_action);
  gtk_widget_class_install_action (widget_class, "win.delete-all-failed", NULL,
                                   seedream_window_delete_all_failed_action);
  gtk_widget_class_install_action (widget_class, "win.delete-submissions", "(axb)",
                                   seedream_window_delete_submissions_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "u", seedream_window_undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.save-key", NULL, seedream_window_save_key_action);
  gtk_widget_class_install_action (widget_class, "win.choose-output-folder", NULL,
                                   seedream_window_choose_output_folder_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.add-images", NULL);
  /* Text fields handle Ctrl+V first; elsewhere it pastes images. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste-images", NULL);
}

/* The main menu's popover is built the first time it opens (click or F10),
 * not with the window: nobody sees it in the first frame. */
static void
create_main_menu_cb (GtkMenuButton *button,
                     gpointer       user_data)
{
  SeedreamWindow *self = SEEDREAM_WINDOW (user_data);

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
seedream_window_init (SeedreamWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_main_menu_cb, self, NULL);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_APP_ID);
  seedream_window_restore_state (self);

  self->compare_selection = seedream_compare_selection_new ();
  g_signal_connect_object (self->compare_selection, "items-changed",
                           G_CALLBACK (compare_selection_changed_cb), self, G_CONNECT_SWAPPED);
  compare_selection_changed_cb (self);
}
