/* hl-ossl.h: OpenSSL 3.0 as one side of a run, in memory and deterministic.
 *
 * BearSSL 0.6 has no TLS 1.3, so a side whose Library is openssl is played by
 * Debian 12's libssl. It is driven like a BearSSL engine: bytes in, bytes out,
 * nothing else. To replay byte for byte:
 * - every random byte (randoms, key shares, RSA-PSS salts, ticket keys) comes from
 *   a DRBG seeded from the scenario's Seed, installed as a provider in the side's
 *   own OSSL_LIB_CTX (no process-wide state: two runs on two threads don't meet);
 * - the clock is the scenario's Time, on the calling thread while the side runs
 *   (libssl reads time() for tickets and their age). OpenSSL 3.0 has no clock hook, so
 *   the program defines time() itself (hl-clock.c), which libssl then calls instead of
 *   libc's; every other caller, and other threads, get the real time. hl_ossl_new ()
 *   checks once that libssl really calls it (a static or -Bsymbolic link would not) and
 *   otherwise refuses the side, saying why, rather than replay on the real clock;
 * - the chain sent is exactly the configured one (SSL_MODE_NO_AUTO_CHAIN).
 * What it derives is captured from its key log (traffic secrets) and its temporary
 * key (the key-share scalar); hl-tls13.c recomputes the rest.
 */
#pragma once

#include <glib.h>

#include "hl-scenario.h"

G_BEGIN_DECLS

typedef struct _HlOssl HlOssl;

/* The secrets OpenSSL writes to its key log (the NSS key log format's labels). */
typedef enum {
  HL_OSSL_CLIENT_EARLY_TRAFFIC_SECRET,
  HL_OSSL_CLIENT_HANDSHAKE_TRAFFIC_SECRET,
  HL_OSSL_SERVER_HANDSHAKE_TRAFFIC_SECRET,
  HL_OSSL_CLIENT_TRAFFIC_SECRET_0,
  HL_OSSL_SERVER_TRAFFIC_SECRET_0,
  HL_OSSL_EXPORTER_SECRET,
  HL_OSSL_CLIENT_RANDOM,         /* TLS 1.2: the master secret */
  HL_OSSL_EARLY_EXPORTER_SECRET, /* logged only when 0-RTT data is sent or accepted */
  HL_OSSL_N_KEYLOG
} HlOsslKeylog;

#define HL_OSSL_ERROR (hl_ossl_error_quark ())
GQuark hl_ossl_error_quark (void);

/* NULL with error when OpenSSL refuses the configuration (a suite or group it lacks, named)
 * or when libssl does not read the pinned clock. */
HlOssl *hl_ossl_new (const HlScenario *scenario, HlSide side, GError **error);
void hl_ossl_free (HlOssl *o);

/* A new connection; resume: offer the session (ticket) the previous one left.
 * Early data, when given, is written before the handshake completes (0-RTT). If OpenSSL
 * cannot make the connection or set the server name to send and check, the side stops
 * at once (hl_ossl_failed) with that as its reason (hl_ossl_reason). */
void hl_ossl_start (HlOssl *o, gboolean resume, const char *early_data);
/* Gives the side bytes from the wire and lets it act on them. Returns how many it
 * took: all, or 0 once it has stopped. */
gsize hl_ossl_feed (HlOssl *o, const guint8 *data, gsize len);
/* Moves what it wrote since the last call to out; TRUE when there was some. */
gboolean hl_ossl_take_output (HlOssl *o, GByteArray *out);
/* Moves the application data it received (and early data it accepted) to out. */
gboolean hl_ossl_take_received (HlOssl *o, GByteArray *out);

gboolean hl_ossl_handshake_done (HlOssl *o);
gboolean hl_ossl_can_send (HlOssl *o); /* handshake done, not closed, no error */
void hl_ossl_send (HlOssl *o, const guint8 *data, gsize len);
void hl_ossl_close (HlOssl *o); /* sends close_notify */
/* TLS 1.3: sends KeyUpdate (update_requested): both directions move to new keys. */
void hl_ossl_key_update (HlOssl *o);
gboolean hl_ossl_closed (HlOssl *o);
gboolean hl_ossl_failed (HlOssl *o); /* it stopped on an error: it derives nothing more */

/* The error as the scenario spec writes it for an OpenSSL side: 0, or BearSSL's alert
 * forms (BR_ERR_SEND_FATAL_ALERT + n when it sent fatal alert n, BR_ERR_RECV_FATAL_ALERT
 * + n when it received one). */
int hl_ossl_error (HlOssl *o);
/* OpenSSL's own reason ("certificate verify failed"); NULL when none. */
const char *hl_ossl_reason (HlOssl *o);
/* Its handshake state in OpenSSL's words ("TLSv1.3 read server certificate verify"),
 * newly allocated. */
char *hl_ossl_describe_state (HlOssl *o);

guint hl_ossl_version (HlOssl *o); /* negotiated, 0 before ServerHello */
guint16 hl_ossl_suite (HlOssl *o); /* negotiated, 0 before ServerHello */
int hl_ossl_group (HlOssl *o);     /* the key exchange group (IANA id), -1 none */
char *hl_ossl_alpn (HlOssl *o);    /* negotiated protocol or NULL; newly allocated */
gboolean hl_ossl_session_reused (HlOssl *o);
gboolean hl_ossl_early_data_accepted (HlOssl *o);
gboolean hl_ossl_early_data_rejected (HlOssl *o); /* 0-RTT was offered and declined */

/* Secrets of the current connection, or NULL when not (yet) derived. Borrowed. */
GBytes *hl_ossl_keylog (HlOssl *o, HlOsslKeylog which);
/* The key-share scalar of this side (X25519: RFC 7748 string; NIST: big-endian, field
 * size), NULL before it made one. Borrowed. */
GBytes *hl_ossl_key_share_private (HlOssl *o);
/* The (EC)DHE shared secret from this side's key-share secret and the peer's public share,
 * computed anew with OpenSSL's primitives (not taken from the handshake): X25519's output,
 * or the x coordinate for NIST curves. out_len: room in, length out. */
gboolean hl_ossl_derive_shared (HlOssl *o, int group, GBytes *priv, GBytes *peer, guint8 *out,
                                gsize *out_len);
/* The verdict on the peer's certificate chain in plain words, once it checked one. */
const char *hl_ossl_verdict (HlOssl *o);
/* Whether that verdict accepts the chain. */
gboolean hl_ossl_trusted (HlOssl *o);

G_END_DECLS
