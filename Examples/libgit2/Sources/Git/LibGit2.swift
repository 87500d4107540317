// Every libgit2 call of the module, and the only file with `unsafe`: libgit2's objects are
// opaque pointers (no reference counts the API notes could name), so each call that takes
// one is an unsafe call, made here and nowhere else.

import CGit2
import SafeFFI

/// libgit2's global state, set up once for the process (and never shut down: other code in
/// the process may use libgit2 too).
let libraryInitialization: Int32 = git_libgit2_init()

/// A libgit2 object Swift owns and frees exactly once with its `*_free` function.
@safe
struct GitObject: ~Copyable {
    private let handle: OwnedHandle<OpaquePointer>

    /// Takes ownership of what `create` wrote into its out-parameter, or throws `function`'s
    /// error when it returned non-zero.
    init(
        _ function: String, free: @escaping (OpaquePointer?) -> Void,
        _ create: (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    ) throws(GitError) {
        _ = libraryInitialization
        var created: OpaquePointer? = nil
        // SAFETY: `created` is a local the call writes once.
        try check(function, unsafe create(&created))
        // SAFETY: on success libgit2 wrote an object that nothing else frees.
        guard let handle = unsafe OwnedHandle(adopting: created, free: { unsafe free($0) }) else {
            throw .missingResult(function: function)
        }
        unsafe self.handle = handle
    }

    /// The pointer, for one call.
    func with<Result: ~Copyable, E: Error>(_ body: (OpaquePointer) throws(E) -> Result) throws(E) -> Result {
        // SAFETY: the handle is lent for `body` only.
        try unsafe handle.withUnsafeHandle(body)
    }
}

/// The error of a call that returned `code`, from `git_error_last`.
func lastError(_ function: String, _ code: Int32) -> GitError {
    // SAFETY: git_error_last returns this thread's last error or NULL; its message is a
    // NUL-terminated string valid until the next libgit2 call on this thread, read here.
    guard let error = unsafe git_error_last(), let text = unsafe error.pointee.message else {
        return .library(function: function, code: code, errorClass: 0, message: "no message")
    }
    let message = (try? unsafe String(strictCString: text)) ?? "a message that is not UTF-8"
    return .library(function: function, code: code, errorClass: unsafe error.pointee.klass, message: message)
}

/// Throws `function`'s error when `code` is negative (libgit2's failures).
func check(_ function: String, _ code: Int32) throws(GitError) {
    if code < 0 { throw lastError(function, code) }
}

/// A string libgit2 returned, decoded strictly; `what` names it in the error.
func decode(_ text: UnsafePointer<CChar>?, _ function: String, _ what: String) throws(GitError) -> String {
    // SAFETY: libgit2 hands out NUL-terminated strings, valid during the call that gives them.
    guard let text = unsafe text else { return "" }
    do {
        return try unsafe String(strictCString: text)
    } catch {
        throw .boundary(function: function, value: what, error)
    }
}

/// `text`, refused when it holds a NUL byte: C would read only the part before it. (Passed
/// to C by Swift's own String-to-`const char *` conversion, which is valid for the call.)
func checked(_ text: String, _ function: String, _ what: String) throws(GitError) -> String {
    do {
        // SAFETY: the pointer is not used: the call only checks the string as C would read it.
        try unsafe text.withCheckedCString { _ in }
    } catch {
        throw .boundary(function: function, value: what, error)
    }
    return text
}

extension ObjectID {
    init(_ oid: git_oid) {
        let b = oid.id
        self.init(bytes: [
            b.0, b.1, b.2, b.3, b.4, b.5, b.6, b.7, b.8, b.9, b.10, b.11, b.12, b.13, b.14, b.15, b.16, b.17, b.18,
            b.19,
        ])
    }

    var oid: git_oid {
        let b = bytes
        return git_oid(
            id: (
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15],
                b[16],
                b[17], b[18], b[19]
            ))
    }
}

// MARK: - Repositories and objects

func openRepository(at path: String, creating: Bool) throws(GitError) -> GitObject {
    let function = creating ? "git_repository_init" : "git_repository_open"
    let path = try checked(path, function, "the path")
    // SAFETY: the path and the out-parameter are valid for the call.
    return try unsafe GitObject(function, free: git_repository_free) { out in
        creating ? unsafe git_repository_init(out, path, 0) : unsafe git_repository_open(out, path)
    }
}

func writeBlob(_ repository: borrowing GitObject, _ bytes: Span<UInt8>) throws(GitError) -> ObjectID {
    var id = git_oid()
    try unsafe repository.with { (repository) throws(GitError) in
        // SAFETY: `id` is a local libgit2 writes; the bytes are a span the call reads.
        try check(
            "git_blob_create_from_buffer",
            unsafe git_blob_create_from_buffer(&id, repository, RawSpan(_elements: bytes)))
    }
    return ObjectID(id)
}

func readBlob(_ repository: borrowing GitObject, _ id: ObjectID) throws(GitError) -> [UInt8] {
    var oid = id.oid
    let blob = try unsafe repository.with { (repository) throws(GitError) in
        // SAFETY: `oid` is a local read during the call.
        try unsafe GitObject("git_blob_lookup", free: git_blob_free) {
            unsafe git_blob_lookup($0, repository, &oid)
        }
    }
    return try unsafe blob.with { (blob) throws(GitError) in
        // SAFETY: the content is git_blob_rawsize bytes owned by the blob, alive during this
        // closure, and copied out before it ends.
        let size = Int(unsafe git_blob_rawsize(blob))
        guard size > 0, let content = unsafe git_blob_rawcontent(blob) else { return [] }
        return unsafe Array(UnsafeRawBufferPointer(start: content, count: size))
    }
}

func writeTree(_ repository: borrowing GitObject, _ entries: [(name: String, id: ObjectID)]) throws(GitError)
    -> ObjectID
{
    let builder = try unsafe repository.with { (repository) throws(GitError) in
        // SAFETY: a new tree builder, nothing else frees it.
        try unsafe GitObject("git_treebuilder_new", free: git_treebuilder_free) {
            unsafe git_treebuilder_new($0, repository, nil)
        }
    }
    return try unsafe builder.with { (builder) throws(GitError) in
        for entry in entries {
            var oid = entry.id.oid
            let name = try checked(entry.name, "git_treebuilder_insert", "a name")
            // SAFETY: the name and `oid` are valid for the call; no entry is returned.
            try check(
                "git_treebuilder_insert", unsafe git_treebuilder_insert(nil, builder, name, &oid, GIT_FILEMODE_BLOB))
        }
        var tree = git_oid()
        // SAFETY: `tree` is a local libgit2 writes.
        try check("git_treebuilder_write", unsafe git_treebuilder_write(&tree, builder))
        return ObjectID(tree)
    }
}

func makeCommit(
    _ repository: borrowing GitObject, tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature,
    message: String, updating reference: String?
) throws(GitError) -> ObjectID {
    let message = try checked(message, "git_commit_create", "the message")
    let reference = try reference.map { (name) throws(GitError) in
        try checked(name, "git_commit_create", "the reference")
    }
    let author = try makeSignature(author)
    let committer = try makeSignature(committer)
    // SAFETY: the repository is lent for this closure only (GitObject.with).
    return try unsafe repository.with { (repository) throws(GitError) in
        var treeID = tree.oid
        // SAFETY: `treeID` is read during the call.
        let tree = try unsafe GitObject("git_tree_lookup", free: git_tree_free) {
            unsafe git_tree_lookup($0, repository, &treeID)
        }
        // The parents are looked up and kept until the commit is written: their pointers go
        // to C in one array.
        var parentObjects: [OpaquePointer?] = unsafe []
        // SAFETY: each commit in the array was found below and is freed once, here.
        defer { for index in unsafe parentObjects.indices { unsafe git_commit_free(parentObjects[index]) } }
        for parent in parents {
            var parentID = parent.oid
            var found: OpaquePointer? = nil
            // SAFETY: `parentID` and `found` are locals; a commit found is freed by the defer.
            try check("git_commit_lookup", unsafe git_commit_lookup(&found, repository, &parentID))
            unsafe parentObjects.append(found)
        }
        var id = git_oid()
        // SAFETY: every pointer is valid for the call: the tree, parents and signatures are
        // owned above, the strings are converted for the call. No encoding header: the
        // message is UTF-8, which git writes without one.
        try unsafe tree.with { (tree) throws(GitError) in
            let status = unsafe git_commit_create(
                &id, repository, reference, author.pointer, committer.pointer, nil, message, tree,
                parentObjects.count, &parentObjects)
            try check("git_commit_create", status)
        }
        return ObjectID(id)
    }
}

/// A `git_signature` Swift owns, freed once with `git_signature_free`.
@safe
struct OwnedSignature: ~Copyable {
    let pointer: UnsafeMutablePointer<git_signature>

    init(adopting pointer: UnsafeMutablePointer<git_signature>) {
        // SAFETY: a signature git_signature_new made, which nothing else frees.
        unsafe self.pointer = pointer
    }

    // SAFETY: freed once, by its one owner.
    deinit { unsafe git_signature_free(pointer) }
}

func makeSignature(_ signature: Signature) throws(GitError) -> OwnedSignature {
    let name = try checked(signature.name, "git_signature_new", "the name")
    let email = try checked(signature.email, "git_signature_new", "the email")
    var created: UnsafeMutablePointer<git_signature>? = nil
    // SAFETY: the strings and `created` are valid for the call.
    try check(
        "git_signature_new", unsafe git_signature_new(&created, name, email, signature.time, signature.offsetMinutes))
    // SAFETY: on success `created` is a signature nothing else frees.
    return unsafe OwnedSignature(adopting: created!)
}

// MARK: - History, references

func walkHistory(_ repository: borrowing GitObject, from start: ObjectID?) throws(GitError) -> [ObjectID] {
    let walk = try unsafe repository.with { (repository) throws(GitError) in
        // SAFETY: a new walker, nothing else frees it.
        try unsafe GitObject("git_revwalk_new", free: git_revwalk_free) {
            unsafe git_revwalk_new($0, repository)
        }
    }
    return try unsafe walk.with { (walk) throws(GitError) in
        // SAFETY: the walker is lent for these calls; `id` is a local libgit2 writes.
        try check(
            "git_revwalk_sorting",
            unsafe git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue))
        if let start {
            var oid = start.oid
            try check("git_revwalk_push", unsafe git_revwalk_push(walk, &oid))
        } else {
            try check("git_revwalk_push_head", unsafe git_revwalk_push_head(walk))
        }
        var ids: [ObjectID] = []
        var id = git_oid()
        while true {
            // SAFETY: the walker is lent for this closure; `id` is a local libgit2 writes.
            let status = unsafe git_revwalk_next(&id, walk)
            if status == GIT_ITEROVER.rawValue { return ids }
            try check("git_revwalk_next", status)
            ids.append(ObjectID(id))
        }
    }
}

func referenceNames(_ repository: borrowing GitObject) throws(GitError) -> [String] {
    // SAFETY: `names` is a local libgit2 fills, freed once by git_strarray_dispose; its
    // `count` strings are read before that.
    var names = unsafe git_strarray()
    try unsafe repository.with { (repository) throws(GitError) in
        try check("git_reference_list", unsafe git_reference_list(&names, repository))
    }
    defer { unsafe git_strarray_dispose(&names) }
    var result: [String] = []
    for index in 0..<(unsafe names.count) {
        try unsafe result.append(decode(names.strings[index], "git_reference_list", "a reference name"))
    }
    return result
}

// MARK: - Status and diffs, through `*_foreach` callbacks a Swift closure can stop

/// Runs `iterate` (a `*_foreach` call given the context) and reports how it ended: normally,
/// stopped by the handler (its error rethrown), or failed in libgit2.
func foreach<Argument>(
    _ function: String, _ handler: (Argument) throws -> IterationStep,
    _ iterate: (UnsafeMutableRawPointer) -> Int32
) throws {
    // SAFETY: `iterate` passes the context to a libgit2 call that calls back synchronously,
    // before returning.
    let end: IterationEnd<Int32>
    do {
        end = try unsafe CallbackContext<Argument>.withContext(stoppable: handler, iterate)
    } catch {
        // libgit2 noted the stop ("callback returned 1") as this thread's last error; the
        // handler's own error is the one to report.
        git_error_clear()
        throw error
    }
    // A stop the handler asked for is not a failure either.
    if end.stoppedByHandler {
        git_error_clear()
        return
    }
    try check(function, end.status)
}

func forEachStatus(
    _ repository: borrowing GitObject, _ body: (StatusEntry) throws -> IterationStep
) throws {
    // SAFETY: `options` is a local the call initialises; its pathspec stays empty.
    var options = unsafe git_status_options()
    try check("git_status_options_init", unsafe git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)))
    unsafe options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
    unsafe options.flags =
        GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
        | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY.rawValue
    // The callback decodes what C gives before Swift code sees it: a path that is not
    // UTF-8 reaches the handler as an error, and stops the walk.
    try unsafe repository.with { (repository) throws -> Void in
        try unsafe foreach(
            "git_status_foreach_ext", { (entry: Result<StatusEntry, GitError>) in try body(entry.get()) }
        ) {
            context in
            // SAFETY: the options and the context are valid for the call; the path is valid
            // during the callback, which decodes it.
            unsafe git_status_foreach_ext(
                repository, &options,
                { path, flags, context in
                    let entry = Result { () throws(GitError) in
                        StatusEntry(
                            path: try unsafe decode(path, "git_status_foreach_ext", "a path"),
                            flags: StatusFlags(rawValue: flags))
                    }
                    return unsafe CallbackContext<Result<StatusEntry, GitError>>.step(entry, through: context)
                }, context)
        }
    }
}

func forEachDifference(
    _ repository: borrowing GitObject, from old: ObjectID, to new: ObjectID, _ body: (DiffFile) throws -> IterationStep
) throws {
    let diff = try makeDiff(repository, from: old, to: new)
    // SAFETY: the diff is lent for this closure only (GitObject.with).
    try unsafe diff.with { (diff) throws -> Void in
        try unsafe foreach("git_diff_foreach", { (file: Result<DiffFile, GitError>) in try body(file.get()) }) {
            context in
            // SAFETY: the context is valid for the call; the delta is valid during the
            // callback, which reads it.
            unsafe git_diff_foreach(
                diff,
                { delta, _, context in
                    let file = Result { () throws(GitError) in try unsafe DiffFile(delta!.pointee) }
                    return unsafe CallbackContext<Result<DiffFile, GitError>>.step(file, through: context)
                }, nil, nil, nil, context)
        }
    }
}

/// The diff between two commits' trees, owned by Swift.
func makeDiff(_ repository: borrowing GitObject, from old: ObjectID, to new: ObjectID) throws(GitError) -> GitObject {
    // SAFETY: the repository is lent for this closure only; the trees are owned inside it.
    try unsafe repository.with { (repository) throws(GitError) in
        let oldTree = try unsafe commitTree(repository, old)
        let newTree = try unsafe commitTree(repository, new)
        // SAFETY: `options` is a local the call initialises.
        var options = unsafe git_diff_options()
        try check("git_diff_options_init", unsafe git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)))
        return try unsafe oldTree.with { (oldTree) throws(GitError) in
            try unsafe newTree.with { (newTree) throws(GitError) in
                // SAFETY: both trees and the options are valid for the call.
                try unsafe GitObject("git_diff_tree_to_tree", free: git_diff_free) {
                    unsafe git_diff_tree_to_tree($0, repository, oldTree, newTree, &options)
                }
            }
        }
    }
}

/// The tree of the commit `id`.
func commitTree(_ repository: OpaquePointer, _ id: ObjectID) throws(GitError) -> GitObject {
    var oid = id.oid
    // SAFETY: `oid` is read during the call; the commit is owned for the next one.
    let commit = try unsafe GitObject("git_commit_lookup", free: git_commit_free) {
        unsafe git_commit_lookup($0, repository, &oid)
    }
    return try unsafe commit.with { (commit) throws(GitError) in
        try unsafe GitObject("git_commit_tree", free: git_tree_free) {
            unsafe git_commit_tree($0, commit)
        }
    }
}

/// The diff as a patch, as `git diff` prints it (`git_diff_to_buf`, freed with
/// `git_buf_dispose`).
func patchText(_ repository: borrowing GitObject, from old: ObjectID, to new: ObjectID) throws(GitError) -> String {
    let diff = try makeDiff(repository, from: old, to: new)
    // SAFETY: `buffer` is a local libgit2 fills and git_buf_dispose frees once; its `size`
    // bytes are copied out before that.
    var buffer = unsafe git_buf()
    try unsafe diff.with { (diff) throws(GitError) in
        try check("git_diff_to_buf", unsafe git_diff_to_buf(&buffer, diff, GIT_DIFF_FORMAT_PATCH))
    }
    defer { unsafe git_buf_dispose(&buffer) }
    guard let bytes = unsafe buffer.ptr else { return "" }
    let text = unsafe Array(UnsafeRawBufferPointer(start: bytes, count: buffer.size))
    do {
        return try String(strictUTF8: text.span)
    } catch {
        throw .boundary(function: "git_diff_to_buf", value: "the patch", error)
    }
}

extension DiffFile {
    /// Reads a delta libgit2 lends to a callback.
    init(_ delta: git_diff_delta) throws(GitError) {
        // SAFETY: the delta and its paths are valid during the callback that reads them here.
        oldPath = try unsafe decode(delta.old_file.path, "git_diff_foreach", "a path")
        newPath = try unsafe decode(delta.new_file.path, "git_diff_foreach", "a path")
        let status = unsafe delta.status
        change =
            switch status {
            case GIT_DELTA_ADDED: .added
            case GIT_DELTA_DELETED: .deleted
            case GIT_DELTA_MODIFIED: .modified
            case GIT_DELTA_RENAMED: .renamed
            case GIT_DELTA_COPIED: .copied
            case GIT_DELTA_TYPECHANGE: .typeChanged
            default: .other(status.rawValue)
            }
    }
}
