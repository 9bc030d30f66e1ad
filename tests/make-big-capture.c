/* make-big-capture: a large capture for the streaming test and benchmark P6, written by
 * the lab's own pcapng writer.
 *
 *   make-big-capture OUT.pcapng CONNECTIONS BYTES
 *
 * Each connection is a live run of lesson 02 (TLS 1.2, ECDHE-RSA, AES-128-GCM) with its
 * own seed, so its own randoms and keys, whose server answers BYTES bytes. Each run's
 * pcapng (hl_pcapng_from_run) gives its frames, which are given their own client
 * address and port and interleaved eight connections at a time, as a busy capture is;
 * every run's key log goes into one Decryption Secrets Block at the front. Written as it
 * goes: the file is never held whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hl-pcapng-writer.h"
#include "hl-data.h"
#include "hl-run.h"
#include "hl-scenario.h"

#define GROUP 8

typedef struct {
  guint8 *data;
  gsize len;
} Frame;

static guint32
get32 (const guint8 *p)
{
  guint32 v;
  memcpy (&v, p, 4);
  return v;
}

static void
put32 (FILE *f, guint32 v)
{
  fwrite (&v, 4, 1, f);
}

static void
write_block (FILE *f, guint32 type, const guint8 *body, gsize len)
{
  static const guint8 zeros[4] = { 0 };
  gsize padded = (len + 3) & ~(gsize)3;
  put32 (f, type);
  put32 (f, (guint32)(padded + 12));
  fwrite (body, 1, len, f);
  fwrite (zeros, 1, padded - len, f);
  put32 (f, (guint32)(padded + 12));
}

/* One live run: its frames (Ethernet/IPv4/TCP, client port and address made its own)
 * and its key log. */
static GPtrArray *
run_frames (HlScenario *s, guint n, GString *keylog)
{
  g_autoptr (HlRun) run = NULL;
  g_autofree guint8 *cap = NULL;
  GPtrArray *frames = g_ptr_array_new ();
  gsize len, off = 0;
  g_free (s->seed);
  s->seed = g_strdup_printf ("make-big-capture-%u", n);
  run = hl_run_new (s);
  hl_run_run_to_end (run);
  cap = hl_pcapng_from_run (run, &len);
  while (off + 12 <= len) {
    guint32 type = get32 (cap + off), total = get32 (cap + off + 4);
    const guint8 *body = cap + off + 8;
    if (type == 0x0000000A) {
      /* Its lines without the comment each run's key log opens with. */
      g_autofree char *text = g_strndup ((const char *)body + 8, get32 (body + 4));
      g_auto (GStrv) lines = g_strsplit (text, "\n", 0);
      for (char **l = lines; *l; l++)
        if (**l && **l != '#')
          g_string_append_printf (keylog, "%s\n", *l);
    }
    if (type == 6) {
      Frame *fr = g_new0 (Frame, 1);
      guint16 port = (guint16)(1024 + n % 60000);
      guint8 *ip, *tcp;
      fr->len = get32 (body + 12);
      fr->data = g_memdup2 (body + 20, fr->len);
      ip = fr->data + 14;
      tcp = ip + 20;
      /* 192.0.2.10 becomes 10.x.y.z, one address per 60000 connections. */
      for (int side = 0; side < 2; side++) {
        guint8 *addr = ip + (side ? 16 : 12);
        if (addr[3] == 10) {
          addr[0] = 10;
          addr[1] = (guint8)(n / 60000 >> 8);
          addr[2] = (guint8)(n / 60000);
          addr[3] = 1;
        }
      }
      ip[10] = ip[11] = 0; /* the header checksum, made again */
      {
        guint32 sum = 0;
        for (int i = 0; i < 20; i += 2)
          sum += (guint32)ip[i] << 8 | ip[i + 1];
        while (sum >> 16)
          sum = (sum & 0xffff) + (sum >> 16);
        ip[10] = (guint8)(~sum >> 8);
        ip[11] = (guint8)~sum;
      }
      if ((tcp[0] << 8 | tcp[1]) != 443) {
        tcp[0] = port >> 8;
        tcp[1] = port & 0xff;
      } else {
        tcp[2] = port >> 8;
        tcp[3] = port & 0xff;
      }
      g_ptr_array_add (frames, fr);
    }
    off += total;
  }
  return frames;
}

static void
write_frame (FILE *f, const Frame *fr, guint64 time_us)
{
  g_autofree guint8 *body = g_malloc (20 + fr->len);
  guint32 v[5]
      = { 0, (guint32)(time_us >> 32), (guint32)time_us, (guint32)fr->len, (guint32)fr->len };
  memcpy (body, v, 20);
  memcpy (body + 20, fr->data, fr->len);
  write_block (f, 6, body, 20 + fr->len);
}

int
main (int argc, char **argv)
{
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) s = NULL;
  g_autoptr (GString) keylog = g_string_new (NULL);
  guint n, bytes;
  guint64 time_us = 1767225600ull * 1000000;
  FILE *f;
  long dsb_at;
  if (argc != 4) {
    fprintf (stderr, "usage: make-big-capture OUT.pcapng CONNECTIONS BYTES\n");
    return 2;
  }
  n = (guint)atoi (argv[2]);
  bytes = (guint)atoi (argv[3]);
  path = g_build_filename (hl_data_dir (), "scenarios", "02-ecdhe-rsa-aes-gcm.scenario", NULL);
  s = hl_scenario_load (path, &error);
  if (!s) {
    fprintf (stderr, "make-big-capture: %s\n", error->message);
    return 2;
  }
  g_free (s->server_data);
  s->server_data = g_malloc (bytes + 1);
  memset (s->server_data, 'a', bytes);
  s->server_data[bytes] = '\0';
  f = fopen (argv[1], "wb");
  if (!f) {
    perror (argv[1]);
    return 1;
  }
  {
    /* Section header (little-endian, version 1.0, length unknown), Ethernet interface. */
    guint8 shb[16] = { 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0 };
    guint8 idb[8] = { 1, 0, 0, 0, 0, 0, 4, 0 };
    memset (shb + 8, 0xff, 8);
    write_block (f, 0x0A0D0D0A, shb, sizeof shb);
    write_block (f, 1, idb, sizeof idb);
  }
  /* The key log goes first, as Wireshark requires; its size is known only at the end,
   * so a block of the right size is reserved: each run adds at most 200 bytes. */
  dsb_at = ftell (f);
  {
    gsize room = (gsize)n * 200 + 8;
    g_autofree guint8 *blank = g_malloc0 (room);
    write_block (f, 0x0000000A, blank, room);
  }
  for (guint first = 0; first < n; first += GROUP) {
    GPtrArray *group[GROUP] = { NULL };
    guint count = MIN (GROUP, n - first);
    gboolean more = TRUE;
    for (guint k = 0; k < count; k++)
      group[k] = run_frames (s, first + k, keylog);
    /* Round robin: one frame of each connection in turn. */
    for (guint i = 0; more; i++) {
      more = FALSE;
      for (guint k = 0; k < count; k++)
        if (i < group[k]->len) {
          write_frame (f, g_ptr_array_index (group[k], i), time_us);
          time_us += 50;
          more = TRUE;
        }
    }
    for (guint k = 0; k < count; k++) {
      for (guint i = 0; i < group[k]->len; i++) {
        Frame *fr = g_ptr_array_index (group[k], i);
        g_free (fr->data);
        g_free (fr);
      }
      g_ptr_array_unref (group[k]);
    }
  }
  {
    /* The key log, padded with newlines to the reserved size. */
    gsize room = (gsize)n * 200;
    g_autofree guint8 *body = g_malloc (room + 8);
    guint32 head[2] = { 0x544C534B, (guint32)room };
    if (keylog->len > room) {
      fprintf (stderr, "make-big-capture: the key log outgrew its block\n");
      return 1;
    }
    memcpy (body, head, 8);
    memset (body + 8, '\n', room);
    memcpy (body + 8, keylog->str, keylog->len);
    fseek (f, dsb_at, SEEK_SET);
    write_block (f, 0x0000000A, body, room + 8);
  }
  if (fclose (f) != 0) {
    perror (argv[1]);
    return 1;
  }
  return 0;
}
