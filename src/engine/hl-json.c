/* hl-json.c: JSON strings, escaped once for every writer. */
#include "hl-json.h"
#include "hl-decode.h"

void
hl_json_append_string (GString *out, const char *text, HlJsonFlags flags)
{
  g_autofree char *s = g_utf8_make_valid (text ? text : "", -1);
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"':
      g_string_append (out, "\\\"");
      break;
    case '\\':
      g_string_append (out, "\\\\");
      break;
    case '\n':
      g_string_append (out, "\\n");
      break;
    case '\r':
      g_string_append (out, "\\r");
      break;
    case '\t':
      g_string_append (out, "\\t");
      break;
    case '/':
      if ((flags & HL_JSON_IN_HTML) && p > (const unsigned char *)s && p[-1] == '<')
        g_string_append (out, "\\/");
      else
        g_string_append_c (out, '/');
      break;
    default:
      if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  }
  g_string_append_c (out, '"');
}

void
hl_json_append_hex (GString *out, GBytes *bytes, HlJsonFlags flags)
{
  g_autofree char *hex = hl_hex_bytes (bytes);
  hl_json_append_string (out, hex, flags);
}
