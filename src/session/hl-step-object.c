/* hl-step-object.c */
#include "hl-step-object.h"

struct _HlStepObject {
  GObject parent_instance;
  const HlStep *step;
};

G_DEFINE_FINAL_TYPE (HlStepObject, hl_step_object, G_TYPE_OBJECT)

static void
hl_step_object_class_init (HlStepObjectClass *klass)
{
}

static void
hl_step_object_init (HlStepObject *self)
{
}

HlStepObject *
hl_step_object_new (const HlStep *step)
{
  HlStepObject *self = g_object_new (HL_TYPE_STEP_OBJECT, NULL);
  self->step = step;
  return self;
}

const HlStep *
hl_step_object_get_step (HlStepObject *self)
{
  g_return_val_if_fail (HL_IS_STEP_OBJECT (self), NULL);
  return self->step;
}
