/* seedream-output-name.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names for the copies saved into a folder a person chose, made for people:
 * "2026-03-14 15.09.26 a red fox in the snow 1.png". Pure: no file is
 * looked at here (seedream-output-folder.c picks " (2)" when a name is
 * taken).
 *
 * The prompt part must be safe on every file system a folder may be on
 * (FAT on a USB stick, SMB shares): no separators or characters Windows
 * refuses, no control or invisible direction characters, no leading dot
 * (a hidden file), no trailing dot or space, and short enough that the
 * whole name stays far below the 255-byte limit.
 */

#define G_LOG_DOMAIN "seedream-output-name"

#include "config.h"

#include <string.h>

#include "seedream-output-name.h"

/* Emoji are 4 bytes each; 60 of them and the rest still fit in 255. */
#define PROMPT_MAX_BYTES 180

static gboolean
is_unsafe (gunichar c)
{
  if (c != 0 && c < 0x80 && strchr ("/\\:*?\"<>|", (int) c) != NULL)
    return TRUE;

  /* Joiners hold emoji sequences and Persian words together. */
  if (c == 0x200c || c == 0x200d)
    return FALSE;

  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:      /* direction overrides, zero widths */
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;

    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
    case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL:
    case G_UNICODE_MATH_SYMBOL:
    case G_UNICODE_OTHER_SYMBOL:
    case G_UNICODE_SPACE_SEPARATOR:
    default:
      return FALSE;
    }
}

/**
 * seedream_output_name_for_prompt:
 *
 * The first words of @prompt, made safe for a file name: unsafe
 * characters become spaces, runs of spaces one, at most
 * %SEEDREAM_OUTPUT_NAME_PROMPT_CHARS characters, cut between words where
 * one ends late enough. May be empty (an empty prompt, or only dots).
 */
char *
seedream_output_name_for_prompt (const char *prompt)
{
  g_autofree char *valid = NULL;
  g_autofree char *normal = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gsize last_word_end = 0;
  guint chars = 0;
  gboolean cut = FALSE;

  if (prompt == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (prompt, -1);
  normal = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);

  for (const char *p = normal; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_unsafe (c) || g_unichar_isspace (c))
        c = ' ';

      /* No leading space or dot, no run of spaces. */
      if (c == ' ' && (out->len == 0 || out->str[out->len - 1] == ' '))
        continue;
      if (c == '.' && out->len == 0)
        continue;

      if (chars == SEEDREAM_OUTPUT_NAME_PROMPT_CHARS ||
          out->len + g_unichar_to_utf8 (c, NULL) > PROMPT_MAX_BYTES)
        {
          cut = c != ' ';
          break;
        }

      if (c == ' ')
        last_word_end = out->len;
      g_string_append_unichar (out, c);
      chars++;
    }

  /* Cut inside a word: end at the word before, if that keeps most. */
  if (cut && last_word_end > out->len / 2)
    g_string_truncate (out, last_word_end);

  /* Nothing may end in a space or a dot (Windows drops them). */
  while (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '.'))
    g_string_truncate (out, out->len - 1);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * seedream_output_name_build:
 * @created: when the image was made (its own zone is used)
 * @number: the image's number in its batch, from 1
 * @extension: without the dot, "png" or "jpg"
 *
 * "YYYY-MM-DD HH.MM.SS <first words of the prompt> N.ext".
 */
char *
seedream_output_name_build (GDateTime  *created,
                            const char *prompt,
                            guint       number,
                            const char *extension)
{
  g_autofree char *date = g_date_time_format (created, "%Y-%m-%d %H.%M.%S");
  g_autofree char *words = seedream_output_name_for_prompt (prompt);

  g_return_val_if_fail (extension != NULL, NULL);

  if (*words == '\0')
    return g_strdup_printf ("%s %u.%s", date, number, extension);

  return g_strdup_printf ("%s %s %u.%s", date, words, number, extension);
}

/**
 * seedream_output_name_numbered:
 * @copy: 2 for the second file of that name, and so on
 *
 * "a 1.png" → "a 1 (2).png": for when @name is taken.
 */
char *
seedream_output_name_numbered (const char *name,
                               guint       copy)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name)
    return g_strdup_printf ("%s (%u)", name, copy);

  return g_strdup_printf ("%.*s (%u)%s", (int) (dot - name), name, copy, dot);
}
