/* hl-recorded-tls12.c: a recorded TLS 1.0-1.2 connection's keys: the master secret
 * (from the key log, or the ClientKeyExchange and a server's RSA key), the key block,
 * its records opened, its Finished recomputed (RFC 5246 5, 6.2.3, 6.3, 7.4.9, 8.1).
 */
#include "hl-recorded-private.h"

#include <string.h>

void
_hl_recorded_prf12 (Build *b, const guint8 *secret, gsize slen, const char *label,
                    const guint8 *seed1, const guint8 *seed2, gsize seed_len, guint8 *out,
                    gsize out_len)
{
  br_tls_prf_seed_chunk seed[2] = { { seed1, 32 }, { seed2, seed_len } };
  guint n = seed2 ? 2 : 1;
  if (!seed2)
    seed[0].len = seed_len;
  if (b->c->version < 0x0303)
    br_tls10_prf (out, out_len, secret, slen, label, n, seed);
  else if (b->suite->prf == HL_HASH_SHA384)
    br_tls12_sha384_prf (out, out_len, secret, slen, label, n, seed);
  else
    br_tls12_sha256_prf (out, out_len, secret, slen, label, n, seed);
}

/* The handshake hash of TLS 1.0-1.1 (MD5 || SHA-1) or of TLS 1.2 (the suite's PRF hash),
 * over every handshake message recorded so far; returns its length. */
static gsize
hash_transcript (Build *b, guint8 out[64])
{
  if (b->c->version < 0x0303) {
    br_md5_context m;
    br_sha1_context s;
    br_md5_init (&m);
    br_md5_update (&m, b->transcript->data, b->transcript->len);
    br_md5_out (&m, out);
    br_sha1_init (&s);
    br_sha1_update (&s, b->transcript->data, b->transcript->len);
    br_sha1_out (&s, out + 16);
    return 36;
  }
  hl_tls13_hash (b->suite->prf, b->transcript->data, b->transcript->len, out);
  return hl_tls13_hash_len (b->suite->prf);
}

/* TLS 1.0-1.2: key_block = PRF(master_secret, "key expansion", server_random +
 * client_random), cut into MAC keys, cipher keys and IVs (RFC 5246 6.3). */
void
_hl_recorded_derive_key_block (Build *b)
{
  gsize need, mlen;
  const guint8 *ms;
  guint8 kb[2 * (48 + 32 + 16)];
  if (!b->sec.value[HL_SECRET_MASTER] || !b->suite || !b->have_sr || b->tls13
      || b->sec.value[HL_SECRET_KEY_BLOCK])
    return;
  need = 2
         * (hl_suite_mac_key_len (b->suite) + b->suite->key_len
            + hl_suite_fixed_iv_len (b->suite, b->c->version));
  if (need > sizeof kb)
    return;
  ms = g_bytes_get_data (b->sec.value[HL_SECRET_MASTER], &mlen);
  if (b->c->version == 0x0300) /* RFC 6101 6.2.2 */
    hl_ssl3_expand (ms, mlen, b->server_random, b->client_random, kb, need);
  else
    _hl_recorded_prf12 (b, ms, mlen, "key expansion", b->server_random, b->client_random, 32, kb,
                        need);
  _hl_recorded_set_secret (b, HL_SECRET_KEY_BLOCK, kb, need, FROM_DERIVED);
  _hl_run_split_key_block (b->sec.value[HL_SECRET_KEY_BLOCK], b->suite, b->c->version, &b->sec);
  for (int i = HL_SECRET_CLIENT_WRITE_MAC_KEY; i <= HL_SECRET_SERVER_WRITE_IV; i++)
    b->origin[i] = FROM_DERIVED;
}

/* The sender's MAC key, cipher key and IV from the key block; FALSE until they exist. */
static gboolean
find_write_keys (Build *b, HlSide from, GBytes **key, GBytes **iv, GBytes **mac)
{
  gboolean client = from == HL_SIDE_CLIENT;
  *key = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_KEY : HL_SECRET_SERVER_WRITE_KEY];
  *iv = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_IV : HL_SECRET_SERVER_WRITE_IV];
  *mac = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_MAC_KEY : HL_SECRET_SERVER_WRITE_MAC_KEY];
  return *key && *iv && *mac;
}

/* TLS 1.0-1.2: BearSSL's record decryption with the sender's keys from the key block. */
static gboolean
init_in12 (Build *b, HlSide from)
{
  Dir *d = &b->d[from];
  GBytes *kv, *iv, *mv;
  const guint8 *key, *ivp, *mac;
  if (!find_write_keys (b, from, &kv, &iv, &mv) || !b->suite)
    return FALSE;
  key = g_bytes_get_data (kv, NULL);
  ivp = g_bytes_get_data (iv, NULL);
  mac = g_bytes_get_data (mv, NULL);
  switch (b->suite->cipher) {
  case HL_CIPHER_AES_GCM:
    br_sslrec_in_gcm_vtable.init (&d->in.gcm.vtable.in, _hl_aes_ctr_vtable (), key,
                                  b->suite->key_len, _hl_ghash (), ivp);
    break;
  case HL_CIPHER_CHACHA20_POLY1305:
    br_sslrec_in_chapol_vtable.init (&d->in.chapol.vtable.in, br_chacha20_ct_run,
                                     br_poly1305_ctmul_run, key, ivp);
    break;
  case HL_CIPHER_AES_CCM:
  case HL_CIPHER_AES_CCM8:
    br_sslrec_in_ccm_vtable.init (&d->in.ccm.vtable.in, _hl_aes_ctrcbc_vtable (), key,
                                  b->suite->key_len, ivp,
                                  b->suite->cipher == HL_CIPHER_AES_CCM ? 16 : 8);
    break;
  case HL_CIPHER_AES_CBC:
  case HL_CIPHER_3DES_CBC: {
    guint maclen = hl_suite_mac_key_len (b->suite);
    br_sslrec_in_cbc_vtable.init (&d->in.cbc.vtable,
                                  b->suite->cipher == HL_CIPHER_AES_CBC ? _hl_aes_cbcdec_vtable ()
                                                                        : &br_des_ct_cbcdec_vtable,
                                  key, b->suite->key_len, _hl_suite_mac_hash (b->suite), mac,
                                  maclen, maclen, b->c->version <= 0x0301 ? ivp : NULL);
    break;
  }
  default:
    return FALSE;
  }
  d->in_ready = TRUE;
  return TRUE;
}

/* RFC 7366 encrypt-then-MAC, which BearSSL's record layer does not do: the MAC covers
 * the IV and ciphertext (HMAC(mac_key, seq + type + version + length + IV + ciphertext)),
 * is checked first, and only then is the CBC ciphertext decrypted and unpadded. */
static GBytes *
open_etm (Build *b, HlSide from, guint8 ct, guint16 version, const guint8 *payload, gsize len)
{
  Dir *d = &b->d[from];
  GBytes *kv, *iv, *mv;
  gsize maclen, block = b->suite->cipher == HL_CIPHER_AES_CBC ? 16 : 8;
  gsize ivlen = b->c->version >= 0x0302 ? block : 0, clen;
  guint8 head[13], mac[64], chain[16];
  br_hmac_key_context kc;
  br_hmac_context hc;
  g_autofree guint8 *buf = NULL;
  guint pad;
  if (!find_write_keys (b, from, &kv, &iv, &mv))
    return NULL;
  maclen = g_bytes_get_size (mv);
  if (len < ivlen + block + maclen || (len - ivlen - maclen) % block)
    return NULL;
  clen = len - ivlen - maclen;
  for (int i = 0; i < 8; i++)
    head[i] = (guint8)(d->etm_seq >> (56 - 8 * i));
  head[8] = ct;
  head[9] = version >> 8;
  head[10] = version & 0xff;
  head[11] = (guint8)((len - maclen) >> 8);
  head[12] = (guint8)(len - maclen);
  br_hmac_key_init (&kc, _hl_suite_mac_hash (b->suite), g_bytes_get_data (mv, NULL), maclen);
  br_hmac_init (&hc, &kc, 0);
  br_hmac_update (&hc, head, 13);
  br_hmac_update (&hc, payload, len - maclen);
  br_hmac_out (&hc, mac);
  if (memcmp (mac, payload + len - maclen, maclen) != 0)
    return NULL;
  d->etm_seq++;
  if (ivlen)
    memcpy (chain, payload, block);
  else if (d->etm_iv_set)
    memcpy (chain, d->etm_iv, block);
  else if (g_bytes_get_size (iv) >= block)
    memcpy (chain, g_bytes_get_data (iv, NULL), block);
  else
    return NULL;
  memcpy (d->etm_iv, payload + ivlen + clen - block, block);
  d->etm_iv_set = TRUE;
  buf = g_memdup2 (payload + ivlen, clen);
  if (b->suite->cipher == HL_CIPHER_AES_CBC) {
    br_aes_ct_cbcdec_keys k;
    br_aes_ct_cbcdec_init (&k, g_bytes_get_data (kv, NULL), g_bytes_get_size (kv));
    br_aes_ct_cbcdec_run (&k, chain, buf, clen);
  } else {
    br_des_ct_cbcdec_keys k;
    br_des_ct_cbcdec_init (&k, g_bytes_get_data (kv, NULL), g_bytes_get_size (kv));
    br_des_ct_cbcdec_run (&k, chain, buf, clen);
  }
  pad = buf[clen - 1];
  if ((gsize)pad + 1 > clen)
    return NULL;
  return g_bytes_new (buf, clen - pad - 1);
}

/* SSL 3.0: the sender's record opened with its keys from the key block (RFC 6101 5.2.3). */
static GBytes *
open_ssl3 (Build *b, HlSide from, guint8 ct, const guint8 *payload, gsize len)
{
  Dir *d = &b->d[from];
  gboolean client = from == HL_SIDE_CLIENT;
  if (!d->ssl3_ready) {
    GBytes *kv = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_KEY : HL_SECRET_SERVER_WRITE_KEY];
    GBytes *iv = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_IV : HL_SECRET_SERVER_WRITE_IV];
    GBytes *mv
        = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_MAC_KEY : HL_SECRET_SERVER_WRITE_MAC_KEY];
    if (!kv || !iv || !mv || !b->suite
        || !hl_ssl3_in_init (&d->ssl3, b->suite, g_bytes_get_data (kv, NULL),
                             g_bytes_get_data (iv, NULL), g_bytes_get_data (mv, NULL)))
      return NULL;
    d->ssl3_ready = TRUE;
  }
  return hl_ssl3_open (&d->ssl3, ct, payload, len);
}

GBytes *
_hl_recorded_open12 (Build *b, HlSide from, guint8 ct, guint16 version, const guint8 *payload,
                     gsize len)
{
  Dir *d = &b->d[from];
  g_autofree guint8 *copy = NULL;
  unsigned char *pt;
  size_t plen = len;
  if (b->c->version == 0x0300)
    return open_ssl3 (b, from, ct, payload, len);
  if (b->etm)
    return open_etm (b, from, ct, version, payload, len);
  if (!d->in_ready)
    init_in12 (b, from);
  if (!d->in_ready || !d->in.vtable->check_length (&d->in.vtable, len))
    return NULL;
  copy = g_memdup2 (payload, len ? len : 1);
  pt = d->in.vtable->decrypt (&d->in.vtable, ct, version, copy, &plen);
  return pt ? g_bytes_new (pt, plen) : NULL;
}

gsize
_hl_recorded_finished12 (Build *b, gboolean client, guint8 *out)
{
  GBytes *ms = b->sec.value[HL_SECRET_MASTER];
  guint8 hash[64];
  gsize hlen;
  if (!ms || !b->suite)
    return 0;
  if (b->c->version == 0x0300) {
    /* SSL 3.0's 36-byte Finished: MD5 and SHA-1 over the handshake, the sender, the master
     * secret and the pads (RFC 6101 5.6.9). */
    hl_ssl3_finished (g_bytes_get_data (ms, NULL), g_bytes_get_size (ms), b->transcript->data,
                      b->transcript->len, client, out);
    return 36;
  }
  hlen = hash_transcript (b, hash);
  _hl_recorded_prf12 (b, g_bytes_get_data (ms, NULL), g_bytes_get_size (ms),
                      client ? "client finished" : "server finished", hash, NULL, hlen, out, 12);
  return 12;
}

/* RSA key exchange (or static ECDH) with the server's private key: the premaster from the
 * ClientKeyExchange (the RSA ciphertext, or the client's point times the key), then
 * master_secret = PRF(premaster, "master secret", client_random + server_random)
 * (RFC 5246 8.1), or, with extended master secret (RFC 7627), PRF(premaster,
 * "extended master secret", Hash(the handshake up to this ClientKeyExchange)); SSL 3.0 has
 * its own MD5/SHA-1 construction (RFC 6101 6.1). Called with the ClientKeyExchange already
 * in the transcript. */
void
_hl_recorded_open_key_exchange (Build *b, const guint8 *m, gsize len)
{
  guint8 pms[66], ms[48];
  gsize clen, pms_len = 0;
  gboolean rsa = b->suite && b->suite->kex == HL_KEX_RSA;
  gboolean ecdh
      = b->suite && (b->suite->kex == HL_KEX_ECDH_RSA || b->suite->kex == HL_KEX_ECDH_ECDSA);
  if (b->tls13 || !(rsa || ecdh) || b->sec.value[HL_SECRET_MASTER] || len < 6)
    return;
  /* RSA: a 2-byte length, then the ciphertext (SSL 3.0: the block bare, RFC 6101
   * 5.6.7.1); static ECDH: a 1-byte length, then the point. */
  if (rsa && b->c->version == 0x0300)
    clen = len - 4;
  else {
    clen = rsa ? (gsize)m[4] << 8 | m[5] : m[4];
    if ((rsa ? 6 : 5) + clen != len)
      return;
  }
  for (guint i = 0; i < b->r->rec->keys->len && !pms_len; i++) {
    const HlRecordedKey *k = g_ptr_array_index (b->r->rec->keys, i);
    if (rsa && _hl_recorded_key_decrypt (k, m + len - clen, clen, pms))
      pms_len = 48;
    else if (ecdh && !_hl_recorded_key_ecdh (k, 0, m + 5, clen, pms, &pms_len))
      pms_len = 0;
    if (pms_len)
      b->key_path = _hl_recorded_key_path (k);
  }
  if (!pms_len)
    return;
  _hl_recorded_set_secret (b, HL_SECRET_PREMASTER, pms, pms_len, FROM_PRIVATE_KEY);
  if (b->c->version == 0x0300) {
    hl_ssl3_expand (pms, pms_len, b->client_random, b->server_random, ms, 48); /* RFC 6101 6.1 */
  } else if (b->ems) {
    guint8 hash[64];
    gsize hlen = hash_transcript (b, hash);
    _hl_recorded_prf12 (b, pms, pms_len, "extended master secret", hash, NULL, hlen, ms, 48);
  } else {
    _hl_recorded_prf12 (b, pms, pms_len, "master secret", b->client_random, b->server_random, 32,
                        ms, 48);
  }
  _hl_recorded_set_secret (b, HL_SECRET_MASTER, ms, 48, FROM_DERIVED);
  _hl_recorded_derive_key_block (b);
}
