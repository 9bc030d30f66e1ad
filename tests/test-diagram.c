/* The ladder diagram: geometry that never overlaps or leaves the canvas, and
 * exports that decode (PNG), parse (SVG) and repeat byte for byte. */
#include <cairo.h>
#include <math.h>
#include <string.h>

#include "hl-data.h"
#include "hl-ladder-export.h"
#include "hl-ladder-labels.h"
#include "hl-ladder-layout.h"
#include "hl-ladder-paint.h"
#include "hl-tables.h"
#include "hl-test-util.h"

static gboolean
intersects (const HlLadderRect *a, const HlLadderRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height
         && b->y < a->y + a->height;
}

/* Every text box inside the canvas, no two overlapping, every arrow inside its
 * row and between the timelines, rows in step order without overlap. */
static void
check_layout (HlRun *run, const HlLadderOptions *o)
{
  g_autoptr (HlLadderLayout) l = hl_ladder_layout_new (run, o);
  double w = hl_ladder_layout_get_width (l), h = hl_ladder_layout_get_height (l);
  guint nt = hl_ladder_layout_get_n_texts (l), na = hl_ladder_layout_get_n_arrows (l);
  double left = hl_ladder_layout_get_side_x (l, HL_SIDE_CLIENT);
  double right = hl_ladder_layout_get_side_x (l, HL_SIDE_SERVER);
  g_assert_cmpuint (na, ==, MIN (o->upto, hl_run_get_n_steps (run)));
  for (guint i = 0; i < nt; i++) {
    const HlLadderText *a = hl_ladder_layout_get_text (l, i);
    g_assert_cmpfloat (a->rect.x, >=, 0);
    g_assert_cmpfloat (a->rect.y, >=, 0);
    g_assert_cmpfloat (a->rect.x + a->rect.width, <=, w);
    g_assert_cmpfloat (a->rect.y + a->rect.height, <=, h);
    g_assert_cmpfloat (a->rect.height, >, 0);
    for (guint j = i + 1; j < nt; j++) {
      const HlLadderText *b = hl_ladder_layout_get_text (l, j);
      if (intersects (&a->rect, &b->rect))
        g_error ("text boxes overlap: %u %u (%g,%g %gx%g) (%g,%g %gx%g) '%s' and '%s'", i, j,
                 a->rect.x, a->rect.y, a->rect.width, a->rect.height, b->rect.x, b->rect.y,
                 b->rect.width, b->rect.height, pango_layout_get_text (a->layout),
                 pango_layout_get_text (b->layout));
    }
    /* Labels and details stay between the timelines, notes outside them. */
    if (a->kind == HL_LADDER_TEXT_LABEL || a->kind == HL_LADDER_TEXT_DETAIL) {
      g_assert_cmpfloat (a->rect.x, >, left);
      g_assert_cmpfloat (a->rect.x + a->rect.width, <, right);
    }
    if (a->kind == HL_LADDER_TEXT_NOTE) {
      g_assert_false (o->hide_notes);
      g_assert_true (a->rect.x + a->rect.width < left || a->rect.x > right);
    }
    /* Phase labels sit in the client's notes column (or, without notes, between the
     * timelines): no timeline runs through them. */
    if (a->kind == HL_LADDER_TEXT_PHASE && !o->hide_notes)
      g_assert_cmpfloat (a->rect.x + a->rect.width, <, left);
    if (a->kind == HL_LADDER_TEXT_PHASE && o->hide_notes)
      g_assert_true (a->rect.x > left && a->rect.x + a->rect.width < right);
  }
  for (guint i = 0; i < na; i++) {
    const HlLadderArrow *a = hl_ladder_layout_get_arrow (l, i);
    HlLadderRect r;
    g_assert_cmpuint (a->step, ==, i + 1);
    g_assert_cmpfloat (a->y, >, a->row.y);
    g_assert_cmpfloat (a->y, <, a->row.y + a->row.height);
    g_assert_cmpfloat (MIN (a->x_from, a->x_to), >=, left);
    g_assert_cmpfloat (MAX (a->x_from, a->x_to), <=, right);
    if (i > 0)
      g_assert_cmpfloat (hl_ladder_layout_get_arrow (l, i - 1)->row.y
                             + hl_ladder_layout_get_arrow (l, i - 1)->row.height,
                         <=, a->row.y);
    /* Hit testing finds the step in its row, and the row is where the step is. */
    g_assert_cmpuint (hl_ladder_layout_step_at (l, w / 2, a->y), ==, a->step);
    g_assert_true (hl_ladder_layout_get_step_rect (l, a->step, &r));
    g_assert_cmpfloat (r.y, ==, a->row.y);
    g_assert_cmpuint (a->current, ==, o->current == a->step);
    /* An encrypted record's padlock: on its arrow, in its row, clear of every text. */
    g_assert_cmpint (a->lock.width > 0, ==, a->encrypted);
    if (a->encrypted) {
      g_assert_cmpfloat (a->lock.y, <, a->y);
      g_assert_cmpfloat (a->lock.y + a->lock.height, >, a->y);
      g_assert_cmpfloat (a->lock.y, >=, a->row.y);
      g_assert_cmpfloat (a->lock.y + a->lock.height, <=, a->row.y + a->row.height);
      g_assert_cmpfloat (a->lock.x, >, left);
      g_assert_cmpfloat (a->lock.x + a->lock.width, <, right);
      for (guint j = 0; j < nt; j++)
        g_assert_false (intersects (&a->lock, &hl_ladder_layout_get_text (l, j)->rect));
    }
  }
  g_assert_cmpuint (hl_ladder_layout_step_at (l, w / 2, 1), ==, 0);
}

static void
test_bundled_layouts (void)
{
  g_autoptr (GPtrArray) files = hl_data_list_scenarios ();
  g_assert_nonnull (files);
  g_assert_cmpuint (files->len, >=, 26);
  for (guint i = 0; i < files->len; i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (HlScenario) s = hl_scenario_load (g_ptr_array_index (files, i), &error);
    g_autoptr (HlRun) run = NULL;
    g_assert_no_error (error);
    run = hl_test_run (s);
    for (int theme = 0; theme < 2; theme++) {
      HlLadderOptions all = { G_MAXUINT, 0, 0, theme, 0 };
      HlLadderOptions partial = { 3, 3, 2, theme, 0 };
      /* The conversation alone, on a phone's width (the window's narrowest). */
      HlLadderOptions bare = { G_MAXUINT, 0, 0, theme, 330 };
      bare.hide_notes = TRUE;
      check_layout (run, &all);
      check_layout (run, &partial);
      check_layout (run, &bare);
    }
  }
}

#define LONG_NAME "a-very-long-server-name-that-fills-sixty-four-characters.example"

/* A 64-character server name (refused by the certificate, so the run also fails)
 * and a narrow canvas. */
static void
test_long_names (void)
{
  g_autofree char *path = hl_test_write_scenario (
      "[Scenario]\nFormat=1\nTitle=A title long enough to need more than one line on a narrow "
      "canvas, which it gets, wrapped and never cut\n"
      "[Client]\nTrustAnchors=assets/pki/root-ca.crt\nServerName=" LONG_NAME "\n"
      "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\n"
      "PrivateKey=assets/pki/server-rsa.key\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  g_autoptr (HlRun) run = NULL;
  HlLadderOptions narrow = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 900 };
  HlLadderOptions wide = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 1920 };
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (LONG_NAME), ==, 64);
  run = hl_test_run (s);
  check_layout (run, &narrow);
  check_layout (run, &wide);
}

/* Forty steps and more: application data in many records. */
static void
test_forty_steps (void)
{
  g_autofree char *data = g_strnfill (16384 * 16, 'A');
  g_autofree char *reply = g_strnfill (16384 * 12, 'B');
  g_autofree char *text = g_strdup_printf (
      "[Scenario]\nFormat=1\nTitle=Many records\n"
      "[Client]\nTrustAnchors=assets/pki/root-ca.crt\nServerName=server.example\n"
      "[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\n"
      "PrivateKey=assets/pki/server-rsa.key\n[Application]\nClientData=%s\nServerData=%s\n",
      data, reply);
  g_autofree char *path = hl_test_write_scenario (text);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  g_autoptr (HlRun) run = NULL;
  HlLadderOptions all = { G_MAXUINT, 0, 7, HL_LADDER_THEME_DARK, 0 };
  g_assert_no_error (error);
  run = hl_test_run (s);
  g_assert_cmpuint (hl_run_get_n_steps (run), >=, 40);
  check_layout (run, &all);
}

/* A certificate whose subject is long in every attribute (made here with openssl,
 * valid from today: the lesson fails, which the layout must show too). */
static void
test_long_subject (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-subject-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "k.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "c.pem", NULL);
  const char *argv[] = { "openssl",
                         "req",
                         "-x509",
                         "-newkey",
                         "ec",
                         "-pkeyopt",
                         "ec_paramgen_curve:P-256",
                         "-nodes",
                         "-keyout",
                         key,
                         "-out",
                         cert,
                         "-days",
                         "36500",
                         "-subj",
                         "/CN=a-long-common-name-for-a-server-in-a-lesson-about-names.example"
                         "/O=An Organisation With A Remarkably Long Registered Name For Tests"
                         "/OU=Department of Very Long Organisational Unit Names and Subunits"
                         "/L=Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch/C=GB",
                         NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (HlRun) run = NULL;
  int status = -1;
  HlLadderOptions narrow = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 900 };
  HlLadderOptions normal = { G_MAXUINT, 2, 3, HL_LADDER_THEME_DARK, 0 };
  g_assert_true (
      g_spawn_sync (NULL, (char **)argv, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  text = g_strdup_printf ("[Scenario]\nFormat=1\nTitle=Long subject\n[Client]\nTrustAnchors=%s\n"
                          "[Server]\nCertificateChain=%s\nPrivateKey=%s\n",
                          cert, cert, key);
  path = hl_test_write_scenario (text);
  s = hl_scenario_load (path, &error);
  g_assert_no_error (error);
  run = hl_test_run (s);
  check_layout (run, &narrow);
  check_layout (run, &normal);
}

static const HlStep *
first_step (HlRun *run, HlSide from, const char *message)
{
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->from == from && strcmp (st->message, message) == 0)
      return st;
  }
  g_assert_not_reached ();
}

/* What the labels say is what the run holds. */
static void
test_labels_tell_the_truth (void)
{
  static const char *const lessons[]
      = { "01-rsa-key-exchange", "13-server-preference", "21-fault-flipped-client-random",
          "15b-not-yet-valid",   "12-sni-and-alpn",      "18-no-common-suite" };
  for (guint i = 0; i < G_N_ELEMENTS (lessons); i++) {
    g_autofree char *file = g_strconcat (lessons[i], ".scenario", NULL);
    g_autoptr (HlScenario) s = hl_test_load_bundled (file);
    g_autoptr (HlRun) run = hl_test_run (s);
    const HlStep *ch = first_step (run, HL_SIDE_CLIENT, "ClientHello");
    g_autofree char *label = hl_ladder_describe_step (run, ch);
    gsize n_suites = 0;
    g_autofree char *want = NULL;
    /* The count of suites offered: from the field's byte length, 2 bytes a suite. */
    for (guint k = 0; k < ch->fields->len; k++) {
      const HlField *f = g_ptr_array_index (ch->fields, k);
      if (strcmp (f->name, "Cipher suites") == 0)
        n_suites = f->length / 2;
    }
    want = g_strdup_printf (" %zu cipher suite%s offered", n_suites, n_suites == 1 ? "" : "s");
    g_assert_nonnull (strstr (label, want));
    if (s->client.server_name)
      g_assert_nonnull (strstr (label, s->client.server_name));
  }
  {
    /* The flipped random: each side's note says the values differ. */
    g_autoptr (HlScenario) s = hl_test_load_bundled ("21-fault-flipped-client-random.scenario");
    g_autoptr (HlRun) run = hl_test_run (s);
    g_autofree char *server
        = hl_ladder_describe_learned (run, hl_run_get_step (run, 0), 1, "#c01c28");
    g_autofree char *detail = hl_ladder_describe_step (run, hl_run_get_step (run, 0));
    g_assert_nonnull (strstr (server, "\u2260 the client's"));
    g_assert_nonnull (strstr (detail, "in random_bytes"));
  }
  {
    /* Not yet valid shares BearSSL's EXPIRED code: the words say both. */
    g_autoptr (HlScenario) s = hl_test_load_bundled ("15b-not-yet-valid.scenario");
    g_autoptr (HlRun) run = hl_test_run (s);
    const HlStep *cert = first_step (run, HL_SIDE_SERVER, "Certificate");
    g_autofree char *client = hl_ladder_describe_learned (run, cert, HL_SIDE_CLIENT, "#c01c28");
    g_assert_nonnull (strstr (client, "expired or not yet valid"));
  }
  {
    /* Preference lessons show the client's order and whose order the server follows. */
    g_autoptr (HlScenario) s = hl_test_load_bundled ("13b-client-preference.scenario");
    g_autoptr (HlRun) run = hl_test_run (s);
    g_autofree char *hello = hl_ladder_describe_step (run, hl_run_get_step (run, 0));
    g_autofree char *server = hl_ladder_describe_side (run, HL_SIDE_SERVER);
    g_assert_nonnull (strstr (hello, "in the client's order: 1. ECDHE_RSA_CHACHA20_POLY1305"));
    g_assert_nonnull (strstr (server, "picks a suite in the client's order"));
  }
  {
    /* Checked signatures are said; a changed one is not said to verify. */
    g_autoptr (HlScenario) s = hl_test_load_bundled ("10-mutual-tls.scenario");
    g_autoptr (HlRun) run = hl_test_run (s);
    g_autofree char *client = hl_ladder_describe_learned (
        run, first_step (run, HL_SIDE_SERVER, "ServerKeyExchange"), HL_SIDE_CLIENT, "#c01c28");
    g_autofree char *server = hl_ladder_describe_learned (
        run, first_step (run, HL_SIDE_CLIENT, "CertificateVerify"), HL_SIDE_SERVER, "#c01c28");
    g_assert_nonnull (strstr (client, "signature on the key share verified"));
    g_assert_nonnull (strstr (server, "CertificateVerify signature verified"));
  }
  {
    /* The client's verify_data appears with the reply it computes at ServerHelloDone. */
    g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
    g_autoptr (HlRun) run = hl_test_run (s);
    const HlStep *shd = first_step (run, HL_SIDE_SERVER, "ServerHelloDone");
    g_autofree char *client = hl_ladder_describe_learned (run, shd, HL_SIDE_CLIENT, "#c01c28");
    g_assert_nonnull (strstr (client, "Client verify_data"));
    g_assert_nonnull (strstr (client, "is computed now"));
  }
}

/* The window animates a new arrow by asking for part of its way. */
static void
test_travelling_arrow (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  HlLadderOptions half = { 3, 3, 0, HL_LADDER_THEME_LIGHT, 0, 0.5 };
  HlLadderOptions whole = { 3, 3, 0, HL_LADDER_THEME_LIGHT, 0, 0 };
  g_autoptr (HlLadderLayout) a = hl_ladder_layout_new (run, &half);
  g_autoptr (HlLadderLayout) b = hl_ladder_layout_new (run, &whole);
  const HlLadderArrow *x = hl_ladder_layout_get_arrow (a, 2),
                      *y = hl_ladder_layout_get_arrow (b, 2);
  g_assert_cmpfloat_with_epsilon (x->x_to, (y->x_from + y->x_to) / 2, 0.01);
  g_assert_cmpfloat (hl_ladder_layout_get_arrow (a, 1)->x_to, ==,
                     hl_ladder_layout_get_arrow (b, 1)->x_to); /* only the current one */
  g_assert_cmpfloat (y->x_end, ==, y->x_to);
  g_assert_cmpfloat (x->x_end, ==, y->x_end);
  /* The window moves the end of a layout it keeps: as a layout made for that part. */
  hl_ladder_layout_set_current_remaining (b, 0.5);
  for (guint i = 0; i < hl_ladder_layout_get_n_arrows (a); i++)
    g_assert_cmpfloat (hl_ladder_layout_get_arrow (b, i)->x_to, ==,
                       hl_ladder_layout_get_arrow (a, i)->x_to);
  hl_ladder_layout_set_current_remaining (b, 0);
  g_assert_cmpfloat (y->x_to, ==, y->x_end);
  /* The window draws a travelling arrow over the ladder drawn without it: pixel for pixel
   * the ladder drawn whole (arrows and texts do not overlap), wherever the arrow is. */
  for (int k = 0; k < 2; k++) {
    HlLadderLayout *l = k ? a : b;
    int w = (int)hl_ladder_layout_get_width (l), h = (int)hl_ladder_layout_get_height (l);
    cairo_surface_t *drawn_whole = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
    cairo_surface_t *split = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create (drawn_whole);
    HlLadderRect ink;
    hl_ladder_paint (l, cr);
    cairo_destroy (cr);
    cr = cairo_create (split);
    g_assert_true (hl_ladder_paint_except (l, cr, 3) > 0);
    hl_ladder_arrow_get_ink (hl_ladder_layout_get_arrow (l, 2), &ink);
    cairo_rectangle (cr, ink.x, ink.y, ink.width, ink.height);
    cairo_clip (cr); /* all of its ink inside its box */
    hl_ladder_paint_arrow (l, hl_ladder_layout_get_arrow (l, 2), cr);
    cairo_destroy (cr);
    cairo_surface_flush (drawn_whole);
    cairo_surface_flush (split);
    g_assert_cmpmem (cairo_image_surface_get_data (drawn_whole),
                     cairo_image_surface_get_stride (drawn_whole) * h,
                     cairo_image_surface_get_data (split),
                     cairo_image_surface_get_stride (split) * h);
    cairo_surface_destroy (drawn_whole);
    cairo_surface_destroy (split);
  }
}

typedef struct {
  const guint8 *data;
  gsize len, pos;
} Reader;

static cairo_status_t
read_png (void *closure, unsigned char *data, unsigned int length)
{
  Reader *r = closure;
  if (r->len - r->pos < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

static void
test_png (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("10-mutual-tls.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };
  g_autoptr (HlLadderLayout) l = hl_ladder_layout_new (run, &o);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = hl_ladder_render_png (run, &o, 2, &error);
  g_autoptr (GBytes) again = hl_ladder_render_png (run, &o, 2, &error);
  Reader r = { NULL, 0, 0 };
  cairo_surface_t *img;
  GHashTable *colours = g_hash_table_new (NULL, NULL);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (png, again));
  r.data = g_bytes_get_data (png, &r.len);
  img = cairo_image_surface_create_from_png_stream (read_png, &r);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==,
                   (int)(2 * hl_ladder_layout_get_width (l)));
  g_assert_cmpint (cairo_image_surface_get_height (img), ==,
                   (int)(2 * hl_ladder_layout_get_height (l)));
  {
    /* Not blank: the two side colours, text and background, at least. */
    const guint8 *px = cairo_image_surface_get_data (img);
    int stride = cairo_image_surface_get_stride (img);
    for (int y = 0; y < cairo_image_surface_get_height (img); y += 7)
      for (int x = 0; x < cairo_image_surface_get_width (img); x += 7)
        g_hash_table_add (
            colours, GUINT_TO_POINTER (*(const guint32 *)(px + y * stride + 4 * x) & 0xffffff));
  }
  g_assert_cmpuint (g_hash_table_size (colours), >, 20);
  g_hash_table_unref (colours);
  cairo_surface_destroy (img);
  /* A PNG too large to open is refused with a reason. */
  g_assert_null (hl_ladder_render_png (run, &o, 100, &error));
  g_assert_error (error, HL_DIAGRAM_ERROR, HL_DIAGRAM_ERROR_TOO_LARGE);
}

/* The pixel at (x, y) of the diagram drawn at scale 2, as 0xRRGGBB. */
static guint32
pixel_at (cairo_surface_t *img, double x, double y)
{
  const guint8 *px = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  return *(const guint32 *)(px + (int)(2 * y) * stride + 4 * (int)(2 * x)) & 0xffffff;
}

static gboolean
near (guint32 a, HlRgb c)
{
  int d = abs ((int)(a >> 16 & 0xff) - (int)(c.r * 255))
          + abs ((int)(a >> 8 & 0xff) - (int)(c.g * 255))
          + abs ((int)(a & 0xff) - (int)(c.b * 255));
  return d < 40;
}

/* Each encrypted record's padlock is drawn (not a font's glyph, which showed as an empty
 * square): in the exported PNG its box holds the arrow's colour, with a keyhole and the
 * inside of the shackle left in the colour behind, as a lock has and a square has not. */
static void
check_padlocks (HlRun *run, HlLadderTheme theme)
{
  /* Step 8 selected: a lock on the selection's colour too. */
  HlLadderOptions o = { G_MAXUINT, 0, 8, theme, 0 };
  const HlLadderPalette *p = hl_ladder_palette (theme);
  g_autoptr (HlLadderLayout) l = hl_ladder_layout_new (run, &o);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = hl_ladder_render_png (run, &o, 2, &error);
  Reader r = { NULL, 0, 0 };
  cairo_surface_t *img;
  guint locks = 0;
  g_assert_no_error (error);
  r.data = g_bytes_get_data (png, &r.len);
  img = cairo_image_surface_create_from_png_stream (read_png, &r);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  for (guint i = 0; i < hl_ladder_layout_get_n_arrows (l); i++) {
    const HlLadderArrow *a = hl_ladder_layout_get_arrow (l, i);
    HlRgb colour = a->from == HL_SIDE_CLIENT ? p->client : p->server;
    HlLadderRect b = a->lock;
    guint inked = 0, all = 0;
    double cx = b.x + b.width / 2, body_top = b.y + b.height * 0.45;
    if (!a->encrypted)
      continue;
    locks++;
    for (double y = b.y; y < b.y + b.height; y += 0.5)
      for (double x = b.x; x < b.x + b.width; x += 0.5, all++)
        inked += near (pixel_at (img, x, y), colour);
    g_assert_cmpuint (inked, >, all / 3);
    /* Not a filled square: the keyhole, and the space inside the shackle, are not inked. */
    g_assert_false (
        near (pixel_at (img, cx, body_top + (b.y + b.height - body_top) * 0.4), colour));
    g_assert_false (near (pixel_at (img, cx, body_top - 2), colour));
    /* The shackle is: its top, above the body. */
    g_assert_true (near (pixel_at (img, cx, b.y + 1.5), colour));
  }
  g_assert_cmpuint (locks, >=, 4);
  cairo_surface_destroy (img);
}

static void
test_padlock (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  check_padlocks (run, HL_LADDER_THEME_LIGHT);
  check_padlocks (run, HL_LADDER_THEME_DARK);
}

/* Without the key lists the rows hold only the conversation: no note, and shorter. */
static void
test_hide_notes (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  HlLadderOptions with = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 1000 };
  HlLadderOptions without = with;
  g_autoptr (HlLadderLayout) a = NULL;
  g_autoptr (HlLadderLayout) b = NULL;
  guint notes = 0;
  without.hide_notes = TRUE;
  a = hl_ladder_layout_new (run, &with);
  b = hl_ladder_layout_new (run, &without);
  for (guint i = 0; i < hl_ladder_layout_get_n_texts (a); i++)
    notes += hl_ladder_layout_get_text (a, i)->kind == HL_LADDER_TEXT_NOTE;
  g_assert_cmpuint (notes, >, 5);
  for (guint i = 0; i < hl_ladder_layout_get_n_texts (b); i++)
    g_assert_cmpint (hl_ladder_layout_get_text (b, i)->kind, !=, HL_LADDER_TEXT_NOTE);
  g_assert_cmpuint (hl_ladder_layout_get_n_arrows (a), ==, hl_ladder_layout_get_n_arrows (b));
  g_assert_cmpfloat (hl_ladder_layout_get_height (b), <, 0.9 * hl_ladder_layout_get_height (a));
  /* The arrows take the width the notes had. */
  g_assert_cmpfloat (hl_ladder_layout_get_side_x (b, HL_SIDE_CLIENT), <,
                     hl_ladder_layout_get_side_x (a, HL_SIDE_CLIENT) - 100);
  /* And the canvas may be a phone's width. */
  without.width = 320;
  g_clear_pointer (&b, hl_ladder_layout_free);
  b = hl_ladder_layout_new (run, &without);
  g_assert_cmpfloat (hl_ladder_layout_get_width (b), ==, 320);
}

/* Paints layout l into a new image of its whole canvas; with clip_height > 0 only the rows
 * from clip_top down that far, as the window paints the part in view. */
static cairo_surface_t *
paint_rows (const HlLadderLayout *l, double clip_top, double clip_height)
{
  cairo_surface_t *img
      = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int)ceil (hl_ladder_layout_get_width (l)),
                                    (int)ceil (hl_ladder_layout_get_height (l)));
  cairo_t *cr = cairo_create (img);
  if (clip_height > 0) {
    cairo_rectangle (cr, 0, clip_top, hl_ladder_layout_get_width (l), clip_height);
    cairo_clip (cr);
  }
  hl_ladder_paint (l, cr);
  cairo_destroy (cr);
  cairo_surface_flush (img);
  return img;
}

/* How many texts hl_ladder_paint draws through a clip from the top clip_height tall. */
static guint
count_texts_painted (const HlLadderLayout *l, double clip_height)
{
  cairo_surface_t *rec = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (rec);
  guint n;
  cairo_rectangle (cr, 0, 0, hl_ladder_layout_get_width (l), clip_height);
  cairo_clip (cr);
  n = hl_ladder_paint (l, cr);
  cairo_destroy (cr);
  cairo_surface_destroy (rec);
  return n;
}

/* The window paints a tall ladder through a clip the height of the view: every pixel in
 * it is what the whole painting has there, for windows across each kind of row (a
 * selected step, locks, a dropped message, connection headings), and what lies outside
 * is left out of the painting, not merely clipped away. */
static void
test_paint_clipped (void)
{
  const char *lessons[] = { "34-tls13-early-data.scenario", "22-fault-dropped-ccs.scenario" };
  for (guint k = 0; k < G_N_ELEMENTS (lessons); k++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (lessons[k]);
    g_autoptr (HlRun) run = hl_test_run (s);
    HlLadderOptions o = { G_MAXUINT, 5, 4, HL_LADDER_THEME_LIGHT, 0 };
    g_autoptr (HlLadderLayout) l = hl_ladder_layout_new (run, &o);
    cairo_surface_t *whole = paint_rows (l, 0, 0);
    double height = hl_ladder_layout_get_height (l), view = 700;
    int stride = cairo_image_surface_get_stride (whole);
    g_assert_cmpfloat (height, >, 1.5 * view);
    for (double top = 0; top < height; top += 233) {
      cairo_surface_t *part = paint_rows (l, top, view);
      int first = (int)top, last = MIN ((int)height, (int)(top + view));
      g_test_message ("%s: rows %d to %d", lessons[k], first, last);
      g_assert_cmpmem (cairo_image_surface_get_data (whole) + (gsize)first * stride,
                       (gsize)(last - first) * stride,
                       cairo_image_surface_get_data (part) + (gsize)first * stride,
                       (gsize)(last - first) * stride);
      cairo_surface_destroy (part);
    }
    cairo_surface_destroy (whole);
    /* Left out: through a clip a sixth of lesson 34's height, fewer than a third of its
     * texts are drawn; through one as tall as the canvas, all. */
    g_assert_cmpuint (count_texts_painted (l, height), ==, hl_ladder_layout_get_n_texts (l));
    if (k == 0) {
      g_assert_cmpfloat (height, >, 6 * view);
      g_assert_cmpuint (count_texts_painted (l, view), <, hl_ladder_layout_get_n_texts (l) / 3);
    }
  }
}

static void
ignore_start (GMarkupParseContext *c, const char *name, const char **an, const char **av,
              gpointer data, GError **error)
{
  if (strcmp (name, "svg") == 0)
    (*(int *)data)++;
}

static void
test_svg (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("22-fault-dropped-ccs.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  HlLadderOptions o = { 5, 5, 0, HL_LADDER_THEME_DARK, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) svg = hl_ladder_render_svg (run, &o, &error);
  GMarkupParser parser = { ignore_start, NULL, NULL, NULL, NULL };
  int svg_elements = 0;
  GMarkupParseContext *ctx = g_markup_parse_context_new (&parser, 0, &svg_elements, NULL);
  gsize len;
  const char *text = g_bytes_get_data (svg, &len);
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_parse (ctx, text, len, &error));
  g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  g_assert_no_error (error);
  g_assert_cmpint (svg_elements, ==, 1);
  g_markup_parse_context_free (ctx);
}

/* The heading of connection 2 in a ladder shown up to step upto (G_MAXUINT: all). */
static char *
connection_heading (const HlRun *run, guint upto)
{
  HlLadderOptions o = { .upto = upto };
  g_autoptr (HlLadderLayout) l = hl_ladder_layout_new (run, &o);
  for (guint i = 0; i < hl_ladder_layout_get_n_texts (l); i++) {
    const HlLadderText *t = hl_ladder_layout_get_text (l, i);
    const char *text = pango_layout_get_text (t->layout);
    if (t->kind == HL_LADDER_TEXT_CONNECTION && g_str_has_prefix (text, "Connection 2"))
      return g_strdup (text);
  }
  return NULL;
}

/* A resumed connection's heading says how it resumed (psk_dhe_ke or psk_ke, RFC 8446 4.2.9),
 * and claims nothing before its ServerHello is shown. */
static void
test_connection_headings (void)
{
  const char *lessons[]
      = { "33-tls13-psk-resumption.scenario", "42-tls13-psk-ke-resumption.scenario",
          "11-session-resumption.scenario" };
  for (guint k = 0; k < G_N_ELEMENTS (lessons); k++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (lessons[k]);
    g_autoptr (HlRun) run = hl_test_run (s);
    const HlConnection *c = hl_run_get_connection (run, 1);
    g_autofree char *whole = connection_heading (run, G_MAXUINT);
    g_autofree char *early = NULL;
    guint first = 0;
    g_assert_true (c->resumed);
    g_test_message ("%s: %s", lessons[k], whole);
    if (c->version != 0x0304)
      g_assert_nonnull (strstr (whole, "the old master secret is reused"));
    else if (c->curve >= 0)
      g_assert_nonnull (strstr (whole, "the key shares still give fresh keys"));
    else {
      g_assert_nonnull (strstr (whole, "resumed with a ticket's PSK alone"));
      g_assert_nonnull (strstr (whole, "no forward secrecy"));
    }
    while (hl_run_get_step (run, first)->connection < 2)
      first++;
    early = connection_heading (run, first + 1); /* its ClientHello only */
    g_assert_nonnull (strstr (early, "will tell whether the server resumes"));
    g_assert_null (strstr (early, "resumed"));
    g_assert_null (strstr (early, "full handshake"));
  }
}

/* Every view's check notes: each fault, check and unread message of a run, in order. */
/* Two layouts are the same drawing: texts, boxes, arrows and bands. */
static void
assert_same_layout (const HlLadderLayout *a, const HlLadderLayout *b)
{
  g_assert_cmpfloat (hl_ladder_layout_get_height (a), ==, hl_ladder_layout_get_height (b));
  g_assert_cmpuint (hl_ladder_layout_get_n_texts (a), ==, hl_ladder_layout_get_n_texts (b));
  for (guint i = 0; i < hl_ladder_layout_get_n_texts (a); i++) {
    const HlLadderText *x = hl_ladder_layout_get_text (a, i), *y = hl_ladder_layout_get_text (b, i);
    g_assert_cmpint (x->kind, ==, y->kind);
    g_assert_cmpint (x->tone, ==, y->tone);
    g_assert_cmpuint (x->step, ==, y->step);
    g_assert_cmpstr (pango_layout_get_text (x->layout), ==, pango_layout_get_text (y->layout));
    g_assert_cmpmem (&x->rect, sizeof x->rect, &y->rect, sizeof y->rect);
  }
  g_assert_cmpuint (hl_ladder_layout_get_n_arrows (a), ==, hl_ladder_layout_get_n_arrows (b));
  for (guint i = 0; i < hl_ladder_layout_get_n_arrows (a); i++)
    g_assert_cmpmem (hl_ladder_layout_get_arrow (a, i), sizeof (HlLadderArrow),
                     hl_ladder_layout_get_arrow (b, i), sizeof (HlLadderArrow));
  g_assert_cmpuint (hl_ladder_layout_get_n_bands (a), ==, hl_ladder_layout_get_n_bands (b));
}

/* The window's text cache changes nothing drawn: stepping through a lesson as the window
 * does (each position, selections, both themes, another width) with one cache gives the
 * layouts built without it, and a layout built again takes all its text from the cache. */
static void
test_text_cache (void)
{
  static const char *const lessons[]
      = { "20-fault-flipped-finished.scenario", "33-tls13-psk-resumption.scenario" };
  g_autoptr (HlLadderTextCache) cache = hl_ladder_text_cache_new ();
  for (guint k = 0; k < G_N_ELEMENTS (lessons); k++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (lessons[k]);
    g_autoptr (HlRun) run = hl_test_run (s);
    guint n = hl_run_get_n_steps (run);
    for (guint upto = 0; upto <= n; upto++) {
      HlLadderOptions o = { upto,
                            upto,
                            upto / 2,
                            upto % 2 ? HL_LADDER_THEME_DARK : HL_LADDER_THEME_LIGHT,
                            upto % 3 ? 0 : 900,
                            0,
                            NULL };
      g_autoptr (HlLadderLayout) plain = hl_ladder_layout_new (run, &o);
      g_autoptr (HlLadderLayout) cached = NULL, again = NULL;
      o.cache = cache;
      cached = hl_ladder_layout_new (run, &o);
      assert_same_layout (plain, cached);
      /* Built again: every text is the one the cache kept, and the drawing the same. */
      again = hl_ladder_layout_new (run, &o);
      assert_same_layout (plain, again);
      for (guint i = 0; i < hl_ladder_layout_get_n_texts (again); i++)
        g_assert_true (hl_ladder_layout_get_text (again, i)->layout
                       == hl_ladder_layout_get_text (cached, i)->layout);
    }
  }
}

static void
test_step_notes (void)
{
  /* Lesson 20 as its description tells it: the client judges the server's chain
   * (Certificate); the client's Finished has one bit flipped on the way, and the server
   * cannot check it, since the record's AEAD tag fails first. No other message has a note. */
  static const struct {
    const char *message;
    guint notes;
  } want[] = { { "ClientHello", 0 },       { "ServerHello", 0 },     { "Certificate", 1 },
               { "ServerKeyExchange", 0 }, { "ServerHelloDone", 0 }, { "ClientKeyExchange", 0 },
               { "ChangeCipherSpec", 0 },  { "Finished", 2 } };
  g_autoptr (HlScenario) s = hl_test_load_bundled ("20-fault-flipped-finished.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint faults = 0, checks = 0;
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    g_auto (GStrv) notes = hl_ladder_step_notes (st);
    g_assert_cmpstr (st->message, ==, want[i].message);
    g_assert_cmpuint (g_strv_length (notes), ==, want[i].notes);
    if (st->fault) {
      g_assert_true (g_str_has_prefix (notes[0], "Changed on the way: "));
      g_assert_nonnull (strstr (notes[0], st->fault));
      faults++;
    }
    if (st->check) {
      g_assert_true (g_strv_contains ((const char *const *)notes, st->check));
      checks++;
    }
  }
  g_assert_cmpuint (faults, ==, 1);
  g_assert_cmpuint (checks, >=, 1);
}

/* Lesson 43: the 0-RTT record a declining server skipped is labelled as skipped, not as
 * sent to a side that had stopped (the server carries on with the handshake). */
static void
test_skipped_early_data_label (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("43-tls13-early-data-rejected.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint skipped = 0;
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    g_autofree char *label = hl_ladder_describe_step (run, st);
    g_auto (GStrv) notes = hl_ladder_step_notes (st);
    g_autofree char *all = g_strjoinv ("\n", notes);
    g_assert_null (strstr (label, "had already stopped"));
    g_assert_null (strstr (all, "had already stopped"));
    if (!st->skipped)
      continue;
    g_assert_nonnull (strstr (label, "declined 0-RTT"));
    g_assert_nonnull (strstr (all, "skipped it unread"));
    skipped++;
  }
  g_assert_cmpuint (skipped, ==, 1);
}

/* A line may break inside BR_ERR_X509_NOT_TRUSTED only after an underscore: never
 * "BR_ERR_X509_NOT_TRUS" and "TED" on two lines, at any canvas width. */
static void
test_names_break_at_underscores (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("14-untrusted-ca.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint seen = 0, wrapped = 0;
  for (guint width = 600; width <= 1400; width += 10) {
    HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, width };
    g_autoptr (HlLadderLayout) l = hl_ladder_layout_new (run, &o);
    for (guint i = 0; i < hl_ladder_layout_get_n_texts (l); i++) {
      PangoLayout *layout = hl_ladder_layout_get_text (l, i)->layout;
      const char *text = pango_layout_get_text (layout);
      const char *name = strstr (text, "BR_");
      gsize start, end;
      GSList *lines;
      if (!name)
        continue;
      seen++;
      start = name - text;
      end = start + strspn (name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_\u200b");
      lines = pango_layout_get_lines_readonly (layout);
      for (GSList *x = lines ? lines->next : NULL; x; x = x->next) {
        gsize at = ((PangoLayoutLine *)x->data)->start_index;
        if (at <= start || at >= end)
          continue;
        wrapped++;
        /* The break follows an underscore (and the zero-width space that allows it). */
        if (!(text[at - 1] == '_' || g_str_has_prefix (text + at - 3, "\u200b")))
          g_error ("width %u: \"%s\" breaks inside a word at %zu", width, text, at);
      }
    }
  }
  g_assert_cmpuint (seen, >, 0);
  g_assert_cmpuint (wrapped, >, 0); /* some width does wrap the name */
}

/* Every fact the labels take from a field's id or number, seen once in a bundled lesson: a
 * decoder that renames an id, or a label that looks up one that is not there, loses a line
 * here (in every language, so the pseudo-translation test cannot see it). */
static void
test_labels_from_ids (void)
{
  static const struct {
    const char *lesson, *text;
  } pins[] = {
    { "01-rsa-key-exchange", "up to TLS 1.2, 1 cipher suite offered" },    /* legacy_version */
    { "01-rsa-key-exchange", "server name (SNI): server.example" },        /* host_name */
    { "01-rsa-key-exchange", "TLS 1.2, TLS_RSA_WITH_AES_128_GCM_SHA256" }, /* cipher_suite */
    { "01-rsa-key-exchange", "\nnames: DNS:server.example" },              /* subjectaltname */
    { "01-rsa-key-exchange", "RSA, 2048 bits; chain of 2" },      /* public_key, certificate.N */
    { "01-rsa-key-exchange", "encrypted premaster (256 bytes)" }, /* encrypted_premaster */
    { "01-rsa-key-exchange", "verify_data " },                    /* verify_data */
    { "02-ecdhe-rsa-aes-gcm", "x25519 share, signed (rsa_pkcs1_sha256)" }, /* named_curve */
    { "02-ecdhe-rsa-aes-gcm", "its ECDH share (32 bytes)" },               /* public_key */
    { "07-tls10-cbc", "share, signed with the certificate's RSA key (MD5+SHA-1" },
    { "10-mutual-tls", "signs the handshake (rsa_pkcs1_sha256)" }, /* signature_algorithm */
    { "11-session-resumption", "offers to resume session " },      /* session_id */
    { "12-sni-and-alpn", "protocols (ALPN): h2, http/1.1" },       /* protocol */
    { "12-sni-and-alpn", "protocol (ALPN): http/1.1" },
    { "13-server-preference", "in the client's order: 1. ECDHE_RSA_CHACHA20_POLY1305_SHA256, "
                              "2. ECDHE_RSA_AES_128_GCM_SHA256" }, /* cipher_suite numbers */
    { "18-no-common-suite", "fatal: handshake_failure" },          /* level, description */
    { "21-fault-flipped-client-random", ", in random_bytes</b>" }, /* the changed byte */
    { "30-tls13-basic", "offers TLS 1.3; 2 cipher suites" },       /* supported_versions */
    { "30-tls13-basic", "key share: x25519 (sent before the server chose)" }, /* key_share */
    { "30-tls13-basic", "TLS 1.3, TLS_AES_128_GCM_SHA256" },                  /* selected_version */
    { "30-tls13-basic", "a 192-byte ticket, valid 7200 s" }, /* ticket, ticket_lifetime */
    { "32-tls13-hello-retry", "wants a key share for secp256r1: try again" }, /* selected_group */
    { "32-tls13-hello-retry", "key share: secp256r1 (the group the server asked for)" },
    { "33-tls13-psk-resumption", "offers a ticket to resume (PSK)" }, /* pre_shared_key */
    { "34-tls13-early-data", "offers a ticket to resume (PSK), with 0-RTT data" }, /* early_data */
    { "39-tls13-key-update", "new keys from here on; asks the peer to update too" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (pins); i++) {
    g_autofree char *file = g_strconcat (pins[i].lesson, ".scenario", NULL);
    g_autoptr (HlScenario) s = hl_test_load_bundled (file);
    g_autoptr (HlRun) run = hl_test_run (s);
    gboolean found = FALSE;
    for (guint k = 0; k < hl_run_get_n_steps (run) && !found; k++) {
      g_autofree char *label = hl_ladder_describe_step (run, hl_run_get_step (run, k));
      found = strstr (label, pins[i].text) != NULL;
      if (g_getenv ("HL_TEST_SHOW_LABELS"))
        g_test_message ("%s", label);
    }
    if (!found)
      g_test_message ("%s: no label says \"%s\"", pins[i].lesson, pins[i].text);
    g_assert_true (found);
  }
  /* The leaf's common name heads the Certificate label, and the server's side names it. */
  {
    g_autoptr (HlScenario) s = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
    g_autoptr (HlRun) run = hl_test_run (s);
    g_autofree char *side = hl_ladder_describe_side (run, HL_SIDE_SERVER);
    g_autofree char *cert = NULL;
    for (guint k = 0; k < hl_run_get_n_steps (run) && !cert; k++)
      if (hl_run_get_step (run, k)->handshake_type == HL_HANDSHAKE_CERTIFICATE)
        cert = hl_ladder_describe_step (run, hl_run_get_step (run, k));
    g_assert_nonnull (cert);
    g_assert_true (g_str_has_prefix (cert, "server.example\n"));
    g_assert_nonnull (strstr (side, "certificate: CN=server.example"));
    g_assert_nonnull (strstr (side, "key: RSA, 2048 bits"));
  }
}

/* Before TLS 1.2 a ServerKeyExchange names no signature algorithm: the key fixes the hash,
 * MD5 and SHA-1 for RSA (RFC 2246 7.4.3), SHA-1 alone for ECDSA (RFC 4492 5.4). */
static void
test_tls10_signature_hash (void)
{
  static const char text[]
      = "[Scenario]\nFormat=1\nTitle=ECDSA in TLS 1.0\nSeed=tls10-ecdsa\n"
        "Time=2026-01-01T00:00:00Z\n"
        "[Client]\nVersions=TLS1.0\nCipherSuites=TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA\n"
        "ServerName=ecdsa.server.example\nTrustAnchors=assets/pki/root-ca.crt\n"
        "[Server]\nCertificateChain=assets/pki/server-ecdsa-p256-chain.pem\n"
        "PrivateKey=assets/pki/server-ecdsa-p256.key\nVersions=TLS1.0-TLS1.2\n";
  g_autofree char *path = hl_test_write_scenario (text);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  g_autoptr (HlRun) run = NULL;
  g_autofree char *label = NULL;
  g_assert_no_error (error);
  run = hl_test_run (s);
  for (guint k = 0; k < hl_run_get_n_steps (run) && !label; k++)
    if (hl_run_get_step (run, k)->handshake_type == HL_HANDSHAKE_SERVER_KEY_EXCHANGE)
      label = hl_ladder_describe_step (run, hl_run_get_step (run, k));
  g_assert_nonnull (label);
  g_assert_nonnull (
      strstr (label, "signed with the certificate's ECDSA key (SHA-1 in TLS 1.0/1.1)"));
  g_assert_null (strstr (label, "MD5"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/diagram/layout/bundled", test_bundled_layouts);
  g_test_add_func ("/diagram/layout/text-cache", test_text_cache);
  g_test_add_func ("/diagram/labels/step-notes", test_step_notes);
  g_test_add_func ("/diagram/labels/from-ids", test_labels_from_ids);
  g_test_add_func ("/diagram/labels/tls10-signature-hash", test_tls10_signature_hash);
  g_test_add_func ("/diagram/layout/long-names", test_long_names);
  g_test_add_func ("/diagram/layout/names-break-at-underscores", test_names_break_at_underscores);
  g_test_add_func ("/diagram/layout/forty-steps", test_forty_steps);
  g_test_add_func ("/diagram/layout/long-certificate-subject", test_long_subject);
  g_test_add_func ("/diagram/png", test_png);
  g_test_add_func ("/diagram/padlock", test_padlock);
  g_test_add_func ("/diagram/paint-clipped", test_paint_clipped);
  g_test_add_func ("/diagram/layout/hide-notes", test_hide_notes);
  g_test_add_func ("/diagram/travelling-arrow", test_travelling_arrow);
  g_test_add_func ("/diagram/labels-tell-the-truth", test_labels_tell_the_truth);
  g_test_add_func ("/diagram/svg", test_svg);
  g_test_add_func ("/diagram/connection-headings", test_connection_headings);
  g_test_add_func ("/diagram/skipped-early-data-label", test_skipped_early_data_label);
  return g_test_run ();
}
