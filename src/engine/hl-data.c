/* hl-data.c: finding the bundled files. */
#include "hl-config.h"
#include "hl-data.h"

#include <string.h>

#define DEFAULT_SCENARIO "01-rsa-key-exchange.scenario"

static gboolean
has_scenarios (const char *dir)
{
  g_autofree char *p = g_build_filename (dir, "scenarios", DEFAULT_SCENARIO, NULL);
  return g_file_test (p, G_FILE_TEST_IS_REGULAR);
}

/* A binary run from the build tree finds the source tree through the file
 * hl-uninstalled-datadir that meson leaves at the top of the build tree (never installed):
 * so the installed binary holds no path of the machine that built it. NULL elsewhere. */
static char *
find_uninstalled_datadir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;
  for (int up = 0; dir && up < 4; up++) {
    g_autofree char *marker = g_build_filename (dir, "hl-uninstalled-datadir", NULL);
    g_autofree char *text = NULL;
    char *parent;
    if (g_file_get_contents (marker, &text, NULL, NULL)) {
      g_strstrip (text);
      return has_scenarios (text) ? g_steal_pointer (&text) : NULL;
    }
    parent = g_path_get_dirname (dir);
    g_free (dir);
    dir = parent;
  }
  return NULL;
}

const char *
hl_data_dir (void)
{
  /* Decided once per process, safely from any thread. */
  static char *dir;
  if (g_once_init_enter (&dir)) {
    const char *env = g_getenv ("HANDSHAKE_LAB_DATADIR");
    char *found;
    if (env && *env)
      found = g_strdup (env);
    else if ((found = find_uninstalled_datadir ()))
      ;
    else
      found = g_strdup (HL_PKGDATADIR);
    g_once_init_leave (&dir, found);
  }
  return dir;
}

char *
hl_data_default_scenario (void)
{
  return g_build_filename (hl_data_dir (), "scenarios", DEFAULT_SCENARIO, NULL);
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
hl_data_list_scenarios (void)
{
  g_autofree char *folder = g_build_filename (hl_data_dir (), "scenarios", NULL);
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  GPtrArray *files;
  const char *name;
  if (!dir)
    return NULL;
  files = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".scenario"))
      g_ptr_array_add (files, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (files, compare_paths);
  return files;
}
