/* hl-main.c: handshake-lab's command line (the shared command-line spec;
 * docs/project-extensions.md). */
#include "hl-config.h"

#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hl-application.h"
#include "hl-builtin.h"
#include "hl-capture-reader.h"
#include "hl-compare-cli.h"
#include "hl-data.h"
#include "hl-lesson-catalog.h"
#include "hl-ladder-export.h"
#include "hl-pcapng-writer.h"
#include "hl-recorded.h"
#include "hl-quiz.h"
#include "hl-run.h"
#include "hl-scenario.h"
#include "hl-steal-cli.h"
#include "hl-tables.h"
#include "hl-transcript.h"

enum { EXIT_RAN = 0, EXIT_WRITE = 1, EXIT_USAGE = 2, EXIT_UNEXPECTED = 3 };

static gboolean opt_headless, opt_list_suites, opt_list_scenarios, opt_version;
static gboolean opt_list_errors, opt_list_messages;
static char *opt_transcript, *opt_pcapng, *opt_keylog;
static char *opt_png, *opt_svg, *opt_pdf, *opt_html, *opt_key_schedule;
static int opt_step = -1;
static double opt_scale = 1.0;
static char *opt_theme;
static char *opt_detail;
static char **opt_args;
static char **opt_secrets, **opt_connection;
static gboolean opt_list_connections;
static gboolean opt_steal_key;
static char *opt_quiz;
static char *opt_steal_dir;
static char *opt_compare, *opt_compare_connections;
/* The pair lined up by story step: PNG, SVG, PDF, HTML (hl-compare-cli.h). */
static char *opt_compare_files[HL_CLI_COMPARE_N_FORMATS];

/* --steal-key takes its folder only as --steal-key=DIR (an optional argument). */
static gboolean
parse_steal_key (const char *name, const char *value, gpointer data, GError **error)
{
  opt_steal_key = TRUE;
  g_free (opt_steal_dir);
  opt_steal_dir = value && *value ? g_strdup (value) : NULL;
  return TRUE;
}

static const GOptionEntry entries[] = {
  { "headless", 0, 0, G_OPTION_ARG_NONE, &opt_headless, "Run without a window", NULL },
  { "transcript", 0, 0, G_OPTION_ARG_FILENAME, &opt_transcript,
    "Write the transcript: .json, .md, or - for text on standard output", "FILE" },
  { "transcript-detail", 0, 0, G_OPTION_ARG_STRING, &opt_detail,
    "full (default: every field and its bytes) or brief (steps, story, checks, who holds what)",
    "DETAIL" },
  { "pcapng", 0, 0, G_OPTION_ARG_FILENAME, &opt_pcapng,
    "Write the run as a capture with its TLS secrets embedded", "FILE" },
  { "keylog", 0, 0, G_OPTION_ARG_FILENAME, &opt_keylog, "Write the secrets in NSS key log format",
    "FILE" },
  { "png", 0, 0, G_OPTION_ARG_FILENAME, &opt_png,
    "Write the ladder diagram as PNG (with --compare: the pair, lined up by story step)", "FILE" },
  { "svg", 0, 0, G_OPTION_ARG_FILENAME, &opt_svg,
    "Write the ladder diagram as SVG (with --compare: the pair)", "FILE" },
  { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &opt_pdf,
    "Write a PDF handout: the diagram, then each step from its own page (with --compare: the "
    "pair, then the summary)",
    "FILE" },
  { "html", 0, 0, G_OPTION_ARG_FILENAME, &opt_html,
    "Write a self-contained interactive HTML handout (with --compare: the pair's page)", "FILE" },
  { "key-schedule", 0, 0, G_OPTION_ARG_FILENAME, &opt_key_schedule,
    "Write TLS 1.3's key schedule (RFC 8446 7.1) with what each side holds: .png or .svg", "FILE" },
  { "step", 0, 0, G_OPTION_ARG_INT, &opt_step,
    "Export the diagram as it stands after step N (default: the whole run)", "N" },
  { "theme", 0, 0, G_OPTION_ARG_STRING, &opt_theme,
    "Diagram colours: light (default, for print) or dark (for dark slides)", "THEME" },
  { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &opt_scale, "PNG scale factor (default 1; 2 for slides)",
    "F" },
  { "list-suites", 0, 0, G_OPTION_ARG_NONE, &opt_list_suites,
    "List the cipher suites this build supports, in the client's default preference order", NULL },
  { "list-scenarios", 0, 0, G_OPTION_ARG_NONE, &opt_list_scenarios,
    "List the bundled scenarios: file name and title", NULL },
  { "list-errors", 0, 0, G_OPTION_ARG_NONE, &opt_list_errors,
    "List the error names [Expect] ClientError and ServerError accept, with their meaning", NULL },
  { "list-messages", 0, 0, G_OPTION_ARG_NONE, &opt_list_messages,
    "List the message names [Fault] Message accepts", NULL },
  { "secrets", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_secrets,
    "Keys for a CAPTURE: an NSS key log (every label), or a server's private key (PEM: RSA "
    "for RSA key exchange, EC for static ECDH); repeatable",
    "FILE" },
  { "list-connections", 0, 0, G_OPTION_ARG_NONE, &opt_list_connections,
    "List the TLS connections in CAPTURE: number, client, server, SNI, version, suite, messages, "
    "keys",
    NULL },
  { "connection", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_connection,
    "Keep only connection N of CAPTURE (as --list-connections numbers them); repeatable", "N" },
  { "steal-key", 0, G_OPTION_FLAG_OPTIONAL_ARG | G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK,
    parse_steal_key,
    "Forward secrecy: read the lesson's capture without secrets with the server's private key "
    "alone and say what it opens; =OUT_DIR also writes that capture, the key (PEM) and the report",
    "OUT_DIR" },
  { "quiz", 0, 0, G_OPTION_ARG_FILENAME, &opt_quiz,
    "Write the lesson's quiz, made from the run, with its answers: .md, or - for standard output",
    "FILE" },
  { "compare", 0, 0, G_OPTION_ARG_FILENAME, &opt_compare,
    "Compare with lesson OTHER, run on its own, or with a capture (--secrets, --connection): the "
    "summary (round trips, bytes, encrypted "
    "messages, first traffic keys, who can decrypt later) and the messages by story step, in "
    "the .md transcript or, without an output, on standard output",
    "OTHER" },
  { "compare-connections", 0, 0, G_OPTION_ARG_STRING, &opt_compare_connections,
    "With --compare: connection N of the lesson and M of OTHER (default: the last of each)",
    "N,M" },
  { "compare-png", 0, 0, G_OPTION_ARG_FILENAME, &opt_compare_files[0],
    "With --compare: the same as --png, both ladders side by side, lined up by story step "
    "(--scale and --theme apply)",
    "FILE" },
  { "compare-svg", 0, 0, G_OPTION_ARG_FILENAME, &opt_compare_files[1],
    "With --compare: the same as --svg (--theme applies)", "FILE" },
  { "compare-pdf", 0, 0, G_OPTION_ARG_FILENAME, &opt_compare_files[2],
    "With --compare: the same as --pdf, the pair, then the summary on a page of its own", "FILE" },
  { "compare-html", 0, 0, G_OPTION_ARG_FILENAME, &opt_compare_files[3],
    "With --compare: the same as --html, one page with both ladders and the summary", "FILE" },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Show the version", NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_args, NULL, NULL },
  { NULL },
};

static int
list_scenarios (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lessons = hl_lesson_catalog_load (&error);
  if (!lessons) {
    g_printerr ("handshake-lab: %s\n", error->message);
    return EXIT_USAGE;
  }
  for (guint i = 0; i < lessons->len; i++) {
    const HlLesson *l = g_ptr_array_index (lessons, i);
    if (l->title)
      g_print ("%s.scenario\t%s\n", l->name, l->title);
    else
      g_print ("%s.scenario\t(invalid: %s)\n", l->name, l->error);
  }
  return EXIT_RAN;
}

/* One line per connection of a capture, tab-separated: number, client, server, SNI,
 * version, suite, messages, keys (and where its recording stops, if it does). */
static void
list_connections (GPtrArray *summaries)
{
  for (guint i = 0; i < summaries->len; i++) {
    const HlCaptureSummary *c = g_ptr_array_index (summaries, i);
    const HlSuite *suite = hl_suite_by_id (c->suite);
    g_autofree char *suite_name = suite      ? g_strdup (suite->name)
                                  : c->suite ? hl_describe_suite_id (c->suite)
                                             : g_strdup ("-");
    const char *version = c->version ? hl_version_name (c->version) : NULL;
    g_print ("%u\t%s\t%s\t%s\t%s\t%s\t%u messages\t%s%s%s\n", c->file_number, c->client, c->server,
             c->server_name ? c->server_name : "-", version ? version : "-", suite_name,
             c->n_messages, c->keys_known ? "keys known" : "keys not known", c->note ? "\t" : "",
             c->note ? c->note : "");
  }
}

/* text, then the run's quiz (takes text, returns a new string). */
static char *
append_quiz (char *text, HlRun *run)
{
  g_autoptr (HlQuiz) quiz = hl_quiz_new (run);
  g_autofree char *md = hl_quiz_to_markdown (quiz);
  char *both = g_strconcat (text, "\n", md, NULL);
  g_free (text);
  return both;
}

/* text, then more (takes text, returns a new string). */
static char *
append_text (char *text, const char *more)
{
  char *both = g_strconcat (text, "\n", more, NULL);
  g_free (text);
  return both;
}

/* Standard output is an output like any file: a failed write is exit status 1. */
static void
write_stdout (const void *data, gsize len, const char *what, int *status)
{
  if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0) {
    g_printerr ("handshake-lab: cannot write the %s to standard output\n", what);
    *status = EXIT_WRITE;
  }
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (HlScenario) scenario = NULL;
  g_autoptr (HlRun) run = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *builtin_folder = NULL;
  const char *path;
  const char *fault_error;
  int status = EXIT_RAN;
  gboolean brief, capture, other_capture = FALSE;
  g_autofree char *other_path = NULL;
  g_autoptr (GArray) keep = g_array_new (FALSE, FALSE, sizeof (guint));
  HlCaptureOptions other_co = { NULL, NULL, 0 };
  int expected;

  setlocale (LC_ALL, "");
  ctx = g_option_context_new ("[SCENARIO]");
  g_option_context_set_summary (ctx, "Handshake Lab: a real TLS handshake, one message at a time.\n"
                                     "Without SCENARIO it runs the built-in default scenario.");
  g_option_context_set_description (
      ctx, "Exit status: 0 ran (and matched [Expect]); 1 an output could not be written;\n"
           "2 bad usage or an invalid scenario; 3 ran, but differs from [Expect].");
  g_option_context_add_main_entries (ctx, entries, NULL);
  /* GLib gives an optional argument the next word too ("--steal-key LESSON" would make
   * LESSON the folder): a bare --steal-key takes none. */
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    if (strcmp (argv[i], "--steal-key") == 0)
      argv[i] = (char *)"--steal-key=";
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("handshake-lab: %s\nTry 'handshake-lab --help'.\n", error->message);
    return EXIT_USAGE;
  }
  if (opt_version) {
    g_print ("handshake-lab %s (BearSSL 0.6)\n", HL_VERSION);
    return EXIT_RAN;
  }
  if ((opt_list_suites || opt_list_scenarios || opt_list_errors || opt_list_messages)
      && ((opt_args && opt_args[0]) || opt_transcript || opt_pcapng || opt_keylog || opt_headless
          || opt_png || opt_svg || opt_pdf || opt_html || opt_key_schedule || opt_steal_key
          || opt_quiz
          || opt_list_suites + opt_list_scenarios + opt_list_errors + opt_list_messages > 1)) {
    g_printerr ("handshake-lab: a --list-* option takes no other option or scenario\n");
    return EXIT_USAGE;
  }
  if ((opt_transcript && strcmp (opt_transcript, "-") == 0)
          + (opt_keylog && strcmp (opt_keylog, "-") == 0)
          + (opt_pcapng && strcmp (opt_pcapng, "-") == 0)
          + (opt_quiz && strcmp (opt_quiz, "-") == 0)
      > 1) {
    g_printerr ("handshake-lab: only one of --transcript, --keylog, --pcapng and --quiz can write "
                "to standard output (-)\n");
    return EXIT_USAGE;
  }
  if (opt_steal_key
      && ((opt_transcript && strcmp (opt_transcript, "-") == 0)
          || (opt_keylog && strcmp (opt_keylog, "-") == 0)
          || (opt_pcapng && strcmp (opt_pcapng, "-") == 0)
          || (opt_quiz && strcmp (opt_quiz, "-") == 0))) {
    g_printerr ("handshake-lab: --steal-key prints its report on standard output: write the "
                "other outputs to files\n");
    return EXIT_USAGE;
  }
  if (!(opt_scale > 0 && opt_scale <= 8)) {
    g_printerr ("handshake-lab: --scale=%g: give a factor above 0 and at most 8\n", opt_scale);
    return EXIT_USAGE;
  }
  if (opt_detail && strcmp (opt_detail, "full") != 0 && strcmp (opt_detail, "brief") != 0) {
    g_printerr ("handshake-lab: --transcript-detail=%s: use full or brief\n", opt_detail);
    return EXIT_USAGE;
  }
  if (opt_theme && strcmp (opt_theme, "light") != 0 && strcmp (opt_theme, "dark") != 0) {
    g_printerr ("handshake-lab: --theme=%s: use light or dark\n", opt_theme);
    return EXIT_USAGE;
  }
  if (opt_step == 0 || opt_step < -1) {
    g_printerr ("handshake-lab: --step=%d: steps count from 1\n", opt_step);
    return EXIT_USAGE;
  }
  brief = opt_detail && strcmp (opt_detail, "brief") == 0;
  if (opt_list_suites) {
    const HlSuite *s;
    for (guint i = 0; (s = hl_suite_nth (i)); i++)
      g_print ("%s\n", s->name);
    return EXIT_RAN;
  }
  if (opt_list_scenarios)
    return list_scenarios ();
  if (opt_list_messages) {
    for (const char *const *m = hl_message_names (); *m; m++)
      g_print ("%s\n", *m);
    return EXIT_RAN;
  }
  if (opt_list_errors) {
    int err;
    g_print ("0\tno error: the side finished cleanly\n");
    for (guint i = 0; (err = hl_error_nth (i)) >= 0; i++) {
      g_autofree char *name = hl_error_name (err);
      g_autofree char *plain = hl_error_explain (err);
      if (err)
        g_print ("%s\t%s\n", name, plain);
    }
    g_print (
        "BR_ERR_SEND_FATAL_ALERT+N\tthe side sent fatal alert N (e.g. +40 handshake_failure)\n");
    g_print ("BR_ERR_RECV_FATAL_ALERT+N\tthe side received fatal alert N from its peer\n");
    return EXIT_RAN;
  }
  if (opt_args && opt_args[0] && opt_args[1]) {
    g_printerr ("handshake-lab: one scenario at a time, got %u\n", g_strv_length (opt_args));
    return EXIT_USAGE;
  }
  if (opt_args && opt_args[0]) {
    path = opt_args[0];
    /* A bare name from --list-scenarios runs the bundled lesson. */
    if (!g_file_test (path, G_FILE_TEST_EXISTS) && !strchr (path, G_DIR_SEPARATOR)) {
      g_autofree char *bundled = g_build_filename (hl_data_dir (), "scenarios", path, NULL);
      g_autofree char *with_suffix = g_strconcat (bundled, ".scenario", NULL);
      if (g_file_test (bundled, G_FILE_TEST_IS_REGULAR))
        path = default_path = g_steal_pointer (&bundled);
      else if (g_file_test (with_suffix, G_FILE_TEST_IS_REGULAR))
        path = default_path = g_steal_pointer (&with_suffix);
      else {
        g_printerr ("handshake-lab: %s: no such file, and no bundled lesson of that name; "
                    "handshake-lab --list-scenarios lists the lessons\n",
                    path);
        return EXIT_USAGE;
      }
    }
  } else {
    default_path = hl_data_default_scenario ();
    path = default_path;
    /* Without its data folder the program still has its default lesson built in. */
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
      g_free (default_path);
      default_path = hl_builtin_extract_default (&builtin_folder, &error);
      if (!default_path) {
        g_printerr ("handshake-lab: cannot unpack the built-in default scenario: %s\n",
                    error->message);
        return EXIT_WRITE;
      }
      path = default_path;
    }
  }
  if (opt_key_schedule && !g_str_has_suffix (opt_key_schedule, ".png")
      && !g_str_has_suffix (opt_key_schedule, ".svg")) {
    g_printerr ("handshake-lab: --key-schedule=%s: the file name must end in .png or .svg\n",
                opt_key_schedule);
    return EXIT_USAGE;
  }
  capture = opt_args && opt_args[0] && hl_capture_sniff (path);
  if (capture && opt_steal_key) {
    g_printerr ("handshake-lab: --steal-key runs a lesson; for a capture, give the key with "
                "--secrets=KEY.pem\n");
    return EXIT_USAGE;
  }
  if ((opt_compare_connections || opt_compare_files[0] || opt_compare_files[1]
       || opt_compare_files[2] || opt_compare_files[3])
      && !opt_compare) {
    g_printerr ("handshake-lab: --compare-connections, --compare-png, --compare-svg, "
                "--compare-pdf and --compare-html need --compare=OTHER\n");
    return EXIT_USAGE;
  }
  if (opt_compare && opt_step > 0
      && (opt_png || opt_svg || opt_pdf || opt_html || opt_compare_files[0] || opt_compare_files[1]
          || opt_compare_files[2] || opt_compare_files[3])) {
    /* Two runs have no common step N: the pair is always drawn whole. */
    g_printerr ("handshake-lab: --step=%d: with --compare the pair is drawn whole, lined up by "
                "story step; --step draws one lesson (leave out --compare for that)\n",
                opt_step);
    return EXIT_USAGE;
  }
  if (opt_compare && opt_transcript && g_str_has_suffix (opt_transcript, ".json")) {
    g_printerr ("handshake-lab: --compare writes into a .md transcript or standard output, not "
                "into %s\n",
                opt_transcript);
    return EXIT_USAGE;
  }
  if (opt_compare) {
    other_path = hl_cli_compare_resolve (opt_compare);
    other_capture = hl_capture_sniff (other_path);
  }
  if (opt_list_connections && !capture) {
    g_printerr ("handshake-lab: --list-connections needs a capture (a pcap or pcapng file)%s%s\n",
                opt_args && opt_args[0] ? "; this is not one: " : "",
                opt_args && opt_args[0] ? path : "");
    return EXIT_USAGE;
  }
  if (!capture && !other_capture && (opt_secrets || opt_connection)) {
    g_printerr ("handshake-lab: --secrets and --connection need a capture (a pcap or pcapng "
                "file, or --compare=CAPTURE)%s%s\n",
                opt_args && opt_args[0] ? "; this is not one: " : "",
                opt_args && opt_args[0] ? path : "");
    return EXIT_USAGE;
  }
  for (guint i = 0; opt_connection && opt_connection[i]; i++) {
    char *end = NULL;
    guint64 n = g_ascii_strtoull (opt_connection[i], &end, 10);
    if (!*opt_connection[i] || *end || n == 0 || n > G_MAXUINT) {
      g_printerr ("handshake-lab: --connection=%s: give a connection number from 1 "
                  "(--list-connections lists them)\n",
                  opt_connection[i]);
      return EXIT_USAGE;
    }
    g_array_append_val (keep, n);
  }
  /* --secrets open every capture compared (a key log names its connections by their
   * client random); --connection picks in the first input when it is a capture, else in
   * OTHER. */
  other_co.secrets = (const char *const *)opt_secrets;
  if (!capture && keep->len) {
    other_co.keep = (const guint *)keep->data;
    other_co.n_keep = keep->len;
  }
  if (capture) {
    g_autofree char *warning = NULL;
    HlCaptureOptions co = { (const char *const *)opt_secrets, NULL, 0 };
    if (keep->len) {
      co.keep = (const guint *)keep->data;
      co.n_keep = keep->len;
    }
    if (!opt_headless && !opt_list_connections && !opt_transcript && !opt_pcapng && !opt_keylog
        && !opt_png && !opt_svg && !opt_pdf && !opt_html && !opt_key_schedule && !opt_quiz
        && !opt_compare) {
      /* The window reads the capture itself (one connection at a time: the first one
       * named, or the person chooses); a capture that does not open is said here first. */
      run = hl_capture_open (path, &co, &warning, &error);
      if (!run) {
        g_printerr ("handshake-lab: %s\n", error->message);
        return EXIT_USAGE;
      }
      g_clear_pointer (&run, hl_run_free);
      if (keep->len > 1)
        g_printerr ("handshake-lab: the window shows one connection at a time: connection %u "
                    "first\n",
                    g_array_index (keep, guint, 0));
      return hl_ui_run_capture (path, (const char *const *)opt_secrets,
                                keep->len ? g_array_index (keep, guint, 0) : 0);
    }
#ifdef __GLIBC__
    /* A capture's connections are built and dropped one after another, each a few
     * buffers of up to a few megabytes: by default glibc gives that memory back to the
     * system and faults it in again for the next one, which on a large capture took
     * more time than reading it. Kept instead (peak memory stays the same). */
    mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt (M_TRIM_THRESHOLD, 128 * 1024 * 1024);
#endif
    if (opt_list_connections) {
      /* Each connection summarised as it closes: the capture is never held whole. */
      g_autoptr (GPtrArray) summaries = hl_capture_list (path, &co, &warning, &error);
      if (!summaries) {
        g_printerr ("handshake-lab: %s\n", error->message);
        return EXIT_USAGE;
      }
      if (warning)
        g_printerr ("handshake-lab: %s\n", warning);
      list_connections (summaries);
      return EXIT_RAN;
    }
    run = hl_capture_open (path, &co, &warning, &error);
    if (!run) {
      g_printerr ("handshake-lab: %s\n", error->message);
      return EXIT_USAGE;
    }
    if (warning)
      g_printerr ("handshake-lab: %s\n", warning);
    hl_run_run_to_end (run);
  }
  if (!capture && !opt_headless && !opt_transcript && !opt_pcapng && !opt_keylog && !opt_png
      && !opt_svg && !opt_pdf && !opt_html && !opt_key_schedule && !opt_steal_key && !opt_quiz
      && !opt_compare) {
    /* The window loads the lesson itself; a lesson that does not load is said here
     * first, with its FILE:LINE, display or not. Opened from a file manager nobody reads
     * standard error: the window opens anyway, on the default lesson with the same message
     * over it, and the exit status still says the lesson was invalid. */
    int window_status;
    if (opt_args && opt_args[0]) {
      g_autoptr (HlScenario) check = hl_scenario_load (path, &error);
      if (!check) {
        g_printerr ("%s\n", error->message);
        hl_ui_run (path);
        return EXIT_USAGE;
      }
    }
    window_status = hl_ui_run (opt_args && opt_args[0] ? path : NULL);
    if (builtin_folder)
      hl_builtin_remove (builtin_folder);
    return window_status;
  }

  if (!capture) {
    scenario = hl_scenario_load (path, &error);
    if (builtin_folder)
      hl_builtin_remove (builtin_folder); /* everything is loaded into memory now */
    if (!scenario) {
      g_printerr ("%s\n", error->message);
      return EXIT_USAGE;
    }
    run = hl_run_new (scenario);
    hl_run_run_to_end (run);
  }
  fault_error = hl_run_get_fault_error (run);
  if (fault_error) {
    g_printerr ("%s\n", fault_error);
    return EXIT_USAGE;
  }

  /* Every output is made in memory first, then the files are written as one: all of
   * them, or none (nothing partial is left behind). Standard output comes last. */
  {
    g_autoptr (GPtrArray) paths = g_ptr_array_new ();
    g_autoptr (GPtrArray) steal_paths = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) contents = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
    g_autoptr (GBytes) to_stdout = NULL;
    const char *stdout_what = NULL;
    g_autoptr (GError) e = NULL;
    g_autofree char *compared = NULL;
    HlLadderOptions o = { G_MAXUINT, 0, 0, HL_LADDER_THEME_LIGHT, 0 };
    /* With --compare, --png, --svg, --pdf and --html draw the pair as --compare-* do. */
    const char *plain[HL_CLI_COMPARE_N_FORMATS] = { opt_png, opt_svg, opt_pdf, opt_html };
    guint n = hl_run_get_n_steps (run);
    gboolean any = opt_transcript || opt_keylog || opt_pcapng || opt_png || opt_svg || opt_pdf
                   || opt_compare_files[0] || opt_compare_files[1] || opt_compare_files[2]
                   || opt_compare_files[3] || opt_html || opt_key_schedule || opt_steal_key
                   || opt_quiz;
    /* [Scenario] Quiz=true: the text and Markdown transcripts end with the quiz. */
    gboolean quiz_lesson = !capture && hl_run_get_scenario (run)->quiz;
    if (opt_transcript && strcmp (opt_transcript, "-") != 0
        && !g_str_has_suffix (opt_transcript, ".json")
        && !g_str_has_suffix (opt_transcript, ".md")) {
      g_printerr ("handshake-lab: --transcript=%s: the file name must end in .json or .md (or "
                  "be - for text)\n",
                  opt_transcript);
      return EXIT_USAGE;
    }
    if (opt_step > 0) {
      if ((guint)opt_step > n) {
        g_printerr ("handshake-lab: --step=%d: this run has %u steps\n", opt_step, n);
        return EXIT_USAGE;
      }
      o.upto = opt_step;
      o.current = opt_step;
    }
    if (opt_theme && strcmp (opt_theme, "dark") == 0)
      o.theme = HL_LADDER_THEME_DARK;
    if (opt_compare) {
      gboolean md = opt_transcript && g_str_has_suffix (opt_transcript, ".md");
      GBytes *pair[HL_CLI_COMPARE_N_FORMATS] = { NULL };
      gboolean want[HL_CLI_COMPARE_N_FORMATS];
      HlLadderOptions whole = o;
      whole.upto = G_MAXUINT;
      whole.current = 0;
      g_autofree char *warning = NULL;
      for (guint i = 0; i < HL_CLI_COMPARE_N_FORMATS; i++)
        want[i] = opt_compare_files[i] || plain[i];
      compared = hl_cli_compare (run, other_path, &other_co, opt_compare_connections, md, &whole,
                                 opt_scale, want, pair, &warning, &e);
      if (warning)
        g_printerr ("handshake-lab: %s\n", warning);
      if (!compared) {
        g_printerr ("handshake-lab: --compare=%s: %s\n", opt_compare, e->message);
        /* A picture that cannot be made is an output not written, as for --png. */
        return e->domain == HL_DIAGRAM_ERROR ? EXIT_WRITE : EXIT_USAGE;
      }
      /* --png and --compare-png are one picture: the pair (a name given twice, once). */
      for (guint i = 0; i < HL_CLI_COMPARE_N_FORMATS; i++) {
        if (!pair[i])
          continue;
        if (plain[i]) {
          g_ptr_array_add (paths, (gpointer)plain[i]);
          g_ptr_array_add (contents, g_bytes_ref (pair[i]));
        }
        if (opt_compare_files[i] && g_strcmp0 (opt_compare_files[i], plain[i]) != 0) {
          g_ptr_array_add (paths, opt_compare_files[i]);
          g_ptr_array_add (contents, g_bytes_ref (pair[i]));
        }
        g_bytes_unref (pair[i]);
      }
    }
    if (!any && compared) {
      /* Headless without an output: the comparison is what was asked for. */
      gsize len = strlen (compared);
      to_stdout = g_bytes_new_take (g_steal_pointer (&compared), len);
      stdout_what = "comparison";
    } else if (!any || (opt_transcript && strcmp (opt_transcript, "-") == 0)) {
      char *text = brief ? hl_transcript_to_text_brief (run) : hl_transcript_to_text (run);
      if (quiz_lesson)
        text = append_quiz (text, run);
      if (compared)
        text = append_text (text, compared);
      to_stdout = g_bytes_new_take (text, strlen (text));
      stdout_what = "transcript";
    } else if (opt_transcript) {
      char *text = g_str_has_suffix (opt_transcript, ".json") ? hl_transcript_to_json (run)
                   : brief ? hl_transcript_to_markdown_brief (run)
                           : hl_transcript_to_markdown (run);
      if (quiz_lesson && g_str_has_suffix (opt_transcript, ".md"))
        text = append_quiz (text, run);
      if (compared)
        text = append_text (text, compared);
      g_ptr_array_add (paths, opt_transcript);
      g_ptr_array_add (contents, g_bytes_new_take (text, strlen (text)));
    }
    if (opt_quiz) {
      g_autoptr (HlQuiz) quiz = NULL;
      char *text;
      if (strcmp (opt_quiz, "-") != 0 && !g_str_has_suffix (opt_quiz, ".md")) {
        g_printerr ("handshake-lab: --quiz=%s: the file name must end in .md (or be - for "
                    "standard output)\n",
                    opt_quiz);
        return EXIT_USAGE;
      }
      quiz = hl_quiz_new (run);
      text = hl_quiz_to_markdown (quiz);
      if (strcmp (opt_quiz, "-") == 0) {
        to_stdout = g_bytes_new_take (text, strlen (text));
        stdout_what = "quiz";
      } else {
        g_ptr_array_add (paths, opt_quiz);
        g_ptr_array_add (contents, g_bytes_new_take (text, strlen (text)));
      }
    }
    if (opt_keylog) {
      char *text = hl_transcript_to_keylog (run);
      GBytes *b = g_bytes_new_take (text, strlen (text));
      if (strcmp (opt_keylog, "-") == 0) {
        to_stdout = b;
        stdout_what = "key log";
      } else {
        g_ptr_array_add (paths, opt_keylog);
        g_ptr_array_add (contents, b);
      }
    }
    if (opt_pcapng) {
      gsize len = 0;
      guint8 *data = hl_pcapng_from_run (run, &len);
      GBytes *b = g_bytes_new_take (data, len);
      if (strcmp (opt_pcapng, "-") == 0) {
        to_stdout = b;
        stdout_what = "capture";
      } else {
        g_ptr_array_add (paths, opt_pcapng);
        g_ptr_array_add (contents, b);
      }
    }
    {
      const char *diagram_paths[] = { opt_png, opt_svg, opt_pdf, opt_html };
      static const char *const formats[] = { "png", "svg", "pdf", "html" };
      for (guint i = 0; i < G_N_ELEMENTS (diagram_paths); i++) {
        GBytes *b;
        if (!diagram_paths[i] || opt_compare)
          continue;
        /* The option names the format; a name ending in another one's extension is most
         * likely a slip (--pdf=ladder.png): written as asked, and said. */
        for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
          g_autofree char *ext = g_strconcat (".", formats[f], NULL);
          if (f != i && g_str_has_suffix (diagram_paths[i], ext))
            g_printerr ("handshake-lab: %s: written as %s (--%s), though its name ends in %s\n",
                        diagram_paths[i], formats[i], formats[i], ext);
        }
        b = i == 0   ? hl_ladder_render_png (run, &o, opt_scale, &e)
            : i == 1 ? hl_ladder_render_svg (run, &o, &e)
            : i == 2 ? hl_ladder_render_pdf (run, &o, &e)
                     : hl_ladder_render_html (run, &o, &e);
        if (!b) {
          g_printerr ("handshake-lab: %s: %s\n", diagram_paths[i], e->message);
          return EXIT_WRITE;
        }
        g_ptr_array_add (paths, (gpointer)diagram_paths[i]);
        g_ptr_array_add (contents, b);
      }
    }
    if (opt_key_schedule) {
      /* --step=N: what each side holds after step N; else after the last step. */
      HlKeyScheduleOptions ko = { opt_step > 0 ? (guint)opt_step : 0, o.theme, 0, FALSE };
      GBytes *b = g_str_has_suffix (opt_key_schedule, ".png")
                      ? hl_key_schedule_render_png (run, &ko, opt_scale, &e)
                      : hl_key_schedule_render_svg (run, &ko, &e);
      if (!b) {
        g_printerr ("handshake-lab: %s: %s\n", opt_key_schedule, e->message);
        return EXIT_WRITE;
      }
      g_ptr_array_add (paths, opt_key_schedule);
      g_ptr_array_add (contents, b);
    }
    if (opt_steal_key) {
      /* Forward secrecy, shown: the report on standard output, the files with the rest. */
      to_stdout = hl_cli_steal_key (run, opt_steal_dir, steal_paths, contents, &e);
      if (!to_stdout) {
        g_printerr ("handshake-lab: --steal-key: %s\n", e->message);
        return e->domain == G_FILE_ERROR ? EXIT_WRITE : EXIT_USAGE;
      }
      stdout_what = "stolen-key report";
      for (guint i = 0; i < steal_paths->len; i++)
        g_ptr_array_add (paths, g_ptr_array_index (steal_paths, i));
    }
    if (paths->len
        && !hl_write_files_atomically ((const char *const *)paths->pdata,
                                       (GBytes *const *)contents->pdata, paths->len, &e)) {
      g_printerr ("handshake-lab: %s%s\n", e->message,
                  paths->len > 1 ? " (so no output was written)" : "");
      return EXIT_WRITE;
    }
    if (to_stdout) {
      gsize len;
      const char *d = g_bytes_get_data (to_stdout, &len);
      write_stdout (d, len, stdout_what, &status);
    }
  }
  if (status != EXIT_RAN)
    return status;
  expected = hl_run_check_expect (run, NULL);
  return expected == 0 ? EXIT_UNEXPECTED : EXIT_RAN;
}
