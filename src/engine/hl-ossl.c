/* hl-ossl.c: OpenSSL 3.0 playing one side, in memory, seeded and on a pinned clock. */
#include "hl-ossl.h"
#include "hl-clock.h"
#include "hl-ossl-rand.h"
#include "hl-i18n.h"
#include "hl-credentials-private.h"
#include "hl-tables.h"

#include <bearssl.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string.h>

struct _HlOssl {
  const HlScenario *scenario;
  const HlSideConfig *config;
  HlSide side;
  SeededLib *lib;       /* this side's library context, borrowed from the pool */
  OSSL_LIB_CTX *libctx; /* lib's */
  SSL_CTX *ctx;
  SSL *ssl;
  SSL_SESSION *saved; /* client: the session the previous connection left, to resume */
  guint8 *alpn_wire;
  gsize alpn_len;
  GBytes *keylog[HL_OSSL_N_KEYLOG];
  GBytes *share_private;
  GByteArray *received;
  int error;
  char *reason;
  char *verdict;
  gboolean trusted; /* the verdict accepts the chain */
  gboolean handshake_done, failed, close_sent, peer_closed;
  gboolean reading_early; /* server: still reading 0-RTT data */
  gboolean stateless;     /* server: no state kept until a ClientHello brings a valid cookie */
  guint8 cookie[16];      /* server: what it puts in its cookie, from the Seed */
  int (*default_security) (const SSL *, const SSL_CTX *, int, int, int, void *, void *);
};

/* ---------- The clock ----------
 * libssl reads time() for a session's creation time, a ticket's age and its
 * lifetime; hl-clock.c pins it to the scenario's Time while this side runs. */

static void
enter (HlOssl *o)
{
  hl_clock_pin (o->scenario->time);
}

static void
leave (void)
{
  hl_clock_unpin ();
}

/* ---------- Callbacks ---------- */

static const char *const keylog_labels[HL_OSSL_N_KEYLOG] = {
  "CLIENT_EARLY_TRAFFIC_SECRET",
  "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
  "SERVER_HANDSHAKE_TRAFFIC_SECRET",
  "CLIENT_TRAFFIC_SECRET_0",
  "SERVER_TRAFFIC_SECRET_0",
  "EXPORTER_SECRET",
  "CLIENT_RANDOM",
  "EARLY_EXPORTER_SECRET",
};

static void
on_keylog (const SSL *ssl, const char *line)
{
  HlOssl *o = SSL_get_app_data (ssl);
  g_auto (GStrv) parts = g_strsplit (line, " ", 3);
  if (!o || g_strv_length (parts) != 3)
    return;
  for (int i = 0; i < HL_OSSL_N_KEYLOG; i++)
    if (strcmp (parts[0], keylog_labels[i]) == 0) {
      gsize n = strlen (parts[2]) / 2;
      guint8 *v = g_malloc (n ? n : 1);
      for (gsize k = 0; k < n; k++)
        v[k] = g_ascii_xdigit_value (parts[2][2 * k]) << 4
               | g_ascii_xdigit_value (parts[2][2 * k + 1]);
      if (o->keylog[i])
        g_bytes_unref (o->keylog[i]);
      o->keylog[i] = g_bytes_new_take (v, n);
    }
}

/* The scalar behind this side's key share, in the form the transcript spec gives. */
static void
capture_share (HlOssl *o, SSL *ssl)
{
  EVP_PKEY *pk = NULL;
  guint8 buf[80];
  size_t n = sizeof buf;
  /* A second ClientHello (after HelloRetryRequest) comes with a new key: keep the last. */
  if (!SSL_get_tmp_key (ssl, &pk) || !pk)
    return;
  g_clear_pointer (&o->share_private, g_bytes_unref);
  if (EVP_PKEY_get_raw_private_key (pk, buf, &n) == 1) {
    o->share_private = g_bytes_new (buf, n);
  } else {
    BIGNUM *bn = NULL;
    int field = (EVP_PKEY_get_bits (pk) + 7) / 8;
    if (EVP_PKEY_get_bn_param (pk, OSSL_PKEY_PARAM_PRIV_KEY, &bn) && field <= (int)sizeof buf
        && BN_bn2binpad (bn, buf, field) == field)
      o->share_private = g_bytes_new (buf, field);
    BN_clear_free (bn);
  }
  EVP_PKEY_free (pk);
}

static void
on_message (int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl,
            void *arg)
{
  HlOssl *o = SSL_get_app_data (ssl);
  const guint8 *b = buf;
  if (!o)
    return;
  if (content_type == SSL3_RT_ALERT && len == 2 && b[1] != 0 && o->error == 0)
    o->error = (write_p ? 512 : 256) + b[1]; /* BR_ERR_SEND / RECV_FATAL_ALERT + n */
  if (content_type == SSL3_RT_HANDSHAKE && write_p && len > 0 && (b[0] == 1 || b[0] == 2))
    capture_share (o, ssl);
}

static int
on_verify (int ok, X509_STORE_CTX *store)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (store, SSL_get_ex_data_X509_STORE_CTX_idx ());
  HlOssl *o = ssl ? SSL_get_app_data (ssl) : NULL;
  int depth = X509_STORE_CTX_get_error_depth (store);
  if (!o)
    return ok;
  if (!ok && !o->verdict) {
    int err = X509_STORE_CTX_get_error (store);
    o->verdict
        = g_strdup_printf (_ ("The %s (OpenSSL) rejected the chain: %s (at certificate %d, "
                              "the leaf being 0; X.509 error %d)."),
                           hl_side_word (o->side), X509_verify_cert_error_string (err), depth, err);
  } else if (ok && depth == 0 && !o->verdict) {
    /* The certificates the peer sent (the leaf among them), as BearSSL's verdicts count. */
    STACK_OF (X509) *sent = X509_STORE_CTX_get0_untrusted (store);
    int n = sent ? sk_X509_num (sent) : 1;
    if (o->side == HL_SIDE_CLIENT && o->config->server_name)
      o->verdict = g_strdup_printf (
          P_ ("The client (OpenSSL) checked the chain of %d certificate: it leads to a trusted "
              "CA, every signature verifies, it is valid at %s, and it names %s.",
              "The client (OpenSSL) checked the chain of %d certificates: it leads to a trusted "
              "CA, every signature verifies, it is valid at %s, and it names %s.",
              n),
          n, o->scenario->time_text, o->config->server_name);
    else
      o->verdict = g_strdup_printf (
          o->side == HL_SIDE_CLIENT
              ? P_ ("The client (OpenSSL) checked the chain of %d certificate: it leads to a "
                    "trusted CA, every signature verifies, and it is valid at %s.",
                    "The client (OpenSSL) checked the chain of %d certificates: it leads to a "
                    "trusted CA, every signature verifies, and it is valid at %s.",
                    n)
              : P_ ("The server (OpenSSL) checked the chain of %d certificate: it leads to a "
                    "trusted CA, every signature verifies, and it is valid at %s.",
                    "The server (OpenSSL) checked the chain of %d certificates: it leads to a "
                    "trusted CA, every signature verifies, and it is valid at %s.",
                    n),
          n, o->scenario->time_text);
    o->trusted = TRUE;
  }
  return ok;
}

static int
on_alpn_select (SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                unsigned int inlen, void *arg)
{
  HlOssl *o = arg;
  unsigned char *sel = NULL;
  if (SSL_select_next_proto (&sel, outlen, o->alpn_wire, o->alpn_len, in, inlen)
      != OPENSSL_NPN_NEGOTIATED)
    return o->config->fail_on_alpn_mismatch ? SSL_TLSEXT_ERR_ALERT_FATAL : SSL_TLSEXT_ERR_NOACK;
  *out = sel;
  return SSL_TLSEXT_ERR_OK;
}

/* The server's part of a HelloRetryRequest cookie (RFC 8446 4.2.2). OpenSSL wraps it with
 * what it needs to carry on statelessly (the hash of the first ClientHello, suite, group,
 * time) and an HMAC under a key only it holds; this part comes from the Seed. */
static int
on_cookie_generate (SSL *ssl, unsigned char *cookie, size_t *len)
{
  HlOssl *o = SSL_get_app_data (ssl);
  memcpy (cookie, o->cookie, sizeof o->cookie);
  *len = sizeof o->cookie;
  return 1;
}

static int
on_cookie_verify (SSL *ssl, const unsigned char *cookie, size_t len)
{
  HlOssl *o = SSL_get_app_data (ssl);
  return len == sizeof o->cookie && memcmp (cookie, o->cookie, len) == 0;
}

/* A server that resumes without (EC)DHE: OpenSSL 3.0 has no switch to prefer psk_ke, but
 * a server that may use no group for this connection resumes with the PSK alone when the
 * client allows psk_ke (RFC 8446 4.2.9). Everything else is judged as before. */
static int
on_security_no_groups (const SSL *ssl, const SSL_CTX *ctx, int op, int bits, int nid, void *other,
                       void *ex)
{
  HlOssl *o = SSL_get_app_data (ssl);
  if ((op & SSL_SECOP_OTHER_TYPE) == SSL_SECOP_OTHER_CURVE)
    return 0;
  return o && o->default_security ? o->default_security (ssl, ctx, op, bits, nid, other, ex) : 1;
}

/* The server's policy for this connection: it declines 0-RTT data (RFC 8446 4.2.10). */
static int
on_allow_early_data (SSL *ssl, void *arg)
{
  return 0;
}

/* ---------- Set-up ---------- */

GQuark
hl_ossl_error_quark (void)
{
  return g_quark_from_static_string ("hl-ossl-error-quark");
}

static const char *
group_name (guint id)
{
  switch (id) {
  case 29:
    return "X25519";
  case 23:
    return "P-256";
  case 24:
    return "P-384";
  case 25:
    return "P-521";
  }
  return NULL;
}

static char *
make_groups (const HlSideConfig *c)
{
  GString *s = g_string_new (NULL);
  GArray *order = c->curve_order;
  guint16 first
      = c->key_shares && c->key_shares->len ? g_array_index (c->key_shares, guint16, 0) : 0;
  /* OpenSSL 3.0 sends one key share, for the first group of its list. */
  if (first && group_name (first))
    g_string_append (s, group_name (first));
  for (guint id = 0; order == NULL && id < 32; id++)
    if ((c->curves & (1u << id)) && group_name (id) && id != first)
      g_string_append_printf (s, "%s%s", s->len ? ":" : "", group_name (id));
  for (guint i = 0; order && i < order->len; i++) {
    guint16 id = g_array_index (order, guint16, i);
    if (id != first && group_name (id))
      g_string_append_printf (s, "%s%s", s->len ? ":" : "", group_name (id));
  }
  return g_string_free (s, FALSE);
}

static gboolean
fail_setup (GError **error, const char *what)
{
  unsigned long e = ERR_get_error ();
  g_set_error (error, HL_OSSL_ERROR, 0, _ ("OpenSSL refused %s: %s"), what,
               e ? ERR_reason_error_string (e) : _ ("no reason given"));
  ERR_clear_error ();
  return FALSE;
}

static gboolean
set_suites (HlOssl *o, GError **error)
{
  const HlSideConfig *c = o->config;
  g_autoptr (GString) v13 = g_string_new (NULL);
  g_autoptr (GString) v12 = g_string_new (NULL);
  SSL *probe;
  if (!c->suites || c->suites->len == 0)
    return TRUE;
  probe = SSL_new (o->ctx);
  if (!probe)
    return fail_setup (error, _ ("to make a connection object"));
  for (guint i = 0; i < c->suites->len; i++) {
    guint16 id = g_array_index (c->suites, guint16, i);
    const HlSuite *suite = hl_suite_by_id (id);
    if (suite && hl_suite_is_tls13 (suite)) {
      g_string_append_printf (v13, "%s%s", v13->len ? ":" : "", suite->name);
    } else {
      unsigned char idb[2] = { id >> 8, id & 0xff };
      const SSL_CIPHER *ci = SSL_CIPHER_find (probe, idb);
      if (!ci) {
        /* Said, not dropped: the lesson would otherwise offer less than it lists. */
        g_set_error (error, HL_OSSL_ERROR, 0,
                     _ ("OpenSSL 3.0 does not know the cipher suite %s (0x%04X) listed for the "
                        "%s: remove it from Suites, or let BearSSL play this side"),
                     suite ? suite->name : _ ("without a name"), id, hl_side_word (o->side));
        SSL_free (probe);
        return FALSE;
      }
      g_string_append_printf (v12, "%s%s", v12->len ? ":" : "", SSL_CIPHER_get_name (ci));
    }
  }
  SSL_free (probe);
  /* A list names exactly the suites a side offers: a family it lists none of is not
   * offered at all, and the versions narrow to what the list can serve (OpenSSL would
   * otherwise keep its own default suites for the family left out). */
  if (!SSL_CTX_set_ciphersuites (o->ctx, v13->str))
    return fail_setup (error, _ ("the TLS 1.3 cipher suites"));
  if (!v13->len && c->version_max >= 0x0304)
    SSL_CTX_set_max_proto_version (o->ctx, 0x0303);
  if (v12->len && !SSL_CTX_set_cipher_list (o->ctx, v12->str))
    return fail_setup (error, _ ("the TLS 1.2 cipher suites"));
  if (!v12->len && c->version_min <= 0x0303)
    SSL_CTX_set_min_proto_version (o->ctx, 0x0304);
  return TRUE;
}

static gboolean
set_credentials (HlOssl *o, GError **error)
{
  const HlSideConfig *c = o->config;
  X509_STORE *store = SSL_CTX_get_cert_store (o->ctx);
  if (c->credentials) {
    const HlCredentials *cr = c->credentials;
    gsize klen;
    const unsigned char *kd = g_bytes_get_data (cr->key_der, &klen);
    EVP_PKEY *key = d2i_AutoPrivateKey_ex (NULL, &kd, klen, o->libctx, NULL);
    for (gsize i = 0; i < cr->chain_len; i++) {
      const unsigned char *d = cr->chain[i].data;
      X509 *x = d2i_X509 (NULL, &d, cr->chain[i].data_len);
      gboolean ok
          = x
            && (i == 0 ? SSL_CTX_use_certificate (o->ctx, x) : SSL_CTX_add0_chain_cert (o->ctx, x));
      if (i == 0)
        X509_free (x);
      if (!ok) {
        EVP_PKEY_free (key);
        return fail_setup (error, _ ("a certificate of the chain"));
      }
    }
    if (!key || !SSL_CTX_use_PrivateKey (o->ctx, key)) {
      EVP_PKEY_free (key);
      return fail_setup (error, _ ("the private key"));
    }
    EVP_PKEY_free (key);
  }
  for (guint i = 0; c->anchors && i < c->anchors->ders->len; i++) {
    GBytes *der = g_ptr_array_index (c->anchors->ders, i);
    const unsigned char *d = g_bytes_get_data (der, NULL);
    X509 *x = d2i_X509 (NULL, &d, g_bytes_get_size (der));
    if (!x || !X509_STORE_add_cert (store, x)) {
      X509_free (x);
      return fail_setup (error, _ ("a trust anchor"));
    }
    if (o->side == HL_SIDE_SERVER)
      SSL_CTX_add_client_CA (o->ctx, x);
    X509_free (x);
  }
  return TRUE;
}

HlOssl *
hl_ossl_new (const HlScenario *s, HlSide side, GError **error)
{
  HlOssl *o;
  const HlSideConfig *c = side == HL_SIDE_CLIENT ? &s->client : &s->server;
  g_autofree char *groups = NULL;
  if (!hl_clock_check_libssl ()) {
    /* Without the pinned clock, tickets and their ages would follow the real time. */
    g_set_error (error, HL_OSSL_ERROR, 0,
                 _ ("OpenSSL cannot play the %s in this build: libssl does not read the "
                    "program's clock (time() is not interposed; is OpenSSL linked statically "
                    "or with -Bsymbolic?), so the lesson would not replay byte for byte. "
                    "Lessons played by BearSSL alone still run"),
                 hl_side_word (side));
    return NULL;
  }
  o = g_new0 (HlOssl, 1);
  o->scenario = s;
  o->config = c;
  o->side = side;
  o->received = g_byte_array_new ();
  enter (o);
  {
    g_autofree char *seed = g_strdup_printf ("%s|openssl|%s", s->seed, hl_side_name (side));
    o->lib = _hl_ossl_take_lib (seed);
  }
  if (!o->lib) {
    fail_setup (error, _ ("a library context with a seeded random generator"));
    goto fail;
  }
  o->libctx = o->lib->libctx;
  /* The context draws random bytes (ticket keys) as it is made: the RNG is in place. */
  o->ctx = SSL_CTX_new_ex (o->libctx, NULL,
                           side == HL_SIDE_CLIENT ? TLS_client_method () : TLS_server_method ());
  if (!o->ctx) {
    fail_setup (error, _ ("to make a context"));
    goto fail;
  }
  SSL_CTX_set_min_proto_version (o->ctx, c->version_min);
  SSL_CTX_set_max_proto_version (o->ctx, c->version_max);
  SSL_CTX_set_mode (o->ctx, SSL_MODE_NO_AUTO_CHAIN);
  SSL_CTX_set_options (o->ctx, SSL_OP_NO_COMPRESSION);
  if (side == HL_SIDE_SERVER && !c->prefer_client_order)
    SSL_CTX_set_options (o->ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  groups = make_groups (c);
  if (!set_suites (o, error))
    goto fail;
  if (*groups && !SSL_CTX_set1_groups_list (o->ctx, groups)) {
    fail_setup (error, "the groups");
    goto fail;
  }
  if (!set_credentials (o, error))
    goto fail;
  X509_VERIFY_PARAM_set_time (SSL_CTX_get0_param (o->ctx), (time_t)s->time);
  if (side == HL_SIDE_CLIENT)
    SSL_CTX_set_verify (o->ctx, SSL_VERIFY_PEER, on_verify);
  else if (c->request_client_certificate)
    SSL_CTX_set_verify (o->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, on_verify);
  if (c->alpn && c->alpn->len) {
    GByteArray *w = g_byte_array_new ();
    for (guint i = 0; i < c->alpn->len; i++) {
      const char *p = g_ptr_array_index (c->alpn, i);
      guint8 n = strlen (p);
      g_byte_array_append (w, &n, 1);
      g_byte_array_append (w, (const guint8 *)p, n);
    }
    o->alpn_len = w->len;
    o->alpn_wire = g_byte_array_free (w, FALSE);
    if (side == HL_SIDE_CLIENT) {
      /* The one OpenSSL call that answers 0 for success. */
      if (SSL_CTX_set_alpn_protos (o->ctx, o->alpn_wire, o->alpn_len) != 0) {
        fail_setup (error, _ ("the ALPN protocol list"));
        goto fail;
      }
    } else
      SSL_CTX_set_alpn_select_cb (o->ctx, on_alpn_select, o);
  }
  if (side == HL_SIDE_SERVER && s->early_data)
    SSL_CTX_set_max_early_data (o->ctx, 16384);
  if (s->psk_ke)
    SSL_CTX_set_options (o->ctx, SSL_OP_ALLOW_NO_DHE_KEX); /* the client then offers psk_ke */
  if (side == HL_SIDE_SERVER && c->hello_retry_cookie) {
    guint8 h[32];
    br_sha256_context sc;
    br_sha256_init (&sc);
    br_sha256_update (&sc, s->seed, strlen (s->seed));
    br_sha256_update (&sc, "|cookie", 7);
    br_sha256_out (&sc, h);
    memcpy (o->cookie, h, sizeof o->cookie);
    SSL_CTX_set_stateless_cookie_generate_cb (o->ctx, on_cookie_generate);
    SSL_CTX_set_stateless_cookie_verify_cb (o->ctx, on_cookie_verify);
  }
  SSL_CTX_set_keylog_callback (o->ctx, on_keylog);
  SSL_CTX_set_msg_callback (o->ctx, on_message);
  leave ();
  return o;
fail:
  leave ();
  hl_ossl_free (o);
  return NULL;
}

static void
clear_connection (HlOssl *o)
{
  for (int i = 0; i < HL_OSSL_N_KEYLOG; i++)
    g_clear_pointer (&o->keylog[i], g_bytes_unref);
  g_clear_pointer (&o->share_private, g_bytes_unref);
  g_clear_pointer (&o->reason, g_free);
  g_clear_pointer (&o->verdict, g_free);
  g_byte_array_set_size (o->received, 0);
  o->error = 0;
  o->handshake_done = o->failed = o->close_sent = o->peer_closed = o->reading_early = FALSE;
  o->stateless = FALSE;
}

void
hl_ossl_free (HlOssl *o)
{
  if (!o)
    return;
  enter (o);
  clear_connection (o);
  SSL_free (o->ssl);
  SSL_SESSION_free (o->saved);
  SSL_CTX_free (o->ctx);
  if (o->lib)
    _hl_ossl_give_back_lib (o->lib);
  leave ();
  g_byte_array_unref (o->received);
  g_free (o->alpn_wire);
  g_free (o);
}

/* Stops the side on a failure of the harness itself: what, and OpenSSL's reason. */
static void
stop_on (HlOssl *o, const char *what)
{
  unsigned long e = ERR_peek_last_error ();
  o->failed = TRUE;
  g_free (o->reason);
  o->reason = e ? g_strdup_printf ("%s: %s", what, ERR_reason_error_string (e)) : g_strdup (what);
  ERR_clear_error ();
}

/* Gives the connection its two memory BIOs (read, write), or FALSE. */
static gboolean
attach_memory_bios (HlOssl *o)
{
  BIO *rbio = BIO_new (BIO_s_mem ()), *wbio = BIO_new (BIO_s_mem ());
  if (!rbio || !wbio) {
    BIO_free (rbio);
    BIO_free (wbio);
    return FALSE;
  }
  SSL_set_bio (o->ssl, rbio, wbio);
  return TRUE;
}

static void
note_failure (HlOssl *o)
{
  unsigned long e = ERR_peek_last_error ();
  o->failed = TRUE;
  if (!o->reason && e)
    o->reason = g_strdup (ERR_reason_error_string (e));
  ERR_clear_error ();
}

/* Lets OpenSSL act on what it has: advance the handshake, read data. */
static void
drive (HlOssl *o)
{
  if (!o->ssl || o->failed)
    return;
  ERR_clear_error ();
  while (o->reading_early) {
    guint8 buf[4096];
    size_t n = 0;
    int r = SSL_read_early_data (o->ssl, buf, sizeof buf, &n);
    if (n)
      g_byte_array_append (o->received, buf, n);
    if (r == SSL_READ_EARLY_DATA_FINISH) {
      o->reading_early = FALSE;
    } else if (r == SSL_READ_EARLY_DATA_ERROR) {
      int e = SSL_get_error (o->ssl, 0);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
        note_failure (o);
      return;
    }
  }
  if (o->stateless) {
    /* SSL_stateless starts afresh on each ClientHello: it answers one without a valid
     * cookie with a HelloRetryRequest carrying one (0), and takes one with it (1). The
     * compatibility ChangeCipherSpec between the two hellos it reads and drops (-1).
     * Starting afresh drops a record it had begun to read: it gets only whole ones. */
    char *p;
    long n = BIO_get_mem_data (SSL_get_rbio (o->ssl), &p);
    int r;
    if (n < 5 || n < 5 + ((long)(guint8)p[3] << 8 | (guint8)p[4]))
      return;
    r = SSL_stateless (o->ssl);
    if (r != 1) {
      if (o->error)
        note_failure (o); /* it sent an alert */
      ERR_clear_error ();
      return;
    }
    o->stateless = FALSE;
  }
  if (!o->handshake_done) {
    int r = SSL_do_handshake (o->ssl);
    if (r == 1) {
      o->handshake_done = TRUE;
    } else {
      int e = SSL_get_error (o->ssl, r);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
        note_failure (o);
      return;
    }
  }
  for (int round = 0; round < 64 && !o->peer_closed; round++) {
    guint8 buf[4096];
    size_t n = 0;
    int r = SSL_read_ex (o->ssl, buf, sizeof buf, &n), e;
    if (r == 1) {
      g_byte_array_append (o->received, buf, n);
      continue;
    }
    e = SSL_get_error (o->ssl, r);
    if (e == SSL_ERROR_ZERO_RETURN) {
      /* The peer closed: answer with close_notify, as BearSSL does. */
      o->peer_closed = TRUE;
      if (!o->close_sent) {
        SSL_shutdown (o->ssl);
        o->close_sent = TRUE;
      }
    } else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
      note_failure (o);
    }
    break;
  }
}

void
hl_ossl_start (HlOssl *o, gboolean resume, const char *early_data)
{
  enter (o);
  if (o->ssl && o->side == HL_SIDE_CLIENT) {
    SSL_SESSION_free (o->saved);
    o->saved = SSL_get1_session (o->ssl);
  }
  SSL_free (o->ssl);
  clear_connection (o);
  ERR_clear_error ();
  o->ssl = SSL_new (o->ctx);
  if (!o->ssl || !attach_memory_bios (o)) {
    stop_on (o, _ ("OpenSSL could not make the connection"));
    leave ();
    return;
  }
  SSL_set_app_data (o->ssl, o);
  if (o->side == HL_SIDE_CLIENT) {
    const char *name = o->config->server_name;
    SSL_set_connect_state (o->ssl);
    /* The name goes in server_name and is the one the certificate must carry: a side
     * that could not set either would check less than the lesson says. */
    if (name && (!SSL_set_tlsext_host_name (o->ssl, name) || !SSL_set1_host (o->ssl, name))) {
      stop_on (o, _ ("OpenSSL could not set the server name to send and check"));
      leave ();
      return;
    }
    if (resume && o->saved)
      SSL_set_session (o->ssl, o->saved);
    if (resume && early_data && o->saved && SSL_SESSION_get_max_early_data (o->saved) > 0) {
      size_t written = 0;
      ERR_clear_error ();
      if (!SSL_write_early_data (o->ssl, early_data, strlen (early_data), &written))
        note_failure (o);
    } else {
      drive (o);
    }
  } else {
    SSL_set_accept_state (o->ssl);
    o->reading_early = o->scenario->early_data != NULL && resume;
    o->stateless = o->config->hello_retry_cookie;
    if (resume && o->scenario->psk_ke) {
      o->default_security = SSL_get_security_callback (o->ssl);
      SSL_set_security_callback (o->ssl, on_security_no_groups);
    }
    if (resume && o->scenario->early_data_declined)
      SSL_set_allow_early_data_cb (o->ssl, on_allow_early_data, NULL);
  }
  leave ();
}

gsize
hl_ossl_feed (HlOssl *o, const guint8 *data, gsize len)
{
  if (!o->ssl || o->failed)
    return 0;
  enter (o);
  if (len > G_MAXINT || BIO_write (SSL_get_rbio (o->ssl), data, (int)len) != (int)len) {
    stop_on (o, _ ("OpenSSL could not take the bytes from the wire"));
    leave ();
    return 0;
  }
  drive (o);
  leave ();
  return len;
}

gboolean
hl_ossl_take_output (HlOssl *o, GByteArray *out)
{
  BIO *w;
  char *p;
  long n;
  if (!o->ssl)
    return FALSE;
  w = SSL_get_wbio (o->ssl);
  n = BIO_get_mem_data (w, &p);
  if (n <= 0)
    return FALSE;
  g_byte_array_append (out, (const guint8 *)p, n);
  (void)BIO_reset (w);
  return TRUE;
}

gboolean
hl_ossl_take_received (HlOssl *o, GByteArray *out)
{
  if (o->received->len == 0)
    return FALSE;
  g_byte_array_append (out, o->received->data, o->received->len);
  g_byte_array_set_size (o->received, 0);
  return TRUE;
}

gboolean
hl_ossl_handshake_done (HlOssl *o)
{
  return o->handshake_done;
}

gboolean
hl_ossl_can_send (HlOssl *o)
{
  return o->ssl && o->handshake_done && !o->failed && !o->close_sent && !o->peer_closed;
}

void
hl_ossl_send (HlOssl *o, const guint8 *data, gsize len)
{
  size_t written = 0;
  if (!hl_ossl_can_send (o))
    return;
  enter (o);
  ERR_clear_error ();
  if (!SSL_write_ex (o->ssl, data, len, &written))
    note_failure (o);
  leave ();
}

void
hl_ossl_key_update (HlOssl *o)
{
  if (!hl_ossl_can_send (o))
    return;
  enter (o);
  ERR_clear_error ();
  /* Asks the peer to update its keys too; SSL_do_handshake sends the message now. */
  if (!SSL_key_update (o->ssl, SSL_KEY_UPDATE_REQUESTED) || SSL_do_handshake (o->ssl) != 1)
    note_failure (o);
  leave ();
}

void
hl_ossl_close (HlOssl *o)
{
  if (!o->ssl || o->close_sent || o->failed)
    return;
  enter (o);
  SSL_shutdown (o->ssl);
  o->close_sent = TRUE;
  leave ();
}

gboolean
hl_ossl_failed (HlOssl *o)
{
  return o->failed;
}

gboolean
hl_ossl_closed (HlOssl *o)
{
  return !o->ssl || o->failed || (o->close_sent && o->peer_closed);
}

int
hl_ossl_error (HlOssl *o)
{
  return o->error;
}

const char *
hl_ossl_reason (HlOssl *o)
{
  return o->reason;
}

char *
hl_ossl_describe_state (HlOssl *o)
{
  const char *st;
  if (!o->ssl)
    return g_strdup ("OpenSSL: not started");
  if (o->failed)
    return g_strdup_printf ("OpenSSL: stopped (%s)", o->reason ? o->reason : "error");
  if (o->close_sent && o->peer_closed)
    return g_strdup ("OpenSSL: closed");
  st = SSL_state_string_long (o->ssl);
  return g_strdup_printf ("OpenSSL: %s", st ? st : "?");
}

guint
hl_ossl_version (HlOssl *o)
{
  return o->ssl && o->handshake_done ? (guint)SSL_version (o->ssl) : 0;
}

guint16
hl_ossl_suite (HlOssl *o)
{
  const SSL_CIPHER *c = o->ssl ? SSL_get_current_cipher (o->ssl) : NULL;
  return c ? SSL_CIPHER_get_protocol_id (c) : 0;
}

int
hl_ossl_group (HlOssl *o)
{
  int nid;
  if (!o->ssl)
    return -1;
  nid = SSL_get_negotiated_group (o->ssl);
  switch (nid) {
  case NID_X25519:
    return 29;
  case NID_X9_62_prime256v1:
    return 23;
  case NID_secp384r1:
    return 24;
  case NID_secp521r1:
    return 25;
  }
  return -1;
}

char *
hl_ossl_alpn (HlOssl *o)
{
  const unsigned char *p = NULL;
  unsigned int n = 0;
  if (!o->ssl)
    return NULL;
  SSL_get0_alpn_selected (o->ssl, &p, &n);
  return n ? g_strndup ((const char *)p, n) : NULL;
}

gboolean
hl_ossl_session_reused (HlOssl *o)
{
  return o->ssl && SSL_session_reused (o->ssl);
}

gboolean
hl_ossl_early_data_accepted (HlOssl *o)
{
  return o->ssl && SSL_get_early_data_status (o->ssl) == SSL_EARLY_DATA_ACCEPTED;
}

gboolean
hl_ossl_early_data_rejected (HlOssl *o)
{
  return o->ssl && SSL_get_early_data_status (o->ssl) == SSL_EARLY_DATA_REJECTED;
}

GBytes *
hl_ossl_keylog (HlOssl *o, HlOsslKeylog which)
{
  return o->keylog[which];
}

GBytes *
hl_ossl_key_share_private (HlOssl *o)
{
  return o->share_private;
}

const char *
hl_ossl_verdict (HlOssl *o)
{
  return o->verdict;
}

gboolean
hl_ossl_trusted (HlOssl *o)
{
  return o->trusted;
}

/* A key of one of the four groups, from the transcript's raw forms. */
static EVP_PKEY *
make_key (OSSL_LIB_CTX *libctx, int group, GBytes *priv, GBytes *pub)
{
  const char *curve = group == 23 ? "P-256" : group == 24 ? "P-384" : group == 25 ? "P-521" : NULL;
  OSSL_PARAM_BLD *bld;
  OSSL_PARAM *params;
  EVP_PKEY_CTX *ctx;
  EVP_PKEY *key = NULL;
  BIGNUM *bn = NULL;
  if (group == 29)
    return priv ? EVP_PKEY_new_raw_private_key_ex (
               libctx, "X25519", NULL, g_bytes_get_data (priv, NULL), g_bytes_get_size (priv))
                : EVP_PKEY_new_raw_public_key_ex (
                    libctx, "X25519", NULL, g_bytes_get_data (pub, NULL), g_bytes_get_size (pub));
  if (!curve)
    return NULL;
  bld = OSSL_PARAM_BLD_new ();
  OSSL_PARAM_BLD_push_utf8_string (bld, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0);
  if (priv) {
    bn = BN_bin2bn (g_bytes_get_data (priv, NULL), (int)g_bytes_get_size (priv), NULL);
    OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_PRIV_KEY, bn);
  } else {
    OSSL_PARAM_BLD_push_octet_string (bld, OSSL_PKEY_PARAM_PUB_KEY, g_bytes_get_data (pub, NULL),
                                      g_bytes_get_size (pub));
  }
  params = OSSL_PARAM_BLD_to_param (bld);
  ctx = EVP_PKEY_CTX_new_from_name (libctx, "EC", NULL);
  if (ctx && params && EVP_PKEY_fromdata_init (ctx) == 1)
    EVP_PKEY_fromdata (ctx, &key, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free (ctx);
  OSSL_PARAM_free (params);
  OSSL_PARAM_BLD_free (bld);
  BN_clear_free (bn);
  return key;
}

gboolean
hl_ossl_derive_shared (HlOssl *o, int group, GBytes *priv, GBytes *peer, guint8 *out,
                       gsize *out_len)
{
  EVP_PKEY *mine, *theirs;
  EVP_PKEY_CTX *ctx = NULL;
  size_t n = *out_len;
  gboolean ok = FALSE;
  enter (o);
  mine = make_key (o->libctx, group, priv, NULL);
  theirs = make_key (o->libctx, group, NULL, peer);
  if (mine && theirs)
    ctx = EVP_PKEY_CTX_new_from_pkey (o->libctx, mine, NULL);
  if (ctx && EVP_PKEY_derive_init (ctx) == 1 && EVP_PKEY_derive_set_peer (ctx, theirs) == 1
      && EVP_PKEY_derive (ctx, out, &n) == 1) {
    *out_len = n;
    ok = TRUE;
  }
  ERR_clear_error ();
  EVP_PKEY_CTX_free (ctx);
  EVP_PKEY_free (mine);
  EVP_PKEY_free (theirs);
  leave ();
  return ok;
}
