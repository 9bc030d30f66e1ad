/* hl-recorded.c: a run made of recorded messages (hl-recorded.h).
 *
 * A live run learns each message from two TLS libraries; a recorded one reads them
 * from the bytes each side sent, as a passive observer would: records are split into
 * messages, the hellos say the randoms, version and suite, and an encrypted record is
 * opened only with keys derived from what a key log gave. Nothing an observer cannot
 * know is filled in: the premaster secret and the ephemeral private keys never left
 * the endpoints, so they stay unknown.
 *
 * Every step is made at once, when the run is built; stepping, going back and seeking
 * only change how many of them the run shows.
 */
#include "hl-recorded.h"
#include "hl-run-private.h"
#include "hl-i18n.h"

#include <string.h>

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
  guint label; /* index in key_labels */
  guint8 random[32];
  GBytes *value;
} Logged;

struct _HlRecording {
  char *source;
  GPtrArray *conns;  /* RecConn* */
  GPtrArray *logged; /* Logged* */
  GPtrArray *keys;   /* HlRecordedKey*: servers' RSA private keys */
  guint64 order;
};

/* NSS key log labels and the secret each line carries. */
static const struct {
  const char *label;
  HlSecretId id; /* HL_N_SECRETS: accepted, but the lab has no use for it */
} key_labels[] = {
  { "CLIENT_RANDOM", HL_SECRET_MASTER },
  { "CLIENT_EARLY_TRAFFIC_SECRET", HL_SECRET_CLIENT_EARLY_TRAFFIC },
  { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC },
  { "SERVER_HANDSHAKE_TRAFFIC_SECRET", HL_SECRET_SERVER_HANDSHAKE_TRAFFIC },
  { "CLIENT_TRAFFIC_SECRET_0", HL_SECRET_CLIENT_APPLICATION_TRAFFIC },
  { "SERVER_TRAFFIC_SECRET_0", HL_SECRET_SERVER_APPLICATION_TRAFFIC },
  { "EXPORTER_SECRET", HL_SECRET_EXPORTER_MASTER },
  { "EARLY_EXPORTER_SECRET", HL_N_SECRETS },
};

static void
free_rec_conn (RecConn *c)
{
  g_free (c->client);
  g_free (c->server);
  g_free (c->note);
  for (int d = 0; d < 2; d++) {
    g_byte_array_unref (c->bytes[d]);
    g_array_unref (c->chunks[d]);
  }
  g_free (c);
}

static void
free_logged (Logged *l)
{
  g_bytes_unref (l->value);
  g_free (l);
}

HlRecording *
hl_recording_new (const char *source)
{
  HlRecording *rec = g_new0 (HlRecording, 1);
  rec->source = g_strdup (source ? source : "");
  rec->conns = g_ptr_array_new_with_free_func ((GDestroyNotify)free_rec_conn);
  rec->logged = g_ptr_array_new_with_free_func ((GDestroyNotify)free_logged);
  rec->keys = g_ptr_array_new_with_free_func ((GDestroyNotify)_hl_recorded_key_free);
  return rec;
}

void
hl_recording_free (HlRecording *rec)
{
  if (!rec)
    return;
  g_free (rec->source);
  g_ptr_array_unref (rec->conns);
  g_ptr_array_unref (rec->logged);
  g_ptr_array_unref (rec->keys);
  g_free (rec);
}

guint
hl_recording_add_connection (HlRecording *rec, const char *client, const char *server,
                             guint file_number)
{
  RecConn *c = g_new0 (RecConn, 1);
  c->client = g_strdup (client);
  c->server = g_strdup (server);
  c->file_number = file_number;
  for (int d = 0; d < 2; d++) {
    c->bytes[d] = g_byte_array_new ();
    c->chunks[d] = g_array_new (FALSE, FALSE, sizeof (Chunk));
  }
  g_ptr_array_add (rec->conns, c);
  return rec->conns->len;
}

void
hl_recording_add_bytes (HlRecording *rec, guint connection, HlSide from, gint64 time_us,
                        const guint8 *data, gsize len)
{
  RecConn *c;
  Chunk ch;
  g_return_if_fail (connection >= 1 && connection <= rec->conns->len);
  if (len == 0)
    return;
  c = g_ptr_array_index (rec->conns, connection - 1);
  g_byte_array_append (c->bytes[from], data, len);
  ch.end = c->bytes[from]->len;
  ch.order = rec->order++;
  ch.time_us = time_us;
  g_array_append_val (c->chunks[from], ch);
}

void
hl_recording_set_note (HlRecording *rec, guint connection, const char *note)
{
  RecConn *c;
  g_return_if_fail (connection >= 1 && connection <= rec->conns->len);
  c = g_ptr_array_index (rec->conns, connection - 1);
  if (!c->note) /* the first reason it stops is the one that counts */
    c->note = g_strdup (note);
}

gboolean
hl_recording_add_secret (HlRecording *rec, const char *label, const guint8 client_random[32],
                         const guint8 *value, gsize len)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_labels); i++)
    if (strcmp (key_labels[i].label, label) == 0) {
      Logged *l = g_new0 (Logged, 1);
      l->label = i;
      memcpy (l->random, client_random, 32);
      l->value = g_bytes_new (value, len);
      g_ptr_array_add (rec->logged, l);
      return TRUE;
    }
  return FALSE;
}

gboolean
hl_recording_add_private_key (HlRecording *rec, const char *path, GError **error)
{
  HlRecordedKey *k = _hl_recorded_key_load (path, error);
  if (!k)
    return FALSE;
  g_ptr_array_add (rec->keys, k);
  return TRUE;
}

gboolean
hl_recording_knows_label (const char *label)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_labels); i++)
    if (strcmp (key_labels[i].label, label) == 0)
      return TRUE;
  return FALSE;
}

guint
hl_recording_get_n_secrets (HlRecording *rec)
{
  return rec->logged->len;
}

/* ---------- The run ---------- */

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
} Build;

static const char *
intern (Build *b, char *text)
{
  const char *kept = g_hash_table_lookup (b->r->source_text, text);
  if (kept) {
    g_free (text);
    return kept;
  }
  g_hash_table_add (b->r->source_text, text);
  return text;
}

static void
set_secret (Build *b, HlSecretId id, const guint8 *data, gsize len, Origin origin)
{
  if (b->sec.value[id])
    return;
  _hl_run_set_bytes (&b->sec.value[id], data, len);
  b->origin[id] = origin;
}

static void
learn (Build *b, HlSecretId id, guint step)
{
  if (b->sec.value[id] && g_bytes_get_size (b->sec.value[id]) > 0 && !b->learned[id])
    b->learned[id] = step;
}

/* The HlSecret a side shows: formula and inputs as for a live run, said to come from
 * the key log or from what the lab derived from it. */
static HlSecret *
make_secret (Build *b, HlSecretId id, HlSide side)
{
  HlSecret *s = _hl_run_new_secret (id, side, b->sec.value[id], b->learned[id], b->tls13);
  static const char *const none[] = { NULL };
  if (b->origin[id] == FROM_KEYLOG) {
    s->formula = intern (
        b, g_strdup_printf (_ ("read from the key log (its %s line); the endpoints made it so: %s"),
                            b->label[id], s->formula));
    s->inputs = none;
  } else if (b->origin[id] == FROM_DERIVED) {
    s->formula
        = intern (b, g_strdup_printf (_ ("derived by the lab from the key log: %s"), s->formula));
  } else if (b->origin[id] == FROM_PRIVATE_KEY) {
    s->formula = intern (b, g_strdup_printf (_ ("decrypted by the lab from the ClientKeyExchange "
                                                "with the server's private key (%s): %s"),
                                             b->key_path, s->formula));
  } else if (b->origin[id] == FROM_WIRE) {
    s->formula = intern (b, g_strdup_printf (_ ("read on the wire: %s"), s->formula));
  }
  return s;
}

static void
fill_after (Build *b, HlStep *st)
{
  for (int side = 0; side < 2; side++) {
    HlSideState *after = &st->after[side];
    after->state = g_strdup ("RECORDED");
    after->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify)hl_secret_unref);
    after->curve = -1;
    for (guint k = 0; hl_secret_nth (k, b->tls13) < HL_N_SECRETS; k++) {
      HlSecretId id = hl_secret_nth (k, b->tls13);
      if (!b->learned[id] || b->learned[id] > st->index)
        continue;
      if (!b->held[side][id])
        b->held[side][id] = make_secret (b, id, side);
      g_ptr_array_add (after->secrets, hl_secret_ref (b->held[side][id]));
      after->knows |= KNOW (id);
    }
    if (b->saw_sh) {
      after->version = b->c->version;
      after->suite = b->c->suite;
      if (b->c->curve > 0
          && (after->knows
              & (KNOW (HL_SECRET_SERVER_ECDH_PUBLIC) | KNOW (HL_SECRET_CLIENT_ECDH_PUBLIC))))
        after->curve = b->c->curve;
    }
  }
}

/* ---------- Key derivation ---------- */

static void
prf12 (Build *b, const guint8 *secret, gsize slen, const char *label, const guint8 *seed1,
       const guint8 *seed2, gsize seed_len, guint8 *out, gsize out_len)
{
  br_tls_prf_seed_chunk seed[2] = { { seed1, 32 }, { seed2, seed_len } };
  guint n = seed2 ? 2 : 1;
  if (!seed2)
    seed[0].len = seed_len;
  if (b->c->version < 0x0303)
    br_tls10_prf (out, out_len, secret, slen, label, n, seed);
  else if (b->suite->prf == HL_HASH_SHA384)
    br_tls12_sha384_prf (out, out_len, secret, slen, label, n, seed);
  else
    br_tls12_sha256_prf (out, out_len, secret, slen, label, n, seed);
}

/* TLS 1.0-1.2: key_block = PRF(master_secret, "key expansion", server_random +
 * client_random), cut into MAC keys, cipher keys and IVs (RFC 5246 6.3). */
static void
derive_key_block (Build *b)
{
  gsize need, mlen;
  const guint8 *ms;
  guint8 kb[2 * (48 + 32 + 16)];
  if (!b->sec.value[HL_SECRET_MASTER] || !b->suite || !b->have_sr || b->tls13
      || b->sec.value[HL_SECRET_KEY_BLOCK])
    return;
  need = 2
         * (hl_suite_mac_key_len (b->suite) + b->suite->key_len
            + hl_suite_fixed_iv_len (b->suite, b->c->version));
  if (need > sizeof kb)
    return;
  ms = g_bytes_get_data (b->sec.value[HL_SECRET_MASTER], &mlen);
  prf12 (b, ms, mlen, "key expansion", b->server_random, b->client_random, 32, kb, need);
  set_secret (b, HL_SECRET_KEY_BLOCK, kb, need, FROM_DERIVED);
  _hl_run_split_key_block (b->sec.value[HL_SECRET_KEY_BLOCK], b->suite, b->c->version, &b->sec);
  for (int i = HL_SECRET_CLIENT_WRITE_MAC_KEY; i <= HL_SECRET_SERVER_WRITE_IV; i++)
    b->origin[i] = FROM_DERIVED;
}

static const br_hash_class *
mac_hash (const HlSuite *suite)
{
  return suite->mac == HL_HASH_SHA1     ? &br_sha1_vtable
         : suite->mac == HL_HASH_SHA256 ? &br_sha256_vtable
                                        : &br_sha384_vtable;
}

/* TLS 1.0-1.2: BearSSL's record decryption with the sender's keys from the key block. */
static gboolean
init_in12 (Build *b, HlSide from)
{
  Dir *d = &b->d[from];
  gboolean client = from == HL_SIDE_CLIENT;
  GBytes *kv = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_KEY : HL_SECRET_SERVER_WRITE_KEY];
  GBytes *iv = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_IV : HL_SECRET_SERVER_WRITE_IV];
  GBytes *mv
      = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_MAC_KEY : HL_SECRET_SERVER_WRITE_MAC_KEY];
  const guint8 *key, *ivp, *mac;
  if (!kv || !iv || !mv || !b->suite)
    return FALSE;
  key = g_bytes_get_data (kv, NULL);
  ivp = g_bytes_get_data (iv, NULL);
  mac = g_bytes_get_data (mv, NULL);
  switch (b->suite->cipher) {
  case HL_CIPHER_AES_GCM:
    br_sslrec_in_gcm_vtable.init (&d->in.gcm.vtable.in, &br_aes_ct_ctr_vtable, key,
                                  b->suite->key_len, br_ghash_ctmul, ivp);
    break;
  case HL_CIPHER_CHACHA20_POLY1305:
    br_sslrec_in_chapol_vtable.init (&d->in.chapol.vtable.in, br_chacha20_ct_run,
                                     br_poly1305_ctmul_run, key, ivp);
    break;
  case HL_CIPHER_AES_CCM:
  case HL_CIPHER_AES_CCM8:
    br_sslrec_in_ccm_vtable.init (&d->in.ccm.vtable.in, &br_aes_ct_ctrcbc_vtable, key,
                                  b->suite->key_len, ivp,
                                  b->suite->cipher == HL_CIPHER_AES_CCM ? 16 : 8);
    break;
  case HL_CIPHER_AES_CBC:
  case HL_CIPHER_3DES_CBC: {
    guint maclen = hl_suite_mac_key_len (b->suite);
    br_sslrec_in_cbc_vtable.init (&d->in.cbc.vtable,
                                  b->suite->cipher == HL_CIPHER_AES_CBC ? &br_aes_ct_cbcdec_vtable
                                                                        : &br_des_ct_cbcdec_vtable,
                                  key, b->suite->key_len, mac_hash (b->suite), mac, maclen, maclen,
                                  b->c->version <= 0x0301 ? ivp : NULL);
    break;
  }
  default:
    return FALSE;
  }
  d->in_ready = TRUE;
  return TRUE;
}

/* RFC 7366 encrypt-then-MAC, which BearSSL's record layer does not do: the MAC covers
 * the IV and ciphertext (HMAC(mac_key, seq + type + version + length + IV + ciphertext)),
 * is checked first, and only then is the CBC ciphertext decrypted and unpadded. */
static GBytes *
open_etm (Build *b, HlSide from, guint8 ct, guint16 version, const guint8 *payload, gsize len)
{
  Dir *d = &b->d[from];
  gboolean client = from == HL_SIDE_CLIENT;
  GBytes *kv = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_KEY : HL_SECRET_SERVER_WRITE_KEY];
  GBytes *iv = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_IV : HL_SECRET_SERVER_WRITE_IV];
  GBytes *mv
      = b->sec.value[client ? HL_SECRET_CLIENT_WRITE_MAC_KEY : HL_SECRET_SERVER_WRITE_MAC_KEY];
  gsize maclen, block = b->suite->cipher == HL_CIPHER_AES_CBC ? 16 : 8;
  gsize ivlen = b->c->version >= 0x0302 ? block : 0, clen;
  guint8 head[13], mac[64], chain[16];
  br_hmac_key_context kc;
  br_hmac_context hc;
  g_autofree guint8 *buf = NULL;
  guint pad;
  if (!kv || !mv || !iv)
    return NULL;
  maclen = g_bytes_get_size (mv);
  if (len < ivlen + block + maclen || (len - ivlen - maclen) % block)
    return NULL;
  clen = len - ivlen - maclen;
  for (int i = 0; i < 8; i++)
    head[i] = (guint8)(d->etm_seq >> (56 - 8 * i));
  head[8] = ct;
  head[9] = version >> 8;
  head[10] = version & 0xff;
  head[11] = (guint8)((len - maclen) >> 8);
  head[12] = (guint8)(len - maclen);
  br_hmac_key_init (&kc, mac_hash (b->suite), g_bytes_get_data (mv, NULL), maclen);
  br_hmac_init (&hc, &kc, 0);
  br_hmac_update (&hc, head, 13);
  br_hmac_update (&hc, payload, len - maclen);
  br_hmac_out (&hc, mac);
  if (memcmp (mac, payload + len - maclen, maclen) != 0)
    return NULL;
  d->etm_seq++;
  if (ivlen)
    memcpy (chain, payload, block);
  else if (d->etm_iv_set)
    memcpy (chain, d->etm_iv, block);
  else if (g_bytes_get_size (iv) >= block)
    memcpy (chain, g_bytes_get_data (iv, NULL), block);
  else
    return NULL;
  memcpy (d->etm_iv, payload + ivlen + clen - block, block);
  d->etm_iv_set = TRUE;
  buf = g_memdup2 (payload + ivlen, clen);
  if (b->suite->cipher == HL_CIPHER_AES_CBC) {
    br_aes_ct_cbcdec_keys k;
    br_aes_ct_cbcdec_init (&k, g_bytes_get_data (kv, NULL), g_bytes_get_size (kv));
    br_aes_ct_cbcdec_run (&k, chain, buf, clen);
  } else {
    br_des_ct_cbcdec_keys k;
    br_des_ct_cbcdec_init (&k, g_bytes_get_data (kv, NULL), g_bytes_get_size (kv));
    br_des_ct_cbcdec_run (&k, chain, buf, clen);
  }
  pad = buf[clen - 1];
  if ((gsize)pad + 1 > clen)
    return NULL;
  return g_bytes_new (buf, clen - pad - 1);
}

/* TLS 1.3: the keys and IVs of a traffic secret (RFC 8446 7.3), kept as derived. */
static void
derive13 (Build *b, HlSecretId traffic, HlSecretId key_id, HlSecretId iv_id, HlSecretId fin_id)
{
  HlTls13Keys k;
  if (!b->sec.value[traffic] || !b->suite || b->sec.value[key_id])
    return;
  hl_tls13_keys_from_secret (b->suite, g_bytes_get_data (b->sec.value[traffic], NULL), &k);
  set_secret (b, key_id, k.key, k.key_len, FROM_DERIVED);
  set_secret (b, iv_id, k.iv, sizeof k.iv, FROM_DERIVED);
  if (fin_id != HL_N_SECRETS) {
    guint8 fk[HL_TLS13_MAX_HASH];
    gsize hl = hl_tls13_hash_len (b->suite->prf);
    hl_tls13_expand_label (b->suite->prf, g_bytes_get_data (b->sec.value[traffic], NULL),
                           "finished", NULL, 0, fk, hl);
    set_secret (b, fin_id, fk, hl, FROM_DERIVED);
  }
}

/* The logged secrets of this connection: key log lines name it by its client random. */
static void
take_logged (Build *b)
{
  for (guint i = 0; i < b->r->rec->logged->len; i++) {
    Logged *l = g_ptr_array_index (b->r->rec->logged, i);
    HlSecretId id = key_labels[l->label].id;
    if (memcmp (l->random, b->client_random, 32) != 0 || id == HL_N_SECRETS)
      continue;
    if (!b->sec.value[id]) {
      set_secret (b, id, g_bytes_get_data (l->value, NULL), g_bytes_get_size (l->value),
                  FROM_KEYLOG);
      b->label[id] = key_labels[l->label].label;
    }
  }
}

/* ---------- Steps ---------- */

static gboolean
same_name (const HlStep *st, const char *name)
{
  return strcmp (st->message, name) == 0;
}

/* Finished, recomputed from the recorded handshake and the logged secrets. */
static char *
check_finished (Build *b, HlStep *st, const guint8 *msg, gsize len)
{
  gboolean client = st->from == HL_SIDE_CLIENT;
  guint8 expect[HL_TLS13_MAX_HASH];
  gsize elen;
  g_autofree char *want = NULL, *got = NULL;
  if (len < 4)
    return NULL;
  if (b->tls13) {
    GBytes *fk
        = b->sec.value[client ? HL_SECRET_CLIENT_FINISHED_KEY : HL_SECRET_SERVER_FINISHED_KEY];
    g_autoptr (GByteArray) tr = NULL;
    guint8 hash[HL_TLS13_MAX_HASH];
    if (!fk)
      return NULL;
    elen = hl_tls13_hash_len (b->suite->prf);
    tr = hl_tls13_transcript (b->suite->prf, b->transcript->data, b->transcript->len);
    hl_tls13_hash (b->suite->prf, tr->data, tr->len, hash);
    hl_tls13_hmac (b->suite->prf, g_bytes_get_data (fk, NULL), g_bytes_get_size (fk), hash, elen,
                   expect);
  } else {
    GBytes *ms = b->sec.value[HL_SECRET_MASTER];
    guint8 hash[64];
    gsize hlen;
    if (!ms || !b->suite)
      return NULL;
    if (b->c->version < 0x0303) {
      br_md5_context m;
      br_sha1_context s;
      br_md5_init (&m);
      br_md5_update (&m, b->transcript->data, b->transcript->len);
      br_md5_out (&m, hash);
      br_sha1_init (&s);
      br_sha1_update (&s, b->transcript->data, b->transcript->len);
      br_sha1_out (&s, hash + 16);
      hlen = 36;
    } else {
      hl_tls13_hash (b->suite->prf, b->transcript->data, b->transcript->len, hash);
      hlen = hl_tls13_hash_len (b->suite->prf);
    }
    elen = 12;
    prf12 (b, g_bytes_get_data (ms, NULL), g_bytes_get_size (ms),
           client ? "client finished" : "server finished", hash, NULL, hlen, expect, elen);
  }
  want = hl_hex (expect, elen);
  got = hl_hex (msg + 4, len - 4);
  if (len - 4 == elen && memcmp (expect, msg + 4, elen) == 0) {
    set_secret (b, client ? HL_SECRET_CLIENT_VERIFY_DATA : HL_SECRET_SERVER_VERIFY_DATA, expect,
                elen, FROM_DERIVED);
    return g_strdup_printf (
        b->tls13 ? _ ("verify_data recomputed by the lab: HMAC(finished_key, Hash(the %u "
                      "handshake bytes recorded before it)) = %s, as on the wire: this recording "
                      "and this key log are the handshake both sides saw.")
                 : _ ("verify_data recomputed by the lab: PRF(master_secret, Hash(the %u "
                      "handshake bytes recorded before it))[0..12] = %s, as on the wire: this "
                      "recording and this key log are the handshake both sides saw."),
        b->transcript->len, want);
  }
  return g_strdup_printf (_ ("verify_data recomputed by the lab from the %u handshake bytes "
                             "recorded before it is %s, but the wire says %s: the key log does "
                             "not belong to this handshake, or the recording lost a message."),
                          b->transcript->len, want, got);
}

/* What the sides learn with this message (both hold what the lab can see; see the
 * file's comment). */
static void
learn_from_step (Build *b, HlStep *st)
{
  guint i = st->index;
  int t = st->handshake_type;
  if (st->content_type != HL_CONTENT_HANDSHAKE || !(st->plaintext || !st->encrypted))
    return;
  if (t == HL_HANDSHAKE_CLIENT_HELLO) {
    learn (b, HL_SECRET_CLIENT_RANDOM, i);
    if (b->tls13) {
      learn (b, HL_SECRET_CLIENT_ECDH_PUBLIC, i);
      learn (b, HL_SECRET_CLIENT_EARLY_TRAFFIC, i);
    }
  } else if (t == HL_HANDSHAKE_SERVER_HELLO && same_name (st, "ServerHello")) {
    static const HlSecretId at_sh13[]
        = { HL_SECRET_SERVER_ECDH_PUBLIC,       HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC,
            HL_SECRET_SERVER_HANDSHAKE_TRAFFIC, HL_SECRET_CLIENT_HANDSHAKE_KEY,
            HL_SECRET_CLIENT_HANDSHAKE_IV,      HL_SECRET_SERVER_HANDSHAKE_KEY,
            HL_SECRET_SERVER_HANDSHAKE_IV,      HL_SECRET_CLIENT_FINISHED_KEY,
            HL_SECRET_SERVER_FINISHED_KEY };
    learn (b, HL_SECRET_SERVER_RANDOM, i);
    learn (b, HL_SECRET_SESSION_ID, i);
    for (guint k = 0; b->tls13 && k < G_N_ELEMENTS (at_sh13); k++)
      learn (b, at_sh13[k], i);
  } else if (t == HL_HANDSHAKE_SERVER_KEY_EXCHANGE) {
    learn (b, HL_SECRET_SERVER_ECDH_PUBLIC, i);
  } else if (t == HL_HANDSHAKE_CLIENT_KEY_EXCHANGE) {
    learn (b, HL_SECRET_CLIENT_ECDH_PUBLIC, i);
  } else if (t == HL_HANDSHAKE_FINISHED && st->from == HL_SIDE_SERVER) {
    static const HlSecretId at_fin13[] = {
      HL_SECRET_CLIENT_APPLICATION_TRAFFIC,
      HL_SECRET_SERVER_APPLICATION_TRAFFIC,
      HL_SECRET_CLIENT_APPLICATION_KEY,
      HL_SECRET_CLIENT_APPLICATION_IV,
      HL_SECRET_SERVER_APPLICATION_KEY,
      HL_SECRET_SERVER_APPLICATION_IV,
      HL_SECRET_EXPORTER_MASTER,
    };
    learn (b, HL_SECRET_SERVER_VERIFY_DATA, i);
    for (guint k = 0; b->tls13 && k < G_N_ELEMENTS (at_fin13); k++)
      learn (b, at_fin13[k], i);
  } else if (t == HL_HANDSHAKE_FINISHED) {
    learn (b, HL_SECRET_CLIENT_VERIFY_DATA, i);
  } else if (t == HL_HANDSHAKE_KEY_UPDATE) {
    learn (b,
           st->from == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1
                                      : HL_SECRET_SERVER_APPLICATION_TRAFFIC_1,
           i);
  }
  /* TLS 1.0-1.2: each side holds the master secret and its keys once the key exchange is
   * done: at ClientKeyExchange, or at ServerHello when a session is resumed. */
  if ((t == HL_HANDSHAKE_CLIENT_KEY_EXCHANGE || (t == HL_HANDSHAKE_SERVER_HELLO && b->resumed))
      && !b->tls13)
    for (int k = HL_SECRET_PREMASTER; k <= HL_SECRET_SERVER_WRITE_IV; k++)
      learn (b, k, i);
}

static void
decode (Build *b, HlStep *st, gssize record_content_len)
{
  gsize wlen, clen = 0;
  const guint8 *w = g_bytes_get_data (st->wire, &wlen);
  const guint8 *content = st->plaintext ? g_bytes_get_data (st->plaintext, &clen) : NULL;
  HlDecodeContext ctx = { 0 };
  guint version = b->saw_sh ? b->c->version : 0;
  ctx.version = version;
  ctx.suite = b->saw_sh ? b->c->suite : 0;
  ctx.from_server = st->from == HL_SIDE_SERVER;
  if (!st->encrypted) {
    content = w;
    clen = wlen;
  }
  /* Like a live run, TLS 1.3 from the ClientHello on when the server takes it (its
   * answer, read ahead, says so). */
  st->tls13 = b->tls13 || b->expect13;
  if (st->encrypted && !st->plaintext)
    st->fields = hl_decode_encrypted_record (w, wlen, version, ctx.suite, -1);
  else if (st->content_type == HL_CONTENT_HANDSHAKE)
    st->fields = hl_decode_handshake (content, clen, &ctx);
  else if (st->content_type == HL_CONTENT_ALERT)
    st->fields = hl_decode_alert (content, clen);
  else if (st->content_type == HL_CONTENT_CHANGE_CIPHER_SPEC)
    st->fields = hl_decode_change_cipher_spec (content, clen);
  else
    st->fields = hl_decode_application_data (content, clen);
  if (st->record_wire) {
    gsize rlen;
    const guint8 *rd = g_bytes_get_data (st->record_wire, &rlen);
    st->record_fields
        = hl_decode_records (rd, rlen, st->encrypted, version, ctx.suite, record_content_len);
  }
  st->close_notify = same_name (st, "Alert") && content && clen >= 2 && content[1] == 0;
  st->summary = _hl_run_summarize (st, content, clen, b->tls13 ? 0x0304 : version, b->suite);
  st->story = _hl_run_tell_story (st, b->suite, b->resumed, b->tls13);
}

static HlStep *
emit (Build *b, HlSide from, const char *name, guint8 ct, int hs_type, gboolean encrypted,
      GBytes *wire, GBytes *plaintext, Dir *records, gssize record_content_len)
{
  HlStep *st = g_new0 (HlStep, 1);
  st->index = b->r->all->len + 1;
  st->connection = b->conn_index;
  st->from = from;
  st->message = g_strdup (name);
  st->content_type = ct;
  st->handshake_type = hs_type;
  st->encrypted = encrypted;
  st->wire = wire;
  st->plaintext = plaintext;
  st->records = g_array_new (FALSE, TRUE, sizeof (HlRecordHeader));
  g_array_append_vals (st->records, records->headers->data, records->headers->len);
  st->record_wire = g_bytes_new (records->recs->data, records->recs->len);
  st->delivered = TRUE;
  st->accepted = TRUE;
  st->early = b->early_now && ct == HL_CONTENT_APPLICATION_DATA;
  decode (b, st, record_content_len);
  return st;
}

static void
add_step (Build *b, HlStep *st)
{
  learn_from_step (b, st);
  fill_after (b, st);
  g_ptr_array_add (b->r->all, st);
  g_array_append_val (b->r->times, b->time_us);
  g_ptr_array_add (b->info->steps, st);
}

static void
reset_records (Dir *d)
{
  g_byte_array_set_size (d->recs, 0);
  g_byte_array_set_size (d->payload, 0);
  g_array_set_size (d->headers, 0);
  d->content_len = 0;
}

/* What the hellos say: randoms, session id, version, suite, key shares, names. */
static void
note_hello (Build *b, const guint8 *m, gsize len, HlStep *st)
{
  const guint8 *ext;
  gsize elen;
  if (len < 39)
    return;
  if (m[0] == HL_HANDSHAKE_CLIENT_HELLO) {
    gsize sid = m[38];
    if (!b->have_cr) {
      memcpy (b->client_random, m + 6, 32);
      b->have_cr = TRUE;
      set_secret (b, HL_SECRET_CLIENT_RANDOM, m + 6, 32, FROM_WIRE);
      take_logged (b);
    }
    if (39 + sid <= len) {
      g_byte_array_set_size (b->client_sid, 0);
      g_byte_array_append (b->client_sid, m + 39, sid);
    }
    if (hl_hello_find_extension (m, len, 0, &ext, &elen) && elen > 5 && ext[2] == 0) {
      gsize n = (gsize)ext[3] << 8 | ext[4];
      if (5 + n <= elen && !b->c->server_name)
        b->c->server_name = g_strndup ((const char *)ext + 5, n);
    }
    if (hl_hello_find_extension (m, len, 42, &ext, &elen))
      b->early_offered = TRUE;
    /* TLS 1.3 key_share: the client's share for the group the server took (or the first). */
    if (b->tls13 && hl_hello_find_extension (m, len, 51, &ext, &elen) && elen >= 6) {
      gsize n = (gsize)ext[4] << 8 | ext[5];
      if (6 + n <= elen) {
        g_clear_pointer (&b->sec.value[HL_SECRET_CLIENT_ECDH_PUBLIC], g_bytes_unref);
        b->learned[HL_SECRET_CLIENT_ECDH_PUBLIC] = 0;
        set_secret (b, HL_SECRET_CLIENT_ECDH_PUBLIC, ext + 6, n, FROM_WIRE);
      }
    }
    return;
  }
  if (hl_tls13_is_hello_retry (m, len)) {
    b->c->hello_retry = TRUE;
    b->tls13 = TRUE; /* only TLS 1.3 has a HelloRetryRequest */
    return;
  }
  {
    gsize sid = m[38];
    if (39 + sid + 3 > len)
      return;
    memcpy (b->server_random, m + 6, 32);
    b->have_sr = TRUE;
    b->saw_sh = TRUE;
    set_secret (b, HL_SECRET_SERVER_RANDOM, m + 6, 32, FROM_WIRE);
    if (sid)
      set_secret (b, HL_SECRET_SESSION_ID, m + 39, sid, FROM_WIRE);
    b->c->version = m[4] << 8 | m[5];
    b->c->suite = m[39 + sid] << 8 | m[40 + sid];
    if (hl_hello_find_extension (m, len, 43, &ext, &elen) && elen == 2)
      b->c->version = ext[0] << 8 | ext[1];
    b->suite = hl_suite_by_id (b->c->suite);
    b->tls13 = b->c->version == 0x0304;
    if (b->tls13) {
      b->resumed = hl_hello_find_extension (m, len, 41, &ext, &elen);
      if (hl_hello_find_extension (m, len, 51, &ext, &elen) && elen >= 4) {
        gsize n = (gsize)ext[2] << 8 | ext[3];
        b->c->curve = ext[0] << 8 | ext[1];
        if (4 + n <= elen)
          set_secret (b, HL_SECRET_SERVER_ECDH_PUBLIC, ext + 4, n, FROM_WIRE);
      }
      derive13 (b, HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC, HL_SECRET_CLIENT_HANDSHAKE_KEY,
                HL_SECRET_CLIENT_HANDSHAKE_IV, HL_SECRET_CLIENT_FINISHED_KEY);
      derive13 (b, HL_SECRET_SERVER_HANDSHAKE_TRAFFIC, HL_SECRET_SERVER_HANDSHAKE_KEY,
                HL_SECRET_SERVER_HANDSHAKE_IV, HL_SECRET_SERVER_FINISHED_KEY);
      derive13 (b, HL_SECRET_CLIENT_APPLICATION_TRAFFIC, HL_SECRET_CLIENT_APPLICATION_KEY,
                HL_SECRET_CLIENT_APPLICATION_IV, HL_N_SECRETS);
      derive13 (b, HL_SECRET_SERVER_APPLICATION_TRAFFIC, HL_SECRET_SERVER_APPLICATION_KEY,
                HL_SECRET_SERVER_APPLICATION_IV, HL_N_SECRETS);
    } else {
      /* The same non-empty session id back: the server resumes the cached session. */
      b->resumed = sid && sid == (gsize)b->client_sid->len
                   && memcmp (m + 39, b->client_sid->data, sid) == 0;
      b->ems = hl_hello_find_extension (m, len, 23, &ext, &elen);
      b->etm = hl_hello_find_extension (m, len, 22, &ext, &elen) && b->suite
               && (b->suite->cipher == HL_CIPHER_AES_CBC || b->suite->cipher == HL_CIPHER_3DES_CBC);
      if (hl_hello_find_extension (m, len, 16, &ext, &elen) && elen > 3 && 3 + (gsize)ext[2] <= elen
          && !b->c->alpn)
        b->c->alpn = g_strndup ((const char *)ext + 3, ext[2]);
      derive_key_block (b);
    }
  }
  (void)st;
}

/* TLS 1.3 EncryptedExtensions: the ALPN protocol the server chose. */
static void
note_encrypted_extensions (Build *b, const guint8 *m, gsize len)
{
  gsize off = 6, end;
  if (len < 6)
    return;
  end = MIN (len, 6 + ((gsize)m[4] << 8 | m[5]));
  while (off + 4 <= end) {
    guint16 t = m[off] << 8 | m[off + 1];
    gsize n = (gsize)m[off + 2] << 8 | m[off + 3];
    if (off + 4 + n > end)
      return;
    if (t == 16 && n > 3 && 3 + (gsize)m[off + 6] <= n && !b->c->alpn)
      b->c->alpn = g_strndup ((const char *)m + off + 7, m[off + 6]);
    off += 4 + n;
  }
}

/* TLS 1.0-1.2 ServerKeyExchange (ECDHE: named curve, then the point) and
 * ClientKeyExchange (ECDH: the client's point): public shares, read on the wire. */
static void
note_key_exchange (Build *b, const guint8 *m, gsize len)
{
  if (b->tls13 || !b->suite || !hl_suite_is_ecdh (b->suite))
    return;
  if (m[0] == HL_HANDSHAKE_SERVER_KEY_EXCHANGE && len > 8 && m[4] == 3 && 8 + (gsize)m[7] <= len) {
    b->c->curve = m[5] << 8 | m[6];
    set_secret (b, HL_SECRET_SERVER_ECDH_PUBLIC, m + 8, m[7], FROM_WIRE);
  } else if (m[0] == HL_HANDSHAKE_CLIENT_KEY_EXCHANGE && len > 5 && 5 + (gsize)m[4] <= len) {
    set_secret (b, HL_SECRET_CLIENT_ECDH_PUBLIC, m + 5, m[4], FROM_WIRE);
  }
}

/* RSA key exchange (or static ECDH) with the server's private key: the premaster from the
 * ClientKeyExchange (the RSA ciphertext, or the client's point times the key), then
 * master_secret = PRF(premaster, "master secret", client_random + server_random)
 * (RFC 5246 8.1), or, with extended master secret (RFC 7627), PRF(premaster,
 * "extended master secret", Hash(the handshake up to this ClientKeyExchange)). Called
 * with the ClientKeyExchange already in the transcript. */
static void
open_key_exchange (Build *b, const guint8 *m, gsize len)
{
  guint8 pms[66], ms[48];
  gsize clen, pms_len = 0;
  gboolean rsa = b->suite && b->suite->kex == HL_KEX_RSA;
  gboolean ecdh
      = b->suite && (b->suite->kex == HL_KEX_ECDH_RSA || b->suite->kex == HL_KEX_ECDH_ECDSA);
  if (b->tls13 || !(rsa || ecdh) || b->sec.value[HL_SECRET_MASTER] || len < 6)
    return;
  /* RSA: a 2-byte length, then the ciphertext; static ECDH: a 1-byte length, the point. */
  clen = rsa ? (gsize)m[4] << 8 | m[5] : m[4];
  if ((rsa ? 6 : 5) + clen != len)
    return;
  for (guint i = 0; i < b->r->rec->keys->len && !pms_len; i++) {
    const HlRecordedKey *k = g_ptr_array_index (b->r->rec->keys, i);
    if (rsa && _hl_recorded_key_decrypt (k, m + 6, clen, pms))
      pms_len = 48;
    else if (ecdh && !_hl_recorded_key_ecdh (k, 0, m + 5, clen, pms, &pms_len))
      pms_len = 0;
    if (pms_len)
      b->key_path = _hl_recorded_key_path (k);
  }
  if (!pms_len)
    return;
  set_secret (b, HL_SECRET_PREMASTER, pms, pms_len, FROM_PRIVATE_KEY);
  if (b->ems) {
    guint8 hash[64];
    gsize hlen;
    if (b->c->version < 0x0303) {
      br_md5_context m5;
      br_sha1_context s1;
      br_md5_init (&m5);
      br_md5_update (&m5, b->transcript->data, b->transcript->len);
      br_md5_out (&m5, hash);
      br_sha1_init (&s1);
      br_sha1_update (&s1, b->transcript->data, b->transcript->len);
      br_sha1_out (&s1, hash + 16);
      hlen = 36;
    } else {
      hl_tls13_hash (b->suite->prf, b->transcript->data, b->transcript->len, hash);
      hlen = hl_tls13_hash_len (b->suite->prf);
    }
    prf12 (b, pms, pms_len, "extended master secret", hash, NULL, hlen, ms, 48);
  } else {
    prf12 (b, pms, pms_len, "master secret", b->client_random, b->server_random, 32, ms, 48);
  }
  set_secret (b, HL_SECRET_MASTER, ms, 48, FROM_DERIVED);
  derive_key_block (b);
}

/* One whole handshake message from a side, plaintext or decrypted. */
static void
take_message (Build *b, HlSide from, const guint8 *m, gsize len)
{
  Dir *d = &b->d[from];
  const char *name = hl_handshake_type_name (m[0]);
  GBytes *wire, *plain = NULL;
  HlStep *st;
  gboolean in_transcript;
  if (m[0] == HL_HANDSHAKE_CLIENT_HELLO || m[0] == HL_HANDSHAKE_SERVER_HELLO)
    note_hello (b, m, len, NULL);
  if (hl_tls13_is_hello_retry (m, len))
    name = "HelloRetryRequest";
  if (m[0] == HL_HANDSHAKE_ENCRYPTED_EXTENSIONS)
    note_encrypted_extensions (b, m, len);
  note_key_exchange (b, m, len);
  if (d->hs_encrypted) {
    wire = g_bytes_new (d->payload->data, d->payload->len);
    plain = g_bytes_new (m, len);
  } else {
    wire = g_bytes_new (m, len);
  }
  /* TLS 1.3 hashes the handshake up to the client's Finished; later messages
   * (NewSessionTicket, KeyUpdate) are not part of it. HelloRequest never is. */
  in_transcript
      = !b->transcript_done && m[0] != HL_HANDSHAKE_HELLO_REQUEST
        && !(b->tls13
             && (m[0] == HL_HANDSHAKE_NEW_SESSION_TICKET || m[0] == HL_HANDSHAKE_KEY_UPDATE));
  st = emit (b, from, name ? name : "Unknown", HL_CONTENT_HANDSHAKE, m[0], d->hs_encrypted, wire,
             plain, d, d->headers->len == 1 ? d->content_len : -1);
  if (m[0] == HL_HANDSHAKE_FINISHED) {
    st->check = check_finished (b, st, m, len);
    d->finished = TRUE;
  }
  if (in_transcript)
    g_byte_array_append (b->transcript, m, len);
  if (m[0] == HL_HANDSHAKE_CLIENT_KEY_EXCHANGE && b->r->rec->keys->len)
    open_key_exchange (b, m, len);
  if (m[0] == HL_HANDSHAKE_FINISHED && b->d[0].finished && b->d[1].finished)
    b->transcript_done = TRUE;
  if (m[0] == HL_HANDSHAKE_KEY_UPDATE && b->tls13)
    d->update_next = TRUE;
  add_step (b, st);
}

static void
take_handshake_bytes (Build *b, HlSide from)
{
  Dir *d = &b->d[from];
  while (d->hs->len >= 4) {
    const guint8 *h = d->hs->data;
    gsize mlen = 4 + ((gsize)h[1] << 16 | (gsize)h[2] << 8 | h[3]);
    if (d->hs->len < mlen)
      return;
    take_message (b, from, h, mlen);
    g_byte_array_remove_range (d->hs, 0, mlen);
    /* A record that held more than this message stays with the next one. */
    if (d->hs->len == 0)
      reset_records (d);
  }
}

/* A step for a record that is not a handshake message: alerts (2 bytes each),
 * ChangeCipherSpec, application data, or an encrypted record no key opens. */
static void
take_other (Build *b, HlSide from, guint8 ct, const guint8 *payload, gsize len,
            const guint8 *content, gsize clen, gboolean encrypted, gboolean opened)
{
  Dir *d = &b->d[from];
  if (encrypted && !opened) {
    const char *name = "ApplicationData";
    int hs_type = -1;
    if (ct == HL_CONTENT_ALERT)
      name = "Alert";
    else if (ct == HL_CONTENT_HANDSHAKE && !b->tls13) {
      /* TLS 1.0-1.2: the first encrypted handshake message is the Finished. */
      hs_type = HL_HANDSHAKE_FINISHED;
      name = d->n_enc_handshake++ ? "Unknown" : "Finished";
      d->finished = TRUE;
    }
    add_step (b, emit (b, from, name, ct, hs_type, TRUE, g_bytes_new (payload, len), NULL, d, -1));
    return;
  }
  if (ct == HL_CONTENT_ALERT) {
    for (gsize off = 0; off + 2 <= clen; off += 2) {
      GBytes *wire = encrypted ? g_bytes_new (payload, len) : g_bytes_new (content + off, 2);
      GBytes *plain = encrypted ? g_bytes_new (content + off, 2) : NULL;
      if (content[off] == 2)
        b->fatal = TRUE;
      add_step (b, emit (b, from, "Alert", ct, -1, encrypted, wire, plain, d,
                         encrypted ? (gssize)clen : -1));
    }
    return;
  }
  add_step (b, emit (b, from,
                     ct == HL_CONTENT_CHANGE_CIPHER_SPEC ? "ChangeCipherSpec" : "ApplicationData",
                     ct, -1, encrypted, g_bytes_new (payload, len),
                     encrypted ? g_bytes_new (content, clen) : NULL, d,
                     encrypted ? (gssize)clen : -1));
}

/* TLS 1.3: opens a record with the sender's traffic secret in use, or the next one (a
 * new secret starts at sequence 0: the AEAD tag tells which the sender used). */
static GBytes *
open13 (Build *b, HlSide from, const guint8 *payload, gsize len)
{
  Dir *d = &b->d[from];
  static const HlSecretId client_order[]
      = { HL_SECRET_CLIENT_EARLY_TRAFFIC, HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC,
          HL_SECRET_CLIENT_APPLICATION_TRAFFIC };
  static const HlSecretId server_order[]
      = { HL_N_SECRETS, HL_SECRET_SERVER_HANDSHAKE_TRAFFIC, HL_SECRET_SERVER_APPLICATION_TRAFFIC };
  const HlSecretId *order = from == HL_SIDE_CLIENT ? client_order : server_order;
  HlTls13Keys k;
  GBytes *inner;
  /* 0-RTT data comes before the ServerHello: its suite is the resumed session's, which
   * the ServerHello (read ahead) confirms. */
  const HlSuite *suite = b->suite ? b->suite : b->early_suite;
  if (!suite)
    return NULL;
  if (d->update_next && d->secret) {
    /* application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length)
     */
    guint8 next[HL_TLS13_MAX_HASH];
    gsize hl = hl_tls13_hash_len (suite->prf);
    hl_tls13_expand_label (suite->prf, g_bytes_get_data (d->secret, NULL), "traffic upd", NULL, 0,
                           next, hl);
    if (d->stage == 2)
      set_secret (b,
                  from == HL_SIDE_CLIENT ? HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1
                                         : HL_SECRET_SERVER_APPLICATION_TRAFFIC_1,
                  next, hl, FROM_DERIVED);
    g_bytes_unref (d->secret);
    d->secret = g_bytes_new (next, hl);
    d->seq = 0;
    d->stage++;
    d->update_next = FALSE;
  }
  if (d->secret) {
    hl_tls13_keys_from_secret (suite, g_bytes_get_data (d->secret, NULL), &k);
    k.seq = d->seq;
    if ((inner = hl_tls13_open (&k, payload, len))) {
      d->seq++;
      return inner;
    }
  }
  for (int s = MAX (d->stage + (d->secret ? 1 : 0), 0); s < 3; s++) {
    GBytes *secret = order[s] == HL_N_SECRETS ? NULL : b->sec.value[order[s]];
    if (!secret)
      continue;
    hl_tls13_keys_from_secret (suite, g_bytes_get_data (secret, NULL), &k);
    k.seq = 0;
    if ((inner = hl_tls13_open (&k, payload, len))) {
      g_clear_pointer (&d->secret, g_bytes_unref);
      d->secret = g_bytes_ref (secret);
      d->stage = s;
      d->seq = 1;
      return inner;
    }
  }
  return NULL;
}

static void
take_record (Build *b, HlSide from, guint8 ct, guint16 version, const guint8 *payload, gsize len)
{
  Dir *d = &b->d[from];
  guint8 hdr[5] = { ct, version >> 8, version & 0xff, len >> 8, len & 0xff };
  HlRecordHeader rh = { ct, version, (guint16)len };
  gboolean encrypted = FALSE;
  g_autoptr (GBytes) plain = NULL;
  guint8 inner_type = ct;
  const guint8 *content = payload;
  gsize clen = len;
  if (d->hs->len == 0)
    reset_records (d);
  b->early_now = FALSE;
  g_byte_array_append (d->recs, hdr, 5);
  g_byte_array_append (d->recs, payload, len);
  g_byte_array_append (d->payload, payload, len);
  g_array_append_val (d->headers, rh);
  if ((b->tls13 || b->expect13) && ct == HL_CONTENT_APPLICATION_DATA
      && (from == HL_SIDE_SERVER ? b->saw_sh : TRUE)) {
    /* TLS 1.3: every protected record says 23 outside; its real type is inside. */
    encrypted = TRUE;
    plain = open13 (b, from, payload, len);
    b->early_now = plain && from == HL_SIDE_CLIENT && d->stage == 0;
    if (plain) {
      gsize ilen;
      const guint8 *in = g_bytes_get_data (plain, &ilen);
      inner_type = hl_tls13_inner_type (in, ilen, &clen);
      content = in;
    }
  } else if (d->encrypting && ct != HL_CONTENT_CHANGE_CIPHER_SPEC) {
    encrypted = TRUE;
    if (b->etm) {
      plain = open_etm (b, from, ct, version, payload, len);
      if (plain)
        content = g_bytes_get_data (plain, &clen);
    } else if (!d->in_ready)
      init_in12 (b, from);
    if (!b->etm && d->in_ready && d->in.vtable->check_length (&d->in.vtable, len)) {
      g_autofree guint8 *copy = g_memdup2 (payload, len ? len : 1);
      size_t plen = len;
      unsigned char *pt = d->in.vtable->decrypt (&d->in.vtable, ct, version, copy, &plen);
      if (pt) {
        plain = g_bytes_new (pt, plen);
        content = g_bytes_get_data (plain, &clen);
      }
    }
  }
  if (encrypted) {
    d->n_encrypted++;
    if (plain)
      b->info->info.keys_known = TRUE;
  }
  if (encrypted && !plain) {
    take_other (b, from, ct, payload, len, NULL, 0, TRUE, FALSE);
    reset_records (d);
    return;
  }
  d->content_len += clen;
  if (inner_type == HL_CONTENT_HANDSHAKE) {
    d->hs_encrypted = encrypted;
    g_byte_array_append (d->hs, content, clen);
    take_handshake_bytes (b, from);
    return;
  }
  take_other (b, from, inner_type, payload, len, content, clen, encrypted, TRUE);
  reset_records (d);
  /* TLS 1.0-1.2: ChangeCipherSpec turns on the sender's keys for what follows. In TLS 1.3
   * it is a disguise for middleboxes and changes nothing. */
  if (inner_type == HL_CONTENT_CHANGE_CIPHER_SPEC && !encrypted && !b->tls13 && !b->expect13) {
    /* The server changing keys first is the abbreviated handshake: a resumed session
     * (its session id or ticket), whose master secret both sides already hold. */
    if (from == HL_SIDE_SERVER && !b->d[HL_SIDE_CLIENT].encrypting && !b->resumed) {
      HlStep *last = g_ptr_array_index (b->r->all, b->r->all->len - 1);
      b->resumed = TRUE;
      for (int k = HL_SECRET_MASTER; k <= HL_SECRET_SERVER_WRITE_IV; k++)
        learn (b, k, last->index);
    }
    d->encrypting = TRUE;
    d->in_ready = FALSE;
    derive_key_block (b);
  }
}

/* ---------- Records from the byte streams ---------- */

typedef struct {
  HlSide from;
  gsize off; /* of the header in the stream */
  guint64 order;
  gint64 time_us;
} Rec;

static gint
by_order (gconstpointer a, gconstpointer b)
{
  const Rec *x = a, *y = b;
  return x->order < y->order ? -1 : x->order > y->order ? 1 : 0;
}

/* Whether 5 bytes can be a TLS record header: a known content type, version 3.x
 * (SSL 3.0 to TLS 1.3), a length a record may have. */
static gboolean
looks_like_record (const guint8 *h)
{
  gsize len = (gsize)h[3] << 8 | h[4];
  /* Version 0.0: BearSSL's alert before any version was agreed. */
  return h[0] >= 20 && h[0] <= 24 && ((h[1] == 3 && h[2] <= 4) || (h[1] == 0 && h[2] == 0))
         && len <= 16384 + 2048;
}

static void
split_records (RecConn *rc, HlSide from, GArray *out, GString *note)
{
  GByteArray *s = rc->bytes[from];
  GArray *chunks = rc->chunks[from];
  gsize off = 0;
  guint ci = 0;
  while (off + 5 <= s->len) {
    gsize len = (gsize)s->data[off + 3] << 8 | s->data[off + 4];
    Rec r = { from, off, 0, 0 };
    if (!looks_like_record (s->data + off)) {
      if (!note->len)
        g_string_printf (note,
                         _ ("the %s's bytes at stream offset %zu are not a TLS record header "
                            "(%02x %02x %02x): the rest of this direction is not shown"),
                         hl_side_word (from), off, s->data[off], s->data[off + 1],
                         s->data[off + 2]);
      return;
    }
    if (off + 5 + len > s->len)
      break;
    while (ci < chunks->len && g_array_index (chunks, Chunk, ci).end < off + 5 + len)
      ci++;
    if (ci < chunks->len) {
      r.order = g_array_index (chunks, Chunk, ci).order;
      r.time_us = g_array_index (chunks, Chunk, ci).time_us;
    }
    g_array_append_val (out, r);
    off += 5 + len;
  }
  if (off < s->len && !note->len)
    g_string_printf (note,
                     _ ("the recording of the %s's bytes ends inside a record (stream offset "
                        "%zu, %zu bytes of it recorded)"),
                     hl_side_word (from), off, s->len - off);
}

static void
free_dir (Dir *d)
{
  g_byte_array_unref (d->hs);
  g_byte_array_unref (d->recs);
  g_byte_array_unref (d->payload);
  g_array_unref (d->headers);
  g_clear_pointer (&d->secret, g_bytes_unref);
}

static char *
explain_end (Build *b, HlSide side)
{
  GString *out = g_string_new (NULL);
  if (b->c->success)
    g_string_append (out, _ ("Recorded: the handshake completed."));
  else
    g_string_append (out, _ ("Recorded: the handshake did not complete in this recording."));
  if (b->d[side].n_encrypted && !b->info->info.keys_known)
    g_string_append (out, _ (" No key opened its encrypted records: this is what an eavesdropper "
                             "sees."));
  if (!b->sec.value[HL_SECRET_PREMASTER] && !b->resumed && b->saw_sh)
    g_string_append (out, _ (" Not known: the premaster or shared secret and each side's private "
                             "key share never left the endpoints, and a key log does not carry "
                             "them."));
  if (b->rc->note)
    g_string_append_printf (out, " %s.", b->rc->note);
  if (b->info->info.keys_note)
    g_string_append_printf (out, " %s.", b->info->info.keys_note);
  return g_string_free (out, FALSE);
}

/* Whether the server's first message says TLS 1.3 (a ServerHello or HelloRetryRequest
 * with supported_versions 0x0304): the client's protected records (0-RTT data, a
 * compatibility ChangeCipherSpec) may come before it in the capture. */
static gboolean
server_says_tls13 (RecConn *rc, const HlSuite **suite)
{
  GByteArray *s = rc->bytes[HL_SIDE_SERVER];
  g_autoptr (GByteArray) hs = g_byte_array_new ();
  const guint8 *ext;
  gsize elen, mlen;
  for (gsize off = 0;
       off + 5 <= s->len && s->data[off] == HL_CONTENT_HANDSHAKE && hs->len < 65536;) {
    gsize len = (gsize)s->data[off + 3] << 8 | s->data[off + 4];
    if (off + 5 + len > s->len)
      break;
    g_byte_array_append (hs, s->data + off + 5, len);
    off += 5 + len;
  }
  if (hs->len < 4 || hs->data[0] != HL_HANDSHAKE_SERVER_HELLO)
    return FALSE;
  mlen = MIN (hs->len, 4 + ((gsize)hs->data[1] << 16 | (gsize)hs->data[2] << 8 | hs->data[3]));
  if (mlen > 39 && 39 + (gsize)hs->data[38] + 2 <= mlen)
    *suite = hl_suite_by_id (hs->data[39 + hs->data[38]] << 8 | hs->data[40 + hs->data[38]]);
  return hl_hello_find_extension (hs->data, mlen, 43, &ext, &elen) && elen == 2 && ext[0] == 3
         && ext[1] == 4;
}

/* A signature (ServerKeyExchange, CertificateVerify) counts as accepted only if the
 * recording shows its receiver going on with the handshake; a receiver whose next
 * message is a fatal alert refused it, and says so in its state from that step on. */
static void
refused_signatures (Build *b)
{
  GPtrArray *steps = b->info->steps;
  for (guint i = 0; i < steps->len; i++) {
    HlStep *st = g_ptr_array_index (steps, i);
    HlSide to = hl_side_other (st->from);
    const HlStep *next = NULL;
    int error;
    if (strcmp (st->message, "ServerKeyExchange") != 0
        && strcmp (st->message, "CertificateVerify") != 0)
      continue;
    for (guint k = i + 1; k < steps->len && !next; k++)
      if (((HlStep *)g_ptr_array_index (steps, k))->from == to)
        next = g_ptr_array_index (steps, k);
    if (!next || !same_name (next, "Alert"))
      continue;
    {
      gsize len;
      const guint8 *a = g_bytes_get_data (next->plaintext ? next->plaintext : next->wire, &len);
      /* TLS 1.3 ignores the level: every alert but close_notify and user_canceled is
       * fatal. */
      if (len < 2 || (next->encrypted && !next->plaintext)
          || (b->tls13 ? a[1] == 0 || a[1] == 90 : a[0] != 2))
        continue;
      error = BR_ERR_SEND_FATAL_ALERT + a[1];
    }
    for (guint k = i; k < steps->len; k++)
      ((HlStep *)g_ptr_array_index (steps, k))->after[to].error = error;
  }
}

static void
build_connection (HlRecorded *r, RecConn *rc, guint index)
{
  Build b = { 0 };
  g_autoptr (GArray) recs = g_array_new (FALSE, FALSE, sizeof (Rec));
  g_autoptr (GString) note = g_string_new (NULL);
  ConnInfo *info = g_new0 (ConnInfo, 1);
  HlConnection *c = g_new0 (HlConnection, 1);
  c->index = index;
  c->curve = -1;
  c->steps = g_ptr_array_new ();
  info->steps = g_ptr_array_new ();
  info->info.file_number = rc->file_number;
  info->info.client = rc->client;
  info->info.server = rc->server;
  b.r = r;
  b.rc = rc;
  b.c = c;
  b.info = info;
  b.conn_index = index;
  b.client_sid = g_byte_array_new ();
  b.transcript = g_byte_array_new ();
  b.expect13 = server_says_tls13 (rc, &b.early_suite);
  for (int s = 0; s < 2; s++) {
    b.d[s].hs = g_byte_array_new ();
    b.d[s].recs = g_byte_array_new ();
    b.d[s].payload = g_byte_array_new ();
    b.d[s].headers = g_array_new (FALSE, TRUE, sizeof (HlRecordHeader));
    b.d[s].stage = -1;
    split_records (rc, s, recs, note);
  }
  if (note->len)
    hl_recording_set_note (r->rec, index, note->str);
  g_array_sort (recs, by_order); /* stable enough: orders are unique per chunk */
  for (guint i = 0; i < recs->len; i++) {
    const Rec *x = &g_array_index (recs, Rec, i);
    const guint8 *h = rc->bytes[x->from]->data + x->off;
    if (i == 0)
      info->info.first_us = x->time_us;
    b.time_us = x->time_us;
    take_record (&b, x->from, h[0], (guint16)(h[1] << 8 | h[2]), h + 5, (gsize)h[3] << 8 | h[4]);
  }
  if (!info->info.keys_known && b.sec.value[HL_SECRET_MASTER] && !b.d[0].n_encrypted
      && !b.d[1].n_encrypted)
    info->info.keys_known = TRUE; /* nothing was encrypted, but the keys are there */
  c->resumed = b.resumed;
  refused_signatures (&b);
  c->success = (b.d[0].finished && b.d[1].finished && !b.fatal)
               || (b.tls13 && !info->info.keys_known && b.d[0].n_encrypted > 0
                   && b.d[1].n_encrypted > 0 && !b.fatal);
  if (c->resumed && !b.tls13)
    c->curve = -1;
  info->info.note = rc->note;
  info->info.n_messages = info->steps->len;
  if (r->rec->keys->len && !b.sec.value[HL_SECRET_MASTER] && b.saw_sh && b.resumed)
    info->info.keys_note
        = _ ("the server's private key cannot open this connection: it resumes an earlier "
             "session, and its keys come from that session's secrets, never from this key");
  else if (r->rec->keys->len && !b.sec.value[HL_SECRET_MASTER] && b.saw_sh && b.suite && !b.tls13
           && b.suite->kex != HL_KEX_ECDHE_RSA && b.suite->kex != HL_KEX_ECDHE_ECDSA)
    info->info.keys_note
        = b.suite->kex == HL_KEX_RSA
              ? _ ("the private key given opens no ClientKeyExchange of this connection (none was "
                   "sent, or it was encrypted to another key)")
              : _ ("the private key given opens no ClientKeyExchange of this connection (none was "
                   "sent, or its static ECDH needs the EC key of another certificate)");
  else if (r->rec->keys->len && !b.sec.value[HL_SECRET_MASTER] && b.saw_sh
           && (b.tls13 || (b.suite && b.suite->kex != HL_KEX_RSA)))
    info->info.keys_note
        = b.tls13
              ? _ ("the server's private key cannot open this connection: TLS 1.3 agrees "
                   "its keys with ephemeral (EC)DHE shares whose private halves were never sent, "
                   "and the server's key only signs (forward secrecy); only a key log can")
              : _ (
                  "the server's private key cannot open this connection: with (EC)DHE the "
                  "premaster comes from ephemeral key shares whose private halves were never sent, "
                  "and the server's key only signs them (forward secrecy); only a key log "
                  "can");
  for (int s = 0; s < 2; s++)
    c->explanation[s] = explain_end (&b, s);
  for (int i = 0; i < HL_N_SECRETS; i++) {
    if (b.sec.value[i] && g_bytes_get_size (b.sec.value[i]) > 0) {
      c->secrets.value[i] = g_bytes_ref (b.sec.value[i]);
      c->server_secrets.value[i] = g_bytes_ref (b.sec.value[i]);
    }
  }
  _hl_run_clear_secrets (&b.sec);
  for (int s = 0; s < 2; s++) {
    for (int i = 0; i < HL_N_SECRETS; i++)
      g_clear_pointer (&b.held[s][i], hl_secret_unref);
    free_dir (&b.d[s]);
  }
  g_byte_array_unref (b.client_sid);
  g_byte_array_unref (b.transcript);
  g_ptr_array_add (r->connections, c);
  g_ptr_array_add (r->infos, info);
}

/* ---------- The run's public face ---------- */

static void
free_connection (HlConnection *c)
{
  g_free (c->alpn);
  g_free (c->server_name);
  for (int s = 0; s < 2; s++) {
    g_free (c->explanation[s]);
    g_free (c->reason[s]);
  }
  _hl_run_clear_secrets (&c->secrets);
  _hl_run_clear_secrets (&c->server_secrets);
  g_ptr_array_unref (c->steps);
  g_free (c);
}

static void
free_info (ConnInfo *i)
{
  g_ptr_array_unref (i->steps);
  g_free (i);
}

/* Shows the first n steps: the connections they reached, each with its steps so far. */
static void
show (HlRun *run, guint n)
{
  HlRecorded *r = run->recorded;
  n = MIN (n, r->all->len);
  g_ptr_array_set_size (run->steps, 0);
  g_ptr_array_set_size (run->connections, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (run->steps, g_ptr_array_index (r->all, i));
  for (guint ci = 0; ci < r->connections->len; ci++) {
    HlConnection *c = g_ptr_array_index (r->connections, ci);
    ConnInfo *info = g_ptr_array_index (r->infos, ci);
    g_ptr_array_set_size (c->steps, 0);
    for (guint k = 0; k < info->steps->len; k++) {
      HlStep *st = g_ptr_array_index (info->steps, k);
      if (st->index <= n)
        g_ptr_array_add (c->steps, st);
    }
    /* Like a live run: the first connection exists from the start, later ones from
     * their first message. */
    if (ci == 0 || c->steps->len)
      g_ptr_array_add (run->connections, c);
  }
  run->finished = n >= r->all->len;
}

static HlScenario *
make_scenario (HlRecording *rec, HlRecorded *r)
{
  HlScenario *s = g_new0 (HlScenario, 1);
  g_autofree char *base = g_path_get_basename (rec->source);
  gint64 first = 0;
  const HlConnection *c0 = r->connections->len ? g_ptr_array_index (r->connections, 0) : NULL;
  for (guint i = 0; i < r->times->len; i++)
    if (g_array_index (r->times, gint64, i) > 0) {
      first = g_array_index (r->times, gint64, i);
      break;
    }
  s->file = g_strdup (rec->source);
  s->title = g_strdup_printf (_ ("Recorded: %s"), base);
  s->description = g_strdup_printf (
      P_ ("A real TLS connection read from the capture %s, with the keys its key log gave. The "
          "lab ran nothing: every message is as it was sent.",
          "%2$u real TLS connections read from the capture %1$s, with the keys its key log gave. "
          "The lab ran nothing: every message is as it was sent.",
          r->connections->len),
      base, r->connections->len);
  s->seed = g_strdup ("");
  s->time = first / G_USEC_PER_SEC;
  {
    g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (s->time);
    s->time_text = t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
  }
  for (int side = 0; side < 2; side++) {
    HlSideConfig *sc = side ? &s->server : &s->client;
    sc->suites = g_array_new (FALSE, FALSE, sizeof (guint16));
    sc->curve_order = g_array_new (FALSE, FALSE, sizeof (guint16));
    sc->key_shares = g_array_new (FALSE, FALSE, sizeof (guint16));
    sc->alpn = g_ptr_array_new_with_free_func (g_free);
    sc->library = c0 && c0->version == 0x0304 ? HL_LIBRARY_OPENSSL : HL_LIBRARY_BEARSSL;
  }
  s->client.server_name = c0 && c0->server_name ? g_strdup (c0->server_name) : NULL;
  s->close_notify = TRUE;
  s->expect.outcome = -1;
  s->expect.hello_retry = -1;
  return s;
}

HlRun *
hl_run_new_recorded (HlRecording *rec, GError **error)
{
  HlRun *run;
  HlRecorded *r;
  g_return_val_if_fail (rec != NULL, NULL);
  if (rec->conns->len == 0) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_RECORDED,
                 _ ("%s: no TLS connection in this recording"), rec->source);
    hl_recording_free (rec);
    return NULL;
  }
  r = g_new0 (HlRecorded, 1);
  r->rec = rec;
  r->all = g_ptr_array_new_with_free_func ((GDestroyNotify)_hl_run_free_step);
  r->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  r->connections = g_ptr_array_new_with_free_func ((GDestroyNotify)free_connection);
  r->infos = g_ptr_array_new_with_free_func ((GDestroyNotify)free_info);
  r->source_text = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < rec->conns->len; i++)
    build_connection (r, g_ptr_array_index (rec->conns, i), i + 1);
  r->scenario = make_scenario (rec, r);
  run = g_new0 (HlRun, 1);
  run->recorded = r;
  run->scenario = r->scenario;
  run->steps = g_ptr_array_new ();
  run->connections = g_ptr_array_new ();
  run->edits = g_ptr_array_new ();
  show (run, 0);
  return run;
}

gboolean
hl_run_is_recorded (HlRun *run)
{
  return run && run->recorded;
}

void
_hl_recorded_free (HlRun *run)
{
  HlRecorded *r = run->recorded;
  g_ptr_array_unref (run->steps);
  g_ptr_array_unref (run->connections);
  g_ptr_array_unref (run->edits);
  g_ptr_array_unref (r->infos);
  g_ptr_array_unref (r->connections);
  g_ptr_array_unref (r->all);
  g_array_unref (r->times);
  hl_scenario_free (r->scenario);
  hl_recording_free (r->rec);
  g_hash_table_unref (r->source_text); /* after the steps: their secrets point into it */
  g_free (r);
  g_free (run);
}

gboolean
_hl_recorded_step (HlRun *run)
{
  guint n = run->steps->len;
  if (n >= run->recorded->all->len)
    return FALSE;
  show (run, n + 1);
  return TRUE;
}

void
_hl_recorded_seek (HlRun *run, guint n)
{
  show (run, n);
}

gboolean
_hl_recorded_peek (HlRun *run, HlNextMessage *next)
{
  HlRecorded *r = run->recorded;
  const HlStep *st;
  guint nth = 0;
  if (run->steps->len >= r->all->len)
    return FALSE;
  st = g_ptr_array_index (r->all, run->steps->len);
  for (guint i = 0; i <= run->steps->len; i++) {
    const HlStep *o = g_ptr_array_index (r->all, i);
    if (o->connection == st->connection && o->from == st->from
        && strcmp (o->message, st->message) == 0)
      nth++;
  }
  next->from = st->from;
  next->message = st->message;
  next->wire = st->wire;
  next->plaintext = st->plaintext;
  next->encrypted = st->encrypted;
  next->connection = st->connection;
  next->nth = nth;
  return TRUE;
}

gboolean
hl_run_get_recorded_connection (HlRun *run, guint i, HlRecordedConnection *out)
{
  ConnInfo *info;
  if (!run || !run->recorded || i >= run->recorded->infos->len)
    return FALSE;
  info = g_ptr_array_index (run->recorded->infos, i);
  *out = info->info;
  return TRUE;
}

gint64
hl_run_get_step_time (HlRun *run, guint i)
{
  if (!run || !run->recorded || i >= run->recorded->times->len)
    return 0;
  return g_array_index (run->recorded->times, gint64, i);
}
