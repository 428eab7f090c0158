/* test-bad-input.c: what a person may hand the core that is not a good
 * image or prompt.
 *
 * Source files: not images, empty, truncated PNG and JPEG, a 20000 × 20000
 * PNG header (a decompression bomb), unreadable, folders, a symbolic link
 * to /dev/zero, a FIFO, too many, names that are not UTF-8. Each must be
 * refused with a message in words that names the file (and is valid
 * UTF-8), or accepted for what it is; never a crash, never a hang (every
 * check runs on a worker thread behind a hang guard), never unbounded
 * memory.
 *
 * Prompts: empty and blank ones are refused with a reason; 1 and 100,000
 * characters, emoji, right-to-left text and control characters reach the
 * mock server byte for byte (its request log holds the fields it parsed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "mock-fixture.h"
#include "seedream-error.h"
#include "seedream-model.h"
#include "seedream-request.h"

/* Generous: a check reads at most 256 KiB. Only a hang reaches it. */
#define HANG_GUARD_SECONDS 60

/* Helpers {{{1 */

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("seedream-bad-input-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Unreadable files and folders must be removable again. */
  g_chmod (fixture->dir, 0700);
  seedream_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

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

/* zlib-compressed zeros: the start of the pixel rows of a black image. */
static GBytes *
compressed_zeros (gsize len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GBytes) plain = g_bytes_new_take (g_malloc0 (len), len);
  g_autoptr(GInputStream) zeros = g_memory_input_stream_new_from_bytes (plain);
  g_autoptr(GInputStream) compressed = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  compressed = g_converter_input_stream_new (zeros, G_CONVERTER (compressor));
  bytes = g_input_stream_read_bytes (compressed, 1024 * 1024, NULL, &error);
  g_assert_no_error (error);

  return bytes;
}

/* A well-formed PNG whose header claims @width × @height pixels (RGB,
 * 8 bits), with its first 64 KiB of rows: a decoder that believed the
 * header would allocate width × height × 3 bytes before reading on. */
static GBytes *
make_bomb_png (guint32 width,
               guint32 height)
{
  GByteArray *png = g_byte_array_new ();
  g_autoptr(GBytes) idat = compressed_zeros (64 * 1024);
  guint8 ihdr[13] = { 0 };

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  ihdr[0] = width >> 24;
  ihdr[1] = width >> 16;
  ihdr[2] = width >> 8;
  ihdr[3] = width;
  ihdr[4] = height >> 24;
  ihdr[5] = height >> 16;
  ihdr[6] = height >> 8;
  ihdr[7] = height;
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 2;   /* RGB */
  seedream_test_png_append_chunk (png, "IHDR", ihdr, sizeof ihdr);
  seedream_test_png_append_chunk (png, "IDAT", g_bytes_get_data (idat, NULL), g_bytes_get_size (idat));
  seedream_test_png_append_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (png);
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static gboolean
result_arrived (gpointer data)
{
  Wait *wait = data;

  return wait->result != NULL;
}

/* seedream_source_image_check() on a worker thread, behind a hang guard:
 * a check that blocks fails the test instead of stopping it. */
static SeedreamSourceImage *
check_file (GFile   *file,
            GError **error)
{
  Wait wait = { NULL };
  SeedreamSourceImage *image;

  seedream_source_image_check_async (file, NULL, NULL, mock_fixture_store_result, &wait.result);
  if (!seedream_test_wait_until (result_arrived, &wait, HANG_GUARD_SECONDS))
    g_error ("checking %s did not finish: it hangs", g_file_peek_path (file));

  image = seedream_source_image_check_finish (wait.result, error);
  g_object_unref (wait.result);

  return image;
}

/* Refused, with a valid UTF-8 message that names the file and contains
 * @reason. Returns the message. */
static char *
assert_refused (GFile      *file,
                const char *name,
                const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamSourceImage) image = check_file (file, &error);

  g_assert_null (image);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (name != NULL)
    g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, reason));

  return g_strdup (error->message);
}

static glong
max_rss_kib (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);

  return usage.ru_maxrss;
}

/* Tests: source files {{{1 */

static void
test_source_not_image (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char html[] = "<!DOCTYPE html><html><body>not a picture</body></html>\n";
  g_autoptr(GFile) text = seedream_test_write_file (fixture->dir, "notes.png", "just some words\n", 16);
  g_autoptr(GFile) page = seedream_test_write_file (fixture->dir, "page.jpg", html, sizeof html - 1);
  g_autofree char *m1 = assert_refused (text, "“notes.png”", "is not an image");
  g_autofree char *m2 = assert_refused (page, "“page.jpg”", "is not an image");

  /* The message says what would do. */
  g_assert_nonnull (strstr (m1, "PNG"));
  g_assert_nonnull (strstr (m1, "JPEG"));
}

static void
test_source_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) empty = seedream_test_write_file (fixture->dir, "empty.png", "", 0);
  g_autofree char *message = assert_refused (empty, "“empty.png”", "is empty");
}

/* Cut inside the header: the whole file is read and has no size in it. */
static void
test_source_truncated_header (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GFile) png = write_image_head (fixture, "cut.png", "rgb-300x257.png", 20);
  g_autoptr(GFile) jpeg = write_image_head (fixture, "cut.jpg", "baseline-300x257.jpg", 40);
  g_autoptr(GFile) signature = write_image_head (fixture, "signature.png", "rgb-300x257.png", 8);
  g_autofree char *m1 = assert_refused (png, "“cut.png”", "damaged or incomplete PNG image");
  g_autofree char *m2 = assert_refused (jpeg, "“cut.jpg”", "damaged or incomplete JPEG image");
  g_autofree char *m3 = assert_refused (signature, "“signature.png”", "damaged or incomplete");
}

/* Cut after the header: the check reads the head only and decodes
 * nothing, so it takes the file for what its header says; the thumbnail
 * loader (test-bad-input-ui) is what finds the rest missing. */
static void
test_source_truncated_body (Fixture       *fixture,
                            gconstpointer  data)
{
  const struct {
    const char *image;
    const char *name;
    const char *mime_type;
  } cases[] = {
    { "rgb-300x257.png", "half.png", "image/png" },
    { "baseline-300x257.jpg", "half.jpg", "image/jpeg" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) whole = seedream_test_load_image (cases[i].image);
      gsize half = g_bytes_get_size (whole) / 2;
      g_autoptr(GFile) file = write_image_head (fixture, cases[i].name, cases[i].image, half);
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamSourceImage) image = check_file (file, &error);

      g_assert_no_error (error);
      g_assert_nonnull (image);
      g_assert_cmpstr (seedream_source_image_get_mime_type (image), ==, cases[i].mime_type);
      g_assert_cmpuint (seedream_source_image_get_size (image), ==, half);
      g_assert_cmpuint (seedream_source_image_get_width (image), ==, 300);
      g_assert_cmpuint (seedream_source_image_get_height (image), ==, 257);
    }
}

static void
test_source_decompression_bomb (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GBytes) bomb = make_bomb_png (20000, 20000);
  g_autoptr(GBytes) wide = make_bomb_png (2000000000, 1);
  g_autoptr(GFile) file = seedream_test_write_file (fixture->dir, "bomb.png", g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb));
  g_autoptr(GFile) wide_file = seedream_test_write_file (fixture->dir, "wide.png", g_bytes_get_data (wide, NULL), g_bytes_get_size (wide));
  glong rss_before = max_rss_kib ();
  g_autofree char *message = NULL;
  g_autofree char *wide_message = NULL;

  /* A few hundred bytes that claim 1.2 GB of pixels. */
  g_assert_cmpuint (g_bytes_get_size (bomb), <, 1024);
  message = assert_refused (file, "“bomb.png”", "is too large");
  g_assert_nonnull (strstr (message, "20000 × 20000"));
  wide_message = assert_refused (wide_file, "“wide.png”", "is too large");

  /* Refused from the header: nothing near width × height was allocated. */
  g_assert_cmpint (max_rss_kib () - rss_before, <, 64 * 1024);
}

static void
test_source_unreadable (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GFile) file = write_image_head (fixture, "secret.png", "rgb-300x257.png", 0);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *message = NULL;

  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  if (access (path, R_OK) == 0)
    {
      /* root (the build root runs tests as root) reads anything. */
      g_test_skip ("a file with mode 000 is still readable here (running as root?)");
      return;
    }

  message = assert_refused (file, "“secret.png”", "permission denied");
}

static void
test_source_folder (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "holiday.png", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autofree char *message = NULL;
  g_autoptr(GFile) root = g_file_new_for_path ("/");
  g_autofree char *root_message = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  message = assert_refused (folder, "“holiday.png”", "is a folder");
  root_message = assert_refused (root, NULL, "is a folder");
}

/* /dev/zero never ends: a check that read it to the end would never come
 * back and would grow without bound. */
static void
test_source_dev_zero (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *link = g_build_filename (fixture->dir, "zero.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (link);
  g_autoptr(GFile) device = g_file_new_for_path ("/dev/zero");
  glong rss_before;
  g_autofree char *message = NULL;
  g_autofree char *device_message = NULL;

  if (!g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/zero here");
      return;
    }

  g_assert_cmpint (symlink ("/dev/zero", link), ==, 0);
  rss_before = max_rss_kib ();
  message = assert_refused (file, "“zero.png”", "is not a regular file");
  device_message = assert_refused (device, "“zero”", "is not a regular file");
  g_assert_cmpint (max_rss_kib () - rss_before, <, 64 * 1024);
}

/* Opening a FIFO for reading blocks until a writer comes: none will. */
static void
test_source_fifo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "pipe.png", NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "to-pipe.png", NULL);
  g_autoptr(GFile) fifo = g_file_new_for_path (path);
  g_autoptr(GFile) via_link = g_file_new_for_path (link);
  g_autofree char *message = NULL;
  g_autofree char *link_message = NULL;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_assert_cmpint (symlink (path, link), ==, 0);
  message = assert_refused (fifo, "“pipe.png”", "is not a regular file");
  link_message = assert_refused (via_link, "“to-pipe.png”", "is not a regular file");
}

static void
test_source_broken_link (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *link = g_build_filename (fixture->dir, "dangling.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (link);
  g_autofree char *message = NULL;

  g_assert_cmpint (symlink ("/nonexistent/seedream/nothing.png", link), ==, 0);
  message = assert_refused (file, "“dangling.png”", "does not exist");
}

static void
test_source_too_many (Fixture       *fixture,
                      gconstpointer  data)
{
  const SeedreamModel *model = seedream_model_get_default ();
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamMultipartStream) body = NULL;
  g_autofree char *expected = NULL;

  seedream_request_set_prompt (request, "Many references");
  for (guint i = 0; i < model->max_source_images + 1; i++)
    {
      g_autofree char *name = g_strdup_printf ("image-%02u.png", i);
      g_autoptr(GFile) file = write_image_head (fixture, name, "rgb-300x257.png", 0);

      g_assert_true (seedream_request_add_source_file (request, file));
    }

  g_assert_false (seedream_request_validate (request, &error));
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
  expected = g_strdup_printf ("at most %u (you added %u)",
                              model->max_source_images, model->max_source_images + 1);
  g_assert_nonnull (strstr (error->message, expected));
  g_clear_error (&error);

  /* Nothing is built, nothing read. */
  body = seedream_request_build_body (request, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
}

/* Latin-1 "café" and two bytes that are never UTF-8. */
#define NON_UTF8_STEM "caf\xe9-\xff\xfe"

static void
test_source_non_utf8_name (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GFile) text = seedream_test_write_file (fixture->dir, NON_UTF8_STEM ".txt", "hello", 5);
  g_autoptr(GFile) png = write_image_head (fixture, NON_UTF8_STEM ".png", "rgb-300x257.png", 0);
  g_autoptr(GFile) empty = seedream_test_write_file (fixture->dir, NON_UTF8_STEM "-empty.png", "", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamSourceImage) image = NULL;
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;
  const char *display_name;

  g_assert_false (g_utf8_validate (g_file_peek_path (text), -1, NULL));

  /* The messages are valid UTF-8 and still name the file. */
  m1 = assert_refused (text, "caf", "is not an image");
  g_assert_nonnull (strstr (m1, ".txt"));
  m2 = assert_refused (empty, "caf", "is empty");
  g_assert_nonnull (strstr (m2, "-empty.png"));

  /* A good image with such a name is an image like any other. */
  image = check_file (png, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  display_name = seedream_source_image_get_display_name (image);
  g_assert_true (g_utf8_validate (display_name, -1, NULL));
  g_assert_true (g_str_has_prefix (display_name, "caf"));
  g_assert_nonnull (strstr (display_name, ".png"));
}

/* Through the client: the part's filename is UTF-8 too, and the mock,
 * which parses the body as a server would, takes it. */
static void
test_source_non_utf8_name_sent (Fixture       *fixture,
                                gconstpointer  data)
{
  MockFixture fx = { 0 };
  g_autoptr(SeedreamRequest) request = seedream_request_new ();
  g_autoptr(GFile) png = write_image_head (fixture, NON_UTF8_STEM ".png", "rgb-300x257.png", 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *task_id = NULL;
  JsonArray *files;
  const char *filename;

  mock_fixture_start (&fx, 1);
  seedream_request_set_prompt (request, "A café");
  seedream_request_add_source_file (request, png);
  seedream_client_submit_async (fx.client, request, NULL, NULL, NULL, NULL,
                                mock_fixture_store_result, &result);
  mock_fixture_wait_for (&result);
  task_id = seedream_client_submit_finish (fx.client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task_id);

  records = mock_fixture_log (&fx, "POST", MOCK_FIXTURE_SUBMIT_PATH);
  g_assert_cmpuint (records->len, ==, 1);
  files = json_object_get_array_member (records->pdata[0], "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 1);
  filename = json_object_get_string_member (json_array_get_object_element (files, 0), "filename");
  g_assert_true (g_utf8_validate (filename, -1, NULL));
  g_assert_true (g_str_has_prefix (filename, "caf"));
  g_assert_nonnull (strstr (filename, ".png"));

  mock_fixture_stop (&fx);
}

/* Tests: prompts {{{1 */

static void
test_prompt_refused (void)
{
  const char *prompts[] = { "", " ", "\t\n  \r\n", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (prompts); i++)
    {
      g_autoptr(SeedreamRequest) request = seedream_request_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(SeedreamMultipartStream) body = NULL;

      seedream_request_set_prompt (request, prompts[i]);
      g_assert_false (seedream_request_validate (request, &error));
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, ==, "Prompt: describe the image you want");
      g_clear_error (&error);

      body = seedream_request_build_body (request, NULL, &error);
      g_assert_null (body);
      g_assert_error (error, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT);
    }
}

/* Exactly @n_chars characters, ASCII and not. */
static char *
long_prompt (guint n_chars)
{
  static const char * const words[] = { "A ", "lighthouse ", "🌅 ", "на ", "скале, ", "水彩 ", "שלום ", "«dawn» " };
  GString *prompt = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; n < n_chars; i++)
    {
      const char *word = words[i % G_N_ELEMENTS (words)];

      for (const char *p = word; *p != '\0' && n < n_chars; p = g_utf8_next_char (p))
        {
          /* Never end on a blank, which would be trimmed. */
          if (n == n_chars - 1 && *p == ' ')
            g_string_append_c (prompt, '.');
          else
            g_string_append_len (prompt, p, g_utf8_next_char (p) - p);
          n++;
        }
    }

  return g_string_free (prompt, FALSE);
}

static void
test_prompt_sent_intact (void)
{
  MockFixture fx = { 0 };
  g_autofree char *huge = long_prompt (100000);
  g_autofree char *controls = NULL;
  struct {
    const char *what;
    const char *prompt;
    const char *sent;   /* NULL: the prompt itself */
  } cases[] = {
    { "one character", "a", NULL },
    { "one emoji", "🦊", NULL },
    { "100,000 characters", huge, NULL },
    { "emoji with joiners and modifiers", "A family 👩‍👩‍👧‍👦, a flag 🏳️‍🌈, a thumb 👍🏽 and a fox 🦊", NULL },
    { "right to left", "מגדלור על צוק עם שחר، منارة على جرف عند الفجر", NULL },
    { "mixed direction with marks", "\xe2\x80\x8f" "abc \xe2\x80\xae" "def\xe2\x80\xac ghi\xe2\x80\x8e", NULL },
    { "combining and wide", "e\xcc\x81\xcc\xa7 𝕏 ﷽ 한국어 の", NULL },
    { "control characters", NULL, NULL },
    { "blanks around", "  \t a cat on a mat \n\n", "a cat on a mat" },
  };
  GString *with_controls = g_string_new ("start");

  /* Every C0 control but NUL, and DEL, in the middle. */
  for (guint c = 1; c < 0x20; c++)
    g_string_append_c (with_controls, (char) c);
  g_string_append (with_controls, "\x7f" "end");
  controls = g_string_free (with_controls, FALSE);
  cases[7].prompt = controls;

  g_assert_cmpint (g_utf8_strlen (huge, -1), ==, 100000);

  mock_fixture_start (&fx, 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SeedreamRequest) request = seedream_request_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = NULL;
      g_autofree char *task_id = NULL;
      const char *expected = cases[i].sent != NULL ? cases[i].sent : cases[i].prompt;
      JsonObject *fields;
      const char *received;

      g_test_message ("prompt: %s", cases[i].what);
      g_assert_true (g_utf8_validate (cases[i].prompt, -1, NULL));

      seedream_request_set_prompt (request, cases[i].prompt);
      g_assert_true (seedream_request_validate (request, &error));
      g_assert_no_error (error);

      seedream_client_submit_async (fx.client, request, NULL, NULL, NULL, NULL,
                                    mock_fixture_store_result, &result);
      mock_fixture_wait_for (&result);
      task_id = seedream_client_submit_finish (fx.client, result, &error);
      g_assert_no_error (error);
      g_assert_nonnull (task_id);

      records = mock_fixture_log (&fx, "POST", MOCK_FIXTURE_SUBMIT_PATH);
      g_assert_cmpuint (records->len, ==, i + 1);
      g_assert_cmpstr (json_object_get_string_member (records->pdata[i], "task_id"), ==, task_id);
      fields = json_object_get_object_member (records->pdata[i], "fields");
      received = json_object_get_string_member (fields, "prompt");
      g_assert_nonnull (received);
      g_assert_cmpuint (strlen (received), ==, strlen (expected));
      g_assert_true (strcmp (received, expected) == 0);
    }

  mock_fixture_stop (&fx);
}

/* main {{{1 */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/seedream/bad-input/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("source/not-image", test_source_not_image);
  ADD ("source/empty", test_source_empty);
  ADD ("source/truncated-header", test_source_truncated_header);
  ADD ("source/truncated-body", test_source_truncated_body);
  ADD ("source/decompression-bomb", test_source_decompression_bomb);
  ADD ("source/unreadable", test_source_unreadable);
  ADD ("source/folder", test_source_folder);
  ADD ("source/dev-zero", test_source_dev_zero);
  ADD ("source/fifo", test_source_fifo);
  ADD ("source/broken-link", test_source_broken_link);
  ADD ("source/too-many", test_source_too_many);
  ADD ("source/non-utf8-name", test_source_non_utf8_name);
  ADD ("source/non-utf8-name-sent", test_source_non_utf8_name_sent);

#undef ADD

  g_test_add_func ("/seedream/bad-input/prompt/refused", test_prompt_refused);
  g_test_add_func ("/seedream/bad-input/prompt/sent-intact", test_prompt_sent_intact);

  return g_test_run ();
}
