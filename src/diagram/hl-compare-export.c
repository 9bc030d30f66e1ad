/* hl-compare-export.c: two ladders side by side (hl-compare-export.h). */
#include "hl-compare-export.h"

#include <math.h>

#include "hl-i18n.h"
#include "hl-ladder-export.h"
#include "hl-ladder-paint.h"
#include "hl-png.h"

#define MAX_PNG_SIDE 32767
#define GAP 24.0

GBytes *
hl_compare_render_png (const HlRun *a, const HlRun *b, const HlLadderOptions *options, double scale,
                       GError **error)
{
  g_autoptr (HlLadderLayout) la = hl_ladder_layout_new (a, options);
  g_autoptr (HlLadderLayout) lb = hl_ladder_layout_new (b, options);
  double wa = hl_ladder_layout_get_width (la), wb = hl_ladder_layout_get_width (lb);
  double ha = hl_ladder_layout_get_height (la), hb = hl_ladder_layout_get_height (lb);
  double w = wa + GAP + wb, h = MAX (ha, hb);
  cairo_surface_t *surface;
  cairo_t *cr;
  GBytes *png;
  if (!(scale > 0) || w * scale > MAX_PNG_SIDE || h * scale > MAX_PNG_SIDE) {
    g_set_error (error, HL_DIAGRAM_ERROR, HL_DIAGRAM_ERROR_TOO_LARGE,
                 _ ("a PNG of %.0f x %.0f pixels at scale %g is more than PNG tools can open "
                    "(%d pixels a side); use a smaller --scale"),
                 w * scale, h * scale, scale, MAX_PNG_SIDE);
    return NULL;
  }
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int)ceil (w * scale),
                                        (int)ceil (h * scale));
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  /* The gap and the shorter ladder's foot: the left ladder's own background colour, read
   * from its painted corner, so both themes look whole. */
  cairo_save (cr);
  hl_ladder_paint (la, cr);
  cairo_restore (cr);
  cairo_surface_flush (surface);
  {
    guint32 px = *(guint32 *)cairo_image_surface_get_data (surface);
    cairo_set_source_rgb (cr, ((px >> 16) & 0xff) / 255.0, ((px >> 8) & 0xff) / 255.0,
                          (px & 0xff) / 255.0);
    cairo_rectangle (cr, wa, 0, GAP + wb, h);
    cairo_rectangle (cr, 0, ha, wa, h - ha);
    cairo_fill (cr);
  }
  cairo_save (cr);
  cairo_translate (cr, wa + GAP, 0);
  hl_ladder_paint (lb, cr);
  cairo_restore (cr);
  cairo_destroy (cr);
  png = hl_png_encode (surface);
  cairo_surface_destroy (surface);
  if (!png)
    g_set_error (error, HL_DIAGRAM_ERROR, HL_DIAGRAM_ERROR_DRAW, _ ("cannot encode the PNG"));
  return png;
}
