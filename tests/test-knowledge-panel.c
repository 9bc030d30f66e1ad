/* The knowledge panel ("What each side knows") under a display, driven through the
 * window's actions: a step adds rows only for what is new and keeps every other row
 * widget, Back removes exactly the rows of the step taken back, Run to End is one
 * update, a hidden panel does nothing until shown, and after each of these the panel
 * shows what a panel built from scratch on a fresh session shows. The model's
 * items-changed emissions are checked against the lines that really changed. */
#include <string.h>

#include "hl-application.h"
#include "hl-copy-button.h"
#include "hl-knowledge-panel-private.h"
#include "hl-knowledge-row.h"
#include "hl-test-util.h"
#include "hl-window-private.h"
#include "hl-test-window.h"

/* The shared helpers (hl-test-window.c), under this file's names. */
#define wait_for_frame(w) hl_test_wait_for_frame (w)

static HlApplication *app;
static char *artifacts; /* knowledge-artifacts/, under the directory the test runs in */

static char *
lesson_path (const char *lesson)
{
  g_autofree char *file = g_strconcat ("scenarios/", lesson, ".scenario", NULL);
  return hl_test_source_path (file);
}

#define open_window(lesson) hl_test_open_lesson (app, (lesson), 1400, 860)

/* A layout shows text: the same characters, break opportunities (zero-width spaces) aside. */
static void
assert_shows (PangoLayout *layout, const char *text)
{
  g_autoptr (GString) shown = g_string_new (pango_layout_get_text (layout));
  g_string_replace (shown, "\u200b", "", 0);
  g_assert_cmpstr (shown->str, ==, text);
}

#define act(win, action) hl_test_act ((win), (action))

static void
show_page (HlWindow *win, const char *page)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", page));
  wait_for_frame (GTK_WIDGET (win));
}

static HlKnowledgePanel *
panel_of (HlWindow *win)
{
  return HL_KNOWLEDGE_PANEL (hl_window_get_knowledge (win));
}

/* ---------- What the panel shows, read from its widgets ---------- */

static void
dump_widget (GtkWidget *w, GString *out)
{
  if (!gtk_widget_get_visible (w))
    return;
  if (ADW_IS_PREFERENCES_GROUP (w))
    g_string_append_printf (out, "group %s\n",
                            adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (w)));
  if (HL_IS_KNOWLEDGE_ROW (w) && !GTK_IS_LIST_BOX_ROW (gtk_widget_get_parent (w)))
    g_string_append_printf (out, "description %s\n",
                            hl_knowledge_row_get_title (HL_KNOWLEDGE_ROW (w)));
  if (GTK_IS_LIST_BOX_ROW (w)) {
    HlKnowledgeRow *text = HL_KNOWLEDGE_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (w)));
    const char *tip = hl_knowledge_panel_get_row_tooltip (w);
    g_assert_true (gtk_widget_get_has_tooltip (w) == (tip != NULL));
    g_string_append_printf (out, "row %s | %s | %s\n", hl_knowledge_row_get_title (text),
                            hl_knowledge_row_get_subtitle (text), tip ? tip : "-");
  }
  if (GTK_IS_BUTTON (w)) {
    /* What the copy button puts on the clipboard. */
    GdkClipboard *clipboard = gtk_widget_get_clipboard (w);
    GValue v = G_VALUE_INIT;
    g_signal_emit_by_name (w, "clicked");
    g_value_init (&v, G_TYPE_STRING);
    g_assert_true (
        gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &v, NULL));
    g_string_append_printf (out, "button %s %s flat %d copies %s\n", G_OBJECT_TYPE_NAME (w),
                            HL_IS_COPY_BUTTON (w) ? hl_copy_button_get_tooltip (HL_COPY_BUTTON (w))
                                                  : gtk_widget_get_tooltip_text (w),
                            gtk_widget_has_css_class (w, "flat"), g_value_get_string (&v));
    g_value_unset (&v);
  }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    dump_widget (c, out);
}

static char *
dump_panel (HlKnowledgePanel *panel)
{
  GString *out = g_string_new (NULL);
  dump_widget (GTK_WIDGET (panel), out);
  return g_string_free (out, FALSE);
}

/* The same lesson at the same step in a new session, shown by a new panel: what a full
 * rebuild shows. */
static char *
dump_rebuilt (HlSession *s)
{
  g_autoptr (HlSession) fresh = hl_session_new ();
  g_autoptr (GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = g_object_new (HL_TYPE_KNOWLEDGE_PANEL, NULL);
  char *text;
  g_assert_true (hl_session_load (fresh, hl_session_get_file (s), &error));
  g_assert_no_error (error);
  while (hl_session_get_position (fresh) < hl_session_get_position (s))
    g_assert_true (hl_session_step (fresh));
  hl_session_select (fresh, hl_session_get_selected (s));
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 860);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  hl_knowledge_panel_set_session (HL_KNOWLEDGE_PANEL (panel), fresh);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);
  text = dump_panel (HL_KNOWLEDGE_PANEL (panel));
  gtk_window_destroy (GTK_WINDOW (window));
  return text;
}

static void
assert_as_rebuilt (HlWindow *win)
{
  g_autofree char *shown = dump_panel (panel_of (win));
  g_autofree char *rebuilt = dump_rebuilt (hl_window_get_session (win));
  g_assert_cmpstr (shown, ==, rebuilt);
  /* Each side's description is its model's, shown (a rebuilt panel could share a fault). */
  for (int side = 0; side < 2; side++) {
    HlKnowledgeModel *m = hl_session_get_knowledge_model (hl_window_get_session (win), side);
    GtkWidget *d = panel_of (win)->description[side];
    const char *want = hl_knowledge_model_get_description (m);
    g_assert_cmpstr (hl_knowledge_row_get_title (HL_KNOWLEDGE_ROW (d)), ==, want);
    g_assert_true (gtk_widget_get_visible (d) == (want && *want));
  }
  if (hl_session_get_selected (hl_window_get_session (win)))
    g_assert_nonnull (strstr (shown, "row "));
}

/* ---------- Rows and model entries, by key ---------- */

typedef struct {
  GHashTable *row[2];     /* key -> row widget shown */
  GHashTable *entry[2];   /* key -> HlKnowledgeEntry in the model */
  GHashTable *layouts[2]; /* key -> how many times its row laid out a text */
  guint rows_made, rows_retaken;
} Snapshot;

static const char *
row_key (GtkWidget *row)
{
  return hl_knowledge_entry_get_key (g_object_get_data (G_OBJECT (row), "hl-entry"));
}

static void
take_snapshot (HlWindow *win, Snapshot *snap)
{
  HlKnowledgePanel *panel = panel_of (win);
  for (int side = 0; side < 2; side++) {
    GListModel *model
        = G_LIST_MODEL (hl_session_get_knowledge_model (hl_window_get_session (win), side));
    GtkWidget *row;
    snap->row[side] = g_hash_table_new (g_str_hash, g_str_equal);
    snap->entry[side] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
    snap->layouts[side] = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint i = 0; (row = hl_knowledge_panel_get_row (panel, side, i)); i++) {
      g_hash_table_insert (snap->row[side], (gpointer)row_key (row), row);
      g_hash_table_insert (snap->layouts[side], (gpointer)row_key (row),
                           GUINT_TO_POINTER (hl_knowledge_row_get_n_layouts (HL_KNOWLEDGE_ROW (
                               gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))))));
    }
    for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
      HlKnowledgeEntry *e = g_list_model_get_item (model, i);
      g_hash_table_insert (snap->entry[side], (gpointer)hl_knowledge_entry_get_key (e), e);
    }
  }
  snap->rows_made = hl_knowledge_panel_get_rows_made (panel);
  snap->rows_retaken = hl_knowledge_panel_get_rows_retaken (panel);
}

static void
clear_snapshot (Snapshot *snap)
{
  for (int side = 0; side < 2; side++) {
    g_hash_table_unref (snap->row[side]);
    g_hash_table_unref (snap->entry[side]);
    g_hash_table_unref (snap->layouts[side]);
  }
}

typedef struct {
  guint emissions[2], added[2], removed[2];
} Emissions;

static void
on_items_changed (GListModel *model, guint pos, guint removed, guint added, Emissions *e)
{
  HlSide side = hl_knowledge_model_get_side (HL_KNOWLEDGE_MODEL (model));
  e->emissions[side]++;
  e->added[side] += added;
  e->removed[side] += removed;
}

static void
watch (HlWindow *win, Emissions *e)
{
  memset (e, 0, sizeof *e);
  for (int side = 0; side < 2; side++)
    g_signal_connect (hl_session_get_knowledge_model (hl_window_get_session (win), side),
                      "items-changed", G_CALLBACK (on_items_changed), e);
}

static void
unwatch (HlWindow *win, Emissions *e)
{
  for (int side = 0; side < 2; side++)
    g_signal_handlers_disconnect_by_data (
        hl_session_get_knowledge_model (hl_window_get_session (win), side), e);
}

/* Checks the change from `before` to the panel now: rows of keys that stayed are the same
 * widgets, one row was given per new key (a new one, or one of a key that went, in its
 * place) and none for the others, rows of keys that went are gone, and the model reported exactly
 * the entries that are new, gone or changed. Returns the number of new keys. */
static guint
check_incremental (HlWindow *win, Snapshot *before, Emissions *e)
{
  Snapshot after;
  guint new_keys = 0;
  take_snapshot (win, &after);
  for (int side = 0; side < 2; side++) {
    GHashTableIter it;
    gpointer key, value;
    guint fresh = 0, gone = 0, changed = 0;
    g_assert_cmpuint (g_hash_table_size (after.row[side]), ==,
                      g_hash_table_size (after.entry[side]));
    g_hash_table_iter_init (&it, after.entry[side]);
    while (g_hash_table_iter_next (&it, &key, &value)) {
      HlKnowledgeEntry *old = g_hash_table_lookup (before->entry[side], key);
      GtkWidget *row = g_hash_table_lookup (after.row[side], key);
      g_assert_nonnull (row);
      g_assert_true (g_object_get_data (G_OBJECT (row), "hl-entry") == value);
      /* and draws that entry's text */
      g_assert_cmpstr (hl_knowledge_row_get_title (
                           HL_KNOWLEDGE_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)))),
                       ==, hl_knowledge_entry_get_title (value));
      g_assert_cmpstr (hl_knowledge_row_get_subtitle (
                           HL_KNOWLEDGE_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)))),
                       ==, hl_knowledge_entry_get_subtitle (value));
      if (!old) {
        fresh++;
        continue;
      }
      if (old != value) {
        g_assert_false (hl_knowledge_entry_equal (old, value)); /* no change reported twice */
        changed++;
      }
      /* The row of a key that stayed is the same widget. */
      if (g_hash_table_lookup (before->row[side], key) != row)
        g_error ("side %d, step %u: the row of %s was made again", side,
                 hl_session_get_selected (hl_window_get_session (win)), (char *)key);
      /* and lays out again only a text that changed: an unchanged row none, a changed
       * one at most its title and subtitle (the panel's width is the same). */
      if (GPOINTER_TO_UINT (g_hash_table_lookup (after.layouts[side], key))
          > GPOINTER_TO_UINT (g_hash_table_lookup (before->layouts[side], key))
                + (old == value ? 0 : 2))
        g_error ("side %d, step %u: the row of %s laid out its text %u times, before %u", side,
                 hl_session_get_selected (hl_window_get_session (win)), (char *)key,
                 GPOINTER_TO_UINT (g_hash_table_lookup (after.layouts[side], key)),
                 GPOINTER_TO_UINT (g_hash_table_lookup (before->layouts[side], key)));
    }
    g_hash_table_iter_init (&it, before->entry[side]);
    while (g_hash_table_iter_next (&it, &key, &value))
      if (!g_hash_table_contains (after.entry[side], key))
        gone++;
    g_assert_cmpuint (e->added[side], ==, fresh + changed);
    g_assert_cmpuint (e->removed[side], ==, gone + changed);
    new_keys += fresh;
  }
  g_assert_cmpuint (after.rows_made - before->rows_made + after.rows_retaken - before->rows_retaken,
                    ==, new_keys);
  clear_snapshot (&after);
  return new_keys;
}

/* ---------- The cases ---------- */

/* "client:KEY" and "server:KEY" for every row shown. */
static GHashTable *
row_keys (Snapshot *snap)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int side = 0; side < 2; side++) {
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init (&it, snap->row[side]);
    while (g_hash_table_iter_next (&it, &key, NULL))
      g_hash_table_add (keys, g_strdup_printf ("%s:%s", side ? "server" : "client", (char *)key));
  }
  return keys;
}

/* Every step of a TLS 1.3 lesson with a second connection, then Back over each. */
static void
test_step_and_back (void)
{
  HlWindow *win = open_window ("33-tls13-psk-resumption");
  HlSession *s = hl_window_get_session (win);
  GPtrArray *keys_before = g_ptr_array_new_with_free_func ((GDestroyNotify)g_hash_table_unref);
  guint new_total = 0;
  show_page (win, "knowledge");
  while (hl_session_can_step (s)) {
    Snapshot before;
    Emissions e;
    take_snapshot (win, &before);
    g_ptr_array_add (keys_before, row_keys (&before));
    watch (win, &e);
    act (win, "win.step");
    unwatch (win, &e);
    new_total += check_incremental (win, &before, &e);
    assert_as_rebuilt (win);
    clear_snapshot (&before);
  }
  g_assert_cmpuint (new_total, >, 10);
  /* Back removes exactly the rows of the step taken back; the others stay as they are. */
  while (hl_session_can_go_back (s)) {
    Snapshot before;
    Emissions e;
    GHashTable *expected = g_ptr_array_steal_index (keys_before, keys_before->len - 1);
    GHashTable *now;
    GHashTableIter it;
    gpointer key;
    take_snapshot (win, &before);
    watch (win, &e);
    act (win, "win.back");
    unwatch (win, &e);
    check_incremental (win, &before, &e);
    clear_snapshot (&before);
    take_snapshot (win, &before);
    now = row_keys (&before);
    g_assert_cmpuint (g_hash_table_size (now), ==, g_hash_table_size (expected));
    g_hash_table_iter_init (&it, expected);
    while (g_hash_table_iter_next (&it, &key, NULL))
      g_assert_true (g_hash_table_contains (now, key));
    clear_snapshot (&before);
    g_hash_table_unref (now);
    g_hash_table_unref (expected);
    if (hl_session_get_position (s) % 4 == 0)
      assert_as_rebuilt (win);
  }
  g_ptr_array_unref (keys_before);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Run to End from the start is one update of each side, and each row is made once. */
static void
test_run_to_end (void)
{
  HlWindow *win = open_window ("34-tls13-early-data");
  Snapshot before;
  Emissions e;
  show_page (win, "knowledge");
  take_snapshot (win, &before);
  watch (win, &e);
  act (win, "win.run-to-end");
  unwatch (win, &e);
  g_assert_cmpuint (hl_session_get_position (hl_window_get_session (win)), >, 20);
  for (int side = 0; side < 2; side++)
    g_assert_cmpuint (e.emissions[side], ==, 1);
  g_assert_cmpuint (check_incremental (win, &before, &e), >, 20);
  assert_as_rebuilt (win);
  clear_snapshot (&before);
  /* Selecting an earlier step changes the rows in place too. */
  take_snapshot (win, &before);
  watch (win, &e);
  hl_session_select (hl_window_get_session (win), 9);
  wait_for_frame (GTK_WIDGET (win));
  unwatch (win, &e);
  check_incremental (win, &before, &e); /* only keys step 9 has and 29 lacks are made */
  assert_as_rebuilt (win);
  clear_snapshot (&before);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A text both sides show is laid out once, at the width both sides get: the two rows draw
 * the same layout (issue 17: shaping is most of a new row's cost), and a shared layout
 * is never changed under the other row (each still draws its own text). */
static void
test_shared_layouts (void)
{
  HlWindow *win = open_window ("30-tls13-basic");
  HlKnowledgePanel *panel = panel_of (win);
  guint shared = 0;
  show_page (win, "knowledge");
  for (int i = 0; i < 4; i++) {
    act (win, "win.step");
    for (int side = 0; side < 2; side++) {
      GtkWidget *row;
      for (guint r = 0; (row = hl_knowledge_panel_get_row (panel, side, r)); r++) {
        HlKnowledgeRow *text
            = HL_KNOWLEDGE_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
        PangoLayout *layout = hl_knowledge_row_get_layout (text, 1);
        GtkWidget *other;
        if (!layout)
          continue;
        assert_shows (layout, hl_knowledge_row_get_subtitle (text));
        if (side == 1)
          continue;
        for (guint o = 0; (other = hl_knowledge_panel_get_row (panel, 1, o)); o++) {
          HlKnowledgeRow *t
              = HL_KNOWLEDGE_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (other)));
          if (g_strcmp0 (hl_knowledge_row_get_subtitle (t), hl_knowledge_row_get_subtitle (text)))
            continue;
          g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (t)), ==,
                           gtk_widget_get_width (GTK_WIDGET (text)));
          g_assert_true (hl_knowledge_row_get_layout (t, 1) == layout);
          shared++;
        }
      }
    }
  }
  g_assert_cmpuint (shared, >, 10);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Rows are made ahead while the window is idle, enough for the longest lesson: Run to End
 * and the steps after Restart take them and make none while the student waits (issue 17:
 * a row costs about as much as its text to make; with 32 ahead, Run to End made 32). */
static void
test_rows_ahead (void)
{
  HlWindow *win = open_window ("34-tls13-early-data");
  HlKnowledgePanel *panel = panel_of (win);
  HlSession *s = hl_window_get_session (win);
  guint built, steps = 0;
  show_page (win, "knowledge");
  while (panel->spare_source) /* idle: the rows ahead are made */
    g_main_context_iteration (NULL, TRUE);
  built = hl_knowledge_panel_get_rows_built (panel);
  for (int pass = 0; pass < 2; pass++) {
    act (win, "win.run-to-end");
    g_assert_true (hl_session_get_finished (s));
    g_assert_nonnull (hl_knowledge_panel_get_row (panel, HL_SIDE_CLIENT, 10));
    act (win, "win.restart");
  }
  while (hl_session_can_step (s)) {
    act (win, "win.step");
    steps++;
  }
  g_assert_cmpuint (steps, >, 20);
  g_assert_cmpuint (hl_knowledge_panel_get_rows_built (panel), ==, built);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Checks every row of the panel against the view of its scrolled window: a row whose
 * height is an estimate lies wholly below the view; any other row has laid out its own
 * texts. Returns how many rows are estimated. */
static guint
check_rows_against_view (HlKnowledgePanel *panel)
{
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (panel), GTK_TYPE_SCROLLED_WINDOW);
  int view = gtk_widget_get_height (sw);
  guint estimated = 0;
  g_assert_cmpint (view, >, 0);
  for (int side = 0; side < 2; side++) {
    GtkWidget *row;
    for (guint r = 0; (row = hl_knowledge_panel_get_row (panel, side, r)); r++) {
      HlKnowledgeRow *text = HL_KNOWLEDGE_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
      graphene_rect_t b;
      g_assert_true (gtk_widget_compute_bounds (row, sw, &b));
      if (hl_knowledge_row_is_estimated (text)) {
        g_assert_cmpfloat (b.origin.y, >=, view);
        estimated++;
      } else {
        PangoLayout *title = hl_knowledge_row_get_layout (text, 0);
        g_assert_nonnull (title);
        /* Allocated its texts' height, not an estimate's (too short cuts them). */
        g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (text)), ==,
                         hl_knowledge_row_get_text_height (text));
        assert_shows (title, hl_knowledge_row_get_title (text));
        if (hl_knowledge_row_get_subtitle (text) && *hl_knowledge_row_get_subtitle (text))
          assert_shows (hl_knowledge_row_get_layout (text, 1),
                        hl_knowledge_row_get_subtitle (text));
      }
    }
  }
  return estimated;
}

/* A step that adds many rows (a TLS 1.3 server learns 25 secrets from the ClientHello)
 * lays out in its frame only the rows in view and half a page below; the others follow
 * while the window is idle, and a row scrolled to is laid out (issue 17). */
static void
test_deferred_rows (void)
{
  HlWindow *win = open_window ("34-tls13-early-data");
  HlKnowledgePanel *panel = panel_of (win);
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (panel), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  show_page (win, "knowledge");
  hl_test_act_to_first_frame (win, "win.step");
  g_assert_nonnull (hl_knowledge_panel_get_row (panel, HL_SIDE_SERVER, 20));
  g_assert_cmpuint (check_rows_against_view (panel), >, 5);
  g_assert_true (hl_knowledge_panel_is_laying_out (panel));
  while (hl_knowledge_panel_is_laying_out (panel) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  wait_for_frame (GTK_WIDGET (win));
  g_assert_cmpuint (check_rows_against_view (panel), ==, 0);
  /* The height the panel was given is the rows' real one: the last row ends where a
   * panel built from scratch ends it. */
  gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v));
  wait_for_frame (GTK_WIDGET (win));
  g_assert_cmpuint (check_rows_against_view (panel), ==, 0);
  assert_as_rebuilt (win);
  /* Back and forward again from the bottom of the list: the rows in view are laid out. */
  act (win, "win.back");
  hl_test_act_to_first_frame (win, "win.step");
  check_rows_against_view (panel);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A deferred row answers an estimate and draws no text; laid out, it asks for its real
 * height. The texts are chosen so that the estimate (the font's average width) is wrong:
 * narrow letters wrap into fewer lines than average ones would. */
static void
test_row_laid_out_later (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  HlKnowledgeRow *row = HL_KNOWLEDGE_ROW (hl_knowledge_row_new ());
  g_autofree char *narrow = g_strnfill (300, 'i');
  int estimate;
  hl_knowledge_row_set_title (row, "Server handshake traffic secret");
  hl_knowledge_row_set_subtitle (row, narrow);
  hl_knowledge_row_set_deferred (row, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 600);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);
  g_assert_true (hl_knowledge_row_is_estimated (row));
  g_assert_null (hl_knowledge_row_get_layout (row, 0)); /* nothing shaped */
  estimate = gtk_widget_get_height (GTK_WIDGET (row));
  g_assert_true (hl_knowledge_row_lay_out (row));
  g_assert_false (hl_knowledge_row_is_estimated (row));
  g_assert_false (hl_knowledge_row_lay_out (row)); /* nothing left to do */
  wait_for_frame (window);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (row)), ==,
                   hl_knowledge_row_get_text_height (row));
  g_assert_cmpint (estimate, !=, hl_knowledge_row_get_text_height (row));
  /* Not deferred, a changed text is laid out at once. */
  hl_knowledge_row_set_deferred (row, FALSE);
  hl_knowledge_row_set_subtitle (row, "0102");
  wait_for_frame (window);
  g_assert_false (hl_knowledge_row_is_estimated (row));
  g_assert_cmpstr (pango_layout_get_text (hl_knowledge_row_get_layout (row, 1)), ==, "0102");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A narrow row breaks a long name at its underscores and a field's name at its dot, never
 * inside a part ("AES_1" / "28_GCM"), and draws no hyphen where it breaks (a phone-sized
 * window showed "ClientHello.ra-" / "ndom"). */
static void
test_row_breaks_names (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  HlKnowledgeRow *row = HL_KNOWLEDGE_ROW (hl_knowledge_row_new ());
  PangoLayout *layout;
  const char *text;
  int n_lines;
  hl_knowledge_row_set_title (row, "Negotiated");
  hl_knowledge_row_set_subtitle (row, "TLS 1.2, TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c), picked "
                                      "for this connection (ClientHello.random)");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 150, 400);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);
  layout = hl_knowledge_row_get_layout (row, 1);
  g_assert_nonnull (layout);
  text = pango_layout_get_text (layout);
  n_lines = pango_layout_get_line_count (layout);
  g_assert_cmpint (n_lines, >, 3);
  for (int i = 1; i < n_lines; i++) {
    PangoLayoutLine *line = pango_layout_get_line_readonly (layout, i);
    const char *at = text + line->start_index;
    g_autofree char *before = g_strndup (text, line->start_index);
    g_test_message ("line %d starts \"%.12s\"", i, at);
    /* each line begins after a space or a break opportunity, not inside a word */
    g_assert_true (g_str_has_suffix (before, " ") || g_str_has_suffix (before, "\u200b"));
  }
  {
    /* no hyphen is drawn at a break: the attribute says so */
    PangoAttrList *attrs = pango_layout_get_attributes (layout);
    PangoAttrIterator *it = pango_attr_list_get_iterator (attrs);
    PangoAttrInt *hyphens = (PangoAttrInt *)pango_attr_iterator_get (it, PANGO_ATTR_INSERT_HYPHENS);
    g_assert_nonnull (hyphens);
    g_assert_false (hyphens->value);
    pango_attr_iterator_destroy (it);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Hidden, the panel makes and changes nothing; shown again, it catches up by key. */
static void
test_hidden (void)
{
  HlWindow *win = open_window ("30-tls13-basic");
  HlKnowledgePanel *panel = panel_of (win);
  Snapshot before, hidden;
  Emissions e;
  g_autofree char *shown_before = NULL;
  g_autofree char *shown_hidden = NULL;
  show_page (win, "knowledge");
  act (win, "win.step");
  act (win, "win.step");
  take_snapshot (win, &before);
  shown_before = dump_panel (panel);
  show_page (win, "message");
  watch (win, &e);
  for (int i = 0; i < 3; i++)
    act (win, "win.step");
  take_snapshot (win, &hidden);
  g_assert_cmpuint (hidden.rows_made, ==, before.rows_made);
  shown_hidden = dump_panel (panel);
  g_assert_cmpstr (shown_hidden, ==, shown_before);
  show_page (win, "knowledge");
  unwatch (win, &e);
  g_assert_cmpuint (check_incremental (win, &before, &e), >, 0);
  assert_as_rebuilt (win);
  clear_snapshot (&before);
  clear_snapshot (&hidden);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* A lesson that fails (the client stops) and one loaded over another. */
static void
test_failure_and_reload (void)
{
  HlWindow *win = open_window ("14-untrusted-ca");
  g_autofree char *other = lesson_path ("01-rsa-key-exchange");
  show_page (win, "knowledge");
  act (win, "win.run-to-end");
  assert_as_rebuilt (win);
  g_assert_true (hl_window_load (win, other));
  wait_for_frame (GTK_WIDGET (win));
  act (win, "win.step");
  assert_as_rebuilt (win);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Run to End shows the busy state (the header's spinner, a progress pointer) in a frame
 * painted before the run blocks the main loop, and clears it after. */
typedef struct {
  HlWindow *win;
  gboolean seen;
  guint position;
  gboolean spinning;
} BusyFrame;

static void
on_busy_frame (GdkFrameClock *clock, BusyFrame *b)
{
  GdkPaintable *p;
  GtkSnapshot *snap;
  GskRenderNode *node;
  GdkTexture *texture;
  g_autofree char *path = NULL;
  if (b->seen)
    return;
  b->seen = TRUE;
  b->position = hl_session_get_position (hl_window_get_session (b->win));
  b->spinning = gtk_widget_get_mapped (GTK_WIDGET (b->win->busy_spinner))
                && gtk_spinner_get_spinning (b->win->busy_spinner);
  /* The frame as painted, to look at. */
  path = g_build_filename (artifacts, "knowledge-panel-busy.png", NULL);
  p = gtk_widget_paintable_new (GTK_WIDGET (b->win));
  snap = gtk_snapshot_new ();
  gdk_paintable_snapshot (p, snap, gtk_widget_get_width (GTK_WIDGET (b->win)),
                          gtk_widget_get_height (GTK_WIDGET (b->win)));
  node = gtk_snapshot_free_to_node (snap);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (b->win)), node, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (p);
}

static void
test_busy (void)
{
  HlWindow *win = open_window ("34-tls13-early-data");
  BusyFrame b = { win, FALSE, 0, FALSE };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  show_page (win, "knowledge");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (win->busy_spinner)));
  /* Connected before the action: it sees the first frame before the run starts. */
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_busy_frame), &b);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.run-to-end", NULL));
  g_assert_nonnull (gtk_widget_get_cursor (GTK_WIDGET (win)));
  g_assert_cmpstr (gdk_cursor_get_name (gtk_widget_get_cursor (GTK_WIDGET (win))), ==, "progress");
  wait_for_frame (GTK_WIDGET (win));
  g_signal_handlers_disconnect_by_data (clock, &b);
  g_assert_true (b.seen);
  g_assert_cmpuint (b.position, ==, 0);
  g_assert_true (b.spinning);
  g_assert_true (hl_session_get_finished (hl_window_get_session (win)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (win->busy_spinner)));
  g_assert_null (gtk_widget_get_cursor (GTK_WIDGET (win)));
  {
    /* The second Run to End shows the same cursor object: a new one made GDK load the
     * cursor theme's file again (about 6 M instructions each time, issue 17). */
    GdkCursor *first = win->busy_cursor;
    g_assert_nonnull (first);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.restart", NULL));
    wait_for_frame (GTK_WIDGET (win));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.run-to-end", NULL));
    g_assert_true (gtk_widget_get_cursor (GTK_WIDGET (win)) == first);
    wait_for_frame (GTK_WIDGET (win));
    g_assert_true (hl_session_get_finished (hl_window_get_session (win)));
    g_assert_null (gtk_widget_get_cursor (GTK_WIDGET (win)));
  }
  gtk_window_destroy (GTK_WINDOW (win));
}

/* Runs the main loop until nothing is left to do: the session makes the next step ahead
 * of time and the panel shapes its texts. */
static void
drain_idle (HlWindow *win)
{
  HlSession *s = hl_window_get_session (win);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end && hl_session_is_working_ahead (s))
    g_main_context_iteration (NULL, TRUE);
  while (g_get_monotonic_time () < end && g_main_context_iteration (NULL, FALSE))
    ;
}

/* Once the session has made the next step while idle, the panel shapes that step's texts
 * too: the step's own frame shapes none, and still shows what a panel rebuilt from scratch
 * shows. A changed message (no step made ahead for it) is shaped in its frame. */
static void
test_next_texts_prepared (void)
{
  HlWindow *win = open_window ("30-tls13-basic");
  HlSession *session = hl_window_get_session (win);
  HlNextMessage next;
  g_autoptr (GBytes) changed = NULL;
  guint8 *bytes;
  gsize len;
  guint shaped, made;
  show_page (win, "knowledge");
  act (win, "win.step"); /* rows on both sides: the width a row gets is known */
  drain_idle (win);
  for (int i = 0; i < 2; i++) {
    /* The ClientHello's delivery (the server learns some 20 values), then the next. */
    if (i == 0) {
      act (win, "win.restart");
      drain_idle (win);
    }
    g_assert_nonnull (hl_session_peek_made_step (session));
    shaped = hl_knowledge_row_get_n_shaped_by_rows ();
    made = hl_knowledge_panel_get_rows_made (panel_of (win));
    act (win, "win.step");
    g_assert_cmpuint (hl_knowledge_panel_get_rows_made (panel_of (win)), >, made);
    g_assert_cmpuint (hl_knowledge_row_get_n_shaped_by_rows (), ==, shaped);
    drain_idle (win);
    assert_as_rebuilt (win);
  }
  /* The same step with its ClientHello's random changed: shaped in its frame. */
  act (win, "win.restart");
  drain_idle (win);
  g_assert_true (hl_session_peek_next (session, &next));
  bytes = g_bytes_unref_to_data (g_bytes_ref (next.wire), &len);
  bytes[20] ^= 0x01; /* in the random (record header 5, handshake header 4, version 2) */
  changed = g_bytes_new_take (bytes, len);
  hl_session_tamper_next (session, changed);
  drain_idle (win);
  g_assert_null (hl_session_peek_made_step (session));
  shaped = hl_knowledge_row_get_n_shaped_by_rows ();
  act (win, "win.step");
  g_assert_cmpuint (hl_knowledge_row_get_n_shaped_by_rows (), >, shaped);
  gtk_window_destroy (GTK_WINDOW (win));
}

static void
mark_painted (gboolean *painted)
{
  *painted = TRUE;
}

/* The rows in a side's list box, hidden ones too. */
static guint
count_list_rows (HlWindow *win, HlSide side)
{
  GtkWidget *first = hl_knowledge_panel_get_row (panel_of (win), side, 0);
  GtkWidget *list = first ? gtk_widget_get_parent (first) : NULL;
  guint n = 0;
  for (GtkWidget *c = list ? gtk_widget_get_first_child (list) : NULL; c;
       c = gtk_widget_get_next_sibling (c))
    n += GTK_IS_LIST_BOX_ROW (c);
  return n;
}

/* Lesson 34's second connection starts with step 16: the client's rows change keys, and
 * rows of keys that went are given new keys in place (issue 17), the panel still showing
 * what a rebuilt one shows. */
static void
test_rows_retaken (void)
{
  HlWindow *win = open_window ("34-tls13-early-data");
  HlSession *s = hl_window_get_session (win);
  Snapshot before;
  Emissions e;
  guint retaken, listed_in_frame, shown_in_frame;
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;
  show_page (win, "knowledge");
  act (win, "win.run-to-end");
  hl_session_select (s, 15);
  wait_for_frame (GTK_WIDGET (win));
  take_snapshot (win, &before);
  retaken = hl_knowledge_panel_get_rows_retaken (panel_of (win));
  watch (win, &e);
  /* to the first frame after selecting step 16, no further */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (mark_painted), &painted);
  hl_session_select (s, 16);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  listed_in_frame = count_list_rows (win, HL_SIDE_CLIENT);
  shown_in_frame = hl_knowledge_panel_list_rows (panel_of (win), HL_SIDE_CLIENT)->len;
  unwatch (win, &e);
  check_incremental (win, &before, &e);
  assert_as_rebuilt (win);
  /* (the client's 8 new keys: 4 take rows in place, when this was written) */
  g_assert_cmpuint (hl_knowledge_panel_get_rows_retaken (panel_of (win)) - retaken, >, 0);
  /* Rows of keys that went are hidden in the step's frame and taken out of the list box
   * after it, when idle. */
  g_assert_cmpuint (listed_in_frame, >, shown_in_frame);
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (count_list_rows (win, HL_SIDE_CLIENT)
               != hl_knowledge_panel_list_rows (panel_of (win), HL_SIDE_CLIENT)->len
           && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (count_list_rows (win, HL_SIDE_CLIENT), ==,
                    hl_knowledge_panel_list_rows (panel_of (win), HL_SIDE_CLIENT)->len);
  assert_as_rebuilt (win);
  clear_snapshot (&before);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The blurred shadows drawn in node, by walking the node tree. */
static guint
count_blurred_shadows (GskRenderNode *node)
{
  guint n = 0;
  switch (gsk_render_node_get_node_type (node)) {
  case GSK_CONTAINER_NODE:
    for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
      n += count_blurred_shadows (gsk_container_node_get_child (node, i));
    return n;
  case GSK_OUTSET_SHADOW_NODE:
    return gsk_outset_shadow_node_get_blur_radius (node) > 0;
  case GSK_TRANSFORM_NODE:
    return count_blurred_shadows (gsk_transform_node_get_child (node));
  case GSK_CLIP_NODE:
    return count_blurred_shadows (gsk_clip_node_get_child (node));
  case GSK_ROUNDED_CLIP_NODE:
    return count_blurred_shadows (gsk_rounded_clip_node_get_child (node));
  case GSK_OPACITY_NODE:
    return count_blurred_shadows (gsk_opacity_node_get_child (node));
  case GSK_COLOR_MATRIX_NODE:
    return count_blurred_shadows (gsk_color_matrix_node_get_child (node));
  case GSK_DEBUG_NODE:
    return count_blurred_shadows (gsk_debug_node_get_child (node));
  case GSK_SHADOW_NODE:
    return count_blurred_shadows (gsk_shadow_node_get_child (node));
  default:
    return 0;
  }
}

/* The panel's two cards are drawn without blurred shadows (style.css): GTK 4.8's cairo
 * renderer draws those through masks every frame they are repainted (issue 17). */
static void
test_no_blurred_shadows (void)
{
  HlWindow *win = open_window ("30-tls13-basic");
  GtkWidget *panel = GTK_WIDGET (panel_of (win));
  GdkPaintable *paintable;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  show_page (win, "knowledge");
  act (win, "win.step");
  act (win, "win.step");
  paintable = gtk_widget_paintable_new (panel);
  wait_for_frame (GTK_WIDGET (win)); /* the paintable takes the panel's next frame */
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (panel),
                          gtk_widget_get_height (panel));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  g_assert_nonnull (hl_knowledge_panel_get_row (panel_of (win), HL_SIDE_CLIENT, 0));
  g_assert_cmpuint (count_blurred_shadows (node), ==, 0);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
  gtk_window_destroy (GTK_WINDOW (win));
}

/* The copy button draws itself as GTK's own flat button with the theme's copy icon would,
 * pixel for pixel and at the same size, and tells a screen reader what it does (it stopped
 * holding an image: issue 17). */
static void
test_copy_button (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *button[2] = { hl_copy_button_new ("Copy the value (hex)"),
                           gtk_button_new_from_icon_name ("edit-copy-symbolic") };
  GBytes *drawn[2];
  const guchar *pixels;
  gsize size, n_icon = 0;
  gtk_widget_add_css_class (button[1], "flat");
  gtk_widget_add_css_class (list, "boxed-list");
  for (int i = 0; i < 2; i++) {
    GtkWidget *row = hl_knowledge_row_new ();
    hl_knowledge_row_set_title (HL_KNOWLEDGE_ROW (row), "Client random");
    gtk_widget_set_valign (button[i], GTK_ALIGN_CENTER);
    hl_knowledge_row_set_suffix (HL_KNOWLEDGE_ROW (row), button[i]);
    gtk_list_box_append (GTK_LIST_BOX (list), row);
  }
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 200);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (window);
  g_assert_cmpint (gtk_widget_get_width (button[0]), ==, gtk_widget_get_width (button[1]));
  g_assert_cmpint (gtk_widget_get_height (button[0]), ==, gtk_widget_get_height (button[1]));
  g_assert_cmpint (gtk_widget_get_width (button[0]), >, 16);
  /* in the light style and the dark one (the icon takes the text's colour) */
  for (int dark = 0; dark < 2; dark++) {
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                             : ADW_COLOR_SCHEME_DEFAULT);
    wait_for_frame (window);
    for (int i = 0; i < 2; i++)
      drawn[i] = hl_test_draw_widget (button[i]);
    g_assert_true (g_bytes_equal (drawn[0], drawn[1]));
    /* and the icon is there: a flat button's background is clear, the icon's pixels not */
    pixels = g_bytes_get_data (drawn[0], &size);
    n_icon = 0;
    for (gsize i = 3; i < size; i += 4)
      n_icon += pixels[i] > 0x80;
    g_assert_cmpuint (n_icon, >, 20);
    for (int i = 0; i < 2; i++)
      g_bytes_unref (drawn[i]);
  }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (button[0]), GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button[0]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Copy");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button[0]),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Copy the value (hex)");
  /* Its tooltip is given when GTK asks: setting the tooltip text instead makes GTK look for
   * the pointer at once, four X round trips for each of the rows made while idle. */
  g_assert_true (gtk_widget_get_has_tooltip (button[0]));
  g_assert_null (gtk_widget_get_tooltip_text (button[0]));
  {
    GtkTooltip *tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
    gboolean shown = FALSE;
    g_signal_emit_by_name (button[0], "query-tooltip", 4, 4, FALSE, tooltip, &shown);
    g_assert_true (shown);
    g_assert_cmpstr (hl_copy_button_get_tooltip (HL_COPY_BUTTON (button[0])), ==,
                     "Copy the value (hex)");
    g_object_unref (tooltip);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  int status;
  /* GTK's in-process accessibility backend, whatever the suite sets: /copy-button reads
   * what the button tells a screen reader ("none" keeps no accessible properties). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  if (!hl_test_window_init (&argc, &argv, "knowledge-artifacts", &artifacts, &app)) {
    g_print ("1..0 # SKIP no display\n");
    return 0;
  }
  g_test_add_func ("/knowledge-panel/step-and-back", test_step_and_back);
  g_test_add_func ("/knowledge-panel/run-to-end", test_run_to_end);
  g_test_add_func ("/knowledge-panel/hidden", test_hidden);
  g_test_add_func ("/knowledge-panel/failure-and-reload", test_failure_and_reload);
  g_test_add_func ("/knowledge-panel/busy", test_busy);
  g_test_add_func ("/knowledge-panel/shared-layouts", test_shared_layouts);
  g_test_add_func ("/knowledge-panel/rows-ahead", test_rows_ahead);
  g_test_add_func ("/knowledge-panel/deferred-rows", test_deferred_rows);
  g_test_add_func ("/knowledge-panel/row-laid-out-later", test_row_laid_out_later);
  g_test_add_func ("/knowledge-panel/row-breaks-names", test_row_breaks_names);
  g_test_add_func ("/knowledge-panel/next-texts-prepared", test_next_texts_prepared);
  g_test_add_func ("/knowledge-panel/rows-retaken", test_rows_retaken);
  g_test_add_func ("/knowledge-panel/no-blurred-shadows", test_no_blurred_shadows);
  g_test_add_func ("/knowledge-panel/copy-button", test_copy_button);
  status = g_test_run ();
  g_object_unref (app);
  g_free (artifacts);
  return status;
}
