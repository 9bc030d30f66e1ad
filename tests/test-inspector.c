/* The inspector under a display: each step names the key that protects its record, read
 * from the label the window shows (none, the key block, TLS 1.3's early, handshake and
 * application traffic secrets, and generation 1 after a KeyUpdate). */
#include <math.h>
#include <string.h>

#include "hl-application.h"
#include "hl-field-label.h"
#include "hl-field.h"
#include "hl-hex-view.h"
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
  HlWindow *win = hl_test_open_lesson (app, lesson, 1400, 860);
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

/* The Fields list's expanders, in widget order. */
static void
collect_expanders (GtkWidget *w, GPtrArray *out)
{
  if (GTK_IS_TREE_EXPANDER (w) && gtk_widget_get_mapped (w))
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_expanders (c, out);
}

/* Every row shown names the field at its position in the selected step, and the list holds
 * exactly the step's top-level fields (nothing left open from another step). Returns the
 * expanders shown. */
static GPtrArray *
assert_fields_shown (HlWindow *win)
{
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  const HlStep *st = hl_session_get_selected_step (hl_window_get_session (win));
  GPtrArray *shown = g_ptr_array_new ();
  g_assert_cmpuint (hl_inspector_get_n_rows (insp), ==, st->fields->len);
  collect_expanders (hl_window_get_inspector (win), shown);
  g_assert_cmpuint (shown->len, >, 0);
  for (guint i = 0; i < shown->len; i++) {
    GtkTreeExpander *e = g_ptr_array_index (shown, i);
    GtkTreeListRow *row = gtk_tree_expander_get_list_row (e);
    guint pos = gtk_tree_list_row_get_position (row);
    const HlField *f = g_ptr_array_index (st->fields, pos);
    g_autofree char *want = g_strdup_printf ("%s  %s", f->name, f->value);
    g_assert_cmpuint (gtk_tree_list_row_get_depth (row), ==, 0);
    g_assert_cmpstr (hl_field_label_get_text (HL_FIELD_LABEL (gtk_tree_expander_get_child (e))), ==,
                     want);
    g_assert_cmpint (gtk_tree_list_row_is_expandable (row), ==,
                     f->children != NULL && f->children->len > 0);
  }
  return shown;
}

/* A step keeps the Fields list's row widgets and relabels them (GTK 4.8 makes a row again
 * for every new item: issue 17), and shows the new step's fields, with a row that was open
 * closed: its children were the old field's. */
static void
test_fields_kept (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  HlSession *s = hl_window_get_session (win);
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  g_autoptr (GPtrArray) before = NULL;
  guint kept = 0;
  hl_session_select (s, 1); /* ClientHello */
  wait_for_frame (GTK_WIDGET (win));
  before = assert_fields_shown (win);
  /* open every row that has children: the list grows */
  for (guint i = 0; i < hl_inspector_get_n_rows (insp); i++) {
    GListModel *m = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (
        gtk_widget_get_template_child (GTK_WIDGET (insp), HL_TYPE_INSPECTOR, "fields"))));
    g_autoptr (GtkTreeListRow) row = g_list_model_get_item (m, i);
    if (gtk_tree_list_row_get_depth (row) == 0)
      gtk_tree_list_row_set_expanded (row, TRUE);
  }
  g_assert_cmpuint (hl_inspector_get_n_rows (insp), >,
                    hl_session_get_selected_step (s)->fields->len);
  wait_for_frame (GTK_WIDGET (win));
  for (guint step = 2; step <= 4; step++) {
    g_autoptr (GPtrArray) after = NULL;
    hl_session_select (s, step);
    wait_for_frame (GTK_WIDGET (win));
    g_assert_true (g_str_has_prefix (shown_title (win), "Step "));
    after = assert_fields_shown (win);
    for (guint i = 0; i < after->len; i++)
      kept += g_ptr_array_find (before, g_ptr_array_index (after, i), NULL);
    g_ptr_array_unref (before);
    before = g_steal_pointer (&after);
  }
  /* most rows of a step take the place of one of the step before */
  g_assert_cmpuint (kept, >=, 6);
  gtk_window_destroy (GTK_WINDOW (win));
}

static void
read_text_done (GObject *source, GAsyncResult *result, gpointer data)
{
  char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  *(char **)data = text ? text : g_strdup ("(nothing)");
}

/* The hex view (lesson 30's Certificate, 1847 bytes in 116 lines): the lines read as
 * hl_hex_dump writes them; a step shapes only the lines in view, and a scroll draws the
 * lines it brings; a byte's box sits on its digits as Pango draws them, and a point maps
 * back to its byte; selecting a field marks its bytes and scrolls them into view, and the
 * field's menu copies them as one hex string. */
static void
test_hex_view (void)
{
  HlWindow *win = hl_test_open_lesson (app, "30-tls13-basic", 1400, 860);
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  HlHexView *hex;
  GtkAdjustment *v;
  /* lines shaped when drawn: no step made ahead, whose lines the inspector would shape
   * while idle (that is /inspector/hex-prepared) */
  hl_session_set_ahead_delay (hl_window_get_session (win), G_MAXINT);
  GBytes *bytes;
  g_autoptr (GString) dump = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  guint n_lines, shaped;
  gsize a, b, last_row;
  graphene_rect_t r;
  for (int i = 0; i < 5; i++)
    hl_test_act (win, "win.step");
  wait_for_frame (GTK_WIDGET (win));
  g_assert_true (g_str_has_prefix (hl_inspector_get_title (insp), "Step 5: Certificate"));
  hex = HL_HEX_VIEW (hl_inspector_get_hex_view (insp));
  bytes = hl_hex_view_get_bytes (hex);
  g_assert_nonnull (bytes);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 1000);
  hl_hex_dump (dump, bytes, TRUE);
  g_string_truncate (dump, dump->len - 1);
  lines = g_strsplit (dump->str, "\n", -1);
  n_lines = g_strv_length (lines);
  for (guint i = 0; i < n_lines; i++) {
    g_autofree char *text = hl_hex_view_get_line_text (hex, i);
    g_assert_cmpstr (text, ==, lines[i]);
  }
  g_assert_null (hl_hex_view_get_line_text (hex, n_lines));

  /* only what the pane shows was shaped */
  shaped = hl_hex_view_get_n_shaped (hex);
  g_assert_cmpuint (shaped, >, 3);
  g_assert_cmpuint (shaped, <, n_lines / 2);
  v = gtk_scrolled_window_get_vadjustment (
      GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (hex), GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_cmpuint (hl_hex_view_get_n_shaped (hex), >, shaped);
  screenshot (GTK_WIDGET (win), "inspector-hex-end.png");

  /* byte 0x25 (line 2, column 5): its box on its digits, and back */
  {
    g_autofree char *text = hl_hex_view_get_line_text (hex, 2);
    PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (hex), text);
    PangoRectangle pos;
    pango_layout_index_to_pos (layout, 6 + 5 * 3, &pos);
    g_assert_true (hl_hex_view_get_byte_rect (hex, 0x25, &r));
    g_assert_cmpfloat (fabs (r.origin.x - (6 + pos.x / (double)PANGO_SCALE)), <, 1.0);
    pango_layout_index_to_pos (layout, 6 + 5 * 3 + 2, &pos);
    g_assert_cmpfloat (fabs (r.origin.x + r.size.width - (6 + pos.x / (double)PANGO_SCALE)), <,
                       1.0);
    g_object_unref (layout);
  }
  g_assert_cmpint (hl_hex_view_get_byte_at (hex, r.origin.x + 1, r.origin.y + 1), ==, 0x25);
  g_assert_cmpint (hl_hex_view_get_byte_at (hex, 8, r.origin.y + 1), ==, -1); /* the offset */
  g_assert_false (hl_hex_view_get_byte_rect (hex, g_bytes_get_size (bytes), &r));

  /* the last field that has bytes: they are marked, the view on them */
  gtk_adjustment_set_value (v, 0);
  last_row = hl_inspector_get_n_rows (insp) - 1;
  while (last_row > 0 && hl_inspector_get_row_field (insp, last_row)->length == 0)
    last_row--;
  g_assert_cmpuint (hl_inspector_get_row_field (insp, last_row)->offset, >, 0x200);
  hl_inspector_select_row (insp, last_row);
  wait_for_frame (GTK_WIDGET (win));
  hl_hex_view_get_mark (hex, &a, &b);
  g_assert_cmpuint (a, ==, hl_inspector_get_row_field (insp, last_row)->offset);
  g_assert_cmpuint (b, ==, a + hl_inspector_get_row_field (insp, last_row)->length);
  g_assert_true (hl_hex_view_get_byte_rect (hex, a, &r));
  g_assert_cmpfloat (r.origin.y, >=, gtk_adjustment_get_value (v));
  g_assert_cmpfloat (r.origin.y + r.size.height, <=,
                     gtk_adjustment_get_value (v) + gtk_adjustment_get_page_size (v));
  screenshot (GTK_WIDGET (win), "inspector-hex-mark.png");

  /* its bytes copied from the field's menu, as one hex string */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (insp));
    const guint8 *d = g_bytes_get_data (bytes, NULL);
    g_autoptr (GString) want = g_string_new (NULL);
    char *got = NULL;
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    for (gsize i = a; i < b; i++)
      g_string_append_printf (want, "%02x", d[i]);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (insp), "field.copy", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, read_text_done, &got);
    while (!got && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpstr (got, ==, want->str);
    g_free (got);
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Every field of every step measures as tall as a one-line GtkLabel of it (the Fields
 * list's rows had one: the same markup, cut at the end), values with line breaks too. */
static void
check_field_heights (GtkWidget *box, const HlField *f, guint *n)
{
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *ours = hl_field_label_new ();
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>  %s", f->name, f->value);
  int want, got;
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  hl_field_label_set_field (HL_FIELD_LABEL (ours), f->name, f->value);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), ours);
  gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, 300, &want, NULL, NULL, NULL);
  gtk_widget_measure (ours, GTK_ORIENTATION_VERTICAL, 300, &got, NULL, NULL, NULL);
  if (got != want)
    g_error ("%s: %d px tall, a label %d px", hl_field_label_get_text (HL_FIELD_LABEL (ours)), got,
             want);
  /* Measuring never shapes the field's text. */
  g_assert_cmpuint (hl_field_label_get_n_shaped (HL_FIELD_LABEL (ours)), ==, 0);
  gtk_box_remove (GTK_BOX (box), label);
  gtk_box_remove (GTK_BOX (box), ours);
  (*n)++;
  for (guint i = 0; f->children && i < f->children->len; i++)
    check_field_heights (box, g_ptr_array_index (f->children, i), n);
}

/* The Fields list draws each field with an HlFieldLabel: as tall as the label it replaced,
 * shaped once when a step shows it, cut with an ellipsis at the row's end. */
static void
test_field_label (void)
{
  const char *lessons[] = { "10-mutual-tls.scenario", "34-tls13-early-data.scenario" };
  GtkWidget *holder = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  guint n = 0, multiline = 0;
  gtk_window_set_child (GTK_WINDOW (holder), box);
  for (guint k = 0; k < G_N_ELEMENTS (lessons); k++) {
    g_autoptr (HlScenario) sc = hl_test_load_bundled (lessons[k]);
    g_autoptr (HlRun) run = hl_test_run (sc);
    for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
      const HlStep *st = hl_run_get_step (run, i);
      for (guint j = 0; j < st->fields->len; j++) {
        const HlField *f = g_ptr_array_index (st->fields, j);
        multiline += strchr (f->value, '\n') != NULL;
        check_field_heights (box, f, &n);
      }
    }
  }
  g_test_message ("%u fields measured", n);
  g_assert_cmpuint (n, >, 500);
  g_assert_cmpuint (multiline, >, 0);
  gtk_window_destroy (GTK_WINDOW (holder));

  {
    HlWindow *win = open_window ("34-tls13-early-data");
    HlSession *s = hl_window_get_session (win);
    g_autoptr (GPtrArray) shown = NULL;
    g_autoptr (GArray) before = g_array_new (FALSE, FALSE, sizeof (guint));
    guint cut = 0;
    hl_session_select (s, 1);
    wait_for_frame (GTK_WIDGET (win));
    shown = assert_fields_shown (win);
    for (guint i = 0; i < shown->len; i++) {
      HlFieldLabel *l = HL_FIELD_LABEL (gtk_tree_expander_get_child (g_ptr_array_index (shown, i)));
      guint n_shaped = hl_field_label_get_n_shaped (l);
      g_array_append_val (before, n_shaped);
    }
    /* Another ClientHello, from the second connection: each row shapes its new text once
     * in the frame that shows it. */
    hl_session_select (s, 16);
    wait_for_frame (GTK_WIDGET (win));
    g_clear_pointer (&shown, g_ptr_array_unref);
    shown = assert_fields_shown (win);
    /* the step's text takes its own height, so the list may show a row more or less */
    g_assert_cmpuint (shown->len + 3, >=, before->len);
    for (guint i = 0; i < MIN (shown->len, before->len); i++) {
      HlFieldLabel *l = HL_FIELD_LABEL (gtk_tree_expander_get_child (g_ptr_array_index (shown, i)));
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (l), NULL);
      int width;
      g_assert_cmpuint (hl_field_label_get_n_shaped (l) - g_array_index (before, guint, i), <=, 1);
      /* A text wider than its row is cut (the row shows its start and an ellipsis). */
      pango_layout_set_markup (layout, hl_field_label_get_text (l), -1);
      pango_layout_get_pixel_size (layout, &width, NULL);
      cut += width > gtk_widget_get_width (GTK_WIDGET (l));
      g_object_unref (layout);
    }
    g_assert_cmpuint (cut, >, 0);
    screenshot (GTK_WIDGET (win), "inspector-field-labels.png");
    gtk_window_destroy (GTK_WINDOW (win));
  }
}

/* The step made ahead of time has its first lines of hex and its fields' texts shaped
 * while the window is idle: Step draws the Certificate's without shaping one. */
static void
test_hex_prepared (void)
{
  HlWindow *win = hl_test_open_lesson (app, "30-tls13-basic", 1400, 860);
  HlSession *s = hl_window_get_session (win);
  HlInspector *insp = HL_INSPECTOR (hl_window_get_inspector (win));
  HlHexView *hex = HL_HEX_VIEW (hl_inspector_get_hex_view (insp));
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint labels_shaped;
  for (int i = 0; i < 4; i++)
    hl_test_act (win, "win.step");
  while (g_get_monotonic_time () < end
         && (hl_session_is_working_ahead (s) || !hl_session_peek_made_step (s)))
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (hl_session_peek_made_step (s));
  labels_shaped = hl_field_label_get_n_shaped_total ();
  hl_test_act (win, "win.step");
  g_assert_true (g_str_has_prefix (hl_inspector_get_title (insp), "Step 5: Certificate"));
  g_assert_cmpuint (g_bytes_get_size (hl_hex_view_get_bytes (hex)), >, 1000);
  g_assert_cmpuint (hl_hex_view_get_n_shaped (hex), ==, 0);
  /* nor a field's text: the Fields list's rows took theirs, shaped ahead */
  g_assert_cmpuint (hl_field_label_get_n_shaped_total (), ==, labels_shaped);
  g_assert_cmpuint (hl_inspector_get_n_rows (insp), >, 2);
  g_ptr_array_unref (assert_fields_shown (win));
  /* lines past those prepared are shaped when scrolled to */
  {
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (
        GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (hex), GTK_TYPE_SCROLLED_WINDOW)));
    gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v));
    wait_for_frame (GTK_WIDGET (win));
    g_assert_cmpuint (hl_hex_view_get_n_shaped (hex), >, 3);
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The one row where the scrolled window draws differently with the step-text style than
 * without it, left of its scrollbar (an overlay scrollbar may come and go meanwhile); -1
 * if none differs, -2 if more than one row does. */
static int
row_drawn_by_style (GtkWidget *scroller)
{
  int width = gtk_widget_get_width (scroller), height = gtk_widget_get_height (scroller);
  int row = -1;
  g_autoptr (GBytes) with = NULL;
  g_autoptr (GBytes) without = NULL;
  const guchar *a, *b;
  wait_for_frame (scroller);
  with = hl_test_draw_widget (scroller);
  gtk_widget_remove_css_class (scroller, "step-text");
  wait_for_frame (scroller);
  without = hl_test_draw_widget (scroller);
  gtk_widget_add_css_class (scroller, "step-text");
  a = g_bytes_get_data (with, NULL);
  b = g_bytes_get_data (without, NULL);
  for (int y = 0; y < height; y++)
    if (memcmp (a + (gsize)y * width * 4, b + (gsize)y * width * 4, (width - 20) * 4)) {
      if (row != -1)
        return -2;
      row = y;
    }
  return row;
}

/* In a short window the step's text scrolls on its own, and a line marks the edge beyond
 * which more of it lies: at the bottom while it continues below, at the top once scrolled
 * to its end (the overlay scrollbar shows nothing until the pointer comes). */
/* A long value without spaces (a capture's recomputed 48-byte verify_data, 96 hex digits)
 * breaks inside the word: it widened the inspector by some 300 px and squeezed the ladder
 * (a teacher's trial). Every wrapping label of the step's text asks for no more than a
 * short line. */
static void
test_long_words_wrap (void)
{
  HlWindow *win = open_window ("01-rsa-key-exchange");
  GtkWidget *insp = hl_window_get_inspector (win);
  static const char *labels[]
      = { "title", "summary", "story", "record_key", "checks", "field_info" };
  g_autofree char *word = g_strnfill (120, 'a');
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++) {
    GtkLabel *label
        = GTK_LABEL (gtk_widget_get_template_child (insp, HL_TYPE_INSPECTOR, labels[i]));
    g_autofree char *before = g_strdup (gtk_label_get_label (label));
    int minimum = 0;
    g_assert_nonnull (label);
    gtk_label_set_text (label, word);
    gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                        NULL);
    if (minimum > 200)
      g_error ("the %s label asks for %d px for one long word", labels[i], minimum);
    gtk_label_set_label (label, before);
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

static void
test_step_text_edge (void)
{
  /* 1024 pixels wide: the inspector beside the ladder at its narrowest, so a long step's
   * text is taller than the 240 pixels the box gives it at most */
  HlWindow *win = hl_test_open_lesson (app, "30-tls13-basic", 1024, 700);
  HlSession *s = hl_window_get_session (win);
  GtkWidget *scroller
      = hl_test_find_css_class (GTK_WIDGET (hl_window_get_inspector (win)), "step-text");
  GtkAdjustment *v;
  g_assert_nonnull (scroller);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "message"));
  v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  /* a step whose text the box cannot show whole */
  do {
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
    wait_for_frame (GTK_WIDGET (win));
    g_test_message ("step %u: text %g tall, shown %g", hl_session_get_position (s),
                    gtk_adjustment_get_upper (v), gtk_adjustment_get_page_size (v));
  } while (gtk_adjustment_get_upper (v) - gtk_adjustment_get_page_size (v) < 10
           && hl_session_can_step (s));
  if (gtk_adjustment_get_upper (v) - gtk_adjustment_get_page_size (v) < 10)
    g_error ("every step's text fits its box: nothing to mark");
  /* the box is as tall as it may be (the text is not cut short of its room) */
  g_assert_cmpint (gtk_widget_get_height (scroller), ==,
                   gtk_scrolled_window_get_max_content_height (GTK_SCROLLED_WINDOW (scroller)));
  gtk_adjustment_set_value (v, 0);
  screenshot (GTK_WIDGET (win), "inspector-step-text-edge.png");
  g_assert_cmpint (row_drawn_by_style (scroller), ==, gtk_widget_get_height (scroller) - 1);
  gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v) - gtk_adjustment_get_page_size (v));
  g_assert_cmpint (row_drawn_by_style (scroller), ==, 0);
  /* the next step's text starts at its top, not where this one was scrolled to */
  g_assert_cmpfloat (gtk_adjustment_get_value (v), >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.step", NULL));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, gtk_adjustment_get_lower (v));
  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int argc, char **argv)
{
  int status;
  if (!hl_test_window_init (&argc, &argv, "inspector-artifacts", &artifacts, &app)) {
    g_print ("1..0 # SKIP no display\n");
    return 0;
  }
  g_test_add_func ("/inspector/record-key/tls13", test_tls13_keys);
  g_test_add_func ("/inspector/record-key/early", test_early_keys);
  g_test_add_func ("/inspector/record-key/tls12", test_tls12_keys);
  g_test_add_func ("/inspector/hidden", test_hidden);
  g_test_add_func ("/inspector/fields-kept", test_fields_kept);
  g_test_add_func ("/inspector/hex-view", test_hex_view);
  g_test_add_func ("/inspector/hex-prepared", test_hex_prepared);
  g_test_add_func ("/inspector/field-label", test_field_label);
  g_test_add_func ("/inspector/step-text-edge", test_step_text_edge);
  g_test_add_func ("/inspector/long-words-wrap", test_long_words_wrap);
  status = g_test_run ();
  g_object_unref (app);
  g_free (artifacts);
  return status;
}
