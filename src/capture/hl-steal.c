/* hl-steal.c: the observer's capture and the stolen key, read back (hl-steal.h). */
#include "hl-steal.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hl-capture-reader.h"
#include "hl-pcapng-writer.h"
#include "hl-recorded.h"

static guint32
get32 (const guint8 *p, gboolean swap)
{
  guint32 v;
  memcpy (&v, p, 4);
  return swap ? GUINT32_SWAP_LE_BE (v) : v;
}

/* pcapng blocks: type, total length, body, total length; each Section Header Block says
 * its section's byte order. */
GBytes *
hl_pcapng_discard_secrets (const guint8 *data, gsize len)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  gboolean swap = FALSE;
  gsize at = 0;
  if (len < 12 || memcmp (data, "\x0a\x0d\x0d\x0a", 4) != 0)
    return NULL;
  while (at < len) {
    guint32 type, total;
    if (len - at < 12)
      return NULL;
    if (memcmp (data + at, "\x0a\x0d\x0d\x0a", 4) == 0) {
      guint32 magic = get32 (data + at + 8, FALSE);
      if (magic == 0x1A2B3C4D)
        swap = FALSE;
      else if (GUINT32_SWAP_LE_BE (magic) == 0x1A2B3C4D)
        swap = TRUE;
      else
        return NULL;
    }
    type = get32 (data + at, swap);
    total = get32 (data + at + 4, swap);
    if (total < 12 || total % 4 || total > len - at)
      return NULL;
    if (type != 0x0000000A)
      g_byte_array_append (out, data + at, total);
    at += total;
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* A temporary file holding data; its path, or NULL with error. */
static char *
write_temporary (const char *pattern, const void *data, gsize len, GError **error)
{
  char *path = NULL;
  int fd = g_file_open_tmp (pattern, &path, error);
  if (fd < 0)
    return NULL;
  g_close (fd, NULL);
  if (!g_file_set_contents (path, data, (gssize)len, error)) {
    g_unlink (path);
    g_free (path);
    return NULL;
  }
  return path;
}

HlStolenKey *
hl_steal_key (HlRun *live, GError **error)
{
  g_autoptr (HlStolenKey) s = g_new0 (HlStolenKey, 1);
  g_autofree char *capture_path = NULL, *key_path = NULL;
  gsize len = 0;
  g_autofree guint8 *full = NULL;
  const char *secrets[2] = { NULL, NULL };
  HlCaptureOptions options = { secrets, NULL, 0 };
  g_autofree char *warning = NULL;
  s->key_pem = hl_run_server_key_pem (live, error);
  if (!s->key_pem)
    return NULL;
  full = hl_pcapng_from_run (live, &len);
  s->capture = hl_pcapng_discard_secrets (full, len);
  if (!s->capture) {
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_UNREADABLE,
                 "the lesson's own capture is not a pcapng this program reads back");
    return NULL;
  }
  capture_path = write_temporary ("hl-observed-XXXXXX.pcapng", g_bytes_get_data (s->capture, NULL),
                                  g_bytes_get_size (s->capture), error);
  if (!capture_path)
    return NULL;
  key_path = write_temporary ("hl-stolen-key-XXXXXX.pem", s->key_pem, strlen (s->key_pem), error);
  if (!key_path) {
    g_unlink (capture_path);
    return NULL;
  }
  secrets[0] = key_path;
  s->observer = hl_capture_open (capture_path, &options, &warning, error);
  g_unlink (capture_path);
  g_unlink (key_path);
  if (!s->observer)
    return NULL;
  hl_run_run_to_end (s->observer);
  s->report = hl_steal_report_new (live, s->observer);
  return g_steal_pointer (&s);
}

void
hl_stolen_key_free (HlStolenKey *s)
{
  if (!s)
    return;
  g_clear_pointer (&s->capture, g_bytes_unref);
  g_free (s->key_pem);
  g_clear_pointer (&s->observer, hl_run_free);
  g_clear_pointer (&s->report, hl_steal_report_free);
  g_free (s);
}
