/* seedream-data-lock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One app per data folder. Uniqueness through the D-Bus name holds within
 * one login session only: a second session of the same person (another
 * seat, a nested session, ssh -X) would start a second instance on the
 * same folder, whose start-up recovery would call the first one's live
 * upload "outcome unknown", and both would follow and download the same
 * tasks. An flock() on a file in the folder, held for the life of the
 * session, settles it: the kernel drops it when the process ends, however
 * it ends, so a crash never leaves a stale lock behind.
 */

#define G_LOG_DOMAIN "seedream-data-lock"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "seedream-data-lock.h"

struct _SeedreamDataLock
{
  int fd;
};

/**
 * seedream_data_lock_acquire:
 * @data_dir: the app's data folder; made if missing
 * @error: return location for a #G_IO_ERROR error: %G_IO_ERROR_BUSY when
 *   another instance holds the folder
 *
 * Takes the folder for this process, without waiting.
 *
 * Returns: (transfer full) (nullable): the lock, held until
 *   seedream_data_lock_release()
 */
SeedreamDataLock *
seedream_data_lock_acquire (GFile   *data_dir,
                            GError **error)
{
  g_autofree char *path = NULL;
  SeedreamDataLock *lock;
  const char *dir;
  int fd;

  g_return_val_if_fail (G_IS_FILE (data_dir), NULL);

  dir = g_file_peek_path (data_dir);
  if (dir == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The data folder must be a local folder"));
      return NULL;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The data folder could not be made: %s"), g_strerror (saved_errno));
      return NULL;
    }

  path = g_build_filename (dir, SEEDREAM_DATA_LOCK_NAME, NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The data folder could not be locked: %s"), g_strerror (saved_errno));
      return NULL;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                             _("Seedream Studio is already open with the same data, in another "
                               "session of yours. Close it there, then start it here again."));
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("The data folder could not be locked: %s"), g_strerror (saved_errno));
      return NULL;
    }

  lock = g_new0 (SeedreamDataLock, 1);
  lock->fd = fd;

  return lock;
}

/**
 * seedream_data_lock_release:
 * @lock: (nullable): a lock
 *
 * Lets the folder go (closing the file drops the flock).
 */
void
seedream_data_lock_release (SeedreamDataLock *lock)
{
  if (lock == NULL)
    return;

  close (lock->fd);
  g_free (lock);
}
