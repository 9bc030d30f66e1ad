/* hl-ladder-export.h: the diagram and handouts as files.
 *
 * Each writes to a temporary file beside the target and renames it, so a
 * failure leaves nothing behind; errors name the path the user gave. The PNG
 * is byte-identical from run to run on machines with the same fonts.
 */
#pragma once

#include "hl-key-schedule-layout.h"
#include "hl-ladder-layout.h"

G_BEGIN_DECLS

#define HL_DIAGRAM_ERROR (hl_diagram_error_quark ())
GQuark hl_diagram_error_quark (void);
typedef enum {
  HL_DIAGRAM_ERROR_DRAW,      /* cairo could not draw the format */
  HL_DIAGRAM_ERROR_TOO_LARGE, /* the PNG would be too large to open */
} HlDiagramError;

/* options->upto etc. as for the layout; scale multiplies the PNG's pixels. */
gboolean hl_ladder_export_png (const HlRun *run, const HlLadderOptions *options, double scale,
                               const char *path, GError **error);
gboolean hl_ladder_export_svg (const HlRun *run, const HlLadderOptions *options, const char *path,
                               GError **error);
/* A handout: a title page with the whole diagram, then each step from a page of its own,
 * going on to further pages when it does not fit. */
gboolean hl_ladder_export_pdf (const HlRun *run, const HlLadderOptions *options, const char *path,
                               GError **error);
/* One self-contained HTML file: the diagram, and each step's explanation,
 * fields, bytes and secrets on click or with the arrow keys. */
gboolean hl_ladder_export_html (const HlRun *run, const HlLadderOptions *options, const char *path,
                                GError **error);

/* The same, into memory (for the window's export and for tests). */
GBytes *hl_ladder_render_png (const HlRun *run, const HlLadderOptions *options, double scale,
                              GError **error);
GBytes *hl_ladder_render_svg (const HlRun *run, const HlLadderOptions *options, GError **error);
GBytes *hl_ladder_render_pdf (const HlRun *run, const HlLadderOptions *options, GError **error);
GBytes *hl_ladder_render_html (const HlRun *run, const HlLadderOptions *options, GError **error);

/* TLS 1.3's key schedule (RFC 8446 7.1) with what each side holds after options->step. */
GBytes *hl_key_schedule_render_png (const HlRun *run, const HlKeyScheduleOptions *options,
                                    double scale, GError **error);
GBytes *hl_key_schedule_render_svg (const HlRun *run, const HlKeyScheduleOptions *options,
                                    GError **error);

G_END_DECLS
