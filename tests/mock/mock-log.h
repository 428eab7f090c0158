/* mock-log.h: the mock server's request log (JSON lines)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _MockLog MockLog;

MockLog *mock_log_new      (const char  *path,
                            GError     **error);
void     mock_log_free     (MockLog     *log);
void     mock_log_append   (MockLog     *log,
                            JsonObject  *entry);
char    *mock_log_to_array (MockLog     *log);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MockLog, mock_log_free)

G_END_DECLS
