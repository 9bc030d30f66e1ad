/* hl-field-label.h: one decoded field in the Fields list, "name  value" on one line,
 * the name bold, cut with an ellipsis at the row's end.
 *
 * A GtkLabel showed it, and GTK's layout asked it four questions a frame (its whole
 * width, its cut width, its height, its allocation), each answered by shaping the text
 * again: 6 M of the 57 M instructions of a big message's step (issue 17). This widget's
 * height is its font's line and its width whatever the list gives it, so it shapes its
 * text once, when it is first drawn at a width. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_FIELD_LABEL (hl_field_label_get_type ())
G_DECLARE_FINAL_TYPE (HlFieldLabel, hl_field_label, HL, FIELD_LABEL, GtkWidget)

GtkWidget *hl_field_label_new (void);
/* Shows a field (plain texts, not markup); also the widget's accessible label. */
void hl_field_label_set_field (HlFieldLabel *self, const char *name, const char *value);
/* "name  value", as shown. */
const char *hl_field_label_get_text (HlFieldLabel *self);
/* For tests: how many times it has shaped its text, and all labels together. */
guint hl_field_label_get_n_shaped (HlFieldLabel *self);
guint hl_field_label_get_n_shaped_total (void);
/* Shapes now, in like's font, the text a label would show for a field at width, for the
 * label that shows it next to take instead of shaping (the inspector calls it while the
 * window is idle, for the step made ahead: issue 17). */
void hl_field_label_prepare (HlFieldLabel *like, const char *name, const char *value, int width);
/* Drops what was prepared and not taken. */
void hl_field_label_forget_prepared (void);
/* The step the texts were prepared for is being shown: labels may take them now (until
 * then a row of the step before, drawn late, could take a text both steps show). */
void hl_field_label_use_prepared (void);

G_END_DECLS
