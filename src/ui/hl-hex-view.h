/* hl-hex-view.h: a message's bytes in hex, sixteen to a line after their offset, as
 * hl_hex_dump() writes them ("0010  82 02 92 ..."), with one range of bytes marked (the
 * field selected in the inspector).
 *
 * It draws only the lines in view, each shaped once: a GtkTextView laid out most of a
 * message's lines when a step showed it, a third of the instructions of a step showing a
 * 1.8 KB Certificate (issue 17). Put it in a GtkScrolledWindow (which gives it a
 * viewport): it follows the scrolled window's vertical adjustment. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_HEX_VIEW (hl_hex_view_get_type ())
G_DECLARE_FINAL_TYPE (HlHexView, hl_hex_view, HL, HEX_VIEW, GtkWidget)

GtkWidget *hl_hex_view_new (void);
/* The bytes shown (NULL: none); the mark is cleared. */
void hl_hex_view_set_bytes (HlHexView *self, GBytes *bytes);
GBytes *hl_hex_view_get_bytes (HlHexView *self);
/* Marks bytes [start, end) (start == end: none) and scrolls the first marked line into
 * view when it is out of it. */
void hl_hex_view_set_mark (HlHexView *self, gsize start, gsize end);
void hl_hex_view_get_mark (HlHexView *self, gsize *start, gsize *end);
/* Where byte BYTE's two digits are drawn, in the widget's coordinates; FALSE past the end. */
gboolean hl_hex_view_get_byte_rect (HlHexView *self, gsize byte, graphene_rect_t *rect);
/* The byte under a point in the widget's coordinates, or -1 (the offset column, a gap
 * past a line's end, no byte there). */
gssize hl_hex_view_get_byte_at (HlHexView *self, double x, double y);
/* The text of line LINE as drawn (no newline), or NULL past the last; for tests. */
char *hl_hex_view_get_line_text (HlHexView *self, gsize line);
/* How many lines have been shaped since the bytes were set (lines prepared ahead not
 * counted); for tests. */
guint hl_hex_view_get_n_shaped (HlHexView *self);
/* Shapes, now, the lines of `bytes` that the view would show first, for the next
 * hl_hex_view_set_bytes of them to draw without shaping (the inspector calls it while the
 * window is idle, for the step made ahead: issue 17). Replaces what was prepared before. */
void hl_hex_view_prepare (HlHexView *self, GBytes *bytes);

G_END_DECLS
