/* hl-tamper-effect.c: what a change to a message breaks, derived from the run
 * (hl-tamper-effect.h). Every sentence names the side that checks, the message it
 * checks and the RFC section that makes the check.
 */
#include "hl-tamper-effect.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <bearssl.h>
#include <string.h>

const char *
hl_check_name (HlCheck check)
{
  switch (check) {
  case HL_CHECK_MESSAGE:
    return _ ("the message's own checks");
  case HL_CHECK_RECORD:
    return _ ("the record check (MAC or AEAD tag)");
  case HL_CHECK_CERTIFICATE:
    return _ ("the certificate check");
  case HL_CHECK_SIGNATURE:
    return _ ("the signature check");
  case HL_CHECK_BINDER:
    return _ ("the PSK binder check");
  case HL_CHECK_FINISHED:
    return _ ("the Finished check");
  case HL_CHECK_STALL:
    return _ ("no check: the run stalled");
  default:
    return _ ("no check");
  }
}

void
hl_check_effect_free (HlCheckEffect *effect)
{
  if (!effect)
    return;
  g_free (effect->message);
  g_free (effect->text);
  g_free (effect->why);
  g_free (effect);
}

/* An effect found on step `pos` of the connection; `rank` orders the checks made on one
 * message: its record is opened before its content is read. */
typedef struct {
  HlCheckEffect *effect;
  guint pos;
  int rank;
} Entry;

typedef struct {
  HlRun *ref;
  const HlTamperTarget *t;
  GPtrArray *steps; /* const HlStep*: the connection's steps in the reference */
  guint k;          /* the target's position in steps */
  const HlStep *m;
  HlSide S, R;
  guint version;
  const HlSuite *suite;
  gboolean tls13, ems;
  const char *rfc; /* the version's RFC: 2246, 4346, 5246 or 8446 */
  GArray *entries;
} Ctx;

static int
rank_of (HlCheck check)
{
  switch (check) {
  case HL_CHECK_RECORD:
    return 0;
  case HL_CHECK_MESSAGE:
    return 1;
  case HL_CHECK_CERTIFICATE:
  case HL_CHECK_BINDER:
    return 2;
  case HL_CHECK_SIGNATURE:
    return 3;
  default:
    return 4;
  }
}

static void G_GNUC_PRINTF (4, 5) add (Ctx *c, HlCheck check, guint pos, const char *format, ...)
{
  Entry e;
  va_list args;
  const HlStep *st = pos < c->steps->len ? g_ptr_array_index (c->steps, pos) : NULL;
  e.effect = g_new0 (HlCheckEffect, 1);
  e.effect->check = check;
  if (st && check != HL_CHECK_NONE) {
    e.effect->message = g_strdup (st->message);
    e.effect->sender = st->from;
    e.effect->checker = hl_side_other (st->from);
    e.effect->step = st->index;
  }
  va_start (args, format);
  e.effect->text = g_strdup_vprintf (format, args);
  va_end (args);
  e.pos = pos;
  e.rank = rank_of (check);
  g_array_append_val (c->entries, e);
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;
  if (x->pos != y->pos)
    return x->pos < y->pos ? -1 : 1;
  return x->rank - y->rank;
}

/* "AEAD tag (AES-GCM)" or "MAC (HMAC-SHA256)": what protects a record under the suite. */
static char *
record_check_words (const HlSuite *s)
{
  const char *hash = "SHA-1";
  if (!s)
    return g_strdup (_ ("MAC or AEAD tag"));
  switch (s->cipher) {
  case HL_CIPHER_AES_GCM:
    return g_strdup_printf (_ ("AEAD tag (%s)"), "AES-GCM");
  case HL_CIPHER_AES_CCM:
    return g_strdup_printf (_ ("AEAD tag (%s)"), "AES-CCM");
  case HL_CIPHER_AES_CCM8:
    return g_strdup_printf (_ ("AEAD tag (%s)"), "AES-CCM_8");
  case HL_CIPHER_CHACHA20_POLY1305:
    return g_strdup_printf (_ ("AEAD tag (%s)"), "ChaCha20-Poly1305");
  default:
    break;
  }
  if (s->mac == HL_HASH_SHA256)
    hash = "SHA-256";
  else if (s->mac == HL_HASH_SHA384)
    hash = "SHA-384";
  else if (s->mac == HL_HASH_MD5)
    hash = "MD5";
  return g_strdup_printf (_ ("MAC (HMAC-%s)"), hash);
}

/* Where the record check is specified: the AEAD or CBC section of RFC 2246/4346/5246, or
 * RFC 8446 5.2. */
static const char *
record_section (const Ctx *c)
{
  if (c->tls13)
    return "5.2";
  if (c->suite && c->suite->mac == HL_HASH_NONE)
    return "6.2.3.3";
  return "6.2.3.2";
}

static const char *
alert_section (const Ctx *c)
{
  return c->tls13 ? "6.2" : "7.2.2";
}

static const char *
finished_section (const Ctx *c)
{
  return c->tls13 ? "4.4.4" : "7.4.9";
}

static gboolean
is_random_field (const char *name)
{
  return name
         && (strcmp (name, "Random") == 0 || strcmp (name, "gmt_unix_time") == 0
             || strcmp (name, "random_bytes") == 0 || strcmp (name, "Downgrade sentinel") == 0);
}

static gboolean
is_length_field (const char *name)
{
  return name && (strcmp (name, "Length") == 0 || g_str_has_suffix (name, " length"));
}

/* Is the message part of the handshake transcript that Finished and CertificateVerify
 * hash? Every handshake message but HelloRequest, up to the client's Finished; TLS 1.3's
 * post-handshake messages (NewSessionTicket, KeyUpdate) come after it. */
static gboolean
in_transcript (const Ctx *c)
{
  if (c->m->content_type != HL_CONTENT_HANDSHAKE || c->m->handshake_type == 0)
    return FALSE;
  for (guint j = 0; j < c->k; j++) {
    const HlStep *st = g_ptr_array_index (c->steps, j);
    if (c->tls13 && st->handshake_type == HL_HANDSHAKE_FINISHED && st->from == HL_SIDE_CLIENT)
      return FALSE;
  }
  return TRUE;
}

/* The ClientHello the changed message answers: the last one before it; NULL if none. */
static const HlStep *
client_hello_before (const Ctx *c)
{
  for (guint j = c->k; j-- > 0;) {
    const HlStep *ch = g_ptr_array_index (c->steps, j);
    if (ch->handshake_type == HL_HANDSHAKE_CLIENT_HELLO)
      return ch;
  }
  return NULL;
}

/* The client's offer, for a ServerHello that picks a suite. */
static gboolean
suite_offered (const Ctx *c, guint16 id, GString *offered)
{
  const HlStep *ch = client_hello_before (c);
  const HlField *list;
  gboolean found = FALSE;
  gsize len;
  const guint8 *d;
  if (!ch)
    return TRUE; /* no ClientHello seen: nothing to compare with */
  list = hl_field_find_named (ch->fields, "Cipher suites");
  d = g_bytes_get_data (ch->wire, &len);
  for (guint i = 0; list && i < list->children->len; i++) {
    const HlField *f = g_ptr_array_index (list->children, i);
    guint16 v;
    g_autofree char *name = NULL;
    if (f->length != 2 || f->offset + 2 > len)
      continue;
    v = (guint16)(d[f->offset] << 8 | d[f->offset + 1]);
    found |= v == id;
    name = hl_describe_suite_id (v);
    g_string_append_printf (offered, "%s%s", offered->len ? ", " : "", name);
  }
  return found;
}

/* The client's supported_groups, for a ServerKeyExchange that names a curve. */
static gboolean
curve_offered (const Ctx *c, guint16 id, GString *offered)
{
  const HlStep *ch = client_hello_before (c);
  const HlField *e
      = ch ? hl_field_find (ch->fields, "client_hello.extensions.supported_groups") : NULL;
  gboolean found = FALSE;
  if (!e)
    return TRUE; /* no ClientHello, or no list: nothing to compare with */
  for (guint i = 0; i < e->children->len; i++) {
    const HlField *f = g_ptr_array_index (e->children, i);
    const char *name;
    if (!hl_field_has_key (f, "group") || f->number < 0)
      continue;
    found |= f->number == id;
    name = hl_curve_name ((guint)f->number);
    g_string_append_printf (offered, "%s%s", offered->len ? ", " : "", name ? name : "unknown");
  }
  return found;
}

static gsize
message_size (const HlStep *st)
{
  GBytes *b = hl_step_get_message_bytes (st);
  return b ? g_bytes_get_size (b) : 0;
}

/* A changed length. BearSSL checks each length against the one enclosing it as it parses
 * (a field running past its structure, or bytes left over, fails at once, whichever way
 * the length moved). OpenSSL reads a handshake message whole before it parses it: a
 * message length made longer takes the bytes that follow as the rest of the message, so
 * where it stops depends on what the sender sends next. */
static void
predict_length (Ctx *c)
{
  const char *R = hl_side_word (c->R);
  const char *field = c->t->field;
  gsize size, len;
  const guint8 *d;
  gssize missing;
  g_autofree char *claim = NULL;
  /* The handshake header's own 24-bit length, after the type byte. */
  gboolean header = strcmp (field, "Length") == 0 && c->t->offset == 1 && c->t->length == 3;
  g_autofree char *what
      = header ? g_strdup_printf (_ ("The %s's Length"), c->m->message) : g_strdup (field);
  if (!c->m->after[c->R].openssl) {
    add (c, HL_CHECK_MESSAGE, c->k,
         _ ("%s no longer matches the bytes that follow: a field runs past the end of what "
            "holds it, or bytes are left over. BearSSL checks every length against the one "
            "around it as it parses, so the %s rejects the %s at once, whether the length grew "
            "or shrank (the RFCs' alert for a message that cannot be decoded is decode_error, "
            "%s %s)."),
         what, R, c->m->message, c->rfc, alert_section (c));
    return;
  }
  d = c->t->changed ? g_bytes_get_data (c->t->changed, &size) : NULL;
  missing
      = d && header && size >= 4 ? (gssize)(d[1] << 16 | d[2] << 8 | d[3]) - (gssize)(size - 4) : 0;
  if (missing <= 0) {
    add (c, HL_CHECK_MESSAGE, c->k,
         _ ("%s no longer matches the bytes that follow: the %s cannot parse the %s as it "
            "was sent and rejects it, with decode_error if the fields no longer fit (%s %s), or "
            "with another alert if what is left still parses and breaks another rule."),
         what, R, c->m->message, c->rfc, alert_section (c));
    return;
  }
  /* Longer: the sender's next messages, if it sends them without waiting, are read in. */
  claim = g_strdup_printf (P_ ("The %s now says it is %zd byte longer than it is",
                               "The %s now says it is %zd bytes longer than it is", missing),
                           c->m->message, missing);
  for (guint j = c->k + 1; j < c->steps->len; j++) {
    const HlStep *st = g_ptr_array_index (c->steps, j);
    if (st->from != c->S)
      break;
    if (st->content_type != c->m->content_type || st->encrypted != c->m->encrypted) {
      add (c, HL_CHECK_MESSAGE, j,
           _ ("%s: OpenSSL waits for the rest before it parses it, and the %s that comes next "
              "travels in a record of another type, out of place in the middle of a handshake "
              "message (unexpected_message, %s %s)."),
           claim, st->message, c->rfc, alert_section (c));
      return;
    }
    len = message_size (st);
    if ((gsize)missing <= len) {
      add (c, HL_CHECK_MESSAGE, j,
           _ ("%s: OpenSSL waits for the rest before it parses it, takes it from the start of "
              "the %s that follows, and cannot parse what it gets as a %s (decode_error, %s "
              "%s)."),
           claim, st->message, c->m->message, c->rfc, alert_section (c));
      return;
    }
    missing -= (gssize)len;
  }
  add (c, HL_CHECK_STALL, c->k,
       _ ("%s: OpenSSL waits for the rest before it parses it, reading in what the %s sends "
          "next, and the %s sends nothing more until it is answered, so both sides wait."),
       claim, hl_side_word (c->S), hl_side_word (c->S));
}

/* What a changed field of a TLS 1.3 NewSessionTicket does to the next resumption. */
static const char *
ticket_later (const char *field)
{
  if (g_strcmp0 (field, "Ticket nonce") == 0)
    return _ ("A later resumption with it fails the binder check: the client derives its PSK "
              "from the nonce, and the server from the one it sent (RFC 8446 4.6.1, 4.2.11.2).");
  if (g_strcmp0 (field, "Ticket") == 0)
    return _ ("A later resumption offering it gets a full handshake: the server does not "
              "recognise the ticket and ignores it (RFC 8446 4.2.11).");
  if (g_strcmp0 (field, "Ticket lifetime") == 0)
    return _ ("It changes only how long the client may keep the ticket; zero would tell it to "
              "discard the ticket at once (RFC 8446 4.6.1).");
  if (g_strcmp0 (field, "Ticket age add") == 0)
    return _ ("A later resumption still works: only the obfuscated ticket age the client sends "
              "changes, which the server uses to judge whether 0-RTT data is fresh, and may "
              "then refuse that data (RFC 8446 4.2.10, 4.2.11.1, 8.3).");
  return _ ("What it changes shows when the client resumes with the ticket (RFC 8446 4.6.1).");
}

/* Changes the receiver refuses in the message itself. */
static void
predict_message (Ctx *c)
{
  const char *field = c->t->field;
  const char *R = hl_side_word (c->R);
  if (!field || c->m->content_type != HL_CONTENT_HANDSHAKE)
    return;
  if (is_length_field (field))
    predict_length (c);
  else if (strcmp (field, "Handshake type") == 0)
    add (c, HL_CHECK_MESSAGE, c->k,
         _ ("The %s expects a %s here: a message of another type is out of order for its state "
            "machine, and it stops (unexpected_message, %s %s)."),
         R, c->m->message, c->rfc, alert_section (c));
  else if (strcmp (field, "Cipher suite") == 0 && c->m->handshake_type == HL_HANDSHAKE_SERVER_HELLO
           && c->t->changed) {
    gsize len;
    const guint8 *d = g_bytes_get_data (c->t->changed, &len);
    GString *offered = g_string_new (NULL);
    if (c->t->offset + 2 <= len) {
      guint16 id = (guint16)(d[c->t->offset] << 8 | d[c->t->offset + 1]);
      if (!suite_offered (c, id, offered))
        add (c, HL_CHECK_MESSAGE, c->k,
             _ ("The client offered only %s: a ServerHello that picks another suite is refused "
                "at once (%s %s)."),
             offered->str, c->rfc, c->tls13 ? "4.1.3" : "7.4.1.3");
    }
    g_string_free (offered, TRUE);
  } else if (strcmp (field, "Named curve") == 0
             && c->m->handshake_type == HL_HANDSHAKE_SERVER_KEY_EXCHANGE && c->t->changed) {
    gsize len;
    const guint8 *d = g_bytes_get_data (c->t->changed, &len);
    GString *offered = g_string_new (NULL);
    /* The server must use the client's curves (RFC 8422 4, 5.1); a client may fail the
     * handshake when they are exceeded (5.4), and checks the curve as it reads it, before
     * the signature over the parameters. */
    if (c->t->offset + 2 <= len
        && !curve_offered (c, (guint16)(d[c->t->offset] << 8 | d[c->t->offset + 1]), offered))
      add (c, HL_CHECK_MESSAGE, c->k,
           _ ("The client offered only %s (supported_groups): a ServerKeyExchange on another "
              "curve is refused as the client reads it, before the signature is checked (RFC "
              "8422 5.1, 5.4)."),
           offered->str);
    g_string_free (offered, TRUE);
  }
}

static void
predict_certificate (Ctx *c)
{
  if (c->m->handshake_type != HL_HANDSHAKE_CERTIFICATE || !c->t->field)
    return;
  for (guint i = 0; i < c->m->fields->len; i++) {
    const HlField *f = g_ptr_array_index (c->m->fields, i);
    if (g_str_has_prefix (f->name, "Certificate ") && f->children->len && c->t->offset >= f->offset
        && c->t->offset < f->offset + f->length) {
      add (c, HL_CHECK_CERTIFICATE, c->k,
           _ ("The %s checks the chain: each certificate carries its issuer's signature over "
              "its contents (RFC 5280 4.1.1.3, 6.1.3), which no longer matches the changed %s; "
              "the %s rejects the chain."),
           hl_side_word (c->R), f->name, hl_side_word (c->R));
      return;
    }
  }
}

/* Signatures, keys and Finished, over the messages that follow in the connection. */
static void
predict_later (Ctx *c)
{
  const char *field = c->t->field;
  gboolean header
      = field && (strcmp (field, "Handshake type") == 0 || strcmp (field, "Length") == 0);
  gboolean hashed = in_transcript (c);
  gboolean randoms = is_random_field (field)
                     && (c->m->handshake_type == HL_HANDSHAKE_CLIENT_HELLO
                         || c->m->handshake_type == HL_HANDSHAKE_SERVER_HELLO);
  gboolean keys = FALSE, finished_seen = FALSE;
  g_autofree char *why_keys = NULL;
  g_autofree char *tag = record_check_words (c->suite);
  if (c->tls13) {
    keys = c->m->handshake_type == HL_HANDSHAKE_CLIENT_HELLO
           || c->m->handshake_type == HL_HANDSHAKE_SERVER_HELLO;
    why_keys = g_strdup (_ ("ClientHello and ServerHello feed the handshake keys through the "
                            "transcript hash (RFC 8446 7.1)"));
  } else if (randoms) {
    keys = TRUE;
    why_keys = g_strdup_printf (_ ("both randoms feed the key block (%s 6.3)"), c->rfc);
  } else if (c->m->handshake_type == HL_HANDSHAKE_CLIENT_KEY_EXCHANGE && !header) {
    keys = TRUE;
    why_keys = c->suite && c->suite->kex == HL_KEX_RSA
                   ? g_strdup_printf (_ ("the premaster secret is what this message carries, "
                                         "encrypted to the server's key (%s 7.4.7.1; a server "
                                         "that cannot decrypt it goes on with a random one, so "
                                         "nothing stops here)"),
                                      c->rfc)
               : c->m->after[c->R].openssl
                   ? g_strdup (_ ("the premaster secret is computed from the public key this "
                                  "message carries (RFC 8422 5.10; on a NIST curve a changed "
                                  "point is almost surely not on the curve, which the receiver "
                                  "must check, 5.11)"))
                   /* BearSSL's server replaces a failed ECDH result with random bytes
                    * (ecdh_common in ssl_hs_server.c), as it does for RSA. */
                   : g_strdup (_ ("the premaster secret is computed from the public key this "
                                  "message carries (RFC 8422 5.10; on a NIST curve a changed "
                                  "point is almost surely not on the curve, which the receiver "
                                  "must check, 5.11, and BearSSL's server then goes on with a "
                                  "random premaster secret, so nothing stops here)"));
  } else if (c->ems && hashed) {
    for (guint j = c->k; j < c->steps->len; j++) {
      const HlStep *st = g_ptr_array_index (c->steps, j);
      if (st->handshake_type == HL_HANDSHAKE_CLIENT_KEY_EXCHANGE) {
        keys = TRUE;
        why_keys = g_strdup (_ ("with extended master secret, the master secret is derived from a "
                                "hash of every handshake message up to and including "
                                "ClientKeyExchange (RFC 7627 3, 4)"));
        break;
      }
    }
  }
  for (guint j = c->k; j < c->steps->len; j++) {
    const HlStep *st = g_ptr_array_index (c->steps, j);
    const char *checker = hl_side_word (hl_side_other (st->from));
    const char *sender = hl_side_word (st->from);
    if (keys && j > c->k && st->encrypted && c->m->content_type == HL_CONTENT_HANDSHAKE) {
      add (c, HL_CHECK_RECORD, j,
           _ ("As %s, the two sides derive different keys: the %s cannot open the %s's first "
              "record protected by them, its %s, whose %s check fails (%s %s)."),
           why_keys, checker, sender, st->message, tag, c->rfc, record_section (c));
      keys = FALSE;
    }
    if (st->handshake_type == HL_HANDSHAKE_SERVER_KEY_EXCHANGE && !c->tls13) {
      if (j == c->k && !header)
        add (c, HL_CHECK_SIGNATURE, j,
             _ ("The %s checks the %s's signature over both randoms and these parameters (%s "
                "7.4.3; RFC 8422 5.4): the changed %s breaks it."),
             checker, sender, c->rfc, field ? field : _ ("bytes"));
      else if (j > c->k && randoms)
        add (c, HL_CHECK_SIGNATURE, j,
             _ ("The %s's ServerKeyExchange signature covers both randoms (%s 7.4.3; RFC 8422 "
                "5.4): the %s checks it over randoms the two sides no longer share, and it "
                "fails."),
             sender, c->rfc, checker);
    }
    if (st->handshake_type == HL_HANDSHAKE_CERTIFICATE_VERIFY) {
      g_autofree char *what
          = c->tls13 ? g_strdup (_ ("the transcript hash of the handshake before it (RFC 8446 "
                                    "4.4.3)"))
                     : g_strdup_printf (_ ("every handshake message before it (%s 7.4.8)"), c->rfc);
      if (j == c->k && !header)
        add (c, HL_CHECK_SIGNATURE, j,
             _ ("The %s checks the %s's signature over %s: the changed %s no longer verifies."),
             checker, sender, what, field ? field : _ ("bytes"));
      else if (j > c->k && hashed)
        add (c, HL_CHECK_SIGNATURE, j,
             _ ("The %s's CertificateVerify signs %s, the changed %s included: the two sides "
                "saw different bytes, so the %s's check of that signature fails."),
             sender, what, c->m->message, checker);
    }
    if (st->handshake_type == HL_HANDSHAKE_FINISHED && !finished_seen) {
      finished_seen = TRUE;
      if (j == c->k)
        add (c, HL_CHECK_FINISHED, j,
             _ ("The %s computes the verify_data it expects from the handshake as it saw it "
                "and compares (%s %s): the changed value does not match."),
             checker, c->rfc, finished_section (c));
      else if (hashed)
        add (c, HL_CHECK_FINISHED, j,
             _ ("Both sides hash every handshake message into Finished (%s %s), the %s "
                "included: they hashed different bytes, so the %s's check of the %s's "
                "Finished fails."),
             c->rfc, finished_section (c), c->m->message, checker, sender);
    }
  }
  if (c->tls13 && c->m->handshake_type == HL_HANDSHAKE_CLIENT_HELLO
      && hl_field_find_named (c->m->fields, "pre_shared_key"))
    add (c, HL_CHECK_BINDER, c->k,
         _ ("The ClientHello's PSK binder is an HMAC over the ClientHello up to the binders "
            "(RFC 8446 4.2.11.2): if the server still selects the PSK it must check the binder, "
            "and it fails (decrypt_error); a changed identity can instead make the server "
            "ignore the PSK (4.2.11), and then the changed transcript breaks the keys."));
}

/* A message that never arrives. */
static void
predict_drop (Ctx *c)
{
  const char *R = hl_side_word (c->R), *S = hl_side_word (c->S);
  const HlStep *next = c->k + 1 < c->steps->len ? g_ptr_array_index (c->steps, c->k + 1) : NULL;
  if (c->m->content_type == HL_CONTENT_CHANGE_CIPHER_SPEC && c->tls13) {
    add (c, HL_CHECK_NONE, c->k,
         _ ("In TLS 1.3, ChangeCipherSpec is sent only so that middleboxes let the connection "
            "through, and the %s ignores it (RFC 8446 5, D.4): nothing misses it."),
         R);
    return;
  }
  if (!next) {
    add (c, HL_CHECK_NONE, c->k,
         c->m->close_notify
             ? _ ("Nothing follows it in this connection: the %s never learns that the %s "
                  "closed, and cannot tell a clean end from a cut connection (close_notify, "
                  "%s %s).")
             : _ ("Nothing follows it in this connection: no check can miss it (the %s just "
                  "never hears it from the %s; %s %s)."),
         R, S, c->rfc, c->tls13 ? "6.1" : "7.2.1");
    return;
  }
  if (next->from == c->R) {
    add (c, HL_CHECK_STALL, c->k + 1,
         _ ("In the unchanged run the %s answers it with its %s; without it the %s waits, "
            "and the %s waits for that answer: nothing more is sent, and the handshake stalls "
            "without an alert."),
         R, next->message, R, S);
    /* the stall is the receiver's: who waits is the one that did not get the message */
    g_array_index (c->entries, Entry, c->entries->len - 1).effect->checker = c->R;
    return;
  }
  if (c->m->encrypted && next->encrypted && next->key == c->m->key
      && next->key_generation == c->m->key_generation) {
    g_autofree char *tag = record_check_words (c->suite);
    add (c, HL_CHECK_RECORD, c->k + 1,
         _ ("The %s counts the %s's records: the next one, its %s, was sealed as the record "
            "after the one dropped, and the %s opens it with the sequence number of the one "
            "it missed (%s %s), so its %s check fails."),
         R, S, next->message, R, c->rfc,
         c->tls13                                    ? "5.3"
         : c->suite && c->suite->mac == HL_HASH_NONE ? "6.2.3.3"
                                                     : "6.2.3.1",
         tag);
    return;
  }
  add (c, HL_CHECK_MESSAGE, c->k + 1,
       _ ("The %s goes on with its %s, out of order for the %s, which still expects the %s: "
          "it stops (unexpected_message, %s %s)."),
       S, next->message, R, c->m->message, c->rfc, alert_section (c));
}

GPtrArray *
hl_tamper_predict (HlRun *reference, const HlTamperTarget *t)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)hl_check_effect_free);
  Ctx c = { reference,
            t,
            g_ptr_array_new (),
            0,
            NULL,
            t->from,
            hl_side_other (t->from),
            0,
            NULL,
            FALSE,
            FALSE,
            NULL,
            g_array_new (FALSE, FALSE, sizeof (Entry)) };
  guint nth = 0;
  const HlConnection *conn = t->connection && t->connection <= hl_run_get_n_connections (reference)
                                 ? hl_run_get_connection (reference, t->connection - 1)
                                 : NULL;
  for (guint i = 0; i < hl_run_get_n_steps (reference); i++) {
    const HlStep *st = hl_run_get_step (reference, i);
    if (st->connection != t->connection)
      continue;
    if (!c.m && st->from == t->from && strcmp (st->message, t->message) == 0 && ++nth == t->nth) {
      c.m = st;
      c.k = c.steps->len;
    }
    g_ptr_array_add (c.steps, (gpointer)st);
    for (int s = 0; s < 2; s++) {
      c.version = MAX (c.version, st->after[s].version);
      if (st->after[s].suite)
        c.suite = hl_suite_by_id (st->after[s].suite);
    }
  }
  if (conn && conn->version)
    c.version = conn->version;
  if (conn && conn->suite)
    c.suite = hl_suite_by_id (conn->suite);
  c.tls13 = c.version == 0x0304;
  c.ems = conn && conn->extended_master_secret;
  c.rfc = hl_version_rfc (c.version);
  if (!c.m) {
    add (&c, HL_CHECK_NONE, 0,
         _ ("The unchanged run never sends this message, so the lab cannot say in advance what "
            "a change to it breaks."));
  } else if (t->mode == HL_TAMPER_DROP) {
    predict_drop (&c);
  } else if (c.m->encrypted && t->mode == HL_TAMPER_CIPHERTEXT) {
    g_autofree char *tag = record_check_words (c.suite);
    /* A CBC suite MACs then encrypts (RFC 5246 6.2.3.2): the receiver decrypts first and
     * checks the padding and the MAC after; an AEAD tag is checked before any plaintext is
     * released (6.2.3.3). */
    gboolean cbc = c.suite && c.suite->mac != HL_HASH_NONE;
    add (&c, HL_CHECK_RECORD, c.k,
         /* TLS 1.0 names a bad CBC padding decryption_failed instead (RFC 2246 7.2.2) */
         cbc && c.version == 0x0301
             ? _ ("The %s decrypts the record, checks its padding, then recomputes its %s over "
                  "the content (%s %s): changed ciphertext garbles the plaintext, the padding or "
                  "MAC check fails, and the %s stops.")
         : cbc ? _ ("The %s decrypts the record, checks its padding, then recomputes its %s over "
                    "the content (%s %s): changed ciphertext garbles the plaintext, the padding "
                    "or MAC check fails, and the %s stops (bad_record_mac).")
               : _ ("The %s checks the record's %s before it releases a byte of it (%s %s): "
                    "changed ciphertext fails it, and the %s stops (bad_record_mac)."),
         hl_side_word (c.R), tag, c.rfc, record_section (&c), hl_side_word (c.R));
  } else if (c.m->content_type == HL_CONTENT_CHANGE_CIPHER_SPEC) {
    add (&c, HL_CHECK_MESSAGE, c.k,
         c.tls13 ? _ ("ChangeCipherSpec is the single byte 1: the %s ends the handshake on any "
                      "other value (unexpected_message, RFC 8446 5).")
                 : _ ("ChangeCipherSpec is the single byte 1 (%s 7.1): the %s refuses any other "
                      "value."),
         c.tls13 ? hl_side_word (c.R) : c.rfc, hl_side_word (c.R));
  } else if (c.m->content_type == HL_CONTENT_ALERT) {
    add (&c, HL_CHECK_NONE, c.k,
         _ ("Alerts are not handshake messages: no Finished and no signature covers them, so "
            "the %s acts on the changed alert as if the %s had sent it."),
         hl_side_word (c.R), hl_side_word (c.S));
  } else if (c.m->content_type == HL_CONTENT_APPLICATION_DATA) {
    add (&c, HL_CHECK_NONE, c.k,
         _ ("TLS checks only that a record comes from someone holding the keys: sealed again "
            "with the %s's own keys, the changed data passes the %s's record check and is "
            "taken as the %s's. An attacker on the wire, without the keys, could only change "
            "the ciphertext, and that fails the check."),
         hl_side_word (c.S), hl_side_word (c.R), hl_side_word (c.S));
  } else {
    predict_message (&c);
    predict_certificate (&c);
    predict_later (&c);
    if (c.entries->len == 0)
      add (&c, HL_CHECK_NONE, c.k,
           in_transcript (&c)
               ? _ ("No check in this connection covers the change: the %s takes the new value "
                    "as the %s sent it.")
           : c.m->handshake_type == HL_HANDSHAKE_NEW_SESSION_TICKET
               ? _ ("It comes after both Finished, so no Finished and no signature covers it "
                    "in this connection: the %s takes the new value as the %s sent it. %s")
               : _ ("It comes after both Finished, so no Finished and no signature covers it: "
                    "the %s takes the new value as the %s sent it."),
           hl_side_word (c.R), hl_side_word (c.S), ticket_later (c.t->field));
  }
  g_array_sort (c.entries, compare_entries);
  for (guint i = 0; i < c.entries->len; i++)
    g_ptr_array_add (out, g_array_index (c.entries, Entry, i).effect);
  g_array_unref (c.entries);
  g_ptr_array_unref (c.steps);
  return out;
}

char *
hl_tamper_describe_sealing (HlRun *reference, const HlTamperTarget *target)
{
  if (target->mode != HL_TAMPER_CONTENT)
    return NULL;
  for (guint i = 0; i < hl_run_get_n_steps (reference); i++) {
    const HlStep *st = hl_run_get_step (reference, i);
    if (st->connection == target->connection && st->from == target->from
        && strcmp (st->message, target->message) == 0 && st->encrypted)
      return g_strdup_printf (
          _ ("The %s is encrypted: the lab seals the changed content again with the %s's own "
             "keys and sequence number, which an attacker on the wire does not have, so the "
             "%s's record check passes and the content is read."),
          target->message, hl_side_word (target->from),
          hl_side_word (hl_side_other (target->from)));
  }
  return NULL;
}

/* ---------- After delivery ---------- */

static gboolean
is_received_alert (int err)
{
  return err >= BR_ERR_RECV_FATAL_ALERT && err < BR_ERR_SEND_FATAL_ALERT;
}

static HlCheck
classify (int err, const HlStep *st)
{
  int alert = err >= BR_ERR_SEND_FATAL_ALERT ? err - BR_ERR_SEND_FATAL_ALERT : -1;
  if (err == BR_ERR_BAD_MAC || alert == 20)
    return HL_CHECK_RECORD;
  if (err == BR_ERR_BAD_FINISHED)
    return HL_CHECK_FINISHED;
  if (err == BR_ERR_BAD_SIGNATURE)
    return HL_CHECK_SIGNATURE;
  if (err > BR_ERR_X509_OK && err < 64)
    return HL_CHECK_CERTIFICATE;
  if (alert == 51) { /* decrypt_error: what failed depends on what was being read */
    if (st->handshake_type == HL_HANDSHAKE_CERTIFICATE) /* OpenSSL: a bad issuer signature */
      return HL_CHECK_CERTIFICATE;
    if (st->handshake_type == HL_HANDSHAKE_FINISHED)
      return HL_CHECK_FINISHED;
    if (st->handshake_type == HL_HANDSHAKE_CLIENT_HELLO)
      return HL_CHECK_BINDER;
    return HL_CHECK_SIGNATURE;
  }
  if (alert == 42 || alert == 43 || alert == 44 || alert == 45 || alert == 46 || alert == 48)
    return HL_CHECK_CERTIFICATE;
  return HL_CHECK_MESSAGE;
}

HlCheckEffect *
hl_tamper_caught (HlRun *run, guint index)
{
  const HlStep *target = index < hl_run_get_n_steps (run) ? hl_run_get_step (run, index) : NULL;
  int before[2] = { 0, 0 };
  HlCheckEffect *e;
  if (!target)
    return NULL;
  if (index > 0)
    for (int s = 0; s < 2; s++)
      before[s] = hl_run_get_step (run, index - 1)->after[s].error;
  for (guint i = index; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    int side = -1;
    if (st->connection != target->connection)
      break;
    for (int s = 0; s < 2; s++)
      if (!before[s] && st->after[s].error
          && (side < 0 || is_received_alert (st->after[side].error)))
        side = s;
    if (side < 0)
      continue;
    if (is_received_alert (st->after[side].error)) /* told by the other: it caught it */
      side = hl_side_other (side);
    e = g_new0 (HlCheckEffect, 1);
    e->check = classify (
        st->after[side].error ? st->after[side].error : st->after[hl_side_other (side)].error, st);
    e->checker = side;
    e->message = g_strdup (st->message);
    e->sender = st->from;
    e->step = st->index;
    {
      int err = st->after[side].error;
      g_autofree char *ossl = st->after[side].openssl
                                  ? hl_describe_openssl_error (err, st->after[side].reason)
                                  : NULL;
      g_autofree char *words
          = ossl ? g_strdup_printf ("OpenSSL %s.", ossl) : hl_error_explain (err);
      e->text
          = g_strdup_printf (_ ("Caught by the %s: %s, on the %s's %s (step %u). %s"),
                             hl_side_word (side), hl_check_name (e->check), hl_side_word (st->from),
                             st->message, st->index, words ? words : "");
      e->why = g_strdup (words);
    }
    return e;
  }
  if (!hl_run_is_finished (run))
    return NULL;
  e = g_new0 (HlCheckEffect, 1);
  {
    guint n = hl_run_get_n_connections (run);
    const HlConnection *conn = NULL;
    for (guint i = 0; i < n; i++)
      if (hl_run_get_connection (run, i)->index == target->connection)
        conn = hl_run_get_connection (run, i);
    if (conn && conn->success) {
      e->check = HL_CHECK_NONE;
      e->text = g_strdup (_ ("Nothing caught it: the handshake succeeded with the change."));
    } else {
      e->check = HL_CHECK_STALL;
      e->checker = hl_side_other (target->from);
      e->text = g_strdup (_ ("No side stopped with an error: the run stalled, each side "
                             "waiting for the other."));
    }
  }
  return e;
}
