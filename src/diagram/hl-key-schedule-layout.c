/* hl-key-schedule-layout.c: RFC 8446 7.1's figure, in three columns.
 *
 * Left, the HKDF-Extract inputs (IKM); middle, the chain Early -> "derived" -> Handshake ->
 * "derived" -> Master Secret; right, each stage's Derive-Secret outputs, stacked. A stage
 * is as tall as the tallest of its columns and the next one starts below it, so no two
 * boxes can overlap; text wraps inside its box, so none leaves the canvas. Every value is
 * the one the side holds after the step (the run's knowledge), never recomputed here,
 * except the "derived" salts, which the run does not keep: those are made from the
 * side's own secret above them.
 */
#include "hl-key-schedule-layout.h"
#include "hl-i18n.h"

#include <pango/pangocairo.h>
#include <string.h>

#include "hl-recorded.h"
#include "hl-tables.h"

#define DEFAULT_WIDTH 1120.0
#define MIN_WIDTH 480.0
#define NARROW_WIDTH 900.0 /* below it, two columns: the inputs join the outputs */
#define MARGIN 20.0
#define PAD 8.0
#define COLUMN_GAP 40.0
#define BOX_GAP 10.0
#define STAGE_GAP 26.0
#define LINE_Y 18.0 /* lines meet a box this far below its top: beside its heading */

static const struct {
  double size;
  gboolean bold, mono;
} text_style[] = {
  [HL_KEY_SCHEDULE_TEXT_TITLE] = { 20, TRUE, FALSE },
  [HL_KEY_SCHEDULE_TEXT_NOTE] = { 12, FALSE, FALSE },
  [HL_KEY_SCHEDULE_TEXT_NAME] = { 13, TRUE, FALSE },
  [HL_KEY_SCHEDULE_TEXT_FORMULA] = { 12, FALSE, FALSE },
  [HL_KEY_SCHEDULE_TEXT_VALUE] = { 12, FALSE, TRUE },
  [HL_KEY_SCHEDULE_TEXT_MARKS] = { 12, FALSE, FALSE },
};

struct _HlKeyScheduleLayout {
  double width, height;
  HlLadderTheme theme;
  gboolean tls13;
  guint step;
  gboolean short_values;
  gboolean recorded; /* a capture's run: what no key log carries stays unknown */
  PangoContext *context;
  GArray *nodes; /* HlKeyScheduleNode */
  GArray *texts; /* HlKeyScheduleText */
  GArray *lines; /* HlKeyScheduleLine */
};

/* ---------- Derive-Secret(., "derived", "") ---------- */

GBytes *
hl_key_schedule_derived (GBytes *secret)
{
  gsize len;
  const guint8 *prk = g_bytes_get_data (secret, &len);
  GChecksumType type = len == 32 ? G_CHECKSUM_SHA256 : G_CHECKSUM_SHA384;
  static const char label[] = "tls13 derived";
  guint8 info[2 + 1 + sizeof label + 1 + 48 + 1], empty_hash[48], out[48];
  gsize n = 0, hash_len = len, out_len = len;
  g_autoptr (GChecksum) h = NULL;
  g_autoptr (GHmac) mac = NULL;
  if (len != 32 && len != 48)
    return NULL;
  /* Transcript-Hash("") is the hash of nothing. */
  h = g_checksum_new (type);
  g_checksum_get_digest (h, empty_hash, &hash_len);
  /* HkdfLabel: uint16 length, opaque label<7..255>, opaque context<0..255> (RFC 8446 7.1). */
  info[n++] = len >> 8;
  info[n++] = len & 0xff;
  info[n++] = sizeof label - 1;
  memcpy (info + n, label, sizeof label - 1);
  n += sizeof label - 1;
  info[n++] = hash_len;
  memcpy (info + n, empty_hash, hash_len);
  n += hash_len;
  info[n++] = 1; /* HKDF-Expand's T(1): one block is Hash.length, all we need */
  mac = g_hmac_new (type, prk, len);
  g_hmac_update (mac, info, n);
  g_hmac_get_digest (mac, out, &out_len);
  return g_bytes_new (out, len);
}

/* ---------- Text ---------- */

static PangoContext *
new_context (void)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *context = pango_font_map_create_context (map);
  cairo_font_options_t *options = cairo_font_options_create ();
  /* As the ladder: the same geometry at every scale and on every surface. */
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  pango_cairo_context_set_resolution (context, 96);
  cairo_font_options_destroy (options);
  return context;
}

/* The markup with a zero-width space after each underscore of its text (not of its tags),
 * as the ladder does: resumption_master_secret wraps after an underscore in a narrow box
 * rather than between two letters. */
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

/* Adds a text box at (x, y), wrapped to width; returns its height. */
static double
add_text (HlKeyScheduleLayout *l, HlKeyScheduleTextKind kind, HlLadderTone tone, int node,
          const char *markup, double x, double y, double width)
{
  HlKeyScheduleText t = { kind, tone, { x, y, width, 0 }, node, pango_layout_new (l->context) };
  PangoFontDescription *desc = pango_font_description_new ();
  PangoRectangle logical;
  pango_font_description_set_family (desc,
                                     text_style[kind].mono ? HL_LADDER_MONO_FONT : HL_LADDER_FONT);
  pango_font_description_set_absolute_size (desc, text_style[kind].size * PANGO_SCALE);
  pango_font_description_set_weight (desc, text_style[kind].bold ? PANGO_WEIGHT_BOLD
                                                                 : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (t.layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (t.layout, (int)(width * PANGO_SCALE));
  /* Hex has no spaces: it wraps between characters where a line is full. */
  pango_layout_set_wrap (t.layout, PANGO_WRAP_WORD_CHAR);
  {
    g_autofree char *breakable = breakable_names (markup);
    pango_layout_set_markup (t.layout, breakable, -1);
  }
  {
    /* A hex value wraps between two digits with no hyphen: a hyphen would read as data. */
    PangoAttrList *attrs = pango_layout_get_attributes (t.layout);
    attrs = attrs ? pango_attr_list_copy (attrs) : pango_attr_list_new ();
    pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
    pango_layout_set_attributes (t.layout, attrs);
    pango_attr_list_unref (attrs);
  }
  pango_layout_get_pixel_extents (t.layout, NULL, &logical);
  t.rect.x = x + logical.x;
  t.rect.width = MIN (logical.width, width);
  t.rect.height = logical.height;
  g_array_append_val (l->texts, t);
  return logical.height;
}

static char *
hex_of (GBytes *value, gboolean shorten)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (value, &len);
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < len && (!shorten || i < 8); i++)
    g_string_append_printf (s, "%02x", d[i]);
  if (shorten && len > 8)
    g_string_append (s, "\u2026");
  return g_string_free (s, FALSE);
}

/* ---------- The schedule ---------- */

/* One Derive-Secret output of a stage. */
typedef struct {
  int secret;             /* HlSecretId; -1: not kept by the run */
  const char *name;       /* when secret is -1 */
  const char *label;      /* as RFC 8446 7.1 writes it between the quotes */
  const char *label_text; /* the label as shown, when not just "label" */
  const char *messages;   /* the transcript hashed; "" for none */
} Output;

static const Output early_outputs[] = {
  { HL_SECRET_BINDER_KEY, NULL, "res binder", "\"ext binder\" | \"res binder\"", "\"\"" },
  { HL_SECRET_CLIENT_EARLY_TRAFFIC, NULL, "c e traffic", NULL, "ClientHello" },
  { HL_SECRET_EARLY_EXPORTER_MASTER, NULL, "e exp master", NULL, "ClientHello" },
};
static const Output handshake_outputs[] = {
  { HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC, NULL, "c hs traffic", NULL, "ClientHello...ServerHello" },
  { HL_SECRET_SERVER_HANDSHAKE_TRAFFIC, NULL, "s hs traffic", NULL, "ClientHello...ServerHello" },
};
static const Output master_outputs[] = {
  { HL_SECRET_CLIENT_APPLICATION_TRAFFIC, NULL, "c ap traffic", NULL,
    "ClientHello...server Finished" },
  { HL_SECRET_SERVER_APPLICATION_TRAFFIC, NULL, "s ap traffic", NULL,
    "ClientHello...server Finished" },
  { HL_SECRET_EXPORTER_MASTER, NULL, "exp master", NULL, "ClientHello...server Finished" },
  { HL_SECRET_RESUMPTION_MASTER, NULL, "res master", NULL, "ClientHello...client Finished" },
};

static const struct {
  int input;        /* HlSecretId of the IKM; -1: always zeros */
  const char *ikm;  /* its name in RFC 8446's figure */
  int secret;       /* the stage's secret */
  const char *name; /* as RFC 8446's figure names it */
  const char *salt; /* HKDF-Extract's salt */
  const Output *outputs;
  guint n_outputs;
} stages[] = {
  { HL_SECRET_PSK, "PSK", HL_SECRET_EARLY, "Early Secret", "0", early_outputs,
    G_N_ELEMENTS (early_outputs) },
  { HL_SECRET_SHARED, "(EC)DHE", HL_SECRET_HANDSHAKE, "Handshake Secret",
    "Derive-Secret(Early Secret, \"derived\", \"\")", handshake_outputs,
    G_N_ELEMENTS (handshake_outputs) },
  { -1, "0", HL_SECRET_MASTER, "Master Secret",
    "Derive-Secret(Handshake Secret, \"derived\", \"\")", master_outputs,
    G_N_ELEMENTS (master_outputs) },
};

static GBytes *
held_value (const HlStep *st, HlSide side, int secret)
{
  const GPtrArray *list;
  const char *key;
  if (!st || secret < 0)
    return NULL;
  list = st->after[side].secrets;
  key = hl_secret_key (secret);
  for (guint i = 0; list && i < list->len; i++) {
    const HlSecret *s = g_ptr_array_index (list, i);
    if (strcmp (s->key, key) == 0)
      return s->value;
  }
  return NULL;
}

static gboolean
anyone_holds (const HlStep *st, int secret)
{
  return held_value (st, HL_SIDE_CLIENT, secret) || held_value (st, HL_SIDE_SERVER, secret);
}

typedef struct {
  HlKeyScheduleLayout *l;
  const HlStep *st;
  double x, width; /* the box's column */
  double y;        /* where the next text goes */
  int node;
} Box;

static void
box_text (Box *b, HlKeyScheduleTextKind kind, HlLadderTone tone, const char *markup)
{
  b->y += add_text (b->l, kind, tone, b->node, markup, b->x + PAD, b->y, b->width - 2 * PAD) + 2;
}

static void G_GNUC_PRINTF (4, 5)
    box_printf (Box *b, HlKeyScheduleTextKind kind, HlLadderTone tone, const char *format, ...)
{
  va_list args;
  g_autofree char *markup = NULL;
  va_start (args, format);
  markup = g_markup_vprintf_escaped (format, args);
  va_end (args);
  box_text (b, kind, tone, markup);
}

/* Starts a box in a column; its texts follow with box_*, then end_box sets its height. */
static Box
begin_box (HlKeyScheduleLayout *l, const HlStep *st, HlKeyScheduleNodeKind kind, int secret,
           const char *label, double x, double y, double width)
{
  HlKeyScheduleNode n = { kind, { x, y, width, 0 }, secret, label, { NULL, NULL } };
  Box b = { l, st, x, width, y + PAD, (int)l->nodes->len };
  g_array_append_val (l->nodes, n);
  return b;
}

static HlKeyScheduleNode *
box_node (Box *b)
{
  return &g_array_index (b->l->nodes, HlKeyScheduleNode, b->node);
}

static HlLadderRect
end_box (Box *b)
{
  HlKeyScheduleNode *n = box_node (b);
  n->rect.height = b->y - n->rect.y + PAD - 2;
  return n->rect;
}

/* Whether a key log (SSLKEYLOGFILE) can make this TLS 1.3 value known: its traffic and
 * exporter secrets, and what is derived from them. The PSK, the (EC)DHE secret, the
 * Early, Handshake and Master Secrets, the binder and resumption keys and the "derived"
 * values never leave the endpoints. */
static gboolean
is_in_key_log (int secret)
{
  switch (secret) {
  case HL_SECRET_PSK:
  case HL_SECRET_SHARED:
  case HL_SECRET_EARLY:
  case HL_SECRET_BINDER_KEY:
  case HL_SECRET_HANDSHAKE:
  case HL_SECRET_MASTER:
  case HL_SECRET_RESUMPTION_MASTER:
    return FALSE;
  default:
    return secret >= 0;
  }
}

/* The value as each side holds it, and whether each side holds it. */
static void
box_values (Box *b, GBytes *client, GBytes *server, const char *none)
{
  HlKeyScheduleNode *n = box_node (b);
  gboolean shorten = b->l->short_values;
  n->value[HL_SIDE_CLIENT] = client ? g_bytes_ref (client) : NULL;
  n->value[HL_SIDE_SERVER] = server ? g_bytes_ref (server) : NULL;
  n->held[HL_SIDE_CLIENT] = client != NULL;
  n->held[HL_SIDE_SERVER] = server != NULL;
  if (client && server && !g_bytes_equal (client, server)) {
    g_autofree char *c = hex_of (client, shorten), *s = hex_of (server, shorten);
    box_printf (b, HL_KEY_SCHEDULE_TEXT_VALUE, HL_LADDER_TONE_CLIENT, "%s %s", _ ("client:"), c);
    box_printf (b, HL_KEY_SCHEDULE_TEXT_VALUE, HL_LADDER_TONE_SERVER, "%s %s", _ ("server:"), s);
    box_printf (b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_ALERT, "%s",
                _ ("The two sides hold different values."));
  } else if (client || server) {
    GBytes *v = client ? client : server;
    g_autofree char *hex = hex_of (v, shorten);
    box_printf (b, HL_KEY_SCHEDULE_TEXT_VALUE, HL_LADDER_TONE_NORMAL, "%s", hex);
  } else if (b->l->recorded && b->l->tls13 && !is_in_key_log (n->secret)) {
    /* Not "not derived yet": it never will be, from a capture. */
    n->never = TRUE;
    box_printf (b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s",
                _ ("Not in a key log: only the endpoints hold it, so a capture cannot show it."));
  } else if (b->l->recorded && none
             && (strcmp (none, _ ("not derived yet")) == 0
                 || strcmp (none, _ ("not known yet")) == 0)) {
    /* A capture derives nothing itself: it knows what its key log and the wire say. */
    box_printf (b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s",
                _ ("not known from the capture and its key log at this step"));
  } else if (none) {
    box_printf (b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s", none);
  }
}

/* "Client ● held   Server ○ not yet", each side in its colour, after a step. */
static void
box_marks (Box *b)
{
  HlKeyScheduleNode *n = box_node (b);
  double x = b->x + PAD, inner = b->width - 2 * PAD, h = 0;
  /* Side by side where both fit on one line, else one under the other. */
  gboolean stack = inner < 300;
  if (!b->st || n->never)
    return;
  for (int side = 0; side < 2; side++) {
    g_autofree char *markup
        = g_markup_printf_escaped ("%s %s", side == HL_SIDE_CLIENT ? _ ("Client") : _ ("Server"),
                                   n->held[side]     ? _ ("\u25cf holds it")
                                   : n->hidden[side] ? _ ("\u25cc inside its library, not visible")
                                                     : _ ("\u25cb not yet"));
    HlLadderTone tone = side == HL_SIDE_CLIENT ? HL_LADDER_TONE_CLIENT : HL_LADDER_TONE_SERVER;
    if (stack)
      b->y
          += add_text (b->l, HL_KEY_SCHEDULE_TEXT_MARKS, tone, b->node, markup, x, b->y, inner) + 2;
    else {
      /* Not inside MAX: it would lay the text out twice. */
      double th = add_text (b->l, HL_KEY_SCHEDULE_TEXT_MARKS, tone, b->node, markup,
                            x + side * inner / 2, b->y, inner / 2 - 4);
      h = MAX (h, th);
    }
  }
  b->y += h ? h + 2 : 0;
}

/* A box's heading with the size of what it holds: "Handshake Secret (32 bytes)". */
static void
box_name (Box *b, const char *name, GBytes *client, GBytes *server)
{
  GBytes *v = client ? client : server;
  g_autofree char *size = NULL;
  if (!v) {
    box_printf (b, HL_KEY_SCHEDULE_TEXT_NAME, HL_LADDER_TONE_NORMAL, "%s", name);
    return;
  }
  size = g_strdup_printf (P_ ("(%zu byte)", "(%zu bytes)", g_bytes_get_size (v)),
                          g_bytes_get_size (v));
  box_printf (b, HL_KEY_SCHEDULE_TEXT_NAME, HL_LADDER_TONE_NORMAL,
              "%s <span weight=\"normal\">%s</span>", name, size);
}

static void
add_line (HlKeyScheduleLayout *l, double x0, double y0, double x1, double y1, gboolean arrow)
{
  HlKeyScheduleLine line = { x0, y0, x1, y1, arrow };
  g_array_append_val (l->lines, line);
}

/* The zero input as RFC 8446 7.1 says it, with its length when the schedule shows it. */
static char *
zeros_text (gsize hash_len)
{
  if (hash_len)
    return g_strdup_printf (_ ("0: %zu zero bytes (Hash.length), as RFC 8446 7.1 says when a "
                               "secret is not available"),
                            hash_len);
  return g_strdup (_ ("0: Hash.length zero bytes, as RFC 8446 7.1 says when a secret is not "
                      "available"));
}

/* One stage: input, secret and outputs from y; returns the bottom of the tallest column
 * and the secret's box. */
static double
lay_out_stage (HlKeyScheduleLayout *l, const HlStep *st, guint s, double y, const double *col_x,
               const double *col_w, gsize hash_len, HlLadderRect *secret_box)
{
  GBytes *secret[2] = { held_value (st, HL_SIDE_CLIENT, stages[s].secret),
                        held_value (st, HL_SIDE_SERVER, stages[s].secret) };
  double bottom;
  HlLadderRect in_r, out_r;
  gboolean psk_none = FALSE;
  {
    /* The input (IKM), from the left. */
    Box b = begin_box (l, st, HL_KEY_SCHEDULE_NODE_INPUT, stages[s].input, NULL, col_x[0], y,
                       col_w[0]);
    box_name (&b, stages[s].ikm, held_value (st, HL_SIDE_CLIENT, stages[s].input),
              held_value (st, HL_SIDE_SERVER, stages[s].input));
    if (stages[s].input < 0) {
      g_autofree char *z = zeros_text (hash_len);
      box_node (&b)->never = TRUE;
      box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_NORMAL, "%s", z);
    } else {
      GBytes *c = held_value (st, HL_SIDE_CLIENT, stages[s].input);
      GBytes *v = held_value (st, HL_SIDE_SERVER, stages[s].input);
      if (!c && !v && (secret[0] || secret[1])) {
        /* The stage's secret exists without this input: zeros took its place. */
        g_autofree char *z = zeros_text (hash_len);
        box_node (&b)->never = TRUE;
        psk_none = s == 0;
        box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_NORMAL, "%s",
                    s == 0 ? _ ("No PSK in use.") : _ ("psk_ke: no (EC)DHE share."));
        box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_NORMAL, "%s", z);
      } else {
        box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s",
                    s == 0 ? _ ("a resumption PSK if the client offers a ticket: from the "
                                "earlier connection's resumption_master_secret and the ticket's "
                                "nonce (RFC 8446 4.6.1). The client's binder and any 0-RTT keys "
                                "come from it; the handshake keys only if the server accepts it "
                                "(4.2.11), else Hash.length zero bytes (7.1)")
                           : _ ("each side's own private key applied to the peer's key share"));
        box_values (&b, c, v, _ ("not known yet"));
        box_marks (&b);
      }
    }
    in_r = end_box (&b);
  }
  {
    /* The stage's secret: HKDF-Extract(salt from above, IKM from the left). */
    Box b = begin_box (l, st, HL_KEY_SCHEDULE_NODE_SECRET, stages[s].secret, NULL, col_x[1], y,
                       col_w[1]);
    box_name (&b, stages[s].name, secret[0], secret[1]);
    box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "HKDF-Extract(%s, %s)",
                stages[s].salt, stages[s].ikm);
    box_values (&b, secret[0], secret[1], _ ("not derived yet"));
    box_marks (&b);
    *secret_box = end_box (&b);
  }
  bottom = MAX (in_r.y + in_r.height, secret_box->y + secret_box->height);
  {
    /* Its outputs, on a trunk from the secret's right edge. Narrow, the input sits above
     * the outputs, right of the secret: the trunk leaves the secret low, below the
     * input's arrow, so no two lines cross. */
    gboolean narrow = col_x[0] == col_x[2];
    double trunk = col_x[1] + col_w[1] + COLUMN_GAP / 2;
    double ty = narrow ? secret_box->y + secret_box->height - LINE_Y : y + LINE_Y;
    double oy = narrow ? in_r.y + in_r.height + BOX_GAP : y, first = oy + LINE_Y, last = first;
    if (narrow)
      add_line (l, in_r.x, y + LINE_Y, col_x[1] + col_w[1], y + LINE_Y, TRUE);
    else
      add_line (l, in_r.x + in_r.width, y + LINE_Y, col_x[1], y + LINE_Y, TRUE);
    add_line (l, col_x[1] + col_w[1], ty, trunk, ty, FALSE);
    for (guint i = 0; i < stages[s].n_outputs; i++) {
      const Output *o = &stages[s].outputs[i];
      Box b = begin_box (l, st, HL_KEY_SCHEDULE_NODE_DERIVE, o->secret, o->label, col_x[2], oy,
                         col_w[2]);
      GBytes *c = held_value (st, HL_SIDE_CLIENT, o->secret);
      GBytes *v = held_value (st, HL_SIDE_SERVER, o->secret);
      g_autofree char *label
          = o->label_text ? g_strdup (o->label_text) : g_strdup_printf ("\"%s\"", o->label);
      box_name (&b, o->secret >= 0 ? hl_secret_key (o->secret) : o->name, c, v);
      box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "Derive-Secret(%s, %s, %s)",
                  stages[s].name, label, o->messages);
      if (o->secret == HL_SECRET_EARLY_EXPORTER_MASTER) {
        /* OpenSSL makes it only on a side that sends or accepts 0-RTT data. */
        gboolean unused = !psk_none && !c && !v && anyone_holds (st, HL_SECRET_EARLY);
        if ((psk_none || unused) && !c && !v)
          box_node (&b)->never = TRUE;
        box_values (&b, c, v,
                    psk_none ? _ ("Not derived: no PSK.")
                    : unused ? _ ("Not derived: OpenSSL makes it only when 0-RTT data is sent "
                                  "or accepted.")
                             : _ ("not derived yet"));
        box_marks (&b);
      } else if (o->secret == HL_SECRET_BINDER_KEY) {
        box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s",
                    _ ("\"res binder\" for a resumption PSK (a ticket, the only kind the lessons "
                       "use); \"ext binder\" for an external PSK."));
        if (psk_none && !c && !v)
          box_node (&b)->never = TRUE;
        box_values (&b, c, v, psk_none ? _ ("Not derived: no PSK.") : _ ("not derived yet"));
        box_marks (&b);
      } else if (o->secret == HL_SECRET_CLIENT_EARLY_TRAFFIC) {
        gboolean none = !c && !v && anyone_holds (st, HL_SECRET_EARLY);
        if (none)
          box_node (&b)->never = TRUE;
        box_values (&b, c, v,
                    psk_none ? _ ("Not derived: no PSK.")
                    : none   ? _ ("Not derived: the ClientHello offers no early data (0-RTT).")
                             : _ ("not derived yet"));
        box_marks (&b);
      } else {
        box_values (&b, c, v, _ ("not derived yet"));
        box_marks (&b);
      }
      out_r = end_box (&b);
      add_line (l, trunk, oy + LINE_Y, col_x[2], oy + LINE_Y, TRUE);
      last = oy + LINE_Y;
      oy = out_r.y + out_r.height + BOX_GAP;
    }
    add_line (l, trunk, MIN (ty, first), trunk, MAX (ty, last), FALSE);
    bottom = MAX (bottom, oy - BOX_GAP);
  }
  return bottom;
}

/* TLS 1.0-1.2: premaster -> master secret -> key block -> the write keys, each with the
 * recipe as it applied in this connection (the engine's words: a resumption reuses its
 * session's master secret). */
static double
lay_out_prf_chain (HlKeyScheduleLayout *l, const HlConnection *c, const HlStep *st, double y,
                   const double *col_x, const double *col_w)
{
  static const int keys[] = { HL_SECRET_CLIENT_WRITE_MAC_KEY, HL_SECRET_SERVER_WRITE_MAC_KEY,
                              HL_SECRET_CLIENT_WRITE_KEY,     HL_SECRET_SERVER_WRITE_KEY,
                              HL_SECRET_CLIENT_WRITE_IV,      HL_SECRET_SERVER_WRITE_IV };
  gboolean narrow = col_x[0] == col_x[2];
  HlLadderRect in_r, ms_r, kb_r;
  double bottom, trunk = col_x[1] + col_w[1] + COLUMN_GAP / 2, oy, first, last, ty;
  {
    GBytes *pc = held_value (st, HL_SIDE_CLIENT, HL_SECRET_PREMASTER);
    GBytes *ps = held_value (st, HL_SIDE_SERVER, HL_SECRET_PREMASTER);
    Box b = begin_box (l, st, HL_KEY_SCHEDULE_NODE_INPUT, HL_SECRET_PREMASTER, NULL, col_x[0], y,
                       col_w[0]);
    box_name (&b, hl_secret_key (HL_SECRET_PREMASTER), pc, ps);
    if (c->resumed && !pc && !ps) {
      box_node (&b)->never = TRUE;
      box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_NORMAL, "%s",
                  _ ("None in this connection: it resumes a session and reuses that session's "
                     "master secret (RFC 5246 7.3)."));
    } else {
      /* OpenSSL's key log gives the master secret, never the premaster it came from. */
      for (int side = 0; side < 2; side++)
        box_node (&b)->hidden[side] = !held_value (st, side, HL_SECRET_PREMASTER)
                                      && held_value (st, side, HL_SECRET_MASTER);
      box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s",
                  hl_secret_formula_in (HL_SECRET_PREMASTER, c));
      box_values (&b, pc, ps, _ ("not known yet"));
      box_marks (&b);
    }
    in_r = end_box (&b);
  }
  {
    GBytes *mc = held_value (st, HL_SIDE_CLIENT, HL_SECRET_MASTER);
    GBytes *msv = held_value (st, HL_SIDE_SERVER, HL_SECRET_MASTER);
    Box b = begin_box (l, st, HL_KEY_SCHEDULE_NODE_SECRET, HL_SECRET_MASTER, NULL, col_x[1], y,
                       col_w[1]);
    box_name (&b, hl_secret_key (HL_SECRET_MASTER), mc, msv);
    box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s",
                hl_secret_formula_in (HL_SECRET_MASTER, c));
    box_values (&b, mc, msv, _ ("not derived yet"));
    box_marks (&b);
    ms_r = end_box (&b);
  }
  if (c->resumed)
    ; /* nothing flows from the premaster into a resumed master secret */
  else if (narrow)
    add_line (l, in_r.x, y + LINE_Y, col_x[1] + col_w[1], y + LINE_Y, TRUE);
  else
    add_line (l, in_r.x + in_r.width, y + LINE_Y, col_x[1], y + LINE_Y, TRUE);
  {
    GBytes *kc = held_value (st, HL_SIDE_CLIENT, HL_SECRET_KEY_BLOCK);
    GBytes *ks = held_value (st, HL_SIDE_SERVER, HL_SECRET_KEY_BLOCK);
    Box b = begin_box (l, st, HL_KEY_SCHEDULE_NODE_SECRET, HL_SECRET_KEY_BLOCK, NULL, col_x[1],
                       ms_r.y + ms_r.height + STAGE_GAP, col_w[1]);
    box_name (&b, hl_secret_key (HL_SECRET_KEY_BLOCK), kc, ks);
    box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s",
                hl_secret_formula_in (HL_SECRET_KEY_BLOCK, c));
    box_values (&b, kc, ks, _ ("not derived yet"));
    box_marks (&b);
    kb_r = end_box (&b);
  }
  add_line (l, ms_r.x + ms_r.width / 2, ms_r.y + ms_r.height, ms_r.x + ms_r.width / 2, kb_r.y,
            TRUE);
  bottom = MAX (in_r.y + in_r.height, kb_r.y + kb_r.height);
  /* The key block cut into the write keys, on a trunk below the input's arrow. */
  oy = narrow ? MAX (kb_r.y, in_r.y + in_r.height + BOX_GAP) : kb_r.y;
  ty = kb_r.y + LINE_Y;
  first = last = oy + LINE_Y;
  add_line (l, kb_r.x + kb_r.width, ty, trunk, ty, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++) {
    GBytes *kc = held_value (st, HL_SIDE_CLIENT, keys[i]);
    GBytes *ks = held_value (st, HL_SIDE_SERVER, keys[i]);
    gboolean none = !kc && !ks && anyone_holds (st, HL_SECRET_KEY_BLOCK);
    Box b = begin_box (l, st, HL_KEY_SCHEDULE_NODE_DERIVE, keys[i], NULL, col_x[2], oy, col_w[2]);
    HlLadderRect r;
    box_name (&b, hl_secret_key (keys[i]), kc, ks);
    box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s",
                hl_secret_formula_in (keys[i], c));
    if (none)
      box_node (&b)->never = TRUE;
    box_values (&b, kc, ks,
                none ? _ ("None: this cipher suite's key block has no such key.")
                     : _ ("not derived yet"));
    box_marks (&b);
    r = end_box (&b);
    add_line (l, trunk, oy + LINE_Y, col_x[2], oy + LINE_Y, TRUE);
    last = oy + LINE_Y;
    oy = r.y + r.height + BOX_GAP;
  }
  add_line (l, trunk, MIN (ty, first), trunk, MAX (ty, last), FALSE);
  return MAX (bottom, oy - BOX_GAP);
}

static const HlStep *
last_step_of (const HlRun *run, guint step)
{
  guint n = hl_run_get_n_steps (run);
  if (!n)
    return NULL;
  return hl_run_get_step (run, (step && step <= n ? step : n) - 1);
}

/* TLS 1.3 as far as the step knows: its connection negotiated it, or is on its way there. */
static gboolean
connection_is_tls13 (const HlRun *run, const HlStep *st)
{
  const HlConnection *c;
  if (!st)
    return hl_run_get_scenario (run)->client.version_max >= 0x0304;
  c = hl_run_get_connection (run, st->connection - 1);
  if (c && c->version)
    return c->version == 0x0304;
  return st->tls13 || st->after[HL_SIDE_CLIENT].version == 0x0304;
}

/* The title over the keys of a connection before TLS 1.3 (connection 0: none named yet). The
 * chain is the same from TLS 1.0 to 1.2, but its PRF is not: TLS 1.0 and 1.1 XOR P_MD5 with
 * P_SHA-1 (RFC 2246 5), TLS 1.2 uses P_SHA256 unless the suite names another hash (RFC 5246
 * 5), and SSL 3.0 has no PRF at all (RFC 6101 6.1, 6.2.2). */
static char *
describe_pre13_title (guint version, guint16 suite_id, guint connection)
{
  const HlSuite *suite = hl_suite_by_id (suite_id);
  const char *rfc = hl_version_rfc (version);
  const char *with = NULL;
  if (version == 0x0300)
    return connection
               ? g_markup_printf_escaped (_ ("Keys in SSL 3.0, connection %u: MD5 and SHA-1, no "
                                             "PRF (RFC 6101 6.1 and 6.2.2)"),
                                          connection)
               : g_markup_printf_escaped ("%s", _ ("Keys in SSL 3.0: MD5 and SHA-1, no PRF (RFC "
                                                   "6101 6.1 and 6.2.2)"));
  if (version == 0x0301 || version == 0x0302)
    with = "P_MD5 XOR P_SHA-1";
  else if (version == 0x0303 && suite && suite->prf == HL_HASH_SHA384)
    with = "P_SHA384";
  else if (version == 0x0303)
    with = "P_SHA256";
  if (!with) /* no version negotiated yet: sections 5, 6.3 and 8.1 of each of the three */
    return connection ? g_markup_printf_escaped (_ ("Keys before TLS 1.3, connection %u: the PRF "
                                                    "chain (RFC 2246, 4346 and 5246: sections 5, "
                                                    "8.1 and 6.3)"),
                                                 connection)
                      : g_markup_printf_escaped ("%s", _ ("Keys before TLS 1.3: the PRF chain (RFC "
                                                          "2246, 4346 and 5246: sections 5, 8.1 "
                                                          "and 6.3)"));
  /* TRANSLATORS: the first %s is the PRF's construction, "P_SHA256" or "P_MD5 XOR P_SHA-1";
   * the second an RFC, "RFC 5246" */
  return connection
             ? g_markup_printf_escaped (_ ("Keys before TLS 1.3, connection %u: the PRF chain "
                                           "with %s (%s 5, 8.1 and 6.3)"),
                                        connection, with, rfc)
             : g_markup_printf_escaped (
                 _ ("Keys before TLS 1.3: the PRF chain with %s (%s 5, 8.1 and 6.3)"), with, rfc);
}

HlKeyScheduleLayout *
hl_key_schedule_layout_new (const HlRun *run, const HlKeyScheduleOptions *options)
{
  HlKeyScheduleLayout *l = g_new0 (HlKeyScheduleLayout, 1);
  const HlStep *st = last_step_of (run, options->step);
  double w = options->width > 0 ? MAX (options->width, MIN_WIDTH) : DEFAULT_WIDTH;
  double col_w[3], col_x[3], y = MARGIN;
  gsize hash_len = 0;
  l->width = w;
  l->theme = options->theme;
  l->short_values = options->short_values;
  l->step = st ? st->index : 0;
  l->context = new_context ();
  l->nodes = g_array_new (FALSE, TRUE, sizeof (HlKeyScheduleNode));
  l->texts = g_array_new (FALSE, TRUE, sizeof (HlKeyScheduleText));
  l->lines = g_array_new (FALSE, TRUE, sizeof (HlKeyScheduleLine));
  l->tls13 = connection_is_tls13 (run, st);
  l->recorded = hl_run_is_recorded (run);
  if (w < NARROW_WIDTH) {
    col_w[1] = (w - 2 * MARGIN - COLUMN_GAP) * 0.45;
    col_w[0] = col_w[2] = w - 2 * MARGIN - COLUMN_GAP - col_w[1];
    col_x[1] = MARGIN;
    col_x[0] = col_x[2] = col_x[1] + col_w[1] + COLUMN_GAP;
  } else {
    col_w[0] = MAX (170, (w - 2 * MARGIN - 2 * COLUMN_GAP) * 0.17);
    col_w[1] = (w - 2 * MARGIN - 2 * COLUMN_GAP) * 0.33;
    col_w[2] = w - 2 * MARGIN - 2 * COLUMN_GAP - col_w[0] - col_w[1];
    col_x[0] = MARGIN;
    col_x[1] = col_x[0] + col_w[0] + COLUMN_GAP;
    col_x[2] = col_x[1] + col_w[1] + COLUMN_GAP;
  }

  {
    g_autofree char *title = NULL;
    /* The version and suite as far as this step: a side knows them once it has chosen or
     * read the ServerHello. */
    const HlSide knows = st && st->after[HL_SIDE_SERVER].version ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
    if (!l->tls13 && st)
      title
          = describe_pre13_title (st->after[knows].version, st->after[knows].suite, st->connection);
    else if (!l->tls13)
      title = describe_pre13_title (0, 0, 0);
    else if (st && hl_run_get_n_connections (run) > 1)
      title = g_markup_printf_escaped (_ ("TLS 1.3 key schedule, connection %u (RFC 8446 7.1)"),
                                       st->connection);
    else
      title = g_markup_printf_escaped ("%s", _ ("TLS 1.3 key schedule (RFC 8446 7.1)"));
    y += add_text (l, HL_KEY_SCHEDULE_TEXT_TITLE, HL_LADDER_TONE_NORMAL, -1, title, MARGIN, y,
                   w - 2 * MARGIN)
         + 4;
  }
  if (!l->tls13) {
    /* The recipe as it applied here: a resumption reuses its session's master secret. */
    const HlConnection *c = st ? hl_run_get_connection (run, st->connection - 1) : NULL;
    g_autofree char *at = NULL;
    y += add_text (l, HL_KEY_SCHEDULE_TEXT_NOTE, HL_LADDER_TONE_NORMAL, -1,
                   c ? _ ("TLS 1.3's key schedule (RFC 8446 7.1) applies to TLS 1.3 only. This "
                          "connection uses TLS 1.2 or earlier: its keys come from this PRF "
                          "chain.")
                   : l->recorded
                       ? _ ("TLS 1.3's key schedule (RFC 8446 7.1) applies to TLS 1.3 only. This "
                            "capture's connection uses TLS 1.2 or earlier: its keys come from a "
                            "PRF chain, shown here from the first step on.")
                       : _ ("TLS 1.3's key schedule (RFC 8446 7.1) applies to TLS 1.3 only. This "
                            "lesson uses TLS 1.2 or earlier: its keys come from a PRF chain, "
                            "shown here from the first step on."),
                   MARGIN, y, w - 2 * MARGIN)
         + 2;
    if (!c) {
      l->height = y + MARGIN;
      return l;
    }
    at = g_markup_printf_escaped (_ ("What each side holds after step %u (%s from the %s): "
                                     "\u25cf holds it, \u25cb not yet."),
                                  st->index, st->message, hl_side_word (st->from));
    y += add_text (l, HL_KEY_SCHEDULE_TEXT_NOTE, HL_LADDER_TONE_NORMAL, -1, at, MARGIN, y,
                   w - 2 * MARGIN)
         + STAGE_GAP;
    l->height = lay_out_prf_chain (l, c, st, y, col_x, col_w) + MARGIN;
    return l;
  }
  {
    g_autofree char *at = NULL;
    if (st)
      at = g_markup_printf_escaped (_ ("What each side holds after step %u (%s from the %s): "
                                       "\u25cf holds it, \u25cb not yet."),
                                    st->index, st->message, hl_side_word (st->from));
    else
      at = g_markup_printf_escaped ("%s", _ ("No step delivered yet: no side holds anything."));
    if (!options->no_step_note)
      y += add_text (l, HL_KEY_SCHEDULE_TEXT_NOTE, HL_LADDER_TONE_NORMAL, -1, at, MARGIN, y,
                     w - 2 * MARGIN)
           + 2;
    y += add_text (l, HL_KEY_SCHEDULE_TEXT_NOTE, HL_LADDER_TONE_DIM, -1,
                   w < NARROW_WIDTH
                       ? _ ("HKDF-Extract takes its salt from above and its input (IKM) from the "
                            "box at its right. Derive-Secret(Secret, Label, Messages) = "
                            "HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), "
                            "Hash.length).")
                       : _ ("HKDF-Extract takes its salt from above and its input (IKM) from the "
                            "left. Derive-Secret(Secret, Label, Messages) = "
                            "HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), "
                            "Hash.length)."),
                   MARGIN, y, w - 2 * MARGIN)
         + STAGE_GAP;
  }
  {
    GBytes *early = held_value (st, HL_SIDE_CLIENT, HL_SECRET_EARLY);
    if (!early)
      early = held_value (st, HL_SIDE_SERVER, HL_SECRET_EARLY);
    if (early)
      hash_len = g_bytes_get_size (early);
  }
  for (guint s = 0; s < G_N_ELEMENTS (stages); s++) {
    HlLadderRect secret_box, derived_box;
    double bottom = lay_out_stage (l, st, s, y, col_x, col_w, hash_len, &secret_box);
    double cx = secret_box.x + secret_box.width / 2;
    if (s + 1 == G_N_ELEMENTS (stages)) {
      y = bottom;
      break;
    }
    {
      /* Derive-Secret(., "derived", ""), the salt of the next stage, from each side's own
       * copy of the secret above. */
      g_autoptr (GBytes) dc = NULL, ds = NULL;
      GBytes *sc = held_value (st, HL_SIDE_CLIENT, stages[s].secret);
      GBytes *ss = held_value (st, HL_SIDE_SERVER, stages[s].secret);
      Box b = begin_box (l, st, HL_KEY_SCHEDULE_NODE_DERIVED, -1, "derived", col_x[1],
                         secret_box.y + secret_box.height + STAGE_GAP, col_w[1]);
      dc = sc ? hl_key_schedule_derived (sc) : NULL;
      ds = ss ? hl_key_schedule_derived (ss) : NULL;
      box_node (&b)->ours_only = TRUE;
      box_name (&b, "Derive-Secret(., \"derived\", \"\")", dc, ds);
      box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM, "%s",
                  _ ("the salt of the next HKDF-Extract (computed here from the secret above)"));
      box_values (&b, dc, ds, _ ("not derived yet"));
      box_marks (&b);
      derived_box = end_box (&b);
    }
    add_line (l, cx, secret_box.y + secret_box.height, cx, derived_box.y, TRUE);
    y = MAX (bottom, derived_box.y + derived_box.height) + STAGE_GAP;
    add_line (l, cx, derived_box.y + derived_box.height, cx, y, TRUE);
  }
  if (anyone_holds (st, HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1)
      || anyone_holds (st, HL_SECRET_SERVER_APPLICATION_TRAFFIC_1)) {
    /* A KeyUpdate's next generation (RFC 8446 7.2): from the traffic secret, not from the
     * Master Secret, so it stands apart below the schedule with its formula. */
    static const int next[]
        = { HL_SECRET_CLIENT_APPLICATION_TRAFFIC_1, HL_SECRET_SERVER_APPLICATION_TRAFFIC_1 };
    static const int now[]
        = { HL_SECRET_CLIENT_APPLICATION_TRAFFIC, HL_SECRET_SERVER_APPLICATION_TRAFFIC };
    double top = y + STAGE_GAP, note_bottom;
    g_autofree char *note = g_markup_printf_escaped (
        "%s", _ ("After a KeyUpdate (RFC 8446 7.2), each new generation of an application traffic "
                 "secret comes from the one before it, not from the Master Secret."));
    note_bottom = top
                  + add_text (l, HL_KEY_SCHEDULE_TEXT_NOTE, HL_LADDER_TONE_DIM, -1, note, col_x[1],
                              top, col_w[1]);
    y = top;
    for (guint i = 0; i < G_N_ELEMENTS (next); i++) {
      GBytes *c = held_value (st, HL_SIDE_CLIENT, next[i]);
      GBytes *v = held_value (st, HL_SIDE_SERVER, next[i]);
      Box b = begin_box (l, st, HL_KEY_SCHEDULE_NODE_DERIVE, next[i], "traffic upd", col_x[2], y,
                         col_w[2]);
      box_name (&b, hl_secret_key (next[i]), c, v);
      box_printf (&b, HL_KEY_SCHEDULE_TEXT_FORMULA, HL_LADDER_TONE_DIM,
                  "HKDF-Expand-Label(%s, \"traffic upd\", \"\", Hash.length)",
                  hl_secret_key (now[i]));
      box_values (&b, c, v, _ ("not derived yet"));
      box_marks (&b);
      {
        HlLadderRect r = end_box (&b);
        y = r.y + r.height + BOX_GAP;
      }
    }
    y = MAX (y - BOX_GAP, note_bottom);
  }
  if (st && st->tls13 && hl_run_get_connection (run, st->connection - 1)
      && hl_run_get_connection (run, st->connection - 1)->hello_retry) {
    y += STAGE_GAP / 2;
    y += add_text (l, HL_KEY_SCHEDULE_TEXT_NOTE, HL_LADDER_TONE_DIM, -1,
                   _ ("After a HelloRetryRequest every transcript above that names messages "
                      "starts with a message_hash message holding Hash(ClientHello1), then the "
                      "HelloRetryRequest, then the second ClientHello (RFC 8446 4.4.1)."),
                   MARGIN, y, w - 2 * MARGIN);
  }
  l->height = y + MARGIN;
  return l;
}

void
hl_key_schedule_layout_free (HlKeyScheduleLayout *layout)
{
  if (!layout)
    return;
  for (guint i = 0; i < layout->texts->len; i++)
    g_object_unref (g_array_index (layout->texts, HlKeyScheduleText, i).layout);
  for (guint i = 0; i < layout->nodes->len; i++) {
    HlKeyScheduleNode *n = &g_array_index (layout->nodes, HlKeyScheduleNode, i);
    for (int side = 0; side < 2; side++)
      g_clear_pointer (&n->value[side], g_bytes_unref);
  }
  g_array_unref (layout->texts);
  g_array_unref (layout->nodes);
  g_array_unref (layout->lines);
  g_object_unref (layout->context);
  g_free (layout);
}

double
hl_key_schedule_layout_get_width (const HlKeyScheduleLayout *layout)
{
  return layout->width;
}

double
hl_key_schedule_layout_get_height (const HlKeyScheduleLayout *layout)
{
  return layout->height;
}

HlLadderTheme
hl_key_schedule_layout_get_theme (const HlKeyScheduleLayout *layout)
{
  return layout->theme;
}

gboolean
hl_key_schedule_layout_is_tls13 (const HlKeyScheduleLayout *layout)
{
  return layout->tls13;
}

guint
hl_key_schedule_layout_get_step (const HlKeyScheduleLayout *layout)
{
  return layout->step;
}

guint
hl_key_schedule_layout_get_n_nodes (const HlKeyScheduleLayout *layout)
{
  return layout->nodes->len;
}

const HlKeyScheduleNode *
hl_key_schedule_layout_get_node (const HlKeyScheduleLayout *layout, guint i)
{
  return i < layout->nodes->len ? &g_array_index (layout->nodes, HlKeyScheduleNode, i) : NULL;
}

guint
hl_key_schedule_layout_get_n_texts (const HlKeyScheduleLayout *layout)
{
  return layout->texts->len;
}

const HlKeyScheduleText *
hl_key_schedule_layout_get_text (const HlKeyScheduleLayout *layout, guint i)
{
  return i < layout->texts->len ? &g_array_index (layout->texts, HlKeyScheduleText, i) : NULL;
}

guint
hl_key_schedule_layout_get_n_lines (const HlKeyScheduleLayout *layout)
{
  return layout->lines->len;
}

const HlKeyScheduleLine *
hl_key_schedule_layout_get_line (const HlKeyScheduleLayout *layout, guint i)
{
  return i < layout->lines->len ? &g_array_index (layout->lines, HlKeyScheduleLine, i) : NULL;
}
