// Every libc function SafeFFI calls, and nothing else: no other file of the module imports
// Glibc. Each wrapper has the exact name of the function it wraps (`LibC.strlen` wraps
// `strlen`), which inside is named with its module (`Glibc.strlen`).

// swift-format-ignore-file: AlwaysUseLowerCamelCase

import Glibc

@usableFromInline
enum LibC {
    /// `pthread_mutex_t`, for the locks SafeFFI builds.
    @usableFromInline
    typealias Mutex = pthread_mutex_t
    /// `pthread_cond_t`.
    typealias Condition = pthread_cond_t
    /// `pthread_t`.
    typealias Thread = pthread_t

    // MARK: Strings and memory

    /// `strlen`.
    @unsafe
    @inlinable
    static func strlen(_ string: UnsafePointer<CChar>) -> Int {
        // SAFETY: the caller passes a NUL-terminated string (this function is @unsafe).
        unsafe Glibc.strlen(string)
    }

    /// `malloc`: `nil` when it fails.
    @inlinable
    static func malloc(_ size: Int) -> UnsafeMutableRawPointer? {
        // SAFETY: returns a fresh block or NULL; the caller owns what it returns.
        unsafe Glibc.malloc(size)
    }

    /// `free`.
    @unsafe
    static func free(_ pointer: UnsafeMutableRawPointer?) {
        // SAFETY: the caller passes NULL or a block from malloc that nothing uses again.
        unsafe Glibc.free(pointer)
    }

    // MARK: errno and descriptors

    /// The calling thread's `errno`.
    @inlinable
    static var errno: CInt { Glibc.errno }

    /// `EINTR`.
    @inlinable
    static var EINTR: CInt { Glibc.EINTR }

    /// `strerror_r`, the POSIX form, which fills the caller's buffer: 0 or an error number.
    @unsafe
    static func strerror_r(_ code: CInt, _ buffer: UnsafeMutablePointer<CChar>, _ count: Int) -> CInt {
        // SAFETY: the caller passes a buffer of `count` writable bytes (this function is @unsafe).
        unsafe Glibc.strerror_r(code, buffer, count)
    }

    /// `ERANGE`: the buffer given to `strerror_r` is too small.
    static var ERANGE: CInt { Glibc.ERANGE }

    /// `close`: 0, or -1 with `errno` set.
    static func close(_ descriptor: CInt) -> CInt {
        Glibc.close(descriptor)
    }

    // MARK: Threads

    /// `pthread_create` of a detached thread running `body`; the new thread's id, or the
    /// error number when no thread could be made.
    static func pthread_create(_ body: @escaping @Sendable () -> Void) -> Result<Thread, LibCError> {
        final class Entry {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var thread = pthread_t()
        // SAFETY: the context is a +1 reference to the entry, taken back exactly once, by
        // the new thread; on failure no thread took it, so it is released here.
        let context = unsafe Unmanaged.passRetained(Entry(body)).toOpaque()
        // SAFETY: `thread` is a local pthread_create writes before it returns; the entry
        // point takes back the context's reference once (see inside).
        let status = unsafe Glibc.pthread_create(
            &thread, nil,
            { context in
                // SAFETY: the +1 reference passed below, taken back once.
                unsafe Unmanaged<Entry>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            }, context)
        guard status == 0 else {
            // SAFETY: the reference no thread took, released once.
            unsafe Unmanaged<Entry>.fromOpaque(context).release()
            return .failure(LibCError(function: "pthread_create", code: status))
        }
        Glibc.pthread_detach(thread)
        return .success(thread)
    }

    /// `pthread_self`.
    static func pthread_self() -> Thread {
        Glibc.pthread_self()
    }

    /// `pthread_equal`, as a `Bool`.
    static func pthread_equal(_ first: Thread, _ second: Thread) -> Bool {
        Glibc.pthread_equal(first, second) != 0
    }

    // MARK: Mutexes and condition variables

    /// `pthread_mutex_init` of an error-checking mutex, which reports a re-entrant lock
    /// (`EDEADLK`) instead of deadlocking; stops the program if it fails.
    @unsafe
    static func pthread_mutex_init_errorcheck(_ mutex: UnsafeMutablePointer<Mutex>) {
        var attributes = pthread_mutexattr_t()
        // SAFETY: `attributes` is a local initialised, used and destroyed here; the caller
        // passes fresh memory for the mutex, initialised once.
        unsafe Glibc.pthread_mutexattr_init(&attributes)
        unsafe Glibc.pthread_mutexattr_settype(&attributes, CInt(PTHREAD_MUTEX_ERRORCHECK))
        let status = unsafe Glibc.pthread_mutex_init(mutex, &attributes)
        unsafe Glibc.pthread_mutexattr_destroy(&attributes)
        precondition(status == 0, "pthread_mutex_init failed with \(status)")
    }

    /// `pthread_mutex_destroy`.
    @unsafe
    static func pthread_mutex_destroy(_ mutex: UnsafeMutablePointer<Mutex>) {
        // SAFETY: the caller passes an initialised mutex that no thread holds.
        unsafe Glibc.pthread_mutex_destroy(mutex)
    }

    /// `pthread_mutex_lock`: 0, or `EDEADLK` when the calling thread holds it already.
    @unsafe
    @inlinable
    static func pthread_mutex_lock(_ mutex: UnsafeMutablePointer<Mutex>) -> CInt {
        // SAFETY: the caller passes an initialised mutex.
        unsafe Glibc.pthread_mutex_lock(mutex)
    }

    /// `pthread_mutex_trylock`: 0, or `EBUSY` when a thread holds it.
    @unsafe
    @inlinable
    static func pthread_mutex_trylock(_ mutex: UnsafeMutablePointer<Mutex>) -> CInt {
        // SAFETY: the caller passes an initialised mutex.
        unsafe Glibc.pthread_mutex_trylock(mutex)
    }

    /// `pthread_mutex_unlock`.
    @unsafe
    @inlinable
    static func pthread_mutex_unlock(_ mutex: UnsafeMutablePointer<Mutex>) {
        // SAFETY: the caller passes a mutex the calling thread holds.
        unsafe Glibc.pthread_mutex_unlock(mutex)
    }

    /// `EDEADLK`: the calling thread holds the mutex already.
    @inlinable
    static var EDEADLK: CInt { Glibc.EDEADLK }

    /// `EBUSY`: another thread holds the mutex.
    @inlinable
    static var EBUSY: CInt { Glibc.EBUSY }

    /// `pthread_cond_init` with the default attributes.
    @unsafe
    static func pthread_cond_init(_ condition: UnsafeMutablePointer<Condition>) {
        // SAFETY: the caller passes fresh memory, initialised once.
        unsafe Glibc.pthread_cond_init(condition, nil)
    }

    /// `pthread_cond_destroy`.
    @unsafe
    static func pthread_cond_destroy(_ condition: UnsafeMutablePointer<Condition>) {
        // SAFETY: the caller passes an initialised condition that no thread waits on.
        unsafe Glibc.pthread_cond_destroy(condition)
    }

    /// `pthread_cond_wait`.
    @unsafe
    static func pthread_cond_wait(
        _ condition: UnsafeMutablePointer<Condition>, _ mutex: UnsafeMutablePointer<Mutex>
    ) {
        // SAFETY: the caller holds `mutex`, the one every waiter of `condition` uses.
        unsafe Glibc.pthread_cond_wait(condition, mutex)
    }

    /// `pthread_cond_broadcast`.
    @unsafe
    static func pthread_cond_broadcast(_ condition: UnsafeMutablePointer<Condition>) {
        // SAFETY: the caller passes an initialised condition.
        unsafe Glibc.pthread_cond_broadcast(condition)
    }
}

/// A libc call that failed with an error number (as the pthread functions return one).
package struct LibCError: Error, Equatable {
    package let function: String
    package let code: CInt

    package init(function: String, code: CInt) {
        self.function = function
        self.code = code
    }
}
