/* seedream-client-delete.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deleting tasks on the service (deleteimagestask), only ever when the
 * person asked for it. One attempt, never retried by itself: the caller
 * says what failed, in words, and the person may ask again. The key goes
 * only to the configured API host (seedream_client_new_api_message()).
 */

#define G_LOG_DOMAIN "seedream-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "seedream-client.h"
#include "seedream-client-private.h"
#include "seedream-error.h"
#include "seedream-response.h"

#define DELETE_ENDPOINT "/v1/images/deleteimagestask"

static GBytes *
delete_body_new (const char * const *task_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "taskids");
  json_builder_begin_array (builder);
  for (guint i = 0; task_ids[i] != NULL; i++)
    json_builder_add_string_value (builder, task_ids[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return seedream_client_json_bytes (builder);
}

static void
delete_exchange_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SeedreamClient *self = SEEDREAM_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = seedream_client_exchange_finish (self, result, &error);
  if (body == NULL || !seedream_response_parse_delete (body, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * seedream_client_delete_tasks_async:
 * @self: a #SeedreamClient
 * @task_ids: (array zero-terminated=1): ids seedream_client_submit_finish()
 *   returned; at least one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the service answered
 * @user_data: data for @callback
 *
 * Asks the service to delete the tasks (and their images there).
 */
void
seedream_client_delete_tasks_async (SeedreamClient      *self,
                                    const char * const  *task_ids,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SEEDREAM_IS_CLIENT (self));
  g_return_if_fail (task_ids != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seedream_client_delete_tasks_async);

  for (guint i = 0; task_ids[i] != NULL; i++)
    if (!seedream_response_is_valid_task_id (task_ids[i]))
      {
        g_task_return_new_error (task, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                                 _("“%s” is not a task id."), task_ids[i]);
        return;
      }
  if (task_ids[0] == NULL)
    {
      g_task_return_new_error (task, SEEDREAM_ERROR, SEEDREAM_ERROR_INVALID_INPUT,
                               _("There is no task to delete."));
      return;
    }

  msg = seedream_client_new_api_message (self, DELETE_ENDPOINT, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  body = delete_body_new (task_ids);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  seedream_client_exchange_async (self, msg, g_bytes_get_size (body), cancellable,
                                  delete_exchange_cb, g_steal_pointer (&task));
}

/**
 * seedream_client_delete_tasks_finish:
 * @self: a #SeedreamClient
 * @result: the result given to the callback
 * @error: return location for a #SEEDREAM_ERROR
 *
 * Returns: whether the service deleted the tasks
 */
gboolean
seedream_client_delete_tasks_finish (SeedreamClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (SEEDREAM_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seedream_client_delete_tasks_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
