/* seedream-api-url.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEEDREAM_DEFAULT_API_URL "https://api.tensorslab.com"

char     *seedream_api_url_normalize   (const char  *text,
                                        GError     **error);
gboolean  seedream_api_url_is_loopback (const char  *host);

G_END_DECLS
