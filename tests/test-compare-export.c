/* The pair of ladders lined up by story step, and its files (issue 20, "Compare two
 * lessons"): each row of the comparison at one height on both sides, read from where the
 * two ladders really put their arrows; a message one side lacks marked on that side; each
 * story step labelled once; PNG, SVG, PDF and HTML each valid and holding both lessons;
 * a file that cannot be written named in the error, with nothing left behind. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hl-compare-export.h"
#include "hl-pair-layout.h"
#include "hl-test-util.h"

typedef struct {
  HlScenario *sc[2];
  HlRun *run[2];
  HlComparison *cmp;
} Pair;

static Pair
open_pair (const char *a, guint conn_a, const char *b, guint conn_b)
{
  g_autoptr (GError) error = NULL;
  Pair p;
  p.sc[0] = hl_test_load_bundled (a);
  p.sc[1] = hl_test_load_bundled (b);
  p.run[0] = hl_test_run (p.sc[0]);
  p.run[1] = hl_test_run (p.sc[1]);
  p.cmp = hl_comparison_new (p.run[0], conn_a, p.run[1], conn_b, &error);
  g_assert_no_error (error);
  return p;
}

static void
close_pair (Pair *p)
{
  hl_comparison_free (p->cmp);
  for (guint k = 0; k < 2; k++) {
    hl_run_free (p->run[k]);
    hl_scenario_free (p->sc[k]);
  }
}

static const HlLadderOptions options = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };

/* The run's step of a comparison row's side, from the compared connection's own list. */
static guint
run_step_of (const Pair *p, guint k, guint step)
{
  const HlCompareSide *s = hl_comparison_get_side (p->cmp, k);
  const HlConnection *c = hl_run_get_connection (p->run[k], s->connection - 1);
  return step ? ((const HlStep *)g_ptr_array_index (c->steps, step - 1))->index : 0;
}

/* Where ladder k drew the arrow of a run's step, in the pair's units; NAN: not drawn. */
static double
arrow_y (const HlPairLayout *pl, guint k, guint step)
{
  const HlLadderLayout *l = hl_pair_layout_get_ladder (pl, k);
  for (guint i = 0; i < hl_ladder_layout_get_n_arrows (l); i++) {
    const HlLadderArrow *a = hl_ladder_layout_get_arrow (l, i);
    if (a->step == step)
      return a->y;
  }
  return NAN;
}

static const HlPairMark *
mark_of_row (const HlPairLayout *pl, guint row, guint side)
{
  for (guint i = 0; i < hl_pair_layout_get_n_marks (pl); i++) {
    const HlPairMark *m = hl_pair_layout_get_mark (pl, i);
    if (m->row == row && m->side == side)
      return m;
  }
  return NULL;
}

static gboolean
overlap (const HlLadderRect *a, double ax, const HlLadderRect *b, double bx)
{
  return a->x + ax < b->x + bx + b->width && b->x + bx < a->x + ax + a->width
         && a->y < b->y + b->height && b->y < a->y + a->height;
}

/* What the pair adds (band labels, marks) covers no text of either ladder. */
static void
check_no_overlap (const HlPairLayout *pl)
{
  for (guint k = 0; k < 2; k++) {
    const HlLadderLayout *l = hl_pair_layout_get_ladder (pl, k);
    double x = hl_pair_layout_get_ladder_x (pl, k);
    for (guint i = 0; i < hl_ladder_layout_get_n_texts (l); i++) {
      const HlLadderText *t = hl_ladder_layout_get_text (l, i);
      for (guint j = 0; j < hl_pair_layout_get_n_bands (pl); j++)
        g_assert_false (overlap (&t->rect, x, &hl_pair_layout_get_band (pl, j)->label.rect, 0));
      for (guint j = 0; j < hl_pair_layout_get_n_marks (pl); j++)
        g_assert_false (overlap (&t->rect, x, &hl_pair_layout_get_mark (pl, j)->rect, 0));
    }
  }
}

static char *
text_of (const HlLadderText *t)
{
  return g_strdup (pango_layout_get_text (t->layout));
}

/* Row i of the comparison is at one height on both sides: the arrows' line, or the middle
 * of the lacking side's mark; rows go down in the comparison's order; each story step
 * with a row has one band, labelled once, and the ladders label no phase of their own. */
static void
check_lined_up (const Pair *p, const HlPairLayout *pl)
{
  guint n = hl_comparison_get_n_rows (p->cmp), lacking = 0;
  double last = -1;
  guint first_row[10] = { 0 };
  gboolean has[10] = { FALSE };
  g_assert_cmpuint (hl_pair_layout_get_n_rows (pl), ==, n);
  for (guint i = 0; i < n; i++) {
    const HlCompareRow *r = hl_comparison_get_row (p->cmp, i);
    double y[2];
    for (guint k = 0; k < 2; k++) {
      guint step = run_step_of (p, k, r->step[k]);
      if (step) {
        y[k] = arrow_y (pl, k, step);
        g_assert_null (mark_of_row (pl, i, k));
      } else {
        const HlPairMark *m = mark_of_row (pl, i, k);
        const HlLadderLayout *l = hl_pair_layout_get_ladder (pl, k);
        double x = hl_pair_layout_get_ladder_x (pl, k);
        g_autofree char *text = NULL;
        g_assert_nonnull (m);
        text = text_of (&m->text);
        /* On the lacking side, between its timelines, naming what it lacks. */
        g_assert_nonnull (strstr (text, r->message[1 - k]));
        g_assert_cmpfloat (m->rect.x, >, x + hl_ladder_layout_get_side_x (l, HL_SIDE_CLIENT));
        g_assert_cmpfloat (m->rect.x + m->rect.width, <,
                           x + hl_ladder_layout_get_side_x (l, HL_SIDE_SERVER));
        y[k] = m->rect.y + m->rect.height / 2;
        lacking++;
      }
    }
    g_assert_false (isnan (y[0]) || isnan (y[1]));
    g_assert_cmpfloat_with_epsilon (y[0], y[1], 1e-6);
    g_assert_cmpfloat (y[0], >, last);
    last = y[0];
    if (!has[r->story_step])
      first_row[r->story_step] = i;
    has[r->story_step] = TRUE;
  }
  g_assert_cmpuint (hl_pair_layout_get_n_marks (pl), ==, lacking);
  /* Story step k's first message on both sides: the same height (checked above for every
   * row), at the top of its band. */
  for (guint s = 1; s <= 9; s++) {
    guint bands = 0;
    for (guint i = 0; i < hl_pair_layout_get_n_bands (pl); i++) {
      const HlPairBand *b = hl_pair_layout_get_band (pl, i);
      g_autofree char *label = text_of (&b->label);
      g_autofree char *want = g_strdup_printf ("Story step %u:", s);
      if (b->story_step != s)
        continue;
      bands++;
      g_assert_true (g_str_has_prefix (label, want));
      /* The band holds its rows, the first one just below the label. */
      g_assert_cmpfloat (b->label.rect.y + b->label.rect.height, <=,
                         hl_pair_layout_get_row (pl, first_row[s])->rect.y);
      for (guint r = 0; r < n; r++) {
        const HlPairRow *row = hl_pair_layout_get_row (pl, r);
        if (row->story_step == s)
          g_assert_cmpfloat (row->y[0], <, b->rect.y + b->rect.height);
      }
    }
    g_assert_cmpuint (bands, ==, has[s] ? 1 : 0);
  }
  for (guint k = 0; k < 2; k++) {
    const HlLadderLayout *l = hl_pair_layout_get_ladder (pl, k);
    for (guint i = 0; i < hl_ladder_layout_get_n_texts (l); i++)
      g_assert_cmpint (hl_ladder_layout_get_text (l, i)->kind, !=, HL_LADDER_TEXT_PHASE);
  }
}

static void
test_lined_up (void)
{
  static const struct {
    const char *a, *b;
    guint ca, cb;
  } pairs[] = {
    { "01-rsa-key-exchange.scenario", "30-tls13-basic.scenario", 0, 0 },
    { "36-tls13-tampered-certificate-verify.scenario", "36b-tls13-flipped-record.scenario", 0, 0 },
    { "11-session-resumption.scenario", "33-tls13-psk-resumption.scenario", 0, 0 },
    { "11-session-resumption.scenario", "11-session-resumption.scenario", 1, 2 },
    { "02-ecdhe-rsa-aes-gcm.scenario", "34-tls13-early-data.scenario", 0, 0 },
    /* The client's CertificateVerify, in clear and encrypted: labels of two heights. */
    { "10-mutual-tls.scenario", "35-tls13-mutual.scenario", 0, 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++) {
    Pair p = open_pair (pairs[i].a, pairs[i].ca, pairs[i].b, pairs[i].cb);
    /* With the notes; without them, dark; and as narrow as a phone, where one side's
     * label wraps ("9. CertificateVerify (encrypted)") and the other's does not. */
    for (guint v = 0; v < 3; v++) {
      HlLadderOptions o = options;
      o.theme = v == 1 ? HL_LADDER_THEME_DARK : HL_LADDER_THEME_LIGHT;
      o.hide_notes = v > 0;
      o.width = v == 2 ? 320 : 0;
      {
        g_autoptr (HlPairLayout) pl = hl_pair_layout_new (p.run[0], p.run[1], p.cmp, &o);
        g_test_message ("%s vs %s, variant %u", pairs[i].a, pairs[i].b, v);
        check_lined_up (&p, pl);
        check_no_overlap (pl);
      }
    }
    close_pair (&p);
  }
}

/* 01 vs 30: TLS 1.2 and 1.3 differ by whole messages, each marked where it is lacking. */
static void
test_lacking_marked (void)
{
  Pair p = open_pair ("01-rsa-key-exchange.scenario", 0, "30-tls13-basic.scenario", 0);
  g_autoptr (HlPairLayout) pl = hl_pair_layout_new (p.run[0], p.run[1], p.cmp, &options);
  static const struct {
    guint side;
    const char *message;
  } expected[] = { { 1, "ServerHelloDone" },
                   { 1, "ClientKeyExchange" },
                   { 0, "EncryptedExtensions" },
                   { 0, "CertificateVerify" } };
  for (guint e = 0; e < G_N_ELEMENTS (expected); e++) {
    gboolean found = FALSE;
    for (guint i = 0; i < hl_pair_layout_get_n_marks (pl); i++) {
      const HlPairMark *m = hl_pair_layout_get_mark (pl, i);
      g_autofree char *text = text_of (&m->text);
      found |= m->side == expected[e].side && strstr (text, expected[e].message) != NULL;
    }
    g_assert_true (found);
  }
  /* ServerHello is in both: no mark on its row. */
  for (guint i = 0; i < hl_comparison_get_n_rows (p.cmp); i++) {
    const HlCompareRow *r = hl_comparison_get_row (p.cmp, i);
    if (r->message[0] && strcmp (r->message[0], "ServerHello") == 0) {
      g_assert_nonnull (r->message[1]);
      g_assert_null (mark_of_row (pl, i, 0));
      g_assert_null (mark_of_row (pl, i, 1));
    }
  }
  close_pair (&p);
}

static void
count_svg (GMarkupParseContext *c, const char *name, const char **an, const char **av,
           gpointer data, GError **error)
{
  if (strcmp (name, "svg") == 0)
    (*(int *)data)++;
}

static char *
pdf_to_text (GBytes *pdf)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-compare-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pair.pdf", NULL);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  char *text = NULL;
  int status = 0;
  g_assert_true (
      g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text,
                               NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  g_unlink (path);
  g_rmdir (dir);
  return text;
}

static void
test_formats (void)
{
  Pair p = open_pair ("11-session-resumption.scenario", 0, "33-tls13-psk-resumption.scenario", 0);
  g_autoptr (HlPairLayout) pl = hl_pair_layout_new (p.run[0], p.run[1], p.cmp, &options);
  g_autoptr (GError) error = NULL;
  const char *title[2] = { p.sc[0]->title, p.sc[1]->title };
  {
    g_autoptr (GBytes) png
        = hl_compare_render_png (p.run[0], p.run[1], p.cmp, &options, 0.5, &error);
    gsize len;
    const guint8 *d;
    g_assert_no_error (error);
    d = g_bytes_get_data (png, &len);
    g_assert_cmpuint (len, >, 33);
    g_assert_cmpmem (d, 8, "\x89PNG\r\n\x1a\n", 8);
    g_assert_cmpmem (d + 12, 4, "IHDR", 4);
    /* The pair's size at that scale. */
    g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *)(d + 16)), ==,
                      (guint32)ceil (hl_pair_layout_get_width (pl) * 0.5));
    g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *)(d + 20)), ==,
                      (guint32)ceil (hl_pair_layout_get_height (pl) * 0.5));
  }
  {
    g_autoptr (GBytes) svg = hl_compare_render_svg (p.run[0], p.run[1], p.cmp, &options, &error);
    GMarkupParser parser = { count_svg, NULL, NULL, NULL, NULL };
    int n_svg = 0;
    GMarkupParseContext *ctx = g_markup_parse_context_new (&parser, 0, &n_svg, NULL);
    gsize len;
    const char *text;
    g_assert_no_error (error);
    text = g_bytes_get_data (svg, &len);
    g_assert_true (g_markup_parse_context_parse (ctx, text, len, &error));
    g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
    g_assert_no_error (error);
    g_assert_cmpint (n_svg, ==, 1);
    g_markup_parse_context_free (ctx);
  }
  {
    g_autoptr (GBytes) pdf = hl_compare_render_pdf (p.run[0], p.run[1], p.cmp, &options, &error);
    g_autofree char *text = NULL;
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-"));
    text = pdf_to_text (pdf);
    for (guint k = 0; k < 2; k++)
      g_assert_nonnull (strstr (text, title[k]));
    g_assert_nonnull (strstr (text, "Story step 2: the server answers"));
    g_assert_nonnull (strstr (text, "No EncryptedExtensions from the server in this handshake"));
    /* The summary's page. */
    g_assert_nonnull (strstr (text, "Bytes on the wire"));
  }
  {
    g_autoptr (GBytes) html = hl_compare_render_html (p.run[0], p.run[1], p.cmp, &options, &error);
    g_autofree char *text = NULL;
    g_assert_no_error (error);
    text = g_strndup (g_bytes_get_data (html, NULL), g_bytes_get_size (html));
    g_assert_true (g_str_has_prefix (text, "<!DOCTYPE html>"));
    g_assert_true (g_str_has_suffix (text, "</html>\n"));
    for (guint k = 0; k < 2; k++) {
      g_autofree char *escaped = g_markup_escape_text (title[k], -1);
      g_assert_nonnull (strstr (text, escaped));
    }
    /* Both ladders in one inline SVG, and the summary's table. */
    g_assert_nonnull (strstr (text, "<svg"));
    g_assert_null (strstr (strstr (text, "<svg") + 1, "<svg"));
    g_assert_nonnull (strstr (text, "<table id=\"summary\">"));
    g_assert_nonnull (strstr (text, "Round trips before the client&apos;s first application "
                                    "data"));
    g_assert_nonnull (strstr (text, "only in B"));
    /* Offline: nothing to fetch. */
    g_assert_null (strstr (text, "src=\""));
    g_assert_null (strstr (text, "<link"));
    g_assert_null (strstr (text, "@import"));
  }
  close_pair (&p);
}

/* Whether a folder holds exactly the names given (a NULL-terminated list). */
static void
assert_folder_holds (const char *dir, const char *const *names)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d))) {
    g_assert_true (g_strv_contains (names, name));
    n++;
  }
  g_assert_cmpuint (n, ==, g_strv_length ((char **)names));
}

static void
test_unwritable (void)
{
  Pair p = open_pair ("01-rsa-key-exchange.scenario", 0, "02-ecdhe-rsa-aes-gcm.scenario", 0);
  g_autofree char *dir = g_dir_make_tmp ("hl-compare-export-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *folder = g_build_filename (dir, "pair.pdf", NULL);
  static const char *const suffixes[] = { ".png", ".svg", ".pdf", ".html" };
  const char *const present[] = { "notes.txt", "pair.pdf", NULL };
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    /* Under a file, as if it were a folder; and a name that is a folder. */
    g_autofree char *base = g_strconcat ("pair", suffixes[i], NULL);
    g_autofree char *under_file = g_build_filename (file, base, NULL);
    const char *paths[] = { under_file, i == 2 ? folder : NULL };
    for (guint j = 0; j < G_N_ELEMENTS (paths) && paths[j]; j++) {
      g_autoptr (GError) error = NULL;
      g_assert_cmpint (hl_compare_format_of (paths[j]), ==, (int)i);
      g_assert_false (hl_compare_export (p.run[0], p.run[1], p.cmp, &options, 1, paths[j], &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, paths[j]));
      assert_folder_holds (dir, present);
      assert_folder_holds (folder, (const char *const[]){ NULL });
    }
  }
  {
    /* The same calls write a whole file where they can. */
    g_autofree char *ok = g_build_filename (dir, "pair.svg", NULL);
    const char *const now[] = { "notes.txt", "pair.pdf", "pair.svg", NULL };
    g_autoptr (GError) error = NULL;
    g_autofree char *text = NULL;
    g_assert_true (hl_compare_export (p.run[0], p.run[1], p.cmp, &options, 1, ok, &error));
    g_assert_no_error (error);
    assert_folder_holds (dir, now);
    g_assert_true (g_file_get_contents (ok, &text, NULL, NULL));
    g_assert_true (g_str_has_suffix (text, "</svg>\n"));
    g_unlink (ok);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *odd = g_build_filename (dir, "pair.jpeg", NULL);
    g_assert_false (hl_compare_export (p.run[0], p.run[1], p.cmp, &options, 1, odd, &error));
    g_assert_nonnull (strstr (error->message, odd));
    assert_folder_holds (dir, present);
  }
  g_unlink (file);
  g_rmdir (folder);
  g_rmdir (dir);
  close_pair (&p);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compare-export/lined-up", test_lined_up);
  g_test_add_func ("/compare-export/lacking-marked", test_lacking_marked);
  g_test_add_func ("/compare-export/formats", test_formats);
  g_test_add_func ("/compare-export/unwritable", test_unwritable);
  return g_test_run ();
}
