/* hl-recorded-end.c: what a recorded connection's end says: how far it got, what no key
 * opened, and why a private key given cannot open it (hl-recorded-private.h). */
#include <glib/gi18n.h>

#include "hl-recorded-private.h"

/* " Clause." with its first letter capitalised. */
static void
append_sentence (GString *out, const char *clause)
{
  gunichar first = g_utf8_get_char (clause);
  char buf[8];
  if (!first)
    return;
  g_string_append_c (out, ' ');
  g_string_append_len (out, buf, g_unichar_to_utf8 (g_unichar_totitle (first), buf));
  g_string_append_printf (out, "%s.", g_utf8_next_char (clause));
}

char *
_hl_recorded_explain_end (Build *b, HlSide side)
{
  GString *out = g_string_new (NULL);
  if (b->c->success)
    g_string_append (out, _ ("Recorded: the handshake completed."));
  else
    g_string_append (out, _ ("Recorded: the handshake did not complete in this recording."));
  if (b->d[side].n_encrypted && !b->info->info.keys_known)
    g_string_append (out, _ (" No key opened its encrypted records: this is what an eavesdropper "
                             "sees."));
  if (!b->sec.value[HL_SECRET_PREMASTER] && !b->resumed && b->saw_sh && b->suite && !b->tls13
      && b->suite->kex == HL_KEX_RSA)
    /* RSA key exchange has no key shares: the premaster crossed the wire, encrypted. */
    g_string_append_printf (
        out,
        /* TRANSLATORS: "%s %s" is an RFC and its section, "RFC 5246 7.4.7.1" */
        _ (" Not known: the premaster secret. It crossed the wire only encrypted to the server's "
           "RSA key, in the ClientKeyExchange (%s %s): the server's private key would open it, "
           "and a key log's CLIENT_RANDOM line gives the master secret made from it, not the "
           "premaster."),
        b->c->version == 0x0300 ? "RFC 6101" : hl_version_rfc (b->c->version),
        b->c->version == 0x0300 ? "5.6.7.1" : "7.4.7.1");
  else if (!b->sec.value[HL_SECRET_PREMASTER] && !b->resumed && b->saw_sh)
    g_string_append (out, _ (" Not known: the premaster or shared secret and each side's private "
                             "key share never left the endpoints, and a key log does not carry "
                             "them."));
  /* Both are clauses (--list-connections prints them after a comma): here each starts a
   * sentence. */
  if (b->rc->note)
    append_sentence (out, b->rc->note);
  if (b->info->info.keys_note)
    append_sentence (out, b->info->info.keys_note);
  return g_string_free (out, FALSE);
}

const char *
_hl_recorded_keys_note (Build *b)
{
  if (!b->sec.value[HL_SECRET_MASTER] && b->saw_sh && b->resumed)
    return _ ("the server's private key cannot open this connection by itself: it resumes an "
              "earlier session, and its keys come from that session's secrets. The key reaches "
              "those only through the handshake that made them, and only if that handshake's key "
              "exchange was RSA or static ECDH");
  else if (!b->sec.value[HL_SECRET_MASTER] && b->saw_sh && b->suite && !b->tls13
           && b->suite->kex != HL_KEX_ECDHE_RSA && b->suite->kex != HL_KEX_ECDHE_ECDSA)
    return b->suite->kex == HL_KEX_RSA
               ? _ ("the private key given opens no ClientKeyExchange of this connection (none was "
                    "sent, or it was encrypted to another key)")
               : _ ("the private key given opens no ClientKeyExchange of this connection (none was "
                    "sent, or its static ECDH needs the EC key of another certificate)");
  else if (!b->sec.value[HL_SECRET_MASTER] && b->saw_sh
           && (b->tls13 || (b->suite && b->suite->kex != HL_KEX_RSA)))
    return b->tls13
               ? _ ("the server's private key cannot open this connection: TLS 1.3 agrees its keys "
                    "with ephemeral (EC)DHE shares whose private halves were never sent, and the "
                    "server's key only signs (forward secrecy); only a key log can")
               : _ ("the server's private key cannot open this connection: with (EC)DHE the "
                    "premaster comes from ephemeral key shares whose private halves were never "
                    "sent, and the server's key only signs them (forward secrecy); only a key log "
                    "can");
  return NULL;
}
