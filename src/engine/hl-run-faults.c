/* hl-run-faults.c: Faults and tampering: the scenario's [Fault] and the edits a person
 * makes, each keyed to the message it changes.
 */
#include "hl-run-private.h"
#include "hl-i18n.h"
#include "hl-decode.h"
#include "hl-tables.h"

#include <string.h>

static gboolean
matches_fault (HlRun *run, const Pending *p)
{
  const HlFault *f = &run->scenario->fault;
  if (f->action == HL_FAULT_NONE || run->fault_applied || p->connection != MAX (f->connection, 1))
    return FALSE;
  if (p->from != f->side || strcmp (p->message, f->message) != 0)
    return FALSE;
  run->fault_counter++;
  return run->fault_counter == f->nth;
}

/* How many messages of this name the sender has sent in this connection, this one included. */
guint
_hl_run_count_nth (const HlRun *run, const Pending *p)
{
  guint n = 1;
  for (guint i = 0; i < run->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (run->steps, i);
    if (st->connection == p->connection && st->from == p->from
        && strcmp (st->message, p->message) == 0)
      n++;
  }
  return n;
}

const HlEdit *
_hl_run_find_edit (HlRun *run, const Pending *p)
{
  guint nth = _hl_run_count_nth (run, p);
  for (guint i = 0; i < run->edits->len; i++) {
    const HlEdit *e = g_ptr_array_index (run->edits, i);
    if (e->connection == p->connection && e->from == p->from && e->nth == nth
        && strcmp (e->message, p->message) == 0)
      return e;
  }
  return NULL;
}

/* Applies the scenario's [Fault] or a tamper edit; returns the bytes to deliver
 * (NULL: drop) and says what was done. */
GBytes *
_hl_run_apply_changes (HlRun *run, Pending *p, guint index, char **what)
{
  const HlFault *f = &run->scenario->fault;
  const HlEdit *edit = _hl_run_find_edit (run, p);
  gsize len;
  const guint8 *d = g_bytes_get_data (p->wire, &len);
  if (edit) {
    if (edit->drop) {
      *what = g_strdup (_ ("dropped by hand: never delivered"));
      return NULL;
    }
    if (g_bytes_equal (edit->wire, p->wire))
      return g_bytes_ref (p->wire); /* the same bytes again: nothing was changed */
    if (edit->plaintext) {
      *what
          = g_strdup_printf (_ ("plaintext changed by hand and encrypted again with the %s's keys "
                                "and sequence number: a valid record with other content"),
                             hl_side_word (p->from));
      return g_bytes_ref (edit->wire);
    }
    {
      gsize new_len;
      const guint8 *n = g_bytes_get_data (edit->wire, &new_len);
      gsize first = 0, changed = 0;
      for (gsize i = 0; i < MIN (len, new_len); i++)
        if (d[i] != n[i] && changed++ == 0)
          first = i;
      if (new_len == len)
        *what = g_strdup_printf (P_ ("changed by hand: %zu byte differs, the first at byte %zu",
                                     "changed by hand: %zu bytes differ, the first at byte %zu",
                                     changed),
                                 changed, first);
      else
        *what = g_strdup_printf (_ ("changed by hand: %zu bytes delivered instead of %zu"), new_len,
                                 len);
    }
    return g_bytes_ref (edit->wire);
  }
  if (!matches_fault (run, p))
    return g_bytes_ref (p->wire);
  run->fault_applied = TRUE;
  switch (f->action) {
  case HL_FAULT_FLIP: {
    guint8 *copy;
    if (f->plaintext) {
      gsize plen;
      const guint8 *pd = p->plaintext ? g_bytes_get_data (p->plaintext, &plen) : NULL;
      g_autoptr (GBytes) changed = NULL;
      GBytes *sealed;
      const char *file = run->scenario->file ? run->scenario->file : "(scenario)";
      if (!p->encrypted || !pd) {
        run->fault_error = g_strdup_printf (
            _ ("%s:%d: Target=plaintext needs an encrypted message; %s:%s#%u is sent in the clear"),
            file, f->target_line, hl_side_name (f->side), f->message, f->nth);
        return g_bytes_ref (p->wire);
      }
      if (f->offset >= plen) {
        run->fault_error = g_strdup_printf (_ ("%s:%d: Offset %zu is past the end of the plaintext "
                                               "of %s:%s#%u, which has %zu bytes "
                                               "(valid: 0 to %zu)"),
                                            file, f->offset_line, f->offset, hl_side_name (f->side),
                                            f->message, f->nth, plen, plen ? plen - 1 : 0);
        return g_bytes_ref (p->wire);
      }
      copy = g_memdup2 (pd, plen);
      copy[f->offset] ^= f->mask;
      changed = g_bytes_new_take (copy, plen);
      sealed = _hl_run_encrypt_as_sender (run, p, changed, NULL);
      if (!sealed) {
        run->fault_error = g_strdup_printf (_ ("%s:%d: the %s's keys for %s:%s#%u are not known"),
                                            file, f->target_line, hl_side_name (f->side),
                                            hl_side_name (f->side), f->message, f->nth);
        return g_bytes_ref (p->wire);
      }
      g_clear_pointer (&run->fault_plaintext, g_bytes_unref);
      run->fault_plaintext = g_bytes_ref (changed);
      *what = g_strdup_printf (
          _ ("flip in the plaintext: byte %zu XOR 0x%02x (0x%02x became 0x%02x), "
             "then encrypted again with the %s's keys and sequence number: a "
             "valid record with other content"),
          f->offset, f->mask, pd[f->offset], copy[f->offset], hl_side_word (p->from));
      return sealed;
    }
    if (f->offset >= len) {
      run->fault_error = g_strdup_printf (_ ("%s:%d: Offset %zu is past the end of %s:%s#%u, which "
                                             "has %zu bytes (valid: 0 to %zu)"),
                                          run->scenario->file ? run->scenario->file : "(scenario)",
                                          f->offset_line, f->offset, hl_side_name (f->side),
                                          f->message, f->nth, len, len ? len - 1 : 0);
      return g_bytes_ref (p->wire);
    }
    copy = g_memdup2 (d, len);
    copy[f->offset] ^= f->mask;
    *what = g_strdup_printf ("flip: byte %zu XOR 0x%02x (0x%02x became 0x%02x)", f->offset, f->mask,
                             d[f->offset], copy[f->offset]);
    return g_bytes_new_take (copy, len);
  }
  case HL_FAULT_TRUNCATE:
    if (f->length >= len) {
      run->fault_error = g_strdup_printf (
          _ ("%s:%d: Length %zu does not truncate %s:%s#%u, which has only %zu bytes"),
          run->scenario->file ? run->scenario->file : "(scenario)", f->offset_line, f->length,
          hl_side_name (f->side), f->message, f->nth, len);
      return g_bytes_ref (p->wire);
    }
    *what = g_strdup_printf ("truncate: only the first %zu of %zu bytes delivered", f->length, len);
    return g_bytes_new (d, f->length);
  case HL_FAULT_DROP:
    *what = g_strdup ("drop: never delivered");
    return NULL;
  default:
    return g_bytes_ref (p->wire);
  }
}

void
_hl_run_free_edit (HlEdit *e)
{
  g_free (e->message);
  if (e->wire)
    g_bytes_unref (e->wire);
  if (e->plaintext)
    g_bytes_unref (e->plaintext);
  g_free (e);
}

static HlEdit *
add_edit (HlRun *run, gboolean drop, GBytes *wire)
{
  const Pending *p = g_queue_peek_head (&run->pending);
  HlEdit *e;
  if (run->finished || !p)
    return NULL;
  e = g_new0 (HlEdit, 1);
  e->connection = p->connection;
  e->from = p->from;
  e->message = g_strdup (p->message);
  e->nth = _hl_run_count_nth (run, p);
  e->drop = drop;
  e->wire = wire ? g_bytes_ref (wire) : NULL;
  for (guint i = 0; i < run->edits->len; i++) {
    const HlEdit *old = g_ptr_array_index (run->edits, i);
    if (old->connection == e->connection && old->from == e->from && old->nth == e->nth
        && strcmp (old->message, e->message) == 0) {
      g_ptr_array_remove_index (run->edits, i);
      break;
    }
  }
  g_ptr_array_add (run->edits, e);
  return e;
}

gboolean
hl_run_tamper_next_plaintext (HlRun *run, GBytes *plaintext, GError **error)
{
  const Pending *p = g_queue_peek_head (&run->pending);
  g_autoptr (GBytes) wire = NULL;
  HlEdit *e;
  g_return_val_if_fail (plaintext != NULL, FALSE);
  if (run->recorded) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_RECORDED,
                 _ ("a recording cannot be changed: its messages were sent long ago, and the "
                    "sides that read them are not here to react"));
    return FALSE;
  }
  if (run->finished || !p) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NO_MESSAGE, _ ("no message is waiting"));
    return FALSE;
  }
  wire = _hl_run_encrypt_as_sender (run, p, plaintext, error);
  if (!wire)
    return FALSE;
  e = add_edit (run, FALSE, wire);
  e->plaintext = g_bytes_ref (plaintext);
  return TRUE;
}

void
hl_run_tamper_next (HlRun *run, GBytes *new_wire)
{
  g_return_if_fail (new_wire != NULL);
  if (run->recorded)
    return; /* a recording cannot be changed (see hl_run_tamper_next_plaintext) */
  add_edit (run, FALSE, new_wire);
}

void
hl_run_drop_next (HlRun *run)
{
  if (run->recorded)
    return;
  add_edit (run, TRUE, NULL);
}

guint
hl_run_get_n_edits (const HlRun *run)
{
  return run->edits->len;
}

const HlEdit *
hl_run_get_edit (const HlRun *run, guint i)
{
  return i < run->edits->len ? g_ptr_array_index (run->edits, i) : NULL;
}

/* Removing an edit changes the run from the message it was made on: the steps
 * from there on are dropped and the run goes back to just before it. */
void
hl_run_remove_edit (HlRun *run, guint i)
{
  const HlEdit *e;
  guint back_to = run->steps->len;
  guint nth = 0;
  if (i >= run->edits->len)
    return;
  e = g_ptr_array_index (run->edits, i);
  for (guint k = 0; k < run->steps->len; k++) {
    const HlStep *st = g_ptr_array_index (run->steps, k);
    if (st->connection == e->connection && st->from == e->from
        && strcmp (st->message, e->message) == 0 && ++nth == e->nth) {
      back_to = k;
      break;
    }
  }
  g_ptr_array_remove_index (run->edits, i);
  if (back_to < run->steps->len)
    hl_run_seek (run, back_to);
}
