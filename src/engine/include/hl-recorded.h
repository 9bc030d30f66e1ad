/* hl-recorded.h: a run made of recorded messages (a capture) instead of two live TLS
 * libraries.
 *
 * The reader of a capture (src/capture/) hands over, per TCP connection and direction,
 * the TLS byte stream in the order it was captured, with timestamps, and whatever
 * secrets a key log gave. hl_run_new_recorded turns that into the same HlRun and HlStep
 * model a live run builds: decoded fields, records, encrypted records opened with keys
 * derived from the logged secrets, both Finished recomputed, and what each side knows
 * with where the lab got it (the key log, derived from it, or the wire).
 *
 * A recorded run cannot be tampered with (the messages were already sent): the tamper
 * calls of hl-run.h do nothing on it, and hl_run_tamper_next_plaintext says why.
 */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

typedef struct _HlRecording HlRecording;

/* source: where it came from, for people (the capture's file name). */
HlRecording *hl_recording_new (const char *source);
void hl_recording_free (HlRecording *rec);
/* A new recording (from the same source) that shares keys_from's key log secrets and
 * private keys: a reader can then build and drop its connections one at a time. */
HlRecording *hl_recording_new_sharing_keys (HlRecording *keys_from);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlRecording, hl_recording_free)

/* For a listing, which shows no step: application data records are still opened (their
 * keys checked, TLS 1.3's inner type read) and counted in n_messages, but make no step,
 * and the other steps are not decoded into fields. */
void hl_recording_set_count_only (HlRecording *rec, gboolean count_only);
/* A TCP connection that carries TLS; client and server as "address:port". Returns its
 * number in the recording, from 1. */
guint hl_recording_add_connection (HlRecording *rec, const char *client, const char *server,
                                   guint file_number);
/* The next bytes of one direction's reassembled TCP stream. Calls are in capture order
 * across all connections: that order puts the two directions' messages in sequence. */
void hl_recording_add_bytes (HlRecording *rec, guint connection, HlSide from, gint64 time_us,
                             const guint8 *data, gsize len);
/* Why the connection's recording stops early (a TCP gap, a cut file); kept with it. */
void hl_recording_set_note (HlRecording *rec, guint connection, const char *note);
/* One key log line: its label (CLIENT_RANDOM, CLIENT_HANDSHAKE_TRAFFIC_SECRET, ...), the
 * ClientHello random it belongs to, the secret. FALSE: a label the lab does not know. */
gboolean hl_recording_add_secret (HlRecording *rec, const char *label,
                                  const guint8 client_random[32], const guint8 *value, gsize len);
/* A server's private key (PEM): with an RSA key, RSA key-exchange connections are decrypted
 * from their ClientKeyExchange alone; with an EC key, static ECDH ones are opened the same
 * way. FALSE and error (naming the file) when it holds no such key. */
gboolean hl_recording_add_private_key (HlRecording *rec, const char *path, GError **error);
/* Whether a key log label is one hl_recording_add_secret takes. */
gboolean hl_recording_knows_label (const char *label);
/* How many key log secrets it holds. */
guint hl_recording_get_n_secrets (HlRecording *rec);

/* Builds every step at once; takes ownership of rec. NULL with error when the recording
 * holds no TLS connection. The run starts before its first step, like a live one. */
HlRun *hl_run_new_recorded (HlRecording *rec, GError **error);

/* Whether a run is made of recorded messages. */
gboolean hl_run_is_recorded (const HlRun *run);

/* What a recorded connection was, beyond HlConnection (borrowed from the run). */
typedef struct {
  guint file_number;  /* as numbered in the capture file (--list-connections) */
  const char *client; /* "127.0.0.1:50312" */
  const char *server;
  const char *note;      /* where and why its recording stops early; NULL: read to the end */
  gboolean keys_known;   /* its encrypted records could be opened */
  const char *keys_note; /* why the private key given cannot open it; NULL */
  guint n_messages;      /* steps it has, in all */
  gint64 first_us;       /* capture time of its first TLS byte, microseconds since 1970 */
} HlRecordedConnection;
/* FALSE for a live run or past the end; i from 0. */
gboolean hl_run_get_recorded_connection (const HlRun *run, guint i, HlRecordedConnection *out);
/* A recorded step's capture time (microseconds since 1970); 0 for a live run. */
gint64 hl_run_get_step_time (const HlRun *run, guint i);

G_END_DECLS
