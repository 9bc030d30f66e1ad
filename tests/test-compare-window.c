/* "Compare with…" in the window (issue 20): the main menu's action opens the compare view
 * with the lab's own lesson picker (never GTK's file chooser, which loads libcloudproviders
 * and leaks under the sanitizer build); Next and Back step both ladders together through
 * the rows of the comparison the engine makes of the two lessons run afresh, selecting each
 * row's step on each side and marking a side that lacks the row's message. The pairs 01 vs
 * 30 and 36 vs 36b, with screenshots at 1024x768 and 800x600 saved as test artifacts
 * (compare-artifacts/). */
#include <string.h>

#include "hl-application.h"
#include "hl-compare-window.h"
#include "hl-compare.h"
#include "hl-test-util.h"
#include "hl-test-window.h"
#include "hl-window-private.h"

static HlApplication *app;
static char *artifacts;

/* The shared helpers (hl-test-window.c), under this file's names. */
#define wait_for_frame(w) hl_test_wait_for_frame (w)
#define screenshot(w, name) hl_test_screenshot (GTK_WIDGET (w), artifacts, (name))

#define open_window(lesson) hl_test_open_lesson (app, (lesson), 1400, 860)

/* The compare view among the toplevels; NULL when none is open. */
static HlCompareWindow *
find_compare_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);
    if (HL_IS_COMPARE_WINDOW (w))
      return HL_COMPARE_WINDOW (w);
  }
  return NULL;
}

/* A key pressed in the window, through its own controllers as GTK delivers it. */
static gboolean
press (HlCompareWindow *cw, guint keyval)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (cw));
  gboolean handled = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++) {
    g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
    if (GTK_IS_EVENT_CONTROLLER_KEY (c))
      g_signal_emit_by_name (c, "key-pressed", keyval, 0, (GdkModifierType)0, &handled);
  }
  g_object_unref (controllers);
  return handled;
}

static guint
count_shown (HlLessonPicker *picker)
{
  g_autoptr (GPtrArray) shown = hl_lesson_picker_list_shown (picker);
  return shown->len;
}

/* The steps of a run before its compared connection, counted from the run itself. */
static guint
steps_before (const HlRun *run, guint connection)
{
  guint n = 0;
  for (guint i = 0; i < hl_run_get_n_steps (run); i++)
    if (hl_run_get_step (run, i)->connection < connection)
      n++;
  return n;
}

typedef struct {
  HlScenario *sc[2];
  HlRun *run[2];
  HlComparison *cmp; /* the engine's comparison of the two, made here */
  guint offset[2];
} Pair;

static void
pair_open (Pair *p, const char *a, const char *b)
{
  const char *names[2] = { a, b };
  for (guint k = 0; k < 2; k++) {
    g_autofree char *file = g_strconcat (names[k], ".scenario", NULL);
    p->sc[k] = hl_test_load_bundled (file);
    p->run[k] = hl_test_run (p->sc[k]);
  }
  p->cmp = hl_comparison_new (p->run[0], 0, p->run[1], 0, NULL);
  g_assert_nonnull (p->cmp);
  for (guint k = 0; k < 2; k++)
    p->offset[k] = steps_before (p->run[k], hl_comparison_get_side (p->cmp, k)->connection);
}

static void
pair_close (Pair *p)
{
  hl_comparison_free (p->cmp);
  for (guint k = 0; k < 2; k++) {
    hl_run_free (p->run[k]);
    hl_scenario_free (p->sc[k]);
  }
}

/* Both sides show row i (-1: before the first) of the engine's comparison: its step
 * selected on each side (counted over the whole run, as the session counts) and drawn, or,
 * where a side lacks the message, nothing selected there and the lack said. Returns
 * whether a side lacked it. */
static gboolean
assert_row (HlCompareWindow *cw, Pair *p, int i)
{
  const HlCompareRow *r = i >= 0 ? hl_comparison_get_row (p->cmp, i) : NULL;
  gboolean lacking = FALSE;
  g_assert_cmpint (hl_compare_window_get_row (cw), ==, i);
  for (guint k = 0; k < 2; k++) {
    HlSession *s = hl_compare_window_get_session (cw, k);
    guint want = r && r->step[k] ? p->offset[k] + r->step[k] : 0;
    const char *lack = hl_compare_window_get_lacking (cw, k);
    /* Each ladder draws its own side's session. */
    g_assert_true (hl_ladder_view_get_session (hl_compare_window_get_ladder (cw, k)) == s);
    g_assert_cmpuint (hl_session_get_selected (s), ==, want);
    if (!r) {
      g_assert_cmpuint (hl_session_get_position (s), ==, 0);
      g_assert_null (lack);
    } else if (want) {
      const HlStep *st = hl_session_get_selected_step (s);
      graphene_rect_t area;
      g_assert_nonnull (st);
      g_assert_cmpstr (st->message, ==, r->message[k]);
      g_assert_cmpuint (st->from, ==, r->from);
      g_assert_cmpuint (hl_story_step_of (st), ==, r->story_step);
      g_assert_true (
          hl_ladder_view_get_step_area (hl_compare_window_get_ladder (cw, k), want, &area));
      g_assert_null (lack);
    } else {
      g_autofree char *expected
          = g_strdup_printf ("Lesson %s has no %s here", k ? "B" : "A", r->message[1 - k]);
      g_assert_nonnull (lack);
      g_assert_true (g_str_has_prefix (lack, expected));
      lacking = TRUE;
    }
  }
  return lacking;
}

/* Next through every row (by the keys and the button's action in turn), one row past the end
 * does nothing, then Back to before the first. Returns how many rows lack a message on one
 * side. */
static guint
walk (HlCompareWindow *cw, Pair *p)
{
  guint n = hl_comparison_get_n_rows (p->cmp), lacking = 0;
  const guint next_keys[] = { GDK_KEY_Right, GDK_KEY_Page_Down, GDK_KEY_space };
  const HlComparison *shown = hl_compare_window_get_comparison (cw);
  /* The window's comparison is the engine's for these two lessons, row by row. */
  g_assert_nonnull (shown);
  g_assert_cmpuint (hl_comparison_get_n_rows (shown), ==, n);
  for (guint i = 0; i < n; i++) {
    const HlCompareRow *x = hl_comparison_get_row (shown, i),
                       *y = hl_comparison_get_row (p->cmp, i);
    g_assert_cmpuint (x->story_step, ==, y->story_step);
    g_assert_cmpuint (x->step[0], ==, y->step[0]);
    g_assert_cmpuint (x->step[1], ==, y->step[1]);
  }
  assert_row (cw, p, -1);
  for (guint i = 0; i < n; i++) {
    if (i % 4 == 3)
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cw), "compare.next", NULL));
    else
      g_assert_true (press (cw, next_keys[i % 4 % 3]));
    lacking += assert_row (cw, p, (int)i);
  }
  wait_for_frame (GTK_WIDGET (cw));
  g_assert_true (press (cw, GDK_KEY_Right)); /* handled, but there is no row past the end */
  assert_row (cw, p, (int)n - 1);
  for (int i = (int)n - 2; i >= -1; i--) {
    g_assert_true (press (cw, i % 2 ? GDK_KEY_Left : GDK_KEY_Page_Up));
    assert_row (cw, p, i);
  }
  /* End and Home: the last row and before the first. */
  g_assert_true (press (cw, GDK_KEY_End));
  assert_row (cw, p, (int)n - 1);
  /* A step picked in one ladder (as a click or Enter does) takes both to its row: the middle
   * row's step on the side that has it. */
  {
    const HlCompareRow *mid = hl_comparison_get_row (p->cmp, n / 2);
    guint k = mid->step[1] ? 1 : 0;
    hl_session_select (hl_compare_window_get_session (cw, k), p->offset[k] + mid->step[k]);
    assert_row (cw, p, (int)n / 2);
  }
  g_assert_true (press (cw, GDK_KEY_Home));
  assert_row (cw, p, -1);
  return lacking;
}

/* Goes to the first row where a side lacks the message (for the screenshots). */
static void
go_to_lacking (HlCompareWindow *cw)
{
  while (!hl_compare_window_get_lacking (cw, 0) && !hl_compare_window_get_lacking (cw, 1))
    g_assert_true (hl_compare_window_next (cw));
}

/* Each ladder is one Tab stop: Tab never lands twice in a row inside the same ladder, and
 * lands in each. */
static void
assert_tab_stops (HlCompareWindow *cw)
{
  GtkWidget *ladder[2] = { GTK_WIDGET (hl_compare_window_get_ladder (cw, 0)),
                           GTK_WIDGET (hl_compare_window_get_ladder (cw, 1)) };
  int last = -1;
  guint visits[2] = { 0, 0 };
  for (guint i = 0; i < 40; i++) {
    GtkWidget *focus;
    int in = -1;
    if (!gtk_widget_child_focus (GTK_WIDGET (cw), GTK_DIR_TAB_FORWARD))
      gtk_widget_child_focus (GTK_WIDGET (cw), GTK_DIR_TAB_FORWARD); /* wrapped */
    focus = gtk_root_get_focus (GTK_ROOT (cw));
    for (guint k = 0; k < 2; k++)
      if (focus && (focus == ladder[k] || gtk_widget_is_ancestor (focus, ladder[k])))
        in = (int)k;
    g_assert_true (in < 0 || in != last);
    if (in >= 0)
      visits[in]++;
    last = in;
  }
  g_assert_cmpuint (visits[0], >, 0);
  g_assert_cmpuint (visits[1], >, 0);
}

/* The window got no more than the size asked for (nothing in it needs more), and the
 * controls and both ladders are inside it. */
static void
assert_fits (HlCompareWindow *cw, int width, int height)
{
  graphene_rect_t r;
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (cw)), <=, width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (cw)), <=, height);
  for (guint k = 0; k < 2; k++) {
    GtkWidget *ladder = GTK_WIDGET (hl_compare_window_get_ladder (cw, k));
    GtkWidget *scroller = gtk_widget_get_ancestor (ladder, GTK_TYPE_SCROLLED_WINDOW);
    g_assert_true (hl_test_bounds_in_window (scroller, &r));
    g_assert_cmpfloat (r.size.width, >=, 300);
    g_assert_cmpfloat (r.size.height, >=, 150);
    g_assert_cmpfloat (r.origin.x + r.size.width, <=, gtk_widget_get_width (GTK_WIDGET (cw)) + 1);
  }
  g_assert_true (hl_test_bounds_in_window (hl_compare_window_get_summary (cw), &r));
}

/* From the main menu: the view opens on the window's lesson with the lab's lesson picker
 * open; searching "30" and Enter compares 01 with 30. */
static void
test_compare_01_vs_30 (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  g_autofree char *bad = hl_test_write_scenario ("[Scenario]\nTitle=broken\nNoSuchKey=1\n");
  HlCompareWindow *cw;
  HlLessonPicker *picker;
  GtkEditable *search;
  const HlComparison *before;
  g_autoptr (GError) error = NULL;
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  Pair p;
  g_assert_null (find_compare_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.compare", NULL));
  cw = find_compare_window ();
  g_assert_nonnull (cw);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (cw)) == GTK_WINDOW (win));
  g_assert_null (hl_compare_window_get_comparison (cw));
  picker = hl_compare_window_get_picker (cw);
  /* The picker opens by itself, then reads the catalogue. */
  while ((!gtk_widget_get_visible (GTK_WIDGET (picker)) || !hl_lesson_picker_is_loaded (picker))
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_true (hl_lesson_picker_is_loaded (picker));
  wait_for_frame (GTK_WIDGET (cw));
  screenshot (cw, "compare-choose.png");
  screenshot (picker, "compare-picker.png");
  search = hl_lesson_picker_get_search (picker);
  /* Typing in the search is typing: Space and the arrows are not Next and Back there. */
  g_assert_true (
      gtk_widget_has_focus (GTK_WIDGET (search))
      || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (cw)), GTK_WIDGET (search)));
  g_assert_false (press (cw, GDK_KEY_space));
  g_assert_false (press (cw, GDK_KEY_Right));
  gtk_editable_set_text (search, "30");
  while (g_strcmp0 (gtk_editable_get_text (search), "30") != 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  /* The search reports after its delay, as when typing; then Enter takes the first match. */
  while (count_shown (picker) != 1 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count_shown (picker), ==, 1);
  g_signal_emit_by_name (search, "activate");
  wait_for_frame (GTK_WIDGET (cw));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_nonnull (hl_compare_window_get_comparison (cw));
  g_assert_true (g_str_has_suffix (hl_session_get_file (hl_compare_window_get_session (cw, 1)),
                                   "30-tls13-basic.scenario"));
  g_assert_true (g_str_has_suffix (hl_session_get_file (hl_compare_window_get_session (cw, 0)),
                                   "01-rsa-key-exchange.scenario"));
  pair_open (&p, "01-rsa-key-exchange", "30-tls13-basic");
  /* TLS 1.2 with RSA key exchange against TLS 1.3: the ClientKeyExchange is only in A. */
  g_assert_cmpuint (walk (cw, &p), >, 0);
  assert_tab_stops (cw);
  go_to_lacking (cw);
  wait_for_frame (GTK_WIDGET (cw));
  assert_fits (cw, 1024, 768);
  screenshot (cw, "compare-01-vs-30-1024x768.png");
  /* A second lesson that does not load is refused with its FILE:LINE; what was shown stays. */
  before = hl_compare_window_get_comparison (cw);
  g_signal_emit_by_name (picker, "lesson-chosen", bad);
  g_assert_nonnull (strstr (hl_compare_window_get_last_message (cw), ":3:"));
  g_assert_true (hl_compare_window_get_comparison (cw) == before);
  g_assert_false (hl_compare_window_set_other (cw, bad, &error));
  g_assert_nonnull (error);
  pair_close (&p);
  gtk_window_destroy (GTK_WINDOW (win)); /* takes the compare view with it */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (find_compare_window ());
}

/* Two TLS 1.3 failures, the same messages (they differ in what was changed and which check
 * caught it): no row lacks a message. At 800x600, with 01 vs 30 at that size too. */
static void
test_compare_36_vs_36b (void)
{
  HlWindow *win = open_window ("36-tls13-tampered-certificate-verify");
  g_autofree char *a
      = hl_test_source_path ("scenarios/36-tls13-tampered-certificate-verify.scenario");
  g_autofree char *b = hl_test_source_path ("scenarios/36b-tls13-flipped-record.scenario");
  g_autofree char *c = hl_test_source_path ("scenarios/01-rsa-key-exchange.scenario");
  g_autofree char *d = hl_test_source_path ("scenarios/30-tls13-basic.scenario");
  g_autoptr (GError) error = NULL;
  HlCompareWindow *cw = hl_compare_window_new (GTK_WINDOW (win), a, b, &error);
  Pair p;
  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (cw), 800, 600);
  gtk_window_present (GTK_WINDOW (cw));
  wait_for_frame (GTK_WIDGET (cw));
  pair_open (&p, "36-tls13-tampered-certificate-verify", "36b-tls13-flipped-record");
  g_assert_cmpuint (walk (cw, &p), ==, 0);
  g_assert_true (press (cw, GDK_KEY_End)); /* the alerts that end both */
  wait_for_frame (GTK_WIDGET (cw));
  assert_fits (cw, 800, 600);
  screenshot (cw, "compare-36-vs-36b-800x600.png");
  pair_close (&p);
  gtk_window_destroy (GTK_WINDOW (cw));
  cw = hl_compare_window_new (GTK_WINDOW (win), c, d, &error);
  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (cw), 800, 600);
  gtk_window_present (GTK_WINDOW (cw));
  go_to_lacking (cw);
  wait_for_frame (GTK_WIDGET (cw));
  assert_fits (cw, 800, 600);
  screenshot (cw, "compare-01-vs-30-800x600.png");
  gtk_window_destroy (GTK_WINDOW (cw));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A full handshake against a resumed one, the second connection of its lesson: B's rows
 * count from after its first connection, which the first row delivers whole. */
static void
test_compare_30_vs_33 (void)
{
  HlWindow *win = open_window ("30-tls13-basic");
  g_autofree char *a = hl_test_source_path ("scenarios/30-tls13-basic.scenario");
  g_autofree char *b = hl_test_source_path ("scenarios/33-tls13-psk-resumption.scenario");
  g_autoptr (GError) error = NULL;
  HlCompareWindow *cw = hl_compare_window_new (GTK_WINDOW (win), a, b, &error);
  Pair p;
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (cw));
  wait_for_frame (GTK_WIDGET (cw));
  pair_open (&p, "30-tls13-basic", "33-tls13-psk-resumption");
  g_assert_cmpuint (p.offset[0], ==, 0);
  g_assert_cmpuint (p.offset[1], >, 0);
  g_assert_true (hl_comparison_get_side (p.cmp, 1)->resumed);
  walk (cw, &p); /* ends before the first row */
  g_assert_true (hl_compare_window_next (cw));
  g_assert_cmpuint (hl_session_get_position (hl_compare_window_get_session (cw, 1)), ==,
                    p.offset[1] + 1);
  wait_for_frame (GTK_WIDGET (cw));
  screenshot (cw, "compare-30-vs-33.png");
  pair_close (&p);
  gtk_window_destroy (GTK_WINDOW (cw));
  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int argc, char **argv)
{
  int status;
  if (!hl_test_window_init (&argc, &argv, "compare-artifacts", &artifacts, &app)) {
    g_print ("1..0 # SKIP no display\n");
    return 0;
  }
  g_test_add_func ("/compare-window/01-vs-30", test_compare_01_vs_30);
  g_test_add_func ("/compare-window/36-vs-36b", test_compare_36_vs_36b);
  g_test_add_func ("/compare-window/30-vs-33", test_compare_30_vs_33);
  status = g_test_run ();
  g_object_unref (app);
  g_free (artifacts);
  return status;
}
