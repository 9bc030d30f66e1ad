/* hl-steal-key.h: forward secrecy, shown.
 *
 * An observer recorded a lesson's connections without their secrets and, later, steals
 * the server's private key. What does the key give? With RSA key exchange (and static
 * ECDH) it opens the ClientKeyExchange, so the premaster, the master secret and every
 * byte of application data follow (RFC 5246 F.1.1.2). With ephemeral ECDHE and TLS 1.3
 * the key only ever signed: the observer can check that signature, nothing more, because
 * the ephemeral secrets that made the premaster were never sent and are gone (RFC 5246
 * F.1.1.3, RFC 8446 1.2 and E.1).
 *
 * The capture layer (src/capture/hl-steal.h) makes the capture without secrets and reads
 * it back as the observer's recorded run; this report compares that run with the live one.
 */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

/* The server's private key of a live run, as PEM text (the object its key file holds:
 * RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY). NULL with error when the lesson's
 * server has no key (or the run is recorded). */
char *hl_run_server_key_pem (HlRun *run, GError **error);

typedef enum {
  HL_STOLEN_OPENED,         /* the key alone opened the key exchange: premaster, data */
  HL_STOLEN_FORWARD_SECRET, /* ephemeral (EC)DHE: the key only signed */
  HL_STOLEN_RESUMED,        /* an abbreviated handshake: the keys come from an earlier session */
  HL_STOLEN_PSK_ONLY,       /* TLS 1.3 psk_ke: no certificate, no (EC)DHE, a resumption PSK */
  HL_STOLEN_NO_EXCHANGE,    /* it stopped before any key was agreed */
} HlStolenVerdict;

typedef struct {
  guint connection; /* from 1 */
  HlStolenVerdict verdict;
  gboolean tls13;
  guint16 suite;           /* 0: none negotiated */
  GBytes *premaster;       /* HL_STOLEN_OPENED: what the observer decrypted; else NULL */
  GBytes *master;          /* ... and derived */
  gboolean premaster_same; /* equal to the run's own premaster */
  guint n_data;            /* application data records the run sent in this connection */
  guint n_read;            /* of which the observer read */
  guint n_same;            /* ... and read exactly as the run sent them */
  char *data;              /* what the observer read, one line a record; NULL: nothing */
  gboolean has_signature;  /* the server signed the key exchange with its key */
  gboolean signature_seen; /* the observer sees that signature (TLS 1.0-1.2: in clear) */
  gboolean signature_ok;   /* it verifies with the certificate's public key */
  char *signature;         /* what was signed and the verdict; NULL without a signature */
  char *explanation;       /* why the key does or does not open it, with the RFC */
} HlStolenConnection;

typedef struct _HlStealReport HlStealReport;

/* live: the lesson's run, run to its end; observer: the same connections read back from
 * the capture without secrets, with the stolen key (hl_run_new_recorded), run to its end.
 * Both are borrowed only during the call. */
HlStealReport *hl_steal_report_new (HlRun *live, HlRun *observer);
void hl_steal_report_free (HlStealReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlStealReport, hl_steal_report_free)

guint hl_steal_report_get_n_connections (const HlStealReport *report);
const HlStolenConnection *hl_steal_report_get_connection (const HlStealReport *report,
                                                          guint i); /* from 0 */

/* The report for people: capture and key are the file names to print (the files the
 * observer holds). Ends with a newline. */
char *hl_steal_report_to_text (const HlStealReport *report, const char *capture, const char *key);

G_END_DECLS
