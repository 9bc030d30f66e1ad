/* hl-application.h: Handshake Lab as a GNOME application. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HL_APPLICATION_ID "io.github.handshakelab.HandshakeLab"
#define HL_TYPE_APPLICATION (hl_application_get_type ())
G_DECLARE_FINAL_TYPE (HlApplication, hl_application, HL, APPLICATION, AdwApplication)

/* flags: G_APPLICATION_NON_UNIQUE for tests. */
HlApplication *hl_application_new (GApplicationFlags flags);

/* Opens the window on a scenario (NULL: the default lesson) and runs until it closes.
 * Without a display: says so on standard error and returns 2. */
int hl_ui_run (const char *scenario_path);
/* The same on a capture, with its key files (NULL-terminated; NULL: none) and connection N
 * (0: the only one, or the person chooses). */
int hl_ui_run_capture (const char *path, const char *const *secrets, guint connection);

G_END_DECLS
