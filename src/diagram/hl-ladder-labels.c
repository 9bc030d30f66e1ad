/* hl-ladder-labels.c: the words and numbers on the diagram, all from the run. */
#include "hl-ladder-labels.h"

#include <string.h>

#include "hl-credentials.h"
#include "hl-tables.h"

char *
hl_ladder_short_hex (GBytes *value)
{
  gsize len = 0;
  const guint8 *d = value ? g_bytes_get_data (value, &len) : NULL;
  GString *s = g_string_new (NULL);
  if (len <= 6) {
    for (gsize i = 0; i < len; i++)
      g_string_append_printf (s, "%02x", d[i]);
  } else {
    g_string_append_printf (s, "%02x%02x%02x\u2026%02x%02x", d[0], d[1], d[2], d[len - 2],
                            d[len - 1]);
  }
  return g_string_free (s, FALSE);
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

char *
hl_ladder_describe_step (HlRun *run, const HlStep *st)
{
  GString *out = g_string_new (NULL);
  const GPtrArray *f = st->fields;
  const char *m = st->message;
  gsize wire_len = g_bytes_get_size (st->wire);
  if (strcmp (m, "ClientHello") == 0) {
    const char *suites = field_value (f, "Cipher suites");
    const char *version = field_value (f, "Client version");
    const HlField *sid = NULL;
    g_autofree char *v = strip_code (version);
    g_autofree char *short_sid = NULL;
    for (guint i = 0; f && i < f->len; i++)
      if (strcmp (((HlField *)g_ptr_array_index (f, i))->name, "Session ID") == 0)
        sid = g_ptr_array_index (f, i);
    add_line (out, "up to %s, %s offered", v ? v : "?", suites ? suites : "no suites");
    if (sid && sid->length > 0) {
      g_autoptr (GBytes) b
          = g_bytes_new (g_bytes_get_data (st->wire, NULL) + sid->offset, sid->length);
      short_sid = hl_ladder_short_hex (b);
      add_line (out, "offers to resume session %s", short_sid);
    }
  } else if (strcmp (m, "ServerHello") == 0) {
    g_autofree char *suite = strip_code (field_value (f, "Cipher suite"));
    g_autofree char *version = strip_code (field_value (f, "Server version"));
    add_line (out, "%s, %s", version ? version : "?", suite ? suite : "?");
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
      add_line (out, "%s", cn ? cn : leaf->value);
      add_line (out, "%s; chain of %u", key ? key : "key ?", n);
    } else {
      add_line (out, "no certificate");
    }
  } else if (strcmp (m, "ServerKeyExchange") == 0) {
    g_autofree char *curve = strip_code (field_value (f, "Named curve"));
    g_autofree char *sig = strip_code (field_value (f, "Signature algorithm"));
    add_line (out, "%s share, signed (%s)", curve ? curve : "?", sig ? sig : "?");
  } else if (strcmp (m, "ClientKeyExchange") == 0) {
    const HlField *epm = find_field (f, "Encrypted premaster secret");
    const HlField *pk = NULL;
    for (guint i = 0; f && i < f->len; i++)
      if (strcmp (((HlField *)g_ptr_array_index (f, i))->name, "Public key") == 0)
        pk = g_ptr_array_index (f, i);
    if (epm)
      add_line (out, "encrypted premaster (%zu bytes)", epm->length);
    else if (pk)
      add_line (out, "its ECDH share (%zu bytes)", pk->length);
  } else if (strcmp (m, "CertificateRequest") == 0) {
    add_line (out, "asks for a client certificate");
  } else if (strcmp (m, "CertificateVerify") == 0) {
    g_autofree char *sig = strip_code (field_value (f, "Signature algorithm"));
    add_line (out, "signs the handshake (%s)", sig ? sig : "?");
  } else if (strcmp (m, "Finished") == 0) {
    const char *vd = field_value (f, "Verify data");
    if (vd)
      add_line (out, "verify_data %s", vd);
    else
      add_line (out, "does not decrypt");
  } else if (strcmp (m, "ChangeCipherSpec") == 0) {
    add_line (out, "from here on, encrypted");
  } else if (strcmp (m, "ApplicationData") == 0) {
    gsize n = st->plaintext ? g_bytes_get_size (st->plaintext) : wire_len;
    const char *data = field_value (f, "Data");
    if (data && st->plaintext) {
      g_autofree char *first = g_strndup (data, strcspn (data, "\r\n"));
      if (strlen (first) > 28)
        strcpy (first + 25, "\u2026");
      add_line (out, "%zu byte%s: \u201c%s\u201d", n, n == 1 ? "" : "s", first);
    } else {
      add_line (out, "%zu byte%s", n, n == 1 ? "" : "s");
    }
  } else if (strcmp (m, "Alert") == 0) {
    const char *level = field_value (f, "Level");
    g_autofree char *desc = strip_code (field_value (f, "Description"));
    g_autofree char *lvl = strip_code (level);
    add_line (out, "%s: %s", lvl ? lvl : "?", desc ? desc : "?");
  }
  if (st->fault)
    add_line (out, "\u26a0 %s", st->fault);
  if (st->check && g_str_has_prefix (st->check, "MISMATCH"))
    add_line (out, "MISMATCH: the receiver computes other verify_data");
  if (st->delivered && !st->accepted)
    add_line (out, "not read: the %s had already stopped",
              hl_side_name (st->from == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT));
  (void)run;
  return g_string_free (out, FALSE);
}

char *
hl_ladder_describe_learned (HlRun *run, const HlStep *st, HlSide side)
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
      g_autofree char *hex = hl_ladder_short_hex (s->value);
      char *line = g_markup_printf_escaped ("+ %s <tt>%s</tt>", s->name, hex);
      if (out->len)
        g_string_append_c (out, '\n');
      g_string_append (out, line);
      g_free (line);
    }
  }
  if (after->certificate_verdict
      && (!prev || g_strcmp0 (prev->after[side].certificate_verdict, after->certificate_verdict))) {
    gboolean ok = strstr (after->certificate_verdict, " checked the chain") != NULL;
    add_line (out, ok ? "\u2713 certificate chain trusted" : "\u2717 certificate chain rejected");
  }
  if (after->error && (!prev || prev->after[side].error != after->error)) {
    g_autofree char *name = hl_error_name (after->error);
    add_line (out, "\u2717 stops: %s", name);
  }
  if (out->len == 0) {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

char *
hl_ladder_describe_side (HlRun *run, HlSide side)
{
  const HlScenario *s = hl_run_get_scenario (run);
  const HlSideConfig *c = side == HL_SIDE_CLIENT ? &s->client : &s->server;
  GString *out = g_string_new (NULL);
  g_autoptr (GString) detail = g_string_new (NULL);
  HlField *leaf = hl_credentials_describe_leaf (c->credentials);
  char *head = g_markup_printf_escaped ("<b>%s</b>", side == HL_SIDE_CLIENT ? "Client" : "Server");
  g_string_append (out, head);
  g_free (head);
  if (side == HL_SIDE_CLIENT && c->server_name)
    add_line (detail, "connects to %s", c->server_name);
  if (leaf) {
    const char *subject = NULL, *key = NULL;
    for (guint i = 0; i < leaf->children->len; i++) {
      const HlField *f = g_ptr_array_index (leaf->children, i);
      if (strcmp (f->name, "Subject") == 0)
        subject = f->value;
      else if (strcmp (f->name, "Public key") == 0)
        key = f->value;
    }
    add_line (detail, "certificate: %s", subject ? subject : "?");
    add_line (detail, "key: %s", key ? key : "?");
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
  g_autofree char *name = hl_error_name (c->error[side]);
  *ok = c->error[side] == 0;
  if (c->error[side] == 0)
    return g_markup_printf_escaped ("\u2713 %s",
                                    c->success ? "handshake complete" : "no error of its own");
  if (g_str_has_prefix (name, "BR_ERR_SEND_FATAL_ALERT"))
    return g_markup_printf_escaped ("\u2717 sent an alert: %s", name);
  if (g_str_has_prefix (name, "BR_ERR_RECV_FATAL_ALERT"))
    return g_markup_printf_escaped ("\u2717 received an alert: %s", name);
  return g_markup_printf_escaped ("\u2717 closed without an alert: %s", name);
}

static const char *const phase_names[] = {
  "Hello \u00b7 story steps 1\u20132",
  "Authentication \u00b7 story steps 2\u20133",
  "Key exchange \u00b7 story step 4",
  "Session keys and Finished \u00b7 story steps 5\u20137",
  "Application data \u00b7 story steps 8\u20139",
  "Close",
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
  if (strcmp (m, "ChangeCipherSpec") == 0 || strcmp (m, "Finished") == 0)
    return 3;
  if (strcmp (m, "ApplicationData") == 0)
    return 4;
  if (strcmp (m, "Alert") == 0 && st->summary && strstr (st->summary, "close_notify"))
    return 5;
  return -1;
}

const char *
hl_ladder_phase_name (int phase)
{
  return phase >= 0 && phase < (int)G_N_ELEMENTS (phase_names) ? phase_names[phase] : "";
}
