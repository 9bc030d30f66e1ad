/* hl-clock.c: time() for the whole program, pinnable per thread (see hl-clock.h). */
#include "hl-clock.h"

#include <openssl/ssl.h>
#include <time.h>

static _Thread_local gint64 pinned_time = -1;

/* Replaces libc's time() in this program (and for libssl). Unpinned, it is libc's. */
time_t
time (time_t *t)
{
  time_t now;
  if (pinned_time >= 0) {
    now = (time_t)pinned_time;
  } else {
    struct timespec ts;
    clock_gettime (CLOCK_REALTIME, &ts);
    now = ts.tv_sec;
  }
  if (t)
    *t = now;
  return now;
}

void
hl_clock_pin (gint64 seconds)
{
  pinned_time = seconds;
}

void
hl_clock_unpin (void)
{
  pinned_time = -1;
}

gboolean
hl_clock_check_libssl (void)
{
  static gsize checked;
  static gboolean pinned;
  if (g_once_init_enter (&checked)) {
    /* A value no real clock gives now: if the session carries it, libssl called us. */
    const gint64 probe = 86400;
    gint64 previous = pinned_time;
    SSL_SESSION *session;
    pinned_time = probe;
    session = SSL_SESSION_new ();
    pinned = session && SSL_SESSION_get_time (session) == probe;
    SSL_SESSION_free (session);
    pinned_time = previous;
    g_once_init_leave (&checked, 1);
  }
  return pinned;
}
