/* seedream-account-urls.h: the provider's account pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where a person makes a key and tops up credits (shared/api/README.md,
 * "Account pages"). Every link to them in the app comes from here.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Keys are made here. */
#define SEEDREAM_ACCOUNT_KEYS_URL    "https://tensorai.tensorslab.com/apikey"

/* The console, where credits are topped up. */
#define SEEDREAM_ACCOUNT_CONSOLE_URL "https://tensorai.tensorslab.com/"

G_END_DECLS
