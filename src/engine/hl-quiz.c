/* hl-quiz.c: questions and answers read off a run (hl-quiz.h). */
#include "hl-quiz.h"

#include <string.h>

#include "hl-i18n.h"
#include "hl-recorded.h"
#include "hl-tables.h"
#include "hl-tamper-effect.h"

struct _HlQuiz {
  char *title;
  GPtrArray *questions; /* HlQuizQuestion* */
};

/* The key-schedule secrets worth a question when a side first holds them. */
static const HlSecretId asked[] = {
  HL_SECRET_PREMASTER,
  HL_SECRET_MASTER,
  HL_SECRET_SHARED,
  HL_SECRET_HANDSHAKE,
  HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC,
  HL_SECRET_CLIENT_APPLICATION_TRAFFIC,
  HL_SECRET_RESUMPTION_MASTER,
};

static void
free_question (gpointer p)
{
  HlQuizQuestion *q = p;
  g_free (q->question);
  g_ptr_array_unref (q->choices);
  g_free (q->explanation);
  g_free (q);
}

char *
hl_quiz_step_label (const HlStep *st)
{
  return g_strdup_printf ("%s \u2192 %s: %s", hl_side_name (st->from),
                          hl_side_name (hl_side_other (st->from)), st->message);
}

static gboolean
has_choice (GPtrArray *choices, const char *label)
{
  for (guint i = 0; i < choices->len; i++)
    if (strcmp (g_ptr_array_index (choices, i), label) == 0)
      return TRUE;
  return FALSE;
}

static gint
compare_labels (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* Who sends next: the step's own label, the same message from the other side, and messages
 * this connection really carries, nearest first; sorted, so the answer moves around. */
static HlQuizQuestion *
ask_next (HlRun *run, guint i, const HlStep *st)
{
  const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
  HlQuizQuestion *q = g_new0 (HlQuizQuestion, 1);
  g_autofree char *right = hl_quiz_step_label (st);
  g_autofree char *swapped
      = g_strdup_printf ("%s \u2192 %s: %s", hl_side_name (hl_side_other (st->from)),
                         hl_side_name (st->from), st->message);
  q->kind = HL_QUIZ_NEXT_MESSAGE;
  q->step = i;
  q->choices = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (q->choices, g_strdup (right));
  g_ptr_array_add (q->choices, g_strdup (swapped));
  /* Nearest first, the step after before the step before. */
  for (guint d = 1; c && q->choices->len < 4 && d <= c->steps->len; d++)
    for (int dir = 1; dir >= -1; dir -= 2)
      for (guint k = 0; k < c->steps->len; k++) {
        const HlStep *other = g_ptr_array_index (c->steps, k);
        g_autofree char *label = NULL;
        if ((gint64)other->index != (gint64)st->index + dir * (gint64)d)
          continue;
        label = hl_quiz_step_label (other);
        if (!has_choice (q->choices, label) && q->choices->len < 4)
          g_ptr_array_add (q->choices, g_steal_pointer (&label));
      }
  g_ptr_array_sort (q->choices, compare_labels);
  for (guint k = 0; k < q->choices->len; k++)
    if (strcmp (g_ptr_array_index (q->choices, k), right) == 0)
      q->answer = k;
  q->question = g_strdup_printf (_ ("Step %u: who sends next, and which message?"), st->index);
  q->explanation = g_strdup_printf ("%s%s%s", st->summary ? st->summary : "", st->story ? " " : "",
                                    st->story ? st->story : "");
  return q;
}

static HlQuizQuestion *
ask_holds (HlRun *run, guint i, const HlStep *st, HlSecretId id)
{
  const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
  HlQuizQuestion *q = g_new0 (HlQuizQuestion, 1);
  gboolean cl = (st->after[HL_SIDE_CLIENT].knows >> id) & 1;
  gboolean sv = (st->after[HL_SIDE_SERVER].knows >> id) & 1;
  const char *name = hl_secret_name_for_key (hl_secret_key (id));
  q->kind = HL_QUIZ_WHO_HOLDS;
  q->step = i;
  q->secret = id;
  q->choices = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (q->choices, g_strdup (_ ("The client only")));
  g_ptr_array_add (q->choices, g_strdup (_ ("The server only")));
  g_ptr_array_add (q->choices, g_strdup (_ ("Both sides")));
  g_ptr_array_add (q->choices, g_strdup (_ ("Neither side")));
  q->answer = cl && sv ? HL_QUIZ_HOLDS_BOTH
              : cl     ? HL_QUIZ_HOLDS_CLIENT
              : sv     ? HL_QUIZ_HOLDS_SERVER
                       : HL_QUIZ_HOLDS_NEITHER;
  /* "After step N" is the lab's moment: the receiver has read the message and made all it
   * answers with, whose secrets it then holds before they are on the wire. */
  q->question = g_strdup_printf (_ ("After step %u (%s: the %s has read it and made everything "
                                    "it answers with), who holds the %s (%s)?"),
                                 st->index, st->message, hl_side_word (hl_side_other (st->from)),
                                 name ? name : hl_secret_key (id), hl_secret_key (id));
  q->explanation = g_strdup_printf ("%s = %s", hl_secret_key (id),
                                    c ? hl_secret_formula_in (id, c) : hl_secret_formula (id));
  return q;
}

/* A message changed on the way: does its connection still complete, and who stops? */
static HlQuizQuestion *
ask_caught (HlRun *run, guint i, const HlStep *st)
{
  const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
  HlQuizQuestion *q = g_new0 (HlQuizQuestion, 1);
  GString *why = g_string_new (NULL);
  q->kind = HL_QUIZ_CAUGHT;
  q->step = i;
  q->choices = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (q->choices, g_strdup (_ ("Yes: the handshake completes")));
  g_ptr_array_add (q->choices, g_strdup (_ ("No: a side notices and stops")));
  q->answer = c && c->success ? 0 : 1;
  q->question = g_strdup_printf (_ ("Step %u: the %s's %s is changed on the way (%s). Does "
                                    "connection %u still complete?"),
                                 st->index, hl_side_word (st->from), st->message, st->fault,
                                 st->connection);
  for (int s = 0; c && s < 2; s++)
    if (c->explanation[s])
      g_string_append_printf (why, "%s%s: %s", why->len ? " " : "", hl_side_name (s),
                              c->explanation[s]);
  q->explanation = g_string_free (why, FALSE);
  return q;
}

HlQuizStops
hl_quiz_first_to_stop (HlRun *run, guint step, guint *at)
{
  const HlStep *st = hl_run_get_step (run, step);
  for (guint i = step; st && i < hl_run_get_n_steps (run); i++) {
    const HlStep *s = hl_run_get_step (run, i);
    if (s->connection != st->connection)
      break;
    /* Both at once: the receiver of that step is the one that judged it. */
    for (int k = 0; k < 2; k++) {
      HlSide side = k == 0 ? hl_side_other (s->from) : s->from;
      if (s->after[side].error != 0) {
        if (at)
          *at = i;
        return side == HL_SIDE_CLIENT ? HL_QUIZ_STOPS_CLIENT : HL_QUIZ_STOPS_SERVER;
      }
    }
  }
  return HL_QUIZ_STOPS_NEITHER;
}

/* Who notices the change first: the first side with an error from that step on. */
static HlQuizQuestion *
ask_who_stops (HlRun *run, guint i, const HlStep *st)
{
  HlQuizQuestion *q = g_new0 (HlQuizQuestion, 1);
  guint at = i;
  const HlStep *where;
  q->kind = HL_QUIZ_WHO_STOPS;
  q->step = i;
  q->choices = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (q->choices, g_strdup (_ ("The client")));
  g_ptr_array_add (q->choices, g_strdup (_ ("The server")));
  g_ptr_array_add (q->choices, g_strdup (_ ("Neither: nothing checks it")));
  q->answer = hl_quiz_first_to_stop (run, i, &at);
  where = hl_run_get_step (run, at);
  q->question
      = g_strdup_printf (_ ("Step %u: which side stops first because of the change?"), st->index);
  if (q->answer == HL_QUIZ_STOPS_NEITHER)
    q->explanation = g_strdup (_ ("No side reports an error in this connection."));
  else
    q->explanation = g_strdup_printf (
        _ ("The %s, at step %u (%s)%s%s"), hl_side_word (q->answer == HL_QUIZ_STOPS_CLIENT ? 0 : 1),
        where->index, where->message, where->check ? ": " : ".", where->check ? where->check : "");
  return q;
}

char *
hl_quiz_check_label (HlQuizCheck check, HlSide checker, const HlStep *checked)
{
  const char *who = hl_side_word (checker);
  const char *from = checked ? hl_side_word (checked->from) : "";
  const char *m = checked ? checked->message : "";
  switch (check) {
  case HL_QUIZ_CHECK_RECORD:
    return g_strdup_printf (_ ("The %s's record check (MAC or AEAD tag) of the %s's %s"), who, from,
                            m);
  case HL_QUIZ_CHECK_FINISHED:
    return g_strdup_printf (_ ("The %s's check of the %s's %s (verify_data)"), who, from, m);
  case HL_QUIZ_CHECK_SIGNATURE:
    return g_strdup_printf (_ ("The %s's check of the signature in the %s's %s"), who, from, m);
  case HL_QUIZ_CHECK_CERTIFICATE:
    return g_strdup_printf (_ ("The %s's check of the %s's %s (its X.509 chain)"), who, from, m);
  case HL_QUIZ_CHECK_BINDER:
    return g_strdup_printf (_ ("The %s's check of the PSK binder in the %s's %s"), who, from, m);
  case HL_QUIZ_CHECK_DOWNGRADE:
    return g_strdup_printf (_ ("The %s's downgrade check (the sentinel in the %s's %s random)"),
                            who, from, m);
  case HL_QUIZ_CHECK_MESSAGE:
    return g_strdup_printf (_ ("The %s's check of the %s's %s itself (its type, place and "
                               "values)"),
                            who, from, m);
  case HL_QUIZ_CHECK_NONE:
  default:
    return g_strdup (_ ("None: nothing checks it"));
  }
}

gboolean
hl_quiz_asked_before_step (const HlQuizQuestion *q)
{
  return q->kind != HL_QUIZ_WHO_HOLDS;
}

static gboolean
has_field_key (const GPtrArray *fields, const char *key)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    if (hl_field_has_key (f, key) || has_field_key (f->children, key))
      return TRUE;
  }
  return FALSE;
}

/* The checks the receiver of st makes on it that the run names: its record's protection,
 * a Finished, a signature, a chain, a binder, the downgrade sentinel. */
static void
add_step_checks (GPtrArray *labels, const HlStep *st, guint max)
{
  HlSide to = hl_side_other (st->from);
  HlQuizCheck found[4];
  guint n = 0;
  if (st->encrypted)
    found[n++] = HL_QUIZ_CHECK_RECORD;
  switch (st->handshake_type) {
  case HL_HANDSHAKE_FINISHED:
    found[n++] = HL_QUIZ_CHECK_FINISHED;
    break;
  case HL_HANDSHAKE_CERTIFICATE_VERIFY:
    found[n++] = HL_QUIZ_CHECK_SIGNATURE;
    break;
  case HL_HANDSHAKE_SERVER_KEY_EXCHANGE:
    if (has_field_key (st->fields, "signature"))
      found[n++] = HL_QUIZ_CHECK_SIGNATURE;
    break;
  case HL_HANDSHAKE_CERTIFICATE:
    if (st->certificate_check)
      found[n++] = HL_QUIZ_CHECK_CERTIFICATE;
    break;
  case HL_HANDSHAKE_CLIENT_HELLO:
    if (has_field_key (st->fields, "binder"))
      found[n++] = HL_QUIZ_CHECK_BINDER;
    break;
  case HL_HANDSHAKE_SERVER_HELLO:
    if (st->check) /* the downgrade sentinel (hl-run.h) */
      found[n++] = HL_QUIZ_CHECK_DOWNGRADE;
    break;
  default:
    break;
  }
  for (guint k = 0; k < n && labels->len < max; k++) {
    char *label = hl_quiz_check_label (found[k], to, st);
    if (has_choice (labels, label))
      g_free (label);
    else
      g_ptr_array_add (labels, label);
  }
}

/* The check that stopped the connection at step `at`, as the side that stopped read it. */
static HlQuizCheck
stopping_check (HlRun *run, guint at, HlSide side)
{
  const HlStep *st = hl_run_get_step (run, at);
  g_autoptr (HlCheckEffect) e = hl_tamper_caught (run, at);
  switch (e ? e->check : HL_CHECK_MESSAGE) {
  case HL_CHECK_RECORD:
    return HL_QUIZ_CHECK_RECORD;
  case HL_CHECK_FINISHED:
    return HL_QUIZ_CHECK_FINISHED;
  case HL_CHECK_SIGNATURE:
    return HL_QUIZ_CHECK_SIGNATURE;
  case HL_CHECK_CERTIFICATE:
    return HL_QUIZ_CHECK_CERTIFICATE;
  case HL_CHECK_BINDER:
    return HL_QUIZ_CHECK_BINDER;
  default:
    /* A TLS 1.3 client that finds the sentinel aborts with illegal_parameter (RFC 8446
     * 4.1.3); OpenSSL's reason names it. */
    if (st->handshake_type == HL_HANDSHAKE_SERVER_HELLO && st->check && st->after[side].reason
        && strstr (st->after[side].reason, "inappropriate fallback"))
      return HL_QUIZ_CHECK_DOWNGRADE;
    return HL_QUIZ_CHECK_MESSAGE;
  }
}

/* Which check catches the change: the one the stopping step's side failed (hl_quiz_first_to_stop
 * says where), among checks the run's steps name, nearest to the change first. */
static HlQuizQuestion *
ask_which_check (HlRun *run, guint i, const HlStep *st)
{
  HlQuizQuestion *q = g_new0 (HlQuizQuestion, 1);
  guint at = i, n = hl_run_get_n_steps (run);
  HlQuizStops stops = hl_quiz_first_to_stop (run, i, &at);
  g_autofree char *right = NULL, *none = hl_quiz_check_label (HL_QUIZ_CHECK_NONE, 0, NULL);
  g_autofree char *words = NULL;
  const HlStep *where = hl_run_get_step (run, at);
  q->kind = HL_QUIZ_WHICH_CHECK;
  q->step = i;
  q->at = at;
  q->choices = g_ptr_array_new_with_free_func (g_free);
  if (stops == HL_QUIZ_STOPS_NEITHER) {
    q->check = HL_QUIZ_CHECK_NONE;
  } else {
    HlSide side = stops == HL_QUIZ_STOPS_CLIENT ? HL_SIDE_CLIENT : HL_SIDE_SERVER;
    const HlSideState *state = &where->after[side];
    q->check = stopping_check (run, at, side);
    /* A Finished's own check says more than the error's general meaning ("different
     * handshakes"), which a Finished changed on the way is not. */
    if (!(q->check == HL_QUIZ_CHECK_FINISHED && where->check))
      words = state->openssl ? hl_describe_openssl_error (state->error, state->reason)
                             : hl_error_explain (state->error);
    if (words && state->openssl) {
      char *said = g_strdup_printf ("OpenSSL %s.", words);
      g_free (words);
      words = said;
    }
    right = hl_quiz_check_label (q->check, side, where); /* the side that stopped checks */
    g_ptr_array_add (q->choices, g_strdup (right));
  }
  /* The receiver's own look at the changed message, if it got one. */
  if (st->delivered && q->choices->len < 4) {
    char *label = hl_quiz_check_label (HL_QUIZ_CHECK_MESSAGE, hl_side_other (st->from), st);
    if (has_choice (q->choices, label))
      g_free (label);
    else
      g_ptr_array_add (q->choices, label);
  }
  /* Checks the steps name: the change's connection, nearest first (later before earlier),
   * then the rest of the lesson's messages. */
  for (int pass = 0; pass < 2; pass++)
    for (guint d = 0; q->choices->len < 4 && d < n; d++)
      for (int dir = 1; dir >= -1; dir -= 2) {
        gint64 k = (gint64)i + dir * (gint64)d;
        const HlStep *other;
        if (k < 0 || k >= n || (d == 0 && dir < 0))
          continue;
        other = hl_run_get_step (run, k);
        if ((other->connection == st->connection) == (pass == 0))
          add_step_checks (q->choices, other, 4);
      }
  g_ptr_array_sort (q->choices, compare_labels);
  g_ptr_array_add (q->choices, g_strdup (none)); /* last, whatever the sort */
  for (guint k = 0; k < q->choices->len; k++)
    if (strcmp (g_ptr_array_index (q->choices, k), right ? right : none) == 0)
      q->answer = k;
  q->question = g_strdup_printf (_ ("Step %u: which check catches the change to the %s's %s?"),
                                 st->index, hl_side_word (st->from), st->message);
  if (stops == HL_QUIZ_STOPS_NEITHER)
    q->explanation = g_strdup (
        hl_run_get_connection (run, st->connection - 1)->success
            ? _ ("No side reports an error: the connection completes with the change.")
            : _ ("No side reports an error: the connection stalls, each side waiting for the "
                 "other."));
  else
    q->explanation
        = g_strdup_printf (_ ("The %s stops at step %u (the %s's %s). %s%s%s"),
                           hl_side_word (stops == HL_QUIZ_STOPS_CLIENT ? 0 : 1), where->index,
                           hl_side_word (where->from), where->message, words ? words : "",
                           words && where->check ? " " : "", where->check ? where->check : "");
  return q;
}

HlQuiz *
hl_quiz_new (HlRun *run)
{
  HlQuiz *quiz = g_new0 (HlQuiz, 1);
  const HlScenario *sc = hl_run_get_scenario (run);
  guint64 before[2] = { 0, 0 };
  guint connection = 0;
  quiz->title = g_strdup (sc && sc->title ? sc->title : "");
  quiz->questions = g_ptr_array_new_with_free_func (free_question);
  hl_run_run_to_end (run);
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->connection != connection) {
      connection = st->connection;
      before[0] = before[1] = 0; /* a new connection starts from nothing */
    }
    g_ptr_array_add (quiz->questions, ask_next (run, i, st));
    if (st->fault) { /* after the prediction, which these questions would give away */
      g_ptr_array_add (quiz->questions, ask_caught (run, i, st));
      g_ptr_array_add (quiz->questions, ask_who_stops (run, i, st));
      g_ptr_array_add (quiz->questions, ask_which_check (run, i, st));
    }
    for (guint k = 0; k < G_N_ELEMENTS (asked); k++) {
      guint64 bit = G_GUINT64_CONSTANT (1) << asked[k];
      if (((st->after[0].knows & ~before[0]) | (st->after[1].knows & ~before[1])) & bit)
        g_ptr_array_add (quiz->questions, ask_holds (run, i, st, asked[k]));
    }
    before[0] = st->after[0].knows;
    before[1] = st->after[1].knows;
  }
  return quiz;
}

HlQuiz *
hl_quiz_new_edited (const HlRun *run, GError **error)
{
  const HlScenario *sc = hl_run_get_scenario (run);
  g_autoptr (HlRun) again = NULL;
  if (hl_run_is_recorded (run)) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_RECORDED,
                 _ ("A recorded run cannot be run again with changes"));
    return NULL;
  }
  again = hl_run_new_checked (sc, error);
  if (!again)
    return NULL;
  /* Runs are deterministic, so the same edits on the same messages give the same run. */
  for (guint i = 0; i < hl_run_get_n_edits (run); i++)
    hl_run_restore_edit (again, hl_run_get_edit (run, i));
  return hl_quiz_new (again);
}

void
hl_quiz_free (HlQuiz *quiz)
{
  if (!quiz)
    return;
  g_ptr_array_unref (quiz->questions);
  g_free (quiz->title);
  g_free (quiz);
}

guint
hl_quiz_get_n_questions (const HlQuiz *quiz)
{
  return quiz->questions->len;
}

const HlQuizQuestion *
hl_quiz_get_question (const HlQuiz *quiz, guint i)
{
  return i < quiz->questions->len ? g_ptr_array_index (quiz->questions, i) : NULL;
}

char *
hl_quiz_to_markdown (const HlQuiz *quiz)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, _ ("# Quiz: %s\n\n"), quiz->title);
  g_string_append (s, _ ("Predict before each step; the answers follow the questions.\n\n"));
  for (guint i = 0; i < quiz->questions->len; i++) {
    const HlQuizQuestion *q = g_ptr_array_index (quiz->questions, i);
    g_string_append_printf (s, "%u. %s\n", i + 1, q->question);
    for (guint k = 0; k < q->choices->len; k++)
      g_string_append_printf (s, "   %c. %s\n", 'a' + k,
                              (const char *)g_ptr_array_index (q->choices, k));
  }
  g_string_append_printf (s, "\n## %s\n\n", _ ("Answers"));
  for (guint i = 0; i < quiz->questions->len; i++) {
    const HlQuizQuestion *q = g_ptr_array_index (quiz->questions, i);
    g_string_append_printf (s, "%u. %c. %s%s%s\n", i + 1, 'a' + q->answer,
                            (const char *)g_ptr_array_index (q->choices, q->answer),
                            q->explanation && *q->explanation ? " \u2014 " : "",
                            q->explanation ? q->explanation : "");
  }
  return g_string_free (s, FALSE);
}
