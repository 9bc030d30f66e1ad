/* hl-inspector.h: the selected step, in depth: what the message does, its place
 * in the story, the checks made on it, its decoded fields as a tree and its bytes
 * in hex. Selecting a field highlights its bytes; clicking a byte selects its field. */
#pragma once

#include <gtk/gtk.h>

#include "hl-session.h"

G_BEGIN_DECLS

#define HL_TYPE_INSPECTOR (hl_inspector_get_type ())
G_DECLARE_FINAL_TYPE (HlInspector, hl_inspector, HL, INSPECTOR, GtkWidget)

void hl_inspector_set_session (HlInspector *self, HlSession *session);
/* For tests and screen readers: the title shown, and the field at row i. */
const char *hl_inspector_get_title (HlInspector *self);
/* The line naming the key that protects the step's record, as shown (no markup). */
const char *hl_inspector_get_record_key (HlInspector *self);
guint hl_inspector_get_n_rows (HlInspector *self);
const HlField *hl_inspector_get_row_field (HlInspector *self, guint row);
void hl_inspector_select_row (HlInspector *self, guint row);
/* The Fields list's context menu (field.edit, field.flip, field.drop, field.take-away,
 * field.redo), its actions enabled for the selected row. */
GtkPopover *hl_inspector_get_field_menu (HlInspector *self);
/* The byte range highlighted in the hex view, as [start, end). */
void hl_inspector_get_highlight (HlInspector *self, gsize *start, gsize *end);
/* The hex view (an HlHexView), for tests. */
GtkWidget *hl_inspector_get_hex_view (HlInspector *self);

G_END_DECLS
