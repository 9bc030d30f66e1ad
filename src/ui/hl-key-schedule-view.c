/* hl-key-schedule-view.c: lays the picture out again when the selection, the lesson, the
 * width or the style changes, and paints it with hl_key_schedule_paint. */
#include <glib/gi18n.h>

#include "hl-key-schedule-view.h"

#include <math.h>

#include "hl-key-schedule-paint.h"

#define MIN_WIDTH 480 /* the layout's narrowest: below it the scrolled window scrolls */

struct _HlKeyScheduleView {
  GtkWidget parent_instance;
  HlSession *session;
  HlKeyScheduleLayout *layout; /* for layout_width; NULL: to be made */
  int layout_width;
  gboolean dark;
};

G_DEFINE_FINAL_TYPE (HlKeyScheduleView, hl_key_schedule_view, GTK_TYPE_WIDGET)

static void
invalidate (HlKeyScheduleView *self)
{
  g_clear_pointer (&self->layout, hl_key_schedule_layout_free);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
on_dark (HlKeyScheduleView *self)
{
  self->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  invalidate (self);
}

static HlKeyScheduleLayout *
layout_for (HlKeyScheduleView *self, int width)
{
  const HlRun *run = self->session ? hl_session_get_run (self->session) : NULL;
  width = MAX (width, MIN_WIDTH);
  if (!run)
    return NULL;
  if (!self->layout || self->layout_width != width) {
    /* The selected step; none selected: the last one delivered (0 is the run's last). */
    HlKeyScheduleOptions o
        = { hl_session_get_selected (self->session),
            self->dark ? HL_LADDER_THEME_DARK : HL_LADDER_THEME_LIGHT, width, FALSE };
    g_clear_pointer (&self->layout, hl_key_schedule_layout_free);
    self->layout = hl_key_schedule_layout_new (run, &o);
    self->layout_width = width;
  }
  return self->layout;
}

static void
hl_key_schedule_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                              int *minimum, int *natural, int *minimum_baseline,
                              int *natural_baseline)
{
  HlKeyScheduleView *self = HL_KEY_SCHEDULE_VIEW (widget);
  if (orientation == GTK_ORIENTATION_HORIZONTAL) {
    *minimum = MIN_WIDTH;
    *natural = MIN_WIDTH;
  } else {
    HlKeyScheduleLayout *l = layout_for (self, for_size > 0 ? for_size : MIN_WIDTH);
    *minimum = *natural = l ? (int)ceil (hl_key_schedule_layout_get_height (l)) : 0;
  }
}

static GtkSizeRequestMode
hl_key_schedule_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
hl_key_schedule_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HlKeyScheduleView *self = HL_KEY_SCHEDULE_VIEW (widget);
  HlKeyScheduleLayout *l = layout_for (self, gtk_widget_get_width (widget));
  cairo_t *cr;
  if (!l)
    return;
  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (0, 0, hl_key_schedule_layout_get_width (l),
                                                       hl_key_schedule_layout_get_height (l)));
  hl_key_schedule_paint (l, cr);
  cairo_destroy (cr);
}

static void
hl_key_schedule_view_dispose (GObject *object)
{
  HlKeyScheduleView *self = HL_KEY_SCHEDULE_VIEW (object);
  hl_key_schedule_view_set_session (self, NULL);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  g_clear_pointer (&self->layout, hl_key_schedule_layout_free);
  G_OBJECT_CLASS (hl_key_schedule_view_parent_class)->dispose (object);
}

static void
hl_key_schedule_view_class_init (HlKeyScheduleViewClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_key_schedule_view_dispose;
  wc->measure = hl_key_schedule_view_measure;
  wc->get_request_mode = hl_key_schedule_view_get_request_mode;
  wc->snapshot = hl_key_schedule_view_snapshot;
  gtk_widget_class_set_accessible_role (wc, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hl_key_schedule_view_init (HlKeyScheduleView *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("TLS 1.3 key schedule: what each side holds after the "
                                     "selected step"),
                                  -1);
  self->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (on_dark),
                            self);
}

void
hl_key_schedule_view_set_session (HlKeyScheduleView *self, HlSession *session)
{
  if (!hl_session_follow (&self->session, session, self, G_CALLBACK (invalidate), "selected",
                          "position", "title", NULL))
    return;
  invalidate (self);
}

const HlKeyScheduleLayout *
hl_key_schedule_view_get_layout (HlKeyScheduleView *self)
{
  return layout_for (self, gtk_widget_get_width (GTK_WIDGET (self)));
}
