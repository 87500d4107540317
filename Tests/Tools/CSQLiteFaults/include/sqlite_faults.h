/* Fault injection for SQLite: an allocator that fails the N-th allocation and a VFS that
 * fails the N-th write or sync, in the style of SQLite's own test harness. For the
 * reliability harness only (kv-fault-injector, the tests); never linked into the library. */
#ifndef SQLITE_FAULTS_H
#define SQLITE_FAULTS_H

#include <stddef.h>

/** Installs the counting allocator (sqlite3_config before sqlite3_initialize) and
 *  registers the "faulty" VFS over the default one. Returns SQLite's result code. */
int sqlite_faults_install(void);

/** Registers the "faulty" VFS alone (no allocator: SQLite may be in use already), once.
 *  Returns SQLite's result code. */
int sqlite_faults_register_vfs(void);

/** The next `n` allocations succeed, the one after fails, once (-1: off). */
void sqlite_faults_fail_allocation_after(long n);

/** The next `n` writes or syncs through the "faulty" VFS succeed, the one after fails with
 *  an I/O error, once (-1: off). */
void sqlite_faults_fail_io_after(long n);

/** Whether the armed fault has fired since it was armed. */
int sqlite_faults_fired(void);

/** Blocks SQLite has allocated and not freed. */
long sqlite_faults_live_allocations(void);

#endif
