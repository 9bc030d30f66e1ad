/* The teaching text can be translated, and nothing else is. A pseudo-translation wraps every
 * sentence the engine and the diagram pass through hl-i18n in ⟦ ⟧; it must reach every
 * sentence a run produces, in every bundled lesson, and leave every key, protocol word,
 * value and byte of the transcript as it was. Without a translator the text is English. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "hl-i18n.h"
#include "hl-key-schedule-layout.h"
#include "hl-ladder-labels.h"
#include "hl-ladder-layout.h"
#include "hl-test-util.h"
#include "hl-transcript.h"

#define OPEN "\u27e6"
#define CLOSE "\u27e7"

static GHashTable *pseudo;
G_LOCK_DEFINE_STATIC (pseudo);

static const char *
pseudo_translate (const char *msgid, const char *plural, gulong n)
{
  const char *which = plural && n != 1 ? plural : msgid;
  char *out;
  G_LOCK (pseudo);
  if (!pseudo)
    pseudo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  out = g_hash_table_lookup (pseudo, which);
  if (!out) {
    out = g_strconcat (OPEN, which, CLOSE, NULL);
    g_hash_table_insert (pseudo, g_strdup (which), out);
  }
  G_UNLOCK (pseudo);
  return out;
}

/* A sentence is translated when it starts with the marker; "MISMATCH: " is a keyword kept
 * in front, and the [Fault] descriptions (flip:, truncate:, drop:) repeat the scenario's
 * own keywords. */
static void
expect_marked (GHashTable *unmarked, const char *lesson, const char *what, const char *text)
{
  const char *s = text;
  if (!s || !*s)
    return;
  if (g_str_has_prefix (s, "MISMATCH: "))
    s += strlen ("MISMATCH: ");
  if (!g_str_has_prefix (s, OPEN))
    g_hash_table_insert (unmarked, g_strdup_printf ("%s: %s", what, text), (gpointer)lesson);
}

static void
expect_fields_marked (GHashTable *unmarked, const char *lesson, const GPtrArray *fields)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    g_autofree char *what = g_strdup_printf ("explanation of %s", f->name);
    expect_marked (unmarked, lesson, what, f->explanation);
    expect_fields_marked (unmarked, lesson, f->children);
  }
}

static gboolean
is_fault_keyword (const char *fault)
{
  return g_str_has_prefix (fault, "flip:") || g_str_has_prefix (fault, "truncate:")
         || g_str_has_prefix (fault, "drop:");
}

static void
test_every_sentence_translated (void)
{
  g_autoptr (GPtrArray) names = hl_test_bundled_names ();
  /* what and text -> the last lesson that showed it */
  g_autoptr (GHashTable) unmarked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint notes_marked = 0;
  hl_i18n_set_translator (pseudo_translate);
  for (guint l = 0; l < names->len; l++) {
    const char *lesson = g_ptr_array_index (names, l);
    g_autoptr (HlScenario) s = hl_test_load_bundled (lesson);
    g_autoptr (HlRun) run = hl_test_run (s);
    for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
      const HlStep *st = hl_run_get_step (run, i);
      g_auto (GStrv) notes = hl_ladder_step_notes (st);
      g_auto (GStrv) record = hl_step_record_lines (st, TRUE);
      expect_marked (unmarked, lesson, "summary", st->summary);
      for (guint k = 0; record[k]; k++)
        expect_marked (unmarked, lesson, "record layer", record[k]);
      expect_marked (unmarked, lesson, "story", st->story);
      expect_marked (unmarked, lesson, "check", st->check);
      expect_marked (unmarked, lesson, "certificate check", st->certificate_check);
      if (st->fault && !is_fault_keyword (st->fault))
        expect_marked (unmarked, lesson, "fault", st->fault);
      expect_fields_marked (unmarked, lesson, st->fields);
      expect_fields_marked (unmarked, lesson, st->record_fields);
      expect_fields_marked (unmarked, lesson, st->delivered_fields);
      for (int side = 0; side < 2; side++) {
        const GPtrArray *secrets = st->after[side].secrets;
        expect_marked (unmarked, lesson, "verdict", st->after[side].certificate_verdict);
        for (guint k = 0; secrets && k < secrets->len; k++) {
          const HlSecret *secret = g_ptr_array_index (secrets, k);
          expect_marked (unmarked, lesson, secret->key, secret->formula);
        }
      }
      for (guint k = 0; notes[k]; k++)
        notes_marked += strstr (notes[k], OPEN) != NULL;
    }
    for (guint c = 0; c < hl_run_get_n_connections (run); c++) {
      const HlConnection *conn = hl_run_get_connection (run, c);
      expect_marked (unmarked, lesson, "client's end", conn->explanation[0]);
      expect_marked (unmarked, lesson, "server's end", conn->explanation[1]);
    }
  }
  hl_i18n_set_translator (NULL);
  {
    g_autofree const char **left = (const char **)g_hash_table_get_keys_as_array (unmarked, NULL);
    for (guint i = 0; left[i] && i < 80; i++)
      g_test_message ("not translatable (%s): %s",
                      (const char *)g_hash_table_lookup (unmarked, left[i]), left[i]);
  }
  g_assert_cmpuint (g_hash_table_size (unmarked), ==, 0);
  /* The diagram's own sentences under the arrows go through the translator too. */
  g_assert_cmpuint (notes_marked, >, names->len);
}

/* Keys whose values are sentences; everything else is protocol and must not move. */
static gboolean
is_text_key (const char *key)
{
  static const char *const keys[]
      = { "summary", "story", "explanation", "check", "certificate_check", "fault", NULL };
  return g_strv_contains (keys, key);
}

static void
compare_nodes (JsonNode *english, JsonNode *pseudo_node, const char *path, gboolean text,
               guint *translated)
{
  g_assert_cmpint (json_node_get_node_type (english), ==, json_node_get_node_type (pseudo_node));
  if (JSON_NODE_HOLDS_OBJECT (english)) {
    JsonObject *a = json_node_get_object (english), *b = json_node_get_object (pseudo_node);
    g_autoptr (GList) members = json_object_get_members (a);
    gboolean formulas = g_str_has_suffix (path, "/formulas");
    g_assert_cmpuint (json_object_get_size (a), ==, json_object_get_size (b));
    for (GList *m = members; m; m = m->next) {
      g_autofree char *sub = g_strconcat (path, "/", m->data, NULL);
      g_assert_true (json_object_has_member (b, m->data));
      compare_nodes (json_object_get_member (a, m->data), json_object_get_member (b, m->data), sub,
                     formulas || is_text_key (m->data), translated);
    }
  } else if (JSON_NODE_HOLDS_ARRAY (english)) {
    JsonArray *a = json_node_get_array (english), *b = json_node_get_array (pseudo_node);
    g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
    for (guint i = 0; i < json_array_get_length (a); i++)
      compare_nodes (json_array_get_element (a, i), json_array_get_element (b, i), path, FALSE,
                     translated);
  } else if (text && JSON_NODE_HOLDS_VALUE (english)
             && json_node_get_value_type (english) == G_TYPE_STRING) {
    const char *e = json_node_get_string (english), *p = json_node_get_string (pseudo_node);
    if (g_str_has_prefix (e, "MISMATCH: "))
      g_assert_true (g_str_has_prefix (p, "MISMATCH: "));
    *translated += g_strcmp0 (e, p) != 0;
  } else if (!json_node_equal (english, pseudo_node)) {
    g_autofree char *was = json_to_string (english, FALSE);
    g_autofree char *now = json_to_string (pseudo_node, FALSE);
    g_test_message ("%s changed with the translator: %s became %s", path, was, now);
    g_test_fail ();
  }
}

static void
test_protocol_untouched (gconstpointer data)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled (data);
  g_autoptr (HlRun) english_run = NULL, pseudo_run = NULL, again = NULL;
  g_autofree char *english = NULL, *translated = NULL, *english_again = NULL;
  g_autoptr (JsonParser) a = json_parser_new ();
  g_autoptr (JsonParser) b = json_parser_new ();
  guint n_translated = 0;
  english_run = hl_test_run (s);
  english = hl_transcript_to_json (english_run);
  hl_i18n_set_translator (pseudo_translate);
  pseudo_run = hl_test_run (s);
  translated = hl_transcript_to_json (pseudo_run);
  hl_i18n_set_translator (NULL);
  g_assert_true (json_parser_load_from_data (a, english, -1, NULL));
  g_assert_true (json_parser_load_from_data (b, translated, -1, NULL));
  compare_nodes (json_parser_get_root (a), json_parser_get_root (b), "", FALSE, &n_translated);
  g_assert_cmpuint (n_translated, >, 10);
  g_assert_null (strstr (english, OPEN));
  /* Back to English once the translator is gone. */
  again = hl_test_run (s);
  english_again = hl_transcript_to_json (again);
  g_assert_cmpstr (english, ==, english_again);
}

static guint
count_lines (const char *text)
{
  guint n = *text ? 1 : 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* The text without the pseudo-translation's marks: what the English run says, when every
 * fact in it comes from structure and only sentences went through the translator. */
static char *
strip_marks (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text ? text : ""; *p;) {
    if (g_str_has_prefix (p, OPEN))
      p += strlen (OPEN);
    else if (g_str_has_prefix (p, CLOSE))
      p += strlen (CLOSE);
    else
      g_string_append_c (out, *p++);
  }
  return g_string_free (out, FALSE);
}

/* Translated and English labels say the same facts: the translated one, marks removed, is
 * the English one, word for word. A fact read back from a translated word (a field looked
 * up by a translated name, a number parsed with a translated format) goes missing or
 * changes, and this fails on the lesson and step. */
static void
assert_same_facts (const char *lesson, guint step, const char *what, const char *english,
                   const char *translated)
{
  g_autofree char *bare = strip_marks (translated);
  if (g_strcmp0 (english ? english : "", bare) != 0)
    g_test_message ("%s step %u, %s: \"%s\" became \"%s\"", lesson, step, what, english,
                    translated);
  g_assert_cmpstr (english ? english : "", ==, bare);
}

/* The diagram's labels are built from the fields' protocol names, never from a translated
 * word: with a translation installed every label keeps every line it has in English (a lookup
 * by translated name, such as the RSA ClientKeyExchange's encrypted premaster, would lose
 * one), and each line that is a sentence is translated. */
static void
test_labels_from_structure (void)
{
  g_autoptr (GPtrArray) names = hl_test_bundled_names ();
  guint compared = 0;
  for (guint l = 0; l < names->len; l++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (g_ptr_array_index (names, l));
    g_autoptr (HlRun) english = hl_test_run (s);
    g_autoptr (HlRun) translated = NULL;
    hl_i18n_set_translator (pseudo_translate);
    translated = hl_test_run (s);
    g_assert_cmpuint (hl_run_get_n_steps (english), ==, hl_run_get_n_steps (translated));
    for (guint i = 0; i < hl_run_get_n_steps (english); i++) {
      g_autofree char *e = NULL, *t = NULL;
      hl_i18n_set_translator (NULL);
      e = hl_ladder_describe_step (english, hl_run_get_step (english, i));
      hl_i18n_set_translator (pseudo_translate);
      t = hl_ladder_describe_step (translated, hl_run_get_step (translated, i));
      if (count_lines (e) != count_lines (t))
        g_test_message ("%s step %u: \"%s\" became \"%s\"",
                        (const char *)g_ptr_array_index (names, l), i + 1, e, t);
      g_assert_cmpuint (count_lines (e), ==, count_lines (t));
      assert_same_facts (g_ptr_array_index (names, l), i + 1, "label", e, t);
      {
        g_autofree char *te = NULL, *tt = NULL;
        g_auto (GStrv) ne = NULL, nt = NULL;
        hl_i18n_set_translator (NULL);
        te = hl_ladder_step_title (hl_run_get_step (english, i), hl_run_get_n_steps (english));
        ne = hl_ladder_step_notes (hl_run_get_step (english, i));
        hl_i18n_set_translator (pseudo_translate);
        tt = hl_ladder_step_title (hl_run_get_step (translated, i),
                                   hl_run_get_n_steps (translated));
        nt = hl_ladder_step_notes (hl_run_get_step (translated, i));
        assert_same_facts (g_ptr_array_index (names, l), i + 1, "title", te, tt);
        g_assert_cmpuint (g_strv_length (ne), ==, g_strv_length (nt));
        g_assert_cmpint (hl_ladder_phase_of (hl_run_get_step (english, i)), ==,
                         hl_ladder_phase_of (hl_run_get_step (translated, i)));
      }
      for (int side = 0; side < 2; side++) {
        g_autofree char *le = NULL, *lt = NULL;
        hl_i18n_set_translator (NULL);
        le = hl_ladder_describe_learned (english, hl_run_get_step (english, i), side, "#000000");
        hl_i18n_set_translator (pseudo_translate);
        lt = hl_ladder_describe_learned (translated, hl_run_get_step (translated, i), side,
                                         "#000000");
        g_assert_cmpuint (count_lines (le ? le : ""), ==, count_lines (lt ? lt : ""));
        assert_same_facts (g_ptr_array_index (names, l), i + 1, "what each side learned", le, lt);
      }
      compared++;
    }
    /* Everything the diagram draws: as many text boxes, and each connection's ends. */
    {
      HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };
      g_autoptr (HlLadderLayout) lt = hl_ladder_layout_new (translated, &o);
      g_autoptr (HlLadderLayout) le = NULL;
      hl_i18n_set_translator (NULL);
      le = hl_ladder_layout_new (english, &o);
      g_assert_cmpuint (hl_ladder_layout_get_n_texts (le), ==, hl_ladder_layout_get_n_texts (lt));
      for (guint c = 0; c < hl_run_get_n_connections (english); c++)
        for (int side = 0; side < 2; side++) {
          gboolean ok_e, ok_t;
          g_autofree char *ee = NULL, *et = NULL;
          ee = hl_ladder_describe_end (hl_run_get_connection (english, c), side, &ok_e);
          hl_i18n_set_translator (pseudo_translate);
          et = hl_ladder_describe_end (hl_run_get_connection (translated, c), side, &ok_t);
          hl_i18n_set_translator (NULL);
          g_assert_cmpint (ok_e, ==, ok_t);
          g_assert_cmpuint (count_lines (ee), ==, count_lines (et));
          g_assert_true (strstr (et, OPEN) != NULL || strcmp (ee, et) == 0);
          assert_same_facts (g_ptr_array_index (names, l), 0, "end of a connection", ee, et);
        }
    }
    for (int side = 0; side < 2; side++) {
      g_autofree char *de = NULL, *dt = NULL;
      hl_i18n_set_translator (NULL);
      de = hl_ladder_describe_side (english, side);
      hl_i18n_set_translator (pseudo_translate);
      dt = hl_ladder_describe_side (translated, side);
      assert_same_facts (g_ptr_array_index (names, l), 0, "side", de, dt);
    }
    hl_i18n_set_translator (NULL);
  }
  g_assert_cmpuint (compared, >, 300);
  /* The case the issue found: lesson 01's RSA ClientKeyExchange. */
  {
    g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
    g_autoptr (HlRun) run = NULL;
    g_autofree char *label = NULL;
    hl_i18n_set_translator (pseudo_translate);
    run = hl_test_run (s);
    for (guint i = 0; i < hl_run_get_n_steps (run) && !label; i++)
      if (strcmp (hl_run_get_step (run, i)->message, "ClientKeyExchange") == 0)
        label = hl_ladder_describe_step (run, hl_run_get_step (run, i));
    hl_i18n_set_translator (NULL);
    g_assert_nonnull (label);
    g_assert_nonnull (strstr (label, OPEN "encrypted premaster (256 bytes)" CLOSE));
  }
}

/* The key schedule's sentences (title, notes, marks, reasons) are translated; its formulas,
 * names and values are protocol and stay as RFC 8446 writes them. */
static void
test_key_schedule_translated (void)
{
  g_autoptr (GPtrArray) names = hl_test_bundled_names ();
  guint marked = 0, kept = 0;
  hl_i18n_set_translator (pseudo_translate);
  for (guint n = 0; n < names->len; n++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (g_ptr_array_index (names, n));
    g_autoptr (HlRun) run = NULL;
    if (s->client.version_max < 0x0304 && !g_str_has_prefix (g_ptr_array_index (names, n), "02-")
        && !g_str_has_prefix (g_ptr_array_index (names, n), "11-"))
      continue;
    run = hl_test_run (s);
    for (guint step = 1; step <= hl_run_get_n_steps (run); step += 3) {
      HlKeyScheduleOptions o = { step, HL_LADDER_THEME_LIGHT, step % 2 ? 0 : 600, FALSE };
      g_autoptr (HlKeyScheduleLayout) l = hl_key_schedule_layout_new (run, &o);
      for (guint i = 0; i < hl_key_schedule_layout_get_n_texts (l); i++) {
        const HlKeyScheduleText *t = hl_key_schedule_layout_get_text (l, i);
        const char *text = pango_layout_get_text (t->layout);
        gboolean protocol
            = t->kind == HL_KEY_SCHEDULE_TEXT_NAME
              || (t->kind == HL_KEY_SCHEDULE_TEXT_VALUE && !strstr (text, ":"))
              || (t->kind == HL_KEY_SCHEDULE_TEXT_FORMULA
                  && (strstr (text, "Derive-Secret(") || strstr (text, "HKDF-Extract(")
                      || strstr (text, "HKDF-Expand-Label(")));
        if (protocol && t->kind != HL_KEY_SCHEDULE_TEXT_NAME) {
          if (strstr (text, OPEN))
            g_error ("%s: protocol text translated: %s", (char *)g_ptr_array_index (names, n),
                     text);
          kept++;
        } else if (!protocol) {
          /* A mark is two words: the side's and what it holds. */
          if (!g_str_has_prefix (text, OPEN)
              || (t->kind == HL_KEY_SCHEDULE_TEXT_MARKS && !strstr (text, CLOSE " " OPEN)))
            g_error ("%s: not translatable: %s", (char *)g_ptr_array_index (names, n), text);
          marked++;
        }
      }
    }
  }
  hl_i18n_set_translator (NULL);
  g_assert_cmpuint (marked, >, 100);
  g_assert_cmpuint (kept, >, 100);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) names = NULL;
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/i18n/every-sentence-translated", test_every_sentence_translated);
  g_test_add_func ("/i18n/labels-from-structure", test_labels_from_structure);
  g_test_add_func ("/i18n/key-schedule-translated", test_key_schedule_translated);
  names = hl_test_bundled_names ();
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *path
        = g_strdup_printf ("/i18n/protocol-untouched/%s", (char *)g_ptr_array_index (names, i));
    g_test_add_data_func (path, g_ptr_array_index (names, i), test_protocol_untouched);
  }
  return g_test_run (); /* the tests borrow their lesson names from names */
}
