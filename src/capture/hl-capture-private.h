/* hl-capture-private.h: what the capture layer's files share. Not API. */
#pragma once

#include <glib.h>

#include "hl-recorded.h"

G_BEGIN_DECLS

/* hl-packets.c: one captured frame as a TCP segment. */
typedef struct {
  guint8 family; /* 4 or 6 */
  guint8 src[16], dst[16];
  guint16 sport, dport;
  guint32 seq;
  guint8 flags; /* TCP flags: 0x01 FIN, 0x02 SYN, 0x04 RST, 0x10 ACK */
  const guint8 *payload;
  gsize len; /* captured payload bytes */
} HlSegment;

#define HL_TCP_FIN 0x01
#define HL_TCP_SYN 0x02
#define HL_TCP_RST 0x04
#define HL_TCP_ACK 0x10

/* The link types read: Ethernet (VLAN tags too), Linux cooked v1 and v2, BSD
 * loopback/NULL (either byte order), raw IPv4/IPv6. NULL: supported; else why not. */
const char *hl_link_type_problem (int dlt);
/* FALSE: not an IPv4/IPv6 TCP segment (skipped). */
gboolean hl_packet_to_segment (int dlt, const guint8 *data, gsize caplen, HlSegment *seg);
/* "127.0.0.1:443", "[::1]:443"; newly allocated. */
char *hl_endpoint_name (guint8 family, const guint8 *addr, guint16 port);

/* hl-tcp-streams.c: each TCP stream reassembled per direction, in sequence order. */
typedef struct _HlStreams HlStreams;
typedef struct {
  /* A TCP stream whose first bytes are a TLS record: returns the recording's
   * connection number for it, or 0 to drop it (not kept). */
  guint (*tls_found) (gpointer user, const char *client, const char *server);
  /* In-order bytes of a kept stream, in capture order. */
  void (*bytes) (gpointer user, guint connection, HlSide from, gint64 time_us, const guint8 *data,
                 gsize len);
  /* The stream stops being readable (a gap); where and why. */
  void (*stopped) (gpointer user, guint connection, const char *note);
  /* A kept stream is over (both directions closed, a reset, or the end of the
   * capture): no more bytes come for it. May be NULL. */
  void (*closed) (gpointer user, guint connection);
  gpointer user;
} HlStreamSink;
HlStreams *hl_streams_new (const HlStreamSink *sink);
void hl_streams_add (HlStreams *s, const HlSegment *seg, gint64 time_us, guint64 packet);
/* End of the capture: streams still waiting for missing bytes report their gap. */
void hl_streams_finish (HlStreams *s);
void hl_streams_free (HlStreams *s);

/* hl-keylog.c */
/* An NSS key log's text: every known line goes into rec. FALSE and error (FILE:LINE)
 * on a line that is not a key log line. */
gboolean hl_keylog_parse (HlRecording *rec, const char *text, gsize len, const char *name,
                          guint *n_lines, GError **error);
/* The key logs in a pcapng file's Decryption Secrets Blocks, read from its block
 * structure (libpcap does not hand them over). Nothing for a classic pcap. */
gboolean hl_keylog_from_pcapng (HlRecording *rec, const char *path, guint *n_blocks,
                                GError **error);

G_END_DECLS
