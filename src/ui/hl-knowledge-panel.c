/* hl-knowledge-panel.c */
#include <glib/gi18n.h>

#include "hl-copy-button.h"
#include "hl-knowledge-panel-private.h"
#include "hl-knowledge-row.h"

G_DEFINE_FINAL_TYPE (HlKnowledgePanel, hl_knowledge_panel, GTK_TYPE_WIDGET)

static HlKnowledgeEntry *
row_entry (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "hl-entry");
}

static gboolean
same_key (GtkWidget *row, HlKnowledgeEntry *entry)
{
  return row
         && g_strcmp0 (hl_knowledge_entry_get_key (row_entry (row)),
                       hl_knowledge_entry_get_key (entry))
                == 0;
}

/* Copies what the row shows now: the row outlives its button. */
static void
copy_value (GtkButton *button, GtkWidget *row)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          hl_knowledge_entry_get_copy (row_entry (row)));
}

static HlKnowledgeRow *
row_text (GtkWidget *row)
{
  return HL_KNOWLEDGE_ROW (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
}

/* A row's tooltip is its entry's, asked for when shown: setting a tooltip's text asks the
 * X server for the pointer, once per row. */
const char *
hl_knowledge_panel_get_row_tooltip (GtkWidget *row)
{
  return row_entry (row) ? hl_knowledge_entry_get_tooltip (row_entry (row)) : NULL;
}

static gboolean
query_row_tooltip (GtkWidget *row, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  const char *text = hl_knowledge_panel_get_row_tooltip (row);
  if (!text)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* A row as the panel makes it, owned by the caller (not floating): a list row holding the
 * texts and a copy button, hidden until an entry has a value to copy. */
static GtkWidget *
make_row (void)
{
  GtkWidget *row = g_object_ref_sink (gtk_list_box_row_new ());
  GtkWidget *text = hl_knowledge_row_new ();
  GtkWidget *button = hl_copy_button_new (_ ("Copy the value (hex)"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (button, FALSE);
  g_signal_connect (button, "clicked", G_CALLBACK (copy_value), row);
  hl_knowledge_row_set_suffix (HL_KNOWLEDGE_ROW (text), button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), text);
  g_signal_connect (row, "query-tooltip", G_CALLBACK (query_row_tooltip), NULL);
  return row;
}

/* Making a row (its widgets, their style) costs about as much as laying out its text: rows
 * are made ahead while the main loop is idle, and rows that go are kept for the next new
 * keys, as a list view recycles its rows. As many as the longest lessons show on both
 * sides together (lesson 34: about 80), so that a step, or the steps after Restart, take
 * rows and make none: with 32, lesson 34's first steps made over 100 rows in the bench's
 * three passes (issue 17). */
#define SPARE_ROWS 96

static gboolean
make_spare_rows (gpointer data)
{
  HlKnowledgePanel *self = data;
  for (int i = 0; i < 2 && self->spare->len < SPARE_ROWS; i++)
    g_ptr_array_add (self->spare, make_row ());
  if (self->spare->len < SPARE_ROWS)
    return G_SOURCE_CONTINUE;
  self->spare_source = 0;
  return G_SOURCE_REMOVE;
}

static void
want_spare_rows (HlKnowledgePanel *self)
{
  if (!self->spare_source && self->spare->len < SPARE_ROWS)
    self->spare_source = g_idle_add_full (G_PRIORITY_LOW, make_spare_rows, self, NULL);
}

/* A row for a new key (owned by the caller): a spare one, or a new one. */
static GtkWidget *
new_row (HlKnowledgePanel *self)
{
  GtkWidget *row;
  if (self->spare->len) {
    row = g_ptr_array_steal_index (self->spare, self->spare->len - 1);
  } else {
    row = make_row ();
    self->rows_built++;
  }
  self->rows_made++;
  want_spare_rows (self);
  return row;
}

/* ---------- Rows that went ---------- */

/* Taking a row out of a list box costs it more than drawing the row (its widgets leave
 * the tree, the accessibility tree and the CSS tree): a new connection's first step takes
 * out tens of rows, a tenth of the step's instructions (issue 17). A row that goes is
 * hidden at once ("gone") and taken out when the main loop is idle after the next frame
 * is painted; until then the panel counts rows as if it were not there. */
#define GONE_KEY "hl-gone"

static gboolean
is_gone (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), GONE_KEY) != NULL;
}

/* The list box's index of the row shown at index (or of where it would go: the end). */
static int
list_index (HlKnowledgePanel *self, HlSide side, guint index)
{
  GtkListBoxRow *row;
  guint shown = 0;
  if (!self->n_gone[side])
    return (int)index;
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list[side], i)); i++)
    if (!is_gone (GTK_WIDGET (row)) && shown++ == index)
      return i;
  return -1;
}

static GtkWidget *
row_at (HlKnowledgePanel *self, HlSide side, guint index)
{
  int i = list_index (self, side, index);
  return i < 0 ? NULL : GTK_WIDGET (gtk_list_box_get_row_at_index (self->list[side], i));
}

static void take_out_after_paint (HlKnowledgePanel *self);

static gboolean
take_out_gone_rows (gpointer data)
{
  HlKnowledgePanel *self = data;
  self->gone_source = 0;
  for (int side = 0; side < 2; side++) {
    GtkListBoxRow *row;
    for (int i = 0;
         self->n_gone[side] && (row = gtk_list_box_get_row_at_index (self->list[side], i));) {
      if (!is_gone (GTK_WIDGET (row))) {
        i++;
        continue;
      }
      g_object_set_data (G_OBJECT (row), GONE_KEY, NULL);
      self->n_gone[side]--;
      if (self->spare->len < SPARE_ROWS) {
        gtk_widget_set_visible (GTK_WIDGET (row), TRUE); /* shown again when inserted */
        g_ptr_array_add (self->spare, g_object_ref (row));
      }
      gtk_list_box_remove (self->list[side], GTK_WIDGET (row));
    }
  }
  return G_SOURCE_REMOVE;
}

static void
forget_gone_clock (HlKnowledgePanel *self)
{
  if (self->gone_clock) {
    g_signal_handlers_disconnect_by_func (self->gone_clock, take_out_after_paint, self);
    g_clear_object (&self->gone_clock);
  }
}

/* The frame that hid rows is painted: they are taken out when the main loop is idle. */
static void
take_out_after_paint (HlKnowledgePanel *self)
{
  forget_gone_clock (self);
  if (!self->gone_source)
    self->gone_source = g_idle_add_full (G_PRIORITY_LOW, take_out_gone_rows, self, NULL);
}

/* Takes a row out of a side's list (hidden now, out when idle); it is then kept as a
 * spare (it shows its last entry until bound again, which then sets only the text that
 * differs). */
static void
drop_row (HlKnowledgePanel *self, HlSide side, GtkWidget *row)
{
  if (is_gone (row))
    return;
  g_object_set_data (G_OBJECT (row), GONE_KEY, GINT_TO_POINTER (1));
  gtk_widget_set_visible (row, FALSE);
  self->n_gone[side]++;
  /* Not when idle at once: idle callbacks can run before the step's frame, while the frame
   * clock waits to paint, and delay it. Nor after a delay: a step's frame can come later
   * than any delay, or a delay set for the step before end just before it. */
  if (!self->gone_clock) {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
    if (clock) {
      /* rows hidden for the frame before and not yet out wait for this one too */
      g_clear_handle_id (&self->gone_source, g_source_remove);
      self->gone_clock = g_object_ref (clock);
      g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (take_out_after_paint), self);
    } else if (!self->gone_source) {
      self->gone_source = g_idle_add_full (G_PRIORITY_LOW, take_out_gone_rows, self, NULL);
    }
  }
}

/* Puts a row from new_row in a side's list at index and drops the caller's reference. */
static void
insert_row (HlKnowledgePanel *self, HlSide side, GtkWidget *row, guint index)
{
  gtk_list_box_insert (self->list[side], row, list_index (self, side, index));
  g_object_unref (row);
}

/* Shows entry in row, setting only what differs from the entry it showed: a text that
 * changes is laid out again, the other keeps its layout. */
static void
bind_row (GtkWidget *row, HlKnowledgeEntry *entry)
{
  HlKnowledgeEntry *old = row_entry (row);
  HlKnowledgeRow *text = row_text (row);
  const char *title = hl_knowledge_entry_get_title (entry);
  const char *subtitle = hl_knowledge_entry_get_subtitle (entry);
  if (old == entry)
    return;
  if (g_strcmp0 (hl_knowledge_row_get_title (text), title)
      || g_strcmp0 (hl_knowledge_row_get_subtitle (text), subtitle)) {
    hl_knowledge_row_set_title (text, title);
    hl_knowledge_row_set_subtitle (text, subtitle);
    /* What an action row tells a screen reader: its title, and its subtitle as the
     * description. */
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    title ? title : "", GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    subtitle ? subtitle : "", -1);
  }
  gtk_widget_set_has_tooltip (row, hl_knowledge_entry_get_tooltip (entry) != NULL);
  gtk_widget_set_visible (hl_knowledge_row_get_suffix (text),
                          hl_knowledge_entry_get_copy (entry) != NULL);
  g_object_set_data_full (G_OBJECT (row), "hl-entry", g_object_ref (entry), g_object_unref);
}

static void
show_description (HlKnowledgePanel *self, HlSide side)
{
  const char *text = hl_knowledge_model_get_description (self->model[side]);
  HlKnowledgeRow *description = HL_KNOWLEDGE_ROW (self->description[side]);
  if (g_strcmp0 (text, hl_knowledge_row_get_title (description)) != 0) {
    hl_knowledge_row_set_title (description, text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (description), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    text ? text : "", -1);
  }
  gtk_widget_set_visible (self->description[side], text && *text);
  gtk_widget_set_visible (GTK_WIDGET (self->list[side]), row_at (self, side, 0) != NULL);
}

/* ---------- Following the models ---------- */

/* The rows [pos, pos + removed) became the model's [pos, pos + added): walking both in
 * order, a row whose key comes next is kept and shows the new entry, a row whose key is
 * not next but later is gone, and an entry with no row left takes the row in its place
 * if no entry still to come has that row's key, else a new one. (Taking the row saves a
 * list box a removal and an insertion: when a new connection starts, every row of a side
 * changes key, and those were a tenth of the step's instructions: issue 17.) */
static void
apply_change (HlKnowledgePanel *self, HlSide side, guint pos, guint removed, guint added)
{
  GListModel *model = G_LIST_MODEL (self->model[side]);
  g_autoptr (GHashTable) pending = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) coming = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  guint at = pos, left = removed;
  for (guint i = 0; i < removed; i++)
    g_hash_table_add (
        pending, (gpointer)hl_knowledge_entry_get_key (row_entry (row_at (self, side, pos + i))));
  /* the key of each entry to come, to its last index */
  for (guint i = 0; i < added; i++) {
    g_ptr_array_add (entries, g_list_model_get_item (model, pos + i));
    g_hash_table_insert (coming, (gpointer)hl_knowledge_entry_get_key (entries->pdata[i]),
                         GUINT_TO_POINTER (i + 1));
  }
  for (guint i = 0; i < added; i++) {
    HlKnowledgeEntry *e = entries->pdata[i];
    const char *key = hl_knowledge_entry_get_key (e);
    GtkWidget *row;
    /* Rows before this entry's own row (if it has one) are gone. */
    while (left && g_hash_table_contains (pending, key) && !same_key (row_at (self, side, at), e)) {
      row = row_at (self, side, at);
      g_hash_table_remove (pending, hl_knowledge_entry_get_key (row_entry (row)));
      drop_row (self, side, row);
      left--;
    }
    row = left ? row_at (self, side, at) : NULL;
    if (row && same_key (row, e)) {
      g_hash_table_remove (pending, key);
      left--;
      bind_row (row, e);
    } else if (row
               && GPOINTER_TO_UINT (
                      g_hash_table_lookup (coming, hl_knowledge_entry_get_key (row_entry (row))))
                      <= i) {
      /* no entry to come has this row's key: it shows this entry instead */
      g_hash_table_remove (pending, hl_knowledge_entry_get_key (row_entry (row)));
      left--;
      bind_row (row, e);
      self->rows_retaken++;
    } else {
      row = new_row (self);
      bind_row (row, e); /* before it has a parent: nothing to lay out twice */
      insert_row (self, side, row, at);
    }
    at++;
  }
  for (; left; left--)
    drop_row (self, side, row_at (self, side, at));
}

/* Brings a side's rows to its model by key, after changes the panel did not follow (it
 * was hidden, or the session changed): rows are kept, moved or made as needed. */
static void
sync_side (HlKnowledgePanel *self, HlSide side)
{
  GListModel *model = G_LIST_MODEL (self->model[side]);
  guint n = g_list_model_get_n_items (model);
  g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *row;
  for (guint i = 0; i < n; i++) {
    g_autoptr (HlKnowledgeEntry) e = g_list_model_get_item (model, i);
    g_hash_table_add (keys, (gpointer)hl_knowledge_entry_get_key (e)); /* the model holds e */
  }
  for (guint i = 0; (row = row_at (self, side, i));)
    if (!g_hash_table_contains (keys, hl_knowledge_entry_get_key (row_entry (row))))
      drop_row (self, side, row);
    else
      i++;
  for (guint i = 0; i < n; i++) {
    g_autoptr (HlKnowledgeEntry) e = g_list_model_get_item (model, i);
    row = row_at (self, side, i);
    if (!same_key (row, e)) {
      GtkWidget *found = NULL;
      for (guint j = i + 1; !found && (row = row_at (self, side, j)); j++)
        if (same_key (row, e))
          found = row;
      if (found) { /* moved: the lines were reordered */
        g_object_ref (found);
        gtk_list_box_remove (self->list[side], found);
        gtk_list_box_insert (self->list[side], found, list_index (self, side, i));
        g_object_unref (found);
        row = found;
      } else {
        row = new_row (self);
        bind_row (row, e);
        insert_row (self, side, row, i);
      }
    }
    bind_row (row, e);
  }
  while ((row = row_at (self, side, n)))
    drop_row (self, side, row);
  show_description (self, side);
}

static void
sync_all (HlKnowledgePanel *self)
{
  self->stale = FALSE;
  for (int side = 0; side < 2; side++)
    sync_side (self, side);
}

/* Rows follow the models only while the panel is shown: stepping with the panel hidden
 * costs nothing here, and showing it again changes only the rows that differ. */
static void
on_items_changed (GListModel *model, guint pos, guint removed, guint added, HlKnowledgePanel *self)
{
  HlSide side = hl_knowledge_model_get_side (HL_KNOWLEDGE_MODEL (model));
  if (self->stale || !gtk_widget_get_mapped (GTK_WIDGET (self))) {
    self->stale = TRUE;
    return;
  }
  apply_change (self, side, pos, removed, added);
  gtk_widget_set_visible (GTK_WIDGET (self->list[side]), row_at (self, side, 0) != NULL);
}

static void
on_description (HlKnowledgeModel *model, GParamSpec *pspec, HlKnowledgePanel *self)
{
  if (self->stale || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->stale = TRUE;
  else
    show_description (self, hl_knowledge_model_get_side (model));
}

static void
drop_models (HlKnowledgePanel *self)
{
  for (int side = 0; side < 2; side++)
    if (self->model[side]) {
      g_signal_handlers_disconnect_by_data (self->model[side], self);
      g_clear_object (&self->model[side]);
    }
}

/* The session's models, or empty ones (that ask for a step) without a session. */
static void
take_models (HlKnowledgePanel *self)
{
  drop_models (self);
  for (int side = 0; side < 2; side++) {
    self->model[side] = self->session
                            ? g_object_ref (hl_session_get_knowledge_model (self->session, side))
                            : hl_knowledge_model_new (side);
    g_signal_connect (self->model[side], "items-changed", G_CALLBACK (on_items_changed), self);
    g_signal_connect (self->model[side], "notify::description", G_CALLBACK (on_description), self);
  }
  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sync_all (self);
}

/* ---------- Rows below the view ---------- */

/* A step can add tens of rows at once (a TLS 1.3 server learns 25 secrets from the
 * ClientHello), and shaping their texts was most of such a step's frame (issue 17). The
 * rows whose top lies below the view are measured by an estimate and drawn without text
 * in that frame, then laid out while the main loop is idle, a few milliseconds at a time,
 * which is over before anyone can scroll to them. (Half a page ahead cost lesson 34's
 * first knowledge step a tenth of its instructions.) */
#define AHEAD_PAGES 0.0
#define ROW_GUESS 60 /* px: the height of a row never allocated, to find where the next starts */
#define IDLE_SLICE_US 4000

static gboolean
lay_out_deferred (gpointer data)
{
  HlKnowledgePanel *self = data;
  gint64 start = g_get_monotonic_time ();
  GtkWidget *row;
  for (int side = 0; side < 2; side++)
    for (guint i = 0; (row = row_at (self, side, i)); i++)
      if (hl_knowledge_row_lay_out (row_text (row))
          && g_get_monotonic_time () - start > IDLE_SLICE_US)
        return G_SOURCE_CONTINUE;
  self->layout_source = 0;
  return G_SOURCE_REMOVE;
}

/* Decides which rows wait, before GTK measures them for a new width or new rows: the
 * view is the scrolled window's, where the panel is its child (at y 0). */
static void
defer_rows_below_view (HlKnowledgePanel *self)
{
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *v = sw ? gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw)) : NULL;
  double page = v ? gtk_adjustment_get_page_size (v) : 0;
  double bottom = page > 0 ? gtk_adjustment_get_value (v) + (1 + AHEAD_PAGES) * page : G_MAXDOUBLE;
  gboolean deferred = FALSE; /* some row waits for its texts */
  for (int side = 0; side < 2; side++) {
    graphene_point_t top;
    GtkWidget *row;
    double y;
    if (!gtk_widget_compute_point (GTK_WIDGET (self->list[side]), GTK_WIDGET (self),
                                   &GRAPHENE_POINT_INIT (0, 0), &top))
      top.y = 0;
    y = top.y;
    for (guint i = 0; (row = row_at (self, side, i)); i++) {
      int h = gtk_widget_get_height (row);
      HlKnowledgeRow *text = row_text (row);
      gboolean below = y > bottom;
      hl_knowledge_row_set_deferred (text, below);
      deferred |= below && hl_knowledge_row_is_estimated (text);
      y += h > 0 ? h : ROW_GUESS;
    }
  }
  if (deferred && !self->layout_source)
    self->layout_source = g_idle_add_full (G_PRIORITY_LOW, lay_out_deferred, self, NULL);
}

/* ---------- The next step's texts ---------- */

/* Once the session has made the next step ahead of time, each side's texts after it are
 * shaped here, at the width its rows have, into the layouts rows share: the step's own
 * frame then finds them shaped (a TLS 1.3 server's ClientHello step shapes some 50). One
 * side per call. */
static gboolean
prepare_next_texts (gpointer data)
{
  HlKnowledgePanel *self = data;
  const HlStep *next = self->session ? hl_session_peek_made_step (self->session) : NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  for (int side = 0; side < 2; side++) {
    GtkWidget *first = row_at (self, side, 0);
    HlKnowledgeRow *like = first ? row_text (first) : HL_KNOWLEDGE_ROW (self->description[side]);
    GListModel *model;
    PangoLayout *layout;
    if (!next || !gtk_widget_get_mapped (GTK_WIDGET (self)))
      break;
    if (self->row_width_at[side] != width || self->next_model[side])
      continue; /* no row seen at this width yet; or done */
    self->next_model[side] = hl_knowledge_model_new (side);
    hl_knowledge_model_show_step (self->next_model[side], next);
    model = G_LIST_MODEL (self->next_model[side]);
    layout = hl_knowledge_row_prepare_layout (
        HL_KNOWLEDGE_ROW (self->description[side]), 0,
        hl_knowledge_model_get_description (self->next_model[side]),
        gtk_widget_get_width (self->description[side]), FALSE);
    if (layout)
      g_ptr_array_add (self->prepared, layout);
    for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
      g_autoptr (HlKnowledgeEntry) e = g_list_model_get_item (model, i);
      gboolean copy = hl_knowledge_entry_get_copy (e) != NULL;
      const char *text[2]
          = { hl_knowledge_entry_get_title (e), hl_knowledge_entry_get_subtitle (e) };
      for (int which = 0; which < 2; which++) {
        layout = hl_knowledge_row_prepare_layout (like, which, text[which], self->row_width[side],
                                                  copy);
        if (layout)
          g_ptr_array_add (self->prepared, layout);
      }
    }
    return G_SOURCE_CONTINUE;
  }
  self->prepare_source = 0;
  return G_SOURCE_REMOVE;
}

static void
on_next_made (HlKnowledgePanel *self)
{
  /* The last preparation's stay shared until this one is done: a step may not be drawn yet. */
  g_ptr_array_unref (self->prepared_before);
  self->prepared_before = self->prepared;
  self->prepared = g_ptr_array_new_with_free_func (g_object_unref);
  for (int side = 0; side < 2; side++)
    g_clear_object (&self->next_model[side]);
  if (!self->prepare_source && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->prepare_source = g_idle_add_full (G_PRIORITY_LOW, prepare_next_texts, self, NULL);
}

/* ---------- The widget ---------- */

static void
hl_knowledge_panel_map (GtkWidget *widget)
{
  HlKnowledgePanel *self = HL_KNOWLEDGE_PANEL (widget);
  GTK_WIDGET_CLASS (hl_knowledge_panel_parent_class)->map (widget);
  if (self->stale)
    sync_all (self);
  want_spare_rows (self);
}

/* The two sides side by side, as a homogeneous box with 12 px margins and 18 px between
 * would place them, laid out here so that each side is asked its height only for the
 * width it gets: GTK 4.8's box also asks its children their width for a height, and its
 * allocation their height for other widths, and each such question makes every wrapped
 * label shape its text again (seconds for a TLS 1.3 lesson's rows). */
#define MARGIN 12
#define SPACING 18

static GtkSizeRequestMode
hl_knowledge_panel_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* The width each side gets out of the panel's width: the same for both (an odd pixel is
 * left over), so that a text both sides show is laid out once (hl-knowledge-row.c). */
static int
side_width (int width, int side)
{
  return MAX (width - 2 * MARGIN - SPACING, 0) / 2;
}

static void
hl_knowledge_panel_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                            int *minimum, int *natural, int *minimum_baseline,
                            int *natural_baseline)
{
  HlKnowledgePanel *self = HL_KNOWLEDGE_PANEL (widget);
  *minimum = *natural = 0;
  /* Its height with no width given is asked only by the scrolled window above, which does
   * not use it: measuring every row at its narrowest width would shape all the text again. */
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size < 0)
    return;
  if (orientation == GTK_ORIENTATION_VERTICAL)
    defer_rows_below_view (self);
  for (int side = 0; side < 2; side++) {
    int min, nat;
    if (orientation == GTK_ORIENTATION_HORIZONTAL)
      gtk_widget_measure (self->group[side], orientation, -1, &min, &nat, NULL, NULL);
    else
      gtk_widget_measure (self->group[side], orientation, side_width (for_size, side), &min, &nat,
                          NULL, NULL);
    *minimum = MAX (*minimum, min);
    *natural = MAX (*natural, nat);
  }
  if (orientation == GTK_ORIENTATION_HORIZONTAL) {
    *minimum = 2 * *minimum + SPACING;
    *natural = 2 * *natural + SPACING;
  }
  *minimum += 2 * MARGIN;
  *natural += 2 * MARGIN;
}

static void
hl_knowledge_panel_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HlKnowledgePanel *self = HL_KNOWLEDGE_PANEL (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int x = MARGIN;
  for (int side = 0; side < 2; side++) {
    int w = side_width (width, side), min, nat;
    /* at the top, its own height for its width */
    gtk_widget_measure (self->group[side], GTK_ORIENTATION_VERTICAL, w, &min, &nat, NULL, NULL);
    gtk_widget_size_allocate (self->group[side],
                              &(GtkAllocation){ rtl ? width - x - w : x, MARGIN, w,
                                                MAX (min, MIN (nat, height - 2 * MARGIN)) },
                              -1);
    x += w + SPACING;
  }
  for (int side = 0; side < 2; side++) {
    GtkWidget *row = row_at (self, side, 0);
    int w = row ? gtk_widget_get_width (GTK_WIDGET (row_text (row))) : 0;
    if (w > 0) {
      self->row_width[side] = w;
      self->row_width_at[side] = width;
    }
  }
}

static void
hl_knowledge_panel_dispose (GObject *object)
{
  HlKnowledgePanel *self = HL_KNOWLEDGE_PANEL (object);
  drop_models (self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_handle_id (&self->prepare_source, g_source_remove);
  g_clear_pointer (&self->prepared, g_ptr_array_unref);
  g_clear_pointer (&self->prepared_before, g_ptr_array_unref);
  for (int side = 0; side < 2; side++)
    g_clear_object (&self->next_model[side]);
  g_clear_handle_id (&self->spare_source, g_source_remove);
  g_clear_handle_id (&self->layout_source, g_source_remove);
  g_clear_handle_id (&self->gone_source, g_source_remove);
  forget_gone_clock (self);
  g_clear_pointer (&self->spare, g_ptr_array_unref);
  for (int s = 0; s < 2; s++)
    g_clear_pointer (&self->group[s], gtk_widget_unparent);
  for (int s = 0; s < 2; s++)
    g_clear_pointer (&self->titles[s], g_ptr_array_unref);
  G_OBJECT_CLASS (hl_knowledge_panel_parent_class)->dispose (object);
}

static void
hl_knowledge_panel_class_init (HlKnowledgePanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_knowledge_panel_dispose;
  widget_class->map = hl_knowledge_panel_map;
  widget_class->get_request_mode = hl_knowledge_panel_get_request_mode;
  widget_class->measure = hl_knowledge_panel_measure;
  widget_class->size_allocate = hl_knowledge_panel_size_allocate;
}

/* Up or Down past the first or last row moves on, as AdwPreferencesGroup's own list does. */
static gboolean
on_keynav_failed (GtkWidget *list, GtkDirectionType direction)
{
  GtkWidget *toplevel = GTK_WIDGET (gtk_widget_get_root (list));
  if (!toplevel || (direction != GTK_DIR_UP && direction != GTK_DIR_DOWN))
    return FALSE;
  return gtk_widget_child_focus (toplevel, direction == GTK_DIR_UP ? GTK_DIR_TAB_BACKWARD
                                                                   : GTK_DIR_TAB_FORWARD);
}

static void
hl_knowledge_panel_init (HlKnowledgePanel *self)
{
  self->spare = g_ptr_array_new_with_free_func (g_object_unref);
  self->prepared = g_ptr_array_new_with_free_func (g_object_unref);
  self->prepared_before = g_ptr_array_new_with_free_func (g_object_unref);
  for (int s = 0; s < 2; s++) {
    const char *title = s == HL_SIDE_CLIENT ? _ ("Client") : _ ("Server");
    self->titles[s] = g_ptr_array_new_with_free_func (g_free);
    self->group[s] = adw_preferences_group_new ();
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group[s]), title);
    /* Aligned by hl_knowledge_panel_size_allocate (at the top): with an alignment of its own
     * GTK would measure it again, its width for a height among others. */
    gtk_widget_set_parent (self->group[s], GTK_WIDGET (self));
    /* The description changes at every step: drawn as the rows' text is, under the group's
     * title (the group's own description label would shape it at every width GTK asks). */
    self->description[s]
        = g_object_new (HL_TYPE_KNOWLEDGE_ROW, "accessible-role", GTK_ACCESSIBLE_ROLE_LABEL, NULL);
    hl_knowledge_row_set_plain (HL_KNOWLEDGE_ROW (self->description[s]), TRUE);
    gtk_widget_set_margin_bottom (self->description[s], 12);
    gtk_widget_set_visible (self->description[s], FALSE);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group[s]), self->description[s]);
    /* The group's own list has no insert: this one, styled as it is, holds the rows. */
    self->list[s] = GTK_LIST_BOX (gtk_list_box_new ());
    gtk_list_box_set_selection_mode (self->list[s], GTK_SELECTION_NONE);
    gtk_widget_add_css_class (GTK_WIDGET (self->list[s]), "boxed-list");
    gtk_widget_set_visible (GTK_WIDGET (self->list[s]), FALSE);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->list[s]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    title, -1);
    g_signal_connect (self->list[s], "keynav-failed", G_CALLBACK (on_keynav_failed), NULL);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group[s]), GTK_WIDGET (self->list[s]));
  }
  take_models (self);
}

void
hl_knowledge_panel_set_session (HlKnowledgePanel *self, HlSession *session)
{
  if (self->session == session)
    return;
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    g_signal_connect_swapped (session, "next-made", G_CALLBACK (on_next_made), self);
  take_models (self);
}

GPtrArray *
hl_knowledge_panel_list_rows (HlKnowledgePanel *self, HlSide side)
{
  GtkWidget *row;
  g_ptr_array_set_size (self->titles[side], 0);
  for (guint i = 0; (row = row_at (self, side, i)); i++)
    g_ptr_array_add (self->titles[side], g_strdup (hl_knowledge_entry_get_title (row_entry (row))));
  return self->titles[side];
}

GtkWidget *
hl_knowledge_panel_get_row (HlKnowledgePanel *self, HlSide side, guint index)
{
  return row_at (self, side, index);
}

guint
hl_knowledge_panel_get_rows_built (HlKnowledgePanel *self)
{
  return self->rows_built;
}

guint
hl_knowledge_panel_get_rows_retaken (HlKnowledgePanel *self)
{
  return self->rows_retaken;
}

guint
hl_knowledge_panel_get_rows_made (HlKnowledgePanel *self)
{
  return self->rows_made;
}

gboolean
hl_knowledge_panel_is_laying_out (HlKnowledgePanel *self)
{
  return self->layout_source != 0;
}
