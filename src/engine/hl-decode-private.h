/* hl-decode-private.h: what the decoders' files share (hl-decode.c, the handshake
 * messages and the byte reader; hl-decode-ext.c, the hello extensions;
 * hl-decode-record.c, records and the small messages). Not API.
 */
#pragma once

#include "hl-decode.h"

/* A cursor over a byte range; `base` turns local positions into message offsets. */
typedef struct {
  const guint8 *d;
  gsize len, pos, base;
  gboolean bad;
  /* For the next field taken only: its key (see hl_field_assign_ids) and number. */
  const char *key;
  gint64 number;
  gboolean numbered;
} Reader;

gboolean _hl_decode_need (Reader *r, gsize n);
/* The next field taken gets this key (NULL: from its name) and, if >= 0, number. */
void _hl_decode_key (Reader *r, const char *key, gint64 number);
/* Full ids for a decoded message (hl_field_assign_ids); prefix names the message. */
GPtrArray *_hl_decode_finish_ids (GPtrArray *fields, const char *prefix);
guint _hl_decode_peek_uint (Reader *r, gsize n);
/* Adds a field of n bytes to `into` with a printf value (hex if format is NULL);
 * NULL if the bytes are not there. */
HlField *_hl_decode_take (Reader *r, GPtrArray *into, const char *name, gsize n,
                          const char *explanation, const char *format, ...) G_GNUC_PRINTF (6, 7);
/* A length-prefixed integer field; returns the value, or -1 if missing. */
gint64 _hl_decode_take_uint (Reader *r, GPtrArray *into, const char *name, gsize n,
                             const char *explanation);
/* Whatever is left becomes one "Undecoded bytes" field, so the fields tile the input. */
void _hl_decode_finish_tiling (Reader *r, GPtrArray *into);
Reader _hl_decode_sub_reader (Reader *r, gsize n);
GPtrArray *_hl_decode_new_fields (void);

/* hl-decode-ext.c: an extensions block (hellos, EncryptedExtensions, TLS 1.3 certificates
 * and tickets); version is the hello's (0x0304 for TLS 1.3 messages, 0: unknown). */
void _hl_decode_take_extensions (Reader *r, GPtrArray *into, gboolean from_server, guint version);
