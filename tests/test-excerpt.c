/* test-excerpt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The start of a long prompt for a label: cut at a character count, never
 * inside a character, never reading past the end of a short text.
 */

#include "config.h"

#include <string.h>

#include "seedream-excerpt.h"

typedef struct
{
  const char *what;
  const char *text;
  gsize       max_chars;
  const char *expected;
} ExcerptCase;

static const ExcerptCase cases[] = {
  { "short", "a red fox", 200, "a red fox" },
  { "empty", "", 5, "" },
  { "exactly the limit", "abcde", 5, "abcde" },
  { "one over", "abcdef", 5, "abcde…" },
  { "one character", "abc", 1, "a…" },
  /* Characters, not bytes: each of these is 3 or 4 bytes. */
  { "chinese", "一只在雪中的红狐狸", 4, "一只在雪…" },
  { "chinese within", "红狐狸", 3, "红狐狸" },
  { "emoji", "🦊🦊🦊🦊", 2, "🦊🦊…" },
  { "a combining mark is a character", "cafe\u0301 noir", 5, "cafe\u0301…" },
};

static void
test_cases (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *excerpt = seedream_excerpt (cases[i].text, cases[i].max_chars);

      g_test_message ("%s", cases[i].what);
      g_assert_cmpstr (excerpt, ==, cases[i].expected);
      g_assert_true (g_utf8_validate (excerpt, -1, NULL));
    }
}

static void
test_null (void)
{
  g_assert_null (seedream_excerpt (NULL, 10));
}

/* A text that ends right after the limit, in a buffer with nothing after
 * its terminator: AddressSanitizer sees a read past it. */
static void
test_no_read_past_end (void)
{
  for (gsize length = 0; length < 8; length++)
    {
      g_autofree char *text = g_malloc (length + 1);
      g_autofree char *excerpt = NULL;

      memset (text, 'x', length);
      text[length] = '\0';
      excerpt = seedream_excerpt (text, 4);
      if (length <= 4)
        g_assert_cmpstr (excerpt, ==, text);
      else
        {
          g_assert_true (g_str_has_prefix (excerpt, "xxxx"));
          g_assert_true (g_str_has_suffix (excerpt, "…"));
          g_assert_cmpuint (g_utf8_strlen (excerpt, -1), ==, 5);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/excerpt/cases", test_cases);
  g_test_add_func ("/seedream/excerpt/null", test_null);
  g_test_add_func ("/seedream/excerpt/no-read-past-end", test_no_read_past_end);

  return g_test_run ();
}
