/* Helpers the window tests share (under a display). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Until the widget is mapped, has a size, and one more frame has been painted. */
void hl_test_wait_for_frame (GtkWidget *w);
/* The widget as drawn now, saved as DIR/NAME (a PNG). */
void hl_test_screenshot (GtkWidget *w, const char *dir, const char *name);
/* Where the widget is in its window's coordinates; FALSE when it has no place there. */
gboolean hl_test_bounds_in_window (GtkWidget *w, graphene_rect_t *out);

G_END_DECLS
