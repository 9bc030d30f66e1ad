/* hl-run-expect.c: The outcome against the scenario's [Expect], and a [Fault] that never
 * found its message.
 */
#include "hl-run-private.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <string.h>

gboolean
hl_run_succeeded (const HlRun *run)
{
  const HlConnection *c;
  if (run->connections->len == 0)
    return FALSE;
  c = g_ptr_array_index (run->connections, run->connections->len - 1);
  return c->success;
}

int
hl_run_check_expect (const HlRun *run, char **why)
{
  const HlExpect *x = &run->scenario->expect;
  const HlConnection *c;
  GString *diff;
  if (!x->present)
    return -1;
  if (run->connections->len == 0) {
    if (why)
      *why = g_strdup ("the run has no connection");
    return 0;
  }
  c = g_ptr_array_index (run->connections, run->connections->len - 1);
  diff = g_string_new (NULL);
  if (x->outcome >= 0 && x->outcome != (c->success ? 1 : 0))
    g_string_append_printf (diff, "outcome is %s, expected %s; ",
                            c->success ? "success" : "failure", x->outcome ? "success" : "failure");
  if (x->version && x->version != c->version)
    g_string_append_printf (diff, "version is %s, expected %s; ",
                            c->version ? hl_version_name (c->version) : "none",
                            hl_version_name (x->version));
  if (x->suite && x->suite != c->suite) {
    const HlSuite *got = hl_suite_by_id (c->suite);
    g_string_append_printf (diff, "cipher suite is %s, expected %s; ", got ? got->name : "none",
                            hl_suite_by_id (x->suite)->name);
  }
  if (x->curve) {
    /* The curve of the last key exchange: a resumed connection has none of its own. */
    int curve = -1;
    for (guint i = run->connections->len; i > 0 && curve < 0; i--) {
      const HlConnection *k = g_ptr_array_index (run->connections, i - 1);
      if (!k->resumed)
        curve = k->curve;
    }
    if ((int)x->curve != curve)
      g_string_append_printf (diff, "curve is %s, expected %s; ",
                              curve > 0 ? hl_curve_name (curve) : "none", hl_curve_name (x->curve));
  }
  if (x->hello_retry >= 0) {
    /* Any connection of the run: the retry is the lesson, wherever it happens. */
    gboolean retried = FALSE;
    for (guint i = 0; i < run->connections->len; i++)
      retried |= ((const HlConnection *)g_ptr_array_index (run->connections, i))->hello_retry;
    if (retried != (x->hello_retry == 1))
      g_string_append_printf (diff, "%s, expected %s; ",
                              retried ? "the server sent a HelloRetryRequest"
                                      : "there was no HelloRetryRequest",
                              x->hello_retry ? "one" : "none");
  }
  for (int s = 0; s < 2; s++) {
    gboolean has = s == 0 ? x->has_client_error : x->has_server_error;
    int want = s == 0 ? x->client_error : x->server_error;
    if (has && want != c->error[s]) {
      g_autofree char *a = hl_error_name (c->error[s]);
      g_autofree char *b = hl_error_name (want);
      g_string_append_printf (diff, "%s error is %s, expected %s; ", hl_side_name (s), a, b);
    }
  }
  if (diff->len) {
    g_string_truncate (diff, diff->len - 2);
    if (why)
      *why = g_string_free (diff, FALSE);
    else
      g_string_free (diff, TRUE);
    return 0;
  }
  g_string_free (diff, TRUE);
  if (why)
    *why = NULL;
  return 1;
}

const char *
hl_run_get_fault_error (HlRun *run)
{
  const HlFault *f = &run->scenario->fault;
  if (run->fault_error)
    return run->fault_error;
  if (f->action != HL_FAULT_NONE && !run->fault_applied && run->finished) {
    run->fault_error = g_strdup_printf (
        "%s:%d: the fault targets %s:%s#%u, but the %s sent %s %s in connection %u (%u seen)",
        run->scenario->file ? run->scenario->file : "(scenario)", f->message_line,
        hl_side_name (f->side), f->message, f->nth, hl_side_name (f->side),
        run->fault_counter ? "fewer" : "no", f->message, f->connection, run->fault_counter);
    return run->fault_error;
  }
  return NULL;
}
