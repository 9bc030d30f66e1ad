/* hl-capture-reader.c: a capture file as a recorded run (hl-capture-reader.h). */
#include "hl-capture-reader.h"
#include "hl-capture-private.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

GQuark
hl_capture_error_quark (void)
{
  return g_quark_from_static_string ("hl-capture-error-quark");
}

gboolean
hl_capture_sniff (const char *path)
{
  static const guint8 magics[][4] = {
    { 0xa1, 0xb2, 0xc3, 0xd4 }, { 0xd4, 0xc3, 0xb2, 0xa1 }, /* pcap, microseconds */
    { 0xa1, 0xb2, 0x3c, 0x4d }, { 0x4d, 0x3c, 0xb2, 0xa1 }, /* pcap, nanoseconds */
    { 0x0a, 0x0d, 0x0d, 0x0a },                             /* pcapng */
  };
  guint8 head[4];
  FILE *f = fopen (path, "rb");
  gboolean found = FALSE;
  if (!f)
    return FALSE;
  if (fread (head, 1, 4, f) == 4)
    for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
      found |= memcmp (head, magics[i], 4) == 0;
  fclose (f);
  return found;
}

typedef struct {
  HlRecording *rec;
  const HlCaptureOptions *options;
  guint n_found; /* TLS streams in the file, kept or not */
} Reader;

static guint
on_tls (gpointer user, const char *client, const char *server)
{
  Reader *r = user;
  guint number = ++r->n_found;
  gboolean keep = !r->options || !r->options->keep;
  for (guint i = 0; !keep && i < r->options->n_keep; i++)
    keep = r->options->keep[i] == number;
  return keep ? hl_recording_add_connection (r->rec, client, server, number) : 0;
}

static void
on_bytes (gpointer user, guint connection, HlSide from, gint64 time_us, const guint8 *data,
          gsize len)
{
  Reader *r = user;
  hl_recording_add_bytes (r->rec, connection, from, time_us, data, len);
}

static void
on_stopped (gpointer user, guint connection, const char *note)
{
  Reader *r = user;
  hl_recording_set_note (r->rec, connection, note);
}

static gboolean
read_secrets (HlRecording *rec, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len;
  guint n;
  g_autoptr (GError) e = NULL;
  if (!g_file_get_contents (path, &text, &len, &e)) {
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_SECRETS, "--secrets=%s: %s", path,
                 e->message);
    return FALSE;
  }
  if (strstr (text, "-----BEGIN ")) {
    /* A server's private key: RSA key exchange is opened from the ClientKeyExchange. */
    if (hl_recording_add_private_key (rec, path, &e))
      return TRUE;
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_SECRETS, "--secrets=%s", e->message);
    return FALSE;
  }
  return hl_keylog_parse (rec, text, len, path, &n, error);
}

HlRun *
hl_capture_open (const char *path, const HlCaptureOptions *options, char **warning, GError **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  g_autoptr (HlRecording) rec = hl_recording_new (path);
  pcap_t *pc;
  HlStreams *streams;
  Reader reader = { rec, options, 0 };
  HlStreamSink sink = { on_tls, on_bytes, on_stopped, &reader };
  const char *problem;
  guint64 packet = 0;
  guint blocks;
  int dlt, rc;
  HlRun *run;
  if (warning)
    *warning = NULL;
  for (guint i = 0; options && options->secrets && options->secrets[i]; i++)
    if (!read_secrets (rec, options->secrets[i], error))
      return NULL;
  pc = pcap_open_offline_with_tstamp_precision (path, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (!pc) {
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_UNREADABLE,
                 "%s: not a capture this program can read (libpcap: %s)", path, errbuf);
    return NULL;
  }
  dlt = pcap_datalink (pc);
  if ((problem = hl_link_type_problem (dlt))) {
    const char *name = pcap_datalink_val_to_name (dlt);
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_UNREADABLE,
                 "%s: link type %d (%s) is not supported: %s", path, dlt, name ? name : "unknown",
                 problem);
    pcap_close (pc);
    return NULL;
  }
  if (!hl_keylog_from_pcapng (rec, path, &blocks, error)) {
    pcap_close (pc);
    return NULL;
  }
  streams = hl_streams_new (&sink);
  for (;;) {
    struct pcap_pkthdr *h;
    const u_char *data;
    HlSegment seg;
    rc = pcap_next_ex (pc, &h, &data);
    if (rc != 1)
      break;
    packet++;
    if (hl_packet_to_segment (dlt, data, h->caplen, &seg)) {
      /* A time past what microseconds since 1970 can hold is damage: shown as none. */
      gint64 sec = h->ts.tv_sec, usec = h->ts.tv_usec;
      gboolean sane
          = sec >= 0 && sec < G_MAXINT64 / G_USEC_PER_SEC - 1 && usec >= 0 && usec < G_USEC_PER_SEC;
      hl_streams_add (streams, &seg, sane ? sec * G_USEC_PER_SEC + usec : 0, packet);
    }
  }
  if (rc == -1 && warning)
    /* libpcap stops at a cut: what came before is shown. */
    *warning = g_strdup_printf ("%s: the capture is cut short after packet %" G_GUINT64_FORMAT
                                " (libpcap: %s); showing what it holds up to there",
                                path, packet, pcap_geterr (pc));
  hl_streams_finish (streams);
  hl_streams_free (streams);
  pcap_close (pc);
  if (reader.n_found == 0) {
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_EMPTY,
                 "%s: no TLS connection in this capture (%" G_GUINT64_FORMAT
                 " packets read; TLS is found by its record header on any TCP port)",
                 path, packet);
    return NULL;
  }
  if (options && options->keep)
    for (guint i = 0; i < options->n_keep; i++)
      if (options->keep[i] == 0 || options->keep[i] > reader.n_found) {
        g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_EMPTY,
                     "%s: --connection=%u: the capture has %u TLS connection%s (--list-connections "
                     "lists them)",
                     path, options->keep[i], reader.n_found, reader.n_found == 1 ? "" : "s");
        return NULL;
      }
  run = hl_run_new_recorded (g_steal_pointer (&rec), error);
  return run;
}
