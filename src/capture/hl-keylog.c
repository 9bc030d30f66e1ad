/* hl-keylog.c: secrets for a capture: NSS key log files, and the key logs a pcapng
 * carries in its Decryption Secrets Blocks. */
#include "hl-capture-private.h"
#include "hl-capture-reader.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

/* Hex to bytes; FALSE unless the whole text is an even number of hex digits. */
static gboolean
unhex (const char *text, gsize len, guint8 *out)
{
  if (len % 2)
    return FALSE;
  for (gsize i = 0; i < len; i += 2) {
    int hi = hex_value (text[i]), lo = hex_value (text[i + 1]);
    if (hi < 0 || lo < 0)
      return FALSE;
    out[i / 2] = (guint8)(hi << 4 | lo);
  }
  return TRUE;
}

gboolean
hl_keylog_parse (HlRecording *rec, const char *text, gsize len, const char *name, guint *n_lines,
                 GError **error)
{
  guint line_no = 0;
  gsize off = 0;
  *n_lines = 0;
  while (off < len) {
    const char *line = text + off;
    const char *nl = memchr (line, '\n', len - off);
    gsize llen = nl ? (gsize)(nl - line) : len - off;
    g_auto (GStrv) parts = NULL;
    g_autofree char *copy = NULL;
    guint8 random[32], secret[64];
    gsize rlen, slen;
    off += llen + (nl ? 1 : 0);
    line_no++;
    while (llen && (line[llen - 1] == '\r' || line[llen - 1] == ' ' || line[llen - 1] == '\t'))
      llen--;
    if (llen == 0 || line[0] == '#')
      continue;
    copy = g_strndup (line, llen);
    parts = g_strsplit_set (copy, " \t", 0);
    {
      /* Fields are separated by one or more spaces. */
      GStrvBuilder *b = g_strv_builder_new ();
      for (char **p = parts; *p; p++)
        if (**p)
          g_strv_builder_add (b, *p);
      g_strfreev (parts);
      parts = g_strv_builder_end (b);
      g_strv_builder_unref (b);
    }
    /* Labels the lab does not know (NSS's "RSA" line, another tool's extension) are
     * left alone, whatever their layout. */
    if (g_strv_length (parts) >= 1 && !hl_recording_knows_label (parts[0]))
      continue;
    if (g_strv_length (parts) != 3 || (rlen = strlen (parts[1])) != 64
        || !unhex (parts[1], rlen, random) || (slen = strlen (parts[2])) > 128
        || !unhex (parts[2], slen, secret) || slen == 0) {
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_SECRETS,
                   "%s:%u: not an NSS key log line (LABEL, the 64 hex digits of a client "
                   "random, the secret in hex)",
                   name, line_no);
      return FALSE;
    }
    if (hl_recording_add_secret (rec, parts[0], random, secret, slen / 2))
      (*n_lines)++;
  }
  return TRUE;
}

static guint32
get32 (const guint8 *p, gboolean swap)
{
  guint32 v;
  memcpy (&v, p, 4);
  return swap ? GUINT32_SWAP_LE_BE (v) : v;
}

/* Reads len bytes at offset at through a window of the file kept in buf: blocks are
 * walked in order, so most headers are already there and the file is read in large
 * pieces, once (a system call per 12-byte header cost more than the whole read). */
typedef struct {
  int fd;
  guint8 *buf;
  guint64 start; /* file offset of buf[0] */
  gsize len;     /* bytes in buf */
} Window;

#define WINDOW_SIZE (1024 * 1024)

static gboolean
window_read (Window *w, guint64 at, guint8 *out, gsize len)
{
  if (len > WINDOW_SIZE)
    return pread (w->fd, out, len, (off_t)at) == (ssize_t)len;
  if (at < w->start || at + len > w->start + w->len) {
    ssize_t got = pread (w->fd, w->buf, WINDOW_SIZE, (off_t)at);
    w->start = at;
    w->len = got > 0 ? (gsize)got : 0;
    if (w->len < len)
      return FALSE;
  }
  memcpy (out, w->buf + (at - w->start), len);
  return TRUE;
}

/* pcapng (draft-ietf-opsawg-pcapng): blocks of type, total length, body, total length.
 * A Section Header Block (0x0A0D0D0A) says the byte order of its section; a Decryption
 * Secrets Block (0x0000000A) holds secrets type, length, the secrets. Read a window at a
 * time: a large capture is never held whole. */
gboolean
hl_keylog_from_pcapng (HlRecording *rec, const char *path, guint *n_blocks, GError **error)
{
  Window w = { open (path, O_RDONLY), NULL, 0, 0 };
  guint8 head[12];
  gboolean swap = FALSE, ok = TRUE;
  guint64 at = 0;
  *n_blocks = 0;
  if (w.fd < 0)
    return TRUE; /* libpcap says why it cannot open it */
  w.buf = g_malloc (WINDOW_SIZE);
  while (ok && window_read (&w, at, head, 12)) {
    guint32 type, total;
    if (memcmp (head, "\x0a\x0d\x0d\x0a", 4) == 0) {
      guint32 magic;
      memcpy (&magic, head + 8, 4);
      if (magic == 0x1A2B3C4D)
        swap = FALSE;
      else if (GUINT32_SWAP_LE_BE (magic) == 0x1A2B3C4D)
        swap = TRUE;
      else
        break;
    } else if (at == 0) {
      break; /* a classic pcap: no blocks */
    }
    type = get32 (head, swap);
    total = get32 (head + 4, swap);
    if (total < 12 || total % 4)
      break; /* a damaged block: libpcap reports the damage */
    if (type == 0x0000000A && total >= 20 && total <= 64 * 1024 * 1024) {
      guint32 stype = get32 (head + 8, swap);
      g_autofree guint8 *body = g_malloc (total - 12);
      guint32 slen;
      if (!window_read (&w, at + 12, body, total - 12))
        break;
      slen = get32 (body, swap);
      if (stype == 0x544C534B && slen <= total - 20) {
        g_autofree char *name = g_strdup_printf (
            "%s (Decryption Secrets Block at byte %" G_GUINT64_FORMAT ")", path, at);
        guint n;
        ok = hl_keylog_parse (rec, (const char *)body + 4, slen, name, &n, error);
        (*n_blocks) += ok;
      }
    }
    at += total;
  }
  g_free (w.buf);
  close (w.fd);
  return ok;
}
