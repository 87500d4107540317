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
 * not to the process, and go away when the process dies.
 *
 * Two bytes past every place in line: OPENING_BYTE, write-locked while a process checks
 * and prepares the database as it opens it; USERS_BYTE, read-locked by every open
 * descriptor of the sidecar. The last user to close takes USERS_BYTE for writing and
 * removes the file while it holds it; an opener locks USERS_BYTE and then checks that the
 * path still names its file, so no two users ever lock different files. */

#define LINE_END ((off_t)1 << 62) /* places in line are below: 1 + microseconds of uptime */
#define OPENING_BYTE LINE_END
#define USERS_BYTE (LINE_END + 1)

struct kvq_turn {
    int fd;
    int held;
    int64_t held_since;
    int stuck;         /* a probe was made; cleared when the turn is seen free */
    int announced;     /* in line at byte `place` */
    off_t place;
    int64_t waiting_since, last_free, free_since;
    unsigned seed;
    char *path;        /* the sidecar's path, removed by the last user */
};

static const int64_t quantum = 2000000;    /* a process keeps the turn this long for its threads */
static const int64_t patience = 100000000; /* a turn held this long without a break is probed */
static const int64_t stalled = 2000000;    /* an older waiter that leaves a free turn this long is skipped */

/* Whether another descriptor holds a lock conflicting with a write lock on [start, start+length). */
static int held_by_other(int fd, off_t start, off_t length) {
    struct flock query = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = length};
    return fcntl(fd, F_OFD_GETLK, &query) == 0 && query.l_type != F_UNLCK;
}

static int lock_broken(void);

static int set_lock(int fd, short type, off_t start, off_t length) {
    struct flock request = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = length};
    return fcntl(fd, F_OFD_SETLK, &request);
}

static void set_reason(char *reason, size_t size, const char *what, const char *path, int error) {
    if (reason == NULL || size == 0) {
        return;
    }
    char text[256];
    const char *description = strerror_r(error, text, sizeof text);
    snprintf(reason, size, "%s %s: %s", what, path, description);
}

/* Whether `fd` is the file `path` names now. */
static int names_file(int fd, const char *path) {
    struct stat opened, named;
    return fstat(fd, &opened) == 0 && stat(path, &named) == 0 && opened.st_dev == named.st_dev &&
           opened.st_ino == named.st_ino;
}

/* Opens the sidecar at `path` as one of its users, creating it like SQLite creates "-wal"
 * and "-shm": the database file's permission bits whatever the umask, and its owner when
 * this process runs as root. -1 with errno set on failure. */
static int open_as_user(const char *path, const struct stat *database) {
    mode_t mode = database->st_mode & 0777;
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0) {
            return -1;
        }
        /* Only a regular file with one link: a hard link planted at the path must not be
         * chmod'ed or chown'ed. */
        struct stat status;
        if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || status.st_nlink != 1) {
            close(fd);
            errno = EPERM;
            return -1;
        }
        if (status.st_size == 0 && (status.st_mode & 0777) != mode) {
            (void)fchmod(fd, mode);
        }
        if (geteuid() == 0 && (status.st_uid != database->st_uid || status.st_gid != database->st_gid)) {
            (void)fchown(fd, database->st_uid, database->st_gid);
        }
        /* Waits only while the last user of a previous sidecar removes it. */
        struct flock user = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = USERS_BYTE, .l_len = 1};
        int locked;
        while ((locked = fcntl(fd, F_OFD_SETLKW, &user)) != 0 && errno == EINTR) {
        }
        if (locked != 0) {
            int error = errno;
            close(fd);
            errno = error;
            return -1;
        }
        if (names_file(fd, path)) {
            return fd;
        }
        close(fd); /* removed by its last user meanwhile: open the new one */
    }
    errno = EAGAIN;
    return -1;
}

kvq_turn *kvq_turn_open(const char *database_file, char *reason, size_t reason_size) {
    if (reason != NULL && reason_size > 0) {
        reason[0] = '\0';
    }
    if (database_file == NULL || database_file[0] == '\0') {
        set_reason(reason, reason_size, "no file name for", "the database", EINVAL);
        return NULL;
    }
    size_t length = strlen(database_file);
    char *path = malloc(length + sizeof "-wlock");
    if (path == NULL) {
        set_reason(reason, reason_size, "out of memory for", database_file, ENOMEM);
        return NULL;
    }
    memcpy(path, database_file, length);
    memcpy(path + length, "-wlock", sizeof "-wlock");
    struct stat database;
    if (stat(database_file, &database) != 0) {
        set_reason(reason, reason_size, "cannot read the mode of", database_file, errno);
        free(path);
        return NULL;
    }
    int fd = open_as_user(path, &database);
    if (fd < 0) {
        /* EINVAL or ENOSYS from F_OFD_SETLKW: FUSE, 9p, gVisor refuse these locks. */
        set_reason(reason, reason_size, errno == EINVAL || errno == ENOSYS ? "no open-file-description locks on" : "cannot use", path, errno);
        free(path);
        return NULL;
    }
    kvq_turn *turn = calloc(1, sizeof *turn);
    if (turn == NULL) {
        set_reason(reason, reason_size, "out of memory for", path, ENOMEM);
        close(fd);
        free(path);
        return NULL;
    }
    turn->fd = fd;
    turn->path = path;
    turn->seed = (unsigned)getpid() ^ (unsigned)kvq_now();
    return turn;
}

void kvq_turn_close(kvq_turn *turn) {
    if (turn == NULL) {
        return;
    }
    set_lock(turn->fd, F_UNLCK, 0, LINE_END); /* the turn and any place in line */
    /* The last user removes the file, holding USERS_BYTE so that no one starts using it. */
    if (set_lock(turn->fd, F_WRLCK, USERS_BYTE, 1) == 0 && names_file(turn->fd, turn->path)) {
        unlink(turn->path);
    }
    close(turn->fd); /* releases every lock this descriptor holds */
    free(turn->path);
    free(turn);
}

int kvq_turn_lock_opening(kvq_turn *turn, int64_t deadline) {
    for (;;) {
        if (set_lock(turn->fd, F_WRLCK, OPENING_BYTE, 1) == 0) {
            return KVQ_TURN;
        }
        if (lock_broken()) {
            return KVQ_TURN_UNAVAILABLE;
        }
        int64_t left = deadline - kvq_now();
        if (left <= 0) {
            return KVQ_NO_TURN;
        }
        int64_t pause = jittered(200000, &turn->seed);
        sleep_for(pause < left ? pause : left);
    }
}

void kvq_turn_unlock_opening(kvq_turn *turn) {
    set_lock(turn->fd, F_UNLCK, OPENING_BYTE, 1);
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
        if (!held_by_other(fd, 1, LINE_END - 1)) { /* nobody in line */
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
    if (local_waiters && (kvq_now() - turn->held_since < quantum || !held_by_other(turn->fd, 1, LINE_END - 1))) {
        return;
    }
    set_lock(turn->fd, F_UNLCK, 0, 1);
    turn->held = 0;
}
