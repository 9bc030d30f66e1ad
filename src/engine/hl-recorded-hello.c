/* hl-recorded-hello.c: what a recorded connection says in clear: the hellos' randoms,
 * session id, version, suite, key shares and names, EncryptedExtensions' ALPN, and the
 * TLS 1.0-1.2 key exchanges' public shares.
 */
#include "hl-recorded-private.h"

#include <string.h>

/* In a ClientHello's key_share (client_shares<...>, RFC 8446 4.2.8): the share for group,
 * or with group 0 the first that is not GREASE (RFC 8701). */
static gboolean
find_client_share (const guint8 *ext, gsize elen, guint group, const guint8 **key, gsize *len)
{
  gsize off = 2;
  while (off + 4 <= elen) {
    guint g = (guint)ext[off] << 8 | ext[off + 1];
    gsize n = (gsize)ext[off + 2] << 8 | ext[off + 3];
    gboolean grease = (g & 0x0f0f) == 0x0a0a && (g >> 8) == (g & 0xff);
    if (off + 4 + n > elen)
      break;
    if (group ? g == group : !grease) {
      *key = ext + off + 4;
      *len = n;
      return TRUE;
    }
    off += 4 + n;
  }
  return FALSE;
}

/* What the hellos say: randoms, session id, version, suite, key shares, names. */
void
_hl_recorded_note_hello (Build *b, const guint8 *m, gsize len, HlStep *st)
{
  const guint8 *ext;
  gsize elen;
  if (len < 39)
    return;
  if (m[0] == HL_HANDSHAKE_CLIENT_HELLO) {
    gsize sid = m[38];
    if (!b->have_cr) {
      memcpy (b->client_random, m + 6, 32);
      b->have_cr = TRUE;
      _hl_recorded_set_secret (b, HL_SECRET_CLIENT_RANDOM, m + 6, 32, FROM_WIRE);
      _hl_recorded_take_logged (b);
    }
    if (39 + sid <= len) {
      g_byte_array_set_size (b->client_sid, 0);
      g_byte_array_append (b->client_sid, m + 39, sid);
    }
    if (hl_hello_find_extension (m, len, 0, &ext, &elen) && elen > 5 && ext[2] == 0) {
      gsize n = (gsize)ext[3] << 8 | ext[4];
      if (5 + n <= elen && !b->c->server_name)
        b->c->server_name = g_strndup ((const char *)ext + 5, n);
    }
    if (hl_hello_find_extension (m, len, 42, &ext, &elen))
      b->early_offered = TRUE;
    /* TLS 1.3 key_share: the client's share for the group the server takes (read ahead),
     * known from this ClientHello on; a browser's first share is often GREASE. */
    if ((b->tls13 || b->expect13) && hl_hello_find_extension (m, len, 51, &ext, &elen)) {
      const guint8 *key;
      gsize n;
      if (find_client_share (ext, elen, b->expect_group, &key, &n)) {
        g_clear_pointer (&b->sec.value[HL_SECRET_CLIENT_ECDH_PUBLIC], g_bytes_unref);
        b->learned[HL_SECRET_CLIENT_ECDH_PUBLIC] = 0;
        _hl_recorded_set_secret (b, HL_SECRET_CLIENT_ECDH_PUBLIC, key, n, FROM_WIRE);
      }
    }
    return;
  }
  if (hl_tls13_is_hello_retry (m, len)) {
    b->c->hello_retry = TRUE;
    b->tls13 = TRUE; /* only TLS 1.3 has a HelloRetryRequest */
    return;
  }
  {
    gsize sid = m[38];
    if (39 + sid + 3 > len)
      return;
    memcpy (b->server_random, m + 6, 32);
    b->have_sr = TRUE;
    b->saw_sh = TRUE;
    _hl_recorded_set_secret (b, HL_SECRET_SERVER_RANDOM, m + 6, 32, FROM_WIRE);
    if (sid)
      _hl_recorded_set_secret (b, HL_SECRET_SESSION_ID, m + 39, sid, FROM_WIRE);
    b->c->version = m[4] << 8 | m[5];
    b->c->suite = m[39 + sid] << 8 | m[40 + sid];
    if (hl_hello_find_extension (m, len, 43, &ext, &elen) && elen == 2)
      b->c->version = ext[0] << 8 | ext[1];
    b->suite = hl_suite_by_id (b->c->suite);
    b->tls13 = b->c->version == 0x0304;
    if (b->tls13) {
      b->resumed = hl_hello_find_extension (m, len, 41, &ext, &elen);
      if (hl_hello_find_extension (m, len, 51, &ext, &elen) && elen >= 4) {
        gsize n = (gsize)ext[2] << 8 | ext[3];
        b->c->curve = ext[0] << 8 | ext[1];
        if (4 + n <= elen)
          _hl_recorded_set_secret (b, HL_SECRET_SERVER_ECDH_PUBLIC, ext + 4, n, FROM_WIRE);
      }
      _hl_recorded_derive_keys13 (b);
    } else {
      /* The same non-empty session id back: the server resumes the cached session. */
      b->resumed = sid && sid == (gsize)b->client_sid->len
                   && memcmp (m + 39, b->client_sid->data, sid) == 0;
      b->ems = hl_hello_find_extension (m, len, 23, &ext, &elen);
      b->etm = hl_hello_find_extension (m, len, 22, &ext, &elen) && b->suite
               && (b->suite->cipher == HL_CIPHER_AES_CBC || b->suite->cipher == HL_CIPHER_3DES_CBC);
      if (hl_hello_find_extension (m, len, 16, &ext, &elen) && elen > 3 && 3 + (gsize)ext[2] <= elen
          && !b->c->alpn)
        b->c->alpn = g_strndup ((const char *)ext + 3, ext[2]);
      _hl_recorded_derive_key_block (b);
    }
  }
  (void)st;
}

/* TLS 1.3 EncryptedExtensions: the ALPN protocol the server chose. */
void
_hl_recorded_note_encrypted_extensions (Build *b, const guint8 *m, gsize len)
{
  gsize off = 6, end;
  if (len < 6)
    return;
  end = MIN (len, 6 + ((gsize)m[4] << 8 | m[5]));
  while (off + 4 <= end) {
    guint16 t = m[off] << 8 | m[off + 1];
    gsize n = (gsize)m[off + 2] << 8 | m[off + 3];
    if (off + 4 + n > end)
      return;
    if (t == 16 && n > 3 && 3 + (gsize)m[off + 6] <= n && !b->c->alpn)
      b->c->alpn = g_strndup ((const char *)m + off + 7, m[off + 6]);
    off += 4 + n;
  }
}

/* TLS 1.0-1.2 ServerKeyExchange (ECDHE: named curve, then the point) and
 * ClientKeyExchange (ECDH: the client's point): public shares, read on the wire. */
void
_hl_recorded_note_key_exchange (Build *b, const guint8 *m, gsize len)
{
  if (b->tls13 || !b->suite || !hl_suite_is_ecdh (b->suite))
    return;
  if (m[0] == HL_HANDSHAKE_SERVER_KEY_EXCHANGE && len > 8 && m[4] == 3 && 8 + (gsize)m[7] <= len) {
    b->c->curve = m[5] << 8 | m[6];
    _hl_recorded_set_secret (b, HL_SECRET_SERVER_ECDH_PUBLIC, m + 8, m[7], FROM_WIRE);
  } else if (m[0] == HL_HANDSHAKE_CLIENT_KEY_EXCHANGE && len > 5 && 5 + (gsize)m[4] <= len) {
    _hl_recorded_set_secret (b, HL_SECRET_CLIENT_ECDH_PUBLIC, m + 5, m[4], FROM_WIRE);
  }
}
