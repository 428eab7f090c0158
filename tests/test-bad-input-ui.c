/* test-bad-input-ui.c: bad source files as the form and the thumbnail
 * loader meet them, with GTK_A11Y=test.
 *
 * The thumbnail loader refuses a 20000 × 20000 PNG header without decoding
 * it, reports truncated PNG and JPEG files, and does not open a FIFO or a
 * device. SeedreamComposeView::file-refused reports each bad file given to
 * add_files() with a valid UTF-8 message naming it, and keeps the good
 * ones; nothing hangs (hang guards) and nothing warns (G_DEBUG=fatal-warnings).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "seedream-compose-view.h"
#include "seedream-draft.h"
#include "seedream-model.h"
#include "seedream-thumbnail-loader.h"
#include "seedream-test-util.h"

#define HANG_GUARD_SECONDS 60
#define NON_UTF8_STEM "caf\xe9-\xff\xfe"

/* Helpers */

typedef struct
{
  char                *dir;
  GFile               *draft_file;
  SeedreamDraft       *draft;
  GtkWindow           *window;
  SeedreamComposeView *view;
  GPtrArray           *refused_files;
  GPtrArray           *refused_messages;
} Fixture;

/* The first @len bytes of a test image (all of it for 0). */
static GFile *
write_image_head (Fixture    *fixture,
                  const char *name,
                  const char *image,
                  gsize       len)
{
  g_autoptr(GBytes) bytes = seedream_test_load_image (image);

  if (len == 0 || len > g_bytes_get_size (bytes))
    len = g_bytes_get_size (bytes);

  return seedream_test_write_file (fixture->dir, name, g_bytes_get_data (bytes, NULL), len);
}

/* The real PNG, its IHDR size rewritten to @width × @height (and the
 * chunk's CRC with it): pixel data far too short for what it claims. */
static GFile *
write_bomb_png (Fixture    *fixture,
                const char *name,
                guint32     width,
                guint32     height)
{
  g_autoptr(GBytes) bytes = seedream_test_load_image ("rgb-300x257.png");
  gsize len = g_bytes_get_size (bytes);
  g_autofree guint8 *png = g_memdup2 (g_bytes_get_data (bytes, NULL), len);
  guint32 crc;

  g_assert_cmpint (memcmp (png + 12, "IHDR", 4), ==, 0);
  png[16] = width >> 24;
  png[17] = width >> 16;
  png[18] = width >> 8;
  png[19] = width;
  png[20] = height >> 24;
  png[21] = height >> 16;
  png[22] = height >> 8;
  png[23] = height;
  crc = seedream_test_png_crc (png + 12, 4 + 13, 0);
  png[29] = crc >> 24;
  png[30] = crc >> 16;
  png[31] = crc >> 8;
  png[32] = crc;

  return seedream_test_write_file (fixture->dir, name, png, len);
}

static glong
max_rss_kib (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);

  return usage.ru_maxrss;
}

static void
refused_cb (SeedreamComposeView *view,
            GFile               *file,
            const char          *message,
            Fixture             *fixture)
{
  g_ptr_array_add (fixture->refused_files, g_object_ref (file));
  g_ptr_array_add (fixture->refused_messages, g_strdup (message));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("seedream-bad-input-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "draft.ini", NULL);
  fixture->draft_file = g_file_new_for_path (path);
  fixture->refused_files = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->refused_messages = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->draft);
  g_clear_object (&fixture->draft_file);
  g_clear_pointer (&fixture->refused_files, g_ptr_array_unref);
  g_clear_pointer (&fixture->refused_messages, g_ptr_array_unref);
  seedream_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GtkWidget *
find_text_view (GtkWidget *root)
{
  if (GTK_IS_TEXT_VIEW (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A form with a prompt, so that what blocks it is the files alone. */
static SeedreamComposeView *
fixture_open_view (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *prompt;

  fixture->draft = seedream_draft_new (fixture->draft_file);
  g_assert_true (seedream_draft_load (fixture->draft, &error));
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 600, 900);
  fixture->view = g_object_new (SEEDREAM_TYPE_COMPOSE_VIEW, NULL);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  g_signal_connect (fixture->view, "file-refused", G_CALLBACK (refused_cb), fixture);
  seedream_compose_view_set_draft (fixture->view, fixture->draft);
  gtk_window_present (fixture->window);

  prompt = find_text_view (GTK_WIDGET (fixture->view));
  g_assert_nonnull (prompt);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (prompt)), "A lighthouse", -1);
  g_assert_true (seedream_compose_view_get_can_generate (fixture->view));

  return fixture->view;
}

static gboolean
checks_done (gpointer data)
{
  SeedreamComposeView *view = data;

  return g_strcmp0 (seedream_compose_view_get_blocked_reason (view), "Checking the source images…") != 0;
}

static const char *
refusal_of (Fixture *fixture,
            GFile   *file)
{
  for (guint i = 0; i < fixture->refused_files->len; i++)
    {
      if (g_file_equal (g_ptr_array_index (fixture->refused_files, i), file))
        return g_ptr_array_index (fixture->refused_messages, i);
    }

  return NULL;
}

static gboolean
draft_has (Fixture *fixture,
           GFile   *file)
{
  GListModel *sources = seedream_request_get_source_files (seedream_draft_get_request (fixture->draft));

  for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
    {
      g_autoptr(GFile) item = g_list_model_get_item (sources, i);

      if (g_file_equal (item, file))
        return TRUE;
    }

  return FALSE;
}

/* The buttons under @root whose tooltip starts with @prefix. */
static void
collect_tooltips (GtkWidget  *root,
                  const char *prefix,
                  GPtrArray  *found)
{
  const char *tooltip = gtk_widget_get_tooltip_text (root);

  if (GTK_IS_BUTTON (root) && tooltip != NULL && g_str_has_prefix (tooltip, prefix))
    g_ptr_array_add (found, g_strdup (tooltip));

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_tooltips (child, prefix, found);
}

/* The thumbnail loader */

typedef struct
{
  GAsyncResult *result;
} Wait;

static gboolean
result_arrived (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static GdkTexture *
load_thumbnail (GFile   *file,
                GError **error)
{
  Wait wait = { NULL };
  GdkTexture *texture;

  seedream_thumbnail_load_async (file, 128, SEEDREAM_THUMBNAIL_MAX_SOURCE_PIXELS, NULL, store_result_cb, &wait);
  if (!seedream_test_wait_until (result_arrived, &wait, HANG_GUARD_SECONDS))
    g_error ("loading a thumbnail of %s did not finish: it hangs", g_file_peek_path (file));

  texture = seedream_thumbnail_load_finish (wait.result, error);
  g_object_unref (wait.result);

  return texture;
}

static void
test_thumbnail_bomb (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) bomb = write_bomb_png (fixture, "bomb.png", 20000, 20000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  glong rss_before = max_rss_kib ();

  texture = load_thumbnail (bomb, &error);
  g_assert_null (texture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "20000 × 20000"));
  /* Decoding would have taken 1.2 GB. */
  g_assert_cmpint (max_rss_kib () - rss_before, <, 64 * 1024);
}

static void
test_thumbnail_truncated (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *images[] = { "rgb-300x257.png", "baseline-300x257.jpg", "progressive-300x257.jpg" };

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autoptr(GBytes) whole = seedream_test_load_image (images[i]);
      g_autofree char *name = g_strdup_printf ("half-%u-%s", i, images[i]);
      g_autoptr(GFile) head = write_image_head (fixture, "head.bin", images[i], 20);
      g_autoptr(GFile) half = write_image_head (fixture, name, images[i], g_bytes_get_size (whole) / 2);
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      /* The header alone: no image. */
      texture = load_thumbnail (head, &error);
      g_assert_null (texture);
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_clear_error (&error);

      /* Half the data: an error, or what the decoder could show of it;
       * never a crash or a warning. */
      texture = load_thumbnail (half, &error);
      g_test_message ("%s cut in half: %s", images[i],
                      texture != NULL ? "partly shown" : error->message);
      g_assert_true ((texture == NULL) != (error == NULL));
      if (texture != NULL)
        {
          g_assert_cmpint (gdk_texture_get_width (texture), >, 0);
          g_assert_cmpint (gdk_texture_get_width (texture), <=, 128);
        }
    }
}

static void
test_thumbnail_special_files (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *fifo_path = g_build_filename (fixture->dir, "pipe.png", NULL);
  g_autofree char *zero_path = g_build_filename (fixture->dir, "zero.png", NULL);
  g_autoptr(GFile) fifo = g_file_new_for_path (fifo_path);
  g_autoptr(GFile) zero = g_file_new_for_path (zero_path);
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->dir);
  GFile *files[] = { fifo, zero, folder };
  glong rss_before;

  g_assert_cmpint (mkfifo (fifo_path, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero_path), ==, 0);

  rss_before = max_rss_kib ();
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = load_thumbnail (files[i], &error);

      g_assert_null (texture);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
    }
  g_assert_cmpint (max_rss_kib () - rss_before, <, 64 * 1024);
}

/* The form */

static void
test_form_refuses (Fixture       *fixture,
                   gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  g_autofree char *fifo_path = g_build_filename (fixture->dir, "pipe.png", NULL);
  g_autofree char *zero_path = g_build_filename (fixture->dir, "zero.png", NULL);
  g_autofree char *folder_path = g_build_filename (fixture->dir, "folder.png", NULL);
  g_autoptr(GFile) good = write_image_head (fixture, "good.png", "rgb-300x257.png", 0);
  g_autoptr(GFile) bomb = write_bomb_png (fixture, "bomb.png", 20000, 20000);
  g_autoptr(GFile) cut_png = write_image_head (fixture, "cut.png", "rgb-300x257.png", 20);
  g_autoptr(GFile) cut_jpeg = write_image_head (fixture, "cut.jpg", "baseline-300x257.jpg", 40);
  g_autoptr(GFile) fifo = g_file_new_for_path (fifo_path);
  g_autoptr(GFile) zero = g_file_new_for_path (zero_path);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GFile) odd_text = seedream_test_write_file (fixture->dir, NON_UTF8_STEM ".txt", "hello", 5);
  g_autoptr(GFile) odd_good = write_image_head (fixture, NON_UTF8_STEM ".png", "rgb-300x257.png", 0);
  struct {
    GFile      *file;
    const char *name;
    const char *reason;
  } refused[] = {
    { bomb, "“bomb.png”", "is too large" },
    { cut_png, "“cut.png”", "damaged or incomplete" },
    { cut_jpeg, "“cut.jpg”", "damaged or incomplete" },
    { fifo, "“pipe.png”", "is not a regular file" },
    { zero, "“zero.png”", "is not a regular file" },
    { folder, "“folder.png”", "is a folder" },
    { odd_text, "“caf", "is not an image" },
  };
  GFile *files[] = { good, bomb, cut_png, cut_jpeg, fifo, zero, folder, odd_text, odd_good };
  g_autoptr(GPtrArray) remove_labels = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (mkfifo (fifo_path, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero_path), ==, 0);
  g_assert_cmpint (g_mkdir (folder_path, 0700), ==, 0);

  seedream_compose_view_add_files (view, files, G_N_ELEMENTS (files));
  g_assert_true (seedream_test_wait_until (checks_done, view, HANG_GUARD_SECONDS));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      const char *message = refusal_of (fixture, refused[i].file);

      g_assert_nonnull (message);
      g_test_message ("%s", message);
      g_assert_true (g_utf8_validate (message, -1, NULL));
      g_assert_nonnull (strstr (message, refused[i].name));
      g_assert_nonnull (strstr (message, refused[i].reason));
      g_assert_false (draft_has (fixture, refused[i].file));
    }
  g_assert_cmpuint (fixture->refused_files->len, ==, G_N_ELEMENTS (refused));

  /* The good ones are kept, the one with an odd name too. */
  g_assert_true (draft_has (fixture, good));
  g_assert_true (draft_has (fixture, odd_good));
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (fixture->draft))), ==, 2);

  /* Let the thumbnails load, then read what a screen reader would. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  collect_tooltips (GTK_WIDGET (view), "Remove ", remove_labels);
  g_assert_cmpuint (remove_labels->len, ==, 2);
  for (guint i = 0; i < remove_labels->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (remove_labels, i), -1, NULL));
}

/* The "too many" message is written by the form itself. */
static void
test_form_too_many_non_utf8 (Fixture       *fixture,
                             gconstpointer  data)
{
  SeedreamComposeView *view = fixture_open_view (fixture);
  const SeedreamModel *model = seedream_model_get_default ();
  guint room = MIN (model->max_source_images, model->max_total_images - 1);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFile) extra = write_image_head (fixture, NON_UTF8_STEM "-extra.png", "rgb-300x257.png", 0);
  const char *message;

  for (guint i = 0; i < room; i++)
    {
      g_autofree char *name = g_strdup_printf ("image-%02u.png", i);

      g_ptr_array_add (files, write_image_head (fixture, name, "rgb-300x257.png", 0));
    }
  g_ptr_array_add (files, g_object_ref (extra));

  seedream_compose_view_add_files (view, (GFile **) files->pdata, files->len);
  g_assert_true (seedream_test_wait_until (checks_done, view, HANG_GUARD_SECONDS));

  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (fixture->draft))), ==, room);
  g_assert_cmpuint (fixture->refused_files->len, ==, 1);
  message = refusal_of (fixture, extra);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "was not added: at most"));
  g_assert_false (draft_has (fixture, extra));
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_true (g_str_has_prefix (message, "“caf"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/seedream/bad-input-ui/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("thumbnail/decompression-bomb", test_thumbnail_bomb);
  ADD ("thumbnail/truncated", test_thumbnail_truncated);
  ADD ("thumbnail/special-files", test_thumbnail_special_files);
  ADD ("form/refuses", test_form_refuses);
  ADD ("form/too-many-non-utf8", test_form_too_many_non_utf8);

#undef ADD

  return g_test_run ();
}
