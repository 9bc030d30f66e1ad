/* hl-discussion.c: questions for discussion, read off the lesson (hl-discussion.h). */
#include "hl-discussion.h"

#include <string.h>

#include "hl-i18n.h"
#include "hl-quiz.h"
#include "hl-recorded.h"
#include "hl-tables.h"

static void
free_item (gpointer p)
{
  HlDiscussion *d = p;
  g_free (d->question);
  g_free (d->answer);
  g_free (d);
}

static const HlStep *
find_step (const HlConnection *c, const char *message)
{
  for (guint i = 0; c && i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    if (strcmp (st->message, message) == 0)
      return st;
  }
  return NULL;
}

/* Who stopped first in run, from step 0 of connection 1, in words. */
static char *
say_stop (HlRun *run, guint *stops, guint *at)
{
  guint where = 0;
  HlQuizStops who = hl_quiz_first_to_stop (run, 0, &where);
  const HlConnection *c = hl_run_get_connection (run, 0);
  const HlStep *st;
  int side = who == HL_QUIZ_STOPS_CLIENT ? HL_SIDE_CLIENT : HL_SIDE_SERVER;
  *stops = who;
  *at = 0;
  if (who == HL_QUIZ_STOPS_NEITHER)
    return g_strdup (_ ("No side notices: the handshake completes."));
  st = hl_run_get_step (run, where);
  *at = st->index;
  return g_strdup_printf (_ ("The %s stops first, at step %u (%s from the %s).%s%s%s%s"),
                          hl_side_word (side), st->index, st->message, hl_side_word (st->from),
                          st->check ? " " : "", st->check ? st->check : "",
                          c && c->explanation[side] ? " " : "",
                          c && c->explanation[side] ? c->explanation[side] : "");
}

/* The lesson again with one byte of the ServerHello's random flipped on the way; NULL
 * when connection 1 has no ServerHello. */
static HlDiscussion *
ask_changed_random (const HlRun *run)
{
  g_autoptr (HlRun) again = hl_run_new (hl_run_get_scenario (run));
  HlNextMessage next;
  HlDiscussion *d;
  if (!again)
    return NULL;
  while (hl_run_peek_next (again, &next) && next.connection == 1
         && strcmp (next.message, "ServerHello") != 0)
    hl_run_step (again);
  if (!hl_run_peek_next (again, &next) || next.connection != 1
      || strcmp (next.message, "ServerHello") != 0 || g_bytes_get_size (next.wire) < 38)
    return NULL;
  {
    /* Handshake header (4), version (2), then the 32-byte random: its fifth byte, clear
     * of the last eight that carry RFC 8446's downgrade sentinel. */
    gsize len;
    guint8 *copy = g_memdup2 (g_bytes_get_data (next.wire, &len), g_bytes_get_size (next.wire));
    g_autoptr (GBytes) b = NULL;
    copy[10] ^= 0x01;
    b = g_bytes_new_take (copy, len);
    hl_run_tamper_next (again, b);
  }
  hl_run_run_to_end (again);
  d = g_new0 (HlDiscussion, 1);
  d->kind = HL_DISCUSS_CHANGED_RANDOM;
  d->question = g_strdup (hl_run_get_n_connections (run) > 1
                              ? _ ("Which message would fail if an attacker changed one byte of "
                                   "the server's random in the first connection's ServerHello on "
                                   "its way to the client?")
                              : _ ("Which message would fail if an attacker changed one byte of "
                                   "the server's random in the ServerHello on its way to the "
                                   "client?"));
  {
    g_autofree char *stop = say_stop (again, &d->stops, &d->at);
    const HlConnection *c = hl_run_get_connection (run, 0);
    const char *rfc = hl_version_rfc (c->version);
    const HlSuite *suite = hl_suite_by_id (c->suite);
    gboolean ecdhe = suite && (suite->kex == HL_KEX_ECDHE_RSA || suite->kex == HL_KEX_ECDHE_ECDSA);
    if (c->version == 0x0304)
      d->answer = g_strdup_printf (
          _ ("%s The ServerHello goes into the transcript hash from which every handshake and "
             "application key is derived (RFC 8446 section 7.1), and the Finished messages cover "
             "the whole handshake (section 4.4.4): once the random differs, the two sides no "
             "longer share keys. (The lesson was run again with that byte changed.)"),
          stop);
    else if (d->at
             && strcmp (hl_run_get_step (again, d->at - 1)->message, "ServerKeyExchange") == 0)
      d->answer = g_strdup_printf (
          ecdhe ? _ ("%s The server's signature in the ServerKeyExchange covers both randoms with "
                     "the key exchange parameters (%s section 7.4.3, RFC 8422 section 5.4), so "
                     "the client's check of it fails with the changed random. (The lesson was "
                     "run again with that byte changed.)")
                : _ ("%s The server's signature in the ServerKeyExchange covers both randoms with "
                     "the key exchange parameters (%s section 7.4.3), so the client's check of "
                     "it fails with the changed random. (The lesson was run again with that byte "
                     "changed.)"),
          stop, rfc);
    else
      d->answer = g_strdup_printf (
          _ ("%s Both randoms go into the key block every record key comes from (%s section "
             "6.3), and the Finished messages cover the whole handshake (section 7.4.9): once "
             "the random differs, the two sides no longer share keys. (The lesson was run again "
             "with that byte changed.)"),
          stop, rfc);
  }
  return d;
}

static HlDiscussion *
ask_what_stopped (HlRun *run)
{
  HlDiscussion *d = g_new0 (HlDiscussion, 1);
  d->kind = HL_DISCUSS_WHAT_STOPPED;
  d->question = g_strdup (_ ("This handshake does not complete. Which side stops it first, "
                             "at which message, and what check fails?"));
  d->answer = say_stop (run, &d->stops, &d->at);
  return d;
}

/* What the observer of connection 1 needs, from its messages; NULL for a connection
 * whose keys come from an earlier session (resumption) or that agreed no key. */
static HlDiscussion *
ask_observer (const HlRun *run)
{
  const HlConnection *c = hl_run_get_connection (run, 0);
  HlDiscussion *d;
  gboolean tls13, ske, cke;
  const char *rfc;
  if (!c || !c->success || c->resumed || c->version == 0 || !find_step (c, "Certificate"))
    return NULL;
  tls13 = c->version == 0x0304;
  rfc = hl_version_rfc (c->version);
  ske = find_step (c, "ServerKeyExchange") != NULL;
  cke = find_step (c, "ClientKeyExchange") != NULL;
  if (!tls13 && !cke)
    return NULL;
  d = g_new0 (HlDiscussion, 1);
  d->kind = HL_DISCUSS_OBSERVER;
  d->question = g_strdup (hl_run_get_n_connections (run) > 1
                              ? _ ("An observer recorded the first connection (the full "
                                   "handshake) without any secret. What would the observer need "
                                   "to read its application data later? Would stealing the "
                                   "server's private key be enough?")
                              : _ ("An observer recorded this connection without any secret. "
                                   "What would the observer need to read its application data "
                                   "later? Would stealing the server's private key be enough?"));
  d->key_enough = !tls13 && !ske;
  if (d->key_enough && hl_suite_by_id (c->suite)
      && (hl_suite_by_id (c->suite)->kex == HL_KEX_ECDH_RSA
          || hl_suite_by_id (c->suite)->kex == HL_KEX_ECDH_ECDSA))
    /* Static ECDH: the server's ECDH key is the one in its certificate (RFC 4492 2.1). */
    d->answer = g_strdup_printf (
        _ ("The server's private key is enough: there is no ServerKeyExchange, because the "
           "server's ECDH key is the fixed key in its certificate. The premaster secret is the "
           "x coordinate of that private key times the client's public point, which the "
           "ClientKeyExchange sent in clear (RFC 4492 section 2.1; RFC 8422 sections 5.7 and "
           "5.10). With the two randoms, also sent in clear, the observer derives the master "
           "secret and every key (%s section 8.1). The certificate's key opens every connection "
           "made with it, past ones too: no forward secrecy."),
        rfc);
  else if (d->key_enough)
    d->answer = g_strdup_printf (
        _ ("The server's private key is enough: there is no ServerKeyExchange, so the premaster "
           "secret depends only on the server's long-term key and on what the ClientKeyExchange "
           "sent in clear (with RSA key exchange it is encrypted to the server's public key, "
           "%s section 7.4.7.1). With the two randoms, also sent in clear, the observer "
           "derives the master secret and every key: no forward secrecy (%s sections 8.1 and "
           "F.1.1.2)."),
        rfc, rfc);
  else if (tls13)
    d->answer = g_strdup (
        _ ("The server's private key is not enough: in TLS 1.3 the key only signs the "
           "handshake (CertificateVerify). The keys come from an ephemeral (EC)DHE exchange "
           "whose private values were never sent and are discarded, so the observer would "
           "need one side's ephemeral private key or the traffic secrets themselves (RFC 8446 "
           "sections 1.2 and E.1)."));
  else
    d->answer = g_strdup_printf (
        _ ("The server's private key is not enough: it only signs the ServerKeyExchange. The "
           "premaster secret comes from an ephemeral (EC)DHE exchange whose private values "
           "were never sent and are discarded, so the observer would need one side's "
           "ephemeral private key or the master secret itself (%s section F.1.1.3)."),
        rfc);
  if (tls13)
    for (guint i = 1; i < hl_run_get_n_connections (run); i++) {
      const HlConnection *r = hl_run_get_connection (run, i);
      gboolean early = FALSE;
      char *more;
      for (guint k = 0; k < r->steps->len; k++)
        early |= ((const HlStep *)g_ptr_array_index (r->steps, k))->early;
      /* psk_ke agrees no (EC)DHE (RFC 8446 4.2.9, 7.1); 0-RTT data is keyed by the PSK
       * alone (2.3). */
      if (r->resumed && r->curve <= 0)
        more = g_strdup_printf (_ ("The resumed connection %u is different: it agreed no (EC)DHE, "
                                   "so whoever learns the PSK (from the resumption master secret "
                                   "or the key the server seals its tickets with) reads it (RFC "
                                   "8446 sections 4.2.9 and 7.1)."),
                                r->index);
      else if (r->resumed && early)
        more = g_strdup_printf (_ ("The 0-RTT data of the resumed connection %u is different: it "
                                   "is encrypted under keys from the PSK alone, so whoever learns "
                                   "the PSK reads that data (RFC 8446 section 2.3)."),
                                r->index);
      else
        continue;
      {
        char *joined = g_strconcat (d->answer, " ", more, NULL);
        g_free (d->answer);
        g_free (more);
        d->answer = joined;
      }
    }
  return d;
}

GPtrArray *
hl_discussion_new (const HlRun *run)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (free_item);
  const HlConnection *c;
  HlDiscussion *d;
  if (hl_run_is_recorded (run) || !hl_run_is_finished (run) || !hl_run_get_n_connections (run))
    return items;
  c = hl_run_get_connection (run, 0);
  if (c->success)
    d = ask_changed_random (run);
  else
    d = ask_what_stopped ((HlRun *)run); /* finished: only read */
  if (d)
    g_ptr_array_add (items, d);
  if ((d = ask_observer (run)))
    g_ptr_array_add (items, d);
  return items;
}

void
hl_discussion_append_markdown (GString *out, const GPtrArray *items)
{
  if (!items->len)
    return;
  g_string_append_printf (out, "\n## %s\n\n", _ ("Questions for discussion"));
  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (out, "%u. %s\n", i + 1,
                            ((HlDiscussion *)g_ptr_array_index (items, i))->question);
  g_string_append_printf (out, "\n## %s\n\n", _ ("For the teacher: answers"));
  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (out, "%u. %s\n", i + 1,
                            ((HlDiscussion *)g_ptr_array_index (items, i))->answer);
}
