/* seedream-task-info.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What infobytaskid said about a task, immutable once made.
 */

#define G_LOG_DOMAIN "seedream-task-info"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seedream-task-info.h"

struct _SeedreamTaskInfo
{
  GObject     parent_instance;

  char       *task_id;
  gint64      image_status;
  GStrv       urls;
  guint       width;
  guint       height;
  char       *start_time_string;
  GDateTime  *start_time;
  char       *error_message;
};

G_DEFINE_FINAL_TYPE (SeedreamTaskInfo, seedream_task_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TASK_ID,
  PROP_STATE,
  PROP_IMAGE_STATUS,
  PROP_URLS,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_START_TIME_STRING,
  PROP_START_TIME,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * seedream_task_state_from_image_status:
 * @image_status: the `image_status` of an infobytaskid answer
 *
 * THE one place that maps the service's task status: 1 queued, 2 running,
 * 3 done, 4 failed. 3 is in the provider's documentation, 1, 2 and 4 come
 * from the provider's own scripts. Any other value counts as still running
 * (polling goes on) and is shown in the debug output.
 *
 * Returns: the state
 */
SeedreamTaskState
seedream_task_state_from_image_status (gint64 image_status)
{
  switch (image_status)
    {
    case 1:
      return SEEDREAM_TASK_STATE_QUEUED;
    case 2:
      return SEEDREAM_TASK_STATE_RUNNING;
    case 3:
      return SEEDREAM_TASK_STATE_DONE;
    case 4:
      return SEEDREAM_TASK_STATE_FAILED;
    default:
      g_debug ("Undocumented image_status %" G_GINT64_FORMAT ", taken as running",
               image_status);
      return SEEDREAM_TASK_STATE_RUNNING;
    }
}

/**
 * seedream_task_state_to_string:
 * @state: a state
 *
 * Returns: a stable name for logs and the database: "queued", "running",
 *   "done" or "failed"
 */
const char *
seedream_task_state_to_string (SeedreamTaskState state)
{
  switch (state)
    {
    case SEEDREAM_TASK_STATE_QUEUED:
      return "queued";
    case SEEDREAM_TASK_STATE_RUNNING:
      return "running";
    case SEEDREAM_TASK_STATE_DONE:
      return "done";
    case SEEDREAM_TASK_STATE_FAILED:
      return "failed";
    default:
      g_return_val_if_reached ("running");
    }
}

/* The service's own zone: the provider is in China, and its starttime
 * ("2026-01-30 12:00:00") names none. Reading it as our local time put the
 * start hours off anywhere but UTC+8. */
#define SERVICE_TIME_ZONE "+08:00"

/* "2026-01-30 12:00:00", no zone given: taken as UTC+8. An ISO 8601
 * string with a zone of its own is also understood. */
static GDateTime *
parse_start_time (const char *text)
{
  g_autoptr(GTimeZone) service_zone = NULL;
  g_autofree char *iso = NULL;
  char *space;

  if (text == NULL || *text == '\0')
    return NULL;

  iso = g_strstrip (g_strdup (text));
  space = strchr (iso, ' ');
  if (space != NULL)
    *space = 'T';

  service_zone = g_time_zone_new_identifier (SERVICE_TIME_ZONE);
  g_assert (service_zone != NULL);

  return g_date_time_new_from_iso8601 (iso, service_zone);
}

static void
seedream_task_info_finalize (GObject *object)
{
  SeedreamTaskInfo *self = (SeedreamTaskInfo *)object;

  g_clear_pointer (&self->task_id, g_free);
  g_clear_pointer (&self->urls, g_strfreev);
  g_clear_pointer (&self->start_time_string, g_free);
  g_clear_pointer (&self->start_time, g_date_time_unref);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (seedream_task_info_parent_class)->finalize (object);
}

static void
seedream_task_info_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SeedreamTaskInfo *self = SEEDREAM_TASK_INFO (object);

  switch (prop_id)
    {
    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;

    case PROP_STATE:
      g_value_set_int (value, seedream_task_info_get_state (self));
      break;

    case PROP_IMAGE_STATUS:
      g_value_set_int64 (value, self->image_status);
      break;

    case PROP_URLS:
      g_value_set_boxed (value, self->urls);
      break;

    case PROP_WIDTH:
      g_value_set_uint (value, self->width);
      break;

    case PROP_HEIGHT:
      g_value_set_uint (value, self->height);
      break;

    case PROP_START_TIME_STRING:
      g_value_set_string (value, self->start_time_string);
      break;

    case PROP_START_TIME:
      g_value_set_boxed (value, self->start_time);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_task_info_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SeedreamTaskInfo *self = SEEDREAM_TASK_INFO (object);

  switch (prop_id)
    {
    case PROP_TASK_ID:
      self->task_id = g_value_dup_string (value);
      break;

    case PROP_IMAGE_STATUS:
      self->image_status = g_value_get_int64 (value);
      break;

    case PROP_URLS:
      self->urls = g_value_dup_boxed (value);
      break;

    case PROP_WIDTH:
      self->width = g_value_get_uint (value);
      break;

    case PROP_HEIGHT:
      self->height = g_value_get_uint (value);
      break;

    case PROP_START_TIME_STRING:
      self->start_time_string = g_value_dup_string (value);
      self->start_time = parse_start_time (self->start_time_string);
      break;

    case PROP_ERROR_MESSAGE:
      self->error_message = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_task_info_constructed (GObject *object)
{
  SeedreamTaskInfo *self = (SeedreamTaskInfo *)object;

  G_OBJECT_CLASS (seedream_task_info_parent_class)->constructed (object);

  if (self->urls == NULL)
    self->urls = g_new0 (char *, 1);
}

static void
seedream_task_info_class_init (SeedreamTaskInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = seedream_task_info_constructed;
  object_class->finalize = seedream_task_info_finalize;
  object_class->get_property = seedream_task_info_get_property;
  object_class->set_property = seedream_task_info_set_property;

  properties[PROP_TASK_ID] =
    g_param_spec_string ("task-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* A SeedreamTaskState; an int because the enum has no GType. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      SEEDREAM_TASK_STATE_QUEUED, SEEDREAM_TASK_STATE_FAILED,
                      SEEDREAM_TASK_STATE_RUNNING,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_IMAGE_STATUS] =
    g_param_spec_int64 ("image-status", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_URLS] =
    g_param_spec_boxed ("urls", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_WIDTH] =
    g_param_spec_uint ("width", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HEIGHT] =
    g_param_spec_uint ("height", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_START_TIME_STRING] =
    g_param_spec_string ("start-time-string", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_START_TIME] =
    g_param_spec_boxed ("start-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_task_info_init (SeedreamTaskInfo *self)
{
}

/**
 * seedream_task_info_new:
 * @task_id: the task id
 * @image_status: the raw `image_status`
 * @urls: (nullable) (array zero-terminated=1): result URLs
 * @width: pixel width of the results, or 0
 * @height: pixel height of the results, or 0
 * @start_time: (nullable): `starttime` as the service gave it
 * @error_message: (nullable): why the task failed
 *
 * Returns: (transfer full): a new #SeedreamTaskInfo
 */
SeedreamTaskInfo *
seedream_task_info_new (const char         *task_id,
                        gint64              image_status,
                        const char * const *urls,
                        guint               width,
                        guint               height,
                        const char         *start_time,
                        const char         *error_message)
{
  return g_object_new (SEEDREAM_TYPE_TASK_INFO,
                       "task-id", task_id,
                       "image-status", image_status,
                       "urls", urls,
                       "width", width,
                       "height", height,
                       "start-time-string", start_time,
                       "error-message", error_message,
                       NULL);
}

const char *
seedream_task_info_get_task_id (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), NULL);

  return self->task_id;
}

/**
 * seedream_task_info_get_state:
 * @self: a #SeedreamTaskInfo
 *
 * Returns: the state, from seedream_task_state_from_image_status()
 */
SeedreamTaskState
seedream_task_info_get_state (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), SEEDREAM_TASK_STATE_RUNNING);

  return seedream_task_state_from_image_status (self->image_status);
}

gint64
seedream_task_info_get_image_status (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), 0);

  return self->image_status;
}

/**
 * seedream_task_info_get_urls:
 * @self: a #SeedreamTaskInfo
 *
 * Returns: (transfer none) (array zero-terminated=1): the result URLs,
 *   never %NULL (empty until the task is done)
 */
const char * const *
seedream_task_info_get_urls (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), NULL);

  return (const char * const *) self->urls;
}

guint
seedream_task_info_get_n_urls (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), 0);

  return g_strv_length (self->urls);
}

guint
seedream_task_info_get_width (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), 0);

  return self->width;
}

guint
seedream_task_info_get_height (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), 0);

  return self->height;
}

/**
 * seedream_task_info_get_start_time_string:
 * @self: a #SeedreamTaskInfo
 *
 * Returns: (nullable): `starttime` exactly as the service gave it
 */
const char *
seedream_task_info_get_start_time_string (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), NULL);

  return self->start_time_string;
}

/**
 * seedream_task_info_get_start_time:
 * @self: a #SeedreamTaskInfo
 *
 * The service gives no time zone; the time is read as UTC+8, the
 * service's own (see the API notes, "What the live service does").
 *
 * Returns: (transfer none) (nullable): the start time, or %NULL if the
 *   service gave none or it could not be read
 */
GDateTime *
seedream_task_info_get_start_time (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), NULL);

  return self->start_time;
}

/**
 * seedream_task_info_get_error_message:
 * @self: a #SeedreamTaskInfo
 *
 * Returns: (nullable): why the task failed, as the service said it
 */
const char *
seedream_task_info_get_error_message (SeedreamTaskInfo *self)
{
  g_return_val_if_fail (SEEDREAM_IS_TASK_INFO (self), NULL);

  return self->error_message;
}
