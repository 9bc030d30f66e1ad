/* hl-decode-x509.c: an X.509 certificate, field by field: just enough DER to
 * show a student what a certificate says (names, validity, key, extensions).
 *
 * Like every decoder, it never trusts its input: a length past the end stops it.
 */
#include "hl-decode.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <string.h>

typedef struct {
  guint tag;
  gsize hdr, len; /* header bytes, content bytes */
  const guint8 *content;
  gsize off; /* of the TLV within the certificate */
} Tlv;

static gboolean
read_tlv (const guint8 *d, gsize len, gsize pos, Tlv *t)
{
  gsize l, h = 2;
  if (pos + 2 > len)
    return FALSE;
  t->tag = d[pos];
  l = d[pos + 1];
  if (l & 0x80) {
    guint n = l & 0x7f;
    if (n == 0 || n > 4 || pos + 2 + n > len)
      return FALSE;
    l = 0;
    for (guint i = 0; i < n; i++)
      l = l << 8 | d[pos + 2 + i];
    h += n;
  }
  if (l > len - pos - h)
    return FALSE;
  t->hdr = h;
  t->len = l;
  t->content = d + pos + h;
  t->off = pos;
  return TRUE;
}

static char *
oid_to_text (const guint8 *d, gsize len)
{
  GString *s = g_string_new (NULL);
  guint64 v = 0;
  gboolean first = TRUE;
  for (gsize i = 0; i < len; i++) {
    v = v << 7 | (d[i] & 0x7f);
    if (!(d[i] & 0x80)) {
      if (first) {
        guint a = v < 40 ? 0 : v < 80 ? 1 : 2;
        g_string_append_printf (s, "%u.%" G_GUINT64_FORMAT, a, v - 40 * a);
        first = FALSE;
      } else {
        g_string_append_printf (s, ".%" G_GUINT64_FORMAT, v);
      }
      v = 0;
    }
  }
  return g_string_free (s, FALSE);
}

static const char *
oid_name (const char *oid)
{
  static const struct {
    const char *oid, *name;
  } names[] = {
    { "1.2.840.113549.1.1.1", "rsaEncryption" },
    { "1.2.840.113549.1.1.5", "sha1WithRSAEncryption" },
    { "1.2.840.113549.1.1.11", "sha256WithRSAEncryption" },
    { "1.2.840.113549.1.1.12", "sha384WithRSAEncryption" },
    { "1.2.840.113549.1.1.13", "sha512WithRSAEncryption" },
    { "1.2.840.10045.2.1", "ecPublicKey" },
    { "1.2.840.10045.3.1.7", "secp256r1" },
    { "1.3.132.0.34", "secp384r1" },
    { "1.3.132.0.35", "secp521r1" },
    { "1.2.840.10045.4.3.2", "ecdsa-with-SHA256" },
    { "1.2.840.10045.4.3.3", "ecdsa-with-SHA384" },
    { "1.2.840.10045.4.3.4", "ecdsa-with-SHA512" },
    { "2.5.4.3", "CN" },
    { "2.5.4.6", "C" },
    { "2.5.4.7", "L" },
    { "2.5.4.8", "ST" },
    { "2.5.4.10", "O" },
    { "2.5.4.11", "OU" },
    { "2.5.29.14", "subjectKeyIdentifier" },
    { "2.5.29.15", "keyUsage" },
    { "2.5.29.17", "subjectAltName" },
    { "2.5.29.19", "basicConstraints" },
    { "2.5.29.35", "authorityKeyIdentifier" },
    { "2.5.29.37", "extKeyUsage" },
    { "1.3.6.1.5.5.7.3.1", "serverAuth" },
    { "1.3.6.1.5.5.7.3.2", "clientAuth" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (names[i].oid, oid) == 0)
      return names[i].name;
  return NULL;
}

static char *
describe_oid (const Tlv *t)
{
  g_autofree char *oid = oid_to_text (t->content, t->len);
  const char *name = oid_name (oid);
  return name ? g_strdup (name) : g_steal_pointer (&oid);
}

/* "CN=server.example, O=Handshake Lab Test PKI" */
static char *
describe_name (const Tlv *name)
{
  GString *s = g_string_new (NULL);
  gsize pos = 0;
  Tlv set, seq, oid, val;
  while (read_tlv (name->content, name->len, pos, &set)) {
    gsize p2 = 0;
    while (read_tlv (set.content, set.len, p2, &seq)) {
      if (read_tlv (seq.content, seq.len, 0, &oid) && oid.tag == 0x06
          && read_tlv (seq.content, seq.len, oid.hdr + oid.len, &val)) {
        g_autofree char *k = describe_oid (&oid);
        g_autofree char *v = g_strndup ((const char *)val.content, val.len);
        g_string_append_printf (s, "%s%s=%s", s->len ? ", " : "", k, v);
      }
      p2 += seq.hdr + seq.len;
    }
    pos += set.hdr + set.len;
  }
  return g_string_free (s, FALSE);
}

/* The first commonName (OID 2.5.4.3) of a name, as a field "Common name" (key
 * "common_name") at its value's bytes; NULL without one. */
static HlField *
take_common_name (const Tlv *name, gsize content_base)
{
  static const guint8 cn_oid[] = { 0x55, 0x04, 0x03 };
  gsize pos = 0;
  Tlv set, seq, oid, val;
  while (read_tlv (name->content, name->len, pos, &set)) {
    gsize p2 = 0;
    while (read_tlv (set.content, set.len, p2, &seq)) {
      if (read_tlv (seq.content, seq.len, 0, &oid) && oid.tag == 0x06 && oid.len == 3
          && memcmp (oid.content, cn_oid, 3) == 0
          && read_tlv (seq.content, seq.len, oid.hdr + oid.len, &val)) {
        gsize at = content_base + set.off + set.hdr + seq.off + seq.hdr + val.off;
        g_autofree char *v = g_strndup ((const char *)val.content, val.len);
        return hl_field_set_id (hl_field_new ("Common name", at, val.hdr + val.len, v,
                                              _ ("The name the certificate is for (CN).")),
                                "common_name", -1);
      }
      p2 += seq.hdr + seq.len;
    }
    pos += set.hdr + set.len;
  }
  return NULL;
}

static char *
describe_time (const Tlv *t)
{
  const char *c = (const char *)t->content;
  if (t->tag == 0x17 && t->len >= 12) {
    int yy = (c[0] - '0') * 10 + (c[1] - '0');
    return g_strdup_printf ("%d-%.2s-%.2s %.2s:%.2s:%.2s UTC", yy < 50 ? 2000 + yy : 1900 + yy,
                            c + 2, c + 4, c + 6, c + 8, c + 10);
  }
  if (t->tag == 0x18 && t->len >= 14)
    return g_strdup_printf ("%.4s-%.2s-%.2s %.2s:%.2s:%.2s UTC", c, c + 4, c + 6, c + 8, c + 10,
                            c + 12);
  return g_strndup (c, t->len);
}

/* Whether the Subject (two TLVs after the Issuer at pos in tbs: Validity, then Subject) has the
 * Issuer's bytes: a self-issued certificate. */
static gboolean
subject_matches_issuer (const Tlv *tbs, gsize pos, const Tlv *issuer)
{
  Tlv validity, subject;
  gsize next = pos + issuer->hdr + issuer->len;
  if (!read_tlv (tbs->content, tbs->len, next, &validity)
      || !read_tlv (tbs->content, tbs->len, next + validity.hdr + validity.len, &subject))
    return FALSE;
  return subject.len == issuer->len && memcmp (subject.content, issuer->content, issuer->len) == 0;
}

static HlField *
tlv_field (const Tlv *t, gsize base, const char *name, const char *value, const char *ex)
{
  return hl_field_new (name, base + t->off, t->hdr + t->len, value, ex);
}

static void
describe_public_key (const Tlv *spki, gsize base, gboolean leaf, HlField *parent)
{
  Tlv alg, oid, params, bits;
  g_autofree char *value = NULL;
  if (!read_tlv (spki->content, spki->len, 0, &alg) || alg.tag != 0x30
      || !read_tlv (alg.content, alg.len, 0, &oid)
      || !read_tlv (spki->content, spki->len, alg.hdr + alg.len, &bits) || bits.len < 1)
    return;
  {
    g_autofree char *type = describe_oid (&oid);
    if (strcmp (type, "rsaEncryption") == 0) {
      Tlv seq, n;
      gsize nbits = 0;
      if (read_tlv (bits.content + 1, bits.len - 1, 0, &seq)
          && read_tlv (seq.content, seq.len, 0, &n) && n.len > 0) {
        const guint8 *p = n.content;
        gsize l = n.len;
        while (l > 0 && *p == 0) {
          p++;
          l--;
        }
        nbits = l * 8;
        if (l > 0)
          for (guint8 top = p[0]; !(top & 0x80); top <<= 1)
            nbits--;
      }
      value = g_strdup_printf ("RSA, %zu bits", nbits);
    } else if (strcmp (type, "ecPublicKey") == 0
               && read_tlv (alg.content, alg.len, oid.hdr + oid.len, &params)) {
      g_autofree char *curve = describe_oid (&params);
      value = g_strdup_printf ("EC, %s", curve);
    } else {
      value = g_strdup (type);
    }
  }
  {
    /* Only the first certificate's key works in the handshake; each later one certifies the one
     * before it (RFC 5246 7.4.2, RFC 8446 4.4.2). */
    HlField *f = hl_field_new (
        "Public key", spki->off + base, spki->hdr + spki->len, value,
        leaf ? _ ("The key the certificate vouches for: the peer proves it owns the matching "
                  "private key during the handshake.")
             : _ ("The CA's key: it checks the signature on the certificate before this one in "
                  "the chain. Nobody in the handshake uses or proves the matching private key."));
    hl_field_add (parent, f);
    {
      g_autofree char *hex = hl_field_short_hex (bits.content + 1, bits.len - 1);
      hl_field_add (f, hl_field_new ("Key bits", base + spki->off + spki->hdr + bits.off,
                                     bits.hdr + bits.len, hex, NULL));
    }
  }
}

static void
describe_extensions (const Tlv *ext_wrapper, gsize base, HlField *parent)
{
  Tlv seq, ext;
  gsize pos = 0;
  gsize seq_base = base + ext_wrapper->off + ext_wrapper->hdr;
  HlField *exts;
  if (!read_tlv (ext_wrapper->content, ext_wrapper->len, 0, &seq))
    return;
  exts = hl_field_add (parent, tlv_field (ext_wrapper, base, "Extensions", "", NULL));
  while (read_tlv (seq.content, seq.len, pos, &ext)) {
    Tlv oid, crit, val;
    gsize vpos;
    gsize ext_base = seq_base + seq.hdr;
    if (read_tlv (ext.content, ext.len, 0, &oid) && oid.tag == 0x06) {
      g_autofree char *name = describe_oid (&oid);
      g_autofree char *v = NULL;
      gboolean critical = FALSE;
      vpos = oid.hdr + oid.len;
      if (read_tlv (ext.content, ext.len, vpos, &crit) && crit.tag == 0x01) {
        critical = crit.len == 1 && crit.content[0] != 0;
        vpos += crit.hdr + crit.len;
      }
      if (read_tlv (ext.content, ext.len, vpos, &val) && val.tag == 0x04) {
        if (strcmp (name, "subjectAltName") == 0) {
          Tlv names, gn;
          GString *s = g_string_new (NULL);
          gsize p = 0;
          if (read_tlv (val.content, val.len, 0, &names))
            while (read_tlv (names.content, names.len, p, &gn)) {
              if (gn.tag == 0x82)
                g_string_append_printf (s, "%sDNS:%.*s", s->len ? ", " : "", (int)gn.len,
                                        gn.content);
              else if (gn.tag == 0x87 && gn.len == 4)
                g_string_append_printf (s, "%sIP:%u.%u.%u.%u", s->len ? ", " : "", gn.content[0],
                                        gn.content[1], gn.content[2], gn.content[3]);
              p += gn.hdr + gn.len;
            }
          v = g_string_free (s, FALSE);
        } else if (strcmp (name, "basicConstraints") == 0) {
          Tlv bc, b;
          gboolean ca = FALSE;
          if (read_tlv (val.content, val.len, 0, &bc) && read_tlv (bc.content, bc.len, 0, &b)
              && b.tag == 0x01)
            ca = b.len == 1 && b.content[0] != 0;
          v = g_strdup (ca ? "CA: yes, may sign certificates" : "CA: no (an end entity)");
        } else if (strcmp (name, "keyUsage") == 0) {
          static const char *const bits[]
              = { "digitalSignature", "nonRepudiation", "keyEncipherment",
                  "dataEncipherment", "keyAgreement",   "keyCertSign",
                  "cRLSign",          "encipherOnly",   "decipherOnly" };
          Tlv bs;
          GString *s = g_string_new (NULL);
          if (read_tlv (val.content, val.len, 0, &bs) && bs.tag == 0x03 && bs.len >= 2)
            for (guint b = 0; b < G_N_ELEMENTS (bits) && 1 + b / 8 < bs.len; b++)
              if (bs.content[1 + b / 8] & (0x80 >> (b % 8)))
                g_string_append_printf (s, "%s%s", s->len ? ", " : "", bits[b]);
          v = g_string_free (s, FALSE);
        } else if (strcmp (name, "extKeyUsage") == 0) {
          Tlv purposes, oid2;
          GString *s = g_string_new (NULL);
          gsize p = 0;
          if (read_tlv (val.content, val.len, 0, &purposes))
            while (read_tlv (purposes.content, purposes.len, p, &oid2)) {
              g_autofree char *purpose = oid2.tag == 0x06 ? describe_oid (&oid2) : NULL;
              if (purpose)
                g_string_append_printf (s, "%s%s", s->len ? ", " : "", purpose);
              p += oid2.hdr + oid2.len;
            }
          v = g_string_free (s, FALSE);
        } else {
          v = hl_field_short_hex (val.content, val.len);
        }
      }
      {
        g_autofree char *full = g_strdup_printf ("%s%s", v ? v : "", critical ? " (critical)" : "");
        hl_field_add (exts, hl_field_new (name, ext_base + ext.off, ext.hdr + ext.len, full,
                                          strcmp (name, "subjectAltName") == 0
                                              ? _ ("The names this certificate is valid for: the "
                                                   "client compares them with the server name.")
                                              : NULL));
      }
    }
    pos += ext.hdr + ext.len;
  }
  g_free (exts->value);
  exts->value = g_strdup_printf ("%u extension%s", exts->children->len,
                                 exts->children->len == 1 ? "" : "s");
}

HlField *
hl_decode_certificate (const guint8 *der, gsize len, gsize base, const char *name, gboolean leaf)
{
  Tlv cert, tbs, t, sigalg, sigval;
  gsize pos;
  HlField *root = hl_field_new (name, base, len, "", NULL);
  g_autofree char *subject = NULL;
  if (!read_tlv (der, len, 0, &cert) || cert.tag != 0x30
      || !read_tlv (cert.content, cert.len, 0, &tbs) || tbs.tag != 0x30) {
    g_free (root->value);
    root->value = g_strdup (_ ("not a valid DER certificate"));
    return root;
  }
  /* Offsets of TLVs inside tbs are relative to tbs content. */
  {
    gsize tbs_base = base + cert.hdr + tbs.hdr;
    pos = 0;
    if (read_tlv (tbs.content, tbs.len, pos, &t) && t.tag == 0xa0) {
      Tlv v;
      guint ver = 1;
      if (read_tlv (t.content, t.len, 0, &v) && v.len == 1)
        ver = v.content[0] + 1;
      {
        g_autofree char *vs = g_strdup_printf ("v%u", ver);
        hl_field_add (root, tlv_field (&t, tbs_base, "Version", vs, NULL));
      }
      pos += t.hdr + t.len;
    }
    if (read_tlv (tbs.content, tbs.len, pos, &t) && t.tag == 0x02) {
      g_autofree char *hex = hl_hex (t.content, t.len);
      hl_field_add (root, tlv_field (&t, tbs_base, "Serial number", hex,
                                     _ ("Unique among the certificates of its CA.")));
      pos += t.hdr + t.len;
    }
    if (read_tlv (tbs.content, tbs.len, pos, &t)) {
      Tlv oid;
      g_autofree char *alg = read_tlv (t.content, t.len, 0, &oid) ? describe_oid (&oid) : NULL;
      hl_field_add (root, tlv_field (&t, tbs_base, "Signature algorithm", alg ? alg : "",
                                     _ ("How the CA signed this certificate.")));
      pos += t.hdr + t.len;
    }
    if (read_tlv (tbs.content, tbs.len, pos, &t)) {
      g_autofree char *issuer = describe_name (&t);
      /* RFC 5280 6.1, 4.1.2.4: a self-issued certificate names itself as its issuer. */
      gboolean self = subject_matches_issuer (&tbs, pos, &t);
      hl_field_add (root,
                    tlv_field (&t, tbs_base, "Issuer", issuer,
                               self ? _ ("The name of whoever signed this certificate. Here it "
                                         "is the Subject's own name: the certificate is "
                                         "self-issued (RFC 5280 6.1), as a root CA's is.")
                                    : _ ("The CA that signed this certificate.")));
      pos += t.hdr + t.len;
    }
    if (read_tlv (tbs.content, tbs.len, pos, &t)) {
      Tlv nb, na;
      if (read_tlv (t.content, t.len, 0, &nb)
          && read_tlv (t.content, t.len, nb.hdr + nb.len, &na)) {
        g_autofree char *a = describe_time (&nb);
        g_autofree char *b = describe_time (&na);
        g_autofree char *v = g_strdup_printf ("%s to %s", a, b);
        HlField *vf = hl_field_add (root, tlv_field (&t, tbs_base, "Validity", v,
                                                     _ ("The certificate is valid only between "
                                                        "these times, by the checker's clock.")));
        hl_field_add (vf, hl_field_new ("Not before", tbs_base + t.off + t.hdr + nb.off,
                                        nb.hdr + nb.len, a, NULL));
        hl_field_add (vf, hl_field_new ("Not after", tbs_base + t.off + t.hdr + na.off,
                                        na.hdr + na.len, b, NULL));
      }
      pos += t.hdr + t.len;
    }
    if (read_tlv (tbs.content, tbs.len, pos, &t)) {
      HlField *sf, *cn;
      subject = describe_name (&t);
      sf = hl_field_add (
          root, tlv_field (&t, tbs_base, "Subject", subject, _ ("Who this certificate is for.")));
      cn = take_common_name (&t, tbs_base + t.off + t.hdr);
      if (cn)
        hl_field_add (sf, cn);
      pos += t.hdr + t.len;
    }
    if (read_tlv (tbs.content, tbs.len, pos, &t)) {
      Tlv shifted = t;
      describe_public_key (&shifted, tbs_base, leaf, root);
      pos += t.hdr + t.len;
    }
    while (read_tlv (tbs.content, tbs.len, pos, &t)) {
      if (t.tag == 0xa3)
        describe_extensions (&t, tbs_base, root);
      pos += t.hdr + t.len;
    }
  }
  pos = tbs.hdr + tbs.len;
  if (read_tlv (cert.content, cert.len, pos, &sigalg)) {
    Tlv oid;
    /* ecdsa-with-SHA* (1.2.840.10045.4.x): RFC 3279 2.2.3 and RFC 5758 3.2. */
    static const guint8 ecdsa_oid[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04 };
    gboolean ecdsa = read_tlv (sigalg.content, sigalg.len, 0, &oid) && oid.tag == 0x06
                     && oid.len > sizeof ecdsa_oid
                     && memcmp (oid.content, ecdsa_oid, sizeof ecdsa_oid) == 0;
    pos += sigalg.hdr + sigalg.len;
    if (read_tlv (cert.content, cert.len, pos, &sigval)) {
      /* A BIT STRING: its first byte counts the unused bits of the last byte (0 here),
       * and is not part of the signature. */
      gboolean bits = sigval.len >= 1;
      g_autofree char *hex = hl_field_short_hex (sigval.content + bits, sigval.len - bits);
      gsize start = base + cert.hdr + sigval.off + sigval.hdr;
      HlField *sig = hl_field_add (
          root, tlv_field (&sigval, base + cert.hdr, "CA signature", hex,
                           _ ("The issuer's signature over everything above: checking it with the "
                              "issuer's public key proves the CA vouches for this certificate.")));
      if (bits) {
        g_autofree char *unused = g_strdup_printf ("%u", sigval.content[0]);
        hl_field_add (sig, hl_field_new ("Unused bits", start, 1, unused,
                                         _ ("The BIT STRING's first byte: how many bits of its "
                                            "last byte are padding. Not part of the signature.")));
        hl_field_add (sig,
                      hl_field_new ("Signature value", start + 1, sigval.len - 1, hex,
                                    ecdsa ? _ ("The signature itself: an ECDSA signature is the "
                                               "DER encoding of SEQUENCE { r, s }, two integers, "
                                               "so its length varies by a byte or two from one "
                                               "signature to the next (RFC 3279 2.2.3).")
                                          : _ ("The signature itself: for RSA as many bytes as "
                                               "the issuer's modulus (256 for RSA-2048).")));
      }
    }
  }
  g_free (root->value);
  root->value = g_strdup (subject ? subject : "");
  return root;
}

char *
hl_decode_distinguished_name (const guint8 *der, gsize len)
{
  Tlv name;
  if (!read_tlv (der, len, 0, &name) || name.tag != 0x30 || name.hdr + name.len != len)
    return NULL;
  return describe_name (&name);
}
