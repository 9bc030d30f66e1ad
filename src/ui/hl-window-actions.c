/* hl-window-actions.c: every win.* action of HlWindow, its key bindings, and the one
 * function that enables the actions for what the session can do now. */
#include "hl-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hl-export-dialog.h"
#include "hl-ladder-export.h"
#include "hl-output.h"
#include "hl-pcapng-writer.h"
#include "hl-quiz-dialog.h"
#include "hl-compare-window.h"
#include "hl-steal-key-dialog.h"
#include "hl-tamper-dialog.h"
#include "hl-transcript.h"
#include "hl-window-tamper.h"

void
_hl_window_update_actions (HlWindow *self)
{
  HlSession *s = self->session;
  HlNextMessage next;
  GtkWidget *w = GTK_WIDGET (self);
  /* A recording cannot be changed: its messages were already sent. */
  gboolean has_next = hl_session_peek_next (s, &next) && !hl_session_is_recorded (s);
  gboolean loaded = hl_session_get_file (s) != NULL;
  gtk_widget_action_set_enabled (w, "win.step", hl_session_can_step (s));
  gtk_widget_action_set_enabled (w, "win.run-to-end", hl_session_can_step (s));
  gtk_widget_action_set_enabled (w, "win.back", hl_session_can_go_back (s));
  gtk_widget_action_set_enabled (w, "win.restart",
                                 hl_session_can_go_back (s) || hl_session_get_n_edits (s));
  gtk_widget_action_set_enabled (w, "win.play", hl_session_can_step (s) || self->play_source);
  gtk_widget_action_set_enabled (w, "win.tamper-dialog", has_next);
  gtk_widget_action_set_enabled (w, "win.tamper", has_next);
  gtk_widget_action_set_enabled (w, "win.tamper-plaintext", has_next && next.encrypted);
  gtk_widget_action_set_enabled (w, "win.drop", has_next);
  gtk_widget_action_set_enabled (w, "win.export", loaded);
  gtk_widget_action_set_enabled (w, "win.export-to", loaded);
  gtk_widget_action_set_enabled (w, "win.export-dialog", loaded);
  _hl_window_update_capture_actions (self);
  _hl_window_update_tamper_actions (self);
  gtk_widget_action_set_enabled (w, "win.steal-key", loaded);
  gtk_widget_action_set_enabled (w, "win.compare", loaded);
  gtk_widget_action_set_enabled (w, "win.quiz", loaded);
}

/* Busy: the header's spinner turns and the pointer shows progress. */
static void
set_busy (HlWindow *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
  if (busy && !self->busy_cursor)
    self->busy_cursor = gdk_cursor_new_from_name ("progress", NULL);
  gtk_widget_set_cursor (GTK_WIDGET (self), busy ? self->busy_cursor : NULL);
}

static void
run_to_end_after_frame (GdkFrameClock *clock, HlWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, run_to_end_after_frame, self);
  hl_session_run_to_end (self->session);
  set_busy (self, FALSE);
  _hl_window_update (self);
}

/* Run to End can take hundreds of milliseconds (a TLS 1.3 lesson on a slow machine) and
 * blocks the main loop: the busy state is painted first, and the run goes on once that
 * frame is on screen. */
static void
run_to_end_busy (HlWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (self->busy)
    return;
  if (!clock || !gtk_widget_get_mapped (GTK_WIDGET (self))) {
    hl_session_run_to_end (self->session);
    return;
  }
  set_busy (self, TRUE);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (run_to_end_after_frame), self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* win.step, win.back, win.restart, win.run-to-end. */
static void
step_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  if (self->toast) {
    adw_toast_dismiss (self->toast);
    g_clear_object (&self->toast);
  }
  if ((strcmp (name, "win.step") == 0 || strcmp (name, "win.run-to-end") == 0)
      && hl_quiz_dialog_ask_before_delivery (self)) {
    /* Quiz Mode: the person's change is predicted before it is delivered */
  } else if (strcmp (name, "win.step") == 0) {
    hl_session_step (self->session);
  } else if (strcmp (name, "win.back") == 0) {
    guint edits = hl_session_get_n_edits (self->session);
    hl_session_back (self->session);
    if (hl_session_get_n_edits (self->session) < edits)
      _hl_window_say_back_undid (self); /* with Undo */
  } else if (strcmp (name, "win.restart") == 0) {
    gboolean had_edits = hl_session_get_n_edits (self->session) > 0;
    hl_session_restart (self->session);
    if (had_edits)
      _hl_window_say_restart_undid (self); /* with Undo */
  } else if (strcmp (name, "win.run-to-end") == 0)
    run_to_end_busy (self);
  _hl_window_update (self);
}

void
_hl_window_stop_playing (HlWindow *self)
{
  g_clear_handle_id (&self->play_source, g_source_remove);
  adw_button_content_set_icon_name (self->play_content, "media-playback-start-symbolic");
  adw_button_content_set_label (self->play_content, _ ("Play"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               _ ("Deliver the messages one after another (P)"));
}

static gboolean
play_tick (gpointer data)
{
  HlWindow *self = data;
  gboolean stepped = !hl_quiz_dialog_ask_before_delivery (self) && hl_session_step (self->session);
  if (!stepped || !hl_session_can_step (self->session)) {
    self->play_source = 0; /* this source ends with this return */
    _hl_window_stop_playing (self);
    _hl_window_update (self);
    return G_SOURCE_REMOVE;
  }
  _hl_window_update (self);
  return G_SOURCE_CONTINUE;
}

/* win.play: Play or Pause (the speed is the window's "play-speed"). */
static void
play_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  if (self->play_source) {
    _hl_window_stop_playing (self);
  } else if (hl_session_can_step (self->session)) {
    self->play_source
        = g_timeout_add_full (G_PRIORITY_DEFAULT, self->play_interval_ms, play_tick, self, NULL);
    adw_button_content_set_icon_name (self->play_content, "media-playback-pause-symbolic");
    adw_button_content_set_label (self->play_content, _ ("Pause"));
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), _ ("Pause (P)"));
  }
  _hl_window_update (self);
}

/* win.lessons: opens the lesson picker. */
static void
lessons_action (GtkWidget *w, const char *name, GVariant *param)
{
  gtk_popover_popup (GTK_POPOVER (HL_WINDOW (w)->lessons_popover));
}

/* win.show-page (s): "message", "knowledge" or "schedule", the views of the selected step. */
static void
show_page_action (GtkWidget *w, const char *name, GVariant *param)
{
  gtk_stack_set_visible_child_name (HL_WINDOW (w)->side_stack, g_variant_get_string (param, NULL));
}

static void
zoom_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  double z = hl_ladder_view_get_zoom (self->ladder);
  self->fit = strcmp (name, "win.zoom-reset") == 0;
  if (self->fit) {
    _hl_window_fit (self);
    return;
  }
  if (strcmp (name, "win.zoom-in") == 0)
    z *= 1.2;
  else if (strcmp (name, "win.zoom-out") == 0)
    z /= 1.2;
  hl_ladder_view_set_zoom (self->ladder, z);
}

/* The shortcuts window is built when asked for, not with every window: building it costs
 * about as much as the rest of the header bar. */
static void
help_overlay_action (GtkWidget *w, const char *name, GVariant *param)
{
  g_autoptr (GtkBuilder) builder
      = gtk_builder_new_from_resource ("/io/github/handshakelab/HandshakeLab/gtk/help-overlay.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (overlay, GTK_WINDOW (w));
  gtk_window_present (overlay);
}

static void
presentation_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  self->presentation = !self->presentation;
  /* For the back row: the conversation alone (no inspector, no key lists unless asked
   * for again), as wide as the screen, fitted again. */
  gtk_widget_set_visible (GTK_WIDGET (self->side), !self->presentation);
  _hl_window_hold_key_lists (self, HL_WINDOW_HOLD_PRESENTATION, self->presentation);
  self->fit = TRUE;
  _hl_window_fit (self);
  if (self->presentation) {
    gtk_window_fullscreen (GTK_WINDOW (self));
    gtk_widget_add_css_class (w, "presentation");
  } else {
    gtk_window_unfullscreen (GTK_WINDOW (self));
    gtk_widget_remove_css_class (w, "presentation");
  }
}

static gboolean
parse_hex (const char *text, GBytes **out)
{
  GByteArray *a = g_byte_array_new ();
  int hi = -1;
  for (const char *p = text; *p; p++) {
    int v = g_ascii_xdigit_value (*p);
    if (g_ascii_isspace (*p))
      continue;
    if (v < 0) {
      g_byte_array_unref (a);
      return FALSE;
    }
    if (hi < 0) {
      hi = v;
    } else {
      guint8 b = (guint8)(hi << 4 | v);
      g_byte_array_append (a, &b, 1);
      hi = -1;
    }
  }
  if (hi >= 0) {
    g_byte_array_unref (a);
    return FALSE;
  }
  *out = g_byte_array_free_to_bytes (a);
  return TRUE;
}

/* win.tamper / win.tamper-plaintext (s: hex), win.drop: change the next message. */
static void
tamper_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  if (strcmp (name, "win.drop") == 0) {
    hl_session_drop_next (self->session);
    _hl_window_say (self,
                    _ ("The next message will be dropped: press Step to watch what happens."));
    _hl_window_update (self);
    return;
  }
  if (!parse_hex (g_variant_get_string (param, NULL), &bytes)) {
    _hl_window_say (self,
                    _ ("Not hex: use pairs of 0-9 and a-f (spaces and new lines are ignored)."));
    return;
  }
  if (strcmp (name, "win.tamper-plaintext") == 0) {
    if (!hl_session_tamper_next_plaintext (self->session, bytes, &error)) {
      _hl_window_say (self, error->message);
      return;
    }
    _hl_window_say (
        self, _ ("Changed and encrypted again with the sender's keys: press Step to deliver it."));
  } else {
    hl_session_tamper_next (self->session, bytes);
    _hl_window_say (self, _ ("Changed: press Step to deliver it."));
  }
  _hl_window_update (self);
}

/* win.tamper-dialog: the next message's bytes to edit. */
static void
tamper_dialog_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  HlNextMessage next;
  /* The dialog copies the message's bytes, but what it edits must stay the next message:
   * Play must not deliver it meanwhile. */
  _hl_window_stop_playing (self);
  _hl_window_update (self);
  if (!hl_session_peek_next (self->session, &next))
    return;
  gtk_window_present (GTK_WINDOW (hl_tamper_dialog_new (GTK_WINDOW (self), &next)));
}

/* win.export (ss): format and path, exactly. Every file is written whole or not at all. */
static void
export_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  const HlRun *run = hl_session_get_run (self->session);
  const char *format, *path;
  g_autoptr (GError) error = NULL;
  HlLadderOptions o = { hl_session_get_position (self->session), 0, 0, HL_LADDER_THEME_LIGHT, 0 };
  gboolean ok = FALSE;
  g_variant_get (param, "(&s&s)", &format, &path);
  if (!run)
    return;
  /* The diagram's pictures are the ladder as shown, with or without the key lists; the
   * handouts keep them. */
  o.hide_notes
      = !self->show_key_lists && (strcmp (format, "png") == 0 || strcmp (format, "svg") == 0);
  if (strcmp (format, "png") == 0) {
    ok = hl_ladder_export_png (run, &o, 2, path, &error);
  } else if (strcmp (format, "svg") == 0) {
    ok = hl_ladder_export_svg (run, &o, path, &error);
  } else if (strcmp (format, "pdf") == 0) {
    ok = hl_ladder_export_pdf (run, &o, path, &error);
  } else if (strcmp (format, "html") == 0) {
    ok = hl_ladder_export_html (run, &o, path, &error);
  } else if (strcmp (format, "json") == 0 || strcmp (format, "md") == 0) {
    g_autofree char *text
        = format[0] == 'j' ? hl_transcript_to_json (run) : hl_transcript_to_markdown (run);
    ok = hl_write_file_atomically (path, text, strlen (text), &error);
  } else if (strcmp (format, "pcapng") == 0) {
    gsize len;
    g_autofree guint8 *data = hl_pcapng_from_run (run, &len);
    ok = hl_write_file_atomically (path, (const char *)data, len, &error);
  }
  if (ok) {
    g_autofree char *msg = g_strdup_printf (_ ("Saved %s"), path);
    _hl_window_say (self, msg);
  } else if (error) {
    _hl_window_say (self, error->message);
  } else {
    g_autofree char *msg = g_strdup_printf (_ ("Not saved: “%s” is not an export format."), format);
    _hl_window_say (self, msg);
  }
}

/* win.export-to (ss): the format chosen in the menu and the path typed. The typed
 * extension decides when it names a format; a name with no extension gets the menu's. */
static void
export_to_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  const char *menu_format, *path, *name_format;
  g_variant_get (param, "(&s&s)", &menu_format, &path);
  name_format = hl_export_format_for_path (path);
  if (!name_format) {
    g_autofree char *base = g_path_get_basename (path);
    g_autofree char *full
        = strchr (base, '.') ? g_strdup (path) : g_strdup_printf ("%s.%s", path, menu_format);
    gtk_widget_activate_action (w, "win.export", "(ss)", menu_format, full);
  } else if (strcmp (name_format, menu_format) == 0) {
    gtk_widget_activate_action (w, "win.export", "(ss)", menu_format, path);
  } else {
    HlExportDialog *dialog
        = hl_export_dialog_new (GTK_WINDOW (self), path, menu_format, name_format);
    _hl_window_note (self, adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
    gtk_window_present (GTK_WINDOW (dialog));
  }
}

/* win.export-dialog (s): asks where to save, suggesting the lesson's name. */
static void
export_dialog_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  const char *file = hl_session_get_file (self->session);
  g_autofree char *base = g_path_get_basename (file ? file : "handshake");
  const char *dot = strrchr (base, '.');
  /* A lesson's or a capture's name without its extension. */
  g_autofree char *stem
      = g_str_has_suffix (base, ".scenario") || (hl_session_is_recorded (self->session) && dot)
            ? g_strndup (base, strrchr (base, '.') - base)
            : g_strdup (base);
  hl_export_flow_choose (GTK_WINDOW (self), g_variant_get_string (param, NULL), stem);
}

static void
on_open_chosen (GtkNativeDialog *dialog, int response, HlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
    g_autofree char *path = file ? g_file_get_path (file) : NULL;
    if (path)
      gtk_widget_activate_action (GTK_WIDGET (self), "win.load", "s", path);
  }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget *w, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog
      = gtk_file_chooser_native_new (_ ("Open a Scenario or a Capture"), GTK_WINDOW (w),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();
  /* Names only guide the list: what a file is, is read from its content. */
  gtk_file_filter_set_name (filter, _ ("Scenarios and captures (pcap, pcapng)"));
  gtk_file_filter_add_pattern (filter, "*.scenario");
  gtk_file_filter_add_pattern (filter, "*.pcap");
  gtk_file_filter_add_pattern (filter, "*.pcapng");
  gtk_file_filter_add_pattern (filter, "*.cap");
  gtk_file_filter_add_mime_type (filter, "application/vnd.tcpdump.pcap");
  gtk_file_filter_add_mime_type (filter, "application/x-pcapng");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_filter_set_name (all, _ ("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  g_object_unref (filter);
  g_object_unref (all);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_chosen), w);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
load_action (GtkWidget *w, const char *name, GVariant *param)
{
  hl_window_load (HL_WINDOW (w), g_variant_get_string (param, NULL));
}

void
_hl_window_class_init_actions (GtkWidgetClass *wc)
{
  gtk_widget_class_install_action (wc, "win.step", NULL, step_action);
  hl_steal_key_dialog_install_action (wc);
  hl_compare_window_install_action (wc);
  hl_quiz_dialog_install_action (wc);
  gtk_widget_class_install_action (wc, "win.back", NULL, step_action);
  gtk_widget_class_install_action (wc, "win.restart", NULL, step_action);
  gtk_widget_class_install_action (wc, "win.run-to-end", NULL, step_action);
  gtk_widget_class_install_action (wc, "win.play", NULL, play_action);
  gtk_widget_class_install_action (wc, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (wc, "win.lessons", NULL, lessons_action);
  gtk_widget_class_install_property_action (wc, "win.speed", "play-speed");
  gtk_widget_class_install_property_action (wc, "win.show-key-lists", "show-key-lists");
  gtk_widget_class_install_action (wc, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (wc, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (wc, "win.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (wc, "win.presentation", NULL, presentation_action);
  gtk_widget_class_install_action (wc, "win.show-help-overlay", NULL, help_overlay_action);
  gtk_widget_class_install_action (wc, "win.open", NULL, open_action);
  gtk_widget_class_install_action (wc, "win.load", "s", load_action);
  gtk_widget_class_install_action (wc, "win.export", "(ss)", export_action);
  gtk_widget_class_install_action (wc, "win.export-to", "(ss)", export_to_action);
  gtk_widget_class_install_action (wc, "win.export-dialog", "s", export_dialog_action);
  gtk_widget_class_install_action (wc, "win.tamper", "s", tamper_action);
  gtk_widget_class_install_action (wc, "win.tamper-plaintext", "s", tamper_action);
  gtk_widget_class_install_action (wc, "win.drop", NULL, tamper_action);
  gtk_widget_class_install_action (wc, "win.tamper-dialog", NULL, tamper_dialog_action);
  _hl_window_class_init_tamper (wc);

  gtk_widget_class_add_binding_action (wc, GDK_KEY_Right, 0, "win.step", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_space, 0, "win.step", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Left, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Home, 0, "win.restart", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_End, 0, "win.run-to-end", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-dialog", "s",
                                       "png");
  gtk_widget_class_add_binding_action (wc, GDK_KEY_t, GDK_CONTROL_MASK, "win.tamper-dialog", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_F11, 0, "win.presentation", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_k, GDK_CONTROL_MASK, "win.show-key-lists", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_p, 0, "win.play", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_l, GDK_CONTROL_MASK, "win.lessons", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s",
                                       "message");
  gtk_widget_class_add_binding_action (wc, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s",
                                       "knowledge");
  gtk_widget_class_add_binding_action (wc, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s",
                                       "schedule");
  gtk_widget_class_add_binding_action (wc, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
}
