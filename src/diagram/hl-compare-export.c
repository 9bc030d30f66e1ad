/* hl-compare-export.c: the pair lined up by story step, in four formats
 * (hl-compare-export.h). One layout, painted by hl_pair_paint for each.
 */
#include "hl-compare-export.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "hl-i18n.h"
#include "hl-ladder-export.h"
#include "hl-pair-paint.h"
#include "hl-surface.h"
#include "hl-tables.h"

/* PDF readers are asked to open pages up to 200 inches a side (PDF 1.7, annex C). */
#define MAX_PDF_SIDE 14400.0
#define SUMMARY_W 842.0 /* A4 landscape, in points */
#define SUMMARY_H 595.0
#define SUMMARY_MARGIN 40.0

static void
paint_pair (cairo_t *cr, gpointer layout)
{
  hl_pair_paint (layout, cr);
}

GBytes *
hl_compare_render_png (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                       const HlLadderOptions *options, double scale, GError **error)
{
  g_autoptr (HlPairLayout) pl = hl_pair_layout_new (a, b, cmp, options);
  return hl_surface_render_png (hl_pair_layout_get_width (pl), hl_pair_layout_get_height (pl),
                                scale, paint_pair, pl, error);
}

GBytes *
hl_compare_render_svg (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                       const HlLadderOptions *options, GError **error)
{
  g_autoptr (HlPairLayout) pl = hl_pair_layout_new (a, b, cmp, options);
  return hl_surface_render_svg (hl_pair_layout_get_width (pl), hl_pair_layout_get_height (pl),
                                paint_pair, pl, error);
}

/* ---------- PDF: the pair, then the summary ---------- */

typedef struct {
  const HlPairLayout *pl;
  const HlComparison *cmp;
  double scale; /* of the pair on its page */
} PdfPair;

/* A text box of the summary page: markup at (x, y), width wide; its height. */
static double
summary_text (cairo_t *cr, const char *markup, double x, double y, double width, double size,
              gboolean bold, gboolean draw)
{
  PangoLayout *l = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (HL_LADDER_FONT);
  PangoRectangle logical;
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (l, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (l, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap (l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (l, markup, -1);
  pango_layout_get_pixel_extents (l, NULL, &logical);
  if (draw) {
    cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
    cairo_move_to (cr, x, y);
    pango_cairo_show_layout (cr, l);
  }
  g_object_unref (l);
  return logical.height;
}

/* The summary as a table of three columns, going on to a new page when a row does not fit. */
static void
paint_summary (cairo_t *cr, const HlComparison *cmp)
{
  g_auto (GStrv) labels = hl_comparison_get_summary (cmp, 0);
  g_auto (GStrv) col_a = hl_comparison_get_summary (cmp, 1);
  g_auto (GStrv) col_b = hl_comparison_get_summary (cmp, 2);
  const char *const *cols[3]
      = { (const char *const *)labels, (const char *const *)col_a, (const char *const *)col_b };
  double label_w = 170, cell_w = (SUMMARY_W - 2 * SUMMARY_MARGIN - label_w - 2 * 12) / 2;
  double x[3] = { SUMMARY_MARGIN, SUMMARY_MARGIN + label_w + 12,
                  SUMMARY_MARGIN + label_w + 12 + cell_w + 12 };
  double w[3] = { label_w, cell_w, cell_w };
  double y = SUMMARY_MARGIN;
  g_autofree char *head = g_markup_printf_escaped ("%s", _ ("Comparison"));
  g_autofree char *note = g_markup_printf_escaped (
      "%s", _ ("A is the diagram's left ladder, B its right one. Every figure is computed from "
               "the two runs; steps count from 1 within each compared connection."));
  y += summary_text (cr, head, SUMMARY_MARGIN, y, SUMMARY_W - 2 * SUMMARY_MARGIN, 16, TRUE, TRUE)
       + 4;
  y += summary_text (cr, note, SUMMARY_MARGIN, y, SUMMARY_W - 2 * SUMMARY_MARGIN, 9, FALSE, TRUE)
       + 10;
  for (guint i = 0; labels[i]; i++) {
    double h = 0;
    char *cell[3];
    for (guint c = 0; c < 3; c++) {
      /* The first row names the lessons: "A: title". */
      cell[c] = i == 0 && c > 0
                    ? g_markup_printf_escaped ("<b>%s:</b> %s", c == 1 ? "A" : "B", cols[c][i])
                    : g_markup_printf_escaped (c == 0 ? "<b>%s</b>" : "%s", cols[c][i]);
      h = MAX (h, summary_text (cr, cell[c], x[c], y, w[c], 9, FALSE, FALSE));
    }
    if (y + h > SUMMARY_H - SUMMARY_MARGIN) {
      cairo_show_page (cr);
      y = SUMMARY_MARGIN;
    }
    for (guint c = 0; c < 3; c++) {
      summary_text (cr, cell[c], x[c], y, w[c], 9, FALSE, TRUE);
      g_free (cell[c]);
    }
    y += h + 5;
    cairo_set_source_rgb (cr, 0.8, 0.8, 0.8);
    cairo_set_line_width (cr, 0.5);
    cairo_move_to (cr, SUMMARY_MARGIN, y);
    cairo_line_to (cr, SUMMARY_W - SUMMARY_MARGIN, y);
    cairo_stroke (cr);
    y += 5;
  }
}

static void
paint_pdf (cairo_t *cr, gpointer data)
{
  const PdfPair *p = data;
  cairo_save (cr);
  cairo_scale (cr, p->scale, p->scale);
  hl_pair_paint (p->pl, cr);
  cairo_restore (cr);
  cairo_show_page (cr);
  cairo_pdf_surface_set_size (cairo_get_target (cr), SUMMARY_W, SUMMARY_H);
  paint_summary (cr, p->cmp);
}

GBytes *
hl_compare_render_pdf (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                       const HlLadderOptions *options, GError **error)
{
  g_autoptr (HlPairLayout) pl = hl_pair_layout_new (a, b, cmp, options);
  double w = hl_pair_layout_get_width (pl), h = hl_pair_layout_get_height (pl);
  PdfPair p = { pl, cmp, MIN (1.0, MAX_PDF_SIDE / MAX (w, h)) };
  g_autofree char *title
      = g_strdup_printf (_ ("%s compared with %s"), hl_comparison_get_side (cmp, 0)->title,
                         hl_comparison_get_side (cmp, 1)->title);
  return hl_surface_render_pdf (w * p.scale, h * p.scale, title, paint_pdf, &p, error);
}

/* ---------- HTML ---------- */

static const char style[]
    = "body{font-family:'DejaVu Sans',sans-serif;margin:0;color:#1d1d1d;background:#fff}"
      "header{padding:12px 20px;border-bottom:1px solid #ddd}h1{font-size:1.4em;margin:0 0 4px}"
      "#pair{padding:10px;overflow:auto}#pair svg{display:block;max-width:none;height:auto}"
      "body.fit #pair svg{width:100%}"
      "section.summary{padding:10px 20px;border-top:1px solid #ddd}h2{font-size:1.2em}"
      "table{border-collapse:collapse;font-size:.9em}th,td{padding:4px 8px;text-align:left;"
      "vertical-align:top;border-bottom:1px solid #e4e4e4}th{background:#f4f3f1}"
      "td.only{color:#8a5a00;font-weight:bold}";

static void
append_escaped (GString *out, const char *text)
{
  g_autofree char *e = g_markup_escape_text (text ? text : "", -1);
  g_string_append (out, e);
}

static void
append_summary_table (GString *out, const HlComparison *cmp)
{
  g_auto (GStrv) labels = hl_comparison_get_summary (cmp, 0);
  g_auto (GStrv) col_a = hl_comparison_get_summary (cmp, 1);
  g_auto (GStrv) col_b = hl_comparison_get_summary (cmp, 2);
  g_string_append (out, "<table id=\"summary\"><thead><tr><th></th><th>A</th><th>B</th></tr>"
                        "</thead><tbody>\n");
  for (guint i = 0; labels[i]; i++) {
    g_string_append (out, "<tr><th scope=\"row\">");
    append_escaped (out, labels[i]);
    g_string_append (out, "</th><td>");
    append_escaped (out, col_a[i]);
    g_string_append (out, "</td><td>");
    append_escaped (out, col_b[i]);
    g_string_append (out, "</td></tr>\n");
  }
  g_string_append (out, "</tbody></table>\n");
}

static void
append_rows_table (GString *out, const HlComparison *cmp)
{
  g_string_append_printf (out,
                          "<table id=\"messages\"><thead><tr><th>%s</th><th>%s</th><th>A</th>"
                          "<th>B</th><th></th></tr></thead><tbody>\n",
                          _ ("Story step"), _ ("From"));
  for (guint i = 0; i < hl_comparison_get_n_rows (cmp); i++) {
    const HlCompareRow *r = hl_comparison_get_row (cmp, i);
    g_string_append_printf (out, "<tr><td>%u</td><td>", r->story_step);
    append_escaped (out, hl_side_word (r->from));
    for (guint k = 0; k < 2; k++) {
      g_string_append (out, "</td><td>");
      if (r->hidden[k]) {
        g_autofree char *h
            = g_strdup_printf (_ ("%u encrypted record (unknown without keys)"), r->step[k]);
        append_escaped (out, h);
      } else if (r->message[k]) {
        g_string_append_printf (out, "%u ", r->step[k]);
        append_escaped (out, r->message[k]);
      } else {
        append_escaped (out, _ ("(lacking)"));
      }
    }
    g_string_append (out, "</td><td class=\"only\">");
    append_escaped (out, hl_comparison_row_mark (cmp, r));
    g_string_append (out, "</td></tr>\n");
  }
  g_string_append (out, "</tbody></table>\n");
}

GBytes *
hl_compare_render_html (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                        const HlLadderOptions *options, GError **error)
{
  g_autoptr (GBytes) svg = hl_compare_render_svg (a, b, cmp, options, error);
  g_autoptr (GString) out = g_string_new (NULL);
  const HlCompareSide *sa = hl_comparison_get_side (cmp, 0), *sb = hl_comparison_get_side (cmp, 1);
  g_autofree char *title = g_strdup_printf (_ ("%s compared with %s"), sa->title, sb->title);
  gsize len;
  const char *text, *start;
  if (!svg)
    return NULL;
  /* TRANSLATORS: the language code of your translation (de, pt-BR): the HTML handout's lang */
  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n", _ ("en"));
  g_string_append (out, "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                        "content=\"width=device-width\">\n<meta name=\"generator\" "
                        "content=\"Handshake Lab\">\n<title>");
  append_escaped (out, title);
  g_string_append_printf (
      out, "</title>\n<style>%s</style>\n</head>\n<body class=\"fit\">\n<header><h1>", style);
  append_escaped (out, title);
  g_string_append (out, "</h1><p>");
  {
    g_autofree char *lead = g_strdup_printf (
        _ ("A, on the left: connection %u of \u201c%s\u201d. B, on the right: connection %u "
           "of \u201c%s\u201d. Each ran on its own; their rows line up by the nine story "
           "steps, and a dashed box marks a message one side lacks."),
        sa->file_connection, sa->title, sb->file_connection, sb->title);
    append_escaped (out, lead);
  }
  g_string_append_printf (
      out,
      "</p><p><label><input type=\"checkbox\" id=\"fit\" checked> %s</label></p>"
      "</header>\n<section id=\"pair\">\n",
      _ ("Fit the diagram to the window's width"));
  /* Cairo's SVG, without its XML declaration, inline. */
  text = g_bytes_get_data (svg, &len);
  start = g_strstr_len (text, len, "<svg");
  g_string_append_len (out, start ? start : text, len - (start ? start - text : 0));
  g_string_append_printf (out, "</section>\n<section class=\"summary\"><h2>%s</h2>\n",
                          _ ("Comparison"));
  append_summary_table (out, cmp);
  g_string_append_printf (out, "<h2>%s</h2>\n<p>", _ ("Messages by story step"));
  append_escaped (out, _ ("Steps count from 1 within each compared connection; a message one "
                          "side lacks is marked \"only in\" the other."));
  g_string_append (out, "</p>\n");
  append_rows_table (out, cmp);
  g_string_append (out, "</section>\n<script>document.getElementById('fit').onchange=e=>"
                        "document.body.classList.toggle('fit',e.target.checked);</script>\n"
                        "</body>\n</html>\n");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

int
hl_compare_format_of (const char *path)
{
  static const char *const suffixes[] = { ".png", ".svg", ".pdf", ".html" };
  for (int i = 0; i < (int)G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (path, suffixes[i]))
      return i;
  return -1;
}

gboolean
hl_compare_export (const HlRun *a, const HlRun *b, const HlComparison *cmp,
                   const HlLadderOptions *options, double scale, const char *path, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  switch (hl_compare_format_of (path)) {
  case 0:
    bytes = hl_compare_render_png (a, b, cmp, options, scale, error);
    break;
  case 1:
    bytes = hl_compare_render_svg (a, b, cmp, options, error);
    break;
  case 2:
    bytes = hl_compare_render_pdf (a, b, cmp, options, error);
    break;
  case 3:
    bytes = hl_compare_render_html (a, b, cmp, options, error);
    break;
  default:
    g_set_error (error, HL_DIAGRAM_ERROR, HL_DIAGRAM_ERROR_DRAW,
                 _ ("%s: the file name must end in .png, .svg, .pdf or .html"), path);
    return FALSE;
  }
  return bytes && hl_surface_write (path, bytes, error);
}
