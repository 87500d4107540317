/* Reads the allocation count of Benchmarks/c/malloc_counter.c, which ffi-compare's counting
 * run loads with LD_PRELOAD. The timed and callgrind runs do not load it: their allocations
 * go straight to glibc, as the C driver's do. */
#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H

/** Allocations so far, or -1 when the counting library is not loaded. */
long bench_malloc_count(void);

#endif
