// SQLite calls that need no connection.

import CSQLite
import SafeFFI

/// SQLite calls that need no connection.
enum SQLite {
    /// SQLite's English text for a result code, or `nil` for none.
    static func errorString(_ code: Int32) -> String? {
        // SAFETY: sqlite3_errstr returns a static string (or NULL).
        unsafe sqlite3_errstr(code).flatMap { try? unsafe String(strictCString: $0) }
    }
}
