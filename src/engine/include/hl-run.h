/* hl-run.h: a real TLS handshake between two TLS libraries (BearSSL for TLS 1.0-1.2,
 * OpenSSL for TLS 1.3, or one of each), in memory, paused after every message.
 *
 * One step delivers exactly one thing from one side to the other: a handshake
 * message, a ChangeCipherSpec, an alert or one application-data record. Between
 * steps the run is really paused: the next message can be read, changed or
 * dropped before it is delivered, and going back a step replays the same
 * deterministic run up to there.
 *
 * Who owns what: the run owns every HlStep, HlConnection, HlEdit and the
 * values inside them; getters return borrowed pointers. A step is immutable
 * once made and lives until a seek or hl_run_remove_edit drops it; a
 * connection record lives until the next seek back. An HlSecret may be kept
 * longer with hl_secret_ref. Only hl_run_new and hl_run_new_checked return
 * something the caller frees (hl_run_free). One run is used from one thread at
 * a time; different runs may run on different threads at once.
 */
#pragma once

#include <glib.h>

#include "hl-field.h"
#include "hl-scenario.h"

G_BEGIN_DECLS

/* Every secret a handshake derives, in the order it appears: TLS 1.0-1.2 first, then
 * what only TLS 1.3 has (which shares the randoms, master_secret and verify_data). */
typedef enum {
  HL_SECRET_CLIENT_RANDOM,
  HL_SECRET_SERVER_RANDOM,
  HL_SECRET_SESSION_ID,
  HL_SECRET_PREMASTER,
  HL_SECRET_MASTER,
  HL_SECRET_KEY_BLOCK,
  HL_SECRET_CLIENT_WRITE_MAC_KEY,
  HL_SECRET_SERVER_WRITE_MAC_KEY,
  HL_SECRET_CLIENT_WRITE_KEY,
  HL_SECRET_SERVER_WRITE_KEY,
  HL_SECRET_CLIENT_WRITE_IV,
  HL_SECRET_SERVER_WRITE_IV,
  HL_SECRET_CLIENT_VERIFY_DATA,
  HL_SECRET_SERVER_VERIFY_DATA,
  /* ECDH(E) key shares: each side's secret scalar and its public point. */
  HL_SECRET_CLIENT_ECDH_PRIVATE,
  HL_SECRET_CLIENT_ECDH_PUBLIC,
  HL_SECRET_SERVER_ECDH_PRIVATE,
  HL_SECRET_SERVER_ECDH_PUBLIC,
  /* TLS 1.3 (RFC 8446 7.1) */
  HL_SECRET_CLIENT_KEY_SHARE_PRIVATE,
  HL_SECRET_SERVER_KEY_SHARE_PRIVATE,
  HL_SECRET_SHARED,
  HL_SECRET_PSK,
  HL_SECRET_EARLY,
  HL_SECRET_BINDER_KEY,
  HL_SECRET_CLIENT_EARLY_TRAFFIC,
  HL_SECRET_HANDSHAKE,
  HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC,
  HL_SECRET_SERVER_HANDSHAKE_TRAFFIC,
  HL_SECRET_CLIENT_HANDSHAKE_KEY,
  HL_SECRET_CLIENT_HANDSHAKE_IV,
  HL_SECRET_SERVER_HANDSHAKE_KEY,
  HL_SECRET_SERVER_HANDSHAKE_IV,
  HL_SECRET_CLIENT_FINISHED_KEY,
  HL_SECRET_SERVER_FINISHED_KEY,
  HL_SECRET_CLIENT_APPLICATION_TRAFFIC,
  HL_SECRET_SERVER_APPLICATION_TRAFFIC,
  HL_SECRET_CLIENT_APPLICATION_KEY,
  HL_SECRET_CLIENT_APPLICATION_IV,
  HL_SECRET_SERVER_APPLICATION_KEY,
  HL_SECRET_SERVER_APPLICATION_IV,
  HL_SECRET_EXPORTER_MASTER,
  HL_SECRET_RESUMPTION_MASTER,
  HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1, /* after a KeyUpdate */
  HL_SECRET_SERVER_APPLICATION_TRAFFIC_1,
  HL_SECRET_EARLY_EXPORTER_MASTER, /* "e exp master" (RFC 8446 7.1) */
  HL_N_SECRETS
} HlSecretId;

const char *hl_secret_key (HlSecretId id);     /* transcript key: "master_secret" */
const char *hl_secret_formula (HlSecretId id); /* how it is made, in one line */
/* The i-th secret in the order its key schedule derives them (TLS 1.3's differs);
 * HL_N_SECRETS past the end. */
HlSecretId hl_secret_nth (guint i, gboolean tls13);
/* The same, for a TLS 1.3 connection when tls13 (master_secret and verify_data changed). */
const char *hl_secret_formula_for (HlSecretId id, gboolean tls13);
typedef struct _HlConnection HlConnection;
/* The recipe as it applied in this connection: one key exchange (RSA or ECDH, X25519 or a
 * NIST curve), a resumption's reused master secret. */
const char *hl_secret_formula_in (HlSecretId id, const HlConnection *connection);

typedef struct {
  GBytes *value[HL_N_SECRETS]; /* NULL: never derived */
} HlSecrets;

/* One secret as one side holds it: data a view can list without knowing the
 * key schedule. Immutable once made and shared between the steps that show
 * it (reference counted: hl_secret_ref / hl_secret_unref). */
typedef struct {
  const char *key;           /* transcript key: "master_secret" */
  const char *name;          /* for people: "Master secret" */
  const char *formula;       /* how it is made, in one line */
  const char *const *inputs; /* keys of the secrets it is made from; NULL-terminated */
  GBytes *value;             /* never empty: a zero-length key is not "known" */
  guint learned_at;          /* index of the step after which this side first held it */
  HlSide side;               /* who holds this copy */
  HlSecretId id;             /* which secret: what code compares, never key or name */
} HlSecret;

HlSecret *hl_secret_ref (HlSecret *secret);
void hl_secret_unref (HlSecret *secret);
/* The display name and inputs of a transcript key; NULL for an unknown key. */
const char *hl_secret_name_for_key (const char *key);

typedef struct {
  char *state;   /* BearSSL engine flags: "SENDAPP|RECVREC", or "CLOSED" */
  int error;     /* br_ssl_engine_last_error() */
  guint64 knows; /* bit (1 << HlSecretId) per secret this side holds */
  /* What this side knows after the step, all owned by the step: */
  GPtrArray *secrets;           /* HlSecret*, in key-schedule order; each learned_at <= this step */
  guint version;                /* negotiated version as this side knows it; 0 not yet */
  guint16 suite;                /* negotiated suite as this side knows it; 0 not yet */
  int curve;                    /* (EC)DH curve as this side knows it; -1 not yet or none */
  char *certificate_verdict;    /* this side's verdict on the peer's chain; NULL not yet */
  gboolean certificate_trusted; /* that verdict accepts the chain */
  gboolean openssl;             /* an OpenSSL side: state is OpenSSL's, error the alert form */
  char *reason;                 /* an OpenSSL side's own reason for its error; else NULL */
} HlSideState;

typedef struct {
  guint8 content_type;
  guint16 version;
  guint16 length;
} HlRecordHeader;

/* Which key protects a step's record, as its sender chose it. */
typedef enum {
  HL_RECORD_KEY_NONE,        /* sent in plaintext */
  HL_RECORD_KEY_SESSION,     /* TLS 1.0-1.2: the sender's write keys from the key block */
  HL_RECORD_KEY_EARLY,       /* TLS 1.3: client_early_traffic_secret (0-RTT) */
  HL_RECORD_KEY_HANDSHAKE,   /* TLS 1.3: the sender's handshake traffic secret */
  HL_RECORD_KEY_APPLICATION, /* TLS 1.3: the sender's application traffic secret N */
  HL_RECORD_KEY_UNKNOWN,     /* encrypted, under a key a recording without keys cannot name */
} HlRecordKey;

typedef struct {
  guint index;      /* from 1, across the whole run */
  guint connection; /* from 1 */
  HlSide from;
  char *message; /* "ClientHello", ... */
  guint8 content_type;
  int handshake_type; /* -1 when not a handshake message */
  gboolean encrypted;
  GBytes *wire;           /* as the sender sent it */
  GBytes *delivered_wire; /* what the receiver got, when a fault or tamper changed it; else NULL */
  GBytes *plaintext;      /* encrypted steps: the decrypted content; NULL if it would not decrypt */
  GBytes *delivered_plaintext; /* a plaintext tamper: the content the receiver decrypted */
  GArray *records;             /* HlRecordHeader: the records the receiver got */
  GBytes *record_wire;         /* those records, 5-byte headers and payloads; NULL if dropped */
  GPtrArray *record_fields;    /* HlField*: tile record_wire (headers, nonce, ciphertext, tag) */
  GPtrArray *delivered_fields; /* HlField*: what the receiver got, decoded, when a message was
                                  changed on the way and can be read (plaintext, or a plaintext
                                  tamper); else NULL */
  gboolean delivered;          /* FALSE only when a fault or tamper dropped it */
  gboolean early;              /* TLS 1.3 0-RTT application data */
  gboolean split_first;        /* TLS 1.0 CBC: the 1-byte record of BearSSL's 1/n-1 split */
  gboolean close_notify;       /* an Alert whose description is close_notify (0) */
  gboolean tls13;              /* part of a TLS 1.3 handshake (as known when delivered) */
  HlRecordKey key;             /* the key that protects its record */
  guint key_generation;        /* HL_RECORD_KEY_APPLICATION: N, counting the sender's KeyUpdates */
  gboolean accepted;           /* the receiver read all of it (FALSE: it had already stopped,
                                  or skipped it unread) */
  gboolean rejected;           /* not accepted because the receiver stopped on this record
                                  (it had not stopped before it) */
  gboolean skipped;            /* TLS 1.3 0-RTT data a server that declined early data
                                  discarded unread: it cannot decrypt it (RFC 8446 4.2.10) */
  char *fault;                 /* what a fault or tamper did; NULL */
  GPtrArray *fields;
  char *summary; /* one line: what this message does */
  char *story;   /* where it stands in the classic nine-step story */
  char *check;   /* Finished: the recomputed verify_data and whether it matches; TLS 1.3
                    CertificateVerify: what was signed and the verdict; a ServerHello
                    answering a TLS 1.3 offer with less: the downgrade sentinel; else NULL */
  char
      *certificate_check; /* Certificate: the receiver's X.509 verdict, in plain words; else NULL */
  HlSideState after[2];   /* indexed by HlSide */

  /* Encrypted records: how the sender sealed this one (RFC 5246 6.2.3, RFC 8446 5.2-5.3).
   * Nothing here is sent: the receiver keeps the same count and IV. */
  gboolean sealed;    /* the fields below are known */
  guint16 seal_suite; /* the suite and version it was sealed under */
  guint seal_version; /* 0x0304 for TLS 1.3 */
  guint64 seq;        /* its sequence number under its key, from 0 */
  GBytes *seal_iv;    /* TLS 1.3 and ChaCha20: the 12-byte write IV; GCM/CCM: the 4-byte salt
                         from the key block; TLS 1.0 CBC: the IV chained from the record before
                         (the first: the key block's); TLS 1.1+ CBC: NULL (explicit IV) */
  GBytes *nonce;      /* AEAD: the nonce it was sealed with; else NULL */
  int inner_type;     /* TLS 1.3: TLSInnerPlaintext's content type; else -1 */
  gsize inner_length; /* TLS 1.3: TLSInnerPlaintext's length (content, type byte, padding) */
  gsize padding;      /* TLS 1.3: its zero padding */
} HlStep;

/* The transcript key of the secret whose keys protect the step's record
 * ("server_handshake_traffic_secret", "client_application_traffic_secret_1"; TLS 1.0-1.2:
 * "client_write_key", with the MAC key for CBC); NULL for a plaintext record. */
char *hl_step_record_key (const HlStep *step);

/* The bytes the step's fields are read from: the decrypted content of an encrypted step
 * (when it decrypted), else the message as the sender sent it. */
GBytes *hl_step_get_message_bytes (const HlStep *step);

/* An OpenSSL side's error in its own words, not BearSSL's codes: the alert it sent or
 * received and OpenSSL's reason ("stopped on its own error \"bad signature\" and sent the
 * fatal alert decrypt_error (51)"), to follow "OpenSSL". err: the alert form of
 * HlSideState.error (0: none); reason may be NULL. */
char *hl_describe_openssl_error (int err, const char *reason);

struct _HlConnection {
  guint index;
  gboolean resumed;
  gboolean success;
  guint version; /* 0 if none was negotiated */
  guint16 suite; /* 0 if none */
  int curve;     /* -1 if none */
  char *alpn;
  char *server_name;
  int error[2];
  char *explanation[2];
  char *reason[2];          /* an OpenSSL side's own reason for its error; else NULL */
  gboolean openssl[2];      /* the side is OpenSSL: its error is an alert sent or received */
  gboolean hello_retry;     /* TLS 1.3: the server sent a HelloRetryRequest */
  HlSecrets secrets;        /* what the run derived: the client's view, else the server's */
  HlSecrets server_secrets; /* the server's view, kept when it differs from the client's */
  gboolean views_differ;
  GPtrArray *steps; /* HlStep*, borrowed from the run */

  /* TLS 1.0-1.2: extended_master_secret was negotiated (RFC 7627), so the master secret
   * hashes the handshake instead of the randoms. */
  gboolean extended_master_secret;
};

typedef struct _HlRun HlRun;

#define HL_RUN_ERROR (hl_run_error_quark ())
GQuark hl_run_error_quark (void);
typedef enum {
  HL_RUN_ERROR_NO_MESSAGE,    /* nothing is waiting to be delivered */
  HL_RUN_ERROR_NOT_ENCRYPTED, /* a plaintext tamper on a message that is not encrypted */
  HL_RUN_ERROR_BAD_LENGTH,    /* a plaintext no record can carry */
  HL_RUN_ERROR_RECORDED,      /* a recorded run (hl-recorded.h): nothing can be changed */
} HlRunError;

/* The run borrows the scenario: keep it alive as long as the run. A scenario that
 * cannot run (built in code with a field missing, see hl_scenario_check) gives NULL;
 * the _checked form says why. */
HlRun *hl_run_new (const HlScenario *scenario);
HlRun *hl_run_new_checked (const HlScenario *scenario, GError **error);
void hl_run_free (HlRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlRun, hl_run_free)

const HlScenario *hl_run_get_scenario (const HlRun *run);

/* Delivers the next message; FALSE when the run has ended. */
gboolean hl_run_step (HlRun *run);
void hl_run_run_to_end (HlRun *run);
gboolean hl_run_is_finished (const HlRun *run); /* TRUE when no step is left */

/* Goes to the state after n steps. Forward continues the run; back rebuilds the
 * engines and replays, but keeps the HlStep of every step up to n as it was: a
 * step pointer stays valid until that step is dropped by seeking before it or by
 * hl_run_remove_edit. HlConnection records are rebuilt by a seek back. */
void hl_run_seek (HlRun *run, guint n_steps);
/* For a run made ahead of time: twin, a second run of the same scenario (the same
 * HlScenario), neither with edits, takes the first n steps of run in exchange for its
 * own, which are the same (a lesson replays byte for byte). Pointers to run's steps
 * then belong to twin, so twin can take run's place without a view noticing.
 * FALSE, and nothing traded, if the runs differ in any of those steps. */
gboolean hl_run_trade_steps (HlRun *run, HlRun *twin, guint n);

guint hl_run_get_n_steps (const HlRun *run);
const HlStep *hl_run_get_step (const HlRun *run, guint i); /* from 0 */
guint hl_run_get_n_connections (const HlRun *run);
const HlConnection *hl_run_get_connection (const HlRun *run, guint i); /* from 0 */

/* The message about to be delivered. Peeking has no side effect: the run always
 * has its next message ready (or is finished). The bytes are borrowed from the
 * run until the next step or seek. */
typedef struct {
  HlSide from;
  const char *message;
  GBytes *wire;      /* as the sender sent it */
  GBytes *plaintext; /* encrypted messages: the content; NULL otherwise */
  gboolean encrypted;
  guint connection; /* from 1 */
  guint nth;        /* the Nth message of this name from this side in its connection */
} HlNextMessage;
gboolean hl_run_peek_next (const HlRun *run, HlNextMessage *next); /* FALSE: nothing left */

/* Tampering, as a person does it: an edit belongs to a message (connection,
 * sender, name, Nth), not to a step number, and is kept across seeks until
 * removed. An edit on a message that already has one replaces it. */
typedef struct {
  guint connection;
  HlSide from;
  char *message;
  guint nth;
  gboolean drop;     /* TRUE: never delivered */
  GBytes *wire;      /* else: the bytes delivered instead */
  GBytes *plaintext; /* a plaintext edit: the new content, which wire encrypts; else NULL */
} HlEdit;
void hl_run_tamper_next (HlRun *run, GBytes *new_wire);
/* For an encrypted message: delivers new_plaintext encrypted with the sender's real
 * keys and sequence number, so the receiver finds a valid record whose content
 * changed (a Finished that no longer matches), not a broken MAC. */
gboolean hl_run_tamper_next_plaintext (HlRun *run, GBytes *new_plaintext, GError **error);
void hl_run_drop_next (HlRun *run);
guint hl_run_get_n_edits (const HlRun *run);
const HlEdit *hl_run_get_edit (const HlRun *run, guint i); /* owned by the run */
/* Also goes back to just before the message it was made on, if that was delivered. */
void hl_run_remove_edit (HlRun *run, guint i);

/* Overall result: that of the last connection. */
gboolean hl_run_succeeded (const HlRun *run);
/* 1 matches [Expect], 0 differs, -1 no [Expect]; why: what differs. */
int hl_run_check_expect (const HlRun *run, char **why);
/* The [Fault] could not be applied (no such message, offset past its end): message with line. */
const char *hl_run_get_fault_error (HlRun *run);

G_END_DECLS
