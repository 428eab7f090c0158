/* seedream-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-error"

#include "config.h"

#include "seedream-error.h"

G_DEFINE_QUARK (seedream-error-quark, seedream_error)
