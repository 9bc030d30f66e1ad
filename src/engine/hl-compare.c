/* hl-compare.c: two lessons side by side (hl-compare.h). Every figure comes from the
 * steps of the two runs; nothing here knows a lesson.
 */
#include "hl-compare.h"

#include <string.h>

#include "hl-i18n.h"
#include "hl-recorded.h"
#include "hl-tables.h"

struct _HlComparison {
  HlCompareSide side[2];
  GArray *rows; /* HlCompareRow */
};

/* Content types (RFC 5246 6.2.1, RFC 8446 5.1) and handshake types (RFC 5246 7.4,
 * RFC 8446 4). */
enum { CT_CCS = 20, CT_ALERT = 21, CT_APPDATA = 23 };
enum {
  HS_CLIENT_HELLO = 1,
  HS_SERVER_HELLO = 2,
  HS_NEW_SESSION_TICKET = 4,
  HS_END_OF_EARLY_DATA = 5,
  HS_ENCRYPTED_EXTENSIONS = 8,
  HS_CERTIFICATE = 11,
  HS_SERVER_KEY_EXCHANGE = 12,
  HS_CERTIFICATE_REQUEST = 13,
  HS_SERVER_HELLO_DONE = 14,
  HS_CERTIFICATE_VERIFY = 15,
  HS_CLIENT_KEY_EXCHANGE = 16,
  HS_FINISHED = 20,
  HS_KEY_UPDATE = 24,
};

static gboolean
is_app_data (const HlStep *st)
{
  return st->handshake_type < 0 && st->content_type == CT_APPDATA;
}

/* A server message the client waits for before it may send data (hl-compare.h). */
static gboolean
awaited (const HlStep *st)
{
  if (is_app_data (st) || st->handshake_type == HS_KEY_UPDATE)
    return FALSE;
  return !(st->tls13 && st->handshake_type == HS_NEW_SESSION_TICKET);
}

/* The nine steps of docs/writing-lessons.md. Messages outside the story go to the step
 * whose flight they travel in: the server's hello flight (EncryptedExtensions,
 * CertificateRequest, ServerHelloDone) is step 2, a key share (ServerKeyExchange,
 * ClientKeyExchange) step 4, the client's proof of its certificate step 6. */
guint
hl_story_step_of (const HlStep *st)
{
  gboolean client = st->from == HL_SIDE_CLIENT;
  if (st->handshake_type < 0) {
    if (st->content_type == CT_CCS)
      return client ? 5 : 7; /* RFC 5246 7.3: before the sender's Finished */
    if (st->content_type == CT_APPDATA)
      return st->early ? 1 : 8; /* 0-RTT travels with the ClientHello (RFC 8446 2.3) */
    return 9;                   /* alerts: close_notify or the end of a failed story */
  }
  switch (st->handshake_type) {
  case HS_CLIENT_HELLO:
    return 1;
  case HS_SERVER_HELLO:
  case HS_ENCRYPTED_EXTENSIONS:
  case HS_CERTIFICATE_REQUEST:
  case HS_SERVER_HELLO_DONE:
    return 2;
  case HS_CERTIFICATE:
    return client ? 6 : 2;
  case HS_CERTIFICATE_VERIFY:
    return client ? 6 : 3; /* TLS 1.3: the server proves it holds the certificate's key */
  case HS_SERVER_KEY_EXCHANGE:
  case HS_CLIENT_KEY_EXCHANGE:
    return 4;
  case HS_END_OF_EARLY_DATA:
    return 6;
  case HS_FINISHED:
    return client ? 6 : 7;
  case HS_NEW_SESSION_TICKET:
    return 7;
  case HS_KEY_UPDATE:
    return 9;
  default:
    return 9;
  }
}

/* docs/writing-lessons.md, "The nine steps of the story", shortened. */
const char *
hl_story_step_name (guint story)
{
  static const char *const names[] = {
    N_ ("the client says hello"),
    N_ ("the server answers with its hello and certificate"),
    N_ ("the client checks the certificate"),
    N_ ("the key exchange, by premaster secret or by key shares"),
    N_ ("both derive the session keys"),
    N_ ("the client's Finished"),
    N_ ("the server's Finished, and the handshake is complete"),
    N_ ("application data"),
    N_ ("more data, then the end: close_notify or an alert"),
  };
  return story >= 1 && story <= G_N_ELEMENTS (names) ? _ (names[story - 1]) : "";
}

const char *
hl_later_reader_describe (HlLaterReader later)
{
  switch (later) {
  case HL_LATER_KEY_OPENS:
    return _ ("Anyone who recorded the traffic and later gets the server's private key: the "
              "key opens the key exchange (with RSA key exchange it decrypts the premaster, RFC "
              "5246 F.1.1.2; with static ECDH it is the server's ECDH key, RFC 4492 2.1), then "
              "the master secret and every record follow.");
  case HL_LATER_FORWARD_SECRET:
    return _ ("Nobody with the server's private key alone: the keys came from ephemeral "
              "(EC)DHE secrets that were never sent and are gone, and the server's key at most "
              "signed them (RFC 5246 F.1.1.3). That is forward secrecy, for which RFC 5246 "
              "F.1.1.2 recommends ephemeral Diffie-Hellman; TLS 1.3 has it in every key exchange "
              "(RFC 8446 1.2, E.1).");
  case HL_LATER_PSK_ONLY:
    return _ ("Nobody with the server's private key: this psk_ke resumption used neither the "
              "certificate nor (EC)DHE. But whoever later learns the resumption PSK can derive "
              "every key and read what was recorded: no forward secrecy (RFC 8446 2.2, "
              "4.2.9).");
  case HL_LATER_NO_KEYS:
  default:
    return _ ("Nobody: no traffic key was agreed, so no record was protected by one.");
  }
}

/* The secrets that protect records: TLS 1.0-1.2's key block and write keys (RFC 5246
 * 6.3), TLS 1.3's early and handshake traffic secrets (RFC 8446 7.1). When a side learns
 * several at one step, the one it sends with is named first. */
static const HlSecretId traffic_keys[2][6] = {
  { HL_SECRET_KEY_BLOCK, HL_SECRET_CLIENT_WRITE_KEY, HL_SECRET_CLIENT_EARLY_TRAFFIC,
    HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC, HL_SECRET_SERVER_WRITE_KEY,
    HL_SECRET_SERVER_HANDSHAKE_TRAFFIC },
  { HL_SECRET_KEY_BLOCK, HL_SECRET_SERVER_WRITE_KEY, HL_SECRET_SERVER_HANDSHAKE_TRAFFIC,
    HL_SECRET_CLIENT_WRITE_KEY, HL_SECRET_CLIENT_EARLY_TRAFFIC,
    HL_SECRET_CLIENT_HANDSHAKE_TRAFFIC },
};

static gboolean is_hidden (gboolean recorded, const HlConnection *c, const HlStep *st);

static void
measure (HlCompareSide *s, const HlRun *run, const HlConnection *c)
{
  const HlScenario *sc = hl_run_get_scenario (run);
  const HlSuite *suite = c->suite ? hl_suite_by_id (c->suite) : NULL;
  guint turns = 0;
  int client_data = -1, any_data = -1;
  s->title = g_strdup (sc && sc->title ? sc->title : sc && sc->file ? sc->file : "?");
  s->connection = c->index;
  s->version = c->version;
  s->suite = c->suite;
  s->resumed = c->resumed;
  s->success = c->success;
  s->n_messages = c->steps->len;
  for (guint side = 0; side < 2; side++)
    s->key_secret[side] = HL_N_SECRETS;
  s->recorded = hl_run_is_recorded (run);
  s->file_connection = c->index;
  {
    /* A capture's connection by its number in the file, as --connection names it. */
    HlRecordedConnection rc;
    if (s->recorded && hl_run_get_recorded_connection (run, c->index - 1, &rc))
      s->file_connection = rc.file_number;
  }
  for (guint i = 0; i < c->steps->len; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    if (st->encrypted)
      s->n_encrypted++;
    /* A captured record no key opened: TLS 1.3 hides its type and how many messages it
     * holds behind the outer type application_data (RFC 8446 5.2). */
    if (is_hidden (s->recorded, c, st))
      s->n_hidden++;
    if (is_app_data (st) && st->early)
      s->n_early_data++;
    if (st->record_wire)
      s->wire_bytes += g_bytes_get_size (st->record_wire);
    if (is_app_data (st) && any_data < 0)
      any_data = (int)i;
    if (is_app_data (st) && st->from == HL_SIDE_CLIENT && client_data < 0)
      client_data = (int)i;
    for (guint side = 0; side < 2; side++)
      for (guint k = 0; k < G_N_ELEMENTS (traffic_keys[side]) && !s->key_step[side]; k++)
        if (st->after[side].knows & (G_GUINT64_CONSTANT (1) << traffic_keys[side][k])) {
          s->key_step[side] = i + 1;
          s->key_secret[side] = traffic_keys[side][k];
        }
  }
  /* Round trips before the client's first application data: a round trip ends each time
   * the client sends again after hearing from the server, so count the turns from a
   * server's step to a client's step up to and including that data. What the client need
   * not wait for does not make a turn: TLS 1.3's NewSessionTicket (post-handshake, RFC 8446
   * 4.6.1, which this run happens to deliver before the client's data), KeyUpdate and the
   * server's own data. TLS 1.2's full handshake has two (ClientHello, then
   * ClientKeyExchange..Finished, each answered, RFC 5246 7.3), TLS 1.3's one (RFC 8446 2),
   * 0-RTT data none. Without client data, the first data of either side ends the count. */
  int until = client_data >= 0 ? client_data : any_data;
  const HlStep *prev = NULL;
  for (int i = 0; i <= until; i++) {
    const HlStep *st = g_ptr_array_index (c->steps, i);
    if (st->from == HL_SIDE_SERVER && !awaited (st))
      continue;
    if (prev && st->from == HL_SIDE_CLIENT && prev->from == HL_SIDE_SERVER)
      turns++;
    prev = st;
  }
  s->round_trips = until >= 0 ? (int)turns : -1;
  s->first_data_step = until >= 0 ? (guint)until + 1 : 0;
  if (s->n_hidden) {
    /* Which record is the first application data is hidden too. */
    s->round_trips = -2;
    s->first_data_step = 0;
  }
  /* A capture shows what its observer derives, not when each endpoint held a key; but an
   * encrypted record on the wire proves that keys were agreed. */
  if (!suite || (!s->key_step[0] && !s->key_step[1] && !(s->recorded && s->n_encrypted)))
    s->later = HL_LATER_NO_KEYS;
  else if (suite->kex == HL_KEX_RSA || (hl_suite_is_ecdh (suite) && !hl_suite_is_ecdhe (suite)))
    s->later = HL_LATER_KEY_OPENS; /* static ECDH: the certificate's key is the ECDH key */
  else if (c->version == 0x0304 && c->resumed
           && (s->recorded ? c->curve <= 0 : !c->secrets.value[HL_SECRET_SHARED]))
    /* No (EC)DHE shared secret entered the key schedule; on the wire, the ServerHello of
     * psk_dhe_ke carries a key_share and psk_ke's none (RFC 8446 4.2.8, 4.2.9). */
    s->later = HL_LATER_PSK_ONLY;
  else
    s->later = HL_LATER_FORWARD_SECRET; /* ECDHE, and TLS 1.3 with (EC)DHE */
}

/* A captured TLS 1.3 record no key opened: its type and messages are unknown. */
static gboolean
is_hidden (gboolean recorded, const HlConnection *c, const HlStep *st)
{
  return recorded && st->encrypted && !st->plaintext && (st->tls13 || c->version == 0x0304);
}

/* A hidden record (flagged in the step's message by align) matches nothing. */
static gboolean
same_message (const HlStep *x, const HlStep *y)
{
  return x->from == y->from && x->content_type == y->content_type
         && x->handshake_type == y->handshake_type && x->early == y->early
         && g_strcmp0 (x->message, y->message) == 0;
}

/* Within one story step: the longest common subsequence of the two message lists, so a
 * message one side lacks shows as a row of its own. */
static void
align_story_step (GArray *rows, guint story, GPtrArray *xa, GPtrArray *xb, const guint *ia,
                  const guint *ib, const gboolean *ha, const gboolean *hb)
{
  guint n = xa->len, m = xb->len;
  guint *len = g_new0 (guint, (n + 1) * (m + 1));
#define SAME(i, j) (!ha[i] && !hb[j] && same_message (xa->pdata[i], xb->pdata[j]))
#define L(i, j) len[(i) * (m + 1) + (j)]
  for (guint i = n; i-- > 0;)
    for (guint j = m; j-- > 0;)
      L (i, j) = SAME (i, j) ? L (i + 1, j + 1) + 1 : MAX (L (i + 1, j), L (i, j + 1));
  guint i = 0, j = 0;
  while (i < n || j < m) {
    HlCompareRow r = { .story_step = story };
    if (i < n && j < m && SAME (i, j)) {
      r.step[0] = ia[i], r.step[1] = ib[j];
      r.message[0] = ((HlStep *)xa->pdata[i])->message;
      r.message[1] = ((HlStep *)xb->pdata[j])->message;
      r.from = ((HlStep *)xa->pdata[i])->from;
      i++, j++;
    } else if (i < n && (j >= m || L (i + 1, j) >= L (i, j + 1))) {
      r.step[0] = ia[i];
      r.message[0] = ((HlStep *)xa->pdata[i])->message;
      r.from = ((HlStep *)xa->pdata[i])->from;
      r.hidden[0] = ha[i];
      i++;
    } else {
      r.step[1] = ib[j];
      r.message[1] = ((HlStep *)xb->pdata[j])->message;
      r.from = ((HlStep *)xb->pdata[j])->from;
      r.hidden[1] = hb[j];
      j++;
    }
    g_array_append_val (rows, r);
  }
#undef L
#undef SAME
  g_free (len);
}

static void
align (GArray *rows, const HlConnection *a, const HlConnection *b, const gboolean recorded[2])
{
  const HlConnection *c[2] = { a, b };
  for (guint story = 1; story <= 9; story++) {
    GPtrArray *x[2];
    guint *idx[2];
    gboolean *hidden[2];
    for (guint k = 0; k < 2; k++) {
      x[k] = g_ptr_array_new ();
      idx[k] = g_new0 (guint, c[k]->steps->len + 1);
      hidden[k] = g_new0 (gboolean, c[k]->steps->len + 1);
      for (guint i = 0; i < c[k]->steps->len; i++) {
        HlStep *st = g_ptr_array_index (c[k]->steps, i);
        if (hl_story_step_of (st) == story) {
          hidden[k][x[k]->len] = is_hidden (recorded[k], c[k], st);
          idx[k][x[k]->len] = i + 1;
          g_ptr_array_add (x[k], st);
        }
      }
    }
    align_story_step (rows, story, x[0], x[1], idx[0], idx[1], hidden[0], hidden[1]);
    for (guint k = 0; k < 2; k++) {
      g_ptr_array_unref (x[k]);
      g_free (idx[k]);
      g_free (hidden[k]);
    }
  }
}

static const HlConnection *
pick_connection (const HlRun *run, guint n, GError **error)
{
  guint have = hl_run_get_n_connections (run);
  const HlScenario *sc = hl_run_get_scenario (run);
  if (n == 0)
    n = have;
  if (n == 0 || n > have) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "%s: no connection %u (the run has %u)", sc && sc->file ? sc->file : "the run", n,
                 have);
    return NULL;
  }
  return hl_run_get_connection (run, n - 1);
}

HlComparison *
hl_comparison_new (const HlRun *a, guint connection_a, const HlRun *b, guint connection_b,
                   GError **error)
{
  const HlConnection *ca = pick_connection (a, connection_a, error);
  const HlConnection *cb = ca ? pick_connection (b, connection_b, error) : NULL;
  HlComparison *cmp;
  if (!cb)
    return NULL;
  cmp = g_new0 (HlComparison, 1);
  measure (&cmp->side[0], a, ca);
  measure (&cmp->side[1], b, cb);
  cmp->rows = g_array_new (FALSE, TRUE, sizeof (HlCompareRow));
  align (cmp->rows, ca, cb, (const gboolean[2]){ cmp->side[0].recorded, cmp->side[1].recorded });
  return cmp;
}

void
hl_comparison_free (HlComparison *cmp)
{
  if (!cmp)
    return;
  g_free (cmp->side[0].title);
  g_free (cmp->side[1].title);
  g_array_unref (cmp->rows);
  g_free (cmp);
}

const HlCompareSide *
hl_comparison_get_side (const HlComparison *cmp, guint i)
{
  g_return_val_if_fail (i < 2, NULL);
  return &cmp->side[i];
}

guint
hl_comparison_get_n_rows (const HlComparison *cmp)
{
  return cmp->rows->len;
}

const HlCompareRow *
hl_comparison_get_row (const HlComparison *cmp, guint i)
{
  g_return_val_if_fail (i < cmp->rows->len, NULL);
  return &g_array_index (cmp->rows, HlCompareRow, i);
}

/* The figures of one side, as the cells of one table column. */
static char **
side_cells (const HlCompareSide *s)
{
  GPtrArray *v = g_ptr_array_new ();
  g_autofree char *suite = s->suite ? hl_suite_short_name (s->suite) : NULL;
  g_ptr_array_add (v, g_strdup_printf ("%s (%s %u%s)", s->title, _ ("connection"),
                                       s->file_connection, s->resumed ? _ (", resumed") : ""));
  g_ptr_array_add (v, g_strdup_printf ("%s, %s",
                                       s->version ? hl_version_name (s->version) : _ ("none"),
                                       suite ? suite : _ ("no suite")));
  g_ptr_array_add (v, g_strdup (!s->success   ? _ ("failed")
                                : s->n_hidden ? _ ("succeeded, as far as the wire shows: its "
                                                   "encrypted records would hide an alert")
                                              : _ ("succeeded")));
  g_ptr_array_add (
      v, s->round_trips >= 0
             ? g_strdup_printf (_ ("%d (data at step %u)"), s->round_trips, s->first_data_step)
         : s->round_trips == -2 ? g_strdup (_ ("unknown without keys: the encrypted records hide "
                                               "which one is the first application data"))
                                : g_strdup (_ ("no application data")));
  g_ptr_array_add (v, g_strdup_printf (_ ("%u bytes"), (guint)s->wire_bytes));
  g_ptr_array_add (
      v, s->n_hidden ? g_strdup_printf (_ ("unknown without keys: %u encrypted records hide how "
                                           "many messages they hold"),
                                        s->n_hidden)
                     : g_strdup_printf (_ ("%u of %u"), s->n_encrypted, s->n_messages));
  for (guint side = 0; side < 2; side++)
    g_ptr_array_add (
        v, s->recorded && s->key_step[side]
               ? g_strdup_printf (_ ("not in a capture (the lab, with the key log, from step %u: "
                                     "%s)"),
                                  s->key_step[side], hl_secret_key (s->key_secret[side]))
           : s->recorded && s->n_encrypted
               ? g_strdup (_ ("not in a capture, and unknown without keys"))
           : s->recorded && s->later != HL_LATER_NO_KEYS ? g_strdup (_ ("not in a capture"))
           : s->key_step[side] ? g_strdup_printf (_ ("after step %u (%s)"), s->key_step[side],
                                                  hl_secret_key (s->key_secret[side]))
                               : g_strdup (_ ("never")));
  {
    GString *later = g_string_new (hl_later_reader_describe (s->later));
    /* RFC 5246 7.3: a resumption's keys come from the master secret of the session it
     * resumes, so its fate is that session's key exchange. */
    if (s->resumed && s->version && s->version < 0x0304 && s->later != HL_LATER_NO_KEYS)
      g_string_append_printf (later, " %s",
                              _ ("For this resumption: through the full handshake of the "
                                 "session it resumes, whose master secret it reuses."));
    if (s->n_early_data)
      g_string_append_printf (later, " %s",
                              _ ("Except the 0-RTT data: its keys come from the PSK alone, so "
                                 "whoever learns the PSK reads it (RFC 8446 2.3, E.1.3)."));
    g_ptr_array_add (v, g_string_free (later, FALSE));
  }
  g_ptr_array_add (v, NULL);
  return (char **)g_ptr_array_free (v, FALSE);
}

static const char *
row_label (guint i)
{
  switch (i) {
  case 0:
    return _ ("Lesson");
  case 1:
    return _ ("Version and suite");
  case 2:
    return _ ("Result");
  case 3:
    return _ ("Round trips before the client's first application data");
  case 4:
    return _ ("Bytes on the wire");
  case 5:
    return _ ("Encrypted messages");
  case 6:
    return _ ("Client first holds a traffic key");
  case 7:
    return _ ("Server first holds a traffic key");
  default:
    return _ ("Who could decrypt later with the server's private key");
  }
}

/* As many as side_cells makes. */
#define N_FIGURES 9

const char *
hl_comparison_figure_name (guint i)
{
  return i < N_FIGURES ? row_label (i) : NULL;
}

char **
hl_comparison_get_figures (const HlComparison *cmp, guint side)
{
  g_return_val_if_fail (side < 2, NULL);
  return side_cells (&cmp->side[side]);
}

static char *
describe_row_side (const HlCompareRow *r, guint k)
{
  if (r->hidden[k])
    return g_strdup_printf (_ ("%u encrypted record (unknown without keys)"), r->step[k]);
  return r->message[k] ? g_strdup_printf ("%u %s", r->step[k], r->message[k])
                       : g_strdup (_ ("(lacking)"));
}

const char *
hl_comparison_row_mark (const HlComparison *cmp, const HlCompareRow *r)
{
  /* A side with hidden records may hold the message in one of them. */
  if (r->hidden[0] || r->hidden[1])
    return r->hidden[0] ? _ ("A's record, unknown without keys")
                        : _ ("B's record, unknown without keys");
  if (!r->message[1])
    return cmp->side[1].n_hidden ? _ ("only in A, or hidden in B's encrypted records")
                                 : _ ("only in A");
  if (!r->message[0])
    return cmp->side[0].n_hidden ? _ ("only in B, or hidden in A's encrypted records")
                                 : _ ("only in B");
  return "";
}

static char *
to_string (const HlComparison *cmp, gboolean md)
{
  GString *s = g_string_new (NULL);
  g_auto (GStrv) a = side_cells (&cmp->side[0]);
  g_auto (GStrv) b = side_cells (&cmp->side[1]);
  g_string_append (s, md ? _ ("## Comparison\n\n") : _ ("Comparison\n\n"));
  if (md)
    g_string_append (s, "| | A | B |\n|---|---|---|\n");
  for (guint i = 0; a[i]; i++) {
    if (md)
      g_string_append_printf (s, "| %s | %s | %s |\n", row_label (i), a[i], b[i]);
    else
      g_string_append_printf (s, "%s\n  A: %s\n  B: %s\n", row_label (i), a[i], b[i]);
  }
  g_string_append (s, md ? _ ("\n### Messages by story step\n\n")
                         : _ ("\nMessages by story step\n\n"));
  g_string_append (s, _ ("Steps count from 1 within each compared connection; a message one "
                         "side lacks is marked \"only in\" the other.\n\n"));
  if (md)
    g_string_append (s, "| Story step | From | A | B | |\n|---|---|---|---|---|\n");
  for (guint i = 0; i < cmp->rows->len; i++) {
    const HlCompareRow *r = &g_array_index (cmp->rows, HlCompareRow, i);
    g_autofree char *x = describe_row_side (r, 0);
    g_autofree char *y = describe_row_side (r, 1);
    const char *mark = hl_comparison_row_mark (cmp, r);
    if (md)
      g_string_append_printf (s, "| %u | %s | %s | %s | %s |\n", r->story_step,
                              hl_side_word (r->from), x, y, mark);
    else
      g_string_append_printf (s, "  %u  %-6s  %-28s  %-28s  %s\n", r->story_step,
                              hl_side_word (r->from), x, y, mark);
  }
  return g_string_free (s, FALSE);
}

GStrv
hl_comparison_get_summary (const HlComparison *cmp, guint column)
{
  GStrv cells;
  g_return_val_if_fail (column < 3, NULL);
  cells = side_cells (&cmp->side[column ? column - 1 : 0]);
  for (guint i = 0; column == 0 && cells[i]; i++) {
    g_free (cells[i]);
    cells[i] = g_strdup (row_label (i));
  }
  return cells;
}

char *
hl_comparison_to_text (const HlComparison *cmp)
{
  return to_string (cmp, FALSE);
}

char *
hl_comparison_to_markdown (const HlComparison *cmp)
{
  return to_string (cmp, TRUE);
}
