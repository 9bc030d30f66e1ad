/* hl-steal-cli.h: --steal-key[=OUT_DIR] on the command line. */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

/* The stolen-key report of a lesson's run (newly allocated, for standard output) and,
 * with dir, the observer's files added to paths/contents for the caller to write with the
 * other outputs: DIR/capture-without-secrets.pcapng, DIR/server-key.pem and
 * DIR/stolen-key.txt (the report). dir is created if missing. NULL with error. */
GBytes *hl_cli_steal_key (HlRun *run, const char *dir, GPtrArray *paths, GPtrArray *contents,
                          GError **error);

G_END_DECLS
