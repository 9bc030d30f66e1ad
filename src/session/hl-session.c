/* hl-session.c */
#include "hl-session.h"

#include <string.h>

#include "hl-i18n.h"
#include "hl-tables.h"

struct _HlSession {
  GObject parent_instance;
  HlScenario *scenario;
  HlRun *run;
  GPtrArray *items; /* HlStepObject*, one per delivered step */
  guint selected;
  char *outcome;
  HlKnowledgeModel *knowledge[2]; /* NULL until asked for */
};

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
  g_ptr_array_unref (self->items);
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
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
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
  if (self->run && hl_run_is_finished (self->run))
    self->outcome = describe_outcome (self->run);
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
}

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
  /* Empty the list before the old run (which owns its steps) goes. */
  self->selected = 0;
  if (self->items->len) {
    guint n = self->items->len;
    g_ptr_array_set_size (self->items, 0);
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  }
  g_clear_pointer (&self->run, hl_run_free);
  g_clear_pointer (&self->scenario, hl_scenario_free);
  self->scenario = g_steal_pointer (&scenario);
  self->run = run;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  sync_items (self, old_selected);
  return TRUE;
}

const char *
hl_session_get_title (HlSession *self)
{
  return self->scenario ? self->scenario->title : NULL;
}

const char *
hl_session_get_description (HlSession *self)
{
  return self->scenario ? self->scenario->description : NULL;
}

const char *
hl_session_get_file (HlSession *self)
{
  return self->scenario ? self->scenario->file : NULL;
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
  if (!self->run || !hl_run_step (self->run))
    return FALSE;
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
    if (!delivered_before)
      hl_run_remove_edit (self->run, i - 1);
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
  while (hl_run_get_n_edits (self->run))
    hl_run_remove_edit (self->run, 0);
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

void
hl_session_tamper_next (HlSession *self, GBytes *wire)
{
  if (self->run)
    hl_run_tamper_next (self->run, wire);
}

gboolean
hl_session_tamper_next_plaintext (HlSession *self, GBytes *plaintext, GError **error)
{
  if (!self->run) {
    g_set_error (error, HL_RUN_ERROR, HL_RUN_ERROR_NO_MESSAGE, _ ("no lesson is loaded"));
    return FALSE;
  }
  return hl_run_tamper_next_plaintext (self->run, plaintext, error);
}

void
hl_session_drop_next (HlSession *self)
{
  if (self->run)
    hl_run_drop_next (self->run);
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
