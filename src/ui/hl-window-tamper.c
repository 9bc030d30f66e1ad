/* hl-window-tamper.c: Undo and Redo of the changes Back takes away, and the actions
 * through which the field dialog and the Fields list change messages (hl-window-tamper.h).
 *
 *   win.undo-back (Ctrl+Z, the toast's Undo): Back undone: the changes it took away are
 *     put back and the message delivered again with them;
 *   win.redo-tamper (Ctrl+Shift+Z): those changes put back on their messages, which wait
 *     to be delivered (the lesson stays where it is);
 *   win.clear-tamper: the change on the message in flight taken away;
 *   win.tamper-done (s): a change was made through the session: say so, update.
 */
#include "hl-window-tamper.h"
#include "hl-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hl-i18n.h"

/* "the server's ServerHello (Cipher suite set to ...)", for every change Back took away. */
static char *
describe_undone (HlSession *s)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < hl_session_get_n_undone (s); i++) {
    const HlChange *c = hl_session_get_undone (s, i);
    g_string_append_printf (out, "%s%s (%s)", i ? _ (" and ") : "", c->message, c->what);
  }
  return g_string_free (out, FALSE);
}

/* A toast that names the changes just taken away (format: one %s for them), with Undo
 * running `action`. */
static void
say_undone (HlWindow *self, const char *format, const char *action)
{
  g_autofree char *what = describe_undone (self->session);
  g_autofree char *message = g_strdup_printf (format, what);
  AdwToast *toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _ ("_Undo"));
  adw_toast_set_action_name (toast, action);
  if (self->toast)
    adw_toast_dismiss (self->toast);
  g_set_object (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toasts, toast);
  _hl_window_note (self, message);
}

void
_hl_window_say_back_undid (HlWindow *self)
{
  say_undone (self, _ ("Back took away your change to %s."), "win.undo-back");
}

void
_hl_window_say_restart_undid (HlWindow *self)
{
  /* Undo puts the changes back on their messages, which wait to be delivered (Redo). */
  say_undone (self, _ ("Restarted: your change to %s was taken away."), "win.redo-tamper");
}

static void
undo_back_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  g_autofree char *what = describe_undone (self->session);
  gboolean step = strcmp (name, "win.undo-back") == 0;
  const HlChange *first = hl_session_get_undone (self->session, 0);
  HlNextMessage next;
  /* Undo delivers again only the message Back just took back; after more Backs, the
   * change goes back on its message and waits. */
  if (step && first
      && !(hl_session_peek_next (self->session, &next) && next.connection == first->connection
           && next.from == first->from && next.nth == first->nth
           && strcmp (next.message, first->message) == 0))
    step = FALSE;
  if (!hl_session_redo (self->session))
    return;
  if (step) {
    g_autofree char *msg = NULL;
    hl_session_step (self->session);
    msg = g_strdup_printf (_ ("Back undone: your change to %s is delivered again."), what);
    _hl_window_say (self, msg);
  } else {
    g_autofree char *msg
        = g_strdup_printf (_ ("Your change to %s is back: press Step to deliver it."), what);
    _hl_window_say (self, msg);
  }
  _hl_window_update (self);
}

static void
clear_tamper_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  if (hl_session_clear_pending (self->session))
    _hl_window_say (self, _ ("The change was cleared: the message goes as its sender sent it."));
  _hl_window_update (self);
}

static void
tamper_done_action (GtkWidget *w, const char *name, GVariant *param)
{
  HlWindow *self = HL_WINDOW (w);
  /* what the dialog changed must stay the next message: Play must not deliver it unseen */
  _hl_window_stop_playing (self);
  _hl_window_say (self, g_variant_get_string (param, NULL));
  _hl_window_update (self);
}

void
_hl_window_update_tamper_actions (HlWindow *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  gboolean undone = hl_session_get_n_undone (self->session) > 0;
  gtk_widget_action_set_enabled (w, "win.undo-back", undone);
  gtk_widget_action_set_enabled (w, "win.redo-tamper", undone);
  gtk_widget_action_set_enabled (w, "win.clear-tamper",
                                 hl_session_get_pending_change (self->session) != NULL
                                     || hl_session_next_is_edited (self->session));
}

void
_hl_window_class_init_tamper (GtkWidgetClass *wc)
{
  gtk_widget_class_install_action (wc, "win.undo-back", NULL, undo_back_action);
  gtk_widget_class_install_action (wc, "win.redo-tamper", NULL, undo_back_action);
  gtk_widget_class_install_action (wc, "win.clear-tamper", NULL, clear_tamper_action);
  gtk_widget_class_install_action (wc, "win.tamper-done", "s", tamper_done_action);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo-back", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo-tamper", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo-tamper", NULL);
}
