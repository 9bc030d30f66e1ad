/* hl-run-peers.c: Each side's setup: a BearSSL client and server configured from the
 * scenario, seeded from its Seed, with the hooks installed (or an OpenSSL side, see
 * hl-ossl.c); and what the run asks of a side, whichever library plays it.
 */
#include "hl-run-private.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <string.h>

/* ---------- Setting up the two sides ---------- */

static void
fill_seed (const HlScenario *s, HlSide side, guint8 out[32])
{
  /* Both sides' randomness derives from the scenario's Seed, one stream per side. */
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;
  g_checksum_update (sum, (const guchar *)"handshake-lab/drbg/", -1);
  g_checksum_update (sum, (const guchar *)hl_side_name (side), -1);
  g_checksum_update (sum, (const guchar *)"/", 1);
  g_checksum_update (sum, (const guchar *)s->seed, -1);
  g_checksum_get_digest (sum, out, &len);
}

static void
seed_engine (Peer *p, const HlScenario *s)
{
  guint8 seed[32];
  fill_seed (s, p->side, seed);
  /* rng_os_rand_done is a field of BearSSL's public struct, not an API: set
   * it so that reset() never mixes in OS entropy, which would make every run
   * different. This is the one place that touches it; the
   * determinism tests in tests/test-scenarios.c fail if it stops working. */
  p->eng->rng_os_rand_done = 1;
  br_ssl_engine_inject_entropy (p->eng, seed, sizeof seed);
}

static void
apply_common (Peer *p, const HlSideConfig *c, const HlScenario *s)
{
  br_ssl_engine_context *eng = p->eng;
  const br_ec_impl *full = br_ec_get_default ();

  br_ssl_engine_set_versions (eng, c->version_min, c->version_max);
  if (c->suites->len > 0) {
    /* A list may name TLS 1.3 suites too; BearSSL takes the others. */
    uint16_t mine[64];
    guint n = 0;
    for (guint i = 0; i < c->suites->len && n < G_N_ELEMENTS (mine); i++) {
      const HlSuite *suite = hl_suite_by_id (g_array_index (c->suites, guint16, i));
      if (suite && !hl_suite_is_tls13 (suite))
        mine[n++] = suite->id;
    }
    br_ssl_engine_set_suites (eng, mine, n);
  } else if (p->side == HL_SIDE_CLIENT) {
    /* Every suite, in the order --list-suites prints (BearSSL's own default differs). */
    uint16_t all[64];
    guint n = 0;
    const HlSuite *suite;
    for (guint i = 0; n < G_N_ELEMENTS (all) && (suite = hl_suite_nth (i)); i++)
      if (!hl_suite_is_tls13 (suite))
        all[n++] = suite->id;
    br_ssl_engine_set_suites (eng, all, n);
  }
  p->ec = *full;
  p->ec.supported_curves = full->supported_curves & c->curves;
  p->ec.mulgen = _hl_run_watch_mulgen;
  p->ec.mul = _hl_run_watch_mul;
  br_ssl_engine_set_ec (eng, &p->ec);
  /* ECDSA signing goes through mulgen, static ECDH key exchange through mul:
   * this copy watches only the key exchange. */
  p->keyx_ec = *full;
  p->keyx_ec.mul = _hl_run_watch_mul;
  br_ssl_engine_set_ecdsa (eng, _hl_run_verify_ecdsa_any_curve);
  br_ssl_engine_set_prf10 (eng, _hl_run_prf10_hook);
  br_ssl_engine_set_prf_sha256 (eng, _hl_run_prf256_hook);
  br_ssl_engine_set_prf_sha384 (eng, _hl_run_prf384_hook);
  if (c->alpn->len > 0) {
    p->alpn = g_new0 (const char *, c->alpn->len);
    for (guint i = 0; i < c->alpn->len; i++)
      p->alpn[i] = g_ptr_array_index (c->alpn, i);
    br_ssl_engine_set_protocol_names (eng, p->alpn, c->alpn->len);
  }
  p->iobuf = g_malloc (BR_SSL_BUFSIZE_BIDI);
  br_ssl_engine_set_buffer (eng, p->iobuf, BR_SSL_BUFSIZE_BIDI, 1);
  seed_engine (p, s);
}

static Peer *
new_openssl_peer (HlRun *run, const HlScenario *s, HlSide side, GError **error)
{
  Peer *p = g_new0 (Peer, 1);
  p->run = run;
  p->side = side;
  p->ossl = hl_ossl_new (s, side, error);
  p->app_received = g_byte_array_new ();
  if (!p->ossl) {
    _hl_run_free_peer (p);
    return NULL;
  }
  return p;
}

Peer *
_hl_run_new_client (HlRun *run, const HlScenario *s, GError **error)
{
  Peer *p;
  const HlSideConfig *c = &s->client;
  const HlTrustAnchors *tas = c->anchors;
  if (c->library == HL_LIBRARY_OPENSSL)
    return new_openssl_peer (run, s, HL_SIDE_CLIENT, error);
  p = g_new0 (Peer, 1);
  p->run = run;
  p->side = HL_SIDE_CLIENT;
  p->eng = &p->cc.eng;
  br_ssl_client_init_full (&p->cc, &p->watch.inner,
                           tas ? (const br_x509_trust_anchor *)tas->anchors->data : NULL,
                           tas ? tas->anchors->len : 0);
  _hl_run_set_clock (&p->watch.inner, s->time);
  _hl_run_install_watch (p);
  apply_common (p, c, s);
  if (c->credentials) {
    const HlCredentials *cr = c->credentials;
    if (cr->key_type == BR_KEYTYPE_RSA)
      br_ssl_client_set_single_rsa (&p->cc, cr->chain, cr->chain_len, &cr->rsa,
                                    br_rsa_pkcs1_sign_get_default ());
    else
      br_ssl_client_set_single_ec (&p->cc, cr->chain, cr->chain_len, &cr->ec,
                                   BR_KEYTYPE_SIGN | BR_KEYTYPE_KEYX, cr->issuer_key_type,
                                   &p->keyx_ec, br_ecdsa_sign_asn1_get_default ());
  }
  p->app_received = g_byte_array_new ();
  return p;
}

Peer *
_hl_run_new_server (HlRun *run, const HlScenario *s, GError **error)
{
  Peer *p;
  const HlSideConfig *c = &s->server;
  const HlCredentials *cr = c->credentials;
  if (c->library == HL_LIBRARY_OPENSSL)
    return new_openssl_peer (run, s, HL_SIDE_SERVER, error);
  p = g_new0 (Peer, 1);
  p->run = run;
  p->side = HL_SIDE_SERVER;
  p->eng = &p->sc.eng;
  if (cr->key_type == BR_KEYTYPE_RSA)
    br_ssl_server_init_full_rsa (&p->sc, cr->chain, cr->chain_len, &cr->rsa);
  else
    br_ssl_server_init_full_ec (&p->sc, cr->chain, cr->chain_len, cr->issuer_key_type, &cr->ec);
  apply_common (p, c, s);
  /* init_full_ec stored the default EC implementation for the certificate's key;
   * store the watched one, so static ECDH shows the server's side of the exchange. */
  if (cr->key_type != BR_KEYTYPE_RSA)
    br_ssl_server_set_single_ec (&p->sc, cr->chain, cr->chain_len, &cr->ec,
                                 BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN, cr->issuer_key_type,
                                 &p->keyx_ec, br_ecdsa_sign_asn1_get_default ());
  /* Client certificates are checked with these, whatever the server's own key. */
  br_ssl_engine_set_default_rsavrfy (p->eng);
  br_ssl_engine_set_ecdsa (p->eng, _hl_run_verify_ecdsa_any_curve);
  if (!c->prefer_client_order)
    br_ssl_engine_add_flags (p->eng, BR_OPT_ENFORCE_SERVER_PREFERENCES);
  if (c->fail_on_alpn_mismatch)
    br_ssl_engine_add_flags (p->eng, BR_OPT_FAIL_ON_ALPN_MISMATCH);
  if (c->request_client_certificate && c->anchors) {
    const HlTrustAnchors *tas = c->anchors;
    br_x509_minimal_init (&p->watch.inner, &br_sha256_vtable,
                          (const br_x509_trust_anchor *)tas->anchors->data, tas->anchors->len);
    br_x509_minimal_set_hash (&p->watch.inner, br_sha1_ID, &br_sha1_vtable);
    br_x509_minimal_set_hash (&p->watch.inner, br_sha224_ID, &br_sha224_vtable);
    br_x509_minimal_set_hash (&p->watch.inner, br_sha256_ID, &br_sha256_vtable);
    br_x509_minimal_set_hash (&p->watch.inner, br_sha384_ID, &br_sha384_vtable);
    br_x509_minimal_set_hash (&p->watch.inner, br_sha512_ID, &br_sha512_vtable);
    br_x509_minimal_set_rsa (&p->watch.inner, br_rsa_pkcs1_vrfy_get_default ());
    br_x509_minimal_set_ecdsa (&p->watch.inner, br_ec_get_default (),
                               br_ecdsa_vrfy_asn1_get_default ());
    _hl_run_set_clock (&p->watch.inner, s->time);
    _hl_run_install_watch (p);
    br_ssl_server_set_trust_anchor_names_alt (
        &p->sc, (const br_x509_trust_anchor *)tas->anchors->data, tas->anchors->len);
  }
  p->lru_store = g_malloc0 (4096);
  br_ssl_session_cache_lru_init (&p->lru, p->lru_store, 4096);
  br_ssl_server_set_cache (&p->sc, &p->lru.vtable);
  p->app_received = g_byte_array_new ();
  return p;
}

void
_hl_run_clear_captures (Captures *c)
{
  g_clear_pointer (&c->premaster, g_bytes_unref);
  g_clear_pointer (&c->master, g_bytes_unref);
  g_clear_pointer (&c->key_block, g_bytes_unref);
  g_clear_pointer (&c->client_verify, g_bytes_unref);
  g_clear_pointer (&c->server_verify, g_bytes_unref);
  g_clear_pointer (&c->client_finished_hash, g_bytes_unref);
  g_clear_pointer (&c->server_finished_hash, g_bytes_unref);
  g_clear_pointer (&c->ecdh_private, g_bytes_unref);
  g_clear_pointer (&c->ecdh_public, g_bytes_unref);
  g_clear_pointer (&c->ecdh_peer_public, g_bytes_unref);
}

void
_hl_run_forget_held (Peer *p)
{
  for (int i = 0; i < HL_N_SECRETS; i++)
    g_clear_pointer (&p->held[i], hl_secret_unref);
  g_clear_pointer (&p->verdict, g_free);
  p->trusted = FALSE;
}

void
_hl_run_free_peer (Peer *p)
{
  if (!p)
    return;
  _hl_run_clear_captures (&p->cap);
  _hl_run_forget_held (p);
  hl_ossl_free (p->ossl);
  g_clear_pointer (&p->shared_for, g_bytes_unref);
  g_clear_pointer (&p->shared_priv, g_bytes_unref);
  g_clear_pointer (&p->shared_value, g_bytes_unref);
  if (p->schedule_key)
    g_byte_array_unref (p->schedule_key);
  _hl_run_clear_secrets (&p->schedule);
  g_free (p->iobuf);
  g_free (p->lru_store);
  g_free (p->alpn);
  g_byte_array_unref (p->app_received);
  g_free (p);
}

/* ---------- Engine state as text ---------- */

char *
_hl_run_describe_state (Peer *p)
{
  unsigned st;
  GString *s;
  if (p->ossl)
    return hl_ossl_describe_state (p->ossl);
  st = br_ssl_engine_current_state (p->eng);
  s = g_string_new (NULL);
  if (st & BR_SSL_CLOSED)
    g_string_append (s, "CLOSED");
  if (st & BR_SSL_SENDREC)
    g_string_append (s, s->len ? "|SENDREC" : "SENDREC");
  if (st & BR_SSL_RECVREC)
    g_string_append (s, s->len ? "|RECVREC" : "RECVREC");
  if (st & BR_SSL_SENDAPP)
    g_string_append (s, s->len ? "|SENDAPP" : "SENDAPP");
  if (st & BR_SSL_RECVAPP)
    g_string_append (s, s->len ? "|RECVAPP" : "RECVAPP");
  return g_string_free (s, FALSE);
}

/* ---------- Splitting each direction into messages ---------- */

const HlSuite *
_hl_run_negotiated_suite (Peer *p)
{
  br_ssl_session_parameters sp;
  if (p->ossl) /* as the ServerHello said */
    return p->run->hellos.version ? hl_suite_by_id (p->run->hellos.suite) : NULL;
  br_ssl_engine_get_session_parameters (p->eng, &sp);
  return hl_suite_by_id (sp.cipher_suite);
}

/* ---------- What the run asks of a side ---------- */

int
_hl_peer_error (Peer *p)
{
  return p->ossl ? hl_ossl_error (p->ossl) : br_ssl_engine_last_error (p->eng);
}

guint
_hl_peer_version (Peer *p)
{
  if (p->ossl)
    return p->run->hellos.version;
  return br_ssl_engine_get_version (p->eng);
}

gboolean
_hl_peer_can_send (Peer *p)
{
  if (p->ossl)
    return hl_ossl_can_send (p->ossl);
  return p->handshake_done && (br_ssl_engine_current_state (p->eng) & BR_SSL_SENDAPP);
}

gboolean
_hl_peer_closed (Peer *p)
{
  if (p->ossl)
    return hl_ossl_closed (p->ossl);
  return (br_ssl_engine_current_state (p->eng) & BR_SSL_CLOSED) != 0;
}
