/* hl-scenario-scan.c: a lesson's lines: which groups and keys it has and where, and
 * their values typed, each error with FILE:LINE (the checks in hl-scenario-check.c).
 */
#include "hl-scenario-private.h"
#include "hl-i18n.h"
#include "hl-recorded.h"

#include <string.h>

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

const char *const *
hl_scenario_group_keys (guint i, const char **group)
{
  if (i >= G_N_ELEMENTS (groups))
    return NULL;
  *group = groups[i].name;
  return groups[i].keys;
}

int
_hl_scenario_line_of (Loader *l, const char *group, const char *key)
{
  g_autofree char *id = key ? g_strdup_printf ("%s/%s", group, key) : g_strdup (group);
  return GPOINTER_TO_INT (g_hash_table_lookup (l->lines, id));
}

gboolean
_hl_scenario_fail (Loader *l, GError **error, int line, const char *format, ...)
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

char *
_hl_scenario_join_strv (const char *const *v)
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

/* "CLIENT_RANDOM <64 hex> <96 hex>": a line of an NSS key log. */
static gboolean
is_key_log_line (const char *line)
{
  g_auto (GStrv) words = g_strsplit (line, " ", 0);
  return g_strv_length (words) == 3 && hl_recording_knows_label (words[0]);
}

gboolean
_hl_scenario_scan_lines (Loader *l, const char *data, gsize len, GError **error)
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
    return _hl_scenario_fail (l, error, line,
                              _ ("this is not a text file (invalid UTF-8 or a NUL byte)"));
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
          return _hl_scenario_fail (
              l, error, lineno,
              _ ("comments must be on their own line: move \"%s\" to the line above"), rest);
      }
      if (!end || end[1] != '\0')
        return _hl_scenario_fail (l, error, lineno,
                                  _ ("malformed group header \"%s\" (expected [Name])"), s);
      *end = '\0';
      spec = find_group (s + 1);
      if (!spec) {
        const char *valid[G_N_ELEMENTS (groups) + 1];
        for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
          valid[g] = groups[g].name;
        valid[G_N_ELEMENTS (groups)] = NULL;
        names = _hl_scenario_join_strv (valid);
        return _hl_scenario_fail (l, error, lineno, _ ("unknown group [%s]; valid groups: %s"),
                                  s + 1, names);
      }
      if (g_hash_table_contains (l->lines, spec->name))
        return _hl_scenario_fail (l, error, lineno,
                                  _ ("group [%s] appears twice (first on line %d)"), spec->name,
                                  _hl_scenario_line_of (l, spec->name, NULL));
      group = spec->name;
      g_hash_table_insert (l->lines, g_strdup (group), GINT_TO_POINTER (lineno));
    } else {
      char *eq = strchr (s, '=');
      const GroupSpec *spec;
      g_autofree char *id = NULL;
      g_autofree char *names = NULL;
      if (!eq && is_key_log_line (s))
        /* A key log opened as a lesson (both are text): say what it is and where it goes. */
        return _hl_scenario_fail (l, error, lineno,
                                  _ ("this is a key log (as SSLKEYLOGFILE writes it), not a "
                                     "lesson: give it with --secrets=FILE beside the capture it "
                                     "belongs to, or with Keys… in the window"));
      if (!eq)
        return _hl_scenario_fail (
            l, error, lineno, _ ("\"%s\" is neither a [Group], a Key=value line nor a # comment"),
            s);
      if (!group)
        return _hl_scenario_fail (l, error, lineno,
                                  _ ("a key before the first group; start with [Scenario]"));
      *eq = '\0';
      g_strchomp (s);
      spec = find_group (group);
      if (!g_strv_contains (spec->keys, s)) {
        names = _hl_scenario_join_strv (spec->keys);
        return _hl_scenario_fail (
            l, error, lineno, _ ("unknown key \"%s\" in [%s]; valid keys: %s"), s, group, names);
      }
      if (!g_strv_contains (free_text_keys, s) && find_trailing_comment (eq + 1))
        return _hl_scenario_fail (
            l, error, lineno,
            _ ("comments must be on their own line: move \"%s\" to the line above %s="),
            find_trailing_comment (eq + 1), s);
      id = g_strdup_printf ("%s/%s", group, s);
      if (g_hash_table_contains (l->lines, id))
        return _hl_scenario_fail (l, error, lineno,
                                  _ ("key %s appears twice in [%s] (first on line %d)"), s, group,
                                  _hl_scenario_line_of (l, group, s));
      g_hash_table_insert (l->lines, g_steal_pointer (&id), GINT_TO_POINTER (lineno));
    }
  }
  return TRUE;
}

gboolean
_hl_scenario_has_key (Loader *l, const char *group, const char *key)
{
  return _hl_scenario_line_of (l, group, key) > 0;
}

gboolean
_hl_scenario_get_string (Loader *l, const char *group, const char *key, char **out, GError **error)
{
  g_autoptr (GError) e = NULL;
  char *v = g_key_file_get_string (l->kf, group, key, &e);
  if (!v)
    return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, key), "%s: %s", key,
                              e->message);
  *out = v;
  return TRUE;
}

gboolean
_hl_scenario_get_bool (Loader *l, const char *group, const char *key, gboolean *out, GError **error)
{
  g_autofree char *v = NULL;
  if (!_hl_scenario_has_key (l, group, key))
    return TRUE;
  if (!_hl_scenario_get_string (l, group, key, &v, error))
    return FALSE;
  if (strcmp (v, "true") == 0)
    *out = TRUE;
  else if (strcmp (v, "false") == 0)
    *out = FALSE;
  else
    return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, key),
                              _ ("%s must be true or false, not \"%s\""), key, v);
  return TRUE;
}

/* A list value: "a;b;c", empty items dropped. */
gboolean
_hl_scenario_get_list (Loader *l, const char *group, const char *key, GStrv *out, GError **error)
{
  g_autoptr (GError) e = NULL;
  gsize n = 0;
  g_auto (GStrv) raw = g_key_file_get_string_list (l->kf, group, key, &n, &e);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  if (!_hl_scenario_has_key (l, group, key)) {
    *out = g_new0 (char *, 1);
    return TRUE;
  }
  if (!raw) {
    if (g_error_matches (e, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)) {
      *out = g_new0 (char *, 1);
      return TRUE;
    }
    return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, key), "%s: %s", key,
                              e->message);
  }
  for (gsize i = 0; i < n; i++) {
    g_strstrip (raw[i]);
    if (*raw[i])
      g_strv_builder_add (b, raw[i]);
  }
  *out = g_strv_builder_end (b);
  return TRUE;
}

gboolean
_hl_scenario_get_uint (Loader *l, const char *group, const char *key, guint64 max, guint64 *out,
                       GError **error)
{
  g_autofree char *v = NULL;
  g_autoptr (GError) e = NULL;
  guint64 n;
  if (!_hl_scenario_get_string (l, group, key, &v, error))
    return FALSE;
  g_strstrip (v);
  if (g_str_has_prefix (v, "0x") || g_str_has_prefix (v, "0X")) {
    if (!g_ascii_string_to_unsigned (v + 2, 16, 0, max, &n, &e))
      return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, key),
                                _ ("%s: \"%s\" is not a number from 0 to %llu"), key, v,
                                (unsigned long long)max);
  } else if (!g_ascii_string_to_unsigned (v, 10, 0, max, &n, &e)) {
    return _hl_scenario_fail (l, error, _hl_scenario_line_of (l, group, key),
                              _ ("%s: \"%s\" is not a number from 0 to %llu"), key, v,
                              (unsigned long long)max);
  }
  *out = n;
  return TRUE;
}
