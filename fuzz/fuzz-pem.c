/* libFuzzer target: PEM, certificate and private-key loading, as trust anchors and as
 * a chain with its key. The loaders read files, so the input goes through one. */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "hl-credentials.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path;
  GError *error = NULL;
  HlTrustAnchors *tas;
  HlCredentials *creds;
  if (!path) {
    path = g_strdup_printf ("%s/hl-fuzz-pem-%d.pem", g_get_tmp_dir (), (int)getpid ());
  }
  if (!g_file_set_contents (path, (const char *)data, size, NULL))
    return 0;
  tas = hl_trust_anchors_new ();
  if (!hl_trust_anchors_add_file (tas, path, &error))
    g_clear_error (&error);
  hl_trust_anchors_free (tas);
  creds = hl_credentials_load (path, path, &error);
  if (!creds)
    g_clear_error (&error);
  hl_credentials_free (creds);
  return 0;
}
