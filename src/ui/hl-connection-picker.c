/* hl-connection-picker.c: one TLS connection of a capture, chosen from a list. */
#include "hl-connection-picker.h"

#include <glib/gi18n.h>

#include "hl-recorded.h"
#include "hl-tables.h"

struct _HlConnectionPicker {
  AdwWindow parent_instance;
  GtkLabel *intro;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (HlConnectionPicker, hl_connection_picker, ADW_TYPE_WINDOW)

enum { SIGNAL_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

gboolean
hl_connection_picker_describe (HlRun *run, guint i, char **title, char **subtitle)
{
  HlRecordedConnection rc;
  const HlConnection *c;
  const HlSuite *suite;
  g_autofree char *suite_name = NULL;
  g_autofree char *messages = NULL;
  if (!hl_run_get_recorded_connection (run, i, &rc))
    return FALSE;
  c = i < hl_run_get_n_connections (run) ? hl_run_get_connection (run, i) : NULL;
  suite = c ? hl_suite_by_id (c->suite) : NULL;
  suite_name = suite           ? g_strdup (suite->name)
               : c && c->suite ? hl_describe_suite_id (c->suite)
                               : g_strdup (_ ("no suite chosen"));
  messages = g_strdup_printf (ngettext ("%u message", "%u messages", rc.n_messages), rc.n_messages);
  *title = g_strdup_printf ("%u \u00b7 %s \u2192 %s", rc.file_number, rc.client, rc.server);
  *subtitle = g_strdup_printf (
      "%s \u00b7 %s \u00b7 %s \u00b7 %s \u00b7 %s%s%s",
      c && c->server_name ? c->server_name : _ ("no SNI"),
      c && c->version ? hl_version_name (c->version) : _ ("no version agreed"), suite_name,
      messages, rc.keys_known ? _ ("keys known") : _ ("keys not known"), rc.note ? " \u00b7 " : "",
      rc.note ? rc.note : "");
  return TRUE;
}

static void
on_row_activated (AdwActionRow *row, HlConnectionPicker *self)
{
  guint number = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "number"));
  g_object_ref (self);
  gtk_window_close (GTK_WINDOW (self));
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, number);
  g_object_unref (self);
}

static void
hl_connection_picker_class_init (HlConnectionPickerClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  signals[SIGNAL_CHOSEN]
      = g_signal_new ("connection-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  gtk_widget_class_set_template_from_resource (
      wc, "/io/github/handshakelab/HandshakeLab/hl-connection-picker.ui");
  gtk_widget_class_bind_template_child (wc, HlConnectionPicker, intro);
  gtk_widget_class_bind_template_child (wc, HlConnectionPicker, list);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_connection_picker_init (HlConnectionPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HlConnectionPicker *
hl_connection_picker_new (GtkWindow *parent, const char *name, HlRun *run)
{
  HlConnectionPicker *self
      = g_object_new (HL_TYPE_CONNECTION_PICKER, "transient-for", parent, NULL);
  g_autofree char *title = NULL, *subtitle = NULL;
  guint n = 0;
  for (guint i = 0; hl_connection_picker_describe (run, i, &title, &subtitle); i++) {
    HlRecordedConnection rc;
    GtkWidget *row = adw_action_row_new ();
    hl_run_get_recorded_connection (run, i, &rc);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               gtk_image_new_from_icon_name ("go-next-symbolic"));
    g_object_set_data (G_OBJECT (row), "number", GUINT_TO_POINTER (rc.file_number));
    g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);
    gtk_list_box_append (self->list, row);
    g_clear_pointer (&title, g_free);
    g_clear_pointer (&subtitle, g_free);
    n++;
  }
  {
    g_autofree char *intro
        = g_strdup_printf (ngettext ("%s holds %u TLS connection. Choose one to step through.",
                                     "%s holds %u TLS connections. Choose one to step through.", n),
                           name, n);
    gtk_label_set_text (self->intro, intro);
  }
  return self;
}

GtkListBox *
hl_connection_picker_get_list (HlConnectionPicker *self)
{
  return self->list;
}
