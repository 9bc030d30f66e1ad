/* hl-capture-reader.c: a capture file as a recorded run (hl-capture-reader.h). */
#include "hl-capture-reader.h"
#include "hl-capture-private.h"

#include <errno.h>
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
  HlRecording *rec; /* the whole run's; in list mode it only holds the keys */
  const HlCaptureOptions *options;
  guint n_found;    /* TLS streams in the file, kept or not */
  GHashTable *open; /* list mode: file number -> HlRecording* of that connection alone */
  GPtrArray *summaries;
} Reader;

void
hl_capture_summary_free (HlCaptureSummary *s)
{
  g_free (s->client);
  g_free (s->server);
  g_free (s->server_name);
  g_free (s->note);
  g_free (s);
}

static guint
on_tls (gpointer user, const char *client, const char *server)
{
  Reader *r = user;
  guint number = ++r->n_found;
  gboolean keep = !r->options || !r->options->keep;
  HlRecording *one;
  for (guint i = 0; !keep && i < r->options->n_keep; i++)
    keep = r->options->keep[i] == number;
  if (!keep)
    return 0;
  if (!r->open)
    return hl_recording_add_connection (r->rec, client, server, number);
  one = hl_recording_new_sharing_keys (r->rec);
  hl_recording_set_count_only (one, TRUE);
  hl_recording_add_connection (one, client, server, number);
  g_hash_table_insert (r->open, GUINT_TO_POINTER (number), one);
  return number;
}

/* The recording a connection's bytes go to, and its number there. */
static void
on_bytes (gpointer user, guint connection, HlSide from, gint64 time_us, const guint8 *data,
          gsize len)
{
  Reader *r = user;
  HlRecording *rec
      = r->open ? g_hash_table_lookup (r->open, GUINT_TO_POINTER (connection)) : r->rec;
  hl_recording_add_bytes (rec, r->open ? 1 : connection, from, time_us, data, len);
}

static void
on_stopped (gpointer user, guint connection, const char *note)
{
  Reader *r = user;
  HlRecording *rec
      = r->open ? g_hash_table_lookup (r->open, GUINT_TO_POINTER (connection)) : r->rec;
  hl_recording_set_note (rec, r->open ? 1 : connection, note);
}

/* List mode: the connection is whole; its summary is kept, its bytes and steps go. */
static void
on_closed (gpointer user, guint connection)
{
  Reader *r = user;
  HlRecording *one;
  HlRun *run;
  HlRecordedConnection rc;
  const HlConnection *c;
  HlCaptureSummary *sum;
  if (!r->open
      || !g_hash_table_steal_extended (r->open, GUINT_TO_POINTER (connection), NULL,
                                       (gpointer *)&one))
    return;
  run = hl_run_new_recorded (one, NULL);
  if (!run)
    return;
  if (hl_run_get_recorded_connection (run, 0, &rc) && (c = hl_run_get_connection (run, 0))) {
    sum = g_new0 (HlCaptureSummary, 1);
    sum->file_number = rc.file_number;
    sum->client = g_strdup (rc.client);
    sum->server = g_strdup (rc.server);
    sum->server_name = g_strdup (c->server_name);
    sum->version = c->version;
    sum->suite = c->suite;
    sum->n_messages = rc.n_messages;
    sum->keys_known = rc.keys_known;
    sum->note = g_strdup (rc.note ? rc.note : rc.keys_note);
    g_ptr_array_add (r->summaries, sum);
  }
  hl_run_free (run);
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

/* Reads the capture into reader (its rec holding the secrets already): every packet
 * through TCP reassembly to the reader's callbacks. FALSE and error: unreadable, or no
 * TLS connection (or none of those asked for). */
static gboolean
read_capture (const char *path, const HlCaptureOptions *options, Reader *reader, char **warning,
              GError **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  g_autofree char *iobuf = NULL; /* after pcap_close, which closes the file using it */
  pcap_t *pc = NULL;
  FILE *file;
  HlStreams *streams;
  HlStreamSink sink = { on_tls, on_bytes, on_stopped, on_closed, reader };
  const char *problem;
  guint64 packet = 0;
  guint blocks;
  int dlt, rc;
  if (warning)
    *warning = NULL;
  for (guint i = 0; options && options->secrets && options->secrets[i]; i++)
    if (!read_secrets (reader->rec, options->secrets[i], error))
      return FALSE;
  /* libpcap reads through stdio: a large buffer makes a large capture a few hundred
   * reads instead of two per packet. */
  file = fopen (path, "rb");
  if (file) {
    iobuf = g_malloc (1024 * 1024);
    setvbuf (file, iobuf, _IOFBF, 1024 * 1024);
    pc = pcap_fopen_offline_with_tstamp_precision (file, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!pc)
      fclose (file);
  } else {
    g_strlcpy (errbuf, g_strerror (errno), sizeof errbuf);
  }
  if (!pc) {
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_UNREADABLE,
                 "%s: not a capture this program can read (libpcap: %s)", path, errbuf);
    return FALSE;
  }
  dlt = pcap_datalink (pc);
  if ((problem = hl_link_type_problem (dlt))) {
    const char *name = pcap_datalink_val_to_name (dlt);
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_UNREADABLE,
                 "%s: link type %d (%s) is not supported: %s", path, dlt, name ? name : "unknown",
                 problem);
    pcap_close (pc);
    return FALSE;
  }
  if (!hl_keylog_from_pcapng (reader->rec, path, &blocks, error)) {
    pcap_close (pc);
    return FALSE;
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
  if (reader->n_found == 0) {
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_EMPTY,
                 "%s: no TLS connection in this capture (%" G_GUINT64_FORMAT
                 " packets read; TLS is found by its record header on any TCP port)",
                 path, packet);
    return FALSE;
  }
  if (options && options->keep)
    for (guint i = 0; i < options->n_keep; i++)
      if (options->keep[i] == 0 || options->keep[i] > reader->n_found) {
        g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_EMPTY,
                     "%s: --connection=%u: the capture has %u TLS connection%s (--list-connections "
                     "lists them)",
                     path, options->keep[i], reader->n_found, reader->n_found == 1 ? "" : "s");
        return FALSE;
      }
  return TRUE;
}

HlRun *
hl_capture_open (const char *path, const HlCaptureOptions *options, char **warning, GError **error)
{
  g_autoptr (HlRecording) rec = hl_recording_new (path);
  Reader reader = { rec, options, 0, NULL, NULL };
  if (!read_capture (path, options, &reader, warning, error))
    return NULL;
  return hl_run_new_recorded (g_steal_pointer (&rec), error);
}

static gint
by_file_number (gconstpointer a, gconstpointer b)
{
  const HlCaptureSummary *x = *(HlCaptureSummary *const *)a, *y = *(HlCaptureSummary *const *)b;
  return x->file_number < y->file_number ? -1 : x->file_number > y->file_number;
}

GPtrArray *
hl_capture_list (const char *path, const HlCaptureOptions *options, char **warning, GError **error)
{
  g_autoptr (HlRecording) keys = hl_recording_new (path);
  g_autoptr (GPtrArray) summaries
      = g_ptr_array_new_with_free_func ((GDestroyNotify)hl_capture_summary_free);
  g_autoptr (GHashTable) open
      = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)hl_recording_free);
  Reader reader = { keys, options, 0, open, summaries };
  if (!read_capture (path, options, &reader, warning, error))
    return NULL;
  g_ptr_array_sort (summaries, by_file_number);
  return g_steal_pointer (&summaries);
}
