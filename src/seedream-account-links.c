/* seedream-account-links.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening one of the provider's account pages (seedream-account-urls.h)
 * in the browser, from any widget: the setup page, Preferences, a task
 * row whose account ran out of credits.
 */

#define G_LOG_DOMAIN "seedream-account-links"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-account-links.h"
#include "seedream-toast.h"

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (object), result, &error) ||
      g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    return;

  g_debug ("Could not open %s: %s", gtk_uri_launcher_get_uri (GTK_URI_LAUNCHER (object)), error->message);
  {
    /* Translators: %s is a web address */
    g_autofree char *text = g_strdup_printf (_("Could not open a web browser. The page is %s"),
                                             gtk_uri_launcher_get_uri (GTK_URI_LAUNCHER (object)));

    seedream_toast_show (widget, text, TRUE);
  }
}

/**
 * seedream_account_links_open:
 * @widget: the widget the person used (for the parent window and a toast)
 * @url: one of the SEEDREAM_ACCOUNT_*_URL pages
 *
 * Opens @url in the browser; if that fails, a toast gives the address.
 */
void
seedream_account_links_open (GtkWidget  *widget,
                             const char *url)
{
  g_autoptr(GtkUriLauncher) launcher = NULL;
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (url != NULL);

  launcher = gtk_uri_launcher_new (url);
  root = gtk_widget_get_root (widget);
  gtk_uri_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL,
                           launch_cb, g_object_ref (widget));
}
