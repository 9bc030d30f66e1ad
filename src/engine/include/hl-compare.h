/* hl-compare.h: two lessons side by side (issue 20, "Compare two lessons").
 *
 * Each side is one connection of a live run that ran on its own to its end. Every figure
 * is computed from the steps of that connection (never from a table per lesson), and the
 * two step lists are lined up by the classic nine story steps
 * (docs/writing-lessons.md), marking a message that one side has and the other lacks.
 */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

/* Who could read the recorded traffic later, holding the server's private key. */
typedef enum {
  HL_LATER_NO_KEYS,        /* no suite was agreed: there is no traffic to read */
  HL_LATER_KEY_OPENS,      /* RSA or static ECDH key exchange: the key alone is enough */
  HL_LATER_FORWARD_SECRET, /* ECDHE or TLS 1.3: nobody without the ephemeral secrets */
  HL_LATER_PSK_ONLY,       /* TLS 1.3 psk_ke: not the server's key, but whoever learns the PSK */
} HlLaterReader;

typedef struct {
  char *title;      /* the lesson's title, or its file name */
  guint connection; /* from 1, among the run's connections */
  /* The number people see: connection, but a capture's number in its file
   * (--list-connections, --connection), which differs when --connection kept some. */
  guint file_connection;
  guint version; /* 0: none negotiated */
  guint16 suite; /* 0: none */
  gboolean resumed;
  gboolean success;
  guint n_messages;   /* steps of this connection */
  guint n_encrypted;  /* of which encrypted */
  guint64 wire_bytes; /* record bytes (5-byte headers included) the receivers got */
  /* Round trips before the client's first application data (any side's when the client
   * sends none); -1: no application data at all; -2 unknown (recorded, below). See hl-compare.c for
   * the rule. */
  int round_trips;
  guint first_data_step; /* the step (from 1, within the connection) of that data; 0: none */
  /* The first step (from 1, within the connection) after which each side holds a traffic
   * key, and which secret it was; 0 and HL_N_SECRETS: never. */
  guint key_step[2];
  HlSecretId key_secret[2];
  HlLaterReader later;
  guint n_early_data; /* TLS 1.3 0-RTT records: keyed by the PSK alone (RFC 8446 2.3) */
  /* A captured connection (hl-recorded.h): the figures are what its wire shows. Its
   * key_step is when the lab, holding the key log, derives the key, not when an endpoint
   * did; round_trips is -2 when encrypted records hide the first application data. */
  gboolean recorded;
  guint n_hidden; /* encrypted TLS 1.3 records no key opened: their messages are unknown */
} HlCompareSide;

/* One line of the aligned message lists: a message of one side or of both. */
typedef struct {
  guint story_step;       /* 1..9: where it stands in the classic story */
  guint step[2];          /* its step (from 1, within the connection) on each side; 0: lacking */
  const char *message[2]; /* borrowed from the runs' steps; NULL: lacking */
  HlSide from;
  gboolean hidden[2]; /* that side's step is a captured TLS 1.3 record no key opened */
} HlCompareRow;

typedef struct _HlComparison HlComparison;

/* a and b: finished runs (hl_run_run_to_end); connection_a/_b from 1 (0: the last one).
 * The runs are only read during the call. NULL with error when a connection is missing. */
HlComparison *hl_comparison_new (const HlRun *a, guint connection_a, const HlRun *b,
                                 guint connection_b, GError **error);
void hl_comparison_free (HlComparison *cmp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlComparison, hl_comparison_free)

const HlCompareSide *hl_comparison_get_side (const HlComparison *cmp, guint i); /* 0 or 1 */
guint hl_comparison_get_n_rows (const HlComparison *cmp);
const HlCompareRow *hl_comparison_get_row (const HlComparison *cmp, guint i);

/* A row's mark: "only in A", "only in B" (or, beside a side with hidden records, that it
 * may hide there), "" for a message both have. */
const char *hl_comparison_row_mark (const HlComparison *cmp, const HlCompareRow *r);

/* The classic story step (1..9) a message stands at, from its structured facts. */
guint hl_story_step_of (const HlStep *step);
/* The classic story step's name, short, for a heading ("the client says hello"); "" out of
 * 1..9. */
const char *hl_story_step_name (guint story);

/* One sentence: who could decrypt later given the server's key, for this side. */
const char *hl_later_reader_describe (HlLaterReader later);

/* The summary's figures as the table shows them: the name of figure i (NULL past the last)
 * and one side's values, one per figure (a NULL-terminated vector; g_strfreev). */
const char *hl_comparison_figure_name (guint i);
char **hl_comparison_get_figures (const HlComparison *cmp, guint side);

/* The summary table and the aligned message list; text for a terminal or Markdown. Each
 * ends with a newline (g_free). */
char *hl_comparison_to_text (const HlComparison *cmp);
char *hl_comparison_to_markdown (const HlComparison *cmp);
/* The summary table as the text and Markdown give it, one column at a time: 0 its row
 * labels, 1 side A's cells, 2 side B's; each as many rows (g_strfreev). */
GStrv hl_comparison_get_summary (const HlComparison *cmp, guint column);

G_END_DECLS
