import Foundation
import Git
import Glibc
import SafeFFI
import Testing

/// The user's git configuration kept out of the tests (the default branch, `core.abbrev`):
/// libgit2 reads the global configuration from `$HOME` when it starts, which every test's
/// first step, a TemporaryDirectory, comes before.
let isolatedFromUserConfiguration: Void = {
    let home = FileManager.default.temporaryDirectory.appending(path: "git-home-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    // SAFETY: the strings are converted for the calls; setenv copies them. No other thread
    // reads the environment yet: this runs before the first test touches libgit2.
    unsafe setenv("HOME", home, 1)
    unsafe setenv("XDG_CONFIG_HOME", home, 1)
}()

/// A new empty directory, removed when the test ends.
final class TemporaryDirectory {
    let path: String
    init() throws {
        _ = isolatedFromUserConfiguration
        path = FileManager.default.temporaryDirectory.appending(path: "git-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(filePath: path).appending(path: name))
    }
}

let author = Signature(name: "A U Thor", email: "author@example.com", time: 1_700_000_000)

/// Two commits, with the ids `git` itself gives the same content (checked with git 2.39).
func twoCommits(_ repository: borrowing Repository) throws -> (first: ObjectID, second: ObjectID) {
    let hello = try repository.writeBlob(Array("hello\n".utf8).span)
    let first = try repository.commit(
        tree: try repository.writeTree([("hello.txt", hello)]), parents: [], author: author, message: "first\n")
    let changed = try repository.writeBlob(Array("hello\nworld\n".utf8).span)
    let notes = try repository.writeBlob(Array("second file\n".utf8).span)
    var later = author
    later.time += 100
    let second = try repository.commit(
        tree: try repository.writeTree([("hello.txt", changed), ("notes.txt", notes)]), parents: [first],
        author: later, message: "second\n")
    return (first, second)
}

struct Stop: Error, Equatable {
    let path: String
}

@Suite("libgit2 through API notes and SafeFFI")
struct GitTests {
    @Test("blobs, trees and commits get git's own ids; history is newest first")
    func commits() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository.create(at: directory.path)
        let hello = try repository.writeBlob(Array("hello\n".utf8).span)
        #expect(hello.description == "ce013625030ba8dba906f756967f9e9ca394464a")
        #expect(try repository.blob(hello) == Array("hello\n".utf8))
        #expect(
            try repository.writeTree([("hello.txt", hello)]).description == "aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7")
        let (first, second) = try twoCommits(repository)
        #expect(first.description == "43c57696228ece0a058fa60072808cf7a2616473")
        #expect(second.description == "727b20d2d8abf36fd66382160a554c0f3e00d720")
        #expect(try repository.history() == [second, first])
        #expect(try repository.history(from: first) == [first])
        #expect(try repository.referenceNames() == ["refs/heads/master"])
        #expect(ObjectID(hex: second.description) == second)
        #expect(ObjectID(hex: "xyz") == nil)
    }

    @Test("a repository reopened from disk sees the same history")
    func reopen() throws {
        let directory = try TemporaryDirectory()
        let ids = try twoCommits(try Repository.create(at: directory.path))
        #expect(try Repository.open(at: directory.path).history() == [ids.second, ids.first])
    }

    @Test("libgit2's own error, typed: no repository there")
    func notFound() throws {
        let directory = try TemporaryDirectory()
        #expect(
            throws: GitError.library(
                function: "git_repository_open", code: -3,  // GIT_ENOTFOUND
                errorClass: 2,  // GIT_ERROR_OS: the path does not resolve
                message: "failed to resolve path '\(directory.path)/none': No such file or directory")
        ) { _ = try Repository.open(at: directory.path + "/none") }
    }

    @Test("a NUL in a name is refused before libgit2 sees it")
    func interiorNUL() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository.create(at: directory.path)
        let blob = try repository.writeBlob([UInt8]().span)
        #expect(
            throws: GitError.boundary(function: "git_treebuilder_insert", value: "a name", .interiorNUL(offset: 1))
        ) { _ = try repository.writeTree([("a\u{0}b", blob)]) }
        #expect(
            GitError.boundary(function: "git_treebuilder_insert", value: "a name", .interiorNUL(offset: 1))
                .description
                == "git_treebuilder_insert: a name holds a NUL byte at offset 1; libgit2 would read it cut short")
    }

    @Test("status: every untracked file, in path order, through git_status_foreach_ext's callback")
    func status() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository.create(at: directory.path)
        try FileManager.default.createDirectory(atPath: directory.path + "/sub", withIntermediateDirectories: true)
        for name in ["b.txt", "a.txt", "sub/c.txt"] { try directory.write(name, name) }
        var seen: [StatusEntry] = []
        try repository.forEachStatus { entry in
            seen.append(entry)
            return .continue
        }
        #expect(seen.map(\.path) == ["a.txt", "b.txt", "sub/c.txt"])
        #expect(seen.map(\.flags) == [.workingTreeNew, .workingTreeNew, .workingTreeNew])
    }

    @Test("a path that is not UTF-8 stops the walk with a GitError, never repaired text")
    func pathNotUTF8() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository.create(at: directory.path)
        try directory.write("a.txt", "a")
        // A file whose name is the bytes "b\xFF" (the file system takes any bytes but / and NUL).
        let name: [CChar] = [CChar(UInt8(ascii: "/")), CChar(UInt8(ascii: "b")), CChar(bitPattern: 0xFF), 0]
        let path = Array(directory.path.utf8CString.dropLast()) + name
        // SAFETY: a NUL-terminated path valid for the call.
        let descriptor = unsafe open(path, O_CREAT | O_WRONLY, 0o644)
        try #require(descriptor >= 0)
        close(descriptor)
        var seen: [String] = []
        let error = try #require(throws: GitError.self) {
            try repository.forEachStatus { entry in
                seen.append(entry.path)
                return .continue
            }
        }
        #expect(seen == ["a.txt"])
        #expect(error == .boundary(function: "git_status_foreach_ext", value: "a path", .invalidUTF8(offset: 1)))
        #expect(error.description == "git_status_foreach_ext: a path is not UTF-8 (invalid byte at offset 1)")
    }

    @Test("a callback that returns .stop stops the walk, and the call returns normally")
    func stops() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository.create(at: directory.path)
        for name in ["a.txt", "b.txt", "c.txt"] { try directory.write(name, name) }
        var seen: [String] = []
        try repository.forEachStatus { entry in
            seen.append(entry.path)
            return entry.path == "b.txt" ? .stop : .continue
        }
        #expect(seen == ["a.txt", "b.txt"])
        // The stop left no error behind: the next walk sees everything.
        var all = 0
        try repository.forEachStatus { _ in
            all += 1
            return .continue
        }
        #expect(all == 3)
    }

    @Test("a callback that throws stops the walk, and its error comes out of the Swift call")
    func throwsOut() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository.create(at: directory.path)
        let (first, second) = try twoCommits(repository)
        var seen: [String] = []
        #expect(throws: Stop(path: "hello.txt")) {
            try repository.forEachDifference(from: first, to: second) { file in
                seen.append(file.newPath)
                throw Stop(path: file.newPath)
            }
        }
        #expect(seen == ["hello.txt"])
    }

    @Test("diff: each file and its change; the patch git diff prints")
    func diff() throws {
        let directory = try TemporaryDirectory()
        let repository = try Repository.create(at: directory.path)
        let (first, second) = try twoCommits(repository)
        var files: [DiffFile] = []
        try repository.forEachDifference(from: first, to: second) { file in
            files.append(file)
            return .continue
        }
        #expect(
            files == [
                DiffFile(oldPath: "hello.txt", newPath: "hello.txt", change: .modified),
                DiffFile(oldPath: "notes.txt", newPath: "notes.txt", change: .added),
            ])
        #expect(
            try repository.patch(from: first, to: second) == """
                diff --git a/hello.txt b/hello.txt
                index ce01362..94954ab 100644
                --- a/hello.txt
                +++ b/hello.txt
                @@ -1 +1,2 @@
                 hello
                +world
                diff --git a/notes.txt b/notes.txt
                new file mode 100644
                index 0000000..1c59427
                --- /dev/null
                +++ b/notes.txt
                @@ -0,0 +1 @@
                +second file

                """)
    }
}
