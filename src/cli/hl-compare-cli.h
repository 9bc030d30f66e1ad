/* hl-compare-cli.h: --compare=OTHER on the command line. */
#pragma once

#include <glib.h>

#include "hl-ladder-layout.h"
#include "hl-run.h"

G_BEGIN_DECLS

/* Runs the lesson OTHER (a file, or a bundled lesson's name as --list-scenarios prints
 * it) on its own to its end and compares it with run: the summary and the aligned
 * messages, as Markdown when md, else text (newly allocated). connections: NULL, or
 * "N,M" for connection N of run and M of OTHER (default: the last of each). NULL with
 * error (the other lesson's FILE:LINE when it does not load). With png, also the two
 * whole ladders side by side (options and scale as for --png) into *png. */
char *hl_cli_compare (HlRun *run, const char *other, const char *connections, gboolean md,
                      const HlLadderOptions *options, double scale, GBytes **png, GError **error);

G_END_DECLS
