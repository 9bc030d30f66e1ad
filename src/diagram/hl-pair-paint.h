/* hl-pair-paint.h: draws a pair layout on any cairo surface, in layout units from (0, 0). */
#pragma once

#include <cairo.h>

#include "hl-pair-layout.h"

G_BEGIN_DECLS

void hl_pair_paint (const HlPairLayout *layout, cairo_t *cr);

G_END_DECLS
