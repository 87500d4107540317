#include "malloc_counter.h"

#include <stddef.h>

/* Defined by the preloaded counter; a weak reference is NULL when it is absent. */
extern size_t malloc_counter_count(void) __attribute__((weak));

long bench_malloc_count(void) {
    return malloc_counter_count == NULL ? -1 : (long)malloc_counter_count();
}
