/* hl-quiz-dialog.c: the quiz, one question at a time (hl-quiz-dialog.h). */
#include "hl-quiz-dialog.h"

#include <glib/gi18n.h>

#include "hl-quiz.h"
#include "hl-recorded.h"
#include "hl-window-private.h"

struct _HlQuizDialog {
  AdwWindow parent_instance;
  HlWindow *window; /* weak: the dialog is its transient child */
  HlQuiz *quiz;
  char *edits; /* the person's changes the quiz was made with (edits_key); NULL: none */
  guint current, score, n_answered;
  gboolean answered;
  GtkLabel *progress, *question, *feedback;
  GtkBox *choices;
  GtkButton *next;
  char *feedback_text;
};

G_DEFINE_FINAL_TYPE (HlQuizDialog, hl_quiz_dialog, ADW_TYPE_WINDOW)

static void
hl_quiz_dialog_finalize (GObject *object)
{
  HlQuizDialog *self = HL_QUIZ_DIALOG (object);
  g_clear_pointer (&self->quiz, hl_quiz_free);
  g_free (self->edits);
  g_clear_weak_pointer (&self->window);
  g_free (self->feedback_text);
  G_OBJECT_CLASS (hl_quiz_dialog_parent_class)->finalize (object);
}

static void
hl_quiz_dialog_class_init (HlQuizDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_quiz_dialog_finalize;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close",
                                       NULL);
}

static void
hl_quiz_dialog_init (HlQuizDialog *self)
{
}

guint
hl_quiz_dialog_get_n_questions (HlQuizDialog *self)
{
  return hl_quiz_get_n_questions (self->quiz);
}

guint
hl_quiz_dialog_get_current (HlQuizDialog *self)
{
  return self->current;
}

guint
hl_quiz_dialog_get_score (HlQuizDialog *self)
{
  return self->score;
}

const HlQuizQuestion *
hl_quiz_dialog_get_question (HlQuizDialog *self)
{
  return hl_quiz_get_question (self->quiz, self->current);
}

guint
hl_quiz_dialog_get_answer (HlQuizDialog *self)
{
  const HlQuizQuestion *q = hl_quiz_get_question (self->quiz, self->current);
  return q ? q->answer : 0;
}

const char *
hl_quiz_dialog_get_feedback (HlQuizDialog *self)
{
  return self->feedback_text;
}

/* The person's changes to messages in the window's run, as a key to compare: NULL when
 * there are none. */
static char *
edits_key (HlWindow *window)
{
  const HlRun *run = hl_session_get_run (window->session);
  GString *key;
  if (!run || hl_run_get_n_edits (run) == 0)
    return NULL;
  key = g_string_new (NULL);
  for (guint i = 0; i < hl_run_get_n_edits (run); i++) {
    const HlEdit *e = hl_run_get_edit (run, i);
    g_string_append_printf (key, "%u/%d/%s/%u/%d/%u/%u;", e->connection, e->from, e->message,
                            e->nth, e->drop, e->wire ? g_bytes_hash (e->wire) : 0,
                            e->plaintext ? g_bytes_hash (e->plaintext) : 0);
  }
  return g_string_free (key, FALSE);
}

/* The index of the first question of `kind` about step (from 0); n when there is none. */
static guint
find_question (HlQuiz *quiz, HlQuizKind kind, guint step)
{
  guint n = hl_quiz_get_n_questions (quiz);
  for (guint i = 0; i < n; i++) {
    const HlQuizQuestion *q = hl_quiz_get_question (quiz, i);
    if (q->kind == kind && q->step == step)
      return i;
  }
  return n;
}

static void show_question (HlQuizDialog *self);

/* The quiz made again when the person changed messages since it was made: from the run
 * run again with those changes (hl_quiz_new_edited), so that the questions about a change
 * still in flight are asked, answered by what it does, before it is delivered. The
 * current question stays the same question (kind and step) in the new quiz. */
static void
sync_edits (HlQuizDialog *self)
{
  g_autofree char *key = NULL;
  const HlQuizQuestion *q = hl_quiz_get_question (self->quiz, self->current);
  HlQuiz *quiz;
  guint at;
  if (!self->window || !q)
    return;
  key = edits_key (self->window);
  if (g_strcmp0 (key, self->edits) == 0)
    return;
  quiz = hl_quiz_new_edited (hl_session_get_run (self->window->session), NULL);
  if (!quiz)
    return;
  at = find_question (quiz, q->kind, q->step);
  if (at == hl_quiz_get_n_questions (quiz))
    at = find_question (quiz, HL_QUIZ_NEXT_MESSAGE, q->step);
  if (at == hl_quiz_get_n_questions (quiz)) { /* the step is gone: keep the old quiz */
    hl_quiz_free (quiz);
    return;
  }
  hl_quiz_free (self->quiz);
  self->quiz = quiz;
  self->current = at;
  g_free (self->edits);
  self->edits = g_steal_pointer (&key);
  if (!self->answered) /* its choices may differ in the new quiz: show them again */
    show_question (self);
}

/* The window's ladder at the state the question is asked in: before its step for "who
 * sends next" and the questions about a changed message, after it for the others. An
 * answered question delivers its step, unless the next one is still asked before it. */
static void
follow (HlQuizDialog *self, const HlQuizQuestion *q, gboolean answered)
{
  const HlQuizQuestion *after = hl_quiz_get_question (self->quiz, self->current + 1);
  HlSession *s;
  guint want;
  if (!self->window)
    return;
  s = self->window->session;
  want = q->step + (hl_quiz_asked_before_step (q) && !answered ? 0 : 1);
  if (answered && after && after->step == q->step && hl_quiz_asked_before_step (after))
    want = q->step;
  while (hl_session_get_position (s) < want && hl_session_step (s))
    ;
  _hl_window_update (self->window);
}

static void on_choice_clicked (GtkButton *button, HlQuizDialog *self);

static void
show_question (HlQuizDialog *self)
{
  const HlQuizQuestion *q = hl_quiz_get_question (self->quiz, self->current);
  GtkWidget *child;
  g_autofree char *progress = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->choices))))
    gtk_box_remove (self->choices, child);
  self->answered = FALSE;
  gtk_label_set_text (self->feedback, "");
  if (!q) {
    g_autofree char *done
        = g_strdup_printf (_ ("Done: %u of %u right."), self->score, self->n_answered);
    gtk_label_set_text (self->progress, "");
    gtk_label_set_text (self->question, done);
    gtk_widget_set_sensitive (GTK_WIDGET (self->next), FALSE);
    return;
  }
  progress = g_strdup_printf (_ ("Question %u of %u \u00b7 %u right so far"), self->current + 1,
                              hl_quiz_get_n_questions (self->quiz), self->score);
  gtk_label_set_text (self->progress, progress);
  gtk_label_set_text (self->question, q->question);
  for (guint i = 0; i < q->choices->len; i++) {
    GtkWidget *b = gtk_button_new_with_label (g_ptr_array_index (q->choices, i));
    GtkWidget *label = gtk_button_get_child (GTK_BUTTON (b));
    /* A check's name is long: it wraps rather than widen the dialog past a phone's width,
     * over the button's whole width, from its start. */
    gtk_label_set_wrap (GTK_LABEL (label), TRUE);
    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_widget_add_css_class (b, "quiz-choice");
    g_object_set_data (G_OBJECT (b), "choice", GUINT_TO_POINTER (i));
    g_signal_connect (b, "clicked", G_CALLBACK (on_choice_clicked), self);
    gtk_box_append (self->choices, b);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->next), FALSE);
  follow (self, q, FALSE);
}

gboolean
hl_quiz_dialog_choose (HlQuizDialog *self, guint i)
{
  const HlQuizQuestion *q = hl_quiz_get_question (self->quiz, self->current);
  gboolean right;
  guint k = 0;
  if (!q || self->answered || i >= q->choices->len)
    return FALSE;
  right = i == q->answer;
  self->answered = TRUE;
  self->score += right;
  self->n_answered++;
  g_free (self->feedback_text);
  self->feedback_text
      = right ? g_strdup_printf (_ ("\u2713 Right. %s"), q->explanation)
              : g_strdup_printf (_ ("\u2717 The answer is %s. %s"),
                                 (const char *)g_ptr_array_index (q->choices, q->answer),
                                 q->explanation);
  gtk_label_set_text (self->feedback, self->feedback_text);
  for (GtkWidget *b = gtk_widget_get_first_child (GTK_WIDGET (self->choices)); b;
       b = gtk_widget_get_next_sibling (b), k++) {
    gtk_widget_set_sensitive (b, FALSE);
    if (k == q->answer)
      gtk_widget_add_css_class (b, "success");
    else if (k == i)
      gtk_widget_add_css_class (b, "error");
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->next), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->next));
  /* Before delivering: a change made in the window meanwhile gets its questions first. */
  sync_edits (self);
  follow (self, hl_quiz_get_question (self->quiz, self->current), TRUE);
  return right;
}

static void
on_choice_clicked (GtkButton *button, HlQuizDialog *self)
{
  hl_quiz_dialog_choose (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "choice")));
}

void
hl_quiz_dialog_next (HlQuizDialog *self)
{
  if (self->current >= hl_quiz_get_n_questions (self->quiz))
    return;
  self->current++;
  show_question (self);
}

static void
on_next_clicked (GtkButton *button, HlQuizDialog *self)
{
  hl_quiz_dialog_next (self);
}

static GtkLabel *
make_label (GtkBox *box, const char *css)
{
  GtkWidget *l = gtk_label_new ("");
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  if (css)
    gtk_widget_add_css_class (l, css);
  gtk_box_append (box, l);
  return GTK_LABEL (l);
}

static void on_dialog_destroy (HlQuizDialog *self);

/* restart: the lesson as written, from its start; else the window's run where it stands,
 * with the person's changes. */
static HlQuizDialog *
create (HlWindow *window, gboolean restart, GError **error)
{
  const HlRun *run = hl_session_get_run (window->session);
  const HlScenario *sc = run ? hl_run_get_scenario (run) : NULL;
  g_autoptr (HlRun) fresh = NULL;
  HlQuiz *quiz;
  HlQuizDialog *self;
  GtkWidget *outer, *box, *header, *scroller;
  if (!sc) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("No lesson is loaded"));
    return NULL;
  }
  if (hl_run_is_recorded (run)) {
    /* A recording cannot be run again apart from the window's own run. */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _ ("The quiz in the window is made from a lesson; for a capture, the command "
                    "line writes it (handshake-lab --quiz=- CAPTURE)"));
    return NULL;
  }
  if (restart) {
    /* The quiz is the lesson as written: the window starts it again, without changes. */
    fresh = hl_run_new_checked (sc, error);
    if (!fresh)
      return NULL;
    quiz = hl_quiz_new (fresh);
    hl_session_restart (window->session);
  } else {
    quiz = hl_quiz_new_edited (run, error);
    if (!quiz)
      return NULL;
  }
  self = g_object_new (HL_TYPE_QUIZ_DIALOG, "transient-for", window, "default-width", 560,
                       "default-height", 520, "title", _ ("Quiz"), NULL);
  g_set_weak_pointer (&self->window, window);
  g_signal_connect (self, "destroy", G_CALLBACK (on_dialog_destroy), NULL);
  self->quiz = quiz;
  self->edits = restart ? NULL : edits_key (window);
  outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  self->next = GTK_BUTTON (gtk_button_new_with_mnemonic (_ ("_Next Question")));
  gtk_widget_add_css_class (GTK_WIDGET (self->next), "suggested-action");
  g_signal_connect (self->next, "clicked", G_CALLBACK (on_next_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->next));
  gtk_box_append (GTK_BOX (outer), header);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);
  self->progress = make_label (GTK_BOX (box), "dim-label");
  self->question = make_label (GTK_BOX (box), "title-4");
  self->choices = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->choices));
  self->feedback = make_label (GTK_BOX (box), NULL);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (outer), scroller);
  adw_window_set_content (ADW_WINDOW (self), outer);
  if (restart)
    show_question (self);
  _hl_window_update (window); /* its "Next:" line hides what the quiz asks */
  return self;
}

HlQuizDialog *
hl_quiz_dialog_new (HlWindow *window, GError **error)
{
  return create (window, TRUE, error);
}

static HlQuizDialog *
find_dialog (HlWindow *window)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++) {
    g_autoptr (GObject) w = g_list_model_get_item (tops, i);
    if (HL_IS_QUIZ_DIALOG (w)
        && gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (window))
      return HL_QUIZ_DIALOG (w);
  }
  return NULL;
}

gboolean
hl_quiz_dialog_ask_before_delivery (HlWindow *window)
{
  HlSession *s = window->session;
  guint p = hl_session_get_position (s), caught, which;
  const HlQuizQuestion *q;
  HlQuizDialog *self;
  gboolean made = FALSE;
  if (!hl_quiz_dialog_get_mode (window) || !hl_session_next_is_edited (s)
      || hl_session_is_recorded (s))
    return FALSE;
  self = find_dialog (window);
  if (self)
    sync_edits (self);
  else if ((self = create (window, FALSE, NULL)))
    made = TRUE;
  else
    return FALSE;
  caught = find_question (self->quiz, HL_QUIZ_CAUGHT, p);
  which = find_question (self->quiz, HL_QUIZ_WHICH_CHECK, p);
  q = hl_quiz_get_question (self->quiz, self->current);
  if (which == hl_quiz_get_n_questions (self->quiz)
      || (q && q->step == p
          && (self->current > which || (self->current == which && self->answered)))) {
    if (made)
      gtk_window_destroy (GTK_WINDOW (self));
    return FALSE; /* asked already (or nothing to ask): deliver */
  }
  /* "Who sends next?" still open on this step is asked first; then the three questions
   * (also when Back or a change to an earlier step left the quiz ahead of the window). */
  if (!(q && q->step == p && self->current >= caught)
      && !(q && q->kind == HL_QUIZ_NEXT_MESSAGE && q->step == p && !self->answered)) {
    self->current = caught;
    show_question (self);
  } else if (made)
    show_question (self);
  _hl_window_note (window, _ ("Quiz: predict what your change does before it is delivered"));
  gtk_window_present (GTK_WINDOW (self));
  return TRUE;
}

static gboolean
open_quiz_later (gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr (GtkWidget) window = g_weak_ref_get (ref);
  if (window)
    gtk_widget_activate_action (window, "win.quiz", NULL);
  return G_SOURCE_REMOVE;
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

void
hl_quiz_dialog_open_for_lesson (HlWindow *window)
{
  const HlRun *run = hl_session_get_run (window->session);
  GWeakRef *ref;
  if (!run || hl_run_is_recorded (run)
      || !(hl_run_get_scenario (run)->quiz || hl_quiz_dialog_get_mode (window)))
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, window);
  g_idle_add_full (G_PRIORITY_LOW, open_quiz_later, ref, free_weak_ref);
}

/* win.quiz: the quiz for the lesson in the window. */
static void
quiz_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *win = HL_WINDOW (w);
  g_autoptr (GError) error = NULL;
  HlQuizDialog *dialog = hl_quiz_dialog_new (win, &error);
  if (!dialog) {
    _hl_window_say (win, error->message);
    return;
  }
  _hl_window_note (win, _ ("Quiz"));
  gtk_window_present (GTK_WINDOW (dialog));
}

const char *
hl_quiz_dialog_instead_of_prediction (GtkWindow *parent)
{
  if (!parent || !HL_IS_WINDOW (parent) || !hl_quiz_dialog_get_mode (HL_WINDOW (parent)))
    return NULL;
  return _ ("Quiz Mode is on: predict it yourself. When you step, the quiz asks whether the "
            "change is caught, who stops and by which check, before it is delivered.");
}

gboolean
hl_quiz_dialog_is_open (HlWindow *window)
{
  return find_dialog (window) != NULL;
}

/* The window's "Next:" line hides its answer while a quiz is open, and shows it again once
 * the quiz is gone (out of the toplevels by the next idle). */
static gboolean
update_window_later (gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr (HlWindow) window = g_weak_ref_get (ref);
  if (window)
    _hl_window_update (window);
  return G_SOURCE_REMOVE;
}

static void
on_dialog_destroy (HlQuizDialog *self)
{
  GWeakRef *ref;
  if (!self->window)
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self->window);
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_window_later, ref, free_weak_ref);
}

gboolean
hl_quiz_dialog_get_mode (HlWindow *window)
{
  GAction *a = g_action_map_lookup_action (G_ACTION_MAP (window), "quiz-mode");
  g_autoptr (GVariant) state = a ? g_action_get_state (a) : NULL;
  return state && g_variant_get_boolean (state);
}

/* win.quiz-mode turned on: the lesson in the window opens into its quiz now, and every
 * lesson loaded after it too; off: the window's open quizzes close. */
static void
on_quiz_mode_changed (GSimpleAction *action, GVariant *value, gpointer data)
{
  HlWindow *window = data;
  GListModel *tops = gtk_window_get_toplevels ();
  g_simple_action_set_state (action, value);
  if (g_variant_get_boolean (value)) {
    if (hl_session_get_n_edits (window->session) > 0 && !hl_session_is_recorded (window->session)) {
      /* The person's changes are kept: the quiz starts where the lesson stands. */
      HlQuizDialog *self = create (window, FALSE, NULL);
      guint p = hl_session_get_position (window->session);
      if (self) {
        while (self->current < hl_quiz_get_n_questions (self->quiz)
               && hl_quiz_get_question (self->quiz, self->current)->step < p)
          self->current++;
        show_question (self);
        _hl_window_note (window, _ ("Quiz"));
        gtk_window_present (GTK_WINDOW (self));
      }
    } else if (hl_session_get_run (window->session))
      gtk_widget_activate_action (GTK_WIDGET (window), "win.quiz", NULL);
    return;
  }
  for (guint i = g_list_model_get_n_items (tops); i > 0; i--) {
    g_autoptr (GObject) w = g_list_model_get_item (tops, i - 1);
    if (HL_IS_QUIZ_DIALOG (w)
        && gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (window))
      gtk_window_destroy (GTK_WINDOW (w));
  }
}

void
hl_quiz_dialog_add_mode_action (HlWindow *window)
{
  GSimpleAction *a
      = g_simple_action_new_stateful ("quiz-mode", NULL, g_variant_new_boolean (FALSE));
  g_signal_connect_object (a, "change-state", G_CALLBACK (on_quiz_mode_changed), window, 0);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (a));
  g_object_unref (a);
}

void
hl_quiz_dialog_install_action (GtkWidgetClass *window_class)
{
  gtk_widget_class_install_action (window_class, "win.quiz", NULL, quiz_action);
}
