/* hl-scenario.c: reading a lesson, with an error that points at the line. */
#include "hl-scenario-private.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <string.h>

GQuark
hl_scenario_error_quark (void)
{
  return g_quark_from_static_string ("hl-scenario-error-quark");
}

static const char *const message_names[] = {
  "ClientHello",
  "ServerHello",
  "Certificate",
  "ServerKeyExchange",
  "CertificateRequest",
  "ServerHelloDone",
  "CertificateVerify",
  "ClientKeyExchange",
  "Finished",
  "ChangeCipherSpec",
  "Alert",
  "ApplicationData",
  "HelloRequest",
  /* TLS 1.3 */
  "HelloRetryRequest",
  "EncryptedExtensions",
  "NewSessionTicket",
  "EndOfEarlyData",
  "KeyUpdate",
  NULL,
};

const char *
hl_side_name (HlSide side)
{
  return side == HL_SIDE_CLIENT ? "client" : "server";
}

const char *
hl_library_name (HlLibrary library)
{
  return library == HL_LIBRARY_OPENSSL ? "openssl" : "bearssl";
}

gboolean
hl_scenario_uses_openssl (const HlScenario *scenario)
{
  return scenario->client.library == HL_LIBRARY_OPENSSL
         || scenario->server.library == HL_LIBRARY_OPENSSL;
}

const char *const *
hl_message_names (void)
{
  return message_names;
}

gboolean
hl_message_name_is_valid (const char *name)
{
  return g_strv_contains (message_names, name);
}

HlScenario *
hl_scenario_load_from_data (const char *data, gsize len, const char *name, const char *base_dir,
                            GError **error)
{
  Loader l = { name ? name : "(scenario)", NULL, NULL };
  g_autoptr (GError) e = NULL;
  HlScenario *s;
  gboolean ok;

  if (len > HL_MAX_INPUT_FILE_SIZE) {
    g_set_error (error, HL_SCENARIO_ERROR, HL_SCENARIO_ERROR_INVALID,
                 _ ("%s:1: the file is too large (%zu bytes; a scenario is at most %d bytes)"),
                 l.file, len, HL_MAX_INPUT_FILE_SIZE);
    return NULL;
  }
  /* A byte order mark (Windows Notepad writes one) is not part of the text. */
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0) {
    data += 3;
    len -= 3;
  }
  l.lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!_hl_scenario_scan_lines (&l, data, len, error)) {
    g_hash_table_unref (l.lines);
    return NULL;
  }
  l.kf = g_key_file_new ();
  if (!g_key_file_load_from_data (l.kf, data, len, G_KEY_FILE_NONE, &e)) {
    _hl_scenario_fail (&l, error, 1, "%s", e->message);
    g_key_file_unref (l.kf);
    g_hash_table_unref (l.lines);
    return NULL;
  }
  s = g_new0 (HlScenario, 1);
  s->file = name ? g_strdup (name) : NULL;
  ok = _hl_scenario_parse_all (&l, s, base_dir ? base_dir : ".", error);
  g_key_file_unref (l.kf);
  g_hash_table_unref (l.lines);
  if (!ok) {
    hl_scenario_free (s);
    return NULL;
  }
  return s;
}

HlScenario *
hl_scenario_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *dir = NULL;
  g_autoptr (GError) e = NULL;
  gsize len = 0;
  if (!hl_read_bounded_file (path, &data, &len, &e)) {
    g_set_error (error, HL_SCENARIO_ERROR, HL_SCENARIO_ERROR_INVALID, "%s:1: %s", path, e->message);
    return NULL;
  }
  dir = g_path_get_dirname (path);
  return hl_scenario_load_from_data (data, len, path, dir, error);
}

static void
clear_side (HlSideConfig *c)
{
  if (c->suites)
    g_array_unref (c->suites);
  g_free (c->server_name);
  if (c->alpn)
    g_ptr_array_unref (c->alpn);
  hl_credentials_free (c->credentials);
  hl_trust_anchors_free (c->anchors);
  if (c->curve_order)
    g_array_unref (c->curve_order);
  if (c->key_shares)
    g_array_unref (c->key_shares);
}

void
hl_scenario_free (HlScenario *s)
{
  if (!s)
    return;
  g_free (s->file);
  g_free (s->title);
  g_free (s->description);
  g_free (s->seed);
  g_free (s->time_text);
  clear_side (&s->client);
  clear_side (&s->server);
  g_free (s->client_data);
  g_free (s->server_data);
  g_free (s->early_data);
  g_free (s->fault.message);
  g_free (s);
}

static gboolean
check_side (const HlSideConfig *c, const char *group, gboolean server, GError **error)
{
  const char *missing = NULL;
  if (!c->suites)
    missing = _ ("suites (an array; empty means the library's default)");
  else if (!c->alpn)
    missing = _ ("alpn (an array, may be empty)");
  else if (server && !c->credentials)
    missing = _ ("credentials (CertificateChain and PrivateKey)");
  else if (server && c->request_client_certificate && !c->anchors)
    missing = _ ("anchors (ClientTrustAnchors, since it requests a client certificate)");
  if (missing) {
    g_set_error (error, HL_SCENARIO_ERROR, HL_SCENARIO_ERROR_INVALID,
                 _ ("(scenario built in code): [%s] has no %s"), group, missing);
    return FALSE;
  }
  if (c->version_min < 0x0301 || c->version_min > c->version_max
      || c->version_max > (c->library == HL_LIBRARY_OPENSSL ? 0x0304 : 0x0303)
      || (c->library == HL_LIBRARY_OPENSSL && c->version_min < 0x0303)) {
    g_set_error (error, HL_SCENARIO_ERROR, HL_SCENARIO_ERROR_INVALID,
                 _ ("(scenario built in code): [%s] versions 0x%04x-0x%04x are not a range "
                    "%s can play (BearSSL: TLS 1.0-1.2; OpenSSL: TLS 1.2-1.3)"),
                 group, c->version_min, c->version_max, hl_library_name (c->library));
    return FALSE;
  }
  return TRUE;
}

gboolean
hl_scenario_check (const HlScenario *s, GError **error)
{
  if (!s->seed || !s->time_text || !s->title) {
    g_set_error (error, HL_SCENARIO_ERROR, HL_SCENARIO_ERROR_INVALID,
                 _ ("(scenario built in code): [Scenario] needs a title, a seed and a time"));
    return FALSE;
  }
  if (!check_side (&s->client, "Client", FALSE, error)
      || !check_side (&s->server, "Server", TRUE, error))
    return FALSE;
  if (s->fault.action != HL_FAULT_NONE
      && (!s->fault.message || s->fault.nth < 1 || s->fault.connection > 2)) {
    g_set_error (error, HL_SCENARIO_ERROR, HL_SCENARIO_ERROR_INVALID,
                 _ ("(scenario built in code): [Fault] needs a message, an Nth from 1 and a "
                    "connection of 1 or 2"));
    return FALSE;
  }
  return TRUE;
}
