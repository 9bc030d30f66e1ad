/* hl-knowledge-model.h: what one side knows after a step, as a GListModel of
 * HlKnowledgeEntry (the negotiated parameters, the certificate verdict, why it
 * stopped, then every secret in key-schedule order), with a one-line description
 * of the side's engine state.
 *
 * Showing another step changes only what differs: an entry whose text is the same
 * stays the same object and is not reported; a changed line is replaced in place
 * (items-changed with removed == added, same key); new lines are added and lines
 * that went are removed, in as few items-changed emissions as the changes allow.
 * No GTK here. */
#pragma once

#include <gio/gio.h>

#include "hl-knowledge-entry.h"
#include "hl-run.h"

G_BEGIN_DECLS

#define HL_TYPE_KNOWLEDGE_MODEL (hl_knowledge_model_get_type ())
G_DECLARE_FINAL_TYPE (HlKnowledgeModel, hl_knowledge_model, HL, KNOWLEDGE_MODEL, GObject)

/* Empty, with the description that asks for a step. */
HlKnowledgeModel *hl_knowledge_model_new (HlSide side);
HlSide hl_knowledge_model_get_side (HlKnowledgeModel *self);
/* Shows what the side knows after `step` (NULL: no step selected). */
void hl_knowledge_model_show_step (HlKnowledgeModel *self, const HlStep *step);
/* "After step 4: waits for a record (BearSSL state RECVREC)"; property "description". */
const char *hl_knowledge_model_get_description (HlKnowledgeModel *self);

G_END_DECLS
