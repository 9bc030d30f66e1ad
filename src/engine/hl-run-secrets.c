/* hl-run-secrets.c: The secrets of a handshake: their names, formulas and inputs,
 * the key block split, and what each side holds after each step. (TLS 1.3's key
 * schedule is computed in hl-run-tls13.c.)
 */
#include "hl-run-private.h"
#include "hl-ssl3.h"
#include "hl-i18n.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <string.h>

/* ---------- Secrets: names and formulas ---------- */

static const char *const no_inputs[] = { NULL };
static const char *const master_inputs[]
    = { "premaster_secret", "client_random", "server_random", NULL };
static const char *const ems_master_inputs[] = { "premaster_secret", NULL };
static const char *const key_block_inputs[]
    = { "master_secret", "server_random", "client_random", NULL };
static const char *const from_key_block[] = { "key_block", NULL };
static const char *const finished_inputs[] = { "master_secret", NULL };
static const char *const ecdh_public_inputs[] = { NULL };
static const char *const client_ecdh_public_inputs[] = { "client_ecdh_private_key", NULL };
static const char *const server_ecdh_public_inputs[] = { "server_ecdh_private_key", NULL };
static const char *const rsa_premaster_inputs[] = { NULL };
static const char *const ecdh_premaster_inputs[]
    = { "client_ecdh_private_key", "server_ecdh_public_key", NULL };
static const char *const shared_inputs[]
    = { "client_key_share_private", "server_key_share_private", NULL };
static const char *const early_inputs[] = { "psk", NULL };
static const char *const from_early[] = { "early_secret", NULL };
static const char *const early_traffic_inputs[] = { "early_secret", "client_random", NULL };
static const char *const handshake_inputs[] = { "early_secret", "shared_secret", NULL };
static const char *const hs_traffic_inputs[]
    = { "handshake_secret", "client_random", "server_random", NULL };
static const char *const from_chts[] = { "client_handshake_traffic_secret", NULL };
static const char *const from_shts[] = { "server_handshake_traffic_secret", NULL };
static const char *const master13_inputs[] = { "handshake_secret", NULL };
static const char *const from_master[] = { "master_secret", NULL };
static const char *const from_cats[] = { "client_application_traffic_secret_0", NULL };
static const char *const from_sats[] = { "server_application_traffic_secret_0", NULL };

static const struct {
  const char *key;
  const char *name;
  const char *formula;
  const char *const *inputs;
} secret_info[HL_N_SECRETS] = {
  { "client_random", "Client random",
    N_ ("32 bytes the client picked for this connection (ClientHello.random)"), no_inputs },
  { "server_random", "Server random",
    N_ ("32 bytes the server picked for this connection (ServerHello.random)"), no_inputs },
  { "session_id", "Session id", N_ ("chosen by the server; names the session for resumption"),
    no_inputs },
  { "premaster_secret", "Premaster secret",
    N_ ("RSA: 2 version bytes + 46 random bytes from the client, encrypted to the server's key; "
        "ECDH(E): the x coordinate of the shared point"),
    no_inputs },
  { "master_secret", "Master secret",
    N_ ("PRF(premaster_secret, \"master secret\", client_random + server_random)[0..47]"),
    master_inputs },
  { "key_block", "Key block",
    N_ ("PRF(master_secret, \"key expansion\", server_random + client_random)"), key_block_inputs },
  { "client_write_mac_key", "Client MAC key",
    N_ ("key_block, first part: HMAC key for records the client sends"), from_key_block },
  { "server_write_mac_key", "Server MAC key",
    N_ ("key_block: HMAC key for records the server sends"), from_key_block },
  { "client_write_key", "Client write key",
    N_ ("key_block: cipher key for records the client sends"), from_key_block },
  { "server_write_key", "Server write key",
    N_ ("key_block: cipher key for records the server sends"), from_key_block },
  { "client_write_iv", "Client IV",
    N_ ("key_block: fixed IV (AEAD) or first CBC IV (TLS 1.0) for the client"), from_key_block },
  { "server_write_iv", "Server IV",
    N_ ("key_block: fixed IV (AEAD) or first CBC IV (TLS 1.0) for the server"), from_key_block },
  { "client_verify_data", "Client verify_data",
    N_ ("PRF(master_secret, \"client finished\", Hash(handshake messages so far))[0..11]"),
    finished_inputs },
  { "server_verify_data", "Server verify_data",
    N_ ("PRF(master_secret, \"server finished\", Hash(handshake messages so far))[0..11]"),
    finished_inputs },
  { "client_ecdh_private_key", "Client ECDH secret",
    N_ ("the client's secret scalar c, fresh for this connection"), no_inputs },
  { "client_ecdh_public_key", "Client ECDH share",
    N_ ("c\u00b7G, c times the curve's base point G: sent in ClientKeyExchange"),
    ecdh_public_inputs },
  { "server_ecdh_private_key", "Server ECDH secret",
    N_ ("the server's secret scalar s (ECDHE: fresh for this connection; static ECDH: the "
        "certificate's private key)"),
    no_inputs },
  { "server_ecdh_public_key", "Server ECDH share",
    N_ ("s\u00b7G: sent in ServerKeyExchange (ECDHE) or inside the certificate (static ECDH); "
        "premaster_secret = the x coordinate of c\u00b7(s\u00b7G) = s\u00b7(c\u00b7G)"),
    ecdh_public_inputs },
  /* TLS 1.3: RFC 8446 section 7.1. Derive-Secret takes the messages and hashes them itself
   * (Transcript-Hash), so the formulas name the messages, not their hash. */
  { "client_key_share_private", "Client key share secret",
    N_ ("the client's secret for its key_share (X25519: a 32-byte string; NIST curves: a scalar "
        "c)"),
    no_inputs },
  { "server_key_share_private", "Server key share secret",
    N_ ("the server's secret for its key_share, fresh for this connection"), no_inputs },
  { "shared_secret", "(EC)DHE shared secret",
    N_ ("X25519(c, server share) = X25519(s, client share); NIST curves: the x coordinate of "
        "c\u00b7(s\u00b7G). Never sent: each side computes it from its secret and the other's "
        "share"),
    shared_inputs },
  { "psk", "Pre-shared key (resumption)",
    N_ ("HKDF-Expand-Label(resumption_master_secret of the earlier connection, \"resumption\", "
        "ticket_nonce, Hash.length): named by the ticket the client offers"),
    no_inputs },
  { "early_secret", "Early secret",
    N_ ("HKDF-Extract(salt 0, psk, or Hash.length zeros without one)"), early_inputs },
  { "binder_key", "Binder key",
    N_ ("Derive-Secret(early_secret, \"res binder\", \"\"): keys the PSK binder that proves the "
        "client holds the PSK"),
    from_early },
  { "client_early_traffic_secret", "Client early traffic secret",
    N_ ("Derive-Secret(early_secret, \"c e traffic\", ClientHello): protects 0-RTT data"),
    early_traffic_inputs },
  { "handshake_secret", "Handshake secret",
    N_ ("HKDF-Extract(Derive-Secret(early_secret, \"derived\", \"\"), shared_secret)"),
    handshake_inputs },
  { "client_handshake_traffic_secret", "Client handshake traffic secret",
    N_ ("Derive-Secret(handshake_secret, \"c hs traffic\", ClientHello...ServerHello)"),
    hs_traffic_inputs },
  { "server_handshake_traffic_secret", "Server handshake traffic secret",
    N_ ("Derive-Secret(handshake_secret, \"s hs traffic\", ClientHello...ServerHello)"),
    hs_traffic_inputs },
  { "client_handshake_key", "Client handshake key",
    N_ ("HKDF-Expand-Label(client_handshake_traffic_secret, \"key\", \"\", key length)"),
    from_chts },
  { "client_handshake_iv", "Client handshake IV",
    N_ ("HKDF-Expand-Label(client_handshake_traffic_secret, \"iv\", \"\", 12)"), from_chts },
  { "server_handshake_key", "Server handshake key",
    N_ ("HKDF-Expand-Label(server_handshake_traffic_secret, \"key\", \"\", key length): encrypts "
        "the server's handshake messages after ServerHello, EncryptedExtensions to its Finished "
        "(not the compatibility ChangeCipherSpec, nor what follows its Finished)"),
    from_shts },
  { "server_handshake_iv", "Server handshake IV",
    N_ ("HKDF-Expand-Label(server_handshake_traffic_secret, \"iv\", \"\", 12)"), from_shts },
  { "client_finished_key", "Client finished key",
    N_ ("HKDF-Expand-Label(client_handshake_traffic_secret, \"finished\", \"\", Hash.length)"),
    from_chts },
  { "server_finished_key", "Server finished key",
    N_ ("HKDF-Expand-Label(server_handshake_traffic_secret, \"finished\", \"\", Hash.length)"),
    from_shts },
  { "client_application_traffic_secret_0", "Client application traffic secret",
    N_ ("Derive-Secret(master_secret, \"c ap traffic\", ClientHello...server Finished)"),
    from_master },
  { "server_application_traffic_secret_0", "Server application traffic secret",
    N_ ("Derive-Secret(master_secret, \"s ap traffic\", ClientHello...server Finished)"),
    from_master },
  { "client_application_key", "Client application key",
    N_ ("HKDF-Expand-Label(client_application_traffic_secret_0, \"key\", \"\", key length)"),
    from_cats },
  { "client_application_iv", "Client application IV",
    N_ ("HKDF-Expand-Label(client_application_traffic_secret_0, \"iv\", \"\", 12)"), from_cats },
  { "server_application_key", "Server application key",
    N_ ("HKDF-Expand-Label(server_application_traffic_secret_0, \"key\", \"\", key length)"),
    from_sats },
  { "server_application_iv", "Server application IV",
    N_ ("HKDF-Expand-Label(server_application_traffic_secret_0, \"iv\", \"\", 12)"), from_sats },
  { "exporter_master_secret", "Exporter master secret",
    N_ ("Derive-Secret(master_secret, \"exp master\", ClientHello...server Finished)"),
    from_master },
  { "resumption_master_secret", "Resumption master secret",
    N_ ("Derive-Secret(master_secret, \"res master\", ClientHello...client Finished): each "
        "ticket's "
        "PSK comes from it"),
    from_master },
  { "client_application_traffic_secret_1", "Client application traffic secret 1",
    N_ ("HKDF-Expand-Label(client_application_traffic_secret_0, \"traffic upd\", \"\", "
        "Hash.length): the client's keys after its KeyUpdate"),
    from_cats },
  { "server_application_traffic_secret_1", "Server application traffic secret 1",
    N_ ("HKDF-Expand-Label(server_application_traffic_secret_0, \"traffic upd\", \"\", "
        "Hash.length): the server's keys after its KeyUpdate"),
    from_sats },
  { "early_exporter_master_secret", "Early exporter master secret",
    N_ ("Derive-Secret(early_secret, \"e exp master\", ClientHello): the key for exporting "
        "keying material before the handshake ends (RFC 8446 7.5); OpenSSL derives it when 0-RTT "
        "data is sent or accepted"),
    early_traffic_inputs },
};

/* Secrets both schedules have, whose recipe TLS 1.3 changed. */
static const struct {
  HlSecretId id;
  const char *formula;
  const char *const *inputs;
} tls13_recipes[] = {
  { HL_SECRET_MASTER,
    N_ ("HKDF-Extract(Derive-Secret(handshake_secret, \"derived\", \"\"), Hash.length zeros)"),
    master13_inputs },
  { HL_SECRET_CLIENT_VERIFY_DATA,
    N_ ("HMAC(client_finished_key, Hash(handshake messages before the client's Finished))"),
    from_chts },
  { HL_SECRET_SERVER_VERIFY_DATA,
    N_ ("HMAC(server_finished_key, Hash(handshake messages before the server's Finished))"),
    from_shts },
  { HL_SECRET_CLIENT_ECDH_PUBLIC,
    N_ ("the client's key_share in ClientHello: c\u00b7G (X25519: the u coordinate of c times the "
        "base point)"),
    ecdh_public_inputs },
  { HL_SECRET_SERVER_ECDH_PUBLIC,
    N_ ("the server's key_share in ServerHello: s\u00b7G; shared_secret = c\u00b7(s\u00b7G) = "
        "s\u00b7(c\u00b7G)"),
    ecdh_public_inputs },
};

/* What a TLS 1.0-1.2 recipe depends on: the key exchange, the curve, a resumption, and
 * whether the side is an OpenSSL library that shows only its key log. */
typedef struct {
  gboolean tls13;
  gboolean resumed;
  int kex;         /* HlKex; -1 not known */
  guint group;     /* named group of ECDH(E); 0 not known (static ECDH: a NIST curve) */
  gboolean keylog; /* an OpenSSL side of a TLS 1.2 connection */
  gboolean ems;    /* extended_master_secret negotiated (RFC 7627) */
  gboolean psk_ke; /* TLS 1.3 resumed with the PSK alone: no (EC)DHE (RFC 8446 4.2.9) */
  guint version;   /* the negotiated version; 0 not known */
  gboolean aead;   /* the suite is AEAD: its records carry a tag, no MAC */
  gboolean ssl3;   /* SSL 3.0 (a capture): MD5 and SHA-1 instead of the PRF (RFC 6101) */
} Recipe;

static gboolean
recipe_rsa (const Recipe *r)
{
  return r->kex == HL_KEX_RSA;
}

static gboolean
recipe_ecdh (const Recipe *r)
{
  return r->kex >= HL_KEX_ECDHE_RSA && r->kex <= HL_KEX_ECDH_ECDSA;
}

static gboolean
recipe_static (const Recipe *r)
{
  return r->kex == HL_KEX_ECDH_RSA || r->kex == HL_KEX_ECDH_ECDSA;
}

/* The recipe of a secret in this connection, and its inputs; NULL: the general one. */
static const char *
recipe_for (HlSecretId id, const Recipe *r, const char *const **inputs)
{
  gboolean x = hl_group_is_montgomery (r->group);
  static const char *const psk_ke_handshake_inputs[] = { "early_secret", NULL };
  if (r->tls13 && r->psk_ke && id == HL_SECRET_HANDSHAKE) {
    *inputs = psk_ke_handshake_inputs;
    return _ ("HKDF-Extract(Derive-Secret(early_secret, \"derived\", \"\"), Hash.length zeros): "
              "psk_ke agrees no (EC)DHE key, so zeros stand in for the shared secret (RFC 8446 "
              "7.1) and the PSK is the only secret input");
  }
  if (r->tls13)
    return NULL;
  if (r->ssl3 && !(r->resumed && id == HL_SECRET_MASTER) && hl_ssl3_formula (id))
    return hl_ssl3_formula (id);
  switch ((int)id) {
  case HL_SECRET_PREMASTER:
    if (r->keylog) {
      *inputs = no_inputs;
      return _ ("computed inside OpenSSL and never shown: it cannot be known from outside the "
                "library");
    }
    if (recipe_rsa (r)) {
      *inputs = rsa_premaster_inputs;
      return _ ("2 version bytes + 46 random bytes from the client, sent encrypted to the "
                "server's RSA key in ClientKeyExchange");
    }
    if (recipe_ecdh (r)) {
      *inputs = ecdh_premaster_inputs;
      return x ? _ ("X25519(c, server share) = X25519(s, client share): the function's 32-byte "
                    "output (RFC 8422 5.10, RFC 7748 6.1)")
               : _ ("the x coordinate of c\u00b7(s\u00b7G) = s\u00b7(c\u00b7G) (RFC 8422 5.10)");
    }
    return NULL;
  case HL_SECRET_MASTER:
    if (r->resumed) {
      *inputs = no_inputs;
      return _ ("the resumed session's master secret, from the earlier connection: an abbreviated "
                "handshake has no premaster secret and derives no new master secret (RFC 5246 "
                "7.3)");
    }
    if (r->keylog && r->ems) {
      *inputs = no_inputs;
      return _ ("from OpenSSL's key log (its CLIENT_RANDOM line). With extended_master_secret "
                "negotiated, OpenSSL made it with PRF(premaster_secret, \"extended master "
                "secret\", session_hash)[0..47] (RFC 7627 4), from a premaster secret and an "
                "ECDH secret that never leave the library: those cannot be known from outside "
                "it");
    }
    if (r->keylog) {
      *inputs = no_inputs;
      return _ ("from OpenSSL's key log (its CLIENT_RANDOM line). OpenSSL made it with "
                "PRF(premaster_secret, \"master secret\", ...) from a premaster secret and an "
                "ECDH secret that never leave the library: those cannot be known from outside "
                "it");
    }
    if (r->ems) {
      /* RFC 7627 4: the randoms give way to the hash of the handshake. */
      *inputs = ems_master_inputs;
      return _ ("PRF(premaster_secret, \"extended master secret\", session_hash)[0..47], "
                "session_hash = Hash(the handshake messages up to and including "
                "ClientKeyExchange): extended_master_secret was negotiated (RFC 7627 3, 4)");
    }
    return NULL;
  case HL_SECRET_KEY_BLOCK:
    if (r->keylog)
      return _ ("PRF(master_secret, \"key expansion\", server_random + client_random), computed "
                "by Handshake Lab from the key log's master secret");
    return NULL;
  case HL_SECRET_CLIENT_ECDH_PRIVATE:
    return x ? _ ("the client's secret c: 32 random bytes, fresh for this connection") : NULL;
  case HL_SECRET_CLIENT_ECDH_PUBLIC:
    *inputs = client_ecdh_public_inputs;
    if (r->keylog)
      return _ ("the client's share, read from the ClientKeyExchange it sent");
    return x ? _ ("X25519(c, 9): the 32-byte u-coordinate sent in ClientKeyExchange")
             : _ ("c\u00b7G, c times the curve's base point G: sent in ClientKeyExchange");
  case HL_SECRET_SERVER_ECDH_PRIVATE:
    if (recipe_static (r))
      return _ ("the server's secret scalar s: its certificate's private key, the same in every "
                "connection");
    if (recipe_ecdh (r))
      return x ? _ ("the server's secret s: 32 random bytes, fresh for this connection")
               : _ ("the server's secret scalar s, fresh for this connection");
    return NULL;
  case HL_SECRET_SERVER_ECDH_PUBLIC:
    *inputs = server_ecdh_public_inputs;
    if (r->keylog)
      return _ ("the server's share, read from the ServerKeyExchange the client received");
    if (recipe_static (r))
      return _ ("s\u00b7G: the public key in the server's certificate");
    if (recipe_ecdh (r))
      return x ? _ ("X25519(s, 9): the 32-byte u-coordinate sent in ServerKeyExchange")
               : _ ("s\u00b7G: sent in ServerKeyExchange");
    return NULL;
  case HL_SECRET_SESSION_ID:
    if (r->resumed)
      return _ ("the id of the session the client offers to resume; the server echoes it when it "
                "accepts");
    return NULL;
  case HL_SECRET_CLIENT_WRITE_MAC_KEY:
  case HL_SECRET_SERVER_WRITE_MAC_KEY:
    /* RFC 5246 6.2.3.3: an AEAD suite's mac_key_length is 0. */
    if (r->aead)
      return _ ("none in an AEAD suite: the key block has no MAC keys, and each record's tag "
                "authenticates it (RFC 5246 6.2.3.3)");
    return NULL;
  case HL_SECRET_CLIENT_VERIFY_DATA:
  case HL_SECRET_SERVER_VERIFY_DATA:
    if (r->keylog)
      return id == HL_SECRET_CLIENT_VERIFY_DATA
                 ? _ ("read from the client's Finished, decrypted with the key block")
                 : _ ("read from the server's Finished, decrypted with the key block");
    /* TLS 1.0 and 1.1 hash the handshake with MD5 and SHA-1 side by side (RFC 2246 7.4.9). */
    if (r->version && r->version < 0x0303)
      return id == HL_SECRET_CLIENT_VERIFY_DATA
                 ? _ ("PRF(master_secret, \"client finished\", MD5(handshake_messages) + "
                      "SHA-1(handshake_messages))[0..11] (RFC 2246 7.4.9)")
                 : _ ("PRF(master_secret, \"server finished\", MD5(handshake_messages) + "
                      "SHA-1(handshake_messages))[0..11] (RFC 2246 7.4.9)");
    return NULL;
  }
  return NULL;
}

static Recipe
recipe_of_connection (const HlConnection *c)
{
  const HlSuite *suite = c ? hl_suite_by_id (c->suite) : NULL;
  Recipe r = { c && c->version == 0x0304,
               c && c->resumed,
               suite ? (int)suite->kex : -1,
               c && c->curve > 0 ? (guint)c->curve : 0,
               FALSE,
               c && c->extended_master_secret,
               c && c->version == 0x0304 && c->resumed && c->curve <= 0,
               c ? c->version : 0,
               suite && suite->mac == HL_HASH_NONE,
               c && c->version == 0x0300 };
  return r;
}

const char *
hl_secret_formula_in (HlSecretId id, const HlConnection *connection)
{
  Recipe r = recipe_of_connection (connection);
  const char *const *inputs = NULL;
  const char *f = recipe_for (id, &r, &inputs);
  return f ? f : hl_secret_formula_for (id, r.tls13);
}

const char *
hl_secret_key (HlSecretId id)
{
  return secret_info[id].key;
}

const char *
hl_secret_formula (HlSecretId id)
{
  return _ (secret_info[id].formula);
}

/* TLS 1.3's secrets in the order RFC 8446 7.1 derives them. */
static const HlSecretId tls13_order[] = {
  HL_SECRET_CLIENT_RANDOM,
  HL_SECRET_SERVER_RANDOM,
  HL_SECRET_CLIENT_KEY_SHARE_PRIVATE,
  HL_SECRET_CLIENT_ECDH_PUBLIC,
  HL_SECRET_SERVER_KEY_SHARE_PRIVATE,
  HL_SECRET_SERVER_ECDH_PUBLIC,
  HL_SECRET_SHARED,
  HL_SECRET_PSK,
  HL_SECRET_EARLY,
  HL_SECRET_BINDER_KEY,
  HL_SECRET_CLIENT_EARLY_TRAFFIC,
  HL_SECRET_EARLY_EXPORTER_MASTER,
  HL_SECRET_HANDSHAKE,
  HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC,
  HL_SECRET_SERVER_HANDSHAKE_TRAFFIC,
  HL_SECRET_CLIENT_HANDSHAKE_KEY,
  HL_SECRET_CLIENT_HANDSHAKE_IV,
  HL_SECRET_SERVER_HANDSHAKE_KEY,
  HL_SECRET_SERVER_HANDSHAKE_IV,
  HL_SECRET_CLIENT_FINISHED_KEY,
  HL_SECRET_SERVER_FINISHED_KEY,
  HL_SECRET_SERVER_VERIFY_DATA,
  HL_SECRET_MASTER,
  HL_SECRET_CLIENT_APPLICATION_TRAFFIC,
  HL_SECRET_SERVER_APPLICATION_TRAFFIC,
  HL_SECRET_CLIENT_APPLICATION_KEY,
  HL_SECRET_CLIENT_APPLICATION_IV,
  HL_SECRET_SERVER_APPLICATION_KEY,
  HL_SECRET_SERVER_APPLICATION_IV,
  HL_SECRET_EXPORTER_MASTER,
  HL_SECRET_CLIENT_VERIFY_DATA,
  HL_SECRET_RESUMPTION_MASTER,
  HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1,
  HL_SECRET_SERVER_APPLICATION_TRAFFIC_1,
};

/* TLS 1.0-1.2's, each after every secret it is made from (the ECDH shares before the
 * premaster they make). */
static const HlSecretId tls12_order[] = {
  HL_SECRET_CLIENT_RANDOM,
  HL_SECRET_SERVER_RANDOM,
  HL_SECRET_SESSION_ID,
  HL_SECRET_CLIENT_ECDH_PRIVATE,
  HL_SECRET_CLIENT_ECDH_PUBLIC,
  HL_SECRET_SERVER_ECDH_PRIVATE,
  HL_SECRET_SERVER_ECDH_PUBLIC,
  HL_SECRET_PREMASTER,
  HL_SECRET_MASTER,
  HL_SECRET_KEY_BLOCK,
  HL_SECRET_CLIENT_WRITE_MAC_KEY,
  HL_SECRET_SERVER_WRITE_MAC_KEY,
  HL_SECRET_CLIENT_WRITE_KEY,
  HL_SECRET_SERVER_WRITE_KEY,
  HL_SECRET_CLIENT_WRITE_IV,
  HL_SECRET_SERVER_WRITE_IV,
  HL_SECRET_CLIENT_VERIFY_DATA,
  HL_SECRET_SERVER_VERIFY_DATA,
};

HlSecretId
hl_secret_nth (guint i, gboolean tls13)
{
  /* Before TLS 1.3 is known, its own secrets follow, in the enumeration's order. */
  G_STATIC_ASSERT (G_N_ELEMENTS (tls12_order) == HL_SECRET_CLIENT_KEY_SHARE_PRIVATE);
  if (!tls13)
    return i < G_N_ELEMENTS (tls12_order) ? tls12_order[i]
           : i < HL_N_SECRETS             ? (HlSecretId)i
                                          : HL_N_SECRETS;
  return i < G_N_ELEMENTS (tls13_order) ? tls13_order[i] : HL_N_SECRETS;
}

const char *
hl_secret_formula_for (HlSecretId id, gboolean tls13)
{
  for (guint i = 0; tls13 && i < G_N_ELEMENTS (tls13_recipes); i++)
    if (tls13_recipes[i].id == id)
      return _ (tls13_recipes[i].formula);
  return _ (secret_info[id].formula);
}

const char *
hl_secret_name_for_key (const char *key)
{
  for (int i = 0; i < HL_N_SECRETS; i++)
    if (g_strcmp0 (secret_info[i].key, key) == 0)
      return secret_info[i].name;
  return NULL;
}

static void
clear_secret (HlSecret *secret)
{
  g_bytes_unref (secret->value);
}

HlSecret *
hl_secret_ref (HlSecret *secret)
{
  return g_atomic_rc_box_acquire (secret);
}

void
hl_secret_unref (HlSecret *secret)
{
  if (secret)
    g_atomic_rc_box_release_full (secret, (GDestroyNotify)clear_secret);
}

static HlSecret *
new_secret (HlSecretId id, HlSide side, GBytes *value, guint step, const Recipe *recipe)
{
  gboolean tls13 = recipe->tls13;
  const char *const *inputs = NULL;
  const char *special = recipe_for (id, recipe, &inputs);
  HlSecret *secret = g_atomic_rc_box_new0 (HlSecret);
  secret->id = id;
  secret->key = secret_info[id].key;
  secret->name = secret_info[id].name;
  secret->formula = _ (secret_info[id].formula);
  secret->inputs = secret_info[id].inputs;
  for (guint i = 0; tls13 && i < G_N_ELEMENTS (tls13_recipes); i++)
    if (tls13_recipes[i].id == id) {
      secret->formula = _ (tls13_recipes[i].formula);
      secret->inputs = tls13_recipes[i].inputs;
    }
  if (special)
    secret->formula = special;
  if (inputs)
    secret->inputs = inputs;
  secret->value = g_bytes_ref (value);
  secret->learned_at = step;
  secret->side = side;
  return secret;
}

/* For a recorded run (hl-recorded.c), which makes its secrets itself. */
HlSecret *
_hl_run_new_secret (HlSecretId id, HlSide side, GBytes *value, guint step, gboolean tls13)
{
  /* The generic recipe of the version; hl-recorded.c words where each value came from. */
  Recipe recipe = { tls13, FALSE, -1, 0, FALSE, FALSE, FALSE };
  return new_secret (id, side, value, step, &recipe);
}

/* ---------- Hooks into BearSSL ---------- */

void
_hl_run_set_bytes (GBytes **slot, const void *data, gsize len)
{
  if (*slot)
    g_bytes_unref (*slot);
  *slot = g_bytes_new (data, len);
}

/* Splits the sender's key block into its parts, in RFC 5246 order. */
void
_hl_run_split_key_block (GBytes *kb, const HlSuite *suite, guint version, HlSecrets *out)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (kb, &len);
  guint mac = hl_suite_mac_key_len (suite), key = suite->key_len;
  guint iv = hl_suite_fixed_iv_len (suite, version);
  gsize need = 2 * (mac + key + iv), off = 0;
  HlSecretId order[6] = { HL_SECRET_CLIENT_WRITE_MAC_KEY, HL_SECRET_SERVER_WRITE_MAC_KEY,
                          HL_SECRET_CLIENT_WRITE_KEY,     HL_SECRET_SERVER_WRITE_KEY,
                          HL_SECRET_CLIENT_WRITE_IV,      HL_SECRET_SERVER_WRITE_IV };
  guint sizes[6] = { mac, mac, key, key, iv, iv };
  if (len < need)
    return;
  for (int i = 0; i < 6; i++) {
    _hl_run_set_bytes (&out->value[order[i]], d + off, sizes[i]);
    off += sizes[i];
  }
}

void
_hl_run_clear_secrets (HlSecrets *s)
{
  for (int i = 0; i < HL_N_SECRETS; i++)
    g_clear_pointer (&s->value[i], g_bytes_unref);
}

/* What a side holds after a step: each secret keeps the step at which the side
 * first held it. Zero-length values (no MAC key in an AEAD suite, no IV in TLS
 * 1.1+ CBC) are not knowledge. */
void
_hl_run_fill_knowledge (HlRun *run, HlStep *st, HlSide side)
{
  Peer *p = run->peer[side];
  HlSideState *after = &st->after[side];
  HlSecrets view = { { 0 } };
  gboolean resumed = _hl_run_current_connection (run)->resumed;
  gboolean tls13 = run->hellos.version == 0x0304;
  br_ssl_session_parameters sp;
  const HlSuite *suite;
  Recipe recipe = { tls13 || st->tls13,
                    resumed,
                    -1,
                    0,
                    p->ossl != NULL && !tls13 && !st->tls13,
                    run->hellos.extended_master_secret };
  /* A BearSSL side that holds a master secret it did not derive in this connection holds a
   * cached session's (offered in a ClientHello, or accepted). */
  if (!p->ossl && !p->cap.master && (p->knows & KNOW (HL_SECRET_MASTER)))
    recipe.resumed = TRUE;
  {
    const HlSuite *s = hl_suite_by_id (p->ossl ? run->hellos.suite : 0);
    if (!p->ossl) {
      br_ssl_engine_get_session_parameters (p->eng, &sp);
      s = hl_suite_by_id (sp.cipher_suite);
    }
    recipe.kex = s ? (int)s->kex : -1;
    recipe.aead = s && s->mac == HL_HASH_NONE;
    recipe.group = _hl_run_ecdh_group (run);
    /* A BearSSL server picks its curve, and makes its share, while it reads the ClientHello:
     * it holds that key before any ServerKeyExchange is on the wire. */
    if (recipe.group == 0 && !p->ossl && br_ssl_engine_get_ecdhe_curve (p->eng) > 0)
      recipe.group = (guint16)br_ssl_engine_get_ecdhe_curve (p->eng);
  }
  recipe.psk_ke = recipe.tls13 && resumed && run->hellos.group < 0;
  if (!p->ossl && p->knows & KNOW (HL_SECRET_SERVER_RANDOM))
    recipe.version = br_ssl_engine_get_version (p->eng);
  if (p->ossl)
    _hl_run_collect_view13 (run, p, &view);
  else
    _hl_run_collect_view (p, &view, resumed);
  after->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify)hl_secret_unref);
  after->knows = 0;
  for (int i = 0; i < HL_N_SECRETS; i++) {
    GBytes *v = view.value[i];
    if (!v || g_bytes_get_size (v) == 0)
      g_clear_pointer (&p->held[i], hl_secret_unref);
  }
  for (guint k = 0; hl_secret_nth (k, tls13) < HL_N_SECRETS; k++) {
    HlSecretId i = hl_secret_nth (k, tls13);
    GBytes *v = view.value[i];
    if (!v || g_bytes_get_size (v) == 0)
      continue;
    if (!p->held[i] || !g_bytes_equal (p->held[i]->value, v)) {
      g_clear_pointer (&p->held[i], hl_secret_unref);
      p->held[i] = new_secret (i, side, v, st->index, &recipe);
    }
    g_ptr_array_add (after->secrets, hl_secret_ref (p->held[i]));
    after->knows |= KNOW (i);
  }
  _hl_run_clear_secrets (&view);
  after->curve = -1;
  if (p->ossl) {
    /* A side knows the version and suite once it has both hellos. */
    if (after->knows & KNOW (HL_SECRET_SERVER_RANDOM)) {
      after->version = run->hellos.version;
      after->suite = run->hellos.suite;
      if (after->knows & KNOW (HL_SECRET_SHARED))
        after->curve = run->hellos.group;
    }
    after->certificate_verdict = g_strdup (p->verdict);
    after->certificate_trusted = p->verdict && p->trusted;
    return;
  }
  /* A side knows the version and suite once both hellos are behind it. */
  br_ssl_engine_get_session_parameters (p->eng, &sp);
  suite = hl_suite_by_id (sp.cipher_suite);
  if (p->knows & KNOW (HL_SECRET_SERVER_RANDOM) && p->knows & KNOW (HL_SECRET_CLIENT_RANDOM)) {
    after->version = br_ssl_engine_get_version (p->eng);
    after->suite = sp.cipher_suite;
    if (suite && hl_suite_is_ecdh (suite) && !resumed
        && (after->knows
            & (KNOW (HL_SECRET_CLIENT_ECDH_PUBLIC) | KNOW (HL_SECRET_SERVER_ECDH_PUBLIC)))
        && br_ssl_engine_get_ecdhe_curve (p->eng) > 0)
      after->curve = br_ssl_engine_get_ecdhe_curve (p->eng);
  }
  after->certificate_verdict = g_strdup (p->verdict);
  after->certificate_trusted = p->verdict && p->trusted;
}

/* ---------- Connections ---------- */

static void
copy_secret (HlSecrets *dst, HlSecretId id, GBytes *value)
{
  if (value)
    _hl_run_set_bytes (&dst->value[id], g_bytes_get_data (value, NULL), g_bytes_get_size (value));
}

void
_hl_run_collect_view (Peer *p, HlSecrets *out, gboolean resumed)
{
  br_ssl_session_parameters sp;
  const HlSuite *suite;
  guint version = br_ssl_engine_get_version (p->eng);
  if (p->knows & KNOW (HL_SECRET_CLIENT_RANDOM))
    _hl_run_set_bytes (&out->value[HL_SECRET_CLIENT_RANDOM], p->eng->client_random, 32);
  if (p->knows & KNOW (HL_SECRET_SERVER_RANDOM))
    _hl_run_set_bytes (&out->value[HL_SECRET_SERVER_RANDOM], p->eng->server_random, 32);
  br_ssl_engine_get_session_parameters (p->eng, &sp);
  if (p->knows & KNOW (HL_SECRET_SESSION_ID))
    _hl_run_set_bytes (&out->value[HL_SECRET_SESSION_ID], sp.session_id, sp.session_id_len);
  if (!resumed)
    copy_secret (out, HL_SECRET_PREMASTER, p->cap.premaster);
  copy_secret (out, HL_SECRET_MASTER, p->cap.master);
  /* Offering or accepting a cached session: the side holds that session's master secret. */
  if (!p->cap.master && (p->knows & KNOW (HL_SECRET_MASTER)))
    _hl_run_set_bytes (&out->value[HL_SECRET_MASTER], sp.master_secret, 48);
  copy_secret (out, HL_SECRET_KEY_BLOCK, p->cap.key_block);
  suite = hl_suite_by_id (sp.cipher_suite);
  if (p->cap.key_block && suite)
    _hl_run_split_key_block (p->cap.key_block, suite, version, out);
  copy_secret (out, HL_SECRET_CLIENT_VERIFY_DATA, p->cap.client_verify);
  copy_secret (out, HL_SECRET_SERVER_VERIFY_DATA, p->cap.server_verify);
  if (!resumed) {
    gboolean client = p->side == HL_SIDE_CLIENT;
    copy_secret (out, client ? HL_SECRET_CLIENT_ECDH_PRIVATE : HL_SECRET_SERVER_ECDH_PRIVATE,
                 p->cap.ecdh_private);
    copy_secret (out, client ? HL_SECRET_CLIENT_ECDH_PUBLIC : HL_SECRET_SERVER_ECDH_PUBLIC,
                 p->cap.ecdh_public);
    copy_secret (out, client ? HL_SECRET_SERVER_ECDH_PUBLIC : HL_SECRET_CLIENT_ECDH_PUBLIC,
                 p->cap.ecdh_peer_public);
  }
}
