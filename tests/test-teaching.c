/* The teaching text says what the run did, as the RFCs describe it (issue 18). Each test
 * runs a lesson, checks the fact in the run's structure where it has one, then that the
 * corrected sentence says it and the old wrong wording is gone. */
#include <bearssl.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hl-compare.h"
#include "hl-decode.h"
#include "hl-discussion.h"
#include "hl-ladder-export.h"
#include "hl-ladder-labels.h"
#include "hl-ladder-layout.h"
#include "hl-output.h"
#include "hl-tables.h"
#include "hl-test-util.h"
#include "hl-transcript.h"

/* The nth step (from 1) of this connection, sender and message. */
static const HlStep *
nth_step (HlRun *run, guint connection, HlSide from, const char *message, guint nth)
{
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->connection == connection && st->from == from && strcmp (st->message, message) == 0
        && --nth == 0)
      return st;
  }
  g_error ("no step %s from %s in connection %u", message, hl_side_name (from), connection);
  return NULL;
}

static const HlStep *
step_of (HlRun *run, guint connection, HlSide from, const char *message)
{
  return nth_step (run, connection, from, message, 1);
}

/* The first field of this name, at any depth. */
static const HlField *
field_in (const GPtrArray *fields, const char *name)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    const HlField *c;
    if (strcmp (f->name, name) == 0)
      return f;
    if ((c = field_in (f->children, name)))
      return c;
  }
  return NULL;
}

/* The child of a list field whose value starts with this text. */
static const HlField *
child_valued (const HlField *list, const char *value)
{
  for (guint i = 0; list && i < list->children->len; i++) {
    const HlField *c = g_ptr_array_index (list->children, i);
    if (c->value && g_str_has_prefix (c->value, value))
      return c;
  }
  return NULL;
}

static const HlSecret *
held (const HlStep *st, HlSide side, const char *key)
{
  const GPtrArray *secrets = st->after[side].secrets;
  for (guint i = 0; i < secrets->len; i++) {
    const HlSecret *s = g_ptr_array_index (secrets, i);
    if (strcmp (s->key, key) == 0)
      return s;
  }
  return NULL;
}

/* Index of the first step of the connection after which the side holds the key; 0 never. */
static guint
learned (HlRun *run, guint connection, HlSide side, const char *key)
{
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->connection == connection && held (st, side, key))
      return st->index;
  }
  return 0;
}

/* Position of a key in the list a side holds after a step; -1 absent. */
static int
position (const HlStep *st, HlSide side, const char *key)
{
  const GPtrArray *secrets = st->after[side].secrets;
  for (guint i = 0; i < secrets->len; i++)
    if (strcmp (((const HlSecret *)g_ptr_array_index (secrets, i))->key, key) == 0)
      return (int)i;
  return -1;
}

#define assert_says(text, words) g_assert_nonnull (strstr ((text) ? (text) : "", (words)))
#define assert_not_says(text, words) g_assert_null (strstr ((text) ? (text) : "", (words)))

static HlRun *
run_lesson (const char *name, HlScenario **scenario)
{
  *scenario = hl_test_load_bundled (name);
  return hl_test_run (*scenario);
}

/* 1. Lesson 32: the first ClientHello guesses; only the second answers the HelloRetryRequest. */
static void
test_hello_retry (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("32-tls13-hello-retry.scenario", &s);
  const HlStep *first = nth_step (run, 1, HL_SIDE_CLIENT, "ClientHello", 1);
  const HlStep *hrr = step_of (run, 1, HL_SIDE_SERVER, "HelloRetryRequest");
  const HlStep *second = nth_step (run, 1, HL_SIDE_CLIENT, "ClientHello", 2);
  g_autofree char *first_label = hl_ladder_describe_step (run, first);
  g_autofree char *second_label = hl_ladder_describe_step (run, second);
  g_assert_cmpuint (first->index, <, hrr->index);
  g_assert_cmpuint (hrr->index, <, second->index);
  assert_not_says (first->summary, "tries again");
  assert_not_says (first->story, "again");
  assert_says (first->story, "guesses the group");
  assert_says (second->summary, "tries again");
  assert_says (second->story, "Story step 1 again, after HelloRetryRequest");
  assert_says (first_label, "key share: x25519 (sent before the server chose)");
  assert_says (second_label, "key share: secp256r1 (the group the server asked for)");
  assert_not_says (second_label, "sent before the server chose");
}

/* A second reading (session 5): the second ClientHello's key share is no guess (RFC 8446
 * 4.2.8); a TLS 1.3 offer's random is explained for both outcomes and has no gmt_unix_time
 * (4.1.2); extended_master_secret keeps the premaster as the key (RFC 7627 4); lesson 33
 * says the PSK feeds HKDF-Extract and the binder is checked before the PSK is accepted. */
static void
test_second_reading (void)
{
  g_autoptr (HlScenario) s32 = NULL, s38 = NULL, s33 = NULL;
  g_autoptr (HlRun) run32 = run_lesson ("32-tls13-hello-retry.scenario", &s32);
  g_autoptr (HlRun) run38 = run_lesson ("38-tls13-client-vs-tls12-server.scenario", &s38);
  g_autoptr (HlRun) run33 = run_lesson ("33-tls13-psk-resumption.scenario", &s33);
  const HlStep *first = nth_step (run32, 1, HL_SIDE_CLIENT, "ClientHello", 1);
  const HlStep *second = nth_step (run32, 1, HL_SIDE_CLIENT, "ClientHello", 2);
  const HlStep *hello38 = step_of (run38, 1, HL_SIDE_CLIENT, "ClientHello");
  const HlStep *sh38 = step_of (run38, 1, HL_SIDE_SERVER, "ServerHello");
  const HlField *random38 = field_in (hello38->fields, "Random");
  const HlField *ems = NULL;
  assert_says (field_in (first->fields, "Key share")->explanation, "sent before it knows");
  assert_says (field_in (second->fields, "Key share")->explanation,
               "for the group the HelloRetryRequest named");
  assert_not_says (field_in (second->fields, "Key share")->explanation, "guess");
  assert_says (random38->explanation, "The server answers with TLS 1.2, not TLS 1.3");
  g_assert_null (field_in (hello38->fields, "gmt_unix_time"));
  /* A TLS 1.2 ServerHello keeps TLS 1.2's layout. */
  g_assert_nonnull (field_in (sh38->fields, "gmt_unix_time"));
  for (guint i = 0; i < hello38->fields->len && !ems; i++) {
    const HlField *f = g_ptr_array_index (hello38->fields, i);
    for (guint k = 0; f->children && k < f->children->len && !ems; k++) {
      const HlField *e = g_ptr_array_index (f->children, k);
      if (e->explanation && strstr (e->explanation, "Extended master secret (RFC 7627)"))
        ems = e;
    }
  }
  g_assert_nonnull (ems);
  assert_says (ems->explanation, "PRF(premaster_secret, \"extended master secret\", session_hash)");
  assert_not_says (ems->explanation, "be made from the hash of the handshake messages");
  assert_says (s33->description, "early secret = HKDF-Extract(0, PSK)");
  assert_says (s33->description, "before it accepts the PSK");
  assert_not_says (s33->description, "before anything else");
  {
    /* TLS 1.2's DSA pairs have names, and the two compressed point formats differ. */
    g_autofree char *md = hl_transcript_to_markdown (run38);
    assert_says (md, "dsa_sha256");
    assert_not_says (md, "unknown scheme (0x0402)");
    assert_says (md, "ansiX962_compressed_prime (1)");
    assert_says (md, "ansiX962_compressed_char2 (2)");
  }
  {
    /* A TLS 1.0 client: its record version is its own, and TLS 1.0 cites RFC 2246. */
    g_autoptr (HlScenario) s07 = NULL;
    g_autoptr (HlRun) run07 = run_lesson ("07-tls10-cbc.scenario", &s07);
    g_autofree char *md = hl_transcript_to_markdown (run07);
    assert_says (md, "0x0301: TLS 1.0, the highest version this client offers");
    assert_not_says (md, "does not know the server's version yet");
    assert_says (md, "it is in the MAC (RFC 2246 6.2.3.1)");
    assert_not_says (md, "it is in the MAC (RFC 5246 6.2.3.1)");
  }
}

/* 2 and item 4 of the lists. Lesson 39: after its KeyUpdate the server's record is
 * under server_application_traffic_secret_1; the KeyUpdate itself under secret 0. */
static void
test_key_update_generation (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("39-tls13-key-update.scenario", &s);
  const HlStep *ku = step_of (run, 1, HL_SIDE_SERVER, "KeyUpdate");
  const HlStep *data = NULL;
  const HlStep *before = step_of (run, 1, HL_SIDE_CLIENT, "ApplicationData");
  for (guint i = ku->index; i < hl_run_get_n_steps (run) && !data; i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->from == HL_SIDE_SERVER && strcmp (st->message, "ApplicationData") == 0)
      data = st;
  }
  g_assert_nonnull (data);
  /* The structure: the sender's KeyUpdates counted, the new secret held from its KeyUpdate. */
  g_assert_cmpint (ku->key, ==, HL_RECORD_KEY_APPLICATION);
  g_assert_cmpuint (ku->key_generation, ==, 0);
  g_assert_cmpint (data->key, ==, HL_RECORD_KEY_APPLICATION);
  g_assert_cmpuint (data->key_generation, ==, 1);
  g_assert_cmpint (before->key, ==, HL_RECORD_KEY_APPLICATION);
  g_assert_cmpuint (before->key_generation, ==, 0);
  g_assert_cmpuint (learned (run, 1, HL_SIDE_SERVER, "server_application_traffic_secret_1"), ==,
                    ku->index);
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "server_application_traffic_secret_1"), ==,
                    ku->index);
  /* The words. */
  assert_says (data->story, "server application traffic secret 1");
  assert_not_says (data->story, "traffic secret 0");
  assert_says (ku->story, "still travels under the old keys (server application traffic secret 0)");
  assert_says (ku->story, "uses secret 1");
  assert_says (before->story, "client application traffic secret 0");
}

/* The key of every record of a full TLS 1.3 handshake (issue's "each record names its key"). */
static void
test_record_keys (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("30-tls13-basic.scenario", &s);
  g_assert_cmpint (step_of (run, 1, HL_SIDE_CLIENT, "ClientHello")->key, ==, HL_RECORD_KEY_NONE);
  g_assert_cmpint (step_of (run, 1, HL_SIDE_SERVER, "ServerHello")->key, ==, HL_RECORD_KEY_NONE);
  g_assert_cmpint (step_of (run, 1, HL_SIDE_SERVER, "ChangeCipherSpec")->key, ==,
                   HL_RECORD_KEY_NONE);
  g_assert_cmpint (step_of (run, 1, HL_SIDE_SERVER, "EncryptedExtensions")->key, ==,
                   HL_RECORD_KEY_HANDSHAKE);
  g_assert_cmpint (step_of (run, 1, HL_SIDE_SERVER, "Finished")->key, ==, HL_RECORD_KEY_HANDSHAKE);
  g_assert_cmpint (step_of (run, 1, HL_SIDE_CLIENT, "Finished")->key, ==, HL_RECORD_KEY_HANDSHAKE);
  g_assert_cmpint (step_of (run, 1, HL_SIDE_SERVER, "NewSessionTicket")->key, ==,
                   HL_RECORD_KEY_APPLICATION);
  g_assert_cmpint (step_of (run, 1, HL_SIDE_CLIENT, "ApplicationData")->key, ==,
                   HL_RECORD_KEY_APPLICATION);
  {
    g_autoptr (HlScenario) s2 = NULL;
    g_autoptr (HlRun) early = run_lesson ("34-tls13-early-data.scenario", &s2);
    const HlStep *zero = NULL;
    for (guint i = 0; i < hl_run_get_n_steps (early) && !zero; i++)
      if (hl_run_get_step (early, i)->early)
        zero = hl_run_get_step (early, i);
    g_assert_nonnull (zero);
    g_assert_cmpint (zero->key, ==, HL_RECORD_KEY_EARLY);
    g_assert_cmpint (step_of (early, 2, HL_SIDE_CLIENT, "EndOfEarlyData")->key, ==,
                     HL_RECORD_KEY_EARLY);
    g_assert_cmpint (step_of (early, 2, HL_SIDE_CLIENT, "Finished")->key, ==,
                     HL_RECORD_KEY_HANDSHAKE);
  }
}

/* The record's key as the Markdown and the diagram show it (lesson 39: a KeyUpdate). */
static void
test_record_key_shown (void)
{
  g_autoptr (HlScenario) s = NULL, s1 = NULL;
  g_autoptr (HlRun) run = run_lesson ("39-tls13-key-update.scenario", &s);
  g_autoptr (HlRun) tls12 = run_lesson ("01-rsa-key-exchange.scenario", &s1);
  const HlStep *ku = step_of (run, 1, HL_SIDE_SERVER, "KeyUpdate");
  const HlStep *after = hl_run_get_step (run, ku->index); /* the next step */
  const HlStep *ee = step_of (run, 1, HL_SIDE_SERVER, "EncryptedExtensions");
  const HlStep *ch = step_of (run, 1, HL_SIDE_CLIENT, "ClientHello");
  g_autofree char *md = hl_transcript_to_markdown (run);
  g_autofree char *md12 = hl_transcript_to_markdown (tls12);
  g_autofree char *k_ku = hl_step_record_key (ku), *k_after = hl_step_record_key (after);
  g_autofree char *k_ee = hl_step_record_key (ee), *k_ch = hl_step_record_key (ch);
  g_autofree char *label = hl_ladder_describe_step (run, after);
  g_autofree char *label_ee = hl_ladder_describe_step (run, ee);
  g_autofree char *label_ch = hl_ladder_describe_step (run, ch);
  g_autofree char *header = g_strdup_printf ("### Step %u: ", after->index);
  const char *section = strstr (md, header);
  const char *next = section ? strstr (section + 1, "### Step") : NULL;
  g_autofree char *mine = section ? g_strndup (section, next - section) : NULL;
  g_assert_cmpstr (after->message, ==, "ApplicationData");
  g_assert_cmpint (after->from, ==, HL_SIDE_SERVER);
  g_assert_cmpstr (k_ku, ==, "server_application_traffic_secret_0");
  g_assert_cmpstr (k_after, ==, "server_application_traffic_secret_1");
  g_assert_cmpstr (k_ee, ==, "server_handshake_traffic_secret");
  g_assert_null (k_ch);
  assert_says (mine,
               "**Record protected by:** the server's application traffic keys of generation 1 "
               "(after KeyUpdate, RFC 8446 7.2), from `server_application_traffic_secret_1`");
  assert_says (md, "**Record protected by:** nothing, it travels in plaintext");
  assert_says (label, "under server_application_traffic_secret_1");
  assert_says (label_ee, "under server_handshake_traffic_secret");
  assert_not_says (label_ch, "under ");
  assert_says (md12, "the client's write keys from the key block (`client_write_key`)");
}

/* 3. Lesson 38's first connection offers a compatibility legacy_session_id, resuming nothing. */
static void
test_first_connection_resumes_nothing (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("38-tls13-client-vs-tls12-server.scenario", &s);
  const HlStep *ch = step_of (run, 1, HL_SIDE_CLIENT, "ClientHello");
  const HlField *sid = field_in (ch->fields, "Session ID");
  g_assert_cmpuint (hl_run_get_n_connections (run), ==, 1);
  g_assert_false (hl_run_get_connection (run, 0)->resumed);
  g_assert_nonnull (sid);
  g_assert_cmpuint (sid->length, ==, 32);
  assert_says (sid->explanation, "legacy_session_id");
  assert_not_says (ch->story, "session id of an earlier session");
  assert_says (ch->story, "Story step 1:");
}

/* 4 and 21. Lesson 11, connection 2: the abbreviated handshake. */
static void
test_resumption (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("11-session-resumption.scenario", &s);
  const HlConnection *c1 = hl_run_get_connection (run, 0), *c2 = hl_run_get_connection (run, 1);
  const HlStep *ch = step_of (run, 2, HL_SIDE_CLIENT, "ClientHello");
  const HlStep *sh = step_of (run, 2, HL_SIDE_SERVER, "ServerHello");
  const HlStep *sfin = step_of (run, 2, HL_SIDE_SERVER, "Finished");
  const HlStep *cfin = step_of (run, 2, HL_SIDE_CLIENT, "Finished");
  const HlField *offered = field_in (ch->fields, "Session ID");
  const HlField *echoed = field_in (sh->fields, "Session ID");
  const HlField *random = field_in (sh->fields, "Random");
  g_autofree char *md = hl_transcript_to_markdown (run);
  const char *table2 = strstr (md, "## Connection 2");
  g_assert_true (c2->resumed);
  /* The server's Finished comes first (RFC 5246 7.3), and is the first encrypted message. */
  g_assert_cmpuint (sfin->index, <, cfin->index);
  for (guint i = 0; i < c2->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c2->steps, i);
    if (st->encrypted)
      g_assert_cmpuint (st->index, >=, sfin->index);
  }
  assert_says (sfin->story, "first in a resumption");
  assert_says (sfin->story, "first encrypted message");
  assert_not_says (sfin->story, "the handshake is complete");
  assert_says (cfin->story, "the handshake is complete");
  assert_not_says (cfin->story, "the first encrypted message");
  /* The echoed id accepts the resumption. */
  g_assert_nonnull (offered);
  g_assert_nonnull (echoed);
  g_assert_cmpuint (offered->length, ==, 32);
  g_assert_cmpstr (offered->value, ==, echoed->value);
  assert_says (echoed->explanation, "accepts to resume");
  assert_not_says (echoed->explanation, "so the client can resume it later");
  /* The master secret is the first connection's; the randoms feed only the key block. */
  g_assert_true (
      g_bytes_equal (c1->secrets.value[HL_SECRET_MASTER], c2->secrets.value[HL_SECRET_MASTER]));
  g_assert_false (g_bytes_equal (c1->secrets.value[HL_SECRET_KEY_BLOCK],
                                 c2->secrets.value[HL_SECRET_KEY_BLOCK]));
  assert_says (random->explanation, "only the key block");
  assert_not_says (random->explanation, "feed the master secret");
  assert_not_says (sh->story, "with the two new randoms");
  g_assert_nonnull (table2);
  {
    const char *row = strstr (table2, "| master_secret |");
    g_autofree char *line = NULL;
    g_assert_nonnull (row);
    line = g_strndup (row, strcspn (row, "\n"));
    assert_says (line, "earlier connection");
    assert_not_says (line, "PRF(premaster_secret");
    assert_not_says (table2, "| premaster_secret |");
  }
  /* The same recipe where each side lists what it holds. */
  assert_not_says (held (cfin, HL_SIDE_CLIENT, "master_secret")->formula, "PRF(premaster_secret");
  assert_says (held (cfin, HL_SIDE_CLIENT, "master_secret")->formula, "earlier connection");
  g_assert_null (held (cfin, HL_SIDE_CLIENT, "master_secret")->inputs[0]);
}

/* 5. Lesson 05: a CBC record's explicit IV is a random per-record IV; the key block has none. */
static void
test_cbc_explicit_iv (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("05-rsa-aes-cbc.scenario", &s);
  const HlStep *fin = step_of (run, 1, HL_SIDE_CLIENT, "Finished");
  const HlField *iv = field_in (fin->record_fields, "Explicit IV");
  const HlConnection *c = hl_run_get_connection (run, 0);
  HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };
  g_autoptr (GBytes) html = NULL;
  g_autofree char *text = NULL;
  g_assert_cmpuint (c->version, ==, 0x0303);
  g_assert_cmpint (hl_suite_by_id (c->suite)->cipher, ==, HL_CIPHER_AES_CBC);
  g_assert_true (!c->secrets.value[HL_SECRET_CLIENT_WRITE_IV]
                 || g_bytes_get_size (c->secrets.value[HL_SECRET_CLIENT_WRITE_IV]) == 0);
  g_assert_nonnull (iv);
  g_assert_cmpuint (iv->length, ==, 16);
  assert_says (iv->explanation, "new for every record and unpredictable");
  assert_not_says (iv->explanation, "fixed IV from the key block");
  html = hl_ladder_render_html (run, &o, NULL);
  g_assert_nonnull (html);
  text = g_strndup (g_bytes_get_data (html, NULL), g_bytes_get_size (html));
  assert_says (text, "this record's own IV, where CBC starts");
  assert_not_says (text, "with the fixed IV from the key block it makes the nonce");
  /* 19. The MAC and padding are encrypted with the content. */
  {
    const HlField *ct = field_in (fin->record_fields, "Ciphertext");
    g_assert_nonnull (field_in (ct->children, "Encrypted MAC"));
    g_assert_nonnull (field_in (ct->children, "Encrypted padding"));
    assert_says (s->description, "encrypts the content together with its MAC and padding");
    assert_not_says (s->description, "the ciphertext, the MAC and padding");
  }
  /* GCM keeps the fixed-IV nonce, which is right there. */
  {
    g_autoptr (HlScenario) s2 = NULL;
    g_autoptr (HlRun) gcm = run_lesson ("02-ecdhe-rsa-aes-gcm.scenario", &s2);
    const HlField *nonce
        = field_in (step_of (gcm, 1, HL_SIDE_CLIENT, "Finished")->record_fields, "Explicit nonce");
    g_assert_nonnull (nonce);
    assert_says (nonce->explanation, "fixed IV from the key block");
  }
}

/* 6. Lesson 30: the client holds the application secrets only after the server's Finished. */
static void
test_application_secrets_when (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("30-tls13-basic.scenario", &s);
  guint sh = step_of (run, 1, HL_SIDE_SERVER, "ServerHello")->index;
  guint sfin = step_of (run, 1, HL_SIDE_SERVER, "Finished")->index;
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "client_handshake_traffic_secret"), ==, sh);
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "client_application_traffic_secret_0"), ==,
                    sfin);
  assert_not_says (s->description, "the client one step later, when the ServerHello arrives.");
  assert_says (s->description, "the application secrets only once it has read the server's "
                               "Finished");
}

/* 7. Lesson 34: 0-RTT data has no replay protection from TLS, and no forward secrecy. */
static void
test_early_data_replay (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("34-tls13-early-data.scenario", &s);
  const HlStep *zero = NULL;
  for (guint i = 0; i < hl_run_get_n_steps (run) && !zero; i++)
    if (hl_run_get_step (run, i)->early)
      zero = hl_run_get_step (run, i);
  g_assert_nonnull (zero);
  assert_not_says (zero->story, "nothing stops an attacker");
  assert_says (zero->story, "TLS itself gives this data no replay protection");
  assert_says (zero->story, "This server blocks replays");
  assert_says (zero->story, "a cluster of servers");
  assert_says (zero->story, "Nor is this data forward secret");
}

/* 8. Lesson 38: what the OpenSSL client really holds, and where each value comes from. */
static void
test_openssl_client_holds (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("38-tls13-client-vs-tls12-server.scenario", &s);
  const HlStep *last = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
  const HlConnection *c = hl_run_get_connection (run, 0);
  guint sh = step_of (run, 1, HL_SIDE_SERVER, "ServerHello")->index;
  guint ske = step_of (run, 1, HL_SIDE_SERVER, "ServerKeyExchange")->index;
  guint cke = step_of (run, 1, HL_SIDE_CLIENT, "ClientKeyExchange")->index;
  guint cfin = step_of (run, 1, HL_SIDE_CLIENT, "Finished")->index;
  guint sfin = step_of (run, 1, HL_SIDE_SERVER, "Finished")->index;
  const HlSecret *master;
  /* Never shown: they stay inside OpenSSL. */
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "premaster_secret"), ==, 0);
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "client_ecdh_private_key"), ==, 0);
  /* Read from the messages, each once the client has it. */
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "session_id"), ==, sh);
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "server_ecdh_public_key"), ==, ske);
  /* Its own share and verify_data from when it sent them (still on the way), with the
   * master secret: the step before its ClientKeyExchange and Finished are delivered. */
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "client_ecdh_public_key"), ==, cke - 1);
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "master_secret"), ==, cke - 1);
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "client_verify_data"), ==, cke - 1);
  g_assert_cmpuint (cfin, >, cke);
  g_assert_cmpuint (learned (run, 1, HL_SIDE_CLIENT, "server_verify_data"), ==, sfin);
  /* The same values as the BearSSL server's. */
  g_assert_true (g_bytes_equal (held (last, HL_SIDE_CLIENT, "client_verify_data")->value,
                                held (last, HL_SIDE_SERVER, "client_verify_data")->value));
  g_assert_true (g_bytes_equal (held (last, HL_SIDE_CLIENT, "session_id")->value,
                                held (last, HL_SIDE_SERVER, "session_id")->value));
  master = held (last, HL_SIDE_CLIENT, "master_secret");
  g_assert_true (g_bytes_equal (master->value, c->secrets.value[HL_SECRET_MASTER]));
  assert_says (master->formula, "key log");
  assert_says (master->formula, "cannot be known from outside");
  assert_says (held (last, HL_SIDE_CLIENT, "key_block")->formula, "computed by Handshake Lab");
  assert_says (held (last, HL_SIDE_CLIENT, "server_ecdh_public_key")->formula, "read from");
  assert_says (s->description, "the client's ECDH private key cannot be known from outside");
  /* Tenth reading: the premaster of ECDHE is shared; the table shows the server's copy. */
  assert_not_says (s->description, "its premaster secret and its ECDH secret never leave");
  assert_says (s->description, "The premaster secret in the table is the BearSSL server's copy");
  g_assert_true (g_bytes_equal (c->secrets.value[HL_SECRET_PREMASTER],
                                held (last, HL_SIDE_SERVER, "premaster_secret")->value));
  /* The BearSSL server's own view keeps the real recipes. */
  assert_not_says (held (last, HL_SIDE_SERVER, "master_secret")->formula, "key log");
}

/* 9. OpenSSL's states and errors in their own words: the alert sent or received and
 * OpenSSL's reason, never BearSSL's codes; a legend for OpenSSL's state names. */
static void
test_openssl_words (void)
{
  g_autoptr (HlScenario) s = NULL, s30 = NULL, s38 = NULL, s1 = NULL;
  g_autoptr (HlRun) run = run_lesson ("36-tls13-tampered-certificate-verify.scenario", &s);
  g_autoptr (HlRun) basic = run_lesson ("30-tls13-basic.scenario", &s30);
  g_autoptr (HlRun) mixed = run_lesson ("38-tls13-client-vs-tls12-server.scenario", &s38);
  g_autoptr (HlRun) bear = run_lesson ("01-rsa-key-exchange.scenario", &s1);
  const HlConnection *c = hl_run_get_connection (run, 0);
  const HlStep *last = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
  const HlStep *sh = step_of (basic, 1, HL_SIDE_SERVER, "ServerHello");
  g_autofree char *md = hl_transcript_to_markdown (run);
  g_autofree char *md30 = hl_transcript_to_markdown (basic);
  g_autofree char *md38 = hl_transcript_to_markdown (mixed);
  g_autofree char *md01 = hl_transcript_to_markdown (bear);
  g_autofree char *words = hl_describe_engine_state (sh->after[HL_SIDE_SERVER].state);
  gboolean ok;
  g_autofree char *end = hl_ladder_describe_end (c, HL_SIDE_CLIENT, &ok);
  g_autofree char *learned = NULL;
  /* The structure: an OpenSSL client that sent decrypt_error, with OpenSSL's reason. */
  g_assert_true (c->openssl[HL_SIDE_CLIENT]);
  g_assert_cmpint (c->error[HL_SIDE_CLIENT], ==, BR_ERR_SEND_FATAL_ALERT + 51);
  g_assert_cmpstr (c->reason[HL_SIDE_CLIENT], ==, "bad signature");
  g_assert_true (last->after[HL_SIDE_CLIENT].openssl);
  g_assert_cmpstr (last->after[HL_SIDE_CLIENT].reason, ==, "bad signature");
  /* The words. */
  assert_says (c->explanation[HL_SIDE_CLIENT], "\u201cbad signature\u201d");
  assert_says (c->explanation[HL_SIDE_CLIENT], "sent the fatal alert decrypt_error (51)");
  assert_says (c->explanation[HL_SIDE_SERVER], "received the fatal alert decrypt_error (51)");
  assert_not_says (c->explanation[HL_SIDE_CLIENT], "BR_ERR");
  assert_not_says (c->explanation[HL_SIDE_SERVER], "BR_ERR");
  assert_not_says (md, "BR_ERR");
  assert_not_says (md, "error 563");
  assert_says (end, "decrypt_error (51)");
  assert_not_says (end, "BR_ERR");
  for (guint i = 0; i < hl_run_get_n_steps (run) && !learned; i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->after[HL_SIDE_CLIENT].error)
      learned = hl_ladder_describe_learned (run, st, HL_SIDE_CLIENT, "#ff0000");
  }
  assert_says (learned, "OpenSSL stopped on its own error");
  assert_not_says (learned, "BR_ERR");
  /* OpenSSL names its server's state "early data" with no 0-RTT in sight: the words and
   * the legend say what it means. */
  g_assert_false (step_of (basic, 1, HL_SIDE_CLIENT, "ClientHello")->early);
  g_assert_cmpstr (sh->after[HL_SIDE_SERVER].state, ==, "OpenSSL: TLSv1.3 early data");
  assert_says (words, "whether or not 0-RTT data was offered");
  assert_says (md30, "\"TLSv1.3 early data\" is a TLS 1.3 server that has sent its first flight");
  /* Each legend only where its library runs. */
  assert_not_says (md30, "BearSSL sides show");
  assert_says (md38, "BearSSL sides show");
  assert_says (md38, "OpenSSL sides show");
  assert_says (md01, "BearSSL sides show");
  assert_not_says (md01, "OpenSSL sides show");
}

/* The extensions OpenSSL offers for a TLS 1.2 fallback are explained (RFC 7627, 7366, 5077),
 * and lesson 38's master secret is the classic one because the server does not answer the
 * extended_master_secret offer. */
static void
test_fallback_extensions (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("38-tls13-client-vs-tls12-server.scenario", &s);
  const HlStep *ch = step_of (run, 1, HL_SIDE_CLIENT, "ClientHello");
  const HlStep *sh = step_of (run, 1, HL_SIDE_SERVER, "ServerHello");
  const HlStep *last = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
  const HlField *ems = field_in (ch->fields, "extended_master_secret");
  const HlField *etm = field_in (ch->fields, "encrypt_then_mac");
  const HlField *ticket = field_in (ch->fields, "session_ticket");
  g_assert_nonnull (ems);
  g_assert_nonnull (etm);
  g_assert_nonnull (ticket);
  g_assert_null (field_in (sh->fields, "extended_master_secret"));
  assert_says (ems->explanation, "RFC 7627");
  assert_says (ems->explanation, "only if the server answers with it");
  assert_says (etm->explanation, "RFC 7366");
  assert_says (ticket->explanation, "RFC 5077");
  assert_says (held (last, HL_SIDE_SERVER, "master_secret")->formula,
               "PRF(premaster_secret, \"master secret\"");
}

/* 10 and 13. Lesson 30: forward secrecy's exceptions; what is encrypted after ServerHello. */
static void
test_tls13_precise_words (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("30-tls13-basic.scenario", &s);
  const HlStep *cv = step_of (run, 1, HL_SIDE_SERVER, "CertificateVerify");
  const HlStep *sh = step_of (run, 1, HL_SIDE_SERVER, "ServerHello");
  const HlStep *next = hl_run_get_step (run, sh->index); /* the step after it */
  assert_not_says (cv->story, "Forward secrecy is always on");
  assert_says (cv->story, "psk_ke");
  assert_says (cv->story, "0-RTT data do not");
  /* The record after the ServerHello is the plaintext compatibility ChangeCipherSpec. */
  g_assert_cmpstr (next->message, ==, "ChangeCipherSpec");
  g_assert_false (next->encrypted);
  assert_not_says (sh->story, "everything after this message is encrypted");
  assert_says (sh->story, "compatibility ChangeCipherSpec still passes in plaintext");
  assert_not_says (sh->story, "story step 4 is gone"); /* the shares are step 4, in the hellos */
  assert_says (sh->story, "story step 4's key shares travelled in the two hellos");
  /* Fourteenth reading: lesson 37's client alert before the server's Finished is plaintext,
   * as RFC 8446 A.1 has it; the ServerHello's story must allow it. */
  assert_says (sh->story, "or an alert a side sends before it has switched its own sending key");
  assert_says (sh->story, "application keys");
}

/* 11. Closure alerts: close_notify and user_canceled (RFC 8446 6.1). */
static void
test_closure_alerts (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("30-tls13-basic.scenario", &s);
  const HlStep *alert = step_of (run, 1, HL_SIDE_CLIENT, "Alert");
  g_assert_true (alert->close_notify);
  assert_says (alert->summary, "close_notify and user_canceled are the closure alerts");
  assert_not_says (alert->summary, "byte; every other alert is fatal");
}

/* 12. The server's CertificateVerify signs the transcript hash through the Certificate. */
static void
test_certificate_verify_covers_certificate (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("30-tls13-basic.scenario", &s);
  const HlStep *cv = step_of (run, 1, HL_SIDE_SERVER, "CertificateVerify");
  const HlField *sig = field_in (cv->fields, "Signature");
  gsize through = 0;
  g_autofree char *bytes = NULL;
  /* The check counts the handshake bytes the client hashed: the Certificate included. */
  for (guint i = 0; i + 1 < cv->index; i++) {
    const HlStep *st = hl_run_get_step (run, i);
    GBytes *b = st->encrypted ? st->plaintext : st->wire;
    if (st->content_type == 22 && b)
      through += g_bytes_get_size (b);
  }
  g_assert_cmpstr (hl_run_get_step (run, cv->index - 2)->message, ==, "Certificate");
  bytes = g_strdup_printf ("of the %zu handshake bytes it saw up to and including the Certificate",
                           through);
  assert_says (cv->check, bytes);
  assert_says (sig->explanation, "up to and including the Certificate (RFC 8446 4.4.3)");
  assert_not_says (sig->explanation, "hash up to the Certificate.");
}

/* 14. Signature scheme names and meanings in a TLS 1.3 hello, and in TLS 1.2. */
static void
test_signature_schemes (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("30-tls13-basic.scenario", &s);
  const HlField *list
      = field_in (step_of (run, 1, HL_SIDE_CLIENT, "ClientHello")->fields, "signature_algorithms");
  const HlField *ecdsa = child_valued (list, "ecdsa_secp256r1_sha256 (0x0403)");
  const HlField *pkcs1 = child_valued (list, "rsa_pkcs1_sha256 (0x0401)");
  g_assert_nonnull (ecdsa);
  g_assert_nonnull (pkcs1);
  g_assert_null (child_valued (list, "ecdsa_sha256"));
  assert_says (pkcs1->explanation, "only for signatures inside certificates");
  assert_says (ecdsa->explanation, "on the one curve its name gives");
  {
    g_autoptr (HlScenario) s2 = NULL;
    g_autoptr (HlRun) tls12 = run_lesson ("02-ecdhe-rsa-aes-gcm.scenario", &s2);
    const HlField *l12 = field_in (step_of (tls12, 1, HL_SIDE_CLIENT, "ClientHello")->fields,
                                   "signature_algorithms");
    const HlField *p12 = child_valued (l12, "rsa_pkcs1_sha256");
    g_assert_nonnull (child_valued (l12, "ecdsa_sha256 (0x0403)"));
    assert_not_says (p12->explanation, "only for signatures inside certificates");
  }
}

/* 15 and 23. The TLS 1.2 ServerKeyExchange over X25519 (lesson 11) and P-256 static ECDH. */
static void
test_server_key_exchange (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("11-session-resumption.scenario", &s);
  const HlStep *ske = step_of (run, 1, HL_SIDE_SERVER, "ServerKeyExchange");
  const HlStep *cke = step_of (run, 1, HL_SIDE_CLIENT, "ClientKeyExchange");
  const HlField *sig = field_in (ske->fields, "Signature");
  const HlField *pub = field_in (ske->fields, "Public key");
  const HlConnection *c = hl_run_get_connection (run, 0);
  const HlSecret *pm = held (cke, HL_SIDE_SERVER, "premaster_secret");
  g_autofree char *md = hl_transcript_to_markdown (run);
  g_assert_cmpint (c->curve, ==, 29);
  g_assert_cmpuint (pub->length, ==, 32);
  assert_says (sig->explanation, "all of ServerECDHParams");
  assert_says (sig->explanation, "named curve");
  assert_not_says (sig->explanation, "signs both randoms and its public key");
  assert_says (pub->explanation, "u-coordinate");
  assert_not_says (pub->explanation, "secret scalar times");
  assert_says (field_in (cke->fields, "Public key")->explanation, "u-coordinate");
  g_assert_nonnull (pm);
  g_assert_cmpuint (g_bytes_get_size (pm->value), ==, 32);
  assert_says (pm->formula, "X25519");
  assert_not_says (pm->formula, "x coordinate");
  assert_not_says (pm->formula, "RSA");
  assert_says (md, "| premaster_secret | `");
  assert_not_says (md, "ECDH(E): the x coordinate of the shared point");
}

/* 17. "What each side knows": the ECDH shares come before the premaster made from them,
 * and the premaster row gives the run's key exchange only. */
static void
test_knowledge_order (void)
{
  g_autoptr (HlScenario) s = NULL, s1 = NULL;
  g_autoptr (HlRun) run = run_lesson ("02-ecdhe-rsa-aes-gcm.scenario", &s);
  g_autoptr (HlRun) rsa = run_lesson ("01-rsa-key-exchange.scenario", &s1);
  const HlStep *last = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
  g_autofree char *md = hl_transcript_to_markdown (run);
  g_autofree char *md_rsa = hl_transcript_to_markdown (rsa);
  const char *sep = strstr (md, "| client_ecdh_private_key |");
  for (int side = 0; side < 2; side++) {
    int pm = position (last, side, "premaster_secret");
    g_assert_cmpint (pm, >=, 0);
    g_assert_cmpint (position (last, side, "master_secret"), >, pm);
    g_assert_cmpint (
        position (last, side,
                  side == HL_SIDE_CLIENT ? "client_ecdh_private_key" : "server_ecdh_private_key"),
        <, pm);
    g_assert_cmpint (position (last, side, "client_ecdh_public_key"), <, pm);
    g_assert_cmpint (position (last, side, "server_ecdh_public_key"), <, pm);
  }
  /* Every input of each secret a side lists comes earlier in its list. */
  for (int side = 0; side < 2; side++) {
    const GPtrArray *list = last->after[side].secrets;
    for (guint i = 0; i < list->len; i++) {
      const HlSecret *secret = g_ptr_array_index (list, i);
      for (guint k = 0; secret->inputs[k]; k++) {
        int at = position (last, side, secret->inputs[k]);
        if (at >= 0)
          g_assert_cmpint (at, <, (int)i);
      }
    }
  }
  g_assert_nonnull (sep);
  g_assert_true (sep < strstr (md, "| premaster_secret |"));
  assert_not_says (held (last, HL_SIDE_CLIENT, "premaster_secret")->formula, "RSA");
  assert_not_says (held (last, HL_SIDE_CLIENT, "premaster_secret")->formula, "encrypted");
  {
    const HlStep *end = hl_run_get_step (rsa, hl_run_get_n_steps (rsa) - 1);
    const HlSecret *pm = held (end, HL_SIDE_SERVER, "premaster_secret");
    assert_says (pm->formula, "encrypted to the server's RSA key");
    assert_not_says (pm->formula, "ECDH");
    assert_not_says (pm->formula, "x coordinate");
    assert_not_says (md_rsa, "ECDH(E): the x coordinate");
  }
}

/* 16. Lesson 37: the client's alert is plaintext, by OpenSSL's choice. */
static void
test_plaintext_alert (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("37-tls13-untrusted.scenario", &s);
  const HlStep *alert = step_of (run, 1, HL_SIDE_CLIENT, "Alert");
  g_assert_false (alert->encrypted);
  g_assert_cmpint (alert->key, ==, HL_RECORD_KEY_NONE);
  g_assert_cmpint (step_of (run, 1, HL_SIDE_SERVER, "Certificate")->key, ==,
                   HL_RECORD_KEY_HANDSHAKE);
  /* RFC 8446 A.1: K_send = handshake only after the client received the server's Finished. */
  assert_says (s->description, "only once it has received the server's Finished");
  assert_not_says (s->description, "had not switched to its handshake write key yet");
  assert_not_says (s->description, "No rule of the protocol requires that");
}

/* 18. The ClientKeyExchange: each side multiplies the peer's value by its own secret. */
static void
test_client_key_exchange (void)
{
  g_autoptr (HlScenario) s = NULL, s6 = NULL, s4 = NULL;
  g_autoptr (HlRun) x = run_lesson ("02-ecdhe-rsa-aes-gcm.scenario", &s);
  g_autoptr (HlRun) fixed = run_lesson ("06-static-ecdh.scenario", &s6);
  g_autoptr (HlRun) p384 = run_lesson ("04-ecdhe-ecdsa-p384-sha384.scenario", &s4);
  const HlField *kx
      = field_in (step_of (x, 1, HL_SIDE_CLIENT, "ClientKeyExchange")->fields, "Public key");
  const HlField *kf
      = field_in (step_of (fixed, 1, HL_SIDE_CLIENT, "ClientKeyExchange")->fields, "Public key");
  const HlField *kp
      = field_in (step_of (p384, 1, HL_SIDE_CLIENT, "ClientKeyExchange")->fields, "Public key");
  for (guint i = 0; i < 3; i++) {
    const HlField *k = i == 0 ? kx : i == 1 ? kf : kp;
    g_assert_nonnull (k);
    assert_not_says (k->explanation, "Combined with the server's point");
  }
  g_assert_cmpint (hl_run_get_connection (fixed, 0)->suite, !=, 0);
  g_assert_false (hl_suite_is_ecdhe (hl_suite_by_id (hl_run_get_connection (fixed, 0)->suite)));
  assert_says (kf->explanation, "multiplies it by its certificate's private key");
  assert_says (kp->explanation, "multiplies it by its own ephemeral secret scalar");
  assert_says (kp->explanation, "x coordinate is the premaster secret");
  g_assert_cmpuint (kp->length, ==, 97); /* uncompressed P-384 point */
  assert_says (kx->explanation, "X25519");
}

/* 20. Lesson 07: signature_algorithms in a TLS 1.0 hello has no effect. */
static void
test_tls10_signature_algorithms (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("07-tls10-cbc.scenario", &s);
  const HlStep *ch = step_of (run, 1, HL_SIDE_CLIENT, "ClientHello");
  const HlField *ext = field_in (ch->fields, "signature_algorithms");
  const HlField *one = field_in (ext->children, "Signature algorithm");
  g_assert_cmpuint (hl_run_get_connection (run, 0)->version, ==, 0x0301);
  g_assert_cmpstr (field_in (ch->fields, "Client version")->value, ==, "TLS 1.0 (0x0301)");
  assert_says (ext->explanation, "only from TLS 1.2 on (RFC 5246 7.4.1.4.1)");
  assert_says (ext->explanation, "not to send it");
  assert_says (ext->explanation, "no effect");
  assert_says (one->explanation, "Ignored");
  assert_not_says (one->explanation, "A signature scheme this side accepts.");
}

/* 22. An ECDSA certificate signature is a DER SEQUENCE of r and s (lesson 06). */
static void
test_ecdsa_certificate_signature (void)
{
  g_autoptr (HlScenario) s = NULL, s1 = NULL;
  g_autoptr (HlRun) run = run_lesson ("06-static-ecdh.scenario", &s);
  g_autoptr (HlRun) rsa = run_lesson ("01-rsa-key-exchange.scenario", &s1);
  const HlStep *cert = step_of (run, 1, HL_SIDE_SERVER, "Certificate");
  const HlField *value = field_in (cert->fields, "Signature value");
  const HlField *rsa_value
      = field_in (step_of (rsa, 1, HL_SIDE_SERVER, "Certificate")->fields, "Signature value");
  gsize len;
  const guint8 *d = g_bytes_get_data (cert->wire, &len);
  g_assert_nonnull (value);
  g_assert_cmpuint (value->offset + value->length, <=, len);
  g_assert_cmpuint (d[value->offset], ==, 0x30); /* SEQUENCE */
  assert_says (value->explanation, "SEQUENCE { r, s }");
  assert_not_says (value->explanation, "modulus");
  assert_says (rsa_value->explanation, "issuer's modulus");
}

/* 24. Lesson 10: the CertificateRequest's schemes also bind the client's certificates. */
static void
test_certificate_request_schemes (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("10-mutual-tls.scenario", &s);
  const HlField *f = field_in (step_of (run, 1, HL_SIDE_SERVER, "CertificateRequest")->fields,
                               "Signature algorithms");
  g_assert_nonnull (f);
  assert_says (f->explanation,
               "its certificates must be signed with them too (RFC 5246 7.4.4, 7.4.6, 7.4.8)");
  assert_not_says (f->explanation, "What the client may sign its CertificateVerify with.");
}

/* 25. Lesson 23: RFC 7301 requires the alert; BearSSL's default departs from it. */
static void
test_alpn_alert_required (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("23-alpn-mismatch.scenario", &s);
  const HlStep *alert = step_of (run, 1, HL_SIDE_SERVER, "Alert");
  assert_says (field_in (alert->fields, "Description")->value, "no_application_protocol (120)");
  assert_says (s->description, "SHALL refuse with the fatal alert no_application_protocol");
  assert_says (s->description, "BearSSL departs from that by default");
  assert_not_says (s->description, "this server is configured to refuse");
}

/* 26. Lesson 19: the client was stopped by the alert record's version 0x0000, and owed no
 * alert of its own. */
static void
test_no_answer_to_fatal_alert (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("19-no-common-version.scenario", &s);
  const HlStep *alert = step_of (run, 1, HL_SIDE_SERVER, "Alert");
  const HlConnection *c = hl_run_get_connection (run, 0);
  g_assert_cmpuint (alert->records->len, ==, 1);
  g_assert_cmpuint (g_array_index (alert->records, HlRecordHeader, 0).version, ==, 0x0000);
  g_assert_cmpint (c->error[HL_SIDE_CLIENT], ==, BR_ERR_UNSUPPORTED_VERSION);
  assert_says (c->explanation[HL_SIDE_CLIENT], "its version field was 0x0000");
  assert_says (c->explanation[HL_SIDE_CLIENT], "nobody answers a fatal alert (RFC 5246 7.2.2)");
  assert_not_says (c->explanation[HL_SIDE_CLIENT], "would have sent protocol_version");
}

static guint
occurrences (const char *text, const char *word)
{
  guint n = 0;
  for (const char *p = strstr (text, word); p; p = strstr (p + 1, word))
    n++;
  return n;
}

/* The knowledge panel's state line says each thing once: "closed (OpenSSL)", not
 * "closed (OpenSSL) (OpenSSL state: closed)". */
static void
test_state_line_says_it_once (void)
{
  g_autoptr (HlScenario) s = NULL, s1 = NULL;
  g_autoptr (HlRun) run = run_lesson ("30-tls13-basic.scenario", &s);
  g_autoptr (HlRun) bear = run_lesson ("01-rsa-key-exchange.scenario", &s1);
  const HlStep *last = hl_run_get_step (run, hl_run_get_n_steps (run) - 1);
  const HlStep *done = step_of (run, 1, HL_SIDE_CLIENT, "Finished");
  const char *closed = last->after[HL_SIDE_CLIENT].state;
  g_autofree char *line = hl_describe_side_state (closed, last->index, FALSE);
  g_autofree char *open
      = hl_describe_side_state (done->after[HL_SIDE_CLIENT].state, done->index, FALSE);
  g_autofree char *bearssl = hl_describe_side_state (
      step_of (bear, 1, HL_SIDE_SERVER, "ServerHelloDone")->after[HL_SIDE_SERVER].state, 4, TRUE);
  g_assert_cmpstr (closed, ==, "OpenSSL: closed");
  g_assert_cmpuint (occurrences (line, "closed"), ==, 1);
  g_assert_cmpuint (occurrences (line, "OpenSSL"), ==, 1);
  g_assert_true (g_str_has_suffix (line, "closed (OpenSSL)"));
  g_assert_true (g_str_has_prefix (done->after[HL_SIDE_CLIENT].state, "OpenSSL: "));
  g_assert_cmpuint (occurrences (open, "OpenSSL"), ==, 1);
  g_assert_cmpstr (bearssl, ==, "After step 4: waits for a record (BearSSL state RECVREC)");
  {
    /* An OpenSSL side that stopped, and one that names its last state: each said once. */
    g_autofree char *stopped
        = hl_describe_side_state ("OpenSSL: stopped (bad signature)", 8, FALSE);
    g_autofree char *read
        = hl_describe_side_state ("OpenSSL: SSLv3/TLS read server hello", 2, FALSE);
    g_assert_cmpstr (stopped, ==, "After step 8: stopped: bad signature (OpenSSL)");
    g_assert_cmpstr (read, ==, "After step 2: last did: read server hello (OpenSSL)");
  }
  {
    /* OpenSSL's "early data" is one name for two states: each side gets its own (a user's
     * trial found the client described as "a server waiting"); a capture has no library
     * state to show (it read "RECORDED (BearSSL state RECORDED)"). */
    g_autofree char *server = hl_describe_side_state ("OpenSSL: TLSv1.3 early data", 17, TRUE);
    g_autofree char *client = hl_describe_side_state ("OpenSSL: TLSv1.3 early data", 17, FALSE);
    g_autofree char *recorded = hl_describe_side_state ("RECORDED", 5, TRUE);
    g_assert_true (g_str_has_prefix (server, "After step 17: waits for the client's next flight"));
    g_assert_true (g_str_has_prefix (client, "After step 17: has sent 0-RTT data"));
    g_assert_null (strstr (client, "server waiting"));
    g_assert_null (strstr (recorded, "BearSSL"));
    g_assert_nonnull (strstr (recorded, "read from a capture"));
  }
}

/* An export into a folder that exists but takes no new file (/proc) does not say "no such
 * folder"; a folder that is missing still does. */
static void
test_export_error_words (void)
{
  g_autoptr (GError) proc = NULL, missing = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("hl-teach-XXXXXX", NULL);
  g_autofree char *nowhere = g_build_filename (tmp, "missing", "x.png", NULL);
  g_assert_true (g_file_test ("/proc", G_FILE_TEST_IS_DIR));
  g_assert_false (hl_write_file_atomically ("/proc/x.png", "png", 3, &proc));
  g_assert_nonnull (proc);
  assert_says (proc->message, "/proc/x.png");
  assert_not_says (proc->message, "no such folder");
  assert_says (proc->message, "the folder exists");
  g_assert_false (hl_write_file_atomically (nowhere, "png", 3, &missing));
  assert_says (missing->message, "no such folder");
  g_rmdir (tmp);
}

/* Lessons 38 and 40: a TLS 1.3 offer answered with TLS 1.2. The hellos' randoms name the
 * version the server chose and what feeds on them there: with extended master secret
 * (lesson 40, an OpenSSL server) not the master secret (RFC 7627 4); without it (38,
 * BearSSL) the master secret too (RFC 5246 8.1). Lesson 30 names TLS 1.3 alone. */
static void
test_random_names_version (void)
{
  g_autoptr (HlScenario) s38 = NULL, s40 = NULL, s30 = NULL;
  g_autoptr (HlRun) run38 = run_lesson ("38-tls13-client-vs-tls12-server.scenario", &s38);
  g_autoptr (HlRun) run40 = run_lesson ("40-tls13-downgrade-caught.scenario", &s40);
  g_autoptr (HlRun) run30 = run_lesson ("30-tls13-basic.scenario", &s30);
  const char *ch38
      = field_in (step_of (run38, 1, HL_SIDE_CLIENT, "ClientHello")->fields, "Random")->explanation;
  const char *ch40
      = field_in (step_of (run40, 1, HL_SIDE_CLIENT, "ClientHello")->fields, "Random")->explanation;
  const char *ch30
      = field_in (step_of (run30, 1, HL_SIDE_CLIENT, "ClientHello")->fields, "Random")->explanation;
  const HlStep *sh38 = step_of (run38, 1, HL_SIDE_SERVER, "ServerHello");
  const HlStep *sh40 = step_of (run40, 1, HL_SIDE_SERVER, "ServerHello");
  for (guint i = 0; i < 2; i++) {
    const char *ch = i ? ch40 : ch38;
    assert_says (ch, "The server answers with TLS 1.2, not TLS 1.3.");
    assert_not_says (ch, "If the server takes TLS 1.3");
    assert_not_says (ch, "if it answers with");
  }
  assert_says (ch38, "the two randoms feed the master secret (RFC 5246 8.1) and the key block");
  /* With extended master secret the randoms still reach the master secret, through the
   * session hash of both hellos (RFC 7627 4). */
  assert_says (ch40, "the two randoms feed the key block directly (RFC 5246 6.3); the master "
                     "secret takes them only through the session hash");
  assert_not_says (ch40, "not the master secret");
  assert_not_says (ch40, "as in lesson 02"); /* lesson 02 has no extended master secret */
  assert_says (ch40, "up to and including the ClientKeyExchange");
  assert_says (field_in (sh38->fields, "Random")->explanation,
               "It chose TLS 1.2, where the two randoms feed the master secret");
  assert_says (field_in (sh40->fields, "Random")->explanation,
               "It chose TLS 1.2, where the two randoms feed the key block directly (RFC 5246 "
               "6.3); the master secret takes them only through the session hash");
  assert_not_says (field_in (sh40->fields, "Random")->explanation, "not the master secret");
  assert_not_says (field_in (sh40->fields, "Random")->explanation, "in a full handshake");
  /* Each server's own gmt_unix_time: BearSSL zeros, OpenSSL random bytes. */
  assert_says (field_in (sh38->fields, "gmt_unix_time")->explanation, "this server, BearSSL");
  g_assert_cmpstr (field_in (sh38->fields, "gmt_unix_time")->value, ==, "0");
  assert_says (field_in (sh40->fields, "gmt_unix_time")->explanation,
               "this server, OpenSSL, sends random bytes");
  g_assert_true (hl_run_get_connection (run40, 0)->extended_master_secret);
  g_assert_false (hl_run_get_connection (run38, 0)->extended_master_secret);
  assert_says (ch30, "The server takes TLS 1.3, so the randoms reach the keys only through the "
                     "transcript hash");
  assert_not_says (ch30, "TLS 1.2");
}

/* A reading of lessons 30-43 against RFC 8446: the compatibility ChangeCipherSpec is
 * plaintext, so lesson 30 says every handshake message after ServerHello is encrypted, not
 * everything, and the server's handshake key protects its messages up to its Finished
 * only (RFC 8446 2, 7.1, D.4); the server's key share gives nothing by itself: each side
 * applies its own private key to the other's public value (7.4). */
static void
test_tls13_reading (void)
{
  g_autoptr (HlScenario) s30 = NULL;
  g_autoptr (HlRun) run30 = run_lesson ("30-tls13-basic.scenario", &s30);
  const HlStep *sh = step_of (run30, 1, HL_SIDE_SERVER, "ServerHello");
  const HlField *share = field_in (sh->fields, "Key share");
  const char *key = hl_secret_formula (HL_SECRET_SERVER_HANDSHAKE_KEY);
  g_autofree char *md = hl_transcript_to_markdown (run30);
  assert_says (s30->description, "every handshake message after it, the certificate included, "
                                 "is encrypted");
  assert_not_says (s30->description, "everything after it");
  g_assert_nonnull (share);
  assert_says (share->explanation, "Each side applies its own private key to the other's public "
                                   "value");
  assert_not_says (share->explanation, "With the client's, each side computes");
  assert_says (key, "the server's handshake messages after ServerHello, EncryptedExtensions to "
                    "its Finished");
  assert_not_says (key, "everything the server sends");
  assert_says (md, "EncryptedExtensions to its Finished");
  /* The compatibility ChangeCipherSpec between them really is plaintext. */
  g_assert_cmpint (step_of (run30, 1, HL_SIDE_SERVER, "ChangeCipherSpec")->key, ==,
                   HL_RECORD_KEY_NONE);
}

/* A third reading, of lessons 01-24 (issue 18's "new reading of every handout"). */
static void
test_third_reading (void)
{
  g_autoptr (HlScenario) s02 = NULL, s14 = NULL, s01 = NULL, s11 = NULL, s07 = NULL, s16 = NULL;
  g_autoptr (HlScenario) s05 = NULL;
  g_autoptr (HlRun) run02 = run_lesson ("02-ecdhe-rsa-aes-gcm.scenario", &s02);
  g_autoptr (HlRun) run14 = run_lesson ("14-untrusted-ca.scenario", &s14);
  g_autoptr (HlRun) run01 = run_lesson ("01-rsa-key-exchange.scenario", &s01);
  g_autoptr (HlRun) run11 = run_lesson ("11-session-resumption.scenario", &s11);
  g_autoptr (HlRun) run07 = run_lesson ("07-tls10-cbc.scenario", &s07);
  g_autoptr (HlRun) run16 = run_lesson ("16-wrong-host-name.scenario", &s16);
  g_autoptr (HlRun) run05 = run_lesson ("05-rsa-aes-cbc.scenario", &s05);
  const HlStep *hello02 = step_of (run02, 1, HL_SIDE_CLIENT, "ClientHello");
  const HlSecret *share = held (hello02, HL_SIDE_SERVER, "server_ecdh_public_key");
  const HlSecret *secret = held (hello02, HL_SIDE_SERVER, "server_ecdh_private_key");
  const HlConnection *c14 = hl_run_get_connection (run14, 0);
  guint n_flags;
  const HlStateFlag *flags = hl_engine_state_flags (&n_flags);

  /* 1. An X25519 share is a u-coordinate from the server's first step on (RFC 7748 5), and a
   * client that stopped early still names the server's curve. */
  g_assert_nonnull (share);
  assert_says (share->formula, "X25519(s, 9)");
  assert_not_says (share->formula, "s\u00b7G");
  assert_says (secret->formula, "32 random bytes");
  g_assert_cmpint (c14->curve, ==, 29);
  assert_not_says (hl_secret_formula_in (HL_SECRET_SERVER_ECDH_PUBLIC, c14), "s\u00b7G");

  /* 2. Each ChangeCipherSpec is placed where RFC 5246 7.3 puts it. */
  assert_says (step_of (run01, 1, HL_SIDE_CLIENT, "ChangeCipherSpec")->story,
               "Between story steps 5 and 6");
  assert_says (step_of (run01, 1, HL_SIDE_SERVER, "ChangeCipherSpec")->story,
               "Between story steps 6 and 7");
  assert_says (step_of (run11, 2, HL_SIDE_SERVER, "ChangeCipherSpec")->story,
               "Right after the ServerHello");
  assert_says (step_of (run11, 2, HL_SIDE_CLIENT, "ChangeCipherSpec")->story,
               "After the server's Finished");

  /* 3. A resumed session's suite is not a choice. */
  assert_says (field_in (step_of (run11, 2, HL_SIDE_SERVER, "ServerHello")->fields, "Cipher suite")
                   ->explanation,
               "The suite of the session being resumed");
  assert_says (field_in (step_of (run11, 1, HL_SIDE_SERVER, "ServerHello")->fields, "Cipher suite")
                   ->explanation,
               "The server's choice");

  /* 4, 6. TLS 1.0's Finished hashes with MD5 and SHA-1 (RFC 2246 7.4.9); ranges include both
   * ends ([0..11] is 12 bytes). */
  {
    const HlStep *fin = step_of (run07, 1, HL_SIDE_CLIENT, "Finished");
    assert_says (field_in (fin->fields, "Verify data")->explanation,
                 "MD5(handshake_messages) + SHA-1(handshake_messages))[0..11]");
    assert_says (fin->check, "MD5 + SHA-1");
    assert_says (
        hl_secret_formula_in (HL_SECRET_CLIENT_VERIFY_DATA, hl_run_get_connection (run07, 0)),
        "MD5(handshake_messages)");
    assert_says (hl_secret_formula_in (HL_SECRET_MASTER, hl_run_get_connection (run01, 0)),
                 "[0..47]");
    assert_not_says (hl_secret_formula_in (HL_SECRET_MASTER, hl_run_get_connection (run01, 0)),
                     "[0..48]");
    assert_says (field_in (step_of (run01, 1, HL_SIDE_CLIENT, "Finished")->fields, "Verify data")
                     ->explanation,
                 "[0..11]");
  }

  /* 5. BearSSL's SENDAPP comes once its own Finished is made, perhaps still queued. */
  for (guint i = 0; i < n_flags; i++)
    if (strcmp (flags[i].flag, "SENDAPP") == 0) {
      assert_says (flags[i].meaning, "its own Finished made, perhaps still queued");
      assert_not_says (flags[i].meaning, "the handshake is done");
    }

  /* 9. An AEAD suite has no MAC keys; a CBC record names its MAC key too. */
  assert_says (
      hl_secret_formula_in (HL_SECRET_CLIENT_WRITE_MAC_KEY, hl_run_get_connection (run02, 0)),
      "none in an AEAD suite");
  assert_not_says (
      hl_secret_formula_in (HL_SECRET_CLIENT_WRITE_MAC_KEY, hl_run_get_connection (run05, 0)),
      "none in an AEAD suite");
  {
    g_autofree char *md = hl_transcript_to_markdown (run05);
    assert_says (md, "`client_write_mac_key` authenticates it");
  }

  /* 10. RFC 5246 names no alert for a certificate of another host. */
  assert_says (hl_run_get_connection (run16, 0)->explanation[HL_SIDE_CLIENT],
               "RFC 5246 names no alert for this case");

  /* 7. TLS 1.2's supported_groups also limits the certificate's EC key (RFC 8422 5.1.1, 5.3);
   * 8. compression is off by advice (RFC 7525 3.3) and gone only in TLS 1.3. */
  {
    const HlField *groups = field_in (hello02->fields, "supported_groups");
    g_assert_nonnull (groups);
    assert_says (groups->explanation, "for the EC key in the server's certificate");
    assert_says (field_in (hello02->fields, "Compression methods")->explanation, "RFC 7525 3.3");
    assert_not_says (field_in (hello02->fields, "Compression methods")->explanation, "is gone");
  }

  /* Traffic secret 0 comes from the key schedule (RFC 8446 7.1), later ones from KeyUpdate
   * (7.2). */
  {
    g_autoptr (HlScenario) s30 = NULL, s39 = NULL;
    g_autoptr (HlRun) run30 = run_lesson ("30-tls13-basic.scenario", &s30);
    g_autoptr (HlRun) run39 = run_lesson ("39-tls13-key-update.scenario", &s39);
    gboolean saw_update = FALSE;
    assert_says (step_of (run30, 1, HL_SIDE_CLIENT, "ApplicationData")->story, "RFC 8446 7.1");
    for (guint i = 0; i < hl_run_get_n_steps (run39); i++) {
      const HlStep *st = hl_run_get_step (run39, i);
      if (strcmp (st->message, "ApplicationData") != 0 || st->key != HL_RECORD_KEY_APPLICATION)
        continue;
      assert_says (st->story, st->key_generation ? "RFC 8446 7.2" : "RFC 8446 7.1");
      saw_update |= st->key_generation > 0;
    }
    g_assert_true (saw_update);
  }

  /* A receiver that stops on a record rejected it; one that stopped earlier never read it. */
  {
    g_autoptr (HlScenario) s19 = NULL;
    g_autoptr (HlRun) run19 = run_lesson ("19-no-common-version.scenario", &s19);
    const HlStep *alert = step_of (run19, 1, HL_SIDE_SERVER, "Alert");
    g_autofree char *md19 = hl_transcript_to_markdown (run19);
    g_autofree char *md14 = hl_transcript_to_markdown (run14);
    g_assert_true (alert->rejected);
    assert_says (md19, "The client rejected this record and stopped");
    assert_not_says (md19, "The client had already stopped");
    assert_says (md14, "The client had already stopped and did not read it.");
  }

  /* An alert's level: TLS 1.3 lets the receiver ignore it (RFC 8446 6). */
  {
    g_autoptr (GPtrArray) fields = hl_decode_alert ((const guint8 *)"\x02\x2a", 2);
    assert_says (field_in (fields, "Level")->explanation, "RFC 8446 6");
  }

  /* 11. A self-issued certificate's Issuer is its own Subject, not "the CA". */
  {
    const HlField *issuer
        = field_in (step_of (run14, 1, HL_SIDE_SERVER, "Certificate")->fields, "Issuer");
    assert_says (issuer->explanation, "self-issued");
    assert_says (
        field_in (step_of (run01, 1, HL_SIDE_SERVER, "Certificate")->fields, "Issuer")->explanation,
        "The CA that signed");
  }
}

/* Seventh reading: what the ServerKeyExchange signature covers (RFC 8422 5.4: the two randoms
 * and the server's ECDH parameters, nothing else), and Finished's condition (RFC 5246 F.1.3). */
static void
test_seventh_reading (void)
{
  g_autoptr (HlScenario) s21 = hl_test_load_bundled ("21-fault-flipped-client-random.scenario");
  g_autoptr (HlScenario) s24 = hl_test_load_bundled ("24-fault-tampered-client-hello.scenario");
  assert_not_says (s21->description, "the whole key exchange");
  assert_says (s21->description, "binds the server's key share to both randoms");
  assert_says (s21->description, "only the Finished messages protect");
  assert_says (s24->description, "as long as the attacker cannot compute the master secret");
}

/* Seventh reading, lesson 10: only the leaf's key is proved in the handshake; the CA names of a
 * CertificateRequest need one certificate of the chain issued by them (RFC 5246 7.4.2, 7.4.6). */
static void
test_chain_keys_and_ca_names (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("10-mutual-tls.scenario", &s);
  for (int side = 0; side < 2; side++) {
    const HlStep *st = step_of (run, 1, side, "Certificate");
    const HlField *leaf = field_in (st->fields, "Certificate 1 (leaf)");
    const HlField *ca = field_in (st->fields, "Certificate 2");
    g_assert_nonnull (leaf);
    g_assert_nonnull (ca);
    assert_says (field_in (leaf->children, "Public key")->explanation, "proves it owns");
    assert_says (field_in (ca->children, "Public key")->explanation, "The CA's key");
    assert_not_says (field_in (ca->children, "Public key")->explanation, "proves it owns");
  }
  {
    const HlStep *cr = step_of (run, 1, HL_SIDE_SERVER, "CertificateRequest");
    const char *names = field_in (cr->fields, "Distinguished names")->explanation;
    assert_not_says (names, "picks a certificate from one of them");
    assert_says (names, "one certificate in the client's chain should be issued by one of them");
  }
}

/* Seventh reading, lesson 11: a resumed ServerHello picks nothing (RFC 5246 7.4.1.3). */
static void
test_resumed_server_hello_summary (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("11-session-resumption.scenario", &s);
  const HlStep *full = step_of (run, 1, HL_SIDE_SERVER, "ServerHello");
  const HlStep *resumed = step_of (run, 2, HL_SIDE_SERVER, "ServerHello");
  g_assert_true (hl_run_get_connection (run, 1)->resumed);
  assert_says (full->summary, "The server picks the version and cipher suite.");
  assert_not_says (resumed->summary, "picks");
  assert_says (resumed->summary,
               "accepts to resume the offered session and keeps its cipher suite");
}

/* The explanation of the list entry whose value starts with prefix, at any depth. */
static const char *
explain_entry (const GPtrArray *fields, const char *prefix)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    const char *c;
    if (f->value && g_str_has_prefix (f->value, prefix))
      return f->explanation;
    if ((c = explain_entry (f->children, prefix)))
      return c;
  }
  return NULL;
}

/* Eighth reading: a hello that offers only TLS 1.3 can never use its TLS 1.2 extensions (RFC
 * 8446 4.2.1); MD5 and SHA-224 codes are reserved in TLS 1.3 (B.3.1.3); a server picks ALPN by
 * its own preference (RFC 7301 3.2), which BearSSL does. */
static void
test_eighth_reading (void)
{
  g_autoptr (HlScenario) s30 = NULL, s35 = NULL, s38 = NULL, s12 = NULL;
  g_autoptr (HlRun) run30 = run_lesson ("30-tls13-basic.scenario", &s30);
  g_autoptr (HlRun) run35 = run_lesson ("35-tls13-mutual.scenario", &s35);
  g_autoptr (HlRun) run38 = run_lesson ("38-tls13-client-vs-tls12-server.scenario", &s38);
  const HlStep *ch30 = step_of (run30, 1, HL_SIDE_CLIENT, "ClientHello");
  const HlStep *ch38 = step_of (run38, 1, HL_SIDE_CLIENT, "ClientHello");
  const HlStep *cr35 = step_of (run35, 1, HL_SIDE_SERVER, "CertificateRequest");
  const char *names[] = { "extended_master_secret", "encrypt_then_mac" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    assert_says (field_in (ch30->fields, names[i])->explanation, "so it cannot apply here");
  assert_not_says (field_in (ch38->fields, "extended_master_secret")->explanation,
                   "cannot apply here");
  assert_says (field_in (ch38->fields, "extended_master_secret")->explanation,
               "in case the server chooses");
  /* Lesson 38 offers TLS 1.2 but no CBC suite: encrypt-then-MAC cannot apply (RFC 7366 3,
   * twelfth reading). */
  assert_says (field_in (ch38->fields, "encrypt_then_mac")->explanation,
               "This hello offers no CBC suite, so it cannot apply here.");
  assert_says (field_in (ch30->fields, "session_ticket")->explanation, "so none can come");
  assert_not_says (field_in (ch38->fields, "session_ticket")->explanation, "none can come");
  assert_says (explain_entry (cr35->fields, "rsa_pkcs1_sha224"), "not even for certificates");
  assert_says (explain_entry (cr35->fields, "rsa_pkcs1_sha256"),
               "only for signatures inside certificates");
  {
    g_autoptr (HlRun) plain = run_lesson ("12-sni-and-alpn.scenario", &s12);
    assert_says (s12->description, "Put h2 first in the server's ALPN");
    g_assert_cmpstr (hl_run_get_connection (plain, 0)->alpn, ==, "http/1.1");
    for (guint first = 0; first < 2; first++) {
      g_autoptr (HlScenario) s = hl_test_load_bundled ("12-sni-and-alpn.scenario");
      g_autoptr (HlRun) run = NULL;
      g_ptr_array_set_size (s->server.alpn, 0);
      g_ptr_array_add (s->server.alpn, g_strdup (first ? "h2" : "http/1.1"));
      g_ptr_array_add (s->server.alpn, g_strdup (first ? "http/1.1" : "h2"));
      run = hl_test_run (s);
      g_assert_cmpstr (hl_run_get_connection (run, 0)->alpn, ==, first ? "h2" : "http/1.1");
    }
  }
}

/* Handshake bytes of connection 1 before step number `before`, the first ClientHello counted
 * as a 36-byte message_hash message when it is followed by a HelloRetryRequest (RFC 8446
 * 4.4.1, SHA-256 suites). */
static gsize
transcript_before (HlRun *run, guint before, gboolean *retried)
{
  gsize n = 0;
  *retried = FALSE;
  for (guint i = 0; i + 1 < before; i++) {
    const HlStep *st = hl_run_get_step (run, i);
    GBytes *b = st->encrypted ? st->plaintext : st->wire;
    if (strcmp (st->message, "HelloRetryRequest") == 0)
      *retried = TRUE;
    if (st->content_type == 22 && b && st->connection == 1)
      n += g_bytes_get_size (b);
  }
  if (*retried)
    n = n - g_bytes_get_size (step_of (run, 1, HL_SIDE_CLIENT, "ClientHello")->wire) + 36;
  return n;
}

/* Ninth reading: after a HelloRetryRequest, CertificateVerify and Finished hash a transcript in
 * which the first ClientHello is a message_hash message, and the checks count that transcript
 * (RFC 8446 4.4.1); reserved signature codes in a TLS 1.3 message (Appendix B); OpenSSL's
 * "early data" state is a client's too. */
static void
test_ninth_reading (void)
{
  const char *retry[] = { "32-tls13-hello-retry.scenario", "41-tls13-hello-retry-cookie.scenario" };
  for (guint k = 0; k < G_N_ELEMENTS (retry); k++) {
    g_autoptr (HlScenario) s = NULL;
    g_autoptr (HlRun) run = run_lesson (retry[k], &s);
    const HlStep *cv = step_of (run, 1, HL_SIDE_SERVER, "CertificateVerify");
    const HlStep *fin[2] = { step_of (run, 1, HL_SIDE_SERVER, "Finished"),
                             step_of (run, 1, HL_SIDE_CLIENT, "Finished") };
    gboolean retried;
    gsize n = transcript_before (run, cv->index, &retried);
    g_autofree char *cv_words = g_strdup_printf (
        "of its transcript up to and including the Certificate, %zu bytes, in which the first "
        "ClientHello is only a message_hash message",
        n);
    g_assert_true (retried);
    assert_says (cv->check, cv_words);
    assert_not_says (cv->check, "handshake bytes it saw");
    for (guint f = 0; f < 2; f++) {
      g_autofree char *words = NULL;
      n = transcript_before (run, fin[f]->index, &retried);
      words = g_strdup_printf ("Hash(its transcript before this message, %zu bytes, in which the "
                               "first ClientHello is only a message_hash message",
                               n);
      assert_says (fin[f]->check, words);
    }
  }
  {
    g_autoptr (HlScenario) s35 = NULL, s02 = NULL, s34 = NULL;
    g_autoptr (HlRun) run35 = run_lesson ("35-tls13-mutual.scenario", &s35);
    g_autoptr (HlRun) run02 = run_lesson ("02-ecdhe-rsa-aes-gcm.scenario", &s02);
    g_autoptr (HlRun) run34 = run_lesson ("34-tls13-early-data.scenario", &s34);
    const HlStep *cr35 = step_of (run35, 1, HL_SIDE_SERVER, "CertificateRequest");
    const char *in13 = explain_entry (cr35->fields, "rsa_pkcs1_sha224");
    const char *in12 = explain_entry (step_of (run02, 1, HL_SIDE_CLIENT, "ClientHello")->fields,
                                      "rsa_pkcs1_sha224");
    g_autofree char *legend = hl_transcript_to_text (run34);
    g_autofree char *state = hl_describe_engine_state ("OpenSSL: TLSv1.3 early data");
    assert_says (in13,
                 "its implementations must not send it (Appendix B); this sender lists it anyway");
    if (in12) /* a TLS 1.2 hello may offer it */
      assert_not_says (in12, "this sender lists it anyway");
    assert_says (legend, "or a client that has sent 0-RTT data and not yet finished");
    assert_says (state, "or a client that has sent 0-RTT data");
  }
  {
    /* Lesson 43's server declines 0-RTT yet sends single-use tickets (tenth reading). */
    g_autoptr (HlScenario) s43 = NULL;
    g_autoptr (HlRun) run43 = run_lesson ("43-tls13-early-data-rejected.scenario", &s43);
    const HlField *ticket
        = field_in (step_of (run43, 1, HL_SIDE_SERVER, "NewSessionTicket")->fields, "Ticket");
    assert_says (ticket->explanation, "when it is set up to allow 0-RTT, even on a connection "
                                      "where it then declines the early data");
  }
}

/* Tenth reading: OpenSSL's real state names; a HelloRetryRequest costs a second round trip
 * (RFC 8446 2.1) and the first share is only a guess; a record that fails its AEAD tag is
 * never read (RFC 8446 5.2). */
static void
test_tenth_reading (void)
{
  g_autoptr (HlScenario) s30 = NULL, s32 = NULL, s36b = NULL;
  g_autoptr (HlRun) run30 = run_lesson ("30-tls13-basic.scenario", &s30);
  g_autoptr (HlRun) run32 = run_lesson ("32-tls13-hello-retry.scenario", &s32);
  g_autoptr (HlRun) run36b = run_lesson ("36b-tls13-flipped-record.scenario", &s36b);
  g_autofree char *md = hl_transcript_to_markdown (run30);
  const HlStep *ch32 = step_of (run32, 1, HL_SIDE_CLIENT, "ClientHello");
  const HlStep *cv = step_of (run36b, 1, HL_SIDE_SERVER, "CertificateVerify");
  assert_says (md, "\"SSLv3/TLS read server hello\"");
  /* Fourteenth reading: a side's whole flight is written at once (RFC 8446 4.4.4). */
  assert_says (md, "a side writes a whole flight at once, so the secrets of its Finished can "
                   "appear before the other messages of that flight are shown");
  {
    /* ...and says where its records differ from BearSSL's own (RFC 5246 6.2.1). */
    g_autoptr (HlScenario) s01 = NULL;
    g_autoptr (HlRun) run01 = run_lesson ("01-rsa-key-exchange.scenario", &s01);
    g_autofree char *md01 = hl_transcript_to_markdown (run01);
    assert_says (md01, "BearSSL packs the handshake messages it writes together into as few "
                       "records as it can; the lab frames each message in a record of its own");
    assert_not_says (md, "BearSSL packs"); /* lesson 30 has no BearSSL side */
  }
  assert_not_says (md, "TLSv1.3 read server hello");
  assert_says (step_of (run32, 1, HL_SIDE_CLIENT, "Finished")->story, "two round trips in all");
  assert_says (step_of (run30, 1, HL_SIDE_CLIENT, "Finished")->story, "one round trip in all");
  assert_says (ch32->story, "a right guess puts the key exchange of story step 4 here");
  assert_says (field_in (ch32->fields, "Key share")->explanation,
               "a right guess is what saves TLS 1.3 a round trip, a wrong one costs a "
               "HelloRetryRequest");
  assert_says (cv->check, "The AEAD tag check of this record fails (RFC 8446 5.2)");
  assert_not_says (cv->check, "What was signed");
  /* Thirteenth reading: Derive-Secret hashes the messages itself (RFC 8446 7.1). */
  for (HlSecretId id = 0; id < HL_N_SECRETS; id++)
    assert_not_says (hl_secret_formula (id), "Hash(CH");
  assert_says (hl_secret_formula (HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC),
               "\"c hs traffic\", ClientHello...ServerHello)");
  {
    /* Lesson 19's 0x0000 record version comes from where BearSSL refuses, not from "no
     * version agreed": lesson 18 agreed none either, and its alert says 0x0303. */
    g_autoptr (HlScenario) s18 = NULL, s19 = NULL;
    g_autoptr (HlRun) run18 = run_lesson ("18-no-common-suite.scenario", &s18);
    g_autoptr (HlRun) run19 = run_lesson ("19-no-common-version.scenario", &s19);
    const guint8 *r18
        = g_bytes_get_data (step_of (run18, 1, HL_SIDE_SERVER, "Alert")->record_wire, NULL);
    const guint8 *r19
        = g_bytes_get_data (step_of (run19, 1, HL_SIDE_SERVER, "Alert")->record_wire, NULL);
    g_assert_cmpuint (hl_run_get_connection (run18, 0)->version, ==, 0);
    g_assert_cmpuint (r18[1] << 8 | r18[2], ==, 0x0303);
    g_assert_cmpuint (r19[1] << 8 | r19[2], ==, 0x0000);
    assert_not_says (s19->description, "Since no version was agreed");
    assert_says (s19->description, "BearSSL refuses at its version check");
  }
  {
    /* Twelfth reading: the sentinel is not random (RFC 8446 4.1.3). */
    g_autoptr (HlScenario) s40 = NULL;
    g_autoptr (HlRun) run40 = run_lesson ("40-tls13-downgrade-caught.scenario", &s40);
    const HlStep *sh = step_of (run40, 1, HL_SIDE_SERVER, "ServerHello");
    g_assert_nonnull (field_in (sh->fields, "Downgrade sentinel"));
    assert_says (field_in (sh->fields, "random_bytes")->explanation,
                 "20 from the sender's random generator, then the 8-byte downgrade sentinel");
  }
  {
    /* An OpenSSL side holds its own ECDH share from the step it sends it on, not from
     * when the peer reads it: it made the share before the master secret (RFC 8422 5.10). */
    g_autoptr (HlScenario) s38 = NULL, s40 = NULL;
    g_autoptr (HlRun) run38 = run_lesson ("38-tls13-client-vs-tls12-server.scenario", &s38);
    g_autoptr (HlRun) run40 = run_lesson ("40-tls13-downgrade-caught.scenario", &s40);
    guint share = learned (run38, 1, HL_SIDE_CLIENT, "client_ecdh_public_key");
    g_assert_cmpuint (share, >, 0);
    g_assert_cmpuint (share, <=, learned (run38, 1, HL_SIDE_CLIENT, "master_secret"));
    g_assert_cmpuint (learned (run40, 1, HL_SIDE_SERVER, "server_ecdh_public_key"), ==, 1);
  }
}

/* Fifteenth reading (session 15): a section number, a formula, who picks a number, and a
 * limit stated as the lab's, not as TLS's. */
static void
test_fifteenth_reading (void)
{
  g_autoptr (HlScenario) s30 = NULL, s33 = NULL, s34 = NULL, s11 = NULL;
  g_autoptr (HlRun) run30 = run_lesson ("30-tls13-basic.scenario", &s30);
  g_autoptr (HlRun) run33 = run_lesson ("33-tls13-psk-resumption.scenario", &s33);
  g_autoptr (HlRun) run34 = run_lesson ("34-tls13-early-data.scenario", &s34);
  g_autoptr (HlRun) run11 = run_lesson ("11-session-resumption.scenario", &s11);
  g_autoptr (GError) error = NULL;
  const HlStep *nst = step_of (run30, 1, HL_SIDE_SERVER, "NewSessionTicket");
  /* RFC 8446 4.6.1: the server generates ticket_age_add for each ticket. */
  assert_says (field_in (nst->fields, "Ticket age add")->explanation,
               "A random number the server picks for this ticket; the client adds it");
  /* RFC 8446 4.6.1: the PSK's HKDF-Expand-Label has a length, Hash.length. */
  assert_says (s33->description,
               "HKDF-Expand-Label(resumption_master_secret, \"resumption\", nonce, Hash.length)");
  {
    /* 0-RTT data is not forward secret: RFC 8446 2.3 and E.1.3; E.5 is about replay. */
    g_autoptr (HlComparison) cmp = hl_comparison_new (run34, 0, run11, 0, &error);
    g_auto (GStrv) figures = NULL;
    g_autofree char *all = NULL;
    g_assert_no_error (error);
    figures = hl_comparison_get_figures (cmp, 0);
    all = g_strjoinv ("\n", figures);
    assert_says (all, "whoever learns the PSK reads it (RFC 8446 2.3, E.1.3)");
    assert_not_says (all, "E.5");
  }
  {
    /* RFC 5246 6.2.1, RFC 8446 5.1: an empty record is allowed for application data. */
    g_autoptr (HlScenario) s01 = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
    g_autoptr (HlRun) run = hl_run_new (s01);
    g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
    HlNextMessage next;
    while (hl_run_peek_next (run, &next) && !next.encrypted)
      hl_run_step (run);
    g_assert_true (next.encrypted);
    g_assert_false (hl_run_tamper_next_plaintext (run, empty, &error));
    g_assert_nonnull (error);
    assert_says (error->message, "the lab seals 1 to 16384 bytes of plaintext in a record, not 0");
    assert_says (error->message, "an empty record only for application data");
  }
  {
    /* Lesson 01 tells the nine-step story from the messages it delivers, and says how many
     * (a handout put "nine steps" beside "13 steps" with nothing between). */
    g_autoptr (HlScenario) s01 = NULL;
    g_autoptr (HlRun) run01 = run_lesson ("01-rsa-key-exchange.scenario", &s01);
    g_autofree char *count
        = g_strdup_printf ("here as the %u messages that carry it", hl_run_get_n_steps (run01));
    assert_says (s01->description, count);
  }
  {
    /* BearSSL's BR_ERR_INVALID_ALGORITHM also covers an ECDHE curve (bearssl_ssl.h). */
    g_autofree char *why = hl_error_explain (BR_ERR_INVALID_ALGORITHM);
    assert_says (why, "an ECDHE curve, a signature algorithm or a hash function");
  }
}

/* Sixteenth reading (session 16): BearSSL's BR_ERR_BAD_PARAM is how its parser reports a
 * length that does not fit (ssl_hs_common.t0), not an internal error; the session hash's
 * extent is RFC 7627 section 3; a TLS 1.0 lesson's discussion cites RFC 2246, and an ECDHE
 * signature RFC 8422 5.4 too. */
static void
test_sixteenth_reading (void)
{
  g_autoptr (HlScenario) s40 = NULL, s07 = NULL;
  g_autoptr (HlRun) run40 = run_lesson ("40-tls13-downgrade-caught.scenario", &s40);
  g_autoptr (HlRun) run07 = run_lesson ("07-tls10-cbc.scenario", &s07);
  g_autoptr (GPtrArray) items = hl_discussion_new (run07);
  g_autofree char *why = hl_error_explain (BR_ERR_BAD_PARAM);
  guint seen = 0;
  assert_says (why, "A length in the message does not fit");
  assert_not_says (why, "internal error");
  assert_says (
      field_in (step_of (run40, 1, HL_SIDE_CLIENT, "ClientHello")->fields, "Random")->explanation,
      "both hellos included (RFC 7627 3, 4)");
  for (guint i = 0; i < items->len; i++) {
    const HlDiscussion *d = g_ptr_array_index (items, i);
    g_test_message ("07: %s", d->answer);
    assert_not_says (d->answer, "RFC 5246");
    if (d->kind == HL_DISCUSS_CHANGED_RANDOM) {
      assert_says (d->answer, "(RFC 2246 section 7.4.3, RFC 8422 section 5.4)");
      assert_says (d->answer, "an RFC 2246 client would have sent decrypt_error (51)");
      seen++;
    } else if (d->kind == HL_DISCUSS_OBSERVER) {
      assert_says (d->answer, "(RFC 2246 section F.1.1.3)");
      seen++;
    }
  }
  g_assert_cmpuint (seen, ==, 2);
  {
    /* TLS 1.0 had decryption_failed for bad CBC padding (RFC 2246 7.2.2); BearSSL's
     * BR_ERR_BAD_MAC does not say whether the padding or the MAC failed. */
    g_autoptr (HlRun) run = hl_run_new (s07);
    HlNextMessage next;
    gsize len;
    guint8 *copy;
    g_autoptr (GBytes) changed = NULL;
    while (hl_run_peek_next (run, &next) && !next.encrypted)
      hl_run_step (run);
    g_assert_true (next.encrypted);
    copy = g_bytes_unref_to_data (g_bytes_ref (next.wire), &len);
    copy[len - 1] ^= 0x01;
    changed = g_bytes_new_take (copy, len);
    hl_run_tamper_next (run, changed);
    hl_run_run_to_end (run);
    g_assert_cmpint (hl_run_get_connection (run, 0)->error[hl_side_other (next.from)], ==,
                     BR_ERR_BAD_MAC);
    assert_says (hl_run_get_connection (run, 0)->explanation[hl_side_other (next.from)],
                 "an RFC 2246 server would have sent bad_record_mac (20), or decryption_failed "
                 "(21) if it was the padding that failed");
  }
}

/* Seventeenth reading: alerts RFC 8446, 6066 and 6101 define are named; a static ECDH
 * observer needs 8.1, not an appendix about DH that says nothing of forward secrecy; the
 * compare view cites F.1.1.2 for what forward secrecy is recommended by. */
static void
test_seventeenth_reading (void)
{
  static const struct {
    guint code;
    const char *name;
  } alerts[] = {
    { 41, "no_certificate" },
    { 60, "export_restriction" },
    { 109, "missing_extension" },
    { 111, "certificate_unobtainable" },
    { 113, "bad_certificate_status_response" },
    { 114, "bad_certificate_hash_value" },
    { 115, "unknown_psk_identity" },
    { 116, "certificate_required" },
  };
  g_autofree char *path35 = hl_test_source_path ("scenarios/35-tls13-mutual.scenario");
  g_autofree char *text35 = NULL;
  g_autoptr (GString) no_cert = NULL;
  g_autofree char *case35 = NULL;
  g_autoptr (HlScenario) s35 = NULL;
  g_autoptr (HlRun) run35 = NULL;
  g_autoptr (HlScenario) s06 = NULL;
  g_autoptr (HlRun) run06 = run_lesson ("06-static-ecdh.scenario", &s06);
  g_autoptr (GPtrArray) items = hl_discussion_new (run06);
  g_autoptr (GError) error = NULL;
  guint seen = 0;
  for (guint i = 0; i < G_N_ELEMENTS (alerts); i++)
    g_assert_cmpstr (hl_alert_name (alerts[i].code), ==, alerts[i].name);
  /* Lesson 35 with the client's certificate taken out: OpenSSL's server asks for one, gets
   * none and says so with certificate_required (RFC 8446 4.4.2.4). */
  g_assert_true (g_file_get_contents (path35, &text35, NULL, NULL));
  no_cert = g_string_new (text35);
  g_assert_cmpint (
      g_string_replace (no_cert, "CertificateChain=../assets/pki/client-chain.pem\n", "", 1), ==,
      1);
  g_assert_cmpint (g_string_replace (no_cert, "PrivateKey=../assets/pki/client.key\n", "", 1), ==,
                   1);
  g_string_replace (no_cert, "../assets/", "assets/", 0);
  case35 = hl_test_write_scenario (no_cert->str);
  s35 = hl_scenario_load (case35, &error);
  g_assert_no_error (error);
  run35 = hl_test_run (s35);
  assert_says (field_in (step_of (run35, 1, HL_SIDE_SERVER, "Alert")->fields, "Description")->value,
               "certificate_required (116)");
  for (guint i = 0; i < items->len; i++) {
    const HlDiscussion *d = g_ptr_array_index (items, i);
    if (d->kind != HL_DISCUSS_OBSERVER)
      continue;
    g_test_message ("06: %s", d->answer);
    assert_says (d->answer, "the observer derives the master secret and every key (RFC 5246 "
                            "section 8.1)");
    assert_not_says (d->answer, "F.1.1.3");
    seen++;
  }
  g_assert_cmpuint (seen, ==, 1);
  assert_says (hl_later_reader_describe (HL_LATER_KEY_OPENS),
               "with static ECDH it is the server's ECDH key, RFC 4492 2.1");
  assert_says (hl_later_reader_describe (HL_LATER_FORWARD_SECRET),
               "for which RFC 5246 F.1.1.2 recommends ephemeral Diffie-Hellman");
  assert_not_says (hl_later_reader_describe (HL_LATER_FORWARD_SECRET), "forward secrecy, RFC");
}

/* A changed field's arrow says what was delivered, not only what was sent (a user's trial:
 * the ServerHello's cipher suite changed to AES-256, the ladder read AES-128 alone). */
static void
test_changed_field_label (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) run = hl_run_new (s);
  HlNextMessage next;
  gsize len;
  guint8 *copy;
  HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };
  g_autoptr (HlLadderLayout) l = NULL;
  const HlField *suite;
  GString *labels = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autoptr (HlRun) plain = hl_test_run (s);
  suite = field_in (step_of (plain, 1, HL_SIDE_SERVER, "ServerHello")->fields, "Cipher suite");
  g_assert_nonnull (suite);
  hl_run_step (run);
  g_assert_true (hl_run_peek_next (run, &next));
  g_assert_cmpstr (next.message, ==, "ServerHello");
  copy = g_bytes_unref_to_data (g_bytes_ref (next.wire), &len);
  copy[suite->offset + 1] = 0x9d; /* TLS_RSA_WITH_AES_256_GCM_SHA384 */
  hl_run_tamper_next (run, g_bytes_new_take (copy, len));
  hl_run_run_to_end (run);
  l = hl_ladder_layout_new (run, &o);
  for (guint i = 0; i < hl_ladder_layout_get_n_texts (l); i++) {
    const HlLadderText *t = hl_ladder_layout_get_text (l, i);
    g_string_append_printf (labels, "%s\n", pango_layout_get_text (t->layout));
  }
  g_string_replace (labels, "\u200b", "", 0); /* the break chances after underscores */
  text = g_string_free (labels, FALSE);
  assert_says (text, "in Cipher suite: delivered as TLS_RSA_WITH_AES_256_GCM_SHA384 (0x009d)");
}

/* Lesson 01, step 1: the server already lists its random (BearSSL chose it reading the
 * ClientHello); the ladder says why, before any ServerHello exists (a user's trial). */
static void
test_server_random_chosen_now (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("01-rsa-key-exchange.scenario", &s);
  const HlStep *ch = step_of (run, 1, HL_SIDE_CLIENT, "ClientHello");
  g_autofree char *server = hl_ladder_describe_learned (run, ch, HL_SIDE_SERVER, NULL);
  g_autofree char *client = hl_ladder_describe_learned (run, ch, HL_SIDE_CLIENT, NULL);
  assert_says (server, "+ Server random");
  assert_says (server, "(chosen now, as it reads the ClientHello: its ServerHello will carry it)");
  assert_not_says (client, "chosen now");
  {
    /* TLS 1.3: the server's whole reply is computed at once, and said so once. */
    g_autoptr (HlScenario) s30 = NULL;
    g_autoptr (HlRun) run30 = run_lesson ("30-tls13-basic.scenario", &s30);
    g_autofree char *all = hl_ladder_describe_learned (
        run30, step_of (run30, 1, HL_SIDE_CLIENT, "ClientHello"), HL_SIDE_SERVER, NULL);
    assert_says (all, "(its whole reply, Finished included, is computed now)");
    assert_not_says (all, "chosen now");
  }
}

/* A capture's TLS 1.2 NewSessionTicket carries a lifetime hint, not a lifetime: its arrow
 * read "valid ? s" (a teacher's trial with an OpenSSL server). */
static void
test_tls12_ticket_label (void)
{
  static const guint8 nst[] = { 4, 0, 0, 9, 0, 0, 0x1c, 0x20, 0, 3, 0xaa, 0xbb, 0xcc };
  HlDecodeContext ctx = { 0x0303, 0xc02f, TRUE, 0, FALSE };
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("02-ecdhe-rsa-aes-gcm.scenario", &s);
  HlStep st = *hl_run_get_step (run, 0);
  g_autofree char *label = NULL;
  st.content_type = HL_CONTENT_HANDSHAKE;
  st.handshake_type = HL_HANDSHAKE_NEW_SESSION_TICKET;
  st.message = (char *)"NewSessionTicket";
  st.fields = hl_decode_handshake (nst, sizeof nst, &ctx);
  label = hl_ladder_describe_step (run, &st);
  g_ptr_array_unref (st.fields);
  assert_says (label, "a 3-byte ticket, kept up to 7200 s (a hint)");
  assert_not_says (label, "?");
}

/* Seventh reading, lesson 34: psk_dhe_ke keeps what follows the ServerHello from the PSK, not
 * the 0-RTT data sent before it (RFC 8446 2.3). */
static void
test_psk_dhe_ke_and_early_data (void)
{
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = run_lesson ("34-tls13-early-data.scenario", &s);
  const HlField *mode = field_in (step_of (run, 2, HL_SIDE_CLIENT, "ClientHello")->fields, "Mode");
  g_assert_nonnull (mode);
  g_assert_true (g_str_has_prefix (mode->value, "psk_dhe_ke"));
  assert_not_says (mode->explanation, "does not reveal a connection resumed this way");
  assert_says (mode->explanation, "does not reveal what follows the ServerHello");
  assert_says (mode->explanation, "0-RTT data, keyed from the PSK alone, stays exposed");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/teaching/01-hello-retry", test_hello_retry);
  g_test_add_func ("/teaching/02-key-update-generation", test_key_update_generation);
  g_test_add_func ("/teaching/record-keys", test_record_keys);
  g_test_add_func ("/teaching/record-key-shown", test_record_key_shown);
  g_test_add_func ("/teaching/03-first-connection-resumes-nothing",
                   test_first_connection_resumes_nothing);
  g_test_add_func ("/teaching/04-21-resumption", test_resumption);
  g_test_add_func ("/teaching/05-19-cbc-explicit-iv", test_cbc_explicit_iv);
  g_test_add_func ("/teaching/06-application-secrets-when", test_application_secrets_when);
  g_test_add_func ("/teaching/07-early-data-replay", test_early_data_replay);
  g_test_add_func ("/teaching/08-openssl-client-holds", test_openssl_client_holds);
  g_test_add_func ("/teaching/09-openssl-words", test_openssl_words);
  g_test_add_func ("/teaching/fallback-extensions", test_fallback_extensions);
  g_test_add_func ("/teaching/10-13-tls13-precise-words", test_tls13_precise_words);
  g_test_add_func ("/teaching/11-closure-alerts", test_closure_alerts);
  g_test_add_func ("/teaching/12-certificate-verify-covers-certificate",
                   test_certificate_verify_covers_certificate);
  g_test_add_func ("/teaching/14-signature-schemes", test_signature_schemes);
  g_test_add_func ("/teaching/15-23-server-key-exchange", test_server_key_exchange);
  g_test_add_func ("/teaching/16-plaintext-alert", test_plaintext_alert);
  g_test_add_func ("/teaching/second-reading", test_second_reading);
  g_test_add_func ("/teaching/random-names-version", test_random_names_version);
  g_test_add_func ("/teaching/tls13-reading", test_tls13_reading);
  g_test_add_func ("/teaching/fifteenth-reading", test_fifteenth_reading);
  g_test_add_func ("/teaching/sixteenth-reading", test_sixteenth_reading);
  g_test_add_func ("/teaching/seventeenth-reading", test_seventeenth_reading);
  g_test_add_func ("/teaching/changed-field-label", test_changed_field_label);
  g_test_add_func ("/teaching/server-random-chosen-now", test_server_random_chosen_now);
  g_test_add_func ("/teaching/tls12-ticket-label", test_tls12_ticket_label);
  g_test_add_func ("/teaching/third-reading", test_third_reading);
  g_test_add_func ("/teaching/17-knowledge-order", test_knowledge_order);
  g_test_add_func ("/teaching/18-client-key-exchange", test_client_key_exchange);
  g_test_add_func ("/teaching/20-tls10-signature-algorithms", test_tls10_signature_algorithms);
  g_test_add_func ("/teaching/22-ecdsa-certificate-signature", test_ecdsa_certificate_signature);
  g_test_add_func ("/teaching/24-certificate-request-schemes", test_certificate_request_schemes);
  g_test_add_func ("/teaching/25-alpn-alert-required", test_alpn_alert_required);
  g_test_add_func ("/teaching/26-no-answer-to-fatal-alert", test_no_answer_to_fatal_alert);
  g_test_add_func ("/teaching/seventh-reading", test_seventh_reading);
  g_test_add_func ("/teaching/seventh-reading-chain-keys", test_chain_keys_and_ca_names);
  g_test_add_func ("/teaching/seventh-reading-psk-dhe-ke", test_psk_dhe_ke_and_early_data);
  g_test_add_func ("/teaching/eighth-reading", test_eighth_reading);
  g_test_add_func ("/teaching/ninth-reading", test_ninth_reading);
  g_test_add_func ("/teaching/tenth-reading", test_tenth_reading);
  g_test_add_func ("/teaching/seventh-reading-resumed-server-hello",
                   test_resumed_server_hello_summary);
  g_test_add_func ("/teaching/window/state-line-says-it-once", test_state_line_says_it_once);
  g_test_add_func ("/teaching/window/export-error-words", test_export_error_words);
  return g_test_run ();
}
