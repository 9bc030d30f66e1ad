/* hl-scenario-check.c: a lesson's values read and checked group by group (the line
 * scanner in hl-scenario-scan.c).
 */
#include "hl-scenario-private.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <string.h>

static char *
resolve_path (const char *base_dir, const char *path)
{
  if (g_path_is_absolute (path))
    return g_strdup (path);
  return g_build_filename (base_dir, path, NULL);
}

static gboolean
parse_versions (Loader *l, const char *group, HlSideConfig *c, GError **error)
{
  g_autofree char *v = NULL;
  g_auto (GStrv) parts = NULL;
  guint lo, hi;
  int line = _hl_scenario_line_of (l, group, "Versions");
  c->version_min = 0x0301;
  c->version_max = 0x0303;
  if (!line)
    return TRUE;
  if (!_hl_scenario_get_string (l, group, "Versions", &v, error))
    return FALSE;
  g_strstrip (v);
  if (*v == '\0')
    return _hl_scenario_fail (l, error, line,
                              _ ("Versions is empty; leave it out for TLS1.0-TLS1.2"));
  parts = g_strsplit (v, "-", 2);
  for (int i = 0; parts[i]; i++) {
    guint *dst = i == 0 ? &lo : &hi;
    g_strstrip (parts[i]);
    if (!hl_version_parse (parts[i], dst)) {
      if (g_ascii_strncasecmp (parts[i], "SSL", 3) == 0)
        return _hl_scenario_fail (
            l, error, line,
            _ ("%s is not available (SSL 3.0 and older are broken and no library here "
               "speaks them); valid versions: TLS1.0, TLS1.1, TLS1.2, TLS1.3"),
            parts[i]);
      return _hl_scenario_fail (
          l, error, line,
          _ ("unknown version \"%s\"; valid: TLS1.0, TLS1.1, TLS1.2, TLS1.3, or a range "
             "such as TLS1.0-TLS1.2"),
          parts[i]);
    }
  }
  if (!parts[1])
    hi = lo;
  if (lo > hi)
    return _hl_scenario_fail (l, error, line, _ ("the version range %s starts above its end"), v);
  c->version_min = lo;
  c->version_max = hi;
  return TRUE;
}

static char *
all_suite_names (void)
{
  GString *s = g_string_new (NULL);
  const HlSuite *suite;
  for (guint i = 0; (suite = hl_suite_nth (i)); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", suite->name);
  return g_string_free (s, FALSE);
}

/* Edits (insert, delete, change a character, case aside) from a to b. */
static guint
edit_distance (const char *a, const char *b)
{
  gsize n = strlen (b);
  g_autofree guint *row = g_new (guint, n + 1);
  for (gsize j = 0; j <= n; j++)
    row[j] = (guint)j;
  for (gsize i = 1; a[i - 1]; i++) {
    guint diagonal = row[0];
    row[0] = (guint)i;
    for (gsize j = 1; j <= n; j++) {
      guint above = row[j];
      guint change = diagonal + (g_ascii_toupper (a[i - 1]) != g_ascii_toupper (b[j - 1]));
      row[j] = MIN (MIN (above + 1, row[j - 1] + 1), change);
      diagonal = above;
    }
  }
  return row[n];
}

/* The suite a typo most likely meant ("..._SHA265" for "..._SHA256"), or NULL when none is
 * within a few edits. */
static const char *
nearest_suite_name (const char *name)
{
  const HlSuite *suite, *best = NULL;
  guint best_distance = G_MAXUINT;
  for (guint i = 0; (suite = hl_suite_nth (i)); i++) {
    guint d = edit_distance (name, suite->name);
    if (d < best_distance) {
      best_distance = d;
      best = suite;
    }
  }
  return best && best_distance <= 4 ? best->name : NULL;
}

static gboolean
parse_suites (Loader *l, const char *group, HlSideConfig *c, GError **error)
{
  g_auto (GStrv) names = NULL;
  int line = _hl_scenario_line_of (l, group, "CipherSuites");
  c->suites = g_array_new (FALSE, FALSE, sizeof (guint16));
  if (!_hl_scenario_get_list (l, group, "CipherSuites", &names, error))
    return FALSE;
  for (int i = 0; names[i]; i++) {
    const HlSuite *s = hl_suite_by_name (names[i]);
    if (!s && nearest_suite_name (names[i])) {
      g_autofree char *valid = all_suite_names ();
      return _hl_scenario_fail (
          l, error, line,
          _ ("unknown or unsupported cipher suite \"%s\": did you mean %s? (no DHE, PSK, RC4 or "
             "NULL suites); valid suites: %s"),
          names[i], nearest_suite_name (names[i]), valid);
    }
    if (!s) {
      g_autofree char *valid = all_suite_names ();
      return _hl_scenario_fail (
          l, error, line,
          _ ("unknown or unsupported cipher suite \"%s\" (no DHE, PSK, RC4 or NULL "
             "suites); valid suites: %s"),
          names[i], valid);
    }
    g_array_append_val (c->suites, s->id);
  }
  if (line && c->suites->len == 0)
    return _hl_scenario_fail (l, error, line,
                              _ ("CipherSuites is empty; leave it out to allow every suite"));
  return TRUE;
}

static gboolean
parse_curves (Loader *l, const char *group, HlSideConfig *c, GError **error)
{
  g_auto (GStrv) names = NULL;
  int line = _hl_scenario_line_of (l, group, "Curves");
  guint n;
  const HlNamedId *all = hl_curves (&n);
  c->curves = 0;
  c->curve_order = g_array_new (FALSE, FALSE, sizeof (guint16));
  if (!line) {
    for (guint i = 0; i < n; i++) {
      c->curves |= 1u << all[i].id;
      g_array_append_val (c->curve_order, all[i].id);
    }
    return TRUE;
  }
  if (!_hl_scenario_get_list (l, group, "Curves", &names, error))
    return FALSE;
  for (int i = 0; names[i]; i++) {
    const HlNamedId *curve = hl_curve_by_name (names[i]);
    if (!curve)
      return _hl_scenario_fail (
          l, error, line,
          _ ("unknown curve \"%s\"; valid curves: x25519, secp256r1, secp384r1, secp521r1"),
          names[i]);
    if (!(c->curves & (1u << curve->id)))
      g_array_append_val (c->curve_order, curve->id);
    c->curves |= 1u << curve->id;
  }
  if (c->curves == 0)
    return _hl_scenario_fail (l, error, line,
                              _ ("Curves is empty; leave it out to allow every curve"));
  return TRUE;
}

/* Library and KeyShares: who plays the side, and (TLS 1.3) which key shares it sends. */
static gboolean
parse_library (Loader *l, const char *group, HlSide side, HlSideConfig *c, GError **error)
{
  int line = _hl_scenario_line_of (l, group, "Library");
  int vline = _hl_scenario_line_of (l, group, "Versions");
  g_auto (GStrv) shares = NULL;
  c->library = c->version_max >= 0x0304 ? HL_LIBRARY_OPENSSL : HL_LIBRARY_BEARSSL;
  if (line) {
    g_autofree char *v = NULL;
    if (!_hl_scenario_get_string (l, group, "Library", &v, error))
      return FALSE;
    g_strstrip (v);
    if (g_ascii_strcasecmp (v, "bearssl") == 0)
      c->library = HL_LIBRARY_BEARSSL;
    else if (g_ascii_strcasecmp (v, "openssl") == 0)
      c->library = HL_LIBRARY_OPENSSL;
    else
      return _hl_scenario_fail (l, error, line,
                                _ ("unknown library \"%s\"; valid: bearssl, openssl"), v);
  }
  if (c->library == HL_LIBRARY_BEARSSL && c->version_max >= 0x0304)
    return _hl_scenario_fail (
        l, error, line ? line : vline,
        _ ("BearSSL 0.6 has no TLS 1.3: with TLS1.3 in Versions, leave Library out or "
           "set Library=openssl"));
  if (c->library == HL_LIBRARY_OPENSSL && c->version_min < 0x0303)
    return _hl_scenario_fail (
        l, error, vline ? vline : line,
        _ ("this program plays OpenSSL at TLS 1.2 and 1.3 only; TLS 1.0 and 1.1 lessons "
           "use BearSSL (set Versions=TLS1.2-TLS1.3 or leave Library out)"));
  {
    /* A list may hold both kinds of suite; each library takes those it can play. */
    guint usable = 0;
    for (guint i = 0; i < c->suites->len; i++) {
      const HlSuite *suite = hl_suite_by_id (g_array_index (c->suites, guint16, i));
      if ((hl_suite_is_tls13 (suite) && c->version_max >= 0x0304)
          || (!hl_suite_is_tls13 (suite) && c->version_min <= 0x0303))
        usable++;
    }
    if (c->suites->len > 0 && usable == 0)
      return _hl_scenario_fail (
          l, error, _hl_scenario_line_of (l, group, "CipherSuites"),
          _ ("none of these cipher suites can be used with Versions %s-%s (TLS 1.3 has "
             "its own suites: TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, "
             "TLS_CHACHA20_POLY1305_SHA256)"),
          hl_version_name (c->version_min), hl_version_name (c->version_max));
  }
  c->key_shares = g_array_new (FALSE, FALSE, sizeof (guint16));
  if (side == HL_SIDE_SERVER || !_hl_scenario_has_key (l, group, "KeyShares")) {
    g_array_append_val (c->key_shares, g_array_index (c->curve_order, guint16, 0));
    return TRUE;
  }
  line = _hl_scenario_line_of (l, group, "KeyShares");
  if (!_hl_scenario_get_list (l, group, "KeyShares", &shares, error))
    return FALSE;
  for (int i = 0; shares[i]; i++) {
    const HlNamedId *curve = hl_curve_by_name (shares[i]);
    if (!curve)
      return _hl_scenario_fail (
          l, error, line,
          _ ("unknown group \"%s\"; valid: x25519, secp256r1, secp384r1, secp521r1"), shares[i]);
    if (!(c->curves & (1u << curve->id)))
      return _hl_scenario_fail (l, error, line,
                                _ ("KeyShares names %s, which Curves does not list"), shares[i]);
    g_array_append_val (c->key_shares, curve->id);
  }
  if (c->key_shares->len == 0)
    return _hl_scenario_fail (
        l, error, line, _ ("KeyShares is empty; leave it out for a share of the first curve"));
  if (c->key_shares->len > 1 && c->library == HL_LIBRARY_OPENSSL)
    return _hl_scenario_fail (
        l, error, line,
        _ ("OpenSSL 3.0 sends a key share for one group only; name one group here"));
  return TRUE;
}

static gboolean
parse_anchors (Loader *l, const char *dir, const char *group, const char *key, HlSideConfig *c,
               GError **error)
{
  g_auto (GStrv) files = NULL;
  if (!_hl_scenario_get_list (l, group, key, &files, error))
    return FALSE;
  if (!files[0])
    return TRUE;
  c->anchors = hl_trust_anchors_new ();
  for (int i = 0; files[i]; i++) {
    g_autofree char *path = resolve_path (dir, files[i]);
    g_autoptr (GError) e = NULL;
    if (!hl_trust_anchors_add_file (c->anchors, path, &e))
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, key), "%s: %s", key,
                                e->message);
  }
  return TRUE;
}

static gboolean
parse_credentials (Loader *l, const char *dir, const char *group, HlSideConfig *c,
                   gboolean required, GError **error)
{
  g_autofree char *chain = NULL;
  g_autofree char *key = NULL;
  g_autofree char *chain_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr (GError) e = NULL;
  gboolean has_chain = _hl_scenario_has_key (l, group, "CertificateChain");
  gboolean has_pkey = _hl_scenario_has_key (l, group, "PrivateKey");
  int group_line = _hl_scenario_line_of (l, group, NULL);

  if (!has_chain && !has_pkey) {
    if (required)
      return _hl_scenario_fail (l, error, group_line,
                                _ ("[%s] needs CertificateChain and PrivateKey"), group);
    return TRUE;
  }
  if (!has_chain)
    return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, "PrivateKey"),
                              _ ("PrivateKey is given without CertificateChain"));
  if (!has_pkey)
    return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, "CertificateChain"),
                              _ ("CertificateChain is given without PrivateKey"));
  if (!_hl_scenario_get_string (l, group, "CertificateChain", &chain, error)
      || !_hl_scenario_get_string (l, group, "PrivateKey", &key, error))
    return FALSE;
  chain_path = resolve_path (dir, g_strstrip (chain));
  key_path = resolve_path (dir, g_strstrip (key));
  c->credentials = hl_credentials_load (chain_path, key_path, &e);
  if (!c->credentials) {
    /* Point at the key that names the file the problem is in. */
    int line = e->code == HL_CREDENTIALS_ERROR_KEY
                   ? _hl_scenario_line_of (l, group, "PrivateKey")
                   : _hl_scenario_line_of (l, group, "CertificateChain");
    return _hl_scenario_fail (l, error, line, "%s", e->message);
  }
  return TRUE;
}

static gboolean
parse_side (Loader *l, const char *dir, HlSide side, HlSideConfig *c, GError **error)
{
  const char *group = side == HL_SIDE_CLIENT ? "Client" : "Server";
  g_auto (GStrv) alpn = NULL;
  if (side == HL_SIDE_SERVER && !_hl_scenario_line_of (l, group, NULL))
    return _hl_scenario_fail (
        l, error, 1,
        _ ("the scenario has no [Server] group; it needs CertificateChain and "
           "PrivateKey there"));
  if (!parse_versions (l, group, c, error) || !parse_suites (l, group, c, error)
      || !parse_curves (l, group, c, error) || !parse_library (l, group, side, c, error))
    return FALSE;
  if (!_hl_scenario_get_list (l, group, "ALPN", &alpn, error))
    return FALSE;
  c->alpn = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; alpn[i]; i++) {
    if (strlen (alpn[i]) > 255)
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, "ALPN"),
                                _ ("ALPN protocol names are at most 255 bytes"));
    g_ptr_array_add (c->alpn, g_strdup (alpn[i]));
  }
  if (side == HL_SIDE_CLIENT) {
    if (_hl_scenario_has_key (l, group, "ServerName")) {
      char *name = NULL;
      if (!_hl_scenario_get_string (l, group, "ServerName", &name, error))
        return FALSE;
      g_strstrip (name);
      if (strlen (name) > 255) {
        gsize n = strlen (name);
        g_free (name);
        return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, "ServerName"),
                                  _ ("ServerName is %zu bytes long; a host name has at most 255"),
                                  n);
      }
      if (strpbrk (name, " \t/")) {
        g_autofree char *copy = name;
        return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, "ServerName"),
                                  _ ("ServerName \"%s\" is not a host name (no spaces or slashes)"),
                                  copy);
      }
      if (*name)
        c->server_name = name;
      else
        g_free (name);
    }
    if (!parse_anchors (l, dir, group, "TrustAnchors", c, error))
      return FALSE;
    return parse_credentials (l, dir, group, c, FALSE, error);
  }
  if (!_hl_scenario_get_bool (l, group, "RequestClientCertificate", &c->request_client_certificate,
                              error)
      || !_hl_scenario_get_bool (l, group, "PreferClientOrder", &c->prefer_client_order, error)
      || !_hl_scenario_get_bool (l, group, "FailOnALPNMismatch", &c->fail_on_alpn_mismatch, error)
      || !_hl_scenario_get_bool (l, group, "HelloRetryCookie", &c->hello_retry_cookie, error))
    return FALSE;
  if (c->hello_retry_cookie && (c->library != HL_LIBRARY_OPENSSL || c->version_max < 0x0304))
    return _hl_scenario_fail (
        l, error, _hl_scenario_line_of (l, group, "HelloRetryCookie"),
        _ ("HelloRetryCookie is TLS 1.3: the server needs TLS1.3 in Versions"));
  if (!parse_anchors (l, dir, group, "ClientTrustAnchors", c, error))
    return FALSE;
  if (c->request_client_certificate && hl_trust_anchors_count (c->anchors) == 0)
    return _hl_scenario_fail (
        l, error, _hl_scenario_line_of (l, group, "RequestClientCertificate"),
        _ ("RequestClientCertificate=true needs ClientTrustAnchors: the server names the "
           "CAs it accepts in its CertificateRequest"));
  return parse_credentials (l, dir, group, c, TRUE, error);
}

static gboolean
parse_time (Loader *l, HlScenario *s, GError **error)
{
  g_autofree char *v = NULL;
  g_autoptr (GDateTime) dt = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  if (!_hl_scenario_has_key (l, "Scenario", "Time")) {
    s->time_text = g_strdup ("2026-01-01T00:00:00Z");
    s->time = 1767225600;
    return TRUE;
  }
  if (!_hl_scenario_get_string (l, "Scenario", "Time", &v, error))
    return FALSE;
  g_strstrip (v);
  dt = g_date_time_new_from_iso8601 (v, utc);
  if (!dt)
    return _hl_scenario_fail (
        l, error, _hl_scenario_line_of (l, "Scenario", "Time"),
        _ ("Time \"%s\" is not an ISO 8601 date and time such as 2026-01-01T00:00:00Z"), v);
  s->time = g_date_time_to_unix (dt);
  /* In UTC: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
  if (s->time < 0 || s->time > G_GINT64_CONSTANT (253402300799))
    return _hl_scenario_fail (
        l, error, _hl_scenario_line_of (l, "Scenario", "Time"),
        _ ("Time \"%s\" is outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z"), v);
  {
    g_autoptr (GDateTime) u = g_date_time_to_utc (dt);
    s->time_text = g_date_time_format (u, "%Y-%m-%dT%H:%M:%SZ");
  }
  return TRUE;
}

static gboolean
parse_fault (Loader *l, HlScenario *s, GError **error)
{
  HlFault *f = &s->fault;
  g_autofree char *msg = NULL;
  g_autofree char *action = NULL;
  char *colon, *hash, *name;
  guint64 n;
  f->line = _hl_scenario_line_of (l, "Fault", NULL);
  if (!f->line)
    return TRUE;
  if (!_hl_scenario_has_key (l, "Fault", "Message"))
    return _hl_scenario_fail (l, error, f->line,
                              _ ("[Fault] needs Message (e.g. client:Finished)"));
  if (!_hl_scenario_has_key (l, "Fault", "Action"))
    return _hl_scenario_fail (l, error, f->line,
                              _ ("[Fault] needs Action: flip, truncate or drop"));
  f->message_line = _hl_scenario_line_of (l, "Fault", "Message");
  if (!_hl_scenario_get_string (l, "Fault", "Message", &msg, error)
      || !_hl_scenario_get_string (l, "Fault", "Action", &action, error))
    return FALSE;
  g_strstrip (msg);
  g_strstrip (action);
  colon = strchr (msg, ':');
  if (!colon)
    return _hl_scenario_fail (
        l, error, f->message_line,
        _ ("Message \"%s\" must be SIDE:NAME or SIDE:NAME#N, e.g. client:Finished"), msg);
  *colon = '\0';
  if (strcmp (msg, "client") == 0)
    f->side = HL_SIDE_CLIENT;
  else if (strcmp (msg, "server") == 0)
    f->side = HL_SIDE_SERVER;
  else
    return _hl_scenario_fail (l, error, f->message_line,
                              _ ("unknown side \"%s\"; valid sides: client, server"), msg);
  name = colon + 1;
  f->nth = 1;
  hash = strchr (name, '#');
  if (hash) {
    *hash = '\0';
    if (!g_ascii_string_to_unsigned (hash + 1, 10, 1, 1000, &n, NULL))
      return _hl_scenario_fail (l, error, f->message_line, _ ("#%s must be a number from 1"),
                                hash + 1);
    f->nth = (guint)n;
  }
  if (!hl_message_name_is_valid (name)) {
    g_autofree char *valid = _hl_scenario_join_strv (hl_message_names ());
    return _hl_scenario_fail (l, error, f->message_line,
                              _ ("unknown message \"%s\"; valid messages: %s"), name, valid);
  }
  f->message = g_strdup (name);
  if (strcmp (action, "flip") == 0) {
    f->action = HL_FAULT_FLIP;
    if (!_hl_scenario_has_key (l, "Fault", "Offset") || !_hl_scenario_has_key (l, "Fault", "Mask"))
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Fault", "Action"),
                                _ ("Action=flip needs Offset and Mask"));
    if (!_hl_scenario_get_uint (l, "Fault", "Offset", G_MAXINT32, &n, error))
      return FALSE;
    f->offset = n;
    f->offset_line = _hl_scenario_line_of (l, "Fault", "Offset");
    {
      g_autofree char *mask = NULL;
      const char *digits;
      guint base = 10;
      if (!_hl_scenario_get_string (l, "Fault", "Mask", &mask, error))
        return FALSE;
      g_strstrip (mask);
      digits = mask;
      if (g_str_has_prefix (mask, "0x") || g_str_has_prefix (mask, "0X"))
        digits = mask + 2, base = 16;
      if (!g_ascii_string_to_unsigned (digits, base, 1, 255, &n, NULL))
        return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Fault", "Mask"),
                                  _ ("Mask must be 1 to 255 (decimal or 0x..), not \"%s\"%s"), mask,
                                  strcmp (mask, "0") == 0 ? _ (": 0 changes nothing") : "");
    }
    f->mask = (guint8)n;
    if (_hl_scenario_has_key (l, "Fault", "Target")) {
      g_autofree char *target = NULL;
      if (!_hl_scenario_get_string (l, "Fault", "Target", &target, error))
        return FALSE;
      g_strstrip (target);
      f->target_line = _hl_scenario_line_of (l, "Fault", "Target");
      if (strcmp (target, "plaintext") == 0)
        f->plaintext = TRUE;
      else if (strcmp (target, "wire") != 0)
        return _hl_scenario_fail (
            l, error, f->target_line,
            _ ("unknown Target \"%s\"; valid: wire (the bytes as sent), plaintext (an "
               "encrypted message's content, encrypted again with the sender's keys)"),
            target);
    }
  } else if (strcmp (action, "truncate") == 0) {
    f->action = HL_FAULT_TRUNCATE;
    if (!_hl_scenario_has_key (l, "Fault", "Length"))
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Fault", "Action"),
                                _ ("Action=truncate needs Length"));
    if (!_hl_scenario_get_uint (l, "Fault", "Length", G_MAXINT32, &n, error))
      return FALSE;
    f->length = n;
    f->offset_line = _hl_scenario_line_of (l, "Fault", "Length");
  } else if (strcmp (action, "drop") == 0) {
    f->action = HL_FAULT_DROP;
  } else {
    return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Fault", "Action"),
                              _ ("unknown action \"%s\"; valid actions: flip, truncate, drop"),
                              action);
  }
  f->connection = 1;
  if (_hl_scenario_has_key (l, "Fault", "Connection")) {
    int cline = _hl_scenario_line_of (l, "Fault", "Connection");
    if (!_hl_scenario_get_uint (l, "Fault", "Connection", 2, &n, error))
      return FALSE;
    if (n < 1)
      return _hl_scenario_fail (l, error, cline,
                                _ ("Connection must be 1, or 2 for the resumed connection"));
    if (n == 2 && !s->resumption)
      return _hl_scenario_fail (
          l, error, cline,
          _ ("Connection=2 needs a second connection: set [Resumption] Enabled=true"));
    f->connection = (guint)n;
  }
  /* Keys the chosen action does not use are almost always a mistake. */
  {
    const char *unused[4] = { NULL, NULL, NULL, NULL };
    if (f->action == HL_FAULT_FLIP)
      unused[0] = "Length";
    else if (f->action == HL_FAULT_TRUNCATE)
      unused[0] = "Offset", unused[1] = "Mask", unused[2] = "Target";
    else
      unused[0] = "Offset", unused[1] = "Mask", unused[2] = "Length", unused[3] = "Target";
    for (int i = 0; i < 4 && unused[i]; i++)
      if (_hl_scenario_has_key (l, "Fault", unused[i]))
        return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Fault", unused[i]),
                                  _ ("%s has no meaning with Action=%s"), unused[i], action);
  }
  return TRUE;
}

static gboolean
parse_expect (Loader *l, HlScenario *s, GError **error)
{
  HlExpect *x = &s->expect;
  x->outcome = -1;
  if (!_hl_scenario_line_of (l, "Expect", NULL))
    return TRUE;
  x->present = TRUE;
  if (_hl_scenario_has_key (l, "Expect", "Outcome")) {
    g_autofree char *v = NULL;
    if (!_hl_scenario_get_string (l, "Expect", "Outcome", &v, error))
      return FALSE;
    g_strstrip (v);
    if (strcmp (v, "success") == 0)
      x->outcome = 1;
    else if (strcmp (v, "failure") == 0)
      x->outcome = 0;
    else
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Expect", "Outcome"),
                                _ ("Outcome must be success or failure, not \"%s\""), v);
  }
  if (_hl_scenario_has_key (l, "Expect", "Version")) {
    g_autofree char *v = NULL;
    if (!_hl_scenario_get_string (l, "Expect", "Version", &v, error))
      return FALSE;
    g_strstrip (v);
    if (!hl_version_parse (v, &x->version))
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Expect", "Version"),
                                _ ("unknown version \"%s\"; valid: TLS1.0, TLS1.1, TLS1.2, TLS1.3"),
                                v);
  }
  if (_hl_scenario_has_key (l, "Expect", "CipherSuite")) {
    g_autofree char *v = NULL;
    const HlSuite *suite;
    if (!_hl_scenario_get_string (l, "Expect", "CipherSuite", &v, error))
      return FALSE;
    g_strstrip (v);
    suite = hl_suite_by_name (v);
    if (!suite) {
      g_autofree char *valid = all_suite_names ();
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Expect", "CipherSuite"),
                                _ ("unknown cipher suite \"%s\"; valid suites: %s"), v, valid);
    }
    x->suite = suite->id;
  }
  if (_hl_scenario_has_key (l, "Expect", "Curve")) {
    g_autofree char *v = NULL;
    const HlNamedId *curve;
    if (!_hl_scenario_get_string (l, "Expect", "Curve", &v, error))
      return FALSE;
    g_strstrip (v);
    curve = hl_curve_by_name (v);
    if (!curve)
      return _hl_scenario_fail (
          l, error, _hl_scenario_line_of (l, "Expect", "Curve"),
          _ ("unknown curve \"%s\"; valid curves: x25519, secp256r1, secp384r1, secp521r1"), v);
    x->curve = curve->id;
  }
  x->hello_retry = -1;
  if (_hl_scenario_has_key (l, "Expect", "HelloRetry")) {
    gboolean v = FALSE;
    if (!_hl_scenario_get_bool (l, "Expect", "HelloRetry", &v, error))
      return FALSE;
    x->hello_retry = v;
  }
  for (int i = 0; i < 2; i++) {
    const char *key = i == 0 ? "ClientError" : "ServerError";
    g_autofree char *v = NULL;
    int *dst = i == 0 ? &x->client_error : &x->server_error;
    if (!_hl_scenario_has_key (l, "Expect", key))
      continue;
    if (!_hl_scenario_get_string (l, "Expect", key, &v, error))
      return FALSE;
    g_strstrip (v);
    if (!hl_error_parse (v, dst))
      return _hl_scenario_fail (
          l, error, _hl_scenario_line_of (l, "Expect", key),
          _ ("%s \"%s\" is not a BearSSL error: use a macro name such as BR_ERR_BAD_MAC, "
             "BR_ERR_SEND_FATAL_ALERT+40 or 0"),
          key, v);
    if (i == 0)
      x->has_client_error = TRUE;
    else
      x->has_server_error = TRUE;
  }
  return TRUE;
}

gboolean
_hl_scenario_parse_all (Loader *l, HlScenario *s, const char *dir, GError **error)
{
  g_autofree char *format = NULL;
  int scenario_line = _hl_scenario_line_of (l, "Scenario", NULL);
  if (!scenario_line)
    return _hl_scenario_fail (l, error, 1,
                              _ ("the scenario has no [Scenario] group (with Format=1 and Title)"));
  if (!_hl_scenario_has_key (l, "Scenario", "Format"))
    return _hl_scenario_fail (l, error, scenario_line, _ ("[Scenario] needs Format=1"));
  if (!_hl_scenario_get_string (l, "Scenario", "Format", &format, error))
    return FALSE;
  g_strstrip (format);
  if (strcmp (format, "1") != 0)
    return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Scenario", "Format"),
                              _ ("Format=%s is not supported; this program reads Format=1"),
                              format);
  if (!_hl_scenario_has_key (l, "Scenario", "Title"))
    return _hl_scenario_fail (l, error, scenario_line, _ ("[Scenario] needs a Title"));
  if (!_hl_scenario_get_string (l, "Scenario", "Title", &s->title, error))
    return FALSE;
  g_strstrip (s->title);
  if (!*s->title || strchr (s->title, '\n'))
    return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Scenario", "Title"),
                              _ ("Title must be one non-empty line"));
  if (_hl_scenario_has_key (l, "Scenario", "Description")) {
    if (!_hl_scenario_get_string (l, "Scenario", "Description", &s->description, error))
      return FALSE;
    /* The picker, the window and the handouts show it whole; a 900 KB one drew as
     * overlapping lines. */
    if (g_utf8_strlen (s->description, -1) > HL_SCENARIO_DESCRIPTION_MAX)
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Scenario", "Description"),
                                _ ("Description is %ld characters long; at most %d are allowed"),
                                (long)g_utf8_strlen (s->description, -1),
                                HL_SCENARIO_DESCRIPTION_MAX);
  } else {
    s->description = g_strdup ("");
  }
  if (_hl_scenario_has_key (l, "Scenario", "Seed")) {
    if (!_hl_scenario_get_string (l, "Scenario", "Seed", &s->seed, error))
      return FALSE;
  } else {
    s->seed = g_strdup ("handshake-lab");
  }
  if (!parse_time (l, s, error))
    return FALSE;
  if (!_hl_scenario_get_bool (l, "Scenario", "Quiz", &s->quiz, error))
    return FALSE;
  if (!parse_side (l, dir, HL_SIDE_CLIENT, &s->client, error)
      || !parse_side (l, dir, HL_SIDE_SERVER, &s->server, error))
    return FALSE;

  s->close_notify = TRUE;
  if (_hl_scenario_line_of (l, "Application", NULL)) {
    s->has_application = TRUE;
    if (_hl_scenario_has_key (l, "Application", "ClientData")
        && !_hl_scenario_get_string (l, "Application", "ClientData", &s->client_data, error))
      return FALSE;
    if (_hl_scenario_has_key (l, "Application", "ServerData")
        && !_hl_scenario_get_string (l, "Application", "ServerData", &s->server_data, error))
      return FALSE;
    if (!_hl_scenario_get_bool (l, "Application", "CloseNotify", &s->close_notify, error))
      return FALSE;
    if (!_hl_scenario_get_bool (l, "Application", "KeyUpdate", &s->key_update, error))
      return FALSE;
    if (s->key_update
        && (s->client.library != HL_LIBRARY_OPENSSL || s->client.version_max < 0x0304))
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, "Application", "KeyUpdate"),
                                _ ("KeyUpdate is TLS 1.3: the client needs TLS1.3 in Versions"));
  }
  if (!_hl_scenario_get_bool (l, "Resumption", "Enabled", &s->resumption, error))
    return FALSE;
  if (_hl_scenario_has_key (l, "Resumption", "EarlyData")) {
    int line = _hl_scenario_line_of (l, "Resumption", "EarlyData");
    if (!_hl_scenario_get_string (l, "Resumption", "EarlyData", &s->early_data, error))
      return FALSE;
    if (!*s->early_data)
      g_clear_pointer (&s->early_data, g_free);
    else if (!s->resumption)
      return _hl_scenario_fail (
          l, error, line, _ ("EarlyData is sent on the resumed connection: it needs Enabled=true"));
    else if (s->client.version_max < 0x0304 || s->server.version_max < 0x0304)
      return _hl_scenario_fail (l, error, line,
                                _ ("EarlyData (0-RTT) is TLS 1.3: both sides need TLS1.3"));
  }
  if (_hl_scenario_has_key (l, "Resumption", "PskMode")) {
    int line = _hl_scenario_line_of (l, "Resumption", "PskMode");
    g_autofree char *mode = NULL;
    if (!_hl_scenario_get_string (l, "Resumption", "PskMode", &mode, error))
      return FALSE;
    if (strcmp (mode, "psk_ke") != 0 && strcmp (mode, "psk_dhe_ke") != 0)
      return _hl_scenario_fail (
          l, error, line, _ ("PskMode must be psk_dhe_ke or psk_ke, not \u201c%s\u201d"), mode);
    s->psk_ke = strcmp (mode, "psk_ke") == 0;
    if (s->psk_ke
        && (!s->resumption || s->client.version_max < 0x0304 || s->server.version_max < 0x0304))
      return _hl_scenario_fail (
          l, error, line,
          _ ("PskMode=psk_ke is TLS 1.3 resumption: it needs Enabled=true and TLS1.3 "
             "on both sides"));
  }
  {
    gboolean accepts = TRUE;
    if (!_hl_scenario_get_bool (l, "Resumption", "ServerAcceptsEarlyData", &accepts, error))
      return FALSE;
    s->early_data_declined = !accepts;
  }
  if (s->early_data_declined && !s->early_data)
    return _hl_scenario_fail (
        l, error, _hl_scenario_line_of (l, "Resumption", "ServerAcceptsEarlyData"),
        _ ("ServerAcceptsEarlyData=false declines 0-RTT data: it needs EarlyData"));
  return parse_fault (l, s, error) && parse_expect (l, s, error);
}
