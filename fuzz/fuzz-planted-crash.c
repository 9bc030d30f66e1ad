/* A fuzz target that crashes on any input, on purpose. tools/quickstart.sh runs it after
 * the real targets and fails unless the crash is reported: proof that the fuzz step of
 * the test command can fail. Not a target to fuzz anything with. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  (void)data;
  (void)size;
  abort ();
}
