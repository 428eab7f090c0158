/* test-compare-selection.c: which images are picked for Compare.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "seedream-compare-selection.h"

static SeedreamCompareItem *
item_for (const char *path,
          const char *prompt)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return seedream_compare_item_new (file, prompt, "Seedream 4.5", 2048, 1024);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *changes)
{
  (*changes)++;
}

/* Picked in order, at most once each, at most four; two to four compare. */
static void
test_order_and_limits (void)
{
  g_autoptr(SeedreamCompareSelection) selection = seedream_compare_selection_new ();
  const char *paths[] = { "/tmp/a/0.png", "/tmp/b/0.png", "/tmp/a/1.png", "/tmp/c/3.png", "/tmp/d/0.png" };
  g_autoptr(SeedreamCompareItem) again = item_for ("/tmp/b/0.png", "the same file, another prompt");
  guint changes = 0;

  g_signal_connect (selection, "items-changed", G_CALLBACK (count_changes_cb), &changes);
  g_assert_false (seedream_compare_selection_get_can_compare (selection));

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SeedreamCompareItem) item = item_for (paths[i], paths[i]);

      g_assert_true (seedream_compare_selection_add (selection, item));
      g_assert_true (seedream_compare_selection_get_can_compare (selection) == (i >= 1));
    }
  g_assert_cmpuint (changes, ==, 4);
  g_assert_false (seedream_compare_selection_add (selection, again));
  g_assert_true (seedream_compare_selection_is_full (selection));
  {
    g_autoptr(SeedreamCompareItem) fifth = item_for (paths[4], "fifth");

    g_assert_false (seedream_compare_selection_add (selection, fifth));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 4);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SeedreamCompareItem) item = g_list_model_get_item (G_LIST_MODEL (selection), i);
      g_autofree char *path = g_file_get_path (seedream_compare_item_get_file (item));

      g_assert_cmpstr (path, ==, paths[i]);
    }

  /* Unpicking the second keeps the others' order; toggling it picks it
   * again, last. */
  g_assert_false (seedream_compare_selection_toggle (selection, again));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 3);
  g_assert_true (seedream_compare_selection_toggle (selection, again));
  {
    g_autoptr(SeedreamCompareItem) last = g_list_model_get_item (G_LIST_MODEL (selection), 3);

    g_assert_cmpstr (seedream_compare_item_get_prompt (last), ==, "the same file, another prompt");
  }

  seedream_compare_selection_clear (selection);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 0);
  g_assert_false (seedream_compare_selection_get_can_compare (selection));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (selection), 0));
}

static void
test_item_details (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/tmp/x.png");
  g_autoptr(SeedreamCompareItem) full = item_for ("/tmp/x.png", "p");
  g_autoptr(SeedreamCompareItem) bare = seedream_compare_item_new (file, NULL, NULL, 0, 0);
  g_autofree char *full_details = seedream_compare_item_dup_details (full);
  g_autofree char *bare_details = seedream_compare_item_dup_details (bare);

  g_assert_cmpstr (full_details, ==, "Seedream 4.5 · 2048 × 1024 pixels");
  g_assert_cmpstr (bare_details, ==, "");
  g_assert_cmpstr (seedream_compare_item_get_prompt (bare), ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/compare-selection/order-and-limits", test_order_and_limits);
  g_test_add_func ("/seedream/compare-selection/item-details", test_item_details);

  return g_test_run ();
}
