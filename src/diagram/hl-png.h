/* hl-png.h: a PNG writer for diagrams, fast where cairo's is thorough.
 *
 * A ladder is mostly flat colour and its rows mostly repeat: the Up filter and
 * zlib's fastest level pack it nearly as small as libpng's default, in half the
 * time. The output
 * depends only on the pixels, so it is byte-identical from run to run.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* An RGB24 or ARGB32 image surface as an opaque 8-bit RGB PNG; NULL if zlib fails. */
GBytes *hl_png_encode (cairo_surface_t *image);

G_END_DECLS
