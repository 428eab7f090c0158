/* test-draft.c: the compose form survives closing the window and a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <errno.h>
#include <pwd.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "seedream-draft.h"
#include "seedream-test-util.h"

/* A file in this test's own data directory (G_TEST_OPTION_ISOLATE_DIRS). */
static GFile *
test_file (const char *name)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "drafts", name, NULL);

  return g_file_new_for_path (path);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static guint
count_dir_entries (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static void
assert_defaults (SeedreamDraft *draft)
{
  g_assert_cmpstr (seedream_request_get_prompt (seedream_draft_get_request (draft)), ==, "");
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (draft)), ==, "2K");
  g_assert_cmpuint (seedream_request_get_batch_size (seedream_draft_get_request (draft)), ==, 1);
  g_assert_cmpstr (seedream_request_get_image_url (seedream_draft_get_request (draft)), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (draft))), ==, 0);
}

static void
assert_same_contents (SeedreamDraft *a,
                      SeedreamDraft *b)
{
  GListModel *files_a = seedream_request_get_source_files (seedream_draft_get_request (a));
  GListModel *files_b = seedream_request_get_source_files (seedream_draft_get_request (b));

  g_assert_cmpstr (seedream_request_get_prompt (seedream_draft_get_request (a)), ==, seedream_request_get_prompt (seedream_draft_get_request (b)));
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (a)), ==, seedream_request_get_resolution (seedream_draft_get_request (b)));
  g_assert_cmpuint (seedream_request_get_batch_size (seedream_draft_get_request (a)), ==, seedream_request_get_batch_size (seedream_draft_get_request (b)));
  g_assert_cmpstr (seedream_request_get_image_url (seedream_draft_get_request (a)), ==, seedream_request_get_image_url (seedream_draft_get_request (b)));
  g_assert_cmpuint (g_list_model_get_n_items (files_a), ==, g_list_model_get_n_items (files_b));

  for (guint i = 0; i < g_list_model_get_n_items (files_a); i++)
    {
      g_autoptr(GFile) file_a = g_list_model_get_item (files_a, i);
      g_autoptr(GFile) file_b = g_list_model_get_item (files_b, i);
      g_autofree char *path_a = g_file_get_path (file_a);
      g_autofree char *path_b = g_file_get_path (file_b);

      g_assert_cmpstr (path_a, ==, path_b);
    }
}

static SeedreamDraft *
load_new (GFile *file)
{
  g_autoptr(GError) error = NULL;
  SeedreamDraft *draft = seedream_draft_new (file);

  seedream_draft_load (draft, &error);
  g_assert_no_error (error);

  return draft;
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

/* For g_signal_connect_swapped(): the counter comes first, the rest is ignored. */
static void
count_swapped_cb (guint *count)
{
  (*count)++;
}

static void
test_draft_defaults (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(SeedreamRequest) request = NULL;
  gboolean autosave = TRUE;

  g_assert_true (seedream_draft_get_file (draft) == file);
  assert_defaults (draft);

  /* No file yet: defaults, and no error. */
  g_assert_true (seedream_draft_load (draft, &error));
  g_assert_no_error (error);
  assert_defaults (draft);
  g_assert_false (g_file_query_exists (file, NULL));
  g_assert_false (seedream_draft_is_save_pending (draft));

  g_object_get (draft,
                "request", &request,
                "autosave", &autosave,
                NULL);
  g_assert_true (request == seedream_draft_get_request (draft));
  g_assert_false (autosave);
}

static void
test_draft_default_file (void)
{
  g_autoptr(GFile) file = seedream_draft_get_default_file ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), APP_ID, "draft.ini", NULL);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GError) error = NULL;
  GStatBuf buf;

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* The folder is made on the first save, private to the user. */
  seedream_request_set_prompt (seedream_draft_get_request (draft), "a lighthouse at dusk");
  g_assert_true (seedream_draft_save (draft, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (dir, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
}

static void
test_draft_round_trip (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(SeedreamDraft) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *odd_path = g_build_filename (g_get_user_data_dir (),
                                                "odd; name,\t[x]=#\n%20é.png", NULL);
  g_autoptr(GFile) first = g_file_new_for_path ("/nonexistent/first image.png");
  g_autoptr(GFile) odd = g_file_new_for_path (odd_path);
  g_autoptr(GFile) third = g_file_new_for_path ("/tmp/3.webp");
  GListModel *files;

  write_file (odd_path, "not really a png", -1);

  seedream_request_set_prompt (seedream_draft_get_request (draft), "A red fox\nin the snow; 雪の中の狐 🦊");
  seedream_request_set_resolution (seedream_draft_get_request (draft), "3750x1250");
  seedream_request_set_model (seedream_draft_get_request (draft), seedream_model_lookup ("seedreamv5"));
  seedream_request_set_batch_size (seedream_draft_get_request (draft), 7);
  seedream_request_set_image_url (seedream_draft_get_request (draft), "https://example.com/a b.png?x=1;y=2#frag");
  g_assert_true (seedream_request_add_source_file (seedream_draft_get_request (draft), first));
  g_assert_true (seedream_request_add_source_file (seedream_draft_get_request (draft), odd));
  g_assert_true (seedream_request_add_source_file (seedream_draft_get_request (draft), third));

  g_assert_true (seedream_draft_save (draft, &error));
  g_assert_no_error (error);

  loaded = load_new (file);
  assert_same_contents (draft, loaded);
  g_assert_cmpstr (seedream_request_get_prompt (seedream_draft_get_request (loaded)), ==,
                   "A red fox\nin the snow; 雪の中の狐 🦊");
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (loaded)), ==, "3750x1250");
  g_assert_true (seedream_request_get_model (seedream_draft_get_request (loaded)) == seedream_model_lookup ("seedreamv5"));
  g_assert_cmpuint (seedream_request_get_batch_size (seedream_draft_get_request (loaded)), ==, 7);
  g_assert_cmpstr (seedream_request_get_image_url (seedream_draft_get_request (loaded)), ==,
                   "https://example.com/a b.png?x=1;y=2#frag");

  files = seedream_request_get_source_files (seedream_draft_get_request (loaded));
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 3);
  {
    g_autoptr(GFile) item = g_list_model_get_item (files, 1);
    g_autofree char *path = g_file_get_path (item);

    g_assert_cmpstr (path, ==, odd_path);
  }

  /* A preset resolution, and the bounds of the batch size. */
  seedream_request_set_resolution (seedream_draft_get_request (draft), "16:9");
  seedream_request_set_batch_size (seedream_draft_get_request (draft), 15);
  seedream_request_clear_source_files (seedream_draft_get_request (draft));
  g_assert_true (seedream_draft_save (draft, &error));
  g_assert_no_error (error);

  /* Loading into a draft that has other contents replaces them all. */
  g_assert_true (seedream_draft_load (loaded, &error));
  g_assert_no_error (error);
  assert_same_contents (draft, loaded);
  g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (loaded)), ==, "16:9");
  g_assert_cmpuint (seedream_request_get_batch_size (seedream_draft_get_request (loaded)), ==, 15);
  g_assert_cmpuint (g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (loaded))), ==, 0);
}

static void
test_draft_notify (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  SeedreamRequest *request = seedream_draft_get_request (draft);
  guint changed = 0;
  guint notify_prompt = 0;
  guint notify_batch = 0;
  guint notify_resolution = 0;
  guint notify_url = 0;

  /* The draft holds one request for its whole life. */
  g_assert_true (SEEDREAM_IS_REQUEST (request));
  g_assert_true (seedream_draft_get_request (draft) == request);

  g_signal_connect (draft, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect_swapped (request, "notify::prompt", G_CALLBACK (count_swapped_cb), &notify_prompt);
  g_signal_connect_swapped (request, "notify::batch-size",
                            G_CALLBACK (count_swapped_cb), &notify_batch);
  g_signal_connect_swapped (request, "notify::resolution",
                            G_CALLBACK (count_swapped_cb), &notify_resolution);
  g_signal_connect_swapped (request, "notify::image-url", G_CALLBACK (count_swapped_cb), &notify_url);

  seedream_request_set_prompt (request, "x");
  seedream_request_set_prompt (request, "x");
  g_object_set (request, "prompt", "x", NULL);
  g_assert_cmpuint (notify_prompt, ==, 1);
  g_assert_cmpuint (changed, ==, 1);

  seedream_request_set_prompt (request, NULL);
  g_assert_cmpstr (seedream_request_get_prompt (request), ==, "");
  g_assert_cmpuint (notify_prompt, ==, 2);
  g_assert_cmpuint (changed, ==, 2);

  /* The form keeps any size (validation says what is wrong); setting the
   * current value is no change. */
  seedream_request_set_batch_size (request, 1);
  g_assert_cmpuint (notify_batch, ==, 0);
  seedream_request_set_batch_size (request, 15);
  g_assert_cmpuint (seedream_request_get_batch_size (request), ==, 15);
  g_assert_cmpuint (notify_batch, ==, 1);
  g_object_set (request, "batch-size", 15, NULL);
  g_assert_cmpuint (notify_batch, ==, 1);
  g_assert_cmpuint (changed, ==, 3);

  seedream_request_set_resolution (request, "2K");
  g_assert_cmpuint (notify_resolution, ==, 0);
  g_object_set (request, "resolution", "4:3", NULL);
  g_assert_cmpuint (notify_resolution, ==, 1);
  seedream_request_set_resolution (request, "3750x1250");
  g_assert_cmpstr (seedream_request_get_resolution (request), ==, "3750x1250");
  g_assert_cmpuint (notify_resolution, ==, 2);
  g_assert_cmpuint (changed, ==, 5);

  seedream_request_set_image_url (request, "");
  g_assert_cmpuint (notify_url, ==, 0);
  seedream_request_set_image_url (request, "https://example.com/a.png");
  g_assert_cmpuint (notify_url, ==, 1);
  g_assert_cmpuint (changed, ==, 6);

  /* A settings copy from another request is one change per field. */
  {
    g_autoptr(SeedreamRequest) other = seedream_request_new ();

    seedream_request_set_prompt (other, "from history");
    seedream_request_set_batch_size (other, 4);
    seedream_request_set_resolution (other, "4:3");
    seedream_request_set_image_url (other, "https://example.com/a.png");
    seedream_request_set_settings_from (request, other);
    g_assert_cmpstr (seedream_request_get_prompt (request), ==, "from history");
    g_assert_cmpuint (seedream_request_get_batch_size (request), ==, 4);
    g_assert_cmpuint (notify_prompt, ==, 3);
    g_assert_cmpuint (notify_batch, ==, 2);
    g_assert_cmpuint (notify_resolution, ==, 3);
    g_assert_cmpuint (notify_url, ==, 1);
    g_assert_cmpuint (changed, ==, 9);
  }

  /* Nothing was scheduled: autosave is off. */
  g_assert_false (seedream_draft_is_save_pending (draft));
}

static void
test_draft_source_files (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GFile) a = g_file_new_for_path ("/images/a.png");
  g_autoptr(GFile) a_again = g_file_new_for_uri ("file:///images/a.png");
  g_autoptr(GFile) b = g_file_new_for_path ("/images/b.png");
  g_autoptr(GFile) c = g_file_new_for_path ("/images/c.png");
  g_autoptr(GFile) remote = g_file_new_for_uri ("https://example.com/d.png");
  GListModel *files = seedream_request_get_source_files (seedream_draft_get_request (draft));
  guint changed = 0;
  guint items_changed = 0;

  g_signal_connect (draft, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect_swapped (files, "items-changed", G_CALLBACK (count_swapped_cb), &items_changed);

  g_assert_true (seedream_request_add_source_file (seedream_draft_get_request (draft), a));
  g_assert_true (seedream_request_add_source_file (seedream_draft_get_request (draft), b));
  g_assert_true (seedream_request_add_source_file (seedream_draft_get_request (draft), c));
  g_assert_cmpuint (changed, ==, 3);

  /* The same file twice is a no-op, however it is named; a file that is
   * not on this computer cannot be read back from the draft. */
  g_assert_false (seedream_request_add_source_file (seedream_draft_get_request (draft), a));
  g_assert_false (seedream_request_add_source_file (seedream_draft_get_request (draft), a_again));
  g_assert_false (seedream_request_add_source_file (seedream_draft_get_request (draft), remote));
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 3);

  g_assert_true (seedream_request_remove_source_file (seedream_draft_get_request (draft), b));
  g_assert_false (seedream_request_remove_source_file (seedream_draft_get_request (draft), b));
  g_assert_cmpuint (changed, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 2);
  {
    g_autoptr(GFile) first = g_list_model_get_item (files, 0);
    g_autoptr(GFile) second = g_list_model_get_item (files, 1);

    g_assert_true (g_file_equal (first, a));
    g_assert_true (g_file_equal (second, c));
  }

  seedream_request_clear_source_files (seedream_draft_get_request (draft));
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 0);
  g_assert_cmpuint (changed, ==, 5);
  seedream_request_clear_source_files (seedream_draft_get_request (draft));
  g_assert_cmpuint (changed, ==, 5);
  g_assert_cmpuint (items_changed, ==, 5);
}

static void
test_draft_load_clamps_and_filters (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autofree char *path = g_file_get_path (file);
  const struct {
    const char *value;
    guint expected;
  } sizes[] = {
    { "0", 1 },
    { "-5", 1 },
    { "16", 15 },
    { "99999999999", 15 },
    { "9", 9 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(SeedreamDraft) draft = NULL;
      g_autofree char *contents =
        g_strdup_printf ("[Draft]\nPrompt=p\nResolution=2K\nBatchSize=%s\nImageUrl=\n"
                         "SourceImages=\nVersion=1\n", sizes[i].value);

      write_file (path, contents, -1);
      draft = load_new (file);
      g_assert_cmpuint (seedream_request_get_batch_size (seedream_draft_get_request (draft)), ==, sizes[i].expected);
    }

  /* The model: kept by id; none (a draft from before models) or one no
   * longer in the table gives the default, and the rest is kept. */
  {
    const struct { const char *line; const char *expected; } models[] = {
      { "Model=seedreamv4\n", "seedreamv4" },
      { "Model=seedreamv5\n", "seedreamv5" },
      { "", "seedreamv45" },
      { "Model=seedreamv99\n", "seedreamv45" },
      { "Model=\n", "seedreamv45" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (models); i++)
      {
        g_autoptr(SeedreamDraft) draft = NULL;
        g_autofree char *contents =
          g_strdup_printf ("[Draft]\n%sPrompt=p\nResolution=3K\nBatchSize=2\nImageUrl=\n"
                           "SourceImages=\nVersion=1\n", models[i].line);

        write_file (path, contents, -1);
        draft = load_new (file);
        g_assert_cmpstr (seedream_request_get_model (seedream_draft_get_request (draft))->id, ==, models[i].expected);
        g_assert_cmpstr (seedream_request_get_prompt (seedream_draft_get_request (draft)), ==, "p");
        g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (draft)), ==, "3K");
      }
  }

  /* Only local files come back; missing ones are kept for the window to report. */
  {
    g_autoptr(SeedreamDraft) draft = NULL;
    GListModel *files;
    const char *expected[] = { "/does/not/exist.png", "/images/b c.png", "/images/d.png" };

    write_file (path,
                "[Draft]\nPrompt=p\nResolution=2K\nBatchSize=1\nImageUrl=\n"
                "SourceImages=https://example.com/a.png;file:///does/not/exist.png;"
                "file:///images/b%20c.png;file://otherhost/images/x.png;relative/y.png;"
                "file:///does/not/exist.png;file://localhost/images/d.png;data:image/png,AAAA;\n"
                "Version=1\n", -1);
    draft = load_new (file);
    files = seedream_request_get_source_files (seedream_draft_get_request (draft));
    g_assert_cmpuint (g_list_model_get_n_items (files), ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_autoptr(GFile) item = g_list_model_get_item (files, i);
        g_autofree char *item_path = g_file_get_path (item);

        g_assert_cmpstr (item_path, ==, expected[i]);
      }
  }

  /* A file written by a later version is read for what we know of it. */
  {
    g_autoptr(SeedreamDraft) draft = NULL;

    write_file (path,
                "# a comment\n[Draft]\nNewThing=1\nPrompt=later\nResolution=4K\nBatchSize=2\n"
                "ImageUrl=\nSourceImages=\nVersion=2\n[Other]\nX=y\n", -1);
    draft = load_new (file);
    g_assert_cmpstr (seedream_request_get_prompt (seedream_draft_get_request (draft)), ==, "later");
    g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (draft)), ==, "4K");
  }
}

static void
assert_load_sets_aside (GFile      *file,
                        const char *contents,
                        gsize       length)
{
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) other = g_file_new_for_path ("/images/a.png");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *damaged_path = g_strconcat (path, ".damaged", NULL);
  g_autofree char *kept = NULL;
  gsize kept_length = 0;
  guint changed = 0;

  write_file (path, contents, length);
  g_remove (damaged_path);

  /* Whatever the draft held before, it has the defaults afterwards. */
  seedream_request_set_prompt (seedream_draft_get_request (draft), "previous");
  seedream_request_set_batch_size (seedream_draft_get_request (draft), 4);
  seedream_request_add_source_file (seedream_draft_get_request (draft), other);
  g_signal_connect (draft, "changed", G_CALLBACK (count_cb), &changed);

  g_assert_false (seedream_draft_load (draft, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_KEY_FILE_ERROR || error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, ".damaged"));
  assert_defaults (draft);
  g_assert_cmpuint (changed, >, 0);

  /* Moved aside, unchanged, so it is neither lost nor read again. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (damaged_path, &kept, &kept_length, NULL));
  g_assert_cmpmem (kept, kept_length, contents, length);

  g_clear_error (&error);
  g_assert_true (seedream_draft_load (draft, &error));
  g_assert_no_error (error);
  assert_defaults (draft);
}

static void
test_draft_damaged_garbage (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  guint8 garbage[4096];
  GRand *rand = g_rand_new_with_seed (20260130);

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);

  assert_load_sets_aside (file, (const char *) garbage, sizeof garbage);

  /* Text, but not a key file; a NUL in an otherwise good file; not UTF-8. */
  {
    const char *text = "hello, this is not a draft\n";

    assert_load_sets_aside (file, text, strlen (text));
  }
  {
    const char with_nul[] = "[Draft]\nPrompt=a\0b\nResolution=2K\nBatchSize=1\nImageUrl=\n"
                            "SourceImages=\nVersion=1\n";

    assert_load_sets_aside (file, with_nul, sizeof with_nul - 1);
  }
  {
    const char latin1[] = "[Draft]\nPrompt=caf\xe9\nResolution=2K\nBatchSize=1\nImageUrl=\n"
                          "SourceImages=\nVersion=1\n";

    assert_load_sets_aside (file, latin1, sizeof latin1 - 1);
  }
}

static void
test_draft_damaged_wrong_type (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  const char *bad[] = {
    "[Draft]\nPrompt=p\nResolution=2K\nBatchSize=abc\nImageUrl=\nSourceImages=\nVersion=1\n",
    "[Draft]\nPrompt=p\nResolution=2K\nBatchSize=3.5\nImageUrl=\nSourceImages=\nVersion=1\n",
    "[Draft]\nPrompt=p\\q\nResolution=2K\nBatchSize=1\nImageUrl=\nSourceImages=\nVersion=1\n",
    "[Draft]\nPrompt=p\nResolution=2K\nBatchSize=1\nImageUrl=\nSourceImages=\nVersion=x\n",
    "[Draft]\nPrompt=p\nResolution=2K\nBatchSize=1\nImageUrl=\nSourceImages=\nVersion=0\n",
    /* A key missing, or the whole group. */
    "[Draft]\nPrompt=p\nBatchSize=1\nImageUrl=\nSourceImages=\nVersion=1\n",
    "[Other]\nPrompt=p\nResolution=2K\nBatchSize=1\nImageUrl=\nSourceImages=\nVersion=1\n",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_load_sets_aside (file, bad[i], strlen (bad[i]));
}

static void
test_draft_damaged_truncated (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GFile) a = g_file_new_for_path ("/images/a.png");
  g_autoptr(GFile) b = g_file_new_for_path ("/images/b.png");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  seedream_request_set_prompt (seedream_draft_get_request (draft), "two\nlines");
  seedream_request_set_resolution (seedream_draft_get_request (draft), "3750x1250");
  seedream_request_set_batch_size (seedream_draft_get_request (draft), 12);
  seedream_request_set_image_url (seedream_draft_get_request (draft), "https://example.com/x.png");
  seedream_request_add_source_file (seedream_draft_get_request (draft), a);
  seedream_request_add_source_file (seedream_draft_get_request (draft), b);
  g_assert_true (seedream_draft_save (draft, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 2);
  g_assert_cmpint (contents[length - 1], ==, '\n');

  /* Cut anywhere (but the final newline), it is no draft any more: no
   * prefix of a file may pass for a shorter draft. */
  for (gsize cut = 0; cut < length - 1; cut++)
    assert_load_sets_aside (file, contents, cut);

  /* The whole file still loads. */
  write_file (path, contents, length);
  {
    g_autoptr(SeedreamDraft) loaded = load_new (file);

    assert_same_contents (draft, loaded);
  }
}

static void
test_draft_huge_file_set_aside (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *damaged_path = g_strconcat (path, ".damaged", NULL);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GError) error = NULL;
  FILE *f;

  /* A sparse file far larger than any draft: not read into memory. */
  write_file (path, "", 0);
  f = g_fopen (path, "r+");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, 512 * 1024 * 1024, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc ('x', f), ==, 'x');
  g_assert_cmpint (fclose (f), ==, 0);

  g_assert_false (seedream_draft_load (draft, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  assert_defaults (draft);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (damaged_path, G_FILE_TEST_IS_REGULAR));
}

/* What stands where the draft should be and is no file the app wrote: the
 * start neither blocks on it, nor reads it, nor follows it; it is moved
 * aside (the entry itself, never what a link points to). */
static void
assert_not_a_file_set_aside (const char *path,
                             const char *what)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autofree char *damaged_path = g_strconcat (path, ".damaged", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf buf;

  g_test_message ("%s", what);
  seedream_request_set_prompt (seedream_draft_get_request (draft), "not from the file");
  g_assert_false (seedream_draft_load (draft, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "draft.ini"));
  assert_defaults (draft);
  g_assert_cmpint (g_lstat (path, &buf), ==, -1);
  g_assert_cmpint (g_lstat (damaged_path, &buf), ==, 0);
  g_assert_false (S_ISREG (buf.st_mode));
  g_assert_cmpint (g_unlink (damaged_path), ==, 0);
}

static void
test_draft_not_a_file (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GFile) elsewhere_file = test_file ("elsewhere.ini");
  g_autofree char *elsewhere = g_file_get_path (elsewhere_file);
  g_autoptr(SeedreamDraft) good = seedream_draft_new (elsewhere_file);
  g_autoptr(GError) error = NULL;

  /* A FIFO: a plain open() would wait forever for a writer. */
  {
    g_autofree char *dir = g_path_get_dirname (path);

    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  }
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  assert_not_a_file_set_aside (path, "a FIFO");

  /* A link to an endless device. */
  g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
  assert_not_a_file_set_aside (path, "a link to /dev/zero");

  /* A link to a good draft is not followed either; the target stays. */
  seedream_request_set_prompt (seedream_draft_get_request (good), "kept elsewhere");
  g_assert_true (seedream_draft_save (good, &error));
  g_assert_no_error (error);
  g_assert_cmpint (symlink (elsewhere, path), ==, 0);
  assert_not_a_file_set_aside (path, "a link to a draft");
  g_assert_true (g_file_test (elsewhere, G_FILE_TEST_IS_REGULAR));
}

static void
test_draft_unreadable_is_not_damaged (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *damaged_path = g_strconcat (path, ".damaged", NULL);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GError) error = NULL;

  /* A folder where the file should be: an I/O error, and nothing moved. */
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  seedream_request_set_prompt (seedream_draft_get_request (draft), "previous");

  g_assert_false (seedream_draft_load (draft, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  assert_defaults (draft);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  g_assert_false (g_file_test (damaged_path, G_FILE_TEST_EXISTS));
}

typedef struct
{
  guint   saved;
  guint   failed;
  GError *error;
} SaveCounts;

static void
saved_cb (SeedreamDraft *draft,
          SaveCounts    *counts)
{
  counts->saved++;
}

static void
save_failed_cb (SeedreamDraft *draft,
                const GError  *error,
                SaveCounts    *counts)
{
  counts->failed++;
  g_clear_error (&counts->error);
  counts->error = g_error_copy (error);
}

static void
test_draft_autosave_coalesces (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(SeedreamDraft) loaded = NULL;
  g_autoptr(GFile) source = g_file_new_for_path ("/images/source.png");
  SaveCounts counts = { 0 };

  g_signal_connect (draft, "saved", G_CALLBACK (saved_cb), &counts);

  /* Off: changes schedule nothing. */
  seedream_request_set_prompt (seedream_draft_get_request (draft), "not saved");
  g_assert_false (seedream_draft_is_save_pending (draft));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  seedream_draft_set_autosave (draft, TRUE);
  g_assert_true (seedream_draft_get_autosave (draft));
  g_assert_false (seedream_draft_is_save_pending (draft));

  /* A burst of ten changes, as typing makes. */
  for (guint i = 1; i <= 8; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("a cat%.*s", (int) i, "!!!!!!!!");

      seedream_request_set_prompt (seedream_draft_get_request (draft), prompt);
    }
  seedream_request_set_batch_size (seedream_draft_get_request (draft), 3);
  seedream_request_add_source_file (seedream_draft_get_request (draft), source);

  /* Nothing is written until the main loop runs the scheduled save. */
  g_assert_true (seedream_draft_is_save_pending (draft));
  g_assert_cmpuint (counts.saved, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  while (counts.saved == 0)
    g_main_context_iteration (NULL, TRUE);

  /* One write, and no other one on the way. */
  g_assert_cmpuint (counts.saved, ==, 1);
  g_assert_false (seedream_draft_is_save_pending (draft));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (counts.saved, ==, 1);

  /* What is on disk is the last state. */
  loaded = load_new (file);
  assert_same_contents (draft, loaded);
  g_assert_cmpstr (seedream_request_get_prompt (seedream_draft_get_request (loaded)), ==, "a cat!!!!!!!!");
  g_assert_cmpuint (seedream_request_get_batch_size (seedream_draft_get_request (loaded)), ==, 3);

  /* The next change schedules the next save. */
  seedream_request_set_image_url (seedream_draft_get_request (draft), "https://example.com/z.png");
  g_assert_true (seedream_draft_is_save_pending (draft));
  while (counts.saved == 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (counts.saved, ==, 2);

  /* Loading does not write back what it just read. */
  g_signal_connect (loaded, "saved", G_CALLBACK (saved_cb), &counts);
  seedream_draft_set_autosave (loaded, TRUE);
  g_assert_true (seedream_draft_load (loaded, NULL));
  g_assert_cmpstr (seedream_request_get_image_url (seedream_draft_get_request (loaded)), ==, "https://example.com/z.png");
  g_assert_false (seedream_draft_is_save_pending (loaded));

  /* Turning autosave off drops what was scheduled. */
  seedream_request_set_prompt (seedream_draft_get_request (draft), "dropped");
  g_assert_true (seedream_draft_is_save_pending (draft));
  seedream_draft_set_autosave (draft, FALSE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (counts.saved, ==, 2);
}

static void
test_draft_autosave_thread_default_context (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GMainContext) context = g_main_context_new ();
  SaveCounts counts = { 0 };

  g_signal_connect (draft, "saved", G_CALLBACK (saved_cb), &counts);
  seedream_draft_set_autosave (draft, TRUE);

  g_main_context_push_thread_default (context);
  seedream_request_set_prompt (seedream_draft_get_request (draft), "in another context");
  g_main_context_pop_thread_default (context);

  /* The global default context does not run it... */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (seedream_draft_is_save_pending (draft));

  /* ...the context that was the thread default does. */
  while (counts.saved == 0)
    g_main_context_iteration (context, TRUE);
  g_assert_false (seedream_draft_is_save_pending (draft));
}

static void
test_draft_flush (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GError) error = NULL;
  SaveCounts counts = { 0 };

  g_signal_connect (draft, "saved", G_CALLBACK (saved_cb), &counts);

  /* Nothing pending: nothing written. */
  g_assert_true (seedream_draft_flush (draft, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.saved, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  seedream_draft_set_autosave (draft, TRUE);
  seedream_request_set_prompt (seedream_draft_get_request (draft), "closing the window now");
  g_assert_true (seedream_draft_is_save_pending (draft));

  /* Written at once, without the main loop. */
  g_assert_true (seedream_draft_flush (draft, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.saved, ==, 1);
  g_assert_false (seedream_draft_is_save_pending (draft));
  {
    g_autoptr(SeedreamDraft) loaded = load_new (file);

    g_assert_cmpstr (seedream_request_get_prompt (seedream_draft_get_request (loaded)), ==, "closing the window now");
  }

  /* The scheduled save went with it. */
  g_assert_true (seedream_draft_flush (draft, &error));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (counts.saved, ==, 1);

  /* schedule_save works without autosave, and flush writes it. */
  seedream_draft_set_autosave (draft, FALSE);
  seedream_request_set_prompt (seedream_draft_get_request (draft), "scheduled by hand");
  g_assert_false (seedream_draft_is_save_pending (draft));
  seedream_draft_schedule_save (draft);
  g_assert_true (seedream_draft_is_save_pending (draft));
  g_assert_true (seedream_draft_flush (draft, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.saved, ==, 2);
}

static void
test_draft_dispose_does_not_save (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autofree char *path = g_file_get_path (file);
  SeedreamDraft *draft = seedream_draft_new (file);
  GWeakRef ref;

  g_weak_ref_init (&ref, draft);
  seedream_draft_set_autosave (draft, TRUE);
  seedream_request_set_prompt (seedream_draft_get_request (draft), "never written");
  g_assert_true (seedream_draft_is_save_pending (draft));

  g_object_unref (draft);
  g_assert_null (g_weak_ref_get (&ref));
  g_weak_ref_clear (&ref);

  /* The scheduled save is gone with the draft. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_draft_file_mode_and_atomic (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GError) error = NULL;
  GStatBuf before, after;

  /* An older file readable by everyone becomes private. */
  write_file (path, "old", -1);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  seedream_request_set_prompt (seedream_draft_get_request (draft), "first");
  g_assert_true (seedream_draft_save (draft, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpint (after.st_mode & 0777, ==, 0600);
  /* Replaced by a new file (renamed over the old one), not rewritten in
   * place: the old inode was still alive when the new one was made. */
  g_assert_cmpuint (after.st_ino, !=, before.st_ino);
  /* No temporary file is left beside it. */
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);

  before = after;
  seedream_request_set_prompt (seedream_draft_get_request (draft), "second");
  g_assert_true (seedream_draft_save (draft, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, !=, before.st_ino);
  g_assert_cmpint (after.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (count_dir_entries (dir), ==, 1);
}

static void
test_draft_save_parent_is_file (void)
{
  g_autofree char *blocker = g_build_filename (g_get_user_data_dir (), "blocker", NULL);
  g_autofree char *path = g_build_filename (blocker, "draft.ini", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(GError) error = NULL;
  SaveCounts counts = { 0 };

  write_file (blocker, "a file, not a folder", -1);

  seedream_request_set_prompt (seedream_draft_get_request (draft), "cannot be written");
  g_assert_false (seedream_draft_save (draft, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_clear_error (&error);

  /* Autosave reports the failure and keeps the save pending. */
  g_signal_connect (draft, "saved", G_CALLBACK (saved_cb), &counts);
  g_signal_connect (draft, "save-failed", G_CALLBACK (save_failed_cb), &counts);
  seedream_draft_set_autosave (draft, TRUE);
  seedream_request_set_prompt (seedream_draft_get_request (draft), "still cannot be written");
  while (counts.failed == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (counts.saved, ==, 0);
  g_assert_nonnull (counts.error);
  g_assert_true (counts.error->domain == G_IO_ERROR);
  g_assert_true (seedream_draft_is_save_pending (draft));

  /* flush tries again, and says why it failed. */
  g_assert_false (seedream_draft_flush (draft, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_clear_error (&error);

  /* Once the way is clear, flush writes it. */
  g_assert_cmpint (g_remove (blocker), ==, 0);
  g_assert_true (seedream_draft_flush (draft, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.saved, ==, 1);
  g_assert_false (seedream_draft_is_save_pending (draft));
  g_clear_error (&counts.error);
}

static void
test_draft_save_read_only_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *ro = NULL;
  g_autofree char *path = NULL;
  g_autofree char *probe = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SeedreamDraft) draft = NULL;
  gboolean as_root = geteuid () == 0;
  gboolean saved;

  /* root ignores permissions: the attempt is made as an ordinary user, in
   * a folder that user can reach (the isolated test folders are root's). */
  if (as_root)
    base = g_mkdtemp_full (g_strdup ("/tmp/seedream-draft-ro-XXXXXX"), 0700);
  else
    base = g_dir_make_tmp ("seedream-draft-ro-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_nonnull (base);

  ro = g_build_filename (base, "ro", NULL);
  path = g_build_filename (ro, "draft.ini", NULL);
  probe = g_build_filename (ro, "probe", NULL);
  file = g_file_new_for_path (path);
  draft = seedream_draft_new (file);
  seedream_request_set_prompt (seedream_draft_get_request (draft), "cannot be written");

  g_assert_cmpint (g_mkdir (ro, 0700), ==, 0);
  write_file (path, "the old draft", -1);

  if (as_root)
    {
      struct passwd *nobody = getpwnam ("nobody");
      uid_t uid = nobody != NULL ? nobody->pw_uid : 65534;
      gid_t gid = nobody != NULL ? nobody->pw_gid : 65534;

      if (chown (base, uid, gid) != 0 || chown (ro, uid, gid) != 0 || chown (path, uid, gid) != 0 ||
          setegid (gid) != 0 || seteuid (uid) != 0)
        {
          g_test_skip ("Running as root and could not act as another user");
          seedream_test_remove_tree (base);
          return;
        }
    }

  /* The folder can be reached and written to... */
  write_file (probe, "probe", -1);
  g_assert_cmpint (g_remove (probe), ==, 0);

  /* ...until it is made read-only. */
  g_assert_cmpint (g_chmod (ro, 0500), ==, 0);
  saved = seedream_draft_save (draft, &error);
  g_assert_cmpint (g_chmod (ro, 0700), ==, 0);

  if (as_root)
    {
      g_assert_cmpint (seteuid (0), ==, 0);
      g_assert_cmpint (setegid (0), ==, 0);
    }

  g_assert_false (saved);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);

  /* The old draft is intact, and nothing was left beside it. */
  {
    g_autofree char *contents = read_file (path);

    g_assert_cmpstr (contents, ==, "the old draft");
  }
  g_assert_cmpuint (count_dir_entries (ro), ==, 1);

  seedream_test_remove_tree (base);
}

/* Builds a prompt of at least @n_chars characters from pieces that a key
 * file has to escape or could misread. */
static char *
make_huge_prompt (glong n_chars)
{
  const char *pieces[] = {
    "  leading spaces",
    "😀🦊👩🏽‍🚀🇯🇵",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u200f\u202eRTL marks\u202c",
    "\t",
    "\n",
    "\r\n",
    "\\n is not a newline\\",
    "[Draft]\nVersion=99\n",
    "# not a comment; a=b;c\\;d",
    "=",
    "漢字かなカナ",
    "trailing spaces   ",
  };
  GString *prompt = g_string_new (NULL);
  guint i = 0;

  while (g_utf8_strlen (prompt->str, -1) < n_chars)
    g_string_append (prompt, pieces[i++ % G_N_ELEMENTS (pieces)]);

  /* Ends on a space and a tab, which a key file would strip unescaped. */
  g_string_append (prompt, " \t ");

  return g_string_free (prompt, FALSE);
}

static void
test_draft_huge_prompt (void)
{
  g_autoptr(GFile) file = test_file ("draft.ini");
  g_autoptr(SeedreamDraft) draft = seedream_draft_new (file);
  g_autoptr(SeedreamDraft) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = make_huge_prompt (100000);

  g_assert_cmpint (g_utf8_strlen (prompt, -1), >=, 100000);
  g_assert_true (g_utf8_validate (prompt, -1, NULL));

  seedream_request_set_prompt (seedream_draft_get_request (draft), prompt);
  g_assert_true (seedream_draft_save (draft, &error));
  g_assert_no_error (error);

  loaded = load_new (file);
  g_assert_cmpuint (strlen (seedream_request_get_prompt (seedream_draft_get_request (loaded))), ==, strlen (prompt));
  g_assert_true (strcmp (seedream_request_get_prompt (seedream_draft_get_request (loaded)), prompt) == 0);

  /* A prompt that is only spaces, or starts with one, survives too. */
  {
    const char *tricky[] = { " ", "   ", "\t", " x ", "\n", "\\", "\\s" };

    for (guint i = 0; i < G_N_ELEMENTS (tricky); i++)
      {
        g_autoptr(SeedreamDraft) again = NULL;

        seedream_request_set_prompt (seedream_draft_get_request (draft), tricky[i]);
        seedream_request_set_resolution (seedream_draft_get_request (draft), tricky[i]);
        seedream_request_set_image_url (seedream_draft_get_request (draft), tricky[i]);
        g_assert_true (seedream_draft_save (draft, &error));
        g_assert_no_error (error);

        again = load_new (file);
        g_assert_cmpstr (seedream_request_get_prompt (seedream_draft_get_request (again)), ==, tricky[i]);
        g_assert_cmpstr (seedream_request_get_resolution (seedream_draft_get_request (again)), ==, tricky[i]);
        g_assert_cmpstr (seedream_request_get_image_url (seedream_draft_get_request (again)), ==, tricky[i]);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/seedream/draft/defaults", test_draft_defaults);
  g_test_add_func ("/seedream/draft/default-file", test_draft_default_file);
  g_test_add_func ("/seedream/draft/round-trip", test_draft_round_trip);
  g_test_add_func ("/seedream/draft/notify", test_draft_notify);
  g_test_add_func ("/seedream/draft/source-files", test_draft_source_files);
  g_test_add_func ("/seedream/draft/load/clamps-and-filters", test_draft_load_clamps_and_filters);
  g_test_add_func ("/seedream/draft/load/damaged/garbage", test_draft_damaged_garbage);
  g_test_add_func ("/seedream/draft/load/damaged/wrong-type", test_draft_damaged_wrong_type);
  g_test_add_func ("/seedream/draft/load/damaged/truncated", test_draft_damaged_truncated);
  g_test_add_func ("/seedream/draft/load/damaged/huge", test_draft_huge_file_set_aside);
  g_test_add_func ("/seedream/draft/load/unreadable", test_draft_unreadable_is_not_damaged);
  g_test_add_func ("/seedream/draft/load/not-a-file", test_draft_not_a_file);
  g_test_add_func ("/seedream/draft/autosave/coalesces", test_draft_autosave_coalesces);
  g_test_add_func ("/seedream/draft/autosave/thread-default-context",
                   test_draft_autosave_thread_default_context);
  g_test_add_func ("/seedream/draft/autosave/flush", test_draft_flush);
  g_test_add_func ("/seedream/draft/autosave/dispose-does-not-save",
                   test_draft_dispose_does_not_save);
  g_test_add_func ("/seedream/draft/save/mode-and-atomic", test_draft_file_mode_and_atomic);
  g_test_add_func ("/seedream/draft/save/parent-is-file", test_draft_save_parent_is_file);
  g_test_add_func ("/seedream/draft/save/read-only-dir", test_draft_save_read_only_dir);
  g_test_add_func ("/seedream/draft/huge-prompt", test_draft_huge_prompt);

  return g_test_run ();
}
