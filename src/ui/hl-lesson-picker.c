/* hl-lesson-picker.c: the "Lessons" popover over the lesson catalogue. */
#include "hl-lesson-picker.h"

#include <glib/gi18n.h>

#include "hl-lesson-catalog.h"

struct _HlLessonPicker {
  GtkPopover parent_instance;
  GtkSearchEntry *search;
  GtkStack *stack;
  GtkListBox *list;
  GtkScrolledWindow *scroller;
  GtkLabel *empty_label;
  GPtrArray *lessons; /* HlLesson*, once read */
  GCancellable *cancellable;
  gboolean loading;
  char *query; /* the search the list shows */
};

G_DEFINE_FINAL_TYPE (HlLessonPicker, hl_lesson_picker, GTK_TYPE_POPOVER)

enum { SIGNAL_LESSON_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

static const HlLesson *
row_lesson (GtkListBoxRow *row)
{
  return row ? g_object_get_data (G_OBJECT (row), "lesson") : NULL;
}

static gboolean
filter_lesson (GtkListBoxRow *row, gpointer data)
{
  HlLessonPicker *self = data;
  const HlLesson *l = row_lesson (row);
  return l && hl_lesson_matches (l, gtk_editable_get_text (GTK_EDITABLE (self->search)));
}

/* Two groups: the classic lessons (BearSSL, TLS 1.0 to 1.2) and those OpenSSL plays. */
static void
head_lesson (GtkListBoxRow *row, GtkListBoxRow *before, gpointer data)
{
  gboolean modern = row_lesson (row)->tls13;
  GtkWidget *label;
  if (before && row_lesson (before)->tls13 == modern) {
    gtk_list_box_row_set_header (row, NULL);
    return;
  }
  label = gtk_label_new (modern ? _ ("TLS 1.3, and a TLS 1.3 client meeting TLS 1.2 (OpenSSL)")
                                : _ ("TLS 1.0 to 1.2 (BearSSL)"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_row_set_header (row, label);
}

/* The rows the filter keeps, in order. */
static GtkListBoxRow *
next_shown (HlLessonPicker *self, GtkListBoxRow *from, int direction)
{
  int i = from ? gtk_list_box_row_get_index (from) + direction : 0;
  GtkListBoxRow *row;
  if (!from && direction < 0)
    return NULL;
  while (i >= 0 && (row = gtk_list_box_get_row_at_index (self->list, i))) {
    if (filter_lesson (row, self))
      return row;
    i += direction;
  }
  return NULL;
}

static void
select_row (HlLessonPicker *self, GtkListBoxRow *row)
{
  gtk_list_box_select_row (self->list, row);
  if (row) {
    /* Scrolls the row into view without taking the focus from the search entry. */
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (self->scroller);
    graphene_rect_t r;
    if (gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self->list), &r)) {
      double top = gtk_adjustment_get_value (v), page = gtk_adjustment_get_page_size (v);
      if (r.origin.y < top)
        gtk_adjustment_set_value (v, r.origin.y);
      else if (r.origin.y + r.size.height > top + page)
        gtk_adjustment_set_value (v, r.origin.y + r.size.height - page);
    }
  }
}

/* After each change of the search, the first match is selected: Enter opens it. */
static void
on_search_changed (HlLessonPicker *self)
{
  GtkListBoxRow *first;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search));
  if (!self->lessons || g_strcmp0 (text, self->query) == 0)
    return; /* the same search again: keep the selection the arrows moved */
  g_free (self->query);
  self->query = g_strdup (text);
  gtk_list_box_invalidate_filter (self->list);
  gtk_list_box_invalidate_headers (self->list);
  first = next_shown (self, NULL, 1);
  select_row (self, first);
  gtk_stack_set_visible_child_name (self->stack, first ? "list" : "empty");
}

static void
choose (HlLessonPicker *self, GtkListBoxRow *row)
{
  const HlLesson *l = row_lesson (row);
  if (!l)
    return;
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[SIGNAL_LESSON_CHOSEN], 0, l->path);
}

static void
on_row_activated (HlLessonPicker *self, GtkListBoxRow *row)
{
  choose (self, row);
}

/* Enter in the search: the selected lesson (the first match unless the arrows moved). */
static void
on_search_activate (HlLessonPicker *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  if (!row || !filter_lesson (row, self))
    row = next_shown (self, NULL, 1);
  choose (self, row);
}

/* Up and Down in the search move the selection through the matches; the typing stays
 * in the entry. */
static gboolean
on_search_key (GtkEventControllerKey *key, guint keyval, guint code, GdkModifierType state,
               HlLessonPicker *self)
{
  GtkListBoxRow *row, *next;
  int direction;
  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    direction = 1;
  else if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    direction = -1;
  else
    return FALSE;
  row = gtk_list_box_get_selected_row (self->list);
  next = next_shown (self, row, row ? direction : 1);
  if (next)
    select_row (self, next);
  return TRUE;
}

static GtkWidget *
make_row (const HlLesson *l)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *number = gtk_label_new (l->number);
  GtkWidget *title = gtk_label_new (l->title ? l->title : l->name);
  GtkWidget *desc = gtk_label_new (l->error ? l->error : l->description);
  g_autofree char *a11y
      = g_strdup_printf (_ ("Lesson %s: %s"), l->number, l->title ? l->title : l->name);
  gtk_label_set_xalign (GTK_LABEL (number), 1);
  gtk_label_set_yalign (GTK_LABEL (number), 0);
  gtk_label_set_width_chars (GTK_LABEL (number), 3);
  gtk_widget_add_css_class (number, "numeric");
  gtk_widget_add_css_class (number, "heading");
  gtk_widget_add_css_class (number, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (desc), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap (GTK_LABEL (desc), TRUE);
  gtk_label_set_lines (GTK_LABEL (desc), 2);
  gtk_label_set_ellipsize (GTK_LABEL (desc), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (desc), 60);
  gtk_label_set_width_chars (GTK_LABEL (desc), 52);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 60);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (desc, "dim-label");
  gtk_widget_add_css_class (desc, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), desc);
  gtk_box_append (GTK_BOX (outer), number);
  gtk_box_append (GTK_BOX (outer), box);
  gtk_widget_set_margin_top (outer, 6);
  gtk_widget_set_margin_bottom (outer, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), outer);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_widget_set_sensitive (row, l->error == NULL);
  g_object_set_data (G_OBJECT (row), "lesson", (gpointer)l);
  return row;
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (HlLessonPicker) self = data;
  g_autoptr (GError) error = NULL;
  GPtrArray *lessons = hl_lesson_catalog_load_finish (result, &error);
  self->loading = FALSE;
  if (!lessons) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      gtk_label_set_text (self->empty_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
    return;
  }
  self->lessons = lessons;
  for (guint i = 0; i < lessons->len; i++)
    gtk_list_box_append (self->list, make_row (g_ptr_array_index (lessons, i)));
  on_search_changed (self);
}

void
hl_lesson_picker_load (HlLessonPicker *self)
{
  if (self->lessons || self->loading)
    return;
  self->loading = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "loading");
  hl_lesson_catalog_load_async (self->cancellable, on_loaded, g_object_ref (self));
}

static void
on_show (HlLessonPicker *self)
{
  hl_lesson_picker_load (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
}

gboolean
hl_lesson_picker_is_loaded (HlLessonPicker *self)
{
  return self->lessons != NULL;
}

GtkListBox *
hl_lesson_picker_get_list (HlLessonPicker *self)
{
  return self->list;
}

GtkEditable *
hl_lesson_picker_get_search (HlLessonPicker *self)
{
  return GTK_EDITABLE (self->search);
}

GPtrArray *
hl_lesson_picker_list_shown (HlLessonPicker *self)
{
  GPtrArray *shown = g_ptr_array_new ();
  for (GtkListBoxRow *row = next_shown (self, NULL, 1); row; row = next_shown (self, row, 1))
    g_ptr_array_add (shown, (gpointer)row_lesson (row));
  return shown;
}

static void
hl_lesson_picker_dispose (GObject *object)
{
  HlLessonPicker *self = HL_LESSON_PICKER (object);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_LESSON_PICKER);
  G_OBJECT_CLASS (hl_lesson_picker_parent_class)->dispose (object);
}

static void
hl_lesson_picker_finalize (GObject *object)
{
  HlLessonPicker *self = HL_LESSON_PICKER (object);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->lessons, g_ptr_array_unref);
  g_free (self->query);
  G_OBJECT_CLASS (hl_lesson_picker_parent_class)->finalize (object);
}

static void
hl_lesson_picker_class_init (HlLessonPickerClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_lesson_picker_dispose;
  G_OBJECT_CLASS (klass)->finalize = hl_lesson_picker_finalize;
  signals[SIGNAL_LESSON_CHOSEN]
      = g_signal_new ("lesson-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (
      wc, "/io/github/handshakelab/HandshakeLab/hl-lesson-picker.ui");
  gtk_widget_class_bind_template_child (wc, HlLessonPicker, search);
  gtk_widget_class_bind_template_child (wc, HlLessonPicker, stack);
  gtk_widget_class_bind_template_child (wc, HlLessonPicker, list);
  gtk_widget_class_bind_template_child (wc, HlLessonPicker, scroller);
  gtk_widget_class_bind_template_child (wc, HlLessonPicker, empty_label);
  gtk_widget_class_bind_template_callback (wc, on_show);
  gtk_widget_class_bind_template_callback (wc, on_search_changed);
  gtk_widget_class_bind_template_callback (wc, on_search_activate);
  gtk_widget_class_bind_template_callback (wc, on_row_activated);
}

static void
hl_lesson_picker_init (HlLessonPicker *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_list_box_set_filter_func (self->list, filter_lesson, self, NULL);
  gtk_list_box_set_header_func (self->list, head_lesson, NULL, NULL);
  /* Before the entry's own bindings, which would move the cursor or the focus. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search), keys);
}
