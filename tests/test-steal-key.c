/* Forward secrecy, shown (issue 20): every bundled lesson's capture without secrets, read
 * back with the server's private key alone. What the key opens is decided here from the
 * live run (the suite's key exchange, a resumption, whether a ClientKeyExchange was sent),
 * not from the report, and each opened connection must give the run's own premaster and
 * every application byte as sent; every other gives nothing, and its signature verifies. */
#include <string.h>

#include "hl-pcapng-writer.h"
#include "hl-recorded.h"
#include "hl-steal.h"
#include "hl-tables.h"
#include "hl-test-util.h"

/* Whether bytes hold text anywhere (captures hold zero bytes: no string search). */
static gboolean
contains (const void *data, gsize len, const char *text)
{
  gsize n = strlen (text);
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp ((const guint8 *)data + i, text, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
has_step (const HlConnection *c, HlSide from, int type)
{
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    if (st->from == from && st->content_type == 22 && st->handshake_type == type)
      return TRUE;
  }
  return FALSE;
}

static guint
count_data (const HlConnection *c)
{
  guint n = 0;
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    n += st->content_type == 23 && st->handshake_type < 0 && st->plaintext;
  }
  return n;
}

static void
test_every_lesson (void)
{
  g_autoptr (GPtrArray) names = hl_test_bundled_names ();
  guint opened = 0, closed = 0, signatures_seen = 0, signatures_unseen = 0;
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index (names, i);
    g_autoptr (HlScenario) sc = hl_test_load_bundled (name);
    g_autoptr (HlRun) live = hl_test_run (sc);
    g_autoptr (GError) error = NULL;
    g_autoptr (HlStolenKey) stolen = NULL;
    g_autofree char *text = NULL;
    hl_run_run_to_end (live);
    stolen = hl_steal_key (live, &error);
    g_assert_no_error (error);
    g_assert_nonnull (stolen);
    /* No key log line of either version is left (TLS 1.3's labels end in _SECRET). */
    g_assert_false (contains (g_bytes_get_data (stolen->capture, NULL),
                              g_bytes_get_size (stolen->capture), "CLIENT_RANDOM"));
    g_assert_false (contains (g_bytes_get_data (stolen->capture, NULL),
                              g_bytes_get_size (stolen->capture), "_SECRET "));
    g_assert_cmpuint (hl_steal_report_get_n_connections (stolen->report), ==,
                      hl_run_get_n_connections (live));
    for (guint ci = 0; ci < hl_run_get_n_connections (live); ci++) {
      const HlConnection *c = hl_run_get_connection (live, ci);
      const HlStolenConnection *o = hl_steal_report_get_connection (stolen->report, ci);
      const HlSuite *suite = hl_suite_by_id (c->suite);
      gboolean static_kex = suite
                            && (suite->kex == HL_KEX_RSA || suite->kex == HL_KEX_ECDH_RSA
                                || suite->kex == HL_KEX_ECDH_ECDSA);
      gboolean should_open = static_kex && !c->resumed
                             && has_step (c, HL_SIDE_CLIENT, HL_HANDSHAKE_CLIENT_KEY_EXCHANGE)
                             && c->secrets.value[HL_SECRET_PREMASTER];
      g_test_message ("%s connection %u: %s", name, ci + 1, o->explanation);
      g_assert_nonnull (o->explanation);
      /* A psk_dhe_ke resumption: the PSK alone does not open what follows the ServerHello,
       * yet it does open 0-RTT data (RFC 8446 E.1, 2.3); psk_ke falls with whoever holds the
       * PSK, whatever protected the connection it came from. */
      if (o->verdict == HL_STOLEN_RESUMED && c->version == 0x0304)
        g_assert_nonnull (strstr (o->explanation, "the records after the ServerHello"));
      if (o->verdict == HL_STOLEN_PSK_ONLY) {
        g_assert_nonnull (strstr (o->explanation, "the certificate key alone does not give it"));
        g_assert_null (strstr (o->explanation, "ECDHE protected"));
      }
      g_assert_cmpuint (o->n_data, ==, count_data (c));
      if (should_open) {
        opened++;
        g_assert_cmpint (o->verdict, ==, HL_STOLEN_OPENED);
        g_assert_true (o->premaster_same);
        g_assert_true (g_bytes_equal (o->premaster, c->secrets.value[HL_SECRET_PREMASTER]));
        g_assert_true (g_bytes_equal (o->master, c->secrets.value[HL_SECRET_MASTER]));
        g_assert_cmpuint (o->n_read, ==, o->n_data);
        g_assert_cmpuint (o->n_same, ==, o->n_data);
        g_assert_false (o->has_signature); /* the key exchange is not signed */
      } else {
        closed++;
        g_assert_cmpint (o->verdict, !=, HL_STOLEN_OPENED);
        g_assert_null (o->premaster);
        g_assert_cmpuint (o->n_read, ==, 0);
        g_assert_null (o->data);
      }
      /* ECDHE in TLS 1.0-1.2: the observer checks the ServerKeyExchange itself. */
      if (suite && hl_suite_is_ecdhe (suite) && c->version < 0x0304
          && has_step (c, HL_SIDE_SERVER, HL_HANDSHAKE_SERVER_KEY_EXCHANGE)) {
        signatures_seen++;
        g_assert_true (o->has_signature && o->signature_seen);
        g_assert_true (o->signature_ok);
        g_assert_nonnull (strstr (o->signature, "RFC 8422 5.4"));
      }
      /* TLS 1.3: the CertificateVerify is encrypted; only the lab checks it. */
      if (c->version == 0x0304 && has_step (c, HL_SIDE_SERVER, HL_HANDSHAKE_CERTIFICATE_VERIFY)) {
        signatures_unseen++;
        g_assert_true (o->has_signature);
        g_assert_false (o->signature_seen);
        g_assert_true (o->signature_ok);
        g_assert_nonnull (strstr (o->signature, "RFC 8446 4.4.3"));
      }
    }
    text = hl_steal_report_to_text (stolen->report, "c.pcapng", "k.pem");
    g_assert_nonnull (strstr (text, "c.pcapng"));
  }
  /* RSA (01, 05, 09) and static ECDH (06) open; the rest stay closed. */
  g_assert_cmpuint (opened, >=, 4);
  g_assert_cmpuint (closed, >=, 30);
  g_assert_cmpuint (signatures_seen, >=, 15);
  g_assert_cmpuint (signatures_unseen, >=, 10);
}

/* The key written out is the lesson's own: the same PEM object as its key file. */
static void
test_key_pem (void)
{
  g_autoptr (HlScenario) sc = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) live = hl_test_run (sc);
  g_autoptr (GError) error = NULL;
  g_autofree char *pem = hl_run_server_key_pem (live, &error);
  g_autofree char *path = hl_test_source_path ("assets/pki/server-rsa.key");
  g_autofree char *file = NULL;
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &file, NULL, NULL));
  g_assert_cmpstr (pem, ==, file);
}

/* A recorded run has no server key to steal: an error, no crash. */
static void
test_recorded_has_no_key (void)
{
  g_autoptr (HlScenario) sc = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) live = hl_test_run (sc);
  g_autoptr (HlStolenKey) stolen = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (HlStolenKey) again = NULL;
  hl_run_run_to_end (live);
  stolen = hl_steal_key (live, &error);
  g_assert_no_error (error);
  again = hl_steal_key (stolen->observer, &error);
  g_assert_null (again);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no private key"));
}

/* The Decryption Secrets Block goes, every other block stays; damage gives NULL. */
static void
test_discard_secrets (void)
{
  g_autoptr (HlScenario) sc = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) live = hl_test_run (sc);
  gsize len = 0, dsb = 0;
  g_autofree guint8 *full = NULL;
  g_autoptr (GBytes) stripped = NULL;
  hl_run_run_to_end (live);
  full = hl_pcapng_from_run (live, &len);
  g_assert_true (contains (full, len, "CLIENT_RANDOM"));
  /* The lab writes little-endian: the block after the SHB and the IDB is the DSB. */
  for (gsize at = 0; at + 8 <= len;) {
    guint32 type, total;
    memcpy (&type, full + at, 4);
    memcpy (&total, full + at + 4, 4);
    if (type == 0x0000000A)
      dsb = total;
    at += total;
  }
  g_assert_cmpuint (dsb, >, 0);
  stripped = hl_pcapng_discard_secrets (full, len);
  g_assert_nonnull (stripped);
  g_assert_cmpuint (g_bytes_get_size (stripped), ==, len - dsb);
  g_assert_false (
      contains (g_bytes_get_data (stripped, NULL), g_bytes_get_size (stripped), "CLIENT_RANDOM"));
  g_assert_null (hl_pcapng_discard_secrets (full, len - 3));
  g_assert_null (hl_pcapng_discard_secrets ((const guint8 *)"not a capture", 13));
  g_assert_null (hl_pcapng_discard_secrets (full, 0));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/steal-key/every-lesson", test_every_lesson);
  g_test_add_func ("/steal-key/key-pem", test_key_pem);
  g_test_add_func ("/steal-key/recorded-has-no-key", test_recorded_has_no_key);
  g_test_add_func ("/steal-key/discard-secrets", test_discard_secrets);
  return g_test_run ();
}
