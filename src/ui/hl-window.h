/* hl-window.h: the main window: a lesson's ladder, live, with the selected step
 * inspected and what each side knows. Every user action is a "win." action (the
 * exports and tampering take their target as a parameter, so tests drive them
 * without dialogs). */
#pragma once

#include <adwaita.h>

#include "hl-session.h"

G_BEGIN_DECLS

#define HL_TYPE_WINDOW (hl_window_get_type ())
G_DECLARE_FINAL_TYPE (HlWindow, hl_window, HL, WINDOW, AdwApplicationWindow)

HlWindow *hl_window_new (GtkApplication *app);
HlSession *hl_window_get_session (HlWindow *self);
/* Loads a lesson, or a capture (told apart by its content, not its name); a failure is
 * shown and the current lesson stays. */
gboolean hl_window_load (HlWindow *self, const char *path);
/* Opens a capture (pcap or pcapng) with these key files (NULL-terminated; NULL: none) on
 * connection N (from 1; 0: the only one, or the person chooses from a list). */
gboolean hl_window_open_capture (HlWindow *self, const char *path, const char *const *secrets,
                                 guint connection);

G_END_DECLS
