/* hl-tls13.c: the TLS 1.3 key schedule and record protection, on BearSSL's HMAC,
 * HKDF, AES-GCM and ChaCha20-Poly1305. */
#include "hl-tls13.h"

#include <bearssl.h>
#include <string.h>

const guint8 hl_tls13_hello_retry_random[32]
    = { 0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
        0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
        0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c };

static const br_hash_class *
hash_class (HlHash hash)
{
  return hash == HL_HASH_SHA384 ? &br_sha384_vtable : &br_sha256_vtable;
}

gsize
hl_tls13_hash_len (HlHash hash)
{
  return hash == HL_HASH_SHA384 ? 48 : 32;
}

void
hl_tls13_hash (HlHash hash, const void *data, gsize len, guint8 *out)
{
  br_hash_compat_context ctx;
  const br_hash_class *vt = hash_class (hash);
  vt->init (&ctx.vtable);
  vt->update (&ctx.vtable, data, len);
  vt->out (&ctx.vtable, out);
}

void
hl_tls13_hmac (HlHash hash, const guint8 *key, gsize key_len, const void *data, gsize len,
               guint8 *out)
{
  br_hmac_key_context kc;
  br_hmac_context hc;
  br_hmac_key_init (&kc, hash_class (hash), key, key_len);
  br_hmac_init (&hc, &kc, 0);
  br_hmac_update (&hc, data, len);
  br_hmac_out (&hc, out);
}

void
hl_tls13_extract (HlHash hash, const guint8 *salt, const guint8 *ikm, gsize ikm_len, guint8 *out)
{
  static const guint8 zeros[HL_TLS13_MAX_HASH] = { 0 };
  gsize n = hl_tls13_hash_len (hash);
  /* HKDF-Extract(salt, IKM) = HMAC(salt, IKM) (RFC 5869). */
  hl_tls13_hmac (hash, salt ? salt : zeros, n, ikm ? ikm : zeros, ikm ? ikm_len : n, out);
}

/* HKDF-Expand (RFC 5869): T(i) = HMAC(PRK, T(i-1) | info | i), output T(1) | T(2) | ... */
static void
expand (HlHash hash, const guint8 *prk, const guint8 *info, gsize info_len, guint8 *out,
        gsize out_len)
{
  br_hmac_key_context kc;
  guint8 t[HL_TLS13_MAX_HASH];
  gsize n = hl_tls13_hash_len (hash), done = 0;
  br_hmac_key_init (&kc, hash_class (hash), prk, n);
  for (guint8 i = 1; done < out_len; i++) {
    br_hmac_context hc;
    br_hmac_init (&hc, &kc, 0);
    if (i > 1)
      br_hmac_update (&hc, t, n);
    br_hmac_update (&hc, info, info_len);
    br_hmac_update (&hc, &i, 1);
    br_hmac_out (&hc, t);
    memcpy (out + done, t, MIN (n, out_len - done));
    done += MIN (n, out_len - done);
  }
}

void
hl_tls13_expand_label (HlHash hash, const guint8 *secret, const char *label, const guint8 *context,
                       gsize context_len, guint8 *out, gsize out_len)
{
  /* HkdfLabel: uint16 length, opaque label<7..255> = "tls13 " + label, opaque context<0..255>. */
  guint8 info[2 + 1 + 255 + 1 + 255];
  gsize llen = 6 + strlen (label), off = 0;
  g_return_if_fail (llen <= 255 && context_len <= 255);
  info[off++] = out_len >> 8;
  info[off++] = out_len & 0xff;
  info[off++] = llen;
  memcpy (info + off, "tls13 ", 6);
  memcpy (info + off + 6, label, llen - 6);
  off += llen;
  info[off++] = context_len;
  if (context_len)
    memcpy (info + off, context, context_len);
  off += context_len;
  expand (hash, secret, info, off, out, out_len);
}

void
hl_tls13_derive_secret (HlHash hash, const guint8 *secret, const char *label,
                        const guint8 *messages, gsize len, guint8 *out)
{
  guint8 h[HL_TLS13_MAX_HASH];
  hl_tls13_hash (hash, messages, len, h);
  hl_tls13_expand_label (hash, secret, label, h, hl_tls13_hash_len (hash), out,
                         hl_tls13_hash_len (hash));
}

void
hl_tls13_derive_secret_hashed (HlHash hash, const guint8 *secret, const char *label,
                               const guint8 *transcript_hash, guint8 *out)
{
  hl_tls13_expand_label (hash, secret, label, transcript_hash, hl_tls13_hash_len (hash), out,
                         hl_tls13_hash_len (hash));
}

void
hl_tls13_hash_prefixes (HlHash hash, const guint8 *data, const gsize *ends, guint n,
                        guint8 (*out)[HL_TLS13_MAX_HASH])
{
  br_hash_compat_context ctx, snap;
  const br_hash_class *vt = hash_class (hash);
  gsize done = 0;
  vt->init (&ctx.vtable);
  for (guint i = 0; i < n; i++) {
    if (ends[i] > done) {
      vt->update (&ctx.vtable, data + done, ends[i] - done);
      done = ends[i];
    }
    snap = ctx; /* BearSSL's hash contexts are plain data: a copy is a snapshot */
    vt->out (&snap.vtable, out[i]);
  }
}

gboolean
hl_tls13_is_hello_retry (const guint8 *msg, gsize len)
{
  return len >= 38 && msg[0] == 2 && memcmp (msg + 6, hl_tls13_hello_retry_random, 32) == 0;
}

GByteArray *
hl_tls13_transcript (HlHash hash, const guint8 *msgs, gsize len)
{
  GByteArray *out = g_byte_array_new ();
  gsize off = 0, first_len = 0;
  while (off + 4 <= len) {
    gsize mlen = 4 + ((gsize)msgs[off + 1] << 16 | (gsize)msgs[off + 2] << 8 | msgs[off + 3]);
    if (off + mlen > len)
      break;
    if (off == 0)
      first_len = mlen;
    else if (off == first_len && hl_tls13_is_hello_retry (msgs + off, mlen)) {
      /* RFC 8446 4.4.1: ClientHello1 becomes message_hash, a hash of itself. */
      guint8 mh[4 + HL_TLS13_MAX_HASH] = { 254, 0, 0, (guint8)hl_tls13_hash_len (hash) };
      hl_tls13_hash (hash, msgs, first_len, mh + 4);
      g_byte_array_set_size (out, 0);
      g_byte_array_append (out, mh, 4 + hl_tls13_hash_len (hash));
    }
    g_byte_array_append (out, msgs + off, mlen);
    off += mlen;
  }
  return out;
}

void
hl_tls13_keys_from_secret (const HlSuite *suite, const guint8 *secret, HlTls13Keys *keys)
{
  memset (keys, 0, sizeof *keys);
  keys->cipher = suite->cipher;
  keys->key_len = suite->key_len;
  hl_tls13_expand_label (suite->prf, secret, "key", NULL, 0, keys->key, keys->key_len);
  hl_tls13_expand_label (suite->prf, secret, "iv", NULL, 0, keys->iv, 12);
}

static void
make_nonce (const HlTls13Keys *keys, guint8 nonce[12])
{
  memcpy (nonce, keys->iv, 12);
  for (int i = 0; i < 8; i++)
    nonce[11 - i] ^= (guint8)(keys->seq >> (8 * i));
}

/* AEAD in place over data (len bytes, tag after it); TRUE when the tag matches (open)
 * or always (seal). */
static gboolean
run_aead (const HlTls13Keys *keys, guint8 *data, gsize len, const guint8 aad[5], gboolean seal)
{
  guint8 nonce[12], tag[16];
  make_nonce (keys, nonce);
  if (keys->cipher == HL_CIPHER_CHACHA20_POLY1305) {
    br_poly1305_ctmul_run (keys->key, nonce, data, len, aad, 5, tag, br_chacha20_ct_run, seal);
  } else {
    /* AES-NI and PCLMULQDQ when the processor has them: the same bytes, faster. */
    const br_block_ctr_class *aes = br_aes_x86ni_ctr_get_vtable ();
    br_ghash ghash = br_ghash_pclmul_get ();
    br_aes_gen_ctr_keys ac;
    br_gcm_context gc;
    if (!aes)
      aes = &br_aes_ct_ctr_vtable;
    aes->init (&ac.vtable, keys->key, keys->key_len);
    br_gcm_init (&gc, &ac.vtable, ghash ? ghash : br_ghash_ctmul);
    br_gcm_reset (&gc, nonce, 12);
    br_gcm_aad_inject (&gc, aad, 5);
    br_gcm_flip (&gc);
    br_gcm_run (&gc, seal, data, len);
    br_gcm_get_tag (&gc, tag);
  }
  if (seal) {
    memcpy (data + len, tag, 16);
    return TRUE;
  }
  /* Not secret-dependent timing that matters here: the program is a teaching tool. */
  return memcmp (tag, data + len, 16) == 0;
}

GBytes *
hl_tls13_open (const HlTls13Keys *keys, const guint8 *payload, gsize len)
{
  guint8 aad[5] = { 23, 3, 3, (guint8)(len >> 8), (guint8)len };
  guint8 *copy;
  GBytes *res = NULL;
  if (len <= 16 || len > 16384 + 256)
    return NULL;
  copy = g_memdup2 (payload, len);
  if (run_aead (keys, copy, len - 16, aad, FALSE))
    res = g_bytes_new (copy, len - 16);
  g_free (copy);
  return res;
}

GBytes *
hl_tls13_seal (const HlTls13Keys *keys, const guint8 *inner, gsize len)
{
  gsize total = len + 16;
  guint8 aad[5] = { 23, 3, 3, (guint8)(total >> 8), (guint8)total };
  guint8 *buf = g_malloc (total);
  memcpy (buf, inner, len);
  run_aead (keys, buf, len, aad, TRUE);
  return g_bytes_new_take (buf, total);
}

guint8
hl_tls13_inner_type (const guint8 *inner, gsize len, gsize *content_len)
{
  /* TLSInnerPlaintext: content, then the real type, then zeros: the type is the
   * last non-zero byte. */
  while (len > 0 && inner[len - 1] == 0)
    len--;
  if (len == 0) {
    *content_len = 0;
    return 0;
  }
  *content_len = len - 1;
  return inner[len - 1];
}

gboolean
hl_hello_find_extension (const guint8 *msg, gsize len, guint16 type, const guint8 **data,
                         gsize *dlen)
{
  gsize off = 4 + 2 + 32, end;
  if (len < off + 1 || (msg[0] != 1 && msg[0] != 2))
    return FALSE;
  off += 1 + msg[off]; /* session id */
  if (msg[0] == 1) {
    if (off + 2 > len)
      return FALSE;
    off += 2 + ((gsize)msg[off] << 8 | msg[off + 1]); /* cipher suites */
    if (off + 1 > len)
      return FALSE;
    off += 1 + msg[off]; /* compression methods */
  } else {
    off += 3; /* cipher suite, compression method */
  }
  if (off + 2 > len)
    return FALSE;
  end = off + 2 + ((gsize)msg[off] << 8 | msg[off + 1]);
  off += 2;
  if (end > len)
    return FALSE;
  while (off + 4 <= end) {
    guint16 t = msg[off] << 8 | msg[off + 1];
    gsize n = (gsize)msg[off + 2] << 8 | msg[off + 3];
    if (off + 4 + n > end)
      return FALSE;
    if (t == type) {
      *data = msg + off + 4;
      *dlen = n;
      return TRUE;
    }
    off += 4 + n;
  }
  return FALSE;
}
