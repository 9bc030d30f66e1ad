/* The secrets the engine captured, checked by a TLS PRF written here on GLib's
 * GHmac, independent of BearSSL: master secret, key block, both verify_data. */
#include <bearssl.h>
#include <string.h>

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

static void
check_connection (const HlConnection *c)
{
  const HlSuite *suite = hl_suite_by_id (c->suite);
  gboolean sha384 = suite->prf == HL_HASH_SHA384;
  GBytes *const *v = c->secrets.value;
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
test_scenario_secrets (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlSuite *suite;
  ecdh_checked = 0;
  for (guint i = 0; i < hl_run_get_n_connections (run); i++)
    check_connection (hl_run_get_connection (run, i));
  /* Every ECDHE run exposes both shares, and they explain its premaster. */
  suite = hl_suite_by_id (hl_run_get_connection (run, 0)->suite);
  if (hl_suite_is_ecdhe (suite)) {
    const HlSecrets *x = &hl_run_get_connection (run, 0)->secrets;
    g_assert_nonnull (x->value[HL_SECRET_CLIENT_ECDH_PRIVATE]);
    g_assert_nonnull (x->value[HL_SECRET_SERVER_ECDH_PRIVATE]);
    g_assert_cmpuint (ecdh_checked, >, 0);
  }
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) files = NULL;
  g_test_init (&argc, &argv, NULL);
  {
    g_autofree char *dir = hl_test_source_path ("scenarios");
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    files = g_ptr_array_new_with_free_func (g_free);
    while ((name = g_dir_read_name (d)))
      if (g_str_has_suffix (name, ".scenario"))
        g_ptr_array_add (files, g_strdup (name));
  }
  g_ptr_array_sort (files, compare_names);
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
  return g_test_run ();
}
