/* hl-compare-cli.c: --compare=OTHER (hl-compare-cli.h). */
#include "hl-compare-cli.h"

#include <string.h>

#include "hl-capture-reader.h"
#include "hl-compare-export.h"
#include "hl-compare.h"
#include "hl-data.h"
#include "hl-scenario.h"

char *
hl_cli_compare_resolve (const char *other)
{
  if (!g_file_test (other, G_FILE_TEST_EXISTS) && !strchr (other, G_DIR_SEPARATOR)) {
    g_autofree char *bundled = g_build_filename (hl_data_dir (), "scenarios", other, NULL);
    g_autofree char *with_suffix = g_strconcat (bundled, ".scenario", NULL);
    if (g_file_test (bundled, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer (&bundled);
    if (g_file_test (with_suffix, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer (&with_suffix);
  }
  return g_strdup (other);
}

/* "N,M": two connection numbers from 1. */
static gboolean
parse_connections (const char *text, guint *a, guint *b, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  guint *out[2] = { a, b };
  if (g_strv_length (parts) != 2)
    goto bad;
  for (guint i = 0; i < 2; i++) {
    char *end;
    guint64 n = g_ascii_strtoull (parts[i], &end, 10);
    if (!*parts[i] || *end || n == 0 || n > G_MAXUINT)
      goto bad;
    *out[i] = (guint)n;
  }
  return TRUE;
bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--compare-connections=%s: give two connection numbers from 1, as N,M", text);
  return FALSE;
}

char *
hl_cli_compare (HlRun *run, const char *other, const HlCaptureOptions *capture_options,
                const char *connections, gboolean md, const HlLadderOptions *options, double scale,
                const gboolean want[HL_CLI_COMPARE_N_FORMATS],
                GBytes *pair[HL_CLI_COMPARE_N_FORMATS], char **warning, GError **error)
{
  g_autoptr (HlScenario) scenario = NULL;
  g_autoptr (HlRun) other_run = NULL;
  g_autoptr (HlComparison) cmp = NULL;
  guint a = 0, b = 0;
  if (connections && !parse_connections (connections, &a, &b, error))
    return NULL;
  if (hl_capture_sniff (other)) {
    /* A captured connection, as the capture reader makes it into a run. */
    other_run = hl_capture_open (other, capture_options, warning, error);
    if (!other_run)
      return NULL;
  } else {
    scenario = hl_scenario_load (other, error);
    if (!scenario)
      return NULL;
    /* Its own run, from its own start: nothing is shared with the first lesson's. */
    other_run = hl_run_new_checked (scenario, error);
    if (!other_run)
      return NULL;
  }
  hl_run_run_to_end (other_run);
  cmp = hl_comparison_new (run, a, other_run, b, error);
  if (!cmp)
    return NULL;
  for (guint i = 0; i < HL_CLI_COMPARE_N_FORMATS; i++) {
    if (!want[i])
      continue;
    pair[i] = i == 0   ? hl_compare_render_png (run, other_run, cmp, options, scale, error)
              : i == 1 ? hl_compare_render_svg (run, other_run, cmp, options, error)
              : i == 2 ? hl_compare_render_pdf (run, other_run, cmp, options, error)
                       : hl_compare_render_html (run, other_run, cmp, options, error);
    if (!pair[i]) {
      for (guint k = 0; k < i; k++)
        g_clear_pointer (&pair[k], g_bytes_unref);
      return NULL;
    }
  }
  return md ? hl_comparison_to_markdown (cmp) : hl_comparison_to_text (cmp);
}
