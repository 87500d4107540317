/* The write queue of KeyValueStore: see kv_write_queue.h for why it exists. */
#define _GNU_SOURCE
#include "kv_write_queue.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int64_t kvq_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void sleep_for(int64_t nanoseconds) {
    if (nanoseconds <= 0) {
        return;
    }
    struct timespec interval = {(time_t)(nanoseconds / 1000000000), (long)(nanoseconds % 1000000000)};
    nanosleep(&interval, NULL);
}

/* `nanoseconds` ± 50 %, so that pollers in several processes do not fall into step. */
static int64_t jittered(int64_t nanoseconds, unsigned *seed) {
    return nanoseconds / 2 + (int64_t)(rand_r(seed) % (unsigned)(nanoseconds + 1));
}

int kvq_busy_handler(void *context, int count) {
    (void)count;
    kvq_deadline *deadline = context;
    int64_t now = kvq_now();
    if (deadline->timeout >= 0) {
        deadline->deadline = deadline->timeout > INT64_MAX - now ? INT64_MAX : now + deadline->timeout;
        deadline->timeout = -1;
    }
    int64_t left = deadline->deadline - now;
    if (left <= 0) {
        deadline->gave_up = 1;
        return 0; /* SQLite then returns SQLITE_BUSY */
    }
    int64_t pause = jittered(1000000, &deadline->seed);
    sleep_for(pause < left ? pause : left);
    return 1;
}

/* ---- the lock between threads ----
 * A pthread mutex is not first-come first-served: a thread that unlocks and locks again at
 * once overtakes the threads asleep on it. Here unlock hands the lock to the oldest waiter
 * and makes it the owner at once, so the releasing thread cannot take it back. */

typedef struct waiter {
    pthread_cond_t wake;
    int granted;
    pthread_t thread;
    struct waiter *next;
} waiter;

struct kvq_lock {
    pthread_mutex_t mutex;
    int held;
    pthread_t owner;
    waiter *head, *tail;
};

kvq_lock *kvq_lock_create(void) {
    kvq_lock *lock = calloc(1, sizeof *lock);
    if (lock != NULL) {
        pthread_mutex_init(&lock->mutex, NULL);
    }
    return lock;
}

void kvq_lock_destroy(kvq_lock *lock) {
    if (lock != NULL) {
        pthread_mutex_destroy(&lock->mutex);
        free(lock);
    }
}

int kvq_lock_until(kvq_lock *lock, int64_t deadline) {
    pthread_mutex_lock(&lock->mutex);
    if (lock->held && pthread_equal(lock->owner, pthread_self())) {
        pthread_mutex_unlock(&lock->mutex);
        return KVQ_REENTERED;
    }
    if (!lock->held && lock->head == NULL) {
        lock->held = 1;
        lock->owner = pthread_self();
        pthread_mutex_unlock(&lock->mutex);
        return KVQ_LOCKED;
    }
    waiter self = {.granted = 0, .thread = pthread_self(), .next = NULL};
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&self.wake, &attributes);
    pthread_condattr_destroy(&attributes);
    if (lock->tail != NULL) {
        lock->tail->next = &self;
    } else {
        lock->head = &self;
    }
    lock->tail = &self;
    if (deadline < 0) {
        deadline = 0;
    }
    struct timespec until = {(time_t)(deadline / 1000000000), (long)(deadline % 1000000000)};
    while (!self.granted) {
        /* ETIMEDOUT, or any error (a deadline it cannot use): stop waiting either way */
        if (pthread_cond_timedwait(&self.wake, &lock->mutex, &until) != 0) {
            break;
        }
    }
    int result = KVQ_LOCKED;
    if (!self.granted) { /* timed out: leave the line */
        waiter **link = &lock->head, *previous = NULL;
        while (*link != &self) {
            previous = *link;
            link = &(*link)->next;
        }
        *link = self.next;
        if (lock->tail == &self) {
            lock->tail = previous;
        }
        result = KVQ_TIMED_OUT;
    }
    pthread_mutex_unlock(&lock->mutex);
    pthread_cond_destroy(&self.wake);
    return result;
}

void kvq_unlock(kvq_lock *lock) {
    kvq_unlock_after_operation(lock, NULL);
}

static void operation_done(kvq_turn *turn, int local_waiters);

void kvq_unlock_after_operation(kvq_lock *lock, kvq_turn *turn) {
    pthread_mutex_lock(&lock->mutex);
    /* Decided under the lock's mutex: a waiter that times out leaves the line under the
     * same mutex, so the turn is kept only for a thread that really gets the lock. */
    if (turn != NULL) {
        operation_done(turn, lock->head != NULL);
    }
    waiter *next = lock->head;
    if (next != NULL) {
        lock->head = next->next;
        if (lock->head == NULL) {
            lock->tail = NULL;
        }
        next->granted = 1;
        lock->owner = next->thread;
        pthread_cond_signal(&next->wake);
    } else {
        lock->held = 0;
    }
    pthread_mutex_unlock(&lock->mutex);
}

/* ---- the turn between processes ----
 * Byte 0 of the sidecar, write-locked, is the turn. A process waiting for it announces
 * itself with a read lock on one byte at 1 + the microsecond it started waiting, so the
 * oldest waiter is the one with the lowest announced byte. Linux does not hand a released
 * lock to a blocked waiter (the releaser usually takes it back), hence the polling, which
 * slows down the longer it waits. Open-file-description locks belong to this descriptor,
 * not to the process, and go away when the process dies. */

struct kvq_turn {
    int fd;
    int held;
    int64_t held_since;
    int stuck;         /* a probe was made; cleared when the turn is seen free */
    int announced;     /* in line at byte `place` */
    off_t place;
    int64_t waiting_since, last_free, free_since;
    unsigned seed;
};

static const int64_t quantum = 2000000;    /* a process keeps the turn this long for its threads */
static const int64_t patience = 100000000; /* a turn held this long without a break is probed */
static const int64_t stalled = 2000000;    /* an older waiter that leaves a free turn this long is skipped */

/* Whether another descriptor holds a lock conflicting with a write lock on [start, start+length). */
static int held_by_other(int fd, off_t start, off_t length) {
    struct flock query = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = length};
    return fcntl(fd, F_OFD_GETLK, &query) == 0 && query.l_type != F_UNLCK;
}

static int set_lock(int fd, short type, off_t start, off_t length) {
    struct flock request = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = length};
    return fcntl(fd, F_OFD_SETLK, &request);
}

kvq_turn *kvq_turn_open(const char *database_file) {
    if (database_file == NULL || database_file[0] == '\0') {
        return NULL;
    }
    char path[4096];
    if (snprintf(path, sizeof path, "%s-wlock", database_file) >= (int)sizeof path) {
        return NULL;
    }
    struct stat status;
    mode_t mode = stat(database_file, &status) == 0 ? (status.st_mode & 0666) : 0644;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0) {
        return NULL;
    }
    /* Some file systems and kernels (FUSE, 9p, gVisor) refuse open-file-description locks:
     * then there is no turn, rather than a turn that always looks taken. */
    struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    if (fcntl(fd, F_OFD_GETLK, &probe) != 0) {
        close(fd);
        return NULL;
    }
    kvq_turn *turn = calloc(1, sizeof *turn);
    if (turn == NULL) {
        close(fd);
        return NULL;
    }
    turn->fd = fd;
    turn->seed = (unsigned)getpid() ^ (unsigned)kvq_now();
    return turn;
}

void kvq_turn_close(kvq_turn *turn) {
    if (turn == NULL) {
        return;
    }
    close(turn->fd); /* releases every lock this descriptor holds */
    free(turn);
}

int kvq_turn_is_held(const kvq_turn *turn) {
    return turn->held;
}

/* Sleeps one polling interval, never past the deadline; 0 when the deadline has passed. */
static int poll_pause(kvq_turn *turn, int behind_older, int64_t deadline) {
    int64_t now = kvq_now(), left = deadline - now;
    if (left <= 0) {
        return 0;
    }
    int64_t waited = now - turn->waiting_since;
    int64_t interval = behind_older ? 300000 + waited / 8 : 100000 + waited / 16;
    int64_t longest = behind_older ? 2000000 : 1000000;
    interval = jittered(interval < longest ? interval : longest, &turn->seed);
    sleep_for(interval < left ? interval : left);
    return 1;
}

/* Whether a failed lock call failed for a reason other than another holder. */
static int lock_broken(void) {
    return errno != EAGAIN && errno != EACCES;
}

/* Takes the turn if it is free: KVQ_TURN; KVQ_NO_TURN when another process was quicker;
 * KVQ_TURN_UNAVAILABLE when the lock failed for another reason. */
static int try_take(kvq_turn *turn) {
    if (set_lock(turn->fd, F_WRLCK, 0, 1) == 0) {
        turn->held = 1;
        turn->held_since = kvq_now();
        return KVQ_TURN;
    }
    return lock_broken() ? KVQ_TURN_UNAVAILABLE : KVQ_NO_TURN;
}

int kvq_turn_acquire(kvq_turn *turn, int64_t deadline) {
    int fd = turn->fd;
    if (!turn->announced) {
        if (!held_by_other(fd, 1, 0)) { /* nobody in line */
            int taken = try_take(turn);
            if (taken != KVQ_NO_TURN) {
                return taken;
            }
        }
        turn->waiting_since = turn->last_free = kvq_now();
        turn->free_since = 0;
        turn->place = 1 + (off_t)(turn->waiting_since / 1000);
        set_lock(fd, F_RDLCK, turn->place, 1);
        turn->announced = 1;
    } else if (!poll_pause(turn, 0, deadline)) { /* again after a probe that found a writer */
        return KVQ_NO_TURN;
    }
    for (;;) {
        int behind_older = held_by_other(fd, 1, turn->place - 1);
        int taken = held_by_other(fd, 0, 1);
        int64_t now = kvq_now();
        if (!taken) {
            turn->last_free = now;
            turn->stuck = 0;
        }
        if (behind_older) { /* an older waiter that leaves the turn free too long has stalled */
            if (taken) {
                turn->free_since = 0;
            } else if (turn->free_since == 0) {
                turn->free_since = now;
            } else if (now - turn->free_since > stalled) {
                behind_older = 0;
            }
        }
        if (!behind_older && !taken) {
            int result = try_take(turn);
            if (result != KVQ_NO_TURN) {
                return result;
            }
        }
        if (!behind_older && taken && (turn->stuck || now - turn->last_free > patience)) {
            turn->stuck = 1;
            return KVQ_PROBE;
        }
        if (!poll_pause(turn, behind_older, deadline)) {
            return KVQ_NO_TURN;
        }
    }
}

void kvq_turn_leave_line(kvq_turn *turn) {
    if (turn->announced) {
        set_lock(turn->fd, F_UNLCK, turn->place, 1);
        turn->announced = 0;
    }
}

void kvq_turn_release(kvq_turn *turn) {
    operation_done(turn, 0);
}

static void operation_done(kvq_turn *turn, int local_waiters) {
    if (!turn->held) {
        return;
    }
    if (local_waiters && (kvq_now() - turn->held_since < quantum || !held_by_other(turn->fd, 1, 0))) {
        return;
    }
    set_lock(turn->fd, F_UNLCK, 0, 1);
    turn->held = 0;
}
