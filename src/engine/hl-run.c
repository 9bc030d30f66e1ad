/* hl-run.c: two TLS engines pumped against each other, one message at a time.
 *
 * How a step works: each side's outgoing records are collected as soon as the
 * engine has them, split into single messages (BearSSL packs a whole flight
 * into one record), and queued in the order they were produced. A step takes
 * the head of the queue, frames it alone in a record of its own and feeds it
 * to the receiver, so the receiver's state after the step is its real state
 * after exactly that message.
 *
 * This file holds the public API and the script (handshake, application data,
 * close, resumption); the other jobs have files of their own, listed in
 * hl-run-private.h. Secrets come from BearSSL itself (hl-run-hooks.c).
 */
#include "hl-run-private.h"
#include "hl-i18n.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <string.h>

/* ---------- The run ---------- */

static void settle (HlRun *run);

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
  if (st->seal_iv)
    g_bytes_unref (st->seal_iv);
  if (st->nonce)
    g_bytes_unref (st->nonce);
  for (int i = 0; i < 2; i++) {
    g_free (st->after[i].state);
    g_free (st->after[i].certificate_verdict);
    g_free (st->after[i].reason);
    if (st->after[i].secrets)
      g_ptr_array_unref (st->after[i].secrets);
  }
  g_free (st);
}

void
_hl_run_free_step (HlStep *st)
{
  free_step (st);
}

static void
free_connection (HlConnection *c)
{
  g_free (c->alpn);
  g_free (c->server_name);
  g_free (c->explanation[0]);
  g_free (c->explanation[1]);
  g_free (c->reason[0]);
  g_free (c->reason[1]);
  _hl_run_clear_secrets (&c->secrets);
  _hl_run_clear_secrets (&c->server_secrets);
  g_ptr_array_unref (c->steps);
  g_free (c);
}

static void
fill_after (HlRun *run, HlStep *st)
{
  for (int s = 0; s < 2; s++) {
    Peer *p = run->peer[s];
    st->after[s].state = _hl_run_describe_state (p);
    st->after[s].error = _hl_peer_error (p);
    st->after[s].openssl = p->ossl != NULL;
    st->after[s].reason
        = p->ossl && hl_ossl_reason (p->ossl) ? g_strdup (hl_ossl_reason (p->ossl)) : NULL;
    _hl_run_fill_knowledge (run, st, s);
  }
}

/* The first step of the current connection that carried this message, or NULL. */
static const HlStep *
earlier_step (HlRun *run, const char *message)
{
  GPtrArray *steps = _hl_run_current_connection (run)->steps;
  for (guint i = 0; i < steps->len; i++) {
    const HlStep *st = g_ptr_array_index (steps, i);
    if (strcmp (st->message, message) == 0)
      return st;
  }
  return NULL;
}

guint16
_hl_run_ecdh_group (HlRun *run)
{
  const HlStep *ske = earlier_step (run, "ServerKeyExchange");
  gsize n;
  const guint8 *d;
  if (!ske && run->delivering && strcmp (run->delivering->message, "ServerKeyExchange") == 0)
    ske = run->delivering;
  d = ske && !ske->encrypted ? g_bytes_get_data (ske->wire, &n) : NULL;
  return d && n >= 7 && d[4] == 3 ? (guint16)(d[5] << 8 | d[6]) : 0;
}

char *
hl_step_record_key (const HlStep *st)
{
  const char *side = hl_side_name (st->from);
  switch (st->key) {
  case HL_RECORD_KEY_SESSION:
    return g_strdup_printf ("%s_write_key", side);
  case HL_RECORD_KEY_EARLY:
    return g_strdup ("client_early_traffic_secret");
  case HL_RECORD_KEY_HANDSHAKE:
    return g_strdup_printf ("%s_handshake_traffic_secret", side);
  case HL_RECORD_KEY_APPLICATION:
    return g_strdup_printf ("%s_application_traffic_secret_%u", side, st->key_generation);
  case HL_RECORD_KEY_NONE:
  default:
    return NULL;
  }
}

char *
hl_describe_openssl_error (int err, const char *reason)
{
  int alert = err & 0xff;
  if (err >= 512 && err < 768)
    return reason
               ? g_strdup_printf (_ ("stopped on its own error \u201c%s\u201d and sent the "
                                     "fatal alert %s (%d)"),
                                  reason, hl_alert_name (alert), alert)
               : g_strdup_printf (_ ("sent the fatal alert %s (%d)"), hl_alert_name (alert), alert);
  if (err >= 256 && err < 512)
    return reason ? g_strdup_printf (_ ("received the fatal alert %s (%d) and stopped (its "
                                        "error: \u201c%s\u201d)"),
                                     hl_alert_name (alert), alert, reason)
                  : g_strdup_printf (_ ("received the fatal alert %s (%d) and stopped"),
                                     hl_alert_name (alert), alert);
  if (reason)
    return g_strdup_printf (_ ("stopped on its own error \u201c%s\u201d"), reason);
  return g_strdup (err ? _ ("stopped on an error") : _ ("has no error"));
}

/* Replaces the explanation of the fields of this name, top-level or at any depth
 * (an extension's entries). */
static void
explain_field (GPtrArray *fields, const char *name, gboolean deep, const char *explanation)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    HlField *f = g_ptr_array_index (fields, i);
    if (strcmp (f->name, name) == 0) {
      g_free (f->explanation);
      f->explanation = g_strdup (explanation);
    }
    if (deep)
      explain_field (f->children, name, TRUE, explanation);
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
  const HlSuite *suite = _hl_run_negotiated_suite (sender);
  ctx.version = _hl_peer_version (sender);
  ctx.suite = suite ? suite->id : 0;
  ctx.from_server = st->from == HL_SIDE_SERVER;
  ctx.group = _hl_run_ecdh_group (run); /* a TLS 1.2 ECDHE curve, from ServerKeyExchange */
  if (!st->encrypted) {
    content = w;
    clen = wlen;
  }
  /* TLS 1.3 from the ClientHello on, when the client offers it and the server takes it
   * (or has not answered yet); a HelloRetryRequest exists only in TLS 1.3. */
  st->tls13 = run->hellos.version == 0x0304 || run->hellos.hello_retry
              || (run->hellos.version == 0 && run->scenario->client.version_max >= 0x0304
                  && run->scenario->server.version_max >= 0x0304);
  ctx.tls13 = st->tls13;
  {
    /* RFC 8446 7: early keys up to EndOfEarlyData, handshake keys up to the sender's own
     * Finished, then application keys, one generation per KeyUpdate it sent (4.6.3). */
    GPtrArray *steps = _hl_run_current_connection (run)->steps;
    gboolean finished = FALSE;
    guint updates = 0;
    for (guint i = 0; i < steps->len; i++) {
      const HlStep *e = g_ptr_array_index (steps, i);
      if (e->from != st->from)
        continue;
      finished |= strcmp (e->message, "Finished") == 0;
      updates += strcmp (e->message, "KeyUpdate") == 0;
    }
    st->key_generation = 0;
    if (!st->encrypted)
      st->key = HL_RECORD_KEY_NONE;
    else if (!st->tls13)
      st->key = HL_RECORD_KEY_SESSION;
    else if (st->early || strcmp (st->message, "EndOfEarlyData") == 0)
      st->key = HL_RECORD_KEY_EARLY;
    else if (!finished)
      st->key = HL_RECORD_KEY_HANDSHAKE;
    else {
      st->key = HL_RECORD_KEY_APPLICATION;
      st->key_generation = updates;
    }
  }
  if (st->encrypted && !st->plaintext)
    st->fields = hl_decode_encrypted_record (w, wlen, ctx.version, ctx.suite, FALSE, -1);
  else
    st->fields = hl_decode_content (st->content_type, content, clen, &ctx);
  if (st->record_wire) {
    gsize rlen;
    const guint8 *rd = g_bytes_get_data (st->record_wire, &rlen);
    st->record_fields = hl_decode_records (rd, rlen, st->encrypted, ctx.version, ctx.suite, FALSE,
                                           st->plaintext ? (gssize)clen : -1);
  }
  if ((st->delivered_wire && !st->encrypted) || st->delivered_plaintext) {
    gsize dlen;
    const guint8 *dd = g_bytes_get_data (
        st->delivered_plaintext ? st->delivered_plaintext : st->delivered_wire, &dlen);
    st->delivered_fields = hl_decode_content (st->content_type, dd, dlen, &ctx);
  }
  {
    /* A 1-byte record is BearSSL's 1/n-1 split only if the rest of the write is next. */
    const Pending *next = g_queue_peek_head (&run->pending);
    gboolean more
        = next && next->from == st->from && strcmp (next->message, "ApplicationData") == 0;
    st->split_first = strcmp (st->message, "ApplicationData") == 0 && st->plaintext && clen == 1
                      && !st->tls13 && ctx.version == 0x0301 && suite
                      && (suite->cipher == HL_CIPHER_AES_CBC || suite->cipher == HL_CIPHER_3DES_CBC)
                      && more;
    st->close_notify = strcmp (st->message, "Alert") == 0 && clen >= 2 && content[1] == 0;
    st->summary = _hl_run_summarize (st, content, clen, st->tls13 ? 0x0304 : ctx.version,
                                     _hl_run_current_connection (run)->resumed, suite);
  }
  {
    gboolean tls13 = st->tls13;
    gboolean resumed = _hl_run_current_connection (run)->resumed
                       || (st->handshake_type == HL_HANDSHAKE_CLIENT_HELLO && run->connection > 1
                           && (tls13 || run->offered_session_id->len > 0));
    st->story = _hl_run_tell_story (st, suite, resumed, tls13, run->hellos.hello_retry);
  }
  if (st->handshake_type == HL_HANDSHAKE_CLIENT_HELLO && earlier_step (run, "HelloRetryRequest")) {
    /* No guess any more: RFC 8446 4.2.8 asks for exactly the group the server named. */
    explain_field (st->fields, "Key share", TRUE,
                   _ ("The client's public value for the group the HelloRetryRequest "
                      "named: after a HelloRetryRequest the client must send exactly one "
                      "share, for that group (RFC 8446 4.2.8)."));
    g_free (st->summary);
    g_free (st->story);
    st->summary = g_strdup (_ ("The client tries again, with a key share for the group the "
                               "server named."));
    st->story = g_strdup (_ ("Story step 1 again, after HelloRetryRequest: the same random and "
                             "session id, now with a key share for the group the server asked "
                             "for. The transcript keeps the first ClientHello only as its hash "
                             "(message_hash), which lets a server that answered the first one "
                             "without keeping it (a cookie) pick up the handshake."));
    const guint8 *cookie;
    gsize cookie_len;
    if (st->wire
        && hl_hello_find_extension (g_bytes_get_data (st->wire, NULL), g_bytes_get_size (st->wire),
                                    44, &cookie, &cookie_len)) {
      g_free (st->story);
      st->story = g_strdup (_ ("Story step 1 again, after HelloRetryRequest: the same random and "
                               "session id, a key share for the group the server asked for, and "
                               "the server's cookie, copied byte for byte as RFC 8446 4.2.2 "
                               "requires. The server kept nothing of the first exchange: from "
                               "the cookie it takes back the hash of the first ClientHello "
                               "(message_hash in the transcript) and carries on."));
    }
  }
  if (st->handshake_type == HL_HANDSHAKE_ENCRYPTED_EXTENSIONS && st->plaintext
      && run->hellos.early_offered && run->hellos.psk_accepted) {
    /* EncryptedExtensions: type (1), length (3), extensions length (2), extensions */
    gsize n = g_bytes_get_size (st->plaintext);
    const guint8 *e = g_bytes_get_data (st->plaintext, NULL);
    gboolean accepts = FALSE;
    for (gsize off = 6; off + 4 <= n; off += 4 + (e[off + 2] << 8 | e[off + 3]))
      accepts |= (e[off] << 8 | e[off + 1]) == 42;
    if (!accepts) {
      g_free (st->story);
      st->story = g_strdup (_ ("The rest of the server's answer, encrypted under its handshake "
                               "key. The client offered 0-RTT data (early_data in its "
                               "ClientHello), and this list has no early_data: the server "
                               "declines it (RFC 8446 4.2.10). The early data is lost, no "
                               "EndOfEarlyData follows, and the client's next records use its "
                               "handshake key."));
    }
  }
  if (st->from == HL_SIDE_CLIENT && !st->early && st->key == HL_RECORD_KEY_APPLICATION
      && st->content_type == HL_CONTENT_APPLICATION_DATA && st->plaintext
      && run->scenario->early_data && run->peer[HL_SIDE_CLIENT]->ossl
      && hl_ossl_early_data_rejected (run->peer[HL_SIDE_CLIENT]->ossl)
      && g_bytes_get_size (st->plaintext) == strlen (run->scenario->early_data)
      && memcmp (g_bytes_get_data (st->plaintext, NULL), run->scenario->early_data,
                 strlen (run->scenario->early_data))
             == 0) {
    g_free (st->story);
    st->story = g_strdup (_ ("The 0-RTT request again: the server declined it as early data, so "
                             "the client's application sends it once more, now as ordinary "
                             "application data under its application traffic secret. OpenSSL "
                             "does not do it by itself: RFC 8446 4.2.10 leaves re-sending to "
                             "the application, which knows whether the request still makes "
                             "sense."));
  }
  _hl_run_explain_randoms (run, st);
  if (st->handshake_type == HL_HANDSHAKE_SERVER_HELLO && !st->tls13
      && _hl_run_current_connection (run)->resumed) {
    /* An abbreviated handshake (RFC 5246 7.3): the session and its master secret are old. */
    explain_field (st->fields, "Session ID", FALSE,
                   _ ("The session id the client offered, echoed: the server accepts to resume "
                      "that session (RFC 5246 7.4.1.3). Had it refused, it would have sent a new "
                      "id, or none."));
    explain_field (st->fields, "Random", FALSE,
                   _ ("32 bytes the server picked. This handshake resumes a session: the master "
                      "secret is the earlier session's, and the two new randoms feed only the key "
                      "block (RFC 5246 6.3), so this connection still gets fresh keys."));
    explain_field (st->fields, "Cipher suite", FALSE,
                   _ ("The suite of the session being resumed: RFC 5246 7.4.1.3 leaves the server "
                      "no choice here, and no key exchange takes place."));
  }
  if (st->handshake_type == HL_HANDSHAKE_CLIENT_HELLO && st->tls13 && run->connection > 1
      && run->peer[HL_SIDE_SERVER]->ossl) {
    /* The ClientHello as the server received it. */
    GBytes *got = st->delivered_wire ? st->delivered_wire : st->wire;
    st->check
        = _hl_run_check_binder13 (run, st, g_bytes_get_data (got, NULL), g_bytes_get_size (got));
  }
  if (st->handshake_type == HL_HANDSHAKE_SERVER_HELLO && run->hellos.version
      && run->hellos.version < 0x0304 && run->scenario->client.version_max >= 0x0304
      && wlen >= 38) {
    /* RFC 8446 4.1.3: a server that could speak TLS 1.3 marks a downgrade in its random. */
    g_autofree char *tail = hl_hex (w + 30, 8);
    gboolean sentinel = memcmp (w + 30, "DOWNGRD", 7) == 0;
    st->check = g_strdup_printf (
        sentinel ? _ ("Downgrade sentinel: the server random ends with %s (\"DOWNGRD\" and a "
                      "version byte): this server speaks TLS 1.3 but chose less. A TLS 1.3 client "
                      "that sees it knows an attacker may have removed TLS 1.3 from its offer.")
                 : _ ("No downgrade sentinel: the server random ends with %s, not \"DOWNGRD\". "
                      "A server that speaks TLS 1.3 but chose TLS 1.2 must write it there; this "
                      "one does not speak TLS 1.3, so it rightly sends none, and the client, "
                      "offered TLS 1.2, accepts it."),
        tail);
  }
  if (ctx.version == 0x0304 && strcmp (st->message, "CertificateVerify") == 0 && st->delivered) {
    st->check = _hl_run_describe_signed13 (run, st);
  } else if (ctx.version == 0x0304 && strcmp (st->message, "Finished") == 0) {
    /* TLS 1.3: HMAC with the sender's finished_key, checked by an OpenSSL receiver. */
    if (st->delivered_plaintext)
      st->check
          = _hl_run_check_finished13 (run, st, g_bytes_get_data (st->delivered_plaintext, NULL),
                                      g_bytes_get_size (st->delivered_plaintext));
    else if (content && !(st->encrypted && st->delivered_wire))
      st->check = _hl_run_check_finished13 (run, st, content, clen);
  } else if (strcmp (st->message, "Finished") == 0 && st->delivered_plaintext) {
    /* Re-encrypted: the receiver reads the changed content and judges that. */
    gsize dlen;
    const guint8 *dd = g_bytes_get_data (st->delivered_plaintext, &dlen);
    st->check = _hl_run_check_finished (run, st, dd, dlen);
  } else if (strcmp (st->message, "Finished") == 0 && content) {
    st->check = _hl_run_check_finished (run, st, content, clen);
  }
  /* Each handshake message goes into each side's transcript as that side saw it. */
  if (st->content_type == HL_CONTENT_HANDSHAKE && content
      && st->handshake_type != HL_HANDSHAKE_HELLO_REQUEST) {
    HlSide to = hl_side_other (st->from);
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

HlConnection *
_hl_run_current_connection (HlRun *run)
{
  return g_ptr_array_index (run->connections, run->connections->len - 1);
}

static void
deliver (HlRun *run, Pending *p)
{
  HlStep *st = g_new0 (HlStep, 1);
  HlSide to = hl_side_other (p->from);
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
  st->early = p->early;
  _hl_run_seal_to_step (p, st);

  receiver->watch.ended = FALSE;
  out = _hl_run_apply_changes (run, p, st->index, &what);
  {
    const HlEdit *edit = _hl_run_find_edit (run, p);
    if (edit && edit->plaintext && out && !g_bytes_equal (out, p->wire))
      st->delivered_plaintext = g_bytes_ref (edit->plaintext);
    else if (run->fault_plaintext && out && !g_bytes_equal (out, p->wire))
      st->delivered_plaintext = g_bytes_ref (run->fault_plaintext);
    g_clear_pointer (&run->fault_plaintext, g_bytes_unref);
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
    int error_before = _hl_peer_error (receiver);
    do {
      gsize chunk = MIN (len - off, p->encrypted ? 16384 + 2048 : 16384);
      guint8 hdr[5] = { p->record_type, p->record_version >> 8, p->record_version & 0xff,
                        chunk >> 8, chunk & 0xff };
      HlRecordHeader rh = { p->record_type, p->record_version, (guint16)chunk };
      g_array_append_val (st->records, rh);
      g_byte_array_append (framed, hdr, 5);
      g_byte_array_append (framed, d + off, chunk);
      accepted += _hl_run_feed (receiver, hdr, 5);
      accepted += _hl_run_feed (receiver, d + off, chunk);
      total += 5 + chunk;
      off += chunk;
    } while (off < len);
    st->record_wire = g_byte_array_free_to_bytes (framed);
    st->delivered = TRUE;
    st->accepted = accepted == total;
    st->rejected = !st->accepted && error_before == 0 && _hl_peer_error (receiver) != 0;
    /* 0-RTT data a server declined: it never derived the early keys, so the record fails
     * to decrypt under its handshake key and it discards it unread (RFC 8446 4.2.10). */
    if (p->early && to == HL_SIDE_SERVER && receiver->ossl
        && hl_ossl_early_data_rejected (receiver->ossl)) {
      st->skipped = TRUE;
      st->accepted = FALSE;
    }
    if (to == HL_SIDE_SERVER && p->handshake_type == HL_HANDSHAKE_CLIENT_HELLO)
      receiver->knows |= KNOW (HL_SECRET_CLIENT_RANDOM);
    /* ServerKeyExchange (ECDHE): curve_type 3, named curve (2), point length (1), point.
     * The client holds the server's share as soon as it has read and accepted it. */
    if (to == HL_SIDE_CLIENT && p->handshake_type == HL_HANDSHAKE_SERVER_KEY_EXCHANGE
        && st->accepted && _hl_peer_error (receiver) == 0 && len > 8 && d[4] == 3
        && len >= 8 + (gsize)d[7]) {
      _hl_run_set_bytes (&receiver->cap.ecdh_peer_public, d + 8, d[7]);
      receiver->knows |= _hl_run_own_ecdh (HL_SIDE_SERVER, FALSE);
    }
    if (to == HL_SIDE_CLIENT && p->handshake_type == HL_HANDSHAKE_SERVER_HELLO) {
      receiver->knows |= KNOW (HL_SECRET_SERVER_RANDOM) | KNOW (HL_SECRET_SESSION_ID);
      /* Resumed when the ServerHello the client got echoes the session id it offered. */
      if (len > 38 && d[38] > 0 && len >= 39 + (gsize)d[38] && d[38] == run->offered_session_id->len
          && memcmp (d + 39, run->offered_session_id->data, d[38]) == 0
          && strcmp (p->message, "ServerHello") == 0 && run->hellos.version
          && run->hellos.version < 0x0304)
        _hl_run_current_connection (run)->resumed = TRUE;
      /* TLS 1.3 keeps the session id only for middleboxes: a resumption is a PSK accepted. */
      if (run->hellos.version == 0x0304 && run->hellos.psk_accepted)
        _hl_run_current_connection (run)->resumed = TRUE;
    }
    g_bytes_unref (out);
  }
  _hl_run_pump (run);
  if (receiver->ossl && hl_ossl_verdict (receiver->ossl)
      && g_strcmp0 (hl_ossl_verdict (receiver->ossl), receiver->verdict) != 0) {
    st->certificate_check = g_strdup (hl_ossl_verdict (receiver->ossl));
    g_free (receiver->verdict);
    receiver->verdict = g_strdup (st->certificate_check);
    receiver->trusted = hl_ossl_trusted (receiver->ossl);
  }
  if (receiver->watch.ended) {
    st->certificate_check = _hl_run_judge_chain (receiver);
    g_free (receiver->verdict);
    receiver->verdict = g_strdup (st->certificate_check);
    receiver->trusted = receiver->watch.result == 0;
    /* Static ECDH: the server's key share is the public key in its certificate, so
     * the client holds it as soon as it has accepted the chain. */
    if (to == HL_SIDE_CLIENT && receiver->watch.result == 0) {
      const HlSuite *suite = _hl_run_negotiated_suite (receiver);
      const br_x509_pkey *pk = receiver->watch.inner.vtable->get_pkey (
          (const br_x509_class *const *)&receiver->watch.inner.vtable, NULL);
      if (suite && hl_suite_is_ecdh (suite) && !hl_suite_is_ecdhe (suite) && pk
          && pk->key_type == BR_KEYTYPE_EC) {
        _hl_run_set_bytes (&receiver->cap.ecdh_peer_public, pk->key.ec.q, pk->key.ec.qlen);
        receiver->knows |= _hl_run_own_ecdh (HL_SIDE_SERVER, FALSE);
      }
    }
  }
  decode_step (run, st);
  run->delivering = st;
  fill_after (run, st);
  run->delivering = NULL;
  g_ptr_array_add (run->steps, st);
  g_ptr_array_add (_hl_run_current_connection (run)->steps, st);
}

static void
collect_view (HlRun *run, Peer *p, HlSecrets *out, gboolean resumed)
{
  if (p->ossl)
    _hl_run_collect_view13 (run, p, out);
  else
    _hl_run_collect_view (p, out, resumed);
}

static void
finish_connection (HlRun *run)
{
  HlConnection *c = _hl_run_current_connection (run);
  Peer *cl = run->peer[HL_SIDE_CLIENT], *sv = run->peer[HL_SIDE_SERVER];
  br_ssl_session_parameters sp = { 0 };
  int curve = -1;
  if (!cl->ossl)
    br_ssl_engine_get_session_parameters (cl->eng, &sp);
  for (int s = 0; s < 2; s++) {
    Peer *p = run->peer[s];
    c->error[s] = _hl_peer_error (p);
    c->explanation[s] = _hl_run_explain_end (run, s, c);
    c->openssl[s] = p->ossl != NULL;
    if (p->ossl && hl_ossl_reason (p->ossl))
      c->reason[s] = g_strdup (hl_ossl_reason (p->ossl));
  }
  /* The spec's outcome: success means both sides finished the handshake. */
  c->success = cl->handshake_done && sv->handshake_done;
  c->hello_retry = run->hellos.hello_retry;
  c->extended_master_secret = run->hellos.extended_master_secret;
  if (cl->knows & KNOW (HL_SECRET_SERVER_RANDOM)) {
    c->version = _hl_peer_version (cl);
    c->suite = cl->ossl ? run->hellos.suite : sp.cipher_suite;
  }
  if (c->version == 0x0304)
    curve = run->hellos.group;
  else {
    if (!cl->ossl)
      curve = br_ssl_engine_get_ecdhe_curve (cl->eng);
    /* A client that stopped before the ServerKeyExchange never learnt the curve its server
     * had picked: the server's choice names it. */
    if (curve <= 0 && !sv->ossl)
      curve = br_ssl_engine_get_ecdhe_curve (sv->eng);
  }
  /* A resumed TLS 1.2 connection agrees no key: BearSSL's curve is the previous one's. */
  if (c->version == 0x0304 ? curve > 0 && c->suite
                           : !c->resumed && c->suite && hl_suite_by_id (c->suite)
                                 && hl_suite_is_ecdh (hl_suite_by_id (c->suite)) && curve > 0)
    c->curve = curve;
  if (cl->ossl) {
    c->alpn = hl_ossl_alpn (cl->ossl);
  } else {
    const char *alpn = br_ssl_engine_get_selected_protocol (cl->eng);
    c->alpn = alpn ? g_strdup (alpn) : NULL;
  }
  c->server_name
      = run->scenario->client.server_name ? g_strdup (run->scenario->client.server_name) : NULL;
  collect_view (run, cl, &c->secrets, c->resumed);
  collect_view (run, sv, &c->server_secrets, c->resumed);
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
  _hl_run_clear_hellos (&run->hellos);
  for (int s = 0; s < 2; s++) {
    Peer *p = run->peer[s];
    Direction *d = &run->dir[s];
    _hl_run_clear_captures (&p->cap);
    _hl_run_forget_held (p);
    p->knows = 0;
    p->handshake_done = FALSE;
    g_byte_array_set_size (p->app_received, 0);
    g_byte_array_set_size (d->raw, 0);
    g_byte_array_set_size (d->hs, 0);
    d->encrypting = FALSE;
    d->in_ready = FALSE;
    d->tls13_secret = -1;
    d->tls13_seq = 0;
    g_clear_pointer (&d->tls13_updated, g_bytes_unref);
    d->tls13_generation = 0;
  }
  if (run->peer[HL_SIDE_SERVER]->ossl) {
    hl_ossl_start (run->peer[HL_SIDE_SERVER]->ossl, resume, NULL);
  } else {
    _hl_run_enter (run->peer[HL_SIDE_SERVER]);
    br_ssl_server_reset (&run->peer[HL_SIDE_SERVER]->sc);
  }
  if (run->peer[HL_SIDE_CLIENT]->ossl) {
    hl_ossl_start (run->peer[HL_SIDE_CLIENT]->ossl, resume, run->scenario->early_data);
  } else {
    _hl_run_enter (run->peer[HL_SIDE_CLIENT]);
    br_ssl_client_reset (&run->peer[HL_SIDE_CLIENT]->cc, run->scenario->client.server_name,
                         resume ? 1 : 0);
  }
  _hl_run_enter (NULL);
  run->phase = SCRIPT_HANDSHAKE;
  _hl_run_pump (run);
}

static void
send_app_data (HlRun *run, HlSide side, const char *text)
{
  Peer *p = run->peer[side];
  gsize len = strlen (text), done = 0;
  if (p->ossl) {
    hl_ossl_send (p->ossl, (const guint8 *)text, len);
    _hl_run_pump (run);
    return;
  }
  /* One record at a time: each full record is collected before the next is written. */
  for (int round = 0; round < MAX_STEPS && done < len; round++) {
    size_t room;
    unsigned char *buf;
    _hl_run_enter (p);
    if (!(br_ssl_engine_current_state (p->eng) & BR_SSL_SENDAPP))
      break;
    buf = br_ssl_engine_sendapp_buf (p->eng, &room);
    if (room > len - done)
      room = len - done;
    memcpy (buf, text + done, room);
    br_ssl_engine_sendapp_ack (p->eng, room);
    done += room;
    br_ssl_engine_flush (p->eng, 0);
    _hl_run_enter (NULL);
    _hl_run_pump (run);
  }
  _hl_run_enter (NULL);
  _hl_run_pump (run);
}

/* When nothing is in flight: the next thing the scenario's script does. FALSE: the run ends. */
static gboolean
advance_script (HlRun *run)
{
  const HlScenario *s = run->scenario;
  Peer *cl = run->peer[HL_SIDE_CLIENT], *sv = run->peer[HL_SIDE_SERVER];
  gboolean open = cl->handshake_done && sv->handshake_done && _hl_peer_can_send (cl)
                  && _hl_peer_can_send (sv);
  while (run->phase != SCRIPT_DONE) {
    switch (run->phase) {
    case SCRIPT_HANDSHAKE:
      /* CloseNotify defaults to true even without [Application]: a connection that
       * completes is closed properly. */
      run->phase = open ? SCRIPT_RESEND_EARLY : SCRIPT_DONE;
      break;
    case SCRIPT_RESEND_EARLY:
      /* The server declined the 0-RTT data: the client's application sends it again, now
       * under its application traffic secret. OpenSSL does not do it by itself: RFC 8446
       * 4.2.10 leaves re-sending to the application. */
      run->phase = SCRIPT_CLIENT_DATA;
      if (s->early_data && run->connection > 1 && cl->ossl && hl_ossl_early_data_rejected (cl->ossl)
          && open) {
        send_app_data (run, HL_SIDE_CLIENT, s->early_data);
        return TRUE;
      }
      break;
    case SCRIPT_CLIENT_DATA:
      run->phase = SCRIPT_KEY_UPDATE;
      if (s->client_data && *s->client_data && open) {
        send_app_data (run, HL_SIDE_CLIENT, s->client_data);
        return TRUE;
      }
      break;
    case SCRIPT_KEY_UPDATE:
      run->phase = SCRIPT_SERVER_DATA;
      if (s->key_update && cl->ossl && run->hellos.version == 0x0304 && _hl_peer_can_send (cl)) {
        hl_ossl_key_update (cl->ossl);
        _hl_run_pump (run);
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
        if (cl->ossl) {
          hl_ossl_close (cl->ossl);
        } else {
          _hl_run_enter (cl);
          br_ssl_engine_close (cl->eng);
          _hl_run_enter (NULL);
        }
        _hl_run_pump (run);
        return TRUE;
      }
      break;
    case SCRIPT_DONE:
      break;
    }
  }
  finish_connection (run);
  if (s->resumption && run->connection == 1 && _hl_run_current_connection (run)->success) {
    start_connection (run, TRUE);
    return TRUE;
  }
  return FALSE;
}

static void
teardown (HlRun *run)
{
  for (int s = 0; s < 2; s++) {
    _hl_run_free_peer (run->peer[s]);
    run->peer[s] = NULL;
    g_byte_array_unref (run->dir[s].raw);
    g_byte_array_unref (run->dir[s].hs);
    g_clear_pointer (&run->dir[s].tls13_updated, g_bytes_unref);
  }
  g_queue_clear_full (&run->pending, (GDestroyNotify)_hl_run_free_pending);
  g_ptr_array_set_size (run->connections, 0);
  g_ptr_array_set_size (run->steps, 0);
  g_clear_pointer (&run->fault_error, g_free);
  g_clear_pointer (&run->fault_plaintext, g_bytes_unref);
  _hl_run_clear_hellos (&run->hellos);
}

static gboolean
setup (HlRun *run, GError **error)
{
  for (int s = 0; s < 2; s++) {
    run->dir[s].raw = g_byte_array_new ();
    run->dir[s].hs = g_byte_array_new ();
  }
  run->peer[HL_SIDE_CLIENT] = _hl_run_new_client (run, run->scenario, error);
  if (!run->peer[HL_SIDE_CLIENT])
    return FALSE;
  run->peer[HL_SIDE_SERVER] = _hl_run_new_server (run, run->scenario, error);
  if (!run->peer[HL_SIDE_SERVER])
    return FALSE;
  run->connection = 0;
  run->finished = FALSE;
  run->fault_counter = 0;
  run->fault_applied = FALSE;
  start_connection (run, FALSE);
  settle (run);
  return TRUE;
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
  run->edits = g_ptr_array_new_with_free_func ((GDestroyNotify)_hl_run_free_edit);
  run->offered_session_id = g_byte_array_new ();
  run->view[0] = g_byte_array_new ();
  run->view[1] = g_byte_array_new ();
  g_queue_init (&run->pending);
  if (!setup (run, error)) {
    hl_run_free (run);
    return NULL;
  }
  return run;
}

void
hl_run_free (HlRun *run)
{
  if (!run)
    return;
  if (run->recorded) {
    _hl_recorded_free (run);
    return;
  }
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
hl_run_get_scenario (const HlRun *run)
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
  if (run->recorded)
    return _hl_recorded_step (run);
  if (run->finished)
    return FALSE;
  if (run->steps->len >= MAX_STEPS) {
    finish_connection (run);
    run->finished = TRUE;
    return FALSE;
  }
  p = g_queue_pop_head (&run->pending);
  deliver (run, p);
  _hl_run_free_pending (p);
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
hl_run_is_finished (const HlRun *run)
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
  if (run->recorded) {
    _hl_recorded_seek (run, n_steps);
    return;
  }
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
  setup (run, NULL); /* it worked the first time, and the scenario is the same */
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
hl_run_get_n_steps (const HlRun *run)
{
  return run->steps->len;
}

const HlStep *
hl_run_get_step (const HlRun *run, guint i)
{
  return i < run->steps->len ? g_ptr_array_index (run->steps, i) : NULL;
}

guint
hl_run_get_n_connections (const HlRun *run)
{
  return run->connections->len;
}

const HlConnection *
hl_run_get_connection (const HlRun *run, guint i)
{
  return i < run->connections->len ? g_ptr_array_index (run->connections, i) : NULL;
}

gboolean
hl_run_peek_next (const HlRun *run, HlNextMessage *next)
{
  const Pending *p = run->pending.head ? run->pending.head->data : NULL; /* peek, const */
  if (run->recorded)
    return _hl_recorded_peek (run, next);
  if (run->finished || !p)
    return FALSE;
  next->from = p->from;
  next->message = p->message;
  next->wire = p->wire;
  next->plaintext = p->plaintext;
  next->encrypted = p->encrypted;
  next->connection = p->connection;
  next->nth = _hl_run_count_nth (run, p);
  return TRUE;
}
