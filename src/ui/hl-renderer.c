/* hl-renderer.c */
#include <epoxy/gl.h>

#include "hl-renderer.h"

/* Where the display keeps the line describing the choice. */
#define CHOICE_KEY "hl-renderer-choice"

gboolean
hl_renderer_name_is_software (const char *gl_renderer)
{
  /* Mesa's names for its CPU rasterizers: "llvmpipe (LLVM 15.0.6, 256 bits)", "softpipe",
   * and the classic "Software Rasterizer" (swrast). A GPU's name may mention LLVM (its
   * shader compiler), so the match is on these words, not on "LLVM". */
  static const char *const software[] = { "llvmpipe", "softpipe", "software rasterizer", "swrast" };
  g_autofree char *lower = NULL;
  if (!gl_renderer)
    return FALSE;
  lower = g_ascii_strdown (gl_renderer, -1);
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (lower, software[i]))
      return TRUE;
  return FALSE;
}

/* The display's OpenGL renderer's name, or NULL (with error) when no context can be made. */
static char *
read_gl_renderer (GdkDisplay *display, GError **error)
{
  g_autoptr (GdkGLContext) context = gdk_display_create_gl_context (display, error);
  const GLubyte *name;
  char *copy;
  if (!context || !gdk_gl_context_realize (context, error))
    return NULL;
  gdk_gl_context_make_current (context);
  name = glGetString (GL_RENDERER);
  copy = g_strdup (name ? (const char *)name : "an unnamed OpenGL renderer");
  gdk_gl_context_clear_current ();
  return copy;
}

const char *
hl_renderer_choose (GdkDisplay *display)
{
  const char *asked = g_getenv ("GSK_RENDERER");
  g_autoptr (GError) error = NULL;
  g_autofree char *gl = NULL;
  char *choice;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);
  if (asked && *asked) {
    choice = g_strdup_printf ("renderer: GSK_RENDERER=%s, as set in the environment", asked);
  } else if (!(gl = read_gl_renderer (display, &error))) {
    /* GTK finds the same and falls back to cairo by itself. */
    choice = g_strdup_printf ("renderer: GTK's choice; no OpenGL context (%s)",
                              error ? error->message : "no reason given");
  } else if (hl_renderer_name_is_software (gl)) {
    /* GTK 4.8 looks for a renderer named in the display's "gsk-renderer" data before
     * GSK_RENDERER (gskrenderer.c, renderer_possibilities; GtkInspector sets it the same
     * way). The environment variable would do, but GTK reads it once and caches it, and
     * setting it now, with GLib's threads running, is not safe. */
    g_object_set_data (G_OBJECT (display), "gsk-renderer", (gpointer) "cairo");
    choice = g_strdup_printf ("renderer: cairo, chosen by Handshake Lab because OpenGL here is "
                              "%s, which draws in software",
                              gl);
  } else {
    choice = g_strdup_printf ("renderer: GTK's choice; OpenGL is %s", gl);
  }
  g_object_set_data_full (G_OBJECT (display), CHOICE_KEY, choice, g_free);
  return choice;
}

const char *
hl_renderer_describe (GdkDisplay *display)
{
  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);
  return g_object_get_data (G_OBJECT (display), CHOICE_KEY);
}
