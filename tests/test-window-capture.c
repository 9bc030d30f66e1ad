/* A capture in the real window (issue 19), under a display: opened as a file is opened,
 * a connection picked from several, stepped and stepped back, keys added with Keys… and
 * offered from beside the capture, tampering unavailable and saying why; an RSA
 * connection decrypted by the server's private key alone, an ECDHE one refused with the
 * reason. The captures are made at test time: the lab's own pcapng of a lesson with
 * its secrets taken out by editcap --discard-all-secrets (the key log written apart).
 * Screenshots of each state are saved as artifacts. */
#include <glib/gstdio.h>
#include <string.h>

#include "hl-application.h"
#include "hl-connection-picker.h"
#include "hl-inspector.h"
#include "hl-pcapng-writer.h"
#include "hl-recorded.h"
#include "hl-test-util.h"
#include "hl-transcript.h"
#include "hl-window-private.h"
#include "hl-test-window.h"

static HlApplication *app;
static char *artifacts, *work;

/* The shared helpers (hl-test-window.c), under this file's names. */
#define wait_for_frame(w) hl_test_wait_for_frame (w)
#define screenshot(w, name) hl_test_screenshot ((w), artifacts, (name))

static void
act (HlWindow *win, const char *action, const char *format, ...)
{
  GVariant *param = NULL;
  if (format) {
    va_list ap;
    va_start (ap, format);
    param = g_variant_new_va (format, NULL, &ap);
    va_end (ap);
  }
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (win), action, param));
  wait_for_frame (GTK_WIDGET (win));
}

/* The lesson's own pcapng with its secrets taken out, in its own folder; the key log
 * beside it as keylog_name when given. Returns the capture's path. */
static char *
make_capture (const char *lesson, const char *folder, const char *keylog_name)
{
  g_autofree char *file = g_strconcat ("scenarios/", lesson, ".scenario", NULL);
  g_autofree char *scenario_path = hl_test_source_path (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) sc = hl_scenario_load (scenario_path, &error);
  g_autofree char *dir = g_build_filename (work, folder, NULL);
  g_autofree char *full = g_build_filename (dir, "with-secrets.pcapng", NULL);
  char *capture = g_build_filename (dir, "capture.pcapng", NULL);
  g_autofree char *keylog = NULL;
  g_autofree guint8 *data = NULL;
  gsize len;
  HlRun *run;
  int status = -1;
  const char *argv[] = { "editcap", "--discard-all-secrets", full, capture, NULL };
  g_assert_no_error (error);
  g_mkdir_with_parents (dir, 0755);
  run = hl_run_new (sc);
  hl_run_run_to_end (run);
  data = hl_pcapng_from_run (run, &len);
  keylog = hl_transcript_to_keylog (run);
  hl_run_free (run);
  g_assert_true (g_file_set_contents (full, (const char *)data, len, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_remove (full); /* not beside the capture: its secrets would be found there */
  if (keylog_name) {
    g_autofree char *kpath = g_build_filename (dir, keylog_name, NULL);
    g_assert_true (g_file_set_contents (kpath, keylog, -1, NULL));
  }
  return capture;
}

static HlWindow *
open_window (void)
{
  return hl_test_open_lesson (app, "01-rsa-key-exchange", 1400, 860);
}

static const char *
subtitle (HlWindow *win)
{
  return adw_window_title_get_subtitle (win->window_title);
}

static const char *
status (HlWindow *win)
{
  return hl_recording_bar_get_status (win->recording_bar);
}

/* Whether the inspector shows a field of that name for the selected step. */
static gboolean
inspector_has (HlWindow *win, const char *name)
{
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  for (guint i = 0; i < hl_inspector_get_n_rows (insp); i++)
    if (strcmp (hl_inspector_get_row_field (insp, i)->name, name) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_contains (const char *text, const char *part)
{
  if (!text || !strstr (text, part))
    g_error ("\"%s\" does not contain \"%s\"", text ? text : "(null)", part);
}

static GtkWidget *
nth_row (GtkListBox *list, int n)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, n);
  return row ? GTK_WIDGET (row) : NULL;
}

/* Several connections: the picker, a connection, Step and Back, tampering refused, the
 * key log offered from beside the capture, then Keys… and the decrypted fields. */
static void
test_several_connections (void)
{
  g_autofree char *capture = make_capture ("11-session-resumption", "several", "keylog.txt");
  g_autofree char *keylog = g_build_filename (work, "several", "keylog.txt", NULL);
  HlWindow *win = open_window ();
  HlSession *s = hl_window_get_session (win);
  HlConnectionPicker *picker;
  GtkListBox *list;
  const char *title, *sub;

  g_assert_false (hl_session_is_recorded (s));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (win->recording_bar)));
  /* Opened as Open, a drop or the command line open a file: by its content. */
  g_assert_true (hl_window_load (win, capture));
  picker = HL_CONNECTION_PICKER (_hl_window_get_connection_picker (win));
  g_assert_nonnull (picker);
  g_assert_false (hl_session_is_recorded (s)); /* nothing replaced until one is chosen */
  list = hl_connection_picker_get_list (picker);
  g_assert_nonnull (nth_row (list, 1));
  g_assert_null (nth_row (list, 2));
  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nth_row (list, 0)));
  sub = adw_action_row_get_subtitle (ADW_ACTION_ROW (nth_row (list, 0)));
  g_assert_cmpstr (title, ==, "1 · 192.0.2.10:50001 → 192.0.2.20:443");
  g_assert_cmpstr (sub, ==,
                   "server.example · TLS1.2 · TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 · 14 "
                   "messages · keys not known");
  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nth_row (list, 1)));
  g_assert_cmpstr (title, ==, "2 · 192.0.2.10:50002 → 192.0.2.20:443");
  gtk_window_set_default_size (GTK_WINDOW (picker), 900, 360);
  screenshot (GTK_WIDGET (picker), "capture-picker.png");

  /* Choosing the first row opens connection 1 only. */
  g_assert_true (gtk_widget_activate (nth_row (list, 0)));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_null (_hl_window_get_connection_picker (win));
  g_assert_true (hl_session_is_recorded (s));
  g_assert_cmpstr (hl_session_get_title (s), ==, "Recorded: capture.pcapng");
  assert_contains (subtitle (win), "Recorded in capture.pcapng, connection 1");
  g_assert_cmpuint (hl_run_get_n_steps (hl_session_get_run (s)), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (win->recording_bar)));
  assert_contains (status (win), "Keys not known: you see what an eavesdropper sees");
  assert_contains (hl_recording_bar_get_offer (win->recording_bar), "Use keys from keylog.txt?");

  /* Tampering is unavailable, and its button says why. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (win->tamper_button)));
  assert_contains (gtk_widget_get_tooltip_text (GTK_WIDGET (win->tamper_button)),
                   "this is a recording");

  /* Step and Back move through the recording. */
  for (int i = 0; i < 8; i++)
    act (win, "win.step", NULL);
  g_assert_cmpuint (hl_session_get_position (s), ==, 8);
  assert_contains (subtitle (win), "Recorded in capture.pcapng, connection 1 · 8 delivered");
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (win->tamper_button)));
  /* Nor does the Fields list's menu change a recorded message. */
  {
    GListModel *tops = gtk_window_get_toplevels ();
    guint before = g_list_model_get_n_items (tops);
    hl_inspector_get_field_menu (HL_INSPECTOR (hl_window_get_inspector (win)));
    gtk_widget_activate_action (hl_window_get_inspector (win), "field.drop", NULL);
    gtk_widget_activate_action (hl_window_get_inspector (win), "field.edit", NULL);
    wait_for_frame (GTK_WIDGET (win));
    g_assert_cmpuint (g_list_model_get_n_items (tops), ==, before);
  }
  /* Step 8 is the client's Finished: without keys, its fields are not readable. */
  assert_contains (hl_inspector_get_title (HL_INSPECTOR (hl_window_get_inspector (win))),
                   "Step 8: Finished");
  g_assert_false (inspector_has (win, "Verify data"));
  screenshot (GTK_WIDGET (win), "capture-no-keys.png");
  act (win, "win.back", NULL);
  g_assert_cmpuint (hl_session_get_position (s), ==, 7);

  /* Keys… (the file chooser's choice goes to win.add-keys): the same step, decrypted. */
  act (win, "win.add-keys", "s", keylog);
  g_assert_cmpuint (hl_session_get_position (s), ==, 7);
  assert_contains (status (win), "Keys known: the encrypted records are opened.");
  assert_contains (status (win), "Keys given: keylog.txt.");
  g_assert_null (hl_recording_bar_get_offer (win->recording_bar));
  {
    /* The status line is no Tab stop: the focus coming back to the window selected its
     * whole text, which then stayed highlighted (a teacher's trial). */
    GtkWidget *line = (GtkWidget *)gtk_widget_get_template_child (GTK_WIDGET (win->recording_bar),
                                                                  HL_TYPE_RECORDING_BAR, "status");
    g_assert_nonnull (line);
    g_assert_false (gtk_widget_get_can_focus (line));
    g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (line), NULL, NULL));
  }
  act (win, "win.step", NULL);
  g_assert_true (inspector_has (win, "Verify data"));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (win->tamper_button)));
  screenshot (GTK_WIDGET (win), "capture-keys.png");

  /* Connections… again: the second one, resumed, keeps the keys given. */
  act (win, "win.connections", NULL);
  g_assert_nonnull (_hl_window_get_connection_picker (win));
  act (win, "win.pick-connection", "u", 2);
  g_assert_null (_hl_window_get_connection_picker (win));
  assert_contains (subtitle (win), "Recorded in capture.pcapng, connection 2");
  assert_contains (status (win), "Keys known");
  act (win, "win.run-to-end", NULL);
  g_assert_nonnull (hl_window_get_banner (win));
  assert_contains (hl_window_get_banner (win), "succeeded");
  screenshot (GTK_WIDGET (win), "capture-connection-2.png");

  /* A lesson again: the recording's strip goes, tampering comes back. */
  {
    g_autofree char *lesson = hl_test_source_path ("scenarios/02-ecdhe-rsa-aes-gcm.scenario");
    g_assert_true (hl_window_load (win, lesson));
    wait_for_frame (GTK_WIDGET (win));
    g_assert_false (hl_session_is_recorded (s));
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (win->recording_bar)));
    g_assert_null (strstr (subtitle (win), "Recorded"));
    g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (win->tamper_button)));
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Drops a file on the window, as a file manager would. */
static gboolean
drop_file (HlWindow *win, const char *path)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (win));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++) {
    g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
    if (GTK_IS_DROP_TARGET (c)) {
      g_autoptr (GFile) file = g_file_new_for_path (path);
      GValue value = G_VALUE_INIT;
      gboolean done = FALSE;
      g_value_init (&value, G_TYPE_FILE);
      g_value_set_object (&value, file);
      g_signal_emit_by_name (c, "drop", &value, 10.0, 10.0, &done);
      g_value_unset (&value);
      return done;
    }
  }
  g_error ("the window has no drop target");
  return FALSE;
}

/* The offer beside the capture, taken: "Use These Keys". */
static void
test_offered_keys (void)
{
  g_autofree char *capture = make_capture ("30-tls13-basic", "offered", "sslkeylog.log");
  HlWindow *win = open_window ();
  HlSession *s = hl_window_get_session (win);
  GtkWidget *use;
  g_assert_true (drop_file (win, capture)); /* one connection: no picker */
  g_assert_null (_hl_window_get_connection_picker (win));
  g_assert_true (hl_session_is_recorded (s));
  assert_contains (hl_recording_bar_get_offer (win->recording_bar), "Use keys from sslkeylog.log?");
  screenshot (GTK_WIDGET (win), "capture-offer.png");
  use = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (win->recording_bar),
                                                   HL_TYPE_RECORDING_BAR, "offer_button"));
  g_assert_nonnull (use);
  g_signal_emit_by_name (use, "clicked");
  wait_for_frame (GTK_WIDGET (win));
  assert_contains (status (win), "Keys known");
  assert_contains (status (win), "Keys given: sslkeylog.log.");
  g_assert_null (hl_recording_bar_get_offer (win->recording_bar));
  act (win, "win.run-to-end", NULL);
  assert_contains (hl_window_get_banner (win), "succeeded");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* RSA key exchange: the server's private key alone opens it. ECDHE: the same key is
 * refused, and the window says why. */
static void
test_private_key (void)
{
  g_autofree char *rsa = make_capture ("01-rsa-key-exchange", "rsa", NULL);
  g_autofree char *ecdhe = make_capture ("02-ecdhe-rsa-aes-gcm", "ecdhe", NULL);
  g_autofree char *key = hl_test_source_path ("assets/pki/server-rsa.key");
  HlWindow *win;
  HlSession *s;
  g_autoptr (GList) before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  guint n_before = g_list_length (before);
  g_autoptr (GFile) file = g_file_new_for_path (rsa);

  /* The command line's file: GApplication's open, as handshake-lab FILE does. */
  g_application_open (G_APPLICATION (app), &file, 1, "");
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==,
                    n_before + 1);
  win = NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (!g_list_find (before, l->data))
      win = HL_WINDOW (l->data);
  g_assert_nonnull (win);
  gtk_window_set_default_size (GTK_WINDOW (win), 1400, 860);
  wait_for_frame (GTK_WIDGET (win));
  s = hl_window_get_session (win);
  g_assert_true (hl_session_is_recorded (s));
  assert_contains (subtitle (win), "Recorded in capture.pcapng, connection 1");
  g_assert_null (hl_recording_bar_get_offer (win->recording_bar)); /* nothing beside it */
  assert_contains (status (win), "Keys not known");
  act (win, "win.add-keys", "s", key);
  assert_contains (status (win), "Keys known: the encrypted records are opened.");
  assert_contains (status (win), "Keys given: server-rsa.key.");
  act (win, "win.run-to-end", NULL);
  assert_contains (hl_window_get_banner (win), "succeeded");
  for (guint k = 1; k <= hl_session_get_position (s); k++) {
    const HlStep *st = hl_session_get_step (s, k - 1);
    if (st->encrypted && strcmp (st->message, "Finished") == 0) {
      hl_session_select (s, k);
      g_assert_true (inspector_has (win, "Verify data"));
    }
  }
  screenshot (GTK_WIDGET (win), "capture-rsa-private-key.png");

  g_assert_true (hl_window_load (win, ecdhe));
  act (win, "win.add-keys", "s", key);
  assert_contains (status (win), "Keys not known: the server's private key cannot open this "
                                 "connection: with (EC)DHE");
  assert_contains (status (win), "forward secrecy");
  act (win, "win.run-to-end", NULL);
  for (guint k = 1; k <= hl_session_get_position (s); k++) {
    const HlStep *st = hl_session_get_step (s, k - 1);
    if (st->encrypted && strcmp (st->message, "Finished") == 0) {
      hl_session_select (s, k);
      g_assert_false (inspector_has (win, "Verify data"));
    }
  }
  screenshot (GTK_WIDGET (win), "capture-ecdhe-refused.png");

  /* A file that is neither a key log nor a key: said, and the recording stays. */
  act (win, "win.add-keys", "s", ecdhe);
  assert_contains (hl_window_get_last_message (win), "ecdhe/capture.pcapng:");
  assert_contains (hl_window_get_last_message (win), "not an NSS key log line");
  assert_contains (hl_window_get_last_message (win), "The recording stays as it was.");
  {
    GtkWindow *dialog = NULL;
    for (GList *l = gtk_window_list_toplevels (); l; l = g_list_delete_link (l, l))
      if (ADW_IS_MESSAGE_DIALOG (l->data)
          && gtk_window_get_transient_for (GTK_WINDOW (l->data)) == GTK_WINDOW (win))
        dialog = l->data;
    g_assert_nonnull (dialog);
    screenshot (GTK_WIDGET (dialog), "capture-bad-keys.png");
    gtk_window_destroy (dialog);
  }
  assert_contains (status (win), "Keys given: server-rsa.key.");
  g_assert_true (hl_session_is_recorded (s));
  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int argc, char **argv)
{
  int status;
  if (!hl_test_window_init (&argc, &argv, "window-artifacts", &artifacts, &app)) {
    g_print ("1..0 # SKIP no display\n");
    return 0;
  }
  {
    g_autofree char *cwd = g_get_current_dir ();
    work = g_build_filename (cwd, "window-capture-work", NULL);
  }
  g_mkdir_with_parents (work, 0755);
  g_test_add_func ("/window-capture/several-connections", test_several_connections);
  g_test_add_func ("/window-capture/offered-keys", test_offered_keys);
  g_test_add_func ("/window-capture/private-key", test_private_key);
  status = g_test_run ();
  g_object_unref (app);
  g_free (artifacts);
  g_free (work);
  return status;
}
