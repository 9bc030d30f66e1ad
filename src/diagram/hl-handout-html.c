/* hl-handout-html.c: one self-contained HTML file for a course page.
 *
 * The diagram is inline SVG drawn by hl_ladder_paint; over each step's row lies
 * a button. The run's data (explanations, field trees, bytes, secrets) is
 * embedded as JSON and a small script shows the selected step. Nothing is
 * fetched: the file works offline, opened from disk.
 */
#include "hl-ladder-export.h"

#include <string.h>
#include <zlib.h>

#include "hl-decode.h"
#include "hl-i18n.h"
#include "hl-json.h"
#include "hl-key-schedule-paint.h"
#include "hl-ladder-labels.h"
#include "hl-quiz.h"
#include "hl-surface.h"
#include "hl-transcript.h"

static void
json_string (GString *out, const char *s)
{
  hl_json_append_string (out, s, HL_JSON_IN_HTML);
}

static void
json_fields (GString *out, const GPtrArray *fields)
{
  g_string_append_c (out, '[');
  for (guint i = 0; fields && i < fields->len; i++) {
    const HlField *f = g_ptr_array_index (fields, i);
    if (i)
      g_string_append_c (out, ',');
    g_string_append (out, "{\"n\":");
    json_string (out, f->name);
    g_string_append (out, ",\"v\":");
    json_string (out, f->value);
    g_string_append (out, ",\"e\":");
    json_string (out, f->explanation);
    g_string_append_printf (out, ",\"o\":%zu,\"l\":%zu,\"c\":", f->offset, f->length);
    json_fields (out, f->children);
    g_string_append_c (out, '}');
  }
  g_string_append_c (out, ']');
}

static void
json_hex (GString *out, GBytes *bytes)
{
  hl_json_append_hex (out, bytes, HL_JSON_IN_HTML);
}

static void
json_secrets (GString *out, const HlStep *st, HlSide side)
{
  const GPtrArray *secrets = st->after[side].secrets;
  g_string_append_c (out, '[');
  for (guint i = 0; secrets && i < secrets->len; i++) {
    const HlSecret *s = g_ptr_array_index (secrets, i);
    if (i)
      g_string_append_c (out, ',');
    g_string_append (out, "{\"k\":");
    json_string (out, s->key);
    g_string_append (out, ",\"n\":");
    json_string (out, s->name);
    g_string_append (out, ",\"f\":");
    json_string (out, s->formula);
    g_string_append (out, ",\"v\":");
    json_hex (out, s->value);
    g_string_append_printf (out, ",\"at\":%u}", s->learned_at);
  }
  g_string_append_c (out, ']');
}

static void
json_step (GString *out, const HlRun *run, const HlStep *st, guint n_steps)
{
  g_autofree char *title = hl_ladder_step_title (st, n_steps);
  g_auto (GStrv) lines = hl_ladder_step_notes (st);
  g_autoptr (GString) notes = g_string_new (NULL);
  for (guint i = 0; lines[i]; i++)
    g_string_append_printf (notes, "%s\n", lines[i]);
  g_string_append (out, "{\"title\":");
  json_string (out, title);
  g_string_append (out, ",\"summary\":");
  json_string (out, st->summary);
  g_string_append (out, ",\"story\":");
  json_string (out, st->story);
  g_string_append (out, ",\"notes\":");
  json_string (out, notes->str);
  g_string_append (out, ",\"bytes_label\":");
  json_string (out,
               st->encrypted && st->plaintext ? _ ("Decrypted message") : _ ("Message as sent"));
  g_string_append (out, ",\"bytes\":");
  json_hex (out, hl_step_get_message_bytes (st));
  g_string_append (out, ",\"fields\":");
  json_fields (out, st->fields);
  g_string_append (out, ",\"records\":");
  json_hex (out, st->record_wire);
  {
    /* The record layer in sentences: header, parts adding up, tag, nonce. */
    g_auto (GStrv) rec = hl_step_record_lines (st, FALSE);
    g_autoptr (GString) text = g_string_new (NULL);
    for (guint i = 0; rec[i]; i++)
      g_string_append_printf (text, "%s\n", rec[i]);
    g_string_append (out, ",\"record_notes\":");
    json_string (out, text->str);
  }
  g_string_append (out, ",\"record_fields\":");
  json_fields (out, st->record_fields);
  g_string_append (out, ",\"client\":");
  json_secrets (out, st, HL_SIDE_CLIENT);
  g_string_append (out, ",\"server\":");
  json_secrets (out, st, HL_SIDE_SERVER);
  g_string_append_c (out, '}');
  (void)run;
}

/* Cairo names its glyphs and clips the same way in every SVG it writes: a second inline
 * SVG in the page would draw with the first one's glyphs. Each gets its own prefix, in one
 * pass over the text (g_string_replace moves the rest of the string at every match, which
 * made a page of many steps quadratic). */
static void
append_svg_prefixed (GString *out, GBytes *svg, const char *prefix)
{
  static const char *const names[] = { "id=\"", "href=\"#", "url(#" };
  gsize len;
  const char *text = g_bytes_get_data (svg, &len);
  const char *start = g_strstr_len (text, len, "<svg");
  const char *end = text + len, *copied, *p;
  if (!start)
    start = text;
  copied = start;
  for (p = start; p < end; p++) {
    for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
      gsize n = strlen (names[i]);
      if (*p == names[i][0] && (gsize)(end - p) >= n && memcmp (p, names[i], n) == 0) {
        g_string_append_len (out, copied, p + n - copied);
        g_string_append_printf (out, "%s-", prefix);
        p += n - 1;
        copied = p + 1;
        break;
      }
    }
  }
  g_string_append_len (out, copied, end - copied);
}

/* ---------- The key schedule, following the selected step ---------- */

/* What a picture shows: every text with its place and tone. Two steps with the same
 * fingerprint draw the same picture (the step itself is said above it, not in it). */
static char *
fingerprint (const HlKeyScheduleLayout *layout)
{
  GString *f = g_string_new (NULL);
  g_string_append_printf (f, "%.1f %.1f\n", hl_key_schedule_layout_get_width (layout),
                          hl_key_schedule_layout_get_height (layout));
  for (guint i = 0; i < hl_key_schedule_layout_get_n_texts (layout); i++) {
    const HlKeyScheduleText *t = hl_key_schedule_layout_get_text (layout, i);
    g_string_append_printf (f, "%d %d %.1f %.1f %s\n", t->kind, t->tone, t->rect.x, t->rect.y,
                            pango_layout_get_text (t->layout));
  }
  return g_string_free (f, FALSE);
}

/* Cairo numbers its surfaces across the process ("surface21"): one name for all. */
static void
name_surface (GString *svg)
{
  char *at = strstr (svg->str, "id=\"surface");
  if (at) {
    gsize from = at - svg->str + strlen ("id=\"surface"), to = from;
    while (g_ascii_isdigit (svg->str[to]))
      to++;
    g_string_erase (svg, from, to - from);
    g_string_insert_c (svg, from, '1');
  }
}

static void
paint_key_schedule (cairo_t *cr, gpointer layout)
{
  hl_key_schedule_paint (layout, cr);
}

/* The layout drawn as SVG, its ids prefixed for this page (see append_svg_prefixed). */
static char *
render_schedule_svg (const HlKeyScheduleLayout *layout, const char *prefix, GError **error)
{
  g_autoptr (GBytes) svg = hl_surface_render_svg (hl_key_schedule_layout_get_width (layout),
                                                  hl_key_schedule_layout_get_height (layout),
                                                  paint_key_schedule, (gpointer)layout, error);
  GString *out;
  if (!svg)
    return NULL;
  out = g_string_new (NULL);
  append_svg_prefixed (out, svg, prefix);
  name_surface (out);
  return g_string_free (out, FALSE);
}

/* gzip, then base64: a picture the page's script unpacks with DecompressionStream only
 * when it is shown, so a step's picture costs a sixth of its SVG. */
static char *
pack (const char *text)
{
  z_stream z = { 0 };
  gsize len = strlen (text), bound;
  g_autofree guint8 *buf = NULL;
  char *b64 = NULL;
  if (deflateInit2 (&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return NULL;
  bound = deflateBound (&z, len);
  buf = g_malloc (bound);
  z.next_in = (Bytef *)text;
  z.avail_in = len;
  z.next_out = buf;
  z.avail_out = bound;
  if (deflate (&z, Z_FINISH) == Z_STREAM_END)
    b64 = g_base64_encode (buf, z.total_out);
  deflateEnd (&z);
  return b64;
}

/* Who holds what in the picture, in words for a screen reader: the SVG's text is glyphs. */
static char *
describe_holdings (const HlKeyScheduleLayout *layout)
{
  GString *side[2] = { g_string_new (NULL), g_string_new (NULL) };
  char *text;
  for (guint i = 0; i < hl_key_schedule_layout_get_n_nodes (layout); i++) {
    const HlKeyScheduleNode *n = hl_key_schedule_layout_get_node (layout, i);
    for (int k = 0; k < 2 && n->secret >= 0; k++)
      if (n->held[k])
        g_string_append_printf (side[k], "%s%s", side[k]->len ? ", " : "",
                                hl_secret_key (n->secret));
  }
  text = g_strdup_printf (_ ("The client holds: %s. The server holds: %s."),
                          side[0]->len ? side[0]->str : _ ("nothing yet"),
                          side[1]->len ? side[1]->str : _ ("nothing yet"));
  g_string_free (side[0], TRUE);
  g_string_free (side[1], TRUE);
  return text;
}

/* The sentence above a connection's picture: the step its holdings are after. */
static char *
describe_schedule_step (const HlStep *st)
{
  return g_strdup_printf (_ ("What each side holds after step %u (%s from the %s): "
                             "\u25cf holds it, \u25cb not yet."),
                          st->index, st->message, hl_side_word (st->from));
}

/* TLS 1.3's key schedule for each TLS 1.3 connection. Each step of a connection has its
 * picture (steps that leave every side's holdings as they were share one), packed into
 * the run's data as "ks"; the page shows the picture of the selected step, and each other
 * connection as it stands then. Without the script's DecompressionStream, each connection
 * stays as it stands at its last step. Nothing for a lesson without TLS 1.3. */
static gboolean
append_key_schedules (GString *out, GString *data, const HlRun *run, guint n, GError **error)
{
  gboolean heading = FALSE;
  guint blocks = 0;
  g_string_append (data, ",\"ks\":[");
  for (guint c = 0; c < hl_run_get_n_connections (run); c++) {
    const HlConnection *conn = hl_run_get_connection (run, c);
    const HlStep *last = NULL;
    g_autofree char *prefix = g_strdup_printf ("ks%u", c + 1);
    g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr (GPtrArray) packed = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_free);
    g_autofree guint *state = g_new0 (guint, n + 1); /* by step index; its connection's only */
    g_autoptr (GPtrArray) svgs = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *note = NULL, *none = NULL;
    for (guint i = 0; conn->steps && i < conn->steps->len; i++) {
      const HlStep *st = g_ptr_array_index (conn->steps, i);
      if (st->index <= n)
        last = st;
    }
    if (!last || conn->version != 0x0304)
      continue;
    for (guint i = 0; i < conn->steps->len; i++) {
      const HlStep *st = g_ptr_array_index (conn->steps, i);
      HlKeyScheduleOptions o = { st->index, HL_LADDER_THEME_LIGHT, 0, FALSE, TRUE };
      g_autoptr (HlKeyScheduleLayout) layout = NULL;
      g_autofree char *svg = NULL, *print = NULL;
      gpointer at;
      if (st->index > n)
        break;
      layout = hl_key_schedule_layout_new (run, &o);
      print = fingerprint (layout);
      if (g_hash_table_lookup_extended (seen, print, NULL, &at)) {
        state[st->index] = GPOINTER_TO_UINT (at);
      } else {
        char *p;
        svg = render_schedule_svg (layout, prefix, error);
        if (!svg)
          return FALSE;
        p = pack (svg);
        if (!p) {
          g_set_error (error, HL_DIAGRAM_ERROR, HL_DIAGRAM_ERROR_DRAW,
                       _ ("cannot compress the key schedule"));
          return FALSE;
        }
        state[st->index] = packed->len;
        g_ptr_array_add (packed, p);
        g_ptr_array_add (held, describe_holdings (layout));
        g_hash_table_insert (seen, g_steal_pointer (&print), GUINT_TO_POINTER (state[st->index]));
        g_ptr_array_add (svgs, g_steal_pointer (&svg));
      }
    }
    if (!heading) {
      g_string_append_printf (out,
                              "<section id=\"key-schedule\"><h2>%s</h2><p id=\"ks-about\">%s</p>\n",
                              _ ("TLS 1.3 key schedule"),
                              _ ("Every secret of RFC 8446 section 7.1 with this lesson's values, "
                                 "and what each side holds at the end of the connection."));
      heading = TRUE;
    }
    {
      g_autofree char *text = describe_schedule_step (last);
      note = g_markup_escape_text (text, -1);
    }
    g_string_append_printf (out,
                            "<div class=\"schedule\"><p class=\"ks-note\" id=\"ks-note-%u\">%s</p>"
                            "<div id=\"ks-%u\" data-step=\"%u\" data-state=\"%u\">\n",
                            c + 1, note, c + 1, last->index, state[last->index]);
    g_string_append (out, g_ptr_array_index (svgs, state[last->index]));
    {
      g_autofree char *words
          = g_markup_escape_text (g_ptr_array_index (held, state[last->index]), -1);
      g_string_append_printf (out, "</div><p class=\"sr-only\" id=\"ks-held-%u\">%s</p></div>\n",
                              c + 1, words);
    }
    /* The data: the packed pictures, what each holds, and for every step of the page the
     * picture and the step it stands at (null: the connection has not started yet). */
    g_string_append_printf (data, "%s{\"c\":%u,\"none\":", blocks++ ? "," : "", c + 1);
    none = g_strdup_printf (_ ("Connection %u has not started at this step."), c + 1);
    json_string (data, none);
    g_string_append (data, ",\"states\":[");
    for (guint k = 0; k < packed->len; k++)
      g_string_append_printf (data, "%s\"%s\"", k ? "," : "",
                              (const char *)g_ptr_array_index (packed, k));
    g_string_append (data, "],\"held\":[");
    for (guint k = 0; k < held->len; k++) {
      if (k)
        g_string_append_c (data, ',');
      json_string (data, g_ptr_array_index (held, k));
    }
    g_string_append (data, "],\"notes\":{");
    for (guint i = 0; i < conn->steps->len; i++) {
      const HlStep *st = g_ptr_array_index (conn->steps, i);
      g_autofree char *text = NULL;
      if (st->index > n)
        break;
      text = describe_schedule_step (st);
      g_string_append_printf (data, "%s\"%u\":", i ? "," : "", st->index);
      json_string (data, text);
    }
    g_string_append (data, "},\"at\":[");
    {
      const HlStep *first = g_ptr_array_index (conn->steps, 0);
      guint upto = 0; /* the connection's last step so far */
      for (guint i = 1; i <= n; i++) {
        const HlStep *st = hl_run_get_step (run, i - 1);
        if (st->connection == c + 1)
          upto = i;
        if (i > 1)
          g_string_append_c (data, ',');
        if (i < first->index || !upto)
          g_string_append (data, "null");
        else
          g_string_append_printf (data, "[%u,%u]", state[upto], upto);
      }
    }
    g_string_append (data, "]}");
  }
  g_string_append_c (data, ']');
  if (heading)
    g_string_append (out, "</section>\n");
  return TRUE;
}

/* ---------- The quiz (issue 20), read off the run by hl-quiz ---------- */

/* The quiz's questions and choices, for steps 1..n. Each answer and its explanation go
 * base64-encoded ("x"), so the page source does not show them at a glance; the script
 * decodes one only once the student has answered. Nothing for a run not stepped to its
 * end: building the quiz would step the caller's run. */
static gboolean
append_quiz (GString *out, GString *data, const HlRun *run, guint n)
{
  g_autoptr (HlQuiz) quiz = NULL;
  g_autofree char *about = NULL;
  guint count = 0, most = 2;
  if (!hl_run_is_finished (run))
    return FALSE;
  quiz = hl_quiz_new ((HlRun *)run); /* finished: hl_quiz_new steps nothing */
  g_string_append (data, ",\"quiz\":[");
  for (guint i = 0; i < hl_quiz_get_n_questions (quiz); i++) {
    const HlQuizQuestion *q = hl_quiz_get_question (quiz, i);
    g_autoptr (GString) hidden = g_string_new (NULL);
    g_autofree char *b64 = NULL;
    if (q->step >= n)
      continue;
    most = MAX (most, q->choices->len);
    g_string_append_printf (data, "%s{\"s\":%u,\"before\":%s,\"t\":", count++ ? ",\n" : "",
                            q->step + 1, hl_quiz_asked_before_step (q) ? "true" : "false");
    json_string (data, q->question);
    g_string_append (data, ",\"c\":[");
    for (guint k = 0; k < q->choices->len; k++) {
      if (k)
        g_string_append_c (data, ',');
      json_string (data, g_ptr_array_index (q->choices, k));
    }
    g_string_append_printf (hidden, "{\"a\":%u,\"e\":", q->answer);
    hl_json_append_string (hidden, q->explanation, 0);
    g_string_append_c (hidden, '}');
    b64 = g_base64_encode ((const guchar *)hidden->str, hidden->len);
    g_string_append_printf (data, "],\"x\":\"%s\"}", b64);
  }
  g_string_append_c (data, ']');
  /* The keys that answer: as many as the most choices a question has. */
  about = g_strdup_printf (_ ("Predict before each step. Start the quiz (or press <kbd>q</kbd>), "
                              "answer with <kbd>1</kbd> to <kbd>%u</kbd>, go on with "
                              "<kbd>n</kbd>. The diagram hides the steps not yet asked about."),
                           most);
  g_string_append_printf (
      out,
      "<section id=\"quiz\"><h2>%s</h2><p id=\"quiz-about\">%s</p>"
      "<p><button id=\"quiz-start\">%s</button></p>\n"
      "<div id=\"quiz-box\" hidden><p id=\"quiz-count\"></p><p id=\"quiz-question\"></p>"
      "<ol id=\"quiz-choices\"></ol><p id=\"quiz-feedback\" aria-live=\"polite\"></p>"
      "<p id=\"quiz-explanation\" class=\"notes\"></p><p id=\"quiz-score\"></p>"
      "<p><button id=\"quiz-next\" hidden>%s</button></p></div></section>\n",
      _ ("Quiz"), about, _ ("Start the quiz"), _ ("Next question"));
  return count > 0;
}

static const char style[]
    = "body{font-family:'DejaVu Sans',sans-serif;margin:0;color:#1d1d1d;background:#fff}"
      "header{padding:12px 20px;border-bottom:1px solid #ddd}h1{font-size:1.4em;margin:0 0 4px}"
      "main{display:flex;align-items:flex-start}"
      "#diagram{flex:3;padding:10px;min-width:0;overflow:auto;max-height:100vh}"
      ".ladder{position:relative}.ladder svg{width:100%;height:auto;display:block}"
      ".hit{position:absolute;left:0;width:100%;background:transparent;border:0;cursor:pointer;"
      "padding:0}"
      ".hit:hover{outline:2px solid #1a5fb4}.hit.on{outline:3px solid #1a5fb4;"
      "background:rgba(26,95,180,.08)}"
      "#inspector{flex:2;position:sticky;top:0;max-height:100vh;overflow:auto;padding:10px 16px;"
      "border-left:1px solid #ddd;box-sizing:border-box}"
      "#inspector h2{font-size:1.15em}#inspector h3{font-size:1em;margin:14px 0 4px}"
      ".notes{white-space:pre-wrap;color:#5e5c64}"
      "ul.fields{list-style:none;padding-left:14px;margin:0}ul.fields>li>button{border:0;"
      "background:none;text-align:left;cursor:pointer;padding:1px 2px;font:inherit}"
      "ul.fields button.on{background:#fcefb4}.fv{color:#5e5c64;overflow-wrap:anywhere}"
      "pre.hex{font-family:'DejaVu Sans Mono',monospace;font-size:.85em;line-height:1.45}"
      "pre.hex span.on{background:#fcefb4;outline:1px solid #c59b00}"
      "table.secrets{border-collapse:collapse;font-size:.85em}table.secrets td{padding:2px 6px;"
      "vertical-align:top;border-bottom:1px solid #eee}"
      "table.secrets code{word-break:break-all}.new{color:#26742b;font-weight:bold}"
      "kbd{border:1px solid #bbb;border-radius:3px;padding:0 4px}"
      "#key-schedule{padding:10px 20px;border-top:1px solid #ddd}#key-schedule h2{font-size:"
      "1.2em}.schedule svg{width:100%;max-width:1120px;height:auto;display:block}"
      ".ks-note{font-weight:bold;margin:12px 0 4px}"
      "#quiz{padding:10px 20px;border-top:1px solid #ddd}#quiz h2{font-size:1.2em}"
      "#quiz-choices button{font:inherit;text-align:left;margin:2px 0}"
      "#quiz-choices button.right{background:#c8f0c8}#quiz-choices button.wrong{background:#f8cccc}"
      ".cover{position:absolute;left:0;width:100%;bottom:0;background:#fff}"
      ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
      "white-space:nowrap}";

/* The words the script writes, in the reader's language (%1, %2: numbers it fills in). */
static const struct {
  const char *key, *text;
} ui_words[] = {
  { "nothing", N_ ("nothing secret yet") },
  /* TRANSLATORS: marks a secret learned at this step, in the HTML handout */
  { "new", N_ ("new") },
  { "hint", N_ ("Click a field to see its bytes, or a byte to find its field.") },
  { "bytes", N_ ("bytes %1 to %2.") },
  { "empty", N_ ("no bytes, at %1.") },
  { "size", N_ ("%1 bytes") },
  { "quiz_count", N_ ("Question %1 of %2") },
  { "quiz_right", N_ ("Right.") },
  /* TRANSLATORS: %1 is the right choice of a quiz question */
  { "quiz_wrong", N_ ("Not this one: the answer is %1.") },
  { "quiz_score", N_ ("Score: %1 of %2 answered.") },
  { "quiz_done", N_ ("Quiz finished. Score: %1 of %2.") },
  { "ks_follows", N_ ("Every secret of RFC 8446 section 7.1 with this lesson's values, and what "
                      "each side holds after the step selected above.") },
};

static void
json_ui_words (GString *out)
{
  g_string_append (out, "\"ui\":{");
  for (guint i = 0; i < G_N_ELEMENTS (ui_words); i++) {
    g_string_append_printf (out, "%s\"%s\":", i ? "," : "", ui_words[i].key);
    json_string (out, _ (ui_words[i].text));
  }
  g_string_append (out, "},");
}

/* The inspector: shows data.steps[i]; fields highlight their bytes, bytes select their field. */
static const char script[]
    = "const data=JSON.parse(document.getElementById('run-data').textContent);\n"
      "const $=id=>document.getElementById(id);let cur=0;\n"
      "function el(t,c,x){const e=document.createElement(t);if(c)e.className=c;"
      "if(x!==undefined)e.textContent=x;return e;}\n"
      "function hexView(pre,hex,fields){pre.textContent='';const n=hex.length/2;const spans=[];\n"
      " for(let i=0;i<n;i++){const s=el('span','',hex.substr(2*i,2));s.dataset.i=i;spans.push(s);"
      "pre.appendChild(s);pre.appendChild(document.createTextNode(i%16==15?'\\n':' '));}\n"
      " return spans;}\n"
      "function fieldTree(ul,fields,spans,all){for(const f of fields){const li=el('li');"
      "const b=el('button');b.appendChild(el('span','fn',f.n+': "
      "'));b.appendChild(el('span','fv',f.v));"
      "b.title=f.e;b.onclick=()=>mark(b,f,spans,all);f.btn=b;all.push(f);li.appendChild(b);\n"
      " if(f.c.length){const "
      "sub=el('ul','fields');fieldTree(sub,f.c,spans,all);li.appendChild(sub);}"
      "ul.appendChild(li);}}\n"
      "function mark(b,f,spans,all){for(const g of all)g.btn.classList.remove('on');"
      "b.classList.add('on');\n"
      " spans.forEach((s,i)=>s.classList.toggle('on',i>=f.o&&i<f.o+f.l));$('field-info')."
      "textContent="
      "f.n+' \\u2014 '+(f.l?data.ui.bytes.replace('%1',f.o).replace('%2',f.o+f.l-1):"
      "data.ui.empty.replace('%1',f.o))+' '+f.e;}\n"
      "function wire(pre,ul,hex,fields){ul.textContent='';const spans=hexView(pre,hex,fields);"
      "const all=[];fieldTree(ul,fields,spans,all);\n"
      " pre.onclick=e=>{const i=+e.target.dataset.i;if(isNaN(i))return;let best=null;"
      "for(const f of all)if(i>=f.o&&i<f.o+f.l&&(!best||f.l<=best.l))best=f;"
      "if(best)mark(best.btn,best,spans,all);};}\n"
      "function secrets(t,list,at){t.textContent='';if(!list.length){const r=t.insertRow();"
      "r.insertCell().textContent=data.ui.nothing;}\n"
      " for(const s of list){const r=t.insertRow();const a=r.insertCell();a.textContent=s.n;"
      "if(s.at==at)a.appendChild(el('span','new',' '+data.ui.new));\n"
      "  const "
      "c=r.insertCell();c.appendChild(el('code','',s.v));c.appendChild(el('div','fv',s.f));}}\n"
      "function show(i){if(i<0||i>=data.steps.length)return;cur=i;const s=data.steps[i];\n"
      " $('step-title').textContent=s.title;$('step-summary').textContent=s.summary;"
      "$('step-story').textContent=s.story;$('step-notes').textContent=s.notes;"
      "$('rec-notes').textContent=s.record_notes;\n"
      " $('bytes-label').textContent=s.bytes_label+' "
      "('+data.ui.size.replace('%1',s.bytes.length/2)+')';"
      "$('field-info').textContent=data.ui.hint;\n"
      " wire($('hex'),$('fields'),s.bytes,s.fields);wire($('rec-hex'),$('rec-fields'),s.records,"
      "s.record_fields);\n"
      " secrets($('client-secrets'),s.client,i+1);secrets($('server-secrets'),s.server,i+1);\n"
      " document.querySelectorAll('.hit').forEach((b,k)=>{b.classList.toggle('on',k==i);"
      "b.setAttribute('aria-pressed',k==i);});\n"
      " const hit=document.querySelectorAll('.hit')[i];if(hit&&hit.scrollIntoView)"
      "hit.scrollIntoView({block:'nearest'});\n"
      " history.replaceState(null,'','#step-'+(i+1));ksShow(i);}\n"
      /* Each connection's key schedule at step i, unpacked when first shown; a picture that
       * arrives after another step was selected is dropped. */
      "const ksCache={};const ksOk=!!(window.DecompressionStream&&window.Blob&&Blob.prototype."
      "stream);\n"
      "if(ksOk&&$('ks-about'))$('ks-about').textContent=data.ui.ks_follows;\n"
      "async function ksUnpack(b,k){const key=b.c+':'+k;if(!(key in ksCache)){"
      "const bin=Uint8Array.from(atob(b.states[k]),c=>c.charCodeAt(0));\n"
      " ksCache[key]=await new Response(new Blob([bin]).stream().pipeThrough("
      "new DecompressionStream('gzip'))).text();}return ksCache[key];}\n"
      "async function ksShow(i){if(!ksOk)return;for(const b of data.ks){const a=b.at[i];"
      "const box=$('ks-'+b.c),note=$('ks-note-'+b.c),held=$('ks-held-'+b.c);\n"
      " if(!a){box.hidden=true;note.textContent=b.none;held.textContent='';continue;}\n"
      " note.textContent=b.notes[a[1]];held.textContent=b.held[a[0]];box.hidden=false;\n"
      " if(box.dataset.state!=a[0]){const svg=await ksUnpack(b,a[0]);if(cur!=i)return;"
      "box.innerHTML=svg;box.dataset.state=a[0];}box.dataset.step=a[1];}}\n"
      "document.querySelectorAll('.hit').forEach((b,k)=>b.onclick=()=>show(k));\n"
      /* The quiz: the ladder is covered from the first row not yet asked about; an answer
       * is decoded only when given. */
      "const quiz=data.quiz||[];let qi=-1,qScore=0,qDone=0,qAnswered=false;\n"
      "function qHide(){const c=document.querySelector('.cover');if(c)c.remove();}\n"
      "function qCover(row){qHide();const hits=document.querySelectorAll('.hit');"
      "if(row>hits.length)return;const c=el('div','cover');c.style.top=hits[row-1].style.top;"
      "document.querySelector('.ladder').appendChild(c);}\n"
      "function qAsk(i){qi=i;qAnswered=false;$('quiz-next').hidden=true;"
      "$('quiz-feedback').textContent='';$('quiz-explanation').textContent='';\n"
      " if(i>=quiz.length){qHide();$('inspector').style.visibility='';$('quiz-count').textContent='"
      "';$('quiz-question')."
      "textContent='';$('quiz-choices').textContent='';\n"
      "  $('quiz-score').textContent=data.ui.quiz_done.replace('%1',qScore).replace('%2',"
      "quiz.length);return;}\n"
      " const "
      "q=quiz[i];qCover(q.before?q.s:q.s+1);$('inspector').style.visibility=q.before&&q.s==1?'"
      "hidden':'';show(q.before?Math.max(q.s-2,0):q.s-1);\n"
      " $('quiz-count').textContent=data.ui.quiz_count.replace('%1',i+1).replace('%2',"
      "quiz.length);$('quiz-question').textContent=q.t;const ol=$('quiz-choices');"
      "ol.textContent='';\n"
      " q.c.forEach((c,k)=>{const li=el('li');const b=el('button','',c);b.onclick=()=>qAnswer(k);"
      "li.appendChild(b);ol.appendChild(li);});}\n"
      "function qAnswer(k){if(qi<0||qi>=quiz.length||qAnswered||k>=quiz[qi].c.length)return;"
      "qAnswered=true;const q=quiz[qi];\n"
      " const x=JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(q.x),c=>c."
      "charCodeAt(0))));qDone++;if(k==x.a)qScore++;\n"
      " const bs=$('quiz-choices').querySelectorAll('button');bs[x.a].classList.add('right');"
      "if(k!=x.a)bs[k].classList.add('wrong');\n"
      " $('quiz-feedback').textContent=k==x.a?data.ui.quiz_right:data.ui.quiz_wrong.replace("
      "'%1',q.c[x.a]);$('quiz-explanation').textContent=x.e;\n"
      " $('quiz-score').textContent=data.ui.quiz_score.replace('%1',qScore).replace('%2',qDone);"
      /* A question still asked before this step comes next (about a changed message):
       * the step stays covered. */
      "const nx=quiz[qi+1];qCover(nx&&nx.before&&nx.s==q.s?q.s:q.s+1);"
      "$('inspector').style.visibility='';$('quiz-next').hidden=false;}\n"
      "function qStart(){$('quiz-box').hidden=false;qScore=qDone=0;$('quiz-score')."
      "textContent='';qAsk(0);}\n"
      "if($('quiz-start')){$('quiz-start').onclick=qStart;$('quiz-next').onclick=()=>qAsk(qi+1);}"
      "\n"
      "document.addEventListener('keydown',e=>{if(e.target.tagName=='INPUT')return;\n"
      " if(quiz.length&&e.key=='q'){qStart();e.preventDefault();return;}\n"
      " if(qi>=0&&qi<quiz.length&&e.key>='1'&&e.key<='9'){qAnswer(+e.key-1);"
      "e.preventDefault();return;}\n"
      " if(qi>=0&&qAnswered&&e.key=='n'){qAsk(qi+1);e.preventDefault();return;}\n"
      " if(e.key=='ArrowRight'||e.key=='ArrowDown'||e.key=='j'){show(cur+1);e.preventDefault();}\n"
      " else "
      "if(e.key=='ArrowLeft'||e.key=='ArrowUp'||e.key=='k'){show(cur-1);e.preventDefault();}\n"
      " else if(e.key=='Home'){show(0);e.preventDefault();}else if(e.key=='End'){"
      "show(data.steps.length-1);e.preventDefault();}\n"
      " else if(e.key=='+'||e.key=='='){zoom(1.25);e.preventDefault();}"
      "else if(e.key=='-'){zoom(0.8);e.preventDefault();}});\n"
      "let scale=1;function zoom(f){scale=Math.min(4,Math.max(0.5,scale*f));"
      "document.querySelector('.ladder').style.width=(scale*100)+'%';"
      "$('zoom-level').textContent=Math.round(scale*100)+'%';}\n"
      "$('zoom-in').onclick=()=>zoom(1.25);$('zoom-out').onclick=()=>zoom(0.8);\n"
      "const m=/^#step-(\\d+)$/.exec(location.hash);show(m?(+m[1])-1:0);\n";

GBytes *
hl_ladder_render_html (const HlRun *run, const HlLadderOptions *options, GError **error)
{
  const HlScenario *s = hl_run_get_scenario (run);
  HlLadderOptions o = *options;
  g_autoptr (HlLadderLayout) layout = NULL;
  g_autoptr (GBytes) svg = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) ks = g_string_new (NULL); /* the key schedules' part of the run's data */
  g_autofree char *title = g_markup_escape_text (s->title ? s->title : "", -1);
  g_autofree char *description = g_markup_escape_text (s->description ? s->description : "", -1);
  guint n = MIN (options->upto, hl_run_get_n_steps (run));
  const char *svg_text, *svg_start;
  double height;
  o.current = 0;
  o.selected = 0;
  svg = hl_ladder_render_svg (run, &o, error);
  if (!svg)
    return NULL;
  layout = hl_ladder_layout_new (run, &o);
  height = hl_ladder_layout_get_height (layout);
  /* TRANSLATORS: the language code of your translation (de, pt-BR): the HTML handout's lang */
  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n", _ ("en"));
  g_string_append_printf (out,
                          "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                          "content=\"width=device-width\">\n<meta name=\"generator\" "
                          "content=\"Handshake Lab\">\n<title>%s</title>\n<style>%s</style>\n"
                          "</head>\n<body>\n<header><h1>%s</h1><p>%s</p><p>%s %s "
                          "<button id=\"zoom-out\" aria-label=\"%s\">\u2212</button> "
                          "<span id=\"zoom-level\">100%%</span> <button id=\"zoom-in\" "
                          "aria-label=\"%s\">+</button> %s</p></header>\n<main>\n"
                          "<section id=\"diagram\"><div class=\"ladder\">\n",
                          title, style, title, description,
                          _ ("Click a message, or step with <kbd>\u2190</kbd> <kbd>\u2192</kbd>."),
                          _ ("Zoom the diagram:"), _ ("Zoom out"), _ ("Zoom in"),
                          _ ("(or <kbd>-</kbd> <kbd>+</kbd>)."));
  /* Cairo's SVG, without its XML declaration, inline. */
  svg_text = g_bytes_get_data (svg, NULL);
  svg_start = g_strstr_len (svg_text, g_bytes_get_size (svg), "<svg");
  g_string_append_len (out, svg_start ? svg_start : svg_text,
                       g_bytes_get_size (svg) - (svg_start ? svg_start - svg_text : 0));
  for (guint i = 1; i <= n; i++) {
    HlLadderRect r;
    const HlStep *st = hl_run_get_step (run, i - 1);
    g_autofree char *step_title = NULL, *label = NULL;
    if (!hl_ladder_layout_get_step_rect (layout, i, &r))
      continue;
    step_title = hl_ladder_step_title (st, n);
    label = g_markup_escape_text (step_title, -1);
    g_string_append_printf (out,
                            "<button class=\"hit\" data-step=\"%u\" aria-label=\"%s\" "
                            "style=\"top:%.3f%%;height:%.3f%%\"></button>\n",
                            i, label, 100 * r.y / height, 100 * r.height / height);
  }
  g_string_append_printf (
      out,
      "</div></section>\n<aside id=\"inspector\" aria-live=\"polite\">\n"
      "<h2 id=\"step-title\"></h2><p id=\"step-summary\"></p><p id=\"step-story\"></p>"
      "<p id=\"step-notes\" class=\"notes\"></p>\n"
      "<h3>%s</h3>\n"
      "<h4>%s</h4><table class=\"secrets\" id=\"client-secrets\"></table>\n"
      "<h4>%s</h4><table class=\"secrets\" id=\"server-secrets\"></table>\n"
      "<h3 id=\"bytes-label\"></h3><p id=\"field-info\" class=\"notes\"></p>\n"
      "<ul class=\"fields\" id=\"fields\"></ul><pre class=\"hex\" id=\"hex\"></pre>\n"
      "<h3>%s</h3><p id=\"rec-notes\" class=\"notes\"></p>"
      "<ul class=\"fields\" id=\"rec-fields\"></ul>"
      "<pre class=\"hex\" id=\"rec-hex\"></pre>\n</aside>\n</main>\n",
      _ ("What each side holds after this step"), _ ("Client"), _ ("Server"),
      _ ("The records on the wire"));
  if (!append_key_schedules (out, ks, run, n, error))
    return NULL;
  append_quiz (out, ks, run, n);
  g_string_append (out, "<script type=\"application/json\" id=\"run-data\">{");
  json_ui_words (out);
  g_string_append (out, "\"steps\":[");
  for (guint i = 0; i < n; i++) {
    if (i)
      g_string_append (out, ",\n");
    json_step (out, run, hl_run_get_step (run, i), n);
  }
  g_string_append_printf (out, "]%s}</script>\n<script>\n%s</script>\n</body>\n</html>\n", ks->str,
                          script);
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

gboolean
hl_ladder_export_html (const HlRun *run, const HlLadderOptions *options, const char *path,
                       GError **error)
{
  g_autoptr (GBytes) html = hl_ladder_render_html (run, options, error);
  return html
         && hl_write_file_atomically (path, g_bytes_get_data (html, NULL), g_bytes_get_size (html),
                                      error);
}
