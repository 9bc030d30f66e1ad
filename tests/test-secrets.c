/* The secrets the engine captured, checked by a TLS PRF written here on GLib's
 * GHmac, independent of BearSSL: master secret, key block, both verify_data. TLS 1.3
 * connections are checked by an HKDF key schedule written here too (RFC 8446 7.1):
 * every secret, key and IV, both verify_data against the bytes OpenSSL sent, the
 * HelloRetryRequest transcript rule and the resumption PSK. Both sides' views are
 * checked: the run's (the client's, completed by the server's) and the server's own. */
#include <bearssl.h>
#include <string.h>

#include "hl-run-private.h"
#include "hl-tables.h"
#include "hl-test-util.h"

static GByteArray *
p_hash (GChecksumType type, const guint8 *secret, gsize slen, const guint8 *seed, gsize seedlen,
        gsize len)
{
  GByteArray *out = g_byte_array_new ();
  gsize dlen = g_checksum_type_get_length (type);
  g_autofree guint8 *a = g_memdup2 (seed, seedlen);
  gsize alen = seedlen;
  while (out->len < len) {
    guint8 buf[64];
    gsize n = dlen;
    GHmac *h = g_hmac_new (type, secret, slen);
    g_hmac_update (h, a, alen);
    g_hmac_get_digest (h, buf, &n);
    g_hmac_unref (h);
    g_free (a);
    a = g_memdup2 (buf, n);
    alen = n;
    h = g_hmac_new (type, secret, slen);
    g_hmac_update (h, a, alen);
    g_hmac_update (h, seed, seedlen);
    n = dlen;
    g_hmac_get_digest (h, buf, &n);
    g_hmac_unref (h);
    g_byte_array_append (out, buf, n);
  }
  g_byte_array_set_size (out, len);
  return out;
}

/* RFC 5246 section 5, and RFC 2246 section 5 for TLS 1.0/1.1. */
static GByteArray *
prf (guint version, gboolean sha384, GBytes *secret, const char *label, const guint8 *seed,
     gsize seedlen, gsize len)
{
  gsize slen;
  const guint8 *s = g_bytes_get_data (secret, &slen);
  g_autoptr (GByteArray) ls = g_byte_array_new ();
  g_byte_array_append (ls, (const guint8 *)label, strlen (label));
  g_byte_array_append (ls, seed, seedlen);
  if (version >= 0x0303)
    return p_hash (sha384 ? G_CHECKSUM_SHA384 : G_CHECKSUM_SHA256, s, slen, ls->data, ls->len, len);
  {
    gsize half = (slen + 1) / 2;
    GByteArray *md5 = p_hash (G_CHECKSUM_MD5, s, half, ls->data, ls->len, len);
    g_autoptr (GByteArray) sha
        = p_hash (G_CHECKSUM_SHA1, s + slen - half, half, ls->data, ls->len, len);
    for (gsize i = 0; i < len; i++)
      md5->data[i] ^= sha->data[i];
    return md5;
  }
}

static void
assert_bytes_equal (GBytes *got, const guint8 *want, gsize len)
{
  g_assert_nonnull (got);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), want, len);
}

static GByteArray *
concat (GBytes *a, GBytes *b)
{
  GByteArray *r = g_byte_array_new ();
  g_byte_array_append (r, g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_byte_array_append (r, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  return r;
}

static void
hash_transcript (GByteArray *msgs, guint version, gboolean sha384, guint8 *out, gsize *outlen)
{
  if (version >= 0x0303) {
    GChecksum *h = g_checksum_new (sha384 ? G_CHECKSUM_SHA384 : G_CHECKSUM_SHA256);
    g_checksum_update (h, msgs->data, msgs->len);
    g_checksum_get_digest (h, out, outlen);
    g_checksum_free (h);
  } else {
    gsize n = 16, m = 20;
    GChecksum *h = g_checksum_new (G_CHECKSUM_MD5);
    g_checksum_update (h, msgs->data, msgs->len);
    g_checksum_get_digest (h, out, &n);
    g_checksum_free (h);
    h = g_checksum_new (G_CHECKSUM_SHA1);
    g_checksum_update (h, msgs->data, msgs->len);
    g_checksum_get_digest (h, out + 16, &m);
    g_checksum_free (h);
    *outlen = 36;
  }
}

static guint ecdh_checked;

/* ---------- TLS 1.3, on GHmac ---------- */

static GByteArray *
hmac13 (GChecksumType t, const guint8 *key, gsize klen, const guint8 *data, gsize dlen)
{
  GByteArray *out = g_byte_array_sized_new (64);
  gsize n = g_checksum_type_get_length (t);
  GHmac *h = g_hmac_new (t, key, klen);
  g_byte_array_set_size (out, n);
  g_hmac_update (h, data, dlen);
  g_hmac_get_digest (h, out->data, &n);
  g_hmac_unref (h);
  return out;
}

/* HKDF-Expand-Label(secret, label, context, length), RFC 8446 7.1 and RFC 5869 2.3. */
static GByteArray *
expand_label (GChecksumType t, const guint8 *secret, const char *label, const guint8 *ctx,
              gsize ctxlen, gsize len)
{
  gsize hl = g_checksum_type_get_length (t);
  g_autoptr (GByteArray) info = g_byte_array_new ();
  g_autoptr (GByteArray) prev = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  g_autofree char *full = g_strconcat ("tls13 ", label, NULL);
  guint8 b[2] = { len >> 8, len & 0xff }, l = strlen (full), c = ctxlen;
  g_byte_array_append (info, b, 2);
  g_byte_array_append (info, &l, 1);
  g_byte_array_append (info, (const guint8 *)full, l);
  g_byte_array_append (info, &c, 1);
  g_byte_array_append (info, ctx, ctxlen);
  for (guint8 i = 1; out->len < len; i++) {
    g_autoptr (GByteArray) in = g_byte_array_new ();
    g_autoptr (GByteArray) t_i = NULL;
    g_byte_array_append (in, prev->data, prev->len);
    g_byte_array_append (in, info->data, info->len);
    g_byte_array_append (in, &i, 1);
    t_i = hmac13 (t, secret, hl, in->data, in->len);
    g_byte_array_append (out, t_i->data, t_i->len);
    g_byte_array_set_size (prev, 0);
    g_byte_array_append (prev, t_i->data, t_i->len);
  }
  g_byte_array_set_size (out, len);
  return out;
}

static GByteArray *
hash13 (GChecksumType t, const guint8 *d, gsize n)
{
  GByteArray *out = g_byte_array_sized_new (64);
  gsize len = g_checksum_type_get_length (t);
  GChecksum *c = g_checksum_new (t);
  g_byte_array_set_size (out, len);
  g_checksum_update (c, d, n);
  g_checksum_get_digest (c, out->data, &len);
  g_checksum_free (c);
  return out;
}

static GByteArray *
derive13 (GChecksumType t, const guint8 *secret, const char *label, const GByteArray *msgs,
          gsize upto)
{
  g_autoptr (GByteArray) h = hash13 (t, msgs ? msgs->data : NULL, msgs ? upto : 0);
  return expand_label (t, secret, label, h->data, h->len, h->len);
}

static void
assert_view (const char *view, GBytes *got, HlSecretId id, const GByteArray *want)
{
  if (!got || g_bytes_get_size (got) != want->len
      || memcmp (g_bytes_get_data (got, NULL), want->data, want->len) != 0)
    g_test_message ("%s, %s view", hl_secret_key (id), view);
  assert_bytes_equal (got, want->data, want->len);
}

/* Both views hold the secret, with the value computed here. */
static void
assert_secret (const HlConnection *c, HlSecretId id, const GByteArray *want)
{
  assert_view ("the run's", c->secrets.value[id], id, want);
  assert_view ("the server's", c->server_secrets.value[id], id, want);
}

static guint tls13_checked, key_updates_checked, early_exporters_checked;

static void
check_connection13 (const HlConnection *c, const HlConnection *previous)
{
  const HlSuite *suite = hl_suite_by_id (c->suite);
  GChecksumType t = suite->prf == HL_HASH_SHA384 ? G_CHECKSUM_SHA384 : G_CHECKSUM_SHA256;
  gsize hl = g_checksum_type_get_length (t);
  GBytes *const *v = c->secrets.value;
  guint8 zeros[64] = { 0 };
  g_autoptr (GByteArray) tr = g_byte_array_new ();
  g_autoptr (GByteArray) early = NULL, hs = NULL, master = NULL, chts = NULL, shts = NULL;
  g_autoptr (GByteArray) d1 = NULL;
  gsize ch_end = 0, sh_end = 0, sfin_end = 0, cfin_end = 0;
  guint finished = 0;
  gboolean early_data = FALSE, early_skipped = FALSE;
  const guint8 *psk = v[HL_SECRET_PSK] ? g_bytes_get_data (v[HL_SECRET_PSK], NULL) : zeros;

  g_assert_true (c->success);
  /* The PSK: from the previous connection's resumption secret and a ticket's nonce. */
  if (c->resumed) {
    gboolean found = FALSE;
    g_assert_nonnull (previous);
    g_assert_nonnull (v[HL_SECRET_PSK]);
    for (guint i = 0; i < previous->steps->len; i++) {
      const HlStep *st = g_ptr_array_index (previous->steps, i);
      const guint8 *m;
      g_autoptr (GByteArray) want = NULL;
      if (strcmp (st->message, "NewSessionTicket") != 0)
        continue;
      m = g_bytes_get_data (st->plaintext, NULL);
      want = expand_label (
          t, g_bytes_get_data (previous->secrets.value[HL_SECRET_RESUMPTION_MASTER], NULL),
          "resumption", m + 13, m[12], hl);
      found |= memcmp (want->data, psk, hl) == 0;
    }
    g_assert_true (found);
    /* and the server took the same one */
    assert_bytes_equal (c->server_secrets.value[HL_SECRET_PSK], psk, hl);
  }
  early = hmac13 (t, zeros, hl, psk, hl);
  assert_secret (c, HL_SECRET_EARLY, early);
  /* The transcript: handshake messages in order, without tickets; a HelloRetryRequest
   * turns the first ClientHello into message_hash. */
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    GBytes *content = st->encrypted ? st->plaintext : st->wire;
    gsize n;
    const guint8 *d;
    early_data |= st->early;
    early_skipped |= st->skipped;
    if (st->content_type != 22 || strcmp (st->message, "NewSessionTicket") == 0)
      continue;
    g_assert_nonnull (content);
    d = g_bytes_get_data (content, &n);
    if (strcmp (st->message, "HelloRetryRequest") == 0) {
      g_autoptr (GByteArray) h = hash13 (t, tr->data, tr->len);
      guint8 head[4] = { 254, 0, 0, (guint8)hl };
      g_assert_true (c->hello_retry);
      g_byte_array_set_size (tr, 0);
      g_byte_array_append (tr, head, 4);
      g_byte_array_append (tr, h->data, h->len);
    }
    if (strcmp (st->message, "Finished") == 0) {
      gboolean client = st->from == HL_SIDE_CLIENT;
      g_autoptr (GByteArray) key
          = expand_label (t, (client ? chts : shts)->data, "finished", NULL, 0, hl);
      g_autoptr (GByteArray) th = hash13 (t, tr->data, tr->len);
      g_autoptr (GByteArray) want = hmac13 (t, key->data, hl, th->data, th->len);
      /* what OpenSSL sent equals what this schedule computes */
      g_assert_cmpuint (n, ==, 4 + hl);
      g_assert_cmpmem (d + 4, hl, want->data, hl);
      assert_secret (c, client ? HL_SECRET_CLIENT_FINISHED_KEY : HL_SECRET_SERVER_FINISHED_KEY,
                     key);
      assert_secret (c, client ? HL_SECRET_CLIENT_VERIFY_DATA : HL_SECRET_SERVER_VERIFY_DATA, want);
      g_assert_nonnull (strstr (st->check, " matches what the "));
      finished++;
    }
    g_byte_array_append (tr, d, n);
    if (strcmp (st->message, "ClientHello") == 0 && !ch_end)
      ch_end = tr->len;
    if (strcmp (st->message, "ServerHello") == 0) {
      const guint8 *shared
          = v[HL_SECRET_SHARED] ? g_bytes_get_data (v[HL_SECRET_SHARED], NULL) : NULL;
      g_autoptr (GByteArray) derived = derive13 (t, early->data, "derived", NULL, 0);
      sh_end = tr->len;
      hs = hmac13 (t, derived->data, hl, shared ? shared : zeros,
                   shared ? g_bytes_get_size (v[HL_SECRET_SHARED]) : hl);
      assert_secret (c, HL_SECRET_HANDSHAKE, hs);
      chts = derive13 (t, hs->data, "c hs traffic", tr, sh_end);
      shts = derive13 (t, hs->data, "s hs traffic", tr, sh_end);
      assert_secret (c, HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC, chts);
      assert_secret (c, HL_SECRET_SERVER_HANDSHAKE_TRAFFIC, shts);
      {
        g_autoptr (GByteArray) ck = expand_label (t, chts->data, "key", NULL, 0, suite->key_len);
        g_autoptr (GByteArray) civ = expand_label (t, chts->data, "iv", NULL, 0, 12);
        g_autoptr (GByteArray) sk = expand_label (t, shts->data, "key", NULL, 0, suite->key_len);
        g_autoptr (GByteArray) siv = expand_label (t, shts->data, "iv", NULL, 0, 12);
        assert_secret (c, HL_SECRET_CLIENT_HANDSHAKE_KEY, ck);
        assert_secret (c, HL_SECRET_CLIENT_HANDSHAKE_IV, civ);
        assert_secret (c, HL_SECRET_SERVER_HANDSHAKE_KEY, sk);
        assert_secret (c, HL_SECRET_SERVER_HANDSHAKE_IV, siv);
      }
    }
    if (strcmp (st->message, "Finished") == 0 && !sfin_end)
      sfin_end = tr->len;
    else if (strcmp (st->message, "Finished") == 0)
      cfin_end = tr->len;
  }
  g_assert_cmpuint (finished, ==, 2);
  g_assert_cmpuint (sh_end, >, 0);
  /* 0-RTT data (lesson 34) is sealed with client_early_traffic_secret =
   * Derive-Secret(early secret, "c e traffic", ClientHello). */
  if (early_data || v[HL_SECRET_CLIENT_EARLY_TRAFFIC]) {
    g_autoptr (GByteArray) cets = derive13 (t, early->data, "c e traffic", tr, ch_end);
    g_assert_true (early_data);
    if (early_skipped) {
      /* A server that declines 0-RTT (lesson 43) never derives its key (RFC 8446 4.2.10). */
      assert_view ("the run's", v[HL_SECRET_CLIENT_EARLY_TRAFFIC], HL_SECRET_CLIENT_EARLY_TRAFFIC,
                   cets);
      g_assert_null (c->server_secrets.value[HL_SECRET_CLIENT_EARLY_TRAFFIC]);
    } else {
      assert_secret (c, HL_SECRET_CLIENT_EARLY_TRAFFIC, cets);
    }
  }
  d1 = derive13 (t, hs->data, "derived", NULL, 0);
  master = hmac13 (t, d1->data, hl, zeros, hl);
  assert_secret (c, HL_SECRET_MASTER, master);
  {
    g_autoptr (GByteArray) cats = derive13 (t, master->data, "c ap traffic", tr, sfin_end);
    g_autoptr (GByteArray) sats = derive13 (t, master->data, "s ap traffic", tr, sfin_end);
    g_autoptr (GByteArray) ems = derive13 (t, master->data, "exp master", tr, sfin_end);
    g_autoptr (GByteArray) rms = derive13 (t, master->data, "res master", tr, cfin_end);
    g_autoptr (GByteArray) ck = expand_label (t, cats->data, "key", NULL, 0, suite->key_len);
    g_autoptr (GByteArray) civ = expand_label (t, cats->data, "iv", NULL, 0, 12);
    g_autoptr (GByteArray) sk = expand_label (t, sats->data, "key", NULL, 0, suite->key_len);
    g_autoptr (GByteArray) siv = expand_label (t, sats->data, "iv", NULL, 0, 12);
    assert_secret (c, HL_SECRET_CLIENT_APPLICATION_TRAFFIC, cats);
    assert_secret (c, HL_SECRET_SERVER_APPLICATION_TRAFFIC, sats);
    assert_secret (c, HL_SECRET_EXPORTER_MASTER, ems);
    assert_secret (c, HL_SECRET_RESUMPTION_MASTER, rms);
    /* After KeyUpdate (lesson 39): the next secret from the one before it. */
    if (v[HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1]) {
      g_autoptr (GByteArray) c1 = expand_label (t, cats->data, "traffic upd", NULL, 0, hl);
      g_autoptr (GByteArray) s1 = expand_label (t, sats->data, "traffic upd", NULL, 0, hl);
      assert_secret (c, HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1, c1);
      assert_secret (c, HL_SECRET_SERVER_APPLICATION_TRAFFIC_1, s1);
      key_updates_checked++;
    }
    assert_secret (c, HL_SECRET_CLIENT_APPLICATION_KEY, ck);
    assert_secret (c, HL_SECRET_CLIENT_APPLICATION_IV, civ);
    assert_secret (c, HL_SECRET_SERVER_APPLICATION_KEY, sk);
    assert_secret (c, HL_SECRET_SERVER_APPLICATION_IV, siv);
  }
  if (v[HL_SECRET_PSK]) {
    g_autoptr (GByteArray) binder = derive13 (t, early->data, "res binder", NULL, 0);
    g_autoptr (GByteArray) fk = expand_label (t, binder->data, "finished", NULL, 0, hl);
    const HlStep *ch = g_ptr_array_index (c->steps, 0);
    gsize len;
    const guint8 *m = g_bytes_get_data (ch->wire, &len);
    /* pre_shared_key is the last extension: its binders end the ClientHello. The binder is
     * HMAC(finished key of binder_key, Hash(ClientHello up to the binders list)). */
    gsize binders_len = 2 + 1 + hl;
    g_autoptr (GByteArray) th = hash13 (t, m, len - binders_len);
    g_autoptr (GByteArray) want = hmac13 (t, fk->data, hl, th->data, th->len);
    assert_secret (c, HL_SECRET_BINDER_KEY, binder);
    {
      /* early_exporter_master_secret = Derive-Secret(early secret, "e exp master",
       * ClientHello) (RFC 8446 7.1). OpenSSL makes it only on a side that sends or accepts
       * 0-RTT data, so a side holds it only then. */
      g_autoptr (GByteArray) eems = derive13 (t, early->data, "e exp master", tr, ch_end);
      gboolean early_sent = FALSE, early_read = FALSE;
      for (guint k = 0; k < c->steps->len; k++) {
        const HlStep *e = g_ptr_array_index (c->steps, k);
        early_sent |= e->early;
        early_read |= e->early && e->accepted;
      }
      if (early_sent)
        assert_view ("the run's", c->secrets.value[HL_SECRET_EARLY_EXPORTER_MASTER],
                     HL_SECRET_EARLY_EXPORTER_MASTER, eems);
      else
        g_assert_null (c->secrets.value[HL_SECRET_EARLY_EXPORTER_MASTER]);
      if (early_read)
        assert_view ("the server's", c->server_secrets.value[HL_SECRET_EARLY_EXPORTER_MASTER],
                     HL_SECRET_EARLY_EXPORTER_MASTER, eems);
      else
        g_assert_null (c->server_secrets.value[HL_SECRET_EARLY_EXPORTER_MASTER]);
      early_exporters_checked += early_sent;
    }
    g_assert_cmpuint (m[len - hl - 1], ==, hl);
    g_assert_cmpmem (m + len - hl, hl, want->data, hl);
    g_assert_true (g_str_has_prefix (ch->check, "PSK binder"));
  } else {
    /* Without a PSK the early secret is a constant: nothing to export from it. */
    g_assert_null (v[HL_SECRET_EARLY_EXPORTER_MASTER]);
    g_assert_null (c->server_secrets.value[HL_SECRET_EARLY_EXPORTER_MASTER]);
  }
  /* The shared secret, from both sides' key-share secrets: c x (s G) = s x (c G). */
  if (v[HL_SECRET_SHARED]) {
    const br_ec_impl *ec = br_ec_get_default ();
    for (int side = 0; side < 2; side++) {
      GBytes *priv
          = v[side ? HL_SECRET_SERVER_KEY_SHARE_PRIVATE : HL_SECRET_CLIENT_KEY_SHARE_PRIVATE];
      GBytes *pub = v[side ? HL_SECRET_CLIENT_ECDH_PUBLIC : HL_SECRET_SERVER_ECDH_PUBLIC];
      gsize plen = g_bytes_get_size (pub);
      g_autofree guint8 *point = g_memdup2 (g_bytes_get_data (pub, NULL), plen);
      size_t xlen, xoff;
      g_assert_true (
          ec->mul (point, plen, g_bytes_get_data (priv, NULL), g_bytes_get_size (priv), c->curve));
      xoff = ec->xoff (c->curve, &xlen);
      assert_bytes_equal (v[HL_SECRET_SHARED], point + xoff, xlen);
      assert_bytes_equal (c->server_secrets.value[HL_SECRET_SHARED], point + xoff, xlen);
    }
  }
  tls13_checked++;
}

/* One view of a TLS 1.0-1.2 connection: the run's, or the server's own. */
static void
check_view (const HlConnection *c, const HlSecrets *view)
{
  const HlSuite *suite = hl_suite_by_id (c->suite);
  gboolean sha384 = suite->prf == HL_HASH_SHA384;
  GBytes *const *v = view->value;
  g_autoptr (GByteArray) transcript = g_byte_array_new ();
  guint finished_seen = 0;

  g_assert_true (c->success);
  if (!c->resumed) {
    g_autoptr (GByteArray) seed = concat (v[HL_SECRET_CLIENT_RANDOM], v[HL_SECRET_SERVER_RANDOM]);
    g_autoptr (GByteArray) master = prf (c->version, sha384, v[HL_SECRET_PREMASTER],
                                         "master secret", seed->data, seed->len, 48);
    assert_bytes_equal (v[HL_SECRET_MASTER], master->data, 48);
  }
  {
    g_autoptr (GByteArray) seed = concat (v[HL_SECRET_SERVER_RANDOM], v[HL_SECRET_CLIENT_RANDOM]);
    gsize kblen = g_bytes_get_size (v[HL_SECRET_KEY_BLOCK]);
    g_autoptr (GByteArray) kb = prf (c->version, sha384, v[HL_SECRET_MASTER], "key expansion",
                                     seed->data, seed->len, kblen);
    g_assert_cmpuint (kblen, >, 0);
    assert_bytes_equal (v[HL_SECRET_KEY_BLOCK], kb->data, kblen);
    /* The parts are the key block, in order. */
    {
      gsize off = 0;
      HlSecretId parts[] = { HL_SECRET_CLIENT_WRITE_MAC_KEY, HL_SECRET_SERVER_WRITE_MAC_KEY,
                             HL_SECRET_CLIENT_WRITE_KEY,     HL_SECRET_SERVER_WRITE_KEY,
                             HL_SECRET_CLIENT_WRITE_IV,      HL_SECRET_SERVER_WRITE_IV };
      for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
        gsize n = g_bytes_get_size (v[parts[i]]);
        assert_bytes_equal (v[parts[i]], kb->data + off, n);
        off += n;
      }
      g_assert_cmpuint (off, ==, kblen);
      g_assert_cmpuint (g_bytes_get_size (v[HL_SECRET_CLIENT_WRITE_KEY]), ==, suite->key_len);
    }
  }
  /* ECDH(E): premaster = x coordinate of c x (s G), from the captured shares. */
  if (v[HL_SECRET_CLIENT_ECDH_PRIVATE] && v[HL_SECRET_SERVER_ECDH_PUBLIC] && c->curve > 0) {
    const br_ec_impl *ec = br_ec_get_default ();
    gsize plen = g_bytes_get_size (v[HL_SECRET_SERVER_ECDH_PUBLIC]);
    g_autofree guint8 *point
        = g_memdup2 (g_bytes_get_data (v[HL_SECRET_SERVER_ECDH_PUBLIC], NULL), plen);
    size_t xlen, xoff;
    g_assert_true (ec->mul (point, plen, g_bytes_get_data (v[HL_SECRET_CLIENT_ECDH_PRIVATE], NULL),
                            g_bytes_get_size (v[HL_SECRET_CLIENT_ECDH_PRIVATE]), c->curve));
    xoff = ec->xoff (c->curve, &xlen);
    assert_bytes_equal (v[HL_SECRET_PREMASTER], point + xoff, xlen);
    /* and the server's share is s G */
    if (v[HL_SECRET_SERVER_ECDH_PRIVATE]) {
      guint8 pub[BR_EC_KBUF_PUB_MAX_SIZE];
      size_t n = ec->mulgen (pub, g_bytes_get_data (v[HL_SECRET_SERVER_ECDH_PRIVATE], NULL),
                             g_bytes_get_size (v[HL_SECRET_SERVER_ECDH_PRIVATE]), c->curve);
      assert_bytes_equal (v[HL_SECRET_SERVER_ECDH_PUBLIC], pub, n);
    }
    ecdh_checked++;
  }
  /* verify_data = PRF(master, label, Hash(every handshake message before this Finished)). */
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    GBytes *content = st->encrypted ? st->plaintext : st->wire;
    if (st->content_type != 22)
      continue;
    g_assert_nonnull (content);
    if (strcmp (st->message, "Finished") == 0) {
      guint8 h[64];
      gsize hlen = sizeof h;
      gboolean client = st->from == HL_SIDE_CLIENT;
      g_autoptr (GByteArray) want = NULL;
      hash_transcript (transcript, c->version, sha384, h, &hlen);
      want = prf (c->version, sha384, v[HL_SECRET_MASTER],
                  client ? "client finished" : "server finished", h, hlen, 12);
      assert_bytes_equal (v[client ? HL_SECRET_CLIENT_VERIFY_DATA : HL_SECRET_SERVER_VERIFY_DATA],
                          want->data, 12);
      g_assert_cmpmem ((const guint8 *)g_bytes_get_data (content, NULL) + 4, 12, want->data, 12);
      g_assert_true (g_str_has_prefix (st->check, "verify_data"));
      g_assert_nonnull (strstr (st->check, " matches what the "));
      finished_seen++;
    }
    g_byte_array_append (transcript, g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  }
  g_assert_cmpuint (finished_seen, ==, 2);
}

static void
check_connection (const HlConnection *c)
{
  check_view (c, &c->secrets);
  check_view (c, &c->server_secrets);
}

static void
test_scenario_secrets (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlSuite *suite;
  guint n13 = 0;
  ecdh_checked = tls13_checked = key_updates_checked = early_exporters_checked = 0;
  for (guint i = 0; i < hl_run_get_n_connections (run); i++) {
    const HlConnection *c = hl_run_get_connection (run, i);
    if (c->version == 0x0304) {
      n13++;
      check_connection13 (c, i ? hl_run_get_connection (run, i - 1) : NULL);
      continue;
    }
    check_connection (c);
  }
  /* Every TLS 1.3 connection went through every check; a lesson that expects TLS 1.3
   * has only such connections. */
  g_assert_cmpuint (tls13_checked, ==, n13);
  if (s->expect.version == 0x0304)
    g_assert_cmpuint (tls13_checked, ==, hl_run_get_n_connections (run));
  if (hl_run_get_connection (run, 0)->version == 0x0304) {
    if (s->key_update)
      g_assert_cmpuint (key_updates_checked, >, 0);
    if (s->resumption && s->early_data)
      g_assert_cmpuint (early_exporters_checked, >, 0);
    return;
  }
  /* Every ECDHE run exposes both shares, and they explain its premaster. (An OpenSSL
   * client at TLS 1.2 frees its ephemeral key as soon as it has derived the master
   * secret: the server's view, from BearSSL, is then all there is.) */
  suite = hl_suite_by_id (hl_run_get_connection (run, 0)->suite);
  if (hl_suite_is_ecdhe (suite) && s->client.library == HL_LIBRARY_BEARSSL) {
    const HlSecrets *x = &hl_run_get_connection (run, 0)->secrets;
    g_assert_nonnull (x->value[HL_SECRET_CLIENT_ECDH_PRIVATE]);
    g_assert_nonnull (x->value[HL_SECRET_SERVER_ECDH_PRIVATE]);
    g_assert_cmpuint (ecdh_checked, >, 0);
  }
}

/* The 0-RTT lessons: OpenSSL logs EARLY_EXPORTER_SECRET on each side that sends or
 * accepts early data (34: both; 43: only the client, the server declines it), and the
 * run's early_exporter_master_secret is that value. */
static void
test_early_exporter_keylog (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) run = hl_test_run (s);
  guint n = hl_run_get_n_connections (run);
  const HlConnection *c = hl_run_get_connection (run, n - 1);
  gboolean declined = strstr (data, "43-") != NULL;
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (c->resumed);
  for (int side = 0; side < 2; side++) {
    /* The peers after the run are the last connection's. */
    GBytes *logged = hl_ossl_keylog (run->peer[side]->ossl, HL_OSSL_EARLY_EXPORTER_SECRET);
    GBytes *ours = side == HL_SIDE_CLIENT
                       ? c->secrets.value[HL_SECRET_EARLY_EXPORTER_MASTER]
                       : c->server_secrets.value[HL_SECRET_EARLY_EXPORTER_MASTER];
    if (side == HL_SIDE_SERVER && declined) {
      /* The declining server never made it, so it does not hold it. */
      g_assert_null (logged);
      g_assert_null (ours);
      continue;
    }
    g_assert_nonnull (ours);
    g_assert_nonnull (logged);
    g_assert_cmpmem (g_bytes_get_data (logged, NULL), g_bytes_get_size (logged),
                     g_bytes_get_data (ours, NULL), g_bytes_get_size (ours));
  }
  /* No 0-RTT in the first connection: OpenSSL logged none there, and the run, without a
   * PSK, has none either. */
  g_assert_null (hl_run_get_connection (run, 0)->secrets.value[HL_SECRET_EARLY_EXPORTER_MASTER]);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) files = NULL;
  g_test_init (&argc, &argv, NULL);
  files = hl_test_bundled_names ();
  for (guint i = 0; i < files->len; i++) {
    const char *name = g_ptr_array_index (files, i);
    g_autoptr (HlScenario) s = hl_test_load_bundled (name);
    g_autofree char *path = NULL;
    /* Only runs that complete derive every secret. */
    if (s->expect.outcome != 1 || s->fault.action != HL_FAULT_NONE)
      continue;
    path = g_strdup_printf ("/secrets/%s", name);
    g_test_add_data_func (path, g_strdup (name), test_scenario_secrets);
  }
  g_test_add_data_func ("/secrets/early-exporter-keylog/34", "34-tls13-early-data.scenario",
                        test_early_exporter_keylog);
  g_test_add_data_func ("/secrets/early-exporter-keylog/43",
                        "43-tls13-early-data-rejected.scenario", test_early_exporter_keylog);
  return g_test_run ();
}
