/* seedream-regular-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading the files the app finds at start (the draft, the history) so
 * that what stands in their place cannot hold it up: a FIFO would block
 * a plain open() forever, a link to /dev/zero would fill the memory, a
 * link elsewhere would read (or, later, write) a file the app never made.
 * So: no link is followed, nothing blocks, only a regular file is read,
 * and never more than a cap.
 */

#define G_LOG_DOMAIN "seedream-regular-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seedream-regular-file.h"

static void
set_error_from_errno (GError     **error,
                      const char  *path,
                      int          saved_errno)
{
  g_autofree char *display_name = g_filename_display_name (path);

  /* O_NOFOLLOW says ELOOP for a link: say what it means. */
  if (saved_errno == ELOOP)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("“%s” is a link, not a file the app wrote"), display_name);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("“%s” cannot be read: %s"), display_name, g_strerror (saved_errno));
}

static gboolean
check_stat (const char      *path,
            const GStatBuf  *buf,
            GError         **error)
{
  g_autofree char *display_name = NULL;

  if (S_ISREG (buf->st_mode))
    return TRUE;

  display_name = g_filename_display_name (path);
  if (S_ISDIR (buf->st_mode))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                 _("“%s” is a folder, not a file"), display_name);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 _("“%s” is not a regular file"), display_name);
  return FALSE;
}

/**
 * seedream_regular_file_check:
 * @path: a path
 * @error: return location for a #G_IO_ERROR error
 *
 * Looks at @path without following a link: %G_IO_ERROR_NOT_FOUND when
 * there is nothing, %G_IO_ERROR_IS_DIRECTORY for a folder,
 * %G_IO_ERROR_NOT_REGULAR_FILE when it is a link, a FIFO, a device or a
 * socket.
 *
 * Returns: %TRUE when @path is a regular file
 */
gboolean
seedream_regular_file_check (const char  *path,
                             GError     **error)
{
  GStatBuf buf;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_lstat (path, &buf) != 0)
    {
      set_error_from_errno (error, path, errno);
      return FALSE;
    }

  return check_stat (path, &buf, error);
}

/**
 * seedream_regular_file_read:
 * @path: the file
 * @max_size: the most it may hold; a larger file is refused unread
 * @contents: (out): the bytes, NUL-terminated
 * @length: (out): their number, without the NUL
 * @error: return location for a #G_IO_ERROR error
 *
 * Reads @path whole, as g_file_get_contents() does, but opens it without
 * following a link and without blocking, and refuses anything but a
 * regular file (%G_IO_ERROR_NOT_REGULAR_FILE, %G_IO_ERROR_IS_DIRECTORY
 * for a folder) or one over @max_size
 * bytes (%G_IO_ERROR_MESSAGE_TOO_LARGE). A missing file is
 * %G_IO_ERROR_NOT_FOUND.
 *
 * Returns: %TRUE if @contents and @length are set
 */
gboolean
seedream_regular_file_read (const char  *path,
                            gsize        max_size,
                            char       **contents,
                            gsize       *length,
                            GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *display_name = NULL;
  GStatBuf buf;
  gsize done = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (length != NULL, FALSE);

  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_error_from_errno (error, path, errno);
      return FALSE;
    }

  if (fstat (fd, &buf) != 0)
    {
      set_error_from_errno (error, path, errno);
      close (fd);
      return FALSE;
    }

  if (!check_stat (path, &buf, error))
    {
      close (fd);
      return FALSE;
    }

  display_name = g_filename_display_name (path);
  if ((guint64) buf.st_size > max_size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("“%s” is far too large"), display_name);
      close (fd);
      return FALSE;
    }

  /* The size may grow while it is read: one byte more than the cap tells. */
  data = g_malloc ((gsize) buf.st_size + 2);
  for (;;)
    {
      gssize n = read (fd, data + done, (gsize) buf.st_size + 1 - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_error_from_errno (error, path, errno);
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;

      done += n;
      if (done > (gsize) buf.st_size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("“%s” grew while it was read"), display_name);
          close (fd);
          return FALSE;
        }
    }

  close (fd);
  data[done] = '\0';
  *contents = g_steal_pointer (&data);
  *length = done;

  return TRUE;
}
