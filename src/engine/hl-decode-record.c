/* hl-decode-record.c: records (plain and protected) and the small messages: alert,
 * ChangeCipherSpec, application data (handshake messages in hl-decode.c).
 */
#include "hl-decode-private.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <string.h>

GPtrArray *
hl_decode_alert (const guint8 *data, gsize len)
{
  GPtrArray *f = _hl_decode_new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  if (_hl_decode_need (&r, 1)) {
    guint lvl = data[0];
    _hl_decode_key (&r, "level", lvl);
    _hl_decode_take (
        &r, f, "Level", 1,
        _ ("1 warning, 2 fatal: a fatal alert ends the connection. TLS 1.3 decides by the "
           "description alone: there the receiver may ignore this field (RFC 8446 6)."),
        "%s (%u)",
        lvl == 1   ? "warning"
        : lvl == 2 ? "fatal"
                   : "unknown",
        lvl);
  }
  if (_hl_decode_need (&r, 1)) {
    guint d = data[1];
    _hl_decode_key (&r, "description", d);
    _hl_decode_take (&r, f, "Description", 1,
                     _ ("What the alert says: why a fatal alert ends the connection, or what a "
                        "warning reports (before TLS 1.3 a warning such as no_renegotiation "
                        "need not end it, RFC 5246 7.2)."),
                     "%s (%u)", hl_alert_name (d), d);
  }
  _hl_decode_finish_tiling (&r, f);
  return _hl_decode_finish_ids (f, "alert");
}

static GPtrArray *
decode_change_cipher_spec (const guint8 *data, gsize len, gboolean tls13)
{
  GPtrArray *f = _hl_decode_new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  _hl_decode_take_uint (
      &r, f, "Change cipher spec", 1,
      tls13 ? _ ("Always 1. In TLS 1.3 it changes nothing: it is sent only so that middleboxes "
                 "see the shape of a TLS 1.2 handshake, and the receiver drops it (RFC 8446 5, "
                 "D.4).")
            : _ ("Always 1: the records this side sends after this one are protected with the "
                 "new keys."));
  _hl_decode_finish_tiling (&r, f);
  return _hl_decode_finish_ids (f, "change_cipher_spec");
}

GPtrArray *
hl_decode_change_cipher_spec (const guint8 *data, gsize len)
{
  return decode_change_cipher_spec (data, len, FALSE);
}

GPtrArray *
hl_decode_application_data (const guint8 *data, gsize len)
{
  GPtrArray *f = _hl_decode_new_fields ();
  if (len > 0) {
    gboolean text = g_utf8_validate ((const char *)data, len, NULL);
    g_autofree char *v
        = text ? g_strndup ((const char *)data, len) : hl_field_short_hex (data, len);
    g_ptr_array_add (f, hl_field_new ("Data", 0, len, v,
                                      _ ("What the application sent: TLS carries it unchanged.")));
  }
  return _hl_decode_finish_ids (f, "application_data");
}

GPtrArray *
hl_decode_content (guint content_type, const guint8 *data, gsize len, const HlDecodeContext *ctx)
{
  switch (content_type) {
  case HL_CONTENT_HANDSHAKE:
    return hl_decode_handshake (data, len, ctx);
  case HL_CONTENT_ALERT:
    return hl_decode_alert (data, len);
  case HL_CONTENT_CHANGE_CIPHER_SPEC:
    return decode_change_cipher_spec (data, len, ctx && ctx->tls13);
  default:
    return hl_decode_application_data (data, len);
  }
}

/* A CBC ciphertext split, once decrypting told the content's length: the content, then
 * with MAC-then-encrypt its MAC (mac_len; 0 with encrypt-then-MAC, whose MAC is outside),
 * then the padding that fills the last block. */
static void
split_cbc (HlField *ct, const guint8 *c, gsize base, gsize ct_len, gsize content_len, gsize mac_len,
           guint version)
{
  gsize pad_len;
  g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL, *mac_words = NULL, *pad_words = NULL;
  const char *rfc = hl_version_rfc (version);
  if (content_len + mac_len >= ct_len)
    return;
  /* TRANSLATORS: %s is an RFC, "RFC 5246" */
  mac_words = g_strdup_printf (_ ("HMAC over the sequence number, the record's type, version "
                                  "and content length, and the content; then encrypted with the "
                                  "content (MAC-then-encrypt, %s 6.2.3.1)."),
                               rfc);
  /* TRANSLATORS: %s is an RFC, "RFC 5246" */
  pad_words = g_strdup_printf (_ ("Brings what is encrypted to a whole number of blocks: every "
                                  "padding byte and the final length byte hold the padding "
                                  "length. Up to 255 bytes are allowed; BearSSL and OpenSSL send "
                                  "the fewest (%s 6.2.3.2)."),
                               rfc);
  pad_len = ct_len - content_len - mac_len;
  v1 = hl_field_short_hex (c, content_len);
  v3 = hl_field_short_hex (c + content_len + mac_len, pad_len);
  hl_field_add (ct, hl_field_new ("Encrypted content", base, content_len, v1,
                                  _ ("The message itself, encrypted.")));
  if (mac_len) {
    v2 = hl_field_short_hex (c + content_len, mac_len);
    hl_field_add (
        ct,
        hl_field_new ("Encrypted MAC", base + content_len, mac_len, v2,
                      version == 0x0300 ? _ (
                          "SSL 3.0's MAC, not yet HMAC: hash(MAC secret + pad_2 + hash(MAC secret "
                          "+ pad_1 + sequence number + type + length + content)), then encrypted "
                          "with the content (MAC-then-encrypt, RFC 6101 5.2.3.1).")
                                        : mac_words));
  }
  hl_field_add (ct, hl_field_new ("Encrypted padding", base + content_len + mac_len, pad_len, v3,
                                  version == 0x0300 ? _ (
                                      "Brings the content and MAC to a whole number of blocks: "
                                      "shorter than one block, its bytes arbitrary but the last, "
                                      "which holds the padding length (RFC 6101 5.2.3.2).")
                                                    : pad_words));
}

/* hl_decode_encrypted_record without ids: hl_decode_records nests its fields. */
static GPtrArray *
decode_protected (const guint8 *data, gsize len, guint version, guint16 suite_id, gboolean etm,
                  gssize content_len)
{
  GPtrArray *f = _hl_decode_new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  const HlSuite *s = hl_suite_by_id (suite_id);
  gsize explicit_len = 0, tag_len = 0;
  if (s && hl_suite_is_tls13 (s)) {
    /* TLS 1.3: no explicit nonce (it is the IV XOR the sequence number); the ciphertext
     * hides the message, its real content type and any padding. */
    gsize ct_len = len >= 16 ? len - 16 : 0;
    HlField *ct = _hl_decode_take (
        &r, f, "Ciphertext", ct_len,
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
    _hl_decode_take (
        &r, f, "Authentication tag", MIN (16, len - r.pos),
        _ ("Proves the record was not changed; the record header is its additional data."), NULL);
    _hl_decode_finish_tiling (&r, f);
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
    _hl_decode_take (
        &r, f, "Explicit IV", explicit_len,
        _ ("Sent in clear: this record's own IV, where CBC starts, new for every record and "
           "unpredictable to an attacker (RFC 5246 6.2.3.2 asks for a random one; BearSSL "
           "encrypts an HMAC of the sequence number). TLS 1.1 and later take no IV from the "
           "key block."),
        NULL);
  else if (explicit_len)
    _hl_decode_take (&r, f, "Explicit nonce", explicit_len,
                     _ ("Sent in clear; with the fixed IV from the key block it makes the nonce."),
                     NULL);
  /* Encrypt-then-MAC: the MAC goes after the ciphertext, in clear (RFC 7366 3). */
  if (s && s->mac != HL_HASH_NONE && etm && hl_suite_mac_key_len (s) <= len - r.pos)
    tag_len = hl_suite_mac_key_len (s);
  if (r.pos + tag_len <= len) {
    gsize ct_start = r.pos, ct_len = len - r.pos - tag_len;
    gboolean cbc = s && s->mac != HL_HASH_NONE;
    HlField *ct = _hl_decode_take (
        &r, f, "Ciphertext", ct_len,
        cbc ? (etm ? _ ("The encrypted content and its padding; the MAC follows in clear.")
                   : _ ("The encrypted content, its MAC and padding."))
            : _ ("The encrypted content."),
        NULL);
    if (ct && cbc && content_len >= 0)
      split_cbc (ct, data + ct_start, r.base + ct_start, ct_len, (gsize)content_len,
                 etm ? 0 : hl_suite_mac_key_len (s), version);
    if (tag_len && etm)
      _hl_decode_take (
          &r, f, "MAC", tag_len,
          _ ("HMAC over the sequence number, the record's type, version and length, the IV and "
             "the ciphertext: made after encrypting and checked before decrypting, so a changed "
             "record is refused before its padding is looked at (encrypt-then-MAC, RFC 7366 "
             "3)."),
          NULL);
    else if (tag_len)
      _hl_decode_take (&r, f, "Authentication tag", tag_len,
                       _ ("Proves the record was not changed: any flipped bit makes it fail."),
                       NULL);
  }
  _hl_decode_finish_tiling (&r, f);
  return f;
}

GPtrArray *
hl_decode_encrypted_record (const guint8 *data, gsize len, guint version, guint16 suite_id,
                            gboolean etm, gssize content_len)
{
  return _hl_decode_finish_ids (decode_protected (data, len, version, suite_id, etm, content_len),
                                "protected_record");
}

GPtrArray *
hl_decode_records (const guint8 *data, gsize len, gboolean encrypted, guint version, guint16 suite,
                   gboolean etm, gssize content_len)
{
  GPtrArray *f = _hl_decode_new_fields ();
  Reader r = { data, len, 0, 0, FALSE };
  guint n = 0;
  while (r.pos + 5 <= len) {
    gsize start = r.pos, body = (gsize)data[r.pos + 3] << 8 | data[r.pos + 4];
    const char *type = hl_content_type_name (data[r.pos]);
    const char *vname = hl_version_name ((guint)data[r.pos + 1] << 8 | data[r.pos + 2]);
    g_autofree char *title = g_strdup_printf ("Record %u", ++n);
    g_autofree char *summary = NULL;
    GPtrArray *kids = _hl_decode_new_fields ();
    HlField *rec;
    if (len - start - 5 < body)
      body = len - start - 5;
    _hl_decode_key (&r, "content_type", data[start]);
    _hl_decode_take (&r, kids, "Content type", 1,
                     _ ("What the record carries: the receiver routes it by this."), "%s (%u)",
                     type ? type : "unknown", data[start]);
    _hl_decode_key (&r, "version", (guint)data[start + 1] << 8 | data[start + 2]);
    _hl_decode_take (&r, kids, "Version", 2, _ ("The record layer's version field."),
                     "%s (0x%02x%02x)", vname ? vname : "unknown", data[start + 1],
                     data[start + 2]);
    _hl_decode_take (&r, kids, "Length", 2, _ ("How many payload bytes follow this 5-byte header."),
                     "%zu", body);
    if (encrypted) {
      HlField *payload = hl_field_new ("Encrypted payload", start + 5, body, NULL,
                                       _ ("What the record layer protected: read with the "
                                          "sender's keys."));
      GPtrArray *parts
          = decode_protected (data + start + 5, body, version, suite, etm, content_len);
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
  _hl_decode_finish_tiling (&r, f);
  return _hl_decode_finish_ids (f, "records");
}
