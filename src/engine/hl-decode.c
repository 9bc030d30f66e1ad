/* hl-decode.c: TLS 1.0-1.2 messages and records, field by field (X.509 in
 * hl-decode-x509.c).
 *
 * Decoders never trust their input: a length that runs past the end stops
 * the decoding, and whatever is left is shown as one "Undecoded bytes" field,
 * so the top-level fields always tile the message exactly.
 */
#include "hl-decode.h"
#include "hl-i18n.h"
#include "hl-tls13.h"
#include "hl-tables.h"

#include <string.h>

/* A cursor over a byte range; `base` turns local positions into message offsets. */
typedef struct {
  const guint8 *d;
  gsize len, pos, base;
  gboolean bad;
} Reader;

static gboolean
need (Reader *r, gsize n)
{
  if (r->bad || r->len - r->pos < n) {
    r->bad = TRUE;
    return FALSE;
  }
  return TRUE;
}

static guint
peek_uint (Reader *r, gsize n)
{
  guint v = 0;
  for (gsize i = 0; i < n; i++)
    v = v << 8 | r->d[r->pos + i];
  return v;
}

/* Adds a field of n bytes to `into` with a printf value; NULL if the bytes are not there. */
static HlField *G_GNUC_PRINTF (6, 7) take (Reader *r, GPtrArray *into, const char *name, gsize n,
                                           const char *explanation, const char *format, ...)
{
  HlField *f;
  g_autofree char *value = NULL;
  if (!need (r, n))
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
  g_ptr_array_add (into, f);
  r->pos += n;
  return f;
}

/* A length-prefixed integer field; returns the value, or -1 if missing. */
static gint64
take_uint (Reader *r, GPtrArray *into, const char *name, gsize n, const char *explanation)
{
  guint v;
  if (!need (r, n))
    return -1;
  v = peek_uint (r, n);
  take (r, into, name, n, explanation, "%u", v);
  return v;
}

static void
finish_tiling (Reader *r, GPtrArray *into)
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

static Reader
sub_reader (Reader *r, gsize n)
{
  Reader s = { r->d + r->pos, n, 0, r->base + r->pos, FALSE };
  return s;
}

static GPtrArray *
new_fields (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)hl_field_free);
}

/* ---------- Random, version, suites ---------- */

static void
take_version (Reader *r, GPtrArray *into, const char *name, const char *explanation)
{
  guint v;
  if (!need (r, 2))
    return;
  v = peek_uint (r, 2);
  take (r, into, name, 2, explanation, "%s (0x%04x)", hl_version_long_name (v), v);
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
            : g_strdup_printf (_ ("32 bytes the %s picked; both randoms feed the key block (and, "
                                  "in a full handshake, the master secret), so every connection "
                                  "gets fresh keys."),
                               who);
  if (kind == RANDOM_HELLO_RETRY) {
    take (r, into, "Random", 32, ex, NULL);
    return;
  }
  if (!need (r, 32))
    return;
  f = take (r, into, "Random", 32, ex, "%s", "");
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
    hl_field_add (f, hl_field_new ("random_bytes", f->offset + 4, 28, rb,
                                   _ ("28 bytes from the sender's random generator.")));
    /* RFC 8446 4.1.3: a TLS 1.3 server that negotiates less says so in its random. */
    if (strcmp (who, "server") == 0 && memcmp (tail, "DOWNGRD", 7) == 0 && tail[7] <= 1)
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
  gint64 n
      = take_uint (r, into, "Session ID length", 1, _ ("How many bytes of session id follow."));
  if (n < 0)
    return;
  if (n == 0)
    return;
  take (r, into, "Session ID", n, explanation, NULL);
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
  hl_field_add (parent, hl_field_new ("Cipher suite", r->base + off, 2, name, ex));
}

/* ---------- Extensions ---------- */

/* One entry of a signature scheme list, in the hello of this version (0: unknown). */
static const char *
scheme_explanation (guint scheme, guint version)
{
  if (version && version < 0x0303)
    return _ ("Ignored: before TLS 1.2 no signature scheme is negotiated.");
  if (version == 0x0304 && (scheme & 0xff) == 0x01)
    return _ ("RSASSA-PKCS1-v1_5: TLS 1.3 accepts it only for signatures inside certificates, "
              "never to sign a handshake message (RFC 8446 4.2.3); TLS 1.2 may sign with it.");
  if (version == 0x0304 && (scheme == 0x0403 || scheme == 0x0503 || scheme == 0x0603))
    return _ ("ECDSA on the one curve its name gives, with that hash (RFC 8446 4.2.3); TLS 1.2 "
              "reads the same code as ECDSA with that hash, on any curve.");
  if ((scheme & 0xff) == 0x02 && (scheme >> 8) >= 2 && (scheme >> 8) <= 6)
    return _ ("DSA with this hash, a TLS 1.2 pair (RFC 5246 7.4.1.4.1); TLS 1.3 reserves the "
              "code and never uses it (RFC 8446 B.3.1.3).");
  return _ ("A signature scheme this side accepts.");
}

static void
decode_extension_body (Reader *r, HlField *ext, guint type, gboolean from_server, guint version)
{
  Reader b = *r;
  GPtrArray *kids = ext->children;
  switch (type) {
  case 0: /* server_name */
    if (from_server || b.len == 0)
      return;
    {
      gint64 n = take_uint (&b, kids, "Server name list length", 2, NULL);
      while (n > 0 && !b.bad && b.pos < b.len) {
        gint64 t = take_uint (&b, kids, "Name type", 1, _ ("0: a DNS host name."));
        gint64 l = take_uint (&b, kids, "Name length", 2, NULL);
        if (t < 0 || l < 0 || !need (&b, l))
          break;
        {
          g_autofree char *name = g_strndup ((const char *)b.d + b.pos, l);
          take (&b, kids, "Host name", l,
                _ ("The server the client wants (SNI): one address can host many names."), "%s",
                name);
        }
      }
    }
    return;
  case 10: /* supported_groups */
  {
    gint64 n = take_uint (&b, kids, "Groups length", 2, NULL);
    while (n > 0 && b.pos + 2 <= b.len) {
      guint c = peek_uint (&b, 2);
      const char *name = hl_curve_name (c);
      take (&b, kids, "Group", 2, _ ("A curve the client can use for ECDH(E)."), "%s (%u)",
            name ? name : "unknown", c);
    }
  }
    return;
  case 11: /* ec_point_formats */
  {
    gint64 n = take_uint (&b, kids, "Formats length", 1, NULL);
    while (n > 0 && b.pos < b.len) {
      guint f = peek_uint (&b, 1);
      take (&b, kids, "Point format", 1, NULL, "%s (%u)",
            f == 0   ? "uncompressed"
            : f == 1 ? "ansiX962_compressed_prime"
            : f == 2 ? "ansiX962_compressed_char2"
                     : "unknown",
            f);
    }
  }
    return;
  case 13: /* signature_algorithms */
  {
    gint64 n = take_uint (&b, kids, "Algorithms length", 2, NULL);
    while (n > 0 && b.pos + 2 <= b.len) {
      guint a = peek_uint (&b, 2);
      take (&b, kids, "Signature algorithm", 2, scheme_explanation (a, version), "%s (0x%04x)",
            hl_signature_scheme_name_in (a, version == 0x0304), a);
    }
  }
    return;
  case 16: /* ALPN */
  {
    gint64 n = take_uint (&b, kids, "Protocol list length", 2, NULL);
    while (n > 0 && !b.bad && b.pos < b.len) {
      gint64 l = take_uint (&b, kids, "Protocol length", 1, NULL);
      if (l < 0 || !need (&b, l))
        break;
      {
        g_autofree char *p = g_strndup ((const char *)b.d + b.pos, l);
        take (&b, kids, "Protocol", l,
              from_server ? _ ("The application protocol the server picked.")
                          : _ ("An application protocol the client speaks, e.g. h2 for HTTP/2."),
              "%s", p);
      }
    }
  }
    return;
  case 1: /* max_fragment_length */
    if (b.len == 1) {
      guint v = peek_uint (&b, 1);
      take (&b, kids, "Maximum fragment length", 1, NULL, _ ("%u bytes (code %u)"),
            v >= 1 && v <= 4 ? 256u << v : 0, v);
    }
    return;
  case 0xff01:
    take_uint (&b, kids, "Renegotiated connection length", 1,
               _ ("0 on a first handshake: nothing to bind to yet."));
    return;
  case 43: /* supported_versions */
    if (b.len == 2) {
      guint v = peek_uint (&b, 2);
      take (
          &b, kids, "Selected version", 2,
          _ ("The version really negotiated: ServerHello's own version field stays 0x0303 so that "
             "old middleboxes let it through."),
          "%s (0x%04x)", hl_version_long_name (v), v);
    } else {
      take_uint (&b, kids, "Versions length", 1, NULL);
      while (b.pos + 2 <= b.len) {
        guint v = peek_uint (&b, 2);
        take (&b, kids, "Version", 2, _ ("A version the client speaks, best first."), "%s (0x%04x)",
              hl_version_long_name (v), v);
      }
    }
    return;
  case 51: /* key_share */
    if (from_server && b.len == 2) {
      guint g = peek_uint (&b, 2);
      const char *name = hl_curve_name (g);
      take (&b, kids, "Selected group", 2,
            _ ("HelloRetryRequest: the client sent no share the server accepts; this is the group "
               "to send one for in a second ClientHello."),
            "%s (%u)", name ? name : "unknown", g);
      return;
    }
    if (!from_server)
      take_uint (&b, kids, "Client shares length", 2, NULL);
    while (b.pos + 4 <= b.len && !b.bad) {
      guint g = peek_uint (&b, 2);
      guint klen = b.d[b.pos + 2] << 8 | b.d[b.pos + 3];
      const char *name = hl_curve_name (g);
      HlField *entry;
      Reader k;
      if (b.pos + 4 + klen > b.len)
        break;
      entry
          = take (&b, kids, "Key share", 4 + klen,
                  from_server ? _ ("The server's public value on the group it chose. With the "
                                   "client's, each side computes the same shared secret; nothing "
                                   "secret crosses the wire.")
                              : _ ("The client's public value for one group, sent before it knows "
                                   "what the server picks: this guess is what saves TLS 1.3 a "
                                   "round trip."),
                  "%s, %u bytes", name ? name : "unknown", klen);
      k.d = b.d + b.pos - 4 - klen;
      k.len = 4 + klen;
      k.pos = 0;
      k.base = entry->offset;
      k.bad = FALSE;
      take (&k, entry->children, "Group", 2, NULL, "%s (%u)", name ? name : "unknown", g);
      take_uint (&k, entry->children, "Key exchange length", 2, NULL);
      take (&k, entry->children, "Key exchange", klen,
            g == 29
                ? _ ("An X25519 public key: 32 bytes, the u coordinate of secret times base point.")
                : _ ("An uncompressed curve point: 04, then x and y."),
            NULL);
    }
    return;
  case 45: /* psk_key_exchange_modes */
    take_uint (&b, kids, "Modes length", 1, NULL);
    while (b.pos < b.len) {
      guint m = peek_uint (&b, 1);
      take (&b, kids, "Mode", 1,
            m == 1 ? _ ("psk_dhe_ke: resume with the PSK and still agree a fresh (EC)DHE key, so "
                        "stealing a ticket later does not reveal this connection.")
                   : _ ("psk_ke: resume with the PSK alone (no forward secrecy)."),
            "%s (%u)",
            m == 1   ? "psk_dhe_ke"
            : m == 0 ? "psk_ke"
                     : "unknown",
            m);
    }
    return;
  case 41: /* pre_shared_key */
    if (from_server) {
      take_uint (&b, kids, "Selected identity", 2,
                 _ ("Which offered PSK the server accepted (from 0): the session resumes."));
      return;
    }
    {
      gint64 n = take_uint (&b, kids, "Identities length", 2, NULL);
      gsize end = n > 0 ? b.pos + n : b.pos;
      while (b.pos + 2 <= end && !b.bad) {
        gint64 l = take_uint (&b, kids, "Identity length", 2, NULL);
        if (l < 0 || !need (&b, l))
          break;
        take (&b, kids, "Identity", l,
              _ ("The ticket from the server's NewSessionTicket, returned as it was: opaque to the "
                 "client, readable only by the server."),
              NULL);
        take_uint (&b, kids, "Obfuscated ticket age", 4,
                   _ ("Milliseconds since the ticket arrived, plus its ticket_age_add: the server "
                      "checks it to limit replays of early data."));
      }
      take_uint (&b, kids, "Binders length", 2, NULL);
      while (b.pos + 1 <= b.len && !b.bad) {
        gint64 l = take_uint (&b, kids, "Binder length", 1, NULL);
        if (l < 0 || !need (&b, l))
          break;
        take (
            &b, kids, "Binder", l,
            _ ("HMAC(finished key of binder_key, Hash(this ClientHello up to the binders)): proves "
               "the client holds the PSK and ties it to this hello."),
            NULL);
      }
    }
    return;
  case 42: /* early_data */
    if (b.len == 4)
      take_uint (&b, kids, "Max early data size", 4,
                 _ ("How many bytes of 0-RTT data the server will accept with this ticket."));
    return;
  case 44: /* cookie */
    take_uint (&b, kids, "Cookie length", 2, NULL);
    take (&b, kids, "Cookie", b.len - b.pos,
          from_server ? _ ("Opaque to the client: what the server needs to carry on without "
                           "keeping state. The client must copy it unchanged into its second "
                           "ClientHello (RFC 8446 4.2.2).")
                      : _ ("The cookie from the server's HelloRetryRequest, copied byte for "
                           "byte, as RFC 8446 4.2.2 requires."),
          NULL);
    return;
  case 28: /* record_size_limit */
    take_uint (&b, kids, "Record size limit", 2,
               _ ("The largest record this side wants to receive."));
    return;
  case 50: /* signature_algorithms_cert */
  {
    gint64 n = take_uint (&b, kids, "Algorithms length", 2, NULL);
    while (n > 0 && b.pos + 2 <= b.len) {
      guint a = peek_uint (&b, 2);
      take (&b, kids, "Signature algorithm", 2, _ ("A scheme accepted in certificates."),
            "%s (0x%04x)", hl_signature_scheme_name_in (a, version == 0x0304), a);
    }
  }
    return;
  default:
    return;
  }
}

static void
take_extensions (Reader *r, GPtrArray *into, gboolean from_server, guint version)
{
  gint64 total;
  HlField *list;
  Reader e;
  if (r->pos >= r->len)
    return;
  total = take_uint (r, into, "Extensions length", 2, _ ("How many bytes of extensions follow."));
  if (total < 0 || !need (r, total))
    return;
  list = take (r, into, "Extensions", total,
               _ ("Optional features, each a type, a length and data."), "%s", "");
  e = sub_reader (r, 0);
  e.d = r->d + r->pos - total;
  e.len = total;
  e.base = list->offset;
  {
    guint count = 0;
    while (e.pos + 4 <= e.len) {
      guint type = peek_uint (&e, 2);
      guint len = (guint)e.d[e.pos + 2] << 8 | e.d[e.pos + 3];
      HlField *ext;
      Reader body;
      if (e.pos + 4 + len > e.len)
        break;
      ext = hl_field_new (hl_extension_name (type), e.base + e.pos, 4 + len, NULL, NULL);
      g_free (ext->value);
      ext->value = g_strdup_printf ("type %u, %u byte%s", type, len, len == 1 ? "" : "s");
      {
        const char *ex = NULL;
        switch (type) {
        case 0:
          ex = from_server ? _ ("The server saw the name the client asked for.")
                           : _ ("Server Name Indication: which site the client wants.");
          break;
        case 10:
          ex = _ ("The curves this side supports for ECDH(E).");
          break;
        case 11:
          ex = _ ("Point encodings this side can parse. RFC 8422 5.1.2 keeps only uncompressed "
                  "(0); the two compressed forms (1, 2) are deprecated, though OpenSSL still "
                  "lists them.");
          break;
        case 13:
          ex = version && version < 0x0303
                   ? _ ("Which signature schemes this side accepts. The extension means "
                        "something only from TLS 1.2 on (RFC 5246 7.4.1.4.1), which tells a "
                        "client offering only older versions not to send it. This hello offers "
                        "at most an older version: the extension has no effect, and the version "
                        "fixes how each signature is hashed.")
                   : _ ("Which signature schemes this side accepts (hash and signature; TLS 1.3 "
                        "names RSA-PSS and each ECDSA curve).");
          break;
        case 16:
          ex = _ ("ALPN: the application protocol inside TLS, settled in the handshake.");
          break;
        case 0xff01:
          ex = _ ("Secure renegotiation (RFC 5746): binds a renegotiation to the connection.");
          break;
        case 1:
          ex = _ ("Asks for smaller records, for peers with little memory.");
          break;
        case 43:
          ex = _ ("TLS 1.3: which versions the client speaks, or which one the server chose.");
          break;
        case 51:
          ex = _ ("TLS 1.3: (EC)DHE public values, sent in the hellos themselves.");
          break;
        case 45:
          ex = _ ("TLS 1.3: how the client may resume with a PSK.");
          break;
        case 41:
          ex = _ ("TLS 1.3: the resumption tickets offered (always the last extension), or the one "
                  "the server took.");
          break;
        case 42:
          ex = _ ("TLS 1.3: 0-RTT early data is offered, accepted, or allowed with this ticket.");
          break;
        case 44:
          ex = _ ("TLS 1.3: state from a HelloRetryRequest, echoed back.");
          break;
        case 47:
          ex = _ ("The CAs this side trusts, by name.");
          break;
        case 23:
          ex = from_server ? _ ("The server agrees: the master secret is PRF(premaster_secret, "
                                "\"extended master secret\", session_hash), session_hash "
                                "being the hash of the handshake up to and including the "
                                "ClientKeyExchange, instead of coming from the two randoms "
                                "(RFC 7627 4).")
               : version == 0x0304
                   ? _ ("Extended master secret (RFC 7627): asks that a TLS 1.2 master secret "
                        "be PRF(premaster_secret, \"extended master secret\", session_hash), "
                        "session_hash being the hash of the handshake up to and including the "
                        "ClientKeyExchange, instead of the two randoms: this binds the master "
                        "secret to this handshake. TLS 1.3 has no use for it: the client offers "
                        "it in case the server chooses TLS 1.2, and it applies only if the "
                        "server answers with it.")
                   : _ ("Extended master secret (RFC 7627): asks that the master secret be "
                        "PRF(premaster_secret, \"extended master secret\", session_hash), "
                        "session_hash being the hash of the handshake up to and including the "
                        "ClientKeyExchange, instead of the two randoms: this binds the master "
                        "secret to this handshake. It applies only if the server answers with "
                        "it.");
          break;
        case 22:
          ex = from_server ? _ ("The server agrees to encrypt-then-MAC for this CBC suite (RFC "
                                "7366).")
               : version == 0x0304
                   ? _ ("Encrypt-then-MAC (RFC 7366): asks that CBC records be MACed after "
                        "encryption, the order that resists padding oracles. TLS 1.3 has no "
                        "CBC: the client offers it in case the server chooses a TLS 1.2 CBC "
                        "suite, and it applies only if the server answers with it.")
                   : _ ("Encrypt-then-MAC (RFC 7366): asks that CBC records be MACed after "
                        "encryption, the order that resists padding oracles. It applies only "
                        "if the server answers with it and chooses a CBC suite.");
          break;
        case 35:
          ex = from_server ? _ ("The server will send a TLS 1.2 session ticket (RFC 5077).")
               : len == 0  ? _ ("Session ticket (RFC 5077): empty, so the client asks for a "
                                 "TLS 1.2 ticket to resume with later. TLS 1.3 tickets come "
                                 "another way, in NewSessionTicket after the handshake.")
                           : _ ("Session ticket (RFC 5077): the client offers a TLS 1.2 ticket "
                                 "to resume with.");
          break;
        }
        g_free (ext->explanation);
        ext->explanation = g_strdup (ex ? ex : "");
      }
      hl_field_add (list, ext);
      {
        Reader hdr = { e.d + e.pos, 4, 0, e.base + e.pos, FALSE };
        g_autofree char *tn = g_strdup_printf ("%s (%u)", hl_extension_name (type), type);
        take (&hdr, ext->children, "Extension type", 2, NULL, "%s", tn);
        take (&hdr, ext->children, "Extension length", 2, NULL, "%u", len);
      }
      body.d = e.d + e.pos + 4;
      body.len = len;
      body.pos = 0;
      body.base = e.base + e.pos + 4;
      body.bad = FALSE;
      decode_extension_body (&body, ext, type, from_server, version);
      e.pos += 4 + len;
      count++;
    }
    g_free (list->value);
    list->value = g_strdup_printf ("%u extension%s", count, count == 1 ? "" : "s");
  }
}

/* ---------- Handshake messages ---------- */

static void
decode_client_hello (Reader *r, GPtrArray *f, gboolean tls13)
{
  gint64 n;
  guint offered = need (r, 2) ? peek_uint (r, 2) : 0;
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
  n = take_uint (r, f, "Cipher suites length", 2, _ ("Bytes of suite list: two bytes per suite."));
  if (n >= 0 && need (r, n)) {
    HlField *list = take (r, f, "Cipher suites", n,
                          _ ("The suites the client can use, most preferred first."), "%u suite%s",
                          (guint)n / 2, n == 2 ? "" : "s");
    for (gsize off = r->pos - n; off + 2 <= r->pos; off += 2)
      add_suite_field (r, list, off, (guint16)(r->d[off] << 8 | r->d[off + 1]));
  }
  n = take_uint (r, f, "Compression methods length", 1, NULL);
  if (n >= 0)
    take (r, f, "Compression methods", n,
          _ ("Only null (0): TLS compression leaked secrets (CRIME) and is gone."), "%s",
          n == 1 && r->pos < r->len && r->d[r->pos] == 0 ? "null" : "");
  take_extensions (r, f, FALSE, tls13 ? 0x0304 : offered);
}

static void
decode_server_hello (Reader *r, GPtrArray *f, gboolean tls13, gboolean retry)
{
  guint chosen = need (r, 2) ? peek_uint (r, 2) : 0;
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
  if (need (r, 2)) {
    guint16 id = peek_uint (r, 2);
    g_autofree char *name = hl_describe_suite_id (id);
    take (r, f, "Cipher suite", 2,
          tls13 || retry
              ? _ ("The server's choice among the client's suites: in TLS 1.3 it fixes only the "
                   "AEAD cipher and the hash; key_share and signature_algorithms settle the rest.")
              : _ ("The server's choice among the client's suites: it fixes the key exchange, "
                   "cipher and hash."),
          "%s", name);
  }
  take_uint (r, f, "Compression method", 1, _ ("0: no compression."));
  take_extensions (r, f, TRUE, tls13 || retry ? 0x0304 : chosen);
}

/* TLS 1.3 (RFC 8446 4.4.2): a request context, then each certificate with extensions. */
static void
decode_certificate13 (Reader *r, GPtrArray *f)
{
  gint64 n = take_uint (r, f, "Request context length", 1,
                        _ ("Empty in the server's Certificate; echoes the CertificateRequest's "
                           "context in the client's."));
  guint i = 0;
  if (n > 0)
    take (r, f, "Request context", n, NULL, NULL);
  if (take_uint (r, f, "Certificates length", 3, _ ("Bytes of the whole chain.")) < 0)
    return;
  while (r->pos + 3 <= r->len && !r->bad) {
    gint64 len = take_uint (r, f, "Certificate length", 3, NULL);
    g_autofree char *name = NULL;
    if (len < 0 || !need (r, len))
      break;
    i++;
    name = g_strdup_printf ("Certificate %u%s", i, i == 1 ? " (leaf)" : "");
    g_ptr_array_add (f, hl_decode_certificate (r->d + r->pos, len, r->base + r->pos, name));
    r->pos += len;
    /* New in TLS 1.3: each certificate carries extensions (OCSP status, SCTs). */
    take_extensions (r, f, TRUE, 0x0304);
  }
}

static void
decode_certificate_verify13 (Reader *r, GPtrArray *f, gboolean from_server)
{
  gint64 n;
  if (need (r, 2)) {
    guint a = peek_uint (r, 2);
    take (r, f, "Signature algorithm", 2,
          _ ("The scheme signed with; TLS 1.3 allows RSA only as RSA-PSS here."), "%s (0x%04x)",
          hl_signature_scheme_name_in (a, TRUE), a);
  }
  n = take_uint (r, f, "Signature length", 2, NULL);
  if (n >= 0)
    take (
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
  take_uint (r, f, "Ticket lifetime", 4, _ ("Seconds the client may use this ticket to resume."));
  take_uint (r, f, "Ticket age add", 4,
             _ ("A random number the client adds to the ticket's age when it resumes, so that an "
                "observer cannot link the two connections by the age."));
  n = take_uint (r, f, "Ticket nonce length", 1, NULL);
  if (n >= 0)
    take (r, f, "Ticket nonce", n,
          _ ("Makes each ticket's PSK different: PSK = HKDF-Expand-Label(resumption_master_secret, "
             "\"resumption\", nonce, Hash.length)."),
          NULL);
  n = take_uint (r, f, "Ticket length", 2, NULL);
  if (n >= 0)
    take (r, f, "Ticket", n,
          _ ("Opaque to the client, which returns it in pre_shared_key: either the server's own "
             "encrypted record of the session (stateless), or only a name for the session in the "
             "server's cache (OpenSSL's single-use tickets when it accepts 0-RTT, so that a "
             "ticket, and its early data, cannot be used twice)."),
          NULL);
  take_extensions (r, f, TRUE, 0x0304);
}

static void
decode_certificate_request13 (Reader *r, GPtrArray *f)
{
  gint64 n = take_uint (r, f, "Request context length", 1, NULL);
  if (n > 0)
    take (r, f, "Request context", n, NULL, NULL);
  take_extensions (r, f, TRUE, 0x0304);
}

static void
decode_certificate_msg (Reader *r, GPtrArray *f)
{
  gint64 total = take_uint (r, f, "Certificates length", 3, _ ("Bytes of the whole chain."));
  guint i = 0;
  if (total < 0)
    return;
  while (r->pos + 3 <= r->len && !r->bad) {
    gint64 len = take_uint (r, f, "Certificate length", 3, NULL);
    g_autofree char *name = NULL;
    HlField *cert;
    if (len < 0 || !need (r, len))
      break;
    i++;
    name = g_strdup_printf ("Certificate %u%s", i, i == 1 ? " (leaf)" : "");
    cert = hl_decode_certificate (r->d + r->pos, len, r->base + r->pos, name);
    g_ptr_array_add (f, cert);
    r->pos += len;
  }
}

static void
take_signature (Reader *r, GPtrArray *f, guint version, const char *explanation)
{
  gint64 n;
  if (version >= 0x0303 && need (r, 2)) {
    guint a = peek_uint (r, 2);
    take (r, f, "Signature algorithm", 2, _ ("TLS 1.2 names the hash and signature used."),
          "%s (0x%04x)", hl_signature_scheme_name (a), a);
  }
  n = take_uint (r, f, "Signature length", 2, NULL);
  if (n >= 0)
    take (r, f, "Signature", n, explanation, NULL);
}

static void
decode_server_key_exchange (Reader *r, GPtrArray *f, guint version)
{
  gint64 n;
  guint curve = 0;
  if (need (r, 1)) {
    guint t = peek_uint (r, 1);
    take (r, f, "Curve type", 1, _ ("3: a named curve follows."), "%s (%u)",
          t == 3 ? "named_curve" : "other", t);
  }
  if (need (r, 2)) {
    guint c = peek_uint (r, 2);
    const char *name = hl_curve_name (c);
    curve = c;
    take (r, f, "Named curve", 2, _ ("The curve the server chose from the client's list."),
          "%s (%u)", name ? name : "unknown", c);
  }
  n = take_uint (r, f, "Public key length", 1, NULL);
  if (n >= 0)
    take (r, f, "Public key", n,
          hl_group_is_montgomery (curve)
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
  gint64 n = take_uint (r, f, "Certificate types length", 1, NULL);
  if (n >= 0 && need (r, n)) {
    HlField *types = take (r, f, "Certificate types", n,
                           _ ("Key types the server accepts for the client certificate."),
                           "%u types", (guint)n);
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
    n = take_uint (r, f, "Signature algorithms length", 2, NULL);
    if (n >= 0 && need (r, n)) {
      HlField *algs
          = take (r, f, "Signature algorithms", n,
                  _ ("The signature schemes the server can verify: the client signs its "
                     "CertificateVerify with one of them, and its certificates must be signed "
                     "with them too (RFC 5246 7.4.4, 7.4.6)."),
                  "%u", (guint)n / 2);
      for (gsize off = r->pos - n; off + 2 <= r->pos; off += 2) {
        guint a = r->d[off] << 8 | r->d[off + 1];
        g_autofree char *v = g_strdup_printf ("%s (0x%04x)", hl_signature_scheme_name (a), a);
        hl_field_add (algs, hl_field_new ("Signature algorithm", r->base + off, 2, v, NULL));
      }
    }
  }
  n = take_uint (r, f, "Distinguished names length", 2, NULL);
  if (n >= 0 && need (r, n)) {
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
    names
        = take (r, f, "Distinguished names", n,
                _ ("The CAs the server trusts, by name: the client picks a certificate from one of "
                   "them."),
                "%u name%s", count, count == 1 ? "" : "s");
    for (gsize off = start; names && off + 2 <= start + n;) {
      gsize l = (gsize)r->d[off] << 8 | r->d[off + 1];
      g_autofree char *dn = NULL;
      HlField *one;
      g_autofree char *len_text = g_strdup_printf ("%zu", l);
      if (off + 2 + l > start + n)
        break;
      dn = hl_decode_distinguished_name (r->d + off + 2, l);
      one = hl_field_add (
          names, hl_field_new ("CA name", r->base + off, 2 + l, dn ? dn : _ ("(not a name)"),
                               _ ("A CA the server accepts client certificates from.")));
      hl_field_add (one, hl_field_new ("Length", r->base + off, 2, len_text, NULL));
      hl_field_add (one, hl_field_new ("Name (DER)", r->base + off + 2, l, NULL, NULL));
      off += 2 + l;
    }
  } else if (n >= 0) {
    take (r, f, "Distinguished names", n, _ ("The CAs the server trusts, by name."), NULL);
  }
}

static void
decode_client_key_exchange (Reader *r, GPtrArray *f, const HlDecodeContext *ctx)
{
  const HlSuite *s = hl_suite_by_id (ctx->suite);
  gint64 n;
  if (s && s->kex == HL_KEX_RSA && ctx->version == 0x0300) {
    /* SSL 3.0 sends the RSA block bare; TLS 1.0 added the length before it. */
    take (r, f, "Encrypted premaster secret", r->len - r->pos,
          _ ("48 secret bytes (version + 46 random), RSA-encrypted to the server's public key, "
             "with no length before them in SSL 3.0 (RFC 6101 5.6.7.1): only the server's private "
             "key can open them. Anyone who later steals that key can decrypt recorded traffic: "
             "no forward secrecy."),
          NULL);
  } else if (s && s->kex == HL_KEX_RSA) {
    n = take_uint (r, f, "Encrypted premaster length", 2, NULL);
    if (n >= 0)
      take (r, f, "Encrypted premaster secret", n,
            _ ("48 secret bytes (version + 46 random), RSA-encrypted to the server's public key: "
               "only the server's private key can open them. Anyone who later steals that key can "
               "decrypt recorded traffic: no forward secrecy."),
            NULL);
  } else {
    gboolean fixed = s && !hl_suite_is_ecdhe (s); /* static ECDH: the certificate's key */
    gboolean montgomery = hl_group_is_montgomery (ctx->group);
    n = take_uint (r, f, "Public key length", 1, NULL);
    if (n >= 0)
      take (
          r, f, "Public key", n,
          montgomery
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

GPtrArray *
hl_decode_handshake (const guint8 *data, gsize len, const HlDecodeContext *ctx)
{
  GPtrArray *f = new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  guint type;
  gint64 blen;
  const char *name;
  if (!need (&r, 4)) {
    finish_tiling (&r, f);
    return f;
  }
  type = data[0];
  name = hl_handshake_type_name (type);
  take (&r, f, "Handshake type", 1, _ ("Which handshake message this is."), "%s (%u)",
        name ? name : "unknown", type);
  blen = take_uint (&r, f, "Length", 3, _ ("Bytes of message body that follow."));
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
      take_extensions (&b, f, TRUE, 0x0304);
      break;
    case HL_HANDSHAKE_NEW_SESSION_TICKET:
      decode_new_session_ticket (&b, f);
      break;
    case HL_HANDSHAKE_END_OF_EARLY_DATA:
      break;
    case HL_HANDSHAKE_KEY_UPDATE:
      take_uint (&b, f, "Request update", 1,
                 _ ("1: the sender asks the peer to update its keys too; 0: it does not."));
      break;
    case HL_HANDSHAKE_SERVER_KEY_EXCHANGE:
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
      decode_client_key_exchange (&b, f, ctx);
      break;
    case HL_HANDSHAKE_FINISHED:
      if (ctx->version == 0x0304) {
        take (&b, f, "Verify data", b.len,
              _ ("HMAC(finished_key, Hash(handshake messages so far)): finished_key comes from the "
                 "sender's handshake traffic secret, so this proves it saw the same handshake and "
                 "holds the same keys."),
              NULL);
        break;
      }
      if (ctx->version == 0x0300) {
        take (&b, f, "Verify data", 36,
              _ ("SSL 3.0: MD5 (16 bytes) then SHA-1 (20 bytes) of the master secret and pads "
                 "over a hash of the handshake messages, the sender (\"CLNT\" or \"SRVR\") and "
                 "the master secret (RFC 6101 5.6.9): proves this side saw the same handshake and "
                 "holds the same master secret."),
              NULL);
        break;
      }
      take (&b, f, "Verify data", 12,
            _ ("PRF(master_secret, finished_label, Hash(handshake messages))[0..12]: proves this "
               "side saw the same handshake and holds the same master secret."),
            NULL);
      break;
    default:
      break;
    }
    finish_tiling (&b, f);
    r.pos = 4 + b.len;
  }
  finish_tiling (&r, f);
  return f;
}

GPtrArray *
hl_decode_alert (const guint8 *data, gsize len)
{
  GPtrArray *f = new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  if (need (&r, 1)) {
    guint lvl = data[0];
    take (&r, f, "Level", 1, _ ("1 warning, 2 fatal: a fatal alert ends the connection."),
          "%s (%u)",
          lvl == 1   ? "warning"
          : lvl == 2 ? "fatal"
                     : "unknown",
          lvl);
  }
  if (need (&r, 1)) {
    guint d = data[1];
    take (&r, f, "Description", 1, _ ("Why the sender is closing."), "%s (%u)", hl_alert_name (d),
          d);
  }
  finish_tiling (&r, f);
  return f;
}

GPtrArray *
hl_decode_change_cipher_spec (const guint8 *data, gsize len)
{
  GPtrArray *f = new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  take_uint (&r, f, "Change cipher spec", 1,
             _ ("Always 1: records after this one are protected with the new keys."));
  finish_tiling (&r, f);
  return f;
}

GPtrArray *
hl_decode_application_data (const guint8 *data, gsize len)
{
  GPtrArray *f = new_fields ();
  if (len > 0) {
    gboolean text = g_utf8_validate ((const char *)data, len, NULL);
    g_autofree char *v
        = text ? g_strndup ((const char *)data, len) : hl_field_short_hex (data, len);
    g_ptr_array_add (f, hl_field_new ("Data", 0, len, v,
                                      _ ("What the application sent: TLS carries it unchanged.")));
  }
  return f;
}

GPtrArray *
hl_decode_encrypted_record (const guint8 *data, gsize len, guint version, guint16 suite_id,
                            gssize content_len)
{
  GPtrArray *f = new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  const HlSuite *s = hl_suite_by_id (suite_id);
  gsize explicit_len = 0, tag_len = 0;
  if (s && hl_suite_is_tls13 (s)) {
    /* TLS 1.3: no explicit nonce (it is the IV XOR the sequence number); the ciphertext
     * hides the message, its real content type and any padding. */
    gsize ct_len = len >= 16 ? len - 16 : 0;
    HlField *ct
        = take (&r, f, "Ciphertext", ct_len,
                _ ("The encrypted TLSInnerPlaintext: the message, its real content type and "
                   "padding. Outside, every record says application_data (23)."),
                NULL);
    if (ct && content_len >= 0 && (gsize)content_len < ct_len) {
      const guint8 *c = data;
      gsize pad = ct_len - content_len - 1;
      g_autofree char *v1 = hl_field_short_hex (c, content_len);
      g_autofree char *v2 = hl_field_short_hex (c + content_len, 1);
      if (content_len > 0)
        hl_field_add (ct, hl_field_new ("Encrypted message", 0, content_len, v1,
                                        _ ("The message itself, encrypted.")));
      hl_field_add (ct,
                    hl_field_new ("Encrypted inner content type", content_len, 1, v2,
                                  _ ("The real content type (22 handshake, 23 application data, "
                                     "21 alert), encrypted: an observer cannot tell a Finished "
                                     "from data.")));
      if (pad) {
        g_autofree char *v3 = hl_field_short_hex (c + content_len + 1, pad);
        hl_field_add (ct, hl_field_new ("Encrypted padding", content_len + 1, pad, v3,
                                        _ ("Zeros that hide the true length of the message.")));
      }
    }
    take (&r, f, "Authentication tag", MIN (16, len - r.pos),
          _ ("Proves the record was not changed; the record header is its additional data."), NULL);
    finish_tiling (&r, f);
    return f;
  }
  if (s) {
    switch (s->cipher) {
    case HL_CIPHER_AES_GCM:
    case HL_CIPHER_AES_CCM:
    case HL_CIPHER_AES_CCM8:
      explicit_len = 8;
      tag_len = s->cipher == HL_CIPHER_AES_CCM8 ? 8 : 16;
      break;
    case HL_CIPHER_CHACHA20_POLY1305:
      tag_len = 16;
      break;
    case HL_CIPHER_AES_CBC:
      explicit_len = version >= 0x0302 ? 16 : 0;
      break;
    case HL_CIPHER_3DES_CBC:
      explicit_len = version >= 0x0302 ? 8 : 0;
      break;
    }
  }
  if (explicit_len && (s->cipher == HL_CIPHER_AES_CBC || s->cipher == HL_CIPHER_3DES_CBC))
    take (&r, f, "Explicit IV", explicit_len,
          _ ("Sent in clear: this record's own IV, where CBC starts, new for every record and "
             "unpredictable to an attacker (RFC 5246 6.2.3.2 asks for a random one; BearSSL "
             "encrypts an HMAC of the sequence number). TLS 1.1 and later take no IV from the "
             "key block."),
          NULL);
  else if (explicit_len)
    take (&r, f, "Explicit nonce", explicit_len,
          _ ("Sent in clear; with the fixed IV from the key block it makes the nonce."), NULL);
  if (r.pos + tag_len <= len) {
    gsize ct_start = r.pos, ct_len = len - r.pos - tag_len;
    HlField *ct = take (&r, f, "Ciphertext", ct_len,
                        tag_len ? _ ("The encrypted content.")
                                : _ ("The encrypted content, its MAC and padding."),
                        NULL);
    /* CBC encrypts content || MAC || padding in place: once the content length is
     * known from decrypting, each part has its place in the ciphertext. */
    if (ct && !tag_len && s && content_len >= 0 && (gsize)content_len <= ct_len) {
      gsize mac_len = hl_suite_mac_key_len (s); /* HMAC output = hash length = key length */
      gsize base = r.base + ct_start, pad_len = ct_len - content_len - mac_len;
      const guint8 *c = data + ct_start;
      if (content_len + mac_len < ct_len) {
        g_autofree char *v1 = hl_field_short_hex (c, content_len);
        g_autofree char *v2 = hl_field_short_hex (c + content_len, mac_len);
        g_autofree char *v3 = hl_field_short_hex (c + content_len + mac_len, pad_len);
        hl_field_add (ct, hl_field_new ("Encrypted content", base, content_len, v1,
                                        _ ("The message itself, encrypted.")));
        hl_field_add (ct, hl_field_new ("Encrypted MAC", base + content_len, mac_len, v2,
                                        _ ("HMAC over sequence number, header and content, "
                                           "encrypted with it (MAC-then-encrypt).")));
        hl_field_add (ct,
                      hl_field_new ("Encrypted padding", base + content_len + mac_len, pad_len, v3,
                                    _ ("Fills the last cipher block; every padding byte and "
                                       "the final length byte hold the padding length.")));
      }
    }
    if (tag_len)
      take (&r, f, "Authentication tag", tag_len,
            _ ("Proves the record was not changed: any flipped bit makes it fail."), NULL);
  }
  finish_tiling (&r, f);
  return f;
}

GPtrArray *
hl_decode_records (const guint8 *data, gsize len, gboolean encrypted, guint version, guint16 suite,
                   gssize content_len)
{
  GPtrArray *f = new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  guint n = 0;
  while (r.pos + 5 <= len) {
    gsize start = r.pos, body = (gsize)data[r.pos + 3] << 8 | data[r.pos + 4];
    const char *type = hl_content_type_name (data[r.pos]);
    const char *vname = hl_version_name ((guint)data[r.pos + 1] << 8 | data[r.pos + 2]);
    g_autofree char *title = g_strdup_printf ("Record %u", ++n);
    g_autofree char *summary = NULL;
    GPtrArray *kids = new_fields ();
    HlField *rec;
    if (len - start - 5 < body)
      body = len - start - 5;
    take (&r, kids, "Content type", 1,
          _ ("What the record carries: the receiver routes it by this."), "%s (%u)",
          type ? type : "unknown", data[start]);
    take (&r, kids, "Version", 2, _ ("The record layer's version field."), "%s (0x%02x%02x)",
          vname ? vname : "unknown", data[start + 1], data[start + 2]);
    take (&r, kids, "Length", 2, _ ("How many payload bytes follow this 5-byte header."), "%zu",
          body);
    if (encrypted) {
      HlField *payload = hl_field_new ("Encrypted payload", start + 5, body, NULL,
                                       _ ("What the record layer protected: read with the "
                                          "sender's keys."));
      GPtrArray *parts
          = hl_decode_encrypted_record (data + start + 5, body, version, suite, content_len);
      while (parts->len > 0) {
        HlField *part = g_ptr_array_steal_index (parts, 0);
        hl_field_shift (part, start + 5);
        hl_field_add (payload, part);
      }
      g_ptr_array_unref (parts);
      g_ptr_array_add (kids, payload);
    } else {
      g_ptr_array_add (kids, hl_field_new ("Fragment", start + 5, body, NULL,
                                           _ ("The message bytes (or a part of them) in clear.")));
    }
    r.pos = start + 5 + body;
    summary
        = g_strdup_printf ("%s, %zu byte%s", type ? type : "unknown", body, body == 1 ? "" : "s");
    rec = hl_field_new (title, start, 5 + body, summary,
                        _ ("A TLS record: a 5-byte header, then the payload."));
    for (guint i = 0; i < kids->len; i++)
      hl_field_add (rec, g_ptr_array_index (kids, i));
    g_ptr_array_set_free_func (kids, NULL);
    g_ptr_array_unref (kids);
    g_ptr_array_add (f, rec);
  }
  finish_tiling (&r, f);
  return f;
}
