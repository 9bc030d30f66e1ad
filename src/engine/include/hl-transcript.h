/* hl-transcript.h: a run written down: JSON (the shared transcript-json spec), Markdown, plain
 * text, and the NSS key log Wireshark reads. */
#pragma once

#include <glib.h>

#include "hl-output.h"
#include "hl-run.h"

G_BEGIN_DECLS

/* Each returns a newly allocated string (g_free). */
char *hl_transcript_to_json (const HlRun *run);
char *hl_transcript_to_markdown (const HlRun *run);
char *hl_transcript_to_text (const HlRun *run);
char *hl_transcript_to_keylog (const HlRun *run);
/* Handouts without field tables, hex or the state legend: steps, story, checks and
 * who holds what. */
char *hl_transcript_to_markdown_brief (const HlRun *run);
char *hl_transcript_to_text_brief (const HlRun *run);

/* A step's record layer in sentences, with the run's values: each record's header, and
 * for an encrypted one its parts (their byte counts adding up to the record's length),
 * its tag and its nonce or IV with the sequence number. md: bytes as Markdown code spans.
 * NULL-terminated (g_strfreev); empty when the step has no records. */
char **hl_step_record_lines (const HlStep *step, gboolean md);

/* When step `index` (from 1) was captured, after the run's first captured message:
 * "+0.42 ms". NULL for a live run, which has no capture times. Newly allocated. */
char *hl_step_describe_time (const HlRun *run, guint index);

/* Which key protects the step's record, in one sentence for people: "the server's handshake
 * traffic keys, from server_handshake_traffic_secret", or that it travels in plaintext.
 * md: the secret's name as a Markdown code span. */
char *hl_step_describe_record_key (const HlStep *step, gboolean md);

G_END_DECLS
