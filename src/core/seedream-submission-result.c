/* seedream-submission-result.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One image of a submission: where it was saved and how large it is, or
 * why it could not be fetched, and whether it is starred (the one thing
 * that changes: the submission copies it from its history row).
 */

#define G_LOG_DOMAIN "seedream-submission-result"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-submission-result.h"

struct _SeedreamSubmissionResult
{
  GObject  parent_instance;

  guint    index;
  GFile   *file;
  guint    width;
  guint    height;
  GError  *error;
  gboolean favourite;
};

G_DEFINE_FINAL_TYPE (SeedreamSubmissionResult, seedream_submission_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INDEX,
  PROP_FILE,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_ERROR,
  PROP_FAVOURITE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * seedream_submission_result_new:
 * @index: the image's position in the task
 * @file: (nullable): the downloaded image, or %NULL when it failed
 * @width: its width in pixels
 * @height: its height in pixels
 * @error: (nullable): why it could not be fetched
 */
SeedreamSubmissionResult *
seedream_submission_result_new (guint         index,
                                GFile        *file,
                                guint         width,
                                guint         height,
                                const GError *error)
{
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);
  g_return_val_if_fail ((file == NULL) != (error == NULL), NULL);

  return g_object_new (SEEDREAM_TYPE_SUBMISSION_RESULT,
                       "index", index,
                       "file", file,
                       "width", width,
                       "height", height,
                       "error", error,
                       NULL);
}

guint
seedream_submission_result_get_index (SeedreamSubmissionResult *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION_RESULT (self), 0);

  return self->index;
}

/**
 * seedream_submission_result_get_file:
 *
 * Returns: (nullable) (transfer none): the image, or %NULL when it failed
 */
GFile *
seedream_submission_result_get_file (SeedreamSubmissionResult *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION_RESULT (self), NULL);

  return self->file;
}

guint
seedream_submission_result_get_width (SeedreamSubmissionResult *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION_RESULT (self), 0);

  return self->width;
}

guint
seedream_submission_result_get_height (SeedreamSubmissionResult *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION_RESULT (self), 0);

  return self->height;
}

/**
 * seedream_submission_result_get_error:
 *
 * Returns: (nullable): why the image could not be fetched, or %NULL
 */
const GError *
seedream_submission_result_get_error (SeedreamSubmissionResult *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION_RESULT (self), NULL);

  return self->error;
}

gboolean
seedream_submission_result_get_favourite (SeedreamSubmissionResult *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SUBMISSION_RESULT (self), FALSE);

  return self->favourite;
}

void
seedream_submission_result_set_favourite (SeedreamSubmissionResult *self,
                                          gboolean                  favourite)
{
  g_return_if_fail (SEEDREAM_IS_SUBMISSION_RESULT (self));

  favourite = !!favourite;
  if (self->favourite == favourite)
    return;

  self->favourite = favourite;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAVOURITE]);
}

static void
seedream_submission_result_finalize (GObject *object)
{
  SeedreamSubmissionResult *self = SEEDREAM_SUBMISSION_RESULT (object);

  g_clear_object (&self->file);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (seedream_submission_result_parent_class)->finalize (object);
}

static void
seedream_submission_result_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SeedreamSubmissionResult *self = SEEDREAM_SUBMISSION_RESULT (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_WIDTH:
      g_value_set_uint (value, self->width);
      break;

    case PROP_HEIGHT:
      g_value_set_uint (value, self->height);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    case PROP_FAVOURITE:
      g_value_set_boolean (value, self->favourite);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_submission_result_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  SeedreamSubmissionResult *self = SEEDREAM_SUBMISSION_RESULT (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      self->index = g_value_get_uint (value);
      break;

    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    case PROP_WIDTH:
      self->width = g_value_get_uint (value);
      break;

    case PROP_HEIGHT:
      self->height = g_value_get_uint (value);
      break;

    case PROP_ERROR:
      self->error = g_value_dup_boxed (value);
      break;

    case PROP_FAVOURITE:
      seedream_submission_result_set_favourite (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_submission_result_class_init (SeedreamSubmissionResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = seedream_submission_result_finalize;
  object_class->get_property = seedream_submission_result_get_property;
  object_class->set_property = seedream_submission_result_set_property;

  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_WIDTH] =
    g_param_spec_uint ("width", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HEIGHT] =
    g_param_spec_uint ("height", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* The image's star in the history; notified when it changes there. */
  properties[PROP_FAVOURITE] =
    g_param_spec_boolean ("favourite", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_submission_result_init (SeedreamSubmissionResult *self)
{
}
