/* test-result-widgets.c: the thumbnail loader, the result thumbnail on a
 * task row, and the large preview.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "seedream-image-info.h"
#include "seedream-favourite-button.h"
#include "seedream-compare-pane.h"
#include "seedream-compare-slider.h"
#include "seedream-compare-view.h"
#include "seedream-image-preview.h"
#include "seedream-result-actions.h"
#include "seedream-result-thumbnail.h"
#include "seedream-thumbnail-loader.h"
#include "seedream-test-util.h"

/* Helpers */

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main loop until @condition holds or 20 s have passed (a
 * guard against hanging, not a timing assertion). */
static gboolean
wait_for_condition (Condition condition,
                    gpointer  data)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (20, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return condition (data);
}

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("seedream-result-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  seedream_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Writes a @width × @height image of one colour (0xRRGGBBAA) in @format
 * ("png" or "jpeg") and returns it. */
static GFile *
write_image (const char *dir,
             const char *name,
             const char *format,
             int         width,
             int         height,
             guint32     rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, rgba);
  gdk_pixbuf_save (pixbuf, path, format, &error, NULL);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static GFile *
write_bytes (const char   *dir,
             const char   *name,
             const guint8 *data,
             gsize         len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) data, len, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (60, timed_out_cb, &timed_out);

  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  g_assert_nonnull (*slot);
  return *slot;
}

static GdkTexture *
load (GFile         *file,
      int            max_size,
      GCancellable  *cancellable,
      int           *width,
      int           *height,
      goffset       *file_size,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  seedream_thumbnail_load_async (file, max_size, SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS, cancellable,
                                 store_result_cb, &result);
  wait_for_result (&result);

  return seedream_thumbnail_load_finish_full (result, width, height, file_size, error);
}

/* The colour of the texture's centre as 0xRRGGBB. */
static guint32
texture_centre_rgb (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autoptr(GdkTextureDownloader) downloader = gdk_texture_downloader_new (texture);
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *pixel;
  gsize stride;

  gdk_texture_downloader_set_format (downloader, GDK_MEMORY_R8G8B8A8);
  bytes = gdk_texture_downloader_download_bytes (downloader, &stride);
  pixel = (const guint8 *) g_bytes_get_data (bytes, NULL) + (height / 2) * stride + (width / 2) * 4;

  return ((guint32) pixel[0] << 16) | ((guint32) pixel[1] << 8) | pixel[2];
}

/* The loader */

static void
test_loader_scales (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_image (fixture->dir, "wide.png", "png", 600, 300, 0x20c040ff);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0, height = 0;
  goffset file_size = 0;

  texture = load (file, 128, NULL, &width, &height, &file_size, &error);
  g_assert_no_error (error);
  g_assert_nonnull (texture);

  /* The longer side is bounded, the aspect ratio kept. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 128);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 64);
  /* The image's own size and the file's, for tooltips. */
  g_assert_cmpint (width, ==, 600);
  g_assert_cmpint (height, ==, 300);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (file_size, ==, g_file_info_get_size (info));
  g_assert_cmphex (texture_centre_rgb (texture), ==, 0x20c040);
}

static void
test_loader_small_and_full_size (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GFile) file = write_image (fixture->dir, "tall.jpg", "jpeg", 90, 200, 0xffffffff);
  g_autoptr(GdkTexture) small = NULL;
  g_autoptr(GdkTexture) full = NULL;
  g_autoptr(GError) error = NULL;

  /* A bound larger than the image does not enlarge it. */
  small = load (file, 400, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (small), ==, 90);
  g_assert_cmpint (gdk_texture_get_height (small), ==, 200);

  full = load (file, 0, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (full), ==, 90);
  g_assert_cmpint (gdk_texture_get_height (full), ==, 200);
}

static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static void
test_loader_refuses_huge_header (Fixture       *fixture,
                                 gconstpointer  data)
{
  /* A PNG whose header says 20000 × 20000 (400 megapixels) and has no
   * pixels: refused from the header, before a decoder sees it. */
  guint8 bytes[64] = { 0 };
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (bytes, png_signature, sizeof png_signature);
  memcpy (bytes + 8, "\0\0\0\rIHDR", 8);
  bytes[16] = 0x00; bytes[17] = 0x00; bytes[18] = 0x4e; bytes[19] = 0x20;   /* 20000 */
  bytes[20] = 0x00; bytes[21] = 0x00; bytes[22] = 0x4e; bytes[23] = 0x20;   /* 20000 */
  bytes[24] = 8; bytes[25] = 6;
  file = write_bytes (fixture->dir, "huge.png", bytes, sizeof bytes);

  texture = load (file, 128, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (texture);
  /* The message says why, in the image's own numbers. */
  g_assert_nonnull (strstr (error->message, "20000 × 20000"));
}

/* A result can be no larger than the service makes (16,777,216 pixels):
 * one that claims 5000 × 4000 is refused by its header, where the same
 * header in a source image (a person's own photo) goes to the decoder. */
static void
test_loader_result_limit (Fixture       *fixture,
                          gconstpointer  data)
{
  guint8 bytes[64] = { 0 };
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (bytes, png_signature, sizeof png_signature);
  memcpy (bytes + 8, "\0\0\0\rIHDR", 8);
  bytes[16] = 0x00; bytes[17] = 0x00; bytes[18] = 0x13; bytes[19] = 0x88;   /* 5000 */
  bytes[20] = 0x00; bytes[21] = 0x00; bytes[22] = 0x0f; bytes[23] = 0xa0;   /* 4000 */
  bytes[24] = 8; bytes[25] = 6;
  file = write_bytes (fixture->dir, "twenty-megapixels.png", bytes, sizeof bytes);

  texture = load (file, 128, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (texture);
  g_assert_nonnull (strstr (error->message, "5000 × 4000"));
  g_clear_error (&error);

  seedream_thumbnail_load_async (file, 128, SEEDREAM_THUMBNAIL_MAX_SOURCE_PIXELS, NULL,
                                 store_result_cb, &result);
  wait_for_result (&result);
  texture = seedream_thumbnail_load_finish (result, &error);
  g_assert_null (texture);
  g_assert_nonnull (error);
  /* Not refused for its size: the decoder found the pixels missing. */
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED));
}

static void
test_loader_refuses_huge_frame_late_in_file (Fixture       *fixture,
                                             gconstpointer  data)
{
  /* A real JPEG whose frame header comes after 320 KiB of metadata (past
   * what the header check reads) and is rewritten to 20000 × 20000: the
   * decoder's size-prepared check refuses it before allocating. */
  g_autoptr(GFile) small = write_image (fixture->dir, "small.jpg", "jpeg", 16, 16, 0x808080ff);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GByteArray) jpeg = g_byte_array_new ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0, i;
  gboolean patched = FALSE;

  g_file_load_contents (small, NULL, &contents, &len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 4);

  /* SOI, then five APP15 segments of 65533 bytes each, then the rest. */
  g_byte_array_append (jpeg, (const guint8 *) contents, 2);
  for (i = 0; i < 5; i++)
    {
      static const guint8 marker[] = { 0xff, 0xef, 0xff, 0xff };
      g_autofree guint8 *padding = g_malloc0 (0xffff - 2);

      g_byte_array_append (jpeg, marker, sizeof marker);
      g_byte_array_append (jpeg, padding, 0xffff - 2);
    }
  g_byte_array_append (jpeg, (const guint8 *) contents + 2, len - 2);
  g_assert_cmpuint (jpeg->len, >, SEEDREAM_IMAGE_SNIFF_BYTES);

  /* SOF0: ff c0, length (2), precision (1), height (2), width (2). */
  for (i = 2 + 5 * 0xffff + 2; i + 9 < jpeg->len; i++)
    if (jpeg->data[i] == 0xff && (jpeg->data[i + 1] == 0xc0 || jpeg->data[i + 1] == 0xc2))
      {
        jpeg->data[i + 5] = 0x4e; jpeg->data[i + 6] = 0x20;
        jpeg->data[i + 7] = 0x4e; jpeg->data[i + 8] = 0x20;
        patched = TRUE;
        break;
      }
  g_assert_true (patched);
  file = write_bytes (fixture->dir, "late.jpg", jpeg->data, jpeg->len);

  texture = load (file, 128, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (texture);
}

static void
test_loader_cancels (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = write_image (fixture->dir, "big.png", "png", 2000, 2000, 0x336699ff);
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) during = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) texture2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  /* Cancelled before it starts. */
  g_cancellable_cancel (before);
  texture = load (file, 128, before, NULL, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (texture);

  /* Cancelled while the worker runs: the result is "cancelled", whatever
   * the worker had got to, and never a texture. */
  seedream_thumbnail_load_async (file, 128, SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS, during, store_result_cb, &result);
  g_cancellable_cancel (during);
  wait_for_result (&result);
  texture2 = seedream_thumbnail_load_finish (result, &error2);
  g_assert_error (error2, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (texture2);
}

static void
test_loader_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char text[] = "this is not an image, it is a sentence";
  g_autoptr(GFile) not_image = write_bytes (fixture->dir, "note.png", (const guint8 *) text, sizeof text);
  g_autofree char *missing_path = g_build_filename (fixture->dir, "missing.png", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) texture2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  texture = load (not_image, 128, NULL, NULL, NULL, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (texture);

  texture2 = load (missing, 128, NULL, NULL, NULL, NULL, &error2);
  g_assert_error (error2, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (texture2);
}

typedef struct
{
  guint n_done;
  guint n_textures;
  guint n_cancelled;
} Crowd;

static void
crowd_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Crowd *crowd = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = seedream_thumbnail_load_finish (result, &error);

  if (texture != NULL)
    {
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 96);
      crowd->n_textures++;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    crowd->n_cancelled++;
  else
    g_assert_no_error (error);
  crowd->n_done++;
}

/* Many thumbnails at once are decoded a few at a time (so that the main
 * loop keeps a processor), every one of them still arrives, and one
 * cancelled while it waits in the queue says so. Large loads do not wait in
 * that queue. */
static void
test_loader_queues_thumbnails (Fixture       *fixture,
                               gconstpointer  data)
{
  enum { N_LOADS = 12, CANCELLED_ONE = 7 };
  g_autoptr(GFile) file = write_image (fixture->dir, "crowd.png", "png", 960, 720, 0x808080ff);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GdkTexture) large = NULL;
  g_autoptr(GError) error = NULL;
  Crowd crowd = { 0 };
  guint max_decodes = seedream_thumbnail_get_max_decodes ();
  guint peak;

  g_assert_cmpuint (max_decodes, >=, 1);
  g_assert_cmpuint (max_decodes, <=, 2);

  /* Whatever earlier tests left is forgotten. */
  seedream_thumbnail_take_peak_decodes ();

  for (guint i = 0; i < N_LOADS; i++)
    seedream_thumbnail_load_async (file, 96, SEEDREAM_THUMBNAIL_MAX_RESULT_PIXELS,
                                   i == CANCELLED_ONE ? cancellable : NULL,
                                   crowd_loaded_cb, &crowd);
  g_cancellable_cancel (cancellable);

  while (crowd.n_done < N_LOADS)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (crowd.n_textures, ==, N_LOADS - 1);
  g_assert_cmpuint (crowd.n_cancelled, ==, 1);
  peak = seedream_thumbnail_take_peak_decodes ();
  g_assert_cmpuint (peak, >=, 1);
  g_assert_cmpuint (peak, <=, max_decodes);

  /* A preview-sized or full-size load runs on its own thread. */
  large = load (file, SEEDREAM_THUMBNAIL_QUEUED_MAX_SIZE + 1, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (large), ==, SEEDREAM_THUMBNAIL_QUEUED_MAX_SIZE + 1);
  g_clear_object (&large);
  large = load (file, 0, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (large), ==, 960);
  g_assert_cmpuint (seedream_thumbnail_take_peak_decodes (), ==, 0);
}

/* The result thumbnail */

static gboolean
thumbnail_has_size (gpointer data)
{
  return seedream_result_thumbnail_get_width (data) > 0;
}

static GtkWindow *
window_with (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_child (window, child);
  /* As large as the app's window: in a window the size of its one child,
   * a dialog wider than it makes libadwaita warn (fatal in tests). */
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);

  return window;
}

static void
collect_model_buttons (GtkWidget  *widget,
                       GHashTable *sensitive_by_label)
{
  GtkWidget *child;

  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkModelButton"))
    {
      g_autofree char *text = NULL;

      g_object_get (widget, "text", &text, NULL);
      g_hash_table_insert (sensitive_by_label, g_steal_pointer (&text),
                           GINT_TO_POINTER (gtk_widget_get_sensitive (widget)));
    }

  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_model_buttons (child, sensitive_by_label);
}

static GtkMenuButton *
find_menu_button (GtkWidget *widget)
{
  GtkWidget *child;

  if (GTK_IS_MENU_BUTTON (widget))
    return GTK_MENU_BUTTON (widget);

  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_menu_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Opens the thumbnail's menu and returns label → sensitive of its items. */
static GHashTable *
menu_items (SeedreamResultThumbnail *thumbnail)
{
  GHashTable *items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkMenuButton *button = find_menu_button (GTK_WIDGET (thumbnail));
  GtkPopover *popover;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (thumbnail), "result.show-menu", NULL));
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  collect_model_buttons (GTK_WIDGET (popover), items);
  gtk_popover_popdown (popover);

  return items;
}

static void
test_thumbnail_actions (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const expected[] = {
    "result.open", "result.save-as", "result.copy", "result.open-with",
    "result.use-as-source", "result.delete", "result.show-menu",
  };
  static const char * const labels[] = {
    "Open Preview", "Save As…", "Copy Image", "Open With Default App", "Use as Source", "Delete",
  };
  g_autoptr(GFile) file = write_image (fixture->dir, "0.png", "png", 320, 240, 0xff8000ff);
  g_autoptr(GHashTable) items = NULL;
  SeedreamResultThumbnail *thumbnail;
  GtkWidgetClass *klass;
  GtkWindow *window;
  guint i;

  klass = g_type_class_ref (SEEDREAM_TYPE_RESULT_THUMBNAIL);
  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;
      const GVariantType *parameter_type;
      const char *name, *property_name;
      GType owner;
      guint j;

      for (j = 0; gtk_widget_class_query_action (klass, j, &owner, &name, &parameter_type, &property_name); j++)
        if (g_str_equal (name, expected[i]))
          found = TRUE;
      g_assert_true (found);
    }
  g_type_class_unref (klass);

  thumbnail = SEEDREAM_RESULT_THUMBNAIL (seedream_result_thumbnail_new (file, 1, 4));
  window = window_with (GTK_WIDGET (thumbnail));
  g_assert_true (wait_for_condition (thumbnail_has_size, thumbnail));
  g_assert_cmpuint (seedream_result_thumbnail_get_width (thumbnail), ==, 320);
  g_assert_cmpuint (seedream_result_thumbnail_get_height (thumbnail), ==, 240);

  /* The menu is only built when it first opens (a task row makes many
   * thumbnails at once), but the button is there to open it. */
  g_assert_null (gtk_menu_button_get_menu_model (find_menu_button (GTK_WIDGET (thumbnail))));
  g_assert_null (gtk_menu_button_get_popover (find_menu_button (GTK_WIDGET (thumbnail))));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (find_menu_button (GTK_WIDGET (thumbnail)))));

  /* Every item of the menu is there and enabled. */
  items = menu_items (thumbnail);
  for (i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      gpointer sensitive;

      g_assert_true (g_hash_table_lookup_extended (items, labels[i], NULL, &sensitive));
      g_assert_true (GPOINTER_TO_INT (sensitive));
    }
  g_hash_table_unref (items);

  /* Opened again, it is the same menu, built once. */
  {
    GMenuModel *model = gtk_menu_button_get_menu_model (find_menu_button (GTK_WIDGET (thumbnail)));

    g_assert_nonnull (model);
    items = menu_items (thumbnail);
    g_assert_true (gtk_menu_button_get_menu_model (find_menu_button (GTK_WIDGET (thumbnail))) == model);
    for (i = 0; i < G_N_ELEMENTS (labels); i++)
      g_assert_true (g_hash_table_contains (items, labels[i]));
  }

  gtk_window_destroy (window);
}

static gboolean
tooltip_is_set (gpointer data)
{
  const char *tooltip = gtk_widget_get_tooltip_text (data);

  return tooltip != NULL && strchr (tooltip, '\n') != NULL;
}

static void
test_thumbnail_missing_file (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "gone.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GHashTable) items = NULL;
  SeedreamResultThumbnail *thumbnail;
  GtkWindow *window;
  gpointer sensitive;

  thumbnail = SEEDREAM_RESULT_THUMBNAIL (seedream_result_thumbnail_new (file, 0, 1));
  window = window_with (GTK_WIDGET (thumbnail));
  g_assert_true (wait_for_condition (tooltip_is_set, thumbnail));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (thumbnail)), "missing"));

  /* Only Delete is left for a file that is gone. */
  items = menu_items (thumbnail);
  g_assert_true (g_hash_table_lookup_extended (items, "Save As…", NULL, &sensitive));
  g_assert_false (GPOINTER_TO_INT (sensitive));
  g_assert_true (g_hash_table_lookup_extended (items, "Use as Source", NULL, &sensitive));
  g_assert_false (GPOINTER_TO_INT (sensitive));
  g_assert_true (g_hash_table_lookup_extended (items, "Delete", NULL, &sensitive));
  g_assert_true (GPOINTER_TO_INT (sensitive));

  gtk_window_destroy (window);
}

/* The window's win.use-as-source, as the tiles and the preview see it:
 * stores the file it was given in *@out. */
static void
use_as_source_activate_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  GFile **out = user_data;

  g_assert_null (*out);
  *out = g_file_new_for_uri (g_variant_get_string (parameter, NULL));
}

static void
catch_use_as_source (GtkWidget  *window,
                     GFile     **out)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("use-as-source", G_VARIANT_TYPE_STRING);

  g_signal_connect (action, "activate", G_CALLBACK (use_as_source_activate_cb), out);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
}

static void
delete_requested_cb (SeedreamResultThumbnail *thumbnail,
                     guint                   *count)
{
  (*count)++;
}

static void
test_thumbnail_signals (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GFile) file = write_image (fixture->dir, "2.png", "png", 64, 64, 0x000000ff);
  g_autoptr(GFile) used = NULL;
  SeedreamResultThumbnail *thumbnail;
  GtkWindow *window;
  guint deleted = 0;

  thumbnail = SEEDREAM_RESULT_THUMBNAIL (seedream_result_thumbnail_new (file, 2, 3));
  g_signal_connect (thumbnail, "delete-requested", G_CALLBACK (delete_requested_cb), &deleted);
  window = window_with (GTK_WIDGET (thumbnail));
  catch_use_as_source (GTK_WIDGET (window), &used);
  g_assert_true (wait_for_condition (thumbnail_has_size, thumbnail));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (thumbnail), "result.use-as-source", NULL));
  g_assert_nonnull (used);
  g_assert_true (g_file_equal (used, file));
  g_assert_cmpuint (deleted, ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (thumbnail), "result.delete", NULL));
  g_assert_cmpuint (deleted, ==, 1);

  gtk_window_destroy (window);
}

static void
test_thumbnail_accessible (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GFile) file = write_image (fixture->dir, "1.png", "png", 200, 100, 0xffffffff);
  SeedreamResultThumbnail *thumbnail;
  GtkWindow *window;

  thumbnail = SEEDREAM_RESULT_THUMBNAIL (seedream_result_thumbnail_new (file, 1, 4));
  window = window_with (GTK_WIDGET (thumbnail));
  g_assert_true (wait_for_condition (thumbnail_has_size, thumbnail));

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (thumbnail), GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (thumbnail), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Result image 2 of 4");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (find_menu_button (GTK_WIDGET (thumbnail))),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Actions for result image 2 of 4");
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (thumbnail)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (thumbnail)), "200 × 100"));

  /* The count can change as more images arrive. */
  seedream_result_thumbnail_set_count (thumbnail, 5);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (thumbnail), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Result image 2 of 5");

  gtk_window_destroy (window);
}

/* The window's win.set-result-favourite as the stars see it: records what
 * was asked and, when @store, does what the history then does (the image's
 * :favourite follows the stored star). */
typedef struct
{
  SeedreamResultThumbnail *thumbnail;
  gboolean                 store;
  guint                    calls;
  gint64                   id;
  guint32                  index;
  gboolean                 favourite;
} StarStore;

static void
set_result_favourite_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  StarStore *store = user_data;

  g_variant_get (parameter, "(xub)", &store->id, &store->index, &store->favourite);
  store->calls++;
  if (store->store)
    seedream_result_thumbnail_set_favourite (store->thumbnail, store->favourite);
}

static GtkWidget *
find_star (GtkWidget *root)
{
  if (SEEDREAM_IS_FAVOURITE_BUTTON (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_star (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A click asks for the opposite star; what shows (icon, name) is what was
 * stored. */
static void
assert_star_click (GtkWidget *star,
                   StarStore *store,
                   gboolean   wanted)
{
  guint calls = store->calls;
  gboolean shown = store->store ? wanted : !wanted;

  g_signal_emit_by_name (star, "clicked");
  g_assert_cmpuint (store->calls, ==, calls + 1);
  g_assert_cmpint (store->id, ==, 42);
  g_assert_cmpuint (store->index, ==, 1);
  g_assert_cmpint (store->favourite, ==, wanted);
  g_assert_cmpint (seedream_result_thumbnail_get_favourite (store->thumbnail), ==, shown);
  g_assert_cmpint (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)), ==, shown);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (star), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       shown ? "Remove from Favourites" : "Add to Favourites");
}

static gboolean
preview_is_shown (gpointer data)
{
  return adw_window_get_visible_dialog (data) != NULL;
}

/* The star on the tile and in its preview: hidden without a history row,
 * then sending (row, index, starred) and showing what was stored. */
static void
test_thumbnail_star (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = write_image (fixture->dir, "star.png", "png", 64, 64, 0xffd700ff);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("set-result-favourite", G_VARIANT_TYPE ("(xub)"));
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  StarStore store = { 0 };
  AdwDialog *preview;
  GtkWidget *star, *preview_star;

  store.thumbnail = SEEDREAM_RESULT_THUMBNAIL (seedream_result_thumbnail_new (file, 1, 2));
  g_signal_connect (action, "activate", G_CALLBACK (set_result_favourite_cb), &store);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (GTK_WIDGET (window), "win", G_ACTION_GROUP (group));
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (store.thumbnail));
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);
  g_assert_true (wait_for_condition (thumbnail_has_size, store.thumbnail));

  star = find_star (GTK_WIDGET (store.thumbnail));
  g_assert_nonnull (star);
  g_assert_false (gtk_widget_get_visible (star));

  seedream_result_thumbnail_set_history_id (store.thumbnail, 42);
  g_assert_true (gtk_widget_get_visible (star));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (star), GTK_ACCESSIBLE_PROPERTY_LABEL, "Add to Favourites");

  store.store = TRUE;
  assert_star_click (star, &store, TRUE);
  assert_star_click (star, &store, FALSE);
  /* Not stored (the history failed): it does not look starred. */
  store.store = FALSE;
  assert_star_click (star, &store, TRUE);
  store.store = TRUE;
  assert_star_click (star, &store, TRUE);

  /* The preview shows the same star and changes the same image. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (store.thumbnail), "result.open", NULL));
  g_assert_true (wait_for_condition (preview_is_shown, window));
  preview = adw_window_get_visible_dialog (ADW_WINDOW (window));
  preview_star = find_star (GTK_WIDGET (preview));
  g_assert_nonnull (preview_star);
  g_assert_true (gtk_widget_get_visible (preview_star));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (preview_star)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (preview_star), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Remove from Favourites");

  assert_star_click (preview_star, &store, FALSE);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (preview_star)));

  adw_dialog_force_close (preview);
  gtk_window_destroy (window);
}

static void
test_suggested_name (void)
{
  g_autoptr(GFile) png = g_file_new_for_path ("/data/results/task/1.png");
  g_autoptr(GFile) jpeg = g_file_new_for_path ("/data/results/task/0.JPEG");
  g_autoptr(GFile) bare = g_file_new_for_path ("/data/results/task/3");
  g_autofree char *from_prompt = seedream_result_suggest_file_name ("A red fox, jumping over snow! At dawn in winter",
                                                                    "t-1", 1, png);
  g_autofree char *from_task = seedream_result_suggest_file_name ("  ¡¿!! ", "task/42", 0, jpeg);
  g_autofree char *unicode = seedream_result_suggest_file_name ("Ünïcode ÉTÉ 夏天", NULL, 2, bare);
  g_autofree char *nothing = seedream_result_suggest_file_name (NULL, NULL, 0, NULL);
  g_autofree char *longest = seedream_result_suggest_file_name ("Supercalifragilisticexpialidocious "
                                                                "antidisestablishmentarianism floccinaucinihilipilification",
                                                                NULL, 0, png);

  g_assert_cmpstr (from_prompt, ==, "a-red-fox-jumping-over-snow-2.png");
  g_assert_cmpstr (from_task, ==, "seedream-task_42-1.jpeg");
  g_assert_cmpstr (unicode, ==, "ünïcode-été-夏天-3.png");
  g_assert_cmpstr (nothing, ==, "seedream-1.png");
  g_assert_cmpuint (g_utf8_strlen (longest, -1), <=, 48 + strlen ("-1.png"));
  g_assert_true (g_str_has_prefix (longest, "supercalifragilisticexpialidocious-"));
  g_assert_true (g_str_has_suffix (longest, "-1.png"));
  g_assert_null (strstr (longest, "--"));
}

static void
test_save_copy_identical (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GFile) source = write_image (fixture->dir, "source.png", "png", 97, 61, 0x123456ff);
  g_autofree char *dest_path = g_build_filename (fixture->dir, "saved", "fox-1.png", NULL);
  g_autofree char *dest_dir = g_path_get_dirname (dest_path);
  g_autoptr(GFile) destination = g_file_new_for_path (dest_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source_data = NULL;
  g_autofree char *saved_data = NULL;
  gsize source_len = 0, saved_len = 0;

  /* The file chooser has confirmed replacing an existing file. */
  g_assert_cmpint (g_mkdir (dest_dir, 0700), ==, 0);
  g_file_set_contents (dest_path, "an older, longer file that must not survive in any part", -1, &error);
  g_assert_no_error (error);

  seedream_result_save_copy_async (source, destination, NULL, store_result_cb, &result);
  wait_for_result (&result);
  g_assert_true (seedream_result_save_copy_finish (result, &error));
  g_assert_no_error (error);

  g_file_get_contents (g_file_peek_path (source), &source_data, &source_len, &error);
  g_assert_no_error (error);
  g_file_get_contents (dest_path, &saved_data, &saved_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (saved_data, saved_len, source_data, source_len);
}

static void
test_save_copy_error (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GFile) source = write_image (fixture->dir, "s.png", "png", 8, 8, 0x123456ff);
  g_autofree char *dest_path = g_build_filename (fixture->dir, "no", "such", "dir", "x.png", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (dest_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  seedream_result_save_copy_async (source, destination, NULL, store_result_cb, &result);
  wait_for_result (&result);
  g_assert_false (seedream_result_save_copy_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_drag_content (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_image (fixture->dir, "drag.png", "png", 40, 30, 0xabcdefff);
  g_autoptr(GdkContentProvider) provider = seedream_result_content_provider_new (file);
  g_autoptr(GdkContentFormats) formats = gdk_content_provider_ref_formats (provider);
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) list_value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  GSList *files;

  g_assert_true (gdk_content_formats_contain_gtype (formats, G_TYPE_FILE));
  g_assert_true (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST));
  g_assert_true (gdk_content_formats_contain_mime_type (formats, "image/png"));

  g_value_init (&value, G_TYPE_FILE);
  g_assert_true (gdk_content_provider_get_value (provider, &value, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_equal (g_value_get_object (&value), file));

  g_value_init (&list_value, GDK_TYPE_FILE_LIST);
  g_assert_true (gdk_content_provider_get_value (provider, &list_value, &error));
  g_assert_no_error (error);
  files = gdk_file_list_get_files (g_value_get_boxed (&list_value));
  g_assert_cmpuint (g_slist_length (files), ==, 1);
  g_assert_true (g_file_equal (files->data, file));
  g_slist_free (files);
}

/* The preview */

static gboolean
preview_is_loaded (gpointer data)
{
  return seedream_image_preview_get_loaded (data);
}

static void
test_preview_loads (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_image (fixture->dir, "preview.png", "png", 1200, 800, 0x4080c0ff);
  g_autoptr(GFile) used = NULL;
  SeedreamImagePreview *preview;
  GtkWidget *parent = gtk_label_new ("parent");
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GdkPaintable *paintable;

  /* An AdwWindow, as the app's: the dialog is shown inside it, so the
   * window's actions reach it. */
  adw_window_set_content (ADW_WINDOW (window), parent);
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);
  catch_use_as_source (GTK_WIDGET (window), &used);

  preview = seedream_image_preview_new (file, "Result 1 of 1", "fox-1.png");
  g_object_ref_sink (preview);
  adw_dialog_present (ADW_DIALOG (preview), parent);
  g_assert_true (wait_for_condition (preview_is_loaded, preview));

  /* Decoded at its own size (under the 4096 px bound). */
  paintable = seedream_image_preview_get_paintable (preview);
  g_assert_nonnull (paintable);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 1200);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 800);
  g_assert_cmpstr (adw_dialog_get_title (ADW_DIALOG (preview)), ==, "Result 1 of 1");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preview), "preview.use-as-source", NULL));
  g_assert_nonnull (used);
  g_assert_true (g_file_equal (used, file));

  adw_dialog_force_close (ADW_DIALOG (preview));
  g_object_unref (preview);
  gtk_window_destroy (window);
}

/* A visible label under @root whose text holds @needle. */
static GtkLabel *
find_label_with (GtkWidget  *root,
                 const char *needle)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return GTK_LABEL (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label_with (child, needle);

      if (label != NULL)
        return label;
    }

  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *needle;
} LabelSearch;

static gboolean
label_is_shown (gpointer data)
{
  LabelSearch *search = data;

  return find_label_with (search->root, search->needle) != NULL;
}

/* Why an image cannot be shown names its file; a file name is text, never
 * markup (an "&" would blank the message, "<a href>" make a link). */
static void
test_preview_error_is_plain_text (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "fish & <b>chips</b>.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *parent = gtk_label_new ("parent");
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  SeedreamImagePreview *preview;
  LabelSearch search;

  adw_window_set_content (ADW_WINDOW (window), parent);
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);

  preview = seedream_image_preview_new (file, "Result 1 of 1", "fish.png");
  g_object_ref_sink (preview);
  adw_dialog_present (ADW_DIALOG (preview), parent);

  search.root = GTK_WIDGET (preview);
  search.needle = "fish & <b>chips</b>.png";
  g_assert_true (wait_for_condition (label_is_shown, &search));
  g_assert_false (seedream_image_preview_get_loaded (preview));

  adw_dialog_force_close (ADW_DIALOG (preview));
  g_object_unref (preview);
  gtk_window_destroy (window);
}

/* Runs what a press of @keyval in @widget runs, in the order GTK tries its
 * shortcut controllers (capture phase first): the test proves the key
 * reaches the navigation, not only that the action works. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  const GtkPropagationPhase phases[] = { GTK_PHASE_CAPTURE, GTK_PHASE_BUBBLE };

  for (guint p = 0; p < G_N_ELEMENTS (phases); p++)
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
            gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) != phases[p])
          continue;

        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
            GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

            if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
                gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
                gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
              return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                   gtk_shortcut_get_arguments (shortcut));
          }
      }

  return FALSE;
}

/* The preview moves through a task's images by key, in order, stops at
 * the ends, and names where it is. */
static void
test_preview_navigates (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  const char * const names[] = { "a-1.png", "a-2.png", "a-3.png", NULL };
  GtkWidget *parent = gtk_label_new ("parent");
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  SeedreamImagePreview *preview;

  g_ptr_array_add (files, write_image (fixture->dir, "n1.png", "png", 300, 200, 0xff0000ff));
  g_ptr_array_add (files, write_image (fixture->dir, "n2.png", "png", 200, 300, 0x00ff00ff));
  g_ptr_array_add (files, write_image (fixture->dir, "n3.png", "png", 100, 100, 0x0000ffff));

  adw_window_set_content (ADW_WINDOW (window), parent);
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);

  preview = seedream_image_preview_new_for_files (files, names, 1);
  g_object_ref_sink (preview);
  adw_dialog_present (ADW_DIALOG (preview), parent);
  g_assert_cmpuint (seedream_image_preview_get_n_images (preview), ==, 3);
  g_assert_cmpuint (seedream_image_preview_get_position (preview), ==, 1);
  g_assert_cmpstr (adw_dialog_get_title (ADW_DIALOG (preview)), ==, "Result 2 of 3");
  g_assert_true (wait_for_condition (preview_is_loaded, preview));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (seedream_image_preview_get_paintable (preview)), ==, 200);

  g_assert_true (press_key (GTK_WIDGET (preview), GDK_KEY_Right));
  g_assert_cmpuint (seedream_image_preview_get_position (preview), ==, 2);
  g_assert_true (g_file_equal (seedream_image_preview_get_file (preview), g_ptr_array_index (files, 2)));
  g_assert_cmpstr (adw_dialog_get_title (ADW_DIALOG (preview)), ==, "Result 3 of 3");
  g_assert_true (wait_for_condition (preview_is_loaded, preview));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (seedream_image_preview_get_paintable (preview)), ==, 100);

  /* The last image: Right goes nowhere. */
  press_key (GTK_WIDGET (preview), GDK_KEY_Right);
  g_assert_cmpuint (seedream_image_preview_get_position (preview), ==, 2);

  g_assert_true (press_key (GTK_WIDGET (preview), GDK_KEY_Home));
  g_assert_cmpuint (seedream_image_preview_get_position (preview), ==, 0);
  press_key (GTK_WIDGET (preview), GDK_KEY_Page_Up);
  g_assert_cmpuint (seedream_image_preview_get_position (preview), ==, 0);
  g_assert_true (press_key (GTK_WIDGET (preview), GDK_KEY_End));
  g_assert_true (press_key (GTK_WIDGET (preview), GDK_KEY_Left));
  g_assert_cmpuint (seedream_image_preview_get_position (preview), ==, 1);
  g_assert_true (wait_for_condition (preview_is_loaded, preview));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (seedream_image_preview_get_paintable (preview)), ==, 200);
  {
    g_autofree char *suggested = NULL;

    g_object_get (preview, "suggested-name", &suggested, NULL);
    g_assert_cmpstr (suggested, ==, "a-2.png");
  }

  /* Right-to-left: the previous image is to the right. */
  gtk_widget_set_direction (GTK_WIDGET (preview), GTK_TEXT_DIR_RTL);
  g_assert_true (press_key (GTK_WIDGET (preview), GDK_KEY_Right));
  g_assert_cmpuint (seedream_image_preview_get_position (preview), ==, 0);

  adw_dialog_force_close (ADW_DIALOG (preview));
  g_object_unref (preview);
  gtk_window_destroy (window);
}

/* A tile opens the preview on the images of its own task, at itself. */
static void
test_thumbnail_opens_siblings (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *box = gtk_flow_box_new ();
  GtkWidget *tiles[3];
  SeedreamImagePreview *preview = NULL;

  adw_window_set_content (ADW_WINDOW (window), box);
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      g_autofree char *name = g_strdup_printf ("s%u.png", i);
      g_autoptr(GFile) file = write_image (fixture->dir, name, "png", 64 + i, 64, 0x808080ff);

      tiles[i] = seedream_result_thumbnail_new (file, i, G_N_ELEMENTS (tiles));
      gtk_flow_box_append (GTK_FLOW_BOX (box), tiles[i]);
    }
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);

  g_assert_true (gtk_widget_activate_action (tiles[1], "result.open", NULL));
  preview = SEEDREAM_IMAGE_PREVIEW (adw_window_get_visible_dialog (ADW_WINDOW (window)));
  g_assert_nonnull (preview);
  g_assert_cmpuint (seedream_image_preview_get_n_images (preview), ==, 3);
  g_assert_cmpuint (seedream_image_preview_get_position (preview), ==, 1);
  g_assert_true (g_file_equal (seedream_image_preview_get_file (preview),
                               seedream_result_thumbnail_get_file (SEEDREAM_RESULT_THUMBNAIL (tiles[1]))));
  g_assert_true (wait_for_condition (preview_is_loaded, preview));

  adw_dialog_force_close (ADW_DIALOG (preview));
  gtk_window_destroy (window);
}

static gboolean
compare_is_loaded (gpointer data)
{
  return seedream_compare_view_get_loaded (data);
}

/* Compare shows the images in the order given, each named by its number
 * and prompt, at one scale; +, - and 0 zoom them all together. */
/* The view on @items, presented on a 1000x700 window, all loaded. */
static SeedreamCompareView *
present_compare_loaded (GListModel  *items,
                        GtkWindow  **window_out)
{
  GtkWidget *parent = gtk_label_new ("parent");
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  SeedreamCompareView *view;

  adw_window_set_content (ADW_WINDOW (window), parent);
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);

  view = seedream_compare_view_new (items);
  g_object_ref_sink (view);
  adw_dialog_present (ADW_DIALOG (view), parent);
  g_assert_true (wait_for_condition (compare_is_loaded, view));
  *window_out = window;

  return view;
}

static void
test_compare_view (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GListStore) items = g_list_store_new (SEEDREAM_TYPE_COMPARE_ITEM);
  const char *prompts[] = { "a red kite", "a blue kite", "a green kite" };
  const int widths[] = { 400, 200, 300 };
  GtkWindow *window;
  SeedreamCompareView *view;

  for (guint i = 0; i < G_N_ELEMENTS (prompts); i++)
    {
      g_autofree char *name = g_strdup_printf ("c%u.png", i);
      g_autoptr(GFile) file = write_image (fixture->dir, name, "png", widths[i], 200, 0x336699ff);
      g_autoptr(SeedreamCompareItem) item = seedream_compare_item_new (file, prompts[i], "Seedream 4.5", widths[i], 200);

      g_list_store_append (items, item);
    }

  view = present_compare_loaded (G_LIST_MODEL (items), &window);

  g_assert_cmpuint (seedream_compare_view_get_n_items (view), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      SeedreamComparePane *pane = SEEDREAM_COMPARE_PANE (seedream_compare_view_get_pane (view, i));
      int image_width, image_height;

      g_assert_cmpstr (seedream_compare_item_get_prompt (seedream_compare_view_get_item (view, i)), ==, prompts[i]);
      g_assert_nonnull (seedream_compare_pane_get_paintable (pane));
      seedream_compare_pane_get_image_size (pane, &image_width, &image_height);
      g_assert_cmpint (image_width, ==, widths[i]);
      g_assert_cmpint (image_height, ==, 200);
    }
  /* Named for screen readers by number and prompt. */
  {
    g_autofree char *expected = g_strdup_printf ("Image 2: %s", prompts[1]);
    g_autofree char *label = NULL;

    label = gtk_test_accessible_check_property (GTK_ACCESSIBLE (seedream_compare_view_get_pane (view, 1)),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
    g_assert_null (label);
  }
  /* No slider for three. */
  seedream_compare_view_set_slider (view, TRUE);
  g_assert_false (seedream_compare_view_get_slider_shown (view));

  /* The keys zoom every pane together. */
  g_assert_true (press_key (GTK_WIDGET (view), GDK_KEY_plus));
  g_assert_cmpfloat_with_epsilon (seedream_compare_view_get_zoom (view), 1.25, 1e-9);
  for (guint i = 0; i < 3; i++)
    {
      double zoom;

      g_object_get (seedream_compare_view_get_pane (view, i), "zoom", &zoom, NULL);
      g_assert_cmpfloat_with_epsilon (zoom, 1.25, 1e-9);
    }
  /* The same scale in every pane, whatever the image's size. */
  g_assert_cmpfloat_with_epsilon (seedream_compare_pane_get_scale (SEEDREAM_COMPARE_PANE (seedream_compare_view_get_pane (view, 0))),
                                  seedream_compare_pane_get_scale (SEEDREAM_COMPARE_PANE (seedream_compare_view_get_pane (view, 1))),
                                  1e-9);
  /* Panning one pans all. */
  g_object_set (seedream_compare_view_get_pane (view, 2), "center-x", 0.25, NULL);
  {
    double center;

    g_object_get (seedream_compare_view_get_pane (view, 0), "center-x", &center, NULL);
    g_assert_cmpfloat_with_epsilon (center, 0.25, 1e-9);
  }
  g_assert_true (press_key (GTK_WIDGET (view), GDK_KEY_minus));
  g_assert_true (press_key (GTK_WIDGET (view), GDK_KEY_plus));
  g_assert_true (press_key (GTK_WIDGET (view), GDK_KEY_0));
  g_assert_cmpfloat_with_epsilon (seedream_compare_view_get_zoom (view), 1.0, 1e-9);
  {
    double center;

    /* Fitted again: centred. */
    g_object_get (seedream_compare_view_get_pane (view, 0), "center-x", &center, NULL);
    g_assert_cmpfloat_with_epsilon (center, 0.5, 1e-9);
  }

  adw_dialog_force_close (ADW_DIALOG (view));
  g_object_unref (view);
  gtk_window_destroy (window);
}

static int
pane_texture_width (SeedreamCompareView *view,
                    guint                position)
{
  GdkPaintable *paintable = seedream_compare_pane_get_paintable (SEEDREAM_COMPARE_PANE (seedream_compare_view_get_pane (view, position)));

  return paintable != NULL ? gdk_paintable_get_intrinsic_width (paintable) : 0;
}

static gboolean
compare_is_sharp (gpointer data)
{
  /* The smaller image is not made larger than it is. */
  return pane_texture_width (data, 0) == 1600 && pane_texture_width (data, 1) == 1200;
}

/* Large images are decoded first at the size shown, then, once zoomed
 * in, sharper (at most 1600 px), all panes together and at one scale. */
static void
test_compare_decode_size (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GListStore) items = g_list_store_new (SEEDREAM_TYPE_COMPARE_ITEM);
  GtkWindow *window;
  SeedreamCompareView *view;
  double scale;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("large%u.png", i);
      int width = i == 0 ? 2400 : 1200;
      g_autoptr(GFile) file = write_image (fixture->dir, name, "png", width, 1200, 0x336699ff);
      g_autoptr(SeedreamCompareItem) item = seedream_compare_item_new (file, name, NULL, width, 1200);

      g_list_store_append (items, item);
    }

  view = present_compare_loaded (G_LIST_MODEL (items), &window);

  /* Two panes of a dialog under 1000 px: far smaller than the images. */
  g_assert_cmpint (pane_texture_width (view, 0), >, 0);
  g_assert_cmpint (pane_texture_width (view, 0), <=, 640);
  scale = seedream_compare_pane_get_scale (SEEDREAM_COMPARE_PANE (seedream_compare_view_get_pane (view, 0)));
  g_assert_cmpfloat (scale, >, 0.0);

  g_object_set (seedream_compare_view_get_pane (view, 0), "zoom", 8.0, NULL);
  g_assert_true (wait_for_condition (compare_is_sharp, view));
  /* The same place on screen for a pixel: the scale follows the images'
   * own sizes, not their textures'. */
  g_assert_cmpfloat_with_epsilon (seedream_compare_pane_get_scale (SEEDREAM_COMPARE_PANE (seedream_compare_view_get_pane (view, 1))),
                                  scale * 8.0, 1e-9);

  adw_dialog_force_close (ADW_DIALOG (view));
  g_object_unref (view);
  gtk_window_destroy (window);
}

static gboolean
compare_texture_wider (gpointer data)
{
  SeedreamCompareView *view = data;
  int before = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (view), "test-width-before"));

  return pane_texture_width (view, 0) > before;
}

/* Made larger without a zoom, the view decodes the images again at the
 * size they are now shown. */
static void
test_compare_decode_on_resize (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GListStore) items = g_list_store_new (SEEDREAM_TYPE_COMPARE_ITEM);
  GtkWidget *parent = gtk_label_new ("parent");
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  SeedreamCompareView *view;
  int before;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("resized%u.png", i);
      g_autoptr(GFile) file = write_image (fixture->dir, name, "png", 2400, 2400, 0x336699ff);
      g_autoptr(SeedreamCompareItem) item = seedream_compare_item_new (file, name, NULL, 2400, 2400);

      g_list_store_append (items, item);
    }

  adw_window_set_content (ADW_WINDOW (window), parent);
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);
  view = seedream_compare_view_new (G_LIST_MODEL (items));
  g_object_ref_sink (view);
  adw_dialog_set_content_width (ADW_DIALOG (view), 420);
  adw_dialog_set_content_height (ADW_DIALOG (view), 320);
  adw_dialog_present (ADW_DIALOG (view), parent);
  g_assert_true (wait_for_condition (compare_is_loaded, view));

  before = pane_texture_width (view, 0);
  g_assert_cmpint (before, >, 0);
  g_object_set_data (G_OBJECT (view), "test-width-before", GINT_TO_POINTER (before));
  adw_dialog_set_content_width (ADW_DIALOG (view), 980);
  adw_dialog_set_content_height (ADW_DIALOG (view), 680);
  g_assert_true (wait_for_condition (compare_texture_wider, view));
  /* Both panes, at one size: the second is as sharp as the first. */
  g_assert_cmpint (pane_texture_width (view, 1), ==, pane_texture_width (view, 0));
  g_assert_cmpfloat_with_epsilon (seedream_compare_view_get_zoom (view), 1.0, 1e-9);

  adw_dialog_force_close (ADW_DIALOG (view));
  g_object_unref (view);
  gtk_window_destroy (window);
}

/* Two images on the before/after slider: the divider moves by key, and
 * its value is what a screen reader is told. */
static void
test_compare_slider_keys (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GListStore) items = g_list_store_new (SEEDREAM_TYPE_COMPARE_ITEM);
  GtkWidget *parent = gtk_label_new ("parent");
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  SeedreamCompareView *view;
  GtkWidget *slider;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("s%u.png", i);
      g_autoptr(GFile) file = write_image (fixture->dir, name, "png", 100, 100, i ? 0xffffffff : 0x000000ff);
      g_autoptr(SeedreamCompareItem) item = seedream_compare_item_new (file, i ? "after" : "before", NULL, 0, 0);

      g_list_store_append (items, item);
    }

  adw_window_set_content (ADW_WINDOW (window), parent);
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_present (window);
  view = seedream_compare_view_new (G_LIST_MODEL (items));
  g_object_ref_sink (view);
  adw_dialog_present (ADW_DIALOG (view), parent);
  seedream_compare_view_set_slider (view, TRUE);
  g_assert_true (seedream_compare_view_get_slider_shown (view));
  g_assert_true (wait_for_condition (compare_is_loaded, view));

  slider = seedream_compare_view_get_slider (view);
  g_assert_cmpfloat_with_epsilon (seedream_compare_slider_get_position (SEEDREAM_COMPARE_SLIDER (slider)), 0.5, 1e-9);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (slider), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 50.0));
  g_assert_true (press_key (slider, GDK_KEY_Right));
  g_assert_cmpfloat_with_epsilon (seedream_compare_slider_get_position (SEEDREAM_COMPARE_SLIDER (slider)), 0.55, 1e-9);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (slider), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 55.0));
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (slider), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                                     "55 % of “before”, 45 % of “after”"));
  g_assert_true (press_key (slider, GDK_KEY_Home));
  g_assert_cmpfloat_with_epsilon (seedream_compare_slider_get_position (SEEDREAM_COMPARE_SLIDER (slider)), 0.0, 1e-9);
  g_assert_true (press_key (slider, GDK_KEY_Left));
  g_assert_cmpfloat_with_epsilon (seedream_compare_slider_get_position (SEEDREAM_COMPARE_SLIDER (slider)), 0.0, 1e-9);
  g_assert_true (press_key (slider, GDK_KEY_Page_Up));
  g_assert_cmpfloat_with_epsilon (seedream_compare_slider_get_position (SEEDREAM_COMPARE_SLIDER (slider)), 0.25, 1e-9);
  g_assert_true (press_key (slider, GDK_KEY_End));
  g_assert_cmpfloat_with_epsilon (seedream_compare_slider_get_position (SEEDREAM_COMPARE_SLIDER (slider)), 1.0, 1e-9);

  adw_dialog_force_close (ADW_DIALOG (view));
  g_object_unref (view);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/seedream/thumbnail-loader/scales", test_loader_scales);
  ADD ("/seedream/thumbnail-loader/small-and-full-size", test_loader_small_and_full_size);
  ADD ("/seedream/thumbnail-loader/refuses-huge-header", test_loader_refuses_huge_header);
  ADD ("/seedream/thumbnail-loader/result-limit", test_loader_result_limit);
  ADD ("/seedream/thumbnail-loader/refuses-huge-frame-late-in-file", test_loader_refuses_huge_frame_late_in_file);
  ADD ("/seedream/thumbnail-loader/cancels", test_loader_cancels);
  ADD ("/seedream/thumbnail-loader/errors", test_loader_errors);
  ADD ("/seedream/thumbnail-loader/queues-thumbnails", test_loader_queues_thumbnails);
  ADD ("/seedream/result-thumbnail/actions", test_thumbnail_actions);
  ADD ("/seedream/result-thumbnail/missing-file", test_thumbnail_missing_file);
  ADD ("/seedream/result-thumbnail/signals", test_thumbnail_signals);
  ADD ("/seedream/result-thumbnail/accessible", test_thumbnail_accessible);
  ADD ("/seedream/result-thumbnail/star", test_thumbnail_star);
  g_test_add_func ("/seedream/result-thumbnail/suggested-name", test_suggested_name);
  ADD ("/seedream/result-thumbnail/save-copy-identical", test_save_copy_identical);
  ADD ("/seedream/result-thumbnail/save-copy-error", test_save_copy_error);
  ADD ("/seedream/result-thumbnail/drag-content", test_drag_content);
  ADD ("/seedream/image-preview/loads", test_preview_loads);
  ADD ("/seedream/image-preview/error-is-plain-text", test_preview_error_is_plain_text);
  ADD ("/seedream/image-preview/navigates", test_preview_navigates);
  ADD ("/seedream/image-preview/opened-on-siblings", test_thumbnail_opens_siblings);
  ADD ("/seedream/compare-view/order-scale-zoom", test_compare_view);
  ADD ("/seedream/compare-view/slider-keys", test_compare_slider_keys);
  ADD ("/seedream/compare-view/decode-size", test_compare_decode_size);
  ADD ("/seedream/compare-view/decode-on-resize", test_compare_decode_on_resize);

#undef ADD

  return g_test_run ();
}
