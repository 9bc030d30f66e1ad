/* hl-ossl-rand.c: OpenSSL's random bytes, from the scenario's Seed (hl-ossl.c uses it). */
#include "hl-ossl-rand.h"

#include <bearssl.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <string.h>

/* ---------- The seeded random generator ----------
 * A RAND provider of our own, in each side's library context: every DRBG OpenSSL
 * makes there (primary, public, private) is an HMAC-DRBG seeded from the scenario's
 * Seed, the side, and the order in which the DRBGs are first used in this run. That
 * order is the same in every replay, whether the DRBG existed before or not, so a
 * library context can be reused by later runs: creating one costs more than a whole
 * handshake (its algorithm caches start cold), so they are pooled.
 */

typedef struct {
  SeededLib *lib;
  guint generation;
  br_hmac_drbg_context drbg;
  int state;
} SeededRand;

static _Thread_local SeededLib *installing;

static void *
rand_newctx (void *provctx, void *parent, const OSSL_DISPATCH *parent_calls)
{
  SeededRand *r = g_new0 (SeededRand, 1);
  r->lib = provctx;
  return r;
}

static void
rand_freectx (void *vctx)
{
  g_free (vctx);
}

static int
rand_instantiate (void *vctx, unsigned int strength, int prediction_resistance,
                  const unsigned char *pstr, size_t pstr_len, const OSSL_PARAM params[])
{
  ((SeededRand *)vctx)->state = EVP_RAND_STATE_READY;
  return 1;
}

static int
rand_uninstantiate (void *vctx)
{
  ((SeededRand *)vctx)->state = EVP_RAND_STATE_UNINITIALISED;
  return 1;
}

static int
rand_generate (void *vctx, unsigned char *out, size_t outlen, unsigned int strength,
               int prediction_resistance, const unsigned char *adin, size_t adin_len)
{
  SeededRand *r = vctx;
  if (r->generation != r->lib->generation || r->generation == 0) {
    g_autofree char *seed = g_strdup_printf ("%s|%u", r->lib->seed, r->lib->next_rank++);
    br_hmac_drbg_init (&r->drbg, &br_sha256_vtable, seed, strlen (seed));
    r->generation = r->lib->generation;
  }
  br_hmac_drbg_generate (&r->drbg, out, outlen);
  return 1;
}

static int
rand_reseed (void *vctx, int prediction_resistance, const unsigned char *ent, size_t ent_len,
             const unsigned char *adin, size_t adin_len)
{
  return 1; /* deterministic on purpose: nothing from outside the scenario */
}

static int
rand_enable_locking (void *vctx)
{
  return 1; /* one run is used from one thread at a time */
}

static int
rand_lock (void *vctx)
{
  return 1;
}

static void
rand_unlock (void *vctx)
{
}

static int
rand_get_ctx_params (void *vctx, OSSL_PARAM params[])
{
  OSSL_PARAM *p;
  if ((p = OSSL_PARAM_locate (params, OSSL_RAND_PARAM_STATE))
      && !OSSL_PARAM_set_int (p, ((SeededRand *)vctx)->state))
    return 0;
  if ((p = OSSL_PARAM_locate (params, OSSL_RAND_PARAM_STRENGTH)) && !OSSL_PARAM_set_uint (p, 256))
    return 0;
  if ((p = OSSL_PARAM_locate (params, OSSL_RAND_PARAM_MAX_REQUEST))
      && !OSSL_PARAM_set_size_t (p, 1 << 16))
    return 0;
  return 1;
}

static const OSSL_PARAM *
rand_gettable_ctx_params (void *vctx, void *provctx)
{
  static const OSSL_PARAM known[]
      = { OSSL_PARAM_int (OSSL_RAND_PARAM_STATE, NULL),
          OSSL_PARAM_uint (OSSL_RAND_PARAM_STRENGTH, NULL),
          OSSL_PARAM_size_t (OSSL_RAND_PARAM_MAX_REQUEST, NULL), OSSL_PARAM_END };
  return known;
}

static const OSSL_DISPATCH rand_functions[] = {
  { OSSL_FUNC_RAND_NEWCTX, (void (*) (void))rand_newctx },
  { OSSL_FUNC_RAND_FREECTX, (void (*) (void))rand_freectx },
  { OSSL_FUNC_RAND_INSTANTIATE, (void (*) (void))rand_instantiate },
  { OSSL_FUNC_RAND_UNINSTANTIATE, (void (*) (void))rand_uninstantiate },
  { OSSL_FUNC_RAND_GENERATE, (void (*) (void))rand_generate },
  { OSSL_FUNC_RAND_RESEED, (void (*) (void))rand_reseed },
  { OSSL_FUNC_RAND_ENABLE_LOCKING, (void (*) (void))rand_enable_locking },
  { OSSL_FUNC_RAND_LOCK, (void (*) (void))rand_lock },
  { OSSL_FUNC_RAND_UNLOCK, (void (*) (void))rand_unlock },
  { OSSL_FUNC_RAND_GET_CTX_PARAMS, (void (*) (void))rand_get_ctx_params },
  { OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, (void (*) (void))rand_gettable_ctx_params },
  { 0, NULL },
};

static const OSSL_ALGORITHM rand_algorithms[] = {
  { "HL-SEEDED-DRBG", "provider=hl-seeded", rand_functions, "the scenario's Seed" },
  { NULL, NULL, NULL, NULL },
};

static const OSSL_ALGORITHM *
provider_query (void *provctx, int operation_id, int *no_cache)
{
  *no_cache = 0;
  return operation_id == OSSL_OP_RAND ? rand_algorithms : NULL;
}

static const OSSL_DISPATCH provider_functions[] = {
  { OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*) (void))provider_query },
  { 0, NULL },
};

static int
provider_init (const OSSL_CORE_HANDLE *handle, const OSSL_DISPATCH *in, const OSSL_DISPATCH **out,
               void **provctx)
{
  *provctx = installing;
  *out = provider_functions;
  return installing != NULL;
}

static GMutex pool_lock;
static GPtrArray *pool; /* SeededLib*, free for a run to take; kept for the process's life */

SeededLib *
_hl_ossl_take_lib (const char *seed)
{
  static guint generations;
  SeededLib *lib = NULL;
  g_mutex_lock (&pool_lock);
  if (pool && pool->len)
    lib = g_ptr_array_steal_index (pool, pool->len - 1);
  lib = lib ? lib : g_new0 (SeededLib, 1);
  lib->generation = ++generations; /* under the lock: unique across threads */
  g_mutex_unlock (&pool_lock);
  g_free (lib->seed);
  lib->seed = g_strdup (seed);
  lib->next_rank = 0;
  if (lib->libctx)
    return lib;
  lib->libctx = OSSL_LIB_CTX_new ();
  installing = lib;
  if (!lib->libctx || !OSSL_PROVIDER_add_builtin (lib->libctx, "hl-seeded", provider_init)
      || !(lib->builtin = OSSL_PROVIDER_load (lib->libctx, "default"))
      || !(lib->seeded = OSSL_PROVIDER_load (lib->libctx, "hl-seeded"))
      || !RAND_set_DRBG_type (lib->libctx, "HL-SEEDED-DRBG", "provider=hl-seeded", NULL, NULL)) {
    installing = NULL;
    if (lib->seeded)
      OSSL_PROVIDER_unload (lib->seeded);
    if (lib->builtin)
      OSSL_PROVIDER_unload (lib->builtin);
    OSSL_LIB_CTX_free (lib->libctx);
    g_free (lib->seed);
    g_free (lib);
    return NULL;
  }
  installing = NULL;
  return lib;
}

void
_hl_ossl_give_back_lib (SeededLib *lib)
{
  g_mutex_lock (&pool_lock);
  if (!pool)
    pool = g_ptr_array_new ();
  g_ptr_array_add (pool, lib);
  g_mutex_unlock (&pool_lock);
}
