/* The handouts teach the record layer and keep every field: the Markdown's byte counts
 * add up and its nonces are the IV XOR the sequence number, recomputed here; the PDF
 * lists every field with its explanation over as many pages as it takes; the extended
 * master secret's formula appears where it was negotiated. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "hl-ladder-export.h"
#include "hl-ladder-labels.h"
#include "hl-test-util.h"
#include "hl-transcript.h"

/* The Markdown section of step n, up to the next step's heading. */
static char *
step_section (const char *md, guint n)
{
  g_autofree char *head = g_strdup_printf ("### Step %u:", n);
  g_autofree char *next = g_strdup_printf ("### Step %u:", n + 1);
  const char *start = strstr (md, head), *end;
  g_assert_nonnull (start);
  end = strstr (start, next);
  if (!end)
    end = strstr (start, "### Secrets");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

/* The hex inside the first code span after `after` in text. */
static char *
code_after (const char *text, const char *after)
{
  const char *p = strstr (text, after), *q;
  g_assert_nonnull (p);
  p = strchr (p + strlen (after), '`');
  g_assert_nonnull (p);
  q = strchr (p + 1, '`');
  g_assert_nonnull (q);
  return g_strndup (p + 1, q - p - 1);
}

/* The connection's secret as hex. */
static char *
secret_hex (const HlConnection *c, HlSecretId id)
{
  g_assert_nonnull (c->secrets.value[id]);
  return hl_hex_bytes (c->secrets.value[id]);
}

/* TLS 1.3 (lesson 30): content + inner type byte + padding + 16-byte tag = the record's
 * length, and nonce = IV XOR sequence number, the sequence number counted here: the
 * sender's records under the same key before this one. */
static void
test_record_layer_tls13 (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("30-tls13-basic.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  g_autofree char *md = hl_transcript_to_markdown (run);
  const HlConnection *c = hl_run_get_connection (run, 0);
  guint checked = 0;
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    g_autofree char *sec = step_section (md, st->index);
    const char *pay;
    gsize content = 0, padding = 0, sum = 0, length = 0;
    int type = 0;
    guint64 seq = 0;
    HlSecretId iv_id;
    g_autofree char *iv_hex = NULL, *want = NULL, *nonce = NULL, *shown_iv = NULL;
    guint8 iv[12];
    if (!st->encrypted)
      continue;
    /* The header's length, and the payload's parts. */
    g_assert_nonnull (strstr (sec, "content type 23 (application_data), version 0x0303"));
    g_assert_nonnull (strstr (sec, "Record 1 header "));
    g_assert_cmpint (
        sscanf (strstr (strstr (sec, "Record 1 header "), ", length ") + 9, "%zu", &length), ==, 1);
    g_assert_cmpuint (length, ==, g_bytes_get_size (st->record_wire) - 5);
    pay = strstr (sec, "Payload: content ");
    g_assert_nonnull (pay);
    g_assert_cmpint (sscanf (pay,
                             "Payload: content %zu + inner content type 1 (%d, %*[a-z_]) + "
                             "padding %zu + tag 16 = %zu bytes",
                             &content, &type, &padding, &sum),
                     ==, 4);
    g_assert_cmpuint (content, ==, g_bytes_get_size (st->plaintext));
    g_assert_cmpint (type, ==, st->content_type);
    g_assert_cmpuint (content + 1 + padding + 16, ==, length);
    g_assert_cmpuint (sum, ==, length);
    /* The nonce: which IV, and how many records the sender sent under it before. */
    for (guint k = 0; k < i; k++) {
      const HlStep *e = g_ptr_array_index (c->steps, k);
      seq += e->encrypted && e->from == st->from && e->key == st->key
             && e->key_generation == st->key_generation;
    }
    g_assert_true (st->key == HL_RECORD_KEY_HANDSHAKE || st->key == HL_RECORD_KEY_APPLICATION);
    if (st->key == HL_RECORD_KEY_HANDSHAKE)
      iv_id = st->from == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_HANDSHAKE_IV
                                         : HL_SECRET_SERVER_HANDSHAKE_IV;
    else
      iv_id = st->from == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_APPLICATION_IV
                                         : HL_SECRET_SERVER_APPLICATION_IV;
    g_assert_cmpuint (g_bytes_get_size (c->secrets.value[iv_id]), ==, 12);
    memcpy (iv, g_bytes_get_data (c->secrets.value[iv_id], NULL), 12);
    for (int b = 0; b < 8; b++)
      iv[11 - b] ^= (guint8)(seq >> (8 * b));
    want = hl_hex (iv, 12);
    iv_hex = secret_hex (c, iv_id);
    g_assert_nonnull (strstr (sec, hl_secret_key (iv_id)));
    shown_iv = code_after (sec, "Nonce: ");
    g_assert_cmpstr (shown_iv, ==, iv_hex);
    {
      g_autofree char *seq_text
          = g_strdup_printf ("XOR sequence number %" G_GUINT64_FORMAT " (", seq);
      g_assert_nonnull (strstr (sec, seq_text));
    }
    nonce = code_after (strstr (sec, "Nonce: "), ") = ");
    g_assert_cmpstr (nonce, ==, want);
    /* The tag: the record's last 16 bytes. */
    {
      gsize n;
      const guint8 *w = g_bytes_get_data (st->record_wire, &n);
      g_autofree char *tag = hl_hex (w + n - 16, 16);
      g_autofree char *shown = code_after (sec, "Authentication tag: ");
      g_assert_cmpstr (shown, ==, tag);
    }
    checked++;
  }
  /* The first ClientHello's record says 0x0301, and why; the next plaintext one 0x0303. */
  {
    g_autofree char *hello = step_section (md, 1);
    g_autofree char *server_hello = step_section (md, 2);
    g_assert_nonnull (strstr (hello, "Record 1 header `16 03 01 "));
    g_assert_nonnull (strstr (hello, "content type 22 (handshake), version 0x0301"));
    g_assert_nonnull (strstr (hello, "RFC 8446 5.1 allows 0x0301 only on an initial ClientHello"));
    g_assert_nonnull (strstr (server_hello, "content type 22 (handshake), version 0x0303"));
  }
  /* Handshake and application keys, both senders: at least one record with seq > 0. */
  g_assert_cmpuint (checked, >=, 8);
  g_assert_nonnull (strstr (md, "XOR sequence number 3 ("));
  g_assert_nonnull (strstr (md, "Decrypted (TLSInnerPlaintext, 7 bytes): the content (6 bytes)"));
}

/* TLS 1.2 GCM (lesson 02): the nonce is the key block's 4-byte salt, then the 8 bytes
 * the record sends first (RFC 5288 3); explicit nonce + content + tag = the length. */
static void
test_record_layer_gcm (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  g_autofree char *md = hl_transcript_to_markdown (run);
  const HlConnection *c = hl_run_get_connection (run, 0);
  guint checked = 0;
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    g_autofree char *sec = NULL, *salt = NULL, *want = NULL, *nonce = NULL;
    const char *pay;
    gsize n, content = 0, sum = 0;
    const guint8 *w;
    if (!st->encrypted)
      continue;
    sec = step_section (md, st->index);
    w = g_bytes_get_data (st->record_wire, &n);
    pay = strstr (sec, "Payload: explicit nonce 8 + encrypted content ");
    g_assert_nonnull (pay);
    g_assert_cmpint (sscanf (pay,
                             "Payload: explicit nonce 8 + encrypted content %zu + tag 16 = "
                             "%zu bytes",
                             &content, &sum),
                     ==, 2);
    g_assert_cmpuint (content, ==, g_bytes_get_size (st->plaintext));
    g_assert_cmpuint (8 + content + 16, ==, n - 5);
    g_assert_cmpuint (sum, ==, n - 5);
    salt = secret_hex (c, st->from == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_WRITE_IV
                                                     : HL_SECRET_SERVER_WRITE_IV);
    g_assert_cmpuint (strlen (salt), ==, 8);
    {
      g_autofree char *explicit = hl_hex (w + 5, 8);
      want = g_strconcat (salt, explicit, NULL);
    }
    nonce = code_after (sec, "(8 bytes, sent first in the payload) = ");
    g_assert_cmpstr (nonce, ==, want);
    {
      /* One key each way: the sender's encrypted records before this one. */
      guint seq = 0;
      g_autofree char *seq_text = NULL;
      for (guint k = 0; k < i; k++) {
        const HlStep *e = g_ptr_array_index (c->steps, k);
        seq += e->encrypted && e->from == st->from;
      }
      seq_text = g_strdup_printf ("Sequence number %u: never sent", seq);
      g_assert_nonnull (strstr (sec, seq_text));
    }
    checked++;
  }
  g_assert_cmpuint (checked, >=, 4);
}

static char *
pdf_text (GBytes *pdf, int *pages)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-handout-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "h.pdf", NULL);
  g_autofree char *info = NULL;
  char *text = NULL;
  const char *to_text[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  const char *to_info[] = { "pdfinfo", path, NULL };
  const char *line;
  int status = 0;
  g_assert_true (
      g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  g_assert_true (g_spawn_sync (NULL, (char **)to_text, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text,
                               NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **)to_info, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &info,
                               NULL, &status, NULL));
  line = strstr (info, "Pages:");
  g_assert_nonnull (line);
  *pages = atoi (line + 6);
  g_unlink (path);
  g_rmdir (dir);
  return text;
}

/* Whitespace as one space: pdftotext ends a line where the page wrapped it. Pango may wrap
 * a section number after a dot ("B.\n3.1.3"), so no space is kept between a dot and a digit. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text; *p; p++) {
    if (g_ascii_isspace (*p)) {
      if (out->len && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    } else {
      if (g_ascii_isdigit (*p) && out->len >= 2 && out->str[out->len - 1] == ' '
          && out->str[out->len - 2] == '.')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, *p);
    }
  }
  return g_string_free (out, FALSE);
}

/* Every field's name and explanation is somewhere in the text. */
static void
expect_fields (const char *text, const GPtrArray *fields, guint *n)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    g_autofree char *name = squeeze (f->name);
    g_autofree char *why = squeeze (f->explanation);
    if (!strstr (text, name) || (*why && !strstr (text, why)))
      g_error ("the PDF leaves out the field \"%s\" (%s)", f->name, f->explanation);
    (*n)++;
    expect_fields (text, f->children, n);
  }
}

/* The PDF keeps every field of every step with its explanation, continues a step on
 * further pages instead of cutting it, and says so at the head of each added page. */
static void
test_pdf_every_field (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) run = hl_test_run (s);
  HlLadderOptions o = { .upto = G_MAXUINT };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = hl_ladder_render_pdf (run, &o, &error);
  guint steps = hl_run_get_n_steps (run), continued = 0, fields = 0;
  int pages = 0;
  g_autofree char *raw = NULL, *text = NULL;
  g_assert_no_error (error);
  raw = pdf_text (pdf, &pages);
  text = squeeze (raw);
  g_assert_null (strstr (text, "more row"));
  {
    /* Page by page (pdftotext ends each with a form feed): each step's page, then only
     * the pages it ran on to, headed with its title; other pages (the title page) come
     * before the first step or after the last. */
    g_auto (GStrv) page = g_strsplit (raw, "\f", -1);
    guint at = 0, other = 0; /* at: the step whose pages these are */
    g_assert_cmpuint (g_strv_length (page), ==, (guint)pages + 1);
    for (int p = 0; p < pages; p++) {
      g_autofree char *t = squeeze (page[p]);
      g_autofree char *title = NULL, *next = NULL, *more = NULL;
      if (at > 0) {
        title = hl_ladder_step_title (hl_run_get_step (run, at - 1), steps);
        more = g_strdup_printf ("%s (continued)", title);
      }
      if (at < steps)
        next = hl_ladder_step_title (hl_run_get_step (run, at), steps);
      if (more && g_str_has_prefix (t, more))
        continued++;
      else if (next && strstr (t, next)) {
        /* A step's first page names the key that protects its record, on a line of its own
         * (pdftotext keeps it apart from the story above it). */
        g_autofree char *key = hl_step_describe_record_key (hl_run_get_step (run, at), FALSE);
        g_autofree char *line = g_strdup_printf ("\nRecord protected by: %s", key);
        g_autofree char *flat = squeeze (line + 1);
        if (!strstr (t, flat) || !strstr (page[p], "\nRecord protected by: "))
          g_error ("page %d (step %u) does not say \"%s\"", p + 1, at + 1, flat);
        at++;
      } else if (at == 0 || at == steps)
        other++;
      else
        g_error ("page %d is neither step %u's nor step %u's: %.80s", p + 1, at, at + 1, t);
    }
    g_assert_cmpuint (at, ==, steps);
    g_assert_cmpuint (other, >=, 1);
    /* The page count grows by the pages steps ran on to. */
    g_assert_cmpuint (continued, >, 0);
    g_assert_cmpint (pages, ==, (int)(other + steps + continued));
  }
  for (guint i = 0; i < steps; i++)
    expect_fields (text, hl_run_get_step (run, i)->fields, &fields);
  g_assert_cmpuint (fields, >, 100);
  if (hl_run_get_connection (run, 0)->version == 0x0304) {
    /* The HTML handout shows the same record-layer lines for the step shown. */
    g_autoptr (GBytes) html = hl_ladder_render_html (run, &o, &error);
    g_assert_no_error (error);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (html, NULL), g_bytes_get_size (html),
                                    "\"record_notes\":\"Record 1 header 17 03 03 00 17: "));
    g_assert_nonnull (strstr (text, "key_share"));
    g_assert_nonnull (strstr (text, "supported_versions"));
    g_assert_nonnull (strstr (text, "Payload: content 6 + inner content type 1 (22, handshake) + "
                                    "padding 0 + tag 16 = 23 bytes"));
  }
  /* The key's words on the page, whichever lesson: plaintext first, then a key. */
  g_assert_nonnull (strstr (text, "Record protected by: nothing, it travels in plaintext"));
  if (hl_run_get_connection (run, 0)->version == 0x0304)
    g_assert_nonnull (strstr (text, "Record protected by: the server's handshake traffic keys, "
                                    "from server_handshake_traffic_secret"));
  else
    g_assert_nonnull (strstr (text, "Record protected by: the client's write keys from the key "
                                    "block (client_write_key)"));
}

static const char ems_scenario[]
    = "[Scenario]\nFormat=1\nTitle=Extended master secret\nSeed=ems\n"
      "[Client]\nVersions=TLS1.2\nLibrary=openssl\n"
      "CipherSuites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\nServerName=server.example\n"
      "TrustAnchors=assets/pki/root-ca.crt\n"
      "[Server]\nVersions=TLS1.2\nLibrary=openssl\n"
      "CertificateChain=assets/pki/server-rsa-chain.pem\nPrivateKey=assets/pki/server-rsa.key\n";

/* The master secret's formula as each side holds it after the step it learned it. */
static const char *
held_formula (HlRun *run, HlSide side)
{
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const GPtrArray *list = hl_run_get_step (run, i)->after[side].secrets;
    for (guint k = 0; list && k < list->len; k++) {
      const HlSecret *secret = g_ptr_array_index (list, k);
      if (strcmp (secret->key, "master_secret") == 0)
        return secret->formula;
    }
  }
  return NULL;
}

/* RFC 7627: when the ServerHello echoes extended_master_secret, the master secret is
 * PRF(premaster, "extended master secret", session_hash), and the handouts say so; when
 * the server does not (lesson 38's BearSSL server), the classic formula stays. */
static void
test_extended_master_secret (void)
{
  g_autofree char *path = hl_test_write_scenario (ems_scenario);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  g_autoptr (HlRun) run = NULL;
  g_autoptr (HlScenario) s38 = hl_test_load_bundled ("38-tls13-client-vs-tls12-server.scenario");
  g_autoptr (HlRun) run38 = hl_test_run (s38);
  g_autofree char *md = NULL, *md38 = NULL;
  const HlConnection *c;
  g_assert_no_error (error);
  run = hl_test_run (s);
  c = hl_run_get_connection (run, 0);
  g_assert_true (c->success);
  g_assert_cmpuint (c->version, ==, 0x0303);
  g_assert_true (c->extended_master_secret);
  g_assert_nonnull (strstr (hl_secret_formula_in (HL_SECRET_MASTER, c),
                            "PRF(premaster_secret, \"extended master secret\", session_hash)"));
  for (int side = 0; side < 2; side++) {
    const char *f = held_formula (run, side);
    g_assert_nonnull (f);
    g_assert_nonnull (strstr (f, "\"extended master secret\", session_hash"));
  }
  md = hl_transcript_to_markdown (run);
  g_assert_nonnull (strstr (md, "| master_secret | `"));
  g_assert_nonnull (strstr (strstr (md, "| master_secret | `"), "\"extended master secret\""));
  /* Lesson 38: offered, not answered. */
  c = hl_run_get_connection (run38, 0);
  g_assert_cmpuint (c->version, ==, 0x0303);
  g_assert_false (c->extended_master_secret);
  g_assert_null (strstr (hl_secret_formula_in (HL_SECRET_MASTER, c), "extended"));
  for (int side = 0; side < 2; side++) {
    const char *f = held_formula (run38, side);
    g_assert_nonnull (f);
    g_assert_null (strstr (f, "extended master secret"));
  }
  md38 = hl_transcript_to_markdown (run38);
  g_assert_null (strstr (strstr (md38, "| master_secret | `"), "\"extended master secret\""));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/handout/record-layer/tls13", test_record_layer_tls13);
  g_test_add_func ("/handout/record-layer/gcm", test_record_layer_gcm);
  g_test_add_data_func ("/handout/pdf/every-field/30", "30-tls13-basic.scenario",
                        test_pdf_every_field);
  g_test_add_data_func ("/handout/pdf/every-field/01", "01-rsa-key-exchange.scenario",
                        test_pdf_every_field);
  g_test_add_func ("/handout/extended-master-secret", test_extended_master_secret);
  return g_test_run ();
}
