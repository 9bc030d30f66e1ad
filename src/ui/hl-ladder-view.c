/* hl-ladder-view.c */
#include <glib/gi18n.h>

#include "hl-ladder-view.h"

#include <adwaita.h>
#include <math.h>

#include "hl-ladder-labels.h"
#include "hl-ladder-layout.h"
#include "hl-ladder-paint.h"

struct _HlLadderView {
  GtkWidget parent_instance;
  HlSession *session;
  HlLadderLayout *layout; /* rebuilt when the session changes */
  double zoom;
  gboolean dark;
  guint shown_position;        /* to tell a step forward from any other change */
  double remaining;            /* of the newest arrow's travel, while it animates */
  AdwAnimation *animation;     /* the arrow travelling from sender to receiver */
  gboolean dirty;              /* the layout is out of date */
  double layout_width;         /* the canvas width asked of the layout; 0 its default */
  GPtrArray *targets;          /* HlStepTarget*, one per drawn step, children of this widget */
  HlLadderTextCache *texts;    /* text laid out for earlier layouts, reused by the next */
  gboolean hide_notes;         /* the conversation only, without the per-side key lists */
  guint reveal;                /* step to scroll fully into view after the next layout; 0 none */
  GdkFrameClock *reveal_clock; /* whose "before-paint" and "layout" signals it waits for */
  gulong reveal_handler;
  gulong reveal_early_handler;
  guint n_layouts; /* for tests: layouts made */
  /* While an arrow travels: the ladder without it, recorded once for the whole travel, so
   * that each frame draws (and sends to the X server) only the arrow's own box. */
  GskRenderNode *still;
  guint still_layout; /* n_layouts when it was recorded */
  graphene_rect_t still_area;
  double still_zoom;
  guint n_stills; /* for tests: how many were recorded */
  /* A zoom keeps the point at the view's centre (in layout pixels) where it was, once the
   * new size is laid out; the selected step is then scrolled into view. */
  double anchor_x, anchor_y;
  GdkFrameClock *anchor_clock;
  gulong anchor_handler;
};

G_DEFINE_FINAL_TYPE (HlLadderView, hl_ladder_view, GTK_TYPE_WIDGET)

/* One focusable child per drawn step, over its row: in GTK 4.8 only widgets are
 * accessible objects, so this is what a screen reader and the keyboard move
 * through ("Step 5 of 13: ClientKeyExchange, client to server"). It draws only
 * its focus ring. */
#define HL_TYPE_STEP_TARGET (hl_step_target_get_type ())
G_DECLARE_FINAL_TYPE (HlStepTarget, hl_step_target, HL, STEP_TARGET, GtkWidget)

struct _HlStepTarget {
  GtkWidget parent_instance;
  guint step;
  char *label; /* its accessible name, set again only when it changes */
};

G_DEFINE_FINAL_TYPE (HlStepTarget, hl_step_target, GTK_TYPE_WIDGET)

static void
hl_step_target_finalize (GObject *object)
{
  g_free (HL_STEP_TARGET (object)->label);
  G_OBJECT_CLASS (hl_step_target_parent_class)->finalize (object);
}

static void
hl_step_target_class_init (HlStepTargetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_step_target_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "steptarget");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_LIST_ITEM);
}

static void
hl_step_target_init (HlStepTarget *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

enum { PROP_0, PROP_SESSION, PROP_ZOOM, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* The focused step is scrolled into view; it is selected only with Enter or a click (the
 * keyboard moves through the steps without changing what the inspector shows). */
static void
on_target_focus (GtkEventControllerFocus *focus, HlLadderView *self)
{
  GtkWidget *t = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t r;
  if (sw && gtk_widget_compute_bounds (t, GTK_WIDGET (self), &r)) {
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
    double top = gtk_adjustment_get_value (v), page = gtk_adjustment_get_page_size (v);
    if (r.origin.y < top)
      gtk_adjustment_set_value (v, r.origin.y);
    else if (r.origin.y + r.size.height > top + page)
      gtk_adjustment_set_value (v, r.origin.y + r.size.height - page);
  }
}

/* The step whose target is its window's focus, active window or not (a key can reach
 * the ladder, from a test or an input method, while another window holds the keyboard). */
static int
focused_step (HlLadderView *self)
{
  for (guint i = 0; i < self->targets->len; i++)
    if (gtk_widget_is_focus (self->targets->pdata[i]))
      return i + 1;
  return 0;
}

/* As many step targets as drawn steps, each labelled for screen readers. */
static void
sync_targets (HlLadderView *self)
{
  guint n = self->layout ? hl_ladder_layout_get_n_arrows (self->layout) : 0;
  while (self->targets->len > n) {
    GtkWidget *t = g_ptr_array_steal_index (self->targets, self->targets->len - 1);
    gtk_widget_unparent (t);
  }
  while (self->targets->len < n) {
    HlStepTarget *t = g_object_new (HL_TYPE_STEP_TARGET, NULL);
    GtkEventController *focus = gtk_event_controller_focus_new ();
    t->step = self->targets->len + 1;
    g_signal_connect (focus, "enter", G_CALLBACK (on_target_focus), self);
    gtk_widget_add_controller (GTK_WIDGET (t), focus);
    gtk_widget_set_parent (GTK_WIDGET (t), GTK_WIDGET (self));
    g_ptr_array_add (self->targets, t);
  }
  for (guint i = 0; self->session && i < n; i++) {
    HlStepTarget *t = self->targets->pdata[i];
    const HlStep *step = hl_session_get_step (self->session, i);
    g_autofree char *label = step ? hl_ladder_step_title (step, n) : NULL;
    if (label && g_strcmp0 (label, t->label) != 0) {
      gtk_accessible_update_property (GTK_ACCESSIBLE (t), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_free (t->label);
      t->label = g_steal_pointer (&label);
    }
  }
}

/* Builds the layout now if the session changed since the last one. */
static void
ensure_layout (HlLadderView *self)
{
  const HlRun *run = self->session ? hl_session_get_run (self->session) : NULL;
  if (!self->dirty)
    return;
  self->dirty = FALSE;
  g_clear_pointer (&self->layout, hl_ladder_layout_free);
  if (run) {
    HlLadderOptions o = { hl_session_get_position (self->session),
                          hl_session_get_position (self->session),
                          hl_session_get_selected (self->session),
                          self->dark ? HL_LADDER_THEME_DARK : HL_LADDER_THEME_LIGHT,
                          self->layout_width,
                          self->remaining,
                          self->texts,
                          self->hide_notes };
    self->layout = hl_ladder_layout_new (run, &o);
    self->n_layouts++;
  }
  sync_targets (self);
}

/* Several notifications come with one step: the layout is rebuilt once, when
 * next needed (measure, allocation, drawing, a click). */
static void
rebuild (HlLadderView *self)
{
  self->dirty = TRUE;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
on_travel (double value, gpointer data)
{
  HlLadderView *self = data;
  self->remaining = 1 - value;
  if (self->layout && !self->dirty) {
    /* Only the arrow's end moves: the same layout and size, drawn again. Laying the whole
     * ladder out again at each of the travel's frames (about 27) cost more than the step. */
    hl_ladder_layout_set_current_remaining (self->layout, self->remaining);
    gtk_widget_queue_draw (GTK_WIDGET (self));
  } else {
    rebuild (self);
  }
}

/* One step forward: the new arrow travels from sender to receiver. The system's
 * animation setting is followed (without animations it is drawn whole at once). */
static void
on_session_changed (HlLadderView *self)
{
  guint position = self->session ? hl_session_get_position (self->session) : 0;
  if (position != self->shown_position) {
    gboolean forward = position == self->shown_position + 1;
    self->shown_position = position;
    if (self->animation)
      adw_animation_skip (self->animation);
    self->remaining = 0;
    if (forward && gtk_widget_get_mapped (GTK_WIDGET (self))) {
      if (!self->animation) {
        AdwAnimationTarget *target = adw_callback_animation_target_new (on_travel, self, NULL);
        self->animation = adw_timed_animation_new (GTK_WIDGET (self), 0, 1, 450, target);
      }
      adw_animation_reset (self->animation);
      self->remaining = 1;
      rebuild (self); /* the new step's layout; the travel's frames then only move its end */
      adw_animation_play (self->animation); /* without animations: at its end at once */
      return;
    }
  }
  rebuild (self);
}

static void
hl_ladder_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                        int *natural, int *minimum_baseline, int *natural_baseline)
{
  HlLadderView *self = HL_LADDER_VIEW (widget);
  double size = 0;
  ensure_layout (self);
  if (self->layout)
    size = orientation == GTK_ORIENTATION_HORIZONTAL ? hl_ladder_layout_get_width (self->layout)
                                                     : hl_ladder_layout_get_height (self->layout);
  *minimum = *natural = (int)ceil (size * self->zoom);
}

static void reveal_now (HlLadderView *self);

static void
stop_revealing (HlLadderView *self)
{
  /* A clock whose window went is disposed, its handlers with it. */
  if (self->reveal_handler
      && g_signal_handler_is_connected (self->reveal_clock, self->reveal_handler))
    g_signal_handler_disconnect (self->reveal_clock, self->reveal_handler);
  if (self->reveal_early_handler
      && g_signal_handler_is_connected (self->reveal_clock, self->reveal_early_handler))
    g_signal_handler_disconnect (self->reveal_clock, self->reveal_early_handler);
  self->reveal_handler = self->reveal_early_handler = 0;
  g_clear_object (&self->reveal_clock);
}

static void
on_layout_done (GdkFrameClock *clock, HlLadderView *self)
{
  reveal_now (self);
  if (!self->reveal)
    stop_revealing (self);
}

/* Scrolls step fully into view (its top, when it is taller than the view). `upper` is the
 * diagram's height as the scrolled window has it, or as it is about to get it (the
 * layout's, at least the view's) when `predicted`. FALSE when it cannot yet: the view has
 * no height, or the diagram is not that tall yet; TRUE once done, or when there is nothing
 * to scroll (no scrolled window, no such step). */
static gboolean
scroll_to_step (HlLadderView *self, guint step, gboolean predicted)
{
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *v;
  HlLadderRect r;
  double top, page, upper, margin = 12 * self->zoom, want;
  if (!sw || !self->layout || !hl_ladder_layout_get_step_rect (self->layout, step, &r))
    return TRUE;
  {
    /* The run's last step brings what follows it into view too: the run's end ("handshake
     * complete") was left below the edge after Run to End. */
    HlLadderRect next;
    double bottom = hl_ladder_layout_get_height (self->layout) - 12;
    if (self->session && !hl_session_can_step (self->session)
        && !hl_ladder_layout_get_step_rect (self->layout, step + 1, &next)
        && bottom > r.y + r.height)
      r.height = bottom - r.y;
  }
  v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
  top = gtk_adjustment_get_value (v);
  page = gtk_adjustment_get_page_size (v);
  upper = predicted ? MAX (page, ceil (hl_ladder_layout_get_height (self->layout) * self->zoom))
                    : gtk_adjustment_get_upper (v);
  if (page <= 0 || upper < (r.y + r.height) * self->zoom)
    return FALSE;
  want = top;
  if (r.y * self->zoom < top)
    want = r.y * self->zoom - margin;
  else if ((r.y + r.height) * self->zoom > top + page)
    want = MIN (r.y * self->zoom - margin, (r.y + r.height) * self->zoom - page + margin);
  if (want != top) /* with the height it is about to have, when predicted */
    gtk_adjustment_configure (v, want, gtk_adjustment_get_lower (v), upper,
                              gtk_adjustment_get_step_increment (v),
                              gtk_adjustment_get_page_increment (v), page);
  return TRUE;
}

/* Scrolls the step asked for fully into view after the frame's layout: the scrolled
 * window's adjustment then has the diagram's new height, which an idle callback could run
 * before (and scroll within the old height). Not during the allocation itself, where the
 * viewport would not move its child again. reveal_early has usually scrolled already:
 * then nothing moves here. */
static void
reveal_now (HlLadderView *self)
{
  guint step = self->reveal;
  self->reveal = 0;
  if (!scroll_to_step (self, step, FALSE))
    self->reveal = step; /* the new size is not allocated yet: after the next layout */
}

/* Scrolls to the step before the frame's layout, with the height the diagram is about to
 * get: a scroll after the layout makes GTK lay the whole window out a second time in the
 * same frame (the toplevel's size computed again, several X server round trips on X11).
 * Run as the frame begins, when the session's notifications for the step are all in and
 * the layout built now is the frame's. The view's height is the one it has now; if the
 * layout changes it (a banner shown), reveal_now corrects afterwards. */
static void
reveal_early (GdkFrameClock *clock, HlLadderView *self)
{
  g_signal_handler_disconnect (clock, self->reveal_early_handler);
  self->reveal_early_handler = 0;
  if (!self->reveal)
    return;
  ensure_layout (self);
  scroll_to_step (self, self->reveal, TRUE);
}

static void
hl_ladder_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HlLadderView *self = HL_LADDER_VIEW (widget);
  ensure_layout (self);
  for (guint i = 0; i < self->targets->len; i++) {
    HlLadderRect r;
    GtkAllocation a = { 0, 0, 0, 0 };
    if (self->layout && hl_ladder_layout_get_step_rect (self->layout, i + 1, &r))
      a = (GtkAllocation){ (int)(r.x * self->zoom), (int)(r.y * self->zoom),
                           (int)(r.width * self->zoom), (int)(r.height * self->zoom) };
    gtk_widget_size_allocate (self->targets->pdata[i], &a, -1);
  }
}

/* Up and Down move the focus through the steps, as in a list; Enter selects the focused
 * step. */
static gboolean
on_key (GtkEventControllerKey *key, guint keyval, guint code, GdkModifierType state,
        HlLadderView *self)
{
  guint at, n = self->targets->len;
  if (!self->session || n == 0)
    return FALSE;
  at = focused_step (self);
  if (!at)
    at = hl_session_get_selected (self->session);
  switch (keyval) {
  case GDK_KEY_Up:
  case GDK_KEY_KP_Up:
    at = at > 1 ? at - 1 : 1;
    break;
  case GDK_KEY_Down:
  case GDK_KEY_KP_Down:
    at = at < n ? at + 1 : n;
    break;
  case GDK_KEY_Return:
  case GDK_KEY_KP_Enter:
  case GDK_KEY_ISO_Enter:
    if (at)
      hl_session_select (self->session, MIN (at, n));
    return at != 0;
  default:
    return FALSE;
  }
  gtk_widget_grab_focus (self->targets->pdata[MAX (at, 1) - 1]);
  return TRUE;
}

/* The ladder is one Tab stop: Tab enters at the selected step (or the first) and the next
 * Tab leaves; the arrows move within. */
static gboolean
hl_ladder_view_focus (GtkWidget *widget, GtkDirectionType direction)
{
  HlLadderView *self = HL_LADDER_VIEW (widget);
  guint sel, n = self->targets->len;
  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (hl_ladder_view_parent_class)->focus (widget, direction);
  if (gtk_widget_get_focus_child (widget) || gtk_widget_is_focus (widget))
    return FALSE; /* leaving */
  if (n == 0)
    return gtk_widget_grab_focus (widget);
  sel = self->session ? hl_session_get_selected (self->session) : 0;
  return gtk_widget_grab_focus (self->targets->pdata[sel >= 1 && sel <= n ? sel - 1 : 0]);
}

/* The part of the widget its scrolled window shows: only that is painted, so a
 * large zoom never asks for a texture larger than the screen. */
static graphene_rect_t
visible_area (HlLadderView *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  GtkWidget *sw = gtk_widget_get_ancestor (w, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t r
      = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (w), gtk_widget_get_height (w));
  if (sw) {
    GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (sw));
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
    graphene_rect_t view
        = GRAPHENE_RECT_INIT (gtk_adjustment_get_value (h), gtk_adjustment_get_value (v),
                              gtk_adjustment_get_page_size (h), gtk_adjustment_get_page_size (v));
    graphene_rect_intersection (&r, &view, &r);
  }
  return r;
}

/* A cairo node over rect (widget pixels), ready to draw in layout pixels. */
static cairo_t *
begin_painting (HlLadderView *self, GtkSnapshot *snapshot, const graphene_rect_t *rect)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, rect);
  cairo_scale (cr, self->zoom, self->zoom);
  return cr;
}

/* The current step's arrow, which travels while `remaining` is above 0; NULL if none. */
static const HlLadderArrow *
travelling_arrow (HlLadderView *self)
{
  for (guint i = 0; self->layout && i < hl_ladder_layout_get_n_arrows (self->layout); i++) {
    const HlLadderArrow *a = hl_ladder_layout_get_arrow (self->layout, i);
    if (a->current)
      return a;
  }
  return NULL;
}

static void
hl_ladder_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  HlLadderView *self = HL_LADDER_VIEW (widget);
  graphene_rect_t area;
  const HlLadderArrow *moving;
  cairo_t *cr;
  ensure_layout (self);
  if (!self->layout)
    return;
  area = visible_area (self);
  if (area.size.width <= 0 || area.size.height <= 0)
    return;
  moving = self->remaining > 0 ? travelling_arrow (self) : NULL;
  if (!moving) {
    g_clear_pointer (&self->still, gsk_render_node_unref);
    cr = begin_painting (self, snapshot, &area);
    hl_ladder_paint (self->layout, cr);
    cairo_destroy (cr);
  } else {
    HlLadderRect ink;
    graphene_rect_t box;
    if (!self->still || self->still_layout != self->n_layouts
        || !graphene_rect_equal (&self->still_area, &area) || self->still_zoom != self->zoom) {
      GtkSnapshot *still = gtk_snapshot_new ();
      cr = begin_painting (self, still, &area);
      hl_ladder_paint_except (self->layout, cr, moving->step);
      cairo_destroy (cr);
      g_clear_pointer (&self->still, gsk_render_node_unref);
      self->still = gtk_snapshot_free_to_node (still);
      self->still_layout = self->n_layouts;
      self->still_area = area;
      self->still_zoom = self->zoom;
      self->n_stills++;
    }
    if (self->still)
      gtk_snapshot_append_node (snapshot, self->still);
    hl_ladder_arrow_get_ink (moving, &ink);
    if (graphene_rect_intersection (&GRAPHENE_RECT_INIT (floor (ink.x * self->zoom),
                                                         floor (ink.y * self->zoom),
                                                         ceil (ink.width * self->zoom) + 1,
                                                         ceil (ink.height * self->zoom) + 1),
                                    &area, &box)) {
      cr = begin_painting (self, snapshot, &box);
      hl_ladder_paint_arrow (self->layout, moving, cr);
      cairo_destroy (cr);
    }
  }
  for (guint i = 0; i < self->targets->len; i++)
    if (gtk_widget_has_focus (self->targets->pdata[i]))
      gtk_widget_snapshot_child (widget, self->targets->pdata[i], snapshot);
}

static void
on_click (GtkGestureClick *gesture, int n_press, double x, double y, HlLadderView *self)
{
  guint step;
  ensure_layout (self);
  if (!self->layout || !self->session)
    return;
  step = hl_ladder_layout_step_at (self->layout, x / self->zoom, y / self->zoom);
  if (step) {
    hl_session_select (self->session, step);
    if (step <= self->targets->len)
      gtk_widget_grab_focus (self->targets->pdata[step - 1]);
  }
}

static void stop_anchoring (HlLadderView *self);

static void
hl_ladder_view_dispose (GObject *object)
{
  HlLadderView *self = HL_LADDER_VIEW (object);
  hl_ladder_view_set_session (self, NULL);
  stop_revealing (self);
  stop_anchoring (self);
  g_clear_object (&self->animation);
  g_clear_pointer (&self->layout, hl_ladder_layout_free);
  g_clear_pointer (&self->still, gsk_render_node_unref);
  g_clear_pointer (&self->texts, hl_ladder_text_cache_free);
  if (self->targets) {
    for (guint i = 0; i < self->targets->len; i++)
      gtk_widget_unparent (self->targets->pdata[i]);
    g_clear_pointer (&self->targets, g_ptr_array_unref);
  }
  G_OBJECT_CLASS (hl_ladder_view_parent_class)->dispose (object);
}

static void
hl_ladder_view_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  HlLadderView *self = HL_LADDER_VIEW (object);
  if (id == PROP_SESSION)
    g_value_set_object (value, self->session);
  else if (id == PROP_ZOOM)
    g_value_set_double (value, self->zoom);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
hl_ladder_view_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  HlLadderView *self = HL_LADDER_VIEW (object);
  if (id == PROP_SESSION)
    hl_ladder_view_set_session (self, g_value_get_object (value));
  else if (id == PROP_ZOOM)
    hl_ladder_view_set_zoom (self, g_value_get_double (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
hl_ladder_view_class_init (HlLadderViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = hl_ladder_view_dispose;
  object_class->get_property = hl_ladder_view_get_property;
  object_class->set_property = hl_ladder_view_set_property;
  widget_class->measure = hl_ladder_view_measure;
  widget_class->snapshot = hl_ladder_view_snapshot;
  widget_class->focus = hl_ladder_view_focus;
  widget_class->size_allocate = hl_ladder_view_size_allocate;
  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, HL_TYPE_SESSION,
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM]
      = g_param_spec_double ("zoom", NULL, NULL, 0.25, 4, 1,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "ladder");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST);
}

static void
hl_ladder_view_init (HlLadderView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  self->zoom = 1;
  self->targets = g_ptr_array_new ();
  self->texts = hl_ladder_text_cache_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Steps of the handshake"), -1);
}

GtkWidget *
hl_ladder_view_new (void)
{
  return g_object_new (HL_TYPE_LADDER_VIEW, NULL);
}

void
hl_ladder_view_set_session (HlLadderView *self, HlSession *session)
{
  if (!hl_session_follow (&self->session, session, self, G_CALLBACK (on_session_changed),
                          "position", "selected", "title", "finished", NULL))
    return;
  self->shown_position = session ? hl_session_get_position (session) : 0;
  self->remaining = 0;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

HlSession *
hl_ladder_view_get_session (HlLadderView *self)
{
  return self->session;
}

static void
stop_anchoring (HlLadderView *self)
{
  if (self->anchor_handler
      && g_signal_handler_is_connected (self->anchor_clock, self->anchor_handler))
    g_signal_handler_disconnect (self->anchor_clock, self->anchor_handler);
  self->anchor_handler = 0;
  g_clear_object (&self->anchor_clock);
}

/* After the layout at the new zoom: the anchor back at the centre (the scrolled window's
 * adjustments have the new size now; they clamp what lies past the end). */
static void
on_zoom_laid_out (GdkFrameClock *clock, HlLadderView *self)
{
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  stop_anchoring (self);
  if (!sw)
    return;
  {
    GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (sw));
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
    gtk_adjustment_set_value (h,
                              self->anchor_x * self->zoom - gtk_adjustment_get_page_size (h) / 2);
    gtk_adjustment_set_value (v,
                              self->anchor_y * self->zoom - gtk_adjustment_get_page_size (v) / 2);
  }
  if (self->session && hl_session_get_selected (self->session))
    scroll_to_step (self, hl_session_get_selected (self->session), FALSE);
}

void
hl_ladder_view_set_zoom (HlLadderView *self, double zoom)
{
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  zoom = CLAMP (zoom, 0.25, 4);
  if (zoom == self->zoom)
    return;
  if (sw && clock) {
    /* Where the view's centre is, before the zoom moves everything away from it. */
    GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (sw));
    GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
    if (!self->anchor_handler) {
      self->anchor_x
          = (gtk_adjustment_get_value (h) + gtk_adjustment_get_page_size (h) / 2) / self->zoom;
      self->anchor_y
          = (gtk_adjustment_get_value (v) + gtk_adjustment_get_page_size (v) / 2) / self->zoom;
      self->anchor_clock = g_object_ref (clock);
      self->anchor_handler
          = g_signal_connect_after (clock, "layout", G_CALLBACK (on_zoom_laid_out), self);
    }
  }
  self->zoom = zoom;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

double
hl_ladder_view_get_zoom (HlLadderView *self)
{
  return self->zoom;
}

void
hl_ladder_view_set_dark (HlLadderView *self, gboolean dark)
{
  if (self->dark == dark)
    return;
  self->dark = dark;
  rebuild (self);
}

guint
hl_ladder_view_get_n_layouts (HlLadderView *self)
{
  return self->n_layouts;
}

guint
hl_ladder_view_get_n_stills (HlLadderView *self)
{
  return self->n_stills;
}

gboolean
hl_ladder_view_get_step_area (HlLadderView *self, guint n, graphene_rect_t *area)
{
  HlLadderRect r;
  ensure_layout (self);
  if (!self->layout || !hl_ladder_layout_get_step_rect (self->layout, n, &r))
    return FALSE;
  graphene_rect_init (area, r.x * self->zoom, r.y * self->zoom, r.width * self->zoom,
                      r.height * self->zoom);
  return TRUE;
}

void
hl_ladder_view_reveal_step (HlLadderView *self, guint n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  self->reveal = n;
  if (!clock || !n)
    return;
  if (self->reveal_clock != clock)
    stop_revealing (self); /* a new window, or none connected yet */
  /* Connected after the window's own handler, which lays the widgets out. */
  if (!self->reveal_handler) {
    self->reveal_clock = g_object_ref (clock);
    self->reveal_handler
        = g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout_done), self);
  }
  if (!self->reveal_early_handler)
    self->reveal_early_handler
        = g_signal_connect (clock, "before-paint", G_CALLBACK (reveal_early), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
hl_ladder_view_set_show_notes (HlLadderView *self, gboolean show)
{
  if (self->hide_notes == !show)
    return;
  self->hide_notes = !show;
  rebuild (self);
}

gboolean
hl_ladder_view_get_show_notes (HlLadderView *self)
{
  return !self->hide_notes;
}

void
hl_ladder_view_get_layout_size (HlLadderView *self, double *width, double *height)
{
  ensure_layout (self);
  *width = self->layout ? hl_ladder_layout_get_width (self->layout) : 0;
  *height = self->layout ? hl_ladder_layout_get_height (self->layout) : 0;
}

void
hl_ladder_view_set_layout_width (HlLadderView *self, double width)
{
  if (width == self->layout_width)
    return;
  self->layout_width = width;
  rebuild (self);
}
