/* seedream-sign-in-flow.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seedream-sign-in-flow"

#include "config.h"

#include <glib/gi18n.h>

#include "seedream-enums.h"
#include "seedream-sign-in-flow.h"

struct _SeedreamSignInFlow
{
  GObject              parent_instance;

  SeedreamSession     *session;
  SeedreamSignIn      *sign_in;
  GCancellable        *cancellable;
  SeedreamSignInState  state;
  char                *message;
};

G_DEFINE_FINAL_TYPE (SeedreamSignInFlow, seedream_sign_in_flow, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_STATE,
  PROP_URI,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SeedreamSignInFlow *
seedream_sign_in_flow_new (SeedreamSession *session)
{
  g_return_val_if_fail (SEEDREAM_IS_SESSION (session), NULL);

  return g_object_new (SEEDREAM_TYPE_SIGN_IN_FLOW, "session", session, NULL);
}

SeedreamSignInState
seedream_sign_in_flow_get_state (SeedreamSignInFlow *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SIGN_IN_FLOW (self), SEEDREAM_SIGN_IN_STATE_IDLE);

  return self->state;
}

/**
 * seedream_sign_in_flow_get_uri:
 *
 * Returns: (nullable): the link the browser was sent to, while waiting
 */
const char *
seedream_sign_in_flow_get_uri (SeedreamSignInFlow *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SIGN_IN_FLOW (self), NULL);

  if (self->sign_in == NULL || self->state != SEEDREAM_SIGN_IN_STATE_WAITING)
    return NULL;

  return seedream_sign_in_get_uri (self->sign_in);
}

/**
 * seedream_sign_in_flow_get_message:
 *
 * Returns: (nullable): what went wrong, in words
 */
const char *
seedream_sign_in_flow_get_message (SeedreamSignInFlow *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SIGN_IN_FLOW (self), NULL);

  return self->message;
}

/**
 * seedream_sign_in_flow_get_sign_in:
 *
 * Returns: (transfer none) (nullable): the current attempt, for tests
 */
SeedreamSignIn *
seedream_sign_in_flow_get_sign_in (SeedreamSignInFlow *self)
{
  g_return_val_if_fail (SEEDREAM_IS_SIGN_IN_FLOW (self), NULL);

  return self->sign_in;
}

static void
seedream_sign_in_flow_set_message (SeedreamSignInFlow *self,
                                   const char         *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
seedream_sign_in_flow_set_state (SeedreamSignInFlow  *self,
                                 SeedreamSignInState  state,
                                 const char          *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  seedream_sign_in_flow_set_message (self, message);
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* The callbacks of an attempt that was replaced or cancelled do nothing. */
static gboolean
is_current (SeedreamSignInFlow *self,
            gpointer            sign_in)
{
  return self->sign_in != NULL && self->sign_in == sign_in;
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SeedreamSignInFlow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!seedream_session_store_key_finish (SEEDREAM_SESSION (object), result, &error))
    {
      seedream_sign_in_flow_set_state (self, SEEDREAM_SIGN_IN_STATE_FAILED, error->message);
      return;
    }

  seedream_sign_in_flow_set_state (self, SEEDREAM_SIGN_IN_STATE_SIGNED_IN, NULL);
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SeedreamSignInFlow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *key;

  key = seedream_sign_in_wait_finish (SEEDREAM_SIGN_IN (object), result, &error);

  if (key == NULL)
    {
      if (!is_current (self, object))
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        seedream_sign_in_flow_set_state (self, SEEDREAM_SIGN_IN_STATE_IDLE, NULL);
      else
        seedream_sign_in_flow_set_state (self, SEEDREAM_SIGN_IN_STATE_FAILED, error->message);
      return;
    }

  /* Stored even when the flow was cancelled meanwhile: the page already
   * made the key, and the person would otherwise lose it. The state stays
   * "waiting" until the keyring has it. No cancellable, as in the
   * preferences: a key on its way into the keyring is let through. */
  seedream_session_store_key_async (self->session, key, NULL, stored_cb, g_object_ref (self));
  seedream_sign_in_wipe_key (key);
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SeedreamSignInFlow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (object), result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->state != SEEDREAM_SIGN_IN_STATE_WAITING)
    return;

  g_debug ("No browser opened: %s", error->message);
  /* Still waiting: the link is shown, to be opened by hand. */
  seedream_sign_in_flow_set_message (self,
                                     _("No browser could be opened. Open the link below in a browser "
                                       "on this computer, or enter the key manually."));
}

/**
 * seedream_sign_in_flow_start:
 * @parent: (nullable): the widget whose window the browser is opened for
 *
 * Opens the port and sends the browser to the sign-in page; an attempt
 * under way is cancelled first.
 */
void
seedream_sign_in_flow_start (SeedreamSignInFlow *self,
                             GtkWidget          *parent)
{
  g_autoptr(GtkUriLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page_url = NULL;
  g_autofree char *key_name = NULL;
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  g_return_if_fail (SEEDREAM_IS_SIGN_IN_FLOW (self));
  g_return_if_fail (parent == NULL || GTK_IS_WIDGET (parent));

  seedream_sign_in_flow_cancel (self);

  page_url = seedream_sign_in_dup_page_url (seedream_session_get_settings (self->session));
  key_name = seedream_sign_in_dup_key_name ();
  self->sign_in = seedream_sign_in_new (page_url, key_name);
  self->cancellable = g_cancellable_new ();

  if (!seedream_sign_in_start (self->sign_in, &error))
    {
      g_clear_object (&self->sign_in);
      seedream_sign_in_flow_set_state (self, SEEDREAM_SIGN_IN_STATE_FAILED, error->message);
      return;
    }

  seedream_sign_in_flow_set_state (self, SEEDREAM_SIGN_IN_STATE_WAITING, NULL);
  seedream_sign_in_wait_async (self->sign_in, self->cancellable, waited_cb, g_object_ref (self));

  launcher = gtk_uri_launcher_new (seedream_sign_in_get_uri (self->sign_in));
  gtk_uri_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                           self->cancellable, launched_cb, g_object_ref (self));
}

/**
 * seedream_sign_in_flow_cancel:
 *
 * Closes the port. Does nothing when no sign-in is under way.
 */
void
seedream_sign_in_flow_cancel (SeedreamSignInFlow *self)
{
  g_return_if_fail (SEEDREAM_IS_SIGN_IN_FLOW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->sign_in != NULL)
    {
      g_autoptr(SeedreamSignIn) sign_in = g_steal_pointer (&self->sign_in);

      seedream_sign_in_cancel (sign_in);
    }

  if (self->state == SEEDREAM_SIGN_IN_STATE_WAITING)
    seedream_sign_in_flow_set_state (self, SEEDREAM_SIGN_IN_STATE_IDLE, NULL);
}

static void
seedream_sign_in_flow_dispose (GObject *object)
{
  SeedreamSignInFlow *self = SEEDREAM_SIGN_IN_FLOW (object);

  seedream_sign_in_flow_cancel (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (seedream_sign_in_flow_parent_class)->dispose (object);
}

static void
seedream_sign_in_flow_finalize (GObject *object)
{
  SeedreamSignInFlow *self = SEEDREAM_SIGN_IN_FLOW (object);

  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (seedream_sign_in_flow_parent_class)->finalize (object);
}

static void
seedream_sign_in_flow_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SeedreamSignInFlow *self = SEEDREAM_SIGN_IN_FLOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_URI:
      g_value_set_string (value, seedream_sign_in_flow_get_uri (self));
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_sign_in_flow_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SeedreamSignInFlow *self = SEEDREAM_SIGN_IN_FLOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seedream_sign_in_flow_class_init (SeedreamSignInFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seedream_sign_in_flow_dispose;
  object_class->finalize = seedream_sign_in_flow_finalize;
  object_class->get_property = seedream_sign_in_flow_get_property;
  object_class->set_property = seedream_sign_in_flow_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SEEDREAM_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SEEDREAM_TYPE_SIGN_IN_STATE, SEEDREAM_SIGN_IN_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seedream_sign_in_flow_init (SeedreamSignInFlow *self)
{
}
