/* hl-steal-key-dialog.c: the report of a stolen server key, and its export
 * (hl-steal-key-dialog.h). */
#include "hl-steal-key-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hl-output.h"
#include "hl-recorded.h"
#include "hl-steal.h"
#include "hl-tables.h"
#include "hl-window-private.h"

struct _HlStealKeyDialog {
  AdwWindow parent_instance;
  HlStolenKey *stolen;
  char *text;
  AdwToastOverlay *toasts;
};

G_DEFINE_FINAL_TYPE (HlStealKeyDialog, hl_steal_key_dialog, ADW_TYPE_WINDOW)

static void
hl_steal_key_dialog_finalize (GObject *object)
{
  HlStealKeyDialog *self = HL_STEAL_KEY_DIALOG (object);
  g_clear_pointer (&self->stolen, hl_stolen_key_free);
  g_free (self->text);
  G_OBJECT_CLASS (hl_steal_key_dialog_parent_class)->finalize (object);
}

static void
hl_steal_key_dialog_class_init (HlStealKeyDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_steal_key_dialog_finalize;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close",
                                       NULL);
}

static void
hl_steal_key_dialog_init (HlStealKeyDialog *self)
{
}

const char *
hl_steal_key_dialog_get_text (HlStealKeyDialog *self)
{
  return self->text;
}

gboolean
hl_steal_key_dialog_export (HlStealKeyDialog *self, GFile *folder, GError **error)
{
  g_autofree char *dir = g_file_get_path (folder);
  g_autofree char *capture = NULL, *key = NULL, *report = NULL;
  g_autoptr (GBytes) key_bytes = NULL, report_bytes = NULL;
  const char *paths[3];
  GBytes *contents[3];
  if (!dir) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _ ("Not a local folder"));
    return FALSE;
  }
  capture = g_build_filename (dir, "capture-without-secrets.pcapng", NULL);
  key = g_build_filename (dir, "server-key.pem", NULL);
  report = g_build_filename (dir, "stolen-key.txt", NULL);
  key_bytes = g_bytes_new (self->stolen->key_pem, strlen (self->stolen->key_pem));
  report_bytes = g_bytes_new (self->text, strlen (self->text));
  paths[0] = capture, paths[1] = key, paths[2] = report;
  contents[0] = self->stolen->capture, contents[1] = key_bytes, contents[2] = report_bytes;
  return hl_write_files_atomically (paths, contents, 3, error);
}

const char *
hl_steal_key_dialog_describe_export (HlStealKeyDialog *self)
{
  const HlStealReport *report = self->stolen->report;
  for (guint i = 0; i < hl_steal_report_get_n_connections (report); i++) {
    const HlStolenConnection *c = hl_steal_report_get_connection (report, i);
    const HlSuite *suite = hl_suite_by_id (c->suite);
    if (suite && !c->tls13 && suite->kex == HL_KEX_RSA)
      return _ ("Saved the capture without secrets and the server's key: open the capture in "
                "Wireshark with the key in its RSA keys list");
  }
  /* Wireshark's TLS dissector decrypts a premaster with a private key for RSA key exchange
   * only: static ECDH, ECDHE and TLS 1.3 need a key log. */
  return _ ("Saved the capture without secrets and the server's key. Wireshark opens none of "
            "these connections with it: it decrypts with a private key only where the key "
            "exchange was RSA");
}

static void
on_folder_chosen (GtkNativeDialog *chooser, int response, HlStealKeyDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
    g_autoptr (GError) error = NULL;
    g_autofree char *said = NULL;
    if (folder && hl_steal_key_dialog_export (self, folder, &error))
      said = g_strdup (hl_steal_key_dialog_describe_export (self));
    else
      said = g_strdup_printf (_ ("Could not export: %s"), error ? error->message : "");
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (said));
  }
  g_object_unref (chooser);
}

static void
on_export_clicked (GtkButton *button, HlStealKeyDialog *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      _ ("Export for Wireshark"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
      _ ("_Export"), _ ("_Cancel"));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_folder_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

HlStealKeyDialog *
hl_steal_key_dialog_new (GtkWindow *parent, const HlRun *run, GError **error)
{
  const HlScenario *sc = hl_run_is_recorded (run) ? NULL : hl_run_get_scenario (run);
  g_autoptr (HlRun) fresh = NULL;
  HlStolenKey *stolen;
  HlStealKeyDialog *self;
  GtkWidget *box, *header, *export, *scroller, *label;
  if (!sc) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _ ("A recording has no server key to steal"));
    return NULL;
  }
  /* The lesson as written: the observer recorded the real run, not the person's edits. */
  fresh = hl_run_new_checked (sc, error);
  if (!fresh)
    return NULL;
  hl_run_run_to_end (fresh);
  stolen = hl_steal_key (fresh, error);
  if (!stolen)
    return NULL;
  self = g_object_new (HL_TYPE_STEAL_KEY_DIALOG, "modal", TRUE, "transient-for", parent,
                       "default-width", 820, "default-height", 640, "title",
                       _ ("Steal the Server's Key"), NULL);
  self->stolen = stolen;
  self->text = hl_steal_report_to_text (stolen->report, "capture-without-secrets.pcapng",
                                        "server-key.pem");
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  export = gtk_button_new_with_mnemonic (_ ("_Export for Wireshark…"));
  gtk_widget_set_tooltip_text (export, _ ("Save the capture without secrets and the server's "
                                          "private key (PEM) into a folder"));
  gtk_widget_add_css_class (export, "suggested-action");
  g_signal_connect_object (export, "clicked", G_CALLBACK (on_export_clicked), self, 0);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), export);
  gtk_box_append (GTK_BOX (box), header);
  label = gtk_label_new (self->text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
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
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, box);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toasts));
  return self;
}

/* win.steal-key: the dialog for the lesson in the window. */
static void
steal_key_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *win = HL_WINDOW (w);
  g_autoptr (GError) error = NULL;
  HlStealKeyDialog *dialog;
  if (!hl_session_get_file (win->session))
    return;
  dialog = hl_steal_key_dialog_new (GTK_WINDOW (win), hl_session_get_run (win->session), &error);
  if (!dialog) {
    _hl_window_say (win, error->message);
    return;
  }
  _hl_window_note (win, _ ("Steal the Server's Key"));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
hl_steal_key_dialog_install_action (GtkWidgetClass *window_class)
{
  gtk_widget_class_install_action (window_class, "win.steal-key", NULL, steal_key_action);
}
