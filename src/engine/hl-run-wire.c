/* hl-run-wire.c: The wire: each side's records split into single messages, encrypted
 * records decrypted with the sender's keys (and a changed plaintext
 * encrypted again), and the pumping of bytes in and out of the engines.
 */
#include "hl-run-private.h"
#include "hl-i18n.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <string.h>

GQuark
hl_run_error_quark (void)
{
  return g_quark_from_static_string ("hl-run-error-quark");
}

static gboolean
get_sender_keys (HlRun *run, HlSide sender, SenderKeys *k)
{
  Peer *p = run->peer[sender];
  gboolean client = sender == HL_SIDE_CLIENT;
  memset (k, 0, sizeof *k);
  k->suite = _hl_run_negotiated_suite (p);
  k->version = _hl_peer_version (p);
  if (p->ossl) /* TLS 1.2 by OpenSSL: the key block from its logged master secret */
    _hl_run_collect_view13 (run, p, &k->parts);
  else if (k->suite && p->cap.key_block)
    _hl_run_split_key_block (p->cap.key_block, k->suite, k->version, &k->parts);
  if (!k->suite)
    return FALSE;
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

static gboolean
init_decryptor (HlRun *run, HlSide sender)
{
  Direction *dir = &run->dir[sender];
  SenderKeys k;
  const HlSuite *suite;
  const guint8 *key, *iv, *mac;
  gboolean ok = TRUE;
  if (!get_sender_keys (run, sender, &k)) {
    _hl_run_clear_secrets (&k.parts);
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
                                  key, suite->key_len, _hl_suite_mac_hash (suite), mac, maclen,
                                  maclen, k.version <= 0x0301 ? iv : NULL);
    break;
  }
  default:
    ok = FALSE;
  }
  _hl_run_clear_secrets (&k.parts);
  memset (dir->last_block, 0, sizeof dir->last_block);
  dir->in_ready = ok;
  return ok;
}

/* Why a changed plaintext is not sealed: a record holds at most 2^14 bytes of plaintext
 * (RFC 5246 6.2.1, RFC 8446 5.1) and only application data may be empty; the lab seals
 * none empty. */
static void
set_bad_length (GError **error, gsize len)
{
  g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_BAD_LENGTH,
               _ ("the lab seals 1 to 16384 bytes of plaintext in a record, not %zu (TLS allows "
                  "at most 16384, and an empty record only for application data)"),
               len);
}

/* A changed plaintext, encrypted as the sender would have sent it: its keys, the
 * record's sequence number (and, in TLS 1.0 CBC, the IV chained from the record
 * before). The receiver then finds a valid record with different content. */
GBytes *
_hl_run_encrypt_as_sender (HlRun *run, const Pending *p, GBytes *plaintext, GError **error)
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
  if (p->has_tls13_keys) {
    if (len == 0 || len > 16384) {
      set_bad_length (error, len);
      return NULL;
    }
    return _hl_run_seal13_as_sender (p, plaintext);
  }
  if (!p->encrypted || !p->has_in_before) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NOT_ENCRYPTED,
                 _ ("the next message is not an encrypted record: change its bytes instead"));
    return NULL;
  }
  if (len == 0 || len > 16384) {
    set_bad_length (error, len);
    return NULL;
  }
  if (!get_sender_keys (run, p->from, &k)) {
    _hl_run_clear_secrets (&k.parts);
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NOT_ENCRYPTED, _ ("the %s's keys are not known"),
                 hl_side_word (p->from));
    return NULL;
  }
  if (p->content_type == HL_CONTENT_APPLICATION_DATA && k.version <= 0x0301
      && (k.suite->cipher == HL_CIPHER_AES_CBC || k.suite->cipher == HL_CIPHER_3DES_CBC)
      && len > 1) {
    _hl_run_clear_secrets (&k.parts);
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_BAD_LENGTH,
                 _ ("TLS 1.0 CBC splits application data 1/n-1 into two records: change one "
                    "byte of it at a time"));
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
                                   k.key, k.suite->key_len, _hl_suite_mac_hash (k.suite), k.mac,
                                   maclen, maclen, k.version <= 0x0301 ? k.iv : NULL);
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
    _hl_run_clear_secrets (&k.parts);
    return NULL;
  }
  /* Room before the plaintext for header and explicit nonce, after it for MAC, padding, tag. */
  buf = g_malloc0 (len + 1024);
  memcpy (buf + 512, g_bytes_get_data (plaintext, NULL), len);
  rec = out.vtable->encrypt (&out.vtable, p->content_type, p->record_version, buf + 512, &rlen);
  if (rec && rlen > 5)
    result = g_bytes_new (rec + 5, rlen - 5);
  g_free (buf);
  _hl_run_clear_secrets (&k.parts);
  return result;
}

void
_hl_run_free_pending (Pending *p)
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

void
_hl_run_queue_pending (HlRun *run, HlSide from, const char *message, guint8 ct, int hs_type,
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
  p->record_type = ct;
  g_queue_push_tail (&run->pending, p);
}

/* A TLS 1.0-1.2 record's sequence number and nonce, from the decryption state just
 * before it: BearSSL keeps the sequence number and the IV part in it. */
static void
note_seal (Pending *q, const HlSuite *suite, guint version, const RecordIn *before,
           const guint8 *payload, gsize len)
{
  q->has_seal = TRUE;
  q->seal_suite = suite->id;
  q->seal_version = version;
  switch (suite->cipher) {
  case HL_CIPHER_AES_GCM:
  case HL_CIPHER_AES_CCM:
  case HL_CIPHER_AES_CCM8: {
    /* RFC 5288 3, RFC 6655 3: the 4-byte salt, then the 8-byte explicit nonce sent. */
    const guint8 *salt = suite->cipher == HL_CIPHER_AES_GCM ? before->gcm.iv : before->ccm.iv;
    q->seal_seq = suite->cipher == HL_CIPHER_AES_GCM ? before->gcm.seq : before->ccm.seq;
    memcpy (q->seal_iv, salt, 4);
    q->seal_iv_len = 4;
    if (len >= 8) {
      memcpy (q->seal_nonce, salt, 4);
      memcpy (q->seal_nonce + 4, payload, 8);
      q->seal_nonce_len = 12;
    }
    break;
  }
  case HL_CIPHER_CHACHA20_POLY1305:
    /* RFC 7905 2: the IV XOR the sequence number, as in TLS 1.3. */
    q->seal_seq = before->chapol.seq;
    memcpy (q->seal_iv, before->chapol.iv, 12);
    q->seal_iv_len = 12;
    memcpy (q->seal_nonce, before->chapol.iv, 12);
    for (int b = 0; b < 8; b++)
      q->seal_nonce[11 - b] ^= (guint8)(q->seal_seq >> (8 * b));
    q->seal_nonce_len = 12;
    break;
  case HL_CIPHER_AES_CBC:
  case HL_CIPHER_3DES_CBC:
    q->seal_seq = before->cbc.seq;
    if (version <= 0x0301) {
      q->seal_iv_len = suite->cipher == HL_CIPHER_AES_CBC ? 16 : 8;
      memcpy (q->seal_iv, before->cbc.iv, q->seal_iv_len);
    }
    break;
  }
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
  case HL_CONTENT_ALERT:
    name = "Alert";
    break;
  case HL_CONTENT_APPLICATION_DATA:
    name = "ApplicationData";
    break;
  case HL_CONTENT_HANDSHAKE: {
    gsize plen = 0;
    const guint8 *pd = plain ? g_bytes_get_data (plain, &plen) : NULL;
    hs_type = plen > 0 ? pd[0] : HL_HANDSHAKE_FINISHED;
    name = hl_handshake_type_name (hs_type);
    if (!name)
      name = "Finished";
    break;
  }
  case HL_CONTENT_CHANGE_CIPHER_SPEC:
    name = "ChangeCipherSpec";
    break;
  default:
    name = "ApplicationData";
  }
  _hl_run_queue_pending (run, from, name, ct, hs_type, version, TRUE, payload, len, plain);
  if (has_before) {
    Pending *queued = g_queue_peek_tail (&run->pending);
    const HlSuite *suite = _hl_run_negotiated_suite (run->peer[from]);
    gsize block = MIN (len, suite && suite->cipher == HL_CIPHER_3DES_CBC ? 8 : 16);
    queued->has_in_before = TRUE;
    queued->in_before = before;
    memcpy (queued->last_block, dir->last_block, sizeof dir->last_block);
    memset (dir->last_block, 0, sizeof dir->last_block);
    memcpy (dir->last_block, payload + len - block, block);
    if (suite)
      note_seal (queued, suite, _hl_peer_version (run->peer[from]), &before, payload, len);
  }
}

/* The step shows what its record was sealed with; the receiver keeps the same count. */
void
_hl_run_seal_to_step (const Pending *p, HlStep *st)
{
  st->inner_type = -1;
  if (!p->has_seal)
    return;
  st->sealed = TRUE;
  st->seal_suite = p->seal_suite;
  st->seal_version = p->seal_version;
  st->seq = p->seal_seq;
  if (p->seal_iv_len)
    st->seal_iv = g_bytes_new (p->seal_iv, p->seal_iv_len);
  if (p->seal_nonce_len)
    st->nonce = g_bytes_new (p->seal_nonce, p->seal_nonce_len);
  if (p->seal_version == 0x0304) {
    st->inner_type = p->content_type;
    st->inner_length = p->tls13_inner_len;
    st->padding = p->tls13_padding;
  }
}

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
  if (h[0] == HL_HANDSHAKE_CLIENT_HELLO) {
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
  case HL_CONTENT_HANDSHAKE:
    g_byte_array_append (dir->hs, payload, len);
    while (dir->hs->len >= 4) {
      const guint8 *h = dir->hs->data;
      gsize mlen = 4 + ((gsize)h[1] << 16 | (gsize)h[2] << 8 | h[3]);
      const char *name = hl_handshake_type_name (h[0]);
      if (dir->hs->len < mlen)
        break;
      if (h[0] == HL_HANDSHAKE_CLIENT_HELLO || h[0] == HL_HANDSHAKE_SERVER_HELLO)
        _hl_run_note_hello13 (run, from, h, mlen);
      if (hl_tls13_is_hello_retry (h, mlen))
        name = "HelloRetryRequest";
      _hl_run_queue_pending (run, from, name ? name : "Unknown", HL_CONTENT_HANDSHAKE, h[0],
                             version, FALSE, h, mlen, NULL);
      if (h[0] != HL_HANDSHAKE_HELLO_REQUEST && h[0] != HL_HANDSHAKE_FINISHED) {
        if (h[0] == HL_HANDSHAKE_CLIENT_HELLO || h[0] == HL_HANDSHAKE_SERVER_HELLO)
          note_hello (run, from, h, mlen);
      }
      g_byte_array_remove_range (dir->hs, 0, mlen);
    }
    break;
  case HL_CONTENT_CHANGE_CIPHER_SPEC:
    _hl_run_queue_pending (run, from, "ChangeCipherSpec", HL_CONTENT_CHANGE_CIPHER_SPEC, -1,
                           version, FALSE, payload, len, NULL);
    /* In TLS 1.3 ChangeCipherSpec is a disguise for middleboxes and changes nothing. */
    if (!run->peer[from]->ossl || (run->hellos.version && run->hellos.version < 0x0304)) {
      dir->encrypting = TRUE;
      dir->in_ready = FALSE;
    }
    break;
  case HL_CONTENT_ALERT:
    for (gsize off = 0; off + 2 <= len; off += 2)
      _hl_run_queue_pending (run, from, "Alert", HL_CONTENT_ALERT, -1, version, FALSE,
                             payload + off, 2, NULL);
    break;
  default:
    if (run->peer[from]->ossl && ct == HL_CONTENT_APPLICATION_DATA)
      _hl_run_take_tls13_record (run, from, version, payload, len);
    else
      _hl_run_queue_pending (run, from, "ApplicationData", ct, -1, version, FALSE, payload, len,
                             NULL);
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
void
_hl_run_pump (HlRun *run)
{
  for (int round = 0; round < MAX_PUMP_ROUNDS; round++) {
    gboolean progress = FALSE;
    for (int s = 0; s < 2; s++) {
      Peer *p = run->peer[s];
      unsigned st;
      if (p->ossl) {
        progress |= hl_ossl_take_output (p->ossl, run->dir[s].raw);
        progress |= hl_ossl_take_received (p->ossl, p->app_received);
        p->handshake_done = hl_ossl_handshake_done (p->ossl);
        continue;
      }
      _hl_run_enter (p);
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
      _hl_run_enter (NULL);
    }
    if (!progress)
      break;
  }
  parse_records (run, HL_SIDE_CLIENT);
  parse_records (run, HL_SIDE_SERVER);
}

/* Feeds bytes to a receiver; returns how many it accepted. */
gsize
_hl_run_feed (Peer *p, const guint8 *data, gsize len)
{
  gsize done = 0;
  if (p->ossl)
    return hl_ossl_feed (p->ossl, data, len);
  _hl_run_enter (p);
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
  _hl_run_enter (NULL);
  return done;
}

GBytes *
hl_step_get_message_bytes (const HlStep *st)
{
  return st->encrypted && st->plaintext ? st->plaintext : st->wire;
}
