/* hl-quiz-dialog.h: the quiz in the window (issue 20): the questions of hl-quiz.h one at a
 * time, immediate feedback with the explanation, a score at the end. The window's ladder
 * follows: each "who sends next?" is asked before that step is delivered, and answering
 * delivers it. */
#pragma once

#include <adwaita.h>

#include "hl-quiz.h"
#include "hl-window.h"

G_BEGIN_DECLS

#define HL_TYPE_QUIZ_DIALOG (hl_quiz_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlQuizDialog, hl_quiz_dialog, HL, QUIZ_DIALOG, AdwWindow)

/* Restarts the window's lesson (undoing changes to messages) and asks the first question.
 * NULL with error when no lesson is loaded. */
HlQuizDialog *hl_quiz_dialog_new (HlWindow *window, GError **error);

guint hl_quiz_dialog_get_n_questions (HlQuizDialog *self);
guint hl_quiz_dialog_get_current (HlQuizDialog *self); /* from 0; n when done */
guint hl_quiz_dialog_get_score (HlQuizDialog *self);
/* The current question (NULL when done). */
const HlQuizQuestion *hl_quiz_dialog_get_question (HlQuizDialog *self);
/* The right choice of the current question (for tests and the feedback). */
guint hl_quiz_dialog_get_answer (HlQuizDialog *self);
/* Answers the current question as a click on choice i would; TRUE when right. */
gboolean hl_quiz_dialog_choose (HlQuizDialog *self, guint i);
/* On to the next question (as the Next button). */
void hl_quiz_dialog_next (HlQuizDialog *self);
const char *hl_quiz_dialog_get_feedback (HlQuizDialog *self);

/* Quiz Mode is on and the message in flight carries the person's own change: instead of
 * delivering it, the window's quiz (opened where the lesson stands if it was closed) asks
 * whether the connection still completes, which side stops first and which check catches
 * it, answered from the run run again with the change; answering the last delivers it.
 * TRUE when the quiz took over the step; FALSE: deliver as usual (Quiz Mode off, no
 * change, or its questions answered already). */
gboolean hl_quiz_dialog_ask_before_delivery (HlWindow *window);

/* What a tamper dialog over `parent` says instead of its prediction of what a change
 * breaks, while Quiz Mode is on (the quiz asks that before the change is delivered); NULL
 * when the prediction is to be shown. */
const char *hl_quiz_dialog_instead_of_prediction (GtkWindow *parent);

/* A [Scenario] Quiz=true lesson just loaded in window: its quiz opens once the window is
 * shown (from the main loop, so the window comes first). */
void hl_quiz_dialog_open_for_lesson (HlWindow *window);

/* Adds the stateful win.quiz-mode (the main menu's "Quiz Mode", a teacher's switch) to
 * window: on, every lesson it loads opens into its quiz, as [Scenario] Quiz=true does; the
 * lesson in the window opens into its quiz at once, started again, or, when the person
 * has changed messages, where it stands with those changes kept. */
void hl_quiz_dialog_add_mode_action (HlWindow *window);
gboolean hl_quiz_dialog_get_mode (HlWindow *window);
/* A quiz is open over the window: what it asks ("who sends next?") is not shown beside it. */
gboolean hl_quiz_dialog_is_open (HlWindow *window);

/* Installs win.quiz on the window's class. */
void hl_quiz_dialog_install_action (GtkWidgetClass *window_class);

G_END_DECLS
