/* What the window needs from a capture, without a display (issue 19): the capture's times
 * beside each arrow of the diagram and in the Markdown transcript (and nothing of the
 * kind for a live run), the key logs found beside a capture, and the session showing a
 * recorded run. The capture is the lab's own pcapng of a lesson, written at test time. */
#include <glib/gstdio.h>
#include <string.h>

#include "hl-capture-keys.h"
#include "hl-capture-reader.h"
#include "hl-ladder-layout.h"
#include "hl-pcapng-writer.h"
#include "hl-recorded.h"
#include "hl-session.h"
#include "hl-decode.h"
#include "hl-ladder-labels.h"
#include "hl-tables.h"
#include "hl-test-util.h"
#include "hl-transcript.h"

static char *work;

/* Lesson 11 (two connections) as a pcapng with its secrets, read back as a capture. */
static HlRun *
open_lesson_capture (const char *lesson, char **path_out)
{
  g_autoptr (HlScenario) sc = hl_test_load_bundled (lesson);
  g_autofree guint8 *data = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *warning = NULL;
  char *path = g_build_filename (work, "lesson.pcapng", NULL);
  gsize len;
  HlRun *live = hl_run_new (sc), *run;
  hl_run_run_to_end (live);
  data = hl_pcapng_from_run (live, &len);
  hl_run_free (live);
  g_assert_true (g_file_set_contents (path, (const char *)data, len, NULL));
  run = hl_capture_open (path, NULL, &warning, &error);
  g_assert_no_error (error);
  g_assert_null (warning);
  g_assert_nonnull (run);
  if (path_out)
    *path_out = path;
  else
    g_free (path);
  return run;
}

/* The labels of the diagram's arrows, joined by newlines. */
static char *
arrow_labels (HlRun *run)
{
  HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };
  g_autoptr (HlLadderLayout) l = hl_ladder_layout_new (run, &o);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < hl_ladder_layout_get_n_texts (l); i++) {
    const HlLadderText *t = hl_ladder_layout_get_text (l, i);
    if (t->kind == HL_LADDER_TEXT_LABEL)
      g_string_append_printf (out, "%s\n", pango_layout_get_text (t->layout));
  }
  return g_string_free (out, FALSE);
}

/* A capture without keys: its encrypted alerts cannot be read, so they are not drawn as
 * the end of a failure (a user's trial saw a completed handshake's two close_notify
 * alerts drawn red with triangles under "The handshake succeeded"). */
static void
test_unread_alerts (void)
{
  g_autoptr (HlScenario) sc = hl_test_load_bundled ("01-rsa-key-exchange.scenario");
  g_autoptr (HlRun) live = hl_test_run (sc);
  g_autoptr (GError) error = NULL;
  g_autoptr (HlRun) run = hl_run_new_recorded (hl_test_record (live, 1 << 20, FALSE), &error);
  HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };
  g_autoptr (HlLadderLayout) l = NULL;
  guint alerts = 0;
  g_assert_no_error (error);
  hl_run_run_to_end (run);
  g_assert_true (hl_run_get_connection (run, 0)->success);
  l = hl_ladder_layout_new (run, &o);
  for (guint i = 0; i < hl_ladder_layout_get_n_arrows (l); i++) {
    const HlLadderArrow *a = hl_ladder_layout_get_arrow (l, i);
    const HlStep *st = hl_run_get_step (run, a->step - 1);
    if (st->content_type != HL_CONTENT_ALERT)
      continue;
    alerts++;
    g_assert_true (st->encrypted && !st->plaintext);
    g_assert_false (a->alert);
  }
  g_assert_cmpuint (alerts, ==, 2);
}

static void
test_times (void)
{
  HlRun *run = open_lesson_capture ("11-session-resumption.scenario", NULL);
  g_autofree char *labels = NULL, *md = NULL, *first = NULL, *second = NULL;
  hl_run_run_to_end (run);
  /* The lab's writer puts its segments 1 ms apart, after a SYN, SYN-ACK and ACK. */
  first = hl_step_describe_time (run, 1);
  second = hl_step_describe_time (run, 2);
  g_assert_cmpstr (first, ==, "+0.00 ms");
  g_assert_cmpstr (second, ==, "+1.00 ms");
  g_assert_null (hl_step_describe_time (run, 0));
  labels = arrow_labels (run);
  g_assert_nonnull (strstr (labels, "1. ClientHello  +0.00 ms\n"));
  g_assert_nonnull (strstr (labels, "2. ServerHello  +1.00 ms\n"));
  /* Connection 2: message 14 at +13 ms, then connection 1's close (FIN, FIN, ACK) and
   * connection 2's opening (SYN, SYN-ACK, ACK), one segment a millisecond. */
  g_assert_nonnull (strstr (labels, "14. Alert (encrypted)  +13.00 ms\n"));
  g_assert_nonnull (strstr (labels, "15. ClientHello  +20.00 ms\n"));
  /* Without keys an encrypted alert says so, not "?: ?": its record as an eavesdropper has
   * it (TLS 1.2 AES-GCM: explicit nonce, 2 encrypted bytes, tag). */
  {
    static const guint8 record[26] = { 0 };
    HlStep alert = { 0 };
    g_autofree char *detail = NULL;
    alert.message = (char *)"Alert";
    alert.content_type = HL_CONTENT_ALERT;
    alert.encrypted = TRUE;
    alert.fields = hl_decode_encrypted_record (record, sizeof record, 0x0303, 0xc02f, FALSE, -1);
    detail = hl_ladder_describe_step (run, &alert);
    g_assert_nonnull (strstr (detail, "unreadable without the keys"));
    g_assert_null (strstr (detail, "?"));
    g_ptr_array_unref (alert.fields);
  }
  md = hl_transcript_to_markdown (run);
  g_assert_nonnull (strstr (md, "### Step 2: server → client, ServerHello\n\n**Captured:** +1.00 "
                                "ms after the first message\n\n"));
  /* A capture's handout speaks of a capture: no seed of the lab's, no BearSSL engine flags
   * (a teacher's trial). */
  g_assert_null (strstr (md, "Seed `"));
  g_assert_null (strstr (md, "BearSSL sides show"));
  g_assert_nonnull (strstr (md, "## How to read the sides"));
  hl_run_free (run);
}

/* A recorded TLS 1.3 run names each record's key as a live one does (RFC 8446 7). */
static void
test_recorded_record_keys (void)
{
  HlRun *run = open_lesson_capture ("30-tls13-basic.scenario", NULL);
  gboolean handshake = FALSE, application = FALSE;
  hl_run_run_to_end (run);
  for (guint i = 0; i < hl_run_get_n_steps (run); i++) {
    const HlStep *st = hl_run_get_step (run, i);
    g_autofree char *words = hl_step_describe_record_key (st, FALSE);
    if (!st->encrypted)
      continue;
    g_assert_null (strstr (words, "plaintext"));
    if (strcmp (st->message, "EncryptedExtensions") == 0) {
      g_assert_cmpint (st->key, ==, HL_RECORD_KEY_HANDSHAKE);
      handshake = TRUE;
    }
    if (strcmp (st->message, "ApplicationData") == 0) {
      g_assert_cmpint (st->key, ==, HL_RECORD_KEY_APPLICATION);
      application = TRUE;
    }
  }
  g_assert_true (handshake && application);
  hl_run_free (run);
}

static void
test_no_times_live (void)
{
  g_autoptr (HlScenario) sc = hl_test_load_bundled ("11-session-resumption.scenario");
  HlRun *run = hl_run_new (sc);
  g_autofree char *labels = NULL, *md = NULL;
  hl_run_run_to_end (run);
  g_assert_null (hl_step_describe_time (run, 1));
  labels = arrow_labels (run);
  g_assert_nonnull (strstr (labels, "1. ClientHello\n"));
  g_assert_null (strstr (labels, " ms"));
  md = hl_transcript_to_markdown (run);
  g_assert_null (strstr (md, "**Captured:**"));
  hl_run_free (run);
}

static void
touch (const char *dir, const char *name)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (p, "# keys\n", -1, NULL));
}

static void
test_key_files (void)
{
  g_autofree char *dir = g_build_filename (work, "beside", NULL);
  g_autofree char *capture = g_build_filename (dir, "trace.pcapng", NULL);
  g_auto (GStrv) none = NULL, found = NULL;
  g_autoptr (GDir) left = NULL;
  const char *name;
  g_mkdir_with_parents (dir, 0755);
  /* Nothing from an earlier run. */
  left = g_dir_open (dir, 0, NULL);
  while (left && (name = g_dir_read_name (left))) {
    g_autofree char *p = g_build_filename (dir, name, NULL);
    g_remove (p);
  }
  touch (dir, "trace.pcapng");
  none = hl_capture_find_key_files (capture);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  touch (dir, "sslkeylog-b.txt");
  touch (dir, "SSLKEYLOG-a.log");
  touch (dir, "keylog.txt");
  touch (dir, "trace.keys");
  touch (dir, "trace.pcapng.keys");
  touch (dir, "other.keys");
  found = hl_capture_find_key_files (capture);
  g_assert_cmpuint (g_strv_length (found), ==, 5);
  g_assert_true (g_str_has_suffix (found[0], "/trace.pcapng.keys"));
  g_assert_true (g_str_has_suffix (found[1], "/trace.keys"));
  g_assert_true (g_str_has_suffix (found[2], "/keylog.txt"));
  g_assert_true (g_str_has_suffix (found[3], "/SSLKEYLOG-a.log"));
  g_assert_true (g_str_has_suffix (found[4], "/sslkeylog-b.txt"));
}

static void
on_notify (GObject *o, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_session_shows_recording (void)
{
  g_autofree char *path = NULL;
  HlRun *run = open_lesson_capture ("02-ecdhe-rsa-aes-gcm.scenario", &path);
  HlSession *s = hl_session_new ();
  g_autofree char *lesson = hl_test_source_path ("scenarios/01-rsa-key-exchange.scenario");
  guint titles = 0;
  HlNextMessage next;
  g_autoptr (GError) error = NULL;
  g_signal_connect (s, "notify::title", G_CALLBACK (on_notify), &titles);
  g_assert_true (hl_session_load (s, lesson, &error));
  g_assert_false (hl_session_is_recorded (s));
  hl_session_step (s);
  hl_session_load_run (s, run);
  g_assert_true (hl_session_is_recorded (s));
  g_assert_cmpuint (titles, ==, 2);
  g_assert_cmpstr (hl_session_get_title (s), ==, "Recorded: lesson.pcapng");
  g_assert_cmpstr (hl_session_get_file (s), ==, path);
  g_assert_cmpuint (hl_session_get_position (s), ==, 0);
  g_assert_true (hl_session_peek_next (s, &next));
  g_assert_cmpstr (next.message, ==, "ClientHello");
  g_assert_true (hl_session_step (s));
  g_assert_true (hl_session_step (s));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (s)), ==, 2);
  g_assert_true (hl_session_back (s));
  g_assert_cmpuint (hl_session_get_position (s), ==, 1);
  hl_session_run_to_end (s);
  g_assert_true (hl_session_get_finished (s));
  g_assert_nonnull (strstr (hl_session_get_outcome (s), "succeeded"));
  /* A lesson again: its own title, live. */
  g_assert_true (hl_session_load (s, lesson, &error));
  g_assert_false (hl_session_is_recorded (s));
  g_assert_cmpstr (hl_session_get_file (s), ==, lesson);
  g_object_unref (s);
}

int
main (int argc, char **argv)
{
  int status;
  g_test_init (&argc, &argv, NULL);
  {
    g_autofree char *cwd = g_get_current_dir ();
    work = g_build_filename (cwd, "capture-open-work", NULL);
  }
  g_mkdir_with_parents (work, 0755);
  g_test_add_func ("/capture-open/times", test_times);
  g_test_add_func ("/capture-open/unread-alerts", test_unread_alerts);
  g_test_add_func ("/capture-open/no-times-live", test_no_times_live);
  g_test_add_func ("/capture-open/recorded-record-keys", test_recorded_record_keys);
  g_test_add_func ("/capture-open/key-files", test_key_files);
  g_test_add_func ("/capture-open/session-shows-recording", test_session_shows_recording);
  status = g_test_run ();
  g_free (work);
  return status;
}
