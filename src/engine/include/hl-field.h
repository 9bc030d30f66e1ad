/* hl-field.h: one decoded field of a message, with the bytes it covers.
 *
 * Decoders build trees of these; a step owns its fields and frees them with
 * the step. The top-level fields of a message tile its bytes, and every
 * child lies inside its parent.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HlField HlField;
struct _HlField {
  char *name;
  char *value;       /* as a person reads it */
  char *explanation; /* one sentence */
  gsize offset;      /* into the bytes the decoder was given, plus its base */
  gsize length;
  GPtrArray *children; /* HlField*, owned; may be empty */
};

/* Copies name, value and explanation; value is made valid UTF-8. */
HlField *hl_field_new (const char *name, gsize offset, gsize length, const char *value,
                       const char *explanation);
void hl_field_free (HlField *field);
HlField *hl_field_add (HlField *parent, HlField *child); /* takes child; returns it */
/* Moves a field and its children by `by` bytes (a decoder's local offsets into a
 * larger byte string). */
void hl_field_shift (HlField *field, gsize by);

/* Lowercase hex, newly allocated. */
char *hl_hex (const guint8 *data, gsize len);
char *hl_hex_bytes (GBytes *bytes); /* "" for NULL */
/* Bytes as a capture tool's byte pane shows them: lines of HL_HEX_DUMP_WIDTH bytes,
 * "0010  2b 2f a6 ..." with offsets, or the bytes alone; each line ends in '\n'. */
#define HL_HEX_DUMP_WIDTH 16
void hl_hex_dump (GString *out, GBytes *bytes, gboolean offsets);
/* A field's value in hex: whole up to 48 bytes, else "head…tail (N bytes)". */
char *hl_field_short_hex (const guint8 *data, gsize len);

G_END_DECLS
