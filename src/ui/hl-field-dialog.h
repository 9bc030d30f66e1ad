/* hl-field-dialog.h: "Change this field", from the inspector's Fields list: a typed value
 * (a name from the protocol's table, a number, or hex), one bit to flip, or the whole
 * message dropped. What the change will break is said before it is made, and follows what
 * is typed; a value that is not valid is said in the dialog, which keeps what was typed.
 * The change itself goes through the session; the window hears of it by win.tamper-done. */
#pragma once

#include <adwaita.h>

#include "hl-session.h"

G_BEGIN_DECLS

typedef enum {
  HL_FIELD_DIALOG_SET,
  HL_FIELD_DIALOG_FLIP,
  HL_FIELD_DIALOG_DROP,
} HlFieldDialogMode;

#define HL_TYPE_FIELD_DIALOG (hl_field_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlFieldDialog, hl_field_dialog, HL, FIELD_DIALOG, AdwMessageDialog)

/* For field `field` (copied; NULL for a drop) of delivered step `step` (from 1). */
HlFieldDialog *hl_field_dialog_new (GtkWindow *parent, HlSession *session, guint step,
                                    const HlField *field, HlFieldDialogMode mode);
/* For tests and screen readers: the value box, the bit, what is wrong with the value
 * (NULL when nothing), and what the change will break. */
GtkEditable *hl_field_dialog_get_entry (HlFieldDialog *self);
GtkSpinButton *hl_field_dialog_get_bit (HlFieldDialog *self);
const char *hl_field_dialog_get_problem (HlFieldDialog *self);
const char *hl_field_dialog_get_prediction (HlFieldDialog *self);

G_END_DECLS
