/* hl-run-tls13.c: TLS 1.3 in the run: the hellos read from the wire, encrypted records
 * opened with the sender's captured traffic secrets, the whole key schedule recomputed
 * for each side from the handshake as that side saw it, and the Finished check.
 *
 * What differs from TLS 1.2, and why the code looks different:
 * - Keys exist right after ServerHello: both hellos carry key shares, so everything
 *   the server sends after ServerHello is already encrypted (under the handshake
 *   traffic secrets), and application data uses other keys (traffic secret 0).
 * - Every encrypted record says "application_data" (23) outside; the real type is
 *   the last non-zero byte of the decrypted TLSInnerPlaintext.
 * - ChangeCipherSpec is only a disguise for middleboxes: it changes nothing.
 */
#include "hl-run-private.h"
#include "hl-i18n.h"

#include <string.h>

void
_hl_run_clear_hellos (Hellos *h)
{
  g_clear_pointer (&h->client_share, g_bytes_unref);
  g_clear_pointer (&h->server_share, g_bytes_unref);
  g_clear_pointer (&h->client_random, g_bytes_unref);
  g_clear_pointer (&h->server_random, g_bytes_unref);
  memset (h, 0, sizeof *h);
  h->group = -1;
}

/* The key_share entry for group in a ClientHello (a list) or ServerHello (one entry). */
static GBytes *
find_share (const guint8 *msg, gsize len, int group)
{
  const guint8 *d;
  gsize n, off;
  if (!hl_hello_find_extension (msg, len, 51, &d, &n))
    return NULL;
  if (msg[0] == 2) {
    if (n >= 4 && (d[0] << 8 | d[1]) == group && 4 + (gsize)(d[2] << 8 | d[3]) <= n)
      return g_bytes_new (d + 4, d[2] << 8 | d[3]);
    return NULL;
  }
  for (off = 2; off + 4 <= n;) {
    gsize klen = d[off + 2] << 8 | d[off + 3];
    if (off + 4 + klen > n)
      break;
    if ((d[off] << 8 | d[off + 1]) == group)
      return g_bytes_new (d + off + 4, klen);
    off += 4 + klen;
  }
  return NULL;
}

void
_hl_run_note_hello13 (HlRun *run, HlSide from, const guint8 *msg, gsize len)
{
  Hellos *h = &run->hellos;
  const guint8 *d;
  gsize n;
  if (len < 38)
    return;
  if (msg[0] == HL_HANDSHAKE_CLIENT_HELLO) {
    g_clear_pointer (&h->client_random, g_bytes_unref);
    h->client_random = g_bytes_new (msg + 6, 32);
    h->early_offered = hl_hello_find_extension (msg, len, 42, &d, &n);
    return;
  }
  if (hl_tls13_is_hello_retry (msg, len)) {
    /* The retry already names the suite: its hash shapes the transcript from here on. */
    gsize off = len >= 39 ? (gsize)39 + msg[38] : len;
    if (off + 2 <= len)
      h->suite = msg[off] << 8 | msg[off + 1];
    h->hello_retry = TRUE;
    if (hl_hello_find_extension (msg, len, 51, &d, &n) && n == 2)
      h->group = d[0] << 8 | d[1];
    return;
  }
  g_clear_pointer (&h->server_random, g_bytes_unref);
  h->server_random = g_bytes_new (msg + 6, 32);
  h->version = msg[4] << 8 | msg[5];
  if (hl_hello_find_extension (msg, len, 43, &d, &n) && n == 2)
    h->version = d[0] << 8 | d[1];
  if (len >= 39) {
    gsize off = 38 + 1 + msg[38];
    if (off + 2 <= len)
      h->suite = msg[off] << 8 | msg[off + 1];
  }
  if (hl_hello_find_extension (msg, len, 51, &d, &n) && n >= 4) {
    h->group = d[0] << 8 | d[1];
    g_clear_pointer (&h->server_share, g_bytes_unref);
    h->server_share = find_share (msg, len, h->group);
  }
  h->psk_accepted = hl_hello_find_extension (msg, len, 41, &d, &n);
  /* A server echoes it only when the client offered it: then both use it. */
  h->extended_master_secret = h->version < 0x0304 && hl_hello_find_extension (msg, len, 23, &d, &n);
}

/* ---------- Records ---------- */

/* The sender's traffic secrets, in the order it uses them. */
static const HlOsslKeylog client_secrets[]
    = { HL_OSSL_CLIENT_EARLY_TRAFFIC_SECRET, HL_OSSL_CLIENT_HANDSHAKE_TRAFFIC_SECRET,
        HL_OSSL_CLIENT_TRAFFIC_SECRET_0 };
static const HlOsslKeylog server_secrets[]
    = { HL_OSSL_SERVER_HANDSHAKE_TRAFFIC_SECRET, HL_OSSL_SERVER_TRAFFIC_SECRET_0 };

void
_hl_run_take_tls13_record (HlRun *run, HlSide from, guint16 version, const guint8 *payload,
                           gsize len)
{
  Direction *dir = &run->dir[from];
  Peer *p = run->peer[from];
  const HlSuite *suite = hl_suite_by_id (run->hellos.suite);
  const HlOsslKeylog *order = from == HL_SIDE_CLIENT ? client_secrets : server_secrets;
  guint n_order
      = from == HL_SIDE_CLIENT ? G_N_ELEMENTS (client_secrets) : G_N_ELEMENTS (server_secrets);
  GBytes *inner = NULL;
  HlTls13Keys keys;
  int used = -1;
  /* Early data flows before the ServerHello chose a suite: the ClientHello's first suite
   * is the one a resumed session keeps. */
  if (!suite && p->ossl)
    suite = hl_suite_by_id (hl_ossl_suite (p->ossl));
  /* Try the secret in use, then the next ones (a new secret starts at sequence 0): the
   * AEAD tag tells which one the sender used. */
  if (suite && dir->tls13_generation > 0) {
    /* After a KeyUpdate: the secret it moved to, at its sequence number. */
    hl_tls13_keys_from_secret (suite, g_bytes_get_data (dir->tls13_updated, NULL), &keys);
    keys.seq = dir->tls13_seq;
    inner = hl_tls13_open (&keys, payload, len);
    if (inner)
      used = dir->tls13_secret;
  }
  for (guint i = 0; suite && p->ossl && dir->tls13_generation == 0 && i < n_order && !inner; i++) {
    GBytes *secret = hl_ossl_keylog (p->ossl, order[i]);
    if ((int)i < dir->tls13_secret || !secret)
      continue;
    hl_tls13_keys_from_secret (suite, g_bytes_get_data (secret, NULL), &keys);
    keys.seq = (int)i == dir->tls13_secret ? dir->tls13_seq : 0;
    inner = hl_tls13_open (&keys, payload, len);
    if (inner)
      used = i;
  }
  if (!inner && suite && dir->tls13_secret == (int)n_order - 1) {
    /* A KeyUpdate moved the sender on: application_traffic_secret_N+1 =
     * HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length). */
    GBytes *now
        = dir->tls13_generation ? dir->tls13_updated : hl_ossl_keylog (p->ossl, order[n_order - 1]);
    guint8 next[HL_TLS13_MAX_HASH];
    gsize hl = hl_tls13_hash_len (suite->prf);
    if (now) {
      hl_tls13_expand_label (suite->prf, g_bytes_get_data (now, NULL), "traffic upd", NULL, 0, next,
                             hl);
      hl_tls13_keys_from_secret (suite, next, &keys);
      inner = hl_tls13_open (&keys, payload, len);
      if (inner) {
        used = n_order - 1;
        dir->tls13_generation++;
        _hl_run_set_bytes (&dir->tls13_updated, next, hl);
      }
    }
  }
  if (!inner) {
    Pending *q;
    /* Not readable with any key this side has: shown as what it claims to be. */
    _hl_run_queue_pending (run, from, "ApplicationData", HL_CONTENT_APPLICATION_DATA, -1, version,
                           TRUE, payload, len, NULL);
    q = g_queue_peek_tail (&run->pending);
    q->record_type = HL_CONTENT_APPLICATION_DATA;
    return;
  }
  dir->tls13_secret = used;
  dir->tls13_seq = keys.seq + 1;
  {
    gsize ilen, clen;
    const guint8 *id = g_bytes_get_data (inner, &ilen);
    guint8 type = hl_tls13_inner_type (id, ilen, &clen);
    gsize off = 0;
    gboolean early = order[used] == HL_OSSL_CLIENT_EARLY_TRAFFIC_SECRET;
    do {
      /* One step per message; OpenSSL sends one per record, but a record may hold more. */
      gsize mlen = clen - off;
      const char *name = hl_content_type_name (type);
      int hs_type = -1;
      Pending *q;
      if (type == HL_CONTENT_HANDSHAKE && clen - off >= 4) {
        const guint8 *m = id + off;
        mlen = MIN (clen - off, 4 + ((gsize)m[1] << 16 | (gsize)m[2] << 8 | m[3]));
        hs_type = m[0];
        name = hl_handshake_type_name (hs_type);
      } else if (type == HL_CONTENT_APPLICATION_DATA) {
        name = "ApplicationData";
      } else if (type == HL_CONTENT_ALERT) {
        name = "Alert";
      }
      _hl_run_queue_pending (run, from, name ? name : "Unknown", type, hs_type, version, TRUE,
                             payload, len, g_bytes_new (id + off, mlen));
      q = g_queue_peek_tail (&run->pending);
      q->record_type = HL_CONTENT_APPLICATION_DATA;
      q->early = early && type == HL_CONTENT_APPLICATION_DATA; /* 0-RTT data itself */
      q->has_tls13_keys = TRUE;
      q->tls13_keys = keys;
      q->tls13_padding = ilen - clen - 1;
      q->tls13_inner_len = ilen;
      q->has_seal = TRUE;
      q->seal_suite = suite->id;
      q->seal_version = 0x0304;
      q->seal_seq = keys.seq;
      memcpy (q->seal_iv, keys.iv, 12);
      q->seal_iv_len = 12;
      /* RFC 8446 5.3: the 64-bit sequence number, big-endian, XORed into the IV's end. */
      memcpy (q->seal_nonce, keys.iv, 12);
      for (int b = 0; b < 8; b++)
        q->seal_nonce[11 - b] ^= (guint8)(keys.seq >> (8 * b));
      q->seal_nonce_len = 12;
      off += mlen;
    } while (off < clen);
  }
  g_bytes_unref (inner);
}

/* A changed plaintext, sealed with the sender's keys and the record's sequence number:
 * the receiver finds a valid record whose message changed. */
GBytes *
_hl_run_seal13_as_sender (const Pending *p, GBytes *plaintext)
{
  gsize len = g_bytes_get_size (plaintext);
  guint8 *inner = g_malloc0 (len + 1 + p->tls13_padding);
  GBytes *out;
  memcpy (inner, g_bytes_get_data (plaintext, NULL), len);
  inner[len] = p->content_type;
  out = hl_tls13_seal (&p->tls13_keys, inner, len + 1 + p->tls13_padding);
  g_free (inner);
  return out;
}

/* ---------- The key schedule, as one side saw the handshake ---------- */

/* The side's handshake so far: what it received and sent (delivered steps), then what
 * it has sent that is still on the way: a side knows what it derived to send. */
static GByteArray *
side_view (HlRun *run, HlSide side)
{
  GByteArray *v = g_byte_array_new ();
  g_byte_array_append (v, run->view[side]->data, run->view[side]->len);
  for (GList *l = run->pending.head; l; l = l->next) {
    const Pending *q = l->data;
    GBytes *m = q->encrypted ? q->plaintext : q->wire;
    if (q->from == side && q->content_type == HL_CONTENT_HANDSHAKE && m
        && q->connection == run->connection)
      g_byte_array_append (v, g_bytes_get_data (m, NULL), g_bytes_get_size (m));
  }
  return v;
}

static void
set (HlSecrets *out, HlSecretId id, const guint8 *v, gsize n)
{
  _hl_run_set_bytes (&out->value[id], v, n);
}

/* The key and IV a traffic secret gives (RFC 8446 7.3). */
static void
set_keys (HlSecrets *out, const HlSuite *suite, const guint8 *secret, HlSecretId key_id,
          HlSecretId iv_id)
{
  HlTls13Keys k;
  hl_tls13_keys_from_secret (suite, secret, &k);
  set (out, key_id, k.key, k.key_len);
  set (out, iv_id, k.iv, 12);
}

/* The PSK of a resumed connection, as `side` has it: the ticket the client offers, found
 * among the previous connection's NewSessionTickets (the client's copy as it received it,
 * the server's as it sent it), and that side's resumption secret from that connection.
 * The PSK belongs to the earlier session's hash; *psk_hash says which. */
static GBytes *
find_psk (HlRun *run, HlSide side, const guint8 *ch, gsize ch_len, HlHash *psk_hash)
{
  const guint8 *d;
  gsize n, ilen;
  const HlConnection *prev;
  const HlSuite *prev_suite;
  GBytes *rms;
  HlHash hash;
  if (run->connection < 2 || !hl_hello_find_extension (ch, ch_len, 41, &d, &n) || n < 4)
    return NULL;
  ilen = d[2] << 8 | d[3];
  if (4 + ilen > n)
    return NULL;
  prev = g_ptr_array_index (run->connections, run->connection - 2);
  prev_suite = hl_suite_by_id (prev->suite);
  if (!prev_suite || !hl_suite_is_tls13 (prev_suite))
    return NULL;
  hash = prev_suite->prf;
  rms = side == HL_SIDE_SERVER && prev->views_differ
            ? prev->server_secrets.value[HL_SECRET_RESUMPTION_MASTER]
            : prev->secrets.value[HL_SECRET_RESUMPTION_MASTER];
  if (!rms || g_bytes_get_size (rms) != hl_tls13_hash_len (hash))
    return NULL;
  for (guint i = 0; i < prev->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (prev->steps, i);
    GBytes *ticket = st->plaintext;
    gsize m_len, nonce_len, tlen, off;
    const guint8 *m;
    if (st->handshake_type != HL_HANDSHAKE_NEW_SESSION_TICKET)
      continue;
    if (side == HL_SIDE_CLIENT) {
      /* The client keeps what it read: nothing of a ticket it never got. */
      if (!st->delivered || !st->accepted)
        continue;
      if (st->delivered_plaintext)
        ticket = st->delivered_plaintext;
    }
    if (!ticket)
      continue;
    /* NewSessionTicket: lifetime(4) age_add(4) nonce<0..255> ticket<1..2^16-1> */
    m = g_bytes_get_data (ticket, &m_len);
    if (m_len < 4 + 9)
      continue;
    nonce_len = m[12];
    off = 13 + nonce_len;
    if (off + 2 > m_len)
      continue;
    tlen = m[off] << 8 | m[off + 1];
    if (off + 2 + tlen > m_len || tlen != ilen || memcmp (m + off + 2, d + 4, ilen) != 0)
      continue;
    {
      guint8 psk[HL_TLS13_MAX_HASH];
      hl_tls13_expand_label (hash, g_bytes_get_data (rms, NULL), "resumption", m + 13, nonce_len,
                             psk, hl_tls13_hash_len (hash));
      *psk_hash = hash;
      return g_bytes_new (psk, hl_tls13_hash_len (hash));
    }
  }
  return NULL;
}

/* Offsets into a transcript: where each message that matters ends. */
typedef struct {
  gsize ch_end, sh_end, sfin_start, sfin_end, cfin_start, cfin_end;
  gsize ch_start;
} Marks;

static void
mark_transcript (const GByteArray *t, Marks *mk)
{
  gsize off = 0;
  memset (mk, 0, sizeof *mk);
  while (off + 4 <= t->len) {
    const guint8 *m = t->data + off;
    gsize mlen = 4 + ((gsize)m[1] << 16 | (gsize)m[2] << 8 | m[3]);
    if (off + mlen > t->len)
      break;
    if (m[0] == HL_HANDSHAKE_CLIENT_HELLO) {
      mk->ch_start = off;
      mk->ch_end = off + mlen;
    } else if (m[0] == HL_HANDSHAKE_SERVER_HELLO && !hl_tls13_is_hello_retry (m, mlen)) {
      mk->sh_end = off + mlen;
    } else if (m[0] == HL_HANDSHAKE_FINISHED && mk->sh_end && !mk->sfin_end) {
      mk->sfin_start = off;
      mk->sfin_end = off + mlen;
    } else if (m[0] == HL_HANDSHAKE_FINISHED && mk->sfin_end && !mk->cfin_end) {
      mk->cfin_start = off;
      mk->cfin_end = off + mlen;
    }
    off += mlen;
  }
}

/* Appends the transcript's handshake messages, leaving out those after the handshake
 * (NewSessionTicket, KeyUpdate), which no transcript hash covers. */
static GByteArray *
handshake_only (const GByteArray *view)
{
  GByteArray *t = g_byte_array_new ();
  gsize off = 0;
  while (off + 4 <= view->len) {
    const guint8 *m = view->data + off;
    gsize mlen = 4 + ((gsize)m[1] << 16 | (gsize)m[2] << 8 | m[3]);
    if (off + mlen > view->len)
      break;
    if (m[0] != HL_HANDSHAKE_NEW_SESSION_TICKET && m[0] != HL_HANDSHAKE_KEY_UPDATE)
      g_byte_array_append (t, m, mlen);
    off += mlen;
  }
  return t;
}

static void
schedule (HlRun *run, Peer *p, const GByteArray *raw_view, HlSecrets *out)
{
  const HlSuite *suite = hl_suite_by_id (run->hellos.suite);
  HlHash hash = suite && hl_suite_is_tls13 (suite) ? suite->prf : HL_HASH_SHA256;
  gsize hl = hl_tls13_hash_len (hash);
  gboolean client = p->side == HL_SIDE_CLIENT;
  g_autoptr (GByteArray) only = handshake_only (raw_view);
  g_autoptr (GByteArray) t = hl_tls13_transcript (hash, only->data, only->len);
  g_autoptr (GBytes) psk = NULL;
  GBytes *priv = hl_ossl_key_share_private (p->ossl);
  Marks mk;
  guint8 early[HL_TLS13_MAX_HASH], derived[HL_TLS13_MAX_HASH], hs[HL_TLS13_MAX_HASH];
  guint8 master[HL_TLS13_MAX_HASH], x[HL_TLS13_MAX_HASH], shared[80];
  guint8 chts[HL_TLS13_MAX_HASH], shts[HL_TLS13_MAX_HASH];
  guint8 cfk[HL_TLS13_MAX_HASH], sfk[HL_TLS13_MAX_HASH];
  gsize shared_len = 0;
  gboolean have_shared = FALSE, tls13 = suite && hl_suite_is_tls13 (suite);
  guint8 th[6][HL_TLS13_MAX_HASH]; /* Hash up to: CH, SH, before and after each Finished */
  gsize ends[6];
  mark_transcript (t, &mk);
  /* Every transcript hash the schedule needs, in one pass over the transcript. */
  ends[0] = mk.ch_end, ends[1] = mk.sh_end, ends[2] = mk.sfin_start, ends[3] = mk.sfin_end;
  ends[4] = mk.cfin_start, ends[5] = mk.cfin_end;
  for (int i = 1; i < 6; i++)
    ends[i] = MAX (ends[i], ends[i - 1]);
  hl_tls13_hash_prefixes (hash, t->data, ends, 6, th);
  if (!mk.ch_end) {
    /* After a HelloRetryRequest, before the second ClientHello: the first one's random.
     * A stateless server keeps nothing: what it needs is in the cookie it sent. */
    if (!client && run->scenario->server.hello_retry_cookie)
      return;
    if (only->len >= 38 && only->data[0] == HL_HANDSHAKE_CLIENT_HELLO)
      set (out, HL_SECRET_CLIENT_RANDOM, only->data + 6, 32);
    return;
  }
  if (mk.ch_end - mk.ch_start >= 38) /* a ClientHello cut short by a fault has no random */
    set (out, HL_SECRET_CLIENT_RANDOM, t->data + mk.ch_start + 6, 32);
  if (priv)
    _hl_run_set_bytes (&out->value[client ? HL_SECRET_CLIENT_KEY_SHARE_PRIVATE
                                          : HL_SECRET_SERVER_KEY_SHARE_PRIVATE],
                       g_bytes_get_data (priv, NULL), g_bytes_get_size (priv));
  if (client) {
    /* Its own public share from the moment it sent the ClientHello: the first (OpenSSL
     * 3.0: the only) entry of key_share. */
    const guint8 *d;
    gsize n;
    if (hl_hello_find_extension (t->data + mk.ch_start, mk.ch_end - mk.ch_start, 51, &d, &n)
        && n >= 6 && 6 + (gsize)(d[4] << 8 | d[5]) <= n)
      set (out, HL_SECRET_CLIENT_ECDH_PUBLIC, d + 6, d[4] << 8 | d[5]);
  }
  if (mk.sh_end && !tls13)
    return;
  /* The PSK: the client offers it from the start; the server holds it once it took it.
   * A ServerHello without pre_shared_key declines it, and then the schedule starts from
   * zeros on both sides; so it does when the chosen suite's hash is not the PSK's. */
  if (tls13 || (!mk.sh_end && run->connection > 1)) {
    HlHash psk_hash = hash;
    psk = find_psk (run, p->side, t->data + mk.ch_start, mk.ch_end - mk.ch_start, &psk_hash);
    if (psk && !client && !(mk.sh_end && run->hellos.psk_accepted))
      g_clear_pointer (&psk, g_bytes_unref);
    if (psk && mk.sh_end && (!run->hellos.psk_accepted || psk_hash != hash))
      g_clear_pointer (&psk, g_bytes_unref);
    if (psk && !mk.sh_end && psk_hash != hash) {
      /* Before the ServerHello the client works with the session's hash. */
      hash = psk_hash;
      hl = hl_tls13_hash_len (hash);
      hl_tls13_hash_prefixes (hash, t->data, ends, 6, th);
    }
  }
  if (psk) {
    const guint8 *d;
    gsize n;
    set (out, HL_SECRET_PSK, g_bytes_get_data (psk, NULL), hl);
    hl_tls13_extract (hash, NULL, g_bytes_get_data (psk, NULL), hl, early);
    set (out, HL_SECRET_EARLY, early, hl);
    hl_tls13_derive_secret (hash, early, "res binder", NULL, 0, x);
    set (out, HL_SECRET_BINDER_KEY, x, hl);
    /* It follows from the early secret and the ClientHello alone (RFC 8446 7.1), but OpenSSL
     * derives it only when 0-RTT data is sent or accepted, and logs it then: a side holds
     * it only if it logged it. */
    if (hl_ossl_keylog (p->ossl, HL_OSSL_EARLY_EXPORTER_SECRET)) {
      hl_tls13_derive_secret_hashed (hash, early, "e exp master", th[0], x);
      set (out, HL_SECRET_EARLY_EXPORTER_MASTER, x, hl);
    }
    /* A server that declines 0-RTT never derives the early traffic secret (RFC 8446
     * 4.2.10): it holds it only if it logged it. */
    if (hl_hello_find_extension (t->data + mk.ch_start, mk.ch_end - mk.ch_start, 42, &d, &n)
        && (client || hl_ossl_keylog (p->ossl, HL_OSSL_CLIENT_EARLY_TRAFFIC_SECRET))) {
      hl_tls13_derive_secret_hashed (hash, early, "c e traffic", th[0], x);
      set (out, HL_SECRET_CLIENT_EARLY_TRAFFIC, x, hl);
    }
  } else {
    hl_tls13_extract (hash, NULL, NULL, 0, early);
    set (out, HL_SECRET_EARLY, early, hl);
  }
  if (!mk.sh_end)
    return;
  {
    /* The ServerHello is the message that ends at sh_end; its random is 6 bytes in. */
    gsize off = 0, sh_start = 0;
    while (off < mk.sh_end) {
      gsize mlen
          = 4 + ((gsize)t->data[off + 1] << 16 | (gsize)t->data[off + 2] << 8 | t->data[off + 3]);
      if (off + mlen == mk.sh_end)
        sh_start = off;
      off += mlen;
    }
    if (mk.sh_end - sh_start >= 38) /* a ServerHello cut short by a fault has no random */
      set (out, HL_SECRET_SERVER_RANDOM, t->data + sh_start + 6, 32);
    if (run->hellos.group > 0 && priv) {
      g_autoptr (GBytes) peer
          = client ? find_share (t->data + sh_start, mk.sh_end - sh_start, run->hellos.group)
                   : find_share (t->data + mk.ch_start, mk.ch_end - mk.ch_start, run->hellos.group);
      g_autoptr (GBytes) mine
          = client ? find_share (t->data + mk.ch_start, mk.ch_end - mk.ch_start, run->hellos.group)
                   : find_share (t->data + sh_start, mk.sh_end - sh_start, run->hellos.group);
      /* A point multiplication costs more than the rest of the schedule: once per pair. */
      if (peer && p->shared_for && g_bytes_equal (p->shared_for, peer) && p->shared_priv
          && g_bytes_equal (p->shared_priv, priv)) {
        shared_len = g_bytes_get_size (p->shared_value);
        memcpy (shared, g_bytes_get_data (p->shared_value, NULL), shared_len);
        have_shared = TRUE;
      } else if (peer && (shared_len = sizeof shared)
                 && hl_ossl_derive_shared (p->ossl, run->hellos.group, priv, peer, shared,
                                           &shared_len)) {
        have_shared = TRUE;
        _hl_run_set_bytes (&p->shared_for, g_bytes_get_data (peer, NULL), g_bytes_get_size (peer));
        _hl_run_set_bytes (&p->shared_priv, g_bytes_get_data (priv, NULL), g_bytes_get_size (priv));
        _hl_run_set_bytes (&p->shared_value, shared, shared_len);
      }
      if (have_shared)
        set (out, HL_SECRET_SHARED, shared, shared_len);
      if (mine)
        _hl_run_set_bytes (
            &out->value[client ? HL_SECRET_CLIENT_ECDH_PUBLIC : HL_SECRET_SERVER_ECDH_PUBLIC],
            g_bytes_get_data (mine, NULL), g_bytes_get_size (mine));
      if (peer)
        _hl_run_set_bytes (
            &out->value[client ? HL_SECRET_SERVER_ECDH_PUBLIC : HL_SECRET_CLIENT_ECDH_PUBLIC],
            g_bytes_get_data (peer, NULL), g_bytes_get_size (peer));
    }
  }
  if (!have_shared && !(psk && run->hellos.group < 0))
    return;
  hl_tls13_derive_secret (hash, early, "derived", NULL, 0, derived);
  hl_tls13_extract (hash, derived, have_shared ? shared : NULL, shared_len, hs);
  set (out, HL_SECRET_HANDSHAKE, hs, hl);
  hl_tls13_derive_secret_hashed (hash, hs, "c hs traffic", th[1], chts);
  hl_tls13_derive_secret_hashed (hash, hs, "s hs traffic", th[1], shts);
  set (out, HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC, chts, hl);
  set (out, HL_SECRET_SERVER_HANDSHAKE_TRAFFIC, shts, hl);
  set_keys (out, suite, chts, HL_SECRET_CLIENT_HANDSHAKE_KEY, HL_SECRET_CLIENT_HANDSHAKE_IV);
  set_keys (out, suite, shts, HL_SECRET_SERVER_HANDSHAKE_KEY, HL_SECRET_SERVER_HANDSHAKE_IV);
  hl_tls13_expand_label (hash, chts, "finished", NULL, 0, cfk, hl);
  hl_tls13_expand_label (hash, shts, "finished", NULL, 0, sfk, hl);
  set (out, HL_SECRET_CLIENT_FINISHED_KEY, cfk, hl);
  set (out, HL_SECRET_SERVER_FINISHED_KEY, sfk, hl);
  if (!mk.sfin_end)
    return;
  {
    hl_tls13_hmac (hash, sfk, hl, th[2], hl, x);
    set (out, HL_SECRET_SERVER_VERIFY_DATA, x, hl);
  }
  hl_tls13_derive_secret (hash, hs, "derived", NULL, 0, derived);
  hl_tls13_extract (hash, derived, NULL, 0, master);
  set (out, HL_SECRET_MASTER, master, hl);
  {
    guint8 cats[HL_TLS13_MAX_HASH], sats[HL_TLS13_MAX_HASH];
    hl_tls13_derive_secret_hashed (hash, master, "c ap traffic", th[3], cats);
    hl_tls13_derive_secret_hashed (hash, master, "s ap traffic", th[3], sats);
    hl_tls13_derive_secret_hashed (hash, master, "exp master", th[3], x);
    set (out, HL_SECRET_CLIENT_APPLICATION_TRAFFIC, cats, hl);
    set (out, HL_SECRET_SERVER_APPLICATION_TRAFFIC, sats, hl);
    set (out, HL_SECRET_EXPORTER_MASTER, x, hl);
    set_keys (out, suite, cats, HL_SECRET_CLIENT_APPLICATION_KEY, HL_SECRET_CLIENT_APPLICATION_IV);
    set_keys (out, suite, sats, HL_SECRET_SERVER_APPLICATION_KEY, HL_SECRET_SERVER_APPLICATION_IV);
  }
  if (!mk.cfin_end)
    return;
  {
    hl_tls13_hmac (hash, cfk, hl, th[4], hl, x);
    set (out, HL_SECRET_CLIENT_VERIFY_DATA, x, hl);
  }
  hl_tls13_derive_secret_hashed (hash, master, "res master", th[5], x);
  set (out, HL_SECRET_RESUMPTION_MASTER, x, hl);
}

/* TLS 1.2 played by OpenSSL: its key log gives the master secret; the key block follows
 * from it and the randoms, as RFC 5246 6.3 says. */
/* A message of the current connection from `from` that side p has: sent it, or read it. */
static const guint8 *
seen_message (HlRun *run, Peer *p, const char *message, HlSide from, gsize *len)
{
  const HlConnection *c = _hl_run_current_connection (run);
  for (guint i = 0; i <= c->steps->len; i++) {
    const HlStep *st = i < c->steps->len ? g_ptr_array_index (c->steps, i) : run->delivering;
    GBytes *b;
    if (!st || st->from != from || strcmp (st->message, message) != 0)
      continue;
    if (p->side != from && !(st->delivered && st->accepted))
      continue;
    b = st->encrypted ? st->plaintext : st->wire;
    if (!b)
      continue;
    return g_bytes_get_data (b, len);
  }
  /* A side holds what it has sent even while it is still on the way: it made it first. */
  for (GList *l = run->pending.head; p->side == from && l; l = l->next) {
    const Pending *q = l->data;
    GBytes *b = q->encrypted ? q->plaintext : q->wire;
    if (q->from == from && q->connection == run->connection && b
        && strcmp (q->message, message) == 0)
      return g_bytes_get_data (b, len);
  }
  return NULL;
}

/* What an OpenSSL side of a TLS 1.2 connection can be shown to hold: the randoms, session
 * id and ECDH shares read from the messages, the master secret from its key log, what the
 * lab derives from those (key block), and the verify_data read from the Finished messages
 * it decrypts. The premaster secret and the client's ECDH secret never leave OpenSSL. */
static void
collect_view12 (HlRun *run, Peer *p, HlSecrets *out)
{
  GBytes *ms = hl_ossl_keylog (p->ossl, HL_OSSL_CLIENT_RANDOM);
  const HlSuite *suite = hl_suite_by_id (run->hellos.suite);
  Hellos *h = &run->hellos;
  if (h->client_random)
    set (out, HL_SECRET_CLIENT_RANDOM, g_bytes_get_data (h->client_random, NULL), 32);
  if (h->server_random && (p->knows & KNOW (HL_SECRET_SERVER_RANDOM)))
    set (out, HL_SECRET_SERVER_RANDOM, g_bytes_get_data (h->server_random, NULL), 32);
  {
    gsize n;
    const guint8 *d = seen_message (run, p, "ServerHello", HL_SIDE_SERVER, &n);
    if (d && n >= 39 && d[38] > 0 && n >= 39 + (gsize)d[38])
      set (out, HL_SECRET_SESSION_ID, d + 39, d[38]);
    d = seen_message (run, p, "ServerKeyExchange", HL_SIDE_SERVER, &n);
    if (d && n >= 8 && d[4] == 3 && n >= 8 + (gsize)d[7])
      set (out, HL_SECRET_SERVER_ECDH_PUBLIC, d + 8, d[7]);
    d = seen_message (run, p, "ClientKeyExchange", HL_SIDE_CLIENT, &n);
    if (d && n >= 5 && d[4] > 0 && n >= 5 + (gsize)d[4] && suite && hl_suite_is_ecdh (suite))
      set (out, HL_SECRET_CLIENT_ECDH_PUBLIC, d + 5, d[4]);
    d = seen_message (run, p, "Finished", HL_SIDE_CLIENT, &n);
    if (d && n >= 16)
      set (out, HL_SECRET_CLIENT_VERIFY_DATA, d + 4, 12);
    d = seen_message (run, p, "Finished", HL_SIDE_SERVER, &n);
    if (d && n >= 16)
      set (out, HL_SECRET_SERVER_VERIFY_DATA, d + 4, 12);
  }
  if (!ms || !suite || !h->client_random || !h->server_random)
    return;
  set (out, HL_SECRET_MASTER, g_bytes_get_data (ms, NULL), g_bytes_get_size (ms));
  {
    guint8 kb[2 * (48 + 32 + 16)];
    gsize need = 2
                 * (hl_suite_mac_key_len (suite) + suite->key_len
                    + hl_suite_fixed_iv_len (suite, h->version));
    br_tls_prf_seed_chunk seed[2] = { { g_bytes_get_data (h->server_random, NULL), 32 },
                                      { g_bytes_get_data (h->client_random, NULL), 32 } };
    if (need > sizeof kb)
      return;
    if (suite->prf == HL_HASH_SHA384)
      br_tls12_sha384_prf (kb, need, g_bytes_get_data (ms, NULL), 48, "key expansion", 2, seed);
    else
      br_tls12_sha256_prf (kb, need, g_bytes_get_data (ms, NULL), 48, "key expansion", 2, seed);
    set (out, HL_SECRET_KEY_BLOCK, kb, need);
    _hl_run_split_key_block (out->value[HL_SECRET_KEY_BLOCK], suite, h->version, out);
  }
}

/* After a KeyUpdate from `from`: its sender holds the next application traffic secret as
 * soon as it sent it, the receiver once it read it. The transcript does not cover
 * KeyUpdate, so this follows the steps. */
static void
add_key_updates (HlRun *run, Peer *p, HlSecrets *out)
{
  const HlSuite *suite = hl_suite_by_id (run->hellos.suite);
  const HlConnection *c = _hl_run_current_connection (run);
  if (!suite || !hl_suite_is_tls13 (suite) || hl_ossl_failed (p->ossl))
    return;
  for (int from = 0; from < 2; from++) {
    HlSecretId now = from == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_APPLICATION_TRAFFIC
                                            : HL_SECRET_SERVER_APPLICATION_TRAFFIC;
    gboolean holds = FALSE;
    guint8 next[HL_TLS13_MAX_HASH];
    for (guint i = 0; i <= c->steps->len && !holds; i++) {
      const HlStep *st = i < c->steps->len ? g_ptr_array_index (c->steps, i) : run->delivering;
      if (!st)
        continue;
      holds = st->handshake_type == HL_HANDSHAKE_KEY_UPDATE && st->from == (HlSide)from
              && (p->side == (HlSide)from || (st->delivered && st->accepted));
    }
    for (GList *l = run->pending.head; l && !holds && p->side == (HlSide)from; l = l->next) {
      const Pending *q = l->data;
      holds = q->from == p->side && q->handshake_type == HL_HANDSHAKE_KEY_UPDATE
              && q->connection == run->connection;
    }
    if (!holds || !out->value[now])
      continue;
    hl_tls13_expand_label (suite->prf, g_bytes_get_data (out->value[now], NULL), "traffic upd",
                           NULL, 0, next, hl_tls13_hash_len (suite->prf));
    set (out,
         from == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1
                                : HL_SECRET_SERVER_APPLICATION_TRAFFIC_1,
         next, hl_tls13_hash_len (suite->prf));
  }
}

void
_hl_run_collect_view13 (HlRun *run, Peer *p, HlSecrets *out)
{
  g_autoptr (GByteArray) view = side_view (run, p->side);
  g_autoptr (GByteArray) key = NULL;
  GBytes *priv;
  guint32 facts[6];
  if (run->hellos.version && run->hellos.version < 0x0304) {
    collect_view12 (run, p, out);
    return;
  }
  /* The schedule depends on nothing but these: when none changed since the last step,
   * the last answer stands (hashing the transcript again for every step and side
   * would cost more than the whole handshake). */
  priv = hl_ossl_key_share_private (p->ossl);
  facts[0] = run->connection;
  facts[1] = run->hellos.version;
  facts[2] = run->hellos.suite;
  facts[3] = (guint32)run->hellos.group;
  facts[4] = run->hellos.psk_accepted;
  {
    /* The schedule reads the transcript only up to the last ClientHello, ServerHello or
     * Finished in it: what came after (EncryptedExtensions, Certificate...) changes
     * nothing until the next of those arrives. */
    g_autoptr (GByteArray) only = handshake_only (view);
    Marks mk;
    gsize upto;
    mark_transcript (only, &mk);
    upto = MAX (MAX (mk.ch_end, mk.sh_end), MAX (mk.sfin_end, mk.cfin_end));
    facts[5] = upto;
    key = g_byte_array_new ();
    g_byte_array_append (key, (const guint8 *)facts, sizeof facts);
    g_byte_array_append (key, only->data, upto);
  }
  if (priv)
    g_byte_array_append (key, g_bytes_get_data (priv, NULL), g_bytes_get_size (priv));
  /* A side that stopped on an error derives nothing more from what still arrives. */
  if (p->schedule_key && hl_ossl_failed (p->ossl)
      && facts[0] == ((const guint32 *)p->schedule_key->data)[0]) {
  } else if (!p->schedule_key || p->schedule_key->len != key->len
             || memcmp (p->schedule_key->data, key->data, key->len) != 0) {
    _hl_run_clear_secrets (&p->schedule);
    schedule (run, p, view, &p->schedule);
    if (p->schedule_key)
      g_byte_array_unref (p->schedule_key);
    p->schedule_key = g_steal_pointer (&key);
  }
  for (int i = 0; i < HL_N_SECRETS; i++)
    if (p->schedule.value[i]) {
      g_clear_pointer (&out->value[i], g_bytes_unref);
      out->value[i] = g_bytes_ref (p->schedule.value[i]);
    }
  add_key_updates (run, p, out);
}

/* What a TLS 1.3 CertificateVerify signs (RFC 8446 4.4.3), as its receiver rebuilds it:
 * 64 spaces, the context string, a zero byte, the transcript hash through the Certificate. */
char *
_hl_run_describe_signed13 (HlRun *run, const HlStep *st)
{
  const HlSuite *suite = hl_suite_by_id (run->hellos.suite);
  HlSide to = hl_side_other (st->from);
  HlHash hash = suite && hl_suite_is_tls13 (suite) ? suite->prf : HL_HASH_SHA256;
  g_autoptr (GByteArray) only = handshake_only (run->view[to]);
  g_autoptr (GByteArray) t = hl_tls13_transcript (hash, only->data, only->len);
  guint8 h[HL_TLS13_MAX_HASH];
  g_autofree char *hex = NULL;
  const char *verdict;
  int err = _hl_peer_error (run->peer[to]);
  if (!st->accepted)
    return g_strdup_printf (_ ("Not checked: the %s had already stopped and did not read this "
                               "CertificateVerify."),
                            hl_side_word (to));
  /* A record that fails its AEAD tag is never decrypted: nothing of it is judged (RFC 8446
   * 5.2). */
  if (err == 512 + 20)
    return g_strdup_printf (_ ("The AEAD tag check of this record fails (RFC 8446 5.2): the %s "
                               "cannot decrypt it, so it never reads the CertificateVerify or "
                               "judges its signature; it answers bad_record_mac (20)."),
                            hl_side_word (to));
  hl_tls13_hash (hash, t->data, t->len, h);
  hex = hl_hex (h, hl_tls13_hash_len (hash));
  verdict = err == 512 + 51 ? _ ("\u2717 The signature does not verify with the certificate's key: "
                                 "the %s answers decrypt_error (51).")
            : err == 0      ? _ ("\u2713 The %s verified the signature with the certificate's key.")
                            : _ ("The %s stopped on this message before judging the signature.");
  {
    g_autofree char *judged = g_strdup_printf (verdict, hl_side_word (to));
    /* After a HelloRetryRequest the transcript is not the bytes seen: the first ClientHello
     * enters it as a message_hash message (RFC 8446 4.4.1). */
    if (t->len != only->len)
      return g_strdup_printf (
          _ ("%s What was signed, as the %s rebuilds it: 64 bytes 0x20, \"TLS 1.3, %s "
             "CertificateVerify\", 0x00, then %s of its transcript up to and including the "
             "Certificate, %u bytes, in which the first ClientHello is only a message_hash "
             "message (RFC 8446 4.4.1): %s. The context string keeps a signature made for one "
             "role from being replayed in another."),
          judged, hl_side_word (to), hl_side_name (st->from),
          hash == HL_HASH_SHA384 ? "SHA-384" : "SHA-256", t->len, hex);
    return g_strdup_printf (_ ("%s What was signed, as the %s rebuilds it: 64 bytes 0x20, \"TLS "
                               "1.3, %s CertificateVerify\", 0x00, then %s of the %u handshake "
                               "bytes it saw up to and including the Certificate: %s. The context "
                               "string keeps a "
                               "signature made for one role from being replayed in another."),
                            judged, hl_side_word (to), hl_side_name (st->from),
                            hash == HL_HASH_SHA384 ? "SHA-384" : "SHA-256", t->len, hex);
  }
}

/* The server's check of a resumed ClientHello's PSK binder (RFC 8446 4.2.11.2): HMAC with
 * the finished key of binder_key over the ClientHello up to the binders, as the server
 * received it and with the PSK it finds for the ticket. NULL when there is no binder to
 * check (no PSK offered, or after a HelloRetryRequest, which this check leaves out). */
char *
_hl_run_check_binder13 (HlRun *run, const HlStep *st, const guint8 *msg, gsize len)
{
  const guint8 *d;
  gsize n, il, bl, cut;
  HlHash hash = HL_HASH_SHA256;
  g_autoptr (GBytes) psk = NULL;
  guint8 early[HL_TLS13_MAX_HASH], bk[HL_TLS13_MAX_HASH], fk[HL_TLS13_MAX_HASH];
  guint8 th[HL_TLS13_MAX_HASH], want[HL_TLS13_MAX_HASH];
  gsize hl;
  g_autofree char *got_hex = NULL;
  if (run->hellos.hello_retry || !hl_hello_find_extension (msg, len, 41, &d, &n) || n < 2)
    return NULL;
  il = (gsize)d[0] << 8 | d[1];
  if (2 + il + 2 > n)
    return NULL;
  bl = (gsize)d[2 + il] << 8 | d[3 + il];
  cut = (gsize)(d + 2 + il - msg);
  if (4 + il + bl > n || bl < 1)
    return NULL;
  if (!st->delivered || !st->accepted)
    return g_strdup (_ ("Not checked: the server did not read this ClientHello."));
  psk = find_psk (run, HL_SIDE_SERVER, msg, len, &hash);
  if (!psk)
    return g_strdup (_ ("The server finds no session for the offered ticket: it cannot check the "
                        "binder and answers with a full handshake."));
  hl = hl_tls13_hash_len (hash);
  hl_tls13_extract (hash, NULL, g_bytes_get_data (psk, NULL), hl, early);
  hl_tls13_derive_secret (hash, early, "res binder", NULL, 0, bk);
  hl_tls13_expand_label (hash, bk, "finished", NULL, 0, fk, hl);
  hl_tls13_hash (hash, msg, cut, th);
  hl_tls13_hmac (hash, fk, hl, th, hl, want);
  got_hex = hl_hex (d + 5 + il, MIN ((gsize)d[4 + il], bl - 1));
  if (d[4 + il] == hl && memcmp (d + 5 + il, want, hl) == 0)
    return g_strdup_printf (_ ("PSK binder %s matches what the server computes: HMAC(finished key "
                               "of binder_key, Hash(the first %zu bytes of this ClientHello, up to "
                               "the binders)). The client holds the ticket's PSK, and this very "
                               "hello is bound to it."),
                            got_hex, cut);
  {
    g_autofree char *want_hex = hl_hex (want, hl);
    g_autofree char *why
        = g_strdup_printf (_ ("the PSK binder is %s, but the server computes %s from the ticket's "
                              "PSK: the client does not hold that PSK, and the server refuses the "
                              "hello."),
                           got_hex, want_hex);
    return g_strconcat ("MISMATCH: ", why, NULL); /* the keyword is never translated */
  }
}

/* The receiver's check of a TLS 1.3 Finished: HMAC(the sender's finished_key, Hash(the
 * handshake as the receiver saw it before this message)). */
char *
_hl_run_check_finished13 (HlRun *run, const HlStep *st, const guint8 *content, gsize clen)
{
  HlSide to = hl_side_other (st->from);
  Peer *judge = run->peer[to];
  HlSecrets s = { { 0 } };
  HlSecretId id
      = st->from == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_VERIFY_DATA : HL_SECRET_SERVER_VERIFY_DATA;
  g_autoptr (GByteArray) view = g_byte_array_new ();
  g_autofree char *got = NULL;
  char *res;
  if (!st->delivered)
    return g_strdup_printf (_ ("Not checked: the %s never received this Finished."),
                            hl_side_word (to));
  if (!judge->ossl)
    return NULL;
  if (!st->accepted)
    return g_strdup_printf (_ ("Not checked: the %s had already stopped and did not read this "
                               "Finished."),
                            hl_side_word (to));
  if (clen < 4)
    return g_strdup_printf (_ ("Not checked: a Finished of %zu bytes has not even its header."),
                            clen);
  g_byte_array_append (view, run->view[to]->data, run->view[to]->len);
  g_byte_array_append (view, content, clen);
  schedule (run, judge, view, &s);
  got = hl_hex (content + 4, clen - 4);
  if (!s.value[id]) {
    res = g_strdup_printf (_ ("Not checked: the %s holds no handshake traffic secret to check it "
                              "with."),
                           hl_side_word (to));
  } else {
    g_autofree char *want = hl_hex_bytes (s.value[id]);
    const char *key = st->from == HL_SIDE_CLIENT ? "client" : "server";
    const HlSuite *suite = hl_suite_by_id (run->hellos.suite);
    HlHash hash = suite && hl_suite_is_tls13 (suite) ? suite->prf : HL_HASH_SHA256;
    g_autoptr (GByteArray) only = handshake_only (run->view[to]);
    g_autoptr (GByteArray) t = hl_tls13_transcript (hash, only->data, only->len);
    /* After a HelloRetryRequest, the hash covers the first ClientHello only as a
     * message_hash message (RFC 8446 4.4.1): say how many bytes were really hashed. */
    g_autofree char *hashed
        = t->len != only->len
              ? g_strdup_printf (_ ("its transcript before this message, %u bytes, in which the "
                                    "first ClientHello is only a message_hash message (RFC 8446 "
                                    "4.4.1)"),
                                 t->len)
              : g_strdup_printf (_ ("the %u handshake bytes it saw before"), t->len);
    if (strcmp (want, got) == 0)
      res = g_strdup_printf (
          _ ("verify_data %s matches what the %s computes: HMAC(%s_finished_key, "
             "Hash(%s))."),
          got, hl_side_word (to), key, hashed);
    else {
      g_autofree char *why
          = _hl_run_finished_sent_as_computed (st, content, g_bytes_get_data (s.value[id], NULL),
                                               g_bytes_get_size (s.value[id]))
                ? g_strdup_printf (_ ("verify_data is %s, but the %s computes %s from %s, the "
                                      "value the %s sent: the Finished itself was changed on "
                                      "the way."),
                                   got, hl_side_word (to), want, hashed, hl_side_word (st->from))
                : g_strdup_printf (_ ("verify_data is %s, but the %s computes %s from %s: the two "
                                      "sides did not see the same handshake."),
                                   got, hl_side_word (to), want, hashed);
      res = g_strconcat ("MISMATCH: ", why, NULL); /* the keyword is never translated */
    }
  }
  _hl_run_clear_secrets (&s);
  return res;
}
