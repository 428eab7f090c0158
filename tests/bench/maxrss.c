/* maxrss.c: run a command and report its own peak resident set size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   maxrss OUT-FILE COMMAND [ARGS...]
 *
 * Runs COMMAND in a child made with fork() (not vfork), waits for it, and
 * writes "maxrss_kib N" (the child's ru_maxrss from wait4) to OUT-FILE;
 * exits with the child's status. Why not measure from Python directly:
 * Linux keeps a process's ru_maxrss across execve, and a child spawned by
 * the Python driver starts with the driver's ~27 MiB, which hides the
 * numbers being measured. This program is small, so a child forked from it
 * starts from a floor of about a megabyte, the same for every command.
 */

#define G_LOG_DOMAIN "maxrss"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int
main (int   argc,
      char *argv[])
{
  struct rusage usage;
  FILE *out;
  pid_t pid;
  int status = 0;

  if (argc < 3)
    {
      fprintf (stderr, "usage: maxrss OUT-FILE COMMAND [ARGS...]\n");
      return 2;
    }

  pid = fork ();
  if (pid < 0)
    {
      perror ("maxrss: fork");
      return 2;
    }
  if (pid == 0)
    {
      execvp (argv[2], argv + 2);
      perror ("maxrss: exec");
      _exit (127);
    }

  if (wait4 (pid, &status, 0, &usage) != pid)
    {
      perror ("maxrss: wait4");
      return 2;
    }

  out = fopen (argv[1], "w");
  if (out == NULL)
    {
      perror ("maxrss: open");
      return 2;
    }
  fprintf (out, "maxrss_kib %ld\n", usage.ru_maxrss);
  fclose (out);

  if (WIFEXITED (status))
    return WEXITSTATUS (status);

  return 128 + WTERMSIG (status);
}
