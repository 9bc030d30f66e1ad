/* hl-recording-bar.c: where a recording came from, and its keys. */
#include "hl-recording-bar.h"

#include <glib/gi18n.h>

struct _HlRecordingBar {
  GtkBox parent_instance;
  GtkInfoBar *offer;
  GtkLabel *offer_label, *status;
  GtkButton *offer_button, *connections_button, *keys_button;
};

G_DEFINE_FINAL_TYPE (HlRecordingBar, hl_recording_bar, GTK_TYPE_BOX)

static void
on_offer_response (HlRecordingBar *self, int response)
{
  /* Closed, or used: either way the question is answered. */
  gtk_info_bar_set_revealed (self->offer, FALSE);
}

static void
on_offer_clicked (HlRecordingBar *self)
{
  gtk_info_bar_set_revealed (self->offer, FALSE);
}

static void
hl_recording_bar_class_init (HlRecordingBarClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  gtk_widget_class_set_template_from_resource (
      wc, "/io/github/handshakelab/HandshakeLab/hl-recording-bar.ui");
  gtk_widget_class_bind_template_child (wc, HlRecordingBar, offer);
  gtk_widget_class_bind_template_child (wc, HlRecordingBar, offer_label);
  gtk_widget_class_bind_template_child (wc, HlRecordingBar, offer_button);
  gtk_widget_class_bind_template_child (wc, HlRecordingBar, status);
  gtk_widget_class_bind_template_child (wc, HlRecordingBar, connections_button);
  gtk_widget_class_bind_template_child (wc, HlRecordingBar, keys_button);
  gtk_widget_class_bind_template_callback (wc, on_offer_response);
}

static void
hl_recording_bar_init (HlRecordingBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->offer_button, "clicked", G_CALLBACK (on_offer_clicked), self);
}

void
hl_recording_bar_set_status (HlRecordingBar *self, const char *text)
{
  gtk_label_set_text (self->status, text ? text : "");
}

const char *
hl_recording_bar_get_status (HlRecordingBar *self)
{
  return gtk_label_get_text (self->status);
}

void
hl_recording_bar_offer_keys (HlRecordingBar *self, const char *path)
{
  if (path) {
    g_autofree char *name = g_path_get_basename (path);
    g_autofree char *question
        = g_strdup_printf (_ ("Use keys from %s? It is beside the capture."), name);
    gtk_label_set_text (self->offer_label, question);
    /* The target first: the action takes a path, and a button without one warns. */
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->offer_button), "s", path);
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->offer_button), "win.add-keys");
  }
  gtk_info_bar_set_revealed (self->offer, path != NULL);
}

const char *
hl_recording_bar_get_offer (HlRecordingBar *self)
{
  return gtk_info_bar_get_revealed (self->offer) ? gtk_label_get_text (self->offer_label) : NULL;
}

void
hl_recording_bar_set_several (HlRecordingBar *self, gboolean several)
{
  gtk_widget_set_visible (GTK_WIDGET (self->connections_button), several);
}
