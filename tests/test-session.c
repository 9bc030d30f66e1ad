/* The session, without a display: stepping, going back, selecting, knowledge at a
 * step, tampering and undoing it, and a load that fails keeping the lesson. */
#include <string.h>

#include "hl-lesson-catalog.h"
#include "hl-session.h"
#include "hl-transcript.h"
#include "hl-test-util.h"

typedef struct {
  guint added, removed, changes;
  guint position_notes, selected_notes;
} Counts;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Counts *c)
{
  c->added += added;
  c->removed += removed;
  c->changes++;
}

static void
on_notify (GObject *object, GParamSpec *pspec, Counts *c)
{
  if (strcmp (pspec->name, "position") == 0)
    c->position_notes++;
  else if (strcmp (pspec->name, "selected") == 0)
    c->selected_notes++;
}

static HlSession *
new_session (const char *lesson, Counts *c)
{
  HlSession *s = hl_session_new ();
  g_autofree char *file = g_strconcat ("scenarios/", lesson, ".scenario", NULL);
  g_autofree char *path = hl_test_source_path (file);
  g_autoptr (GError) error = NULL;
  g_signal_connect (s, "items-changed", G_CALLBACK (on_items_changed), c);
  g_signal_connect (s, "notify", G_CALLBACK (on_notify), c);
  g_assert_true (hl_session_load (s, path, &error));
  g_assert_no_error (error);
  return s;
}

static const HlSecret *
known (HlSession *s, HlSide side, const char *key)
{
  const GPtrArray *k = hl_session_get_knowledge (s, side);
  for (guint i = 0; k && i < k->len; i++)
    if (strcmp (((const HlSecret *)g_ptr_array_index (k, i))->key, key) == 0)
      return g_ptr_array_index (k, i);
  return NULL;
}

static void
test_step_back_restart (void)
{
  Counts c = { 0 };
  HlSession *s = new_session ("01-rsa-key-exchange", &c);
  GListModel *model = G_LIST_MODEL (s);
  gpointer first;
  g_assert_cmpstr (hl_session_get_title (s), ==, "The classic handshake: RSA key exchange");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (hl_session_can_step (s));
  g_assert_false (hl_session_can_go_back (s));
  c = (Counts){ 0 };
  g_assert_true (hl_session_step (s));
  g_assert_cmpuint (c.added, ==, 1);
  g_assert_cmpuint (c.position_notes, ==, 1);
  g_assert_cmpuint (hl_session_get_selected (s), ==, 1);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (hl_step_object_get_step (first)->message, ==, "ClientHello");
  for (int i = 0; i < 4; i++)
    hl_session_step (s);
  g_assert_cmpuint (hl_session_get_position (s), ==, 5);
  /* Back removes exactly one item, and the first stays the same object and step. */
  c = (Counts){ 0 };
  g_assert_true (hl_session_back (s));
  g_assert_cmpuint (c.removed, ==, 1);
  g_assert_cmpuint (c.added, ==, 0);
  g_assert_cmpuint (hl_session_get_position (s), ==, 4);
  g_assert_cmpuint (hl_session_get_selected (s), ==, 4);
  {
    gpointer again = g_list_model_get_item (model, 0);
    g_assert_true (again == first);
    g_assert_true (hl_step_object_get_step (again) == hl_step_object_get_step (first));
    g_object_unref (again);
  }
  /* To the end: an outcome, nothing more to step. */
  hl_session_run_to_end (s);
  g_assert_true (hl_session_get_finished (s));
  g_assert_false (hl_session_can_step (s));
  g_assert_false (hl_session_step (s));
  g_assert_true (hl_session_get_succeeded (s));
  g_assert_nonnull (strstr (hl_session_get_outcome (s), "succeeded"));
  g_assert_cmpuint (hl_session_get_position (s), ==, hl_run_get_n_steps (hl_session_get_run (s)));
  /* The run is read-only through the session: changing it is a session method, so the
   * session's list and properties follow (issue 17). Compile-time: the getter's type. */
  G_STATIC_ASSERT (_Generic(hl_session_get_run (s), const HlRun * : 1, default : 0));
  /* Restart: empty again, the run as new. */
  c = (Counts){ 0 };
  hl_session_restart (s);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (c.removed, >=, 13);
  g_assert_null (hl_session_get_outcome (s));
  g_assert_true (hl_session_can_step (s));
  g_object_unref (first);
  g_assert_finalize_object (s);
}

static void
test_select_and_knowledge (void)
{
  Counts c = { 0 };
  HlSession *s = new_session ("01-rsa-key-exchange", &c);
  hl_session_run_to_end (s);
  /* After ServerHelloDone (step 4) the client holds the premaster, the server does not. */
  c = (Counts){ 0 };
  hl_session_select (s, 4);
  g_assert_cmpuint (c.selected_notes, ==, 1);
  hl_session_select (s, 4);
  g_assert_cmpuint (c.selected_notes, ==, 1); /* no notify for the same value */
  g_assert_cmpstr (hl_session_get_selected_step (s)->message, ==, "ServerHelloDone");
  g_assert_nonnull (known (s, HL_SIDE_CLIENT, "premaster_secret"));
  g_assert_null (known (s, HL_SIDE_SERVER, "premaster_secret"));
  hl_session_select (s, 5);
  g_assert_nonnull (known (s, HL_SIDE_SERVER, "premaster_secret"));
  g_assert_true (g_bytes_equal (known (s, HL_SIDE_SERVER, "premaster_secret")->value,
                                known (s, HL_SIDE_CLIENT, "premaster_secret")->value));
  /* Out of range: ignored. */
  hl_session_select (s, 999);
  g_assert_cmpuint (hl_session_get_selected (s), ==, 5);
  hl_session_select (s, 0);
  g_assert_null (hl_session_get_knowledge (s, HL_SIDE_CLIENT));
  g_assert_finalize_object (s);
}

/* Tamper with the client Finished's plaintext (re-encrypted): the server reads a
 * valid record whose verify_data does not match; Back over it undoes the edit. */
static void
test_tamper_and_undo (void)
{
  Counts c = { 0 };
  HlSession *s = new_session ("02-ecdhe-rsa-aes-gcm", &c);
  HlNextMessage next;
  g_autoptr (GError) error = NULL;
  guint at;
  while (hl_session_peek_next (s, &next)
         && !(next.from == HL_SIDE_CLIENT && strcmp (next.message, "Finished") == 0))
    hl_session_step (s);
  at = hl_session_get_position (s);
  {
    gsize len;
    const guint8 *d = g_bytes_get_data (next.plaintext, &len);
    guint8 *copy = g_memdup2 (d, len);
    g_autoptr (GBytes) changed = NULL;
    copy[len - 1] ^= 0xff;
    changed = g_bytes_new_take (copy, len);
    g_assert_true (hl_session_tamper_next_plaintext (s, changed, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 1);
  hl_session_run_to_end (s);
  g_assert_false (hl_session_get_succeeded (s));
  g_assert_nonnull (strstr (hl_session_get_outcome (s), "server"));
  hl_session_select (s, at + 1);
  g_assert_true (g_str_has_prefix (hl_session_get_selected_step (s)->check, "MISMATCH"));
  /* Back over the changed message undoes the change. */
  while (hl_session_get_position (s) > at)
    hl_session_back (s);
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  hl_session_run_to_end (s);
  g_assert_true (hl_session_get_succeeded (s));
  /* A drop, undone by Restart. */
  hl_session_restart (s);
  hl_session_drop_next (s);
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 1);
  hl_session_restart (s);
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  hl_session_run_to_end (s);
  g_assert_true (hl_session_get_succeeded (s));
  g_assert_finalize_object (s);
}

/* A broken lesson is refused with its FILE:LINE, and the current one stays. */
static void
test_load_failure_keeps_lesson (void)
{
  Counts c = { 0 };
  HlSession *s = new_session ("10-mutual-tls", &c);
  g_autofree char *bad = hl_test_write_scenario ("[Scenario]\nFormat=1\nTitle=t\n[Clent]\n");
  g_autoptr (GError) error = NULL;
  hl_session_step (s);
  hl_session_step (s);
  c = (Counts){ 0 };
  g_assert_false (hl_session_load (s, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, ":4: unknown group [Clent]"));
  g_assert_cmpuint (c.changes, ==, 0);
  g_assert_cmpuint (hl_session_get_position (s), ==, 2);
  g_assert_cmpstr (hl_session_get_title (s), ==, "Mutual TLS: the client shows a certificate too");
  g_assert_true (hl_session_step (s));
  g_assert_finalize_object (s);
}

/* Loading another lesson empties the list before the old run goes. */
static void
test_load_replaces (void)
{
  Counts c = { 0 };
  HlSession *s = new_session ("01-rsa-key-exchange", &c);
  g_autofree char *other = hl_test_source_path ("scenarios/14-untrusted-ca.scenario");
  g_autoptr (GError) error = NULL;
  hl_session_run_to_end (s);
  c = (Counts){ 0 };
  g_assert_true (hl_session_load (s, other, &error));
  g_assert_cmpuint (c.removed, ==, 13);
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  hl_session_run_to_end (s);
  g_assert_false (hl_session_get_succeeded (s));
  g_assert_nonnull (strstr (hl_session_get_outcome (s), "client stopped"));
  g_assert_finalize_object (s);
}

static void
count_call (guint *n)
{
  (*n)++;
}

/* A view following a session hears the properties it named from the session it follows
 * now, and nothing more from the one it followed before. */
static void
test_follow (void)
{
  Counts ca = { 0 }, cb = { 0 };
  g_autoptr (HlSession) a = new_session ("01-rsa-key-exchange", &ca);
  g_autoptr (HlSession) b = new_session ("02-ecdhe-rsa-aes-gcm", &cb);
  HlSession *slot = NULL;
  guint calls = 0;
  g_assert_true (hl_session_follow (&slot, a, &calls, G_CALLBACK (count_call), "position", NULL));
  g_assert_false (hl_session_follow (&slot, a, &calls, G_CALLBACK (count_call), "position", NULL));
  g_assert_true (hl_session_step (a));
  g_assert_cmpuint (calls, ==, 1);
  g_assert_true (hl_session_follow (&slot, b, &calls, G_CALLBACK (count_call), "position", NULL));
  g_assert_true (slot == b);
  g_assert_true (hl_session_step (a));
  g_assert_cmpuint (calls, ==, 1);
  g_assert_true (hl_session_step (b));
  g_assert_cmpuint (calls, ==, 2);
  g_assert_true (hl_session_follow (&slot, NULL, &calls, G_CALLBACK (count_call), NULL));
  g_assert_null (slot);
  g_assert_true (hl_session_step (b));
  g_assert_cmpuint (calls, ==, 2);
}

static const HlLesson *
find_lesson (GPtrArray *lessons, const char *number)
{
  for (guint i = 0; i < lessons->len; i++)
    if (strcmp (((HlLesson *)g_ptr_array_index (lessons, i))->number, number) == 0)
      return g_ptr_array_index (lessons, i);
  g_assert_not_reached ();
}

static guint
count_matches (GPtrArray *lessons, const char *query, const HlLesson **first)
{
  guint n = 0;
  for (guint i = 0; i < lessons->len; i++)
    if (hl_lesson_matches (g_ptr_array_index (lessons, i), query) && n++ == 0 && first)
      *first = g_ptr_array_index (lessons, i);
  return n;
}

/* The lesson catalogue both front ends list: numbers, titles, keywords, and the search. */
static void
test_lesson_catalog (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lessons = hl_lesson_catalog_load (&error);
  const HlLesson *l, *first = NULL;
  g_assert_no_error (error);
  g_assert_cmpuint (lessons->len, >=, 35);
  l = find_lesson (lessons, "14");
  g_assert_cmpstr (l->name, ==, "14-untrusted-ca");
  g_assert_cmpstr (l->title, ==, "Failure: a certificate no trusted CA signed");
  g_assert_nonnull (strstr (l->keywords, "untrusted"));
  g_assert_false (l->tls13);
  g_assert_null (l->error);
  g_assert_true (find_lesson (lessons, "30")->tls13);
  g_assert_cmpstr (find_lesson (lessons, "13b")->name, ==, "13b-client-preference");
  /* A number finds that lesson only: not 3, 13 or 130, nor a description that names it. */
  g_assert_cmpuint (count_matches (lessons, "30", &first), ==, 1);
  g_assert_cmpstr (first->number, ==, "30");
  g_assert_cmpuint (count_matches (lessons, "13", NULL), ==, 2); /* 13 and 13b */
  g_assert_cmpuint (count_matches (lessons, "13b", NULL), ==, 1);
  g_assert_cmpuint (count_matches (lessons, "3", &first), ==, 1); /* 03, not 30 */
  g_assert_cmpstr (first->name, ==, "03-ecdhe-ecdsa-chacha20");
  g_assert_cmpuint (count_matches (lessons, "03", NULL), ==, 1);
  /* Words: in the file name's keywords, title or description, every word, any case. */
  g_assert_cmpuint (count_matches (lessons, "untrusted", &first), ==, 2); /* 14 and 37 */
  g_assert_cmpstr (first->number, ==, "14");
  g_assert_cmpuint (count_matches (lessons, "UNTRUSTED tls13", &first), ==, 1);
  g_assert_cmpstr (first->number, ==, "37");
  g_assert_cmpuint (count_matches (lessons, "HelloRetry", &first), ==,
                    2); /* descriptions: 32, 41 */
  g_assert_cmpstr (first->number, ==, "32");
  g_assert_cmpuint (count_matches (lessons, "no such word", NULL), ==, 0);
  g_assert_cmpuint (count_matches (lessons, "", NULL), ==, lessons->len);
}

static void
on_catalog_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  GPtrArray **out = data;
  g_autoptr (GError) error = NULL;
  *out = hl_lesson_catalog_load_finish (result, &error);
  g_assert_no_error (error);
}

/* The same list from a worker thread, as the window reads it. */
static void
test_lesson_catalog_async (void)
{
  GPtrArray *lessons = NULL;
  GThread *self = g_thread_self ();
  hl_lesson_catalog_load_async (NULL, on_catalog_loaded, &lessons);
  g_assert_null (lessons); /* not read on this thread before returning */
  while (!lessons)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_thread_self () == self);
  g_assert_cmpuint (lessons->len, >=, 35);
  g_ptr_array_unref (lessons);
}

/* The knowledge models: they follow the selected step; an entry whose line did not change
 * stays the same object and is not reported; items-changed reports exactly the lines that
 * are new, gone or changed; the lines equal a new model's for the same step; Run to End is
 * one emission. */
typedef struct {
  guint emissions, added, removed;
} ModelCounts;

static void
on_model_changed (GListModel *model, guint position, guint removed, guint added, ModelCounts *m)
{
  m->emissions++;
  m->added += added;
  m->removed += removed;
}

static GPtrArray *
model_items (GListModel *model)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));
  return items;
}

static HlKnowledgeEntry *
find_entry (GPtrArray *items, const char *key)
{
  for (guint i = 0; i < items->len; i++)
    if (strcmp (hl_knowledge_entry_get_key (items->pdata[i]), key) == 0)
      return items->pdata[i];
  return NULL;
}

static void
check_model_change (GPtrArray *before, GPtrArray *after, const ModelCounts *m)
{
  guint fresh = 0, gone = 0, changed = 0;
  for (guint i = 0; i < after->len; i++) {
    HlKnowledgeEntry *old = find_entry (before, hl_knowledge_entry_get_key (after->pdata[i]));
    if (!old)
      fresh++;
    else if (old != after->pdata[i]) {
      g_assert_false (hl_knowledge_entry_equal (old, after->pdata[i]));
      changed++;
    }
  }
  for (guint i = 0; i < before->len; i++)
    if (!find_entry (after, hl_knowledge_entry_get_key (before->pdata[i])))
      gone++;
  g_assert_cmpuint (m->added, ==, fresh + changed);
  g_assert_cmpuint (m->removed, ==, gone + changed);
}

static void
assert_as_new_model (HlSession *s, HlSide side)
{
  g_autoptr (HlKnowledgeModel) fresh = hl_knowledge_model_new (side);
  g_autoptr (GPtrArray) a = NULL, b = NULL;
  hl_knowledge_model_show_step (fresh, hl_session_get_selected_step (s));
  a = model_items (G_LIST_MODEL (hl_session_get_knowledge_model (s, side)));
  b = model_items (G_LIST_MODEL (fresh));
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_true (hl_knowledge_entry_equal (a->pdata[i], b->pdata[i]));
  g_assert_cmpstr (hl_knowledge_model_get_description (hl_session_get_knowledge_model (s, side)),
                   ==, hl_knowledge_model_get_description (fresh));
}

static void
test_knowledge_model (void)
{
  Counts c = { 0 };
  HlSession *s = new_session ("33-tls13-psk-resumption", &c);
  GListModel *model = G_LIST_MODEL (hl_session_get_knowledge_model (s, HL_SIDE_CLIENT));
  ModelCounts m = { 0 };
  g_assert_true (G_LIST_MODEL (hl_session_get_knowledge_model (s, HL_SIDE_CLIENT)) == model);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (
      hl_knowledge_model_get_description (hl_session_get_knowledge_model (s, HL_SIDE_CLIENT)), ==,
      "Select a step to see what this side knows.");
  g_signal_connect (model, "items-changed", G_CALLBACK (on_model_changed), &m);
  while (hl_session_can_step (s)) {
    g_autoptr (GPtrArray) before = model_items (model), after = NULL;
    m = (ModelCounts){ 0 };
    g_assert_true (hl_session_step (s));
    after = model_items (model);
    check_model_change (before, after, &m);
    assert_as_new_model (s, HL_SIDE_CLIENT);
    assert_as_new_model (s, HL_SIDE_SERVER);
  }
  /* The secrets are listed in the session's order, after the fixed lines. */
  {
    const GPtrArray *secrets = hl_session_get_knowledge (s, HL_SIDE_CLIENT);
    guint n = g_list_model_get_n_items (model);
    g_assert_cmpuint (n, >=, secrets->len);
    for (guint i = 0; i < secrets->len; i++) {
      g_autoptr (HlKnowledgeEntry) e = g_list_model_get_item (model, n - secrets->len + i);
      const HlSecret *secret = g_ptr_array_index (secrets, i);
      gsize len;
      const guint8 *d = g_bytes_get_data (secret->value, &len);
      g_autoptr (GString) want = g_string_new (NULL);
      g_assert_cmpstr (hl_knowledge_entry_get_key (e), ==, secret->key);
      /* its subtitle: the value in hex, in groups of 4 bytes, then its formula */
      for (gsize k = 0; k < len; k++)
        g_string_append_printf (want, "%s%02x", k && k % 4 == 0 ? " " : "", d[k]);
      g_string_append_printf (want, "\n%s", secret->formula);
      g_assert_cmpuint (len, >, 0);
      g_assert_cmpstr (hl_knowledge_entry_get_subtitle (e), ==, want->str);
    }
  }
  while (hl_session_can_go_back (s)) {
    g_autoptr (GPtrArray) before = model_items (model), after = NULL;
    m = (ModelCounts){ 0 };
    g_assert_true (hl_session_back (s));
    after = model_items (model);
    check_model_change (before, after, &m);
    assert_as_new_model (s, HL_SIDE_CLIENT);
  }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  m = (ModelCounts){ 0 };
  hl_session_run_to_end (s);
  g_assert_cmpuint (m.emissions, ==, 1);
  g_assert_cmpuint (m.added, ==, g_list_model_get_n_items (model));
  assert_as_new_model (s, HL_SIDE_CLIENT);
  g_signal_handlers_disconnect_by_data (model, &m);
  g_assert_finalize_object (s);
}

/* Lets the session's idle work run (the run made ahead of time takes its steps there,
 * starting a moment after the last change) until it is done. */
static void
drain_idle (HlSession *s)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end && hl_session_is_working_ahead (s))
    g_main_context_iteration (NULL, TRUE);
  while (g_get_monotonic_time () < end && g_main_context_iteration (NULL, FALSE))
    ;
}

/* Waits until the run made ahead of time has n steps (0: none), or fails. */
static void
wait_for_n_ahead (HlSession *s, guint n)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (hl_session_get_n_ahead (s) != n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hl_session_get_n_ahead (s), ==, n);
}

/* Every step the session shows is its run's own (the list and the run agree). */
static void
assert_items_are_run_steps (HlSession *s)
{
  GListModel *model = G_LIST_MODEL (s);
  const HlRun *run = hl_session_get_run (s);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, hl_run_get_n_steps (run));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr (HlStepObject) o = g_list_model_get_item (model, i);
    g_assert_true (hl_step_object_get_step (o) == hl_run_get_step (run, i));
  }
}

/* Steps taken from the run made while idle are the lesson's own: every bundled lesson
 * stepped so gives the transcript of a plain run, and the steps the list handed out
 * stay the same objects. */
static void
test_ahead_every_lesson (void)
{
  g_autoptr (GPtrArray) names = hl_test_bundled_names ();
  for (guint k = 0; k < names->len; k++) {
    const char *name = g_ptr_array_index (names, k);
    g_autoptr (HlScenario) sc = hl_test_load_bundled (name);
    g_autoptr (HlRun) plain = hl_test_run (sc);
    g_autofree char *want_json = hl_transcript_to_json (plain);
    g_autofree char *want_md = hl_transcript_to_markdown (plain);
    g_autofree char *got_json = NULL, *got_md = NULL;
    g_autofree char *path = NULL, *file = g_strconcat ("scenarios/", name, NULL);
    HlSession *s = hl_session_new ();
    g_autoptr (GError) error = NULL;
    gpointer first_step = NULL;
    guint from_ahead = 0;
    path = hl_test_source_path (file);
    hl_session_set_ahead_delay (s, 0); /* not 50 ms for each of some 600 steps */
    g_assert_true (hl_session_load (s, path, &error));
    g_assert_no_error (error);
    while (hl_session_can_step (s)) {
      guint n = hl_session_get_position (s);
      drain_idle (s);
      g_assert_cmpuint (hl_session_get_n_ahead (s), ==, n + 1);
      from_ahead++;
      g_assert_true (hl_session_step (s));
      if (!first_step)
        first_step = (gpointer)hl_session_get_step (s, 0);
      g_assert_true (hl_session_get_step (s, 0) == first_step);
      assert_items_are_run_steps (s);
    }
    g_assert_cmpuint (from_ahead, ==, hl_run_get_n_steps (plain));
    got_json = hl_transcript_to_json (hl_session_get_run (s));
    got_md = hl_transcript_to_markdown (hl_session_get_run (s));
    g_assert_cmpstr (got_json, ==, want_json);
    g_assert_cmpstr (got_md, ==, want_md);
    wait_for_n_ahead (s, 0); /* finished: the run made ahead goes */
    g_assert_finalize_object (s);
  }
}

/* An edit makes the session step its own run; Back and clearing the edit bring the run
 * made ahead back, and what is delivered is what was asked for each time. */
static void
test_ahead_edits_and_back (void)
{
  Counts c = { 0 };
  HlSession *s = new_session ("01-rsa-key-exchange", &c);
  g_autoptr (HlScenario) sc = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) plain = hl_test_run (sc);
  HlNextMessage next;
  g_autoptr (GBytes) changed = NULL;
  guint8 *bytes;
  gsize len;
  drain_idle (s);
  g_assert_cmpuint (hl_session_get_n_ahead (s), ==, 1);
  g_assert_true (hl_session_step (s));
  drain_idle (s);
  g_assert_cmpuint (hl_session_get_n_ahead (s), ==, 2);
  /* A changed ServerHello: the step delivers the change, not the step made ahead. */
  g_assert_true (hl_session_peek_next (s, &next));
  bytes = g_bytes_unref_to_data (g_bytes_ref (next.wire), &len);
  bytes[len - 1] ^= 0x01;
  changed = g_bytes_new_take (bytes, len);
  hl_session_tamper_next (s, changed);
  g_assert_true (hl_session_step (s));
  g_assert_nonnull (hl_session_get_step (s, 1)->delivered_wire);
  g_assert_true (g_bytes_equal (hl_session_get_step (s, 1)->delivered_wire, changed));
  assert_items_are_run_steps (s);
  wait_for_n_ahead (s, 0); /* none while an edit stands */
  g_assert_null (hl_session_peek_made_step (s));
  /* Back before the edit: it is put aside, and the run ahead is made again. */
  g_assert_true (hl_session_back (s));
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  drain_idle (s);
  g_assert_cmpuint (hl_session_get_n_ahead (s), ==, 2);
  g_assert_true (hl_session_step (s));
  g_assert_null (hl_session_get_step (s, 1)->delivered_wire);
  g_assert_true (
      g_bytes_equal (hl_session_get_step (s, 1)->wire, hl_run_get_step (plain, 1)->wire));
  assert_items_are_run_steps (s);
  /* Back twice past the run ahead's place: it is made again from the start. */
  drain_idle (s);
  g_assert_true (hl_session_back (s));
  g_assert_true (hl_session_back (s));
  drain_idle (s);
  g_assert_cmpuint (hl_session_get_n_ahead (s), ==, 1);
  for (guint i = 0; i < 3; i++)
    g_assert_true (hl_session_step (s));
  assert_items_are_run_steps (s);
  for (guint i = 0; i < 3; i++)
    g_assert_true (
        g_bytes_equal (hl_session_get_step (s, i)->wire, hl_run_get_step (plain, i)->wire));
  g_assert_finalize_object (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/step-back-restart", test_step_back_restart);
  g_test_add_func ("/session/select-and-knowledge", test_select_and_knowledge);
  g_test_add_func ("/session/tamper-and-undo", test_tamper_and_undo);
  g_test_add_func ("/session/load-failure-keeps-lesson", test_load_failure_keeps_lesson);
  g_test_add_func ("/session/load-replaces", test_load_replaces);
  g_test_add_func ("/session/follow", test_follow);
  g_test_add_func ("/session/lesson-catalog", test_lesson_catalog);
  g_test_add_func ("/session/lesson-catalog-async", test_lesson_catalog_async);
  g_test_add_func ("/session/knowledge-model", test_knowledge_model);
  g_test_add_func ("/session/ahead-every-lesson", test_ahead_every_lesson);
  g_test_add_func ("/session/ahead-edits-and-back", test_ahead_edits_and_back);
  return g_test_run ();
}
