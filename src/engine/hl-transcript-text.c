/* hl-transcript-text.c: the run as a handout a person reads: Markdown, or plain
 * text for the terminal. */
#include "hl-transcript.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <errno.h>
#include <string.h>

static void
md_fields (GString *out, GPtrArray *fields, int depth)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    HlField *f = g_ptr_array_index (fields, i);
    g_autofree char *value = g_strdup (f->value);
    for (char *p = value; *p; p++)
      if (*p == '\n' || *p == '|')
        *p = ' ';
    for (int d = 0; d < depth; d++)
      g_string_append (out, "  ");
    g_string_append_printf (out, "- **%s** `[%zu+%zu]`: %s", f->name, f->offset, f->length, value);
    if (*f->explanation)
      g_string_append_printf (out, " — %s", f->explanation);
    g_string_append_c (out, '\n');
    md_fields (out, f->children, depth + 1);
  }
}

static void
append_hex_block (GString *out, GBytes *b, const char *prefix)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (b, &len);
  for (gsize off = 0; off < len; off += 16) {
    g_string_append_printf (out, "%s%04zx  ", prefix, off);
    for (gsize i = off; i < off + 16 && i < len; i++)
      g_string_append_printf (out, i > off ? " %02x" : "%02x", d[i]);
    g_string_append_c (out, '\n');
  }
}

static void
write_secrets_list (GString *out, const HlSecrets *s, gboolean resumed, gboolean md)
{
  for (int i = 0; i < HL_N_SECRETS; i++) {
    g_autofree char *hex = NULL;
    if (!s->value[i] || (resumed && i == HL_SECRET_PREMASTER))
      continue;
    hex = hl_hex_bytes (s->value[i]);
    if (md)
      g_string_append_printf (out, "| %s | `%s` | %s |\n", hl_secret_key (i),
                              *hex ? hex : "(empty)", hl_secret_formula (i));
    else
      g_string_append_printf (out, "  %-24s %s\n", hl_secret_key (i), *hex ? hex : "(empty)");
  }
}

static char *
render (HlRun *run, gboolean md)
{
  const HlScenario *s = hl_run_get_scenario (run);
  GString *out = g_string_new (NULL);
  char *why = NULL;
  int expected = hl_run_check_expect (run, &why);
  if (md) {
    /* The seed is any text: keep it on one line and inside its code span. */
    g_autofree char *seed = g_strdup (s->seed);
    for (char *p = seed; *p; p++)
      if (*p == '`' || *p == '\n' || *p == '\r')
        *p = ' ';
    g_string_append_printf (out, "# %s\n\n%s\n\nSeed `%s`, clock %s.\n\n", s->title, s->description,
                            seed, s->time_text);
  } else
    g_string_append_printf (out, "%s\n%s\n\n", s->title, s->description);
  for (guint ci = 0; ci < hl_run_get_n_connections (run); ci++) {
    const HlConnection *c = hl_run_get_connection (run, ci);
    const HlSuite *suite = hl_suite_by_id (c->suite);
    if (md)
      g_string_append_printf (out, "## Connection %u%s: %s\n\n", c->index,
                              c->resumed ? " (resumed)" : "", c->success ? "success" : "failure");
    else
      g_string_append_printf (out, "== Connection %u%s: %s ==\n", c->index,
                              c->resumed ? " (resumed)" : "", c->success ? "success" : "failure");
    g_string_append_printf (out, "%sNegotiated: %s, %s%s%s%s%s\n", md ? "" : "  ",
                            c->version ? hl_version_long_name (c->version) : "no version",
                            suite ? suite->name : "no cipher suite", c->curve > 0 ? ", curve " : "",
                            c->curve > 0 ? hl_curve_name (c->curve) : "", c->alpn ? ", ALPN " : "",
                            c->alpn ? c->alpn : "");
    if (md)
      g_string_append_c (out, '\n');
    for (guint si = 0; si < c->steps->len; si++) {
      const HlStep *st = g_ptr_array_index (c->steps, si);
      const char *arrow = st->from == HL_SIDE_CLIENT ? "client → server" : "server → client";
      if (md) {
        g_string_append_printf (out, "### Step %u: %s, %s%s\n\n%s %s\n\n", st->index, arrow,
                                st->message, st->encrypted ? " (encrypted)" : "", st->summary,
                                st->story);
        if (st->fault)
          g_string_append_printf (out, "**Fault:** %s\n\n", st->fault);
        if (!st->delivered)
          g_string_append (out, "**Not delivered.**\n\n");
        else if (!st->accepted)
          g_string_append (out, "**The receiver had already stopped and did not read it.**\n\n");
        if (st->check)
          g_string_append_printf (out, "**Check:** %s\n\n", st->check);
        if (st->certificate_check)
          g_string_append_printf (out, "**Certificate check:** %s\n\n", st->certificate_check);
        md_fields (out, st->fields, 0);
        if (st->encrypted && st->plaintext) {
          g_string_append (out, "\nDecrypted content:\n\n```\n");
          append_hex_block (out, st->plaintext, "");
          g_string_append (out, "```\n");
        }
        g_string_append_printf (out, "\n%s:\n\n```\n",
                                st->encrypted ? "Record payload as sent (encrypted)" : "As sent");
        append_hex_block (out, st->wire, "");
        g_string_append (out, "```\n\n");
        if (st->delivered_wire) {
          g_string_append (out, "As delivered, changed in transit:\n\n```\n");
          append_hex_block (out, st->delivered_wire, "");
          g_string_append (out, "```\n\n");
        }
        g_string_append_printf (out, "After: client `%s` (error %d), server `%s` (error %d)\n\n",
                                st->after[0].state, st->after[0].error, st->after[1].state,
                                st->after[1].error);
      } else {
        g_string_append_printf (out, "%3u  %s  %-18s %5zu bytes%s%s%s\n", st->index, arrow,
                                st->message, g_bytes_get_size (st->wire),
                                st->encrypted ? "  encrypted" : "", st->fault ? "  FAULT: " : "",
                                st->fault ? st->fault : "");
        g_string_append_printf (out, "     %s\n", st->summary);
        if (st->check)
          g_string_append_printf (out, "     %s\n", st->check);
        if (st->certificate_check)
          g_string_append_printf (out, "     %s\n", st->certificate_check);
      }
    }
    if (md) {
      g_string_append (out, "### Secrets\n\n| secret | value | how it is made |\n|---|---|---|\n");
      write_secrets_list (out, &c->secrets, c->resumed, TRUE);
      g_string_append_printf (out, "\n- Client: %s\n- Server: %s\n\n", c->explanation[0],
                              c->explanation[1]);
    } else {
      g_string_append (out, "  Secrets:\n");
      write_secrets_list (out, &c->secrets, c->resumed, FALSE);
      g_string_append_printf (out, "  Client: %s\n  Server: %s\n\n", c->explanation[0],
                              c->explanation[1]);
    }
  }
  g_string_append_printf (out, "%sOutcome: %s", md ? "**" : "",
                          hl_run_succeeded (run) ? "success" : "failure");
  if (expected >= 0)
    g_string_append_printf (out, "; %s", expected ? "as expected" : "NOT as expected: ");
  if (why)
    g_string_append (out, why);
  g_string_append_printf (out, "%s\n", md ? "**" : "");
  g_free (why);
  return g_string_free (out, FALSE);
}

char *
hl_transcript_to_markdown (HlRun *run)
{
  return render (run, TRUE);
}

char *
hl_transcript_to_text (HlRun *run)
{
  return render (run, FALSE);
}
