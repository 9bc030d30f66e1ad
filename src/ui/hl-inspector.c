/* hl-inspector.c */
#include <glib/gi18n.h>

#include "hl-i18n.h"
#include "hl-inspector.h"

#include "hl-field-dialog.h"
#include "hl-field-label.h"
#include "hl-field-object.h"
#include "hl-field.h"
#include "hl-hex-view.h"
#include "hl-ladder-labels.h"
#include "hl-transcript.h"

struct _HlInspector {
  GtkWidget parent_instance;
  GtkWidget *box;
  GtkLabel *title, *summary, *story, *record_key, *checks, *field_info;
  GtkWidget *step_text; /* the box around the step text's scrolled window */
  GtkToggleButton *show_message, *show_delivered, *show_records;
  GtkListView *fields;
  HlHexView *hex;
  GtkSingleSelection *selection; /* over tree, over root: both kept from step to step */
  GtkTreeListModel *tree;
  GListStore *root;
  HlSession *session;
  GtkWidget *field_menu;      /* the Fields list's context menu, a popover on the list */
  gboolean field_menu_open;   /* no row tooltip over the menu meanwhile */
  GBytes *bytes;              /* what the hex view shows */
  gboolean stale;             /* a step was selected while hidden: shown when mapped or asked */
  const HlStep *prepared_for; /* the step made ahead whose texts were shaped (on_next_made) */
};

G_DEFINE_FINAL_TYPE (HlInspector, hl_inspector, GTK_TYPE_WIDGET)

static GListModel *
create_children (gpointer item, gpointer data)
{
  return hl_field_object_children (item);
}

/* A row's tooltip is its field's explanation, asked for when shown: setting a tooltip's
 * text on every bind asks the X server where the pointer is, once per row. */
static gboolean
query_row_tooltip (GtkWidget *expander, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                   gpointer data)
{
  HlInspector *self = data;
  HlFieldObject *obj = g_object_get_data (G_OBJECT (expander), "hl-field");
  const HlField *field = obj ? hl_field_object_get_field (obj) : NULL;
  if (self->field_menu_open || !field || !field->explanation || !*field->explanation)
    return FALSE;
  gtk_tooltip_set_text (tooltip, field->explanation);
  return TRUE;
}

static void
setup_row (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  gtk_widget_set_has_tooltip (expander, TRUE);
  g_signal_connect (expander, "query-tooltip", G_CALLBACK (query_row_tooltip), data);
  GtkWidget *label = hl_field_label_new ();
  gtk_widget_set_hexpand (label, TRUE);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (item, expander);
}

/* Shows the row's field: at bind, and when the step changes the field of a row kept. */
static void
label_row (GtkWidget *expander)
{
  HlFieldObject *obj = g_object_get_data (G_OBJECT (expander), "hl-field");
  const HlField *field = hl_field_object_get_field (obj);
  g_autofree char *label = g_strdup_printf ("%s: %s", field->name, field->value);
  hl_field_label_set_field (
      HL_FIELD_LABEL (gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander))), field->name,
      field->value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  field->explanation ? field->explanation : "", -1);
}

static void
bind_row (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *expander = gtk_list_item_get_child (item);
  HlFieldObject *obj = gtk_tree_list_row_get_item (row);
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  g_object_set_data_full (G_OBJECT (expander), "hl-field", obj, g_object_unref);
  /* connected to the expander's life too: a row dropped while bound may skip unbind */
  g_signal_connect_object (obj, "changed", G_CALLBACK (label_row), expander, G_CONNECT_SWAPPED);
  label_row (expander);
}

static void
unbind_row (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *expander = gtk_list_item_get_child (item);
  HlFieldObject *obj = g_object_get_data (G_OBJECT (expander), "hl-field");
  if (obj)
    g_signal_handlers_disconnect_by_func (obj, label_row, expander);
  g_object_set_data (G_OBJECT (expander), "hl-field", NULL);
}

/* Puts fields in the list. The previous step's row objects stay where the new field has
 * children as the old one had (a tree row's expander is fixed once asked), so GTK keeps
 * their row widgets and only relabels them: GTK 4.8's list view makes a row again (expander,
 * label, accessible) for every new item, 2.5 M instructions a step (issue 17). The old
 * fields may be freed already (Back drops steps): every object kept gets its new field
 * before the model changes, as any change may bind a row. */
static void
show_fields (HlInspector *self, const GPtrArray *fields)
{
  GListModel *root = G_LIST_MODEL (self->root);
  guint n_old = g_list_model_get_n_items (root), n_new = fields ? fields->len : 0;
  guint n_kept = MIN (n_old, n_new);
  g_autofree gboolean *replace = g_new0 (gboolean, n_kept + 1);
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->fields));
  for (guint i = 0; i < n_kept; i++) {
    g_autoptr (HlFieldObject) obj = g_list_model_get_item (root, i);
    gboolean was_parent = hl_field_object_has_children (obj);
    hl_field_object_set_field (obj, g_ptr_array_index (fields, i));
    replace[i] = was_parent != hl_field_object_has_children (obj);
  }
  if (n_old > n_new)
    g_list_store_splice (self->root, n_new, n_old - n_new, NULL, 0);
  /* an open row's children belong to the old field */
  for (guint i = 0; i < n_kept; i++) {
    g_autoptr (GtkTreeListRow) row = gtk_tree_list_model_get_child_row (self->tree, i);
    if (row && gtk_tree_list_row_get_expanded (row))
      gtk_tree_list_row_set_expanded (row, FALSE);
  }
  for (guint i = 0; i < n_kept; i++)
    if (replace[i]) {
      g_autoptr (HlFieldObject) fresh = hl_field_object_new (g_ptr_array_index (fields, i));
      g_list_store_splice (self->root, i, 1, (gpointer *)&fresh, 1);
    }
  if (n_new > n_old) {
    g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
    for (guint i = n_old; i < n_new; i++)
      g_ptr_array_add (fresh, hl_field_object_new (g_ptr_array_index (fields, i)));
    g_list_store_splice (self->root, n_old, 0, fresh->pdata, fresh->len);
  }
  /* a new step's fields start at the top, as a new list would */
  if (adj)
    gtk_adjustment_set_value (adj, gtk_adjustment_get_lower (adj));
}

static void
on_selected (HlInspector *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr (HlFieldObject) obj = NULL;
  const HlField *f;
  g_autofree char *info = NULL;
  if (!row) {
    hl_hex_view_set_mark (self->hex, 0, 0);
    gtk_label_set_text (self->field_info, "");
    return;
  }
  obj = gtk_tree_list_row_get_item (row);
  f = hl_field_object_get_field (obj);
  hl_hex_view_set_mark (self->hex, f->offset, f->offset + f->length);
  if (f->length)
    info = g_strdup_printf (ngettext ("%s: bytes %zu to %zu (%zu byte). %s",
                                      "%s: bytes %zu to %zu (%zu bytes). %s", f->length),
                            f->name, f->offset, f->offset + f->length - 1, f->length,
                            f->explanation);
  else
    info = g_strdup_printf (_ ("%s: no bytes. %s"), f->name, f->explanation);
  gtk_label_set_text (self->field_info, info);
}

static void show_step (HlInspector *self);

/* The bytes the hex pane shows for step st: the message (its plaintext when encrypted),
 * its records, or what was delivered, as the toggles say. */
static GBytes *
shown_bytes (HlInspector *self, const HlStep *st)
{
  if (gtk_toggle_button_get_active (self->show_delivered) && st->delivered_fields)
    return st->delivered_plaintext ? st->delivered_plaintext : st->delivered_wire;
  if (gtk_toggle_button_get_active (self->show_records))
    return st->record_wire;
  return hl_step_get_message_bytes (st);
}

/* The fields the Fields list shows for step st, as the toggles say. */
static const GPtrArray *
shown_fields (HlInspector *self, const HlStep *st)
{
  if (gtk_toggle_button_get_active (self->show_delivered) && st->delivered_fields)
    return st->delivered_fields;
  if (gtk_toggle_button_get_active (self->show_records))
    return st->record_fields;
  return st->fields;
}

/* A label of a top-level row of the Fields list, drawn at its width (NULL: none). */
static HlFieldLabel *
find_top_label (GtkWidget *w)
{
  if (GTK_IS_TREE_EXPANDER (w)) {
    GtkTreeListRow *row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (w));
    GtkWidget *label = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (w));
    return row && gtk_tree_list_row_get_depth (row) == 0 && HL_IS_FIELD_LABEL (label)
                   && gtk_widget_get_width (label) > 0
               ? HL_FIELD_LABEL (label)
               : NULL;
  }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c)) {
    HlFieldLabel *found = find_top_label (c);
    if (found)
      return found;
  }
  return NULL;
}

/* As many rows as a tall Fields list shows. */
#define FIELDS_PREPARED 40

/* The session has made the next step ahead of time: the hex pane shapes its first lines,
 * and the Fields list the texts of its first rows, now, while the window is idle, so that
 * Step draws them without shaping (issue 17). */
static void
on_next_made (HlInspector *self)
{
  const HlStep *next = hl_session_peek_made_step (self->session);
  const GPtrArray *fields;
  HlFieldLabel *like;
  hl_field_label_forget_prepared ();
  self->prepared_for = next;
  if (!next || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  hl_hex_view_prepare (self->hex, shown_bytes (self, next));
  fields = shown_fields (self, next);
  like = find_top_label (GTK_WIDGET (self->fields));
  for (guint i = 0; like && fields && i < MIN (fields->len, FIELDS_PREPARED); i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    hl_field_label_prepare (like, f->name, f->value, gtk_widget_get_width (GTK_WIDGET (like)));
  }
}

/* Shows the fields and bytes of the selected step: the message, or its records. */
static void
update_step (HlInspector *self)
{
  const HlStep *st = self->session ? hl_session_get_selected_step (self->session) : NULL;
  gboolean delivered = gtk_toggle_button_get_active (self->show_delivered);
  gtk_widget_set_visible (GTK_WIDGET (self->show_delivered), st && st->delivered_fields);
  if (delivered && !(st && st->delivered_fields)) {
    gtk_toggle_button_set_active (self->show_message, TRUE); /* calls back here */
    return;
  }
  const GPtrArray *fields = NULL;
  GString *checks = g_string_new (NULL);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  /* Without a step there are no fields and no bytes: the lesson's description instead. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->fields)), st != NULL);
  gtk_widget_set_visible (
      gtk_widget_get_ancestor (GTK_WIDGET (self->hex), GTK_TYPE_SCROLLED_WINDOW), st != NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->show_message)), st != NULL);
  if (!st) {
    const char *description = self->session ? hl_session_get_description (self->session) : NULL;
    gtk_label_set_text (
        self->title,
        _ ("No step selected: press Step (→) to deliver the first message, or click an arrow."));
    gtk_label_set_text (self->summary, description ? description : "");
    gtk_label_set_text (self->story, "");
    gtk_label_set_text (self->record_key, "");
    gtk_label_set_text (self->checks, "");
  } else {
    HlSide to = hl_side_other (st->from);
    g_autofree char *title = g_strdup_printf (_ ("Step %u: %s, %s to %s%s"), st->index, st->message,
                                              hl_side_word (st->from), hl_side_word (to),
                                              st->encrypted ? _ (" (encrypted)") : "");
    gtk_label_set_text (self->title, title);
    gtk_label_set_text (self->summary, st->summary ? st->summary : "");
    gtk_label_set_text (self->story, st->story ? st->story : "");
    {
      /* Which key protects the record: none, the key block, or a TLS 1.3 traffic secret. */
      g_autofree char *key = hl_step_describe_record_key (st, FALSE);
      g_autofree char *markup = g_markup_printf_escaped (_ ("<b>Record protected by:</b> %s"), key);
      gtk_label_set_markup (self->record_key, markup);
    }
    {
      g_auto (GStrv) notes = hl_ladder_step_notes (st);
      for (guint i = 0; notes[i]; i++) /* a change on the way, if any, comes first: flag it */
        g_string_append_printf (checks, "%s%s\n", i == 0 && st->fault ? "⚠ " : "", notes[i]);
      if (!st->delivered)
        g_string_append (checks, _ ("Never delivered.\n"));
    }
    {
      /* a change made by field: what was changed and which check caught it */
      g_autofree char *report = hl_session_describe_change (self->session, st->index);
      if (report) {
        g_string_prepend (checks, "\n");
        g_string_prepend (checks, report);
        g_string_prepend (checks, "✎ ");
      }
    }
    if (checks->len)
      g_string_truncate (checks, checks->len - 1);
    gtk_label_set_text (self->checks, checks->str);
    fields = shown_fields (self, st);
    self->bytes = shown_bytes (self, st) ? g_bytes_ref (shown_bytes (self, st)) : NULL;
  }
  g_string_free (checks, TRUE);
  {
    /* A new step's text starts at its first line, not where the last step's was scrolled. */
    GtkWidget *text
        = gtk_widget_get_ancestor (GTK_WIDGET (self->summary), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (text));
    gtk_adjustment_set_value (v, gtk_adjustment_get_lower (v));
  }
  if (st && st == self->prepared_for)
    hl_field_label_use_prepared ();
  show_fields (self, fields);
  hl_hex_view_set_bytes (self->hex, self->bytes);
  /* Nothing selected at first: the whole message is the subject. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  on_selected (self);
}

static void
on_view_toggled (HlInspector *self)
{
  show_step (self);
}

/* Brings a deferred update up to date: when shown, or for a caller reading it while hidden.
 * A loop, as switching back to the message view from a hidden update defers once more. */
static void
update_if_stale (HlInspector *self)
{
  while (self->stale) {
    self->stale = FALSE;
    update_step (self);
  }
}

/* Hidden behind another page, the update waits until shown (issue 17: it cost about 4 M
 * instructions a step with "What each side knows" in front). */
static void
show_step (HlInspector *self)
{
  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_if_stale (self);
}

static void
hl_inspector_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hl_inspector_parent_class)->map (widget);
  update_if_stale (HL_INSPECTOR (widget));
}

/* A click on a byte selects the innermost field holding it. */
static void
on_hex_pressed (GtkGestureClick *g, int n, double x, double y, HlInspector *self)
{
  gssize byte = hl_hex_view_get_byte_at (self->hex, x, y);
  GListModel *model = gtk_single_selection_get_model (self->selection);
  guint best = GTK_INVALID_LIST_POSITION;
  gsize best_len = G_MAXSIZE;
  if (byte < 0)
    return; /* the offset column, or no byte there */
  /* Expand rows as we go so nested fields can be found. */
  for (guint i = 0; model && i < g_list_model_get_n_items (model); i++) {
    g_autoptr (GtkTreeListRow) row = g_list_model_get_item (model, i);
    g_autoptr (HlFieldObject) obj = gtk_tree_list_row_get_item (row);
    const HlField *f = hl_field_object_get_field (obj);
    if ((gsize)byte >= f->offset && (gsize)byte < f->offset + f->length) {
      if (f->length <= best_len) {
        best = i;
        best_len = f->length;
      }
      gtk_tree_list_row_set_expanded (row, TRUE);
    }
  }
  if (best != GTK_INVALID_LIST_POSITION) {
    gtk_single_selection_set_selected (self->selection, best);
    gtk_widget_activate_action (GTK_WIDGET (self->fields), "list.scroll-to-item", "u", best);
  }
}

/* ---------- The Fields list's context menu: change this field, flip a bit, drop ---------- */

static const HlField *
selected_field (HlInspector *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr (HlFieldObject) obj = row ? gtk_tree_list_row_get_item (row) : NULL;
  /* the field belongs to the step, which outlives the row's object */
  return obj ? hl_field_object_get_field (obj) : NULL;
}

static void
update_field_actions (HlInspector *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  const HlStep *st = self->session ? hl_session_get_selected_step (self->session) : NULL;
  const HlField *f = selected_field (self);
  /* The other views' offsets are not the message's: records and what was delivered. */
  /* A recording's messages were sent and received already: nothing to change in flight. */
  gboolean live = self->session && !hl_session_is_recorded (self->session);
  gboolean message = live && st && gtk_toggle_button_get_active (self->show_message);
  gtk_widget_action_set_enabled (w, "field.copy",
                                 f && f->length && self->bytes
                                     && f->offset + f->length <= g_bytes_get_size (self->bytes));
  gtk_widget_action_set_enabled (w, "field.edit", message && f && f->length);
  gtk_widget_action_set_enabled (w, "field.flip", message && f && f->length);
  gtk_widget_action_set_enabled (w, "field.drop", live && st != NULL);
  gtk_widget_action_set_enabled (w, "field.take-away",
                                 st && hl_session_get_step_change (self->session, st->index));
  gtk_widget_action_set_enabled (w, "field.redo",
                                 self->session && hl_session_get_n_undone (self->session) > 0);
}

/* The selected field's bytes, from what the hex pane shows, as one hex string: the pane
 * draws its text itself, and this is how its bytes are copied. */
static void
copy_field_bytes (GtkWidget *w, const char *name, GVariant *param)
{
  HlInspector *self = HL_INSPECTOR (w);
  const HlField *f = selected_field (self);
  gsize len = self->bytes ? g_bytes_get_size (self->bytes) : 0;
  g_autofree char *hex = NULL;
  if (!f || !f->length || f->offset + f->length > len)
    return;
  hex = hl_hex ((const guint8 *)g_bytes_get_data (self->bytes, NULL) + f->offset, f->length);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (w), hex);
}

static void
field_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlInspector *self = HL_INSPECTOR (w);
  const HlStep *st = self->session ? hl_session_get_selected_step (self->session) : NULL;
  GtkRoot *root = gtk_widget_get_root (w);
  HlFieldDialogMode mode = HL_FIELD_DIALOG_SET;
  const HlField *f = selected_field (self);
  if (!st || !GTK_IS_WINDOW (root))
    return;
  if (g_str_equal (name, "field.redo")) {
    gtk_widget_activate_action (w, "win.redo-tamper", NULL);
    return;
  }
  if (g_str_equal (name, "field.take-away")) {
    const HlChange *c = hl_session_get_step_change (self->session, st->index);
    g_autofree char *msg
        = c ? g_strdup_printf (
              _ ("Your change (%s) was taken away; Redo (Ctrl+Shift+Z) brings it back."), c->what)
            : NULL;
    if (msg && hl_session_go_before (self->session, st->index))
      gtk_widget_activate_action (w, "win.tamper-done", "s", msg);
    return;
  }
  if (g_str_equal (name, "field.flip"))
    mode = HL_FIELD_DIALOG_FLIP;
  else if (g_str_equal (name, "field.drop"))
    mode = HL_FIELD_DIALOG_DROP;
  if (mode != HL_FIELD_DIALOG_DROP && !f)
    return;
  gtk_window_present (GTK_WINDOW (hl_field_dialog_new (
      GTK_WINDOW (root), self->session, st->index, mode == HL_FIELD_DIALOG_DROP ? NULL : f, mode)));
}

/* The position in the tree of the row that holds widget w (a row, its expander or its
 * label). */
static guint
row_of_widget (HlInspector *self, GtkWidget *w)
{
  for (; w && w != GTK_WIDGET (self->fields); w = gtk_widget_get_parent (w)) {
    GtkWidget *e = GTK_IS_TREE_EXPANDER (w) ? w : gtk_widget_get_first_child (w);
    if (e && GTK_IS_TREE_EXPANDER (e)) {
      GtkTreeListRow *row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (e));
      if (row)
        return gtk_tree_list_row_get_position (row);
    }
  }
  return GTK_INVALID_LIST_POSITION;
}

static void
popup_field_menu (HlInspector *self, const GdkRectangle *at)
{
  update_field_actions (self);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->field_menu), at);
  /* The row's tooltip would cover the menu's first item: none while it is open. */
  self->field_menu_open = TRUE;
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self->fields));
  gtk_popover_popup (GTK_POPOVER (self->field_menu));
}

static void
on_field_menu_closed (HlInspector *self)
{
  self->field_menu_open = FALSE;
}

static void
on_fields_right_click (GtkGestureClick *g, int n, double x, double y, HlInspector *self)
{
  guint pos
      = row_of_widget (self, gtk_widget_pick (GTK_WIDGET (self->fields), x, y, GTK_PICK_DEFAULT));
  GdkRectangle at = { (int)x, (int)y, 1, 1 };
  if (pos != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, pos);
  popup_field_menu (self, &at);
}

/* The Menu key and Shift+F10 open the menu on the row with focus. */
static gboolean
on_fields_key (GtkEventControllerKey *c, guint keyval, guint keycode, GdkModifierType state,
               HlInspector *self)
{
  GtkWidget *focus;
  graphene_rect_t r;
  GdkRectangle at = { 0, 0, 1, 1 };
  guint pos;
  if (!(keyval == GDK_KEY_Menu || (keyval == GDK_KEY_F10 && (state & GDK_SHIFT_MASK))))
    return FALSE;
  focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  pos = row_of_widget (self, focus);
  if (pos != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, pos);
  if (focus && focus != GTK_WIDGET (self->fields)
      && gtk_widget_compute_bounds (focus, GTK_WIDGET (self->fields), &r))
    at = (GdkRectangle){ (int)r.origin.x + 12, (int)(r.origin.y + r.size.height), 1, 1 };
  popup_field_menu (self, &at);
  return TRUE;
}

static void
init_field_menu (HlInspector *self)
{
  GMenu *menu = g_menu_new (), *section = g_menu_new (), *copy = g_menu_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_menu_append (copy, _ ("Copy Bytes as Hex"), "field.copy");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));
  g_object_unref (copy);
  g_menu_append (menu, _ ("Change Value…"), "field.edit");
  g_menu_append (menu, _ ("Flip a Bit…"), "field.flip");
  g_menu_append (menu, _ ("Drop This Message…"), "field.drop");
  g_menu_append (section, _ ("Take My Change Away"), "field.take-away");
  g_menu_append (section, _ ("Redo: Bring Back My Change"), "field.redo");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  self->field_menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->field_menu), FALSE);
  gtk_widget_set_halign (self->field_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->field_menu, GTK_WIDGET (self->fields));
  g_signal_connect_swapped (self->field_menu, "closed", G_CALLBACK (on_field_menu_closed), self);
  g_object_unref (section);
  g_object_unref (menu);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_fields_right_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self->fields), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_fields_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->fields), keys);
  gtk_accessible_update_property (
      GTK_ACCESSIBLE (self->fields), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
      _ ("Right-click a field, or press Menu or Shift+F10, to change its value, flip a bit of "
         "it or drop the message"),
      -1);
}

static void
hl_inspector_dispose (GObject *object)
{
  HlInspector *self = HL_INSPECTOR (object);
  g_clear_pointer (&self->field_menu, gtk_widget_unparent);
  hl_inspector_set_session (self, NULL);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_object (&self->selection);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_INSPECTOR);
  G_OBJECT_CLASS (hl_inspector_parent_class)->dispose (object);
}

static void
hl_inspector_class_init (HlInspectorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_inspector_dispose;
  widget_class->map = hl_inspector_map;
  g_type_ensure (HL_TYPE_HEX_VIEW);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/handshakelab/HandshakeLab/hl-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, HlInspector, box);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, title);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, summary);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, story);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, record_key);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, checks);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, step_text);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, field_info);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, show_message);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, show_records);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, show_delivered);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, fields);
  gtk_widget_class_bind_template_child (widget_class, HlInspector, hex);
  gtk_widget_class_bind_template_callback (widget_class, on_view_toggled);
  gtk_widget_class_install_action (widget_class, "field.copy", NULL, copy_field_bytes);
  gtk_widget_class_install_action (widget_class, "field.edit", NULL, field_action);
  gtk_widget_class_install_action (widget_class, "field.flip", NULL, field_action);
  gtk_widget_class_install_action (widget_class, "field.drop", NULL, field_action);
  gtk_widget_class_install_action (widget_class, "field.take-away", NULL, field_action);
  gtk_widget_class_install_action (widget_class, "field.redo", NULL, field_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* The step text's box: as its scrolled window measures, but the natural height is the
 * text's at the width given (up to the window's max-content-height), which GTK 4.8's
 * scrolled window does not ask its child for. */
static GtkSizeRequestMode
step_text_request_mode (GtkWidget *box)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
measure_step_text (GtkWidget *box, GtkOrientation orientation, int for_size, int *minimum,
                   int *natural, int *minimum_baseline, int *natural_baseline)
{
  GtkWidget *scroller = gtk_widget_get_first_child (box);
  GtkWidget *text = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  gtk_widget_measure (scroller, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0 && text) {
    int text_natural,
        most = gtk_scrolled_window_get_max_content_height (GTK_SCROLLED_WINDOW (scroller));
    gtk_widget_measure (text, GTK_ORIENTATION_VERTICAL, for_size, NULL, &text_natural, NULL, NULL);
    *natural = MAX (*minimum, most >= 0 ? MIN (text_natural, most) : text_natural);
  }
}

static void
allocate_step_text (GtkWidget *box, int width, int height, int baseline)
{
  gtk_widget_allocate (gtk_widget_get_first_child (box), width, height, baseline, NULL);
}

static void
hl_inspector_init (HlInspector *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (
      self->step_text,
      gtk_custom_layout_new (step_text_request_mode, measure_step_text, allocate_step_text));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  self->root = g_list_store_new (HL_TYPE_FIELD_OBJECT);
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (self->root), FALSE, FALSE, create_children,
                                        NULL, NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->tree));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (on_selected), self);
  gtk_list_view_set_model (self->fields, GTK_SELECTION_MODEL (self->selection));
  gtk_list_view_set_factory (self->fields, factory);
  g_object_unref (factory);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_hex_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->hex), GTK_EVENT_CONTROLLER (click));
  init_field_menu (self);
  show_step (self);
}

void
hl_inspector_set_session (HlInspector *self, HlSession *session)
{
  if (!hl_session_follow (&self->session, session, self, G_CALLBACK (show_step), "selected",
                          "title", NULL))
    return;
  if (session)
    g_signal_connect_swapped (session, "next-made", G_CALLBACK (on_next_made), self);
  if (self->selection)
    show_step (self);
}

const char *
hl_inspector_get_title (HlInspector *self)
{
  update_if_stale (self);
  return gtk_label_get_text (self->title);
}

const char *
hl_inspector_get_record_key (HlInspector *self)
{
  update_if_stale (self);
  return gtk_label_get_text (self->record_key);
}

guint
hl_inspector_get_n_rows (HlInspector *self)
{
  update_if_stale (self);
  GListModel *m = gtk_single_selection_get_model (self->selection);
  return m ? g_list_model_get_n_items (m) : 0;
}

const HlField *
hl_inspector_get_row_field (HlInspector *self, guint row)
{
  update_if_stale (self);
  GListModel *m = gtk_single_selection_get_model (self->selection);
  g_autoptr (GtkTreeListRow) r = m ? g_list_model_get_item (m, row) : NULL;
  g_autoptr (HlFieldObject) obj = r ? gtk_tree_list_row_get_item (r) : NULL;
  return obj ? hl_field_object_get_field (obj) : NULL;
}

void
hl_inspector_select_row (HlInspector *self, guint row)
{
  update_if_stale (self);
  gtk_single_selection_set_selected (self->selection, row);
}

GtkPopover *
hl_inspector_get_field_menu (HlInspector *self)
{
  update_if_stale (self);
  update_field_actions (self);
  return GTK_POPOVER (self->field_menu);
}

void
hl_inspector_get_highlight (HlInspector *self, gsize *start, gsize *end)
{
  update_if_stale (self);
  hl_hex_view_get_mark (self->hex, start, end);
}

GtkWidget *
hl_inspector_get_hex_view (HlInspector *self)
{
  update_if_stale (self);
  return GTK_WIDGET (self->hex);
}
