/* Helpers the window tests share (under a display). */
#pragma once

#include <gtk/gtk.h>

#include "hl-application.h"
#include "hl-window.h"

G_BEGIN_DECLS

/* What every window test's main does first: g_test_init, a display (FALSE when none is
 * named: the caller prints the TAP skip and returns; a named one that cannot be opened
 * fails the test, as CI always has one), libadwaita without animations (arrows travel when
 * a step is delivered; tests see every state at its end), the directory CWD/ARTIFACTS made
 * and returned in *dir (none when ARTIFACTS is NULL), and a registered non-unique
 * application in *app. */
gboolean hl_test_window_init (int *argc, char ***argv, const char *artifacts, char **dir,
                              HlApplication **app);

/* A window of app on the bundled lesson LESSON (its file name without ".scenario"), WIDTH x
 * HEIGHT, loaded, shown and painted. */
HlWindow *hl_test_open_lesson (HlApplication *app, const char *lesson, int width, int height);
/* Activates the window action (no parameter) and waits for the frame after it. */
void hl_test_act (HlWindow *win, const char *action);
/* Activates the window action and runs the main loop to its first painted frame and no
 * further: what the person sees first, before idle work that frame queued has run. */
void hl_test_act_to_first_frame (HlWindow *win, const char *action);
/* Until the widget is mapped, has a size, and one more frame has been painted. */
void hl_test_wait_for_frame (GtkWidget *w);
/* The widget as drawn now, saved as DIR/NAME (a PNG). */
void hl_test_screenshot (GtkWidget *w, const char *dir, const char *name);
/* The widget drawn alone (its CSS background included) by its window's renderer, the whole
 * of its width x height: the image's bytes, rows in GDK's default memory format. */
GBytes *hl_test_draw_widget (GtkWidget *w);
/* The first of w and its descendants (depth first) with the CSS class NAME; NULL: none. */
GtkWidget *hl_test_find_css_class (GtkWidget *w, const char *name);
/* The first of w and its descendants (depth first) of TYPE; NULL: none. */
GtkWidget *hl_test_find_type (GtkWidget *w, GType type);
/* Adds one to *n: connected with g_signal_connect_swapped, counts a signal's emissions. */
void hl_test_count (guint *n);
/* Where the widget is in its window's coordinates; FALSE when it has no place there. */
gboolean hl_test_bounds_in_window (GtkWidget *w, graphene_rect_t *out);

G_END_DECLS
