/* hl-scenario-private.h: what the scenario reader's files share: hl-scenario-scan.c
 * (the line scanner and typed getters, each error with FILE:LINE), hl-scenario-check.c
 * (each group's values read and checked) and hl-scenario.c (the public API). Not API.
 */
#pragma once

#include "hl-scenario.h"

/* Where each group and key stands in the file: GKeyFile parses values but
 * forgets lines, so the text is scanned once by hand for them. */
typedef struct {
  const char *file;
  GHashTable *lines; /* "Group" or "Group/Key" -> line */
  GKeyFile *kf;
} Loader;

int _hl_scenario_line_of (Loader *l, const char *group, const char *key); /* 0: absent */
/* Sets "FILE:LINE: message" and returns FALSE. */
gboolean _hl_scenario_fail (Loader *l, GError **error, int line, const char *format, ...)
    G_GNUC_PRINTF (4, 5);
char *_hl_scenario_join_strv (const char *const *v);
/* Records the line of every group and key, refusing unknown or repeated ones. */
gboolean _hl_scenario_scan_lines (Loader *l, const char *data, gsize len, GError **error);
gboolean _hl_scenario_has_key (Loader *l, const char *group, const char *key);
gboolean _hl_scenario_get_string (Loader *l, const char *group, const char *key, char **out,
                                  GError **error);
gboolean _hl_scenario_get_bool (Loader *l, const char *group, const char *key, gboolean *out,
                                GError **error);
gboolean _hl_scenario_get_list (Loader *l, const char *group, const char *key, GStrv *out,
                                GError **error);
gboolean _hl_scenario_get_uint (Loader *l, const char *group, const char *key, guint64 max,
                                guint64 *out, GError **error);

/* hl-scenario-check.c: every group's values, into s. */
gboolean _hl_scenario_parse_all (Loader *l, HlScenario *s, const char *dir, GError **error);
