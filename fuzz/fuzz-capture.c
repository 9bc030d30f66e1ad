/* libFuzzer target: the capture reader. An input that starts with a pcap or pcapng magic
 * is read as a capture file (libpcap, link layers, TCP reassembly, pcapng Decryption
 * Secrets Blocks, then the recorded run); any other input is two TLS byte streams, cut
 * into segments by its own bytes, handed straight to the recorded run. Every run is
 * stepped to its end, back to the start and listed; a capture is also read by
 * --list-connections' streaming reader. */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "hl-capture-reader.h"
#include "hl-recorded.h"

static void
exercise (HlRun *run)
{
  HlRecordedConnection info;
  hl_run_run_to_end (run);
  hl_run_seek (run, hl_run_get_n_steps (run) / 2);
  hl_run_seek (run, 0);
  hl_run_run_to_end (run);
  for (guint i = 0; hl_run_get_recorded_connection (run, i, &info); i++)
    g_assert_cmpuint (info.n_messages, <=, hl_run_get_n_steps (run));
  hl_run_free (run);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path;
  if (size >= 4
      && ((data[0] == 0xd4 && data[1] == 0xc3) || (data[0] == 0xa1 && data[1] == 0xb2)
          || (data[0] == 0x4d && data[1] == 0x3c) || (data[0] == 0x0a && data[1] == 0x0d))) {
    GError *error = NULL;
    char *warning = NULL;
    HlRun *run;
    HlRecordedConnection info;
    guint n_connections = 0;
    if (!path)
      path = g_strdup_printf ("%s/hl-fuzz-capture-%d.pcap", g_get_tmp_dir (), (int)getpid ());
    if (!g_file_set_contents (path, (const char *)data, size, NULL))
      return 0;
    run = hl_capture_open (path, NULL, &warning, &error);
    g_free (warning);
    warning = NULL;
    while (run && hl_run_get_recorded_connection (run, n_connections, &info))
      n_connections++;
    if (run)
      exercise (run);
    else
      g_clear_error (&error);
    {
      /* The listing reads the same file as a stream, each connection built when its TCP
       * stream closes: it finds the connections the full read found. */
      GPtrArray *list = hl_capture_list (path, NULL, &warning, &error);
      g_free (warning);
      if (list) {
        g_assert_cmpuint (list->len, ==, n_connections);
        g_ptr_array_unref (list);
      } else {
        g_clear_error (&error);
      }
    }
    return 0;
  }
  {
    /* Each segment: a length byte (its low bit says the side), then that many bytes. */
    HlRecording *rec = hl_recording_new ("fuzz");
    guint n = hl_recording_add_connection (rec, "a:1", "b:2", 1);
    size_t off = 0;
    static const guint8 random[32] = { 0 }, master[48] = { 1 };
    hl_recording_add_secret (rec, "CLIENT_RANDOM", random, master, sizeof master);
    while (off < size) {
      size_t len = MIN ((size_t)(data[off] >> 1) + 1, size - off - 1);
      HlSide side = data[off] & 1 ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
      hl_recording_add_bytes (rec, n, side, (gint64)off, data + off + 1, len);
      off += 1 + len;
    }
    exercise (hl_run_new_recorded (rec, NULL));
  }
  return 0;
}
