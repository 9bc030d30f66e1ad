/* hl-ladder-paint.h: draws a ladder layout on any cairo surface (image, SVG,
 * PDF, or a widget's snapshot), in layout pixels from (0, 0). */
#pragma once

#include <cairo.h>

#include "hl-ladder-layout.h"

G_BEGIN_DECLS

/* Draws what of the layout lies inside cr's clip; what lies wholly outside it is skipped
 * (the window shows a few rows of a ladder thousands of pixels tall). Returns how many of
 * the layout's texts it drew. */
guint hl_ladder_paint (const HlLadderLayout *layout, cairo_t *cr);
/* The same without the arrow of step `skip` (0: every arrow), for a view that draws that
 * arrow on its own while it travels (the rest then stays as it was drawn). */
guint hl_ladder_paint_except (const HlLadderLayout *layout, cairo_t *cr, guint skip);
/* One of the layout's arrows alone, as hl_ladder_paint draws it (line, head, padlock,
 * marks). */
void hl_ladder_paint_arrow (const HlLadderLayout *layout, const HlLadderArrow *arrow, cairo_t *cr);
/* A box holding all the ink an arrow can have, at any point of its travel. */
void hl_ladder_arrow_get_ink (const HlLadderArrow *arrow, HlLadderRect *ink);
/* One text box in its tone's colour, as hl_ladder_paint draws the layout's own. */
void hl_ladder_paint_text (const HlLadderText *text, HlLadderTheme theme, cairo_t *cr);

G_END_DECLS
