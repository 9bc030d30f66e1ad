/* The real window, driven through its actions under a display (Xvfb in CI):
 * stepping, the inspector and the knowledge panel, tampering, a broken lesson,
 * an export, and a screenshot of each state saved as a test artifact. */
#include <glib/gstdio.h>
#include <string.h>

#include "hl-application.h"
#include "hl-data.h"
#include "hl-export-dialog.h"
#include "hl-inspector.h"
#include "hl-key-schedule-view.h"
#include "hl-knowledge-panel-private.h"
#include "hl-lesson-catalog.h"
#include "hl-tamper-dialog.h"
#include "hl-test-util.h"
#include "hl-test-window.h"
#include "hl-window-private.h"

static HlApplication *app;
static char *artifacts;

static HlLessonPicker *open_picker (HlWindow *win);
static gboolean press_on (GtkWidget *w, guint keyval);

/* Until the window is mapped, has a size, and one more frame has been painted. */
static void
wait_for_frame (GtkWidget *w)
{
  hl_test_wait_for_frame (w);
}

/* Where the widget's scrolled window starts, in window coordinates. */
static double
widget_top (GtkWidget *w)
{
  GtkWidget *outer = gtk_widget_get_ancestor (w, GTK_TYPE_SCROLLED_WINDOW);
  graphene_point_t in = GRAPHENE_POINT_INIT (0, 0), out;
  g_assert_true (gtk_widget_compute_point (outer, GTK_WIDGET (gtk_widget_get_root (w)), &in, &out));
  return out.y;
}

static void
screenshot (GtkWidget *w, const char *name)
{
  hl_test_screenshot (w, artifacts, name);
}

#define open_window(lesson) hl_test_open_lesson (app, (lesson), 1400, 860)

#define act(win, action) hl_test_act ((win), (action))

static gboolean
panel_lists (HlWindow *win, HlSide side, const char *prefix)
{
  GPtrArray *rows
      = hl_knowledge_panel_list_rows (HL_KNOWLEDGE_PANEL (hl_window_get_knowledge (win)), side);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (rows, i), prefix))
      return TRUE;
  return FALSE;
}

static void
test_step_and_inspect (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  HlSession *s = hl_window_get_session (win);
  gsize a, b;
  double top_before_outcome;
  screenshot (GTK_WIDGET (win), "window-start.png");
  top_before_outcome = widget_top (hl_window_get_ladder (win));
  /* Nothing to go back to yet: Back leaves the session where it is. */
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  g_assert_false (hl_session_can_go_back (s));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.back", NULL);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  act (win, "win.step");
  g_assert_cmpuint (hl_session_get_position (s), ==, 1);
  g_assert_true (hl_session_can_go_back (s));
  g_assert_cmpuint (hl_session_get_selected (s), ==, 1);
  g_assert_true (
      g_str_has_prefix (hl_inspector_get_title (insp), "Step 1: ClientHello, client to server"));
  /* The first field is the handshake type: selecting it highlights byte 0 only. */
  g_assert_cmpuint (hl_inspector_get_n_rows (insp), >, 5);
  g_assert_cmpstr (hl_inspector_get_row_field (insp, 0)->name, ==, "Handshake type");
  hl_inspector_select_row (insp, 0);
  hl_inspector_get_highlight (insp, &a, &b);
  g_assert_cmpuint (a, ==, 0);
  g_assert_cmpuint (b, ==, 1);
  for (int i = 0; i < 3; i++)
    act (win, "win.step");
  /* After ServerHelloDone the client holds the premaster, the server does not yet. */
  g_assert_true (g_str_has_prefix (hl_inspector_get_title (insp), "Step 4: ServerHelloDone"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "knowledge"));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (panel_lists (win, HL_SIDE_CLIENT, "Premaster secret"));
  g_assert_false (panel_lists (win, HL_SIDE_SERVER, "Premaster secret"));
  screenshot (GTK_WIDGET (win), "window-step-4-knowledge.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "message"));
  wait_for_frame (GTK_WIDGET (win));
  screenshot (GTK_WIDGET (win), "window-step-4.png");
  act (win, "win.back");
  g_assert_cmpuint (hl_session_get_position (s), ==, 3);
  g_assert_true (g_str_has_prefix (hl_inspector_get_title (insp), "Step 3: Certificate"));
  act (win, "win.run-to-end");
  g_assert_nonnull (hl_window_get_banner (win));
  g_assert_nonnull (strstr (hl_window_get_banner (win), "succeeded"));
  /* A hidden outcome banner takes no room: the diagram moves down only when it shows. */
  wait_for_frame (GTK_WIDGET (win));
  g_assert_cmpfloat (widget_top (hl_window_get_ladder (win)), >, top_before_outcome + 10);
  {
    /* One focusable, labelled child per step: the keyboard and screen readers walk them. */
    GtkWidget *ladder = hl_window_get_ladder (win);
    GtkWidget *first = gtk_widget_get_first_child (ladder);
    guint n = 0;
    for (GtkWidget *c = first; c; c = gtk_widget_get_next_sibling (c))
      n++;
    g_assert_cmpuint (n, ==, hl_session_get_position (s));
    g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (first)), ==,
                     GTK_ACCESSIBLE_ROLE_LIST_ITEM);
    g_assert_true (gtk_widget_grab_focus (gtk_widget_get_next_sibling (first)));
    wait_for_frame (GTK_WIDGET (win));
    /* Focus alone does not select (the keyboard walks the ladder); Enter does. */
    g_assert_cmpuint (hl_session_get_selected (s), ==, hl_session_get_position (s));
    g_assert_true (press_on (ladder, GDK_KEY_Return));
    g_assert_cmpuint (hl_session_get_selected (s), ==, 2);
    screenshot (GTK_WIDGET (win), "window-focus-step-2.png");
  }
  act (win, "win.run-to-end");
  screenshot (GTK_WIDGET (win), "window-end.png");
  /* Dark style: the diagram follows. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (GTK_WIDGET (win), "window-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  act (win, "win.presentation");
  screenshot (GTK_WIDGET (win), "window-presentation.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (GTK_WIDGET (win), "window-presentation-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  act (win, "win.presentation");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Tamper with the client Finished's decrypted bytes: re-encrypted, the server
 * finds a valid record whose verify_data does not match; the banner says it failed. */
static void
test_tamper_finished (void)
{
  HlWindow *win = open_window ("02-ecdhe-rsa-aes-gcm");
  HlSession *s = hl_window_get_session (win);
  HlNextMessage next;
  g_autofree char *hex = NULL;
  while (hl_session_peek_next (s, &next)
         && !(next.from == HL_SIDE_CLIENT && strcmp (next.message, "Finished") == 0))
    act (win, "win.step");
  {
    gsize len;
    const guint8 *d = g_bytes_get_data (next.plaintext, &len);
    GString *h = g_string_new (NULL);
    for (gsize i = 0; i < len; i++)
      g_string_append_printf (h, "%02x", i == 4 ? d[i] ^ 0x01 : d[i]);
    hex = g_string_free (h, FALSE);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.tamper-plaintext", "s", hex));
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 1);
  act (win, "win.run-to-end");
  g_assert_nonnull (hl_window_get_banner (win));
  g_assert_nonnull (strstr (hl_window_get_banner (win), "failed"));
  screenshot (GTK_WIDGET (win), "window-tampered.png");
  /* Restart undoes it. */
  act (win, "win.restart");
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  act (win, "win.run-to-end");
  g_assert_nonnull (strstr (hl_window_get_banner (win), "succeeded"));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The message dialog on top of the window, if one is open. */
static GtkWindow *
find_dialog (HlWindow *win)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++) {
    g_autoptr (GtkWindow) w = g_list_model_get_item (tops, i);
    if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (win))
      return w;
  }
  return NULL;
}

/* A broken lesson: its FILE:LINE message is shown, the lesson stays. */
static void
test_broken_lesson_and_export (void)
{
  HlWindow *win = open_window ("14-untrusted-ca");
  g_autofree char *bad = hl_test_write_scenario ("[Scenario]\nFormat=1\nTitle=t\n[Clent]\n");
  g_autofree char *png = g_build_filename (artifacts, "exported.png", NULL);
  g_autofree char *folder_png = g_build_filename (artifacts, "no-such-folder", "x.png", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.load", "s", bad));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_nonnull (strstr (hl_window_get_last_message (win), ":4: unknown group [Clent]"));
  g_assert_cmpstr (hl_session_get_title (hl_window_get_session (win)), ==,
                   "Failure: a certificate no trusted CA signed");
  {
    /* The message waits in a dialog over the window until it is closed. */
    GtkWindow *dialog = find_dialog (win);
    g_assert_nonnull (dialog);
    g_assert_true (g_str_has_prefix (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                                     "Could Not Open “"));
    g_assert_nonnull (
        strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "stays open"));
    screenshot (GTK_WIDGET (dialog), "window-broken-lesson.png");
    gtk_window_destroy (dialog);
  }
  act (win, "win.run-to-end");
  g_remove (png);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export", "(ss)", "png", png));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (hl_window_get_last_message (win), "Saved "));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (win), "win.export", "(ss)", "png", folder_png));
  g_assert_nonnull (strstr (hl_window_get_last_message (win), folder_png));
  g_assert_false (g_file_test (folder_png, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A broken lesson opened from outside (a file manager, the command line): a window opens
 * anyway, on the default lesson, with the FILE:LINE message over it. */
static void
test_broken_lesson_opened (void)
{
  g_autofree char *bad = hl_test_write_scenario ("[Scenario]\nFormat=1\nTitle=t\n[Clent]\n");
  g_autoptr (GFile) file = g_file_new_for_path (bad);
  GList *before = gtk_application_get_windows (GTK_APPLICATION (app));
  guint n_before = g_list_length (before);
  HlWindow *win;
  GtkWindow *dialog;
  g_application_open (G_APPLICATION (app), &file, 1, "");
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==,
                    n_before + 1);
  win = HL_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_nonnull (hl_session_get_run (hl_window_get_session (win)));
  g_assert_nonnull (strstr (hl_window_get_last_message (win), ":4: unknown group [Clent]"));
  dialog = find_dialog (win);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "The default lesson opens instead"));
  gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The first button under `w` whose label is `label`. */
static GtkWidget *
find_button (GtkWidget *w, const char *label)
{
  if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c)) {
    GtkWidget *found = find_button (c, label);
    if (found)
      return found;
  }
  return NULL;
}

/* The unknown-cipher-suite error lists every suite: on a 1024x768 screen the dialog fits
 * and its Close button is on screen; the message scrolls. */
static void
test_broken_lesson_fits (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  g_autofree char *chain = hl_test_source_path ("assets/pki/server-rsa-chain.pem");
  g_autofree char *key = hl_test_source_path ("assets/pki/server-rsa.key");
  g_autofree char *text = g_strdup_printf (
      "[Scenario]\nFormat=1\nTitle=t\n[Client]\nCipherSuites=TLS_RSA_WITH_RC4_128_SHA\n"
      "[Server]\nCertificateChain=%s\nPrivateKey=%s\n",
      chain, key);
  g_autofree char *bad = hl_test_write_scenario (text);
  GtkWindow *dialog;
  GtkWidget *close;
  graphene_rect_t r;
  gtk_window_set_default_size (GTK_WINDOW (win), 1024, 768);
  g_assert_false (hl_window_load (win, bad));
  g_assert_nonnull (strstr (hl_window_get_last_message (win), ":5: "));
  g_assert_nonnull (strstr (hl_window_get_last_message (win), "valid suites: "));
  dialog = find_dialog (win);
  g_assert_nonnull (dialog);
  wait_for_frame (GTK_WIDGET (dialog));
  screenshot (GTK_WIDGET (dialog), "window-broken-suite.png");
  close = find_button (GTK_WIDGET (dialog), "_Close");
  g_assert_nonnull (close);
  g_assert_true (gtk_widget_get_mapped (close));
  g_assert_true (gtk_widget_compute_bounds (close, GTK_WIDGET (dialog), &r));
  g_test_message ("dialog %dx%d, Close at y=%.0f..%.0f", gtk_widget_get_width (GTK_WIDGET (dialog)),
                  gtk_widget_get_height (GTK_WIDGET (dialog)), r.origin.y,
                  r.origin.y + r.size.height);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (dialog)), <=, 768 - 100);
  g_assert_cmpfloat (r.origin.y + r.size.height, <=, gtk_widget_get_height (GTK_WIDGET (dialog)));
  gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Whether the file starts with `magic`. */
static gboolean
file_starts_with (const char *path, const char *magic)
{
  g_autofree char *data = NULL;
  gsize len;
  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return len >= strlen (magic) && memcmp (data, magic, strlen (magic)) == 0;
}

/* The typed extension decides the format; when it and the menu disagree, a dialog says
 * so before anything is written. */
static void
test_export_by_extension (void)
{
  HlWindow *win = open_window ("02-ecdhe-rsa-aes-gcm");
  g_autofree char *dir = g_build_filename (artifacts, "export-by-extension", NULL);
  g_autofree char *pdf = g_build_filename (dir, "a.pdf", NULL);
  g_autofree char *b_pdf = g_build_filename (dir, "b.pdf", NULL);
  g_autofree char *b_png = g_build_filename (dir, "b.png", NULL);
  g_autofree char *c = g_build_filename (dir, "c", NULL);
  g_autofree char *c_svg = g_build_filename (dir, "c.svg", NULL);
  GtkWindow *dialog;
  g_mkdir_with_parents (dir, 0755);
  for (const char *const *f = (const char *const[]){ pdf, b_pdf, b_png, c_svg, NULL }; *f; f++)
    g_remove (*f);
  act (win, "win.run-to-end");
  /* Menu and name agree: written at once. */
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (win), "win.export-to", "(ss)", "pdf", pdf));
  g_assert_null (find_dialog (win));
  g_assert_true (file_starts_with (pdf, "%PDF"));
  /* No extension: the menu's is added. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export-to", "(ss)", "svg", c));
  g_assert_true (file_starts_with (c_svg, "<?xml"));
  /* PNG in the menu, "b.pdf" typed: asked first, nothing written yet. */
  for (int answer = 0; answer < 3; answer++) {
    g_remove (b_pdf);
    g_remove (b_png);
    g_assert_true (
        gtk_widget_activate_action (GTK_WIDGET (win), "win.export-to", "(ss)", "png", b_pdf));
    dialog = find_dialog (win);
    g_assert_nonnull (dialog);
    g_assert_true (HL_IS_EXPORT_DIALOG (dialog));
    g_assert_nonnull (strstr (hl_window_get_last_message (win), "“b.pdf” asks for a PDF file"));
    g_assert_nonnull (strstr (hl_window_get_last_message (win), "but PNG was chosen"));
    g_assert_false (g_file_test (b_pdf, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (b_png, G_FILE_TEST_EXISTS));
    if (answer == 0) {
      screenshot (GTK_WIDGET (dialog), "window-export-disagree.png");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      gtk_window_destroy (dialog);
      g_assert_false (g_file_test (b_pdf, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (b_png, G_FILE_TEST_EXISTS));
    } else if (answer == 1) {
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "menu");
      gtk_window_destroy (dialog);
      g_assert_true (file_starts_with (b_png, "\x89PNG"));
      g_assert_false (g_file_test (b_pdf, G_FILE_TEST_EXISTS));
    } else {
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "extension");
      gtk_window_destroy (dialog);
      g_assert_true (file_starts_with (b_pdf, "%PDF"));
    }
  }
  g_assert_cmpstr (hl_export_format_for_path ("/x/y.tar.HTM"), ==, "html");
  g_assert_null (hl_export_format_for_path ("/x.pdf/y"));
  g_assert_null (hl_export_format_for_path (".pdf"));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A menu button's tooltip is off while its popover is open (it covered the title). */
static void
test_tooltips_off_over_popovers (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlLessonPicker *picker = hl_window_get_lesson_picker (win);
  GtkWidget *button
      = gtk_widget_get_ancestor (gtk_widget_get_parent (GTK_WIDGET (picker)), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_has_tooltip (button));
  open_picker (win);
  g_assert_false (gtk_widget_get_has_tooltip (button));
  gtk_popover_popdown (GTK_POPOVER (picker));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (gtk_widget_get_has_tooltip (button));
  /* The main menu, made when first opened. */
  button = GTK_WIDGET (win->main_menu_button);
  g_assert_true (gtk_widget_get_has_tooltip (button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_false (gtk_widget_get_has_tooltip (button));
  screenshot (GTK_WIDGET (win), "window-main-menu.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (gtk_widget_get_has_tooltip (button));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The tamper box's scrollbar follows the text (it has its own adjustment, see
 * hl-tamper-dialog.c) and scrolls it. */
static void
test_tamper_scrollbar (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  GtkWindow *dialog;
  GtkTextView *view;
  GtkAdjustment *text, *bar;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.tamper-dialog", NULL));
  dialog = find_dialog (win);
  g_assert_true (HL_IS_TAMPER_DIALOG (dialog));
  wait_for_frame (GTK_WIDGET (dialog));
  view = hl_tamper_dialog_get_text_view (HL_TAMPER_DIALOG (dialog));
  text = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  bar = gtk_scrollbar_get_adjustment (hl_tamper_dialog_get_scrollbar (HL_TAMPER_DIALOG (dialog)));
  g_assert_true (text != bar);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (view)));
  for (int i = 0; i < 40; i++)
    g_signal_emit_by_name (view, "insert-at-cursor", "0a1b 2c3d\n");
  for (int i = 0; i < 5; i++)
    wait_for_frame (GTK_WIDGET (dialog));
  g_assert_cmpfloat (gtk_adjustment_get_upper (text), >, gtk_adjustment_get_page_size (text));
  gtk_adjustment_set_value (text, gtk_adjustment_get_upper (text)); /* to the last line */
  wait_for_frame (GTK_WIDGET (dialog));
  g_assert_cmpfloat (gtk_adjustment_get_value (text), >, 0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (bar), ==, gtk_adjustment_get_upper (text));
  g_assert_cmpfloat (gtk_adjustment_get_page_size (bar), ==, gtk_adjustment_get_page_size (text));
  g_assert_cmpfloat (gtk_adjustment_get_value (bar), ==, gtk_adjustment_get_value (text));
  screenshot (GTK_WIDGET (dialog), "window-tamper-scrolled.png");
  gtk_adjustment_set_value (bar, 0); /* dragged to the top */
  wait_for_frame (GTK_WIDGET (dialog));
  g_assert_cmpfloat (gtk_adjustment_get_value (text), ==, 0);
  gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* With animations on, a new arrow travels from sender to receiver over some 450 ms of
 * frames, and only its end moves: the ladder is laid out once for the step, and drawn once
 * under the arrow, not again at each of the travel's frames (which cost more than the
 * step: issue 17). */
static void
test_arrow_travel (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlLadderView *ladder = HL_LADDER_VIEW (hl_window_get_ladder (win));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gint64 travelled = g_get_monotonic_time () + 700 * 1000; /* the travel and a frame after */
  guint frames = 0, layouts, stills;
  gboolean shot = FALSE;
  gulong id;
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  layouts = hl_ladder_view_get_n_layouts (ladder);
  stills = hl_ladder_view_get_n_stills (ladder);
  id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (hl_test_count), &frames);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  while ((g_get_monotonic_time () < travelled || frames < 3) && g_get_monotonic_time () < end) {
    g_main_context_iteration (NULL, FALSE);
    if (frames == 6 && !shot) /* mid-way, as a student sees it */
      shot = (screenshot (GTK_WIDGET (win), "window-arrow-travelling.png"), TRUE);
  }
  g_signal_handler_disconnect (clock, id);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_test_message ("%u frames", frames);
  g_assert_cmpuint (frames, >=, 3); /* the step's own and at least two of the travel's */
  g_assert_cmpuint (hl_ladder_view_get_n_layouts (ladder) - layouts, ==, 1);
  /* and the ladder under the arrow is drawn once: each frame draws only the arrow's box */
  g_assert_cmpuint (hl_ladder_view_get_n_stills (ladder) - stills, ==, 1);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Play delivers messages on a timer until paused. */
static void
test_play_pause (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlSession *s = hl_window_get_session (win);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint at;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.speed", "s", "fast"));
  {
    g_autofree char *speed = NULL;
    g_object_get (win, "play-speed", &speed, NULL); /* the menu's radio state */
    g_assert_cmpstr (speed, ==, "fast");
  }
  act (win, "win.play");
  while (hl_session_get_position (s) < 2 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hl_session_get_position (s), >=, 2);
  act (win, "win.play"); /* pause */
  at = hl_session_get_position (s);
  end = g_get_monotonic_time () + G_USEC_PER_SEC; /* longer than a fast step */
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (hl_session_get_position (s), ==, at);
  /* Opening the tamper dialog pauses Play: the message in the dialog stays the next one. */
  act (win, "win.play");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.tamper-dialog", NULL));
  at = hl_session_get_position (s);
  end = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (hl_session_get_position (s), ==, at);
  {
    GtkWindow *dialog = find_dialog (win);
    g_assert_nonnull (dialog);
    gtk_window_destroy (dialog); /* closed without an answer: nothing changes */
  }
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Opens the lesson picker and waits until the catalogue is read (in a worker thread). */
static HlLessonPicker *
open_picker (HlWindow *win)
{
  HlLessonPicker *picker = hl_window_get_lesson_picker (win);
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.lessons", NULL));
  while (!hl_lesson_picker_is_loaded (picker) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hl_lesson_picker_is_loaded (picker));
  wait_for_frame (GTK_WIDGET (picker));
  return picker;
}

/* Setting a text empties the entry first, which reports at once: wait for the text set. */
static void
on_search_changed (GtkEditable *search, const char **want)
{
  if (*want && strcmp (gtk_editable_get_text (search), *want) == 0)
    *want = NULL;
}

/* Types a search; returns how many lessons are shown, and the first. */
static guint
search_lessons (HlLessonPicker *picker, const char *text, const HlLesson **first)
{
  g_autoptr (GPtrArray) shown = NULL;
  GtkEditable *search = hl_lesson_picker_get_search (picker);
  const char *want = text;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gulong id = g_signal_connect (search, "search-changed", G_CALLBACK (on_search_changed), &want);
  /* The entry says so itself, after its delay, as when typing. */
  gtk_editable_set_text (search, text);
  while (want && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (search, id);
  g_assert_null (want);
  wait_for_frame (GTK_WIDGET (picker));
  shown = hl_lesson_picker_list_shown (picker);
  if (first)
    *first = shown->len ? g_ptr_array_index (shown, 0) : NULL;
  return shown->len;
}

/* Which lesson the visibly selected row is (NULL when none). */
static const HlLesson *
selected_lesson (HlLessonPicker *picker)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (hl_lesson_picker_get_list (picker));
  if (!row)
    return NULL;
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
  g_assert_true (gtk_widget_get_state_flags (GTK_WIDGET (row)) & GTK_STATE_FLAG_SELECTED);
  return g_object_get_data (G_OBJECT (row), "lesson");
}

/* A key pressed in the search entry, through its controllers as GTK delivers it. */
static gboolean
press_in_search (HlLessonPicker *picker, guint keyval)
{
  GtkWidget *search = GTK_WIDGET (hl_lesson_picker_get_search (picker));
  GListModel *controllers = gtk_widget_observe_controllers (search);
  gboolean handled = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++) {
    g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
    if (GTK_IS_EVENT_CONTROLLER_KEY (c))
      g_signal_emit_by_name (c, "key-pressed", keyval, 0, (GdkModifierType)0, &handled);
  }
  g_object_unref (controllers);
  wait_for_frame (GTK_WIDGET (picker));
  return handled;
}

static const char *
loaded_file (HlWindow *win)
{
  return hl_session_get_file (hl_window_get_session (win));
}

/* The lesson picker lists every bundled lesson with its number; choosing one loads it. */
static void
test_lesson_picker (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlLessonPicker *picker = open_picker (win);
  GtkListBox *list = hl_lesson_picker_get_list (picker);
  GtkListBoxRow *row;
  GtkWidget *number;
  guint n = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (list)); c;
       c = gtk_widget_get_next_sibling (c))
    n += GTK_IS_LIST_BOX_ROW (c); /* not the group headers */
  g_assert_cmpuint (n, >=, 35);
  screenshot (GTK_WIDGET (picker), "window-lesson-picker.png");
  row = gtk_list_box_get_row_at_index (list, 9); /* the tenth lesson */
  /* Its number is shown, first in the row. */
  number = gtk_widget_get_first_child (gtk_list_box_row_get_child (row));
  g_assert_true (GTK_IS_LABEL (number));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (number)), ==, "10");
  g_assert_true (gtk_widget_get_mapped (number));
  g_signal_emit_by_name (list, "row-activated", row);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_cmpstr (hl_session_get_title (hl_window_get_session (win)), ==,
                   "Mutual TLS: the client shows a certificate too");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Search by number and by keyword; Enter opens the first match, Up and Down move a
 * visible selection through the matches. */
static void
test_lesson_search (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlLessonPicker *picker = open_picker (win);
  const HlLesson *first = NULL;
  /* "30" is lesson 30 alone (not 3, 13 or a description mentioning 30). */
  g_assert_cmpuint (search_lessons (picker, "30", &first), ==, 1);
  g_assert_cmpstr (first->number, ==, "30");
  g_assert_true (selected_lesson (picker) == first);
  screenshot (GTK_WIDGET (picker), "window-lesson-search-30.png");
  g_signal_emit_by_name (hl_lesson_picker_get_search (picker), "activate"); /* Enter */
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (g_str_has_suffix (loaded_file (win), "30-tls13-basic.scenario"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  /* "untrusted": a word of the file names, in no title. */
  picker = open_picker (win);
  g_assert_cmpuint (search_lessons (picker, "untrusted", &first), ==, 2);
  g_assert_cmpstr (first->number, ==, "14");
  g_assert_true (selected_lesson (picker) == first);
  g_assert_true (press_in_search (picker, GDK_KEY_Down));
  g_assert_cmpstr (selected_lesson (picker)->number, ==, "37");
  g_assert_true (press_in_search (picker, GDK_KEY_Down)); /* stays on the last */
  g_assert_cmpstr (selected_lesson (picker)->number, ==, "37");
  screenshot (GTK_WIDGET (picker), "window-lesson-search-untrusted.png");
  g_assert_true (press_in_search (picker, GDK_KEY_Up));
  g_assert_cmpstr (selected_lesson (picker)->number, ==, "14");
  g_assert_true (press_in_search (picker, GDK_KEY_Down));
  g_signal_emit_by_name (hl_lesson_picker_get_search (picker), "activate");
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (g_str_has_suffix (loaded_file (win), "37-tls13-untrusted.scenario"));
  /* A description's words, and nothing found. */
  picker = open_picker (win);
  g_assert_cmpuint (search_lessons (picker, "helloretry", &first), ==, 2); /* 32, 41 */
  g_assert_cmpstr (first->number, ==, "32");
  g_assert_cmpuint (search_lessons (picker, "zebra quokka", NULL), ==, 0);
  g_assert_null (selected_lesson (picker));
  g_signal_emit_by_name (hl_lesson_picker_get_search (picker), "activate"); /* does nothing */
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (g_str_has_suffix (loaded_file (win), "37-tls13-untrusted.scenario"));
  search_lessons (picker, "", NULL);
  gtk_popover_popdown (GTK_POPOVER (picker));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A TLS 1.3 lesson in the window: right after ServerHello both sides hold the handshake
 * traffic secrets and no premaster exists; the certificate that follows is encrypted and
 * still decoded field by field. */
static void
test_tls13 (void)
{
  HlWindow *win = open_window ("30-tls13-basic");
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  for (int i = 0; i < 2; i++)
    act (win, "win.step");
  g_assert_true (g_str_has_prefix (hl_inspector_get_title (insp), "Step 2: ServerHello"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "knowledge"));
  wait_for_frame (GTK_WIDGET (win));
  for (int side = 0; side < 2; side++) {
    g_assert_true (panel_lists (win, side, "Client handshake traffic secret"));
    g_assert_true (panel_lists (win, side, "(EC)DHE shared secret"));
    g_assert_false (panel_lists (win, side, "Premaster secret"));
  }
  screenshot (GTK_WIDGET (win), "window-tls13-knowledge.png");
  for (int i = 0; i < 3; i++)
    act (win, "win.step");
  g_assert_true (
      g_str_has_prefix (hl_inspector_get_title (insp), "Step 5: Certificate, server to client"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "message"));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_cmpuint (hl_inspector_get_n_rows (insp), >, 5);
  screenshot (GTK_WIDGET (win), "window-tls13-certificate.png");
  gtk_window_destroy (GTK_WINDOW (win));
}

static HlKeyScheduleView *
key_schedule_view (HlWindow *win)
{
  GtkWidget *scroller = gtk_stack_get_child_by_name (win->side_stack, "schedule");
  GtkWidget *child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));
  return HL_KEY_SCHEDULE_VIEW (child);
}

static const HlKeyScheduleNode *
schedule_node (const HlKeyScheduleLayout *l, const char *label)
{
  for (guint i = 0; i < hl_key_schedule_layout_get_n_nodes (l); i++)
    if (g_strcmp0 (hl_key_schedule_layout_get_node (l, i)->label, label) == 0)
      return hl_key_schedule_layout_get_node (l, i);
  g_error ("no box for \"%s\"", label);
  return NULL;
}

/* The Key Schedule page (Alt+3) draws the selected step: after the ServerHello the client
 * holds the handshake traffic secrets and not the application ones; selecting another step
 * redraws it; a TLS 1.2 lesson says the picture is TLS 1.3's. */
static void
test_key_schedule (void)
{
  HlWindow *win = open_window ("30-tls13-basic");
  HlKeyScheduleView *view = key_schedule_view (win);
  const HlKeyScheduleLayout *l;
  for (int i = 0; i < 2; i++)
    act (win, "win.step");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "schedule"));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (win->side_stack), ==, "schedule");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (view)), >, 600);
  l = hl_key_schedule_view_get_layout (view);
  g_assert_true (hl_key_schedule_layout_is_tls13 (l));
  g_assert_cmpuint (hl_key_schedule_layout_get_step (l), ==, 2);
  g_assert_true (schedule_node (l, "c hs traffic")->held[HL_SIDE_CLIENT]);
  g_assert_false (schedule_node (l, "c ap traffic")->held[HL_SIDE_CLIENT]);
  screenshot (GTK_WIDGET (win), "window-key-schedule-step-2.png");
  act (win, "win.run-to-end");
  l = hl_key_schedule_view_get_layout (view);
  g_assert_true (schedule_node (l, "c ap traffic")->held[HL_SIDE_CLIENT]);
  g_assert_true (schedule_node (l, "res master")->held[HL_SIDE_SERVER]);
  hl_session_select (win->session, 1);
  wait_for_frame (GTK_WIDGET (win));
  l = hl_key_schedule_view_get_layout (view);
  g_assert_cmpuint (hl_key_schedule_layout_get_step (l), ==, 1);
  g_assert_false (schedule_node (l, "c hs traffic")->held[HL_SIDE_CLIENT]);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (GTK_WIDGET (win), "window-key-schedule-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (win));

  win = open_window ("02-ecdhe-rsa-aes-gcm");
  act (win, "win.step");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "schedule"));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_false (
      hl_key_schedule_layout_is_tls13 (hl_key_schedule_view_get_layout (key_schedule_view (win))));
  screenshot (GTK_WIDGET (win), "window-key-schedule-tls12.png");
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Right steps and Left goes back wherever the focus is: the keys are caught before a
 * focused button or list would move the focus with them. */
static gboolean
press (HlWindow *win, guint keyval)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (win));
  gboolean handled = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++) {
    g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
    if (GTK_IS_EVENT_CONTROLLER_KEY (c)
        && gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
      g_signal_emit_by_name (c, "key-pressed", keyval, 0, (GdkModifierType)0, &handled);
  }
  g_object_unref (controllers);
  wait_for_frame (GTK_WIDGET (win));
  return handled;
}

static void
test_keys_anywhere (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlSession *s = hl_window_get_session (win);
  gtk_widget_grab_focus (hl_window_get_ladder (win));
  g_assert_true (press (win, GDK_KEY_Right));
  g_assert_true (press (win, GDK_KEY_space));
  g_assert_cmpuint (hl_session_get_position (s), ==, 2);
  /* With a row of the inspector's field list focused, too (clicking one focuses it). */
  {
    /* Find the field list anywhere under the inspector and focus its first row. */
    GtkWidget *stack[64];
    int top = 0;
    GtkWidget *list = NULL;
    stack[top++] = hl_window_get_inspector (win);
    while (top && !list) {
      GtkWidget *w = stack[--top];
      if (GTK_IS_LIST_VIEW (w))
        list = w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c && top < 63;
           c = gtk_widget_get_next_sibling (c))
        stack[top++] = c;
    }
    g_assert_nonnull (list);
    hl_session_select (s, 1);
    wait_for_frame (GTK_WIDGET (win));
    g_assert_true (gtk_widget_grab_focus (list));
  }
  g_assert_true (press (win, GDK_KEY_Left));
  g_assert_cmpuint (hl_session_get_position (s), ==, 1);
  g_assert_true (press (win, GDK_KEY_End));
  g_assert_true (hl_session_get_finished (s));
  g_assert_true (press (win, GDK_KEY_Home));
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  g_assert_false (press (win, GDK_KEY_a));
  /* Ctrl+? (the action behind it) opens the shortcuts window, built on demand. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWindow *overlay = NULL;
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-help-overlay", NULL));
    wait_for_frame (GTK_WIDGET (win));
    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && !overlay; i++) {
      g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);
      if (GTK_IS_SHORTCUTS_WINDOW (w))
        overlay = w;
    }
    g_assert_nonnull (overlay);
    g_assert_true (gtk_window_get_transient_for (overlay) == GTK_WINDOW (win));
    wait_for_frame (GTK_WIDGET (overlay));
    screenshot (GTK_WIDGET (overlay), "window-shortcuts.png");
    gtk_window_destroy (overlay);
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A key pressed on `w`, through its own key controllers (bubble phase, as from a child). */
static gboolean
press_on (GtkWidget *w, guint keyval)
{
  GListModel *controllers = gtk_widget_observe_controllers (w);
  gboolean handled = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++) {
    g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
    if (GTK_IS_EVENT_CONTROLLER_KEY (c))
      g_signal_emit_by_name (c, "key-pressed", keyval, 0, (GdkModifierType)0, &handled);
  }
  g_object_unref (controllers);
  wait_for_frame (GTK_WIDGET (gtk_widget_get_root (w)));
  return handled;
}

/* Which step's target `focus` is (from its place over the ladder), or 0. */
static guint
step_of (GtkWidget *ladder, GtkWidget *focus)
{
  graphene_rect_t r, area;
  if (!focus || gtk_widget_get_parent (focus) != ladder
      || !gtk_widget_compute_bounds (focus, ladder, &r))
    return 0;
  for (guint k = 1; hl_ladder_view_get_step_area (HL_LADDER_VIEW (ladder), k, &area); k++)
    if (area.origin.y + area.size.height / 2 >= r.origin.y
        && area.origin.y + area.size.height / 2 <= r.origin.y + r.size.height)
      return k;
  return 0;
}

/* Tab walks header → step controls → the ladder, once, at the selected step → the
 * inspector's tabs → its content; no label is a Tab stop. In the ladder the arrows move
 * the focus and Enter selects. */
static void
test_keyboard_order (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlSession *s = hl_window_get_session (win);
  GtkWidget *ladder = hl_window_get_ladder (win);
  GtkWidget *inspector = hl_window_get_inspector (win);
  GtkWidget *header
      = gtk_widget_get_ancestor (GTK_WIDGET (win->lessons_button), ADW_TYPE_HEADER_BAR);
  int ladder_at = -1, tabs_at = -1, content_at = -1, last_header = -1;
  gboolean shot = FALSE;
  act (win, "win.run-to-end");
  hl_session_select (s, 5);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (win->lessons_button)));
  gtk_window_set_focus_visible (GTK_WINDOW (win), TRUE); /* as after a key press */
  for (int i = 0; i < 60; i++) {
    GtkWidget *f;
    if (!gtk_widget_child_focus (GTK_WIDGET (win), GTK_DIR_TAB_FORWARD))
      break;
    f = gtk_root_get_focus (GTK_ROOT (win));
    g_assert_nonnull (f);
    if (i > 0 && gtk_widget_is_ancestor (f, GTK_WIDGET (win->lessons_button)))
      break; /* round to the start */
    if (GTK_IS_TREE_EXPANDER (f) && !shot) {
      screenshot (GTK_WIDGET (win), "window-field-focus.png"); /* its focus ring */
      shot = TRUE;
    }
    g_test_message ("tab %d: %s %s %p", i, G_OBJECT_TYPE_NAME (f),
                    GTK_IS_BUTTON (f) ? gtk_button_get_label (GTK_BUTTON (f)) : "", (void *)f);
    g_assert_false (GTK_IS_LABEL (f));
    if (gtk_widget_is_ancestor (f, header)) {
      g_assert_cmpint (ladder_at, ==, -1);
      last_header = i;
    } else if (gtk_widget_is_ancestor (f, ladder)) {
      g_assert_cmpint (ladder_at, ==, -1); /* one stop */
      ladder_at = i;
      g_assert_cmpuint (step_of (ladder, f), ==, 5);
    } else if (gtk_widget_get_ancestor (f, GTK_TYPE_STACK_SWITCHER)) {
      if (tabs_at < 0)
        tabs_at = i;
    } else if (gtk_widget_is_ancestor (f, inspector)) {
      if (content_at < 0)
        content_at = i;
    }
  }
  g_assert_cmpint (last_header, >=, 0);
  g_assert_cmpint (ladder_at, >, last_header);
  g_assert_cmpint (tabs_at, ==, ladder_at + 1);
  g_assert_cmpint (content_at, >, tabs_at);
  /* Back into the ladder: Up moves the focus, not the selection; Enter selects. */
  hl_session_select (s, 5);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (win->lessons_button)));
  while (!gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (win)), ladder))
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (win), GTK_DIR_TAB_FORWARD));
  g_assert_true (press_on (ladder, GDK_KEY_Up));
  g_assert_true (press_on (ladder, GDK_KEY_Up));
  g_assert_cmpuint (step_of (ladder, gtk_root_get_focus (GTK_ROOT (win))), ==, 3);
  g_assert_cmpuint (hl_session_get_selected (s), ==, 5);
  screenshot (GTK_WIDGET (win), "window-ladder-focus.png");
  g_assert_true (press_on (ladder, GDK_KEY_Return));
  g_assert_cmpuint (hl_session_get_selected (s), ==, 3);
  g_assert_true (press_on (ladder, GDK_KEY_Down));
  g_assert_cmpuint (step_of (ladder, gtk_root_get_focus (GTK_ROOT (win))), ==, 4);
  g_assert_cmpuint (hl_session_get_selected (s), ==, 3);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The window holds up with every bundled lesson: load, run to the end, visit every
 * step in both side views, back to the start (warnings are fatal here). One case per
 * lesson, in three groups (/window/every-lesson/0, 1, 2) that meson runs as three tests,
 * so each stays well inside its timeout under the sanitizers on a busy machine. */
static void
test_one_lesson (gconstpointer data)
{
  const char *file = data;
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlSession *s = hl_window_get_session (win);
  guint n;
  g_assert_true (hl_window_load (win, file));
  act (win, "win.run-to-end");
  n = hl_session_get_position (s);
  g_assert_cmpuint (n, >, 0);
  g_assert_nonnull (hl_window_get_banner (win));
  for (guint k = 1; k <= n; k++) {
    hl_session_select (s, k);
    g_assert_true (g_str_has_prefix (
        hl_inspector_get_title (HL_INSPECTOR (hl_window_get_inspector (win))), "Step "));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "knowledge"));
  for (guint k = 1; k <= n; k += 3)
    hl_session_select (s, k);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "message"));
  act (win, "win.restart");
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  gtk_window_destroy (GTK_WINDOW (win));
}

static void
add_every_lesson (GPtrArray *files)
{
  for (guint i = 0; i < files->len; i++) {
    const char *file = g_ptr_array_index (files, i);
    g_autofree char *base = g_path_get_basename (file);
    g_autofree char *path = g_strdup_printf ("/window/every-lesson/%u/%s", i % 3, base);
    g_test_add_data_func (path, file, test_one_lesson);
  }
}

int
main (int argc, char **argv)
{
  GPtrArray *lessons;
  int status;
  if (!hl_test_window_init (&argc, &argv, "window-artifacts", &artifacts, &app)) {
    g_print ("1..0 # SKIP no display\n");
    return 0;
  }
  g_test_add_func ("/window/driven/step-and-inspect", test_step_and_inspect);
  g_test_add_func ("/window/driven/tamper-finished", test_tamper_finished);
  g_test_add_func ("/window/driven/broken-lesson-and-export", test_broken_lesson_and_export);
  g_test_add_func ("/window/driven/broken-lesson-fits", test_broken_lesson_fits);
  g_test_add_func ("/window/driven/broken-lesson-opened", test_broken_lesson_opened);
  g_test_add_func ("/window/driven/export-by-extension", test_export_by_extension);
  g_test_add_func ("/window/driven/tooltips-off-over-popovers", test_tooltips_off_over_popovers);
  g_test_add_func ("/window/driven/tamper-scrollbar", test_tamper_scrollbar);
  g_test_add_func ("/window/driven/play-pause", test_play_pause);
  g_test_add_func ("/window/driven/arrow-travel", test_arrow_travel);
  g_test_add_func ("/window/driven/lesson-picker", test_lesson_picker);
  g_test_add_func ("/window/driven/lesson-search", test_lesson_search);
  g_test_add_func ("/window/driven/tls13", test_tls13);
  g_test_add_func ("/window/driven/key-schedule", test_key_schedule);
  g_test_add_func ("/window/driven/keys-anywhere", test_keys_anywhere);
  g_test_add_func ("/window/driven/keyboard-order", test_keyboard_order);
  lessons = hl_data_list_scenarios ();
  g_assert_nonnull (lessons);
  add_every_lesson (lessons);
  status = g_test_run ();
  g_ptr_array_unref (lessons);
  g_object_unref (app);
  g_free (artifacts);
  return status;
}
