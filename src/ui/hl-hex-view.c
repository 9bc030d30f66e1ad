/* hl-hex-view.c: see hl-hex-view.h. Every line has the same number of characters in a
 * monospace font, so the widget's size and where each byte sits follow from one
 * character's width and one line's height; a line is shaped when it first comes into
 * view, and kept until the bytes or the mark on it change. */
#include "hl-hex-view.h"

#include <glib/gi18n.h>

#include "hl-field.h"

#define MARGIN 6       /* px around the text, as the GtkTextView had */
#define OFFSET_CHARS 6 /* "0010  " */
#define LINE_CHARS (OFFSET_CHARS + HL_HEX_DUMP_WIDTH * 3 - 1)
#define MARK_BACKGROUND "#f5c211"
#define MARK_FOREGROUND "#000000"

struct _HlHexView {
  GtkWidget parent_instance;
  GBytes *bytes;
  gsize n_lines;
  gsize mark_start, mark_end;
  GPtrArray *lines;     /* a PangoLayout per line, NULL until it is drawn */
  GHashTable *prepared; /* line text -> PangoLayout shaped ahead (hl_hex_view_prepare) */
  int char_width;       /* Pango units; 0: not measured for this font yet */
  int line_height;      /* px */
  guint n_shaped;
  GtkAdjustment *vadjustment; /* the scrolled window's, while mapped */
  gsize reveal;               /* 1 + the line to scroll into view after the next layout; 0: none */
  GdkFrameClock *reveal_clock;
  gulong reveal_handler;
};

G_DEFINE_FINAL_TYPE (HlHexView, hl_hex_view, GTK_TYPE_WIDGET)

static void
stop_revealing (HlHexView *self)
{
  if (self->reveal_handler)
    g_signal_handler_disconnect (self->reveal_clock, self->reveal_handler);
  self->reveal_handler = 0;
  g_clear_object (&self->reveal_clock);
}

static gsize
n_bytes (HlHexView *self)
{
  return self->bytes ? g_bytes_get_size (self->bytes) : 0;
}

static void
unref_layout (gpointer layout)
{
  if (layout) /* lines never drawn have none */
    g_object_unref (layout);
}

static void
forget_lines (HlHexView *self)
{
  g_ptr_array_set_size (self->lines, 0);
  g_ptr_array_set_size (self->lines, self->n_lines);
}

/* One character's width and one line's height in the widget's font (monospace: any
 * character will do). */
static void
ensure_metrics (HlHexView *self)
{
  PangoLayout *layout;
  int width, height;
  if (self->char_width > 0)
    return;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0000");
  pango_layout_get_size (layout, &width, NULL);
  pango_layout_get_pixel_size (layout, NULL, &height);
  self->char_width = MAX (1, width / 4);
  self->line_height = MAX (1, height);
  g_object_unref (layout);
}

static char *
format_line (GBytes *bytes, gsize line)
{
  GString *s = g_string_sized_new (LINE_CHARS);
  if (!hl_hex_dump_line (s, bytes, line, TRUE)) {
    g_string_free (s, TRUE);
    return NULL;
  }
  return g_string_free (s, FALSE);
}

char *
hl_hex_view_get_line_text (HlHexView *self, gsize line)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), NULL);
  return format_line (self->bytes, line);
}

/* The marked bytes of LINE, as [*first, *last) of the whole; FALSE if none. */
static gboolean
get_marked_in_line (HlHexView *self, gsize line, gsize *first, gsize *last)
{
  gsize off = line * HL_HEX_DUMP_WIDTH;
  *first = MAX (self->mark_start, off);
  *last = MIN (self->mark_end, MIN (off + HL_HEX_DUMP_WIDTH, n_bytes (self)));
  return *first < *last;
}

static PangoLayout *
ensure_line (HlHexView *self, gsize line)
{
  PangoLayout *layout = g_ptr_array_index (self->lines, line);
  g_autofree char *text = NULL;
  gsize first, last;
  if (layout)
    return layout;
  text = hl_hex_view_get_line_text (self, line);
  if (!get_marked_in_line (self, line, &first, &last) && self->prepared
      && (layout = g_hash_table_lookup (self->prepared, text))) {
    g_ptr_array_index (self->lines, line) = g_object_ref (layout);
    return layout;
  }
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  if (get_marked_in_line (self, line, &first, &last)) {
    /* dark digits on the mark, whatever the theme's text colour */
    PangoAttrList *attrs = pango_attr_list_new ();
    PangoColor black;
    pango_color_parse (&black, MARK_FOREGROUND);
    for (gsize i = first; i < last; i++) {
      PangoAttribute *a = pango_attr_foreground_new (black.red, black.green, black.blue);
      a->start_index = OFFSET_CHARS + (i % HL_HEX_DUMP_WIDTH) * 3; /* ASCII: bytes = chars */
      a->end_index = a->start_index + 2;
      pango_attr_list_insert (attrs, a);
    }
    pango_layout_set_attributes (layout, attrs);
    pango_attr_list_unref (attrs);
  }
  g_ptr_array_index (self->lines, line) = layout;
  self->n_shaped++;
  return layout;
}

static GtkAdjustment *
find_vadjustment (HlHexView *self)
{
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  return sw ? gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw)) : NULL;
}

/* The lines [*first, *last) the scrolled window shows (all of them outside one). The
 * widget is its viewport's child, at the top of the scrolled area. */
static void
get_lines_in_view (HlHexView *self, gsize *first, gsize *last)
{
  GtkAdjustment *v = find_vadjustment (self);
  double top = 0, bottom = G_MAXDOUBLE;
  *first = 0;
  *last = self->n_lines;
  if (!v || gtk_adjustment_get_page_size (v) <= 0)
    return;
  top = gtk_adjustment_get_value (v) - MARGIN;
  bottom = top + gtk_adjustment_get_page_size (v);
  *first = (gsize)MAX (0, floor (top / self->line_height));
  *last = MIN (self->n_lines, (gsize)MAX (0, ceil (bottom / self->line_height)));
}

static void
hl_hex_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  GdkRGBA color, mark;
  gsize first, last;
  if (!self->n_lines)
    return;
  ensure_metrics (self);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  gdk_rgba_parse (&mark, MARK_BACKGROUND);
  get_lines_in_view (self, &first, &last);
  for (gsize line = first; line < last; line++) {
    int y = MARGIN + (int)line * self->line_height;
    gsize a, b;
    if (get_marked_in_line (self, line, &a, &b))
      for (gsize i = a; i < b; i++) {
        graphene_rect_t r;
        hl_hex_view_get_byte_rect (self, i, &r);
        gtk_snapshot_append_color (snapshot, &mark, &r);
      }
    gtk_snapshot_save (snapshot);
    gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (MARGIN, y));
    gtk_snapshot_append_layout (snapshot, ensure_line (self, line), &color);
    gtk_snapshot_restore (snapshot);
  }
}

static void
hl_hex_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                     int *natural, int *minimum_baseline, int *natural_baseline)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  ensure_metrics (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural
        = 2 * MARGIN + (LINE_CHARS * self->char_width + PANGO_SCALE - 1) / PANGO_SCALE;
  else
    *minimum = *natural = self->n_lines ? 2 * MARGIN + (int)self->n_lines * self->line_height : 0;
}

/* A new font (or scale) shapes every line again. */
static void
hl_hex_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  GTK_WIDGET_CLASS (hl_hex_view_parent_class)->css_changed (widget, change);
  self->char_width = 0;
  forget_lines (self);
  g_clear_pointer (&self->prepared, g_hash_table_unref);
  gtk_widget_queue_resize (widget);
}

/* A scroll shows other lines: the viewport only moves what was drawn. */
static void
hl_hex_view_map (GtkWidget *widget)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  GTK_WIDGET_CLASS (hl_hex_view_parent_class)->map (widget);
  g_set_object (&self->vadjustment, find_vadjustment (self));
  if (self->vadjustment)
    g_signal_connect_swapped (self->vadjustment, "value-changed",
                              G_CALLBACK (gtk_widget_queue_draw), self);
}

static void
hl_hex_view_unmap (GtkWidget *widget)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  if (self->vadjustment)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->vadjustment);
  stop_revealing (self);
  GTK_WIDGET_CLASS (hl_hex_view_parent_class)->unmap (widget);
}

static void
hl_hex_view_finalize (GObject *object)
{
  HlHexView *self = HL_HEX_VIEW (object);
  stop_revealing (self);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_ptr_array_unref (self->lines);
  g_clear_pointer (&self->prepared, g_hash_table_unref);
  G_OBJECT_CLASS (hl_hex_view_parent_class)->finalize (object);
}

static void
hl_hex_view_class_init (HlHexViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = hl_hex_view_finalize;
  widget_class->snapshot = hl_hex_view_snapshot;
  widget_class->measure = hl_hex_view_measure;
  widget_class->css_changed = hl_hex_view_css_changed;
  widget_class->map = hl_hex_view_map;
  widget_class->unmap = hl_hex_view_unmap;
  gtk_widget_class_set_css_name (widget_class, "hexview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hl_hex_view_init (HlHexView *self)
{
  self->lines = g_ptr_array_new_with_free_func (unref_layout);
  gtk_widget_add_css_class (GTK_WIDGET (self), "monospace");
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
hl_hex_view_new (void)
{
  return g_object_new (HL_TYPE_HEX_VIEW, NULL);
}

void
hl_hex_view_set_bytes (HlHexView *self, GBytes *bytes)
{
  GtkAdjustment *v;
  g_autofree char *description = NULL;
  g_return_if_fail (HL_IS_HEX_VIEW (self));
  if (bytes)
    g_bytes_ref (bytes);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = bytes;
  self->n_lines = (n_bytes (self) + HL_HEX_DUMP_WIDTH - 1) / HL_HEX_DUMP_WIDTH;
  self->mark_start = self->mark_end = 0;
  self->n_shaped = 0;
  forget_lines (self);
  /* a new message starts at its first line */
  if ((v = find_vadjustment (self)))
    gtk_adjustment_set_value (v, gtk_adjustment_get_lower (v));
  description
      = g_strdup_printf (ngettext ("%zu byte", "%zu bytes", n_bytes (self)), n_bytes (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

GBytes *
hl_hex_view_get_bytes (HlHexView *self)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), NULL);
  return self->bytes;
}

/* Drops the layouts of the lines holding marked bytes, to be shaped again with the mark's
 * colour (or without it). */
static void
forget_marked_lines (HlHexView *self)
{
  if (self->mark_start >= self->mark_end)
    return;
  for (gsize line = self->mark_start / HL_HEX_DUMP_WIDTH;
       line <= (self->mark_end - 1) / HL_HEX_DUMP_WIDTH && line < self->n_lines; line++)
    g_clear_object (&g_ptr_array_index (self->lines, line));
}

/* Scrolls as little as brings LINE fully into view, a tenth of the view away from its
 * edges (as gtk_text_view_scroll_to_iter did with a margin of 0.1). */
static void
scroll_to_line (HlHexView *self, gsize line)
{
  GtkAdjustment *v = find_vadjustment (self);
  double top, page, y, want;
  if (!v || (page = gtk_adjustment_get_page_size (v)) <= 0)
    return;
  ensure_metrics (self);
  top = gtk_adjustment_get_value (v);
  y = MARGIN + (double)line * self->line_height;
  want = top;
  if (y < top + 0.1 * page)
    want = y - 0.1 * page;
  else if (y + self->line_height > top + 0.9 * page)
    want = y + self->line_height - 0.9 * page;
  if (want != top)
    gtk_adjustment_set_value (v, want);
}

static void
on_layout_done (GdkFrameClock *clock, HlHexView *self)
{
  if (self->reveal)
    scroll_to_line (self, self->reveal - 1);
  self->reveal = 0;
  stop_revealing (self);
}

/* After the frame's layout: marking a field also shows its description under the
 * Fields list, which makes the hex pane shorter than it is now. */
static void
reveal_line (HlHexView *self, gsize line)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  self->reveal = line + 1;
  if (!clock) {
    scroll_to_line (self, line);
    self->reveal = 0;
    return;
  }
  if (!self->reveal_handler) {
    self->reveal_clock = g_object_ref (clock);
    self->reveal_handler
        = g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout_done), self);
  }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
hl_hex_view_set_mark (HlHexView *self, gsize start, gsize end)
{
  g_return_if_fail (HL_IS_HEX_VIEW (self));
  end = MIN (end, n_bytes (self));
  start = MIN (start, end);
  if (start == self->mark_start && end == self->mark_end)
    return;
  forget_marked_lines (self);
  self->mark_start = start;
  self->mark_end = end;
  forget_marked_lines (self);
  if (end > start)
    reveal_line (self, start / HL_HEX_DUMP_WIDTH);
  else
    self->reveal = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gssize
hl_hex_view_get_byte_at (HlHexView *self, double x, double y)
{
  gssize line, column, byte;
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), -1);
  ensure_metrics (self);
  if (x < MARGIN || y < MARGIN)
    return -1;
  line = (gssize)((y - MARGIN) / self->line_height);
  column = (gssize)((x - MARGIN) * PANGO_SCALE / self->char_width);
  if (column < OFFSET_CHARS || column >= LINE_CHARS)
    return -1; /* the offset column, or past the last byte's digits */
  /* the space after a byte's two digits counts as that byte, as the text view's did */
  byte = line * HL_HEX_DUMP_WIDTH + (column - OFFSET_CHARS) / 3;
  return (gsize)byte < n_bytes (self) && (gsize)line < self->n_lines ? byte : -1;
}

guint
hl_hex_view_get_n_shaped (HlHexView *self)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), 0);
  return self->n_shaped;
}

void
hl_hex_view_get_mark (HlHexView *self, gsize *start, gsize *end)
{
  g_return_if_fail (HL_IS_HEX_VIEW (self));
  *start = self->mark_start;
  *end = self->mark_end;
}

gboolean
hl_hex_view_get_byte_rect (HlHexView *self, gsize byte, graphene_rect_t *rect)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), FALSE);
  if (byte >= n_bytes (self))
    return FALSE;
  ensure_metrics (self);
  graphene_rect_init (rect,
                      MARGIN
                          + (double)(OFFSET_CHARS + (byte % HL_HEX_DUMP_WIDTH) * 3)
                                * self->char_width / PANGO_SCALE,
                      MARGIN + (double)(byte / HL_HEX_DUMP_WIDTH) * self->line_height,
                      2.0 * self->char_width / PANGO_SCALE, self->line_height);
  return TRUE;
}

void
hl_hex_view_prepare (HlHexView *self, GBytes *bytes)
{
  gsize n_lines, in_view = 16;
  g_return_if_fail (HL_IS_HEX_VIEW (self));
  g_clear_pointer (&self->prepared, g_hash_table_unref);
  if (!bytes)
    return;
  ensure_metrics (self);
  if (self->vadjustment)
    in_view = (gsize)(gtk_adjustment_get_page_size (self->vadjustment) / self->line_height) + 2;
  n_lines = (g_bytes_get_size (bytes) + HL_HEX_DUMP_WIDTH - 1) / HL_HEX_DUMP_WIDTH;
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (gsize line = 0; line < MIN (n_lines, in_view); line++) {
    char *text = format_line (bytes, line);
    PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
    pango_layout_get_size (layout, NULL, NULL); /* shaped now */
    g_hash_table_replace (self->prepared, text, layout);
  }
}
