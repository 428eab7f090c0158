/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-application.h"
#include "seedream-key-store.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SeedreamApplication) app = NULL;
  const char *localedir;

  /* Before any thread or child starts. */
  seedream_key_store_claim_environment ();

  /* An uninstalled build (the e2e tests, build-aux/screenshots) points
   * this at its own po/ folder, where the .mo files are built. */
  localedir = g_getenv ("SEEDREAM_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = seedream_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
