/* Compare two lessons (issue 20): the typical pairs of docs/project-extensions.md, each
 * figure checked against facts recomputed here from the runs by another route (record
 * headers for the bytes, the record key for encryption, flights for round trips, the
 * secrets' learned_at for the first traffic key), plus what the protocol fixes: TLS 1.3's
 * full handshake gets the client's data out after one round trip, TLS 1.2's after two
 * (RFC 8446 2, RFC 5246 7.3), and RSA key exchange falls with the server's key. */
#include <string.h>

#include "hl-compare.h"
#include "hl-tables.h"
#include "hl-test-util.h"

typedef struct {
  HlScenario *sc;
  HlRun *run;
} Lesson;

static Lesson
open_lesson (const char *name)
{
  Lesson l;
  l.sc = hl_test_load_bundled (name);
  l.run = hl_test_run (l.sc);
  return l;
}

static void
close_lesson (Lesson *l)
{
  hl_run_free (l->run);
  hl_scenario_free (l->sc);
}

static gboolean
is_data (const HlStep *st)
{
  return st->handshake_type < 0 && strcmp (st->message, "ApplicationData") == 0;
}

/* Flights: maximal runs of steps from one sender. The client's first data goes out in
 * some flight; each server flight before that one answered a client flight. */
static int
count_server_flights_before_data (const HlConnection *c)
{
  int flights = 0;
  guint target = G_MAXUINT;
  for (guint i = 0; i < c->steps->len && target == G_MAXUINT; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    if (is_data (st) && st->from == HL_SIDE_CLIENT)
      target = i;
  }
  for (guint i = 0; i < c->steps->len && target == G_MAXUINT; i++)
    if (is_data (g_ptr_array_index (c->steps, i)))
      target = i;
  if (target == G_MAXUINT)
    return -1;
  /* The client's flights, without the server messages it need not wait for (TLS 1.3's
   * post-handshake NewSessionTicket, KeyUpdate, the server's data): each client flight
   * after the first answers a server flight. */
  HlSide last = HL_SIDE_CLIENT;
  gboolean started = FALSE;
  for (guint i = 0; i <= target; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    if (st->from == HL_SIDE_SERVER
        && ((st->tls13 && strcmp (st->message, "NewSessionTicket") == 0)
            || strcmp (st->message, "KeyUpdate") == 0 || is_data (st)))
      continue;
    if (started && st->from == HL_SIDE_CLIENT && last == HL_SIDE_SERVER)
      flights++;
    last = st->from;
    started = TRUE;
  }
  return flights;
}

static gboolean
is_traffic_secret (HlSecretId id)
{
  return id == HL_SECRET_KEY_BLOCK || id == HL_SECRET_CLIENT_WRITE_KEY
         || id == HL_SECRET_SERVER_WRITE_KEY || id == HL_SECRET_CLIENT_EARLY_TRAFFIC
         || id == HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC || id == HL_SECRET_SERVER_HANDSHAKE_TRAFFIC;
}

/* The first step (from 1, in the connection) after which `side` holds a traffic key, from
 * the secrets it lists at the connection's last step. */
static guint
first_key_step (const HlConnection *c, HlSide side)
{
  const HlStep *first = g_ptr_array_index (c->steps, 0);
  const HlStep *last = g_ptr_array_index (c->steps, c->steps->len - 1);
  guint best = 0;
  for (guint i = 0; last->after[side].secrets && i < last->after[side].secrets->len; i++) {
    const HlSecret *s = g_ptr_array_index (last->after[side].secrets, i);
    if (is_traffic_secret (s->id) && (best == 0 || s->learned_at < best))
      best = s->learned_at;
  }
  return best ? best - first->index + 1 : 0;
}

/* Every figure of one side against its connection. */
static void
check_side (const HlCompareSide *s, const HlConnection *c)
{
  guint64 bytes = 0;
  guint encrypted = 0;
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    for (guint r = 0; st->records && r < st->records->len; r++)
      bytes += 5 + g_array_index (st->records, HlRecordHeader, r).length;
    if (st->key != HL_RECORD_KEY_NONE)
      encrypted++;
  }
  g_assert_cmpuint (s->connection, ==, c->index);
  g_assert_cmpuint (s->n_messages, ==, c->steps->len);
  g_assert_cmpuint (s->wire_bytes, ==, bytes);
  g_assert_cmpuint (s->n_encrypted, ==, encrypted);
  g_assert_cmpint (s->round_trips, ==, count_server_flights_before_data (c));
  g_assert_cmpuint (s->key_step[HL_SIDE_CLIENT], ==, first_key_step (c, HL_SIDE_CLIENT));
  g_assert_cmpuint (s->key_step[HL_SIDE_SERVER], ==, first_key_step (c, HL_SIDE_SERVER));
}

/* Each step of each side is in exactly one row, rows go by story step, and a row holding
 * both sides holds the same message from the same sender. */
static void
check_rows (const HlComparison *cmp, const HlConnection *ca, const HlConnection *cb, guint *only_a,
            guint *only_b)
{
  const HlConnection *c[2] = { ca, cb };
  g_autofree guint *seen_a = g_new0 (guint, ca->steps->len + 1);
  g_autofree guint *seen_b = g_new0 (guint, cb->steps->len + 1);
  guint *seen[2] = { seen_a, seen_b };
  guint story = 1;
  *only_a = *only_b = 0;
  for (guint i = 0; i < hl_comparison_get_n_rows (cmp); i++) {
    const HlCompareRow *r = hl_comparison_get_row (cmp, i);
    g_assert_cmpuint (r->story_step, >=, story);
    story = r->story_step;
    for (guint k = 0; k < 2; k++)
      if (r->step[k]) {
        const HlStep *st = g_ptr_array_index (c[k]->steps, r->step[k] - 1);
        g_assert_cmpstr (st->message, ==, r->message[k]);
        g_assert_cmpint (st->from, ==, r->from);
        g_assert_cmpuint (hl_story_step_of (st), ==, r->story_step);
        seen[k][r->step[k]]++;
      }
    if (r->step[0] && r->step[1])
      g_assert_cmpstr (r->message[0], ==, r->message[1]);
    *only_a += r->step[0] && !r->step[1];
    *only_b += r->step[1] && !r->step[0];
  }
  for (guint k = 0; k < 2; k++)
    for (guint i = 1; i <= c[k]->steps->len; i++)
      g_assert_cmpuint (seen[k][i], ==, 1);
}

/* Whether a row marks `message` from `from` as only on side k. */
static gboolean
has_only (const HlComparison *cmp, guint k, HlSide from, const char *message)
{
  for (guint i = 0; i < hl_comparison_get_n_rows (cmp); i++) {
    const HlCompareRow *r = hl_comparison_get_row (cmp, i);
    if (r->from == from && r->step[k] && !r->step[1 - k] && strcmp (r->message[k], message) == 0)
      return TRUE;
  }
  return FALSE;
}

static HlComparison *
compare (Lesson *a, guint conn_a, Lesson *b, guint conn_b, const HlConnection **ca,
         const HlConnection **cb)
{
  g_autoptr (GError) error = NULL;
  HlComparison *cmp = hl_comparison_new (a->run, conn_a, b->run, conn_b, &error);
  g_assert_no_error (error);
  *ca = hl_run_get_connection (a->run, (conn_a ? conn_a : hl_run_get_n_connections (a->run)) - 1);
  *cb = hl_run_get_connection (b->run, (conn_b ? conn_b : hl_run_get_n_connections (b->run)) - 1);
  check_side (hl_comparison_get_side (cmp, 0), *ca);
  check_side (hl_comparison_get_side (cmp, 1), *cb);
  return cmp;
}

static void
test_rsa_vs_ecdhe (void)
{
  Lesson a = open_lesson ("01-rsa-key-exchange.scenario");
  Lesson b = open_lesson ("02-ecdhe-rsa-aes-gcm.scenario");
  const HlConnection *ca, *cb;
  guint only_a, only_b;
  g_autoptr (HlComparison) cmp = compare (&a, 0, &b, 0, &ca, &cb);
  const HlCompareSide *sa = hl_comparison_get_side (cmp, 0);
  const HlCompareSide *sb = hl_comparison_get_side (cmp, 1);
  g_assert_cmpint (hl_suite_by_id (ca->suite)->kex, ==, HL_KEX_RSA);
  g_assert_true (hl_suite_is_ecdhe (hl_suite_by_id (cb->suite)));
  /* RFC 5246 F.1.1.2 and F.1.1.3 */
  g_assert_cmpint (sa->later, ==, HL_LATER_KEY_OPENS);
  g_assert_cmpint (sb->later, ==, HL_LATER_FORWARD_SECRET);
  /* Same flights: two round trips each (RFC 5246 7.3, figure 1). */
  g_assert_cmpint (sa->round_trips, ==, 2);
  g_assert_cmpint (sb->round_trips, ==, 2);
  check_rows (cmp, ca, cb, &only_a, &only_b);
  /* ECDHE's signed key share is the one message RSA key exchange lacks. */
  g_assert_true (has_only (cmp, 1, HL_SIDE_SERVER, "ServerKeyExchange"));
  g_assert_cmpuint (only_a, ==, 0);
  g_assert_cmpuint (only_b, ==, 1);
  close_lesson (&a);
  close_lesson (&b);
}

static void
test_tls12_vs_tls13 (void)
{
  Lesson a = open_lesson ("02-ecdhe-rsa-aes-gcm.scenario");
  Lesson b = open_lesson ("30-tls13-basic.scenario");
  const HlConnection *ca, *cb;
  guint only_a, only_b;
  g_autoptr (HlComparison) cmp = compare (&a, 0, &b, 0, &ca, &cb);
  const HlCompareSide *sa = hl_comparison_get_side (cmp, 0);
  const HlCompareSide *sb = hl_comparison_get_side (cmp, 1);
  /* RFC 8446 2: one round trip saved. */
  g_assert_cmpint (sa->round_trips, ==, 2);
  g_assert_cmpint (sb->round_trips, ==, 1);
  g_assert_cmpint (sb->later, ==, HL_LATER_FORWARD_SECRET);
  /* TLS 1.3 encrypts from EncryptedExtensions on; TLS 1.2 only from the Finished. */
  g_assert_cmpuint (sb->n_encrypted, >, sa->n_encrypted);
  g_assert_cmpint (sb->key_secret[HL_SIDE_SERVER], ==, HL_SECRET_SERVER_HANDSHAKE_TRAFFIC);
  check_rows (cmp, ca, cb, &only_a, &only_b);
  g_assert_true (has_only (cmp, 0, HL_SIDE_SERVER, "ServerHelloDone"));
  g_assert_true (has_only (cmp, 0, HL_SIDE_CLIENT, "ClientKeyExchange"));
  g_assert_true (has_only (cmp, 1, HL_SIDE_SERVER, "EncryptedExtensions"));
  close_lesson (&a);
  close_lesson (&b);
}

static void
test_full_vs_resumed (void)
{
  Lesson a = open_lesson ("11-session-resumption.scenario");
  Lesson b = open_lesson ("30-tls13-basic.scenario");
  Lesson c = open_lesson ("33-tls13-psk-resumption.scenario");
  const HlConnection *ca, *cb;
  guint only_a, only_b;
  g_autoptr (HlComparison) cmp = compare (&a, 1, &a, 2, &ca, &cb);
  g_assert_false (ca->resumed);
  g_assert_true (cb->resumed);
  /* RFC 5246 7.3 figure 2: the abbreviated handshake takes one round trip. */
  g_assert_cmpint (hl_comparison_get_side (cmp, 0)->round_trips, ==, 2);
  g_assert_cmpint (hl_comparison_get_side (cmp, 1)->round_trips, ==, 1);
  check_rows (cmp, ca, cb, &only_a, &only_b);
  g_assert_true (has_only (cmp, 0, HL_SIDE_CLIENT, "ClientKeyExchange"));
  g_assert_true (has_only (cmp, 0, HL_SIDE_SERVER, "Certificate"));
  g_assert_cmpuint (only_b, ==, 0);

  g_autoptr (HlComparison) cmp13 = compare (&b, 0, &c, 0, &ca, &cb);
  g_assert_true (cb->resumed);
  g_assert_cmpint (hl_comparison_get_side (cmp13, 1)->round_trips, ==, 1);
  check_rows (cmp13, ca, cb, &only_a, &only_b);
  g_assert_true (has_only (cmp13, 0, HL_SIDE_SERVER, "Certificate"));
  g_assert_cmpint (hl_comparison_get_side (cmp13, 1)->later, ==, HL_LATER_FORWARD_SECRET);

  /* psk_ke: no (EC)DHE, so the PSK alone gives every key (RFC 8446 4.2.9). */
  Lesson d = open_lesson ("42-tls13-psk-ke-resumption.scenario");
  g_autoptr (HlComparison) cmp_ke = compare (&c, 0, &d, 0, &ca, &cb);
  g_assert_true (cb->resumed);
  g_assert_null (cb->secrets.value[HL_SECRET_SHARED]);
  g_assert_cmpint (hl_comparison_get_side (cmp_ke, 1)->later, ==, HL_LATER_PSK_ONLY);

  /* 0-RTT: the client's data leaves with its ClientHello (RFC 8446 2.3). */
  Lesson e = open_lesson ("34-tls13-early-data.scenario");
  g_autoptr (HlComparison) cmp_early = compare (&b, 0, &e, 0, &ca, &cb);
  g_assert_cmpint (hl_comparison_get_side (cmp_early, 1)->round_trips, ==, 0);
  g_assert_cmpuint (hl_comparison_get_side (cmp_early, 1)->n_early_data, >, 0);
  g_assert_cmpuint (hl_comparison_get_side (cmp_early, 0)->n_early_data, ==, 0);
  check_rows (cmp_early, ca, cb, &only_a, &only_b);
  close_lesson (&a);
  close_lesson (&b);
  close_lesson (&c);
  close_lesson (&d);
  close_lesson (&e);
}

static void
test_success_vs_failure (void)
{
  Lesson a = open_lesson ("36-tls13-tampered-certificate-verify.scenario");
  Lesson b = open_lesson ("36b-tls13-flipped-record.scenario");
  const HlConnection *ca, *cb;
  guint only_a, only_b;
  g_autoptr (HlComparison) cmp = compare (&a, 0, &b, 0, &ca, &cb);
  check_rows (cmp, ca, cb, &only_a, &only_b);
  /* Different message lists show as marked rows, the same ones do not. */
  g_assert_cmpuint (only_a + only_b, ==,
                    ca->steps->len + cb->steps->len
                        - 2 * (hl_comparison_get_n_rows (cmp) - only_a - only_b));
  if (ca->steps->len != cb->steps->len)
    g_assert_cmpuint (only_a + only_b, >, 0);
  close_lesson (&a);
  close_lesson (&b);
}

static void
test_text (void)
{
  Lesson a = open_lesson ("01-rsa-key-exchange.scenario");
  Lesson b = open_lesson ("30-tls13-basic.scenario");
  g_autoptr (GError) error = NULL;
  g_autoptr (HlComparison) cmp = hl_comparison_new (a.run, 0, b.run, 0, &error);
  g_autofree char *md = hl_comparison_to_markdown (cmp);
  g_autofree char *text = hl_comparison_to_text (cmp);
  g_autofree char *bytes
      = g_strdup_printf ("%u bytes", (guint)hl_comparison_get_side (cmp, 1)->wire_bytes);
  g_assert_nonnull (strstr (md, "| Round trips before the client's first application data | 2"));
  g_assert_nonnull (strstr (md, "only in B"));
  g_assert_nonnull (strstr (text, bytes));
  g_assert_nonnull (strstr (text, "RFC 5246 F.1.1.2"));
  /* The figures the window lays out in a grid are those of the text, name by name. */
  {
    g_auto (GStrv) fa = hl_comparison_get_figures (cmp, 0);
    g_auto (GStrv) fb = hl_comparison_get_figures (cmp, 1);
    guint n = 0;
    for (; hl_comparison_figure_name (n); n++) {
      g_autofree char *line
          = g_strdup_printf ("%s\n  A: %s\n  B: %s\n", hl_comparison_figure_name (n), fa[n], fb[n]);
      g_assert_nonnull (strstr (text, line));
    }
    g_assert_cmpuint (n, ==, g_strv_length (fa));
    g_assert_cmpuint (n, ==, g_strv_length (fb));
  }
  /* A connection the run lacks is refused, not read past the end. */
  g_assert_null (hl_comparison_new (a.run, 2, b.run, 0, &error));
  g_assert_nonnull (error);
  close_lesson (&a);
  close_lesson (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compare/rsa-vs-ecdhe", test_rsa_vs_ecdhe);
  g_test_add_func ("/compare/tls12-vs-tls13", test_tls12_vs_tls13);
  g_test_add_func ("/compare/full-vs-resumed", test_full_vs_resumed);
  g_test_add_func ("/compare/success-vs-failure", test_success_vs_failure);
  g_test_add_func ("/compare/text", test_text);
  return g_test_run ();
}
