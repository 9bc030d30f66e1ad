/* hl-ladder-style.h: colours, fonts and sizes of the ladder diagram.
 *
 * Two themes: light for print and slides, dark for the window's dark style.
 * Client and server are told apart by blue and orange (safe for the common
 * colour-vision deficiencies) and by side; encrypted, alert, dropped and
 * tampered messages also differ by shape and text, never by colour alone.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one font family the diagram uses; fonts-dejavu-core installs it. */
#define HL_LADDER_FONT "DejaVu Sans"
#define HL_LADDER_MONO_FONT "DejaVu Sans Mono"

typedef enum { HL_LADDER_THEME_LIGHT, HL_LADDER_THEME_DARK } HlLadderTheme;

typedef struct {
  double r, g, b;
} HlRgb;

typedef struct {
  HlRgb background, text, dim_text, line;
  HlRgb client, server; /* arrows and notes of each side */
  HlRgb alert, warning, ok;
  HlRgb band[2]; /* phase bands, alternating */
  HlRgb current; /* the step just delivered */
  HlRgb selected;
} HlLadderPalette;

const HlLadderPalette *hl_ladder_palette (HlLadderTheme theme);

G_END_DECLS
