/* hl-decode-ext.c: the extensions of hellos and of TLS 1.3 messages, field by field
 * (the rest of the decoders in hl-decode.c and hl-decode-record.c).
 */
#include "hl-decode-private.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <string.h>

/* ---------- Extensions ---------- */

/* One entry of a signature scheme list, in the hello of this version (0: unknown). */
static const char *
scheme_explanation (guint scheme, guint version)
{
  if (version && version < 0x0303)
    return _ ("Ignored: before TLS 1.2 no signature scheme is negotiated.");
  /* MD5 and SHA-224 with RSA or ECDSA, and DSA: obsolete_RESERVED in TLS 1.3 (RFC 8446
   * B.3.1.3), which its implementations must not send (Appendix B), though OpenSSL does. */
  gboolean dsa = (scheme & 0xff) == 0x02 && (scheme >> 8) >= 2 && (scheme >> 8) <= 6;
  if (((scheme >> 8) == 1 || (scheme >> 8) == 3) && ((scheme & 0xff) == 1 || (scheme & 0xff) == 3))
    return version == 0x0304
               ? _ ("A hash and signature pair of TLS 1.2 (RFC 5246 7.4.1.4.1). TLS 1.3 reserves "
                    "the code (RFC 8446 B.3.1.3) and its implementations must not send it "
                    "(Appendix B); this sender lists it anyway, and no TLS 1.3 peer may choose "
                    "it, not even for certificates.")
               : _ ("A hash and signature pair of TLS 1.2 (RFC 5246 7.4.1.4.1); TLS 1.3 reserves "
                    "the code and never uses it, not even for certificates (RFC 8446 B.3.1.3).");
  if (dsa && version == 0x0304)
    return _ ("DSA with this hash, a TLS 1.2 pair (RFC 5246 7.4.1.4.1). TLS 1.3 reserves the "
              "code (RFC 8446 B.3.1.3) and its implementations must not send it (Appendix B); "
              "this sender lists it anyway, and no TLS 1.3 peer may choose it.");
  /* rsa_pkcs1_sha1, _sha256, _sha384, _sha512 (RFC 8446 4.2.3). */
  if (version == 0x0304 && (scheme & 0xff) == 0x01 && (scheme >> 8) >= 2 && (scheme >> 8) <= 6)
    return _ ("RSASSA-PKCS1-v1_5: TLS 1.3 accepts it only for signatures inside certificates, "
              "never to sign a handshake message (RFC 8446 4.2.3); TLS 1.2 may sign with it.");
  if (version == 0x0304 && (scheme == 0x0403 || scheme == 0x0503 || scheme == 0x0603))
    return _ ("ECDSA on the one curve its name gives, with that hash (RFC 8446 4.2.3); TLS 1.2 "
              "reads the same code as ECDSA with that hash, on any curve.");
  if (dsa)
    return _ ("DSA with this hash, a TLS 1.2 pair (RFC 5246 7.4.1.4.1); TLS 1.3 reserves the "
              "code and never uses it (RFC 8446 B.3.1.3).");
  return _ ("A signature scheme this side accepts.");
}

/* The (EC)DH groups, whose shares are public values of a key agreement: NIST curves, X25519,
 * X448 and the finite-field groups (RFC 8446 4.2.7). Others (a hybrid with a KEM, GREASE)
 * are not. */
static gboolean
is_diffie_hellman (guint group)
{
  return (group >= 23 && group <= 25) || group == 29 || group == 30
         || (group >= 256 && group <= 260);
}

/* What a key_share's key_exchange bytes are, by group (RFC 8446 4.2.8.1, 4.2.8.2). */
static const char *
describe_key_exchange (guint group)
{
  if (group == 29)
    return _ ("An X25519 public key: 32 bytes, the u coordinate of secret times base point "
              "(RFC 7748 6.1).");
  if (group == 30)
    return _ ("An X448 public key: 56 bytes, the u coordinate of secret times base point (RFC "
              "7748 6.2).");
  if (group >= 23 && group <= 25)
    return _ ("An uncompressed curve point: 04, then x and y (RFC 8446 4.2.8.2).");
  if (group >= 256 && group <= 260)
    return _ ("A finite-field Diffie-Hellman public value, Y = g^x mod p, big-endian and padded "
              "with zeros on the left to the size of p (RFC 8446 4.2.8.1).");
  if ((group & 0x0f0f) == 0x0a0a && (group >> 8) == (group & 0xff))
    return _ ("A GREASE value (RFC 8701): bytes that mean nothing, sent to check that the peer "
              "ignores groups it does not know.");
  return _ ("Bytes in the form this group defines; the lab does not decode this group.");
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
      gint64 n = _hl_decode_take_uint (&b, kids, "Server name list length", 2, NULL);
      while (n > 0 && !b.bad && b.pos < b.len) {
        gint64 t = _hl_decode_take_uint (&b, kids, "Name type", 1, _ ("0: a DNS host name."));
        gint64 l = _hl_decode_take_uint (&b, kids, "Name length", 2, NULL);
        if (t < 0 || l < 0 || !_hl_decode_need (&b, l))
          break;
        {
          g_autofree char *name = g_strndup ((const char *)b.d + b.pos, l);
          _hl_decode_take (
              &b, kids, "Host name", l,
              _ ("The server the client wants (SNI): one address can host many names."), "%s",
              name);
        }
      }
    }
    return;
  case 10: /* supported_groups */
  {
    gint64 n = _hl_decode_take_uint (&b, kids, "Groups length", 2, NULL);
    while (n > 0 && b.pos + 2 <= b.len) {
      guint c = _hl_decode_peek_uint (&b, 2);
      const char *name = hl_curve_name (c);
      _hl_decode_key (&b, "group", c);
      /* TLS 1.2 also limits the server certificate's EC key by this list (RFC 8422 5.1.1,
       * 5.3); TLS 1.3 leaves that to signature_algorithms (RFC 8446 4.2.7). */
      _hl_decode_take (&b, kids, "Group", 2,
                       version >= 0x0304
                           ? _ ("A group the client can use for its (EC)DHE key share.")
                       : hl_group_is_montgomery (c)
                           ? _ ("A curve the client supports for ECDHE (a key-exchange-only "
                                "curve, RFC 8422 5.1.1).")
                           : _ ("A curve the client supports: for ECDH(E), and for the EC key "
                                "in the server's certificate (RFC 8422 5.1.1, 5.3)."),
                       "%s (%u)", name ? name : "unknown", c);
    }
  }
    return;
  case 11: /* ec_point_formats */
  {
    gint64 n = _hl_decode_take_uint (&b, kids, "Formats length", 1, NULL);
    while (n > 0 && b.pos < b.len) {
      guint f = _hl_decode_peek_uint (&b, 1);
      _hl_decode_key (&b, "point_format", f);
      _hl_decode_take (&b, kids, "Point format", 1, NULL, "%s (%u)",
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
    gint64 n = _hl_decode_take_uint (&b, kids, "Algorithms length", 2, NULL);
    while (n > 0 && b.pos + 2 <= b.len) {
      guint a = _hl_decode_peek_uint (&b, 2);
      _hl_decode_key (&b, "signature_algorithm", a);
      _hl_decode_take (&b, kids, "Signature algorithm", 2, scheme_explanation (a, version),
                       "%s (0x%04x)", hl_signature_scheme_name_in (a, version == 0x0304), a);
    }
  }
    return;
  case 16: /* ALPN */
  {
    gint64 n = _hl_decode_take_uint (&b, kids, "Protocol list length", 2, NULL);
    while (n > 0 && !b.bad && b.pos < b.len) {
      gint64 l = _hl_decode_take_uint (&b, kids, "Protocol length", 1, NULL);
      if (l < 0 || !_hl_decode_need (&b, l))
        break;
      {
        g_autofree char *p = g_strndup ((const char *)b.d + b.pos, l);
        _hl_decode_take (&b, kids, "Protocol", l,
                         from_server
                             ? _ ("The application protocol the server picked.")
                             : _ ("An application protocol the client speaks, e.g. h2 for HTTP/2."),
                         "%s", p);
      }
    }
  }
    return;
  case 1: /* max_fragment_length */
    if (b.len == 1) {
      guint v = _hl_decode_peek_uint (&b, 1);
      _hl_decode_take (&b, kids, "Maximum fragment length", 1, NULL, _ ("%u bytes (code %u)"),
                       v >= 1 && v <= 4 ? 256u << v : 0, v);
    }
    return;
  case 0xff01:
    _hl_decode_take_uint (&b, kids, "Renegotiated connection length", 1,
                          _ ("0 on a first handshake: nothing to bind to yet."));
    return;
  case 43: /* supported_versions */
    if (b.len == 2) {
      guint v = _hl_decode_peek_uint (&b, 2);
      _hl_decode_key (&b, "selected_version", v);
      _hl_decode_take (
          &b, kids, "Selected version", 2,
          _ ("The version really negotiated: ServerHello's own version field stays 0x0303 so that "
             "old middleboxes let it through."),
          "%s (0x%04x)", hl_version_long_name (v), v);
    } else {
      _hl_decode_take_uint (&b, kids, "Versions length", 1, NULL);
      while (b.pos + 2 <= b.len) {
        guint v = _hl_decode_peek_uint (&b, 2);
        _hl_decode_key (&b, "version", v);
        _hl_decode_take (&b, kids, "Version", 2, _ ("A version the client speaks, best first."),
                         "%s (0x%04x)", hl_version_long_name (v), v);
      }
    }
    return;
  case 51: /* key_share */
    if (from_server && b.len == 2) {
      guint g = _hl_decode_peek_uint (&b, 2);
      const char *name = hl_curve_name (g);
      _hl_decode_key (&b, "selected_group", g);
      _hl_decode_take (
          &b, kids, "Selected group", 2,
          _ ("HelloRetryRequest: the client sent no share the server accepts; this is the group "
             "to send one for in a second ClientHello."),
          "%s (%u)", name ? name : "unknown", g);
      return;
    }
    if (!from_server)
      _hl_decode_take_uint (&b, kids, "Client shares length", 2, NULL);
    while (b.pos + 4 <= b.len && !b.bad) {
      guint g = _hl_decode_peek_uint (&b, 2);
      guint klen = b.d[b.pos + 2] << 8 | b.d[b.pos + 3];
      const char *name = hl_curve_name (g);
      HlField *entry;
      Reader k = { 0 };
      if (b.pos + 4 + klen > b.len)
        break;
      _hl_decode_key (&b, "key_share", g);
      entry = _hl_decode_take (
          &b, kids, "Key share", 4 + klen,
          from_server && is_diffie_hellman (g)
              ? _ ("The server's public value on the group it chose. Each side applies its own "
                   "private key to the other's public value (the client to this one, the server "
                   "to the client's) and both get the same shared secret (RFC 8446 7.4); "
                   "nothing secret crosses the wire.")
          : from_server
              ? _ ("The server's share on the group it chose: from the two shares both sides "
                   "get the same shared secret, in the way the group defines.")
              : _ ("The client's public value for one group, sent before it knows "
                   "what the server picks: a right guess is what saves TLS 1.3 a round "
                   "trip, a wrong one costs a HelloRetryRequest."),
          "%s, %u bytes", name ? name : "unknown", klen);
      k.d = b.d + b.pos - 4 - klen;
      k.len = 4 + klen;
      k.pos = 0;
      k.base = entry->offset;
      k.bad = FALSE;
      _hl_decode_key (&k, "group", g);
      _hl_decode_take (&k, entry->children, "Group", 2, NULL, "%s (%u)", name ? name : "unknown",
                       g);
      _hl_decode_take_uint (&k, entry->children, "Key exchange length", 2, NULL);
      _hl_decode_take (&k, entry->children, "Key exchange", klen, describe_key_exchange (g), NULL);
    }
    return;
  case 45: /* psk_key_exchange_modes */
    _hl_decode_take_uint (&b, kids, "Modes length", 1, NULL);
    while (b.pos < b.len) {
      guint m = _hl_decode_peek_uint (&b, 1);
      _hl_decode_key (&b, "mode", m);
      _hl_decode_take (
          &b, kids, "Mode", 1,
          m == 1   ? _ ("psk_dhe_ke: resume with the PSK and still agree a fresh (EC)DHE key, so "
                          "learning the PSK later does not reveal what follows the ServerHello; "
                          "0-RTT data, keyed from the PSK alone, stays exposed (RFC 8446 2.3).")
          : m == 0 ? _ ("psk_ke: resume with the PSK alone (no forward secrecy).")
                   : _ ("A mode RFC 8446 4.2.9 does not define (a GREASE value, RFC 8701, "
                        "perhaps): a server ignores it."),
          "%s (%u)",
          m == 1   ? "psk_dhe_ke"
          : m == 0 ? "psk_ke"
                   : "unknown",
          m);
    }
    return;
  case 41: /* pre_shared_key */
    if (from_server) {
      _hl_decode_take_uint (
          &b, kids, "Selected identity", 2,
          _ ("Which offered PSK the server accepted (from 0): the session resumes."));
      return;
    }
    {
      gint64 n = _hl_decode_take_uint (&b, kids, "Identities length", 2, NULL);
      gsize end = n > 0 ? b.pos + n : b.pos;
      while (b.pos + 2 <= end && !b.bad) {
        gint64 l = _hl_decode_take_uint (&b, kids, "Identity length", 2, NULL);
        if (l < 0 || !_hl_decode_need (&b, l))
          break;
        _hl_decode_take (
            &b, kids, "Identity", l,
            _ ("The ticket from the server's NewSessionTicket, returned as it was: opaque to the "
               "client, readable only by the server."),
            NULL);
        _hl_decode_take_uint (
            &b, kids, "Obfuscated ticket age", 4,
            _ ("Milliseconds since the ticket arrived, plus its ticket_age_add: the server "
               "checks it to limit replays of early data."));
      }
      _hl_decode_take_uint (&b, kids, "Binders length", 2, NULL);
      while (b.pos + 1 <= b.len && !b.bad) {
        gint64 l = _hl_decode_take_uint (&b, kids, "Binder length", 1, NULL);
        if (l < 0 || !_hl_decode_need (&b, l))
          break;
        _hl_decode_take (
            &b, kids, "Binder", l,
            _ ("HMAC(finished key of binder_key, Hash(this ClientHello up to the binders)), "
               "after a HelloRetryRequest over the first ClientHello and the HelloRetryRequest "
               "too (RFC 8446 4.2.11.2): proves the client holds the PSK and ties it to this "
               "hello."),
            NULL);
      }
    }
    return;
  case 42: /* early_data */
    if (b.len == 4)
      _hl_decode_take_uint (
          &b, kids, "Max early data size", 4,
          _ ("How many bytes of 0-RTT data the server will accept with this ticket."));
    return;
  case 44: /* cookie */
    _hl_decode_take_uint (&b, kids, "Cookie length", 2, NULL);
    _hl_decode_take (&b, kids, "Cookie", b.len - b.pos,
                     from_server
                         ? _ ("Opaque to the client: what the server needs to carry on without "
                              "keeping state. The client must copy it unchanged into its second "
                              "ClientHello (RFC 8446 4.2.2).")
                         : _ ("The cookie from the server's HelloRetryRequest, copied byte for "
                              "byte, as RFC 8446 4.2.2 requires."),
                     NULL);
    return;
  case 28: /* record_size_limit */
    _hl_decode_take_uint (&b, kids, "Record size limit", 2,
                          _ ("The largest record this side wants to receive."));
    return;
  case 50: /* signature_algorithms_cert */
  {
    gint64 n = _hl_decode_take_uint (&b, kids, "Algorithms length", 2, NULL);
    while (n > 0 && b.pos + 2 <= b.len) {
      guint a = _hl_decode_peek_uint (&b, 2);
      _hl_decode_key (&b, "signature_algorithm", a);
      _hl_decode_take (&b, kids, "Signature algorithm", 2, _ ("A scheme accepted in certificates."),
                       "%s (0x%04x)", hl_signature_scheme_name_in (a, version == 0x0304), a);
    }
  }
    return;
  default:
    return;
  }
}

/* Whether a ClientHello's extension block lists version v in supported_versions. */
static gboolean
offers_version (const guint8 *d, gsize len, guint v)
{
  for (gsize pos = 0; pos + 4 <= len;) {
    guint type = (guint)d[pos] << 8 | d[pos + 1];
    gsize l = (gsize)d[pos + 2] << 8 | d[pos + 3];
    if (pos + 4 + l > len)
      return FALSE;
    if (type == 43 && l >= 1)
      for (gsize i = 1; i + 1 < l && i + 1 <= d[pos + 4]; i += 2)
        if (((guint)d[pos + 4 + i] << 8 | d[pos + 5 + i]) == v)
          return TRUE;
    pos += 4 + l;
  }
  return FALSE;
}

void
_hl_decode_take_extensions (Reader *r, GPtrArray *into, gboolean from_server, guint version)
{
  gboolean only13;
  gint64 total;
  HlField *list;
  Reader e;
  if (r->pos >= r->len)
    return;
  total = _hl_decode_take_uint (r, into, "Extensions length", 2,
                                _ ("How many bytes of extensions follow."));
  if (total < 0 || !_hl_decode_need (r, total))
    return;
  list = _hl_decode_take (r, into, "Extensions", total,
                          _ ("Optional features, each a type, a length and data."), "%s", "");
  e = _hl_decode_sub_reader (r, 0);
  e.d = r->d + r->pos - total;
  e.len = total;
  e.base = list->offset;
  /* A TLS 1.3 hello that leaves TLS 1.2 out cannot end in TLS 1.2 (RFC 8446 4.2.1, D.1): its
   * TLS 1.2 extensions can never apply. */
  only13 = !from_server && version == 0x0304 && !offers_version (e.d, e.len, 0x0303);
  {
    guint count = 0;
    while (e.pos + 4 <= e.len) {
      guint type = _hl_decode_peek_uint (&e, 2);
      guint len = (guint)e.d[e.pos + 2] << 8 | e.d[e.pos + 3];
      HlField *ext;
      Reader body = { 0 };
      if (e.pos + 4 + len > e.len)
        break;
      ext = hl_field_new (hl_extension_name (type), e.base + e.pos, 4 + len, NULL, NULL);
      hl_field_set_id (ext, NULL, type); /* its key: the IANA name, from the name */
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
          ex = version >= 0x0304
                   ? _ ("The groups this side supports for (EC)DHE key exchange (RFC 8446 "
                        "4.2.7).")
                   : _ ("The curves this side supports: for ECDH(E), and for the EC key in the "
                        "server's certificate (RFC 8422 5.1.1, 5.3).");
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
          ex = _ ("TLS 1.3: (EC)DHE public values, sent in the hellos themselves (in a "
                  "HelloRetryRequest, only the group the server asks for).");
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
                                "ClientKeyExchange, instead of the two randoms as the "
                                "seed (RFC 7627 3, 4).")
               : only13
                   ? _ ("Extended master secret (RFC 7627): asks that a TLS 1.2 master secret "
                        "be PRF(premaster_secret, \"extended master secret\", session_hash), "
                        "session_hash being the hash of the handshake up to and including the "
                        "ClientKeyExchange, instead of the two randoms. TLS 1.3 has no use for "
                        "it, and this hello offers only TLS 1.3 (supported_versions), so it "
                        "cannot apply here.")
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
               : only13    ? _ ("Encrypt-then-MAC (RFC 7366): asks that CBC records be MACed after "
                                   "encryption, the order that resists padding oracles. TLS 1.3 has no "
                                   "CBC, and this hello offers only TLS 1.3 (supported_versions), so it "
                                   "cannot apply here.")
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
               : len == 0 && only13
                   ? _ ("Session ticket (RFC 5077): empty, a request for a TLS 1.2 ticket; this "
                        "hello offers only TLS 1.3 (supported_versions), so none can come. TLS "
                        "1.3 tickets come another way, in NewSessionTicket after the handshake.")
               : len == 0 ? _ ("Session ticket (RFC 5077): empty, so the client asks for a "
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
        _hl_decode_key (&hdr, "extension_type", type);
        _hl_decode_take (&hdr, ext->children, "Extension type", 2, NULL, "%s", tn);
        _hl_decode_take (&hdr, ext->children, "Extension length", 2, NULL, "%u", len);
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
