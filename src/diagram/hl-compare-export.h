/* hl-compare-export.h: two lessons side by side as files (issue 20, "Compare two lessons").
 *
 * Each format paints one pair layout (hl-pair-layout.h): a's ladder on the left, b's on
 * the right, their rows lined up by the comparison's story steps, a message one side lacks
 * marked on that side. cmp was made from a and b in that order; options as for one ladder
 * (theme, width, hide_notes). NULL with error when too large or not drawable.
 */
#pragma once

#include "hl-compare.h"
#include "hl-ladder-layout.h"

G_BEGIN_DECLS

GBytes *hl_compare_render_png (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                               const HlLadderOptions *options, double scale, GError **error);
GBytes *hl_compare_render_svg (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                               const HlLadderOptions *options, GError **error);
/* The pair on its first page, the summary on the next. */
GBytes *hl_compare_render_pdf (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                               const HlLadderOptions *options, GError **error);
/* One self-contained page: the pair as inline SVG, the summary and the messages by story
 * step as tables. Nothing is fetched. */
GBytes *hl_compare_render_html (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                                const HlLadderOptions *options, GError **error);

/* The format its name ends in (.png, .svg, .pdf, .html): 0 to 3; -1 for none of them. */
int hl_compare_format_of (const char *path);
/* To path in the format of its name, whole or not at all; the error names path. */
gboolean hl_compare_export (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                            const HlLadderOptions *options, double scale, const char *path,
                            GError **error);

G_END_DECLS
