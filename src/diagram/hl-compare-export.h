/* hl-compare-export.h: two lessons' ladders side by side, as one PNG (issue 20). */
#pragma once

#include "hl-ladder-layout.h"

G_BEGIN_DECLS

/* a's ladder on the left, b's on the right, each laid out and painted as
 * hl_ladder_render_png would (options for both), top-aligned, on the theme's background
 * drawn from the left ladder's corner. NULL with error when too large or not encodable. */
GBytes *hl_compare_render_png (const HlRun *a, const HlRun *b, const HlLadderOptions *options,
                               double scale, GError **error);

G_END_DECLS
