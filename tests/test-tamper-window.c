/* Tampering by field in the real window, under a display (Xvfb in CI): the Fields list's
 * context menu opened with the Menu key and Shift+F10, a typed value refused and kept, then
 * accepted, what it will break said before delivery, the pending change shown again in the
 * hex dialog, delivered, the outcome naming the field and the check that caught it, Back
 * with its Undo, Redo; and the hex dialog's offsets, field under the cursor and Tab.
 * Screenshots go to window-artifacts/. */
#include <glib/gstdio.h>
#include <string.h>

#include "hl-application.h"
#include "hl-field-dialog.h"
#include "hl-inspector.h"
#include "hl-tamper-dialog.h"
#include "hl-test-util.h"
#include "hl-window-private.h"
#include "hl-test-window.h"

static HlApplication *app;
static char *artifacts;

/* The shared helpers (hl-test-window.c), under this file's names. */
#define wait_for_frame(w) hl_test_wait_for_frame (w)
#define screenshot(w, name) hl_test_screenshot ((w), artifacts, (name))

#define open_window(lesson) hl_test_open_lesson (app, (lesson), 1400, 900)

#define act(win, action) hl_test_act ((win), (action))

/* The dialog over the window, if one is open. */
static GtkWindow *
find_dialog (HlWindow *win)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++) {
    g_autoptr (GtkWindow) w = g_list_model_get_item (tops, i);
    if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (win)
        && gtk_widget_get_visible (GTK_WIDGET (w)))
      return w;
  }
  return NULL;
}

/* A key press as the widget's key controllers get it (with modifiers). */
static gboolean
press (GtkWidget *w, guint keyval, GdkModifierType state)
{
  GListModel *controllers = gtk_widget_observe_controllers (w);
  gboolean handled = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++) {
    g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
    if (GTK_IS_EVENT_CONTROLLER_KEY (c))
      g_signal_emit_by_name (c, "key-pressed", keyval, 0, state, &handled);
  }
  g_object_unref (controllers);
  wait_for_frame (GTK_WIDGET (gtk_widget_get_root (w)));
  return handled;
}

/* Keyboard focus on the list's row `pos`, as arrow keys put it there. */
static gboolean
focus_row (GtkWidget *w, guint pos)
{
  if (GTK_IS_TREE_EXPANDER (w)) {
    GtkTreeListRow *row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (w));
    return row && gtk_tree_list_row_get_position (row) == pos
           && gtk_widget_grab_focus (gtk_widget_get_parent (w));
  }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    if (focus_row (c, pos))
      return TRUE;
  return FALSE;
}

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

/* Clicks a response's button, as a person does: the dialog answers and closes. */
static void
click (GtkWindow *dialog, const char *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);
  GtkWidget *parent = GTK_WIDGET (gtk_window_get_transient_for (dialog));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  wait_for_frame (parent);
}

static guint
row_named (HlInspector *insp, const char *name)
{
  for (guint i = 0; i < hl_inspector_get_n_rows (insp); i++)
    if (strcmp (hl_inspector_get_row_field (insp, i)->name, name) == 0)
      return i;
  g_assert_not_reached ();
}

/* Whether the list's first row answers GTK's query for a tooltip (its field's explanation). */
static gboolean
row_offers_tooltip (GtkWidget *list)
{
  GtkWidget *row = hl_test_find_type (list, GTK_TYPE_TREE_EXPANDER);
  g_autoptr (GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "query-tooltip", 4, 4, FALSE, tooltip, &shown);
  return shown;
}

static void
test_field_menu_edit_deliver_back_undo_redo (void)
{
  HlWindow *win = open_window ("02-ecdhe-rsa-aes-gcm");
  HlSession *s = hl_window_get_session (win);
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  GtkWidget *list = hl_test_find_type (GTK_WIDGET (insp), GTK_TYPE_LIST_VIEW);
  GtkPopover *menu;
  HlFieldDialog *dialog;
  GtkWindow *top;
  const HlChange *c;
  act (win, "win.step");
  act (win, "win.step"); /* ServerHello, step 2, selected */
  g_assert_cmpuint (hl_session_get_selected (s), ==, 2);
  /* The Menu key on the row with focus opens its field's menu; Shift+F10 too. */
  menu = hl_inspector_get_field_menu (insp);
  g_assert_true (focus_row (list, row_named (insp, "Cipher suite")));
  g_assert_true (row_offers_tooltip (list));
  g_assert_true (press (list, GDK_KEY_Menu, 0));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu)));
  /* no row tooltip over the open menu (it hid the menu's first item) */
  g_assert_false (row_offers_tooltip (list));
  g_assert_cmpstr (hl_inspector_get_row_field (insp, row_named (insp, "Cipher suite"))->name, ==,
                   "Cipher suite");
  screenshot (GTK_WIDGET (win), "tamper-field-menu-window.png");
  screenshot (GTK_WIDGET (menu), "tamper-field-menu.png");
  gtk_popover_popdown (menu);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_false (press (list, GDK_KEY_F10, 0)); /* F10 alone is the window's */
  g_assert_true (press (list, GDK_KEY_F10, GDK_SHIFT_MASK));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu)));
  /* "Change Value…", as the menu item does it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (menu), "field.edit", NULL));
  gtk_popover_popdown (menu);
  wait_for_frame (GTK_WIDGET (win));
  top = find_dialog (win);
  g_assert_true (HL_IS_FIELD_DIALOG (top));
  dialog = HL_FIELD_DIALOG (top);
  g_assert_cmpstr (gtk_editable_get_text (hl_field_dialog_get_entry (dialog)), ==,
                   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  g_assert_nonnull (strstr (hl_field_dialog_get_prediction (dialog), "Finished"));
  /* Not a suite: said in the dialog, the change is off, and the text stays */
  gtk_editable_set_text (hl_field_dialog_get_entry (dialog), "TLS_NO_SUCH_SUITE");
  wait_for_frame (GTK_WIDGET (dialog));
  g_assert_nonnull (hl_field_dialog_get_problem (dialog));
  g_assert_nonnull (strstr (hl_field_dialog_get_problem (dialog), "TLS_NO_SUCH_SUITE"));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "apply"));
  g_assert_cmpstr (gtk_editable_get_text (hl_field_dialog_get_entry (dialog)), ==,
                   "TLS_NO_SUCH_SUITE");
  screenshot (GTK_WIDGET (dialog), "tamper-field-invalid.png");
  /* A suite the client never offered: the prediction says the client refuses it at once */
  gtk_editable_set_text (hl_field_dialog_get_entry (dialog), "TLS_RSA_WITH_AES_128_CBC_SHA");
  wait_for_frame (GTK_WIDGET (dialog));
  g_assert_null (hl_field_dialog_get_problem (dialog));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "apply"));
  g_assert_nonnull (strstr (hl_field_dialog_get_prediction (dialog), "The client offered only"));
  screenshot (GTK_WIDGET (dialog), "tamper-field-dialog.png");
  click (GTK_WINDOW (dialog), "_Change It");
  g_assert_null (find_dialog (win));
  /* back to just before the ServerHello, the change waiting on it */
  g_assert_cmpuint (hl_session_get_position (s), ==, 1);
  c = hl_session_get_pending_change (s);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->what, ==, "Cipher suite set to TLS_RSA_WITH_AES_128_CBC_SHA");
  g_assert_nonnull (strstr (hl_window_get_last_message (win), "press Step"));
  /* Reopened, the hex dialog shows the pending change, and it can be cleared */
  act (win, "win.tamper-dialog");
  top = find_dialog (win);
  g_assert_true (HL_IS_TAMPER_DIALOG (top));
  g_assert_nonnull (hl_tamper_dialog_get_pending (HL_TAMPER_DIALOG (top)));
  g_assert_nonnull (
      strstr (hl_tamper_dialog_get_pending (HL_TAMPER_DIALOG (top)), "Cipher suite set to"));
  {
    GtkTextBuffer *buf
        = gtk_text_view_get_buffer (hl_tamper_dialog_get_text_view (HL_TAMPER_DIALOG (top)));
    GtkTextIter a, b;
    g_autofree char *text = NULL;
    gtk_text_buffer_get_bounds (buf, &a, &b);
    text = gtk_text_buffer_get_text (buf, &a, &b, FALSE);
    g_assert_nonnull (strstr (text, "00 2f")); /* the new suite, where the old one was */
  }
  screenshot (GTK_WIDGET (top), "tamper-hex-pending.png");
  click (top, "_Cancel");
  g_assert_null (find_dialog (win));
  /* Delivered: the outcome names the field and the check that caught it */
  act (win, "win.step");
  act (win, "win.run-to-end");
  g_assert_nonnull (hl_window_get_banner (win));
  g_assert_nonnull (strstr (hl_window_get_banner (win), "Cipher suite set to"));
  g_assert_nonnull (strstr (hl_window_get_banner (win), "Caught by the client"));
  hl_session_select (s, 2);
  wait_for_frame (GTK_WIDGET (win));
  screenshot (GTK_WIDGET (win), "tamper-field-caught.png");
  /* Back across it: the toast says what it took away and offers Undo */
  while (hl_session_get_position (s) > 1)
    act (win, "win.back");
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  g_assert_nonnull (win->toast);
  g_assert_cmpstr (adw_toast_get_button_label (win->toast), ==, "_Undo");
  g_assert_cmpstr (adw_toast_get_action_name (win->toast), ==, "win.undo-back");
  g_assert_nonnull (strstr (adw_toast_get_title (win->toast), "Cipher suite set to"));
  screenshot (GTK_WIDGET (win), "tamper-back-toast.png");
  /* Undo: Back undone, the change delivered again */
  act (win, adw_toast_get_action_name (win->toast));
  g_assert_cmpuint (hl_session_get_position (s), ==, 2);
  g_assert_nonnull (hl_session_get_step_change (s, 2));
  g_assert_nonnull (strstr (hl_inspector_get_title (insp), "ServerHello"));
  /* Back again, then Redo (Ctrl+Shift+Z): the change waits on the message in flight */
  act (win, "win.back");
  g_assert_null (hl_session_get_pending_change (s));
  g_assert_true (press (GTK_WIDGET (win), GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK)
                 || gtk_widget_activate_action (GTK_WIDGET (win), "win.redo-tamper", NULL));
  wait_for_frame (GTK_WIDGET (win));
  c = hl_session_get_pending_change (s);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->field, ==, "Cipher suite");
  g_assert_nonnull (strstr (hl_window_get_last_message (win), "is back"));
  /* Two steps back, Undo does not deliver the wrong message: the change waits on its own */
  act (win, "win.step");
  act (win, "win.back");
  act (win, "win.back");
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  act (win, "win.undo-back");
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 1);
  act (win, "win.step");
  g_assert_nonnull (hl_session_get_pending_change (s));
  /* cleared from the window: the lesson then succeeds */
  act (win, "win.clear-tamper");
  g_assert_null (hl_session_get_pending_change (s));
  act (win, "win.run-to-end");
  g_assert_nonnull (strstr (hl_window_get_banner (win), "succeeded"));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Flip a bit through the menu's dialog, and drop: each says what it breaks first. */
static void
test_flip_and_drop (void)
{
  HlWindow *win = open_window ("02-ecdhe-rsa-aes-gcm");
  HlSession *s = hl_window_get_session (win);
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  GtkPopover *menu;
  HlFieldDialog *dialog;
  for (int i = 0; i < 4; i++)
    act (win, "win.step"); /* ServerKeyExchange, step 4 */
  g_assert_cmpstr (hl_session_get_selected_step (s)->message, ==, "ServerKeyExchange");
  hl_inspector_select_row (insp, row_named (insp, "Public key"));
  menu = hl_inspector_get_field_menu (insp);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (menu), "field.flip", NULL));
  wait_for_frame (GTK_WIDGET (win));
  dialog = HL_FIELD_DIALOG (find_dialog (win));
  gtk_spin_button_set_value (hl_field_dialog_get_bit (dialog), 3);
  wait_for_frame (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (hl_field_dialog_get_prediction (dialog), "signature"));
  screenshot (GTK_WIDGET (dialog), "tamper-flip-dialog.png");
  click (GTK_WINDOW (dialog), "_Flip It");
  g_assert_cmpstr (hl_session_get_pending_change (s)->what, ==, "bit 3 of Public key flipped");
  act (win, "win.run-to-end");
  g_assert_nonnull (strstr (hl_window_get_banner (win), "the signature check"));
  /* Restart takes the change away with Undo on its toast: Undo puts it back */
  act (win, "win.restart");
  g_assert_nonnull (
      strstr (hl_window_get_last_message (win), "Restarted: your change to ServerKeyExchange"));
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 0);
  act (win, "win.redo-tamper");
  g_assert_cmpuint (hl_session_get_n_edits (s), ==, 1);
  act (win, "win.restart");
  /* drop the client's ChangeCipherSpec */
  while (hl_session_get_n_steps (s) == 0
         || strcmp (hl_session_get_step (s, hl_session_get_position (s) - 1)->message,
                    "ChangeCipherSpec")
                != 0)
    act (win, "win.step");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (hl_inspector_get_field_menu (insp)),
                                             "field.drop", NULL));
  wait_for_frame (GTK_WIDGET (win));
  dialog = HL_FIELD_DIALOG (find_dialog (win));
  g_assert_nonnull (strstr (hl_field_dialog_get_prediction (dialog), "out of order"));
  /* a dropped message is not "changed on its way" */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "lost on its way, and Step goes on without it"));
  click (GTK_WINDOW (dialog), "_Drop It");
  act (win, "win.run-to-end");
  g_assert_nonnull (strstr (hl_window_get_banner (win), "dropped"));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The hex dialog names the receiver's own library: OpenSSL in a TLS 1.3 lesson (a user's
 * trial read "reacts as BearSSL really does" there), BearSSL in a classic one. */
static void
test_hex_dialog_names_library (void)
{
  static const struct {
    const char *lesson, *library;
  } cases[] = { { "30-tls13-basic", "reacts as OpenSSL really does" },
                { "01-rsa-key-exchange", "reacts as BearSSL really does" } };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    HlWindow *win = open_window (cases[i].lesson);
    GtkWindow *dialog;
    act (win, "win.step"); /* the server's first message in flight, in clear */
    act (win, "win.tamper-dialog");
    dialog = find_dialog (win);
    g_assert_nonnull (
        strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), cases[i].library));
    gtk_window_destroy (dialog);
    gtk_window_destroy (GTK_WINDOW (win));
  }
}

/* The hex dialog for experts: the field under the cursor, a problem shown and the text
 * kept, what the change breaks, and Tab leaves the hex box. */
static void
test_hex_dialog (void)
{
  HlWindow *win = open_window ("02-ecdhe-rsa-aes-gcm");
  HlTamperDialog *dialog;
  GtkTextView *view;
  GtkTextBuffer *buf;
  GtkTextIter it;
  GtkWidget *focus;
  act (win, "win.step"); /* the ServerHello in flight */
  act (win, "win.tamper-dialog");
  dialog = HL_TAMPER_DIALOG (find_dialog (win));
  view = hl_tamper_dialog_get_text_view (dialog);
  buf = gtk_text_view_get_buffer (view);
  /* it opens with the cursor on the first byte, where the view is (not past the last) */
  wait_for_frame (GTK_WIDGET (dialog));
  g_assert_true (g_str_has_prefix (hl_tamper_dialog_get_cursor_info (dialog), "Cursor at byte 0:"));
  /* byte 71 is on line 4 (16 bytes a line), at column 7: the Cipher suite */
  gtk_text_buffer_get_iter_at_line_offset (buf, &it, 4, 7 * 3);
  gtk_text_buffer_place_cursor (buf, &it);
  wait_for_frame (GTK_WIDGET (dialog));
  g_assert_cmpstr (hl_tamper_dialog_get_cursor_info (dialog), ==,
                   "Cursor at byte 71: Cipher suite (bytes 71 to 72)");
  g_assert_null (hl_tamper_dialog_get_problem (dialog));
  g_assert_nonnull (strstr (hl_tamper_dialog_get_prediction (dialog), "nothing is changed"));
  /* a letter that is not hex: said where, the button off, the text kept */
  gtk_text_buffer_insert_at_cursor (buf, "zz", -1);
  wait_for_frame (GTK_WIDGET (dialog));
  g_assert_nonnull (hl_tamper_dialog_get_problem (dialog));
  g_assert_nonnull (strstr (hl_tamper_dialog_get_problem (dialog), "Line 5"));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "deliver"));
  screenshot (GTK_WIDGET (dialog), "tamper-hex-invalid.png");
  /* two hex digits instead: a changed ServerHello, hashed into Finished */
  gtk_text_buffer_get_iter_at_line_offset (buf, &it, 4, 7 * 3);
  {
    GtkTextIter end = it;
    gtk_text_iter_forward_chars (&end, 4);
    gtk_text_buffer_delete (buf, &it, &end);
    gtk_text_buffer_insert (buf, &it, "00", -1);
  }
  wait_for_frame (GTK_WIDGET (dialog));
  g_assert_null (hl_tamper_dialog_get_problem (dialog));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "deliver"));
  g_assert_nonnull (strstr (hl_tamper_dialog_get_prediction (dialog), "Finished"));
  screenshot (GTK_WIDGET (dialog), "tamper-hex-dialog.png");
  /* Tab is not typed into the box: it moves the focus on */
  g_assert_false (gtk_text_view_get_accepts_tab (view));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (view)));
  {
    g_autofree char *before = NULL, *after = NULL;
    GtkTextIter a, b;
    gtk_text_buffer_get_bounds (buf, &a, &b);
    before = gtk_text_buffer_get_text (buf, &a, &b, FALSE);
    GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
    gboolean handled = FALSE;
    wait_for_frame (GTK_WIDGET (dialog));
    g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (view)));
    for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++) {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (c))
        g_signal_emit_by_name (c, "key-pressed", GDK_KEY_Tab, 0, (GdkModifierType)0, &handled);
    }
    g_object_unref (controllers);
    /* The box leaves Tab to the window, whose Tab binding moves the focus on as
     * gtk_widget_child_focus does; moved here directly so that a focus-in from the X
     * server, late under a loaded display, cannot hide what Tab did. */
    g_assert_false (gtk_text_view_get_accepts_tab (view));
    g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (view)));
    gtk_widget_child_focus (GTK_WIDGET (dialog), GTK_DIR_TAB_FORWARD);
    focus = gtk_root_get_focus (GTK_ROOT (dialog));
    gtk_text_buffer_get_bounds (buf, &a, &b);
    after = gtk_text_buffer_get_text (buf, &a, &b, FALSE);
    g_assert_cmpstr (before, ==, after);
  }
  g_test_message ("focus after Tab: %s", focus ? G_OBJECT_TYPE_NAME (focus) : "none");
  g_assert_nonnull (focus);
  /* not the box, nor the scrolled window around it */
  g_assert_true (focus != GTK_WIDGET (view));
  g_assert_true (focus != gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW));
  g_assert_false (gtk_widget_is_ancestor (focus, GTK_WIDGET (view)));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* An encrypted message's plaintext emptied: the dialog says what the lab seals, and what TLS
 * allows (RFC 5246 6.2.1: an empty record only for application data), not that every record
 * must carry a byte. */
static void
test_hex_dialog_empty_plaintext (void)
{
  HlWindow *win = open_window ("02-ecdhe-rsa-aes-gcm");
  HlSession *session = hl_window_get_session (win);
  HlTamperDialog *dialog;
  GtkTextBuffer *buf;
  const char *problem;
  HlNextMessage next;
  /* on to the client's Finished, the first encrypted message */
  while (hl_run_peek_next (hl_session_get_run (session), &next) && !next.encrypted)
    act (win, "win.step");
  g_assert_true (next.encrypted);
  act (win, "win.tamper-dialog");
  dialog = HL_TAMPER_DIALOG (find_dialog (win));
  buf = gtk_text_view_get_buffer (hl_tamper_dialog_get_text_view (dialog));
  gtk_text_buffer_set_text (buf, "", -1);
  wait_for_frame (GTK_WIDGET (dialog));
  problem = hl_tamper_dialog_get_problem (dialog);
  g_assert_nonnull (problem);
  g_assert_nonnull (
      strstr (problem, "The lab seals 1 to 16384 bytes of plaintext in a record, not 0"));
  g_assert_nonnull (strstr (problem, "an empty record only for application data"));
  screenshot (GTK_WIDGET (dialog), "tamper-empty-plaintext.png");
  /* Editing the ciphertext breaks a MAC (CBC) or an AEAD tag (GCM here): said as both. */
  g_assert_nonnull (strstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (
                                hl_test_find_type (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON))),
                            "integrity check: MAC or AEAD tag"));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "deliver"));
  gtk_window_destroy (GTK_WINDOW (dialog));
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
  g_test_add_func ("/tamper-window/field-menu-edit-deliver-back-undo-redo",
                   test_field_menu_edit_deliver_back_undo_redo);
  g_test_add_func ("/tamper-window/flip-and-drop", test_flip_and_drop);
  g_test_add_func ("/tamper-window/hex-dialog", test_hex_dialog);
  g_test_add_func ("/tamper-window/hex-dialog-names-library", test_hex_dialog_names_library);
  g_test_add_func ("/tamper-window/hex-dialog-empty-plaintext", test_hex_dialog_empty_plaintext);
  status = g_test_run ();
  g_object_unref (app);
  g_free (artifacts);
  return status;
}
