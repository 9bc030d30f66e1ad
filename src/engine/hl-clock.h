/* hl-clock.h: the clock OpenSSL reads, pinned to a scenario's Time (engine-private).
 *
 * OpenSSL 3.0 has no clock hook, yet libssl stamps every session with time(NULL) and
 * writes that time and a ticket's age into NewSessionTicket and the PSK extension.
 * To replay a TLS 1.3 lesson byte for byte the engine defines time() itself
 * (hl-clock.c): the executable's definition interposes libc's for libssl, since the
 * dynamic linker binds libssl's call to the first definition it finds, the program's.
 * While a thread has pinned the clock, time() there answers the pinned value; on every
 * other thread, and on this one when unpinned, it answers the real time as libc would.
 *
 * Interposition fails silently if the engine is linked in a way that hides the
 * program's time() from libssl (libssl linked statically, or built with -Bsymbolic).
 * hl_clock_check_libssl () finds that out once, by asking libssl for a new session's
 * time while the clock is pinned; hl-ossl.c then refuses TLS 1.3 lessons with that
 * reason instead of replaying with the real clock.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* time() on this thread answers seconds (a Unix time, >= 0) until hl_clock_unpin (). */
void hl_clock_pin (gint64 seconds);
void hl_clock_unpin (void);

/* TRUE when libssl reads the pinned clock. Checked once per process (thread-safe). */
gboolean hl_clock_check_libssl (void);

G_END_DECLS
