/* hl-recorded-tls13.c: a recorded TLS 1.3 connection's keys: each traffic secret's key
 * and IV, its records opened under the secret in use or the next one, its Finished
 * recomputed (RFC 8446 4.4.4, 5.2, 7.2, 7.3).
 */
#include "hl-recorded-private.h"

#include <string.h>

/* TLS 1.3: the keys and IVs of a traffic secret (RFC 8446 7.3), kept as derived. */
static void
derive13 (Build *b, HlSecretId traffic, HlSecretId key_id, HlSecretId iv_id, HlSecretId fin_id)
{
  HlTls13Keys k;
  if (!b->sec.value[traffic] || !b->suite || b->sec.value[key_id])
    return;
  hl_tls13_keys_from_secret (b->suite, g_bytes_get_data (b->sec.value[traffic], NULL), &k);
  _hl_recorded_set_secret (b, key_id, k.key, k.key_len, FROM_DERIVED);
  _hl_recorded_set_secret (b, iv_id, k.iv, sizeof k.iv, FROM_DERIVED);
  if (fin_id != HL_N_SECRETS) {
    guint8 fk[HL_TLS13_MAX_HASH];
    gsize hl = hl_tls13_hash_len (b->suite->prf);
    hl_tls13_expand_label (b->suite->prf, g_bytes_get_data (b->sec.value[traffic], NULL),
                           "finished", NULL, 0, fk, hl);
    _hl_recorded_set_secret (b, fin_id, fk, hl, FROM_DERIVED);
  }
}

void
_hl_recorded_derive_keys13 (Build *b)
{
  derive13 (b, HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC, HL_SECRET_CLIENT_HANDSHAKE_KEY,
            HL_SECRET_CLIENT_HANDSHAKE_IV, HL_SECRET_CLIENT_FINISHED_KEY);
  derive13 (b, HL_SECRET_SERVER_HANDSHAKE_TRAFFIC, HL_SECRET_SERVER_HANDSHAKE_KEY,
            HL_SECRET_SERVER_HANDSHAKE_IV, HL_SECRET_SERVER_FINISHED_KEY);
  derive13 (b, HL_SECRET_CLIENT_APPLICATION_TRAFFIC, HL_SECRET_CLIENT_APPLICATION_KEY,
            HL_SECRET_CLIENT_APPLICATION_IV, HL_N_SECRETS);
  derive13 (b, HL_SECRET_SERVER_APPLICATION_TRAFFIC, HL_SECRET_SERVER_APPLICATION_KEY,
            HL_SECRET_SERVER_APPLICATION_IV, HL_N_SECRETS);
}

/* TLS 1.3: opens a record with the sender's traffic secret in use, or the next one (a
 * new secret starts at sequence 0: the AEAD tag tells which the sender used). */
GBytes *
_hl_recorded_open13 (Build *b, HlSide from, const guint8 *payload, gsize len)
{
  Dir *d = &b->d[from];
  static const HlSecretId client_order[]
      = { HL_SECRET_CLIENT_EARLY_TRAFFIC, HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC,
          HL_SECRET_CLIENT_APPLICATION_TRAFFIC };
  static const HlSecretId server_order[]
      = { HL_N_SECRETS, HL_SECRET_SERVER_HANDSHAKE_TRAFFIC, HL_SECRET_SERVER_APPLICATION_TRAFFIC };
  const HlSecretId *order = from == HL_SIDE_CLIENT ? client_order : server_order;
  HlTls13Keys k;
  GBytes *inner;
  /* 0-RTT data comes before the ServerHello: its suite is the resumed session's, which
   * the ServerHello (read ahead) confirms. */
  const HlSuite *suite = b->suite ? b->suite : b->early_suite;
  if (!suite)
    return NULL;
  if (d->update_next && d->secret) {
    /* application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length)
     */
    guint8 next[HL_TLS13_MAX_HASH];
    gsize hl = hl_tls13_hash_len (suite->prf);
    hl_tls13_expand_label (suite->prf, g_bytes_get_data (d->secret, NULL), "traffic upd", NULL, 0,
                           next, hl);
    if (d->stage == 2)
      _hl_recorded_set_secret (b,
                               from == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1
                                                      : HL_SECRET_SERVER_APPLICATION_TRAFFIC_1,
                               next, hl, FROM_DERIVED);
    g_bytes_unref (d->secret);
    d->secret = g_bytes_new (next, hl);
    d->seq = 0;
    d->stage++;
    d->update_next = FALSE;
  }
  if (d->secret) {
    hl_tls13_keys_from_secret (suite, g_bytes_get_data (d->secret, NULL), &k);
    k.seq = d->seq;
    if ((inner = hl_tls13_open (&k, payload, len))) {
      d->seq++;
      return inner;
    }
  }
  for (int s = MAX (d->stage + (d->secret ? 1 : 0), 0); s < 3; s++) {
    GBytes *secret = order[s] == HL_N_SECRETS ? NULL : b->sec.value[order[s]];
    if (!secret)
      continue;
    hl_tls13_keys_from_secret (suite, g_bytes_get_data (secret, NULL), &k);
    k.seq = 0;
    if ((inner = hl_tls13_open (&k, payload, len))) {
      g_clear_pointer (&d->secret, g_bytes_unref);
      d->secret = g_bytes_ref (secret);
      d->stage = s;
      d->seq = 1;
      return inner;
    }
  }
  return NULL;
}

gsize
_hl_recorded_finished13 (Build *b, gboolean client, guint8 out[HL_TLS13_MAX_HASH])
{
  GBytes *fk = b->sec.value[client ? HL_SECRET_CLIENT_FINISHED_KEY : HL_SECRET_SERVER_FINISHED_KEY];
  g_autoptr (GByteArray) tr = NULL;
  guint8 hash[HL_TLS13_MAX_HASH];
  gsize hlen;
  if (!fk)
    return 0;
  hlen = hl_tls13_hash_len (b->suite->prf);
  tr = hl_tls13_transcript (b->suite->prf, b->transcript->data, b->transcript->len);
  hl_tls13_hash (b->suite->prf, tr->data, tr->len, hash);
  hl_tls13_hmac (b->suite->prf, g_bytes_get_data (fk, NULL), g_bytes_get_size (fk), hash, hlen,
                 out);
  return hlen;
}
