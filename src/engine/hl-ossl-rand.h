/* hl-ossl-rand.h: the seeded RAND provider of hl-ossl-rand.c (engine-private).
 *
 * Each OpenSSL side runs in a library context of its own whose every DRBG is seeded
 * from the scenario's Seed, so a replay is byte for byte the same. Library contexts
 * are pooled: creating one costs more than a whole handshake.
 */
#pragma once

#include <glib.h>
#include <openssl/provider.h>

typedef struct _SeededLib {
  OSSL_LIB_CTX *libctx;
  OSSL_PROVIDER *seeded, *builtin;
  char *seed;       /* "Seed|openssl|side" of the run using it */
  guint generation; /* which run: a DRBG reseeds itself on its first use in a new one */
  guint next_rank;
} SeededLib;

/* A library context seeded from `seed` ("Seed|openssl|side"), from the pool or new;
 * NULL if OpenSSL refuses the provider. */
SeededLib *_hl_ossl_take_lib (const char *seed);
/* Returns it to the pool for a later run (never freed: kept for the process's life). */
void _hl_ossl_give_back_lib (SeededLib *lib);
