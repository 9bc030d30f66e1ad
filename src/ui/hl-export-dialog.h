/* hl-export-dialog.h: the export flow. A file chooser for a format picked in the menu,
 * then win.export-to (menu format, typed path): the format follows the typed extension
 * when it names one ("x.pdf" writes a PDF); when the extension and the menu disagree, an
 * HlExportDialog says so before anything is written and asks which to use. The file is
 * written by win.export (format, path). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HL_TYPE_EXPORT_DIALOG (hl_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlExportDialog, hl_export_dialog, HL, EXPORT_DIALOG, AdwMessageDialog)

/* Export formats by name: "png", "svg", "pdf", "html", "pcapng", "json", "md". */
/* The format a file name's extension names (".htm" is "html", ".markdown" is "md"), or
 * NULL when it names none. */
const char *hl_export_format_for_path (const char *path);
/* The format's name for people ("PDF"), or NULL for an unknown format. */
const char *hl_export_format_title (const char *format);

/* Asks where to save a `format` export, suggesting `stem`.FORMAT; then activates
 * win.export-to on `parent`. */
void hl_export_flow_choose (GtkWindow *parent, const char *format, const char *stem);

/* The extension of `path` names `name_format`, the menu said `menu_format`: asks which.
 * "extension" writes `path` as `name_format`; "menu" writes the menu's format under the
 * same name with the menu's extension; "cancel" writes nothing. */
HlExportDialog *hl_export_dialog_new (GtkWindow *parent, const char *path, const char *menu_format,
                                      const char *name_format);
/* The name the "menu" answer writes to. */
const char *hl_export_dialog_get_menu_path (HlExportDialog *self);

G_END_DECLS
