/* hl-knowledge-entry.c */
#include "hl-knowledge-entry.h"

struct _HlKnowledgeEntry {
  GObject parent_instance;
  char *key, *title, *subtitle, *tooltip, *copy;
};

G_DEFINE_FINAL_TYPE (HlKnowledgeEntry, hl_knowledge_entry, G_TYPE_OBJECT)

enum { PROP_0, PROP_KEY, PROP_TITLE, PROP_SUBTITLE, PROP_TOOLTIP, PROP_COPY, N_PROPS };

static GParamSpec *properties[N_PROPS];

static void
hl_knowledge_entry_finalize (GObject *object)
{
  HlKnowledgeEntry *self = HL_KNOWLEDGE_ENTRY (object);
  g_free (self->key);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->tooltip);
  g_free (self->copy);
  G_OBJECT_CLASS (hl_knowledge_entry_parent_class)->finalize (object);
}

static void
hl_knowledge_entry_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HlKnowledgeEntry *self = HL_KNOWLEDGE_ENTRY (object);
  const char *text[N_PROPS]
      = { NULL, self->key, self->title, self->subtitle, self->tooltip, self->copy };
  if (prop_id > PROP_0 && prop_id < N_PROPS)
    g_value_set_string (value, text[prop_id]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/* Read-only properties, for GtkExpression and property bindings. */
static void
hl_knowledge_entry_class_init (HlKnowledgeEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  object_class->finalize = hl_knowledge_entry_finalize;
  object_class->get_property = hl_knowledge_entry_get_property;
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_SUBTITLE] = g_param_spec_string ("subtitle", NULL, NULL, NULL, ro);
  properties[PROP_TOOLTIP] = g_param_spec_string ("tooltip", NULL, NULL, NULL, ro);
  properties[PROP_COPY] = g_param_spec_string ("copy", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_knowledge_entry_init (HlKnowledgeEntry *self)
{
}

HlKnowledgeEntry *
hl_knowledge_entry_new (const char *key, const char *title, const char *subtitle,
                        const char *tooltip, const char *copy)
{
  HlKnowledgeEntry *self = g_object_new (HL_TYPE_KNOWLEDGE_ENTRY, NULL);
  self->key = g_strdup (key);
  self->title = g_strdup (title);
  self->subtitle = g_strdup (subtitle);
  self->tooltip = g_strdup (tooltip);
  self->copy = g_strdup (copy);
  return self;
}

const char *
hl_knowledge_entry_get_key (HlKnowledgeEntry *self)
{
  return self->key;
}

const char *
hl_knowledge_entry_get_title (HlKnowledgeEntry *self)
{
  return self->title;
}

const char *
hl_knowledge_entry_get_subtitle (HlKnowledgeEntry *self)
{
  return self->subtitle;
}

const char *
hl_knowledge_entry_get_tooltip (HlKnowledgeEntry *self)
{
  return self->tooltip;
}

const char *
hl_knowledge_entry_get_copy (HlKnowledgeEntry *self)
{
  return self->copy;
}

gboolean
hl_knowledge_entry_equal (HlKnowledgeEntry *a, HlKnowledgeEntry *b)
{
  return g_strcmp0 (a->key, b->key) == 0 && g_strcmp0 (a->title, b->title) == 0
         && g_strcmp0 (a->subtitle, b->subtitle) == 0 && g_strcmp0 (a->tooltip, b->tooltip) == 0
         && g_strcmp0 (a->copy, b->copy) == 0;
}
