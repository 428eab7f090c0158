/* mock-log.c: the mock server's request log (JSON lines)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each entry is one line of JSON, written and flushed as its request
 * completes, and kept in memory for GET /mock/log. The entries are built by
 * the server from header names, form fields and outcomes; this file only
 * stores them.
 */

#define G_LOG_DOMAIN "mock-log"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mock-log.h"

struct _MockLog
{
  FILE      *file;
  GPtrArray *lines;
};

/**
 * mock_log_new:
 * @path: (nullable): the file to write, replaced if it exists; %NULL to
 *   keep the log in memory only
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the log, or %NULL with @error set
 */
MockLog *
mock_log_new (const char  *path,
              GError     **error)
{
  g_autoptr(MockLog) log = g_new0 (MockLog, 1);

  log->lines = g_ptr_array_new_with_free_func (g_free);

  if (path != NULL)
    {
      log->file = fopen (path, "w");
      if (log->file == NULL)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Cannot write the log %s: %s", path, g_strerror (saved_errno));
          return NULL;
        }
    }

  return g_steal_pointer (&log);
}

void
mock_log_free (MockLog *log)
{
  if (log == NULL)
    return;

  if (log->file != NULL)
    fclose (log->file);
  g_ptr_array_unref (log->lines);
  g_free (log);
}

/**
 * mock_log_append:
 * @log: the log
 * @entry: the entry, one request
 *
 * Writes @entry as one line and flushes it.
 */
void
mock_log_append (MockLog    *log,
                 JsonObject *entry)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *line;

  json_node_set_object (node, entry);
  line = json_to_string (node, FALSE);
  g_ptr_array_add (log->lines, line);

  if (log->file != NULL)
    {
      fputs (line, log->file);
      fputc ('\n', log->file);
      fflush (log->file);
    }
}

/**
 * mock_log_to_array:
 * @log: the log
 *
 * Returns: (transfer full): every entry so far, as one JSON array
 */
char *
mock_log_to_array (MockLog *log)
{
  GString *array = g_string_new ("[");

  for (guint i = 0; i < log->lines->len; i++)
    {
      if (i > 0)
        g_string_append (array, ",\n");
      g_string_append (array, g_ptr_array_index (log->lines, i));
    }
  g_string_append (array, "]\n");

  return g_string_free (array, FALSE);
}
