/* seedream-api-url.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SEEDREAM_DEFAULT_API_URL "https://api.tensorslab.com"
#define SEEDREAM_API_URL_ENV     "SEEDREAM_API_URL"

char     *seedream_api_url_normalize   (const char  *text,
                                        GError     **error);
gboolean  seedream_api_url_is_loopback (const char  *host);
const char *seedream_api_url_get_override (void);
char     *seedream_api_url_dup_current  (GSettings   *settings);

G_END_DECLS
