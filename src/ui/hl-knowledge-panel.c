/* hl-knowledge-panel.c */
#include <glib/gi18n.h>

#include "hl-knowledge-panel-private.h"

#include "hl-tables.h"

G_DEFINE_FINAL_TYPE (HlKnowledgePanel, hl_knowledge_panel, GTK_TYPE_WIDGET)

static void
copy_value (GtkButton *button, const char *hex)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), hex);
}

static GtkWidget *
new_group (const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_widget_set_hexpand (group, TRUE);
  gtk_widget_set_valign (group, GTK_ALIGN_START);
  return group;
}

static void
add_row (HlKnowledgePanel *self, HlSide side, const char *title, const char *subtitle,
         const char *tooltip, const char *copy)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *sub = g_markup_escape_text (subtitle, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), t);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  if (tooltip)
    gtk_widget_set_tooltip_text (row, tooltip);
  if (copy) {
    GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
    gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (button, "flat");
    gtk_widget_set_tooltip_text (button, _ ("Copy the value (hex)"));
    g_signal_connect_data (button, "clicked", G_CALLBACK (copy_value), g_strdup (copy),
                           (GClosureNotify)(void (*) (void))g_free, 0);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group[side]), row);
  g_ptr_array_add (self->titles[side], g_strdup (title));
}

static char *
spaced_hex (GBytes *value)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (value, &len);
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%s%02x", i && i % 4 == 0 ? " " : "", d[i]);
  return g_string_free (s, FALSE);
}

static void
refresh (HlKnowledgePanel *self)
{
  const HlStep *st = self->session ? hl_session_get_selected_step (self->session) : NULL;
  for (int side = 0; side < 2; side++) {
    GtkWidget *old = self->group[side];
    self->group[side] = new_group (side == HL_SIDE_CLIENT ? _ ("Client") : _ ("Server"));
    gtk_box_insert_child_after (GTK_BOX (self->columns), self->group[side], old);
    gtk_box_remove (GTK_BOX (self->columns), old);
    g_ptr_array_set_size (self->titles[side], 0);
    if (!st) {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group[side]),
                                             _ ("Select a step to see what this side knows."));
      continue;
    }
    {
      const HlSideState *after = &st->after[side];
      g_autofree char *desc = hl_describe_side_state (after->state, st->index);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group[side]), desc);
      if (after->suite) {
        g_autofree char *suite = hl_describe_suite_id (after->suite);
        g_autofree char *what = g_strdup_printf (
            "%s, %s%s%s", hl_version_long_name (after->version), suite,
            after->curve > 0 ? ", " : "", after->curve > 0 ? hl_curve_name (after->curve) : "");
        add_row (self, side, _ ("Negotiated"), what, NULL, NULL);
      }
      if (after->certificate_verdict)
        add_row (self, side, _ ("Certificate check"), after->certificate_verdict, NULL, NULL);
      if (after->error && after->openssl) {
        /* OpenSSL's own words: the alert and its reason, not BearSSL's codes. */
        g_autofree char *words = hl_describe_openssl_error (after->error, after->reason);
        g_autofree char *text = g_strdup_printf (_ ("OpenSSL %s"), words);
        add_row (self, side, _ ("Stopped"), text, NULL, NULL);
      } else if (after->error) {
        g_autofree char *name = hl_error_name (after->error);
        g_autofree char *plain = hl_error_explain (after->error);
        g_autofree char *text = g_strdup_printf ("%s: %s", name, plain);
        add_row (self, side, _ ("Stopped"), text, NULL, NULL);
      }
      if (!after->secrets || after->secrets->len == 0)
        add_row (self, side, _ ("Nothing secret yet"), "", NULL, NULL);
      for (guint i = 0; after->secrets && i < after->secrets->len; i++) {
        const HlSecret *s = g_ptr_array_index (after->secrets, i);
        g_autofree char *hex = spaced_hex (s->value);
        g_autofree char *plain = hl_hex_bytes (s->value);
        g_autofree char *inputs
            = s->inputs && s->inputs[0] ? g_strjoinv (", ", (char **)s->inputs) : NULL;
        g_autofree char *title
            = g_strdup_printf ("%s%s", s->name, s->learned_at == st->index ? _ (" (new)") : "");
        g_autofree char *tip = g_strdup_printf (_ ("%s%s%s\nLearned after step %u."), s->formula,
                                                inputs ? _ ("\nMade from: ") : "",
                                                inputs ? inputs : "", s->learned_at);
        g_autofree char *sub = g_strdup_printf ("%s\n%s", hex, s->formula);
        add_row (self, side, title, sub, tip, plain);
      }
    }
  }
}

/* Rows are rebuilt only while the panel is shown: stepping with the panel hidden
 * costs nothing. */
static void
on_changed (HlKnowledgePanel *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
  else
    self->stale = TRUE;
}

static void
hl_knowledge_panel_map (GtkWidget *widget)
{
  HlKnowledgePanel *self = HL_KNOWLEDGE_PANEL (widget);
  GTK_WIDGET_CLASS (hl_knowledge_panel_parent_class)->map (widget);
  if (self->stale) {
    self->stale = FALSE;
    refresh (self);
  }
}

static void
hl_knowledge_panel_dispose (GObject *object)
{
  HlKnowledgePanel *self = HL_KNOWLEDGE_PANEL (object);
  hl_knowledge_panel_set_session (self, NULL);
  g_clear_pointer (&self->columns, gtk_widget_unparent);
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
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
hl_knowledge_panel_init (HlKnowledgePanel *self)
{
  self->columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  gtk_widget_set_margin_start (self->columns, 12);
  gtk_widget_set_margin_end (self->columns, 12);
  gtk_widget_set_margin_top (self->columns, 12);
  gtk_widget_set_margin_bottom (self->columns, 12);
  gtk_box_set_homogeneous (GTK_BOX (self->columns), TRUE);
  gtk_widget_set_parent (self->columns, GTK_WIDGET (self));
  for (int s = 0; s < 2; s++) {
    self->titles[s] = g_ptr_array_new_with_free_func (g_free);
    self->group[s] = new_group (s == 0 ? _ ("Client") : _ ("Server"));
    gtk_box_append (GTK_BOX (self->columns), self->group[s]);
  }
  refresh (self);
}

void
hl_knowledge_panel_set_session (HlKnowledgePanel *self, HlSession *session)
{
  if (!hl_session_follow (&self->session, session, self, G_CALLBACK (on_changed), "selected",
                          "title", NULL))
    return;
  if (self->columns)
    on_changed (self);
}

GPtrArray *
hl_knowledge_panel_list_rows (HlKnowledgePanel *self, HlSide side)
{
  return self->titles[side];
}
