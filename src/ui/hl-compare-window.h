/* hl-compare-window.h: "Compare with…" in the window (issue 20, "Compare two lessons").
 *
 * Two lessons side by side, each run live by its own session and drawn by its own ladder,
 * stepped together by the rows of their comparison (hl-compare.h): each Next moves both to
 * the next row, delivering what that row needs and selecting its step on each side; a
 * side that lacks the row's message says so. The difference summary is below. The second
 * lesson is chosen from the lab's lesson picker (or, secondarily, a file). */
#pragma once

#include <adwaita.h>

#include "hl-compare.h"
#include "hl-ladder-view.h"
#include "hl-lesson-picker.h"
#include "hl-session.h"

G_BEGIN_DECLS

#define HL_TYPE_COMPARE_WINDOW (hl_compare_window_get_type ())
G_DECLARE_FINAL_TYPE (HlCompareWindow, hl_compare_window, HL, COMPARE_WINDOW, AdwWindow)

/* lesson: the first lesson's file (run again as written); other: the second's, or NULL to
 * choose it in the window. NULL with error (FILE:LINE: ...) when either does not load. */
HlCompareWindow *hl_compare_window_new (GtkWindow *parent, const char *lesson, const char *other,
                                        GError **error);
/* Compares with another second lesson, from before the first row. On failure what was
 * shown stays. */
gboolean hl_compare_window_set_other (HlCompareWindow *self, const char *other, GError **error);

/* The row shown: -1 before the first (nothing delivered), up to n_rows - 1. */
int hl_compare_window_get_row (HlCompareWindow *self);
/* Each moves both sides together; FALSE when there is no row to move to. */
gboolean hl_compare_window_next (HlCompareWindow *self);
gboolean hl_compare_window_back (HlCompareWindow *self);

/* For tests and views: the comparison shown (NULL before a second lesson), each side's
 * session and ladder (0: the first lesson, 1: the second), the text saying that a side lacks
 * the row's message (NULL when it is not shown), the picker, and the last message shown. */
const HlComparison *hl_compare_window_get_comparison (HlCompareWindow *self);
HlSession *hl_compare_window_get_session (HlCompareWindow *self, guint side);
HlLadderView *hl_compare_window_get_ladder (HlCompareWindow *self, guint side);
const char *hl_compare_window_get_lacking (HlCompareWindow *self, guint side);
HlLessonPicker *hl_compare_window_get_picker (HlCompareWindow *self);
GtkWidget *hl_compare_window_get_summary (HlCompareWindow *self);
const char *hl_compare_window_get_last_message (HlCompareWindow *self);

/* Installs win.compare on the window's class: it opens the compare view on the window's
 * lesson, with the lesson picker open for the second. */
void hl_compare_window_install_action (GtkWidgetClass *window_class);

G_END_DECLS
