/* hl-tables.h: the names TLS gives to numbers.
 *
 * Everything a person reads instead of a number lives here: cipher suites
 * (IANA name, id, and how they are built), curves, versions, alerts, handshake
 * message types, extensions, signature algorithms and BearSSL's error codes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How the premaster secret is agreed on. */
typedef enum {
  HL_KEX_RSA,         /* client encrypts a random premaster to the server's RSA key */
  HL_KEX_ECDHE_RSA,   /* ephemeral ECDH, server signs its share with RSA */
  HL_KEX_ECDHE_ECDSA, /* ephemeral ECDH, server signs its share with ECDSA */
  HL_KEX_ECDH_RSA,    /* static ECDH: the server's certificate holds its share */
  HL_KEX_ECDH_ECDSA,
  HL_KEX_TLS13, /* TLS 1.3: the suite names only cipher and hash; key_share and
                   signature_algorithms say how keys are agreed and checked */
} HlKex;

typedef enum {
  HL_CIPHER_3DES_CBC,
  HL_CIPHER_AES_CBC,
  HL_CIPHER_AES_GCM,
  HL_CIPHER_AES_CCM,
  HL_CIPHER_AES_CCM8,
  HL_CIPHER_CHACHA20_POLY1305,
} HlCipher;

typedef enum {
  HL_HASH_NONE = 0, /* AEAD suites carry no record MAC */
  HL_HASH_MD5 = 1,
  HL_HASH_SHA1 = 2,
  HL_HASH_SHA256 = 4,
  HL_HASH_SHA384 = 5,
} HlHash;

typedef struct {
  guint16 id;
  const char *name;
  HlKex kex;
  HlCipher cipher;
  guint key_len;  /* bytes of the bulk cipher key */
  HlHash mac;     /* record MAC hash; HL_HASH_NONE for AEAD */
  HlHash prf;     /* PRF hash in TLS 1.2 */
  gboolean tls12; /* only defined for TLS 1.2 (or, with kex HL_KEX_TLS13, only for 1.3) */
} HlSuite;

const HlSuite *hl_suite_by_id (guint16 id);
const HlSuite *hl_suite_by_name (const char *name);
const HlSuite *hl_suite_nth (guint i); /* NULL past the end */
gboolean hl_suite_is_ecdhe (const HlSuite *suite);
gboolean hl_suite_is_ecdh (const HlSuite *suite); /* static or ephemeral */
gboolean hl_suite_is_tls13 (const HlSuite *suite);
guint hl_suite_mac_key_len (const HlSuite *suite);
guint hl_suite_fixed_iv_len (const HlSuite *suite, guint version);
const char *hl_kex_name (HlKex kex);

/* A name for any suite id, even those BearSSL lacks (for decoding). */
char *hl_describe_suite_id (guint16 id); /* newly allocated: g_free */
/* A suite code's IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, the two SCSVs), or
 * "unknown suite". */
const char *hl_suite_id_name (guint16 id);
/* The same without "TLS_" and "_WITH" (ECDHE_RSA_AES_128_GCM_SHA256), for a short list.
 * Newly allocated. */
char *hl_suite_short_name (guint16 id);

typedef struct {
  guint16 id;
  const char *name;
} HlNamedId;

const HlNamedId *hl_curve_by_name (const char *name);
const char *hl_curve_name (guint id); /* NULL if unknown */
const HlNamedId *hl_curves (guint *n);

gboolean hl_version_parse (const char *text, guint *version);
const char *hl_version_name (guint version); /* "TLS1.2"; NULL if unknown */
const char *hl_version_long_name (guint version);
/* The RFC that defines a TLS version: "RFC 2246" (1.0), "RFC 4346" (1.1), "RFC 5246" (1.2,
 * and anything else), "RFC 8446" (1.3). Their sections agree in number up to 1.2. */
const char *hl_version_rfc (guint version);

/* BearSSL's engine state flags as runs write them ("SENDAPP|RECVREC"), in BearSSL's
 * order, with what each means for the side that is in that state. */
typedef struct {
  const char *flag;
  const char *meaning;
} HlStateFlag;
const HlStateFlag *hl_engine_state_flags (guint *n);
/* "SENDAPP|RECVREC" in words: "may send application data ...; waits for a record".
 * Unknown flags are kept as they are. Newly allocated: g_free. */
char *hl_describe_engine_state (const char *flags);
/* The knowledge panel's line for a side's state after a step: its words, and the library's
 * own name for the state when that adds something ("After step 14: closed (OpenSSL)").
 * server: whose state it is (OpenSSL names some states alike for both roles). */
char *hl_describe_side_state (const char *flags, guint step, gboolean server);

/* TLS record content types (RFC 5246 section 6.2.1). */
enum {
  HL_CONTENT_CHANGE_CIPHER_SPEC = 20,
  HL_CONTENT_ALERT = 21,
  HL_CONTENT_HANDSHAKE = 22,
  HL_CONTENT_APPLICATION_DATA = 23,
};

/* Handshake message types (RFC 5246 section 7.4). */
enum {
  HL_HANDSHAKE_HELLO_REQUEST = 0,
  HL_HANDSHAKE_CLIENT_HELLO = 1,
  HL_HANDSHAKE_SERVER_HELLO = 2,
  HL_HANDSHAKE_NEW_SESSION_TICKET = 4, /* TLS 1.3 */
  HL_HANDSHAKE_END_OF_EARLY_DATA = 5,
  HL_HANDSHAKE_ENCRYPTED_EXTENSIONS = 8,
  HL_HANDSHAKE_CERTIFICATE = 11,
  HL_HANDSHAKE_SERVER_KEY_EXCHANGE = 12,
  HL_HANDSHAKE_CERTIFICATE_REQUEST = 13,
  HL_HANDSHAKE_SERVER_HELLO_DONE = 14,
  HL_HANDSHAKE_CERTIFICATE_VERIFY = 15,
  HL_HANDSHAKE_CLIENT_KEY_EXCHANGE = 16,
  HL_HANDSHAKE_FINISHED = 20,
  HL_HANDSHAKE_KEY_UPDATE = 24,
  HL_HANDSHAKE_MESSAGE_HASH = 254, /* TLS 1.3: stands for ClientHello1 after a retry */
};

const char *hl_alert_name (guint code);
const char *hl_handshake_type_name (guint type); /* transcript names: "ClientHello" */
const char *hl_content_type_name (guint type);
const char *hl_extension_name (guint type);
const char *hl_signature_scheme_name (guint scheme);
/* x25519 (29) or x448 (30): the share is a u-coordinate and the shared secret the function's
 * output (RFC 7748), not a point's x coordinate. */
gboolean hl_group_is_montgomery (guint group);
/* The same, named as in a TLS 1.3 hello when tls13 (ecdsa_secp256r1_sha256 for 0x0403). */
const char *hl_signature_scheme_name_in (guint scheme, gboolean tls13);
const char *hl_hash_algorithm_name (guint alg);

/* The const char * lookups above return static strings; the two below are newly
 * allocated (g_free). */
/* BearSSL error codes as macro names, "BR_ERR_SEND_FATAL_ALERT+40" for alerts. */
char *hl_error_name (int err);
gboolean hl_error_parse (const char *text, int *err);
/* The named BearSSL errors, in order: -1 past the end (alerts are the +N forms). */
int hl_error_nth (guint i);
/* One plain sentence on what the error means. */
char *hl_error_explain (int err);
/* The alert an RFC 5246 peer would have sent for this failure, or -1. */
int hl_error_rfc_alert (int err);
/* BearSSL's fatal-alert errors: the alert's code, sent (TRUE) or received; -1 otherwise. */
int hl_error_alert (int err, gboolean *sent);
/* BR_ERR_X509_EXPIRED: the certificate is expired or not yet valid. */
gboolean hl_error_is_expired (int err);

G_END_DECLS
