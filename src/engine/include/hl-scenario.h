/* hl-scenario.h: a lesson, as loaded from a .scenario file (the shared scenario-format spec;
 * docs/writing-lessons.md).
 *
 * Loading checks everything that can be checked without running: every group
 * and key is known, every value parses, every PEM file decodes and each
 * private key matches its certificate. Errors read "FILE:LINE: what is wrong".
 */
#pragma once

#include <glib.h>

#include "hl-credentials.h"

G_BEGIN_DECLS

#define HL_SCENARIO_ERROR (hl_scenario_error_quark ())
GQuark hl_scenario_error_quark (void);

typedef enum {
  HL_SCENARIO_ERROR_INVALID,
} HlScenarioError;

typedef enum { HL_SIDE_CLIENT = 0, HL_SIDE_SERVER = 1 } HlSide;

typedef enum {
  HL_FAULT_NONE,
  HL_FAULT_FLIP,
  HL_FAULT_TRUNCATE,
  HL_FAULT_DROP,
} HlFaultAction;

/* Which TLS library plays a side. BearSSL 0.6 stops at TLS 1.2; OpenSSL 3.0 plays
 * TLS 1.3 (and 1.2, against a BearSSL peer). */
typedef enum { HL_LIBRARY_BEARSSL, HL_LIBRARY_OPENSSL } HlLibrary;

typedef struct {
  guint version_min, version_max;
  HlLibrary library;
  GArray *suites;             /* guint16 ids, preference order; never empty */
  guint32 curves;             /* bit (1 << curve id) per curve */
  GArray *curve_order;        /* guint16 curve ids as listed (TLS 1.3 preference order) */
  GArray *key_shares;         /* guint16: TLS 1.3 groups the first ClientHello has shares for */
  char *server_name;          /* client only; NULL: no SNI, no name check */
  GPtrArray *alpn;            /* char*, may be empty */
  HlCredentials *credentials; /* chain and key; NULL when none */
  HlTrustAnchors *anchors;    /* client: TrustAnchors; server: ClientTrustAnchors */
  gboolean request_client_certificate;
  gboolean prefer_client_order;
  gboolean fail_on_alpn_mismatch;
  gboolean hello_retry_cookie; /* server, TLS 1.3: a HelloRetryRequest carries a cookie and
                                  the server keeps no state between the two ClientHellos (an
                                  addition) */
} HlSideConfig;

typedef struct {
  HlSide side;
  char *message;    /* transcript name, e.g. "Finished" */
  guint nth;        /* from 1 */
  guint connection; /* 1, or 2 for the resumed connection */
  HlFaultAction action;
  gsize offset;
  guint8 mask;
  gsize length;
  gboolean plaintext; /* flip: Offset is into an encrypted message's plaintext, which is then
                         encrypted again with the sender's keys (a project addition) */
  int line;           /* of the [Fault] group */
  int target_line;
  int message_line;
  int offset_line; /* of Offset (flip) or Length (truncate) */
} HlFault;

typedef struct {
  gboolean present;
  int outcome;     /* -1 unset, 0 failure, 1 success */
  guint version;   /* 0 unset */
  guint16 suite;   /* 0 unset */
  guint curve;     /* 0 unset; a project addition: Curve=secp384r1 */
  int hello_retry; /* -1 unset, else whether a HelloRetryRequest is expected */
  gboolean has_client_error, has_server_error;
  int client_error, server_error;
} HlExpect;

typedef struct {
  char *file; /* path as given; NULL for a scenario built in code */
  char *title;
  char *description;
  char *seed;
  char *time_text; /* ISO 8601, as normalised: 2026-01-01T00:00:00Z */
  gint64 time;     /* seconds since the Unix epoch */
  gboolean quiz;   /* [Scenario] Quiz=true: the lesson is taught as a quiz (an addition) */
  HlSideConfig client, server;
  gboolean has_application;
  char *client_data, *server_data;
  gboolean close_notify;
  gboolean key_update; /* TLS 1.3: the client sends KeyUpdate after its data (an addition) */
  gboolean resumption;
  char *early_data; /* TLS 1.3 0-RTT text on the resumed connection; NULL: none */
  gboolean psk_ke;  /* TLS 1.3: the resumed connection uses the PSK alone, no (EC)DHE (an
                       addition, PskMode=psk_ke) */
  gboolean early_data_declined; /* the server declines the 0-RTT data (an addition,
                                   ServerAcceptsEarlyData=false) */
  HlFault fault;                /* action HL_FAULT_NONE: no fault */
  HlExpect expect;
} HlScenario;

/* The longest Description the loader accepts, in characters (this project's limit,
 * docs/scenario-reference.md). */
#define HL_SCENARIO_DESCRIPTION_MAX 4000

HlScenario *hl_scenario_load (const char *path, GError **error);
HlScenario *hl_scenario_load_from_data (const char *data, gsize len, const char *name,
                                        const char *base_dir, GError **error);
void hl_scenario_free (HlScenario *scenario);
/* Whether a scenario can run: one from hl_scenario_load always can; one built or
 * changed in code is checked here (hl_run_new does) so that a missing field is an
 * error, never a crash. */
gboolean hl_scenario_check (const HlScenario *scenario, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlScenario, hl_scenario_free)

const char *hl_side_name (HlSide side);          /* "client" / "server" */
const char *hl_library_name (HlLibrary library); /* "bearssl" / "openssl" */
/* Whether any side of the scenario is played by OpenSSL. */
gboolean hl_scenario_uses_openssl (const HlScenario *scenario);
/* The other end of the connection: who receives what `side` sends. */
static inline HlSide
hl_side_other (HlSide side)
{
  return side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
}

/* Message names a [Fault] may target: the transcript's "message" values. */
gboolean hl_message_name_is_valid (const char *name);
const char *const *hl_message_names (void); /* static, NULL-terminated */
/* The loader's own table: group i's name and its keys (static); NULL past the end.
 * docs/scenario-reference.md is checked against it. */
const char *const *hl_scenario_group_keys (guint i, const char **group);

G_END_DECLS
