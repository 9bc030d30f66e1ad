/* hl-surface.h: one drawing as the bytes of a PNG, SVG or PDF file.
 *
 * Every export of a diagram (one ladder, the key schedule, a pair of ladders, the PDF
 * handout) paints with a function of its own onto the surface made here, so the size
 * limits, the stream and the error checks are written once.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Draws in units from (0, 0); for a PDF it may end pages with cairo_show_page. */
typedef void (*HlPaintFunc) (cairo_t *cr, gpointer data);

/* width x height units, scale pixels each: an opaque PNG. NULL with HL_DIAGRAM_ERROR_TOO_LARGE
 * when a side would pass what PNG tools open. */
GBytes *hl_surface_render_png (double width, double height, double scale, HlPaintFunc paint,
                               gpointer data, GError **error);
/* In px, as a web page sizes it. */
GBytes *hl_surface_render_svg (double width, double height, HlPaintFunc paint, gpointer data,
                               GError **error);
/* Pages of width x height points; title (or NULL) goes in its metadata. */
GBytes *hl_surface_render_pdf (double width, double height, const char *title, HlPaintFunc paint,
                               gpointer data, GError **error);

/* The bytes to path, whole or not at all (hl-output.h). */
gboolean hl_surface_write (const char *path, GBytes *bytes, GError **error);

G_END_DECLS
