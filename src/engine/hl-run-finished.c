/* hl-run-finished.c: The Finished check: verify_data recomputed the way its receiver
 * computes it, from the handshake as the receiver saw it.
 */
#include "hl-run-private.h"
#include "hl-i18n.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <string.h>

/* Hash(handshake messages) for Finished, as RFC 2246 / 5246 define it. */
static GBytes *
transcript_hash (const GByteArray *msgs, guint version, const HlSuite *suite)
{
  guint8 out[64];
  gsize n;
  GByteArray *res = g_byte_array_new ();
  if (version >= 0x0303) {
    GChecksum *h = g_checksum_new (suite && suite->prf == HL_HASH_SHA384 ? G_CHECKSUM_SHA384
                                                                         : G_CHECKSUM_SHA256);
    g_checksum_update (h, msgs->data, msgs->len);
    n = sizeof out;
    g_checksum_get_digest (h, out, &n);
    g_byte_array_append (res, out, n);
    g_checksum_free (h);
  } else {
    GChecksumType types[2] = { G_CHECKSUM_MD5, G_CHECKSUM_SHA1 };
    for (int i = 0; i < 2; i++) {
      GChecksum *h = g_checksum_new (types[i]);
      g_checksum_update (h, msgs->data, msgs->len);
      n = sizeof out;
      g_checksum_get_digest (h, out, &n);
      g_byte_array_append (res, out, n);
      g_checksum_free (h);
    }
  }
  return g_byte_array_free_to_bytes (res);
}

gboolean
_hl_run_finished_sent_as_computed (const HlStep *st, const guint8 *content, const guint8 *expect,
                                   gsize n)
{
  gsize len;
  const guint8 *sent = st->plaintext ? g_bytes_get_data (st->plaintext, &len) : NULL;
  return sent && content != sent && len == n + 4 && memcmp (sent + 4, expect, n) == 0
         && memcmp (content + 4, expect, n) != 0;
}

/* The receiver's own check of a Finished: PRF(its master secret, label, Hash(the
 * handshake as IT saw it)). When a fault changed a message on the way, the two
 * sides hashed different transcripts, and this is where it shows. */
char *
_hl_run_check_finished (HlRun *run, const HlStep *st, const guint8 *content, gsize clen)
{
  HlSide to = hl_side_other (st->from);
  Peer *judge = run->peer[to];
  const HlSuite *suite;
  guint version;
  br_ssl_session_parameters sp;
  g_autoptr (GBytes) hash = NULL;
  guint8 expect[12];
  br_tls_prf_seed_chunk seed;
  const char *label = st->from == HL_SIDE_CLIENT ? "client finished" : "server finished";
  g_autofree char *want = NULL;
  g_autofree char *why = NULL;
  g_autofree char *got = NULL;
  if (clen != 16)
    return g_strdup (
        _ ("The Finished message does not have the 12 bytes of verify_data it should."));
  if (!st->delivered)
    return g_strdup_printf (_ ("Not checked: the %s never received this Finished."),
                            hl_side_word (to));
  if (st->encrypted && st->delivered_wire && !st->delivered_plaintext)
    return g_strdup_printf (
        _ ("Not checked by the %s: the encrypted record was changed in transit, "
           "so its integrity check (MAC or AEAD tag) fails before the Finished "
           "inside can even be read."),
        hl_side_word (to));
  /* A receiver that had stopped never read it: nothing was checked, whatever the
   * bytes would have said. */
  if (!st->accepted)
    return g_strdup_printf (_ ("Not checked: the %s had already stopped and did not read this "
                               "Finished."),
                            hl_side_word (to));
  /* A receiver that stopped on this very record for another reason (a record it did
   * not expect, a MAC that fails) never got to compare the verify_data. */
  {
    int err = _hl_peer_error (judge);
    if (err != 0 && err != BR_ERR_BAD_FINISHED) {
      g_autofree char *name = hl_error_name (err);
      return g_strdup_printf (
          _ ("Not checked: the %s stopped on this record (%s) before it read the "
             "Finished inside."),
          hl_side_word (to), name);
    }
  }
  /* A receiver that never derived the keys cannot judge: check the sender's own view. */
  if (judge->ossl ? !hl_ossl_keylog (judge->ossl, HL_OSSL_CLIENT_RANDOM)
                  : !(judge->knows & KNOW (HL_SECRET_MASTER))
                        && !(judge->knows & KNOW (HL_SECRET_KEY_BLOCK))) {
    judge = run->peer[st->from];
    to = st->from;
  }
  suite = _hl_run_negotiated_suite (judge);
  version = _hl_peer_version (judge);
  if (judge->ossl) {
    /* OpenSSL at TLS 1.2: the master secret from its key log. */
    HlSecrets v = { { 0 } };
    _hl_run_collect_view13 (run, judge, &v);
    memset (&sp, 0, sizeof sp);
    if (v.value[HL_SECRET_MASTER])
      memcpy (sp.master_secret, g_bytes_get_data (v.value[HL_SECRET_MASTER], NULL), 48);
    _hl_run_clear_secrets (&v);
  } else {
    br_ssl_engine_get_session_parameters (judge->eng, &sp);
  }
  hash = transcript_hash (run->view[to], version, suite);
  seed.data = g_bytes_get_data (hash, &seed.len);
  if (version >= 0x0303 && suite && suite->prf == HL_HASH_SHA384)
    br_tls12_sha384_prf (expect, 12, sp.master_secret, 48, label, 1, &seed);
  else if (version >= 0x0303)
    br_tls12_sha256_prf (expect, 12, sp.master_secret, 48, label, 1, &seed);
  else
    br_tls10_prf (expect, 12, sp.master_secret, 48, label, 1, &seed);
  want = hl_hex (expect, 12);
  got = hl_hex (content + 4, 12);
  if (memcmp (expect, content + 4, 12) == 0 && version < 0x0303)
    return g_strdup_printf (_ ("verify_data %s matches what the %s computes: PRF(master_secret, "
                               "\"%s\", MD5 + SHA-1 of the %u handshake bytes it saw "
                               "before)[0..11] (RFC 2246 7.4.9)."),
                            got, hl_side_word (to), label, run->view[to]->len);
  if (memcmp (expect, content + 4, 12) == 0)
    return g_strdup_printf (_ ("verify_data %s matches what the %s computes: PRF(master_secret, "
                               "\"%s\", Hash(the %u handshake bytes it saw before))[0..11]."),
                            got, hl_side_word (to), label, run->view[to]->len);
  /* "MISMATCH: " is a keyword readers and scripts look for: never translated. */
  if (_hl_run_finished_sent_as_computed (st, content, expect, 12))
    why = g_strdup_printf (
        _ ("verify_data is %s, but the %s computes %s from the %u handshake bytes it saw, "
           "the value the %s sent: the Finished itself was changed on the way."),
        got, hl_side_word (to), want, run->view[to]->len, hl_side_word (st->from));
  else
    why = g_strdup_printf (
        _ ("verify_data is %s, but the %s computes %s from the %u handshake bytes it "
           "saw: the two sides did not see the same handshake (or do not share "
           "the master secret)."),
        got, hl_side_word (to), want, run->view[to]->len);
  return g_strconcat ("MISMATCH: ", why, NULL);
}
