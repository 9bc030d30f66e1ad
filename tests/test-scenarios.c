/* Every bundled scenario runs headless and meets its [Expect]; runs are deterministic. */
#include <string.h>

#include "hl-tables.h"
#include "hl-test-util.h"
#include "hl-transcript.h"

static void
test_meets_expect (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) run = NULL;
  g_autofree char *why = NULL;
  int verdict;
  /* A lesson without [Expect] cannot be checked: that is a failure, not a skip. */
  g_assert_true (s->expect.present);
  g_assert_cmpint (s->expect.outcome, >=, 0);
  run = hl_test_run (s);
  g_assert_null (hl_run_get_fault_error (run));
  verdict = hl_run_check_expect (run, &why);
  if (verdict != 1)
    g_test_message ("%s: %s", (const char *)data, why ? why : "");
  g_assert_cmpint (verdict, ==, 1);
  g_assert_cmpuint (hl_run_get_n_steps (run), >, 0);
}

/* Same scenario, same bytes: the Seed drives all randomness. */
static void
test_deterministic (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) a = hl_test_run (s);
  g_autoptr (HlRun) b = hl_test_run (s);
  g_autofree char *ja = hl_transcript_to_json (a);
  g_autofree char *jb = hl_transcript_to_json (b);
  g_assert_cmpstr (ja, ==, jb);
}

/* And a different Seed gives different randoms: the seed really is used, and
 * BearSSL's OS entropy is really kept out (rng_os_rand_done). */
static void
test_seed_changes_randoms (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) a = hl_test_run (s);
  g_autoptr (HlRun) b = NULL;
  GBytes *ra, *rb;
  ra = g_bytes_ref (hl_run_get_connection (a, 0)->secrets.value[HL_SECRET_CLIENT_RANDOM]);
  g_free (s->seed);
  s->seed = g_strdup ("another seed");
  b = hl_test_run (s);
  rb = hl_run_get_connection (b, 0)->secrets.value[HL_SECRET_CLIENT_RANDOM];
  g_assert_false (g_bytes_equal (ra, rb));
  g_bytes_unref (ra);
}

/* Fields tile the bytes: every byte of every message belongs to one top-level field. */
static void
test_fields_tile (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) run = hl_test_run (s);
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    GBytes *content = hl_step_get_message_bytes (st);
    gsize expect_off = 0;
    for (guint f = 0; f < st->fields->len; f++) {
      HlField *field = g_ptr_array_index (st->fields, f);
      g_assert_cmpuint (field->offset, ==, expect_off);
      expect_off += field->length;
    }
    g_assert_cmpuint (expect_off, ==, g_bytes_get_size (content));
  }
}

static GDateTime *
parse_field_time (const char *text)
{
  /* "2025-01-01 00:00:00 UTC", as the certificate decoder writes it */
  g_autofree char *iso = g_strndup (text, 19);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  iso[10] = 'T';
  return g_date_time_new_from_iso8601 (iso, utc);
}

static void
check_validity (HlField *f, gint64 clock, gboolean *seen)
{
  if (strcmp (f->name, "Validity") == 0) {
    HlField *nb = g_ptr_array_index (f->children, 0);
    HlField *na = g_ptr_array_index (f->children, 1);
    g_autoptr (GDateTime) a = parse_field_time (nb->value);
    g_autoptr (GDateTime) b = parse_field_time (na->value);
    g_assert_nonnull (a);
    g_assert_nonnull (b);
    g_assert_cmpint (g_date_time_to_unix (a), <=, clock);
    g_assert_cmpint (clock, <=, g_date_time_to_unix (b));
    *seen = TRUE;
  }
  for (guint i = 0; i < f->children->len; i++)
    check_validity (g_ptr_array_index (f->children, i), clock, seen);
}

/* Each successful lesson's certificates are valid at the lesson's own clock, which
 * is fixed in the file: the calendar moving on never breaks a lesson. */
static void
test_validity_windows (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) run = hl_test_run (s);
  gboolean seen = FALSE;
  g_assert_true (g_str_has_suffix (s->time_text, "Z"));
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (strcmp (st->message, "Certificate") != 0)
      continue;
    for (guint f = 0; f < st->fields->len; f++)
      check_validity (g_ptr_array_index (st->fields, f), s->time, &seen);
  }
  if (!hl_run_get_connection (run, 0)->resumed)
    g_assert_true (seen);
}

/* Every field of a message has an id (hl-field.h), under the message's prefix, and no
 * two fields of one message share one: code finds a field by id, never by its name. */
static void
check_ids (const GPtrArray *fields, const char *prefix, GHashTable *seen, const char *where)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    if (!f->id || !g_str_has_prefix (f->id, prefix) || f->id[strlen (prefix)] != '.'
        || g_hash_table_contains (seen, f->id))
      g_test_message ("%s: field \"%s\" has id \"%s\" (under \"%s\", seen before: %d)", where,
                      f->name, f->id ? f->id : "(none)", prefix,
                      f->id && g_hash_table_contains (seen, f->id));
    g_assert_nonnull (f->id);
    g_assert_true (g_str_has_prefix (f->id, prefix) && f->id[strlen (prefix)] == '.');
    g_assert_false (g_hash_table_contains (seen, f->id));
    g_hash_table_add (seen, f->id);
    check_ids (f->children, f->id, seen, where);
  }
}

static const char *
first_prefix (const GPtrArray *fields, char **out)
{
  const HlField *f = fields && fields->len ? g_ptr_array_index (fields, 0) : NULL;
  const char *dot = f && f->id ? strchr (f->id, '.') : NULL;
  *out = dot ? g_strndup (f->id, dot - f->id) : g_strdup ("");
  return *out;
}

static void
test_field_ids (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) run = hl_test_run (s);
  guint messages = 0;
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    const GPtrArray *lists[] = { st->fields, st->record_fields, st->delivered_fields };
    g_autofree char *where
        = g_strdup_printf ("%s step %u (%s)", (const char *)data, i + 1, st->message);
    for (guint l = 0; l < G_N_ELEMENTS (lists); l++) {
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *prefix = NULL;
      if (!lists[l] || !lists[l]->len)
        continue;
      first_prefix (lists[l], &prefix);
      g_assert_cmpstr (prefix, !=, "");
      check_ids (lists[l], prefix, seen, where);
      messages++;
    }
    /* The prefix says which message it is, from its type byte. */
    if (st->content_type == HL_CONTENT_HANDSHAKE && !st->encrypted && st->fields->len) {
      const HlField *f = g_ptr_array_index (st->fields, 0);
      g_assert_true (g_str_has_suffix (f->id, ".handshake_type"));
      g_assert_cmpint (f->number, ==, st->handshake_type);
    }
  }
  g_assert_cmpuint (messages, >, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) files = NULL;
  g_test_init (&argc, &argv, NULL);
  files = hl_test_bundled_names ();
  g_assert_cmpuint (files->len, >, 0);
  for (guint i = 0; i < files->len; i++) {
    const char *name = g_ptr_array_index (files, i);
    g_autofree char *p1 = g_strdup_printf ("/scenario/expect/%s", name);
    g_autofree char *p2 = g_strdup_printf ("/scenario/deterministic/%s", name);
    g_autofree char *p3 = g_strdup_printf ("/scenario/fields-tile/%s", name);
    g_test_add_data_func (p1, g_strdup (name), test_meets_expect);
    g_test_add_data_func (p2, g_strdup (name), test_deterministic);
    g_test_add_data_func (p3, g_strdup (name), test_fields_tile);
    {
      g_autofree char *p5 = g_strdup_printf ("/scenario/field-ids/%s", name);
      g_test_add_data_func (p5, g_strdup (name), test_field_ids);
    }
    {
      g_autoptr (HlScenario) s = hl_test_load_bundled (name);
      if (s->expect.outcome == 1) {
        g_autofree char *p4 = g_strdup_printf ("/scenario/validity-at-clock/%s", name);
        g_test_add_data_func (p4, g_strdup (name), test_validity_windows);
      }
    }
  }
  g_test_add_func ("/scenario/seed-changes-randoms", test_seed_changes_randoms);
  return g_test_run ();
}
