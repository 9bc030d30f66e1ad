/* hl-discussion.h: questions for discussion at the end of a handout (issue 20).
 *
 * Each question and its answer is read off the lesson, never typed per lesson:
 * - "Which message would fail if an attacker changed one byte of the server's random?":
 *   the lesson is run again with that byte changed, and the answer is where it stopped;
 * - a lesson that fails: which check stopped it, from the run;
 * - "What would an observer need to read this connection's data later?": from the key
 *   exchange the connection's messages show (RFC 5246 7.4.7.1, F.1.1; RFC 8446 E.1).
 * Recorded runs (captures) have none: they cannot be run again.
 */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

typedef enum {
  HL_DISCUSS_CHANGED_RANDOM, /* a byte of connection 1's ServerHello random changed */
  HL_DISCUSS_WHAT_STOPPED,   /* a failing lesson: which side and check stopped it */
  HL_DISCUSS_OBSERVER,       /* what an observer needs to read the data later */
} HlDiscussKind;

typedef struct {
  HlDiscussKind kind;
  char *question;
  char *answer;
  guint stops;         /* CHANGED_RANDOM, WHAT_STOPPED: an HlQuizStops */
  guint at;            /* ... the step (from 1) where that side stopped; 0: none */
  gboolean key_enough; /* OBSERVER: the server's private key alone opens it */
} HlDiscussion;

/* HlDiscussion*, in handout order; empty for a recorded run. The run is not changed. */
GPtrArray *hl_discussion_new (const HlRun *run);

/* "## Questions for discussion" and then "## For the teacher: answers" (Markdown). */
void hl_discussion_append_markdown (GString *out, const GPtrArray *items);

G_END_DECLS
