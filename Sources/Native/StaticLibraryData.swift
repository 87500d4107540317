// Library data behind a pointer that may be NULL (tutorial Mistake #1): NULL is nil,
// never dereferenced.

/// libnative's static data, behind a pointer that may be NULL: NULL is `nil`, never read.
public enum StaticLibraryData {
    /// The number of bytes of library data.
    public static let count = LibNative.dataLength

    /// A copy of the library's static data, or `nil` when the library has none to give
    /// (it returned NULL). The corresponding C function is `get_data`.
    public static func bytes() -> [UInt8]? {
        LibNative.get_data()
    }

    /// The first byte of library data, or `nil` when there is none.
    /// The corresponding C function is `get_data`.
    public static func firstByte() -> UInt8? {
        LibNative.get_data()?.first
    }
}
