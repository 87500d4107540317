/* Interposes glibc's allocator entry points to count them: built as a shared library and
 * loaded with LD_PRELOAD by Benchmarks/compare for the counting run only. glibc exports its
 * own versions as __libc_*, which these call. */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

/* Read by ffi-compare through a weak reference (Sources/CMallocCounter). */
size_t malloc_counter_count(void);

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *block, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static atomic_size_t allocations;

size_t malloc_counter_count(void) {
    return atomic_load_explicit(&allocations, memory_order_relaxed);
}

static void count(void) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

void *malloc(size_t size) {
    count();
    return __libc_malloc(size);
}

void *calloc(size_t number, size_t size) {
    count();
    return __libc_calloc(number, size);
}

void *realloc(void *block, size_t size) {
    count();
    return __libc_realloc(block, size);
}

void *memalign(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    count();
    void *block = __libc_memalign(alignment, size);
    if (block == NULL) {
        return ENOMEM;
    }
    *result = block;
    return 0;
}
