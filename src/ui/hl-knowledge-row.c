/* hl-knowledge-row.c */
#include <math.h>
#include <string.h>

#include "hl-knowledge-row.h"

/* As libadwaita 1.2 lays out an action row's header: the title column 6 px from the top
 * and bottom, 3 px between title and subtitle, 6 px before the suffix; the header's own
 * margins and 50 px minimum height come from its CSS (row > box.header). */
#define TEXT_MARGIN 6
#define TEXT_SPACING 3
#define SUFFIX_SPACING 6
/* The width the row asks for: its texts wrap at any width, so the panel's width decides. */
#define MIN_TEXT_WIDTH 48
#define NAT_TEXT_WIDTH 300
/* "row label.subtitle { font-size: smaller; opacity: 0.55 }" */
#define SUBTITLE_OPACITY 0.55

struct _HlKnowledgeRow {
  GtkWidget parent_instance;
  char *text[2];          /* title, subtitle */
  PangoLayout *layout[2]; /* shared with the rows showing the same text (never changed) */
  int text_width;         /* the width the layouts are wrapped at; -1 none yet */
  int height[2];          /* of each laid-out text, in pixels; 0 when empty */
  gboolean dirty[2];      /* the text changed since it was laid out */
  guint context_serial;   /* of the Pango context the layouts were made for */
  char *font_key;         /* its font and resolution, for sharing layouts */
  guint font_serial;      /* of the Pango context font_key was made for */
  GtkWidget *suffix;
  int suffix_px;       /* its width and spacing, as measured at frame suffix_frame */
  gint64 suffix_frame; /* -1: not measured */
  gboolean plain;      /* one dim text, no margins: a group's description */
  gboolean deferred;   /* below the view: an estimated height until laid out (issue 17) */
  guint n_layouts;
};

G_DEFINE_FINAL_TYPE (HlKnowledgeRow, hl_knowledge_row, GTK_TYPE_WIDGET)

/* The width a visible copy button takes with its spacing, as last measured: every row's
 * button is the same (0: none measured yet). */
static int copy_px;
/* Texts shaped by rows as they were measured (for tests: prepared ones are not counted). */
static guint n_shaped_by_rows;

/* The width the suffix takes, spacing included. GTK asks a row its size many times a
 * frame (each width, each orientation, allocation, drawing): the button is measured once
 * per frame. */
static int
suffix_width (HlKnowledgeRow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  gint64 frame = clock ? gdk_frame_clock_get_frame_counter (clock) : -1;
  int min = 0;
  if (!self->suffix || !gtk_widget_get_visible (self->suffix))
    return 0;
  if (frame >= 0 && frame == self->suffix_frame)
    return self->suffix_px;
  gtk_widget_measure (self->suffix, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  self->suffix_frame = frame;
  self->suffix_px = min + SUFFIX_SPACING;
  copy_px = self->suffix_px;
  return self->suffix_px;
}

/* The text with a break opportunity (a zero-width space) after each underscore and after
 * a dot before a letter: a narrow row breaks TLS_RSA_WITH_AES_128_GCM_SHA256 at its parts
 * and ClientHello.random at its dot, not inside 128 or random. */
static char *
breakable_text (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p; p++) {
    g_string_append_c (out, *p);
    if (*p == '_' || (*p == '.' && g_ascii_isalpha (p[1])))
      g_string_append (out, "\u200b");
  }
  return g_string_free (out, FALSE);
}

static PangoLayout *
make_layout (HlKnowledgeRow *self, int which, const char *text)
{
  g_autofree char *shown = breakable_text (text);
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), shown);
  PangoAttrList *attrs = pango_attr_list_new ();
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  /* a word broken for want of room gets no hyphen: "ra-ndom" reads as a word */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  if (which == 1)
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

/* Layouts shared by the rows that show the same text at the same width in the same font,
 * by key: the two sides list many of the same values (a TLS 1.3 side learns at its step
 * much of what the other side learnt at the step before), and shaping a wrapped text is
 * most of what a new row costs (issue 17). Weak: a layout leaves the table when its last
 * row lets it go. A shared layout is never changed, only replaced. */
static GHashTable *shared_layouts;

static void
forget_layout (gpointer key)
{
  g_hash_table_remove (shared_layouts, key);
  g_free (key);
}

/* The layout of text at width: a shared one, or a new one laid out now (*shaped set). */
static PangoLayout *
get_layout (HlKnowledgeRow *self, int which, const char *text, int width, gboolean rtl,
            gboolean *shaped)
{
  g_autofree char *key
      = g_strdup_printf ("%d %d %d %s\n%s", which, width, rtl, self->font_key, text);
  PangoLayout *layout = shared_layouts ? g_hash_table_lookup (shared_layouts, key) : NULL;
  *shaped = layout == NULL;
  if (layout)
    return g_object_ref (layout);
  layout = make_layout (self, which, text);
  pango_layout_set_alignment (layout, rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  if (!shared_layouts)
    shared_layouts = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (shared_layouts, key, layout);
  g_object_set_data_full (G_OBJECT (layout), "hl-shared-key", g_steal_pointer (&key),
                          forget_layout);
  return layout;
}

/* The font and resolution of the row's Pango context, as a key: font_key, kept up to
 * date (a new context serial may be a new font). */
static const char *
get_font_key (HlKnowledgeRow *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);
  if (serial != self->font_serial || !self->font_key) {
    g_autofree char *font
        = pango_font_description_to_string (pango_context_get_font_description (context));
    g_free (self->font_key);
    self->font_key = g_strdup_printf ("%s %g", font, pango_cairo_context_get_resolution (context));
    self->font_serial = serial;
  }
  return self->font_key;
}

/* Lays the texts out at text_width, only those whose text, width or font changed (Pango
 * keeps a layout's lines until then). */
static void
ensure_layouts (HlKnowledgeRow *self, int text_width)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  text_width = MAX (text_width, 1);
  get_font_key (self);
  for (int i = 0; i < 2; i++) {
    gboolean shaped;
    if (!self->dirty[i] && text_width == self->text_width && serial == self->context_serial)
      continue;
    self->height[i] = 0;
    g_clear_object (&self->layout[i]);
    if (self->text[i] && *self->text[i]) {
      self->layout[i] = get_layout (self, i, self->text[i], text_width, rtl, &shaped);
      pango_layout_get_pixel_size (self->layout[i], NULL, &self->height[i]);
      self->n_layouts += shaped;
      n_shaped_by_rows += shaped;
    }
    self->dirty[i] = FALSE;
  }
  self->text_width = text_width;
  self->context_serial = serial;
}

/* Whether a text has to be laid out (shaped) before the row can be drawn at text_width. */
static gboolean
needs_shaping (HlKnowledgeRow *self, int text_width)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  gboolean same = MAX (text_width, 1) == self->text_width
                  && pango_context_get_serial (context) == self->context_serial;
  for (int i = 0; i < 2; i++)
    if ((self->dirty[i] || !same) && self->text[i] && *self->text[i])
      return TRUE;
  return FALSE;
}

typedef struct {
  double char_width, line; /* pixels */
} FontSize;

/* The height of a row not laid out yet, without shaping: each paragraph takes as many
 * lines as its characters at the font's average width need. Only rows below the view
 * are measured so (their real height comes a moment later, before anyone scrolls to
 * them); a wrong guess moves nothing that is seen. */

static int
estimate_height (HlKnowledgeRow *self, int text_width)
{
  /* Pango measures a font's average width by shaping a sample text: once per font. */
  static GHashTable *sizes;
  const char *key = get_font_key (self);
  FontSize *size = sizes ? g_hash_table_lookup (sizes, key) : NULL;
  double char_width, line;
  int h[2] = { 0, 0 };
  if (!size) {
    PangoFontMetrics *metrics
        = pango_context_get_metrics (gtk_widget_get_pango_context (GTK_WIDGET (self)), NULL, NULL);
    size = g_new (FontSize, 1);
    size->char_width
        = pango_font_metrics_get_approximate_char_width (metrics) / (double)PANGO_SCALE;
    size->line = pango_font_metrics_get_height (metrics) / (double)PANGO_SCALE;
    pango_font_metrics_unref (metrics);
    if (!sizes)
      sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_hash_table_insert (sizes, g_strdup (key), size);
  }
  char_width = size->char_width;
  line = size->line;
  for (int i = 0; i < 2; i++) {
    double scale = i == 1 ? PANGO_SCALE_SMALL : 1.0;
    int lines = 0;
    g_auto (GStrv) paragraphs = NULL;
    if (!self->text[i] || !*self->text[i])
      continue;
    paragraphs = g_strsplit (self->text[i], "\n", -1);
    for (char **p = paragraphs; *p; p++)
      lines
          += MAX (1, (int)ceil (g_utf8_strlen (*p, -1) * char_width * scale / MAX (text_width, 1)));
    h[i] = (int)ceil (lines * line * scale);
  }
  return (self->plain ? 0 : 2 * TEXT_MARGIN) + h[0] + h[1] + (h[0] && h[1] ? TEXT_SPACING : 0);
}

/* A deferred row that would have to shape its texts to answer: it answers an estimate. */
static gboolean
is_estimated (HlKnowledgeRow *self, int text_width)
{
  return self->deferred && needs_shaping (self, text_width);
}

/* The width its texts get in its allocation (0 or less: not allocated yet). */
static int
allocated_text_width (HlKnowledgeRow *self)
{
  return gtk_widget_get_width (GTK_WIDGET (self)) - suffix_width (self);
}

static int
text_height (HlKnowledgeRow *self)
{
  int h = self->height[0] + self->height[1];
  if (self->height[0] && self->height[1])
    h += TEXT_SPACING;
  return self->plain ? h : h + 2 * TEXT_MARGIN;
}

static GtkSizeRequestMode
hl_knowledge_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hl_knowledge_row_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                          int *natural, int *minimum_baseline, int *natural_baseline)
{
  HlKnowledgeRow *self = HL_KNOWLEDGE_ROW (widget);
  int suffix = suffix_width (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL) {
    /* Wrapped text fits any width: no shaping to answer this. */
    *minimum = MIN_TEXT_WIDTH + suffix;
    *natural = NAT_TEXT_WIDTH + suffix;
    return;
  }
  if (for_size < 0)
    for_size = self->text_width >= 0 ? self->text_width + suffix : NAT_TEXT_WIDTH + suffix;
  if (is_estimated (self, for_size - suffix)) {
    *minimum = *natural = estimate_height (self, for_size - suffix);
  } else {
    ensure_layouts (self, for_size - suffix);
    *minimum = *natural = text_height (self);
  }
  if (self->suffix && gtk_widget_get_visible (self->suffix)) {
    int min, nat;
    gtk_widget_measure (self->suffix, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
    *minimum = MAX (*minimum, min);
    *natural = MAX (*natural, nat);
  }
}

static void
hl_knowledge_row_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HlKnowledgeRow *self = HL_KNOWLEDGE_ROW (widget);
  int suffix = suffix_width (self);
  if (!is_estimated (self, width - suffix))
    ensure_layouts (self, width - suffix);
  if (suffix) {
    int w = suffix - SUFFIX_SPACING, h;
    gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
    gtk_widget_measure (self->suffix, GTK_ORIENTATION_VERTICAL, w, &h, NULL, NULL, NULL);
    gtk_widget_size_allocate (
        self->suffix, &(GtkAllocation){ rtl ? 0 : width - w, MAX (0, (height - h) / 2), w, h }, -1);
  }
}

static void
hl_knowledge_row_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HlKnowledgeRow *self = HL_KNOWLEDGE_ROW (widget);
  int suffix = suffix_width (self);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  GdkRGBA color;
  int y;
  if (is_estimated (self, gtk_widget_get_width (widget) - suffix)) {
    /* Not laid out yet (below the view): its layouts, if any, hold older texts. */
    if (self->suffix)
      gtk_widget_snapshot_child (widget, self->suffix, snapshot);
    return;
  }
  ensure_layouts (self, gtk_widget_get_width (widget) - suffix);
  /* The text column is centred, as the header's title box is (valign center). */
  y = MAX (0, (gtk_widget_get_height (widget) - text_height (self)) / 2)
      + (self->plain ? 0 : TEXT_MARGIN);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  for (int i = 0; i < 2; i++) {
    if (!self->height[i])
      continue;
    if (i == 1 || self->plain) /* .dim-label's opacity */
      color.alpha *= SUBTITLE_OPACITY;
    gtk_snapshot_save (snapshot);
    gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rtl ? suffix : 0, y));
    gtk_snapshot_append_layout (snapshot, self->layout[i], &color);
    gtk_snapshot_restore (snapshot);
    y += self->height[i] + TEXT_SPACING;
  }
  if (self->suffix)
    gtk_widget_snapshot_child (widget, self->suffix, snapshot);
}

static void
hl_knowledge_row_direction_changed (GtkWidget *widget, GtkTextDirection previous)
{
  HL_KNOWLEDGE_ROW (widget)->text_width = -1;
  gtk_widget_queue_resize (widget);
}

static void
hl_knowledge_row_dispose (GObject *object)
{
  HlKnowledgeRow *self = HL_KNOWLEDGE_ROW (object);
  g_clear_pointer (&self->suffix, gtk_widget_unparent);
  for (int i = 0; i < 2; i++)
    g_clear_object (&self->layout[i]);
  G_OBJECT_CLASS (hl_knowledge_row_parent_class)->dispose (object);
}

static void
hl_knowledge_row_finalize (GObject *object)
{
  HlKnowledgeRow *self = HL_KNOWLEDGE_ROW (object);
  for (int i = 0; i < 2; i++)
    g_free (self->text[i]);
  g_free (self->font_key);
  G_OBJECT_CLASS (hl_knowledge_row_parent_class)->finalize (object);
}

static void
hl_knowledge_row_class_init (HlKnowledgeRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_knowledge_row_dispose;
  G_OBJECT_CLASS (klass)->finalize = hl_knowledge_row_finalize;
  widget_class->get_request_mode = hl_knowledge_row_get_request_mode;
  widget_class->measure = hl_knowledge_row_measure;
  widget_class->size_allocate = hl_knowledge_row_size_allocate;
  widget_class->snapshot = hl_knowledge_row_snapshot;
  widget_class->direction_changed = hl_knowledge_row_direction_changed;
  gtk_widget_class_set_css_name (widget_class, "box");
}

static void
hl_knowledge_row_init (HlKnowledgeRow *self)
{
  self->text_width = -1;
  self->suffix_frame = -1;
  gtk_widget_add_css_class (GTK_WIDGET (self), "header");
}

GtkWidget *
hl_knowledge_row_new (void)
{
  return g_object_new (HL_TYPE_KNOWLEDGE_ROW, NULL);
}

static void
set_text (HlKnowledgeRow *self, int which, const char *text)
{
  if (g_strcmp0 (self->text[which], text) == 0)
    return;
  g_free (self->text[which]);
  self->text[which] = g_strdup (text);
  self->dirty[which] = TRUE; /* laid out again at the next measure */
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
hl_knowledge_row_set_title (HlKnowledgeRow *self, const char *title)
{
  set_text (self, 0, title);
}

void
hl_knowledge_row_set_subtitle (HlKnowledgeRow *self, const char *subtitle)
{
  set_text (self, 1, subtitle);
}

const char *
hl_knowledge_row_get_title (HlKnowledgeRow *self)
{
  return self->text[0];
}

const char *
hl_knowledge_row_get_subtitle (HlKnowledgeRow *self)
{
  return self->text[1];
}

void
hl_knowledge_row_set_suffix (HlKnowledgeRow *self, GtkWidget *suffix)
{
  if (self->suffix == suffix)
    return;
  g_clear_pointer (&self->suffix, gtk_widget_unparent);
  self->suffix = suffix;
  if (suffix)
    gtk_widget_set_parent (suffix, GTK_WIDGET (self));
  self->text_width = -1;
  self->suffix_frame = -1;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
hl_knowledge_row_set_plain (HlKnowledgeRow *self, gboolean plain)
{
  if (self->plain == plain)
    return;
  self->plain = plain;
  if (plain)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "header");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "header");
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

GtkWidget *
hl_knowledge_row_get_suffix (HlKnowledgeRow *self)
{
  return self->suffix;
}

void
hl_knowledge_row_set_deferred (HlKnowledgeRow *self, gboolean deferred)
{
  gboolean was = self->deferred && needs_shaping (self, self->text_width);
  self->deferred = deferred;
  if (was && !deferred)
    gtk_widget_queue_resize (GTK_WIDGET (self));
}

gboolean
hl_knowledge_row_is_estimated (HlKnowledgeRow *self)
{
  return self->deferred
         && (gtk_widget_get_width (GTK_WIDGET (self)) <= 0
             || needs_shaping (self, allocated_text_width (self)));
}

gboolean
hl_knowledge_row_lay_out (HlKnowledgeRow *self)
{
  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0
      || !needs_shaping (self, allocated_text_width (self)))
    return FALSE;
  ensure_layouts (self, allocated_text_width (self));
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return TRUE;
}

int
hl_knowledge_row_get_text_height (HlKnowledgeRow *self)
{
  return text_height (self);
}

guint
hl_knowledge_row_get_n_layouts (HlKnowledgeRow *self)
{
  return self->n_layouts;
}

PangoLayout *
hl_knowledge_row_get_layout (HlKnowledgeRow *self, int which)
{
  return self->layout[which];
}

PangoLayout *
hl_knowledge_row_prepare_layout (HlKnowledgeRow *like, int which, const char *text, int row_width,
                                 gboolean with_copy)
{
  gboolean shaped;
  PangoLayout *layout;
  int text_width = row_width - (with_copy ? copy_px : 0);
  if (!text || !*text || row_width <= 0 || (with_copy && !copy_px))
    return NULL;
  get_font_key (like);
  layout = get_layout (like, which, text, MAX (text_width, 1),
                       gtk_widget_get_direction (GTK_WIDGET (like)) == GTK_TEXT_DIR_RTL, &shaped);
  if (shaped)
    pango_layout_get_pixel_size (layout, NULL, NULL); /* shapes it now */
  return layout;
}

guint
hl_knowledge_row_get_n_shaped_by_rows (void)
{
  return n_shaped_by_rows;
}
