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

gboolean
hl_hex_dump_line (GString *out, GBytes *bytes, gsize line, gboolean offsets)
{
  gsize len = 0, off = line * HL_HEX_DUMP_WIDTH;
  const guint8 *d = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  if (off >= len)
    return FALSE;
  if (offsets)
    g_string_append_printf (out, "%04zx  ", off);
  for (gsize i = off; i < off + HL_HEX_DUMP_WIDTH && i < len; i++)
    g_string_append_printf (out, i > off ? " %02x" : "%02x", d[i]);
  return TRUE;
}

void
hl_hex_dump (GString *out, GBytes *bytes, gboolean offsets)
{
  for (gsize line = 0; hl_hex_dump_line (out, bytes, line, offsets); line++)
    g_string_append_c (out, '\n');
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
  f->number = -1;
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
  g_free (f->id);
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
hl_field_set_id (HlField *f, const char *id, gint64 number)
{
  if (!f)
    return NULL;
  if (id) {
    g_free (f->id);
    f->id = g_strdup (id);
  }
  if (number >= 0)
    f->number = number;
  return f;
}

/* "Encrypted premaster secret" -> "encrypted_premaster_secret" */
static char *
make_key (const char *name)
{
  GString *k = g_string_new (NULL);
  for (const char *p = name; *p; p++) {
    if (g_ascii_isalnum (*p))
      g_string_append_c (k, g_ascii_tolower (*p));
    else if (k->len && k->str[k->len - 1] != '_')
      g_string_append_c (k, '_');
  }
  while (k->len && k->str[k->len - 1] == '_')
    g_string_truncate (k, k->len - 1);
  if (!k->len)
    g_string_append (k, "field");
  return g_string_free (k, FALSE);
}

void
hl_field_assign_ids (GPtrArray *fields, const char *prefix)
{
  guint n = fields ? fields->len : 0;
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++) {
    HlField *f = g_ptr_array_index (fields, i);
    g_ptr_array_add (keys, f->id ? g_strdup (f->id) : make_key (f->name));
  }
  for (guint i = 0; i < n; i++) {
    HlField *f = g_ptr_array_index (fields, i);
    const char *key = g_ptr_array_index (keys, i);
    guint same = 0, before = 0;
    for (guint j = 0; j < n; j++)
      if (strcmp (g_ptr_array_index (keys, j), key) == 0) {
        same++;
        before += j < i;
      }
    g_free (f->id);
    f->id = same > 1 ? g_strdup_printf ("%s.%s.%u", prefix, key, before)
                     : g_strdup_printf ("%s.%s", prefix, key);
    hl_field_assign_ids (f->children, f->id);
  }
}

const HlField *
hl_field_find (const GPtrArray *fields, const char *id)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    gsize n = f->id ? strlen (f->id) : 0;
    if (!f->id)
      continue;
    if (strcmp (f->id, id) == 0)
      return f;
    /* Only a field whose id is a prefix of id can hold it. */
    if (strncmp (f->id, id, n) == 0 && id[n] == '.') {
      const HlField *inner = hl_field_find (f->children, id);
      if (inner)
        return inner;
    }
  }
  return NULL;
}

const HlField *
hl_field_find_named (const GPtrArray *fields, const char *name)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i), *inner;
    if (g_strcmp0 (f->name, name) == 0)
      return f;
    if ((inner = hl_field_find_named (f->children, name)))
      return inner;
  }
  return NULL;
}

gboolean
hl_field_has_key (const HlField *f, const char *key)
{
  const char *end, *dot;
  gsize n = strlen (key);
  if (!f || !f->id)
    return FALSE;
  end = f->id + strlen (f->id);
  dot = strrchr (f->id, '.');
  if (dot && dot[1] && strspn (dot + 1, "0123456789") == strlen (dot + 1))
    end = dot; /* ".N": look at the key before it */
  return (gsize)(end - f->id) > n && end[-(gssize)n - 1] == '.' && strncmp (end - n, key, n) == 0;
}

HlField *
hl_field_add (HlField *parent, HlField *child)
{
  g_ptr_array_add (parent->children, child);
  return child;
}

HlField *
hl_field_copy (const HlField *field)
{
  HlField *c
      = hl_field_new (field->name, field->offset, field->length, field->value, field->explanation);
  c->id = g_strdup (field->id);
  c->number = field->number;
  for (guint i = 0; i < field->children->len; i++)
    hl_field_add (c, hl_field_copy (g_ptr_array_index (field->children, i)));
  return c;
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
