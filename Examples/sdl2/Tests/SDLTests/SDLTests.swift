import Foundation
import SDL
import SafeFFI
import Testing

// One suite, serialised: SDL is one per process, and one consumer reads its queue.
@Suite("SDL2 on its own thread, with the dummy video driver", .serialized, .timeLimit(.minutes(1)))
struct SDLTests {
    let sdl = SDLContext.shared

    @Test("events posted from four threads arrive through the AsyncSequence, each thread's in order")
    func eventsFromThreads() async throws {
        try await sdl.start()
        let events = sdl.events()
        let failures = Serialized<[SDLError]>([])
        let threads = (0..<4).map { thread in
            Thread {
                for index in 0..<250 {
                    do throws(SDLError) {
                        try SDLContext.shared.post(code: Int32(thread * 1_000 + index))
                    } catch {
                        failures.withLock { $0.append(error) }
                    }
                }
            }
        }
        for thread in threads { thread.start() }
        var received: [Int32] = []
        for await event in events {
            guard case .user(let code) = event else { continue }
            received.append(code)
            if received.count == 1_000 { break }
        }
        var expected: Set<Int32> = []
        for thread in 0..<4 {
            for index in 0..<250 { expected.insert(Int32(thread * 1_000 + index)) }
        }
        #expect(Set(received) == expected)
        #expect(failures.withLock { $0 } == [])
        for thread in 0..<4 {
            let mine = received.filter { $0 / 1_000 == thread }
            #expect(mine == mine.sorted())
        }
    }

    @Test("the stream ends when the consuming task is cancelled")
    func endsWhenCancelled() async throws {
        try await sdl.start()
        let firstArrived = Serialized(false)
        let consumer = Task { () -> Int in
            var count = 0
            for await event in sdl.events() {
                if case .user = event {
                    count += 1
                    firstArrived.withLock { $0 = true }
                }
            }
            return count
        }
        try sdl.post(code: 7)
        while !firstArrived.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        consumer.cancel()
        // The loop ends: the task returns what it had counted.
        #expect(await consumer.value == 1)
    }

    @Test("a hidden window: drawn into, and its pixels read back")
    func window() async throws {
        try await sdl.start()
        let colors = try await sdl.withHiddenWindow(width: 64, height: 48) { (window) throws(SDLError) in
            let black = Color(red: 0, green: 0, blue: 0)
            let red = Color(red: 255, green: 0, blue: 0)
            try window.fill(Rectangle(x: 0, y: 0, width: 64, height: 48), with: black)
            try window.fill(Rectangle(x: 10, y: 10, width: 20, height: 5), with: red)
            try window.update()
            #expect(window.size == (64, 48))
            return [
                window.pixel(x: 15, y: 12), window.pixel(x: 10, y: 10), window.pixel(x: 29, y: 14),
                window.pixel(x: 30, y: 14), window.pixel(x: 15, y: 15), window.pixel(x: 0, y: 0),
                window.pixel(x: 64, y: 0), window.pixel(x: 0, y: -1),
            ]
        }
        let red = Color(red: 255, green: 0, blue: 0)
        let black = Color(red: 0, green: 0, blue: 0)
        #expect(colors == [red, red, red, black, black, black, nil, nil])
    }

    @Test("a window of no pixels is refused")
    func emptyWindow() async throws {
        try await sdl.start()
        await #expect(throws: SDLError.refused(function: "SDL_CreateWindow", reason: "a window of 0 × 48 pixels")) {
            try await sdl.withHiddenWindow(width: 0, height: 48) { _ in }
        }
    }

    @Test("SDL's own error: a video driver that does not exist; a name with a NUL refused; then SDL starts again")
    func unknownDriver() async throws {
        await sdl.stop()
        #expect(throws: SDLError.refused(function: "SDL_PushEvent", reason: "SDL is not started")) {
            try sdl.post(code: 1)
        }
        await #expect(throws: SDLError.sdl(function: "SDL_Init", message: "no-such-driver not available")) {
            try await sdl.start(videoDriver: "no-such-driver")
        }
        // A NUL would cut the name short in C: refused before SDL sees it.
        await #expect(
            throws: SDLError.boundary(function: "SDL_SetHint", value: "the driver name", .interiorNUL(offset: 5))
        ) {
            try await sdl.start(videoDriver: "dummy\0x")
        }
        #expect(
            SDLError.boundary(function: "SDL_SetHint", value: "the driver name", .interiorNUL(offset: 5)).description
                == "SDL_SetHint not called: the driver name: string contains a NUL byte at offset 5; C would see it truncated there"
        )
        try await sdl.start()
        try sdl.post(code: 1)
    }
}
