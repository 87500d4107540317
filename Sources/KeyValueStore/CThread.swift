// The calling thread, from pthread.

import Glibc

/// The calling thread's identity, for refusing a call from inside the database's own
/// transaction on the thread that runs it.
enum CThread {
    /// The calling thread (`pthread_self`); never 0.
    static var current: UInt { pthread_self() }

    /// Whether `thread` is the calling thread (`pthread_equal`).
    static func isCurrent(_ thread: UInt) -> Bool {
        pthread_equal(thread, pthread_self()) != 0
    }
}
