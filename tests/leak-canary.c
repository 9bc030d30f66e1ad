/* A program that leaks on purpose: one g_strdup, never freed.
 * check-leak-canary.py runs it under the test command's sanitizer options and
 * suppressions, and fails unless LeakSanitizer reports this leak. A suppression that
 * hides GLib as a whole (every allocation of ours goes through it) turns that red. */
#include <glib.h>

static char *volatile kept;

int
main (void)
{
  kept = g_strdup ("a leak of our own, which the sanitizers must report");
  kept = NULL; /* the only reference is gone: a direct leak */
  return 0;
}
