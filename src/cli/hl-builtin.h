/* hl-builtin.h: the default lesson compiled into the program. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes the built-in default scenario and the PEM files it names into a fresh
 * private folder; returns the scenario's path there, or NULL with an error. */
char *hl_builtin_extract_default (char **folder, GError **error);
/* Removes what hl_builtin_extract_default wrote. */
void hl_builtin_remove (const char *folder);

G_END_DECLS
