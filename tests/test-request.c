/* test-request.c: the request, its checks and its body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seedream-error.h"
#include "seedream-request.h"
#include "seedream-test-util.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("seedream-request-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  seedream_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

/* A copy of the fixture @image under @name in the test's folder. */
static GFile *
copy_image (Fixture    *fixture,
            const char *image,
            const char *name)
{
  g_autoptr(GBytes) bytes = seedream_test_load_image (image);

  return seedream_test_write_file (fixture->dir, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* A PNG header padded with zeros to @size bytes, sparse. */
static GFile *
make_sized_png (Fixture    *fixture,
                const char *name,
                goffset     size)
{
  g_autoptr(GBytes) png = seedream_test_load_image ("rgb-300x257.png");
  g_autoptr(GFile) file = seedream_test_write_file (fixture->dir, name, g_bytes_get_data (png, NULL), 64);
  g_autofree char *path = g_file_get_path (file);

  g_assert_cmpint (truncate (path, size), ==, 0);

  return g_steal_pointer (&file);
}

static void
assert_invalid (SeedreamRequest *request,
                const char      *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (seedream_request_validate (request, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  if (!g_str_has_prefix (error->message, message))
    g_error ("“%s” does not start with “%s”", error->message, message);
}

static void
assert_valid (SeedreamRequest *request)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (seedream_request_validate (request, &error));
  g_assert_no_error (error);
}

static SeedreamRequest *
make_valid_request (void)
{
  SeedreamRequest *request = seedream_request_new ();

  seedream_request_set_prompt (request, "a red fox in the snow");

  return request;
}

static void
test_request_defaults (void)
{
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autofree char *resolution = NULL;
  g_autofree char *image_url = NULL;
  gpointer model = NULL;
  guint batch_size = 0;

  g_assert_true (seedream_request_get_model (request) == seedream_model_get_default ());
  g_assert_cmpstr (seedream_request_get_prompt (request), ==, "");
  g_assert_cmpuint (seedream_request_get_batch_size (request), ==, 1);
  g_assert_cmpstr (seedream_request_get_resolution (request), ==, "2K");
  g_assert_null (seedream_request_get_image_url (request));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (request)), ==, 0);
  g_assert_true (g_list_model_get_item_type (seedream_request_get_source_files (request)) == G_TYPE_FILE);

  g_object_get (request,
                "model", &model,
                "batch-size", &batch_size,
                "resolution", &resolution,
                "image-url", &image_url,
                NULL);
  g_assert_true (model == seedream_model_get_default ());
  g_assert_cmpuint (batch_size, ==, 1);
  g_assert_cmpstr (resolution, ==, "2K");
  g_assert_null (image_url);

  /* Only the prompt is missing. */
  assert_invalid (request, "Prompt: describe the image you want");
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GHashTable *counts = user_data;
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (counts, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
}

static guint
count (GHashTable *counts,
       const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_request_properties_notify (void)
{
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  SeedreamModel other = *seedream_model_get_default ();

  g_signal_connect (request, "notify", G_CALLBACK (count_notify_cb), counts);

  g_object_set (request, "prompt", "a", "batch-size", 4, "resolution", "4K",
                "image-url", "https://example.com/a.png", NULL);
  g_assert_cmpuint (count (counts, "prompt"), ==, 1);
  g_assert_cmpuint (count (counts, "batch-size"), ==, 1);
  g_assert_cmpuint (count (counts, "resolution"), ==, 1);
  g_assert_cmpuint (count (counts, "image-url"), ==, 1);

  /* The same values again: no notification (explicit notify). */
  g_object_set (request, "prompt", "a", "batch-size", 4, "resolution", "4K",
                "image-url", "https://example.com/a.png", NULL);
  seedream_request_set_prompt (request, "a");
  g_assert_cmpuint (count (counts, "prompt"), ==, 1);
  g_assert_cmpuint (count (counts, "batch-size"), ==, 1);
  g_assert_cmpuint (count (counts, "resolution"), ==, 1);
  g_assert_cmpuint (count (counts, "image-url"), ==, 1);

  seedream_request_set_image_url (request, NULL);
  g_assert_null (seedream_request_get_image_url (request));
  g_assert_cmpuint (count (counts, "image-url"), ==, 2);

  seedream_request_set_prompt (request, NULL);
  g_assert_cmpstr (seedream_request_get_prompt (request), ==, "");

  seedream_request_set_model (request, &other);
  g_assert_true (seedream_request_get_model (request) == &other);
  g_assert_cmpuint (count (counts, "model"), ==, 1);
  g_object_set (request, "model", NULL, NULL);
  g_assert_true (seedream_request_get_model (request) == seedream_model_get_default ());
  g_assert_cmpuint (count (counts, "model"), ==, 2);
}

static void
test_request_validate_prompt (void)
{
  g_autoptr(SeedreamRequest) request = make_valid_request ();

  assert_valid (request);
  seedream_request_set_prompt (request, "");
  assert_invalid (request, "Prompt: describe the image you want");
  seedream_request_set_prompt (request, " \t\n ");
  assert_invalid (request, "Prompt: describe the image you want");
  seedream_request_set_prompt (request, "x");
  assert_valid (request);
}

static void
test_request_validate_batch_size (void)
{
  g_autoptr(SeedreamRequest) request = make_valid_request ();
  SeedreamModel small = *seedream_model_get_default ();

  for (guint n = 1; n <= 15; n++)
    {
      seedream_request_set_batch_size (request, n);
      assert_valid (request);
    }

  seedream_request_set_batch_size (request, 0);
  assert_invalid (request, "Number of images: choose between 1 and 15");
  seedream_request_set_batch_size (request, 16);
  assert_invalid (request, "Number of images: choose between 1 and 15");
  seedream_request_set_batch_size (request, G_MAXUINT);
  assert_invalid (request, "Number of images: choose between 1 and 15");

  /* The limit is the model's. */
  small.max_batch_size = 4;
  seedream_request_set_model (request, &small);
  seedream_request_set_batch_size (request, 5);
  assert_invalid (request, "Number of images: choose between 1 and 4");
  seedream_request_set_batch_size (request, 4);
  assert_valid (request);
}

static void
test_request_validate_resolution (void)
{
  g_autoptr(SeedreamRequest) request = make_valid_request ();

  seedream_request_set_resolution (request, "1500x1500");
  assert_invalid (request, "Resolution: 1500 × 1500 = 2250000 pixels: below the minimum of 3686400 (2560 × 1440)");
  seedream_request_set_resolution (request, "");
  assert_invalid (request, "Resolution: ");
  seedream_request_set_resolution (request, NULL);
  assert_invalid (request, "Resolution: ");
  seedream_request_set_resolution (request, "banana");
  assert_invalid (request, "Resolution: “banana” is not a resolution this model takes");
  seedream_request_set_resolution (request, " 3750 × 1250 ");
  assert_valid (request);
  seedream_request_set_resolution (request, "16:9");
  assert_valid (request);
  seedream_request_set_resolution (request, "4k");
  assert_valid (request);
}

/* The live check the compose form uses is the one validate() applies. */
static void
test_request_image_url_is_valid (void)
{
  const char *good[] = { NULL, "", "   ", "https://example.com/cat.png", " http://example.com/a ", };
  const char *bad[] = { "example.com/cat.png", "ftp://example.com/a.png", "https://exa mple.com/a.png",
                        "https://", "https://example.com/a b.png", "javascript:alert(1)", };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (seedream_request_image_url_is_valid (good[i]));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SeedreamRequest) request = g_object_new (SEEDREAM_TYPE_REQUEST, "prompt", "a cat", NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (seedream_request_image_url_is_valid (bad[i]));
      seedream_request_set_image_url (request, bad[i]);
      g_assert_false (seedream_request_validate (request, &error));
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
    }
}

static void
test_request_validate_image_url (void)
{
  g_autoptr(SeedreamRequest) request = make_valid_request ();
  const char *bad[] = {
    "example.com/cat.png",
    "ftp://example.com/cat.png",
    "file:///home/me/cat.png",
    "https://",
    "http:///cat.png",
    "https://exa mple.com/cat.png",
    "javascript:alert(1)",
  };
  const char *good[] = {
    "https://example.com/cat.png",
    "http://example.com/cat.png?size=large",
    "  HTTPS://EXAMPLE.COM/a.png  ",
    "",
    "   ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      seedream_request_set_image_url (request, bad[i]);
      assert_invalid (request, "Source image URL: enter an address starting with http:// or https://");
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      seedream_request_set_image_url (request, good[i]);
      assert_valid (request);
    }
}

static void
add_files (Fixture         *fixture,
           SeedreamRequest *request,
           guint            n)
{
  guint before = g_list_model_get_n_items (seedream_request_get_source_files (request));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("image-%u.png", before + i);
      g_autofree char *path = fixture_path (fixture, name);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      g_assert_true (seedream_request_add_source_file (request, file));
    }
}

static void
test_request_validate_counts (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_valid_request ();

  /* No I/O: the files need not exist for the field checks. */
  add_files (fixture, request, 14);
  assert_valid (request);

  add_files (fixture, request, 2);
  assert_invalid (request, "Source images: at most 14 (you added 16)");

  /* Files or one URL, never both: even one file and the URL is refused,
   * saying what to do. */
  seedream_request_clear_source_files (request);
  add_files (fixture, request, 1);
  seedream_request_set_image_url (request, "https://example.com/a.png");
  assert_invalid (request, "Source images: use either image files or one image URL, not both; remove the files or clear the URL");
  seedream_request_clear_source_files (request);
  assert_valid (request);
  seedream_request_set_image_url (request, "   ");
  add_files (fixture, request, 1);
  assert_valid (request);
  seedream_request_set_image_url (request, NULL);
  seedream_request_clear_source_files (request);
  add_files (fixture, request, 14);

  /* 14 + 1 = 15 is fine, 14 + 2 is not. */
  seedream_request_set_batch_size (request, 2);
  assert_invalid (request, "Source images and generated images: at most 15 in all (14 source images + 2 to generate)");

  seedream_request_clear_source_files (request);
  add_files (fixture, request, 3);
  seedream_request_set_batch_size (request, 12);
  assert_valid (request);
  seedream_request_set_batch_size (request, 13);
  assert_invalid (request, "Source images and generated images: at most 15 in all");

  /* Without references, all 15 may be generated. */
  seedream_request_clear_source_files (request);
  seedream_request_set_batch_size (request, 15);
  assert_valid (request);
}

static void
items_changed_cb (GListModel *list,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *changes = user_data;

  (*changes)++;
}

static void
test_request_source_files (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  GListModel *files = seedream_request_get_source_files (request);
  g_autofree char *path_a = fixture_path (fixture, "a.png");
  g_autofree char *path_b = fixture_path (fixture, "b.png");
  g_autoptr(GFile) a = g_file_new_for_path (path_a);
  g_autoptr(GFile) a_again = g_file_new_for_path (path_a);
  g_autoptr(GFile) b = g_file_new_for_path (path_b);
  g_autoptr(GFile) remote = g_file_new_for_uri ("https://example.com/d.png");
  g_autoptr(GFile) first = NULL;
  guint changes = 0;

  g_signal_connect (files, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  g_assert_true (seedream_request_add_source_file (request, a));
  g_assert_false (seedream_request_add_source_file (request, a_again));
  g_assert_true (seedream_request_add_source_file (request, b));
  /* Only local files: a draft or the history could not keep another. */
  g_assert_false (seedream_request_add_source_file (request, remote));
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 2);
  g_assert_cmpuint (changes, ==, 2);

  first = g_list_model_get_item (files, 0);
  g_assert_true (g_file_equal (first, a));

  g_assert_true (seedream_request_remove_source_file (request, a_again));
  g_assert_false (seedream_request_remove_source_file (request, a));
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 1);
  g_assert_cmpuint (changes, ==, 3);

  seedream_request_clear_source_files (request);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 0);
  g_assert_cmpuint (changes, ==, 4);

  /* Clearing an empty list is no change (a draft would save for nothing). */
  seedream_request_clear_source_files (request);
  g_assert_cmpuint (changes, ==, 4);
}

static SeedreamSourceImage *
check (GFile   *file,
       GError **error)
{
  return seedream_source_image_check (file, NULL, NULL, error);
}

static void
assert_check_fails (GFile      *file,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamSourceImage) image = check (file, &error);

  g_assert_null (image);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, message);
}

static void
test_source_image_good (Fixture       *fixture,
                        gconstpointer  data)
{
  struct {
    const char *fixture;
    const char *name;
    const char *mime_type;
  } cases[] = {
    { "rgb-300x257.png", "cat.png", "image/png" },
    { "rgb-300x257.png", "photo.jpg", "image/png" },      /* by content, not name */
    { "baseline-300x257.jpg", "notes.txt", "image/jpeg" },
    { "progressive-300x257.jpg", "no-extension", "image/jpeg" },
    { "gif-300x257.gif", "a.gif", "image/gif" },
    { "lossy-300x257.webp", "a.webp", "image/webp" },
    { "v3-300x257.bmp", "a.bmp", "image/bmp" },
    { "motorola-300x257.tiff", "a.tif", "image/tiff" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = copy_image (fixture, cases[i].fixture, cases[i].name);
      g_autoptr(GBytes) bytes = seedream_test_load_image (cases[i].fixture);
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamSourceImage) image = check (file, &error);

      g_assert_no_error (error);
      g_assert_nonnull (image);
      g_assert_true (g_file_equal (seedream_source_image_get_file (image), file));
      g_assert_cmpstr (seedream_source_image_get_display_name (image), ==, cases[i].name);
      g_assert_cmpuint (seedream_source_image_get_size (image), ==, g_bytes_get_size (bytes));
      g_assert_cmpstr (seedream_source_image_get_mime_type (image), ==, cases[i].mime_type);
      g_assert_cmpuint (seedream_source_image_get_width (image), ==, 300);
      g_assert_cmpuint (seedream_source_image_get_height (image), ==, 257);
    }
}

static void
test_source_image_bad (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GFile) text = seedream_test_write_file (fixture->dir, "cat.txt", "just some words", 15);
  g_autoptr(GFile) fake = seedream_test_write_file (fixture->dir, "fake.png", "PNG but not really", 18);
  g_autoptr(GFile) empty = seedream_test_write_file (fixture->dir, "empty.png", "", 0);
  g_autofree char *folder_path = fixture_path (fixture, "pictures");
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autofree char *missing_path = fixture_path (fixture, "missing.png");
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) device = g_file_new_for_path ("/dev/zero");
  g_autofree char *link_path = fixture_path (fixture, "zero.png");
  g_autoptr(GFile) link = g_file_new_for_path (link_path);
  g_autofree char *broken_path = fixture_path (fixture, "broken.png");
  g_autoptr(GFile) broken = g_file_new_for_path (broken_path);
  g_autofree char *fifo_path = fixture_path (fixture, "pipe.png");
  g_autoptr(GFile) fifo = g_file_new_for_path (fifo_path);

  assert_check_fails (text, "“cat.txt” is not an image (accepted types: JPEG, PNG, WebP, BMP, TIFF, GIF)");
  assert_check_fails (fake, "“fake.png” is not an image");
  assert_check_fails (empty, "“empty.png” is empty");

  g_assert_cmpint (g_mkdir (folder_path, 0700), ==, 0);
  assert_check_fails (folder, "“pictures” is a folder");

  assert_check_fails (missing, "“missing.png” cannot be read: it does not exist");

  assert_check_fails (device, "“zero” is not a regular file");
  g_assert_cmpint (symlink ("/dev/zero", link_path), ==, 0);
  assert_check_fails (link, "“zero.png” is not a regular file");
  g_assert_cmpint (symlink ("/nowhere/at/all.png", broken_path), ==, 0);
  assert_check_fails (broken, "“broken.png” cannot be read: it does not exist");

  /* Opening a FIFO would block: it is refused before. */
  g_assert_cmpint (mkfifo (fifo_path, 0600), ==, 0);
  assert_check_fails (fifo, "“pipe.png” is not a regular file");
}

static void
test_source_image_unreadable (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GFile) file = copy_image (fixture, "rgb-300x257.png", "secret.png");
  g_autofree char *path = g_file_get_path (file);

  if (geteuid () == 0)
    {
      g_test_skip ("root reads every file");
      return;
    }

  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  assert_check_fails (file, "“secret.png” cannot be read: permission denied");
}

static void
test_source_image_size_limit (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GFile) at_limit = make_sized_png (fixture, "limit.png", 10 * 1000 * 1000);
  g_autoptr(GFile) one_more = make_sized_png (fixture, "over.png", 10 * 1000 * 1000 + 1);
  g_autoptr(GFile) big = make_sized_png (fixture, "big.png", 14200000);
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamSourceImage) image = check (at_limit, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (seedream_source_image_get_size (image), ==, 10 * 1000 * 1000);
  g_assert_cmpstr (seedream_source_image_get_mime_type (image), ==, "image/png");

  assert_check_fails (one_more, "“over.png” is 10000001 bytes; the limit is 10\u00a0MB");
  assert_check_fails (big, "“big.png” is 14.2\u00a0MB; the limit is 10\u00a0MB");
}

static void
test_source_image_model_types (Fixture       *fixture,
                               gconstpointer  data)
{
  static const char * const png_only[] = { "image/png", NULL };
  SeedreamModel model = *seedream_model_get_default ();
  g_autoptr(GFile) gif = copy_image (fixture, "gif-300x257.gif", "a.gif");
  g_autoptr(GFile) png = copy_image (fixture, "rgb-300x257.png", "a.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamSourceImage) image = NULL;
  g_autoptr(SeedreamSourceImage) ok = NULL;

  model.display_name = "Picky";
  model.source_mime_types = png_only;

  image = seedream_source_image_check (gif, &model, NULL, &error);
  g_assert_null (image);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "“a.gif” is a GIF image, which Picky does not accept (accepted types: PNG)");

  ok = seedream_source_image_check (png, &model, NULL, NULL);
  g_assert_nonnull (ok);
}

static void
test_source_image_cancelled (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GFile) png = copy_image (fixture, "rgb-300x257.png", "a.png");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamSourceImage) image = NULL;

  g_cancellable_cancel (cancellable);
  image = seedream_source_image_check (png, NULL, cancellable, &error);
  g_assert_null (image);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
test_source_image_async (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GFile) png = copy_image (fixture, "lossless-300x257.webp", "a.webp");
  g_autoptr(GFile) text = seedream_test_write_file (fixture->dir, "b.txt", "hello", 5);
  g_autoptr(GAsyncResult) good_result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(SeedreamSourceImage) good = NULL;
  g_autoptr(SeedreamSourceImage) bad = NULL;
  g_autoptr(GError) error = NULL;

  seedream_source_image_check_async (png, NULL, NULL, store_result_cb, &good_result);
  seedream_source_image_check_async (text, NULL, NULL, store_result_cb, &bad_result);

  good = seedream_source_image_check_finish (wait_for (&good_result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seedream_source_image_get_mime_type (good), ==, "image/webp");
  g_assert_cmpuint (seedream_source_image_get_width (good), ==, 300);

  bad = seedream_source_image_check_finish (wait_for (&bad_result), &error);
  g_assert_null (bad);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“b.txt”"));
}

static void
test_request_validate_all (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_valid_request ();
  g_autoptr(GFile) png = copy_image (fixture, "rgb-300x257.png", "a.png");
  g_autoptr(GFile) text = seedream_test_write_file (fixture->dir, "notes.txt", "hello", 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  seedream_request_add_source_file (request, png);
  g_assert_true (seedream_request_validate_all (request, NULL, &error));
  g_assert_no_error (error);

  seedream_request_add_source_file (request, text);
  assert_valid (request);   /* the fields are fine */
  g_assert_false (seedream_request_validate_all (request, NULL, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "Source images: “notes.txt” is not an image"));
  g_clear_error (&error);

  seedream_request_validate_all_async (request, NULL, store_result_cb, &result);
  g_assert_false (seedream_request_validate_all_finish (request, wait_for (&result), &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A field error comes first, and without I/O. */
  seedream_request_set_prompt (request, "");
  seedream_request_validate_all_async (request, NULL, store_result_cb, &result);
  g_assert_false (seedream_request_validate_all_finish (request, wait_for (&result), &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "Prompt: "));
  g_clear_error (&error);
  g_clear_object (&result);

  seedream_request_set_prompt (request, "ok");
  seedream_request_remove_source_file (request, text);
  seedream_request_validate_all_async (request, NULL, store_result_cb, &result);
  g_assert_true (seedream_request_validate_all_finish (request, wait_for (&result), &error));
  g_assert_no_error (error);
}

static GBytes *
read_body (SeedreamMultipartStream *body)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_output_stream_splice (out, G_INPUT_STREAM (body),
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, seedream_multipart_stream_get_length (body));

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static SoupMultipart *
parse_body (SeedreamMultipartStream *body)
{
  g_autoptr(GBytes) bytes = read_body (body);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  SoupMultipart *multipart;

  soup_message_headers_replace (headers, "Content-Type", seedream_multipart_stream_get_content_type (body));
  multipart = soup_multipart_new_from_message (headers, bytes);
  g_assert_nonnull (multipart);

  return multipart;
}

static void
assert_part (SoupMultipart *multipart,
             int            index,
             const char    *name,
             const char    *filename,
             const char    *content_type,
             const void    *value,
             gsize          value_len)
{
  SoupMessageHeaders *headers = NULL;
  GBytes *body = NULL;
  g_autofree char *disposition = NULL;
  g_autoptr(GHashTable) params = NULL;

  g_assert_true (soup_multipart_get_part (multipart, index, &headers, &body));
  g_assert_true (soup_message_headers_get_content_disposition (headers, &disposition, &params));
  g_assert_cmpstr (disposition, ==, "form-data");
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, name);
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, filename);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==, content_type);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), value, value_len);
}

#define TEXT(s) (s), strlen (s)

static void
test_request_build_body (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(GFile) png = copy_image (fixture, "rgb-300x257.png", "photo.jpg");
  g_autoptr(GFile) tiff = copy_image (fixture, "intel-300x257.tiff", "scan.tiff");
  g_autoptr(GBytes) png_bytes = seedream_test_load_image ("rgb-300x257.png");
  g_autoptr(GBytes) tiff_bytes = seedream_test_load_image ("intel-300x257.tiff");
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMultipart *multipart;

  seedream_request_set_prompt (request, "  a “red” fox\n");
  seedream_request_set_batch_size (request, 3);
  seedream_request_set_resolution (request, " 3750 × 1250 ");
  seedream_request_add_source_file (request, png);
  seedream_request_add_source_file (request, tiff);

  body = seedream_request_build_body (request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);

  multipart = parse_body (body);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 6);
  assert_part (multipart, 0, "category", NULL, NULL, TEXT ("seedreamv45"));
  assert_part (multipart, 1, "prompt", NULL, NULL, TEXT ("a “red” fox"));
  assert_part (multipart, 2, "batchsize", NULL, NULL, TEXT ("3"));
  assert_part (multipart, 3, "resolution", NULL, NULL, TEXT ("3750x1250"));
  /* The type comes from the content, even under a .jpg name. */
  assert_part (multipart, 4, "sourceImage", "photo.jpg", "image/png",
               g_bytes_get_data (png_bytes, NULL), g_bytes_get_size (png_bytes));
  assert_part (multipart, 5, "sourceImage", "scan.tiff", "image/tiff",
               g_bytes_get_data (tiff_bytes, NULL), g_bytes_get_size (tiff_bytes));
  soup_multipart_free (multipart);
  g_clear_object (&body);

  /* One image URL instead of the files. */
  seedream_request_clear_source_files (request);
  seedream_request_set_image_url (request, " https://example.com/ref.png ");
  body = seedream_request_build_body (request, NULL, &error);
  g_assert_no_error (error);
  multipart = parse_body (body);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 5);
  assert_part (multipart, 4, "imageUrl", NULL, NULL, TEXT ("https://example.com/ref.png"));
  soup_multipart_free (multipart);
}

static void
test_request_build_body_minimal (void)
{
  g_autoptr(SeedreamRequest) request = make_valid_request ();
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMultipart *multipart;

  seedream_request_set_resolution (request, "2k");
  seedream_request_set_image_url (request, "  ");

  body = seedream_request_build_body (request, NULL, &error);
  g_assert_no_error (error);

  multipart = parse_body (body);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 4);
  assert_part (multipart, 0, "category", NULL, NULL, TEXT ("seedreamv45"));
  assert_part (multipart, 1, "prompt", NULL, NULL, TEXT ("a red fox in the snow"));
  assert_part (multipart, 2, "batchsize", NULL, NULL, TEXT ("1"));
  assert_part (multipart, 3, "resolution", NULL, NULL, TEXT ("2K"));
  soup_multipart_free (multipart);
}

static void
test_request_build_body_refuses (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_valid_request ();
  g_autoptr(GFile) text = seedream_test_write_file (fixture->dir, "cat.txt", "meow", 4);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) png = copy_image (fixture, "rgb-300x257.png", "a.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamMultipartStream) body = NULL;

  seedream_request_set_resolution (request, "1x1");
  body = seedream_request_build_body (request, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "Resolution: "));
  g_clear_error (&error);

  seedream_request_set_resolution (request, "2K");
  seedream_request_add_source_file (request, text);
  body = seedream_request_build_body (request, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "Source images: “cat.txt” is not an image"));
  g_clear_error (&error);

  seedream_request_clear_source_files (request);
  seedream_request_add_source_file (request, png);
  g_cancellable_cancel (cancellable);
  body = seedream_request_build_body (request, cancellable, &error);
  g_assert_null (body);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED);
}

static void
test_request_build_body_async (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(SeedreamRequest) request = make_valid_request ();
  g_autoptr(GFile) bmp = copy_image (fixture, "os2-300x257.bmp", "old.bmp");
  g_autoptr(GBytes) bmp_bytes = seedream_test_load_image ("os2-300x257.bmp");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMultipart *multipart;

  seedream_request_add_source_file (request, bmp);
  seedream_request_build_body_async (request, NULL, store_result_cb, &result);

  /* The request may change meanwhile: what was asked for is sent. */
  seedream_request_set_prompt (request, "something else");

  body = seedream_request_build_body_finish (request, wait_for (&result), &error);
  g_assert_no_error (error);

  multipart = parse_body (body);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 5);
  assert_part (multipart, 1, "prompt", NULL, NULL, TEXT ("a red fox in the snow"));
  assert_part (multipart, 4, "sourceImage", "old.bmp", "image/bmp",
               g_bytes_get_data (bmp_bytes, NULL), g_bytes_get_size (bmp_bytes));
  soup_multipart_free (multipart);
}

/* Each row of the model table through the request: what it accepts and
 * refuses, and the category its body carries (the endpoint is the
 * client's: tests/test-client.c). */
static const struct
{
  const char *id;
  const char *good_resolution;
  const char *bad_resolution;
  const char *bad_message;
} per_model[] = {
  { "seedreamv45", "4096x4096", "4097x4096", "Resolution: 4097 × 4096 = 16781312 pixels: above the maximum of 16777216 (4096 × 4096)" },
  { "seedreamv5", "3K", "4096x4096", "Resolution: 4096 × 4096 = 16777216 pixels: above the maximum of 10404496 (3225 × 3225)" },
  { "seedreamv5", "16x650281", "4K", "Resolution: “4K” is not a resolution this model takes: choose one of 2K, 3K, or enter a size" },
  { "seedreamv4", "9:16", "2K", "Resolution: “2K” is not a resolution this model takes: choose one of 1:1, 4:3, 3:4, 16:9, 9:16" },
  { "seedreamv4", "16:9", "2560x1440", "Resolution: “2560x1440” is not a resolution this model takes: choose one of 1:1, 4:3, 3:4, 16:9, 9:16" },
};

static void
test_request_per_model (Fixture       *fixture,
                        gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (per_model); i++)
    {
      const SeedreamModel *model = seedream_model_lookup (per_model[i].id);
      g_autoptr(SeedreamRequest) request = make_valid_request ();
      g_autoptr(SeedreamMultipartStream) body = NULL;
      g_autoptr(GError) error = NULL;
      SoupMultipart *multipart;

      g_test_message ("model %s, %s", per_model[i].id, per_model[i].good_resolution);
      g_assert_nonnull (model);
      seedream_request_set_model (request, model);
      g_assert_true (seedream_request_get_model (request) == model);

      /* Its default, its sizes. */
      seedream_request_set_resolution (request, model->default_resolution);
      assert_valid (request);
      seedream_request_set_resolution (request, per_model[i].bad_resolution);
      assert_invalid (request, per_model[i].bad_message);
      seedream_request_set_resolution (request, per_model[i].good_resolution);
      assert_valid (request);

      /* Batch 1-15. */
      seedream_request_set_batch_size (request, 0);
      assert_invalid (request, "Number of images: choose between 1 and 15");
      seedream_request_set_batch_size (request, 16);
      assert_invalid (request, "Number of images: choose between 1 and 15");
      seedream_request_set_batch_size (request, 15);
      assert_valid (request);

      /* Sources as 4.5: up to 14, refs + outputs up to 15, files or a URL. */
      seedream_request_set_batch_size (request, 1);
      add_files (fixture, request, 14);
      assert_valid (request);
      seedream_request_set_batch_size (request, 2);
      assert_invalid (request, "Source images and generated images: at most 15 in all (14 source images + 2 to generate)");
      seedream_request_set_batch_size (request, 1);
      add_files (fixture, request, 1);
      assert_invalid (request, "Source images: at most 14 (you added 15)");
      seedream_request_set_image_url (request, "https://example.com/a.png");
      assert_invalid (request, "Source images: use either image files or one image URL, not both");
      seedream_request_clear_source_files (request);
      assert_valid (request);
      seedream_request_set_image_url (request, NULL);

      /* The body names the model's category and the size in wire form. */
      body = seedream_request_build_body (request, NULL, &error);
      g_assert_no_error (error);
      multipart = parse_body (body);
      g_assert_cmpint (soup_multipart_get_length (multipart), ==, 4);
      assert_part (multipart, 0, "category", NULL, NULL, model->category, strlen (model->category));
      assert_part (multipart, 3, "resolution", NULL, NULL,
                   per_model[i].good_resolution, strlen (per_model[i].good_resolution));
      soup_multipart_free (multipart);

      /* A copy and the settings of another keep the model. */
      {
        g_autoptr(SeedreamRequest) copy = seedream_request_copy (request);
        g_autoptr(SeedreamRequest) other = seedream_request_new ();

        g_assert_true (seedream_request_get_model (copy) == model);
        seedream_request_set_settings_from (other, request);
        g_assert_true (seedream_request_get_model (other) == model);
      }
    }
}

/* A model row without some fields: they are neither sent nor accepted. */
static void
test_request_model_fields (Fixture       *fixture,
                           gconstpointer  data)
{
  SeedreamModel model = *seedream_model_get_default ();
  g_autoptr(SeedreamRequest) request = make_valid_request ();
  g_autoptr(GFile) png = copy_image (fixture, "rgb-300x257.png", "a.png");
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMultipart *multipart;

  model.category = "other";
  model.display_name = "Other";
  model.fields = SEEDREAM_MODEL_FIELD_PROMPT | SEEDREAM_MODEL_FIELD_RESOLUTION;
  seedream_request_set_model (request, &model);
  seedream_request_set_batch_size (request, 99);   /* not a field of this model */

  seedream_request_set_image_url (request, "https://example.com/a.png");
  assert_invalid (request, "Source image URL: Other does not take one");
  seedream_request_set_image_url (request, NULL);

  seedream_request_add_source_file (request, png);
  assert_invalid (request, "Source images: Other does not take any");
  seedream_request_clear_source_files (request);

  body = seedream_request_build_body (request, NULL, &error);
  g_assert_no_error (error);
  multipart = parse_body (body);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 3);
  assert_part (multipart, 0, "category", NULL, NULL, TEXT ("other"));
  assert_part (multipart, 1, "prompt", NULL, NULL, TEXT ("a red fox in the snow"));
  assert_part (multipart, 2, "resolution", NULL, NULL, TEXT ("2K"));
  soup_multipart_free (multipart);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/seedream/request/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/seedream/request/defaults", test_request_defaults);
  g_test_add_func ("/seedream/request/properties-notify", test_request_properties_notify);
  g_test_add_func ("/seedream/request/validate/prompt", test_request_validate_prompt);
  g_test_add_func ("/seedream/request/validate/batch-size", test_request_validate_batch_size);
  g_test_add_func ("/seedream/request/validate/resolution", test_request_validate_resolution);
  g_test_add_func ("/seedream/request/validate/image-url", test_request_validate_image_url);
  g_test_add_func ("/seedream/request/image-url-is-valid", test_request_image_url_is_valid);
  ADD ("validate/counts", test_request_validate_counts);
  ADD ("source-files", test_request_source_files);
  ADD ("source-image/good", test_source_image_good);
  ADD ("source-image/bad", test_source_image_bad);
  ADD ("source-image/unreadable", test_source_image_unreadable);
  ADD ("source-image/size-limit", test_source_image_size_limit);
  ADD ("source-image/model-types", test_source_image_model_types);
  ADD ("source-image/cancelled", test_source_image_cancelled);
  ADD ("source-image/async", test_source_image_async);
  ADD ("validate-all", test_request_validate_all);
  ADD ("build-body/full", test_request_build_body);
  g_test_add_func ("/seedream/request/build-body/minimal", test_request_build_body_minimal);
  ADD ("build-body/refuses", test_request_build_body_refuses);
  ADD ("build-body/async", test_request_build_body_async);
  ADD ("model-fields", test_request_model_fields);
  ADD ("per-model", test_request_per_model);

#undef ADD

  return g_test_run ();
}
