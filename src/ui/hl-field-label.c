/* hl-field-label.c */
#include "hl-field-label.h"

#include <pango/pangocairo.h>
#include <string.h>

/* Between a field's name and its value, as the Fields list always showed them. */
#define SEPARATOR "  "

struct _HlFieldLabel {
  GtkWidget parent_instance;
  char *text;          /* name SEPARATOR value */
  guint name_bytes;    /* the bold part */
  int n_lines;         /* a value may hold line breaks: one line per paragraph */
  PangoLayout *layout; /* NULL until drawn */
  int layout_width;    /* the width it is cut at; -1: the text changed since */
  guint context_serial;
  guint n_shaped;
};

G_DEFINE_FINAL_TYPE (HlFieldLabel, hl_field_label, GTK_TYPE_WIDGET)

/* The bold name, then the value in the widget's font. */
static void
set_layout_text (HlFieldLabel *self, PangoLayout *layout, const char *text, guint name_bytes)
{
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoAttribute *bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
  bold->start_index = 0;
  bold->end_index = name_bytes;
  pango_attr_list_insert (attrs, bold);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

/* The widget's font and resolution, as a key: what decides how a text is shaped. */
static char *
make_font_key (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  g_autofree char *font
      = pango_font_description_to_string (pango_context_get_font_description (context));
  return g_strdup_printf ("%s %g", font, pango_cairo_context_get_resolution (context));
}

/* The height of one line in the widget's font, bold or not, in Pango units: n lines of
 * these texts take n times this. Shaped once per font (a sample of a bold and a plain
 * letter), never per field. */
static int
line_height (HlFieldLabel *self)
{
  static GHashTable *heights;
  g_autofree char *key = make_font_key (GTK_WIDGET (self));
  gpointer height;
  if (!heights)
    heights = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_lookup_extended (heights, key, NULL, &height)) {
    g_autoptr (PangoLayout) sample = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
    int h;
    set_layout_text (self, sample, "A" SEPARATOR "g", 1);
    pango_layout_get_size (sample, NULL, &h);
    height = GINT_TO_POINTER (h);
    g_hash_table_insert (heights, g_steal_pointer (&key), height);
  }
  return GPOINTER_TO_INT (height);
}

static void
hl_field_label_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                        int *natural, int *minimum_baseline, int *natural_baseline)
{
  HlFieldLabel *self = HL_FIELD_LABEL (widget);
  if (orientation == GTK_ORIENTATION_HORIZONTAL) {
    /* The text is cut to any width: the list's width decides. */
    *minimum = *natural = 0;
    return;
  }
  *minimum = *natural = PANGO_PIXELS_CEIL (self->n_lines * line_height (self));
}

/* The lines a text takes cut, not wrapped: one per paragraph, as Pango splits them (at
 * "\n", "\r\n", "\r" and U+2029; a break at the end starts an empty line). */
static int
count_lines (const char *text)
{
  int n = 1, delimiter, next;
  for (const char *p = text; *p; p += next) {
    pango_find_paragraph_boundary (p, -1, &delimiter, &next);
    if (next == delimiter)
      break;
    n++;
  }
  return n;
}

/* ---------- Fields shaped ahead ---------- */

/* Layouts of the step made ahead of time, shaped while the window was idle
 * (hl_field_label_prepare), by font, width, direction and text: a label about to shape
 * its text takes the one made for it instead. */
static GHashTable *prepared;
static gboolean prepared_ready; /* the step they were made for is shown */
static guint n_shaped_total;

static char *
make_key (GtkWidget *widget, int width, const char *text)
{
  g_autofree char *font = make_font_key (widget);
  return g_strdup_printf ("%s %d %d\n%s", font, width,
                          gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL, text);
}

static PangoLayout *
make_layout (GtkWidget *widget, const char *text, guint name_bytes, int width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  set_layout_text (NULL, layout, text, name_bytes);
  pango_layout_set_alignment (layout, gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL
                                          ? PANGO_ALIGN_RIGHT
                                          : PANGO_ALIGN_LEFT);
  pango_layout_set_width (layout, MAX (width, 1) * PANGO_SCALE);
  return layout;
}

void
hl_field_label_prepare (HlFieldLabel *like, const char *name, const char *value, int width)
{
  g_autofree char *text = g_strconcat (name ? name : "", SEPARATOR, value ? value : "", NULL);
  g_autofree char *key = NULL;
  GPtrArray *same; /* a message may hold the same field twice (two certificates' extensions) */
  PangoLayout *layout;
  g_return_if_fail (HL_IS_FIELD_LABEL (like));
  layout = make_layout (GTK_WIDGET (like), text, name ? strlen (name) : 0, width);
  pango_layout_get_size (layout, NULL, NULL); /* shaped now */
  key = make_key (GTK_WIDGET (like), width, text);
  if (!prepared)
    prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify)g_ptr_array_unref);
  if (!(same = g_hash_table_lookup (prepared, key))) {
    same = g_ptr_array_new_with_free_func (g_object_unref);
    g_hash_table_insert (prepared, g_steal_pointer (&key), same);
  }
  g_ptr_array_add (same, layout);
}

void
hl_field_label_forget_prepared (void)
{
  if (prepared)
    g_hash_table_remove_all (prepared);
  prepared_ready = FALSE;
}

void
hl_field_label_use_prepared (void)
{
  prepared_ready = TRUE;
}

guint
hl_field_label_get_n_shaped_total (void)
{
  return n_shaped_total;
}

/* The layout cut at width, shaped again only if the text, width or font changed. */
static PangoLayout *
ensure_layout (HlFieldLabel *self, int width)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);
  if (self->layout && width == self->layout_width && serial == self->context_serial)
    return self->layout;
  if (prepared_ready && prepared && g_hash_table_size (prepared)) {
    g_autofree char *key = make_key (GTK_WIDGET (self), width, self->text ? self->text : "");
    GPtrArray *same = g_hash_table_lookup (prepared, key);
    if (same && same->len) {
      g_clear_object (&self->layout);
      /* its own now: the label may change it */
      self->layout = g_ptr_array_steal_index (same, same->len - 1);
      self->layout_width = width;
      self->context_serial = serial;
      return self->layout;
    }
  }
  if (!self->layout || serial != self->context_serial) {
    g_clear_object (&self->layout);
    self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
    pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
    self->layout_width = -1;
  }
  if (self->layout_width == -1)
    set_layout_text (self, self->layout, self->text ? self->text : "", self->name_bytes);
  pango_layout_set_alignment (self->layout,
                              gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
                                  ? PANGO_ALIGN_RIGHT
                                  : PANGO_ALIGN_LEFT);
  pango_layout_set_width (self->layout, MAX (width, 1) * PANGO_SCALE);
  self->layout_width = width;
  self->context_serial = serial;
  self->n_shaped++;
  n_shaped_total++;
  return self->layout;
}

static void
hl_field_label_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HlFieldLabel *self = HL_FIELD_LABEL (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  PangoLayout *layout;
  GdkRGBA color;
  int h;
  if (!self->text || !*self->text || width <= 0)
    return;
  layout = ensure_layout (self, width);
  pango_layout_get_pixel_size (layout, NULL, &h);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, MAX (0, (height - h) / 2)));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
hl_field_label_direction_changed (GtkWidget *widget, GtkTextDirection previous)
{
  HL_FIELD_LABEL (widget)->layout_width = -1;
  gtk_widget_queue_draw (widget);
}

static void
hl_field_label_finalize (GObject *object)
{
  HlFieldLabel *self = HL_FIELD_LABEL (object);
  g_clear_object (&self->layout);
  g_free (self->text);
  G_OBJECT_CLASS (hl_field_label_parent_class)->finalize (object);
}

static void
hl_field_label_class_init (HlFieldLabelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = hl_field_label_finalize;
  widget_class->measure = hl_field_label_measure;
  widget_class->snapshot = hl_field_label_snapshot;
  widget_class->direction_changed = hl_field_label_direction_changed;
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
hl_field_label_init (HlFieldLabel *self)
{
  self->layout_width = -1;
  self->n_lines = 1;
}

GtkWidget *
hl_field_label_new (void)
{
  return g_object_new (HL_TYPE_FIELD_LABEL, NULL);
}

void
hl_field_label_set_field (HlFieldLabel *self, const char *name, const char *value)
{
  g_autofree char *text = g_strconcat (name ? name : "", SEPARATOR, value ? value : "", NULL);
  g_return_if_fail (HL_IS_FIELD_LABEL (self));
  if (g_strcmp0 (text, self->text) == 0)
    return;
  g_free (self->text);
  self->text = g_steal_pointer (&text);
  self->name_bytes = name ? strlen (name) : 0;
  if (self->n_lines != count_lines (self->text)) {
    self->n_lines = count_lines (self->text);
    gtk_widget_queue_resize (GTK_WIDGET (self));
  }
  self->layout_width = -1;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->text,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
hl_field_label_get_text (HlFieldLabel *self)
{
  g_return_val_if_fail (HL_IS_FIELD_LABEL (self), NULL);
  return self->text ? self->text : "";
}

guint
hl_field_label_get_n_shaped (HlFieldLabel *self)
{
  g_return_val_if_fail (HL_IS_FIELD_LABEL (self), 0);
  return self->n_shaped;
}
