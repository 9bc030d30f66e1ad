/* hl-recording-bar.h: the strip above the diagram while a capture is open. It says
 * where the recording came from and whether its keys are known (and why not), offers a
 * key log found beside the capture ("Use keys from X?"), and holds the Connections… and
 * Keys… buttons (win.connections, win.keys-dialog; the offer activates win.add-keys). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_RECORDING_BAR (hl_recording_bar_get_type ())
G_DECLARE_FINAL_TYPE (HlRecordingBar, hl_recording_bar, HL, RECORDING_BAR, GtkBox)

void hl_recording_bar_set_status (HlRecordingBar *self, const char *text);
const char *hl_recording_bar_get_status (HlRecordingBar *self);
/* Offers the key file at path (NULL: withdraws the offer). */
void hl_recording_bar_offer_keys (HlRecordingBar *self, const char *path);
/* The offer's question while it is shown; NULL otherwise. */
const char *hl_recording_bar_get_offer (HlRecordingBar *self);
void hl_recording_bar_set_several (HlRecordingBar *self, gboolean several); /* Connections… */

G_END_DECLS
