/* hl-transcript-text.c: the run as a handout a person reads: Markdown, or plain
 * text for the terminal. */
#include "hl-transcript.h"
#include "hl-discussion.h"
#include "hl-i18n.h"
#include "hl-decode.h"
#include "hl-recorded.h"
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
write_secrets_list (GString *out, const HlConnection *c, const HlSecrets *s, gboolean resumed,
                    gboolean tls13, gboolean md)
{
  for (guint k = 0; hl_secret_nth (k, tls13) < HL_N_SECRETS; k++) {
    HlSecretId i = hl_secret_nth (k, tls13);
    g_autofree char *hex = NULL;
    if (!s->value[i] || (resumed && i == HL_SECRET_PREMASTER))
      continue;
    hex = hl_hex_bytes (s->value[i]);
    if (md)
      g_string_append_printf (out, "| %s | `%s` | %s |\n", hl_secret_key (i),
                              *hex ? hex : "(empty)", hl_secret_formula_in (i, c));
    else
      g_string_append_printf (out, "  %-24s %s\n", hl_secret_key (i), *hex ? hex : "(empty)");
  }
}

/* The classic story the steps refer to ("story step 4"). */
static const char *const story[] = {
  N_ ("The client says hello: its random and the cipher suites it can use."),
  N_ ("The server answers with its random, the chosen suite and its certificate."),
  N_ ("The client checks the certificate against the CAs it trusts."),
  N_ ("The client sends the premaster secret, encrypted to the server's key (ECDHE: both send a "
      "key "
      "share instead, and each computes the premaster)."),
  N_ ("Both derive the session keys from the two randoms and the premaster."),
  N_ ("The client's Finished: a MAC over the whole handshake, the first encrypted message."),
  N_ ("The server's Finished: the same from its side; the handshake is complete."),
  N_ ("Application data, encrypted and authenticated with the session keys."),
  N_ ("More application data, then close_notify ends the connection."),
};

static void
write_story (GString *out, gboolean md, gboolean tls13)
{
  g_string_append (out, md ? _ ("## The nine steps of the story\n\n")
                           : _ ("The nine steps of the story:\n"));
  if (tls13)
    g_string_append (out, md ? _ ("The classic TLS 1.2 story, which this TLS 1.3 run changes: "
                                  "each step below says what became of these.\n\n")
                             : _ ("  (the classic TLS 1.2 story, which this TLS 1.3 run changes: "
                                  "each step below says what became of these)\n"));
  for (guint i = 0; i < G_N_ELEMENTS (story); i++)
    g_string_append_printf (out, md ? "%u. %s\n" : "  %u. %s\n", i + 1, _ (story[i]));
  g_string_append_c (out, '\n');
}

static void
write_legend (GString *out, gboolean md, gboolean bearssl, gboolean openssl)
{
  guint n;
  const HlStateFlag *flags = hl_engine_state_flags (&n);
  g_string_append (out, md ? _ ("## How to read the engine states\n\n")
                           : _ ("How to read the engine states:\n"));
  if (bearssl) {
    g_string_append (out, md ? _ ("BearSSL sides show its engine flags. ")
                             : _ ("  BearSSL sides show its engine flags. "));
    for (guint i = 0; i < n; i++)
      g_string_append_printf (out, "%s: %s%s", flags[i].flag, _ (flags[i].meaning),
                              i + 1 < n ? "; " : ".\n\n");
  }
  if (openssl)
    g_string_append (
        out,
        md ? _ ("OpenSSL sides show \"OpenSSL:\" and OpenSSL's own name for its handshake state, "
                "the last thing it did (\"SSLv3/TLS read server hello\", \"TLSv1.3 read encrypted "
                "extensions\"). \"TLSv1.3 early data\" "
                "is a TLS 1.3 server that has sent its first flight and waits for the client's "
                "next one (OpenSSL names that state so whether or not 0-RTT data was offered), "
                "or a client that has sent 0-RTT data and not yet finished the handshake. "
                "\"SSL negotiation finished successfully\": the handshake is done; \"closed\": "
                "close_notify both ways; \"stopped (reason)\": it stopped on an error, with "
                "OpenSSL's own reason. An OpenSSL side's error is told as the alert it sent or "
                "received and OpenSSL's reason, not as a BearSSL code.\n\n")
           : _ ("  OpenSSL sides show \"OpenSSL:\" and OpenSSL's own name for its handshake "
                "state; \"TLSv1.3 early data\" is a TLS 1.3 server waiting for the client's next "
                "flight, 0-RTT data or not, or a client that has sent 0-RTT data and not yet "
                "finished; their errors are the alert sent or received and "
                "OpenSSL's reason.\n\n"));
  /* The knowledge lists follow the sides, which write a whole flight at once. */
  g_string_append (
      out, md ? _ ("\"Now also holds\" lists what a side has computed after a step, including "
                   "for messages it has already written that the lab has not delivered yet: a "
                   "side writes a whole flight at once, so the secrets of its Finished can "
                   "appear before the other messages of that flight are shown. A Finished still "
                   "covers every handshake message before it, those included (RFC 5246 7.4.9, "
                   "RFC 8446 4.4.4).\n\n")
              : _ ("  \"now also holds\": what a side has computed, including for messages it "
                   "has written that are still on the way (a side writes a whole flight at "
                   "once).\n\n"));
  /* What a Wireshark user would see differently on the wire between two BearSSL sides. */
  if (bearssl && md)
    g_string_append (out, _ ("BearSSL packs the handshake messages it writes together into as "
                             "few records as it can; the lab frames each message in a record "
                             "of its own, so that a step is exactly one message (RFC 5246 "
                             "6.2.1 lets a record carry one message, part of one, or several of "
                             "the same content type).\n\n"));
}

/* What a side newly holds after a step: "premaster secret, master secret". */
static char *
learned (const HlStep *st, HlSide side)
{
  GString *names = g_string_new (NULL);
  const GPtrArray *list = st->after[side].secrets;
  for (guint i = 0; list && i < list->len; i++) {
    const HlSecret *secret = g_ptr_array_index (list, i);
    if (secret->learned_at == st->index)
      g_string_append_printf (names, "%s%s", names->len ? ", " : "", secret->name);
  }
  return g_string_free (names, names->len == 0);
}

/* "error 54: BR_ERR_X509_EXPIRED, the certificate has expired..."; an OpenSSL side in
 * its own words ("OpenSSL sent the fatal alert decrypt_error (51)"). */
static char *
describe_error (const HlSideState *after)
{
  int err = after->error;
  g_autofree char *name = NULL;
  g_autofree char *plain = NULL;
  if (err == 0)
    return g_strdup ("no error");
  if (after->openssl) {
    g_autofree char *words = hl_describe_openssl_error (err, after->reason);
    return g_strdup_printf (_ ("OpenSSL %s"), words);
  }
  name = hl_error_name (err);
  plain = hl_error_explain (err);
  return g_strdup_printf ("error %d, %s: %s", err, name, plain);
}

static void
write_knowledge (GString *out, const HlStep *st, gboolean md)
{
  for (int side = 0; side < 2; side++) {
    g_autofree char *names = learned (st, side);
    if (names)
      g_string_append_printf (out,
                              md ? _ ("**The %s now also holds:** %s.\n\n")
                                 : _ ("     The %s now also holds: %s.\n"),
                              hl_side_word (side), names);
  }
}

/* The record layer under the message: headers, payload parts, tag, nonce. */
static void
write_record_layer (GString *out, const HlStep *st)
{
  g_auto (GStrv) lines = hl_step_record_lines (st, TRUE);
  if (!lines[0])
    return;
  g_string_append (out, _ ("\n**Record layer:**\n\n"));
  for (guint i = 0; lines[i]; i++)
    g_string_append_printf (out, "- %s\n", lines[i]);
}

/* TLS 1.3 decrypts to TLSInnerPlaintext: show all of it, so its bytes add up. */
static void
write_decrypted (GString *out, const HlStep *st)
{
  gsize len = g_bytes_get_size (st->plaintext);
  if (st->sealed && st->inner_type >= 0 && st->inner_length == len + 1 + st->padding) {
    GByteArray *inner = g_byte_array_sized_new (st->inner_length);
    guint8 type = (guint8)st->inner_type;
    g_autoptr (GBytes) bytes = NULL;
    g_byte_array_append (inner, g_bytes_get_data (st->plaintext, NULL), len);
    g_byte_array_append (inner, &type, 1);
    g_byte_array_set_size (inner, st->inner_length); /* the padding: zeros */
    memset (inner->data + len + 1, 0, st->padding);
    bytes = g_byte_array_free_to_bytes (inner);
    g_string_append_printf (out,
                            _ ("\nDecrypted (TLSInnerPlaintext, %zu bytes): the content (%zu "
                               "bytes), then its content type %d (1 byte), then %zu bytes of "
                               "zero padding:\n\n```\n"),
                            st->inner_length, len, st->inner_type, st->padding);
    hl_hex_dump (out, bytes, TRUE);
  } else {
    g_string_append (out, _ ("\nDecrypted content:\n\n```\n"));
    hl_hex_dump (out, st->plaintext, TRUE);
  }
  g_string_append (out, "```\n");
}

static char *
render (const HlRun *run, gboolean md, gboolean brief)
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
    if (hl_run_is_recorded (run)) /* a capture has no seed or clock of the lab's */
      g_string_append_printf (out, "# %s\n\n%s\n\n", s->title, s->description);
    else
      g_string_append_printf (out, _ ("# %s\n\n%s\n\nSeed `%s`, clock %s.\n\n"), s->title,
                              s->description, seed, s->time_text);
  } else
    g_string_append_printf (out, "%s\n%s\n\n", s->title, s->description);
  write_story (out, md,
               hl_run_get_n_connections (run) > 0
                   && hl_run_get_connection (run, 0)->version == 0x0304);
  if (!brief) {
    gboolean sides[2] = { FALSE, FALSE }; /* BearSSL, OpenSSL */
    for (guint i = 0; i < hl_run_get_n_steps (run); i++)
      for (int side = 0; side < 2; side++)
        sides[hl_run_get_step (run, i)->after[side].openssl] = TRUE;
    if (hl_run_is_recorded (run))
      /* No library ran: the capture shows what crossed the wire. */
      g_string_append (out, md ? _ ("## How to read the sides\n\nBoth sides are read from a "
                                    "capture: what crossed the wire, and what its keys open. No "
                                    "TLS library ran here, so no side has a library state.\n\n")
                               : _ ("Both sides are read from a capture: what crossed the wire, "
                                    "and what its keys open; no side has a library state.\n\n"));
    else
      write_legend (out, md, sides[0] || hl_run_get_n_steps (run) == 0, sides[1]);
  }
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
                            suite ? suite->name : _ ("no cipher suite"),
                            c->curve > 0 ? ", curve " : "",
                            c->curve > 0 ? hl_curve_name (c->curve) : "", c->alpn ? ", ALPN " : "",
                            c->alpn ? c->alpn : "");
    if (md)
      g_string_append_c (out, '\n');
    for (guint si = 0; si < c->steps->len; si++) {
      const HlStep *st = g_ptr_array_index (c->steps, si);
      const char *arrow
          = st->from == HL_SIDE_CLIENT ? _ ("client → server") : _ ("server → client");
      if (md) {
        g_autofree char *when = hl_step_describe_time (run, st->index);
        g_string_append_printf (out, "### Step %u: %s, %s%s\n\n", st->index, arrow, st->message,
                                st->encrypted ? " (encrypted)" : "");
        if (when) /* a capture's: the gaps between messages are the round trips */
          g_string_append_printf (out, _ ("**Captured:** %s after the first message\n\n"), when);
        g_string_append_printf (out, "%s %s\n\n", st->summary, st->story);
        {
          g_autofree char *key = hl_step_describe_record_key (st, TRUE);
          g_string_append_printf (out, _ ("**Record protected by:** %s\n\n"), key);
        }
        if (st->fault)
          g_string_append_printf (out, "**Fault:** %s\n\n", st->fault);
        if (!st->delivered)
          g_string_append (out, "**Not delivered.**\n\n");
        else if (st->skipped)
          g_string_append (out, _ ("**The server declined 0-RTT data: it could not decrypt this "
                                   "record and skipped it unread.**\n\n"));
        else if (st->rejected)
          g_string_append_printf (out,
                                  _ ("**The %s rejected this record and stopped without reading "
                                     "what it carries.**\n\n"),
                                  hl_side_word (hl_side_other (st->from)));
        else if (!st->accepted)
          g_string_append_printf (out,
                                  _ ("**The %s had already stopped and did not read it.**\n\n"),
                                  hl_side_word (hl_side_other (st->from)));
        if (st->check)
          g_string_append_printf (out, "**Check:** %s\n\n", st->check);
        if (st->certificate_check)
          g_string_append_printf (out, _ ("**Certificate check:** %s\n\n"), st->certificate_check);
        write_knowledge (out, st, TRUE);
        if (brief)
          continue;
        md_fields (out, st->fields, 0);
        write_record_layer (out, st);
        if (st->encrypted && st->plaintext)
          write_decrypted (out, st);
        g_string_append_printf (out, "\n%s:\n\n```\n",
                                st->encrypted ? _ ("Record payload as sent (encrypted)")
                                              : "As sent");
        hl_hex_dump (out, st->wire, TRUE);
        g_string_append (out, "```\n\n");
        if (st->delivered_wire) {
          g_string_append (out, _ ("As delivered, changed in transit:\n\n```\n"));
          hl_hex_dump (out, st->delivered_wire, TRUE);
          g_string_append (out, "```\n\n");
        }
        {
          g_autofree char *e0 = describe_error (&st->after[0]);
          g_autofree char *e1 = describe_error (&st->after[1]);
          g_string_append_printf (out, _ ("After: client `%s` (%s), server `%s` (%s)\n\n"),
                                  st->after[0].state, e0, st->after[1].state, e1);
        }
      } else {
        gsize size = g_bytes_get_size (st->wire);
        /* Sizes say what they count: a handshake message with its 4-byte header, or the
         * payload of the encrypted record that carries it. */
        g_autofree char *what
            = g_strdup_printf (st->encrypted ? _ ("%zu-byte encrypted record payload")
                               : size == 1   ? "%zu byte"
                                             : "%zu bytes",
                               size);
        g_string_append_printf (out, "%3u  %s  %-18s %s%s%s\n", st->index, arrow, st->message, what,
                                st->fault ? "  FAULT: " : "", st->fault ? st->fault : "");
        g_string_append_printf (out, "     %s\n", st->summary);
        if (st->story && *st->story && !brief)
          g_string_append_printf (out, "     %s\n", st->story);
        if (!st->delivered)
          g_string_append (out, "     Not delivered.\n");
        else if (st->skipped)
          g_string_append (out, _ ("     The server declined 0-RTT data: it could not decrypt this "
                                   "record and skipped it unread.\n"));
        else if (st->rejected)
          g_string_append_printf (out,
                                  _ ("     The %s rejected this record and stopped without "
                                     "reading what it carries.\n"),
                                  hl_side_word (hl_side_other (st->from)));
        else if (!st->accepted)
          g_string_append_printf (out, _ ("     The %s had already stopped and did not read it.\n"),
                                  hl_side_word (hl_side_other (st->from)));
        if (st->check)
          g_string_append_printf (out, "     %s\n", st->check);
        if (st->certificate_check)
          g_string_append_printf (out, "     %s\n", st->certificate_check);
        write_knowledge (out, st, FALSE);
        for (int side = 0; side < 2 && !brief; side++) {
          const HlStep *prev = si > 0 ? g_ptr_array_index (c->steps, si - 1) : NULL;
          if (st->after[side].error
              && (!prev || prev->after[side].error != st->after[side].error)) {
            g_autofree char *e = describe_error (&st->after[side]);
            g_string_append_printf (out, _ ("     The %s stops: %s\n"), hl_side_word (side), e);
          }
        }
      }
    }
    if (md) {
      g_string_append (out,
                       _ ("### Secrets\n\n| secret | value | how it is made |\n|---|---|---|\n"));
      write_secrets_list (out, c, &c->secrets, c->resumed, c->version == 0x0304, TRUE);
      g_string_append_printf (out, _ ("\n- Client: %s\n- Server: %s\n\n"), c->explanation[0],
                              c->explanation[1]);
    } else {
      g_string_append (out, "  Secrets:\n");
      write_secrets_list (out, c, &c->secrets, c->resumed, c->version == 0x0304, FALSE);
      g_string_append_printf (out, _ ("  Client: %s\n  Server: %s\n\n"), c->explanation[0],
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
hl_transcript_to_markdown (const HlRun *run)
{
  /* The handout ends with questions for discussion and, apart, their answers. */
  GString *out = g_string_new (NULL);
  g_autoptr (GPtrArray) items = hl_discussion_new (run);
  g_autofree char *body = render (run, TRUE, FALSE);
  g_string_append (out, body);
  hl_discussion_append_markdown (out, items);
  return g_string_free (out, FALSE);
}

char *
hl_transcript_to_text (const HlRun *run)
{
  return render (run, FALSE, FALSE);
}

char *
hl_transcript_to_markdown_brief (const HlRun *run)
{
  return render (run, TRUE, TRUE);
}

char *
hl_transcript_to_text_brief (const HlRun *run)
{
  return render (run, FALSE, TRUE);
}
