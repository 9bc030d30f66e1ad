/* hl-surface.c: PNG, SVG and PDF surfaces for every export (hl-surface.h). */
#include "hl-surface.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>

#include "hl-i18n.h"
#include "hl-ladder-export.h"
#include "hl-output.h"
#include "hl-png.h"

#define MAX_PNG_SIDE 32767

static cairo_status_t
append_to_array (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Finishes a stream surface: its bytes, or NULL with an error naming the format. */
static GBytes *
finish (cairo_surface_t *surface, GByteArray *out, const char *what, GError **error)
{
  cairo_status_t status;
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    g_byte_array_unref (out);
    g_set_error (error, HL_DIAGRAM_ERROR, HL_DIAGRAM_ERROR_DRAW, _ ("cannot draw the %s: %s"), what,
                 cairo_status_to_string (status));
    return NULL;
  }
  return g_byte_array_free_to_bytes (out);
}

static void
paint_on (cairo_surface_t *surface, double scale, HlPaintFunc paint, gpointer data)
{
  cairo_t *cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  paint (cr, data);
  cairo_destroy (cr);
}

GBytes *
hl_surface_render_png (double w, double h, double scale, HlPaintFunc paint, gpointer data,
                       GError **error)
{
  cairo_surface_t *surface;
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
  paint_on (surface, scale, paint, data);
  png = hl_png_encode (surface);
  cairo_surface_destroy (surface);
  if (!png)
    g_set_error (error, HL_DIAGRAM_ERROR, HL_DIAGRAM_ERROR_DRAW, _ ("cannot encode the PNG"));
  return png;
}

GBytes *
hl_surface_render_svg (double w, double h, HlPaintFunc paint, gpointer data, GError **error)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_svg_surface_create_for_stream (append_to_array, out, w, h);
  cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
  paint_on (surface, 1, paint, data);
  return finish (surface, out, "SVG", error);
}

GBytes *
hl_surface_render_pdf (double w, double h, const char *title, HlPaintFunc paint, gpointer data,
                       GError **error)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_to_array, out, w, h);
  if (title)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Handshake Lab");
  paint_on (surface, 1, paint, data);
  return finish (surface, out, "PDF", error);
}

gboolean
hl_surface_write (const char *path, GBytes *bytes, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  return hl_write_file_atomically (path, data, len, error);
}
