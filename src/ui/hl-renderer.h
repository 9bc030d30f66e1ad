/* hl-renderer.h: which of GTK's renderers draws the windows.
 *
 * GTK 4.8 draws with OpenGL wherever an OpenGL context can be made, even when Mesa makes
 * it in software (llvmpipe: a machine without a GPU driver, a virtual machine, Xvfb). There
 * a step of the lab took 60 to 90 ms to its frame, against 5 to 15 ms with GTK's cairo
 * renderer, which draws on the CPU without emulating a GPU (docs/performance.md, "The
 * renderer a student gets"). So the application asks which OpenGL the display has before
 * its first window and takes cairo when it is a software one. GSK_RENDERER, when set, is
 * the user's choice and is left alone. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* TRUE when gl_renderer (OpenGL's GL_RENDERER string) names a renderer that runs on the
 * CPU: Mesa's llvmpipe, softpipe or swrast. NULL is not one. */
gboolean hl_renderer_name_is_software (const char *gl_renderer);

/* Chooses the renderer for display's windows; call it before the first window is realized
 * (HlApplication does in startup). Returns what was chosen and why, in a line for a bug
 * report (the about window's troubleshooting page shows it); the display keeps it. */
const char *hl_renderer_choose (GdkDisplay *display);

/* The line hl_renderer_choose returned for display, or NULL if it was not called. */
const char *hl_renderer_describe (GdkDisplay *display);

G_END_DECLS
