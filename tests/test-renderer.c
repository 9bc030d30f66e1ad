/* test-renderer.c: the application draws with cairo where OpenGL would run in software
 * (hl-renderer.h), and leaves GSK_RENDERER, when set, to the user. Runs without the other
 * window tests' GSK_RENDERER=cairo and GDK_DEBUG=gl-disable, so GTK sees the machine's
 * OpenGL as a student's copy does. */
#include <adwaita.h>
#include <gsk/gl/gskglrenderer.h>
#include <epoxy/gl.h>

#include "hl-application.h"
#include "hl-renderer.h"

static gboolean have_display;

/* The renderer GTK gives a new window on the default display. */
static GskRenderer *
realize_window_renderer (GtkWidget **window)
{
  *window = gtk_window_new ();
  gtk_widget_realize (*window);
  return gtk_native_get_renderer (GTK_NATIVE (*window));
}

/* What OpenGL calls its renderer on this display, read here independently of the lab's
 * code; NULL when no context can be made. */
static char *
read_gl_renderer_name (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkGLContext) context
      = gdk_display_create_gl_context (gdk_display_get_default (), &error);
  char *name;
  if (!context || !gdk_gl_context_realize (context, &error)) {
    g_test_message ("no OpenGL context on this display: %s", error->message);
    return NULL;
  }
  gdk_gl_context_make_current (context);
  name = g_strdup ((const char *)glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return name;
}

static void
test_software_names (void)
{
  static const struct {
    const char *name;
    gboolean software;
  } cases[] = {
    { "llvmpipe (LLVM 15.0.6, 256 bits)", TRUE },
    { "softpipe", TRUE },
    { "Software Rasterizer", TRUE },
    { "Mesa DRI Intel(R) UHD Graphics 620 (KBL GT2)", FALSE },
    /* A GPU whose driver compiles shaders with LLVM is not software. */
    { "AMD Radeon RX 580 Series (polaris10, LLVM 15.0.6, DRM 3.49, 6.1.0-18-amd64)", FALSE },
    { "SVGA3D; build: RELEASE;  LLVM;", FALSE },
    { "virgl", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (hl_renderer_name_is_software (cases[i].name), ==, cases[i].software);
}

static void
test_chosen_at_startup (void)
{
  GtkWidget *plain, *later;
  GskRenderer *gtk_choice;
  g_autofree char *gl = NULL;
  g_autoptr (HlApplication) app = NULL;
  GskRenderer *lab_choice;
  const char *line;
  if (!have_display) {
    g_test_skip ("no display");
    return;
  }
  gtk_choice = realize_window_renderer (&plain);
  gl = read_gl_renderer_name ();
  g_assert_null (hl_renderer_describe (gdk_display_get_default ()));
  app = hl_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  lab_choice = realize_window_renderer (&later);
  line = hl_renderer_describe (gdk_display_get_default ());
  g_test_message ("OpenGL: %s; GTK's own renderer: %s; after the lab's startup: %s (%s)",
                  gl ? gl : "none", G_OBJECT_TYPE_NAME (gtk_choice),
                  G_OBJECT_TYPE_NAME (lab_choice), line);
  if (!gl) {
    /* No OpenGL: GTK falls back to cairo by itself. */
    g_assert_true (GSK_IS_CAIRO_RENDERER (lab_choice));
  } else if (strstr (gl, "llvmpipe") || strstr (gl, "softpipe")) {
    /* The case the lab changes: GTK alone takes OpenGL in software. */
    g_assert_true (GSK_IS_GL_RENDERER (gtk_choice));
    g_assert_true (GSK_IS_CAIRO_RENDERER (lab_choice));
    g_assert_nonnull (line);
    g_assert_nonnull (strstr (line, gl));
  } else {
    g_assert_true (GSK_IS_GL_RENDERER (lab_choice));
  }
  g_assert_nonnull (line);
  gtk_window_destroy (GTK_WINDOW (plain));
  gtk_window_destroy (GTK_WINDOW (later));
}

/* In a child whose environment has GSK_RENDERER=gl (main sets it): the lab does not
 * override it. */
static void
test_user_choice_kept (void)
{
  if (!have_display) {
    g_test_skip ("no display");
    return;
  }
  if (g_test_subprocess ()) {
    GtkWidget *window;
    g_autofree char *gl = read_gl_renderer_name ();
    g_autoptr (HlApplication) app = hl_application_new (G_APPLICATION_NON_UNIQUE);
    GskRenderer *renderer;
    g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
    renderer = realize_window_renderer (&window);
    g_assert_null (g_object_get_data (G_OBJECT (gdk_display_get_default ()), "gsk-renderer"));
    g_assert_nonnull (
        strstr (hl_renderer_describe (gdk_display_get_default ()), "GSK_RENDERER=gl"));
    if (gl)
      g_assert_true (GSK_IS_GL_RENDERER (renderer));
    gtk_window_destroy (GTK_WINDOW (window));
    return;
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  const char *x11 = g_getenv ("DISPLAY"), *wayland = g_getenv ("WAYLAND_DISPLAY");
  g_test_init (&argc, &argv, NULL);
  /* Before GTK starts (and reads it): the user's choice in the child, none otherwise. */
  if (g_test_subprocess ())
    g_setenv ("GSK_RENDERER", "gl", TRUE);
  else
    g_unsetenv ("GSK_RENDERER");
  g_test_add_func ("/renderer/software-names", test_software_names);
  g_test_add_func ("/renderer/chosen-at-startup", test_chosen_at_startup);
  g_test_add_func ("/renderer/user-choice-kept", test_user_choice_kept);
  have_display = gtk_init_check ();
  /* A display named but not opened fails, as in the other window tests. */
  if (!have_display && ((x11 && *x11) || (wayland && *wayland)))
    g_error ("GTK could not open the display (DISPLAY=%s, WAYLAND_DISPLAY=%s)", x11 ? x11 : "",
             wayland ? wayland : "");
  if (have_display)
    adw_init ();
  return g_test_run ();
}
