/* hl-ssl3.c: SSL 3.0's key derivation, record protection and Finished (hl-ssl3.h). */
#include "hl-ssl3.h"
#include "hl-i18n.h"

#include <bearssl.h>
#include <string.h>

void
hl_ssl3_expand (const guint8 *secret, gsize secret_len, const guint8 r1[32], const guint8 r2[32],
                guint8 *out, gsize out_len)
{
  for (guint i = 0; out_len > 0 && i < 26; i++) {
    guint8 salt[26], inner[20], block[16];
    br_sha1_context s;
    br_md5_context m;
    gsize n = MIN (out_len, 16);
    memset (salt, 'A' + i, i + 1);
    br_sha1_init (&s);
    br_sha1_update (&s, salt, i + 1);
    br_sha1_update (&s, secret, secret_len);
    br_sha1_update (&s, r1, 32);
    br_sha1_update (&s, r2, 32);
    br_sha1_out (&s, inner);
    br_md5_init (&m);
    br_md5_update (&m, secret, secret_len);
    br_md5_update (&m, inner, 20);
    br_md5_out (&m, block);
    memcpy (out, block, n);
    out += n;
    out_len -= n;
  }
}

/* The outer half of SSL 3.0's keyed hashes: hash(secret + pad_2 + inner), pad_2 being
 * 0x5c repeated 48 times for MD5, 40 for SHA-1. */
static void
outer_hash (const br_hash_class *vt, const guint8 *secret, gsize secret_len, const guint8 *inner,
            guint8 *out)
{
  br_hash_compat_context c;
  guint8 pad[48];
  gsize out_len = vt == &br_md5_vtable ? 16 : 20, pad_len = out_len == 16 ? 48 : 40;
  memset (pad, 0x5c, pad_len);
  vt->init (&c.vtable);
  vt->update (&c.vtable, secret, secret_len);
  vt->update (&c.vtable, pad, pad_len);
  vt->update (&c.vtable, inner, out_len);
  vt->out (&c.vtable, out);
}

void
hl_ssl3_finished (const guint8 *master, gsize master_len, const guint8 *handshake,
                  gsize handshake_len, gboolean client, guint8 out[36])
{
  const br_hash_class *vts[2] = { &br_md5_vtable, &br_sha1_vtable };
  for (int k = 0; k < 2; k++) {
    const br_hash_class *vt = vts[k];
    br_hash_compat_context c;
    guint8 pad[48], inner[20];
    gsize pad_len = k ? 40 : 48;
    memset (pad, 0x36, pad_len);
    vt->init (&c.vtable);
    vt->update (&c.vtable, handshake, handshake_len);
    vt->update (&c.vtable, client ? "CLNT" : "SRVR", 4);
    vt->update (&c.vtable, master, master_len);
    vt->update (&c.vtable, pad, pad_len);
    vt->out (&c.vtable, inner);
    outer_hash (vt, master, master_len, inner, out + (k ? 16 : 0));
  }
}

gboolean
hl_ssl3_in_init (HlSsl3In *in, const HlSuite *suite, const guint8 *key, const guint8 *iv,
                 const guint8 *mac_key)
{
  memset (in, 0, sizeof *in);
  if ((suite->cipher != HL_CIPHER_AES_CBC && suite->cipher != HL_CIPHER_3DES_CBC)
      || (suite->mac != HL_HASH_MD5 && suite->mac != HL_HASH_SHA1) || suite->key_len > 32)
    return FALSE;
  in->cipher = suite->cipher;
  in->mac = suite->mac;
  in->key_len = suite->key_len;
  in->block = suite->cipher == HL_CIPHER_AES_CBC ? 16 : 8;
  in->mac_len = suite->mac == HL_HASH_MD5 ? 16 : 20;
  memcpy (in->key, key, in->key_len);
  memcpy (in->iv, iv, in->block);
  memcpy (in->mac_key, mac_key, in->mac_len);
  return TRUE;
}

GBytes *
hl_ssl3_open (HlSsl3In *in, guint8 content_type, const guint8 *payload, gsize len)
{
  const br_hash_class *vt = in->mac == HL_HASH_MD5 ? &br_md5_vtable : &br_sha1_vtable;
  g_autofree guint8 *buf = NULL;
  guint8 next_iv[16], iv[16], inner[20], mac[20], head[11], pad[48];
  br_hash_compat_context c;
  gsize pad_len, clen;
  if (len == 0 || len % in->block || len < in->mac_len + 1)
    return NULL;
  buf = g_memdup2 (payload, len);
  memcpy (next_iv, payload + len - in->block, in->block);
  memcpy (iv, in->iv, in->block);
  if (in->cipher == HL_CIPHER_AES_CBC) {
    br_aes_ct_cbcdec_keys k;
    br_aes_ct_cbcdec_init (&k, in->key, in->key_len);
    br_aes_ct_cbcdec_run (&k, iv, buf, len);
  } else {
    br_des_ct_cbcdec_keys k;
    br_des_ct_cbcdec_init (&k, in->key, in->key_len);
    br_des_ct_cbcdec_run (&k, iv, buf, len);
  }
  /* RFC 6101 5.2.3.2: the last byte is the padding's length, under the block size; the
   * padding's bytes may hold anything (TLS 1.0 required them all equal to it). */
  pad_len = buf[len - 1];
  if (pad_len >= in->block || pad_len + 1 + in->mac_len > len)
    return NULL;
  clen = len - 1 - pad_len - in->mac_len;
  /* 5.2.3.1: hash(MAC_write_secret + pad_2 + hash(MAC_write_secret + pad_1 + seq_num +
   * type + length + content)): no version, and not HMAC. */
  for (int i = 0; i < 8; i++)
    head[i] = (guint8)(in->seq >> (56 - 8 * i));
  head[8] = content_type;
  head[9] = (guint8)(clen >> 8);
  head[10] = (guint8)clen;
  memset (pad, 0x36, in->mac_len == 16 ? 48 : 40);
  vt->init (&c.vtable);
  vt->update (&c.vtable, in->mac_key, in->mac_len);
  vt->update (&c.vtable, pad, in->mac_len == 16 ? 48 : 40);
  vt->update (&c.vtable, head, 11);
  vt->update (&c.vtable, buf, clen);
  vt->out (&c.vtable, inner);
  outer_hash (vt, in->mac_key, in->mac_len, inner, mac);
  if (memcmp (mac, buf + clen, in->mac_len) != 0)
    return NULL;
  in->seq++;
  memcpy (in->iv, next_iv, in->block);
  return g_bytes_new (buf, clen);
}

/* SSL 3.0 derives with MD5 and SHA-1 where TLS has its PRF and HMAC (RFC 6101). */
const char *
hl_ssl3_formula (HlSecretId id)
{
  switch (id) {
  case HL_SECRET_MASTER:
    return _ ("MD5(premaster + SHA-1(\"A\" + premaster + client_random + server_random)) + "
              "MD5(premaster + SHA-1(\"BB\" + ...)) + MD5(premaster + SHA-1(\"CCC\" + ...)): SSL "
              "3.0's own derivation, 48 bytes (RFC 6101 6.1)");
  case HL_SECRET_KEY_BLOCK:
    return _ ("MD5(master_secret + SHA-1(\"A\" + master_secret + server_random + "
              "client_random)) + MD5(master_secret + SHA-1(\"BB\" + ...)) + ...: SSL 3.0's own "
              "derivation (RFC 6101 6.2.2)");
  case HL_SECRET_CLIENT_WRITE_MAC_KEY:
    return _ ("key_block, first part: the key of SSL 3.0's record MAC for what the client "
              "sends, hash(key + pad_2 + hash(key + pad_1 + seq_num + type + length + content)), "
              "not HMAC (RFC 6101 5.2.3.1)");
  case HL_SECRET_SERVER_WRITE_MAC_KEY:
    return _ ("key_block: the key of SSL 3.0's record MAC for what the server sends (RFC 6101 "
              "5.2.3.1)");
  case HL_SECRET_CLIENT_VERIFY_DATA:
    return _ ("MD5(master_secret + pad_2 + MD5(handshake messages + \"CLNT\" + master_secret + "
              "pad_1)) + SHA-1(the same with SHA-1's pads): 36 bytes (RFC 6101 5.6.9)");
  case HL_SECRET_SERVER_VERIFY_DATA:
    return _ ("MD5(master_secret + pad_2 + MD5(handshake messages + \"SRVR\" + master_secret + "
              "pad_1)) + SHA-1(the same with SHA-1's pads): 36 bytes (RFC 6101 5.6.9)");
  default:
    return NULL;
  }
}
