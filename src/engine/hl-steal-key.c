/* hl-steal-key.c: what a stolen server key gives an observer (hl-steal-key.h).
 *
 * The signatures are checked here, independently of the run: TLS 1.0-1.2
 * ServerKeyExchange with BearSSL's PKCS #1 v1.5 and ECDSA verifiers, TLS 1.3
 * CertificateVerify with OpenSSL (BearSSL 0.6 has no RSA-PSS, which TLS 1.3 requires of
 * RSA keys, RFC 8446 4.2.3).
 */
#include "hl-steal-key.h"

#include <string.h>

#include <bearssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "hl-credentials-private.h"
#include "hl-i18n.h"
#include "hl-recorded.h"
#include "hl-tables.h"
#include "hl-tls13.h"

struct _HlStealReport {
  char *title;
  GArray *connections; /* HlStolenConnection */
};

/* PEM: the label, then base64 in lines of 64 (RFC 7468 2). */
static char *
to_pem (const char *label, const guint8 *der, gsize len)
{
  g_autofree char *b64 = g_base64_encode (der, len);
  GString *s = g_string_new (NULL);
  gsize n = strlen (b64);
  g_string_append_printf (s, "-----BEGIN %s-----\n", label);
  for (gsize i = 0; i < n; i += 64) {
    g_string_append_len (s, b64 + i, MIN (64, n - i));
    g_string_append_c (s, '\n');
  }
  g_string_append_printf (s, "-----END %s-----\n", label);
  return g_string_free (s, FALSE);
}

/* Which of the three forms a private key's DER is: PKCS #8 has an AlgorithmIdentifier
 * (a SEQUENCE) after its version, PKCS #1 RSA an INTEGER (the modulus), SEC1 EC an
 * OCTET STRING (the scalar). */
static const char *
key_label (const guint8 *d, gsize len)
{
  gsize at = 2;
  if (len < 4 || d[0] != 0x30)
    return NULL;
  if (d[1] & 0x80)
    at += d[1] & 0x7f;
  if (at + 2 >= len || d[at] != 0x02)
    return NULL;
  at += 2 + d[at + 1];
  if (at >= len)
    return NULL;
  return d[at] == 0x30 ? "PRIVATE KEY" : d[at] == 0x02 ? "RSA PRIVATE KEY" : "EC PRIVATE KEY";
}

char *
hl_run_server_key_pem (HlRun *run, GError **error)
{
  const HlScenario *sc = hl_run_is_recorded (run) ? NULL : hl_run_get_scenario (run);
  const HlCredentials *creds = sc ? sc->server.credentials : NULL;
  const char *label;
  gsize len;
  const guint8 *der;
  if (!creds || !creds->key_der) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_RECORDED,
                 "%s: the server has no private key to steal",
                 sc && sc->file ? sc->file : "the run");
    return NULL;
  }
  der = g_bytes_get_data (creds->key_der, &len);
  label = key_label (der, len);
  if (!label) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_RECORDED,
                 "%s: the server's private key is in no form this program writes back",
                 sc->file ? sc->file : "the run");
    return NULL;
  }
  return to_pem (label, der, len);
}

static gboolean
is_handshake (const HlStep *st, int type)
{
  return st->content_type == 22 && st->handshake_type == type;
}

/* A handshake message's bytes as its sender made them (decrypted when encrypted). */
static const guint8 *
content (const HlStep *st, gsize *len)
{
  GBytes *b = st->encrypted ? st->plaintext : st->wire;
  if (!b) {
    *len = 0;
    return NULL;
  }
  return g_bytes_get_data (b, len);
}

static const HlStep *
find_step (const HlConnection *c, HlSide from, int type)
{
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    if (st->from == from && is_handshake (st, type))
      return st;
  }
  return NULL;
}

/* The leaf certificate of a Certificate message (TLS 1.3 adds a request context before
 * the list and extensions after each entry, RFC 8446 4.4.2). */
static gboolean
leaf_certificate (const guint8 *m, gsize len, gboolean tls13, const guint8 **cert, gsize *clen)
{
  gsize at = 4;
  if (tls13) {
    if (at >= len)
      return FALSE;
    at += 1 + m[at];
  }
  at += 3; /* the list's length */
  if (at + 3 > len)
    return FALSE;
  *clen = (gsize)m[at] << 16 | (gsize)m[at + 1] << 8 | m[at + 2];
  at += 3;
  if (*clen == 0 || at + *clen > len)
    return FALSE;
  *cert = m + at;
  return TRUE;
}

static const char *
hash_name (int id)
{
  switch (id) {
  case 2:
    return "SHA-1";
  case 4:
    return "SHA-256";
  case 5:
    return "SHA-384";
  case 6:
    return "SHA-512";
  default:
    return NULL;
  }
}

/* Hash (RFC 5246 7.4.1.4.1 numbering) of data; 0 for a hash this check does not know. */
static gsize
hash_by_id (int id, const guint8 *data, gsize len, guint8 *out, const unsigned char **oid)
{
  br_hash_compat_context hc;
  const br_hash_class *vt = id == 2   ? &br_sha1_vtable
                            : id == 4 ? &br_sha256_vtable
                            : id == 5 ? &br_sha384_vtable
                            : id == 6 ? &br_sha512_vtable
                                      : NULL;
  *oid = id == 2   ? BR_HASH_OID_SHA1
         : id == 4 ? BR_HASH_OID_SHA256
         : id == 5 ? BR_HASH_OID_SHA384
         : id == 6 ? BR_HASH_OID_SHA512
                   : NULL;
  if (!vt)
    return 0;
  vt->init (&hc.vtable);
  vt->update (&hc.vtable, data, len);
  vt->out (&hc.vtable, out);
  return (vt->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK;
}

/* A TLS 1.3 SignatureScheme (RFC 8446 4.2.3) over tbs, with the certificate's public key,
 * by OpenSSL: the RSA-PSS schemes, which BearSSL 0.6 lacks, and the rest alike. */
static gboolean
verify_scheme (const guint8 *cert, gsize certl, guint16 scheme, const guint8 *tbs, gsize tbsl,
               const guint8 *sig, gsize sigl)
{
  const EVP_MD *md = NULL;
  const guint8 *p = cert;
  X509 *x;
  EVP_MD_CTX *ctx;
  EVP_PKEY_CTX *pctx = NULL;
  gboolean ok = FALSE;
  switch (scheme) {
  case 0x0804:
  case 0x0809:
  case 0x0403:
    md = EVP_sha256 ();
    break;
  case 0x0805:
  case 0x080a:
  case 0x0503:
    md = EVP_sha384 ();
    break;
  case 0x0806:
  case 0x080b:
  case 0x0603:
    md = EVP_sha512 ();
    break;
  case 0x0807:
    break; /* ed25519 hashes inside the signature */
  default:
    return FALSE;
  }
  x = d2i_X509 (NULL, &p, (long)certl);
  ctx = EVP_MD_CTX_new ();
  if (x && ctx && EVP_DigestVerifyInit (ctx, &pctx, md, NULL, X509_get0_pubkey (x)) == 1) {
    gboolean ready = TRUE;
    if ((scheme >= 0x0804 && scheme <= 0x0806) || (scheme >= 0x0809 && scheme <= 0x080b))
      ready = EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PSS_PADDING) == 1
              && EVP_PKEY_CTX_set_rsa_pss_saltlen (pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
    ok = ready && EVP_DigestVerify (ctx, sig, sigl, tbs, tbsl) == 1;
  }
  ERR_clear_error ();
  EVP_MD_CTX_free (ctx);
  X509_free (x);
  return ok;
}

/* TLS 1.0-1.2 ECDHE: the ServerKeyExchange signs client_random + server_random +
 * ServerECDHParams (RFC 8422 5.4); TLS 1.2 names the hash and signature first (RFC 5246
 * 7.4.3); TLS 1.0 and 1.1 sign MD5 + SHA-1 with RSA (RFC 2246 7.4.3) and SHA-1 with
 * ECDSA (RFC 4492 5.4).
 * The observer has every byte of it: all of it travels in clear. */
static void
check_server_key_exchange (const HlConnection *c, HlStolenConnection *out)
{
  const HlStep *ch = find_step (c, HL_SIDE_CLIENT, HL_HANDSHAKE_CLIENT_HELLO);
  const HlStep *sh = find_step (c, HL_SIDE_SERVER, HL_HANDSHAKE_SERVER_HELLO);
  const HlStep *crt = find_step (c, HL_SIDE_SERVER, HL_HANDSHAKE_CERTIFICATE);
  const HlStep *ske = find_step (c, HL_SIDE_SERVER, HL_HANDSHAKE_SERVER_KEY_EXCHANGE);
  const guint8 *chm, *shm, *crtm, *m, *cert, *sig;
  gsize chl, shl, crtl, len, certl, params, at, sigl, hlen = 0;
  int hash_id, sig_id;
  br_x509_decoder_context dc;
  const br_x509_pkey *pk;
  guint8 hash[64];
  const unsigned char *oid = NULL;
  g_autoptr (GByteArray) signed_data = g_byte_array_new ();
  const char *alg;
  if (!ch || !sh || !crt || !ske)
    return;
  chm = content (ch, &chl);
  shm = content (sh, &shl);
  crtm = content (crt, &crtl);
  m = content (ske, &len);
  if (!chm || !shm || !crtm || !m || chl < 38 || shl < 38 || len < 8 || m[4] != 3
      || !leaf_certificate (crtm, crtl, FALSE, &cert, &certl))
    return;
  params = 4 + (gsize)m[7];
  at = 4 + params;
  out->has_signature = TRUE;
  out->signature_seen = TRUE;
  if (c->version >= 0x0303) {
    if (at + 2 > len)
      return;
    hash_id = m[at];
    sig_id = m[at + 1];
    at += 2;
  } else {
    hash_id = 0;
    sig_id = -1;
  }
  if (at + 2 > len || at + 2 + ((gsize)m[at] << 8 | m[at + 1]) != len)
    return;
  sigl = (gsize)m[at] << 8 | m[at + 1];
  sig = m + at + 2;
  g_byte_array_append (signed_data, chm + 6, 32);
  g_byte_array_append (signed_data, shm + 6, 32);
  g_byte_array_append (signed_data, m + 4, params);
  br_x509_decoder_init (&dc, NULL, NULL);
  br_x509_decoder_push (&dc, cert, certl);
  pk = br_x509_decoder_get_pkey (&dc);
  if (!pk)
    return;
  if (sig_id < 0)
    sig_id = pk->key_type == BR_KEYTYPE_RSA ? 1 : 3;
  if (c->version < 0x0303 && sig_id == 1) {
    br_md5_context m5;
    br_sha1_context s1;
    br_md5_init (&m5);
    br_md5_update (&m5, signed_data->data, signed_data->len);
    br_md5_out (&m5, hash);
    br_sha1_init (&s1);
    br_sha1_update (&s1, signed_data->data, signed_data->len);
    br_sha1_out (&s1, hash + 16);
    hlen = 36;
    alg = "RSA over MD5 + SHA-1";
  } else {
    if (c->version < 0x0303)
      hash_id = 2;
    hlen = hash_by_id (hash_id, signed_data->data, signed_data->len, hash, &oid);
    alg = sig_id == 1 ? "RSA PKCS #1 v1.5" : "ECDSA";
  }
  if (hlen == 0 && hash_id != 8)
    return;
  if (hash_id == 8) {
    /* An RSA-PSS SignatureScheme (0x0804..0x080b), which TLS 1.2 may use too (RFC 8446
     * 4.2.3): OpenSSL servers prefer it. */
    guint16 scheme = (guint16)(hash_id << 8 | sig_id);
    const char *name = hl_signature_scheme_name (scheme);
    out->signature_ok
        = verify_scheme (cert, certl, scheme, signed_data->data, signed_data->len, sig, sigl);
    alg = name ? name : "RSA-PSS";
    hash_id = 0;
  } else if (sig_id == 1 && pk->key_type == BR_KEYTYPE_RSA) {
    guint8 got[64];
    out->signature_ok = br_rsa_pkcs1_vrfy_get_default () (sig, sigl, oid, hlen, &pk->key.rsa, got)
                        && memcmp (got, hash, hlen) == 0;
  } else if (sig_id == 3 && pk->key_type == BR_KEYTYPE_EC) {
    out->signature_ok = br_ecdsa_vrfy_asn1_get_default () (br_ec_get_default (), hash, hlen,
                                                           &pk->key.ec, sig, sigl)
                        == 1;
  }
  out->signature = g_strdup_printf (
      out->signature_ok
          ? _ ("\u2713 The ServerKeyExchange's signature (%s%s%s) verifies with the public key "
               "of the server's certificate: the observer, who sees both in clear, can check "
               "it, with or without the stolen key. What was signed: client_random + server_random "
               "+ ServerECDHParams (the "
               "curve and the server's ephemeral ECDH share), %u bytes (RFC 8422 5.4). The "
               "signature proves who sent the share; "
               "it does not contain the share's private half.")
          : _ ("\u2717 The ServerKeyExchange's signature (%s%s%s) does not verify with the "
               "public key of the server's certificate. What was signed: client_random + "
               "server_random + ServerECDHParams, %u bytes (RFC 8422 5.4)."),
      alg, hash_id && c->version >= 0x0303 ? " with " : "",
      hash_id && c->version >= 0x0303 ? hash_name (hash_id) : "", signed_data->len);
}

/* TLS 1.3: CertificateVerify signs 64 spaces, "TLS 1.3, server CertificateVerify", a zero
 * byte and the transcript hash through the Certificate (RFC 8446 4.4.3). Both messages
 * travel encrypted with handshake keys that come from the (EC)DHE secret, so only the
 * lab, which holds the run, reads them. */
static void
check_certificate_verify (const HlConnection *c, HlStolenConnection *out)
{
  const HlSuite *suite = hl_suite_by_id (c->suite);
  HlHash hash = suite && hl_suite_is_tls13 (suite) ? suite->prf : HL_HASH_SHA256;
  g_autoptr (GByteArray) msgs = g_byte_array_new ();
  g_autoptr (GByteArray) t = NULL;
  g_autoptr (GByteArray) tbs = g_byte_array_new ();
  const HlStep *cv = find_step (c, HL_SIDE_SERVER, HL_HANDSHAKE_CERTIFICATE_VERIFY);
  const guint8 *cert = NULL, *m;
  gsize certl = 0, len, sigl;
  guint8 th[HL_TLS13_MAX_HASH];
  static const char context[] = "TLS 1.3, server CertificateVerify";
  guint16 scheme;
  const char *scheme_name;
  if (!cv || !(m = content (cv, &len)) || len < 8)
    return;
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    const guint8 *d;
    gsize dl;
    if (st == cv)
      break;
    if (st->content_type != 22 || !(d = content (st, &dl)))
      continue;
    g_byte_array_append (msgs, d, dl);
    if (st->from == HL_SIDE_SERVER && st->handshake_type == HL_HANDSHAKE_CERTIFICATE
        && !leaf_certificate (d, dl, TRUE, &cert, &certl))
      return;
  }
  if (!cert)
    return;
  out->has_signature = TRUE;
  out->signature_seen = FALSE;
  t = hl_tls13_transcript (hash, msgs->data, msgs->len);
  hl_tls13_hash (hash, t->data, t->len, th);
  for (int i = 0; i < 64; i++)
    g_byte_array_append (tbs, (const guint8 *)" ", 1);
  g_byte_array_append (tbs, (const guint8 *)context, sizeof context); /* with its zero byte */
  g_byte_array_append (tbs, th, hl_tls13_hash_len (hash));
  scheme = m[4] << 8 | m[5];
  sigl = (gsize)m[6] << 8 | m[7];
  if (8 + sigl != len)
    return;
  scheme_name = hl_signature_scheme_name (scheme);
  out->signature_ok = verify_scheme (cert, certl, scheme, tbs->data, tbs->len, m + 8, sigl);
  out->signature = g_strdup_printf (
      out->signature_ok
          ? _ ("\u2713 The CertificateVerify's signature (%s) verifies with the public key of "
               "the server's certificate: 64 spaces, \"TLS 1.3, server CertificateVerify\", a "
               "zero byte and the transcript hash through the Certificate (RFC 8446 4.4.3). "
               "Only the lab, which holds the run, can check it: in TLS 1.3 the Certificate and "
               "the CertificateVerify travel encrypted under handshake keys that come from the "
               "(EC)DHE secret (RFC 8446 2), so the observer with the stolen key cannot even "
               "read them.")
          : _ ("\u2717 The CertificateVerify's signature (%s) does not verify with the public "
               "key of the server's certificate (RFC 8446 4.4.3)."),
      scheme_name ? scheme_name : "?");
  if (cv->fault) {
    char *more = g_strdup_printf (_ ("%s This is the signature as the server sent it; the lesson "
                                     "changed the client's copy on the way (%s)."),
                                  out->signature, cv->fault);
    g_free (out->signature);
    out->signature = more;
  }
}

/* An application data record's content, escaped onto one line. */
static void
append_data (GString *s, const HlStep *st, GBytes *b)
{
  gsize len;
  const char *d = g_bytes_get_data (b, &len);
  g_autofree char *text = g_strndup (d, len);
  g_autofree char *esc = g_strescape (text, NULL);
  g_string_append_printf (s, "%s \u2192 %s: \"%s\"%s\n", hl_side_name (st->from),
                          hl_side_name (hl_side_other (st->from)), esc,
                          strlen (text) < len ? " (and bytes after a zero byte)" : "");
}

static gboolean
is_app_data (const HlStep *st)
{
  return st->content_type == 23 && st->handshake_type < 0;
}

static void
compare_data (const HlConnection *lc, const HlConnection *oc, HlStolenConnection *out)
{
  g_autoptr (GPtrArray) sent = g_ptr_array_new ();
  GString *read = g_string_new (NULL);
  guint k = 0;
  for (guint i = 0; i < lc->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (lc->steps, i);
    if (is_app_data (st) && st->plaintext)
      g_ptr_array_add (sent, (gpointer)st);
  }
  out->n_data = sent->len;
  for (guint i = 0; oc && i < oc->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (oc->steps, i);
    const HlStep *live;
    if (!is_app_data (st) || !st->plaintext)
      continue;
    out->n_read++;
    append_data (read, st, st->plaintext);
    live = k < sent->len ? g_ptr_array_index (sent, k) : NULL;
    k++;
    if (live && live->from == st->from && g_bytes_equal (live->plaintext, st->plaintext))
      out->n_same++;
  }
  out->data = read->len ? g_string_free (read, FALSE) : (g_string_free (read, TRUE), NULL);
}

static void
explain (HlStolenConnection *o, const HlConnection *lc, HlRun *observer)
{
  const HlSuite *suite = hl_suite_by_id (lc->suite);
  HlRecordedConnection rc = { 0 };
  gboolean have = hl_run_get_recorded_connection (observer, o->connection - 1, &rc);
  const HlConnection *oc = have ? hl_run_get_connection (observer, o->connection - 1) : NULL;
  GBytes *pms = oc ? oc->secrets.value[HL_SECRET_PREMASTER] : NULL;
  GBytes *ms = oc ? oc->secrets.value[HL_SECRET_MASTER] : NULL;
  if (!lc->version || !suite) {
    o->verdict = HL_STOLEN_NO_EXCHANGE;
    o->explanation = g_strdup (_ ("The connection stopped before any key was agreed: there is "
                                  "nothing encrypted to open."));
    return;
  }
  if (lc->resumed) {
    o->verdict = lc->version == 0x0304 && lc->secrets.value[HL_SECRET_SHARED] == NULL
                     ? HL_STOLEN_PSK_ONLY
                     : HL_STOLEN_RESUMED;
  }
  if (oc && rc.keys_known && pms && ms && !o->tls13) {
    o->verdict = HL_STOLEN_OPENED;
    o->premaster = g_bytes_ref (pms);
    o->master = g_bytes_ref (ms);
    o->premaster_same = lc->secrets.value[HL_SECRET_PREMASTER]
                        && g_bytes_equal (pms, lc->secrets.value[HL_SECRET_PREMASTER]);
    o->explanation = g_strdup (
        suite->kex == HL_KEX_RSA
            ? _ ("RSA key exchange: the ClientKeyExchange carries the premaster "
                 "encrypted to the server's RSA key (RFC 5246 7.4.7.1). The stolen "
                 "key decrypts it, the master secret follows from it and what the "
                 "wire shows (the two randoms, RFC 5246 8.1, or with "
                 "extended_master_secret the handshake hash, RFC 7627 4), and from that "
                 "every record key. "
                 "Compromise of the server's static RSA key loses the "
                 "confidentiality of every session protected under it (RFC 5246 "
                 "F.1.1.2).")
            : _ ("Static ECDH: the server's share is the public key in its "
                 "certificate (RFC 4492 2.1), so the premaster is the X coordinate "
                 "of the stolen private key times the client's share (RFC 4492 "
                 "5.10), which the ClientKeyExchange carries in clear (RFC 4492 "
                 "5.7). Whoever holds the key computes it for every recorded "
                 "session."));
    return;
  }
  if (lc->resumed && !o->tls13) {
    o->explanation = g_strdup (
        _ ("An abbreviated handshake: it makes no new key exchange and derives its keys from the "
           "master secret of the session it resumes, with the new randoms (RFC 5246 7.3, "
           "6.3). The stolen key reaches it only if it opened that earlier session."));
    return;
  }
  if (o->verdict == HL_STOLEN_PSK_ONLY) {
    o->explanation = g_strdup (
        _ ("A TLS 1.3 resumption with psk_ke: no certificate, no signature and no (EC)DHE; its "
           "keys come from the resumption PSK of the earlier connection alone (RFC 8446 4.2.9). "
           "The server's certificate key plays no part. Forward secrecy with respect to a "
           "resumption PSK comes only with (EC)DHE (RFC 8446 E.1): whoever learns this PSK, for "
           "example by stealing the key the server seals its tickets with, reads this "
           "connection; the certificate key alone does not give it."));
    return;
  }
  if (suite->kex == HL_KEX_RSA || suite->kex == HL_KEX_ECDH_RSA
      || suite->kex == HL_KEX_ECDH_ECDSA) {
    o->verdict = HL_STOLEN_FORWARD_SECRET; /* not opened, though it should have been */
    o->explanation = g_strdup_printf (_ ("The stolen key should open this key exchange but did "
                                         "not: %s"),
                                      rc.keys_note ? rc.keys_note : _ ("no reason was given"));
    return;
  }
  if (lc->resumed) {
    o->verdict = HL_STOLEN_RESUMED;
    o->explanation = g_strdup (
        _ ("A TLS 1.3 resumption with psk_dhe_ke: no certificate and no signature; its keys "
           "come from the resumption PSK of the earlier connection and a fresh (EC)DHE exchange "
           "(RFC 8446 4.2.9, 7.1). The server's certificate key plays no part, and even the PSK "
           "would not open the records after the ServerHello without the ephemeral secrets, "
           "which were never sent (RFC 8446 E.1)."));
    return;
  }
  o->verdict = HL_STOLEN_FORWARD_SECRET;
  o->explanation = g_strdup (
      o->tls13 ? _ ("TLS 1.3: the keys come from an (EC)DHE shared secret; each side made a "
                    "fresh key share for this connection and sent only its public half "
                    "(RFC 8446 4.2.8). The private halves were never sent and are gone once the "
                    "handshake ends, and the server's certificate key only signed the handshake. "
                    "So the stolen key gives no shared secret: TLS 1.3 removed static RSA and "
                    "Diffie-Hellman, and every public-key key exchange it has is forward secret "
                    "(RFC 8446 1.2), also if the signature key is compromised after the "
                    "handshake (RFC 8446 E.1).")
               : _ ("Ephemeral ECDHE: both sides made a fresh ECDH key pair for this connection "
                    "and sent only the public halves; the premaster is computed from one "
                    "side's private half and the other's public half (RFC 8422 5.10). Those "
                    "private halves were "
                    "never sent and are gone. The server's certificate key only signed its share "
                    "(RFC 5246 F.1.1.3, RFC 8422 2): the stolen private key gives no premaster, "
                    "and yesterday's recorded traffic stays closed (forward secrecy)."));
}

HlStealReport *
hl_steal_report_new (HlRun *live, HlRun *observer)
{
  HlStealReport *r = g_new0 (HlStealReport, 1);
  const HlScenario *sc = hl_run_get_scenario (live);
  r->title = g_strdup (sc && sc->title ? sc->title : "");
  r->connections = g_array_new (FALSE, TRUE, sizeof (HlStolenConnection));
  for (guint i = 0; i < hl_run_get_n_connections (live); i++) {
    const HlConnection *lc = hl_run_get_connection (live, i);
    const HlConnection *oc
        = i < hl_run_get_n_connections (observer) ? hl_run_get_connection (observer, i) : NULL;
    HlStolenConnection o = { 0 };
    o.connection = i + 1;
    o.tls13 = lc->version == 0x0304;
    o.suite = lc->suite;
    explain (&o, lc, observer);
    for (guint k = 0; k < lc->steps->len; k++)
      if (((const HlStep *)g_ptr_array_index (lc->steps, k))->early) {
        /* RFC 8446 2.3: 0-RTT data is encrypted under keys from the PSK alone. */
        char *more = g_strconcat (o.explanation, " ",
                                  _ ("Its 0-RTT data is encrypted solely under keys derived from "
                                     "the offered PSK, so that data is not forward secret (RFC "
                                     "8446 2.3)."),
                                  NULL);
        g_free (o.explanation);
        o.explanation = more;
        break;
      }
    compare_data (lc, oc, &o);
    /* TLS 1.0-1.2: the observer's own copy; TLS 1.3: only the run can read it. */
    if (o.tls13)
      check_certificate_verify (lc, &o);
    else if (oc)
      check_server_key_exchange (oc, &o);
    g_array_append_val (r->connections, o);
  }
  return r;
}

void
hl_steal_report_free (HlStealReport *r)
{
  if (!r)
    return;
  for (guint i = 0; i < r->connections->len; i++) {
    HlStolenConnection *o = &g_array_index (r->connections, HlStolenConnection, i);
    g_clear_pointer (&o->premaster, g_bytes_unref);
    g_clear_pointer (&o->master, g_bytes_unref);
    g_free (o->data);
    g_free (o->signature);
    g_free (o->explanation);
  }
  g_array_unref (r->connections);
  g_free (r->title);
  g_free (r);
}

guint
hl_steal_report_get_n_connections (const HlStealReport *r)
{
  return r->connections->len;
}

const HlStolenConnection *
hl_steal_report_get_connection (const HlStealReport *r, guint i)
{
  return i < r->connections->len ? &g_array_index (r->connections, HlStolenConnection, i) : NULL;
}

static const char *
verdict_line (HlStolenVerdict v)
{
  switch (v) {
  case HL_STOLEN_OPENED:
    return _ ("OPENED by the stolen key");
  case HL_STOLEN_FORWARD_SECRET:
    return _ ("stays closed: forward secrecy");
  case HL_STOLEN_RESUMED:
    return _ ("stays closed: its keys come from the session it resumes");
  case HL_STOLEN_PSK_ONLY:
    return _ ("stays closed: its keys come from a resumption PSK");
  case HL_STOLEN_NO_EXCHANGE:
  default:
    return _ ("nothing to open: no key was agreed");
  }
}

char *
hl_steal_report_to_text (const HlStealReport *r, const char *capture, const char *key)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, _ ("Steal the server's key: %s\n"), r->title);
  g_string_append_printf (
      s,
      _ ("An observer recorded this lesson's traffic without its secrets (%s) and, later, "
         "stole the server's private key (%s). Each connection, read again with that key "
         "alone:\n"),
      capture, key);
  for (guint i = 0; i < r->connections->len; i++) {
    const HlStolenConnection *o = &g_array_index (r->connections, HlStolenConnection, i);
    const HlSuite *suite = hl_suite_by_id (o->suite);
    g_string_append_printf (s, "\n== %s %u: %s%s ==\n", _ ("Connection"), o->connection,
                            suite ? suite->name : "-", o->tls13 ? ", TLS 1.3" : "");
    g_string_append_printf (s, "  %s\n  %s\n", verdict_line (o->verdict), o->explanation);
    if (o->premaster) {
      g_autofree char *p = hl_hex_bytes (o->premaster);
      g_autofree char *m = hl_hex_bytes (o->master);
      g_string_append_printf (s, "  premaster_secret  %s%s\n", p,
                              o->premaster_same ? _ ("  (the run's own, \u2713)") : "");
      g_string_append_printf (s, "  master_secret     %s\n", m);
    }
    if (o->signature)
      g_string_append_printf (s, "  %s\n", o->signature);
    if (o->n_data && !o->n_read)
      g_string_append_printf (s,
                              P_ ("  Application data: the observer read none of the %u record "
                                  "the run sent.\n",
                                  "  Application data: the observer read none of the %u records "
                                  "the run sent.\n",
                                  o->n_data),
                              o->n_data);
    else if (o->n_data)
      g_string_append_printf (s,
                              _ ("  Application data: the observer read %u of the %u records "
                                 "the run sent, %u of them exactly as sent.\n"),
                              o->n_read, o->n_data, o->n_same);
    if (o->data) {
      g_auto (GStrv) lines = g_strsplit (o->data, "\n", -1);
      for (char **l = lines; *l; l++)
        if (**l)
          g_string_append_printf (s, "    %s\n", *l);
    }
  }
  return g_string_free (s, FALSE);
}
