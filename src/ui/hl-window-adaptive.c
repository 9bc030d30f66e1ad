/* hl-window-adaptive.c: HlWindow's layout for its width. libadwaita 1.2 has no
 * AdwBreakpoint (1.4), so the breakpoints are taken by hand from the width the window is
 * given:
 *   - 1000 pixels and wider: the inspector beside the ladder, in a pane the reader resizes;
 *   - narrower: the inspector moves into an AdwFlap under the ladder, which the Inspector
 *     button hides and shows, and Run to End and the speed go into the controls' menu;
 *   - below 760 pixels (half a laptop screen, a phone): the flap folds over the ladder and
 *     is shown on demand, the ladder shows the conversation without the key lists, and
 *     Restart and Tamper join the menu. */
#include "hl-window-private.h"

#include <glib/gi18n.h>

#define WIDE_FROM 1000
#define MEDIUM_FROM 760

static void (*parent_size_allocate) (GtkWidget *, int, int, int);

static HlWindowMode
mode_for_width (int width)
{
  return width >= WIDE_FROM     ? HL_WINDOW_WIDE
         : width >= MEDIUM_FROM ? HL_WINDOW_MEDIUM
                                : HL_WINDOW_NARROW;
}

/* What comes next: in the controls row, or on a line of its own under it. */
static void
place_next_label (HlWindow *self, gboolean own_line)
{
  GtkWidget *label = GTK_WIDGET (self->next_label);
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (self->back_button));
  GtkWidget *column = gtk_widget_get_parent (row);
  if ((gtk_widget_get_parent (label) == column) == own_line)
    return;
  g_object_ref (label);
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (label)), label);
  if (own_line)
    gtk_box_insert_child_after (GTK_BOX (column), label, row);
  else
    gtk_box_insert_child_after (GTK_BOX (row), label, GTK_WIDGET (self->run_button));
  gtk_widget_set_margin_start (label, own_line ? 12 : 6);
  gtk_widget_set_margin_end (label, own_line ? 12 : 0);
  gtk_widget_set_margin_bottom (label, own_line ? 6 : 0);
  g_object_unref (label);
}

/* The controls row: everything on a wide window; below 1000 pixels Run to End and the
 * speed go into a menu (what comes next keeps some room); on a narrow window also
 * Restart and Tamper, Back becomes an icon, and so does Lessons in the header. */
static void
set_compact (HlWindow *self, HlWindowMode mode)
{
  gboolean narrow = mode == HL_WINDOW_NARROW;
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), mode == HL_WINDOW_WIDE);
  gtk_widget_set_visible (GTK_WIDGET (self->speed_menu_button), mode == HL_WINDOW_WIDE);
  gtk_widget_set_visible (GTK_WIDGET (self->restart_button), !narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->tamper_button), !narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->controls_more), mode != HL_WINDOW_WIDE);
  if (narrow) {
    gtk_button_set_icon_name (self->back_button, "go-previous-symbolic");
    gtk_menu_button_set_icon_name (self->lessons_button, "view-list-symbolic");
  } else {
    gtk_button_set_label (self->back_button, _ ("← Back"));
    gtk_menu_button_set_label (self->lessons_button, _ ("Lessons"));
  }
  /* Icons alone still say what they are to a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Back"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->lessons_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Lessons"), -1);
  /* Play keeps one width for Play and Pause only where there is room for it. */
  gtk_widget_set_size_request (GTK_WIDGET (self->play_button), narrow ? -1 : 104, -1);
  /* The Inspector and menu buttons at the row's end, what comes next on its own line. */
  gtk_widget_set_hexpand (GTK_WIDGET (self->inspector_button), narrow);
  gtk_widget_set_halign (GTK_WIDGET (self->inspector_button),
                         narrow ? GTK_ALIGN_END : GTK_ALIGN_FILL);
  place_next_label (self, narrow);
  /* The view switcher fits a phone's width with shorter names, each button as wide as its
   * own (GtkStackSwitcher makes them all as wide as the widest). */
  {
    GtkWidget *switcher = gtk_widget_get_first_child (GTK_WIDGET (self->side));
    GtkLayoutManager *box = switcher ? gtk_widget_get_layout_manager (switcher) : NULL;
    if (GTK_IS_BOX_LAYOUT (box))
      gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (box), !narrow);
    if (narrow)
      gtk_widget_add_css_class (switcher, "narrow"); /* less padding: style.css */
    else
      gtk_widget_remove_css_class (switcher, "narrow");
  }
  gtk_stack_page_set_title (
      gtk_stack_get_page (self->side_stack,
                          gtk_stack_get_child_by_name (self->side_stack, "knowledge")),
      narrow ? _ ("Knowledge") : _ ("What Each Side Knows"));
  gtk_stack_page_set_title (
      gtk_stack_get_page (self->side_stack,
                          gtk_stack_get_child_by_name (self->side_stack, "schedule")),
      narrow ? _ ("Schedule") : _ ("Key Schedule"));
}

/* Moves the side box (message, knowledge, key schedule) between the pane and the flap. */
static void
place_side (HlWindow *self, gboolean in_flap)
{
  GtkWidget *side = GTK_WIDGET (self->side);
  if ((gtk_widget_get_parent (side) == GTK_WIDGET (self->flap)) == in_flap)
    return;
  g_object_ref (side);
  if (in_flap) {
    gtk_paned_set_end_child (self->paned, NULL);
    adw_flap_set_flap (self->flap, side);
  } else {
    adw_flap_set_flap (self->flap, NULL);
    gtk_paned_set_end_child (self->paned, side);
  }
  g_object_unref (side);
}

void
_hl_window_set_mode (HlWindow *self, HlWindowMode mode)
{
  if (mode == self->mode)
    return;
  self->mode = mode;
  place_side (self, mode != HL_WINDOW_WIDE);
  if (mode == HL_WINDOW_MEDIUM) {
    /* Under the ladder, half the height, hidden with the Inspector button. */
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->flap), GTK_ORIENTATION_VERTICAL);
    adw_flap_set_fold_policy (self->flap, ADW_FLAP_FOLD_POLICY_NEVER);
    adw_flap_set_modal (self->flap, FALSE);
    adw_flap_set_separator (self->flap, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
    adw_flap_set_reveal_flap (self->flap, TRUE);
  } else if (mode == HL_WINDOW_NARROW) {
    /* Over the ladder, from the side, until closed (Escape or a click beside it). */
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->flap), GTK_ORIENTATION_HORIZONTAL);
    adw_flap_set_separator (self->flap, NULL);
    adw_flap_set_fold_policy (self->flap, ADW_FLAP_FOLD_POLICY_ALWAYS);
    adw_flap_set_modal (self->flap, TRUE);
    adw_flap_set_reveal_flap (self->flap, FALSE);
  }
  /* Over the ladder, the whole width (not a strip of the ladder beside it). */
  gtk_widget_set_hexpand (GTK_WIDGET (self->side), mode == HL_WINDOW_NARROW);
  if (mode == HL_WINDOW_WIDE) {
    adw_flap_set_separator (self->flap, NULL);
  }
  /* Under the ladder the flap takes half the height, and at least what the inspector needs
   * to show its fields and bytes (800x600 would otherwise leave it too short). */
  gtk_widget_set_size_request (GTK_WIDGET (self->side), -1, mode == HL_WINDOW_MEDIUM ? 310 : -1);
  gtk_widget_set_visible (GTK_WIDGET (self->inspector_button), mode != HL_WINDOW_WIDE);
  set_compact (self, mode);
  _hl_window_hold_key_lists (self, HL_WINDOW_HOLD_NARROW, mode == HL_WINDOW_NARROW);
  _hl_window_fit (self);
}

static gboolean
apply_mode_later (gpointer data)
{
  HlWindow *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  if (width > 0 && self->flap) /* not once the window is gone (its template children too) */
    _hl_window_set_mode (self, mode_for_width (width));
  return G_SOURCE_REMOVE;
}

/* The width is known while allocating, where the widget tree must not change: the mode
 * follows right after, before the next frame. */
static void
hl_window_adaptive_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  HlWindow *self = HL_WINDOW (widget);
  parent_size_allocate (widget, width, height, baseline);
  if (mode_for_width (width) != self->mode)
    g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, apply_mode_later, g_object_ref (self),
                     g_object_unref);
}

/* Before the window is shown, its default width decides: the first frame already has the
 * layout (and the minimum width) of its mode. */
static void
on_default_width (HlWindow *self)
{
  int width, height;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0)
    _hl_window_set_mode (self, mode_for_width (width));
}

/* The menu's popover is made when it is first opened, as the header's are. */
static void
create_controls_menu (GtkMenuButton *button, gpointer data)
{
  HlWindow *self = data;
  gtk_menu_button_set_menu_model (button, self->controls_menu);
}

void
_hl_window_class_init_adaptive (GtkWidgetClass *wc)
{
  parent_size_allocate = wc->size_allocate;
  wc->size_allocate = hl_window_adaptive_size_allocate;
  gtk_widget_class_bind_template_child (wc, HlWindow, flap);
  gtk_widget_class_bind_template_child (wc, HlWindow, side);
  gtk_widget_class_bind_template_child (wc, HlWindow, restart_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, back_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, step_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, run_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, tamper_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, inspector_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, controls_more);
  gtk_widget_class_bind_template_child (wc, HlWindow, controls_menu);
}

void
_hl_window_init_adaptive (HlWindow *self)
{
  self->mode = HL_WINDOW_WIDE; /* as the template builds it */
  g_object_bind_property (self->inspector_button, "active", self->flap, "reveal-flap",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_menu_button_set_create_popup_func (self->controls_more, create_controls_menu, self, NULL);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_default_width), NULL);
  on_default_width (self);
}
