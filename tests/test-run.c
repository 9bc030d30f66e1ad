/* The run as a window consumes it: stable steps across seeks, a look ahead with
 * no side effect, what each side knows after each step, the record layer,
 * tampering keyed to messages, and two runs on two threads. */
#include <bearssl.h>
#include <string.h>
#include <time.h>

#include "hl-credentials-private.h"
#include "hl-decode.h"
#include "hl-tables.h"
#include "hl-test-util.h"
#include "hl-tls13.h"
#include "hl-transcript.h"

static const HlStep *
find_step (HlRun *run, guint connection, HlSide from, const char *message)
{
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->connection == connection && st->from == from && strcmp (st->message, message) == 0)
      return st;
  }
  return NULL;
}

/* The secret with this key that a side holds after a step, or NULL. */
static const HlSecret *
held_after (const HlStep *st, HlSide side, const char *key)
{
  const GPtrArray *secrets = st->after[side].secrets;
  for (guint i = 0; i < secrets->len; i++) {
    const HlSecret *s = g_ptr_array_index (secrets, i);
    if (strcmp (s->key, key) == 0)
      return s;
  }
  return NULL;
}

/* The step index at which a side first held a secret, checked against every step:
 * absent before it, present (the same value) from it on, within one connection. */
static guint
learned_at (HlRun *run, guint connection, HlSide side, const char *key)
{
  guint first = 0;
  GBytes *value = NULL;
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    const HlSecret *s;
    if (st->connection != connection)
      continue;
    s = held_after (st, side, key);
    if (s && !first) {
      first = st->index;
      value = s->value;
      g_assert_cmpuint (s->learned_at, ==, st->index);
      g_assert_cmpuint (s->side, ==, side);
      g_assert_cmpuint (g_bytes_get_size (s->value), >, 0);
    } else if (s) {
      g_assert_true (g_bytes_equal (s->value, value));
      g_assert_cmpuint (s->learned_at, ==, first);
    } else if (first && g_strcmp0 (st->after[side].state, "CLOSED") != 0) {
      g_assert_not_reached (); /* nothing is forgotten while the connection lives */
    }
  }
  return first;
}

static guint
index_of (HlRun *run, guint connection, HlSide from, const char *message)
{
  const HlStep *st = find_step (run, connection, from, message);
  g_assert_nonnull (st);
  return st->index;
}

static void
test_knowledge_rsa (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint ch = index_of (run, 1, HL_SIDE_CLIENT, "ClientHello");
  guint sh = index_of (run, 1, HL_SIDE_SERVER, "ServerHello");
  guint cert = index_of (run, 1, HL_SIDE_SERVER, "Certificate");
  guint shd = index_of (run, 1, HL_SIDE_SERVER, "ServerHelloDone");
  guint cke = index_of (run, 1, HL_SIDE_CLIENT, "ClientKeyExchange");
  const HlStep *last = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
  /* Each side holds its own random from the hello it sends, the other's on receipt. */
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "client_random"), ==, ch);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "client_random"), ==, ch);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "server_random"), ==, sh);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "server_random"), <=, sh);
  /* The client makes the premaster when the server's flight is complete; the server
   * holds it only once it decrypts the ClientKeyExchange. */
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "premaster_secret"), ==, shd);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "premaster_secret"), ==, cke);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "master_secret"), ==, cke);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "client_write_key"), >=, cke);
  /* AES-GCM has no MAC key: a zero-length key is not knowledge. */
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "client_write_mac_key"), ==, 0);
  g_assert_null (held_after (last, HL_SIDE_SERVER, "server_write_mac_key"));
  /* No ECDH in RSA key exchange. */
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "client_ecdh_private_key"), ==, 0);
  /* Version, suite and the certificate verdict, as each side knows them. */
  g_assert_cmpuint (hl_run_get_step (run, ch - 1)->after[HL_SIDE_CLIENT].suite, ==, 0);
  g_assert_cmpuint (hl_run_get_step (run, sh - 1)->after[HL_SIDE_CLIENT].suite, ==,
                    hl_run_get_connection (run, 0)->suite);
  g_assert_cmpuint (hl_run_get_step (run, sh - 1)->after[HL_SIDE_CLIENT].version, ==, 0x0303);
  g_assert_null (hl_run_get_step (run, sh - 1)->after[HL_SIDE_CLIENT].certificate_verdict);
  g_assert_nonnull (hl_run_get_step (run, cert - 1)->after[HL_SIDE_CLIENT].certificate_verdict);
  g_assert_nonnull (strstr (last->after[HL_SIDE_CLIENT].certificate_verdict, "trusted CA"));
  /* The values are the run's own: the last step's master is the connection's. */
  g_assert_true (g_bytes_equal (held_after (last, HL_SIDE_CLIENT, "master_secret")->value,
                                hl_run_get_connection (run, 0)->secrets.value[HL_SECRET_MASTER]));
}

static void
test_knowledge_ecdhe (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint ch = index_of (run, 1, HL_SIDE_CLIENT, "ClientHello");
  guint ske = index_of (run, 1, HL_SIDE_SERVER, "ServerKeyExchange");
  guint shd = index_of (run, 1, HL_SIDE_SERVER, "ServerHelloDone");
  guint cke = index_of (run, 1, HL_SIDE_CLIENT, "ClientKeyExchange");
  const HlStep *last = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
  /* The client holds the server's share once it read the ServerKeyExchange. */
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "server_ecdh_public_key"), ==, ske);
  /* The server picks its scalar while answering the ClientHello. */
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "server_ecdh_private_key"), ==, ch);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "client_ecdh_private_key"), ==, shd);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "client_ecdh_public_key"), ==, cke);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "premaster_secret"), ==, cke);
  /* Nobody ever holds the other side's secret scalar. */
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "server_ecdh_private_key"), ==, 0);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "client_ecdh_private_key"), ==, 0);
  g_assert_cmpint (hl_run_get_step (run, ske - 1)->after[HL_SIDE_CLIENT].curve, ==,
                   hl_run_get_connection (run, 0)->curve);
  g_assert_cmpint (hl_run_get_step (run, ske - 2)->after[HL_SIDE_CLIENT].curve, ==, -1);
  /* Both sides agree on every value they both hold. */
  for (guint i = 0; i < last->after[0].secrets->len; i++) {
    const HlSecret *a = g_ptr_array_index (last->after[0].secrets, i);
    const HlSecret *b = held_after (last, HL_SIDE_SERVER, a->key);
    if (b)
      g_assert_true (g_bytes_equal (a->value, b->value));
  }
  g_assert_nonnull (held_after (last, HL_SIDE_CLIENT, "master_secret")->inputs[0]);
  g_assert_cmpstr (held_after (last, HL_SIDE_CLIENT, "master_secret")->name, ==, "Master secret");
}

/* ECDSA certificate, ECDHE: the same moments as ECDHE-RSA, and signing goes unwatched. */
static void
test_knowledge_ecdhe_ecdsa (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("03-ecdhe-ecdsa-chacha20.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint ch = index_of (run, 1, HL_SIDE_CLIENT, "ClientHello");
  guint ske = index_of (run, 1, HL_SIDE_SERVER, "ServerKeyExchange");
  guint cke = index_of (run, 1, HL_SIDE_CLIENT, "ClientKeyExchange");
  g_assert_true (hl_run_succeeded (run));
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "server_ecdh_private_key"), ==, ch);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "server_ecdh_public_key"), ==, ske);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "premaster_secret"), ==, cke);
  /* ChaCha20-Poly1305: no MAC key, a 12-byte IV. */
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "client_write_mac_key"), ==, 0);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "client_write_iv"), >, 0);
}

/* Static ECDH: the server's scalar is its certificate's private key. */
static void
test_knowledge_static_ecdh (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("06-static-ecdh.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint cke = index_of (run, 1, HL_SIDE_CLIENT, "ClientKeyExchange");
  const HlStep *last = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
  const HlSecret *priv;
  const HlCredentials *cr = s->server.credentials;
  g_assert_null (find_step (run, 1, HL_SIDE_SERVER, "ServerKeyExchange"));
  /* The client takes the server's share from the certificate it accepted. */
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_CLIENT, "server_ecdh_public_key"), ==,
                    index_of (run, 1, HL_SIDE_SERVER, "Certificate"));
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "server_ecdh_private_key"), ==, cke);
  g_assert_cmpuint (learned_at (run, 1, HL_SIDE_SERVER, "client_ecdh_public_key"), ==, cke);
  priv = held_after (last, HL_SIDE_SERVER, "server_ecdh_private_key");
  g_assert_cmpmem (g_bytes_get_data (priv->value, NULL), g_bytes_get_size (priv->value), cr->ec.x,
                   cr->ec.xlen);
  /* Its public point is the one the client took from the certificate. */
  g_assert_true (
      g_bytes_equal (held_after (last, HL_SIDE_SERVER, "server_ecdh_public_key")->value,
                     held_after (last, HL_SIDE_CLIENT, "server_ecdh_public_key")->value));
}

static void
test_knowledge_mutual (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("10-mutual-tls.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint ccert = index_of (run, 1, HL_SIDE_CLIENT, "Certificate");
  const HlStep *before = hl_run_get_step (run, ccert - 2);
  const HlStep *at = hl_run_get_step (run, ccert - 1);
  g_assert_true (hl_run_succeeded (run));
  g_assert_null (before->after[HL_SIDE_SERVER].certificate_verdict);
  g_assert_nonnull (at->after[HL_SIDE_SERVER].certificate_verdict);
  g_assert_nonnull (strstr (at->after[HL_SIDE_SERVER].certificate_verdict, "server checked"));
  g_assert_nonnull (at->after[HL_SIDE_CLIENT].certificate_verdict);
}

/* Resumption: the client holds the old master secret from the ClientHello that
 * offers it, the server from the ServerHello that accepts it; no premaster. */
static void
test_knowledge_resumption (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("11-session-resumption.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint ch2 = index_of (run, 2, HL_SIDE_CLIENT, "ClientHello");
  const HlStep *last = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
  g_assert_cmpuint (hl_run_get_n_connections (run), ==, 2);
  g_assert_true (hl_run_get_connection (run, 1)->resumed);
  g_assert_cmpuint (learned_at (run, 2, HL_SIDE_CLIENT, "master_secret"), ==, ch2);
  g_assert_cmpuint (learned_at (run, 2, HL_SIDE_SERVER, "master_secret"), ==, ch2);
  g_assert_cmpuint (learned_at (run, 2, HL_SIDE_CLIENT, "premaster_secret"), ==, 0);
  g_assert_true (g_bytes_equal (held_after (last, HL_SIDE_CLIENT, "master_secret")->value,
                                hl_run_get_connection (run, 0)->secrets.value[HL_SECRET_MASTER]));
}

/* Seeking back then forward gives the steps of a straight run, and keeps the
 * step records the window holds. */
static void
test_seek_stable (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("11-session-resumption.scenario");
  g_autoptr (HlRun) straight = hl_test_run (s);
  g_autoptr (HlRun) run = hl_run_new (s);
  g_autofree char *want = hl_transcript_to_json (straight);
  g_autofree char *got = NULL;
  const HlStep *kept[5];
  guint n = hl_run_get_n_steps (straight);
  hl_run_seek (run, n - 2);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, n - 2);
  for (guint i = 0; i < 5; i++)
    kept[i] = hl_run_get_step (run, i);
  hl_run_seek (run, 5);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, 5);
  g_assert_false (hl_run_is_finished (run));
  for (guint i = 0; i < 5; i++)
    g_assert_true (hl_run_get_step (run, i) == kept[i]);
  hl_run_seek (run, 2);
  hl_run_seek (run, 9);
  g_assert_true (hl_run_get_step (run, 1) == kept[1]);
  hl_run_run_to_end (run);
  got = hl_transcript_to_json (run);
  g_assert_cmpstr (got, ==, want);
  /* Going back restores the earlier state, not only the same count. */
  hl_run_seek (run, 3);
  g_assert_cmpuint (hl_run_get_n_connections (run), ==, 1);
  g_assert_false (hl_run_is_finished (run));
  {
    HlNextMessage next;
    g_assert_true (hl_run_peek_next (run, &next));
    g_assert_cmpstr (next.message, ==, hl_run_get_step (straight, 3)->message);
    g_assert_true (g_bytes_equal (next.wire, hl_run_get_step (straight, 3)->wire));
  }
}

/* Peeking never changes the run, even where the next thing is the script's. */
static void
test_peek_no_side_effect (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("11-session-resumption.scenario");
  g_autoptr (HlRun) straight = hl_test_run (s);
  g_autoptr (HlRun) run = hl_run_new (s);
  g_autofree char *want = hl_transcript_to_json (straight);
  g_autofree char *got = NULL;
  HlNextMessage next;
  guint steps = 0;
  while (hl_run_peek_next (run, &next)) {
    guint nc = hl_run_get_n_connections (run);
    HlNextMessage again;
    g_assert_false (hl_run_is_finished (run));
    g_assert_true (hl_run_peek_next (run, &again));
    g_assert_true (g_bytes_equal (next.wire, again.wire));
    g_assert_cmpuint (hl_run_get_n_connections (run), ==, nc);
    g_assert_cmpuint (hl_run_get_n_steps (run), ==, steps);
    g_assert_cmpstr (next.message, ==, hl_run_get_step (straight, steps)->message);
    g_assert_cmpuint (next.connection, ==, hl_run_get_step (straight, steps)->connection);
    g_assert_true (hl_run_step (run));
    steps++;
  }
  g_assert_true (hl_run_is_finished (run));
  g_assert_false (hl_run_step (run));
  got = hl_transcript_to_json (run);
  g_assert_cmpstr (got, ==, want);
}

static GBytes *
filled (gsize len, guint8 byte, const guint8 *head, gsize head_len)
{
  guint8 *d = g_malloc (len);
  memset (d, byte, len);
  memcpy (d, head, MIN (head_len, len));
  return g_bytes_new_take (d, len);
}

/* Oversized tampers are framed in records whose lengths are right. */
static void
check_big_tamper (gsize size)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) run = hl_run_new (s);
  HlNextMessage next;
  g_autoptr (GBytes) big = NULL;
  const HlStep *st;
  gsize sum = 0;
  g_assert_true (hl_run_peek_next (run, &next));
  big = filled (size, 0xab, g_bytes_get_data (next.wire, NULL), g_bytes_get_size (next.wire));
  hl_run_tamper_next (run, big);
  g_assert_true (hl_run_step (run));
  st = hl_run_get_step (run, 0);
  g_assert_nonnull (st->fault);
  g_assert_true (g_bytes_equal (st->delivered_wire, big));
  for (guint i = 0; i < st->records->len; i++) {
    const HlRecordHeader *r = &g_array_index (st->records, HlRecordHeader, i);
    g_assert_cmpuint (r->length, <=, 16384);
    sum += r->length;
  }
  g_assert_cmpuint (sum, ==, size);
  g_assert_cmpuint (g_bytes_get_size (st->record_wire), ==, size + 5 * st->records->len);
  g_assert_nonnull (st->delivered_fields);
  hl_run_run_to_end (run);
  g_assert_false (hl_run_succeeded (run));
}

static void
test_tamper_16k (void)
{
  check_big_tamper (16384 + 100);
}

static void
test_tamper_64k (void)
{
  check_big_tamper (70000);
}

/* Edits belong to messages: listed, kept across seeks, removable; resending the
 * same bytes changes nothing. */
static void
test_edits (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) straight = hl_test_run (s);
  g_autoptr (HlRun) run = hl_run_new (s);
  g_autofree char *want = hl_transcript_to_json (straight);
  g_autofree char *got = NULL;
  HlNextMessage next;
  guint at;
  while (hl_run_peek_next (run, &next) && strcmp (next.message, "ServerKeyExchange") != 0)
    hl_run_step (run);
  at = hl_run_get_n_steps (run);
  /* The same bytes: not a change. */
  hl_run_tamper_next (run, next.wire);
  g_assert_cmpuint (hl_run_get_n_edits (run), ==, 1);
  hl_run_step (run);
  g_assert_null (hl_run_get_step (run, at)->fault);
  g_assert_null (hl_run_get_step (run, at)->delivered_wire);
  hl_run_remove_edit (run, 0);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, at);
  /* A real change: kept by message across seeks. */
  g_assert_true (hl_run_peek_next (run, &next));
  {
    gsize len;
    guint8 *copy = g_memdup2 (g_bytes_get_data (next.wire, &len), g_bytes_get_size (next.wire));
    g_autoptr (GBytes) b = NULL;
    copy[len - 1] ^= 0x80;
    b = g_bytes_new_take (copy, len);
    hl_run_tamper_next (run, b);
  }
  g_assert_cmpstr (hl_run_get_edit (run, 0)->message, ==, "ServerKeyExchange");
  g_assert_cmpuint (hl_run_get_edit (run, 0)->nth, ==, 1);
  g_assert_cmpuint (hl_run_get_edit (run, 0)->from, ==, HL_SIDE_SERVER);
  hl_run_run_to_end (run);
  g_assert_cmpint (hl_run_get_connection (run, 0)->error[HL_SIDE_CLIENT], ==, BR_ERR_BAD_SIGNATURE);
  g_assert_nonnull (hl_run_get_step (run, at)->delivered_fields);
  hl_run_seek (run, 1);
  hl_run_run_to_end (run);
  g_assert_cmpint (hl_run_get_connection (run, 0)->error[HL_SIDE_CLIENT], ==, BR_ERR_BAD_SIGNATURE);
  /* Removing it goes back to before the message and the run is whole again. */
  hl_run_remove_edit (run, 0);
  g_assert_cmpuint (hl_run_get_n_edits (run), ==, 0);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, at);
  hl_run_run_to_end (run);
  got = hl_transcript_to_json (run);
  g_assert_cmpstr (got, ==, want);
}

/* Record fields tile the records, and every child lies inside its parent. */
static void
check_inside (const GPtrArray *fields, gsize start, gsize end)
{
  for (guint i = 0; i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    g_assert_cmpuint (f->offset, >=, start);
    g_assert_cmpuint (f->offset + f->length, <=, end);
    check_inside (f->children, f->offset, f->offset + f->length);
  }
}

static void
check_tiles (const GPtrArray *fields, gsize len)
{
  gsize pos = 0;
  for (guint i = 0; i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    g_assert_cmpuint (f->offset, ==, pos);
    pos += f->length;
  }
  g_assert_cmpuint (pos, ==, len);
  check_inside (fields, 0, len);
}

static void
test_record_fields (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) run = hl_test_run (s);
  guint encrypted = 0;
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    gsize len;
    if (!st->record_wire)
      continue;
    len = g_bytes_get_size (st->record_wire);
    check_tiles (st->record_fields, len);
    check_inside (st->fields, 0,
                  st->encrypted && st->plaintext ? g_bytes_get_size (st->plaintext)
                                                 : g_bytes_get_size (st->wire));
    if (st->encrypted && st->plaintext) {
      const HlField *rec = g_ptr_array_index (st->record_fields, 0);
      const HlField *payload = g_ptr_array_index (rec->children, 3);
      g_assert_cmpstr (payload->name, ==, "Encrypted payload");
      g_assert_cmpuint (payload->children->len, >=, 1);
      encrypted++;
    }
  }
  g_assert_cmpuint (encrypted, >=, 2);
}

typedef struct {
  const char *name;
  char *json;
} Job;

static gpointer
run_job (gpointer data)
{
  Job *job = data;
  for (int round = 0; round < 5; round++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (job->name);
    g_autoptr (HlRun) run = hl_test_run (s);
    g_autofree char *json = hl_transcript_to_json (run);
    if (!job->json)
      job->json = g_steal_pointer (&json);
    else if (strcmp (job->json, json) != 0)
      return GINT_TO_POINTER (1);
  }
  return NULL;
}

/* Two different runs at once on two threads give their single-threaded transcripts. */
/* Two runs at once give what each gives alone. data: the two lessons' names, ";"-separated.
 * OpenSSL runs have their own library context, seeded RNG and pinned clock per side, so
 * a TLS 1.3 run (with tickets, which carry the time) next to a BearSSL one also holds,
 * and the clock is the real one after. */
static void
test_two_threads (gconstpointer data)
{
  g_auto (GStrv) names = g_strsplit (data, ";", 2);
  Job jobs[2] = { { names[0], NULL }, { names[1], NULL } };
  GThread *threads[2];
  for (int i = 0; i < 2; i++)
    threads[i] = g_thread_new ("run", run_job, &jobs[i]);
  for (int i = 0; i < 2; i++)
    g_assert_null (g_thread_join (threads[i]));
  for (int i = 0; i < 2; i++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (jobs[i].name);
    g_autoptr (HlRun) run = hl_test_run (s);
    g_autofree char *alone = hl_transcript_to_json (run);
    g_assert_cmpstr (jobs[i].json, ==, alone);
    g_free (jobs[i].json);
  }
  /* The lessons' clock is 2026-01-01; this test runs later than that. */
  g_assert_cmpint (time (NULL), >, 1767225600 + 86400);
}

/* Going back in a TLS 1.3 run rebuilds both OpenSSL sides and replays them: the same
 * steps, byte for byte, and the run goes on as before. */
static void
test_seek_tls13 (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("34-tls13-early-data.scenario");
  g_autoptr (HlRun) whole = hl_test_run (s);
  g_autoptr (HlRun) run = hl_run_new (s);
  g_autofree char *want = hl_transcript_to_json (whole);
  g_autofree char *got = NULL;
  hl_run_seek (run, 20);
  hl_run_seek (run, 3);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, 3);
  hl_run_run_to_end (run);
  got = hl_transcript_to_json (run);
  g_assert_cmpstr (got, ==, want);
  /* Only the 0-RTT data itself is early, not EndOfEarlyData under the same key. */
  {
    guint early = 0;
    for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
      const HlStep *st = hl_run_get_step (run, i);
      if (st->early) {
        g_assert_cmpstr (st->message, ==, "ApplicationData");
        early++;
      }
    }
    g_assert_cmpuint (early, ==, 1);
  }
}

/* A TLS 1.3 CertificateVerify: the step says what was signed (64 spaces, the context
 * string, 0, the transcript hash), and that really is what the server's ECDSA signature
 * covers: rebuilt here from the steps and verified against the certificate's key. */
static void
test_certificate_verify_signed13 (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("31-tls13-chacha20-ecdsa.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlStep *cv = find_step (run, 1, HL_SIDE_SERVER, "CertificateVerify");
  g_autoptr (GByteArray) transcript = g_byte_array_new ();
  g_autoptr (GByteArray) signed_content = g_byte_array_new ();
  guint8 th[32], digest[32];
  gsize n = 32, len;
  g_autofree char *th_hex = NULL;
  const guint8 *msg;
  br_x509_decoder_context dc;
  const br_x509_pkey *pk;
  const br_x509_certificate *leaf = &s->server.credentials->chain[0];
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    GBytes *m = st->encrypted ? st->plaintext : st->wire;
    if (st == cv)
      break;
    if (st->content_type == 22)
      g_byte_array_append (transcript, g_bytes_get_data (m, NULL), g_bytes_get_size (m));
  }
  {
    GChecksum *c = g_checksum_new (G_CHECKSUM_SHA256);
    g_checksum_update (c, transcript->data, transcript->len);
    g_checksum_get_digest (c, th, &n);
    g_checksum_free (c);
  }
  th_hex = hl_hex (th, 32);
  g_assert_nonnull (strstr (cv->check, th_hex));
  g_assert_nonnull (strstr (cv->check, "\"TLS 1.3, server CertificateVerify\""));
  for (int i = 0; i < 64; i++)
    g_byte_array_append (signed_content, (const guint8 *)" ", 1);
  g_byte_array_append (signed_content, (const guint8 *)"TLS 1.3, server CertificateVerify", 33);
  g_byte_array_append (signed_content, (const guint8 *)"\0", 1);
  g_byte_array_append (signed_content, th, 32);
  {
    GChecksum *c = g_checksum_new (G_CHECKSUM_SHA256);
    n = 32;
    g_checksum_update (c, signed_content->data, signed_content->len);
    g_checksum_get_digest (c, digest, &n);
    g_checksum_free (c);
  }
  br_x509_decoder_init (&dc, NULL, NULL);
  br_x509_decoder_push (&dc, leaf->data, leaf->data_len);
  pk = br_x509_decoder_get_pkey (&dc);
  g_assert_nonnull (pk);
  g_assert_cmpint (pk->key_type, ==, BR_KEYTYPE_EC);
  /* The message: type, length, scheme (2), signature length (2), signature. */
  msg = g_bytes_get_data (cv->plaintext, &len);
  g_assert_cmpuint (msg[4] << 8 | msg[5], ==, 0x0403); /* ecdsa_secp256r1_sha256 */
  g_assert_true (br_ecdsa_vrfy_asn1_get_default () (br_ec_get_default (), digest, 32, &pk->key.ec,
                                                    msg + 8, len - 8));
  /* One bit more in the hash and the signature no longer holds. */
  digest[0] ^= 1;
  g_assert_false (br_ecdsa_vrfy_asn1_get_default () (br_ec_get_default (), digest, 32, &pk->key.ec,
                                                     msg + 8, len - 8));
}

/* [Expect] HelloRetry is checked: a lesson without a retry that expects one differs. */
static void
test_expect_hello_retry (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("30-tls13-basic.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  g_autofree char *why = NULL;
  g_assert_cmpint (hl_run_check_expect (run, NULL), ==, 1);
  s->expect.hello_retry = 1;
  g_assert_cmpint (hl_run_check_expect (run, &why), ==, 0);
  g_assert_cmpstr (why, ==, "there was no HelloRetryRequest, expected one");
}

/* A scenario built or changed in code is checked before it runs: an error, never a crash. */
static void
test_scenario_built_in_code (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (GError) error = NULL;
  HlScenario empty = { 0 };
  HlCredentials *saved = s->server.credentials;
  GArray *suites = s->client.suites;
  g_assert_null (hl_run_new_checked (&empty, &error));
  g_assert_error (error, HL_SCENARIO_ERROR, HL_SCENARIO_ERROR_INVALID);
  g_clear_error (&error);
  s->server.credentials = NULL;
  g_assert_null (hl_run_new_checked (s, &error));
  g_assert_nonnull (strstr (error->message, "[Server] has no credentials"));
  g_assert_null (hl_run_new (s));
  g_clear_error (&error);
  s->server.credentials = saved;
  s->client.suites = NULL;
  g_assert_null (hl_run_new_checked (s, &error));
  g_assert_nonnull (strstr (error->message, "[Client] has no suites"));
  g_clear_error (&error);
  s->client.suites = suites;
  s->client.version_max = 0x0304;
  g_assert_null (hl_run_new_checked (s, &error));
  g_assert_nonnull (strstr (error->message, "not a range"));
  g_clear_error (&error);
  s->client.version_max = 0x0303;
  {
    g_autoptr (HlRun) run = hl_run_new_checked (s, &error);
    g_assert_no_error (error);
    g_assert_nonnull (run);
  }
}

/* Steps until the next message is the Nth `message` from `from`; FALSE if none comes. */
static gboolean
step_until (HlRun *run, HlSide from, const char *message, guint nth, HlNextMessage *next)
{
  guint seen = 0;
  while (hl_run_peek_next (run, next)) {
    if (next->from == from && strcmp (next->message, message) == 0 && ++seen == nth)
      return TRUE;
    hl_run_step (run);
  }
  return FALSE;
}

/* Encrypting a record's own plaintext again with the sender's keys and sequence
 * number gives back the very bytes the sender sent: the re-encryption is exact. */
static void
test_reencrypt_exact (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  static const struct {
    HlSide from;
    const char *message;
    guint nth;
  } targets[] = { { HL_SIDE_CLIENT, "Finished", 1 },
                  { HL_SIDE_SERVER, "Finished", 1 },
                  { HL_SIDE_CLIENT, "Alert", 1 },
                  { HL_SIDE_SERVER, "ApplicationData", 1 } };
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++) {
    g_autoptr (HlRun) run = hl_run_new (s);
    g_autoptr (GError) error = NULL;
    HlNextMessage next;
    g_assert_true (step_until (run, targets[i].from, targets[i].message, targets[i].nth, &next));
    g_assert_true (next.encrypted);
    g_assert_nonnull (next.plaintext);
    if (!hl_run_tamper_next_plaintext (run, next.plaintext, &error)) {
      /* Only TLS 1.0 CBC application data is refused (BearSSL would split it 1/n-1). */
      g_assert_error (error, HL_RUN_ERROR, HL_RUN_ERROR_BAD_LENGTH);
      g_assert_cmpstr (targets[i].message, ==, "ApplicationData");
      continue;
    }
    g_assert_cmpuint (hl_run_get_n_edits (run), ==, 1);
    if (!g_bytes_equal (hl_run_get_edit (run, 0)->wire, next.wire))
      g_error ("%s: %s %s#%u encrypted again differs from what was sent", (const char *)data,
               hl_side_name (targets[i].from), targets[i].message, targets[i].nth);
    hl_run_run_to_end (run);
    g_assert_true (hl_run_succeeded (run));
  }
}

/* A changed verify_data: encrypted again it makes a valid record whose Finished no
 * longer matches (BearSSL: BR_ERR_BAD_FINISHED, decrypt_error in RFC terms; OpenSSL in
 * TLS 1.3 sends decrypt_error, 51); the same change made to the ciphertext breaks the
 * record's integrity check (BR_ERR_BAD_MAC; OpenSSL: bad_record_mac, 20). */
static void
test_reencrypt_finished (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  gboolean tls13 = s->client.version_max == 0x0304;
  int bad_finished = tls13 ? BR_ERR_SEND_FATAL_ALERT + 51 : BR_ERR_BAD_FINISHED;
  int bad_mac = tls13 ? BR_ERR_SEND_FATAL_ALERT + 20 : BR_ERR_BAD_MAC;
  for (int side = 0; side < 2; side++) {
    HlSide receiver = side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
    g_autoptr (HlRun) plain = hl_run_new (s);
    g_autoptr (HlRun) cipher = hl_run_new (s);
    g_autoptr (GError) error = NULL;
    HlNextMessage next;
    const HlStep *st;
    guint at;
    g_assert_true (step_until (plain, side, "Finished", 1, &next));
    at = hl_run_get_n_steps (plain);
    {
      gsize len;
      const guint8 *orig = g_bytes_get_data (next.plaintext, &len);
      guint8 *copy = g_memdup2 (orig, len);
      g_autoptr (GBytes) changed = NULL;
      copy[4] ^= 0x01; /* the first byte of verify_data */
      changed = g_bytes_new_take (copy, len);
      g_assert_true (hl_run_tamper_next_plaintext (plain, changed, &error));
      g_assert_no_error (error);
    }
    hl_run_run_to_end (plain);
    st = hl_run_get_step (plain, at);
    g_assert_nonnull (st->delivered_plaintext);
    g_assert_nonnull (st->delivered_fields);
    g_assert_true (g_str_has_prefix (st->check, "MISMATCH"));
    g_assert_nonnull (strstr (st->fault, "encrypted again"));
    g_assert_cmpint (hl_run_get_connection (plain, 0)->error[receiver], ==, bad_finished);

    g_assert_true (step_until (cipher, side, "Finished", 1, &next));
    {
      gsize len;
      const guint8 *orig = g_bytes_get_data (next.wire, &len);
      guint8 *copy = g_memdup2 (orig, len);
      g_autoptr (GBytes) changed = NULL;
      copy[len / 2] ^= 0x01;
      changed = g_bytes_new_take (copy, len);
      hl_run_tamper_next (cipher, changed);
    }
    hl_run_run_to_end (cipher);
    g_assert_cmpint (hl_run_get_connection (cipher, 0)->error[receiver], ==, bad_mac);
  }
}

/* Plaintext tampers say what they cannot do. */
static void
test_reencrypt_refusals (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) run = hl_run_new (s);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr (GBytes) some = g_bytes_new ("abc", 3);
  HlNextMessage next;
  g_assert_false (hl_run_tamper_next_plaintext (run, some, &error));
  g_assert_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NOT_ENCRYPTED);
  g_clear_error (&error);
  g_assert_true (step_until (run, HL_SIDE_CLIENT, "Finished", 1, &next));
  g_assert_false (hl_run_tamper_next_plaintext (run, empty, &error));
  g_assert_error (error, HL_RUN_ERROR, HL_RUN_ERROR_BAD_LENGTH);
  g_clear_error (&error);
  g_assert_cmpuint (hl_run_get_n_edits (run), ==, 0);
  hl_run_run_to_end (run);
  g_assert_false (hl_run_tamper_next_plaintext (run, some, &error));
  g_assert_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NO_MESSAGE);
}

/* An RSA-2048 signature is 256 bytes: the BIT STRING's unused-bits byte is its own
 * field. Signature schemes carry their TLS 1.2 names (ECDSA + hash, no curve). */
static void
test_signature_facts (void)
{
  g_autoptr (HlScenario) rsa = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlScenario) ecdsa = hl_test_load_bundled ("04-ecdhe-ecdsa-p384-sha384.scenario");
  g_autoptr (HlRun) a = hl_test_run (rsa);
  g_autoptr (HlRun) b = hl_test_run (ecdsa);
  const HlStep *cert = find_step (a, 1, HL_SIDE_SERVER, "Certificate");
  const HlField *sig = hl_field_find_named (cert->fields, "CA signature");
  const HlStep *ske = find_step (b, 1, HL_SIDE_SERVER, "ServerKeyExchange");
  const HlField *alg = hl_field_find_named (ske->fields, "Signature algorithm");
  g_assert_nonnull (sig);
  g_assert_cmpuint (sig->children->len, ==, 2);
  g_assert_cmpstr (((HlField *)g_ptr_array_index (sig->children, 0))->name, ==, "Unused bits");
  g_assert_cmpuint (((HlField *)g_ptr_array_index (sig->children, 0))->length, ==, 1);
  g_assert_cmpuint (((HlField *)g_ptr_array_index (sig->children, 1))->length, ==, 256);
  g_assert_nonnull (strstr (sig->value, "(256 bytes)"));
  g_assert_nonnull (alg);
  g_assert_true (g_str_has_prefix (alg->value, "ecdsa_sha"));
  g_assert_null (strstr (alg->value, "secp"));
}

/* Dropping the next message by hand: it is not delivered, the receiver waits, the
 * run ends stalled; going back before it and removing the drop restores the run. */
static void
test_drop_by_hand (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) straight = hl_test_run (s);
  g_autoptr (HlRun) run = hl_run_new (s);
  g_autofree char *want = hl_transcript_to_json (straight);
  g_autofree char *got = NULL;
  HlNextMessage next;
  const HlStep *st;
  guint at;
  g_assert_true (step_until (run, HL_SIDE_CLIENT, "ClientKeyExchange", 1, &next));
  at = hl_run_get_n_steps (run);
  hl_run_drop_next (run);
  g_assert_true (hl_run_get_edit (run, 0)->drop);
  g_assert_true (hl_run_step (run));
  st = hl_run_get_step (run, at);
  g_assert_cmpstr (st->message, ==, "ClientKeyExchange");
  g_assert_false (st->delivered);
  g_assert_cmpuint (st->records->len, ==, 0);
  g_assert_null (st->record_wire);
  /* The server never got the premaster. */
  g_assert_null (held_after (st, HL_SIDE_SERVER, "premaster_secret"));
  hl_run_run_to_end (run);
  g_assert_false (hl_run_succeeded (run));
  for (guint i = at; i < hl_run_get_n_steps (run); i++)
    g_assert_null (held_after (hl_run_get_step (run, i), HL_SIDE_SERVER, "premaster_secret"));
  hl_run_remove_edit (run, 0);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, at);
  hl_run_run_to_end (run);
  got = hl_transcript_to_json (run);
  g_assert_cmpstr (got, ==, want);
}

/* A Finished the receiver never compared is "Not checked", never "matches". */
static void
test_not_checked (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("22-fault-dropped-ccs.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlStep *fin = find_step (run, 1, HL_SIDE_CLIENT, "Finished");
  g_assert_true (g_str_has_prefix (fin->check, "Not checked"));
  g_assert_null (strstr (fin->check, "matches"));
}

/* CertificateRequest names the CAs it accepts as distinguished names, not hex. */
static void
test_certificate_request_names (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("10-mutual-tls.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlStep *cr = find_step (run, 1, HL_SIDE_SERVER, "CertificateRequest");
  const HlField *names = hl_field_find_named (cr->fields, "Distinguished names");
  const HlField *ca = hl_field_find_named (cr->fields, "CA name");
  g_assert_nonnull (names);
  g_assert_cmpstr (names->value, ==, "1 name");
  g_assert_nonnull (ca);
  g_assert_cmpstr (ca->value, ==, "CN=Handshake Lab Test Root CA, O=Handshake Lab Test PKI");
}

/* The engine state in words, for the knowledge panel: each flag of a real run's state. */
static void
test_engine_state_words (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  const HlStep *done = hl_run_get_step (run, 3); /* ServerHelloDone: the client answers */
  g_autofree char *mixed = hl_describe_engine_state ("SENDAPP|RECVREC");
  g_autofree char *unknown = hl_describe_engine_state ("RECVAPP|NEWFLAG");
  g_autofree char *empty = hl_describe_engine_state (NULL);
  g_autofree char *server = hl_describe_engine_state (done->after[HL_SIDE_SERVER].state);
  g_assert_cmpstr (mixed, ==,
                   "accepts application data to send (its own Finished made, perhaps still queued; "
                   "the peer's checked); waits for a record");
  g_assert_cmpstr (unknown, ==, "has application data to read; NEWFLAG");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (done->message, ==, "ServerHelloDone");
  g_assert_cmpstr (done->after[HL_SIDE_SERVER].state, ==, "RECVREC");
  g_assert_cmpstr (server, ==, "waits for a record");
}

/* Bytes from hex written as in RFC 8448 (spaces between octets are allowed). */
static void
unhex (const char *hex, guint8 *out, gsize len)
{
  gsize n = 0;
  for (const char *p = hex; *p; p++) {
    if (*p == ' ')
      continue;
    g_assert_true (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]));
    g_assert_cmpuint (n, <, len);
    out[n++] = g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]);
    p++;
  }
  g_assert_cmpuint (n, ==, len);
}

/* HKDF-Expand-Label(secret, label, context, len) with SHA-256 (RFC 8446 7.1), for at most
 * 32 bytes: one block, HMAC(secret, HkdfLabel | 0x01) (RFC 5869 2.3). Written here on
 * GLib's GHmac, so that an expected value never comes from the engine's hl_tls13_*. */
static void
expand_label_sha256 (const guint8 *secret, const char *label, const guint8 *context,
                     gsize context_len, guint8 *out, gsize len)
{
  GHmac *h = g_hmac_new (G_CHECKSUM_SHA256, secret, 32);
  guint8 head[3] = { 0, len, 6 + strlen (label) }, ctx_len = context_len, one = 1, block[32];
  gsize n = sizeof block;
  g_assert_cmpuint (len, <=, 32);
  g_hmac_update (h, head, 3);
  g_hmac_update (h, (const guint8 *)"tls13 ", 6);
  g_hmac_update (h, (const guint8 *)label, strlen (label));
  g_hmac_update (h, &ctx_len, 1);
  g_hmac_update (h, context, context_len);
  g_hmac_update (h, &one, 1);
  g_hmac_get_digest (h, block, &n);
  g_hmac_unref (h);
  memcpy (out, block, len);
}

/* RFC 8448 section 3, "Simple 1-RTT Handshake" (TLS_AES_128_GCM_SHA256), as published. */
#define RFC8448_EARLY_SECRET                                                                       \
  "33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 "                                               \
  "10 ad f3 00 aa 1f 26 60 e1 b2 2e 10 f1 70 f9 2a"
#define RFC8448_DERIVED_FOR_HANDSHAKE                                                              \
  "6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97 "                                               \
  "16 c0 76 18 9c 48 25 0c eb ea c3 57 6c 36 11 ba"
#define RFC8448_ECDHE_SHARED                                                                       \
  "8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d "                                               \
  "35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d"
#define RFC8448_HANDSHAKE_SECRET                                                                   \
  "1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 "                                               \
  "04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac"
#define RFC8448_HASH_CH_SH                                                                         \
  "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed "                                               \
  "d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8"
#define RFC8448_CLIENT_HS_TRAFFIC                                                                  \
  "b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f "                                               \
  "3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21"
#define RFC8448_RES_MASTER                                                                         \
  "7d f2 35 f2 03 1d 2a 05 12 87 d0 2b 02 41 b0 bf "                                               \
  "da f8 6c c8 56 23 1f 2d 5a ba 46 c4 34 ec 19 6c"
/* "generate resumption secret "tls13 resumption"", with the ticket nonce 00 00 */
#define RFC8448_RESUMPTION_PSK                                                                     \
  "4e cd 0e b6 ec 3b 4d 87 f5 d6 02 8f 92 2c a4 c5 "                                               \
  "85 1a 27 7f d4 13 11 c9 e6 2d 2c 94 92 e1 c4 f3"

/* The engine's HKDF steps and the one written above give RFC 8448's published values. */
static void
test_key_schedule_rfc8448 (void)
{
  guint8 zeros[32] = { 0 }, nonce[2] = { 0, 0 }, want[32], got[32], early[32], derived[32];
  guint8 shared[32], hs[32], hash[32], res_master[32];
  unhex (RFC8448_EARLY_SECRET, want, 32);
  hl_tls13_extract (HL_HASH_SHA256, NULL, zeros, 32, early);
  g_assert_cmpmem (early, 32, want, 32);
  unhex (RFC8448_DERIVED_FOR_HANDSHAKE, want, 32);
  hl_tls13_derive_secret (HL_HASH_SHA256, early, "derived", NULL, 0, derived);
  g_assert_cmpmem (derived, 32, want, 32);
  unhex (RFC8448_ECDHE_SHARED, shared, 32);
  unhex (RFC8448_HANDSHAKE_SECRET, want, 32);
  hl_tls13_extract (HL_HASH_SHA256, derived, shared, 32, hs);
  g_assert_cmpmem (hs, 32, want, 32);
  unhex (RFC8448_HASH_CH_SH, hash, 32);
  unhex (RFC8448_CLIENT_HS_TRAFFIC, want, 32);
  hl_tls13_derive_secret_hashed (HL_HASH_SHA256, hs, "c hs traffic", hash, got);
  g_assert_cmpmem (got, 32, want, 32);
  unhex (RFC8448_RES_MASTER, res_master, 32);
  unhex (RFC8448_RESUMPTION_PSK, want, 32);
  hl_tls13_expand_label (HL_HASH_SHA256, res_master, "resumption", nonce, 2, got, 32);
  g_assert_cmpmem (got, 32, want, 32);
  expand_label_sha256 (res_master, "resumption", nonce, 2, got, 32);
  g_assert_cmpmem (got, 32, want, 32);
  expand_label_sha256 (hs, "c hs traffic", hash, 32, got, 32);
  unhex (RFC8448_CLIENT_HS_TRAFFIC, want, 32);
  g_assert_cmpmem (got, 32, want, 32);
}

/* Lesson 33 without its [Expect], with one more group of text; run to the end. */
static HlRun *
run_resumption13 (const char *extra, HlScenario **scenario)
{
  g_autofree char *path = hl_test_source_path ("scenarios/33-tls13-psk-resumption.scenario");
  g_autofree char *text = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;
  char *expect;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  expect = strstr (text, "[Expect]");
  *expect = '\0';
  {
    g_autofree char *whole = g_strconcat (text, extra, NULL);
    *scenario
        = hl_scenario_load_from_data (whole, strlen (whole), "resumption.scenario", dir, &error);
  }
  g_assert_no_error (error);
  return hl_test_run (*scenario);
}

/* The PSK each side shows is the one it really holds: after a changed ticket nonce the
 * client's comes from the nonce it received; a ticket the server declines (its identity
 * changed on the way) leaves both sides on the PSK-less early secret; and a resumed
 * ClientHello whose suite now needs another hash than the ticket's drops the PSK. */
static void
test_psk_as_each_side_holds_it (void)
{
  HlScenario *s = NULL;
  {
    HlRun *run = run_resumption13 ("[Fault]\nMessage=server:NewSessionTicket#2\nAction=flip\n"
                                   "Target=plaintext\nOffset=13\nMask=0x01\n",
                                   &s);
    const HlConnection *c1 = hl_run_get_connection (run, 0), *c2 = hl_run_get_connection (run, 1);
    const HlStep *nst = NULL;
    guint8 psk[32];
    for (guint i = 0; i < c1->steps->len; i++) {
      const HlStep *st = g_ptr_array_index (c1->steps, i);
      if (st->delivered_plaintext)
        nst = st;
    }
    g_assert_nonnull (nst);
    {
      /* PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, 32)
       * (RFC 8446 4.6.1), computed by the helper checked against RFC 8448 above. */
      const guint8 *m = g_bytes_get_data (nst->delivered_plaintext, NULL);
      expand_label_sha256 (g_bytes_get_data (c1->secrets.value[HL_SECRET_RESUMPTION_MASTER], NULL),
                           "resumption", m + 13, m[12], psk, 32);
    }
    g_assert_nonnull (c2->secrets.value[HL_SECRET_PSK]);
    g_assert_cmpmem (g_bytes_get_data (c2->secrets.value[HL_SECRET_PSK], NULL), 32, psk, 32);
    g_assert_false (c2->success); /* the server: "binder does not verify" */
    g_assert_true (g_str_has_prefix (((const HlStep *)g_ptr_array_index (c2->steps, 0))->check,
                                     "MISMATCH: the PSK binder"));
    hl_run_free (run);
    hl_scenario_free (s);
  }
  {
    HlRun *run = run_resumption13 ("[Fault]\nMessage=client:ClientHello\nConnection=2\n"
                                   "Action=flip\nOffset=239\nMask=0x01\n",
                                   &s);
    const HlConnection *c2 = hl_run_get_connection (run, 1);
    guint8 early[32];
    /* No PSK: the early secret of RFC 8448 section 3, HKDF-Extract(0, 32 zero bytes). */
    unhex (RFC8448_EARLY_SECRET, early, 32);
    g_assert_false (c2->resumed);
    g_assert_null (c2->secrets.value[HL_SECRET_PSK]);
    g_assert_cmpmem (g_bytes_get_data (c2->secrets.value[HL_SECRET_EARLY], NULL), 32, early, 32);
    hl_run_free (run);
    hl_scenario_free (s);
  }
  {
    /* Offset 74 is the first suite of the second ClientHello: 0x1301 becomes 0x1302. */
    HlRun *run = run_resumption13 ("[Fault]\nMessage=client:ClientHello\nConnection=2\n"
                                   "Action=flip\nOffset=74\nMask=0x03\n",
                                   &s);
    const HlConnection *c2;
    g_assert_cmpuint (hl_run_get_n_connections (run), ==, 2);
    c2 = hl_run_get_connection (run, 1);
    /* The client rejects a suite it did not offer and stops: it keeps the PSK of its
     * offer, which belongs to the ticket's session and so to SHA-256, whatever the
     * server chose. */
    g_assert_cmpuint (c2->suite, ==, 0x1302);
    g_assert_nonnull (c2->secrets.value[HL_SECRET_PSK]);
    g_assert_cmpuint (g_bytes_get_size (c2->secrets.value[HL_SECRET_PSK]), ==, 32);
    g_assert_cmpuint (g_bytes_get_size (c2->secrets.value[HL_SECRET_EARLY]), ==, 32);
    hl_run_free (run);
    hl_scenario_free (s);
  }
}

/* A Finished changed by hand to fewer bytes than its header: checked as too short, not
 * read past its end. */
static void
test_short_finished13 (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("30-tls13-basic.scenario");
  for (int side = 0; side < 2; side++) {
    g_autoptr (HlRun) run = hl_run_new (s);
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) tiny = g_bytes_new ("\x14\x00", 2);
    HlNextMessage next;
    const HlStep *st;
    g_assert_true (step_until (run, side, "Finished", 1, &next));
    g_assert_true (hl_run_tamper_next_plaintext (run, tiny, &error));
    g_assert_true (hl_run_step (run));
    st = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
    g_assert_true (g_str_has_prefix (st->check, "Not checked"));
    hl_run_run_to_end (run);
    g_assert_false (hl_run_succeeded (run));
  }
}

/* An OpenSSL side offers exactly the suites its list names: none of OpenSSL's defaults
 * for a family the list leaves out. */
static void
test_openssl_offers_listed_suites (void)
{
  g_autofree char *path
      = hl_test_source_path ("scenarios/38-tls13-client-vs-tls12-server.scenario");
  g_autofree char *text = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  static const char *const lists[] = { "CipherSuites=TLS_AES_128_GCM_SHA256\n",
                                       "CipherSuites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n" };
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (GRegex) re = g_regex_new ("^CipherSuites=.*\n", G_REGEX_MULTILINE, 0, NULL);
    g_autofree char *changed = g_regex_replace_literal (re, text, -1, 0, lists[i], 0, NULL);
    g_autofree char *no_expect = g_strndup (changed, strstr (changed, "[Expect]") - changed);
    g_autoptr (HlScenario) s = hl_scenario_load_from_data (no_expect, strlen (no_expect),
                                                           "suites.scenario", dir, &error);
    g_autoptr (HlRun) run = NULL;
    const HlStep *ch;
    const HlField *suites;
    g_assert_no_error (error);
    run = hl_test_run (s);
    ch = hl_run_get_step (run, 0);
    suites = hl_field_find_named (ch->fields, "Cipher suites");
    g_assert_nonnull (suites);
    for (guint k = 0; k < suites->children->len; k++) {
      const HlField *f = g_ptr_array_index (suites->children, k);
      gboolean tls13 = strstr (f->value, "TLS_AES_") || strstr (f->value, "TLS_CHACHA20_");
      if (strstr (f->value, "SCSV"))
        continue;
      g_assert_true (i == 0 ? tls13 : !tls13);
    }
  }
}

/* The reverse pair: a BearSSL client (TLS 1.2) and an OpenSSL server that speaks TLS 1.3.
 * Both really run, each Finished is judged by its receiver (the OpenSSL server with the
 * master secret from its own key log), the resumption works, and the server marks the
 * downgrade in its random, as RFC 8446 4.1.3 requires of a server that could do 1.3. */
static void
test_bearssl_client_openssl_server (void)
{
  static const char text[]
      = "[Scenario]\nFormat=1\nTitle=t\n"
        "[Client]\nVersions=TLS1.2\nCipherSuites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
        "ServerName=server.example\nTrustAnchors=assets/pki/root-ca.crt\n"
        "[Server]\nVersions=TLS1.2-TLS1.3\nCertificateChain=assets/pki/server-rsa-chain.pem\n"
        "PrivateKey=assets/pki/server-rsa.key\n"
        "[Application]\nClientData=hello\nServerData=world\n[Resumption]\nEnabled=true\n";
  g_autofree char *path = hl_test_write_scenario (text);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  g_autoptr (HlRun) run = NULL;
  const HlStep *sh, *fin;
  gsize len;
  const guint8 *w;
  g_assert_no_error (error);
  g_assert_cmpint (s->server.library, ==, HL_LIBRARY_OPENSSL);
  g_assert_cmpint (s->client.library, ==, HL_LIBRARY_BEARSSL);
  run = hl_test_run (s);
  g_assert_true (hl_run_succeeded (run));
  g_assert_cmpuint (hl_run_get_n_connections (run), ==, 2);
  g_assert_true (hl_run_get_connection (run, 1)->resumed);
  g_assert_cmpuint (hl_run_get_connection (run, 0)->version, ==, 0x0303);
  sh = find_step (run, 1, HL_SIDE_SERVER, "ServerHello");
  w = g_bytes_get_data (sh->wire, &len);
  g_assert_cmpmem (w + 30, 8, "DOWNGRD\x01", 8);
  fin = find_step (run, 1, HL_SIDE_CLIENT, "Finished");
  g_assert_true (g_str_has_prefix (fin->check, "verify_data"));
  g_assert_nonnull (strstr (fin->check, "matches what the server computes"));
  fin = find_step (run, 1, HL_SIDE_SERVER, "Finished");
  g_assert_nonnull (strstr (fin->check, "matches what the client computes"));
}

int
main (int argc, char **argv)
{
  static const char *const families[] = {
    "07-tls10-cbc.scenario",   "05-rsa-aes-cbc.scenario",          "02-ecdhe-rsa-aes-gcm.scenario",
    "08-aes-ccm.scenario",     "03-ecdhe-ecdsa-chacha20.scenario", "09-3des-legacy.scenario",
    "30-tls13-basic.scenario", "31-tls13-chacha20-ecdsa.scenario",
  };
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run/knowledge/rsa", test_knowledge_rsa);
  g_test_add_func ("/run/knowledge/ecdhe-rsa", test_knowledge_ecdhe);
  g_test_add_func ("/run/knowledge/ecdhe-ecdsa", test_knowledge_ecdhe_ecdsa);
  g_test_add_func ("/run/knowledge/static-ecdh", test_knowledge_static_ecdh);
  g_test_add_func ("/run/knowledge/mutual-tls", test_knowledge_mutual);
  g_test_add_func ("/run/knowledge/resumption", test_knowledge_resumption);
  g_test_add_func ("/run/seek-keeps-steps", test_seek_stable);
  g_test_add_func ("/run/peek-has-no-side-effect", test_peek_no_side_effect);
  g_test_add_func ("/run/tamper-over-16k", test_tamper_16k);
  g_test_add_func ("/run/tamper-over-64k", test_tamper_64k);
  g_test_add_func ("/run/edits-by-message", test_edits);
  for (guint i = 0; i < G_N_ELEMENTS (families); i++) {
    g_autofree char *path = g_strdup_printf ("/run/record-fields/%s", families[i]);
    g_test_add_data_func (path, families[i], test_record_fields);
  }
  for (guint i = 0; i < G_N_ELEMENTS (families); i++) {
    g_autofree char *exact = g_strdup_printf ("/run/reencrypt/exact/%s", families[i]);
    g_autofree char *finished = g_strdup_printf ("/run/reencrypt/finished/%s", families[i]);
    g_test_add_data_func (exact, families[i], test_reencrypt_exact);
    g_test_add_data_func (finished, families[i], test_reencrypt_finished);
  }
  g_test_add_func ("/run/seek-tls13", test_seek_tls13);
  g_test_add_func ("/run/expect-hello-retry", test_expect_hello_retry);
  g_test_add_func ("/run/bearssl-client-openssl-server", test_bearssl_client_openssl_server);
  g_test_add_func ("/run/key-schedule-rfc8448", test_key_schedule_rfc8448);
  g_test_add_func ("/run/psk-as-each-side-holds-it", test_psk_as_each_side_holds_it);
  g_test_add_func ("/run/short-finished-tls13", test_short_finished13);
  g_test_add_func ("/run/openssl-offers-listed-suites", test_openssl_offers_listed_suites);
  g_test_add_func ("/run/certificate-verify-signed-tls13", test_certificate_verify_signed13);
  g_test_add_func ("/run/reencrypt/refusals", test_reencrypt_refusals);
  g_test_add_data_func ("/run/two-threads",
                        "06-static-ecdh.scenario;11-session-resumption.scenario", test_two_threads);
  g_test_add_data_func ("/run/two-threads-tls13",
                        "33-tls13-psk-resumption.scenario;06-static-ecdh.scenario",
                        test_two_threads);
  g_test_add_func ("/run/drop-by-hand", test_drop_by_hand);
  g_test_add_func ("/run/signature-facts", test_signature_facts);
  g_test_add_func ("/run/certificate-request-names", test_certificate_request_names);
  g_test_add_func ("/run/not-checked-when-receiver-stopped", test_not_checked);
  g_test_add_func ("/run/scenario-built-in-code", test_scenario_built_in_code);
  g_test_add_func ("/run/engine-state-words", test_engine_state_words);
  return g_test_run ();
}
