// A git repository: objects written and read, commits, history, status and diffs.

import SafeFFI

/// A git repository on disk, opened by libgit2 and closed exactly once when the value ends.
///
/// It cannot be copied: libgit2's repository object is used by one thread at a time.
public struct Repository: ~Copyable {
    private let repository: GitObject

    private init(_ repository: consuming GitObject) { self.repository = repository }

    /// Creates a repository (with a working directory) at `path`, or opens the one there.
    public static func create(at path: String) throws(GitError) -> Repository {
        Repository(try openRepository(at: path, creating: true))
    }

    /// Opens the repository at `path`.
    ///
    /// - Throws: ``GitError`` with `GIT_ENOTFOUND` (-3) when there is none.
    public static func open(at path: String) throws(GitError) -> Repository {
        Repository(try openRepository(at: path, creating: false))
    }

    /// Writes `bytes` as a blob and returns its id (the id `git hash-object` gives).
    public func writeBlob(_ bytes: Span<UInt8>) throws(GitError) -> ObjectID {
        try Git.writeBlob(repository, bytes)
    }

    /// The content of the blob `id`.
    public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        try readBlob(repository, id)
    }

    /// Writes a tree of regular files, each a name and a blob, and returns its id.
    public func writeTree(_ files: [(name: String, blob: ObjectID)]) throws(GitError) -> ObjectID {
        try Git.writeTree(repository, files.map { (name: $0.name, id: $0.blob) })
    }

    /// Writes a commit of `tree` and returns its id; `reference` (HEAD by default, `nil` for
    /// none) is moved to it, and must point at the first parent.
    public func commit(
        tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature? = nil, message: String,
        updating reference: String? = "HEAD"
    ) throws(GitError) -> ObjectID {
        try makeCommit(
            repository, tree: tree, parents: parents, author: author, committer: committer ?? author, message: message,
            updating: reference)
    }

    /// The commits reachable from `start` (HEAD when `nil`), newest first, parents after
    /// their children (`git log`'s order).
    public func history(from start: ObjectID? = nil) throws(GitError) -> [ObjectID] {
        try walkHistory(repository, from: start)
    }

    /// The names of every reference, such as `refs/heads/master`.
    public func referenceNames() throws(GitError) -> [String] {
        try Git.referenceNames(repository)
    }

    /// Calls `body` with each file that differs between HEAD, the index and the working
    /// directory (untracked files too), in path order.
    ///
    /// `body` stops the walk by returning ``IterationStep/stop`` or by throwing; what it
    /// throws comes out of this call, after libgit2 has returned.
    ///
    /// - Throws: what `body` throws, or ``GitError``.
    public func forEachStatus(_ body: (StatusEntry) throws -> IterationStep) throws {
        try Git.forEachStatus(repository, body)
    }

    /// Calls `body` with each file that differs between the trees of two commits; stopped
    /// as ``forEachStatus(_:)`` is.
    public func forEachDifference(
        from old: ObjectID, to new: ObjectID, _ body: (DiffFile) throws -> IterationStep
    ) throws {
        try Git.forEachDifference(repository, from: old, to: new, body)
    }

    /// The patch between the trees of two commits, as `git diff` prints it.
    public func patch(from old: ObjectID, to new: ObjectID) throws(GitError) -> String {
        try patchText(repository, from: old, to: new)
    }
}
