/* hl-key-schedule-paint.h: draws a key-schedule layout on any cairo surface (image, SVG,
 * PDF, or a widget's snapshot), in layout pixels from (0, 0). */
#pragma once

#include <cairo.h>

#include "hl-key-schedule-layout.h"

G_BEGIN_DECLS

void hl_key_schedule_paint (const HlKeyScheduleLayout *layout, cairo_t *cr);

G_END_DECLS
