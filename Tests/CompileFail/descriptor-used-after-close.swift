// expect-error: 'descriptor' used after consume
// A file descriptor has one owner and is closed once: after close() it cannot be used.
import SafeFFI

func closeThenRead() throws {
    let descriptor = OwnedFileDescriptor(adopting: 0)
    try descriptor.close()
    _ = descriptor.rawValue
}
