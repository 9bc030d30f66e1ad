/* hl-window-tamper.h: the window's side of tampering by field (hl-window-tamper.c): the
 * toast with Undo when Back takes a change away, Redo, and the actions the field dialog
 * and the inspector's field menu use. Private to the window's files. */
#pragma once

#include "hl-window.h"

G_BEGIN_DECLS

void _hl_window_class_init_tamper (GtkWidgetClass *wc);
void _hl_window_update_tamper_actions (HlWindow *self);
/* After Back took changes away (hl_session_get_n_undone): a toast that names them, with
 * Undo. */
void _hl_window_say_back_undid (HlWindow *self);
/* After Restart took changes away: a toast with Undo (they go back on their messages). */
void _hl_window_say_restart_undid (HlWindow *self);

G_END_DECLS
