/* hl-pair-layout.h: two ladders lined up by story step (issue 20, "Compare two lessons").
 *
 * The compared connection of each run is laid out as a ladder of its own
 * (hl-ladder-layout.h), A on the left and B on the right, with its rows placed so that
 * each row of the comparison (hl-compare.h) sits at one height on both sides: the arrows
 * of a message both have are on one line, and where one side lacks the other's message a
 * dashed mark says so at that height. Each story step is one band across both ladders,
 * labelled once. Painting (hl-pair-paint.h) draws these boxes for every format.
 */
#pragma once

#include "hl-compare.h"
#include "hl-ladder-layout.h"

G_BEGIN_DECLS

/* The gap between the two ladders, in layout units. */
#define HL_PAIR_GAP 24.0

typedef struct {
  guint story_step;
  guint step[2];     /* the run's step on each side (hl_run_get_step from 1); 0: lacking */
  double y[2];       /* its arrow's line on each side, or the middle of the lacking mark */
  HlLadderRect rect; /* the row across the pair */
} HlPairRow;

/* One story step's band across the pair, and its label. */
typedef struct {
  guint story_step;
  HlLadderRect rect;
  HlLadderText label; /* its layout is owned by the pair layout */
} HlPairBand;

/* Where one side lacks the message the other has at that row. */
typedef struct {
  guint side; /* 0: A lacks it, 1: B */
  guint row;
  HlLadderRect rect;
  HlLadderText text;
} HlPairMark;

typedef struct _HlPairLayout HlPairLayout;

/* a and b: the runs cmp was made from, in its order. The options apply to both ladders
 * (theme, width, hide_notes); each shows its compared connection whole. */
HlPairLayout *hl_pair_layout_new (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                                  const HlLadderOptions *options);
void hl_pair_layout_free (HlPairLayout *layout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlPairLayout, hl_pair_layout_free)

double hl_pair_layout_get_width (const HlPairLayout *layout);
double hl_pair_layout_get_height (const HlPairLayout *layout);
HlLadderTheme hl_pair_layout_get_theme (const HlPairLayout *layout);

/* Side 0 (A) or 1 (B): its ladder, borrowed, and where its x = 0 is in the pair. */
const HlLadderLayout *hl_pair_layout_get_ladder (const HlPairLayout *layout, guint side);
double hl_pair_layout_get_ladder_x (const HlPairLayout *layout, guint side);

guint hl_pair_layout_get_n_rows (const HlPairLayout *layout);
const HlPairRow *hl_pair_layout_get_row (const HlPairLayout *layout, guint i);
guint hl_pair_layout_get_n_bands (const HlPairLayout *layout);
const HlPairBand *hl_pair_layout_get_band (const HlPairLayout *layout, guint i);
guint hl_pair_layout_get_n_marks (const HlPairLayout *layout);
const HlPairMark *hl_pair_layout_get_mark (const HlPairLayout *layout, guint i);
/* How to read the pair, below both ladders. */
const HlLadderText *hl_pair_layout_get_note (const HlPairLayout *layout);

G_END_DECLS
