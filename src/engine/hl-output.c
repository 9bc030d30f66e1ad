/* hl-output.c */
#include "hl-output.h"
#include "hl-i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static const char *
plain_reason (int err)
{
  switch (err) {
  case ENOENT:
    return _ ("no such folder");
  case ENOTDIR:
    return _ ("a part of the path is a file, not a folder");
  case EISDIR:
    return "is a folder";
  case EACCES:
  case EPERM:
    return "permission denied";
  case EROFS:
    return _ ("the disk is read-only");
  case ENOSPC:
    return _ ("the disk is full");
  default:
    return g_strerror (err);
  }
}

static void
fail (GError **error, const char *path, int err)
{
  g_autofree char *folder = g_path_get_dirname (path);
  /* ENOENT from a folder that exists: it takes no new files (/proc, /sys). */
  const char *reason = err == ENOENT && g_file_test (folder, G_FILE_TEST_IS_DIR)
                           ? _ ("the folder exists, but no new file can be made in it")
                           : plain_reason (err);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err), _ ("cannot write %s: %s"), path,
               reason);
}

/* Writes the data to a new temporary file beside path; its name in *tmp. */
static gboolean
write_temporary (const char *path, GBytes *data, char **tmp, GError **error)
{
  gsize len;
  const char *d = g_bytes_get_data (data, &len);
  int fd;
  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    fail (error, path, EISDIR);
    return FALSE;
  }
  *tmp = g_strdup_printf ("%s.XXXXXX", path);
  fd = g_mkstemp_full (*tmp, O_WRONLY, 0644);
  if (fd < 0) {
    int err = errno;
    g_clear_pointer (tmp, g_free);
    fail (error, path, err);
    return FALSE;
  }
  while (len > 0) {
    ssize_t n = write (fd, d, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      close (fd);
      g_unlink (*tmp);
      g_clear_pointer (tmp, g_free);
      fail (error, path, err);
      return FALSE;
    }
    d += n;
    len -= n;
  }
  if (fsync (fd) != 0 || close (fd) != 0) {
    int err = errno;
    g_unlink (*tmp);
    g_clear_pointer (tmp, g_free);
    fail (error, path, err);
    return FALSE;
  }
  return TRUE;
}

gboolean
hl_write_files_atomically (const char *const *paths, GBytes *const *contents, guint n,
                           GError **error)
{
  g_autoptr (GPtrArray) tmps = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++) {
    char *tmp = NULL;
    if (!write_temporary (paths[i], contents[i], &tmp, error)) {
      for (guint k = 0; k < tmps->len; k++)
        g_unlink (tmps->pdata[k]);
      return FALSE;
    }
    g_ptr_array_add (tmps, tmp);
  }
  for (guint i = 0; i < n; i++) {
    if (g_rename (tmps->pdata[i], paths[i]) != 0) {
      int err = errno;
      for (guint k = i; k < n; k++)
        g_unlink (tmps->pdata[k]);
      fail (error, paths[i], err);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
hl_write_file_atomically (const char *path, const char *data, gsize len, GError **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new_static (data, len);
  const char *paths[] = { path };
  GBytes *contents[] = { bytes };
  return hl_write_files_atomically (paths, contents, 1, error);
}
