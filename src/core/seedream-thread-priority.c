/* seedream-thread-priority.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Background work that a person is not waiting for (decoding a crowd of
 * thumbnails, rewriting the images of an old history) runs on threads of
 * lowered priority, so that it yields the cores to the main loop and to the
 * renderer's own threads (Mesa's llvmpipe draws on every core), and to the
 * rest of the desktop. Such a thread is never given back to a shared pool:
 * the priority cannot be raised again without privileges.
 */

#define G_LOG_DOMAIN "seedream-thread-priority"

#include "config.h"

#include <errno.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "seedream-thread-priority.h"

/* A nice value well above the default. */
#define BACKGROUND_NICE 10

/**
 * seedream_thread_lower_priority:
 * @what: what the thread does, for the debug message if it cannot
 *
 * Lowers the calling thread's priority for good.
 */
void
seedream_thread_lower_priority (const char *what)
{
#ifdef __linux__
  /* On Linux a nice value belongs to the thread, not to the process. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), BACKGROUND_NICE) != 0)
    g_debug ("Could not lower the priority of the %s: %s", what, g_strerror (errno));
#endif
}
