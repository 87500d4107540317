// The demo's sections, in the tutorial's order.

import Dispatch

/// One section of the tutorial's `main`.
struct DemoSection: Sendable {
    /// The name `--section` takes.
    let name: String
    /// The heading the tutorial prints.
    let title: String
    /// What the section runs: most sections are synchronous calls into C; two await C
    /// events or a task group.
    let body: Body

    enum Body: Sendable {
        case synchronous(@Sendable () -> Void)
        case asynchronous(@Sendable () async -> Void)
    }

    init(name: String, title: String, run: @escaping @Sendable () -> Void) {
        self.init(name: name, title: title, body: .synchronous(run))
    }

    init(name: String, title: String, run: @escaping @Sendable () async -> Void) {
        self.init(name: name, title: title, body: .asynchronous(run))
    }

    private init(name: String, title: String, body: Body) {
        self.name = name
        self.title = title
        self.body = body
    }

    /// Runs the section on the calling thread; an asynchronous section runs as a task that
    /// the calling thread waits for.
    ///
    /// The demo's entry point is synchronous so that valgrind, which cannot run a program
    /// whose `main` is `async` (valgrind 3.19 stops with an internal SIGSEGV before the
    /// first line), can check every section. Waiting is safe here: the caller is the
    /// program's main thread, never one of the concurrency pool's threads the task needs,
    /// and no section uses the main actor.
    func run() {
        switch body {
        case .synchronous(let run):
            run()
        case .asynchronous(let run):
            let finished = DispatchSemaphore(value: 0)
            Task.detached {
                await run()
                finished.signal()
            }
            finished.wait()
        }
    }

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
