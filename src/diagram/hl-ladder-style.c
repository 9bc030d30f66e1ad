/* hl-ladder-style.c: the two palettes. */
#include "hl-ladder-style.h"

#define RGB(hex)                                                                                   \
  {                                                                                                \
    ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex)&0xff) / 255.0                \
  }

static const HlLadderPalette light = {
  .background = RGB (0xffffff),
  .text = RGB (0x1d1d1d),
  .dim_text = RGB (0x5e5c64),
  .line = RGB (0x77767b),
  .client = RGB (0x1a5fb4),
  .server = RGB (0xa84300),
  .alert = RGB (0xc01c28),
  .warning = RGB (0x8a5a00),
  .ok = RGB (0x26742b),
  .band = { RGB (0xf4f3f1), RGB (0xffffff) },
  .current = RGB (0xfcefb4),
  .selected = RGB (0xdce8fa),
};

static const HlLadderPalette dark = {
  .background = RGB (0x242424),
  .text = RGB (0xf6f5f4),
  .dim_text = RGB (0xc0bfbc),
  .line = RGB (0x9a9996),
  .client = RGB (0x78aeed),
  .server = RGB (0xffa348),
  .alert = RGB (0xff7b63),
  .warning = RGB (0xf8e45c),
  .ok = RGB (0x8ff0a4),
  .band = { RGB (0x2e2e32), RGB (0x242424) },
  .current = RGB (0x4d4520),
  .selected = RGB (0x1f3a5f),
};

const HlLadderPalette *
hl_ladder_palette (HlLadderTheme theme)
{
  return theme == HL_LADDER_THEME_DARK ? &dark : &light;
}
