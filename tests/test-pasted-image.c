/* test-pasted-image.c: a pasted picture becomes a PNG file with the same
 * pixels, off the main thread, and a failure is reported, not hidden.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "seedream-pasted-image.h"

#define WIDTH  37
#define HEIGHT 23

static GdkTexture *
make_texture (void)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels = g_malloc (WIDTH * HEIGHT * 4);

  for (guint y = 0; y < HEIGHT; y++)
    for (guint x = 0; x < WIDTH; x++)
      {
        guint8 *p = pixels + (y * WIDTH + x) * 4;

        p[0] = (guint8) (x * 7);
        p[1] = (guint8) (y * 11);
        p[2] = (guint8) (x ^ y);
        p[3] = 255;
      }

  bytes = g_bytes_new_take (pixels, WIDTH * HEIGHT * 4);
  return gdk_memory_texture_new (WIDTH, HEIGHT, GDK_MEMORY_R8G8B8A8, bytes, WIDTH * 4);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GFile *
save_and_wait (GdkTexture *texture,
               GFile      *directory,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_pasted_image_save_async (texture, directory, NULL, saved_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return seedream_pasted_image_save_finish (result, error);
}

static void
test_pasted_image_keeps_pixels (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("seedream-pasted-XXXXXX", NULL);
  g_autofree char *nested = g_build_filename (tmp, "nested", NULL);
  g_autoptr(GFile) directory = g_file_new_build_filename (nested, "pasted", NULL);
  g_autoptr(GdkTexture) texture = make_texture ();
  g_autoptr(GdkTexture) reread = NULL;
  g_autoptr(GFile) first = NULL;
  g_autoptr(GFile) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *expected = g_malloc (WIDTH * HEIGHT * 4);
  g_autofree guint8 *actual = g_malloc (WIDTH * HEIGHT * 4);
  GStatBuf st;

  first = save_and_wait (texture, directory, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_has_parent (first, directory));
  g_assert_true (g_str_has_suffix (g_file_peek_path (first), ".png"));

  /* Private: a pasted screenshot may show anything. */
  g_assert_cmpint (g_stat (g_file_peek_path (first), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  reread = gdk_texture_new_from_file (first, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (reread), ==, WIDTH);
  g_assert_cmpint (gdk_texture_get_height (reread), ==, HEIGHT);
  gdk_texture_download (texture, expected, WIDTH * 4);
  gdk_texture_download (reread, actual, WIDTH * 4);
  g_assert_cmpmem (expected, WIDTH * HEIGHT * 4, actual, WIDTH * HEIGHT * 4);

  /* A second paste in the same second gets its own file. */
  second = save_and_wait (texture, directory, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_equal (first, second));

  g_assert_true (g_file_delete (first, NULL, NULL));
  g_assert_true (g_file_delete (second, NULL, NULL));
  g_assert_cmpint (g_rmdir (g_file_peek_path (directory)), ==, 0);
  g_assert_cmpint (g_rmdir (nested), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

static void
test_pasted_image_reports_unwritable_directory (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("seedream-pasted-XXXXXX", NULL);
  g_autofree char *blocker = g_build_filename (tmp, "not-a-directory", NULL);
  g_autoptr(GFile) directory = g_file_new_build_filename (blocker, "pasted", NULL);
  g_autoptr(GdkTexture) texture = make_texture ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  /* A plain file where the directory should be: mkdir must fail. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));

  file = save_and_wait (texture, directory, &error);
  g_assert_null (file);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");

  g_assert_cmpint (g_unlink (blocker), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seedream/pasted-image/keeps-pixels", test_pasted_image_keeps_pixels);
  g_test_add_func ("/seedream/pasted-image/reports-unwritable-directory",
                   test_pasted_image_reports_unwritable_directory);

  return g_test_run ();
}
