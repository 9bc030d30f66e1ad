/* hl-ladder-paint.h: draws a ladder layout on any cairo surface (image, SVG,
 * PDF, or a widget's snapshot), in layout pixels from (0, 0). */
#pragma once

#include <cairo.h>

#include "hl-ladder-layout.h"

G_BEGIN_DECLS

void hl_ladder_paint (const HlLadderLayout *layout, cairo_t *cr);
/* One text box in its tone's colour, as hl_ladder_paint draws the layout's own. */
void hl_ladder_paint_text (const HlLadderText *text, HlLadderTheme theme, cairo_t *cr);

G_END_DECLS
