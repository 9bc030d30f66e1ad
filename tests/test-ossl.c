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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ossl/clock-libssl-reads-the-pinned-clock", test_libssl_reads_the_pinned_clock);
  g_test_add_func ("/ossl/clock-pin-is-per-thread", test_pin_is_per_thread);
  g_test_add_func ("/ossl/unknown-suite-is-refused", test_unknown_suite_is_refused);
  return g_test_run ();
}
