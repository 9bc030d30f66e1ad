/* hl-quiz.h: a quiz made from a run (issue 20, "Quiz mode").
 *
 * Every question and its answer is read off the run itself, never from a table per
 * lesson, so every lesson and every capture has a quiz:
 * - before each step: who sends next, and which message (the other choices are messages
 *   the same connection really carries);
 * - after a step that gives a side a new key-schedule secret: who holds it now;
 * - about a message a [Fault] or a tamper changed (asked before it is delivered, as its
 *   outcome would give the answers away): will the handshake still complete, which side
 *   stops first, and which check catches it?
 */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

typedef enum {
  HL_QUIZ_NEXT_MESSAGE, /* asked before step: who sends it, and which message */
  HL_QUIZ_WHO_HOLDS,    /* asked after step: which side holds a secret */
  HL_QUIZ_CAUGHT,       /* a changed message: does the connection complete */
  HL_QUIZ_WHO_STOPS,    /* a changed message: which side stops first */
  HL_QUIZ_WHICH_CHECK,  /* a changed message: which check catches it */
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

/* The checks HL_QUIZ_WHICH_CHECK names: a side (the checker) checking a message of the
 * other. */
typedef enum {
  HL_QUIZ_CHECK_NONE,        /* nothing stops the connection */
  HL_QUIZ_CHECK_RECORD,      /* the record's MAC or AEAD tag (RFC 5246 6.2.3, RFC 8446 5.2) */
  HL_QUIZ_CHECK_FINISHED,    /* a Finished's verify_data (RFC 5246 7.4.9, RFC 8446 4.4.4) */
  HL_QUIZ_CHECK_SIGNATURE,   /* a ServerKeyExchange's or CertificateVerify's signature */
  HL_QUIZ_CHECK_CERTIFICATE, /* the X.509 chain of a Certificate */
  HL_QUIZ_CHECK_BINDER,      /* TLS 1.3: a ClientHello's PSK binder (RFC 8446 4.2.11.2) */
  HL_QUIZ_CHECK_DOWNGRADE, /* TLS 1.3 client: the ServerHello random's sentinel (RFC 8446 4.1.3) */
  HL_QUIZ_CHECK_MESSAGE,   /* the message itself: its type, its place, its values */
} HlQuizCheck;

/* The choice naming a check: "The server's check of the client's Finished (verify_data)";
 * HL_QUIZ_CHECK_NONE: "None: nothing checks it". */
char *hl_quiz_check_label (HlQuizCheck check, HlSide checker, const HlStep *checked);

typedef struct {
  HlQuizKind kind;
  guint step;         /* the step it is about, from 0 */
  HlSecretId secret;  /* HL_QUIZ_WHO_HOLDS: which secret */
  char *question;     /* for people */
  GPtrArray *choices; /* char*: NEXT_MESSAGE "server → client: ServerHello" */
  guint answer;       /* index of the right choice */
  char *explanation;  /* why, from the run */
  /* HL_QUIZ_WHICH_CHECK: the check that stops the connection, and the step (from 0) it
   * stops at (that of hl_quiz_first_to_stop; the changed step when none). */
  HlQuizCheck check;
  guint at;
} HlQuizQuestion;

/* Whether q is asked with its step still to be delivered (who sends it, and the questions
 * about a changed message, whose delivery would show their answers); else after it. */
gboolean hl_quiz_asked_before_step (const HlQuizQuestion *q);

typedef struct _HlQuiz HlQuiz;

/* The run is stepped to its end first. */
HlQuiz *hl_quiz_new (HlRun *run);
/* The quiz of run as a person changed it: its scenario run again, with run's edits (its
 * tampering by hand), to the end; run itself does not move, so the questions about a
 * change still to be delivered can be asked before it is. NULL with error when the
 * scenario cannot run again (a recording). */
HlQuiz *hl_quiz_new_edited (const HlRun *run, GError **error);
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
