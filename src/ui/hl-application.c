/* hl-application.c */
#include <glib/gi18n.h>

#include "hl-config.h"
#include "hl-application.h"

#include "hl-capture-reader.h"
#include "hl-data.h"
#include "hl-i18n.h"
#include "hl-renderer.h"
#include "hl-window.h"

struct _HlApplication {
  AdwApplication parent_instance;
};

/* A capture named on the command line, with its --secrets and --connection. */
static const char *capture_path;
static const char *const *capture_secrets;
static guint capture_connection;

G_DEFINE_FINAL_TYPE (HlApplication, hl_application, ADW_TYPE_APPLICATION)

static void
load_default (HlWindow *window)
{
  g_autofree char *path = hl_data_default_scenario ();
  hl_window_load (window, path);
}

static void
hl_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (!window) {
    window = GTK_WINDOW (hl_window_new (GTK_APPLICATION (app)));
    load_default (HL_WINDOW (window));
  }
  gtk_window_present (window);
}

static void
hl_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  for (int i = 0; i < n_files; i++) {
    HlWindow *window = hl_window_new (GTK_APPLICATION (app));
    g_autofree char *path = g_file_get_path (files[i]);
    /* Shown before it loads: a message about the file goes over it, not under it (without
     * a window manager the last window mapped is on top). */
    gtk_window_present (GTK_WINDOW (window));
    g_autoptr (GFile) named = capture_path ? g_file_new_for_path (capture_path) : NULL;
    if (path && hl_capture_sniff (path)) {
      /* The default lesson behind it: a capture's list of connections opens over the
       * window, and a capture that does not open leaves the lesson. */
      gboolean given = named && g_file_equal (named, files[i]);
      load_default (window);
      hl_window_open_capture (window, path, given ? capture_secrets : NULL,
                              given ? capture_connection : 0);
    } else if (!path || !hl_window_load (window, path)) {
      load_default (window);
    }
  }
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer app)
{
  static const char *developers[] = { "The Handshake Lab team", NULL };
  GtkIconTheme *icons = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  GtkWidget *about;
  g_autofree char *debug_info = NULL;
  /* Run from the build tree, the icon is only in the resource (installed, it is in hicolor). */
  if (!gtk_icon_theme_has_icon (icons, HL_APPLICATION_ID))
    gtk_icon_theme_add_resource_path (icons, "/io/github/handshakelab/HandshakeLab/icons");
  about = adw_about_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (about),
                                gtk_application_get_active_window (GTK_APPLICATION (app)));
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), "Handshake Lab");
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), HL_APPLICATION_ID);
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), HL_VERSION);
  /* TRANSLATORS: your names, one per line: the about window lists them */
  if (g_strcmp0 (_ ("translator-credits"), "translator-credits") != 0)
    adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _ ("translator-credits"));
  adw_about_window_set_comments (
      ADW_ABOUT_WINDOW (about),
      _ ("Learn the TLS handshake by running a real one: a BearSSL client and server, paused after "
         "every message, every byte decoded and every secret shown."));
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_MIT_X11);
  /* For a bug report: the versions that draw, which renderer, and why. */
  debug_info = g_strdup_printf ("Handshake Lab %s\nGTK %u.%u.%u, libadwaita %u.%u.%u\n%s\n",
                                HL_VERSION, gtk_get_major_version (), gtk_get_minor_version (),
                                gtk_get_micro_version (), adw_get_major_version (),
                                adw_get_minor_version (), adw_get_micro_version (),
                                hl_renderer_describe (gdk_display_get_default ()));
  adw_about_window_set_debug_info (ADW_ABOUT_WINDOW (about), debug_info);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer app)
{
  g_application_quit (G_APPLICATION (app));
}

/* Without a compositor a popover's tail is drawn in a band of black: popovers go without
 * one there. GTK makes most of them on demand (menus), so each is caught as it shows. */
static gboolean
drop_popover_arrow (GSignalInvocationHint *hint, guint n_values, const GValue *values,
                    gpointer data)
{
  GObject *widget = g_value_get_object (&values[0]);
  if (GTK_IS_POPOVER (widget))
    gtk_popover_set_has_arrow (GTK_POPOVER (widget), FALSE);
  return TRUE; /* keep the hook */
}

static void
hl_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "about", about_action, NULL, NULL, NULL, { 0 } },
    { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  };
  static const char *quit[] = { "<Control>q", NULL };
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  G_APPLICATION_CLASS (hl_application_parent_class)->startup (app);
  /* Before the first window is realized, which is when GTK makes its renderer. */
  hl_renderer_choose (gdk_display_get_default ());
  gtk_css_provider_load_from_resource (css, "/io/github/handshakelab/HandshakeLab/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  if (!gdk_display_is_composited (gdk_display_get_default ())) {
    /* No transparency: popovers' shadows would be drawn black (style-flat.css). */
    g_autoptr (GtkCssProvider) flat = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (flat,
                                         "/io/github/handshakelab/HandshakeLab/style-flat.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (flat),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    g_type_class_unref (g_type_class_ref (GTK_TYPE_WIDGET)); /* its signals registered */
    g_signal_add_emission_hook (g_signal_lookup ("show", GTK_TYPE_WIDGET), 0, drop_popover_arrow,
                                NULL, NULL);
  }
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_window_set_default_icon_name (HL_APPLICATION_ID);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit);
}

static void
hl_application_class_init (HlApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  app_class->activate = hl_application_activate;
  app_class->open = hl_application_open;
  app_class->startup = hl_application_startup;
}

static void
hl_application_init (HlApplication *self)
{
}

HlApplication *
hl_application_new (GApplicationFlags flags)
{
  /* No resource base path (GApplication would take one from the id): with one, GTK reloads
   * the icon theme for the app's icons and builds the shortcuts window for every window
   * before the first frame, a fifth of the start-up. The style sheet is loaded in startup,
   * the shortcuts window on demand. */
  return g_object_new (HL_TYPE_APPLICATION, "application-id", HL_APPLICATION_ID, "flags",
                       flags | G_APPLICATION_HANDLES_OPEN, "resource-base-path", NULL, NULL);
}

/* The engine's and the diagram's sentences, in the desktop's language. */
static const char *
translate_with_gettext (const char *msgid, const char *plural, gulong n)
{
  return plural ? g_dngettext (GETTEXT_PACKAGE, msgid, plural, n)
                : g_dgettext (GETTEXT_PACKAGE, msgid);
}

int
hl_ui_run_capture (const char *path, const char *const *secrets, guint connection)
{
  capture_path = path;
  capture_secrets = secrets;
  capture_connection = connection;
  return hl_ui_run (path);
}

int
hl_ui_run (const char *scenario_path)
{
  g_autoptr (HlApplication) app = NULL;
  char *argv[3] = { (char *)"handshake-lab", (char *)scenario_path, NULL };
  bindtextdomain (GETTEXT_PACKAGE, HL_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  hl_i18n_set_translator (translate_with_gettext);
  if (!gtk_init_check ()) {
    g_printerr ("handshake-lab: no display to open the window on; use --headless (for "
                "example --headless --png=ladder.png)\n");
    return 2;
  }
  app = hl_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), scenario_path ? 2 : 1, argv);
}
