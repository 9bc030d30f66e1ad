/* hl-quiz.h: a quiz made from a run (issue 20, "Quiz mode").
 *
 * Every question and its answer is read off the run itself, never from a table per
 * lesson, so every lesson and every capture has a quiz:
 * - before each step: who sends next, and which message (the other choices are messages
 *   the same connection really carries);
 * - after a step that gives a side a new key-schedule secret: who holds it now;
 * - after a message a [Fault] or a tamper changed: will the handshake still complete, and
 *   which side stops first?
 */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

typedef enum {
  HL_QUIZ_NEXT_MESSAGE, /* asked before step: who sends it, and which message */
  HL_QUIZ_WHO_HOLDS,    /* asked after step: which side holds a secret */
  HL_QUIZ_CAUGHT,       /* asked after step: a changed message; does the connection complete */
  HL_QUIZ_WHO_STOPS,    /* asked after step: a changed message; which side stops first */
} HlQuizKind;

/* The answers of HL_QUIZ_WHO_STOPS, in their order among the choices. */
typedef enum {
  HL_QUIZ_STOPS_CLIENT,
  HL_QUIZ_STOPS_SERVER,
  HL_QUIZ_STOPS_NEITHER,
} HlQuizStops;

/* Which side of step's connection first has an error, at or after step (index from 0):
 * HL_QUIZ_STOPS_NEITHER when none does; *at: that step. */
HlQuizStops hl_quiz_first_to_stop (HlRun *run, guint step, guint *at);

/* The four answers of HL_QUIZ_WHO_HOLDS, in their order among the choices. */
typedef enum {
  HL_QUIZ_HOLDS_CLIENT,
  HL_QUIZ_HOLDS_SERVER,
  HL_QUIZ_HOLDS_BOTH,
  HL_QUIZ_HOLDS_NEITHER,
} HlQuizHolds;

typedef struct {
  HlQuizKind kind;
  guint step;         /* the step it is about, from 0 */
  HlSecretId secret;  /* HL_QUIZ_WHO_HOLDS: which secret */
  char *question;     /* for people */
  GPtrArray *choices; /* char*: NEXT_MESSAGE "server → client: ServerHello" */
  guint answer;       /* index of the right choice */
  char *explanation;  /* why, from the run */
} HlQuizQuestion;

typedef struct _HlQuiz HlQuiz;

/* The run is stepped to its end first. */
HlQuiz *hl_quiz_new (HlRun *run);
void hl_quiz_free (HlQuiz *quiz);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlQuiz, hl_quiz_free)

guint hl_quiz_get_n_questions (const HlQuiz *quiz);
const HlQuizQuestion *hl_quiz_get_question (const HlQuiz *quiz, guint i); /* from 0 */

/* The choice label of a step: "client → server: ClientHello". */
char *hl_quiz_step_label (const HlStep *step);

/* Markdown: the questions with lettered choices, then, under "Answers", each answer and
 * its explanation (a teacher's page). */
char *hl_quiz_to_markdown (const HlQuiz *quiz);

G_END_DECLS
