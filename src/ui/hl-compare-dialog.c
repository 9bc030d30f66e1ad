/* hl-compare-dialog.c: two lessons side by side (hl-compare-dialog.h). */
#include "hl-compare-dialog.h"

#include <glib/gi18n.h>

#include "hl-compare.h"
#include "hl-data.h"
#include "hl-recorded.h"
#include "hl-window-private.h"

struct _HlCompareDialog {
  AdwWindow parent_instance;
  char *text;
  GtkWidget *label;
};

G_DEFINE_FINAL_TYPE (HlCompareDialog, hl_compare_dialog, ADW_TYPE_WINDOW)

static void
hl_compare_dialog_finalize (GObject *object)
{
  g_free (HL_COMPARE_DIALOG (object)->text);
  G_OBJECT_CLASS (hl_compare_dialog_parent_class)->finalize (object);
}

/* A selectable label selects all of itself when it takes the first focus: read, not
 * copied, is what a student does first. */
static void
hl_compare_dialog_show (GtkWidget *widget)
{
  HlCompareDialog *self = HL_COMPARE_DIALOG (widget);
  GTK_WIDGET_CLASS (hl_compare_dialog_parent_class)->show (widget);
  gtk_label_select_region (GTK_LABEL (self->label), 0, 0);
}

static void
hl_compare_dialog_class_init (HlCompareDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_compare_dialog_finalize;
  GTK_WIDGET_CLASS (klass)->show = hl_compare_dialog_show;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close",
                                       NULL);
}

static void
hl_compare_dialog_init (HlCompareDialog *self)
{
}

const char *
hl_compare_dialog_get_text (HlCompareDialog *self)
{
  return self->text;
}

/* Each lesson from its own start, as written: the comparison is of the lessons, not of the
 * person's changes to one of them. */
static HlRun *
run_fresh (const HlScenario *sc, GError **error)
{
  HlRun *run = hl_run_new_checked (sc, error);
  if (run)
    hl_run_run_to_end (run);
  return run;
}

HlCompareDialog *
hl_compare_dialog_new (GtkWindow *parent, const HlRun *run, const char *other, GError **error)
{
  const HlScenario *sc = hl_run_is_recorded (run) ? NULL : hl_run_get_scenario (run);
  g_autoptr (HlScenario) other_sc = NULL;
  g_autoptr (HlRun) a = NULL, b = NULL;
  g_autoptr (HlComparison) cmp = NULL;
  HlCompareDialog *self;
  GtkWidget *box, *label, *scroller;
  if (!sc) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _ ("A recording cannot be compared: open a lesson"));
    return NULL;
  }
  other_sc = hl_scenario_load (other, error);
  if (!other_sc || !(a = run_fresh (sc, error)) || !(b = run_fresh (other_sc, error)))
    return NULL;
  cmp = hl_comparison_new (a, 0, b, 0, error);
  if (!cmp)
    return NULL;
  self = g_object_new (HL_TYPE_COMPARE_DIALOG, "modal", TRUE, "transient-for", parent,
                       "default-width", 980, "default-height", 700, "title",
                       _ ("Compare Two Lessons"), NULL);
  self->text = hl_comparison_to_text (cmp);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  label = self->label = gtk_label_new (self->text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  /* The message list is in columns: keep them under each other. */
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_start (label, 18);
  gtk_widget_set_margin_end (label, 18);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 18);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (self), box);
  return self;
}

static void
on_other_chosen (GtkNativeDialog *chooser, int response, HlWindow *win)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
    g_autofree char *path = file ? g_file_get_path (file) : NULL;
    g_autoptr (GError) error = NULL;
    HlCompareDialog *dialog = path ? hl_compare_dialog_new (
                                  GTK_WINDOW (win), hl_session_get_run (win->session), path, &error)
                                   : NULL;
    if (dialog)
      gtk_window_present (GTK_WINDOW (dialog));
    else
      _hl_window_say (win, error ? error->message : _ ("Not a local file"));
  }
  g_object_unref (chooser);
}

/* win.compare: choose the second lesson among the bundled ones (or any file). */
static void
compare_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *win = HL_WINDOW (w);
  g_autofree char *folder = g_build_filename (hl_data_dir (), "scenarios", NULL);
  g_autoptr (GFile) start = g_file_new_for_path (folder);
  GtkFileChooserNative *chooser;
  if (!hl_session_get_file (win->session))
    return;
  chooser
      = gtk_file_chooser_native_new (_ ("Compare With"), GTK_WINDOW (win),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Compare"), _ ("_Cancel"));
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), start, NULL);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_other_chosen), win, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
hl_compare_dialog_install_action (GtkWidgetClass *window_class)
{
  gtk_widget_class_install_action (window_class, "win.compare", NULL, compare_action);
}
