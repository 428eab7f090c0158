/* seedream-excerpt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The start of a long text, for a label: a prompt in a task row, a
 * History row or a "From:" link. The label ellipsizes what it shows; this
 * keeps it from laying out a whole 10,000-character prompt to do so.
 */

#define G_LOG_DOMAIN "seedream-excerpt"

#include "config.h"

#include "seedream-excerpt.h"

/**
 * seedream_excerpt:
 * @text: (nullable): valid UTF-8
 * @max_chars: how many characters to keep, at least 1
 *
 * Returns: (transfer full) (nullable): @text if it has at most @max_chars
 *   characters, otherwise its first @max_chars and "…"; %NULL for %NULL
 */
char *
seedream_excerpt (const char *text,
                  gsize       max_chars)
{
  g_autofree char *head = NULL;
  const char *end;

  g_return_val_if_fail (max_chars > 0, NULL);

  if (text == NULL)
    return NULL;

  /* Stepped by hand: g_utf8_strlen() would walk all of a long text, and
   * g_utf8_substring() reads past the end of a shorter one. */
  end = text;
  for (gsize n = 0; n < max_chars; n++)
    {
      if (*end == '\0')
        return g_strdup (text);
      end = g_utf8_next_char (end);
    }
  if (*end == '\0')
    return g_strdup (text);

  head = g_strndup (text, end - text);
  return g_strconcat (head, "…", NULL);
}
