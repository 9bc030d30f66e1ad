/* hl-steal-key-dialog.h: "Steal the Server's Key" in the window (issue 20).
 *
 * The lesson, run again as written, is recorded without its secrets and read back with
 * the server's private key alone (src/capture/hl-steal.h); the dialog shows the report
 * and exports the capture and the key for Wireshark. */
#pragma once

#include <adwaita.h>

#include "hl-run.h"

G_BEGIN_DECLS

#define HL_TYPE_STEAL_KEY_DIALOG (hl_steal_key_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlStealKeyDialog, hl_steal_key_dialog, HL, STEAL_KEY_DIALOG, AdwWindow)

/* run: the window's run of a lesson (borrowed for the call; its scenario is run again
 * from the start, without the person's changes). NULL with error when the lesson's server
 * has no key or the run is a recording. */
HlStealKeyDialog *hl_steal_key_dialog_new (GtkWindow *parent, const HlRun *run, GError **error);
/* The report as shown. */
const char *hl_steal_key_dialog_get_text (HlStealKeyDialog *self);
/* Writes capture-without-secrets.pcapng, server-key.pem and stolen-key.txt into folder,
 * all or none. */
gboolean hl_steal_key_dialog_export (HlStealKeyDialog *self, GFile *folder, GError **error);

/* What the toast says once the files are written: how to open them in Wireshark, which
 * decrypts with a private key only where the key exchange was RSA. */
const char *hl_steal_key_dialog_describe_export (HlStealKeyDialog *self);

/* Installs win.steal-key on the window's class. */
void hl_steal_key_dialog_install_action (GtkWidgetClass *window_class);

G_END_DECLS
