/* hl-run.c: two BearSSL engines pumped against each other, one message at a time.
 *
 * How a step works: each side's outgoing records are collected as soon as the
 * engine has them, split into single messages (BearSSL packs a whole flight
 * into one record), and queued in the order they were produced. A step takes
 * the head of the queue, frames it alone in a record of its own and feeds it
 * to the receiver, so the receiver's state after the step is its real state
 * after exactly that message.
 *
 * Secrets come from BearSSL itself: its PRF, its EC implementation and its
 * X.509 engine are wrapped, and every call is recorded on the side that made it.
 */
#include "hl-run.h"
#include "hl-credentials-private.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <bearssl.h>
#include <string.h>

/* Every loop over an engine is bounded: no input may hang a projector. */
#define MAX_PUMP_ROUNDS 256
#define MAX_STEPS 512

typedef struct _Peer Peer;

/* Watches BearSSL's X.509 validation without changing it. */
typedef struct {
  const br_x509_class *vtable;
  br_x509_minimal_context inner;
  Peer *peer;
  guint n_certs;
  unsigned result;
  gboolean ended;
} X509Watch;

/* Captured from the PRF and EC hooks, per connection. */
typedef struct {
  GBytes *premaster, *master, *key_block, *client_verify, *server_verify;
  GBytes *client_finished_hash, *server_finished_hash;
  GBytes *ecdh_private, *ecdh_public, *ecdh_peer_public;
} Captures;

struct _Peer {
  HlRun *run;
  HlSide side;
  br_ssl_client_context cc;
  br_ssl_server_context sc;
  br_ssl_engine_context *eng;
  br_x509_minimal_context server_xc; /* client-certificate validation on the server */
  X509Watch watch;
  br_ec_impl ec;                /* BearSSL's, restricted to the scenario's curves and watched */
  br_ec_impl keyx_ec;           /* for a static ECDH key in a certificate: only mul is watched */
  char *verdict;                /* this side's verdict on the peer's chain, once it judged one */
  HlSecret *held[HL_N_SECRETS]; /* what it holds in this connection, as shown in steps */
  br_ssl_session_cache_lru lru;
  guint8 *lru_store;
  guint8 *iobuf;
  const char **alpn;
  Captures cap;
  guint32 knows;
  gboolean handshake_done;
  GByteArray *app_received;
};

/* BearSSL's record decryption, one of four kinds. Plain data: a copy is a snapshot. */
typedef union {
  const br_sslrec_in_class *vtable;
  br_sslrec_in_cbc_context cbc;
  br_sslrec_gcm_context gcm;
  br_sslrec_chapol_context chapol;
  br_sslrec_ccm_context ccm;
} RecordIn;

/* One direction of the wire: what a sender produced, still being split. */
typedef struct {
  GByteArray *raw;     /* record bytes not yet parsed */
  GByteArray *hs;      /* plaintext handshake bytes not yet a whole message */
  gboolean encrypting; /* the sender has sent ChangeCipherSpec */
  gboolean in_ready;
  RecordIn in;
  guint8 last_block[16]; /* the last cipher block of the sender's previous encrypted record */
  guint16 version;       /* of the last record */
} Direction;

typedef struct {
  HlSide from;
  char *message;
  guint8 content_type;
  int handshake_type;
  guint16 record_version;
  gboolean encrypted;
  GBytes *wire;
  GBytes *plaintext;
  guint connection;
  /* Encrypted records: the decryption state just before this record (its sequence
   * number and, in TLS 1.0 CBC, the chained IV), to encrypt a changed plaintext as the
   * sender would have. */
  gboolean has_in_before;
  RecordIn in_before;
  guint8 last_block[16]; /* BearSSL's CBC writer chains its IV from the previous record */
} Pending;

typedef enum {
  SCRIPT_HANDSHAKE,
  SCRIPT_CLIENT_DATA,
  SCRIPT_SERVER_DATA,
  SCRIPT_CLOSE,
  SCRIPT_DONE,
} ScriptPhase;

struct _HlRun {
  const HlScenario *scenario;
  Peer *peer[2];
  Direction dir[2];               /* indexed by sender */
  GQueue pending;                 /* Pending* */
  GPtrArray *steps;               /* HlStep* */
  GPtrArray *connections;         /* HlConnection* */
  GPtrArray *edits;               /* HlEdit*, in the order they were made */
  GByteArray *offered_session_id; /* in this connection's ClientHello */
  GByteArray *view[2];            /* this connection's handshake messages as each side saw them */
  guint fault_counter;
  gboolean fault_applied;
  char *fault_error;
  ScriptPhase phase;
  gboolean finished;
  guint connection;
  guint32 supported_curves;
};

/* The side BearSSL is running code for right now. BearSSL's PRF and EC hooks
 * take no context pointer, so the hooks find their side here. It is per
 * thread: two runs on two threads never see each other's peer, and within a
 * thread a run enters and leaves a side strictly around each engine call. */
static _Thread_local Peer *current_peer;

static void
enter (Peer *peer)
{
  current_peer = peer;
}

/* ---------- Secrets: names and formulas ---------- */

static const char *const no_inputs[] = { NULL };
static const char *const master_inputs[]
    = { "premaster_secret", "client_random", "server_random", NULL };
static const char *const key_block_inputs[]
    = { "master_secret", "server_random", "client_random", NULL };
static const char *const from_key_block[] = { "key_block", NULL };
static const char *const finished_inputs[] = { "master_secret", NULL };
static const char *const ecdh_public_inputs[] = { NULL };

static const struct {
  const char *key;
  const char *name;
  const char *formula;
  const char *const *inputs;
} secret_info[HL_N_SECRETS] = {
  { "client_random", "Client random",
    "32 bytes the client picked for this connection (ClientHello.random)", no_inputs },
  { "server_random", "Server random",
    "32 bytes the server picked for this connection (ServerHello.random)", no_inputs },
  { "session_id", "Session id", "chosen by the server; names the session for resumption",
    no_inputs },
  { "premaster_secret", "Premaster secret",
    "RSA: 2 version bytes + 46 random bytes from the client, encrypted to the server's key; "
    "ECDH(E): the x coordinate of the shared point",
    no_inputs },
  { "master_secret", "Master secret",
    "PRF(premaster_secret, \"master secret\", client_random + server_random)[0..48]",
    master_inputs },
  { "key_block", "Key block",
    "PRF(master_secret, \"key expansion\", server_random + client_random)", key_block_inputs },
  { "client_write_mac_key", "Client MAC key",
    "key_block, first part: HMAC key for records the client sends", from_key_block },
  { "server_write_mac_key", "Server MAC key", "key_block: HMAC key for records the server sends",
    from_key_block },
  { "client_write_key", "Client write key", "key_block: cipher key for records the client sends",
    from_key_block },
  { "server_write_key", "Server write key", "key_block: cipher key for records the server sends",
    from_key_block },
  { "client_write_iv", "Client IV",
    "key_block: fixed IV (AEAD) or first CBC IV (TLS 1.0) for the client", from_key_block },
  { "server_write_iv", "Server IV",
    "key_block: fixed IV (AEAD) or first CBC IV (TLS 1.0) for the server", from_key_block },
  { "client_verify_data", "Client verify_data",
    "PRF(master_secret, \"client finished\", Hash(handshake messages so far))[0..12]",
    finished_inputs },
  { "server_verify_data", "Server verify_data",
    "PRF(master_secret, \"server finished\", Hash(handshake messages so far))[0..12]",
    finished_inputs },
  { "client_ecdh_private_key", "Client ECDH secret",
    "the client's secret scalar c, fresh for this connection", no_inputs },
  { "client_ecdh_public_key", "Client ECDH share",
    "c\u00b7G, c times the curve's base point G: sent in ClientKeyExchange", ecdh_public_inputs },
  { "server_ecdh_private_key", "Server ECDH secret",
    "the server's secret scalar s (ECDHE: fresh for this connection; static ECDH: the "
    "certificate's private key)",
    no_inputs },
  { "server_ecdh_public_key", "Server ECDH share",
    "s\u00b7G: sent in ServerKeyExchange (ECDHE) or inside the certificate (static ECDH); "
    "premaster_secret = the x coordinate of c\u00b7(s\u00b7G) = s\u00b7(c\u00b7G)",
    ecdh_public_inputs },
};

const char *
hl_secret_key (HlSecretId id)
{
  return secret_info[id].key;
}

const char *
hl_secret_formula (HlSecretId id)
{
  return secret_info[id].formula;
}

const char *
hl_secret_name_for_key (const char *key)
{
  for (int i = 0; i < HL_N_SECRETS; i++)
    if (g_strcmp0 (secret_info[i].key, key) == 0)
      return secret_info[i].name;
  return NULL;
}

static void
clear_secret (HlSecret *secret)
{
  g_bytes_unref (secret->value);
}

HlSecret *
hl_secret_ref (HlSecret *secret)
{
  return g_atomic_rc_box_acquire (secret);
}

void
hl_secret_unref (HlSecret *secret)
{
  if (secret)
    g_atomic_rc_box_release_full (secret, (GDestroyNotify)clear_secret);
}

static HlSecret *
new_secret (HlSecretId id, HlSide side, GBytes *value, guint step)
{
  HlSecret *secret = g_atomic_rc_box_new0 (HlSecret);
  secret->key = secret_info[id].key;
  secret->name = secret_info[id].name;
  secret->formula = secret_info[id].formula;
  secret->inputs = secret_info[id].inputs;
  secret->value = g_bytes_ref (value);
  secret->learned_at = step;
  secret->side = side;
  return secret;
}

#define KNOW(id) (1u << (id))
#define KNOW_KEYS                                                                                  \
  (KNOW (HL_SECRET_KEY_BLOCK) | KNOW (HL_SECRET_CLIENT_WRITE_MAC_KEY)                              \
   | KNOW (HL_SECRET_SERVER_WRITE_MAC_KEY) | KNOW (HL_SECRET_CLIENT_WRITE_KEY)                     \
   | KNOW (HL_SECRET_SERVER_WRITE_KEY) | KNOW (HL_SECRET_CLIENT_WRITE_IV)                          \
   | KNOW (HL_SECRET_SERVER_WRITE_IV))

/* ---------- Hooks into BearSSL ---------- */

static void
set_bytes (GBytes **slot, const void *data, gsize len)
{
  if (*slot)
    g_bytes_unref (*slot);
  *slot = g_bytes_new (data, len);
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
    set_bytes (&p->cap.premaster, secret, secret_len);
    set_bytes (&p->cap.master, dst, len);
    p->knows |= KNOW (HL_SECRET_PREMASTER) | KNOW (HL_SECRET_MASTER);
  } else if (strcmp (label, "key expansion") == 0) {
    set_bytes (&p->cap.key_block, dst, len);
    p->knows |= KNOW_KEYS;
  } else if (strcmp (label, "client finished") == 0 || strcmp (label, "server finished") == 0) {
    gboolean client = label[0] == 'c';
    GByteArray *h = g_byte_array_new ();
    for (size_t i = 0; i < seed_num; i++)
      g_byte_array_append (h, seed[i].data, seed[i].len);
    set_bytes (client ? &p->cap.client_verify : &p->cap.server_verify, dst, len);
    set_bytes (client ? &p->cap.client_finished_hash : &p->cap.server_finished_hash, h->data,
               h->len);
    g_byte_array_unref (h);
    p->knows |= KNOW (client ? HL_SECRET_CLIENT_VERIFY_DATA : HL_SECRET_SERVER_VERIFY_DATA);
  }
}

static void
prf10_hook (void *dst, size_t len, const void *secret, size_t secret_len, const char *label,
            size_t seed_num, const br_tls_prf_seed_chunk *seed)
{
  br_tls10_prf (dst, len, secret, secret_len, label, seed_num, seed);
  record_prf (dst, len, secret, secret_len, label, seed_num, seed);
}

static void
prf256_hook (void *dst, size_t len, const void *secret, size_t secret_len, const char *label,
             size_t seed_num, const br_tls_prf_seed_chunk *seed)
{
  br_tls12_sha256_prf (dst, len, secret, secret_len, label, seed_num, seed);
  record_prf (dst, len, secret, secret_len, label, seed_num, seed);
}

static void
prf384_hook (void *dst, size_t len, const void *secret, size_t secret_len, const char *label,
             size_t seed_num, const br_tls_prf_seed_chunk *seed)
{
  br_tls12_sha384_prf (dst, len, secret, secret_len, label, seed_num, seed);
  record_prf (dst, len, secret, secret_len, label, seed_num, seed);
}

/* ECDSA signatures are checked with the full EC implementation: the engine's
 * own copy may be restricted to fewer curves than the certificate uses. */
static uint32_t
verify_ecdsa_any_curve (const br_ec_impl *impl, const void *hash, size_t hash_len,
                        const br_ec_public_key *pk, const void *sig, size_t sig_len)
{
  return br_ecdsa_vrfy_asn1_get_default () (br_ec_get_default (), hash, hash_len, pk, sig, sig_len);
}

/* ECDH(E) seen from inside: mulgen makes this side's public point from its secret
 * scalar; mul multiplies the peer's point by that scalar, and the x coordinate of
 * the result is the premaster secret. BearSSL signs with its own EC implementation,
 * so only the key exchange comes through here. */
static guint32
own_ecdh (HlSide side, gboolean priv)
{
  if (side == HL_SIDE_CLIENT)
    return KNOW (priv ? HL_SECRET_CLIENT_ECDH_PRIVATE : HL_SECRET_CLIENT_ECDH_PUBLIC);
  return KNOW (priv ? HL_SECRET_SERVER_ECDH_PRIVATE : HL_SECRET_SERVER_ECDH_PUBLIC);
}

static size_t
watch_mulgen (unsigned char *R, const unsigned char *x, size_t xlen, int curve)
{
  size_t n = br_ec_get_default ()->mulgen (R, x, xlen, curve);
  Peer *p = current_peer;
  if (p && n) {
    set_bytes (&p->cap.ecdh_private, x, xlen);
    set_bytes (&p->cap.ecdh_public, R, n);
    p->knows |= own_ecdh (p->side, TRUE) | own_ecdh (p->side, FALSE);
  }
  return n;
}

static uint32_t
watch_mul (unsigned char *G, size_t Glen, const unsigned char *x, size_t xlen, int curve)
{
  Peer *p = current_peer;
  if (p) {
    set_bytes (&p->cap.ecdh_peer_public, G, Glen);
    set_bytes (&p->cap.ecdh_private, x, xlen);
    p->knows |= own_ecdh (p->side, TRUE) | own_ecdh (!p->side, FALSE);
    if (!p->cap.ecdh_public) {
      /* Static ECDH: the scalar is the certificate's private key, and its public
       * point (the one in the certificate) never went through mulgen. */
      unsigned char pub[BR_EC_KBUF_PUB_MAX_SIZE];
      size_t n = br_ec_get_default ()->mulgen (pub, x, xlen, curve);
      if (n) {
        set_bytes (&p->cap.ecdh_public, pub, n);
        p->knows |= own_ecdh (p->side, FALSE);
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
   * different. This is the one place that touches it; tests/test-determinism
   * fails if it stops working. */
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
    br_ssl_engine_set_suites (eng, (const uint16_t *)c->suites->data, c->suites->len);
  } else if (p->side == HL_SIDE_CLIENT) {
    /* Every suite, in the order --list-suites prints (BearSSL's own default differs). */
    uint16_t all[64];
    guint n = 0;
    for (const HlSuite *suite; n < G_N_ELEMENTS (all) && (suite = hl_suite_nth (n)); n++)
      all[n] = suite->id;
    br_ssl_engine_set_suites (eng, all, n);
  }
  p->ec = *full;
  p->ec.supported_curves = full->supported_curves & c->curves;
  p->ec.mulgen = watch_mulgen;
  p->ec.mul = watch_mul;
  br_ssl_engine_set_ec (eng, &p->ec);
  /* ECDSA signing goes through mulgen, static ECDH key exchange through mul:
   * this copy watches only the key exchange. */
  p->keyx_ec = *full;
  p->keyx_ec.mul = watch_mul;
  br_ssl_engine_set_ecdsa (eng, verify_ecdsa_any_curve);
  br_ssl_engine_set_prf10 (eng, prf10_hook);
  br_ssl_engine_set_prf_sha256 (eng, prf256_hook);
  br_ssl_engine_set_prf_sha384 (eng, prf384_hook);
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

static void
set_clock (br_x509_minimal_context *xc, gint64 unix_time)
{
  /* BearSSL counts days from year 0: 719528 is 1970-01-01. */
  br_x509_minimal_set_time (xc, (uint32_t)(719528 + unix_time / 86400),
                            (uint32_t)(unix_time % 86400));
}

static void
install_watch (Peer *p)
{
  p->watch.vtable = &watch_vtable;
  p->watch.peer = p;
  br_ssl_engine_set_x509 (p->eng, &p->watch.vtable);
}

static Peer *
new_client (HlRun *run, const HlScenario *s)
{
  Peer *p = g_new0 (Peer, 1);
  const HlSideConfig *c = &s->client;
  const HlTrustAnchors *tas = c->anchors;
  p->run = run;
  p->side = HL_SIDE_CLIENT;
  p->eng = &p->cc.eng;
  br_ssl_client_init_full (&p->cc, &p->watch.inner,
                           tas ? (const br_x509_trust_anchor *)tas->anchors->data : NULL,
                           tas ? tas->anchors->len : 0);
  set_clock (&p->watch.inner, s->time);
  install_watch (p);
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

static Peer *
new_server (HlRun *run, const HlScenario *s)
{
  Peer *p = g_new0 (Peer, 1);
  const HlSideConfig *c = &s->server;
  const HlCredentials *cr = c->credentials;
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
  br_ssl_engine_set_ecdsa (p->eng, verify_ecdsa_any_curve);
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
    set_clock (&p->watch.inner, s->time);
    install_watch (p);
    br_ssl_server_set_trust_anchor_names_alt (
        &p->sc, (const br_x509_trust_anchor *)tas->anchors->data, tas->anchors->len);
  }
  p->lru_store = g_malloc0 (4096);
  br_ssl_session_cache_lru_init (&p->lru, p->lru_store, 4096);
  br_ssl_server_set_cache (&p->sc, &p->lru.vtable);
  p->app_received = g_byte_array_new ();
  return p;
}

static void
clear_captures (Captures *c)
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

static void
forget_held (Peer *p)
{
  for (int i = 0; i < HL_N_SECRETS; i++)
    g_clear_pointer (&p->held[i], hl_secret_unref);
  g_clear_pointer (&p->verdict, g_free);
}

static void
free_peer (Peer *p)
{
  if (!p)
    return;
  clear_captures (&p->cap);
  forget_held (p);
  g_free (p->iobuf);
  g_free (p->lru_store);
  g_free (p->alpn);
  g_byte_array_unref (p->app_received);
  g_free (p);
}

/* ---------- Engine state as text ---------- */

static char *
describe_state (Peer *p)
{
  unsigned st = br_ssl_engine_current_state (p->eng);
  GString *s = g_string_new (NULL);
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

static const HlSuite *
negotiated_suite (Peer *p)
{
  br_ssl_session_parameters sp;
  br_ssl_engine_get_session_parameters (p->eng, &sp);
  return hl_suite_by_id (sp.cipher_suite);
}

/* Splits the sender's key block into its parts, in RFC 5246 order. */
static void
split_key_block (GBytes *kb, const HlSuite *suite, guint version, HlSecrets *out)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (kb, &len);
  guint mac = hl_suite_mac_key_len (suite), key = suite->key_len;
  guint iv = hl_suite_fixed_iv_len (suite, version);
  gsize need = 2 * (mac + key + iv), off = 0;
  HlSecretId order[6] = { HL_SECRET_CLIENT_WRITE_MAC_KEY, HL_SECRET_SERVER_WRITE_MAC_KEY,
                          HL_SECRET_CLIENT_WRITE_KEY,     HL_SECRET_SERVER_WRITE_KEY,
                          HL_SECRET_CLIENT_WRITE_IV,      HL_SECRET_SERVER_WRITE_IV };
  guint sizes[6] = { mac, mac, key, key, iv, iv };
  if (len < need)
    return;
  for (int i = 0; i < 6; i++) {
    set_bytes (&out->value[order[i]], d + off, sizes[i]);
    off += sizes[i];
  }
}

static void clear_secrets (HlSecrets *s);

G_DEFINE_QUARK (hl - run - error - quark, hl_run_error)

/* The keys one sender writes with, from its own key block. */
typedef struct {
  const HlSuite *suite;
  guint version;
  const guint8 *key, *iv, *mac;
  HlSecrets parts; /* owns what key, iv and mac point into */
} SenderKeys;

static gboolean
get_sender_keys (HlRun *run, HlSide sender, SenderKeys *k)
{
  Peer *p = run->peer[sender];
  gboolean client = sender == HL_SIDE_CLIENT;
  memset (k, 0, sizeof *k);
  k->suite = negotiated_suite (p);
  k->version = br_ssl_engine_get_version (p->eng);
  if (!k->suite || !p->cap.key_block)
    return FALSE;
  split_key_block (p->cap.key_block, k->suite, k->version, &k->parts);
  if (!k->parts.value[HL_SECRET_CLIENT_WRITE_KEY])
    return FALSE;
  k->key = g_bytes_get_data (
      k->parts.value[client ? HL_SECRET_CLIENT_WRITE_KEY : HL_SECRET_SERVER_WRITE_KEY], NULL);
  k->iv = g_bytes_get_data (
      k->parts.value[client ? HL_SECRET_CLIENT_WRITE_IV : HL_SECRET_SERVER_WRITE_IV], NULL);
  k->mac = g_bytes_get_data (
      k->parts.value[client ? HL_SECRET_CLIENT_WRITE_MAC_KEY : HL_SECRET_SERVER_WRITE_MAC_KEY],
      NULL);
  return TRUE;
}

static const br_hash_class *
mac_hash (const HlSuite *suite)
{
  return suite->mac == HL_HASH_SHA1     ? &br_sha1_vtable
         : suite->mac == HL_HASH_SHA256 ? &br_sha256_vtable
                                        : &br_sha384_vtable;
}

static gboolean
init_decryptor (HlRun *run, HlSide sender)
{
  Direction *dir = &run->dir[sender];
  SenderKeys k;
  const HlSuite *suite;
  const guint8 *key, *iv, *mac;
  gboolean ok = TRUE;
  if (!get_sender_keys (run, sender, &k)) {
    clear_secrets (&k.parts);
    return FALSE;
  }
  suite = k.suite, key = k.key, iv = k.iv, mac = k.mac;
  switch (suite->cipher) {
  case HL_CIPHER_AES_GCM:
    br_sslrec_in_gcm_vtable.init (&dir->in.gcm.vtable.in, &br_aes_ct_ctr_vtable, key,
                                  suite->key_len, br_ghash_ctmul, iv);
    break;
  case HL_CIPHER_CHACHA20_POLY1305:
    br_sslrec_in_chapol_vtable.init (&dir->in.chapol.vtable.in, br_chacha20_ct_run,
                                     br_poly1305_ctmul_run, key, iv);
    break;
  case HL_CIPHER_AES_CCM:
  case HL_CIPHER_AES_CCM8:
    br_sslrec_in_ccm_vtable.init (&dir->in.ccm.vtable.in, &br_aes_ct_ctrcbc_vtable, key,
                                  suite->key_len, iv, suite->cipher == HL_CIPHER_AES_CCM ? 16 : 8);
    break;
  case HL_CIPHER_AES_CBC:
  case HL_CIPHER_3DES_CBC: {
    guint maclen = hl_suite_mac_key_len (suite);
    br_sslrec_in_cbc_vtable.init (&dir->in.cbc.vtable,
                                  suite->cipher == HL_CIPHER_AES_CBC ? &br_aes_ct_cbcdec_vtable
                                                                     : &br_des_ct_cbcdec_vtable,
                                  key, suite->key_len, mac_hash (suite), mac, maclen, maclen,
                                  k.version <= 0x0301 ? iv : NULL);
    break;
  }
  default:
    ok = FALSE;
  }
  clear_secrets (&k.parts);
  memset (dir->last_block, 0, sizeof dir->last_block);
  dir->in_ready = ok;
  return ok;
}

/* A changed plaintext, encrypted as the sender would have sent it: its keys, the
 * record's sequence number (and, in TLS 1.0 CBC, the IV chained from the record
 * before). The receiver then finds a valid record with different content. */
static GBytes *
encrypt_as_sender (HlRun *run, const Pending *p, GBytes *plaintext, GError **error)
{
  SenderKeys k;
  union {
    const br_sslrec_out_class *vtable;
    br_sslrec_out_cbc_context cbc;
    br_sslrec_gcm_context gcm;
    br_sslrec_chapol_context chapol;
    br_sslrec_ccm_context ccm;
  } out;
  gsize len = g_bytes_get_size (plaintext);
  size_t rlen = len;
  guint8 *buf;
  unsigned char *rec;
  GBytes *result = NULL;
  if (!p->encrypted || !p->has_in_before) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NOT_ENCRYPTED,
                 "the next message is not an encrypted record: change its bytes instead");
    return NULL;
  }
  if (len == 0 || len > 16384) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_BAD_LENGTH,
                 "a record carries 1 to 16384 bytes of plaintext, not %zu", len);
    return NULL;
  }
  if (!get_sender_keys (run, p->from, &k)) {
    clear_secrets (&k.parts);
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NOT_ENCRYPTED, "the %s's keys are not known",
                 hl_side_name (p->from));
    return NULL;
  }
  if (p->content_type == 23 && k.version <= 0x0301
      && (k.suite->cipher == HL_CIPHER_AES_CBC || k.suite->cipher == HL_CIPHER_3DES_CBC)
      && len > 1) {
    clear_secrets (&k.parts);
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_BAD_LENGTH,
                 "TLS 1.0 CBC splits application data 1/n-1 into two records: change one "
                 "byte of it at a time");
    return NULL;
  }
  switch (k.suite->cipher) {
  case HL_CIPHER_AES_GCM:
    br_sslrec_out_gcm_vtable.init (&out.gcm.vtable.out, &br_aes_ct_ctr_vtable, k.key,
                                   k.suite->key_len, br_ghash_ctmul, k.iv);
    out.gcm.seq = p->in_before.gcm.seq;
    break;
  case HL_CIPHER_CHACHA20_POLY1305:
    br_sslrec_out_chapol_vtable.init (&out.chapol.vtable.out, br_chacha20_ct_run,
                                      br_poly1305_ctmul_run, k.key, k.iv);
    out.chapol.seq = p->in_before.chapol.seq;
    break;
  case HL_CIPHER_AES_CCM:
  case HL_CIPHER_AES_CCM8:
    br_sslrec_out_ccm_vtable.init (&out.ccm.vtable.out, &br_aes_ct_ctrcbc_vtable, k.key,
                                   k.suite->key_len, k.iv,
                                   k.suite->cipher == HL_CIPHER_AES_CCM ? 16 : 8);
    out.ccm.seq = p->in_before.ccm.seq;
    break;
  case HL_CIPHER_AES_CBC:
  case HL_CIPHER_3DES_CBC: {
    guint maclen = hl_suite_mac_key_len (k.suite);
    br_sslrec_out_cbc_vtable.init (&out.cbc.vtable,
                                   k.suite->cipher == HL_CIPHER_AES_CBC ? &br_aes_ct_cbcenc_vtable
                                                                        : &br_des_ct_cbcenc_vtable,
                                   k.key, k.suite->key_len, mac_hash (k.suite), k.mac, maclen,
                                   maclen, k.version <= 0x0301 ? k.iv : NULL);
    out.cbc.seq = p->in_before.cbc.seq;
    /* TLS 1.0: the IV is the previous record's last block. TLS 1.1+: BearSSL still
     * chains, and sends the block it derives from that chain as the explicit IV. */
    if (k.version <= 0x0301)
      memcpy (out.cbc.iv, p->in_before.cbc.iv, sizeof out.cbc.iv);
    else
      memcpy (out.cbc.iv, p->last_block, sizeof out.cbc.iv);
    break;
  }
  default:
    clear_secrets (&k.parts);
    return NULL;
  }
  /* Room before the plaintext for header and explicit nonce, after it for MAC, padding, tag. */
  buf = g_malloc0 (len + 1024);
  memcpy (buf + 512, g_bytes_get_data (plaintext, NULL), len);
  rec = out.vtable->encrypt (&out.vtable, p->content_type, p->record_version, buf + 512, &rlen);
  if (rec && rlen > 5)
    result = g_bytes_new (rec + 5, rlen - 5);
  g_free (buf);
  clear_secrets (&k.parts);
  return result;
}

static void
free_pending (Pending *p)
{
  if (!p)
    return;
  g_free (p->message);
  if (p->wire)
    g_bytes_unref (p->wire);
  if (p->plaintext)
    g_bytes_unref (p->plaintext);
  g_free (p);
}

static void
queue_pending (HlRun *run, HlSide from, const char *message, guint8 ct, int hs_type,
               guint16 version, gboolean encrypted, const guint8 *wire, gsize len,
               GBytes *plaintext)
{
  Pending *p = g_new0 (Pending, 1);
  p->from = from;
  p->message = g_strdup (message);
  p->content_type = ct;
  p->handshake_type = hs_type;
  p->record_version = version;
  p->encrypted = encrypted;
  p->wire = g_bytes_new (wire, len);
  p->plaintext = plaintext;
  p->connection = run->connection;
  g_queue_push_tail (&run->pending, p);
}

/* An encrypted record: decrypt it with the sender's keys to learn what it carries. */
static void
take_encrypted_record (HlRun *run, HlSide from, guint8 ct, guint16 version, const guint8 *payload,
                       gsize len)
{
  Direction *dir = &run->dir[from];
  GBytes *plain = NULL;
  const char *name;
  int hs_type = -1;
  RecordIn before;
  gboolean has_before;
  if (!dir->in_ready)
    init_decryptor (run, from);
  has_before = dir->in_ready;
  before = dir->in;
  if (dir->in_ready && dir->in.vtable->check_length (&dir->in.vtable, len)) {
    guint8 *copy = g_memdup2 (payload, len ? len : 1);
    size_t plen = len;
    unsigned char *pt = dir->in.vtable->decrypt (&dir->in.vtable, ct, version, copy, &plen);
    if (pt)
      plain = g_bytes_new (pt, plen);
    g_free (copy);
  }
  switch (ct) {
  case 21:
    name = "Alert";
    break;
  case 23:
    name = "ApplicationData";
    break;
  case 22: {
    gsize plen = 0;
    const guint8 *pd = plain ? g_bytes_get_data (plain, &plen) : NULL;
    hs_type = plen > 0 ? pd[0] : 20;
    name = hl_handshake_type_name (hs_type);
    if (!name)
      name = "Finished";
    break;
  }
  case 20:
    name = "ChangeCipherSpec";
    break;
  default:
    name = "ApplicationData";
  }
  queue_pending (run, from, name, ct, hs_type, version, TRUE, payload, len, plain);
  if (has_before) {
    Pending *queued = g_queue_peek_tail (&run->pending);
    const HlSuite *suite = negotiated_suite (run->peer[from]);
    gsize block = MIN (len, suite && suite->cipher == HL_CIPHER_3DES_CBC ? 8 : 16);
    queued->has_in_before = TRUE;
    queued->in_before = before;
    memcpy (queued->last_block, dir->last_block, sizeof dir->last_block);
    memset (dir->last_block, 0, sizeof dir->last_block);
    memcpy (dir->last_block, payload + len - block, block);
  }
}

static HlConnection *current_connection (HlRun *run);

/* Hellos say who knows what: the randoms, the session id, and whether the server
 * accepted to resume (same non-empty session id back: the old master secret is reused). */
static void
note_hello (HlRun *run, HlSide from, const guint8 *h, gsize len)
{
  Peer *p = run->peer[from];
  gsize sid_len = len > 38 ? h[38] : 0;
  const guint8 *sid = h + 39;
  if (len < 39 + sid_len)
    sid_len = 0;
  if (h[0] == 1) {
    p->knows |= KNOW (HL_SECRET_CLIENT_RANDOM);
    g_byte_array_set_size (run->offered_session_id, 0);
    g_byte_array_append (run->offered_session_id, sid, sid_len);
    if (sid_len)
      p->knows |= KNOW (HL_SECRET_SESSION_ID) | KNOW (HL_SECRET_MASTER);
  } else {
    p->knows |= KNOW (HL_SECRET_SERVER_RANDOM) | KNOW (HL_SECRET_SESSION_ID);
    if (sid_len && sid_len == run->offered_session_id->len
        && memcmp (sid, run->offered_session_id->data, sid_len) == 0)
      p->knows |= KNOW (HL_SECRET_MASTER); /* the server takes the cached session */
  }
}

static void
take_record (HlRun *run, HlSide from, guint8 ct, guint16 version, const guint8 *payload, gsize len)
{
  Direction *dir = &run->dir[from];
  dir->version = version;
  if (dir->encrypting) {
    take_encrypted_record (run, from, ct, version, payload, len);
    return;
  }
  switch (ct) {
  case 22:
    g_byte_array_append (dir->hs, payload, len);
    while (dir->hs->len >= 4) {
      const guint8 *h = dir->hs->data;
      gsize mlen = 4 + ((gsize)h[1] << 16 | (gsize)h[2] << 8 | h[3]);
      const char *name = hl_handshake_type_name (h[0]);
      if (dir->hs->len < mlen)
        break;
      queue_pending (run, from, name ? name : "Unknown", 22, h[0], version, FALSE, h, mlen, NULL);
      if (h[0] != 0 && h[0] != 20) {
        if (h[0] == 1 || h[0] == 2)
          note_hello (run, from, h, mlen);
      }
      g_byte_array_remove_range (dir->hs, 0, mlen);
    }
    break;
  case 20:
    queue_pending (run, from, "ChangeCipherSpec", 20, -1, version, FALSE, payload, len, NULL);
    dir->encrypting = TRUE;
    dir->in_ready = FALSE;
    break;
  case 21:
    for (gsize off = 0; off + 2 <= len; off += 2)
      queue_pending (run, from, "Alert", 21, -1, version, FALSE, payload + off, 2, NULL);
    break;
  default:
    queue_pending (run, from, "ApplicationData", ct, -1, version, FALSE, payload, len, NULL);
  }
}

static void
parse_records (HlRun *run, HlSide from)
{
  Direction *dir = &run->dir[from];
  while (dir->raw->len >= 5) {
    const guint8 *r = dir->raw->data;
    gsize len = (gsize)r[3] << 8 | r[4];
    if (dir->raw->len < 5 + len)
      break;
    take_record (run, from, r[0], (guint16)(r[1] << 8 | r[2]), r + 5, len);
    g_byte_array_remove_range (dir->raw, 0, 5 + len);
  }
}

/* Collects whatever both engines want to send, and whatever data they received. */
static void
pump (HlRun *run)
{
  for (int round = 0; round < MAX_PUMP_ROUNDS; round++) {
    gboolean progress = FALSE;
    for (int s = 0; s < 2; s++) {
      Peer *p = run->peer[s];
      unsigned st;
      enter (p);
      st = br_ssl_engine_current_state (p->eng);
      if (st & BR_SSL_SENDREC) {
        size_t len;
        unsigned char *buf = br_ssl_engine_sendrec_buf (p->eng, &len);
        g_byte_array_append (run->dir[s].raw, buf, len);
        br_ssl_engine_sendrec_ack (p->eng, len);
        progress = TRUE;
      }
      if (st & BR_SSL_RECVAPP) {
        size_t len;
        unsigned char *buf = br_ssl_engine_recvapp_buf (p->eng, &len);
        g_byte_array_append (p->app_received, buf, len);
        br_ssl_engine_recvapp_ack (p->eng, len);
        progress = TRUE;
      }
      if ((st & BR_SSL_SENDAPP) && !p->handshake_done)
        p->handshake_done = TRUE;
      enter (NULL);
    }
    if (!progress)
      break;
  }
  parse_records (run, HL_SIDE_CLIENT);
  parse_records (run, HL_SIDE_SERVER);
}

/* Feeds bytes to a receiver; returns how many it accepted. */
static gsize
feed (Peer *p, const guint8 *data, gsize len)
{
  gsize done = 0;
  enter (p);
  for (int round = 0; round < MAX_PUMP_ROUNDS * 4 && done < len; round++) {
    size_t room;
    unsigned char *buf;
    if (!(br_ssl_engine_current_state (p->eng) & BR_SSL_RECVREC))
      break;
    buf = br_ssl_engine_recvrec_buf (p->eng, &room);
    if (room == 0)
      break;
    if (room > len - done)
      room = len - done;
    memcpy (buf, data + done, room);
    br_ssl_engine_recvrec_ack (p->eng, room);
    done += room;
  }
  enter (NULL);
  return done;
}

/* ---------- Steps ---------- */

static void
free_field_array (gpointer p)
{
  g_ptr_array_unref (p);
}

static void
free_step (HlStep *st)
{
  g_free (st->message);
  if (st->wire)
    g_bytes_unref (st->wire);
  if (st->delivered_wire)
    g_bytes_unref (st->delivered_wire);
  if (st->plaintext)
    g_bytes_unref (st->plaintext);
  if (st->delivered_plaintext)
    g_bytes_unref (st->delivered_plaintext);
  g_array_unref (st->records);
  if (st->record_wire)
    g_bytes_unref (st->record_wire);
  if (st->record_fields)
    g_ptr_array_unref (st->record_fields);
  if (st->delivered_fields)
    g_ptr_array_unref (st->delivered_fields);
  g_free (st->fault);
  if (st->fields)
    free_field_array (st->fields);
  g_free (st->summary);
  g_free (st->story);
  g_free (st->check);
  g_free (st->certificate_check);
  for (int i = 0; i < 2; i++) {
    g_free (st->after[i].state);
    g_free (st->after[i].certificate_verdict);
    if (st->after[i].secrets)
      g_ptr_array_unref (st->after[i].secrets);
  }
  g_free (st);
}

static void
clear_secrets (HlSecrets *s)
{
  for (int i = 0; i < HL_N_SECRETS; i++)
    g_clear_pointer (&s->value[i], g_bytes_unref);
}

static void
free_connection (HlConnection *c)
{
  g_free (c->alpn);
  g_free (c->server_name);
  g_free (c->explanation[0]);
  g_free (c->explanation[1]);
  clear_secrets (&c->secrets);
  clear_secrets (&c->server_secrets);
  g_ptr_array_unref (c->steps);
  g_free (c);
}

/* The nine steps of the classic story, and where a message stands in it. */
static char *
tell_story (const HlStep *st, const HlSuite *suite, gboolean resumed)
{
  const char *m = st->message;
  gboolean ecdhe = suite && hl_suite_is_ecdhe (suite);
  gboolean ecdh = suite && hl_suite_is_ecdh (suite) && !ecdhe;
  if (strcmp (m, "ClientHello") == 0)
    return g_strdup (resumed ? "Story step 1, shortened: the client says hello again and offers "
                               "the session id of an earlier session to resume it."
                             : "Story step 1: the client says hello, with its random and the "
                               "cipher suites it can use.");
  if (strcmp (m, "ServerHello") == 0)
    return g_strdup (resumed ? "Story step 2, shortened: the server accepts to resume; both "
                               "sides reuse the old master secret with the two new randoms."
                             : "Story step 2: the server answers with its own random and the "
                               "chosen cipher suite.");
  if (strcmp (m, "Certificate") == 0)
    return g_strdup (st->from == HL_SIDE_SERVER
                         ? "Story steps 2 and 3: the server shows its certificate; the client "
                           "checks it against the CAs it trusts right after receiving it."
                         : "Mutual TLS, beyond the nine steps: the client shows its own "
                           "certificate and the server checks it.");
  if (strcmp (m, "ServerKeyExchange") == 0)
    return g_strdup ("Where ECDHE differs from the story: instead of receiving an encrypted "
                     "premaster, the server sends a fresh public key share, signed with its "
                     "certificate's key, so that recorded traffic stays secret even if that key "
                     "leaks later (forward secrecy).");
  if (strcmp (m, "CertificateRequest") == 0)
    return g_strdup ("Mutual TLS, beyond the nine steps: the server asks the client for a "
                     "certificate, naming the CAs it accepts.");
  if (strcmp (m, "ServerHelloDone") == 0)
    return g_strdup ("End of story step 2: the server has said everything; the client's turn.");
  if (strcmp (m, "ClientKeyExchange") == 0) {
    if (ecdhe)
      return g_strdup ("Story step 4, ECDHE version: the client sends its public key share; "
                       "each side multiplies the other's share by its own secret and both get "
                       "the same premaster secret without it ever crossing the wire.");
    if (ecdh)
      return g_strdup ("Story step 4, static ECDH version: the client sends a share and "
                       "combines it with the fixed key in the server's certificate; there is no "
                       "forward secrecy.");
    return g_strdup ("Story step 4: the client encrypts a random premaster secret to the "
                     "server's RSA public key; only the server's private key can open it. "
                     "Then story step 5: both sides derive the session keys from the two "
                     "randoms and the premaster.");
  }
  if (strcmp (m, "CertificateVerify") == 0)
    return g_strdup ("Mutual TLS, beyond the nine steps: the client signs the handshake so far "
                     "to prove it holds its certificate's private key.");
  if (strcmp (m, "ChangeCipherSpec") == 0)
    return g_strdup ("Between story steps 5 and 6: from the next record on, this side encrypts "
                     "with the session keys.");
  if (strcmp (m, "Finished") == 0)
    return g_strdup (st->from == HL_SIDE_CLIENT
                         ? "Story step 6: the client's Finished, the first encrypted message, "
                           "proves it saw the same handshake and holds the same keys."
                         : "Story step 7: the server's Finished proves the same from its side; "
                           "the handshake is complete.");
  if (strcmp (m, "ApplicationData") == 0)
    return g_strdup ("Story steps 8 and 9: application data, encrypted and authenticated with "
                     "the session keys.");
  if (strcmp (m, "Alert") == 0)
    return g_strdup (st->summary && strstr (st->summary, "close_notify")
                         ? "The end of the story: close_notify says \"I am done sending\". "
                           "Without it, an attacker could cut the connection short and the "
                           "receiver could not tell truncated data from the real end."
                         : "Outside the happy path: an alert tells the peer why the connection "
                           "ends.");
  return g_strdup ("");
}

static char *
summarize (const HlStep *st, const guint8 *content, gsize clen, guint version, const HlSuite *suite,
           gboolean more_data_follows)
{
  const char *m = st->message;
  if (strcmp (m, "Alert") == 0 && clen >= 2)
    return g_strdup_printf ("%s alert: %s (%d).", content[0] == 2 ? "Fatal" : "Warning",
                            hl_alert_name (content[1]), content[1]);
  if (strcmp (m, "ApplicationData") == 0 && st->plaintext && clen == 1 && version == 0x0301 && suite
      && (suite->cipher == HL_CIPHER_AES_CBC || suite->cipher == HL_CIPHER_3DES_CBC)
      && more_data_follows)
    return g_strdup ("1 byte of application data: BearSSL splits each write 1/n-1 in TLS 1.0 "
                     "CBC, so the IV of the record carrying the rest is unpredictable to an "
                     "attacker (the defence against BEAST).");
  if (strcmp (m, "ApplicationData") == 0 && st->plaintext)
    return g_strdup_printf ("%zu byte%s of application data.", clen, clen == 1 ? "" : "s");
  if (strcmp (m, "ClientHello") == 0)
    return g_strdup ("The client opens the handshake.");
  if (strcmp (m, "ServerHello") == 0)
    return g_strdup ("The server picks the version and cipher suite.");
  if (strcmp (m, "Certificate") == 0)
    return g_strdup_printf ("The %s's certificate chain.", hl_side_name (st->from));
  if (strcmp (m, "ServerKeyExchange") == 0)
    return g_strdup ("The server's signed ephemeral key share.");
  if (strcmp (m, "CertificateRequest") == 0)
    return g_strdup ("The server asks for a client certificate.");
  if (strcmp (m, "ServerHelloDone") == 0)
    return g_strdup ("The server's first flight ends.");
  if (strcmp (m, "ClientKeyExchange") == 0)
    return g_strdup ("The client's part of the key exchange.");
  if (strcmp (m, "CertificateVerify") == 0)
    return g_strdup ("The client proves it holds its certificate's key.");
  if (strcmp (m, "ChangeCipherSpec") == 0)
    return g_strdup_printf ("The %s switches to encryption.", hl_side_name (st->from));
  if (strcmp (m, "Finished") == 0)
    return g_strdup_printf ("The %s's Finished: a MAC over the whole handshake.",
                            hl_side_name (st->from));
  return g_strdup (m);
}

/* Hash(handshake messages) for Finished, as RFC 2246 / 5246 define it. */
static GBytes *
transcript_hash (const GByteArray *msgs, guint version, const HlSuite *suite)
{
  guint8 out[64];
  gsize n;
  GByteArray *res = g_byte_array_new ();
  if (version >= 0x0303) {
    GChecksum *h = g_checksum_new (suite && suite->prf == HL_HASH_SHA384 ? G_CHECKSUM_SHA384
                                                                         : G_CHECKSUM_SHA256);
    g_checksum_update (h, msgs->data, msgs->len);
    n = sizeof out;
    g_checksum_get_digest (h, out, &n);
    g_byte_array_append (res, out, n);
    g_checksum_free (h);
  } else {
    GChecksumType types[2] = { G_CHECKSUM_MD5, G_CHECKSUM_SHA1 };
    for (int i = 0; i < 2; i++) {
      GChecksum *h = g_checksum_new (types[i]);
      g_checksum_update (h, msgs->data, msgs->len);
      n = sizeof out;
      g_checksum_get_digest (h, out, &n);
      g_byte_array_append (res, out, n);
      g_checksum_free (h);
    }
  }
  return g_byte_array_free_to_bytes (res);
}

/* The receiver's own check of a Finished: PRF(its master secret, label, Hash(the
 * handshake as IT saw it)). When a fault changed a message on the way, the two
 * sides hashed different transcripts, and this is where it shows. */
static char *
check_finished (HlRun *run, const HlStep *st, const guint8 *content, gsize clen)
{
  HlSide to = st->from == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  Peer *judge = run->peer[to];
  const HlSuite *suite;
  guint version;
  br_ssl_session_parameters sp;
  g_autoptr (GBytes) hash = NULL;
  guint8 expect[12];
  br_tls_prf_seed_chunk seed;
  const char *label = st->from == HL_SIDE_CLIENT ? "client finished" : "server finished";
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;
  if (clen != 16)
    return g_strdup ("The Finished message does not have the 12 bytes of verify_data it should.");
  if (!st->delivered)
    return g_strdup_printf ("Not checked: the %s never received this Finished.", hl_side_name (to));
  if (st->encrypted && st->delivered_wire && !st->delivered_plaintext)
    return g_strdup_printf ("Not checked by the %s: the encrypted record was changed in transit, "
                            "so its integrity check (MAC or AEAD tag) fails before the Finished "
                            "inside can even be read.",
                            hl_side_name (to));
  /* A receiver that never derived the keys, or had stopped reading, cannot judge:
   * check the sender's own view. */
  if (!st->accepted
      || (!(judge->knows & KNOW (HL_SECRET_MASTER))
          && !(judge->knows & KNOW (HL_SECRET_KEY_BLOCK)))) {
    judge = run->peer[st->from];
    to = st->from;
  }
  suite = negotiated_suite (judge);
  version = br_ssl_engine_get_version (judge->eng);
  br_ssl_engine_get_session_parameters (judge->eng, &sp);
  hash = transcript_hash (run->view[to], version, suite);
  seed.data = g_bytes_get_data (hash, &seed.len);
  if (version >= 0x0303 && suite && suite->prf == HL_HASH_SHA384)
    br_tls12_sha384_prf (expect, 12, sp.master_secret, 48, label, 1, &seed);
  else if (version >= 0x0303)
    br_tls12_sha256_prf (expect, 12, sp.master_secret, 48, label, 1, &seed);
  else
    br_tls10_prf (expect, 12, sp.master_secret, 48, label, 1, &seed);
  want = hl_hex (expect, 12);
  got = hl_hex (content + 4, 12);
  if (memcmp (expect, content + 4, 12) == 0)
    return g_strdup_printf ("verify_data %s matches what the %s computes: PRF(master_secret, "
                            "\"%s\", Hash(the %u handshake bytes it saw before)).",
                            got, hl_side_name (to), label, run->view[to]->len);
  return g_strdup_printf ("MISMATCH: verify_data is %s, but the %s computes %s from the %u "
                          "handshake bytes it saw: the two sides did not see the same handshake "
                          "(or do not share the master secret).",
                          got, hl_side_name (to), want, run->view[to]->len);
}

static void collect_view (Peer *p, HlSecrets *out, gboolean resumed);

/* What a side holds after a step: each secret keeps the step at which the side
 * first held it. Zero-length values (no MAC key in an AEAD suite, no IV in TLS
 * 1.1+ CBC) are not knowledge. */
static void
fill_knowledge (HlRun *run, HlStep *st, HlSide side)
{
  Peer *p = run->peer[side];
  HlSideState *after = &st->after[side];
  HlSecrets view = { { 0 } };
  gboolean resumed = current_connection (run)->resumed;
  br_ssl_session_parameters sp;
  const HlSuite *suite;
  collect_view (p, &view, resumed);
  after->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify)hl_secret_unref);
  after->knows = 0;
  for (int i = 0; i < HL_N_SECRETS; i++) {
    GBytes *v = view.value[i];
    if (!v || g_bytes_get_size (v) == 0) {
      g_clear_pointer (&p->held[i], hl_secret_unref);
      continue;
    }
    if (!p->held[i] || !g_bytes_equal (p->held[i]->value, v)) {
      g_clear_pointer (&p->held[i], hl_secret_unref);
      p->held[i] = new_secret (i, side, v, st->index);
    }
    g_ptr_array_add (after->secrets, hl_secret_ref (p->held[i]));
    after->knows |= KNOW (i);
  }
  clear_secrets (&view);
  /* A side knows the version and suite once both hellos are behind it. */
  br_ssl_engine_get_session_parameters (p->eng, &sp);
  suite = hl_suite_by_id (sp.cipher_suite);
  after->curve = -1;
  if (p->knows & KNOW (HL_SECRET_SERVER_RANDOM) && p->knows & KNOW (HL_SECRET_CLIENT_RANDOM)) {
    after->version = br_ssl_engine_get_version (p->eng);
    after->suite = sp.cipher_suite;
    if (suite && hl_suite_is_ecdh (suite) && !resumed
        && (after->knows
            & (KNOW (HL_SECRET_CLIENT_ECDH_PUBLIC) | KNOW (HL_SECRET_SERVER_ECDH_PUBLIC)))
        && br_ssl_engine_get_ecdhe_curve (p->eng) > 0)
      after->curve = br_ssl_engine_get_ecdhe_curve (p->eng);
  }
  after->certificate_verdict = g_strdup (p->verdict);
}

static void
fill_after (HlRun *run, HlStep *st)
{
  for (int s = 0; s < 2; s++) {
    Peer *p = run->peer[s];
    st->after[s].state = describe_state (p);
    st->after[s].error = br_ssl_engine_last_error (p->eng);
    fill_knowledge (run, st, s);
  }
}

static void
decode_step (HlRun *run, HlStep *st)
{
  gsize wlen, clen = 0;
  const guint8 *w = g_bytes_get_data (st->wire, &wlen);
  const guint8 *content = st->plaintext ? g_bytes_get_data (st->plaintext, &clen) : NULL;
  Peer *sender = run->peer[st->from];
  HlDecodeContext ctx = { 0 };
  const HlSuite *suite = negotiated_suite (sender);
  ctx.version = br_ssl_engine_get_version (sender->eng);
  ctx.suite = suite ? suite->id : 0;
  ctx.from_server = st->from == HL_SIDE_SERVER;
  if (!st->encrypted) {
    content = w;
    clen = wlen;
  }
  if (st->encrypted && !st->plaintext) {
    st->fields = hl_decode_encrypted_record (w, wlen, ctx.version, ctx.suite, -1);
  } else if (st->content_type == 22) {
    st->fields = hl_decode_handshake (content, clen, &ctx);
  } else if (st->content_type == 21) {
    st->fields = hl_decode_alert (content, clen);
  } else if (st->content_type == 20) {
    st->fields = hl_decode_change_cipher_spec (content, clen);
  } else {
    st->fields = hl_decode_application_data (content, clen);
  }
  if (st->record_wire) {
    gsize rlen;
    const guint8 *rd = g_bytes_get_data (st->record_wire, &rlen);
    st->record_fields = hl_decode_records (rd, rlen, st->encrypted, ctx.version, ctx.suite,
                                           st->plaintext ? (gssize)clen : -1);
  }
  if ((st->delivered_wire && !st->encrypted) || st->delivered_plaintext) {
    gsize dlen;
    const guint8 *dd = g_bytes_get_data (
        st->delivered_plaintext ? st->delivered_plaintext : st->delivered_wire, &dlen);
    if (st->content_type == 22)
      st->delivered_fields = hl_decode_handshake (dd, dlen, &ctx);
    else if (st->content_type == 21)
      st->delivered_fields = hl_decode_alert (dd, dlen);
    else if (st->content_type == 20)
      st->delivered_fields = hl_decode_change_cipher_spec (dd, dlen);
    else
      st->delivered_fields = hl_decode_application_data (dd, dlen);
  }
  {
    /* A 1-byte record is BearSSL's 1/n-1 split only if the rest of the write is next. */
    const Pending *next = g_queue_peek_head (&run->pending);
    gboolean more
        = next && next->from == st->from && strcmp (next->message, "ApplicationData") == 0;
    st->summary = summarize (st, content, clen, ctx.version, suite, more);
  }
  st->story = tell_story (st, suite,
                          current_connection (run)->resumed
                              || (st->handshake_type == 1 && run->offered_session_id->len));
  if (strcmp (st->message, "Finished") == 0 && st->delivered_plaintext) {
    /* Re-encrypted: the receiver reads the changed content and judges that. */
    gsize dlen;
    const guint8 *dd = g_bytes_get_data (st->delivered_plaintext, &dlen);
    st->check = check_finished (run, st, dd, dlen);
  } else if (strcmp (st->message, "Finished") == 0 && content) {
    st->check = check_finished (run, st, content, clen);
  }
  /* Each handshake message goes into each side's transcript as that side saw it. */
  if (st->content_type == 22 && content && st->handshake_type != 0) {
    HlSide to = st->from == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
    g_byte_array_append (run->view[st->from], content, clen);
    if (st->delivered && !st->delivered_wire)
      g_byte_array_append (run->view[to], content, clen);
    else if (st->delivered && !st->encrypted)
      g_byte_array_append (run->view[to], g_bytes_get_data (st->delivered_wire, NULL),
                           g_bytes_get_size (st->delivered_wire));
    else if (st->delivered && st->delivered_plaintext)
      g_byte_array_append (run->view[to], g_bytes_get_data (st->delivered_plaintext, NULL),
                           g_bytes_get_size (st->delivered_plaintext));
  }
}

static HlConnection *
current_connection (HlRun *run)
{
  return g_ptr_array_index (run->connections, run->connections->len - 1);
}

static gboolean
matches_fault (HlRun *run, const Pending *p)
{
  const HlFault *f = &run->scenario->fault;
  if (f->action == HL_FAULT_NONE || run->fault_applied || p->connection != MAX (f->connection, 1))
    return FALSE;
  if (p->from != f->side || strcmp (p->message, f->message) != 0)
    return FALSE;
  run->fault_counter++;
  return run->fault_counter == f->nth;
}

/* How many messages of this name the sender has sent in this connection, this one included. */
static guint
count_nth (HlRun *run, const Pending *p)
{
  guint n = 1;
  for (guint i = 0; i < run->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (run->steps, i);
    if (st->connection == p->connection && st->from == p->from
        && strcmp (st->message, p->message) == 0)
      n++;
  }
  return n;
}

static const HlEdit *
find_edit (HlRun *run, const Pending *p)
{
  guint nth = count_nth (run, p);
  for (guint i = 0; i < run->edits->len; i++) {
    const HlEdit *e = g_ptr_array_index (run->edits, i);
    if (e->connection == p->connection && e->from == p->from && e->nth == nth
        && strcmp (e->message, p->message) == 0)
      return e;
  }
  return NULL;
}

/* Applies the scenario's [Fault] or a tamper edit; returns the bytes to deliver
 * (NULL: drop) and says what was done. */
static GBytes *
apply_changes (HlRun *run, Pending *p, guint index, char **what)
{
  const HlFault *f = &run->scenario->fault;
  const HlEdit *edit = find_edit (run, p);
  gsize len;
  const guint8 *d = g_bytes_get_data (p->wire, &len);
  if (edit) {
    if (edit->drop) {
      *what = g_strdup ("dropped by hand: never delivered");
      return NULL;
    }
    if (g_bytes_equal (edit->wire, p->wire))
      return g_bytes_ref (p->wire); /* the same bytes again: nothing was changed */
    if (edit->plaintext) {
      *what = g_strdup_printf ("plaintext changed by hand and encrypted again with the %s's keys "
                               "and sequence number: a valid record with other content",
                               hl_side_name (p->from));
      return g_bytes_ref (edit->wire);
    }
    *what = g_strdup_printf ("changed by hand: %zu bytes delivered instead of %zu",
                             g_bytes_get_size (edit->wire), len);
    return g_bytes_ref (edit->wire);
  }
  if (!matches_fault (run, p))
    return g_bytes_ref (p->wire);
  run->fault_applied = TRUE;
  switch (f->action) {
  case HL_FAULT_FLIP: {
    guint8 *copy;
    if (f->offset >= len) {
      run->fault_error = g_strdup_printf (
          "%s:%d: Offset %zu is past the end of %s:%s#%u, which has %zu bytes (valid: 0 to %zu)",
          run->scenario->file ? run->scenario->file : "(scenario)", f->offset_line, f->offset,
          hl_side_name (f->side), f->message, f->nth, len, len ? len - 1 : 0);
      return g_bytes_ref (p->wire);
    }
    copy = g_memdup2 (d, len);
    copy[f->offset] ^= f->mask;
    *what = g_strdup_printf ("flip: byte %zu XOR 0x%02x (0x%02x became 0x%02x)", f->offset, f->mask,
                             d[f->offset], copy[f->offset]);
    return g_bytes_new_take (copy, len);
  }
  case HL_FAULT_TRUNCATE:
    if (f->length >= len) {
      run->fault_error = g_strdup_printf (
          "%s:%d: Length %zu does not truncate %s:%s#%u, which has only %zu bytes",
          run->scenario->file ? run->scenario->file : "(scenario)", f->offset_line, f->length,
          hl_side_name (f->side), f->message, f->nth, len);
      return g_bytes_ref (p->wire);
    }
    *what = g_strdup_printf ("truncate: only the first %zu of %zu bytes delivered", f->length, len);
    return g_bytes_new (d, f->length);
  case HL_FAULT_DROP:
    *what = g_strdup ("drop: never delivered");
    return NULL;
  default:
    return g_bytes_ref (p->wire);
  }
}

/* What the receiver's X.509 engine decided about the chain it just read. */
static char *
judge_chain (Peer *p)
{
  const HlScenario *s = p->run->scenario;
  const char *who = hl_side_name (p->side);
  if (p->watch.result == 0) {
    if (p->side == HL_SIDE_CLIENT && s->client.server_name)
      return g_strdup_printf ("The %s checked the chain of %u certificate%s: it leads to a trusted "
                              "CA, every signature verifies, it is valid at %s, and it names %s.",
                              who, p->watch.n_certs, p->watch.n_certs == 1 ? "" : "s", s->time_text,
                              s->client.server_name);
    return g_strdup_printf (
        "The %s checked the chain of %u certificate%s: it leads to a trusted CA, "
        "every signature verifies, and it is valid at %s.",
        who, p->watch.n_certs, p->watch.n_certs == 1 ? "" : "s", s->time_text);
  }
  {
    g_autofree char *name = hl_error_name (p->watch.result);
    g_autofree char *plain = hl_error_explain (p->watch.result);
    return g_strdup_printf ("The %s rejected the chain of %u certificate%s: %s (%s)", who,
                            p->watch.n_certs, p->watch.n_certs == 1 ? "" : "s", plain, name);
  }
}

static void
deliver (HlRun *run, Pending *p)
{
  HlStep *st = g_new0 (HlStep, 1);
  HlSide to = p->from == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  Peer *receiver = run->peer[to];
  GBytes *out;
  char *what = NULL;

  st->index = run->steps->len + 1;
  st->connection = p->connection;
  st->from = p->from;
  st->message = g_strdup (p->message);
  st->content_type = p->content_type;
  st->handshake_type = p->handshake_type;
  st->encrypted = p->encrypted;
  st->wire = g_bytes_ref (p->wire);
  st->plaintext = p->plaintext ? g_bytes_ref (p->plaintext) : NULL;
  st->records = g_array_new (FALSE, TRUE, sizeof (HlRecordHeader));

  receiver->watch.ended = FALSE;
  out = apply_changes (run, p, st->index, &what);
  {
    const HlEdit *edit = find_edit (run, p);
    if (edit && edit->plaintext && out && !g_bytes_equal (out, p->wire))
      st->delivered_plaintext = g_bytes_ref (edit->plaintext);
  }
  st->fault = what;
  if (out && !g_bytes_equal (out, p->wire))
    st->delivered_wire = g_bytes_ref (out);
  if (out) {
    gsize len, off = 0;
    const guint8 *d = g_bytes_get_data (out, &len);
    gsize accepted = 0, total = 0;
    GByteArray *framed = g_byte_array_new ();
    /* One message per record; a plaintext record holds at most 2^14 bytes, so a longer
     * handshake message spans records. An encrypted record is delivered whole up to the
     * largest a record may be (2^14 + 2048); a longer tampered one is cut there, since a
     * record header cannot say more. */
    do {
      gsize chunk = MIN (len - off, p->encrypted ? 16384 + 2048 : 16384);
      guint8 hdr[5] = { p->content_type, p->record_version >> 8, p->record_version & 0xff,
                        chunk >> 8, chunk & 0xff };
      HlRecordHeader rh = { p->content_type, p->record_version, (guint16)chunk };
      g_array_append_val (st->records, rh);
      g_byte_array_append (framed, hdr, 5);
      g_byte_array_append (framed, d + off, chunk);
      accepted += feed (receiver, hdr, 5);
      accepted += feed (receiver, d + off, chunk);
      total += 5 + chunk;
      off += chunk;
    } while (off < len);
    st->record_wire = g_byte_array_free_to_bytes (framed);
    st->delivered = TRUE;
    st->accepted = accepted == total;
    if (to == HL_SIDE_SERVER && p->handshake_type == 1)
      receiver->knows |= KNOW (HL_SECRET_CLIENT_RANDOM);
    /* ServerKeyExchange (ECDHE): curve_type 3, named curve (2), point length (1), point.
     * The client holds the server's share as soon as it has read and accepted it. */
    if (to == HL_SIDE_CLIENT && p->handshake_type == 12 && st->accepted
        && br_ssl_engine_last_error (receiver->eng) == 0 && len > 8 && d[4] == 3
        && len >= 8 + (gsize)d[7]) {
      set_bytes (&receiver->cap.ecdh_peer_public, d + 8, d[7]);
      receiver->knows |= own_ecdh (HL_SIDE_SERVER, FALSE);
    }
    if (to == HL_SIDE_CLIENT && p->handshake_type == 2) {
      receiver->knows |= KNOW (HL_SECRET_SERVER_RANDOM) | KNOW (HL_SECRET_SESSION_ID);
      /* Resumed when the ServerHello the client got echoes the session id it offered. */
      if (len > 38 && d[38] > 0 && len >= 39 + (gsize)d[38] && d[38] == run->offered_session_id->len
          && memcmp (d + 39, run->offered_session_id->data, d[38]) == 0)
        current_connection (run)->resumed = TRUE;
    }
    g_bytes_unref (out);
  }
  pump (run);
  if (receiver->watch.ended) {
    st->certificate_check = judge_chain (receiver);
    g_free (receiver->verdict);
    receiver->verdict = g_strdup (st->certificate_check);
  }
  decode_step (run, st);
  fill_after (run, st);
  g_ptr_array_add (run->steps, st);
  g_ptr_array_add (current_connection (run)->steps, st);
}

/* ---------- Connections ---------- */

static void
copy_secret (HlSecrets *dst, HlSecretId id, GBytes *value)
{
  if (value)
    set_bytes (&dst->value[id], g_bytes_get_data (value, NULL), g_bytes_get_size (value));
}

static void
collect_view (Peer *p, HlSecrets *out, gboolean resumed)
{
  br_ssl_session_parameters sp;
  const HlSuite *suite;
  guint version = br_ssl_engine_get_version (p->eng);
  if (p->knows & KNOW (HL_SECRET_CLIENT_RANDOM))
    set_bytes (&out->value[HL_SECRET_CLIENT_RANDOM], p->eng->client_random, 32);
  if (p->knows & KNOW (HL_SECRET_SERVER_RANDOM))
    set_bytes (&out->value[HL_SECRET_SERVER_RANDOM], p->eng->server_random, 32);
  br_ssl_engine_get_session_parameters (p->eng, &sp);
  if (p->knows & KNOW (HL_SECRET_SESSION_ID))
    set_bytes (&out->value[HL_SECRET_SESSION_ID], sp.session_id, sp.session_id_len);
  if (!resumed)
    copy_secret (out, HL_SECRET_PREMASTER, p->cap.premaster);
  copy_secret (out, HL_SECRET_MASTER, p->cap.master);
  /* Offering or accepting a cached session: the side holds that session's master secret. */
  if (!p->cap.master && (p->knows & KNOW (HL_SECRET_MASTER)))
    set_bytes (&out->value[HL_SECRET_MASTER], sp.master_secret, 48);
  copy_secret (out, HL_SECRET_KEY_BLOCK, p->cap.key_block);
  suite = hl_suite_by_id (sp.cipher_suite);
  if (p->cap.key_block && suite)
    split_key_block (p->cap.key_block, suite, version, out);
  copy_secret (out, HL_SECRET_CLIENT_VERIFY_DATA, p->cap.client_verify);
  copy_secret (out, HL_SECRET_SERVER_VERIFY_DATA, p->cap.server_verify);
  if (!resumed) {
    gboolean client = p->side == HL_SIDE_CLIENT;
    copy_secret (out, client ? HL_SECRET_CLIENT_ECDH_PRIVATE : HL_SECRET_SERVER_ECDH_PRIVATE,
                 p->cap.ecdh_private);
    copy_secret (out, client ? HL_SECRET_CLIENT_ECDH_PUBLIC : HL_SECRET_SERVER_ECDH_PUBLIC,
                 p->cap.ecdh_public);
    copy_secret (out, client ? HL_SECRET_SERVER_ECDH_PUBLIC : HL_SECRET_CLIENT_ECDH_PUBLIC,
                 p->cap.ecdh_peer_public);
  }
}

static char *
explain_end (HlRun *run, HlSide side, HlConnection *c)
{
  Peer *p = run->peer[side];
  Peer *other = run->peer[!side];
  int err = br_ssl_engine_last_error (p->eng);
  unsigned st = br_ssl_engine_current_state (p->eng);
  g_autofree char *name = hl_error_name (err);
  g_autofree char *plain = hl_error_explain (err);
  if (err == 0) {
    if (st & BR_SSL_CLOSED)
      return g_strdup ("Finished cleanly: the connection was closed with close_notify.");
    if (p->handshake_done && (st & BR_SSL_SENDAPP))
      return g_strdup ("The handshake completed; the connection is open.");
    if (br_ssl_engine_last_error (other->eng) != 0)
      return g_strdup_printf ("No error of its own: it is still waiting for a record from the "
                              "%s, which has stopped.",
                              hl_side_name (!side));
    return g_strdup ("No error of its own, but it is stuck waiting for a record that never "
                     "comes: the run stalled.");
  }
  if (err >= BR_ERR_SEND_FATAL_ALERT || err >= BR_ERR_RECV_FATAL_ALERT)
    return g_strdup_printf ("%s: %s", name, plain);
  {
    int alert = hl_error_rfc_alert (err);
    if (alert >= 0)
      return g_strdup_printf ("%s: %s BearSSL closed the connection without sending an alert; "
                              "an RFC 5246 %s would have sent %s (%d).",
                              name, plain, hl_side_name (side), hl_alert_name (alert), alert);
    return g_strdup_printf ("%s: %s BearSSL closed the connection without sending an alert.", name,
                            plain);
  }
  (void)c;
}

static void
finish_connection (HlRun *run)
{
  HlConnection *c = current_connection (run);
  Peer *cl = run->peer[HL_SIDE_CLIENT], *sv = run->peer[HL_SIDE_SERVER];
  br_ssl_session_parameters sp;
  const char *alpn;
  int curve;
  br_ssl_engine_get_session_parameters (cl->eng, &sp);
  for (int s = 0; s < 2; s++) {
    c->error[s] = br_ssl_engine_last_error (run->peer[s]->eng);
    c->explanation[s] = explain_end (run, s, c);
  }
  /* The spec's outcome: success means both sides finished the handshake. */
  c->success = cl->handshake_done && sv->handshake_done;
  if (cl->knows & KNOW (HL_SECRET_SERVER_RANDOM)) {
    c->version = br_ssl_engine_get_version (cl->eng);
    c->suite = sp.cipher_suite;
  }
  curve = br_ssl_engine_get_ecdhe_curve (cl->eng);
  /* A resumed connection agrees no key: BearSSL's curve is the previous connection's. */
  if (!c->resumed && c->suite && hl_suite_by_id (c->suite)
      && hl_suite_is_ecdh (hl_suite_by_id (c->suite)) && curve > 0)
    c->curve = curve;
  alpn = br_ssl_engine_get_selected_protocol (cl->eng);
  c->alpn = alpn ? g_strdup (alpn) : NULL;
  c->server_name
      = run->scenario->client.server_name ? g_strdup (run->scenario->client.server_name) : NULL;
  collect_view (cl, &c->secrets, c->resumed);
  collect_view (sv, &c->server_secrets, c->resumed);
  for (int i = 0; i < HL_N_SECRETS; i++) {
    GBytes *a = c->secrets.value[i], *b = c->server_secrets.value[i];
    if (a && b && !g_bytes_equal (a, b))
      c->views_differ = TRUE;
    if (!a && b)
      c->secrets.value[i] = g_bytes_ref (b);
  }
}

static void
start_connection (HlRun *run, gboolean resume)
{
  HlConnection *c = g_new0 (HlConnection, 1);
  run->connection++;
  c->index = run->connection;
  c->resumed = FALSE; /* decided by the ServerHello */
  c->curve = -1;
  c->steps = g_ptr_array_new ();
  g_ptr_array_add (run->connections, c);
  g_byte_array_set_size (run->offered_session_id, 0);
  g_byte_array_set_size (run->view[0], 0);
  g_byte_array_set_size (run->view[1], 0);
  for (int s = 0; s < 2; s++) {
    Peer *p = run->peer[s];
    Direction *d = &run->dir[s];
    clear_captures (&p->cap);
    forget_held (p);
    p->knows = 0;
    p->handshake_done = FALSE;
    g_byte_array_set_size (p->app_received, 0);
    g_byte_array_set_size (d->raw, 0);
    g_byte_array_set_size (d->hs, 0);
    d->encrypting = FALSE;
    d->in_ready = FALSE;
  }
  enter (run->peer[HL_SIDE_SERVER]);
  br_ssl_server_reset (&run->peer[HL_SIDE_SERVER]->sc);
  enter (run->peer[HL_SIDE_CLIENT]);
  br_ssl_client_reset (&run->peer[HL_SIDE_CLIENT]->cc, run->scenario->client.server_name,
                       resume ? 1 : 0);
  enter (NULL);
  run->phase = SCRIPT_HANDSHAKE;
  pump (run);
}

static void
send_app_data (HlRun *run, HlSide side, const char *text)
{
  Peer *p = run->peer[side];
  gsize len = strlen (text), done = 0;
  /* One record at a time: each full record is collected before the next is written. */
  for (int round = 0; round < MAX_STEPS && done < len; round++) {
    size_t room;
    unsigned char *buf;
    enter (p);
    if (!(br_ssl_engine_current_state (p->eng) & BR_SSL_SENDAPP))
      break;
    buf = br_ssl_engine_sendapp_buf (p->eng, &room);
    if (room > len - done)
      room = len - done;
    memcpy (buf, text + done, room);
    br_ssl_engine_sendapp_ack (p->eng, room);
    done += room;
    br_ssl_engine_flush (p->eng, 0);
    enter (NULL);
    pump (run);
  }
  enter (NULL);
  pump (run);
}

/* When nothing is in flight: the next thing the scenario's script does. FALSE: the run ends. */
static gboolean
advance_script (HlRun *run)
{
  const HlScenario *s = run->scenario;
  Peer *cl = run->peer[HL_SIDE_CLIENT], *sv = run->peer[HL_SIDE_SERVER];
  gboolean open = cl->handshake_done && sv->handshake_done
                  && (br_ssl_engine_current_state (cl->eng) & BR_SSL_SENDAPP)
                  && (br_ssl_engine_current_state (sv->eng) & BR_SSL_SENDAPP);
  while (run->phase != SCRIPT_DONE) {
    switch (run->phase) {
    case SCRIPT_HANDSHAKE:
      /* CloseNotify defaults to true even without [Application]: a connection that
       * completes is closed properly. */
      run->phase = open ? SCRIPT_CLIENT_DATA : SCRIPT_DONE;
      break;
    case SCRIPT_CLIENT_DATA:
      run->phase = SCRIPT_SERVER_DATA;
      if (s->client_data && *s->client_data && open) {
        send_app_data (run, HL_SIDE_CLIENT, s->client_data);
        return TRUE;
      }
      break;
    case SCRIPT_SERVER_DATA:
      run->phase = SCRIPT_CLOSE;
      if (s->server_data && *s->server_data && open) {
        send_app_data (run, HL_SIDE_SERVER, s->server_data);
        return TRUE;
      }
      break;
    case SCRIPT_CLOSE:
      run->phase = SCRIPT_DONE;
      if (s->close_notify && open) {
        enter (cl);
        br_ssl_engine_close (cl->eng);
        enter (NULL);
        pump (run);
        return TRUE;
      }
      break;
    case SCRIPT_DONE:
      break;
    }
  }
  finish_connection (run);
  if (s->resumption && run->connection == 1 && current_connection (run)->success) {
    start_connection (run, TRUE);
    return TRUE;
  }
  return FALSE;
}

/* ---------- The run ---------- */

static void settle (HlRun *run);

static void
teardown (HlRun *run)
{
  for (int s = 0; s < 2; s++) {
    free_peer (run->peer[s]);
    run->peer[s] = NULL;
    g_byte_array_unref (run->dir[s].raw);
    g_byte_array_unref (run->dir[s].hs);
  }
  g_queue_clear_full (&run->pending, (GDestroyNotify)free_pending);
  g_ptr_array_set_size (run->connections, 0);
  g_ptr_array_set_size (run->steps, 0);
  g_clear_pointer (&run->fault_error, g_free);
}

static void
setup (HlRun *run)
{
  for (int s = 0; s < 2; s++) {
    run->dir[s].raw = g_byte_array_new ();
    run->dir[s].hs = g_byte_array_new ();
  }
  run->peer[HL_SIDE_CLIENT] = new_client (run, run->scenario);
  run->peer[HL_SIDE_SERVER] = new_server (run, run->scenario);
  run->connection = 0;
  run->finished = FALSE;
  run->fault_counter = 0;
  run->fault_applied = FALSE;
  start_connection (run, FALSE);
  settle (run);
}

static void
free_edit (HlEdit *e)
{
  g_free (e->message);
  if (e->wire)
    g_bytes_unref (e->wire);
  if (e->plaintext)
    g_bytes_unref (e->plaintext);
  g_free (e);
}

HlRun *
hl_run_new (const HlScenario *scenario)
{
  return hl_run_new_checked (scenario, NULL);
}

HlRun *
hl_run_new_checked (const HlScenario *scenario, GError **error)
{
  HlRun *run;
  if (!hl_scenario_check (scenario, error))
    return NULL;
  run = g_new0 (HlRun, 1);
  run->scenario = scenario;
  run->steps = g_ptr_array_new_with_free_func ((GDestroyNotify)free_step);
  run->connections = g_ptr_array_new_with_free_func ((GDestroyNotify)free_connection);
  run->edits = g_ptr_array_new_with_free_func ((GDestroyNotify)free_edit);
  run->offered_session_id = g_byte_array_new ();
  run->view[0] = g_byte_array_new ();
  run->view[1] = g_byte_array_new ();
  g_queue_init (&run->pending);
  setup (run);
  return run;
}

void
hl_run_free (HlRun *run)
{
  if (!run)
    return;
  teardown (run);
  g_ptr_array_unref (run->steps);
  g_ptr_array_unref (run->connections);
  g_ptr_array_unref (run->edits);
  g_byte_array_unref (run->offered_session_id);
  g_byte_array_unref (run->view[0]);
  g_byte_array_unref (run->view[1]);
  g_free (run);
}

const HlScenario *
hl_run_get_scenario (HlRun *run)
{
  return run->scenario;
}

/* Runs the script until a message is waiting or the run is over, so that the
 * next step is always known without doing anything: peeking has no effect. */
static void
settle (HlRun *run)
{
  while (!run->finished && g_queue_is_empty (&run->pending))
    if (!advance_script (run))
      run->finished = TRUE;
}

static gboolean
step_once (HlRun *run)
{
  Pending *p;
  if (run->finished)
    return FALSE;
  if (run->steps->len >= MAX_STEPS) {
    finish_connection (run);
    run->finished = TRUE;
    return FALSE;
  }
  p = g_queue_pop_head (&run->pending);
  deliver (run, p);
  free_pending (p);
  settle (run);
  return TRUE;
}

gboolean
hl_run_step (HlRun *run)
{
  return step_once (run);
}

void
hl_run_run_to_end (HlRun *run)
{
  while (step_once (run))
    ;
}

gboolean
hl_run_is_finished (HlRun *run)
{
  return run->finished;
}

/* Back: the engines cannot be rewound, so they are rebuilt and the same
 * deterministic run is replayed; the steps already made are kept as they are
 * (the replayed copies are identical and dropped), so pointers a view holds
 * stay valid. Forward: continues from where the run is. */
void
hl_run_seek (HlRun *run, guint n_steps)
{
  GPtrArray *kept;
  if (n_steps >= run->steps->len) {
    while (run->steps->len < n_steps && step_once (run))
      ;
    return;
  }
  kept = g_ptr_array_new_with_free_func ((GDestroyNotify)free_step);
  for (guint i = 0; i < n_steps; i++)
    g_ptr_array_add (kept, run->steps->pdata[i]);
  g_ptr_array_set_free_func (run->steps, NULL);
  g_ptr_array_remove_range (run->steps, 0, n_steps);
  g_ptr_array_set_free_func (run->steps, (GDestroyNotify)free_step);
  teardown (run);
  setup (run);
  while (run->steps->len < n_steps && step_once (run))
    ;
  /* Swap the replayed steps for the kept ones, in the run and in its connections. */
  for (guint i = 0; i < run->steps->len; i++) {
    HlStep *fresh = run->steps->pdata[i], *old = kept->pdata[i];
    HlConnection *c = g_ptr_array_index (run->connections, fresh->connection - 1);
    for (guint j = 0; j < c->steps->len; j++)
      if (c->steps->pdata[j] == fresh)
        c->steps->pdata[j] = old;
    run->steps->pdata[i] = old;
    kept->pdata[i] = fresh;
  }
  g_ptr_array_unref (kept);
}

guint
hl_run_get_n_steps (HlRun *run)
{
  return run->steps->len;
}

const HlStep *
hl_run_get_step (HlRun *run, guint i)
{
  return i < run->steps->len ? g_ptr_array_index (run->steps, i) : NULL;
}

guint
hl_run_get_n_connections (HlRun *run)
{
  return run->connections->len;
}

const HlConnection *
hl_run_get_connection (HlRun *run, guint i)
{
  return i < run->connections->len ? g_ptr_array_index (run->connections, i) : NULL;
}

gboolean
hl_run_peek_next (HlRun *run, HlNextMessage *next)
{
  const Pending *p = g_queue_peek_head (&run->pending);
  if (run->finished || !p)
    return FALSE;
  next->from = p->from;
  next->message = p->message;
  next->wire = p->wire;
  next->plaintext = p->plaintext;
  next->encrypted = p->encrypted;
  next->connection = p->connection;
  next->nth = count_nth (run, p);
  return TRUE;
}

static HlEdit *
add_edit (HlRun *run, gboolean drop, GBytes *wire)
{
  const Pending *p = g_queue_peek_head (&run->pending);
  HlEdit *e;
  if (run->finished || !p)
    return NULL;
  e = g_new0 (HlEdit, 1);
  e->connection = p->connection;
  e->from = p->from;
  e->message = g_strdup (p->message);
  e->nth = count_nth (run, p);
  e->drop = drop;
  e->wire = wire ? g_bytes_ref (wire) : NULL;
  for (guint i = 0; i < run->edits->len; i++) {
    const HlEdit *old = g_ptr_array_index (run->edits, i);
    if (old->connection == e->connection && old->from == e->from && old->nth == e->nth
        && strcmp (old->message, e->message) == 0) {
      g_ptr_array_remove_index (run->edits, i);
      break;
    }
  }
  g_ptr_array_add (run->edits, e);
  return e;
}

gboolean
hl_run_tamper_next_plaintext (HlRun *run, GBytes *plaintext, GError **error)
{
  const Pending *p = g_queue_peek_head (&run->pending);
  g_autoptr (GBytes) wire = NULL;
  HlEdit *e;
  g_return_val_if_fail (plaintext != NULL, FALSE);
  if (run->finished || !p) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NO_MESSAGE, "no message is waiting");
    return FALSE;
  }
  wire = encrypt_as_sender (run, p, plaintext, error);
  if (!wire)
    return FALSE;
  e = add_edit (run, FALSE, wire);
  e->plaintext = g_bytes_ref (plaintext);
  return TRUE;
}

void
hl_run_tamper_next (HlRun *run, GBytes *new_wire)
{
  g_return_if_fail (new_wire != NULL);
  add_edit (run, FALSE, new_wire);
}

void
hl_run_drop_next (HlRun *run)
{
  add_edit (run, TRUE, NULL);
}

guint
hl_run_get_n_edits (HlRun *run)
{
  return run->edits->len;
}

const HlEdit *
hl_run_get_edit (HlRun *run, guint i)
{
  return i < run->edits->len ? g_ptr_array_index (run->edits, i) : NULL;
}

/* Removing an edit changes the run from the message it was made on: the steps
 * from there on are dropped and the run goes back to just before it. */
void
hl_run_remove_edit (HlRun *run, guint i)
{
  const HlEdit *e;
  guint back_to = run->steps->len;
  guint nth = 0;
  if (i >= run->edits->len)
    return;
  e = g_ptr_array_index (run->edits, i);
  for (guint k = 0; k < run->steps->len; k++) {
    const HlStep *st = g_ptr_array_index (run->steps, k);
    if (st->connection == e->connection && st->from == e->from
        && strcmp (st->message, e->message) == 0 && ++nth == e->nth) {
      back_to = k;
      break;
    }
  }
  g_ptr_array_remove_index (run->edits, i);
  if (back_to < run->steps->len)
    hl_run_seek (run, back_to);
}

gboolean
hl_run_succeeded (HlRun *run)
{
  const HlConnection *c;
  if (run->connections->len == 0)
    return FALSE;
  c = g_ptr_array_index (run->connections, run->connections->len - 1);
  return c->success;
}

int
hl_run_check_expect (HlRun *run, char **why)
{
  const HlExpect *x = &run->scenario->expect;
  const HlConnection *c;
  GString *diff;
  if (!x->present)
    return -1;
  if (run->connections->len == 0) {
    if (why)
      *why = g_strdup ("the run has no connection");
    return 0;
  }
  c = g_ptr_array_index (run->connections, run->connections->len - 1);
  diff = g_string_new (NULL);
  if (x->outcome >= 0 && x->outcome != (c->success ? 1 : 0))
    g_string_append_printf (diff, "outcome is %s, expected %s; ",
                            c->success ? "success" : "failure", x->outcome ? "success" : "failure");
  if (x->version && x->version != c->version)
    g_string_append_printf (diff, "version is %s, expected %s; ",
                            c->version ? hl_version_name (c->version) : "none",
                            hl_version_name (x->version));
  if (x->suite && x->suite != c->suite) {
    const HlSuite *got = hl_suite_by_id (c->suite);
    g_string_append_printf (diff, "cipher suite is %s, expected %s; ", got ? got->name : "none",
                            hl_suite_by_id (x->suite)->name);
  }
  if (x->curve) {
    /* The curve of the last key exchange: a resumed connection has none of its own. */
    int curve = -1;
    for (guint i = run->connections->len; i > 0 && curve < 0; i--) {
      const HlConnection *k = g_ptr_array_index (run->connections, i - 1);
      if (!k->resumed)
        curve = k->curve;
    }
    if ((int)x->curve != curve)
      g_string_append_printf (diff, "curve is %s, expected %s; ",
                              curve > 0 ? hl_curve_name (curve) : "none", hl_curve_name (x->curve));
  }
  for (int s = 0; s < 2; s++) {
    gboolean has = s == 0 ? x->has_client_error : x->has_server_error;
    int want = s == 0 ? x->client_error : x->server_error;
    if (has && want != c->error[s]) {
      g_autofree char *a = hl_error_name (c->error[s]);
      g_autofree char *b = hl_error_name (want);
      g_string_append_printf (diff, "%s error is %s, expected %s; ", hl_side_name (s), a, b);
    }
  }
  if (diff->len) {
    g_string_truncate (diff, diff->len - 2);
    if (why)
      *why = g_string_free (diff, FALSE);
    else
      g_string_free (diff, TRUE);
    return 0;
  }
  g_string_free (diff, TRUE);
  if (why)
    *why = NULL;
  return 1;
}

const char *
hl_run_get_fault_error (HlRun *run)
{
  const HlFault *f = &run->scenario->fault;
  if (run->fault_error)
    return run->fault_error;
  if (f->action != HL_FAULT_NONE && !run->fault_applied && run->finished) {
    run->fault_error = g_strdup_printf (
        "%s:%d: the fault targets %s:%s#%u, but the %s sent %s %s in connection %u (%u seen)",
        run->scenario->file ? run->scenario->file : "(scenario)", f->message_line,
        hl_side_name (f->side), f->message, f->nth, hl_side_name (f->side),
        run->fault_counter ? "fewer" : "no", f->message, f->connection, run->fault_counter);
    return run->fault_error;
  }
  return NULL;
}
