/* seedream-toast.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one way the app shows a toast, from whichever widget has something
 * to say: the window's overlay when the widget is inside it, the dialog's
 * own when it is in Preferences.
 */

#define G_LOG_DOMAIN "seedream-toast"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-toast.h"

/* Long enough to read a sentence of an error message. */
#define TOAST_SECONDS 6

/**
 * seedream_toast_show:
 * @widget: the widget that has something to say (or an overlay itself)
 * @text: what to say, plain text (never markup: messages carry file names
 *   and the service's words)
 * @lasting: %TRUE to keep it until dismissed
 *
 * Returns: %TRUE when there was somewhere to show it
 */
gboolean
seedream_toast_show (GtkWidget  *widget,
                     const char *text,
                     gboolean    lasting)
{
  GtkWidget *overlay;
  GtkWidget *dialog;
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  dialog = overlay == NULL ? gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_DIALOG) : NULL;
  if (overlay == NULL && dialog == NULL)
    return FALSE;

  toast = adw_toast_new (text);
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, lasting ? 0 : TOAST_SECONDS);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (dialog), toast);

  return TRUE;
}

/**
 * seedream_toast_show_with_button:
 * @action_name: what the button activates, e.g. "win.choose-output-folder"
 *
 * A lasting toast that also offers a way out, as a button.
 */
gboolean
seedream_toast_show_with_button (GtkWidget  *widget,
                                 const char *text,
                                 const char *button_label,
                                 const char *action_name)
{
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return seedream_toast_show (widget, text, TRUE);

  toast = adw_toast_new (text);
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, action_name);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);

  return TRUE;
}

/* A toast with an Undo button (@undo_action, @undo_target) that stays its
 * usual time; @dismissed (an AdwToast::dismissed handler) runs when it goes,
 * whether Undo was pressed or not, with @user_data (a GObject: the handler
 * goes with it). */
gboolean
seedream_toast_show_undoable (GtkWidget  *widget,
                              const char *text,
                              const char *undo_action,
                              GVariant   *undo_target,
                              GCallback   dismissed,
                              gpointer    user_data)
{
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (G_IS_OBJECT (user_data), FALSE);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return FALSE;

  toast = adw_toast_new (text);
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, TOAST_SECONDS);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, undo_action);
  adw_toast_set_action_target_value (toast, undo_target);
  g_signal_connect_object (toast, "dismissed", dismissed, user_data, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);

  return TRUE;
}
