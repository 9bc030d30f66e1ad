/* hl-compare-window.c: two lessons side by side, stepped together (hl-compare-window.h). */
#include "hl-compare-window.h"

#include <glib/gi18n.h>

#include "hl-data.h"
#include "hl-i18n.h"
#include "hl-window-private.h"

struct _HlCompareWindow {
  AdwWindow parent_instance;
  AdwToastOverlay *toasts;
  AdwWindowTitle *window_title;
  GtkMenuButton *other_button;
  HlLessonPicker *picker;
  GtkLabel *row_label;
  GtkStack *stack;
  AdwStatusPage *choose_page;
  GtkPaned *paned;
  GtkLabel *title[2], *subtitle[2], *step_line[2];
  GtkScrolledWindow *scroller[2];
  HlLadderView *ladder[2];
  GtkGrid *summary;
  HlSession *session[2];
  char *file[2];
  /* Each lesson run once more to its end, for the comparison, which borrows their steps'
   * names; the scenarios stay with the runs that read them. */
  HlScenario *scenario[2];
  HlRun *run[2];
  HlComparison *cmp;
  guint offset[2];   /* steps of the connections before the compared one (its last) */
  int row;           /* -1: before the first row */
  gboolean lacks[2]; /* the row shown lacks this side's message */
  gboolean moving;   /* the window itself moves the sessions */
  gboolean placed;   /* the summary's share of the height is set */
  gboolean fit_pending;
  char *last_message;
};

G_DEFINE_FINAL_TYPE (HlCompareWindow, hl_compare_window, ADW_TYPE_WINDOW)

static const char *const letters[2] = { "A", "B" };

static void
say (HlCompareWindow *self, const char *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

/* A row's step on one side, counted as its session counts: over every connection. */
static guint
global_step (HlCompareWindow *self, guint side, const HlCompareRow *r)
{
  return r->step[side] ? self->offset[side] + r->step[side] : 0;
}

/* What side must have delivered at row `row`: everything up to the furthest step of the
 * rows so far. The rows go by story step, not by time (TLS 1.3's server Finished, story
 * step 7, travels before the client's, step 6), so a later row may select an earlier step. */
static guint
position_at (HlCompareWindow *self, guint side, int row)
{
  guint pos = 0;
  for (int i = 0; i <= row; i++)
    pos = MAX (pos, global_step (self, side, hl_comparison_get_row (self->cmp, i)));
  return pos;
}

static void
move_session (HlSession *s, guint position)
{
  if (hl_session_get_position (s) > position)
    hl_session_go_before (s, position + 1);
  while (hl_session_get_position (s) < position && hl_session_step (s))
    ;
}

static void
update_actions (HlCompareWindow *self)
{
  guint n = self->cmp ? hl_comparison_get_n_rows (self->cmp) : 0;
  GtkWidget *w = GTK_WIDGET (self);
  gtk_widget_action_set_enabled (w, "compare.back", self->cmp && self->row >= 0);
  gtk_widget_action_set_enabled (w, "compare.first", self->cmp && self->row >= 0);
  gtk_widget_action_set_enabled (w, "compare.next", self->cmp && self->row + 1 < (int)n);
  gtk_widget_action_set_enabled (w, "compare.last", self->cmp && self->row + 1 < (int)n);
}

/* Over each ladder: the row's step on that side, or that this side lacks its message. */
static void
show_step_line (HlCompareWindow *self, guint k, const HlCompareRow *r, guint step)
{
  g_autofree char *text = NULL;
  self->lacks[k] = r && !r->message[k];
  if (!r)
    text = g_strdup (_ ("Nothing delivered yet"));
  else if (self->lacks[k])
    text = g_strdup_printf (_ ("Lesson %s has no %s here (story step %u)."), letters[k],
                            r->message[1 - k], r->story_step);
  else
    text = g_strdup_printf (_ ("Step %u: %s from the %s"), step, r->message[k],
                            hl_side_word (r->from));
  gtk_label_set_text (self->step_line[k], text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->step_line[k]), text);
  if (self->lacks[k])
    gtk_widget_add_css_class (GTK_WIDGET (self->step_line[k]), "lacking");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->step_line[k]), "lacking");
}

/* Both sides to the row: delivered up to what it needs, its step selected on each side, and
 * a side that lacks its message says so. */
static void
show_row (HlCompareWindow *self)
{
  guint n = hl_comparison_get_n_rows (self->cmp);
  const HlCompareRow *r = self->row >= 0 ? hl_comparison_get_row (self->cmp, self->row) : NULL;
  g_autofree char *status = NULL;
  self->moving = TRUE;
  for (guint k = 0; k < 2; k++) {
    HlSession *s = self->session[k];
    guint step = r ? global_step (self, k, r) : 0;
    move_session (s, position_at (self, k, self->row));
    hl_session_select (s, step);
    if (step) {
      const HlStep *st = hl_session_get_selected_step (s);
      /* The session runs the lesson again: the same messages, in the same order. */
      if (!st || g_strcmp0 (st->message, r->message[k]) != 0)
        g_warning ("%s: step %u is %s, the comparison's %s", self->file[k], step,
                   st ? st->message : "missing", r->message[k]);
    }
    hl_ladder_view_reveal_step (self->ladder[k], step ? step : hl_session_get_position (s));
    show_step_line (self, k, r, step);
  }
  self->moving = FALSE;
  if (!r)
    status = g_strdup_printf (_ ("Nothing delivered yet: Next steps both lessons through the %u "
                                 "rows of the comparison"),
                              n);
  else {
    const char *msg = r->message[0] ? r->message[0] : r->message[1];
    const char *only = !r->message[1]   ? _ (" (only in A)")
                       : !r->message[0] ? _ (" (only in B)")
                                        : "";
    status = g_strdup_printf (_ ("Row %d of %u, story step %u: %s from the %s%s"), self->row + 1, n,
                              r->story_step, msg, hl_side_word (r->from), only);
  }
  gtk_label_set_text (self->row_label, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->row_label), status);
  update_actions (self);
}

static gboolean
go_to (HlCompareWindow *self, int row)
{
  if (!self->cmp || row < -1 || row >= (int)hl_comparison_get_n_rows (self->cmp)
      || row == self->row)
    return FALSE;
  self->row = row;
  show_row (self);
  return TRUE;
}

gboolean
hl_compare_window_next (HlCompareWindow *self)
{
  return go_to (self, self->row + 1);
}

gboolean
hl_compare_window_back (HlCompareWindow *self)
{
  return go_to (self, self->row - 1);
}

/* A step the person selects in a ladder (a click, or Enter on it) moves both sides to its
 * row. */
static void
on_selected (HlCompareWindow *self, GParamSpec *pspec, HlSession *s)
{
  guint k = s == self->session[0] ? 0 : 1, selected = hl_session_get_selected (s);
  if (self->moving || !self->cmp || selected <= self->offset[k])
    return;
  for (guint i = 0; i < hl_comparison_get_n_rows (self->cmp); i++)
    if (hl_comparison_get_row (self->cmp, i)->step[k] == selected - self->offset[k]) {
      go_to (self, (int)i);
      return;
    }
}

/* The ladders are laid out for their column's width, without the key lists unless a
 * column is as wide as their narrowest layout (the summary says who holds a key when). */
static void
fit_now (gpointer data)
{
  HlCompareWindow *self = data;
  int height = self->paned ? gtk_widget_get_height (GTK_WIDGET (self->paned)) : 0;
  self->fit_pending = FALSE;
  /* The summary gets about a third of the height at first; the person may drag it. */
  if (!self->placed && height > 200) {
    gtk_paned_set_position (self->paned, height - CLAMP (height * 3 / 10, 120, 280));
    self->placed = TRUE;
  }
  for (guint k = 0; k < 2 && self->ladder[k]; k++) {
    GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->scroller[k]);
    double width = gtk_adjustment_get_page_size (h) - 2, narrowest;
    gboolean notes = width >= 900;
    if (width < 100)
      continue;
    narrowest = notes ? 900 : 320;
    hl_ladder_view_set_show_notes (self->ladder[k], notes);
    hl_ladder_view_set_layout_width (self->ladder[k], MAX (width, narrowest));
    hl_ladder_view_set_zoom (self->ladder[k], CLAMP (width / narrowest, 0.5, 1.0));
    hl_ladder_view_reveal_step (self->ladder[k], hl_session_get_selected (self->session[k]));
  }
  g_object_unref (self);
}

/* The columns' width changes during a size allocation: lay out after it, not inside it. */
static void
schedule_fit (HlCompareWindow *self)
{
  if (self->fit_pending)
    return;
  self->fit_pending = TRUE;
  g_idle_add_once (fit_now, g_object_ref (self));
}

static void
on_dark_changed (HlCompareWindow *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  for (guint k = 0; k < 2; k++)
    hl_ladder_view_set_dark (self->ladder[k], dark);
}

/* Only the visible part of a ladder is painted: repaint when it scrolls. */
static void
on_scrolled (GtkWidget *ladder)
{
  gtk_widget_queue_draw (ladder);
}

static GtkWidget *
make_summary_label (const char *text, gboolean name)
{
  GtkWidget *label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  if (name) {
    gtk_label_set_width_chars (GTK_LABEL (label), 16);
    gtk_label_set_max_width_chars (GTK_LABEL (label), 22);
    gtk_widget_add_css_class (label, "dim-label");
  } else {
    gtk_label_set_width_chars (GTK_LABEL (label), 12);
    gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
    gtk_widget_set_hexpand (label, TRUE);
  }
  return label;
}

/* The figures of both sides, a row each: its name, then A and B in equal halves. A figure
 * that differs has its name highlighted. */
static void
fill_summary (HlCompareWindow *self)
{
  g_auto (GStrv) a = hl_comparison_get_figures (self->cmp, 0);
  g_auto (GStrv) b = hl_comparison_get_figures (self->cmp, 1);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary))))
    gtk_grid_remove (self->summary, child);
  for (guint i = 0; hl_comparison_figure_name (i); i++) {
    GtkWidget *name = make_summary_label (hl_comparison_figure_name (i), TRUE);
    GtkWidget *values = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
    g_autofree char *ta = g_strdup_printf ("A: %s", a[i]);
    g_autofree char *tb = g_strdup_printf ("B: %s", b[i]);
    gtk_box_set_homogeneous (GTK_BOX (values), TRUE);
    gtk_box_append (GTK_BOX (values), make_summary_label (ta, FALSE));
    gtk_box_append (GTK_BOX (values), make_summary_label (tb, FALSE));
    if (i > 0 && g_strcmp0 (a[i], b[i]) != 0) {
      gtk_widget_remove_css_class (name, "dim-label");
      gtk_widget_add_css_class (name, "accent");
    }
    gtk_grid_attach (self->summary, name, 0, (int)i, 1, 1);
    gtk_grid_attach (self->summary, values, 1, (int)i, 1, 1);
  }
}

/* The scenario, run afresh to its end; NULL with error. */
static gboolean
run_lesson (const char *file, HlScenario **sc, HlRun **run, GError **error)
{
  *sc = hl_scenario_load (file, error);
  *run = *sc ? hl_run_new_checked (*sc, error) : NULL;
  if (*run)
    hl_run_run_to_end (*run);
  return *run != NULL;
}

/* The steps of a run before its compared connection. */
static guint
count_before (const HlRun *run, guint connection)
{
  guint n = 0;
  for (guint i = 0; i < hl_run_get_n_steps (run); i++)
    n += hl_run_get_step (run, i)->connection < connection;
  return n;
}

static void
clear_comparison (HlCompareWindow *self)
{
  g_clear_pointer (&self->cmp, hl_comparison_free);
  for (guint k = 0; k < 2; k++) {
    g_clear_pointer (&self->run[k], hl_run_free);
    g_clear_pointer (&self->scenario[k], hl_scenario_free);
  }
}

gboolean
hl_compare_window_set_other (HlCompareWindow *self, const char *other, GError **error)
{
  g_autoptr (HlScenario) sa = NULL, sb = NULL;
  g_autoptr (HlRun) ra = NULL, rb = NULL;
  g_autoptr (HlComparison) cmp = NULL;
  g_autoptr (HlSession) session = hl_session_new ();
  g_autofree char *subtitle = NULL;
  if (!run_lesson (self->file[0], &sa, &ra, error) || !run_lesson (other, &sb, &rb, error)
      || !(cmp = hl_comparison_new (ra, 0, rb, 0, error))
      || !hl_session_load (session, other, error))
    return FALSE;
  clear_comparison (self);
  self->scenario[0] = g_steal_pointer (&sa);
  self->scenario[1] = g_steal_pointer (&sb);
  self->run[0] = g_steal_pointer (&ra);
  self->run[1] = g_steal_pointer (&rb);
  self->cmp = g_steal_pointer (&cmp);
  g_free (self->file[1]);
  self->file[1] = g_strdup (other);
  g_set_object (&self->session[1], session);
  g_signal_connect_object (session, "notify::selected", G_CALLBACK (on_selected), self,
                           G_CONNECT_SWAPPED);
  hl_ladder_view_set_session (self->ladder[1], session);
  hl_session_restart (self->session[0]);
  for (guint k = 0; k < 2; k++) {
    const HlCompareSide *side = hl_comparison_get_side (self->cmp, k);
    g_auto (GStrv) figures = hl_comparison_get_figures (self->cmp, k);
    g_autofree char *title = g_strdup_printf ("%s: %s", letters[k], side->title);
    g_autofree char *detail
        = hl_run_get_n_connections (self->run[k]) > 1
              ? g_strdup_printf (_ ("%s; connection %u of %u"), figures[1], side->connection,
                                 hl_run_get_n_connections (self->run[k]))
              : g_strdup (figures[1]);
    self->offset[k] = count_before (self->run[k], side->connection);
    gtk_label_set_text (self->title[k], title);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->title[k]), title);
    gtk_label_set_text (self->subtitle[k], detail);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle[k]), detail);
  }
  subtitle = g_strdup_printf (_ ("%s and %s"), hl_comparison_get_side (self->cmp, 0)->title,
                              hl_comparison_get_side (self->cmp, 1)->title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_menu_button_set_label (self->other_button, _ ("Compare With Another"));
  fill_summary (self);
  gtk_stack_set_visible_child_name (self->stack, "compare");
  self->row = -1;
  show_row (self);
  schedule_fit (self);
  return TRUE;
}

static void
on_other_chosen (HlCompareWindow *self, const char *path)
{
  g_autoptr (GError) error = NULL;
  if (!hl_compare_window_set_other (self, path, &error))
    say (self, error->message);
}

static void
on_file_chosen (GtkNativeDialog *chooser, int response, HlCompareWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
    g_autofree char *path = file ? g_file_get_path (file) : NULL;
    if (path)
      on_other_chosen (self, path);
    else
      say (self, _ ("Not a local file"));
  }
  g_object_unref (chooser);
}

/* compare.open-file: a second lesson that is not bundled (GTK's file chooser). */
static void
open_file_action (GtkWidget *w, const char *name, GVariant *param)
{
  g_autofree char *folder = g_build_filename (hl_data_dir (), "scenarios", NULL);
  g_autoptr (GFile) start = g_file_new_for_path (folder);
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Compare With"), GTK_WINDOW (w),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Compare"), _ ("_Cancel"));
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), start, NULL);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_file_chosen), w, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
choose_action (GtkWidget *w, const char *name, GVariant *param)
{
  gtk_menu_button_popup (HL_COMPARE_WINDOW (w)->other_button);
}

static void
step_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlCompareWindow *self = HL_COMPARE_WINDOW (w);
  if (g_str_equal (name, "compare.next"))
    hl_compare_window_next (self);
  else if (g_str_equal (name, "compare.back"))
    hl_compare_window_back (self);
  else if (g_str_equal (name, "compare.first"))
    go_to (self, -1);
  else if (self->cmp)
    go_to (self, (int)hl_comparison_get_n_rows (self->cmp) - 1);
}

/* The main window's stepping keys, wherever the focus is (except in a text field), caught
 * before buttons and lists get them. */
static gboolean
on_key (GtkEventControllerKey *key, guint keyval, guint code, GdkModifierType state,
        HlCompareWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  const char *action;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return FALSE;
  if (focus && GTK_IS_EDITABLE (focus))
    return FALSE;
  switch (keyval) {
  case GDK_KEY_Right:
  case GDK_KEY_space:
  case GDK_KEY_Page_Down:
  case GDK_KEY_KP_Page_Down:
    action = "compare.next";
    break;
  case GDK_KEY_Left:
  case GDK_KEY_Page_Up:
  case GDK_KEY_KP_Page_Up:
    action = "compare.back";
    break;
  case GDK_KEY_Home:
    action = "compare.first";
    break;
  case GDK_KEY_End:
    action = "compare.last";
    break;
  default:
    return FALSE;
  }
  gtk_widget_activate_action (GTK_WIDGET (self), action, NULL);
  return TRUE;
}

static void
hl_compare_window_dispose (GObject *object)
{
  HlCompareWindow *self = HL_COMPARE_WINDOW (object);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_COMPARE_WINDOW);
  for (guint k = 0; k < 2; k++) {
    self->ladder[k] = NULL;
    g_clear_object (&self->session[k]);
  }
  clear_comparison (self);
  G_OBJECT_CLASS (hl_compare_window_parent_class)->dispose (object);
}

static void
hl_compare_window_finalize (GObject *object)
{
  HlCompareWindow *self = HL_COMPARE_WINDOW (object);
  g_free (self->file[0]);
  g_free (self->file[1]);
  g_free (self->last_message);
  G_OBJECT_CLASS (hl_compare_window_parent_class)->finalize (object);
}

#define BIND(name, field)                                                                          \
  gtk_widget_class_bind_template_child_full (wc, name, FALSE,                                      \
                                             G_STRUCT_OFFSET (HlCompareWindow, field))

static void
hl_compare_window_class_init (HlCompareWindowClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_compare_window_dispose;
  G_OBJECT_CLASS (klass)->finalize = hl_compare_window_finalize;
  g_type_ensure (HL_TYPE_LADDER_VIEW);
  g_type_ensure (HL_TYPE_LESSON_PICKER);
  gtk_widget_class_set_template_from_resource (
      wc, "/io/github/handshakelab/HandshakeLab/hl-compare-window.ui");
  BIND ("toasts", toasts);
  BIND ("window_title", window_title);
  BIND ("other_button", other_button);
  BIND ("picker", picker);
  BIND ("row_label", row_label);
  BIND ("stack", stack);
  BIND ("title_a", title[0]);
  BIND ("title_b", title[1]);
  BIND ("subtitle_a", subtitle[0]);
  BIND ("subtitle_b", subtitle[1]);
  BIND ("step_a", step_line[0]);
  BIND ("step_b", step_line[1]);
  BIND ("choose_page", choose_page);
  BIND ("paned", paned);
  BIND ("scroller_a", scroller[0]);
  BIND ("scroller_b", scroller[1]);
  BIND ("ladder_a", ladder[0]);
  BIND ("ladder_b", ladder[1]);
  BIND ("summary", summary);
  gtk_widget_class_bind_template_callback (wc, on_other_chosen);
  gtk_widget_class_install_action (wc, "compare.next", NULL, step_action);
  gtk_widget_class_install_action (wc, "compare.back", NULL, step_action);
  gtk_widget_class_install_action (wc, "compare.first", NULL, step_action);
  gtk_widget_class_install_action (wc, "compare.last", NULL, step_action);
  gtk_widget_class_install_action (wc, "compare.choose", NULL, choose_action);
  gtk_widget_class_install_action (wc, "compare.open-file", NULL, open_file_action);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
hl_compare_window_init (HlCompareWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->row = -1;
  self->session[0] = hl_session_new ();
  g_signal_connect_object (self->session[0], "notify::selected", G_CALLBACK (on_selected), self,
                           G_CONNECT_SWAPPED);
  hl_ladder_view_set_session (self->ladder[0], self->session[0]);
  /* Two lists of steps: a screen reader tells them apart by their names. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ladder[0]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Steps of lesson A"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ladder[1]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Steps of lesson B"), -1);
  for (guint k = 0; k < 2; k++) {
    GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->scroller[k]);
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (self->scroller[k]);
    g_signal_connect_object (h, "value-changed", G_CALLBACK (on_scrolled), self->ladder[k],
                             G_CONNECT_SWAPPED);
    g_signal_connect_object (v, "value-changed", G_CALLBACK (on_scrolled), self->ladder[k],
                             G_CONNECT_SWAPPED);
    g_signal_connect_object (h, "notify::page-size", G_CALLBACK (schedule_fit), self,
                             G_CONNECT_SWAPPED);
    g_signal_connect_object (v, "notify::page-size", G_CALLBACK (schedule_fit), self,
                             G_CONNECT_SWAPPED);
  }
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (on_dark_changed), self);
  on_dark_changed (self);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  update_actions (self);
}

HlCompareWindow *
hl_compare_window_new (GtkWindow *parent, const char *lesson, const char *other, GError **error)
{
  /* GTK owns a window: gtk_window_destroy lets it go. */
  HlCompareWindow *self = g_object_new (HL_TYPE_COMPARE_WINDOW, "transient-for", parent,
                                        "destroy-with-parent", TRUE, NULL);
  g_autofree char *invite = NULL;
  self->file[0] = g_strdup (lesson);
  if (!hl_session_load (self->session[0], lesson, error)
      || (other && !hl_compare_window_set_other (self, other, error))) {
    gtk_window_destroy (GTK_WINDOW (self));
    return NULL;
  }
  invite = g_strdup_printf (_ ("Lesson A is “%s”. Choose lesson B: each runs on its own, side "
                               "by side, and Next steps both through the nine steps of the "
                               "story, marking a message one of them lacks."),
                            hl_session_get_title (self->session[0]));
  adw_status_page_set_description (self->choose_page, invite);
  if (parent)
    gtk_window_set_default_size (GTK_WINDOW (self),
                                 MIN (1024, MAX (gtk_widget_get_width (GTK_WIDGET (parent)), 640)),
                                 MIN (768, MAX (gtk_widget_get_height (GTK_WIDGET (parent)), 480)));
  return self;
}

int
hl_compare_window_get_row (HlCompareWindow *self)
{
  return self->row;
}

const HlComparison *
hl_compare_window_get_comparison (HlCompareWindow *self)
{
  return self->cmp;
}

HlSession *
hl_compare_window_get_session (HlCompareWindow *self, guint side)
{
  g_return_val_if_fail (side < 2, NULL);
  return self->session[side];
}

HlLadderView *
hl_compare_window_get_ladder (HlCompareWindow *self, guint side)
{
  g_return_val_if_fail (side < 2, NULL);
  return self->ladder[side];
}

const char *
hl_compare_window_get_lacking (HlCompareWindow *self, guint side)
{
  g_return_val_if_fail (side < 2, NULL);
  return self->lacks[side] ? gtk_label_get_text (self->step_line[side]) : NULL;
}

HlLessonPicker *
hl_compare_window_get_picker (HlCompareWindow *self)
{
  return self->picker;
}

GtkWidget *
hl_compare_window_get_summary (HlCompareWindow *self)
{
  return GTK_WIDGET (self->summary);
}

const char *
hl_compare_window_get_last_message (HlCompareWindow *self)
{
  return self->last_message;
}

static void
popup_picker (gpointer data)
{
  HlCompareWindow *self = data;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->cmp)
    gtk_menu_button_popup (self->other_button);
  g_object_unref (self);
}

static void
popup_after_first_frame (GdkFrameClock *clock, HlCompareWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, popup_after_first_frame, self);
  g_idle_add_once (popup_picker, g_object_ref (self));
}

/* win.compare: the window's lesson, run again as written, beside one the person picks. */
static void
compare_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *win = HL_WINDOW (w);
  const char *file = hl_session_get_file (win->session);
  g_autoptr (GError) error = NULL;
  HlCompareWindow *self;
  if (!file)
    return;
  if (hl_session_is_recorded (win->session)) {
    _hl_window_say (win, _ ("A recording cannot be compared: open a lesson"));
    return;
  }
  self = hl_compare_window_new (GTK_WINDOW (win), file, NULL, &error);
  if (!self) {
    _hl_window_say (win, error->message);
    return;
  }
  gtk_window_present (GTK_WINDOW (self));
  /* Once its first frame is painted: a popover needs the window on screen to be placed, and
   * an idle right after presenting could come first on a busy machine (the picker then
   * never opened). The handler goes with the window if it is closed before. */
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (popup_after_first_frame), self, 0);
}

void
hl_compare_window_install_action (GtkWidgetClass *window_class)
{
  gtk_widget_class_install_action (window_class, "win.compare", NULL, compare_action);
}
