// The change streams' sinks, fed after each commit.

import SafeFFI

/// The live change streams of one database.
final class ChangeHub: Sendable {
    private struct Sinks {
        var next = 0
        var byID: [Int: StreamSink<Change>] = [:]
    }

    private let sinks = Serialized(Sinks())

    var isEmpty: Bool { sinks.withLock { $0.byID.isEmpty } }

    func add(_ sink: StreamSink<Change>) -> Int {
        sinks.withLock { sinks in
            sinks.next += 1
            sinks.byID[sinks.next] = sink
            return sinks.next
        }
    }

    /// Removes a sink; returns whether it was the last.
    func remove(_ id: Int) -> Bool {
        sinks.withLock { sinks in
            sinks.byID[id] = nil
            return sinks.byID.isEmpty
        }
    }

    /// Sends committed changes to every stream, outside the lock.
    func publish(_ changes: [Change]) {
        guard !changes.isEmpty else { return }
        let targets = sinks.withLock { Array($0.byID.values) }
        for sink in targets {
            for change in changes { sink.yield(change) }
        }
    }

    func finishAll() {
        let targets = sinks.withLock { Array($0.byID.values) }
        for sink in targets { sink.finish() }
    }
}
