/* hl-recorded-key.c: a server's private key for a recorded run.
 *
 * With RSA key exchange the ClientKeyExchange carries the premaster secret encrypted to
 * the server's RSA key (PKCS #1 v1.5): whoever holds that key, years later, reads every
 * such connection. Static ECDH (ECDH_ECDSA, ECDH_RSA) is the same with an EC key: the
 * server's share is the key in its certificate, so the premaster is that private key times
 * the client's share (RFC 4492 2.1, 5.10). ECDHE agrees the premaster with ephemeral keys
 * the sides throw away, so the server's long-term key only signed the exchange and cannot
 * open it (forward secrecy).
 */
#include "hl-run-private.h"
#include "hl-i18n.h"

#include <string.h>

struct _HlRecordedKey {
  int type; /* BR_KEYTYPE_RSA or BR_KEYTYPE_EC */
  br_rsa_private_key sk;
  br_ec_private_key ec;
  GPtrArray *buffers; /* owns what sk points to */
  char *path;
};

static void
append (void *ctx, const void *buf, size_t len)
{
  g_byte_array_append (ctx, buf, len);
}

static guint8 *
keep (HlRecordedKey *k, const void *data, gsize len)
{
  guint8 *copy = g_memdup2 (data, len ? len : 1);
  g_ptr_array_add (k->buffers, copy);
  return copy;
}

void
_hl_recorded_key_free (HlRecordedKey *k)
{
  if (!k)
    return;
  g_ptr_array_unref (k->buffers);
  g_free (k->path);
  g_free (k);
}

const char *
_hl_recorded_key_path (const HlRecordedKey *k)
{
  return k->path;
}

/* The first private key in a PEM file (PKCS #1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY" or
 * PKCS #8). NULL and error for anything else. */
HlRecordedKey *
_hl_recorded_key_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len, off = 0;
  br_pem_decoder_context pc;
  g_autoptr (GByteArray) der = g_byte_array_new ();
  gboolean in_key = FALSE, done = FALSE;
  br_skey_decoder_context kc;
  const br_rsa_private_key *rsa;
  HlRecordedKey *k;
  if (!hl_read_bounded_file (path, &text, &len, error))
    return NULL;
  br_pem_decoder_init (&pc);
  while (off < len && !done) {
    off += br_pem_decoder_push (&pc, text + off, len - off);
    switch (br_pem_decoder_event (&pc)) {
    case BR_PEM_BEGIN_OBJ:
      in_key = g_str_has_suffix (br_pem_decoder_name (&pc), "PRIVATE KEY");
      g_byte_array_set_size (der, 0);
      br_pem_decoder_setdest (&pc, in_key ? append : NULL, in_key ? der : NULL);
      break;
    case BR_PEM_END_OBJ:
      done = in_key;
      break;
    case BR_PEM_ERROR:
      off = len;
      break;
    default:
      break;
    }
  }
  if (!done) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_RECORDED,
                 _ ("%s: no PEM private key in it (a BEGIN ... PRIVATE KEY block)"), path);
    return NULL;
  }
  br_skey_decoder_init (&kc);
  br_skey_decoder_push (&kc, der->data, der->len);
  if (br_skey_decoder_last_error (&kc) != 0) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_RECORDED,
                 _ ("%s: the private key does not decode (BearSSL error %d)"), path,
                 br_skey_decoder_last_error (&kc));
    return NULL;
  }
  k = g_new0 (HlRecordedKey, 1);
  k->buffers = g_ptr_array_new_with_free_func (g_free);
  k->path = g_strdup (path);
  k->type = br_skey_decoder_key_type (&kc);
  if (k->type == BR_KEYTYPE_EC) {
    const br_ec_private_key *ec = br_skey_decoder_get_ec (&kc);
    k->ec.curve = ec->curve;
    k->ec.x = keep (k, ec->x, ec->xlen);
    k->ec.xlen = ec->xlen;
    return k;
  }
  rsa = br_skey_decoder_get_rsa (&kc);
  k->sk.n_bitlen = rsa->n_bitlen;
  k->sk.p = keep (k, rsa->p, rsa->plen);
  k->sk.plen = rsa->plen;
  k->sk.q = keep (k, rsa->q, rsa->qlen);
  k->sk.qlen = rsa->qlen;
  k->sk.dp = keep (k, rsa->dp, rsa->dplen);
  k->sk.dplen = rsa->dplen;
  k->sk.dq = keep (k, rsa->dq, rsa->dqlen);
  k->sk.dqlen = rsa->dqlen;
  k->sk.iq = keep (k, rsa->iq, rsa->iqlen);
  k->sk.iqlen = rsa->iqlen;
  return k;
}

/* Opens an RSA ClientKeyExchange's encrypted premaster (PKCS #1 v1.5 padding, 48 bytes
 * inside). FALSE when this key did not encrypt it. */
gboolean
_hl_recorded_key_decrypt (const HlRecordedKey *k, const guint8 *cipher, gsize len,
                          guint8 premaster[48])
{
  g_autofree guint8 *buf = NULL;
  if (k->type != BR_KEYTYPE_RSA || len != (k->sk.n_bitlen + 7) / 8)
    return FALSE;
  buf = g_memdup2 (cipher, len);
  if (!br_rsa_ssl_decrypt (br_rsa_private_get_default (), &k->sk, buf, len))
    return FALSE;
  memcpy (premaster, buf, 48);
  return TRUE;
}

/* Static ECDH: the premaster is the X coordinate of the private key times the client's
 * point (RFC 4492 5.10). curve 0: the key's own. FALSE when this is no EC key on that
 * curve or the point is bad. */
gboolean
_hl_recorded_key_ecdh (const HlRecordedKey *k, int curve, const guint8 *point, gsize len,
                       guint8 *premaster, gsize *premaster_len)
{
  const br_ec_impl *ec = br_ec_get_default ();
  guint8 buf[160];
  size_t xlen, xoff;
  if (k->type != BR_KEYTYPE_EC || (curve > 0 && k->ec.curve != curve) || len == 0
      || len > sizeof buf)
    return FALSE;
  memcpy (buf, point, len);
  if (!ec->mul (buf, len, k->ec.x, k->ec.xlen, k->ec.curve))
    return FALSE;
  xoff = ec->xoff (k->ec.curve, &xlen);
  memcpy (premaster, buf + xoff, xlen);
  *premaster_len = xlen;
  return TRUE;
}
