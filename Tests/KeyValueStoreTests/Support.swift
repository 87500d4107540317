import Foundation

/// A fresh directory for one test's database files, removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appending(path: "kv-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String {
        url.appending(path: name).path
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
