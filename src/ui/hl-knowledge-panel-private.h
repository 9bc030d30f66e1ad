/* hl-knowledge-panel-private.h: the panel's insides, for its own code and for tests
 * (as GNOME apps keep them). The rest of the program uses hl-knowledge-panel.h. */
#pragma once

#include "hl-knowledge-panel.h"

G_BEGIN_DECLS

struct _HlKnowledgePanel {
  GtkWidget parent_instance;
  GtkWidget *columns;   /* GtkBox, horizontal */
  GtkWidget *group[2];  /* AdwPreferencesGroup per side */
  GPtrArray *titles[2]; /* char*: the row titles, for tests */
  HlSession *session;
  gboolean stale; /* changed while hidden: refreshed when shown */
};

/* For tests: the titles of the rows shown for a side. */
GPtrArray *hl_knowledge_panel_list_rows (HlKnowledgePanel *self, HlSide side);

G_END_DECLS
