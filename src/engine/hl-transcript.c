/* hl-transcript.c: the run as JSON (docs: the shared transcript spec), and the
 * NSS key log Wireshark reads. Markdown and text: hl-transcript-text.c. */
#include "hl-transcript.h"
#include "hl-decode.h"
#include "hl-json.h"
#include "hl-recorded.h"
#include "hl-tables.h"

#include <errno.h>
#include <string.h>

static void
json_string (GString *out, const char *text)
{
  hl_json_append_string (out, text, HL_JSON_PLAIN);
}

static void
json_string_or_null (GString *out, const char *s)
{
  if (s)
    json_string (out, s);
  else
    g_string_append (out, "null");
}

static void
json_hex (GString *out, GBytes *b)
{
  hl_json_append_hex (out, b, HL_JSON_PLAIN);
}

static void
indent (GString *out, int level)
{
  g_string_append_c (out, '\n');
  for (int i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
json_fields (GString *out, GPtrArray *fields, int level)
{
  g_string_append_c (out, '[');
  for (guint i = 0; fields && i < fields->len; i++) {
    HlField *f = g_ptr_array_index (fields, i);
    if (i)
      g_string_append_c (out, ',');
    indent (out, level + 1);
    g_string_append (out, "{ \"name\": ");
    json_string (out, f->name);
    g_string_append (out, ", \"value\": ");
    json_string (out, f->value);
    g_string_append_printf (out, ", \"offset\": %zu, \"length\": %zu, \"explanation\": ", f->offset,
                            f->length);
    json_string (out, f->explanation);
    /* Added keys (docs/project-extensions.md): the field's stable id and number. */
    g_string_append (out, ", \"id\": ");
    json_string (out, f->id ? f->id : "");
    if (f->number >= 0)
      g_string_append_printf (out, ", \"number\": %" G_GINT64_FORMAT, f->number);
    g_string_append (out, ", \"children\": ");
    if (f->children->len)
      json_fields (out, f->children, level + 1);
    else
      g_string_append (out, "[]");
    g_string_append (out, " }");
  }
  if (fields && fields->len)
    indent (out, level);
  g_string_append_c (out, ']');
}

static void
json_side_state (GString *out, const HlSideState *s)
{
  gboolean first = TRUE;
  g_string_append (out, "{ \"state\": ");
  json_string (out, s->state);
  g_string_append_printf (out, ", \"error\": %d, \"knows\": [", s->error);
  for (int i = 0; i < HL_N_SECRETS; i++)
    if (s->knows & (G_GUINT64_CONSTANT (1) << i)) {
      if (!first)
        g_string_append (out, ", ");
      json_string (out, hl_secret_key (i));
      first = FALSE;
    }
  g_string_append (out, "] }");
}

static void
json_secrets (GString *out, const HlSecrets *s, gboolean resumed, gboolean tls13, int level)
{
  gboolean first = TRUE;
  g_string_append_c (out, '{');
  for (guint k = 0; hl_secret_nth (k, tls13) < HL_N_SECRETS; k++) {
    HlSecretId i = hl_secret_nth (k, tls13);
    if (!s->value[i] || (resumed && i == HL_SECRET_PREMASTER))
      continue;
    if (!first)
      g_string_append_c (out, ',');
    indent (out, level + 1);
    json_string (out, hl_secret_key (i));
    g_string_append (out, ": ");
    json_hex (out, s->value[i]);
    first = FALSE;
  }
  if (!first)
    indent (out, level);
  g_string_append_c (out, '}');
}

static void
json_step (GString *out, const HlStep *st, int L, gint64 time_us)
{
  g_string_append_c (out, '{');
  indent (out, L + 1);
  g_string_append_printf (out, "\"index\": %u, \"connection\": %u, \"from\": ", st->index,
                          st->connection);
  json_string (out, hl_side_name (st->from));
  g_string_append (out, ", \"message\": ");
  json_string (out, st->message);
  g_string_append_printf (out, ", \"content_type\": %u, \"handshake_type\": ", st->content_type);
  if (st->handshake_type >= 0)
    g_string_append_printf (out, "%d", st->handshake_type);
  else
    g_string_append (out, "null");
  g_string_append_printf (out, ", \"encrypted\": %s,", st->encrypted ? "true" : "false");
  if (st->early)
    g_string_append (out, " \"early\": true,");
  if (st->skipped)
    g_string_append (out, " \"skipped\": true,");
  /* A recorded run: when the capture saw the message (microseconds since 1970). */
  if (time_us)
    g_string_append_printf (out, " \"time_us\": %" G_GINT64_FORMAT ",", time_us);
  indent (out, L + 1);
  g_string_append (out, "\"summary\": ");
  json_string (out, st->summary);
  g_string_append_c (out, ',');
  indent (out, L + 1);
  g_string_append (out, "\"story\": ");
  json_string (out, st->story);
  g_string_append_c (out, ',');
  indent (out, L + 1);
  g_string_append (out, "\"wire\": ");
  json_hex (out, st->wire);
  g_string_append_c (out, ',');
  if (st->encrypted) {
    indent (out, L + 1);
    g_string_append (out, "\"plaintext\": ");
    if (st->plaintext)
      json_hex (out, st->plaintext);
    else
      g_string_append (out, "null");
    g_string_append_c (out, ',');
  }
  if (st->delivered_wire) {
    indent (out, L + 1);
    g_string_append (out, "\"delivered_wire\": ");
    json_hex (out, st->delivered_wire);
    g_string_append_c (out, ',');
  }
  if (st->delivered_plaintext) {
    indent (out, L + 1);
    g_string_append (out, "\"delivered_plaintext\": ");
    json_hex (out, st->delivered_plaintext);
    g_string_append_c (out, ',');
  }
  if (st->check) {
    indent (out, L + 1);
    g_string_append (out, "\"check\": ");
    json_string (out, st->check);
    g_string_append_c (out, ',');
  }
  if (st->certificate_check) {
    indent (out, L + 1);
    g_string_append (out, "\"certificate_check\": ");
    json_string (out, st->certificate_check);
    g_string_append_c (out, ',');
  }
  indent (out, L + 1);
  g_string_append (out, "\"records\": [");
  for (guint i = 0; i < st->records->len; i++) {
    const HlRecordHeader *r = &g_array_index (st->records, HlRecordHeader, i);
    g_string_append_printf (out,
                            "%s{ \"content_type\": %u, \"version\": \"0x%04x\", \"length\": %u }",
                            i ? ", " : "", r->content_type, r->version, r->length);
  }
  g_string_append (out, "],");
  if (st->sealed) {
    /* An addition to the spec: what the record was sealed with, never sent. */
    indent (out, L + 1);
    g_string_append_printf (
        out,
        "\"record_protection\": { \"sequence_number\": %" G_GUINT64_FORMAT ", \"iv\": ", st->seq);
    if (st->seal_iv)
      json_hex (out, st->seal_iv);
    else
      g_string_append (out, "null");
    g_string_append (out, ", \"nonce\": ");
    if (st->nonce)
      json_hex (out, st->nonce);
    else
      g_string_append (out, "null");
    if (st->inner_type >= 0)
      g_string_append_printf (out, ", \"inner_content_type\": %d, \"padding\": %zu", st->inner_type,
                              st->padding);
    g_string_append (out, " },");
  }
  indent (out, L + 1);
  g_string_append_printf (out, "\"delivered\": %s, \"accepted\": %s, \"fault\": ",
                          st->delivered ? "true" : "false", st->accepted ? "true" : "false");
  json_string_or_null (out, st->fault);
  g_string_append_c (out, ',');
  indent (out, L + 1);
  g_string_append (out, "\"fields\": ");
  json_fields (out, st->fields, L + 1);
  g_string_append_c (out, ',');
  indent (out, L + 1);
  g_string_append (out, "\"client_after\": ");
  json_side_state (out, &st->after[HL_SIDE_CLIENT]);
  g_string_append_c (out, ',');
  indent (out, L + 1);
  g_string_append (out, "\"server_after\": ");
  json_side_state (out, &st->after[HL_SIDE_SERVER]);
  indent (out, L);
  g_string_append_c (out, '}');
}

static void
json_side_end (GString *out, const HlConnection *c, HlSide side, HlLibrary library)
{
  g_autofree char *name = hl_error_name (c->error[side]);
  g_string_append_printf (out, "{ \"library\": \"%s\", \"error\": %d, \"error_name\": ",
                          hl_library_name (library), c->error[side]);
  /* An OpenSSL side's error_name is OpenSSL's own reason, as the spec says. */
  json_string (out, c->reason[side] ? c->reason[side] : name);
  g_string_append (out, ", \"explanation\": ");
  json_string (out, c->explanation[side]);
  g_string_append (out, " }");
}

char *
hl_transcript_to_json (const HlRun *run)
{
  const HlScenario *s = hl_run_get_scenario (run);
  GString *out = g_string_new (NULL);
  char *why = NULL;
  int expected = hl_run_check_expect (run, &why);
  g_free (why);
  g_string_append (out, "{");
  indent (out, 1);
  g_string_append (out, "\"format\": 1,");
  indent (out, 1);
  g_string_append (out, "\"scenario\": { \"title\": ");
  json_string (out, s->title);
  g_string_append (out, ", \"file\": ");
  if (s->file) {
    g_autofree char *base = g_path_get_basename (s->file);
    json_string (out, base);
  } else {
    g_string_append (out, "null");
  }
  g_string_append (out, ", \"seed\": ");
  json_string (out, s->seed);
  g_string_append (out, ", \"time\": ");
  json_string (out, s->time_text);
  g_string_append (out, ", \"description\": ");
  json_string (out, s->description);
  g_string_append (out, " },");
  indent (out, 1);
  g_string_append_printf (out, "\"outcome\": \"%s\",",
                          hl_run_succeeded (run) ? "success" : "failure");
  indent (out, 1);
  g_string_append_printf (out, "\"expected\": %s,",
                          expected < 0 ? "null"
                          : expected   ? "true"
                                       : "false");
  indent (out, 1);
  g_string_append (out, "\"formulas\": {");
  for (int i = 0; i < HL_N_SECRETS; i++) {
    const HlConnection *first = hl_run_get_connection (run, 0);
    g_string_append (out, i ? "," : "");
    indent (out, 2);
    json_string (out, hl_secret_key (i));
    g_string_append (out, ": ");
    json_string (out, hl_secret_formula_in (i, first));
  }
  indent (out, 1);
  g_string_append (out, "},");
  indent (out, 1);
  g_string_append (out, "\"connections\": [");
  for (guint ci = 0; ci < hl_run_get_n_connections (run); ci++) {
    const HlConnection *c = hl_run_get_connection (run, ci);
    const HlSuite *suite = hl_suite_by_id (c->suite);
    if (ci)
      g_string_append_c (out, ',');
    indent (out, 2);
    g_string_append_c (out, '{');
    indent (out, 3);
    g_string_append_printf (out, "\"index\": %u, \"resumed\": %s, \"outcome\": \"%s\",", c->index,
                            c->resumed ? "true" : "false", c->success ? "success" : "failure");
    if (c->version == 0x0304)
      g_string_append_printf (out, " \"hello_retry\": %s,", c->hello_retry ? "true" : "false");
    else if (c->version)
      g_string_append_printf (out, " \"extended_master_secret\": %s,",
                              c->extended_master_secret ? "true" : "false");
    indent (out, 3);
    g_string_append (out, "\"negotiated\": { \"version\": ");
    json_string_or_null (out, c->version ? hl_version_name (c->version) : NULL);
    g_string_append (out, ", \"cipher_suite\": ");
    json_string_or_null (out, suite ? suite->name : NULL);
    g_string_append (out, ", \"cipher_suite_id\": ");
    if (c->suite)
      g_string_append_printf (out, "%u", c->suite);
    else
      g_string_append (out, "null");
    g_string_append (out, ", \"curve\": ");
    json_string_or_null (out, c->curve > 0 ? hl_curve_name (c->curve) : NULL);
    g_string_append (out, ", \"alpn\": ");
    json_string_or_null (out, c->alpn);
    g_string_append (out, ", \"server_name\": ");
    json_string_or_null (out, c->server_name);
    g_string_append (out, " },");
    indent (out, 3);
    g_string_append (out, "\"client\": ");
    json_side_end (out, c, HL_SIDE_CLIENT, s->client.library);
    g_string_append_c (out, ',');
    indent (out, 3);
    g_string_append (out, "\"server\": ");
    json_side_end (out, c, HL_SIDE_SERVER, s->server.library);
    g_string_append_c (out, ',');
    indent (out, 3);
    g_string_append (out, "\"secrets\": ");
    json_secrets (out, &c->secrets, c->resumed, c->version == 0x0304, 3);
    g_string_append_c (out, ',');
    if (c->views_differ) {
      indent (out, 3);
      g_string_append (out, "\"server_secrets\": ");
      json_secrets (out, &c->server_secrets, c->resumed, c->version == 0x0304, 3);
      g_string_append_c (out, ',');
    }
    indent (out, 3);
    g_string_append (out, "\"steps\": [");
    for (guint si = 0; si < c->steps->len; si++) {
      if (si)
        g_string_append_c (out, ',');
      indent (out, 4);
      const HlStep *st = g_ptr_array_index (c->steps, si);
      json_step (out, st, 4, hl_run_get_step_time (run, st->index - 1));
    }
    if (c->steps->len)
      indent (out, 3);
    g_string_append (out, "]");
    indent (out, 2);
    g_string_append_c (out, '}');
  }
  indent (out, 1);
  g_string_append (out, "]\n}\n");
  return g_string_free (out, FALSE);
}

/* The TLS 1.3 secrets Wireshark needs, by their NSS key log names. */
static const struct {
  const char *label;
  HlSecretId id;
} keylog13[] = {
  { "CLIENT_EARLY_TRAFFIC_SECRET", HL_SECRET_CLIENT_EARLY_TRAFFIC },
  { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC },
  { "SERVER_HANDSHAKE_TRAFFIC_SECRET", HL_SECRET_SERVER_HANDSHAKE_TRAFFIC },
  { "CLIENT_TRAFFIC_SECRET_0", HL_SECRET_CLIENT_APPLICATION_TRAFFIC },
  { "SERVER_TRAFFIC_SECRET_0", HL_SECRET_SERVER_APPLICATION_TRAFFIC },
  { "EXPORTER_SECRET", HL_SECRET_EXPORTER_MASTER },
};

char *
hl_transcript_to_keylog (const HlRun *run)
{
  GString *out = g_string_new ("# Handshake Lab key log (NSS format): load it in Wireshark\n");
  for (guint ci = 0; ci < hl_run_get_n_connections (run); ci++) {
    const HlConnection *c = hl_run_get_connection (run, ci);
    g_autofree char *cr = NULL;
    if (!c->secrets.value[HL_SECRET_CLIENT_RANDOM])
      continue;
    cr = hl_hex_bytes (c->secrets.value[HL_SECRET_CLIENT_RANDOM]);
    if (c->version == 0x0304) {
      for (guint i = 0; i < G_N_ELEMENTS (keylog13); i++) {
        g_autofree char *v = NULL;
        if (!c->secrets.value[keylog13[i].id])
          continue;
        v = hl_hex_bytes (c->secrets.value[keylog13[i].id]);
        g_string_append_printf (out, "%s %s %s\n", keylog13[i].label, cr, v);
      }
      continue;
    }
    if (c->secrets.value[HL_SECRET_MASTER]) {
      g_autofree char *ms = hl_hex_bytes (c->secrets.value[HL_SECRET_MASTER]);
      g_string_append_printf (out, "CLIENT_RANDOM %s %s\n", cr, ms);
    }
  }
  return g_string_free (out, FALSE);
}

char *
hl_step_describe_time (const HlRun *run, guint index)
{
  gint64 first = 0, t = index ? hl_run_get_step_time (run, index - 1) : 0;
  double ms;
  if (t <= 0)
    return NULL;
  for (guint i = 0; i < index && !first; i++)
    first = hl_run_get_step_time (run, i);
  ms = (double)(t - first) / 1000.0;
  /* Round trips on a LAN are fractions of a millisecond; across the world, hundreds. */
  if (ms < 1000)
    return g_strdup_printf ("+%.2f ms", ms);
  return g_strdup_printf ("+%.3f s", ms / 1000);
}
