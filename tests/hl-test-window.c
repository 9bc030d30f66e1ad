/* hl-test-window.c: waiting for frames and taking screenshots, for the window tests. */
#include "hl-test-window.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "hl-test-util.h"

/* Wakes the main loop ten times a second: every wait in these tests is a loop of blocking
 * iterations with a deadline, and without a source that fires, a wait for something that
 * never comes would block past its deadline until meson kills the test. */
static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* gtk_init_check, but FALSE (the test skips) only where no display is named. */
static gboolean
open_display (void)
{
  const char *x11 = g_getenv ("DISPLAY"), *wayland = g_getenv ("WAYLAND_DISPLAY");
  if (gtk_init_check ())
    return TRUE;
  /* A display named but not opened fails the test instead of skipping it: twice the test
   * command's window tests could not open Xvfb's display on a loaded machine, skipped, and
   * the run passed without them. (GTK cannot be initialised again after a failure.) */
  if ((x11 && *x11) || (wayland && *wayland))
    g_error ("GTK could not open the display (DISPLAY=%s, WAYLAND_DISPLAY=%s)", x11 ? x11 : "",
             wayland ? wayland : "");
  return FALSE;
}

gboolean
hl_test_window_init (int *argc, char ***argv, const char *artifacts, char **dir,
                     HlApplication **app)
{
  g_autofree char *cwd = NULL;
  g_test_init (argc, argv, NULL);
  if (!open_display ())
    return FALSE;
  if (artifacts) {
    cwd = g_get_current_dir ();
    *dir = g_build_filename (cwd, artifacts, NULL);
    g_mkdir_with_parents (*dir, 0755);
  }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_timeout_add (100, tick, NULL);
  *app = hl_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (*app), NULL, NULL));
  return TRUE;
}

static void
on_painted (GdkFrameClock *clock, gboolean *painted)
{
  *painted = TRUE;
}

void
hl_test_wait_for_frame (GtkWidget *w)
{
  gboolean painted = FALSE;
  GdkFrameClock *clock;
  gulong id;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((!gtk_widget_get_mapped (w) || gtk_widget_get_width (w) <= 0)
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (w);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_painted), &painted);
  gtk_widget_queue_draw (w);
  while (!painted && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  if (!painted)
    g_test_message ("no frame of %s within 10 s (mapped: %d, width %d)", G_OBJECT_TYPE_NAME (w),
                    gtk_widget_get_mapped (w), gtk_widget_get_width (w));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

void
hl_test_screenshot (GtkWidget *w, const char *dir, const char *name)
{
  GdkPaintable *p = gtk_widget_paintable_new (w);
  GtkSnapshot *s = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  hl_test_wait_for_frame (w);
  gdk_paintable_snapshot (p, s, gtk_widget_get_width (w), gtk_widget_get_height (w));
  node = gtk_snapshot_free_to_node (s);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (w)), node,
                                         NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (p);
}

GBytes *
hl_test_draw_widget (GtkWidget *w)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (w);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (w));
  int width = gtk_widget_get_width (w), height = gtk_widget_get_height (w);
  GskRenderNode *node;
  GdkTexture *texture;
  guchar *data = g_malloc0 ((gsize)width * height * 4);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  /* the whole widget: the node's own bounds are only what is drawn */
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);
  gdk_texture_download (texture, data, (gsize)width * 4);
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
  return g_bytes_new_take (data, (gsize)width * height * 4);
}

/* The first of w and its descendants, depth first, that match says is the one. */
static GtkWidget *
find_first (GtkWidget *w, gboolean (*match) (GtkWidget *, gconstpointer), gconstpointer data)
{
  if (match (w, data))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c)) {
    GtkWidget *found = find_first (c, match, data);
    if (found)
      return found;
  }
  return NULL;
}

static gboolean
has_css_class (GtkWidget *w, gconstpointer name)
{
  return gtk_widget_has_css_class (w, name);
}

static gboolean
is_of_type (GtkWidget *w, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (w, *(const GType *)type);
}

GtkWidget *
hl_test_find_css_class (GtkWidget *w, const char *name)
{
  return find_first (w, has_css_class, name);
}

GtkWidget *
hl_test_find_type (GtkWidget *w, GType type)
{
  return find_first (w, is_of_type, &type);
}

void
hl_test_count (guint *n)
{
  (*n)++;
}

gboolean
hl_test_bounds_in_window (GtkWidget *w, graphene_rect_t *out)
{
  return gtk_widget_get_mapped (w)
         && gtk_widget_compute_bounds (w, GTK_WIDGET (gtk_widget_get_root (w)), out);
}

HlWindow *
hl_test_open_lesson (HlApplication *app, const char *lesson, int width, int height)
{
  HlWindow *win = hl_window_new (GTK_APPLICATION (app));
  g_autofree char *file = g_strconcat ("scenarios/", lesson, ".scenario", NULL);
  g_autofree char *path = hl_test_source_path (file);
  gtk_window_set_default_size (GTK_WINDOW (win), width, height);
  g_assert_true (hl_window_load (win, path));
  gtk_window_present (GTK_WINDOW (win));
  hl_test_wait_for_frame (GTK_WIDGET (win));
  return win;
}

void
hl_test_act (HlWindow *win, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), action, NULL));
  hl_test_wait_for_frame (GTK_WIDGET (win));
}

void
hl_test_act_to_first_frame (HlWindow *win, const char *action)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  gboolean painted = FALSE;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_painted), &painted);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), action, NULL));
  while (!painted && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  g_assert_true (painted);
}
