/* hl-compare-dialog.h: "Compare with…" in the window (issue 20).
 *
 * The window's lesson, run again as written, and a second lesson, each run on its own to
 * its end; the dialog shows their difference summary and messages by story step
 * (hl-compare.h). */
#pragma once

#include <adwaita.h>

#include "hl-run.h"

G_BEGIN_DECLS

#define HL_TYPE_COMPARE_DIALOG (hl_compare_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlCompareDialog, hl_compare_dialog, HL, COMPARE_DIALOG, AdwWindow)

/* run: the window's run of a lesson (borrowed for the call); other: the second lesson's
 * file. NULL with error when either does not load or the run is a recording. */
HlCompareDialog *hl_compare_dialog_new (GtkWindow *parent, const HlRun *run, const char *other,
                                        GError **error);
/* The comparison as shown. */
const char *hl_compare_dialog_get_text (HlCompareDialog *self);

/* Installs win.compare on the window's class: it asks for the second lesson, then shows the
 * dialog. */
void hl_compare_dialog_install_action (GtkWidgetClass *window_class);

G_END_DECLS
