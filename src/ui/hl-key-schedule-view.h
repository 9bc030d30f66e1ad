/* hl-key-schedule-view.h: TLS 1.3's key schedule (RFC 8446 7.1) for the selected step: the
 * diagram layer's picture, laid out at the widget's width and painted as it is; nothing
 * about the schedule is decided here. Follows a session's selection and the style's
 * dark mode. */
#pragma once

#include <adwaita.h>

#include "hl-key-schedule-layout.h"
#include "hl-session.h"

G_BEGIN_DECLS

#define HL_TYPE_KEY_SCHEDULE_VIEW (hl_key_schedule_view_get_type ())
G_DECLARE_FINAL_TYPE (HlKeyScheduleView, hl_key_schedule_view, HL, KEY_SCHEDULE_VIEW, GtkWidget)

void hl_key_schedule_view_set_session (HlKeyScheduleView *self, HlSession *session);
/* The layout drawn now (for tests); NULL before a lesson is loaded. */
const HlKeyScheduleLayout *hl_key_schedule_view_get_layout (HlKeyScheduleView *self);

G_END_DECLS
