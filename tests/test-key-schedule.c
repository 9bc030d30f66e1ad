/* TLS 1.3's key schedule as a picture (RFC 8446 7.1): every box inside the canvas and apart,
 * every Derive-Secret label drawn, every value the one the run's side holds, and the held
 * marks following the step. */
#include <string.h>

#include "hl-ladder-export.h"
#include "hl-key-schedule-layout.h"
#include "hl-recorded.h"
#include "hl-tables.h"
#include "hl-test-util.h"
#include "hl-tls13.h"

static gboolean
intersects (const HlLadderRect *a, const HlLadderRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height
         && b->y < a->y + a->height;
}

static gboolean
inside (const HlLadderRect *in, const HlLadderRect *out)
{
  return in->x >= out->x && in->y >= out->y && in->x + in->width <= out->x + out->width
         && in->y + in->height <= out->y + out->height;
}

static char *
hex (GBytes *b, gsize max)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (b, &len);
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < MIN (len, max); i++)
    g_string_append_printf (s, "%02x", d[i]);
  return g_string_free (s, FALSE);
}

static GBytes *
run_value (const HlStep *st, HlSide side, int id)
{
  const GPtrArray *list = st->after[side].secrets;
  for (guint i = 0; list && i < list->len; i++) {
    const HlSecret *s = g_ptr_array_index (list, i);
    if (strcmp (s->key, hl_secret_key (id)) == 0)
      return s->value;
  }
  return NULL;
}

/* A text as a student reads it: without the zero-width spaces that let names wrap after an
 * underscore. */
static void
append_plain (GString *s, const char *text)
{
  g_autoptr (GString) t = g_string_new (text);
  g_string_replace (t, "\u200b", "", 0);
  g_string_append_printf (s, "%s\n", t->str);
}

/* The text of every box of node i, one after the other. */
static char *
node_text (const HlKeyScheduleLayout *l, guint node, int kind)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < hl_key_schedule_layout_get_n_texts (l); i++) {
    const HlKeyScheduleText *t = hl_key_schedule_layout_get_text (l, i);
    if (t->node == (int)node && (kind < 0 || (int)t->kind == kind))
      append_plain (s, pango_layout_get_text (t->layout));
  }
  return g_string_free (s, FALSE);
}

static char *
all_text (const HlKeyScheduleLayout *l)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < hl_key_schedule_layout_get_n_texts (l); i++)
    append_plain (s, pango_layout_get_text (hl_key_schedule_layout_get_text (l, i)->layout));
  return g_string_free (s, FALSE);
}

static const HlKeyScheduleNode *
node_for (const HlKeyScheduleLayout *l, const char *label, guint *index)
{
  for (guint i = 0; i < hl_key_schedule_layout_get_n_nodes (l); i++) {
    const HlKeyScheduleNode *n = hl_key_schedule_layout_get_node (l, i);
    if (g_strcmp0 (n->label, label) == 0) {
      if (index)
        *index = i;
      return n;
    }
  }
  return NULL;
}

static const HlKeyScheduleNode *
node_of_secret (const HlKeyScheduleLayout *l, int id, guint *index)
{
  for (guint i = 0; i < hl_key_schedule_layout_get_n_nodes (l); i++) {
    const HlKeyScheduleNode *n = hl_key_schedule_layout_get_node (l, i);
    if (n->secret == id) {
      if (index)
        *index = i;
      return n;
    }
  }
  return NULL;
}

/* Geometry, labels and values of one layout; the step's own knowledge is the reference. */
static void
check_layout (HlRun *run, guint step, double width)
{
  HlKeyScheduleOptions o = { step, HL_LADDER_THEME_LIGHT, width, FALSE };
  g_autoptr (HlKeyScheduleLayout) l = hl_key_schedule_layout_new (run, &o);
  double w = hl_key_schedule_layout_get_width (l), h = hl_key_schedule_layout_get_height (l);
  const HlStep *st = hl_run_get_step (run, step - 1);
  g_autofree char *text = all_text (l);
  guint nn = hl_key_schedule_layout_get_n_nodes (l), nt = hl_key_schedule_layout_get_n_texts (l);
  g_assert_cmpuint (hl_key_schedule_layout_get_step (l), ==, step);
  for (guint i = 0; i < nn; i++) {
    const HlKeyScheduleNode *a = hl_key_schedule_layout_get_node (l, i);
    HlLadderRect canvas = { 0, 0, w, h };
    g_assert_true (inside (&a->rect, &canvas));
    for (guint j = i + 1; j < nn; j++)
      if (intersects (&a->rect, &hl_key_schedule_layout_get_node (l, j)->rect))
        g_error ("step %u: boxes %u and %u overlap", step, i, j);
  }
  for (guint i = 0; i < nt; i++) {
    const HlKeyScheduleText *a = hl_key_schedule_layout_get_text (l, i);
    HlLadderRect canvas = { 0, 0, w, h };
    g_assert_cmpfloat (a->rect.height, >, 0);
    g_assert_true (inside (&a->rect, &canvas));
    if (a->node >= 0 && !inside (&a->rect, &hl_key_schedule_layout_get_node (l, a->node)->rect))
      g_error ("step %u: '%s' leaves its box", step, pango_layout_get_text (a->layout));
    for (guint j = i + 1; j < nt; j++) {
      const HlKeyScheduleText *b = hl_key_schedule_layout_get_text (l, j);
      if (intersects (&a->rect, &b->rect))
        g_error ("step %u: '%s' (%g,%g %gx%g, box %d) and '%s' (%g,%g %gx%g, box %d) overlap", step,
                 pango_layout_get_text (a->layout), a->rect.x, a->rect.y, a->rect.width,
                 a->rect.height, a->node, pango_layout_get_text (b->layout), b->rect.x, b->rect.y,
                 b->rect.width, b->rect.height, b->node);
    }
  }
  if (!hl_key_schedule_layout_is_tls13 (l)) {
    /* Before TLS 1.3: the PRF chain, premaster -> master secret -> key block -> keys. */
    static const int chain[] = { HL_SECRET_PREMASTER,
                                 HL_SECRET_MASTER,
                                 HL_SECRET_KEY_BLOCK,
                                 HL_SECRET_CLIENT_WRITE_MAC_KEY,
                                 HL_SECRET_SERVER_WRITE_MAC_KEY,
                                 HL_SECRET_CLIENT_WRITE_KEY,
                                 HL_SECRET_SERVER_WRITE_KEY,
                                 HL_SECRET_CLIENT_WRITE_IV,
                                 HL_SECRET_SERVER_WRITE_IV };
    g_assert_nonnull (strstr (text, "applies to TLS 1.3 only"));
    g_assert_cmpuint (nn, ==, G_N_ELEMENTS (chain));
    for (guint i = 0; i < nn; i++)
      g_assert_cmpint (hl_key_schedule_layout_get_node (l, i)->secret, ==, chain[i]);
    g_assert_nonnull (strstr (text, "\"key expansion\""));
  } else {
    /* Every label of RFC 8446 7.1, with the transcript it hashes. */
    static const char *const drawn[] = { "\"ext binder\" | \"res binder\", \"\")",
                                         "\"c e traffic\", ClientHello)",
                                         "\"e exp master\", ClientHello)",
                                         "\"c hs traffic\", ClientHello...ServerHello)",
                                         "\"s hs traffic\", ClientHello...ServerHello)",
                                         "\"c ap traffic\", ClientHello...server Finished)",
                                         "\"s ap traffic\", ClientHello...server Finished)",
                                         "\"exp master\", ClientHello...server Finished)",
                                         "\"res master\", ClientHello...client Finished)",
                                         "Early Secret",
                                         "Handshake Secret",
                                         "Master Secret",
                                         "PSK",
                                         "(EC)DHE" };
    const char *p = text;
    for (guint i = 0; i < G_N_ELEMENTS (drawn); i++)
      if (!strstr (text, drawn[i]))
        g_error ("step %u: '%s' is not drawn", step, drawn[i]);
    for (int k = 0; k < 2; k++) {
      p = strstr (p, "Derive-Secret(., \"derived\", \"\")");
      g_assert_nonnull (p);
      p++;
    }
  }
  for (guint i = 0; i < nn; i++) {
    const HlKeyScheduleNode *n = hl_key_schedule_layout_get_node (l, i);
    g_autofree char *values = node_text (l, i, HL_KEY_SCHEDULE_TEXT_VALUE);
    g_autofree char *marks = node_text (l, i, HL_KEY_SCHEDULE_TEXT_MARKS);
    for (int side = 0; side < 2; side++) {
      GBytes *v = n->secret >= 0 ? run_value (st, side, n->secret) : NULL;
      if (n->secret >= 0) {
        /* What the side holds, as the run says it twice: its list and its bit mask. */
        g_assert_cmpint (n->held[side], ==, v != NULL);
        g_assert_false (n->held[side] && n->hidden[side]);
        g_assert_cmpint (n->held[side], ==, (st->after[side].knows >> n->secret) & 1);
        if (v)
          g_assert_true (g_bytes_equal (n->value[side], v));
        else
          g_assert_null (n->value[side]);
      }
      if (n->value[side]) {
        g_autofree char *whole = hex (n->value[side], G_MAXSIZE);
        g_assert_nonnull (strstr (values, whole));
      }
      if (!n->never && (n->secret >= 0 || n->kind == HL_KEY_SCHEDULE_NODE_DERIVED)) {
        const char *word = side == HL_SIDE_CLIENT ? "Client" : "Server";
        g_autofree char *mark
            = g_strdup_printf ("%s %s", word,
                               n->held[side]     ? "\u25cf holds it"
                               : n->hidden[side] ? "\u25cc inside its library, not visible"
                                                 : "\u25cb not yet");
        if (!strstr (marks, mark))
          g_error ("step %u, box %u: no '%s' in '%s'", step, i, mark, marks);
      }
    }
    if (n->kind == HL_KEY_SCHEDULE_NODE_DERIVED) {
      /* The "derived" salt from each side's own secret above, by the engine's HKDF. */
      for (int side = 0; side < 2; side++) {
        GBytes *secret = NULL;
        guint8 out[48];
        /* The secret box laid out last before it: the stage above. */
        for (guint k = 0; k < i; k++) {
          const HlKeyScheduleNode *m = hl_key_schedule_layout_get_node (l, k);
          if (m->kind == HL_KEY_SCHEDULE_NODE_SECRET)
            secret = m->value[side];
        }
        g_assert_cmpint (n->held[side], ==, secret != NULL);
        if (!secret)
          continue;
        hl_tls13_derive_secret (g_bytes_get_size (secret) == 48 ? HL_HASH_SHA384 : HL_HASH_SHA256,
                                g_bytes_get_data (secret, NULL), "derived", NULL, 0, out);
        g_assert_cmpmem (g_bytes_get_data (n->value[side], NULL), g_bytes_get_size (n->value[side]),
                         out, g_bytes_get_size (secret));
      }
    }
  }
}

/* Every TLS 1.3 lesson (and the TLS 1.3 client that meets a TLS 1.2 server), at every step,
 * at the default width and the narrowest. */
static void
test_bundled (void)
{
  g_autoptr (GPtrArray) names = hl_test_bundled_names ();
  guint n13 = 0;
  for (guint i = 0; i < names->len; i++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (g_ptr_array_index (names, i));
    g_autoptr (HlRun) run = NULL;
    run = hl_test_run (s);
    for (guint k = 1; k <= hl_run_get_n_steps (run); k++) {
      check_layout (run, k, 0);
      if (k % 4 == 1 || k == hl_run_get_n_steps (run)) {
        check_layout (run, k, 900);
        check_layout (run, k, 480); /* the narrowest: two columns */
      }
    }
    n13 += s->client.version_max >= 0x0304;
  }
  g_assert_cmpuint (n13, >=, 12);
  g_assert_cmpuint (names->len, >=, n13 + 20);
}

static guint
step_of (HlRun *run, guint connection, const char *message)
{
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    if (st->connection == connection && strcmp (st->message, message) == 0)
      return st->index;
  }
  g_error ("no %s in connection %u", message, connection);
  return 0;
}

/* After the ServerHello the client holds the handshake secrets, not yet the application
 * ones; after the client's Finished both hold all of them. */
static void
test_held_follows_step (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("30-tls13-basic.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint sh = step_of (run, 1, "ServerHello"), fin = hl_run_get_n_steps (run);
  HlKeyScheduleOptions o = { sh, HL_LADDER_THEME_LIGHT, 0, FALSE };
  g_autoptr (HlKeyScheduleLayout) at_sh = hl_key_schedule_layout_new (run, &o);
  g_autoptr (HlKeyScheduleLayout) at_ch = NULL, at_end = NULL;
  guint i = 0;
  const HlKeyScheduleNode *n = node_for (at_sh, "c hs traffic", &i);
  g_autofree char *marks = node_text (at_sh, i, HL_KEY_SCHEDULE_TEXT_MARKS);
  g_assert_true (n->held[HL_SIDE_CLIENT]);
  g_assert_nonnull (strstr (marks, "Client \u25cf holds it"));
  g_assert_true (node_for (at_sh, "s hs traffic", NULL)->held[HL_SIDE_CLIENT]);
  g_assert_true (node_of_secret (at_sh, HL_SECRET_HANDSHAKE, NULL)->held[HL_SIDE_CLIENT]);
  n = node_for (at_sh, "c ap traffic", &i);
  g_clear_pointer (&marks, g_free);
  marks = node_text (at_sh, i, HL_KEY_SCHEDULE_TEXT_MARKS);
  g_assert_false (n->held[HL_SIDE_CLIENT]);
  g_assert_nonnull (strstr (marks, "Client \u25cb not yet"));
  g_assert_false (node_of_secret (at_sh, HL_SECRET_MASTER, NULL)->held[HL_SIDE_CLIENT]);
  g_assert_false (node_for (at_sh, "res master", NULL)->held[HL_SIDE_CLIENT]);

  o.step = step_of (run, 1, "ClientHello");
  at_ch = hl_key_schedule_layout_new (run, &o);
  g_assert_false (node_of_secret (at_ch, HL_SECRET_HANDSHAKE, NULL)->held[HL_SIDE_CLIENT]);
  g_assert_false (node_for (at_ch, "c hs traffic", NULL)->held[HL_SIDE_CLIENT]);
  /* The server has read the ClientHello and made its share: it holds them already. */
  g_assert_true (node_for (at_ch, "c hs traffic", NULL)->held[HL_SIDE_SERVER]);

  o.step = fin;
  at_end = hl_key_schedule_layout_new (run, &o);
  for (i = 0; i < hl_key_schedule_layout_get_n_nodes (at_end); i++) {
    n = hl_key_schedule_layout_get_node (at_end, i);
    if (n->secret >= 0 && n->secret != HL_SECRET_BINDER_KEY
        && n->secret != HL_SECRET_CLIENT_EARLY_TRAFFIC && n->secret != HL_SECRET_PSK
        && n->secret != HL_SECRET_EARLY_EXPORTER_MASTER) {
      g_assert_true (n->held[HL_SIDE_CLIENT]);
      g_assert_true (n->held[HL_SIDE_SERVER]);
    }
  }
}

/* Without a PSK the picture shows RFC 8446's zeros, and the early secret is the known
 * constant HKDF-Extract(0, 0) with its "derived" salt (RFC 8448, section 3). With a PSK the
 * PSK box holds the run's PSK and the binder key is derived. */
static void
test_zeros_and_psk (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("30-tls13-basic.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  HlKeyScheduleOptions o = { 0, HL_LADDER_THEME_LIGHT, 0, FALSE };
  g_autoptr (HlKeyScheduleLayout) l = hl_key_schedule_layout_new (run, &o);
  g_autoptr (HlScenario) s33 = hl_test_load_bundled ("33-tls13-psk-resumption.scenario");
  g_autoptr (HlRun) run33 = hl_test_run (s33);
  g_autoptr (HlKeyScheduleLayout) l33 = NULL;
  guint i = 0;
  const HlKeyScheduleNode *psk = node_of_secret (l, HL_SECRET_PSK, &i);
  g_autofree char *psk_text = node_text (l, i, -1);
  g_autofree char *early = NULL, *derived = NULL;
  g_assert_true (psk->never);
  g_assert_false (psk->held[0] || psk->held[1]);
  g_assert_nonnull (strstr (psk_text, "32 zero bytes (Hash.length)"));
  g_assert_true (node_for (l, "res binder", NULL)->never);
  {
    /* e exp master: not derived without a PSK, and said so. */
    const HlKeyScheduleNode *eem = node_for (l, "e exp master", &i);
    g_autofree char *eem_text = node_text (l, i, -1);
    g_assert_cmpint (eem->secret, ==, HL_SECRET_EARLY_EXPORTER_MASTER);
    g_assert_true (eem->never);
    g_assert_nonnull (strstr (eem_text, "Not derived: no PSK."));
    g_assert_null (strstr (eem_text, "does not compute"));
  }
  early = hex (node_of_secret (l, HL_SECRET_EARLY, NULL)->value[HL_SIDE_CLIENT], 32);
  g_assert_cmpstr (early, ==, "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
  derived = hex (node_for (l, "derived", NULL)->value[HL_SIDE_SERVER], 32);
  g_assert_cmpstr (derived, ==, "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba");

  l33 = hl_key_schedule_layout_new (run33, &o);
  psk = node_of_secret (l33, HL_SECRET_PSK, NULL);
  g_assert_false (psk->never);
  g_assert_true (psk->held[HL_SIDE_CLIENT] && psk->held[HL_SIDE_SERVER]);
  g_assert_true (g_bytes_equal (psk->value[HL_SIDE_CLIENT],
                                hl_run_get_connection (run33, 1)->secrets.value[HL_SECRET_PSK]));
  g_assert_true (node_for (l33, "res binder", NULL)->held[HL_SIDE_SERVER]);
  {
    /* With a PSK but no 0-RTT data OpenSSL never makes e exp master, and the picture says
     * so (RFC 8446 7.1 allows it; the library derives it only for early data). */
    const HlKeyScheduleNode *eem = node_for (l33, "e exp master", &i);
    g_autofree char *eem_text = node_text (l33, i, -1);
    g_assert_true (eem->never);
    g_assert_false (eem->held[HL_SIDE_CLIENT] || eem->held[HL_SIDE_SERVER]);
    g_assert_nonnull (strstr (eem_text, "only when 0-RTT data is sent or accepted"));
  }
}

/* Lesson 39: after the KeyUpdate the next application traffic secret is drawn (RFC 8446
 * 7.2), with the run's value; before it, it is not. */
static void
test_key_update (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("39-tls13-key-update.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  guint ku = step_of (run, 1, "KeyUpdate");
  HlKeyScheduleOptions o = { ku - 1, HL_LADDER_THEME_LIGHT, 0, FALSE };
  g_autoptr (HlKeyScheduleLayout) before = hl_key_schedule_layout_new (run, &o);
  g_autoptr (HlKeyScheduleLayout) after = NULL;
  const HlKeyScheduleNode *n;
  guint i = 0;
  g_autofree char *formula = NULL;
  g_assert_null (node_of_secret (before, HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1, NULL));
  o.step = 0;
  after = hl_key_schedule_layout_new (run, &o);
  n = node_of_secret (after, HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1, &i);
  g_assert_nonnull (n);
  g_assert_cmpstr (n->label, ==, "traffic upd");
  g_assert_true (n->held[HL_SIDE_CLIENT] && n->held[HL_SIDE_SERVER]);
  g_assert_true (g_bytes_equal (
      n->value[HL_SIDE_SERVER],
      hl_run_get_connection (run, 0)->secrets.value[HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1]));
  formula = node_text (after, i, HL_KEY_SCHEDULE_TEXT_FORMULA);
  g_assert_nonnull (strstr (formula, "HKDF-Expand-Label(client_application_traffic_secret_0, "
                                     "\"traffic upd\", \"\", Hash.length)"));
}

/* TLS_AES_256_GCM_SHA384: 48-byte secrets, and "derived" made with SHA-384. */
static void
test_sha384 (void)
{
  g_autofree char *path = hl_test_write_scenario (
      "[Scenario]\nFormat=1\nTitle=SHA-384\n"
      "[Client]\nVersions=TLS1.3\nCipherSuites=TLS_AES_256_GCM_SHA384\n"
      "TrustAnchors=assets/pki/root-ca.crt\nServerName=server.example\n"
      "[Server]\nVersions=TLS1.3\nCertificateChain=assets/pki/server-rsa-chain.pem\n"
      "PrivateKey=assets/pki/server-rsa.key\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = hl_scenario_load (path, &error);
  g_autoptr (HlRun) run = NULL;
  HlKeyScheduleOptions o = { 0, HL_LADDER_THEME_LIGHT, 0, FALSE };
  g_autoptr (HlKeyScheduleLayout) l = NULL;
  g_assert_no_error (error);
  run = hl_test_run (s);
  for (guint k = 1; k <= hl_run_get_n_steps (run); k++)
    check_layout (run, k, k % 2 ? 0 : 480);
  l = hl_key_schedule_layout_new (run, &o);
  g_assert_cmpuint (
      g_bytes_get_size (node_of_secret (l, HL_SECRET_EARLY, NULL)->value[HL_SIDE_CLIENT]), ==, 48);
  g_assert_cmpuint (g_bytes_get_size (node_for (l, "derived", NULL)->value[HL_SIDE_CLIENT]), ==,
                    48);
  g_assert_true (node_for (l, "res master", NULL)->held[HL_SIDE_SERVER]);
}

/* Before the first step (the window just after loading a lesson): every box, no marks. */
static void
test_before_first_step (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("30-tls13-basic.scenario");
  g_autoptr (HlRun) run = hl_run_new (s);
  HlKeyScheduleOptions o = { 0, HL_LADDER_THEME_LIGHT, 600, FALSE };
  g_autoptr (HlKeyScheduleLayout) l = hl_key_schedule_layout_new (run, &o);
  g_autofree char *text = all_text (l);
  g_assert_cmpuint (hl_run_get_n_steps (run), ==, 0);
  g_assert_cmpuint (hl_key_schedule_layout_get_step (l), ==, 0);
  g_assert_true (hl_key_schedule_layout_is_tls13 (l));
  g_assert_nonnull (strstr (text, "No step delivered yet"));
  g_assert_null (strstr (text, "holds it"));
  g_assert_null (strstr (text, "\u25cb"));
  g_assert_nonnull (node_for (l, "res master", NULL));
  for (guint i = 0; i < hl_key_schedule_layout_get_n_nodes (l); i++) {
    const HlKeyScheduleNode *n = hl_key_schedule_layout_get_node (l, i);
    g_assert_false (n->held[0] || n->held[1]);
  }
  /* Before any step the PSK box claims no earlier connection: without a ticket the input is
   * zeros (RFC 8446 7.1). */
  g_assert_null (strstr (text, "the resumption PSK, from the earlier connection"));
  g_assert_nonnull (strstr (text, "a resumption PSK if the client offers a ticket"));
  /* ...and the handshake keys take it only if the server accepts it (4.2.11). */
  g_assert_nonnull (strstr (text, "the handshake keys only if the server accepts it"));
  {
    /* A TLS 1.2 lesson before its first step shows no chain yet, and says so. */
    g_autoptr (HlScenario) s01 = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
    g_autoptr (HlRun) run01 = hl_run_new (s01);
    g_autoptr (HlKeyScheduleLayout) l01 = hl_key_schedule_layout_new (run01, &o);
    g_autofree char *text01 = all_text (l01);
    g_assert_null (strstr (text01, "this PRF chain"));
    g_assert_nonnull (strstr (text01, "a PRF chain, shown here from the first step on"));
  }
}

/* A TLS 1.2 lesson says the picture is TLS 1.3's; the PNG and SVG draw it. */
static void
test_tls12_and_files (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlRun) run = hl_test_run (s);
  g_autoptr (HlScenario) s13 = hl_test_load_bundled ("31-tls13-chacha20-ecdsa.scenario");
  g_autoptr (HlRun) run13 = hl_test_run (s13);
  HlKeyScheduleOptions o = { 0, HL_LADDER_THEME_DARK, 0, FALSE };
  g_autoptr (HlKeyScheduleLayout) l = hl_key_schedule_layout_new (run, &o);
  g_autofree char *text = all_text (l);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = NULL, svg = NULL;
  g_assert_false (hl_key_schedule_layout_is_tls13 (l));
  g_assert_nonnull (strstr (text, "applies to TLS 1.3 only"));
  /* Its PRF chain with the run's values: the master secret both sides hold at the end. */
  g_assert_true (node_of_secret (l, HL_SECRET_MASTER, NULL)->held[HL_SIDE_CLIENT]);
  g_assert_true (g_bytes_equal (node_of_secret (l, HL_SECRET_MASTER, NULL)->value[HL_SIDE_SERVER],
                                hl_run_get_connection (run, 0)->secrets.value[HL_SECRET_MASTER]));
  g_assert_true (node_of_secret (l, HL_SECRET_CLIENT_WRITE_MAC_KEY, NULL)->never); /* GCM */
  {
    /* Lesson 38: the OpenSSL client's key log gives its master secret, never its premaster:
     * not "not yet" but inside its library; the BearSSL server holds it. */
    g_autoptr (HlScenario) s38 = hl_test_load_bundled ("38-tls13-client-vs-tls12-server.scenario");
    g_autoptr (HlRun) run38 = hl_test_run (s38);
    g_autoptr (HlKeyScheduleLayout) l38 = hl_key_schedule_layout_new (run38, &o);
    guint i = 0;
    const HlKeyScheduleNode *pm = node_of_secret (l38, HL_SECRET_PREMASTER, &i);
    g_autofree char *marks = node_text (l38, i, HL_KEY_SCHEDULE_TEXT_MARKS);
    g_assert_false (pm->held[HL_SIDE_CLIENT]);
    g_assert_true (pm->hidden[HL_SIDE_CLIENT]);
    g_assert_true (pm->held[HL_SIDE_SERVER]);
    g_assert_false (pm->hidden[HL_SIDE_SERVER]);
    g_assert_nonnull (strstr (marks, "Client \u25cc inside its library, not visible"));
  }
  {
    /* Lesson 11, connection 2: a resumption has no premaster (RFC 5246 7.3). */
    g_autoptr (HlScenario) s11 = hl_test_load_bundled ("11-session-resumption.scenario");
    g_autoptr (HlRun) run11 = hl_test_run (s11);
    g_autoptr (HlKeyScheduleLayout) l11 = hl_key_schedule_layout_new (run11, &o);
    guint i = 0;
    const HlKeyScheduleNode *pm = node_of_secret (l11, HL_SECRET_PREMASTER, &i);
    g_autofree char *words = node_text (l11, i, -1);
    g_assert_cmpuint (hl_run_get_step (run11, hl_run_get_n_steps (run11) - 1)->connection, ==, 2);
    g_assert_true (pm->never);
    g_assert_nonnull (strstr (words, "it resumes a session"));
    g_assert_true (node_of_secret (l11, HL_SECRET_MASTER, NULL)->held[HL_SIDE_CLIENT]);
  }
  png = hl_key_schedule_render_png (run13, &o, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  svg = hl_key_schedule_render_svg (run13, &o, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (svg, NULL), g_bytes_get_size (svg), "<svg"));
}

/* Before TLS 1.3 the title names the version's RFC and its PRF (seventeenth reading):
 * TLS 1.0 and 1.1 XOR P_MD5 with P_SHA-1 (RFC 2246 5), TLS 1.2 uses P_SHA256 unless the
 * suite names SHA-384 (RFC 5246 5, RFC 5289); before a version is agreed it names all three
 * RFCs. After a HelloRetryRequest, only the transcripts that name messages start with
 * message_hash: Derive-Secret(., "derived", "") hashes nothing (RFC 8446 7.1, 4.4.1). */
static void
test_titles (void)
{
  static const struct {
    const char *lesson;
    guint step; /* 0: before the first step */
    const char *says;
  } cases[] = {
    { "07-tls10-cbc.scenario", 6,
      "Keys before TLS 1.3, connection 1: the PRF chain with P_MD5 XOR P_SHA-1 (RFC 2246 5, "
      "8.1 and 6.3)" },
    { "01-rsa-key-exchange.scenario", 6, "the PRF chain with P_SHA256 (RFC 5246 5, 8.1 and 6.3)" },
    { "04-ecdhe-ecdsa-p384-sha384.scenario", 6,
      "the PRF chain with P_SHA384 (RFC 5246 5, 8.1 and 6.3)" },
    { "01-rsa-key-exchange.scenario", 0,
      "Keys before TLS 1.3: the PRF chain (RFC 2246, 4346 and 5246: sections 5, 8.1 and 6.3)" },
    { "32-tls13-hello-retry.scenario", 8,
      "every transcript above that names messages starts with a message_hash" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (HlScenario) s = hl_test_load_bundled (cases[i].lesson);
    /* Step 0: a run not started. */
    g_autoptr (HlRun) run = cases[i].step ? hl_test_run (s) : hl_run_new (s);
    HlKeyScheduleOptions o = { cases[i].step, HL_LADDER_THEME_LIGHT, 0, FALSE };
    g_autoptr (HlKeyScheduleLayout) l = hl_key_schedule_layout_new (run, &o);
    g_autofree char *text = all_text (l);
    if (!strstr (text, cases[i].says))
      g_error ("%s, step %u: no \"%s\" in:\n%s", cases[i].lesson, cases[i].step, cases[i].says,
               text);
    g_assert_null (strstr (text, "(RFC 5246 8.1 and 6.3)"));
  }
}

/* A TLS 1.3 capture with its key log: what no key log carries (the Early, Handshake and
 * Master Secrets, the (EC)DHE secret, the PSK) is said to stay unknown, not "not derived
 * yet" at the last step, beside traffic secrets that "hold it" (a user's trial). */
static void
test_capture (void)
{
  g_autoptr (HlScenario) s = hl_test_load_bundled ("30-tls13-basic.scenario");
  g_autoptr (HlRun) live = hl_test_run (s);
  g_autoptr (GError) error = NULL;
  HlKeyScheduleOptions o = { 0, HL_LADDER_THEME_LIGHT, 0, FALSE };
  g_autoptr (HlRun) run = hl_run_new_recorded (hl_test_record (live, 1 << 20, TRUE), &error);
  g_autoptr (HlKeyScheduleLayout) l = NULL;
  g_autofree char *text = NULL, *hs_words = NULL;
  guint i = 0;
  g_assert_no_error (error);
  hl_run_run_to_end (run);
  l = hl_key_schedule_layout_new (run, &o);
  text = all_text (l);
  g_assert_nonnull (node_of_secret (l, HL_SECRET_HANDSHAKE, &i));
  hs_words = node_text (l, i, HL_KEY_SCHEDULE_TEXT_FORMULA);
  g_assert_nonnull (strstr (hs_words, "Not in a key log"));
  g_assert_true (hl_key_schedule_layout_get_node (l, i)->never);
  g_assert_nonnull (node_of_secret (l, HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC, &i));
  g_assert_true (hl_key_schedule_layout_get_node (l, i)->held[HL_SIDE_CLIENT]);
  if (strstr (text, "not derived yet"))
    g_error ("a capture's schedule at its end says 'not derived yet':\n%s", text);
  g_assert_null (strstr (text, "as in every lesson here"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/key-schedule/bundled", test_bundled);
  g_test_add_func ("/key-schedule/held-follows-step", test_held_follows_step);
  g_test_add_func ("/key-schedule/zeros-and-psk", test_zeros_and_psk);
  g_test_add_func ("/key-schedule/key-update", test_key_update);
  g_test_add_func ("/key-schedule/sha384", test_sha384);
  g_test_add_func ("/key-schedule/before-first-step", test_before_first_step);
  g_test_add_func ("/key-schedule/tls12-and-files", test_tls12_and_files);
  g_test_add_func ("/key-schedule/titles", test_titles);
  g_test_add_func ("/key-schedule/capture", test_capture);
  return g_test_run ();
}
