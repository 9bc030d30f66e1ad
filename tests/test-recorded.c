/* A run made of recorded messages (hl-recorded.h), through the engine's public API: the
 * bytes a live run sent, handed over as a capture reader would (split anywhere, with
 * timestamps and the key log), give the same steps; the recorded run steps, seeks and
 * peeks like a live one, refuses tampering, and marks where each secret came from. */
#include <bearssl.h>
#include <string.h>

#include "hl-recorded.h"
#include "hl-test-util.h"
#include "hl-transcript.h"

static const HlSecret *
held_after (const HlStep *st, HlSide side, const char *key)
{
  for (guint i = 0; i < st->after[side].secrets->len; i++) {
    const HlSecret *s = g_ptr_array_index (st->after[side].secrets, i);
    if (strcmp (s->key, key) == 0)
      return s;
  }
  return NULL;
}

static void
assert_same_steps (HlRun *live, HlRun *rec)
{
  g_assert_cmpuint (hl_run_get_n_steps (rec), ==, hl_run_get_n_steps (live));
  for (guint i = 0; i < hl_run_get_n_steps (live); i++) {
    const HlStep *a = hl_run_get_step (live, i), *b = hl_run_get_step (rec, i);
    g_assert_cmpstr (a->message, ==, b->message);
    g_assert_cmpint (a->from, ==, b->from);
    g_assert_true (g_bytes_equal (a->wire, b->wire));
    g_assert_true ((a->plaintext == NULL) == (b->plaintext == NULL));
    if (a->plaintext)
      g_assert_true (g_bytes_equal (a->plaintext, b->plaintext));
    g_assert_cmpuint (b->fields->len, >, 0);
  }
}

static void
test_same_steps (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("05-rsa-aes-cbc.scenario");
  g_autoptr (HlRun) live = hl_test_run (s);
  const gsize chunks[] = { 1, 7, 1 << 20 };
  for (guint k = 0; k < G_N_ELEMENTS (chunks); k++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (HlRun) rec = hl_run_new_recorded (hl_test_record (live, chunks[k], TRUE), &error);
    g_assert_no_error (error);
    g_assert_true (hl_run_is_recorded (rec));
    g_assert_false (hl_run_is_recorded (live));
    hl_run_run_to_end (rec);
    assert_same_steps (live, rec);
    {
      /* A step's time is that of the segment that completed its record. */
      gsize len = g_bytes_get_size (hl_run_get_step (live, 0)->record_wire);
      g_assert_cmpint (hl_run_get_step_time (rec, 0), ==,
                       1000000 + (gint64)((len - 1) / chunks[k] * chunks[k]));
    }
  }
}

static void
test_stepping (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) live = hl_test_run (s);
  g_autoptr (HlRun) rec = hl_run_new_recorded (hl_test_record (live, 100, TRUE), NULL);
  HlNextMessage next;
  const HlStep *third;
  guint total;
  /* Like a live run: before the first step, connection 1 exists and has no step. */
  g_assert_cmpuint (hl_run_get_n_steps (rec), ==, 0);
  g_assert_false (hl_run_is_finished (rec));
  g_assert_cmpuint (hl_run_get_n_connections (rec), ==, 1);
  g_assert_true (hl_run_peek_next (rec, &next));
  g_assert_cmpstr (next.message, ==, "ClientHello");
  g_assert_cmpuint (next.nth, ==, 1);
  g_assert_true (hl_run_step (rec));
  g_assert_cmpuint (hl_run_get_n_steps (rec), ==, 1);
  hl_run_run_to_end (rec);
  total = hl_run_get_n_steps (rec);
  g_assert_true (hl_run_is_finished (rec));
  g_assert_false (hl_run_step (rec));
  g_assert_false (hl_run_peek_next (rec, &next));
  third = hl_run_get_step (rec, 2);
  hl_run_seek (rec, 2);
  g_assert_cmpuint (hl_run_get_n_steps (rec), ==, 2);
  g_assert_cmpuint (hl_run_get_connection (rec, 0)->steps->len, ==, 2);
  g_assert_false (hl_run_is_finished (rec));
  g_assert_true (hl_run_peek_next (rec, &next));
  g_assert_cmpstr (next.message, ==, third->message);
  hl_run_seek (rec, total);
  /* A step is the same object after going back and forth. */
  g_assert_true (hl_run_get_step (rec, 2) == third);
  g_assert_true (hl_run_succeeded (rec));
}

static void
test_no_tamper (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) live = hl_test_run (s);
  g_autoptr (HlRun) rec = hl_run_new_recorded (hl_test_record (live, 100, TRUE), NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) b = g_bytes_new ("x", 1);
  hl_run_seek (rec, 5);
  g_assert_false (hl_run_tamper_next_plaintext (rec, b, &error));
  g_assert_error (error, HL_RUN_ERROR, HL_RUN_ERROR_RECORDED);
  hl_run_tamper_next (rec, b);
  hl_run_drop_next (rec);
  g_assert_cmpuint (hl_run_get_n_edits (rec), ==, 0);
  hl_run_step (rec);
  g_assert_null (hl_run_get_step (rec, 5)->fault);
  g_assert_true (hl_run_get_step (rec, 5)->delivered);
}

static void
test_knowledge (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) live = hl_test_run (s);
  g_autoptr (HlRun) rec = hl_run_new_recorded (hl_test_record (live, 100, TRUE), NULL);
  g_autoptr (HlRun) blind = hl_run_new_recorded (hl_test_record (live, 100, FALSE), NULL);
  guint cke = 0;
  hl_run_run_to_end (rec);
  hl_run_run_to_end (blind);
  for (guint i = 0; i < hl_run_get_n_steps (rec); i++) {
    const HlStep *st = hl_run_get_step (rec, i);
    const HlSecret *ms = held_after (st, HL_SIDE_SERVER, "master_secret");
    if (st->handshake_type == 16)
      cke = st->index;
    /* Held from the ClientKeyExchange on, and said to come from the key log. */
    g_assert_true ((ms != NULL) == (cke && st->index >= cke));
    if (ms) {
      g_assert_cmpuint (ms->learned_at, ==, cke);
      g_assert_nonnull (strstr (ms->formula, "CLIENT_RANDOM"));
    }
    if (held_after (st, HL_SIDE_CLIENT, "client_write_key"))
      g_assert_nonnull (strstr (held_after (st, HL_SIDE_CLIENT, "client_write_key")->formula,
                                "derived by the lab from the keys given"));
    /* Never invented: an ephemeral private key and the premaster never left the sides. */
    g_assert_null (held_after (st, HL_SIDE_CLIENT, "premaster_secret"));
    g_assert_null (held_after (st, HL_SIDE_CLIENT, "client_ecdh_private_key"));
    if (strcmp (st->message, "Finished") == 0) {
      g_assert_nonnull (strstr (st->check, "as on the wire"));
      g_assert_null (strstr (st->check, "key log"));
    }
  }
  g_assert_cmpuint (cke, >, 0);
  /* Keys may come from a key log or a private key: the words name neither when either fits. */
  g_assert_null (strstr (hl_run_get_scenario (blind)->description, "key log"));
  g_assert_nonnull (
      strstr (hl_run_get_scenario (blind)->description, "what the keys given could open"));
  /* Without keys: nothing decrypted, no master secret, the Finished unchecked; an encrypted
   * record still never reads as plaintext, and a TLS 1.2 one names the key block's keys. */
  for (guint i = 0; i < hl_run_get_n_steps (blind); i++) {
    const HlStep *st = hl_run_get_step (blind, i);
    g_autofree char *key = hl_step_describe_record_key (st, FALSE);
    if (st->encrypted) {
      g_assert_null (strstr (key, "plaintext"));
      g_assert_cmpint (st->key, ==, HL_RECORD_KEY_SESSION);
    }
    if (st->encrypted && hl_run_get_step (rec, i)->encrypted)
      g_assert_cmpint (hl_run_get_step (rec, i)->key, ==, HL_RECORD_KEY_SESSION);
    g_assert_null (st->plaintext);
    g_assert_null (held_after (st, HL_SIDE_CLIENT, "master_secret"));
    if (strcmp (st->message, "Finished") == 0)
      g_assert_null (st->check);
  }
}

/* A signature counts as verified only if the receiver went on: here the client answers
 * a tampered CertificateVerify with a fatal alert (read with the key log). */
static void
test_refused_signature (void)
{
  const char *names[]
      = { "36-tls13-tampered-certificate-verify.scenario", "30-tls13-basic.scenario" };
  for (guint n = 0; n < G_N_ELEMENTS (names); n++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (names[n]);
    g_autoptr (HlRun) live = hl_test_run (s);
    g_autoptr (HlRun) rec = hl_run_new_recorded (hl_test_record (live, 100, TRUE), NULL);
    const HlStep *ske = NULL, *reply = NULL;
    hl_run_run_to_end (rec);
    for (guint i = 0; i < hl_run_get_n_steps (rec); i++) {
      const HlStep *st = hl_run_get_step (rec, i);
      if (strcmp (st->message, "CertificateVerify") == 0 && st->from == HL_SIDE_SERVER)
        ske = st;
      else if (ske && !reply && st->from == HL_SIDE_CLIENT)
        reply = st;
    }
    g_assert_nonnull (ske);
    g_assert_nonnull (reply);
    if (n == 0) {
      /* OpenSSL sends this alert unencrypted: the client had no handshake keys it trusted. */
      const guint8 *a = g_bytes_get_data (reply->plaintext ? reply->plaintext : reply->wire, NULL);
      g_assert_cmpstr (reply->message, ==, "Alert");
      g_assert_cmpint (ske->after[HL_SIDE_CLIENT].error, ==, BR_ERR_SEND_FATAL_ALERT + a[1]);
    } else {
      g_assert_cmpint (ske->after[HL_SIDE_CLIENT].error, ==, 0);
    }
  }
}

/* What the end of a recorded connection says is not known (seventeenth reading): RSA key
 * exchange has no key shares, its premaster crossed the wire encrypted (RFC 5246 7.4.7.1);
 * ECDHE's shares kept their private halves. A resumed connection's keys come from the
 * earlier session's, which a private key reaches only through that session's handshake. */
static void
test_end_words (void)
{
  g_autoptr (HlScenario) rsa = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlScenario) ecdhe = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlScenario) resumed = hl_test_load_bundled ("11-session-resumption.scenario");
  g_autoptr (HlRun) rsa_live = hl_test_run (rsa);
  g_autoptr (HlRun) ecdhe_live = hl_test_run (ecdhe);
  g_autoptr (HlRun) resumed_live = hl_test_run (resumed);
  g_autoptr (HlRun) rsa_rec = hl_run_new_recorded (hl_test_record (rsa_live, 1 << 20, FALSE), NULL);
  g_autoptr (HlRun) ecdhe_rec
      = hl_run_new_recorded (hl_test_record (ecdhe_live, 1 << 20, FALSE), NULL);
  g_autofree char *key = hl_test_source_path ("assets/pki/server-rsa.key");
  HlRecording *with_key = hl_test_record (resumed_live, 1 << 20, FALSE);
  g_autoptr (HlRun) resumed_rec = NULL;
  g_autoptr (GError) error = NULL;
  HlRecordedConnection info;
  const char *end;
  g_assert_true (hl_recording_add_private_key (with_key, key, &error));
  g_assert_no_error (error);
  resumed_rec = hl_run_new_recorded (with_key, &error);
  g_assert_no_error (error);
  hl_run_run_to_end (rsa_rec);
  hl_run_run_to_end (ecdhe_rec);
  hl_run_run_to_end (resumed_rec);
  end = hl_run_get_connection (rsa_rec, 0)->explanation[HL_SIDE_CLIENT];
  g_test_message ("01 without keys: %s", end);
  g_assert_nonnull (strstr (end, "Not known: the premaster secret. It crossed the wire only "
                                 "encrypted to the server's RSA key, in the ClientKeyExchange "
                                 "(RFC 5246 7.4.7.1)"));
  g_assert_null (strstr (end, "key share"));
  end = hl_run_get_connection (ecdhe_rec, 0)->explanation[HL_SIDE_CLIENT];
  g_assert_nonnull (strstr (end, "each side's private key share never left the endpoints"));
  g_assert_true (hl_run_get_recorded_connection (resumed_rec, 1, &info));
  g_assert_true (hl_run_get_connection (resumed_rec, 1)->resumed);
  g_test_message ("11, connection 2, with the server's key: %s", info.keys_note);
  g_assert_nonnull (info.keys_note);
  /* In the side's explanation the clause starts a sentence (it read ". the server's"). */
  end = hl_run_get_connection (resumed_rec, 1)->explanation[HL_SIDE_CLIENT];
  g_assert_nonnull (strstr (end, " The server's private key cannot open this connection"));
  g_assert_nonnull (strstr (info.keys_note, "The key reaches those only through the handshake "
                                            "that made them, and only if that handshake's key "
                                            "exchange was RSA or static ECDH"));
}

/* A TLS 1.3 capture lists the client's key share from its ClientHello on, as the lessons
 * do (a teacher's trial: only the server's share appeared, though the text says both
 * travelled in the hellos). */
static void
test_tls13_client_share (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("30-tls13-basic.scenario");
  g_autoptr (HlRun) live = hl_test_run (s);
  g_autoptr (HlRun) rec = hl_run_new_recorded (hl_test_record (live, 1 << 20, TRUE), NULL);
  const char *key = hl_secret_key (HL_SECRET_CLIENT_ECDH_PUBLIC);
  const HlSecret *held;
  GBytes *want = hl_run_get_connection (live, 0)->secrets.value[HL_SECRET_CLIENT_ECDH_PUBLIC];
  hl_run_run_to_end (rec);
  g_assert_nonnull (want);
  held = held_after (hl_run_get_step (rec, 0), HL_SIDE_CLIENT, key);
  g_assert_nonnull (held);
  g_assert_true (g_bytes_equal (held->value, want));
  g_assert_nonnull (held_after (hl_run_get_step (rec, 0), HL_SIDE_SERVER, key));
}

static void
test_empty (void)
{
  g_autoptr (GError) error = NULL;
  HlRun *run = hl_run_new_recorded (hl_recording_new ("nothing.pcap"), &error);
  g_assert_null (run);
  g_assert_error (error, HL_RUN_ERROR, HL_RUN_ERROR_RECORDED);
  g_assert_nonnull (strstr (error->message, "nothing.pcap"));
}

/* A stream that is not TLS after its first records stops with a note, never a crash. */
static void
test_garbage_stream (void)
{
  HlRecording *r = hl_recording_new ("g.pcap");
  guint n = hl_recording_add_connection (r, "a:1", "b:2", 1);
  static const guint8 junk[]
      = { 0x15, 0x03, 0x01, 0x00, 0x02, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff };
  g_autoptr (HlRun) run = NULL;
  HlRecordedConnection info;
  hl_recording_add_bytes (r, n, HL_SIDE_CLIENT, 1, junk, sizeof junk);
  run = hl_run_new_recorded (r, NULL);
  hl_run_run_to_end (run);
  g_assert_true (hl_run_get_recorded_connection (run, 0, &info));
  g_assert_nonnull (info.note);
  g_assert_nonnull (strstr (info.note, "stream offset 7"));
  g_assert_cmpuint (info.n_messages, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/recorded/same-steps", test_same_steps);
  g_test_add_func ("/recorded/stepping", test_stepping);
  g_test_add_func ("/recorded/no-tamper", test_no_tamper);
  g_test_add_func ("/recorded/knowledge", test_knowledge);
  g_test_add_func ("/recorded/refused-signature", test_refused_signature);
  g_test_add_func ("/recorded/end-words", test_end_words);
  g_test_add_func ("/recorded/tls13-client-share", test_tls13_client_share);
  g_test_add_func ("/recorded/empty", test_empty);
  g_test_add_func ("/recorded/garbage-stream", test_garbage_stream);
  return g_test_run ();
}
