/* hl-run-twin.c: two runs of one lesson trading the steps they both made. */
#include <string.h>

#include "hl-run-private.h"

/* Puts `fresh` where `old` was in the run's own list and in its connection's. */
static void
replace_step (HlRun *run, guint i, HlStep *fresh)
{
  HlStep *old = run->steps->pdata[i];
  HlConnection *c = g_ptr_array_index (run->connections, old->connection - 1);
  for (guint j = 0; j < c->steps->len; j++)
    if (c->steps->pdata[j] == old)
      c->steps->pdata[j] = fresh;
  run->steps->pdata[i] = fresh;
}

gboolean
hl_run_trade_steps (HlRun *run, HlRun *twin, guint n)
{
  if (run->recorded || twin->recorded || run->scenario != twin->scenario || run->edits->len
      || twin->edits->len || n > run->steps->len || n > twin->steps->len)
    return FALSE;
  /* The same lesson without edits replays byte for byte: check the cheap part anyway. */
  for (guint i = 0; i < n; i++) {
    const HlStep *a = run->steps->pdata[i], *b = twin->steps->pdata[i];
    if (a->connection != b->connection || a->from != b->from || strcmp (a->message, b->message)
        || !a->wire != !b->wire || (a->wire && !g_bytes_equal (a->wire, b->wire)))
      return FALSE;
  }
  for (guint i = 0; i < n; i++) {
    HlStep *a = run->steps->pdata[i], *b = twin->steps->pdata[i];
    replace_step (run, i, b);
    replace_step (twin, i, a);
  }
  return TRUE;
}
