/* An OpenSSL side's set-up (hl-ossl.h, hl-clock.h): libssl calls the program's time(),
 * so a pinned clock reaches it; the pin holds on its own thread only; unpinned, it is the
 * real time. A suite OpenSSL lacks is refused by name, never dropped in silence. */
#include <openssl/ssl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hl-clock.h"
#include "hl-test-util.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ossl/clock-libssl-reads-the-pinned-clock", test_libssl_reads_the_pinned_clock);
  g_test_add_func ("/ossl/clock-pin-is-per-thread", test_pin_is_per_thread);
  g_test_add_func ("/ossl/unknown-suite-is-refused", test_unknown_suite_is_refused);
  g_test_add_func ("/ossl/downgrade-sentinel-caught", test_downgrade_sentinel_caught);
  return g_test_run ();
}
