// The annotator against a hand-labelled ground truth (GroundTruth/, labelled from the
// headers' documentation without the tool's rules): precision and recall per kind.

import Foundation
import SafeFFIAnnotate
import TestSupport
import Testing

/// Hits, misses and false guesses of one kind of annotation.
struct Score: CustomStringConvertible {
    var predicted = 0
    var correct = 0
    var truth = 0
    /// The guesses the labels do not hold.
    var wrong: [String] = []
    /// The labels the tool did not guess.
    var missed: [String] = []

    var precision: Double { predicted == 0 ? 1 : Double(correct) / Double(predicted) }
    var recall: Double { truth == 0 ? 1 : Double(correct) / Double(truth) }

    var description: String {
        "predicted \(predicted), correct \(correct), labelled \(truth): precision \(String(format: "%.3f", precision)), recall \(String(format: "%.3f", recall))"
    }

    mutating func add<T: Hashable>(predicted guesses: Set<T>, truth labels: Set<T>) {
        predicted += guesses.count
        truth += labels.count
        correct += guesses.intersection(labels).count
        wrong += guesses.subtracting(labels).map { "\($0)" }.sorted()
        missed += labels.subtracting(guesses).map { "\($0)" }.sorted()
    }
}

/// The labels of GroundTruth/functions.tsv and types.tsv.
struct GroundTruth {
    struct Label {
        let library: String
        let function: String
        /// `POS:KIND:COUNT:ESCAPE` entries.
        let bounds: [(position: Int, kind: String, count: String, escape: String)]
        let returns: String
    }

    let labels: [Label]
    /// library → (tag, retain function).
    let types: [(library: String, tag: String, retain: String)]

    static let folder = PackagePaths.root.appending(path: "Tests/AnnotateTests/GroundTruth")

    static func rows(_ name: String, in folder: URL) throws -> [[String]] {
        let text = try String(contentsOf: folder.appending(path: name), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The labels in `folder`: the set the rules were written against, or `holdout/`.
    init(folder: URL = Self.folder) throws {
        labels = try Self.rows("functions.tsv", in: folder).map { columns in
            let entries = columns[2] == "-" ? [] : columns[2].split(separator: ";")
            let bounds = entries.map { (entry) -> (position: Int, kind: String, count: String, escape: String) in
                let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                return (Int(parts[0]) ?? -1, parts[1], parts[2...].dropLast().joined(separator: ":"), parts.last ?? "")
            }
            return Label(library: columns[0], function: columns[1], bounds: bounds, returns: columns[3])
        }
        types = try Self.rows("types.tsv", in: folder).map { ($0[0], $0[2], $0[3]) }
    }
}

@Suite("safe-ffi-annotate against the hand-labelled ground truth", .serialized)
struct GroundTruthTests {
    /// A library of the ground truth and how the annotator reads it: named headers, or an
    /// umbrella header's module map (which brings in the headers it includes).
    struct Library {
        let name: String
        let headers: [String]
        var throughModuleMap = false
        var arguments: [String] = []
    }

    static let libraries: [Library] = [
        Library(name: "zlib", headers: ["zlib.h"]),
        // Debian's libsqlite3 exports the session extension (`sqlite3changeset_*`), which
        // sqlite3.h declares only under these switches; the labels cover it.
        Library(
            name: "sqlite3", headers: ["sqlite3.h"],
            arguments: ["-DSQLITE_ENABLE_SESSION", "-DSQLITE_ENABLE_PREUPDATE_HOOK"]),
        Library(name: "openssl", headers: ["openssl/evp.h", "openssl/hmac.h", "openssl/rand.h", "openssl/x509.h"]),
        Library(name: "libgit2", headers: ["git2.h"], throughModuleMap: true),
        // SDL's own switch: without the compiler's intrinsics the AST is a quarter of the size.
        Library(
            name: "sdl2", headers: ["SDL2/SDL.h"], throughModuleMap: true, arguments: ["-DSDL_DISABLE_IMMINTRIN_H"]),
    ]

    /// Headers labelled by someone who had not read the rules, after they were written:
    /// what the figures are on a library the rules did not see.
    static let holdoutLibraries: [Library] = [
        Library(name: "openssl-holdout", headers: ["openssl/bio.h", "openssl/bn.h", "openssl/pem.h"]),
        Library(name: "libc-sockets", headers: ["sys/socket.h", "netdb.h", "arpa/inet.h"]),
    ]

    /// Whether every library's headers are installed (`.ci/run` installs them).
    static let installed = libraries.allSatisfy { library in
        library.headers.allSatisfy { FileManager.default.fileExists(atPath: "/usr/include/" + $0) }
    }

    /// The declarations of `library`'s headers, as the annotator's command line reads them.
    static func declarations(of library: Library) throws -> CHeaderSet {
        guard library.throughModuleMap else {
            return try ClangInvocation(headers: library.headers, arguments: library.arguments).read()
        }
        let module = try TemporaryModule(name: "GroundTruth", headers: library.headers, link: nil)
        let found = try ClangInvocation.moduleHeaders(
            moduleMap: module.directory.appending(path: "module.modulemap").path, arguments: library.arguments)
        return try ClangInvocation(
            headers: found.headers.map(\.path), includes: found.headers.filter(\.isInModuleMap).map(\.path),
            arguments: library.arguments
        ).read()
    }

    /// The scores of every kind over every library.
    static func scores(of truth: GroundTruth, in libraries: [Library]) throws -> [String: Score] {
        var scores: [String: Score] = [:]
        for library in libraries {
            let headers = try declarations(of: library)
            let inference = Inference(headers)
            let labels = truth.labels.filter { $0.library == library.name }
            let labelled = Set(labels.map(\.function))
            func normal(_ count: String) -> String { count.filter { !$0.isWhitespace } }

            // Bounds API notes can say: a count that is a parameter's name, a constant or an
            // expression; one behind a pointer is the report's (below). An unnamed count
            // parameter (#N) cannot be named in API notes: a miss the tool cannot avoid.
            let boundTruth = Set(
                labels.flatMap { label in
                    label.bounds.filter { !$0.count.hasPrefix("*") }.map {
                        "\(label.function) \($0.position) \($0.kind) \(normal($0.count))"
                    }
                })
            let boundGuesses = Set(
                inference.bounds.filter { labelled.contains($0.function) }.map {
                    "\($0.function) \($0.position) \($0.kind.rawValue) \(normal($0.count))"
                })
            scores["bounds", default: Score()].add(predicted: boundGuesses, truth: boundTruth)
            let nameable = boundTruth.filter { !$0.contains("#") }
            scores["bounds (counts with a name)", default: Score()].add(predicted: boundGuesses, truth: nameable)

            // NoEscape on the bounds the tool wrote: right when the label says noescape.
            let escapeTruth = Set(
                labels.flatMap { label in
                    label.bounds.filter { $0.escape == "noescape" }.map { "\(label.function) \($0.position)" }
                })
            let escapeGuesses = Set(
                inference.bounds.filter { labelled.contains($0.function) && $0.noEscape }.map {
                    "\($0.function) \($0.position)"
                })
            scores["NoEscape", default: Score()].add(predicted: escapeGuesses, truth: escapeTruth)

            // Lengths behind a pointer, reported for cWritingUpTo.
            let behindTruth = Set(labels.filter { $0.bounds.contains { $0.count.hasPrefix("*") } }.map(\.function))
            let behindGuesses = Set(
                inference.findings.filter { $0.kind == .lengthBehindPointer && labelled.contains($0.subject) }.map(
                    \.subject))
            scores["length behind a pointer (report)", default: Score()].add(
                predicted: behindGuesses, truth: behindTruth)

            // The ownership of returned references, of the types whose retain function the
            // headers read declare (the tool cannot know another header's type is counted;
            // `ownership (every labelled type)` counts them all). A static object of a reference type
            // (`const EVP_MD *EVP_sha256(void)`) is `unretained` in API notes, which have no third
            // value: the caller does not own it (OpenSSL's up_ref and free leave a static one alone).
            let referenceTags = Set(truth.types.filter { $0.library == library.name }.map(\.tag))
            let returnTags = Dictionary(
                headers.functions.map { ($0.name, headers.pointeeTag(of: $0.returnType)) },
                uniquingKeysWith: { a, _ in a })
            let ownershipTruth = Set(
                labels.compactMap { label -> String? in
                    if label.returns == "retained" || label.returns == "unretained" {
                        return "\(label.function) \(label.returns)"
                    }
                    guard label.returns == "static", let tag = returnTags[label.function] ?? nil,
                        referenceTags.contains(tag)
                    else { return nil }
                    return "\(label.function) unretained"
                })
            let ownershipGuesses = Set(
                inference.returns.filter { labelled.contains($0.function) }.map {
                    "\($0.function) \($0.ownership.rawValue)"
                })
            scores["return ownership (every labelled type)", default: Score()].add(
                predicted: ownershipGuesses, truth: ownershipTruth)
            let declaredNames = Set(headers.functions.map(\.name))
            let declaredReferences = Set(
                truth.types.filter { $0.library == library.name && declaredNames.contains($0.retain) }.map(\.tag))
            let ownershipOfDeclared = ownershipTruth.filter { entry in
                let function = String(entry.split(separator: " ")[0])
                return (returnTags[function] ?? nil).map { declaredReferences.contains($0) } ?? false
            }
            scores["return ownership", default: Score()].add(predicted: ownershipGuesses, truth: ownershipOfDeclared)

            // Shared reference types whose retain function the headers asked for declare.
            let declared = Set(headers.functions.map(\.name))
            let typeTruth = Set(
                truth.types.filter { $0.library == library.name && declared.contains($0.retain) }.map(\.tag))
            scores["shared reference types", default: Score()].add(
                predicted: Set(inference.references.map(\.tag)), truth: typeTruth)
        }
        return scores
    }

    /// Prints each kind's figures, what it guessed wrong and what it missed.
    static func show(_ scores: [String: Score]) {
        for (kind, score) in scores.sorted(by: { $0.key < $1.key }) {
            print("\(kind): \(score)")
            for guess in score.wrong { print("  not in the labels: \(guess)") }
            for label in score.missed { print("  missed: \(label)") }
        }
    }

    /// What API notes carry is held to precision 0.98: a wrong bound or NoEscape is a
    /// memory-safety bug, a wrong ownership a leak or a double free.
    static func expectNotesPrecision(_ scores: [String: Score]) throws {
        for kind in ["bounds", "NoEscape", "return ownership", "shared reference types"] {
            let score = try #require(scores[kind])
            #expect(score.precision >= 0.98, "\(kind): \(score)")
        }
    }

    @Test(
        "precision and recall per kind",
        .enabled(if: installed, "needs libssl-dev, libgit2-dev and libsdl2-dev"))
    func figures() throws {
        let truth = try GroundTruth()
        let scores = try Self.scores(of: truth, in: Self.libraries)
        Self.show(scores)
        #expect(truth.labels.count == 1_018)
        try Self.expectNotesPrecision(scores)
        // Recall: the goal is 0.8, and every kind meets it; each is held at its measured
        // value, so that no change makes it worse (docs/ANNOTATE.md says what is missed).
        #expect(try #require(scores["shared reference types"]).recall >= 0.8)
        #expect(try #require(scores["bounds"]).recall >= 0.82)
        #expect(try #require(scores["bounds (counts with a name)"]).recall >= 0.87)
        #expect(try #require(scores["NoEscape"]).recall >= 0.8)
        #expect(try #require(scores["return ownership"]).recall >= 0.94)
        #expect(try #require(scores["length behind a pointer (report)"]).recall >= 0.99)
    }

    @Test(
        "hold-out: precision and recall on headers labelled after the rules, blind to them",
        .enabled(if: FileManager.default.fileExists(atPath: "/usr/include/openssl/pem.h"), "needs libssl-dev"))
    func holdout() throws {
        let truth = try GroundTruth(folder: GroundTruth.folder.appending(path: "holdout"))
        let scores = try Self.scores(of: truth, in: Self.holdoutLibraries)
        Self.show(scores)
        #expect(truth.labels.count == 604)
        try Self.expectNotesPrecision(scores)
        // Held at the recall measured after the rules the blind run led to, so that no change
        // makes it worse; docs/ANNOTATE.md has the blind figures.
        #expect(try #require(scores["bounds"]).recall >= 0.829)
        #expect(try #require(scores["NoEscape"]).recall >= 0.77)
        #expect(try #require(scores["return ownership"]).recall >= 0.82)
    }
}
