/* The inspector under a display: each step names the key that protects its record, read
 * from the label the window shows (none, the key block, TLS 1.3's early, handshake and
 * application traffic secrets, and generation 1 after a KeyUpdate). */
#include <string.h>

#include "hl-application.h"
#include "hl-inspector.h"
#include "hl-test-util.h"
#include "hl-window-private.h"
#include "hl-test-window.h"

static HlApplication *app;
static char *artifacts;

/* The shared helpers (hl-test-window.c), under this file's names. */
#define wait_for_frame(w) hl_test_wait_for_frame (w)
#define screenshot(w, name) hl_test_screenshot ((w), artifacts, (name))

static HlWindow *
open_window (const char *lesson)
{
  HlWindow *win = hl_window_new (GTK_APPLICATION (app));
  g_autofree char *file = g_strconcat ("scenarios/", lesson, ".scenario", NULL);
  g_autofree char *path = hl_test_source_path (file);
  gtk_window_set_default_size (GTK_WINDOW (win), 1400, 860);
  g_assert_true (hl_window_load (win, path));
  gtk_window_present (GTK_WINDOW (win));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.run-to-end", NULL));
  {
    gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    while (!hl_session_get_finished (hl_window_get_session (win)) && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (hl_session_get_finished (hl_window_get_session (win)));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "message"));
  wait_for_frame (GTK_WIDGET (win));
  return win;
}

/* Selects the n-th message called name from side in the whole run (n from 1) and returns
 * the inspector's record-key line for it. */
static const char *
record_key_of (HlWindow *win, HlSide from, const char *name, guint n)
{
  HlSession *s = hl_window_get_session (win);
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  const HlRun *run = hl_session_get_run (s);
  guint seen = 0;
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->from == from && strcmp (st->message, name) == 0 && ++seen == n) {
      g_autofree char *title = NULL;
      hl_session_select (s, st->index);
      wait_for_frame (GTK_WIDGET (win));
      title = g_strdup_printf ("Step %u: %s", st->index, name);
      g_assert_true (g_str_has_prefix (hl_inspector_get_title (insp), title));
      return hl_inspector_get_record_key (insp);
    }
  }
  g_error ("no %s #%u from the %s", name, n, hl_side_name (from));
  return NULL;
}

static void
assert_key (const char *shown, const char *expected)
{
  if (g_strcmp0 (shown, expected) != 0)
    g_error ("the inspector says \"%s\", expected \"%s\"", shown, expected);
}

/* Lesson 39: plaintext hellos, handshake keys, generation 0, and generation 1 only for
 * the record after the server's KeyUpdate (which itself goes under generation 0). */
static void
test_tls13_keys (void)
{
  HlWindow *win = open_window ("39-tls13-key-update");
  assert_key (record_key_of (win, HL_SIDE_CLIENT, "ClientHello", 1),
              "Record protected by: nothing, it travels in plaintext");
  assert_key (record_key_of (win, HL_SIDE_SERVER, "ServerHello", 1),
              "Record protected by: nothing, it travels in plaintext");
  assert_key (record_key_of (win, HL_SIDE_SERVER, "Certificate", 1),
              "Record protected by: the server's handshake traffic keys, from "
              "server_handshake_traffic_secret");
  assert_key (record_key_of (win, HL_SIDE_CLIENT, "Finished", 1),
              "Record protected by: the client's handshake traffic keys, from "
              "client_handshake_traffic_secret");
  assert_key (record_key_of (win, HL_SIDE_SERVER, "KeyUpdate", 1),
              "Record protected by: the server's application traffic keys, from "
              "server_application_traffic_secret_0");
  screenshot (GTK_WIDGET (win), "inspector-key-update.png");
  {
    /* The server's first record after its KeyUpdate. */
    HlSession *s = hl_window_get_session (win);
    const HlRun *run = hl_session_get_run (s);
    guint ku = 0;
    for (guint i = 0; i < hl_run_get_n_steps (run) && !ku; i++)
      if (hl_run_get_step (run, i)->from == HL_SIDE_SERVER
          && strcmp (hl_run_get_step (run, i)->message, "KeyUpdate") == 0)
        ku = i + 1;
    for (guint i = ku; i < hl_run_get_n_steps (run); i++) {
      const HlStep *st = hl_run_get_step (run, i);
      if (st->from != HL_SIDE_SERVER)
        continue;
      hl_session_select (s, st->index);
      wait_for_frame (GTK_WIDGET (win));
      assert_key (hl_inspector_get_record_key (HL_INSPECTOR (hl_window_get_inspector (win))),
                  "Record protected by: the server's application traffic keys of generation 1 "
                  "(after KeyUpdate, RFC 8446 7.2), from server_application_traffic_secret_1");
      screenshot (GTK_WIDGET (win), "inspector-after-key-update.png");
      break;
    }
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Lesson 34: the 0-RTT record under the early traffic keys. */
static void
test_early_keys (void)
{
  HlWindow *win = open_window ("34-tls13-early-data");
  HlSession *s = hl_window_get_session (win);
  const HlRun *run = hl_session_get_run (s);
  const HlStep *early = NULL;
  for (guint i = 0; i < hl_run_get_n_steps (run) && !early; i++)
    if (hl_run_get_step (run, i)->early)
      early = hl_run_get_step (run, i);
  g_assert_nonnull (early);
  hl_session_select (s, early->index);
  wait_for_frame (GTK_WIDGET (win));
  assert_key (hl_inspector_get_record_key (HL_INSPECTOR (hl_window_get_inspector (win))),
              "Record protected by: the client's early traffic keys (0-RTT data and "
              "EndOfEarlyData, RFC 8446 4.5), from "
              "client_early_traffic_secret");
  screenshot (GTK_WIDGET (win), "inspector-early-data.png");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Lesson 01 (TLS 1.2): the key block's write keys once ChangeCipherSpec has passed. */
static void
test_tls12_keys (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  assert_key (record_key_of (win, HL_SIDE_CLIENT, "ChangeCipherSpec", 1),
              "Record protected by: nothing, it travels in plaintext");
  assert_key (record_key_of (win, HL_SIDE_CLIENT, "Finished", 1),
              "Record protected by: the client's write keys from the key block "
              "(client_write_key)");
  assert_key (record_key_of (win, HL_SIDE_SERVER, "Finished", 1),
              "Record protected by: the server's write keys from the key block "
              "(server_write_key)");
  /* No step selected: no line. */
  hl_session_select (hl_window_get_session (win), 0);
  wait_for_frame (GTK_WIDGET (win));
  assert_key (hl_inspector_get_record_key (HL_INSPECTOR (hl_window_get_inspector (win))), "");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The title label as drawn, read from the widget, not through the getters (which catch up). */
static const char *
shown_title (HlWindow *win)
{
  GtkWidget *insp = hl_window_get_inspector (win);
  return gtk_label_get_text (
      GTK_LABEL (gtk_widget_get_template_child (insp, HL_TYPE_INSPECTOR, "title")));
}

/* Behind "What each side knows" the inspector does not follow the steps (issue 17: it cost
 * every step about 4 M instructions); shown again, or asked, it shows the selected step. */
static void
test_hidden (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlSession *s = hl_window_get_session (win);
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  hl_session_select (s, 2);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (g_str_has_prefix (shown_title (win), "Step 2:"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "knowledge"));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (insp)));
  hl_session_select (s, 4);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (g_str_has_prefix (shown_title (win), "Step 2:")); /* not updated while hidden */
  g_assert_true (g_str_has_prefix (hl_inspector_get_title (insp), "Step 4:")); /* asked */
  g_assert_true (g_str_has_prefix (shown_title (win), "Step 4:"));
  hl_session_select (s, 3);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (g_str_has_prefix (shown_title (win), "Step 4:"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "message"));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (g_str_has_prefix (shown_title (win), "Step 3:")); /* shown */
  g_assert_cmpuint (hl_inspector_get_n_rows (insp), >, 0);
  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int argc, char **argv)
{
  int status;
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ()) {
    g_print ("1..0 # SKIP no display\n");
    return 0;
  }
  {
    g_autofree char *cwd = g_get_current_dir ();
    artifacts = g_build_filename (cwd, "inspector-artifacts", NULL);
  }
  g_mkdir_with_parents (artifacts, 0755);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  app = hl_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_test_add_func ("/inspector/record-key/tls13", test_tls13_keys);
  g_test_add_func ("/inspector/record-key/early", test_early_keys);
  g_test_add_func ("/inspector/record-key/tls12", test_tls12_keys);
  g_test_add_func ("/inspector/hidden", test_hidden);
  status = g_test_run ();
  g_object_unref (app);
  g_free (artifacts);
  return status;
}
