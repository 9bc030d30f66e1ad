/* Helpers the engine tests share. */
#pragma once

#include <glib.h>

#include "hl-recorded.h"
#include "hl-run.h"
#include "hl-scenario.h"

/* Path of a bundled file, from the source tree. */
char *hl_test_source_path (const char *relative);
/* The file names of the bundled lessons (scenarios/ *.scenario), sorted. */
GPtrArray *hl_test_bundled_names (void);
/* Loads scenarios/NAME or fails the test. */
HlScenario *hl_test_load_bundled (const char *name);
/* Writes text to a fresh file in a temporary folder that also holds links to assets/. */
char *hl_test_write_scenario (const char *text);
/* A live run's connections as a capture would hand them over: each direction's bytes as
 * they went on the wire, chunk bytes to a segment, with the key log lines a real key log
 * holds (CLIENT_RANDOM for TLS 1.2, the traffic secrets for TLS 1.3) when with_keys. */
HlRecording *hl_test_record (HlRun *live, gsize chunk, gboolean with_keys);
/* Runs a scenario to its end. */
HlRun *hl_test_run (const HlScenario *s);
