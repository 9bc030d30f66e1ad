/* hl-run-story.c: Teaching text: what each message does, where it stands in the classic
 * nine-step story, the verdict on a chain and how each side ended. All
 * the run's sentences are here, ready for translation.
 */
#include "hl-run-private.h"
#include "hl-decode.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <string.h>

/* Whether a hello (or HelloRetryRequest) carries extension `type`; with `value`, whether
 * its one-byte list (psk_key_exchange_modes) holds that value. */
static gboolean
hello_has (const HlStep *st, guint type, int value)
{
  GBytes *b = st->encrypted ? st->plaintext : st->wire;
  const guint8 *msg, *d;
  gsize len, n;
  if (!b)
    return FALSE;
  msg = g_bytes_get_data (b, &len);
  if (!hl_hello_find_extension (msg, len, type, &d, &n))
    return FALSE;
  if (value < 0)
    return TRUE;
  for (gsize i = 1; n >= 1 && i <= d[0] && i < n; i++)
    if (d[i] == value)
      return TRUE;
  return FALSE;
}

/* TLS 1.3 against the nine steps: what each message keeps of the story, and what changed. */
static char *
tell_story13 (const HlStep *st, gboolean resumed, gboolean retried)
{
  const char *m = st->message;
  gboolean client = st->from == HL_SIDE_CLIENT;
  /* psk_key_exchange_modes offering psk_ke (0) besides psk_dhe_ke (RFC 8446 4.2.9) */
  if (strcmp (m, "ClientHello") == 0 && resumed && hello_has (st, 45, 0))
    return g_strdup (_ ("Story step 1, TLS 1.3 resumption: the client offers a ticket from the "
                        "last connection (pre_shared_key) and allows two modes in "
                        "psk_key_exchange_modes: psk_dhe_ke, for which it still sends a fresh key "
                        "share, and psk_ke, the PSK alone. The server picks one (RFC 8446 "
                        "4.2.9)."));
  if (strcmp (m, "ServerHello") == 0 && resumed && !hello_has (st, 51, -1))
    return g_strdup (_ ("Story step 2, TLS 1.3 resumption with psk_ke: the server accepts the "
                        "ticket's PSK and sends no key share (in this mode it must not, RFC 8446 "
                        "4.2.9), so no (EC)DHE takes place. The PSK is the only secret in the key "
                        "schedule: where the (EC)DHE shared secret would enter the handshake "
                        "secret, Hash.length zero bytes stand in (RFC 8446 7.1). This connection "
                        "has no forward secrecy: whoever later learns the PSK can derive all its "
                        "keys and read what was recorded."));
  if (strcmp (m, "HelloRetryRequest") == 0 && hello_has (st, 44, -1))
    return g_strdup (_ ("The price of a wrong guess, from a server that keeps no state: it takes "
                        "none of the client's key shares, names the group it wants, and puts what "
                        "it needs to carry on into a cookie (RFC 8446 4.2.2). Then it forgets "
                        "this exchange. The client must send the cookie back unchanged in its "
                        "second ClientHello; the first ClientHello enters the transcript only as "
                        "its hash (message_hash), and this server keeps that hash in the "
                        "cookie."));
  if (strcmp (m, "ApplicationData") == 0 && st->early && st->skipped)
    return g_strdup (_ ("0-RTT early data the server declined: sent with the client's first "
                        "flight under client_early_traffic_secret, a key this server never "
                        "derived. It tries the record with the client's handshake key, fails, and "
                        "discards it unread, as RFC 8446 4.2.10 says a server that declines early "
                        "data does (up to max_early_data_size bytes). The client learns of the "
                        "refusal from EncryptedExtensions (no early_data there) and sends the data "
                        "again after the handshake if it still wants it."));
  if (strcmp (m, "ClientHello") == 0)
    return g_strdup (
        resumed ? _ ("Story step 1, TLS 1.3 resumption: the client offers a ticket from the last "
                     "connection (pre_shared_key) and, with psk_dhe_ke, still a fresh key share.")
                : _ ("Story step 1, changed by TLS 1.3: besides its random and suites, the client "
                     "already sends a key share (key_share): it guesses the group the server will "
                     "take; a right guess puts the key exchange of story step 4 here, a round trip "
                     "early."));
  if (strcmp (m, "HelloRetryRequest") == 0)
    return g_strdup (_ ("The price of a wrong guess: the server takes none of the client's key "
                        "shares and names the group it wants. The client must send a second "
                        "ClientHello: one extra round trip, and the first ClientHello enters the "
                        "transcript only as its hash (message_hash)."));
  if (strcmp (m, "ServerHello") == 0)
    return g_strdup (
        resumed ? _ ("Story step 2, TLS 1.3 resumption: the server accepts the ticket's PSK; no "
                     "certificate follows, since the PSK already proves who it is.")
                : _ ("Story steps 2 and 5 at once: the server's random, its choice and its own key "
                     "share. Both sides now compute the (EC)DHE shared secret and the handshake "
                     "keys: no premaster is sent, since story step 4's key shares travelled in the "
                     "two hellos (RFC 8446 4.2.8). Every handshake "
                     "message after this one, up to each side's Finished, is encrypted under the "
                     "handshake keys. Only a "
                     "compatibility ChangeCipherSpec still passes in plaintext, or an alert a "
                     "side sends before it has switched its own sending key (a client switches "
                     "only once it has the server's Finished, RFC 8446 A.1); what each side sends "
                     "after its own Finished (application data, tickets, key updates) uses its "
                     "application keys (RFC 8446 2, 6, 7.1)."));
  if (strcmp (m, "ChangeCipherSpec") == 0)
    return g_strdup (_ ("Not part of TLS 1.3: a dummy ChangeCipherSpec that changes nothing, sent "
                        "only so that middleboxes which expect a TLS 1.2 handshake let this one "
                        "through (RFC 8446 appendix D.4)."));
  if (strcmp (m, "EncryptedExtensions") == 0)
    return g_strdup (_ ("New in TLS 1.3: the rest of the server's answer (ALPN, server name), "
                        "already encrypted under the server's handshake key."));
  if (strcmp (m, "CertificateRequest") == 0)
    return g_strdup (_ ("Mutual TLS: the server asks for a client certificate; in TLS 1.3 the "
                        "request itself is encrypted."));
  if (strcmp (m, "Certificate") == 0)
    return g_strdup (client ? _ ("Mutual TLS: the client's certificate, encrypted.")
                            : _ ("Story steps 2 and 3, changed by TLS 1.3: the certificate is "
                                 "encrypted, so an eavesdropper no longer learns which site this "
                                 "is from it. The client checks it as before."));
  if (strcmp (m, "CertificateVerify") == 0)
    return g_strdup (client ? _ ("Mutual TLS: the client signs the transcript with its "
                                 "certificate's key.")
                            : _ ("Replaces RSA key exchange and the signed ServerKeyExchange: the "
                                 "server signs the transcript hash with its certificate's key, "
                                 "proving it holds that key. The certificate's key never "
                                 "protects traffic, so every full TLS 1.3 handshake has forward "
                                 "secrecy; a psk_ke resumption (no fresh key share, RFC 8446 "
                                 "4.2.9) and 0-RTT data do not."));
  if (strcmp (m, "Finished") == 0)
    return g_strdup (
        client && retried
            ? _ ("Story step 6: the client's Finished, an HMAC over the transcript. The client "
                 "sends it after the server's, the reverse of a full TLS 1.2 handshake; with the "
                 "HelloRetryRequest, two round trips in all (RFC 8446 2.1).")
        : client
            ? _ ("Story step 6: the client's Finished, an HMAC over the transcript. "
                 "The client sends it after the server's, the reverse of a full TLS 1.2 handshake: "
                 "one round trip in all.")
            : _ ("Story step 7, moved earlier: the server's Finished ends its "
                 "first flight. The server can send application data right after "
                 "it, before the client has finished."));
  if (strcmp (m, "NewSessionTicket") == 0)
    return g_strdup (_ ("After the handshake: a ticket for resuming later. Each ticket's PSK comes "
                        "from the resumption master secret and this ticket's nonce."));
  if (strcmp (m, "EndOfEarlyData") == 0)
    return g_strdup (
        _ ("The client's 0-RTT data ends here; from now on it uses its handshake key."));
  if (strcmp (m, "KeyUpdate") == 0 && st->key == HL_RECORD_KEY_APPLICATION)
    return g_strdup_printf (
        _ ("New in TLS 1.3: the %s moves on to the next application traffic secret, without a "
           "new handshake. This message itself still travels under the old keys (%s "
           "application traffic secret %u); every record it sends after it uses secret %u "
           "(RFC 8446 4.6.3)."),
        hl_side_word (st->from), hl_side_word (st->from), st->key_generation,
        st->key_generation + 1);
  if (strcmp (m, "KeyUpdate") == 0)
    return g_strdup (_ ("New in TLS 1.3: the sender moves on to the next application traffic "
                        "secret, without a new handshake."));
  if (strcmp (m, "ApplicationData") == 0 && st->early)
    return g_strdup (_ ("0-RTT early data: sent with the client's first flight, encrypted under "
                        "a key from the PSK alone, and read by the server before the handshake "
                        "is done. TLS itself gives this data no replay protection: an attacker who "
                        "recorded the ClientHello and its early data can send them again (RFC 8446 "
                        "8). This server blocks replays "
                        "with single-use tickets, but a cluster of servers that cannot share "
                        "that memory may not. Nor is this data forward secret: it falls with the "
                        "PSK (RFC 8446 2.3). Only requests that are safe to repeat belong here."));
  if (strcmp (m, "ApplicationData") == 0 && st->key == HL_RECORD_KEY_APPLICATION)
    /* Generation 0 comes from the key schedule (RFC 8446 7.1); each KeyUpdate makes the next
     * (7.2). */
    return st->key_generation == 0
               ? g_strdup_printf (_ ("Story steps 8 and 9: application data, under the %s's "
                                     "application traffic keys (%s application traffic secret 0, "
                                     "RFC 8446 7.1)."),
                                  hl_side_word (st->from), hl_side_word (st->from))
               : g_strdup_printf (_ ("Story steps 8 and 9: application data, under the %s's "
                                     "application traffic keys (%s application traffic secret "
                                     "%u, after KeyUpdate: RFC 8446 7.2)."),
                                  hl_side_word (st->from), hl_side_word (st->from),
                                  st->key_generation);
  return NULL;
}

/* The nine steps of the classic story, and where a message stands in it. */
char *
_hl_run_tell_story (const HlStep *st, const HlSuite *suite, gboolean resumed, gboolean tls13,
                    gboolean retried)
{
  if (tls13) {
    char *t = tell_story13 (st, resumed, retried);
    if (t)
      return t;
  }
  const char *m = st->message;
  gboolean ecdhe = suite && hl_suite_is_ecdhe (suite);
  gboolean ecdh = suite && hl_suite_is_ecdh (suite) && !ecdhe;
  if (strcmp (m, "ClientHello") == 0)
    return g_strdup (resumed ? _ ("Story step 1, shortened: the client says hello again and offers "
                                  "the session id of an earlier session to resume it.")
                             : _ ("Story step 1: the client says hello, with its random and the "
                                  "cipher suites it can use."));
  if (strcmp (m, "ServerHello") == 0)
    return g_strdup (resumed ? _ ("Story step 2, shortened: the server accepts to resume; both "
                                  "sides reuse the old master secret, and the two new randoms "
                                  "feed only the key block.")
                             : _ ("Story step 2: the server answers with its own random and the "
                                  "chosen cipher suite."));
  if (strcmp (m, "Certificate") == 0)
    return g_strdup (st->from == HL_SIDE_SERVER
                         ? _ ("Story steps 2 and 3: the server shows its certificate; the client "
                              "checks it against the CAs it trusts right after receiving it.")
                         : _ ("Mutual TLS, beyond the nine steps: the client shows its own "
                              "certificate and the server checks it."));
  if (strcmp (m, "ServerKeyExchange") == 0)
    return g_strdup (_ ("Where ECDHE differs from the story: instead of receiving an encrypted "
                        "premaster, the server sends a fresh public key share, signed with its "
                        "certificate's key, so that recorded traffic stays secret even if that key "
                        "leaks later (forward secrecy)."));
  if (strcmp (m, "CertificateRequest") == 0)
    return g_strdup (_ ("Mutual TLS, beyond the nine steps: the server asks the client for a "
                        "certificate, naming the CAs it accepts."));
  if (strcmp (m, "ServerHelloDone") == 0)
    return g_strdup (_ ("End of story step 2: the server has said everything; the client's turn."));
  if (strcmp (m, "ClientKeyExchange") == 0) {
    if (ecdhe)
      return g_strdup (_ ("Story step 4, ECDHE version: the client sends its public key share; "
                          "each side multiplies the other's share by its own secret and both get "
                          "the same premaster secret without it ever crossing the wire."));
    if (ecdh)
      return g_strdup (_ ("Story step 4, static ECDH version: the client sends a share and "
                          "combines it with the fixed key in the server's certificate; there is no "
                          "forward secrecy."));
    return g_strdup (_ ("Story step 4: the client encrypts a random premaster secret to the "
                        "server's RSA public key; only the server's private key can open it. "
                        "Then story step 5: both sides derive the session keys from the two "
                        "randoms and the premaster."));
  }
  if (strcmp (m, "CertificateVerify") == 0)
    return g_strdup (_ ("Mutual TLS, beyond the nine steps: the client signs the handshake so far "
                        "to prove it holds its certificate's private key."));
  /* RFC 5246 7.3, figures 1 and 2: in a full handshake the client's ChangeCipherSpec comes
   * before its Finished (story step 6) and the server's after it; in an abbreviated one the
   * server's follows its ServerHello and the client's follows the server's Finished. */
  if (strcmp (m, "ChangeCipherSpec") == 0 && resumed)
    return g_strdup (st->from == HL_SIDE_CLIENT
                         ? _ ("After the server's Finished, before story step 6: from the next "
                              "record on, the client encrypts with the session keys.")
                         : _ ("Right after the ServerHello, before story step 7: in a resumption "
                              "the server switches first; from the next record on, it encrypts "
                              "with the session keys."));
  if (strcmp (m, "ChangeCipherSpec") == 0)
    return g_strdup (st->from == HL_SIDE_CLIENT
                         ? _ ("Between story steps 5 and 6: from the next record on, the client "
                              "encrypts with the session keys.")
                         : _ ("Between story steps 6 and 7: from the next record on, the server "
                              "encrypts with the session keys."));
  if (strcmp (m, "Finished") == 0 && resumed)
    return g_strdup (st->from == HL_SIDE_CLIENT
                         ? _ ("Story step 6, last in a resumption: the client's Finished answers "
                              "the server's and proves it holds the same master secret; the "
                              "handshake is complete.")
                         : _ ("Story step 7, first in a resumption: in the abbreviated handshake "
                              "the server sends its ChangeCipherSpec and Finished first, right "
                              "after its ServerHello (RFC 5246 7.3), so this is the first "
                              "encrypted message."));
  if (strcmp (m, "Finished") == 0)
    return g_strdup (st->from == HL_SIDE_CLIENT
                         ? _ ("Story step 6: the client's Finished, the first encrypted message, "
                              "proves it saw the same handshake and holds the same keys.")
                         : _ ("Story step 7: the server's Finished proves the same from its side; "
                              "the handshake is complete."));
  if (strcmp (m, "ApplicationData") == 0)
    return g_strdup (_ ("Story steps 8 and 9: application data, encrypted and authenticated with "
                        "the session keys."));
  if (strcmp (m, "Alert") == 0)
    return g_strdup (st->summary && strstr (st->summary, "close_notify")
                         ? _ ("The end of the story: close_notify says \"I am done sending\". "
                              "Without it, an attacker could cut the connection short and the "
                              "receiver could not tell truncated data from the real end.")
                         : _ ("Outside the happy path: an alert tells the peer why the connection "
                              "ends."));
  return g_strdup ("");
}

char *
_hl_run_summarize (const HlStep *st, const guint8 *content, gsize clen, guint version,
                   gboolean resumed, const HlSuite *suite)
{
  const char *m = st->message;
  if (strcmp (m, "Alert") == 0 && clen >= 2 && version == 0x0304 && content[1] == 0)
    return g_strdup (_ ("Alert close_notify (0): the sender is done (TLS 1.3 ignores the level "
                        "byte; close_notify and user_canceled are the closure alerts, every other "
                        "alert is fatal, RFC 8446 6.1, 6.2)."));
  if (strcmp (m, "Alert") == 0 && clen >= 2)
    return g_strdup_printf (content[0] == 2 ? _ ("Fatal alert: %s (%d).")
                                            : _ ("Warning alert: %s (%d)."),
                            hl_alert_name (content[1]), content[1]);
  if (st->split_first)
    return g_strdup (_ ("1 byte of application data: BearSSL splits each write 1/n-1 in TLS 1.0 "
                        "CBC, so the IV of the record carrying the rest is unpredictable to an "
                        "attacker (the defence against BEAST)."));
  if (strcmp (m, "ApplicationData") == 0 && st->early && st->plaintext && st->skipped)
    return g_strdup_printf (P_ ("%zu byte of 0-RTT early data, which the server skipped unread.",
                                "%zu bytes of 0-RTT early data, which the server skipped unread.",
                                clen),
                            clen);
  if (strcmp (m, "ApplicationData") == 0 && st->early && st->plaintext)
    return g_strdup_printf (
        P_ ("%zu byte of 0-RTT early data.", "%zu bytes of 0-RTT early data.", clen), clen);
  if (strcmp (m, "ApplicationData") == 0 && st->plaintext)
    return g_strdup_printf (
        P_ ("%zu byte of application data.", "%zu bytes of application data.", clen), clen);
  if (strcmp (m, "ChangeCipherSpec") == 0 && version == 0x0304)
    return g_strdup (_ ("Compatibility ChangeCipherSpec: means nothing in TLS 1.3."));
  if (strcmp (m, "HelloRetryRequest") == 0 && hello_has (st, 44, -1))
    return g_strdup (_ ("The server asks for a key share on another group and hands the client a "
                        "cookie to return."));
  if (strcmp (m, "HelloRetryRequest") == 0)
    return g_strdup (_ ("The server asks for a key share on another group."));
  if (strcmp (m, "EncryptedExtensions") == 0)
    return g_strdup (_ ("The server's remaining extensions, encrypted."));
  if (strcmp (m, "NewSessionTicket") == 0)
    return g_strdup (_ ("A ticket to resume this session later."));
  if (strcmp (m, "EndOfEarlyData") == 0)
    return g_strdup (_ ("The end of the client's 0-RTT data."));
  if (strcmp (m, "KeyUpdate") == 0)
    return g_strdup_printf (_ ("The %s moves to new traffic keys."), hl_side_word (st->from));
  if (strcmp (m, "ClientHello") == 0)
    return g_strdup (_ ("The client opens the handshake."));
  /* An abbreviated handshake leaves the server nothing to pick (RFC 5246 7.4.1.3). */
  if (strcmp (m, "ServerHello") == 0 && resumed && version < 0x0304)
    return g_strdup (_ ("The server accepts to resume the offered session and keeps its cipher "
                        "suite (RFC 5246 7.4.1.3)."));
  if (strcmp (m, "ServerHello") == 0)
    return g_strdup (_ ("The server picks the version and cipher suite."));
  if (strcmp (m, "Certificate") == 0)
    return g_strdup_printf (_ ("The %s's certificate chain."), hl_side_word (st->from));
  if (strcmp (m, "ServerKeyExchange") == 0)
    return g_strdup (_ ("The server's signed ephemeral key share."));
  if (strcmp (m, "CertificateRequest") == 0)
    return g_strdup (_ ("The server asks for a client certificate."));
  if (strcmp (m, "ServerHelloDone") == 0)
    return g_strdup (_ ("The server's first flight ends."));
  if (strcmp (m, "ClientKeyExchange") == 0)
    return g_strdup (_ ("The client's part of the key exchange."));
  if (strcmp (m, "CertificateVerify") == 0)
    return g_strdup_printf (_ ("The %s proves it holds its certificate's key."),
                            hl_side_word (st->from));
  if (strcmp (m, "ChangeCipherSpec") == 0)
    return g_strdup_printf (_ ("The %s switches to encryption."), hl_side_word (st->from));
  if (strcmp (m, "Finished") == 0)
    return g_strdup_printf (_ ("The %s's Finished: a MAC over the whole handshake."),
                            hl_side_word (st->from));
  return g_strdup (m);
}

/* What the receiver's X.509 engine decided about the chain it just read. */
char *
_hl_run_judge_chain (Peer *p)
{
  const HlScenario *s = p->run->scenario;
  if (p->watch.result == 0) {
    if (p->side == HL_SIDE_CLIENT && s->client.server_name)
      return g_strdup_printf (
          P_ ("The client checked the chain of %u certificate: it leads to a trusted CA, every "
              "signature verifies, it is valid at %s, and it names %s.",
              "The client checked the chain of %u certificates: it leads to a trusted CA, every "
              "signature verifies, it is valid at %s, and it names %s.",
              p->watch.n_certs),
          p->watch.n_certs, s->time_text, s->client.server_name);
    return g_strdup_printf (
        p->side == HL_SIDE_CLIENT
            ? P_ ("The client checked the chain of %u certificate: it leads to a trusted CA, "
                  "every signature verifies, and it is valid at %s.",
                  "The client checked the chain of %u certificates: it leads to a trusted CA, "
                  "every signature verifies, and it is valid at %s.",
                  p->watch.n_certs)
            : P_ ("The server checked the chain of %u certificate: it leads to a trusted CA, "
                  "every signature verifies, and it is valid at %s.",
                  "The server checked the chain of %u certificates: it leads to a trusted CA, "
                  "every signature verifies, and it is valid at %s.",
                  p->watch.n_certs),
        p->watch.n_certs, s->time_text);
  }
  {
    g_autofree char *name = hl_error_name (p->watch.result);
    g_autofree char *plain = hl_error_explain (p->watch.result);
    return g_strdup_printf (
        p->side == HL_SIDE_CLIENT
            ? P_ ("The client rejected the chain of %u certificate: %s (%s)",
                  "The client rejected the chain of %u certificates: %s (%s)", p->watch.n_certs)
            : P_ ("The server rejected the chain of %u certificate: %s (%s)",
                  "The server rejected the chain of %u certificates: %s (%s)", p->watch.n_certs),
        p->watch.n_certs, plain, name);
  }
}

char *
_hl_run_explain_end (HlRun *run, HlSide side, HlConnection *c)
{
  Peer *p = run->peer[side];
  Peer *other = run->peer[hl_side_other (side)];
  int err = _hl_peer_error (p);
  g_autofree char *name = hl_error_name (err);
  g_autofree char *plain = hl_error_explain (err);
  if (p->ossl && err == 0 && hl_ossl_reason (p->ossl))
    return g_strdup_printf (_ ("OpenSSL stopped without sending or receiving an alert: %s."),
                            hl_ossl_reason (p->ossl));
  if (p->ossl && err != 0) {
    g_autofree char *words = hl_describe_openssl_error (err, hl_ossl_reason (p->ossl));
    return g_strdup_printf (_ ("OpenSSL %s, and closed the connection."), words);
  }
  if (err == 0) {
    if (_hl_peer_closed (p))
      return g_strdup (_ ("Finished cleanly: the connection was closed with close_notify."));
    if (p->handshake_done && _hl_peer_can_send (p))
      return g_strdup (_ ("The handshake completed; the connection is open."));
    if (_hl_peer_error (other) != 0)
      return g_strdup_printf (_ ("No error of its own: it is still waiting for a record from the "
                                 "%s, which has stopped."),
                              hl_side_word (hl_side_other (side)));
    return g_strdup (_ ("No error of its own, but it is stuck waiting for a record that never "
                        "comes: the run stalled."));
  }
  if (err >= BR_ERR_SEND_FATAL_ALERT || err >= BR_ERR_RECV_FATAL_ALERT)
    return g_strdup_printf (_ ("%s: %s"), name, plain);
  {
    int alert = hl_error_rfc_alert (err);
    const HlStep *last = NULL;
    /* The alerts named below are the same in RFC 2246, 4346 and 5246, and so are 7.2.2. */
    guint version = run->hellos.version; /* the ServerHello's: c->version is set later */
    const char *rfc = hl_version_rfc (version);
    for (guint i = 0; c && i < c->steps->len; i++) {
      const HlStep *st = g_ptr_array_index (c->steps, i);
      if (st->from != side && st->delivered)
        last = st;
    }
    /* Stopped by the header of the record that carried the peer's fatal alert: nobody
     * answers a fatal alert (RFC 5246 7.2.2), so no alert of its own was owed. */
    if (err == BR_ERR_UNSUPPORTED_VERSION && last && strcmp (last->message, "Alert") == 0
        && _hl_peer_error (other) >= BR_ERR_SEND_FATAL_ALERT && last->records->len > 0) {
      const HlRecordHeader *h = &g_array_index (last->records, HlRecordHeader, 0);
      return g_strdup_printf (
          _ ("%s: %s What stopped it was the header of the record carrying the %s's fatal "
             "alert: its version field was 0x%04x, which BearSSL rejects before reading what "
             "the record holds. It sent no alert, and owed none: nobody answers a fatal alert "
             "(%s 7.2.2)."),
          name, plain, hl_side_word (hl_side_other (side)), h->version, rfc);
    }
    /* 7.2.2 names no alert for a certificate that is fine but for another host. */
    if (err == BR_ERR_X509_BAD_SERVER_NAME)
      return g_strdup_printf (_ ("%s: %s BearSSL closed the connection without sending an alert. "
                                 "%s names no alert for this case; bad_certificate (42) or "
                                 "certificate_unknown (46) would fit (7.2.2)."),
                              name, plain, rfc);
    /* TLS 1.0 had an alert of its own for bad CBC padding; BearSSL does not say which of
     * the padding and the MAC failed (RFC 2246 7.2.2). */
    if (err == BR_ERR_BAD_MAC && version == 0x0301)
      return g_strdup_printf (_ ("%s: %s BearSSL closed the connection without sending an alert; "
                                 "an RFC 2246 %s would have sent bad_record_mac (20), or "
                                 "decryption_failed (21) if it was the padding that failed."),
                              name, plain, hl_side_word (side));
    if (alert >= 0)
      return g_strdup_printf (_ ("%s: %s BearSSL closed the connection without sending an alert; "
                                 "an %s %s would have sent %s (%d)."),
                              name, plain, rfc, hl_side_word (side), hl_alert_name (alert), alert);
    return g_strdup_printf (_ ("%s: %s BearSSL closed the connection without sending an alert."),
                            name, plain);
  }
}

/* ---------- A TLS 1.3 offer's randoms, once the server has answered ---------- */

/* Replaces the explanation of the fields of this name, at any depth. */
static void
replace_explanation (GPtrArray *fields, const char *name, const char *explanation)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    HlField *f = g_ptr_array_index (fields, i);
    if (strcmp (f->name, name) == 0) {
      g_free (f->explanation);
      f->explanation = g_strdup (explanation);
    }
    replace_explanation (f->children, name, explanation);
  }
}

/* A ClientHello whose supported_versions lists TLS 1.3 (RFC 8446 4.2.1). */
static gboolean
offers_tls13 (GBytes *wire)
{
  const guint8 *d;
  gsize n;
  if (!wire
      || !hl_hello_find_extension (g_bytes_get_data (wire, NULL), g_bytes_get_size (wire), 43, &d,
                                   &n))
    return FALSE;
  for (gsize i = 1; i + 1 < n && i <= d[0]; i += 2)
    if (d[i] == 0x03 && d[i + 1] == 0x04)
      return TRUE;
  return FALSE;
}

/* A TLS 1.3 offer's random, for the version the server answered with; NULL while the
 * server has not answered. */
static char *
explain_offer_random (HlRun *run)
{
  const Hellos *h = &run->hellos;
  if (h->version == 0x0304 || (h->hello_retry && !h->version))
    return g_strdup (_ ("32 bytes from the client's random generator (RFC 8446 4.1.2). The server "
                        "takes TLS 1.3, so the randoms reach the keys only through the "
                        "transcript hash, which covers both hellos (RFC 8446 7.1)."));
  if (!h->version)
    return NULL;
  return g_strdup_printf (
      h->extended_master_secret
          ? _ ("32 bytes from the client's random generator (RFC 8446 4.1.2). The server "
               "answers with %s, not TLS 1.3. There the two randoms feed the key block directly "
               "(RFC 5246 6.3); the master secret takes them only through the session hash, "
               "since this server accepts extended master secret, which hashes the "
               "handshake up to and including the ClientKeyExchange, both hellos included (RFC "
               "7627 3, 4).")
          : _ ("32 bytes from the client's random generator (RFC 8446 4.1.2). The server "
               "answers with %s, not TLS 1.3. There, as in lesson 02, the two randoms feed the "
               "master secret (RFC 5246 8.1) and the key block (6.3)."),
      hl_version_long_name (h->version));
}

/* The hellos' randoms name the version the server chose (lessons 38 and 40: TLS 1.2 to
 * a TLS 1.3 offer), instead of covering both outcomes. */
void
_hl_run_explain_randoms (HlRun *run, HlStep *st)
{
  if (st->handshake_type == HL_HANDSHAKE_CLIENT_HELLO && offers_tls13 (st->wire)) {
    /* The server has already answered: its hello is in flight, so name what it chose. */
    char *ex = explain_offer_random (run);
    if (ex)
      replace_explanation (st->fields, "Random", ex);
    g_free (ex);
  }
  if (st->handshake_type == HL_HANDSHAKE_SERVER_HELLO && !st->tls13 && run->hellos.version
      && run->hellos.version < 0x0304 && st->wire && !_hl_run_current_connection (run)->resumed
      && run->scenario->client.version_max >= 0x0304) {
    /* A TLS 1.2 answer to a TLS 1.3 offer: the randoms work as in TLS 1.2, and the
     * gmt_unix_time is this library's. */
    replace_explanation (
        st->fields, "Random",
        run->hellos.extended_master_secret
            ? _ ("32 bytes the server picked. It chose TLS 1.2, where the two randoms feed the key "
                 "block directly (RFC 5246 6.3); the master secret takes them only through the "
                 "session hash: extended master secret was negotiated, and it hashes the "
                 "handshake up to and including the ClientKeyExchange, both hellos included "
                 "(RFC 7627 3, 4).")
            : _ ("32 bytes the server picked. It chose TLS 1.2, where the two randoms feed the "
                 "master secret (RFC 5246 8.1) and the key block (6.3), so every connection "
                 "gets fresh keys."));
    replace_explanation (st->fields, "gmt_unix_time",
                         run->peer[st->from]->ossl
                             ? _ ("Once the sender's clock. It has no security use and leaks the "
                                  "time: this server, OpenSSL, sends random bytes here.")
                             : _ ("Once the sender's clock. It has no security use and leaks the "
                                  "time: this server, BearSSL, sends zeros here (Wireshark shows "
                                  "a 1970 date)."));
  }
}
