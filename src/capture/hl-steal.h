/* hl-steal.h: "Steal the server's key", the observer's side.
 *
 * The lesson's capture, as the lab writes it (hl_pcapng_from_run), loses its
 * Decryption Secrets Block, as `editcap --discard-all-secrets` would do: that is what an
 * observer on the wire holds. The capture is then read back with the server's private key
 * alone, and the engine's report (hl-steal-key.h) says what that key opened.
 */
#pragma once

#include <glib.h>

#include "hl-run.h"
#include "hl-steal-key.h"

G_BEGIN_DECLS

/* A pcapng without its Decryption Secrets Blocks (type 0x0000000A), every other block as
 * it was. NULL when data is not a whole pcapng. */
GBytes *hl_pcapng_discard_secrets (const guint8 *data, gsize len);

typedef struct {
  GBytes *capture; /* the lesson's pcapng, without secrets */
  char *key_pem;   /* the server's private key */
  HlRun *observer; /* the capture read back with that key alone, run to its end */
  HlStealReport *report;
} HlStolenKey;

/* live: a lesson's run, run to its end. NULL with error when its server has no key or the
 * capture cannot be read back (the temporary files are removed either way). */
HlStolenKey *hl_steal_key (HlRun *live, GError **error);
void hl_stolen_key_free (HlStolenKey *stolen);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlStolenKey, hl_stolen_key_free)

G_END_DECLS
