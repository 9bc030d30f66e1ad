/* The quiz (issue 20): made for every bundled lesson, and each answer checked against the
 * run it came from, never against a table: the next message is the step's own sender and
 * message, the other choices are real messages of that connection, who holds a secret is
 * what the run's knowledge says after that step, and whether a changed message is caught
 * is the connection's outcome, and which check catches it is the check of the first step
 * with an error, found and classified here from that error. A change a person makes
 * (hl_quiz_new_edited) gets the same questions. [Scenario] Quiz=true is read, and a bad
 * value refused. */
#include <bearssl.h>
#include <string.h>

#include "hl-discussion.h"
#include "hl-i18n.h"
#include "hl-quiz.h"
#include "hl-tables.h"
#include "hl-test-util.h"
#include "hl-transcript.h"

static gboolean
in_connection (const HlConnection *c, const char *label)
{
  for (guint i = 0; i < c->steps->len; i++) {
    g_autofree char *l = hl_quiz_step_label (g_ptr_array_index (c->steps, i));
    if (strcmp (l, label) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
check_next (HlRun *run, const HlQuizQuestion *q)
{
  const HlStep *st = hl_run_get_step (run, q->step);
  const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
  g_autofree char *right = hl_quiz_step_label (st);
  g_assert_cmpuint (q->choices->len, >=, 2);
  g_assert_cmpuint (q->choices->len, <=, 4);
  g_assert_cmpstr (g_ptr_array_index (q->choices, q->answer), ==, right);
  for (guint k = 0; k < q->choices->len; k++) {
    const char *choice = g_ptr_array_index (q->choices, k);
    for (guint j = k + 1; j < q->choices->len; j++)
      g_assert_cmpstr (choice, !=, g_ptr_array_index (q->choices, j));
    /* A wrong choice is a real message of the connection, or the right one's message
     * from the other side. */
    if (k != q->answer && !in_connection (c, choice))
      g_assert_nonnull (strstr (choice, st->message));
  }
}

static void
check_holds (HlRun *run, const HlQuizQuestion *q)
{
  const HlStep *st = hl_run_get_step (run, q->step);
  const HlStep *prev = q->step > 0 ? hl_run_get_step (run, q->step - 1) : NULL;
  guint64 bit = G_GUINT64_CONSTANT (1) << q->secret;
  gboolean cl = (st->after[HL_SIDE_CLIENT].knows & bit) != 0;
  gboolean sv = (st->after[HL_SIDE_SERVER].knows & bit) != 0;
  HlQuizHolds want = cl && sv ? HL_QUIZ_HOLDS_BOTH
                     : cl     ? HL_QUIZ_HOLDS_CLIENT
                     : sv     ? HL_QUIZ_HOLDS_SERVER
                              : HL_QUIZ_HOLDS_NEITHER;
  g_assert_cmpuint (q->answer, ==, want);
  g_assert_true (cl || sv); /* asked when a side has just come to hold it */
  if (prev && prev->connection == st->connection)
    g_assert_false ((prev->after[0].knows & bit) && (prev->after[1].knows & bit));
  g_assert_nonnull (strstr (q->question, hl_secret_key (q->secret)));
  /* The lab's "after step N" includes what the receiver made in answer (its whole flight):
   * the question says so, as a secret may need a transcript not yet on the wire. */
  g_assert_nonnull (strstr (q->question, "has read it and made everything it answers with"));
  g_assert_nonnull (strstr (q->question, hl_side_word (hl_side_other (st->from))));
}

static void
check_caught (HlRun *run, const HlQuizQuestion *q)
{
  const HlStep *st = hl_run_get_step (run, q->step);
  const HlConnection *c = hl_run_get_connection (run, st->connection - 1);
  g_assert_nonnull (st->fault);
  g_assert_cmpuint (q->answer, ==, c->success ? 0 : 1);
}

/* Recomputed here: the first step of the connection, from the changed one on, after which
 * a side has an error; the receiver of that step counts first. */
static void
check_who_stops (HlRun *run, const HlQuizQuestion *q)
{
  const HlStep *st = hl_run_get_step (run, q->step);
  HlQuizStops want = HL_QUIZ_STOPS_NEITHER;
  g_assert_nonnull (st->fault);
  for (guint i = q->step; i < hl_run_get_n_steps (run) && want == HL_QUIZ_STOPS_NEITHER; i++) {
    const HlStep *s = hl_run_get_step (run, i);
    HlSide to = hl_side_other (s->from);
    if (s->connection != st->connection)
      break;
    if (s->after[to].error)
      want = to == HL_SIDE_CLIENT ? HL_QUIZ_STOPS_CLIENT : HL_QUIZ_STOPS_SERVER;
    else if (s->after[s->from].error)
      want = s->from == HL_SIDE_CLIENT ? HL_QUIZ_STOPS_CLIENT : HL_QUIZ_STOPS_SERVER;
  }
  g_assert_cmpuint (q->answer, ==, want);
  /* A connection that failed had a side stop; one that completed had none. */
  g_assert_true ((want == HL_QUIZ_STOPS_NEITHER)
                 == hl_run_get_connection (run, st->connection - 1)->success);
}

/* The check a side's error names, read here from the error itself: BearSSL's codes, or
 * the alert an OpenSSL side sent (RFC 8446 6.2: bad_record_mac 20, decrypt_error 51 for
 * a signature or a Finished, illegal_parameter 47 for the downgrade sentinel, 4.1.3). */
static HlQuizCheck
check_of_error (const HlStep *st, HlSide side)
{
  int err = st->after[side].error;
  int alert = err >= BR_ERR_SEND_FATAL_ALERT ? err - BR_ERR_SEND_FATAL_ALERT : -1;
  if (err == BR_ERR_BAD_MAC || alert == 20)
    return HL_QUIZ_CHECK_RECORD;
  if (err == BR_ERR_BAD_FINISHED || (alert == 51 && st->handshake_type == HL_HANDSHAKE_FINISHED))
    return HL_QUIZ_CHECK_FINISHED;
  if (err == BR_ERR_BAD_SIGNATURE
      || (alert == 51 && st->handshake_type == HL_HANDSHAKE_CERTIFICATE_VERIFY))
    return HL_QUIZ_CHECK_SIGNATURE;
  if (alert == 47 && st->handshake_type == HL_HANDSHAKE_SERVER_HELLO && st->check
      && strstr (st->after[side].reason, "fallback"))
    return HL_QUIZ_CHECK_DOWNGRADE;
  g_assert_true (err == BR_ERR_UNEXPECTED || alert == 10); /* unexpected_message */
  return HL_QUIZ_CHECK_MESSAGE;
}

/* Which check catches a change: found here as the first step of the connection, from the
 * changed one on, after which a side has an error (the receiver first), and that error's
 * check; "None" when no side has one. The answer names that check, that side and that
 * step's message, and its explanation carries the step's own check (HlStep.check). */
static HlQuizCheck
check_which_check (HlRun *run, const HlQuizQuestion *q)
{
  const HlStep *st = hl_run_get_step (run, q->step), *where = NULL;
  const char *none = g_ptr_array_index (q->choices, q->choices->len - 1);
  HlSide side = HL_SIDE_CLIENT;
  HlQuizCheck want = HL_QUIZ_CHECK_NONE;
  g_autofree char *right = NULL;
  g_assert_nonnull (st->fault);
  for (guint i = q->step; i < hl_run_get_n_steps (run) && !where; i++) {
    const HlStep *s = hl_run_get_step (run, i);
    HlSide to = hl_side_other (s->from);
    if (s->connection != st->connection)
      break;
    if (s->after[to].error || s->after[s->from].error) {
      where = s;
      side = s->after[to].error ? to : s->from;
      g_assert_cmpuint (q->at, ==, i);
    }
  }
  if (where)
    want = check_of_error (where, side);
  g_assert_cmpuint (q->check, ==, want);
  right = hl_quiz_check_label (want, side, where);
  g_assert_cmpstr (g_ptr_array_index (q->choices, q->answer), ==, right);
  if (where) {
    g_assert_nonnull (strstr (right, hl_side_word (side)));
    g_assert_nonnull (strstr (right, where->message));
    if (where->check)
      g_assert_nonnull (strstr (q->explanation, where->check));
  }
  /* "None" is always offered, last; 2 to 5 choices, all different. */
  g_assert_cmpstr (none, ==, "None: nothing checks it");
  g_assert_cmpuint (q->choices->len, >=, 2);
  g_assert_cmpuint (q->choices->len, <=, 5);
  for (guint k = 0; k < q->choices->len; k++)
    for (guint j = k + 1; j < q->choices->len; j++)
      g_assert_cmpstr (g_ptr_array_index (q->choices, k), !=, g_ptr_array_index (q->choices, j));
  return want;
}

/* The bundled fault lessons, and the check RFC 5246/8446 say catches each: a changed
 * encrypted record fails its MAC or tag before its content is read (20, 36b: RFC 5246
 * 6.2.3, RFC 8446 5.2); a changed client random fails the ServerKeyExchange signature over
 * both randoms (21: RFC 5246 7.4.3, RFC 8422 5.4); a ClientHello field only hashed fails
 * the Finished over the transcript (24: RFC 5246 7.4.9); a Finished with no
 * ChangeCipherSpec before it is a message where it may not be (22: RFC 5246 7.4.9); a
 * changed CertificateVerify fails its signature (36: RFC 8446 4.4.3); a ClientHello
 * stripped of TLS 1.3 meets the downgrade sentinel (40: RFC 8446 4.1.3). */
static const struct {
  const char *lesson;
  HlQuizCheck check;
  const char *said; /* in the explanation */
} fault_lessons[] = {
  { "20-fault-flipped-finished.scenario", HL_QUIZ_CHECK_RECORD, "integrity check" },
  { "21-fault-flipped-client-random.scenario", HL_QUIZ_CHECK_SIGNATURE,
    "A signature did not verify" },
  { "22-fault-dropped-ccs.scenario", HL_QUIZ_CHECK_MESSAGE, "not allowed at this point" },
  { "24-fault-tampered-client-hello.scenario", HL_QUIZ_CHECK_FINISHED,
    "the two sides did not see the same handshake" },
  { "36-tls13-tampered-certificate-verify.scenario", HL_QUIZ_CHECK_SIGNATURE, "bad signature" },
  { "36b-tls13-flipped-record.scenario", HL_QUIZ_CHECK_RECORD, "bad record mac" },
  { "40-tls13-downgrade-caught.scenario", HL_QUIZ_CHECK_DOWNGRADE, "DOWNGRD" },
};

static void
test_every_lesson (void)
{
  g_autoptr (GPtrArray) names = hl_test_bundled_names ();
  guint kinds[5] = { 0, 0, 0, 0, 0 }, pinned = 0;
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index (names, i);
    g_autoptr (HlScenario) sc = hl_test_load_bundled (name);
    g_autoptr (HlRun) run = hl_test_run (sc);
    g_autoptr (HlQuiz) quiz = hl_quiz_new (run);
    g_autofree char *md = hl_quiz_to_markdown (quiz);
    guint next = 0, faults = 0, caught = 0, which = 0;
    HlQuizCheck last = HL_QUIZ_CHECK_NONE;
    const char *said = NULL;
    g_test_message ("%s: %u questions", name, hl_quiz_get_n_questions (quiz));
    for (guint s = 0; s < hl_run_get_n_steps (run); s++)
      faults += hl_run_get_step (run, s)->fault != NULL;
    for (guint k = 0; k < hl_quiz_get_n_questions (quiz); k++) {
      const HlQuizQuestion *q = hl_quiz_get_question (quiz, k);
      g_assert_cmpuint (q->step, <, hl_run_get_n_steps (run));
      g_assert_cmpuint (q->answer, <, q->choices->len);
      g_assert_nonnull (strstr (md, q->question));
      kinds[q->kind]++;
      switch (q->kind) {
      case HL_QUIZ_NEXT_MESSAGE:
        g_assert_cmpuint (q->step, ==, next); /* one per step, in order */
        next++;
        check_next (run, q);
        break;
      case HL_QUIZ_WHO_HOLDS:
        check_holds (run, q);
        break;
      case HL_QUIZ_CAUGHT:
        caught++;
        check_caught (run, q);
        break;
      case HL_QUIZ_WHO_STOPS:
        check_who_stops (run, q);
        break;
      case HL_QUIZ_WHICH_CHECK:
        which++;
        last = check_which_check (run, q);
        said = q->explanation;
        break;
      }
    }
    g_assert_cmpuint (next, ==, hl_run_get_n_steps (run));
    g_assert_cmpuint (caught, ==, faults);
    g_assert_cmpuint (which, ==, faults);
    for (guint f = 0; f < G_N_ELEMENTS (fault_lessons); f++)
      if (strcmp (name, fault_lessons[f].lesson) == 0) {
        g_assert_cmpuint (which, ==, 1);
        g_assert_cmpuint (last, ==, fault_lessons[f].check);
        g_assert_nonnull (strstr (said, fault_lessons[f].said));
        pinned++;
      }
    g_assert_nonnull (strstr (md, "## Answers"));
  }
  g_assert_cmpuint (kinds[HL_QUIZ_WHO_HOLDS], >, 100);
  g_assert_cmpuint (kinds[HL_QUIZ_CAUGHT], >=, 4);
  g_assert_cmpuint (kinds[HL_QUIZ_WHO_STOPS], ==, kinds[HL_QUIZ_CAUGHT]);
  g_assert_cmpuint (kinds[HL_QUIZ_WHICH_CHECK], ==, kinds[HL_QUIZ_CAUGHT]);
  g_assert_cmpuint (pinned, ==, G_N_ELEMENTS (fault_lessons));
}

/* A lesson with a change made by hand on the message in flight: the quiz of the run run
 * again with it asks the three questions about that step, answered from the changed run,
 * and the run itself stays before the change. */
static void
check_edited (const char *lesson, const char *message, gboolean plaintext, gsize at,
              HlQuizCheck want_check, const char *said)
{
  g_autoptr (HlScenario) sc = hl_test_load_bundled (lesson);
  g_autoptr (HlRun) run = hl_run_new (sc);
  g_autoptr (HlRun) done = NULL;
  g_autoptr (HlQuiz) quiz = NULL;
  g_autoptr (GBytes) changed = NULL;
  g_autoptr (GError) error = NULL;
  HlNextMessage next;
  guint position, found = 0;
  gsize len;
  guint8 *copy;
  while (hl_run_peek_next (run, &next) && strcmp (next.message, message) != 0)
    g_assert_true (hl_run_step (run));
  g_assert_true (hl_run_peek_next (run, &next));
  position = hl_run_get_n_steps (run);
  copy = g_memdup2 (g_bytes_get_data (plaintext ? next.plaintext : next.wire, &len),
                    g_bytes_get_size (plaintext ? next.plaintext : next.wire));
  copy[at] ^= 0x01;
  changed = g_bytes_new_take (copy, len);
  if (plaintext)
    g_assert_true (hl_run_tamper_next_plaintext (run, changed, &error));
  else
    hl_run_tamper_next (run, changed);
  quiz = hl_quiz_new_edited (run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, position); /* nothing delivered */
  /* Then the change delivered, to compare with. */
  hl_run_run_to_end (run);
  done = g_steal_pointer (&run);
  for (guint k = 0; k < hl_quiz_get_n_questions (quiz); k++) {
    const HlQuizQuestion *q = hl_quiz_get_question (quiz, k);
    if (q->step != position || q->kind == HL_QUIZ_NEXT_MESSAGE || q->kind == HL_QUIZ_WHO_HOLDS)
      continue;
    found |= 1u << q->kind;
    g_assert_true (hl_quiz_asked_before_step (q));
    switch (q->kind) {
    case HL_QUIZ_CAUGHT:
      check_caught (done, q);
      /* the connection completes with it only when nothing checks it */
      g_assert_cmpuint (q->answer, ==, want_check == HL_QUIZ_CHECK_NONE ? 0 : 1);
      break;
    case HL_QUIZ_WHO_STOPS:
      check_who_stops (done, q);
      break;
    case HL_QUIZ_WHICH_CHECK:
      g_assert_cmpuint (check_which_check (done, q), ==, want_check);
      g_test_message ("%s", q->explanation);
      g_assert_nonnull (strstr (q->explanation, said));
      break;
    default:
      break;
    }
  }
  g_assert_cmpuint (
      found, ==, (1u << HL_QUIZ_CAUGHT) | (1u << HL_QUIZ_WHO_STOPS) | (1u << HL_QUIZ_WHICH_CHECK));
}

/* A bit of the client random (ClientHello byte 4 + 2 + 10, in the record after its 5-byte
 * header): in RSA key exchange no signature covers it, so the server's keys differ from
 * the client's and the first record it opens from the client fails (RFC 5246 8.1, 6.2.3);
 * a bit of the client Finished's verify_data, sealed again with the client's own keys, is
 * read and fails the Finished check (RFC 5246 7.4.9). */
static void
test_edited (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) sc = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) run = hl_run_new (sc);
  g_autoptr (HlQuiz) plain = hl_quiz_new_edited (run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, 0);
  for (guint k = 0; k < hl_quiz_get_n_questions (plain); k++)
    g_assert_cmpuint (hl_quiz_get_question (plain, k)->kind, !=, HL_QUIZ_WHICH_CHECK);
  check_edited ("01-rsa-key-exchange.scenario", "ClientHello", FALSE, 5 + 4 + 2 + 10,
                HL_QUIZ_CHECK_RECORD, "integrity check");
  /* The Finished itself changed: both sides saw the same handshake, and the receiver's own
   * verify_data is the one the sender sent (TLS 1.2 and TLS 1.3, RFC 8446 4.4.4). */
  check_edited ("01-rsa-key-exchange.scenario", "Finished", TRUE, 4 + 3, HL_QUIZ_CHECK_FINISHED,
                "the value the client sent: the Finished itself was changed on the way");
  check_edited ("30-tls13-basic.scenario", "Finished", TRUE, 4 + 3, HL_QUIZ_CHECK_FINISHED,
                "the value the server sent: the Finished itself was changed on the way");
  /* Application data sealed again with the client's own keys: a valid record, after both
   * Finished; nothing checks what it says, and the connection completes. */
  check_edited ("01-rsa-key-exchange.scenario", "ApplicationData", TRUE, 0, HL_QUIZ_CHECK_NONE,
                "the connection completes with the change");
}

static void
test_quiz_key (void)
{
  g_autofree char *yes
      = hl_test_write_scenario ("[Scenario]\nFormat=1\nTitle=q\nQuiz=true\n"
                                "[Client]\n[Server]\n"
                                "CertificateChain=assets/pki/server-rsa-chain.pem\n"
                                "PrivateKey=assets/pki/server-rsa.key\n");
  g_autofree char *bad
      = hl_test_write_scenario ("[Scenario]\nFormat=1\nTitle=q\nQuiz=maybe\n"
                                "[Client]\n[Server]\n"
                                "CertificateChain=assets/pki/server-rsa-chain.pem\n"
                                "PrivateKey=assets/pki/server-rsa.key\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (yes, &error);
  g_autoptr (HlScenario) none = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlScenario) b = NULL;
  g_assert_no_error (error);
  g_assert_true (s->quiz);
  g_assert_false (none->quiz);
  b = hl_scenario_load (bad, &error);
  g_assert_null (b);
  g_assert_nonnull (strstr (error->message, ":4:"));
  g_assert_nonnull (strstr (error->message, "Quiz"));
}

/* The lesson again with byte `at` of connection 1's ServerHello changed: who stops, where. */
static HlQuizStops
stop_with_random_changed (const HlScenario *sc, gsize at, guint *where)
{
  g_autoptr (HlRun) run = hl_run_new (sc);
  HlNextMessage next;
  gsize len;
  guint8 *copy;
  g_autoptr (GBytes) b = NULL;
  while (hl_run_peek_next (run, &next) && strcmp (next.message, "ServerHello") != 0)
    g_assert_true (hl_run_step (run));
  g_assert_true (hl_run_peek_next (run, &next));
  g_assert_cmpuint (next.connection, ==, 1);
  copy = g_memdup2 (g_bytes_get_data (next.wire, &len), g_bytes_get_size (next.wire));
  copy[at] ^= 0x80;
  b = g_bytes_new_take (copy, len);
  hl_run_tamper_next (run, b);
  hl_run_run_to_end (run);
  *where = 0;
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    for (int k = 0; k < 2 && st->connection == 1; k++) {
      HlSide side = k == 0 ? hl_side_other (st->from) : st->from;
      if (st->after[side].error) {
        *where = st->index;
        return side == HL_SIDE_CLIENT ? HL_QUIZ_STOPS_CLIENT : HL_QUIZ_STOPS_SERVER;
      }
    }
  }
  return HL_QUIZ_STOPS_NEITHER;
}

/* Questions for discussion end every bundled lesson's Markdown handout, answers after them
 * in the teacher's section, and each answer is what the run shows: a changed random is
 * tried again on another byte of it (same side, same step), a failing lesson's stopping
 * side has the error, and the observer's answer follows the negotiated suite's key
 * exchange. */
static void
test_discussion (void)
{
  g_autoptr (GPtrArray) names = hl_test_bundled_names ();
  guint kinds[3] = { 0, 0, 0 }, enough = 0;
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index (names, i);
    g_autoptr (HlScenario) sc = hl_test_load_bundled (name);
    g_autoptr (HlRun) run = hl_test_run (sc);
    g_autoptr (GPtrArray) items = hl_discussion_new (run);
    g_autofree char *md = hl_transcript_to_markdown (run);
    const char *questions = strstr (md, "\n## Questions for discussion\n");
    const char *answers = strstr (md, "\n## For the teacher: answers\n");
    const HlConnection *c = hl_run_get_connection (run, 0);
    g_test_message ("%s: %u questions for discussion", name, items->len);
    g_assert_cmpuint (items->len, >=, 1);
    g_assert_nonnull (questions);
    g_assert_nonnull (answers);
    g_assert_true (questions < answers);
    for (guint k = 0; k < items->len; k++) {
      const HlDiscussion *d = g_ptr_array_index (items, k);
      const char *q = strstr (questions, d->question), *a = strstr (answers, d->answer);
      kinds[d->kind]++;
      g_assert_true (q && q < answers); /* the question among the questions, */
      g_assert_nonnull (a);             /* its answer only in the teacher's section */
      g_assert_null (strstr (d->question, d->answer));
      /* With several connections a question names the one it means. */
      if (d->kind == HL_DISCUSS_CHANGED_RANDOM)
        g_assert_true ((strstr (d->question, "the first connection") != NULL)
                       == (hl_run_get_n_connections (run) > 1));
      if (d->kind == HL_DISCUSS_CHANGED_RANDOM || d->kind == HL_DISCUSS_WHAT_STOPPED) {
        guint where = 0;
        HlQuizStops stops;
        g_autofree char *said = NULL;
        if (d->kind == HL_DISCUSS_CHANGED_RANDOM) {
          g_assert_true (c->success);
          stops = stop_with_random_changed (sc, 6 + 17, &where);
        } else {
          g_assert_false (c->success);
          stops = hl_quiz_first_to_stop (run, 0, &where);
          where = stops == HL_QUIZ_STOPS_NEITHER ? 0 : hl_run_get_step (run, where)->index;
          g_assert_cmpint (c->error[stops == HL_QUIZ_STOPS_CLIENT ? 0 : 1], !=, 0);
        }
        g_assert_cmpuint (d->stops, ==, stops);
        g_assert_cmpuint (d->at, ==, where);
        g_assert_cmpuint (stops, !=, HL_QUIZ_STOPS_NEITHER); /* a changed random is caught */
        said = g_strdup_printf ("The %s stops first, at step %u (",
                                stops == HL_QUIZ_STOPS_CLIENT ? "client" : "server", where);
        g_assert_nonnull (strstr (d->answer, said));
      } else {
        const HlSuite *suite = hl_suite_by_id (c->suite);
        gboolean by_suite;
        g_assert_nonnull (suite);
        by_suite = suite->kex == HL_KEX_RSA || suite->kex == HL_KEX_ECDH_RSA
                   || suite->kex == HL_KEX_ECDH_ECDSA;
        g_assert_cmpint (d->key_enough, ==, by_suite);
        g_assert_nonnull (
            strstr (d->answer, by_suite ? "private key is enough" : "private key is not enough"));
        /* Each key exchange explained as itself: RSA encrypts the premaster to the key, static
         * ECDH multiplies by it (RFC 5246 F.1.1.2; RFC 4492 2.1, RFC 5246 F.1.1.3). */
        if (suite->kex == HL_KEX_RSA)
          g_assert_nonnull (strstr (d->answer, "7.4.7.1"));
        /* Several connections: the question names the first, and a later psk_ke
         * resumption (no (EC)DHE, RFC 8446 4.2.9) is said to fall with its PSK. */
        g_assert_true ((strstr (d->question, "the first connection") != NULL)
                       == (hl_run_get_n_connections (run) > 1));
        for (guint r = 1; r < hl_run_get_n_connections (run); r++) {
          const HlConnection *rc = hl_run_get_connection (run, r);
          if (rc->version == 0x0304 && rc->resumed && rc->curve <= 0)
            g_assert_nonnull (strstr (d->answer, "it agreed no (EC)DHE"));
        }
        if (suite->kex == HL_KEX_ECDH_RSA || suite->kex == HL_KEX_ECDH_ECDSA) {
          g_assert_nonnull (strstr (d->answer, "fixed key in its certificate"));
          g_assert_null (strstr (d->answer, "encrypted to the server's public key"));
        }
        enough += d->key_enough;
      }
    }
  }
  g_assert_cmpuint (kinds[HL_DISCUSS_CHANGED_RANDOM], >=, 20);
  g_assert_cmpuint (kinds[HL_DISCUSS_WHAT_STOPPED], >=, 5);
  g_assert_cmpuint (kinds[HL_DISCUSS_OBSERVER], >=, 20);
  g_assert_cmpuint (enough, >=, 2); /* RSA and static ECDH lessons */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quiz/every-lesson", test_every_lesson);
  g_test_add_func ("/quiz/scenario-key", test_quiz_key);
  g_test_add_func ("/quiz/edited", test_edited);
  g_test_add_func ("/quiz/discussion", test_discussion);
  return g_test_run ();
}
