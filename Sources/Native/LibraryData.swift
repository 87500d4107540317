// Library data behind a pointer that may be NULL (tutorial Mistake #1): NULL is nil,
// never dereferenced.

/// Library data behind a pointer that may be NULL (tutorial Mistake #1).
public enum LibraryData {
    /// The number of bytes of library data.
    public static let count = LibNative.dataLength

    /// A copy of the library's static data, or `nil` when the library has none to give
    /// (it returned NULL). The corresponding C function is `get_data`.
    public static func bytes() -> [UInt8]? {
        LibNative.data()
    }

    /// The first byte of library data, or `nil` when there is none — the tutorial's
    /// `good()`. The corresponding C function is `get_data`.
    public static func firstByte() -> UInt8? {
        LibNative.data()?.first
    }
}
