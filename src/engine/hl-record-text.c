/* hl-record-text.c: a step's record layer in sentences, with the run's values: each
 * record's header, what an encrypted payload is made of (its byte counts add up to the
 * record's length) and the nonce or IV it was sealed with. The Markdown transcript and
 * the PDF handout both print these lines. */
#include "hl-transcript.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <string.h>

/* Bytes as the format shows them: a code span in Markdown. */
static char *
hex_of (const guint8 *data, gsize len, gboolean md)
{
  g_autofree char *hex = hl_hex (data, len);
  return md ? g_strdup_printf ("`%s`", hex) : g_steal_pointer (&hex);
}

static char *
hex_bytes (GBytes *bytes, gboolean md)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  return hex_of (data, len, md);
}

/* Whether the parts add up to the record's length; a record changed on the way may not. */
static char *
fits (gsize sum, gsize len)
{
  return sum == len ? g_strdup (_ (", the record's length"))
                    : g_strdup_printf (_ (", but the record's length is %zu"), len);
}

/* The name of the IV a TLS 1.3 record's nonce is made from: a key in the secrets table
 * where there is one. */
static char *
tls13_iv_name (const HlStep *st)
{
  const char *side = hl_side_name (st->from);
  switch (st->key) {
  case HL_RECORD_KEY_HANDSHAKE:
    return g_strdup_printf ("%s_handshake_iv", side);
  case HL_RECORD_KEY_APPLICATION:
    if (st->key_generation == 0)
      return g_strdup_printf ("%s_application_iv", side);
    return g_strdup_printf (_ ("the IV of %s_application_traffic_secret_%u"), side,
                            st->key_generation);
  case HL_RECORD_KEY_EARLY:
    return g_strdup (_ ("the IV of client_early_traffic_secret"));
  default:
    return g_strdup (_ ("the write IV"));
  }
}

/* A ClientHello whose client_version is TLS 1.0: 0x0301 is then simply its version. */
static gboolean
offers_only_tls10 (const HlStep *st)
{
  gsize len = 0;
  const guint8 *w = st->wire ? g_bytes_get_data (st->wire, &len) : NULL;
  return w && len >= 6 && w[4] == 0x03 && w[5] == 0x01;
}

static void
header_line (GPtrArray *lines, const HlStep *st, const guint8 *h, guint n, gboolean md)
{
  guint version = (guint)h[1] << 8 | h[2];
  gsize len = (gsize)h[3] << 8 | h[4];
  const char *type = hl_content_type_name (h[0]);
  g_autofree char *hex = g_strdup_printf ("%s%02x %02x %02x %02x %02x%s", md ? "`" : "", h[0], h[1],
                                          h[2], h[3], h[4], md ? "`" : "");
  const char *why = "";
  if (st->sealed && st->seal_version == 0x0304)
    why = _ (" Every encrypted TLS 1.3 record says application_data and 0x0303 outside; the "
             "real type is inside (RFC 8446 5.2).");
  else if (version == 0x0301 && st->handshake_type == 1 && offers_only_tls10 (st))
    why = _ (" 0x0301: TLS 1.0, the highest version this client offers (its hello's "
             "client_version).");
  else if (version == 0x0301 && st->handshake_type == 1)
    why = _ (" 0x0301 on a ClientHello: the client does not know the server's version yet and "
             "uses a record version old servers accept (RFC 5246 E.1); RFC 8446 5.1 allows "
             "0x0301 only on an initial ClientHello.");
  g_ptr_array_add (lines,
                   g_strdup_printf (_ ("Record %u header %s: content type %u (%s), version "
                                       "0x%04x, length %zu.%s"),
                                    n, hex, h[0], type ? type : "unknown", version, len, why));
}

/* TLS 1.3: TLSInnerPlaintext, tag and nonce (RFC 8446 5.2, 5.3). */
static void
tls13_lines (GPtrArray *lines, const HlStep *st, const guint8 *payload, gsize len, gboolean md)
{
  gsize content = st->inner_length - 1 - st->padding, sum = st->inner_length + 16;
  gsize msg = st->plaintext ? g_bytes_get_size (st->plaintext) : content;
  g_autofree char *fit = fits (sum, len);
  const char *type = hl_content_type_name (st->inner_type);
  g_autofree char *iv_name = tls13_iv_name (st);
  g_autofree char *iv = hex_bytes (st->seal_iv, md);
  g_autofree char *nonce = hex_bytes (st->nonce, md);
  guint8 padded[12] = { 0 };
  g_autofree char *seq = NULL;
  for (int b = 0; b < 8; b++)
    padded[11 - b] = (guint8)(st->seq >> (8 * b));
  seq = hex_of (padded, 12, md);
  g_ptr_array_add (
      lines,
      g_strdup_printf (_ ("Payload: content %zu + inner content type 1 (%d, %s) + padding "
                          "%zu + tag 16 = %zu bytes%s (TLSInnerPlaintext, then the tag: "
                          "RFC 8446 5.2)."),
                       content, st->inner_type, type ? type : "unknown", st->padding, sum, fit));
  if (msg != content)
    g_ptr_array_add (lines, g_strdup_printf (_ ("This record carries more than one message: "
                                                "this one is %zu of its %zu content bytes."),
                                             msg, content));
  if (len >= 16) {
    g_autofree char *tag = hex_of (payload + len - 16, 16, md);
    g_ptr_array_add (
        lines, g_strdup_printf (_ ("Authentication tag: %s, the payload's last 16 bytes."), tag));
  }
  g_ptr_array_add (
      lines,
      g_strdup_printf (_ ("Nonce: %s %s XOR sequence number %" G_GUINT64_FORMAT
                          " (as 12 bytes %s) = %s. The sequence number counts the %s's records "
                          "under this key from 0 and is never sent (RFC 8446 5.3)."),
                       iv_name, iv, st->seq, seq, nonce, hl_side_word (st->from)));
}

/* TLS 1.0-1.2: explicit nonce or IV, ciphertext, MAC or tag (RFC 5246 6.2.3). */
static void
tls12_lines (GPtrArray *lines, const HlStep *st, const guint8 *payload, gsize len, gboolean md)
{
  const HlSuite *suite = hl_suite_by_id (st->seal_suite);
  const char *side = hl_side_name (st->from);
  gsize content = st->plaintext ? g_bytes_get_size (st->plaintext) : 0;
  if (!suite || !st->plaintext)
    return;
  switch (suite->cipher) {
  case HL_CIPHER_AES_GCM:
  case HL_CIPHER_AES_CCM:
  case HL_CIPHER_AES_CCM8: {
    gsize tag = suite->cipher == HL_CIPHER_AES_CCM8 ? 8 : 16, sum = 8 + content + tag;
    g_autofree char *fit = fits (sum, len);
    g_autofree char *salt = hex_bytes (st->seal_iv, md);
    g_autofree char *explicit = hex_of (payload, MIN (len, 8), md);
    g_autofree char *nonce = st->nonce ? hex_bytes (st->nonce, md) : g_strdup ("?");
    guint64 sent = 0;
    g_ptr_array_add (lines,
                     g_strdup_printf (_ ("Payload: explicit nonce 8 + encrypted content %zu + "
                                         "tag %zu = %zu bytes%s."),
                                      content, tag, sum, fit));
    if (len >= tag) {
      g_autofree char *t = hex_of (payload + len - tag, tag, md);
      g_ptr_array_add (lines, g_strdup_printf (_ ("Authentication tag: %s, the payload's last "
                                                  "%zu bytes."),
                                               t, tag));
    }
    g_ptr_array_add (
        lines,
        g_strdup_printf (_ ("Nonce: the implicit salt %s_write_iv %s (4 bytes from the key "
                            "block, never sent), then the explicit nonce %s (8 bytes, sent first "
                            "in the payload) = %s (%s)."),
                         side, salt, explicit, nonce,
                         suite->cipher == HL_CIPHER_AES_GCM ? "RFC 5288 3" : "RFC 6655 3"));
    for (gsize i = 0; i < 8 && i < len; i++)
      sent = sent << 8 | payload[i];
    g_ptr_array_add (
        lines,
        sent == st->seq && len >= 8
            ? g_strdup_printf (_ ("Sequence number %" G_GUINT64_FORMAT ": never sent, it is in "
                                  "the additional data; this sender uses it as the explicit "
                                  "nonce too."),
                               st->seq)
            : g_strdup_printf (_ ("Sequence number %" G_GUINT64_FORMAT ": never sent, it is in "
                                  "the additional data."),
                               st->seq));
    break;
  }
  case HL_CIPHER_CHACHA20_POLY1305: {
    gsize sum = content + 16;
    g_autofree char *fit = fits (sum, len);
    g_autofree char *iv = hex_bytes (st->seal_iv, md);
    g_autofree char *nonce = hex_bytes (st->nonce, md);
    g_ptr_array_add (lines, g_strdup_printf (_ ("Payload: encrypted content %zu + tag 16 = %zu "
                                                "bytes%s."),
                                             content, sum, fit));
    if (len >= 16) {
      g_autofree char *t = hex_of (payload + len - 16, 16, md);
      g_ptr_array_add (
          lines, g_strdup_printf (_ ("Authentication tag: %s, the payload's last 16 bytes."), t));
    }
    g_ptr_array_add (
        lines, g_strdup_printf (_ ("Nonce: %s_write_iv %s XOR sequence number %" G_GUINT64_FORMAT
                                   " = %s. The sequence number is never sent (RFC 7905 2)."),
                                side, iv, st->seq, nonce));
    break;
  }
  case HL_CIPHER_AES_CBC:
  case HL_CIPHER_3DES_CBC: {
    gsize block = suite->cipher == HL_CIPHER_AES_CBC ? 16 : 8, mac = hl_suite_mac_key_len (suite);
    gsize explicit = st->seal_iv ? 0 : block;
    gsize pad = len >= explicit + content + mac ? len - explicit - content - mac : 0;
    if (explicit) {
      g_autofree char *iv = hex_of (payload, MIN (len, block), md);
      g_ptr_array_add (lines,
                       g_strdup_printf (_ ("Payload: explicit IV %zu + encrypted (content "
                                           "%zu + MAC %zu + padding and its length byte %zu) = %zu "
                                           "bytes, "
                                           "the record's length."),
                                        explicit, content, mac, pad, len));
      g_ptr_array_add (lines,
                       g_strdup_printf (_ ("IV: %s, sent first in the payload: this record's "
                                           "own, where CBC starts (RFC 5246 6.2.3.2)."),
                                        iv));
    } else {
      g_autofree char *iv = hex_bytes (st->seal_iv, md);
      g_ptr_array_add (lines, g_strdup_printf (_ ("Payload: encrypted (content %zu + MAC %zu + "
                                                  "padding and its length byte %zu) = %zu bytes, "
                                                  "the record's length."),
                                               content, mac, pad, len));
      g_ptr_array_add (lines,
                       st->seq == 0
                           ? g_strdup_printf (_ ("IV: %s, %s_write_iv from the key block: TLS 1.0 "
                                                 "sends no IV, and this is the first record under "
                                                 "these keys (RFC 2246 6.2.3.2)."),
                                              iv, side)
                           : g_strdup_printf (_ ("IV: %s, the last cipher block of the %s's record "
                                                 "before: TLS 1.0 chains its IVs and sends none "
                                                 "(RFC 2246 6.2.3.2)."),
                                              iv, hl_side_word (st->from)));
    }
    g_ptr_array_add (lines, explicit
                                ? g_strdup_printf (_ ("Sequence number %" G_GUINT64_FORMAT
                                                      ": never sent, it is in the MAC (RFC 5246 "
                                                      "6.2.3.1)."),
                                                   st->seq)
                                : g_strdup_printf (_ ("Sequence number %" G_GUINT64_FORMAT
                                                      ": never sent, it is in the MAC (RFC 2246 "
                                                      "6.2.3.1)."),
                                                   st->seq));
    break;
  }
  }
}

char *
hl_step_describe_record_key (const HlStep *st, gboolean md)
{
  g_autofree char *key = hl_step_record_key (st);
  g_autofree char *name = key && md ? g_strdup_printf ("`%s`", key) : g_strdup (key);
  const char *side = hl_side_word (st->from);
  /* An encrypted record is never "plaintext", even when nobody can say whose keys. */
  if (st->encrypted && (!key || st->key == HL_RECORD_KEY_UNKNOWN))
    return g_strdup (_ ("keys this recording does not reveal: the record is encrypted, and no "
                        "key given opens it"));
  switch (key ? st->key : HL_RECORD_KEY_NONE) {
  case HL_RECORD_KEY_SESSION: {
    /* A CBC record is also authenticated, by the MAC key (RFC 5246 6.2.3.1); both keys
     * come from the key block (6.3). */
    const HlSuite *suite = st->sealed ? hl_suite_by_id (st->seal_suite) : NULL;
    if (suite && suite->mac != HL_HASH_NONE)
      return g_strdup_printf (md ? _ ("the %s's write keys from the key block (%s encrypts it, "
                                      "`%s_write_mac_key` authenticates it)")
                                 : _ ("the %s's write keys from the key block (%s encrypts it, "
                                      "%s_write_mac_key authenticates it)"),
                              side, name, hl_side_name (st->from));
    return g_strdup_printf (_ ("the %s's write keys from the key block (%s)"), side, name);
  }
  case HL_RECORD_KEY_EARLY:
    /* RFC 8446 7.3: key and IV expanded from the traffic secret. */
    return g_strdup_printf (_ ("the client's early traffic keys (0-RTT data and EndOfEarlyData, "
                               "RFC 8446 4.5), from %s"),
                            name);
  case HL_RECORD_KEY_HANDSHAKE:
    return g_strdup_printf (_ ("the %s's handshake traffic keys, from %s"), side, name);
  case HL_RECORD_KEY_APPLICATION:
    return st->key_generation == 0
               ? g_strdup_printf (_ ("the %s's application traffic keys, from %s"), side, name)
               : g_strdup_printf (_ ("the %s's application traffic keys of generation %u (after "
                                     "KeyUpdate, RFC 8446 7.2), from %s"),
                                  side, st->key_generation, name);
  case HL_RECORD_KEY_NONE:
  default:
    return g_strdup (_ ("nothing, it travels in plaintext"));
  }
}

char **
hl_step_record_lines (const HlStep *st, gboolean md)
{
  GPtrArray *lines = g_ptr_array_new ();
  gsize len, pos = 0;
  const guint8 *d = st->record_wire ? g_bytes_get_data (st->record_wire, &len) : NULL;
  guint n = 0;
  while (d && pos + 5 <= len) {
    gsize body = MIN ((gsize)d[pos + 3] << 8 | d[pos + 4], len - pos - 5);
    header_line (lines, st, d + pos, ++n, md);
    if (st->sealed && st->seal_version == 0x0304 && st->seal_iv && st->nonce)
      tls13_lines (lines, st, d + pos + 5, body, md);
    else if (st->sealed)
      tls12_lines (lines, st, d + pos + 5, body, md);
    pos += 5 + body;
  }
  g_ptr_array_add (lines, NULL);
  return (char **)g_ptr_array_free (lines, FALSE);
}
