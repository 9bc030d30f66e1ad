/* hl-tls13.h: the TLS 1.3 key schedule (RFC 8446 section 7) and record protection,
 * computed by the project itself with BearSSL's primitives.
 *
 * TLS 1.3 replaced the PRF with HKDF. Every secret comes from one chain:
 *
 *            0 (or the PSK)
 *            |
 *   0 -> HKDF-Extract = early_secret --> binder_key, client_early_traffic_secret
 *            |
 *   Derive-Secret(., "derived", "")
 *            |
 *   (EC)DHE -> HKDF-Extract = handshake_secret --> client/server handshake traffic secrets
 *            |
 *   Derive-Secret(., "derived", "")
 *            |
 *   0 -> HKDF-Extract = master_secret --> client/server application traffic secrets,
 *                                         exporter and resumption master secrets
 *
 * Each Derive-Secret hashes the handshake so far (the transcript), which is what
 * ties the keys to exactly this conversation. The library plays the protocol; this
 * file recomputes what it derived, so that the program shows secrets it has
 * checked rather than ones it was told.
 */
#pragma once

#include <glib.h>

#include "hl-tables.h"

G_BEGIN_DECLS

#define HL_TLS13_MAX_HASH 48

/* The special ServerHello.random that makes a ServerHello a HelloRetryRequest:
 * SHA-256("HelloRetryRequest"). */
extern const guint8 hl_tls13_hello_retry_random[32];

gsize hl_tls13_hash_len (HlHash hash); /* 32 for SHA-256, 48 for SHA-384 */
void hl_tls13_hash (HlHash hash, const void *data, gsize len, guint8 *out);
/* HKDF-Extract(salt, ikm); salt NULL means Hash.length zero bytes, as does ikm NULL. */
void hl_tls13_extract (HlHash hash, const guint8 *salt, const guint8 *ikm, gsize ikm_len,
                       guint8 *out);
/* HKDF-Expand-Label(secret, label, context, length): label without the "tls13 " prefix. */
void hl_tls13_expand_label (HlHash hash, const guint8 *secret, const char *label,
                            const guint8 *context, gsize context_len, guint8 *out, gsize out_len);
/* Derive-Secret(secret, label, messages) = Expand-Label(secret, label, Hash(messages), Hash.len).
 */
void hl_tls13_derive_secret (HlHash hash, const guint8 *secret, const char *label,
                             const guint8 *messages, gsize len, guint8 *out);
/* The same, given Hash(messages) already. */
void hl_tls13_derive_secret_hashed (HlHash hash, const guint8 *secret, const char *label,
                                    const guint8 *transcript_hash, guint8 *out);
/* Hash(data[0..ends[i]]) for each i, in one pass; ends ascending. */
void hl_tls13_hash_prefixes (HlHash hash, const guint8 *data, const gsize *ends, guint n,
                             guint8 (*out)[HL_TLS13_MAX_HASH]);
void hl_tls13_hmac (HlHash hash, const guint8 *key, gsize key_len, const void *data, gsize len,
                    guint8 *out);

/* Whether a handshake message (header included) is a HelloRetryRequest. */
gboolean hl_tls13_is_hello_retry (const guint8 *msg, gsize len);
/* The transcript as TLS 1.3 hashes it: after a HelloRetryRequest, the first ClientHello
 * is replaced by message_hash (fe 00 00 Hash.len, Hash(ClientHello1)). New array. */
GByteArray *hl_tls13_transcript (HlHash hash, const guint8 *msgs, gsize len);

/* A ClientHello's or ServerHello's extension of the given type (header included in msg). */
gboolean hl_hello_find_extension (const guint8 *msg, gsize len, guint16 type, const guint8 **data,
                                  gsize *dlen);

/* Record protection (RFC 8446 5.2): AEAD with key and nonce = iv XOR sequence number,
 * the 5-byte record header as additional data. */
typedef struct {
  HlCipher cipher;
  guint8 key[32];
  gsize key_len;
  guint8 iv[12];
  guint64 seq;
} HlTls13Keys;

/* key and iv from a traffic secret: Expand-Label(secret, "key" / "iv", "", length). */
void hl_tls13_keys_from_secret (const HlSuite *suite, const guint8 *secret, HlTls13Keys *keys);
/* Opens a record payload (ciphertext and tag) with the keys and their sequence number.
 * Returns the TLSInnerPlaintext (content, content type, zero padding) or NULL when
 * the tag does not match. The sequence number is not advanced. */
GBytes *hl_tls13_open (const HlTls13Keys *keys, const guint8 *payload, gsize len);
/* Seals an inner plaintext (content, type byte, padding) into a record payload. */
GBytes *hl_tls13_seal (const HlTls13Keys *keys, const guint8 *inner, gsize len);
/* Splits a TLSInnerPlaintext: the real content type (0 if none) and the content length. */
guint8 hl_tls13_inner_type (const guint8 *inner, gsize len, gsize *content_len);

G_END_DECLS
