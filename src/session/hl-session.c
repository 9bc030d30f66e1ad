/* hl-session.c */
#include "hl-session.h"

#include <string.h>

#include "hl-i18n.h"
#include "hl-recorded.h"
#include "hl-tables.h"

/* The next step is made a while after a step, once its frame is drawn: started at once it
 * ran in the idle moments before that frame and delayed it (issue 17). */
#define AHEAD_DELAY_MS 50

struct _HlSession {
  GObject parent_instance;
  HlScenario *scenario;
  HlRun *run;
  GPtrArray *items; /* HlStepObject*, one per delivered step */
  guint selected;
  char *outcome;
  HlKnowledgeModel *knowledge[2]; /* NULL until asked for */
  GPtrArray *changes;             /* HlChange*: one per edit of the run that we made */
  GPtrArray *undone;              /* HlChange*: what the last Back took away */
  HlRun *reference;               /* the lesson run to its end unchanged; made when first asked */
  gboolean fresh_undo;            /* the next edit a Back takes away replaces `undone` */
  HlRun *ahead;                   /* the lesson one step further, made while idle; or NULL */
  guint ahead_delay;              /* ms after a change before it is made (AHEAD_DELAY_MS) */
  guint ahead_source;             /* the idle that makes it */
};

static guint next_made_signal;

static void change_free (HlChange *c);
static void stash_edit (HlSession *self, const HlEdit *e);
static void append_change_reports (HlSession *self, GString *out);

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_FILE,
  PROP_POSITION,
  PROP_SELECTED,
  PROP_FINISHED,
  PROP_OUTCOME,
  PROP_CAN_STEP,
  PROP_CAN_GO_BACK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return HL_TYPE_STEP_OBJECT;
}

static guint
get_n_items (GListModel *model)
{
  return HL_SESSION (model)->items->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  HlSession *self = HL_SESSION (model);
  return position < self->items->len ? g_object_ref (self->items->pdata[position]) : NULL;
}

static void
hl_session_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (HlSession, hl_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hl_session_list_model_init))

static void
hl_session_finalize (GObject *object)
{
  HlSession *self = HL_SESSION (object);
  g_clear_handle_id (&self->ahead_source, g_source_remove);
  g_clear_pointer (&self->ahead, hl_run_free);
  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->changes);
  g_ptr_array_unref (self->undone);
  g_clear_pointer (&self->reference, hl_run_free);
  g_clear_pointer (&self->run, hl_run_free);
  g_clear_pointer (&self->scenario, hl_scenario_free);
  g_free (self->outcome);
  for (int side = 0; side < 2; side++)
    g_clear_object (&self->knowledge[side]);
  G_OBJECT_CLASS (hl_session_parent_class)->finalize (object);
}

static void
hl_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HlSession *self = HL_SESSION (object);
  switch (prop_id) {
  case PROP_TITLE:
    g_value_set_string (value, hl_session_get_title (self));
    break;
  case PROP_DESCRIPTION:
    g_value_set_string (value, hl_session_get_description (self));
    break;
  case PROP_FILE:
    g_value_set_string (value, hl_session_get_file (self));
    break;
  case PROP_POSITION:
    g_value_set_uint (value, hl_session_get_position (self));
    break;
  case PROP_SELECTED:
    g_value_set_uint (value, self->selected);
    break;
  case PROP_FINISHED:
    g_value_set_boolean (value, hl_session_get_finished (self));
    break;
  case PROP_OUTCOME:
    g_value_set_string (value, self->outcome);
    break;
  case PROP_CAN_STEP:
    g_value_set_boolean (value, hl_session_can_step (self));
    break;
  case PROP_CAN_GO_BACK:
    g_value_set_boolean (value, hl_session_can_go_back (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hl_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  HlSession *self = HL_SESSION (object);
  switch (prop_id) {
  case PROP_SELECTED:
    hl_session_select (self, g_value_get_uint (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
hl_session_class_init (HlSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  object_class->finalize = hl_session_finalize;
  object_class->get_property = hl_session_get_property;
  object_class->set_property = hl_session_set_property;
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, ro);
  properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL, ro);
  properties[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_SELECTED]
      = g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, ro);
  properties[PROP_OUTCOME] = g_param_spec_string ("outcome", NULL, NULL, NULL, ro);
  properties[PROP_CAN_STEP] = g_param_spec_boolean ("can-step", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_GO_BACK] = g_param_spec_boolean ("can-go-back", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* The next step has been made ahead of time (hl_session_peek_made_step). */
  next_made_signal = g_signal_new ("next-made", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* Connected first (in init): the knowledge models have followed before any view hears of
 * the new selection. Every change of the selected step notifies "selected". */
static void
on_selected (HlSession *self)
{
  for (int side = 0; side < 2; side++)
    if (self->knowledge[side])
      hl_knowledge_model_show_step (self->knowledge[side], hl_session_get_selected_step (self));
}

static void
hl_session_init (HlSession *self)
{
  self->ahead_delay = AHEAD_DELAY_MS;
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify)change_free);
  self->undone = g_ptr_array_new_with_free_func ((GDestroyNotify)change_free);
  g_signal_connect (self, "notify::selected", G_CALLBACK (on_selected), NULL);
}

HlSession *
hl_session_new (void)
{
  return g_object_new (HL_TYPE_SESSION, NULL);
}

/* ---------- Keeping the list and the properties in step with the run ---------- */

static char *
describe_outcome (const HlRun *run)
{
  guint n = hl_run_get_n_connections (run);
  const HlConnection *c = n ? hl_run_get_connection (run, n - 1) : NULL;
  if (!c)
    return NULL;
  if (c->success)
    return g_strdup_printf (n == 1       ? _ ("The handshake succeeded. %s")
                            : c->resumed ? _ ("The handshake succeeded, resumed. %s")
                                         : _ ("The handshake succeeded in connection 2. %s"),
                            c->explanation[HL_SIDE_CLIENT]);
  for (int s = 0; s < 2; s++)
    if (c->error[s])
      return g_strdup_printf (s == HL_SIDE_CLIENT
                                  ? _ ("The handshake failed: the client stopped. %s")
                                  : _ ("The handshake failed: the server stopped. %s"),
                              c->explanation[s]);
  return g_strdup (_ ("The handshake did not complete: the run stalled."));
}

/* ---------- The next step, made ahead of time (issue 17) ----------
 *
 * A step's engine work (a TLS 1.3 server's ClientHello: a key share, a signature, some
 * twenty derivations) is a fifth of what the window spends on it. While the window is
 * idle a second run of the same lesson goes one step further; Step then trades the
 * steps both runs made (hl_run_trade_steps) and the two runs swap places. Only for a
 * lesson without edits: an edit changes what comes next, and the run then steps itself. */

static gboolean
wants_ahead (HlSession *self)
{
  return self->scenario && self->run && !hl_run_is_recorded (self->run)
         && hl_run_get_n_edits (self->run) == 0 && !hl_run_is_finished (self->run);
}

/* One step of the ahead run per call, so a key press waits for one step at most. */
static gboolean
advance_ahead (gpointer data)
{
  HlSession *self = data;
  guint want;
  if (!wants_ahead (self)) {
    g_clear_pointer (&self->ahead, hl_run_free);
    self->ahead_source = 0;
    return G_SOURCE_REMOVE;
  }
  want = hl_run_get_n_steps (self->run) + 1;
  if (self->ahead && hl_run_get_n_steps (self->ahead) > want) /* after Back */
    g_clear_pointer (&self->ahead, hl_run_free);
  if (!self->ahead) {
    self->ahead = hl_run_new (self->scenario);
    if (self->ahead)
      return G_SOURCE_CONTINUE;
  } else if (hl_run_get_n_steps (self->ahead) < want && hl_run_step (self->ahead)) {
    return G_SOURCE_CONTINUE;
  }
  self->ahead_source = 0;
  if (hl_session_peek_made_step (self))
    g_signal_emit (self, next_made_signal, 0);
  return G_SOURCE_REMOVE;
}

static gboolean
start_ahead (gpointer data)
{
  HlSession *self = data;
  self->ahead_source = g_idle_add_full (G_PRIORITY_LOW, advance_ahead, self, NULL);
  return G_SOURCE_REMOVE;
}

/* Also when the run made ahead is of no more use: freeing it (its engines, its steps) is
 * work for the idle moments too, not for the step that finished the lesson. */
static void
plan_ahead (HlSession *self)
{
  if (!self->ahead_source && (self->ahead || wants_ahead (self)))
    self->ahead_source
        = g_timeout_add_full (G_PRIORITY_LOW, self->ahead_delay, start_ahead, self, NULL);
}

void
hl_session_set_ahead_delay (HlSession *self, guint ms)
{
  self->ahead_delay = ms;
}

/* Step from the ahead run if it is ready: TRUE when the session's run took the step. */
static gboolean
step_from_ahead (HlSession *self)
{
  HlRun *run = self->run;
  if (!hl_session_peek_made_step (self)
      || !hl_run_trade_steps (self->run, self->ahead, hl_run_get_n_steps (self->run)))
    return FALSE;
  self->run = self->ahead;
  self->ahead = run; /* n steps: the idle takes it two further */
  return TRUE;
}

const HlStep *
hl_session_peek_made_step (HlSession *self)
{
  guint n = self->run ? hl_run_get_n_steps (self->run) : 0;
  if (!self->ahead || !wants_ahead (self) || hl_run_get_n_steps (self->ahead) != n + 1)
    return NULL;
  return hl_run_get_step (self->ahead, n);
}

gboolean
hl_session_is_working_ahead (HlSession *self)
{
  return self->ahead_source != 0;
}

guint
hl_session_get_n_ahead (HlSession *self)
{
  return self->ahead ? hl_run_get_n_steps (self->ahead) : 0;
}

/* Brings the list to the run's steps: drops items past them, adds new ones. */
static void
sync_items (HlSession *self, guint old_selected)
{
  guint n = self->run ? hl_run_get_n_steps (self->run) : 0;
  guint before = self->items->len;
  gboolean was_finished = self->outcome != NULL;
  if (before > n) {
    g_ptr_array_remove_range (self->items, n, before - n);
    g_list_model_items_changed (G_LIST_MODEL (self), n, before - n, 0);
  } else if (n > before) {
    for (guint i = before; i < n; i++)
      g_ptr_array_add (self->items, hl_step_object_new (hl_run_get_step (self->run, i)));
    g_list_model_items_changed (G_LIST_MODEL (self), before, 0, n - before);
  }
  g_clear_pointer (&self->outcome, g_free);
  if (self->run && hl_run_is_finished (self->run)) {
    GString *out = g_string_new (NULL);
    g_autofree char *plain = describe_outcome (self->run);
    if (plain)
      g_string_append (out, plain);
    append_change_reports (self, out);
    self->outcome = out->len ? g_string_free (out, FALSE) : (g_string_free (out, TRUE), NULL);
  }
  if (self->selected > n)
    self->selected = n;
  if (before != n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  if (self->selected != old_selected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  if (was_finished != (self->outcome != NULL) || before != n) {
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_STEP]);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
  }
  plan_ahead (self);
}

static void take_run (HlSession *self, HlScenario *scenario, HlRun *run, guint old_selected);

gboolean
hl_session_load (HlSession *self, const char *path, GError **error)
{
  g_autoptr (HlScenario) scenario = NULL;
  HlRun *run;
  guint old_selected = self->selected;
  g_return_val_if_fail (HL_IS_SESSION (self), FALSE);
  scenario = hl_scenario_load (path, error);
  if (!scenario)
    return FALSE; /* the current lesson stays */
  run = hl_run_new_checked (scenario, error);
  if (!run)
    return FALSE;
  take_run (self, g_steal_pointer (&scenario), run, old_selected);
  return TRUE;
}

void
hl_session_load_run (HlSession *self, HlRun *run)
{
  g_return_if_fail (HL_IS_SESSION (self));
  g_return_if_fail (run != NULL);
  take_run (self, NULL, run, self->selected);
}

gboolean
hl_session_is_recorded (HlSession *self)
{
  return hl_run_is_recorded (self->run);
}

/* The run's scenario: the session's own, or the one a recorded run made. */
static const HlScenario *
get_scenario (HlSession *self)
{
  return self->scenario ? self->scenario : self->run ? hl_run_get_scenario (self->run) : NULL;
}

static void
take_run (HlSession *self, HlScenario *scenario, HlRun *run, guint old_selected)
{
  /* Empty the list before the old run (which owns its steps) goes. */
  self->selected = 0;
  if (self->items->len) {
    guint n = self->items->len;
    g_ptr_array_set_size (self->items, 0);
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  }
  g_ptr_array_set_size (self->changes, 0);
  g_ptr_array_set_size (self->undone, 0);
  g_clear_pointer (&self->reference, hl_run_free); /* it borrows the old scenario */
  g_clear_pointer (&self->ahead, hl_run_free);     /* so does this */
  g_clear_pointer (&self->run, hl_run_free);
  g_clear_pointer (&self->scenario, hl_scenario_free);
  self->scenario = scenario;
  self->run = run;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  sync_items (self, old_selected);
}

const char *
hl_session_get_title (HlSession *self)
{
  const HlScenario *sc = get_scenario (self);
  return sc ? sc->title : NULL;
}

const char *
hl_session_get_description (HlSession *self)
{
  const HlScenario *sc = get_scenario (self);
  return sc ? sc->description : NULL;
}

const char *
hl_session_get_file (HlSession *self)
{
  const HlScenario *sc = get_scenario (self);
  return sc ? sc->file : NULL;
}

const HlRun *
hl_session_get_run (HlSession *self)
{
  return self->run;
}

guint
hl_session_get_n_steps (HlSession *self)
{
  return self->run ? hl_run_get_n_steps (self->run) : 0;
}

const HlStep *
hl_session_get_step (HlSession *self, guint i)
{
  return self->run && i < hl_run_get_n_steps (self->run) ? hl_run_get_step (self->run, i) : NULL;
}

guint
hl_session_get_position (HlSession *self)
{
  return self->items->len;
}

gboolean
hl_session_get_finished (HlSession *self)
{
  return self->run && hl_run_is_finished (self->run);
}

gboolean
hl_session_can_step (HlSession *self)
{
  return self->run && !hl_run_is_finished (self->run);
}

gboolean
hl_session_can_go_back (HlSession *self)
{
  return self->items->len > 0;
}

gboolean
hl_session_step (HlSession *self)
{
  guint old = self->selected;
  if (!self->run || (!step_from_ahead (self) && !hl_run_step (self->run)))
    return FALSE;
  g_ptr_array_set_size (self->undone, 0); /* delivered: what Back took away is gone for good */
  self->selected = hl_run_get_n_steps (self->run);
  sync_items (self, old);
  return TRUE;
}

/* Removes the edits made on messages at or after step index `from` (1-based). */
static void
undo_edits_from (HlSession *self, guint from)
{
  for (guint i = hl_run_get_n_edits (self->run); i > 0; i--) {
    const HlEdit *e = hl_run_get_edit (self->run, i - 1);
    gboolean delivered_before = FALSE;
    guint nth = 0;
    for (guint k = 0; k + 1 < from && k < hl_run_get_n_steps (self->run); k++) {
      const HlStep *st = hl_run_get_step (self->run, k);
      if (st->connection == e->connection && st->from == e->from
          && strcmp (st->message, e->message) == 0 && ++nth == e->nth)
        delivered_before = TRUE;
    }
    if (!delivered_before) {
      stash_edit (self, e);
      hl_run_remove_edit (self->run, i - 1);
    }
  }
}

gboolean
hl_session_back (HlSession *self)
{
  guint old = self->selected;
  guint n;
  if (!self->run || self->items->len == 0)
    return FALSE;
  n = self->items->len - 1;
  self->fresh_undo = TRUE;
  /* Drop the list's item first: its step goes with the seek. */
  g_ptr_array_remove_index (self->items, n);
  g_list_model_items_changed (G_LIST_MODEL (self), n, 1, 0);
  hl_run_seek (self->run, n);
  undo_edits_from (self, n + 1);
  self->selected = n;
  sync_items (self, old);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_STEP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
  return TRUE;
}

void
hl_session_restart (HlSession *self)
{
  guint old = self->selected;
  guint n = self->items->len;
  if (!self->run)
    return;
  g_ptr_array_set_size (self->items, 0);
  if (n)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  /* The changes it takes away are kept for Redo, as Back's are: a Restart in front of a
   * class is easily pressed by mistake. */
  self->fresh_undo = TRUE;
  while (hl_run_get_n_edits (self->run)) {
    stash_edit (self, hl_run_get_edit (self->run, 0));
    hl_run_remove_edit (self->run, 0);
  }
  g_ptr_array_set_size (self->changes, 0);
  hl_run_seek (self->run, 0);
  self->selected = 0;
  sync_items (self, old);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_STEP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
}

void
hl_session_run_to_end (HlSession *self)
{
  guint old = self->selected;
  if (!self->run)
    return;
  g_ptr_array_set_size (self->undone, 0);
  hl_run_run_to_end (self->run);
  self->selected = hl_run_get_n_steps (self->run);
  sync_items (self, old);
}

guint
hl_session_get_selected (HlSession *self)
{
  return self->selected;
}

void
hl_session_select (HlSession *self, guint step)
{
  if (step > self->items->len || step == self->selected)
    return;
  self->selected = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

const HlStep *
hl_session_get_selected_step (HlSession *self)
{
  if (!self->selected || self->selected > self->items->len)
    return NULL;
  return hl_step_object_get_step (self->items->pdata[self->selected - 1]);
}

const GPtrArray *
hl_session_get_knowledge (HlSession *self, HlSide side)
{
  const HlStep *st = hl_session_get_selected_step (self);
  return st ? st->after[side].secrets : NULL;
}

HlKnowledgeModel *
hl_session_get_knowledge_model (HlSession *self, HlSide side)
{
  g_return_val_if_fail (HL_IS_SESSION (self) && (side == HL_SIDE_CLIENT || side == HL_SIDE_SERVER),
                        NULL);
  if (!self->knowledge[side]) {
    self->knowledge[side] = hl_knowledge_model_new (side);
    hl_knowledge_model_show_step (self->knowledge[side], hl_session_get_selected_step (self));
  }
  return self->knowledge[side];
}

const char *
hl_session_get_outcome (HlSession *self)
{
  return self->outcome;
}

gboolean
hl_session_get_succeeded (HlSession *self)
{
  return self->run && hl_run_is_finished (self->run) && hl_run_succeeded (self->run);
}

gboolean
hl_session_peek_next (HlSession *self, HlNextMessage *next)
{
  return self->run && hl_run_peek_next (self->run, next);
}

static void record_hex_change (HlSession *self, const HlNextMessage *next, HlTamperMode mode,
                               GBytes *old, GBytes *changed);

void
hl_session_tamper_next (HlSession *self, GBytes *wire)
{
  HlNextMessage next;
  if (!self->run || !hl_run_peek_next (self->run, &next))
    return;
  hl_run_tamper_next (self->run, wire);
  record_hex_change (self, &next, next.encrypted ? HL_TAMPER_CIPHERTEXT : HL_TAMPER_CONTENT,
                     next.wire, wire);
}

gboolean
hl_session_tamper_next_plaintext (HlSession *self, GBytes *plaintext, GError **error)
{
  if (!self->run) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NO_MESSAGE, _ ("no lesson is loaded"));
    return FALSE;
  }
  {
    HlNextMessage next;
    gboolean have = hl_run_peek_next (self->run, &next);
    if (!hl_run_tamper_next_plaintext (self->run, plaintext, error))
      return FALSE;
    if (have)
      record_hex_change (self, &next, HL_TAMPER_CONTENT, next.plaintext, plaintext);
    return TRUE;
  }
}

void
hl_session_drop_next (HlSession *self)
{
  HlNextMessage next;
  if (!self->run || !hl_run_peek_next (self->run, &next))
    return;
  hl_run_drop_next (self->run);
  record_hex_change (self, &next, HL_TAMPER_DROP, NULL, NULL);
}

gboolean
hl_session_next_is_edited (HlSession *self)
{
  HlNextMessage next;
  if (!hl_session_peek_next (self, &next))
    return FALSE;
  for (guint i = 0; i < hl_run_get_n_edits (self->run); i++) {
    const HlEdit *e = hl_run_get_edit (self->run, i);
    if (e->connection == next.connection && e->from == next.from && e->nth == next.nth
        && strcmp (e->message, next.message) == 0)
      return TRUE;
  }
  return FALSE;
}

guint
hl_session_get_n_edits (HlSession *self)
{
  return self->run ? hl_run_get_n_edits (self->run) : 0;
}

gboolean
hl_session_follow (HlSession **slot, HlSession *session, gpointer owner, GCallback on_change, ...)
{
  va_list args;
  const char *property;
  if (*slot == session)
    return FALSE;
  if (*slot) {
    g_signal_handlers_disconnect_by_data (*slot, owner);
    g_clear_object (slot);
  }
  if (!session)
    return TRUE;
  *slot = g_object_ref (session);
  va_start (args, on_change);
  while ((property = va_arg (args, const char *))) {
    g_autofree char *signal = g_strconcat ("notify::", property, NULL);
    g_signal_connect_swapped (session, signal, on_change, owner);
  }
  va_end (args);
  return TRUE;
}

/* ---------- Tampering by field ---------- */

static void
change_free (HlChange *c)
{
  g_free (c->message);
  g_free (c->field);
  g_free (c->typed);
  g_free (c->what);
  g_free (c->edit.message);
  if (c->edit.wire)
    g_bytes_unref (c->edit.wire);
  if (c->edit.plaintext)
    g_bytes_unref (c->edit.plaintext);
  g_free (c);
}

static gboolean
change_is (const HlChange *c, guint connection, HlSide from, const char *message, guint nth)
{
  return c->connection == connection && c->from == from && c->nth == nth
         && strcmp (c->message, message) == 0;
}

static const HlEdit *
find_edit (HlRun *run, guint connection, HlSide from, const char *message, guint nth)
{
  for (guint i = 0; run && i < hl_run_get_n_edits (run); i++) {
    const HlEdit *e = hl_run_get_edit (run, i);
    if (e->connection == connection && e->from == from && e->nth == nth
        && strcmp (e->message, message) == 0)
      return e;
  }
  return NULL;
}

/* The change kept for an edit: taken out of `changes`, or made up for an edit that came
 * from elsewhere. */
static HlChange *
steal_change (HlSession *self, const HlEdit *e)
{
  HlChange *c;
  for (guint i = 0; i < self->changes->len; i++) {
    c = g_ptr_array_index (self->changes, i);
    if (change_is (c, e->connection, e->from, e->message, e->nth))
      return g_ptr_array_steal_index (self->changes, i);
  }
  c = g_new0 (HlChange, 1);
  c->connection = e->connection;
  c->from = e->from;
  c->message = g_strdup (e->message);
  c->nth = e->nth;
  c->mode = e->drop ? HL_TAMPER_DROP : HL_TAMPER_CONTENT;
  c->what = g_strdup (e->drop ? _ ("dropped") : _ ("changed by hand"));
  c->edit = *e;
  c->edit.message = g_strdup (e->message);
  c->edit.wire = e->wire ? g_bytes_ref (e->wire) : NULL;
  c->edit.plaintext = e->plaintext ? g_bytes_ref (e->plaintext) : NULL;
  return c;
}

/* Back is taking edit e away: kept in `undone` for Redo. */
static void
stash_edit (HlSession *self, const HlEdit *e)
{
  if (self->fresh_undo)
    g_ptr_array_set_size (self->undone, 0);
  self->fresh_undo = FALSE;
  g_ptr_array_add (self->undone, steal_change (self, e));
}

/* Keeps the change just made to the message `next`. Takes `what`. */
static void
keep_change (HlSession *self, const HlNextMessage *next, HlTamperMode mode, const HlField *field,
             const char *typed, char *what)
{
  const HlEdit *e = find_edit (self->run, next->connection, next->from, next->message, next->nth);
  HlChange *c;
  if (!e) {
    g_free (what);
    return;
  }
  c = steal_change (self, e);
  change_free (c); /* any older change to that message */
  c = g_new0 (HlChange, 1);
  c->connection = next->connection;
  c->from = next->from;
  c->message = g_strdup (next->message);
  c->nth = next->nth;
  c->mode = mode;
  c->field = field ? g_strdup (field->name) : NULL;
  c->offset = field ? field->offset : 0;
  c->length = field ? field->length : 0;
  c->typed = g_strdup (typed);
  c->what = what;
  c->edit = *e;
  c->edit.message = g_strdup (e->message);
  c->edit.wire = e->wire ? g_bytes_ref (e->wire) : NULL;
  c->edit.plaintext = e->plaintext ? g_bytes_ref (e->plaintext) : NULL;
  g_ptr_array_add (self->changes, c);
  g_ptr_array_set_size (self->undone, 0);
}

static HlRun *
get_reference (HlSession *self)
{
  if (!self->reference && self->scenario) {
    self->reference = hl_run_new (self->scenario);
    if (self->reference)
      hl_run_run_to_end (self->reference);
  }
  return self->reference;
}

/* The message of a run step (from 0) as an edit names it. */
static void
identify (HlRun *run, guint index, guint *connection, HlSide *from, const char **message,
          guint *nth)
{
  const HlStep *st = hl_run_get_step (run, index);
  *connection = st->connection;
  *from = st->from;
  *message = st->message;
  *nth = 0;
  for (guint k = 0; k <= index; k++) {
    const HlStep *o = hl_run_get_step (run, k);
    if (o->connection == st->connection && o->from == st->from
        && strcmp (o->message, st->message) == 0)
      (*nth)++;
  }
}

/* The reference's step for that message, if it sends it. */
static const HlStep *
reference_step (HlSession *self, guint connection, HlSide from, const char *message, guint nth)
{
  HlRun *ref = get_reference (self);
  guint n = 0;
  for (guint i = 0; ref && i < hl_run_get_n_steps (ref); i++) {
    const HlStep *st = hl_run_get_step (ref, i);
    if (st->connection == connection && st->from == from && strcmp (st->message, message) == 0
        && ++n == nth)
      return st;
  }
  return NULL;
}

static void
record_hex_change (HlSession *self, const HlNextMessage *next, HlTamperMode mode, GBytes *old,
                   GBytes *changed)
{
  const HlStep *ref = reference_step (self, next->connection, next->from, next->message, next->nth);
  const HlField *field = NULL;
  char *what;
  if (mode == HL_TAMPER_DROP) {
    keep_change (self, next, mode, NULL, NULL, g_strdup (_ ("dropped")));
    return;
  }
  {
    gsize a, b, first = 0, n = 0;
    const guint8 *x = g_bytes_get_data (old, &a), *y = g_bytes_get_data (changed, &b);
    for (gsize i = 0; i < MIN (a, b); i++)
      if (x[i] != y[i] && n++ == 0)
        first = i;
    if (n == 0 && a != b)
      first = MIN (a, b);
    /* the decoded fields are of the content: a ciphertext byte is in no field of it */
    if (ref && mode == HL_TAMPER_CONTENT)
      field = hl_field_find_at (ref->fields, first);
    if (a != b)
      what = g_strdup_printf (_ ("bytes changed by hand: %zu bytes instead of %zu"), b, a);
    else if (field)
      what = g_strdup_printf (P_ ("%zu byte changed by hand, the first at byte %zu (%s)",
                                  "%zu bytes changed by hand, the first at byte %zu (%s)", n),
                              n, first, field->name);
    else
      what = g_strdup_printf (P_ ("%zu byte changed by hand, the first at byte %zu",
                                  "%zu bytes changed by hand, the first at byte %zu", n),
                              n, first);
  }
  {
    g_autofree char *hex = hl_hex_bytes (changed);
    keep_change (self, next, mode, field, hex, what);
  }
}

gboolean
hl_session_go_before (HlSession *self, guint step)
{
  guint old = self->selected, n, removed;
  if (!self->run || step == 0 || step > self->items->len)
    return FALSE;
  n = step - 1;
  removed = self->items->len - n;
  self->fresh_undo = TRUE;
  /* Drop the list's items first: their steps go with the seek. */
  g_ptr_array_remove_range (self->items, n, removed);
  g_list_model_items_changed (G_LIST_MODEL (self), n, removed, 0);
  hl_run_seek (self->run, n);
  undo_edits_from (self, n + 1);
  self->selected = n;
  sync_items (self, old);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_STEP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
  return TRUE;
}

/* Brings the message of `step` in flight (see hl_session_set_field) and peeks it. The
 * field is copied first: going back frees the step that owns it. */
static gboolean
bring_in_flight (HlSession *self, guint step, HlNextMessage *next, GError **error)
{
  if (!self->run) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NO_MESSAGE, _ ("no lesson is loaded"));
    return FALSE;
  }
  if (step > self->items->len) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NO_MESSAGE,
                 _ ("step %u has not been delivered yet"), step);
    return FALSE;
  }
  if (step && !hl_session_go_before (self, step))
    return FALSE;
  if (!hl_run_peek_next (self->run, next)) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NO_MESSAGE, _ ("no message is waiting"));
    return FALSE;
  }
  return TRUE;
}

/* Checks the edit on the step's own bytes first, so that a bad value changes nothing (not
 * even the position). */
static GBytes *
step_bytes (HlSession *self, guint step)
{
  HlNextMessage next;
  const HlStep *st;
  if (step == 0)
    return hl_session_peek_next (self, &next)
               ? g_bytes_ref (next.encrypted && next.plaintext ? next.plaintext : next.wire)
               : NULL;
  st = hl_session_get_step (self, step - 1);
  if (!st)
    return NULL;
  return g_bytes_ref (hl_step_get_message_bytes (st));
}

static gboolean
apply_typed (HlSession *self, guint step, const HlField *field, const char *text, guint bit,
             GError **error)
{
  g_autoptr (GBytes) before = step_bytes (self, step);
  g_autoptr (GBytes) check = NULL;
  g_autoptr (GBytes) changed = NULL;
  g_autoptr (GPtrArray) hold = g_ptr_array_new_with_free_func ((GDestroyNotify)hl_field_free);
  HlField *copy;
  HlNextMessage next;
  char *what;
  g_autofree char *typed = NULL;
  if (!before) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NO_MESSAGE, _ ("no such step"));
    return FALSE;
  }
  check = text ? hl_field_encode (field, before, text, error)
               : hl_field_flip_bit (field, before, bit, error);
  if (!check)
    return FALSE;
  copy = hl_field_copy (field);
  g_ptr_array_add (hold, copy);
  if (!bring_in_flight (self, step, &next, error))
    return FALSE;
  {
    GBytes *in_flight = next.encrypted && next.plaintext ? next.plaintext : next.wire;
    changed = text ? hl_field_encode (copy, in_flight, text, error)
                   : hl_field_flip_bit (copy, in_flight, bit, error);
  }
  if (!changed)
    return FALSE;
  if (next.encrypted && next.plaintext) {
    if (!hl_run_tamper_next_plaintext (self->run, changed, error))
      return FALSE;
  } else {
    hl_run_tamper_next (self->run, changed);
  }
  if (text) {
    g_autofree char *shown = NULL;
    g_autoptr (GBytes) as_sent = g_bytes_ref (changed);
    shown = hl_field_edit_text (copy, as_sent);
    what = g_strdup_printf (_ ("%s set to %s"), copy->name, shown);
    typed = g_strdup (text);
  } else {
    what = g_strdup_printf (_ ("bit %u of %s flipped"), bit, copy->name);
    typed = g_strdup_printf ("%u", bit);
  }
  keep_change (self, &next, HL_TAMPER_CONTENT, copy, typed, what);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  return TRUE;
}

gboolean
hl_session_set_field (HlSession *self, guint step, const HlField *field, const char *text,
                      GError **error)
{
  g_return_val_if_fail (HL_IS_SESSION (self) && field && text, FALSE);
  return apply_typed (self, step, field, text, 0, error);
}

gboolean
hl_session_flip_field_bit (HlSession *self, guint step, const HlField *field, guint bit,
                           GError **error)
{
  g_return_val_if_fail (HL_IS_SESSION (self) && field, FALSE);
  return apply_typed (self, step, field, NULL, bit, error);
}

gboolean
hl_session_drop_step (HlSession *self, guint step, GError **error)
{
  HlNextMessage next;
  g_return_val_if_fail (HL_IS_SESSION (self), FALSE);
  if (!bring_in_flight (self, step, &next, error))
    return FALSE;
  hl_run_drop_next (self->run);
  keep_change (self, &next, HL_TAMPER_DROP, NULL, NULL, g_strdup (_ ("dropped")));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  return TRUE;
}

const HlChange *
hl_session_get_pending_change (HlSession *self)
{
  HlNextMessage next;
  if (!hl_session_peek_next (self, &next))
    return NULL;
  if (!find_edit (self->run, next.connection, next.from, next.message, next.nth))
    return NULL;
  for (guint i = 0; i < self->changes->len; i++) {
    const HlChange *c = g_ptr_array_index (self->changes, i);
    if (change_is (c, next.connection, next.from, next.message, next.nth))
      return c;
  }
  return NULL;
}

const HlChange *
hl_session_get_step_change (HlSession *self, guint step)
{
  guint connection, nth;
  HlSide from;
  const char *message;
  if (!self->run || step == 0 || step > self->items->len)
    return NULL;
  identify (self->run, step - 1, &connection, &from, &message, &nth);
  if (!find_edit (self->run, connection, from, message, nth))
    return NULL;
  for (guint i = 0; i < self->changes->len; i++) {
    const HlChange *c = g_ptr_array_index (self->changes, i);
    if (change_is (c, connection, from, message, nth))
      return c;
  }
  return NULL;
}

gboolean
hl_session_clear_pending (HlSession *self)
{
  HlNextMessage next;
  if (!hl_session_peek_next (self, &next))
    return FALSE;
  for (guint i = 0; i < hl_run_get_n_edits (self->run); i++) {
    const HlEdit *e = hl_run_get_edit (self->run, i);
    if (e->connection == next.connection && e->from == next.from && e->nth == next.nth
        && strcmp (e->message, next.message) == 0) {
      change_free (steal_change (self, e));
      hl_run_remove_edit (self->run, i); /* not delivered: the position stays */
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
      plan_ahead (self);
      return TRUE;
    }
  }
  return FALSE;
}

guint
hl_session_get_n_undone (HlSession *self)
{
  return self->undone->len;
}

const HlChange *
hl_session_get_undone (HlSession *self, guint i)
{
  return i < self->undone->len ? g_ptr_array_index (self->undone, i) : NULL;
}

gboolean
hl_session_redo (HlSession *self)
{
  gboolean any = FALSE;
  if (!self->run)
    return FALSE;
  while (self->undone->len) {
    HlChange *c = g_ptr_array_steal_index (self->undone, 0);
    if (hl_run_restore_edit (self->run, &c->edit)) {
      g_ptr_array_add (self->changes, c);
      any = TRUE;
    } else {
      change_free (c);
    }
  }
  if (any)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  return any;
}

const GPtrArray *
hl_session_get_next_fields (HlSession *self)
{
  HlNextMessage next;
  const HlStep *ref;
  if (!hl_session_peek_next (self, &next))
    return NULL;
  ref = reference_step (self, next.connection, next.from, next.message, next.nth);
  /* the unchanged run's bytes: its fields are these only if the bytes are the same */
  if (!ref || !g_bytes_equal (ref->wire, next.wire))
    return NULL;
  return ref->fields;
}

GPtrArray *
hl_session_predict (HlSession *self, guint step, HlTamperMode mode, const char *field, gsize offset,
                    gsize length, GBytes *changed)
{
  HlTamperTarget t = { 0 };
  HlRun *ref = get_reference (self);
  HlNextMessage next;
  if (!ref)
    return NULL;
  if (step == 0) {
    if (!hl_session_peek_next (self, &next))
      return NULL;
    t.connection = next.connection;
    t.from = next.from;
    t.message = next.message;
    t.nth = next.nth;
  } else {
    if (step > self->items->len)
      return NULL;
    identify (self->run, step - 1, &t.connection, &t.from, &t.message, &t.nth);
  }
  t.mode = mode;
  t.field = field;
  t.offset = offset;
  t.length = length;
  t.changed = changed;
  return hl_tamper_predict (ref, &t);
}

char *
hl_session_predict_text (HlSession *self, guint step, HlTamperMode mode, const char *field,
                         gsize offset, gsize length, GBytes *changed)
{
  g_autoptr (GPtrArray) effects
      = hl_session_predict (self, step, mode, field, offset, length, changed);
  GString *out = g_string_new (NULL);
  if (!effects)
    return g_string_free (out, FALSE);
  if (mode == HL_TAMPER_CONTENT) {
    HlTamperTarget t = { 0 };
    HlNextMessage next;
    g_autofree char *sealing = NULL;
    if (step == 0 && hl_session_peek_next (self, &next)) {
      t.connection = next.connection;
      t.from = next.from;
      t.message = next.message;
    } else if (step > 0 && step <= self->items->len) {
      identify (self->run, step - 1, &t.connection, &t.from, &t.message, &t.nth);
    }
    t.mode = mode;
    if (t.message && (sealing = hl_tamper_describe_sealing (get_reference (self), &t)))
      g_string_append_printf (out, "%s\n", sealing);
  }
  for (guint i = 0; i < effects->len; i++) {
    const HlCheckEffect *e = g_ptr_array_index (effects, i);
    if (i == 0 && e->check != HL_CHECK_NONE && effects->len > 1)
      g_string_append_printf (out, _ ("First to run: %s\n"), e->text);
    else if (i == 1)
      g_string_append_printf (out, _ ("Then, if it got that far: %s\n"), e->text);
    else
      g_string_append_printf (out, "%s\n", e->text);
  }
  if (out->len)
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

HlCheckEffect *
hl_session_get_caught (HlSession *self, guint step)
{
  if (!hl_session_get_step_change (self, step))
    return NULL;
  return hl_tamper_caught (self->run, step - 1);
}

/* The change at step and the check that caught it; `said`: text already shown with it,
 * whose error in words is not said again (NULL: none). */
static char *
describe_change (HlSession *self, guint step, const char *said)
{
  const HlChange *c = hl_session_get_step_change (self, step);
  g_autoptr (HlCheckEffect) caught = NULL;
  g_autofree char *how = NULL;
  if (!c)
    return NULL;
  caught = hl_tamper_caught (self->run, step - 1);
  if (!caught)
    how = g_strdup (_ ("Not caught yet: step on to see which check catches it."));
  else if (said && caught->why && *caught->why && strstr (said, caught->why)
           && g_str_has_suffix (caught->text, caught->why))
    how = g_strchomp (g_strndup (caught->text, strlen (caught->text) - strlen (caught->why)));
  else
    how = g_strdup (caught->text);
  return g_strdup_printf (_ ("Your change to the %s's %s: %s. %s"), hl_side_word (c->from),
                          c->message, c->what, how);
}

char *
hl_session_describe_change (HlSession *self, guint step)
{
  return describe_change (self, step, NULL);
}

/* After the outcome in `out`, which already says the error in words: not twice. */
static void
append_change_reports (HlSession *self, GString *out)
{
  for (guint i = 1; i <= self->items->len; i++) {
    g_autofree char *report = describe_change (self, i, out->str);
    if (report)
      g_string_append_printf (out, "%s%s", out->len ? "\n" : "", report);
  }
}
