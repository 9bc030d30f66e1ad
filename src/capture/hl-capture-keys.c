/* hl-capture-keys.c: key logs found beside a capture (hl-capture-keys.h). */
#include "hl-capture-keys.h"

#include <string.h>

static void
add_if_file (GPtrArray *out, char *path)
{
  for (guint i = 0; i < out->len; i++)
    if (strcmp (out->pdata[i], path) == 0) {
      g_free (path);
      return;
    }
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_ptr_array_add (out, path);
  else
    g_free (path);
}

static int
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

char **
hl_capture_find_key_files (const char *capture_path)
{
  GPtrArray *out = g_ptr_array_new ();
  g_autofree char *dir = g_path_get_dirname (capture_path);
  g_autofree char *base = g_path_get_basename (capture_path);
  const char *dot = strrchr (base, '.');
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  add_if_file (out, g_strconcat (capture_path, ".keys", NULL));
  if (dot && dot != base) {
    g_autofree char *stem = g_strndup (base, dot - base);
    add_if_file (out, g_strdup_printf ("%s%s%s.keys", dir, G_DIR_SEPARATOR_S, stem));
  }
  add_if_file (out, g_build_filename (dir, "keylog.txt", NULL));
  while (d && (name = g_dir_read_name (d)))
    if (g_ascii_strncasecmp (name, "sslkeylog", 9) == 0)
      g_ptr_array_add (found, g_strdup (name));
  g_ptr_array_sort (found, by_name);
  for (guint i = 0; i < found->len; i++)
    add_if_file (out, g_build_filename (dir, found->pdata[i], NULL));
  g_ptr_array_add (out, NULL);
  return (char **)g_ptr_array_free (out, FALSE);
}
