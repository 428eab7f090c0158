/* test-output-name.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * File names for saved copies, from ordinary and hostile prompts.
 */

#include "config.h"

#include <string.h>

#include "seedream-output-name.h"

typedef struct
{
  const char *what;
  const char *prompt;
  const char *expected;
} PromptCase;

static const PromptCase prompt_cases[] = {
  { "plain", "a red fox in the snow", "a red fox in the snow" },
  { "empty", "", "" },
  { "null", NULL, "" },
  { "slashes", "cats/dogs\\birds", "cats dogs birds" },
  { "path", "../../etc/passwd", "etc passwd" },
  { "dots only", "....", "" },
  { "dot and dot", "..", "" },
  { "leading dot", ".hidden file", "hidden file" },
  { "trailing dots", "the end...", "the end" },
  { "windows reserved", "a:b*c?d\"e<f>g|h", "a b c d e f g h" },
  { "controls", "line\none\ttab\x01\x7f" "end", "line one tab end" },
  { "spaces", "   lots   of \u00a0 space   ", "lots of space" },
  { "emoji", "🦊 fox 👩‍🚀 astronaut", "🦊 fox 👩‍🚀 astronaut" },
  { "right to left", "שלום עולם", "שלום עולם" },
  { "direction override", "abc\u202egnp.exe", "abc gnp.exe" },
  { "zero width", "a\u200bb", "a b" },
  { "decomposed", "cafe\u0301", "caf\u00e9" },
  { "invalid utf-8", "ab\xff" "cd", "ab\xef\xbf\xbd" "cd" },
  /* 60 characters is "the quick brown fox jumps over the lazy dog and then it runs"
   * plus "x" from "xa": cut back to the word before. */
  { "cut between words", "the quick brown fox jumps over the lazy dog and then it runs away fast",
    "the quick brown fox jumps over the lazy dog and then it runs" },
  { "cut inside a word", "the quick brown fox jumps over the lazy dog and then it runsaway",
    "the quick brown fox jumps over the lazy dog and then it" },
  { "one long word", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
};

static void
test_prompt (gconstpointer data)
{
  const PromptCase *c = data;
  g_autofree char *words = seedream_output_name_for_prompt (c->prompt);

  g_assert_cmpstr (words, ==, c->expected);
}

/* Whatever comes in, what comes out is a name, never a path or hidden. */
static void
assert_safe_name (const char *name)
{
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpuint (strlen (name), <=, 255);
  g_assert_null (strchr (name, '/'));
  g_assert_null (strchr (name, '\\'));
  g_assert_cmpint (name[0], !=, '.');
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      /* Only the joiners of emoji and words are invisible. */
      g_assert_true (g_unichar_type (c) != G_UNICODE_FORMAT || c == 0x200c || c == 0x200d);
    }
}

static void
test_thousand_characters (void)
{
  g_autoptr(GString) prompt = g_string_new (NULL);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 3, 14, 15, 9, 26);
  g_autofree char *words = NULL;
  g_autofree char *name = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append_c (prompt, "abcdefghi "[i % 10]);

  words = seedream_output_name_for_prompt (prompt->str);
  g_assert_cmpuint (g_utf8_strlen (words, -1), <=, SEEDREAM_OUTPUT_NAME_PROMPT_CHARS);
  g_assert_true (g_str_has_suffix (words, "abcdefghi"));

  name = seedream_output_name_build (created, prompt->str, 15, "png");
  assert_safe_name (name);
}

/* 1,000 emoji: the characters fit in 60, the bytes in far less than 255. */
static void
test_many_emoji (void)
{
  g_autoptr(GString) prompt = g_string_new (NULL);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 3, 14, 15, 9, 26);
  g_autofree char *name = NULL;
  g_autofree char *numbered = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append (prompt, "🦊");

  name = seedream_output_name_build (created, prompt->str, 15, "jpg");
  numbered = seedream_output_name_numbered (name, 999);
  assert_safe_name (numbered);
}

static void
test_hostile_all_safe (void)
{
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 3, 14, 15, 9, 26);

  for (guint i = 0; i < G_N_ELEMENTS (prompt_cases); i++)
    {
      g_autofree char *name = seedream_output_name_build (created, prompt_cases[i].prompt, 1, "png");

      assert_safe_name (name);
    }
}

static void
test_build (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) created = g_date_time_new (zone, 2026, 3, 4, 5, 6, 7);
  g_autofree char *name = seedream_output_name_build (created, "a red fox", 2, "png");
  g_autofree char *bare = seedream_output_name_build (created, "", 1, "jpg");
  g_autofree char *dots = seedream_output_name_build (created, "...", 3, "jpg");

  g_assert_cmpstr (name, ==, "2026-03-04 05.06.07 a red fox 2.png");
  g_assert_cmpstr (bare, ==, "2026-03-04 05.06.07 1.jpg");
  g_assert_cmpstr (dots, ==, "2026-03-04 05.06.07 3.jpg");
}

static void
test_numbered (void)
{
  static const struct { const char *name; guint copy; const char *expected; } cases[] = {
    { "2026-03-04 05.06.07 a red fox 2.png", 2, "2026-03-04 05.06.07 a red fox 2 (2).png" },
    { "a.b.jpg", 10, "a.b (10).jpg" },
    { "noext", 2, "noext (2)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *numbered = seedream_output_name_numbered (cases[i].name, cases[i].copy);

      g_assert_cmpstr (numbered, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (prompt_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/seedream/output-name/prompt/%s", prompt_cases[i].what);

      g_test_add_data_func (path, &prompt_cases[i], test_prompt);
    }
  g_test_add_func ("/seedream/output-name/prompt/1000-characters", test_thousand_characters);
  g_test_add_func ("/seedream/output-name/prompt/many-emoji", test_many_emoji);
  g_test_add_func ("/seedream/output-name/hostile-all-safe", test_hostile_all_safe);
  g_test_add_func ("/seedream/output-name/build", test_build);
  g_test_add_func ("/seedream/output-name/numbered", test_numbered);

  return g_test_run ();
}
