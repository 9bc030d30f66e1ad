/* hl-key-schedule-layout.h: TLS 1.3's key schedule (RFC 8446 7.1) as positioned boxes.
 *
 * A layout pass reads one connection of a run at one step and gives plain geometry: a box
 * per secret of the schedule (the HKDF-Extract inputs, Early, Handshake and Master Secret,
 * each "derived" step and each Derive-Secret output), the lines between them, and the text
 * inside each box (its name, its formula, its value as each side holds it, and whether the
 * client and the server hold it after the step). Text is measured with Pango; no box
 * overlaps another and none leaves the canvas. Painting (hl-key-schedule-paint.h) only
 * draws what the layout placed.
 */
#pragma once

#include <pango/pango.h>

#include "hl-ladder-layout.h"
#include "hl-run.h"

G_BEGIN_DECLS

typedef enum {
  HL_KEY_SCHEDULE_NODE_INPUT,   /* an HKDF-Extract input: PSK or 0, (EC)DHE or 0, 0 */
  HL_KEY_SCHEDULE_NODE_SECRET,  /* Early, Handshake or Master Secret */
  HL_KEY_SCHEDULE_NODE_DERIVED, /* Derive-Secret(., "derived", ""): the next salt */
  HL_KEY_SCHEDULE_NODE_DERIVE,  /* a Derive-Secret output: a traffic or other secret */
} HlKeyScheduleNodeKind;

typedef enum {
  HL_KEY_SCHEDULE_TEXT_TITLE,
  HL_KEY_SCHEDULE_TEXT_NOTE,    /* below the title: the step, how to read the marks */
  HL_KEY_SCHEDULE_TEXT_NAME,    /* a box's heading */
  HL_KEY_SCHEDULE_TEXT_FORMULA, /* how it is made: Derive-Secret(., "c hs traffic", ...) */
  HL_KEY_SCHEDULE_TEXT_VALUE,   /* its value, in hex */
  HL_KEY_SCHEDULE_TEXT_MARKS,   /* held / not yet, per side */
} HlKeyScheduleTextKind;

typedef struct {
  HlKeyScheduleNodeKind kind;
  HlLadderRect rect;
  int secret;         /* the HlSecretId drawn; -1 for zeros and "derived" values */
  const char *label;  /* its Derive-Secret label ("c hs traffic", "derived"); else NULL */
  GBytes *value[2];   /* the value each side holds after the step (by HlSide); NULL: not held */
  gboolean held[2];   /* the side holds it after the step */
  gboolean hidden[2]; /* the side must have made it, but its library never shows it */
  gboolean never;     /* no side will hold it in this connection: no PSK, no 0-RTT, zeros */
  gboolean ours_only; /* a value the lab computes itself from the secret above it */
} HlKeyScheduleNode;

typedef struct {
  HlKeyScheduleTextKind kind;
  HlLadderTone tone;
  HlLadderRect rect;
  int node;            /* index of the box it is in; -1: outside every box */
  PangoLayout *layout; /* owned; its text is Pango markup */
} HlKeyScheduleText;

typedef struct {
  double x0, y0, x1, y1;
  gboolean arrow; /* a head at (x1, y1) */
} HlKeyScheduleLine;

typedef struct {
  guint step; /* what each side holds after this step (1-based); 0: the last step of the run */
  HlLadderTheme theme;
  double width;          /* of the canvas at scale 1; 0: the default (1120) */
  gboolean short_values; /* every value as its first 8 bytes (for a printed page) */
  gboolean no_step_note; /* leave out "What each side holds after step N": the page says it
                            (the HTML handout, where steps with the same holdings share one
                            picture) */
} HlKeyScheduleOptions;

typedef struct _HlKeyScheduleLayout HlKeyScheduleLayout;

/* The run is read now and not kept. Free with hl_key_schedule_layout_free. */
HlKeyScheduleLayout *hl_key_schedule_layout_new (const HlRun *run,
                                                 const HlKeyScheduleOptions *options);
void hl_key_schedule_layout_free (HlKeyScheduleLayout *layout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlKeyScheduleLayout, hl_key_schedule_layout_free)

double hl_key_schedule_layout_get_width (const HlKeyScheduleLayout *layout);
double hl_key_schedule_layout_get_height (const HlKeyScheduleLayout *layout);
HlLadderTheme hl_key_schedule_layout_get_theme (const HlKeyScheduleLayout *layout);
/* FALSE when the step's connection is not TLS 1.3: the picture then only says so. */
gboolean hl_key_schedule_layout_is_tls13 (const HlKeyScheduleLayout *layout);
guint hl_key_schedule_layout_get_step (const HlKeyScheduleLayout *layout); /* 0: none yet */

/* Everything drawn, borrowed from the layout. */
guint hl_key_schedule_layout_get_n_nodes (const HlKeyScheduleLayout *layout);
const HlKeyScheduleNode *hl_key_schedule_layout_get_node (const HlKeyScheduleLayout *layout,
                                                          guint i);
guint hl_key_schedule_layout_get_n_texts (const HlKeyScheduleLayout *layout);
const HlKeyScheduleText *hl_key_schedule_layout_get_text (const HlKeyScheduleLayout *layout,
                                                          guint i);
guint hl_key_schedule_layout_get_n_lines (const HlKeyScheduleLayout *layout);
const HlKeyScheduleLine *hl_key_schedule_layout_get_line (const HlKeyScheduleLayout *layout,
                                                          guint i);

/* Derive-Secret(secret, "derived", "") as RFC 8446 7.1 defines it, with the hash whose
 * length is the secret's (SHA-256 or SHA-384); NULL for any other length. */
GBytes *hl_key_schedule_derived (GBytes *secret);

G_END_DECLS
