/* hl-ladder-paint.c: draws a layout's boxes; it decides nothing about where. */
#include "hl-ladder-paint.h"

#include <math.h>
#include <pango/pangocairo.h>

static void
set_rgb (cairo_t *cr, HlRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static HlRgb
tone_color (const HlLadderPalette *p, HlLadderTone tone)
{
  switch (tone) {
  case HL_LADDER_TONE_CLIENT:
    return p->client;
  case HL_LADDER_TONE_SERVER:
    return p->server;
  case HL_LADDER_TONE_ALERT:
    return p->alert;
  case HL_LADDER_TONE_WARNING:
    return p->warning;
  case HL_LADDER_TONE_OK:
    return p->ok;
  case HL_LADDER_TONE_DIM:
    return p->dim_text;
  default:
    return p->text;
  }
}

static void
rounded_rect (cairo_t *cr, HlLadderRect r, double radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, r.x + r.width - radius, r.y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, r.x + r.width - radius, r.y + r.height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, r.x + radius, r.y + r.height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, r.x + radius, r.y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* A padlock in its box: encrypted records carry one, so they differ by shape, not colour
 * alone. Drawn, never a font's glyph (a missing one showed as an empty square). It sits on
 * the arrow, on a patch of what is behind (`under`) so the line does not run through it: a
 * shackle over a body with a keyhole cut out. */
static void
draw_lock (cairo_t *cr, HlLadderRect box, HlRgb under)
{
  double cx = box.x + box.width / 2;
  double body_top = box.y + box.height * 0.45, body_h = box.y + box.height - body_top;
  double r = box.width * 0.28;
  cairo_save (cr);
  cairo_set_source_rgb (cr, under.r, under.g, under.b);
  rounded_rect (cr, (HlLadderRect){ box.x - 2, box.y, box.width + 4, box.height }, 3);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_save (cr);
  /* The shackle: a U from the body's top. */
  cairo_set_line_width (cr, box.width * 0.14);
  cairo_move_to (cr, cx - r, body_top);
  cairo_arc (cr, cx, box.y + r + 1, r, G_PI, 0);
  cairo_line_to (cr, cx + r, body_top);
  cairo_stroke (cr);
  /* The body, then its keyhole (a round hole and its slot) in the colour behind. */
  rounded_rect (cr, (HlLadderRect){ box.x, body_top, box.width, body_h }, 2);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, under.r, under.g, under.b);
  cairo_new_sub_path (cr);
  cairo_arc (cr, cx, body_top + body_h * 0.4, body_h * 0.18, 0, 2 * G_PI);
  cairo_close_path (cr);
  cairo_rectangle (cr, cx - body_h * 0.08, body_top + body_h * 0.4, body_h * 0.16, body_h * 0.4);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* The colour behind a point of step a's row: its highlight, a phase band or the canvas. */
static HlRgb
colour_under (const HlLadderLayout *layout, const HlLadderPalette *p, const HlLadderArrow *a,
              double x, double y)
{
  HlRgb under = p->background;
  if (a->selected)
    return p->selected;
  if (a->current)
    return p->current;
  for (guint i = 0; i < hl_ladder_layout_get_n_bands (layout); i++) {
    const HlLadderBand *b = hl_ladder_layout_get_band (layout, i);
    if (x >= b->rect.x && x < b->rect.x + b->rect.width && y >= b->rect.y
        && y < b->rect.y + b->rect.height)
      under = p->band[b->index];
  }
  return under;
}

/* A warning triangle for alerts. */
static void
draw_triangle (cairo_t *cr, double x, double y)
{
  cairo_move_to (cr, x, y - 7);
  cairo_line_to (cr, x + 7, y + 5);
  cairo_line_to (cr, x - 7, y + 5);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_arrow (cairo_t *cr, const HlLadderLayout *layout, const HlLadderPalette *p,
            const HlLadderArrow *a)
{
  HlRgb color = a->alert ? p->alert : a->from == HL_SIDE_CLIENT ? p->client : p->server;
  double dir = a->x_to > a->x_from ? 1 : -1;
  double head = 12;
  cairo_save (cr);
  set_rgb (cr, color);
  cairo_set_line_width (cr, a->encrypted ? 3.5 : 1.8);
  if (a->tampered && !a->dropped) {
    /* A changed message is drawn as a zigzag in its middle third. */
    double x0 = a->x_from, x1 = a->x_to;
    double third = (x1 - x0) / 3;
    cairo_move_to (cr, x0, a->y);
    cairo_line_to (cr, x0 + third, a->y);
    for (int i = 0; i < 6; i++)
      cairo_line_to (cr, x0 + third + third * (i + 1) / 6.0, a->y + (i % 2 ? 5 : -5));
    cairo_line_to (cr, x1 - dir * head, a->y);
  } else {
    cairo_move_to (cr, a->x_from, a->y);
    cairo_line_to (cr, a->x_to - (a->dropped ? 0 : dir * head), a->y);
  }
  if (a->dropped) {
    double dashes[] = { 6, 5 };
    cairo_set_dash (cr, dashes, 2, 0);
  }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  if (a->dropped) {
    /* A cross where the message was lost. */
    cairo_set_line_width (cr, 3);
    set_rgb (cr, p->alert);
    cairo_move_to (cr, a->x_to - 8, a->y - 8);
    cairo_line_to (cr, a->x_to + 8, a->y + 8);
    cairo_move_to (cr, a->x_to - 8, a->y + 8);
    cairo_line_to (cr, a->x_to + 8, a->y - 8);
    cairo_stroke (cr);
  } else {
    cairo_move_to (cr, a->x_to, a->y);
    cairo_line_to (cr, a->x_to - dir * head, a->y - 6);
    cairo_line_to (cr, a->x_to - dir * head, a->y + 6);
    cairo_close_path (cr);
    cairo_fill (cr);
    if (a->unread) {
      /* Stopped short of a receiver that no longer reads. */
      cairo_set_line_width (cr, 3);
      cairo_move_to (cr, a->x_to + dir * 4, a->y - 10);
      cairo_line_to (cr, a->x_to + dir * 4, a->y + 10);
      cairo_stroke (cr);
    }
  }
  set_rgb (cr, color);
  if (a->encrypted && a->lock.width > 0)
    draw_lock (
        cr, a->lock,
        colour_under (layout, p, a, a->lock.x + a->lock.width / 2, a->lock.y + a->lock.height / 2));
  if (a->alert)
    draw_triangle (cr, a->x_from + dir * (a->encrypted ? 46 : 22), a->y - 1);
  cairo_restore (cr);
}

/* Whether the rows from y to y + height can show inside the clip (from top to bottom),
 * with a margin for ink outside a text's logical box and an arrow's head and lock. */
static gboolean
is_in_clip (double y, double height, double top, double bottom)
{
  const double margin = 16;
  return y + height + margin >= top && y - margin <= bottom;
}

guint
hl_ladder_paint_except (const HlLadderLayout *layout, cairo_t *cr, guint skip)
{
  const HlLadderPalette *p = hl_ladder_palette (hl_ladder_layout_get_theme (layout));
  double top, bottom, clip_left, clip_top, clip_right, clip_bottom;
  guint drawn = 0;
  /* Cairo would clip away what lies outside, but only after Pango had walked each text's
   * lines and glyphs: most of a step's painting in the window (issue 17). */
  cairo_clip_extents (cr, &clip_left, &clip_top, &clip_right, &clip_bottom);
  cairo_save (cr);
  set_rgb (cr, p->background);
  cairo_rectangle (cr, 0, 0, hl_ladder_layout_get_width (layout),
                   hl_ladder_layout_get_height (layout));
  cairo_fill (cr);

  for (guint i = 0; i < hl_ladder_layout_get_n_bands (layout); i++) {
    const HlLadderBand *b = hl_ladder_layout_get_band (layout, i);
    set_rgb (cr, p->band[b->index]);
    rounded_rect (cr, b->rect, 6);
    cairo_fill (cr);
  }
  for (guint i = 0; i < hl_ladder_layout_get_n_arrows (layout); i++) {
    const HlLadderArrow *a = hl_ladder_layout_get_arrow (layout, i);
    if ((a->current || a->selected)
        && is_in_clip (a->row.y, a->row.height, clip_top, clip_bottom)) {
      set_rgb (cr, a->selected ? p->selected : p->current);
      rounded_rect (cr, a->row, 6);
      cairo_fill (cr);
      if (a->selected && a->current) {
        set_rgb (cr, p->client);
        cairo_set_line_width (cr, 2);
        rounded_rect (cr, a->row, 6);
        cairo_stroke (cr);
      }
    }
  }

  hl_ladder_layout_get_line_span (layout, &top, &bottom);
  cairo_set_line_width (cr, 3);
  for (int s = 0; s < 2; s++) {
    double x = hl_ladder_layout_get_side_x (layout, s);
    set_rgb (cr, s == HL_SIDE_CLIENT ? p->client : p->server);
    cairo_move_to (cr, x, top);
    cairo_line_to (cr, x, bottom);
    cairo_stroke (cr);
  }

  for (guint i = 0; i < hl_ladder_layout_get_n_arrows (layout); i++) {
    const HlLadderArrow *a = hl_ladder_layout_get_arrow (layout, i);
    if (a->step != skip
        && (is_in_clip (a->y, 0, clip_top, clip_bottom)
            || is_in_clip (a->lock.y, a->lock.height, clip_top, clip_bottom)))
      draw_arrow (cr, layout, p, a);
  }

  for (guint i = 0; i < hl_ladder_layout_get_n_texts (layout); i++) {
    const HlLadderText *t = hl_ladder_layout_get_text (layout, i);
    if (!is_in_clip (t->rect.y, t->rect.height, clip_top, clip_bottom))
      continue;
    if (t->kind == HL_LADDER_TEXT_CONNECTION) {
      /* A heading between two connections: the timelines pause behind it. */
      HlLadderRect r
          = { 0, t->rect.y - 4, hl_ladder_layout_get_width (layout), t->rect.height + 8 };
      set_rgb (cr, p->background);
      cairo_rectangle (cr, r.x, r.y, r.width, r.height);
      cairo_fill (cr);
    }
    hl_ladder_paint_text (t, hl_ladder_layout_get_theme (layout), cr);
    drawn++;
  }
  cairo_restore (cr);
  return drawn;
}

guint
hl_ladder_paint (const HlLadderLayout *layout, cairo_t *cr)
{
  return hl_ladder_paint_except (layout, cr, 0);
}

void
hl_ladder_paint_arrow (const HlLadderLayout *layout, const HlLadderArrow *arrow, cairo_t *cr)
{
  draw_arrow (cr, layout, hl_ladder_palette (hl_ladder_layout_get_theme (layout)), arrow);
}

void
hl_ladder_arrow_get_ink (const HlLadderArrow *a, HlLadderRect *ink)
{
  /* the head and the dropped cross reach 8 past the end, the warning triangle 7 around
   * its point, the unread bar 10 above and below; lines are at most 3.5 wide */
  double left = MIN (a->x_from, MIN (a->x_to, a->x_end)) - 16;
  double right = MAX (a->x_from, MAX (a->x_to, a->x_end)) + 16;
  double top = a->y - 16, bottom = a->y + 16;
  if (a->lock.width > 0) {
    left = MIN (left, a->lock.x - 4);
    right = MAX (right, a->lock.x + a->lock.width + 4);
    top = MIN (top, a->lock.y - 4);
    bottom = MAX (bottom, a->lock.y + a->lock.height + 4);
  }
  *ink = (HlLadderRect){ left, top, right - left, bottom - top };
}

void
hl_ladder_paint_text (const HlLadderText *t, HlLadderTheme theme, cairo_t *cr)
{
  PangoRectangle logical;
  pango_layout_get_pixel_extents (t->layout, NULL, &logical);
  cairo_save (cr);
  set_rgb (cr, tone_color (hl_ladder_palette (theme), t->tone));
  cairo_move_to (cr, t->rect.x - logical.x, t->rect.y);
  pango_cairo_show_layout (cr, t->layout);
  cairo_restore (cr);
}
