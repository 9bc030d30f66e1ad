/* libFuzzer target: every message decoder. The first byte picks the decoder and the
 * context; the rest is the message. The fields must always tile the bytes. */
#include <stddef.h>
#include <stdint.h>

#include "hl-decode.h"

/* Every child lies inside its parent: a view highlighting a field's bytes never
 * reaches outside the message. */
static void
check_nesting (const GPtrArray *fields, size_t start, size_t end)
{
  for (guint i = 0; i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    g_assert (f->offset >= start && f->offset + f->length <= end);
    check_nesting (f->children, f->offset, f->offset + f->length);
  }
}

static void
check_tiling (GPtrArray *fields, size_t len)
{
  size_t off = 0;
  check_nesting (fields, 0, len);
  for (guint i = 0; i < fields->len; i++) {
    HlField *f = g_ptr_array_index (fields, i);
    g_assert (f->offset == off);
    off += f->length;
  }
  g_assert (off == len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const guint16 suites[]
      = { 0x002f, 0xc02f, 0xc02b, 0xcca9, 0xc0ac, 0x000a, 0xc02d, 0x1301 };
  HlDecodeContext ctx;
  GPtrArray *fields = NULL;
  guint8 sel;
  if (size < 1)
    return 0;
  sel = data[0];
  data++;
  size--;
  ctx.version = 0x0301 + (sel >> 6 & 3); /* TLS 1.0 to 1.3 */
  ctx.suite = suites[(sel >> 3 & 7) % G_N_ELEMENTS (suites)];
  ctx.from_server = sel & 4;
  switch (sel & 3) {
  case 0:
    fields = hl_decode_handshake (data, size, &ctx);
    check_tiling (fields, size);
    break;
  case 1:
    fields = sel & 4 ? hl_decode_alert (data, size) : hl_decode_change_cipher_spec (data, size);
    check_tiling (fields, size);
    break;
  case 2:
    /* A content length from the input, so the CBC split into content, MAC and padding runs. */
    fields = sel & 4 ? hl_decode_encrypted_record (data, size, ctx.version, ctx.suite, sel & 64,
                                                   size ? data[0] : -1)
                     : hl_decode_records (data, size, sel & 32, ctx.version, ctx.suite, sel & 64,
                                          size ? data[0] : -1);
    check_tiling (fields, size);
    break;
  case 3: {
    HlField *f = hl_decode_certificate (data, size, 0, "Certificate", TRUE);
    if (f)
      check_nesting (f->children, f->offset, f->offset + f->length);
    hl_field_free (f);
    break;
  }
  }
  if (fields)
    g_ptr_array_unref (fields);
  return 0;
}
