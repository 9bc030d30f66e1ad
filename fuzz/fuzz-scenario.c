/* libFuzzer target: the scenario loader, on any bytes. Paths resolve against the
 * bundled scenarios' folder, so inputs can name the real test PKI. */
#include <stddef.h>
#include <stdint.h>

#include "hl-run.h"
#include "hl-scenario.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  HlScenario *s = hl_scenario_load_from_data ((const char *)data, size, "fuzz.scenario",
                                              HL_SOURCE_DIR "/scenarios", &error);
  if (s) {
    /* A scenario that loads is a scenario that runs: run it too, bounded. */
    HlRun *run = hl_run_new (s);
    hl_run_run_to_end (run);
    hl_run_free (run);
    hl_scenario_free (s);
  } else {
    g_assert (error && g_str_has_prefix (error->message, "fuzz.scenario:"));
    g_error_free (error);
  }
  return 0;
}
