/* hl-window.c */
#include "hl-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hl-i18n.h"
#include "hl-capture.h"
#include "hl-data.h"
#include "hl-field.h"
#include "hl-ladder-export.h"
#include "hl-transcript.h"

G_DEFINE_FINAL_TYPE (HlWindow, hl_window, ADW_TYPE_APPLICATION_WINDOW)

static void
say (HlWindow *self, const char *message)
{
  AdwToast *toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  if (self->toast)
    adw_toast_dismiss (self->toast);
  g_set_object (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toasts, toast);
  g_free (self->last_message);
  self->last_message = g_strdup (message);
}

static void schedule_scroll (HlWindow *self);

/* Enables each action for what the session can do now, and says what comes next. */
static void
update (HlWindow *self)
{
  HlSession *s = self->session;
  HlNextMessage next;
  GtkWidget *w = GTK_WIDGET (self);
  gboolean has_next = hl_session_peek_next (s, &next);
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
  if (has_next) {
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
    adw_window_title_set_title (
        self->window_title, hl_session_get_title (s) ? hl_session_get_title (s) : "Handshake Lab");
    adw_window_title_set_subtitle (
        self->window_title, hl_session_get_position (s) ? sub : _ ("Press Step (→) to begin"));
  }
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

/* Keeps the selected step in view. */
static void
scroll_to_selected (HlWindow *self)
{
  graphene_rect_t area;
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (self->ladder_scroller);
  double top, page;
  if (!hl_ladder_view_get_step_area (self->ladder, hl_session_get_selected (self->session), &area))
    return;
  top = gtk_adjustment_get_value (v);
  page = gtk_adjustment_get_page_size (v);
  if (area.origin.y < top)
    gtk_adjustment_set_value (v, area.origin.y - 20);
  else if (area.origin.y + area.size.height > top + page)
    gtk_adjustment_set_value (v, area.origin.y + area.size.height - page + 20);
}

static gboolean
scroll_to_selected_once (gpointer self)
{
  scroll_to_selected (self);
  return G_SOURCE_REMOVE;
}

/* After the layout is rebuilt (its size may have changed); the window is kept
 * alive until then. */
static void
schedule_scroll (HlWindow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, scroll_to_selected_once, g_object_ref (self),
                   g_object_unref);
}

static void
on_selected (HlWindow *self)
{
  update (self);
  schedule_scroll (self);
}

/* A file that does not load gets a dialog, not a toast: its FILE:LINE message must stay
 * until read, and the reader must know the lesson on screen is still the old one. */
static void
show_load_error (HlWindow *self, const char *path, const GError *error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *heading = g_strdup_printf (_ ("Could Not Open “%s”"), name);
  g_autofree char *body = g_strdup_printf (
      _ ("%s\n\nThe lesson that was open stays open. Fix the file and open it again."),
      error->message);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  g_free (self->last_message);
  self->last_message = g_steal_pointer (&body);
}

gboolean
hl_window_load (HlWindow *self, const char *path)
{
  g_autoptr (GError) error = NULL;
  if (!hl_session_load (self->session, path, &error)) {
    show_load_error (self, path, error);
    return FALSE;
  }
  update (self);
  return TRUE;
}

/* ---------- Actions ---------- */

/* Busy: the header's spinner turns and the pointer shows progress. */
static void
set_busy (HlWindow *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), busy ? "progress" : NULL);
}

static void
run_to_end_after_frame (GdkFrameClock *clock, HlWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, run_to_end_after_frame, self);
  hl_session_run_to_end (self->session);
  set_busy (self, FALSE);
  update (self);
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

static void
step_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  if (self->toast) {
    adw_toast_dismiss (self->toast);
    g_clear_object (&self->toast);
  }
  if (strcmp (name, "win.step") == 0) {
    hl_session_step (self->session);
  } else if (strcmp (name, "win.back") == 0) {
    guint edits = hl_session_get_n_edits (self->session);
    hl_session_back (self->session);
    if (hl_session_get_n_edits (self->session) < edits)
      say (self, _ ("Back undid your change to that message."));
  } else if (strcmp (name, "win.restart") == 0) {
    gboolean had_edits = hl_session_get_n_edits (self->session) > 0;
    hl_session_restart (self->session);
    if (had_edits)
      say (self, _ ("Restarted: your changes to messages were undone."));
  } else if (strcmp (name, "win.run-to-end") == 0)
    run_to_end_busy (self);
  update (self);
}

static void on_page_size (HlWindow *self);

static void
stop_playing (HlWindow *self)
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
  if (!hl_session_step (self->session)) {
    self->play_source = 0; /* this source ends with this return */
    stop_playing (self);
    update (self);
    return G_SOURCE_REMOVE;
  }
  update (self);
  if (!hl_session_can_step (self->session)) {
    self->play_source = 0;
    stop_playing (self);
    update (self);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

/* win.play: Play or Pause; win.speed (s): slow, normal or fast. */
static void
play_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  if (self->play_source) {
    stop_playing (self);
  } else if (hl_session_can_step (self->session)) {
    self->play_source
        = g_timeout_add_full (G_PRIORITY_DEFAULT, self->play_interval_ms, play_tick, self, NULL);
    adw_button_content_set_icon_name (self->play_content, "media-playback-pause-symbolic");
    adw_button_content_set_label (self->play_content, _ ("Pause"));
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), _ ("Pause (P)"));
  }
  update (self);
}

/* The "play-speed" property, behind the stateful win.speed action: the speed menu
 * shows the current choice as a radio item. */
enum { PROP_0, PROP_PLAY_SPEED, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
set_play_speed (HlWindow *self, const char *speed)
{
  GtkWidget *w = GTK_WIDGET (self);
  gboolean playing = self->play_source != 0;
  if (!speed || g_strcmp0 (speed, self->play_speed) == 0)
    return;
  g_free (self->play_speed);
  self->play_speed = g_strdup (speed);
  self->play_interval_ms = g_str_equal (speed, "slow")   ? 2500
                           : g_str_equal (speed, "fast") ? 600
                                                         : 1200;
  if (playing) { /* restart the timer at the new pace */
    stop_playing (self);
    play_action (w, "win.play", NULL);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAY_SPEED]);
}

static void
hl_window_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  if (id == PROP_PLAY_SPEED)
    g_value_set_string (value, HL_WINDOW (object)->play_speed);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
hl_window_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  if (id == PROP_PLAY_SPEED)
    set_play_speed (HL_WINDOW (object), g_value_get_string (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

/* win.lessons: opens the lesson picker. */
static void
lessons_action (GtkWidget *w, const char *name, GVariant *param)
{
  gtk_popover_popup (HL_WINDOW (w)->lessons_popover);
}

/* win.show-page (s): "message" or "knowledge", the two views of the selected step. */
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
    on_page_size (self);
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

/* A menu's popover is made when it is first opened: making both with the window cost a
 * twentieth of the time to the first frame. */
static void
create_menu_popup (GtkMenuButton *button, gpointer data)
{
  HlWindow *self = data;
  gtk_menu_button_set_menu_model (button, button == self->main_menu_button ? self->main_menu
                                                                           : self->speed_menu);
}

static void
presentation_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  self->presentation = !self->presentation;
  /* For the back row: the diagram alone, as wide as the screen, fitted again. */
  gtk_widget_set_visible (gtk_paned_get_end_child (self->paned), !self->presentation);
  self->fit = TRUE;
  on_page_size (self);
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
    say (self, _ ("The next message will be dropped: press Step to watch what happens."));
    update (self);
    return;
  }
  if (!parse_hex (g_variant_get_string (param, NULL), &bytes)) {
    say (self, _ ("Not hex: use pairs of 0-9 and a-f (spaces and new lines are ignored)."));
    return;
  }
  if (strcmp (name, "win.tamper-plaintext") == 0) {
    if (!hl_session_tamper_next_plaintext (self->session, bytes, &error)) {
      say (self, error->message);
      return;
    }
    say (self, _ ("Changed and encrypted again with the sender's keys: press Step to deliver it."));
  } else {
    hl_session_tamper_next (self->session, bytes);
    say (self, _ ("Changed: press Step to deliver it."));
  }
  update (self);
}

typedef struct {
  HlWindow *self;
  GtkTextView *text;
  GtkCheckButton *ciphertext;
  HlNextMessage next;
} TamperDialog;

/* The bytes to edit, 16 to a line with no offsets: the parser ignores the line breaks. */
static char *
hex_lines (GBytes *b)
{
  GString *s = g_string_new (NULL);
  hl_hex_dump (s, b, FALSE);
  if (s->len)
    g_string_truncate (s, s->len - 1); /* no empty last line under the cursor */
  return g_string_free (s, FALSE);
}

static void
on_tamper_mode (GtkCheckButton *check, TamperDialog *d)
{
  gboolean cipher = !d->next.encrypted || gtk_check_button_get_active (check);
  g_autofree char *hex = hex_lines (cipher ? d->next.wire : d->next.plaintext);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (d->text), hex, -1);
}

static void
on_tamper_response (AdwMessageDialog *dialog, const char *response, TamperDialog *d)
{
  GtkTextBuffer *buf = gtk_text_view_get_buffer (d->text);
  GtkTextIter a, b;
  g_autofree char *text = NULL;
  gtk_text_buffer_get_bounds (buf, &a, &b);
  text = gtk_text_buffer_get_text (buf, &a, &b, FALSE);
  if (strcmp (response, "drop") == 0) {
    gtk_widget_activate_action (GTK_WIDGET (d->self), "win.drop", NULL);
  } else if (strcmp (response, "deliver") == 0) {
    gboolean plain = d->next.encrypted && !gtk_check_button_get_active (d->ciphertext);
    gtk_widget_activate_action (GTK_WIDGET (d->self), plain ? "win.tamper-plaintext" : "win.tamper",
                                "s", text);
  }
}

static void
tamper_dialog_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  TamperDialog *d = g_new0 (TamperDialog, 1);
  GtkWidget *dialog, *box, *scroller;
  g_autofree char *heading = NULL;
  /* The message's bytes are borrowed until the next step: Play must not take one. */
  stop_playing (self);
  update (self);
  if (!hl_session_peek_next (self->session, &d->next)) {
    g_free (d);
    return;
  }
  d->self = self;
  heading
      = g_strdup_printf (_ ("Tamper with %s, %s to %s"), d->next.message,
                         hl_side_word (d->next.from), hl_side_word (hl_side_other (d->next.from)));
  dialog = adw_message_dialog_new (
      GTK_WINDOW (self), heading,
      d->next.encrypted
          ? _ ("This record is encrypted. Edit its decrypted bytes and the lab encrypts them again "
               "with the sender's real keys: the receiver gets a valid record with other content. "
               "Or edit the ciphertext itself, and its integrity check fails.")
          : _ ("Edit the bytes in hex, then deliver them. The receiver reacts as BearSSL really "
               "does."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 200);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scroller), 480);
  d->text = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_monospace (d->text, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (d->text));
  gtk_box_append (GTK_BOX (box), scroller);
  d->ciphertext = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (
      _ ("Edit the ciphertext instead (breaks the record's MAC)")));
  gtk_widget_set_visible (GTK_WIDGET (d->ciphertext), d->next.encrypted);
  g_signal_connect (d->ciphertext, "toggled", G_CALLBACK (on_tamper_mode), d);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (d->ciphertext));
  on_tamper_mode (d->ciphertext, d);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "drop",
                                    _ ("_Drop It"), "deliver", _ ("_Use These Bytes"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "drop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "deliver",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_tamper_response), d,
                         (GClosureNotify)(void (*) (void))g_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* win.export (ss): format and path. Every file is written whole or not at all. */
static void
export_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  HlRun *run = hl_session_get_run (self->session);
  const char *format, *path;
  g_autoptr (GError) error = NULL;
  HlLadderOptions o = { hl_session_get_position (self->session), 0, 0, HL_LADDER_THEME_LIGHT, 0 };
  gboolean ok = FALSE;
  g_variant_get (param, "(&s&s)", &format, &path);
  if (!run)
    return;
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
    g_autofree guint8 *data = hl_capture_to_pcapng (run, &len);
    ok = hl_write_file_atomically (path, (const char *)data, len, &error);
  }
  if (ok) {
    g_autofree char *msg = g_strdup_printf (_ ("Saved %s"), path);
    say (self, msg);
  } else {
    say (self, error ? error->message : _ ("Unknown export format"));
  }
}

static void
on_export_chosen (GtkNativeDialog *dialog, int response, HlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
    g_autofree char *path = g_file_get_path (file);
    const char *format = g_object_get_data (G_OBJECT (dialog), "format");
    gtk_widget_activate_action (GTK_WIDGET (self), "win.export", "(ss)", format, path);
  }
  g_object_unref (dialog);
}

static void
export_dialog_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  const char *format = g_variant_get_string (param, NULL);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
      _ ("Export"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  g_autofree char *base = g_path_get_basename (
      hl_session_get_file (self->session) ? hl_session_get_file (self->session) : "handshake");
  g_autofree char *stem = g_str_has_suffix (base, ".scenario")
                              ? g_strndup (base, strlen (base) - strlen (".scenario"))
                              : g_strdup (base);
  g_autofree char *suggested = g_strdup_printf ("%s.%s", stem, format);
  g_object_set_data_full (G_OBJECT (dialog), "format", g_strdup (format), g_free);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_open_chosen (GtkNativeDialog *dialog, int response, HlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
    g_autofree char *path = g_file_get_path (file);
    gtk_widget_activate_action (GTK_WIDGET (self), "win.load", "s", path);
  }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget *w, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog
      = gtk_file_chooser_native_new (_ ("Open a Scenario"), GTK_WINDOW (w),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _ ("Handshake Lab scenarios"));
  gtk_file_filter_add_pattern (filter, "*.scenario");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_chosen), w);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
load_action (GtkWidget *w, const char *name, GVariant *param)
{
  hl_window_load (HL_WINDOW (w), g_variant_get_string (param, NULL));
}

static void
on_lesson_activated (HlWindow *self, GtkListBoxRow *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");
  gtk_popover_popdown (self->lessons_popover);
  if (path)
    hl_window_load (self, path);
}

/* Rows carry their lesson's title and description in lower case, for the search, and
 * which library plays it, for the group headers. */
static gboolean
filter_lesson (GtkListBoxRow *row, gpointer data)
{
  HlWindow *self = data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->lessons_search));
  g_autofree char *needle = g_utf8_strdown (text, -1);
  const char *haystack = g_object_get_data (G_OBJECT (row), "search");
  return !*needle || (haystack && strstr (haystack, needle));
}

static void
on_lessons_search_changed (HlWindow *self)
{
  gtk_list_box_invalidate_filter (self->lessons_list);
  gtk_list_box_invalidate_headers (self->lessons_list);
}

/* Two groups: the classic lessons (BearSSL, TLS 1.0 to 1.2) and those OpenSSL plays. */
static void
head_lesson (GtkListBoxRow *row, GtkListBoxRow *before, gpointer data)
{
  gboolean modern = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "tls13"));
  GtkWidget *label;
  if (before && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (before), "tls13")) == modern) {
    gtk_list_box_row_set_header (row, NULL);
    return;
  }
  label = gtk_label_new (modern ? _ ("TLS 1.3, and a TLS 1.3 client meeting TLS 1.2 (OpenSSL)")
                                : _ ("TLS 1.0 to 1.2 (BearSSL)"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_row_set_header (row, label);
}

/* The lesson picker: every bundled lesson by title, with its description. Filled
 * when first opened: reading every lesson would slow the window's start. */
static void
fill_lessons (HlWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->lessons_search));
  if (gtk_widget_get_first_child (GTK_WIDGET (self->lessons_list)))
    return;
  gtk_list_box_set_filter_func (self->lessons_list, filter_lesson, self, NULL);
  gtk_list_box_set_header_func (self->lessons_list, head_lesson, NULL, NULL);
  g_autoptr (GPtrArray) files = hl_data_list_scenarios ();
  for (guint i = 0; files && i < files->len; i++) {
    const char *path = g_ptr_array_index (files, i);
    g_autoptr (HlScenario) s = hl_scenario_load (path, NULL);
    GtkWidget *row, *box, *title, *desc;
    if (!s)
      continue;
    row = gtk_list_box_row_new ();
    box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
    title = gtk_label_new (s->title);
    desc = gtk_label_new (s->description ? s->description : "");
    gtk_label_set_xalign (GTK_LABEL (title), 0);
    gtk_label_set_xalign (GTK_LABEL (desc), 0);
    gtk_label_set_wrap (GTK_LABEL (title), TRUE);
    gtk_label_set_wrap (GTK_LABEL (desc), TRUE);
    gtk_label_set_lines (GTK_LABEL (desc), 2);
    gtk_label_set_ellipsize (GTK_LABEL (desc), PANGO_ELLIPSIZE_END);
    gtk_label_set_max_width_chars (GTK_LABEL (desc), 64);
    gtk_label_set_width_chars (GTK_LABEL (desc), 56);
    gtk_label_set_max_width_chars (GTK_LABEL (title), 64);
    gtk_widget_add_css_class (title, "heading");
    gtk_widget_add_css_class (desc, "dim-label");
    gtk_widget_add_css_class (desc, "caption");
    gtk_box_append (GTK_BOX (box), title);
    gtk_box_append (GTK_BOX (box), desc);
    gtk_widget_set_margin_top (box, 6);
    gtk_widget_set_margin_bottom (box, 6);
    gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
    g_object_set_data_full (G_OBJECT (row), "path", g_strdup (path), g_free);
    {
      g_autofree char *both = g_strconcat (s->title, "\n", s->description, NULL);
      g_object_set_data_full (G_OBJECT (row), "search", g_utf8_strdown (both, -1), g_free);
    }
    g_object_set_data (G_OBJECT (row), "tls13", GINT_TO_POINTER (hl_scenario_uses_openssl (s)));
    gtk_widget_set_tooltip_text (row, s->description);
    gtk_list_box_append (self->lessons_list, row);
  }
}

/* Drop a .scenario file on the window to open it. */
static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, HlWindow *self)
{
  GFile *file = g_value_get_object (value);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  return path && hl_window_load (self, path);
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
  double page = gtk_adjustment_get_page_size (h);
  if (self->fit && page > 100) {
    /* The diagram is laid out for the pane's width, at full text size; only a pane
     * narrower than the narrowest layout (900 px) scales it down. */
    double width = page - 2;
    if (self->presentation) {
      /* For the back row: a 1000-pixel layout scaled up to the screen's width. */
      hl_ladder_view_set_layout_width (self->ladder, 1000);
      hl_ladder_view_set_zoom (self->ladder, CLAMP (width / 1000.0, 0.5, 2.5));
    } else {
      hl_ladder_view_set_layout_width (self->ladder, MAX (width, 900));
      hl_ladder_view_set_zoom (self->ladder, CLAMP (width / 900.0, 0.5, 1.0));
    }
    schedule_scroll (self);
  }
  g_object_unref (self);
}

/* The pane's width changes during a size allocation: zoom after it, not inside it. */
static void
on_page_size (HlWindow *self)
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
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
  g_type_ensure (HL_TYPE_LADDER_VIEW);
  g_type_ensure (HL_TYPE_INSPECTOR);
  g_type_ensure (HL_TYPE_KNOWLEDGE_PANEL);
  gtk_widget_class_set_template_from_resource (wc,
                                               "/io/github/handshakelab/HandshakeLab/hl-window.ui");
  gtk_widget_class_bind_template_child (wc, HlWindow, toasts);
  gtk_widget_class_bind_template_child (wc, HlWindow, window_title);
  gtk_widget_class_bind_template_child (wc, HlWindow, lessons_list);
  gtk_widget_class_bind_template_child (wc, HlWindow, lessons_search);
  gtk_widget_class_bind_template_child (wc, HlWindow, lessons_popover);
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
  gtk_widget_class_bind_template_child (wc, HlWindow, busy_spinner);
  gtk_widget_class_bind_template_callback (wc, on_lesson_activated);
  gtk_widget_class_bind_template_callback (wc, on_lessons_search_changed);

  gtk_widget_class_install_action (wc, "win.step", NULL, step_action);
  gtk_widget_class_install_action (wc, "win.back", NULL, step_action);
  gtk_widget_class_install_action (wc, "win.restart", NULL, step_action);
  gtk_widget_class_install_action (wc, "win.run-to-end", NULL, step_action);
  gtk_widget_class_install_action (wc, "win.play", NULL, play_action);
  gtk_widget_class_install_action (wc, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (wc, "win.lessons", NULL, lessons_action);
  gtk_widget_class_install_property_action (wc, "win.speed", "play-speed");
  gtk_widget_class_install_action (wc, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (wc, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (wc, "win.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (wc, "win.presentation", NULL, presentation_action);
  gtk_widget_class_install_action (wc, "win.show-help-overlay", NULL, help_overlay_action);
  gtk_widget_class_install_action (wc, "win.open", NULL, open_action);
  gtk_widget_class_install_action (wc, "win.load", "s", load_action);
  gtk_widget_class_install_action (wc, "win.export", "(ss)", export_action);
  gtk_widget_class_install_action (wc, "win.export-dialog", "s", export_dialog_action);
  gtk_widget_class_install_action (wc, "win.tamper", "s", tamper_action);
  gtk_widget_class_install_action (wc, "win.tamper-plaintext", "s", tamper_action);
  gtk_widget_class_install_action (wc, "win.drop", NULL, tamper_action);
  gtk_widget_class_install_action (wc, "win.tamper-dialog", NULL, tamper_dialog_action);

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
  gtk_widget_class_add_binding_action (wc, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_p, 0, "win.play", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_l, GDK_CONTROL_MASK, "win.lessons", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s",
                                       "message");
  gtk_widget_class_add_binding_action (wc, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s",
                                       "knowledge");
  gtk_widget_class_add_binding_action (wc, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
}

static void
hl_window_init (HlWindow *self)
{
  GtkDropTarget *drop;
  self->play_speed = g_strdup ("normal"); /* before the template: win.speed reads it */
  gtk_widget_init_template (GTK_WIDGET (self));
  self->play_interval_ms = 1200;
  gtk_menu_button_set_create_popup_func (self->main_menu_button, create_menu_popup, self, NULL);
  gtk_menu_button_set_create_popup_func (self->speed_menu_button, create_menu_popup, self, NULL);

  self->session = hl_session_new ();
  hl_ladder_view_set_session (self->ladder, self->session);
  hl_inspector_set_session (self->inspector, self->session);
  hl_knowledge_panel_set_session (self->knowledge, self->session);
  g_signal_connect_swapped (self->session, "notify::selected", G_CALLBACK (on_selected), self);
  g_signal_connect_swapped (self->session, "notify::position", G_CALLBACK (update), self);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (on_dark_changed), self);
  g_signal_connect_swapped (gtk_scrolled_window_get_vadjustment (self->ladder_scroller),
                            "value-changed", G_CALLBACK (on_scrolled), self);
  g_signal_connect_swapped (gtk_scrolled_window_get_hadjustment (self->ladder_scroller),
                            "value-changed", G_CALLBACK (on_scrolled), self);
  self->fit = TRUE;
  g_signal_connect_swapped (gtk_scrolled_window_get_hadjustment (self->ladder_scroller),
                            "notify::page-size", G_CALLBACK (on_page_size), self);
  {
    GtkEventController *keys = gtk_event_controller_key_new ();
    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  on_dark_changed (self);
  g_signal_connect_swapped (self->lessons_popover, "show", G_CALLBACK (fill_lessons), self);
  update (self);
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
  return GTK_WIDGET (self->lessons_list);
}

GtkWidget *
hl_window_get_ladder (HlWindow *self)
{
  return GTK_WIDGET (self->ladder);
}
