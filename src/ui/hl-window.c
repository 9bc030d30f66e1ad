/* hl-window.c: HlWindow, the class and its template. Its actions are in
 * hl-window-actions.c, dropping files in hl-window-dnd.c, and each dialog is a class of
 * its own (hl-tamper-dialog.c, hl-export-dialog.c, hl-lesson-picker.c). */
#include "hl-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hl-capture-reader.h"
#include "hl-i18n.h"
#include "hl-key-schedule-view.h"
#include "hl-quiz-dialog.h"

G_DEFINE_FINAL_TYPE (HlWindow, hl_window, ADW_TYPE_APPLICATION_WINDOW)

void
_hl_window_note (HlWindow *self, const char *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
}

void
_hl_window_say (HlWindow *self, const char *message)
{
  AdwToast *toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  if (self->toast)
    adw_toast_dismiss (self->toast);
  g_set_object (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toasts, toast);
  _hl_window_note (self, message);
}

static void schedule_scroll (HlWindow *self);

/* Enables each action for what the session can do now, and says what comes next. */
void
_hl_window_update (HlWindow *self)
{
  HlSession *s = self->session;
  HlNextMessage next;
  _hl_window_update_actions (self);
  if (hl_session_peek_next (s, &next) && hl_quiz_dialog_is_open (self)) {
    /* The quiz asks who sends next: the answer is not shown beside it. */
    gtk_label_set_text (self->next_label, _ ("Next: the quiz asks it"));
  } else if (hl_session_peek_next (s, &next)) {
    g_autofree char *text
        = g_strdup_printf (_ ("Next: %s, %s to %s%s"), next.message, hl_side_word (next.from),
                           hl_side_word (hl_side_other (next.from)),
                           hl_session_next_is_edited (s) ? _ (" · changed by you") : "");
    gtk_label_set_text (self->next_label, text);
  } else {
    gtk_label_set_text (self->next_label,
                        hl_session_get_finished (s) ? _ ("The run is over.") : "");
  }
  {
    g_autofree char *sub
        = g_strdup_printf (_ ("%u delivered · viewing step %u"), hl_session_get_position (s),
                           hl_session_get_selected (s));
    g_autofree char *source = _hl_window_describe_source (self);
    g_autofree char *full = NULL;
    const char *where = hl_session_get_position (s) ? sub : _ ("Press Step (→) to begin");
    if (source) /* a recording says where it came from */
      where = full = g_strdup_printf ("%s · %s", source, where);
    adw_window_title_set_title (
        self->window_title, hl_session_get_title (s) ? hl_session_get_title (s) : "Handshake Lab");
    adw_window_title_set_subtitle (self->window_title, where);
  }
  if (self->presentation)
    _hl_window_fit (self); /* the ladder grew: fit its height again */
  if (hl_session_get_outcome (s)) {
    gtk_label_set_text (self->banner, hl_session_get_outcome (s));
    gtk_widget_remove_css_class (GTK_WIDGET (self->banner), "success");
    gtk_widget_remove_css_class (GTK_WIDGET (self->banner), "error");
    gtk_widget_add_css_class (GTK_WIDGET (self->banner),
                              hl_session_get_succeeded (s) ? "success" : "error");
    if (!gtk_widget_get_visible (GTK_WIDGET (self->banner))) {
      gtk_widget_set_visible (GTK_WIDGET (self->banner), TRUE);
      schedule_scroll (self); /* the banner took height from the diagram */
    }
  } else {
    gtk_widget_set_visible (GTK_WIDGET (self->banner), FALSE);
  }
}

/* Keeps the selected step wholly in view, once the diagram has its new size (an idle
 * callback could run before that and leave the step cut off at the bottom edge). */
static void
schedule_scroll (HlWindow *self)
{
  hl_ladder_view_reveal_step (self->ladder, hl_session_get_selected (self->session));
}

static void
on_selected (HlWindow *self)
{
  _hl_window_update (self);
  schedule_scroll (self);
}

/* A file that does not load gets a dialog, not a toast: its FILE:LINE message must stay
 * until read, and the reader must know the lesson on screen is still the old one. The
 * message scrolls inside the dialog (one naming every cipher suite is longer than a
 * 768-pixel screen) so that the Close button stays on screen. */
void
_hl_window_show_load_error (HlWindow *self, const char *path, const GError *error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *heading = g_strdup_printf (_ ("Could Not Open “%s”"), name);
  GtkWidget *dialog = adw_message_dialog_new (
      GTK_WINDOW (self), heading,
      hl_session_get_run (self->session)
          ? _ ("The lesson that was open stays open. Fix the file and open it again.")
          : _ ("The default lesson opens instead. Fix the file and open it again."));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new (error->message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_widget_set_size_request (scroller, 520, -1); /* suite names are long words */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  g_free (self->last_message);
  self->last_message = g_strdup_printf ("%s\n\n%s", error->message,
                                        adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
}

gboolean
hl_window_load (HlWindow *self, const char *path)
{
  g_autoptr (GError) error = NULL;
  if (hl_capture_sniff (path))
    return hl_window_open_capture (self, path, NULL, 0);
  if (!hl_session_load (self->session, path, &error)) {
    _hl_window_show_load_error (self, path, error);
    return FALSE;
  }
  _hl_window_leave_capture (self);
  _hl_window_update (self);
  hl_quiz_dialog_open_for_lesson (self);
  return TRUE;
}

static void
on_lesson_chosen (HlWindow *self, const char *path)
{
  hl_window_load (self, path);
}

/* The "play-speed" property, behind the stateful win.speed action: the speed menu
 * shows the current choice as a radio item. */
enum { PROP_0, PROP_PLAY_SPEED, PROP_SHOW_KEY_LISTS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
set_play_speed (HlWindow *self, const char *speed)
{
  gboolean playing = self->play_source != 0;
  if (!speed || g_strcmp0 (speed, self->play_speed) == 0)
    return;
  g_free (self->play_speed);
  self->play_speed = g_strdup (speed);
  self->play_interval_ms = g_str_equal (speed, "slow")   ? 2500
                           : g_str_equal (speed, "fast") ? 600
                                                         : 1200;
  if (playing) { /* restart the timer at the new pace */
    _hl_window_stop_playing (self);
    gtk_widget_activate_action (GTK_WIDGET (self), "win.play", NULL);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAY_SPEED]);
}

static void
set_show_key_lists (HlWindow *self, gboolean show)
{
  if (self->show_key_lists == !!show)
    return;
  self->show_key_lists = !!show;
  hl_ladder_view_set_show_notes (self->ladder, show);
  _hl_window_fit (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_KEY_LISTS]);
}

void
_hl_window_hold_key_lists (HlWindow *self, HlWindowHold why, gboolean hold)
{
  guint before = self->key_list_holds;
  self->key_list_holds = hold ? before | why : before & ~why;
  if (!before && self->key_list_holds) {
    self->key_lists_saved = self->show_key_lists;
    set_show_key_lists (self, FALSE);
  } else if (before && !self->key_list_holds) {
    set_show_key_lists (self, self->key_lists_saved);
  }
}

static void
hl_window_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  if (id == PROP_PLAY_SPEED)
    g_value_set_string (value, HL_WINDOW (object)->play_speed);
  else if (id == PROP_SHOW_KEY_LISTS)
    g_value_set_boolean (value, HL_WINDOW (object)->show_key_lists);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
hl_window_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  if (id == PROP_PLAY_SPEED)
    set_play_speed (HL_WINDOW (object), g_value_get_string (value));
  else if (id == PROP_SHOW_KEY_LISTS)
    set_show_key_lists (HL_WINDOW (object), g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

/* A menu button's tooltip sits just below it, where its popover's title is: no tooltip
 * while the popover is open. */
static void
on_popover_visible (GtkWidget *popover, GParamSpec *pspec, GtkWidget *button)
{
  gtk_widget_set_has_tooltip (button, !gtk_widget_get_visible (popover));
}

static void
hide_tooltip_while_open (GtkMenuButton *button)
{
  GtkPopover *popover = gtk_menu_button_get_popover (button);
  if (popover)
    g_signal_connect_object (popover, "notify::visible", G_CALLBACK (on_popover_visible), button,
                             0);
}

/* A menu's popover is made when it is first opened: making both with the window cost a
 * twentieth of the time to the first frame. */
static void
create_menu_popup (GtkMenuButton *button, gpointer data)
{
  HlWindow *self = data;
  gtk_menu_button_set_menu_model (button, button == self->main_menu_button ? self->main_menu
                                                                           : self->speed_menu);
  hide_tooltip_while_open (button);
  gtk_widget_set_has_tooltip (GTK_WIDGET (button), FALSE); /* opening now */
}

static void
on_dark_changed (HlWindow *self)
{
  hl_ladder_view_set_dark (self->ladder,
                           adw_style_manager_get_dark (adw_style_manager_get_default ()));
}

/* Until the person zooms, the whole width of the diagram fits the pane. */
static void
apply_fit (gpointer data)
{
  HlWindow *self = data;
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->ladder_scroller);
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (self->ladder_scroller);
  double page = gtk_adjustment_get_page_size (h);
  if (self->fit && page > 100) {
    /* The diagram is laid out for the pane's width, at full text size; only a pane
     * narrower than the narrowest layout (900 px, 320 without the key lists) scales it
     * down. */
    double width = page - 2, height = gtk_adjustment_get_page_size (v) - 2;
    double narrowest = self->show_key_lists ? 900 : 320;
    if (self->presentation) {
      /* For the back row: a 1000-pixel layout scaled up to the screen's width, or less
       * to fit the ladder to the screen's height, down to 1.2 times its size; laid out
       * as wide as the screen either way. */
      double lw, lh, zoom = CLAMP (width / 1000.0, 0.5, 2.5);
      hl_ladder_view_get_layout_size (self->ladder, &lw, &lh);
      if (lh > 0 && height > 100)
        zoom = MAX (MIN (zoom, height / lh), MIN (zoom, 1.2));
      hl_ladder_view_set_layout_width (self->ladder, width / zoom);
      hl_ladder_view_set_zoom (self->ladder, zoom);
    } else {
      /* The lists need 900 px: in a narrower pane (the inspector beside the ladder on a
       * 1024-pixel projector) they would shrink the whole ladder below 0.8 of its size, its
       * text too small to read from a seat; the conversation alone is laid out to the pane at
       * full size instead, the lists staying on the knowledge page (Ctrl+K brings them back
       * here). */
      _hl_window_hold_key_lists (self, HL_WINDOW_HOLD_SQUEEZED, width < 0.8 * 900);
      narrowest = self->show_key_lists ? 900 : 320;
      hl_ladder_view_set_layout_width (self->ladder, MAX (width, narrowest));
      hl_ladder_view_set_zoom (self->ladder, CLAMP (width / narrowest, 0.5, 1.0));
    }
    schedule_scroll (self);
  }
  g_object_unref (self);
}

/* The pane's width changes during a size allocation: zoom after it, not inside it. */
void
_hl_window_fit (HlWindow *self)
{
  if (self->fit)
    g_idle_add_once (apply_fit, g_object_ref (self));
}

/* Only the visible part of the ladder is painted: repaint when it scrolls. */
static void
on_scrolled (HlWindow *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->ladder));
}

/* The stepping keys work wherever the focus is (except in a text field): caught
 * before buttons and lists get them, which would otherwise move the focus. */
static gboolean
on_key (GtkEventControllerKey *key, guint keyval, guint code, GdkModifierType state, HlWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  const char *action = NULL;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return FALSE;
  if (focus
      && (GTK_IS_EDITABLE (focus)
          || (GTK_IS_TEXT_VIEW (focus) && gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))))
    return FALSE;
  switch (keyval) {
  case GDK_KEY_Right:
  case GDK_KEY_space:
    action = "win.step";
    break;
  case GDK_KEY_Left:
    action = "win.back";
    break;
  case GDK_KEY_Home:
    action = "win.restart";
    break;
  case GDK_KEY_End:
    action = "win.run-to-end";
    break;
  case GDK_KEY_p:
    action = "win.play";
    break;
  default:
    return FALSE;
  }
  gtk_widget_activate_action (GTK_WIDGET (self), action, NULL);
  return TRUE;
}

static void
hl_window_dispose (GObject *object)
{
  HlWindow *self = HL_WINDOW (object);
  g_clear_handle_id (&self->play_source, g_source_remove);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_WINDOW);
  g_clear_object (&self->session);
  g_clear_pointer (&self->last_message, g_free);
  g_clear_object (&self->toast);
  g_clear_pointer (&self->play_speed, g_free);
  g_clear_object (&self->busy_cursor);
  _hl_window_free_capture (self);
  G_OBJECT_CLASS (hl_window_parent_class)->dispose (object);
}

static void
hl_window_class_init (HlWindowClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = hl_window_dispose;
  G_OBJECT_CLASS (klass)->get_property = hl_window_get_property;
  G_OBJECT_CLASS (klass)->set_property = hl_window_set_property;
  properties[PROP_PLAY_SPEED]
      = g_param_spec_string ("play-speed", NULL, NULL, "normal",
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Behind win.show-key-lists: the per-side lists of what each side holds, on the ladder. */
  properties[PROP_SHOW_KEY_LISTS]
      = g_param_spec_boolean ("show-key-lists", NULL, NULL, TRUE,
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
  g_type_ensure (HL_TYPE_LADDER_VIEW);
  g_type_ensure (HL_TYPE_INSPECTOR);
  g_type_ensure (HL_TYPE_KNOWLEDGE_PANEL);
  g_type_ensure (HL_TYPE_LESSON_PICKER);
  g_type_ensure (HL_TYPE_KEY_SCHEDULE_VIEW);
  g_type_ensure (HL_TYPE_RECORDING_BAR);
  gtk_widget_class_set_template_from_resource (wc,
                                               "/io/github/handshakelab/HandshakeLab/hl-window.ui");
  gtk_widget_class_bind_template_child (wc, HlWindow, toasts);
  gtk_widget_class_bind_template_child (wc, HlWindow, window_title);
  gtk_widget_class_bind_template_child (wc, HlWindow, lessons_popover);
  gtk_widget_class_bind_template_child (wc, HlWindow, lessons_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, main_menu_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, speed_menu_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, main_menu);
  gtk_widget_class_bind_template_child (wc, HlWindow, speed_menu);
  gtk_widget_class_bind_template_child (wc, HlWindow, next_label);
  gtk_widget_class_bind_template_child (wc, HlWindow, banner);
  gtk_widget_class_bind_template_child (wc, HlWindow, ladder_scroller);
  gtk_widget_class_bind_template_child (wc, HlWindow, paned);
  gtk_widget_class_bind_template_child (wc, HlWindow, side_stack);
  gtk_widget_class_bind_template_child (wc, HlWindow, play_button);
  gtk_widget_class_bind_template_child (wc, HlWindow, play_content);
  gtk_widget_class_bind_template_child (wc, HlWindow, ladder);
  gtk_widget_class_bind_template_child (wc, HlWindow, inspector);
  gtk_widget_class_bind_template_child (wc, HlWindow, knowledge);
  /* Offset 0: no field of its own, found with gtk_widget_get_template_child. */
  gtk_widget_class_bind_template_child_full (wc, "key_schedule", FALSE, 0);
  gtk_widget_class_bind_template_callback (wc, on_lesson_chosen);
  gtk_widget_class_bind_template_child (wc, HlWindow, busy_spinner);
  gtk_widget_class_bind_template_child (wc, HlWindow, recording_bar);
  _hl_window_class_init_actions (wc);
  _hl_window_class_init_capture (wc);
  _hl_window_class_init_adaptive (wc);
}

static void
hl_window_init (HlWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkAdjustment *h, *v;
  self->play_speed = g_strdup ("normal"); /* before the template: win.speed reads it */
  self->show_key_lists = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  hl_quiz_dialog_add_mode_action (self);
  self->play_interval_ms = 1200;
  gtk_menu_button_set_create_popup_func (self->main_menu_button, create_menu_popup, self, NULL);
  gtk_menu_button_set_create_popup_func (self->speed_menu_button, create_menu_popup, self, NULL);
  hide_tooltip_while_open (self->lessons_button);

  self->session = hl_session_new ();
  hl_ladder_view_set_session (self->ladder, self->session);
  hl_inspector_set_session (self->inspector, self->session);
  hl_knowledge_panel_set_session (self->knowledge, self->session);
  hl_key_schedule_view_set_session (HL_KEY_SCHEDULE_VIEW (gtk_widget_get_template_child (
                                        GTK_WIDGET (self), HL_TYPE_WINDOW, "key_schedule")),
                                    self->session);
  g_signal_connect_swapped (self->session, "notify::selected", G_CALLBACK (on_selected), self);
  g_signal_connect_swapped (self->session, "notify::position", G_CALLBACK (_hl_window_update),
                            self);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (on_dark_changed), self);
  h = gtk_scrolled_window_get_hadjustment (self->ladder_scroller);
  v = gtk_scrolled_window_get_vadjustment (self->ladder_scroller);
  g_signal_connect_swapped (v, "value-changed", G_CALLBACK (on_scrolled), self);
  g_signal_connect_swapped (h, "value-changed", G_CALLBACK (on_scrolled), self);
  self->fit = TRUE;
  g_signal_connect_swapped (h, "notify::page-size", G_CALLBACK (_hl_window_fit), self);
  g_signal_connect_swapped (v, "notify::page-size", G_CALLBACK (_hl_window_fit), self);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  _hl_window_init_dnd (self);
  _hl_window_init_adaptive (self);
  on_dark_changed (self);
  _hl_window_update (self);
}

HlWindow *
hl_window_new (GtkApplication *app)
{
  return g_object_new (HL_TYPE_WINDOW, "application", app, NULL);
}

HlSession *
hl_window_get_session (HlWindow *self)
{
  return self->session;
}

const char *
hl_window_get_last_message (HlWindow *self)
{
  return self->last_message;
}

const char *
hl_window_get_banner (HlWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->banner)) ? gtk_label_get_text (self->banner)
                                                            : NULL;
}

GtkWidget *
hl_window_get_inspector (HlWindow *self)
{
  return GTK_WIDGET (self->inspector);
}

GtkWidget *
hl_window_get_knowledge (HlWindow *self)
{
  return GTK_WIDGET (self->knowledge);
}

GtkWidget *
hl_window_get_lessons_list (HlWindow *self)
{
  return GTK_WIDGET (hl_lesson_picker_get_list (self->lessons_popover));
}

HlLessonPicker *
hl_window_get_lesson_picker (HlWindow *self)
{
  return self->lessons_popover;
}

GtkWidget *
hl_window_get_ladder (HlWindow *self)
{
  return GTK_WIDGET (self->ladder);
}
