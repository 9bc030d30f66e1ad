/* The window on every screen a class uses (issue 17): 800x600, a 360-pixel phone, 400
 * pixels tall, a 1600x1000 projector in presentation mode; each checked by where its
 * widgets are allocated, with a screenshot of each saved as a test artifact
 * (layout-artifacts/). And the shortcuts window lists every key the window binds. */
#include <string.h>

#include "hl-application.h"
#include "hl-hex-view.h"
#include "hl-test-util.h"
#include "hl-test-window.h"
#include "hl-window-private.h"

static HlApplication *app;
static char *artifacts;

#define open_window(lesson, width, height) hl_test_open_lesson (app, (lesson), (width), (height))

#define act(win, action) hl_test_act ((win), (action))

static void
screenshot (HlWindow *win, const char *name)
{
  hl_test_screenshot (GTK_WIDGET (win), artifacts, name);
}

/* The widget is shown, at least min_w x min_h, and wholly inside the window. */
static void
assert_inside (HlWindow *win, GtkWidget *w, const char *what, double min_w, double min_h)
{
  graphene_rect_t r;
  int ww = gtk_widget_get_width (GTK_WIDGET (win)), wh = gtk_widget_get_height (GTK_WIDGET (win));
  if (!hl_test_bounds_in_window (w, &r))
    g_error ("%s is not shown", what);
  /* A pixel of slack: the header bar reaches under the window's one-pixel border. */
  if (r.size.width < min_w || r.size.height < min_h || r.origin.x < -1 || r.origin.y < -1
      || r.origin.x + r.size.width > ww + 1 || r.origin.y + r.size.height > wh + 1)
    g_error ("%s at %g,%g %gx%g: not wholly inside the %dx%d window or smaller than %gx%g", what,
             r.origin.x, r.origin.y, r.size.width, r.size.height, ww, wh, min_w, min_h);
}

/* The window got the size asked for (less the client-side decorations' few pixels
 * without a window manager): nothing in it needs more. */
static void
assert_size (HlWindow *win, int width, int height)
{
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (win)), <=, width);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (win)), >=, width - 12);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (win)), <=, height);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (win)), >=, height - 12);
}

/* How much of the widget's height is on screen: clipped by every scrolled window it is in. */
static double
visible_height (GtkWidget *w)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (w));
  graphene_rect_t r, clip;
  if (!gtk_widget_compute_bounds (w, root, &r))
    return 0;
  for (GtkWidget *a = gtk_widget_get_parent (w); a; a = gtk_widget_get_parent (a)) {
    if (!GTK_IS_SCROLLED_WINDOW (a))
      continue;
    g_assert_true (gtk_widget_compute_bounds (a, root, &clip));
    if (!graphene_rect_intersection (&r, &clip, &r))
      return 0;
  }
  return r.size.height;
}

/* Steps whose row is wholly inside the ladder's viewport. */
static guint
steps_in_view (HlWindow *win, guint *first, guint *last)
{
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (win->ladder_scroller);
  double top = gtk_adjustment_get_value (v), page = gtk_adjustment_get_page_size (v);
  guint n = 0;
  graphene_rect_t area;
  *first = *last = 0;
  for (guint k = 1; hl_ladder_view_get_step_area (win->ladder, k, &area); k++)
    if (area.origin.y >= top - 0.5 && area.origin.y + area.size.height <= top + page + 0.5) {
      n++;
      *first = *first ? *first : k;
      *last = k;
    }
  return n;
}

/* Over every step selected in turn (each scrolled into view), how many steps are wholly
 * in view with it: what the class sees of the conversation. */
static guint
steps_seen (HlWindow *win)
{
  HlSession *s = hl_window_get_session (win);
  guint seen = 0, first, last;
  for (guint k = 1; k <= hl_session_get_position (s); k++) {
    hl_session_select (s, k);
    hl_test_wait_for_frame (GTK_WIDGET (win));
    seen += steps_in_view (win, &first, &last);
    g_assert_cmpuint (first, <=, k);
    g_assert_cmpuint (last, >=, k);
  }
  return seen;
}

/* The step controls and the ladder are on screen, whole. */
static void
assert_controls_and_ladder (HlWindow *win, double min_ladder_h)
{
  assert_inside (win, GTK_WIDGET (win->back_button), "Back", 16, 16);
  assert_inside (win, GTK_WIDGET (win->step_button), "Step", 16, 16);
  assert_inside (win, GTK_WIDGET (win->play_button), "Play", 16, 16);
  assert_inside (win, GTK_WIDGET (win->main_menu_button), "the main menu", 16, 16);
  assert_inside (win, GTK_WIDGET (win->ladder_scroller), "the ladder",
                 gtk_widget_get_width (GTK_WIDGET (win)) - 40, min_ladder_h);
}

/* 800x600 (a 1024x768 projector or half a laptop screen): the window is no wider, the
 * controls and the ladder are on it, and the inspector is under the ladder. */
static void
test_800x600 (void)
{
  HlWindow *win = open_window ("02-ecdhe-rsa-aes-gcm", 800, 600);
  graphene_rect_t ladder, side;
  for (int i = 0; i < 8; i++)
    act (win, "win.step");
  hl_test_wait_for_frame (GTK_WIDGET (win));
  assert_size (win, 800, 600);
  g_assert_cmpint (win->mode, ==, HL_WINDOW_MEDIUM);
  assert_controls_and_ladder (win, 180);
  assert_inside (win, GTK_WIDGET (win->tamper_button), "Tamper", 16, 16);
  assert_inside (win, GTK_WIDGET (win->next_label), "the next message", 60, 10);
  assert_inside (win, GTK_WIDGET (win->side), "the inspector", 700, 180);
  g_assert_true (hl_test_bounds_in_window (GTK_WIDGET (win->ladder_scroller), &ladder));
  g_assert_true (hl_test_bounds_in_window (GTK_WIDGET (win->side), &side));
  g_assert_cmpfloat (side.origin.y, >=, ladder.origin.y + ladder.size.height - 0.5);
  /* The ladder fits the width: no sideways scrolling. */
  {
    GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (win->ladder_scroller);
    g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h) + 1);
  }
  screenshot (win, "layout-800x600.png");
  /* The inspector shows the bytes too, a few lines of them at least. */
  g_assert_cmpfloat (visible_height (gtk_widget_get_parent (
                         hl_test_find_type (hl_window_get_inspector (win), HL_TYPE_HEX_VIEW))),
                     >=, 40);
  /* The Inspector button hides the flap: the ladder takes the height. */
  gtk_toggle_button_set_active (win->inspector_button, FALSE);
  hl_test_wait_for_frame (GTK_WIDGET (win));
  hl_test_wait_for_frame (GTK_WIDGET (win));
  assert_controls_and_ladder (win, 400);
  screenshot (win, "layout-800x600-no-inspector.png");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* 1024x768, a projector's size, the inspector beside the ladder: the ladder's pane is about
 * 530 px, where the key lists (900 px) shrank the whole ladder to 0.59 of its size, its text
 * 7 px high (a user's trial). The conversation alone now fills the pane at full size; Ctrl+K
 * brings the lists back. */
static void
test_projector (void)
{
  HlWindow *win = open_window ("30-tls13-basic", 1024, 768);
  for (int i = 0; i < 5; i++)
    act (win, "win.step");
  hl_test_wait_for_frame (GTK_WIDGET (win));
  hl_test_wait_for_frame (GTK_WIDGET (win));
  assert_size (win, 1024, 768);
  g_assert_cmpint (win->mode, ==, HL_WINDOW_WIDE);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (win->ladder_scroller)), <, 720);
  g_assert_false (hl_ladder_view_get_show_notes (win->ladder));
  g_assert_cmpfloat (hl_ladder_view_get_zoom (win->ladder), >=, 0.8);
  screenshot (win, "layout-1024x768.png");
  act (win, "win.show-key-lists");
  hl_test_wait_for_frame (GTK_WIDGET (win));
  hl_test_wait_for_frame (GTK_WIDGET (win));
  g_assert_true (hl_ladder_view_get_show_notes (win->ladder));
  gtk_window_destroy (GTK_WINDOW (win));
  /* A wider pane keeps them, at a readable size. */
  win = open_window ("30-tls13-basic", 1600, 1000);
  act (win, "win.step");
  hl_test_wait_for_frame (GTK_WIDGET (win));
  hl_test_wait_for_frame (GTK_WIDGET (win));
  g_assert_true (hl_ladder_view_get_show_notes (win->ladder));
  g_assert_cmpfloat (hl_ladder_view_get_zoom (win->ladder), >=, 0.8);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Without a compositor (Xvfb has none) popovers have no shadow and no tail: both would be
 * drawn as a black frame (a user's trial). With one, GTK's own look stays. */
static void
test_popovers_flat (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange", 1280, 800);
  gboolean composited = gdk_display_is_composited (gtk_widget_get_display (GTK_WIDGET (win)));
  GtkPopover *popover;
  gtk_menu_button_popup (win->lessons_button);
  hl_test_wait_for_frame (GTK_WIDGET (win));
  popover = gtk_menu_button_get_popover (win->lessons_button);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_cmpint (gtk_popover_get_has_arrow (popover), ==, composited);
  screenshot (win, "layout-lessons-popover.png");
  gtk_popover_popdown (popover);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Each side page fits the widths a class uses (a 1024x768 projector, a little wider, half
 * a laptop screen): the window is no wider than asked and the page is inside it, its tabs
 * too (the two-column "What each side knows" page made the window wider than 1024, its
 * right column cut off by the screen's edge). */
static void
test_pages_fit (void)
{
  static const int widths[] = { 1024, 1100, 800 };
  static const char *const pages[] = { "message", "knowledge", "schedule" };
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++) {
    HlWindow *win = open_window ("01-rsa-key-exchange", widths[w], 768);
    act (win, "win.run-to-end");
    for (guint p = 0; p < G_N_ELEMENTS (pages); p++) {
      g_autofree char *name = g_strdup_printf ("layout-%d-%s.png", widths[w], pages[p]);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", pages[p]));
      hl_test_wait_for_frame (GTK_WIDGET (win));
      hl_test_wait_for_frame (GTK_WIDGET (win));
      g_test_message ("%d wide, %s page: window %dx%d", widths[w], pages[p],
                      gtk_widget_get_width (GTK_WIDGET (win)),
                      gtk_widget_get_height (GTK_WIDGET (win)));
      screenshot (win, name);
      assert_size (win, widths[w], 768);
      assert_inside (win, GTK_WIDGET (win->side), "the side page", 200, 100);
    }
    gtk_window_destroy (GTK_WINDOW (win));
  }
}

/* A phone-sized window, 360 pixels wide: the header, the step controls and the ladder
 * fit; the rest of the controls are in a menu; the inspector comes over the ladder when
 * asked for. */
static void
test_phone (void)
{
  HlWindow *win = open_window ("30-tls13-basic", 360, 640);
  GtkWidget *header
      = gtk_widget_get_ancestor (GTK_WIDGET (win->main_menu_button), ADW_TYPE_HEADER_BAR);
  for (int i = 0; i < 5; i++)
    act (win, "win.step");
  hl_test_wait_for_frame (GTK_WIDGET (win));
  assert_size (win, 360, 640);
  g_assert_cmpint (win->mode, ==, HL_WINDOW_NARROW);
  assert_controls_and_ladder (win, 400);
  assert_inside (win, header, "the header bar", 340, 30);
  assert_inside (win, GTK_WIDGET (win->lessons_button), "Lessons", 16, 16);
  assert_inside (win, GTK_WIDGET (win->controls_more), "the controls' menu", 16, 16);
  assert_inside (win, GTK_WIDGET (win->inspector_button), "the Inspector button", 16, 16);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (win->run_button)));
  /* The conversation without the key lists, at full text size, no sideways scrolling. */
  g_assert_false (hl_ladder_view_get_show_notes (win->ladder));
  g_assert_cmpfloat (hl_ladder_view_get_zoom (win->ladder), ==, 1.0);
  {
    GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (win->ladder_scroller);
    g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h) + 1);
  }
  /* The step just delivered is in view. */
  {
    guint first, last;
    g_assert_cmpuint (steps_in_view (win, &first, &last), >=, 1);
    g_assert_cmpuint (last, ==, 5);
  }
  screenshot (win, "layout-phone.png");
  /* The controls that did not fit, in their menu. */
  gtk_menu_button_popup (win->controls_more);
  hl_test_wait_for_frame (GTK_WIDGET (win));
  g_assert_nonnull (gtk_menu_button_get_popover (win->controls_more));
  g_assert_true (
      gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (win->controls_more))));
  g_assert_true (gtk_menu_button_get_menu_model (win->controls_more) == win->controls_menu);
  /* A popover is a surface of its own: its own screenshot. */
  hl_test_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (win->controls_more)), artifacts,
                      "layout-phone-menu.png");
  gtk_menu_button_popdown (win->controls_more);
  /* The inspector over the ladder, whole. */
  gtk_toggle_button_set_active (win->inspector_button, TRUE);
  hl_test_wait_for_frame (GTK_WIDGET (win));
  hl_test_wait_for_frame (GTK_WIDGET (win));
  assert_inside (win, GTK_WIDGET (win->side), "the inspector",
                 gtk_widget_get_width (GTK_WIDGET (win)) - 2, 400);
  assert_inside (win, gtk_widget_get_first_child (GTK_WIDGET (win->side)), "the view switcher", 200,
                 20);
  /* Each of its buttons whole in it (their names are not cut). */
  {
    GtkWidget *switcher = gtk_widget_get_first_child (GTK_WIDGET (win->side));
    for (GtkWidget *b = gtk_widget_get_first_child (switcher); b;
         b = gtk_widget_get_next_sibling (b))
      assert_inside (win, b, "a view switcher button", 40, 20);
  }
  screenshot (win, "layout-phone-inspector.png");
  gtk_toggle_button_set_active (win->inspector_button, FALSE);
  /* Widened again (the breakpoint follows the width it is given), the window puts the
   * inspector back beside the ladder and gives the key lists back. */
  gtk_window_set_default_size (GTK_WINDOW (win), 1400, 860);
  for (int i = 0; i < 5 && win->mode != HL_WINDOW_WIDE; i++)
    hl_test_wait_for_frame (GTK_WIDGET (win));
  g_assert_cmpint (win->mode, ==, HL_WINDOW_WIDE);
  g_assert_true (gtk_paned_get_end_child (win->paned) == GTK_WIDGET (win->side));
  g_assert_true (hl_ladder_view_get_show_notes (win->ladder));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (win->run_button)));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* 400 pixels tall: the hex pane keeps a few lines on screen. */
static void
test_short (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange", 1400, 400);
  GtkWidget *hex;
  for (int i = 0; i < 3; i++)
    act (win, "win.step");
  hl_test_wait_for_frame (GTK_WIDGET (win));
  assert_size (win, 1400, 400);
  hex = hl_test_find_type (hl_window_get_inspector (win), HL_TYPE_HEX_VIEW);
  g_assert_nonnull (hex);
  screenshot (win, "layout-400-tall.png");
  /* Its scrolled window: three lines of bytes at least, on screen. */
  g_assert_cmpfloat (visible_height (gtk_widget_get_ancestor (hex, GTK_TYPE_SCROLLED_WINDOW)), >=,
                     48);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* At 1600x1000 every step delivered, one after the other, is wholly in view. The ladder
 * scrolls before the frame's layout, so that a step that scrolls is laid out once (a
 * scroll after the layout makes GTK lay the whole window out again in the same frame). */
static void
test_selected_in_view (void)
{
  const char *lessons[] = { "01-rsa-key-exchange", "34-tls13-early-data" };
  for (guint l = 0; l < G_N_ELEMENTS (lessons); l++) {
    HlWindow *win = open_window (lessons[l], 1600, 1000);
    HlSession *s = hl_window_get_session (win);
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (win->ladder_scroller);
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
    guint scrolled = 0, layouts = 0, scrolled_once = 0;
    gulong id = g_signal_connect_swapped (clock, "layout", G_CALLBACK (hl_test_count), &layouts);
    while (hl_session_can_step (s)) {
      graphene_rect_t area;
      double top, page, top_before = gtk_adjustment_get_value (v);
      double page_before = gtk_adjustment_get_page_size (v);
      layouts = 0;
      hl_test_act_to_first_frame (win, "win.step");
      top = gtk_adjustment_get_value (v);
      page = gtk_adjustment_get_page_size (v);
      if (top != top_before && page == page_before) {
        if (layouts != 1)
          g_error ("%s, step %u scrolled the ladder and was laid out %u times in its frame",
                   lessons[l], hl_session_get_selected (s), layouts);
        scrolled_once++;
      }
      hl_test_wait_for_frame (GTK_WIDGET (win));
      g_assert_true (
          hl_ladder_view_get_step_area (win->ladder, hl_session_get_selected (s), &area));
      top = gtk_adjustment_get_value (v);
      page = gtk_adjustment_get_page_size (v);
      scrolled += top > 0;
      if (area.origin.y < top - 0.5 || area.origin.y + area.size.height > top + page + 0.5)
        g_error ("%s, step %u at %g..%g, the view shows %g..%g", lessons[l],
                 hl_session_get_selected (s), area.origin.y, area.origin.y + area.size.height, top,
                 top + page);
    }
    g_signal_handler_disconnect (clock, id);
    /* The last step shows what follows it: the run's end, down to the diagram's bottom
     * (it was left under the edge, a user's trial). */
    g_assert_cmpfloat (gtk_adjustment_get_value (v) + gtk_adjustment_get_page_size (v), >=,
                       gtk_adjustment_get_upper (v) - 1);
    g_assert_cmpuint (scrolled, >, 0); /* the ladder was taller than the view */
    g_assert_cmpuint (scrolled_once, >, 0);
    if (l == 0)
      screenshot (win, "layout-1600x1000-last-step.png");
    gtk_window_destroy (GTK_WINDOW (win));
  }
}

/* Zooming in keeps the selected step in view, across and down (the view stayed where it
 * was in pixels, and three zooms in showed an empty stretch of the diagram). */
static void
test_zoom_keeps_step (void)
{
  HlWindow *win = open_window ("30-tls13-basic", 1400, 900);
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (win->ladder_scroller);
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (win->ladder_scroller);
  graphene_rect_t area;
  double left, top;
  for (int i = 0; i < 5; i++)
    hl_test_act (win, "win.step");
  for (int i = 0; i < 3; i++) {
    hl_test_act (win, "win.zoom-in");
    hl_test_wait_for_frame (GTK_WIDGET (win));
  }
  g_assert_cmpfloat (hl_ladder_view_get_zoom (win->ladder), >, 1.5);
  g_assert_true (hl_ladder_view_get_step_area (win->ladder, 5, &area));
  left = gtk_adjustment_get_value (h);
  top = gtk_adjustment_get_value (v);
  screenshot (win, "layout-zoomed-in.png");
  if (area.origin.y < top - 0.5
      || area.origin.y + area.size.height > top + gtk_adjustment_get_page_size (v) + 0.5)
    g_error ("step 5 at %g..%g, the view shows %g..%g", area.origin.y,
             area.origin.y + area.size.height, top, top + gtk_adjustment_get_page_size (v));
  /* across: the middle of the step's row (its arrow) is within the view */
  g_assert_cmpfloat (area.origin.x + area.size.width / 2, >, left);
  g_assert_cmpfloat (area.origin.x + area.size.width / 2, <,
                     left + gtk_adjustment_get_page_size (h));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Presentation mode shows the conversation: more messages without the key lists (which
 * it hides) than with them, and a short ladder fits the screen's height whole. */
static void
test_presentation (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange", 1600, 1000);
  guint with, without;
  double w, h;
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (win->ladder_scroller);
  for (int i = 0; i < 3; i++)
    act (win, "win.step");
  act (win, "win.presentation");
  gtk_window_unfullscreen (GTK_WINDOW (win)); /* the same size with or without a window manager */
  hl_test_wait_for_frame (GTK_WIDGET (win));
  hl_test_wait_for_frame (GTK_WIDGET (win));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (win->side)));
  g_assert_false (hl_ladder_view_get_show_notes (win->ladder));
  /* Three steps: the whole ladder fits the height. */
  hl_ladder_view_get_layout_size (win->ladder, &w, &h);
  g_assert_cmpfloat (h * hl_ladder_view_get_zoom (win->ladder), <=,
                     gtk_adjustment_get_page_size (v) + 1);
  g_assert_cmpfloat (hl_ladder_view_get_zoom (win->ladder), >, 1.0);
  screenshot (win, "layout-presentation-step-3.png");
  act (win, "win.run-to-end");
  hl_test_wait_for_frame (GTK_WIDGET (win));
  screenshot (win, "layout-presentation.png");
  without = steps_seen (win);
  act (win, "win.show-key-lists");
  g_assert_true (hl_ladder_view_get_show_notes (win->ladder));
  with = steps_seen (win);
  hl_session_select (hl_window_get_session (win), 3);
  screenshot (win, "layout-presentation-key-lists.png");
  g_test_message ("messages in view over the 13 steps: %u without the key lists, %u with them",
                  without, with);
  g_assert_cmpuint (without, >, with + with / 4);
  /* The PNG export is the ladder as shown: shorter without the key lists. */
  {
    g_autofree char *with_path = g_build_filename (artifacts, "export-key-lists.png", NULL);
    g_autofree char *without_path = g_build_filename (artifacts, "export-no-key-lists.png", NULL);
    g_autoptr (GdkTexture) a = NULL;
    g_autoptr (GdkTexture) b = NULL;
    g_assert_true (
        gtk_widget_activate_action (GTK_WIDGET (win), "win.export", "(ss)", "png", with_path));
    act (win, "win.show-key-lists");
    g_assert_false (hl_ladder_view_get_show_notes (win->ladder));
    g_assert_true (
        gtk_widget_activate_action (GTK_WIDGET (win), "win.export", "(ss)", "png", without_path));
    a = gdk_texture_new_from_filename (with_path, NULL);
    b = gdk_texture_new_from_filename (without_path, NULL);
    g_assert_nonnull (a);
    g_assert_nonnull (b);
    g_assert_cmpint (gdk_texture_get_height (b), <, gdk_texture_get_height (a));
    act (win, "win.show-key-lists");
  }
  /* Leaving presentation mode gives back the key lists as they were before it. */
  act (win, "win.show-key-lists");
  act (win, "win.presentation");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (win->side)));
  g_assert_true (hl_ladder_view_get_show_notes (win->ladder));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Adds "<Modifiers>key" for an accelerator, written as GTK writes it. */
static void
add_accel (GHashTable *set, guint keyval, GdkModifierType mods)
{
  g_hash_table_add (set, gtk_accelerator_name (gdk_keyval_to_lower (keyval), mods));
}

/* The keys a widget's class binds to win.* actions, in its class shortcut controller (which
 * GTK names "gtk-widget-class-shortcuts"). */
static void
add_bound_keys (GHashTable *set, GtkWidget *w)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (w);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++) {
    g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
    /* Only the class's own (the root also holds its children's managed shortcuts). */
    if (!GTK_IS_SHORTCUT_CONTROLLER (c)
        || g_strcmp0 (gtk_event_controller_get_name (c), "gtk-widget-class-shortcuts") != 0)
      continue;
    for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++) {
      g_autoptr (GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);
      GtkShortcutTrigger *t = gtk_shortcut_get_trigger (sc);
      GtkShortcutAction *action = gtk_shortcut_get_action (sc);
      /* Not GtkWindow's own (focus moves, the GTK inspector): they are no lesson's. */
      if (GTK_IS_KEYVAL_TRIGGER (t) && GTK_IS_NAMED_ACTION (action)
          && g_str_has_prefix (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                               "win."))
        add_accel (set, gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (t)),
                   gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (t)));
    }
  }
}

/* Keys that widgets handle themselves rather than as shortcuts, listed in the shortcuts
 * window all the same: the ladder's (hl-ladder-view.c, on_key) and the Fields list's menu
 * keys (hl-inspector.c). */
static const char *const handled_keys[] = { "Up", "Down", "Return", "Menu", "<Shift>F10" };

/* The shortcuts window (ui/gtk/help-overlay.ui) lists every key the window binds and the
 * application's accelerators, and lists nothing that is not bound. */
static void
test_shortcuts_listed (void)
{
  HlWindow *win = hl_window_new (GTK_APPLICATION (app));
  g_autoptr (GtkBuilder) builder
      = gtk_builder_new_from_resource ("/io/github/handshakelab/HandshakeLab/gtk/help-overlay.ui");
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) bound = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GSList *objects = gtk_builder_get_objects (builder);
  g_auto (GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  GHashTableIter it;
  const char *accel;
  for (GSList *o = objects; o; o = o->next) {
    g_autofree char *text = NULL;
    g_auto (GStrv) each = NULL;
    if (!GTK_IS_SHORTCUTS_SHORTCUT (o->data))
      continue;
    g_object_get (o->data, "accelerator", &text, NULL);
    each = g_strsplit (text ? text : "", " ", -1);
    for (guint i = 0; each[i]; i++) {
      guint keyval;
      GdkModifierType mods;
      if (!*each[i])
        continue;
      g_assert_true (gtk_accelerator_parse (each[i], &keyval, &mods));
      add_accel (listed, keyval, mods);
    }
  }
  g_slist_free (objects);
  /* The window's key bindings to its actions (gtk_widget_class_add_binding_action). */
  add_bound_keys (bound, GTK_WIDGET (win));
  for (guint i = 0; actions[i]; i++) {
    g_auto (GStrv) accels
        = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);
    for (guint k = 0; accels[k]; k++) {
      guint keyval;
      GdkModifierType mods;
      g_assert_true (gtk_accelerator_parse (accels[k], &keyval, &mods));
      add_accel (bound, keyval, mods);
    }
  }
  g_assert_cmpuint (g_hash_table_size (bound), >=, 15); /* the bindings were read */
  g_hash_table_iter_init (&it, bound);
  while (g_hash_table_iter_next (&it, (gpointer *)&accel, NULL))
    if (!g_hash_table_contains (listed, accel))
      g_error ("%s is bound but the shortcuts window (ui/gtk/help-overlay.ui) does not list it",
               accel);
  g_hash_table_iter_init (&it, listed);
  while (g_hash_table_iter_next (&it, (gpointer *)&accel, NULL))
    if (!g_hash_table_contains (bound, accel) && !g_strv_contains (handled_keys, accel))
      g_error ("the shortcuts window lists %s, which nothing binds", accel);
  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int argc, char **argv)
{
  int status;
  if (!hl_test_window_init (&argc, &argv, "layout-artifacts", &artifacts, &app)) {
    g_print ("1..0 # SKIP no display\n");
    return 0;
  }
  g_test_add_func ("/layout/800x600", test_800x600);
  g_test_add_func ("/layout/phone", test_phone);
  g_test_add_func ("/layout/projector", test_projector);
  g_test_add_func ("/layout/popovers-flat", test_popovers_flat);
  g_test_add_func ("/layout/400-tall", test_short);
  g_test_add_func ("/layout/selected-step-in-view", test_selected_in_view);
  g_test_add_func ("/layout/zoom-keeps-step", test_zoom_keeps_step);
  g_test_add_func ("/layout/pages-fit", test_pages_fit);
  g_test_add_func ("/layout/presentation", test_presentation);
  g_test_add_func ("/layout/shortcuts-listed", test_shortcuts_listed);
  status = g_test_run ();
  g_object_unref (app);
  g_free (artifacts);
  return status;
}
