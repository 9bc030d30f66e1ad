/* hl-data.h: where the bundled scenarios and test PKI are, installed or in the source tree. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* HANDSHAKE_LAB_DATADIR if set, else the installed data folder if it has scenarios,
 * else the source tree this build came from. */
const char *hl_data_dir (void);        /* owned by the program */
char *hl_data_default_scenario (void); /* newly allocated: g_free */
/* Paths of the bundled *.scenario files, sorted; NULL if the folder is missing.
 * The array owns its strings: g_ptr_array_unref frees everything. */
GPtrArray *hl_data_list_scenarios (void);

G_END_DECLS
