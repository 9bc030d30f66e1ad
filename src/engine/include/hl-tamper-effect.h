/* hl-tamper-effect.h: what a change to a message will break, said before it is delivered,
 * and what caught it, said after.
 *
 * The prediction is derived from the run's facts, never written per lesson: the unchanged
 * run of the same scenario (the reference) says which messages follow in the connection,
 * who sends and checks each, the version, the suite and whether extended master secret
 * was negotiated. From those: a change to a signed field breaks that signature's check, a
 * change to a handshake message breaks the next Finished checked, a change to a key
 * exchange input gives the two sides different keys, and a changed ciphertext fails the
 * record's MAC or AEAD tag. The checks are listed in the order they run; the first to
 * fail stops the handshake.
 */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

typedef enum {
  HL_CHECK_NONE,        /* nothing in the connection checks it */
  HL_CHECK_MESSAGE,     /* the receiver rejects the message itself: a length, an order, a
                           value it never offered or cannot take */
  HL_CHECK_RECORD,      /* a record's MAC or AEAD tag */
  HL_CHECK_CERTIFICATE, /* the X.509 chain: an issuer's signature over a certificate */
  HL_CHECK_SIGNATURE,   /* a handshake signature: ServerKeyExchange or CertificateVerify */
  HL_CHECK_BINDER,      /* TLS 1.3: a PSK binder over the ClientHello */
  HL_CHECK_FINISHED,    /* a Finished's verify_data */
  HL_CHECK_STALL,       /* the receiver waits for ever: nobody sends an alert */
} HlCheck;

const char *hl_check_name (HlCheck check); /* "the Finished check", for a sentence */

typedef struct {
  HlCheck check;
  HlSide checker; /* the side that makes the check */
  char *message;  /* the message it checks ("Finished"); NULL for HL_CHECK_NONE */
  HlSide sender;  /* who sent that message */
  guint step;     /* its step number in the reference run, from 1; 0 unknown */
  char *text;     /* one sentence for people */
  char *why;      /* hl_tamper_caught: the side's error in words, which ends text; or NULL */
} HlCheckEffect;

void hl_check_effect_free (HlCheckEffect *effect);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlCheckEffect, hl_check_effect_free)

typedef enum {
  HL_TAMPER_CONTENT,    /* the message's content changed (an encrypted one sealed again with
                           its sender's keys) */
  HL_TAMPER_CIPHERTEXT, /* an encrypted record's bytes changed on the wire */
  HL_TAMPER_DROP,       /* never delivered */
} HlTamperMode;

typedef struct {
  guint connection; /* from 1 */
  HlSide from;
  const char *message;
  guint nth;
  HlTamperMode mode;
  const char *field;    /* the changed field's name, or NULL */
  gsize offset, length; /* its bytes in the message (decrypted, for an encrypted one) */
  GBytes *changed;      /* HL_TAMPER_CONTENT: the message as it will be delivered; may be NULL */
} HlTamperTarget;

/* The checks the change breaks, in the order they run (HlCheckEffect*; the array frees
 * them). reference: a run of the same scenario without hand edits, run to its end. One
 * HL_CHECK_NONE entry when nothing catches it. */
GPtrArray *hl_tamper_predict (HlRun *reference, const HlTamperTarget *target);
/* A note on how the change is made, to say before the checks (NULL when none): an
 * encrypted message sealed again with its sender's keys passes the record check. */
char *hl_tamper_describe_sealing (HlRun *reference, const HlTamperTarget *target);

/* After delivery: what stopped the handshake at or after step `index` (from 0) of `run`,
 * from the sides' errors. NULL while nothing has stopped it and the run goes on; an
 * HL_CHECK_NONE effect when the connection ended well. */
HlCheckEffect *hl_tamper_caught (HlRun *run, guint index);

/* Puts a copy of `edit` back on its message (replacing any edit there), as Redo does after
 * Back took it away; FALSE when that message was already delivered, or the run is a
 * recording. */
gboolean hl_run_restore_edit (HlRun *run, const HlEdit *edit);

G_END_DECLS
