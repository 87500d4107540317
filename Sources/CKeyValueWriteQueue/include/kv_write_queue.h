/*
 * kv_write_queue — the order in which KeyValueStore's writers get SQLite's write lock, and a
 * busy handler bounded by one deadline.
 *
 * Why it exists: SQLite's own busy handler polls with a backoff up to 100 ms, so a process
 * whose threads hand the write connection to each other re-takes the lock within
 * microseconds and other processes starve; and an in-process lock wait plus SQLite's wait
 * would add up to twice the busy timeout. This shim gives each operation one deadline
 * (CLOCK_MONOTONIC, nanoseconds) for all its waits, a first-come first-served lock between
 * the threads of a process, and a first-come first-served turn between processes, kept in
 * advisory locks on a sidecar file "<database>-wlock" that its last user removes. It is C because the open-file-
 * description locks (F_OFD_SETLK) it needs are not imported into Swift.
 *
 * Writers outside this library (the sqlite3 shell) still work: SQLite's lock keeps the data
 * safe; they just are not in the queue. Every symbol is prefixed kvq_.
 */
#ifndef KV_WRITE_QUEUE_H
#define KV_WRITE_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Now, on CLOCK_MONOTONIC, in nanoseconds. */
int64_t kvq_now(void);

/** The deadline of the operation a connection is running, read by its busy handler. */
typedef struct kvq_deadline {
    int64_t deadline;  /* CLOCK_MONOTONIC nanoseconds; <= now: give up at once */
    int64_t timeout;   /* >= 0: no deadline yet; the handler's first call sets it this many
                          nanoseconds later (a read that never waits reads no clock); < 0: set */
    unsigned seed;     /* jitter of the sleeps */
    int gave_up;       /* set when the handler stopped SQLite's wait at the deadline */
} kvq_deadline;

/** An sqlite3_busy_handler: sleeps about 1 ms (never past the deadline) and retries until
 *  the deadline of the kvq_deadline it is given passes (set first, from its timeout, when
 *  it has none yet). */
int kvq_busy_handler(void *deadline, int count);

/* ---- a first-come first-served lock between threads, with a deadline ---- */

typedef struct kvq_lock kvq_lock;

enum { KVQ_LOCKED = 0, KVQ_TIMED_OUT = 1, KVQ_REENTERED = 2 };

/** NULL when out of memory. */
kvq_lock *kvq_lock_create(void);
/** The lock must be free and have no waiter. */
void kvq_lock_destroy(kvq_lock *lock);
/** Takes the lock in arrival order: KVQ_LOCKED; KVQ_TIMED_OUT when the deadline passed
 *  first; KVQ_REENTERED when this thread already holds it. */
int kvq_lock_until(kvq_lock *lock, int64_t deadline);
/** Hands the lock to the oldest waiter, or frees it. */
void kvq_unlock(kvq_lock *lock);

/* ---- a first-come first-served turn between processes, on a sidecar file ---- */

typedef struct kvq_turn kvq_turn;

enum { KVQ_NO_TURN = 0, KVQ_TURN = 1, KVQ_PROBE = 2, KVQ_TURN_UNAVAILABLE = 3 };

/** Opens "<database_file>-wlock" as one of its users, creating it as SQLite creates its
 *  "-wal" and "-shm" files: with the database file's permission bits whatever the umask,
 *  and, when this process runs as root, the database file's owner and group. NULL when it
 *  cannot be opened, locked or allocated: `reason` (may be NULL) then receives a sentence
 *  for a person ("cannot use /x/y.db-wlock: Permission denied"), and the caller orders its
 *  writers within this process only. */
kvq_turn *kvq_turn_open(const char *database_file, char *reason, size_t reason_size);
/** Releases the turn and closes the sidecar; the last user of the sidecar (of any process)
 *  removes the file, as SQLite removes "-wal" and "-shm". NULL is ignored. */
void kvq_turn_close(kvq_turn *turn);
/** Takes the lock a process holds while it checks and prepares the database as it opens
 *  it, so that processes opening a new file at once do so one after the other: KVQ_TURN;
 *  KVQ_NO_TURN when the deadline passed first; KVQ_TURN_UNAVAILABLE when the lock failed
 *  for a reason other than another holder. */
int kvq_turn_lock_opening(kvq_turn *turn, int64_t deadline);
/** Releases the lock of kvq_turn_lock_opening. */
void kvq_turn_unlock_opening(kvq_turn *turn);
/** Whether this process holds the turn. */
int kvq_turn_is_held(const kvq_turn *turn);
/**
 * Waits in line for the turn, until the deadline. Call it holding the in-process lock.
 * KVQ_TURN: the turn is this process's. KVQ_NO_TURN: the deadline passed.
 * KVQ_TURN_UNAVAILABLE: the file's locks failed for a reason other than another holder;
 * write without the turn. KVQ_PROBE: this
 * process is first in line but the holder has kept the turn for 100 ms without a break — it
 * may be stopped or gone while a forked child keeps the file open. The caller then tries its
 * write once with a deadline already passed: SQLITE_BUSY means the holder is really writing
 * (call kvq_turn_acquire again, the place in line is kept); anything else means the write
 * happened without the turn (SQLite's own lock kept it safe). Either way, finish with
 * kvq_turn_leave_line.
 */
int kvq_turn_acquire(kvq_turn *turn, int64_t deadline);
/** Leaves the line after kvq_turn_acquire (whatever it returned). */
void kvq_turn_leave_line(kvq_turn *turn);
/** Releases the turn if this process holds it. Call it holding the in-process lock. */
void kvq_turn_release(kvq_turn *turn);

/** Ends an operation: with `turn` (may be NULL), keeps the turn for the thread that gets
 *  the lock next while this process's 2 ms quantum lasts (or while no other process
 *  waits), else releases it; then hands the lock to the oldest waiter, or frees it. The
 *  choice is made atomically with the hand-over, so the turn is never kept for a waiter
 *  that gave up. */
void kvq_unlock_after_operation(kvq_lock *lock, kvq_turn *turn);

#ifdef __cplusplus
}
#endif

#endif /* KV_WRITE_QUEUE_H */
