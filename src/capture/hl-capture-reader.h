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

/* One TLS connection of a capture, as --list-connections prints it. */
typedef struct {
  guint file_number; /* from 1, in the order the capture's streams turn out to be TLS */
  char *client;      /* "127.0.0.1:50312" */
  char *server;
  char *server_name; /* the ClientHello's SNI; NULL: none */
  guint16 version;   /* negotiated; 0: not seen */
  guint16 suite;     /* negotiated; 0: not seen */
  guint n_messages;  /* steps it has */
  gboolean keys_known;
  char *note; /* where its recording stops early, or why a private key cannot open it */
} HlCaptureSummary;
void hl_capture_summary_free (HlCaptureSummary *s);

/* The capture's TLS connections (those options keep), each summarised as soon as its
 * TCP stream closes and then dropped: memory grows with the connections open at once,
 * not with the file. HlCaptureSummary*, by file_number. NULL and error as
 * hl_capture_open; *warning as there. */
GPtrArray *hl_capture_list (const char *path, const HlCaptureOptions *options, char **warning,
                            GError **error);

G_END_DECLS
