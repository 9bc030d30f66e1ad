/* hl-ssl3.h: SSL 3.0's own key derivation, record MAC and Finished (RFC 6101), which
 * differ from TLS's PRF and HMAC. For reading SSL 3.0 captures: no library here speaks
 * SSL 3.0. Not API. */
#pragma once

#include <glib.h>

#include "hl-run.h"
#include "hl-tables.h"

G_BEGIN_DECLS

/* RFC 6101 6.1 and 6.2.2: MD5(secret + SHA-1("A" + secret + r1 + r2)) +
 * MD5(secret + SHA-1("BB" + secret + r1 + r2)) + ... up to out_len (at most 26 rounds).
 * The master secret takes (premaster, client random, server random); the key block
 * (master secret, server random, client random). */
void hl_ssl3_expand (const guint8 *secret, gsize secret_len, const guint8 r1[32],
                     const guint8 r2[32], guint8 *out, gsize out_len);

/* RFC 6101 5.6.9: MD5(master + pad_2 + MD5(handshake + sender + master + pad_1)) then the
 * same with SHA-1; sender "CLNT" or "SRVR". */
void hl_ssl3_finished (const guint8 *master, gsize master_len, const guint8 *handshake,
                       gsize handshake_len, gboolean client, guint8 out[36]);

/* One direction's records after its ChangeCipherSpec: CBC with the IV chained from the
 * key block (5.2.3.2), then SSL 3.0's keyed-hash MAC (5.2.3.1). */
typedef struct {
  HlCipher cipher; /* HL_CIPHER_AES_CBC or HL_CIPHER_3DES_CBC */
  HlHash mac;      /* HL_HASH_MD5 or HL_HASH_SHA1 */
  guint8 key[32], iv[16], mac_key[20];
  gsize key_len, block, mac_len;
  guint64 seq;
} HlSsl3In;

/* FALSE: a suite SSL 3.0 records cannot carry here (not CBC, or a MAC other than MD5 and
 * SHA-1). */
gboolean hl_ssl3_in_init (HlSsl3In *in, const HlSuite *suite, const guint8 *key, const guint8 *iv,
                          const guint8 *mac_key);
/* The record's content; NULL when its length, padding or MAC is wrong (the sequence
 * number and IV move on only when it opens). */
GBytes *hl_ssl3_open (HlSsl3In *in, guint8 content_type, const guint8 *payload, gsize len);

/* How SSL 3.0 makes a secret, where it differs from TLS 1.0-1.2's wording; NULL: the
 * same as there. */
const char *hl_ssl3_formula (HlSecretId id);

G_END_DECLS
