/* hl-pcapng-writer.h: the run as a pcapng capture that Wireshark opens already decrypted. */
#pragma once

#include <glib.h>

#include "hl-run.h"

G_BEGIN_DECLS

/* Ethernet/IPv4/TCP frames (client 192.0.2.10, server 192.0.2.20:443, documentation
 * addresses), one TCP segment per step, with a Decryption Secrets Block holding the
 * key log, placed before the packets as Wireshark requires. */
guint8 *hl_pcapng_from_run (const HlRun *run, gsize *len); /* newly allocated: g_free */

G_END_DECLS
