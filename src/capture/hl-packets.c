/* hl-packets.c: from a captured frame to a TCP segment, for every link type the lab
 * reads. Every length is checked against what was captured: a short frame is skipped,
 * never read past. */
#include "hl-capture-private.h"

#include <pcap/pcap.h>
#include <string.h>

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

static guint16
get16 (const guint8 *p)
{
  return (guint16)(p[0] << 8 | p[1]);
}

static guint32
get32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

const char *
hl_link_type_problem (int dlt)
{
  switch (dlt) {
  case DLT_EN10MB:
  case DLT_LINUX_SLL:
  case DLT_LINUX_SLL2:
  case DLT_NULL:
  case DLT_LOOP:
  case DLT_RAW:
  case DLT_IPV4:
  case DLT_IPV6:
    return NULL;
  default:
    return "the lab reads Ethernet, Linux cooked (v1, v2), BSD loopback and raw IP captures";
  }
}

static gboolean
tcp (const guint8 *p, gsize len, HlSegment *seg)
{
  gsize hl;
  if (len < 20)
    return FALSE;
  hl = (gsize)(p[12] >> 4) * 4;
  if (hl < 20 || hl > len)
    return FALSE;
  seg->sport = get16 (p);
  seg->dport = get16 (p + 2);
  seg->seq = get32 (p + 4);
  seg->flags = p[13];
  seg->payload = p + hl;
  seg->len = len - hl;
  return TRUE;
}

static gboolean
ipv4 (const guint8 *p, gsize caplen, HlSegment *seg)
{
  gsize ihl, total;
  if (caplen < 20 || (p[0] >> 4) != 4)
    return FALSE;
  ihl = (gsize)(p[0] & 0x0f) * 4;
  total = get16 (p + 2);
  /* Only whole datagrams: a fragment's TCP header and bytes cannot be placed alone. */
  if (ihl < 20 || total < ihl || p[9] != 6 || (get16 (p + 6) & 0x3fff) != 0)
    return FALSE;
  if (total > caplen)
    total = caplen; /* a snap length cut it: keep what was captured */
  seg->family = 4;
  memset (seg->src, 0, 16);
  memset (seg->dst, 0, 16);
  memcpy (seg->src, p + 12, 4);
  memcpy (seg->dst, p + 16, 4);
  return tcp (p + ihl, total - ihl, seg);
}

static gboolean
ipv6 (const guint8 *p, gsize caplen, HlSegment *seg)
{
  gsize off = 40, end;
  guint8 next;
  if (caplen < 40 || (p[0] >> 4) != 6)
    return FALSE;
  end = 40 + (gsize)get16 (p + 4);
  if (end > caplen)
    end = caplen;
  next = p[6];
  /* Extension headers: hop-by-hop, routing, destination options (a fragment is skipped). */
  for (int i = 0; i < 8 && (next == 0 || next == 43 || next == 60); i++) {
    if (off + 8 > end)
      return FALSE;
    next = p[off];
    off += 8 + (gsize)p[off + 1] * 8;
  }
  if (next != 6 || off > end)
    return FALSE;
  seg->family = 6;
  memcpy (seg->src, p + 8, 16);
  memcpy (seg->dst, p + 24, 16);
  return tcp (p + off, end - off, seg);
}

static gboolean
ip (const guint8 *p, gsize len, HlSegment *seg)
{
  if (len < 1)
    return FALSE;
  return (p[0] >> 4) == 4 ? ipv4 (p, len, seg) : (p[0] >> 4) == 6 ? ipv6 (p, len, seg) : FALSE;
}

static gboolean
by_ethertype (guint16 type, const guint8 *p, gsize len, HlSegment *seg)
{
  if (type == 0x0800)
    return ipv4 (p, len, seg);
  if (type == 0x86dd)
    return ipv6 (p, len, seg);
  return FALSE;
}

gboolean
hl_packet_to_segment (int dlt, const guint8 *d, gsize caplen, HlSegment *seg)
{
  switch (dlt) {
  case DLT_EN10MB: {
    gsize off = 12;
    guint16 type;
    if (caplen < 14)
      return FALSE;
    type = get16 (d + off);
    /* 802.1Q and 802.1ad tags, stacked: each is 4 bytes before the real type. */
    for (int i = 0; i < 4 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); i++) {
      off += 4;
      if (off + 2 > caplen)
        return FALSE;
      type = get16 (d + off);
    }
    return by_ethertype (type, d + off + 2, caplen - off - 2, seg);
  }
  case DLT_LINUX_SLL:
    return caplen >= 16 && by_ethertype (get16 (d + 14), d + 16, caplen - 16, seg);
  case DLT_LINUX_SLL2:
    return caplen >= 20 && by_ethertype (get16 (d), d + 20, caplen - 20, seg);
  case DLT_NULL:
  case DLT_LOOP: {
    /* BSD loopback: a 4-byte address family in the capturing machine's byte order
     * (DLT_LOOP: network order): 2 is IPv4; 24, 28 or 30 is IPv6, by BSD. */
    guint32 be, le;
    if (caplen < 4)
      return FALSE;
    be = get32 (d);
    le = (guint32)d[3] << 24 | (guint32)d[2] << 16 | (guint32)d[1] << 8 | d[0];
    for (int k = 0; k < 2; k++) {
      guint32 family = k ? be : le;
      if (family == 2)
        return ipv4 (d + 4, caplen - 4, seg);
      if (family == 24 || family == 28 || family == 30)
        return ipv6 (d + 4, caplen - 4, seg);
    }
    return FALSE;
  }
  case DLT_RAW:
  case DLT_IPV4:
  case DLT_IPV6:
    return ip (d, caplen, seg);
  default:
    return FALSE;
  }
}

char *
hl_endpoint_name (guint8 family, const guint8 *a, guint16 port)
{
  if (family == 4)
    return g_strdup_printf ("%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], port);
  {
    /* RFC 5952: lower case, the longest run of zero groups (2 or more) as "::". */
    guint16 g[8];
    int best = -1, best_len = 0;
    GString *out = g_string_new ("[");
    for (int i = 0; i < 8; i++)
      g[i] = get16 (a + 2 * i);
    for (int i = 0; i < 8;) {
      int j = i;
      while (j < 8 && g[j] == 0)
        j++;
      if (j - i > best_len && j - i >= 2) {
        best = i;
        best_len = j - i;
      }
      i = j > i ? j : i + 1;
    }
    for (int i = 0; i < 8; i++) {
      if (i == best) {
        g_string_append (out, "::");
        i += best_len - 1;
        continue;
      }
      if (i && !(best >= 0 && i == best + best_len))
        g_string_append_c (out, ':');
      g_string_append_printf (out, "%x", g[i]);
    }
    g_string_append_printf (out, "]:%u", port);
    return g_string_free (out, FALSE);
  }
}
