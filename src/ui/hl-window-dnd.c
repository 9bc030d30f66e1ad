/* hl-window-dnd.c: drop a scenario or a capture (pcap, pcapng) on the window to open it;
 * hl_window_load tells them apart by their content. */
#include "hl-window-private.h"

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, HlWindow *self)
{
  GFile *file = g_value_get_object (value);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  return path && hl_window_load (self, path);
}

void
_hl_window_init_dnd (HlWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
