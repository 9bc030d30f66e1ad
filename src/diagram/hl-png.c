/* hl-png.c: PNG = signature, IHDR, IDAT (zlib stream of filtered rows), IEND. */
#include "hl-png.h"

#include <string.h>
#include <zlib.h>

static void
put_u32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff };
  g_byte_array_append (out, b, 4);
}

/* A chunk: length, type, data, CRC over type and data. */
static void
put_chunk (GByteArray *out, const char type[4], const guint8 *data, gsize len)
{
  uLong crc = crc32 (0, (const Bytef *)type, 4);
  put_u32 (out, (guint32)len);
  g_byte_array_append (out, (const guint8 *)type, 4);
  if (len)
    g_byte_array_append (out, data, len);
  if (len) /* crc32 with a NULL buffer would restart at 0 */
    crc = crc32 (crc, data, (uInt)len);
  put_u32 (out, (guint32)crc);
}

GBytes *
hl_png_encode (cairo_surface_t *image)
{
  static const guint8 signature[8] = { 137, 80, 78, 71, 13, 10, 26, 10 };
  int w = cairo_image_surface_get_width (image), h = cairo_image_surface_get_height (image);
  int stride = cairo_image_surface_get_stride (image);
  const guint8 *px;
  gsize row_len = 1 + 3 * (gsize)w;
  g_autofree guint8 *rows = NULL;
  g_autofree guint8 *packed = NULL;
  uLongf packed_len;
  z_stream z = { 0 };
  GByteArray *out;
  guint8 ihdr[13];
  cairo_surface_flush (image);
  px = cairo_image_surface_get_data (image);
  rows = g_malloc (row_len * h);
  for (int y = 0; y < h; y++) {
    /* Cairo stores native-endian 0xAARRGGBB words. Filter 2 (Up): each byte minus the
     * byte above it; a ladder's rows mostly repeat the row above, so they become zeros. */
    const guint32 *src = (const guint32 *)(px + (gsize)y * stride);
    const guint32 *above = y ? (const guint32 *)(px + (gsize)(y - 1) * stride) : NULL;
    guint8 *dst = rows + row_len * y;
    dst[0] = 2;
    for (int x = 0; x < w; x++) {
      guint32 a = above ? above[x] : 0;
      dst[1 + 3 * x] = (guint8)((src[x] >> 16) - (a >> 16));
      dst[2 + 3 * x] = (guint8)((src[x] >> 8) - (a >> 8));
      dst[3 + 3 * x] = (guint8)(src[x] - a);
    }
  }
  packed_len = compressBound (row_len * h);
  packed = g_malloc (packed_len);
  if (deflateInit2 (&z, 1, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return NULL;
  z.next_in = rows;
  z.avail_in = (uInt)(row_len * h);
  z.next_out = packed;
  z.avail_out = (uInt)packed_len;
  if (deflate (&z, Z_FINISH) != Z_STREAM_END) {
    deflateEnd (&z);
    return NULL;
  }
  packed_len = z.total_out;
  deflateEnd (&z);

  out = g_byte_array_new ();
  g_byte_array_append (out, signature, 8);
  memset (ihdr, 0, sizeof ihdr);
  ihdr[0] = w >> 24, ihdr[1] = w >> 16 & 0xff, ihdr[2] = w >> 8 & 0xff, ihdr[3] = w & 0xff;
  ihdr[4] = h >> 24, ihdr[5] = h >> 16 & 0xff, ihdr[6] = h >> 8 & 0xff, ihdr[7] = h & 0xff;
  ihdr[8] = 8; /* bits per channel */
  ihdr[9] = 2; /* colour type: RGB; compression, filter, interlace: 0 */
  put_chunk (out, "IHDR", ihdr, sizeof ihdr);
  put_chunk (out, "IDAT", packed, packed_len);
  put_chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (out);
}
