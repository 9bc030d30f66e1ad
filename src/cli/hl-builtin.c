/* hl-builtin.c: the default lesson, from the program's own resources.
 *
 * The scenario loader reads files and resolves PEM paths next to the scenario,
 * so the built-in copy is written to a private temporary folder, run, and removed. */
#include "hl-builtin.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#define PREFIX "/org/handshakelab/HandshakeLab/builtin/"

static const char *const files[] = {
  "scenarios/01-rsa-key-exchange.scenario",
  "assets/pki/root-ca.crt",
  "assets/pki/server-rsa-chain.pem",
  "assets/pki/server-rsa.key",
};

char *
hl_builtin_extract_default (char **folder, GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("handshake-lab-XXXXXX", error);
  if (!dir)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *res = g_strconcat (PREFIX, files[i], NULL);
    g_autofree char *path = g_build_filename (dir, files[i], NULL);
    g_autofree char *parent = g_path_get_dirname (path);
    g_autoptr (GBytes) data = g_resources_lookup_data (res, 0, error);
    if (!data || g_mkdir_with_parents (parent, 0700) != 0
        || !g_file_set_contents (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                 error)) {
      if (error && !*error)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot create %s", parent);
      hl_builtin_remove (dir);
      return NULL;
    }
  }
  *folder = g_strdup (dir);
  return g_build_filename (dir, files[0], NULL);
}

void
hl_builtin_remove (const char *folder)
{
  for (guint i = G_N_ELEMENTS (files); i > 0; i--) {
    g_autofree char *path = g_build_filename (folder, files[i - 1], NULL);
    g_unlink (path);
  }
  {
    g_autofree char *pki = g_build_filename (folder, "assets", "pki", NULL);
    g_autofree char *assets = g_build_filename (folder, "assets", NULL);
    g_autofree char *scenarios = g_build_filename (folder, "scenarios", NULL);
    g_rmdir (pki);
    g_rmdir (assets);
    g_rmdir (scenarios);
    g_rmdir (folder);
  }
}
