/* hl-bench: how much Handshake Lab costs over the cryptography itself.
 *
 * For each bundled scenario: a bare in-memory handshake with the same suites,
 * versions and keys (the floor: BearSSL, or OpenSSL for the TLS 1.3 lessons), Handshake
 * Lab's full stepped run with
 * every decoding, secret and the JSON transcript, their ratio; then a whole
 * headless process and its peak memory; then how the cost grows with the amount
 * of application data. Prints figures; asserts nothing. */
#include <bearssl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hl-credentials-private.h"
#include "hl-data.h"
#include "hl-ladder-export.h"
#include "hl-ladder-paint.h"
#include "hl-run.h"
#include "hl-scenario.h"
#include "hl-tables.h"
#include "hl-transcript.h"

static uint32_t
verify_any (const br_ec_impl *impl, const void *hash, size_t hash_len, const br_ec_public_key *pk,
            const void *sig, size_t sig_len)
{
  return br_ecdsa_vrfy_asn1_get_default () (br_ec_get_default (), hash, hash_len, pk, sig, sig_len);
}

static gboolean
bare_handshake (const HlScenario *s)
{
  static br_ssl_client_context cc;
  static br_ssl_server_context sc;
  static br_x509_minimal_context xc;
  static guint8 cbuf[BR_SSL_BUFSIZE_BIDI], sbuf[BR_SSL_BUFSIZE_BIDI];
  static br_ec_impl ec[2];
  static br_x509_minimal_context sxc;
  const HlCredentials *cr = s->server.credentials;
  const HlTrustAnchors *tas = s->client.anchors;
  br_ssl_engine_context *e[2] = { &cc.eng, &sc.eng };
  guint8 seed[32] = { 1 };
  br_ssl_client_init_full (&cc, &xc, tas ? (br_x509_trust_anchor *)tas->anchors->data : NULL,
                           tas ? tas->anchors->len : 0);
  br_x509_minimal_set_time (&xc, (uint32_t)(719528 + s->time / 86400), s->time % 86400);
  if (cr->key_type == BR_KEYTYPE_RSA)
    br_ssl_server_init_full_rsa (&sc, cr->chain, cr->chain_len, &cr->rsa);
  else
    br_ssl_server_init_full_ec (&sc, cr->chain, cr->chain_len, cr->issuer_key_type, &cr->ec);
  for (int i = 0; i < 2; i++) {
    const HlSideConfig *c = i ? &s->server : &s->client;
    br_ssl_engine_set_versions (e[i], c->version_min, c->version_max);
    if (c->suites->len)
      br_ssl_engine_set_suites (e[i], (const uint16_t *)c->suites->data, c->suites->len);
    br_ssl_engine_set_buffer (e[i], i ? sbuf : cbuf, BR_SSL_BUFSIZE_BIDI, 1);
    ec[i] = *br_ec_get_default ();
    ec[i].supported_curves &= c->curves;
    br_ssl_engine_set_ec (e[i], &ec[i]);
    br_ssl_engine_set_ecdsa (e[i], verify_any);
    e[i]->rng_os_rand_done = 1;
    br_ssl_engine_inject_entropy (e[i], seed, sizeof seed);
  }
  if (s->client.credentials) {
    const HlCredentials *cc_cr = s->client.credentials;
    br_ssl_client_set_single_rsa (&cc, cc_cr->chain, cc_cr->chain_len, &cc_cr->rsa,
                                  br_rsa_pkcs1_sign_get_default ());
  }
  if (s->server.request_client_certificate) {
    const HlTrustAnchors *ctas = s->server.anchors;
    br_x509_minimal_init_full (&sxc, (br_x509_trust_anchor *)ctas->anchors->data,
                               ctas->anchors->len);
    br_x509_minimal_set_time (&sxc, (uint32_t)(719528 + s->time / 86400), s->time % 86400);
    br_ssl_engine_set_x509 (&sc.eng, &sxc.vtable);
    br_ssl_engine_set_default_rsavrfy (&sc.eng);
    br_ssl_server_set_trust_anchor_names_alt (&sc, (br_x509_trust_anchor *)ctas->anchors->data,
                                              ctas->anchors->len);
  }
  br_ssl_server_reset (&sc);
  br_ssl_client_reset (&cc, s->client.server_name, 0);
  for (int round = 0; round < 1000; round++) {
    gboolean moved = FALSE;
    for (int i = 0; i < 2; i++) {
      size_t len, room;
      if (br_ssl_engine_current_state (e[i]) & BR_SSL_SENDREC) {
        unsigned char *out = br_ssl_engine_sendrec_buf (e[i], &len);
        size_t done = 0;
        while (done < len && (br_ssl_engine_current_state (e[!i]) & BR_SSL_RECVREC)) {
          unsigned char *in = br_ssl_engine_recvrec_buf (e[!i], &room);
          if (room > len - done)
            room = len - done;
          memcpy (in, out + done, room);
          br_ssl_engine_recvrec_ack (e[!i], room);
          done += room;
        }
        br_ssl_engine_sendrec_ack (e[i], len);
        moved = TRUE;
      }
    }
    if ((br_ssl_engine_current_state (e[0]) & BR_SSL_SENDAPP)
        && (br_ssl_engine_current_state (e[1]) & BR_SSL_SENDAPP))
      return TRUE;
    if (!moved)
      return FALSE;
  }
  return FALSE;
}

/* The OpenSSL floor: two contexts with the lesson's versions, suites, groups, chain, key
 * and trust anchors, two SSL objects on memory BIOs, records passed until both are done.
 * OpenSSL's own random generator and clock: none of Handshake Lab's determinism. */
static SSL_CTX *
bare_openssl_context (const HlScenario *s, HlSide side)
{
  const HlSideConfig *c = side == HL_SIDE_CLIENT ? &s->client : &s->server;
  SSL_CTX *ctx = SSL_CTX_new (side == HL_SIDE_CLIENT ? TLS_client_method () : TLS_server_method ());
  GString *v13 = g_string_new (NULL);
  SSL_CTX_set_min_proto_version (ctx, c->version_min);
  SSL_CTX_set_max_proto_version (ctx, c->version_max);
  SSL_CTX_set_mode (ctx, SSL_MODE_NO_AUTO_CHAIN);
  for (guint i = 0; i < c->suites->len; i++) {
    const HlSuite *suite = hl_suite_by_id (g_array_index (c->suites, guint16, i));
    if (hl_suite_is_tls13 (suite))
      g_string_append_printf (v13, "%s%s", v13->len ? ":" : "", suite->name);
  }
  if (v13->len)
    SSL_CTX_set_ciphersuites (ctx, v13->str);
  g_string_free (v13, TRUE);
  if (c->curve_order && c->curve_order->len) {
    static const struct {
      guint id;
      const char *name;
    } names[] = { { 29, "X25519" }, { 23, "P-256" }, { 24, "P-384" }, { 25, "P-521" } };
    GString *g = g_string_new (NULL);
    for (guint i = 0; i < c->curve_order->len; i++)
      for (guint k = 0; k < G_N_ELEMENTS (names); k++)
        if (names[k].id == g_array_index (c->curve_order, guint16, i))
          g_string_append_printf (g, "%s%s", g->len ? ":" : "", names[k].name);
    SSL_CTX_set1_groups_list (ctx, g->str);
    g_string_free (g, TRUE);
  }
  if (c->credentials) {
    const HlCredentials *cr = c->credentials;
    const unsigned char *kd = g_bytes_get_data (cr->key_der, NULL);
    EVP_PKEY *key = d2i_AutoPrivateKey (NULL, &kd, g_bytes_get_size (cr->key_der));
    for (gsize i = 0; i < cr->chain_len; i++) {
      const unsigned char *d = cr->chain[i].data;
      X509 *x = d2i_X509 (NULL, &d, cr->chain[i].data_len);
      if (i == 0) {
        SSL_CTX_use_certificate (ctx, x);
        X509_free (x);
      } else {
        SSL_CTX_add0_chain_cert (ctx, x);
      }
    }
    SSL_CTX_use_PrivateKey (ctx, key);
    EVP_PKEY_free (key);
  }
  for (guint i = 0; c->anchors && i < c->anchors->ders->len; i++) {
    GBytes *der = g_ptr_array_index (c->anchors->ders, i);
    const unsigned char *d = g_bytes_get_data (der, NULL);
    X509 *x = d2i_X509 (NULL, &d, g_bytes_get_size (der));
    X509_STORE_add_cert (SSL_CTX_get_cert_store (ctx), x);
    X509_free (x);
  }
  X509_VERIFY_PARAM_set_time (SSL_CTX_get0_param (ctx), (time_t)s->time);
  if (side == HL_SIDE_CLIENT)
    SSL_CTX_set_verify (ctx, SSL_VERIFY_PEER, NULL);
  else if (c->request_client_certificate)
    SSL_CTX_set_verify (ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
  return ctx;
}

static gboolean
bare_openssl_handshake (const HlScenario *s)
{
  SSL_CTX *ctx[2]
      = { bare_openssl_context (s, HL_SIDE_CLIENT), bare_openssl_context (s, HL_SIDE_SERVER) };
  SSL *ssl[2];
  gboolean done[2] = { FALSE, FALSE };
  for (int i = 0; i < 2; i++) {
    ssl[i] = SSL_new (ctx[i]);
    SSL_set_bio (ssl[i], BIO_new (BIO_s_mem ()), BIO_new (BIO_s_mem ()));
  }
  SSL_set_connect_state (ssl[0]);
  SSL_set_accept_state (ssl[1]);
  if (s->client.server_name) {
    SSL_set_tlsext_host_name (ssl[0], s->client.server_name);
    SSL_set1_host (ssl[0], s->client.server_name);
  }
  for (int round = 0; round < 100 && !(done[0] && done[1]); round++)
    for (int i = 0; i < 2; i++) {
      char *p;
      long n;
      if (!done[i])
        done[i] = SSL_do_handshake (ssl[i]) == 1;
      n = BIO_get_mem_data (SSL_get_wbio (ssl[i]), &p);
      if (n > 0) {
        BIO_write (SSL_get_rbio (ssl[!i]), p, (int)n);
        (void)BIO_reset (SSL_get_wbio (ssl[i]));
      }
    }
  for (int i = 0; i < 2; i++) {
    SSL_free (ssl[i]);
    SSL_CTX_free (ctx[i]);
  }
  return done[0] && done[1];
}

static double
time_per_call (void (*fn) (const HlScenario *), const HlScenario *s)
{
  int n = 0;
  gint64 start = g_get_monotonic_time (), now;
  do {
    fn (s);
    n++;
    now = g_get_monotonic_time ();
  } while (now - start < 300000 || n < 5);
  return (now - start) / 1000.0 / n;
}

static void
run_bare (const HlScenario *s)
{
  if (hl_scenario_uses_openssl (s))
    bare_openssl_handshake (s);
  else
    bare_handshake (s);
}

static void
run_full (const HlScenario *s)
{
  HlRun *run = hl_run_new (s);
  char *json;
  hl_run_run_to_end (run);
  json = hl_transcript_to_json (run);
  g_free (json);
  hl_run_free (run);
}

/* The diagram of the whole run: layout plus paint onto an image, and the PNG file's bytes. */
static HlRun *bench_run;

static void
run_layout_paint (const HlScenario *s)
{
  HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };
  HlLadderLayout *l = hl_ladder_layout_new (bench_run, &o);
  cairo_surface_t *img
      = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int)hl_ladder_layout_get_width (l),
                                    (int)hl_ladder_layout_get_height (l));
  cairo_t *cr = cairo_create (img);
  hl_ladder_paint (l, cr);
  cairo_destroy (cr);
  cairo_surface_destroy (img);
  hl_ladder_layout_free (l);
}

static void
run_png (const HlScenario *s)
{
  HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };
  GBytes *png = hl_ladder_render_png (bench_run, &o, 1, NULL);
  g_bytes_unref (png);
}

static void
whole_process_args (const char *exe, const char *path, const char *output, double *ms)
{
  gint64 start = g_get_monotonic_time ();
  pid_t pid = fork ();
  int status;
  if (pid == 0) {
    if (!freopen ("/dev/null", "w", stdout))
      _exit (126);
    execl (exe, exe, "--headless", output, path, (char *)NULL);
    _exit (127);
  }
  waitpid (pid, &status, 0);
  *ms = (g_get_monotonic_time () - start) / 1000.0;
}

static void
whole_process (const char *exe, const char *path, double *ms, long *kib)
{
  gint64 start;
  pid_t pid;
  fflush (stdout);
  start = g_get_monotonic_time ();
  pid = fork ();
  struct rusage ru;
  int status;
  if (pid == 0) {
    if (!freopen ("/dev/null", "w", stdout))
      _exit (126);
    execl (exe, exe, "--headless", "--transcript=/dev/null.json", path, (char *)NULL);
    _exit (127);
  }
  wait4 (pid, &status, 0, &ru);
  *ms = (g_get_monotonic_time () - start) / 1000.0;
  *kib = ru.ru_maxrss;
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) files = hl_data_list_scenarios ();
  const char *exe = argc > 1 ? argv[1] : NULL;
  printf ("%-40s %10s %10s %7s %10s %9s\n", "scenario", "bare ms", "lab ms", "ratio", "process ms",
          "peak KiB");
  for (guint i = 0; files && i < files->len; i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (HlScenario) s = hl_scenario_load (g_ptr_array_index (files, i), &error);
    g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));
    double bare, full, pms = 0;
    long kib = 0;
    if (!s || s->expect.outcome != 1 || s->resumption || s->client.version_max < 0x0301)
      continue;
    bare = time_per_call (run_bare, s);
    full = time_per_call (run_full, s);
    if (exe)
      whole_process (exe, g_ptr_array_index (files, i), &pms, &kib);
    printf ("%-40s %10.3f %10.3f %6.2fx %10.1f %9ld\n", base, bare, full, full / bare, pms, kib);
  }
  {
    g_autofree char *path = hl_data_default_scenario ();
    g_autoptr (HlScenario) s = hl_scenario_load (path, NULL);
    double run_ms, layout_ms, png_ms, process_ms = 0, png_process_ms = 0;
    bench_run = hl_run_new (s);
    hl_run_run_to_end (bench_run);
    run_ms = time_per_call (run_full, s);
    layout_ms = time_per_call (run_layout_paint, s);
    png_ms = time_per_call (run_png, s);
    if (exe) {
      whole_process_args (exe, path, "--transcript=/dev/null.json", &process_ms);
      whole_process_args (exe, path, "--png=/tmp/hl-bench.png", &png_process_ms);
      remove ("/tmp/hl-bench.png");
    }
    printf ("\nDiagram (default scenario, whole run):\n%-28s %10.3f ms\n%-28s %10.3f ms\n"
            "%-28s %10.3f ms\n%-28s %10.1f ms\n%-28s %10.1f ms\n",
            "run + JSON", run_ms, "layout + paint", layout_ms, "PNG in memory", png_ms,
            "process, JSON only", process_ms, "process, with --png", png_process_ms);
    hl_run_free (bench_run);
  }
  {
    g_autofree char *path = hl_data_default_scenario ();
    g_autoptr (HlScenario) s = hl_scenario_load (path, NULL);
    printf ("\nApplication data (default scenario, client sends N bytes):\n%10s %10s %12s\n",
            "bytes", "lab ms", "us per KiB");
    for (gsize n = 1024; s && n <= 1024 * 1024; n *= 4) {
      double ms;
      g_free (s->client_data);
      s->client_data = g_malloc (n + 1);
      memset (s->client_data, 'a', n);
      s->client_data[n] = '\0';
      ms = time_per_call (run_full, s);
      printf ("%10zu %10.3f %12.2f\n", n, ms, ms * 1000.0 / (n / 1024.0));
    }
  }
  return 0;
}
