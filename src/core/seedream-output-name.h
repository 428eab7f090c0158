/* seedream-output-name.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At most this many characters of the prompt go into a file name. */
#define SEEDREAM_OUTPUT_NAME_PROMPT_CHARS 60

char *seedream_output_name_for_prompt (const char *prompt);
char *seedream_output_name_build      (GDateTime  *created,
                                       const char *prompt,
                                       guint       number,
                                       const char *extension);
char *seedream_output_name_numbered   (const char *name,
                                       guint       copy);

G_END_DECLS
