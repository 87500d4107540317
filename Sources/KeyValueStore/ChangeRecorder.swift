// Change tracking for the change streams: what SQLite's update hook records on a
// connection, and when it is published or dropped.

/// The changes SQLite's update hook reports for one connection: the key of the statement
/// being stepped, and the changes waiting for their transaction to commit. Used only under
/// the connection's lock (the hook runs inside `sqlite3_step`).
final class ChangeRecorder {
    private var currentKey: String?
    private var pending: [Change] = []

    /// Runs `step` with `key` as the key the hook reports for the rows it changes; `nil`
    /// records nothing.
    func attributing<R>(to key: String?, _ step: () throws(DatabaseError) -> R) throws(DatabaseError) -> R {
        currentKey = key
        defer { currentKey = nil }
        return try step()
    }

    /// Records a change of the current key (called by the update hook).
    func record(_ kind: Change.Kind) {
        guard let key = currentKey else { return }
        pending.append(Change(kind: kind, key: key))
    }

    /// Forgets the changes not yet published (a rollback, a failed statement).
    func discard() {
        pending.removeAll()
    }

    /// The changes recorded since the last call.
    func take() -> [Change] {
        defer { pending.removeAll() }
        return pending
    }
}

extension Connection {
    /// The changes recorded since the last call, if the statement or transaction is over.
    func takeChanges() -> [Change] {
        guard !inTransaction else { return [] }
        return changes.take()
    }

    /// Removes the update hook once no stream is left to feed.
    func stopObservingUnlessWatched(by hub: ChangeHub) {
        if isObservingChanges && hub.isEmpty { removeUpdateHook() }
    }
}
