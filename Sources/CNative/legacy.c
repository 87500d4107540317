/* A component written the way many older C libraries are: global state changed by plain
 * read-modify-write, with no locking. It is NOT thread-safe on purpose; the Swift wrapper
 * (Native's LegacyCounter) is what makes it safe to share. */
#include "native_internal.h"

static int64_t total;
static int64_t updates;

void legacy_reset(void) {
    total = 0;
    updates = 0;
}

void legacy_add(int64_t amount) {
    uint64_t sum = (uint64_t)total + (uint64_t)amount; /* wraps without undefined behaviour */
    total = (int64_t)sum;
    updates = updates + 1;
}

int64_t legacy_total(void) {
    return total;
}

int64_t legacy_updates(void) {
    return updates;
}
