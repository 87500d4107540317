// Runs the tutorial's `main`, section by section, against the real libnative.

import ArgumentParser

@main
struct FFIDemo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ffi-demo",
        abstract: "Runs each section of the FFI-boundaries tutorial against the real C library.")

    @Flag(name: .long, help: "List the sections, in the order they run.")
    var list = false

    @Option(name: .long, help: "Run only this section (see --list).")
    var section: String?

    func validate() throws {
        if let section, DemoSection.named(section) == nil {
            throw ValidationError(
                "unknown section '\(section)'; sections: \(DemoSection.all.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        if list {
            for section in DemoSection.all {
                print("\(section.name)\t\(section.title)")
            }
            return
        }
        let chosen = section.flatMap(DemoSection.named).map { [$0] } ?? DemoSection.all
        for (index, section) in chosen.enumerated() {
            print(index == 0 ? "=== \(section.title) ===" : "\n=== \(section.title) ===")
            section.run()
        }
    }
}
