/* hl-ladder-labels.h: what the diagram writes, from the run's own data.
 *
 * Each function returns Pango markup (escaped), newly allocated. Short hex
 * shows the first and last bytes; the full values are in the window and the
 * handouts.
 */
#pragma once

#include "hl-run.h"

G_BEGIN_DECLS

/* "0303ab…9f1c" */
char *hl_ladder_short_hex (GBytes *value);
/* A secret's short form: randoms skip their 4 zero bytes ("…fb8d19…ec73"). */
char *hl_ladder_short_value (const HlSecret *secret);
/* The arrow's essential content: offered suites, chosen suite, subject... */
char *hl_ladder_describe_step (const HlRun *run, const HlStep *step);
/* "Step 5 of 13: ClientKeyExchange, client to server": the name every view gives a step. */
char *hl_ladder_step_title (const HlStep *step, guint n_steps);
/* What the checks found about a step, one line each, in the order every view gives them:
 * a change on the way, the certificate check, Finished's check, a receiver that had
 * stopped. Empty when there is nothing to say; g_strfreev. */
GStrv hl_ladder_step_notes (const HlStep *step);
/* What a side newly holds after a step (secrets and verdict); NULL when nothing. Lines
 * about a failure are in alert_color ("#rrggbb"). */
char *hl_ladder_describe_learned (const HlRun *run, const HlStep *step, HlSide side,
                                  const char *alert_color);
/* The timeline's title: role and what it holds. */
char *hl_ladder_describe_side (const HlRun *run, HlSide side);
/* An error name, with the alert's name or the plain reason where the name misleads; for
 * an OpenSSL side (openssl), the alert it sent or received and OpenSSL's reason (may be
 * NULL), never a BearSSL code. */
char *hl_ladder_describe_error (int err, gboolean openssl, const char *reason);
/* How a side ended a connection; ok: it completed the handshake. */
char *hl_ladder_describe_end (const HlConnection *connection, HlSide side, gboolean *ok);

/* The phases of the classic story a step belongs to; -1: stays in the current one. */
int hl_ladder_phase_of (const HlStep *step);
const char *hl_ladder_phase_name (int phase);

G_END_DECLS
