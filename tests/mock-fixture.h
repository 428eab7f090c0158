/* mock-fixture.h: what tests that talk to the mock server share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "seedream-client.h"
#include "seedream-test-util.h"

G_BEGIN_DECLS

#define MOCK_FIXTURE_KEY "sk-test-4f1c9a0e7b2d-SECRET-d00dfeed"
#define MOCK_FIXTURE_SUBMIT_PATH "/v1/images/seedreamv45"
#define MOCK_FIXTURE_QUERY_PATH "/v1/images/infobytaskid"

/* A mock server of its own (found through $SEEDREAM_MOCK_SERVER) on a free
 * port, a client for it, and a temporary folder that is removed after. */
typedef struct
{
  GSubprocess    *mock;
  char           *base_url;
  SoupSession    *control;
  SeedreamClient *client;
  char           *tmpdir;
} MockFixture;

void       mock_fixture_start         (MockFixture   *fx,
                                       guint          task_seconds);
/* The same, with more arguments for the mock (e.g. --slow-answer-seconds). */
void       mock_fixture_start_with_args (MockFixture        *fx,
                                         guint               task_seconds,
                                         const char * const *extra_args);
void       mock_fixture_stop          (MockFixture   *fx);

/* Sends @json (nullable) to @path on the mock with @method, outside the
 * client; returns the answer's body and sets *@status (nullable). */
GBytes    *mock_fixture_request       (MockFixture   *fx,
                                       const char    *method,
                                       const char    *path,
                                       const char    *json,
                                       guint         *status);

/* The next @count requests whose path starts with @path (any when NULL)
 * get @fault, one of the mock's fault names. */
void       mock_fixture_queue_fault   (MockFixture   *fx,
                                       const char    *fault,
                                       guint          count,
                                       const char    *path);
/* (element-type JsonObject) the records of the mock's request log whose
 * method is @method (any when NULL) and path starts with @prefix. */
GPtrArray *mock_fixture_log           (MockFixture   *fx,
                                       const char    *method,
                                       const char    *prefix);
/* How many submissions reached the mock (POSTs to the submit path). */
guint      mock_fixture_count_submits (MockFixture   *fx);
gboolean   mock_fixture_record_has_header (JsonObject *record,
                                           const char *name);

/* A real PNG (valid CRCs, zlib data) of random RGB pixels, so that every
 * image check passes; the same seed gives the same bytes. */
GBytes    *mock_fixture_make_png      (guint          width,
                                       guint          height,
                                       guint          seed);
/* The same, as a file in the fixture's folder. */
GFile     *mock_fixture_write_png     (MockFixture   *fx,
                                       const char    *name,
                                       guint          width,
                                       guint          height,
                                       guint          seed);

/* Runs the main loop until *@result is set. */
void       mock_fixture_wait_for      (GAsyncResult **result);
/* A GAsyncReadyCallback that stores a reference to the result in the
 * GAsyncResult* that @user_data points to. */
void       mock_fixture_store_result  (GObject       *object,
                                       GAsyncResult  *result,
                                       gpointer       user_data);

G_END_DECLS
