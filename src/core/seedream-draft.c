/* seedream-draft.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The compose form's contents: a SeedreamRequest, the same type a
 * submission sends, kept in a small key file so that it survives closing
 * the window and a crash. The form sets the request's properties as the
 * person edits; with autosave on, every change schedules a save a moment
 * later, and bursts of changes (typing) are written once.
 *
 * The file is replaced atomically, so a crash leaves either the old or the
 * new version. A file that cannot be read back all the same (a damaged disk,
 * a hand edit gone wrong, a truncated copy) is renamed to "<name>.damaged"
 * and the draft starts from the defaults, so the file is neither lost nor
 * read again.
 */

#define G_LOG_DOMAIN "seedream-draft"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#include "seedream-draft.h"
#include "seedream-regular-file.h"

/* Save this long after the last change... */
#define SAVE_DELAY_USEC      (500 * G_TIME_SPAN_MILLISECOND)
/* ...but no later than this after the first unsaved one, so that someone
 * typing without a pause still has their text on disk. */
#define SAVE_MAX_DELAY_USEC  (5 * G_TIME_SPAN_SECOND)
/* A draft is a few kilobytes; anything this large is not one of ours. */
#define MAX_FILE_SIZE        (64 * 1024 * 1024)

#define GROUP                "Draft"
#define KEY_MODEL            "Model"
#define KEY_PROMPT           "Prompt"
#define KEY_RESOLUTION       "Resolution"
#define KEY_BATCH_SIZE       "BatchSize"
#define KEY_IMAGE_URL        "ImageUrl"
#define KEY_SOURCE_IMAGES    "SourceImages"
/* Optional (older drafts lack it): for each source image, "ID/INDEX" when
 * it is result INDEX of history row ID, else "". */
#define KEY_SOURCE_PARENTS   "SourceParents"
#define KEY_VERSION          "Version"
#define FORMAT_VERSION       1

struct _SeedreamDraft
{
  GObject     parent_instance;

  GFile      *file;

  SeedreamRequest *request;

  /* Fires at its ready time; -1 while no save is scheduled. */
  GSource    *save_source;
  gint64      first_unsaved_change;

  guint       autosave : 1;
  guint       save_pending : 1;
  guint       loading : 1;
};

G_DEFINE_FINAL_TYPE (SeedreamDraft, seedream_draft, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_REQUEST,
  PROP_AUTOSAVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  SAVED,
  SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The contents of a draft, as read from a file before it is applied. */
typedef struct
{
  const SeedreamModel *model;
  char      *prompt;
  char      *resolution;
  guint      batch_size;
  char      *image_url;
  GPtrArray *source_files;
  GArray    *source_parents;  /* of DraftParent, one a source file */
} DraftData;

typedef struct
{
  gint64 entry_id;  /* 0: none */
  guint  index;
} DraftParent;

static void
draft_data_clear (DraftData *data)
{
  g_clear_pointer (&data->prompt, g_free);
  g_clear_pointer (&data->resolution, g_free);
  g_clear_pointer (&data->image_url, g_free);
  g_clear_pointer (&data->source_files, g_ptr_array_unref);
  g_clear_pointer (&data->source_parents, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DraftData, draft_data_clear)

static void
draft_data_init_defaults (DraftData *data)
{
  data->model = seedream_model_get_default ();
  data->prompt = g_strdup ("");
  data->resolution = g_strdup (SEEDREAM_DRAFT_DEFAULT_RESOLUTION);
  data->batch_size = SEEDREAM_DRAFT_BATCH_SIZE_MIN;
  data->image_url = g_strdup ("");
  data->source_files = g_ptr_array_new_with_free_func (g_object_unref);
  data->source_parents = g_array_new (FALSE, TRUE, sizeof (DraftParent));
}

/**
 * seedream_draft_get_default_file:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/APP_ID/draft.ini`
 */
GFile *
seedream_draft_get_default_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), APP_ID, "draft.ini", NULL);

  return g_file_new_for_path (path);
}

/**
 * seedream_draft_new:
 * @file: where the draft is kept; a local file
 *
 * Creates a draft with the default contents. Call seedream_draft_load() to
 * read what was saved.
 *
 * Returns: (transfer full): a new #SeedreamDraft
 */
SeedreamDraft *
seedream_draft_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (SEEDREAM_TYPE_DRAFT,
                       "file", file,
                       NULL);
}

GFile *
seedream_draft_get_file (SeedreamDraft *self)
{
  g_return_val_if_fail (SEEDREAM_IS_DRAFT (self), NULL);

  return self->file;
}

static gboolean
save_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs save_source_funcs = {
  .dispatch = save_source_dispatch,
};

static gboolean
seedream_draft_save_cb (gpointer user_data)
{
  SeedreamDraft *self = SEEDREAM_DRAFT (user_data);
  g_autoptr(GError) error = NULL;

  g_object_ref (self);

  if (!seedream_draft_save (self, &error))
    {
      g_debug ("Could not save the draft: %s", error->message);
      g_signal_emit (self, signals[SAVE_FAILED], 0, error);
    }

  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static void
seedream_draft_cancel_scheduled_save (SeedreamDraft *self)
{
  if (self->save_source != NULL)
    g_source_set_ready_time (self->save_source, -1);
}

/**
 * seedream_draft_schedule_save:
 * @self: a #SeedreamDraft
 *
 * Saves the draft shortly (half a second) after the last call, on the
 * thread-default main context, so that a burst of changes is written once.
 * Someone typing without pause still gets a save every few seconds.
 * Failures are reported with #SeedreamDraft::save-failed.
 */
void
seedream_draft_schedule_save (SeedreamDraft *self)
{
  g_autoptr(GMainContext) context = NULL;
  gint64 now;
  gint64 ready_time;

  g_return_if_fail (SEEDREAM_IS_DRAFT (self));

  context = g_main_context_ref_thread_default ();
  if (self->save_source != NULL && g_source_get_context (self->save_source) != context)
    {
      g_source_destroy (self->save_source);
      g_clear_pointer (&self->save_source, g_source_unref);
    }

  if (self->save_source == NULL)
    {
      self->save_source = g_source_new (&save_source_funcs, sizeof (GSource));
      g_source_set_static_name (self->save_source, "[seedream] draft autosave");
      g_source_set_callback (self->save_source, seedream_draft_save_cb, self, NULL);
      g_source_set_ready_time (self->save_source, -1);
      g_source_attach (self->save_source, context);
    }

  now = g_get_monotonic_time ();
  if (g_source_get_ready_time (self->save_source) == -1)
    self->first_unsaved_change = now;

  ready_time = MIN (now + SAVE_DELAY_USEC, self->first_unsaved_change + SAVE_MAX_DELAY_USEC);
  g_source_set_ready_time (self->save_source, ready_time);

  self->save_pending = TRUE;
}

static void
seedream_draft_emit_changed (SeedreamDraft *self)
{
  g_signal_emit (self, signals[CHANGED], 0);

  if (self->autosave && !self->loading)
    seedream_draft_schedule_save (self);
}

/**
 * seedream_draft_get_request:
 * @self: a #SeedreamDraft
 *
 * The form's contents. Change them there: every change of a property or
 * of the source images counts as a change of the draft.
 *
 * Returns: (transfer none): the request @self keeps; it lives as long as @self
 */
SeedreamRequest *
seedream_draft_get_request (SeedreamDraft *self)
{
  g_return_val_if_fail (SEEDREAM_IS_DRAFT (self), NULL);

  return self->request;
}

static gboolean
seedream_draft_source_files_equal (SeedreamDraft *self,
                                   GPtrArray     *files)
{
  GListModel *sources = seedream_request_get_source_files (self->request);

  if (g_list_model_get_n_items (sources) != files->len)
    return FALSE;

  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GFile) item = g_list_model_get_item (sources, i);

      if (!g_file_equal (item, g_ptr_array_index (files, i)))
        return FALSE;
    }

  return TRUE;
}

/* Replaces the whole contents, as loading does, without scheduling a save. */
static void
seedream_draft_apply (SeedreamDraft   *self,
                      const DraftData *data)
{
  self->loading = TRUE;

  seedream_request_set_model (self->request, data->model);
  g_object_set (self->request,
                "prompt", data->prompt,
                "resolution", data->resolution,
                "batch-size", data->batch_size,
                "image-url", data->image_url,
                NULL);

  if (!seedream_draft_source_files_equal (self, data->source_files))
    {
      seedream_request_clear_source_files (self->request);
      for (guint i = 0; i < data->source_files->len; i++)
        seedream_request_add_source_file (self->request, g_ptr_array_index (data->source_files, i));
    }

  for (guint i = 0; i < data->source_files->len; i++)
    {
      const DraftParent *parent = &g_array_index (data->source_parents, DraftParent, i);

      seedream_request_set_source_parent (self->request, g_ptr_array_index (data->source_files, i),
                                          parent->entry_id, parent->index);
    }

  self->loading = FALSE;
}

static void
seedream_draft_reset (SeedreamDraft *self)
{
  g_auto(DraftData) defaults = { 0 };

  draft_data_init_defaults (&defaults);
  seedream_draft_apply (self, &defaults);
}

/* Only local files can be restored: anything else in the list (an http URL
 * written by hand, a file on another host) is left out. */
static GFile *
source_file_from_uri (const char *uri)
{
  g_autofree char *hostname = NULL;
  g_autofree char *path = NULL;

  path = g_filename_from_uri (uri, &hostname, NULL);
  if (path == NULL || !g_path_is_absolute (path))
    return NULL;

  if (hostname != NULL && g_ascii_strcasecmp (hostname, "localhost") != 0)
    return NULL;

  return g_file_new_for_path (path);
}

/* "ID/INDEX", both decimal, ID above 0; anything else is no parent. */
static void
parse_parent (const char  *text,
              DraftParent *parent)
{
  g_auto(GStrv) parts = g_strsplit (text, "/", 3);
  gint64 entry_id;
  guint64 index;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_signed (parts[0], 10, 1, G_MAXINT64, &entry_id, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT, &index, NULL))
    return;

  parent->entry_id = entry_id;
  parent->index = (guint) index;
}

static gboolean
draft_data_parse (DraftData   *data,
                  const char  *contents,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_auto(GStrv) uris = NULL;
  g_auto(GStrv) parents = NULL;
  gsize n_parents = 0;
  GError *local_error = NULL;
  gint64 batch_size;
  int version;

  /* Everything we write is UTF-8 text; this also refuses NUL bytes. */
  if (!g_utf8_validate_len (contents, length, NULL))
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_UNKNOWN_ENCODING,
                           _("The draft is not a text file"));
      return FALSE;
    }

  if (!g_key_file_load_from_data (key_file, contents, length, G_KEY_FILE_NONE, error))
    return FALSE;

  /* Version is written last, so a file cut short anywhere lacks it, or
   * lacks a key before it. */
  version = g_key_file_get_integer (key_file, GROUP, KEY_VERSION, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (version < FORMAT_VERSION)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("The draft has an unknown format version %d"), version);
      return FALSE;
    }

  /* Drafts from before models were chosen have none: the default. A model
   * no longer in the table gives the default too, the rest is kept. */
  {
    g_autofree char *model_id = g_key_file_get_string (key_file, GROUP, KEY_MODEL, NULL);

    data->model = seedream_model_lookup (model_id);
    if (data->model == NULL)
      data->model = seedream_model_get_default ();
  }

  data->prompt = g_key_file_get_string (key_file, GROUP, KEY_PROMPT, error);
  if (data->prompt == NULL)
    return FALSE;

  data->resolution = g_key_file_get_string (key_file, GROUP, KEY_RESOLUTION, error);
  if (data->resolution == NULL)
    return FALSE;

  batch_size = g_key_file_get_int64 (key_file, GROUP, KEY_BATCH_SIZE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  data->batch_size = CLAMP (batch_size, SEEDREAM_DRAFT_BATCH_SIZE_MIN,
                            SEEDREAM_DRAFT_BATCH_SIZE_MAX);

  data->image_url = g_key_file_get_string (key_file, GROUP, KEY_IMAGE_URL, error);
  if (data->image_url == NULL)
    return FALSE;

  uris = g_key_file_get_string_list (key_file, GROUP, KEY_SOURCE_IMAGES, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* Lineage is a nicety: a missing or odd list only loses it. */
  parents = g_key_file_get_string_list (key_file, GROUP, KEY_SOURCE_PARENTS, &n_parents, NULL);

  data->source_files = g_ptr_array_new_with_free_func (g_object_unref);
  data->source_parents = g_array_new (FALSE, TRUE, sizeof (DraftParent));
  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    {
      g_autoptr(GFile) file = source_file_from_uri (uris[i]);
      gboolean duplicate = FALSE;
      DraftParent parent = { 0, 0 };

      if (file == NULL)
        {
          g_debug ("Leaving out a source image that is not a local file: %s", uris[i]);
          continue;
        }

      for (guint j = 0; j < data->source_files->len && !duplicate; j++)
        duplicate = g_file_equal (file, g_ptr_array_index (data->source_files, j));

      if (duplicate)
        continue;

      if (i < n_parents)
        parse_parent (parents[i], &parent);
      g_ptr_array_add (data->source_files, g_steal_pointer (&file));
      g_array_append_val (data->source_parents, parent);
    }

  return TRUE;
}

static void
set_io_error_from_file_error (GError     **error,
                              const GError *file_error)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_file_error (file_error->code),
                       file_error->message);
}

/* Moves a file that could not be read aside, so that it is kept for a look
 * by a person but not read again. */
static void
seedream_draft_set_aside (SeedreamDraft  *self,
                          const char     *path,
                          GError        **error)
{
  g_autofree char *damaged = g_strconcat (path, ".damaged", NULL);
  g_autofree char *display_name = g_filename_display_name (damaged);

  if (g_rename (path, damaged) == 0)
    {
      g_prefix_error (error, _("The saved draft could not be read and was kept as “%s”: "),
                      display_name);
    }
  else
    {
      int saved_errno = errno;

      g_debug ("Could not move the damaged draft aside: %s", g_strerror (saved_errno));
      g_prefix_error (error, _("The saved draft could not be read: "));
    }
}

/**
 * seedream_draft_load:
 * @self: a #SeedreamDraft
 * @error: return location for a #G_KEY_FILE_ERROR or #G_IO_ERROR error
 *
 * Replaces the contents of @self with the saved draft. When there is no
 * saved draft, @self gets the defaults and this is no error. When the file
 * cannot be read, @self gets the defaults; when it is damaged, it is also
 * renamed to "<name>.damaged".
 *
 * Returns: %TRUE unless @error is set
 */
gboolean
seedream_draft_load (SeedreamDraft  *self,
                     GError        **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(DraftData) data = { 0 };
  gsize length;

  g_return_val_if_fail (SEEDREAM_IS_DRAFT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (self->file);
  if (path == NULL)
    {
      seedream_draft_reset (self);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The draft can only be kept in a local file"));
      return FALSE;
    }

  if (!seedream_regular_file_read (path, MAX_FILE_SIZE, &contents, &length, &local_error))
    {
      seedream_draft_reset (self);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;

      /* Not a file the app wrote (a FIFO, a link, a device) or far too
       * large: moved aside so that the next start does not meet it again.
       * A file that is only unreadable now (permissions) is left. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The draft file is far too large to be a draft"));
          seedream_draft_set_aside (self, path, error);
          return FALSE;
        }

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          seedream_draft_set_aside (self, path, error);
          return FALSE;
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!draft_data_parse (&data, contents, length, error))
    {
      seedream_draft_reset (self);
      seedream_draft_set_aside (self, path, error);
      return FALSE;
    }

  seedream_draft_apply (self, &data);

  return TRUE;
}

static char *
seedream_draft_to_data (SeedreamDraft *self,
                        gsize         *length)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) parents_builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;
  g_auto(GStrv) parents = NULL;
  GListModel *sources = seedream_request_get_source_files (self->request);
  const char *image_url = seedream_request_get_image_url (self->request);
  guint n_items = g_list_model_get_n_items (sources);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (sources, i);

      gint64 entry_id;
      guint index;

      g_strv_builder_take (builder, g_file_get_uri (file));
      if (seedream_request_get_source_parent (self->request, file, &entry_id, &index))
        g_strv_builder_take (parents_builder, g_strdup_printf ("%" G_GINT64_FORMAT "/%u", entry_id, index));
      else
        g_strv_builder_add (parents_builder, "");
    }
  uris = g_strv_builder_end (builder);
  parents = g_strv_builder_end (parents_builder);

  /* GKeyFile keeps this order. Version must stay last (see the parser). */
  g_key_file_set_string (key_file, GROUP, KEY_MODEL, seedream_request_get_model (self->request)->id);
  g_key_file_set_string (key_file, GROUP, KEY_PROMPT, seedream_request_get_prompt (self->request));
  g_key_file_set_string (key_file, GROUP, KEY_RESOLUTION, seedream_request_get_resolution (self->request));
  g_key_file_set_int64 (key_file, GROUP, KEY_BATCH_SIZE, seedream_request_get_batch_size (self->request));
  g_key_file_set_string (key_file, GROUP, KEY_IMAGE_URL, image_url != NULL ? image_url : "");
  g_key_file_set_string_list (key_file, GROUP, KEY_SOURCE_IMAGES,
                              (const char * const *) uris, n_items);
  g_key_file_set_string_list (key_file, GROUP, KEY_SOURCE_PARENTS,
                              (const char * const *) parents, n_items);
  g_key_file_set_integer (key_file, GROUP, KEY_VERSION, FORMAT_VERSION);

  return g_key_file_to_data (key_file, length, NULL);
}

/**
 * seedream_draft_save:
 * @self: a #SeedreamDraft
 * @error: return location for a #G_IO_ERROR error
 *
 * Writes the draft now, replacing the file atomically (mode 0600; a missing
 * folder is created with mode 0700). A scheduled save is then no longer
 * needed and is dropped.
 *
 * Returns: %TRUE if the draft was written
 */
gboolean
seedream_draft_save (SeedreamDraft  *self,
                     GError        **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf buf;
  gsize length;

  g_return_val_if_fail (SEEDREAM_IS_DRAFT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (self->file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The draft can only be kept in a local file"));
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display_name = g_filename_display_name (dir);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s” for the draft: %s"),
                   display_name, g_strerror (saved_errno));
      return FALSE;
    }

  /* g_file_set_contents_full() gives the new file the mode of the file it
   * replaces; a draft made readable by others becomes private again, before
   * it gets the new text. */
  if (g_stat (path, &buf) == 0 && (buf.st_mode & 0777) != 0600)
    g_chmod (path, 0600);

  data = seedream_draft_to_data (self, &length);

  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      set_io_error_from_file_error (error, local_error);
      return FALSE;
    }

  seedream_draft_cancel_scheduled_save (self);
  self->save_pending = FALSE;

  g_signal_emit (self, signals[SAVED], 0);

  return TRUE;
}

gboolean
seedream_draft_get_autosave (SeedreamDraft *self)
{
  g_return_val_if_fail (SEEDREAM_IS_DRAFT (self), FALSE);

  return self->autosave;
}

/**
 * seedream_draft_set_autosave:
 * @self: a #SeedreamDraft
 * @autosave: whether every change schedules a save
 *
 * Turning autosave off drops a scheduled save (seedream_draft_flush() still
 * writes it).
 */
void
seedream_draft_set_autosave (SeedreamDraft *self,
                             gboolean       autosave)
{
  g_return_if_fail (SEEDREAM_IS_DRAFT (self));

  autosave = !!autosave;
  if (self->autosave == autosave)
    return;

  self->autosave = autosave;
  if (!autosave)
    seedream_draft_cancel_scheduled_save (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOSAVE]);
}

/**
 * seedream_draft_is_save_pending:
 * @self: a #SeedreamDraft
 *
 * Returns: %TRUE when a save was scheduled and has not succeeded yet
 *   (still waiting, or failed)
 */
gboolean
seedream_draft_is_save_pending (SeedreamDraft *self)
{
  g_return_val_if_fail (SEEDREAM_IS_DRAFT (self), FALSE);

  return self->save_pending;
}

/**
 * seedream_draft_flush:
 * @self: a #SeedreamDraft
 * @error: return location for a #G_IO_ERROR error
 *
 * Saves now if a save is pending; the window calls it when it closes.
 *
 * Returns: %TRUE if nothing was pending or the draft was written
 */
gboolean
seedream_draft_flush (SeedreamDraft  *self,
                      GError        **error)
{
  g_return_val_if_fail (SEEDREAM_IS_DRAFT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->save_pending)
    return TRUE;

  return seedream_draft_save (self, error);
}

static void
seedream_draft_dispose (GObject *object)
{
  SeedreamDraft *self = SEEDREAM_DRAFT (object);

  /* Never a silent save here: the window flushes explicitly. */
  if (self->save_source != NULL)
    {
      g_source_destroy (self->save_source);
      g_clear_pointer (&self->save_source, g_source_unref);
    }

  G_OBJECT_CLASS (seedream_draft_parent_class)->dispose (object);
}

static void
seedream_draft_finalize (GObject *object)
{
  SeedreamDraft *self = SEEDREAM_DRAFT (object);

  g_clear_object (&self->file);
  g_clear_object (&self->request);

  G_OBJECT_CLASS (seedream_draft_parent_class)->finalize (object);
}

static void
seedream_draft_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SeedreamDraft *self = SEEDREAM_DRAFT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;

    case PROP_AUTOSAVE:
      g_value_set_boolean (value, self->autosave);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_draft_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SeedreamDraft *self = SEEDREAM_DRAFT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    case PROP_AUTOSAVE:
      seedream_draft_set_autosave (self, g_value_get_boolean (value));
      break;

    case PROP_REQUEST:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_draft_constructed (GObject *object)
{
  SeedreamDraft *self = SEEDREAM_DRAFT (object);

  G_OBJECT_CLASS (seedream_draft_parent_class)->constructed (object);

  if (self->file == NULL)
    self->file = seedream_draft_get_default_file ();
}

static void
seedream_draft_class_init (SeedreamDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = seedream_draft_constructed;
  object_class->dispose = seedream_draft_dispose;
  object_class->finalize = seedream_draft_finalize;
  object_class->get_property = seedream_draft_get_property;
  object_class->set_property = seedream_draft_set_property;

  /**
   * SeedreamDraft:file:
   *
   * Where the draft is kept; seedream_draft_get_default_file() when unset.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * SeedreamDraft:request:
   *
   * The form's contents (see seedream_draft_get_request()).
   */
  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL,
                         SEEDREAM_TYPE_REQUEST,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTOSAVE] =
    g_param_spec_boolean ("autosave", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SeedreamDraft::changed:
   *
   * Emitted after any change of the contents, including a load.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * SeedreamDraft::saved:
   *
   * Emitted after the draft was written to its file.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * SeedreamDraft::save-failed:
   * @self: a #SeedreamDraft
   * @error: why, a #G_IO_ERROR error
   *
   * Emitted when a scheduled save could not write the file. The save stays
   * pending: the next change or seedream_draft_flush() tries again.
   */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
seedream_draft_init (SeedreamDraft *self)
{
  self->request = seedream_request_new ();

  /* Connected before the defaults go in, so that those count as a load. */
  g_signal_connect_object (self->request, "notify",
                           G_CALLBACK (seedream_draft_emit_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (seedream_request_get_source_files (self->request), "items-changed",
                           G_CALLBACK (seedream_draft_emit_changed), self, G_CONNECT_SWAPPED);

  seedream_draft_reset (self);
}
