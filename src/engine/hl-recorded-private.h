/* hl-recorded-private.h: what the files of a recorded run share: hl-recording.c (the
 * recording), hl-recorded.c (steps from the byte streams), hl-recorded-hello.c (what
 * the hellos say in clear), hl-recorded-tls12.c and
 * hl-recorded-tls13.c (keys derived and records opened), hl-recorded-key.c (a
 * server's RSA or EC key), hl-recorded-end.c (what the end of a connection says). Not API.
 */
#pragma once

#include "hl-ssl3.h"
#include "hl-recorded.h"
#include "hl-run-private.h"

/* ---------- The recording ---------- */

typedef struct {
  gsize end;      /* the stream's bytes up to here had arrived */
  guint64 order;  /* across the whole recording */
  gint64 time_us; /* at this time */
} Chunk;

typedef struct {
  char *client, *server, *note;
  guint file_number;
  GByteArray *bytes[2];
  GArray *chunks[2];
} RecConn;

typedef struct {
  const char *label; /* the key log line's */
  HlSecretId id;     /* HL_N_SECRETS: accepted, but the lab has no use for it */
  guint8 random[32];
  GBytes *value;
} Logged;

struct _HlRecording {
  char *source;
  GPtrArray *conns;  /* RecConn* */
  GPtrArray *logged; /* Logged* */
  GPtrArray *keys;   /* HlRecordedKey*: servers' RSA private keys */
  guint64 order;
  gboolean count_only; /* application data makes no step (hl_recording_set_count_only) */
};

/* ---------- The run being built ---------- */

typedef struct {
  HlRecordedConnection info;
  GPtrArray *steps; /* HlStep*, every step of this connection, borrowed from all */
} ConnInfo;

struct _HlRecorded {
  HlRecording *rec;
  HlScenario *scenario;
  GPtrArray *all;          /* HlStep*, every step, owned */
  GArray *times;           /* gint64 per step */
  GPtrArray *connections;  /* HlConnection*, owned */
  GPtrArray *infos;        /* ConnInfo* */
  GHashTable *source_text; /* interned formulas are kept here, not leaked per run */
};

/* Where the lab got a secret, for the knowledge view. */
typedef enum { FROM_NOWHERE, FROM_WIRE, FROM_KEYLOG, FROM_DERIVED, FROM_PRIVATE_KEY } Origin;

typedef struct {
  GByteArray *hs;      /* handshake bytes not yet a whole message */
  GByteArray *recs;    /* the records those bytes came in: headers and payloads */
  GByteArray *payload; /* their payloads alone (the wire of an encrypted message) */
  GArray *headers;     /* HlRecordHeader of those records */
  gssize content_len;  /* the content the records held, decrypted; -1 unknown */
  gboolean hs_encrypted;
  gboolean encrypting; /* TLS 1.0-1.2: after this side's ChangeCipherSpec */
  RecordIn in;
  gboolean in_ready;
  guint64 etm_seq;   /* encrypt-then-MAC: the record sequence number */
  guint8 etm_iv[16]; /* and, in TLS 1.0, the IV chained from the previous record */
  gboolean etm_iv_set;
  int stage;             /* TLS 1.3: 0 early, 1 handshake, 2 application, 3+ after KeyUpdate */
  GBytes *secret;        /* TLS 1.3: the traffic secret in use */
  guint64 seq;           /* under it */
  gboolean update_next;  /* a KeyUpdate was sent: the next record uses the next secret */
  gboolean finished;     /* sent its Finished (read or seen encrypted) */
  guint n_encrypted;     /* encrypted records sent */
  guint n_enc_handshake; /* TLS 1.0-1.2 encrypted handshake records it could not open */
  HlSsl3In ssl3;         /* SSL 3.0: its own record MAC (RFC 6101 5.2.3.1) */
  gboolean ssl3_ready;
} Dir;

typedef struct {
  HlRecorded *r;
  RecConn *rc;
  HlConnection *c;
  ConnInfo *info;
  Dir d[2];
  guint8 client_random[32], server_random[32];
  gboolean have_cr, have_sr, saw_sh, tls13, expect13, resumed, early_offered, fatal;
  const HlSuite *early_suite; /* TLS 1.3 0-RTT: the suite the server's hello will confirm */
  guint16 expect_group;       /* TLS 1.3: the group of the server's key share, read ahead */
  gboolean early_now;         /* the record being read is 0-RTT data */
  gboolean ems;               /* RFC 7627 extended master secret, agreed in the hellos */
  const char *key_path;       /* the private key that opened the ClientKeyExchange */
  gboolean etm;               /* RFC 7366 encrypt-then-MAC, agreed in the hellos (CBC suites) */
  GByteArray *client_sid;
  const HlSuite *suite;
  GByteArray *transcript; /* handshake messages in order, as both sides hashed them */
  gboolean transcript_done;
  HlSecrets sec;
  Origin origin[HL_N_SECRETS];
  const char *label[HL_N_SECRETS];
  guint learned[HL_N_SECRETS];
  HlSecret *held[2][HL_N_SECRETS];
  gint64 time_us;
  guint conn_index;
  guint n_counted; /* application data records counted, not made steps (count_only) */
} Build;

/* hl-recorded.c */
void _hl_recorded_set_secret (Build *b, HlSecretId id, const guint8 *data, gsize len,
                              Origin origin);

/* The logged secrets of this connection, once its client random is known. */
void _hl_recorded_take_logged (Build *b);

/* hl-recorded-hello.c: each reads a whole handshake message m of len bytes. */
void _hl_recorded_note_hello (Build *b, const guint8 *m, gsize len, HlStep *st);
void _hl_recorded_note_encrypted_extensions (Build *b, const guint8 *m, gsize len);
void _hl_recorded_note_key_exchange (Build *b, const guint8 *m, gsize len);

/* hl-recorded-tls12.c */
void _hl_recorded_prf12 (Build *b, const guint8 *secret, gsize slen, const char *label,
                         const guint8 *seed1, const guint8 *seed2, gsize seed_len, guint8 *out,
                         gsize out_len);
/* The key block and its keys, once the master secret, suite and randoms are known. */
void _hl_recorded_derive_key_block (Build *b);
/* A TLS 1.0-1.2 record from `from` after its ChangeCipherSpec, opened; NULL if no key
 * opens it. */
GBytes *_hl_recorded_open12 (Build *b, HlSide from, guint8 ct, guint16 version,
                             const guint8 *payload, gsize len);
/* The Finished's verify_data expected from the transcript so far; 0 if unknown. */
gsize _hl_recorded_finished12 (Build *b, gboolean client, guint8 *out);
void _hl_recorded_open_key_exchange (Build *b, const guint8 *m, gsize len);

/* hl-recorded-end.c */
/* The sentence that ends a side's story: completed or not, what stayed closed and unknown. */
char *_hl_recorded_explain_end (Build *b, HlSide side);
/* Why the private key given opens none of this connection; NULL when it does. */
const char *_hl_recorded_keys_note (Build *b);

/* hl-recorded-tls13.c */
void _hl_recorded_derive_keys13 (Build *b);
GBytes *_hl_recorded_open13 (Build *b, HlSide from, const guint8 *payload, gsize len);
gsize _hl_recorded_finished13 (Build *b, gboolean client, guint8 out[HL_TLS13_MAX_HASH]);
