/* hl-session.h: the model between the engine and every view.
 *
 * A session owns a scenario and its run, and says where the lesson stands: how
 * many steps have been delivered (the position), which step is selected, and
 * what each side knows there. It is a GListModel of the delivered steps
 * (HlStepObject), so a list view follows it; stepping adds one item, going back
 * removes one. Views read the session and call its methods; they never reach
 * into the run to change it.
 *
 * Properties (all notify): "title", "description", "file", "position",
 * "selected", "finished", "outcome", "can-go-back", "can-step". No GTK here.
 */
#pragma once

#include <gio/gio.h>

#include "hl-field-edit.h"
#include "hl-knowledge-model.h"
#include "hl-run.h"
#include "hl-tamper-effect.h"
#include "hl-step-object.h"

G_BEGIN_DECLS

#define HL_TYPE_SESSION (hl_session_get_type ())
G_DECLARE_FINAL_TYPE (HlSession, hl_session, HL, SESSION, GObject)

HlSession *hl_session_new (void);

/* Loads a lesson and restarts at step 0. On failure (FILE:LINE: message in error)
 * the current lesson stays as it was. */
gboolean hl_session_load (HlSession *self, const char *path, GError **error);

/* Shows a run made elsewhere (a capture's recorded run, hl-recorded.h) and restarts at
 * step 0; takes ownership of run. Title, description and file are its scenario's. */
void hl_session_load_run (HlSession *self, HlRun *run);
/* Whether the run shown is made of recorded messages (it cannot be tampered with). */
gboolean hl_session_is_recorded (HlSession *self);

const char *hl_session_get_title (HlSession *self);
const char *hl_session_get_description (HlSession *self);
const char *hl_session_get_file (HlSession *self); /* NULL before a lesson is loaded */
/* The run, read-only (for the diagram layer and the exports, which read it whole); NULL
 * before a load. Everything that changes it is a session method below, so that the
 * session's list and properties follow. */
const HlRun *hl_session_get_run (HlSession *self);
/* Steps recorded by the run (delivered or not yet seen), and one of them (from 0; NULL
 * past the end). Read-only. */
guint hl_session_get_n_steps (HlSession *self);
const HlStep *hl_session_get_step (HlSession *self, guint i);

guint hl_session_get_position (HlSession *self); /* steps delivered */
gboolean hl_session_get_finished (HlSession *self);
gboolean hl_session_can_step (HlSession *self);
gboolean hl_session_can_go_back (HlSession *self);

/* Each moves the position and selects the step just delivered (or the last one
 * left). FALSE when it could not move. */
gboolean hl_session_step (HlSession *self);
gboolean hl_session_back (HlSession *self);
void hl_session_restart (HlSession *self);
void hl_session_run_to_end (HlSession *self);
/* How many steps the run made ahead of time while idle has (0: none yet); Step takes
 * the next step from it when it has one more than the session. For tests. */
guint hl_session_get_n_ahead (HlSession *self);
/* The step the next Step will deliver, when it has been made ahead of time (signal
 * "next-made" says when); NULL otherwise. For views that prepare what it will show while
 * idle: it is not delivered, and the pointer is good until the session changes. */
const HlStep *hl_session_peek_made_step (HlSession *self);
/* Whether idle work on the next step is still to come (making it, or dropping a run made
 * ahead that is of no more use): for tests and the benchmark, which wait for it as a
 * person's next key press would. */
gboolean hl_session_is_working_ahead (HlSession *self);
/* For tests: how long after a change the session starts making the next step (50 ms). */
void hl_session_set_ahead_delay (HlSession *self, guint ms);

guint hl_session_get_selected (HlSession *self); /* 1-based step; 0 none */
void hl_session_select (HlSession *self, guint step);
const HlStep *hl_session_get_selected_step (HlSession *self); /* NULL when none */

/* What a side holds after the selected step (HlSecret*, borrowed); NULL when no
 * step is selected. */
const GPtrArray *hl_session_get_knowledge (HlSession *self, HlSide side);
/* The same as lines to show, a list model that follows the selected step and changes
 * only the lines that differ (borrowed; made on first use, so a session nobody shows
 * the knowledge of does not word it). */
HlKnowledgeModel *hl_session_get_knowledge_model (HlSession *self, HlSide side);

/* The outcome once finished, in plain words ("The handshake succeeded." or which
 * side failed and why); NULL while running. */
const char *hl_session_get_outcome (HlSession *self);
gboolean hl_session_get_succeeded (HlSession *self);

/* The message about to be delivered: FALSE when none. */
gboolean hl_session_peek_next (HlSession *self, HlNextMessage *next);
/* Tampering with the next message. Back over a changed message undoes its edit;
 * Restart undoes every edit. */
void hl_session_tamper_next (HlSession *self, GBytes *wire);
gboolean hl_session_tamper_next_plaintext (HlSession *self, GBytes *plaintext, GError **error);
void hl_session_drop_next (HlSession *self);
guint hl_session_get_n_edits (HlSession *self);
gboolean hl_session_next_is_edited (HlSession *self); /* the message in flight was changed */

/* ---------- Tampering by field (hl-field-edit.h), with what it breaks ----------
 *
 * A change the person made to one message, as the session keeps it to show it again: the
 * message (connection, sender, name, Nth), the field and what was typed, and the edit
 * itself, to put it back after Back took it away. */
typedef struct {
  guint connection;
  HlSide from;
  char *message;
  guint nth;
  HlTamperMode mode;
  char *field;          /* the field changed; NULL for a drop or bytes changed in no field */
  gsize offset, length; /* its bytes in the message (decrypted, for an encrypted one) */
  char *typed;          /* what was typed: a value, a bit number or hex; NULL for a drop */
  char *what;           /* one line: "Cipher suite set to TLS_RSA_WITH_AES_128_CBC_SHA" */
  HlEdit edit;          /* the run's edit, copied */
} HlChange;

/* `step`: a delivered step (from 1), which is taken back first (the run goes back to just
 * before it, as Back does, so its message is in flight again), or 0: the message in
 * flight. Each returns FALSE with an error that says what to type; nothing changes then. */
gboolean hl_session_set_field (HlSession *self, guint step, const HlField *field, const char *text,
                               GError **error);
gboolean hl_session_flip_field_bit (HlSession *self, guint step, const HlField *field, guint bit,
                                    GError **error);
gboolean hl_session_drop_step (HlSession *self, guint step, GError **error);
/* Goes back to just before `step` (from 1) in one replay; Back is go_before (position). */
gboolean hl_session_go_before (HlSession *self, guint step);

/* The change on the message in flight; NULL when none. */
const HlChange *hl_session_get_pending_change (HlSession *self);
/* The change made to a delivered step (from 1); NULL when none. */
const HlChange *hl_session_get_step_change (HlSession *self, guint step);
gboolean hl_session_clear_pending (HlSession *self);
/* The changes the last Back took away (kept until the next step, load or restart), and
 * Redo: puts them back on their messages, still to be delivered. */
guint hl_session_get_n_undone (HlSession *self);
const HlChange *hl_session_get_undone (HlSession *self, guint i);
gboolean hl_session_redo (HlSession *self);

/* Before delivery: what a change to a step's message (from 1; 0: the message in flight)
 * will break (HlCheckEffect*, in the order the checks run), and the same as sentences.
 * field may be NULL; changed, the message as it would be delivered, may be NULL. */
GPtrArray *hl_session_predict (HlSession *self, guint step, HlTamperMode mode, const char *field,
                               gsize offset, gsize length, GBytes *changed);
char *hl_session_predict_text (HlSession *self, guint step, HlTamperMode mode, const char *field,
                               gsize offset, gsize length, GBytes *changed);
/* After: the check that caught the change made to a delivered step (from 1); NULL when
 * the step was not changed or nothing has stopped yet. */
HlCheckEffect *hl_session_get_caught (HlSession *self, guint step);
/* "You changed ... Caught by ..." for a delivered step that was changed; else NULL. */
char *hl_session_describe_change (HlSession *self, guint step);
/* The fields of the message in flight, as the unchanged run decoded it (borrowed); NULL
 * when unknown. */
const GPtrArray *hl_session_get_next_fields (HlSession *self);

/* For a view that follows a session: moves *slot from the session it held to `session`
 * (a new reference), disconnecting every handler of `owner` from the old one and
 * connecting `on_change` (swapped: called with `owner`) to "notify::P" for each property
 * name P of the NULL-terminated list. FALSE when *slot already held `session`. */
gboolean hl_session_follow (HlSession **slot, HlSession *session, gpointer owner,
                            GCallback on_change, ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
