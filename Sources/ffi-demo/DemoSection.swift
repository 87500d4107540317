// The demo's sections, in the tutorial's order.

/// One section of the tutorial's `main`.
struct DemoSection: Sendable {
    /// The name `--section` takes.
    let name: String
    /// The heading the tutorial prints.
    let title: String
    let run: @Sendable () async -> Void

    static let all: [DemoSection] = [
        DemoSection(name: "basic", title: "Basic FFI", run: basicExample),
        DemoSection(name: "strings", title: "String Handling", run: stringExample),
        DemoSection(name: "structs", title: "Struct Passing", run: structExample),
        DemoSection(name: "callbacks", title: "Callbacks", run: callbackExample),
        DemoSection(name: "opaque", title: "Opaque Types", run: opaqueExample),
        DemoSection(name: "errors", title: "Error Handling", run: errorExample),
        DemoSection(name: "arrays", title: "Array Handling", run: arrayExample),
        DemoSection(name: "anti-patterns", title: "Anti-patterns, Done Right", run: antiPatternExample),
        DemoSection(name: "database", title: "Database Example", run: databaseExample),
        DemoSection(name: "events", title: "Event System", run: eventSystemExample),
        DemoSection(name: "async-events", title: "Async Events from a C Thread", run: asyncEventExample),
        DemoSection(name: "thread-safe", title: "Thread-Safe Wrapper", run: threadSafeExample),
        DemoSection(name: "zero-copy", title: "Zero-Copy", run: zeroCopyExample),
        DemoSection(name: "plugins", title: "Plugins Written in Swift", run: pluginExample),
    ]

    static func named(_ name: String) -> DemoSection? {
        all.first { $0.name == name }
    }
}
