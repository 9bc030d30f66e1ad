/* hl-run-restore.c: an edit put back on its message (Redo after Back took it away). */
#include "hl-run-private.h"
#include "hl-tamper-effect.h"

gboolean
hl_run_restore_edit (HlRun *run, const HlEdit *edit)
{
  HlEdit *e;
  guint nth = 0;
  if (run->recorded || !edit || !edit->message || (!edit->drop && !edit->wire))
    return FALSE;
  /* Only on a message still to come: a delivered one would have to be sent again. */
  for (guint k = 0; k < run->steps->len; k++) {
    const HlStep *st = g_ptr_array_index (run->steps, k);
    if (st->connection == edit->connection && st->from == edit->from
        && strcmp (st->message, edit->message) == 0 && ++nth == edit->nth)
      return FALSE;
  }
  for (guint i = 0; i < run->edits->len; i++) {
    const HlEdit *old = g_ptr_array_index (run->edits, i);
    if (old->connection == edit->connection && old->from == edit->from && old->nth == edit->nth
        && strcmp (old->message, edit->message) == 0) {
      g_ptr_array_remove_index (run->edits, i);
      break;
    }
  }
  e = g_new0 (HlEdit, 1);
  e->connection = edit->connection;
  e->from = edit->from;
  e->message = g_strdup (edit->message);
  e->nth = edit->nth;
  e->drop = edit->drop;
  e->wire = edit->wire ? g_bytes_ref (edit->wire) : NULL;
  e->plaintext = edit->plaintext ? g_bytes_ref (edit->plaintext) : NULL;
  g_ptr_array_add (run->edits, e);
  return TRUE;
}
