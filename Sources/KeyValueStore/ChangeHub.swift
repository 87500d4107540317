// The change streams of one database, fed after each commit.

import SafeFFI

/// The live change streams of one database.
///
/// Its lock guards the list alone and is never held while a stream is fed: feeding can
/// wait for a lock that `Task.cancel()` holds while it runs a stream's termination
/// handler, and that handler takes this lock to remove its stream.
final class ChangeHub: Sendable {
    typealias Continuation = AsyncStream<Change>.Continuation

    private struct Streams {
        var next = 0
        var byID: [Int: Continuation] = [:]
    }

    private let streams = Serialized(Streams())

    var isEmpty: Bool { streams.withLock { $0.byID.isEmpty } }

    /// Adds a stream; returns the id that removes it.
    func add(_ continuation: Continuation) -> Int {
        streams.withLock { streams in
            streams.next += 1
            streams.byID[streams.next] = continuation
            return streams.next
        }
    }

    /// Removes a stream; removing it again does nothing.
    func remove(_ id: Int) {
        streams.withLock { _ = $0.byID.removeValue(forKey: id) }
    }

    /// Sends committed changes to every stream, in order. The caller holds the writer's
    /// lock, so changes are sent in the order they were committed.
    func publish(_ changes: [Change]) {
        guard !changes.isEmpty else { return }
        let targets = streams.withLock { Array($0.byID.values) }
        for continuation in targets {
            for change in changes { continuation.yield(change) }
        }
    }

    /// Ends every stream and forgets them.
    func finishAll() {
        let targets = streams.withLock { (streams) -> [Continuation] in
            defer { streams.byID.removeAll() }
            return Array(streams.byID.values)
        }
        for continuation in targets { continuation.finish() }
    }
}
