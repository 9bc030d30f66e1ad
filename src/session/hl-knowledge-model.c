/* hl-knowledge-model.c */
#include "hl-knowledge-model.h"

#include <string.h>

#include "hl-field.h"
#include "hl-i18n.h"
#include "hl-tables.h"

struct _HlKnowledgeModel {
  GObject parent_instance;
  HlSide side;
  GPtrArray *entries; /* HlKnowledgeEntry*, what is shown */
  char *description;
};

enum { PROP_0, PROP_DESCRIPTION, N_PROPS };

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return HL_TYPE_KNOWLEDGE_ENTRY;
}

static guint
get_n_items (GListModel *model)
{
  return HL_KNOWLEDGE_MODEL (model)->entries->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  HlKnowledgeModel *self = HL_KNOWLEDGE_MODEL (model);
  return position < self->entries->len ? g_object_ref (self->entries->pdata[position]) : NULL;
}

static void
hl_knowledge_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (HlKnowledgeModel, hl_knowledge_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hl_knowledge_model_list_model_init))

static void
hl_knowledge_model_finalize (GObject *object)
{
  HlKnowledgeModel *self = HL_KNOWLEDGE_MODEL (object);
  g_ptr_array_unref (self->entries);
  g_free (self->description);
  G_OBJECT_CLASS (hl_knowledge_model_parent_class)->finalize (object);
}

static void
hl_knowledge_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_DESCRIPTION)
    g_value_set_string (value, HL_KNOWLEDGE_MODEL (object)->description);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hl_knowledge_model_class_init (HlKnowledgeModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = hl_knowledge_model_finalize;
  object_class->get_property = hl_knowledge_model_get_property;
  properties[PROP_DESCRIPTION]
      = g_param_spec_string ("description", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_knowledge_model_init (HlKnowledgeModel *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}

HlKnowledgeModel *
hl_knowledge_model_new (HlSide side)
{
  HlKnowledgeModel *self = g_object_new (HL_TYPE_KNOWLEDGE_MODEL, NULL);
  self->side = side;
  self->description = g_strdup (_ ("Select a step to see what this side knows."));
  return self;
}

HlSide
hl_knowledge_model_get_side (HlKnowledgeModel *self)
{
  return self->side;
}

const char *
hl_knowledge_model_get_description (HlKnowledgeModel *self)
{
  return self->description;
}

/* ---------- The lines, as the panel has always worded them ---------- */

/* Lowercase hex in groups of 4 bytes ("0a1b2c3d 4e5f..."), written digit by digit: a step
 * words every secret of both sides, and a printf per byte was a million instructions. */
static char *
spaced_hex (GBytes *value)
{
  static const char digits[] = "0123456789abcdef";
  gsize len;
  const guint8 *d = g_bytes_get_data (value, &len);
  char *out = g_malloc (len * 3 + 1), *p = out;
  for (gsize i = 0; i < len; i++) {
    if (i && i % 4 == 0)
      *p++ = ' ';
    *p++ = digits[d[i] >> 4];
    *p++ = digits[d[i] & 15];
  }
  *p = '\0';
  return out;
}

static void
add (GPtrArray *out, const char *key, const char *title, const char *subtitle, const char *tooltip,
     const char *copy)
{
  g_ptr_array_add (out, hl_knowledge_entry_new (key, title, subtitle, tooltip, copy));
}

static char *
describe (const HlStep *st, HlSide side)
{
  return hl_describe_side_state (st->after[side].state, st->index, side == HL_SIDE_SERVER);
}

static GPtrArray *
make_entries (const HlStep *st, HlSide side)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  const HlSideState *after = &st->after[side];
  if (after->suite) {
    g_autofree char *suite = hl_describe_suite_id (after->suite);
    g_autofree char *what = g_strdup_printf ("%s, %s%s%s", hl_version_long_name (after->version),
                                             suite, after->curve > 0 ? ", " : "",
                                             after->curve > 0 ? hl_curve_name (after->curve) : "");
    add (out, "negotiated", _ ("Negotiated"), what, NULL, NULL);
  }
  if (after->certificate_verdict)
    add (out, "certificate", _ ("Certificate check"), after->certificate_verdict, NULL, NULL);
  if (after->error && after->openssl) {
    /* OpenSSL's own words: the alert and its reason, not BearSSL's codes. */
    g_autofree char *words = hl_describe_openssl_error (after->error, after->reason);
    g_autofree char *text = g_strdup_printf (_ ("OpenSSL %s"), words);
    add (out, "stopped", _ ("Stopped"), text, NULL, NULL);
  } else if (after->error) {
    g_autofree char *name = hl_error_name (after->error);
    g_autofree char *plain = hl_error_explain (after->error);
    g_autofree char *text = g_strdup_printf ("%s: %s", name, plain);
    add (out, "stopped", _ ("Stopped"), text, NULL, NULL);
  }
  if (!after->secrets || after->secrets->len == 0)
    add (out, "nothing", _ ("Nothing secret yet"), "", NULL, NULL);
  for (guint i = 0; after->secrets && i < after->secrets->len; i++) {
    const HlSecret *s = g_ptr_array_index (after->secrets, i);
    g_autofree char *hex = spaced_hex (s->value);
    g_autofree char *plain = hl_hex_bytes (s->value);
    g_autofree char *inputs
        = s->inputs && s->inputs[0] ? g_strjoinv (", ", (char **)s->inputs) : NULL;
    g_autofree char *title
        = g_strdup_printf ("%s%s", s->name, s->learned_at == st->index ? _ (" (new)") : "");
    g_autofree char *tip
        = g_strdup_printf (_ ("%s%s%s\nLearned after step %u."), s->formula,
                           inputs ? _ ("\nMade from: ") : "", inputs ? inputs : "", s->learned_at);
    g_autofree char *sub = g_strdup_printf ("%s\n%s", hex, s->formula);
    /* Secrets' keys cannot collide with the fixed lines': they are transcript keys. */
    add (out, s->key, title, sub, tip, plain);
  }
  return out;
}

/* ---------- Changing only what differs ---------- */

/* A run of changes at one place, reported in one items-changed once the next change
 * is elsewhere: [pos, pos + added) of the list replaced [pos, pos + removed). */
typedef struct {
  HlKnowledgeModel *model;
  guint pos, removed, added;
  gboolean open;
} Pending;

static void
flush (Pending *p)
{
  if (p->open && (p->removed || p->added))
    g_list_model_items_changed (G_LIST_MODEL (p->model), p->pos, p->removed, p->added);
  p->open = FALSE;
}

/* Notes a change of `removed` items into `added` at i, before the list is changed: a run
 * that does not reach i is reported first, while the list still matches what it says. */
static void
note (Pending *p, guint i, guint removed, guint added)
{
  if (p->open && i != p->pos + p->added)
    flush (p);
  if (!p->open) {
    p->open = TRUE;
    p->pos = i;
    p->removed = p->added = 0;
  }
  p->removed += removed;
  p->added += added;
}

static gboolean
same_key (HlKnowledgeEntry *a, HlKnowledgeEntry *b)
{
  return strcmp (hl_knowledge_entry_get_key (a), hl_knowledge_entry_get_key (b)) == 0;
}

void
hl_knowledge_model_show_step (HlKnowledgeModel *self, const HlStep *step)
{
  g_autoptr (GPtrArray) want
      = step ? make_entries (step, self->side) : g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *description = step ? describe (step, self->side)
                                      : g_strdup (_ ("Select a step to see what this side knows."));
  g_autoptr (GPtrArray) old = g_ptr_array_new_with_free_func (g_object_unref);
  guint n, m, pos = 0, i = 0, j = 0;
  g_autofree guint *lcs = NULL;
  Pending p = { self, 0, 0, 0, FALSE };
  GPtrArray *live = self->entries;
  /* The longest run of keys both lists share, in order, stays (the order of the secrets
   * changes when a side learns it speaks TLS 1.3); the rest is removed or added. lcs[i,j]:
   * the length of that run between old[i..] and want[j..]. The lists hold tens of lines. */
  for (guint k = 0; k < live->len; k++)
    g_ptr_array_add (old, g_object_ref (live->pdata[k]));
  n = old->len;
  m = want->len;
  lcs = g_new0 (guint, (n + 1) * (m + 1));
#define LCS(a, b) lcs[(a) * (m + 1) + (b)]
  for (guint a = n; a-- > 0;)
    for (guint b = m; b-- > 0;)
      LCS (a, b) = same_key (old->pdata[a], want->pdata[b]) ? LCS (a + 1, b + 1) + 1
                                                            : MAX (LCS (a + 1, b), LCS (a, b + 1));
  while (i < n || j < m) {
    if (i < n && j < m && same_key (old->pdata[i], want->pdata[j])) {
      if (!hl_knowledge_entry_equal (live->pdata[pos], want->pdata[j])) {
        note (&p, pos, 1, 1);
        g_object_unref (live->pdata[pos]);
        live->pdata[pos] = g_object_ref (want->pdata[j]);
      }
      pos++, i++, j++;
    } else if (j < m && (i == n || LCS (i, j + 1) >= LCS (i + 1, j))) {
      note (&p, pos, 0, 1);
      g_ptr_array_insert (live, pos++, g_object_ref (want->pdata[j++]));
    } else {
      note (&p, pos, 1, 0);
      g_ptr_array_remove_index (live, pos);
      i++;
    }
  }
#undef LCS
  flush (&p);
  if (g_strcmp0 (description, self->description) != 0) {
    g_free (self->description);
    self->description = g_steal_pointer (&description);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  }
}
