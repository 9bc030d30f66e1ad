/* hl-capture-reader.h: a capture file (pcap or pcapng) as a recorded run.
 *
 * The capture layer reads packets with libpcap, reassembles each TCP stream, keeps
 * the streams that carry TLS (recognised by their record header, on any port) and
 * hands them to the engine's hl_run_new_recorded with the secrets of every key log
 * given and of the pcapng's own Decryption Secrets Blocks.
 */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

#define HL_CAPTURE_ERROR (hl_capture_error_quark ())
GQuark hl_capture_error_quark (void);
typedef enum {
  HL_CAPTURE_ERROR_UNREADABLE, /* not a capture libpcap reads, or a link type it cannot */
  HL_CAPTURE_ERROR_SECRETS,    /* a --secrets file that cannot be used */
  HL_CAPTURE_ERROR_EMPTY,      /* no TLS connection in the capture (or none kept) */
} HlCaptureError;

/* Whether the file's first bytes are a pcap or pcapng magic number (its content, not
 * its name, tells a capture from a scenario). */
gboolean hl_capture_sniff (const char *path);

typedef struct {
  const char *const *secrets; /* NULL-terminated key log files; NULL: none */
  const guint *keep;          /* connection numbers (from 1, as listed) to keep; NULL: all */
  guint n_keep;
} HlCaptureOptions;

/* The capture as a run, before its first step. A capture cut short still gives a run
 * of what it holds; *warning (newly allocated, or NULL) then says, with the file's
 * name, where it was cut. NULL and error: unreadable, or no TLS connection. */
HlRun *hl_capture_open (const char *path, const HlCaptureOptions *options, char **warning,
                        GError **error);

G_END_DECLS
