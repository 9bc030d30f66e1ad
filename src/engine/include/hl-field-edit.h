/* hl-field-edit.h: a decoded field changed by value, not by hex.
 *
 * A field is edited in place: the new value takes exactly the bytes the field
 * had, so every length around it still holds and the change is the one the
 * person meant. A field's kind says what a person types:
 *   - named: a name from the protocol's table (a cipher suite, a group, a
 *     version, an alert...), or its number;
 *   - integer: a whole number that fits the field's bytes (big-endian);
 *   - opaque: hex, exactly as many bytes as the field has.
 * Bits are numbered as in the field read as a big-endian number: bit 0 is the
 * lowest bit of its last byte.
 */
#pragma once

#include <glib.h>

#include "hl-field.h"

G_BEGIN_DECLS

#define HL_FIELD_EDIT_ERROR (hl_field_edit_error_quark ())
GQuark hl_field_edit_error_quark (void);
typedef enum {
  HL_FIELD_EDIT_ERROR_INVALID, /* the text is not a value of this field */
  HL_FIELD_EDIT_ERROR_RANGE,   /* the field lies outside the message's bytes */
} HlFieldEditError;

typedef enum {
  HL_FIELD_KIND_OPAQUE,
  HL_FIELD_KIND_INTEGER,
  HL_FIELD_KIND_NAMED,
} HlFieldKind;

HlFieldKind hl_field_kind (const HlField *field);
/* What to type, in a few words ("a cipher suite's name, or its number"). */
const char *hl_field_kind_hint (const HlField *field);
/* The names a named field takes, in table order (NULL-terminated, newly allocated); an
 * empty list for other kinds. */
GStrv hl_field_value_names (const HlField *field);
/* The field's present value in `message` as a person would type it (a name, a number, or
 * hex); newly allocated. */
char *hl_field_edit_text (const HlField *field, GBytes *message);
/* `message` with the field set to `text`; NULL with an error that says what to type. */
GBytes *hl_field_encode (const HlField *field, GBytes *message, const char *text, GError **error);
/* `message` with one bit of the field flipped (bit 0: the lowest bit of its last byte). */
GBytes *hl_field_flip_bit (const HlField *field, GBytes *message, guint bit, GError **error);
/* The innermost field of `fields` (and their children) that covers byte `offset`; NULL if
 * none. */
const HlField *hl_field_find_at (const GPtrArray *fields, gsize offset);

G_END_DECLS
