/* hl-bench-capture: benchmark P6 (issue 19; docs/performance.md). Prints figures; asserts
 * nothing.
 *
 *   hl-bench-capture HANDSHAKE_LAB MAKE_BIG_CAPTURE [CONNECTIONS [BYTES]]
 *
 * MAKE_BIG_CAPTURE (tests/make-big-capture.c, the lab's own pcapng writer) writes a
 * capture of CONNECTIONS TLS connections (default 1000), each answering BYTES bytes
 * (default 100000): about 100 MB, its key log embedded. Then, three times each,
 * alternating: `handshake-lab --list-connections FILE` and
 * `tshark -r FILE -Y tls.handshake.type==1`, each a whole process (fork, exec, wait4):
 * wall time, processor time (user + system) and peak resident memory (ru_maxrss). The
 * goals: the lab in at most 0.2x tshark's wall time and 1/4 of its memory. The fastest
 * of the three runs counts (on a shared machine the others waited for a processor).
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  double wall_s, cpu_s;
  long kib;
  int status;
} Figures;

static Figures
run (const char *const *argv)
{
  Figures f = { 0 };
  struct rusage ru;
  gint64 start;
  int status;
  pid_t pid;
  fflush (stdout);
  start = g_get_monotonic_time ();
  pid = fork ();
  if (pid == 0) {
    if (!freopen ("/dev/null", "w", stdout) || !freopen ("/dev/null", "w", stderr))
      _exit (126);
    execvp (argv[0], (char *const *)argv);
    _exit (127);
  }
  wait4 (pid, &status, 0, &ru);
  f.wall_s = (g_get_monotonic_time () - start) / 1e6;
  f.cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
            + ru.ru_stime.tv_usec / 1e6;
  f.kib = ru.ru_maxrss;
  f.status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  return f;
}

static void
keep_best (Figures *best, const Figures *f)
{
  if (best->wall_s == 0 || f->wall_s < best->wall_s) {
    best->wall_s = f->wall_s;
    best->cpu_s = f->cpu_s;
  }
  best->kib = MAX (best->kib, f->kib);
  best->status |= f->status;
}

int
main (int argc, char **argv)
{
  const char *n = argc > 3 ? argv[3] : "1000";
  const char *bytes = argc > 4 ? argv[4] : "100000";
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  Figures lab = { 0 }, shark = { 0 }, made;
  struct stat sb;
  if (argc < 3) {
    fprintf (stderr, "usage: hl-bench-capture HANDSHAKE_LAB MAKE_BIG_CAPTURE [CONNECTIONS "
                     "[BYTES]]\n");
    return 2;
  }
  dir = g_dir_make_tmp ("hl-bench-capture-XXXXXX", NULL);
  if (!dir) {
    fprintf (stderr, "hl-bench-capture: no temporary folder\n");
    return 1;
  }
  file = g_build_filename (dir, "big.pcapng", NULL);
  {
    const char *make[] = { argv[2], file, n, bytes, NULL };
    made = run (make);
  }
  if (made.status != 0 || stat (file, &sb) != 0) {
    fprintf (stderr, "hl-bench-capture: %s could not write the capture\n", argv[2]);
    return 1;
  }
  printf ("P6: %s TLS connections of %s bytes each, %.1f MB, written in %.1f s by the lab's "
          "pcapng writer\n",
          n, bytes, sb.st_size / 1e6, made.wall_s);
  for (int i = 0; i < 3; i++) {
    const char *lab_argv[] = { argv[1], "--list-connections", file, NULL };
    const char *shark_argv[] = { "tshark", "-r", file, "-Y", "tls.handshake.type==1", NULL };
    Figures f = run (lab_argv);
    keep_best (&lab, &f);
    f = run (shark_argv);
    keep_best (&shark, &f);
  }
  printf ("%-52s %8s %8s %10s\n", "best of 3 (peak memory: the largest)", "wall s", "cpu s",
          "peak KiB");
  printf ("%-52s %8.2f %8.2f %10ld%s\n", "handshake-lab --list-connections FILE", lab.wall_s,
          lab.cpu_s, lab.kib, lab.status ? "  (failed)" : "");
  printf ("%-52s %8.2f %8.2f %10ld%s\n", "tshark -r FILE -Y tls.handshake.type==1", shark.wall_s,
          shark.cpu_s, shark.kib, shark.status ? "  (failed: is tshark installed?)" : "");
  printf ("lab / tshark: wall %.3fx (goal at most 0.2x: %s), memory %.3fx (goal at most 0.25x: "
          "%s)\n",
          lab.wall_s / shark.wall_s, lab.wall_s <= 0.2 * shark.wall_s ? "met" : "missed",
          (double)lab.kib / shark.kib, lab.kib * 4 <= shark.kib ? "met" : "missed");
  remove (file);
  rmdir (dir);
  return 0;
}
