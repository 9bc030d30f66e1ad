/* hl-capture-keys.h: key logs found beside a capture, to offer them (issue 19: a
 * FILE.keys, keylog.txt or sslkeylog* next to the capture). No libpcap here: the window
 * includes it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The key files beside capture_path that exist, best first: CAPTURE.keys (the whole name,
 * then the name without its extension), keylog.txt, then sslkeylog* in name order.
 * NULL-terminated, newly allocated (g_strfreev); empty when there is none. */
char **hl_capture_find_key_files (const char *capture_path);

G_END_DECLS
