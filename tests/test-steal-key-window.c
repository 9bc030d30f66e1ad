/* Issue 20's two dialogs in the window, under a display.
 *
 * "Steal the Server's Key": the main menu's
 * action opens the report for the lesson in the window (RSA: opened, with the data in
 * clear; TLS 1.3: closed, with the signature checked), leaves the window's own run where
 * it was, and exports the capture without secrets and the key. Screenshots of the dialog
 * are saved as test artifacts (steal-key-artifacts/).
 *
 * "Quiz…": every question of a lesson answered (right, then wrong on a second pass), the
 * score counts exactly the right ones, and the window's ladder follows the questions: a
 * "who sends next?" is asked with that step not yet delivered, and answering delivers it;
 * a [Fault] lesson's questions about its changed message are asked before it is delivered.
 * With Quiz Mode on, a person's own change to the message in flight is predicted before
 * it is delivered: does the connection complete, who stops, which check catches it. */
#include <string.h>

#include "hl-application.h"
#include "hl-field-dialog.h"
#include "hl-quiz-dialog.h"
#include "hl-quiz.h"
#include "hl-steal-key-dialog.h"
#include "hl-tamper-dialog.h"
#include "hl-test-util.h"
#include "hl-window-private.h"
#include "hl-test-window.h"

static HlApplication *app;
static char *artifacts;

/* The shared helpers (hl-test-window.c), under this file's names. */
#define wait_for_frame(w) hl_test_wait_for_frame (w)
#define screenshot(w, name) hl_test_screenshot ((w), artifacts, (name))

#define open_window(lesson) hl_test_open_lesson (app, (lesson), 1400, 860)

/* The dialog the action opened over win. */
static HlStealKeyDialog *
find_dialog (HlWindow *win)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++) {
    g_autoptr (GObject) w = g_list_model_get_item (tops, i);
    if (HL_IS_STEAL_KEY_DIALOG (w)
        && gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (win))
      return HL_STEAL_KEY_DIALOG (w);
  }
  return NULL;
}

static HlStealKeyDialog *
steal (HlWindow *win)
{
  HlStealKeyDialog *d;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.steal-key", NULL));
  d = find_dialog (win);
  g_assert_nonnull (d);
  wait_for_frame (GTK_WIDGET (d));
  return d;
}

static void
test_rsa (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlStealKeyDialog *d;
  const char *text;
  g_autofree char *folder = g_build_filename (artifacts, "export-01", NULL);
  g_autoptr (GFile) dir = g_file_new_for_path (folder);
  g_autoptr (GError) error = NULL;
  g_autofree char *pem = NULL, *want = NULL, *key_file = NULL, *capture = NULL, *bytes = NULL;
  g_autofree char *key_source = hl_test_source_path ("assets/pki/server-rsa.key");
  gsize len = 0;
  /* Two steps in: stealing the key runs the lesson apart and leaves the window's run. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  d = steal (win);
  text = hl_steal_key_dialog_get_text (d);
  g_assert_nonnull (strstr (text, "OPENED by the stolen key"));
  g_assert_nonnull (strstr (text, "client \u2192 server: \"GET / HTTP/1.1"));
  g_assert_nonnull (strstr (text, "RFC 5246 F.1.1.2"));
  /* Wireshark opens RSA key exchange with the key (its RSA keys list). */
  g_assert_nonnull (strstr (hl_steal_key_dialog_describe_export (d), "RSA keys list"));
  g_assert_cmpuint (hl_run_get_n_steps (hl_session_get_run (win->session)), ==, 2);
  screenshot (GTK_WIDGET (d), "steal-key-01-rsa.png");
  g_mkdir_with_parents (folder, 0755);
  g_assert_true (hl_steal_key_dialog_export (d, dir, &error));
  g_assert_no_error (error);
  key_file = g_build_filename (folder, "server-key.pem", NULL);
  capture = g_build_filename (folder, "capture-without-secrets.pcapng", NULL);
  g_assert_true (g_file_get_contents (key_file, &pem, NULL, NULL));
  g_assert_true (g_file_get_contents (key_source, &want, NULL, NULL));
  g_assert_cmpstr (pem, ==, want);
  g_assert_true (g_file_get_contents (capture, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  gtk_window_destroy (GTK_WINDOW (d));
  gtk_window_destroy (GTK_WINDOW (win));
}

static void
test_tls13 (void)
{
  HlWindow *win = open_window ("30-tls13-basic");
  HlStealKeyDialog *d = steal (win);
  const char *text = hl_steal_key_dialog_get_text (d);
  g_assert_nonnull (strstr (text, "stays closed: forward secrecy"));
  g_assert_nonnull (strstr (text, "CertificateVerify's signature (rsa_pss_rsae_sha256) verifies"));
  g_assert_null (strstr (text, "OPENED"));
  g_assert_null (strstr (text, "GET /"));
  /* ...and nothing else: TLS 1.3 needs a key log (seventeenth reading). */
  g_assert_nonnull (
      strstr (hl_steal_key_dialog_describe_export (d), "Wireshark opens none of these"));
  g_assert_null (strstr (hl_steal_key_dialog_describe_export (d), "RSA keys list"));
  screenshot (GTK_WIDGET (d), "steal-key-30-tls13.png");
  gtk_window_destroy (GTK_WINDOW (d));
  gtk_window_destroy (GTK_WINDOW (win));
}

static HlQuizDialog *
find_quiz (HlWindow *win)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++) {
    g_autoptr (GObject) w = g_list_model_get_item (tops, i);
    if (HL_IS_QUIZ_DIALOG (w) && gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (win))
      return HL_QUIZ_DIALOG (w);
  }
  return NULL;
}

/* Answers every question, right or (when wrong is set) wrong, checking the ladder. */
static void
answer_all (HlWindow *win, gboolean wrong, const char *shot, guint expect_faults)
{
  HlQuizDialog *d;
  HlSession *s = win->session;
  guint n, right = 0, faults = 0;
  g_autoptr (HlRun) run = NULL;
  g_autoptr (HlQuiz) quiz = NULL;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.quiz", NULL));
  d = find_quiz (win);
  g_assert_nonnull (d);
  /* The same quiz made here, to know which question comes next. */
  run = hl_run_new (hl_run_get_scenario (hl_session_get_run (s)));
  quiz = hl_quiz_new (run);
  wait_for_frame (GTK_WIDGET (d));
  n = hl_quiz_dialog_get_n_questions (d);
  g_assert_cmpuint (n, >, hl_session_get_n_steps (s) / 2);
  g_assert_cmpuint (hl_session_get_position (s), ==, 0); /* started again */
  for (guint i = 0; i < n; i++) {
    guint answer = hl_quiz_dialog_get_answer (d);
    guint pick = wrong ? (answer == 0 ? 1 : 0) : answer;
    const HlQuizQuestion *q = hl_quiz_dialog_get_question (d);
    const HlQuizQuestion *after = hl_quiz_get_question (quiz, i + 1);
    gboolean before = q->kind == HL_QUIZ_NEXT_MESSAGE || q->kind == HL_QUIZ_CAUGHT
                      || q->kind == HL_QUIZ_WHO_STOPS || q->kind == HL_QUIZ_WHICH_CHECK;
    gboolean stays = after && after->step == q->step && after->kind != HL_QUIZ_WHO_HOLDS
                     && after->kind != HL_QUIZ_NEXT_MESSAGE;
    g_assert_cmpuint (hl_quiz_dialog_get_current (d), ==, i);
    /* "Who sends next" and the questions about a changed message with that step still to
     * come; every other question after it. */
    g_assert_cmpuint (hl_session_get_position (s), ==, q->step + (before ? 0 : 1));
    faults += q->kind == HL_QUIZ_WHICH_CHECK;
    right += hl_quiz_dialog_choose (d, pick);
    g_assert_nonnull (strstr (hl_quiz_dialog_get_feedback (d), wrong ? "\u2717" : "\u2713"));
    /* answered: delivered, unless a question about the change still comes */
    g_assert_cmpuint (hl_session_get_position (s), ==, q->step + (stays ? 0 : 1));
    if (i == 1 && shot)
      screenshot (GTK_WIDGET (d), shot);
    hl_quiz_dialog_next (d);
  }
  g_assert_cmpuint (hl_quiz_dialog_get_current (d), ==, n);
  g_assert_cmpuint (hl_quiz_dialog_get_score (d), ==, right);
  g_assert_cmpuint (right, ==, wrong ? 0 : n);
  g_assert_true (hl_session_get_finished (s)); /* the ladder went through every step */
  g_assert_cmpuint (faults, ==, expect_faults);
  gtk_window_destroy (GTK_WINDOW (d));
}

/* The first question is asked before step 1 is delivered; answering delivers it. */
static void
test_quiz (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlQuizDialog *d;
  HlWindow *fault = open_window ("20-fault-flipped-finished");
  answer_all (win, FALSE, "quiz-01-answered.png", 0);
  answer_all (win, TRUE, "quiz-01-wrong.png", 0);
  /* A [Fault] lesson: its three questions asked with the changed step still to come. */
  answer_all (fault, FALSE, NULL, 1);
  gtk_window_destroy (GTK_WINDOW (fault));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.quiz", NULL));
  d = find_quiz (win);
  g_assert_cmpuint (hl_session_get_position (win->session), ==, 0);
  wait_for_frame (GTK_WIDGET (d));
  /* "Who sends next?" is asked: the window's "Next:" line does not answer it meanwhile */
  g_assert_null (strstr (gtk_label_get_text (win->next_label), "ClientHello"));
  screenshot (GTK_WIDGET (d), "quiz-01-first.png");
  hl_quiz_dialog_choose (d, hl_quiz_dialog_get_answer (d));
  g_assert_cmpuint (hl_session_get_position (win->session), ==, 1);
  g_assert_false (hl_quiz_dialog_choose (d, 0)); /* answered already */
  g_assert_null (strstr (gtk_label_get_text (win->next_label), "ServerHello"));
  gtk_window_destroy (GTK_WINDOW (d));
  /* the quiz closed: the line says what comes next again */
  wait_for_frame (GTK_WIDGET (win));
  g_assert_nonnull (strstr (gtk_label_get_text (win->next_label), "ServerHello"));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* [Scenario] Quiz=true: the lesson opens into its quiz; a bundled lesson does not. */
static void
test_quiz_lesson (void)
{
  g_autofree char *path = hl_test_write_scenario (
      "[Scenario]\nFormat=1\nTitle=A quiz\nQuiz=true\n[Client]\nVersions=TLS1.2\n"
      "TrustAnchors=assets/pki/root-ca.crt\nServerName=server.example\n[Server]\n"
      "CertificateChain=assets/pki/server-rsa-chain.pem\nPrivateKey=assets/pki/server-rsa.key\n");
  HlWindow *plain = open_window ("01-rsa-key-exchange");
  HlWindow *win = hl_window_new (GTK_APPLICATION (app));
  HlQuizDialog *d;
  gtk_window_set_default_size (GTK_WINDOW (win), 1400, 860);
  g_assert_true (hl_window_load (win, path));
  gtk_window_present (GTK_WINDOW (win));
  wait_for_frame (GTK_WIDGET (win));
  d = find_quiz (win);
  g_assert_nonnull (d);
  g_assert_null (find_quiz (plain));
  g_assert_cmpuint (hl_quiz_dialog_get_current (d), ==, 0);
  gtk_window_destroy (GTK_WINDOW (d));
  gtk_window_destroy (GTK_WINDOW (win));
  gtk_window_destroy (GTK_WINDOW (plain));
}

/* Runs the main loop until nothing is pending (an idle opens a lesson's quiz). */
static void
settle (void)
{
  for (int i = 0; i < 5; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static gboolean
quiz_mode_on (HlWindow *win)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (win), "quiz-mode");
  g_assert_nonnull (state);
  return g_variant_get_boolean (state);
}

/* win.quiz-mode, the teacher's switch in the header bar's main menu: on opens the quiz of
 * the lesson in the window and of every lesson loaded after; off closes it. */
static void
test_quiz_mode (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  g_autofree char *path = hl_test_source_path ("scenarios/30-tls13-basic.scenario");
  GtkPopover *menu;
  HlQuizDialog *d;
  g_assert_false (quiz_mode_on (win));
  g_assert_null (find_quiz (win));
  /* The main menu offers it as a check item. */
  gtk_menu_button_popup (win->main_menu_button);
  menu = gtk_menu_button_get_popover (win->main_menu_button);
  g_assert_nonnull (menu);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.quiz-mode", NULL));
  settle ();
  g_assert_true (quiz_mode_on (win));
  wait_for_frame (GTK_WIDGET (menu));
  screenshot (GTK_WIDGET (menu), "quiz-mode-menu.png");
  gtk_popover_popdown (menu);
  d = find_quiz (win);
  g_assert_nonnull (d);
  g_assert_cmpuint (hl_quiz_dialog_get_current (d), ==, 0);
  g_assert_cmpuint (hl_session_get_position (win->session), ==, 0);
  gtk_window_destroy (GTK_WINDOW (d));
  settle ();
  g_assert_null (find_quiz (win));
  /* Still on: the next lesson loaded opens into its quiz. */
  g_assert_true (hl_window_load (win, path));
  settle ();
  d = find_quiz (win);
  g_assert_nonnull (d);
  g_assert_cmpuint (hl_quiz_dialog_get_current (d), ==, 0);
  g_assert_cmpuint (hl_quiz_dialog_get_question (d)->kind, ==, HL_QUIZ_NEXT_MESSAGE);
  wait_for_frame (GTK_WIDGET (d));
  /* Off: the open quiz closes, and the next lesson opens without one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.quiz-mode", NULL));
  settle ();
  g_assert_false (quiz_mode_on (win));
  g_assert_null (find_quiz (win));
  g_assert_true (hl_window_load (win, path));
  settle ();
  g_assert_null (find_quiz (win));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Flips bit 0 of `field` of the message in flight as the field dialog does (through the
 * session, then win.tamper-done). */
static void
flip_in_flight (HlWindow *win, const char *field)
{
  g_autoptr (GError) error = NULL;
  const HlField *f = hl_field_find_named (hl_session_get_next_fields (win->session), field);
  g_assert_nonnull (f);
  g_assert_true (hl_session_flip_field_bit (win->session, 0, f, 0, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.tamper-done", "s", "changed"));
  g_assert_true (hl_session_next_is_edited (win->session));
}

/* The field dialog (on step 1's client random) and the hex dialog (one byte of the message
 * in flight changed) say what a change will break, except in Quiz Mode, where the quiz asks
 * it: neither gives the answer away. Both closed without changing anything. */
static void
check_predictions (HlWindow *win, gboolean quiz)
{
  HlSession *s = win->session;
  const HlField *f = hl_field_find_named (hl_session_get_step (s, 0)->fields, "random_bytes");
  HlFieldDialog *fd = hl_field_dialog_new (GTK_WINDOW (win), s, 1, f, HL_FIELD_DIALOG_FLIP);
  HlTamperDialog *td;
  HlNextMessage next;
  GtkTextBuffer *buf;
  GtkTextIter it, end;
  g_autofree char *was = NULL;
  guint edits = hl_session_get_n_edits (s), position = hl_session_get_position (s);
  gtk_window_present (GTK_WINDOW (fd));
  wait_for_frame (GTK_WIDGET (fd));
  g_assert_cmpint (strstr (hl_field_dialog_get_prediction (fd), "Quiz Mode is on") != NULL, ==,
                   quiz);
  g_assert_cmpint (strstr (hl_field_dialog_get_prediction (fd), "signature") != NULL
                       || strstr (hl_field_dialog_get_prediction (fd), "record") != NULL
                       || strstr (hl_field_dialog_get_prediction (fd), "Finished") != NULL,
                   ==, !quiz);
  gtk_window_destroy (GTK_WINDOW (fd));
  g_assert_true (hl_session_peek_next (s, &next));
  td = hl_tamper_dialog_new (GTK_WINDOW (win), &next);
  gtk_window_present (GTK_WINDOW (td));
  buf = gtk_text_view_get_buffer (hl_tamper_dialog_get_text_view (td));
  gtk_text_buffer_get_iter_at_line_offset (buf, &it, 1, 0);
  end = it;
  gtk_text_iter_forward_chars (&end, 2);
  was = gtk_text_buffer_get_text (buf, &it, &end, FALSE);
  gtk_text_buffer_delete (buf, &it, &end);
  gtk_text_buffer_insert (buf, &it, strcmp (was, "00") == 0 ? "11" : "00", -1);
  wait_for_frame (GTK_WIDGET (td));
  g_assert_null (hl_tamper_dialog_get_problem (td));
  g_assert_cmpint (strstr (hl_tamper_dialog_get_prediction (td), "Quiz Mode is on") != NULL, ==,
                   quiz);
  g_assert_cmpstr (hl_tamper_dialog_get_prediction (td), !=, "");
  gtk_window_destroy (GTK_WINDOW (td));
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, edits);
  g_assert_cmpuint (hl_session_get_position (s), ==, position);
}

/* Answers the current question with `pick` (or its right answer when pick is -1); checks
 * the feedback and the score. */
static void
answer (HlQuizDialog *d, int pick)
{
  guint score = hl_quiz_dialog_get_score (d);
  guint right = hl_quiz_dialog_get_answer (d);
  guint i = pick < 0 ? right : (guint)pick;
  const HlQuizQuestion *q = hl_quiz_dialog_get_question (d);
  const char *feedback;
  g_autofree char *said = g_strdup (g_ptr_array_index (q->choices, right));
  g_assert_cmpint (hl_quiz_dialog_choose (d, i), ==, i == right);
  feedback = hl_quiz_dialog_get_feedback (d);
  g_assert_cmpuint (hl_quiz_dialog_get_score (d), ==, score + (i == right));
  g_assert_true (
      g_str_has_prefix (feedback, i == right ? "\u2713 Right." : "\u2717 The answer is"));
  if (i != right)
    g_assert_nonnull (strstr (feedback, said));
}

/* The three questions about the change at step p (from 0), asked with it not yet
 * delivered; answered: the completes-question wrong, the others right; the last delivers
 * it. Returns the which-check question's right choice. */
static char *
answer_change (HlWindow *win, HlQuizDialog *d, guint p, const char *shot)
{
  HlSession *s = win->session;
  const HlQuizQuestion *q;
  guint before = hl_quiz_dialog_get_score (d);
  char *check;
  q = hl_quiz_dialog_get_question (d);
  g_assert_cmpuint (q->kind, ==, HL_QUIZ_CAUGHT);
  g_assert_cmpuint (q->step, ==, p);
  g_assert_cmpuint (q->answer, ==, 1); /* lesson 01 does not complete with it */
  g_assert_cmpuint (hl_session_get_position (s), ==, p);
  answer (d, 0);
  g_assert_cmpuint (hl_session_get_position (s), ==, p);
  hl_quiz_dialog_next (d);
  q = hl_quiz_dialog_get_question (d);
  g_assert_cmpuint (q->kind, ==, HL_QUIZ_WHO_STOPS);
  g_assert_cmpuint (q->answer, ==, HL_QUIZ_STOPS_SERVER);
  answer (d, -1);
  g_assert_cmpuint (hl_session_get_position (s), ==, p);
  hl_quiz_dialog_next (d);
  q = hl_quiz_dialog_get_question (d);
  g_assert_cmpuint (q->kind, ==, HL_QUIZ_WHICH_CHECK);
  g_assert_cmpuint (q->step, ==, p);
  g_assert_cmpuint (hl_session_get_position (s), ==, p);
  g_assert_cmpstr (g_ptr_array_index (q->choices, q->choices->len - 1), ==,
                   "None: nothing checks it");
  wait_for_frame (GTK_WIDGET (d));
  if (shot) {
    g_autofree char *behind = g_strconcat ("window-", shot, NULL);
    screenshot (GTK_WIDGET (d), shot);
    wait_for_frame (GTK_WIDGET (win));
    screenshot (GTK_WIDGET (win), behind); /* the ladder: the changed step still to come */
  }
  check = g_strdup (g_ptr_array_index (q->choices, q->answer));
  answer (d, -1);
  g_assert_cmpuint (hl_quiz_dialog_get_score (d), ==, before + 2);
  g_assert_cmpuint (hl_session_get_position (s), ==, p + 1); /* delivered once answered */
  return check;
}

/* Quiz Mode on, lesson 01: the quiz answered up to the client's Finished, a bit of its
 * verify_data flipped (sealed again with the client's keys) and Step pressed: the step
 * waits while the quiz asks about the change; the server's Finished check catches it
 * (RFC 5246 7.4.9). Then, with the quiz closed, a bit of the client random flipped: Step
 * opens the quiz where the lesson stands; nothing signs the random in RSA key exchange,
 * so the server's keys differ and its record check fails first (RFC 5246 8.1, 6.2.3).
 * Quiz Mode off: Step delivers a change at once. */
static void
test_quiz_tamper (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlSession *s = win->session;
  HlQuizDialog *d;
  HlNextMessage next;
  guint p, n, answered = 0;
  g_autofree char *check = NULL, *check2 = NULL;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.quiz-mode", NULL));
  settle ();
  d = find_quiz (win);
  g_assert_nonnull (d);
  /* Up to "who sends next?" on the client's Finished, answered right. */
  for (;;) {
    const HlQuizQuestion *q = hl_quiz_dialog_get_question (d);
    g_assert_true (hl_session_peek_next (s, &next));
    if (q->kind == HL_QUIZ_NEXT_MESSAGE && next.from == HL_SIDE_CLIENT
        && strcmp (next.message, "Finished") == 0)
      break;
    answer (d, -1);
    answered++;
    hl_quiz_dialog_next (d);
  }
  p = hl_session_get_position (s);
  n = hl_quiz_dialog_get_n_questions (d);
  g_assert_true (hl_session_peek_next (s, &next));
  g_assert_cmpstr (next.message, ==, "Finished");
  check_predictions (win, TRUE);
  flip_in_flight (win, "Verify data");
  /* Step waits: the quiz asks "who sends next?" (still open), then about the change. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  g_assert_cmpuint (hl_session_get_position (s), ==, p);
  g_assert_true (find_quiz (win) == d);
  g_assert_cmpuint (hl_quiz_dialog_get_n_questions (d), !=, n); /* made again with the change */
  g_assert_cmpuint (hl_quiz_dialog_get_question (d)->kind, ==, HL_QUIZ_NEXT_MESSAGE);
  answer (d, -1);
  g_assert_cmpuint (hl_session_get_position (s), ==, p); /* not delivered yet */
  hl_quiz_dialog_next (d);
  check = answer_change (win, d, p, "quiz-tamper-which-check.png");
  g_assert_cmpstr (check, ==, "The server's check of the client's Finished (verify_data)");
  g_assert_nonnull (strstr (hl_quiz_dialog_get_feedback (d), "MISMATCH"));
  wait_for_frame (GTK_WIDGET (d));
  screenshot (GTK_WIDGET (d), "quiz-tamper-feedback.png");
  /* The ladder then shows what the quiz said: the server stops at that step. */
  g_assert_cmpint (hl_session_get_step (s, p)->after[HL_SIDE_SERVER].error, !=, 0);
  g_assert_cmpuint (hl_quiz_dialog_get_score (d), ==, answered + 1 + 2);
  gtk_window_destroy (GTK_WINDOW (d));

  /* The quiz closed, Quiz Mode still on: a change to the ClientHello's random. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.restart", NULL));
  g_assert_null (find_quiz (win));
  flip_in_flight (win, "random_bytes");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  d = find_quiz (win);
  g_assert_nonnull (d);
  g_assert_cmpuint (hl_quiz_dialog_get_question (d)->kind, ==, HL_QUIZ_NEXT_MESSAGE);
  answer (d, -1);
  hl_quiz_dialog_next (d);
  /* Step again while a question about the change is open: still nothing delivered. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  check2 = answer_change (win, d, 0, NULL);
  g_assert_cmpstr (check2, ==,
                   "The server's record check (MAC or AEAD tag) of the client's Finished");
  g_assert_cmpuint (hl_quiz_dialog_get_score (d), ==, 1 + 2);
  gtk_window_destroy (GTK_WINDOW (d));

  /* Quiz Mode off: Step delivers the change at once, and no quiz opens. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.quiz-mode", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.restart", NULL));
  flip_in_flight (win, "random_bytes");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  g_assert_cmpuint (hl_session_get_position (s), ==, 1);
  settle ();
  g_assert_null (find_quiz (win));
  check_predictions (win, FALSE);
  /* Quiz Mode turned on now keeps that change: the quiz starts where the lesson stands. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.quiz-mode", NULL));
  settle ();
  d = find_quiz (win);
  g_assert_nonnull (d);
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 1);
  g_assert_cmpuint (hl_session_get_position (s), ==, 1);
  g_assert_cmpuint (hl_quiz_dialog_get_question (d)->step, >=, 1);
  g_assert_cmpuint (hl_quiz_dialog_get_question (d)->kind, ==, HL_QUIZ_NEXT_MESSAGE);
  gtk_window_destroy (GTK_WINDOW (d));
  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int argc, char **argv)
{
  int status;
  if (!hl_test_window_init (&argc, &argv, "steal-key-artifacts", &artifacts, &app)) {
    g_print ("1..0 # SKIP no display\n");
    return 0;
  }
  g_test_add_func ("/steal-key-window/rsa", test_rsa);
  g_test_add_func ("/steal-key-window/tls13", test_tls13);
  g_test_add_func ("/quiz-window/every-question", test_quiz);
  g_test_add_func ("/quiz-window/quiz-lesson", test_quiz_lesson);
  g_test_add_func ("/quiz-window/quiz-mode", test_quiz_mode);
  g_test_add_func ("/quiz-window/tamper", test_quiz_tamper);
  status = g_test_run ();
  g_object_unref (app);
  g_free (artifacts);
  return status;
}
