/* hl-connection-picker.h: choosing one TLS connection of a capture that holds several.
 * One row per connection, as --list-connections prints them: number, client and server
 * address:port, SNI, version and suite, message count, whether its keys are known.
 *
 * Signal "connection-chosen" (guint number, from 1 as the capture numbers them): a row
 * was activated; the window then closes. */
#pragma once

#include <adwaita.h>

#include "hl-run.h"

G_BEGIN_DECLS

#define HL_TYPE_CONNECTION_PICKER (hl_connection_picker_get_type ())
G_DECLARE_FINAL_TYPE (HlConnectionPicker, hl_connection_picker, HL, CONNECTION_PICKER, AdwWindow)

/* run: the whole capture, run to its end (read now, not kept); name: the file's name. */
HlConnectionPicker *hl_connection_picker_new (GtkWindow *parent, const char *name, HlRun *run);
GtkListBox *hl_connection_picker_get_list (HlConnectionPicker *self);

/* One connection as a row shows it: title "1 · client → server", and the rest. Both
 * newly allocated. FALSE past the end or for a live run. */
gboolean hl_connection_picker_describe (HlRun *run, guint i, char **title, char **subtitle);

G_END_DECLS
