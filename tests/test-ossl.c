/* An OpenSSL side's set-up (hl-ossl.h, hl-clock.h): libssl calls the program's time(),
 * so a pinned clock reaches it; the pin holds on its own thread only; unpinned, it is the
 * real time. A suite OpenSSL lacks is refused by name, never dropped in silence. */
#include <openssl/ssl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hl-clock.h"
#include "hl-test-util.h"
#include "hl-transcript.h"

static void
test_libssl_reads_the_pinned_clock (void)
{
  SSL_SESSION *session;
  g_assert_true (hl_clock_check_libssl ());
  hl_clock_pin (1700000000);
  session = SSL_SESSION_new ();
  g_assert_nonnull (session);
  g_assert_cmpint (SSL_SESSION_get_time (session), ==, 1700000000);
  SSL_SESSION_free (session);
  hl_clock_unpin ();
}

static gpointer
read_clock (gpointer data)
{
  return GINT_TO_POINTER (time (NULL) > 1700000000 + 86400);
}

static void
test_pin_is_per_thread (void)
{
  GThread *other;
  time_t t = 0;
  hl_clock_pin (12345);
  g_assert_cmpint (time (&t), ==, 12345);
  g_assert_cmpint (t, ==, 12345);
  /* Another thread sees the real time (this test was written well after 2023-11-15). */
  other = g_thread_new ("clock", read_clock, NULL);
  g_assert_true (GPOINTER_TO_INT (g_thread_join (other)));
  hl_clock_unpin ();
  g_assert_cmpint (
      llabs ((long long)time (NULL) - (long long)(g_get_real_time () / G_USEC_PER_SEC)), <=, 1);
}

static void
test_unknown_suite_is_refused (void)
{
  /* Static ECDH (0xC02D) is in the lab's table, but OpenSSL dropped it in 1.1.0. */
  g_autofree char *path = hl_test_write_scenario (
      "[Scenario]\nFormat=1\nTitle=t\nSeed=s\nTime=2026-01-01T00:00:00Z\n"
      "[Client]\nVersions=TLS1.2-TLS1.3\n"
      "CipherSuites=TLS_AES_128_GCM_SHA256;TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256\n"
      "ServerName=server.example\nTrustAnchors=assets/pki/root-ca.crt\n"
      "[Server]\nVersions=TLS1.2\nCertificateChain=assets/pki/server-rsa-chain.pem\n"
      "PrivateKey=assets/pki/server-rsa.key\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  HlRun *run;
  g_assert_no_error (error);
  run = hl_run_new_checked (s, &error);
  g_assert_null (run);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "does not know the cipher suite "
                                            "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256 (0xC02D)"));
}

/* Lesson 40: a ClientHello altered to drop TLS 1.3 reaches a TLS 1.3 server, which
 * answers TLS 1.2 with the downgrade sentinel; the real client, which offered TLS 1.3,
 * stops on that ServerHello (RFC 8446 section 4.1.3) and reads nothing after it. */
static void
test_downgrade_sentinel_caught (void)
{
  static const guint8 sentinel[8] = { 'D', 'O', 'W', 'N', 'G', 'R', 'D', 0x01 };
  g_autoptr (HlScenario) s = hl_test_load_bundled ("40-tls13-downgrade-caught.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlStep *hello = hl_run_get_step (run, 1);
  gsize len;
  const guint8 *sh;
  g_assert_cmpstr (hello->message, ==, "ServerHello");
  sh = g_bytes_get_data (hello->wire, &len);
  /* type (1), length (3), version (2), random (32): the sentinel is the random's end */
  g_assert_cmpuint (len, >=, 38);
  g_assert_cmpint (sh[4], ==, 0x03);
  g_assert_cmpint (sh[5], ==, 0x03);
  g_assert_cmpmem (sh + 30, 8, sentinel, 8);
  g_assert_true (hello->accepted);
  for (guint i = 2; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->from == HL_SIDE_SERVER)
      g_assert_false (st->accepted); /* the client had stopped */
    else
      g_assert_cmpstr (st->message, ==, "Alert");
  }
  g_assert_cmpint (hl_run_check_expect (run, NULL), ==, 1);
}

/* An extension of a ClientHello, ServerHello or HelloRetryRequest, read here from the
 * bytes as sent (not with the engine's own parser): NULL when absent. */
static const guint8 *
hello_extension (GBytes *message, guint type, gsize *len)
{
  gsize n, off = 4 + 2 + 32, end;
  const guint8 *m = g_bytes_get_data (message, &n);
  g_assert_cmpuint (n, >, off);
  off += 1 + m[off]; /* legacy_session_id */
  if (m[0] == 1) {
    off += 2 + (m[off] << 8 | m[off + 1]); /* cipher_suites */
    off += 1 + m[off];                     /* legacy_compression_methods */
  } else {
    off += 3; /* cipher_suite, legacy_compression_method */
  }
  end = off + 2 + (m[off] << 8 | m[off + 1]);
  g_assert_cmpuint (end, ==, n);
  for (off += 2; off + 4 <= end; off += 4 + (m[off + 2] << 8 | m[off + 3]))
    if ((guint)(m[off] << 8 | m[off + 1]) == type) {
      *len = m[off + 2] << 8 | m[off + 3];
      return m + off + 4;
    }
  return NULL;
}

/* The nth step (from 0) of connection c (from 0) called message; NULL when none. */
static const HlStep *
find_step (HlRun *run, guint c, const char *message, guint nth)
{
  const HlConnection *conn = hl_run_get_connection (run, c);
  for (guint i = 0; i < conn->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (conn->steps, i);
    if (strcmp (st->message, message) == 0 && nth-- == 0)
      return st;
  }
  return NULL;
}

/* Lesson 41: a stateless server puts a cookie in its HelloRetryRequest (RFC 8446 4.2.2),
 * and the second ClientHello carries exactly those bytes back. The server's own part
 * of the cookie derives from the Seed; lesson 32's stateful server sends no cookie. */
static void
test_hello_retry_cookie_echoed (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("41-tls13-hello-retry-cookie.scenario");
  g_autoptr (HlScenario) s32 = hl_test_load_bundled ("32-tls13-hello-retry.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  g_autoptr (HlRun) run32 = hl_test_run (s32);
  const HlStep *hrr = find_step (run, 0, "HelloRetryRequest", 0);
  const HlStep *ch1 = find_step (run, 0, "ClientHello", 0);
  const HlStep *ch2 = find_step (run, 0, "ClientHello", 1);
  const guint8 *cookie, *echoed;
  gsize cookie_len = 0, echoed_len = 0, n;
  guint8 mine[32];
  GChecksum *sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *seeded = g_strdup_printf ("%s|cookie", s->seed);
  g_assert_nonnull (hrr);
  g_assert_nonnull (ch2);
  g_assert_true (hrr->index < ch2->index);
  cookie = hello_extension (hrr->wire, 44, &cookie_len);
  g_assert_nonnull (cookie);
  g_assert_cmpuint (cookie_len, >, 2);
  g_assert_null (hello_extension (ch1->wire, 44, &n));
  echoed = hello_extension (ch2->wire, 44, &echoed_len);
  g_assert_nonnull (echoed);
  g_assert_cmpmem (echoed, echoed_len, cookie, cookie_len);
  g_assert_true (ch2->accepted);
  /* the server's 16 bytes inside OpenSSL's cookie: SHA-256(Seed "|cookie") */
  n = sizeof mine;
  g_checksum_update (sha, (const guchar *)seeded, -1);
  g_checksum_get_digest (sha, mine, &n);
  g_checksum_free (sha);
  for (n = 0; n + 16 <= cookie_len && memcmp (cookie + n, mine, 16) != 0; n++)
    ;
  g_assert_cmpuint (n + 16, <=, cookie_len);
  g_assert_true (hl_run_get_connection (run, 0)->hello_retry);
  g_assert_nonnull (strstr (hrr->story, "cookie"));
  g_assert_nonnull (strstr (ch2->story, "cookie"));
  /* the field text: the server's opaque state in the HRR, the client's copy in the hello */
  g_assert_nonnull (strstr (hl_field_find_named (hrr->fields, "Cookie")->explanation, "Opaque"));
  g_assert_nonnull (strstr (hl_field_find_named (ch2->fields, "Cookie")->explanation, "copied"));
  g_assert_cmpint (hl_run_check_expect (run, NULL), ==, 1);
  /* Stateless: from its HelloRetryRequest to the second ClientHello the server holds
   * nothing, not even the client random; then it has the handshake secrets. */
  for (guint i = ch1->index; i < ch2->index; i++)
    g_assert_cmpuint (hl_run_get_step (run, i - 1)->after[HL_SIDE_SERVER].secrets->len, ==, 0);
  g_assert_cmpuint (ch2->after[HL_SIDE_SERVER].secrets->len, >, 0);
  hrr = find_step (run32, 0, "HelloRetryRequest", 0);
  g_assert_nonnull (hrr);
  g_assert_null (hello_extension (hrr->wire, 44, &n));
  /* lesson 32's server keeps the first ClientHello's random across the retry */
  g_assert_cmpuint (hrr->after[HL_SIDE_SERVER].secrets->len, >, 0);
}

/* Lesson 42: psk_ke resumption (RFC 8446 4.2.9): the client allows psk_ke, and the resumed
 * ServerHello carries pre_shared_key and no key_share, so no (EC)DHE secret exists on
 * either side; the teaching text says the connection has no forward secrecy. */
static void
test_psk_ke_has_no_key_share (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("42-tls13-psk-ke-resumption.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlConnection *c;
  const HlStep *ch, *sh;
  const guint8 *modes;
  gsize n = 0;
  g_assert_cmpuint (hl_run_get_n_connections (run), ==, 2);
  c = hl_run_get_connection (run, 1);
  g_assert_true (c->success);
  g_assert_true (c->resumed);
  ch = find_step (run, 1, "ClientHello", 0);
  sh = find_step (run, 1, "ServerHello", 0);
  g_assert_nonnull (sh);
  modes = hello_extension (ch->wire, 45, &n);
  g_assert_nonnull (modes);
  g_assert_nonnull (memchr (modes + 1, 0, n - 1)); /* psk_ke offered */
  g_assert_nonnull (hello_extension (sh->wire, 41, &n));
  g_assert_null (hello_extension (sh->wire, 51, &n));
  g_assert_null (find_step (run, 1, "Certificate", 0));
  g_assert_cmpint (c->curve, ==, -1);
  g_assert_null (c->secrets.value[HL_SECRET_SHARED]);
  g_assert_null (c->server_secrets.value[HL_SECRET_SHARED]);
  g_assert_nonnull (c->secrets.value[HL_SECRET_PSK]);
  g_assert_nonnull (c->secrets.value[HL_SECRET_HANDSHAKE]);
  g_assert_nonnull (strstr (sh->story, "no forward secrecy"));
  g_assert_nonnull (strstr (s->description, "no forward secrecy"));
  /* connection 1 was a full handshake, with a key share */
  sh = find_step (run, 0, "ServerHello", 0);
  g_assert_nonnull (hello_extension (sh->wire, 51, &n));
  g_assert_cmpint (hl_run_check_expect (run, NULL), ==, 1);
}

/* Lesson 43: the server takes the PSK but declines 0-RTT (RFC 8446 4.2.10): no early_data in
 * EncryptedExtensions, the early record skipped unread, no EndOfEarlyData, and the data
 * sent again after the handshake under the client's application key. */
static void
test_early_data_declined (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("43-tls13-early-data-rejected.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlStep *ee, *early = NULL, *again = NULL, *fin;
  const HlConnection *c;
  gsize n;
  const guint8 *e;
  gboolean has_early_data = FALSE;
  g_assert_cmpuint (hl_run_get_n_connections (run), ==, 2);
  c = hl_run_get_connection (run, 1);
  g_assert_true (c->success);
  g_assert_true (c->resumed);
  ee = find_step (run, 1, "EncryptedExtensions", 0);
  g_assert_nonnull (ee);
  g_assert_nonnull (ee->plaintext);
  e = g_bytes_get_data (ee->plaintext, &n);
  /* type (1), length (3), extensions length (2), then each extension */
  g_assert_cmpuint (n, ==, 6 + (gsize)(e[4] << 8 | e[5]));
  for (gsize off = 6; off + 4 <= n; off += 4 + (e[off + 2] << 8 | e[off + 3]))
    has_early_data |= (e[off] << 8 | e[off + 1]) == 42;
  g_assert_false (has_early_data);
  g_assert_null (find_step (run, 1, "EndOfEarlyData", 0));
  fin = find_step (run, 1, "Finished", 1);
  g_assert_cmpint (fin->from, ==, HL_SIDE_CLIENT);
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    if (st->early)
      early = st;
    else if (st->from == HL_SIDE_CLIENT && strcmp (st->message, "ApplicationData") == 0 && !again
             && st->plaintext && g_bytes_get_size (st->plaintext) == strlen (s->early_data)
             && memcmp (g_bytes_get_data (st->plaintext, NULL), s->early_data,
                        strlen (s->early_data))
                    == 0)
      again = st;
  }
  /* The 0-RTT record went out, the lab decrypts it with the client's early secret, but
   * the server skipped it unread. */
  g_assert_nonnull (early);
  g_assert_true (early->delivered);
  g_assert_true (early->skipped);
  g_assert_false (early->accepted);
  g_assert_cmpint (early->key, ==, HL_RECORD_KEY_EARLY);
  g_assert_cmpmem (g_bytes_get_data (early->plaintext, NULL), g_bytes_get_size (early->plaintext),
                   s->early_data, strlen (s->early_data));
  g_assert_nonnull (strstr (early->story, "unread"));
  g_assert_null (c->server_secrets.value[HL_SECRET_CLIENT_EARLY_TRAFFIC]);
  /* ... and arrives after the handshake, under the application key */
  g_assert_nonnull (again);
  g_assert_true (again->index > fin->index);
  g_assert_true (again->accepted);
  g_assert_false (again->skipped);
  g_assert_cmpint (again->key, ==, HL_RECORD_KEY_APPLICATION);
  g_assert_cmpint (hl_run_check_expect (run, NULL), ==, 1);
  /* the transcript says so: one step skipped, and it is not accepted */
  {
    g_autofree char *json = hl_transcript_to_json (run);
    g_auto (GStrv) parts = g_strsplit (json, "\"skipped\": true", -1);
    g_assert_cmpuint (g_strv_length (parts), ==, 2); /* exactly one skipped step */
    g_assert_nonnull (strstr (parts[1], "\"accepted\": false"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ossl/clock-libssl-reads-the-pinned-clock", test_libssl_reads_the_pinned_clock);
  g_test_add_func ("/ossl/clock-pin-is-per-thread", test_pin_is_per_thread);
  g_test_add_func ("/ossl/unknown-suite-is-refused", test_unknown_suite_is_refused);
  g_test_add_func ("/ossl/downgrade-sentinel-caught", test_downgrade_sentinel_caught);
  g_test_add_func ("/ossl/hello-retry-cookie-echoed", test_hello_retry_cookie_echoed);
  g_test_add_func ("/ossl/psk-ke-has-no-key-share", test_psk_ke_has_no_key_share);
  g_test_add_func ("/ossl/early-data-declined", test_early_data_declined);
  return g_test_run ();
}
