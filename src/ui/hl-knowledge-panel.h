/* hl-knowledge-panel.h: what each side knows after the selected step. Client and
 * server side by side: every secret with its value, its formula and what it is
 * made from, marked when it appeared at this very step; the negotiated version
 * and suite as that side knows them; its verdict on the peer's certificate. */
#pragma once

#include <adwaita.h>

#include "hl-session.h"

G_BEGIN_DECLS

#define HL_TYPE_KNOWLEDGE_PANEL (hl_knowledge_panel_get_type ())
G_DECLARE_FINAL_TYPE (HlKnowledgePanel, hl_knowledge_panel, HL, KNOWLEDGE_PANEL, GtkWidget)

void hl_knowledge_panel_set_session (HlKnowledgePanel *self, HlSession *session);

G_END_DECLS
