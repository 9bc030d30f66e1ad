/* hl-output.h: writing files whole or not at all.
 *
 * Each file is written to a temporary file beside its target and renamed over it
 * only when everything was written, so a failure never leaves half a file. Errors
 * name the path the person gave, in plain words ("no such folder", "is a folder",
 * "permission denied"), never a temporary name.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean hl_write_file_atomically (const char *path, const char *data, gsize len, GError **error);

/* Several files as one: either all are written, or none is and nothing is left
 * behind. paths and contents have n entries each. */
gboolean hl_write_files_atomically (const char *const *paths, GBytes *const *contents, guint n,
                                    GError **error);

G_END_DECLS
