/* hl-credentials.c: PEM in, BearSSL structures out. */
#include "hl-credentials-private.h"
#include "hl-i18n.h"
#include "hl-decode.h"

GQuark
hl_credentials_error_quark (void)
{
  return g_quark_from_static_string ("hl-credentials-error-quark");
}

#include <errno.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
  char *name;
  GByteArray *der;
} PemObject;

static void
free_pem_object (gpointer p)
{
  PemObject *o = p;
  g_free (o->name);
  g_byte_array_unref (o->der);
  g_free (o);
}

static void
append_der (void *ctx, const void *buf, size_t len)
{
  g_byte_array_append (ctx, buf, len);
}

gboolean
hl_read_bounded_file (const char *path, char **contents, gsize *len, GError **error)
{
  GStatBuf st;
  FILE *f;
  char *buf;
  gsize n;
  if (g_stat (path, &st) != 0) {
    int e = errno;
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ, _ ("cannot read %s: %s"),
                 path, g_strerror (e));
    return FALSE;
  }
  if (S_ISDIR (st.st_mode)) {
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ,
                 _ ("%s is a folder, not a file"), path);
    return FALSE;
  }
  /* Devices and pipes report no size and may never end: only plain files are read. */
  if (!S_ISREG (st.st_mode)) {
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ,
                 _ ("%s is not a regular file (a device or a pipe?)"), path);
    return FALSE;
  }
  if (st.st_size > HL_MAX_INPUT_FILE_SIZE) {
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ,
                 _ ("%s is too large (%lld bytes; the limit is %d bytes)"), path,
                 (long long)st.st_size, HL_MAX_INPUT_FILE_SIZE);
    return FALSE;
  }
  f = g_fopen (path, "rb");
  if (!f) {
    int e = errno;
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ, _ ("cannot read %s: %s"),
                 path, g_strerror (e));
    return FALSE;
  }
  /* Read at most one byte past the limit, whatever the file claimed to be. */
  buf = g_malloc (HL_MAX_INPUT_FILE_SIZE + 2);
  n = fread (buf, 1, HL_MAX_INPUT_FILE_SIZE + 1, f);
  if (ferror (f)) {
    int e = errno;
    fclose (f);
    g_free (buf);
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ, _ ("cannot read %s: %s"),
                 path, g_strerror (e ? e : EIO));
    return FALSE;
  }
  fclose (f);
  if (n > HL_MAX_INPUT_FILE_SIZE) {
    g_free (buf);
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ,
                 _ ("%s is too large (the limit is %d bytes)"), path, HL_MAX_INPUT_FILE_SIZE);
    return FALSE;
  }
  buf[n] = '\0';
  *contents = buf;
  *len = n;
  return TRUE;
}

/* Decodes every PEM object of a file. */
static GPtrArray *
read_pem_objects (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0, pos = 0;
  br_pem_decoder_context pc;
  PemObject *current = NULL;
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func (free_pem_object);

  if (!hl_read_bounded_file (path, &data, &len, error))
    return NULL;
  /* BearSSL's decoder sees the END line only once a newline follows it. */
  data = g_realloc (data, len + 1);
  data[len++] = '\n';
  br_pem_decoder_init (&pc);
  while (pos < len) {
    size_t used = br_pem_decoder_push (&pc, data + pos, len - pos);
    pos += used;
    switch (br_pem_decoder_event (&pc)) {
    case BR_PEM_BEGIN_OBJ:
      current = g_new0 (PemObject, 1);
      current->name = g_strdup (br_pem_decoder_name (&pc));
      current->der = g_byte_array_new ();
      br_pem_decoder_setdest (&pc, append_der, current->der);
      break;
    case BR_PEM_END_OBJ:
      if (current)
        g_ptr_array_add (objects, current);
      current = NULL;
      break;
    case BR_PEM_ERROR:
      if (current)
        free_pem_object (current);
      g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_PEM,
                   _ ("%s is not valid PEM (decoding failed near byte %zu)"), path, pos);
      return NULL;
    default:
      if (used == 0) {
        /* No progress and no event: should not happen, but never loop forever. */
        pos = len;
      }
      break;
    }
  }
  if (current) {
    free_pem_object (current);
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_PEM,
                 _ ("%s ends inside a PEM object (no END line)"), path);
    return NULL;
  }
  if (objects->len == 0) {
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ,
                 _ ("%s holds no PEM object (expected -----BEGIN ...)"), path);
    return NULL;
  }
  return g_steal_pointer (&objects);
}

static gboolean
is_certificate_name (const char *name)
{
  return strcmp (name, "CERTIFICATE") == 0 || strcmp (name, "X509 CERTIFICATE") == 0;
}

static guint8 *
keep (GPtrArray *buffers, const void *data, gsize len)
{
  guint8 *copy = g_malloc (len ? len : 1);
  if (len) /* an empty PEM object has no data pointer at all */
    memcpy (copy, data, len);
  g_ptr_array_add (buffers, copy);
  return copy;
}

/* Decodes a certificate far enough to learn its public key and issuer key type. */
static gboolean
decode_certificate (const guint8 *der, gsize len, br_x509_decoder_context *dc, const char *path,
                    GByteArray *dn, GError **error)
{
  br_x509_decoder_init (dc, dn ? append_der : NULL, dn);
  br_x509_decoder_push (dc, der, len);
  if (br_x509_decoder_get_pkey (dc) == NULL) {
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ,
                 _ ("%s: a certificate could not be decoded (BearSSL X.509 error %d)"), path,
                 br_x509_decoder_last_error (dc));
    return FALSE;
  }
  return TRUE;
}

static gboolean
rsa_key_matches (const br_rsa_private_key *sk, const br_rsa_public_key *pk)
{
  br_rsa_compute_modulus compute = br_rsa_compute_modulus_get_default ();
  gsize nlen = compute (NULL, sk);
  g_autofree guint8 *n = NULL;
  const guint8 *pn = pk->n;
  gsize pnlen = pk->nlen;
  if (nlen == 0)
    return FALSE;
  n = g_malloc (nlen);
  compute (n, sk);
  while (pnlen > 0 && *pn == 0) {
    pn++;
    pnlen--;
  }
  return nlen == pnlen && memcmp (n, pn, nlen) == 0;
}

static gboolean
ec_key_matches (const br_ec_private_key *sk, const br_ec_public_key *pk)
{
  guint8 q[BR_EC_KBUF_PUB_MAX_SIZE];
  br_ec_public_key computed;
  gsize qlen;
  if (sk->curve != pk->curve)
    return FALSE;
  qlen = br_ec_compute_pub (br_ec_get_default (), &computed, q, sk);
  return qlen == pk->qlen && memcmp (q, pk->q, qlen) == 0;
}

HlCredentials *
hl_credentials_load (const char *chain_path, const char *key_path, GError **error)
{
  g_autoptr (GPtrArray) certs = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  HlCredentials *creds;
  br_x509_decoder_context dc;
  br_skey_decoder_context kc;
  const br_x509_pkey *leaf_key;
  PemObject *key_obj = NULL;

  certs = read_pem_objects (chain_path, error);
  if (!certs) {
    if (error && *error)
      (*error)->code = HL_CREDENTIALS_ERROR_CHAIN;
    return NULL;
  }
  creds = g_new0 (HlCredentials, 1);
  creds->buffers = g_ptr_array_new_with_free_func (g_free);
  creds->chain = g_new0 (br_x509_certificate, certs->len);
  g_ptr_array_add (creds->buffers, creds->chain);
  for (guint i = 0; i < certs->len; i++) {
    PemObject *o = g_ptr_array_index (certs, i);
    if (!is_certificate_name (o->name)) {
      if (strstr (o->name, "PRIVATE KEY"))
        g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_CHAIN,
                     _ ("%s holds a private key (%s) where a certificate chain belongs"),
                     chain_path, o->name);
      else
        g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_CHAIN,
                     _ ("%s holds a \"%s\" PEM object where a certificate belongs"), chain_path,
                     o->name);
      hl_credentials_free (creds);
      return NULL;
    }
    creds->chain[creds->chain_len].data = keep (creds->buffers, o->der->data, o->der->len);
    creds->chain[creds->chain_len].data_len = o->der->len;
    creds->chain_len++;
  }
  if (!decode_certificate (creds->chain[0].data, creds->chain[0].data_len, &dc, chain_path, NULL,
                           error)) {
    hl_credentials_free (creds);
    return NULL;
  }
  creds->issuer_key_type = br_x509_decoder_get_signer_key_type (&dc);
  leaf_key = br_x509_decoder_get_pkey (&dc);

  keys = read_pem_objects (key_path, error);
  if (!keys) {
    if (error && *error)
      (*error)->code = HL_CREDENTIALS_ERROR_KEY;
    hl_credentials_free (creds);
    return NULL;
  }
  for (guint i = 0; i < keys->len && !key_obj; i++) {
    PemObject *o = g_ptr_array_index (keys, i);
    if (strcmp (o->name, "ENCRYPTED PRIVATE KEY") == 0) {
      g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_KEY,
                   _ ("%s is an encrypted private key; Handshake Lab needs it unencrypted "
                      "(openssl pkey -in KEY -out PLAIN.pem)"),
                   key_path);
      hl_credentials_free (creds);
      return NULL;
    }
    if (strcmp (o->name, "RSA PRIVATE KEY") == 0 || strcmp (o->name, "EC PRIVATE KEY") == 0
        || strcmp (o->name, "PRIVATE KEY") == 0)
      key_obj = o;
  }
  if (!key_obj) {
    PemObject *o = g_ptr_array_index (keys, 0);
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_KEY,
                 _ ("%s holds no private key (found \"%s\"; expected RSA PRIVATE KEY, EC PRIVATE "
                    "KEY or PRIVATE KEY)"),
                 key_path, o->name);
    hl_credentials_free (creds);
    return NULL;
  }
  creds->key_der = g_bytes_new (key_obj->der->data, key_obj->der->len);
  br_skey_decoder_init (&kc);
  br_skey_decoder_push (&kc, key_obj->der->data, key_obj->der->len);
  if (br_skey_decoder_last_error (&kc) != 0 || br_skey_decoder_key_type (&kc) == 0) {
    g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_KEY,
                 _ ("%s: the private key could not be decoded (unsupported format or damaged)"),
                 key_path);
    hl_credentials_free (creds);
    return NULL;
  }
  creds->key_type = br_skey_decoder_key_type (&kc);
  if (creds->key_type == BR_KEYTYPE_RSA) {
    const br_rsa_private_key *sk = br_skey_decoder_get_rsa (&kc);
    creds->rsa.n_bitlen = sk->n_bitlen;
#define COPY(f)                                                                                    \
  creds->rsa.f = keep (creds->buffers, sk->f, sk->f##len), creds->rsa.f##len = sk->f##len
    COPY (p);
    COPY (q);
    COPY (dp);
    COPY (dq);
    COPY (iq);
#undef COPY
    if (leaf_key->key_type != BR_KEYTYPE_RSA
        || !rsa_key_matches (&creds->rsa, &leaf_key->key.rsa)) {
      g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_KEY,
                   _ ("the private key in %s does not match the certificate in %s"), key_path,
                   chain_path);
      hl_credentials_free (creds);
      return NULL;
    }
  } else {
    const br_ec_private_key *sk = br_skey_decoder_get_ec (&kc);
    creds->ec.curve = sk->curve;
    creds->ec.x = keep (creds->buffers, sk->x, sk->xlen);
    creds->ec.xlen = sk->xlen;
    if (leaf_key->key_type != BR_KEYTYPE_EC || !ec_key_matches (&creds->ec, &leaf_key->key.ec)) {
      g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_KEY,
                   _ ("the private key in %s does not match the certificate in %s"), key_path,
                   chain_path);
      hl_credentials_free (creds);
      return NULL;
    }
  }
  return creds;
}

void
hl_credentials_free (HlCredentials *creds)
{
  if (!creds)
    return;
  if (creds->key_der)
    g_bytes_unref (creds->key_der);
  g_ptr_array_unref (creds->buffers);
  g_free (creds);
}

gboolean
hl_credentials_is_rsa (const HlCredentials *creds)
{
  return creds->key_type == BR_KEYTYPE_RSA;
}

unsigned
hl_credentials_issuer_key_type (const HlCredentials *creds)
{
  return creds->issuer_key_type;
}

guint
hl_credentials_ec_curve (const HlCredentials *creds)
{
  return creds->key_type == BR_KEYTYPE_EC ? (guint)creds->ec.curve : 0;
}

HlTrustAnchors *
hl_trust_anchors_new (void)
{
  HlTrustAnchors *tas = g_new0 (HlTrustAnchors, 1);
  tas->anchors = g_array_new (FALSE, TRUE, sizeof (br_x509_trust_anchor));
  tas->names = g_array_new (FALSE, TRUE, sizeof (br_x500_name));
  tas->ders = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  tas->buffers = g_ptr_array_new_with_free_func (g_free);
  return tas;
}

/* A trust anchor is a CA's name and public key; BearSSL trusts a chain that ends on one. */
gboolean
hl_trust_anchors_add_file (HlTrustAnchors *tas, const char *path, GError **error)
{
  g_autoptr (GPtrArray) objects = read_pem_objects (path, error);
  guint added = 0;
  if (!objects)
    return FALSE;
  for (guint i = 0; i < objects->len; i++) {
    PemObject *o = g_ptr_array_index (objects, i);
    br_x509_decoder_context dc;
    g_autoptr (GByteArray) dn = g_byte_array_new ();
    br_x509_trust_anchor ta = { 0 };
    br_x500_name name;
    const br_x509_pkey *pk;
    if (!is_certificate_name (o->name)) {
      g_set_error (error, HL_CREDENTIALS_ERROR, HL_CREDENTIALS_ERROR_READ,
                   _ ("%s holds a \"%s\" PEM object where a CA certificate belongs"), path,
                   o->name);
      return FALSE;
    }
    if (!decode_certificate (o->der->data, o->der->len, &dc, path, dn, error))
      return FALSE;
    pk = br_x509_decoder_get_pkey (&dc);
    ta.dn.data = keep (tas->buffers, dn->data, dn->len);
    ta.dn.len = dn->len;
    ta.flags = br_x509_decoder_isCA (&dc) ? BR_X509_TA_CA : 0;
    ta.pkey.key_type = pk->key_type;
    if (pk->key_type == BR_KEYTYPE_RSA) {
      ta.pkey.key.rsa.n = keep (tas->buffers, pk->key.rsa.n, pk->key.rsa.nlen);
      ta.pkey.key.rsa.nlen = pk->key.rsa.nlen;
      ta.pkey.key.rsa.e = keep (tas->buffers, pk->key.rsa.e, pk->key.rsa.elen);
      ta.pkey.key.rsa.elen = pk->key.rsa.elen;
    } else {
      ta.pkey.key.ec.curve = pk->key.ec.curve;
      ta.pkey.key.ec.q = keep (tas->buffers, pk->key.ec.q, pk->key.ec.qlen);
      ta.pkey.key.ec.qlen = pk->key.ec.qlen;
    }
    g_array_append_val (tas->anchors, ta);
    g_ptr_array_add (tas->ders, g_bytes_new (o->der->data, o->der->len));
    name.data = ta.dn.data;
    name.len = ta.dn.len;
    g_array_append_val (tas->names, name);
    added++;
  }
  return added > 0;
}

guint
hl_trust_anchors_count (const HlTrustAnchors *tas)
{
  return tas ? tas->anchors->len : 0;
}

void
hl_trust_anchors_free (HlTrustAnchors *tas)
{
  if (!tas)
    return;
  g_array_unref (tas->anchors);
  g_array_unref (tas->names);
  g_ptr_array_unref (tas->ders);
  g_ptr_array_unref (tas->buffers);
  g_free (tas);
}

HlField *
hl_credentials_describe_leaf (const HlCredentials *creds)
{
  if (!creds || creds->chain_len == 0)
    return NULL;
  {
    /* Ids as in a Certificate message's leaf, under "leaf": "leaf.subject"... */
    HlField *leaf
        = hl_decode_certificate (creds->chain[0].data, creds->chain[0].data_len, 0, "Leaf", TRUE);
    hl_field_assign_ids (leaf->children, "leaf");
    hl_field_set_id (leaf, "leaf", -1);
    return leaf;
  }
}
