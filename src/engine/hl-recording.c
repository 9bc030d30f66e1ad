/* hl-recording.c: what a recorded run is made of (hl-recorded.h): each connection's
 * byte streams with their times, key log lines, servers' RSA keys.
 */
#include "hl-recorded-private.h"

#include <string.h>

/* NSS key log labels and the secret each line carries. */
static const struct {
  const char *label;
  HlSecretId id; /* HL_N_SECRETS: accepted, but the lab has no use for it */
} key_labels[] = {
  { "CLIENT_RANDOM", HL_SECRET_MASTER },
  { "CLIENT_EARLY_TRAFFIC_SECRET", HL_SECRET_CLIENT_EARLY_TRAFFIC },
  { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC },
  { "SERVER_HANDSHAKE_TRAFFIC_SECRET", HL_SECRET_SERVER_HANDSHAKE_TRAFFIC },
  { "CLIENT_TRAFFIC_SECRET_0", HL_SECRET_CLIENT_APPLICATION_TRAFFIC },
  { "SERVER_TRAFFIC_SECRET_0", HL_SECRET_SERVER_APPLICATION_TRAFFIC },
  { "EXPORTER_SECRET", HL_SECRET_EXPORTER_MASTER },
  { "EARLY_EXPORTER_SECRET", HL_N_SECRETS },
};

static void
free_rec_conn (RecConn *c)
{
  g_free (c->client);
  g_free (c->server);
  g_free (c->note);
  for (int d = 0; d < 2; d++) {
    g_byte_array_unref (c->bytes[d]);
    g_array_unref (c->chunks[d]);
  }
  g_free (c);
}

static void
free_logged (Logged *l)
{
  g_bytes_unref (l->value);
  g_free (l);
}

HlRecording *
hl_recording_new (const char *source)
{
  HlRecording *rec = g_new0 (HlRecording, 1);
  rec->source = g_strdup (source ? source : "");
  rec->conns = g_ptr_array_new_with_free_func ((GDestroyNotify)free_rec_conn);
  rec->logged = g_ptr_array_new_with_free_func ((GDestroyNotify)free_logged);
  rec->keys = g_ptr_array_new_with_free_func ((GDestroyNotify)_hl_recorded_key_free);
  return rec;
}

HlRecording *
hl_recording_new_sharing_keys (HlRecording *keys_from)
{
  HlRecording *rec = g_new0 (HlRecording, 1);
  rec->source = g_strdup (keys_from->source);
  rec->conns = g_ptr_array_new_with_free_func ((GDestroyNotify)free_rec_conn);
  rec->logged = g_ptr_array_ref (keys_from->logged);
  rec->keys = g_ptr_array_ref (keys_from->keys);
  return rec;
}

void
hl_recording_free (HlRecording *rec)
{
  if (!rec)
    return;
  g_free (rec->source);
  g_ptr_array_unref (rec->conns);
  g_ptr_array_unref (rec->logged);
  g_ptr_array_unref (rec->keys);
  g_free (rec);
}

void
hl_recording_set_count_only (HlRecording *rec, gboolean count_only)
{
  rec->count_only = count_only;
}

guint
hl_recording_add_connection (HlRecording *rec, const char *client, const char *server,
                             guint file_number)
{
  RecConn *c = g_new0 (RecConn, 1);
  c->client = g_strdup (client);
  c->server = g_strdup (server);
  c->file_number = file_number;
  for (int d = 0; d < 2; d++) {
    c->bytes[d] = g_byte_array_new ();
    c->chunks[d] = g_array_new (FALSE, FALSE, sizeof (Chunk));
  }
  g_ptr_array_add (rec->conns, c);
  return rec->conns->len;
}

void
hl_recording_add_bytes (HlRecording *rec, guint connection, HlSide from, gint64 time_us,
                        const guint8 *data, gsize len)
{
  RecConn *c;
  Chunk ch;
  g_return_if_fail (connection >= 1 && connection <= rec->conns->len);
  if (len == 0)
    return;
  c = g_ptr_array_index (rec->conns, connection - 1);
  g_byte_array_append (c->bytes[from], data, len);
  ch.end = c->bytes[from]->len;
  ch.order = rec->order++;
  ch.time_us = time_us;
  g_array_append_val (c->chunks[from], ch);
}

void
hl_recording_set_note (HlRecording *rec, guint connection, const char *note)
{
  RecConn *c;
  g_return_if_fail (connection >= 1 && connection <= rec->conns->len);
  c = g_ptr_array_index (rec->conns, connection - 1);
  if (!c->note) /* the first reason it stops is the one that counts */
    c->note = g_strdup (note);
}

gboolean
hl_recording_add_secret (HlRecording *rec, const char *label, const guint8 client_random[32],
                         const guint8 *value, gsize len)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_labels); i++)
    if (strcmp (key_labels[i].label, label) == 0) {
      Logged *l = g_new0 (Logged, 1);
      l->label = key_labels[i].label;
      l->id = key_labels[i].id;
      memcpy (l->random, client_random, 32);
      l->value = g_bytes_new (value, len);
      g_ptr_array_add (rec->logged, l);
      return TRUE;
    }
  return FALSE;
}

gboolean
hl_recording_add_private_key (HlRecording *rec, const char *path, GError **error)
{
  HlRecordedKey *k = _hl_recorded_key_load (path, error);
  if (!k)
    return FALSE;
  g_ptr_array_add (rec->keys, k);
  return TRUE;
}

gboolean
hl_recording_knows_label (const char *label)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_labels); i++)
    if (strcmp (key_labels[i].label, label) == 0)
      return TRUE;
  return FALSE;
}

guint
hl_recording_get_n_secrets (HlRecording *rec)
{
  return rec->logged->len;
}
