/* hl-steal-cli.c: --steal-key[=OUT_DIR] (hl-steal-cli.h; README, "Forward secrecy"). */
#include "hl-steal-cli.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hl-steal.h"

#define CAPTURE_NAME "capture-without-secrets.pcapng"
#define KEY_NAME "server-key.pem"
#define REPORT_NAME "stolen-key.txt"

GBytes *
hl_cli_steal_key (HlRun *run, const char *dir, GPtrArray *paths, GPtrArray *contents,
                  GError **error)
{
  g_autoptr (HlStolenKey) stolen = hl_steal_key (run, error);
  g_autofree char *text = NULL;
  GString *report;
  if (!stolen)
    return NULL;
  text = hl_steal_report_to_text (stolen->report, CAPTURE_NAME, KEY_NAME);
  report = g_string_new (text);
  /* Wireshark's own RSA-key decryption (its rsa_keys table: key file, no password). */
  g_string_append_printf (
      report,
      "\nWireshark's own decryption with the same two files (it opens RSA key exchange "
      "only):\n"
      "  tshark -r %s -o 'uat:rsa_keys:\"%s\",\"\"' -Y tls.app_data -x\n",
      CAPTURE_NAME, KEY_NAME);
  if (dir) {
    if (g_mkdir_with_parents (dir, 0755) != 0) {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   "%s: cannot create the folder: %s", dir, g_strerror (e));
      g_string_free (report, TRUE);
      return NULL;
    }
    g_ptr_array_add (paths, g_build_filename (dir, CAPTURE_NAME, NULL));
    g_ptr_array_add (contents, g_bytes_ref (stolen->capture));
    g_ptr_array_add (paths, g_build_filename (dir, KEY_NAME, NULL));
    g_ptr_array_add (contents, g_bytes_new (stolen->key_pem, strlen (stolen->key_pem)));
    g_ptr_array_add (paths, g_build_filename (dir, REPORT_NAME, NULL));
    g_ptr_array_add (contents, g_bytes_new (report->str, report->len));
  }
  return g_string_free_to_bytes (report);
}
