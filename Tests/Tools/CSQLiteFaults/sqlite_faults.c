#include "sqlite_faults.h"

#include <sqlite3.h>
#include <stdatomic.h>
#include <string.h>

static sqlite3_mem_methods system_allocator;
static atomic_long allocations_before_failure = -1;
static atomic_long io_before_failure = -1;
static atomic_int fired;
static atomic_long live_allocations;

static int take(atomic_long *countdown) {
    long remaining = atomic_load(countdown);
    while (remaining >= 0) {
        if (atomic_compare_exchange_weak(countdown, &remaining, remaining == 0 ? -1 : remaining - 1)) {
            if (remaining == 0) {
                atomic_store(&fired, 1);
                return 1;
            }
            return 0;
        }
    }
    return 0;
}

/* ---- allocator ---- */

static void *faulty_malloc(int size) {
    if (take(&allocations_before_failure)) {
        return NULL;
    }
    void *block = system_allocator.xMalloc(size);
    if (block != NULL) {
        atomic_fetch_add(&live_allocations, 1);
    }
    return block;
}

static void faulty_free(void *block) {
    if (block != NULL) {
        atomic_fetch_sub(&live_allocations, 1);
    }
    system_allocator.xFree(block);
}

static void *faulty_realloc(void *block, int size) {
    if (take(&allocations_before_failure)) {
        return NULL;
    }
    void *moved = system_allocator.xRealloc(block, size);
    if (block == NULL && moved != NULL) {
        atomic_fetch_add(&live_allocations, 1);
    }
    return moved;
}

static int faulty_size(void *block) { return system_allocator.xSize(block); }
static int faulty_roundup(int size) { return system_allocator.xRoundup(size); }
static int faulty_init(void *data) { return system_allocator.xInit(data); }
static void faulty_shutdown(void *data) { system_allocator.xShutdown(data); }

/* ---- VFS: every file method forwards to the real file, writes and syncs may fail ---- */

typedef struct faulty_file {
    sqlite3_file base;
    sqlite3_file *real; /* allocated right after this struct */
} faulty_file;

static sqlite3_vfs *real_vfs;

#define REAL(file) (((faulty_file *)(file))->real)

static int f_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o) { return REAL(f)->pMethods->xRead(REAL(f), b, n, o); }
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o) {
    return take(&io_before_failure) ? SQLITE_IOERR_WRITE : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 s) { return REAL(f)->pMethods->xTruncate(REAL(f), s); }
static int f_sync(sqlite3_file *f, int flags) {
    return take(&io_before_failure) ? SQLITE_IOERR_FSYNC : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *s) { return REAL(f)->pMethods->xFileSize(REAL(f), s); }
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_reserved(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int f_control(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shm_map(sqlite3_file *f, int i, int s, int e, void volatile **p) {
    return REAL(f)->pMethods->xShmMap(REAL(f), i, s, e, p);
}
static int f_shm_lock(sqlite3_file *f, int o, int n, int flags) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, flags); }
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int d) { return REAL(f)->pMethods->xShmUnmap(REAL(f), d); }

static const sqlite3_io_methods faulty_methods = {
    .iVersion = 2, .xClose = f_close, .xRead = f_read, .xWrite = f_write, .xTruncate = f_truncate,
    .xSync = f_sync, .xFileSize = f_size, .xLock = f_lock, .xUnlock = f_unlock,
    .xCheckReservedLock = f_reserved, .xFileControl = f_control, .xSectorSize = f_sector,
    .xDeviceCharacteristics = f_device, .xShmMap = f_shm_map, .xShmLock = f_shm_lock,
    .xShmBarrier = f_shm_barrier, .xShmUnmap = f_shm_unmap,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags) {
    (void)vfs;
    faulty_file *wrapper = (faulty_file *)file;
    wrapper->real = (sqlite3_file *)(wrapper + 1);
    int status = real_vfs->xOpen(real_vfs, name, wrapper->real, flags, out_flags);
    wrapper->base.pMethods = status == SQLITE_OK && wrapper->real->pMethods != NULL ? &faulty_methods : NULL;
    return status;
}
static int v_delete(sqlite3_vfs *v, const char *n, int s) { (void)v; return real_vfs->xDelete(real_vfs, n, s); }
static int v_access(sqlite3_vfs *v, const char *n, int f, int *r) { (void)v; return real_vfs->xAccess(real_vfs, n, f, r); }
static int v_full(sqlite3_vfs *v, const char *n, int s, char *o) { (void)v; return real_vfs->xFullPathname(real_vfs, n, s, o); }
static int v_random(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xRandomness(real_vfs, n, o); }
static int v_sleep(sqlite3_vfs *v, int us) { (void)v; return real_vfs->xSleep(real_vfs, us); }
static int v_time(sqlite3_vfs *v, double *t) { (void)v; return real_vfs->xCurrentTime(real_vfs, t); }
static int v_error(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xGetLastError(real_vfs, n, o); }
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *t) { (void)v; return real_vfs->xCurrentTimeInt64(real_vfs, t); }

static sqlite3_vfs faulty_vfs = {
    .iVersion = 2, .zName = "faulty", .xOpen = v_open, .xDelete = v_delete, .xAccess = v_access,
    .xFullPathname = v_full, .xRandomness = v_random, .xSleep = v_sleep, .xCurrentTime = v_time,
    .xGetLastError = v_error, .xCurrentTimeInt64 = v_time64,
};

int sqlite_faults_install(void) {
    int status = sqlite3_config(SQLITE_CONFIG_GETMALLOC, &system_allocator);
    if (status != SQLITE_OK) {
        return status;
    }
    static sqlite3_mem_methods faulty = {
        faulty_malloc, faulty_free, faulty_realloc, faulty_size, faulty_roundup, faulty_init, faulty_shutdown, NULL,
    };
    status = sqlite3_config(SQLITE_CONFIG_MALLOC, &faulty);
    if (status != SQLITE_OK) {
        return status;
    }
    return sqlite_faults_register_vfs();
}

int sqlite_faults_register_vfs(void) {
    int status = sqlite3_initialize();
    if (status != SQLITE_OK) {
        return status;
    }
    if (sqlite3_vfs_find("faulty") == &faulty_vfs) {
        return SQLITE_OK;
    }
    real_vfs = sqlite3_vfs_find(NULL);
    faulty_vfs.szOsFile = (int)sizeof(faulty_file) + real_vfs->szOsFile;
    faulty_vfs.mxPathname = real_vfs->mxPathname;
    return sqlite3_vfs_register(&faulty_vfs, 0);
}

void sqlite_faults_fail_allocation_after(long n) {
    atomic_store(&fired, 0);
    atomic_store(&allocations_before_failure, n < 0 ? -1 : n);
}

void sqlite_faults_fail_io_after(long n) {
    atomic_store(&fired, 0);
    atomic_store(&io_before_failure, n < 0 ? -1 : n);
}

int sqlite_faults_fired(void) {
    return atomic_load(&fired);
}

long sqlite_faults_live_allocations(void) {
    return atomic_load(&live_allocations);
}
