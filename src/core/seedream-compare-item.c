/* seedream-compare-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-compare-item"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-compare-item.h"

struct _SeedreamCompareItem
{
  GObject  parent_instance;

  GFile   *file;
  char    *prompt;
  char    *model_name;
  guint    width;
  guint    height;
};

G_DEFINE_FINAL_TYPE (SeedreamCompareItem, seedream_compare_item, G_TYPE_OBJECT)

/**
 * seedream_compare_item_new:
 * @file: the image
 * @prompt: (nullable): what it was made from
 * @model_name: (nullable): the model's name as people know it
 * @width: its width in pixels, or 0
 * @height: its height in pixels, or 0
 *
 * Returns: (transfer full): a new item
 */
SeedreamCompareItem *
seedream_compare_item_new (GFile      *file,
                           const char *prompt,
                           const char *model_name,
                           guint       width,
                           guint       height)
{
  SeedreamCompareItem *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (SEEDREAM_TYPE_COMPARE_ITEM, NULL);
  self->file = g_object_ref (file);
  self->prompt = g_strdup (prompt != NULL ? prompt : "");
  self->model_name = g_strdup (model_name);
  self->width = width;
  self->height = height;

  return self;
}

GFile *
seedream_compare_item_get_file (SeedreamCompareItem *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_ITEM (self), NULL);

  return self->file;
}

const char *
seedream_compare_item_get_prompt (SeedreamCompareItem *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_ITEM (self), NULL);

  return self->prompt;
}

const char *
seedream_compare_item_get_model_name (SeedreamCompareItem *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_ITEM (self), NULL);

  return self->model_name;
}

guint
seedream_compare_item_get_width (SeedreamCompareItem *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_ITEM (self), 0);

  return self->width;
}

guint
seedream_compare_item_get_height (SeedreamCompareItem *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPARE_ITEM (self), 0);

  return self->height;
}

/**
 * seedream_compare_item_dup_details:
 * @self: an item
 *
 * Returns: (transfer full): the line under the image: "Model · W × H",
 *   leaving out what is not known
 */
char *
seedream_compare_item_dup_details (SeedreamCompareItem *self)
{
  g_autoptr(GString) details = g_string_new (NULL);

  g_return_val_if_fail (SEEDREAM_IS_COMPARE_ITEM (self), NULL);

  if (self->model_name != NULL && *self->model_name != '\0')
    g_string_append (details, self->model_name);
  if (self->width > 0 && self->height > 0)
    {
      if (details->len > 0)
        g_string_append (details, " · ");
      /* Translators: pixel dimensions of an image */
      g_string_append_printf (details, _("%u × %u pixels"), self->width, self->height);
    }

  return g_string_free (g_steal_pointer (&details), FALSE);
}

static void
seedream_compare_item_finalize (GObject *object)
{
  SeedreamCompareItem *self = SEEDREAM_COMPARE_ITEM (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->model_name, g_free);

  G_OBJECT_CLASS (seedream_compare_item_parent_class)->finalize (object);
}

static void
seedream_compare_item_class_init (SeedreamCompareItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seedream_compare_item_finalize;
}

static void
seedream_compare_item_init (SeedreamCompareItem *self)
{
}
