/* hl-field-edit.c: typed values re-encoded into a field's bytes (hl-field-edit.h). */
#include "hl-field-edit.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <string.h>

G_DEFINE_QUARK (hl - field - edit - error - quark, hl_field_edit_error)

/* The tables a named field takes its values from. */
typedef enum {
  TABLE_NONE,
  TABLE_SUITE,
  TABLE_GROUP,
  TABLE_VERSION,
  TABLE_ALERT,
  TABLE_LEVEL,
  TABLE_SCHEME,
  TABLE_HANDSHAKE,
  TABLE_EXTENSION,
} Table;

/* By the decoder's field names and sizes: a certificate's "Version" or "Signature
 * algorithm" is DER of another length, and stays opaque. */
static Table
table_of (const HlField *f)
{
  const char *n = f->name;
  if (f->length == 2) {
    if (strcmp (n, "Cipher suite") == 0)
      return TABLE_SUITE;
    if (strcmp (n, "Group") == 0 || strcmp (n, "Named curve") == 0
        || strcmp (n, "Selected group") == 0)
      return TABLE_GROUP;
    if (strcmp (n, "Client version") == 0 || strcmp (n, "Server version") == 0
        || strcmp (n, "Version") == 0)
      return TABLE_VERSION;
    if (strcmp (n, "Signature algorithm") == 0)
      return TABLE_SCHEME;
    if (strcmp (n, "Extension type") == 0)
      return TABLE_EXTENSION;
  } else if (f->length == 1) {
    if (strcmp (n, "Description") == 0)
      return TABLE_ALERT;
    if (strcmp (n, "Level") == 0)
      return TABLE_LEVEL;
    if (strcmp (n, "Handshake type") == 0)
      return TABLE_HANDSHAKE;
  }
  return TABLE_NONE;
}

/* The name of code in a table; NULL when the table has none. */
static const char *
name_in (Table t, guint code)
{
  const char *s = NULL;
  switch (t) {
  case TABLE_SUITE: {
    const HlSuite *suite = hl_suite_by_id (code);
    return suite ? suite->name : NULL;
  }
  case TABLE_GROUP:
    return hl_curve_name (code);
  case TABLE_VERSION:
    return hl_version_name (code);
  case TABLE_ALERT:
    s = hl_alert_name (code);
    return strcmp (s, "unknown alert") == 0 ? NULL : s;
  case TABLE_LEVEL:
    return code == 1 ? "warning" : code == 2 ? "fatal" : NULL;
  case TABLE_SCHEME:
    s = hl_signature_scheme_name (code);
    return strcmp (s, "unknown scheme") == 0 ? NULL : s;
  case TABLE_HANDSHAKE:
    return hl_handshake_type_name (code);
  case TABLE_EXTENSION:
    s = hl_extension_name (code);
    return strcmp (s, "unknown extension") == 0 ? NULL : s;
  default:
    return NULL;
  }
}

static guint
table_size (Table t)
{
  return t == TABLE_ALERT || t == TABLE_LEVEL || t == TABLE_HANDSHAKE ? 256 : 65536;
}

/* "TLS 1.2" and "tls1.2" both name TLS1.2: case and spaces do not count. */
static gboolean
same_name (const char *typed, const char *name)
{
  while (*typed || *name) {
    if (*typed == ' ') {
      typed++;
      continue;
    }
    if (g_ascii_tolower (*typed) != g_ascii_tolower (*name))
      return FALSE;
    typed++;
    name++;
  }
  return TRUE;
}

static gboolean
lookup_name (Table t, const char *typed, guint *code)
{
  if (t == TABLE_SUITE) {
    for (guint i = 0; hl_suite_nth (i); i++)
      if (same_name (typed, hl_suite_nth (i)->name)) {
        *code = hl_suite_nth (i)->id;
        return TRUE;
      }
    return FALSE;
  }
  for (guint c = 0; c < table_size (t); c++) {
    const char *n = name_in (t, c);
    if (n && same_name (typed, n)) {
      *code = c;
      return TRUE;
    }
  }
  return FALSE;
}

HlFieldKind
hl_field_kind (const HlField *field)
{
  guint64 v;
  if (table_of (field) != TABLE_NONE)
    return HL_FIELD_KIND_NAMED;
  /* The decoders write integers as plain decimal (take_uint). */
  if (field->length >= 1 && field->length <= 4 && field->children->len == 0 && field->value
      && g_ascii_string_to_unsigned (field->value, 10, 0, G_MAXUINT64, &v, NULL))
    return HL_FIELD_KIND_INTEGER;
  return HL_FIELD_KIND_OPAQUE;
}

const char *
hl_field_kind_hint (const HlField *field)
{
  switch (table_of (field)) {
  case TABLE_SUITE:
    return _ ("a cipher suite's name, or its number (0xc02f)");
  case TABLE_GROUP:
    return _ ("a group's name (x25519, secp256r1...), or its number");
  case TABLE_VERSION:
    return _ ("a version (TLS1.0 to TLS1.3), or its number (0x0303)");
  case TABLE_ALERT:
    return _ ("an alert's name (handshake_failure...), or its number");
  case TABLE_LEVEL:
    return _ ("warning or fatal, or a number");
  case TABLE_SCHEME:
    return _ ("a signature scheme's name (rsa_pkcs1_sha256...), or its number");
  case TABLE_HANDSHAKE:
    return _ ("a handshake message's name, or its number");
  case TABLE_EXTENSION:
    return _ ("an extension's name, or its number");
  default:
    break;
  }
  return hl_field_kind (field) == HL_FIELD_KIND_INTEGER ? _ ("a whole number")
                                                        : _ ("hex, two digits a byte");
}

GStrv
hl_field_value_names (const HlField *field)
{
  Table t = table_of (field);
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv out;
  if (t == TABLE_SUITE) {
    for (guint i = 0; hl_suite_nth (i); i++)
      g_strv_builder_add (b, hl_suite_nth (i)->name);
  } else if (t != TABLE_NONE) {
    for (guint c = 0; c < table_size (t); c++)
      if (name_in (t, c))
        g_strv_builder_add (b, name_in (t, c));
  }
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

static gboolean
field_bytes (const HlField *field, GBytes *message, const guint8 **d, GError **error)
{
  gsize len;
  *d = g_bytes_get_data (message, &len);
  if (field->offset > len || field->length > len - field->offset || field->length == 0) {
    g_set_error (error, HL_FIELD_EDIT_ERROR, HL_FIELD_EDIT_ERROR_RANGE,
                 _ ("%s (bytes %zu to %zu) is not inside this message of %zu bytes"), field->name,
                 field->offset, field->offset + field->length, len);
    return FALSE;
  }
  return TRUE;
}

static guint64
read_uint (const guint8 *d, gsize n)
{
  guint64 v = 0;
  for (gsize i = 0; i < n; i++)
    v = v << 8 | d[i];
  return v;
}

char *
hl_field_edit_text (const HlField *field, GBytes *message)
{
  const guint8 *d;
  guint64 v;
  if (!field_bytes (field, message, &d, NULL))
    return g_strdup ("");
  d += field->offset;
  switch (hl_field_kind (field)) {
  case HL_FIELD_KIND_NAMED: {
    const char *name;
    v = read_uint (d, field->length);
    name = name_in (table_of (field), (guint)v);
    return name ? g_strdup (name)
                : g_strdup_printf (field->length == 2 ? "0x%04x" : "%u", (guint)v);
  }
  case HL_FIELD_KIND_INTEGER:
    return g_strdup_printf ("%" G_GUINT64_FORMAT, read_uint (d, field->length));
  default:
    return hl_hex (d, field->length);
  }
}

/* A number typed in decimal or 0x hex. */
static gboolean
parse_number (const char *text, guint64 max, guint64 *out)
{
  if (g_str_has_prefix (text, "0x") || g_str_has_prefix (text, "0X"))
    return text[2] && g_ascii_string_to_unsigned (text + 2, 16, 0, max, out, NULL);
  return g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL);
}

static GBytes *
with_field (GBytes *message, const HlField *field, const guint8 *value)
{
  gsize len;
  guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (message), &len);
  memcpy (copy + field->offset, value, field->length);
  return g_bytes_new_take (copy, len);
}

GBytes *
hl_field_encode (const HlField *field, GBytes *message, const char *text, GError **error)
{
  const guint8 *d;
  g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
  g_autofree guint8 *value = NULL;
  guint64 max, v;
  if (!field_bytes (field, message, &d, error))
    return NULL;
  max = field->length >= 8 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << (8 * field->length)) - 1;
  value = g_malloc (field->length);
  switch (hl_field_kind (field)) {
  case HL_FIELD_KIND_NAMED: {
    guint code;
    Table tab = table_of (field);
    if (lookup_name (tab, t, &code)) {
      v = code;
    } else if (!parse_number (t, max, &v)) {
      g_auto (GStrv) names = hl_field_value_names (field);
      GString *some = g_string_new (NULL);
      for (guint i = 0; names[i] && i < 4; i++)
        g_string_append_printf (some, "%s%s", i ? ", " : "", names[i]);
      if (g_strv_length (names) > 4)
        g_string_append (some, ", …");
      g_set_error (error, HL_FIELD_EDIT_ERROR, HL_FIELD_EDIT_ERROR_INVALID,
                   _ ("“%s” is not a value of %s: type a name (%s) or a number from 0 to %u"), t,
                   field->name, some->str, (guint)max);
      g_string_free (some, TRUE);
      return NULL;
    }
    break;
  }
  case HL_FIELD_KIND_INTEGER:
    if (!parse_number (t, max, &v)) {
      g_set_error (
          error, HL_FIELD_EDIT_ERROR, HL_FIELD_EDIT_ERROR_INVALID,
          P_ ("“%s” is not a value of %s: type a whole number from 0 to %u (it has %zu byte)",
              "“%s” is not a value of %s: type a whole number from 0 to %u (it has %zu "
              "bytes)",
              field->length),
          t, field->name, (guint)max, field->length);
      return NULL;
    }
    break;
  default: {
    gsize n = 0, digits = 0;
    int hi = -1;
    const char *p = t;
    if (g_str_has_prefix (p, "0x"))
      p += 2;
    for (; *p; p++) {
      int x = g_ascii_xdigit_value (*p);
      if (g_ascii_isspace (*p) || *p == ':')
        continue;
      if (x < 0) {
        g_set_error (error, HL_FIELD_EDIT_ERROR, HL_FIELD_EDIT_ERROR_INVALID,
                     _ ("“%.*s” is not a hex digit: %s takes hex (0-9, a-f), two digits a byte"),
                     (int)(g_utf8_next_char (p) - p), p, field->name);
        return NULL;
      }
      digits++;
      if (hi < 0) {
        hi = x;
      } else {
        if (n < field->length)
          value[n] = (guint8)(hi << 4 | x);
        n++;
        hi = -1;
      }
    }
    if (hi >= 0 || n != field->length) {
      g_set_error (error, HL_FIELD_EDIT_ERROR, HL_FIELD_EDIT_ERROR_INVALID,
                   P_ ("%s is %zu byte: type %zu hex digits (now %zu)",
                       "%s is %zu bytes: type %zu hex digits (now %zu)", field->length),
                   field->name, field->length, field->length * 2, digits);
      return NULL;
    }
    return with_field (message, field, value);
  }
  }
  for (gsize i = 0; i < field->length; i++)
    value[field->length - 1 - i] = i < 8 ? (guint8)(v >> (8 * i)) : 0;
  return with_field (message, field, value);
}

GBytes *
hl_field_flip_bit (const HlField *field, GBytes *message, guint bit, GError **error)
{
  const guint8 *d;
  g_autofree guint8 *value = NULL;
  if (!field_bytes (field, message, &d, error))
    return NULL;
  if (bit >= field->length * 8) {
    g_set_error (error, HL_FIELD_EDIT_ERROR, HL_FIELD_EDIT_ERROR_INVALID,
                 _ ("%s has bits 0 to %zu: there is no bit %u"), field->name, field->length * 8 - 1,
                 bit);
    return NULL;
  }
  value = g_memdup2 (d + field->offset, field->length);
  value[field->length - 1 - bit / 8] ^= (guint8)(1u << (bit % 8));
  return with_field (message, field, value);
}

const HlField *
hl_field_find_at (const GPtrArray *fields, gsize offset)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    if (offset >= f->offset && offset < f->offset + f->length) {
      const HlField *inner = hl_field_find_at (f->children, offset);
      return inner ? inner : f;
    }
  }
  return NULL;
}
