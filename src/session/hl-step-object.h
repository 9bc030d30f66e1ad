/* hl-step-object.h: one delivered step of a session's run, as a GObject for list
 * models. It borrows the step from the run; the session removes the object from
 * its list before the run drops the step, so a step object in the list is valid. */
#pragma once

#include <glib-object.h>

#include "hl-run.h"

G_BEGIN_DECLS

#define HL_TYPE_STEP_OBJECT (hl_step_object_get_type ())
G_DECLARE_FINAL_TYPE (HlStepObject, hl_step_object, HL, STEP_OBJECT, GObject)

HlStepObject *hl_step_object_new (const HlStep *step);
const HlStep *hl_step_object_get_step (HlStepObject *self);
/* "Step 5, client to server, ClientKeyExchange": for people and screen readers. */

G_END_DECLS
