/* hl-knowledge-panel-private.h: the panel's insides, for its own code and for tests
 * (as GNOME apps keep them). The rest of the program uses hl-knowledge-panel.h. */
#pragma once

#include "hl-knowledge-panel.h"

G_BEGIN_DECLS

struct _HlKnowledgePanel {
  GtkWidget parent_instance;
  GtkWidget *group[2];       /* AdwPreferencesGroup per side: its title */
  GtkWidget *description[2]; /* in the group: an HlKnowledgeRow showing the model's description */
  GtkListBox *list[2]; /* in the group: one GtkListBoxRow holding an HlKnowledgeRow per entry of
                          model[side] */
  HlKnowledgeModel *model[2]; /* the session's, or an empty one without a session */
  GPtrArray *titles[2];       /* char*: the row titles, for tests */
  HlSession *session;
  gboolean stale;  /* the models changed while hidden: the rows follow when shown */
  guint rows_made; /* for tests: rows given to a new key (spare or made) since the panel was made */
  guint rows_built;          /* for tests: rows a step had to make, finding no spare one */
  guint rows_retaken;        /* for tests: rows of a key that went, given to a new key in place */
  GPtrArray *spare;          /* rows ready for new keys: made while idle, or taken out */
  guint spare_source;        /* the idle source that makes spare rows */
  guint layout_source;       /* the idle source that lays out the rows deferred below the view */
  guint n_gone[2];           /* rows hidden in each list, to be taken out when idle */
  guint gone_source;         /* the idle source that takes them out */
  GdkFrameClock *gone_clock; /* whose next after-paint adds that source */
  /* The next step's texts, shaped while idle once the session has made it (issue 17). */
  HlKnowledgeModel *next_model[2];       /* what each side will know after it */
  GPtrArray *prepared, *prepared_before; /* PangoLayout*: this preparation's, the last one's */
  guint prepare_source;
  int row_width[2], row_width_at[2]; /* a row's width on each side, and the panel's then */
};

/* For tests: the titles of the rows shown for a side. */
GPtrArray *hl_knowledge_panel_list_rows (HlKnowledgePanel *self, HlSide side);
/* For tests: the row shown at `index` for a side (a GtkListBoxRow whose child is an
 * HlKnowledgeRow), or NULL. */
GtkWidget *hl_knowledge_panel_get_row (HlKnowledgePanel *self, HlSide side, guint index);
guint hl_knowledge_panel_get_rows_made (HlKnowledgePanel *self);
guint hl_knowledge_panel_get_rows_built (HlKnowledgePanel *self);
guint hl_knowledge_panel_get_rows_retaken (HlKnowledgePanel *self);
/* For tests: whether rows wait to be laid out (the idle source is pending). */
gboolean hl_knowledge_panel_is_laying_out (HlKnowledgePanel *self);
/* The tooltip a row shows (its entry's, given when GTK asks), or NULL for none. */
const char *hl_knowledge_panel_get_row_tooltip (GtkWidget *row);

G_END_DECLS
