/* hl-ladder-labels.c: the words and numbers on the diagram, all from the run. */
#include "hl-ladder-labels.h"
#include "hl-i18n.h"

#include <stdio.h>
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

static const HlField *
find_field (const GPtrArray *fields, const char *name)
{
  if (!fields)
    return NULL;
  for (guint i = 0; i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    if (g_str_has_prefix (f->name, name))
      return f;
  }
  return NULL;
}

static const HlField *
find_exact (const GPtrArray *fields, const char *name)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    if (strcmp (f->name, name) == 0)
      return f;
  }
  return NULL;
}

/* Extension `ext` of a hello or certificate, or NULL. */
static const HlField *
find_extension (const GPtrArray *fields, const char *ext)
{
  const HlField *exts = find_exact (fields, "Extensions");
  return exts ? find_exact (exts->children, ext) : NULL;
}

/* The values of every field called `name` inside extension `ext`, joined by ", ". */
static char *
extension_values (const GPtrArray *fields, const char *ext, const char *name)
{
  const HlField *e = find_extension (fields, ext);
  GString *out;
  if (!e)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < e->children->len; i++) {
    const HlField *f = g_ptr_array_index (e->children, i);
    if (strcmp (f->name, name) == 0)
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", f->value);
  }
  return g_string_free (out, FALSE);
}

/* TLS 1.3 key_share: the groups of its entries ("x25519"), joined by ", ". */
static char *
key_share_groups (const GPtrArray *fields)
{
  const HlField *e = find_extension (fields, "key_share");
  GString *out;
  if (!e)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < e->children->len; i++) {
    const HlField *f = g_ptr_array_index (e->children, i);
    if (strcmp (f->name, "Key share") == 0)
      g_string_append_len (out, f->value, strcspn (f->value, ","));
    else if (strcmp (f->name, "Selected group") == 0)
      g_string_append_len (out, f->value, strcspn (f->value, " "));
    else
      continue;
    g_string_append (out, ", ");
  }
  if (out->len)
    g_string_truncate (out, out->len - 2);
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

static const char *
field_value (const GPtrArray *fields, const char *name)
{
  const HlField *f = find_field (fields, name);
  return f ? f->value : NULL;
}

/* "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)" -> the name alone */
static char *
strip_code (const char *value)
{
  const char *paren = value ? strstr (value, " (") : NULL;
  return value ? g_strndup (value, paren ? (gsize)(paren - value) : strlen (value)) : NULL;
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

static const char *
common_name (const char *dn)
{
  /* "CN=server.example, O=..." -> "server.example" (the DN itself when no CN leads). */
  static const char prefix[] = "CN=";
  return dn && g_str_has_prefix (dn, prefix) ? dn + strlen (prefix) : dn;
}

static char *
first_cn (const char *dn)
{
  const char *cn = common_name (dn);
  const char *comma = cn ? strstr (cn, ", ") : NULL;
  return cn ? g_strndup (cn, comma ? (gsize)(comma - cn) : strlen (cn)) : NULL;
}

/* A second ClientHello: a HelloRetryRequest came before it in its connection. */
static gboolean
answers_retry (const HlRun *run, const HlStep *st)
{
  const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
  for (guint i = 0; c && i < c->steps->len; i++) {
    const HlStep *e = g_ptr_array_index (c->steps, i);
    if (e->index < st->index && strcmp (e->message, "HelloRetryRequest") == 0)
      return TRUE;
  }
  return FALSE;
}

char *
hl_ladder_describe_step (const HlRun *run, const HlStep *st)
{
  GString *out = g_string_new (NULL);
  const GPtrArray *f = st->fields;
  const char *m = st->message;
  gsize wire_len = g_bytes_get_size (st->wire);
  if (strcmp (m, "ClientHello") == 0) {
    const HlField *suites_field = find_exact (f, "Cipher suites");
    const char *version = field_value (f, "Client version");
    g_autofree char *suites = suites_field ? g_strdup (suites_field->value) : NULL;
    g_autofree char *sni = extension_values (f, "server_name", "Host name");
    g_autofree char *alpn
        = extension_values (f, "application_layer_protocol_negotiation", "Protocol");
    const HlField *sid = NULL;
    g_autofree char *v = strip_code (version);
    g_autofree char *short_sid = NULL;
    for (guint i = 0; f && i < f->len; i++)
      if (strcmp (((HlField *)g_ptr_array_index (f, i))->name, "Session ID") == 0)
        sid = g_ptr_array_index (f, i);
    /* "2 suites" -> "2 cipher suites offered" */
    if (suites && g_str_has_suffix (suites, " suites"))
      suites[strlen (suites) - 7] = '\0';
    else if (suites && g_str_has_suffix (suites, " suite"))
      suites[strlen (suites) - 6] = '\0';
    g_autofree char *versions = extension_values (f, "supported_versions", "Version");
    g_autofree char *shares = key_share_groups (f);
    g_autofree char *psk = extension_values (f, "pre_shared_key", "Identity");
    gboolean early = find_extension (f, "early_data") != NULL;
    gboolean tls13 = versions && strstr (versions, "1.3");
    if (versions && *versions) {
      /* "TLS 1.3 (0x0304), TLS 1.2 (0x0303)" -> "TLS 1.3, TLS 1.2" */
      g_auto (GStrv) parts = g_strsplit (versions, ", ", -1);
      for (int i = 0; parts[i]; i++) {
        char *paren = strstr (parts[i], " (");
        if (paren)
          *paren = '\0';
      }
      g_free (versions);
      versions = g_strjoinv (", ", parts);
    }
    if (versions && *versions)
      add_line (out, _ ("offers %s; %s cipher suite%s"), versions, suites ? suites : "no",
                suites && strcmp (suites, "1") == 0 ? "" : "s");
    else
      add_line (out, _ ("up to %s, %s cipher suite%s offered"), v ? v : "?", suites ? suites : "no",
                suites && strcmp (suites, "1") == 0 ? "" : "s");
    /* A short list is worth reading in order (lessons on preference): the names
     * without "TLS_" and "_WITH", most preferred first. */
    if (suites_field && suites_field->children->len >= 2 && suites_field->children->len <= 3) {
      GString *names = g_string_new (NULL);
      for (guint i = 0; i < suites_field->children->len; i++) {
        const HlField *c = g_ptr_array_index (suites_field->children, i);
        g_autofree char *name = strip_code (c->value);
        g_autofree char *shorter = NULL;
        char *with = strstr (name, "_WITH_");
        if (with)
          memmove (with, with + 5, strlen (with + 5) + 1);
        shorter = g_strdup (g_str_has_prefix (name, "TLS_") ? name + 4 : name);
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
      short_sid = hl_ladder_short_hex (b);
      add_line (out, _ ("offers to resume session %s"), short_sid);
    }
  } else if (strcmp (m, "ServerHello") == 0) {
    g_autofree char *suite = strip_code (field_value (f, "Cipher suite"));
    g_autofree char *version = strip_code (field_value (f, "Server version"));
    g_autofree char *alpn
        = extension_values (f, "application_layer_protocol_negotiation", "Protocol");
    const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
    g_autofree char *selected = extension_values (f, "supported_versions", "Selected version");
    g_autofree char *selected_name = strip_code (selected); /* TLS 1.3: supported_versions */
    g_autofree char *shares = key_share_groups (f);
    add_line (out, "%s, %s",
              selected_name && *selected_name ? selected_name
              : version                       ? version
                                              : "?",
              suite ? suite : "?");
    if (shares && *shares)
      add_line (out, _ ("key share: %s; handshake keys from here on"), shares);
    if (alpn && *alpn)
      add_line (out, _ ("protocol (ALPN): %s"), alpn);
    if (c && c->resumed && c->version == 0x0304)
      add_line (out, _ ("takes the ticket's PSK: no certificate"));
    else if (c && c->resumed)
      add_line (out, _ ("resumes the session: no certificate, no key exchange"));
  } else if (strcmp (m, "HelloRetryRequest") == 0) {
    g_autofree char *shares = key_share_groups (f);
    add_line (out, _ ("wants a key share for %s: try again"),
              shares ? shares : _ ("another group"));
  } else if (strcmp (m, "EncryptedExtensions") == 0) {
    g_autofree char *alpn
        = extension_values (f, "application_layer_protocol_negotiation", "Protocol");
    if (alpn && *alpn)
      add_line (out, _ ("protocol (ALPN): %s"), alpn);
    else
      add_line (out, _ ("the rest of the server's answer"));
  } else if (strcmp (m, "KeyUpdate") == 0) {
    const char *req = field_value (f, "Request update");
    add_line (out, _ ("new keys from here on%s"),
              req && strcmp (req, "1") == 0 ? _ ("; asks the peer to update too") : "");
  } else if (strcmp (m, "NewSessionTicket") == 0) {
    const char *life = field_value (f, "Ticket lifetime");
    const HlField *ticket = find_exact (f, "Ticket");
    add_line (out, _ ("a %zu-byte ticket, valid %s s"), ticket ? ticket->length : 0,
              life ? life : "?");
  } else if (strcmp (m, "Certificate") == 0) {
    const HlField *leaf = find_field (f, "Certificate 1");
    guint n = 0;
    for (guint i = 0; f && i < f->len; i++)
      if (g_str_has_prefix (((HlField *)g_ptr_array_index (f, i))->name, "Certificate ")
          && !g_str_has_prefix (((HlField *)g_ptr_array_index (f, i))->name, "Certificate length"))
        n++;
    if (leaf) {
      g_autofree char *cn = first_cn (leaf->value);
      const char *key = field_value (leaf->children, "Public key");
      const HlField *san = find_extension (leaf->children, "subjectAltName");
      add_line (out, "%s", cn ? cn : leaf->value);
      if (san)
        add_line (out, _ ("names: %s"), san->value);
      add_line (out, _ ("%s; chain of %u"), key ? key : _ ("key ?"), n);
    } else {
      add_line (out, _ ("no certificate"));
    }
  } else if (strcmp (m, "ServerKeyExchange") == 0) {
    g_autofree char *curve = strip_code (field_value (f, "Named curve"));
    g_autofree char *sig = strip_code (field_value (f, "Signature algorithm"));
    if (sig)
      add_line (out, _ ("%s share, signed (%s)"), curve ? curve : "?", sig);
    else
      add_line (out, _ ("%s share, signed with the certificate's key (MD5+SHA-1 in TLS 1.0/1.1)"),
                curve ? curve : "?");
  } else if (strcmp (m, "ClientKeyExchange") == 0) {
    /* Field names are protocol words, never translated: look them up as they are. */
    const HlField *epm = find_field (f, "Encrypted premaster secret");
    const HlField *pk = NULL;
    for (guint i = 0; f && i < f->len; i++)
      if (strcmp (((HlField *)g_ptr_array_index (f, i))->name, "Public key") == 0)
        pk = g_ptr_array_index (f, i);
    if (epm)
      add_line (out, _ ("encrypted premaster (%zu bytes)"), epm->length);
    else if (pk)
      add_line (out, _ ("its ECDH share (%zu bytes)"), pk->length);
  } else if (strcmp (m, "CertificateRequest") == 0) {
    add_line (out, _ ("asks for a client certificate"));
  } else if (strcmp (m, "CertificateVerify") == 0) {
    g_autofree char *sig = strip_code (field_value (f, "Signature algorithm"));
    add_line (out, _ ("signs the handshake (%s)"), sig ? sig : "?");
  } else if (strcmp (m, "Finished") == 0) {
    const char *vd = field_value (f, "Verify data");
    const char *got = field_value (st->delivered_fields, "Verify data");
    if (vd && got && strcmp (vd, got) != 0)
      add_line (out, _ ("verify_data sent %s, delivered %s"), vd, got);
    else if (vd)
      add_line (out, "verify_data %s", vd);
    else
      add_line (out, _ ("does not decrypt"));
  } else if (strcmp (m, "ChangeCipherSpec") == 0) {
    /* TLS 1.3 sends one only to look like TLS 1.2 to middleboxes. */
    if (st->tls13)
      add_line (out, _ ("for middleboxes only: changes nothing"));
    else
      add_line (out, _ ("from here on, encrypted"));
  } else if (strcmp (m, "ApplicationData") == 0) {
    gsize n = st->plaintext ? g_bytes_get_size (st->plaintext) : wire_len;
    const char *data = field_value (f, "Data");
    if (data && st->plaintext) {
      g_autofree char *first = g_strndup (data, strcspn (data, "\r\n"));
      if (strlen (first) > 28)
        strcpy (first + 25, "\u2026");
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
  } else if (strcmp (m, "Alert") == 0) {
    const char *level = field_value (f, "Level");
    g_autofree char *desc = strip_code (field_value (f, "Description"));
    g_autofree char *lvl = strip_code (level);
    add_line (out, "%s: %s", lvl ? lvl : "?", desc ? desc : "?");
  }
  if (st->tls13 && st->key != HL_RECORD_KEY_NONE) {
    /* Which secret's keys protect this record (RFC 8446 7). */
    g_autofree char *key = hl_step_record_key (st);
    add_line (out, _ ("under %s"), key);
  }
  if (st->fault) {
    gsize at;
    const HlField *hit = NULL;
    char *line;
    if (sscanf (st->fault, _ ("flip: byte %zu"), &at) == 1 && !st->encrypted)
      hit = field_at (st->fields, at);
    if (hit)
      line = g_markup_printf_escaped ("<b>\u26a0 %s, in %s</b>", st->fault, hit->name);
    else if (st->encrypted && g_str_has_prefix (st->fault, "flip:"))
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
  const char *plus;
  if (openssl) {
    g_autofree char *words = hl_describe_openssl_error (err, reason);
    return g_strdup_printf (_ ("OpenSSL %s"), words);
  }
  name = hl_error_name (err);
  plus = strchr (name, '+');
  if (plus
      && (g_str_has_prefix (name, "BR_ERR_SEND_FATAL_ALERT")
          || g_str_has_prefix (name, "BR_ERR_RECV_FATAL_ALERT")))
    return g_strdup_printf ("%s (%s)", name, hl_alert_name (atoi (plus + 1)));
  if (strcmp (name, "BR_ERR_X509_EXPIRED") == 0)
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
  if (len == 32 && g_str_has_suffix (s->key, "_random") && !d[0] && !d[1] && !d[2] && !d[3]) {
    g_autoptr (GBytes) rest = g_bytes_new (d + 4, len - 4);
    g_autofree char *hex = hl_ladder_short_hex (rest);
    return g_strdup_printf ("\u2026\u2060%s", hex); /* the leading … stands for the zeros */
  }
  return hl_ladder_short_hex (s->value);
}

static const HlSecret *
held_by (const HlStep *st, HlSide side, const char *key)
{
  const GPtrArray *list = st->after[side].secrets;
  for (guint i = 0; list && i < list->len; i++)
    if (strcmp (((const HlSecret *)g_ptr_array_index (list, i))->key, key) == 0)
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
      const HlSecret *other = held_by (st, hl_side_other (side), s->key);
      char *line;
      if (other && !g_bytes_equal (other->value, s->value))
        line = g_markup_printf_escaped (_ ("+ %s <tt>%s</tt> <b>\u2260 the %s's</b>"), s->name, hex,
                                        hl_side_word (hl_side_other (side)));
      else if (strcmp (s->key, "master_secret") == 0 && after->version != 0x0304
               && (strcmp (st->message, "ClientHello") == 0
                   || strcmp (st->message, "ServerHello") == 0))
        line
            = g_markup_printf_escaped (_ ("+ %s <tt>%s</tt> (the cached session's)"), s->name, hex);
      else if (prev && held_by (prev, side, s->key))
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
          && strcmp (s->key, side == HL_SIDE_CLIENT ? "client_verify_data" : "server_verify_data")
                 == 0)
        add_line (out, _ ("(its whole reply, Finished included, is computed now)"));
    }
  }
  /* A signature the receiver checked and accepted: ECDHE's signed key share, the
   * client's proof of its key in mutual TLS. */
  if (st->delivered && st->accepted && after->error == 0 && st->from != side
      && (strcmp (st->message, "ServerKeyExchange") == 0
          || strcmp (st->message, "CertificateVerify") == 0))
    add_line (out, strcmp (st->message, "ServerKeyExchange") == 0
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
    const char *subject = NULL, *key = NULL;
    for (guint i = 0; i < leaf->children->len; i++) {
      const HlField *f = g_ptr_array_index (leaf->children, i);
      if (strcmp (f->name, "Subject") == 0)
        subject = f->value;
      else if (strcmp (f->name, "Public key") == 0)
        key = f->value;
    }
    add_line (detail, _ ("certificate: %s"), subject ? subject : "?");
    add_line (detail, _ ("key: %s"), key ? key : "?");
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
  *ok = c->error[side] == 0 && c->success;
  if (c->error[side] == 0 && c->success)
    return g_markup_printf_escaped (_ ("\u2713 handshake complete%s"),
                                    c->resumed ? _ (" (resumed session)") : "");
  if (c->error[side] == 0)
    return g_markup_printf_escaped (_ ("\u2013 no error of its own: the %s stopped"),
                                    hl_side_word (hl_side_other (side)));
  if (c->openssl[side])
    return g_markup_printf_escaped ("\u2717 %s", name);
  if (g_str_has_prefix (name, "BR_ERR_SEND_FATAL_ALERT"))
    return g_markup_printf_escaped (_ ("\u2717 sent an alert: %s"), name);
  if (g_str_has_prefix (name, "BR_ERR_RECV_FATAL_ALERT"))
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
  const char *m = st->message;
  if (strcmp (m, "ClientHello") == 0 || strcmp (m, "ServerHello") == 0)
    return 0;
  if (strcmp (m, "Certificate") == 0 && st->from == HL_SIDE_SERVER)
    return 1;
  if (strcmp (m, "ServerKeyExchange") == 0 || strcmp (m, "ClientKeyExchange") == 0)
    return 2;
  if (strcmp (m, "ChangeCipherSpec") == 0 && st->tls13)
    return -1; /* TLS 1.3: a disguise, not a step of the key schedule */
  if (strcmp (m, "ChangeCipherSpec") == 0 || strcmp (m, "Finished") == 0)
    return 3;
  if (strcmp (m, "ApplicationData") == 0)
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
