/* hl-tcp-streams.c: TCP reassembly, per stream and direction, in sequence order.
 *
 * A segment whose bytes were all seen (a retransmission) is dropped; one that overlaps
 * what was seen gives only its new bytes; one that comes early waits until the bytes
 * before it arrive. Bytes that never arrive are a gap: the stream stops there, with a
 * note that says where, rather than handing TLS a hole it would misread.
 */
#include "hl-capture-private.h"

#include <string.h>

/* Bytes held back waiting for a gap to fill, per direction: beyond this the gap is
 * taken as real (the capture lost them). */
#define MAX_WAITING (4 * 1024 * 1024)

typedef struct {
  guint32 seq;
  GBytes *data;
  gint64 time_us;
  guint64 packet;
} Waiting;

/* A stream that is not TLS, not kept, stopped or closed holds no bytes: only what it
 * takes to recognise its later segments and ignore them. */
typedef enum { STREAM_UNKNOWN, STREAM_TLS, STREAM_OTHER, STREAM_STOPPED, STREAM_CLOSED } StreamKind;

typedef struct {
  gboolean started; /* next is known */
  gboolean syn;     /* this direction opened the stream */
  gboolean fin;     /* sent its FIN, at fin_seq */
  guint32 fin_seq;
  guint32 base, next;
  GList *waiting; /* Waiting*, by sequence number */
  gsize n_waiting;
  GByteArray *early; /* in-order bytes before the stream is known to be TLS; NULL after */
  gint64 early_time;
} Half;

typedef struct {
  guint8 family;
  guint8 addr[2][16];
  guint16 port[2];
  Half half[2]; /* indexed by the sender: 0 is the address seen first */
  StreamKind kind;
  int client; /* which half is the client; -1 not known */
  guint connection;
  gboolean had_data;
} Stream;

struct _HlStreams {
  HlStreamSink sink;
  GHashTable *by_key; /* key string -> Stream* */
  GPtrArray *all;     /* Stream*, owned */
};

static void
free_waiting (Waiting *w)
{
  g_bytes_unref (w->data);
  g_free (w);
}

static void
free_stream (Stream *s)
{
  for (int h = 0; h < 2; h++) {
    g_list_free_full (s->half[h].waiting, (GDestroyNotify)free_waiting);
    if (s->half[h].early)
      g_byte_array_unref (s->half[h].early);
  }
  g_free (s);
}

HlStreams *
hl_streams_new (const HlStreamSink *sink)
{
  HlStreams *s = g_new0 (HlStreams, 1);
  s->sink = *sink;
  s->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->all = g_ptr_array_new_with_free_func ((GDestroyNotify)free_stream);
  return s;
}

void
hl_streams_free (HlStreams *s)
{
  if (!s)
    return;
  g_hash_table_unref (s->by_key);
  g_ptr_array_unref (s->all);
  g_free (s);
}

/* The same key for both directions: the two endpoints in a fixed order. */
static char *
stream_key (const HlSegment *seg)
{
  g_autofree char *a = hl_endpoint_name (seg->family, seg->src, seg->sport);
  g_autofree char *b = hl_endpoint_name (seg->family, seg->dst, seg->dport);
  return strcmp (a, b) < 0 ? g_strconcat (a, " ", b, NULL) : g_strconcat (b, " ", a, NULL);
}

static gboolean
looks_like_record (const guint8 *h)
{
  return h[0] >= 20 && h[0] <= 23 && h[1] == 3 && h[2] <= 4
         && ((gsize)h[3] << 8 | h[4]) <= 16384 + 2048;
}

static void
release_memory (Stream *st)
{
  for (int h = 0; h < 2; h++) {
    g_list_free_full (st->half[h].waiting, (GDestroyNotify)free_waiting);
    st->half[h].waiting = NULL;
    st->half[h].n_waiting = 0;
    g_clear_pointer (&st->half[h].early, g_byte_array_unref);
  }
}

static void
stop (HlStreams *s, Stream *st, int h, guint64 packet)
{
  Half *half = &st->half[h];
  if (st->kind == STREAM_TLS && st->connection) {
    HlSide side = h == st->client ? HL_SIDE_CLIENT : HL_SIDE_SERVER;
    g_autofree char *note = g_strdup_printf (
        "TCP gap: the %s's bytes from stream offset %u on were not captured (the next bytes "
        "captured are in packet %" G_GUINT64_FORMAT "); the connection is shown up to there",
        side == HL_SIDE_CLIENT ? "client" : "server", half->next - half->base, packet);
    s->sink.stopped (s->sink.user, st->connection, note);
  }
  st->kind = STREAM_STOPPED;
  release_memory (st);
}

/* The stream's first bytes decide: a TLS record header, or not TLS at all. */
static void
decide (HlStreams *s, Stream *st, int h)
{
  Half *half = &st->half[h];
  const guint8 *d = half->early->data;
  g_autofree char *client = NULL, *server = NULL;
  if (!looks_like_record (d)) {
    st->kind = STREAM_OTHER;
    release_memory (st);
    return;
  }
  st->kind = STREAM_TLS;
  if (st->client < 0) /* no SYN seen: a ClientHello says who the client is */
    st->client = d[0] == 22 && half->early->len > 5 && d[5] == 1 ? h : 1 - h;
  client = hl_endpoint_name (st->family, st->addr[st->client], st->port[st->client]);
  server = hl_endpoint_name (st->family, st->addr[1 - st->client], st->port[1 - st->client]);
  st->connection = s->sink.tls_found (s->sink.user, client, server);
  for (int k = 0; k < 2; k++) {
    /* The half that decided first: its bytes came first. */
    Half *e = &st->half[k ? 1 - h : h];
    int which = k ? 1 - h : h;
    if (st->connection && e->early->len)
      s->sink.bytes (s->sink.user, st->connection,
                     which == st->client ? HL_SIDE_CLIENT : HL_SIDE_SERVER, e->early_time,
                     e->early->data, e->early->len);
    g_clear_pointer (&e->early, g_byte_array_unref);
  }
  if (!st->connection)
    release_memory (st); /* TLS, but not kept: its bytes are not wanted */
}

static void
deliver (HlStreams *s, Stream *st, int h, const guint8 *data, gsize len, gint64 time_us)
{
  Half *half = &st->half[h];
  half->next += (guint32)len;
  if (st->kind == STREAM_TLS) {
    if (st->connection)
      s->sink.bytes (s->sink.user, st->connection,
                     h == st->client ? HL_SIDE_CLIENT : HL_SIDE_SERVER, time_us, data, len);
    return;
  }
  if (st->kind != STREAM_UNKNOWN)
    return;
  if (!half->early->len)
    half->early_time = time_us;
  g_byte_array_append (half->early, data, len);
  if (half->early->len >= 6)
    decide (s, st, h);
}

/* Puts one segment's bytes in place; then whatever waited for them. */
static void
place (HlStreams *s, Stream *st, int h, guint32 seq, const guint8 *data, gsize len, gint64 time_us,
       guint64 packet)
{
  Half *half = &st->half[h];
  gint32 ahead = (gint32)(seq - half->next);
  gint32 end = (gint32)(seq + (guint32)len - half->next);
  if (end <= 0)
    return; /* all seen already: a retransmission */
  if (ahead < 0) {
    /* Overlaps what was seen: only the new part counts. */
    data += -ahead;
    len -= (gsize)-ahead;
    ahead = 0;
  }
  if (ahead > 0) {
    Waiting *w = g_new0 (Waiting, 1);
    GList *l;
    w->seq = seq;
    w->data = g_bytes_new (data, len);
    w->time_us = time_us;
    w->packet = packet;
    for (l = half->waiting; l; l = l->next)
      if ((gint32)(((Waiting *)l->data)->seq - seq) > 0)
        break;
    half->waiting = g_list_insert_before (half->waiting, l, w);
    half->n_waiting += len;
    if (half->n_waiting > MAX_WAITING)
      stop (s, st, h, ((Waiting *)half->waiting->data)->packet);
    return;
  }
  deliver (s, st, h, data, len, time_us);
  /* What waited may now fit (bounded: each pass removes one segment). */
  while (st->kind == STREAM_TLS || st->kind == STREAM_UNKNOWN) {
    Waiting *w;
    gsize wlen;
    const guint8 *wd;
    gint32 wahead;
    if (!half->waiting)
      break;
    w = half->waiting->data;
    wahead = (gint32)(w->seq - half->next);
    if (wahead > 0)
      break;
    half->waiting = g_list_delete_link (half->waiting, half->waiting);
    wd = g_bytes_get_data (w->data, &wlen);
    half->n_waiting -= wlen;
    if ((gint32)(w->seq + (guint32)wlen - half->next) > 0)
      deliver (s, st, h, wd + (half->next - w->seq), wlen - (half->next - w->seq), w->time_us);
    free_waiting (w);
  }
}

static Stream *
new_stream (HlStreams *s, const HlSegment *seg, char *key)
{
  Stream *st = g_new0 (Stream, 1);
  st->family = seg->family;
  memcpy (st->addr[0], seg->src, 16);
  memcpy (st->addr[1], seg->dst, 16);
  st->port[0] = seg->sport;
  st->port[1] = seg->dport;
  st->client = -1;
  st->half[0].early = g_byte_array_new ();
  st->half[1].early = g_byte_array_new ();
  g_ptr_array_add (s->all, st);
  g_hash_table_replace (s->by_key, key, st);
  return st;
}

/* Done with a stream: what waits for missing bytes is a gap, a stream too short to
 * decide on is decided now, and a kept TLS stream is reported closed. */
static void
close_stream (HlStreams *s, Stream *st)
{
  if (st->kind == STREAM_CLOSED)
    return;
  for (int h = 0; h < 2; h++)
    if (st->half[h].waiting && (st->kind == STREAM_TLS || st->kind == STREAM_UNKNOWN))
      stop (s, st, h, ((Waiting *)st->half[h].waiting->data)->packet);
  if (st->kind == STREAM_UNKNOWN)
    for (int h = 0; h < 2 && st->kind == STREAM_UNKNOWN; h++)
      if (st->half[h].early && st->half[h].early->len >= 5) /* a stream of fewer than 6 bytes */
        decide (s, st, h);
  if ((st->kind == STREAM_TLS || st->kind == STREAM_STOPPED) && st->connection && s->sink.closed)
    s->sink.closed (s->sink.user, st->connection);
  st->kind = STREAM_CLOSED;
  release_memory (st);
}

/* This direction sent its FIN and every byte before it was placed. */
static gboolean
closed_half (const Half *half)
{
  return half->fin && (!half->started || half->next == half->fin_seq) && !half->waiting;
}

/* A SYN that opened this very stream (repeated, or captured after the first data):
 * its sequence number is one before where that direction's bytes start. */
static gboolean
same_syn (Stream *st, const HlSegment *seg)
{
  int h = memcmp (seg->src, st->addr[0], 16) == 0 && seg->sport == st->port[0] ? 0 : 1;
  return st->half[h].started && seg->seq + 1 == st->half[h].base;
}

void
hl_streams_add (HlStreams *s, const HlSegment *seg, gint64 time_us, guint64 packet)
{
  char *key = stream_key (seg);
  Stream *st = g_hash_table_lookup (s->by_key, key);
  int h;
  Half *half;
  /* A new SYN on a stream that already carried data is a new connection on the same
   * addresses and ports. */
  if (st && (seg->flags & HL_TCP_SYN) && !(seg->flags & HL_TCP_ACK) && st->had_data
      && !same_syn (st, seg)) {
    close_stream (s, st);
    st = NULL;
  }
  if (!st)
    st = new_stream (s, seg, key);
  else
    g_free (key);
  h = memcmp (seg->src, st->addr[0], 16) == 0 && seg->sport == st->port[0] ? 0 : 1;
  half = &st->half[h];
  if (seg->flags & HL_TCP_SYN) {
    if (half->started && seg->seq + 1 == half->base)
      return; /* a repeated or late SYN */
    half->started = TRUE;
    half->base = half->next = seg->seq + 1;
    if (!(seg->flags & HL_TCP_ACK) && st->client < 0)
      st->client = h;
    return;
  }
  if (st->kind == STREAM_CLOSED || (seg->len == 0 && !(seg->flags & (HL_TCP_FIN | HL_TCP_RST))))
    return;
  if (seg->len && st->kind != STREAM_OTHER && st->kind != STREAM_STOPPED
      && !(st->kind == STREAM_TLS && !st->connection)) {
    if (!half->started) {
      /* The capture began after the SYN: the stream starts at the first bytes seen. */
      half->started = TRUE;
      half->base = half->next = seg->seq;
    }
    st->had_data = TRUE;
    place (s, st, h, seg->seq, seg->payload, seg->len, time_us, packet);
  }
  if (seg->flags & HL_TCP_FIN) {
    half->fin = TRUE;
    half->fin_seq = seg->seq + (guint32)seg->len;
  }
  /* Over when both sides sent their FIN and every byte before them arrived, or at a
   * reset: a stream that ends this way frees its memory before the capture does. */
  if ((seg->flags & HL_TCP_RST) || (closed_half (&st->half[0]) && closed_half (&st->half[1]))
      || (st->kind == STREAM_STOPPED && st->half[0].fin && st->half[1].fin))
    close_stream (s, st);
}

void
hl_streams_finish (HlStreams *s)
{
  for (guint i = 0; i < s->all->len; i++)
    close_stream (s, g_ptr_array_index (s->all, i));
}
