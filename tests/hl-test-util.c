#include "hl-test-util.h"

#include <string.h>
#include <unistd.h>

char *
hl_test_source_path (const char *relative)
{
  return g_build_filename (HL_SOURCE_DIR, relative, NULL);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

GPtrArray *
hl_test_bundled_names (void)
{
  g_autofree char *dir = hl_test_source_path ("scenarios");
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".scenario"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

HlScenario *
hl_test_load_bundled (const char *name)
{
  g_autofree char *rel = g_build_filename ("scenarios", name, NULL);
  g_autofree char *path = hl_test_source_path (rel);
  g_autoptr (GError) error = NULL;
  HlScenario *s = hl_scenario_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

char *
hl_test_write_scenario (const char *text)
{
  static char *dir;
  static guint counter;
  char *path;
  if (!dir) {
    g_autofree char *assets = hl_test_source_path ("assets");
    g_autofree char *link = NULL;
    dir = g_dir_make_tmp ("hl-test-XXXXXX", NULL);
    g_assert_nonnull (dir);
    link = g_build_filename (dir, "assets", NULL);
    g_assert_cmpint (symlink (assets, link), ==, 0);
    {
      g_autofree char *data = hl_test_source_path ("tests/data");
      g_autofree char *dlink = g_build_filename (dir, "data", NULL);
      g_assert_cmpint (symlink (data, dlink), ==, 0);
    }
  }
  path = g_strdup_printf ("%s/case-%u.scenario", dir, ++counter);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

HlRun *
hl_test_run (const HlScenario *s)
{
  HlRun *run = hl_run_new (s);
  hl_run_run_to_end (run);
  return run;
}

/* Key log lines, as a key log file carries them. */
static const struct {
  const char *label;
  HlSecretId id;
} labels[] = {
  { "CLIENT_RANDOM", HL_SECRET_MASTER },
  { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC },
  { "SERVER_HANDSHAKE_TRAFFIC_SECRET", HL_SECRET_SERVER_HANDSHAKE_TRAFFIC },
  { "CLIENT_TRAFFIC_SECRET_0", HL_SECRET_CLIENT_APPLICATION_TRAFFIC },
  { "SERVER_TRAFFIC_SECRET_0", HL_SECRET_SERVER_APPLICATION_TRAFFIC },
};

HlRecording *
hl_test_record (HlRun *live, gsize chunk, gboolean with_keys)
{
  HlRecording *rec = hl_recording_new ("live.pcapng");
  for (guint ci = 0; ci < hl_run_get_n_connections (live); ci++) {
    const HlConnection *c = hl_run_get_connection (live, ci);
    guint n = hl_recording_add_connection (rec, "192.0.2.10:50000", "192.0.2.20:443", ci + 1);
    for (guint si = 0; si < c->steps->len; si++) {
      const HlStep *st = g_ptr_array_index (c->steps, si);
      gsize len;
      const guint8 *d = g_bytes_get_data (st->record_wire, &len);
      /* Records split over segments at any byte: chunk bytes at a time. */
      for (gsize off = 0; off < len; off += chunk)
        hl_recording_add_bytes (rec, n, st->from, 1000000 * (gint64)st->index + (gint64)off,
                                d + off, MIN (chunk, len - off));
    }
    for (guint k = 0; with_keys && k < G_N_ELEMENTS (labels); k++) {
      GBytes *v = c->secrets.value[labels[k].id];
      if (!v || (c->version == 0x0304) != (labels[k].id != HL_SECRET_MASTER))
        continue;
      g_assert_true (hl_recording_add_secret (
          rec, labels[k].label, g_bytes_get_data (c->secrets.value[HL_SECRET_CLIENT_RANDOM], NULL),
          g_bytes_get_data (v, NULL), g_bytes_get_size (v)));
    }
  }
  return rec;
}
