/* "Compare with…" in the window (issue 20): the main menu's action is there and enabled for a
 * lesson; the dialog shows the comparison the engine makes of the two lessons run afresh
 * (the window's own run, stepped back or changed, does not enter it), and a second file that
 * is not a lesson is refused with its reason. A screenshot of the dialog is saved as a test
 * artifact (compare-artifacts/). */
#include <string.h>

#include "hl-application.h"
#include "hl-compare-dialog.h"
#include "hl-compare.h"
#include "hl-test-util.h"
#include "hl-window-private.h"
#include "hl-test-window.h"

static HlApplication *app;
static char *artifacts;

/* The shared helpers (hl-test-window.c), under this file's names. */
#define wait_for_frame(w) hl_test_wait_for_frame (w)
#define screenshot(w, name) hl_test_screenshot ((w), artifacts, (name))

static HlWindow *
open_window (const char *lesson)
{
  HlWindow *win = hl_window_new (GTK_APPLICATION (app));
  g_autofree char *file = g_strconcat ("scenarios/", lesson, ".scenario", NULL);
  g_autofree char *path = hl_test_source_path (file);
  gtk_window_set_default_size (GTK_WINDOW (win), 1400, 860);
  g_assert_true (hl_window_load (win, path));
  gtk_window_present (GTK_WINDOW (win));
  wait_for_frame (GTK_WIDGET (win));
  return win;
}

static void
test_compare_dialog (void)
{
  HlWindow *win = open_window ("02-ecdhe-rsa-aes-gcm");
  g_autofree char *other = hl_test_source_path ("scenarios/30-tls13-basic.scenario");
  g_autoptr (HlScenario) sa = hl_test_load_bundled ("02-ecdhe-rsa-aes-gcm.scenario");
  g_autoptr (HlScenario) sb = hl_test_load_bundled ("30-tls13-basic.scenario");
  g_autoptr (HlRun) a = hl_test_run (sa);
  g_autoptr (HlRun) b = hl_test_run (sb);
  g_autoptr (HlComparison) cmp = hl_comparison_new (a, 0, b, 0, NULL);
  g_autofree char *expected = hl_comparison_to_text (cmp);
  g_autoptr (GError) error = NULL;
  g_autofree char *bad = hl_test_write_scenario ("[Scenario]\nTitle=broken\nNoSuchKey=1\n");
  HlCompareDialog *dialog;
  /* The window has the menu's action. (Its file chooser is not opened here: GTK's chooser
   * loads libcloudproviders, whose allocations the sanitizer build cannot tell from ours.) */
  {
    gboolean found = FALSE;
    GType owner;
    const char *name, *property;
    const GVariantType *parameter;
    for (guint i = 0; gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (win), i, &owner, &name,
                                                     &parameter, &property);
         i++)
      found |= strcmp (name, "win.compare") == 0;
    g_assert_true (found);
  }
  /* The window's run is left at its start: the dialog runs both lessons on their own. */
  dialog
      = hl_compare_dialog_new (GTK_WINDOW (win), hl_session_get_run (win->session), other, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hl_compare_dialog_get_text (dialog), ==, expected);
  g_assert_nonnull (strstr (expected, "  A: 2 (data at step 11)\n  B: 1 (data at step 12)"));
  gtk_window_present (GTK_WINDOW (dialog));
  screenshot (GTK_WIDGET (dialog), "compare-02-vs-30.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (
      hl_compare_dialog_new (GTK_WINDOW (win), hl_session_get_run (win->session), bad, &error));
  g_assert_nonnull (error);
  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int argc, char **argv)
{
  int status;
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ()) {
    g_print ("1..0 # SKIP no display\n");
    return 0;
  }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  {
    g_autofree char *cwd = g_get_current_dir ();
    artifacts = g_build_filename (cwd, "compare-artifacts", NULL);
  }
  g_mkdir_with_parents (artifacts, 0755);
  app = hl_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_test_add_func ("/compare-window/dialog", test_compare_dialog);
  status = g_test_run ();
  g_object_unref (app);
  g_free (artifacts);
  return status;
}
