/* hl-pcapng-writer.c: the pcapng writer (blocks: SHB, IDB, DSB, then one EPB per frame). */
#include "hl-pcapng-writer.h"
#include "hl-transcript.h"

#include <string.h>

static void
put16 (GByteArray *b, guint16 v)
{
  g_byte_array_append (b, (const guint8 *)&v, 2); /* pcapng blocks: host byte order */
}

static void
put32 (GByteArray *b, guint32 v)
{
  g_byte_array_append (b, (const guint8 *)&v, 4);
}

static void
be16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static void
pad4 (GByteArray *b)
{
  static const guint8 zeros[4] = { 0 };
  if (b->len % 4)
    g_byte_array_append (b, zeros, 4 - b->len % 4);
}

/* Starts a block; returns where its length goes. */
static guint
begin_block (GByteArray *b, guint32 type)
{
  guint at = b->len;
  put32 (b, type);
  put32 (b, 0);
  return at;
}

static void
end_block (GByteArray *b, guint at)
{
  guint32 len;
  pad4 (b);
  len = b->len - at + 4;
  memcpy (b->data + at + 4, &len, 4);
  put32 (b, len);
}

typedef struct {
  GByteArray *out;
  guint64 time_us;
  guint32 seq[2]; /* next sequence number per side */
  guint16 client_port;
} Flow;

static guint16
ip_checksum (const guint8 *p, gsize len)
{
  guint32 sum = 0;
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (guint32)p[i] << 8 | p[i + 1];
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16)~sum;
}

static void
emit_segment (Flow *f, int from, guint8 flags, const guint8 *data, gsize len)
{
  static const guint8 mac[2][6] = { { 0x02, 0, 0, 0, 0, 0x0a }, { 0x02, 0, 0, 0, 0, 0x14 } };
  static const guint8 ip[2][4] = { { 192, 0, 2, 10 }, { 192, 0, 2, 20 } };
  gsize frame_len = 14 + 20 + 20 + len;
  g_autofree guint8 *fr = g_malloc0 (frame_len);
  guint8 *iph = fr + 14, *tcp = fr + 34;
  guint at;
  memcpy (fr, mac[!from], 6);
  memcpy (fr + 6, mac[from], 6);
  be16 (fr + 12, 0x0800);
  iph[0] = 0x45;
  be16 (iph + 2, (guint16)(20 + 20 + len));
  iph[8] = 64;
  iph[9] = 6;
  memcpy (iph + 12, ip[from], 4);
  memcpy (iph + 16, ip[!from], 4);
  be16 (iph + 10, ip_checksum (iph, 20));
  be16 (tcp, from ? 443 : f->client_port);
  be16 (tcp + 2, from ? f->client_port : 443);
  be32 (tcp + 4, f->seq[from]);
  be32 (tcp + 8, (flags & 0x10) ? f->seq[!from] : 0);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  be16 (tcp + 14, 65535);
  if (len)
    memcpy (tcp + 20, data, len);
  f->seq[from] += len + ((flags & 0x03) ? 1 : 0); /* SYN and FIN count as one byte */

  at = begin_block (f->out, 6);
  put32 (f->out, 0);
  put32 (f->out, (guint32)(f->time_us >> 32));
  put32 (f->out, (guint32)f->time_us);
  put32 (f->out, frame_len);
  put32 (f->out, frame_len);
  g_byte_array_append (f->out, fr, frame_len);
  end_block (f->out, at);
  f->time_us += 1000;
}

guint8 *
hl_pcapng_from_run (const HlRun *run, gsize *len)
{
  GByteArray *b = g_byte_array_new ();
  g_autofree char *keylog = hl_transcript_to_keylog (run);
  const HlScenario *s = hl_run_get_scenario (run);
  guint at;
  Flow f = { b, (guint64)s->time * 1000000, { 0, 0 }, 0 };

  at = begin_block (b, 0x0A0D0D0A);
  put32 (b, 0x1A2B3C4D);
  put16 (b, 1);
  put16 (b, 0);
  put32 (b, 0xffffffff);
  put32 (b, 0xffffffff);
  end_block (b, at);

  at = begin_block (b, 1);
  put16 (b, 1); /* LINKTYPE_ETHERNET */
  put16 (b, 0);
  put32 (b, 262144);
  end_block (b, at);

  /* The secrets must come before the packets, or Wireshark ignores them. */
  at = begin_block (b, 0x0000000A);
  put32 (b, 0x544C534B); /* "TLSK" */
  put32 (b, strlen (keylog));
  g_byte_array_append (b, (const guint8 *)keylog, strlen (keylog));
  end_block (b, at);

  for (guint ci = 0; ci < hl_run_get_n_connections (run); ci++) {
    const HlConnection *c = hl_run_get_connection (run, ci);
    f.client_port = 50000 + c->index;
    f.seq[0] = 1000 * c->index;
    f.seq[1] = 500000 * c->index;
    emit_segment (&f, 0, 0x02, NULL, 0);
    emit_segment (&f, 1, 0x12, NULL, 0);
    emit_segment (&f, 0, 0x10, NULL, 0);
    for (guint si = 0; si < c->steps->len; si++) {
      const HlStep *st = g_ptr_array_index (c->steps, si);
      GBytes *sent = st->delivered_wire ? st->delivered_wire : st->wire;
      gsize plen, off = 0;
      const guint8 *p = g_bytes_get_data (sent, &plen);
      g_autoptr (GByteArray) seg = g_byte_array_new ();
      if (!st->delivered)
        continue; /* dropped in transit */
      for (guint ri = 0; ri < st->records->len; ri++) {
        const HlRecordHeader *r = &g_array_index (st->records, HlRecordHeader, ri);
        guint8 hdr[5] = { r->content_type, r->version >> 8, r->version & 0xff, r->length >> 8,
                          r->length & 0xff };
        g_byte_array_append (seg, hdr, 5);
        if (off + r->length <= plen)
          g_byte_array_append (seg, p + off, r->length);
        off += r->length;
      }
      /* IPv4 lengths are 16-bit: long steps go out as several segments. */
      for (gsize start = 0; start < seg->len; start += 60000)
        emit_segment (&f, st->from, 0x18, seg->data + start, MIN (seg->len - start, 60000));
    }
    emit_segment (&f, 0, 0x11, NULL, 0);
    emit_segment (&f, 1, 0x11, NULL, 0);
    emit_segment (&f, 0, 0x10, NULL, 0);
  }
  *len = b->len;
  return g_byte_array_free (b, FALSE);
}
