/* hl-run-private.h: what the files of the run share (hl-run*.c).
 *
 * The run is one object split by job: hl-run.c (the public API and the script),
 * hl-run-peers.c, hl-run-hooks.c, hl-run-wire.c, hl-run-secrets.c,
 * hl-run-story.c, hl-run-finished.c, hl-run-faults.c and hl-run-expect.c.
 * Nothing here is API: it may change with the files that use it.
 */
#pragma once

#include "hl-run.h"
#include "hl-credentials-private.h"
#include "hl-decode.h"
#include "hl-ossl.h"
#include "hl-tables.h"
#include "hl-tls13.h"

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
  HlOssl *ossl; /* this side is played by OpenSSL; the BearSSL contexts below are unused */
  GBytes *shared_for, *shared_priv, *shared_value; /* TLS 1.3: the last (EC)DHE computed */
  GByteArray *schedule_key;                        /* TLS 1.3: what the last schedule was of */
  HlSecrets schedule;                              /* and what it gave */
  br_ssl_client_context cc;
  br_ssl_server_context sc;
  br_ssl_engine_context *eng;
  br_x509_minimal_context server_xc; /* client-certificate validation on the server */
  X509Watch watch;
  br_ec_impl ec;                /* BearSSL's, restricted to the scenario's curves and watched */
  br_ec_impl keyx_ec;           /* for a static ECDH key in a certificate: only mul is watched */
  char *verdict;                /* this side's verdict on the peer's chain, once it judged one */
  gboolean trusted;             /* and whether it accepted that chain */
  HlSecret *held[HL_N_SECRETS]; /* what it holds in this connection, as shown in steps */
  br_ssl_session_cache_lru lru;
  guint8 *lru_store;
  guint8 *iobuf;
  const char **alpn;
  Captures cap;
  guint64 knows;
  gboolean handshake_done;
  GByteArray *app_received;
};

/* The fastest AES and GHASH BearSSL has on this processor (AES-NI, PCLMULQDQ), else its
 * portable constant-time code: the same bytes either way, several times faster on a
 * large capture. */
static inline const br_block_ctr_class *
_hl_aes_ctr_vtable (void)
{
  const br_block_ctr_class *v = br_aes_x86ni_ctr_get_vtable ();
  return v ? v : &br_aes_ct_ctr_vtable;
}

static inline const br_block_ctrcbc_class *
_hl_aes_ctrcbc_vtable (void)
{
  const br_block_ctrcbc_class *v = br_aes_x86ni_ctrcbc_get_vtable ();
  return v ? v : &br_aes_ct_ctrcbc_vtable;
}

static inline const br_block_cbcdec_class *
_hl_aes_cbcdec_vtable (void)
{
  const br_block_cbcdec_class *v = br_aes_x86ni_cbcdec_get_vtable ();
  return v ? v : &br_aes_ct_cbcdec_vtable;
}

/* The hash of a TLS 1.2 (or older) CBC suite's record MAC, for BearSSL's record layer. */
static inline const br_hash_class *
_hl_suite_mac_hash (const HlSuite *suite)
{
  return suite->mac == HL_HASH_SHA1     ? &br_sha1_vtable
         : suite->mac == HL_HASH_SHA256 ? &br_sha256_vtable
                                        : &br_sha384_vtable;
}

static inline br_ghash
_hl_ghash (void)
{
  br_ghash g = br_ghash_pclmul_get ();
  return g ? g : br_ghash_ctmul;
}

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
  /* TLS 1.3: which of the sender's traffic secrets protects its records now (an
   * HlOsslKeylog, -1 none yet) and the record sequence number under it. */
  int tls13_secret;
  guint64 tls13_seq;
  GBytes *tls13_updated; /* after KeyUpdate: the sender's application traffic secret N >= 1 */
  guint tls13_generation;
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
  guint8 record_type;    /* on the wire: 23 for every TLS 1.3 encrypted record */
  gboolean early;        /* TLS 1.3 0-RTT data */
  /* TLS 1.3 encrypted: the keys and sequence number it was sealed with, its inner
   * content type and padding, to seal a changed plaintext as the sender would. */
  gboolean has_tls13_keys;
  HlTls13Keys tls13_keys;
  gsize tls13_padding;
  gsize tls13_inner_len; /* the whole TLSInnerPlaintext: content, type byte, padding */
  /* Encrypted records: how the sender sealed this one, for the handouts. */
  gboolean has_seal;
  guint16 seal_suite;
  guint seal_version;
  guint64 seal_seq;
  guint8 seal_iv[16]; /* the IV part the nonce is made from (see HlStep.seal_iv) */
  gsize seal_iv_len;
  guint8 seal_nonce[12];
  gsize seal_nonce_len;
} Pending;

/* What the hellos of the current connection said, as sent (parsed from the wire). */
typedef struct {
  guint version;         /* negotiated: ServerHello's supported_versions, else its version */
  guint16 suite;         /* ServerHello's cipher suite */
  int group;             /* TLS 1.3 key_share group; -1 none */
  gboolean hello_retry;  /* the server answered with a HelloRetryRequest */
  gboolean psk_accepted; /* TLS 1.3: ServerHello has pre_shared_key */
  gboolean early_offered;
  gboolean extended_master_secret;     /* TLS 1.0-1.2: ServerHello echoes it (RFC 7627 5.1) */
  GBytes *client_share, *server_share; /* TLS 1.3 key_share public values for group */
  GBytes *client_random, *server_random;
} Hellos;

typedef enum {
  SCRIPT_HANDSHAKE,
  SCRIPT_RESEND_EARLY,
  SCRIPT_CLIENT_DATA,
  SCRIPT_KEY_UPDATE,
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
  GBytes *fault_plaintext; /* a Target=plaintext fault: the changed content, until delivered */
  ScriptPhase phase;
  gboolean finished;
  guint connection;
  Hellos hellos;
  const HlStep *delivering;     /* the step being made, while its knowledge is filled in */
  struct _HlRecorded *recorded; /* a run of recorded messages (hl-recorded.c); else NULL */
};

#define KNOW(id) (G_GUINT64_CONSTANT (1) << (id))
#define KNOW_KEYS                                                                                  \
  (KNOW (HL_SECRET_KEY_BLOCK) | KNOW (HL_SECRET_CLIENT_WRITE_MAC_KEY)                              \
   | KNOW (HL_SECRET_SERVER_WRITE_MAC_KEY) | KNOW (HL_SECRET_CLIENT_WRITE_KEY)                     \
   | KNOW (HL_SECRET_SERVER_WRITE_KEY) | KNOW (HL_SECRET_CLIENT_WRITE_IV)                          \
   | KNOW (HL_SECRET_SERVER_WRITE_IV))

/* The keys one sender writes with, from its own key block. */
typedef struct {
  const HlSuite *suite;
  guint version;
  const guint8 *key, *iv, *mac;
  HlSecrets parts; /* owns what key, iv and mac point into */
} SenderKeys;

/* Shared between the run's files; each is documented where it is defined. */

/* hl-run-faults.c */
GBytes *_hl_run_apply_changes (HlRun *run, Pending *p, guint index, char **what);
guint _hl_run_count_nth (const HlRun *run, const Pending *p);
const HlEdit *_hl_run_find_edit (HlRun *run, const Pending *p);
void _hl_run_free_edit (HlEdit *e);

/* hl-run-finished.c */
char *_hl_run_check_finished (HlRun *run, const HlStep *st, const guint8 *content, gsize clen);
/* A Finished changed on the way: the sender's own verify_data (st->plaintext) is the n
 * bytes `expect` the receiver computes, and the content it read is not. */
gboolean _hl_run_finished_sent_as_computed (const HlStep *st, const guint8 *content,
                                            const guint8 *expect, gsize n);

/* hl-run-peers.c: what the run asks of a side, whichever library plays it */
int _hl_peer_error (Peer *p);
guint _hl_peer_version (Peer *p); /* 0 before this side knows it */
gboolean _hl_peer_can_send (Peer *p);
gboolean _hl_peer_closed (Peer *p);

/* hl-run-tls13.c */
void _hl_run_collect_view13 (HlRun *run, Peer *p, HlSecrets *out);
char *_hl_run_check_finished13 (HlRun *run, const HlStep *st, const guint8 *content, gsize clen);
char *_hl_run_describe_signed13 (HlRun *run, const HlStep *st);
char *_hl_run_check_binder13 (HlRun *run, const HlStep *st, const guint8 *msg, gsize len);
void _hl_run_seal_to_step (const Pending *p, HlStep *st);
void _hl_run_take_tls13_record (HlRun *run, HlSide from, guint16 version, const guint8 *payload,
                                gsize len);
void _hl_run_clear_hellos (Hellos *h);
void _hl_run_note_hello13 (HlRun *run, HlSide from, const guint8 *h, gsize len);
GBytes *_hl_run_seal13_as_sender (const Pending *p, GBytes *plaintext);

/* hl-run-hooks.c */
void _hl_run_enter (Peer *peer);
void _hl_run_install_watch (Peer *p);
guint32 _hl_run_own_ecdh (HlSide side, gboolean priv);
void _hl_run_prf10_hook (void *dst, size_t len, const void *secret, size_t secret_len,
                         const char *label, size_t seed_num, const br_tls_prf_seed_chunk *seed);
void _hl_run_prf256_hook (void *dst, size_t len, const void *secret, size_t secret_len,
                          const char *label, size_t seed_num, const br_tls_prf_seed_chunk *seed);
void _hl_run_prf384_hook (void *dst, size_t len, const void *secret, size_t secret_len,
                          const char *label, size_t seed_num, const br_tls_prf_seed_chunk *seed);
void _hl_run_set_clock (br_x509_minimal_context *xc, gint64 unix_time);
uint32_t _hl_run_verify_ecdsa_any_curve (const br_ec_impl *impl, const void *hash, size_t hash_len,
                                         const br_ec_public_key *pk, const void *sig,
                                         size_t sig_len);
uint32_t _hl_run_watch_mul (unsigned char *G, size_t Glen, const unsigned char *x, size_t xlen,
                            int curve);
size_t _hl_run_watch_mulgen (unsigned char *R, const unsigned char *x, size_t xlen, int curve);

/* hl-run-peers.c */
void _hl_run_clear_captures (Captures *c);
char *_hl_run_describe_state (Peer *p);
void _hl_run_forget_held (Peer *p);
void _hl_run_free_peer (Peer *p);
const HlSuite *_hl_run_negotiated_suite (Peer *p);
Peer *_hl_run_new_client (HlRun *run, const HlScenario *s, GError **error);
Peer *_hl_run_new_server (HlRun *run, const HlScenario *s, GError **error);

/* hl-run-secrets.c */
void _hl_run_clear_secrets (HlSecrets *s);
void _hl_run_collect_view (Peer *p, HlSecrets *out, gboolean resumed);
void _hl_run_fill_knowledge (HlRun *run, HlStep *st, HlSide side);
void _hl_run_set_bytes (GBytes **slot, const void *data, gsize len);
void _hl_run_split_key_block (GBytes *kb, const HlSuite *suite, guint version, HlSecrets *out);

/* hl-run-story.c */
/* A TLS 1.3 offer's ClientHello random and a TLS 1.2 ServerHello's answer to it: their
 * explanations name the version negotiated (the server answered during the step). */
void _hl_run_explain_randoms (HlRun *run, HlStep *st);
char *_hl_run_explain_end (HlRun *run, HlSide side, HlConnection *c);
char *_hl_run_judge_chain (Peer *p);
char *_hl_run_summarize (const HlStep *st, const guint8 *content, gsize clen, guint version,
                         gboolean resumed, const HlSuite *suite);
char *_hl_run_tell_story (const HlStep *st, const HlSuite *suite, gboolean resumed, gboolean tls13,
                          gboolean retried);

/* hl-run-wire.c */
GBytes *_hl_run_encrypt_as_sender (HlRun *run, const Pending *p, GBytes *plaintext, GError **error);
gsize _hl_run_feed (Peer *p, const guint8 *data, gsize len);
void _hl_run_free_pending (Pending *p);
void _hl_run_queue_pending (HlRun *run, HlSide from, const char *message, guint8 ct, int hs_type,
                            guint16 version, gboolean encrypted, const guint8 *wire, gsize len,
                            GBytes *plaintext);
void _hl_run_pump (HlRun *run);

/* hl-run.c */
HlConnection *_hl_run_current_connection (HlRun *run);
/* The named group of the current TLS 1.2 connection's ECDHE exchange (its ServerKeyExchange,
 * the step being made included); 0 when none was sent. */
guint16 _hl_run_ecdh_group (HlRun *run);

void _hl_run_free_step (HlStep *st);

/* hl-run-secrets.c */
HlSecret *_hl_run_new_secret (HlSecretId id, HlSide side, GBytes *value, guint step,
                              gboolean tls13);

/* hl-recorded.c: what the public API does on a recorded run */
typedef struct _HlRecorded HlRecorded;
void _hl_recorded_free (HlRun *run);
gboolean _hl_recorded_step (HlRun *run);
void _hl_recorded_seek (HlRun *run, guint n_steps);
gboolean _hl_recorded_peek (const HlRun *run, HlNextMessage *next);

/* hl-recorded-key.c: a server's private key, for RSA key exchange and static ECDH */
typedef struct _HlRecordedKey HlRecordedKey;
HlRecordedKey *_hl_recorded_key_load (const char *path, GError **error);
void _hl_recorded_key_free (HlRecordedKey *k);
const char *_hl_recorded_key_path (const HlRecordedKey *k);
gboolean _hl_recorded_key_decrypt (const HlRecordedKey *k, const guint8 *cipher, gsize len,
                                   guint8 premaster[48]);
/* premaster: room for 66 bytes (P-521's X). */
gboolean _hl_recorded_key_ecdh (const HlRecordedKey *k, int curve, const guint8 *point, gsize len,
                                guint8 *premaster, gsize *premaster_len);
