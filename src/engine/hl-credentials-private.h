/* What the engine reads of credentials: BearSSL's own structures. */
#pragma once

#include <bearssl.h>

#include "hl-credentials.h"

struct _HlCredentials {
  br_x509_certificate *chain;
  gsize chain_len;
  int key_type; /* BR_KEYTYPE_RSA or BR_KEYTYPE_EC */
  br_rsa_private_key rsa;
  br_ec_private_key ec;
  unsigned issuer_key_type;
  GBytes *key_der;    /* the private key as in the file (PKCS#1, SEC1 or PKCS#8), for OpenSSL */
  GPtrArray *buffers; /* owns every byte the structures point to */
};

struct _HlTrustAnchors {
  GArray *anchors; /* br_x509_trust_anchor */
  GArray *names;   /* br_x500_name: the anchors' DNs, for CertificateRequest */
  GPtrArray *ders; /* GBytes*: each anchor's certificate, for OpenSSL */
  GPtrArray *buffers;
};
