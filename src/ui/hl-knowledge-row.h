/* hl-knowledge-row.h: one line of the knowledge panel, a title over a dimmer, smaller
 * subtitle (as an AdwActionRow shows them) and an optional copy button.
 *
 * It draws its two texts itself from Pango layouts it keeps: each text is shaped once
 * per width it is given, where a pair of wrapped GtkLabels is shaped again for every
 * question GTK's layout asks (its width for a height, its height at several widths).
 * It sits in a GtkListBoxRow, styled as libadwaita styles an action row's header
 * (CSS node "box", class "header"). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_KNOWLEDGE_ROW (hl_knowledge_row_get_type ())
G_DECLARE_FINAL_TYPE (HlKnowledgeRow, hl_knowledge_row, HL, KNOWLEDGE_ROW, GtkWidget)

GtkWidget *hl_knowledge_row_new (void);
/* Sets the texts (plain text, not markup); a text that did not change keeps its layout. */
void hl_knowledge_row_set_title (HlKnowledgeRow *self, const char *title);
void hl_knowledge_row_set_subtitle (HlKnowledgeRow *self, const char *subtitle);
const char *hl_knowledge_row_get_title (HlKnowledgeRow *self);
const char *hl_knowledge_row_get_subtitle (HlKnowledgeRow *self);
/* The widget at the end of the row (the copy button), or NULL; owned by the row. */
void hl_knowledge_row_set_suffix (HlKnowledgeRow *self, GtkWidget *suffix);
GtkWidget *hl_knowledge_row_get_suffix (HlKnowledgeRow *self);
/* Plain: the title alone, dimmed, without the header's margins (a group's description,
 * as AdwPreferencesGroup shows it, drawn the same cheap way). */
void hl_knowledge_row_set_plain (HlKnowledgeRow *self, gboolean plain);
/* Deferred: while its texts wait to be laid out, the row gives an estimated height and
 * draws no text, so that a step that adds many rows shapes only those in view (the panel
 * defers the rows below it and lays them out when idle). */
void hl_knowledge_row_set_deferred (HlKnowledgeRow *self, gboolean deferred);
/* Whether the row's height is an estimate now: deferred, and not laid out at its width. */
gboolean hl_knowledge_row_is_estimated (HlKnowledgeRow *self);
/* Lays the texts out at the allocated width if they need it, and queues a resize; FALSE
 * if there was nothing to do (or no allocation yet). */
gboolean hl_knowledge_row_lay_out (HlKnowledgeRow *self);
/* For tests: the height its laid-out texts take, margins included (not an estimate). */
int hl_knowledge_row_get_text_height (HlKnowledgeRow *self);
/* For tests: how many times a text was shaped for a new width or text (not counting a
 * layout shared with another row). */
guint hl_knowledge_row_get_n_layouts (HlKnowledgeRow *self);
/* For tests: the layout drawn for the title (0) or subtitle (1), or NULL. */
PangoLayout *hl_knowledge_row_get_layout (HlKnowledgeRow *self, int which);
/* Shapes a title (0) or subtitle (1) as a row like `like` (its font and direction) that
 * is row_width wide, with or without a copy button, will show it, and shares the layout
 * with the rows that show it later: a row bound to that text at that width takes it
 * instead of shaping. The reference returned keeps it shared; NULL if there is nothing
 * to shape or no copy button has been measured yet. For the next step's texts, made
 * while idle (issue 17). */
PangoLayout *hl_knowledge_row_prepare_layout (HlKnowledgeRow *like, int which, const char *text,
                                              int row_width, gboolean with_copy);
/* For tests: how many texts rows have shaped themselves (prepared ones not counted). */
guint hl_knowledge_row_get_n_shaped_by_rows (void);

G_END_DECLS
