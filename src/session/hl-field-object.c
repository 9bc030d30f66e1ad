/* hl-field-object.c */
#include "hl-field-object.h"

struct _HlFieldObject {
  GObject parent_instance;
  const HlField *field;
};

G_DEFINE_FINAL_TYPE (HlFieldObject, hl_field_object, G_TYPE_OBJECT)

static void
hl_field_object_class_init (HlFieldObjectClass *klass)
{
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
  return self;
}

const HlField *
hl_field_object_get_field (HlFieldObject *self)
{
  return self->field;
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
  if (!self->field->children || self->field->children->len == 0)
    return NULL;
  return hl_field_object_list (self->field->children);
}
