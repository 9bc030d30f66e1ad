/* hl-export-dialog.c: choosing where to export, and the format the name asks for. */
#include "hl-export-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

struct _HlExportDialog {
  AdwMessageDialog parent_instance;
  GtkWindow *parent; /* whose win.export writes the file; weak */
  char *path, *menu_path, *menu_format, *name_format;
};

G_DEFINE_FINAL_TYPE (HlExportDialog, hl_export_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const struct {
  const char *format, *extension, *title;
} formats[] = {
  { "png", "png", N_ ("PNG") },          { "svg", "svg", N_ ("SVG") },
  { "pdf", "pdf", N_ ("PDF") },          { "html", "html", N_ ("HTML") },
  { "html", "htm", N_ ("HTML") },        { "pcapng", "pcapng", N_ ("Wireshark capture") },
  { "json", "json", N_ ("JSON") },       { "md", "md", N_ ("Markdown") },
  { "md", "markdown", N_ ("Markdown") },
};

const char *
hl_export_format_for_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  if (!dot || dot == base)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (dot + 1, formats[i].extension) == 0)
      return formats[i].format;
  return NULL;
}

const char *
hl_export_format_title (const char *format)
{
  for (guint i = 0; format && i < G_N_ELEMENTS (formats); i++)
    if (strcmp (format, formats[i].format) == 0)
      return _ (formats[i].title);
  return NULL;
}

static void
on_chosen (GtkNativeDialog *dialog, int response, GtkWindow *parent)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
    g_autofree char *path = file ? g_file_get_path (file) : NULL;
    const char *format = g_object_get_data (G_OBJECT (dialog), "format");
    if (path)
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.export-to", "(ss)", format, path);
  }
  g_object_unref (dialog);
}

void
hl_export_flow_choose (GtkWindow *parent, const char *format, const char *stem)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
      _ ("Export"), parent, GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  g_autofree char *suggested = g_strdup_printf ("%s.%s", stem, format);
  g_object_set_data_full (G_OBJECT (dialog), "format", g_strdup (format), g_free);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  g_signal_connect (dialog, "response", G_CALLBACK (on_chosen), parent);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
hl_export_dialog_response (AdwMessageDialog *dialog, const char *response)
{
  HlExportDialog *self = HL_EXPORT_DIALOG (dialog);
  if (!self->parent)
    return;
  if (g_str_equal (response, "extension"))
    gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.export", "(ss)", self->name_format,
                                self->path);
  else if (g_str_equal (response, "menu"))
    gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.export", "(ss)", self->menu_format,
                                self->menu_path);
}

/* "x.pdf" with PNG from the menu: "x.png". */
static char *
with_extension (const char *path, const char *format)
{
  const char *slash = strrchr (path, G_DIR_SEPARATOR);
  const char *dot = strrchr (path, '.');
  gsize stem = dot && (!slash || dot > slash + 1) ? (gsize)(dot - path) : strlen (path);
  return g_strdup_printf ("%.*s.%s", (int)stem, path, format);
}

HlExportDialog *
hl_export_dialog_new (GtkWindow *parent, const char *path, const char *menu_format,
                      const char *name_format)
{
  HlExportDialog *self = g_object_new (HL_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  AdwMessageDialog *d = ADW_MESSAGE_DIALOG (self);
  g_autofree char *base = g_path_get_basename (path);
  const char *name_title = hl_export_format_title (name_format);
  const char *menu_title = hl_export_format_title (menu_format);
  g_autofree char *heading = g_strdup_printf (_ ("Save as %s?"), name_title);
  g_autofree char *menu_base = NULL;
  g_autofree char *body = NULL;
  g_autofree char *as_name = g_strdup_printf (_ ("Save as _%s"), name_title);
  g_autofree char *as_menu = g_strdup_printf (_ ("Save as %s"), menu_title);
  self->parent = parent;
  g_object_add_weak_pointer (G_OBJECT (parent), (gpointer *)&self->parent);
  self->path = g_strdup (path);
  self->menu_path = with_extension (path, menu_format);
  self->menu_format = g_strdup (menu_format);
  self->name_format = g_strdup (name_format);
  menu_base = g_path_get_basename (self->menu_path);
  /* TRANSLATORS: “x.pdf” names a PDF file, but PNG was chosen in the menu. */
  body = g_strdup_printf (_ ("The name “%s” asks for a %s file, but %s was chosen in the menu. "
                             "Nothing has been written yet.\n\nSave “%s” as %s, or “%s” as %s?"),
                          base, name_title, menu_title, base, name_title, menu_base, menu_title);
  adw_message_dialog_set_heading (d, heading);
  adw_message_dialog_set_body (d, body);
  adw_message_dialog_set_response_label (d, "extension", as_name);
  adw_message_dialog_set_response_label (d, "menu", as_menu);
  return self;
}

const char *
hl_export_dialog_get_menu_path (HlExportDialog *self)
{
  return self->menu_path;
}

static void
hl_export_dialog_dispose (GObject *object)
{
  HlExportDialog *self = HL_EXPORT_DIALOG (object);
  if (self->parent) {
    g_object_remove_weak_pointer (G_OBJECT (self->parent), (gpointer *)&self->parent);
    self->parent = NULL;
  }
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (hl_export_dialog_parent_class)->dispose (object);
}

static void
hl_export_dialog_finalize (GObject *object)
{
  HlExportDialog *self = HL_EXPORT_DIALOG (object);
  g_free (self->path);
  g_free (self->menu_path);
  g_free (self->menu_format);
  g_free (self->name_format);
  G_OBJECT_CLASS (hl_export_dialog_parent_class)->finalize (object);
}

static void
hl_export_dialog_class_init (HlExportDialogClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_export_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = hl_export_dialog_finalize;
  ADW_MESSAGE_DIALOG_CLASS (klass)->response = hl_export_dialog_response;
  gtk_widget_class_set_template_from_resource (
      wc, "/io/github/handshakelab/HandshakeLab/hl-export-dialog.ui");
}

static void
hl_export_dialog_init (HlExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
