/* seedream-history-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One submission as the history stored it: an immutable snapshot of its row
 * with its source copies and results. SeedreamHistory makes them. What was
 * asked for (model, prompt, resolution, batch size, image URL, sources) is
 * held in a SeedreamRequest, the one model of a request; the entry keeps
 * only what is its own: the row's id, time, state, task id, messages,
 * results, the model id as stored and the paths of the source copies.
 */

#define G_LOG_DOMAIN "seedream-history-entry"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-history-entry.h"
#include "seedream-history-private.h"
#include "seedream-model.h"

/**
 * seedream_history_state_to_string:
 * @state: a stored state
 *
 * Returns: the state in words, for the UI (translated)
 */
const char *
seedream_history_state_to_string (SeedreamHistoryState state)
{
  switch (state)
    {
    case SEEDREAM_HISTORY_STATE_SENDING:
      return _("Sending");
    case SEEDREAM_HISTORY_STATE_OUTCOME_UNKNOWN:
      return _("Outcome unknown");
    case SEEDREAM_HISTORY_STATE_SEND_FAILED:
      return _("Not sent");
    case SEEDREAM_HISTORY_STATE_CANCELLED:
      return _("Cancelled");
    case SEEDREAM_HISTORY_STATE_SUBMITTED:
      return _("Submitted");
    case SEEDREAM_HISTORY_STATE_DONE:
      return _("Done");
    case SEEDREAM_HISTORY_STATE_TASK_FAILED:
      return _("Failed");
    case SEEDREAM_HISTORY_STATE_NO_IMAGES:
      /* Translators: the service finished a task and sent no images */
      return _("No images");
    default:
      /* A row written by a newer version of the app. */
      return _("Unknown");
    }
}

/* What the "Failed or Without Images" filter shows; the SQL is made from
 * this list, so a new state that belongs there is one more line. */
static const SeedreamHistoryState failed_states[] = {
  SEEDREAM_HISTORY_STATE_SEND_FAILED,
  SEEDREAM_HISTORY_STATE_TASK_FAILED,
  SEEDREAM_HISTORY_STATE_NO_IMAGES,
};

gboolean
seedream_history_state_is_failed (SeedreamHistoryState state)
{
  for (guint i = 0; i < G_N_ELEMENTS (failed_states); i++)
    if (failed_states[i] == state)
      return TRUE;

  return FALSE;
}

const SeedreamHistoryState *
seedream_history_get_failed_states (guint *n_states)
{
  *n_states = G_N_ELEMENTS (failed_states);

  return failed_states;
}

/* Results */

struct _SeedreamHistoryResult
{
  guint  index;
  char  *url;
  char  *local_path;
  guint  width;
  guint  height;
  gboolean favourite;
};

G_DEFINE_BOXED_TYPE (SeedreamHistoryResult, seedream_history_result,
                     seedream_history_result_ref, seedream_history_result_unref)

static void
seedream_history_result_clear (gpointer data)
{
  SeedreamHistoryResult *self = data;

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->local_path, g_free);
}

/**
 * seedream_history_result_new:
 * @index: the position in the task's list of result URLs
 * @url: (nullable): where the service put the image
 * @local_path: (nullable): the downloaded copy, or %NULL before
 * @width: the pixel width, or 0 if unknown
 * @height: the pixel height, or 0 if unknown
 *
 * Returns: (transfer full): a new result
 */
SeedreamHistoryResult *
seedream_history_result_new (guint       index,
                             const char *url,
                             const char *local_path,
                             guint       width,
                             guint       height)
{
  SeedreamHistoryResult *self = g_atomic_rc_box_new0 (SeedreamHistoryResult);

  self->index = index;
  self->url = g_strdup (url);
  self->local_path = g_strdup (local_path);
  self->width = width;
  self->height = height;

  return self;
}

SeedreamHistoryResult *
seedream_history_result_ref (SeedreamHistoryResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
seedream_history_result_unref (SeedreamHistoryResult *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, seedream_history_result_clear);
}

guint
seedream_history_result_get_index (SeedreamHistoryResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->index;
}

const char *
seedream_history_result_get_url (SeedreamHistoryResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}

const char *
seedream_history_result_get_local_path (SeedreamHistoryResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->local_path;
}

guint
seedream_history_result_get_width (SeedreamHistoryResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->width;
}

guint
seedream_history_result_get_height (SeedreamHistoryResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->height;
}

/* Starred on its own (the star on its tile and in its preview). */
gboolean
seedream_history_result_get_favourite (SeedreamHistoryResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->favourite;
}

/* Only while the entry is made (read_entry()): results are snapshots. */
void
seedream_history_result_set_favourite_internal (SeedreamHistoryResult *self,
                                                gboolean               favourite)
{
  self->favourite = !!favourite;
}

/* Entries */

struct _SeedreamHistoryEntry
{
  GObject               parent_instance;

  gint64                id;
  GDateTime            *created;
  char                 *model_id;
  SeedreamRequest      *request;
  /* Kept beside the request's files: two originals with the same content
   * share one copy, which the request would hold once. */
  char                **source_paths;
  SeedreamHistoryState  state;
  char                 *task_id;
  char                 *error_message;
  char                 *server_message;
  GPtrArray            *results;
  gboolean              favourite;
  /* Lineage, read with the row: the parent's prompt (NULL: no parent still
   * in the history) and how many rows were made from this one's images. */
  char                 *parent_prompt;
  guint                 n_children;
};

G_DEFINE_FINAL_TYPE (SeedreamHistoryEntry, seedream_history_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CREATED,
  PROP_PROMPT,
  PROP_RESOLUTION,
  PROP_BATCH_SIZE,
  PROP_IMAGE_URL,
  PROP_STATE,
  PROP_TASK_ID,
  PROP_ERROR_MESSAGE,
  PROP_SERVER_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * seedream_history_entry_new_take: (skip)
 * @source_paths: (transfer full) (nullable): absolute paths of the copies
 * @results: (transfer full) (nullable): (element-type SeedreamHistoryResult)
 *
 * For SeedreamHistory only (see seedream-history-private.h).
 */
SeedreamHistoryEntry *
seedream_history_entry_new_take (gint64                id,
                                 gint64                created_usec,
                                 const char           *model_id,
                                 const char           *prompt,
                                 const char           *resolution,
                                 guint                 batch_size,
                                 const char           *image_url,
                                 char                **source_paths,
                                 SeedreamHistoryState  state,
                                 const char           *task_id,
                                 const char           *error_message,
                                 const char           *server_message,
                                 GPtrArray            *results)
{
  SeedreamHistoryEntry *self = g_object_new (SEEDREAM_TYPE_HISTORY_ENTRY, NULL);

  self->id = id;
  self->created = g_date_time_new_from_unix_local_usec (created_usec);
  if (self->created == NULL)
    self->created = g_date_time_new_from_unix_local (0);
  self->model_id = g_strdup (model_id);
  self->source_paths = source_paths != NULL ? source_paths : g_new0 (char *, 1);

  /* A model that is no longer in the table gives the default model. */
  self->request = seedream_request_new ();
  seedream_request_set_model (self->request,
                              model_id != NULL ? seedream_model_lookup (model_id) : NULL);
  seedream_request_set_prompt (self->request, prompt);
  seedream_request_set_resolution (self->request, resolution);
  seedream_request_set_batch_size (self->request, batch_size);
  seedream_request_set_image_url (self->request, image_url);
  for (guint i = 0; self->source_paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->source_paths[i]);

      seedream_request_add_source_file (self->request, file);
    }
  self->state = state;
  self->task_id = g_strdup (task_id);
  self->error_message = g_strdup (error_message);
  self->server_message = g_strdup (server_message);
  if (results != NULL)
    self->results = results;
  else
    self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) seedream_history_result_unref);

  return self;
}

static void
seedream_history_entry_finalize (GObject *object)
{
  SeedreamHistoryEntry *self = (SeedreamHistoryEntry *)object;

  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->model_id, g_free);
  g_clear_object (&self->request);
  g_clear_pointer (&self->source_paths, g_strfreev);
  g_clear_pointer (&self->parent_prompt, g_free);
  g_clear_pointer (&self->task_id, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->server_message, g_free);
  g_clear_pointer (&self->results, g_ptr_array_unref);

  G_OBJECT_CLASS (seedream_history_entry_parent_class)->finalize (object);
}

static void
seedream_history_entry_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SeedreamHistoryEntry *self = SEEDREAM_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, seedream_request_get_prompt (self->request));
      break;
    case PROP_RESOLUTION:
      g_value_set_string (value, seedream_request_get_resolution (self->request));
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, seedream_request_get_batch_size (self->request));
      break;
    case PROP_IMAGE_URL:
      g_value_set_string (value, seedream_request_get_image_url (self->request));
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_SERVER_MESSAGE:
      g_value_set_string (value, self->server_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_history_entry_class_init (SeedreamHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = seedream_history_entry_finalize;
  object_class->get_property = seedream_history_entry_get_property;

  /* Read-only, so that list item templates can bind them. */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLUTION] =
    g_param_spec_string ("resolution", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE_URL] =
    g_param_spec_string ("image-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* A SeedreamHistoryState (no enum GType is registered for it). */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TASK_ID] =
    g_param_spec_string ("task-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_MESSAGE] =
    g_param_spec_string ("server-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_history_entry_init (SeedreamHistoryEntry *self)
{
}

gint64
seedream_history_entry_get_id (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), 0);

  return self->id;
}

/**
 * seedream_history_entry_get_created:
 * @self: an entry
 *
 * Returns: (transfer none): when the submission was written, in local time
 */
GDateTime *
seedream_history_entry_get_created (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return self->created;
}

const char *
seedream_history_entry_get_prompt (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return seedream_request_get_prompt (self->request);
}

const char *
seedream_history_entry_get_resolution (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return seedream_request_get_resolution (self->request);
}

guint
seedream_history_entry_get_batch_size (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), 0);

  return seedream_request_get_batch_size (self->request);
}

/**
 * seedream_history_entry_get_image_url:
 * @self: an entry
 *
 * Returns: (nullable): the source image URL sent, or %NULL
 */
const char *
seedream_history_entry_get_image_url (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return seedream_request_get_image_url (self->request);
}

/**
 * seedream_history_entry_get_source_paths:
 * @self: an entry
 *
 * Returns: (transfer none) (array zero-terminated=1): absolute paths of the
 *   app's own copies of the source images, in the order they were sent;
 *   never %NULL
 */
const char * const *
seedream_history_entry_get_source_paths (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return (const char * const *) self->source_paths;
}

SeedreamHistoryState
seedream_history_entry_get_state (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), SEEDREAM_HISTORY_STATE_SENDING);

  return self->state;
}

/**
 * seedream_history_entry_get_task_id:
 * @self: an entry
 *
 * Returns: (nullable): the service's task id, once it gave one
 */
const char *
seedream_history_entry_get_task_id (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return self->task_id;
}

/**
 * seedream_history_entry_get_error_message:
 * @self: an entry
 *
 * Returns: (nullable): what went wrong, in words, or %NULL
 */
const char *
seedream_history_entry_get_error_message (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return self->error_message;
}

/**
 * seedream_history_entry_get_server_message:
 * @self: an entry
 *
 * Returns: (nullable): the service's own `msg`, or %NULL
 */
const char *
seedream_history_entry_get_server_message (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return self->server_message;
}

/**
 * seedream_history_entry_get_results:
 * @self: an entry
 *
 * Returns: (transfer none) (element-type SeedreamHistoryResult): the
 *   results ordered by index; empty, never %NULL
 */
GPtrArray *
seedream_history_entry_get_results (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return self->results;
}

/* Private: the id of the model table row it was sent to, or %NULL for rows
 * written before the history recorded it. */
const char *
seedream_history_entry_get_model_id (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return self->model_id;
}

gboolean
seedream_history_entry_get_favourite (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), FALSE);

  return self->favourite;
}

/* Only while the entry is made (read_entry()): entries are snapshots. */
void
seedream_history_entry_set_favourite_internal (SeedreamHistoryEntry *self,
                                               gboolean              favourite)
{
  self->favourite = !!favourite;
}

void
seedream_history_entry_set_lineage_internal (SeedreamHistoryEntry *self,
                                             const char           *parent_prompt,
                                             guint                 n_children)
{
  g_set_str (&self->parent_prompt, parent_prompt);
  self->n_children = n_children;
}

/**
 * seedream_history_entry_get_parent_prompt:
 * @self: an entry
 *
 * Returns: (nullable): the prompt of the submission this one was made
 *   from (see seedream_history_entry_get_parent()), or %NULL
 */
const char *
seedream_history_entry_get_parent_prompt (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return self->parent_prompt;
}

/**
 * seedream_history_entry_get_n_children:
 * @self: an entry
 *
 * Returns: how many submissions used one of this one's images as a source
 */
guint
seedream_history_entry_get_n_children (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), 0);

  return self->n_children;
}

gboolean
seedream_history_entry_has_favourite_result (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), FALSE);

  for (guint i = 0; i < self->results->len; i++)
    if (seedream_history_result_get_favourite (g_ptr_array_index (self->results, i)))
      return TRUE;

  return FALSE;
}

gboolean
seedream_history_entry_matches (SeedreamHistoryEntry  *self,
                                const char            *search,
                                SeedreamHistoryFilter  filter,
                                const char            *model_id)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), FALSE);

  /* A starred image puts its submission under Favourites: that is where
   * the person looks for it (the same as seedream-history-search.c). */
  if (filter == SEEDREAM_HISTORY_FILTER_FAVOURITES &&
      !self->favourite && !seedream_history_entry_has_favourite_result (self))
    return FALSE;
  if (filter == SEEDREAM_HISTORY_FILTER_FAILED && !seedream_history_state_is_failed (self->state))
    return FALSE;
  if (model_id != NULL &&
      g_strcmp0 (model_id, self->model_id != NULL ? self->model_id : seedream_model_get_default ()->id) != 0)
    return FALSE;

  return seedream_history_prompt_matches (seedream_history_entry_get_prompt (self), search);
}

/**
 * seedream_history_entry_get_parent:
 * @self: an entry
 * @entry_id: (out) (optional): the row of the parent result
 * @index: (out) (optional): which of that row's results
 *
 * Returns: %TRUE if one of the sources is known to be a result
 */
gboolean
seedream_history_entry_get_parent (SeedreamHistoryEntry *self,
                                   gint64               *entry_id,
                                   guint                *index)
{
  GListModel *sources;

  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), FALSE);

  sources = seedream_request_get_source_files (self->request);
  for (guint i = 0, n = g_list_model_get_n_items (sources); i < n; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (sources, i);

      if (seedream_request_get_source_parent (self->request, file, entry_id, index))
        return TRUE;
    }

  if (entry_id != NULL)
    *entry_id = 0;
  if (index != NULL)
    *index = 0;

  return FALSE;
}

/**
 * seedream_history_entry_get_request:
 * @self: an entry
 *
 * What was asked for: the model, prompt, resolution, batch size, image URL
 * and source images of this submission. The sources are the app's own
 * copies, so moving the originals loses nothing; a model that is no longer
 * in the table is the default model. The request belongs to the entry,
 * which is immutable: do not change it (see
 * seedream_history_entry_to_request() for one to edit).
 *
 * Returns: (transfer none): the entry's request
 */
SeedreamRequest *
seedream_history_entry_get_request (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return self->request;
}

/**
 * seedream_history_entry_to_request:
 * @self: an entry
 *
 * A copy of seedream_history_entry_get_request(), for "Reuse": changing it
 * leaves the entry as it is.
 *
 * Returns: (transfer full): a new request
 */
SeedreamRequest *
seedream_history_entry_to_request (SeedreamHistoryEntry *self)
{
  g_return_val_if_fail (SEEDREAM_IS_HISTORY_ENTRY (self), NULL);

  return seedream_request_copy (self->request);
}
