/* The command line as teachers' scripts use it: outputs, JSON keys, exit statuses. */
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "hl-tables.h"
#include "hl-test-util.h"

static int
run_cli_env (const char *const *args, char **envp, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = 0;
  g_ptr_array_add (argv, (gpointer)HL_EXE);
  for (int i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out,
                               err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static int
run_cli (const char *const *args, char **out, char **err)
{
  return run_cli_env (args, NULL, out, err);
}

static char *
tmp_path (const char *name)
{
  static char *dir;
  if (!dir)
    dir = g_dir_make_tmp ("hl-cli-XXXXXX", NULL);
  return g_build_filename (dir, name, NULL);
}

static void
test_version_and_lists (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto (GStrv) lines = NULL;
  const char *v[] = { "--version", NULL };
  const char *s[] = { "--list-suites", NULL };
  const char *l[] = { "--list-scenarios", NULL };
  g_assert_cmpint (run_cli (v, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "handshake-lab "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (s, &out, &err), ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  /* BearSSL's 45 suites, then OpenSSL's three TLS 1.3 suites. */
  g_assert_cmpuint (g_strv_length (lines), ==, 48);
  g_assert_true (g_strv_contains ((const char *const *)lines, "TLS_RSA_WITH_AES_128_GCM_SHA256"));
  g_assert_cmpstr (lines[45], ==, "TLS_AES_128_GCM_SHA256");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (l, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "01-rsa-key-exchange.scenario\tThe classic handshake"));
  g_assert_null (strstr (out, "(invalid"));
}

static void
test_default_run (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *a[] = { "--headless", NULL };
  g_assert_cmpint (run_cli (a, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "ClientKeyExchange"));
  g_assert_nonnull (strstr (out, "Outcome: success; as expected"));
}

static void
assert_members (JsonObject *o, const char *const *keys)
{
  for (int i = 0; keys[i]; i++) {
    if (!json_object_has_member (o, keys[i]))
      g_test_message ("missing key %s", keys[i]);
    g_assert_true (json_object_has_member (o, keys[i]));
  }
}

static void
check_fields (JsonArray *fields)
{
  static const char *const keys[]
      = { "name", "value", "offset", "length", "explanation", "children", NULL };
  for (guint i = 0; i < json_array_get_length (fields); i++) {
    JsonObject *f = json_array_get_object_element (fields, i);
    assert_members (f, keys);
    check_fields (json_object_get_array_member (f, "children"));
  }
}

static void
test_json_follows_spec (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *json = tmp_path ("run.json");
  g_autofree char *opt = g_strdup_printf ("--transcript=%s", json);
  const char *a[] = { "--headless", opt, NULL };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root, *conn;
  JsonArray *steps;
  static const char *const top[]
      = { "format", "scenario", "outcome", "expected", "connections", NULL };
  static const char *const scen[] = { "title", "file", "seed", "time", NULL };
  static const char *const con[] = { "index",  "resumed", "outcome", "negotiated", "client",
                                     "server", "secrets", "steps",   NULL };
  static const char *const neg[]
      = { "version", "cipher_suite", "cipher_suite_id", "curve", "alpn", "server_name", NULL };
  static const char *const side[] = { "error", "error_name", "explanation", NULL };
  static const char *const sec[]
      = { "client_random",        "server_random",        "session_id",
          "premaster_secret",     "master_secret",        "key_block",
          "client_write_mac_key", "server_write_mac_key", "client_write_key",
          "server_write_key",     "client_write_iv",      "server_write_iv",
          "client_verify_data",   "server_verify_data",   NULL };
  static const char *const step[]
      = { "index",        "from",    "message",   "content_type", "handshake_type", "encrypted",
          "wire",         "records", "delivered", "fault",        "fields",         "client_after",
          "server_after", NULL };
  static const char *const after[] = { "state", "error", "knows", NULL };

  g_assert_cmpint (run_cli (a, &out, &err), ==, 0);
  json_parser_load_from_file (parser, json, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  assert_members (root, top);
  g_assert_cmpint (json_object_get_int_member (root, "format"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "outcome"), ==, "success");
  g_assert_true (json_object_get_boolean_member (root, "expected"));
  assert_members (json_object_get_object_member (root, "scenario"), scen);
  conn = json_array_get_object_element (json_object_get_array_member (root, "connections"), 0);
  assert_members (conn, con);
  assert_members (json_object_get_object_member (conn, "negotiated"), neg);
  assert_members (json_object_get_object_member (conn, "client"), side);
  assert_members (json_object_get_object_member (conn, "server"), side);
  assert_members (json_object_get_object_member (conn, "secrets"), sec);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (conn, "negotiated"), "version"),
      ==, "TLS1.2");
  steps = json_object_get_array_member (conn, "steps");
  g_assert_cmpuint (json_array_get_length (steps), >=, 9);
  /* Additions: whether RFC 7627 applied, and each record's sequence number, counted here
   * per sender (one key each way in TLS 1.2). */
  g_assert_false (json_object_get_boolean_member (conn, "extended_master_secret"));
  for (guint i = 0, sealed[2] = { 0, 0 }; i < json_array_get_length (steps); i++) {
    JsonObject *st = json_array_get_object_element (steps, i);
    assert_members (st, step);
    g_assert_cmpint (json_object_get_int_member (st, "index"), ==, i + 1);
    if (json_object_get_boolean_member (st, "encrypted")) {
      JsonObject *rp = json_object_get_object_member (st, "record_protection");
      int from = strcmp (json_object_get_string_member (st, "from"), "server") == 0;
      g_assert_true (json_object_has_member (st, "plaintext"));
      g_assert_nonnull (rp);
      g_assert_cmpint (json_object_get_int_member (rp, "sequence_number"), ==, sealed[from]++);
      g_assert_true (json_object_has_member (rp, "iv"));
      g_assert_true (json_object_has_member (rp, "nonce"));
    } else {
      g_assert_false (json_object_has_member (st, "record_protection"));
    }
    assert_members (json_object_get_object_member (st, "client_after"), after);
    assert_members (json_object_get_object_member (st, "server_after"), after);
    check_fields (json_object_get_array_member (st, "fields"));
  }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (steps, 0), "wire"),
                   !=, "");
}

static void
test_markdown_and_keylog (void)
{
  g_autofree char *out = NULL, *err = NULL, *md = tmp_path ("run.md"), *kl = tmp_path ("keys.txt");
  g_autofree char *o1 = g_strdup_printf ("--transcript=%s", md);
  g_autofree char *o2 = g_strdup_printf ("--keylog=%s", kl);
  g_autofree char *text = NULL;
  g_autoptr (GRegex) re
      = g_regex_new ("^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$", G_REGEX_MULTILINE, 0, NULL);
  const char *a[] = { "--headless", o1, o2, NULL };
  g_assert_cmpint (run_cli (a, &out, &err), ==, 0);
  g_assert_true (g_file_get_contents (md, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "# The classic handshake"));
  g_assert_nonnull (strstr (text, "### Step 5: client → server, ClientKeyExchange"));
  g_free (text);
  g_assert_true (g_file_get_contents (kl, &text, NULL, NULL));
  g_assert_true (g_regex_match (re, text, 0, NULL));
}

static void
test_invalid_scenario_exit_2 (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = hl_test_write_scenario ("[Scenario]\nFormat=1\nTitle=t\nBogus=1\n");
  g_autofree char *prefix = g_strdup_printf ("%s:4: unknown key", path);
  const char *a[] = { "--headless", path, NULL };
  const char *u[] = { "--no-such-option", NULL };
  g_assert_cmpint (run_cli (a, &out, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, prefix));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (u, &out, &err), ==, 2);
  {
    /* Without --headless and without a display: the same FILE:LINE first, then why no
     * window, and still 2 (with a display the window opens on the default lesson with the
     * message over it: /window/driven/broken-lesson-opened). */
    const char *w[] = { path, NULL };
    g_auto (GStrv) env = g_get_environ ();
    env = g_environ_unsetenv (env, "DISPLAY");
    env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
    env = g_environ_setenv (env, "GDK_BACKEND", "x11", TRUE); /* not a default Wayland socket */
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_cli_env (w, env, &out, &err), ==, 2);
    g_assert_true (g_str_has_prefix (err, prefix));
    g_assert_nonnull (strstr (err, "no display to open the window on"));
  }
}

static void
test_unexpected_exit_3 (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = hl_test_write_scenario (
      "[Scenario]\nFormat=1\nTitle=t\n[Server]\nCertificateChain=assets/pki/server-rsa-chain.pem\n"
      "PrivateKey=assets/pki/server-rsa.key\n[Expect]\nOutcome=success\n");
  const char *a[] = { "--headless", path, NULL };
  /* No trust anchors: the client cannot trust the server, so the run fails. */
  g_assert_cmpint (run_cli (a, &out, &err), ==, 3);
  g_assert_nonnull (strstr (out, "NOT as expected"));
}

/* --pdf=ladder.png: the option names the format; the slip is said on standard error and
 * the file is written as asked (exit 0). */
static void
test_format_name_slip (void)
{
  g_autofree char *out = NULL, *err = NULL, *data = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hl-slip-XXXXXX", NULL);
  g_autofree char *target = g_build_filename (dir, "ladder.png", NULL);
  g_autofree char *arg = g_strconcat ("--pdf=", target, NULL);
  const char *a[] = { "--headless", arg, NULL };
  g_assert_cmpint (run_cli (a, &out, &err), ==, 0);
  g_assert_nonnull (strstr (err, "written as pdf (--pdf), though its name ends in .png"));
  g_assert_true (g_file_get_contents (target, &data, NULL, NULL));
  g_assert_true (g_str_has_prefix (data, "%PDF"));
  g_remove (target);
  g_rmdir (dir);
}

static void
test_unwritable_exit_1 (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *a[] = { "--headless", "--transcript=/nonexistent-folder/x.json", NULL };
  g_autofree char *dir = g_dir_make_tmp ("hl-unwritable-XXXXXX", NULL);
  g_autofree char *target = g_build_filename (dir, "taken.json", NULL);
  g_autofree char *arg = g_strconcat ("--transcript=", target, NULL);
  const char *b[] = { "--headless", arg, NULL };
  g_autofree char *err_b = NULL;
  g_autoptr (GDir) listing = NULL;
  const char *name;
  guint n = 0;
  g_assert_cmpint (run_cli (a, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "/nonexistent-folder/x.json"));
  /* The name is taken by a folder: the write fails, and no temporary file is left. */
  g_assert_cmpint (g_mkdir (target, 0755), ==, 0);
  g_assert_cmpint (run_cli (b, NULL, &err_b), ==, 1);
  g_assert_nonnull (strstr (err_b, target));
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing))) {
    g_assert_cmpstr (name, ==, "taken.json");
    n++;
  }
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (g_file_test (target, G_FILE_TEST_IS_DIR));
}

/* The handshake types tshark decodes in a capture, one per line, with no settings: a type
 * carried in an encrypted record shows only if the capture's secrets decrypt it.
 * tools/quickstart.sh test installs tshark; without it this check cannot be made. */
static char *
tshark_handshake_types (const char *pcapng)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  char *tout = NULL;
  int status;
  char *argv[] = { tshark,   "-r", (char *)pcapng,       "-Y", "tls.handshake", "-T",
                   "fields", "-e", "tls.handshake.type", NULL };
  if (!tshark)
    g_error ("tshark is not installed: run tools/quickstart.sh test, which installs it");
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &tout,
                               NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("tshark: %s", tout);
  return tout;
}

/* Whether tshark listed handshake type TYPE: one number per message, the messages of
 * one packet on one line, separated by commas. A whole number, not a part of one. */
static gboolean
has_handshake_type (const char *types, const char *type)
{
  g_auto (GStrv) lines = g_strsplit (types, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    g_auto (GStrv) each = g_strsplit (lines[i], ",", -1);
    if (g_strv_contains ((const char *const *)each, type))
      return TRUE;
  }
  return FALSE;
}

/* The capture opens decrypted: a Finished (type 20) is only visible with the secrets. */
static void
test_pcapng_decrypts (void)
{
  g_autofree char *out = NULL, *err = NULL, *pc = tmp_path ("run.pcapng");
  g_autofree char *o = g_strdup_printf ("--pcapng=%s", pc);
  g_autofree char *data = NULL, *types = NULL;
  gsize len;
  const char *a[] = { "--headless", o, NULL };
  g_assert_cmpint (run_cli (a, &out, &err), ==, 0);
  g_assert_true (g_file_get_contents (pc, &data, &len, NULL));
  g_assert_cmpuint (len, >, 100);
  g_assert_cmpmem (data, 4, "\x0a\x0d\x0d\x0a", 4);
  types = tshark_handshake_types (pc);
  g_assert_true (has_handshake_type (types, "1"));
  g_assert_true (has_handshake_type (types, "16"));
  g_assert_true (has_handshake_type (types, "20")); /* Finished: decrypted */
}

/* Every TLS 1.3 capture opens decrypted in tshark with no settings: EncryptedExtensions
 * (handshake type 8) exists only inside encrypted records. The mixed lesson (TLS 1.2)
 * shows its Finished (20) instead. */
static void
test_pcapng_tls13 (gconstpointer data)
{
  /* "LESSON:N": the lesson and its last connection, the one compared. */
  g_auto (GStrv) parts = g_strsplit (data, ":", 2);
  const char *lesson = parts[0];
  g_autofree char *keep_arg = g_strconcat ("--connection=", parts[1], NULL);
  g_autofree char *b_title = g_strdup_printf ("B: Recorded: run.pcapng (connection %s", parts[1]);
  g_autofree char *a_title = g_strdup_printf ("A: Recorded: run.pcapng (connection %s", parts[1]);
  g_autofree char *out = NULL, *err = NULL, *pc = tmp_path ("tls13.pcapng");
  g_autofree char *o = g_strdup_printf ("--pcapng=%s", pc);
  g_autofree char *types = NULL;
  const char *a[] = { "--headless", o, lesson, NULL };
  g_assert_cmpint (run_cli (a, &out, &err), ==, 0);
  types = tshark_handshake_types (pc);
  g_assert_true (has_handshake_type (types, "1"));
  if (g_str_has_prefix (lesson, "38"))
    g_assert_true (has_handshake_type (types, "20"));
  else
    g_assert_true (has_handshake_type (types, "8"));
}

static void
test_conveniences (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *by_name[] = { "--headless", "05-rsa-aes-cbc.scenario", NULL };
  const char *keylog[] = { "--headless", "--keylog=-", NULL };
  const char *extra[] = { "--list-suites", "x", NULL };
  const char *device[] = { "--headless", "/dev/zero", NULL };
  /* A name from --list-scenarios runs the bundled lesson, from any folder. */
  g_assert_cmpint (run_cli (by_name, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "RSA key exchange with AES-128-CBC-SHA"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (keylog, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\nCLIENT_RANDOM "));
  g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (extra, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (device, &out, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "/dev/zero:1: /dev/zero is not a regular file"));
}

/* Without its data folder, the program still runs its default lesson, built in, and the
 * transcript is the same as from the files on disk. */
static void
test_builtin_default (void)
{
  g_autofree char *out = NULL, *err = NULL, *a = tmp_path ("disk.json"),
                  *b = tmp_path ("builtin.json");
  g_autofree char *oa = g_strdup_printf ("--transcript=%s", a);
  g_autofree char *ob = g_strdup_printf ("--transcript=%s", b);
  g_autofree char *ja = NULL, *jb = NULL;
  g_auto (GStrv) env
      = g_environ_setenv (g_get_environ (), "HANDSHAKE_LAB_DATADIR", "/nonexistent", TRUE);
  const char *disk[] = { "--headless", oa, NULL };
  const char *builtin[] = { "--headless", ob, NULL };
  g_assert_cmpint (run_cli (disk, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli_env (builtin, env, &out, &err), ==, 0);
  g_assert_true (g_file_get_contents (a, &ja, NULL, NULL));
  g_assert_true (g_file_get_contents (b, &jb, NULL, NULL));
  g_assert_cmpstr (ja, ==, jb);
}

/* Standard output is an output too: a failed write is status 1; two outputs on it are usage errors.
 */
static void
test_stdout_outputs (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *cmd = g_strdup_printf ("exec '%s' --headless --keylog=- > /dev/full", HL_EXE);
  char *argv[] = { "/bin/sh", "-c", cmd, NULL };
  const char *two[] = { "--headless", "--keylog=-", "--pcapng=-", NULL };
  int status;
  g_assert_true (
      g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "cannot write the key log to standard output"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (two, &out, &err), ==, 2);
}

/* Every bundled lesson exports PNG, SVG, PDF and HTML; the PDF has a title page
 * and at least one page per step; the PNG repeats byte for byte and --scale sizes it. */
static int
count_pdf_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *line;
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  line = strstr (out, "Pages:");
  g_assert_nonnull (line);
  return atoi (line + 6);
}

/* Every lesson in every picture format. Under the sanitizers, where a PDF or an HTML page
 * takes several times as long, each lesson writes one of the four in turn: every lesson and
 * every format still run under them, not every pair (the normal build runs every pair). */
static void
test_diagram_exports (void)
{
  static const char *const formats[] = { "png", "svg", "pdf", "html" };
  g_autoptr (GDir) dir = NULL;
  g_autofree char *scenarios = g_build_filename (HL_SOURCE_DIR, "scenarios", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("hl-export-XXXXXX", NULL);
  const char *name;
  guint n = 0, written[G_N_ELEMENTS (formats)] = { 0 };
  dir = g_dir_open (scenarios, 0, NULL);
  while ((name = g_dir_read_name (dir))) {
    g_autofree char *scenario = g_build_filename (scenarios, name, NULL);
    g_autofree char *png = g_build_filename (tmp, "d.png", NULL);
    g_autofree char *pdf = g_build_filename (tmp, "d.pdf", NULL);
    g_autofree char *html = g_build_filename (tmp, "d.html", NULL);
    g_autofree char *svg = g_build_filename (tmp, "d.svg", NULL);
    g_autofree char *json = g_build_filename (tmp, "d.json", NULL);
    g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
    gboolean wants[G_N_ELEMENTS (formats)];
    g_autofree char *out = NULL, *err = NULL, *text = NULL;
    g_autoptr (JsonParser) parser = json_parser_new ();
    guint steps = 0, tls13 = 0;
    JsonArray *conns;
    if (!g_str_has_suffix (name, ".scenario"))
      continue;
    g_ptr_array_add (args, g_strdup ("--headless"));
    g_ptr_array_add (args, g_strdup (scenario));
    g_ptr_array_add (args, g_strconcat ("--transcript=", json, NULL));
    for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
      wants[f] = !HL_TEST_SANITIZED || n % G_N_ELEMENTS (formats) == f;
      if (wants[f]) {
        g_ptr_array_add (args, g_strdup_printf ("--%s=%s" G_DIR_SEPARATOR_S "d.%s", formats[f], tmp,
                                                formats[f]));
        written[f]++;
      }
    }
    /* What the lesson before wrote must not pass for this one's. */
    for (const char *const *file = (const char *const[]){ png, svg, pdf, html, json, NULL }; *file;
         file++)
      g_unlink (*file);
    g_ptr_array_add (args, NULL);
    g_assert_cmpint (run_cli ((const char **)args->pdata, &out, &err), ==, 0);
    g_assert_cmpstr (err, ==, "");
    g_assert_true (json_parser_load_from_file (parser, json, NULL));
    conns = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "connections");
    for (guint c = 0; c < json_array_get_length (conns); c++) {
      JsonObject *conn = json_array_get_object_element (conns, c);
      JsonNode *negotiated = json_object_get_member (conn, "negotiated");
      steps += json_array_get_length (json_object_get_array_member (conn, "steps"));
      if (negotiated && JSON_NODE_HOLDS_OBJECT (negotiated)
          && g_strcmp0 (json_object_get_string_member_with_default (
                            json_node_get_object (negotiated), "version", ""),
                        "TLS1.3")
                 == 0)
        tls13++;
    }
    /* A title page, a key-schedule page per TLS 1.3 connection, then a page per step at
     * least: a long step runs on to further pages. */
    if (wants[2])
      g_assert_cmpint (count_pdf_pages (pdf), >=, 1 + (int)steps + (int)tls13);
    if (wants[3]) {
      g_assert_true (g_file_get_contents (html, &text, NULL, NULL));
      g_assert_nonnull (strstr (text, "<svg"));
      g_assert_null (strstr (text, "src=\"http"));
      g_assert_null (strstr (text, "href=\"http"));
    }
    g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR) == wants[0]);
    g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR) == wants[1]);
    n++;
  }
  g_assert_cmpuint (n, >=, 26);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    g_assert_cmpuint (written[f], >=, HL_TEST_SANITIZED ? n / G_N_ELEMENTS (formats) : n);
}

static void
test_png_repeats_and_scales (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("hl-png-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (tmp, "a.png", NULL);
  g_autofree char *b = g_build_filename (tmp, "b.png", NULL);
  g_autofree char *arg_a = g_strconcat ("--png=", a, NULL);
  g_autofree char *arg_b = g_strconcat ("--png=", b, NULL);
  const char *one[] = { "--headless", arg_a, NULL };
  const char *two[] = { "--headless", arg_b, "--scale=2", "--step=4", NULL };
  const char *again[] = { "--headless", arg_b, "--scale=2", "--step=4", NULL };
  g_autofree char *data_a = NULL, *data_b = NULL, *data_c = NULL;
  gsize la, lb, lc;
  g_assert_cmpint (run_cli (one, NULL, NULL), ==, 0);
  g_assert_cmpint (run_cli (two, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (b, &data_b, &lb, NULL));
  g_assert_cmpint (run_cli (again, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (b, &data_c, &lc, NULL));
  g_assert_true (lb == lc && memcmp (data_b, data_c, lb) == 0);
  g_assert_true (g_file_get_contents (a, &data_a, &la, NULL));
  /* PNG IHDR: width and height, big-endian, at bytes 16 and 20. */
  {
    guint32 wa = GUINT32_FROM_BE (*(guint32 *)(data_a + 16));
    guint32 wb = GUINT32_FROM_BE (*(guint32 *)(data_b + 16));
    g_assert_cmpuint (wa, ==, 1280);
    g_assert_cmpuint (wb, ==, 2560);
  }
}

/* Export failures: exit 1, the path named, nothing left behind. */
static guint32
png_height (const char *data, gsize len)
{
  const guint8 *d = (const guint8 *)data;
  g_assert_cmpuint (len, >, 24);
  g_assert_cmpmem (d, 8, "\x89PNG\r\n\x1a\n", 8);
  return (guint32)d[20] << 24 | (guint32)d[21] << 16 | d[22] << 8 | d[23];
}

/* --key-schedule: TLS 1.3's key schedule as PNG or SVG, after --step=N or the last step; a
 * TLS 1.2 lesson gets its shorter PRF chain; other names are refused. */
static void
test_key_schedule (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("hl-ks-XXXXXX", NULL);
  g_autofree char *lesson
      = g_build_filename (HL_SOURCE_DIR, "scenarios", "30-tls13-basic.scenario", NULL);
  g_autofree char *png_end = NULL, *png_2 = NULL, *png_2b = NULL, *png_12 = NULL, *svg = NULL;
  gsize len_end, len_2, len_2b, len_12, len_svg;
  const char *names[] = { "end.png", "2.png", "2b.png", "12.png", "ks.svg" };
  const char *steps[] = { NULL, "--step=2", "--step=2", NULL, "--step=3" };
  char **bufs[] = { &png_end, &png_2, &png_2b, &png_12, &svg };
  gsize *lens[] = { &len_end, &len_2, &len_2b, &len_12, &len_svg };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = g_build_filename (tmp, names[i], NULL);
    g_autofree char *arg = g_strconcat ("--key-schedule=", path, NULL);
    const char *args[]
        = { "--headless", i == 3 ? "02-ecdhe-rsa-aes-gcm" : lesson, arg, steps[i], NULL };
    g_autofree char *err = NULL;
    g_assert_cmpint (run_cli (args, NULL, &err), ==, 0);
    g_assert_cmpstr (err, ==, "");
    g_assert_true (g_file_get_contents (path, bufs[i], lens[i], NULL));
  }
  /* After step 2 the client lacks the application secrets: the marks differ from the end. */
  g_assert_false (len_2 == len_end && memcmp (png_2, png_end, len_2) == 0);
  g_assert_cmpmem (png_2, len_2, png_2b, len_2b);
  g_assert_cmpuint (png_height (png_end, len_end), >, 900);
  /* TLS 1.2: the shorter PRF chain. */
  g_assert_cmpuint (png_height (png_12, len_12), <, png_height (png_end, len_end) - 200);
  g_assert_nonnull (g_strstr_len (svg, len_svg, "<svg"));
  {
    const char *bad[] = { "--headless", lesson, "--key-schedule=ks.jpg", NULL };
    const char *list[] = { "--list-suites", "--key-schedule=ks.png", NULL };
    g_autofree char *e1 = NULL, *e2 = NULL;
    g_assert_cmpint (run_cli (bad, NULL, &e1), ==, 2);
    g_assert_nonnull (strstr (e1, "--key-schedule=ks.jpg: the file name must end in .png or .svg"));
    g_assert_false (g_file_test ("ks.jpg", G_FILE_TEST_EXISTS));
    g_assert_cmpint (run_cli (list, NULL, &e2), ==, 2);
  }
}

static void
test_export_failures (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("hl-fail-XXXXXX", NULL);
  const char *formats[] = { "png", "svg", "pdf", "html" };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++) {
    g_autofree char *missing = g_strdup_printf ("%s/no-such-folder/d.%s", tmp, formats[i]);
    g_autofree char *a_missing = g_strdup_printf ("--%s=%s", formats[i], missing);
    g_autofree char *a_folder = g_strdup_printf ("--%s=%s", formats[i], tmp);
    const char *args1[] = { "--headless", a_missing, NULL };
    const char *args2[] = { "--headless", a_folder, NULL };
    g_autofree char *err1 = NULL, *err2 = NULL;
    g_assert_cmpint (run_cli (args1, NULL, &err1), ==, 1);
    g_assert_nonnull (strstr (err1, missing));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    g_assert_cmpint (run_cli (args2, NULL, &err2), ==, 1);
    g_assert_nonnull (strstr (err2, tmp));
  }
  {
    g_autoptr (GDir) dir = g_dir_open (tmp, 0, NULL);
    g_assert_null (g_dir_read_name (dir)); /* no temporary file left */
  }
  {
    const char *past[] = { "--headless", "--png=/tmp/x.png", "--step=999", NULL };
    const char *zero[] = { "--headless", "--png=/tmp/x.png", "--step=0", NULL };
    const char *scale[] = { "--headless", "--png=/tmp/x.png", "--scale=0", NULL };
    const char *theme[] = { "--headless", "--png=/tmp/x.png", "--theme=blue", NULL };
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;
    g_assert_cmpint (run_cli (theme, NULL, &e4), ==, 2);
    g_assert_nonnull (strstr (e4, "--theme=blue: use light or dark"));
    g_assert_cmpint (run_cli (past, NULL, &e1), ==, 2);
    g_assert_nonnull (strstr (e1, "--step=999: this run has"));
    g_assert_cmpint (run_cli (zero, NULL, &e2), ==, 2);
    g_assert_cmpint (run_cli (scale, NULL, &e3), ==, 2);
  }
}

/* Handouts say who holds what after each step, list the nine steps once, explain
 * errors in words, and say when a message was never read; brief leaves out bytes. */
static void
test_handouts_teach (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("hl-handout-XXXXXX", NULL);
  g_autofree char *full = g_build_filename (tmp, "full.md", NULL);
  g_autofree char *brief = g_build_filename (tmp, "brief.md", NULL);
  g_autofree char *a_full = g_strconcat ("--transcript=", full, NULL);
  g_autofree char *a_brief = g_strconcat ("--transcript=", brief, NULL);
  const char *args1[] = { "--headless", "01-rsa-key-exchange", a_full, NULL };
  const char *args2[]
      = { "--headless", "01-rsa-key-exchange", a_brief, "--transcript-detail=brief", NULL };
  const char *args3[] = { "--headless", "14-untrusted-ca", "--transcript=-", NULL };
  g_autofree char *f = NULL, *b = NULL, *text = NULL;
  const char *cke;
  g_assert_cmpint (run_cli (args1, NULL, NULL), ==, 0);
  g_assert_cmpint (run_cli (args2, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (full, &f, NULL, NULL));
  g_assert_true (g_file_get_contents (brief, &b, NULL, NULL));
  g_assert_nonnull (strstr (f, "## The nine steps of the story"));
  g_assert_nonnull (strstr (f, "4. The client sends the premaster secret"));
  /* Lesson 01's promise: the premaster appears on the server at ClientKeyExchange. */
  cke = strstr (f, "### Step 5: client → server, ClientKeyExchange");
  g_assert_nonnull (cke);
  g_assert_nonnull (strstr (cke, "**The server now also holds:** Premaster secret"));
  g_assert_true (strstr (f, "**The server now also holds:** Premaster secret") > cke);
  g_assert_nonnull (strstr (f, "How to read the engine states"));
  /* Brief: the same steps and knowledge, no field tables or hex. */
  g_assert_nonnull (strstr (b, "**The server now also holds:** Premaster secret"));
  g_assert_null (strstr (b, "`[0+1]`"));
  g_assert_nonnull (strstr (f, "`[0+1]`"));
  g_assert_cmpuint (strlen (b) * 3, <, strlen (f));
  /* Text: errors in words, and messages a stopped receiver never read. */
  g_assert_cmpint (run_cli (args3, &text, NULL), ==, 0);
  g_assert_nonnull (strstr (text, "BR_ERR_X509_NOT_TRUSTED: The certificate chain does not lead"));
  g_assert_nonnull (strstr (text, "The client had already stopped and did not read it."));
  g_assert_null (strstr (text, " 1 bytes"));
}

/* --list-errors names every error [Expect] accepts, and each one parses back;
 * --list-messages names every message [Fault] accepts. */
static void
test_list_errors_and_messages (void)
{
  const char *a[] = { "--list-errors", NULL };
  const char *b[] = { "--list-messages", NULL };
  g_autofree char *errors = NULL, *messages = NULL;
  g_auto (GStrv) lines = NULL;
  guint n = 0;
  int err;
  g_assert_cmpint (run_cli (a, &errors, NULL), ==, 0);
  g_assert_cmpint (run_cli (b, &messages, NULL), ==, 0);
  lines = g_strsplit (errors, "\n", -1);
  for (guint i = 0; lines[i] && *lines[i]; i++) {
    g_autofree char *name = g_strndup (lines[i], strcspn (lines[i], "\t"));
    g_assert_nonnull (strchr (lines[i], '\t'));
    g_assert_cmpuint (strlen (strchr (lines[i], '\t')), >, 10); /* a meaning in words */
    if (!g_str_has_suffix (name, "+N")) {
      g_assert_true (hl_error_parse (name, &err));
      n++;
    }
  }
  /* Every named error the parser knows is listed. */
  for (guint i = 0; (err = hl_error_nth (i)) >= 0; i++) {
    g_autofree char *name = hl_error_name (err);
    g_autofree char *line = g_strdup_printf ("%s\t", err ? name : "0");
    g_assert_nonnull (strstr (errors, line));
  }
  g_assert_cmpuint (n, >, 40);
  for (const char *const *m = hl_message_names (); *m; m++) {
    g_autofree char *line = g_strdup_printf ("%s\n", *m);
    g_assert_nonnull (strstr (messages, line));
  }
}

/* Several outputs are all or nothing: one that cannot be written leaves none of the
 * others behind, and the error names the path given, in plain words. */
static void
test_outputs_all_or_nothing (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("hl-all-XXXXXX", NULL);
  g_autofree char *json = g_build_filename (tmp, "run.json", NULL);
  g_autofree char *pcap = g_build_filename (tmp, "run.pcapng", NULL);
  g_autofree char *bad = g_build_filename (tmp, "missing", "ladder.png", NULL);
  g_autofree char *a1 = g_strconcat ("--transcript=", json, NULL);
  g_autofree char *a2 = g_strconcat ("--pcapng=", pcap, NULL);
  g_autofree char *a3 = g_strconcat ("--png=", bad, NULL);
  g_autofree char *a4 = g_strconcat ("--svg=", tmp, NULL);
  const char *args[] = { "--headless", a1, a2, a3, NULL };
  const char *folder[] = { "--headless", a1, a4, NULL };
  g_autofree char *err = NULL, *err2 = NULL;
  g_autoptr (GDir) dir = NULL;
  g_assert_cmpint (run_cli (args, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, bad));
  g_assert_nonnull (strstr (err, "no such folder"));
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (pcap, G_FILE_TEST_EXISTS));
  g_assert_cmpint (run_cli (folder, NULL, &err2), ==, 1);
  g_assert_nonnull (strstr (err2, "is a folder"));
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  dir = g_dir_open (tmp, 0, NULL);
  g_assert_null (g_dir_read_name (dir)); /* not even a temporary file */
}

/* A bundled lesson runs by its bare name, with or without .scenario; an unknown name
 * points to --list-scenarios. */
static void
test_bare_names (void)
{
  const char *a[] = { "--headless", "01-rsa-key-exchange", "--transcript=-", NULL };
  const char *b[] = { "--headless", "01-rsa-key-exchange.scenario", "--transcript=-", NULL };
  const char *c[] = { "--headless", "no-such-lesson", NULL };
  g_autofree char *out_a = NULL, *out_b = NULL, *err = NULL;
  g_assert_cmpint (run_cli (a, &out_a, NULL), ==, 0);
  g_assert_cmpint (run_cli (b, &out_b, NULL), ==, 0);
  g_assert_cmpstr (out_a, ==, out_b);
  g_assert_true (g_str_has_prefix (out_a, "The classic handshake: RSA key exchange"));
  g_assert_cmpint (run_cli (c, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "no-such-lesson"));
  g_assert_nonnull (strstr (err, "--list-scenarios"));
}

/* --compare (issue 20): the summary alone on standard output, or at the end of the .md
 * transcript; a bad lesson, connection or output is exit 2 and writes nothing. */
static void
test_compare (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-compare-XXXXXX", NULL);
  g_autofree char *md = g_build_filename (dir, "pair.md", NULL);
  g_autofree char *json = g_build_filename (dir, "pair.json", NULL);
  g_autofree char *md_arg = g_strconcat ("--transcript=", md, NULL);
  g_autofree char *json_arg = g_strconcat ("--transcript=", json, NULL);
  const char *text[] = { "--headless", "02-ecdhe-rsa-aes-gcm", "--compare=30-tls13-basic", NULL };
  const char *to_md[]
      = { "--headless", "02-ecdhe-rsa-aes-gcm", "--compare=30-tls13-basic", md_arg, NULL };
  const char *to_json[]
      = { "--headless", "02-ecdhe-rsa-aes-gcm", "--compare=30-tls13-basic", json_arg, NULL };
  const char *missing[] = { "--headless", "01-rsa-key-exchange", "--compare=no-such-lesson", NULL };
  const char *no_conn[] = { "--headless", "01-rsa-key-exchange", "--compare=02-ecdhe-rsa-aes-gcm",
                            "--compare-connections=1,3", NULL };
  g_autofree char *out = NULL, *err1 = NULL, *err2 = NULL, *err3 = NULL, *content = NULL;
  g_assert_cmpint (run_cli (text, &out, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Comparison\n"));
  g_assert_nonnull (strstr (out, "Round trips before the client's first application data\n"
                                 "  A: 2 (data at step 11)\n  B: 1 (data at step 12)"));
  g_assert_nonnull (strstr (out, "only in B"));
  g_assert_cmpint (run_cli (to_md, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (md, &content, NULL, NULL));
  g_assert_true (g_str_has_prefix (content, "# "));
  g_assert_nonnull (strstr (content, "\n## Comparison\n\n| | A | B |"));
  g_assert_nonnull (
      strstr (content, "| 2 | server | (lacking) | 4 EncryptedExtensions | only in B |"));
  g_assert_cmpint (run_cli (to_json, NULL, &err1), ==, 2);
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  g_assert_cmpint (run_cli (missing, NULL, &err2), ==, 2);
  g_assert_nonnull (strstr (err2, "no-such-lesson"));
  g_assert_cmpint (run_cli (no_conn, NULL, &err3), ==, 2);
  g_assert_nonnull (strstr (err3, "02-ecdhe-rsa-aes-gcm.scenario: no connection 3"));
  /* --compare-png: both ladders side by side, 24 units apart, at least as tall as the
   * taller (their rows line up by story step, which can only add room). */
  {
    g_autofree char *pair = g_build_filename (dir, "pair.png", NULL);
    g_autofree char *one = g_build_filename (dir, "a.png", NULL);
    g_autofree char *two = g_build_filename (dir, "b.png", NULL);
    g_autofree char *pair_arg = g_strconcat ("--compare-png=", pair, NULL);
    g_autofree char *one_arg = g_strconcat ("--png=", one, NULL);
    g_autofree char *two_arg = g_strconcat ("--png=", two, NULL);
    const char *to_png[]
        = { "--headless", "02-ecdhe-rsa-aes-gcm", "--compare=30-tls13-basic", pair_arg, NULL };
    const char *png_a[] = { "--headless", "02-ecdhe-rsa-aes-gcm", one_arg, NULL };
    const char *png_b[] = { "--headless", "30-tls13-basic", two_arg, NULL };
    const char *files[] = { pair, one, two };
    guint32 w[3], h[3];
    g_assert_cmpint (run_cli (to_png, NULL, NULL), ==, 0);
    g_assert_cmpint (run_cli (png_a, NULL, NULL), ==, 0);
    g_assert_cmpint (run_cli (png_b, NULL, NULL), ==, 0);
    for (guint i = 0; i < 3; i++) {
      g_autofree char *data = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (files[i], &data, &len, NULL));
      g_assert_cmpuint (len, >, 24);
      g_assert_cmpmem (data + 12, 4, "IHDR", 4); /* PNG: width, height big-endian after it */
      w[i] = GUINT32_FROM_BE (*(guint32 *)(data + 16));
      h[i] = GUINT32_FROM_BE (*(guint32 *)(data + 20));
      g_unlink (files[i]);
    }
    g_assert_cmpuint (w[0], ==, w[1] + 24 + w[2]);
    g_assert_cmpuint (h[0], >=, MAX (h[1], h[2]));
  }
  /* --compare-svg, --compare-pdf, --compare-html beside --compare-png and the .md: all
   * written, each in its format; one that cannot be written is exit 1, and then none is. */
  {
    static const char *const names[]
        = { "pair.png", "pair.svg", "pair.pdf", "pair.html", "pair.md" };
    static const char *const options[] = { "--compare-png=", "--compare-svg=", "--compare-pdf=",
                                           "--compare-html=", "--transcript=" };
    static const char *const starts[] = { "\x89PNG", "<?xml", "%PDF-", "<!DOCTYPE html>", "# " };
    g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) bad_args = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *blocker = g_build_filename (dir, "blocker", NULL);
    g_autofree char *bad = g_build_filename (blocker, "pair.pdf", NULL);
    g_autofree char *err4 = NULL;
    for (guint pass = 0; pass < 2; pass++) {
      GPtrArray *v = pass ? bad_args : args;
      g_ptr_array_add (v, g_strdup ("--headless"));
      g_ptr_array_add (v, g_strdup ("01-rsa-key-exchange"));
      g_ptr_array_add (v, g_strdup ("--compare=30-tls13-basic"));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);
        g_ptr_array_add (v, g_strconcat (options[i], pass && i == 2 ? bad : path, NULL));
      }
      g_ptr_array_add (v, NULL);
    }
    g_assert_cmpint (run_cli ((const char *const *)args->pdata, NULL, NULL), ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *data = NULL;
      g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
      g_assert_true (g_str_has_prefix (data, starts[i]));
      if (i == 3)
        g_assert_nonnull (strstr (data, "TLS 1.3: one round trip"));
      g_unlink (path);
    }
    /* A file where a folder should be: --compare-pdf cannot be written. */
    g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
    g_assert_cmpint (run_cli ((const char *const *)bad_args->pdata, NULL, &err4), ==, 1);
    g_assert_nonnull (strstr (err4, bad));
    {
      g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
      const char *name;
      while ((name = g_dir_read_name (listing)))
        g_assert_cmpstr (name, ==, "blocker");
    }
    g_unlink (blocker);
  }
  g_unlink (md);
  g_rmdir (dir);
}

/* The PDF's text, by pdftotext (poppler-utils, which the test setup installs). */
static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  char *text = NULL;
  int status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text,
                               NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  return text;
}

static guint32
png_width (const char *data, gsize len)
{
  g_assert_cmpuint (len, >, 24);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  return GUINT32_FROM_BE (*(const guint32 *)(data + 16));
}

/* With --compare, --png, --svg, --pdf and --html draw the pair, the same files as the
 * --compare-* options; --step with a pair picture is refused and writes nothing. */
static void
test_compare_plain_exports (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hl-compare-plain-XXXXXX", NULL);
  static const char *const names[] = { "pair.png", "pair.svg", "pair.pdf", "pair.html" };
  static const char *const plain[] = { "--png=", "--svg=", "--pdf=", "--html=" };
  static const char *const alias[]
      = { "--compare-png=", "--compare-svg=", "--compare-pdf=", "--compare-html=" };
  const char *a_title = "ECDHE-RSA with AES-128-GCM";
  const char *b_title = "TLS 1.3: one round trip";
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *single = g_build_filename (dir, "single.png", NULL);
  g_autofree char *single_arg = g_strconcat ("--png=", single, NULL);
  const char *one[] = { "--headless", "02-ecdhe-rsa-aes-gcm", single_arg, NULL };
  g_autofree char *single_data = NULL, *err = NULL;
  gsize single_len;
  g_ptr_array_add (args, g_strdup ("--headless"));
  g_ptr_array_add (args, g_strdup ("02-ecdhe-rsa-aes-gcm"));
  g_ptr_array_add (args, g_strdup ("--compare=30-tls13-basic"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = g_build_filename (dir, names[i], NULL);
    g_autofree char *alias_path = g_strconcat (path, ".alias", NULL);
    g_ptr_array_add (args, g_strconcat (plain[i], path, NULL));
    g_ptr_array_add (args, g_strconcat (alias[i], alias_path, NULL));
  }
  g_ptr_array_add (args, NULL);
  g_assert_cmpint (run_cli ((const char *const *)args->pdata, NULL, NULL), ==, 0);
  g_assert_cmpint (run_cli (one, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (single, &single_data, &single_len, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = g_build_filename (dir, names[i], NULL);
    g_autofree char *alias_path = g_strconcat (path, ".alias", NULL);
    g_autofree char *data = NULL, *alias_data = NULL;
    gsize len, alias_len;
    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    g_assert_true (g_file_get_contents (alias_path, &alias_data, &alias_len, NULL));
    /* One picture under two names. */
    g_assert_cmpmem (data, len, alias_data, alias_len);
    if (i == 0) /* both ladders side by side: wider than the first alone */
      g_assert_cmpuint (png_width (data, len), >, png_width (single_data, single_len) + 24);
    if (i == 1)
      g_assert_nonnull (strstr (data, "<svg"));
    if (i == 2) {
      g_autofree char *text = pdf_text (path);
      g_assert_nonnull (strstr (text, a_title));
      g_assert_nonnull (strstr (text, b_title));
      g_assert_nonnull (strstr (text, "Comparison")); /* the summary's page */
    }
    if (i == 3) {
      g_assert_nonnull (strstr (data, a_title));
      g_assert_nonnull (strstr (data, b_title));
      g_assert_nonnull (strstr (data, "<table id=\"summary\">"));
    }
    g_unlink (path);
    g_unlink (alias_path);
  }
  /* --step has no meaning for two runs: exit 2, nothing written. */
  {
    g_autofree char *path = g_build_filename (dir, "step.png", NULL);
    g_autofree char *arg = g_strconcat ("--png=", path, NULL);
    const char *step[] = {
      "--headless", "02-ecdhe-rsa-aes-gcm", "--compare=30-tls13-basic", arg, "--step=3", NULL
    };
    g_assert_cmpint (run_cli (step, NULL, &err), ==, 2);
    g_assert_nonnull (strstr (err, "--step=3"));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  g_unlink (single);
  g_rmdir (dir);
}

/* The comparison's text: the figure named name of side ("A" or "B"), up to its line's end. */
static char *
figure_of (const char *text, const char *name, const char *side)
{
  g_autofree char *head = g_strconcat ("\n", name, "\n", NULL);
  g_autofree char *tag = g_strconcat ("  ", side, ": ", NULL);
  const char *at = strstr (text, head), *v, *end;
  g_assert_nonnull (at);
  v = strstr (at + strlen (head), tag);
  g_assert_nonnull (v);
  v += strlen (tag);
  end = strchr (v, '\n');
  return g_strndup (v, end ? (gsize)(end - v) : strlen (v));
}

/* What the wire shows: a lesson's own capture (--pcapng, --keylog) compared with the
 * lesson gives the figures of the lesson compared with itself; the key steps, which no
 * capture holds, say so; without keys, what the records hide is "unknown without keys". */
static void
test_compare_capture (gconstpointer data)
{
  /* "LESSON:N": the lesson and its last connection, the one compared. */
  g_auto (GStrv) parts = g_strsplit (data, ":", 2);
  const char *lesson = parts[0];
  g_autofree char *keep_arg = g_strconcat ("--connection=", parts[1], NULL);
  g_autofree char *b_title = g_strdup_printf ("B: Recorded: run.pcapng (connection %s", parts[1]);
  g_autofree char *a_title = g_strdup_printf ("A: Recorded: run.pcapng (connection %s", parts[1]);
  static const char *const same[] = { "Version and suite",
                                      "Result",
                                      "Round trips before the client's first application data",
                                      "Bytes on the wire",
                                      "Encrypted messages",
                                      "Who could decrypt later with the server's private key" };
  g_autofree char *dir = g_dir_make_tmp ("hl-compare-capture-XXXXXX", NULL);
  g_autofree char *cap = g_build_filename (dir, "run.pcapng", NULL);
  g_autofree char *keys = g_build_filename (dir, "run.keys", NULL);
  g_autofree char *steal = g_build_filename (dir, "steal", NULL);
  g_autofree char *bare = g_build_filename (steal, "capture-without-secrets.pcapng", NULL);
  g_autofree char *cap_arg = g_strconcat ("--pcapng=", cap, NULL);
  g_autofree char *keys_arg = g_strconcat ("--keylog=", keys, NULL);
  g_autofree char *steal_arg = g_strconcat ("--steal-key=", steal, NULL);
  g_autofree char *cmp_self = g_strconcat ("--compare=", lesson, NULL);
  g_autofree char *cmp_cap = g_strconcat ("--compare=", cap, NULL);
  g_autofree char *cmp_bare = g_strconcat ("--compare=", bare, NULL);
  g_autofree char *secrets_arg = g_strconcat ("--secrets=", keys, NULL);
  const char *make[] = { "--headless", lesson, cap_arg, keys_arg, NULL };
  const char *make_bare[] = { "--headless", lesson, steal_arg, NULL };
  const char *self[] = { "--headless", lesson, cmp_self, NULL };
  const char *with_cap[] = { "--headless", lesson, cmp_cap, secrets_arg, keep_arg, NULL };
  const char *cap_first[] = { "--headless", cap, cmp_self, NULL };
  g_autofree char *html = g_build_filename (dir, "pair.html", NULL);
  g_autofree char *html_arg = g_strconcat ("--html=", html, NULL);
  g_autofree char *page = NULL;
  const char *with_bare[] = { "--headless", lesson, cmp_bare, NULL };
  const char *bare_html[] = { "--headless", lesson, cmp_bare, html_arg, NULL };
  g_autofree char *out_self = NULL, *out_cap = NULL, *out_first = NULL, *out_bare = NULL;
  g_autofree char *report = NULL;
  g_autofree char *version = NULL;
  gboolean tls13;
  g_assert_cmpint (run_cli (make, NULL, NULL), ==, 0);
  g_assert_cmpint (run_cli (make_bare, &report, NULL), ==, 0);
  g_assert_cmpint (run_cli (self, &out_self, NULL), ==, 0);
  g_assert_cmpint (run_cli (with_cap, &out_cap, NULL), ==, 0);
  g_assert_cmpint (run_cli (cap_first, &out_first, NULL), ==, 0);
  g_assert_cmpint (run_cli (with_bare, &out_bare, NULL), ==, 0);
  version = figure_of (out_self, "Version and suite", "B");
  tls13 = g_str_has_prefix (version, "TLS1.3");
  g_assert_nonnull (strstr (out_cap, b_title));
  g_assert_nonnull (strstr (out_first, a_title));
  for (guint i = 0; i < G_N_ELEMENTS (same); i++) {
    g_autofree char *want = figure_of (out_self, same[i], "B");
    g_autofree char *got = figure_of (out_cap, same[i], "B");
    g_autofree char *first = figure_of (out_first, same[i], "A");
    g_autofree char *no_keys = figure_of (out_bare, same[i], "B");
    g_assert_cmpstr (got, ==, want);
    g_assert_cmpstr (first, ==, want);
    /* Without keys the bytes and the suite are still on the wire; TLS 1.3's records hide
     * their messages, TLS 1.2's show their types. */
    if (tls13 && (i == 2 || i == 4))
      g_assert_true (g_str_has_prefix (no_keys, "unknown without keys"));
    else if (tls13 && i == 1)
      g_assert_cmpstr (no_keys, ==,
                       "succeeded, as far as the wire shows: its encrypted records "
                       "would hide an alert");
    else
      g_assert_cmpstr (no_keys, ==, want);
  }
  for (guint k = 0; k < 2; k++) {
    const char *name = k ? "Server first holds a traffic key" : "Client first holds a traffic key";
    g_autofree char *got = figure_of (out_cap, name, "B");
    g_autofree char *no_keys = figure_of (out_bare, name, "B");
    g_assert_true (
        g_str_has_prefix (got, "not in a capture (the lab, with the key log, from step"));
    g_assert_cmpstr (no_keys, ==, "not in a capture, and unknown without keys");
  }
  /* Nothing hidden is matched with a message, nor called one. */
  g_assert_cmpint (run_cli (bare_html, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (html, &page, NULL, NULL));
  g_assert_nonnull (strstr (page, "Recorded: capture-without-secrets.pcapng"));
  if (tls13) {
    g_assert_nonnull (strstr (out_bare, "encrypted record (unknown without keys)"));
    g_assert_nonnull (strstr (out_bare, "only in A, or hidden in B's encrypted records"));
    g_assert_nonnull (strstr (page, "encrypted record (unknown without keys)"));
  }
  g_unlink (html);
  g_unlink (cap);
  g_unlink (keys);
  {
    g_autoptr (GDir) d = g_dir_open (steal, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d))) {
      g_autofree char *p = g_build_filename (steal, name, NULL);
      g_unlink (p);
    }
  }
  g_rmdir (steal);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/run/version-and-lists", test_version_and_lists);
  g_test_add_func ("/cli/run/default-run", test_default_run);
  g_test_add_func ("/cli/run/json-follows-spec", test_json_follows_spec);
  g_test_add_func ("/cli/run/markdown-and-keylog", test_markdown_and_keylog);
  g_test_add_func ("/cli/run/invalid-scenario-exit-2", test_invalid_scenario_exit_2);
  g_test_add_func ("/cli/run/format-name-slip", test_format_name_slip);
  g_test_add_func ("/cli/run/unexpected-exit-3", test_unexpected_exit_3);
  g_test_add_func ("/cli/run/unwritable-exit-1", test_unwritable_exit_1);
  g_test_add_func ("/cli/wireshark/pcapng-decrypts", test_pcapng_decrypts);
  {
    static const char *const tls13[] = { "30-tls13-basic.scenario",
                                         "31-tls13-chacha20-ecdsa.scenario",
                                         "32-tls13-hello-retry.scenario",
                                         "33-tls13-psk-resumption.scenario",
                                         "34-tls13-early-data.scenario",
                                         "35-tls13-mutual.scenario",
                                         "36-tls13-tampered-certificate-verify.scenario",
                                         "37-tls13-untrusted.scenario",
                                         "38-tls13-client-vs-tls12-server.scenario",
                                         "39-tls13-key-update.scenario" };
    for (guint i = 0; i < G_N_ELEMENTS (tls13); i++) {
      g_autofree char *path = g_strdup_printf ("/cli/wireshark/pcapng-%s", tls13[i]);
      g_test_add_data_func (path, tls13[i], test_pcapng_tls13);
    }
  }
  g_test_add_func ("/cli/run/conveniences", test_conveniences);
  g_test_add_func ("/cli/run/builtin-default", test_builtin_default);
  g_test_add_func ("/cli/run/stdout-outputs", test_stdout_outputs);
  g_test_add_func ("/cli/exports/every-lesson", test_diagram_exports);
  g_test_add_func ("/cli/run/png-repeats-and-scales", test_png_repeats_and_scales);
  g_test_add_func ("/cli/run/export-failures", test_export_failures);
  g_test_add_func ("/cli/run/key-schedule", test_key_schedule);
  g_test_add_func ("/cli/run/handouts-teach", test_handouts_teach);
  g_test_add_func ("/cli/run/bare-names", test_bare_names);
  g_test_add_func ("/cli/run/outputs-all-or-nothing", test_outputs_all_or_nothing);
  g_test_add_func ("/cli/run/list-errors-and-messages", test_list_errors_and_messages);
  g_test_add_func ("/cli/run/compare", test_compare);
  g_test_add_func ("/cli/run/compare-plain-exports", test_compare_plain_exports);
  g_test_add_data_func ("/cli/run/compare-capture-02", "02-ecdhe-rsa-aes-gcm:1",
                        test_compare_capture);
  g_test_add_data_func ("/cli/run/compare-capture-30", "30-tls13-basic:1", test_compare_capture);
  g_test_add_data_func ("/cli/run/compare-capture-01", "01-rsa-key-exchange:1",
                        test_compare_capture);
  /* Resumptions: psk_dhe_ke and psk_ke told apart on the wire, by the ServerHello. */
  g_test_add_data_func ("/cli/run/compare-capture-33", "33-tls13-psk-resumption:2",
                        test_compare_capture);
  g_test_add_data_func ("/cli/run/compare-capture-42", "42-tls13-psk-ke-resumption:2",
                        test_compare_capture);
  return g_test_run ();
}
