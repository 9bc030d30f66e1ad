/* hl-window-capture.c: a capture (pcap or pcapng) in the window: opening it, choosing
 * one of its TLS connections, adding keys, and saying where the recording came from.
 * The capture layer reads the file (hl-capture-reader.h, which keeps libpcap to
 * itself); the session shows the recorded run as it shows a lesson's. */
#include "hl-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hl-capture-keys.h"
#include "hl-capture-reader.h"
#include "hl-connection-picker.h"
#include "hl-recorded.h"

struct _HlWindowCapture {
  char *path;        /* the capture shown */
  char **secrets;    /* key files given, in order (NULL-terminated) */
  guint connection;  /* its number in the file, from 1 */
  gboolean several;  /* the file holds more than one TLS connection */
  char **offer_done; /* key files already offered for this capture */
  GtkWindow *picker; /* while choosing a connection; weak */
  char *pick_path;   /* what the picker opens */
  char **pick_secrets;
};

static void
free_capture (HlWindowCapture *c)
{
  if (!c)
    return;
  if (c->picker)
    g_object_remove_weak_pointer (G_OBJECT (c->picker), (gpointer *)&c->picker);
  g_free (c->path);
  g_strfreev (c->secrets);
  g_strfreev (c->offer_done);
  g_free (c->pick_path);
  g_strfreev (c->pick_secrets);
  g_free (c);
}

void
_hl_window_free_capture (HlWindow *self)
{
  g_clear_pointer (&self->capture, free_capture);
}

static HlWindowCapture *
get_capture (HlWindow *self)
{
  if (!self->capture)
    self->capture = g_new0 (HlWindowCapture, 1);
  return self->capture;
}

static guint
count_connections (HlRun *run)
{
  HlRecordedConnection rc;
  guint n = 0;
  while (hl_run_get_recorded_connection (run, n, &rc))
    n++;
  return n;
}

/* The keys line: known, or why not (the engine's reason when a private key cannot help). */
static char *
describe_keys (HlWindow *self, HlRun *run)
{
  HlRecordedConnection rc;
  HlWindowCapture *c = self->capture;
  GString *s = g_string_new (NULL);
  if (!hl_run_get_recorded_connection (run, 0, &rc))
    return g_string_free (s, FALSE);
  if (rc.keys_known)
    g_string_append (s, _ ("Keys known: the encrypted records are opened."));
  else if (rc.keys_note)
    g_string_append_printf (s, _ ("Keys not known: %s."), rc.keys_note);
  else
    g_string_append (s, _ ("Keys not known: you see what an eavesdropper sees (hellos, "
                           "certificates in TLS 1.2, encrypted records and their lengths). Add a "
                           "key log with Keys…"));
  if (c->secrets && c->secrets[0]) {
    g_autoptr (GString) names = g_string_new (NULL);
    for (guint i = 0; c->secrets[i]; i++) {
      g_autofree char *base = g_path_get_basename (c->secrets[i]);
      g_string_append_printf (names, "%s%s", i ? ", " : "", base);
    }
    g_string_append_printf (s, _ (" Keys given: %s."), names->str);
  }
  if (rc.note)
    g_string_append_printf (s, _ (" The recording stops early: %s."), rc.note);
  return g_string_free (s, FALSE);
}

/* A key file beside the capture is offered once, unless it is already given. */
static void
offer_keys (HlWindow *self, HlRun *run)
{
  HlWindowCapture *c = self->capture;
  HlRecordedConnection rc;
  g_auto (GStrv) found = hl_capture_find_key_files (c->path);
  const char *offer = NULL;
  if (hl_run_get_recorded_connection (run, 0, &rc) && rc.keys_known) {
    hl_recording_bar_offer_keys (self->recording_bar, NULL);
    return;
  }
  for (guint i = 0; found[i] && !offer; i++)
    if (!(c->secrets && g_strv_contains ((const char *const *)c->secrets, found[i]))
        && !(c->offer_done && g_strv_contains ((const char *const *)c->offer_done, found[i])))
      offer = found[i];
  hl_recording_bar_offer_keys (self->recording_bar, offer);
  if (offer) {
    guint n = c->offer_done ? g_strv_length (c->offer_done) : 0;
    c->offer_done = g_renew (char *, c->offer_done, n + 2);
    c->offer_done[n] = g_strdup (offer);
    c->offer_done[n + 1] = NULL;
  }
}

static void
on_connection_chosen (HlConnectionPicker *picker, guint number, HlWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.pick-connection", "u", number);
}

static void
show_picker (HlWindow *self, const char *path, const char *const *secrets, HlRun *run)
{
  HlWindowCapture *c = get_capture (self);
  g_autofree char *name = g_path_get_basename (path);
  HlConnectionPicker *picker;
  hl_run_run_to_end (run); /* each connection's version, suite and message count */
  picker = hl_connection_picker_new (GTK_WINDOW (self), name, run);
  g_free (c->pick_path);
  c->pick_path = g_strdup (path);
  g_strfreev (c->pick_secrets);
  c->pick_secrets = g_strdupv ((char **)secrets);
  if (c->picker) {
    g_object_remove_weak_pointer (G_OBJECT (c->picker), (gpointer *)&c->picker);
    gtk_window_destroy (c->picker);
  }
  c->picker = GTK_WINDOW (picker);
  g_object_add_weak_pointer (G_OBJECT (picker), (gpointer *)&c->picker);
  g_signal_connect_object (picker, "connection-chosen", G_CALLBACK (on_connection_chosen), self, 0);
  gtk_window_present (GTK_WINDOW (picker));
}

/* A key file that cannot be used: its FILE:LINE reason stays until read, in a dialog. */
static void
show_keys_error (HlWindow *self, const GError *error)
{
  /* The capture layer words it for the command line's --secrets=FILE. */
  const char *reason = g_str_has_prefix (error->message, "--secrets=")
                           ? error->message + strlen ("--secrets=")
                           : error->message;
  g_autofree char *body = g_strdup_printf (
      _ ("%s\n\nThe recording stays as it was. Keys are an NSS key log (as SSLKEYLOGFILE "
         "writes it) or the server's private key in PEM: an RSA key opens RSA key exchange, an EC "
         "key static ECDH."),
      reason);
  GtkWidget *dialog
      = adw_message_dialog_new (GTK_WINDOW (self), _ ("These Keys Could Not Be Used"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  _hl_window_note (self, body);
}

gboolean
hl_window_open_capture (HlWindow *self, const char *path, const char *const *secrets,
                        guint connection)
{
  HlCaptureOptions o = { secrets, connection ? &connection : NULL, connection ? 1 : 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *warning = NULL;
  HlRecordedConnection rc;
  HlWindowCapture *c;
  HlRun *run = hl_capture_open (path, &o, &warning, &error);
  guint keep_position = 0, n;
  gboolean same;
  if (!run && g_error_matches (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_SECRETS)) {
    show_keys_error (self, error);
    return FALSE;
  }
  if (!run) {
    _hl_window_show_load_error (self, path, error);
    return FALSE;
  }
  n = count_connections (run);
  if (connection == 0 && n > 1) {
    show_picker (self, path, secrets, run);
    hl_run_free (run);
    if (warning)
      _hl_window_say (self, warning);
    return TRUE;
  }
  hl_run_get_recorded_connection (run, 0, &rc);
  c = self->capture;
  same = c && c->path && hl_session_is_recorded (self->session) && strcmp (c->path, path) == 0
         && c->connection == rc.file_number;
  /* Keys added to the connection on screen: stay at the step the reader was on. */
  if (same)
    keep_position = hl_session_get_position (self->session);
  hl_session_load_run (self->session, run);
  if (!same) {
    gboolean several = connection != 0; /* chosen from several (or named by number) */
    _hl_window_free_capture (self);
    c = get_capture (self);
    c->path = g_strdup (path);
    c->several = several;
  }
  c->connection = rc.file_number;
  if (c->secrets != (char **)secrets) {
    g_strfreev (c->secrets);
    c->secrets = g_strdupv ((char **)secrets);
  }
  for (guint i = 0; i < keep_position; i++)
    hl_session_step (self->session);
  gtk_widget_set_visible (GTK_WIDGET (self->recording_bar), TRUE);
  hl_recording_bar_set_several (self->recording_bar, c->several);
  {
    g_autofree char *keys = describe_keys (self, run);
    hl_recording_bar_set_status (self->recording_bar, keys);
  }
  offer_keys (self, run);
  gtk_widget_set_tooltip_text (
      GTK_WIDGET (self->tamper_button),
      _ ("Tampering needs a live run: this is a recording, and its messages were already sent "
         "and received. Open a lesson to change a message on its way."));
  if (warning)
    _hl_window_say (self, warning);
  _hl_window_update (self);
  return TRUE;
}

/* A lesson replaced the capture. */
void
_hl_window_leave_capture (HlWindow *self)
{
  _hl_window_free_capture (self);
  gtk_widget_set_visible (GTK_WIDGET (self->recording_bar), FALSE);
  hl_recording_bar_offer_keys (self->recording_bar, NULL);
  gtk_widget_set_tooltip_text (
      GTK_WIDGET (self->tamper_button),
      _ ("Change or drop the message in flight before it is delivered (Ctrl+T); to change one "
         "already delivered, go Back first"));
}

char *
_hl_window_describe_source (HlWindow *self)
{
  g_autofree char *name = NULL;
  if (!self->capture || !self->capture->path || !hl_session_is_recorded (self->session))
    return NULL;
  name = g_path_get_basename (self->capture->path);
  return g_strdup_printf (_ ("Recorded in %s, connection %u"), name, self->capture->connection);
}

GtkWindow *
_hl_window_get_connection_picker (HlWindow *self)
{
  return self->capture ? self->capture->picker : NULL;
}

/* win.pick-connection (u): that connection of the capture being chosen from (or shown). */
static void
pick_connection_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  HlWindowCapture *c = self->capture;
  g_autofree char *path = NULL;
  g_auto (GStrv) secrets = NULL;
  guint number = g_variant_get_uint32 (param);
  if (!c)
    return;
  path = g_strdup (c->pick_path ? c->pick_path : c->path);
  secrets = g_strdupv (c->pick_path ? c->pick_secrets : c->secrets);
  g_clear_pointer (&c->pick_path, g_free);
  g_clear_pointer (&c->pick_secrets, g_strfreev);
  if (!path || number == 0)
    return;
  if (c->picker)
    gtk_window_close (c->picker);
  hl_window_open_capture (self, path, (const char *const *)secrets, number);
}

/* win.connections: the capture's connections again, to choose another. */
static void
connections_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  g_autofree char *path = NULL;
  g_auto (GStrv) secrets = NULL;
  if (!self->capture || !self->capture->path)
    return;
  path = g_strdup (self->capture->path);
  secrets = g_strdupv (self->capture->secrets);
  hl_window_open_capture (self, path, (const char *const *)secrets, 0);
}

/* win.add-keys (s): a key log or a PEM private key for the capture shown. A file that
 * cannot be used is said, and the recording stays as it was. */
static void
add_keys_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  HlWindowCapture *c = self->capture;
  const char *key = g_variant_get_string (param, NULL);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) secrets = NULL;
  g_autofree char *path = NULL;
  if (!c || !c->path)
    return;
  if (c->secrets)
    g_strv_builder_addv (b, (const char **)c->secrets);
  if (!(c->secrets && g_strv_contains ((const char *const *)c->secrets, key)))
    g_strv_builder_add (b, key);
  secrets = g_strv_builder_end (b);
  path = g_strdup (c->path);
  hl_recording_bar_offer_keys (self->recording_bar, NULL);
  hl_window_open_capture (self, path, (const char *const *)secrets, c->connection);
}

static void
on_keys_chosen (GtkNativeDialog *dialog, int response, HlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
    g_autofree char *path = file ? g_file_get_path (file) : NULL;
    if (path)
      gtk_widget_activate_action (GTK_WIDGET (self), "win.add-keys", "s", path);
  }
  g_object_unref (dialog);
}

/* win.keys-dialog: asks for the key file, beginning in the capture's folder. */
static void
keys_dialog_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
      _ ("Add Keys: a Key Log or the Server's Private Key"), GTK_WINDOW (w),
      GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Add"), _ ("_Cancel"));
  if (self->capture && self->capture->path) {
    g_autofree char *dir = g_path_get_dirname (self->capture->path);
    g_autoptr (GFile) folder = g_file_new_for_path (dir);
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  }
  g_signal_connect (dialog, "response", G_CALLBACK (on_keys_chosen), w);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
_hl_window_update_capture_actions (HlWindow *self)
{
  gboolean open = self->capture && self->capture->path && hl_session_is_recorded (self->session);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.keys-dialog", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-keys", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connections", open);
}

void
_hl_window_class_init_capture (GtkWidgetClass *wc)
{
  gtk_widget_class_install_action (wc, "win.pick-connection", "u", pick_connection_action);
  gtk_widget_class_install_action (wc, "win.connections", NULL, connections_action);
  gtk_widget_class_install_action (wc, "win.add-keys", "s", add_keys_action);
  gtk_widget_class_install_action (wc, "win.keys-dialog", NULL, keys_dialog_action);
}
