/* hl-key-schedule-paint.c: draws a key-schedule layout's boxes; it decides nothing about
 * where. A box no side holds yet is dashed; one no side will ever hold (zeros, no PSK) is
 * drawn on the band colour, so the three states differ by shape, not colour alone. */
#include "hl-key-schedule-paint.h"

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

static void
draw_line (cairo_t *cr, const HlKeyScheduleLine *line)
{
  cairo_move_to (cr, line->x0, line->y0);
  cairo_line_to (cr, line->x1, line->y1);
  cairo_stroke (cr);
  if (line->arrow) {
    double a = atan2 (line->y1 - line->y0, line->x1 - line->x0), head = 9;
    cairo_move_to (cr, line->x1, line->y1);
    cairo_line_to (cr, line->x1 - head * cos (a - 0.4), line->y1 - head * sin (a - 0.4));
    cairo_line_to (cr, line->x1 - head * cos (a + 0.4), line->y1 - head * sin (a + 0.4));
    cairo_close_path (cr);
    cairo_fill (cr);
  }
}

void
hl_key_schedule_paint (const HlKeyScheduleLayout *layout, cairo_t *cr)
{
  const HlLadderPalette *p = hl_ladder_palette (hl_key_schedule_layout_get_theme (layout));
  cairo_save (cr);
  set_rgb (cr, p->background);
  cairo_rectangle (cr, 0, 0, hl_key_schedule_layout_get_width (layout),
                   hl_key_schedule_layout_get_height (layout));
  cairo_fill (cr);

  set_rgb (cr, p->line);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < hl_key_schedule_layout_get_n_lines (layout); i++)
    draw_line (cr, hl_key_schedule_layout_get_line (layout, i));

  for (guint i = 0; i < hl_key_schedule_layout_get_n_nodes (layout); i++) {
    const HlKeyScheduleNode *n = hl_key_schedule_layout_get_node (layout, i);
    gboolean held = n->held[HL_SIDE_CLIENT] || n->held[HL_SIDE_SERVER];
    set_rgb (cr, n->never ? p->band[0] : p->background);
    rounded_rect (cr, n->rect, 6);
    cairo_fill_preserve (cr);
    set_rgb (cr, n->kind == HL_KEY_SCHEDULE_NODE_SECRET ? p->text : p->line);
    cairo_set_line_width (cr, n->kind == HL_KEY_SCHEDULE_NODE_SECRET ? 2.5 : 1.5);
    if (!held && !n->never) {
      double dashes[] = { 5, 4 };
      cairo_set_dash (cr, dashes, 2, 0);
    }
    cairo_stroke (cr);
    cairo_set_dash (cr, NULL, 0, 0);
  }

  for (guint i = 0; i < hl_key_schedule_layout_get_n_texts (layout); i++) {
    const HlKeyScheduleText *t = hl_key_schedule_layout_get_text (layout, i);
    PangoRectangle logical;
    pango_layout_get_pixel_extents (t->layout, NULL, &logical);
    set_rgb (cr, tone_color (p, t->tone));
    cairo_move_to (cr, t->rect.x - logical.x, t->rect.y);
    pango_cairo_show_layout (cr, t->layout);
  }
  cairo_restore (cr);
}
