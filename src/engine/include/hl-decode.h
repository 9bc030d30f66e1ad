/* hl-decode.h: every field of every message BearSSL sends, with its byte range. */
#pragma once

#include <glib.h>

#include "hl-field.h"

G_BEGIN_DECLS

/* What a decoder needs to know that the bytes alone do not say. */
typedef struct {
  guint version; /* negotiated version, 0 if not yet known */
  guint16 suite; /* negotiated suite, 0 if not yet known */
  gboolean from_server;
  guint16 group;  /* named group of a TLS 1.2 ECDH(E) exchange, 0 if not known */
  gboolean tls13; /* TLS 1.3, or on its way there (a ChangeCipherSpec then changes nothing) */
} HlDecodeContext;

/* A handshake message: 4-byte header and body. Top-level fields tile all bytes. */
/* Every decoder returns a new array of HlField* that owns its fields (g_ptr_array_unref
 * frees them all), or a new HlField (hl_field_free). */
GPtrArray *hl_decode_handshake (const guint8 *data, gsize len, const HlDecodeContext *ctx);
GPtrArray *hl_decode_alert (const guint8 *data, gsize len);
GPtrArray *hl_decode_change_cipher_spec (const guint8 *data, gsize len);
GPtrArray *hl_decode_application_data (const guint8 *data, gsize len);
/* Plaintext content of this record type (hl_tables' HL_CONTENT_*) with the decoder
 * above that reads it; any other type is read as application data. */
GPtrArray *hl_decode_content (guint content_type, const guint8 *data, gsize len,
                              const HlDecodeContext *ctx);
/* An encrypted record's payload: explicit nonce or IV, ciphertext, MAC or tag.
 * content_len: the decrypted content's length, or -1 when unknown; with it a CBC
 * ciphertext is split into encrypted content, MAC and padding. etm: both hellos agreed on
 * encrypt_then_mac (RFC 7366), so a CBC record's MAC follows the ciphertext in clear. */
GPtrArray *hl_decode_encrypted_record (const guint8 *data, gsize len, guint version, guint16 suite,
                                       gboolean etm, gssize content_len);
/* The records a step's message travelled in, header and payload, as one byte
 * string; the fields tile it (header fields, then the payload: for encrypted
 * records decoded as above). */
GPtrArray *hl_decode_records (const guint8 *data, gsize len, gboolean encrypted, guint version,
                              guint16 suite, gboolean etm, gssize content_len);

/* A DER certificate, as fields; offsets start at base. */
HlField *hl_decode_certificate (const guint8 *der, gsize len, gsize base, const char *name,
                                gboolean leaf);
/* A DER distinguished name as "CN=..., O=..."; NULL when it is not one. Newly allocated. */
char *hl_decode_distinguished_name (const guint8 *der, gsize len);

G_END_DECLS
