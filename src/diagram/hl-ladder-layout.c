/* hl-ladder-layout.c: rows stacked top to bottom, columns side by side.
 *
 * The canvas is cut into three columns: the client's notes, the arrows between
 * the two timelines, the server's notes. Each step owns one row, as tall as the
 * tallest of its label + arrow + detail and its two notes; phase bands and
 * connection headings get rows of their own. Text wraps inside its column, so
 * no two boxes can overlap and none can leave the canvas.
 */
#include "hl-ladder-layout.h"
#include "hl-i18n.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "hl-ladder-labels.h"
#include "hl-tables.h"
#include "hl-transcript.h"

#define DEFAULT_WIDTH 1280.0
#define MIN_WIDTH 900.0
#define MIN_WIDTH_BARE 320.0 /* without the notes columns */
#define MARGIN 24.0
/* The notes columns take a fifth of the canvas each, between these bounds. */
#define NOTE_WIDTH_MIN 190.0
#define NOTE_WIDTH_MAX 270.0
#define GAP 20.0
/* Without notes, the timelines sit this far inside the margins. */
#define BARE_INSET 8.0
/* A padlock's box, centred on its arrow near the sender: it fits between the label above
 * the arrow and the detail below it (each 9 pixels away). */
#define LOCK_WIDTH 16.0
#define LOCK_HEIGHT 17.0
#define LOCK_OFFSET 24.0

/* Sizes in pixels at scale 1; --scale and the window's zoom scale the whole canvas. */
static const struct {
  double size;
  gboolean bold;
  gboolean mono;
} text_style[] = {
  [HL_LADDER_TEXT_TITLE] = { 22, TRUE, FALSE },
  [HL_LADDER_TEXT_SUBTITLE] = { 14, FALSE, FALSE },
  [HL_LADDER_TEXT_HEADER] = { 14, FALSE, FALSE },
  [HL_LADDER_TEXT_PHASE] = { 13, TRUE, FALSE },
  [HL_LADDER_TEXT_CONNECTION] = { 16, TRUE, FALSE },
  [HL_LADDER_TEXT_LABEL] = { 15, TRUE, FALSE },
  [HL_LADDER_TEXT_DETAIL] = { 13, FALSE, FALSE },
  [HL_LADDER_TEXT_NOTE] = { 13, FALSE, FALSE },
  [HL_LADDER_TEXT_END] = { 13, TRUE, FALSE },
  [HL_LADDER_TEXT_LEGEND] = { 12, FALSE, FALSE },
};

struct _HlLadderLayout {
  double width, height;
  double side_x[2];
  double line_top, line_bottom;
  HlLadderTheme theme;
  PangoContext *context;
  HlLadderTextCache *cache; /* from the options, while laying out; else NULL */
  GArray *texts;            /* HlLadderText */
  GArray *arrows;           /* HlLadderArrow */
  GArray *bands;            /* HlLadderBand */
};

static PangoContext *
new_context (void)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *context = pango_font_map_create_context (map);
  cairo_font_options_t *options = cairo_font_options_create ();
  /* No hinting and no hinted metrics: the same geometry at every scale and on every surface. */
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  pango_cairo_context_set_resolution (context, 96);
  cairo_font_options_destroy (options);
  return context;
}

struct _HlLadderTextCache {
  PangoContext *context; /* every cached layout was made in it */
  GHashTable *texts;     /* "kind|width|align|markup" -> CachedText */
};

typedef struct {
  PangoLayout *layout;
  PangoRectangle logical;
} CachedText;

static void
free_cached_text (gpointer data)
{
  CachedText *c = data;
  g_object_unref (c->layout);
  g_free (c);
}

HlLadderTextCache *
hl_ladder_text_cache_new (void)
{
  HlLadderTextCache *cache = g_new0 (HlLadderTextCache, 1);
  cache->context = new_context ();
  cache->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_cached_text);
  return cache;
}

void
hl_ladder_text_cache_free (HlLadderTextCache *cache)
{
  if (!cache)
    return;
  g_hash_table_unref (cache->texts);
  g_object_unref (cache->context);
  g_free (cache);
}

/* The markup with a zero-width space after each underscore of its text (not of its tags):
 * a name like BR_ERR_X509_NOT_TRUSTED that does not fit then wraps after an underscore,
 * where Pango would otherwise cut it between two letters (WORD_CHAR). */
static char *
breakable_names (const char *markup)
{
  GString *out = g_string_sized_new (strlen (markup) + 16);
  gboolean tag = FALSE;
  for (const char *p = markup; *p; p++) {
    g_string_append_c (out, *p);
    if (*p == '<')
      tag = TRUE;
    else if (*p == '>')
      tag = FALSE;
    else if (*p == '_' && !tag && g_ascii_isalnum (p[1]))
      g_string_append (out, "\u200b");
  }
  return g_string_free (out, FALSE);
}

/* A text box at (x, y), wrapped to width and aligned in it; *height: its height. */
static HlLadderText
make_text (const HlLadderLayout *l, HlLadderTextKind kind, HlLadderTone tone, guint step,
           const char *markup_in, double x, double y, double width, PangoAlignment align,
           double *height)
{
  g_autofree char *markup = breakable_names (markup_in);
  HlLadderText t = { kind, tone, { x, y, width, 0 }, step, NULL };
  g_autofree char *key = NULL;
  PangoFontDescription *desc;
  PangoRectangle logical;
  if (l->cache) {
    /* Everything that shapes the text is in the key (colours are in the markup). */
    CachedText *c;
    key = g_strdup_printf ("%d|%d|%d|%s", kind, (int)(width * PANGO_SCALE), align, markup);
    c = g_hash_table_lookup (l->cache->texts, key);
    if (c) {
      t.layout = g_object_ref (c->layout);
      t.rect.x = x + c->logical.x;
      t.rect.width = MIN (c->logical.width, width);
      t.rect.height = c->logical.height;
      *height = c->logical.height;
      return t;
    }
  }
  t.layout = pango_layout_new (l->context);
  desc = pango_font_description_new ();
  pango_font_description_set_family (desc,
                                     text_style[kind].mono ? HL_LADDER_MONO_FONT : HL_LADDER_FONT);
  pango_font_description_set_absolute_size (desc, text_style[kind].size * PANGO_SCALE);
  pango_font_description_set_weight (desc, text_style[kind].bold ? PANGO_WEIGHT_BOLD
                                                                 : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (t.layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (t.layout, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap (t.layout, PANGO_WRAP_WORD_CHAR);

  pango_layout_set_alignment (t.layout, align);
  pango_layout_set_markup (t.layout, markup, -1);
  {
    /* Names like BR_ERR_X509_NOT_TRUSTED break between lines, never with a hyphen
     * (after the markup, which sets the layout's attributes). */
    PangoAttrList *attrs = pango_layout_get_attributes (t.layout);
    attrs = attrs ? pango_attr_list_copy (attrs) : pango_attr_list_new ();
    pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
    pango_layout_set_attributes (t.layout, attrs);
    pango_attr_list_unref (attrs);
  }
  pango_layout_get_pixel_extents (t.layout, NULL, &logical);
  /* The box is the ink the text really takes: where it sits inside the wrap width. */
  t.rect.x = x + logical.x;
  t.rect.width = MIN (logical.width, width);
  t.rect.height = logical.height;
  if (key) {
    CachedText *c = g_new (CachedText, 1);
    /* A bound, not an eviction policy: a long session of many lessons starts afresh. */
    if (g_hash_table_size (l->cache->texts) >= 4096)
      g_hash_table_remove_all (l->cache->texts);
    c->layout = g_object_ref (t.layout);
    c->logical = logical;
    g_hash_table_insert (l->cache->texts, g_steal_pointer (&key), c);
  }
  *height = logical.height;
  return t;
}

/* Adds a text box at (x, y), wrapped to width and aligned in it; returns its height. */
static double
add_text (HlLadderLayout *l, HlLadderTextKind kind, HlLadderTone tone, guint step,
          const char *markup, double x, double y, double width, PangoAlignment align)
{
  double height;
  HlLadderText t = make_text (l, kind, tone, step, markup, x, y, width, align, &height);
  g_array_append_val (l->texts, t);
  return height;
}

HlLadderText
hl_ladder_layout_make_text (const HlLadderLayout *l, HlLadderTextKind kind, HlLadderTone tone,
                            const char *markup, double x, double y, double width,
                            PangoAlignment align)
{
  double height;
  return make_text (l, kind, tone, 0, markup, x, y, width, align, &height);
}

static void
add_band (HlLadderLayout *l, double top, double bottom)
{
  HlLadderBand b = { { MARGIN / 2, top, l->width - MARGIN, bottom - top }, l->bands->len % 2 };
  g_array_append_val (l->bands, b);
}

/* An alert drawn as the end of a failure: one read and not close_notify. An encrypted
 * alert no key opened (a capture without keys) may well be close_notify: it is drawn as
 * any other encrypted record. */
static gboolean
step_is_alert (const HlStep *st)
{
  return st->content_type == HL_CONTENT_ALERT && !st->close_notify
         && !(st->encrypted && !st->plaintext);
}

/* The run's header: title and what was negotiated. */
static double
lay_out_title (HlLadderLayout *l, const HlRun *run, guint upto, guint connection, double y)
{
  const HlScenario *s = hl_run_get_scenario (run);
  guint nc = hl_run_get_n_connections (run);
  /* What was negotiated: on the connection shown alone, else on the last one. */
  const HlConnection *c = connection ? hl_run_get_connection (run, connection - 1)
                          : nc       ? hl_run_get_connection (run, nc - 1)
                                     : NULL;
  g_autofree char *title = g_markup_escape_text (s->title ? s->title : "", -1);
  GString *sub = g_string_new (NULL);
  double w = l->width - 2 * MARGIN;
  y += add_text (l, HL_LADDER_TEXT_TITLE, HL_LADDER_TONE_NORMAL, 0, title, MARGIN, y, w,
                 PANGO_ALIGN_LEFT)
       + 4;
  if (upto < hl_run_get_n_steps (run)) {
    /* A partial diagram does not give the ending away. */
    char *line
        = g_markup_printf_escaped (_ ("After step %u of %u"), upto, hl_run_get_n_steps (run));
    g_string_append (sub, line);
    g_free (line);
  } else if (c && hl_run_is_finished (run)) {
    const char *version = c->version ? hl_version_long_name (c->version) : NULL;
    g_autofree char *suite = c->suite ? hl_describe_suite_id (c->suite) : NULL;
    char *line = g_markup_printf_escaped (
        "%s%s%s%s%s \u00b7 %s", version ? version : _ ("no ServerHello reached the client"),
        suite ? " \u00b7 " : "", suite ? suite : "", c->curve > 0 ? " \u00b7 " : "",
        c->curve > 0 ? hl_curve_name (c->curve) : "",
        c->success ? _ ("handshake succeeded") : _ ("handshake failed"));
    g_string_append (sub, line);
    g_free (line);
  } else {
    g_string_append (sub, upto == 0 ? _ ("Nothing delivered yet: each step delivers one message")
                                    : _ ("Run in progress"));
  }
  y += add_text (l, HL_LADDER_TEXT_SUBTITLE, HL_LADDER_TONE_DIM, 0, sub->str, MARGIN, y, w,
                 PANGO_ALIGN_LEFT)
       + 16;
  g_string_free (sub, TRUE);
  return y;
}

/* One text per side, each in its half of the canvas, aligned towards its edge. */
static double
lay_out_pair (HlLadderLayout *l, HlLadderTextKind kind, char *text[2], HlLadderTone tone[2],
              double y)
{
  double mid = (l->side_x[0] + l->side_x[1]) / 2;
  double h = 0;
  for (int s = 0; s < 2; s++) {
    double x = s == 0 ? MARGIN : mid + GAP / 2;
    double w = s == 0 ? mid - GAP / 2 - MARGIN : l->width - MARGIN - x;
    double th = add_text (l, kind, tone[s], 0, text[s], x, y, w,
                          s == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
    h = MAX (h, th);
    g_free (text[s]);
  }
  return h;
}

static double
lay_out_headers (HlLadderLayout *l, const HlRun *run, double y)
{
  char *text[2] = { hl_ladder_describe_side (run, HL_SIDE_CLIENT),
                    hl_ladder_describe_side (run, HL_SIDE_SERVER) };
  HlLadderTone tone[2] = { HL_LADDER_TONE_CLIENT, HL_LADDER_TONE_SERVER };
  return y + lay_out_pair (l, HL_LADDER_TEXT_HEADER, text, tone, y) + 14;
}

static double
lay_out_end (HlLadderLayout *l, const HlConnection *c, double y)
{
  gboolean ok[2];
  char *text[2] = { hl_ladder_describe_end (c, HL_SIDE_CLIENT, &ok[0]),
                    hl_ladder_describe_end (c, HL_SIDE_SERVER, &ok[1]) };
  HlLadderTone tone[2];
  for (int s = 0; s < 2; s++)
    tone[s] = ok[s]              ? HL_LADDER_TONE_OK
              : c->error[s] == 0 ? HL_LADDER_TONE_DIM /* stopped because the other side did */
                                 : HL_LADDER_TONE_ALERT;
  return y + lay_out_pair (l, HL_LADDER_TEXT_END, text, tone, y) + 10;
}

/* The end of an arrow with `remaining` of its way still to go (0: arrived). */
static void
place_arrow_end (HlLadderArrow *a, double remaining)
{
  a->x_to = remaining > 0 ? a->x_from + (a->x_end - a->x_from) * (1 - CLAMP (remaining, 0, 1))
                          : a->x_end;
}

static double
lay_out_step (HlLadderLayout *l, const HlRun *run, const HlStep *st, const HlLadderOptions *o,
              guint first, double top)
{
  HlLadderArrow a = { 0 };
  double span_l = l->side_x[0] + GAP, span_w = l->side_x[1] - l->side_x[0] - 2 * GAP;
  double y = top + 8, bottom;
  g_autofree char *name = NULL;
  g_autofree char *detail = hl_ladder_describe_step (run, st);
  HlSide to = hl_side_other (st->from);
  HlLadderTone tone = st->from == HL_SIDE_CLIENT ? HL_LADDER_TONE_CLIENT : HL_LADDER_TONE_SERVER;
  a.step = st->index;
  a.from = st->from;
  a.encrypted = st->encrypted;
  a.alert = step_is_alert (st);
  a.dropped = !st->delivered;
  a.unread = st->delivered && !st->accepted;
  a.tampered = st->fault != NULL;
  a.mismatch = st->check && g_str_has_prefix (st->check, "MISMATCH");
  a.current = o->current == st->index;
  a.selected = o->selected == st->index;
  name = g_markup_printf_escaped ("%u. %s%s", st->index - first + 1, st->message,
                                  st->encrypted ? _ (" (encrypted)") : "");
  {
    /* A capture's time beside the name (none in a live run): the gaps are round trips. */
    g_autofree char *when = hl_step_describe_time (run, st->index);
    if (when) {
      const HlRgb *dim = &hl_ladder_palette (l->theme)->dim_text;
      char *timed = g_markup_printf_escaped (
          "  <span weight=\"normal\" foreground=\"#%02x%02x%02x\">%s</span>",
          (int)(dim->r * 255 + 0.5), (int)(dim->g * 255 + 0.5), (int)(dim->b * 255 + 0.5), when);
      char *joined = g_strconcat (name, timed, NULL);
      g_free (timed);
      g_free (name);
      name = joined;
    }
  }
  y += add_text (l, HL_LADDER_TEXT_LABEL, a.alert ? HL_LADDER_TONE_ALERT : tone, st->index, name,
                 span_l, y, span_w, PANGO_ALIGN_CENTER);
  a.y = y + 9;
  y = a.y + 9;
  if (detail && *detail)
    y += add_text (l, HL_LADDER_TEXT_DETAIL,
                   a.alert || a.mismatch || a.unread ? HL_LADDER_TONE_ALERT
                   : a.tampered                      ? HL_LADDER_TONE_WARNING
                                                     : HL_LADDER_TONE_NORMAL,
                   st->index, detail, span_l, y, span_w, PANGO_ALIGN_CENTER);
  bottom = y;
  for (int s = 0; s < 2 && !o->hide_notes; s++) {
    const HlRgb *alert = &hl_ladder_palette (l->theme)->alert;
    g_autofree char *color
        = g_strdup_printf ("#%02x%02x%02x", (int)(alert->r * 255 + 0.5),
                           (int)(alert->g * 255 + 0.5), (int)(alert->b * 255 + 0.5));
    g_autofree char *note = hl_ladder_describe_learned (run, st, s, color);
    double x = s == 0 ? MARGIN : l->side_x[1] + GAP;
    double w = s == 0 ? l->side_x[0] - GAP - MARGIN : l->width - MARGIN - x;
    if (note) {
      double th = add_text (l, HL_LADDER_TEXT_NOTE,
                            s == 0 ? HL_LADDER_TONE_CLIENT : HL_LADDER_TONE_SERVER, st->index, note,
                            x, top + 8, w, s == 0 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      bottom = MAX (bottom, top + 8 + th);
    }
  }
  a.x_from = l->side_x[st->from];
  a.x_to = l->side_x[to];
  if (a.dropped)
    a.x_to = (l->side_x[0] + l->side_x[1]) / 2;
  else if (a.unread)
    a.x_to = l->side_x[to] + (to == HL_SIDE_SERVER ? -36 : 36);
  a.x_end = a.x_to;
  if (a.current)
    place_arrow_end (&a, o->current_remaining);
  if (a.encrypted) {
    double x = a.x_from + (a.from == HL_SIDE_CLIENT ? LOCK_OFFSET : -LOCK_OFFSET);
    a.lock = (HlLadderRect){ x - LOCK_WIDTH / 2, a.y - 9, LOCK_WIDTH, LOCK_HEIGHT };
  }
  a.row = (HlLadderRect){ MARGIN / 2, top, l->width - MARGIN, bottom + 8 - top };
  g_array_append_val (l->arrows, a);
  return bottom + 8;
}

/* "Connection 2: resumed. ...": what kind of handshake a connection is. */
static char *
describe_connection (const HlRun *run, guint connection, guint upto)
{
  const HlConnection *c = hl_run_get_connection (run, connection - 1);
  guint n = hl_run_get_n_steps (run);
  /* Until its ServerHello is shown, nobody knows whether the server resumes. */
  gboolean told = FALSE;
  for (guint j = 0; c && !told; j++) {
    const HlStep *later = j < MIN (upto, n) ? hl_run_get_step (run, j) : NULL;
    if (!later) { /* shown so far; told only if the connection has ended too */
      told = upto >= n && hl_run_is_finished (run);
      break;
    }
    if (later->connection < connection)
      continue;
    told = later->connection != connection || strcmp (later->message, "ServerHello") == 0;
  }
  return g_markup_printf_escaped (
      _ ("Connection %u%s"), connection,
      !told ? _ (": its ServerHello will tell whether the server resumes an earlier session.")
      : c->resumed && c->version == 0x0304 && c->curve >= 0
          ? _ (": resumed with a ticket's PSK. No certificate; the key shares still give "
               "fresh keys (psk_dhe_ke).")
      : c->resumed && c->version == 0x0304
          ? _ (": resumed with a ticket's PSK alone (psk_ke). No certificate and no key "
               "shares: every key comes from the PSK, so no forward secrecy.")
      : c->resumed ? _ (": resumed. No certificate and no key exchange: the old master secret "
                        "is reused with two new randoms.")
                   : _ (": a full handshake."));
}

HlLadderLayout *
hl_ladder_layout_new (const HlRun *run, const HlLadderOptions *o)
{
  HlLadderLayout *l = g_new0 (HlLadderLayout, 1);
  guint n = hl_run_get_n_steps (run), upto = MIN (o->upto, n);
  int phase = -1;
  guint connection = 1, only = o->connection, first = 1;
  const HlLadderRows *rows = o->rows;
  double y = MARGIN, band_top = -1, bottom = 0;
  l->width
      = MAX (o->width > 0 ? o->width : DEFAULT_WIDTH, o->hide_notes ? MIN_WIDTH_BARE : MIN_WIDTH);
  l->theme = o->theme;
  l->cache = o->cache;
  l->context = o->cache ? g_object_ref (o->cache->context) : new_context ();
  l->texts = g_array_new (FALSE, TRUE, sizeof (HlLadderText));
  l->arrows = g_array_new (FALSE, TRUE, sizeof (HlLadderArrow));
  l->bands = g_array_new (FALSE, TRUE, sizeof (HlLadderBand));
  {
    double notes = CLAMP (l->width * 0.21, NOTE_WIDTH_MIN, NOTE_WIDTH_MAX) + GAP;
    if (o->hide_notes)
      notes = BARE_INSET;
    l->side_x[HL_SIDE_CLIENT] = MARGIN + notes;
    l->side_x[HL_SIDE_SERVER] = l->width - MARGIN - notes;
  }

  if (only > hl_run_get_n_connections (run))
    only = 0; /* no such connection: the whole run rather than nothing */
  if (only) {
    const HlConnection *c = hl_run_get_connection (run, only - 1);
    connection = only;
    first = c->steps->len ? ((const HlStep *)g_ptr_array_index (c->steps, 0))->index : 1;
  }
  y = lay_out_title (l, run, upto, only, y);
  y = lay_out_headers (l, run, y);
  if (only && hl_run_get_n_connections (run) > 1) {
    g_autofree char *text = describe_connection (run, only, upto);
    y += add_text (l, HL_LADDER_TEXT_CONNECTION, HL_LADDER_TONE_NORMAL, 0, text, MARGIN, y,
                   l->width - 2 * MARGIN, PANGO_ALIGN_CENTER)
         + 10;
  } else if (hl_run_get_n_connections (run) > 1 && upto > 0) {
    /* Head the first connection too, once there is a second one. */
    y += add_text (l, HL_LADDER_TEXT_CONNECTION, HL_LADDER_TONE_NORMAL, 0,
                   _ ("Connection 1: a full handshake."), MARGIN, y, l->width - 2 * MARGIN,
                   PANGO_ALIGN_CENTER)
         + 10;
  }
  l->line_top = y;
  for (guint i = 0; i < upto; i++) {
    const HlStep *st = hl_run_get_step (run, i);
    int p = rows ? -1 : hl_ladder_phase_of (st);
    if (only && st->connection != only)
      continue;
    if (rows && i < rows->n_top && rows->top[i] > 0)
      y = rows->top[i];
    if (st->connection != connection) {
      /* The connection before has ended: say how, then head the next one. */
      if (band_top >= 0)
        add_band (l, band_top, y);
      y = lay_out_end (l, hl_run_get_connection (run, connection - 1), y + 6);
      connection = st->connection;
      {
        g_autofree char *text = describe_connection (run, connection, upto);
        y += add_text (l, HL_LADDER_TEXT_CONNECTION, HL_LADDER_TONE_NORMAL, 0, text, MARGIN, y + 10,
                       l->width - 2 * MARGIN, PANGO_ALIGN_CENTER)
             + 20;
      }
      band_top = -1;
      phase = -1;
    }
    if (p >= 0 && p != phase) {
      if (band_top >= 0)
        add_band (l, band_top, y);
      band_top = y;
      phase = p;
      /* In the client's notes column, so the timeline never runs through it; without
       * notes, on a line of its own between the timelines. */
      if (o->hide_notes)
        y += add_text (l, HL_LADDER_TEXT_PHASE, HL_LADDER_TONE_DIM, 0, hl_ladder_phase_name (p),
                       l->side_x[0] + GAP, y + 6, l->side_x[1] - l->side_x[0] - 2 * GAP,
                       PANGO_ALIGN_CENTER)
             + 6;
      else
        y += add_text (l, HL_LADDER_TEXT_PHASE, HL_LADDER_TONE_DIM, 0, hl_ladder_phase_name (p),
                       MARGIN, y + 6, l->side_x[0] - GAP - MARGIN, PANGO_ALIGN_LEFT)
             + 8;
    } else if (band_top < 0 && !rows) {
      band_top = y;
    }
    y = lay_out_step (l, run, st, o, first, y);
    bottom = MAX (bottom, y);
  }
  if (band_top >= 0)
    add_band (l, band_top, y);
  if (rows) {
    for (guint i = 0; i < rows->n_bands; i++)
      g_array_append_val (l->bands, rows->bands[i]);
    y = MAX (bottom, rows->end);
  }
  if (upto == 0) {
    /* Before the first step: the two timelines, waiting. */
    double span_l = l->side_x[0] + GAP, span_w = l->side_x[1] - l->side_x[0] - 2 * GAP;
    y += add_text (l, HL_LADDER_TEXT_DETAIL, HL_LADDER_TONE_DIM, 0,
                   _ ("The client and the server are ready. Each step delivers one message from "
                      "one to the other."),
                   span_l, y + 30, span_w, PANGO_ALIGN_CENTER)
         + 60;
  }
  /* The timelines end with the last message; how the connection ended is written below. */
  l->line_bottom = y;
  if (upto > 0 && upto == n && hl_run_is_finished (run))
    y = lay_out_end (l, hl_run_get_connection (run, connection - 1), y + 6);
  /* How to read the marks: they differ by shape, so the legend says which is which. */
  if (upto > 0)
    y += add_text (l, HL_LADDER_TEXT_LEGEND, HL_LADDER_TONE_DIM, 0,
                   o->hide_notes
                       ? _ ("How to read it: a thick line with a padlock is an encrypted record; a "
                            "triangle marks an alert that ends the connection in failure; a dashed "
                            "line ending in \u00d7 was dropped; a zigzag was changed on the way; a "
                            "bar before a timeline was not read.")
                       : _ ("How to read it: a thick line with a padlock is an encrypted record; a "
                            "triangle marks an alert that ends the connection in failure; a dashed "
                            "line ending in \u00d7 was dropped; a "
                            "zigzag was changed on the way; a bar before a timeline was not read. "
                            "\u201c+\u201d lists what a side holds from that step on."),
                   MARGIN, y + 8, l->width - 2 * MARGIN, PANGO_ALIGN_LEFT)
         + 8;
  l->height = ceil (y + MARGIN);
  l->cache = NULL; /* used while laying out only */
  return l;
}

void
hl_ladder_layout_free (HlLadderLayout *l)
{
  if (!l)
    return;
  for (guint i = 0; i < l->texts->len; i++)
    g_object_unref (g_array_index (l->texts, HlLadderText, i).layout);
  g_array_unref (l->texts);
  g_array_unref (l->arrows);
  g_array_unref (l->bands);
  g_object_unref (l->context);
  g_free (l);
}

double
hl_ladder_layout_get_width (const HlLadderLayout *l)
{
  return l->width;
}

double
hl_ladder_layout_get_height (const HlLadderLayout *l)
{
  return l->height;
}

HlLadderTheme
hl_ladder_layout_get_theme (const HlLadderLayout *l)
{
  return l->theme;
}

double
hl_ladder_layout_get_side_x (const HlLadderLayout *l, HlSide side)
{
  return l->side_x[side];
}

void
hl_ladder_layout_get_line_span (const HlLadderLayout *l, double *top, double *bottom)
{
  *top = l->line_top;
  *bottom = l->line_bottom;
}

guint
hl_ladder_layout_get_n_texts (const HlLadderLayout *l)
{
  return l->texts->len;
}

const HlLadderText *
hl_ladder_layout_get_text (const HlLadderLayout *l, guint i)
{
  return i < l->texts->len ? &g_array_index (l->texts, HlLadderText, i) : NULL;
}

guint
hl_ladder_layout_get_n_arrows (const HlLadderLayout *l)
{
  return l->arrows->len;
}

void
hl_ladder_layout_set_current_remaining (HlLadderLayout *l, double remaining)
{
  for (guint i = 0; i < l->arrows->len; i++) {
    HlLadderArrow *a = &g_array_index (l->arrows, HlLadderArrow, i);
    if (a->current)
      place_arrow_end (a, remaining);
  }
}

const HlLadderArrow *
hl_ladder_layout_get_arrow (const HlLadderLayout *l, guint i)
{
  return i < l->arrows->len ? &g_array_index (l->arrows, HlLadderArrow, i) : NULL;
}

guint
hl_ladder_layout_get_n_bands (const HlLadderLayout *l)
{
  return l->bands->len;
}

const HlLadderBand *
hl_ladder_layout_get_band (const HlLadderLayout *l, guint i)
{
  return i < l->bands->len ? &g_array_index (l->bands, HlLadderBand, i) : NULL;
}

guint
hl_ladder_layout_step_at (const HlLadderLayout *l, double x, double y)
{
  for (guint i = 0; i < l->arrows->len; i++) {
    const HlLadderArrow *a = &g_array_index (l->arrows, HlLadderArrow, i);
    if (x >= a->row.x && x < a->row.x + a->row.width && y >= a->row.y
        && y < a->row.y + a->row.height)
      return a->step;
  }
  return 0;
}

gboolean
hl_ladder_layout_get_step_rect (const HlLadderLayout *l, guint n, HlLadderRect *rect)
{
  for (guint i = 0; i < l->arrows->len; i++) {
    const HlLadderArrow *a = &g_array_index (l->arrows, HlLadderArrow, i);
    if (a->step == n) {
      *rect = a->row;
      return TRUE;
    }
  }
  return FALSE;
}
