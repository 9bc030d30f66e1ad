/* hl-field-object.c */
#include "hl-field-object.h"

struct _HlFieldObject {
  GObject parent_instance;
  const HlField *field;
  gboolean parent; /* read when set: the step owning a field may be gone by the next one */
};

G_DEFINE_FINAL_TYPE (HlFieldObject, hl_field_object, G_TYPE_OBJECT)

static guint changed_signal;

static void
hl_field_object_class_init (HlFieldObjectClass *klass)
{
  changed_signal = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 0);
}

static void
hl_field_object_init (HlFieldObject *self)
{
}

HlFieldObject *
hl_field_object_new (const HlField *field)
{
  HlFieldObject *self = g_object_new (HL_TYPE_FIELD_OBJECT, NULL);
  self->field = field;
  self->parent = field->children && field->children->len > 0;
  return self;
}

const HlField *
hl_field_object_get_field (HlFieldObject *self)
{
  return self->field;
}

void
hl_field_object_set_field (HlFieldObject *self, const HlField *field)
{
  /* no early return on the same pointer: a new step's field may sit where a freed one was */
  self->field = field;
  self->parent = field->children && field->children->len > 0;
  g_signal_emit (self, changed_signal, 0);
}

gboolean
hl_field_object_has_children (HlFieldObject *self)
{
  return self->parent;
}

GListModel *
hl_field_object_list (const GPtrArray *fields)
{
  GListStore *store = g_list_store_new (HL_TYPE_FIELD_OBJECT);
  for (guint i = 0; fields && i < fields->len; i++) {
    g_autoptr (HlFieldObject) item = hl_field_object_new (g_ptr_array_index (fields, i));
    g_list_store_append (store, item);
  }
  return G_LIST_MODEL (store);
}

GListModel *
hl_field_object_children (HlFieldObject *self)
{
  if (!hl_field_object_has_children (self))
    return NULL;
  return hl_field_object_list (self->field->children);
}
