/* Decoders on fixed byte vectors. */
#include <string.h>

#include "hl-decode.h"

static HlField *
field (GPtrArray *fields, const char *name)
{
  for (guint i = 0; i < fields->len; i++) {
    HlField *f = g_ptr_array_index (fields, i);
    if (strcmp (f->name, name) == 0)
      return f;
  }
  return NULL;
}

static void
assert_tiles (GPtrArray *fields, gsize len)
{
  gsize off = 0;
  for (guint i = 0; i < fields->len; i++) {
    HlField *f = g_ptr_array_index (fields, i);
    g_assert_cmpuint (f->offset, ==, off);
    off += f->length;
  }
  g_assert_cmpuint (off, ==, len);
}

/* A minimal TLS 1.2 ClientHello: one suite, SNI "a.b", supported_groups x25519. */
static const guint8 client_hello[] = {
  0x01, 0x00, 0x00, 0x3f, 0x03, 0x03,
  /* random */
  0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
  25, 26, 27, 28, 0x00,                                                /* session id length */
  0x00, 0x02, 0xc0, 0x2f,                                              /* suites */
  0x01, 0x00,                                                          /* compression */
  0x00, 0x14,                                                          /* extensions length: 20 */
  0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00, 0x00, 0x03, 'a', '.', 'b', /* SNI */
  0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d,                      /* groups */
};

static void
test_client_hello (void)
{
  HlDecodeContext ctx = { 0 };
  g_autoptr (GPtrArray) f = hl_decode_handshake (client_hello, sizeof client_hello, &ctx);
  HlField *suites, *ext, *sni;
  assert_tiles (f, sizeof client_hello);
  g_assert_cmpstr (field (f, "Handshake type")->value, ==, "ClientHello (1)");
  g_assert_cmpstr (field (f, "Client version")->value, ==, "TLS 1.2 (0x0303)");
  suites = field (f, "Cipher suites");
  g_assert_cmpuint (suites->children->len, ==, 1);
  g_assert_cmpstr (((HlField *)g_ptr_array_index (suites->children, 0))->value, ==,
                   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)");
  ext = field (f, "Extensions");
  g_assert_cmpstr (ext->value, ==, "2 extensions");
  sni = g_ptr_array_index (ext->children, 0);
  g_assert_cmpstr (sni->name, ==, "server_name");
  g_assert_nonnull (field (sni->children, "Host name"));
  g_assert_cmpstr (field (sni->children, "Host name")->value, ==, "a.b");
  g_assert_cmpuint (field (sni->children, "Host name")->offset, ==, sizeof client_hello - 11);
  g_assert_cmpstr (
      field (((HlField *)g_ptr_array_index (ext->children, 1))->children, "Group")->value, ==,
      "x25519 (29)");
}

/* A length that runs past the end: decoding stops, the rest is "Undecoded bytes". */
static void
test_truncated (void)
{
  HlDecodeContext ctx = { 0 };
  gsize len = 50;
  g_autoptr (GPtrArray) f = hl_decode_handshake (client_hello, len, &ctx);
  assert_tiles (f, len);
  g_assert_nonnull (field (f, "Undecoded bytes"));
}

static void
test_every_prefix_tiles (void)
{
  HlDecodeContext ctx = { 0x0303, 0xc02f, FALSE };
  for (gsize len = 0; len <= sizeof client_hello; len++) {
    g_autofree guint8 *exact = g_memdup2 (client_hello, len ? len : 1);
    g_autoptr (GPtrArray) f = hl_decode_handshake (exact, len, &ctx);
    assert_tiles (f, len);
  }
}

static void
test_alert (void)
{
  const guint8 a[] = { 2, 40 };
  g_autoptr (GPtrArray) f = hl_decode_alert (a, 2);
  assert_tiles (f, 2);
  g_assert_cmpstr (field (f, "Level")->value, ==, "fatal (2)");
  g_assert_cmpstr (field (f, "Description")->value, ==, "handshake_failure (40)");
}

static void
test_server_key_exchange (void)
{
  /* named_curve x25519, 32-byte point, rsa_pkcs1_sha256, 4-byte signature */
  guint8 m[4 + 1 + 2 + 1 + 32 + 2 + 2 + 4] = { 12, 0, 0, 44, 3, 0, 29, 32 };
  HlDecodeContext ctx = { 0x0303, 0xc02f, TRUE };
  g_autoptr (GPtrArray) f = NULL;
  m[40] = 0x04;
  m[41] = 0x01;
  m[43] = 4;
  f = hl_decode_handshake (m, sizeof m, &ctx);
  assert_tiles (f, sizeof m);
  g_assert_cmpstr (field (f, "Named curve")->value, ==, "x25519 (29)");
  g_assert_cmpstr (field (f, "Signature algorithm")->value, ==, "rsa_pkcs1_sha256 (0x0401)");
  g_assert_cmpuint (field (f, "Signature")->length, ==, 4);
}

static void
test_encrypted_record_gcm (void)
{
  guint8 r[8 + 16 + 16] = { 0 };
  g_autoptr (GPtrArray) f = hl_decode_encrypted_record (r, sizeof r, 0x0303, 0xc02f, FALSE, -1);
  assert_tiles (f, sizeof r);
  g_assert_cmpuint (field (f, "Explicit nonce")->length, ==, 8);
  g_assert_cmpuint (field (f, "Authentication tag")->length, ==, 16);
}

/* Layouts a capture brings that lessons do not (eighteenth reading): TLS 1.2's
 * NewSessionTicket (RFC 5077 3.3), an encrypt-then-MAC record (RFC 7366 3), TLS 1.3's
 * ChangeCipherSpec (RFC 8446 D.4), an X448 and a GREASE key share, a DHE suite's key
 * exchange (not read as ECDH). */
static void
test_capture_layouts (void)
{
  /* NewSessionTicket: lifetime hint 7200, a 3-byte ticket. */
  static const guint8 nst[] = { 4, 0, 0, 9, 0, 0, 0x1c, 0x20, 0, 3, 0xaa, 0xbb, 0xcc };
  HlDecodeContext tls12 = { 0x0303, 0xc02f, TRUE, 0, FALSE };
  HlDecodeContext tls13 = { 0x0304, 0x1301, TRUE, 0, TRUE };
  HlDecodeContext dhe = { 0x0303, 0x009e, TRUE, 0, FALSE };
  g_autoptr (GPtrArray) f12 = hl_decode_handshake (nst, sizeof nst, &tls12);
  g_autoptr (GPtrArray) ccs = NULL;
  g_autoptr (GPtrArray) etm = NULL;
  g_autoptr (GPtrArray) mte = NULL;
  g_autoptr (GPtrArray) ske = NULL;
  g_autoptr (GPtrArray) sh = NULL;
  guint8 record[16 + 32 + 20] = { 0 };
  guint8 kx[4 + 2 + 1 + 1] = { 12, 0, 0, 4, 0, 1, 0x17, 0 };
  /* ServerHello with one extension, key_share: X448 (30), 56 bytes. */
  guint8 hello[4 + 2 + 32 + 1 + 2 + 1 + 2 + 4 + 2 + 2 + 56]
      = { 2, 0, 0, 2 + 32 + 1 + 2 + 1 + 2 + 64, 3, 3 };
  gsize at = 4 + 2 + 32;
  hello[at++] = 0;    /* session id length */
  hello[at++] = 0x13; /* TLS_AES_128_GCM_SHA256 */
  hello[at++] = 0x01;
  hello[at++] = 0;                   /* compression */
  hello[at++] = 0, hello[at++] = 64; /* extensions length */
  hello[at++] = 0, hello[at++] = 51, hello[at++] = 0, hello[at++] = 60;
  hello[at++] = 0, hello[at++] = 30, hello[at++] = 0, hello[at++] = 56;
  g_assert_cmpuint (at + 56, ==, sizeof hello);
  assert_tiles (f12, sizeof nst);
  g_assert_cmpuint (field (f12, "Ticket lifetime hint")->length, ==, 4);
  g_assert_cmpuint (field (f12, "Ticket")->length, ==, 3);
  g_assert_nonnull (strstr (field (f12, "Ticket")->explanation, "SessionTicket extension"));
  g_assert_null (field (f12, "Ticket age add"));
  {
    /* The TLS 1.3 layout for a TLS 1.3 connection: lifetime, age add, nonce, ticket. */
    static const guint8 nst13[]
        = { 4, 0, 0, 15, 0, 0, 0x1c, 0x20, 1, 2, 3, 4, 1, 9, 0, 2, 7, 7, 0, 0 };
    g_autoptr (GPtrArray) f13 = hl_decode_handshake (nst13, sizeof nst13, &tls13);
    assert_tiles (f13, sizeof nst13);
    g_assert_nonnull (field (f13, "Ticket age add"));
  }
  ccs = hl_decode_content (20, (const guint8 *)"\1", 1, &tls13);
  g_assert_nonnull (strstr (field (ccs, "Change cipher spec")->explanation, "changes nothing"));
  /* TLS_RSA_WITH_AES_128_CBC_SHA, 5 bytes of content: IV, then content and padding, then
   * HMAC-SHA1's 20 bytes in clear. */
  etm = hl_decode_encrypted_record (record, sizeof record, 0x0303, 0x002f, TRUE, 5);
  assert_tiles (etm, sizeof record);
  g_assert_cmpuint (field (etm, "Explicit IV")->length, ==, 16);
  g_assert_cmpuint (field (etm, "Ciphertext")->length, ==, 32);
  g_assert_cmpuint (field (etm, "MAC")->length, ==, 20);
  g_assert_nonnull (strstr (field (etm, "MAC")->explanation, "RFC 7366 3"));
  g_assert_nonnull (hl_field_find_named (etm, "Encrypted padding"));
  g_assert_null (hl_field_find_named (etm, "Encrypted MAC"));
  mte = hl_decode_encrypted_record (record, sizeof record, 0x0303, 0x002f, FALSE, 5);
  g_assert_null (field (mte, "MAC"));
  g_assert_cmpuint (hl_field_find_named (mte, "Encrypted MAC")->length, ==, 20);
  g_assert_nonnull (
      strstr (hl_field_find_named (mte, "Encrypted MAC")->explanation, "content length"));
  /* TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: no curve type, no named curve. */
  ske = hl_decode_handshake (kx, sizeof kx, &dhe);
  assert_tiles (ske, sizeof kx);
  g_assert_null (field (ske, "Named curve"));
  g_assert_cmpuint (field (ske, "Key exchange")->length, ==, 4);
  sh = hl_decode_handshake (hello, sizeof hello, &tls13);
  assert_tiles (sh, sizeof hello);
  g_assert_nonnull (strstr (hl_field_find_named (sh, "Key exchange")->explanation, "X448"));
  g_assert_nonnull (strstr (hl_field_find_named (sh, "Key exchange")->explanation, "56 bytes"));
}

/* Bytes from the wire are not always UTF-8: field values always are. */
static void
test_values_are_utf8 (void)
{
  HlField *f = hl_field_new ("CN", 0, 1, "caf\xe9", NULL);
  g_assert_true (g_utf8_validate (f->value, -1, NULL));
  g_assert_true (g_str_has_prefix (f->value, "caf"));
  hl_field_free (f);
}

/* Two field trees are the same, field by field. */
static void
assert_same_tree (const HlField *a, const HlField *b)
{
  g_assert_true (a != b);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpuint (a->offset, ==, b->offset);
  g_assert_cmpuint (a->length, ==, b->length);
  g_assert_cmpstr (a->value, ==, b->value);
  g_assert_cmpstr (a->explanation, ==, b->explanation);
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpint (a->number, ==, b->number);
  g_assert_cmpuint (a->children->len, ==, b->children->len);
  for (guint i = 0; i < a->children->len; i++)
    assert_same_tree (g_ptr_array_index (a->children, i), g_ptr_array_index (b->children, i));
}

/* A copy of a decoded message's fields outlives them and keeps every level. */
static void
test_field_copy (void)
{
  HlDecodeContext ctx = { 0 };
  g_autoptr (GPtrArray) f = hl_decode_handshake (client_hello, sizeof client_hello, &ctx);
  for (guint i = 0; i < f->len; i++) {
    HlField *copy = hl_field_copy (g_ptr_array_index (f, i));
    assert_same_tree (g_ptr_array_index (f, i), copy);
    hl_field_free (copy);
  }
  g_assert_cmpuint (field (f, "Extensions")->children->len, >, 0);
}

/* By name at any depth: a top-level field, an extension inside "Extensions" (the same
 * field, not a copy), nothing for a name no field has or no tree. */
static void
test_field_find_named (void)
{
  HlDecodeContext ctx = { 0 };
  g_autoptr (GPtrArray) f = hl_decode_handshake (client_hello, sizeof client_hello, &ctx);
  const HlField *ext = g_ptr_array_index (field (f, "Extensions")->children, 0);
  g_assert_true (hl_field_find_named (f, "Extensions") == field (f, "Extensions"));
  g_assert_true (hl_field_find_named (f, ext->name) == ext);
  g_assert_null (hl_field_find_named (f, "No such field"));
  g_assert_null (hl_field_find_named (NULL, "Extensions"));
}

/* Regression (found in review): a ClientHello ending right after "compression methods
 * length = 1" made the decoder read one byte past the buffer. An exact-size heap copy
 * lets the sanitizer build see any such read. */
static void
test_client_hello_ends_at_compression (void)
{
  HlDecodeContext ctx = { 0 };
  gsize len = 44; /* up to and including the compression methods length */
  g_autofree guint8 *exact = g_memdup2 (client_hello, len);
  g_autoptr (GPtrArray) f = NULL;
  g_assert_cmpuint (exact[43], ==, 1);
  f = hl_decode_handshake (exact, len, &ctx);
  assert_tiles (f, len);
  g_assert_cmpstr (((HlField *)g_ptr_array_index (f, f->len - 1))->name, ==,
                   "Compression methods length");
}

/* The byte pane: 16 to a line, offsets in hex, every line ended. */
static void
test_hex_dump (void)
{
  guint8 d[17];
  g_autoptr (GBytes) b = NULL;
  g_autoptr (GString) with = g_string_new (NULL);
  g_autoptr (GString) without = g_string_new (NULL);
  g_autoptr (GString) empty = g_string_new (NULL);
  for (guint i = 0; i < sizeof d; i++)
    d[i] = i * 17;
  b = g_bytes_new (d, sizeof d);
  hl_hex_dump (with, b, TRUE);
  hl_hex_dump (without, b, FALSE);
  hl_hex_dump (empty, NULL, TRUE);
  g_assert_cmpstr (with->str, ==,
                   "0000  00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff\n0010  10\n");
  g_assert_cmpstr (without->str, ==, "00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff\n10\n");
  g_assert_cmpstr (empty->str, ==, "");
  /* one line of it, as the window's hex pane asks */
  g_string_truncate (empty, 0);
  g_assert_true (hl_hex_dump_line (empty, b, 1, TRUE));
  g_assert_cmpstr (empty->str, ==, "0010  10");
  g_assert_false (hl_hex_dump_line (empty, b, 2, TRUE));
  g_assert_cmpstr (empty->str, ==, "0010  10");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/decode/client-hello", test_client_hello);
  g_test_add_func ("/decode/hex-dump", test_hex_dump);
  g_test_add_func ("/decode/truncated", test_truncated);
  g_test_add_func ("/decode/every-prefix-tiles", test_every_prefix_tiles);
  g_test_add_func ("/decode/alert", test_alert);
  g_test_add_func ("/decode/server-key-exchange", test_server_key_exchange);
  g_test_add_func ("/decode/encrypted-record-gcm", test_encrypted_record_gcm);
  g_test_add_func ("/decode/values-are-utf8", test_values_are_utf8);
  g_test_add_func ("/decode/capture-layouts", test_capture_layouts);
  g_test_add_func ("/decode/field-copy", test_field_copy);
  g_test_add_func ("/decode/field-find-named", test_field_find_named);
  g_test_add_func ("/decode/client-hello-ends-at-compression",
                   test_client_hello_ends_at_compression);
  return g_test_run ();
}
