/* hl-field.c: decoded fields and the hex they show. */
#include "hl-field.h"

#include <string.h>

char *
hl_hex (const guint8 *data, gsize len)
{
  static const char digits[] = "0123456789abcdef";
  char *s = g_malloc (len * 2 + 1);
  for (gsize i = 0; i < len; i++) {
    s[2 * i] = digits[data[i] >> 4];
    s[2 * i + 1] = digits[data[i] & 15];
  }
  s[len * 2] = '\0';
  return s;
}

char *
hl_hex_bytes (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *d = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  return hl_hex (d, len);
}

void
hl_hex_dump (GString *out, GBytes *bytes, gboolean offsets)
{
  gsize len = 0;
  const guint8 *d = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  for (gsize off = 0; off < len; off += HL_HEX_DUMP_WIDTH) {
    if (offsets)
      g_string_append_printf (out, "%04zx  ", off);
    for (gsize i = off; i < off + HL_HEX_DUMP_WIDTH && i < len; i++)
      g_string_append_printf (out, i > off ? " %02x" : "%02x", d[i]);
    g_string_append_c (out, '\n');
  }
}

HlField *
hl_field_new (const char *name, gsize offset, gsize length, const char *value,
              const char *explanation)
{
  HlField *f = g_new0 (HlField, 1);
  f->name = g_strdup (name);
  f->offset = offset;
  f->length = length;
  /* Names in certificates, SNI and ALPN are bytes from the wire: keep the text valid UTF-8. */
  f->value = g_utf8_make_valid (value ? value : "", -1);
  f->explanation = g_strdup (explanation ? explanation : "");
  f->children = g_ptr_array_new_with_free_func ((GDestroyNotify)hl_field_free);
  return f;
}

void
hl_field_free (HlField *f)
{
  if (!f)
    return;
  g_free (f->name);
  g_free (f->value);
  g_free (f->explanation);
  g_ptr_array_unref (f->children);
  g_free (f);
}

void
hl_field_shift (HlField *f, gsize by)
{
  f->offset += by;
  for (guint i = 0; i < f->children->len; i++)
    hl_field_shift (g_ptr_array_index (f->children, i), by);
}

HlField *
hl_field_add (HlField *parent, HlField *child)
{
  g_ptr_array_add (parent->children, child);
  return child;
}

char *
hl_field_short_hex (const guint8 *d, gsize len)
{
  if (len <= 48)
    return hl_hex (d, len);
  {
    g_autofree char *head = hl_hex (d, 24);
    g_autofree char *tail = hl_hex (d + len - 8, 8);
    return g_strdup_printf ("%s…%s (%zu bytes)", head, tail, len);
  }
}
