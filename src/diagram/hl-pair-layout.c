/* hl-pair-layout.c: two ladders, their rows placed on one grid (hl-pair-layout.h).
 *
 * Two passes. The first lays each ladder out on its own, to measure each step's row: how
 * tall it is and how far below its top the arrow runs. The grid then gives each row of
 * the comparison the height of the taller side, with the arrows of both on one line, and
 * each story step a band headed by its label. The second pass lays the ladders out again
 * with their rows at the grid's heights (HlLadderRows); their text, wrapping and marks are
 * the ladder layout's own.
 */
#include "hl-pair-layout.h"

#include <math.h>

#include "hl-i18n.h"

#define MARGIN 24.0 /* the ladder's outer margin: bands start half of it in */
#define LABEL_MIN_WIDTH 360.0
#define MARK_HEIGHT 30.0
#define MARK_INSET 20.0 /* a mark keeps this far from the timelines */
#define OVERHANG 6.0    /* a ladder's band reaches into the gap, so both read as one */

struct _HlPairLayout {
  double width, height;
  HlLadderTheme theme;
  HlLadderLayout *ladder[2];
  double x[2];
  GArray *rows;  /* HlPairRow */
  GArray *bands; /* HlPairBand */
  GArray *marks; /* HlPairMark */
  HlLadderText note;
};

/* What the first pass measured of one step: its row's height, and its arrow's depth in it. */
typedef struct {
  double height, arrow;
} Measure;

static Measure *
measure_rows (const HlLadderLayout *l, guint n_steps)
{
  Measure *m = g_new0 (Measure, n_steps + 1);
  for (guint i = 0; i < hl_ladder_layout_get_n_arrows (l); i++) {
    const HlLadderArrow *a = hl_ladder_layout_get_arrow (l, i);
    if (a->step <= n_steps)
      m[a->step] = (Measure){ a->row.height, a->y - a->row.y };
  }
  return m;
}

/* The run's step (from 1) of a step counted from 1 within the connection. */
static guint
run_step (const HlRun *run, guint connection, guint step)
{
  const HlConnection *c = hl_run_get_connection (run, connection - 1);
  if (!step || !c || step > c->steps->len)
    return 0;
  return ((const HlStep *)g_ptr_array_index (c->steps, step - 1))->index;
}

static double
arrow_y (const HlLadderLayout *l, guint step)
{
  for (guint i = 0; i < hl_ladder_layout_get_n_arrows (l); i++) {
    const HlLadderArrow *a = hl_ladder_layout_get_arrow (l, i);
    if (a->step == step)
      return a->y;
  }
  return NAN;
}

HlPairLayout *
hl_pair_layout_new (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                    const HlLadderOptions *options)
{
  HlPairLayout *pl = g_new0 (HlPairLayout, 1);
  const HlRun *run[2] = { a, b };
  HlLadderOptions o[2];
  HlLadderLayout *first[2];
  Measure *m[2];
  double *top[2];
  guint n[2];
  GArray *ladder_bands[2];
  double y = 0, band_top = 0;
  guint story = 0;
  pl->theme = options->theme;
  pl->rows = g_array_new (FALSE, TRUE, sizeof (HlPairRow));
  pl->bands = g_array_new (FALSE, TRUE, sizeof (HlPairBand));
  pl->marks = g_array_new (FALSE, TRUE, sizeof (HlPairMark));
  for (guint k = 0; k < 2; k++) {
    double line_top, line_bottom;
    o[k] = *options;
    o[k].upto = G_MAXUINT;
    o[k].current = o[k].selected = 0;
    o[k].current_remaining = 0;
    o[k].connection = hl_comparison_get_side (cmp, k)->connection;
    o[k].rows = NULL;
    n[k] = hl_run_get_n_steps (run[k]);
    first[k] = hl_ladder_layout_new (run[k], &o[k]);
    m[k] = measure_rows (first[k], n[k]);
    top[k] = g_new0 (double, n[k] + 1);
    ladder_bands[k] = g_array_new (FALSE, TRUE, sizeof (HlLadderBand));
    hl_ladder_layout_get_line_span (first[k], &line_top, &line_bottom);
    y = MAX (y, line_top);
  }
  pl->x[0] = 0;
  pl->x[1] = hl_ladder_layout_get_width (first[0]) + HL_PAIR_GAP;
  pl->width = pl->x[1] + hl_ladder_layout_get_width (first[1]);

  for (guint i = 0; i <= hl_comparison_get_n_rows (cmp); i++) {
    const HlCompareRow *r
        = i < hl_comparison_get_n_rows (cmp) ? hl_comparison_get_row (cmp, i) : NULL;
    HlPairRow row = { 0 };
    double depth = 0, height = 0;
    if (!r || r->story_step != story) {
      /* A story step ends, and the next one's band begins with its label. */
      if (story) {
        HlPairBand *band = &g_array_index (pl->bands, HlPairBand, pl->bands->len - 1);
        band->rect.height = y - band_top;
        for (guint k = 0; k < 2; k++) {
          double w = hl_ladder_layout_get_width (first[k]);
          HlLadderBand lb = { { k == 0 ? MARGIN / 2 : -OVERHANG, band_top,
                                w - MARGIN / 2 + OVERHANG, y - band_top },
                              (pl->bands->len - 1) % 2 };
          g_array_append_val (ladder_bands[k], lb);
        }
        y += 4;
      }
      if (!r)
        break;
      story = r->story_step;
      band_top = y;
      {
        /* Centred on the gap, where no timeline runs when the notes are shown. */
        double inner = hl_ladder_layout_get_width (first[0])
                       - hl_ladder_layout_get_side_x (first[0], HL_SIDE_SERVER) - MARK_INSET
                       + HL_PAIR_GAP + hl_ladder_layout_get_side_x (first[1], HL_SIDE_CLIENT)
                       - MARK_INSET;
        double w = MAX (inner, LABEL_MIN_WIDTH);
        g_autofree char *text
            = g_markup_printf_escaped (_ ("Story step %u: %s"), story, hl_story_step_name (story));
        HlPairBand band = { story, { MARGIN / 2, band_top, pl->width - MARGIN, 0 }, { 0 } };
        band.label = hl_ladder_layout_make_text (first[0], HL_LADDER_TEXT_PHASE, HL_LADDER_TONE_DIM,
                                                 text, pl->x[1] - HL_PAIR_GAP / 2 - w / 2, y + 6, w,
                                                 PANGO_ALIGN_CENTER);
        y += 6 + band.label.rect.height + 6;
        g_array_append_val (pl->bands, band);
      }
    }
    row.story_step = r->story_step;
    /* The arrows of both sides on one line: the deeper one's depth, or deeper still for the
     * middle of a lacking side's mark. */
    for (guint k = 0; k < 2; k++) {
      row.step[k] = run_step (run[k], o[k].connection, r->step[k]);
      if (row.step[k]) {
        depth = MAX (depth, m[k][row.step[k]].arrow);
      } else {
        /* The lacking side: a dashed mark between its timelines, on the other's line. */
        const HlLadderLayout *l = first[k];
        double x0 = pl->x[k] + hl_ladder_layout_get_side_x (l, HL_SIDE_CLIENT) + MARK_INSET;
        double x1 = pl->x[k] + hl_ladder_layout_get_side_x (l, HL_SIDE_SERVER) - MARK_INSET;
        /* A side whose records no key opened may hold it in one of them. */
        g_autofree char *text
            = r->hidden[1 - k]
                  ? g_markup_printf_escaped (_ ("The other's record is encrypted, its content "
                                                "unknown without keys"))
              : hl_comparison_get_side (cmp, k)->n_hidden
                  ? g_markup_printf_escaped (_ ("No %s from the %s seen: it may be in an "
                                                "encrypted record no key opened"),
                                             r->message[1 - k], hl_side_word (r->from))
                  : g_markup_printf_escaped (_ ("No %s from the %s in this handshake"),
                                             r->message[1 - k], hl_side_word (r->from));
        HlPairMark mark = { k, pl->rows->len, { x0, 0, x1 - x0, 0 }, { 0 } };
        mark.text = hl_ladder_layout_make_text (l, HL_LADDER_TEXT_DETAIL, HL_LADDER_TONE_DIM, text,
                                                x0 + 8, 0, x1 - x0 - 16, PANGO_ALIGN_CENTER);
        mark.rect.height = MAX (MARK_HEIGHT, mark.text.rect.height + 12);
        depth = MAX (depth, mark.rect.height / 2 + 8);
        g_array_append_val (pl->marks, mark);
      }
    }
    for (guint k = 0; k < 2; k++)
      if (row.step[k]) {
        top[k][row.step[k] - 1] = y + depth - m[k][row.step[k]].arrow;
        height = MAX (height, depth - m[k][row.step[k]].arrow + m[k][row.step[k]].height);
      }
    /* Now the line is known: the marks of this row sit on it. */
    for (guint j = 0; j < pl->marks->len; j++) {
      HlPairMark *mark = &g_array_index (pl->marks, HlPairMark, j);
      if (mark->row == pl->rows->len) {
        mark->rect.y = y + depth - mark->rect.height / 2;
        mark->text.rect.y = y + depth - mark->text.rect.height / 2;
        row.y[mark->side] = y + depth;
        height = MAX (height, depth + mark->rect.height / 2 + 8);
      }
    }
    row.rect = (HlLadderRect){ 0, y, pl->width, height };
    g_array_append_val (pl->rows, row);
    y += height;
  }

  /* The second pass, on the grid. */
  for (guint k = 0; k < 2; k++) {
    HlLadderRows rows
        = { top[k], n[k], y, (const HlLadderBand *)ladder_bands[k]->data, ladder_bands[k]->len };
    o[k].rows = &rows;
    pl->ladder[k] = hl_ladder_layout_new (run[k], &o[k]);
    pl->height = MAX (pl->height, hl_ladder_layout_get_height (pl->ladder[k]));
    hl_ladder_layout_free (first[k]);
    g_free (m[k]);
    g_free (top[k]);
    g_array_unref (ladder_bands[k]);
  }
  pl->note = hl_ladder_layout_make_text (
      pl->ladder[0], HL_LADDER_TEXT_LEGEND, HL_LADDER_TONE_DIM,
      _ ("Side by side: each band is one of the nine story steps, and a dashed box marks a "
         "message one side lacks. The rows follow the story, not the wire: where the order on "
         "the wire differs (TLS 1.2's ServerKeyExchange before its ServerHelloDone, a resumed "
         "server's Finished before the client's, TLS 1.3's compatibility ChangeCipherSpec right "
         "after its ServerHello), the step numbers give it."),
      MARGIN, pl->height, pl->width - 2 * MARGIN, PANGO_ALIGN_LEFT);
  pl->height = ceil (pl->height + pl->note.rect.height + MARGIN);
  /* Where the arrows really are, as the ladders placed them. */
  for (guint i = 0; i < pl->rows->len; i++) {
    HlPairRow *row = &g_array_index (pl->rows, HlPairRow, i);
    for (guint k = 0; k < 2; k++)
      if (row->step[k])
        row->y[k] = arrow_y (pl->ladder[k], row->step[k]);
  }
  return pl;
}

void
hl_pair_layout_free (HlPairLayout *pl)
{
  if (!pl)
    return;
  for (guint k = 0; k < 2; k++)
    hl_ladder_layout_free (pl->ladder[k]);
  for (guint i = 0; i < pl->bands->len; i++)
    g_object_unref (g_array_index (pl->bands, HlPairBand, i).label.layout);
  for (guint i = 0; i < pl->marks->len; i++)
    g_object_unref (g_array_index (pl->marks, HlPairMark, i).text.layout);
  g_object_unref (pl->note.layout);
  g_array_unref (pl->rows);
  g_array_unref (pl->bands);
  g_array_unref (pl->marks);
  g_free (pl);
}

double
hl_pair_layout_get_width (const HlPairLayout *pl)
{
  return pl->width;
}

double
hl_pair_layout_get_height (const HlPairLayout *pl)
{
  return pl->height;
}

HlLadderTheme
hl_pair_layout_get_theme (const HlPairLayout *pl)
{
  return pl->theme;
}

const HlLadderLayout *
hl_pair_layout_get_ladder (const HlPairLayout *pl, guint side)
{
  g_return_val_if_fail (side < 2, NULL);
  return pl->ladder[side];
}

double
hl_pair_layout_get_ladder_x (const HlPairLayout *pl, guint side)
{
  g_return_val_if_fail (side < 2, 0);
  return pl->x[side];
}

guint
hl_pair_layout_get_n_rows (const HlPairLayout *pl)
{
  return pl->rows->len;
}

const HlPairRow *
hl_pair_layout_get_row (const HlPairLayout *pl, guint i)
{
  return i < pl->rows->len ? &g_array_index (pl->rows, HlPairRow, i) : NULL;
}

guint
hl_pair_layout_get_n_bands (const HlPairLayout *pl)
{
  return pl->bands->len;
}

const HlPairBand *
hl_pair_layout_get_band (const HlPairLayout *pl, guint i)
{
  return i < pl->bands->len ? &g_array_index (pl->bands, HlPairBand, i) : NULL;
}

guint
hl_pair_layout_get_n_marks (const HlPairLayout *pl)
{
  return pl->marks->len;
}

const HlPairMark *
hl_pair_layout_get_mark (const HlPairLayout *pl, guint i)
{
  return i < pl->marks->len ? &g_array_index (pl->marks, HlPairMark, i) : NULL;
}

const HlLadderText *
hl_pair_layout_get_note (const HlPairLayout *pl)
{
  return &pl->note;
}
