/* hl-ladder-layout.h: the ladder diagram as positioned boxes.
 *
 * A layout pass turns a run (up to a step, with a selected step, a theme and a
 * width) into geometry: two timelines, one arrow per step, text boxes for
 * labels, knowledge notes and phase bands. Painting (hl-ladder-paint.h) only
 * draws these boxes, so the window can hit-test, scroll to a step and animate
 * an arrow without knowing how anything is drawn. Text is measured with Pango
 * in the diagram's own font; no box overlaps another and none leaves the canvas.
 */
#pragma once

#include <pango/pango.h>

#include "hl-ladder-style.h"
#include "hl-run.h"

G_BEGIN_DECLS

typedef enum {
  HL_LADDER_TEXT_TITLE,
  HL_LADDER_TEXT_SUBTITLE,
  HL_LADDER_TEXT_HEADER,     /* a timeline's title: role and what it holds */
  HL_LADDER_TEXT_PHASE,      /* a phase band's label */
  HL_LADDER_TEXT_CONNECTION, /* "Connection 2: resumed" */
  HL_LADDER_TEXT_LABEL,      /* a message name above its arrow */
  HL_LADDER_TEXT_DETAIL,     /* what the message carries, below its arrow */
  HL_LADDER_TEXT_NOTE,       /* what a side newly knows, beside its timeline */
  HL_LADDER_TEXT_END,        /* how a side ended */
  HL_LADDER_TEXT_LEGEND,     /* how to read the marks */
} HlLadderTextKind;

typedef enum {
  HL_LADDER_TONE_NORMAL,
  HL_LADDER_TONE_CLIENT,
  HL_LADDER_TONE_SERVER,
  HL_LADDER_TONE_ALERT,
  HL_LADDER_TONE_WARNING,
  HL_LADDER_TONE_OK,
  HL_LADDER_TONE_DIM,
} HlLadderTone;

typedef struct {
  double x, y, width, height;
} HlLadderRect;

typedef struct {
  HlLadderTextKind kind;
  HlLadderTone tone;
  HlLadderRect rect;
  guint step;          /* 1-based step it belongs to; 0 none */
  PangoLayout *layout; /* owned; its text is Pango markup */
} HlLadderText;

typedef struct {
  guint step; /* from 1 */
  HlSide from;
  double y, x_from, x_to; /* x_to: where it ends (mid-way when dropped) */
  double x_end;           /* where it ends once arrived (x_to falls short while it travels) */
  HlLadderRect row;       /* the band of the canvas this step owns */
  HlLadderRect lock;      /* where the padlock of an encrypted record is drawn; else empty */
  gboolean encrypted, alert, dropped, unread, tampered, mismatch;
  gboolean current, selected;
} HlLadderArrow;

typedef struct {
  HlLadderRect rect;
  guint index; /* which shade */
} HlLadderBand;

typedef struct _HlLadderLayout HlLadderLayout;

/* Rows placed by the caller, so that two ladders line up (hl-pair-layout.h). */
typedef struct {
  /* Step i + 1 of the run starts its row at top[i] (n_top entries): the caller places the
   * rows, in any order, and keeps them apart. 0, or a step past n_top: below the step
   * before, as usual. */
  const double *top;
  guint n_top;
  double end; /* the timelines run at least down to here */
  /* Drawn instead of the phases' bands, whose labels are left out (the caller labels
   * its own). */
  const HlLadderBand *bands;
  guint n_bands;
} HlLadderRows;

/* Text laid out once and kept for the next layouts of one view: the window lays the ladder
 * out again at every step, and most of its text is unchanged. Not thread-safe: one per view. */
typedef struct _HlLadderTextCache HlLadderTextCache;
HlLadderTextCache *hl_ladder_text_cache_new (void);
void hl_ladder_text_cache_free (HlLadderTextCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlLadderTextCache, hl_ladder_text_cache_free)

typedef struct {
  guint upto;     /* steps drawn: 1..upto; 0 draws none, G_MAXUINT all */
  guint current;  /* highlighted as just delivered; 0 none */
  guint selected; /* highlighted as selected; 0 none */
  HlLadderTheme theme;
  double width; /* of the canvas in pixels at scale 1; 0: the default (1280) */
  /* While the current step's arrow travels: the part of its way still to go, 0 to 1
   * (0, the default, draws it whole). */
  double current_remaining;
  HlLadderTextCache *cache; /* optional: reuse text of earlier layouts (NULL: none) */
  /* Without the per-side lists of what each side holds: only the conversation, as on a
   * projector or a phone. The canvas may then be as narrow as 320 pixels. */
  gboolean hide_notes;
  /* Only connection N's steps (from 1; 0: every connection), numbered from 1 within it as
   * hl-compare.h counts them; arrows keep the run's step numbers. */
  guint connection;
  const HlLadderRows *rows; /* NULL: rows stacked top to bottom */
} HlLadderOptions;

/* The run is read now and not kept. Free with hl_ladder_layout_free. */
HlLadderLayout *hl_ladder_layout_new (const HlRun *run, const HlLadderOptions *options);
/* Moves the current step's arrow end as current_remaining would have placed it: a
 * travelling arrow's frames change nothing else, so the view keeps its layout. */
void hl_ladder_layout_set_current_remaining (HlLadderLayout *layout, double remaining);
void hl_ladder_layout_free (HlLadderLayout *layout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlLadderLayout, hl_ladder_layout_free)

double hl_ladder_layout_get_width (const HlLadderLayout *layout);
double hl_ladder_layout_get_height (const HlLadderLayout *layout);
HlLadderTheme hl_ladder_layout_get_theme (const HlLadderLayout *layout);

/* Timelines: x of each side's vertical line, and where the lines run. */
double hl_ladder_layout_get_side_x (const HlLadderLayout *layout, HlSide side);
void hl_ladder_layout_get_line_span (const HlLadderLayout *layout, double *top, double *bottom);

/* Everything drawn, borrowed from the layout. */
guint hl_ladder_layout_get_n_texts (const HlLadderLayout *layout);
const HlLadderText *hl_ladder_layout_get_text (const HlLadderLayout *layout, guint i);
guint hl_ladder_layout_get_n_arrows (const HlLadderLayout *layout);
const HlLadderArrow *hl_ladder_layout_get_arrow (const HlLadderLayout *layout, guint i);
guint hl_ladder_layout_get_n_bands (const HlLadderLayout *layout);
const HlLadderBand *hl_ladder_layout_get_band (const HlLadderLayout *layout, guint i);

/* A text box as the layout makes its own (font, size and wrapping of kind), for a view
 * that draws its own text beside the layout's (hl_ladder_paint_text draws it). */
HlLadderText hl_ladder_layout_make_text (const HlLadderLayout *layout, HlLadderTextKind kind,
                                         HlLadderTone tone, const char *markup, double x, double y,
                                         double width, PangoAlignment align);

/* The step whose row holds (x, y), or 0. */
guint hl_ladder_layout_step_at (const HlLadderLayout *layout, double x, double y);
/* The row of step n; FALSE when it is not drawn. */
gboolean hl_ladder_layout_get_step_rect (const HlLadderLayout *layout, guint n, HlLadderRect *rect);

G_END_DECLS
