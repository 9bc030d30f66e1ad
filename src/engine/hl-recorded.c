/* hl-recorded.c: a run made of recorded messages (hl-recorded.h).
 *
 * A live run learns each message from two TLS libraries; a recorded one reads them
 * from the bytes each side sent, as a passive observer would: records are split into
 * messages, the hellos say the randoms, version and suite, and an encrypted record is
 * opened only with keys derived from what a key log gave. Nothing an observer cannot
 * know is filled in: the ephemeral private keys never left the endpoints, and an RSA
 * premaster crossed only encrypted, so they stay unknown unless the server's private key
 * given opens the ClientKeyExchange.
 *
 * Every step is made at once, when the run is built; stepping, going back and seeking
 * only change how many of them the run shows.
 */
#include "hl-recorded-private.h"
#include "hl-i18n.h"

#include <string.h>

/* ---------- The run ---------- */

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

void
_hl_recorded_set_secret (Build *b, HlSecretId id, const guint8 *data, gsize len, Origin origin)
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
  const char *ssl3 = b->c->version == 0x0300 && !(b->resumed && id == HL_SECRET_MASTER)
                         ? hl_ssl3_formula (id)
                         : NULL;
  if (ssl3)
    s->formula = ssl3;
  if (b->origin[id] == FROM_KEYLOG) {
    s->formula = intern (
        b, g_strdup_printf (_ ("read from the key log (its %s line); the endpoints made it so: %s"),
                            b->label[id], s->formula));
    s->inputs = none;
  } else if (b->origin[id] == FROM_DERIVED) {
    s->formula = intern (
        b, g_strdup_printf (_ ("derived by the lab from the keys given: %s"), s->formula));
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

/* The logged secrets of this connection: key log lines name it by its client random. */
void
_hl_recorded_take_logged (Build *b)
{
  for (guint i = 0; i < b->r->rec->logged->len; i++) {
    Logged *l = g_ptr_array_index (b->r->rec->logged, i);
    HlSecretId id = l->id;
    if (memcmp (l->random, b->client_random, 32) != 0 || id == HL_N_SECRETS)
      continue;
    if (!b->sec.value[id]) {
      _hl_recorded_set_secret (b, id, g_bytes_get_data (l->value, NULL),
                               g_bytes_get_size (l->value), FROM_KEYLOG);
      b->label[id] = l->label;
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
  elen = b->tls13 ? _hl_recorded_finished13 (b, client, expect)
                  : _hl_recorded_finished12 (b, client, expect);
  if (!elen)
    return NULL;
  want = hl_hex (expect, elen);
  got = hl_hex (msg + 4, len - 4);
  if (len - 4 == elen && memcmp (expect, msg + 4, elen) == 0) {
    _hl_recorded_set_secret (b,
                             client ? HL_SECRET_CLIENT_VERIFY_DATA : HL_SECRET_SERVER_VERIFY_DATA,
                             expect, elen, FROM_DERIVED);
    return g_strdup_printf (
        b->tls13
            ? _ ("verify_data recomputed by the lab: HMAC(finished_key, Hash(the %u "
                 "handshake bytes recorded before it)) = %s, as on the wire: the recording and "
                 "these keys match the handshake both sides saw.")
        : b->c->version == 0x0300
            ? _ ("Finished recomputed by the lab with SSL 3.0's MD5 and SHA-1 over the master "
                 "secret, the pads, the sender and the %u handshake bytes recorded before it "
                 "(RFC 6101 5.6.9) = %s, as on the wire: the recording and these keys match the "
                 "handshake both sides saw.")
            : _ ("verify_data recomputed by the lab: PRF(master_secret, finished_label, Hash(the "
                 "%u handshake bytes recorded before it))[0..11] = %s, as on the wire: the "
                 "recording and these keys match the handshake both sides saw."),
        b->transcript->len, want);
  }
  return g_strdup_printf (_ ("verify_data recomputed by the lab from the %u handshake bytes "
                             "recorded before it is %s, but the wire says %s: the keys given do "
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
    if (b->tls13 || b->expect13) { /* the server's answer, read ahead, says TLS 1.3 */
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
  ctx.tls13 = st->tls13;
  if (b->r->rec->count_only)
    return; /* a listing shows no field */
  if (st->encrypted && !st->plaintext)
    st->fields = hl_decode_encrypted_record (w, wlen, version, ctx.suite, b->etm, -1);
  else
    st->fields = hl_decode_content (st->content_type, content, clen, &ctx);
  if (st->record_wire) {
    gsize rlen;
    const guint8 *rd = g_bytes_get_data (st->record_wire, &rlen);
    st->record_fields = hl_decode_records (rd, rlen, st->encrypted, version, ctx.suite, b->etm,
                                           record_content_len);
  }
  st->close_notify = same_name (st, "Alert") && content && clen >= 2 && content[1] == 0;
  st->summary
      = _hl_run_summarize (st, content, clen, b->tls13 ? 0x0304 : version, b->resumed, b->suite);
  st->story = _hl_run_tell_story (st, b->suite, b->resumed, b->tls13, b->c->hello_retry);
}

/* Which key protected the record, as for a live run (RFC 8446 7: early keys up to
 * EndOfEarlyData, handshake keys up to the sender's own Finished, then one generation of
 * application keys per KeyUpdate it sent). A TLS 1.3 record no key opened cannot be placed. */
static void
set_record_key (Build *b, HlStep *st)
{
  gboolean finished = FALSE;
  guint updates = 0;
  st->key_generation = 0;
  if (!st->encrypted) {
    st->key = HL_RECORD_KEY_NONE;
    return;
  }
  if (!st->tls13) {
    st->key = HL_RECORD_KEY_SESSION;
    return;
  }
  if (!st->plaintext) {
    st->key = HL_RECORD_KEY_UNKNOWN;
    return;
  }
  for (guint i = 0; i < b->info->steps->len; i++) {
    const HlStep *e = g_ptr_array_index (b->info->steps, i);
    if (e->from != st->from)
      continue;
    finished |= e->handshake_type == HL_HANDSHAKE_FINISHED;
    updates += e->handshake_type == HL_HANDSHAKE_KEY_UPDATE;
  }
  if (st->early || st->handshake_type == HL_HANDSHAKE_END_OF_EARLY_DATA)
    st->key = HL_RECORD_KEY_EARLY;
  else if (!finished)
    st->key = HL_RECORD_KEY_HANDSHAKE;
  else {
    st->key = HL_RECORD_KEY_APPLICATION;
    st->key_generation = updates;
  }
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
  set_record_key (b, st);
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
    _hl_recorded_note_hello (b, m, len, NULL);
  if (hl_tls13_is_hello_retry (m, len))
    name = "HelloRetryRequest";
  if (m[0] == HL_HANDSHAKE_ENCRYPTED_EXTENSIONS)
    _hl_recorded_note_encrypted_extensions (b, m, len);
  _hl_recorded_note_key_exchange (b, m, len);
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
    _hl_recorded_open_key_exchange (b, m, len);
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
    /* gcc's string-compare warning (with -fsanitize) rules out strcmp on name here */
    gboolean is_data = !(ct == HL_CONTENT_ALERT || (ct == HL_CONTENT_HANDSHAKE && !b->tls13));
    if (ct == HL_CONTENT_ALERT)
      name = "Alert";
    else if (ct == HL_CONTENT_HANDSHAKE && !b->tls13) {
      /* TLS 1.0-1.2: the first encrypted handshake message is the Finished. */
      hs_type = HL_HANDSHAKE_FINISHED;
      name = d->n_enc_handshake++ ? "Unknown" : "Finished";
      d->finished = TRUE;
    }
    if (b->r->rec->count_only && is_data) {
      b->n_counted++;
      return;
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
  if (b->r->rec->count_only && ct == HL_CONTENT_APPLICATION_DATA) {
    b->n_counted++;
    return;
  }
  add_step (b, emit (b, from,
                     ct == HL_CONTENT_CHANGE_CIPHER_SPEC ? "ChangeCipherSpec" : "ApplicationData",
                     ct, -1, encrypted, g_bytes_new (payload, len),
                     encrypted ? g_bytes_new (content, clen) : NULL, d,
                     encrypted ? (gssize)clen : -1));
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
    plain = _hl_recorded_open13 (b, from, payload, len);
    b->early_now = plain && from == HL_SIDE_CLIENT && d->stage == 0;
    if (plain) {
      gsize ilen;
      const guint8 *in = g_bytes_get_data (plain, &ilen);
      inner_type = hl_tls13_inner_type (in, ilen, &clen);
      content = in;
    }
  } else if (d->encrypting && ct != HL_CONTENT_CHANGE_CIPHER_SPEC) {
    encrypted = TRUE;
    plain = _hl_recorded_open12 (b, from, ct, version, payload, len);
    if (plain)
      content = g_bytes_get_data (plain, &clen);
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
    _hl_recorded_derive_key_block (b);
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

/* Whether the server's first message says TLS 1.3 (a ServerHello or HelloRetryRequest
 * with supported_versions 0x0304): the client's protected records (0-RTT data, a
 * compatibility ChangeCipherSpec) may come before it in the capture. */
static gboolean
server_says_tls13 (RecConn *rc, const HlSuite **suite, guint16 *group)
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
  /* key_share: the group of the server's share, or the one a HelloRetryRequest asks for. */
  if (hl_hello_find_extension (hs->data, mlen, 51, &ext, &elen) && elen >= 2)
    *group = (guint16)(ext[0] << 8 | ext[1]);
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
  b.expect13 = server_says_tls13 (rc, &b.early_suite, &b.expect_group);
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
  info->info.n_messages = info->steps->len + b.n_counted;
  if (r->rec->keys->len)
    info->info.keys_note = _hl_recorded_keys_note (&b);
  for (int s = 0; s < 2; s++)
    c->explanation[s] = _hl_recorded_explain_end (&b, s);
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
      P_ ("A real TLS connection read from the capture %s. The lab ran nothing: every message is "
          "as it was sent, and what is decrypted is what the keys given could open.",
          "%2$u real TLS connections read from the capture %1$s. The lab ran nothing: every "
          "message is as it was sent, and what is decrypted is what the keys given could open.",
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
hl_run_is_recorded (const HlRun *run)
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
_hl_recorded_peek (const HlRun *run, HlNextMessage *next)
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
hl_run_get_recorded_connection (const HlRun *run, guint i, HlRecordedConnection *out)
{
  ConnInfo *info;
  if (!run || !run->recorded || i >= run->recorded->infos->len)
    return FALSE;
  info = g_ptr_array_index (run->recorded->infos, i);
  *out = info->info;
  return TRUE;
}

gint64
hl_run_get_step_time (const HlRun *run, guint i)
{
  if (!run || !run->recorded || i >= run->recorded->times->len)
    return 0;
  return g_array_index (run->recorded->times, gint64, i);
}
