// expect-error: risks causing data races
// A buffer moved into another task cannot still be used here: no concurrent access.
import Native

func useFromTwoTasks() async throws {
    var buffer = try AdoptedBuffer(size: 8)
    let task = Task { buffer.fill(1) }
    buffer.fill(2)
    await task.value
}
