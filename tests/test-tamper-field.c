/* Tampering by field, without a display: typed values re-encoded into a field's bytes
 * (hl-field-edit.h), set, flip and drop through the session, the pending change, Back and
 * Redo, and for many changes the check predicted before delivery against the check that
 * really caught it (hl-tamper-effect.h). */
#include <string.h>

#include "hl-session.h"
#include "hl-tables.h"
#include "hl-test-util.h"

static HlSession *
open_session (const char *lesson)
{
  HlSession *s = hl_session_new ();
  g_autofree char *file = g_strconcat ("scenarios/", lesson, ".scenario", NULL);
  g_autofree char *path = hl_test_source_path (file);
  g_autoptr (GError) error = NULL;
  g_assert_true (hl_session_load (s, path, &error));
  g_assert_no_error (error);
  return s;
}

/* Steps until the message in flight is the nth `message` from `from` in connection 1, or
 * in the connection given as nth / 100; FALSE at the end. */
static gboolean
step_to (HlSession *s, HlSide from, const char *message, guint nth)
{
  HlNextMessage next;
  guint connection = MAX (nth / 100, 1);
  nth = MAX (nth % 100, 1);
  while (hl_session_peek_next (s, &next)) {
    if (next.from == from && strcmp (next.message, message) == 0 && next.nth == nth
        && next.connection == connection)
      return TRUE;
    hl_session_step (s);
  }
  return FALSE;
}

/* The last delivered step's field, after delivering the message in flight. */
static const HlField *
deliver_and_find (HlSession *s, const char *name, guint *step)
{
  const HlStep *st;
  g_assert_true (hl_session_step (s));
  *step = hl_session_get_position (s);
  st = hl_session_get_step (s, *step - 1);
  return hl_field_find_named (st->fields, name);
}

static void
test_encode (void)
{
  HlSession *s = open_session ("02-ecdhe-rsa-aes-gcm");
  guint step;
  const HlField *suite, *random, *sid_len;
  const HlStep *st;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) b = NULL;
  const guint8 *d, *o;
  gsize len;
  g_auto (GStrv) names = NULL;
  g_autofree char *text = NULL;
  g_assert_true (step_to (s, HL_SIDE_SERVER, "ServerHello", 1));
  suite = deliver_and_find (s, "Cipher suite", &step);
  st = hl_session_get_step (s, step - 1);
  g_assert_nonnull (suite);
  g_assert_cmpint (hl_field_kind (suite), ==, HL_FIELD_KIND_NAMED);
  text = hl_field_edit_text (suite, st->wire);
  g_assert_cmpstr (text, ==, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  names = hl_field_value_names (suite);
  g_assert_true (g_strv_contains ((const char *const *)names, "TLS_RSA_WITH_AES_128_CBC_SHA"));
  /* a name, case and all */
  b = hl_field_encode (suite, st->wire, " tls_rsa_with_aes_128_cbc_sha ", &error);
  g_assert_no_error (error);
  d = g_bytes_get_data (b, &len);
  o = g_bytes_get_data (st->wire, NULL);
  g_assert_cmpuint (len, ==, g_bytes_get_size (st->wire));
  g_assert_cmphex (d[suite->offset], ==, 0x00);
  g_assert_cmphex (d[suite->offset + 1], ==, 0x2f);
  g_assert_cmpint (memcmp (d, o, suite->offset), ==, 0); /* nothing else moved */
  g_clear_pointer (&b, g_bytes_unref);
  /* its number, in hex */
  b = hl_field_encode (suite, st->wire, "0x1301", &error);
  g_assert_no_error (error);
  g_assert_cmphex (((const guint8 *)g_bytes_get_data (b, NULL))[suite->offset + 1], ==, 0x01);
  g_clear_pointer (&b, g_bytes_unref);
  /* no such name: the error says what to type */
  b = hl_field_encode (suite, st->wire, "TLS_NONSENSE", &error);
  g_assert_null (b);
  g_assert_error (error, HL_FIELD_EDIT_ERROR, HL_FIELD_EDIT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "TLS_NONSENSE"));
  g_assert_nonnull (strstr (error->message, "65535"));
  g_clear_error (&error);
  /* an integer that does not fit its one byte */
  sid_len = hl_field_find_named (st->fields, "Session ID length");
  g_assert_cmpint (hl_field_kind (sid_len), ==, HL_FIELD_KIND_INTEGER);
  g_assert_null (hl_field_encode (sid_len, st->wire, "256", &error));
  g_assert_nonnull (strstr (error->message, "0 to 255"));
  g_clear_error (&error);
  b = hl_field_encode (sid_len, st->wire, "31", &error);
  g_assert_cmpuint (((const guint8 *)g_bytes_get_data (b, NULL))[sid_len->offset], ==, 31);
  g_clear_pointer (&b, g_bytes_unref);
  /* opaque: exactly its bytes in hex */
  random = hl_field_find_named (st->fields, "Random");
  g_assert_cmpint (hl_field_kind (random), ==, HL_FIELD_KIND_OPAQUE);
  g_assert_null (hl_field_encode (random, st->wire, "00ff", &error));
  g_assert_nonnull (strstr (error->message, "64 hex digits"));
  g_clear_error (&error);
  g_assert_null (hl_field_encode (random, st->wire, "zz", &error));
  g_assert_nonnull (strstr (error->message, "“z”"));
  g_clear_error (&error);
  /* flip: bit 0 is the lowest bit of the last byte; bit 8 the lowest of the one before */
  b = hl_field_flip_bit (random, st->wire, 8, &error);
  g_assert_no_error (error);
  d = g_bytes_get_data (b, NULL);
  g_assert_cmphex (d[random->offset + 30], ==, o[random->offset + 30] ^ 0x01);
  g_assert_cmphex (d[random->offset + 31], ==, o[random->offset + 31]);
  g_clear_pointer (&b, g_bytes_unref);
  g_assert_null (hl_field_flip_bit (random, st->wire, 256, &error));
  g_clear_error (&error);
  g_object_unref (s);
}

/* Set a field of a delivered step: the session goes back to just before it, the change
 * waits on the message in flight, shows again, can be cleared; Back takes a delivered
 * change away and Redo brings it back. */
static void
test_session_set_clear_back_redo (void)
{
  HlSession *s = open_session ("02-ecdhe-rsa-aes-gcm");
  guint step;
  const HlField *suite;
  HlField *own;
  const HlChange *c;
  g_autoptr (GError) error = NULL;
  g_autofree char *report = NULL;
  g_assert_true (step_to (s, HL_SIDE_SERVER, "ServerHello", 1));
  suite = deliver_and_find (s, "Cipher suite", &step);
  /* a copy: going back frees the step that owns the field */
  suite = own = hl_field_new (suite->name, suite->offset, suite->length, suite->value, "");
  hl_session_step (s);
  g_assert_cmpuint (hl_session_get_position (s), ==, step + 1);
  /* a bad value changes nothing, not even the position */
  g_assert_false (hl_session_set_field (s, step, suite, "nonsense", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (hl_session_get_position (s), ==, step + 1);
  g_assert_null (hl_session_get_pending_change (s));
  g_assert_true (hl_session_set_field (s, step, suite, "TLS_RSA_WITH_AES_128_CBC_SHA", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hl_session_get_position (s), ==, step - 1);
  c = hl_session_get_pending_change (s);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->field, ==, "Cipher suite");
  g_assert_cmpstr (c->typed, ==, "TLS_RSA_WITH_AES_128_CBC_SHA");
  g_assert_cmpstr (c->what, ==, "Cipher suite set to TLS_RSA_WITH_AES_128_CBC_SHA");
  g_assert_true (hl_session_next_is_edited (s));
  /* cleared: the message goes unchanged */
  g_assert_true (hl_session_clear_pending (s));
  g_assert_null (hl_session_get_pending_change (s));
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  /* set again, flip instead, delivered: the step's change is named in the outcome */
  g_assert_true (hl_session_flip_field_bit (s, 0, suite, 0, &error));
  g_assert_cmpstr (hl_session_get_pending_change (s)->what, ==, "bit 0 of Cipher suite flipped");
  hl_session_run_to_end (s);
  report = hl_session_describe_change (s, step);
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report, "bit 0 of Cipher suite flipped"));
  g_assert_nonnull (strstr (report, "Caught by the client"));
  g_assert_nonnull (strstr (hl_session_get_outcome (s), "Cipher suite"));
  /* Back across it takes it away; Redo puts it back on the message in flight */
  while (hl_session_get_position (s) >= step)
    hl_session_back (s);
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  g_assert_cmpuint (hl_session_get_n_undone (s), ==, 1);
  g_assert_cmpstr (hl_session_get_undone (s, 0)->field, ==, "Cipher suite");
  g_assert_true (hl_session_redo (s));
  g_assert_cmpuint (hl_session_get_n_undone (s), ==, 0);
  c = hl_session_get_pending_change (s);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->what, ==, "bit 0 of Cipher suite flipped");
  hl_session_step (s);
  g_assert_nonnull (hl_session_get_step_change (s, step));
  /* a step clears what Back took away: Redo has nothing left */
  hl_session_back (s);
  g_assert_cmpuint (hl_session_get_n_undone (s), ==, 1);
  hl_session_step (s);
  g_assert_cmpuint (hl_session_get_n_undone (s), ==, 0);
  g_assert_false (hl_session_redo (s));
  /* Restart takes every change away, kept for Redo as Back's are: Redo puts it back on its
   * message, which waits to be delivered again */
  g_assert_true (hl_session_flip_field_bit (s, step, suite, 0, &error));
  g_assert_no_error (error);
  hl_session_step (s);
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 1);
  hl_session_restart (s);
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  g_assert_cmpuint (hl_session_get_n_undone (s), ==, 1);
  g_assert_cmpstr (hl_session_get_undone (s, 0)->what, ==, "bit 0 of Cipher suite flipped");
  g_assert_true (hl_session_redo (s));
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 1);
  hl_session_run_to_end (s);
  g_assert_nonnull (hl_session_get_step_change (s, step));
  hl_field_free (own);
  g_object_unref (s);
}

/* A change, the check predicted before delivery, and the side that makes it. */
typedef struct {
  const char *lesson;
  guint connection; /* 0: the first */
  HlSide from;
  const char *message;
  const char *field; /* NULL: drop, or the ciphertext when flip_cipher */
  const char *value; /* NULL: flip bit 0 */
  gboolean flip_cipher;
  HlCheck check;
  HlSide checker;
  const char *checked; /* the message whose check catches it */
} Case;

static const Case cases[] = {
  /* signed: the ServerKeyExchange's parameters, and the randoms it covers */
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_SERVER, "ServerKeyExchange", "Public key", NULL, FALSE,
    HL_CHECK_SIGNATURE, HL_SIDE_CLIENT, "ServerKeyExchange" },
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_CLIENT, "ClientHello", "random_bytes", NULL, FALSE,
    HL_CHECK_SIGNATURE, HL_SIDE_CLIENT, "ServerKeyExchange" },
  /* RSA key exchange: nothing signs the randoms; the keys differ */
  { "01-rsa-key-exchange", 0, HL_SIDE_CLIENT, "ClientHello", "random_bytes", NULL, FALSE,
    HL_CHECK_RECORD, HL_SIDE_SERVER, "Finished" },
  { "01-rsa-key-exchange", 0, HL_SIDE_CLIENT, "ClientKeyExchange", "Encrypted premaster secret",
    NULL, FALSE, HL_CHECK_RECORD, HL_SIDE_SERVER, "Finished" },
  /* hashed only: the first Finished checked */
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_CLIENT, "ClientHello", "Host name", NULL, FALSE,
    HL_CHECK_FINISHED, HL_SIDE_SERVER, "Finished" },
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_CLIENT, "Finished", "Verify data", NULL, FALSE,
    HL_CHECK_FINISHED, HL_SIDE_SERVER, "Finished" },
  /* a suite the client never offered */
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_SERVER, "ServerHello", "Cipher suite",
    "TLS_RSA_WITH_AES_128_CBC_SHA", FALSE, HL_CHECK_MESSAGE, HL_SIDE_CLIENT, "ServerHello" },
  /* a curve the client never offered: refused as it is read, before the signature */
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_SERVER, "ServerKeyExchange", "Named curve", "secp256r1",
    FALSE, HL_CHECK_MESSAGE, HL_SIDE_CLIENT, "ServerKeyExchange" },
  /* the certificate's issuer signature */
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_SERVER, "Certificate", "Subject", NULL, FALSE,
    HL_CHECK_CERTIFICATE, HL_SIDE_CLIENT, "Certificate" },
  /* ciphertext on the wire: the record check */
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_CLIENT, "Finished", NULL, NULL, TRUE, HL_CHECK_RECORD,
    HL_SIDE_SERVER, "Finished" },
  /* dropped: out of order, or nobody answers */
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_CLIENT, "ChangeCipherSpec", NULL, NULL, FALSE,
    HL_CHECK_MESSAGE, HL_SIDE_SERVER, "Finished" },
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_CLIENT, "Finished", NULL, NULL, FALSE, HL_CHECK_STALL,
    HL_SIDE_SERVER, NULL },
  /* content sealed again with the sender's keys: nothing catches it */
  { "12-sni-and-alpn", 0, HL_SIDE_CLIENT, "ApplicationData", "Data", NULL, FALSE, HL_CHECK_NONE,
    HL_SIDE_CLIENT, NULL },
  /* TLS 1.3: the hellos feed the handshake keys; CertificateVerify signs the transcript */
  { "30-tls13-basic", 0, HL_SIDE_CLIENT, "ClientHello", "Random", NULL, FALSE, HL_CHECK_RECORD,
    HL_SIDE_CLIENT, "EncryptedExtensions" },
  { "30-tls13-basic", 0, HL_SIDE_SERVER, "CertificateVerify", "Signature", NULL, FALSE,
    HL_CHECK_SIGNATURE, HL_SIDE_CLIENT, "CertificateVerify" },
  { "30-tls13-basic", 0, HL_SIDE_SERVER, "Finished", "Verify data", NULL, FALSE, HL_CHECK_FINISHED,
    HL_SIDE_CLIENT, "Finished" },
  { "30-tls13-basic", 0, HL_SIDE_SERVER, "EncryptedExtensions", NULL, NULL, FALSE, HL_CHECK_RECORD,
    HL_SIDE_CLIENT, "Certificate" },
  /* TLS 1.0 with CBC: the record MAC, RFC 2246 */
  { "07-tls10-cbc", 0, HL_SIDE_CLIENT, "Finished", NULL, NULL, TRUE, HL_CHECK_RECORD,
    HL_SIDE_SERVER, "Finished" },
  { "07-tls10-cbc", 0, HL_SIDE_SERVER, "ServerKeyExchange", "Signature", NULL, FALSE,
    HL_CHECK_SIGNATURE, HL_SIDE_CLIENT, "ServerKeyExchange" },
  /* a changed length: BearSSL rejects the message at once, whichever way it moved */
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_CLIENT, "ClientHello", "Cipher suites length", "200", FALSE,
    HL_CHECK_MESSAGE, HL_SIDE_SERVER, "ClientHello" },
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_CLIENT, "ClientHello", "Length", "4000", FALSE,
    HL_CHECK_MESSAGE, HL_SIDE_SERVER, "ClientHello" },
  { "02-ecdhe-rsa-aes-gcm", 0, HL_SIDE_SERVER, "Certificate", "Length", "40", FALSE,
    HL_CHECK_MESSAGE, HL_SIDE_CLIENT, "Certificate" },
  /* OpenSSL: an inner length fails the parse; a longer message length reads on */
  { "30-tls13-basic", 0, HL_SIDE_CLIENT, "ClientHello", "Cipher suites length", "200", FALSE,
    HL_CHECK_MESSAGE, HL_SIDE_SERVER, "ClientHello" },
  { "30-tls13-basic", 0, HL_SIDE_CLIENT, "ClientHello", "Length", "4000", FALSE, HL_CHECK_STALL,
    HL_SIDE_SERVER, NULL },
  { "30-tls13-basic", 0, HL_SIDE_SERVER, "ServerHello", "Length", "4000", FALSE, HL_CHECK_MESSAGE,
    HL_SIDE_CLIENT, "ChangeCipherSpec" },
  { "30-tls13-basic", 0, HL_SIDE_SERVER, "Certificate", "Length", "8000", FALSE, HL_CHECK_STALL,
    HL_SIDE_CLIENT, NULL },
  { "38-tls13-client-vs-tls12-server", 0, HL_SIDE_SERVER, "ServerHello", "Length", "4000", FALSE,
    HL_CHECK_STALL, HL_SIDE_CLIENT, NULL },
  { "38-tls13-client-vs-tls12-server", 0, HL_SIDE_SERVER, "ServerHello", "Length", "78", FALSE,
    HL_CHECK_MESSAGE, HL_SIDE_CLIENT, "Certificate" },
  { "30-tls13-basic", 0, HL_SIDE_SERVER, "Certificate", "Length", "1844", FALSE, HL_CHECK_MESSAGE,
    HL_SIDE_CLIENT, "CertificateVerify" },
  /* an ECDH point changed: BearSSL's server goes on with a random premaster */
  { "04-ecdhe-ecdsa-p384-sha384", 0, HL_SIDE_CLIENT, "ClientKeyExchange", "Public key", NULL, FALSE,
    HL_CHECK_RECORD, HL_SIDE_SERVER, "Finished" },
  /* a resumed handshake: the server's Finished comes first, and the client checks it */
  { "11-session-resumption", 2, HL_SIDE_CLIENT, "ClientHello", "Host name", NULL, FALSE,
    HL_CHECK_FINISHED, HL_SIDE_CLIENT, "Finished" },
};

static void
test_predicted_is_caught (gconstpointer data)
{
  const Case *k = data;
  HlSession *s = open_session (k->lesson);
  HlNextMessage next;
  g_autoptr (GPtrArray) predicted = NULL;
  g_autoptr (HlCheckEffect) caught = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  const HlCheckEffect *first;
  guint step;
  g_assert_true (step_to (s, k->from, k->message, 100 * k->connection + 1));
  if (k->flip_cipher) {
    gsize len;
    guint8 *copy;
    g_assert_true (hl_session_peek_next (s, &next));
    copy = g_bytes_unref_to_data (g_bytes_ref (next.wire), &len);
    copy[len - 1] ^= 0x01;
    predicted = hl_session_predict (s, 0, HL_TAMPER_CIPHERTEXT, NULL, len - 1, 1, NULL);
    {
      g_autoptr (GBytes) changed = g_bytes_new_take (copy, len);
      hl_session_tamper_next (s, changed);
    }
    step = hl_session_get_position (s) + 1;
  } else if (!k->field) {
    predicted = hl_session_predict (s, 0, HL_TAMPER_DROP, NULL, 0, 0, NULL);
    step = hl_session_get_position (s) + 1;
    g_assert_true (hl_session_drop_step (s, 0, &error));
  } else {
    const HlField *f = deliver_and_find (s, k->field, &step);
    const HlStep *st = hl_session_get_step (s, step - 1);
    GBytes *bytes = hl_step_get_message_bytes (st);
    g_autoptr (GBytes) changed = k->value ? hl_field_encode (f, bytes, k->value, &error)
                                          : hl_field_flip_bit (f, bytes, 0, &error);
    g_assert_no_error (error);
    g_assert_nonnull (f);
    predicted
        = hl_session_predict (s, step, HL_TAMPER_CONTENT, f->name, f->offset, f->length, changed);
    if (k->value)
      g_assert_true (hl_session_set_field (s, step, f, k->value, &error));
    else
      g_assert_true (hl_session_flip_field_bit (s, step, f, 0, &error));
    g_assert_no_error (error);
  }
  g_assert_nonnull (predicted);
  g_assert_cmpuint (predicted->len, >, 0);
  first = g_ptr_array_index (predicted, 0);
  g_test_message ("predicted: %s", first->text);
  g_assert_cmpint (first->check, ==, k->check);
  if (k->checked) {
    g_assert_cmpint (first->checker, ==, k->checker);
    g_assert_cmpstr (first->message, ==, k->checked);
  }
  g_assert_nonnull (first->text);
  hl_session_run_to_end (s);
  caught = hl_session_get_caught (s, step);
  g_assert_nonnull (caught);
  g_test_message ("caught: %s", caught->text);
  g_assert_cmpint (caught->check, ==, first->check);
  if (k->checked) {
    g_assert_cmpint (caught->checker, ==, k->checker);
    g_assert_cmpstr (caught->message, ==, k->checked);
  }
  text = hl_session_describe_change (s, step);
  g_assert_nonnull (strstr (text, k->field         ? k->field
                                  : k->flip_cipher ? "changed by hand"
                                                   : "dropped"));
  g_object_unref (s);
}

/* The failure banner says the error in words once: the outcome's line, then the change
 * and the check that caught it without those words again. */
static void
test_outcome_says_it_once (void)
{
  HlSession *s = open_session ("01-rsa-key-exchange");
  g_autoptr (GError) error = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *why = NULL;
  int bad_mac = 0;
  guint step;
  const HlField *f;
  const char *p;
  guint n = 0;
  g_assert_true (hl_error_parse ("BR_ERR_BAD_MAC", &bad_mac));
  why = hl_error_explain (bad_mac);
  g_assert_true (step_to (s, HL_SIDE_CLIENT, "ClientHello", 1));
  f = deliver_and_find (s, "random_bytes", &step);
  g_assert_nonnull (f);
  g_assert_true (hl_session_flip_field_bit (s, step, f, 0, &error));
  g_assert_no_error (error);
  hl_session_run_to_end (s);
  g_object_get (s, "outcome", &outcome, NULL);
  g_test_message ("%s", outcome);
  g_assert_nonnull (strstr (outcome, "Caught by the server: the record check"));
  for (p = strstr (outcome, why); p; p = strstr (p + 1, why))
    n++;
  g_assert_cmpuint (n, ==, 1);
  g_object_unref (s);
}

/* The predictions for lesson's ServerKeyExchange moved to another named curve. */
static GPtrArray *
predict_curve_change (const char *lesson, guint16 was, guint16 now)
{
  g_autoptr (HlScenario) sc = hl_test_load_bundled (lesson);
  g_autoptr (HlRun) run = hl_test_run (sc);
  const HlStep *ske = NULL;
  const HlField *curve;
  g_autoptr (GBytes) changed = NULL;
  guint8 *d;
  gsize len;
  for (guint i = 0; i < hl_run_get_n_steps (run) && !ske; i++)
    if (hl_run_get_step (run, i)->handshake_type == HL_HANDSHAKE_SERVER_KEY_EXCHANGE)
      ske = hl_run_get_step (run, i);
  g_assert_nonnull (ske);
  curve = hl_field_find_named (ske->fields, "Named curve");
  g_assert_nonnull (curve);
  d = g_bytes_unref_to_data (g_bytes_ref (ske->wire), &len);
  g_assert_cmpuint (d[curve->offset] << 8 | d[curve->offset + 1], ==, was);
  d[curve->offset] = now >> 8;
  d[curve->offset + 1] = now & 0xff;
  changed = g_bytes_new_take (d, len);
  {
    HlTamperTarget t
        = { 1,           HL_SIDE_SERVER, "ServerKeyExchange", 1,      HL_TAMPER_CONTENT,
            curve->name, curve->offset,  curve->length,       changed };
    GPtrArray *effects = hl_tamper_predict (run, &t);
    g_assert_cmpuint (effects->len, >, 0);
    return effects;
  }
}

/* A ServerKeyExchange moved to another curve the client did offer is not refused as it is
 * read: the first check it breaks is the signature over the parameters (lesson 12's client
 * offers every curve). */
static void
test_offered_curve (void)
{
  g_autoptr (GPtrArray) effects = predict_curve_change ("12-sni-and-alpn.scenario", 29, 23);
  g_assert_cmpint (((const HlCheckEffect *)g_ptr_array_index (effects, 0))->check, ==,
                   HL_CHECK_SIGNATURE);
}

/* A ServerKeyExchange on a curve the client never offered (lesson 02's offers x25519 alone):
 * the rule is RFC 8422 4, 5.1 and 5.4 (5.1.1 only lists the curves). */
static void
test_unoffered_curve_words (void)
{
  g_autoptr (GPtrArray) effects = predict_curve_change ("02-ecdhe-rsa-aes-gcm.scenario", 29, 23);
  const HlCheckEffect *first = g_ptr_array_index (effects, 0);
  g_test_message ("%s", first->text);
  g_assert_cmpint (first->check, ==, HL_CHECK_MESSAGE);
  g_assert_nonnull (strstr (first->text, "(RFC 8422 5.1, 5.4)"));
}

/* The words of a prediction follow the protocol read against the RFCs: a CBC record is
 * decrypted before its MAC is checked (RFC 5246 6.2.3.2), an AEAD tag is checked first
 * (6.2.3.3); a NewSessionTicket matters to the next resumption (RFC 8446 4.6.1). */
static void
test_prediction_words (void)
{
  static const struct {
    const char *lesson, *message;
    HlSide from;
    HlTamperMode mode;
    const char *field, *says;
    gsize offset, length; /* the field's bytes; 0 and 1 unless given */
  } words[] = {
    { "07-tls10-cbc", "Finished", HL_SIDE_CLIENT, HL_TAMPER_CIPHERTEXT, NULL,
      "decrypts the record, checks its padding, then recomputes" },
    { "05-rsa-aes-cbc", "Finished", HL_SIDE_CLIENT, HL_TAMPER_CIPHERTEXT, NULL,
      "the padding or MAC check fails" },
    { "02-ecdhe-rsa-aes-gcm", "Finished", HL_SIDE_CLIENT, HL_TAMPER_CIPHERTEXT, NULL,
      "before it releases a byte of it" },
    /* each field of a ticket, its own effect on the next resumption */
    { "33-tls13-psk-resumption", "NewSessionTicket", HL_SIDE_SERVER, HL_TAMPER_CONTENT,
      "Ticket lifetime", "changes only how long the client may keep the ticket" },
    { "33-tls13-psk-resumption", "NewSessionTicket", HL_SIDE_SERVER, HL_TAMPER_CONTENT,
      "Ticket nonce", "A later resumption with it fails the binder check" },
    { "33-tls13-psk-resumption", "NewSessionTicket", HL_SIDE_SERVER, HL_TAMPER_CONTENT,
      "Ticket age add", "A later resumption still works" },
    { "33-tls13-psk-resumption", "NewSessionTicket", HL_SIDE_SERVER, HL_TAMPER_CONTENT, "Ticket",
      "gets a full handshake" },
    /* the handshake header's Length is named as the message's */
    { "02-ecdhe-rsa-aes-gcm", "ClientHello", HL_SIDE_CLIENT, HL_TAMPER_CONTENT, "Length",
      "The ClientHello's Length no longer matches the bytes that follow", 1, 3 },
    /* an ECDH point off the curve: BearSSL's server goes on, as with RSA (RFC 8422 5.11) */
    { "04-ecdhe-ecdsa-p384-sha384", "ClientKeyExchange", HL_SIDE_CLIENT, HL_TAMPER_CONTENT,
      "Public key", "goes on with a random premaster secret, so nothing stops here" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++) {
    g_autofree char *file = g_strconcat (words[i].lesson, ".scenario", NULL);
    g_autoptr (HlScenario) sc = hl_test_load_bundled (file);
    g_autoptr (HlRun) run = hl_test_run (sc);
    HlTamperTarget t = { 1,
                         words[i].from,
                         words[i].message,
                         1,
                         words[i].mode,
                         words[i].field,
                         words[i].offset,
                         words[i].length ? words[i].length : 1,
                         NULL };
    g_autoptr (GPtrArray) effects = hl_tamper_predict (run, &t);
    GString *all = g_string_new (NULL);
    for (guint k = 0; k < effects->len; k++)
      g_string_append (all, ((const HlCheckEffect *)g_ptr_array_index (effects, k))->text);
    g_test_message ("%s %s: %s", words[i].lesson, words[i].message, all->str);
    g_assert_nonnull (strstr (all->str, words[i].says));
    g_string_free (all, TRUE);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tamper-field/encode", test_encode);
  g_test_add_func ("/tamper-field/prediction-words", test_prediction_words);
  g_test_add_func ("/tamper-field/offered-curve", test_offered_curve);
  g_test_add_func ("/tamper-field/unoffered-curve-words", test_unoffered_curve_words);
  g_test_add_func ("/tamper-field/outcome-says-it-once", test_outcome_says_it_once);
  g_test_add_func ("/tamper-field/session-set-clear-back-redo", test_session_set_clear_back_redo);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *path
        = g_strdup_printf ("/tamper-field/predicted-is-caught/%02u-%s-%s-%s", i, cases[i].lesson,
                           cases[i].message, cases[i].field ? cases[i].field : "whole");
    for (char *p = path; *p; p++)
      if (*p == ' ')
        *p = '-';
    g_test_add_data_func (path, &cases[i], test_predicted_is_caught);
  }
  return g_test_run ();
}
