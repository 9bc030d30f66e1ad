/* hl-ladder-labels.c: the words and numbers on the diagram, all from the run.
 *
 * Facts come from structure: each field's id and number (hl-field.h), each step's
 * content and handshake type, each secret's id. Display names and values are for
 * people and may be translated; nothing here matches or slices them.
 */
#include "hl-ladder-labels.h"
#include "hl-i18n.h"

#include <stdlib.h>
#include <string.h>

#include "hl-credentials.h"
#include "hl-tables.h"

char *
hl_ladder_short_hex (GBytes *value)
{
  gsize len = 0;
  const guint8 *d = value ? g_bytes_get_data (value, &len) : NULL;
  if (len <= 6)
    return hl_hex (d, len);
  return g_strdup_printf ("%02x%02x%02x\u2060\u2026\u2060%02x%02x", d[0], d[1], d[2], d[len - 2],
                          d[len - 1]);
}

/* The field "prefix.key" of a message ("client_hello" "cipher_suites"), or NULL. */
static const HlField *
find_in (const GPtrArray *fields, const char *prefix, const char *key)
{
  g_autofree char *id = g_strdup_printf ("%s.%s", prefix, key);
  return hl_field_find (fields, id);
}

/* Extension `ext` (its IANA name) of a message, or NULL. */
static const HlField *
find_extension (const GPtrArray *fields, const char *prefix, const char *ext)
{
  g_autofree char *id = g_strdup_printf ("%s.extensions.%s", prefix, ext);
  return hl_field_find (fields, id);
}

/* The values of the entries `key` of extension `ext` (host names, protocols: bytes from
 * the wire), joined by ", "; NULL without the extension. */
static char *
extension_values (const GPtrArray *fields, const char *prefix, const char *ext, const char *key)
{
  const HlField *e = find_extension (fields, prefix, ext);
  GString *out;
  if (!e)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < e->children->len; i++) {
    const HlField *f = g_ptr_array_index (e->children, i);
    if (hl_field_has_key (f, key))
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", f->value);
  }
  return g_string_free (out, FALSE);
}

/* The numbers of the entries `key` of extension `ext` (versions, groups), in order. */
static GArray *
extension_numbers (const GPtrArray *fields, const char *prefix, const char *ext, const char *key)
{
  const HlField *e = find_extension (fields, prefix, ext);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; e && i < e->children->len; i++) {
    const HlField *f = g_ptr_array_index (e->children, i);
    guint n = (guint)f->number;
    if (hl_field_has_key (f, key) && f->number >= 0)
      g_array_append_val (out, n);
  }
  return out;
}

static const char *
group_name (guint group)
{
  const char *name = hl_curve_name (group);
  return name ? name : "unknown";
}

/* TLS 1.3 key_share: the groups of its entries ("x25519"), joined by ", ". */
static char *
key_share_groups (const GPtrArray *fields, const char *prefix)
{
  g_autoptr (GArray) shares = extension_numbers (fields, prefix, "key_share", "key_share");
  g_autoptr (GArray) selected = extension_numbers (fields, prefix, "key_share", "selected_group");
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < shares->len; i++)
    g_string_append_printf (out, "%s%s", out->len ? ", " : "",
                            group_name (g_array_index (shares, guint, i)));
  for (guint i = 0; i < selected->len; i++)
    g_string_append_printf (out, "%s%s", out->len ? ", " : "",
                            group_name (g_array_index (selected, guint, i)));
  return g_string_free (out, FALSE);
}

/* The deepest field holding byte `offset`, for saying where a change landed. */
static const HlField *
field_at (const GPtrArray *fields, gsize offset)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    if (offset >= f->offset && offset < f->offset + f->length) {
      const HlField *inner = field_at (f->children, offset);
      return inner ? inner : f;
    }
  }
  return NULL;
}

/* The number of field "prefix.key", or -1. */
static gint64
number_of (const GPtrArray *fields, const char *prefix, const char *key)
{
  const HlField *f = find_in (fields, prefix, key);
  return f ? f->number : -1;
}

static const char *
version_name (gint64 version)
{
  return version >= 0 ? hl_version_long_name ((guint)version) : NULL;
}

/* A suite's IANA name; newly allocated, NULL for -1. */
static char *
suite_name (gint64 id)
{
  return id >= 0 ? g_strdup (hl_suite_id_name ((guint16)id)) : NULL;
}

static void add_line (GString *out, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
add_line (GString *out, const char *format, ...)
{
  va_list args;
  char *text;
  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);
  if (out->len)
    g_string_append_c (out, '\n');
  g_string_append (out, text);
  g_free (text);
}

/* A HelloRetryRequest: a ServerHello whose decoder recognised the special random. */
static gboolean
is_hello_retry (const HlStep *st)
{
  return st->handshake_type == HL_HANDSHAKE_SERVER_HELLO
         && hl_field_find (st->fields, "hello_retry_request.handshake_type") != NULL;
}

/* A second ClientHello: a HelloRetryRequest came before it in its connection. */
static gboolean
answers_retry (const HlRun *run, const HlStep *st)
{
  const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
  for (guint i = 0; c && i < c->steps->len; i++) {
    const HlStep *e = g_ptr_array_index (c->steps, i);
    if (e->index < st->index && is_hello_retry (e))
      return TRUE;
  }
  return FALSE;
}

/* The bytes a receiver read instead of the sent ones, when a fault changed them in place
 * (same length): the first changed offset into the message, or -1. */
static gssize
first_change (const HlStep *st)
{
  gsize a = 0, b = 0;
  const guint8 *x = st->wire ? g_bytes_get_data (st->wire, &a) : NULL;
  const guint8 *y = st->delivered_wire ? g_bytes_get_data (st->delivered_wire, &b) : NULL;
  if (!x || !y || a != b)
    return -1;
  for (gsize i = 0; i < a; i++)
    if (x[i] != y[i])
      return (gssize)i;
  return -1;
}

/* The content bytes of a field (a message's plaintext, or its wire when in clear). */
static GBytes *
field_bytes (const HlStep *st, GBytes *content, const HlField *f)
{
  gsize len = 0;
  const guint8 *d = content ? g_bytes_get_data (content, &len) : NULL;
  if (!f || !d || f->offset + f->length > len)
    return NULL;
  return g_bytes_new (d + f->offset, f->length);
}

static void
describe_client_hello (GString *out, const HlRun *run, const HlStep *st)
{
  const GPtrArray *f = st->fields;
  const char *p = "client_hello";
  const HlField *suites = find_in (f, p, "cipher_suites");
  guint n_suites = suites ? suites->children->len : 0;
  g_autofree char *n_text = suites ? g_strdup_printf ("%u", n_suites) : g_strdup ("no");
  const char *version = version_name (number_of (f, p, "legacy_version"));
  g_autofree char *sni = extension_values (f, p, "server_name", "host_name");
  g_autofree char *alpn
      = extension_values (f, p, "application_layer_protocol_negotiation", "protocol");
  g_autoptr (GArray) offered = extension_numbers (f, p, "supported_versions", "version");
  g_autofree char *shares = key_share_groups (f, p);
  g_autofree char *psk = extension_values (f, p, "pre_shared_key", "identity");
  const HlField *sid = find_in (f, p, "session_id");
  gboolean early = find_extension (f, p, "early_data") != NULL;
  gboolean tls13 = FALSE;
  GString *versions = g_string_new (NULL);
  for (guint i = 0; i < offered->len; i++) {
    guint v = g_array_index (offered, guint, i);
    tls13 |= v == 0x0304;
    g_string_append_printf (versions, "%s%s", versions->len ? ", " : "", hl_version_long_name (v));
  }
  if (versions->len)
    add_line (out, _ ("offers %s; %s cipher suite%s"), versions->str, n_text,
              n_suites == 1 ? "" : "s");
  else
    add_line (out, _ ("up to %s, %s cipher suite%s offered"), version ? version : "?", n_text,
              n_suites == 1 ? "" : "s");
  g_string_free (versions, TRUE);
  /* A short list is worth reading in order (lessons on preference): the names
   * without "TLS_" and "_WITH", most preferred first. */
  if (n_suites >= 2 && n_suites <= 3) {
    GString *names = g_string_new (NULL);
    for (guint i = 0; i < n_suites; i++) {
      const HlField *c = g_ptr_array_index (suites->children, i);
      g_autofree char *shorter = hl_suite_short_name ((guint16)MAX (c->number, 0));
      g_string_append_printf (names, "%s%u. %s", i ? ", " : "", i + 1, shorter);
    }
    add_line (out, _ ("in the client's order: %s"), names->str);
    g_string_free (names, TRUE);
  }
  if (sni && *sni)
    add_line (out, _ ("server name (SNI): %s"), sni);
  if (alpn && *alpn)
    add_line (out, _ ("protocols (ALPN): %s"), alpn);
  if (shares && *shares && answers_retry (run, st))
    add_line (out, _ ("key share: %s (the group the server asked for)"), shares);
  else if (shares && *shares)
    add_line (out, _ ("key share: %s (sent before the server chose)"), shares);
  if (psk)
    add_line (out, _ ("offers a ticket to resume (PSK)%s"), early ? _ (", with 0-RTT data") : "");
  /* A TLS 1.3 client fills the session id only to look like TLS 1.2 to middleboxes. */
  if (sid && sid->length > 0 && !tls13) {
    g_autoptr (GBytes) b
        = g_bytes_new (g_bytes_get_data (st->wire, NULL) + sid->offset, sid->length);
    g_autofree char *short_sid = hl_ladder_short_hex (b);
    add_line (out, _ ("offers to resume session %s"), short_sid);
  }
}

static void
describe_server_hello (GString *out, const HlRun *run, const HlStep *st)
{
  const GPtrArray *f = st->fields;
  const char *p = "server_hello";
  g_autofree char *suite = suite_name (number_of (f, p, "cipher_suite"));
  const char *version = version_name (number_of (f, p, "legacy_version"));
  g_autofree char *alpn
      = extension_values (f, p, "application_layer_protocol_negotiation", "protocol");
  const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
  g_autoptr (GArray) selected = extension_numbers (f, p, "supported_versions", "selected_version");
  g_autofree char *shares = key_share_groups (f, p);
  if (selected->len) /* TLS 1.3: supported_versions says it */
    version = hl_version_long_name (g_array_index (selected, guint, 0));
  add_line (out, "%s, %s", version ? version : "?", suite ? suite : "?");
  if (shares && *shares)
    add_line (out, _ ("key share: %s; handshake keys from here on"), shares);
  if (alpn && *alpn)
    add_line (out, _ ("protocol (ALPN): %s"), alpn);
  if (c && c->resumed && c->version == 0x0304)
    add_line (out, _ ("takes the ticket's PSK: no certificate"));
  else if (c && c->resumed)
    add_line (out, _ ("resumes the session: no certificate, no key exchange"));
}

static void
describe_certificate (GString *out, const HlStep *st)
{
  const HlField *leaf = hl_field_find (st->fields, "certificate.certificate.0");
  guint n = 0;
  while (TRUE) {
    g_autofree char *id = g_strdup_printf ("certificate.certificate.%u", n);
    if (!hl_field_find (st->fields, id))
      break;
    n++;
  }
  if (leaf) {
    g_autofree char *prefix = g_strdup (leaf->id);
    const HlField *cn = find_in (leaf->children, prefix, "subject.common_name");
    const HlField *key = find_in (leaf->children, prefix, "public_key");
    const HlField *san = find_in (leaf->children, prefix, "extensions.subjectaltname");
    add_line (out, "%s", cn ? cn->value : leaf->value);
    if (san)
      add_line (out, _ ("names: %s"), san->value);
    add_line (out, _ ("%s; chain of %u"), key ? key->value : _ ("key ?"), n);
  } else {
    add_line (out, _ ("no certificate"));
  }
}

/* Handshake messages: what each says, from its fields. */
static void
describe_handshake (GString *out, const HlRun *run, const HlStep *st)
{
  const GPtrArray *f = st->fields;
  switch (st->handshake_type) {
  case HL_HANDSHAKE_CLIENT_HELLO:
    describe_client_hello (out, run, st);
    break;
  case HL_HANDSHAKE_SERVER_HELLO:
    if (is_hello_retry (st)) {
      g_autofree char *shares = key_share_groups (f, "hello_retry_request");
      add_line (out, _ ("wants a key share for %s: try again"),
                shares && *shares ? shares : _ ("another group"));
    } else {
      describe_server_hello (out, run, st);
    }
    break;
  case HL_HANDSHAKE_ENCRYPTED_EXTENSIONS: {
    g_autofree char *alpn = extension_values (f, "encrypted_extensions",
                                              "application_layer_protocol_negotiation", "protocol");
    if (alpn && *alpn)
      add_line (out, _ ("protocol (ALPN): %s"), alpn);
    else
      add_line (out, _ ("the rest of the server's answer"));
    break;
  }
  case HL_HANDSHAKE_KEY_UPDATE:
    add_line (out, _ ("new keys from here on%s"),
              number_of (f, "key_update", "request_update") == 1
                  ? _ ("; asks the peer to update too")
                  : "");
    break;
  case HL_HANDSHAKE_NEW_SESSION_TICKET: {
    gint64 life = number_of (f, "new_session_ticket", "ticket_lifetime");
    /* TLS 1.2's is only a hint, 0 for none (RFC 5077 3.3). */
    gint64 hint = number_of (f, "new_session_ticket", "ticket_lifetime_hint");
    const HlField *ticket = find_in (f, "new_session_ticket", "ticket");
    g_autofree char *life_text
        = life >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, life) : g_strdup ("?");
    if (life < 0 && hint == 0)
      add_line (out, _ ("a %zu-byte ticket, no lifetime hint"), ticket ? ticket->length : 0);
    else if (life < 0 && hint > 0)
      add_line (out, _ ("a %zu-byte ticket, kept up to %" G_GINT64_FORMAT " s (a hint)"),
                ticket ? ticket->length : 0, hint);
    else
      add_line (out, _ ("a %zu-byte ticket, valid %s s"), ticket ? ticket->length : 0, life_text);
    break;
  }
  case HL_HANDSHAKE_CERTIFICATE:
    describe_certificate (out, st);
    break;
  case HL_HANDSHAKE_SERVER_KEY_EXCHANGE: {
    gint64 curve = number_of (f, "server_key_exchange", "named_curve");
    gint64 sig = number_of (f, "server_key_exchange", "signature_algorithm");
    const char *cname = curve >= 0 ? group_name ((guint)curve) : "?";
    const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
    const HlSuite *suite = c ? hl_suite_by_id (c->suite) : NULL;
    if (sig >= 0)
      add_line (out, _ ("%s share, signed (%s)"), cname, hl_signature_scheme_name ((guint)sig));
    /* Before TLS 1.2 the hash is fixed by the key: MD5 and SHA-1 together for RSA (RFC 2246
     * 7.4.3), SHA-1 alone for ECDSA (RFC 4492 5.4). */
    else if (suite && suite->kex == HL_KEX_ECDHE_ECDSA)
      add_line (out, _ ("%s share, signed with the certificate's ECDSA key (SHA-1 in TLS 1.0/1.1)"),
                cname);
    else if (suite && suite->kex == HL_KEX_ECDHE_RSA)
      add_line (out,
                _ ("%s share, signed with the certificate's RSA key (MD5+SHA-1 in TLS 1.0/1.1)"),
                cname);
    else
      add_line (out, _ ("%s share, signed with the certificate's key"), cname);
    break;
  }
  case HL_HANDSHAKE_CLIENT_KEY_EXCHANGE: {
    const HlField *epm = find_in (f, "client_key_exchange", "encrypted_premaster");
    const HlField *pk = find_in (f, "client_key_exchange", "public_key");
    if (epm)
      add_line (out, _ ("encrypted premaster (%zu bytes)"), epm->length);
    else if (pk)
      add_line (out, _ ("its ECDH share (%zu bytes)"), pk->length);
    break;
  }
  case HL_HANDSHAKE_CERTIFICATE_REQUEST:
    add_line (out, _ ("asks for a client certificate"));
    break;
  case HL_HANDSHAKE_CERTIFICATE_VERIFY: {
    gint64 sig = number_of (f, "certificate_verify", "signature_algorithm");
    add_line (out, _ ("signs the handshake (%s)"),
              sig >= 0 ? hl_signature_scheme_name_in ((guint)sig, st->tls13) : "?");
    break;
  }
  case HL_HANDSHAKE_FINISHED: {
    const HlField *vd = find_in (f, "finished", "verify_data");
    GBytes *content = st->plaintext ? st->plaintext : st->encrypted ? NULL : st->wire;
    GBytes *delivered = st->delivered_plaintext ? st->delivered_plaintext
                        : st->encrypted         ? NULL
                                                : st->delivered_wire;
    g_autoptr (GBytes) sent = field_bytes (st, content, vd);
    g_autoptr (GBytes) got
        = field_bytes (st, delivered, find_in (st->delivered_fields, "finished", "verify_data"));
    g_autofree char *sent_hex = sent ? hl_hex_bytes (sent) : NULL;
    g_autofree char *got_hex = got ? hl_hex_bytes (got) : NULL;
    if (sent && got && !g_bytes_equal (sent, got))
      add_line (out, _ ("verify_data sent %s, delivered %s"), sent_hex, got_hex);
    else if (sent)
      add_line (out, "verify_data %s", sent_hex);
    else
      add_line (out, _ ("does not decrypt"));
    break;
  }
  default:
    break;
  }
}

static void
describe_application_data (GString *out, const HlStep *st)
{
  gsize n = st->plaintext ? g_bytes_get_size (st->plaintext) : g_bytes_get_size (st->wire);
  gsize len = 0;
  const char *data = st->plaintext ? g_bytes_get_data (st->plaintext, &len) : NULL;
  if (data && len && g_utf8_validate (data, len, NULL)) {
    /* Its first line, cut to 25 characters. */
    const char *eol = memchr (data, '\n', len);
    const char *cr = memchr (data, '\r', len);
    gsize line = eol ? (gsize)(eol - data) : len;
    g_autofree char *first = NULL;
    if (cr && (gsize)(cr - data) < line)
      line = cr - data;
    first = g_strndup (data, line);
    if (g_utf8_strlen (first, -1) > 28) {
      char *cut = g_utf8_offset_to_pointer (first, 25);
      g_autofree char *head = g_strndup (first, cut - first);
      g_free (first);
      first = g_strconcat (head, "\u2026", NULL);
    }
    add_line (out,
              st->early ? P_ ("0-RTT early data, %zu byte: \u201c%s\u201d",
                              "0-RTT early data, %zu bytes: \u201c%s\u201d", n)
                        : P_ ("%zu byte: \u201c%s\u201d", "%zu bytes: \u201c%s\u201d", n),
              n, first);
    if (st->early)
      add_line (out, _ ("sent before the handshake is done; a replay could repeat it"));
    if (st->split_first)
      add_line (out, _ ("1/n\u22121 split: the defence against BEAST"));
  } else {
    add_line (out, P_ ("%zu byte", "%zu bytes", n), n);
  }
}

char *
hl_ladder_describe_step (const HlRun *run, const HlStep *st)
{
  GString *out = g_string_new (NULL);
  const GPtrArray *f = st->fields;
  if (st->content_type == HL_CONTENT_HANDSHAKE)
    describe_handshake (out, run, st);
  else if (st->content_type == HL_CONTENT_CHANGE_CIPHER_SPEC)
    /* TLS 1.3 sends one only to look like TLS 1.2 to middleboxes. */
    add_line (out, st->tls13 ? _ ("for middleboxes only: changes nothing")
                             : _ ("from here on, encrypted"));
  else if (st->content_type == HL_CONTENT_APPLICATION_DATA)
    describe_application_data (out, st);
  else if (st->content_type == HL_CONTENT_ALERT) {
    gint64 level = number_of (f, "alert", "level");
    gint64 desc = number_of (f, "alert", "description");
    /* Encrypted and no keys: an eavesdropper sees only that an alert went by. */
    if (level < 0 && desc < 0 && st->encrypted)
      add_line (out, _ ("encrypted: level and description unreadable without the keys"));
    else
      add_line (out, "%s: %s",
                level == 1   ? "warning"
                : level == 2 ? "fatal"
                : level < 0  ? "?"
                             : "unknown",
                desc >= 0 ? hl_alert_name ((guint)desc) : "?");
  }
  if (st->tls13 && st->key != HL_RECORD_KEY_NONE && st->key != HL_RECORD_KEY_UNKNOWN) {
    /* Which secret's keys protect this record (RFC 8446 7). */
    g_autofree char *key = hl_step_record_key (st);
    add_line (out, _ ("under %s"), key);
  }
  if (st->fault) {
    gssize at = first_change (st);
    const HlField *hit = at >= 0 && !st->encrypted ? field_at (st->fields, at) : NULL;
    char *line;
    /* The field as delivered, beside the sent value the arrow's first line shows: the
     * class sees what the receiver got (a user's trial read only the original there). */
    const HlField *now = hit ? field_at (st->delivered_fields, at) : NULL;
    /* Not a long run of hex (a random's bytes): the byte the fault line names says more. */
    gboolean worded = now && now->value && *now->value
                      && (strlen (now->value) <= 32 || strchr (now->value, ' '));
    if (hit && worded && strcmp (now->name, hit->name) == 0
        && g_strcmp0 (now->value, hit->value) != 0)
      /* TRANSLATORS: "changed by hand: 1 byte differs, the first at byte 72, in Cipher suite:
       * delivered as TLS_RSA_WITH_AES_256_GCM_SHA384 (0x009d)" */
      line = g_markup_printf_escaped (_ ("<b>\u26a0 %s, in %s: delivered as %s</b>"), st->fault,
                                      hit->name, now->value);
    else if (hit)
      line = g_markup_printf_escaped ("<b>\u26a0 %s, in %s</b>", st->fault, hit->name);
    else if (st->encrypted && at >= 0 && !st->delivered_plaintext) /* not re-encrypted */
      line = g_markup_printf_escaped (_ ("<b>\u26a0 %s of the encrypted record</b>"), st->fault);
    else
      line = g_markup_printf_escaped ("<b>\u26a0 %s</b>", st->fault);
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", line);
    g_free (line);
  }
  if (st->check && g_str_has_prefix (st->check, "MISMATCH"))
    add_line (out, _ ("MISMATCH: the receiver computes other verify_data"));
  if (st->skipped) {
    add_line (out, _ ("not read: the server declined 0-RTT and skipped it"));
  } else if (st->delivered && !st->accepted) {
    HlSide to = hl_side_other (st->from);
    const HlStep *prev = st->index >= 2 ? hl_run_get_step (run, st->index - 2) : NULL;
    if (prev && prev->after[to].error == 0 && st->after[to].error != 0) {
      g_autofree char *why = hl_ladder_describe_error (st->after[to].error, st->after[to].openssl,
                                                       st->after[to].reason);
      add_line (out, _ ("rejected by the %s: %s"), hl_side_word (to), why);
    } else {
      add_line (out, _ ("not read: the %s had already stopped"), hl_side_word (to));
    }
  }
  return g_string_free (out, FALSE);
}

char *
hl_ladder_describe_error (int err, gboolean openssl, const char *reason)
{
  g_autofree char *name = NULL;
  gboolean sent;
  int alert;
  if (openssl) {
    g_autofree char *words = hl_describe_openssl_error (err, reason);
    return g_strdup_printf (_ ("OpenSSL %s"), words);
  }
  name = hl_error_name (err);
  alert = hl_error_alert (err, &sent);
  if (alert >= 0)
    return g_strdup_printf ("%s (%s)", name, hl_alert_name (alert));
  if (hl_error_is_expired (err))
    return g_strdup_printf (_ ("%s (expired or not yet valid)"), name);
  return g_steal_pointer (&name);
}

/* Random values open with 4 zero bytes (BearSSL leaves gmt_unix_time at 0): skip
 * them, so the short form shows the bytes that tell two randoms apart. */
char *
hl_ladder_step_title (const HlStep *st, guint n_steps)
{
  return g_strdup_printf (_ ("Step %u of %u: %s, %s to %s"), st->index, n_steps, st->message,
                          hl_side_word (st->from), hl_side_word (hl_side_other (st->from)));
}

GStrv
hl_ladder_step_notes (const HlStep *st)
{
  GPtrArray *notes = g_ptr_array_new ();
  if (st->fault)
    g_ptr_array_add (notes, g_strdup_printf (_ ("Changed on the way: %s"), st->fault));
  if (st->certificate_check)
    g_ptr_array_add (notes, g_strdup (st->certificate_check));
  if (st->check)
    g_ptr_array_add (notes, g_strdup (st->check));
  if (st->skipped)
    g_ptr_array_add (notes, g_strdup (_ ("The server declined 0-RTT data: it could not decrypt "
                                         "this record and skipped it unread.")));
  else if (st->delivered && st->rejected)
    g_ptr_array_add (notes, g_strdup_printf (_ ("The %s rejected this record and stopped without "
                                                "reading what it carries."),
                                             hl_side_word (hl_side_other (st->from))));
  else if (st->delivered && !st->accepted)
    g_ptr_array_add (notes, g_strdup_printf (_ ("The %s had already stopped and did not read it."),
                                             hl_side_word (hl_side_other (st->from))));
  g_ptr_array_add (notes, NULL);
  return (GStrv)g_ptr_array_free (notes, FALSE);
}

char *
hl_ladder_short_value (const HlSecret *s)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (s->value, &len);
  if (len == 32 && (s->id == HL_SECRET_CLIENT_RANDOM || s->id == HL_SECRET_SERVER_RANDOM) && !d[0]
      && !d[1] && !d[2] && !d[3]) {
    g_autoptr (GBytes) rest = g_bytes_new (d + 4, len - 4);
    g_autofree char *hex = hl_ladder_short_hex (rest);
    return g_strdup_printf ("\u2026\u2060%s", hex); /* the leading … stands for the zeros */
  }
  return hl_ladder_short_hex (s->value);
}

static const HlSecret *
held_by (const HlStep *st, HlSide side, HlSecretId id)
{
  const GPtrArray *list = st->after[side].secrets;
  for (guint i = 0; list && i < list->len; i++)
    if (((const HlSecret *)g_ptr_array_index (list, i))->id == id)
      return g_ptr_array_index (list, i);
  return NULL;
}

char *
hl_ladder_describe_learned (const HlRun *run, const HlStep *st, HlSide side,
                            const char *alert_color)
{
  GString *out = g_string_new (NULL);
  const HlSideState *after = &st->after[side];
  const HlStep *prev = NULL;
  guint idx = st->index; /* from 1 */
  if (idx >= 2) {
    prev = hl_run_get_step (run, idx - 2);
    if (prev && prev->connection != st->connection)
      prev = NULL;
  }
  for (guint i = 0; after->secrets && i < after->secrets->len; i++) {
    const HlSecret *s = g_ptr_array_index (after->secrets, i);
    if (s->learned_at == st->index) {
      g_autofree char *hex = hl_ladder_short_value (s);
      const HlSecret *other = held_by (st, hl_side_other (side), s->id);
      char *line;
      if (other && !g_bytes_equal (other->value, s->value))
        line = g_markup_printf_escaped (_ ("+ %s <tt>%s</tt> <b>\u2260 the %s's</b>"), s->name, hex,
                                        hl_side_word (hl_side_other (side)));
      else if (s->id == HL_SECRET_MASTER && after->version != 0x0304
               && (st->handshake_type == HL_HANDSHAKE_CLIENT_HELLO
                   || st->handshake_type == HL_HANDSHAKE_SERVER_HELLO))
        line
            = g_markup_printf_escaped (_ ("+ %s <tt>%s</tt> (the cached session's)"), s->name, hex);
      else if (prev && held_by (prev, side, s->id))
        /* The same secret with a new value: a second ClientHello's key share, a KeyUpdate. */
        line = g_markup_printf_escaped (_ ("+ %s <tt>%s</tt> (replaces the earlier one)"), s->name,
                                        hex);
      else
        line = g_markup_printf_escaped ("+ %s <tt>%s</tt>", s->name, hex);
      if (out->len)
        g_string_append_c (out, '\n');
      g_string_append (out, line);
      g_free (line);
      if (st->from != side
          && s->id
                 == (side == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_VERIFY_DATA
                                            : HL_SECRET_SERVER_VERIFY_DATA))
        add_line (out, _ ("(its whole reply, Finished included, is computed now)"));
      else if (st->from != side && side == HL_SIDE_SERVER && s->id == HL_SECRET_SERVER_RANDOM
               && st->handshake_type == HL_HANDSHAKE_CLIENT_HELLO
               && !(held_by (st, side, HL_SECRET_SERVER_VERIFY_DATA)
                    && held_by (st, side, HL_SECRET_SERVER_VERIFY_DATA)->learned_at == st->index))
        /* Before any ServerHello is on the wire: a student asks where it came from. */
        add_line (out,
                  _ ("(chosen now, as it reads the ClientHello: its ServerHello will carry it)"));
    }
  }
  /* A signature the receiver checked and accepted: ECDHE's signed key share, the
   * client's proof of its key in mutual TLS. */
  if (st->delivered && st->accepted && after->error == 0 && st->from != side
      && (st->handshake_type == HL_HANDSHAKE_SERVER_KEY_EXCHANGE
          || st->handshake_type == HL_HANDSHAKE_CERTIFICATE_VERIFY))
    add_line (out, st->handshake_type == HL_HANDSHAKE_SERVER_KEY_EXCHANGE
                       ? _ ("\u2713 signature on the key share verified")
                       : _ ("\u2713 CertificateVerify signature verified"));
  if (after->certificate_verdict
      && (!prev || g_strcmp0 (prev->after[side].certificate_verdict, after->certificate_verdict))) {
    if (after->certificate_trusted) {
      add_line (out, _ ("\u2713 certificate chain trusted"));
    } else {
      char *line = g_markup_printf_escaped (
          _ ("<span foreground=\"%s\"><b>\u2717 certificate chain rejected</b></span>"),
          alert_color);
      g_string_append_printf (out, "%s%s", out->len ? "\n" : "", line);
      g_free (line);
    }
  }
  if (after->error && (!prev || prev->after[side].error != after->error)) {
    g_autofree char *why = hl_ladder_describe_error (after->error, after->openssl, after->reason);
    char *line = g_markup_printf_escaped (
        _ ("<span foreground=\"%s\"><b>\u2717 stops: %s</b></span>"), alert_color, why);
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", line);
    g_free (line);
  }
  if (out->len == 0) {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

char *
hl_ladder_describe_side (const HlRun *run, HlSide side)
{
  const HlScenario *s = hl_run_get_scenario (run);
  const HlSideConfig *c = side == HL_SIDE_CLIENT ? &s->client : &s->server;
  GString *out = g_string_new (NULL);
  g_autoptr (GString) detail = g_string_new (NULL);
  HlField *leaf = hl_credentials_describe_leaf (c->credentials);
  char *head
      = g_markup_printf_escaped ("<b>%s</b>", side == HL_SIDE_CLIENT ? _ ("Client") : _ ("Server"));
  g_string_append (out, head);
  g_free (head);
  if (side == HL_SIDE_CLIENT && c->server_name)
    add_line (detail, _ ("connects to %s"), c->server_name);
  /* With a choice to make, say whose order decides it. */
  if (side == HL_SIDE_SERVER && c->suites && c->suites->len >= 2)
    add_line (detail, c->prefer_client_order ? _ ("picks a suite in the client's order")
                                             : _ ("picks a suite in its own order"));
  if (leaf) {
    const HlField *subject = hl_field_find (leaf->children, "leaf.subject");
    const HlField *key = hl_field_find (leaf->children, "leaf.public_key");
    add_line (detail, _ ("certificate: %s"), subject ? subject->value : "?");
    add_line (detail, _ ("key: %s"), key ? key->value : "?");
  }
  if (detail->len) {
    g_string_append_c (out, '\n');
    g_string_append (out, detail->str);
  }
  hl_field_free (leaf);
  return g_string_free (out, FALSE);
}

char *
hl_ladder_describe_end (const HlConnection *c, HlSide side, gboolean *ok)
{
  g_autofree char *name
      = hl_ladder_describe_error (c->error[side], c->openssl[side], c->reason[side]);
  gboolean sent = FALSE;
  int alert = c->openssl[side] ? -1 : hl_error_alert (c->error[side], &sent);
  *ok = c->error[side] == 0 && c->success;
  if (c->error[side] == 0 && c->success)
    return g_markup_printf_escaped (_ ("\u2713 handshake complete%s"),
                                    c->resumed ? _ (" (resumed session)") : "");
  if (c->error[side] == 0)
    return g_markup_printf_escaped (_ ("\u2013 no error of its own: the %s stopped"),
                                    hl_side_word (hl_side_other (side)));
  if (c->openssl[side])
    return g_markup_printf_escaped ("\u2717 %s", name);
  if (alert >= 0 && sent)
    return g_markup_printf_escaped (_ ("\u2717 sent an alert: %s"), name);
  if (alert >= 0)
    return g_markup_printf_escaped (_ ("\u2717 received an alert: %s"), name);
  return g_markup_printf_escaped (_ ("\u2717 closed without an alert: %s"), name);
}

/* Phase names without numbers: the arrows are numbered, and each step's text says
 * where it stands in the nine-step story. */
static const char *const phase_names[] = {
  N_ ("Hello"),
  N_ ("Authentication"),
  N_ ("Key exchange"),
  N_ ("Session keys and Finished"),
  N_ ("Application data"),
  N_ ("Close"),
};

int
hl_ladder_phase_of (const HlStep *st)
{
  int t = st->content_type == HL_CONTENT_HANDSHAKE ? st->handshake_type : -1;
  if ((t == HL_HANDSHAKE_CLIENT_HELLO || t == HL_HANDSHAKE_SERVER_HELLO) && !is_hello_retry (st))
    return 0;
  if (t == HL_HANDSHAKE_CERTIFICATE && st->from == HL_SIDE_SERVER)
    return 1;
  if (t == HL_HANDSHAKE_SERVER_KEY_EXCHANGE || t == HL_HANDSHAKE_CLIENT_KEY_EXCHANGE)
    return 2;
  if (st->content_type == HL_CONTENT_CHANGE_CIPHER_SPEC && st->tls13)
    return -1; /* TLS 1.3: a disguise, not a step of the key schedule */
  if (st->content_type == HL_CONTENT_CHANGE_CIPHER_SPEC || t == HL_HANDSHAKE_FINISHED)
    return 3;
  if (st->content_type == HL_CONTENT_APPLICATION_DATA)
    return 4;
  if (st->close_notify)
    return 5;
  return -1;
}

const char *
hl_ladder_phase_name (int phase)
{
  return phase >= 0 && phase < (int)G_N_ELEMENTS (phase_names) ? _ (phase_names[phase]) : "";
}
