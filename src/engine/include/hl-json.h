/* hl-json.h: the few JSON writers the transcript and the HTML handout share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  HL_JSON_PLAIN = 0,
  /* Inside an HTML <script> element: "</" is written "<\/" so no value can end it. */
  HL_JSON_IN_HTML = 1,
} HlJsonFlags;

/* A JSON string of text (NULL: ""), made valid UTF-8 first. */
void hl_json_append_string (GString *out, const char *text, HlJsonFlags flags);
/* Bytes as a lowercase hex string ("" for NULL). */
void hl_json_append_hex (GString *out, GBytes *bytes, HlJsonFlags flags);

G_END_DECLS
