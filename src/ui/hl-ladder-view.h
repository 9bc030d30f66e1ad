/* hl-ladder-view.h: the ladder diagram of a session, live. It paints with the
 * diagram library (nothing of its own), only the part that is visible, and
 * selects the step under a click. */
#pragma once

#include <gtk/gtk.h>

#include "hl-session.h"

G_BEGIN_DECLS

#define HL_TYPE_LADDER_VIEW (hl_ladder_view_get_type ())
G_DECLARE_FINAL_TYPE (HlLadderView, hl_ladder_view, HL, LADDER_VIEW, GtkWidget)

GtkWidget *hl_ladder_view_new (void);
void hl_ladder_view_set_session (HlLadderView *self, HlSession *session);
HlSession *hl_ladder_view_get_session (HlLadderView *self);
void hl_ladder_view_set_zoom (HlLadderView *self, double zoom); /* 0.25 .. 4 */
double hl_ladder_view_get_zoom (HlLadderView *self);
void hl_ladder_view_set_dark (HlLadderView *self, gboolean dark);
/* The width the diagram is laid out for, in its own pixels (at least 900; 320 without
 * the key lists). */
void hl_ladder_view_set_layout_width (HlLadderView *self, double width);
/* The diagram's size at zoom 1, as laid out now. */
void hl_ladder_view_get_layout_size (HlLadderView *self, double *width, double *height);
/* The per-side lists of what each side holds, beside the timelines (shown by default). */
void hl_ladder_view_set_show_notes (HlLadderView *self, gboolean show);
gboolean hl_ladder_view_get_show_notes (HlLadderView *self);
/* Scrolls step n fully into view once the diagram has its new size (at the next
 * allocation), in the scrolled window it is in. */
void hl_ladder_view_reveal_step (HlLadderView *self, guint n);
/* Where step n is drawn, in widget coordinates; FALSE when it is not drawn. */
gboolean hl_ladder_view_get_step_area (HlLadderView *self, guint n, graphene_rect_t *area);
/* For tests: how many layouts the view has made. */
guint hl_ladder_view_get_n_layouts (HlLadderView *self);
/* For tests: how many times the ladder under a travelling arrow was recorded. */
guint hl_ladder_view_get_n_stills (HlLadderView *self);

G_END_DECLS
