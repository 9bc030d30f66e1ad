#include "hl-test-util.h"

#include <string.h>
#include <unistd.h>

char *
hl_test_source_path (const char *relative)
{
  return g_build_filename (HL_SOURCE_DIR, relative, NULL);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

GPtrArray *
hl_test_bundled_names (void)
{
  g_autofree char *dir = hl_test_source_path ("scenarios");
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".scenario"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

HlScenario *
hl_test_load_bundled (const char *name)
{
  g_autofree char *rel = g_build_filename ("scenarios", name, NULL);
  g_autofree char *path = hl_test_source_path (rel);
  g_autoptr (GError) error = NULL;
  HlScenario *s = hl_scenario_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

char *
hl_test_write_scenario (const char *text)
{
  static char *dir;
  static guint counter;
  char *path;
  if (!dir) {
    g_autofree char *assets = hl_test_source_path ("assets");
    g_autofree char *link = NULL;
    dir = g_dir_make_tmp ("hl-test-XXXXXX", NULL);
    g_assert_nonnull (dir);
    link = g_build_filename (dir, "assets", NULL);
    g_assert_cmpint (symlink (assets, link), ==, 0);
    {
      g_autofree char *data = hl_test_source_path ("tests/data");
      g_autofree char *dlink = g_build_filename (dir, "data", NULL);
      g_assert_cmpint (symlink (data, dlink), ==, 0);
    }
  }
  path = g_strdup_printf ("%s/case-%u.scenario", dir, ++counter);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

HlRun *
hl_test_run (const HlScenario *s)
{
  HlRun *run = hl_run_new (s);
  hl_run_run_to_end (run);
  return run;
}
