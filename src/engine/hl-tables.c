/* hl-tables.c: numbers to names, and back. */
#include "hl-tables.h"
#include "hl-i18n.h"

#include <bearssl.h>
#include <string.h>

#define S(id, name, kex, cipher, klen, mac, prf, t12)                                              \
  {                                                                                                \
    id, name, kex, cipher, klen, mac, prf, t12                                                     \
  }

/* Every suite BearSSL 0.6 implements, in BearSSL's own default preference order. */
static const HlSuite suites[] = {
  S (0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_GCM, 16,
     HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", HL_KEX_ECDHE_RSA, HL_CIPHER_AES_GCM, 16,
     HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_GCM, 32,
     HL_HASH_NONE, HL_HASH_SHA384, TRUE),
  S (0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", HL_KEX_ECDHE_RSA, HL_CIPHER_AES_GCM, 32,
     HL_HASH_NONE, HL_HASH_SHA384, TRUE),
  S (0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", HL_KEX_ECDHE_ECDSA,
     HL_CIPHER_CHACHA20_POLY1305, 32, HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", HL_KEX_ECDHE_RSA,
     HL_CIPHER_CHACHA20_POLY1305, 32, HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_CCM, 16,
     HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_CCM, 32,
     HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_CCM8, 16,
     HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_CCM8, 32,
     HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_CBC, 16,
     HL_HASH_SHA256, HL_HASH_SHA256, TRUE),
  S (0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", HL_KEX_ECDHE_RSA, HL_CIPHER_AES_CBC, 16,
     HL_HASH_SHA256, HL_HASH_SHA256, TRUE),
  S (0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_CBC, 32,
     HL_HASH_SHA384, HL_HASH_SHA384, TRUE),
  S (0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", HL_KEX_ECDHE_RSA, HL_CIPHER_AES_CBC, 32,
     HL_HASH_SHA384, HL_HASH_SHA384, TRUE),
  S (0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_CBC, 16,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", HL_KEX_ECDHE_RSA, HL_CIPHER_AES_CBC, 16,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", HL_KEX_ECDHE_ECDSA, HL_CIPHER_AES_CBC, 32,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", HL_KEX_ECDHE_RSA, HL_CIPHER_AES_CBC, 32,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", HL_KEX_ECDH_ECDSA, HL_CIPHER_AES_GCM, 16,
     HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", HL_KEX_ECDH_RSA, HL_CIPHER_AES_GCM, 16,
     HL_HASH_NONE, HL_HASH_SHA256, TRUE),
  S (0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384", HL_KEX_ECDH_ECDSA, HL_CIPHER_AES_GCM, 32,
     HL_HASH_NONE, HL_HASH_SHA384, TRUE),
  S (0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", HL_KEX_ECDH_RSA, HL_CIPHER_AES_GCM, 32,
     HL_HASH_NONE, HL_HASH_SHA384, TRUE),
  S (0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", HL_KEX_ECDH_ECDSA, HL_CIPHER_AES_CBC, 16,
     HL_HASH_SHA256, HL_HASH_SHA256, TRUE),
  S (0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", HL_KEX_ECDH_RSA, HL_CIPHER_AES_CBC, 16,
     HL_HASH_SHA256, HL_HASH_SHA256, TRUE),
  S (0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384", HL_KEX_ECDH_ECDSA, HL_CIPHER_AES_CBC, 32,
     HL_HASH_SHA384, HL_HASH_SHA384, TRUE),
  S (0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384", HL_KEX_ECDH_RSA, HL_CIPHER_AES_CBC, 32,
     HL_HASH_SHA384, HL_HASH_SHA384, TRUE),
  S (0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", HL_KEX_ECDH_ECDSA, HL_CIPHER_AES_CBC, 16,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", HL_KEX_ECDH_RSA, HL_CIPHER_AES_CBC, 16,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA", HL_KEX_ECDH_ECDSA, HL_CIPHER_AES_CBC, 32,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", HL_KEX_ECDH_RSA, HL_CIPHER_AES_CBC, 32,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", HL_KEX_RSA, HL_CIPHER_AES_GCM, 16, HL_HASH_NONE,
     HL_HASH_SHA256, TRUE),
  S (0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", HL_KEX_RSA, HL_CIPHER_AES_GCM, 32, HL_HASH_NONE,
     HL_HASH_SHA384, TRUE),
  S (0xC09C, "TLS_RSA_WITH_AES_128_CCM", HL_KEX_RSA, HL_CIPHER_AES_CCM, 16, HL_HASH_NONE,
     HL_HASH_SHA256, TRUE),
  S (0xC09D, "TLS_RSA_WITH_AES_256_CCM", HL_KEX_RSA, HL_CIPHER_AES_CCM, 32, HL_HASH_NONE,
     HL_HASH_SHA256, TRUE),
  S (0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8", HL_KEX_RSA, HL_CIPHER_AES_CCM8, 16, HL_HASH_NONE,
     HL_HASH_SHA256, TRUE),
  S (0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8", HL_KEX_RSA, HL_CIPHER_AES_CCM8, 32, HL_HASH_NONE,
     HL_HASH_SHA256, TRUE),
  S (0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", HL_KEX_RSA, HL_CIPHER_AES_CBC, 16, HL_HASH_SHA256,
     HL_HASH_SHA256, TRUE),
  S (0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", HL_KEX_RSA, HL_CIPHER_AES_CBC, 32, HL_HASH_SHA256,
     HL_HASH_SHA256, TRUE),
  S (0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", HL_KEX_RSA, HL_CIPHER_AES_CBC, 16, HL_HASH_SHA1,
     HL_HASH_SHA256, FALSE),
  S (0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", HL_KEX_RSA, HL_CIPHER_AES_CBC, 32, HL_HASH_SHA1,
     HL_HASH_SHA256, FALSE),
  S (0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", HL_KEX_ECDHE_ECDSA, HL_CIPHER_3DES_CBC, 24,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", HL_KEX_ECDHE_RSA, HL_CIPHER_3DES_CBC, 24,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", HL_KEX_ECDH_ECDSA, HL_CIPHER_3DES_CBC, 24,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA", HL_KEX_ECDH_RSA, HL_CIPHER_3DES_CBC, 24,
     HL_HASH_SHA1, HL_HASH_SHA256, FALSE),
  S (0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", HL_KEX_RSA, HL_CIPHER_3DES_CBC, 24, HL_HASH_SHA1,
     HL_HASH_SHA256, FALSE),
  /* TLS 1.3 (RFC 8446): played by OpenSSL, since BearSSL 0.6 has no TLS 1.3. The
   * "prf" hash is the one HKDF and the transcript use. */
  S (0x1301, "TLS_AES_128_GCM_SHA256", HL_KEX_TLS13, HL_CIPHER_AES_GCM, 16, HL_HASH_NONE,
     HL_HASH_SHA256, TRUE),
  S (0x1302, "TLS_AES_256_GCM_SHA384", HL_KEX_TLS13, HL_CIPHER_AES_GCM, 32, HL_HASH_NONE,
     HL_HASH_SHA384, TRUE),
  S (0x1303, "TLS_CHACHA20_POLY1305_SHA256", HL_KEX_TLS13, HL_CIPHER_CHACHA20_POLY1305, 32,
     HL_HASH_NONE, HL_HASH_SHA256, TRUE),
};

const HlSuite *
hl_suite_nth (guint i)
{
  return i < G_N_ELEMENTS (suites) ? &suites[i] : NULL;
}

const HlSuite *
hl_suite_by_id (guint16 id)
{
  for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
    if (suites[i].id == id)
      return &suites[i];
  return NULL;
}

const HlSuite *
hl_suite_by_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
    if (g_ascii_strcasecmp (suites[i].name, name) == 0)
      return &suites[i];
  return NULL;
}

gboolean
hl_suite_is_ecdhe (const HlSuite *suite)
{
  return suite->kex == HL_KEX_ECDHE_RSA || suite->kex == HL_KEX_ECDHE_ECDSA;
}

gboolean
hl_suite_is_ecdh (const HlSuite *suite)
{
  return suite->kex != HL_KEX_RSA && suite->kex != HL_KEX_TLS13;
}

gboolean
hl_suite_is_tls13 (const HlSuite *suite)
{
  return suite->kex == HL_KEX_TLS13;
}

guint
hl_suite_mac_key_len (const HlSuite *suite)
{
  switch (suite->mac) {
  case HL_HASH_SHA1:
    return 20;
  case HL_HASH_SHA256:
    return 32;
  case HL_HASH_SHA384:
    return 48;
  default:
    return 0;
  }
}

guint
hl_suite_fixed_iv_len (const HlSuite *suite, guint version)
{
  switch (suite->cipher) {
  case HL_CIPHER_AES_GCM:
  case HL_CIPHER_AES_CCM:
  case HL_CIPHER_AES_CCM8:
    return 4;
  case HL_CIPHER_CHACHA20_POLY1305:
    return 12;
  case HL_CIPHER_AES_CBC:
    /* TLS 1.0 chains CBC IVs across records, starting from the key block;
     * TLS 1.1 and later send an explicit IV in every record. */
    return version <= 0x0301 ? 16 : 0;
  case HL_CIPHER_3DES_CBC:
    return version <= 0x0301 ? 8 : 0;
  }
  return 0;
}

const char *
hl_kex_name (HlKex kex)
{
  switch (kex) {
  case HL_KEX_RSA:
    return "RSA";
  case HL_KEX_ECDHE_RSA:
    return "ECDHE_RSA";
  case HL_KEX_ECDHE_ECDSA:
    return "ECDHE_ECDSA";
  case HL_KEX_ECDH_RSA:
    return "ECDH_RSA";
  case HL_KEX_ECDH_ECDSA:
    return "ECDH_ECDSA";
  case HL_KEX_TLS13:
    return "TLS 1.3 (key_share)";
  }
  return "?";
}

char *
hl_suite_short_name (guint16 id)
{
  const char *name = hl_suite_id_name (id);
  char *out, *with;
  out = g_strdup (g_str_has_prefix (name, "TLS_") ? name + 4 : name);
  with = strstr (out, "_WITH_");
  if (with)
    memmove (with, with + 5, strlen (with + 5) + 1);
  return out;
}

char *
hl_describe_suite_id (guint16 id)
{
  return g_strdup_printf ("%s (0x%04x)", hl_suite_id_name (id), id);
}

const char *
hl_suite_id_name (guint16 id)
{
  const HlSuite *s = hl_suite_by_id (id);
  if (s)
    return s->name;
  if (id == 0x00ff)
    return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
  if (id == 0x5600)
    return "TLS_FALLBACK_SCSV";
  return "unknown suite";
}

static const HlNamedId curves[] = {
  { 29, "x25519" },
  { 23, "secp256r1" },
  { 24, "secp384r1" },
  { 25, "secp521r1" },
};

const HlNamedId *
hl_curves (guint *n)
{
  *n = G_N_ELEMENTS (curves);
  return curves;
}

const HlNamedId *
hl_curve_by_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (curves); i++)
    if (g_ascii_strcasecmp (curves[i].name, name) == 0)
      return &curves[i];
  return NULL;
}

const char *
hl_curve_name (guint id)
{
  for (guint i = 0; i < G_N_ELEMENTS (curves); i++)
    if (curves[i].id == id)
      return curves[i].name;
  switch (id) {
  case 30:
    return "x448";
  case 26:
    return "brainpoolP256r1";
  case 27:
    return "brainpoolP384r1";
  case 28:
    return "brainpoolP512r1";
  }
  return NULL;
}

gboolean
hl_version_parse (const char *text, guint *version)
{
  static const struct {
    const char *name;
    guint v;
  } names[]
      = { { "TLS1.0", 0x0301 }, { "TLS1.1", 0x0302 }, { "TLS1.2", 0x0303 }, { "TLS1.3", 0x0304 } };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (names[i].name, text) == 0) {
      *version = names[i].v;
      return TRUE;
    }
  return FALSE;
}

const char *
hl_version_name (guint version)
{
  switch (version) {
  case 0x0300:
    return "SSL3.0";
  case 0x0301:
    return "TLS1.0";
  case 0x0302:
    return "TLS1.1";
  case 0x0303:
    return "TLS1.2";
  case 0x0304:
    return "TLS1.3";
  }
  return NULL;
}

const char *
hl_version_rfc (guint version)
{
  switch (version) {
  case 0x0301:
    return "RFC 2246";
  case 0x0302:
    return "RFC 4346";
  case 0x0304:
    return "RFC 8446";
  default:
    return "RFC 5246";
  }
}

const char *
hl_version_long_name (guint version)
{
  switch (version) {
  case 0x0300:
    return "SSL 3.0";
  case 0x0301:
    return "TLS 1.0";
  case 0x0302:
    return "TLS 1.1";
  case 0x0303:
    return "TLS 1.2";
  case 0x0304:
    return "TLS 1.3";
  }
  return "unknown version";
}

const char *
hl_alert_name (guint code)
{
  switch (code) {
  case 0:
    return "close_notify";
  case 10:
    return "unexpected_message";
  case 20:
    return "bad_record_mac";
  case 21:
    return "decryption_failed";
  case 22:
    return "record_overflow";
  case 30:
    return "decompression_failure";
  case 40:
    return "handshake_failure";
  case 41: /* SSL 3.0's (RFC 6101 5.4.2); reserved since TLS 1.0 */
    return "no_certificate";
  case 42:
    return "bad_certificate";
  case 43:
    return "unsupported_certificate";
  case 44:
    return "certificate_revoked";
  case 45:
    return "certificate_expired";
  case 46:
    return "certificate_unknown";
  case 47:
    return "illegal_parameter";
  case 48:
    return "unknown_ca";
  case 49:
    return "access_denied";
  case 50:
    return "decode_error";
  case 51:
    return "decrypt_error";
  case 60: /* TLS 1.0's (RFC 2246 7.2); reserved since TLS 1.1 */
    return "export_restriction";
  case 70:
    return "protocol_version";
  case 71:
    return "insufficient_security";
  case 80:
    return "internal_error";
  case 86:
    return "inappropriate_fallback";
  case 90:
    return "user_canceled";
  case 100:
    return "no_renegotiation";
  case 109: /* RFC 8446 6.2 */
    return "missing_extension";
  case 110:
    return "unsupported_extension";
  case 111: /* RFC 6066 9 (reserved in TLS 1.3) */
    return "certificate_unobtainable";
  case 112:
    return "unrecognized_name";
  case 113: /* RFC 6066 9, RFC 8446 6.2 */
    return "bad_certificate_status_response";
  case 114: /* RFC 6066 9 (reserved in TLS 1.3) */
    return "bad_certificate_hash_value";
  case 115: /* RFC 4279 (PSK suites), RFC 8446 6.2 */
    return "unknown_psk_identity";
  case 116: /* RFC 8446 6.2: a client certificate was asked for and none came */
    return "certificate_required";
  case 120:
    return "no_application_protocol";
  }
  return "unknown alert";
}

const char *
hl_handshake_type_name (guint type)
{
  switch (type) {
  case 0:
    return "HelloRequest";
  case 1:
    return "ClientHello";
  case 2:
    return "ServerHello";
  case 4:
    return "NewSessionTicket";
  case 5:
    return "EndOfEarlyData";
  case 8:
    return "EncryptedExtensions";
  case 11:
    return "Certificate";
  case 12:
    return "ServerKeyExchange";
  case 13:
    return "CertificateRequest";
  case 14:
    return "ServerHelloDone";
  case 15:
    return "CertificateVerify";
  case 16:
    return "ClientKeyExchange";
  case 20:
    return "Finished";
  case 24:
    return "KeyUpdate";
  case 254:
    return "message_hash";
  }
  return NULL;
}

const char *
hl_content_type_name (guint type)
{
  switch (type) {
  case 20:
    return "change_cipher_spec";
  case 21:
    return "alert";
  case 22:
    return "handshake";
  case 23:
    return "application_data";
  }
  return "unknown";
}

const char *
hl_extension_name (guint type)
{
  switch (type) {
  case 0:
    return "server_name";
  case 1:
    return "max_fragment_length";
  case 5:
    return "status_request";
  case 10:
    return "supported_groups";
  case 11:
    return "ec_point_formats";
  case 13:
    return "signature_algorithms";
  case 16:
    return "application_layer_protocol_negotiation";
  case 21:
    return "padding";
  case 22:
    return "encrypt_then_mac";
  case 23:
    return "extended_master_secret";
  case 35:
    return "session_ticket";
  case 28:
    return "record_size_limit";
  case 41:
    return "pre_shared_key";
  case 42:
    return "early_data";
  case 43:
    return "supported_versions";
  case 44:
    return "cookie";
  case 45:
    return "psk_key_exchange_modes";
  case 47:
    return "certificate_authorities";
  case 49:
    return "post_handshake_auth";
  case 50:
    return "signature_algorithms_cert";
  case 51:
    return "key_share";
  case 0xff01:
    return "renegotiation_info";
  }
  return "unknown extension";
}

const char *
hl_hash_algorithm_name (guint alg)
{
  switch (alg) {
  case 0:
    return "none";
  case 1:
    return "md5";
  case 2:
    return "sha1";
  case 3:
    return "sha224";
  case 4:
    return "sha256";
  case 5:
    return "sha384";
  case 6:
    return "sha512";
  case 8:
    return "intrinsic";
  }
  return "unknown";
}

const char *
hl_signature_scheme_name (guint scheme)
{
  switch (scheme) {
  case 0x0401:
    return "rsa_pkcs1_sha256";
  case 0x0501:
    return "rsa_pkcs1_sha384";
  case 0x0601:
    return "rsa_pkcs1_sha512";
  case 0x0201:
    return "rsa_pkcs1_sha1";
  case 0x0301:
    return "rsa_pkcs1_sha224";
  case 0x0403:
    return "ecdsa_sha256";
  case 0x0503:
    return "ecdsa_sha384";
  case 0x0603:
    return "ecdsa_sha512";
  case 0x0203:
    return "ecdsa_sha1";
  case 0x0303:
    return "ecdsa_sha224";
  /* TLS 1.2's DSA pairs (hash, dsa(2)); RFC 8446 B.3.1.3 reserves them. */
  case 0x0202:
    return "dsa_sha1";
  case 0x0302:
    return "dsa_sha224";
  case 0x0402:
    return "dsa_sha256";
  case 0x0502:
    return "dsa_sha384";
  case 0x0602:
    return "dsa_sha512";
  case 0x0809:
    return "rsa_pss_pss_sha256";
  case 0x080a:
    return "rsa_pss_pss_sha384";
  case 0x080b:
    return "rsa_pss_pss_sha512";
  case 0x0804:
    return "rsa_pss_rsae_sha256";
  case 0x0805:
    return "rsa_pss_rsae_sha384";
  case 0x0806:
    return "rsa_pss_rsae_sha512";
  case 0x0807:
    return "ed25519";
  case 0x0808:
    return "ed448";
  }
  return "unknown scheme";
}

gboolean
hl_group_is_montgomery (guint group)
{
  return group == 29 || group == 30;
}

/* RFC 8446 4.2.3 ties each ECDSA scheme to a curve and renamed it; TLS 1.2 reads the same
 * code as a hash and a signature algorithm, on any curve. */
const char *
hl_signature_scheme_name_in (guint scheme, gboolean tls13)
{
  if (tls13 && scheme == 0x0403)
    return "ecdsa_secp256r1_sha256";
  if (tls13 && scheme == 0x0503)
    return "ecdsa_secp384r1_sha384";
  if (tls13 && scheme == 0x0603)
    return "ecdsa_secp521r1_sha512";
  return hl_signature_scheme_name (scheme);
}

static const HlStateFlag state_flags[] = {
  { "SENDREC", N_ ("has records to send") },
  { "RECVREC", N_ ("waits for a record") },
  /* BearSSL raises SENDAPP once it has checked the peer's Finished and made its own, which
   * may still wait in its output buffer: data written then goes out after that Finished. */
  { "SENDAPP", N_ ("accepts application data to send (its own Finished made, perhaps still "
                   "queued; the peer's checked)") },
  { "RECVAPP", N_ ("has application data to read") },
  { "CLOSED", N_ ("the connection is closed") },
};

const HlStateFlag *
hl_engine_state_flags (guint *n)
{
  *n = G_N_ELEMENTS (state_flags);
  return state_flags;
}

char *
hl_describe_side_state (const char *flags, guint step, gboolean server)
{
  g_autofree char *words = hl_describe_engine_state (flags);
  if (g_strcmp0 (flags, "RECORDED") == 0)
    /* TRANSLATORS: a side of a recorded connection, after step %u */
    return g_strdup_printf (_ ("After step %u: read from a capture, which shows what crossed the "
                               "wire, not this side's library or its state"),
                            step);
  if (flags && g_str_has_suffix (flags, " early data") && g_str_has_prefix (flags, "OpenSSL: "))
    /* OpenSSL's "early data" is two states, one per role. */
    return server
               ? g_strdup_printf (_ ("After step %u: waits for the client's next flight (OpenSSL "
                                     "names this state \"early data\" whether or not 0-RTT "
                                     "data was offered)"),
                                  step)
               : g_strdup_printf (_ ("After step %u: has sent 0-RTT data and not yet finished "
                                     "the handshake (OpenSSL state \"early data\")"),
                                  step);
  if (flags && g_str_has_prefix (flags, "OpenSSL: ")) {
    /* Words that already quote OpenSSL's own name for the state ("closed", "last did: read
     * server hello", "stopped (bad signature)") say all there is: no "(OpenSSL state: ...)"
     * after them. */
    const char *name = flags + 9;
    if (g_str_has_prefix (name, "SSLv3/TLS "))
      name += 10;
    else if (g_str_has_prefix (name, "TLSv1.3 "))
      name += 8;
    if (strstr (words, name) || g_str_has_prefix (name, "stopped ("))
      /* TRANSLATORS: "After step 14: closed (OpenSSL)" */
      return g_strdup_printf (_ ("After step %u: %s (OpenSSL)"), step, words);
    /* TRANSLATORS: "After step 2: last did: read server hello (OpenSSL state: SSLv3/TLS read
     * server hello)" */
    return g_strdup_printf (_ ("After step %u: %s (OpenSSL state: %s)"), step, words, flags + 9);
  }
  /* TRANSLATORS: "After step 4: waits for a record (BearSSL state RECVREC)" */
  return g_strdup_printf (_ ("After step %u: %s (BearSSL state %s)"), step, words,
                          flags ? flags : "");
}

char *
hl_describe_engine_state (const char *flags)
{
  g_auto (GStrv) parts = NULL;
  GString *out;
  /* An OpenSSL side: its state machine's name for the last thing it did. */
  if (flags && g_str_has_prefix (flags, "OpenSSL: ")) {
    const char *st = flags + 9;
    if (strcmp (st, "SSL negotiation finished successfully") == 0)
      return g_strdup (_ ("the handshake is done: may send application data"));
    if (strcmp (st, "closed") == 0)
      return g_strdup (_ ("closed"));
    if (g_str_has_prefix (st, "stopped (") && g_str_has_suffix (st, ")")) {
      /* The lab's own name, with OpenSSL's reason: "stopped (bad signature)". */
      g_autofree char *reason = g_strndup (st + 9, strlen (st) - 10);
      return g_strdup_printf (_ ("stopped: %s"), reason);
    }
    if (g_str_has_prefix (st, "SSLv3/TLS "))
      st += 10;
    else if (g_str_has_prefix (st, "TLSv1.3 "))
      st += 8;
    if (strcmp (st, "early data") == 0)
      return g_strdup (_ ("a server waiting for the client's next flight (OpenSSL names this "
                          "state \"early data\" whether or not 0-RTT data was offered), or a "
                          "client that has sent 0-RTT data and not yet finished the handshake"));
    return g_strdup_printf (_ ("last did: %s"), st);
  }
  parts = g_strsplit (flags ? flags : "", "|", -1);
  out = g_string_new (NULL);
  for (guint i = 0; parts[i]; i++) {
    const char *words = parts[i];
    if (!*words)
      continue;
    for (guint f = 0; f < G_N_ELEMENTS (state_flags); f++)
      if (strcmp (parts[i], state_flags[f].flag) == 0)
        words = _ (state_flags[f].meaning);
    g_string_append_printf (out, "%s%s", out->len ? "; " : "", words);
  }
  return g_string_free (out, FALSE);
}
