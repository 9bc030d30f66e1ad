/* hl-credentials.h: certificates, private keys and trust anchors read from PEM files.
 *
 * BearSSL's decoders hand out pointers into their own contexts; everything
 * here is copied into memory the credentials own, so it lives as long as they do.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HlCredentials HlCredentials;
typedef struct _HlTrustAnchors HlTrustAnchors;

/* Error codes of hl_credentials_load: which of the two files is at fault. */
#define HL_CREDENTIALS_ERROR (hl_credentials_error_quark ())
GQuark hl_credentials_error_quark (void);
/* A failed hl_credentials_load says which file: CHAIN or KEY. */
typedef enum {
  HL_CREDENTIALS_ERROR_READ,  /* the file cannot be read (missing, a folder, too large) */
  HL_CREDENTIALS_ERROR_PEM,   /* it is not valid PEM */
  HL_CREDENTIALS_ERROR_CHAIN, /* a problem with the certificate chain file */
  HL_CREDENTIALS_ERROR_KEY,   /* a problem with the private key file */
} HlCredentialsError;

/* Largest scenario or PEM file read: a lesson is a few kilobytes. */
#define HL_MAX_INPUT_FILE_SIZE (1024 * 1024)

/* Reads a chain (leaf first) and its private key; checks that the key matches the leaf.
 * Errors name the file but no line: the caller prefixes the scenario's FILE:LINE. */
HlCredentials *hl_credentials_load (const char *chain_path, const char *key_path, GError **error);
void hl_credentials_free (HlCredentials *creds);
gboolean hl_credentials_is_rsa (const HlCredentials *creds);
/* Key type (BR_KEYTYPE_RSA or BR_KEYTYPE_EC) of the CA that signed the leaf. */
unsigned hl_credentials_issuer_key_type (const HlCredentials *creds);
guint hl_credentials_ec_curve (const HlCredentials *creds); /* 0 for RSA */
/* The leaf certificate decoded (see hl-decode.h), for showing who holds what;
 * NULL when there is none. Free with hl_field_free. */
struct _HlField *hl_credentials_describe_leaf (const HlCredentials *creds);

HlTrustAnchors *hl_trust_anchors_new (void);
gboolean hl_trust_anchors_add_file (HlTrustAnchors *tas, const char *path, GError **error);
guint hl_trust_anchors_count (const HlTrustAnchors *tas);
void hl_trust_anchors_free (HlTrustAnchors *tas);

/* Reads a whole file of at most HL_MAX_INPUT_FILE_SIZE bytes; says what and where on failure. */
gboolean hl_read_bounded_file (const char *path, char **contents, gsize *len, GError **error);

G_END_DECLS
