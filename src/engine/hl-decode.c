/* hl-decode.c: handshake messages, field by field, and the byte reader every
 * decoder uses (extensions in hl-decode-ext.c, records in hl-decode-record.c,
 * X.509 in hl-decode-x509.c).
 *
 * Decoders never trust their input: a length that runs past the end stops
 * the decoding, and whatever is left is shown as one "Undecoded bytes" field,
 * so the top-level fields always tile the message exactly.
 */
#include "hl-decode-private.h"
#include "hl-i18n.h"
#include "hl-tls13.h"
#include "hl-tables.h"

#include <string.h>

gboolean
_hl_decode_need (Reader *r, gsize n)
{
  if (r->bad || r->len - r->pos < n) {
    r->bad = TRUE;
    return FALSE;
  }
  return TRUE;
}

void
_hl_decode_key (Reader *r, const char *key, gint64 number)
{
  r->key = key;
  r->number = number;
  r->numbered = number >= 0;
}

GPtrArray *
_hl_decode_finish_ids (GPtrArray *fields, const char *prefix)
{
  hl_field_assign_ids (fields, prefix);
  return fields;
}

guint
_hl_decode_peek_uint (Reader *r, gsize n)
{
  guint v = 0;
  for (gsize i = 0; i < n; i++)
    v = v << 8 | r->d[r->pos + i];
  return v;
}

/* Adds a field of n bytes to `into` with a printf value; NULL if the bytes are not there. */
HlField *
_hl_decode_take (Reader *r, GPtrArray *into, const char *name, gsize n, const char *explanation,
                 const char *format, ...)
{
  HlField *f;
  g_autofree char *value = NULL;
  const char *key = r->key;
  gint64 number = r->numbered ? r->number : -1;
  r->key = NULL;
  r->numbered = FALSE;
  if (!_hl_decode_need (r, n))
    return NULL;
  if (format) {
    va_list args;
    va_start (args, format);
    value = g_strdup_vprintf (format, args);
    va_end (args);
  } else {
    value = hl_field_short_hex (r->d + r->pos, n);
  }
  f = hl_field_new (name, r->base + r->pos, n, value, explanation);
  hl_field_set_id (f, key, number);
  g_ptr_array_add (into, f);
  r->pos += n;
  return f;
}

/* A length-prefixed integer field; returns the value, or -1 if missing. */
gint64
_hl_decode_take_uint (Reader *r, GPtrArray *into, const char *name, gsize n,
                      const char *explanation)
{
  guint v;
  if (!_hl_decode_need (r, n))
    return -1;
  v = _hl_decode_peek_uint (r, n);
  hl_field_set_id (_hl_decode_take (r, into, name, n, explanation, "%u", v), NULL, v);
  return v;
}

void
_hl_decode_finish_tiling (Reader *r, GPtrArray *into)
{
  if (r->pos < r->len) {
    g_autofree char *v = hl_field_short_hex (r->d + r->pos, r->len - r->pos);
    g_ptr_array_add (into, hl_field_new ("Undecoded bytes", r->base + r->pos, r->len - r->pos, v,
                                         r->bad ? _ ("These bytes do not form a valid message: a "
                                                     "length points past the end, or bytes are "
                                                     "missing.")
                                                : _ ("Bytes after the last field this decoder "
                                                     "knows.")));
    r->pos = r->len;
  }
}

Reader
_hl_decode_sub_reader (Reader *r, gsize n)
{
  Reader s = { r->d + r->pos, n, 0, r->base + r->pos, FALSE };
  return s;
}

GPtrArray *
_hl_decode_new_fields (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)hl_field_free);
}

/* ---------- Random, version, suites ---------- */

static void
take_version (Reader *r, GPtrArray *into, const char *name, const char *explanation)
{
  guint v;
  if (!_hl_decode_need (r, 2))
    return;
  v = _hl_decode_peek_uint (r, 2);
  hl_field_set_id (
      _hl_decode_take (r, into, name, 2, explanation, "%s (0x%04x)", hl_version_long_name (v), v),
      "legacy_version", v);
}

/* Which hello a random is in: the explanation differs. */
typedef enum { RANDOM_CLASSIC, RANDOM_TLS13_OFFER, RANDOM_TLS13, RANDOM_HELLO_RETRY } RandomKind;

static void
take_random (Reader *r, GPtrArray *into, const char *who, RandomKind kind)
{
  HlField *f;
  g_autofree char *ex
      = kind == RANDOM_HELLO_RETRY
            ? g_strdup (_ ("Not random: SHA-256(\"HelloRetryRequest\"), the same in every "
                           "HelloRetryRequest. It is how the client tells this message from a "
                           "ServerHello, which has the same layout."))
        : kind == RANDOM_TLS13_OFFER
            ? g_strdup (_ ("32 bytes from the client's random generator (RFC 8446 4.1.2). If the "
                           "server takes TLS 1.3 they reach the keys only through the transcript "
                           "hash, which covers both hellos; if it answers with TLS 1.2, both "
                           "randoms feed the key block (and, without extended master secret, "
                           "the master secret) as in lesson 02."))
        : kind == RANDOM_TLS13
            ? g_strdup_printf (_ ("32 bytes the %s picked. In TLS 1.3 they reach the keys only "
                                  "through the transcript hash, which covers both hellos."),
                               who)
            : g_strdup_printf (_ ("32 bytes the %s picked; both randoms feed the key block and, "
                                  "in a full handshake, the master secret (with "
                                  "extended_master_secret only through the hash of the "
                                  "handshake, RFC 7627 4), so every connection gets fresh keys."),
                               who);
  if (kind == RANDOM_HELLO_RETRY) {
    _hl_decode_take (r, into, "Random", 32, ex, NULL);
    return;
  }
  if (!_hl_decode_need (r, 32))
    return;
  f = _hl_decode_take (r, into, "Random", 32, ex, "%s", "");
  g_free (f->value);
  f->value = hl_hex (r->d + r->pos - 32, 32);
  /* TLS 1.3's Random is 32 random bytes, without TLS 1.2's gmt_unix_time (RFC 8446 4.1.2). */
  if (kind != RANDOM_CLASSIC)
    return;
  {
    guint32 t = (guint32)r->d[r->pos - 32] << 24 | r->d[r->pos - 31] << 16 | r->d[r->pos - 30] << 8
                | r->d[r->pos - 29];
    g_autofree char *tv = g_strdup_printf ("%u", t);
    g_autofree char *rb = hl_hex (r->d + r->pos - 28, 28);
    const guint8 *tail = r->d + r->pos - 8;
    hl_field_add (f,
                  hl_field_new ("gmt_unix_time", f->offset, 4, tv,
                                _ ("Once the sender's clock. It has no security use and leaks the "
                                   "time, so BearSSL sends zeros (Wireshark shows a 1970 date) "
                                   "and OpenSSL random bytes.")));
    /* RFC 8446 4.1.3: a TLS 1.3 server that negotiates less says so in its random. */
    gboolean sentinel
        = strcmp (who, "server") == 0 && memcmp (tail, "DOWNGRD", 7) == 0 && tail[7] <= 1;
    hl_field_add (f, hl_field_new ("random_bytes", f->offset + 4, 28, rb,
                                   sentinel ? _ ("28 bytes: 20 from the sender's random generator, "
                                                 "then the 8-byte downgrade sentinel (RFC 8446 "
                                                 "4.1.3).")
                                            : _ ("28 bytes from the sender's random generator.")));
    if (sentinel)
      hl_field_add (
          f,
          hl_field_new ("Downgrade sentinel", f->offset + 24, 8,
                        tail[7] ? "DOWNGRD\\x01 (TLS 1.2)" : "DOWNGRD\\x00 (TLS 1.1 or older)",
                        _ ("A server that speaks TLS 1.3 but negotiated less ends its random with "
                           "these bytes: a TLS 1.3 client that sees them knows an attacker "
                           "removed 1.3 from its offer, and aborts.")));
  }
}

static void
take_session_id (Reader *r, GPtrArray *into, const char *explanation)
{
  gint64 n = _hl_decode_take_uint (r, into, "Session ID length", 1,
                                   _ ("How many bytes of session id follow."));
  if (n < 0)
    return;
  if (n == 0)
    return;
  _hl_decode_take (r, into, "Session ID", n, explanation, NULL);
}

static void
add_suite_field (Reader *r, HlField *parent, gsize off, guint16 id)
{
  g_autofree char *name = hl_describe_suite_id (id);
  const HlSuite *s = hl_suite_by_id (id);
  g_autofree char *ex = NULL;
  if (s)
    ex = g_strdup_printf (
        _ ("Key exchange %s, cipher key %u bytes, %s."), hl_kex_name (s->kex), s->key_len,
        s->mac == HL_HASH_NONE ? _ ("authenticated encryption (AEAD)") : _ ("HMAC for integrity"));
  else if (id == 0x00ff)
    ex = g_strdup (_ ("Not a suite: signals support for secure renegotiation (RFC 5746)."));
  hl_field_set_id (hl_field_add (parent, hl_field_new ("Cipher suite", r->base + off, 2, name, ex)),
                   "cipher_suite", id);
}

/* ---------- Handshake messages ---------- */

static void
decode_client_hello (Reader *r, GPtrArray *f, gboolean tls13)
{
  gint64 n;
  gboolean cbc = FALSE;
  guint offered = _hl_decode_need (r, 2) ? _hl_decode_peek_uint (r, 2) : 0;
  if (tls13) {
    take_version (r, f, "Client version",
                  _ ("legacy_version: fixed at TLS 1.2 (0x0303) by a client that offers TLS 1.3; "
                     "the versions it really offers are in supported_versions."));
    take_random (r, f, "client", RANDOM_TLS13_OFFER);
    take_session_id (r, f,
                     _ ("legacy_session_id: random bytes that make the hello look like a TLS 1.2 "
                        "resumption to middleboxes (RFC 8446 D.4). TLS 1.3 resumes with "
                        "pre_shared_key instead."));
  } else {
    take_version (r, f, "Client version",
                  _ ("The highest version the client speaks; the server picks one up to it."));
    take_random (r, f, "client", RANDOM_CLASSIC);
    take_session_id (
        r, f, _ ("An earlier session the client would like to resume; empty for a new one."));
  }
  n = _hl_decode_take_uint (r, f, "Cipher suites length", 2,
                            _ ("Bytes of suite list: two bytes per suite."));
  if (n >= 0 && _hl_decode_need (r, n)) {
    HlField *list = _hl_decode_take (r, f, "Cipher suites", n,
                                     _ ("The suites the client can use, most preferred first."),
                                     "%u suite%s", (guint)n / 2, n == 2 ? "" : "s");
    for (gsize off = r->pos - n; off + 2 <= r->pos; off += 2) {
      guint16 id = (guint16)(r->d[off] << 8 | r->d[off + 1]);
      const HlSuite *s = hl_suite_by_id (id);
      add_suite_field (r, list, off, id);
      /* A suite the lab does not know might be CBC; the two SCSVs are not suites. */
      if (s ? s->cipher == HL_CIPHER_AES_CBC || s->cipher == HL_CIPHER_3DES_CBC
            : id != 0x00ff && id != 0x5600)
        cbc = TRUE;
    }
  }
  n = _hl_decode_take_uint (r, f, "Compression methods length", 1, NULL);
  if (n >= 0)
    _hl_decode_take (r, f, "Compression methods", n,
                     _ ("Only null (0): compression leaked secrets (CRIME), RFC 7525 3.3 says to "
                        "turn it off, and TLS 1.3 removed it (RFC 8446 4.1.2)."),
                     "%s", n == 1 && r->pos < r->len && r->d[r->pos] == 0 ? "null" : "");
  _hl_decode_take_extensions (r, f, FALSE, tls13 ? 0x0304 : offered);
  if (!cbc) /* RFC 7366 3: encrypt-then-MAC is for CBC suites only */
    for (guint i = 0; i < f->len; i++) {
      HlField *list = g_ptr_array_index (f, i);
      for (guint k = 0; strcmp (list->name, "Extensions") == 0 && k < list->children->len; k++) {
        HlField *ext = g_ptr_array_index (list->children, k);
        if (strcmp (ext->name, "encrypt_then_mac") != 0)
          continue;
        g_free (ext->explanation);
        ext->explanation
            = g_strdup (_ ("Encrypt-then-MAC (RFC 7366): asks that CBC records be MACed after "
                           "encryption, the order that resists padding oracles. This hello "
                           "offers no CBC suite, so it cannot apply here."));
      }
    }
}

static void
decode_server_hello (Reader *r, GPtrArray *f, gboolean tls13, gboolean retry)
{
  guint chosen = _hl_decode_need (r, 2) ? _hl_decode_peek_uint (r, 2) : 0;
  take_version (r, f, "Server version",
                tls13 || retry ? _ ("legacy_version: always 0x0303 (TLS 1.2) in TLS 1.3, to get "
                                    "past middleboxes that know nothing newer; supported_versions "
                                    "says 1.3.")
                               : _ ("The version both sides will now speak."));
  take_random (r, f, "server", retry ? RANDOM_HELLO_RETRY : tls13 ? RANDOM_TLS13 : RANDOM_CLASSIC);
  take_session_id (r, f,
                   tls13 || retry ? _ ("legacy_session_id_echo: the client's legacy_session_id, "
                                       "returned unchanged for middleboxes; it names no session.")
                                  : _ ("Names this session so the client can resume it later."));
  if (_hl_decode_need (r, 2)) {
    guint16 id = _hl_decode_peek_uint (r, 2);
    g_autofree char *name = hl_describe_suite_id (id);
    _hl_decode_key (r, "cipher_suite", id);
    _hl_decode_take (
        r, f, "Cipher suite", 2,
        tls13 || retry
            ? _ ("The server's choice among the client's suites: in TLS 1.3 it fixes only the "
                 "AEAD cipher and the hash; key_share and signature_algorithms settle the rest.")
            : _ ("The server's choice among the client's suites: it fixes the key exchange, "
                 "cipher and hash."),
        "%s", name);
  }
  _hl_decode_take_uint (r, f, "Compression method", 1, _ ("0: no compression."));
  _hl_decode_take_extensions (r, f, TRUE, tls13 || retry ? 0x0304 : chosen);
}

/* TLS 1.3 (RFC 8446 4.4.2): a request context, then each certificate with extensions. */
static void
decode_certificate13 (Reader *r, GPtrArray *f)
{
  gint64 n = _hl_decode_take_uint (
      r, f, "Request context length", 1,
      _ ("Empty in the server's Certificate; echoes the CertificateRequest's "
         "context in the client's."));
  guint i = 0;
  if (n > 0)
    _hl_decode_take (r, f, "Request context", n, NULL, NULL);
  if (_hl_decode_take_uint (r, f, "Certificates length", 3, _ ("Bytes of the whole chain.")) < 0)
    return;
  while (r->pos + 3 <= r->len && !r->bad) {
    gint64 len = _hl_decode_take_uint (r, f, "Certificate length", 3, NULL);
    g_autofree char *name = NULL;
    if (len < 0 || !_hl_decode_need (r, len))
      break;
    i++;
    name = g_strdup_printf ("Certificate %u%s", i, i == 1 ? " (leaf)" : "");
    g_autofree char *key = g_strdup_printf ("certificate.%u", i - 1);
    g_ptr_array_add (f, hl_field_set_id (hl_decode_certificate (r->d + r->pos, len,
                                                                r->base + r->pos, name, i == 1),
                                         key, -1));
    r->pos += len;
    /* New in TLS 1.3: each certificate carries extensions (OCSP status, SCTs). */
    _hl_decode_take_extensions (r, f, TRUE, 0x0304);
  }
}

static void
decode_certificate_verify13 (Reader *r, GPtrArray *f, gboolean from_server)
{
  gint64 n;
  if (_hl_decode_need (r, 2)) {
    guint a = _hl_decode_peek_uint (r, 2);
    _hl_decode_key (r, "signature_algorithm", a);
    _hl_decode_take (r, f, "Signature algorithm", 2,
                     _ ("The scheme signed with; TLS 1.3 allows RSA only as RSA-PSS here."),
                     "%s (0x%04x)", hl_signature_scheme_name_in (a, TRUE), a);
  }
  n = _hl_decode_take_uint (r, f, "Signature length", 2, NULL);
  if (n >= 0)
    _hl_decode_take (
        r, f, "Signature", n,
        from_server
            ? _ ("Signed with the certificate's private key over 64 spaces, \"TLS 1.3, server "
                 "CertificateVerify\", a zero byte and the transcript hash up to and including the "
                 "Certificate (RFC 8446 4.4.3). "
                 "It proves the server holds the key, and replaces TLS 1.2's signed "
                 "ServerKeyExchange and RSA decryption.")
            : _ ("Signed with the client certificate's key over 64 spaces, \"TLS 1.3, client "
                 "CertificateVerify\", a zero byte and the transcript hash so far."),
        NULL);
}

static void
decode_new_session_ticket (Reader *r, GPtrArray *f)
{
  gint64 n;
  _hl_decode_take_uint (r, f, "Ticket lifetime", 4,
                        _ ("Seconds the client may use this ticket to resume."));
  _hl_decode_take_uint (
      r, f, "Ticket age add", 4,
      _ ("A random number the server picks for this ticket; the client adds it to the "
         "ticket's age when it resumes, so that an observer cannot link the two connections "
         "by the age."));
  n = _hl_decode_take_uint (r, f, "Ticket nonce length", 1, NULL);
  if (n >= 0)
    _hl_decode_take (
        r, f, "Ticket nonce", n,
        _ ("Makes each ticket's PSK different: PSK = HKDF-Expand-Label(resumption_master_secret, "
           "\"resumption\", nonce, Hash.length)."),
        NULL);
  n = _hl_decode_take_uint (r, f, "Ticket length", 2, NULL);
  if (n >= 0)
    _hl_decode_take (
        r, f, "Ticket", n,
        _ ("Opaque to the client, which returns it in pre_shared_key: either the server's own "
           "encrypted record of the session (stateless), or only a name for the session in the "
           "server's cache (OpenSSL's single-use tickets when it is set up to allow 0-RTT, even "
           "on a connection where it then declines the early data, so that a ticket, and its "
           "early data, cannot be used twice)."),
        NULL);
  _hl_decode_take_extensions (r, f, TRUE, 0x0304);
}

/* TLS 1.2's NewSessionTicket (RFC 5077 3.3): a lifetime hint and the ticket, nothing else. */
static void
decode_new_session_ticket12 (Reader *r, GPtrArray *f)
{
  gint64 n;
  _hl_decode_take_uint (r, f, "Ticket lifetime hint", 4,
                        _ ("How many seconds the server suggests keeping the ticket; 0 means no "
                           "hint is given (RFC 5077 3.3)."));
  n = _hl_decode_take_uint (r, f, "Ticket length", 2, NULL);
  if (n >= 0)
    _hl_decode_take (r, f, "Ticket", n,
                     _ ("Opaque to the client, which sends it back in the SessionTicket "
                        "extension of a later ClientHello to resume: typically the session's "
                        "state, encrypted and protected with a key only the server holds (RFC "
                        "5077 3.1, 4)."),
                     NULL);
}

static void
decode_certificate_request13 (Reader *r, GPtrArray *f)
{
  gint64 n = _hl_decode_take_uint (r, f, "Request context length", 1, NULL);
  if (n > 0)
    _hl_decode_take (r, f, "Request context", n, NULL, NULL);
  _hl_decode_take_extensions (r, f, TRUE, 0x0304);
}

static void
decode_certificate_msg (Reader *r, GPtrArray *f)
{
  gint64 total
      = _hl_decode_take_uint (r, f, "Certificates length", 3, _ ("Bytes of the whole chain."));
  guint i = 0;
  if (total < 0)
    return;
  while (r->pos + 3 <= r->len && !r->bad) {
    gint64 len = _hl_decode_take_uint (r, f, "Certificate length", 3, NULL);
    g_autofree char *name = NULL;
    HlField *cert;
    if (len < 0 || !_hl_decode_need (r, len))
      break;
    i++;
    name = g_strdup_printf ("Certificate %u%s", i, i == 1 ? " (leaf)" : "");
    g_autofree char *key = g_strdup_printf ("certificate.%u", i - 1);
    cert = hl_decode_certificate (r->d + r->pos, len, r->base + r->pos, name, i == 1);
    hl_field_set_id (cert, key, -1);
    g_ptr_array_add (f, cert);
    r->pos += len;
  }
}

static void
take_signature (Reader *r, GPtrArray *f, guint version, const char *explanation)
{
  gint64 n;
  if (version >= 0x0303 && _hl_decode_need (r, 2)) {
    guint a = _hl_decode_peek_uint (r, 2);
    _hl_decode_key (r, "signature_algorithm", a);
    _hl_decode_take (r, f, "Signature algorithm", 2,
                     _ ("TLS 1.2 names the hash and signature used."), "%s (0x%04x)",
                     hl_signature_scheme_name (a), a);
  }
  n = _hl_decode_take_uint (r, f, "Signature length", 2, NULL);
  if (n >= 0)
    _hl_decode_take (r, f, "Signature", n, explanation, NULL);
}

/* The key exchange of a suite BearSSL lacks (a capture's DHE suite, say): its layout
 * depends on the suite (finite-field DHE sends p, g and Ys, RFC 5246 7.4.3), so the bytes
 * are shown as they are rather than read as ECDH. */
static void
take_unknown_key_exchange (Reader *r, GPtrArray *f, guint16 suite)
{
  g_autofree char *name = hl_describe_suite_id (suite);
  g_autofree char *words
      = g_strdup_printf (_ ("The key exchange of %s, which the lab does not decode: its bytes as "
                            "sent (RFC 5246 7.4.3 and 7.4.7 give each key exchange's layout)."),
                         name);
  _hl_decode_take (r, f, "Key exchange", r->len - r->pos, words, NULL);
}

static void
decode_server_key_exchange (Reader *r, GPtrArray *f, guint version)
{
  gint64 n;
  guint curve = 0;
  if (_hl_decode_need (r, 1)) {
    guint t = _hl_decode_peek_uint (r, 1);
    _hl_decode_key (r, NULL, t);
    _hl_decode_take (r, f, "Curve type", 1, _ ("3: a named curve follows."), "%s (%u)",
                     t == 3 ? "named_curve" : "other", t);
  }
  if (_hl_decode_need (r, 2)) {
    guint c = _hl_decode_peek_uint (r, 2);
    const char *name = hl_curve_name (c);
    curve = c;
    _hl_decode_key (r, "named_curve", c);
    _hl_decode_take (r, f, "Named curve", 2,
                     _ ("The curve the server chose from the client's list."), "%s (%u)",
                     name ? name : "unknown", c);
  }
  n = _hl_decode_take_uint (r, f, "Public key length", 1, NULL);
  if (n >= 0)
    _hl_decode_take (
        r, f, "Public key", n,
        curve == 30
            ? _ ("The server's ephemeral public value: X448 of its secret and the base point "
                 "u = 5, a 56-byte u-coordinate (RFC 7748 5). A new one for every connection.")
        : hl_group_is_montgomery (curve)
            ? _ ("The server's ephemeral public value: X25519 of its secret and the base point "
                 "u = 9, a 32-byte u-coordinate (RFC 7748 5). A new one for every connection.")
            : _ ("The server's ephemeral public point: its secret scalar times the curve's base "
                 "point. A new one for every connection."),
        NULL);
  take_signature (r, f, version,
                  _ ("The server signs client_random, server_random and all of ServerECDHParams "
                     "(curve type, named curve and public key) with its certificate's key (RFC "
                     "8422 5.4): proof the share, and the curve, come from the certificate's "
                     "owner."));
}

static void
decode_certificate_request (Reader *r, GPtrArray *f, guint version)
{
  gint64 n = _hl_decode_take_uint (r, f, "Certificate types length", 1, NULL);
  if (n >= 0 && _hl_decode_need (r, n)) {
    HlField *types = _hl_decode_take (
        r, f, "Certificate types", n,
        _ ("Key types the server accepts for the client certificate."), "%u types", (guint)n);
    for (gsize i = 0; i < (gsize)n; i++) {
      guint t = r->d[r->pos - n + i];
      g_autofree char *v = g_strdup_printf ("%s (%u)",
                                            t == 1    ? "rsa_sign"
                                            : t == 64 ? "ecdsa_sign"
                                            : t == 65 ? "rsa_fixed_ecdh"
                                            : t == 66 ? "ecdsa_fixed_ecdh"
                                                      : "other",
                                            t);
      hl_field_add (types, hl_field_new ("Type", r->base + r->pos - n + i, 1, v, NULL));
    }
  }
  if (version >= 0x0303) {
    n = _hl_decode_take_uint (r, f, "Signature algorithms length", 2, NULL);
    if (n >= 0 && _hl_decode_need (r, n)) {
      HlField *algs = _hl_decode_take (
          r, f, "Signature algorithms", n,
          _ ("The signature schemes the server can verify: the client signs its "
             "CertificateVerify with one of them, and its certificates must be signed "
             "with them too (RFC 5246 7.4.4, 7.4.6, 7.4.8)."),
          "%u", (guint)n / 2);
      for (gsize off = r->pos - n; off + 2 <= r->pos; off += 2) {
        guint a = r->d[off] << 8 | r->d[off + 1];
        g_autofree char *v = g_strdup_printf ("%s (0x%04x)", hl_signature_scheme_name (a), a);
        hl_field_add (algs, hl_field_new ("Signature algorithm", r->base + off, 2, v, NULL));
      }
    }
  }
  n = _hl_decode_take_uint (r, f, "Distinguished names length", 2, NULL);
  if (n >= 0 && _hl_decode_need (r, n)) {
    /* Each name: a 2-byte length, then the DER of the CA's subject. */
    gsize start = r->pos;
    guint count = 0;
    HlField *names;
    for (gsize off = start; off + 2 <= start + n; count++) {
      gsize l = (gsize)r->d[off] << 8 | r->d[off + 1];
      if (off + 2 + l > start + n)
        break;
      off += 2 + l;
    }
    names = _hl_decode_take (
        r, f, "Distinguished names", n,
        _ ("The CAs the server accepts, by name (roots or intermediates): one certificate in "
           "the client's chain should be issued by one of them (RFC 5246 7.4.4, 7.4.6, 7.4.8)."),
        "%u name%s", count, count == 1 ? "" : "s");
    for (gsize off = start; names && off + 2 <= start + n;) {
      gsize l = (gsize)r->d[off] << 8 | r->d[off + 1];
      g_autofree char *dn = NULL;
      HlField *one;
      g_autofree char *len_text = g_strdup_printf ("%zu", l);
      if (off + 2 + l > start + n)
        break;
      dn = hl_decode_distinguished_name (r->d + off + 2, l);
      one = hl_field_add (names, hl_field_new ("CA name", r->base + off, 2 + l,
                                               dn ? dn : _ ("(not a name)"),
                                               _ ("A CA the server accepts: a certificate in the "
                                                  "client's chain should be issued by it.")));
      hl_field_add (one, hl_field_new ("Length", r->base + off, 2, len_text, NULL));
      hl_field_add (one, hl_field_new ("Name (DER)", r->base + off + 2, l, NULL, NULL));
      off += 2 + l;
    }
  } else if (n >= 0) {
    _hl_decode_take (r, f, "Distinguished names", n, _ ("The CAs the server trusts, by name."),
                     NULL);
  }
}

static void
decode_client_key_exchange (Reader *r, GPtrArray *f, const HlDecodeContext *ctx)
{
  const HlSuite *s = hl_suite_by_id (ctx->suite);
  gint64 n;
  if (s && s->kex == HL_KEX_RSA && ctx->version == 0x0300) {
    /* SSL 3.0 sends the RSA block bare; TLS 1.0 added the length before it. */
    _hl_decode_key (r, "encrypted_premaster", -1);
    _hl_decode_take (
        r, f, "Encrypted premaster secret", r->len - r->pos,
        _ ("48 secret bytes (version + 46 random), RSA-encrypted to the server's public key, "
           "with no length before them in SSL 3.0 (RFC 6101 5.6.7.1): only the server's private "
           "key can open them. Anyone who later steals that key can decrypt recorded traffic: "
           "no forward secrecy."),
        NULL);
  } else if (s && s->kex == HL_KEX_RSA) {
    n = _hl_decode_take_uint (r, f, "Encrypted premaster length", 2, NULL);
    _hl_decode_key (r, "encrypted_premaster", -1);
    if (n >= 0)
      _hl_decode_take (
          r, f, "Encrypted premaster secret", n,
          _ ("48 secret bytes (version + 46 random), RSA-encrypted to the server's public key: "
             "only the server's private key can open them. Anyone who later steals that key can "
             "decrypt recorded traffic: no forward secrecy."),
          NULL);
  } else {
    gboolean fixed = s && !hl_suite_is_ecdhe (s); /* static ECDH: the certificate's key */
    gboolean montgomery = hl_group_is_montgomery (ctx->group);
    n = _hl_decode_take_uint (r, f, "Public key length", 1, NULL);
    if (n >= 0)
      _hl_decode_take (
          r, f, "Public key", n,
          ctx->group == 30
              ? _ ("The client's public value: X448 of its secret and the base point, a 56-byte "
                   "u-coordinate. Each side computes X448 of its own secret and the other's "
                   "value; both get the same 56 bytes, the premaster secret, which never crosses "
                   "the wire (RFC 8422 5.10, RFC 7748 6.2).")
          : montgomery
              ? _ ("The client's public value: X25519 of its secret and the base point, a "
                   "32-byte u-coordinate. The server computes X25519 of its own secret and this "
                   "value, the client X25519 of its secret and the server's public value; both "
                   "get the same 32 bytes, the premaster secret, which never crosses the wire "
                   "(RFC 8422 5.10, RFC 7748 6.1).")
          : fixed
              ? _ ("The client's public point: its secret scalar times the base point. The server "
                   "multiplies it by its certificate's private key, the client multiplies the "
                   "certificate's public key by its own secret scalar: both get the same point, "
                   "whose x coordinate is the premaster secret, which never crosses the wire "
                   "(RFC 8422 5.10).")
              : _ ("The client's public point: its secret scalar times the base point. The server "
                   "multiplies it by its own ephemeral secret scalar, the client multiplies the "
                   "server's ServerKeyExchange point by its own: both get the same point, whose x "
                   "coordinate is the premaster secret, which never crosses the wire (RFC 8422 "
                   "5.10)."),
          NULL);
  }
}

/* "ClientHello" -> "client_hello": a message's id prefix, from its protocol name. */
static char *
make_prefix (const guint8 *data, gsize len)
{
  const char *name = len ? hl_handshake_type_name (data[0]) : NULL;
  GString *p = g_string_new (NULL);
  if (len && data[0] == HL_HANDSHAKE_SERVER_HELLO && hl_tls13_is_hello_retry (data, len))
    name = "HelloRetryRequest";
  for (const char *c = name ? name : "Handshake"; *c; c++) {
    if (g_ascii_isupper (*c) && p->len)
      g_string_append_c (p, '_');
    g_string_append_c (p, g_ascii_tolower (*c));
  }
  return g_string_free (p, FALSE);
}

GPtrArray *
hl_decode_handshake (const guint8 *data, gsize len, const HlDecodeContext *ctx)
{
  GPtrArray *f = _hl_decode_new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  guint type;
  gint64 blen;
  const char *name;
  if (!_hl_decode_need (&r, 4)) {
    _hl_decode_finish_tiling (&r, f);
    return _hl_decode_finish_ids (f, "handshake");
  }
  type = data[0];
  name = hl_handshake_type_name (type);
  _hl_decode_key (&r, "handshake_type", type);
  _hl_decode_take (&r, f, "Handshake type", 1, _ ("Which handshake message this is."), "%s (%u)",
                   name ? name : "unknown", type);
  blen = _hl_decode_take_uint (&r, f, "Length", 3, _ ("Bytes of message body that follow."));
  {
    Reader b = { data + 4, MIN ((gsize)blen, len - 4), 0, 4, FALSE };
    switch (type) {
    case HL_HANDSHAKE_CLIENT_HELLO:
    case HL_HANDSHAKE_SERVER_HELLO: {
      /* A hello with supported_versions offers (or chose) TLS 1.3: its legacy fields
       * mean something else there. */
      const guint8 *ext;
      gsize ext_len;
      gboolean sv = hl_hello_find_extension (data, len, 43, &ext, &ext_len);
      gboolean retry = hl_tls13_is_hello_retry (data, len);
      if (type == HL_HANDSHAKE_CLIENT_HELLO)
        decode_client_hello (&b, f, sv);
      else
        decode_server_hello (&b, f, (sv && ext_len == 2 && ext[0] == 3 && ext[1] == 4), retry);
      break;
    }
    case HL_HANDSHAKE_CERTIFICATE:
      if (ctx->version == 0x0304)
        decode_certificate13 (&b, f);
      else
        decode_certificate_msg (&b, f);
      break;
    case HL_HANDSHAKE_ENCRYPTED_EXTENSIONS:
      _hl_decode_take_extensions (&b, f, TRUE, 0x0304);
      break;
    case HL_HANDSHAKE_NEW_SESSION_TICKET:
      if (ctx->version == 0x0304 || ctx->tls13)
        decode_new_session_ticket (&b, f);
      else
        decode_new_session_ticket12 (&b, f);
      break;
    case HL_HANDSHAKE_END_OF_EARLY_DATA:
      break;
    case HL_HANDSHAKE_KEY_UPDATE:
      _hl_decode_take_uint (
          &b, f, "Request update", 1,
          _ ("1: the sender asks the peer to update its keys too; 0: it does not."));
      break;
    case HL_HANDSHAKE_SERVER_KEY_EXCHANGE:
      if (ctx->suite && !hl_suite_by_id (ctx->suite))
        take_unknown_key_exchange (&b, f, ctx->suite);
      else
        decode_server_key_exchange (&b, f, ctx->version);
      break;
    case HL_HANDSHAKE_CERTIFICATE_REQUEST:
      if (ctx->version == 0x0304)
        decode_certificate_request13 (&b, f);
      else
        decode_certificate_request (&b, f, ctx->version);
      break;
    case HL_HANDSHAKE_CERTIFICATE_VERIFY:
      if (ctx->version == 0x0304) {
        decode_certificate_verify13 (&b, f, ctx->from_server);
        break;
      }
      take_signature (&b, f, ctx->version,
                      _ ("The client signs the hash of all handshake messages so far with its "
                         "certificate's private key."));
      break;
    case HL_HANDSHAKE_CLIENT_KEY_EXCHANGE:
      if (ctx->suite && !hl_suite_by_id (ctx->suite))
        take_unknown_key_exchange (&b, f, ctx->suite);
      else
        decode_client_key_exchange (&b, f, ctx);
      break;
    case HL_HANDSHAKE_FINISHED:
      if (ctx->version == 0x0304) {
        _hl_decode_take (
            &b, f, "Verify data", b.len,
            _ ("HMAC(finished_key, Hash(handshake messages so far)): finished_key comes from the "
               "sender's handshake traffic secret, so this proves it saw the same handshake and "
               "holds the same keys."),
            NULL);
        break;
      }
      if (ctx->version == 0x0300) {
        _hl_decode_take (
            &b, f, "Verify data", 36,
            _ ("SSL 3.0: MD5 (16 bytes) then SHA-1 (20 bytes) of the master secret and pads "
               "over a hash of the handshake messages, the sender (\"CLNT\" or \"SRVR\") and "
               "the master secret (RFC 6101 5.6.9): proves this side saw the same handshake and "
               "holds the same master secret."),
            NULL);
        break;
      }
      _hl_decode_take (
          &b, f, "Verify data", 12,
          ctx->version && ctx->version < 0x0303
              ? _ ("PRF(master_secret, finished_label, MD5(handshake_messages) + "
                   "SHA-1(handshake_messages))[0..11] (RFC 2246 7.4.9): proves this side saw "
                   "the same handshake and holds the same master secret.")
              : _ ("PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]: proves "
                   "this side saw the same handshake and holds the same master secret."),
          NULL);
      break;
    default:
      break;
    }
    _hl_decode_finish_tiling (&b, f);
    r.pos = 4 + b.len;
  }
  _hl_decode_finish_tiling (&r, f);
  {
    g_autofree char *prefix = make_prefix (data, len);
    return _hl_decode_finish_ids (f, prefix);
  }
}
