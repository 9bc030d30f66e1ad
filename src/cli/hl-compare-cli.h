/* hl-compare-cli.h: --compare=OTHER on the command line. */
#pragma once

#include <glib.h>

#include "hl-capture-reader.h"
#include "hl-ladder-layout.h"
#include "hl-run.h"

G_BEGIN_DECLS

/* The pair's files asked for, by format: PNG, SVG, PDF, HTML (hl_compare_format_of). */
#define HL_CLI_COMPARE_N_FORMATS 4

/* OTHER as given (a file, or a bundled lesson's name as --list-scenarios prints it): the
 * path to open (newly allocated). */
char *hl_cli_compare_resolve (const char *other);

/* Runs the lesson at other (hl_cli_compare_resolve) on its own to its end, or reads the
 * capture there (with capture_options: --secrets, and --connection when the first input is
 * not a capture), and compares it with run: the summary and the aligned messages, as
 * Markdown when md, else text (newly allocated). connections: NULL, or "N,M" for
 * connection N of run and M of OTHER, counted among the connections each run has (default:
 * the last of each). NULL with error (the other lesson's FILE:LINE when it does not load,
 * an unreadable capture; HL_DIAGRAM_ERROR when a picture cannot be made). *warning (newly
 * allocated, or left NULL): where a capture was cut short. For each format whose want[i]
 * is set, the pair lined up by story step (options as for --png, scale for the PNG) goes
 * into pair[i]. */
char *hl_cli_compare (HlRun *run, const char *other, const HlCaptureOptions *capture_options,
                      const char *connections, gboolean md, const HlLadderOptions *options,
                      double scale, const gboolean want[HL_CLI_COMPARE_N_FORMATS],
                      GBytes *pair[HL_CLI_COMPARE_N_FORMATS], char **warning, GError **error);

G_END_DECLS
