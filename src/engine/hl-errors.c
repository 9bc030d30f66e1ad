/* hl-errors.c: BearSSL's error codes (bearssl_ssl.h, bearssl_x509.h): their names, the
 * alert each one means on the wire, and what a student reads about each, with the RFC
 * section that makes it an error. Declared in hl-tables.h. */
#include "hl-tables.h"
#include "hl-i18n.h"

#include <bearssl.h>
#include <string.h>

#define E(x)                                                                                       \
  {                                                                                                \
    x, #x                                                                                          \
  }
static const struct {
  int code;
  const char *name;
} errors[] = {
  E (BR_ERR_OK),
  E (BR_ERR_BAD_PARAM),
  E (BR_ERR_BAD_STATE),
  E (BR_ERR_UNSUPPORTED_VERSION),
  E (BR_ERR_BAD_VERSION),
  E (BR_ERR_BAD_LENGTH),
  E (BR_ERR_TOO_LARGE),
  E (BR_ERR_BAD_MAC),
  E (BR_ERR_NO_RANDOM),
  E (BR_ERR_UNKNOWN_TYPE),
  E (BR_ERR_UNEXPECTED),
  E (BR_ERR_BAD_CCS),
  E (BR_ERR_BAD_ALERT),
  E (BR_ERR_BAD_HANDSHAKE),
  E (BR_ERR_OVERSIZED_ID),
  E (BR_ERR_BAD_CIPHER_SUITE),
  E (BR_ERR_BAD_COMPRESSION),
  E (BR_ERR_BAD_FRAGLEN),
  E (BR_ERR_BAD_SECRENEG),
  E (BR_ERR_EXTRA_EXTENSION),
  E (BR_ERR_BAD_SNI),
  E (BR_ERR_BAD_HELLO_DONE),
  E (BR_ERR_LIMIT_EXCEEDED),
  E (BR_ERR_BAD_FINISHED),
  E (BR_ERR_RESUME_MISMATCH),
  E (BR_ERR_INVALID_ALGORITHM),
  E (BR_ERR_BAD_SIGNATURE),
  E (BR_ERR_WRONG_KEY_USAGE),
  E (BR_ERR_NO_CLIENT_AUTH),
  E (BR_ERR_IO),
  E (BR_ERR_X509_INVALID_VALUE),
  E (BR_ERR_X509_TRUNCATED),
  E (BR_ERR_X509_EMPTY_CHAIN),
  E (BR_ERR_X509_INNER_TRUNC),
  E (BR_ERR_X509_BAD_TAG_CLASS),
  E (BR_ERR_X509_BAD_TAG_VALUE),
  E (BR_ERR_X509_INDEFINITE_LENGTH),
  E (BR_ERR_X509_EXTRA_ELEMENT),
  E (BR_ERR_X509_UNEXPECTED),
  E (BR_ERR_X509_NOT_CONSTRUCTED),
  E (BR_ERR_X509_NOT_PRIMITIVE),
  E (BR_ERR_X509_PARTIAL_BYTE),
  E (BR_ERR_X509_BAD_BOOLEAN),
  E (BR_ERR_X509_OVERFLOW),
  E (BR_ERR_X509_BAD_DN),
  E (BR_ERR_X509_BAD_TIME),
  E (BR_ERR_X509_UNSUPPORTED),
  E (BR_ERR_X509_LIMIT_EXCEEDED),
  E (BR_ERR_X509_WRONG_KEY_TYPE),
  E (BR_ERR_X509_BAD_SIGNATURE),
  E (BR_ERR_X509_TIME_UNKNOWN),
  E (BR_ERR_X509_EXPIRED),
  E (BR_ERR_X509_DN_MISMATCH),
  E (BR_ERR_X509_BAD_SERVER_NAME),
  E (BR_ERR_X509_CRITICAL_EXTENSION),
  E (BR_ERR_X509_NOT_CA),
  E (BR_ERR_X509_FORBIDDEN_KEY_USAGE),
  E (BR_ERR_X509_WEAK_PUBLIC_KEY),
  E (BR_ERR_X509_NOT_TRUSTED),
};
#undef E

char *
hl_error_name (int err)
{
  if (err >= BR_ERR_SEND_FATAL_ALERT && err < BR_ERR_SEND_FATAL_ALERT + 256)
    return g_strdup_printf ("BR_ERR_SEND_FATAL_ALERT+%d", err - BR_ERR_SEND_FATAL_ALERT);
  if (err >= BR_ERR_RECV_FATAL_ALERT && err < BR_ERR_RECV_FATAL_ALERT + 256)
    return g_strdup_printf ("BR_ERR_RECV_FATAL_ALERT+%d", err - BR_ERR_RECV_FATAL_ALERT);
  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    if (errors[i].code == err)
      return g_strdup (errors[i].name);
  return g_strdup_printf ("%d", err);
}

int
hl_error_alert (int err, gboolean *sent)
{
  if (err >= BR_ERR_SEND_FATAL_ALERT && err < BR_ERR_SEND_FATAL_ALERT + 256) {
    *sent = TRUE;
    return err - BR_ERR_SEND_FATAL_ALERT;
  }
  if (err >= BR_ERR_RECV_FATAL_ALERT && err < BR_ERR_RECV_FATAL_ALERT + 256) {
    *sent = FALSE;
    return err - BR_ERR_RECV_FATAL_ALERT;
  }
  return -1;
}

gboolean
hl_error_is_expired (int err)
{
  return err == BR_ERR_X509_EXPIRED;
}

gboolean
hl_error_parse (const char *text, int *err)
{
  char *end = NULL;
  const char *plus;
  if (g_ascii_isdigit (text[0])) {
    gint64 v = g_ascii_strtoll (text, &end, 10);
    if (*end == '\0' && v >= 0 && v < 1024) {
      *err = (int)v;
      return TRUE;
    }
    return FALSE;
  }
  plus = strchr (text, '+');
  if (plus) {
    int base;
    gint64 alert;
    if (strncmp (text, "BR_ERR_SEND_FATAL_ALERT+", plus - text + 1) == 0
        && plus - text == (long)strlen ("BR_ERR_SEND_FATAL_ALERT"))
      base = BR_ERR_SEND_FATAL_ALERT;
    else if (strncmp (text, "BR_ERR_RECV_FATAL_ALERT+", plus - text + 1) == 0
             && plus - text == (long)strlen ("BR_ERR_RECV_FATAL_ALERT"))
      base = BR_ERR_RECV_FATAL_ALERT;
    else
      return FALSE;
    alert = g_ascii_strtoll (plus + 1, &end, 10);
    if (plus[1] == '\0' || *end != '\0' || alert < 0 || alert > 255)
      return FALSE;
    *err = base + (int)alert;
    return TRUE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    if (strcmp (errors[i].name, text) == 0) {
      *err = errors[i].code;
      return TRUE;
    }
  return FALSE;
}

char *
hl_error_explain (int err)
{
  if (err >= BR_ERR_SEND_FATAL_ALERT && err < BR_ERR_SEND_FATAL_ALERT + 256) {
    int a = err - BR_ERR_SEND_FATAL_ALERT;
    return g_strdup_printf (_ ("It sent the fatal alert %s (%d) and closed the connection."),
                            hl_alert_name (a), a);
  }
  if (err >= BR_ERR_RECV_FATAL_ALERT && err < BR_ERR_RECV_FATAL_ALERT + 256) {
    int a = err - BR_ERR_RECV_FATAL_ALERT;
    return g_strdup_printf (_ ("It received the fatal alert %s (%d) from its peer and closed."),
                            hl_alert_name (a), a);
  }
  switch (err) {
  case BR_ERR_OK:
    return g_strdup ("No error.");
  case BR_ERR_BAD_PARAM:
    /* BearSSL's handshake parser fails with this code when a length runs past the one
     * enclosing it or leaves bytes over (check-len, open-elt, close-elt in ssl_hs_common.t0). */
    return g_strdup (_ ("A length in the message does not fit: BearSSL's parser stops with this "
                        "code when a field runs past the end of the structure holding it, or "
                        "bytes are left over at its end (a malformed message). BearSSL also "
                        "uses it for a bad parameter from the program that calls it."));
  case BR_ERR_BAD_STATE:
    return g_strdup (_ ("The engine was used in a state where that call is not allowed."));
  case BR_ERR_TOO_LARGE:
    return g_strdup (_ ("A record or message is larger than the buffers allow."));
  case BR_ERR_NO_RANDOM:
    return g_strdup (_ ("The engine had no source of randomness."));
  case BR_ERR_UNKNOWN_TYPE:
    return g_strdup (_ ("A record has a content type TLS does not define."));
  case BR_ERR_BAD_ALERT:
    return g_strdup (_ ("An alert record is malformed (not 2 bytes, or an odd level)."));
  case BR_ERR_OVERSIZED_ID:
    return g_strdup (_ ("A session id is longer than the 32 bytes TLS allows."));
  case BR_ERR_BAD_COMPRESSION:
    return g_strdup (_ ("The peer asked for compression; BearSSL only accepts none."));
  case BR_ERR_BAD_FRAGLEN:
    return g_strdup (_ ("The max_fragment_length extension has a value TLS does not define."));
  case BR_ERR_BAD_SECRENEG:
    return g_strdup (_ ("The secure renegotiation extension is missing or wrong."));
  case BR_ERR_EXTRA_EXTENSION:
    return g_strdup (_ ("The server sent an extension the client never asked for."));
  case BR_ERR_RESUME_MISMATCH:
    return g_strdup (_ ("A resumed session does not match: another version or cipher suite than "
                        "the session had."));
  case BR_ERR_INVALID_ALGORITHM:
    return g_strdup (_ ("The peer chose an algorithm this side does not support or did not "
                        "offer: an ECDHE curve, a signature algorithm or a hash function."));
  case BR_ERR_BAD_MAC:
    return g_strdup (_ ("A record failed its integrity check (MAC or AEAD tag): the bytes were "
                        "changed in transit or the keys differ."));
  case BR_ERR_UNEXPECTED:
    return g_strdup (_ ("A message arrived that is not allowed at this point of the handshake."));
  case BR_ERR_BAD_HANDSHAKE:
    return g_strdup (_ ("A handshake message could not be decoded."));
  case BR_ERR_BAD_SIGNATURE:
    return g_strdup (
        _ ("A signature did not verify: the signed data or the signature was changed."));
  case BR_ERR_BAD_FINISHED:
    return g_strdup (_ ("The peer's Finished did not match: the two sides saw different handshakes "
                        "or derived different keys."));
  case BR_ERR_BAD_CIPHER_SUITE:
    return g_strdup (_ ("The server chose a cipher suite the client did not offer."));
  case BR_ERR_UNSUPPORTED_VERSION:
    return g_strdup (_ ("No protocol version both sides accept."));
  case BR_ERR_BAD_VERSION:
    return g_strdup (_ ("A record or message carried an unexpected protocol version."));
  case BR_ERR_BAD_LENGTH:
    return g_strdup (_ ("A record had an impossible length."));
  case BR_ERR_NO_CLIENT_AUTH:
    return g_strdup (_ ("The server asked for a client certificate and got none it could accept."));
  case BR_ERR_BAD_CCS:
    return g_strdup (_ ("The ChangeCipherSpec message was malformed."));
  case BR_ERR_BAD_SNI:
    return g_strdup (_ ("The server name extension was malformed."));
  case BR_ERR_BAD_HELLO_DONE:
    return g_strdup (_ ("The ServerHelloDone message was malformed."));
  case BR_ERR_X509_NOT_TRUSTED:
    return g_strdup (_ ("The certificate chain does not lead to a trusted CA."));
  case BR_ERR_X509_EXPIRED:
    return g_strdup (_ ("A certificate is outside its validity period (expired or not yet valid) "
                        "at the scenario's clock."));
  case BR_ERR_X509_BAD_SERVER_NAME:
    return g_strdup (_ ("The certificate does not name the server the client asked for."));
  case BR_ERR_X509_BAD_SIGNATURE:
    return g_strdup (_ ("A certificate's signature does not verify with its issuer's key."));
  case BR_ERR_X509_DN_MISMATCH:
    return g_strdup (
        _ ("The chain is broken: a certificate's issuer is not the next one's subject."));
  case BR_ERR_X509_EMPTY_CHAIN:
    return g_strdup (_ ("The peer sent no certificate."));
  case BR_ERR_X509_NOT_CA:
    return g_strdup (_ ("A certificate used as a CA is not marked as one."));
  case BR_ERR_X509_WEAK_PUBLIC_KEY:
    return g_strdup (_ ("A key in the chain is too small."));
  case BR_ERR_X509_UNSUPPORTED:
    return g_strdup (_ ("The certificate uses an algorithm BearSSL does not support."));
  case BR_ERR_X509_FORBIDDEN_KEY_USAGE:
    return g_strdup (_ ("The certificate's key usage forbids this use."));
  case BR_ERR_WRONG_KEY_USAGE:
    return g_strdup (_ ("The peer's key cannot be used for this cipher suite's key exchange."));
  case BR_ERR_LIMIT_EXCEEDED:
    return g_strdup (_ ("A message exceeded one of BearSSL's limits."));
  case BR_ERR_IO:
    return g_strdup ("An I/O error.");
  }
  if (err >= 32 && err < 64)
    return g_strdup (_ ("The certificate could not be parsed or validated."));
  return g_strdup (_ ("BearSSL stopped with this error."));
}

int
hl_error_rfc_alert (int err)
{
  switch (err) {
  case BR_ERR_BAD_MAC:
    return 20;
  case BR_ERR_UNEXPECTED:
  case BR_ERR_BAD_CCS:
    return 10;
  case BR_ERR_BAD_SIGNATURE:
  case BR_ERR_BAD_FINISHED:
    return 51;
  case BR_ERR_BAD_HANDSHAKE:
  case BR_ERR_BAD_LENGTH:
  case BR_ERR_BAD_HELLO_DONE:
  case BR_ERR_BAD_SNI:
    return 50;
  case BR_ERR_BAD_CIPHER_SUITE:
    return 47;
  case BR_ERR_UNSUPPORTED_VERSION:
  case BR_ERR_BAD_VERSION:
    return 70;
  case BR_ERR_NO_CLIENT_AUTH:
    return 40;
  case BR_ERR_X509_NOT_TRUSTED:
  case BR_ERR_X509_DN_MISMATCH:
    return 48;
  case BR_ERR_X509_EXPIRED:
    return 45;
  case BR_ERR_X509_UNSUPPORTED:
    return 43;
  case BR_ERR_WRONG_KEY_USAGE:
    return 43;
  }
  if (err >= 32 && err < 64)
    return 42;
  return -1;
}

int
hl_error_nth (guint i)
{
  return i < G_N_ELEMENTS (errors) ? errors[i].code : -1;
}
