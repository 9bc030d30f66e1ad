/* hl-tamper-dialog.h: "Tamper with the next message": its bytes in hex to edit, then
 * deliver, drop or cancel. The answer is carried out through the parent window's actions
 * (win.tamper, win.tamper-plaintext, win.drop), as a test would drive them. */
#pragma once

#include <adwaita.h>

#include "hl-run.h"

G_BEGIN_DECLS

#define HL_TYPE_TAMPER_DIALOG (hl_tamper_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlTamperDialog, hl_tamper_dialog, HL, TAMPER_DIALOG, AdwMessageDialog)

/* For the message `next` (its bytes are copied: they are the run's until the next step). */
HlTamperDialog *hl_tamper_dialog_new (GtkWindow *parent, const HlNextMessage *next);
GtkTextView *hl_tamper_dialog_get_text_view (HlTamperDialog *self);
/* For tests: the scrollbar beside the bytes (it has an adjustment of its own). */
GtkScrollbar *hl_tamper_dialog_get_scrollbar (HlTamperDialog *self);

/* For tests and screen readers: what is wrong with the typed bytes (NULL when nothing),
 * the change already waiting on this message (NULL when none), what the change will
 * break, and the byte and field under the cursor. */
const char *hl_tamper_dialog_get_problem (HlTamperDialog *self);
const char *hl_tamper_dialog_get_pending (HlTamperDialog *self);
const char *hl_tamper_dialog_get_prediction (HlTamperDialog *self);
const char *hl_tamper_dialog_get_cursor_info (HlTamperDialog *self);

G_END_DECLS
