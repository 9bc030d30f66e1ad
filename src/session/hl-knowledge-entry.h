/* hl-knowledge-entry.h: one line of what a side knows after a step (a secret, the
 * negotiated parameters, the certificate verdict, why it stopped), as the knowledge
 * panel shows it. Immutable: when the line changes, HlKnowledgeModel replaces the
 * entry with a new one of the same key, so a view can keep its row for that key. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HL_TYPE_KNOWLEDGE_ENTRY (hl_knowledge_entry_get_type ())
G_DECLARE_FINAL_TYPE (HlKnowledgeEntry, hl_knowledge_entry, HL, KNOWLEDGE_ENTRY, GObject)

/* key: stable while the line stays ("master_secret", "negotiated"); tooltip and copy
 * (the value in plain hex, for the clipboard) may be NULL. */
HlKnowledgeEntry *hl_knowledge_entry_new (const char *key, const char *title, const char *subtitle,
                                          const char *tooltip, const char *copy);
const char *hl_knowledge_entry_get_key (HlKnowledgeEntry *self);
const char *hl_knowledge_entry_get_title (HlKnowledgeEntry *self);
const char *hl_knowledge_entry_get_subtitle (HlKnowledgeEntry *self);
const char *hl_knowledge_entry_get_tooltip (HlKnowledgeEntry *self); /* NULL: none */
const char *hl_knowledge_entry_get_copy (HlKnowledgeEntry *self);    /* NULL: nothing to copy */
/* Same key and same text everywhere. */
gboolean hl_knowledge_entry_equal (HlKnowledgeEntry *a, HlKnowledgeEntry *b);

G_END_DECLS
