/* hl-scenario.c: reading a lesson, with an error that points at the line. */
#include "hl-scenario.h"
#include "hl-i18n.h"
#include "hl-tables.h"

#include <string.h>

GQuark
hl_scenario_error_quark (void)
{
  return g_quark_from_static_string ("hl-scenario-error-quark");
}

typedef struct {
  const char *name;
  const char *const *keys;
} GroupSpec;

static const char *const scenario_keys[]
    = { "Format", "Title", "Description", "Seed", "Time", "Quiz", NULL };
static const char *const client_keys[]
    = { "Versions",     "CipherSuites",     "Curves",     "KeyShares", "Library", "ServerName",
        "TrustAnchors", "CertificateChain", "PrivateKey", "ALPN",      NULL };
static const char *const server_keys[] = { "Versions",
                                           "CipherSuites",
                                           "Curves",
                                           "Library",
                                           "CertificateChain",
                                           "PrivateKey",
                                           "RequestClientCertificate",
                                           "ClientTrustAnchors",
                                           "ALPN",
                                           "PreferClientOrder",
                                           "FailOnALPNMismatch",
                                           "HelloRetryCookie",
                                           NULL };
static const char *const application_keys[]
    = { "ClientData", "ServerData", "CloseNotify", "KeyUpdate", NULL };
static const char *const resumption_keys[]
    = { "Enabled", "EarlyData", "PskMode", "ServerAcceptsEarlyData", NULL };
static const char *const fault_keys[]
    = { "Message", "Connection", "Action", "Offset", "Mask", "Length", "Target", NULL };
static const char *const expect_keys[] = { "Outcome",     "Version", "CipherSuite", "ClientError",
                                           "ServerError", "Curve",   "HelloRetry",  NULL };

static const GroupSpec groups[] = {
  { "Scenario", scenario_keys },       { "Client", client_keys },         { "Server", server_keys },
  { "Application", application_keys }, { "Resumption", resumption_keys }, { "Fault", fault_keys },
  { "Expect", expect_keys },
};

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

const char *const *
hl_scenario_group_keys (guint i, const char **group)
{
  if (i >= G_N_ELEMENTS (groups))
    return NULL;
  *group = groups[i].name;
  return groups[i].keys;
}

gboolean
hl_message_name_is_valid (const char *name)
{
  return g_strv_contains (message_names, name);
}

/* Where each group and key stands in the file: GKeyFile parses values but
 * forgets lines, so the text is scanned once by hand for them. */
typedef struct {
  const char *file;
  GHashTable *lines; /* "Group" or "Group/Key" -> line */
  GKeyFile *kf;
} Loader;

static int
line_of (Loader *l, const char *group, const char *key)
{
  g_autofree char *id = key ? g_strdup_printf ("%s/%s", group, key) : g_strdup (group);
  return GPOINTER_TO_INT (g_hash_table_lookup (l->lines, id));
}

static gboolean G_GNUC_PRINTF (4, 5)
    fail (Loader *l, GError **error, int line, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;
  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HL_SCENARIO_ERROR, HL_SCENARIO_ERROR_INVALID, "%s:%d: %s", l->file,
               line > 0 ? line : 1, msg);
  return FALSE;
}

static char *
join_strv (const char *const *v)
{
  return g_strjoinv (", ", (char **)v);
}

static const GroupSpec *
find_group (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (strcmp (groups[i].name, name) == 0)
      return &groups[i];
  return NULL;
}

/* Keys whose value is free text: a "#" there may be meant. Everywhere else a value
 * ending in " # ..." is an end-of-line comment, which the key-file format does not
 * have: it would silently become part of the value. */
static const char *const free_text_keys[]
    = { "Title", "Description", "Seed", "ClientData", "ServerData", "EarlyData", NULL };

static const char *
find_trailing_comment (const char *value)
{
  for (const char *p = value; *p; p++)
    if (*p == '#' && p > value && g_ascii_isspace (p[-1]))
      return p;
  return NULL;
}

static gboolean
scan_lines (Loader *l, const char *data, gsize len, GError **error)
{
  g_auto (GStrv) lines = NULL;
  g_autofree char *text = g_strndup (data, len);
  const char *group = NULL;
  const char *bad = NULL;

  if (memchr (data, '\0', len) != NULL || !g_utf8_validate (data, len, &bad)) {
    int line = 1;
    const char *end = bad ? bad : (const char *)memchr (data, '\0', len);
    for (const char *p = data; p < end; p++)
      if (*p == '\n')
        line++;
    return fail (l, error, line, _ ("this is not a text file (invalid UTF-8 or a NUL byte)"));
  }
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    int lineno = i + 1;
    char *s = g_strstrip (lines[i]);
    if (*s == '\0' || *s == '#')
      continue;
    if (*s == '[') {
      char *end = strchr (s, ']');
      const GroupSpec *spec;
      g_autofree char *names = NULL;
      if (end && end[1] != '\0') {
        const char *rest = end + 1;
        while (g_ascii_isspace (*rest))
          rest++;
        if (*rest == '#')
          return fail (l, error, lineno,
                       _ ("comments must be on their own line: move \"%s\" to the line above"),
                       rest);
      }
      if (!end || end[1] != '\0')
        return fail (l, error, lineno, _ ("malformed group header \"%s\" (expected [Name])"), s);
      *end = '\0';
      spec = find_group (s + 1);
      if (!spec) {
        const char *valid[G_N_ELEMENTS (groups) + 1];
        for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
          valid[g] = groups[g].name;
        valid[G_N_ELEMENTS (groups)] = NULL;
        names = join_strv (valid);
        return fail (l, error, lineno, _ ("unknown group [%s]; valid groups: %s"), s + 1, names);
      }
      if (g_hash_table_contains (l->lines, spec->name))
        return fail (l, error, lineno, _ ("group [%s] appears twice (first on line %d)"),
                     spec->name, line_of (l, spec->name, NULL));
      group = spec->name;
      g_hash_table_insert (l->lines, g_strdup (group), GINT_TO_POINTER (lineno));
    } else {
      char *eq = strchr (s, '=');
      const GroupSpec *spec;
      g_autofree char *id = NULL;
      g_autofree char *names = NULL;
      if (!eq)
        return fail (l, error, lineno,
                     _ ("\"%s\" is neither a [Group], a Key=value line nor a # comment"), s);
      if (!group)
        return fail (l, error, lineno, _ ("a key before the first group; start with [Scenario]"));
      *eq = '\0';
      g_strchomp (s);
      spec = find_group (group);
      if (!g_strv_contains (spec->keys, s)) {
        names = join_strv (spec->keys);
        return fail (l, error, lineno, _ ("unknown key \"%s\" in [%s]; valid keys: %s"), s, group,
                     names);
      }
      if (!g_strv_contains (free_text_keys, s) && find_trailing_comment (eq + 1))
        return fail (l, error, lineno,
                     _ ("comments must be on their own line: move \"%s\" to the line above %s="),
                     find_trailing_comment (eq + 1), s);
      id = g_strdup_printf ("%s/%s", group, s);
      if (g_hash_table_contains (l->lines, id))
        return fail (l, error, lineno, _ ("key %s appears twice in [%s] (first on line %d)"), s,
                     group, line_of (l, group, s));
      g_hash_table_insert (l->lines, g_steal_pointer (&id), GINT_TO_POINTER (lineno));
    }
  }
  return TRUE;
}

static gboolean
has_key (Loader *l, const char *group, const char *key)
{
  return line_of (l, group, key) > 0;
}

static gboolean
get_string (Loader *l, const char *group, const char *key, char **out, GError **error)
{
  g_autoptr (GError) e = NULL;
  char *v = g_key_file_get_string (l->kf, group, key, &e);
  if (!v)
    return fail (l, error, line_of (l, group, key), "%s: %s", key, e->message);
  *out = v;
  return TRUE;
}

static gboolean
get_bool (Loader *l, const char *group, const char *key, gboolean *out, GError **error)
{
  g_autofree char *v = NULL;
  if (!has_key (l, group, key))
    return TRUE;
  if (!get_string (l, group, key, &v, error))
    return FALSE;
  if (strcmp (v, "true") == 0)
    *out = TRUE;
  else if (strcmp (v, "false") == 0)
    *out = FALSE;
  else
    return fail (l, error, line_of (l, group, key), _ ("%s must be true or false, not \"%s\""), key,
                 v);
  return TRUE;
}

/* A list value: "a;b;c", empty items dropped. */
static gboolean
get_list (Loader *l, const char *group, const char *key, GStrv *out, GError **error)
{
  g_autoptr (GError) e = NULL;
  gsize n = 0;
  g_auto (GStrv) raw = g_key_file_get_string_list (l->kf, group, key, &n, &e);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  if (!has_key (l, group, key)) {
    *out = g_new0 (char *, 1);
    return TRUE;
  }
  if (!raw) {
    if (g_error_matches (e, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)) {
      *out = g_new0 (char *, 1);
      return TRUE;
    }
    return fail (l, error, line_of (l, group, key), "%s: %s", key, e->message);
  }
  for (gsize i = 0; i < n; i++) {
    g_strstrip (raw[i]);
    if (*raw[i])
      g_strv_builder_add (b, raw[i]);
  }
  *out = g_strv_builder_end (b);
  return TRUE;
}

static gboolean
get_uint (Loader *l, const char *group, const char *key, guint64 max, guint64 *out, GError **error)
{
  g_autofree char *v = NULL;
  g_autoptr (GError) e = NULL;
  guint64 n;
  if (!get_string (l, group, key, &v, error))
    return FALSE;
  g_strstrip (v);
  if (g_str_has_prefix (v, "0x") || g_str_has_prefix (v, "0X")) {
    if (!g_ascii_string_to_unsigned (v + 2, 16, 0, max, &n, &e))
      return fail (l, error, line_of (l, group, key),
                   _ ("%s: \"%s\" is not a number from 0 to %llu"), key, v,
                   (unsigned long long)max);
  } else if (!g_ascii_string_to_unsigned (v, 10, 0, max, &n, &e)) {
    return fail (l, error, line_of (l, group, key), _ ("%s: \"%s\" is not a number from 0 to %llu"),
                 key, v, (unsigned long long)max);
  }
  *out = n;
  return TRUE;
}

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
  int line = line_of (l, group, "Versions");
  c->version_min = 0x0301;
  c->version_max = 0x0303;
  if (!line)
    return TRUE;
  if (!get_string (l, group, "Versions", &v, error))
    return FALSE;
  g_strstrip (v);
  if (*v == '\0')
    return fail (l, error, line, _ ("Versions is empty; leave it out for TLS1.0-TLS1.2"));
  parts = g_strsplit (v, "-", 2);
  for (int i = 0; parts[i]; i++) {
    guint *dst = i == 0 ? &lo : &hi;
    g_strstrip (parts[i]);
    if (!hl_version_parse (parts[i], dst)) {
      if (g_ascii_strncasecmp (parts[i], "SSL", 3) == 0)
        return fail (l, error, line,
                     _ ("%s is not available (SSL 3.0 and older are broken and no library here "
                        "speaks them); valid versions: TLS1.0, TLS1.1, TLS1.2, TLS1.3"),
                     parts[i]);
      return fail (l, error, line,
                   _ ("unknown version \"%s\"; valid: TLS1.0, TLS1.1, TLS1.2, TLS1.3, or a range "
                      "such as TLS1.0-TLS1.2"),
                   parts[i]);
    }
  }
  if (!parts[1])
    hi = lo;
  if (lo > hi)
    return fail (l, error, line, _ ("the version range %s starts above its end"), v);
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

static gboolean
parse_suites (Loader *l, const char *group, HlSideConfig *c, GError **error)
{
  g_auto (GStrv) names = NULL;
  int line = line_of (l, group, "CipherSuites");
  c->suites = g_array_new (FALSE, FALSE, sizeof (guint16));
  if (!get_list (l, group, "CipherSuites", &names, error))
    return FALSE;
  for (int i = 0; names[i]; i++) {
    const HlSuite *s = hl_suite_by_name (names[i]);
    if (!s) {
      g_autofree char *valid = all_suite_names ();
      return fail (l, error, line,
                   _ ("unknown or unsupported cipher suite \"%s\" (no DHE, PSK, RC4 or NULL "
                      "suites); valid suites: %s"),
                   names[i], valid);
    }
    g_array_append_val (c->suites, s->id);
  }
  if (line && c->suites->len == 0)
    return fail (l, error, line, _ ("CipherSuites is empty; leave it out to allow every suite"));
  return TRUE;
}

static gboolean
parse_curves (Loader *l, const char *group, HlSideConfig *c, GError **error)
{
  g_auto (GStrv) names = NULL;
  int line = line_of (l, group, "Curves");
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
  if (!get_list (l, group, "Curves", &names, error))
    return FALSE;
  for (int i = 0; names[i]; i++) {
    const HlNamedId *curve = hl_curve_by_name (names[i]);
    if (!curve)
      return fail (
          l, error, line,
          _ ("unknown curve \"%s\"; valid curves: x25519, secp256r1, secp384r1, secp521r1"),
          names[i]);
    if (!(c->curves & (1u << curve->id)))
      g_array_append_val (c->curve_order, curve->id);
    c->curves |= 1u << curve->id;
  }
  if (c->curves == 0)
    return fail (l, error, line, _ ("Curves is empty; leave it out to allow every curve"));
  return TRUE;
}

/* Library and KeyShares: who plays the side, and (TLS 1.3) which key shares it sends. */
static gboolean
parse_library (Loader *l, const char *group, HlSide side, HlSideConfig *c, GError **error)
{
  int line = line_of (l, group, "Library");
  int vline = line_of (l, group, "Versions");
  g_auto (GStrv) shares = NULL;
  c->library = c->version_max >= 0x0304 ? HL_LIBRARY_OPENSSL : HL_LIBRARY_BEARSSL;
  if (line) {
    g_autofree char *v = NULL;
    if (!get_string (l, group, "Library", &v, error))
      return FALSE;
    g_strstrip (v);
    if (g_ascii_strcasecmp (v, "bearssl") == 0)
      c->library = HL_LIBRARY_BEARSSL;
    else if (g_ascii_strcasecmp (v, "openssl") == 0)
      c->library = HL_LIBRARY_OPENSSL;
    else
      return fail (l, error, line, _ ("unknown library \"%s\"; valid: bearssl, openssl"), v);
  }
  if (c->library == HL_LIBRARY_BEARSSL && c->version_max >= 0x0304)
    return fail (l, error, line ? line : vline,
                 _ ("BearSSL 0.6 has no TLS 1.3: with TLS1.3 in Versions, leave Library out or "
                    "set Library=openssl"));
  if (c->library == HL_LIBRARY_OPENSSL && c->version_min < 0x0303)
    return fail (l, error, vline ? vline : line,
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
      return fail (l, error, line_of (l, group, "CipherSuites"),
                   _ ("none of these cipher suites can be used with Versions %s-%s (TLS 1.3 has "
                      "its own suites: TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, "
                      "TLS_CHACHA20_POLY1305_SHA256)"),
                   hl_version_name (c->version_min), hl_version_name (c->version_max));
  }
  c->key_shares = g_array_new (FALSE, FALSE, sizeof (guint16));
  if (side == HL_SIDE_SERVER || !has_key (l, group, "KeyShares")) {
    g_array_append_val (c->key_shares, g_array_index (c->curve_order, guint16, 0));
    return TRUE;
  }
  line = line_of (l, group, "KeyShares");
  if (!get_list (l, group, "KeyShares", &shares, error))
    return FALSE;
  for (int i = 0; shares[i]; i++) {
    const HlNamedId *curve = hl_curve_by_name (shares[i]);
    if (!curve)
      return fail (l, error, line,
                   _ ("unknown group \"%s\"; valid: x25519, secp256r1, secp384r1, secp521r1"),
                   shares[i]);
    if (!(c->curves & (1u << curve->id)))
      return fail (l, error, line, _ ("KeyShares names %s, which Curves does not list"), shares[i]);
    g_array_append_val (c->key_shares, curve->id);
  }
  if (c->key_shares->len == 0)
    return fail (l, error, line,
                 _ ("KeyShares is empty; leave it out for a share of the first curve"));
  if (c->key_shares->len > 1 && c->library == HL_LIBRARY_OPENSSL)
    return fail (l, error, line,
                 _ ("OpenSSL 3.0 sends a key share for one group only; name one group here"));
  return TRUE;
}

static gboolean
parse_anchors (Loader *l, const char *dir, const char *group, const char *key, HlSideConfig *c,
               GError **error)
{
  g_auto (GStrv) files = NULL;
  if (!get_list (l, group, key, &files, error))
    return FALSE;
  if (!files[0])
    return TRUE;
  c->anchors = hl_trust_anchors_new ();
  for (int i = 0; files[i]; i++) {
    g_autofree char *path = resolve_path (dir, files[i]);
    g_autoptr (GError) e = NULL;
    if (!hl_trust_anchors_add_file (c->anchors, path, &e))
      return fail (l, error, line_of (l, group, key), "%s: %s", key, e->message);
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
  gboolean has_chain = has_key (l, group, "CertificateChain");
  gboolean has_pkey = has_key (l, group, "PrivateKey");
  int group_line = line_of (l, group, NULL);

  if (!has_chain && !has_pkey) {
    if (required)
      return fail (l, error, group_line, _ ("[%s] needs CertificateChain and PrivateKey"), group);
    return TRUE;
  }
  if (!has_chain)
    return fail (l, error, line_of (l, group, "PrivateKey"),
                 _ ("PrivateKey is given without CertificateChain"));
  if (!has_pkey)
    return fail (l, error, line_of (l, group, "CertificateChain"),
                 _ ("CertificateChain is given without PrivateKey"));
  if (!get_string (l, group, "CertificateChain", &chain, error)
      || !get_string (l, group, "PrivateKey", &key, error))
    return FALSE;
  chain_path = resolve_path (dir, g_strstrip (chain));
  key_path = resolve_path (dir, g_strstrip (key));
  c->credentials = hl_credentials_load (chain_path, key_path, &e);
  if (!c->credentials) {
    /* Point at the key that names the file the problem is in. */
    int line = e->code == HL_CREDENTIALS_ERROR_KEY ? line_of (l, group, "PrivateKey")
                                                   : line_of (l, group, "CertificateChain");
    return fail (l, error, line, "%s", e->message);
  }
  return TRUE;
}

static gboolean
parse_side (Loader *l, const char *dir, HlSide side, HlSideConfig *c, GError **error)
{
  const char *group = side == HL_SIDE_CLIENT ? "Client" : "Server";
  g_auto (GStrv) alpn = NULL;
  if (side == HL_SIDE_SERVER && !line_of (l, group, NULL))
    return fail (l, error, 1,
                 _ ("the scenario has no [Server] group; it needs CertificateChain and "
                    "PrivateKey there"));
  if (!parse_versions (l, group, c, error) || !parse_suites (l, group, c, error)
      || !parse_curves (l, group, c, error) || !parse_library (l, group, side, c, error))
    return FALSE;
  if (!get_list (l, group, "ALPN", &alpn, error))
    return FALSE;
  c->alpn = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; alpn[i]; i++) {
    if (strlen (alpn[i]) > 255)
      return fail (l, error, line_of (l, group, "ALPN"),
                   _ ("ALPN protocol names are at most 255 bytes"));
    g_ptr_array_add (c->alpn, g_strdup (alpn[i]));
  }
  if (side == HL_SIDE_CLIENT) {
    if (has_key (l, group, "ServerName")) {
      char *name = NULL;
      if (!get_string (l, group, "ServerName", &name, error))
        return FALSE;
      g_strstrip (name);
      if (strlen (name) > 255) {
        gsize n = strlen (name);
        g_free (name);
        return fail (l, error, line_of (l, group, "ServerName"),
                     _ ("ServerName is %zu bytes long; a host name has at most 255"), n);
      }
      if (strpbrk (name, " \t/")) {
        g_autofree char *copy = name;
        return fail (l, error, line_of (l, group, "ServerName"),
                     _ ("ServerName \"%s\" is not a host name (no spaces or slashes)"), copy);
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
  if (!get_bool (l, group, "RequestClientCertificate", &c->request_client_certificate, error)
      || !get_bool (l, group, "PreferClientOrder", &c->prefer_client_order, error)
      || !get_bool (l, group, "FailOnALPNMismatch", &c->fail_on_alpn_mismatch, error)
      || !get_bool (l, group, "HelloRetryCookie", &c->hello_retry_cookie, error))
    return FALSE;
  if (c->hello_retry_cookie && (c->library != HL_LIBRARY_OPENSSL || c->version_max < 0x0304))
    return fail (l, error, line_of (l, group, "HelloRetryCookie"),
                 _ ("HelloRetryCookie is TLS 1.3: the server needs TLS1.3 in Versions"));
  if (!parse_anchors (l, dir, group, "ClientTrustAnchors", c, error))
    return FALSE;
  if (c->request_client_certificate && hl_trust_anchors_count (c->anchors) == 0)
    return fail (l, error, line_of (l, group, "RequestClientCertificate"),
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
  if (!has_key (l, "Scenario", "Time")) {
    s->time_text = g_strdup ("2026-01-01T00:00:00Z");
    s->time = 1767225600;
    return TRUE;
  }
  if (!get_string (l, "Scenario", "Time", &v, error))
    return FALSE;
  g_strstrip (v);
  dt = g_date_time_new_from_iso8601 (v, utc);
  if (!dt)
    return fail (l, error, line_of (l, "Scenario", "Time"),
                 _ ("Time \"%s\" is not an ISO 8601 date and time such as 2026-01-01T00:00:00Z"),
                 v);
  s->time = g_date_time_to_unix (dt);
  /* In UTC: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
  if (s->time < 0 || s->time > G_GINT64_CONSTANT (253402300799))
    return fail (l, error, line_of (l, "Scenario", "Time"),
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
  f->line = line_of (l, "Fault", NULL);
  if (!f->line)
    return TRUE;
  if (!has_key (l, "Fault", "Message"))
    return fail (l, error, f->line, _ ("[Fault] needs Message (e.g. client:Finished)"));
  if (!has_key (l, "Fault", "Action"))
    return fail (l, error, f->line, _ ("[Fault] needs Action: flip, truncate or drop"));
  f->message_line = line_of (l, "Fault", "Message");
  if (!get_string (l, "Fault", "Message", &msg, error)
      || !get_string (l, "Fault", "Action", &action, error))
    return FALSE;
  g_strstrip (msg);
  g_strstrip (action);
  colon = strchr (msg, ':');
  if (!colon)
    return fail (l, error, f->message_line,
                 _ ("Message \"%s\" must be SIDE:NAME or SIDE:NAME#N, e.g. client:Finished"), msg);
  *colon = '\0';
  if (strcmp (msg, "client") == 0)
    f->side = HL_SIDE_CLIENT;
  else if (strcmp (msg, "server") == 0)
    f->side = HL_SIDE_SERVER;
  else
    return fail (l, error, f->message_line, _ ("unknown side \"%s\"; valid sides: client, server"),
                 msg);
  name = colon + 1;
  f->nth = 1;
  hash = strchr (name, '#');
  if (hash) {
    *hash = '\0';
    if (!g_ascii_string_to_unsigned (hash + 1, 10, 1, 1000, &n, NULL))
      return fail (l, error, f->message_line, _ ("#%s must be a number from 1"), hash + 1);
    f->nth = (guint)n;
  }
  if (!hl_message_name_is_valid (name)) {
    g_autofree char *valid = join_strv (message_names);
    return fail (l, error, f->message_line, _ ("unknown message \"%s\"; valid messages: %s"), name,
                 valid);
  }
  f->message = g_strdup (name);
  if (strcmp (action, "flip") == 0) {
    f->action = HL_FAULT_FLIP;
    if (!has_key (l, "Fault", "Offset") || !has_key (l, "Fault", "Mask"))
      return fail (l, error, line_of (l, "Fault", "Action"),
                   _ ("Action=flip needs Offset and Mask"));
    if (!get_uint (l, "Fault", "Offset", G_MAXINT32, &n, error))
      return FALSE;
    f->offset = n;
    f->offset_line = line_of (l, "Fault", "Offset");
    {
      g_autofree char *mask = NULL;
      const char *digits;
      guint base = 10;
      if (!get_string (l, "Fault", "Mask", &mask, error))
        return FALSE;
      g_strstrip (mask);
      digits = mask;
      if (g_str_has_prefix (mask, "0x") || g_str_has_prefix (mask, "0X"))
        digits = mask + 2, base = 16;
      if (!g_ascii_string_to_unsigned (digits, base, 1, 255, &n, NULL))
        return fail (l, error, line_of (l, "Fault", "Mask"),
                     _ ("Mask must be 1 to 255 (decimal or 0x..), not \"%s\"%s"), mask,
                     strcmp (mask, "0") == 0 ? _ (": 0 changes nothing") : "");
    }
    f->mask = (guint8)n;
    if (has_key (l, "Fault", "Target")) {
      g_autofree char *target = NULL;
      if (!get_string (l, "Fault", "Target", &target, error))
        return FALSE;
      g_strstrip (target);
      f->target_line = line_of (l, "Fault", "Target");
      if (strcmp (target, "plaintext") == 0)
        f->plaintext = TRUE;
      else if (strcmp (target, "wire") != 0)
        return fail (l, error, f->target_line,
                     _ ("unknown Target \"%s\"; valid: wire (the bytes as sent), plaintext (an "
                        "encrypted message's content, encrypted again with the sender's keys)"),
                     target);
    }
  } else if (strcmp (action, "truncate") == 0) {
    f->action = HL_FAULT_TRUNCATE;
    if (!has_key (l, "Fault", "Length"))
      return fail (l, error, line_of (l, "Fault", "Action"), _ ("Action=truncate needs Length"));
    if (!get_uint (l, "Fault", "Length", G_MAXINT32, &n, error))
      return FALSE;
    f->length = n;
    f->offset_line = line_of (l, "Fault", "Length");
  } else if (strcmp (action, "drop") == 0) {
    f->action = HL_FAULT_DROP;
  } else {
    return fail (l, error, line_of (l, "Fault", "Action"),
                 _ ("unknown action \"%s\"; valid actions: flip, truncate, drop"), action);
  }
  f->connection = 1;
  if (has_key (l, "Fault", "Connection")) {
    int cline = line_of (l, "Fault", "Connection");
    if (!get_uint (l, "Fault", "Connection", 2, &n, error))
      return FALSE;
    if (n < 1)
      return fail (l, error, cline, _ ("Connection must be 1, or 2 for the resumed connection"));
    if (n == 2 && !s->resumption)
      return fail (l, error, cline,
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
      if (has_key (l, "Fault", unused[i]))
        return fail (l, error, line_of (l, "Fault", unused[i]),
                     _ ("%s has no meaning with Action=%s"), unused[i], action);
  }
  return TRUE;
}

static gboolean
parse_expect (Loader *l, HlScenario *s, GError **error)
{
  HlExpect *x = &s->expect;
  x->outcome = -1;
  if (!line_of (l, "Expect", NULL))
    return TRUE;
  x->present = TRUE;
  if (has_key (l, "Expect", "Outcome")) {
    g_autofree char *v = NULL;
    if (!get_string (l, "Expect", "Outcome", &v, error))
      return FALSE;
    g_strstrip (v);
    if (strcmp (v, "success") == 0)
      x->outcome = 1;
    else if (strcmp (v, "failure") == 0)
      x->outcome = 0;
    else
      return fail (l, error, line_of (l, "Expect", "Outcome"),
                   _ ("Outcome must be success or failure, not \"%s\""), v);
  }
  if (has_key (l, "Expect", "Version")) {
    g_autofree char *v = NULL;
    if (!get_string (l, "Expect", "Version", &v, error))
      return FALSE;
    g_strstrip (v);
    if (!hl_version_parse (v, &x->version))
      return fail (l, error, line_of (l, "Expect", "Version"),
                   _ ("unknown version \"%s\"; valid: TLS1.0, TLS1.1, TLS1.2, TLS1.3"), v);
  }
  if (has_key (l, "Expect", "CipherSuite")) {
    g_autofree char *v = NULL;
    const HlSuite *suite;
    if (!get_string (l, "Expect", "CipherSuite", &v, error))
      return FALSE;
    g_strstrip (v);
    suite = hl_suite_by_name (v);
    if (!suite) {
      g_autofree char *valid = all_suite_names ();
      return fail (l, error, line_of (l, "Expect", "CipherSuite"),
                   _ ("unknown cipher suite \"%s\"; valid suites: %s"), v, valid);
    }
    x->suite = suite->id;
  }
  if (has_key (l, "Expect", "Curve")) {
    g_autofree char *v = NULL;
    const HlNamedId *curve;
    if (!get_string (l, "Expect", "Curve", &v, error))
      return FALSE;
    g_strstrip (v);
    curve = hl_curve_by_name (v);
    if (!curve)
      return fail (
          l, error, line_of (l, "Expect", "Curve"),
          _ ("unknown curve \"%s\"; valid curves: x25519, secp256r1, secp384r1, secp521r1"), v);
    x->curve = curve->id;
  }
  x->hello_retry = -1;
  if (has_key (l, "Expect", "HelloRetry")) {
    gboolean v = FALSE;
    if (!get_bool (l, "Expect", "HelloRetry", &v, error))
      return FALSE;
    x->hello_retry = v;
  }
  for (int i = 0; i < 2; i++) {
    const char *key = i == 0 ? "ClientError" : "ServerError";
    g_autofree char *v = NULL;
    int *dst = i == 0 ? &x->client_error : &x->server_error;
    if (!has_key (l, "Expect", key))
      continue;
    if (!get_string (l, "Expect", key, &v, error))
      return FALSE;
    g_strstrip (v);
    if (!hl_error_parse (v, dst))
      return fail (l, error, line_of (l, "Expect", key),
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

static gboolean
parse_all (Loader *l, HlScenario *s, const char *dir, GError **error)
{
  g_autofree char *format = NULL;
  int scenario_line = line_of (l, "Scenario", NULL);
  if (!scenario_line)
    return fail (l, error, 1, _ ("the scenario has no [Scenario] group (with Format=1 and Title)"));
  if (!has_key (l, "Scenario", "Format"))
    return fail (l, error, scenario_line, _ ("[Scenario] needs Format=1"));
  if (!get_string (l, "Scenario", "Format", &format, error))
    return FALSE;
  g_strstrip (format);
  if (strcmp (format, "1") != 0)
    return fail (l, error, line_of (l, "Scenario", "Format"),
                 _ ("Format=%s is not supported; this program reads Format=1"), format);
  if (!has_key (l, "Scenario", "Title"))
    return fail (l, error, scenario_line, _ ("[Scenario] needs a Title"));
  if (!get_string (l, "Scenario", "Title", &s->title, error))
    return FALSE;
  g_strstrip (s->title);
  if (!*s->title || strchr (s->title, '\n'))
    return fail (l, error, line_of (l, "Scenario", "Title"),
                 _ ("Title must be one non-empty line"));
  if (has_key (l, "Scenario", "Description")) {
    if (!get_string (l, "Scenario", "Description", &s->description, error))
      return FALSE;
    /* The picker, the window and the handouts show it whole; a 900 KB one drew as
     * overlapping lines. */
    if (g_utf8_strlen (s->description, -1) > HL_SCENARIO_DESCRIPTION_MAX)
      return fail (l, error, line_of (l, "Scenario", "Description"),
                   _ ("Description is %ld characters long; at most %d are allowed"),
                   (long)g_utf8_strlen (s->description, -1), HL_SCENARIO_DESCRIPTION_MAX);
  } else {
    s->description = g_strdup ("");
  }
  if (has_key (l, "Scenario", "Seed")) {
    if (!get_string (l, "Scenario", "Seed", &s->seed, error))
      return FALSE;
  } else {
    s->seed = g_strdup ("handshake-lab");
  }
  if (!parse_time (l, s, error))
    return FALSE;
  if (!get_bool (l, "Scenario", "Quiz", &s->quiz, error))
    return FALSE;
  if (!parse_side (l, dir, HL_SIDE_CLIENT, &s->client, error)
      || !parse_side (l, dir, HL_SIDE_SERVER, &s->server, error))
    return FALSE;

  s->close_notify = TRUE;
  if (line_of (l, "Application", NULL)) {
    s->has_application = TRUE;
    if (has_key (l, "Application", "ClientData")
        && !get_string (l, "Application", "ClientData", &s->client_data, error))
      return FALSE;
    if (has_key (l, "Application", "ServerData")
        && !get_string (l, "Application", "ServerData", &s->server_data, error))
      return FALSE;
    if (!get_bool (l, "Application", "CloseNotify", &s->close_notify, error))
      return FALSE;
    if (!get_bool (l, "Application", "KeyUpdate", &s->key_update, error))
      return FALSE;
    if (s->key_update
        && (s->client.library != HL_LIBRARY_OPENSSL || s->client.version_max < 0x0304))
      return fail (l, error, line_of (l, "Application", "KeyUpdate"),
                   _ ("KeyUpdate is TLS 1.3: the client needs TLS1.3 in Versions"));
  }
  if (!get_bool (l, "Resumption", "Enabled", &s->resumption, error))
    return FALSE;
  if (has_key (l, "Resumption", "EarlyData")) {
    int line = line_of (l, "Resumption", "EarlyData");
    if (!get_string (l, "Resumption", "EarlyData", &s->early_data, error))
      return FALSE;
    if (!*s->early_data)
      g_clear_pointer (&s->early_data, g_free);
    else if (!s->resumption)
      return fail (l, error, line,
                   _ ("EarlyData is sent on the resumed connection: it needs Enabled=true"));
    else if (s->client.version_max < 0x0304 || s->server.version_max < 0x0304)
      return fail (l, error, line, _ ("EarlyData (0-RTT) is TLS 1.3: both sides need TLS1.3"));
  }
  if (has_key (l, "Resumption", "PskMode")) {
    int line = line_of (l, "Resumption", "PskMode");
    g_autofree char *mode = NULL;
    if (!get_string (l, "Resumption", "PskMode", &mode, error))
      return FALSE;
    if (strcmp (mode, "psk_ke") != 0 && strcmp (mode, "psk_dhe_ke") != 0)
      return fail (l, error, line, _ ("PskMode must be psk_dhe_ke or psk_ke, not \u201c%s\u201d"),
                   mode);
    s->psk_ke = strcmp (mode, "psk_ke") == 0;
    if (s->psk_ke
        && (!s->resumption || s->client.version_max < 0x0304 || s->server.version_max < 0x0304))
      return fail (l, error, line,
                   _ ("PskMode=psk_ke is TLS 1.3 resumption: it needs Enabled=true and TLS1.3 "
                      "on both sides"));
  }
  {
    gboolean accepts = TRUE;
    if (!get_bool (l, "Resumption", "ServerAcceptsEarlyData", &accepts, error))
      return FALSE;
    s->early_data_declined = !accepts;
  }
  if (s->early_data_declined && !s->early_data)
    return fail (l, error, line_of (l, "Resumption", "ServerAcceptsEarlyData"),
                 _ ("ServerAcceptsEarlyData=false declines 0-RTT data: it needs EarlyData"));
  return parse_fault (l, s, error) && parse_expect (l, s, error);
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
  if (!scan_lines (&l, data, len, error)) {
    g_hash_table_unref (l.lines);
    return NULL;
  }
  l.kf = g_key_file_new ();
  if (!g_key_file_load_from_data (l.kf, data, len, G_KEY_FILE_NONE, &e)) {
    fail (&l, error, 1, "%s", e->message);
    g_key_file_unref (l.kf);
    g_hash_table_unref (l.lines);
    return NULL;
  }
  s = g_new0 (HlScenario, 1);
  s->file = name ? g_strdup (name) : NULL;
  ok = parse_all (&l, s, base_dir ? base_dir : ".", error);
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
