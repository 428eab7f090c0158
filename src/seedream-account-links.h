/* seedream-account-links.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "seedream-account-urls.h"

G_BEGIN_DECLS

void seedream_account_links_open (GtkWidget  *widget,
                                  const char *url);

G_END_DECLS
