/* hl-tamper-dialog.c: edit the next message's bytes before it is delivered. */
#include "hl-tamper-dialog.h"

#include <glib/gi18n.h>

#include "hl-field.h"
#include "hl-i18n.h"

struct _HlTamperDialog {
  AdwMessageDialog parent_instance;
  GtkTextView *text;
  GtkScrolledWindow *scroller;
  GtkScrollbar *scrollbar;
  guint sync_source; /* copies the text's adjustment to the scrollbar's */
  GtkCheckButton *ciphertext;
  GtkWindow *parent; /* whose actions carry out the answer; weak */
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

static void
on_mode_toggled (HlTamperDialog *self)
{
  gboolean cipher = !self->encrypted || gtk_check_button_get_active (self->ciphertext);
  g_autofree char *hex = NULL;
  if (!self->wire)
    return; /* not yet given a message */
  hex = hex_lines (cipher ? self->wire : self->plaintext);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text), hex, -1);
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
  if (self->parent && g_str_equal (response, "drop")) {
    gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.drop", NULL);
  } else if (self->parent && g_str_equal (response, "deliver")) {
    gboolean plain = self->encrypted && !gtk_check_button_get_active (self->ciphertext);
    gtk_widget_activate_action (GTK_WIDGET (self->parent),
                                plain ? "win.tamper-plaintext" : "win.tamper", "s", text);
  }
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
  adw_message_dialog_set_body (
      ADW_MESSAGE_DIALOG (self),
      next->encrypted
          ? _ ("This record is encrypted. Edit its decrypted bytes and the lab encrypts them again "
               "with the sender's real keys: the receiver gets a valid record with other content. "
               "Or edit the ciphertext itself, and its integrity check fails.")
          : _ ("Edit the bytes in hex, then deliver them. The receiver reacts as BearSSL really "
               "does."));
  gtk_widget_set_visible (GTK_WIDGET (self->ciphertext), next->encrypted);
  on_mode_toggled (self);
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
  gtk_widget_class_bind_template_callback (wc, on_mode_toggled);
}

static void
hl_tamper_dialog_init (HlTamperDialog *self)
{
  GtkAdjustment *text, *own;
  gtk_widget_init_template (GTK_WIDGET (self));
  text = gtk_scrolled_window_get_vadjustment (self->scroller);
  own = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  gtk_scrollbar_set_adjustment (self->scrollbar, own);
  g_signal_connect_object (text, "changed", G_CALLBACK (follow_text_adjustment), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (text, "value-changed", G_CALLBACK (follow_text_adjustment), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (own, "value-changed", G_CALLBACK (on_scrollbar_moved), self, 0);
}
