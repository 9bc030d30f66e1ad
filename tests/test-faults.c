/* Faults, tampering, stepping back, and resumption: the run reacts as BearSSL really does. */
#include <bearssl.h>
#include <string.h>

#include "hl-test-util.h"
#include "hl-transcript.h"

#define BASE                                                                                       \
  "[Scenario]\nFormat=1\nTitle=t\n"                                                                \
  "[Client]\nVersions=TLS1.2\nCipherSuites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"                \
  "TrustAnchors=assets/pki/root-ca.crt\nServerName=server.example\n"                               \
  "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\n"                                   \
  "PrivateKey=assets/pki/server-rsa.key\n"

/* A scenario from text, and its run to the end; freed together when it goes out of scope. */
typedef struct {
  HlScenario *scenario;
  HlRun *run;
} Ran;

static void
clear_ran (Ran *r)
{
  g_clear_pointer (&r->run, hl_run_free);
  g_clear_pointer (&r->scenario, hl_scenario_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ran, clear_ran)

static Ran
run_text (const char *text)
{
  g_autofree char *path = hl_test_write_scenario (text);
  g_autoptr (GError) error = NULL;
  Ran r = { hl_scenario_load (path, &error), NULL };
  g_assert_no_error (error);
  r.run = hl_test_run (r.scenario);
  return r;
}

static const HlStep *
find_step (HlRun *run, HlSide from, const char *message)
{
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->from == from && strcmp (st->message, message) == 0)
      return st;
  }
  return NULL;
}

static void
test_flip_finished (void)
{
  g_auto (Ran) t
      = run_text (BASE "[Fault]\nMessage=client:Finished\nAction=flip\nOffset=20\nMask=0x01\n");
  HlRun *run = t.run;
  const HlConnection *c = hl_run_get_connection (run, 0);
  const HlStep *st = find_step (run, HL_SIDE_CLIENT, "Finished");
  g_assert_false (c->success);
  g_assert_cmpint (c->error[HL_SIDE_SERVER], ==, BR_ERR_BAD_MAC);
  g_assert_nonnull (st->fault);
  g_assert_nonnull (st->delivered_wire);
  g_assert_cmpuint (((const guint8 *)g_bytes_get_data (st->wire, NULL))[20] ^ 1, ==,
                    ((const guint8 *)g_bytes_get_data (st->delivered_wire, NULL))[20]);
  /* BearSSL sends no alert here: the explanation says what RFC 5246 would. */
  g_assert_nonnull (strstr (c->explanation[HL_SIDE_SERVER], "bad_record_mac"));
}

static void
test_flip_client_random (void)
{
  g_auto (Ran) t
      = run_text (BASE "[Fault]\nMessage=client:ClientHello\nAction=flip\nOffset=11\nMask=1\n");
  HlRun *run = t.run;
  const HlConnection *c = hl_run_get_connection (run, 0);
  g_assert_false (c->success);
  g_assert_cmpint (c->error[HL_SIDE_CLIENT], ==, BR_ERR_BAD_SIGNATURE);
}

static void
test_drop_ccs (void)
{
  g_auto (Ran) t = run_text (BASE "[Fault]\nMessage=client:ChangeCipherSpec\nAction=drop\n");
  HlRun *run = t.run;
  const HlConnection *c = hl_run_get_connection (run, 0);
  const HlStep *st = find_step (run, HL_SIDE_CLIENT, "ChangeCipherSpec");
  g_assert_false (st->delivered);
  g_assert_cmpstr (st->fault, ==, "drop: never delivered");
  g_assert_cmpint (c->error[HL_SIDE_SERVER], ==, BR_ERR_UNEXPECTED);
}

static void
test_truncate_stalls (void)
{
  g_auto (Ran) t
      = run_text (BASE "[Fault]\nMessage=server:Certificate\nAction=truncate\nLength=100\n");
  HlRun *run = t.run;
  const HlConnection *c = hl_run_get_connection (run, 0);
  const HlStep *cert = find_step (run, HL_SIDE_SERVER, "Certificate");
  g_assert_false (c->success);
  g_assert_true (g_str_has_prefix (cert->fault, "truncate: only the first 100 of "));
  g_assert_cmpuint (g_bytes_get_size (cert->delivered_wire), ==, 100);
  /* The client reads the next messages as the rest of the certificate and waits for
   * more that never comes: it never answers, and the stall is reported. */
  for (guint i = cert->index; i < hl_run_get_n_steps (run); i++)
    g_assert_cmpint (hl_run_get_step (run, i)->from, ==, HL_SIDE_SERVER);
  g_assert_cmpint (c->error[HL_SIDE_CLIENT], ==, 0);
  g_assert_nonnull (strstr (c->explanation[HL_SIDE_CLIENT], "waiting"));
  g_assert_true (hl_run_is_finished (run));
}

/* Tampering by hand changes what the receiver gets, and survives going back. */
static void
test_tamper_and_seek (void)
{
  g_autofree char *path = hl_test_write_scenario (BASE);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = NULL;
  HlNextMessage next;
  guint n_before;
  g_autofree char *json_a = NULL;
  g_autofree char *json_b = NULL;
  s = hl_scenario_load (path, &error);
  g_assert_no_error (error);
  run = hl_run_new (s);
  /* Step to just before the ServerKeyExchange, then damage its signature. */
  while (hl_run_peek_next (run, &next) && strcmp (next.message, "ServerKeyExchange") != 0)
    g_assert_true (hl_run_step (run));
  n_before = hl_run_get_n_steps (run);
  {
    gsize len;
    guint8 *copy = g_memdup2 (g_bytes_get_data (next.wire, &len), g_bytes_get_size (next.wire));
    GBytes *b;
    copy[len - 1] ^= 0x80;
    b = g_bytes_new_take (copy, len);
    hl_run_tamper_next (run, b);
    g_bytes_unref (b);
  }
  hl_run_run_to_end (run);
  g_assert_cmpint (hl_run_get_connection (run, 0)->error[HL_SIDE_CLIENT], ==, BR_ERR_BAD_SIGNATURE);
  json_a = hl_transcript_to_json (run);
  /* Back to before the tamper: the run is as it was then (no error, the original
   * message waiting); forward again: the tamper is kept, the same run byte for byte. */
  hl_run_seek (run, n_before);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, n_before);
  g_assert_cmpuint (hl_run_get_n_connections (run), ==, 1);
  g_assert_cmpint (hl_run_get_step (run, n_before - 1)->after[HL_SIDE_CLIENT].error, ==, 0);
  g_assert_false (hl_run_is_finished (run));
  {
    HlNextMessage again;
    g_assert_true (hl_run_peek_next (run, &again));
    g_assert_cmpstr (again.message, ==, "ServerKeyExchange");
    g_assert_cmpuint (hl_run_get_n_edits (run), ==, 1);
  }
  hl_run_run_to_end (run);
  json_b = hl_transcript_to_json (run);
  g_assert_cmpstr (json_a, ==, json_b);
  /* Undoing the tamper gives the untouched handshake. */
  hl_run_remove_edit (run, 0);
  hl_run_run_to_end (run);
  g_assert_true (hl_run_succeeded (run));
}

/* The receiver's state after each step is its real state after that message. */
static void
test_state_after_each_message (void)
{
  g_auto (Ran) t = run_text (BASE);
  HlRun *run = t.run;
  const HlStep *cert = find_step (run, HL_SIDE_SERVER, "Certificate");
  const HlStep *ske = find_step (run, HL_SIDE_SERVER, "ServerKeyExchange");
  const HlStep *cke = find_step (run, HL_SIDE_CLIENT, "ClientKeyExchange");
  guint32 pm = 1u << HL_SECRET_PREMASTER;
  g_assert_nonnull (cert);
  g_assert_nonnull (ske);
  g_assert_cmpuint (ske->index, ==, cert->index + 1);
  g_assert_false (cert->after[HL_SIDE_CLIENT].knows & pm);
  /* The client computes the premaster before it sends ClientKeyExchange, the server after. */
  g_assert_true (cke->after[HL_SIDE_CLIENT].knows & pm);
  g_assert_true (cke->after[HL_SIDE_SERVER].knows & pm);
  g_assert_false (ske->after[HL_SIDE_SERVER].knows & pm);
}

static void
test_resumption (void)
{
  g_auto (Ran) t = run_text (BASE "[Resumption]\nEnabled=true\n");
  HlRun *run = t.run;
  const HlConnection *c1, *c2;
  g_assert_cmpuint (hl_run_get_n_connections (run), ==, 2);
  c1 = hl_run_get_connection (run, 0);
  c2 = hl_run_get_connection (run, 1);
  g_assert_true (c1->success);
  g_assert_true (c2->success);
  g_assert_true (c2->resumed);
  g_assert_true (g_bytes_equal (c1->secrets.value[HL_SECRET_SESSION_ID],
                                c2->secrets.value[HL_SECRET_SESSION_ID]));
  g_assert_true (
      g_bytes_equal (c1->secrets.value[HL_SECRET_MASTER], c2->secrets.value[HL_SECRET_MASTER]));
  g_assert_false (g_bytes_equal (c1->secrets.value[HL_SECRET_KEY_BLOCK],
                                 c2->secrets.value[HL_SECRET_KEY_BLOCK]));
  /* No key exchange in connection 2: no curve, and both hold the old master at once. */
  g_assert_cmpint (c1->curve, ==, 29);
  g_assert_cmpint (c2->curve, ==, -1);
  {
    const HlStep *sh = g_ptr_array_index (c2->steps, 1);
    g_assert_true (sh->after[HL_SIDE_CLIENT].knows & (1u << HL_SECRET_MASTER));
    g_assert_true (sh->after[HL_SIDE_SERVER].knows & (1u << HL_SECRET_MASTER));
    g_assert_false (sh->after[HL_SIDE_SERVER].knows & (1u << HL_SECRET_PREMASTER));
  }
  /* Abbreviated: ClientHello, ServerHello, server CCS + Finished, client CCS + Finished,
   * then both close_notify (CloseNotify defaults to true). */
  g_assert_cmpuint (c2->steps->len, ==, 8);
  {
    const char *order[] = {
      "ClientHello", "ServerHello", "ChangeCipherSpec", "Finished", "ChangeCipherSpec", "Finished",
      "Alert",       "Alert"
    };
    for (guint i = 0; i < 8; i++)
      g_assert_cmpstr (((HlStep *)g_ptr_array_index (c2->steps, i))->message, ==, order[i]);
  }
}

/* The client judges the chain right after Certificate, before anything else arrives. */
static void
test_certificate_verdict (void)
{
  g_autoptr (HlScenario) bad = hl_test_load_bundled ("17-missing-intermediate.scenario");
  g_autoptr (HlScenario) good = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) rb = hl_test_run (bad);
  g_autoptr (HlRun) rg = hl_test_run (good);
  const HlStep *cb = find_step (rb, HL_SIDE_SERVER, "Certificate");
  const HlStep *cg = find_step (rg, HL_SIDE_SERVER, "Certificate");
  g_assert_nonnull (strstr (cb->certificate_check, "rejected the chain of 1 certificate:"));
  g_assert_nonnull (strstr (cb->certificate_check, "BR_ERR_X509_NOT_TRUSTED"));
  g_assert_cmpint (cb->after[HL_SIDE_CLIENT].error, ==, BR_ERR_X509_NOT_TRUSTED);
  g_assert_nonnull (strstr (cg->certificate_check, "checked the chain of 2 certificates"));
  /* The leaf as decoded: names, key, usages, as the test PKI's script made them. */
  g_assert_cmpstr (hl_field_find_named (cg->fields, "Subject")->value, ==,
                   "CN=server.example, O=Handshake Lab Test PKI");
  g_assert_cmpstr (hl_field_find_named (cg->fields, "Public key")->value, ==, "RSA, 2048 bits");
  g_assert_cmpstr (hl_field_find_named (cg->fields, "subjectAltName")->value, ==,
                   "DNS:server.example, DNS:www.server.example");
  g_assert_cmpstr (hl_field_find_named (cg->fields, "keyUsage")->value, ==,
                   "digitalSignature, keyEncipherment, keyAgreement (critical)");
  g_assert_cmpstr (hl_field_find_named (cg->fields, "extKeyUsage")->value, ==, "serverAuth");
  g_assert_cmpstr (hl_field_find_named (cg->fields, "Not before")->value, ==,
                   "2025-01-01 00:00:00 UTC");
  g_assert_null (find_step (rg, HL_SIDE_SERVER, "ServerHello")->certificate_check);
}

/* Application data larger than one record goes out as several records, all of it. */
static void
test_large_application_data (void)
{
  g_autofree char *big = g_strnfill (40000, 'x');
  g_autofree char *text = g_strdup_printf (BASE "[Application]\nClientData=%s\n", big);
  g_auto (Ran) t = run_text (text);
  HlRun *run = t.run;
  gsize total = 0;
  guint records = 0;
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->from == HL_SIDE_CLIENT && strcmp (st->message, "ApplicationData") == 0) {
      g_assert_nonnull (st->plaintext);
      total += g_bytes_get_size (st->plaintext);
      records++;
    }
  }
  g_assert_cmpuint (total, ==, 40000);
  g_assert_cmpuint (records, >=, 3);
  g_assert_true (hl_run_succeeded (run));
}

/* Certificates are judged by the scenario's clock, not the machine's. */
static void
test_scenario_clock (void)
{
  g_autoptr (HlScenario) expired = hl_test_load_bundled ("15-expired-certificate.scenario");
  g_autoptr (HlScenario) valid = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) then = NULL;
  g_autoptr (HlRun) later = NULL;
  expired->time = 1590969600; /* 2020-06-01: inside the expired certificate's window */
  then = hl_test_run (expired);
  g_assert_true (hl_run_succeeded (then));
  valid->time = 2524608000; /* 2050-01-01: after every certificate of the test PKI */
  later = hl_test_run (valid);
  g_assert_false (hl_run_succeeded (later));
  g_assert_cmpint (hl_run_get_connection (later, 0)->error[HL_SIDE_CLIENT], ==,
                   BR_ERR_X509_EXPIRED);
}

/* Finished is checked as the receiver sees the handshake: a changed ClientHello shows. */
static void
test_finished_mismatch_shown (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("24-fault-tampered-client-hello.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlStep *fin = find_step (run, HL_SIDE_CLIENT, "Finished");
  g_assert_nonnull (fin->plaintext);
  g_assert_true (g_str_has_prefix (fin->check, "MISMATCH: verify_data is "));
  g_assert_nonnull (strstr (fin->check, "the server computes"));
  g_assert_cmpint (hl_run_get_connection (run, 0)->error[HL_SIDE_SERVER], ==, BR_ERR_BAD_FINISHED);
}

/* A message can be delivered yet unread: the receiver had already stopped. */
static void
test_delivered_but_not_accepted (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("19-no-common-version.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlStep *alert = find_step (run, HL_SIDE_SERVER, "Alert");
  const HlStep *hello = find_step (run, HL_SIDE_CLIENT, "ClientHello");
  g_assert_true (hello->delivered);
  g_assert_true (hello->accepted);
  g_assert_true (alert->delivered);
  g_assert_false (alert->accepted);
  g_assert_null (alert->fault);
}

/* Resumption refused (the session id is changed on the way): a full handshake, reported as
 * such, and the change itself caught by Finished. */
static void
test_resumption_refused (void)
{
  g_auto (Ran) t = run_text (BASE "[Resumption]\nEnabled=true\n");
  g_autoptr (HlRun) probe = NULL;
  HlNextMessage next;
  guint n = 0;
  const HlConnection *c2;
  /* Find connection 2's ClientHello and flip a byte of its session id (offset 39). */
  probe = hl_run_new (t.scenario);
  while (hl_run_peek_next (probe, &next)) {
    if (strcmp (next.message, "ClientHello") == 0 && hl_run_get_n_connections (probe) > 1) {
      gsize len;
      guint8 *copy = g_memdup2 (g_bytes_get_data (next.wire, &len), g_bytes_get_size (next.wire));
      GBytes *b;
      copy[39] ^= 0xff;
      b = g_bytes_new_take (copy, len);
      hl_run_tamper_next (probe, b);
      g_bytes_unref (b);
      break;
    }
    n++;
    g_assert_true (hl_run_step (probe));
  }
  hl_run_run_to_end (probe);
  g_assert_cmpuint (hl_run_get_n_connections (probe), ==, 2);
  c2 = hl_run_get_connection (probe, 1);
  /* The server did not find the session: a full handshake, with a new premaster... */
  g_assert_false (c2->resumed);
  g_assert_nonnull (c2->secrets.value[HL_SECRET_PREMASTER]);
  g_assert_nonnull (((HlStep *)g_ptr_array_index (c2->steps, 2))->certificate_check);
  /* ...which Finished then rejects: the ClientHello was changed on the way. */
  g_assert_cmpint (c2->error[HL_SIDE_SERVER], ==, BR_ERR_BAD_FINISHED);
}

/* Tampers with the first message called NAME in connection 2, flipping byte OFFSET. */
static HlRun *
run_with_flip_in_connection_2 (const HlScenario *s, const char *name, gsize offset)
{
  HlRun *run = hl_run_new (s);
  HlNextMessage next;
  while (hl_run_peek_next (run, &next)) {
    if (strcmp (next.message, name) == 0 && hl_run_get_n_connections (run) > 1) {
      gsize len;
      guint8 *copy = g_memdup2 (g_bytes_get_data (next.wire, &len), g_bytes_get_size (next.wire));
      GBytes *b;
      copy[offset] ^= 0xff;
      b = g_bytes_new_take (copy, len);
      hl_run_tamper_next (run, b);
      g_bytes_unref (b);
      break;
    }
    g_assert_true (hl_run_step (run));
  }
  hl_run_run_to_end (run);
  return run;
}

/* The client resumes only if the ServerHello it RECEIVES echoes its session id. */
static void
test_resumption_decided_by_client (void)
{
  g_auto (Ran) t = run_text (BASE "[Resumption]\nEnabled=true\n");
  g_autoptr (HlRun) run = run_with_flip_in_connection_2 (t.scenario, "ServerHello", 39);
  const HlConnection *c2 = hl_run_get_connection (run, 1);
  g_assert_false (c2->resumed);
  g_assert_false (c2->success);
}

static void
test_dropped_finished_not_checked (void)
{
  g_auto (Ran) t = run_text (BASE "[Fault]\nMessage=client:Finished\nAction=drop\n");
  const HlStep *fin = find_step (t.run, HL_SIDE_CLIENT, "Finished");
  g_assert_false (fin->delivered);
  g_assert_cmpstr (fin->check, ==, "Not checked: the server never received this Finished.");
}

/* A real one-byte write in TLS 1.0 CBC is not BearSSL's 1/n-1 split; a longer one is. */
static void
test_one_byte_records (void)
{
  g_auto (Ran) one
      = run_text ("[Scenario]\nFormat=1\nTitle=t\n[Client]\nVersions=TLS1.0\n"
                  "CipherSuites=TLS_RSA_WITH_AES_128_CBC_SHA\n"
                  "TrustAnchors=assets/pki/root-ca.crt\n"
                  "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\n"
                  "PrivateKey=assets/pki/server-rsa.key\n[Application]\nClientData=A\n");
  g_auto (Ran) many
      = run_text ("[Scenario]\nFormat=1\nTitle=t\n[Client]\nVersions=TLS1.0\n"
                  "CipherSuites=TLS_RSA_WITH_AES_128_CBC_SHA\n"
                  "TrustAnchors=assets/pki/root-ca.crt\n"
                  "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\n"
                  "PrivateKey=assets/pki/server-rsa.key\n[Application]\nClientData=AB\n");
  g_assert_cmpstr (find_step (one.run, HL_SIDE_CLIENT, "ApplicationData")->summary, ==,
                   "1 byte of application data.");
  g_assert_true (g_str_has_prefix (find_step (many.run, HL_SIDE_CLIENT, "ApplicationData")->summary,
                                   "1 byte of application data: BearSSL splits"));
}

/* [Fault] Connection=2: the resumed connection's server Finished, flipped. The first
 * connection is untouched; the second fails where the client checks that Finished. */
static void
test_fault_in_connection_2 (void)
{
  g_auto (Ran) t = run_text (BASE "[Resumption]\nEnabled=true\n[Fault]\nMessage=server:Finished\n"
                                  "Connection=2\nAction=flip\nOffset=20\nMask=0x01\n");
  const HlConnection *c1, *c2;
  const HlStep *hit = NULL;
  g_assert_null (hl_run_get_fault_error (t.run));
  g_assert_cmpuint (hl_run_get_n_connections (t.run), ==, 2);
  c1 = hl_run_get_connection (t.run, 0);
  c2 = hl_run_get_connection (t.run, 1);
  g_assert_true (c1->success);
  g_assert_true (c2->resumed);
  g_assert_false (c2->success);
  for (guint i = 0; i < c1->steps->len; i++)
    g_assert_null (((const HlStep *)g_ptr_array_index (c1->steps, i))->fault);
  for (guint i = 0; i < c2->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c2->steps, i);
    if (st->fault)
      hit = st;
  }
  g_assert_nonnull (hit);
  g_assert_cmpstr (hit->message, ==, "Finished");
  g_assert_cmpint (hit->from, ==, HL_SIDE_SERVER);
  g_assert_cmpint (c2->error[HL_SIDE_CLIENT], !=, 0);
}

#define BASE13                                                                                     \
  "[Scenario]\nFormat=1\nTitle=t\n"                                                                \
  "[Client]\nVersions=TLS1.3\nCurves=x25519;secp256r1\nKeyShares=x25519\n"                         \
  "TrustAnchors=assets/pki/root-ca.crt\nServerName=server.example\n"                               \
  "[Server]\nVersions=TLS1.3\nCertificateChain=assets/pki/server-rsa-chain.pem\n"                  \
  "PrivateKey=assets/pki/server-rsa.key\n"                                                         \
  "[Application]\nClientData=hello\nServerData=world\n[Resumption]\nEnabled=true\n"

/* TLS 1.3 under every kind of fault: each message of both connections flipped at spread
 * offsets (in the wire and, for encrypted ones, in the plaintext), truncated, dropped.
 * Whatever the bytes, the run ends, says what it did, and writes its transcript. */
static void
test_tls13_fault_sweep (void)
{
  static const struct {
    const char *message;
    guint connection;
  } targets[] = { { "client:ClientHello", 1 },
                  { "server:ServerHello", 1 },
                  { "server:EncryptedExtensions", 1 },
                  { "server:Certificate", 1 },
                  { "server:CertificateVerify", 1 },
                  { "server:Finished", 1 },
                  { "client:Finished", 1 },
                  { "server:NewSessionTicket", 1 },
                  { "client:ClientHello", 2 },
                  { "server:ServerHello", 2 } };
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++) {
    guint landed = 0;
    for (guint kind = 0; kind < 14; kind++) {
      g_autofree char *fault = NULL;
      g_autofree char *text = NULL;
      g_autofree char *json = NULL;
      if (kind < 8)
        fault = g_strdup_printf ("Action=flip\nOffset=%u\nMask=0x%02x\n", 1 + kind * 37,
                                 1u << (kind % 8));
      else if (kind < 11)
        fault = g_strdup_printf ("Action=flip\nTarget=plaintext\nOffset=%u\nMask=0x80\n",
                                 (kind - 8) * 23);
      else if (kind < 13)
        fault = g_strdup_printf ("Action=truncate\nLength=%u\n", (kind - 11) * 9 + 3);
      else
        fault = g_strdup ("Action=drop\n");
      text = g_strdup_printf (BASE13 "[Fault]\nMessage=%s\nConnection=%u\n%s", targets[t].message,
                              targets[t].connection, fault);
      {
        g_auto (Ran) r = run_text (text);
        g_assert_true (hl_run_is_finished (r.run));
        g_assert_cmpuint (hl_run_get_n_connections (r.run), >=, 1);
        json = hl_transcript_to_json (r.run);
        g_assert_nonnull (strstr (json, "\"format\": 1"));
        /* Either the fault landed on a step or the run says why it could not. A fault that
         * landed is on the message it names, in the connection it names, and on no other. */
        if (!hl_run_get_fault_error (r.run)) {
          const HlStep *hit = NULL;
          g_autofree char *name = NULL;
          for (guint i = 0; i < hl_run_get_n_steps (r.run); i++) {
            const HlStep *st = hl_run_get_step (r.run, i);
            if (!st->fault)
              continue;
            g_assert_null (hit);
            hit = st;
          }
          g_assert_nonnull (hit);
          name = g_strdup_printf ("%s:%s", hl_side_name (hit->from), hit->message);
          g_assert_cmpstr (name, ==, targets[t].message);
          g_assert_cmpuint (hit->connection, ==, targets[t].connection);
          landed++;
        }
      }
    }
    /* Some of the fourteen kinds land on every message of the list. */
    g_assert_cmpuint (landed, >, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fault/flip-finished", test_flip_finished);
  g_test_add_func ("/fault/flip-client-random", test_flip_client_random);
  g_test_add_func ("/fault/drop-ccs", test_drop_ccs);
  g_test_add_func ("/fault/truncate-stalls", test_truncate_stalls);
  g_test_add_func ("/run/tamper-and-seek", test_tamper_and_seek);
  g_test_add_func ("/faults/connection-2", test_fault_in_connection_2);
  g_test_add_func ("/run/state-after-each-message", test_state_after_each_message);
  g_test_add_func ("/run/resumption", test_resumption);
  g_test_add_func ("/run/resumption-refused", test_resumption_refused);
  g_test_add_func ("/run/resumption-decided-by-client", test_resumption_decided_by_client);
  g_test_add_func ("/run/dropped-finished-not-checked", test_dropped_finished_not_checked);
  g_test_add_func ("/run/one-byte-records", test_one_byte_records);
  g_test_add_func ("/run/certificate-verdict", test_certificate_verdict);
  g_test_add_func ("/run/large-application-data", test_large_application_data);
  g_test_add_func ("/run/scenario-clock", test_scenario_clock);
  g_test_add_func ("/run/delivered-but-not-accepted", test_delivered_but_not_accepted);
  g_test_add_func ("/run/finished-mismatch-shown", test_finished_mismatch_shown);
  g_test_add_func ("/fault/tls13-sweep", test_tls13_fault_sweep);
  return g_test_run ();
}
