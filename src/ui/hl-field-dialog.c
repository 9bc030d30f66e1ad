/* hl-field-dialog.c: change one field of a delivered message, typed (hl-field-dialog.h). */
#include "hl-field-dialog.h"

#include <glib/gi18n.h>

#include "hl-i18n.h"
#include "hl-quiz-dialog.h"

struct _HlFieldDialog {
  AdwMessageDialog parent_instance;
  GtkLabel *pending, *hint, *problem, *prediction, *bit_label;
  GtkEntry *entry;
  GtkDropDown *names;
  GtkSpinButton *bit;
  GtkWidget *value_box, *bit_box;
  GtkWindow *parent; /* weak: tells it of the change (win.tamper-done) */
  HlSession *session;
  guint step;
  HlField *field; /* a copy; NULL for a drop */
  HlFieldDialogMode mode;
  GBytes *bytes;    /* the message as its sender sent it (decrypted, for an encrypted one) */
  gboolean filling; /* the entry is being set from the names list */
};

G_DEFINE_FINAL_TYPE (HlFieldDialog, hl_field_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* Checks what is typed and says what the change will break; a value that is not valid
 * turns the change off, and keeps the text. */
static void
revalidate (HlFieldDialog *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) changed = NULL;
  g_autofree char *text = NULL;
  gboolean ok = TRUE;
  if (!self->session)
    return; /* not yet given its field */
  if (self->mode == HL_FIELD_DIALOG_SET) {
    changed = hl_field_encode (self->field, self->bytes,
                               gtk_editable_get_text (GTK_EDITABLE (self->entry)), &error);
    ok = changed != NULL;
  } else if (self->mode == HL_FIELD_DIALOG_FLIP) {
    changed = hl_field_flip_bit (self->field, self->bytes,
                                 (guint)gtk_spin_button_get_value_as_int (self->bit), &error);
    ok = changed != NULL;
  }
  gtk_label_set_text (self->problem, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem), error != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "apply", ok);
  if (hl_quiz_dialog_instead_of_prediction (self->parent)) {
    gtk_label_set_text (self->prediction, hl_quiz_dialog_instead_of_prediction (self->parent));
    return;
  }
  text = hl_session_predict_text (
      self->session, self->step,
      self->mode == HL_FIELD_DIALOG_DROP ? HL_TAMPER_DROP : HL_TAMPER_CONTENT,
      self->field ? self->field->name : NULL, self->field ? self->field->offset : 0,
      self->field ? self->field->length : 0, changed);
  gtk_label_set_text (self->prediction, text && *text ? text : _ ("The lab cannot tell."));
}

static void
on_name_picked (HlFieldDialog *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->names);
  if (self->filling || !item)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), gtk_string_object_get_string (item));
}

static void
on_entry_changed (HlFieldDialog *self)
{
  GListModel *names = gtk_drop_down_get_model (self->names);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  /* the list follows a name typed in full */
  for (guint i = 0; names && !self->filling && i < g_list_model_get_n_items (names); i++) {
    g_autoptr (GtkStringObject) item = g_list_model_get_item (names, i);
    if (g_ascii_strcasecmp (gtk_string_object_get_string (item), text) == 0) {
      self->filling = TRUE;
      gtk_drop_down_set_selected (self->names, i);
      self->filling = FALSE;
    }
  }
  revalidate (self);
}

static void
tell_window (HlFieldDialog *self, const char *message)
{
  if (self->parent)
    gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.tamper-done", "s", message);
}

static void
hl_field_dialog_response (AdwMessageDialog *dialog, const char *response)
{
  HlFieldDialog *self = HL_FIELD_DIALOG (dialog);
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;
  g_autofree char *typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  if (g_str_equal (response, "clear")) {
    const HlChange *c = hl_session_get_step_change (self->session, self->step);
    g_autofree char *what = c ? g_strdup (c->what) : NULL;
    if (hl_session_go_before (self->session, self->step) && what) {
      g_autofree char *msg = g_strdup_printf (
          _ ("Your change (%s) was taken away; Redo (Ctrl+Shift+Z) brings it back."), what);
      tell_window (self, msg);
    }
    return;
  }
  if (!g_str_equal (response, "apply"))
    return;
  switch (self->mode) {
  case HL_FIELD_DIALOG_SET:
    ok = hl_session_set_field (self->session, self->step, self->field, typed, &error);
    break;
  case HL_FIELD_DIALOG_FLIP:
    ok = hl_session_flip_field_bit (self->session, self->step, self->field,
                                    (guint)gtk_spin_button_get_value_as_int (self->bit), &error);
    break;
  default:
    ok = hl_session_drop_step (self->session, self->step, &error);
  }
  if (ok) {
    const HlChange *c = hl_session_get_pending_change (self->session);
    g_autofree char *msg
        = g_strdup_printf (_ ("%s %s: press Step to deliver it and see which check catches it."),
                           c ? c->message : "", c ? c->what : "");
    tell_window (self, msg);
  } else if (self->parent) {
    /* The dialog closes with any answer: a new one keeps what was typed, and says why. */
    HlFieldDialog *again
        = hl_field_dialog_new (self->parent, self->session, self->step, self->field, self->mode);
    gtk_editable_set_text (GTK_EDITABLE (again->entry), typed);
    gtk_label_set_text (again->problem, error ? error->message : "");
    gtk_widget_set_visible (GTK_WIDGET (again->problem), TRUE);
    gtk_window_present (GTK_WINDOW (again));
  }
}

HlFieldDialog *
hl_field_dialog_new (GtkWindow *parent, HlSession *session, guint step, const HlField *field,
                     HlFieldDialogMode mode)
{
  HlFieldDialog *self = g_object_new (HL_TYPE_FIELD_DIALOG, "transient-for", parent, NULL);
  const HlStep *st = hl_session_get_step (session, step - 1);
  const HlChange *change = hl_session_get_step_change (session, step);
  g_autofree char *heading = NULL, *body = NULL;
  g_return_val_if_fail (st != NULL && (field || mode == HL_FIELD_DIALOG_DROP), self);
  self->parent = parent;
  g_object_add_weak_pointer (G_OBJECT (parent), (gpointer *)&self->parent);
  self->session = g_object_ref (session);
  self->step = step;
  self->mode = mode;
  self->field = field ? hl_field_copy (field) : NULL;
  self->bytes = g_bytes_ref (hl_step_get_message_bytes (st));
  switch (mode) {
  case HL_FIELD_DIALOG_SET:
    heading = g_strdup_printf (_ ("Change %s"), field->name);
    break;
  case HL_FIELD_DIALOG_FLIP:
    heading = g_strdup_printf (_ ("Flip a Bit of %s"), field->name);
    adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "apply", _ ("_Flip It"));
    break;
  default:
    heading = g_strdup_printf (_ ("Drop the %s"), st->message);
    adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "apply", _ ("_Drop It"));
    adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "apply",
                                                ADW_RESPONSE_DESTRUCTIVE);
  }
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  if (mode == HL_FIELD_DIALOG_SET || mode == HL_FIELD_DIALOG_FLIP)
    body = g_strdup_printf (
        _ ("Step %u: %s, %s to %s. The lesson goes back to just before this message; it is "
           "changed on its way, and Step delivers it."),
        step, st->message, hl_side_word (st->from), hl_side_word (hl_side_other (st->from)));
  else
    body = g_strdup_printf (
        _ ("Step %u: %s, %s to %s. The lesson goes back to just before this message; it is "
           "lost on its way, and Step goes on without it: the %s never reads it."),
        step, st->message, hl_side_word (st->from), hl_side_word (hl_side_other (st->from)),
        hl_side_word (hl_side_other (st->from)));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  if (change) {
    g_autofree char *note = g_strdup_printf (
        _ ("This message was delivered with your change: %s. A new change replaces it."),
        change->what);
    gtk_label_set_text (self->pending, note);
    gtk_widget_set_visible (GTK_WIDGET (self->pending), TRUE);
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (self), "clear",
                                     _ ("_Take the Change Away"));
  }
  gtk_widget_set_visible (self->value_box, mode == HL_FIELD_DIALOG_SET);
  gtk_widget_set_visible (self->bit_box, mode == HL_FIELD_DIALOG_FLIP);
  if (field) {
    g_autofree char *hint = NULL;
    if (field->length && mode == HL_FIELD_DIALOG_FLIP)
      hint = g_strdup_printf (_ ("%s is bytes %zu to %zu of the message: bits 0 to %zu, bit 0 "
                                 "the lowest of its last byte."),
                              field->name, field->offset, field->offset + field->length - 1,
                              field->length * 8 - 1);
    else if (field->length)
      hint = g_strdup_printf (
          ngettext ("%s takes %s. It is byte %zu of the message (%zu byte); the change keeps "
                    "its size, so every length around it still holds.",
                    "%s takes %s. It is bytes %zu to %zu of the message; the change keeps its "
                    "size, so every length around it still holds.",
                    field->length),
          field->name, hl_field_kind_hint (field), field->offset,
          field->length == 1 ? (gsize)1 : field->offset + field->length - 1);
    gtk_label_set_text (self->hint, hint ? hint : "");
  } else {
    gtk_widget_set_visible (GTK_WIDGET (self->hint), FALSE);
  }
  if (mode == HL_FIELD_DIALOG_FLIP)
    gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->bit),
                              (double)field->length * 8 - 1);
  if (mode == HL_FIELD_DIALOG_SET) {
    g_auto (GStrv) names = hl_field_value_names (field);
    g_autofree char *now = hl_field_edit_text (field, self->bytes);
    const char *text = change && change->field && change->typed && change->mode != HL_TAMPER_DROP
                               && g_str_equal (change->field, field->name)
                               && change->offset == field->offset
                           ? change->typed
                           : now;
    if (names[0]) {
      GtkStringList *list = gtk_string_list_new ((const char *const *)names);
      GtkExpression *expr = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
      self->filling = TRUE;
      gtk_drop_down_set_expression (self->names, expr);
      gtk_expression_unref (expr);
      gtk_drop_down_set_model (self->names, G_LIST_MODEL (list));
      gtk_drop_down_set_selected (self->names, GTK_INVALID_LIST_POSITION);
      for (guint i = 0; names[i]; i++)
        if (g_str_equal (names[i], now))
          gtk_drop_down_set_selected (self->names, i);
      self->filling = FALSE;
      g_object_unref (list);
      gtk_widget_set_visible (GTK_WIDGET (self->names), TRUE);
    }
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  }
  revalidate (self);
  return self;
}

GtkEditable *
hl_field_dialog_get_entry (HlFieldDialog *self)
{
  return GTK_EDITABLE (self->entry);
}

GtkSpinButton *
hl_field_dialog_get_bit (HlFieldDialog *self)
{
  return self->bit;
}

const char *
hl_field_dialog_get_problem (HlFieldDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->problem)) ? gtk_label_get_text (self->problem)
                                                             : NULL;
}

const char *
hl_field_dialog_get_prediction (HlFieldDialog *self)
{
  return gtk_label_get_text (self->prediction);
}

static void
hl_field_dialog_dispose (GObject *object)
{
  HlFieldDialog *self = HL_FIELD_DIALOG (object);
  if (self->parent) {
    g_object_remove_weak_pointer (G_OBJECT (self->parent), (gpointer *)&self->parent);
    self->parent = NULL;
  }
  g_clear_object (&self->session);
  g_clear_pointer (&self->field, hl_field_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_FIELD_DIALOG);
  G_OBJECT_CLASS (hl_field_dialog_parent_class)->dispose (object);
}

static void
hl_field_dialog_class_init (HlFieldDialogClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_field_dialog_dispose;
  ADW_MESSAGE_DIALOG_CLASS (klass)->response = hl_field_dialog_response;
  gtk_widget_class_set_template_from_resource (
      wc, "/io/github/handshakelab/HandshakeLab/hl-field-dialog.ui");
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, pending);
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, hint);
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, problem);
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, prediction);
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, bit_label);
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, entry);
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, names);
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, bit);
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, value_box);
  gtk_widget_class_bind_template_child (wc, HlFieldDialog, bit_box);
}

static void
hl_field_dialog_init (HlFieldDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->entry, "changed", G_CALLBACK (on_entry_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bit, "value-changed", G_CALLBACK (on_entry_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->names, "notify::selected", G_CALLBACK (on_name_picked), self,
                           G_CONNECT_SWAPPED);
}
