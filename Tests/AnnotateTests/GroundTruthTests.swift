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

    static func rows(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: folder.appending(path: name), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    init() throws {
        labels = try Self.rows("functions.tsv").map { columns in
            let entries = columns[2] == "-" ? [] : columns[2].split(separator: ";")
            let bounds = entries.map { (entry) -> (position: Int, kind: String, count: String, escape: String) in
                let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                return (Int(parts[0]) ?? -1, parts[1], parts[2...].dropLast().joined(separator: ":"), parts.last ?? "")
            }
            return Label(library: columns[0], function: columns[1], bounds: bounds, returns: columns[3])
        }
        types = try Self.rows("types.tsv").map { ($0[0], $0[2], $0[3]) }
    }
}

@Suite("safe-ffi-annotate against the hand-labelled ground truth", .serialized)
struct GroundTruthTests {
    static let libraries: [(name: String, headers: [String])] = [
        ("zlib", ["zlib.h"]), ("sqlite3", ["sqlite3.h"]),
        ("openssl", ["openssl/evp.h", "openssl/hmac.h", "openssl/rand.h", "openssl/x509.h"]),
    ]

    /// The scores of every kind over every library whose headers are installed.
    static func scores() throws -> [String: Score] {
        let truth = try GroundTruth()
        var scores: [String: Score] = [:]
        for library in libraries {
            let headers = try ClangInvocation(headers: library.headers).read()
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

            // The ownership of returned references.
            let ownershipTruth = Set(
                labels.filter { $0.returns == "retained" || $0.returns == "unretained" }.map {
                    "\($0.function) \($0.returns)"
                })
            let ownershipGuesses = Set(
                inference.returns.filter { labelled.contains($0.function) }.map {
                    "\($0.function) \($0.ownership.rawValue)"
                })
            scores["return ownership", default: Score()].add(predicted: ownershipGuesses, truth: ownershipTruth)

            // Shared reference types whose retain function the headers asked for declare.
            let declared = Set(headers.functions.map(\.name))
            let typeTruth = Set(
                truth.types.filter { $0.library == library.name && declared.contains($0.retain) }.map(\.tag))
            scores["shared reference types", default: Score()].add(
                predicted: Set(inference.references.map(\.tag)), truth: typeTruth)
        }
        return scores
    }

    @Test(
        "precision and recall per kind",
        .enabled(if: FileManager.default.fileExists(atPath: "/usr/include/openssl/evp.h"), "needs libssl-dev"))
    func figures() throws {
        let scores = try Self.scores()
        for (kind, score) in scores.sorted(by: { $0.key < $1.key }) {
            print("\(kind): \(score)")
            for guess in score.wrong { print("  not in the labels: \(guess)") }
        }
        let truth = try GroundTruth()
        #expect(truth.labels.count >= 150)
        // What API notes carry: a wrong bound or NoEscape is a memory-safety bug (goal 0.98).
        for kind in ["bounds", "NoEscape", "return ownership", "shared reference types"] {
            let score = try #require(scores[kind])
            #expect(score.precision >= 0.98, "\(kind): \(score)")
        }
        // Recall: the goal is 0.8. Reference types meet it; bounds (0.650; 0.723 of the counts
        // a note can name) and return ownership (0.588) do not yet, and are held where they
        // are measured, so that no change makes them worse (docs/ANNOTATE.md says what is missed).
        #expect(try #require(scores["shared reference types"]).recall >= 0.8)
        #expect(try #require(scores["bounds"]).recall >= 0.649)
        #expect(try #require(scores["bounds (counts with a name)"]).recall >= 0.72)
        #expect(try #require(scores["return ownership"]).recall >= 0.58)
        #expect(try #require(scores["length behind a pointer (report)"]).recall >= 0.84)
    }
}
