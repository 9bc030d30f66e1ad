/* hl-run-hooks.c: BearSSL watched from inside: its PRF, its EC implementation and its X.509
 * engine are wrapped, and every call is recorded on the side that made it.
 */
#include "hl-run-private.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <string.h>

/* The side BearSSL is running code for right now. BearSSL's PRF and EC hooks
 * take no context pointer, so the hooks find their side here. It is per
 * thread: two runs on two threads never see each other's peer, and within a
 * thread a run enters and leaves a side strictly around each engine call. */
static _Thread_local Peer *current_peer;

void
_hl_run_enter (Peer *peer)
{
  current_peer = peer;
}

/* Every PRF call of a TLS 1.0-1.2 handshake goes through here: the label says
 * which secret is being made, and for "master secret" the input secret IS the
 * premaster secret, whatever the key exchange. */
static void
record_prf (void *dst, size_t len, const void *secret, size_t secret_len, const char *label,
            size_t seed_num, const br_tls_prf_seed_chunk *seed)
{
  Peer *p = current_peer;
  if (!p)
    return;
  if (strcmp (label, "master secret") == 0) {
    _hl_run_set_bytes (&p->cap.premaster, secret, secret_len);
    _hl_run_set_bytes (&p->cap.master, dst, len);
    p->knows |= KNOW (HL_SECRET_PREMASTER) | KNOW (HL_SECRET_MASTER);
  } else if (strcmp (label, "key expansion") == 0) {
    _hl_run_set_bytes (&p->cap.key_block, dst, len);
    p->knows |= KNOW_KEYS;
  } else if (strcmp (label, "client finished") == 0 || strcmp (label, "server finished") == 0) {
    gboolean client = label[0] == 'c';
    GByteArray *h = g_byte_array_new ();
    for (size_t i = 0; i < seed_num; i++)
      g_byte_array_append (h, seed[i].data, seed[i].len);
    _hl_run_set_bytes (client ? &p->cap.client_verify : &p->cap.server_verify, dst, len);
    _hl_run_set_bytes (client ? &p->cap.client_finished_hash : &p->cap.server_finished_hash,
                       h->data, h->len);
    g_byte_array_unref (h);
    p->knows |= KNOW (client ? HL_SECRET_CLIENT_VERIFY_DATA : HL_SECRET_SERVER_VERIFY_DATA);
  }
}

void
_hl_run_prf10_hook (void *dst, size_t len, const void *secret, size_t secret_len, const char *label,
                    size_t seed_num, const br_tls_prf_seed_chunk *seed)
{
  br_tls10_prf (dst, len, secret, secret_len, label, seed_num, seed);
  record_prf (dst, len, secret, secret_len, label, seed_num, seed);
}

void
_hl_run_prf256_hook (void *dst, size_t len, const void *secret, size_t secret_len,
                     const char *label, size_t seed_num, const br_tls_prf_seed_chunk *seed)
{
  br_tls12_sha256_prf (dst, len, secret, secret_len, label, seed_num, seed);
  record_prf (dst, len, secret, secret_len, label, seed_num, seed);
}

void
_hl_run_prf384_hook (void *dst, size_t len, const void *secret, size_t secret_len,
                     const char *label, size_t seed_num, const br_tls_prf_seed_chunk *seed)
{
  br_tls12_sha384_prf (dst, len, secret, secret_len, label, seed_num, seed);
  record_prf (dst, len, secret, secret_len, label, seed_num, seed);
}

/* ECDSA signatures are checked with the full EC implementation: the engine's
 * own copy may be restricted to fewer curves than the certificate uses. */
uint32_t
_hl_run_verify_ecdsa_any_curve (const br_ec_impl *impl, const void *hash, size_t hash_len,
                                const br_ec_public_key *pk, const void *sig, size_t sig_len)
{
  return br_ecdsa_vrfy_asn1_get_default () (br_ec_get_default (), hash, hash_len, pk, sig, sig_len);
}

/* ECDH(E) seen from inside: mulgen makes this side's public point from its secret
 * scalar; mul multiplies the peer's point by that scalar, and the x coordinate of
 * the result is the premaster secret. BearSSL signs with its own EC implementation,
 * so only the key exchange comes through here. */
guint32
_hl_run_own_ecdh (HlSide side, gboolean priv)
{
  if (side == HL_SIDE_CLIENT)
    return KNOW (priv ? HL_SECRET_CLIENT_ECDH_PRIVATE : HL_SECRET_CLIENT_ECDH_PUBLIC);
  return KNOW (priv ? HL_SECRET_SERVER_ECDH_PRIVATE : HL_SECRET_SERVER_ECDH_PUBLIC);
}

size_t
_hl_run_watch_mulgen (unsigned char *R, const unsigned char *x, size_t xlen, int curve)
{
  size_t n = br_ec_get_default ()->mulgen (R, x, xlen, curve);
  Peer *p = current_peer;
  if (p && n) {
    _hl_run_set_bytes (&p->cap.ecdh_private, x, xlen);
    _hl_run_set_bytes (&p->cap.ecdh_public, R, n);
    p->knows |= _hl_run_own_ecdh (p->side, TRUE) | _hl_run_own_ecdh (p->side, FALSE);
  }
  return n;
}

uint32_t
_hl_run_watch_mul (unsigned char *G, size_t Glen, const unsigned char *x, size_t xlen, int curve)
{
  Peer *p = current_peer;
  if (p) {
    _hl_run_set_bytes (&p->cap.ecdh_peer_public, G, Glen);
    _hl_run_set_bytes (&p->cap.ecdh_private, x, xlen);
    p->knows |= _hl_run_own_ecdh (p->side, TRUE) | _hl_run_own_ecdh (!p->side, FALSE);
    if (!p->cap.ecdh_public) {
      /* Static ECDH: the scalar is the certificate's private key, and its public
       * point (the one in the certificate) never went through mulgen. */
      unsigned char pub[BR_EC_KBUF_PUB_MAX_SIZE];
      size_t n = br_ec_get_default ()->mulgen (pub, x, xlen, curve);
      if (n) {
        _hl_run_set_bytes (&p->cap.ecdh_public, pub, n);
        p->knows |= _hl_run_own_ecdh (p->side, FALSE);
      }
    }
  }
  return br_ec_get_default ()->mul (G, Glen, x, xlen, curve);
}

/* ---------- The X.509 watcher ---------- */

static void
watch_start_chain (const br_x509_class **ctx, const char *server_name)
{
  X509Watch *w = (X509Watch *)ctx;
  w->n_certs = 0;
  w->ended = FALSE;
  w->result = 0;
  w->inner.vtable->start_chain (&w->inner.vtable, server_name);
}

static void
watch_start_cert (const br_x509_class **ctx, uint32_t length)
{
  X509Watch *w = (X509Watch *)ctx;
  w->n_certs++;
  w->inner.vtable->start_cert (&w->inner.vtable, length);
}

static void
watch_append (const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
  X509Watch *w = (X509Watch *)ctx;
  w->inner.vtable->append (&w->inner.vtable, buf, len);
}

static void
watch_end_cert (const br_x509_class **ctx)
{
  X509Watch *w = (X509Watch *)ctx;
  w->inner.vtable->end_cert (&w->inner.vtable);
}

static unsigned
watch_end_chain (const br_x509_class **ctx)
{
  X509Watch *w = (X509Watch *)ctx;
  w->result = w->inner.vtable->end_chain (&w->inner.vtable);
  w->ended = TRUE;
  return w->result;
}

static const br_x509_pkey *
watch_get_pkey (const br_x509_class *const *ctx, unsigned *usages)
{
  const X509Watch *w = (const X509Watch *)ctx;
  return w->inner.vtable->get_pkey (&w->inner.vtable, usages);
}

static const br_x509_class watch_vtable = {
  sizeof (X509Watch), watch_start_chain, watch_start_cert, watch_append,
  watch_end_cert,     watch_end_chain,   watch_get_pkey,
};

void
_hl_run_set_clock (br_x509_minimal_context *xc, gint64 unix_time)
{
  /* BearSSL counts days from year 0: 719528 is 1970-01-01. */
  br_x509_minimal_set_time (xc, (uint32_t)(719528 + unix_time / 86400),
                            (uint32_t)(unix_time % 86400));
}

void
_hl_run_install_watch (Peer *p)
{
  p->watch.vtable = &watch_vtable;
  p->watch.peer = p;
  br_ssl_engine_set_x509 (p->eng, &p->watch.vtable);
}
