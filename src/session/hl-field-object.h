/* hl-field-object.h: a decoded field as a GObject, for tree list models. It
 * borrows the field from its step, which outlives every view of it. */
#pragma once

#include <gio/gio.h>

#include "hl-field.h"

G_BEGIN_DECLS

#define HL_TYPE_FIELD_OBJECT (hl_field_object_get_type ())
G_DECLARE_FINAL_TYPE (HlFieldObject, hl_field_object, HL, FIELD_OBJECT, GObject)

HlFieldObject *hl_field_object_new (const HlField *field);
const HlField *hl_field_object_get_field (HlFieldObject *self);
/* Shows another field in the same object, so that a list keeps its row for it: emits
 * "changed" (a list view rebinds nothing by itself when its item stays the same). */
void hl_field_object_set_field (HlFieldObject *self, const HlField *field);
/* Whether the field had children when set: safe after its step is gone. */
gboolean hl_field_object_has_children (HlFieldObject *self);
/* A new list of HlFieldObject for an array of HlField* (NULL gives an empty list). */
GListModel *hl_field_object_list (const GPtrArray *fields);
/* The children of a field object, or NULL for a leaf (what GtkTreeListModel wants). */
GListModel *hl_field_object_children (HlFieldObject *self);

G_END_DECLS
