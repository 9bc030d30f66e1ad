/* hl-tamper-dialog.c: edit the next message's bytes before it is delivered. */
#include "hl-tamper-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hl-field.h"
#include "hl-i18n.h"
#include "hl-quiz-dialog.h"
#include "hl-window.h"

struct _HlTamperDialog {
  AdwMessageDialog parent_instance;
  GtkTextView *text;
  GtkScrolledWindow *scroller;
  GtkScrollbar *scrollbar;
  guint sync_source; /* copies the text's adjustment to the scrollbar's */
  GtkCheckButton *ciphertext;
  GtkLabel *pending, *cursor_info, *problem, *prediction;
  GtkWidget *gutter;    /* the byte offset of each line, beside it */
  GArray *line_offsets; /* gsize: the byte each buffer line starts at, as typed */
  GtkWindow *parent;    /* whose actions carry out the answer; weak */
  HlSession *session;   /* the parent's: what the change will break, the pending change */
  gboolean encrypted;
  GBytes *wire, *plaintext;
};

G_DEFINE_FINAL_TYPE (HlTamperDialog, hl_tamper_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The bytes to edit, 16 to a line with no offsets: the parser ignores the line breaks. */
static char *
hex_lines (GBytes *b)
{
  GString *s = g_string_new (NULL);
  hl_hex_dump (s, b, FALSE);
  if (s->len)
    g_string_truncate (s, s->len - 1); /* no empty last line under the cursor */
  return g_string_free (s, FALSE);
}

/* The text view changes its adjustment's upper bound while it draws (it lays out the lines
 * it shows then), and a scrollbar on that adjustment, drawn after it in the same frame, has
 * its trough waiting for an allocation: GTK 4.8 warned "Trying to snapshot GtkGizmo …
 * without a current allocation" while typing. So the scrollbar has an adjustment of its
 * own, given the text's values from an idle, outside any frame. */
static gboolean
sync_scrollbar (gpointer data)
{
  HlTamperDialog *self = data;
  GtkAdjustment *from = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkAdjustment *to = gtk_scrollbar_get_adjustment (self->scrollbar);
  self->sync_source = 0;
  gtk_adjustment_configure (
      to, gtk_adjustment_get_value (from), gtk_adjustment_get_lower (from),
      gtk_adjustment_get_upper (from), gtk_adjustment_get_step_increment (from),
      gtk_adjustment_get_page_increment (from), gtk_adjustment_get_page_size (from));
  return G_SOURCE_REMOVE;
}

static void
follow_text_adjustment (HlTamperDialog *self)
{
  if (!self->sync_source)
    self->sync_source = g_idle_add (sync_scrollbar, self);
}

/* Dragging the scrollbar scrolls the text. */
static void
on_scrollbar_moved (GtkAdjustment *adjustment, HlTamperDialog *self)
{
  GtkAdjustment *text = gtk_scrolled_window_get_vadjustment (self->scroller);
  if (gtk_adjustment_get_value (text) != gtk_adjustment_get_value (adjustment))
    gtk_adjustment_set_value (text, gtk_adjustment_get_value (adjustment));
}

static gboolean
editing_ciphertext (HlTamperDialog *self)
{
  return self->encrypted && gtk_check_button_get_active (self->ciphertext);
}

/* The bytes the person started from in this mode. */
static GBytes *
original (HlTamperDialog *self)
{
  return self->encrypted && !editing_ciphertext (self) ? self->plaintext : self->wire;
}

/* The bytes to edit, the cursor on the first (where the view opens), not after the last. */
static void
set_hex (HlTamperDialog *self, const char *hex)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text);
  GtkTextIter start;
  gtk_text_buffer_set_text (buffer, hex, -1);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
}

static void
on_mode_toggled (HlTamperDialog *self)
{
  g_autofree char *hex = NULL;
  if (!self->wire)
    return; /* not yet given a message */
  hex = hex_lines (original (self));
  set_hex (self, hex);
}

/* The typed text as bytes; FALSE with what is wrong, and where. Spaces and line breaks do
 * not count. Fills the byte offset of each line for the gutter. */
static gboolean
parse_typed (HlTamperDialog *self, const char *text, GByteArray *out, char **problem)
{
  int hi = -1, line = 0, col = 0;
  g_array_set_size (self->line_offsets, 0);
  {
    gsize zero = 0;
    g_array_append_val (self->line_offsets, zero);
  }
  *problem = NULL;
  for (const char *p = text; *p; p = g_utf8_next_char (p), col++) {
    int v = g_ascii_xdigit_value (*p);
    if (*p == '\n') {
      gsize at = out->len;
      g_array_append_val (self->line_offsets, at);
      line++;
      col = -1;
      continue;
    }
    if (g_ascii_isspace (*p))
      continue;
    if (v < 0) {
      if (!*problem)
        *problem = g_strdup_printf (
            _ ("Line %d, character %d: “%.*s” is not a hex digit. Use pairs of 0-9 and a-f "
               "(spaces and line breaks do not count)."),
            line + 1, col + 1, (int)(g_utf8_next_char (p) - p), p);
      continue;
    }
    if (hi < 0) {
      hi = v;
    } else {
      guint8 b = (guint8)(hi << 4 | v);
      g_byte_array_append (out, &b, 1);
      hi = -1;
    }
  }
  if (!*problem && hi >= 0)
    *problem = g_strdup (_ ("An odd number of hex digits: the last byte has only one."));
  if (!*problem && self->encrypted && !editing_ciphertext (self)
      && (out->len == 0 || out->len > 16384))
    *problem
        = g_strdup_printf (_ ("The lab seals 1 to 16384 bytes of plaintext in a record, not %u "
                              "(TLS allows at most 16384, and an empty record only for "
                              "application data)."),
                           out->len);
  return *problem == NULL;
}

/* The field the unchanged message has at a byte; NULL in the ciphertext, or if unknown. */
static const HlField *
field_at (HlTamperDialog *self, gsize byte)
{
  if (!self->session || editing_ciphertext (self))
    return NULL;
  return hl_field_find_at (hl_session_get_next_fields (self->session), byte);
}

static void
update_cursor_info (HlTamperDialog *self)
{
  GtkTextBuffer *buf = gtk_text_view_get_buffer (self->text);
  GtkTextIter start, cursor;
  g_autofree char *before = NULL, *info = NULL;
  gsize digits = 0;
  const HlField *f;
  gtk_text_buffer_get_start_iter (buf, &start);
  gtk_text_buffer_get_iter_at_mark (buf, &cursor, gtk_text_buffer_get_insert (buf));
  before = gtk_text_buffer_get_text (buf, &start, &cursor, FALSE);
  for (const char *p = before; *p; p++)
    digits += g_ascii_isxdigit (*p) ? 1 : 0;
  f = field_at (self, digits / 2);
  if (f)
    info = g_strdup_printf (_ ("Cursor at byte %zu: %s (bytes %zu to %zu)"), digits / 2, f->name,
                            f->offset, f->offset + f->length - 1);
  else
    info = g_strdup_printf (editing_ciphertext (self) ? _ ("Cursor at byte %zu of the record")
                                                      : _ ("Cursor at byte %zu"),
                            digits / 2);
  gtk_label_set_text (self->cursor_info, info);
}

/* After every change of the text: what is wrong with it, or what the change will break. */
static void
revalidate (HlTamperDialog *self)
{
  GtkTextBuffer *buf = gtk_text_view_get_buffer (self->text);
  GtkTextIter a, b;
  g_autofree char *text = NULL, *problem = NULL, *prediction = NULL;
  GByteArray *bytes = g_byte_array_new ();
  gboolean ok;
  if (!self->wire) {
    g_byte_array_unref (bytes);
    return;
  }
  gtk_text_buffer_get_bounds (buf, &a, &b);
  text = gtk_text_buffer_get_text (buf, &a, &b, FALSE);
  ok = parse_typed (self, text, bytes, &problem);
  gtk_label_set_text (self->problem, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem), problem != NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "deliver", ok);
  if (ok && self->session) {
    g_autoptr (GBytes) changed = g_byte_array_free_to_bytes (bytes);
    gsize n, m, first = 0;
    const guint8 *x = g_bytes_get_data (original (self), &n), *y = g_bytes_get_data (changed, &m);
    gboolean same = n == m && memcmp (x, y, n) == 0;
    const HlField *f;
    bytes = NULL;
    while (first < MIN (n, m) && x[first] == y[first])
      first++;
    f = field_at (self, first);
    prediction = same ? g_strdup (_ ("Every byte is as the sender sent it: nothing is changed."))
                 : hl_quiz_dialog_instead_of_prediction (self->parent)
                     ? g_strdup (hl_quiz_dialog_instead_of_prediction (self->parent))
                     : hl_session_predict_text (
                         self->session, 0,
                         editing_ciphertext (self) ? HL_TAMPER_CIPHERTEXT : HL_TAMPER_CONTENT,
                         f ? f->name : NULL, f ? f->offset : first, f ? f->length : 1, changed);
  }
  if (bytes)
    g_byte_array_unref (bytes);
  gtk_label_set_text (self->prediction,
                      prediction && *prediction ? prediction
                      : !ok ? _ ("Once the bytes are valid, this says what the change will break.")
                            : "");
  gtk_widget_queue_draw (self->gutter);
  update_cursor_info (self);
}

/* The gutter: each line's first byte offset, level with the line. */
static void
draw_gutter (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  HlTamperDialog *self = data;
  GtkTextBuffer *buf = gtk_text_view_get_buffer (self->text);
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  GdkRGBA color;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  for (guint line = 0; line < self->line_offsets->len; line++) {
    GtkTextIter it;
    int y, h, wy;
    g_autofree char *label = NULL;
    gtk_text_buffer_get_iter_at_line (buf, &it, (int)line);
    gtk_text_view_get_line_yrange (self->text, &it, &y, &h);
    gtk_text_view_buffer_to_window_coords (self->text, GTK_TEXT_WINDOW_LEFT, 0, y, NULL, &wy);
    if (wy + h < 0 || wy > height)
      continue;
    label = g_strdup_printf ("%04zx", g_array_index (self->line_offsets, gsize, line));
    pango_layout_set_text (layout, label, -1);
    cairo_move_to (cr, 2, wy);
    pango_cairo_show_layout (cr, layout);
  }
  g_object_unref (layout);
}

static void
hl_tamper_dialog_response (AdwMessageDialog *dialog, const char *response)
{
  HlTamperDialog *self = HL_TAMPER_DIALOG (dialog);
  GtkTextBuffer *buf = gtk_text_view_get_buffer (self->text);
  GtkTextIter a, b;
  g_autofree char *text = NULL;
  gtk_text_buffer_get_bounds (buf, &a, &b);
  text = gtk_text_buffer_get_text (buf, &a, &b, FALSE);
  if (self->parent && g_str_equal (response, "clear")) {
    gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.clear-tamper", NULL);
  } else if (self->parent && g_str_equal (response, "drop")) {
    gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.drop", NULL);
  } else if (self->parent && g_str_equal (response, "deliver")) {
    gboolean plain = self->encrypted && !gtk_check_button_get_active (self->ciphertext);
    gtk_widget_activate_action (GTK_WIDGET (self->parent),
                                plain ? "win.tamper-plaintext" : "win.tamper", "s", text);
  }
}

/* Reopened on a message already changed: the change is shown, to edit further or clear. */
static void
show_pending (HlTamperDialog *self)
{
  const HlChange *c = self->session ? hl_session_get_pending_change (self->session) : NULL;
  g_autofree char *note = NULL;
  if (!c)
    return;
  if (c->edit.drop) {
    note = g_strdup (_ ("This message will be dropped (your change). Deliver bytes instead, or "
                        "clear the change."));
  } else {
    g_autofree char *hex = NULL;
    /* the edited bytes, in the mode they were edited in */
    gtk_check_button_set_active (self->ciphertext, self->encrypted && !c->edit.plaintext);
    hex = hex_lines (c->edit.plaintext ? c->edit.plaintext : c->edit.wire);
    set_hex (self, hex);
    note = g_strdup_printf (_ ("Your change waits on this message: %s. Edit it further, or "
                               "clear it."),
                            c->what);
  }
  gtk_label_set_text (self->pending, note);
  gtk_widget_set_visible (GTK_WIDGET (self->pending), TRUE);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (self), "clear", _ ("C_lear the Change"));
}

HlTamperDialog *
hl_tamper_dialog_new (GtkWindow *parent, const HlNextMessage *next)
{
  HlTamperDialog *self = g_object_new (HL_TYPE_TAMPER_DIALOG, "transient-for", parent, NULL);
  g_autofree char *heading
      = g_strdup_printf (_ ("Tamper with %s, %s to %s"), next->message, hl_side_word (next->from),
                         hl_side_word (hl_side_other (next->from)));
  self->parent = parent;
  g_object_add_weak_pointer (G_OBJECT (parent), (gpointer *)&self->parent);
  self->encrypted = next->encrypted;
  self->wire = g_bytes_ref (next->wire);
  self->plaintext = next->plaintext ? g_bytes_ref (next->plaintext) : NULL;
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  self->session = HL_IS_WINDOW (parent) ? hl_window_get_session (HL_WINDOW (parent)) : NULL;
  if (self->session)
    g_object_ref (self->session);
  if (next->encrypted) {
    adw_message_dialog_set_body (
        ADW_MESSAGE_DIALOG (self),
        _ ("This record is encrypted. Edit its decrypted bytes and the lab encrypts them again "
           "with the sender's real keys: the receiver gets a valid record with other content. "
           "Or edit the ciphertext itself, and its integrity check fails."));
  } else {
    /* The receiver's own library: OpenSSL plays TLS 1.3 sides (and some TLS 1.2 ones). */
    const HlScenario *sc
        = self->session ? hl_run_get_scenario (hl_session_get_run (self->session)) : NULL;
    const HlSideConfig *receiver = !sc                                            ? NULL
                                   : hl_side_other (next->from) == HL_SIDE_SERVER ? &sc->server
                                                                                  : &sc->client;
    g_autofree char *body = g_strdup_printf (
        /* TRANSLATORS: %s is a TLS library, "BearSSL" or "OpenSSL" */
        _ ("Edit the bytes in hex, then deliver them. The receiver reacts as %s really does."),
        receiver && receiver->library == HL_LIBRARY_OPENSSL ? "OpenSSL" : "BearSSL");
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->ciphertext), next->encrypted);
  on_mode_toggled (self);
  show_pending (self);
  return self;
}

GtkTextView *
hl_tamper_dialog_get_text_view (HlTamperDialog *self)
{
  return self->text;
}

GtkScrollbar *
hl_tamper_dialog_get_scrollbar (HlTamperDialog *self)
{
  return self->scrollbar;
}

const char *
hl_tamper_dialog_get_problem (HlTamperDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->problem)) ? gtk_label_get_text (self->problem)
                                                             : NULL;
}

const char *
hl_tamper_dialog_get_pending (HlTamperDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->pending)) ? gtk_label_get_text (self->pending)
                                                             : NULL;
}

const char *
hl_tamper_dialog_get_prediction (HlTamperDialog *self)
{
  return gtk_label_get_text (self->prediction);
}

const char *
hl_tamper_dialog_get_cursor_info (HlTamperDialog *self)
{
  return gtk_label_get_text (self->cursor_info);
}

static void
hl_tamper_dialog_dispose (GObject *object)
{
  HlTamperDialog *self = HL_TAMPER_DIALOG (object);
  if (self->parent) {
    g_object_remove_weak_pointer (G_OBJECT (self->parent), (gpointer *)&self->parent);
    self->parent = NULL;
  }
  g_clear_handle_id (&self->sync_source, g_source_remove);
  g_clear_pointer (&self->wire, g_bytes_unref);
  g_clear_pointer (&self->plaintext, g_bytes_unref);
  g_clear_object (&self->session);
  g_clear_pointer (&self->line_offsets, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_TAMPER_DIALOG);
  G_OBJECT_CLASS (hl_tamper_dialog_parent_class)->dispose (object);
}

static void
hl_tamper_dialog_class_init (HlTamperDialogClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_tamper_dialog_dispose;
  ADW_MESSAGE_DIALOG_CLASS (klass)->response = hl_tamper_dialog_response;
  gtk_widget_class_set_template_from_resource (
      wc, "/io/github/handshakelab/HandshakeLab/hl-tamper-dialog.ui");
  gtk_widget_class_bind_template_child (wc, HlTamperDialog, text);
  gtk_widget_class_bind_template_child (wc, HlTamperDialog, scroller);
  gtk_widget_class_bind_template_child (wc, HlTamperDialog, scrollbar);
  gtk_widget_class_bind_template_child (wc, HlTamperDialog, ciphertext);
  gtk_widget_class_bind_template_child (wc, HlTamperDialog, pending);
  gtk_widget_class_bind_template_child (wc, HlTamperDialog, cursor_info);
  gtk_widget_class_bind_template_child (wc, HlTamperDialog, problem);
  gtk_widget_class_bind_template_child (wc, HlTamperDialog, prediction);
  gtk_widget_class_bind_template_callback (wc, on_mode_toggled);
}

static void
hl_tamper_dialog_init (HlTamperDialog *self)
{
  GtkAdjustment *text, *own;
  GtkTextBuffer *buf;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->line_offsets = g_array_new (FALSE, TRUE, sizeof (gsize));
  buf = gtk_text_view_get_buffer (self->text);
  g_signal_connect_object (buf, "changed", G_CALLBACK (revalidate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buf, "notify::cursor-position", G_CALLBACK (update_cursor_info), self,
                           G_CONNECT_SWAPPED);
  self->gutter = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->gutter), 44);
  gtk_widget_add_css_class (self->gutter, "monospace");
  gtk_widget_add_css_class (self->gutter, "dim-label");
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->gutter), draw_gutter, self, NULL);
  gtk_text_view_set_gutter (self->text, GTK_TEXT_WINDOW_LEFT, self->gutter);
  text = gtk_scrolled_window_get_vadjustment (self->scroller);
  own = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  gtk_scrollbar_set_adjustment (self->scrollbar, own);
  g_signal_connect_object (text, "changed", G_CALLBACK (follow_text_adjustment), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (text, "value-changed", G_CALLBACK (follow_text_adjustment), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (text, "value-changed", G_CALLBACK (gtk_widget_queue_draw), self->gutter,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (own, "value-changed", G_CALLBACK (on_scrollbar_moved), self, 0);
}
