/* hl-copy-button.h: the flat "copy" icon button at the end of a knowledge row.
 *
 * A GtkButton holding a GtkImage looked its icon up, and styled the image, for each new
 * row: 8 M of the 48 M instructions of a TLS 1.3 lesson's first knowledge step, where
 * the server learns some 25 secrets at once (issue 17). This button is a GtkButton (focus,
 * keys, clicks, hover and the accessible role are GTK's own) without a child: it draws
 * the theme's icon itself, looked up once per icon theme and scale, in the colour its CSS
 * gives it, at the size and place the image had. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_COPY_BUTTON (hl_copy_button_get_type ())
G_DECLARE_FINAL_TYPE (HlCopyButton, hl_copy_button, HL, COPY_BUTTON, GtkButton)

/* A flat icon button; tooltip is also what a screen reader reads as its description. */
GtkWidget *hl_copy_button_new (const char *tooltip);
/* Its tooltip's text, which it gives when GTK asks (query-tooltip). */
const char *hl_copy_button_get_tooltip (HlCopyButton *self);

G_END_DECLS
