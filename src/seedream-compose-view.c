/* seedream-compose-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The compose form. Every edit goes straight into the SeedreamRequest of a
 * SeedreamDraft (which saves itself), so the form and the draft never
 * disagree; the form only adds what a person needs to see: live validation
 * and previews. Generate sends a copy of that request.
 */

#define G_LOG_DOMAIN "seedream-compose-view"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-compose-view.h"
#include "seedream-error.h"
#include "seedream-model.h"
#include "seedream-model-picker.h"
#include "seedream-resolution.h"
#include "seedream-source-thumbnail.h"

struct _SeedreamComposeView
{
  AdwBin               parent_instance;

  SeedreamDraft       *draft;
  SeedreamRequest     *request;  /* the draft's: what the form shows */
  GSettings           *settings;
  GCancellable        *cancellable;
  char                *blocked_reason;
  gboolean             syncing;
  guint                n_checks_pending;
  /* Files or one URL: the question on screen, and the files it holds. */
  AdwDialog           *sources_dialog;
  GPtrArray           *held_files;
  guint                url_question_id;
  gboolean             url_asked;
  /* What each position of the Resolution row stands for: a preset's wire
   * form, or NULL for the custom size. */
  GPtrArray           *resolution_choices;
  /* The last position holds a value the model does not take, kept as the
   * person left it (see rebuild_resolution_choices()). */
  gboolean             resolution_kept;

  GtkTextView         *prompt_view;
  GtkLabel            *prompt_hint;
  GtkLabel            *prompt_count;
  AdwComboRow         *model_row;
  AdwComboRow         *resolution_row;
  AdwEntryRow         *width_row;
  AdwEntryRow         *height_row;
  GtkLabel            *resolution_status;
  GtkAdjustment       *batch_adjustment;
  GtkFlowBox          *sources_box;
  AdwEntryRow         *image_url_row;
  GtkButton           *generate_button;
};

G_DEFINE_FINAL_TYPE (SeedreamComposeView, seedream_compose_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CAN_GENERATE,
  PROP_BLOCKED_REASON,
  N_PROPS
};

enum {
  FILE_REFUSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const SeedreamModel *
current_model (SeedreamComposeView *self)
{
  if (self->request == NULL)
    return seedream_model_get_default ();

  return seedream_request_get_model (self->request);
}

static gboolean
is_custom_selected (SeedreamComposeView *self)
{
  guint selected = adw_combo_row_get_selected (self->resolution_row);

  return selected < self->resolution_choices->len &&
         g_ptr_array_index (self->resolution_choices, selected) == NULL;
}

/* Whether the Resolution row shows the kept value the model does not take. */
static gboolean
is_kept_selected (SeedreamComposeView *self)
{
  return self->resolution_kept &&
         adw_combo_row_get_selected (self->resolution_row) == self->resolution_choices->len - 1;
}

/* Digits only: signs, spaces and separators are mistakes worth pointing at. */
static gboolean
parse_dimension (const char *text,
                 guint64    *value)
{
  guint64 result = 0;

  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (result > (G_MAXUINT64 - 9) / 10)
        return FALSE;
      result = result * 10 + (guint64) (*p - '0');
    }

  *value = result;
  return TRUE;
}

static void
set_row_error (AdwEntryRow *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
set_blocked_reason (SeedreamComposeView *self,
                    const char          *reason)
{
  gboolean could_generate = self->blocked_reason == NULL;

  if (g_strcmp0 (self->blocked_reason, reason) == 0)
    return;

  g_free (self->blocked_reason);
  self->blocked_reason = g_strdup (reason);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->generate_button), reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKED_REASON]);
  if (could_generate != (reason == NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GENERATE]);
}

/* Checks the custom size; returns the wire form, or NULL with a reason. */
static char *
check_custom_size (SeedreamComposeView  *self,
                   char                **message)
{
  const char *width_text = gtk_editable_get_text (GTK_EDITABLE (self->width_row));
  const char *height_text = gtk_editable_get_text (GTK_EDITABLE (self->height_row));
  guint64 width = 0, height = 0, pixels = 0;
  gboolean width_ok = parse_dimension (width_text, &width);
  gboolean height_ok = parse_dimension (height_text, &height);

  if (!width_ok || !height_ok)
    {
      *message = g_strdup (_("Enter the width and height in pixels, digits only"));
      return NULL;
    }

  if (!seedream_resolution_rule_allows_custom (current_model (self)->resolution))
    {
      /* Translators: %s is a model name, "Seedream 4.0" */
      *message = g_strdup_printf (_("%s takes only the sizes in the list, not a custom size: choose one of them"),
                                  current_model (self)->display_name);
      return NULL;
    }

  if (!seedream_resolution_rule_check_size (current_model (self)->resolution, width, height, &pixels, message))
    return NULL;

  return g_strdup_printf ("%" G_GUINT64_FORMAT "x%" G_GUINT64_FORMAT, width, height);
}

/* Recomputes everything that depends on more than one field. */
static gboolean
image_url_is_set (SeedreamComposeView *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->image_url_row))));

  return *url != '\0';
}

/* Files in the form and files still being checked. */
static guint
n_files_attached (SeedreamComposeView *self)
{
  if (self->draft == NULL)
    return 0;

  return g_list_model_get_n_items (seedream_request_get_source_files (self->request)) + self->n_checks_pending;
}

/* Why Generate waits while both are in the form (the question was set
 * aside): the request validator would refuse the pair. */
static const char *
sources_conflict_reason (SeedreamComposeView *self)
{
  if (image_url_is_set (self) && n_files_attached (self) > 0)
    return _("Use either the source images or the source image URL, not both: remove one of them");

  return NULL;
}

static void
show_resolution_status (SeedreamComposeView *self,
                        const char          *message,
                        gboolean             is_error)
{
  gtk_label_set_label (self->resolution_status, message);
  gtk_widget_set_visible (GTK_WIDGET (self->resolution_status), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->resolution_status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->resolution_status), "error");
}

static void
update_validation (SeedreamComposeView *self)
{
  g_autofree char *size_message = NULL;
  g_autofree char *wire = NULL;
  g_autofree char *kept_message = NULL;
  g_autoptr(GError) request_error = NULL;
  const char *reason = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  gboolean url_ok = seedream_request_image_url_is_valid (gtk_editable_get_text (GTK_EDITABLE (self->image_url_row)));

  if (is_custom_selected (self))
    {
      wire = check_custom_size (self, &size_message);
      set_row_error (self->width_row, wire == NULL);
      set_row_error (self->height_row, wire == NULL);
      if (is_kept_selected (self))
        gtk_widget_add_css_class (GTK_WIDGET (self->resolution_row), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->resolution_row), "error");
      show_resolution_status (self, size_message, wire == NULL);

      /* The sentence a sighted person reads is what a screen reader hears. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->width_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, size_message, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->height_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, size_message, -1);
      if (wire == NULL)
        reason = size_message;
    }
  else if (is_kept_selected (self))
    {
      /* A preset of another model, kept after a switch: said, not changed. */
      kept_message = g_strdup_printf (/* Translators: "Seedream 4.0 does not take 2K: choose a resolution it offers" */
                                      _("%s does not take %s: choose a resolution it offers"),
                                      current_model (self)->display_name,
                                      seedream_request_get_resolution (self->request));
      gtk_widget_add_css_class (GTK_WIDGET (self->resolution_row), "error");
      show_resolution_status (self, kept_message, TRUE);
      reason = kept_message;
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->resolution_row), "error");
      show_resolution_status (self, NULL, FALSE);
      set_row_error (self->width_row, FALSE);
      set_row_error (self->height_row, FALSE);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->resolution_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  kept_message != NULL ? kept_message : "", -1);

  set_row_error (self->image_url_row, !url_ok);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->image_url_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  url_ok ? "" : _("Enter an address starting with http:// or https://"),
                                  -1);

  if (reason == NULL && !url_ok)
    reason = _("The source image URL must start with http:// or https://");
  if (reason == NULL && gtk_text_buffer_get_char_count (buffer) == 0)
    reason = _("Describe the image you want first");
  if (reason == NULL && self->n_checks_pending > 0)
    reason = _("Checking the source images…");
  if (reason == NULL)
    reason = sources_conflict_reason (self);
  /* The model's own checks, for whatever the form has no word of its own
   * for (the request is what is sent). */
  if (reason == NULL && self->request != NULL &&
      !seedream_request_validate (self->request, &request_error))
    reason = request_error->message;

  set_blocked_reason (self, reason);
}

static void
prompt_changed_cb (SeedreamComposeView *self,
                   GtkTextBuffer       *buffer)
{
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  GtkTextIter start, end;
  int n_chars = gtk_text_buffer_get_char_count (buffer);

  gtk_widget_set_visible (GTK_WIDGET (self->prompt_hint), n_chars == 0);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d character", "%d characters", n_chars), n_chars);
  gtk_label_set_label (self->prompt_count, count);

  if (!self->syncing && self->draft != NULL)
    {
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_object_set (self->request, "prompt", text, NULL);
    }

  update_validation (self);
}

static void
store_resolution (SeedreamComposeView *self)
{
  g_autofree char *custom = NULL;
  guint selected = adw_combo_row_get_selected (self->resolution_row);

  if (self->syncing || self->draft == NULL || selected >= self->resolution_choices->len)
    return;

  if (!is_custom_selected (self))
    {
      g_object_set (self->request, "resolution", g_ptr_array_index (self->resolution_choices, selected), NULL);
      return;
    }

  /* An invalid custom size is kept too, as typed, so nothing is lost. */
  custom = g_strdup_printf ("%sx%s",
                            gtk_editable_get_text (GTK_EDITABLE (self->width_row)),
                            gtk_editable_get_text (GTK_EDITABLE (self->height_row)));
  g_object_set (self->request, "resolution", custom, NULL);
}

static void
resolution_selected_cb (SeedreamComposeView *self)
{
  gboolean custom = is_custom_selected (self);

  gtk_widget_set_visible (GTK_WIDGET (self->width_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->height_row), custom);
  store_resolution (self);
  update_validation (self);
}

static void
custom_size_changed_cb (SeedreamComposeView *self)
{
  store_resolution (self);
  update_validation (self);
}

static void
swap_clicked_cb (SeedreamComposeView *self)
{
  g_autofree char *width = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->width_row)));
  g_autofree char *height = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->height_row)));

  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->width_row), height);
  self->syncing = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->height_row), width);
}

static void
batch_changed_cb (SeedreamComposeView *self)
{
  if (!self->syncing && self->draft != NULL)
    g_object_set (self->request, "batch-size", (guint) gtk_adjustment_get_value (self->batch_adjustment), NULL);
}

static void ask_url_or_files (SeedreamComposeView *self);

/* How long the URL field rests before the form asks about it: a question
 * that opened at the first character would take the rest of the typing. */
#define URL_QUESTION_DELAY_MS 800

static gboolean
url_question_cb (gpointer user_data)
{
  SeedreamComposeView *self = user_data;

  self->url_question_id = 0;
  if (image_url_is_set (self) && n_files_attached (self) > 0)
    ask_url_or_files (self);

  return G_SOURCE_REMOVE;
}

static void
image_url_changed_cb (SeedreamComposeView *self)
{
  gboolean url_set = image_url_is_set (self);

  if (!self->syncing && self->draft != NULL)
    g_object_set (self->request, "image-url", gtk_editable_get_text (GTK_EDITABLE (self->image_url_row)), NULL);

  /* Typed or pasted while files are attached: which one is the person's
   * choice, asked once the field rests, and once per URL, not at every
   * keystroke. */
  if (!url_set)
    self->url_asked = FALSE;
  g_clear_handle_id (&self->url_question_id, g_source_remove);
  if (!self->syncing && url_set && !self->url_asked && n_files_attached (self) > 0)
    self->url_question_id = g_timeout_add (URL_QUESTION_DELAY_MS, url_question_cb, self);

  update_validation (self);
}

static void
thumbnail_remove_cb (SeedreamComposeView     *self,
                     SeedreamSourceThumbnail *thumbnail)
{
  seedream_request_remove_source_file (self->request, seedream_source_thumbnail_get_file (thumbnail));
}

static GtkWidget *
create_thumbnail_cb (gpointer item,
                     gpointer user_data)
{
  SeedreamComposeView *self = user_data;
  GtkWidget *thumbnail = seedream_source_thumbnail_new (G_FILE (item));

  g_signal_connect_object (thumbnail, "remove", G_CALLBACK (thumbnail_remove_cb), self, G_CONNECT_SWAPPED);
  return thumbnail;
}

/* The label of a preset wherever the table has it, for a value kept from
 * another model. */
static const char *
find_preset_label (const char *wire)
{
  guint n_models = 0;
  const SeedreamModel *models = seedream_model_get_all (&n_models);

  for (guint m = 0; m < n_models; m++)
    {
      int i = seedream_resolution_rule_find_preset (models[m].resolution, wire);

      if (i >= 0)
        return gettext (models[m].resolution->presets[i].label);
    }

  return wire;
}

static void
append_choice (SeedreamComposeView *self,
               GtkStringList       *labels,
               const char          *label,
               const char          *wire)
{
  gtk_string_list_append (labels, label);
  g_ptr_array_add (self->resolution_choices, g_strdup (wire));
}

/* Fills the Resolution row with what the request's model takes and selects
 * the request's resolution. One the model does not take (the model was
 * switched) is kept as the last item, marked, and never replaced behind
 * the person's back: update_validation() says why Generate waits. */
static void
rebuild_resolution_choices (SeedreamComposeView *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const SeedreamModel *model = current_model (self);
  const SeedreamResolutionRule *rule = model->resolution;
  const char *current = self->request != NULL ? seedream_request_get_resolution (self->request) : NULL;
  gboolean custom_value = current != NULL && strchr (current, 'x') != NULL;
  gboolean was_syncing = self->syncing;
  int selected;

  g_ptr_array_set_size (self->resolution_choices, 0);
  self->resolution_kept = FALSE;

  for (guint i = 0; i < rule->n_presets; i++)
    append_choice (self, labels, gettext (rule->presets[i].label), rule->presets[i].wire);
  if (seedream_resolution_rule_allows_custom (rule))
    append_choice (self, labels, _("Custom size"), NULL);

  selected = seedream_resolution_rule_find_preset (rule, current);
  if (selected < 0 && custom_value && seedream_resolution_rule_allows_custom (rule))
    {
      selected = (int) rule->n_presets;
    }
  else if (selected < 0 && current != NULL && *current != '\0')
    {
      g_autofree char *label = NULL;

      /* Translators: "2K (not offered)": a value kept after switching to a
       * model that does not take it; short, the row is narrow */
      label = g_strdup_printf (_("%s (not offered)"),
                               custom_value ? _("Custom size") : find_preset_label (current));
      append_choice (self, labels, label, custom_value ? NULL : current);
      self->resolution_kept = TRUE;
      selected = (int) self->resolution_choices->len - 1;
    }
  else if (selected < 0)
    {
      /* Nothing at all (a hand-edited draft): what the row shows is what
       * is sent; there is nothing of the person's to keep. */
      selected = MAX (0, seedream_resolution_rule_find_preset (rule, model->default_resolution));
      if (self->request != NULL && rule->n_presets > 0)
        seedream_request_set_resolution (self->request, rule->presets[selected].wire);
    }

  self->syncing = TRUE;
  adw_combo_row_set_model (self->resolution_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->resolution_row, (guint) selected);

  /* A custom size, maybe an invalid one: shown as typed. */
  if (custom_value)
    {
      const char *x = strchr (current, 'x');
      g_autofree char *width = g_strndup (current, x - current);

      gtk_editable_set_text (GTK_EDITABLE (self->width_row), width);
      gtk_editable_set_text (GTK_EDITABLE (self->height_row), x + 1);
    }
  self->syncing = was_syncing;

  gtk_widget_set_visible (GTK_WIDGET (self->width_row), is_custom_selected (self));
  gtk_widget_set_visible (GTK_WIDGET (self->height_row), is_custom_selected (self));
}

static void
model_selected_cb (SeedreamComposeView *self)
{
  if (self->syncing || self->draft == NULL)
    return;

  seedream_request_set_model (self->request, seedream_model_picker_get_selected (self->model_row));
  rebuild_resolution_choices (self);
  update_validation (self);
}

/* The resolution and number of images of a new form, from the preferences. */
static void
apply_defaults (SeedreamComposeView *self)
{
  g_autofree char *model_id = g_settings_get_string (self->settings, "default-model");
  const SeedreamModel *model = seedream_model_lookup (model_id);
  g_autofree char *resolution = g_settings_get_string (self->settings, "default-resolution");
  g_autoptr(SeedreamResolution) parsed = NULL;
  int batch_size = g_settings_get_int (self->settings, "default-batch-size");

  /* A default edited by hand into something unusable is not passed on;
   * neither is a default size the default model does not take. */
  if (model == NULL)
    model = seedream_model_get_default ();
  parsed = seedream_model_parse_resolution (model, resolution, NULL);
  if (parsed == NULL)
    g_set_str (&resolution, model->default_resolution);

  seedream_request_set_model (self->request, model);
  g_object_set (self->request,
                "resolution", resolution,
                "batch-size", (guint) CLAMP (batch_size, SEEDREAM_DRAFT_BATCH_SIZE_MIN,
                                             SEEDREAM_DRAFT_BATCH_SIZE_MAX),
                NULL);
}

/* Whether @draft was never saved and holds nothing a person entered. */
static gboolean
draft_is_fresh (SeedreamDraft *draft)
{
  const char *prompt = seedream_request_get_prompt (seedream_draft_get_request (draft));
  const char *image_url = seedream_request_get_image_url (seedream_draft_get_request (draft));

  return (prompt == NULL || *prompt == '\0') &&
         (image_url == NULL || *image_url == '\0') &&
         g_list_model_get_n_items (seedream_request_get_source_files (seedream_draft_get_request (draft))) == 0 &&
         !g_file_query_exists (seedream_draft_get_file (draft), NULL);
}

/* Fills the form from the draft. */
static void
sync_from_draft (SeedreamComposeView *self)
{
  g_autofree char *prompt = NULL;
  g_autofree char *resolution = NULL;
  g_autofree char *image_url = NULL;
  guint batch_size = 1;

  g_object_get (self->request,
                "prompt", &prompt,
                "resolution", &resolution,
                "batch-size", &batch_size,
                "image-url", &image_url,
                NULL);

  self->syncing = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view), prompt != NULL ? prompt : "", -1);
  seedream_model_picker_select (self->model_row, seedream_request_get_model (self->request));
  rebuild_resolution_choices (self);
  gtk_adjustment_set_value (self->batch_adjustment, batch_size);
  gtk_editable_set_text (GTK_EDITABLE (self->image_url_row), image_url != NULL ? image_url : "");
  self->syncing = FALSE;

  update_validation (self);
}

/**
 * seedream_compose_view_set_draft:
 * @draft: the draft to show and edit
 *
 * Fills the form from @draft; from then on every edit goes into it. A
 * draft that was never saved and is empty first gets the default
 * resolution and number of images from the preferences.
 */
void
seedream_compose_view_set_draft (SeedreamComposeView *self,
                                 SeedreamDraft       *draft)
{
  g_return_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self));
  g_return_if_fail (SEEDREAM_IS_DRAFT (draft));

  g_set_object (&self->draft, draft);
  g_set_object (&self->request, seedream_draft_get_request (draft));

  if (draft_is_fresh (draft))
    apply_defaults (self);

  sync_from_draft (self);

  gtk_flow_box_bind_model (self->sources_box,
                           seedream_request_get_source_files (seedream_draft_get_request (draft)),
                           create_thumbnail_cb, self, NULL);
  update_validation (self);
}

/**
 * seedream_compose_view_clear:
 *
 * Empties the form: no prompt, source images or source URL, and the
 * default resolution and number of images from the preferences.
 */
void
seedream_compose_view_clear (SeedreamComposeView *self)
{
  g_return_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self));

  if (self->draft == NULL)
    return;

  /* Images still being checked would arrive in the cleared form. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_object_set (self->request,
                "prompt", "",
                "image-url", "",
                NULL);
  seedream_request_clear_source_files (self->request);
  apply_defaults (self);
  sync_from_draft (self);
}

/**
 * seedream_compose_view_load_request:
 * @request: the settings and source images to put in the form, such as a
 *   past submission's
 *
 * Replaces what the form holds with @request. The source images are checked
 * again like any added file, so one that is gone is refused with a reason.
 */
void
seedream_compose_view_load_request (SeedreamComposeView *self,
                                    SeedreamRequest     *request)
{
  GListModel *sources;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self));
  g_return_if_fail (SEEDREAM_IS_REQUEST (request));

  if (self->draft == NULL)
    return;

  /* Images still being checked belong to the form being replaced. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  seedream_request_set_settings_from (self->request, request);
  seedream_request_clear_source_files (self->request);
  sync_from_draft (self);

  sources = seedream_request_get_source_files (request);
  for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
    g_ptr_array_add (files, g_list_model_get_item (sources, i));
  seedream_compose_view_add_files (self, (GFile **) files->pdata, files->len);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  seedream_compose_view_clear (SEEDREAM_COMPOSE_VIEW (widget));
}

SeedreamDraft *
seedream_compose_view_get_draft (SeedreamComposeView *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self), NULL);

  return self->draft;
}

gboolean
seedream_compose_view_get_can_generate (SeedreamComposeView *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self), FALSE);

  return self->blocked_reason == NULL;
}

/**
 * seedream_compose_view_get_blocked_reason:
 *
 * Returns: (nullable): why Generate cannot be used now, in words
 */
const char *
seedream_compose_view_get_blocked_reason (SeedreamComposeView *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self), NULL);

  return self->blocked_reason;
}

/**
 * seedream_compose_view_build_request:
 *
 * Returns: (transfer full): a request holding what the form holds now
 */
SeedreamRequest *
seedream_compose_view_build_request (SeedreamComposeView *self)
{
  g_return_val_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self), NULL);

  /* A copy: the person goes on editing the form while it is sent. */
  return seedream_request_copy (self->request);
}

typedef struct
{
  SeedreamComposeView *self;
  GFile               *file;
  /* The result the file is, when known (0: none). */
  gint64               parent_id;
  guint                parent_index;
} SourceCheck;

static void
source_check_free (SourceCheck *check)
{
  g_object_unref (check->self);
  g_object_unref (check->file);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SourceCheck, source_check_free)

static void
check_source_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SourceCheck) check = user_data;
  g_autoptr(SeedreamSourceImage) image = NULL;
  g_autoptr(GError) error = NULL;
  SeedreamComposeView *self = check->self;
  GFile *file = check->file;

  image = seedream_source_image_check_finish (result, &error);
  self->n_checks_pending--;

  /* Cancelled when the form goes away (nothing left to update) or is
   * cleared (the file is not wanted any more). */
  if (g_error_matches (error, SEEDREAM_ERROR, SEEDREAM_ERROR_CANCELLED))
    {
      if (self->draft != NULL)
        update_validation (self);
      return;
    }

  if (image == NULL)
    g_signal_emit (self, signals[FILE_REFUSED], 0, file, error->message);
  else if (seedream_request_add_source_file (self->request, file) && check->parent_id > 0)
    seedream_request_set_source_parent (self->request, file, check->parent_id, check->parent_index);

  update_validation (self);
}

/* The form's limit on sources, counting those still being checked. */
static gboolean
check_room_for_source (SeedreamComposeView *self,
                       GFile               *file)
{
  const SeedreamModel *model = current_model (self);
  GListModel *sources = seedream_request_get_source_files (self->request);
  guint n_sources = g_list_model_get_n_items (sources) + self->n_checks_pending;
  guint batch_size = (guint) gtk_adjustment_get_value (self->batch_adjustment);
  g_autofree char *name = seedream_file_dup_display_name (file);
  g_autofree char *message = NULL;

  if (n_sources >= model->max_source_images)
    message = g_strdup_printf (ngettext ("“%s” was not added: at most %u source image can be used",
                                         "“%s” was not added: at most %u source images can be used",
                                         model->max_source_images),
                               name, model->max_source_images);
  else if (n_sources + batch_size >= model->max_total_images + 1)
    message = g_strdup_printf (_("“%s” was not added: source images and generated images are at most %u "
                                 "in all. Lower the number of images first"),
                               name, model->max_total_images);

  if (message != NULL)
    {
      g_signal_emit (self, signals[FILE_REFUSED], 0, file, message);
      return FALSE;
    }

  return TRUE;
}

/**
 * seedream_compose_view_add_files:
 * @files: (array length=n_files): files to add as source images
 *
 * Checks each file off the main loop (readable, an image by its content,
 * within the limits) and adds the ones that pass. Each refused file is
 * reported with #SeedreamComposeView::file-refused; the others are kept.
 */
static void add_files_now (SeedreamComposeView  *self,
                           GFile               **files,
                           guint                 n_files,
                           gint64                parent_id,
                           guint                 parent_index);
static void ask_files_or_url (SeedreamComposeView  *self,
                              GFile               **files,
                              guint                 n_files);

void
seedream_compose_view_add_files (SeedreamComposeView  *self,
                                 GFile               **files,
                                 guint                 n_files)
{
  g_return_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self));

  /* A request takes files or one URL: with a URL in the form, or the
   * question already on screen, the files wait for the person's answer. */
  if (n_files > 0 && (image_url_is_set (self) || self->sources_dialog != NULL))
    {
      ask_files_or_url (self, files, n_files);
      return;
    }

  add_files_now (self, files, n_files, 0, 0);
}

/**
 * seedream_compose_view_add_result:
 * @file: a result of the history's row @entry_id
 * @entry_id: its history row (0: not known)
 * @index: which of the row's results
 *
 * Adds @file as a source image, as seedream_compose_view_add_files() does,
 * and remembers which result it is, so that what is made from it names its
 * parent ("Use as Source").
 */
void
seedream_compose_view_add_result (SeedreamComposeView *self,
                                  GFile               *file,
                                  gint64               entry_id,
                                  guint                index)
{
  g_return_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (image_url_is_set (self) || self->sources_dialog != NULL)
    {
      /* The question keeps only the files; the lineage is a nicety. */
      ask_files_or_url (self, &file, 1);
      return;
    }

  add_files_now (self, &file, 1, entry_id, index);
}

static void
add_files_now (SeedreamComposeView  *self,
               GFile               **files,
               guint                 n_files,
               gint64                parent_id,
               guint                 parent_index)
{
  GListModel *sources;

  sources = seedream_request_get_source_files (self->request);

  for (guint i = 0; i < n_files; i++)
    {
      gboolean already = FALSE;
      SourceCheck *check;

      for (guint j = 0; j < g_list_model_get_n_items (sources) && !already; j++)
        {
          g_autoptr(GFile) existing = g_list_model_get_item (sources, j);

          already = g_file_equal (existing, files[i]);
        }

      if (already || !check_room_for_source (self, files[i]))
        continue;

      check = g_new0 (SourceCheck, 1);
      check->self = g_object_ref (self);
      check->file = g_object_ref (files[i]);
      check->parent_id = parent_id;
      check->parent_index = parent_index;
      self->n_checks_pending++;
      seedream_source_image_check_async (files[i],
                                         current_model (self),
                                         self->cancellable,
                                         check_source_cb,
                                         check);
    }

  update_validation (self);
}

/* Files or one image URL {{{1 */

static void
sources_choice_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SeedreamComposeView) self = user_data;
  const char *response = adw_alert_dialog_choose_finish (ADW_ALERT_DIALOG (object), result);
  g_autoptr(GPtrArray) held = g_steal_pointer (&self->held_files);

  self->sources_dialog = NULL;
  if (self->draft == NULL)
    return;

  if (g_strcmp0 (response, "use-files") == 0 || g_strcmp0 (response, "keep-files") == 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->image_url_row), "");
    }
  else if (g_strcmp0 (response, "use-url") == 0 || g_strcmp0 (response, "keep-url") == 0)
    {
      /* Files still being checked would arrive after the answer. */
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      seedream_request_clear_source_files (self->request);
      g_clear_pointer (&held, g_ptr_array_unref);
    }
  /* Else the question was closed: nothing is dropped, both stay, and
   * Generate says why it waits. */

  if (held != NULL)
    add_files_now (self, (GFile **) held->pdata, held->len, 0, 0);

  update_validation (self);
}

static void
ask_sources (SeedreamComposeView *self,
             const char          *heading,
             const char          *body,
             const char          *keep,
             const char          *keep_label,
             const char          *use,
             const char          *use_label)
{
  AdwDialog *dialog = adw_alert_dialog_new (heading, body);

  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  keep, keep_label,
                                  use, use_label,
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), use, ADW_RESPONSE_SUGGESTED);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), use);
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "close");

  self->sources_dialog = dialog;
  adw_alert_dialog_choose (ADW_ALERT_DIALOG (dialog), GTK_WIDGET (self), NULL,
                           sources_choice_cb, g_object_ref (self));
}

/* Files were added while the form has an image URL. */
static void
ask_files_or_url (SeedreamComposeView  *self,
                  GFile               **files,
                  guint                 n_files)
{
  gboolean asking = self->sources_dialog != NULL;

  if (self->held_files == NULL)
    self->held_files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (self->held_files, g_object_ref (files[i]));

  if (asking)
    return;

  ask_sources (self,
               _("Use the Files or the Image URL?"),
               _("A request can use image files or one image URL as its source, not both. "
                 "The form already has an image URL."),
               "keep-url", _("_Keep the Image URL"),
               "use-files", _("_Use the Files"));
}

/* An image URL was typed or pasted while files are attached. */
static void
ask_url_or_files (SeedreamComposeView *self)
{
  g_autofree char *body = NULL;
  guint n = n_files_attached (self);

  if (self->sources_dialog != NULL)
    return;
  self->url_asked = TRUE;

  body = g_strdup_printf (ngettext ("A request can use image files or one image URL as its source, not both. "
                                    "The form already has %u image file.",
                                    "A request can use image files or one image URL as its source, not both. "
                                    "The form already has %u image files.",
                                    n),
                          n);
  ask_sources (self,
               _("Use the Image URL or the Files?"),
               body,
               "keep-files", _("_Keep the Files"),
               "use-url", _("_Use the Image URL"));
}

void
seedream_compose_view_focus_prompt (SeedreamComposeView *self)
{
  g_return_if_fail (SEEDREAM_IS_COMPOSE_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));
}

static void
seedream_compose_view_dispose (GObject *object)
{
  SeedreamComposeView *self = SEEDREAM_COMPOSE_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->url_question_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEEDREAM_TYPE_COMPOSE_VIEW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->draft);
  g_clear_object (&self->request);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (seedream_compose_view_parent_class)->dispose (object);
}

static void
seedream_compose_view_finalize (GObject *object)
{
  SeedreamComposeView *self = SEEDREAM_COMPOSE_VIEW (object);

  g_free (self->blocked_reason);
  g_clear_pointer (&self->held_files, g_ptr_array_unref);
  g_clear_pointer (&self->resolution_choices, g_ptr_array_unref);

  G_OBJECT_CLASS (seedream_compose_view_parent_class)->finalize (object);
}

static void
seedream_compose_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SeedreamComposeView *self = SEEDREAM_COMPOSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CAN_GENERATE:
      g_value_set_boolean (value, self->blocked_reason == NULL);
      break;

    case PROP_BLOCKED_REASON:
      g_value_set_string (value, self->blocked_reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_compose_view_class_init (SeedreamComposeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seedream_compose_view_dispose;
  object_class->finalize = seedream_compose_view_finalize;
  object_class->get_property = seedream_compose_view_get_property;

  properties[PROP_CAN_GENERATE] =
    g_param_spec_boolean ("can-generate", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BLOCKED_REASON] =
    g_param_spec_string ("blocked-reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SeedreamComposeView::file-refused:
   * @file: the file that was not added
   * @message: why, in words, naming the file
   */
  signals[FILE_REFUSED] = g_signal_new ("file-refused",
                                        G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/seedream-compose-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, prompt_hint);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, prompt_count);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, model_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, width_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, height_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, resolution_status);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, batch_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, sources_box);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, image_url_row);
  gtk_widget_class_bind_template_child (widget_class, SeedreamComposeView, generate_button);
  gtk_widget_class_bind_template_callback (widget_class, model_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, resolution_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_size_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, swap_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, batch_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, image_url_changed_cb);

  gtk_widget_class_install_action (widget_class, "compose.clear", NULL, clear_action);
}

static void
seedream_compose_view_init (SeedreamComposeView *self)
{
  self->resolution_choices = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_APP_ID);

  self->syncing = TRUE;
  seedream_model_picker_setup (self->model_row);
  self->syncing = FALSE;
  rebuild_resolution_choices (self);

  g_signal_connect_object (gtk_text_view_get_buffer (self->prompt_view), "changed",
                           G_CALLBACK (prompt_changed_cb), self, G_CONNECT_SWAPPED);
  prompt_changed_cb (self, gtk_text_view_get_buffer (self->prompt_view));
}
