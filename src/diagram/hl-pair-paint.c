/* hl-pair-paint.c: the two ladders as hl_ladder_paint draws them, and what joins them. */
#include "hl-pair-paint.h"

#include "hl-ladder-paint.h"

static void
set_rgb (cairo_t *cr, HlRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

/* Whether a box crosses a timeline of either ladder. */
static gboolean
crosses_timeline (const HlPairLayout *pl, const HlLadderRect *r)
{
  for (guint k = 0; k < 2; k++)
    for (int s = 0; s < 2; s++) {
      double x = hl_pair_layout_get_ladder_x (pl, k)
                 + hl_ladder_layout_get_side_x (hl_pair_layout_get_ladder (pl, k), s);
      if (x >= r->x - 4 && x <= r->x + r->width + 4)
        return TRUE;
    }
  return FALSE;
}

void
hl_pair_paint (const HlPairLayout *pl, cairo_t *cr)
{
  const HlLadderPalette *p = hl_ladder_palette (hl_pair_layout_get_theme (pl));
  double gap_x = hl_pair_layout_get_ladder_x (pl, 1) - HL_PAIR_GAP;
  cairo_save (cr);
  set_rgb (cr, p->background);
  cairo_rectangle (cr, 0, 0, hl_pair_layout_get_width (pl), hl_pair_layout_get_height (pl));
  cairo_fill (cr);
  /* The bands in the gap; each ladder draws its own part of them, reaching into it. */
  for (guint i = 0; i < hl_pair_layout_get_n_bands (pl); i++) {
    const HlPairBand *b = hl_pair_layout_get_band (pl, i);
    set_rgb (cr, p->band[i % 2]);
    cairo_rectangle (cr, gap_x, b->rect.y, HL_PAIR_GAP, b->rect.height);
    cairo_fill (cr);
  }
  for (guint k = 0; k < 2; k++) {
    cairo_save (cr);
    cairo_translate (cr, hl_pair_layout_get_ladder_x (pl, k), 0);
    hl_ladder_paint (hl_pair_layout_get_ladder (pl, k), cr);
    cairo_restore (cr);
  }
  for (guint i = 0; i < hl_pair_layout_get_n_bands (pl); i++) {
    const HlPairBand *b = hl_pair_layout_get_band (pl, i);
    if (crosses_timeline (pl, &b->label.rect)) {
      /* Without the notes columns the label spans timelines: they pause behind it. */
      set_rgb (cr, p->band[i % 2]);
      cairo_rectangle (cr, b->label.rect.x - 6, b->label.rect.y - 2, b->label.rect.width + 12,
                       b->label.rect.height + 4);
      cairo_fill (cr);
    }
    hl_ladder_paint_text (&b->label, hl_pair_layout_get_theme (pl), cr);
  }
  for (guint i = 0; i < hl_pair_layout_get_n_marks (pl); i++) {
    const HlPairMark *m = hl_pair_layout_get_mark (pl, i);
    double dashes[] = { 5, 4 };
    cairo_save (cr);
    set_rgb (cr, p->line);
    cairo_set_line_width (cr, 1.5);
    cairo_set_dash (cr, dashes, 2, 0);
    cairo_rectangle (cr, m->rect.x, m->rect.y, m->rect.width, m->rect.height);
    cairo_stroke (cr);
    cairo_restore (cr);
    hl_ladder_paint_text (&m->text, hl_pair_layout_get_theme (pl), cr);
  }
  hl_ladder_paint_text (hl_pair_layout_get_note (pl), hl_pair_layout_get_theme (pl), cr);
  cairo_restore (cr);
}
