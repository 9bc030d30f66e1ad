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
  /* Structured facts, for code that reads a field (the diagram, tests): never match
   * name or value, which are for people. id is stable and unique within a message:
   * "client_hello.cipher_suites", "client_hello.extensions.key_share.key_share.0.group",
   * a repeated sibling numbered from 0 (see hl_field_assign_ids). number is the integer
   * the field encodes (a version, suite, group, scheme, type or length), -1 for none. */
  char *id;
  gint64 number;
};

/* Copies name, value and explanation; value is made valid UTF-8. */
HlField *hl_field_new (const char *name, gsize offset, gsize length, const char *value,
                       const char *explanation);
void hl_field_free (HlField *field);
HlField *hl_field_add (HlField *parent, HlField *child); /* takes child; returns it */
/* A deep copy of field and its children (ids and numbers too), for a holder that must
 * outlive the step owning the original. */
HlField *hl_field_copy (const HlField *field);
/* Moves a field and its children by `by` bytes (a decoder's local offsets into a
 * larger byte string). */
void hl_field_shift (HlField *field, gsize by);
/* Sets field's id when id is not NULL (a key relative to its parent until
 * hl_field_assign_ids) and its number when number >= 0; returns field. NULL-safe: a
 * decoder's missing field stays missing. */
HlField *hl_field_set_id (HlField *field, const char *id, gint64 number);
/* Turns the keys of a decoded tree into full ids: prefix "." key, where a field
 * without a key takes its name in lowercase with "_" for each run of other characters,
 * and siblings sharing a key get ".0", ".1"... Call once, on a whole message. */
void hl_field_assign_ids (GPtrArray *fields, const char *prefix);
/* The field of this full id in the tree, or NULL. */
const HlField *hl_field_find (const GPtrArray *fields, const char *id);
/* The first field shown with this name ("Cipher suites"), at any depth, in the order the
 * tree is read (a field before its children, its children before its next sibling); NULL
 * when none. NULL-safe. */
const HlField *hl_field_find_named (const GPtrArray *fields, const char *name);
/* Whether field's id ends in "." key, or in "." key ".N" (a repeated sibling). */
gboolean hl_field_has_key (const HlField *field, const char *key);

/* Lowercase hex, newly allocated. */
char *hl_hex (const guint8 *data, gsize len);
char *hl_hex_bytes (GBytes *bytes); /* "" for NULL */
/* Bytes as a capture tool's byte pane shows them: lines of HL_HEX_DUMP_WIDTH bytes,
 * "0010  2b 2f a6 ..." with offsets, or the bytes alone; each line ends in '\n'. */
#define HL_HEX_DUMP_WIDTH 16
void hl_hex_dump (GString *out, GBytes *bytes, gboolean offsets);
/* Line LINE of that dump, without its '\n'; FALSE (nothing appended) past the last. */
gboolean hl_hex_dump_line (GString *out, GBytes *bytes, gsize line, gboolean offsets);
/* A field's value in hex: whole up to 48 bytes, else "head…tail (N bytes)". */
char *hl_field_short_hex (const guint8 *data, gsize len);

G_END_DECLS
