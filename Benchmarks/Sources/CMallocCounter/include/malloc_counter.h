/* Counts calls to the C allocator in this process (malloc, calloc, realloc and the aligned
 * allocators), by interposing them over glibc's. */
#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H

#include <stddef.h>

/** Allocations so far. */
size_t malloc_counter_count(void);

#endif
