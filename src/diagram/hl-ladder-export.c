/* hl-ladder-export.c: PNG, SVG, the PDF handout and the HTML handout.
 *
 * Every format is drawn by hl_ladder_paint; the files are written whole or not
 * at all (hl_write_file_atomically).
 */
#include "hl-ladder-export.h"
#include "hl-discussion.h"
#include "hl-i18n.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "hl-key-schedule-paint.h"
#include "hl-ladder-labels.h"
#include "hl-ladder-paint.h"
#include "hl-surface.h"
#include "hl-tables.h"
#include "hl-recorded.h"
#include "hl-transcript.h"

GQuark
hl_diagram_error_quark (void)
{
  return g_quark_from_static_string ("hl-diagram-error-quark");
}

static void
paint_ladder (cairo_t *cr, gpointer layout)
{
  hl_ladder_paint (layout, cr);
}

static void
paint_key_schedule (cairo_t *cr, gpointer layout)
{
  hl_key_schedule_paint (layout, cr);
}

GBytes *
hl_ladder_render_png (const HlRun *run, const HlLadderOptions *options, double scale,
                      GError **error)
{
  g_autoptr (HlLadderLayout) layout = hl_ladder_layout_new (run, options);
  return hl_surface_render_png (hl_ladder_layout_get_width (layout),
                                hl_ladder_layout_get_height (layout), scale, paint_ladder, layout,
                                error);
}

GBytes *
hl_ladder_render_svg (const HlRun *run, const HlLadderOptions *options, GError **error)
{
  g_autoptr (HlLadderLayout) layout = hl_ladder_layout_new (run, options);
  return hl_surface_render_svg (hl_ladder_layout_get_width (layout),
                                hl_ladder_layout_get_height (layout), paint_ladder, layout, error);
}

gboolean
hl_ladder_export_png (const HlRun *run, const HlLadderOptions *options, double scale,
                      const char *path, GError **error)
{
  g_autoptr (GBytes) png = hl_ladder_render_png (run, options, scale, error);
  return png && hl_surface_write (path, png, error);
}

gboolean
hl_ladder_export_svg (const HlRun *run, const HlLadderOptions *options, const char *path,
                      GError **error)
{
  g_autoptr (GBytes) svg = hl_ladder_render_svg (run, options, error);
  return svg && hl_surface_write (path, svg, error);
}

/* ---------- The key schedule ---------- */

GBytes *
hl_key_schedule_render_png (const HlRun *run, const HlKeyScheduleOptions *options, double scale,
                            GError **error)
{
  g_autoptr (HlKeyScheduleLayout) layout = hl_key_schedule_layout_new (run, options);
  return hl_surface_render_png (hl_key_schedule_layout_get_width (layout),
                                hl_key_schedule_layout_get_height (layout), scale,
                                paint_key_schedule, layout, error);
}

GBytes *
hl_key_schedule_render_svg (const HlRun *run, const HlKeyScheduleOptions *options, GError **error)
{
  g_autoptr (HlKeyScheduleLayout) layout = hl_key_schedule_layout_new (run, options);
  return hl_surface_render_svg (hl_key_schedule_layout_get_width (layout),
                                hl_key_schedule_layout_get_height (layout), paint_key_schedule,
                                layout, error);
}

/* ---------- PDF handout ---------- */

#define PAGE_W 595.0 /* A4 in points */
#define PAGE_H 842.0
#define PAGE_MARGIN 40.0

typedef struct {
  cairo_t *cr;
  PangoLayout *text;
  double y;
  double limit;     /* text stops above this */
  gboolean flow;    /* text that does not fit goes on to a new page, never dropped */
  const char *more; /* heads each page the flow adds: "Step 4 of 15 (continued)" */
} Page;

/* A new page for text that did not fit, headed by what it continues. */
static void
page_break (Page *pg)
{
  cairo_show_page (pg->cr);
  pg->y = PAGE_MARGIN;
  if (pg->more) {
    PangoLayout *head = pango_cairo_create_layout (pg->cr);
    PangoFontDescription *desc = pango_font_description_from_string (HL_LADDER_FONT);
    PangoRectangle logical;
    pango_font_description_set_absolute_size (desc, 8 * PANGO_SCALE);
    pango_layout_set_font_description (head, desc);
    pango_font_description_free (desc);
    pango_layout_set_text (head, pg->more, -1);
    pango_layout_get_pixel_extents (head, NULL, &logical);
    cairo_set_source_rgb (pg->cr, 0.4, 0.4, 0.4);
    cairo_move_to (pg->cr, PAGE_MARGIN, pg->y);
    pango_cairo_show_layout (pg->cr, head);
    pg->y += logical.height + 8;
    g_object_unref (head);
  }
}

/* Writes markup at the page's cursor. When it would not fit: on a flowing page it goes
 * on to a new page; otherwise nothing is drawn and it returns FALSE. */
static gboolean
page_text (Page *pg, const char *markup, double size, gboolean bold, double indent)
{
  PangoFontDescription *desc = pango_font_description_from_string (HL_LADDER_FONT);
  PangoRectangle logical;
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (pg->text, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (pg->text, (int)((PAGE_W - 2 * PAGE_MARGIN - indent) * PANGO_SCALE));
  pango_layout_set_wrap (pg->text, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (pg->text, markup, -1);
  pango_layout_get_pixel_extents (pg->text, NULL, &logical);
  if (pg->y + logical.height > pg->limit) {
    if (!pg->flow)
      return FALSE;
    page_break (pg);
  }
  cairo_set_source_rgb (pg->cr, 0.1, 0.1, 0.1);
  cairo_move_to (pg->cr, PAGE_MARGIN + indent, pg->y);
  pango_cairo_show_layout (pg->cr, pg->text);
  pg->y += logical.height + 3;
  return TRUE;
}

static gboolean G_GNUC_PRINTF (5, 6)
    page_printf (Page *pg, double size, gboolean bold, double indent, const char *format, ...)
{
  va_list args;
  g_autofree char *markup = NULL;
  va_start (args, format);
  markup = g_markup_vprintf_escaped (format, args);
  va_end (args);
  return page_text (pg, markup, size, bold, indent);
}

/* Draws a part of the diagram (rows from y0 to y1 of the layout) scaled into a
 * box of the page's width and at most max_h high. */
static void
page_diagram (Page *pg, const HlLadderLayout *layout, double y0, double y1, double max_h)
{
  double w = hl_ladder_layout_get_width (layout);
  double scale = MIN ((PAGE_W - 2 * PAGE_MARGIN) / w, max_h / (y1 - y0));
  cairo_save (pg->cr);
  cairo_translate (pg->cr, PAGE_MARGIN, pg->y);
  cairo_rectangle (pg->cr, 0, 0, w * scale, (y1 - y0) * scale);
  cairo_clip (pg->cr);
  cairo_scale (pg->cr, scale, scale);
  cairo_translate (pg->cr, 0, -y0);
  hl_ladder_paint (layout, pg->cr);
  cairo_restore (pg->cr);
  cairo_set_source_rgb (pg->cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (pg->cr, 0.5);
  cairo_rectangle (pg->cr, PAGE_MARGIN, pg->y, w * scale, (y1 - y0) * scale);
  cairo_stroke (pg->cr);
  pg->y += (y1 - y0) * scale + 12;
}

/* The field tree as an indented list, each field with its explanation: all of it,
 * over as many pages as it takes. */
static void
page_fields (Page *pg, const GPtrArray *fields, guint depth)
{
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    /* Byte ranges as the window says them: first and last byte, both included. */
    g_autofree char *where = f->length == 0 ? g_strdup_printf (_ ("no bytes, at %zu"), f->offset)
                             : f->length == 1
                                 ? g_strdup_printf (_ ("byte %zu"), f->offset)
                                 : g_strdup_printf (_ ("bytes %zu\u2013%zu, %zu bytes"), f->offset,
                                                    f->offset + f->length - 1, f->length);
    page_printf (pg, 8, FALSE, 12 * depth, "%s: %s  [%s]", f->name, f->value ? f->value : "",
                 where);
    if (f->explanation && *f->explanation) {
      g_autofree char *markup
          = g_markup_printf_escaped ("<span foreground=\"#555555\">%s</span>", f->explanation);
      pg->y -= 2; /* close to the field it explains */
      page_text (pg, markup, 7, FALSE, 12 * depth + 10);
    }
    page_fields (pg, f->children, depth + 1);
  }
}

/* What a side newly holds after the step, with formulas; what it held before is
 * named in one line. */
static void
page_secrets (Page *pg, const HlStep *st, HlSide side)
{
  const GPtrArray *secrets = st->after[side].secrets;
  g_autoptr (GString) before = g_string_new (NULL);
  guint n_new = 0;
  page_printf (pg, 10, TRUE, 0, _ ("What the %s holds after this step"), hl_side_word (side));
  for (guint i = 0; secrets && i < secrets->len; i++) {
    const HlSecret *s = g_ptr_array_index (secrets, i);
    if (s->learned_at == st->index) {
      g_autofree char *hex = hl_ladder_short_value (s);
      g_autofree char *markup
          = g_markup_printf_escaped (_ ("New: %s <tt>%s</tt> (%zu bytes): %s"), s->name, hex,
                                     g_bytes_get_size (s->value), s->formula);
      page_text (pg, markup, 8, FALSE, 12);
      n_new++;
    } else {
      g_string_append_printf (before, "%s%s", before->len ? ", " : "", s->name);
    }
  }
  if (before->len)
    page_printf (pg, 8, FALSE, 12, _ ("Held from earlier steps: %s."), before->str);
  else if (!n_new)
    page_printf (pg, 8, FALSE, 12, _ ("Nothing secret yet."));
}

/* A page with the key schedule of each TLS 1.3 connection, as it stands at the
 * connection's last step drawn (steps 1..n). */
static void
pdf_key_schedule_pages (Page *pg, const HlRun *run, guint n)
{
  for (guint c = 0; c < hl_run_get_n_connections (run); c++) {
    const HlConnection *conn = hl_run_get_connection (run, c);
    const HlStep *last = NULL;
    for (guint i = 0; conn->steps && i < conn->steps->len; i++) {
      const HlStep *st = g_ptr_array_index (conn->steps, i);
      if (st->index <= n)
        last = st;
    }
    if (!last || conn->version != 0x0304)
      continue;
    {
      HlKeyScheduleOptions o = { last->index, HL_LADDER_THEME_LIGHT, 960, TRUE };
      g_autoptr (HlKeyScheduleLayout) layout = hl_key_schedule_layout_new (run, &o);
      double w = hl_key_schedule_layout_get_width (layout);
      double h = hl_key_schedule_layout_get_height (layout);
      double scale;
      cairo_show_page (pg->cr);
      pg->y = PAGE_MARGIN;
      pg->flow = FALSE; /* one page: the picture is scaled to fit it */
      pg->more = NULL;
      page_printf (pg, 9, FALSE, 0,
                   _ ("Values are shortened to their first 8 bytes; each step's page and the "
                      "HTML handout give them whole."));
      scale = MIN ((PAGE_W - 2 * PAGE_MARGIN) / w, (PAGE_H - PAGE_MARGIN - pg->y) / h);
      cairo_save (pg->cr);
      cairo_translate (pg->cr, PAGE_MARGIN, pg->y);
      cairo_scale (pg->cr, scale, scale);
      hl_key_schedule_paint (layout, pg->cr);
      cairo_restore (pg->cr);
      pg->y += h * scale;
    }
  }
}

/* The excerpt's scale: the page's width, whatever the rows' height, so its text is as
 * large as the page's own small print. A row taller than the excerpt is cut below its
 * arrow; what its notes say is written out on the page. */
#define EXCERPT_H 300.0

static void
pdf_step_page (Page *pg, const HlRun *run, const HlLadderOptions *options, guint index)
{
  const HlStep *st = hl_run_get_step (run, index - 1);
  HlLadderOptions o = *options;
  g_autoptr (HlLadderLayout) layout = NULL;
  g_autofree char *title = hl_ladder_step_title (st, hl_run_get_n_steps (run));
  g_autofree char *more = g_strdup_printf (_ ("%s (continued)"), title);
  HlLadderRect row;
  o.upto = index;
  o.current = index;
  o.selected = 0;
  o.width = 900; /* the narrowest layout: its text is the largest on an A4 page */
  layout = hl_ladder_layout_new (run, &o);
  /* The diagram around this step: its row and the whole rows just before it that fit,
   * cut between rows where it can be. */
  hl_ladder_layout_get_step_rect (layout, index, &row);
  {
    double scale = (PAGE_W - 2 * PAGE_MARGIN) / hl_ladder_layout_get_width (layout);
    double window = EXCERPT_H / scale, end = row.y + row.height + 8, start = row.y;
    HlLadderRect r;
    gboolean cut = end - start > window;
    if (cut) {
      end = start + window;
    } else {
      for (guint k = index; k >= 1 && hl_ladder_layout_get_step_rect (layout, k, &r); k--) {
        if (end - r.y > window)
          break;
        start = r.y;
      }
      if (index <= 2 && end <= window)
        start = 0; /* the title and the timelines' headers fit: show them */
    }
    page_diagram (pg, layout, start, end, end - start);
    if (cut) {
      /* Fade the cut edge out, so it reads as "goes on" rather than as the row's end. */
      double bottom = pg->y - 12, fade = 24;
      cairo_pattern_t *white = cairo_pattern_create_linear (0, bottom - fade, 0, bottom);
      cairo_pattern_add_color_stop_rgba (white, 0, 1, 1, 1, 0);
      cairo_pattern_add_color_stop_rgba (white, 1, 1, 1, 1, 1);
      cairo_rectangle (pg->cr, PAGE_MARGIN, bottom - fade, PAGE_W - 2 * PAGE_MARGIN, fade + 0.3);
      cairo_set_source (pg->cr, white);
      cairo_fill (pg->cr);
      cairo_pattern_destroy (white);
    }
  }
  pg->flow = TRUE;
  pg->more = more;
  page_printf (pg, 15, TRUE, 0, "%s", title);
  page_printf (pg, 10, FALSE, 0, "%s", st->summary ? st->summary : "");
  if (st->story && *st->story)
    page_printf (pg, 10, FALSE, 0, "%s", st->story);
  {
    /* Which key protects this record: its own line, as in the Markdown and the inspector. */
    g_autofree char *key = hl_step_describe_record_key (st, FALSE);
    g_autofree char *markup = g_markup_printf_escaped (_ ("<b>Record protected by:</b> %s"), key);
    page_text (pg, markup, 10, FALSE, 0);
  }
  {
    g_auto (GStrv) notes = hl_ladder_step_notes (st);
    for (guint i = 0; notes[i]; i++)
      page_printf (pg, 10, FALSE, 0, "%s", notes[i]);
  }
  page_secrets (pg, st, HL_SIDE_CLIENT);
  page_secrets (pg, st, HL_SIDE_SERVER);
  {
    g_auto (GStrv) lines = hl_step_record_lines (st, FALSE);
    if (lines[0])
      page_printf (pg, 10, TRUE, 0, _ ("Record layer"));
    for (guint i = 0; lines[i]; i++)
      page_printf (pg, 8, FALSE, 12, "%s", lines[i]);
  }
  page_printf (pg, 10, TRUE, 0, _ ("Fields (%s bytes)"),
               st->encrypted ? _ ("decrypted") : _ ("as sent"));
  page_fields (pg, st->fields, 0);
  pg->flow = FALSE;
  pg->more = NULL;
}

/* Questions for discussion on a page of their own, their answers on the teacher's page
 * after it (hl-discussion.h); nothing when the run has none. */
static void
pdf_discussion_pages (Page *pg, const HlRun *run)
{
  g_autoptr (GPtrArray) items = hl_discussion_new (run);
  for (int teacher = 0; items->len && teacher < 2; teacher++) {
    cairo_show_page (pg->cr);
    pg->y = PAGE_MARGIN;
    pg->flow = TRUE;
    pg->more = teacher ? _ ("For the teacher: answers (continued)")
                       : _ ("Questions for discussion (continued)");
    page_printf (pg, 16, TRUE, 0, "%s",
                 teacher ? _ ("For the teacher: answers") : _ ("Questions for discussion"));
    pg->y += 6;
    for (guint i = 0; i < items->len; i++) {
      const HlDiscussion *d = g_ptr_array_index (items, i);
      page_printf (pg, 10, FALSE, 0, "%u. %s", i + 1, teacher ? d->answer : d->question);
      pg->y += 6;
    }
    pg->flow = FALSE;
    pg->more = NULL;
  }
}

typedef struct {
  const HlRun *run;
  const HlLadderOptions *options;
} Handout;

static void
paint_handout (cairo_t *cr, gpointer data)
{
  const Handout *h = data;
  const HlRun *run = h->run;
  const HlLadderOptions *options = h->options;
  const HlScenario *s = hl_run_get_scenario (run);
  guint n = MIN (options->upto, hl_run_get_n_steps (run));
  Page pg = { cr, pango_cairo_create_layout (cr), PAGE_MARGIN, PAGE_H - PAGE_MARGIN };
  {
    /* Title page: what the lesson is, how it ended, the whole diagram. */
    HlLadderOptions o = *options;
    g_autoptr (HlLadderLayout) layout = NULL;
    o.current = 0;
    o.selected = 0;
    o.upto = n;
    layout = hl_ladder_layout_new (run, &o);
    page_printf (&pg, 20, TRUE, 0, "%s", s->title ? s->title : "");
    if (s->description && *s->description)
      page_printf (&pg, 10, FALSE, 0, "%s", s->description);
    if (hl_run_is_recorded (run)) /* a capture has no seed or clock of the lab's */
      page_printf (&pg, 9, FALSE, 0, _ ("Read from a capture \u00b7 %u steps"), n);
    else
      page_printf (&pg, 9, FALSE, 0, _ ("Seed %s \u00b7 clock %s \u00b7 %u steps"), s->seed,
                   s->time_text, n);
    pg.y += 6;
    page_diagram (&pg, layout, 0, hl_ladder_layout_get_height (layout),
                  PAGE_H - PAGE_MARGIN - pg.y);
  }
  pdf_key_schedule_pages (&pg, run, n);
  for (guint i = 1; i <= n; i++) {
    cairo_show_page (pg.cr);
    pg.y = PAGE_MARGIN;
    pdf_step_page (&pg, run, options, i);
  }
  pdf_discussion_pages (&pg, run);
  g_object_unref (pg.text);
}

GBytes *
hl_ladder_render_pdf (const HlRun *run, const HlLadderOptions *options, GError **error)
{
  const HlScenario *s = hl_run_get_scenario (run);
  Handout h = { run, options };
  return hl_surface_render_pdf (PAGE_W, PAGE_H, s->title ? s->title : "", paint_handout, &h, error);
}

gboolean
hl_ladder_export_pdf (const HlRun *run, const HlLadderOptions *options, const char *path,
                      GError **error)
{
  g_autoptr (GBytes) pdf = hl_ladder_render_pdf (run, options, error);
  return pdf && hl_surface_write (path, pdf, error);
}
