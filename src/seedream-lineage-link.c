/* seedream-lineage-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The link to the submission one was made from, the same in a History row
 * and in a task row: its words, its accessible name and its action.
 */

#define G_LOG_DOMAIN "seedream-lineage-link"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-excerpt.h"
#include "seedream-lineage-link.h"
#include "seedream-window.h"

/* A prompt can be long; the label ellipsizes, the name need not be a page. */
#define PROMPT_EXCERPT_CHARS 200

struct _SeedreamLineageLink
{
  GtkButton  parent_instance;

  GtkLabel  *label;
};

G_DEFINE_FINAL_TYPE (SeedreamLineageLink, seedream_lineage_link, GTK_TYPE_BUTTON)

static void
seedream_lineage_link_class_init (SeedreamLineageLinkClass *klass)
{
}

static void
seedream_lineage_link_init (SeedreamLineageLink *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0.0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_button_set_child (GTK_BUTTON (self), GTK_WIDGET (self->label));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("Show the submission this one was made from"));
  gtk_widget_add_css_class (GTK_WIDGET (self), "link");
  gtk_widget_add_css_class (GTK_WIDGET (self), "flat");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
seedream_lineage_link_new (void)
{
  return g_object_new (SEEDREAM_TYPE_LINEAGE_LINK, NULL);
}

/**
 * seedream_lineage_link_set_parent:
 * @self: a link
 * @parent_id: the history row of the parent
 * @parent_prompt: (nullable): its prompt; %NULL hides the link
 */
void
seedream_lineage_link_set_parent (SeedreamLineageLink *self,
                                  gint64               parent_id,
                                  const char          *parent_prompt)
{
  g_autofree char *excerpt = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (SEEDREAM_IS_LINEAGE_LINK (self));

  gtk_widget_set_visible (GTK_WIDGET (self), parent_prompt != NULL);
  if (parent_prompt == NULL)
    return;

  excerpt = seedream_excerpt (parent_prompt, PROMPT_EXCERPT_CHARS);
  /* Translators: a link to the submission this one was made from; %s is its prompt */
  label = g_strdup_printf (_("From: %s"), excerpt);
  gtk_label_set_label (self->label, label);
  /* The name goes with the target: a name with no target warns. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "x", parent_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), SEEDREAM_WINDOW_SHOW_CHAIN_ACTION);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}
