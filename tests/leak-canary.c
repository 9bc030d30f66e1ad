/* A program that leaks on purpose: one g_strdup of its argument, never freed.
 * check-leak-canary.py runs it under the test command's sanitizer options and
 * suppressions, and fails unless LeakSanitizer reports a leak of exactly that size. A
 * suppression that hides GLib as a whole (every allocation of ours goes through it)
 * turns that red. */
#include <glib.h>

static char *volatile kept;

int
main (int argc, char **argv)
{
  if (argc != 2)
    return 2;
  kept = g_strdup (argv[1]);
  kept = NULL; /* the only reference is gone: a direct leak */
  return 0;
}
